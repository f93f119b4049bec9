-- 0030_cf_ms_inline: let the planner inline cf_ms.
--
-- 0001 wrote cf_ms with extract(epoch FROM timestamptz), which PostgreSQL
-- marks STABLE; inside a function declared IMMUTABLE that body cannot be
-- inlined, so every call went through the SQL-function executor, which
-- parses and plans the body again for each statement (the profile of an
-- authenticated GET showed it among the top costs: five calls per request).
-- The UTC wall time of an instant has the same epoch, and extract over a
-- timestamp without time zone is IMMUTABLE, so the new body inlines into the
-- calling query as a plain expression. Same results for every instant and
-- every session time zone.
CREATE OR REPLACE FUNCTION cf_ms(ts timestamptz) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT
	AS $$ SELECT (extract(epoch FROM ts AT TIME ZONE 'UTC') * 1000)::bigint $$;
