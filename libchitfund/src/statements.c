/* statements.c - ticket statements, the ledger view, reports and the money
 * verifier. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/domain/economics.h"
#include "money_internal.h"

/* ---- statement ---- */

typedef struct stmt_ctx {
	const char *scheme_id;
	int32_t ticket_no;
	cf_statement *out;
} stmt_ctx;

static int do_statement(cf_uc *uc, void *vctx)
{
	stmt_ctx *c = vctx;
	cf_statement *st = c->out;
	cf_scheme s;
	cf_ticket t;
	cf_money_who who;
	cf_ticket_money tm;
	cf_payment_array pays = {0};
	cf_prize_array prizes = {0};
	cf_cashflow *flows = NULL;
	cf_money cash_out = cf_money_of(0);
	size_t nf = 0;
	cf_date today = cf__today(uc);
	int32_t N;
	int rc;

	memset(&tm, 0, sizeof tm);
	cf_statement_free(st);
	if ((rc = cf__money_enter(uc, c->scheme_id, &s, &who)) < 0)
		return rc;
	rc = uc->app->p.tickets.get(uc->app->p.tickets.self, uc->tx, s.id, c->ticket_no, &t);
	if (rc == CF_ENOTFOUND ||
	    (rc == CF_OK && !who.staff && strcmp(t.user_id, uc->actor->user_id) != 0)) {
		if (rc == CF_OK && uc->actor->role != CF_ROLE_SUBSCRIBER)
			return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "", "not allowed");
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such ticket");
	}
	if (rc < 0)
		return rc;
	rc = cf__tm_load(uc, s.id, t.ticket_no, false, &tm);
	if (rc == CF_ENOTFOUND) {
		memset(&tm, 0, sizeof tm);
		rc = CF_OK;
	}
	if (rc < 0)
		goto out;
	N = s.params.member_count;
	cf__copy(st->scheme_id, sizeof st->scheme_id, s.id);
	st->ticket_no = t.ticket_no;
	st->as_of = today;
	st->rows = calloc((size_t)N, sizeof *st->rows);
	if (st->rows == NULL) {
		rc = CF_ENOMEM;
		goto out;
	}
	for (int32_t k = 1; k <= N; k++) {
		cf_due d, *use = NULL;
		cf_date due;

		for (size_t i = 0; i < tm.n; i++)
			if (tm.dues[i].installment_no == k)
				use = &tm.dues[i];
		if (use == NULL) {
			if ((rc = cf_schedule_due_date(s.params.start_date, s.params.frequency, k,
			                               &due)) < 0)
				goto out;
			cf_due_init(&d, k, due, s.subscription);
			use = &d;
		}
		if ((rc = cf_statement_row_of(use, cf__terms(&s), today, &st->rows[k - 1])) < 0)
			goto out;
	}
	st->count = (size_t)N;
	if ((rc = cf_statement_totals(st->rows, st->count, &st->totals)) < 0)
		goto out;
	st->advance = tm.acct.advance;
	/* prize */
	if ((rc = MR(uc)->prize_list(MRS(uc), uc->tx, s.id, &prizes)) < 0)
		goto out;
	for (size_t i = 0; i < prizes.count; i++) {
		const cf_prize *p = &prizes.items[i];

		if (p->ticket_no != t.ticket_no)
			continue;
		st->has_prize = true;
		st->prize_installment_no = p->installment_no;
		st->prize_amount = p->prize_amount;
		st->prize_paid = p->paid;
		st->prize_paid_on = p->paid_on;
		/* the net payout P - G (domain.md); the cash flow is what was paid out:
		 * under no-security the withheld part prepaid the ticket's own dues */
		st->net_payout =
		        p->paid ? cf_money_of(p->prize_amount.minor - p->gst_deducted.minor)
		                : cf_money_of(0);
		cash_out = p->paid ? p->net_paid : cf_money_of(0);
	}
	/* effective annual rate over the ticket's flows */
	if ((rc = MR(uc)->payment_list(MRS(uc), uc->tx, s.id, t.ticket_no, 0, 0, &pays)) < 0)
		goto out;
	flows = calloc(pays.count + 1, sizeof *flows);
	if (flows == NULL) {
		rc = CF_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < pays.count; i++) {
		if (pays.items[i].status != CF_PAYMENT_CLEARED)
			continue;
		flows[nf].date = pays.items[i].paid_on;
		flows[nf++].amount = cf_money_of(-pays.items[i].amount.minor);
	}
	if (st->has_prize && st->prize_paid) {
		flows[nf].date = st->prize_paid_on;
		flows[nf++].amount = cash_out;
	}
	st->has_xirr = cf_xirr_bps(flows, nf, &st->xirr_bps) == CF_OK;
	if ((rc = cf_npv(flows, nf, 1200, today, &st->npv)) < 0 ||
	    (rc = cf_plain_difference(flows, nf, &st->plain_difference)) < 0)
		goto out;
	rc = CF_OK;
out:
	free(flows);
	cf_payment_array_free(&pays);
	cf_prize_array_free(&prizes);
	cf__tm_free(&tm);
	return rc;
}

int cf_statement_get(cf_app *app, const cf_actor *actor, const char *scheme_id, int32_t ticket_no,
                     cf_statement *out, cf_error *err)
{
	stmt_ctx c = {scheme_id, ticket_no, out};
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = cf__run_read(app, actor, do_statement, &c, err)) < 0)
		cf_statement_free(out);
	return rc;
}

/* ---- ledger view ---- */

/* Balances per account over lines (sorted by name). */
static int balances_of(const cf_ledger_line_array *l, cf_balance_array *out)
{
	memset(out, 0, sizeof *out);
	out->items = calloc(l->count + 1, sizeof *out->items);
	if (out->items == NULL)
		return CF_ENOMEM;
	for (size_t i = 0; i < l->count; i++) {
		size_t k;

		for (k = 0; k < out->count; k++)
			if (strcmp(out->items[k].account, l->items[i].account) == 0)
				break;
		if (k == out->count) {
			cf__copy(out->items[k].account, sizeof out->items[k].account,
			         l->items[i].account);
			out->count++;
		}
		if (cf_money_add(out->items[k].balance, l->items[i].amount,
		                 &out->items[k].balance) < 0)
			return CF_EOVERFLOW;
	}
	/* insertion sort by name (few accounts) */
	for (size_t i = 1; i < out->count; i++) {
		cf_account_balance b = out->items[i];
		size_t j = i;

		while (j > 0 && strcmp(out->items[j - 1].account, b.account) > 0) {
			out->items[j] = out->items[j - 1];
			j--;
		}
		out->items[j] = b;
	}
	return CF_OK;
}

typedef struct ledger_ctx {
	const char *scheme_id;
	size_t limit;
	int64_t after;
	cf_ledger_view *out;
} ledger_ctx;

static int do_ledger(cf_uc *uc, void *vctx)
{
	ledger_ctx *c = vctx;
	cf_ledger_line_array all = {0};
	cf_money_who who;
	cf_scheme s;
	size_t k = 0;
	int rc;

	cf_ledger_view_free(c->out);
	c->out->next_cursor[0] = '\0';
	if ((rc = cf__money_enter(uc, c->scheme_id, &s, &who)) < 0)
		return rc;
	if (!who.staff) {
		if (uc->actor->role == CF_ROLE_SUBSCRIBER)
			return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
			                "only the scheme's staff see its ledger");
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "", "not allowed");
	}
	rc = uc->app->p.ledger.list_by_scheme(uc->app->p.ledger.self, uc->tx, s.id, &all);
	if (rc < 0)
		return rc;
	if ((rc = balances_of(&all, &c->out->balances)) < 0) {
		cf_ledger_line_array_free(&all);
		return rc;
	}
	for (size_t i = 0; i < all.count; i++) {
		if (all.items[i].seq <= c->after)
			continue;
		if (k == c->limit) {
			snprintf(c->out->next_cursor, sizeof c->out->next_cursor, "l%" PRId64,
			         all.items[k - 1].seq);
			break;
		}
		all.items[k++] = all.items[i];
	}
	all.count = k;
	c->out->lines = all;
	return CF_OK;
}

int cf_ledger_get(cf_app *app, const cf_actor *actor, const char *scheme_id, size_t limit,
                  const char *cursor, cf_ledger_view *out, cf_error *err)
{
	ledger_ctx c;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&c, 0, sizeof c);
	if ((rc = cf__limit(limit, &c.limit, err)) < 0 ||
	    (rc = cf__cursor_seq(cursor, 'l', &c.after, err)) < 0)
		return rc;
	c.scheme_id = scheme_id;
	c.out = out;
	if ((rc = cf__run_read(app, actor, do_ledger, &c, err)) < 0)
		cf_ledger_view_free(out);
	return rc;
}

/* ---- reports ---- */

static const char *const report_names[] = {"collections", "outstanding", "commission-gst", "prizes",
                                           "trial-balance"};

const char *cf_report_kind_name(cf_report_kind k)
{
	return (unsigned)k < 5 ? report_names[k] : "";
}

int cf_report_kind_parse(const char *s, cf_report_kind *out)
{
	for (int i = 0; s && i < 5; i++)
		if (strcmp(s, report_names[i]) == 0) {
			*out = (cf_report_kind)i;
			return CF_OK;
		}
	return CF_EINVALID;
}

static const char *const cols_collections[] = {"date",   "scheme_id", "agent_id",
                                               "method", "count",     "amount"};
static const char *const cols_outstanding[] = {
        "scheme_id", "ticket_no", "user_id", "outstanding", "overdue", "late_fee", "days_past_due"};
static const char *const cols_commission[] = {"month", "scheme_id", "commission", "gst"};
static const char *const cols_prizes[] = {"scheme_id",    "installment_no", "ticket_no",
                                          "prize_amount", "due_by",         "paid",
                                          "paid_on",      "net_paid"};
static const char *const cols_trial[] = {"scheme_id", "account", "debit", "credit"};

typedef struct report_b {
	cf_report *r;
	size_t cap;
} report_b;

static cf_report_cell *row_add(report_b *b)
{
	cf_report *r = b->r;

	if (r->nrows == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		cf_report_cell *c = realloc(r->cells, cap * r->ncols * sizeof *c);

		if (c == NULL)
			return NULL;
		r->cells = c;
		b->cap = cap;
	}
	memset(&r->cells[r->nrows * r->ncols], 0, r->ncols * sizeof *r->cells);
	return &r->cells[r->nrows++ * r->ncols];
}

static void cell_text(cf_report_cell *c, const char *s)
{
	cf__copy(c->text, sizeof c->text, s);
}
static void cell_int(cf_report_cell *c, int64_t v)
{
	c->is_int = true;
	c->i = v;
}
static void cell_date(cf_report_cell *c, cf_date d)
{
	if (!cf_date_valid(d)) {
		c->is_null = true;
		return;
	}
	cf_date_format(d, c->text, sizeof c->text);
}

static bool in_range(const cf_report_query *q, cf_date d)
{
	if (cf_date_valid(q->from) && cf_date_cmp(d, q->from) < 0)
		return false;
	if (cf_date_valid(q->to) && cf_date_cmp(d, q->to) > 0)
		return false;
	return true;
}

static int report_scheme(cf_uc *uc, cf_report_kind kind, const cf_report_query *q,
                         const cf_scheme *s, report_b *b)
{
	int rc = CF_OK;

	switch (kind) {
	case CF_REPORT_COLLECTIONS: {
		cf_payment_array pays = {0};

		if ((rc = MR(uc)->payment_list(MRS(uc), uc->tx, s->id, 0, 0, 0, &pays)) < 0)
			return rc;
		for (size_t i = 0; i < pays.count; i++) {
			const cf_payment *p = &pays.items[i];
			char date[16];
			size_t k;

			if (p->status != CF_PAYMENT_CLEARED || !in_range(q, p->paid_on))
				continue;
			cf_date_format(p->paid_on, date, sizeof date);
			for (k = 0; k < b->r->nrows; k++) {
				cf_report_cell *c = &b->r->cells[k * 6];

				if (strcmp(c[0].text, date) == 0 && strcmp(c[1].text, s->id) == 0 &&
				    strcmp(c[2].text, p->recorded_by) == 0 &&
				    strcmp(c[3].text, cf_payment_method_name(p->method)) == 0)
					break;
			}
			cf_report_cell *c;
			if (k == b->r->nrows) {
				if ((c = row_add(b)) == NULL) {
					rc = CF_ENOMEM;
					break;
				}
				cell_text(&c[0], date);
				cell_text(&c[1], s->id);
				cell_text(&c[2], p->recorded_by);
				cell_text(&c[3], cf_payment_method_name(p->method));
				cell_int(&c[4], 0);
				cell_int(&c[5], 0);
			} else {
				c = &b->r->cells[k * 6];
			}
			c[4].i++;
			c[5].i += p->amount.minor;
		}
		cf_payment_array_free(&pays);
		return rc;
	}
	case CF_REPORT_OUTSTANDING: {
		cf_due_row_array dues = {0};
		cf_ticket_array tickets = {0};
		cf_date today = cf__today(uc);

		if ((rc = MR(uc)->due_list(MRS(uc), uc->tx, s->id, 0, &dues)) < 0)
			return rc;
		rc = uc->app->p.tickets.list_by_scheme(uc->app->p.tickets.self, uc->tx, s->id,
		                                       &tickets);
		for (size_t i = 0; rc == CF_OK && i < tickets.count; i++) {
			const cf_ticket *t = &tickets.items[i];
			cf_due *d = calloc(dues.count + 1, sizeof *d);
			cf_money out = cf_money_of(0);
			cf_arrears a;
			size_t n = 0;
			cf_report_cell *c;

			if (d == NULL) {
				rc = CF_ENOMEM;
				break;
			}
			for (size_t k = 0; k < dues.count; k++)
				if (dues.items[k].ticket_no == t->ticket_no) {
					cf_statement_row row;

					d[n++] = dues.items[k].due;
					if (cf_statement_row_of(&dues.items[k].due, cf__terms(s),
					                        today, &row) == CF_OK)
						out.minor += row.balance.minor;
				}
			rc = cf_dues_arrears(d, n, cf__terms(s), today, &a);
			free(d);
			if (rc < 0)
				break;
			if ((c = row_add(b)) == NULL) {
				rc = CF_ENOMEM;
				break;
			}
			cell_text(&c[0], s->id);
			cell_int(&c[1], t->ticket_no);
			cell_text(&c[2], t->user_id);
			cell_int(&c[3], out.minor);
			cell_int(&c[4], a.arrears.minor);
			cell_int(&c[5], a.late_fee.minor);
			cell_int(&c[6], a.days_past_due);
		}
		cf_ticket_array_free(&tickets);
		cf_due_row_array_free(&dues);
		return rc;
	}
	case CF_REPORT_COMMISSION_GST:
	case CF_REPORT_TRIAL_BALANCE: {
		cf_ledger_line_array lines = {0};

		rc = uc->app->p.ledger.list_by_scheme(uc->app->p.ledger.self, uc->tx, s->id,
		                                      &lines);
		if (rc < 0)
			return rc;
		for (size_t i = 0; i < lines.count; i++) {
			const cf_ledger_line *l = &lines.items[i];
			cf_date d = cf_date_from_unix_ms_ist(l->posted_at_ms);
			cf_report_cell *c = NULL;
			char key[CF_ACCOUNT_NAME_MAX];
			size_t k;

			if (!in_range(q, d))
				continue;
			if (kind == CF_REPORT_COMMISSION_GST) {
				bool comm = strcmp(l->account, "commission_income") == 0;

				if (!comm && strcmp(l->account, "gst_payable") != 0)
					continue;
				snprintf(key, sizeof key, "%04d-%02d", (int)d.year, (int)d.month);
				for (k = 0; k < b->r->nrows; k++) {
					c = &b->r->cells[k * 4];
					if (strcmp(c[0].text, key) == 0 &&
					    strcmp(c[1].text, s->id) == 0)
						break;
				}
				if (k == b->r->nrows) {
					if ((c = row_add(b)) == NULL) {
						rc = CF_ENOMEM;
						break;
					}
					cell_text(&c[0], key);
					cell_text(&c[1], s->id);
					cell_int(&c[2], 0);
					cell_int(&c[3], 0);
				} else {
					c = &b->r->cells[k * 4];
				}
				/* income and liabilities are credits: report them positive */
				c[comm ? 2 : 3].i -= l->amount.minor;
			} else {
				for (k = 0; k < b->r->nrows; k++) {
					c = &b->r->cells[k * 4];
					if (strcmp(c[1].text, l->account) == 0 &&
					    strcmp(c[0].text, s->id) == 0)
						break;
				}
				if (k == b->r->nrows) {
					if ((c = row_add(b)) == NULL) {
						rc = CF_ENOMEM;
						break;
					}
					cell_text(&c[0], s->id);
					cell_text(&c[1], l->account);
					cell_int(&c[2], 0);
					cell_int(&c[3], 0);
				} else {
					c = &b->r->cells[k * 4];
				}
				/* net balance: debit column when positive, else credit */
				int64_t bal = c[2].i - c[3].i + l->amount.minor;
				c[2].i = bal > 0 ? bal : 0;
				c[3].i = bal < 0 ? -bal : 0;
			}
		}
		cf_ledger_line_array_free(&lines);
		return rc;
	}
	case CF_REPORT_PRIZES: {
		cf_prize_array prizes = {0};

		if ((rc = MR(uc)->prize_list(MRS(uc), uc->tx, s->id, &prizes)) < 0)
			return rc;
		for (size_t i = 0; i < prizes.count; i++) {
			const cf_prize *p = &prizes.items[i];
			cf_report_cell *c;

			if (!in_range(q, p->draw_date))
				continue;
			if ((c = row_add(b)) == NULL) {
				rc = CF_ENOMEM;
				break;
			}
			cell_text(&c[0], s->id);
			cell_int(&c[1], p->installment_no);
			cell_int(&c[2], p->ticket_no);
			cell_int(&c[3], p->prize_amount.minor);
			cell_date(&c[4], p->due_by);
			cell_text(&c[5], p->paid ? "true" : "false");
			cell_date(&c[6], p->paid ? p->paid_on : (cf_date){0, 0, 0});
			cell_int(&c[7], p->net_paid.minor);
		}
		cf_prize_array_free(&prizes);
		return rc;
	}
	}
	return CF_EINVALID;
}

typedef struct report_ctx {
	cf_report_kind kind;
	const cf_report_query *q;
	cf_report *out;
} report_ctx;

static int do_report(cf_uc *uc, void *vctx)
{
	report_ctx *c = vctx;
	report_b b = {c->out, 0};
	cf_role r = uc->actor->role;
	int rc;

	cf_report_free(c->out);
	if ((rc = cf__require_auth(uc)) < 0 || (rc = cf__money_ready(uc)) < 0)
		return rc;
	if (c->q && c->q->scheme_id && c->q->scheme_id[0]) {
		cf_scheme s;
		cf_money_who who;

		if ((rc = cf__load_scheme(uc, c->q->scheme_id, &s)) < 0 ||
		    (rc = cf__money_who(uc, &s, &who)) < 0)
			return rc;
		if (!who.staff)
			return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
			                "only the scheme's staff see its reports");
		return report_scheme(uc, c->kind, c->q, &s, &b);
	}
	if (r != CF_ROLE_ADMIN && r != CF_ROLE_AUDITOR && r != CF_ROLE_FOREMAN &&
	    r != CF_ROLE_SYSTEM)
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                "name a scheme_id: only staff see reports");
	{
		cf_scheme_filter f;
		cf_scheme_array a = {0};

		memset(&f, 0, sizeof f);
		f.limit = 100000;
		rc = uc->app->p.schemes.list(uc->app->p.schemes.self, uc->tx, &f, &a);
		for (size_t i = 0; rc == CF_OK && i < a.count; i++) {
			if (r == CF_ROLE_FOREMAN &&
			    strcmp(a.items[i].foreman_id, uc->actor->user_id) != 0)
				continue;
			rc = report_scheme(uc, c->kind, c->q, &a.items[i], &b);
		}
		cf_scheme_array_free(&a);
	}
	return rc;
}

int cf_report_build(cf_app *app, const cf_actor *actor, cf_report_kind kind,
                    const cf_report_query *q, cf_report *out, cf_error *err)
{
	report_ctx c = {kind, q, out};
	int rc;

	memset(out, 0, sizeof *out);
	switch (kind) {
	case CF_REPORT_COLLECTIONS:
		out->cols = cols_collections;
		out->ncols = 6;
		break;
	case CF_REPORT_OUTSTANDING:
		out->cols = cols_outstanding;
		out->ncols = 7;
		break;
	case CF_REPORT_COMMISSION_GST:
		out->cols = cols_commission;
		out->ncols = 4;
		break;
	case CF_REPORT_PRIZES:
		out->cols = cols_prizes;
		out->ncols = 8;
		break;
	case CF_REPORT_TRIAL_BALANCE:
		out->cols = cols_trial;
		out->ncols = 4;
		break;
	default: return cf_error_set(err, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such report");
	}
	if ((rc = cf__run_read(app, actor, do_report, &c, err)) < 0)
		cf_report_free(out);
	return rc;
}

/* ---- verify ---- */

typedef struct verify_ctx {
	cf_money_verify_result *out;
} verify_ctx;

#define BREAK(...)                                                                                 \
	do {                                                                                       \
		snprintf(v->first_break, sizeof v->first_break, __VA_ARGS__);                      \
		v->ok = false;                                                                     \
		goto done;                                                                         \
	} while (0)

static int cmp_line_event(const void *a, const void *b)
{
	const cf_ledger_line *x = a, *y = b;
	int c = strcmp(x->event_id, y->event_id);

	if (c != 0)
		return c;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int64_t bal_of(const cf_balance_array *b, const char *name)
{
	for (size_t i = 0; i < b->count; i++)
		if (strcmp(b->items[i].account, name) == 0)
			return b->items[i].balance.minor;
	return 0;
}

static int verify_scheme(cf_uc *uc, const cf_scheme *s, cf_money_verify_result *v)
{
	cf_ledger_line_array lines = {0};
	cf_balance_array bal = {0};
	cf_ticket_acct_array accts = {0};
	cf_due_row_array dues = {0};
	cf_payment_array pays = {0};
	cf_prize_array prizes = {0};
	int rc;

	rc = uc->app->p.ledger.list_by_scheme(uc->app->p.ledger.self, uc->tx, s->id, &lines);
	if (rc < 0)
		return rc;
	v->lines_checked += (int64_t)lines.count;
	if ((rc = balances_of(&lines, &bal)) < 0)
		goto done;
	/* every event balances */
	qsort(lines.items, lines.count, sizeof *lines.items, cmp_line_event);
	for (size_t i = 0; i < lines.count;) {
		size_t j = i;
		__int128 sum = 0;

		while (j < lines.count &&
		       strcmp(lines.items[j].event_id, lines.items[i].event_id) == 0)
			sum += lines.items[j++].amount.minor;
		if (sum != 0)
			BREAK("scheme %s: ledger event %s (%s) does not balance", s->id,
			      lines.items[i].event_id, lines.items[i].event);
		i = j;
	}
	if (s->status == CF_SCHEME_RUNNING || s->status == CF_SCHEME_COMPLETED) {
		if ((rc = MR(uc)->acct_list(MRS(uc), uc->tx, s->id, &accts)) < 0 ||
		    (rc = MR(uc)->due_list(MRS(uc), uc->tx, s->id, 0, &dues)) < 0)
			goto done;
		for (size_t i = 0; i < accts.count; i++) {
			const cf_ticket_acct *a = &accts.items[i];
			cf_account acct = {CF_ACCT_MEMBER_RECEIVABLE, a->ticket_no};
			char name[CF_ACCOUNT_NAME_MAX];
			int64_t want = -a->advance.minor;

			v->tickets_checked++;
			for (size_t k = 0; k < dues.count; k++) {
				const cf_due *d = &dues.items[k].due;

				if (dues.items[k].ticket_no != a->ticket_no)
					continue;
				want += d->net_due.minor - d->principal_paid.minor +
				        d->penalty.minor - d->penalty_paid.minor;
			}
			cf_account_format(acct, name, sizeof name);
			if (bal_of(&bal, name) != want)
				BREAK("scheme %s: %s is %" PRId64
				      " in the ledger but the dues say %" PRId64,
				      s->id, name, bal_of(&bal, name), want);
		}
	}
	if ((rc = MR(uc)->payment_list(MRS(uc), uc->tx, s->id, 0, 0, 0, &pays)) < 0)
		goto done;
	for (size_t i = 0; i < pays.count; i++) {
		const cf_payment *p = &pays.items[i];
		cf_payment_alloc_array al = {0};
		int64_t pr = 0, pe = 0;

		if (p->amount.minor != p->principal.minor + p->penalty.minor + p->advance.minor)
			BREAK("payment %s (%s): its parts do not add up to its amount", p->id,
			      p->receipt_no);
		if ((rc = MR(uc)->alloc_list(MRS(uc), uc->tx, p->id, &al)) < 0)
			goto done;
		for (size_t k = 0; k < al.count; k++) {
			pr += al.items[k].principal.minor;
			pe += al.items[k].penalty.minor;
		}
		cf_payment_alloc_array_free(&al);
		if (pr != p->principal.minor || pe != p->penalty.minor)
			BREAK("payment %s (%s): allocations do not match", p->id, p->receipt_no);
	}
	if ((rc = MR(uc)->prize_list(MRS(uc), uc->tx, s->id, &prizes)) < 0)
		goto done;
	if (s->status != CF_SCHEME_TERMINATED)
		for (size_t i = 0; i < prizes.count; i++) {
			const cf_prize *p = &prizes.items[i];
			cf_account acct = {CF_ACCT_PRIZE_PAYABLE, p->ticket_no};
			char name[CF_ACCOUNT_NAME_MAX];
			int64_t want =
			        p->paid ? 0 : -(p->prize_amount.minor - p->gst_deducted.minor);

			cf_account_format(acct, name, sizeof name);
			if (bal_of(&bal, name) != want)
				BREAK("scheme %s: %s is %" PRId64 " but the prize says %" PRId64,
				      s->id, name, bal_of(&bal, name), want);
		}
	if (s->status == CF_SCHEME_COMPLETED) {
		if (bal_of(&bal, "scheme_pool") != 0)
			BREAK("scheme %s: completed but scheme_pool is %" PRId64, s->id,
			      bal_of(&bal, "scheme_pool"));
		if (bal_of(&bal, "dividend_remainder") != 0)
			BREAK("scheme %s: completed but dividend_remainder is %" PRId64, s->id,
			      bal_of(&bal, "dividend_remainder"));
	}
	rc = CF_OK;
done:
	cf_prize_array_free(&prizes);
	cf_payment_array_free(&pays);
	cf_due_row_array_free(&dues);
	cf_ticket_acct_array_free(&accts);
	cf_balance_array_free(&bal);
	cf_ledger_line_array_free(&lines);
	return rc;
}

static int do_verify(cf_uc *uc, void *vctx)
{
	cf_money_verify_result *v = ((verify_ctx *)vctx)->out;
	cf_role r = uc->actor->role;
	cf_scheme_filter f;
	cf_scheme_array a = {0};
	int rc;

	memset(v, 0, sizeof *v);
	v->ok = true;
	if ((rc = cf__require_auth(uc)) < 0 || (rc = cf__money_ready(uc)) < 0)
		return rc;
	if (r != CF_ROLE_ADMIN && r != CF_ROLE_AUDITOR && r != CF_ROLE_SYSTEM)
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                "only an admin or auditor may verify");
	memset(&f, 0, sizeof f);
	f.limit = 1000000;
	if ((rc = uc->app->p.schemes.list(uc->app->p.schemes.self, uc->tx, &f, &a)) < 0)
		return rc;
	for (size_t i = 0; rc == CF_OK && v->ok && i < a.count; i++)
		rc = verify_scheme(uc, &a.items[i], v);
	cf_scheme_array_free(&a);
	return rc;
}

int cf_money_verify(cf_app *app, const cf_actor *actor, cf_money_verify_result *out, cf_error *err)
{
	verify_ctx c = {out};

	memset(out, 0, sizeof *out);
	return cf__run(app, actor, do_verify, &c, err);
}
