/*
 * pg_money.c - the money repository port and the overdue source in
 * PostgreSQL (tables of migrations/0020_money.sql; idempotency keys in
 * 0004's idempotency_keys).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/sys/money_repo.h"
#include "chitfund/adapters/postgres_money.h"
#include "pg_adapter.h"

/* ---- small helpers ---- */

typedef struct dbuf {
	char s[16];
} dbuf;

/* A date parameter ("YYYY-MM-DD"), NULL for an invalid (unset) date. */
static void param_date(cf_pg_params *p, cf_date d, dbuf *b)
{
	if (cf_date_valid(d) && cf_date_format(d, b->s, sizeof b->s) == CF_OK)
		cf_pg_param_text(p, b->s);
	else
		cf_pg_param_null(p);
}

/* Read a date column (to_char'd); NULL gives {0,0,0}. */
static int get_date(const PGresult *r, int row, int col, cf_date *out)
{
	char b[16];

	memset(out, 0, sizeof *out);
	if (cf_pg_is_null(r, row, col))
		return CF_OK;
	if (cf_pgad_text(r, row, col, b, sizeof b) != CF_OK)
		return CF_ERROR;
	return cf_date_parse(b, strlen(b), out) == CF_OK ? CF_OK : CF_ERROR;
}

static int get_money(const PGresult *r, int row, int col, cf_money *out)
{
	return cf_pgad_i64_or0(r, row, col, &out->minor);
}

#define D(c) "to_char(" c ", 'YYYY-MM-DD')"

/*
 * A row by its uuid key: CF_ENOTFOUND for a non-uuid key, else *out (size
 * bytes, zeroed first) read with fn from the plain statement or, with lock,
 * the FOR UPDATE one.
 */
typedef struct get_stmts {
	const char *name, *sql, *lock_name, *lock_sql;
} get_stmts;

static int get_by_uuid(cf_tx *tx, const get_stmts *q, const char *id, bool lock, cf_pgad_row_fn fn,
                       void *out, size_t size)
{
	if (!cf_pgad_is_uuid(id))
		return CF_ENOTFOUND;
	memset(out, 0, size);
	if (lock)
		return cf_pgad_select_one_by_uuid(tx, q->lock_name, q->lock_sql, id, fn, out);
	return cf_pgad_select_one_by_uuid(tx, q->name, q->sql, id, fn, out);
}

/* The plain and FOR UPDATE forms of one SELECT, named name and lock_name. */
#define GET_STMTS(name, lock_name, sql)                                                            \
	{                                                                                          \
		name, sql, lock_name, sql " FOR UPDATE"                                            \
	}

/*
 * $1 = an optional scheme filter: "" is NULL (every scheme). False, with
 * nothing to run, when it is neither "" nor a uuid (it matches nothing).
 */
static bool param_scheme_filter(cf_pg_params *p, const char *scheme_id)
{
	if (scheme_id[0] && !cf_pgad_is_uuid(scheme_id))
		return false;
	cf_pg_params_init(p);
	cf_pgad_param_opt(p, scheme_id);
	return true;
}

/* ---- ticket accounts ---- */

#define ACCT_COLS                                                                                  \
	"scheme_id, ticket_no, advance, " D("last_paid_on") ", dues_version, " D(                  \
	        "notice_date") ", notice_reason, row_version"

static int read_acct(const PGresult *r, int i, void *item)
{
	cf_ticket_acct *a = item;

	if (cf_pgad_text(r, i, 0, a->scheme_id, sizeof a->scheme_id) ||
	    cf_pgad_i32(r, i, 1, &a->ticket_no) || get_money(r, i, 2, &a->advance) ||
	    get_date(r, i, 3, &a->last_paid_on) || cf_pgad_i64(r, i, 4, &a->dues_version) ||
	    get_date(r, i, 5, &a->notice_date) ||
	    cf_pgad_text(r, i, 6, a->notice_reason, sizeof a->notice_reason) ||
	    cf_pgad_i64(r, i, 7, &a->row_version))
		return CF_ERROR;
	return CF_OK;
}

static int acct_insert(void *self, cf_tx *tx, const cf_ticket_acct *a)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(a->scheme_id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, a->scheme_id);
	cf_pg_param_int64(&p, a->ticket_no);
	cf_pg_param_int64(&p, a->advance.minor);
	return cf_pgad_insert_once(
	        tx, "cfpg_m_acct_insert",
	        "INSERT INTO ticket_money (scheme_id, ticket_no, advance) VALUES "
	        "($1::uuid, $2::int, $3::bigint) ON CONFLICT DO NOTHING RETURNING 1",
	        &p);
}

static int acct_get(void *self, cf_tx *tx, const char *scheme_id, int32_t no, bool lock,
                    cf_ticket_acct *out)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(scheme_id))
		return CF_ENOTFOUND;
	memset(out, 0, sizeof *out);
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, scheme_id);
	cf_pg_param_int64(&p, no);
	if (lock)
		return cf_pgad_select_one(tx, "cfpg_m_acct_lock",
		                          "SELECT " ACCT_COLS
		                          " FROM ticket_money WHERE scheme_id = $1::uuid "
		                          "AND ticket_no = $2::int FOR UPDATE",
		                          &p, read_acct, out);
	return cf_pgad_select_one(tx, "cfpg_m_acct_get",
	                          "SELECT " ACCT_COLS
	                          " FROM ticket_money WHERE scheme_id = $1::uuid "
	                          "AND ticket_no = $2::int",
	                          &p, read_acct, out);
}

static int acct_update(void *self, cf_tx *tx, cf_ticket_acct *a)
{
	cf_pg_params p;
	dbuf d1, d2;
	int rows, rc;

	(void)self;
	if (!cf_pgad_is_uuid(a->scheme_id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, a->scheme_id);
	cf_pg_param_int64(&p, a->ticket_no);
	cf_pg_param_int64(&p, a->advance.minor);
	param_date(&p, a->last_paid_on, &d1);
	cf_pg_param_int64(&p, a->dues_version);
	param_date(&p, a->notice_date, &d2);
	cf_pgad_param_opt(&p, a->notice_reason);
	cf_pg_param_int64(&p, a->row_version);
#define ACCT_UPDATE                                                                                \
	"UPDATE ticket_money SET advance = $3::bigint, last_paid_on = $4::date, dues_version = "   \
	"$5::bigint, notice_date = $6::date, notice_reason = $7, row_version = row_version + 1 "   \
	"WHERE scheme_id = $1::uuid AND ticket_no = $2::int AND row_version = $8::bigint "         \
	"RETURNING 1"
	if (tx->defer_writes) /* sent with the COMMIT: a stale version must raise (40001: retry) */
		rc = cf_pgad_write(tx, "cfpg_m_acct_update_d",
		                   "WITH u AS (" ACCT_UPDATE
		                   ") SELECT cf_expect_one((SELECT count(*) "
		                   "FROM u), 'ticket_money')",
		                   &p, &rows);
	else
		rc = cf_pgad_run_count(tx, "cfpg_m_acct_update", ACCT_UPDATE, &p, &rows);
#undef ACCT_UPDATE
	if (rc != CF_OK)
		return rc;
	if (rows == 0)
		return CF_ECONFLICT;
	a->row_version++;
	return CF_OK;
}

static int acct_list(void *self, cf_tx *tx, const char *scheme_id, cf_ticket_acct_array *out)
{
	(void)self;
	memset(out, 0, sizeof *out);
	return cf_pgad_select_all_by_uuid(
	        tx, "cfpg_m_acct_list",
	        "SELECT " ACCT_COLS " FROM ticket_money WHERE scheme_id = $1::uuid "
	        "ORDER BY ticket_no",
	        scheme_id, sizeof *out->items, read_acct, (void **)&out->items, &out->count);
}

/* ---- dues ---- */

#define DUE_COLS                                                                                   \
	"ticket_no, installment_no, " D("due_date") ", fixed, " D(                                 \
	        "fixed_on") ", gross, dividend, net_due, principal_paid, penalty, "                \
	                    "penalty_paid, " D("penalty_as_of") ", " D("penalty_base_date") ", "   \
	                                                                                    "pena" \
	                                                                                    "lty_" \
	                                                                                    "base" \
	                                                                                    "_acc" \
	                                                                                    "rued"

static int read_due(const PGresult *r, int i, void *item)
{
	cf_due_row *x = item;
	cf_due *d = &x->due;

	if (cf_pgad_i32(r, i, 0, &x->ticket_no) || cf_pgad_i32(r, i, 1, &d->installment_no) ||
	    get_date(r, i, 2, &d->due_date) || cf_pgad_bool(r, i, 3, &d->fixed) ||
	    get_date(r, i, 4, &d->fixed_on) || get_money(r, i, 5, &d->gross) ||
	    get_money(r, i, 6, &d->dividend) || get_money(r, i, 7, &d->net_due) ||
	    get_money(r, i, 8, &d->principal_paid) || get_money(r, i, 9, &d->penalty) ||
	    get_money(r, i, 10, &d->penalty_paid) || get_date(r, i, 11, &d->penalty_as_of) ||
	    get_date(r, i, 12, &d->penalty_base_date) ||
	    get_money(r, i, 13, &d->penalty_base_accrued))
		return CF_ERROR;
	return CF_OK;
}

static int due_put(void *self, cf_tx *tx, const char *scheme_id, int32_t no, const cf_due *d)
{
	cf_pg_params p;
	dbuf b1, b2, b3, b4;

	(void)self;
	if (!cf_pgad_is_uuid(scheme_id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, scheme_id);
	cf_pg_param_int64(&p, no);
	cf_pg_param_int64(&p, d->installment_no);
	param_date(&p, d->due_date, &b1);
	cf_pg_param_bool(&p, d->fixed);
	param_date(&p, d->fixed_on, &b2);
	cf_pg_param_int64(&p, d->gross.minor);
	cf_pg_param_int64(&p, d->dividend.minor);
	cf_pg_param_int64(&p, d->net_due.minor);
	cf_pg_param_int64(&p, d->principal_paid.minor);
	cf_pg_param_int64(&p, d->penalty.minor);
	cf_pg_param_int64(&p, d->penalty_paid.minor);
	param_date(&p, d->penalty_as_of, &b3);
	param_date(&p, d->penalty_base_date, &b4);
	cf_pg_param_int64(&p, d->penalty_base_accrued.minor);
	return cf_pgad_write(
	        tx, "cfpg_m_due_put",
	        "INSERT INTO installment_dues (scheme_id, ticket_no, installment_no, due_date, "
	        "fixed, "
	        "fixed_on, gross, dividend, net_due, principal_paid, penalty, penalty_paid, "
	        "penalty_as_of, penalty_base_date, penalty_base_accrued) VALUES ($1::uuid, "
	        "$2::int, "
	        "$3::int, $4::date, $5::boolean, $6::date, $7::bigint, $8::bigint, $9::bigint, "
	        "$10::bigint, $11::bigint, $12::bigint, $13::date, $14::date, $15::bigint) "
	        "ON CONFLICT (scheme_id, ticket_no, installment_no) DO UPDATE SET "
	        "due_date = EXCLUDED.due_date, fixed = EXCLUDED.fixed, fixed_on = "
	        "EXCLUDED.fixed_on, "
	        "gross = EXCLUDED.gross, dividend = EXCLUDED.dividend, net_due = EXCLUDED.net_due, "
	        "principal_paid = EXCLUDED.principal_paid, penalty = EXCLUDED.penalty, "
	        "penalty_paid = EXCLUDED.penalty_paid, penalty_as_of = EXCLUDED.penalty_as_of, "
	        "penalty_base_date = EXCLUDED.penalty_base_date, "
	        "penalty_base_accrued = EXCLUDED.penalty_base_accrued",
	        &p, NULL);
}

static int due_list(void *self, cf_tx *tx, const char *scheme_id, int32_t no, cf_due_row_array *out)
{
	cf_pg_params p;

	(void)self;
	memset(out, 0, sizeof *out);
	if (!cf_pgad_is_uuid(scheme_id))
		return CF_OK;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, scheme_id);
	if (no == 0)
		return cf_pgad_select_all(
		        tx, "cfpg_m_due_list_all",
		        "SELECT " DUE_COLS " FROM installment_dues WHERE scheme_id = "
		        "$1::uuid ORDER BY ticket_no, installment_no",
		        &p, sizeof *out->items, read_due, (void **)&out->items, &out->count);
	/* one statement per shape, so the plan uses the whole primary key */
	cf_pg_param_int64(&p, no);
	return cf_pgad_select_all(
	        tx, "cfpg_m_due_list",
	        "SELECT " DUE_COLS " FROM installment_dues WHERE scheme_id = $1::uuid "
	        "AND ticket_no = $2::int ORDER BY installment_no",
	        &p, sizeof *out->items, read_due, (void **)&out->items, &out->count);
}

/* ---- payments ---- */

#define PAY_COLS                                                                                   \
	"id, receipt_no, receipt_fy, receipt_seq, scheme_id, ticket_no, payer_id, amount, "        \
	"method, reference, " D("paid_on") ", status, principal, penalty, advance, fee_accrued, "  \
	                                   "advance_before, dues_version, recorded_by, "           \
	                                   "cf_ms(created_at), " D("bounced_on") ", "              \
	                                                                         "bounce_reason, " \
	                                                                         "seq"

static int read_payment(const PGresult *r, int i, void *item)
{
	cf_payment *x = item;
	char method[24], status[16];

	if (cf_pgad_text(r, i, 0, x->id, sizeof x->id) ||
	    cf_pgad_text(r, i, 1, x->receipt_no, sizeof x->receipt_no) ||
	    cf_pgad_i32(r, i, 2, &x->receipt_fy) || cf_pgad_i64_or0(r, i, 3, &x->receipt_seq) ||
	    cf_pgad_text(r, i, 4, x->scheme_id, sizeof x->scheme_id) ||
	    cf_pgad_i32(r, i, 5, &x->ticket_no) ||
	    cf_pgad_text(r, i, 6, x->payer_id, sizeof x->payer_id) ||
	    get_money(r, i, 7, &x->amount) || cf_pgad_text(r, i, 8, method, sizeof method) ||
	    cf_payment_method_parse(method, &x->method) ||
	    cf_pgad_text(r, i, 9, x->reference, sizeof x->reference) ||
	    get_date(r, i, 10, &x->paid_on) || cf_pgad_text(r, i, 11, status, sizeof status) ||
	    get_money(r, i, 12, &x->principal) || get_money(r, i, 13, &x->penalty) ||
	    get_money(r, i, 14, &x->advance) || get_money(r, i, 15, &x->fee_accrued) ||
	    get_money(r, i, 16, &x->advance_before) || cf_pgad_i64(r, i, 17, &x->dues_version) ||
	    cf_pgad_text(r, i, 18, x->recorded_by, sizeof x->recorded_by) ||
	    cf_pgad_i64(r, i, 19, &x->created_at_ms) || get_date(r, i, 20, &x->bounced_on) ||
	    cf_pgad_text(r, i, 21, x->bounce_reason, sizeof x->bounce_reason) ||
	    cf_pgad_i64(r, i, 22, &x->seq))
		return CF_ERROR;
	x->status = strcmp(status, "bounced") == 0 ? CF_PAYMENT_BOUNCED : CF_PAYMENT_CLEARED;
	return CF_OK;
}

static int payment_insert(void *self, cf_tx *tx, cf_payment *x)
{
	cf_pg_params p;
	dbuf b1;

	(void)self;
	if (!cf_pgad_is_uuid(x->id) || !cf_pgad_is_uuid(x->scheme_id) ||
	    !cf_pgad_is_uuid(x->payer_id) || !cf_pgad_is_uuid(x->recorded_by))
		return CF_EINVALID;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, x->id);
	cf_pgad_param_opt(&p, x->receipt_no); /* "" until receipt_assign */
	cf_pg_param_int64(&p, x->receipt_fy);
	if (x->receipt_seq > 0)
		cf_pg_param_int64(&p, x->receipt_seq);
	else
		cf_pg_param_null(&p);
	cf_pg_param_text(&p, x->scheme_id);
	cf_pg_param_int64(&p, x->ticket_no);
	cf_pg_param_text(&p, x->payer_id);
	cf_pg_param_int64(&p, x->amount.minor);
	cf_pg_param_text(&p, cf_payment_method_name(x->method));
	cf_pgad_param_opt(&p, x->reference);
	param_date(&p, x->paid_on, &b1);
	cf_pg_param_int64(&p, x->principal.minor);
	cf_pg_param_int64(&p, x->penalty.minor);
	cf_pg_param_int64(&p, x->advance.minor);
	cf_pg_param_int64(&p, x->fee_accrued.minor);
	cf_pg_param_int64(&p, x->advance_before.minor);
	cf_pg_param_int64(&p, x->dues_version);
	cf_pg_param_text(&p, x->recorded_by);
	cf_pg_param_int64(&p, x->created_at_ms);
#define PAY_INSERT                                                                                 \
	"INSERT INTO payments (id, receipt_no, receipt_fy, receipt_seq, scheme_id, ticket_no, "    \
	"payer_id, amount, method, reference, paid_on, status, principal, penalty, advance, "      \
	"fee_accrued, advance_before, dues_version, recorded_by, created_at) VALUES ($1::uuid, "   \
	"$2, $3::int, $4::bigint, $5::uuid, $6::int, $7::uuid, $8::bigint, $9, $10, $11::date, "   \
	"'cleared', $12::bigint, $13::bigint, $14::bigint, $15::bigint, $16::bigint, "             \
	"$17::bigint, $18::uuid, cf_ts($19::bigint))"
	return cf_pgad_insert_seq(tx, "cfpg_m_pay_insert",
	                          PAY_INSERT " ON CONFLICT DO NOTHING RETURNING seq",
	                          "cfpg_m_pay_insert_d", PAY_INSERT, &p, &x->seq);
#undef PAY_INSERT
}

static int payment_get(void *self, cf_tx *tx, const char *id, bool lock, cf_payment *out)
{
	static const get_stmts q =
	        GET_STMTS("cfpg_m_pay_get", "cfpg_m_pay_lock",
	                  "SELECT " PAY_COLS " FROM payments WHERE id = $1::uuid");

	(void)self;
	return get_by_uuid(tx, &q, id, lock, read_payment, out, sizeof *out);
}

static int payment_get_by_receipt(void *self, cf_tx *tx, const char *no, cf_payment *out)
{
	cf_pg_params p;

	(void)self;
	memset(out, 0, sizeof *out);
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, no);
	return cf_pgad_select_one(tx, "cfpg_m_pay_receipt",
	                          "SELECT " PAY_COLS " FROM payments WHERE receipt_no = $1", &p,
	                          read_payment, out);
}

static int payment_set_status(void *self, cf_tx *tx, const cf_payment *x)
{
	cf_pg_params p;
	dbuf b;

	(void)self;
	if (!cf_pgad_is_uuid(x->id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, x->id);
	cf_pg_param_text(&p, cf_payment_status_name(x->status));
	param_date(&p, x->bounced_on, &b);
	cf_pgad_param_opt(&p, x->bounce_reason);
	return cf_pgad_run_found(tx, "cfpg_m_pay_status",
	                         "UPDATE payments SET status = $2, bounced_on = $3::date, "
	                         "bounce_reason = $4 WHERE id = $1::uuid RETURNING 1",
	                         &p);
}

static int payment_list(void *self, cf_tx *tx, const char *scheme_id, int32_t no, int64_t after,
                        size_t limit, cf_payment_array *out)
{
	cf_pg_params p;
	const char *name, *sql;

	(void)self;
	memset(out, 0, sizeof *out);
	if (scheme_id[0] && !cf_pgad_is_uuid(scheme_id))
		return CF_OK;
	/* one statement per filter shape (generic plans of "$1 IS NULL OR ..." scan) */
	cf_pg_params_init(&p);
	cf_pg_param_int64(&p, after);
	cf_pg_param_int64(&p, limit ? (int64_t)limit : INT64_MAX);
	if (scheme_id[0] && no != 0) {
		cf_pg_param_text(&p, scheme_id);
		cf_pg_param_int64(&p, no);
		name = "cfpg_m_pay_list_ticket";
		sql = "SELECT " PAY_COLS
		      " FROM payments WHERE scheme_id = $3::uuid AND ticket_no = "
		      "$4::int AND seq > $1::bigint ORDER BY seq LIMIT $2::bigint";
	} else if (scheme_id[0]) {
		cf_pg_param_text(&p, scheme_id);
		name = "cfpg_m_pay_list_scheme";
		sql = "SELECT " PAY_COLS " FROM payments WHERE scheme_id = $3::uuid AND seq > "
		      "$1::bigint ORDER BY seq LIMIT $2::bigint";
	} else {
		name = "cfpg_m_pay_list_all";
		sql = "SELECT " PAY_COLS " FROM payments WHERE seq > $1::bigint ORDER BY seq LIMIT "
		      "$2::bigint";
	}
	return cf_pgad_select_all(tx, name, sql, &p, sizeof *out->items, read_payment,
	                          (void **)&out->items, &out->count);
}

static int alloc_insert(void *self, cf_tx *tx, const cf_payment_alloc *a, size_t n)
{
	int rc = CF_OK;

	(void)self;
	for (size_t i = 0; i < n && rc == CF_OK; i++) {
		cf_pg_params p;
		dbuf b1, b2;

		cf_pg_params_init(&p);
		cf_pg_param_text(&p, a[i].payment_id);
		cf_pg_param_int64(&p, a[i].installment_no);
		cf_pg_param_int64(&p, a[i].principal.minor);
		cf_pg_param_int64(&p, a[i].penalty.minor);
		cf_pg_param_int64(&p, a[i].prev_penalty.minor);
		param_date(&p, a[i].prev_penalty_as_of, &b1);
		param_date(&p, a[i].prev_base_date, &b2);
		cf_pg_param_int64(&p, a[i].prev_base_accrued.minor);
		rc = cf_pgad_write(
		        tx, "cfpg_m_alloc_insert",
		        "INSERT INTO payment_allocations (payment_id, installment_no, "
		        "principal, penalty, prev_penalty, prev_penalty_as_of, "
		        "prev_base_date, prev_base_accrued) VALUES ($1::uuid, $2::int, "
		        "$3::bigint, $4::bigint, $5::bigint, $6::date, $7::date, $8::bigint)",
		        &p, NULL);
	}
	return rc;
}

static int read_alloc(const PGresult *r, int i, void *item)
{
	cf_payment_alloc *a = item;

	if (cf_pgad_text(r, i, 0, a->payment_id, sizeof a->payment_id) ||
	    cf_pgad_i32(r, i, 1, &a->installment_no) || get_money(r, i, 2, &a->principal) ||
	    get_money(r, i, 3, &a->penalty) || get_money(r, i, 4, &a->prev_penalty) ||
	    get_date(r, i, 5, &a->prev_penalty_as_of) || get_date(r, i, 6, &a->prev_base_date) ||
	    get_money(r, i, 7, &a->prev_base_accrued))
		return CF_ERROR;
	return CF_OK;
}

static int alloc_list(void *self, cf_tx *tx, const char *payment_id, cf_payment_alloc_array *out)
{
	(void)self;
	memset(out, 0, sizeof *out);
	return cf_pgad_select_all_by_uuid(
	        tx, "cfpg_m_alloc_list",
	        "SELECT payment_id, installment_no, principal, penalty, prev_penalty, " D(
	                "prev_penalty_as_of") ", " D("prev_base_date") ", "
	                                                               "prev_base_accrued "
	                                                               "FROM "
	                                                               "payment_"
	                                                               "allocations "
	                                                               "WHERE "
	                                                               "payment_id = "
	                                                               "$1::uuid ORDER "
	                                                               "BY "
	                                                               "installment_no",
	        payment_id, sizeof *out->items, read_alloc, (void **)&out->items, &out->count);
}

/* ---- idempotency (0004's table) ---- */

static int idem_claim(void *self, cf_tx *tx, const char *user_id, const char *key, const char *hash,
                      int64_t now_ms, char *hash_out, int *status, char **body, size_t *len)
{
	cf_pg_params p;
	PGresult *r = NULL;
	int rows, rc;

	(void)self;
	if (!cf_pgad_is_uuid(user_id))
		return CF_EINVALID;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, user_id);
	cf_pg_param_text(&p, key);
	cf_pg_param_text(&p, hash);
	cf_pg_param_int64(&p, now_ms);
	/* a concurrent claim of the same key blocks here until it commits or rolls back */
	rc = cf_pgad_run_count(
	        tx, "cfpg_m_idem_claim",
	        "INSERT INTO idempotency_keys (user_id, key, request_hash, state, "
	        "created_at) VALUES ($1::uuid, $2, $3, 'running', cf_ts($4::bigint)) "
	        "ON CONFLICT DO NOTHING RETURNING 1",
	        &p, &rows);
	if (rc != CF_OK)
		return rc;
	if (rows == 1)
		return CF_OK;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, user_id);
	cf_pg_param_text(&p, key);
	rc = cf_pgad_run(tx, "cfpg_m_idem_get",
	                 "SELECT request_hash, response_status, convert_from(response_body, "
	                 "'UTF8') FROM idempotency_keys WHERE user_id = $1::uuid AND key = $2",
	                 &p, &r);
	if (rc != CF_OK)
		return rc;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return CF_ERETRY; /* the first claim rolled back between the two statements */
	}
	{
		int64_t st = 0;
		int n = PQgetlength(r, 0, 2);

		if (cf_pgad_text(r, 0, 0, hash_out, CF_HEX256_SIZE) ||
		    cf_pgad_i64_or0(r, 0, 1, &st)) {
			PQclear(r);
			return CF_ERROR;
		}
		*status = (int)st;
		*body = malloc((size_t)n + 1);
		if (*body == NULL) {
			PQclear(r);
			return CF_ENOMEM;
		}
		memcpy(*body, PQgetvalue(r, 0, 2), (size_t)n);
		(*body)[n] = '\0';
		*len = (size_t)n;
	}
	PQclear(r);
	return CF_EEXISTS;
}

static int idem_complete(void *self, cf_tx *tx, const char *user_id, const char *key, int status,
                         const char *body, size_t len, int64_t now_ms)
{
	cf_pg_params p;
	char *copy = malloc(len + 1);
	int rc;

	(void)self;
	if (copy == NULL)
		return CF_ENOMEM;
	memcpy(copy, body, len);
	copy[len] = '\0';
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, user_id);
	cf_pg_param_text(&p, key);
	cf_pg_param_int64(&p, status);
	cf_pg_param_text(&p, copy);
	cf_pg_param_int64(&p, now_ms);
	rc = cf_pgad_run_found(
	        tx, "cfpg_m_idem_complete",
	        "UPDATE idempotency_keys SET state = 'done', response_status = "
	        "$3::int, response_body = convert_to($4, 'UTF8'), completed_at = "
	        "cf_ts($5::bigint) WHERE user_id = $1::uuid AND key = $2 RETURNING 1",
	        &p);
	free(copy);
	return rc;
}

/*
 * $1..$9 of both receipt assignments (now, and with the COMMIT); false when
 * the payment id, or the idempotency user when a key is given, is no uuid.
 */
static bool receipt_params(cf_pg_params *p, const char *payment_id, int32_t fy, const char *prefix,
                           const char *idem_user, const char *idem_key, int status,
                           const char *body_template, const char *placeholder, int64_t now_ms)
{
	if (!cf_pgad_is_uuid(payment_id) || (idem_key != NULL && !cf_pgad_is_uuid(idem_user)))
		return false;
	cf_pg_params_init(p);
	cf_pg_param_text(p, payment_id);
	cf_pg_param_int64(p, fy);
	cf_pg_param_text(p, prefix);
	cf_pg_param_text(p, idem_key ? idem_user : NULL);
	cf_pg_param_text(p, idem_key);
	cf_pg_param_int64(p, status);
	cf_pg_param_text(p, body_template ? body_template : "");
	cf_pg_param_text(p, placeholder && placeholder[0] ? placeholder : "\x01");
	cf_pg_param_int64(p, now_ms);
	return true;
}

static int receipt_assign(void *self, cf_tx *tx, const char *payment_id, int32_t fy,
                          const char *prefix, const char *idem_user, const char *idem_key,
                          int status, const char *body_template, const char *placeholder,
                          int64_t now_ms, int64_t *seq)
{
	cf_pg_params p;
	PGresult *r = NULL;
	int rc;

	(void)self;
	if (!receipt_params(&p, payment_id, fy, prefix, idem_user, idem_key, status, body_template,
	                    placeholder, now_ms))
		return CF_ENOTFOUND;
	/* one statement: the counter (the lock, held until COMMIT), the payment's
	 * number, and the key's stored answer */
	rc = cf_pgad_run(tx, "cfpg_m_receipt_assign",
	                 "WITH c AS (INSERT INTO receipt_counters (fy, last) VALUES ($2::int, 1) "
	                 "ON CONFLICT (fy) DO UPDATE SET last = receipt_counters.last + 1 "
	                 "RETURNING last), "
	                 "p AS (UPDATE payments SET receipt_seq = c.last, receipt_no = $3 || "
	                 "CASE WHEN length(c.last::text) >= 6 THEN c.last::text ELSE "
	                 "lpad(c.last::text, 6, '0') END FROM c WHERE payments.id = $1::uuid "
	                 "RETURNING payments.receipt_no, payments.receipt_seq), "
	                 "i AS (UPDATE idempotency_keys SET state = 'done', response_status = "
	                 "$6::int, response_body = convert_to(replace($7, $8, p.receipt_no), "
	                 "'UTF8'), completed_at = cf_ts($9::bigint) FROM p WHERE $5::text IS NOT "
	                 "NULL AND idempotency_keys.user_id = $4::uuid AND idempotency_keys.key = "
	                 "$5 RETURNING 1) "
	                 "SELECT p.receipt_seq, (SELECT count(*) FROM i) FROM p",
	                 &p, &r);
	if (rc != CF_OK)
		return rc;
	if (PQntuples(r) != 1) {
		rc = CF_ENOTFOUND;
	} else {
		int64_t done = 0;

		rc = cf_pgad_i64(r, 0, 0, seq);
		if (rc == CF_OK && idem_key != NULL &&
		    (cf_pgad_i64(r, 0, 1, &done) != CF_OK || done != 1))
			rc = CF_ENOTFOUND;
	}
	PQclear(r);
	return rc;
}

static int read_receipt_seq(const PGresult *r, void *ctx)
{
	return PQntuples(r) == 1 ? cf_pgad_i64(r, 0, 0, (int64_t *)ctx) : CF_ERROR;
}

static int receipt_assign_at_commit(void *self, cf_tx *tx, const char *payment_id, int32_t fy,
                                    const char *prefix, const char *idem_user, const char *idem_key,
                                    int status, const char *body_template, const char *placeholder,
                                    int64_t now_ms, int64_t *seq)
{
	cf_pg_params p;

	(void)self;
	if (seq == NULL)
		return CF_EINVALID;
	if (!receipt_params(&p, payment_id, fy, prefix, idem_user, idem_key, status, body_template,
	                    placeholder, now_ms))
		return CF_ENOTFOUND;
	/* migration 0032: raises when the payment or the claimed key is missing */
	return cf_pgad_defer(tx, "cfpg_m_receipt_assign_d",
	                     "SELECT cf_receipt_assign($1::uuid, $2::int, $3, $4::uuid, $5, "
	                     "$6::int, $7, $8, $9::bigint)",
	                     p.n, p.values, NULL, NULL, read_receipt_seq, seq);
}

/* ---- prizes ---- */

#define PRIZE_COLS                                                                                 \
	"auction_id, scheme_id, installment_no, ticket_no, " D(                                    \
	        "draw_date") ", prize_amount, "                                                    \
	                     "gst_deducted, "                                                      \
	                     "liability, "                                                         \
	                     "no_security, " D(                                                    \
	                             "due_by") ", "                                                \
	                                       "paid, " D("paid_on") ", net_paid, row_version"

static int read_prize(const PGresult *r, int i, void *item)
{
	cf_prize *x = item;

	if (cf_pgad_text(r, i, 0, x->auction_id, sizeof x->auction_id) ||
	    cf_pgad_text(r, i, 1, x->scheme_id, sizeof x->scheme_id) ||
	    cf_pgad_i32(r, i, 2, &x->installment_no) || cf_pgad_i32(r, i, 3, &x->ticket_no) ||
	    get_date(r, i, 4, &x->draw_date) || get_money(r, i, 5, &x->prize_amount) ||
	    get_money(r, i, 6, &x->gst_deducted) || get_money(r, i, 7, &x->liability) ||
	    cf_pgad_bool(r, i, 8, &x->no_security) || get_date(r, i, 9, &x->due_by) ||
	    cf_pgad_bool(r, i, 10, &x->paid) || get_date(r, i, 11, &x->paid_on) ||
	    get_money(r, i, 12, &x->net_paid) || cf_pgad_i64(r, i, 13, &x->row_version))
		return CF_ERROR;
	return CF_OK;
}

/* The columns prize_update may change (5 parameters): no_security .. net_paid. */
static void prize_state_params(cf_pg_params *p, const cf_prize *x, dbuf *b1, dbuf *b2)
{
	cf_pg_param_bool(p, x->no_security);
	param_date(p, x->due_by, b1);
	cf_pg_param_bool(p, x->paid);
	param_date(p, x->paid_on, b2);
	cf_pg_param_int64(p, x->net_paid.minor);
}

static void prize_params(cf_pg_params *p, const cf_prize *x, dbuf *b1, dbuf *b2, dbuf *b3)
{
	cf_pg_param_text(p, x->auction_id);
	cf_pg_param_text(p, x->scheme_id);
	cf_pg_param_int64(p, x->installment_no);
	cf_pg_param_int64(p, x->ticket_no);
	param_date(p, x->draw_date, b1);
	cf_pg_param_int64(p, x->prize_amount.minor);
	cf_pg_param_int64(p, x->gst_deducted.minor);
	cf_pg_param_int64(p, x->liability.minor);
	prize_state_params(p, x, b2, b3); /* $9..$13 */
	cf_pg_param_int64(p, x->row_version);
}

static int prize_insert(void *self, cf_tx *tx, const cf_prize *x)
{
	cf_pg_params p;
	dbuf b1, b2, b3;

	(void)self;
	if (!cf_pgad_is_uuid(x->auction_id) || !cf_pgad_is_uuid(x->scheme_id))
		return CF_EINVALID;
	cf_pg_params_init(&p);
	prize_params(&p, x, &b1, &b2, &b3);
	return cf_pgad_insert_once(
	        tx, "cfpg_m_prize_insert",
	        "INSERT INTO prizes (auction_id, scheme_id, installment_no, "
	        "ticket_no, draw_date, prize_amount, gst_deducted, liability, "
	        "no_security, due_by, paid, paid_on, net_paid, row_version) VALUES "
	        "($1::uuid, $2::uuid, $3::int, $4::int, $5::date, $6::bigint, "
	        "$7::bigint, $8::bigint, $9::boolean, $10::date, $11::boolean, "
	        "$12::date, $13::bigint, $14::bigint) ON CONFLICT DO NOTHING "
	        "RETURNING 1",
	        &p);
}

static int prize_get(void *self, cf_tx *tx, const char *auction_id, bool lock, cf_prize *out)
{
	static const get_stmts q =
	        GET_STMTS("cfpg_m_prize_get", "cfpg_m_prize_lock",
	                  "SELECT " PRIZE_COLS " FROM prizes WHERE auction_id = $1::uuid");

	(void)self;
	return get_by_uuid(tx, &q, auction_id, lock, read_prize, out, sizeof *out);
}

static int prize_update(void *self, cf_tx *tx, cf_prize *x)
{
	cf_pg_params p;
	dbuf b1, b2;

	(void)self;
	if (!cf_pgad_is_uuid(x->auction_id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, x->auction_id);
	prize_state_params(&p, x, &b1, &b2); /* $2..$6 */
	cf_pg_param_int64(&p, x->row_version);
	return cf_pgad_update_versioned(
	        tx, "cfpg_m_prize_update",
	        "UPDATE prizes SET no_security = $2::boolean, due_by = $3::date, "
	        "paid = $4::boolean, paid_on = $5::date, net_paid = $6::bigint, "
	        "row_version = row_version + 1 WHERE auction_id = $1::uuid AND "
	        "row_version = $7::bigint RETURNING 1",
	        &p, &x->row_version, NULL, NULL, NULL);
}

static int prize_list(void *self, cf_tx *tx, const char *scheme_id, cf_prize_array *out)
{
	cf_pg_params p;

	(void)self;
	memset(out, 0, sizeof *out);
	if (!param_scheme_filter(&p, scheme_id))
		return CF_OK;
	return cf_pgad_select_all(
	        tx, "cfpg_m_prize_list",
	        "SELECT " PRIZE_COLS " FROM prizes WHERE $1::uuid IS NULL OR scheme_id = "
	        "$1::uuid ORDER BY scheme_id, installment_no",
	        &p, sizeof *out->items, read_prize, (void **)&out->items, &out->count);
}

/* ---- securities ---- */

static int security_insert(void *self, cf_tx *tx, const cf_security_rec *s)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(s->id) || !cf_pgad_is_uuid(s->auction_id) ||
	    !cf_pgad_is_uuid(s->created_by))
		return CF_EINVALID;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, s->id);
	cf_pg_param_text(&p, s->auction_id);
	cf_pg_param_text(&p, cf_security_kind_name(s->kind));
	cf_pg_param_text(&p, s->description);
	cf_pg_param_int64(&p, s->value.minor);
	cf_pg_param_text(&p, s->created_by);
	cf_pg_param_int64(&p, s->created_at_ms);
	return cf_pgad_run(
	        tx, "cfpg_m_sec_insert",
	        "INSERT INTO prize_securities (id, auction_id, kind, description, value, "
	        "created_by, created_at) VALUES ($1::uuid, $2::uuid, $3, $4, $5::bigint, "
	        "$6::uuid, cf_ts($7::bigint))",
	        &p, NULL);
}

static int read_security(const PGresult *r, int i, void *item)
{
	cf_security_rec *s = item;
	char kind[16];

	if (cf_pgad_text(r, i, 0, s->id, sizeof s->id) ||
	    cf_pgad_text(r, i, 1, s->auction_id, sizeof s->auction_id) ||
	    cf_pgad_text(r, i, 2, kind, sizeof kind) || cf_security_kind_parse(kind, &s->kind) ||
	    cf_pgad_text(r, i, 3, s->description, sizeof s->description) ||
	    get_money(r, i, 4, &s->value) ||
	    cf_pgad_text(r, i, 5, s->created_by, sizeof s->created_by) ||
	    cf_pgad_i64(r, i, 6, &s->created_at_ms))
		return CF_ERROR;
	return CF_OK;
}

static int security_list(void *self, cf_tx *tx, const char *auction_id, cf_security_array *out)
{
	(void)self;
	memset(out, 0, sizeof *out);
	return cf_pgad_select_all_by_uuid(
	        tx, "cfpg_m_sec_list",
	        "SELECT id, auction_id, kind, description, value, created_by, "
	        "cf_ms(created_at) FROM prize_securities WHERE auction_id = $1::uuid "
	        "ORDER BY created_at, id",
	        auction_id, sizeof *out->items, read_security, (void **)&out->items, &out->count);
}

/* ---- disbursements ---- */

#define DISB_COLS                                                                                  \
	"id, auction_id, scheme_id, ticket_no, gross_prize, gst_deducted, withheld, amount, "      \
	"method, reference, status, maker_id, checker_id, cf_ms(created_at), cf_ms(paid_at), "     \
	"seq, row_version"

static int read_disb(const PGresult *r, int i, void *item)
{
	cf_disbursement *d = item;
	char status[16];

	if (cf_pgad_text(r, i, 0, d->id, sizeof d->id) ||
	    cf_pgad_text(r, i, 1, d->auction_id, sizeof d->auction_id) ||
	    cf_pgad_text(r, i, 2, d->scheme_id, sizeof d->scheme_id) ||
	    cf_pgad_i32(r, i, 3, &d->ticket_no) || get_money(r, i, 4, &d->gross_prize) ||
	    get_money(r, i, 5, &d->gst_deducted) || get_money(r, i, 6, &d->withheld) ||
	    get_money(r, i, 7, &d->amount) || cf_pgad_text(r, i, 8, d->method, sizeof d->method) ||
	    cf_pgad_text(r, i, 9, d->reference, sizeof d->reference) ||
	    cf_pgad_text(r, i, 10, status, sizeof status) ||
	    cf_disb_status_parse(status, &d->status) ||
	    cf_pgad_text(r, i, 11, d->maker_id, sizeof d->maker_id) ||
	    cf_pgad_text(r, i, 12, d->checker_id, sizeof d->checker_id) ||
	    cf_pgad_i64(r, i, 13, &d->created_at_ms) || cf_pgad_i64_or0(r, i, 14, &d->paid_at_ms) ||
	    cf_pgad_i64(r, i, 15, &d->seq) || cf_pgad_i64(r, i, 16, &d->row_version))
		return CF_ERROR;
	return CF_OK;
}

static int disb_insert(void *self, cf_tx *tx, cf_disbursement *d)
{
	cf_pg_params p;
	PGresult *r = NULL;
	int rc;

	(void)self;
	if (!cf_pgad_is_uuid(d->id) || !cf_pgad_is_uuid(d->auction_id) ||
	    !cf_pgad_is_uuid(d->maker_id))
		return CF_EINVALID;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, d->id);
	cf_pg_param_text(&p, d->auction_id);
	cf_pg_param_text(&p, d->scheme_id);
	cf_pg_param_int64(&p, d->ticket_no);
	cf_pg_param_int64(&p, d->gross_prize.minor);
	cf_pg_param_int64(&p, d->gst_deducted.minor);
	cf_pg_param_int64(&p, d->withheld.minor);
	cf_pg_param_int64(&p, d->amount.minor);
	cf_pg_param_text(&p, d->method);
	cf_pgad_param_opt(&p, d->reference);
	cf_pg_param_text(&p, d->maker_id);
	cf_pg_param_int64(&p, d->created_at_ms);
	rc = cf_pgad_run(tx, "cfpg_m_disb_insert",
	                 "INSERT INTO disbursements (id, auction_id, scheme_id, ticket_no, "
	                 "gross_prize, gst_deducted, withheld, amount, method, reference, status, "
	                 "maker_id, created_at) VALUES ($1::uuid, $2::uuid, $3::uuid, $4::int, "
	                 "$5::bigint, $6::bigint, $7::bigint, $8::bigint, $9, $10, 'pending', "
	                 "$11::uuid, cf_ts($12::bigint)) ON CONFLICT DO NOTHING RETURNING seq",
	                 &p, &r);
	if (rc != CF_OK)
		return rc;
	rc = PQntuples(r) == 1 ? cf_pgad_i64(r, 0, 0, &d->seq) : CF_EEXISTS;
	PQclear(r);
	return rc;
}

static int disb_get(void *self, cf_tx *tx, const char *id, bool lock, cf_disbursement *out)
{
	static const get_stmts q =
	        GET_STMTS("cfpg_m_disb_get", "cfpg_m_disb_lock",
	                  "SELECT " DISB_COLS " FROM disbursements WHERE id = $1::uuid");

	(void)self;
	return get_by_uuid(tx, &q, id, lock, read_disb, out, sizeof *out);
}

static int disb_update(void *self, cf_tx *tx, cf_disbursement *d)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(d->id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, d->id);
	cf_pg_param_text(&p, cf_disb_status_name(d->status));
	cf_pgad_param_opt(&p, cf_pgad_is_uuid(d->checker_id) ? d->checker_id : "");
	cf_pgad_param_opt_ms(&p, d->paid_at_ms);
	cf_pg_param_int64(&p, d->row_version);
	return cf_pgad_update_versioned(
	        tx, "cfpg_m_disb_update",
	        "UPDATE disbursements SET status = $2, checker_id = $3::uuid, "
	        "paid_at = cf_ts($4::bigint), row_version = row_version + 1 WHERE "
	        "id = $1::uuid AND row_version = $5::bigint RETURNING 1",
	        &p, &d->row_version, NULL, NULL, NULL);
}

static int disb_list(void *self, cf_tx *tx, bool has_status, cf_disb_status status,
                     cf_disbursement_array *out)
{
	cf_pg_params p;

	(void)self;
	memset(out, 0, sizeof *out);
	cf_pg_params_init(&p);
	if (has_status)
		cf_pg_param_text(&p, cf_disb_status_name(status));
	else
		cf_pg_param_null(&p);
	return cf_pgad_select_all(
	        tx, "cfpg_m_disb_list",
	        "SELECT " DISB_COLS " FROM disbursements WHERE $1::text IS NULL OR "
	        "status = $1 ORDER BY seq",
	        &p, sizeof *out->items, read_disb, (void **)&out->items, &out->count);
}

/* ---- refunds, demands ---- */

static int refund_insert(void *self, cf_tx *tx, const cf_refund *x)
{
	cf_pg_params p;

	(void)self;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, x->id);
	cf_pg_param_text(&p, x->scheme_id);
	cf_pg_param_int64(&p, x->ticket_no);
	cf_pgad_param_opt(&p, cf_pgad_is_uuid(x->user_id) ? x->user_id : "");
	cf_pg_param_text(&p, x->kind);
	cf_pg_param_int64(&p, x->amount.minor);
	cf_pg_param_int64(&p, x->created_at_ms);
	return cf_pgad_run(tx, "cfpg_m_refund_insert",
	                   "INSERT INTO refunds (id, scheme_id, ticket_no, user_id, kind, amount, "
	                   "created_at) VALUES ($1::uuid, $2::uuid, $3::int, $4::uuid, $5, "
	                   "$6::bigint, cf_ts($7::bigint))",
	                   &p, NULL);
}

static int read_refund(const PGresult *r, int i, void *item)
{
	cf_refund *x = item;

	if (cf_pgad_text(r, i, 0, x->id, sizeof x->id) ||
	    cf_pgad_text(r, i, 1, x->scheme_id, sizeof x->scheme_id) ||
	    cf_pgad_i32(r, i, 2, &x->ticket_no) ||
	    cf_pgad_text(r, i, 3, x->user_id, sizeof x->user_id) ||
	    cf_pgad_text(r, i, 4, x->kind, sizeof x->kind) || get_money(r, i, 5, &x->amount) ||
	    cf_pgad_i64(r, i, 6, &x->created_at_ms))
		return CF_ERROR;
	return CF_OK;
}

static int refund_list(void *self, cf_tx *tx, const char *scheme_id, cf_refund_array *out)
{
	cf_pg_params p;

	(void)self;
	memset(out, 0, sizeof *out);
	if (!param_scheme_filter(&p, scheme_id))
		return CF_OK;
	return cf_pgad_select_all(
	        tx, "cfpg_m_refund_list",
	        "SELECT id, scheme_id, ticket_no, user_id, kind, amount, "
	        "cf_ms(created_at) FROM refunds WHERE $1::uuid IS NULL OR scheme_id = "
	        "$1::uuid ORDER BY seq",
	        &p, sizeof *out->items, read_refund, (void **)&out->items, &out->count);
}

static int demand_insert(void *self, cf_tx *tx, const cf_demand *d)
{
	cf_pg_params p;

	(void)self;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, d->id);
	cf_pg_param_text(&p, d->scheme_id);
	cf_pg_param_int64(&p, d->ticket_no);
	cf_pg_param_text(&p, d->user_id);
	cf_pg_param_int64(&p, d->arrears.minor);
	cf_pg_param_int64(&p, d->future.minor);
	cf_pg_param_int64(&p, d->amount.minor);
	cf_pg_param_int64(&p, d->installments);
	cf_pg_param_text(&p, d->created_by);
	cf_pg_param_int64(&p, d->created_at_ms);
	return cf_pgad_run(tx, "cfpg_m_demand_insert",
	                   "INSERT INTO demands (id, scheme_id, ticket_no, user_id, arrears, "
	                   "future, amount, installments, created_by, created_at) VALUES "
	                   "($1::uuid, $2::uuid, $3::int, $4::uuid, $5::bigint, $6::bigint, "
	                   "$7::bigint, $8::int, $9::uuid, cf_ts($10::bigint))",
	                   &p, NULL);
}

/* ---- overdue source ---- */

static int od_overdue(void *self, cf_tx *tx, const char *scheme_id, cf_date on, bool *overdue,
                      size_t n)
{
	cf_pg_params p;
	PGresult *r = NULL;
	dbuf b;
	int rc;

	(void)self;
	if (!cf_pgad_is_uuid(scheme_id))
		return CF_OK;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, scheme_id);
	param_date(&p, on, &b);
	rc = cf_pgad_run(tx, "cfpg_m_overdue",
	                 "SELECT DISTINCT d.ticket_no FROM installment_dues d JOIN schemes s ON "
	                 "s.id = d.scheme_id WHERE d.scheme_id = $1::uuid AND d.fixed AND "
	                 "d.principal_paid < d.net_due AND d.due_date + s.grace_days < $2::date",
	                 &p, &r);
	if (rc != CF_OK)
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		int32_t t;

		if (cf_pgad_i32(r, i, 0, &t) == CF_OK && t >= 1 && (size_t)t <= n)
			overdue[t - 1] = true;
	}
	PQclear(r);
	return CF_OK;
}

void cf_pg_money_ports(cf_pg_store *s, cf_ports *out)
{
	out->money = (cf_money_repo){CF_MONEY_REPO_VERSION,
	                             s,
	                             acct_insert,
	                             acct_get,
	                             acct_update,
	                             acct_list,
	                             due_put,
	                             due_list,
	                             payment_insert,
	                             payment_get,
	                             payment_get_by_receipt,
	                             payment_set_status,
	                             payment_list,
	                             alloc_insert,
	                             alloc_list,
	                             idem_claim,
	                             idem_complete,
	                             receipt_assign,
	                             prize_insert,
	                             prize_get,
	                             prize_update,
	                             prize_list,
	                             security_insert,
	                             security_list,
	                             disb_insert,
	                             disb_get,
	                             disb_update,
	                             disb_list,
	                             refund_insert,
	                             refund_list,
	                             demand_insert,
	                             receipt_assign_at_commit};
	out->overdue = (cf_overdue_source){CF_OVERDUE_SOURCE_VERSION, s, od_overdue};
}
