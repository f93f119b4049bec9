-- 0010_auctions: draws (issue 4) and the ledger they post first.
--
-- Tables (read by the payments/dues module; written here by the draw use
-- cases in libchitfund/src/auctions.c through adapters/postgres/pg_auctions.c):
--
--   auctions         one row per (scheme, installment): status scheduled ->
--                    open -> settled; the lot seed stays here (never served)
--                    until the settlement reveals it; bid_count and
--                    standing_discount are kept under the row lock
--                    (SELECT ... FOR UPDATE) that serialises bids.
--   bids             accepted bids in acceptance order (seq 1, 2, 3 ...);
--                    bidder_id holds the ticket; proxy_by is the foreman or
--                    admin who placed it for him (NULL: the holder himself).
--   auction_results  the settlement of a draw (the close response): every
--                    amount of domain.md "Amounts" in paise, decided_by, the
--                    lot proof (candidates as text "3,7,12"), prize_due_by.
--   auction_minutes  the s.17 minutes as stored at close: JSON text and the
--                    printable text signed off by the foreman's name.
--   dividend_credits "dividend credited to ticket t for installment k":
--                    installment_no NULL means credited to the ticket's
--                    advance (the last draw under next_installment, or the
--                    part of a dividend above the subscription).
--   ledger_postings  double-entry lines, debit positive, credit negative;
--                    the lines of one event_id sum to zero (checked at
--                    commit by a deferred constraint trigger); account is
--                    domain.md's name ("member_receivable/7"); event is the
--                    kind ("draw", "gst"; later "demand", "payment" ...).
--                    Append-only: UPDATE, DELETE and TRUNCATE are refused.

CREATE TABLE auctions (
	id uuid PRIMARY KEY,
	scheme_id uuid NOT NULL REFERENCES schemes (id),
	installment_no integer NOT NULL CHECK (installment_no >= 1),
	status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'open', 'settled')),
	scheduled_at timestamptz,
	opens_at timestamptz,
	closes_at timestamptz,
	opened_at timestamptz,
	closed_at timestamptz,
	lot_commitment text CHECK (lot_commitment ~ '^[0-9a-f]{64}$'),
	lot_seed text CHECK (lot_seed ~ '^[0-9a-f]{64}$'),
	bid_count integer NOT NULL DEFAULT 0 CHECK (bid_count >= 0),
	standing_discount bigint CHECK (standing_discount >= 0),
	extensions integer NOT NULL DEFAULT 0 CHECK (extensions >= 0),
	created_by uuid REFERENCES users (id),
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL,
	row_version bigint NOT NULL DEFAULT 1 CHECK (row_version >= 1),
	CONSTRAINT auctions_installment_key UNIQUE (scheme_id, installment_no),
	CONSTRAINT auctions_open_has_seed CHECK (status = 'scheduled' OR lot_seed IS NOT NULL)
);
-- the ticker's scan: timed auctions still to open or close
CREATE INDEX auctions_due_idx ON auctions (status, closes_at) WHERE status <> 'settled';

CREATE TABLE bids (
	id uuid PRIMARY KEY,
	auction_id uuid NOT NULL REFERENCES auctions (id),
	seq integer NOT NULL CHECK (seq >= 1),
	ticket_no integer NOT NULL CHECK (ticket_no >= 1),
	discount bigint NOT NULL CHECK (discount >= 0),
	placed_at timestamptz NOT NULL,
	bidder_id uuid REFERENCES users (id),
	proxy_by uuid REFERENCES users (id),
	CONSTRAINT bids_seq_key UNIQUE (auction_id, seq)
);

CREATE TABLE auction_results (
	auction_id uuid PRIMARY KEY REFERENCES auctions (id),
	scheme_id uuid NOT NULL REFERENCES schemes (id),
	installment_no integer NOT NULL CHECK (installment_no >= 1),
	winner_ticket_no integer NOT NULL CHECK (winner_ticket_no >= 1),
	decided_by text NOT NULL CHECK (decided_by IN ('bid', 'lot', 'no_bids', 'foreman_first',
	                                               'last_ticket', 'fixed_order')),
	discount bigint NOT NULL CHECK (discount >= 0),
	commission bigint NOT NULL CHECK (commission >= 0),
	gst_on_commission bigint NOT NULL CHECK (gst_on_commission >= 0),
	carried_in bigint NOT NULL CHECK (carried_in >= 0),
	distributable bigint NOT NULL,
	dividend_per_ticket bigint NOT NULL CHECK (dividend_per_ticket >= 0),
	dividend_shares integer NOT NULL CHECK (dividend_shares >= 0),
	dividend_total bigint NOT NULL CHECK (dividend_total >= 0),
	remainder_carried bigint NOT NULL CHECK (remainder_carried >= 0),
	remainder_to_foreman boolean NOT NULL,
	prize_amount bigint NOT NULL CHECK (prize_amount >= 0),
	net_payout bigint NOT NULL,
	dividend_applies_to_installment integer CHECK (dividend_applies_to_installment >= 1),
	net_subscription bigint CHECK (net_subscription >= 0),
	advance_per_share bigint NOT NULL CHECK (advance_per_share >= 0),
	lot_commitment text,
	lot_seed text,
	lot_candidates text CHECK (lot_candidates ~ '^[0-9]+(,[0-9]+)*$'),
	lot_index integer CHECK (lot_index >= 0),
	prize_due_by date NOT NULL,
	settled_at timestamptz NOT NULL,
	CONSTRAINT auction_results_installment_key UNIQUE (scheme_id, installment_no),
	CONSTRAINT auction_results_lot_complete
		CHECK ((lot_index IS NULL) = (lot_candidates IS NULL)),
	-- domain.md: P + C + d x shares + remainder = V + carried_in, in its parts
	CONSTRAINT auction_results_dividend CHECK (dividend_total = dividend_per_ticket * dividend_shares
	                                           AND dividend_total + remainder_carried = distributable)
);

CREATE TABLE auction_minutes (
	auction_id uuid PRIMARY KEY REFERENCES auctions (id),
	minutes_json text NOT NULL,
	minutes_text text NOT NULL
);

CREATE TABLE dividend_credits (
	id bigserial PRIMARY KEY,
	scheme_id uuid NOT NULL REFERENCES schemes (id),
	ticket_no integer NOT NULL CHECK (ticket_no >= 1),
	installment_no integer CHECK (installment_no >= 1), -- NULL: to the advance
	amount bigint NOT NULL CHECK (amount > 0),
	auction_id uuid NOT NULL REFERENCES auctions (id),
	created_at timestamptz NOT NULL,
	CONSTRAINT dividend_credits_ticket_fk FOREIGN KEY (scheme_id, ticket_no)
		REFERENCES tickets (scheme_id, ticket_no)
);
CREATE UNIQUE INDEX dividend_credits_once
	ON dividend_credits (auction_id, ticket_no, coalesce(installment_no, 0));
CREATE INDEX dividend_credits_ticket_idx
	ON dividend_credits (scheme_id, ticket_no, installment_no);

CREATE TABLE ledger_postings (
	seq bigserial PRIMARY KEY,
	event_id uuid NOT NULL,
	event text NOT NULL CHECK (length(event) BETWEEN 1 AND 31),
	scheme_id uuid NOT NULL REFERENCES schemes (id),
	account text NOT NULL CHECK (account ~ '^[a-z_]+(/[1-9][0-9]*)?$'),
	amount bigint NOT NULL CHECK (amount <> 0),
	posted_at timestamptz NOT NULL
);
CREATE INDEX ledger_postings_scheme_idx ON ledger_postings (scheme_id, seq);
CREATE INDEX ledger_postings_event_idx ON ledger_postings (event_id);

-- Every event balances: checked once per inserted row at commit time.
CREATE FUNCTION ledger_event_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	total numeric;
BEGIN
	SELECT sum(amount) INTO total FROM ledger_postings WHERE event_id = NEW.event_id;
	IF total <> 0 THEN
		RAISE EXCEPTION 'ledger event does not balance'
			USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_event_balanced';
	END IF;
	RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER ledger_event_balanced AFTER INSERT ON ledger_postings
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_event_balanced();

CREATE FUNCTION ledger_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'ledger postings are append-only'
		USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER ledger_postings_no_update BEFORE UPDATE OR DELETE ON ledger_postings
	FOR EACH ROW EXECUTE FUNCTION ledger_refuse();
CREATE TRIGGER ledger_postings_no_truncate BEFORE TRUNCATE ON ledger_postings
	FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse();
