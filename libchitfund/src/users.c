/* users.c - own profile, admin user management, own tickets. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int require_roles(cf_uc *uc, bool admin, bool foreman, bool auditor)
{
	cf_role r = uc->actor->role;
	int rc = cf__require_auth(uc);

	if (rc < 0)
		return rc;
	if ((admin && (r == CF_ROLE_ADMIN || r == CF_ROLE_SYSTEM)) ||
	    (foreman && r == CF_ROLE_FOREMAN) || (auditor && r == CF_ROLE_AUDITOR))
		return CF_OK;
	return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "", "not allowed for your role");
}

/* ---- get me ---- */

typedef struct me_ctx {
	cf_user *out;
} me_ctx;

static int do_get_me(cf_uc *uc, void *vctx)
{
	me_ctx *c = vctx;
	cf_user_row *u = malloc(sizeof *u);
	int rc;

	if (u == NULL)
		return CF_ENOMEM;
	if ((rc = cf__load_actor(uc, u)) == CF_OK)
		cf__user_view(u, c->out);
	free(u);
	return rc;
}

int cf_user_get_me(cf_app *app, const cf_actor *actor, cf_user *out, cf_error *err)
{
	me_ctx c = {out};

	memset(out, 0, sizeof *out);
	return cf__run_read(app, actor, do_get_me, &c, err);
}

/* ---- update me ---- */

typedef struct pii_in {
	bool set;
	char plain[CF_SEALED_PLAIN_MAX];
	cf_pii_field field;
} pii_in;

typedef struct upd_ctx {
	const cf_profile_update *req;
	pii_in pan, aadhaar, bank;
	char ifsc[CF_IFSC_SIZE];
	cf_user *out;
} upd_ctx;

static int seal(cf_app *app, const char *user_id, const char *name, pii_in *p)
{
	char aad[CF_ID_SIZE + 32];
	size_t n = strlen(p->plain);
	int rc;

	memset(&p->field, 0, sizeof p->field);
	if (n == 0)
		return CF_OK; /* cleared */
	snprintf(aad, sizeof aad, "%s:%s", user_id, name);
	rc = app->p.cipher.encrypt(app->p.cipher.self, aad, strlen(aad), p->plain, n,
	                           &p->field.sealed);
	if (rc < 0)
		return rc;
	return cf_mask_tail4(p->plain, p->field.masked, sizeof p->field.masked);
}

static int check_pii(const char *in, int (*norm)(const char *, char *, size_t), pii_in *p,
                     const char *field, const char *what, cf_error *err)
{
	memset(p, 0, sizeof *p);
	if (in == NULL)
		return CF_OK;
	p->set = true;
	if (in[0] == '\0')
		return CF_OK;
	if (norm(in, p->plain, sizeof p->plain) < 0)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, field, "%s", what);
	return CF_OK;
}

static void summary_field(cf_sb *sb, bool *first, const char *name, const char *value)
{
	cf__sb_raw(sb, *first ? "" : ",");
	*first = false;
	cf__sb_json(sb, name);
	cf__sb_raw(sb, ":");
	cf__sb_json(sb, value);
}

static int do_update_me(cf_uc *uc, void *vctx)
{
	upd_ctx *c = vctx;
	const cf_profile_update *r = c->req;
	cf_user_row *u = malloc(sizeof *u);
	char *summary = NULL;
	cf_sb before, after;
	char *bbuf = NULL, *abuf = NULL;
	bool bf = true, af = true;
	int rc;

	if (u == NULL)
		return CF_ENOMEM;
	if ((rc = cf__load_actor(uc, u)) < 0)
		goto done;
	summary = malloc(CF_AUDIT_SUMMARY_SIZE);
	bbuf = malloc(CF_AUDIT_SUMMARY_SIZE / 2);
	abuf = malloc(CF_AUDIT_SUMMARY_SIZE / 2);
	if (summary == NULL || bbuf == NULL || abuf == NULL) {
		rc = CF_ENOMEM;
		goto done;
	}
	cf__sb_init(&before, bbuf, CF_AUDIT_SUMMARY_SIZE / 2);
	cf__sb_init(&after, abuf, CF_AUDIT_SUMMARY_SIZE / 2);
#define PLAIN(field, member)                                                                       \
	if (r->field != NULL) {                                                                    \
		summary_field(&before, &bf, #field, u->member);                                    \
		cf__copy(u->member, sizeof u->member, r->field);                                   \
		summary_field(&after, &af, #field, u->member);                                     \
	}
#define NAMEONLY(field, member)                                                                    \
	if (r->field != NULL) {                                                                    \
		summary_field(&before, &bf, #field, u->member[0] ? "(set)" : "");                  \
		cf__copy(u->member, sizeof u->member, r->field);                                   \
		summary_field(&after, &af, #field, u->member[0] ? "(set)" : "");                   \
	}
#define SEALED(nm, member, in)                                                                     \
	if (in.set) {                                                                              \
		summary_field(&before, &bf, #nm, u->member.masked);                                \
		if ((rc = seal(uc->app, u->id, #nm, &in)) < 0)                                     \
			goto done;                                                                 \
		u->member = in.field;                                                              \
		summary_field(&after, &af, #nm, u->member.masked);                                 \
	}
	PLAIN(full_name, full_name)
	PLAIN(phone, phone)
	SEALED(pan, pan, c->pan)
	SEALED(aadhaar, aadhaar, c->aadhaar)
	SEALED(bank_account, bank_account, c->bank)
	if (r->bank_ifsc != NULL) {
		summary_field(&before, &bf, "bank_ifsc", u->bank_ifsc);
		cf__copy(u->bank_ifsc, sizeof u->bank_ifsc, c->ifsc);
		summary_field(&after, &af, "bank_ifsc", u->bank_ifsc);
	}
	NAMEONLY(address, address)
	NAMEONLY(nominee_name, nominee_name)
	NAMEONLY(nominee_relation, nominee_relation)
#undef PLAIN
#undef NAMEONLY
#undef SEALED
	u->updated_at_ms = uc->now_ms;
	if ((rc = uc->app->p.users.update(uc->app->p.users.self, uc->tx, u)) < 0)
		goto done;
	{
		cf_sb sb;
		cf__sb_init(&sb, summary, CF_AUDIT_SUMMARY_SIZE);
		cf__sb_raw(&sb, "{\"before\":{");
		cf__sb_raw(&sb, cf__sb_done(&before));
		cf__sb_raw(&sb, "},\"after\":{");
		cf__sb_raw(&sb, cf__sb_done(&after));
		cf__sb_raw(&sb, "}}");
		rc = cf__audit(uc, "user.update_profile", "user", u->id, cf__sb_done(&sb));
	}
	if (rc == CF_OK)
		cf__user_view(u, c->out);
done:
	free(summary);
	free(bbuf);
	free(abuf);
	free(u);
	return rc;
}

int cf_user_update_me(cf_app *app, const cf_actor *actor, const cf_profile_update *req,
                      cf_user *out, cf_error *err)
{
	upd_ctx *c;
	int rc;

	memset(out, 0, sizeof *out);
	if (err)
		memset(err, 0, sizeof *err);
	if (req->full_name != NULL && !cf__text_ok(req->full_name, 1, 128, CF_NAME_SIZE))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "full_name",
		                    "full_name must be 1 to 128 characters");
	if (req->phone != NULL && req->phone[0] != '\0' && !cf__phone_ok(req->phone))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "phone",
		                    "phone must be an optional + and 7 to 15 digits");
	if (req->address != NULL && !cf__text_ok(req->address, 0, 512, CF_ADDRESS_SIZE))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "address",
		                    "address must be at most 512 bytes of text");
	if (req->nominee_name != NULL && !cf__text_ok(req->nominee_name, 0, 128, CF_NAME_SIZE))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "nominee_name",
		                    "nominee_name must be at most 128 characters");
	if (req->nominee_relation != NULL &&
	    !cf__text_ok(req->nominee_relation, 0, 32, CF_RELATION_SIZE))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "nominee_relation",
		                    "nominee_relation must be at most 32 bytes");
	c = calloc(1, sizeof *c);
	if (c == NULL)
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	c->req = req;
	c->out = out;
	if ((rc = check_pii(req->pan, cf_pan_normalize, &c->pan, "pan",
	                    "pan must be a valid PAN (AAAAA9999A)", err)) < 0 ||
	    (rc = check_pii(req->aadhaar, cf_aadhaar_normalize, &c->aadhaar, "aadhaar",
	                    "aadhaar must be 12 digits with a valid check digit", err)) < 0 ||
	    (rc = check_pii(req->bank_account, cf_bank_account_normalize, &c->bank, "bank_account",
	                    "bank_account must be 9 to 18 digits", err)) < 0)
		goto done;
	if (req->bank_ifsc != NULL && req->bank_ifsc[0] != '\0' &&
	    cf_ifsc_normalize(req->bank_ifsc, c->ifsc, sizeof c->ifsc) < 0) {
		rc = cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "bank_ifsc",
		                  "bank_ifsc must be a valid IFSC (AAAA0XXXXXX)");
		goto done;
	}
	rc = cf__run(app, actor, do_update_me, c, err);
done:
	memset(c, 0, sizeof *c); /* plaintext identity numbers */
	free(c);
	return rc;
}

/* ---- admin: list, get, update ---- */

typedef struct ulist_ctx {
	cf_user_filter f;
	size_t limit;
	cf_user_page *out;
} ulist_ctx;

static int do_users_list(cf_uc *uc, void *vctx)
{
	ulist_ctx *c = vctx;
	cf_user_row_array rows = {0};
	size_t n;
	int rc;

	cf_user_page_free(c->out);
	c->out->next_cursor[0] = '\0';
	if ((rc = require_roles(uc, true, true, true)) < 0)
		return rc;
	rc = uc->app->p.users.list(uc->app->p.users.self, uc->tx, &c->f, &rows);
	if (rc < 0)
		return rc;
	n = rows.count > c->limit ? c->limit : rows.count;
	if (n > 0) {
		c->out->users.items = calloc(n, sizeof(cf_user));
		if (c->out->users.items == NULL) {
			cf_user_row_array_free(&rows);
			return CF_ENOMEM;
		}
	}
	for (size_t i = 0; i < n; i++)
		cf__user_view(&rows.items[i], &c->out->users.items[i]);
	c->out->users.count = n;
	if (rows.count > c->limit)
		snprintf(c->out->next_cursor, sizeof c->out->next_cursor, "u%" PRId64,
		         rows.items[n - 1].ucfsin_seq);
	cf_user_row_array_free(&rows);
	return CF_OK;
}

int cf_users_list(cf_app *app, const cf_actor *actor, const cf_users_query *q, cf_user_page *out,
                  cf_error *err)
{
	ulist_ctx c;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&c, 0, sizeof c);
	if (err)
		memset(err, 0, sizeof *err);
	c.out = out;
	if ((rc = cf__limit(q ? q->limit : 0, &c.limit, err)) < 0)
		return rc;
	if (q != NULL) {
		if ((rc = cf__cursor_seq(q->cursor, 'u', &c.f.after_seq, err)) < 0)
			return rc;
		if (q->role != CF_ROLE_NONE &&
		    (q->role < CF_ROLE_SUBSCRIBER || q->role > CF_ROLE_ADMIN))
			return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "role",
			                    "role is not a known role");
		c.f.role = q->role;
		if (q->ucfsin != NULL && q->ucfsin[0] != '\0') {
			if (cf_ucfsin_validate(q->ucfsin, strlen(q->ucfsin)) < 0)
				return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "ucfsin",
				                    "ucfsin is not valid (check digits)");
			cf__copy(c.f.ucfsin, sizeof c.f.ucfsin, q->ucfsin);
		}
	}
	c.f.limit = c.limit + 1;
	rc = cf__run_read(app, actor, do_users_list, &c, err);
	if (rc < 0)
		cf_user_page_free(out);
	return rc;
}

typedef struct uget_ctx {
	const char *id;
	const cf_user_admin_update *upd;
	cf_user *out;
} uget_ctx;

static int load_user(cf_uc *uc, const char *id, cf_user_row *u)
{
	int rc;

	if (!cf__is_uuid(id))
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such user");
	rc = uc->app->p.users.get(uc->app->p.users.self, uc->tx, id, u);
	if (rc == CF_ENOTFOUND)
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such user");
	return rc;
}

static int do_users_get(cf_uc *uc, void *vctx)
{
	uget_ctx *c = vctx;
	cf_user_row *u;
	int rc;

	if ((rc = require_roles(uc, true, true, true)) < 0)
		return rc;
	if ((u = malloc(sizeof *u)) == NULL)
		return CF_ENOMEM;
	if ((rc = load_user(uc, c->id, u)) == CF_OK)
		cf__user_view(u, c->out);
	free(u);
	return rc;
}

int cf_users_get(cf_app *app, const cf_actor *actor, const char *id, cf_user *out, cf_error *err)
{
	uget_ctx c = {id, NULL, out};

	memset(out, 0, sizeof *out);
	return cf__run_read(app, actor, do_users_get, &c, err);
}

static int do_users_update(cf_uc *uc, void *vctx)
{
	uget_ctx *c = vctx;
	cf_user_row *u;
	cf_role old_role;
	bool old_active;
	char summary[256];
	int rc;

	if ((rc = require_roles(uc, true, false, false)) < 0)
		return rc;
	if ((u = malloc(sizeof *u)) == NULL)
		return CF_ENOMEM;
	if ((rc = load_user(uc, c->id, u)) < 0)
		goto done;
	old_role = u->role;
	old_active = u->is_active;
	if (c->upd->set_role)
		u->role = c->upd->role;
	if (c->upd->set_is_active)
		u->is_active = c->upd->is_active;
	if (u->role != old_role || u->is_active != old_active) {
		u->updated_at_ms = uc->now_ms;
		if ((rc = uc->app->p.users.update(uc->app->p.users.self, uc->tx, u)) < 0)
			goto done;
		if (old_active && !u->is_active &&
		    (rc = uc->app->p.refresh_tokens.revoke_user(uc->app->p.refresh_tokens.self,
		                                                uc->tx, u->id, uc->now_ms)) < 0)
			goto done;
		snprintf(summary, sizeof summary,
		         "{\"before\":{\"role\":\"%s\",\"is_active\":%s},"
		         "\"after\":{\"role\":\"%s\",\"is_active\":%s}}",
		         cf_role_name(old_role), old_active ? "true" : "false",
		         cf_role_name(u->role), u->is_active ? "true" : "false");
		if ((rc = cf__audit(uc, "user.admin_update", "user", u->id, summary)) < 0)
			goto done;
	}
	cf__user_view(u, c->out);
done:
	free(u);
	return rc;
}

int cf_users_update(cf_app *app, const cf_actor *actor, const char *id,
                    const cf_user_admin_update *req, cf_user *out, cf_error *err)
{
	uget_ctx c = {id, req, out};

	memset(out, 0, sizeof *out);
	if (err)
		memset(err, 0, sizeof *err);
	if (req->set_role && (req->role < CF_ROLE_SUBSCRIBER || req->role > CF_ROLE_ADMIN))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "role",
		                    "role is not a known role");
	return cf__run(app, actor, do_users_update, &c, err);
}

/* ---- own tickets ---- */

static int do_user_tickets(cf_uc *uc, void *vctx)
{
	cf_ticket_array *out = vctx;
	int rc;

	cf_ticket_array_free(out); /* from an attempt that was retried */
	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	return uc->app->p.tickets.list_by_user(uc->app->p.tickets.self, uc->tx, uc->actor->user_id,
	                                       out);
}

int cf_user_tickets(cf_app *app, const cf_actor *actor, cf_ticket_array *out, cf_error *err)
{
	int rc;

	memset(out, 0, sizeof *out);
	rc = cf__run_read(app, actor, do_user_tickets, out, err);
	if (rc < 0)
		cf_ticket_array_free(out);
	return rc;
}
