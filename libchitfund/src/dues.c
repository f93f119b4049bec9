/* dues.c - money helpers shared by the money use cases, and the hooks run
 * inside commencement and draw settlement (dues_internal.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money_internal.h"

/* ---- array frees and names ---- */

CF__DEFINE_ARRAY_FREE(cf_ticket_acct_array_free, cf_ticket_acct_array)
CF__DEFINE_ARRAY_FREE(cf_due_row_array_free, cf_due_row_array)
CF__DEFINE_ARRAY_FREE(cf_payment_alloc_array_free, cf_payment_alloc_array)
CF__DEFINE_ARRAY_FREE(cf_payment_array_free, cf_payment_array)
CF__DEFINE_ARRAY_FREE(cf_prize_array_free, cf_prize_array)
CF__DEFINE_ARRAY_FREE(cf_security_array_free, cf_security_array)
CF__DEFINE_ARRAY_FREE(cf_disbursement_array_free, cf_disbursement_array)
CF__DEFINE_ARRAY_FREE(cf_defaulter_array_free, cf_defaulter_array)
CF__DEFINE_ARRAY_FREE(cf_refund_array_free, cf_refund_array)
CF__DEFINE_ARRAY_FREE(cf_balance_array_free, cf_balance_array)

void cf_idem_reply_free(cf_idem_reply *r)
{
	if (r == NULL)
		return;
	free(r->body);
	memset(r, 0, sizeof *r);
}

void cf_payment_view_free(cf_payment_view *v)
{
	if (v != NULL)
		cf_payment_alloc_array_free(&v->allocs);
}

void cf_payment_page_free(cf_payment_page *p)
{
	if (p != NULL)
		cf_payment_array_free(&p->payments);
}

void cf_ledger_view_free(cf_ledger_view *v)
{
	if (v == NULL)
		return;
	cf_balance_array_free(&v->balances);
	cf_ledger_line_array_free(&v->lines);
}

void cf_statement_free(cf_statement *s)
{
	if (s == NULL)
		return;
	free(s->rows);
	s->rows = NULL;
	s->count = 0;
}

void cf_report_free(cf_report *r)
{
	if (r == NULL)
		return;
	free(r->cells);
	r->cells = NULL;
	r->nrows = 0;
}

static const char *const method_names[] = {"cash", "upi", "bank_transfer", "cheque"};

const char *cf_payment_method_name(cf_payment_method m)
{
	return (unsigned)m < 4 ? method_names[m] : "";
}

int cf_payment_method_parse(const char *s, cf_payment_method *out)
{
	for (int i = 0; s && i < 4; i++)
		if (strcmp(s, method_names[i]) == 0) {
			*out = (cf_payment_method)i;
			return CF_OK;
		}
	return CF_EINVALID;
}

const char *cf_payment_status_name(cf_payment_status s)
{
	return s == CF_PAYMENT_BOUNCED ? "bounced" : "cleared";
}

const char *cf_security_kind_name(cf_security_kind k)
{
	return k == CF_SECURITY_PROPERTY ? "property" : "personal";
}

int cf_security_kind_parse(const char *s, cf_security_kind *out)
{
	if (s && strcmp(s, "personal") == 0)
		*out = CF_SECURITY_PERSONAL;
	else if (s && strcmp(s, "property") == 0)
		*out = CF_SECURITY_PROPERTY;
	else
		return CF_EINVALID;
	return CF_OK;
}

const char *cf_disb_status_name(cf_disb_status s)
{
	return s == CF_DISB_PAID ? "paid" : "pending";
}

int cf_disb_status_parse(const char *s, cf_disb_status *out)
{
	if (s && strcmp(s, "pending") == 0)
		*out = CF_DISB_PENDING;
	else if (s && strcmp(s, "paid") == 0)
		*out = CF_DISB_PAID;
	else
		return CF_EINVALID;
	return CF_OK;
}

/* ---- common ---- */

cf_date cf__today(const cf_uc *uc)
{
	return cf_date_from_unix_ms_ist(uc->now_ms);
}

int cf__money_ready(cf_uc *uc)
{
	if (uc->app->p.money.version == 0 || uc->app->p.ledger.version == 0)
		return cf__fail(uc, CF_ENOTSUPPORTED, "internal-error", "",
		                "money storage is not configured");
	return CF_OK;
}

int cf__money_enter(cf_uc *uc, const char *scheme_id, cf_scheme *s, cf_money_who *w)
{
	int rc;

	if ((rc = cf__require_auth(uc)) < 0 || (rc = cf__money_ready(uc)) < 0 ||
	    (rc = cf__load_scheme(uc, scheme_id, s)) < 0)
		return rc;
	return cf__money_who(uc, s, w);
}

int cf__money_who(cf_uc *uc, const cf_scheme *s, cf_money_who *w)
{
	cf_role r = uc->actor->role;
	bool own = r == CF_ROLE_FOREMAN && strcmp(s->foreman_id, uc->actor->user_id) == 0;

	memset(w, 0, sizeof *w);
	w->manager = r == CF_ROLE_ADMIN || r == CF_ROLE_SYSTEM || own;
	w->staff = w->manager || r == CF_ROLE_AUDITOR;
	if (r == CF_ROLE_AGENT) {
		int rc = uc->app->p.scheme_agents.is_agent(uc->app->p.scheme_agents.self, uc->tx,
		                                           s->id, uc->actor->user_id, &w->agent);
		if (rc < 0)
			return rc;
		w->staff = w->agent;
	}
	return CF_OK;
}

cf_late_fee_terms cf__terms(const cf_scheme *s)
{
	cf_late_fee_terms t;

	t.bps_per_month = s->params.late_fee_bps_per_month;
	t.grace_days = s->params.grace_days;
	return t;
}

int32_t cf__installments(const cf_scheme *s)
{
	return s->params.member_count;
}

void cf__tm_free(cf_ticket_money *tm)
{
	if (tm == NULL)
		return;
	free(tm->dues);
	free(tm->orig);
	tm->dues = tm->orig = NULL;
	tm->n = tm->n_orig = 0;
}

int cf__tm_load(cf_uc *uc, const char *scheme_id, int32_t ticket_no, bool lock, cf_ticket_money *tm)
{
	cf_due_row_array a = {0};
	int rc;

	memset(tm, 0, sizeof *tm);
	rc = MR(uc)->acct_get(MRS(uc), uc->tx, scheme_id, ticket_no, lock, &tm->acct);
	if (rc < 0)
		return rc;
	if ((rc = MR(uc)->due_list(MRS(uc), uc->tx, scheme_id, ticket_no, &a)) < 0)
		return rc;
	if (a.count > 0) {
		tm->dues = malloc(a.count * sizeof *tm->dues);
		if (tm->dues == NULL) {
			cf_due_row_array_free(&a);
			return CF_ENOMEM;
		}
		tm->orig = malloc(a.count * sizeof *tm->orig);
		if (tm->orig == NULL) {
			cf_due_row_array_free(&a);
			cf__tm_free(tm);
			return CF_ENOMEM;
		}
		for (size_t i = 0; i < a.count; i++)
			tm->dues[i] = tm->orig[i] = a.items[i].due;
		tm->n = tm->n_orig = a.count;
	}
	cf_due_row_array_free(&a);
	return CF_OK;
}

/* Field-wise equality (a memcmp would read the struct's padding). */
static bool same_date(cf_date a, cf_date b)
{
	return a.year == b.year && a.month == b.month && a.day == b.day;
}

static bool same_due(const cf_due *a, const cf_due *b)
{
	return a->installment_no == b->installment_no && same_date(a->due_date, b->due_date) &&
	       a->fixed == b->fixed && same_date(a->fixed_on, b->fixed_on) &&
	       a->gross.minor == b->gross.minor && a->dividend.minor == b->dividend.minor &&
	       a->net_due.minor == b->net_due.minor &&
	       a->principal_paid.minor == b->principal_paid.minor &&
	       a->penalty.minor == b->penalty.minor &&
	       a->penalty_paid.minor == b->penalty_paid.minor &&
	       same_date(a->penalty_as_of, b->penalty_as_of) &&
	       same_date(a->penalty_base_date, b->penalty_base_date) &&
	       a->penalty_base_accrued.minor == b->penalty_base_accrued.minor;
}

int cf__tm_save(cf_uc *uc, cf_ticket_money *tm)
{
	int rc;

	for (size_t i = 0; i < tm->n; i++) {
		bool same = false;

		for (size_t k = 0; k < tm->n_orig && !same; k++)
			same = same_due(&tm->orig[k], &tm->dues[i]);
		if (same)
			continue;
		rc = MR(uc)->due_put(MRS(uc), uc->tx, tm->acct.scheme_id, tm->acct.ticket_no,
		                     &tm->dues[i]);
		if (rc < 0)
			return rc;
	}
	tm->acct.dues_version++;
	return MR(uc)->acct_update(MRS(uc), uc->tx, &tm->acct);
}

int cf__ledger_post(cf_uc *uc, const char *scheme_id, const char *event_id, const char *event,
                    const cf_posting *lines, size_t n)
{
	cf_ledger_line *l;
	int rc;

	if (n == 0)
		return CF_OK;
	if (!cf_ledger_balanced(lines, n))
		return cf__fail(uc, CF_ERROR, "internal-error", "", "unbalanced ledger event");
	if ((l = calloc(n, sizeof *l)) == NULL)
		return CF_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		cf__copy(l[i].event_id, sizeof l[i].event_id, event_id);
		cf__copy(l[i].event, sizeof l[i].event, event);
		cf__copy(l[i].scheme_id, sizeof l[i].scheme_id, scheme_id);
		if (cf_account_format(lines[i].account, l[i].account, sizeof l[i].account) < 0) {
			free(l);
			return CF_ERROR;
		}
		l[i].amount = lines[i].amount;
		l[i].posted_at_ms = uc->now_ms;
	}
	rc = uc->app->p.ledger.post(uc->app->p.ledger.self, uc->tx, l, n);
	free(l);
	return rc;
}

int cf__tm_apply(cf_uc *uc, const cf_scheme *s, cf_ticket_money *tm, cf_money amount, cf_date on,
                 bool from_advance, const char *event_id, cf_allocation_result *res,
                 cf_allocation **lines_out)
{
	cf_late_fee_terms t = cf__terms(s);
	cf_allocation *lines = NULL;
	int rc;

	*lines_out = NULL;
	memset(res, 0, sizeof *res);
	if (tm->n > 0 && (lines = calloc(tm->n, sizeof *lines)) == NULL)
		return CF_ENOMEM;
	res->lines = lines;
	res->cap = tm->n;
	if (from_advance)
		rc = cf_dues_apply_advance(tm->dues, tm->n, t, amount, on, res);
	else
		rc = cf_dues_allocate(tm->dues, tm->n, t, amount, on, res);
	if (rc < 0) {
		free(lines);
		return cf__fail(uc, rc, CF_SLUG_VALIDATION, "amount",
		                "the amount cannot be applied");
	}
	if (res->fee_accrued.minor > 0) {
		cf_posting p[2];
		size_t np = 0;

		rc = cf_ledger_late_fee(tm->acct.ticket_no, res->fee_accrued, p, 2, &np);
		if (rc == CF_OK)
			rc = cf__ledger_post(uc, s->id, event_id, "late_fee", p, np);
		if (rc < 0) {
			free(lines);
			return rc;
		}
	}
	*lines_out = lines;
	return CF_OK;
}

int cf__tm_apply_advance(cf_uc *uc, const cf_scheme *s, cf_ticket_money *tm, cf_date on)
{
	cf_allocation_result res;
	cf_allocation *lines;
	char ev[CF_ID_SIZE];
	int rc;

	if (tm->acct.advance.minor <= 0)
		return CF_OK;
	if ((rc = cf__uuid(uc->app, ev)) < 0)
		return rc;
	rc = cf__tm_apply(uc, s, tm, tm->acct.advance, on, true, ev, &res, &lines);
	if (rc < 0)
		return rc;
	free(lines);
	tm->acct.advance = res.advance;
	return CF_OK;
}

int cf__refund(cf_uc *uc, const cf_scheme *s, int32_t ticket_no, const char *user_id,
               const char *kind, cf_money amount)
{
	cf_refund r;
	cf_posting p[2];
	size_t np = 0;
	int rc;

	if (amount.minor <= 0)
		return CF_OK;
	memset(&r, 0, sizeof r);
	if ((rc = cf__uuid(uc->app, r.id)) < 0)
		return rc;
	cf__copy(r.scheme_id, sizeof r.scheme_id, s->id);
	r.ticket_no = ticket_no;
	cf__copy(r.user_id, sizeof r.user_id, user_id);
	cf__copy(r.kind, sizeof r.kind, kind);
	r.amount = amount;
	r.created_at_ms = uc->now_ms;
	if ((rc = cf_ledger_refund(ticket_no, amount, p, 2, &np)) < 0 ||
	    (rc = cf__ledger_post(uc, s->id, r.id, "refund", p, np)) < 0)
		return rc;
	return MR(uc)->refund_insert(MRS(uc), uc->tx, &r);
}

int cf__replace_all(const char *s, const char *from, const char *to, char **out, size_t *len)
{
	size_t fl = strlen(from), tl = strlen(to), n = 0, cap;
	const char *p;
	char *o;

	cap = strlen(s) + 1;
	if (fl > 0 && tl > fl)
		for (p = strstr(s, from); p != NULL; p = strstr(p + fl, from))
			cap += tl - fl;
	if ((o = malloc(cap)) == NULL)
		return CF_ENOMEM;
	for (p = s; *p;) {
		if (fl > 0 && strncmp(p, from, fl) == 0) {
			memcpy(o + n, to, tl);
			n += tl;
			p += fl;
		} else {
			o[n++] = *p++;
		}
	}
	o[n] = '\0';
	*out = o;
	*len = n;
	return CF_OK;
}

/* ---- idempotency ---- */

int cf__idem_begin(cf_uc *uc, const cf_idem *idem, cf_idem_reply *reply)
{
	char hash[CF_HEX256_SIZE], stored[CF_HEX256_SIZE];
	char *body = NULL;
	size_t len = 0;
	int status = 0, rc;

	if (idem == NULL)
		return 0;
	if (idem->key == NULL || idem->key[0] == '\0' || strlen(idem->key) > 255)
		return cf__fail(uc, CF_EINVALID, CF_SLUG_IDEM_REQUIRED, "Idempotency-Key",
		                "an Idempotency-Key of 1 to 255 characters is required");
	for (const char *p = idem->key; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return cf__fail(uc, CF_EINVALID, CF_SLUG_IDEM_REQUIRED, "Idempotency-Key",
			                "the Idempotency-Key must be printable ASCII");
	if (idem->render == NULL)
		return CF_EINVALID;
	rc = cf__sha256_hex(uc->app, idem->request ? idem->request : "",
	                    idem->request ? strlen(idem->request) : 0, hash);
	if (rc < 0)
		return rc;
	stored[0] = '\0';
	rc = MR(uc)->idem_claim(MRS(uc), uc->tx, uc->actor->user_id, idem->key, hash, uc->now_ms,
	                        stored, &status, &body, &len);
	if (rc == CF_OK)
		return 0;
	if (rc != CF_EEXISTS)
		return rc;
	if (strcmp(stored, hash) != 0) {
		free(body);
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_IDEM_REUSED, "Idempotency-Key",
		                "this Idempotency-Key was used with another request");
	}
	if (reply != NULL) {
		cf_idem_reply_free(reply);
		reply->replayed = true;
		reply->status = status;
		reply->body = body;
		reply->len = len;
	} else {
		free(body);
	}
	return 1;
}

int cf__idem_finish(cf_uc *uc, const cf_idem *idem, const void *resource, cf_idem_reply *reply)
{
	char *body = NULL;
	size_t len = 0;
	int status = 0, rc;

	if (idem == NULL)
		return CF_OK;
	rc = idem->render(idem->render_ctx, resource, &status, &body, &len);
	if (rc < 0)
		return rc;
	rc = MR(uc)->idem_complete(MRS(uc), uc->tx, uc->actor->user_id, idem->key, status, body,
	                           len, uc->now_ms);
	if (rc < 0) {
		free(body);
		return rc;
	}
	if (reply != NULL) {
		cf_idem_reply_free(reply);
		reply->replayed = false;
		reply->status = status;
		reply->body = body;
		reply->len = len;
	} else {
		free(body);
	}
	return CF_OK;
}

/* ---- fixing an installment ---- */

/* Fix installment k for every ticket (removed ones too: a substitute takes them over) on `on`:
 * credit pending dividend credits (credits for k), post the demand at gross S, apply advances. */
static int fix_installment(cf_uc *uc, const cf_scheme *s, int32_t k, cf_date on,
                           const cf_dividend_credit *credits, size_t nc)
{
	cf_ticket_array tickets = {0};
	int32_t *demanded = NULL;
	cf_posting *lines = NULL;
	size_t nd = 0, nl = 0;
	cf_date due;
	int rc;

	if ((rc = cf_schedule_due_date(s->params.start_date, s->params.frequency, k, &due)) < 0)
		return rc;
	rc = uc->app->p.tickets.list_by_scheme(uc->app->p.tickets.self, uc->tx, s->id, &tickets);
	if (rc < 0)
		return rc;
	demanded = calloc(tickets.count + 1, sizeof *demanded);
	if (demanded == NULL) {
		rc = CF_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < tickets.count; i++) {
		const cf_ticket *t = &tickets.items[i];
		cf_ticket_money tm;
		cf_due d, *grown;

		/* removed tickets too: a substitute takes their dues over */
		if ((rc = cf__tm_load(uc, s->id, t->ticket_no, true, &tm)) < 0)
			goto out;
		cf_due_init(&d, k, due, s->subscription);
		for (size_t c = 0; c < nc; c++) {
			cf_money excess = cf_money_of(0);

			if (credits[c].ticket_no != t->ticket_no || credits[c].installment_no != k)
				continue;
			if ((rc = cf_due_apply_dividend(&d, credits[c].amount, &excess)) < 0 ||
			    (rc = cf_money_add(tm.acct.advance, excess, &tm.acct.advance)) < 0) {
				cf__tm_free(&tm);
				goto out;
			}
		}
		if ((rc = cf_due_fix(&d, on)) < 0) {
			cf__tm_free(&tm);
			goto out;
		}
		grown = realloc(tm.dues, (tm.n + 1) * sizeof *grown);
		if (grown == NULL) {
			cf__tm_free(&tm);
			rc = CF_ENOMEM;
			goto out;
		}
		tm.dues = grown;
		/* keep installment order: k is the newest fixed installment */
		{
			size_t pos = tm.n;

			while (pos > 0 && tm.dues[pos - 1].installment_no > k)
				pos--;
			if (pos < tm.n && tm.dues[pos].installment_no == k) {
				cf__tm_free(&tm);
				rc = cf__fail(uc, CF_ECONFLICT, CF_SLUG_CONFLICT, "",
				              "installment %d is fixed already", (int)k);
				goto out;
			}
			memmove(&tm.dues[pos + 1], &tm.dues[pos], (tm.n - pos) * sizeof *tm.dues);
			tm.dues[pos] = d;
			tm.n++;
		}
		rc = cf__tm_apply_advance(uc, s, &tm, on);
		if (rc == CF_OK)
			rc = cf__tm_save(uc, &tm);
		cf__tm_free(&tm);
		if (rc < 0)
			goto out;
		demanded[nd++] = t->ticket_no;
	}
	if (nd > 0) {
		char ev[CF_ID_SIZE];

		lines = calloc(2 * nd, sizeof *lines);
		if (lines == NULL) {
			rc = CF_ENOMEM;
			goto out;
		}
		if ((rc = cf_ledger_demand(demanded, nd, s->subscription, lines, 2 * nd, &nl)) <
		            0 ||
		    (rc = cf__uuid(uc->app, ev)) < 0 ||
		    (rc = cf__ledger_post(uc, s->id, ev, "demand", lines, nl)) < 0)
			goto out;
	}
	rc = CF_OK;
out:
	free(lines);
	free(demanded);
	cf_ticket_array_free(&tickets);
	return rc;
}

int cf__dues_on_commence(cf_uc *uc, const cf_scheme *s)
{
	cf_ticket_array tickets = {0};
	int rc;

	if (uc->app->p.money.version == 0 || uc->app->p.ledger.version == 0)
		return CF_OK;
	rc = uc->app->p.tickets.list_by_scheme(uc->app->p.tickets.self, uc->tx, s->id, &tickets);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < tickets.count && rc == CF_OK; i++) {
		cf_ticket_acct a;

		memset(&a, 0, sizeof a);
		cf__copy(a.scheme_id, sizeof a.scheme_id, s->id);
		a.ticket_no = tickets.items[i].ticket_no;
		a.row_version = 1;
		rc = MR(uc)->acct_insert(MRS(uc), uc->tx, &a);
	}
	cf_ticket_array_free(&tickets);
	if (rc < 0)
		return rc;
	if (s->params.dividend_timing == CF_TIMING_NEXT_INSTALLMENT)
		return fix_installment(uc, s, 1, cf__today(uc), NULL, 0);
	return CF_OK;
}

int cf__dues_on_draw_settled(cf_uc *uc, const cf_scheme *s, const cf_auction_result *r,
                             const cf_dividend_credit *credits, size_t n)
{
	int32_t k = r->installment_no, N = s->params.member_count, fix;
	cf_date on = r->settled_at_ms ? cf_date_from_unix_ms_ist(r->settled_at_ms)
	                              : cf_date_from_unix_ms_ist(uc->now_ms);
	cf_prize p;
	int rc;

	if (uc->app->p.money.version == 0 || uc->app->p.ledger.version == 0)
		return CF_OK;
	/* the prize, for security and payout */
	memset(&p, 0, sizeof p);
	cf__copy(p.auction_id, sizeof p.auction_id, r->auction_id);
	cf__copy(p.scheme_id, sizeof p.scheme_id, s->id);
	p.installment_no = k;
	p.ticket_no = r->s.winner_ticket_no;
	p.draw_date = on;
	p.prize_amount = r->s.prize_amount;
	p.gst_deducted =
	        s->params.gst_borne_by == CF_GST_WINNER ? r->s.gst_on_commission : cf_money_of(0);
	if ((rc = cf_prize_future_liability(s->subscription, N - k, &p.liability)) < 0)
		return rc;
	p.due_by = r->prize_due_by;
	if (!cf_date_valid(p.due_by)) {
		cf_date next, *np = NULL;
		cf_money w;

		if (k < N && cf_schedule_due_date(s->params.start_date, s->params.frequency, k + 1,
		                                  &next) == CF_OK)
			np = &next;
		if (cf_prize_no_security(s->subscription, N - k, on, np, &w, &p.due_by) < 0)
			p.due_by = on;
	}
	p.row_version = 1;
	if ((rc = MR(uc)->prize_insert(MRS(uc), uc->tx, &p)) < 0)
		return rc;
	/* dividend credits to the advance (installment 0) */
	for (size_t i = 0; i < n; i++) {
		cf_ticket_acct a;

		if (credits[i].installment_no != 0)
			continue;
		rc = MR(uc)->acct_get(MRS(uc), uc->tx, s->id, credits[i].ticket_no, true, &a);
		if (rc < 0)
			return rc;
		if ((rc = cf_money_add(a.advance, credits[i].amount, &a.advance)) < 0)
			return rc;
		a.dues_version++;
		if ((rc = MR(uc)->acct_update(MRS(uc), uc->tx, &a)) < 0)
			return rc;
	}
	fix = s->params.dividend_timing == CF_TIMING_NEXT_INSTALLMENT ? k + 1 : k;
	if (fix <= N) {
		if ((rc = fix_installment(uc, s, fix, on, credits, n)) < 0)
			return rc;
	}
	return cf__maybe_complete(uc, s->id, NULL);
}

/* ---- completion ---- */

int cf__maybe_complete(cf_uc *uc, const char *scheme_id, bool *done)
{
	cf_scheme s, before;
	cf_prize_array prizes = {0};
	cf_due_row_array dues = {0};
	cf_ticket_acct_array accts = {0};
	cf_ticket_array tickets = {0};
	int32_t N;
	int rc;

	if (done)
		*done = false;
	if ((rc = uc->app->p.schemes.get(uc->app->p.schemes.self, uc->tx, scheme_id, &s)) < 0)
		return rc;
	if (s.status != CF_SCHEME_RUNNING)
		return CF_OK;
	N = s.params.member_count;
	if ((rc = MR(uc)->prize_list(MRS(uc), uc->tx, s.id, &prizes)) < 0)
		return rc;
	if ((int32_t)prizes.count < N) {
		cf_prize_array_free(&prizes);
		return CF_OK;
	}
	cf_prize_array_free(&prizes);
	if ((rc = MR(uc)->due_list(MRS(uc), uc->tx, s.id, 0, &dues)) < 0)
		return rc;
	for (size_t i = 0; i < dues.count; i++) {
		const cf_due *d = &dues.items[i].due;

		if (d->principal_paid.minor < d->net_due.minor ||
		    d->penalty_paid.minor < d->penalty.minor) {
			cf_due_row_array_free(&dues);
			return CF_OK;
		}
	}
	cf_due_row_array_free(&dues);
	if ((rc = MR(uc)->acct_list(MRS(uc), uc->tx, s.id, &accts)) < 0)
		return rc;
	rc = uc->app->p.tickets.list_by_scheme(uc->app->p.tickets.self, uc->tx, s.id, &tickets);
	for (size_t i = 0; rc == CF_OK && i < accts.count; i++) {
		cf_ticket_acct *a = &accts.items[i];
		const char *holder = "";

		if (a->advance.minor <= 0)
			continue;
		for (size_t t = 0; t < tickets.count; t++)
			if (tickets.items[t].ticket_no == a->ticket_no)
				holder = tickets.items[t].user_id;
		rc = cf__refund(uc, &s, a->ticket_no, holder, "advance", a->advance);
		if (rc == CF_OK) {
			a->advance = cf_money_of(0);
			a->dues_version++;
			rc = MR(uc)->acct_update(MRS(uc), uc->tx, a);
		}
	}
	cf_ticket_array_free(&tickets);
	cf_ticket_acct_array_free(&accts);
	if (rc < 0)
		return rc;
	before = s;
	s.status = CF_SCHEME_COMPLETED;
	s.updated_at_ms = uc->now_ms;
	if ((rc = uc->app->p.schemes.update(uc->app->p.schemes.self, uc->tx, &s)) < 0)
		return rc;
	(void)before;
	if (done)
		*done = true;
	return cf__audit(uc, "scheme.complete", "scheme", s.id,
	                 "{\"after\":{\"status\":\"completed\"}}");
}
