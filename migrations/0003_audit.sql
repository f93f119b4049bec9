-- 0003_audit: the append-only, hash-chained audit log (design.md "Audit").
--
-- Each row carries prev_hash (the previous row's hash; 64 zeros for the first
-- row) and hash = lowercase hex SHA-256 over prev_hash and the row's canonical
-- content, computed by the application (chitfund/audit.h) so that `verify`
-- recomputes it the same way. Rows are numbered gaplessly from 1: a writer
-- locks the single audit_head row (last, just before commit), inserts the row
-- that follows it and advances it. UPDATE and DELETE are refused by a row
-- trigger, TRUNCATE by a statement trigger; the head can only move forward.

CREATE TABLE audit_log (
	seq bigint PRIMARY KEY CHECK (seq >= 1),
	at timestamptz NOT NULL,
	actor_id text CHECK (length(actor_id) <= 36),
	actor_role text CHECK (length(actor_role) <= 15),
	action text NOT NULL CHECK (length(action) BETWEEN 1 AND 47),
	entity text NOT NULL CHECK (length(entity) BETWEEN 1 AND 31),
	entity_id text CHECK (length(entity_id) <= 36),
	summary text NOT NULL CHECK (length(summary) <= 2047),
	request_id text CHECK (length(request_id) <= 64),
	client_addr text CHECK (length(client_addr) <= 45),
	prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
	hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, seq);

-- The chain head: exactly one row.
CREATE TABLE audit_head (
	singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
	last_seq bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
	last_hash text NOT NULL DEFAULT repeat('0', 64) CHECK (last_hash ~ '^[0-9a-f]{64}$')
);
INSERT INTO audit_head DEFAULT VALUES;

CREATE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
		USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_refuse();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse();
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
	FOR EACH ROW EXECUTE FUNCTION audit_refuse();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
	FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse();

-- A new row must follow the head exactly.
CREATE FUNCTION audit_log_check_link() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	h audit_head%ROWTYPE;
BEGIN
	SELECT * INTO h FROM audit_head;
	IF NEW.seq <> h.last_seq + 1 OR NEW.prev_hash <> h.last_hash THEN
		RAISE EXCEPTION 'audit row does not follow the chain head'
			USING ERRCODE = 'integrity_constraint_violation';
	END IF;
	RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_check_link BEFORE INSERT ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_check_link();

-- The head moves only to a row that exists, one step at a time.
CREATE FUNCTION audit_head_check_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.last_seq <> OLD.last_seq + 1 OR NOT EXISTS (
		SELECT 1 FROM audit_log WHERE seq = NEW.last_seq AND hash = NEW.last_hash
		AND prev_hash = OLD.last_hash) THEN
		RAISE EXCEPTION 'the audit head may only advance to the next row'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NEW;
END;
$$;
CREATE TRIGGER audit_head_check_move BEFORE UPDATE ON audit_head
	FOR EACH ROW EXECUTE FUNCTION audit_head_check_move();
