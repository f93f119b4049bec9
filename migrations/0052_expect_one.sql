-- 0052_expect_one: a guard for statements sent with the COMMIT (the
-- adapter's deferred writes, adapters/postgres/pg_deferred.c). Such a
-- statement cannot report "no row matched" back to the use case, so it must
-- raise instead. SQLSTATE 40001 (serialization failure): the row changed
-- under us, and the library retries the whole use case.
CREATE FUNCTION cf_expect_one(n bigint, what text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF n IS DISTINCT FROM 1 THEN
		RAISE EXCEPTION 'expected one % row, found %', what, n
			USING ERRCODE = '40001';
	END IF;
END;
$$;
