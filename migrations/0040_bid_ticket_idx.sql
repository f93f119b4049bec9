-- 0040_bid_ticket_idx: a bid reads only the standing bid (on the auction
-- row) and the bidding ticket's highest bid, not every bid of the auction
-- (issue 4's contended-auction benchmark). This index makes that lookup,
-- SELECT max(discount) FROM bids WHERE auction_id = $1 AND ticket_no = $2,
-- an index-only probe however many bids the auction holds.
CREATE INDEX bids_ticket_idx ON bids (auction_id, ticket_no, discount);
