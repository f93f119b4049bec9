-- 0021_money_receipt_last: a payment row is inserted before its receipt
-- number is taken (the counter row is updated in the last statement of the
-- payment's transaction, which also gives the row its number), so the two
-- receipt columns are NULL for the few statements in between. A payment
-- never commits without one: checked at commit by a deferred trigger.

ALTER TABLE payments ALTER COLUMN receipt_no DROP NOT NULL,
	ALTER COLUMN receipt_seq DROP NOT NULL;

CREATE FUNCTION payments_receipt_assigned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM payments WHERE id = NEW.id AND receipt_no IS NULL) THEN
		RAISE EXCEPTION 'payment % committed without a receipt number', NEW.id
			USING ERRCODE = '23514';
	END IF;
	RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER payments_receipt_assigned
	AFTER INSERT ON payments DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION payments_receipt_assigned();
