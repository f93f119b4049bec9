-- payment_floor.sql - the least work any implementation of a payment does on
-- this schema, as one server-side call, for scripts/bench-money.
--
-- Not a migration: bench-money creates this function in its throwaway
-- database after measuring the library, runs it under pgbench at the same
-- client counts, and prints its rate beside pgbench's TPC-B-like figure. It
-- is the bound the real payment (tests/bench/bench_money.c) is measured
-- against: no client round trips, no reads beyond the ticket's dues, no
-- domain logic, no idempotency claim before the work; only the rows
-- design.md and issue 5 require, written once each:
--
--   the ticket's money row (locked, version bumped) and one due (updated),
--   one allocation, two balanced ledger lines, the idempotency key with its
--   answer, the receipt notification, and, when p_serial, the two
--   serialisation points taken last: the receipt counter (numbering the
--   payment row, inserted with its number) and the audit chain head (through
--   the real cf_audit_append of migration 0031, triggers included).
--
-- With p_serial false the payment takes its number from a sequence and
-- writes no audit row: the same work without the two single rows, to show
-- what they cost. Floor payments use financial year 9999 so that they never
-- share a counter with the library's. They post ledger lines without
-- touching the dues' amounts, so `verify` is not meaningful afterwards:
-- bench-money runs this last, on a database it then drops.

CREATE SEQUENCE IF NOT EXISTS cf_bench_floor_seq START 1000000000;

CREATE OR REPLACE FUNCTION cf_bench_payment_floor(p_scheme uuid, p_ticket integer, p_user uuid,
	p_serial boolean) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	pid uuid := gen_random_uuid();
	n bigint;
	v bigint;
	d record;
BEGIN
	SELECT row_version INTO STRICT v FROM ticket_money
		WHERE scheme_id = p_scheme AND ticket_no = p_ticket FOR UPDATE;
	FOR d IN SELECT installment_no, principal_paid FROM installment_dues
		WHERE scheme_id = p_scheme AND ticket_no = p_ticket ORDER BY installment_no LOOP
		EXIT;
	END LOOP;
	UPDATE installment_dues SET principal_paid = principal_paid
		WHERE scheme_id = p_scheme AND ticket_no = p_ticket AND installment_no = 1;
	UPDATE ticket_money SET row_version = v + 1
		WHERE scheme_id = p_scheme AND ticket_no = p_ticket;
	INSERT INTO payment_allocations (payment_id, installment_no, principal, penalty,
		prev_penalty, prev_penalty_as_of, prev_base_date, prev_base_accrued)
		VALUES (pid, 1, 1000, 0, 0, DATE '2026-04-01', DATE '2026-04-01', 0);
	INSERT INTO ledger_postings (event_id, event, scheme_id, account, amount, posted_at)
		VALUES (pid, 'payment', p_scheme, 'cash', 1000, now()),
		       (pid, 'payment', p_scheme, 'member_receivable/' || p_ticket, -1000, now());
	INSERT INTO idempotency_keys (user_id, key, request_hash, state, response_status,
		response_body, created_at)
		VALUES (p_user, 'floor-' || pid, repeat('a', 64), 'done', 201,
		        convert_to(repeat('x', 600), 'UTF8'), now());
	INSERT INTO notifications (id, user_id, kind, scheme_id, subject, body, created_at)
		VALUES (gen_random_uuid(), p_user, 'receipt', p_scheme, 'Payment received',
		        jsonb_build_object('payment_id', pid, 'amount', 1000), now());
	IF p_serial THEN
		UPDATE receipt_counters SET last = last + 1 WHERE fy = 9999 RETURNING last INTO n;
		IF NOT FOUND THEN
			INSERT INTO receipt_counters (fy, last) VALUES (9999, 1)
				ON CONFLICT (fy) DO UPDATE SET last = receipt_counters.last + 1
				RETURNING last INTO n;
		END IF;
	ELSE
		n := nextval('cf_bench_floor_seq');
	END IF;
	INSERT INTO payments (id, receipt_no, receipt_fy, receipt_seq, scheme_id, ticket_no,
		payer_id, amount, method, reference, paid_on, status, principal, penalty, advance,
		fee_accrued, advance_before, dues_version, recorded_by, created_at)
		VALUES (pid, 'R/9999-00/' || CASE WHEN n >= 100000 THEN n::text
		        ELSE lpad(n::text, 6, '0') END, 9999, n, p_scheme, p_ticket,
		        p_user, 1000, 'cash', NULL, DATE '2026-05-01', 'cleared', 1000, 0, 0, 0, 0,
		        v, p_user, now());
	IF p_serial THEN
		PERFORM cf_audit_append((extract(epoch FROM now()) * 1000)::bigint, p_user::text,
			'agent', 'payment.record', 'payment', pid::text, 'floor payment', NULL, NULL,
			convert_to('floor', 'UTF8'));
	END IF;
	RETURN n;
END;
$$;
