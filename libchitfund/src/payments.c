/* payments.c - record a payment (allocation, late fees, advance, receipt
 * number, ledger, idempotency), bounce a cheque, read and list payments. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money_internal.h"
#include "notifications_internal.h"

static bool is_empty(const char *s)
{
	return s == NULL || s[0] == '\0';
}

/* Load the payment's allocations into v. */
static int load_view(cf_uc *uc, const cf_payment *p, cf_payment_view *v)
{
	cf_payment_view_free(v);
	v->p = *p;
	return MR(uc)->alloc_list(MRS(uc), uc->tx, p->id, &v->allocs);
}

/* ---- record ---- */

typedef struct record_ctx {
	const cf_payment_req *req;
	const cf_idem *idem;
	cf_payment_view *out;
	cf_idem_reply *reply;
	/* the receipt number is taken with the commit (receipt_assign_at_commit):
	 * cf_payment_record finishes the answer once the commit succeeded */
	bool at_commit;
	int status;
	char *body; /* the rendered answer with placeholder (owned) */
	char prefix[16];
	char placeholder[32];
} record_ctx;

/* After the commit: the receipt number into the view and the key's answer. */
static int finish_receipt(record_ctx *c)
{
	cf_payment *p = &c->out->p;

	int n;

	if (p->receipt_seq <= 0)
		return CF_ERROR;
	n = snprintf(p->receipt_no, sizeof p->receipt_no, "%s%06" PRId64, c->prefix,
	             p->receipt_seq);
	if (n < 0 || (size_t)n >= sizeof p->receipt_no)
		return CF_ERROR;
	if (c->idem == NULL || c->reply == NULL)
		return CF_OK;
	cf_idem_reply_free(c->reply);
	c->reply->status = c->status;
	return cf__replace_all(c->body ? c->body : "", c->placeholder, p->receipt_no,
	                       &c->reply->body, &c->reply->len);
}

static int do_record(cf_uc *uc, void *vctx)
{
	record_ctx *c = vctx;
	const cf_payment_req *q = c->req;
	cf_payment *p = &c->out->p;
	cf_ticket_money tm;
	cf_allocation_result res;
	cf_allocation *lines = NULL;
	cf_payment_alloc *allocs = NULL;
	cf_money_who who;
	cf_scheme s;
	cf_ticket t;
	cf_date today = cf__today(uc), paid_on;
	cf_posting post[4];
	size_t np = 0, na = 0;
	char fy[8], prefix[16], summary[320], placeholder[32] = "";
	char *body = NULL;
	size_t len = 0;
	int64_t seq = 0;
	int status = 0, rc;
	bool clear;

	cf_payment_view_free(c->out);
	memset(p, 0, sizeof *p);
	memset(&tm, 0, sizeof tm);
	free(c->body); /* an earlier attempt's */
	c->body = NULL;
	c->at_commit = false;
	if ((rc = cf__require_auth(uc)) < 0 || (rc = cf__money_ready(uc)) < 0)
		return rc;
	if ((rc = cf__idem_begin(uc, c->idem, c->reply)) != 0)
		return rc < 0 ? rc : CF_OK;
	if ((rc = cf__load_scheme(uc, q->scheme_id, &s)) < 0 ||
	    (rc = cf__money_who(uc, &s, &who)) < 0)
		return rc;
	rc = uc->app->p.tickets.get(uc->app->p.tickets.self, uc->tx, s.id, q->ticket_no, &t);
	if (rc == CF_ENOTFOUND)
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such ticket");
	if (rc < 0)
		return rc;
	if (uc->actor->role == CF_ROLE_SUBSCRIBER) {
		if (strcmp(t.user_id, uc->actor->user_id) != 0)
			return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such ticket");
		if (q->method != CF_PAY_UPI && q->method != CF_PAY_BANK_TRANSFER)
			return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "method",
			                "subscribers may pay by upi or bank_transfer only");
		if (is_empty(q->reference))
			return cf__fail(uc, CF_EINVALID, CF_SLUG_VALIDATION, "reference",
			                "a reference is required");
	} else if (!(who.manager || who.agent) || uc->actor->role == CF_ROLE_AUDITOR) {
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                "only the scheme's foreman and agents may record payments");
	}
	if (s.status != CF_SCHEME_RUNNING)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_SCHEME_NOT_RUNNING, "",
		                "the scheme is not running");
	paid_on = q->has_paid_on ? q->paid_on : today;
	if (cf_date_cmp(paid_on, today) > 0)
		return cf__fail(uc, CF_EINVALID, CF_SLUG_VALIDATION, "paid_on",
		                "paid_on may not be in the future");
	rc = cf__tm_load(uc, s.id, t.ticket_no, true, &tm);
	if (rc == CF_ENOTFOUND)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_SCHEME_NOT_RUNNING, "",
		                "the ticket has no dues yet");
	if (rc < 0)
		goto out;
	if (cf_date_valid(tm.acct.last_paid_on) && cf_date_cmp(paid_on, tm.acct.last_paid_on) < 0) {
		rc = cf__fail(uc, CF_ECONFLICT, CF_SLUG_PAID_ON_BEFORE, "paid_on",
		              "paid_on is before the ticket's latest payment");
		goto out;
	}
	if ((rc = cf__uuid(uc->app, p->id)) < 0)
		goto out;
	p->advance_before = tm.acct.advance;
	rc = cf__tm_apply(uc, &s, &tm, q->amount, paid_on, false, p->id, &res, &lines);
	if (rc < 0)
		goto out;
	if (res.count > 0 && (allocs = calloc(res.count, sizeof *allocs)) == NULL) {
		rc = CF_ENOMEM;
		goto out;
	}
	/* the state before: tm.orig holds the dues as loaded (tm.dues changed in place) */
	for (size_t i = 0; i < res.count; i++) {
		cf_payment_alloc *a = &allocs[na++];

		cf__copy(a->payment_id, sizeof a->payment_id, p->id);
		a->installment_no = lines[i].installment_no;
		a->principal = lines[i].principal;
		a->penalty = lines[i].penalty;
		for (size_t b = 0; b < tm.n_orig; b++) {
			const cf_due *d = &tm.orig[b];

			if (d->installment_no != a->installment_no)
				continue;
			a->prev_penalty = d->penalty;
			a->prev_penalty_as_of = d->penalty_as_of;
			a->prev_base_date = d->penalty_base_date;
			a->prev_base_accrued = d->penalty_base_accrued;
		}
		if ((rc = cf_money_add(p->principal, a->principal, &p->principal)) < 0 ||
		    (rc = cf_money_add(p->penalty, a->penalty, &p->penalty)) < 0)
			goto out;
	}
	p->advance = res.advance;
	p->fee_accrued = res.fee_accrued;
	if ((rc = cf_money_add(tm.acct.advance, res.advance, &tm.acct.advance)) < 0)
		goto out;
	tm.acct.last_paid_on = paid_on;
	/* does this payment finish the ticket? (then the scheme may be complete) */
	clear = (int32_t)tm.n == cf__installments(&s);
	for (size_t i = 0; clear && i < tm.n; i++)
		if (tm.dues[i].principal_paid.minor < tm.dues[i].net_due.minor ||
		    tm.dues[i].penalty_paid.minor < tm.dues[i].penalty.minor)
			clear = false;
	/* Everything that could refuse has been decided, and (unless the completion
	 * check below must read them back) nothing reads what follows: the writes
	 * may travel with the COMMIT, one round trip for all of them. */
	if (!clear)
		cf__defer_writes(uc);
	if ((rc = cf__tm_save(uc, &tm)) < 0)
		goto out;
	rc = cf_ledger_payment(t.ticket_no, p->principal, p->penalty, p->advance, post, 4, &np);
	if (rc < 0 || (rc = cf__ledger_post(uc, s.id, p->id, "payment", post, np)) < 0)
		goto out;
	if (na > 0 && (rc = MR(uc)->alloc_insert(MRS(uc), uc->tx, allocs, na)) < 0)
		goto out;
	cf__copy(p->scheme_id, sizeof p->scheme_id, s.id);
	p->ticket_no = t.ticket_no;
	cf__copy(p->payer_id, sizeof p->payer_id, t.user_id);
	p->amount = q->amount;
	p->method = q->method;
	cf__copy(p->reference, sizeof p->reference, q->reference);
	p->paid_on = paid_on;
	p->status = CF_PAYMENT_CLEARED;
	p->dues_version = tm.acct.dues_version;
	cf__copy(p->recorded_by, sizeof p->recorded_by, uc->actor->user_id);
	p->created_at_ms = uc->now_ms;
	if (clear && (rc = cf__maybe_complete(uc, s.id, NULL)) < 0)
		goto out;
	/* the payment row first (its receipt number comes last) */
	p->receipt_fy = cf_financial_year(paid_on);
	if ((rc = cf_financial_year_format(p->receipt_fy, fy, sizeof fy)) < 0)
		goto out;
	snprintf(prefix, sizeof prefix, "R/%s/", fy);
	if ((rc = MR(uc)->payment_insert(MRS(uc), uc->tx, p)) < 0)
		goto out;
	c->out->allocs.items = allocs;
	c->out->allocs.count = na;
	allocs = NULL;
	/* the answer, rendered with a one-off placeholder where the receipt number goes */
	if (c->idem != NULL) {
		uint8_t rnd[8];
		char hex[17];

		if ((rc = uc->app->p.rng.fill(uc->app->p.rng.self, rnd, sizeof rnd)) < 0)
			goto out;
		cf__hex(rnd, sizeof rnd, hex);
		snprintf(placeholder, sizeof placeholder, "~rcpt-%s~", hex);
		cf__copy(p->receipt_no, sizeof p->receipt_no, placeholder);
		rc = c->idem->render(c->idem->render_ctx, c->out, &status, &body, &len);
		if (rc < 0)
			goto out;
	}
	snprintf(summary, sizeof summary,
	         "{\"after\":{\"payment_id\":\"%s\",\"ticket_no\":%d,\"amount\":%" PRId64
	         ",\"method\":\"%s\",\"paid_on\":\"%04d-%02d-%02d\"}}",
	         p->id, (int)p->ticket_no, p->amount.minor, cf_payment_method_name(p->method),
	         (int)paid_on.year, (int)paid_on.month, (int)paid_on.day);
	if ((rc = cf__notify_payment(uc, t.user_id, s.id, p->id, t.ticket_no, p->amount.minor)) < 0)
		goto out;
	if ((rc = cf__audit(uc, "payment.record", "payment", p->id, summary)) < 0)
		goto out;
	/* serialisation point, last: the year's receipt counter (and the key's answer),
	 * with the commit when the adapter can (the lock is then held only for it) */
	if (MR(uc)->version >= 2 && MR(uc)->receipt_assign_at_commit != NULL) {
		rc = MR(uc)->receipt_assign_at_commit(
		        MRS(uc), uc->tx, p->id, p->receipt_fy, prefix,
		        c->idem ? uc->actor->user_id : NULL, c->idem ? c->idem->key : NULL, status,
		        body ? body : "", placeholder, uc->now_ms, &p->receipt_seq);
		if (rc < 0)
			goto out;
		c->at_commit = true;
		c->status = status;
		c->body = body;
		body = NULL;
		cf__copy(c->prefix, sizeof c->prefix, prefix);
		cf__copy(c->placeholder, sizeof c->placeholder, placeholder);
		rc = CF_OK;
		goto out;
	}
	rc = MR(uc)->receipt_assign(MRS(uc), uc->tx, p->id, p->receipt_fy, prefix,
	                            c->idem ? uc->actor->user_id : NULL,
	                            c->idem ? c->idem->key : NULL, status, body ? body : "",
	                            placeholder, uc->now_ms, &seq);
	if (rc < 0)
		goto out;
	p->receipt_seq = seq;
	snprintf(p->receipt_no, sizeof p->receipt_no, "%s%06" PRId64, prefix, seq);
	if (c->idem != NULL && c->reply != NULL) {
		cf_idem_reply_free(c->reply);
		c->reply->status = status;
		if ((rc = cf__replace_all(body, placeholder, p->receipt_no, &c->reply->body,
		                          &c->reply->len)) < 0)
			goto out;
	}
	rc = CF_OK;
out:
	free(body);
	free(lines);
	free(allocs);
	cf__tm_free(&tm);
	return rc;
}

int cf_payment_record(cf_app *app, const cf_actor *actor, const cf_payment_req *req,
                      const cf_idem *idem, cf_payment_view *out, cf_idem_reply *reply,
                      cf_error *err)
{
	record_ctx c;
	int rc;

	memset(out, 0, sizeof *out);
	if (reply)
		memset(reply, 0, sizeof *reply);
	if (err)
		memset(err, 0, sizeof *err);
	if (req->amount.minor <= 0 || req->amount.minor > INT64_C(9007199254740991))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "amount",
		                    "amount must be a positive integer in paise");
	if ((unsigned)req->method > CF_PAY_CHEQUE)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "method",
		                    "method must be cash, upi, bank_transfer or cheque");
	if (req->reference != NULL && !cf__text_ok(req->reference, 0, 128, CF_PAY_REF_SIZE))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "reference",
		                    "reference must be up to 128 characters");
	if (req->has_paid_on && !cf_date_valid(req->paid_on))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "paid_on",
		                    "paid_on must be a date");
	memset(&c, 0, sizeof c);
	c.req = req;
	c.idem = idem;
	c.out = out;
	c.reply = reply;
	rc = cf__run(app, actor, do_record, &c, err);
	if (rc == CF_OK && c.at_commit)
		rc = cf_error_default(err, finish_receipt(&c));
	free(c.body);
	if (rc < 0) {
		cf_payment_view_free(out);
		memset(out, 0, sizeof *out);
		cf_idem_reply_free(reply);
	}
	return rc;
}

/* ---- read ---- */

/* Staff of the payment's scheme, or its payer (others: not found). */
static int require_payment_read(cf_uc *uc, const cf_payment *p)
{
	cf_scheme s;
	cf_money_who who;
	int rc;

	if ((rc = cf__load_scheme(uc, p->scheme_id, &s)) < 0 ||
	    (rc = cf__money_who(uc, &s, &who)) < 0)
		return rc;
	if (who.staff || strcmp(p->payer_id, uc->actor->user_id) == 0)
		return CF_OK;
	if (uc->actor->role == CF_ROLE_SUBSCRIBER)
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such payment");
	return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "", "not allowed");
}

typedef struct get_ctx {
	const char *key;
	bool by_receipt;
	cf_payment_view *out;
} get_ctx;

static int do_get(cf_uc *uc, void *vctx)
{
	get_ctx *c = vctx;
	cf_payment p;
	int rc;

	if ((rc = cf__require_auth(uc)) < 0 || (rc = cf__money_ready(uc)) < 0)
		return rc;
	if (c->by_receipt)
		rc = MR(uc)->payment_get_by_receipt(MRS(uc), uc->tx, c->key, &p);
	else if (!cf__is_uuid(c->key))
		rc = CF_ENOTFOUND;
	else
		rc = MR(uc)->payment_get(MRS(uc), uc->tx, c->key, false, &p);
	if (rc == CF_ENOTFOUND)
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such payment");
	if (rc < 0 || (rc = require_payment_read(uc, &p)) < 0)
		return rc;
	return load_view(uc, &p, c->out);
}

int cf_payment_get(cf_app *app, const cf_actor *actor, const char *payment_id, cf_payment_view *out,
                   cf_error *err)
{
	get_ctx c = {payment_id, false, out};
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = cf__run_read(app, actor, do_get, &c, err)) < 0)
		cf_payment_view_free(out);
	return rc;
}

int cf_receipt_get(cf_app *app, const cf_actor *actor, const char *receipt_no, cf_payment_view *out,
                   cf_error *err)
{
	get_ctx c = {receipt_no, true, out};
	int rc;

	memset(out, 0, sizeof *out);
	if (receipt_no == NULL || strlen(receipt_no) >= CF_RECEIPT_NO_SIZE)
		return cf_error_set(err, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such receipt");
	if ((rc = cf__run_read(app, actor, do_get, &c, err)) < 0)
		cf_payment_view_free(out);
	return rc;
}

/* ---- list ---- */

typedef struct list_ctx {
	const char *scheme_id;
	size_t limit;
	int64_t after;
	cf_payment_page *out;
} list_ctx;

static int do_list(cf_uc *uc, void *vctx)
{
	list_ctx *c = vctx;
	cf_payment_array a = {0};
	cf_money_who who;
	cf_scheme s;
	int rc;

	cf_payment_page_free(c->out);
	c->out->next_cursor[0] = '\0';
	if ((rc = cf__money_enter(uc, c->scheme_id, &s, &who)) < 0)
		return rc;
	if (!who.staff && uc->actor->role != CF_ROLE_SUBSCRIBER)
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "", "not allowed");
	if (who.staff) {
		rc = MR(uc)->payment_list(MRS(uc), uc->tx, s.id, 0, c->after, c->limit + 1, &a);
	} else {
		/* a subscriber: his own payments only, in a scheme he holds a ticket of */
		cf_payment_array all = {0};
		cf_ticket_array t = {0};
		size_t k = 0;
		bool holder = false;

		rc = uc->app->p.tickets.list_by_scheme(uc->app->p.tickets.self, uc->tx, s.id, &t);
		if (rc < 0)
			return rc;
		for (size_t i = 0; i < t.count; i++)
			holder |= strcmp(t.items[i].user_id, uc->actor->user_id) == 0;
		cf_ticket_array_free(&t);
		if (!holder)
			return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such scheme");
		rc = MR(uc)->payment_list(MRS(uc), uc->tx, s.id, 0, c->after, 0, &all);
		if (rc < 0)
			return rc;
		for (size_t i = 0; i < all.count; i++)
			if (strcmp(all.items[i].payer_id, uc->actor->user_id) == 0 &&
			    k < c->limit + 1)
				all.items[k++] = all.items[i];
		all.count = k;
		a = all;
	}
	if (rc < 0)
		return rc;
	if (a.count > c->limit) {
		a.count = c->limit;
		snprintf(c->out->next_cursor, sizeof c->out->next_cursor, "p%" PRId64,
		         a.items[a.count - 1].seq);
	}
	c->out->payments = a;
	return CF_OK;
}

int cf_payment_list(cf_app *app, const cf_actor *actor, const char *scheme_id, size_t limit,
                    const char *cursor, cf_payment_page *out, cf_error *err)
{
	list_ctx c;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&c, 0, sizeof c);
	if ((rc = cf__limit(limit, &c.limit, err)) < 0 ||
	    (rc = cf__cursor_seq(cursor, 'p', &c.after, err)) < 0)
		return rc;
	c.scheme_id = scheme_id;
	c.out = out;
	if ((rc = cf__run_read(app, actor, do_list, &c, err)) < 0)
		cf_payment_page_free(out);
	return rc;
}

/* ---- bounce ---- */

typedef struct bounce_ctx {
	const char *id;
	cf_date bounced_on;
	const char *reason;
	cf_payment_view *out;
} bounce_ctx;

static int do_bounce(cf_uc *uc, void *vctx)
{
	bounce_ctx *c = vctx;
	cf_payment p;
	cf_scheme s;
	cf_money_who who;
	cf_ticket_money tm;
	cf_payment_alloc_array al = {0};
	cf_ledger_line_array lines = {0};
	cf_posting *orig = NULL, *rev = NULL;
	size_t no = 0, nr = 0;
	char ev[CF_ID_SIZE], summary[160];
	int rc;

	memset(&tm, 0, sizeof tm);
	if ((rc = cf__require_auth(uc)) < 0 || (rc = cf__money_ready(uc)) < 0)
		return rc;
	if (!cf__is_uuid(c->id))
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such payment");
	rc = MR(uc)->payment_get(MRS(uc), uc->tx, c->id, true, &p);
	if (rc == CF_ENOTFOUND)
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such payment");
	if (rc < 0 || (rc = cf__load_scheme(uc, p.scheme_id, &s)) < 0 ||
	    (rc = cf__money_who(uc, &s, &who)) < 0)
		return rc;
	if (!(who.manager || who.agent)) {
		if (!who.staff && strcmp(p.payer_id, uc->actor->user_id) != 0)
			return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such payment");
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                "only the scheme's foreman or agents may bounce a payment");
	}
	if (p.method != CF_PAY_CHEQUE)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_CONFLICT, "", "only a cheque can bounce");
	if (p.status != CF_PAYMENT_CLEARED)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_CONFLICT, "",
		                "the payment bounced already");
	if (cf_date_cmp(c->bounced_on, p.paid_on) < 0 ||
	    cf_date_cmp(c->bounced_on, cf__today(uc)) > 0)
		return cf__fail(uc, CF_EINVALID, CF_SLUG_VALIDATION, "bounced_on",
		                "bounced_on must be between paid_on and today");
	if ((rc = cf__tm_load(uc, s.id, p.ticket_no, true, &tm)) < 0)
		return rc;
	if (tm.acct.dues_version != p.dues_version) {
		rc = cf__fail(uc, CF_ECONFLICT, CF_SLUG_CONFLICT, "",
		              "the ticket's dues changed after this payment; bounce later "
		              "payments first");
		goto out;
	}
	if ((rc = MR(uc)->alloc_list(MRS(uc), uc->tx, p.id, &al)) < 0)
		goto out;
	for (size_t i = 0; i < al.count; i++) {
		const cf_payment_alloc *a = &al.items[i];

		for (size_t k = 0; k < tm.n; k++) {
			cf_due *d = &tm.dues[k];

			if (d->installment_no != a->installment_no)
				continue;
			d->principal_paid.minor -= a->principal.minor;
			d->penalty_paid.minor -= a->penalty.minor;
			d->penalty = a->prev_penalty;
			d->penalty_as_of = a->prev_penalty_as_of;
			d->penalty_base_date = a->prev_base_date;
			d->penalty_base_accrued = a->prev_base_accrued;
		}
	}
	tm.acct.advance = p.advance_before;
	if ((rc = cf__tm_save(uc, &tm)) < 0)
		goto out;
	/* reverse the payment's lines and the late fee it posted */
	rc = uc->app->p.ledger.list_by_scheme(uc->app->p.ledger.self, uc->tx, s.id, &lines);
	if (rc < 0)
		goto out;
	orig = calloc(lines.count + 1, sizeof *orig);
	rev = calloc(lines.count + 1, sizeof *rev);
	if (orig == NULL || rev == NULL) {
		rc = CF_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < lines.count; i++) {
		const cf_ledger_line *l = &lines.items[i];

		if (strcmp(l->event_id, p.id) != 0)
			continue;
		if ((rc = cf_account_parse(l->account, strlen(l->account), &orig[no].account)) < 0)
			goto out;
		orig[no++].amount = l->amount;
	}
	if ((rc = cf_ledger_reverse(orig, no, rev, lines.count + 1, &nr)) < 0 ||
	    (rc = cf__uuid(uc->app, ev)) < 0 ||
	    (rc = cf__ledger_post(uc, s.id, ev, "bounce", rev, nr)) < 0)
		goto out;
	p.status = CF_PAYMENT_BOUNCED;
	p.bounced_on = c->bounced_on;
	cf__copy(p.bounce_reason, sizeof p.bounce_reason, c->reason);
	if ((rc = MR(uc)->payment_set_status(MRS(uc), uc->tx, &p)) < 0)
		goto out;
	c->out->p = p;
	c->out->allocs = al;
	al.items = NULL;
	al.count = 0;
	snprintf(summary, sizeof summary,
	         "{\"after\":{\"receipt_no\":\"%s\",\"status\":\"bounced\"}}", p.receipt_no);
	rc = cf__audit(uc, "payment.bounce", "payment", p.id, summary);
out:
	free(orig);
	free(rev);
	cf_ledger_line_array_free(&lines);
	cf_payment_alloc_array_free(&al);
	cf__tm_free(&tm);
	return rc;
}

int cf_payment_bounce(cf_app *app, const cf_actor *actor, const char *payment_id,
                      cf_date bounced_on, const char *reason, cf_payment_view *out, cf_error *err)
{
	bounce_ctx c = {payment_id, bounced_on, reason, out};
	int rc;

	memset(out, 0, sizeof *out);
	if (err)
		memset(err, 0, sizeof *err);
	if (!cf_date_valid(bounced_on))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "bounced_on",
		                    "bounced_on must be a date");
	if (!cf__text_ok(reason, 1, 256, CF_REASON_SIZE))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "reason",
		                    "reason must be 1 to 256 characters");
	if ((rc = cf__run(app, actor, do_bounce, &c, err)) < 0)
		cf_payment_view_free(out);
	return rc;
}
