-- 0051_cache_notify: announce every committed change to a users or schemes
-- row on channel cf_cache ("users:<id>", "schemes:<id>"), whoever makes it
-- (a server, psql, a later migration). Servers keep these rows in a read
-- cache (decision 0006, cf_pg_store_cache_start) and drop a row when its
-- notification arrives. NOTIFY is transactional: sent only on COMMIT, and
-- identical payloads in one transaction are delivered once.
CREATE FUNCTION cf_cache_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		PERFORM pg_notify('cf_cache', TG_TABLE_NAME || ':' || OLD.id::text);
		RETURN OLD;
	END IF;
	PERFORM pg_notify('cf_cache', TG_TABLE_NAME || ':' || NEW.id::text);
	IF TG_OP = 'UPDATE' AND OLD.id IS DISTINCT FROM NEW.id THEN
		PERFORM pg_notify('cf_cache', TG_TABLE_NAME || ':' || OLD.id::text);
	END IF;
	RETURN NEW;
END;
$$;

CREATE TRIGGER users_cache_notify AFTER UPDATE OR DELETE ON users
	FOR EACH ROW EXECUTE FUNCTION cf_cache_notify();
CREATE TRIGGER schemes_cache_notify AFTER UPDATE OR DELETE ON schemes
	FOR EACH ROW EXECUTE FUNCTION cf_cache_notify();
-- TRUNCATE removes rows without row triggers: drop everything cached
CREATE FUNCTION cf_cache_notify_all() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('cf_cache', TG_TABLE_NAME || ':*');
	RETURN NULL;
END;
$$;
CREATE TRIGGER users_cache_truncate AFTER TRUNCATE ON users
	FOR EACH STATEMENT EXECUTE FUNCTION cf_cache_notify_all();
CREATE TRIGGER schemes_cache_truncate AFTER TRUNCATE ON schemes
	FOR EACH STATEMENT EXECUTE FUNCTION cf_cache_notify_all();
