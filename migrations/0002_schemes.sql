-- 0002_schemes: schemes (chit groups) with every parameter of domain.md as a
-- typed column, their tickets and their assigned agents.

CREATE TABLE schemes (
	id uuid PRIMARY KEY,
	name text NOT NULL CHECK (length(name) <= 128),
	status text NOT NULL DEFAULT 'draft'
		CHECK (status IN ('draft', 'enrolling', 'running', 'completed', 'terminated')),
	foreman_id uuid NOT NULL REFERENCES users (id),
	created_by uuid REFERENCES users (id),
	-- parameters (domain.md "Parameters of a scheme"), every default resolved
	chit_value bigint NOT NULL CHECK (chit_value > 0),
	member_count integer NOT NULL CHECK (member_count BETWEEN 2 AND 1000),
	subscription bigint NOT NULL CHECK (subscription > 0),
	start_date date NOT NULL,
	frequency text NOT NULL CHECK (frequency IN ('monthly', 'fortnightly', 'weekly', 'daily')),
	currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
	commission_bps integer NOT NULL CHECK (commission_bps BETWEEN 0 AND 10000),
	max_discount_bps integer NOT NULL CHECK (max_discount_bps BETWEEN 0 AND 10000),
	min_discount bigint NOT NULL CHECK (min_discount >= 0),
	bid_increment bigint NOT NULL CHECK (bid_increment > 0),
	auction_method text NOT NULL
		CHECK (auction_method IN ('auction', 'sealed', 'lot', 'fixed_order')),
	lot_discount bigint NOT NULL CHECK (lot_discount >= 0),
	first_prize_to_foreman boolean NOT NULL,
	dividend_policy text NOT NULL
		CHECK (dividend_policy IN ('all_tickets', 'exclude_winner', 'prompt_payers')),
	dividend_timing text NOT NULL
		CHECK (dividend_timing IN ('next_installment', 'same_installment')),
	gst_bps integer NOT NULL CHECK (gst_bps BETWEEN 0 AND 10000),
	gst_borne_by text NOT NULL CHECK (gst_borne_by IN ('winner', 'foreman')),
	late_fee_bps_per_month integer NOT NULL CHECK (late_fee_bps_per_month BETWEEN 0 AND 10000),
	grace_days integer NOT NULL CHECK (grace_days >= 0),
	rules_profile text NOT NULL
		CHECK (rules_profile IN ('in-central-2019', 'in-central-1982', 'in-kerala-ksfe',
		                         'sg-1971', 'rosca-generic')),
	-- which optional parameters the client gave (cf_scheme_param_bit); the
	-- others follow their defaults when the scheme changes
	params_given bigint NOT NULL DEFAULT 0 CHECK (params_given BETWEEN 0 AND 4294967295),
	registration_no text CHECK (length(registration_no) <= 64),
	commencement_ref text CHECK (length(commencement_ref) <= 128),
	commenced_at timestamptz,
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL,
	row_version bigint NOT NULL DEFAULT 1 CHECK (row_version >= 1),
	-- S = V / N exactly (domain.md: V divisible by N)
	CONSTRAINT schemes_subscription_exact CHECK (subscription * member_count = chit_value),
	CONSTRAINT schemes_discounts_within_value
		CHECK (min_discount <= chit_value AND lot_discount <= chit_value)
);
CREATE INDEX schemes_created_idx ON schemes (created_at, id);
CREATE INDEX schemes_status_idx ON schemes (status, created_at, id);
CREATE INDEX schemes_foreman_idx ON schemes (foreman_id);

-- Tickets: one per (scheme, ticket_no), ticket_no in 1..member_count.
CREATE TABLE tickets (
	id uuid NOT NULL,
	scheme_id uuid NOT NULL REFERENCES schemes (id),
	ticket_no integer NOT NULL CHECK (ticket_no >= 1),
	user_id uuid NOT NULL REFERENCES users (id),
	status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed')),
	prized boolean NOT NULL DEFAULT false,
	prized_installment_no integer CHECK (prized_installment_no >= 1),
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL,
	row_version bigint NOT NULL DEFAULT 1 CHECK (row_version >= 1),
	CONSTRAINT tickets_pkey PRIMARY KEY (scheme_id, ticket_no),
	CONSTRAINT tickets_id_key UNIQUE (id),
	CONSTRAINT tickets_prized_installment CHECK (prized OR prized_installment_no IS NULL)
);
CREATE INDEX tickets_user_idx ON tickets (user_id, created_at);

-- A ticket number beyond the scheme's member count is refused by the database
-- too (23514 check_violation), whatever the application checked before.
CREATE FUNCTION tickets_check_number() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	n integer;
BEGIN
	SELECT member_count INTO n FROM schemes WHERE id = NEW.scheme_id;
	IF n IS NOT NULL AND NEW.ticket_no > n THEN
		RAISE EXCEPTION 'ticket number beyond the member count'
			USING ERRCODE = 'check_violation', CONSTRAINT = 'tickets_ticket_no_range';
	END IF;
	RETURN NEW;
END;
$$;
CREATE TRIGGER tickets_check_number BEFORE INSERT OR UPDATE OF ticket_no, scheme_id ON tickets
	FOR EACH ROW EXECUTE FUNCTION tickets_check_number();

-- Agents assigned to a scheme (api.md POST /schemes/{id}/agents).
CREATE TABLE scheme_agents (
	scheme_id uuid NOT NULL REFERENCES schemes (id),
	user_id uuid NOT NULL REFERENCES users (id),
	assigned_at timestamptz NOT NULL,
	CONSTRAINT scheme_agents_pkey PRIMARY KEY (scheme_id, user_id)
);
CREATE INDEX scheme_agents_user_idx ON scheme_agents (user_id);
