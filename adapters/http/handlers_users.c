/*
 * handlers_users.c - the /api/v1/auth and /api/v1/users routes: decode, one use
 * case, encode.
 */
#include "http_private.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "chitfund/auth.h"
#include "chitfund/users.h"

static int send_user(cf_http_req *r, int status, const cf_user *u)
{
	char loc[96];
	const char *h[] = {"Location", loc, NULL};

	snprintf(loc, sizeof loc, "/api/v1/users/%s", u->id);
	return cf_http_send_json_take(r, status, cf_json_user(u), status == 201 ? h : NULL);
}

static int send_tokens(cf_http_req *r, const cf_token_pair *t)
{
	cJSON *o = cJSON_CreateObject();

	if (o) {
		cJSON_AddStringToObject(o, "access_token", t->access_token);
		cJSON_AddStringToObject(o, "token_type", "bearer");
		cf_json_add_int(o, "expires_in", t->expires_in);
		cJSON_AddStringToObject(o, "refresh_token", t->refresh_token);
	}
	return cf_http_send_json_take(r, 200, o, NULL);
}

int cf_h_register(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cJSON *body = NULL;
	cf_register_req req = {NULL, NULL, NULL, NULL};
	cf_user u = {0};
	cf_jdec d;
	int rc;

	if ((rc = cf_http_json_body(r, false, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		cf_jdec_string(&d, "email", 3, 254, CF_J_REQUIRED, &req.email);
		cf_jdec_string(&d, "password", 1, 1024, CF_J_REQUIRED, &req.password);
		cf_jdec_string(&d, "full_name", 1, 128, CF_J_REQUIRED, &req.full_name);
		cf_jdec_string(&d, "phone", 0, 20, CF_J_NULLABLE, &req.phone);
		rc = cf_jdec_finish(&d, &err);
	}
	if (rc == 0)
		rc = cf_auth_register(cf_http_app(r), &r->actor, &req, &u, &err);
	cJSON_Delete(body);
	return rc < 0 ? cf_http_fail(r, &err) : send_user(r, 201, &u);
}

/* Login takes JSON {email, password} or an OAuth2 password-flow form. */
int cf_h_login(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cJSON *body = NULL;
	const char *email = NULL, *password = NULL;
	const char *ct = cf_http_header(r, "Content-Type");
	char user[256], pass[1100], grant[32];
	cf_token_pair t = {0};
	cf_jdec d;
	int rc;

	if (ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0 &&
	    (ct[33] == '\0' || ct[33] == ';')) {
		if ((rc = cf_http_read_body(r, &err)) == 0) {
			int n = mg_get_var(r->body, r->body_len, "username", user, sizeof user);
			/* n counts decoded bytes: a %00 would cut the C string short */
			if (n < 1)
				cf_http_field_errors_add(&r->errs, "username", "is required");
			else if (strlen(user) != (size_t)n)
				cf_http_field_errors_add(&r->errs, "username",
				                         "must not contain NUL");
			else
				email = user;
			n = mg_get_var(r->body, r->body_len, "password", pass, sizeof pass);
			if (n < 1)
				cf_http_field_errors_add(&r->errs, "password", "is required");
			else if (strlen(pass) != (size_t)n)
				cf_http_field_errors_add(&r->errs, "password",
				                         "must not contain NUL");
			else
				password = pass;
			/* -2 (too long for grant) is present and wrong, not absent */
			n = mg_get_var(r->body, r->body_len, "grant_type", grant, sizeof grant);
			if (n != -1 && (n < 0 || strcmp(grant, "password") != 0))
				cf_http_field_errors_add(&r->errs, "grant_type",
				                         "must be \"password\"");
			if (r->errs.n)
				rc = cf_error_set(&err, CF_EINVALID, "validation-error",
				                  r->errs.e[0].field,
				                  "the request has invalid fields");
		}
	} else if ((rc = cf_http_json_body(r, false, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		cf_jdec_string(&d, "email", 1, 254, CF_J_REQUIRED, &email);
		cf_jdec_string(&d, "password", 1, 1024, CF_J_REQUIRED, &password);
		rc = cf_jdec_finish(&d, &err);
	}
	if (rc == 0)
		rc = cf_auth_login(cf_http_app(r), &r->actor, email, password, &t, &err);
	cJSON_Delete(body);
	memset(pass, 0, sizeof pass);
	if (r->body)
		memset(r->body, 0, r->body_len);
	return rc < 0 ? cf_http_fail(r, &err) : send_tokens(r, &t);
}

/* Decode {"refresh_token": "..."} (the only field). */
static int refresh_body(cf_http_req *r, cJSON **body, const char **token, cf_error *err)
{
	cf_jdec d;
	int rc;

	if ((rc = cf_http_json_body(r, false, body, err)) < 0)
		return rc;
	cf_jdec_init(&d, *body, &r->errs);
	cf_jdec_string(&d, "refresh_token", 1, 512, CF_J_REQUIRED, token);
	return cf_jdec_finish(&d, err);
}

int cf_h_refresh(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cJSON *body = NULL;
	const char *token = NULL;
	cf_token_pair t = {0};
	int rc;

	if ((rc = refresh_body(r, &body, &token, &err)) == 0)
		rc = cf_auth_refresh(cf_http_app(r), &r->actor, token, &t, &err);
	cJSON_Delete(body);
	return rc < 0 ? cf_http_fail(r, &err) : send_tokens(r, &t);
}

int cf_h_logout(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cJSON *body = NULL;
	const char *token = NULL;
	int rc;

	if ((rc = refresh_body(r, &body, &token, &err)) == 0)
		rc = cf_auth_logout(cf_http_app(r), &r->actor, token, &err);
	cJSON_Delete(body);
	return rc < 0 ? cf_http_fail(r, &err) : cf_http_send(r, 204, NULL, NULL, 0, NULL);
}

int cf_h_me_get(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cf_user u = {0};

	if (cf_user_get_me(cf_http_app(r), &r->actor, &u, &err) < 0)
		return cf_http_fail(r, &err);
	return send_user(r, 200, &u);
}

/* A nullable text field of the profile: null or "" clears, absent leaves it. */
static void profile_text(cf_jdec *d, const char *name, size_t max, const char **out)
{
	const char *v = NULL;
	int rc = cf_jdec_string(d, name, 0, max, CF_J_NULLABLE, &v);

	if (rc == CF_J_SET)
		*out = v;
	else if (rc == CF_J_NULL)
		*out = "";
}

int cf_h_me_patch(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cJSON *body = NULL;
	cf_profile_update up;
	cf_user u = {0};
	cf_jdec d, nd;
	int rc;

	memset(&up, 0, sizeof up);
	if ((rc = cf_http_json_body(r, false, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		cf_jdec_string(&d, "full_name", 1, 128, CF_J_OPTIONAL, &up.full_name);
		profile_text(&d, "phone", 20, &up.phone);
		profile_text(&d, "pan", 10, &up.pan);
		profile_text(&d, "aadhaar", 14, &up.aadhaar);
		profile_text(&d, "bank_account", 18, &up.bank_account);
		profile_text(&d, "bank_ifsc", 11, &up.bank_ifsc);
		profile_text(&d, "address", 512, &up.address);
		const cJSON *nom = cf_jdec_raw(&d, "nominee");
		if (cJSON_IsNull(nom)) {
			up.nominee_name = "";
			up.nominee_relation = "";
		} else if (cJSON_IsObject(nom)) {
			int k = r->errs.n;
			cf_jdec_init(&nd, nom, &r->errs);
			profile_text(&nd, "name", 128, &up.nominee_name);
			profile_text(&nd, "relation", 32, &up.nominee_relation);
			cf_jdec_finish(&nd, NULL);
			for (int i = k; i < r->errs.n; i++) {
				char f[64];
				snprintf(f, sizeof f, "nominee.%.50s", r->errs.e[i].field);
				memcpy(r->errs.e[i].field, f, sizeof f);
			}
		} else if (nom) {
			cf_http_field_errors_add(&r->errs, "nominee", "must be an object or null");
		}
		rc = cf_jdec_finish(&d, &err);
	}
	if (rc == 0)
		rc = cf_user_update_me(cf_http_app(r), &r->actor, &up, &u, &err);
	cJSON_Delete(body);
	return rc < 0 ? cf_http_fail(r, &err) : send_user(r, 200, &u);
}

int cf_h_me_password(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cJSON *body = NULL;
	const char *cur = NULL, *next = NULL;
	cf_jdec d;
	int rc;

	if ((rc = cf_http_json_body(r, false, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		cf_jdec_string(&d, "current_password", 1, 1024, CF_J_REQUIRED, &cur);
		cf_jdec_string(&d, "new_password", 1, 1024, CF_J_REQUIRED, &next);
		rc = cf_jdec_finish(&d, &err);
	}
	if (rc == 0)
		rc = cf_user_change_password(cf_http_app(r), &r->actor, cur, next, &err);
	cJSON_Delete(body);
	if (r->body)
		memset(r->body, 0, r->body_len);
	return rc < 0 ? cf_http_fail(r, &err) : cf_http_send(r, 204, NULL, NULL, 0, NULL);
}

int cf_h_me_tickets(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cf_ticket_array l = {NULL, 0};
	cJSON *items, *o;

	if (cf_user_tickets(cf_http_app(r), &r->actor, &l, &err) < 0)
		return cf_http_fail(r, &err);
	items = cJSON_CreateArray();
	for (size_t i = 0; items && i < l.count; i++)
		cJSON_AddItemToArray(items, cf_json_ticket(&l.items[i]));
	cf_ticket_array_free(&l);
	o = cJSON_CreateObject();
	if (o && items)
		cJSON_AddItemToObject(o, "items", items);
	else
		cJSON_Delete(items);
	return cf_http_send_json_take(r, 200, o, NULL);
}

int cf_h_users_list(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cf_users_query q;
	cf_user_page page;
	char cursor[CF_CURSOR_SIZE + 8], role[32], ucfsin[32];
	int rc;

	memset(&q, 0, sizeof q);
	memset(&page, 0, sizeof page);
	rc = cf_http_page_params(r, &q.limit, cursor, sizeof cursor, &err);
	if (rc == 0 && cf_http_query(r, "role", role, sizeof role) != 0 &&
	    cf_role_parse(role, &q.role) < 0) {
		cf_http_field_errors_add(
		        &r->errs, "role",
		        "must be one of: subscriber, agent, foreman, auditor, admin");
		rc = cf_error_set(&err, CF_EINVALID, "validation-error", "role", "unknown role");
	}
	if (rc == 0) {
		int u = cf_http_query(r, "ucfsin", ucfsin, sizeof ucfsin);
		if (u < 0) {
			cf_http_field_errors_add(&r->errs, "ucfsin", "is not a valid UCFSIN");
			rc = cf_error_set(&err, CF_EINVALID, "validation-error", "ucfsin",
			                  "ucfsin is not valid");
		}
		q.ucfsin = u > 0 ? ucfsin : NULL;
		q.cursor = cursor;
	}
	if (rc == 0)
		rc = cf_users_list(cf_http_app(r), &r->actor, &q, &page, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	cJSON *items = cJSON_CreateArray();
	for (size_t i = 0; items && i < page.users.count; i++)
		cJSON_AddItemToArray(items, cf_json_user(&page.users.items[i]));
	cJSON *o = cf_json_page(items, page.next_cursor);
	cf_user_page_free(&page);
	return cf_http_send_json_take(r, 200, o, NULL);
}

int cf_h_users_get(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	cf_user u = {0};
	int rc;

	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0)
		rc = cf_users_get(cf_http_app(r), &r->actor, id, &u, &err);
	return rc < 0 ? cf_http_fail(r, &err) : send_user(r, 200, &u);
}

int cf_h_users_patch(cf_http_req *r)
{
	static const char *const roles[] = {"subscriber", "agent", "foreman",
	                                    "auditor",    "admin", NULL};
	cf_error err = CF_ERROR_INIT;
	cJSON *body = NULL;
	const char *id = NULL;
	cf_user_admin_update up;
	cf_user u = {0};
	cf_jdec d;
	int role = 0, rc;

	memset(&up, 0, sizeof up);
	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = cf_http_json_body(r, false, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		if (cf_jdec_enum(&d, "role", roles, CF_J_OPTIONAL, &role) == CF_J_SET) {
			up.set_role = true;
			cf_role_parse(roles[role], &up.role);
		}
		if (cf_jdec_bool(&d, "is_active", CF_J_OPTIONAL, &up.is_active) == CF_J_SET)
			up.set_is_active = true;
		rc = cf_jdec_finish(&d, &err);
	}
	if (rc == 0)
		rc = cf_users_update(cf_http_app(r), &r->actor, id, &up, &u, &err);
	cJSON_Delete(body);
	return rc < 0 ? cf_http_fail(r, &err) : send_user(r, 200, &u);
}
