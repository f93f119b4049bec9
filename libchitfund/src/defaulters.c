/* defaulters.c - overdue tickets, removal (s.28), reinstatement,
 * substitution, demands to prized defaulters (s.32-33) and early
 * termination (s.42). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money_internal.h"
#include "notifications_internal.h"

/* ---- list ---- */

typedef struct list_ctx {
	const char *scheme_id;
	cf_defaulter_array *out;
} list_ctx;

static int do_list(cf_uc *uc, void *vctx)
{
	list_ctx *c = vctx;
	cf_ticket_array tickets = {0};
	cf_due_row_array dues = {0};
	cf_money_who who;
	cf_scheme s;
	cf_date today = cf__today(uc);
	int rc;

	cf_defaulter_array_free(c->out);
	if ((rc = cf__money_enter(uc, c->scheme_id, &s, &who)) < 0)
		return rc;
	if (!who.staff)
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                "only the scheme's staff see defaulters");
	rc = uc->app->p.tickets.list_by_scheme(uc->app->p.tickets.self, uc->tx, s.id, &tickets);
	if (rc < 0 || (rc = MR(uc)->due_list(MRS(uc), uc->tx, s.id, 0, &dues)) < 0)
		goto out;
	c->out->items = calloc(tickets.count + 1, sizeof *c->out->items);
	if (c->out->items == NULL) {
		rc = CF_ENOMEM;
		goto out;
	}
	for (size_t i = 0, j = 0; i < tickets.count; i++) {
		const cf_ticket *t = &tickets.items[i];
		cf_due *d;
		size_t n = 0;
		cf_arrears a;

		while (j < dues.count && dues.items[j].ticket_no < t->ticket_no)
			j++;
		d = calloc(dues.count + 1, sizeof *d);
		if (d == NULL) {
			rc = CF_ENOMEM;
			goto out;
		}
		for (size_t k = j; k < dues.count && dues.items[k].ticket_no == t->ticket_no; k++)
			d[n++] = dues.items[k].due;
		rc = cf_dues_arrears(d, n, cf__terms(&s), today, &a);
		free(d);
		if (rc < 0)
			goto out;
		if (a.overdue_installments == 0)
			continue;
		cf_defaulter *o = &c->out->items[c->out->count++];
		o->ticket_no = t->ticket_no;
		cf__copy(o->user_id, sizeof o->user_id, t->user_id);
		o->a = a;
		o->prized = t->prized;
		o->removed = t->status == CF_TICKET_REMOVED;
	}
	rc = CF_OK;
out:
	cf_ticket_array_free(&tickets);
	cf_due_row_array_free(&dues);
	return rc;
}

int cf_defaulters_list(cf_app *app, const cf_actor *actor, const char *scheme_id,
                       cf_defaulter_array *out, cf_error *err)
{
	list_ctx c = {scheme_id, out};
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = cf__run_read(app, actor, do_list, &c, err)) < 0)
		cf_defaulter_array_free(out);
	return rc;
}

/* ---- member actions ---- */

enum member_action { M_REMOVE, M_REINSTATE, M_SUBSTITUTE, M_DEMAND };

typedef struct member_ctx {
	enum member_action act;
	const char *scheme_id;
	int32_t ticket_no;
	cf_date notice_date;
	const char *reason;
	const char *user_id;
	cf_money deduction;
	cf_ticket *out;
	cf_demand *demand;
} member_ctx;

static int do_member(cf_uc *uc, void *vctx)
{
	member_ctx *c = vctx;
	cf_ticket *t = c->out;
	cf_ticket_money tm;
	cf_money_who who;
	cf_scheme s;
	cf_arrears a;
	cf_date today = cf__today(uc);
	char summary[256];
	const char *action = "";
	int rc;

	memset(&tm, 0, sizeof tm);
	if ((rc = cf__money_enter(uc, c->scheme_id, &s, &who)) < 0)
		return rc;
	if (!who.manager)
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                "only the scheme's foreman may do this");
	if (s.status != CF_SCHEME_RUNNING)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_SCHEME_NOT_RUNNING, "",
		                "the scheme is not running");
	rc = uc->app->p.tickets.get(uc->app->p.tickets.self, uc->tx, s.id, c->ticket_no, t);
	if (rc == CF_ENOTFOUND)
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such ticket");
	if (rc < 0 || (rc = cf__tm_load(uc, s.id, c->ticket_no, true, &tm)) < 0)
		return rc;
	if ((rc = cf_dues_arrears(tm.dues, tm.n, cf__terms(&s), today, &a)) < 0)
		goto out;
	switch (c->act) {
	case M_REMOVE:
		action = "ticket.remove";
		if (t->prized || t->status != CF_TICKET_ACTIVE || a.overdue_installments == 0) {
			rc = cf__fail(uc, CF_ECONFLICT, CF_SLUG_CONFLICT, "",
			              "only an active, non-prized, overdue ticket can be removed");
			goto out;
		}
		if (cf_date_cmp(c->notice_date, today) > 0 ||
		    cf_date_diff(c->notice_date, today) > 14) {
			rc = cf__fail(uc, CF_EINVALID, CF_SLUG_VALIDATION, "notice_date",
			              "notice_date must be within the last 14 days");
			goto out;
		}
		t->status = CF_TICKET_REMOVED;
		tm.acct.notice_date = c->notice_date;
		cf__copy(tm.acct.notice_reason, sizeof tm.acct.notice_reason, c->reason);
		break;
	case M_REINSTATE:
		action = "ticket.reinstate";
		if (t->status != CF_TICKET_REMOVED) {
			rc = cf__fail(uc, CF_ECONFLICT, CF_SLUG_CONFLICT, "",
			              "the ticket is not removed");
			goto out;
		}
		if (cf_date_diff(tm.acct.notice_date, today) > 7) {
			rc = cf__fail(uc, CF_ECONFLICT, CF_SLUG_CONFLICT, "",
			              "more than 7 days have passed since the notice");
			goto out;
		}
		if (a.overdue_installments > 0 || a.late_fee.minor > 0) {
			rc = cf__fail(uc, CF_ECONFLICT, CF_SLUG_CONFLICT, "",
			              "the arrears with interest are not paid yet");
			goto out;
		}
		t->status = CF_TICKET_ACTIVE;
		memset(&tm.acct.notice_date, 0, sizeof tm.acct.notice_date);
		tm.acct.notice_reason[0] = '\0';
		break;
	case M_SUBSTITUTE: {
		cf_money paid = cf_money_of(0), held;
		cf_late_fee_terms terms = cf__terms(&s);
		char old_user[CF_ID_SIZE];
		cf_user_row *u;

		action = "ticket.substitute";
		if (t->status != CF_TICKET_REMOVED) {
			rc = cf__fail(uc, CF_ECONFLICT, CF_SLUG_CONFLICT, "",
			              "the ticket is not removed");
			goto out;
		}
		if (!cf__is_uuid(c->user_id)) {
			rc = cf__fail(uc, CF_EINVALID, CF_SLUG_VALIDATION, "user_id",
			              "user_id must be an active user");
			goto out;
		}
		if ((u = malloc(sizeof *u)) == NULL) {
			rc = CF_ENOMEM;
			goto out;
		}
		rc = uc->app->p.users.get(uc->app->p.users.self, uc->tx, c->user_id, u);
		if (rc == CF_ENOTFOUND || (rc == CF_OK && !u->is_active))
			rc = cf__fail(uc, CF_EINVALID, CF_SLUG_VALIDATION, "user_id",
			              "user_id must be an active user");
		free(u);
		if (rc < 0)
			goto out;
		/* late fees up to today stay owed by the ticket (the arrears) */
		{
			cf_money fee = cf_money_of(0);

			for (size_t i = 0; i < tm.n; i++) {
				cf_money added;

				if ((rc = cf_due_accrue(&tm.dues[i], terms, today, &added)) < 0 ||
				    (rc = cf_money_add(fee, added, &fee)) < 0)
					goto out;
			}
			if (fee.minor > 0) {
				cf_posting p[2];
				size_t np = 0;
				char ev[CF_ID_SIZE];

				if ((rc = cf_ledger_late_fee(t->ticket_no, fee, p, 2, &np)) < 0 ||
				    (rc = cf__uuid(uc->app, ev)) < 0 ||
				    (rc = cf__ledger_post(uc, s.id, ev, "late_fee", p, np)) < 0)
					goto out;
			}
		}
		for (size_t i = 0; i < tm.n; i++) {
			if ((rc = cf_money_add(paid, tm.dues[i].principal_paid, &paid)) < 0)
				goto out;
			tm.dues[i].principal_paid = cf_money_of(0);
			tm.dues[i].penalty_base_date = today;
			tm.dues[i].penalty_base_accrued = cf_money_of(0);
			tm.dues[i].penalty_as_of = today;
		}
		if (cf_money_cmp(c->deduction, paid) > 0)
			c->deduction = paid;
		if ((rc = cf_money_sub(paid, c->deduction, &held)) < 0 ||
		    (rc = cf_money_add(held, tm.acct.advance, &held)) < 0)
			goto out;
		cf__copy(old_user, sizeof old_user, t->user_id);
		if ((rc = cf__refund(uc, &s, t->ticket_no, old_user, "substitution", held)) < 0)
			goto out;
		if (c->deduction.minor > 0) {
			cf_posting p[2];
			char ev[CF_ID_SIZE];

			p[0].account.kind = CF_ACCT_MEMBER_RECEIVABLE;
			p[0].account.ticket_no = t->ticket_no;
			p[0].amount = c->deduction;
			p[1].account.kind = CF_ACCT_COMMISSION_INCOME;
			p[1].account.ticket_no = 0;
			p[1].amount = cf_money_of(-c->deduction.minor);
			if ((rc = cf__uuid(uc->app, ev)) < 0 ||
			    (rc = cf__ledger_post(uc, s.id, ev, "substitution", p, 2)) < 0)
				goto out;
		}
		tm.acct.advance = cf_money_of(0);
		memset(&tm.acct.notice_date, 0, sizeof tm.acct.notice_date);
		tm.acct.notice_reason[0] = '\0';
		cf__copy(t->user_id, sizeof t->user_id, c->user_id);
		t->status = CF_TICKET_ACTIVE;
		break;
	}
	case M_DEMAND: {
		cf_demand *d = c->demand;
		int32_t future = s.params.member_count - (int32_t)tm.n;

		action = "ticket.demand";
		if (!t->prized || a.overdue_installments == 0) {
			rc = cf__fail(uc, CF_ECONFLICT, CF_SLUG_CONFLICT, "",
			              "only a prized ticket in default gets a demand");
			goto out;
		}
		memset(d, 0, sizeof *d);
		if ((rc = cf__uuid(uc->app, d->id)) < 0)
			goto out;
		cf__copy(d->scheme_id, sizeof d->scheme_id, s.id);
		d->ticket_no = t->ticket_no;
		cf__copy(d->user_id, sizeof d->user_id, t->user_id);
		for (size_t i = 0; i < tm.n; i++) {
			cf_statement_row row;

			if ((rc = cf_statement_row_of(&tm.dues[i], cf__terms(&s), today, &row)) <
			            0 ||
			    (rc = cf_money_add(d->arrears, row.balance, &d->arrears)) < 0)
				goto out;
			if (row.balance.minor > 0)
				d->installments++;
		}
		if ((rc = cf_money_mul(s.subscription, future, &d->future)) < 0 ||
		    (rc = cf_money_add(d->arrears, d->future, &d->amount)) < 0)
			goto out;
		d->installments += future;
		cf__copy(d->created_by, sizeof d->created_by, uc->actor->user_id);
		d->created_at_ms = uc->now_ms;
		if ((rc = MR(uc)->demand_insert(MRS(uc), uc->tx, d)) < 0)
			goto out;
		snprintf(summary, sizeof summary,
		         "{\"after\":{\"ticket_no\":%d,\"amount\":%" PRId64 "}}", (int)t->ticket_no,
		         d->amount.minor);
		if ((rc = cf__notify_ticket(uc, "demand", t->user_id, s.id, t->ticket_no,
		                            d->amount.minor)) < 0)
			goto out;
		rc = cf__audit(uc, action, "ticket", t->id, summary);
		goto out;
	}
	}
	t->updated_at_ms = uc->now_ms;
	if ((rc = uc->app->p.tickets.update(uc->app->p.tickets.self, uc->tx, t)) < 0 ||
	    (rc = cf__tm_save(uc, &tm)) < 0)
		goto out;
	snprintf(summary, sizeof summary,
	         "{\"after\":{\"ticket_no\":%d,\"status\":\"%s\",\"user_id\":\"%s\"}}",
	         (int)t->ticket_no, cf_ticket_status_name(t->status), t->user_id);
	if (c->act == M_REMOVE &&
	    (rc = cf__notify_ticket(uc, "member_removed", t->user_id, s.id, t->ticket_no, -1)) < 0)
		goto out;
	rc = cf__audit(uc, action, "ticket", t->id, summary);
out:
	cf__tm_free(&tm);
	return rc;
}

static int run_member(cf_app *app, const cf_actor *actor, member_ctx *c, cf_ticket *out,
                      cf_error *err)
{
	cf_ticket t;
	int rc;

	memset(&t, 0, sizeof t);
	c->out = &t;
	rc = cf__run(app, actor, do_member, c, err);
	c->out = NULL;
	if (rc < 0)
		memset(&t, 0, sizeof t);
	if (out != NULL)
		*out = t;
	return rc;
}

int cf_member_remove(cf_app *app, const cf_actor *actor, const char *scheme_id, int32_t ticket_no,
                     cf_date notice_date, const char *reason, cf_ticket *out, cf_error *err)
{
	member_ctx c;

	memset(&c, 0, sizeof c);
	if (!cf_date_valid(notice_date))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "notice_date",
		                    "notice_date must be a date");
	if (!cf__text_ok(reason, 1, 256, CF_REASON_SIZE))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "reason",
		                    "reason must be 1 to 256 characters");
	c.act = M_REMOVE;
	c.scheme_id = scheme_id;
	c.ticket_no = ticket_no;
	c.notice_date = notice_date;
	c.reason = reason;
	return run_member(app, actor, &c, out, err);
}

int cf_member_reinstate(cf_app *app, const cf_actor *actor, const char *scheme_id,
                        int32_t ticket_no, cf_ticket *out, cf_error *err)
{
	member_ctx c;

	memset(&c, 0, sizeof c);
	c.act = M_REINSTATE;
	c.scheme_id = scheme_id;
	c.ticket_no = ticket_no;
	return run_member(app, actor, &c, out, err);
}

int cf_member_substitute(cf_app *app, const cf_actor *actor, const char *scheme_id,
                         int32_t ticket_no, const char *user_id, cf_money deduction, cf_ticket *out,
                         cf_error *err)
{
	member_ctx c;

	memset(&c, 0, sizeof c);
	if (deduction.minor < 0)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "deduction",
		                    "deduction must not be negative");
	c.act = M_SUBSTITUTE;
	c.scheme_id = scheme_id;
	c.ticket_no = ticket_no;
	c.user_id = user_id;
	c.deduction = deduction;
	return run_member(app, actor, &c, out, err);
}

int cf_member_demand(cf_app *app, const cf_actor *actor, const char *scheme_id, int32_t ticket_no,
                     cf_demand *out, cf_error *err)
{
	member_ctx c;

	memset(&c, 0, sizeof c);
	memset(out, 0, sizeof *out);
	c.act = M_DEMAND;
	c.scheme_id = scheme_id;
	c.ticket_no = ticket_no;
	c.demand = out;
	return run_member(app, actor, &c, NULL, err);
}

/* ---- termination ---- */

typedef struct term_ctx {
	const char *id;
	const char *reason;
	cf_scheme *out;
} term_ctx;

static int do_terminate(cf_uc *uc, void *vctx)
{
	term_ctx *c = vctx;
	cf_scheme *s = c->out;
	cf_money_who who;
	cf_ticket_array tickets = {0};
	cf_ledger_line_array lines = {0};
	char summary[320];
	int rc;

	if ((rc = cf__money_enter(uc, c->id, s, &who)) < 0)
		return rc;
	if (!who.manager)
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                "only the scheme's foreman or an admin may terminate it");
	if (s->status != CF_SCHEME_RUNNING)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_SCHEME_NOT_RUNNING, "",
		                "only a running scheme can be terminated");
	rc = uc->app->p.tickets.list_by_scheme(uc->app->p.tickets.self, uc->tx, s->id, &tickets);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < tickets.count; i++) {
		const cf_ticket *t = &tickets.items[i];
		cf_ticket_money tm;
		cf_money refund = cf_money_of(0);

		if ((rc = cf__tm_load(uc, s->id, t->ticket_no, true, &tm)) < 0)
			goto out;
		if (!t->prized)
			for (size_t k = 0; k < tm.n && rc == CF_OK; k++)
				rc = cf_money_add(refund, tm.dues[k].principal_paid, &refund);
		if (rc == CF_OK)
			rc = cf_money_add(refund, tm.acct.advance, &refund);
		if (rc == CF_OK)
			rc = cf__refund(uc, s, t->ticket_no, t->user_id,
			                t->prized ? "advance" : "s42", refund);
		if (rc == CF_OK) {
			tm.acct.advance = cf_money_of(0);
			tm.acct.dues_version++;
			rc = MR(uc)->acct_update(MRS(uc), uc->tx, &tm.acct);
		}
		cf__tm_free(&tm);
		if (rc < 0)
			goto out;
	}
	/* close every member receivable left against the pool */
	rc = uc->app->p.ledger.list_by_scheme(uc->app->p.ledger.self, uc->tx, s->id, &lines);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < tickets.count; i++) {
		cf_account acct = {CF_ACCT_MEMBER_RECEIVABLE, tickets.items[i].ticket_no};
		char name[CF_ACCOUNT_NAME_MAX];
		cf_money bal = cf_money_of(0);
		cf_posting p[2];
		char ev[CF_ID_SIZE];

		if ((rc = cf_account_format(acct, name, sizeof name)) < 0)
			goto out;
		for (size_t k = 0; k < lines.count; k++)
			if (strcmp(lines.items[k].account, name) == 0)
				bal.minor += lines.items[k].amount.minor;
		if (bal.minor == 0)
			continue;
		p[0].account = acct;
		p[0].amount = cf_money_of(-bal.minor);
		p[1].account.kind = CF_ACCT_SCHEME_POOL;
		p[1].account.ticket_no = 0;
		p[1].amount = bal;
		if ((rc = cf__uuid(uc->app, ev)) < 0 ||
		    (rc = cf__ledger_post(uc, s->id, ev, "termination", p, 2)) < 0)
			goto out;
	}
	s->status = CF_SCHEME_TERMINATED;
	s->updated_at_ms = uc->now_ms;
	if ((rc = uc->app->p.schemes.update(uc->app->p.schemes.self, uc->tx, s)) < 0)
		goto out;
	{
		cf_sb sb;

		cf__sb_init(&sb, summary, sizeof summary);
		cf__sb_raw(&sb, "{\"after\":{\"status\":\"terminated\",\"reason\":");
		cf__sb_json(&sb, c->reason);
		cf__sb_raw(&sb, "}}");
		rc = cf__audit(uc, "scheme.terminate", "scheme", s->id, cf__sb_done(&sb));
	}
out:
	cf_ledger_line_array_free(&lines);
	cf_ticket_array_free(&tickets);
	return rc;
}

int cf_scheme_terminate(cf_app *app, const cf_actor *actor, const char *scheme_id,
                        const char *reason, cf_scheme *out, cf_error *err)
{
	term_ctx c = {scheme_id, reason, out};
	int rc;

	memset(out, 0, sizeof *out);
	if (!cf__text_ok(reason, 1, 256, CF_REASON_SIZE))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "reason",
		                    "reason must be 1 to 256 characters");
	if ((rc = cf__run(app, actor, do_terminate, &c, err)) < 0)
		memset(out, 0, sizeof *out);
	return rc;
}
