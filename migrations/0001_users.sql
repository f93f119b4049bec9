-- 0001_users: helpers, users, the UCFSIN sequence, refresh tokens and failed
-- logins.
--
-- Conventions for every migration: forward-only; applied inside one
-- transaction by the migration runner (no BEGIN/COMMIT here); money is BIGINT
-- minor units (paise) with CHECK constraints; rates are integer basis points;
-- enums are text with CHECK ... IN lists holding the wire names of api.md;
-- instants are timestamptz (the application speaks Unix milliseconds: see
-- cf_ts/cf_ms below, which round-trip them exactly); dates are date. Optional
-- text the application holds as "" is stored as NULL.

-- Unix milliseconds <-> timestamptz, exact in both directions.
CREATE FUNCTION cf_ts(ms bigint) RETURNS timestamptz LANGUAGE sql STABLE STRICT
	AS $$ SELECT timestamptz 'epoch' + ms * interval '1 millisecond' $$;
CREATE FUNCTION cf_ms(ts timestamptz) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT
	AS $$ SELECT (extract(epoch FROM ts) * 1000)::bigint $$;

-- UCFSIN sequence numbers: one global sequence from 1, never reused
-- (domain.md "UCFSIN": 8 digits). NO CYCLE: running out is an error.
CREATE SEQUENCE ucfsin_seq AS bigint START WITH 1 MINVALUE 1 MAXVALUE 99999999 NO CYCLE;

CREATE TABLE users (
	id uuid PRIMARY KEY,
	email text NOT NULL CHECK (length(email) BETWEEN 1 AND 254),
	password_hash text NOT NULL,
	full_name text NOT NULL CHECK (length(full_name) <= 128),
	phone text CHECK (length(phone) <= 20),
	role text NOT NULL CHECK (role IN ('admin', 'foreman', 'agent', 'auditor', 'subscriber')),
	is_active boolean NOT NULL DEFAULT true,
	-- CF + 2-digit year + 8-digit sequence + 2 check digits (domain.md)
	ucfsin text NOT NULL CHECK (length(ucfsin) <= 14),
	ucfsin_seq bigint NOT NULL CHECK (ucfsin_seq >= 1),
	-- Identity numbers arrive sealed by the application's cipher port
	-- (AES-256-GCM: nonce || ciphertext || tag) with the id of the key used and
	-- their masked display form; the database never sees plaintext.
	pan_key_id text CHECK (length(pan_key_id) <= 32),
	pan_enc bytea CHECK (length(pan_enc) <= 96),
	pan_masked text CHECK (length(pan_masked) <= 23),
	aadhaar_key_id text CHECK (length(aadhaar_key_id) <= 32),
	aadhaar_enc bytea CHECK (length(aadhaar_enc) <= 96),
	aadhaar_masked text CHECK (length(aadhaar_masked) <= 23),
	bank_account_key_id text CHECK (length(bank_account_key_id) <= 32),
	bank_account_enc bytea CHECK (length(bank_account_enc) <= 96),
	bank_account_masked text CHECK (length(bank_account_masked) <= 23),
	bank_ifsc text CHECK (length(bank_ifsc) <= 11),
	address text CHECK (length(address) <= 512),
	nominee_name text CHECK (length(nominee_name) <= 128),
	nominee_relation text CHECK (length(nominee_relation) <= 32),
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL,
	row_version bigint NOT NULL DEFAULT 1 CHECK (row_version >= 1),
	CONSTRAINT users_ucfsin_key UNIQUE (ucfsin),
	CONSTRAINT users_ucfsin_seq_key UNIQUE (ucfsin_seq),
	CONSTRAINT users_pan_sealed CHECK ((pan_enc IS NULL) = (pan_key_id IS NULL)),
	CONSTRAINT users_aadhaar_sealed CHECK ((aadhaar_enc IS NULL) = (aadhaar_key_id IS NULL)),
	CONSTRAINT users_bank_account_sealed
		CHECK ((bank_account_enc IS NULL) = (bank_account_key_id IS NULL))
);

-- Email is unique case-insensitively (api.md: 409 on duplicate, case-insensitive).
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
CREATE INDEX users_role_seq_idx ON users (role, ucfsin_seq);

-- Refresh tokens (api.md auth/refresh): rotated on use; a spent token presented
-- again revokes its whole family. Only the SHA-256 (hex) of a token is stored.
CREATE TABLE refresh_tokens (
	id uuid PRIMARY KEY,
	family_id uuid NOT NULL,
	user_id uuid NOT NULL REFERENCES users (id),
	token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	issued_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	spent_at timestamptz,
	revoked_at timestamptz,
	CONSTRAINT refresh_tokens_hash_key UNIQUE (token_hash)
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id) WHERE revoked_at IS NULL;
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id) WHERE revoked_at IS NULL;

-- Failed logins, counted per account key (the lowercased email, whether or not
-- an account exists) and per client address within a window (design.md:
-- CHITFUND_LOGIN_FAILURES_PER_ACCOUNT / _PER_ADDRESS / _WINDOW_S).
CREATE TABLE login_failures (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	account_key text NOT NULL CHECK (length(account_key) <= 254),
	client_addr text CHECK (length(client_addr) <= 45),
	at timestamptz NOT NULL
);
CREATE INDEX login_failures_account_idx ON login_failures (account_key, at);
CREATE INDEX login_failures_addr_idx ON login_failures (client_addr, at)
	WHERE client_addr IS NOT NULL;
CREATE INDEX login_failures_at_idx ON login_failures (at);
