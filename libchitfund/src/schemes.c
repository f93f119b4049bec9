/* schemes.c - scheme lifecycle use cases: create, read, list, update (draft),
 * open, agents, enrolment, members, commencement, schedule. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auctions_internal.h"
#include "dues_internal.h"
#include "internal.h"

#define SP_REQUIRED (CF_SP_CHIT_VALUE | CF_SP_MEMBER_COUNT | CF_SP_START_DATE)
#define SP_OPTIONAL ((uint32_t)(CF_SP_RULES_PROFILE << 1) - 1u)
#define SP_ALL      (SP_REQUIRED | SP_OPTIONAL)

/* Copy the parameters named by mask from src into dst. */
static void apply_params(cf_scheme_params *dst, const cf_scheme_params *src, uint32_t mask)
{
#define COPY(bit, m)                                                                               \
	if (mask & (bit))                                                                          \
		memcpy(&dst->m, &src->m, sizeof dst->m);
	COPY(CF_SP_FREQUENCY, frequency)
	COPY(CF_SP_CURRENCY, currency)
	COPY(CF_SP_COMMISSION_BPS, commission_bps)
	COPY(CF_SP_MAX_DISCOUNT_BPS, max_discount_bps)
	COPY(CF_SP_MIN_DISCOUNT, min_discount)
	COPY(CF_SP_BID_INCREMENT, bid_increment)
	COPY(CF_SP_AUCTION_METHOD, auction_method)
	COPY(CF_SP_LOT_DISCOUNT, lot_discount)
	COPY(CF_SP_FIRST_PRIZE_TO_FOREMAN, first_prize_to_foreman)
	COPY(CF_SP_DIVIDEND_POLICY, dividend_policy)
	COPY(CF_SP_DIVIDEND_TIMING, dividend_timing)
	COPY(CF_SP_GST_BPS, gst_bps)
	COPY(CF_SP_GST_BORNE_BY, gst_borne_by)
	COPY(CF_SP_LATE_FEE_BPS, late_fee_bps_per_month)
	COPY(CF_SP_GRACE_DAYS, grace_days)
	COPY(CF_SP_RULES_PROFILE, rules_profile)
	COPY(CF_SP_CHIT_VALUE, chit_value)
	COPY(CF_SP_MEMBER_COUNT, member_count)
	COPY(CF_SP_START_DATE, start_date)
#undef COPY
}

/* Resolve params against the domain rules; fills err from the refusal. */
static int resolve(cf_scheme_params *p, cf_error *err)
{
	cf_rule why = CF_RULE_NONE;
	int rc = cf_scheme_params_resolve(p, &why);

	if (rc == CF_ERULE)
		return cf_error_rule(err, why, NULL);
	if (rc == CF_EOVERFLOW)
		return cf_error_set(err, CF_EOVERFLOW, CF_SLUG_VALIDATION, "chit_value",
		                    "an amount is out of range");
	if (rc < 0)
		return cf_error_default(err, rc);
	return CF_OK;
}

/* May the actor read scheme s? Subscribers: enrolling or holding a ticket. */
static int can_read(cf_uc *uc, const cf_scheme *s, bool *ok)
{
	*ok = true;
	if (uc->actor->role != CF_ROLE_SUBSCRIBER || s->status == CF_SCHEME_ENROLLING)
		return CF_OK;
	return cf__holds_ticket(uc, s->id, uc->actor->user_id, ok);
}

static int require_read(cf_uc *uc, const cf_scheme *s)
{
	bool ok;
	int rc = can_read(uc, s, &ok);

	if (rc < 0)
		return rc;
	if (!ok)
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such scheme");
	return CF_OK;
}

/* Staff of s: admin, auditor, system, its foreman, its agents. */
static int is_staff(cf_uc *uc, const cf_scheme *s, bool *ok)
{
	cf_role r = uc->actor->role;

	*ok = r == CF_ROLE_ADMIN || r == CF_ROLE_AUDITOR || r == CF_ROLE_SYSTEM ||
	      (r == CF_ROLE_FOREMAN && strcmp(s->foreman_id, uc->actor->user_id) == 0);
	if (*ok || r != CF_ROLE_AGENT)
		return CF_OK;
	return uc->app->p.scheme_agents.is_agent(uc->app->p.scheme_agents.self, uc->tx, s->id,
	                                         uc->actor->user_id, ok);
}

/* Its foreman or an admin; others forbidden (subscribers who cannot see it: not found). */
static int require_manage(cf_uc *uc, const cf_scheme *s)
{
	cf_role r = uc->actor->role;
	int rc;

	if (r == CF_ROLE_ADMIN || r == CF_ROLE_SYSTEM ||
	    (r == CF_ROLE_FOREMAN && strcmp(s->foreman_id, uc->actor->user_id) == 0))
		return CF_OK;
	if (r == CF_ROLE_SUBSCRIBER && (rc = require_read(uc, s)) < 0)
		return rc;
	return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
	                "only the scheme's foreman or an admin may do this");
}

static void scheme_summary(cf_sb *sb, const cf_scheme *s)
{
	cf__sb_raw(sb, "{\"name\":");
	cf__sb_json(sb, s->name);
	cf__sb_fmt(sb, ",\"status\":\"%s\",\"chit_value\":%" PRId64 ",\"member_count\":%d",
	           cf_scheme_status_name(s->status), s->params.chit_value.minor,
	           (int)s->params.member_count);
	cf__sb_fmt(sb, ",\"commission_bps\":%d,\"max_discount_bps\":%d,\"foreman_id\":\"%s\"",
	           (int)s->params.commission_bps, (int)s->params.max_discount_bps, s->foreman_id);
	cf__sb_raw(sb, ",\"registration_no\":");
	cf__sb_json(sb, s->registration_no);
	cf__sb_raw(sb, ",\"commencement_ref\":");
	cf__sb_json(sb, s->commencement_ref);
	cf__sb_raw(sb, "}");
}

static int audit_scheme(cf_uc *uc, const char *action, const cf_scheme *before,
                        const cf_scheme *after)
{
	char *buf = malloc(CF_AUDIT_SUMMARY_SIZE);
	cf_sb sb;
	int rc;

	if (buf == NULL)
		return CF_ENOMEM;
	cf__sb_init(&sb, buf, CF_AUDIT_SUMMARY_SIZE);
	cf__sb_raw(&sb, "{\"before\":");
	if (before)
		scheme_summary(&sb, before);
	else
		cf__sb_raw(&sb, "null");
	cf__sb_raw(&sb, ",\"after\":");
	scheme_summary(&sb, after);
	cf__sb_raw(&sb, "}");
	rc = cf__audit(uc, action, "scheme", after->id, cf__sb_done(&sb));
	free(buf);
	return rc;
}

/* ---- create ---- */

typedef struct create_ctx {
	const cf_scheme_create_req *req;
	cf_scheme_params params;
	cf_scheme *out;
} create_ctx;

static int do_create(cf_uc *uc, void *vctx)
{
	create_ctx *c = vctx;
	cf_scheme *s = c->out;
	cf_role r = uc->actor->role;
	const char *fid = c->req->foreman_id;
	int rc;

	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if (r != CF_ROLE_FOREMAN && r != CF_ROLE_ADMIN && r != CF_ROLE_SYSTEM)
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                "only a foreman or an admin may create schemes");
	memset(s, 0, sizeof *s);
	if (fid == NULL || fid[0] == '\0') {
		if (r == CF_ROLE_SYSTEM)
			return cf__fail(uc, CF_EINVALID, CF_SLUG_VALIDATION, "foreman_id",
			                "foreman_id is required");
		fid = uc->actor->user_id;
	} else if (strcmp(fid, uc->actor->user_id) != 0) {
		cf_user_row *f;

		if (r == CF_ROLE_FOREMAN)
			return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "foreman_id",
			                "a foreman may create schemes only for himself");
		if (!cf__is_uuid(fid))
			return cf__fail(uc, CF_EINVALID, CF_SLUG_VALIDATION, "foreman_id",
			                "foreman_id must be an active foreman");
		if ((f = malloc(sizeof *f)) == NULL)
			return CF_ENOMEM;
		rc = uc->app->p.users.get(uc->app->p.users.self, uc->tx, fid, f);
		if (rc == CF_ENOTFOUND ||
		    (rc == CF_OK &&
		     (!f->is_active || (f->role != CF_ROLE_FOREMAN && f->role != CF_ROLE_ADMIN))))
			rc = cf__fail(uc, CF_EINVALID, CF_SLUG_VALIDATION, "foreman_id",
			              "foreman_id must be an active foreman");
		free(f);
		if (rc < 0)
			return rc;
	}
	if ((rc = cf__uuid(uc->app, s->id)) < 0)
		return rc;
	cf__copy(s->name, sizeof s->name, c->req->name);
	s->params = c->params;
	s->params_given = c->req->given & SP_OPTIONAL;
	s->subscription = cf_scheme_subscription(&s->params);
	s->status = CF_SCHEME_DRAFT;
	cf__copy(s->foreman_id, sizeof s->foreman_id, fid);
	cf__copy(s->created_by, sizeof s->created_by, uc->actor->user_id);
	s->created_at_ms = s->updated_at_ms = uc->now_ms;
	s->row_version = 1;
	if ((rc = uc->app->p.schemes.insert(uc->app->p.schemes.self, uc->tx, s)) < 0)
		return rc;
	return audit_scheme(uc, "scheme.create", NULL, s);
}

int cf_scheme_create(cf_app *app, const cf_actor *actor, const cf_scheme_create_req *req,
                     cf_scheme *out, cf_error *err)
{
	create_ctx c;
	int rc;

	memset(out, 0, sizeof *out);
	if (err)
		memset(err, 0, sizeof *err);
	if (actor == NULL || actor->role == CF_ROLE_NONE)
		return cf_error_set(err, CF_EUNAUTHENTICATED, CF_SLUG_UNAUTHENTICATED, "",
		                    "authentication required");
	if (actor->role != CF_ROLE_FOREMAN && actor->role != CF_ROLE_ADMIN &&
	    actor->role != CF_ROLE_SYSTEM)
		return cf_error_set(err, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                    "only a foreman or an admin may create schemes");
	if (!cf__text_ok(req->name, 1, 128, CF_NAME_SIZE))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "name",
		                    "name must be 1 to 128 characters");
	cf_scheme_params_init(&c.params);
	apply_params(&c.params, &req->params, (req->given & SP_OPTIONAL) | SP_REQUIRED);
	if ((rc = resolve(&c.params, err)) < 0)
		return rc;
	c.req = req;
	c.out = out;
	rc = cf__run(app, actor, do_create, &c, err);
	if (rc < 0)
		memset(out, 0, sizeof *out);
	return rc;
}

/* ---- get ---- */

typedef struct get_ctx {
	const char *id;
	cf_scheme *out;
} get_ctx;

static int do_get(cf_uc *uc, void *vctx)
{
	get_ctx *c = vctx;
	int rc;

	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if ((rc = cf__load_scheme(uc, c->id, c->out)) < 0)
		return rc;
	return require_read(uc, c->out);
}

int cf_scheme_get(cf_app *app, const cf_actor *actor, const char *id, cf_scheme *out, cf_error *err)
{
	get_ctx c = {id, out};
	int rc = cf__run_read(app, actor, do_get, &c, err);

	if (rc < 0)
		memset(out, 0, sizeof *out);
	return rc;
}

/* ---- list ---- */

typedef struct list_ctx {
	cf_scheme_filter f;
	size_t limit;
	cf_scheme_page *out;
} list_ctx;

static int do_list(cf_uc *uc, void *vctx)
{
	list_ctx *c = vctx;
	cf_scheme_array a = {0};
	int rc;

	cf_scheme_page_free(c->out);
	c->out->next_cursor[0] = '\0';
	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if (uc->actor->role == CF_ROLE_SUBSCRIBER)
		cf__copy(c->f.visible_to, sizeof c->f.visible_to, uc->actor->user_id);
	rc = uc->app->p.schemes.list(uc->app->p.schemes.self, uc->tx, &c->f, &a);
	if (rc < 0)
		return rc;
	if (a.count > c->limit) {
		a.count = c->limit;
		snprintf(c->out->next_cursor, sizeof c->out->next_cursor, "s%" PRId64 ".%s",
		         a.items[a.count - 1].created_at_ms, a.items[a.count - 1].id);
	}
	c->out->schemes = a;
	return CF_OK;
}

static int parse_scheme_cursor(const char *cur, cf_scheme_filter *f, cf_error *err)
{
	const char *dot;
	int64_t v = 0;

	if (cur == NULL || cur[0] == '\0')
		return CF_OK;
	dot = strchr(cur, '.');
	if (cur[0] != 's' || dot == NULL || dot - cur < 2 || dot - cur > 17 ||
	    !cf__is_uuid(dot + 1))
		goto bad;
	for (const char *p = cur + 1; p < dot; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		v = v * 10 + (*p - '0');
	}
	f->after_created_at_ms = v;
	cf__copy(f->after_id, sizeof f->after_id, dot + 1);
	return CF_OK;
bad:
	return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "cursor", "invalid cursor");
}

int cf_scheme_list(cf_app *app, const cf_actor *actor, const cf_schemes_query *q,
                   cf_scheme_page *out, cf_error *err)
{
	list_ctx c;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&c, 0, sizeof c);
	if (err)
		memset(err, 0, sizeof *err);
	c.out = out;
	if ((rc = cf__limit(q ? q->limit : 0, &c.limit, err)) < 0)
		return rc;
	if (q != NULL) {
		if ((rc = parse_scheme_cursor(q->cursor, &c.f, err)) < 0)
			return rc;
		c.f.has_status = q->has_status;
		c.f.status = q->status;
	}
	c.f.limit = c.limit + 1;
	rc = cf__run_read(app, actor, do_list, &c, err);
	if (rc < 0)
		cf_scheme_page_free(out);
	return rc;
}

/* ---- update (draft) ---- */

typedef struct update_ctx {
	const char *id;
	const cf_scheme_update_req *req;
	cf_scheme *out;
} update_ctx;

static int do_update(cf_uc *uc, void *vctx)
{
	update_ctx *c = vctx;
	cf_scheme before, *s = c->out;
	cf_scheme_params p;
	int rc;

	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if ((rc = cf__load_scheme(uc, c->id, s)) < 0 || (rc = require_manage(uc, s)) < 0)
		return rc;
	if (c->req->expected_row_version != 0 && c->req->expected_row_version != s->row_version)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_CONFLICT, "",
		                "the scheme was changed by someone else");
	if (s->status != CF_SCHEME_DRAFT)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_SCHEME_NOT_DRAFT, "",
		                "the scheme can be changed only while it is a draft");
	before = *s;
	cf_scheme_params_init(&p);
	apply_params(&p, &s->params, (s->params_given & SP_OPTIONAL) | SP_REQUIRED);
	apply_params(&p, &c->req->params, c->req->set & SP_ALL);
	if ((rc = resolve(&p, uc->err)) < 0)
		return rc;
	if (c->req->name != NULL)
		cf__copy(s->name, sizeof s->name, c->req->name);
	s->params = p;
	s->params_given = (s->params_given | c->req->set) & SP_OPTIONAL;
	s->subscription = cf_scheme_subscription(&p);
	s->updated_at_ms = uc->now_ms;
	if ((rc = uc->app->p.schemes.update(uc->app->p.schemes.self, uc->tx, s)) < 0)
		return rc;
	return audit_scheme(uc, "scheme.update", &before, s);
}

int cf_scheme_update(cf_app *app, const cf_actor *actor, const char *id,
                     const cf_scheme_update_req *req, cf_scheme *out, cf_error *err)
{
	update_ctx c = {id, req, out};
	int rc;

	memset(out, 0, sizeof *out);
	if (err)
		memset(err, 0, sizeof *err);
	if (req->name != NULL && !cf__text_ok(req->name, 1, 128, CF_NAME_SIZE))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "name",
		                    "name must be 1 to 128 characters");
	rc = cf__run(app, actor, do_update, &c, err);
	if (rc < 0)
		memset(out, 0, sizeof *out);
	return rc;
}

/* ---- open ---- */

static int do_open(cf_uc *uc, void *vctx)
{
	get_ctx *c = vctx;
	cf_scheme before, *s = c->out;
	int rc;

	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if ((rc = cf__load_scheme(uc, c->id, s)) < 0 || (rc = require_manage(uc, s)) < 0)
		return rc;
	if (s->status != CF_SCHEME_DRAFT)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_SCHEME_NOT_DRAFT, "",
		                "only a draft scheme can be opened");
	before = *s;
	s->status = CF_SCHEME_ENROLLING;
	s->updated_at_ms = uc->now_ms;
	if ((rc = uc->app->p.schemes.update(uc->app->p.schemes.self, uc->tx, s)) < 0)
		return rc;
	return audit_scheme(uc, "scheme.open", &before, s);
}

int cf_scheme_open(cf_app *app, const cf_actor *actor, const char *id, cf_scheme *out,
                   cf_error *err)
{
	get_ctx c = {id, out};
	int rc = cf__run(app, actor, do_open, &c, err);

	if (rc < 0)
		memset(out, 0, sizeof *out);
	return rc;
}

/* ---- agents ---- */

typedef struct agent_ctx {
	const char *scheme_id;
	const char *user_id;
	bool assign;
} agent_ctx;

static int do_agent(cf_uc *uc, void *vctx)
{
	agent_ctx *c = vctx;
	cf_scheme s;
	char summary[128];
	int rc;

	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if ((rc = cf__load_scheme(uc, c->scheme_id, &s)) < 0 || (rc = require_manage(uc, &s)) < 0)
		return rc;
	if (c->assign) {
		cf_user_row *u;

		if (!cf__is_uuid(c->user_id))
			return cf__fail(uc, CF_EINVALID, CF_SLUG_VALIDATION, "user_id",
			                "user_id must be an active agent");
		if ((u = malloc(sizeof *u)) == NULL)
			return CF_ENOMEM;
		rc = uc->app->p.users.get(uc->app->p.users.self, uc->tx, c->user_id, u);
		if (rc == CF_ENOTFOUND ||
		    (rc == CF_OK && (!u->is_active || u->role != CF_ROLE_AGENT)))
			rc = cf__fail(uc, CF_EINVALID, CF_SLUG_VALIDATION, "user_id",
			              "user_id must be an active agent");
		free(u);
		if (rc < 0)
			return rc;
		rc = uc->app->p.scheme_agents.assign(uc->app->p.scheme_agents.self, uc->tx, s.id,
		                                     c->user_id, uc->now_ms);
		if (rc == CF_EEXISTS)
			return CF_OK; /* already assigned: nothing changes */
	} else {
		if (!cf__is_uuid(c->user_id))
			return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "",
			                "no such agent on this scheme");
		rc = uc->app->p.scheme_agents.unassign(uc->app->p.scheme_agents.self, uc->tx, s.id,
		                                       c->user_id);
		if (rc == CF_ENOTFOUND)
			return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "",
			                "no such agent on this scheme");
	}
	if (rc < 0)
		return rc;
	snprintf(summary, sizeof summary, "{\"agent_id\":\"%s\"}", c->user_id);
	return cf__audit(uc, c->assign ? "scheme.agent_assign" : "scheme.agent_unassign", "scheme",
	                 s.id, summary);
}

int cf_scheme_agent_assign(cf_app *app, const cf_actor *actor, const char *scheme_id,
                           const char *user_id, cf_error *err)
{
	agent_ctx c = {scheme_id, user_id, true};

	return cf__run(app, actor, do_agent, &c, err);
}

int cf_scheme_agent_unassign(cf_app *app, const cf_actor *actor, const char *scheme_id,
                             const char *user_id, cf_error *err)
{
	agent_ctx c = {scheme_id, user_id, false};

	return cf__run(app, actor, do_agent, &c, err);
}

/* ---- enrol ---- */

typedef struct enrol_ctx {
	const char *scheme_id;
	const cf_enrol_req *req;
	cf_ticket *out;
} enrol_ctx;

static int do_enrol(cf_uc *uc, void *vctx)
{
	enrol_ctx *c = vctx;
	cf_role r = uc->actor->role;
	const char *uid = c->req->user_id;
	cf_ticket_array all = {0};
	cf_ticket *t = c->out;
	cf_scheme s;
	cf_user_row *u;
	int32_t no = c->req->ticket_no;
	char summary[160];
	int rc;

	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if (uid == NULL || uid[0] == '\0')
		uid = uc->actor->user_id;
	if (!cf__is_uuid(c->scheme_id))
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such scheme");
	rc = uc->app->p.tickets.lock_scheme(uc->app->p.tickets.self, uc->tx, c->scheme_id);
	if (rc == CF_ENOTFOUND)
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such scheme");
	if (rc < 0 || (rc = cf__load_scheme(uc, c->scheme_id, &s)) < 0)
		return rc;
	if (r == CF_ROLE_SUBSCRIBER) {
		if ((rc = require_read(uc, &s)) < 0)
			return rc;
		if (strcmp(uid, uc->actor->user_id) != 0)
			return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "user_id",
			                "a subscriber may enrol only himself");
	} else if (!(r == CF_ROLE_ADMIN || r == CF_ROLE_SYSTEM ||
	             (r == CF_ROLE_FOREMAN && strcmp(s.foreman_id, uc->actor->user_id) == 0))) {
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                "only the scheme's foreman or an admin may enrol members");
	}
	if (s.status != CF_SCHEME_ENROLLING)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_SCHEME_NOT_ENROLLING, "",
		                "the scheme is not open for enrolment");
	if (no < 0 || no > s.params.member_count)
		return cf__fail(uc, CF_EINVALID, CF_SLUG_VALIDATION, "ticket_no",
		                "ticket_no must be 1 to %d", (int)s.params.member_count);
	if (!cf__is_uuid(uid))
		return cf__fail(uc, CF_EINVALID, CF_SLUG_VALIDATION, "user_id",
		                "user_id must be an active user");
	if ((u = malloc(sizeof *u)) == NULL)
		return CF_ENOMEM;
	rc = uc->app->p.users.get(uc->app->p.users.self, uc->tx, uid, u);
	if (rc == CF_ENOTFOUND || (rc == CF_OK && !u->is_active))
		rc = cf__fail(uc, CF_EINVALID, CF_SLUG_VALIDATION, "user_id",
		              "user_id must be an active user");
	free(u);
	if (rc < 0)
		return rc;
	rc = uc->app->p.tickets.list_by_scheme(uc->app->p.tickets.self, uc->tx, s.id, &all);
	if (rc < 0)
		return rc;
	if (all.count >= (size_t)s.params.member_count) {
		cf_ticket_array_free(&all);
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_SCHEME_FULL, "", "every ticket is taken");
	}
	if (no == 0) {
		/* the lowest free number; tickets come ordered by ticket_no */
		no = 1;
		for (size_t i = 0; i < all.count && all.items[i].ticket_no == no; i++)
			no++;
	}
	cf_ticket_array_free(&all);
	memset(t, 0, sizeof *t);
	if ((rc = cf__uuid(uc->app, t->id)) < 0)
		return rc;
	memcpy(t->scheme_id, s.id, sizeof t->scheme_id);
	t->ticket_no = no;
	cf__copy(t->user_id, sizeof t->user_id, uid);
	t->status = CF_TICKET_ACTIVE;
	t->created_at_ms = t->updated_at_ms = uc->now_ms;
	t->row_version = 1;
	rc = uc->app->p.tickets.insert(uc->app->p.tickets.self, uc->tx, t);
	if (rc == CF_EEXISTS)
		return cf__fail(uc, CF_EEXISTS, CF_SLUG_TICKET_TAKEN, "ticket_no",
		                "ticket %d is taken", (int)no);
	if (rc < 0)
		return rc;
	snprintf(summary, sizeof summary,
	         "{\"after\":{\"scheme_id\":\"%s\",\"ticket_no\":%d,\"user_id\":\"%s\"}}", s.id,
	         (int)no, t->user_id);
	return cf__audit(uc, "ticket.enrol", "ticket", t->id, summary);
}

int cf_scheme_enrol(cf_app *app, const cf_actor *actor, const char *scheme_id,
                    const cf_enrol_req *req, cf_ticket *out, cf_error *err)
{
	enrol_ctx c = {scheme_id, req, out};
	int rc = cf__run(app, actor, do_enrol, &c, err);

	if (rc < 0)
		memset(out, 0, sizeof *out);
	return rc;
}

/* ---- members ---- */

typedef struct members_ctx {
	const char *scheme_id;
	cf_ticket_array *out;
} members_ctx;

static int do_members(cf_uc *uc, void *vctx)
{
	members_ctx *c = vctx;
	cf_scheme s;
	bool staff;
	int rc;

	cf_ticket_array_free(c->out);
	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if ((rc = cf__load_scheme(uc, c->scheme_id, &s)) < 0 || (rc = is_staff(uc, &s, &staff)) < 0)
		return rc;
	if (!staff && uc->actor->role != CF_ROLE_SUBSCRIBER)
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                "only the scheme's staff may list its members");
	if (!staff && (rc = require_read(uc, &s)) < 0)
		return rc;
	rc = uc->app->p.tickets.list_by_scheme(uc->app->p.tickets.self, uc->tx, s.id, c->out);
	if (rc < 0 || staff)
		return rc;
	{
		size_t k = 0;

		for (size_t i = 0; i < c->out->count; i++)
			if (strcmp(c->out->items[i].user_id, uc->actor->user_id) == 0)
				c->out->items[k++] = c->out->items[i];
		c->out->count = k;
	}
	return CF_OK;
}

int cf_scheme_members(cf_app *app, const cf_actor *actor, const char *scheme_id,
                      cf_ticket_array *out, cf_error *err)
{
	members_ctx c = {scheme_id, out};
	int rc;

	memset(out, 0, sizeof *out);
	rc = cf__run_read(app, actor, do_members, &c, err);
	if (rc < 0)
		cf_ticket_array_free(out);
	return rc;
}

/* ---- commence ---- */

typedef struct commence_ctx {
	const char *id;
	const char *registration_no;
	const char *commencement_ref;
	cf_scheme *out;
} commence_ctx;

static int do_commence(cf_uc *uc, void *vctx)
{
	commence_ctx *c = vctx;
	cf_scheme before, *s = c->out;
	int32_t count = 0;
	int rc;

	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if (!cf__is_uuid(c->id))
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such scheme");
	rc = uc->app->p.tickets.lock_scheme(uc->app->p.tickets.self, uc->tx, c->id);
	if (rc == CF_ENOTFOUND)
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such scheme");
	if (rc < 0)
		return rc;
	if ((rc = cf__load_scheme(uc, c->id, s)) < 0 || (rc = require_manage(uc, s)) < 0)
		return rc;
	if (s->status != CF_SCHEME_ENROLLING)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_SCHEME_NOT_ENROLLING, "",
		                "only an enrolling scheme can commence");
	rc = uc->app->p.tickets.count(uc->app->p.tickets.self, uc->tx, s->id, &count);
	if (rc < 0)
		return rc;
	if (count < s->params.member_count)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_SCHEME_NOT_FULL, "",
		                "%d of %d tickets are filled", (int)count,
		                (int)s->params.member_count);
	if (s->params.first_prize_to_foreman) {
		bool has = false;

		if ((rc = cf__holds_ticket(uc, s->id, s->foreman_id, &has)) < 0)
			return rc;
		if (!has)
			return cf_error_rule(uc->err, CF_RULE_FOREMAN_TICKET_REQUIRED, NULL);
	}
	before = *s;
	s->status = CF_SCHEME_RUNNING;
	cf__copy(s->registration_no, sizeof s->registration_no, c->registration_no);
	cf__copy(s->commencement_ref, sizeof s->commencement_ref, c->commencement_ref);
	s->commenced_at_ms = uc->now_ms;
	s->updated_at_ms = uc->now_ms;
	if ((rc = uc->app->p.schemes.update(uc->app->p.schemes.self, uc->tx, s)) < 0)
		return rc;
	/* money (issue 5): ticket money rows; installment 1 fixed and demanded */
	if ((rc = cf__dues_on_commence(uc, s)) < 0)
		return rc;
	return audit_scheme(uc, "scheme.commence", &before, s);
}

int cf_scheme_commence(cf_app *app, const cf_actor *actor, const char *id,
                       const char *registration_no, const char *commencement_ref, cf_scheme *out,
                       cf_error *err)
{
	commence_ctx c = {id, registration_no, commencement_ref, out};
	int rc;

	memset(out, 0, sizeof *out);
	if (err)
		memset(err, 0, sizeof *err);
	if (!cf__text_ok(registration_no, 1, 64, CF_REG_NO_SIZE))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "registration_no",
		                    "registration_no must be 1 to 64 characters");
	if (!cf__text_ok(commencement_ref, 1, 128, CF_REF_SIZE))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "commencement_ref",
		                    "commencement_ref must be 1 to 128 characters");
	rc = cf__run(app, actor, do_commence, &c, err);
	if (rc < 0)
		memset(out, 0, sizeof *out);
	return rc;
}

/* ---- schedule ---- */

typedef struct schedule_ctx {
	const char *id;
	cf_schedule *out;
} schedule_ctx;

static int do_schedule(cf_uc *uc, void *vctx)
{
	schedule_ctx *c = vctx;
	cf_scheme s;
	cf_schedule_row *rows;
	int rc;

	cf_schedule_free(c->out);
	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if ((rc = cf__load_scheme(uc, c->id, &s)) < 0 || (rc = require_read(uc, &s)) < 0)
		return rc;
	rows = calloc((size_t)s.params.member_count, sizeof *rows);
	if (rows == NULL)
		return CF_ENOMEM;
	for (int32_t k = 1; k <= s.params.member_count; k++) {
		cf_schedule_row *r = &rows[k - 1];

		r->installment_no = k;
		rc = cf_schedule_due_date(s.params.start_date, s.params.frequency, k, &r->due_date);
		if (rc < 0) {
			free(rows);
			return rc;
		}
		r->auction_date = r->due_date;
		r->status = CF_SCHEDULE_UPCOMING;
		if (k == 1 && s.params.dividend_timing == CF_TIMING_NEXT_INSTALLMENT &&
		    (s.status == CF_SCHEME_RUNNING || s.status == CF_SCHEME_COMPLETED)) {
			r->has_net_subscription = true;
			r->net_subscription = s.subscription;
		}
	}
	rc = cf__auction_schedule_fill(uc, &s, rows, (size_t)s.params.member_count);
	if (rc < 0) {
		free(rows);
		return rc;
	}
	c->out->rows = rows;
	c->out->count = (size_t)s.params.member_count;
	return CF_OK;
}

int cf_scheme_schedule(cf_app *app, const cf_actor *actor, const char *id, cf_schedule *out,
                       cf_error *err)
{
	schedule_ctx c = {id, out};
	int rc;

	memset(out, 0, sizeof *out);
	rc = cf__run(app, actor, do_schedule, &c, err);
	if (rc < 0)
		cf_schedule_free(out);
	return rc;
}
