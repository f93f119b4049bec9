-- 0004_idempotency: stored answers for Idempotency-Key (api.md conventions),
-- for the money-moving POSTs of later issues. Keys are scoped to the
-- authenticated user and kept at least 24 hours. A row is inserted as
-- 'running' when a request starts (a concurrent duplicate waits on its row
-- lock) and completed with the response, replayed byte for byte.

CREATE TABLE idempotency_keys (
	user_id uuid NOT NULL REFERENCES users (id),
	key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
	request_hash text NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
	state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done')),
	response_status integer CHECK (response_status BETWEEN 100 AND 599),
	response_body bytea,
	created_at timestamptz NOT NULL,
	completed_at timestamptz,
	CONSTRAINT idempotency_keys_pkey PRIMARY KEY (user_id, key),
	CONSTRAINT idempotency_keys_done CHECK (state = 'running' OR response_status IS NOT NULL)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
