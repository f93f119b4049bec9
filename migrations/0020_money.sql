-- 0020_money: money end to end (issue 5). Every amount is BIGINT paise.
--
--   ticket_money          one row per ticket of a running scheme: advance
--                         balance, latest paid_on, a version of its dues
--                         (bounce checks it), removal notice. Locked FOR
--                         UPDATE by every change to the ticket's dues.
--   installment_dues      a ticket's FIXED installments (domain cf_due, every
--                         field, the late-fee run included).
--   payments, payment_allocations
--                         receipts gapless per financial year (unique
--                         (receipt_fy, receipt_seq)); allocations keep the
--                         due's late-fee state before the payment so that a
--                         bounce restores it.
--   receipt_counters      one row per financial year, updated inside the
--                         payment transaction just before commit.
--   prizes, prize_securities, disbursements (maker-checker), refunds, demands.
-- Idempotency keys reuse 0004's idempotency_keys.

CREATE TABLE ticket_money (
	scheme_id uuid NOT NULL,
	ticket_no integer NOT NULL,
	advance bigint NOT NULL DEFAULT 0 CHECK (advance >= 0),
	last_paid_on date,
	dues_version bigint NOT NULL DEFAULT 0,
	notice_date date,
	notice_reason text CHECK (length(notice_reason) <= 256),
	row_version bigint NOT NULL DEFAULT 1,
	CONSTRAINT ticket_money_pkey PRIMARY KEY (scheme_id, ticket_no),
	CONSTRAINT ticket_money_ticket_fk FOREIGN KEY (scheme_id, ticket_no)
		REFERENCES tickets (scheme_id, ticket_no)
);

CREATE TABLE installment_dues (
	scheme_id uuid NOT NULL,
	ticket_no integer NOT NULL,
	installment_no integer NOT NULL CHECK (installment_no >= 1),
	due_date date NOT NULL,
	fixed boolean NOT NULL,
	fixed_on date,
	gross bigint NOT NULL CHECK (gross >= 0),
	dividend bigint NOT NULL CHECK (dividend >= 0),
	net_due bigint NOT NULL,
	principal_paid bigint NOT NULL,
	penalty bigint NOT NULL CHECK (penalty >= 0),
	penalty_paid bigint NOT NULL,
	penalty_as_of date NOT NULL,
	penalty_base_date date NOT NULL,
	penalty_base_accrued bigint NOT NULL CHECK (penalty_base_accrued >= 0),
	CONSTRAINT installment_dues_pkey PRIMARY KEY (scheme_id, ticket_no, installment_no),
	CONSTRAINT installment_dues_ticket_fk FOREIGN KEY (scheme_id, ticket_no)
		REFERENCES ticket_money (scheme_id, ticket_no),
	CONSTRAINT installment_dues_net CHECK (net_due = gross - dividend AND net_due >= 0),
	CONSTRAINT installment_dues_paid CHECK (principal_paid BETWEEN 0 AND net_due),
	CONSTRAINT installment_dues_penalty CHECK (penalty_paid BETWEEN 0 AND penalty)
);

CREATE TABLE receipt_counters (
	fy integer PRIMARY KEY CHECK (fy BETWEEN 1900 AND 9999),
	last bigint NOT NULL CHECK (last >= 1)
);

CREATE TABLE payments (
	id uuid PRIMARY KEY,
	seq bigserial NOT NULL UNIQUE,
	receipt_no text NOT NULL UNIQUE,
	receipt_fy integer NOT NULL,
	receipt_seq bigint NOT NULL CHECK (receipt_seq >= 1),
	scheme_id uuid NOT NULL,
	ticket_no integer NOT NULL,
	payer_id uuid NOT NULL REFERENCES users (id),
	amount bigint NOT NULL CHECK (amount > 0),
	method text NOT NULL CHECK (method IN ('cash', 'upi', 'bank_transfer', 'cheque')),
	reference text CHECK (length(reference) <= 128),
	paid_on date NOT NULL,
	status text NOT NULL CHECK (status IN ('cleared', 'bounced')),
	principal bigint NOT NULL CHECK (principal >= 0),
	penalty bigint NOT NULL CHECK (penalty >= 0),
	advance bigint NOT NULL CHECK (advance >= 0),
	fee_accrued bigint NOT NULL CHECK (fee_accrued >= 0),
	advance_before bigint NOT NULL CHECK (advance_before >= 0),
	dues_version bigint NOT NULL,
	recorded_by uuid NOT NULL REFERENCES users (id),
	created_at timestamptz NOT NULL,
	bounced_on date,
	bounce_reason text CHECK (length(bounce_reason) <= 256),
	CONSTRAINT payments_receipt_seq UNIQUE (receipt_fy, receipt_seq),
	CONSTRAINT payments_parts CHECK (amount = principal + penalty + advance),
	CONSTRAINT payments_bounce CHECK ((status = 'bounced') = (bounced_on IS NOT NULL)),
	CONSTRAINT payments_ticket_fk FOREIGN KEY (scheme_id, ticket_no)
		REFERENCES ticket_money (scheme_id, ticket_no)
);
CREATE INDEX payments_scheme_idx ON payments (scheme_id, seq);
CREATE INDEX payments_ticket_idx ON payments (scheme_id, ticket_no, seq);

CREATE TABLE payment_allocations (
	payment_id uuid NOT NULL REFERENCES payments (id) DEFERRABLE INITIALLY DEFERRED,
	installment_no integer NOT NULL,
	principal bigint NOT NULL CHECK (principal >= 0),
	penalty bigint NOT NULL CHECK (penalty >= 0),
	prev_penalty bigint NOT NULL,
	prev_penalty_as_of date NOT NULL,
	prev_base_date date NOT NULL,
	prev_base_accrued bigint NOT NULL,
	CONSTRAINT payment_allocations_pkey PRIMARY KEY (payment_id, installment_no)
);

CREATE TABLE prizes (
	auction_id uuid PRIMARY KEY,
	scheme_id uuid NOT NULL REFERENCES schemes (id),
	installment_no integer NOT NULL,
	ticket_no integer NOT NULL,
	draw_date date NOT NULL,
	prize_amount bigint NOT NULL CHECK (prize_amount >= 0),
	gst_deducted bigint NOT NULL CHECK (gst_deducted >= 0),
	liability bigint NOT NULL CHECK (liability >= 0),
	no_security boolean NOT NULL DEFAULT false,
	due_by date NOT NULL,
	paid boolean NOT NULL DEFAULT false,
	paid_on date,
	net_paid bigint NOT NULL DEFAULT 0,
	row_version bigint NOT NULL DEFAULT 1,
	CONSTRAINT prizes_installment UNIQUE (scheme_id, installment_no)
);

CREATE TABLE prize_securities (
	id uuid PRIMARY KEY,
	auction_id uuid NOT NULL REFERENCES prizes (auction_id),
	kind text NOT NULL CHECK (kind IN ('personal', 'property')),
	description text NOT NULL CHECK (length(description) BETWEEN 1 AND 256),
	value bigint NOT NULL CHECK (value > 0),
	created_by uuid NOT NULL REFERENCES users (id),
	created_at timestamptz NOT NULL
);
CREATE INDEX prize_securities_auction_idx ON prize_securities (auction_id, created_at);

CREATE TABLE disbursements (
	id uuid PRIMARY KEY,
	seq bigserial NOT NULL UNIQUE,
	auction_id uuid NOT NULL UNIQUE REFERENCES prizes (auction_id),
	scheme_id uuid NOT NULL REFERENCES schemes (id),
	ticket_no integer NOT NULL,
	gross_prize bigint NOT NULL,
	gst_deducted bigint NOT NULL,
	withheld bigint NOT NULL CHECK (withheld >= 0),
	amount bigint NOT NULL CHECK (amount >= 0),
	method text NOT NULL CHECK (length(method) BETWEEN 1 AND 31),
	reference text CHECK (length(reference) <= 128),
	status text NOT NULL CHECK (status IN ('pending', 'paid')),
	maker_id uuid NOT NULL REFERENCES users (id),
	checker_id uuid REFERENCES users (id),
	created_at timestamptz NOT NULL,
	paid_at timestamptz,
	row_version bigint NOT NULL DEFAULT 1,
	CONSTRAINT disbursements_amount CHECK (amount = gross_prize - gst_deducted - withheld),
	CONSTRAINT disbursements_maker_checker CHECK (checker_id IS NULL OR checker_id <> maker_id),
	CONSTRAINT disbursements_paid CHECK ((status = 'paid') = (checker_id IS NOT NULL))
);
CREATE INDEX disbursements_status_idx ON disbursements (status, seq);

CREATE TABLE refunds (
	id uuid PRIMARY KEY,
	seq bigserial NOT NULL UNIQUE,
	scheme_id uuid NOT NULL REFERENCES schemes (id),
	ticket_no integer NOT NULL,
	user_id uuid REFERENCES users (id),
	kind text NOT NULL CHECK (kind IN ('advance', 's42', 'substitution')),
	amount bigint NOT NULL CHECK (amount > 0),
	created_at timestamptz NOT NULL
);
CREATE INDEX refunds_scheme_idx ON refunds (scheme_id, seq);

CREATE TABLE demands (
	id uuid PRIMARY KEY,
	scheme_id uuid NOT NULL REFERENCES schemes (id),
	ticket_no integer NOT NULL,
	user_id uuid NOT NULL REFERENCES users (id),
	arrears bigint NOT NULL,
	future bigint NOT NULL,
	amount bigint NOT NULL,
	installments integer NOT NULL,
	created_by uuid NOT NULL REFERENCES users (id),
	created_at timestamptz NOT NULL
);
