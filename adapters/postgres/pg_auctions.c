/*
 * pg_auctions.c - draws in PostgreSQL (tables of migrations/0010_auctions.sql):
 * auctions, bids, results, minutes, dividend credits, ledger postings, and
 * the event sink that NOTIFYs inside the transaction (delivered on commit).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_infra/pg_notify.h"
#include "pg_adapter.h"

/* ---- auctions ---- */

#define AUCTION_COLS                                                                               \
	"id, scheme_id, installment_no, status, cf_ms(scheduled_at), cf_ms(opens_at), "            \
	"cf_ms(closes_at), cf_ms(opened_at), cf_ms(closed_at), lot_commitment, lot_seed, "         \
	"bid_count, standing_discount, extensions, created_by, cf_ms(created_at), "                \
	"cf_ms(updated_at), row_version"

static int read_auction(const PGresult *r, int row, void *item)
{
	cf_auction_row *a = item;
	char status[16];

	memset(a, 0, sizeof *a);
	if (cf_pgad_text(r, row, 0, a->id, sizeof a->id) ||
	    cf_pgad_text(r, row, 1, a->scheme_id, sizeof a->scheme_id) ||
	    cf_pgad_i32(r, row, 2, &a->installment_no) ||
	    cf_pgad_text(r, row, 3, status, sizeof status) ||
	    cf_auction_status_parse(status, &a->status) ||
	    cf_pgad_i64_or0(r, row, 4, &a->scheduled_at_ms) ||
	    cf_pgad_i64_or0(r, row, 5, &a->opens_at_ms) ||
	    cf_pgad_i64_or0(r, row, 6, &a->closes_at_ms) ||
	    cf_pgad_i64_or0(r, row, 7, &a->opened_at_ms) ||
	    cf_pgad_i64_or0(r, row, 8, &a->closed_at_ms) ||
	    cf_pgad_text(r, row, 9, a->lot_commitment, sizeof a->lot_commitment) ||
	    cf_pgad_text(r, row, 10, a->lot_seed, sizeof a->lot_seed) ||
	    cf_pgad_i32(r, row, 11, &a->bid_count) ||
	    cf_pgad_i64_or0(r, row, 12, &a->standing_discount.minor) ||
	    cf_pgad_i32(r, row, 13, &a->extensions) ||
	    cf_pgad_text(r, row, 14, a->created_by, sizeof a->created_by) ||
	    cf_pgad_i64(r, row, 15, &a->created_at_ms) ||
	    cf_pgad_i64(r, row, 16, &a->updated_at_ms) || cf_pgad_i64(r, row, 17, &a->row_version))
		return CF_ERROR;
	a->has_standing = !cf_pg_is_null(r, row, 12);
	return CF_OK;
}

/* $1..$12: the mutable columns. */
static void auction_params(cf_pg_params *p, const cf_auction_row *a)
{
	cf_pg_param_text(p, cf_auction_status_name(a->status));
	cf_pgad_param_opt_ms(p, a->scheduled_at_ms);
	cf_pgad_param_opt_ms(p, a->opens_at_ms);
	cf_pgad_param_opt_ms(p, a->closes_at_ms);
	cf_pgad_param_opt_ms(p, a->opened_at_ms);
	cf_pgad_param_opt_ms(p, a->closed_at_ms);
	cf_pgad_param_opt(p, a->lot_commitment);
	cf_pgad_param_opt(p, a->lot_seed);
	cf_pg_param_int64(p, a->bid_count);
	if (a->has_standing)
		cf_pg_param_int64(p, a->standing_discount.minor);
	else
		cf_pg_param_null(p);
	cf_pg_param_int64(p, a->extensions);
	cf_pg_param_int64(p, a->updated_at_ms);
}

#define AUCTION_SET_COLS                                                                           \
	"status, scheduled_at, opens_at, closes_at, opened_at, closed_at, lot_commitment, "        \
	"lot_seed, bid_count, standing_discount, extensions, updated_at"
#define AUCTION_SET_VALUES                                                                         \
	"$1, cf_ts($2::bigint), cf_ts($3::bigint), cf_ts($4::bigint), cf_ts($5::bigint), "         \
	"cf_ts($6::bigint), $7, $8, $9::int, $10::bigint, $11::int, cf_ts($12::bigint)"

static int a_insert(void *self, cf_tx *tx, const cf_auction_row *a)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(a->id) || !cf_pgad_is_uuid(a->scheme_id))
		return CF_EINVALID;
	cf_pg_params_init(&p);
	auction_params(&p, a);
	cf_pg_param_text(&p, a->id);
	cf_pg_param_text(&p, a->scheme_id);
	cf_pg_param_int64(&p, a->installment_no);
	cf_pgad_param_opt(&p, cf_pgad_is_uuid(a->created_by) ? a->created_by : "");
	cf_pg_param_int64(&p, a->created_at_ms);
	cf_pg_param_int64(&p, a->row_version);
	return cf_pgad_insert_once(
	        tx, "cfpg_auction_insert",
	        "INSERT INTO auctions (" AUCTION_SET_COLS ", id, scheme_id, "
	        "installment_no, created_by, created_at, row_version) VALUES "
	        "(" AUCTION_SET_VALUES ", $13::uuid, $14::uuid, $15::int, $16::uuid, "
	        "cf_ts($17::bigint), $18::bigint) ON CONFLICT DO NOTHING RETURNING 1",
	        &p);
}

static int a_get(void *self, cf_tx *tx, const char *id, cf_auction_row *out)
{
	(void)self;
	return cf_pgad_select_one_by_uuid(
	        tx, "cfpg_auction_get", "SELECT " AUCTION_COLS " FROM auctions WHERE id = $1::uuid",
	        id, read_auction, out);
}

static int a_lock(void *self, cf_tx *tx, const char *id, cf_auction_row *out)
{
	(void)self;
	return cf_pgad_select_one_by_uuid(tx, "cfpg_auction_lock",
	                                  "SELECT " AUCTION_COLS
	                                  " FROM auctions WHERE id = $1::uuid FOR UPDATE",
	                                  id, read_auction, out);
}

static int a_get_by_inst(void *self, cf_tx *tx, const char *scheme_id, int32_t k,
                         cf_auction_row *out)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(scheme_id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, scheme_id);
	cf_pg_param_int64(&p, k);
	return cf_pgad_select_one(tx, "cfpg_auction_get_inst",
	                          "SELECT " AUCTION_COLS
	                          " FROM auctions WHERE scheme_id = $1::uuid "
	                          "AND installment_no = $2::int",
	                          &p, read_auction, out);
}

static int a_update(void *self, cf_tx *tx, cf_auction_row *a)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(a->id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	auction_params(&p, a);
	cf_pg_param_text(&p, a->id);
	cf_pg_param_int64(&p, a->row_version);
	return cf_pgad_update_versioned(
	        tx, "cfpg_auction_update",
	        "UPDATE auctions SET (" AUCTION_SET_COLS ") = (" AUCTION_SET_VALUES
	        "), row_version = row_version + 1 "
	        "WHERE id = $13::uuid AND row_version = $14::bigint RETURNING 1",
	        &p, &a->row_version, "cfpg_auction_exists",
	        "SELECT 1 FROM auctions WHERE id = $1::uuid", a->id);
}

static int a_list(void *self, cf_tx *tx, const char *scheme_id, int32_t after, size_t limit,
                  cf_auction_row_array *out)
{
	cf_pg_params p;

	(void)self;
	memset(out, 0, sizeof *out);
	if (!cf_pgad_is_uuid(scheme_id))
		return CF_OK;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, scheme_id);
	cf_pg_param_int64(&p, after);
	cf_pg_param_int64(&p, (int64_t)(limit ? limit : 1));
	return cf_pgad_select_all(
	        tx, "cfpg_auction_list",
	        "SELECT " AUCTION_COLS " FROM auctions WHERE scheme_id = $1::uuid "
	        "AND installment_no > $2::int ORDER BY installment_no LIMIT $3::bigint",
	        &p, sizeof *out->items, read_auction, (void **)&out->items, &out->count);
}

static int a_list_due(void *self, cf_tx *tx, int64_t now_ms, size_t limit,
                      cf_auction_row_array *out)
{
	cf_pg_params p;

	(void)self;
	memset(out, 0, sizeof *out);
	cf_pg_params_init(&p);
	cf_pg_param_int64(&p, now_ms);
	cf_pg_param_int64(&p, (int64_t)(limit ? limit : 1));
	return cf_pgad_select_all(
	        tx, "cfpg_auction_due",
	        "SELECT " AUCTION_COLS " FROM auctions WHERE status <> 'settled' AND "
	        "((status = 'scheduled' AND opens_at <= cf_ts($1::bigint)) OR "
	        " (status = 'open' AND closes_at <= cf_ts($1::bigint))) "
	        "ORDER BY coalesce(closes_at, opens_at), id LIMIT $2::bigint",
	        &p, sizeof *out->items, read_auction, (void **)&out->items, &out->count);
}

/* ---- bids ---- */

static int b_insert(void *self, cf_tx *tx, const cf_bid_row *b)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(b->id) || !cf_pgad_is_uuid(b->auction_id))
		return CF_EINVALID;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, b->id);
	cf_pg_param_text(&p, b->auction_id);
	cf_pg_param_int64(&p, b->seq);
	cf_pg_param_int64(&p, b->ticket_no);
	cf_pg_param_int64(&p, b->discount.minor);
	cf_pg_param_int64(&p, b->placed_at_ms);
	cf_pgad_param_opt(&p, cf_pgad_is_uuid(b->bidder_id) ? b->bidder_id : "");
	cf_pgad_param_opt(&p, cf_pgad_is_uuid(b->proxy_by) ? b->proxy_by : "");
	return cf_pgad_insert_once(tx, "cfpg_bid_insert",
	                           "INSERT INTO bids (id, auction_id, seq, ticket_no, discount, "
	                           "placed_at, bidder_id, proxy_by) VALUES ($1::uuid, $2::uuid, "
	                           "$3::int, $4::int, $5::bigint, cf_ts($6::bigint), $7::uuid, "
	                           "$8::uuid) ON CONFLICT DO NOTHING RETURNING 1",
	                           &p);
}

static int read_bid(const PGresult *r, int i, void *item)
{
	cf_bid_row *b = item;

	if (cf_pgad_text(r, i, 0, b->id, sizeof b->id) ||
	    cf_pgad_text(r, i, 1, b->auction_id, sizeof b->auction_id) ||
	    cf_pgad_i32(r, i, 2, &b->seq) || cf_pgad_i32(r, i, 3, &b->ticket_no) ||
	    cf_pgad_i64(r, i, 4, &b->discount.minor) || cf_pgad_i64(r, i, 5, &b->placed_at_ms) ||
	    cf_pgad_text(r, i, 6, b->bidder_id, sizeof b->bidder_id) ||
	    cf_pgad_text(r, i, 7, b->proxy_by, sizeof b->proxy_by))
		return CF_ERROR;
	return CF_OK;
}

static int b_list(void *self, cf_tx *tx, const char *auction_id, cf_bid_row_array *out)
{
	cf_pg_params p;

	(void)self;
	memset(out, 0, sizeof *out);
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, cf_pgad_is_uuid(auction_id) ? auction_id
	                                                 : "00000000-0000-0000-0000-000000000000");
	return cf_pgad_select_all(
	        tx, "cfpg_bid_list",
	        "SELECT id, auction_id, seq, ticket_no, discount, cf_ms(placed_at), "
	        "bidder_id, proxy_by FROM bids WHERE auction_id = $1::uuid ORDER BY "
	        "seq",
	        &p, sizeof *out->items, read_bid, (void **)&out->items, &out->count);
}

static int b_ticket_max(void *self, cf_tx *tx, const char *auction_id, int32_t ticket_no,
                        bool *found, cf_money *max)
{
	cf_pg_params p;
	PGresult *r = NULL;
	int rc;

	(void)self;
	*found = false;
	*max = cf_money_of(0);
	if (!cf_pgad_is_uuid(auction_id))
		return CF_OK;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, auction_id);
	cf_pg_param_int64(&p, ticket_no);
	rc = cf_pgad_run(tx, "cfpg_bid_ticket_max",
	                 "SELECT max(discount) FROM bids WHERE auction_id = $1::uuid "
	                 "AND ticket_no = $2::int",
	                 &p, &r);
	if (rc != CF_OK)
		return rc;
	if (PQntuples(r) == 1 && !cf_pg_is_null(r, 0, 0)) {
		if (cf_pgad_i64(r, 0, 0, &max->minor))
			rc = CF_ERROR;
		else
			*found = true;
	}
	PQclear(r);
	return rc;
}

/*
 * The auction row and the bid in one statement: the UPDATE takes the row
 * lock (waiting for a holder, then re-checking row_version on the row as
 * that holder left it) and the bid goes in only when the row was updated.
 * Nothing is written on CF_ECONFLICT / CF_ENOTFOUND; on CF_EEXISTS (seq
 * taken, which the row's bid_count rules out) the row was updated and the
 * caller rolls back.
 */
static int b_append(void *self, cf_tx *tx, const cf_bid_row *b, cf_auction_row *a)
{
	cf_pg_params p;
	PGresult *r = NULL;
	int32_t upd = 0, ins = 0;
	bool exists = false;
	int rc;

	(void)self;
	if (!cf_pgad_is_uuid(b->id) || !cf_pgad_is_uuid(b->auction_id) ||
	    strcmp(a->id, b->auction_id) != 0)
		return CF_EINVALID;
	cf_pg_params_init(&p);
	auction_params(&p, a);
	cf_pg_param_text(&p, a->id);
	cf_pg_param_int64(&p, a->row_version);
	cf_pg_param_text(&p, b->id);
	cf_pg_param_int64(&p, b->seq);
	cf_pg_param_int64(&p, b->ticket_no);
	cf_pg_param_int64(&p, b->discount.minor);
	cf_pg_param_int64(&p, b->placed_at_ms);
	cf_pgad_param_opt(&p, cf_pgad_is_uuid(b->bidder_id) ? b->bidder_id : "");
	cf_pgad_param_opt(&p, cf_pgad_is_uuid(b->proxy_by) ? b->proxy_by : "");
	rc = cf_pgad_run(tx, "cfpg_bid_append",
	                 "WITH upd AS (UPDATE auctions SET (" AUCTION_SET_COLS
	                 ") = (" AUCTION_SET_VALUES "), row_version = row_version + 1 "
	                 "WHERE id = $13::uuid AND row_version = $14::bigint RETURNING id), "
	                 "ins AS (INSERT INTO bids (id, auction_id, seq, ticket_no, discount, "
	                 "placed_at, bidder_id, proxy_by) SELECT $15::uuid, upd.id, $16::int, "
	                 "$17::int, $18::bigint, cf_ts($19::bigint), $20::uuid, $21::uuid FROM upd "
	                 "ON CONFLICT DO NOTHING RETURNING 1) "
	                 "SELECT (SELECT count(*) FROM upd)::int, (SELECT count(*) FROM ins)::int, "
	                 "EXISTS (SELECT 1 FROM auctions WHERE id = $13::uuid)",
	                 &p, &r);
	if (rc != CF_OK)
		return rc;
	if (PQntuples(r) != 1 || cf_pgad_i32(r, 0, 0, &upd) || cf_pgad_i32(r, 0, 1, &ins) ||
	    cf_pgad_bool(r, 0, 2, &exists)) {
		PQclear(r);
		return CF_ERROR;
	}
	PQclear(r);
	if (upd == 0)
		return exists ? CF_ECONFLICT : CF_ENOTFOUND;
	if (ins == 0)
		return CF_EEXISTS;
	a->row_version++;
	return CF_OK;
}

/* ---- results ---- */

#define RESULT_COLS                                                                                \
	"auction_id, scheme_id, installment_no, winner_ticket_no, decided_by, discount, "          \
	"commission, gst_on_commission, carried_in, distributable, dividend_per_ticket, "          \
	"dividend_shares, dividend_total, remainder_carried, remainder_to_foreman, prize_amount, " \
	"net_payout, dividend_applies_to_installment, net_subscription, advance_per_share, "       \
	"lot_commitment, lot_seed, lot_candidates, lot_index, "                                    \
	"to_char(prize_due_by, 'YYYY-MM-DD'), cf_ms(settled_at)"

static int read_result(const PGresult *r, int row, void *item)
{
	cf_auction_result *x = item;
	cf_settlement *s = &x->s;
	char decided[24], date[16];

	memset(x, 0, sizeof *x);
	if (cf_pgad_text(r, row, 0, x->auction_id, sizeof x->auction_id) ||
	    cf_pgad_text(r, row, 1, x->scheme_id, sizeof x->scheme_id) ||
	    cf_pgad_i32(r, row, 2, &x->installment_no) ||
	    cf_pgad_i32(r, row, 3, &s->winner_ticket_no) ||
	    cf_pgad_text(r, row, 4, decided, sizeof decided) ||
	    cf_decided_by_parse(decided, &s->decided_by) ||
	    cf_pgad_i64(r, row, 5, &s->discount.minor) ||
	    cf_pgad_i64(r, row, 6, &s->commission.minor) ||
	    cf_pgad_i64(r, row, 7, &s->gst_on_commission.minor) ||
	    cf_pgad_i64(r, row, 8, &s->carried_in.minor) ||
	    cf_pgad_i64(r, row, 9, &s->distributable.minor) ||
	    cf_pgad_i64(r, row, 10, &s->dividend_per_ticket.minor) ||
	    cf_pgad_i32(r, row, 11, &s->dividend_shares) ||
	    cf_pgad_i64(r, row, 12, &s->dividend_total.minor) ||
	    cf_pgad_i64(r, row, 13, &s->remainder_carried.minor) ||
	    cf_pgad_bool(r, row, 14, &s->remainder_to_foreman) ||
	    cf_pgad_i64(r, row, 15, &s->prize_amount.minor) ||
	    cf_pgad_i64(r, row, 16, &s->net_payout.minor) ||
	    cf_pgad_i32_or0(r, row, 17, &s->dividend_applies_to_installment) ||
	    cf_pgad_i64_or0(r, row, 18, &s->net_subscription.minor) ||
	    cf_pgad_i64(r, row, 19, &s->advance_per_share.minor) ||
	    cf_pgad_text(r, row, 20, x->lot_commitment, sizeof x->lot_commitment) ||
	    cf_pgad_text(r, row, 21, x->lot_seed, sizeof x->lot_seed) ||
	    cf_pgad_text(r, row, 22, x->lot_candidates, sizeof x->lot_candidates) ||
	    cf_pgad_i32_or0(r, row, 23, &x->lot_index) ||
	    cf_pgad_text(r, row, 24, date, sizeof date) ||
	    cf_date_parse(date, strlen(date), &x->prize_due_by) ||
	    cf_pgad_i64(r, row, 25, &x->settled_at_ms))
		return CF_ERROR;
	s->draw_no = x->installment_no;
	s->net_subscription_known = !cf_pg_is_null(r, row, 18);
	x->has_lot = !cf_pg_is_null(r, row, 22);
	return CF_OK;
}

static int r_insert(void *self, cf_tx *tx, const cf_auction_result *x)
{
	const cf_settlement *s = &x->s;
	cf_pg_params p;
	char date[16];

	(void)self;
	if (!cf_pgad_is_uuid(x->auction_id) || !cf_pgad_is_uuid(x->scheme_id) ||
	    cf_date_format(x->prize_due_by, date, sizeof date) != CF_OK)
		return CF_EINVALID;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, x->auction_id);
	cf_pg_param_text(&p, x->scheme_id);
	cf_pg_param_int64(&p, x->installment_no);
	cf_pg_param_int64(&p, s->winner_ticket_no);
	cf_pg_param_text(&p, cf_decided_by_name(s->decided_by));
	cf_pg_param_int64(&p, s->discount.minor);
	cf_pg_param_int64(&p, s->commission.minor);
	cf_pg_param_int64(&p, s->gst_on_commission.minor);
	cf_pg_param_int64(&p, s->carried_in.minor);
	cf_pg_param_int64(&p, s->distributable.minor);
	cf_pg_param_int64(&p, s->dividend_per_ticket.minor);
	cf_pg_param_int64(&p, s->dividend_shares);
	cf_pg_param_int64(&p, s->dividend_total.minor);
	cf_pg_param_int64(&p, s->remainder_carried.minor);
	cf_pg_param_bool(&p, s->remainder_to_foreman);
	cf_pg_param_int64(&p, s->prize_amount.minor);
	cf_pg_param_int64(&p, s->net_payout.minor);
	if (s->dividend_applies_to_installment > 0)
		cf_pg_param_int64(&p, s->dividend_applies_to_installment);
	else
		cf_pg_param_null(&p);
	if (s->net_subscription_known)
		cf_pg_param_int64(&p, s->net_subscription.minor);
	else
		cf_pg_param_null(&p);
	cf_pg_param_int64(&p, s->advance_per_share.minor);
	cf_pgad_param_opt(&p, x->lot_commitment);
	cf_pgad_param_opt(&p, x->lot_seed);
	cf_pgad_param_opt(&p, x->has_lot ? x->lot_candidates : "");
	if (x->has_lot)
		cf_pg_param_int64(&p, x->lot_index);
	else
		cf_pg_param_null(&p);
	cf_pg_param_text(&p, date);
	cf_pg_param_int64(&p, x->settled_at_ms);
	return cf_pgad_insert_once(
	        tx, "cfpg_result_insert",
	        "INSERT INTO auction_results (auction_id, scheme_id, installment_no, "
	        "winner_ticket_no, decided_by, discount, commission, gst_on_commission, "
	        "carried_in, "
	        "distributable, dividend_per_ticket, dividend_shares, dividend_total, "
	        "remainder_carried, remainder_to_foreman, prize_amount, net_payout, "
	        "dividend_applies_to_installment, net_subscription, advance_per_share, "
	        "lot_commitment, lot_seed, lot_candidates, lot_index, prize_due_by, settled_at) "
	        "VALUES ($1::uuid, $2::uuid, $3::int, $4::int, $5, $6::bigint, $7::bigint, "
	        "$8::bigint, $9::bigint, $10::bigint, $11::bigint, $12::int, $13::bigint, "
	        "$14::bigint, $15::boolean, $16::bigint, $17::bigint, $18::int, $19::bigint, "
	        "$20::bigint, $21, $22, $23, $24::int, $25::date, cf_ts($26::bigint)) "
	        "ON CONFLICT DO NOTHING RETURNING 1",
	        &p);
}

static int r_get(void *self, cf_tx *tx, const char *auction_id, cf_auction_result *out)
{
	(void)self;
	return cf_pgad_select_one_by_uuid(tx, "cfpg_result_get",
	                                  "SELECT " RESULT_COLS
	                                  " FROM auction_results WHERE auction_id = $1::uuid",
	                                  auction_id, read_result, out);
}

static int r_list(void *self, cf_tx *tx, const char *scheme_id, cf_auction_result_array *out)
{
	(void)self;
	memset(out, 0, sizeof *out);
	return cf_pgad_select_all_by_uuid(
	        tx, "cfpg_result_list",
	        "SELECT " RESULT_COLS " FROM auction_results WHERE scheme_id = "
	        "$1::uuid ORDER BY installment_no",
	        scheme_id, sizeof *out->items, read_result, (void **)&out->items, &out->count);
}

/* ---- minutes ---- */

static int mn_put(void *self, cf_tx *tx, const char *auction_id, const char *json, const char *text)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(auction_id))
		return CF_EINVALID;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, auction_id);
	cf_pg_param_text(&p, json);
	cf_pg_param_text(&p, text);
	return cf_pgad_insert_once(
	        tx, "cfpg_minutes_put",
	        "INSERT INTO auction_minutes (auction_id, minutes_json, minutes_text) "
	        "VALUES ($1::uuid, $2, $3) ON CONFLICT DO NOTHING RETURNING 1",
	        &p);
}

static int mn_get(void *self, cf_tx *tx, const char *auction_id, bool as_text, char **out)
{
	cf_pg_params p;
	PGresult *r = NULL;
	int rc;

	(void)self;
	*out = NULL;
	if (!cf_pgad_is_uuid(auction_id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, auction_id);
	cf_pg_param_bool(&p, as_text);
	rc = cf_pgad_run(tx, "cfpg_minutes_get",
	                 "SELECT CASE WHEN $2::boolean THEN minutes_text ELSE minutes_json END "
	                 "FROM auction_minutes WHERE auction_id = $1::uuid",
	                 &p, &r);
	if (rc != CF_OK)
		return rc;
	if (PQntuples(r) == 0) {
		rc = CF_ENOTFOUND;
	} else {
		*out = strdup(PQgetvalue(r, 0, 0));
		rc = *out ? CF_OK : CF_ENOMEM;
	}
	PQclear(r);
	return rc;
}

/* ---- array parameters ---- */

typedef struct abuf {
	char *s;
	size_t len, cap;
	bool oom;
} abuf;

static void ab_put(abuf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 128;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		if ((p = realloc(b->s, cap)) == NULL) {
			b->oom = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

static void ab_i64(abuf *b, bool first, int64_t v)
{
	char t[24];

	snprintf(t, sizeof t, "%s%" PRId64, first ? "{" : ",", v);
	ab_put(b, t);
}

/* Array elements here are uuids and [a-z_/0-9] names: quoting them is enough. */
static void ab_text(abuf *b, bool first, const char *s)
{
	ab_put(b, first ? "{\"" : ",\"");
	ab_put(b, s);
	ab_put(b, "\"");
}

static void ab_end(abuf *b, size_t n)
{
	ab_put(b, n ? "}" : "{}");
}

/* ---- dividend credits ---- */

static int c_insert(void *self, cf_tx *tx, const cf_dividend_credit *c, size_t n)
{
	abuf sch = {0}, tno = {0}, ino = {0}, amt = {0}, auc = {0}, at = {0};
	cf_pg_params p;
	int rc;

	(void)self;
	if (n == 0)
		return CF_OK;
	for (size_t i = 0; i < n; i++) {
		if (!cf_pgad_is_uuid(c[i].scheme_id) || !cf_pgad_is_uuid(c[i].auction_id)) {
			rc = CF_EINVALID;
			goto out;
		}
		ab_text(&sch, i == 0, c[i].scheme_id);
		ab_i64(&tno, i == 0, c[i].ticket_no);
		if (c[i].installment_no > 0)
			ab_i64(&ino, i == 0, c[i].installment_no);
		else
			ab_put(&ino, i == 0 ? "{NULL" : ",NULL");
		ab_i64(&amt, i == 0, c[i].amount.minor);
		ab_text(&auc, i == 0, c[i].auction_id);
		ab_i64(&at, i == 0, c[i].created_at_ms);
	}
	ab_end(&sch, n), ab_end(&tno, n), ab_end(&ino, n), ab_end(&amt, n), ab_end(&auc, n),
	        ab_end(&at, n);
	if (sch.oom || tno.oom || ino.oom || amt.oom || auc.oom || at.oom) {
		rc = CF_ENOMEM;
		goto out;
	}
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, sch.s);
	cf_pg_param_text(&p, tno.s);
	cf_pg_param_text(&p, ino.s);
	cf_pg_param_text(&p, amt.s);
	cf_pg_param_text(&p, auc.s);
	cf_pg_param_text(&p, at.s);
	rc = cf_pgad_run(tx, "cfpg_credit_insert",
	                 "INSERT INTO dividend_credits (scheme_id, ticket_no, installment_no, "
	                 "amount, auction_id, created_at) SELECT s, t, i, a, u, cf_ts(m) FROM "
	                 "unnest($1::uuid[], $2::int[], $3::int[], $4::bigint[], $5::uuid[], "
	                 "$6::bigint[]) AS x(s, t, i, a, u, m)",
	                 &p, NULL);
out:
	free(sch.s), free(tno.s), free(ino.s), free(amt.s), free(auc.s), free(at.s);
	return rc;
}

static int read_credit(const PGresult *r, int i, void *item)
{
	cf_dividend_credit *c = item;

	if (cf_pgad_text(r, i, 0, c->scheme_id, sizeof c->scheme_id) ||
	    cf_pgad_i32(r, i, 1, &c->ticket_no) || cf_pgad_i32_or0(r, i, 2, &c->installment_no) ||
	    cf_pgad_i64(r, i, 3, &c->amount.minor) ||
	    cf_pgad_text(r, i, 4, c->auction_id, sizeof c->auction_id) ||
	    cf_pgad_i64(r, i, 5, &c->created_at_ms))
		return CF_ERROR;
	return CF_OK;
}

static int c_list(void *self, cf_tx *tx, const char *scheme_id, cf_dividend_credit_array *out)
{
	(void)self;
	memset(out, 0, sizeof *out);
	return cf_pgad_select_all_by_uuid(
	        tx, "cfpg_credit_list",
	        "SELECT scheme_id, ticket_no, installment_no, amount, auction_id, "
	        "cf_ms(created_at) FROM dividend_credits WHERE scheme_id = $1::uuid "
	        "ORDER BY coalesce(installment_no, 2147483647), ticket_no, auction_id",
	        scheme_id, sizeof *out->items, read_credit, (void **)&out->items, &out->count);
}

/* ---- ledger ---- */

static int l_post(void *self, cf_tx *tx, const cf_ledger_line *l, size_t n)
{
	abuf ev = {0}, kind = {0}, sch = {0}, acct = {0}, amt = {0}, at = {0};
	cf_pg_params p;
	int rc;

	(void)self;
	if (n == 0)
		return CF_OK;
	for (size_t i = 0; i < n; i++) {
		const char *k = l[i].event;

		if (!cf_pgad_is_uuid(l[i].event_id) || !cf_pgad_is_uuid(l[i].scheme_id) ||
		    strpbrk(k, "\"\\{},") != NULL || strpbrk(l[i].account, "\"\\{},") != NULL) {
			rc = CF_EINVALID;
			goto out;
		}
		ab_text(&ev, i == 0, l[i].event_id);
		ab_text(&kind, i == 0, k);
		ab_text(&sch, i == 0, l[i].scheme_id);
		ab_text(&acct, i == 0, l[i].account);
		ab_i64(&amt, i == 0, l[i].amount.minor);
		ab_i64(&at, i == 0, l[i].posted_at_ms);
	}
	ab_end(&ev, n), ab_end(&kind, n), ab_end(&sch, n), ab_end(&acct, n), ab_end(&amt, n),
	        ab_end(&at, n);
	if (ev.oom || kind.oom || sch.oom || acct.oom || amt.oom || at.oom) {
		rc = CF_ENOMEM;
		goto out;
	}
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, ev.s);
	cf_pg_param_text(&p, kind.s);
	cf_pg_param_text(&p, sch.s);
	cf_pg_param_text(&p, acct.s);
	cf_pg_param_text(&p, amt.s);
	cf_pg_param_text(&p, at.s);
	rc = cf_pgad_write(
	        tx, "cfpg_ledger_post",
	        "INSERT INTO ledger_postings (event_id, event, scheme_id, account, amount, "
	        "posted_at) SELECT e, k, s, a, v, cf_ts(m) FROM unnest($1::uuid[], "
	        "$2::text[], $3::uuid[], $4::text[], $5::bigint[], $6::bigint[]) WITH "
	        "ORDINALITY AS x(e, k, s, a, v, m, o) ORDER BY o",
	        &p, NULL);
out:
	free(ev.s), free(kind.s), free(sch.s), free(acct.s), free(amt.s), free(at.s);
	return rc;
}

static int read_ledger_line(const PGresult *r, int i, void *item)
{
	cf_ledger_line *x = item;

	if (cf_pgad_text(r, i, 0, x->event_id, sizeof x->event_id) ||
	    cf_pgad_text(r, i, 1, x->event, sizeof x->event) ||
	    cf_pgad_text(r, i, 2, x->scheme_id, sizeof x->scheme_id) ||
	    cf_pgad_text(r, i, 3, x->account, sizeof x->account) ||
	    cf_pgad_i64(r, i, 4, &x->amount.minor) || cf_pgad_i64(r, i, 5, &x->posted_at_ms) ||
	    cf_pgad_i64(r, i, 6, &x->seq))
		return CF_ERROR;
	return CF_OK;
}

static int l_list(void *self, cf_tx *tx, const char *scheme_id, cf_ledger_line_array *out)
{
	(void)self;
	memset(out, 0, sizeof *out);
	return cf_pgad_select_all_by_uuid(
	        tx, "cfpg_ledger_list",
	        "SELECT event_id, event, scheme_id, account, amount, cf_ms(posted_at), seq "
	        "FROM ledger_postings WHERE scheme_id = $1::uuid ORDER BY seq",
	        scheme_id, sizeof *out->items, read_ledger_line, (void **)&out->items, &out->count);
}

/* ---- events: NOTIFY inside the transaction, delivered on commit ---- */

/*
 * The NOTIFY is queued to go with the COMMIT (cf_pgad_defer): it is
 * delivered at commit anyway, and sent there it costs no round trip while
 * the auction row is locked. The payload is checked here, as
 * cf_pg_notify_send does, so an oversized one fails the use case, not the
 * commit.
 */
static int ev_publish(void *self, cf_tx *tx, const char *key, const char *json)
{
	const char *params[2] = {CF_PG_NOTIFY_AUCTION_CHANNEL, json};

	(void)self;
	(void)key; /* the payload names its auction_id */
	if (tx == NULL || tx->conn == NULL || json == NULL)
		return CF_EINVALID;
	if (strnlen(json, CF_PG_NOTIFY_MAX_PAYLOAD + 1) > CF_PG_NOTIFY_MAX_PAYLOAD)
		return CF_EINVALID;
	return cf_pgad_defer(tx, "cfpg_a_notify", "SELECT pg_notify($1, $2)", 2, params, NULL, NULL,
	                     NULL, NULL);
}

void cf_pgad_auction_ports(cf_pg_store *s, cf_ports *out)
{
	out->auctions = (cf_auction_repo){CF_AUCTION_REPO_VERSION,
	                                  s,
	                                  a_insert,
	                                  a_get,
	                                  a_lock,
	                                  a_get_by_inst,
	                                  a_update,
	                                  a_list,
	                                  a_list_due,
	                                  b_insert,
	                                  b_list,
	                                  r_insert,
	                                  r_get,
	                                  r_list,
	                                  mn_put,
	                                  mn_get,
	                                  c_insert,
	                                  c_list,
	                                  b_ticket_max,
	                                  b_append};
	out->ledger = (cf_ledger_repo){CF_LEDGER_REPO_VERSION, s, l_post, l_list};
	out->events = (cf_event_sink){CF_EVENT_SINK_VERSION, s, ev_publish};
}
