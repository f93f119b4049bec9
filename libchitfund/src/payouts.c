/* payouts.c - prize security, the no-security option, and disbursements
 * with maker-checker (domain.md "Prize payout", s.22). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money_internal.h"

/* Load the prize of an auction (lock optional) and its scheme. */
static int load_prize(cf_uc *uc, const char *auction_id, bool lock, cf_prize *p, cf_scheme *s,
                      cf_money_who *who)
{
	int rc;

	if (!cf__is_uuid(auction_id))
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such settled auction");
	rc = MR(uc)->prize_get(MRS(uc), uc->tx, auction_id, lock, p);
	if (rc == CF_ENOTFOUND)
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such settled auction");
	if (rc < 0 || (rc = cf__load_scheme(uc, p->scheme_id, s)) < 0)
		return rc;
	return cf__money_who(uc, s, who);
}

static int winner_of(cf_uc *uc, const cf_prize *p, cf_ticket *t)
{
	return uc->app->p.tickets.get(uc->app->p.tickets.self, uc->tx, p->scheme_id, p->ticket_no,
	                              t);
}

/* ---- security ---- */

typedef struct sec_ctx {
	const char *auction_id;
	cf_security_kind kind;
	const char *description;
	cf_money value;
	cf_security_rec *out;
} sec_ctx;

static int do_security(cf_uc *uc, void *vctx)
{
	sec_ctx *c = vctx;
	cf_prize p;
	cf_scheme s;
	cf_money_who who;
	char summary[200];
	int rc;

	if ((rc = cf__require_auth(uc)) < 0 || (rc = cf__money_ready(uc)) < 0)
		return rc;
	if ((rc = load_prize(uc, c->auction_id, true, &p, &s, &who)) < 0)
		return rc;
	if (!who.manager)
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                "only the scheme's foreman may record security");
	memset(c->out, 0, sizeof *c->out);
	if ((rc = cf__uuid(uc->app, c->out->id)) < 0)
		return rc;
	cf__copy(c->out->auction_id, sizeof c->out->auction_id, p.auction_id);
	c->out->kind = c->kind;
	cf__copy(c->out->description, sizeof c->out->description, c->description);
	c->out->value = c->value;
	cf__copy(c->out->created_by, sizeof c->out->created_by, uc->actor->user_id);
	c->out->created_at_ms = uc->now_ms;
	if ((rc = MR(uc)->security_insert(MRS(uc), uc->tx, c->out)) < 0)
		return rc;
	snprintf(summary, sizeof summary,
	         "{\"after\":{\"auction_id\":\"%s\",\"kind\":\"%s\",\"value\":%" PRId64 "}}",
	         p.auction_id, cf_security_kind_name(c->kind), c->value.minor);
	return cf__audit(uc, "prize.security", "security", c->out->id, summary);
}

int cf_security_record(cf_app *app, const cf_actor *actor, const char *auction_id,
                       cf_security_kind kind, const char *description, cf_money value,
                       cf_security_rec *out, cf_error *err)
{
	sec_ctx c = {auction_id, kind, description, value, out};

	memset(out, 0, sizeof *out);
	if (err)
		memset(err, 0, sizeof *err);
	if (kind != CF_SECURITY_PERSONAL && kind != CF_SECURITY_PROPERTY)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "kind",
		                    "kind must be personal or property");
	if (!cf__text_ok(description, 1, 256, CF_REASON_SIZE))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "description",
		                    "description must be 1 to 256 characters");
	if (value.minor <= 0 || value.minor > INT64_C(9007199254740991))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "value",
		                    "value must be a positive amount in paise");
	return cf__run(app, actor, do_security, &c, err);
}

/* ---- no-security ---- */

typedef struct prize_ctx {
	const char *auction_id;
	bool elect;
	cf_prize *out;
} prize_ctx;

static int do_prize(cf_uc *uc, void *vctx)
{
	prize_ctx *c = vctx;
	cf_scheme s;
	cf_money_who who;
	cf_ticket t;
	int rc;

	if ((rc = cf__require_auth(uc)) < 0 || (rc = cf__money_ready(uc)) < 0)
		return rc;
	if ((rc = load_prize(uc, c->auction_id, c->elect, c->out, &s, &who)) < 0 ||
	    (rc = winner_of(uc, c->out, &t)) < 0)
		return rc;
	bool winner = strcmp(t.user_id, uc->actor->user_id) == 0;
	if (!c->elect)
		return (who.staff || winner)
		               ? CF_OK
		               : cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such prize");
	if (!who.manager && !winner) {
		if (uc->actor->role == CF_ROLE_SUBSCRIBER)
			return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such prize");
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                "only the winner or the scheme's foreman may elect this");
	}
	if (c->out->paid)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_ALREADY_APPROVED, "",
		                "the prize is paid already");
	if (c->out->no_security)
		return CF_OK;
	c->out->no_security = true;
	{
		cf_date next, *np = NULL;
		cf_money w;
		int32_t k = c->out->installment_no, N = s.params.member_count;

		if (k < N && cf_schedule_due_date(s.params.start_date, s.params.frequency, k + 1,
		                                  &next) == CF_OK)
			np = &next;
		if (cf_prize_no_security(s.subscription, N - k, c->out->draw_date, np, &w,
		                         &c->out->due_by) < 0)
			c->out->due_by = c->out->draw_date;
	}
	if ((rc = MR(uc)->prize_update(MRS(uc), uc->tx, c->out)) < 0)
		return rc;
	return cf__audit(uc, "prize.no_security", "auction", c->out->auction_id,
	                 "{\"after\":{\"no_security\":true}}");
}

int cf_prize_elect_no_security(cf_app *app, const cf_actor *actor, const char *auction_id,
                               cf_prize *out, cf_error *err)
{
	prize_ctx c = {auction_id, true, out};

	memset(out, 0, sizeof *out);
	return cf__run(app, actor, do_prize, &c, err);
}

int cf_prize_get(cf_app *app, const cf_actor *actor, const char *auction_id, cf_prize *out,
                 cf_error *err)
{
	prize_ctx c = {auction_id, false, out};

	memset(out, 0, sizeof *out);
	return cf__run_read(app, actor, do_prize, &c, err);
}

/* ---- disbursement ---- */

typedef struct disb_ctx {
	const char *auction_id;
	const char *method;
	const char *reference;
	const cf_idem *idem;
	cf_disbursement *out;
	cf_idem_reply *reply;
	const char *id;
} disb_ctx;

static int do_disb_create(cf_uc *uc, void *vctx)
{
	disb_ctx *c = vctx;
	cf_disbursement *d = c->out;
	cf_security_array secs = {0};
	cf_prize p;
	cf_scheme s;
	cf_money_who who;
	cf_money net, withheld = cf_money_of(0);
	bool covered = true;
	char summary[200];
	int rc;

	if ((rc = cf__require_auth(uc)) < 0 || (rc = cf__money_ready(uc)) < 0)
		return rc;
	if ((rc = cf__idem_begin(uc, c->idem, c->reply)) != 0)
		return rc < 0 ? rc : CF_OK;
	if ((rc = load_prize(uc, c->auction_id, true, &p, &s, &who)) < 0)
		return rc;
	if (!who.manager || uc->actor->role == CF_ROLE_SYSTEM)
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                "only the scheme's foreman may create a disbursement");
	if (p.paid)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_ALREADY_APPROVED, "",
		                "the prize is paid already");
	if ((rc = cf_money_sub(p.prize_amount, p.gst_deducted, &net)) < 0)
		return rc;
	if (p.no_security) {
		withheld = cf_money_cmp(p.liability, net) > 0 ? net : p.liability;
	} else if (p.liability.minor > 0) {
		cf_security *list;

		if ((rc = MR(uc)->security_list(MRS(uc), uc->tx, p.auction_id, &secs)) < 0)
			return rc;
		list = calloc(secs.count + 1, sizeof *list);
		if (list == NULL) {
			cf_security_array_free(&secs);
			return CF_ENOMEM;
		}
		for (size_t i = 0; i < secs.count; i++) {
			list[i].kind = secs.items[i].kind;
			list[i].value = secs.items[i].value;
		}
		rc = cf_security_list_covers(list, secs.count, p.liability, &covered);
		free(list);
		cf_security_array_free(&secs);
		if (rc < 0)
			return rc;
	}
	if (!covered)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_SECURITY_INSUFF, "",
		                "the securities recorded do not cover the future subscriptions");
	memset(d, 0, sizeof *d);
	if ((rc = cf__uuid(uc->app, d->id)) < 0)
		return rc;
	cf__copy(d->auction_id, sizeof d->auction_id, p.auction_id);
	cf__copy(d->scheme_id, sizeof d->scheme_id, s.id);
	d->ticket_no = p.ticket_no;
	d->gross_prize = p.prize_amount;
	d->gst_deducted = p.gst_deducted;
	d->withheld = withheld;
	if ((rc = cf_money_sub(net, withheld, &d->amount)) < 0)
		return rc;
	cf__copy(d->method, sizeof d->method, c->method);
	cf__copy(d->reference, sizeof d->reference, c->reference);
	d->status = CF_DISB_PENDING;
	cf__copy(d->maker_id, sizeof d->maker_id, uc->actor->user_id);
	d->created_at_ms = uc->now_ms;
	d->row_version = 1;
	rc = MR(uc)->disb_insert(MRS(uc), uc->tx, d);
	if (rc == CF_EEXISTS)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_CONFLICT, "",
		                "this prize has a disbursement already");
	if (rc < 0 || (rc = cf__idem_finish(uc, c->idem, d, c->reply)) < 0)
		return rc;
	snprintf(summary, sizeof summary,
	         "{\"after\":{\"auction_id\":\"%s\",\"amount\":%" PRId64
	         ",\"status\":\"pending\"}}",
	         d->auction_id, d->amount.minor);
	return cf__audit(uc, "disbursement.create", "disbursement", d->id, summary);
}

int cf_disbursement_create(cf_app *app, const cf_actor *actor, const char *auction_id,
                           const char *method, const char *reference, const cf_idem *idem,
                           cf_disbursement *out, cf_idem_reply *reply, cf_error *err)
{
	disb_ctx c = {auction_id, method, reference, idem, out, reply, NULL};
	int rc;

	memset(out, 0, sizeof *out);
	if (reply)
		memset(reply, 0, sizeof *reply);
	if (err)
		memset(err, 0, sizeof *err);
	if (!cf__text_ok(method, 1, 31, CF_LEDGER_EVENT_SIZE))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "method",
		                    "method must be 1 to 31 characters");
	if (reference != NULL && !cf__text_ok(reference, 0, 128, CF_PAY_REF_SIZE))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "reference",
		                    "reference must be up to 128 characters");
	rc = cf__run(app, actor, do_disb_create, &c, err);
	if (rc < 0)
		cf_idem_reply_free(reply);
	return rc;
}

static int do_disb_approve(cf_uc *uc, void *vctx)
{
	disb_ctx c0 = *(disb_ctx *)vctx;
	cf_disbursement *d = c0.out;
	cf_role r = uc->actor->role;
	cf_prize p;
	cf_scheme s;
	cf_ticket_money tm;
	cf_posting lines[4];
	size_t n = 0, n2 = 0;
	int rc;

	if ((rc = cf__require_auth(uc)) < 0 || (rc = cf__money_ready(uc)) < 0)
		return rc;
	if (!cf__is_uuid(c0.id))
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such disbursement");
	if (r != CF_ROLE_FOREMAN && r != CF_ROLE_ADMIN)
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                "only a foreman or an admin may approve");
	rc = MR(uc)->disb_get(MRS(uc), uc->tx, c0.id, true, d);
	if (rc == CF_ENOTFOUND)
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such disbursement");
	if (rc < 0)
		return rc;
	if (strcmp(d->maker_id, uc->actor->user_id) == 0)
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_MAKER_CANNOT, "",
		                "the maker of a disbursement may not approve it");
	if (d->status == CF_DISB_PAID)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_ALREADY_APPROVED, "",
		                "the disbursement is approved already");
	if ((rc = MR(uc)->prize_get(MRS(uc), uc->tx, d->auction_id, true, &p)) < 0 ||
	    (rc = cf__load_scheme(uc, d->scheme_id, &s)) < 0)
		return rc;
	/* payout, and the withheld subscriptions into the winner's advance */
	if ((rc = cf_ledger_payout(d->ticket_no, d->amount, lines, 4, &n)) < 0 ||
	    (rc = cf_ledger_withhold(d->ticket_no, d->withheld, lines + n, 4 - n, &n2)) < 0 ||
	    (rc = cf__ledger_post(uc, s.id, d->id, "payout", lines, n + n2)) < 0)
		return rc;
	if (d->withheld.minor > 0) {
		if ((rc = cf__tm_load(uc, s.id, d->ticket_no, true, &tm)) < 0)
			return rc;
		rc = cf_money_add(tm.acct.advance, d->withheld, &tm.acct.advance);
		if (rc == CF_OK)
			rc = cf__tm_apply_advance(uc, &s, &tm, cf__today(uc));
		if (rc == CF_OK)
			rc = cf__tm_save(uc, &tm);
		cf__tm_free(&tm);
		if (rc < 0)
			return rc;
	}
	d->status = CF_DISB_PAID;
	cf__copy(d->checker_id, sizeof d->checker_id, uc->actor->user_id);
	d->paid_at_ms = uc->now_ms;
	if ((rc = MR(uc)->disb_update(MRS(uc), uc->tx, d)) < 0)
		return rc;
	p.paid = true;
	p.paid_on = cf__today(uc);
	p.net_paid = d->amount;
	if ((rc = MR(uc)->prize_update(MRS(uc), uc->tx, &p)) < 0)
		return rc;
	return cf__audit(uc, "disbursement.approve", "disbursement", d->id,
	                 "{\"after\":{\"status\":\"paid\"}}");
}

int cf_disbursement_approve(cf_app *app, const cf_actor *actor, const char *id,
                            cf_disbursement *out, cf_error *err)
{
	disb_ctx c;

	memset(&c, 0, sizeof c);
	memset(out, 0, sizeof *out);
	c.id = id;
	c.out = out;
	return cf__run(app, actor, do_disb_approve, &c, err);
}

typedef struct dlist_ctx {
	bool has_status;
	cf_disb_status status;
	cf_disbursement_array *out;
} dlist_ctx;

static int do_disb_list(cf_uc *uc, void *vctx)
{
	dlist_ctx *c = vctx;
	cf_role r = uc->actor->role;
	int rc;

	cf_disbursement_array_free(c->out);
	if ((rc = cf__require_auth(uc)) < 0 || (rc = cf__money_ready(uc)) < 0)
		return rc;
	if (r != CF_ROLE_FOREMAN && r != CF_ROLE_ADMIN && r != CF_ROLE_AUDITOR &&
	    r != CF_ROLE_SYSTEM)
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                "only foremen, admins and auditors see disbursements");
	return MR(uc)->disb_list(MRS(uc), uc->tx, c->has_status, c->status, c->out);
}

int cf_disbursement_list(cf_app *app, const cf_actor *actor, bool has_status, cf_disb_status status,
                         cf_disbursement_array *out, cf_error *err)
{
	dlist_ctx c = {has_status, status, out};
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = cf__run_read(app, actor, do_disb_list, &c, err)) < 0)
		cf_disbursement_array_free(out);
	return rc;
}
