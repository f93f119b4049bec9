-- 0032_receipt_assign: the receipt number in one call that refuses to miss.
--
-- The receipt counter (one row per financial year) is the payment's second
-- serialisation point (design.md). cf_receipt_assign takes the next number,
-- gives it to the payment and completes the payment's idempotency key (its
-- stored answer with the number in place of the placeholder), as the
-- statement in pg_money.c's receipt_assign does, but raises when the payment
-- or the claimed key is missing, so the adapter can send it pipelined with
-- the audit append and COMMIT (one round trip, nothing to decide on the
-- client in between: an error aborts the COMMIT behind it). Returns the
-- number (receipt_seq).
CREATE FUNCTION cf_receipt_assign(p_payment uuid, p_fy integer, p_prefix text, p_idem_user uuid,
	p_idem_key text, p_status integer, p_body text, p_placeholder text, p_now_ms bigint)
	RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
	no text;
BEGIN
	INSERT INTO receipt_counters (fy, last) VALUES (p_fy, 1)
		ON CONFLICT (fy) DO UPDATE SET last = receipt_counters.last + 1
		RETURNING last INTO n;
	no := p_prefix || CASE WHEN length(n::text) >= 6 THEN n::text
		ELSE lpad(n::text, 6, '0') END;
	UPDATE payments SET receipt_seq = n, receipt_no = no WHERE id = p_payment;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'receipt for a payment that does not exist: %', p_payment
			USING ERRCODE = 'no_data_found';
	END IF;
	IF p_idem_key IS NOT NULL THEN
		UPDATE idempotency_keys SET state = 'done', response_status = p_status,
			response_body = convert_to(replace(p_body, p_placeholder, no), 'UTF8'),
			completed_at = cf_ts(p_now_ms)
		WHERE user_id = p_idem_user AND key = p_idem_key;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'receipt for an idempotency key that is not claimed'
				USING ERRCODE = 'no_data_found';
		END IF;
	END IF;
	RETURN n;
END;
$$;
