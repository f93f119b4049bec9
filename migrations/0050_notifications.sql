-- 0050_notifications: the notification outbox. The use case that causes a
-- notification (a payment, a draw opened or settled, a removal, a demand)
-- inserts its rows in its own transaction, so a rolled-back change tells
-- nobody. Users read their own rows (read_at); a delivery worker takes rows
-- with delivered_at IS NULL (docs/operations.md "Notifications").
CREATE TABLE notifications (
	id uuid PRIMARY KEY,
	seq bigserial NOT NULL UNIQUE,
	user_id uuid NOT NULL REFERENCES users (id),
	kind text NOT NULL CHECK (kind IN ('receipt', 'auction_opened', 'auction_settled',
	                                   'member_removed', 'demand')),
	scheme_id uuid,
	subject text NOT NULL CHECK (length(subject) <= 160),
	body jsonb NOT NULL DEFAULT '{}',
	created_at timestamptz NOT NULL,
	read_at timestamptz,
	delivered_at timestamptz,
	attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0)
);
-- a user's feed, newest first (seq follows created_at)
CREATE INDEX notifications_user_idx ON notifications (user_id, seq DESC);
-- the delivery queue
CREATE INDEX notifications_undelivered_idx ON notifications (seq) WHERE delivered_at IS NULL;
