-- 0031_audit_append: append an audit row in one call, linked in SQL.
--
-- Appending used to take three statements under the chain head lock (lock
-- the head, insert, advance). cf_audit_append does the three in one call, so
-- the PostgreSQL adapter can send it pipelined with COMMIT and the head lock
-- is held only for the commit (design.md "Serialisation points"). The chain
-- rule stays the application's (chitfund/audit.h): the caller passes the
-- canonical bytes after the seq field (p_tail, built by the core); the hash
-- is SHA-256 over  prev_hash ":" <length of seq text> ":" <seq text> ";"
-- followed by p_tail, lowercase hex, exactly what `verify` recomputes in C.
-- The 0003 triggers still check that the row follows the head and that the
-- head moves one row at a time. Returns the new row's seq.
CREATE FUNCTION cf_audit_append(p_at_ms bigint, p_actor_id text, p_actor_role text,
	p_action text, p_entity text, p_entity_id text, p_summary text, p_request_id text,
	p_client_addr text, p_tail bytea) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	h audit_head%ROWTYPE;
	n bigint;
	s text;
	hx text;
BEGIN
	SELECT * INTO STRICT h FROM audit_head FOR UPDATE;
	n := h.last_seq + 1;
	s := n::text;
	hx := encode(sha256(convert_to(h.last_hash || ':' || length(s)::text || ':' || s || ';',
		'UTF8') || p_tail), 'hex');
	INSERT INTO audit_log (seq, at, actor_id, actor_role, action, entity, entity_id, summary,
		request_id, client_addr, prev_hash, hash)
	VALUES (n, cf_ts(p_at_ms), p_actor_id, p_actor_role, p_action, p_entity, p_entity_id,
		p_summary, p_request_id, p_client_addr, h.last_hash, hx);
	UPDATE audit_head SET last_seq = n, last_hash = hx;
	RETURN n;
END;
$$;
