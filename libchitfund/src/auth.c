/* auth.c - registration, login with throttling, refresh-token rotation, logout,
 * access-token authentication, password change. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- shared user helpers ---- */

void cf__user_view(const cf_user_row *r, cf_user *out)
{
	memset(out, 0, sizeof *out);
	memcpy(out->id, r->id, sizeof out->id);
	memcpy(out->email, r->email, sizeof out->email);
	memcpy(out->full_name, r->full_name, sizeof out->full_name);
	memcpy(out->phone, r->phone, sizeof out->phone);
	out->role = r->role;
	memcpy(out->ucfsin, r->ucfsin, sizeof out->ucfsin);
	out->is_active = r->is_active;
	out->created_at_ms = r->created_at_ms;
	out->updated_at_ms = r->updated_at_ms;
	memcpy(out->pan_masked, r->pan.masked, sizeof out->pan_masked);
	memcpy(out->aadhaar_masked, r->aadhaar.masked, sizeof out->aadhaar_masked);
	memcpy(out->bank_account_masked, r->bank_account.masked, sizeof out->bank_account_masked);
	memcpy(out->bank_ifsc, r->bank_ifsc, sizeof out->bank_ifsc);
	memcpy(out->address, r->address, sizeof out->address);
	memcpy(out->nominee_name, r->nominee_name, sizeof out->nominee_name);
	memcpy(out->nominee_relation, r->nominee_relation, sizeof out->nominee_relation);
	out->row_version = r->row_version;
}

int cf__require_auth(cf_uc *uc)
{
	if (uc->actor->role == CF_ROLE_NONE ||
	    (uc->actor->role != CF_ROLE_SYSTEM && uc->actor->user_id[0] == '\0'))
		return cf__fail(uc, CF_EUNAUTHENTICATED, CF_SLUG_UNAUTHENTICATED, "",
		                "authentication required");
	return CF_OK;
}

int cf__load_actor(cf_uc *uc, cf_user_row *out)
{
	int rc = cf__require_auth(uc);

	if (rc < 0)
		return rc;
	rc = uc->app->p.users.get(uc->app->p.users.self, uc->tx, uc->actor->user_id, out);
	if (rc == CF_ENOTFOUND)
		return cf__fail(uc, CF_EUNAUTHENTICATED, CF_SLUG_UNAUTHENTICATED, "",
		                "authentication required");
	return rc;
}

int cf__user_fields_check(cf_app *app, const char *email, const char *password,
                          const char *full_name, const char *phone, char email_out[CF_EMAIL_SIZE],
                          cf_error *err)
{
	int rc;

	if (!cf__email_normalize(email, email_out))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "email",
		                    "email is not a valid address");
	if ((rc = cf__password_check(app, password, "password", err)) < 0)
		return rc;
	if (!cf__text_ok(full_name, 1, 128, CF_NAME_SIZE))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "full_name",
		                    "full_name must be 1 to 128 characters");
	if (phone != NULL && phone[0] != '\0' && !cf__phone_ok(phone))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "phone",
		                    "phone must be an optional + and 7 to 15 digits");
	return CF_OK;
}

int cf__user_insert(cf_uc *uc, const char *email, const char *hash, const char *full_name,
                    const char *phone, cf_role role, const char *action, cf_user *out)
{
	cf_app *app = uc->app;
	cf_user_row *u = calloc(1, sizeof *u);
	cf_date today = cf_date_from_unix_ms_ist(uc->now_ms);
	int64_t seq = 0;
	char summary[512];
	cf_sb sb;
	int rc;

	if (u == NULL)
		return CF_ENOMEM;
	if ((rc = cf__uuid(app, u->id)) < 0)
		goto done;
	if ((rc = app->p.users.next_ucfsin_seq(app->p.users.self, uc->tx, &seq)) < 0)
		goto done;
	if (cf_ucfsin_make((int32_t)(today.year % 100), seq, u->ucfsin) < 0) {
		rc = cf__fail(uc, CF_EOVERFLOW, NULL, "", "UCFSIN sequence exhausted");
		goto done;
	}
	u->ucfsin_seq = seq;
	cf__copy(u->email, sizeof u->email, email);
	cf__copy(u->password_hash, sizeof u->password_hash, hash);
	cf__copy(u->full_name, sizeof u->full_name, full_name);
	cf__copy(u->phone, sizeof u->phone, phone);
	u->role = role;
	u->is_active = true;
	u->created_at_ms = u->updated_at_ms = uc->now_ms;
	u->row_version = 1;
	rc = app->p.users.insert(app->p.users.self, uc->tx, u);
	if (rc == CF_EEXISTS) {
		rc = cf__fail(uc, CF_EEXISTS, CF_SLUG_EMAIL_TAKEN, "email",
		              "an account with this email already exists");
		goto done;
	}
	if (rc < 0)
		goto done;
	cf__sb_init(&sb, summary, sizeof summary);
	cf__sb_raw(&sb, "{\"after\":{\"email\":");
	cf__sb_json(&sb, u->email);
	cf__sb_raw(&sb, ",\"role\":");
	cf__sb_json(&sb, cf_role_name(role));
	cf__sb_raw(&sb, ",\"ucfsin\":");
	cf__sb_json(&sb, u->ucfsin);
	cf__sb_raw(&sb, ",\"is_active\":true}}");
	if ((rc = cf__audit(uc, action, "user", u->id, cf__sb_done(&sb))) < 0)
		goto done;
	cf__user_view(u, out);
done:
	free(u);
	return rc;
}

/* ---- register ---- */

typedef struct reg_ctx {
	const char *email;
	const char *hash;
	const char *full_name;
	const char *phone;
	cf_role role;
	const char *action;
	cf_user *out;
} reg_ctx;

static int do_register(cf_uc *uc, void *vctx)
{
	reg_ctx *c = vctx;

	if (strcmp(c->action, "user.create") == 0 && uc->actor->role != CF_ROLE_ADMIN &&
	    uc->actor->role != CF_ROLE_SYSTEM) {
		if (uc->actor->role == CF_ROLE_NONE)
			return cf__fail(uc, CF_EUNAUTHENTICATED, CF_SLUG_UNAUTHENTICATED, "",
			                "authentication required");
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                "not allowed for your role");
	}
	return cf__user_insert(uc, c->email, c->hash, c->full_name, c->phone, c->role, c->action,
	                       c->out);
}

static int register_common(cf_app *app, const cf_actor *actor, const char *email,
                           const char *password, const char *full_name, const char *phone,
                           cf_role role, const char *action, cf_user *out, cf_error *err)
{
	char norm[CF_EMAIL_SIZE];
	char hash[CF_PASSWORD_HASH_SIZE];
	reg_ctx c;
	int rc;

	memset(out, 0, sizeof *out);
	if (err)
		memset(err, 0, sizeof *err);
	if ((rc = cf__user_fields_check(app, email, password, full_name, phone, norm, err)) < 0)
		return rc;
	if (role < CF_ROLE_SUBSCRIBER || role > CF_ROLE_ADMIN)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "role",
		                    "role is not a known role");
	if (strcmp(action, "user.create") == 0 &&
	    (actor == NULL || (actor->role != CF_ROLE_ADMIN && actor->role != CF_ROLE_SYSTEM))) {
		if (actor == NULL || actor->role == CF_ROLE_NONE)
			return cf_error_set(err, CF_EUNAUTHENTICATED, CF_SLUG_UNAUTHENTICATED, "",
			                    "authentication required");
		return cf_error_set(err, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                    "not allowed for your role");
	}
	rc = app->p.hasher.hash(app->p.hasher.self, password, hash, sizeof hash);
	if (rc < 0)
		return cf_error_default(err, rc);
	c.email = norm;
	c.hash = hash;
	c.full_name = full_name;
	c.phone = phone;
	c.role = role;
	c.action = action;
	c.out = out;
	rc = cf__run(app, actor, do_register, &c, err);
	memset(hash, 0, sizeof hash);
	return rc;
}

int cf_auth_register(cf_app *app, const cf_actor *actor, const cf_register_req *req, cf_user *out,
                     cf_error *err)
{
	return register_common(app, actor, req->email, req->password, req->full_name, req->phone,
	                       CF_ROLE_SUBSCRIBER, "user.register", out, err);
}

int cf_users_create(cf_app *app, const cf_actor *actor, const cf_user_create_req *req, cf_user *out,
                    cf_error *err)
{
	return register_common(app, actor, req->email, req->password, req->full_name, req->phone,
	                       req->role, "user.create", out, err);
}

/* ---- tokens ---- */

static int new_refresh_token(cf_app *app, char text[CF_REFRESH_TOKEN_MAX],
                             char hash[CF_HEX256_SIZE])
{
	uint8_t b[32];
	int rc = app->p.rng.fill(app->p.rng.self, b, sizeof b);

	if (rc < 0)
		return rc;
	cf__hex(b, sizeof b, text);
	return cf__sha256_hex(app, text, 64, hash);
}

/* Audit action on user u with u as the acting user (login, refresh). */
static int audit_as_user(cf_uc *uc, const cf_user_row *u, const char *action)
{
	cf_actor who = *uc->actor;
	const cf_actor *saved = uc->actor;
	int rc;

	memcpy(who.user_id, u->id, sizeof who.user_id);
	who.role = u->role;
	uc->actor = &who;
	rc = cf__audit(uc, action, "user", u->id, "{}");
	uc->actor = saved;
	return rc;
}

int cf__issue_pair(cf_uc *uc, const cf_user_row *u, const char *family_id, cf_token_pair *out)
{
	cf_app *app = uc->app;
	cf_refresh_token_row row;
	cf_token_claims cl;
	int rc;

	memset(&row, 0, sizeof row);
	memset(&cl, 0, sizeof cl);
	if ((rc = cf__uuid(app, row.id)) < 0)
		return rc;
	if (family_id == NULL || family_id[0] == '\0')
		memcpy(row.family_id, row.id, sizeof row.family_id);
	else
		cf__copy(row.family_id, sizeof row.family_id, family_id);
	memcpy(row.user_id, u->id, sizeof row.user_id);
	if ((rc = new_refresh_token(app, out->refresh_token, row.token_hash)) < 0)
		return rc;
	row.issued_at_ms = uc->now_ms;
	row.expires_at_ms = uc->now_ms + app->cfg.refresh_token_ttl_s * 1000;
	rc = app->p.refresh_tokens.insert(app->p.refresh_tokens.self, uc->tx, &row);
	if (rc < 0)
		return rc;
	memcpy(cl.sub, u->id, sizeof cl.sub);
	cf__copy(cl.role, sizeof cl.role, cf_role_name(u->role));
	if ((rc = cf__uuid(app, cl.jti)) < 0)
		return rc;
	cf__copy(cl.iss, sizeof cl.iss, app->cfg.token_issuer);
	cl.iat = uc->now_ms / 1000;
	cl.nbf = cl.iat;
	cl.exp = cl.iat + app->cfg.access_token_ttl_s;
	rc = app->p.signer.issue(app->p.signer.self, &cl, out->access_token,
	                         sizeof out->access_token);
	if (rc < 0)
		return rc;
	cf__copy(out->token_type, sizeof out->token_type, "bearer");
	out->expires_in = app->cfg.access_token_ttl_s;
	memcpy(out->user_id, u->id, sizeof out->user_id);
	out->role = u->role;
	return CF_OK;
}

/* ---- login ---- */

typedef struct login_ctx {
	const char *key; /* lowercased email */
	/* phase 1 results */
	bool found;
	cf_user_row user;
	/* phase 2 */
	bool password_ok;
	char rehash[CF_PASSWORD_HASH_SIZE]; /* "" or a fresh hash to store */
	cf_token_pair *out;
} login_ctx;

static int64_t retry_after(int64_t oldest_ms, int64_t window_s, int64_t now_ms)
{
	int64_t ms = oldest_ms + window_s * 1000 - now_ms;
	int64_t s = (ms + 999) / 1000;

	return s < 1 ? 1 : s;
}

static int do_login_check(cf_uc *uc, void *vctx)
{
	login_ctx *c = vctx;
	cf_app *app = uc->app;
	cf_throttle_counts n;
	int64_t wait = 0;
	int rc;

	memset(&n, 0, sizeof n);
	rc = app->p.login_throttle.count_since(app->p.login_throttle.self, uc->tx, c->key,
	                                       uc->actor->client_addr,
	                                       uc->now_ms - app->cfg.login_window_s * 1000, &n);
	if (rc < 0)
		return rc;
	if (app->cfg.login_failures_per_account > 0 &&
	    n.account_failures >= app->cfg.login_failures_per_account)
		wait = retry_after(n.account_oldest_ms, app->cfg.login_window_s, uc->now_ms);
	if (app->cfg.login_failures_per_address > 0 && uc->actor->client_addr[0] != '\0' &&
	    n.address_failures >= app->cfg.login_failures_per_address) {
		int64_t w = retry_after(n.address_oldest_ms, app->cfg.login_window_s, uc->now_ms);
		if (w > wait)
			wait = w;
	}
	if (wait > 0) {
		rc = cf__fail(uc, CF_ERATELIMIT, CF_SLUG_RATE_LIMITED, "",
		              "too many failed logins; retry in %" PRId64 " s", wait);
		if (uc->err)
			uc->err->retry_after_s = wait;
		return rc;
	}
	rc = app->p.users.get_by_email(app->p.users.self, uc->tx, c->key, &c->user);
	if (rc == CF_ENOTFOUND) {
		c->found = false;
		return CF_OK;
	}
	if (rc < 0)
		return rc;
	c->found = true;
	return CF_OK;
}

static int do_login_finish(cf_uc *uc, void *vctx)
{
	login_ctx *c = vctx;
	cf_app *app = uc->app;
	cf_user_row *u;
	int rc;

	if (!c->found || !c->password_ok) {
		rc = app->p.login_throttle.record_failure(app->p.login_throttle.self, uc->tx,
		                                          c->key, uc->actor->client_addr,
		                                          uc->now_ms);
		if (rc < 0)
			return rc;
		rc = cf__audit(uc, "auth.login_failed", "user", c->found ? c->user.id : "",
		               "{\"reason\":\"invalid-credentials\"}");
		if (rc < 0)
			return rc;
		uc->fail_after_commit =
		        cf__fail(uc, CF_EUNAUTHENTICATED, CF_SLUG_INVALID_CREDENTIALS, "",
		                 "invalid email or password");
		return CF_OK;
	}
	u = malloc(sizeof *u);
	if (u == NULL)
		return CF_ENOMEM;
	rc = app->p.users.get(app->p.users.self, uc->tx, c->user.id, u);
	if (rc == CF_OK && strcmp(u->password_hash, c->user.password_hash) != 0) {
		/* the password changed between check and finish: treat as wrong */
		free(u);
		uc->fail_after_commit =
		        cf__fail(uc, CF_EUNAUTHENTICATED, CF_SLUG_INVALID_CREDENTIALS, "",
		                 "invalid email or password");
		return CF_OK;
	}
	if (rc < 0)
		goto done;
	if (!u->is_active) {
		rc = cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_ACCOUNT_DISABLED, "",
		              "this account is disabled");
		goto done;
	}
	rc = app->p.login_throttle.clear_account(app->p.login_throttle.self, uc->tx, c->key);
	if (rc < 0)
		goto done;
	if (c->rehash[0] != '\0') {
		cf__copy(u->password_hash, sizeof u->password_hash, c->rehash);
		u->updated_at_ms = uc->now_ms;
		if ((rc = app->p.users.update(app->p.users.self, uc->tx, u)) < 0)
			goto done;
	}
	if ((rc = cf__issue_pair(uc, u, NULL, c->out)) < 0)
		goto done;
	/* the acting user is the one logging in */
	rc = audit_as_user(uc, u, "auth.login");
done:
	free(u);
	return rc;
}

int cf_auth_login(cf_app *app, const cf_actor *actor, const char *email, const char *password,
                  cf_token_pair *out, cf_error *err)
{
	login_ctx *c;
	char key[CF_EMAIL_SIZE];
	size_t n;
	int rc;

	memset(out, 0, sizeof *out);
	if (email == NULL || password == NULL || email[0] == '\0' || password[0] == '\0')
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION,
		                    email == NULL || email[0] == '\0' ? "email" : "password",
		                    "email and password are required");
	n = strlen(email);
	if (n > 254)
		n = 254;
	for (size_t i = 0; i < n; i++)
		key[i] = (char)((email[i] >= 'A' && email[i] <= 'Z') ? email[i] + 32 : email[i]);
	key[n] = '\0';
	c = calloc(1, sizeof *c);
	if (c == NULL)
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	c->key = key;
	c->out = out;
	rc = cf__run(app, actor, do_login_check, c, err);
	if (rc == CF_OK) {
		bool ok = false;
		int vrc = app->p.hasher.verify(app->p.hasher.self, password,
		                               c->found ? c->user.password_hash : app->dummy_hash,
		                               &ok);
		if (vrc < 0) {
			rc = cf_error_default(err, vrc);
		} else {
			bool stale = false;

			c->password_ok = c->found && ok;
			/* upgrade an old-kind hash while we know the password (best effort) */
			if (c->password_ok && app->p.hasher.needs_rehash != NULL &&
			    app->p.hasher.needs_rehash(app->p.hasher.self, c->user.password_hash,
			                               &stale) == CF_OK &&
			    stale &&
			    app->p.hasher.hash(app->p.hasher.self, password, c->rehash,
			                       sizeof c->rehash) != CF_OK)
				c->rehash[0] = '\0';
			rc = cf__run(app, actor, do_login_finish, c, err);
		}
	}
	if (rc < 0)
		memset(out, 0, sizeof *out);
	memset(c->rehash, 0, sizeof c->rehash);
	free(c);
	return rc;
}

/* ---- refresh ---- */

typedef struct refresh_ctx {
	char hash[CF_HEX256_SIZE];
	cf_token_pair *out;
} refresh_ctx;

static int refresh_reject(cf_uc *uc)
{
	return cf__fail(uc, CF_EUNAUTHENTICATED, CF_SLUG_INVALID_REFRESH_TOKEN, "refresh_token",
	                "the refresh token is invalid, expired or revoked");
}

static int revoke_family_and_fail(cf_uc *uc, const cf_refresh_token_row *t)
{
	cf_app *app = uc->app;
	char summary[128];
	int rc = app->p.refresh_tokens.revoke_family(app->p.refresh_tokens.self, uc->tx,
	                                             t->family_id, uc->now_ms);

	if (rc < 0)
		return rc;
	snprintf(summary, sizeof summary, "{\"family_id\":\"%s\",\"reason\":\"reuse\"}",
	         t->family_id);
	if ((rc = cf__audit(uc, "auth.refresh_reuse", "user", t->user_id, summary)) < 0)
		return rc;
	uc->fail_after_commit = refresh_reject(uc);
	return CF_OK;
}

static int do_refresh(cf_uc *uc, void *vctx)
{
	refresh_ctx *c = vctx;
	cf_app *app = uc->app;
	cf_refresh_token_row t;
	cf_user_row *u;
	int rc;

	rc = app->p.refresh_tokens.get_by_hash(app->p.refresh_tokens.self, uc->tx, c->hash, &t);
	if (rc == CF_ENOTFOUND)
		return refresh_reject(uc);
	if (rc < 0)
		return rc;
	if (t.revoked_at_ms != 0)
		return refresh_reject(uc);
	if (t.spent_at_ms != 0)
		return revoke_family_and_fail(uc, &t);
	if (uc->now_ms >= t.expires_at_ms)
		return refresh_reject(uc);
	rc = app->p.refresh_tokens.mark_spent(app->p.refresh_tokens.self, uc->tx, t.id, uc->now_ms);
	if (rc == CF_ECONFLICT)
		return revoke_family_and_fail(uc, &t);
	if (rc < 0)
		return rc;
	u = malloc(sizeof *u);
	if (u == NULL)
		return CF_ENOMEM;
	rc = app->p.users.get(app->p.users.self, uc->tx, t.user_id, u);
	if (rc == CF_ENOTFOUND || (rc == CF_OK && !u->is_active)) {
		rc = refresh_reject(uc);
		goto done;
	}
	if (rc < 0)
		goto done;
	if ((rc = cf__issue_pair(uc, u, t.family_id, c->out)) < 0)
		goto done;
	rc = audit_as_user(uc, u, "auth.refresh");
done:
	free(u);
	return rc;
}

static bool token_text_ok(const char *t)
{
	if (t == NULL || strlen(t) != 64)
		return false;
	for (int i = 0; i < 64; i++)
		if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
			return false;
	return true;
}

int cf_auth_refresh(cf_app *app, const cf_actor *actor, const char *refresh_token,
                    cf_token_pair *out, cf_error *err)
{
	refresh_ctx c;
	int rc;

	memset(out, 0, sizeof *out);
	if (err)
		memset(err, 0, sizeof *err);
	if (!token_text_ok(refresh_token))
		return cf_error_set(err, CF_EUNAUTHENTICATED, CF_SLUG_INVALID_REFRESH_TOKEN,
		                    "refresh_token",
		                    "the refresh token is invalid, expired or revoked");
	c.out = out;
	if ((rc = cf__sha256_hex(app, refresh_token, 64, c.hash)) < 0)
		return cf_error_default(err, rc);
	rc = cf__run(app, actor, do_refresh, &c, err);
	if (rc < 0)
		memset(out, 0, sizeof *out);
	return rc;
}

/* ---- logout ---- */

static int do_logout(cf_uc *uc, void *vctx)
{
	const char *hash = vctx;
	cf_app *app = uc->app;
	cf_refresh_token_row t;
	char summary[96];
	int rc;

	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if (hash[0] == '\0')
		return CF_OK;
	rc = app->p.refresh_tokens.get_by_hash(app->p.refresh_tokens.self, uc->tx, hash, &t);
	if (rc == CF_ENOTFOUND)
		return CF_OK;
	if (rc < 0)
		return rc;
	if (strcmp(t.user_id, uc->actor->user_id) != 0)
		return CF_OK;
	rc = app->p.refresh_tokens.revoke_family(app->p.refresh_tokens.self, uc->tx, t.family_id,
	                                         uc->now_ms);
	if (rc < 0)
		return rc;
	snprintf(summary, sizeof summary, "{\"family_id\":\"%s\"}", t.family_id);
	return cf__audit(uc, "auth.logout", "user", t.user_id, summary);
}

int cf_auth_logout(cf_app *app, const cf_actor *actor, const char *refresh_token, cf_error *err)
{
	char hash[CF_HEX256_SIZE] = "";
	int rc;

	if (token_text_ok(refresh_token) && (rc = cf__sha256_hex(app, refresh_token, 64, hash)) < 0)
		return cf_error_default(err, rc);
	return cf__run(app, actor, do_logout, hash, err);
}

/* ---- authenticate ---- */

typedef struct authn_ctx {
	const char *sub;
	cf_actor *out;
} authn_ctx;

static int do_authenticate(cf_uc *uc, void *vctx)
{
	authn_ctx *c = vctx;
	cf_user_row row, *u = &row; /* on the stack: every request comes here */
	int rc;

	rc = uc->app->p.users.get(uc->app->p.users.self, uc->tx, c->sub, u);
	if (rc == CF_ENOTFOUND || (rc == CF_OK && !u->is_active))
		rc = cf__fail(uc, CF_EUNAUTHENTICATED, CF_SLUG_UNAUTHENTICATED, "",
		              "the access token is no longer valid");
	if (rc == CF_OK) {
		memcpy(c->out->user_id, u->id, sizeof c->out->user_id);
		c->out->role = u->role;
	}
	return rc;
}

int cf_auth_authenticate(cf_app *app, const char *token, size_t len, const char *request_id,
                         const char *client_addr, cf_actor *out, cf_error *err)
{
	cf_token_claims cl;
	cf_actor tmp;
	authn_ctx c;
	int64_t now_s;
	int rc;

	cf_actor_anonymous(out, request_id, client_addr);
	if (err)
		memset(err, 0, sizeof *err);
	if (token == NULL || len == 0 || len >= CF_ACCESS_TOKEN_MAX)
		return cf_error_set(err, CF_EUNAUTHENTICATED, CF_SLUG_UNAUTHENTICATED, "",
		                    "a valid bearer token is required");
	memset(&cl, 0, sizeof cl);
	rc = app->p.signer.verify(app->p.signer.self, token, len, &cl);
	now_s = app->p.clock.now_ms(app->p.clock.self) / 1000;
	if (rc < 0 || !cf__is_uuid(cl.sub) || strcmp(cl.iss, app->cfg.token_issuer) != 0 ||
	    cl.exp <= now_s || cl.nbf > now_s + 60)
		return cf_error_set(err, CF_EUNAUTHENTICATED, CF_SLUG_UNAUTHENTICATED, "",
		                    "a valid bearer token is required");
	tmp = *out;
	c.sub = cl.sub;
	c.out = &tmp;
	rc = cf__run_read(app, NULL, do_authenticate, &c, err);
	if (rc == CF_OK)
		*out = tmp;
	return rc;
}

/* ---- change password ---- */

typedef struct pw_ctx {
	const char *old_hash;
	const char *new_hash;
} pw_ctx;

static int do_change_password(cf_uc *uc, void *vctx)
{
	pw_ctx *c = vctx;
	cf_app *app = uc->app;
	cf_user_row *u = malloc(sizeof *u);
	int rc;

	if (u == NULL)
		return CF_ENOMEM;
	if ((rc = cf__load_actor(uc, u)) < 0)
		goto done;
	if (strcmp(u->password_hash, c->old_hash) != 0) {
		rc = cf__fail(uc, CF_ECONFLICT, CF_SLUG_CONFLICT, "",
		              "the password was changed concurrently; retry");
		goto done;
	}
	cf__copy(u->password_hash, sizeof u->password_hash, c->new_hash);
	u->updated_at_ms = uc->now_ms;
	if ((rc = app->p.users.update(app->p.users.self, uc->tx, u)) < 0)
		goto done;
	rc = app->p.refresh_tokens.revoke_user(app->p.refresh_tokens.self, uc->tx, u->id,
	                                       uc->now_ms);
	if (rc < 0)
		goto done;
	rc = cf__audit(uc, "user.change_password", "user", u->id, "{\"password\":\"changed\"}");
done:
	free(u);
	return rc;
}

typedef struct pw_read_ctx {
	cf_user_row *u;
} pw_read_ctx;

static int do_read_actor(cf_uc *uc, void *vctx)
{
	pw_read_ctx *c = vctx;

	return cf__load_actor(uc, c->u);
}

int cf_user_change_password(cf_app *app, const cf_actor *actor, const char *current_password,
                            const char *new_password, cf_error *err)
{
	cf_user_row *u;
	char hash[CF_PASSWORD_HASH_SIZE];
	pw_read_ctx rctx;
	pw_ctx c;
	bool ok = false;
	int rc;

	if (err)
		memset(err, 0, sizeof *err);
	if (current_password == NULL)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "current_password",
		                    "current_password is required");
	if ((rc = cf__password_check(app, new_password, "new_password", err)) < 0)
		return rc;
	u = malloc(sizeof *u);
	if (u == NULL)
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	rctx.u = u;
	if ((rc = cf__run(app, actor, do_read_actor, &rctx, err)) < 0)
		goto done;
	rc = app->p.hasher.verify(app->p.hasher.self, current_password, u->password_hash, &ok);
	if (rc < 0) {
		rc = cf_error_default(err, rc);
		goto done;
	}
	if (!ok) {
		rc = cf_error_set(err, CF_EUNAUTHENTICATED, CF_SLUG_INVALID_CREDENTIALS,
		                  "current_password", "the current password is wrong");
		goto done;
	}
	rc = app->p.hasher.hash(app->p.hasher.self, new_password, hash, sizeof hash);
	if (rc < 0) {
		rc = cf_error_default(err, rc);
		goto done;
	}
	c.old_hash = u->password_hash;
	c.new_hash = hash;
	rc = cf__run(app, actor, do_change_password, &c, err);
	memset(hash, 0, sizeof hash);
done:
	free(u);
	return rc;
}
