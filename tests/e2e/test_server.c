/*
 * test_server.c - end to end: the real chitfund-server binary on a free
 * loopback port against a database of its own, driven over HTTP.
 *
 * Needs CF_TEST_DATABASE_URL (scripts/run-tests e2e starts a throwaway
 * cluster and exports it); without it this runner FAILS. Every test makes
 * its own users (unique emails), so tests do not depend on their order.
 */
#include <check.h>
#include <errno.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e_http.h"
#include "http_server.h"

static e2e_server srv;
static char admin_token[1200];
static int seq;

#define ADMIN_EMAIL    "root@e2e.test"
#define ADMIN_PASSWORD "admin-password-1234"
#define PASSWORD       "correct-horse-battery"

/* ---- small helpers ---- */

static int req(const char *method, const char *path, const char *token, const char *ctype,
               const char *body, e2e_resp *r)
{
	char h[2048] = "";
	size_t n = 0;

	if (token && *token)
		n += (size_t)snprintf(h + n, sizeof h - n, "Authorization: Bearer %s\r\n", token);
	if (ctype)
		snprintf(h + n, sizeof h - n, "Content-Type: %s\r\n", ctype);
	int rc = e2e_request(srv.port, method, path, h, body, body ? strlen(body) : 0, r);
	ck_assert_msg(rc == 0, "%s %s: no response", method, path);
	return r->status;
}

static int post(const char *path, const char *token, const char *json, e2e_resp *r)
{
	return req("POST", path, token, json ? "application/json" : NULL, json, r);
}

static int get(const char *path, const char *token, e2e_resp *r)
{
	return req("GET", path, token, NULL, NULL, r);
}

static const char *jstr(const e2e_resp *r, const char *name)
{
	const cJSON *v = r->json ? cJSON_GetObjectItemCaseSensitive(r->json, name) : NULL;
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double jnum(const e2e_resp *r, const char *name)
{
	const cJSON *v = r->json ? cJSON_GetObjectItemCaseSensitive(r->json, name) : NULL;
	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* Assert a problem+json with this status and slug. */
static void assert_problem(const e2e_resp *r, int status, const char *slug)
{
	char ct[128], type[160];

	ck_assert_msg(r->status == status, "want %d %s, got %d: %s", status, slug, r->status,
	              r->body);
	ck_assert_ptr_nonnull(e2e_header(r, "Content-Type", ct, sizeof ct));
	ck_assert_str_eq(ct, "application/problem+json");
	snprintf(type, sizeof type, "https://chitfund.dev/problems/%s", slug);
	ck_assert_msg(jstr(r, "type") && strcmp(jstr(r, "type"), type) == 0, "type %s: %s", slug,
	              r->body);
	ck_assert_int_eq((int)jnum(r, "status"), status);
	ck_assert_ptr_nonnull(jstr(r, "title"));
	ck_assert_ptr_nonnull(jstr(r, "detail"));
}

/* True when the problem's errors[] names `field`. */
static int names_field(const e2e_resp *r, const char *field)
{
	const cJSON *errs = cJSON_GetObjectItemCaseSensitive(r->json, "errors"), *e;
	cJSON_ArrayForEach(e, errs)
	{
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(e, "field");
		if (cJSON_IsString(f) && strcmp(f->valuestring, field) == 0)
			return 1;
	}
	return 0;
}

static void unique_email(char *buf, size_t size, const char *tag)
{
	snprintf(buf, size, "%s.%d.%d@e2e.test", tag, (int)getpid(), ++seq);
}

/* Register a user; returns its id in id (>= 37 bytes). */
static void register_user(const char *email, char *id)
{
	char body[512];
	e2e_resp r;

	snprintf(body, sizeof body,
	         "{\"email\":\"%s\",\"password\":\"" PASSWORD "\",\"full_name\":\"Test User\"}",
	         email);
	ck_assert_int_eq(post("/api/v1/auth/register", NULL, body, &r), 201);
	snprintf(id, 37, "%s", jstr(&r, "id"));
	e2e_resp_free(&r);
}

static int login(const char *email, const char *password, char *access, char *refresh)
{
	char body[512];
	e2e_resp r;
	int st;

	snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
	st = post("/api/v1/auth/login", NULL, body, &r);
	if (st == 200) {
		snprintf(access, 1200, "%s", jstr(&r, "access_token"));
		if (refresh)
			snprintf(refresh, 200, "%s", jstr(&r, "refresh_token"));
	}
	e2e_resp_free(&r);
	return st;
}

/* A user with a role (registered, promoted by the admin, logged in). */
static void user_with_role(const char *role, char *id, char *token)
{
	char email[128], path[128], body[64];
	e2e_resp r;

	unique_email(email, sizeof email, role);
	register_user(email, id);
	if (strcmp(role, "subscriber") != 0) {
		snprintf(path, sizeof path, "/api/v1/users/%s", id);
		snprintf(body, sizeof body, "{\"role\":\"%s\"}", role);
		ck_assert_int_eq(req("PATCH", path, admin_token, "application/json", body, &r),
		                 200);
		ck_assert_str_eq(jstr(&r, "role"), role);
		e2e_resp_free(&r);
	}
	ck_assert_int_eq(login(email, PASSWORD, token, NULL), 200);
}

/* ---- operations ---- */

START_TEST(test_ops__health_ready_metrics_docs)
{
	e2e_resp r;
	char ct[128];

	ck_assert_int_eq(get("/healthz", NULL, &r), 200);
	e2e_resp_free(&r);
	ck_assert_int_eq(get("/readyz", NULL, &r), 200);
	e2e_resp_free(&r);
	ck_assert_int_eq(get("/metrics", NULL, &r), 200);
	ck_assert_ptr_nonnull(strstr(r.body, "chitfund_http_requests_total{method=\"GET\","
	                                     "route=\"/healthz\",status=\"200\"}"));
	ck_assert_ptr_nonnull(strstr(r.body, "chitfund_http_request_duration_seconds_bucket"));
	ck_assert_ptr_nonnull(strstr(r.body, "chitfund_db_pool_connections"));
	ck_assert_ptr_nonnull(strstr(r.body, "chitfund_read_cache_enabled 1\n"));
	ck_assert_ptr_nonnull(strstr(r.body, "chitfund_read_cache_hits_total "));
	e2e_resp_free(&r);
	ck_assert_int_eq(get("/openapi.json", NULL, &r), 200);
	ck_assert_str_eq(jstr(&r, "openapi"), "3.1.0");
	ck_assert_str_eq(jstr(&r, "jsonSchemaDialect"),
	                 "https://json-schema.org/draft/2020-12/schema");
	e2e_resp_free(&r);
	ck_assert_int_eq(get("/docs", NULL, &r), 200);
	ck_assert_str_eq(e2e_header(&r, "Content-Type", ct, sizeof ct), "text/html; charset=utf-8");
	ck_assert_ptr_nonnull(strstr(r.body, "/docs/swagger-ui-bundle.js"));
	ck_assert_ptr_null(strstr(r.body, "https://")); /* no CDN */
	e2e_resp_free(&r);
	if (access("node_modules/swagger-ui-dist/swagger-ui-bundle.js", R_OK) == 0) {
		ck_assert_int_eq(get("/docs/swagger-ui-bundle.js", NULL, &r), 200);
		ck_assert_uint_gt(r.body_len, 100000);
		e2e_resp_free(&r);
	}
}
END_TEST

START_TEST(test_ops__request_id_echoed_or_generated)
{
	e2e_resp r;
	char v[200], big[300];

	ck_assert_int_eq(
	        e2e_request(srv.port, "GET", "/healthz", "X-Request-Id: abc-123\r\n", NULL, 0, &r),
	        0);
	ck_assert_str_eq(e2e_header(&r, "X-Request-Id", v, sizeof v), "abc-123");
	e2e_resp_free(&r);
	memset(big, 'x', 129);
	big[129] = '\0';
	char h[400];
	snprintf(h, sizeof h, "X-Request-Id: %s\r\n", big);
	ck_assert_int_eq(e2e_request(srv.port, "GET", "/healthz", h, NULL, 0, &r), 0);
	ck_assert_ptr_nonnull(e2e_header(&r, "X-Request-Id", v, sizeof v));
	ck_assert_str_ne(v, big);
	ck_assert_int_eq(strlen(v), 36);
	e2e_resp_free(&r);
}
END_TEST

/* Every documented operation is routed, and every route is documented. */
START_TEST(test_contract__openapi_and_router_agree)
{
	static const char *const methods[] = {"get", "post", "patch", "put", "delete", NULL};
	e2e_resp spec, r;
	const cJSON *paths, *p;
	size_t nroutes;
	const cf_http_route *routes = cf_http_routes(&nroutes);
	int checked = 0;

	ck_assert_int_eq(get("/openapi.json", NULL, &spec), 200);
	paths = cJSON_GetObjectItemCaseSensitive(spec.json, "paths");
	ck_assert_ptr_nonnull(paths);
	cJSON_ArrayForEach(p, paths)
	{
		char path[512];
		size_t o = 0;
		/* fill every {param} with a UUID-shaped value */
		for (const char *c = p->string; *c && o + 40 < sizeof path;) {
			if (*c == '{') {
				o += (size_t)snprintf(path + o, sizeof path - o, "%s",
				                      "00000000-0000-4000-8000-000000000000");
				c = strchr(c, '}') + 1;
			} else {
				path[o++] = *c++;
			}
		}
		path[o] = '\0';
		for (int m = 0; methods[m]; m++) {
			char up[8];
			if (!cJSON_GetObjectItemCaseSensitive(p, methods[m]))
				continue;
			for (int i = 0; methods[m][i]; i++)
				up[i] = (char)(methods[m][i] - 'a' + 'A');
			up[strlen(methods[m])] = '\0';
			/* documented in openapi -> the router knows it */
			int found = 0;
			for (size_t i = 0; i < nroutes && !found; i++)
				found = strcmp(routes[i].pattern, p->string) == 0 &&
				        strcmp(routes[i].method, up) == 0;
			ck_assert_msg(found, "%s %s is documented but not routed", up, p->string);
			/* and the live server does not answer "unknown route" or 405 */
			req(up, path, admin_token, NULL, NULL, &r);
			ck_assert_msg(r.status != 405, "%s %s: 405", up, path);
			ck_assert_msg(!(r.status == 404 && jstr(&r, "detail") &&
			                strcmp(jstr(&r, "detail"), "no such resource") == 0 &&
			                !strchr(p->string, '{')),
			              "%s %s: unrouted", up, path);
			e2e_resp_free(&r);
			checked++;
		}
	}
	/* routed -> documented */
	for (size_t i = 0; i < nroutes; i++) {
		char lower[8];
		const cJSON *item = cJSON_GetObjectItemCaseSensitive(paths, routes[i].pattern);
		size_t k;
		for (k = 0; routes[i].method[k] && k < 7; k++)
			lower[k] = (char)(routes[i].method[k] - 'A' + 'a');
		lower[k] = '\0';
		ck_assert_msg(item && cJSON_GetObjectItemCaseSensitive(item, lower),
		              "%s %s is routed but not in docs/openapi.yaml", routes[i].method,
		              routes[i].pattern);
	}
	ck_assert_int_eq(checked, (int)nroutes);
	e2e_resp_free(&spec);
}
END_TEST

/* ---- protocol errors ---- */

START_TEST(test_errors__unknown_route_and_wrong_method)
{
	e2e_resp r;
	char allow[64];

	get("/api/v1/nope", NULL, &r);
	assert_problem(&r, 404, "not-found");
	e2e_resp_free(&r);
	req("DELETE", "/api/v1/auth/login", NULL, NULL, NULL, &r);
	assert_problem(&r, 405, "method-not-allowed");
	ck_assert_str_eq(e2e_header(&r, "Allow", allow, sizeof allow), "POST");
	e2e_resp_free(&r);
	/* a path id that is not a UUID is 404, like an unknown one */
	get("/api/v1/schemes/not-a-uuid", admin_token, &r);
	assert_problem(&r, 404, "not-found");
	e2e_resp_free(&r);
	get("/api/v1/schemes/00000000-0000-4000-8000-000000000000", admin_token, &r);
	assert_problem(&r, 404, "not-found");
	e2e_resp_free(&r);
}
END_TEST

START_TEST(test_errors__body_shape_refusals)
{
	e2e_resp r;
	char *big;

	req("POST", "/api/v1/auth/register", NULL, "text/plain", "hello", &r);
	assert_problem(&r, 415, "unsupported-media-type");
	e2e_resp_free(&r);
	post("/api/v1/auth/register", NULL, "{\"email\":", &r);
	assert_problem(&r, 400, "malformed-json");
	e2e_resp_free(&r);
	post("/api/v1/auth/login", NULL, "{\"email\":\"a@b.c\",\"password\":\"x\"} []", &r);
	assert_problem(&r, 400, "malformed-json");
	e2e_resp_free(&r);
	post("/api/v1/auth/login", NULL,
	     "{\"email\":\"a@b.c\",\"email\":\"d@b.c\",\"password\":\"x\"}", &r);
	assert_problem(&r, 422, "validation-error");
	ck_assert(names_field(&r, "email"));
	e2e_resp_free(&r);
	post("/api/v1/auth/register", NULL,
	     "{\"email\":\"u@e2e.test\",\"password\":\"" PASSWORD "\",\"full_name\":\"X\","
	     "\"is_admin\":true}",
	     &r);
	assert_problem(&r, 422, "validation-error");
	ck_assert(names_field(&r, "is_admin"));
	e2e_resp_free(&r);
	post("/api/v1/auth/register", NULL, "{\"email\":42,\"password\":\"" PASSWORD "\"}", &r);
	assert_problem(&r, 422, "validation-error");
	ck_assert(names_field(&r, "email"));
	ck_assert(names_field(&r, "full_name"));
	e2e_resp_free(&r);
	big = malloc(70 * 1024 + 64);
	memset(big, ' ', 70 * 1024);
	memcpy(big, "{\"email\":\"", 10);
	memcpy(big + 70 * 1024, "\"}", 3); /* with its NUL */
	post("/api/v1/auth/register", NULL, big, &r);
	assert_problem(&r, 413, "payload-too-large");
	e2e_resp_free(&r);
	free(big);
}
END_TEST

START_TEST(test_errors__integers_beyond_2_53_are_rejected)
{
	char fid[40], ftok[1200];
	e2e_resp r;

	user_with_role("foreman", fid, ftok);
	post("/api/v1/schemes", ftok,
	     "{\"name\":\"Big\",\"chit_value\":9007199254740993,\"member_count\":10,"
	     "\"start_date\":\"2026-05-01\"}",
	     &r);
	assert_problem(&r, 422, "validation-error");
	ck_assert(names_field(&r, "chit_value"));
	e2e_resp_free(&r);
	post("/api/v1/schemes", ftok,
	     "{\"name\":\"Frac\",\"chit_value\":1000000.5,\"member_count\":\"10\","
	     "\"start_date\":\"2026-02-30\"}",
	     &r);
	assert_problem(&r, 422, "validation-error");
	ck_assert(names_field(&r, "chit_value"));
	ck_assert(names_field(&r, "member_count"));
	ck_assert(names_field(&r, "start_date"));
	e2e_resp_free(&r);
}
END_TEST

/* ---- auth ---- */

START_TEST(test_auth__register_login_json_and_form)
{
	char email[128], upper[128], id[40], tok[1200], body[512];
	e2e_resp r;
	char loc[128], www[64];

	unique_email(email, sizeof email, "reg");
	snprintf(body, sizeof body,
	         "{\"email\":\"%s\",\"password\":\"" PASSWORD "\",\"full_name\":\"Asha R\","
	         "\"phone\":\"+919876543210\"}",
	         email);
	ck_assert_int_eq(post("/api/v1/auth/register", NULL, body, &r), 201);
	ck_assert_str_eq(jstr(&r, "role"), "subscriber");
	ck_assert_str_eq(jstr(&r, "email"), email);
	ck_assert_ptr_nonnull(jstr(&r, "ucfsin"));
	ck_assert_ptr_null(strstr(r.body, "password"));
	snprintf(id, sizeof id, "%s", jstr(&r, "id"));
	snprintf(body, sizeof body, "/api/v1/users/%s", id);
	ck_assert_str_eq(e2e_header(&r, "Location", loc, sizeof loc), body);
	e2e_resp_free(&r);
	/* duplicate, case-insensitively */
	snprintf(upper, sizeof upper, "%s", email);
	for (char *c = upper; *c; c++)
		if (*c >= 'a' && *c <= 'z')
			*c = (char)(*c - 32);
	snprintf(body, sizeof body,
	         "{\"email\":\"%s\",\"password\":\"" PASSWORD "\",\"full_name\":\"B\"}", upper);
	post("/api/v1/auth/register", NULL, body, &r);
	assert_problem(&r, 409, "email-taken");
	e2e_resp_free(&r);
	/* short password */
	unique_email(email + 64, 64, "short");
	snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"short\",\"full_name\":\"B\"}",
	         email + 64);
	post("/api/v1/auth/register", NULL, body, &r);
	assert_problem(&r, 422, "validation-error");
	ck_assert(names_field(&r, "password"));
	e2e_resp_free(&r);
	/* JSON login */
	ck_assert_int_eq(login(email, PASSWORD, tok, NULL), 200);
	ck_assert_int_eq(get("/api/v1/users/me", tok, &r), 200);
	ck_assert_str_eq(jstr(&r, "id"), id);
	e2e_resp_free(&r);
	/* form login (OAuth2 password flow) */
	char form[512], esc[200];
	size_t o = 0;
	for (const char *c = email; *c && o + 4 < sizeof esc; c++) {
		if (*c == '@')
			o += (size_t)snprintf(esc + o, sizeof esc - o, "%%40");
		else
			esc[o++] = *c;
	}
	esc[o] = '\0';
	snprintf(form, sizeof form, "grant_type=password&username=%s&password=" PASSWORD, esc);
	ck_assert_int_eq(req("POST", "/api/v1/auth/login", NULL,
	                     "application/x-www-form-urlencoded", form, &r),
	                 200);
	ck_assert_str_eq(jstr(&r, "token_type"), "bearer");
	ck_assert(jnum(&r, "expires_in") > 0);
	ck_assert_ptr_nonnull(jstr(&r, "refresh_token"));
	e2e_resp_free(&r);
	/* wrong password */
	snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"wrong-password-x\"}", email);
	post("/api/v1/auth/login", NULL, body, &r);
	assert_problem(&r, 401, "invalid-credentials");
	ck_assert_str_eq(e2e_header(&r, "WWW-Authenticate", www, sizeof www), "Bearer");
	e2e_resp_free(&r);
}
END_TEST

START_TEST(test_auth__refresh_rotation_and_reuse_detection)
{
	char email[128], id[40], acc[1200], r1[200], body[400], r2[200];
	e2e_resp r;

	unique_email(email, sizeof email, "refresh");
	register_user(email, id);
	ck_assert_int_eq(login(email, PASSWORD, acc, r1), 200);
	snprintf(body, sizeof body, "{\"refresh_token\":\"%s\"}", r1);
	ck_assert_int_eq(post("/api/v1/auth/refresh", NULL, body, &r), 200);
	snprintf(r2, sizeof r2, "%s", jstr(&r, "refresh_token"));
	ck_assert_str_ne(r2, r1);
	e2e_resp_free(&r);
	/* reuse of the spent token: refused and the family is revoked */
	post("/api/v1/auth/refresh", NULL, body, &r);
	assert_problem(&r, 401, "invalid-refresh-token");
	e2e_resp_free(&r);
	snprintf(body, sizeof body, "{\"refresh_token\":\"%s\"}", r2);
	post("/api/v1/auth/refresh", NULL, body, &r);
	assert_problem(&r, 401, "invalid-refresh-token");
	e2e_resp_free(&r);
	/* logout revokes a fresh family */
	ck_assert_int_eq(login(email, PASSWORD, acc, r1), 200);
	snprintf(body, sizeof body, "{\"refresh_token\":\"%s\"}", r1);
	ck_assert_int_eq(post("/api/v1/auth/logout", acc, body, &r), 204);
	e2e_resp_free(&r);
	post("/api/v1/auth/refresh", NULL, body, &r);
	assert_problem(&r, 401, "invalid-refresh-token");
	e2e_resp_free(&r);
}
END_TEST

static void b64url(const unsigned char *in, size_t n, char *out, size_t size)
{
	static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t o = 0;
	for (size_t i = 0; i < n && o + 5 < size; i += 3) {
		unsigned v = (unsigned)in[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = t[(v >> 18) & 63];
		out[o++] = t[(v >> 12) & 63];
		if (i + 1 < n)
			out[o++] = t[(v >> 6) & 63];
		if (i + 2 < n)
			out[o++] = t[v & 63];
	}
	out[o] = '\0';
}

START_TEST(test_auth__bad_tokens_are_401)
{
	char email[128], id[40], tok[1200], bad[1400], hdr[200], pay[600], sig[100];
	unsigned char mac[32];
	unsigned int maclen = 0;
	e2e_resp r;
	char www[64];

	unique_email(email, sizeof email, "tokens");
	register_user(email, id);
	ck_assert_int_eq(login(email, PASSWORD, tok, NULL), 200);
	ck_assert_int_eq(get("/api/v1/users/me", tok, &r), 200);
	e2e_resp_free(&r);

	get("/api/v1/users/me", NULL, &r);
	assert_problem(&r, 401, "unauthenticated");
	ck_assert_str_eq(e2e_header(&r, "WWW-Authenticate", www, sizeof www), "Bearer");
	e2e_resp_free(&r);
	get("/api/v1/users/me", "not.a.jwt", &r);
	assert_problem(&r, 401, "unauthenticated");
	e2e_resp_free(&r);

	/* tampered payload: flip one character of the real token's claims */
	snprintf(bad, sizeof bad, "%s", tok);
	char *dot = strchr(bad, '.');
	ck_assert_ptr_nonnull(dot);
	dot[3] = dot[3] == 'A' ? 'B' : 'A';
	get("/api/v1/users/me", bad, &r);
	assert_problem(&r, 401, "unauthenticated");
	e2e_resp_free(&r);

	/* the real claims, with alg "none" and no signature */
	char *dot2 = strchr(strchr(tok, '.') + 1, '.');
	snprintf(pay, sizeof pay, "%.*s", (int)(dot2 - strchr(tok, '.') - 1), strchr(tok, '.') + 1);
	const char *none = "{\"alg\":\"none\",\"typ\":\"JWT\"}";
	b64url((const unsigned char *)none, strlen(none), hdr, sizeof hdr);
	snprintf(bad, sizeof bad, "%s.%s.", hdr, pay);
	get("/api/v1/users/me", bad, &r);
	assert_problem(&r, 401, "unauthenticated");
	e2e_resp_free(&r);

	/* the real header and claims, signed HS256 with the wrong key */
	snprintf(bad, sizeof bad, "%.*s", (int)(dot2 - tok), tok);
	HMAC(EVP_sha256(), "the-wrong-key-0123456789abcdef0123", 34, (const unsigned char *)bad,
	     strlen(bad), mac, &maclen);
	b64url(mac, maclen, sig, sizeof sig);
	size_t l = strlen(bad);
	snprintf(bad + l, sizeof bad - l, ".%s", sig);
	get("/api/v1/users/me", bad, &r);
	assert_problem(&r, 401, "unauthenticated");
	e2e_resp_free(&r);
}
END_TEST

/* The server's clock: CHITFUND_TEST_NOW (e2e_http.c) plus the little time since. */
#define E2E_NOW_S 1775017800L /* 2026-04-01T04:30:00Z */

/* An HS256 token signed with the server's own key, claims as given. */
static void sign_token(const char *sub, long iat, long nbf, long exp, char *out, size_t size)
{
	static const char hdr_json[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
	char pay_json[400], hdr[80], pay[600], sig[64];
	unsigned char mac[32];
	unsigned int maclen = 0;
	size_t l;

	snprintf(pay_json, sizeof pay_json,
	         "{\"sub\":\"%s\",\"role\":\"subscriber\",\"iss\":\"chitfund\","
	         "\"jti\":\"e2e-%ld-%ld\",\"iat\":%ld,\"nbf\":%ld,\"exp\":%ld}",
	         sub, nbf, exp, iat, nbf, exp);
	b64url((const unsigned char *)hdr_json, strlen(hdr_json), hdr, sizeof hdr);
	b64url((const unsigned char *)pay_json, strlen(pay_json), pay, sizeof pay);
	snprintf(out, size, "%s.%s", hdr, pay);
	l = strlen(out);
	HMAC(EVP_sha256(), E2E_SECRET, (int)strlen(E2E_SECRET), (const unsigned char *)out, l, mac,
	     &maclen);
	b64url(mac, maclen, sig, sizeof sig);
	snprintf(out + l, size - l, ".%s", sig);
}

/* Tokens the server signed itself (its key, its issuer) are refused once
 * expired or before their nbf; the same claims inside the window pass. */
START_TEST(test_auth__expired_and_not_yet_valid_tokens_are_401)
{
	char id[40], tok[1200], forged[1400], www[64];
	e2e_resp r;

	user_with_role("subscriber", id, tok);
	/* control: claims valid now are accepted, so the refusals below are about time */
	sign_token(id, E2E_NOW_S - 60, E2E_NOW_S - 60, E2E_NOW_S + 3600, forged, sizeof forged);
	ck_assert_int_eq(get("/api/v1/users/me", forged, &r), 200);
	ck_assert_str_eq(jstr(&r, "id"), id);
	e2e_resp_free(&r);
	/* expired an hour ago */
	sign_token(id, E2E_NOW_S - 7200, E2E_NOW_S - 7200, E2E_NOW_S - 3600, forged, sizeof forged);
	get("/api/v1/users/me", forged, &r);
	assert_problem(&r, 401, "unauthenticated");
	ck_assert_str_eq(e2e_header(&r, "WWW-Authenticate", www, sizeof www), "Bearer");
	e2e_resp_free(&r);
	/* not valid before tomorrow */
	sign_token(id, E2E_NOW_S, E2E_NOW_S + 86400, E2E_NOW_S + 90000, forged, sizeof forged);
	get("/api/v1/users/me", forged, &r);
	assert_problem(&r, 401, "unauthenticated");
	e2e_resp_free(&r);
}
END_TEST

START_TEST(test_auth__deactivated_user_tokens_are_401)
{
	char id[40], tok[1200], path[128];
	e2e_resp r;

	user_with_role("subscriber", id, tok);
	snprintf(path, sizeof path, "/api/v1/users/%s", id);
	ck_assert_int_eq(
	        req("PATCH", path, admin_token, "application/json", "{\"is_active\":false}", &r),
	        200);
	e2e_resp_free(&r);
	get("/api/v1/users/me", tok, &r);
	assert_problem(&r, 401, "unauthenticated");
	e2e_resp_free(&r);
}
END_TEST

START_TEST(test_auth__login_throttled_with_retry_after)
{
	char email[128], id[40], body[400], ra[32], tok[1200];
	e2e_resp r;
	int i;

	unique_email(email, sizeof email, "throttle");
	register_user(email, id);
	snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"wrong-password-1\"}", email);
	for (i = 0; i < 3; i++) { /* CHITFUND_LOGIN_FAILURES_PER_ACCOUNT=3 */
		post("/api/v1/auth/login", NULL, body, &r);
		assert_problem(&r, 401, "invalid-credentials");
		e2e_resp_free(&r);
	}
	post("/api/v1/auth/login", NULL, body, &r);
	assert_problem(&r, 429, "rate-limited");
	ck_assert_ptr_nonnull(e2e_header(&r, "Retry-After", ra, sizeof ra));
	{
		char *end = NULL;
		long secs;

		errno = 0;
		secs = strtol(ra, &end, 10);
		ck_assert_msg(errno == 0 && end != ra && *end == '\0', "Retry-After: %s", ra);
		ck_assert_int_gt(secs, 0);
	}
	e2e_resp_free(&r);
	/* even the right password is throttled now */
	ck_assert_int_eq(login(email, PASSWORD, tok, NULL), 429);
}
END_TEST

/* ---- roles ---- */

START_TEST(test_roles__refusals)
{
	char sid[40], stok[1200], aid[40], atok[1200], path[128];
	e2e_resp r;

	user_with_role("subscriber", sid, stok);
	user_with_role("auditor", aid, atok);
	get("/api/v1/users", stok, &r);
	assert_problem(&r, 403, "forbidden");
	e2e_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/users/%s", aid);
	get(path, stok, &r);
	assert_problem(&r, 403, "forbidden");
	e2e_resp_free(&r);
	get("/api/v1/audit", stok, &r);
	assert_problem(&r, 403, "forbidden");
	e2e_resp_free(&r);
	post("/api/v1/schemes", stok,
	     "{\"name\":\"S\",\"chit_value\":1000000,\"member_count\":10,"
	     "\"start_date\":\"2026-05-01\"}",
	     &r);
	assert_problem(&r, 403, "forbidden");
	e2e_resp_free(&r);
	/* the auditor reads users and the audit log but changes nothing */
	ck_assert_int_eq(get("/api/v1/users?limit=2", atok, &r), 200);
	ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(r.json, "next_cursor"));
	e2e_resp_free(&r);
	ck_assert_int_eq(get("/api/v1/audit?limit=5", atok, &r), 200);
	e2e_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/users/%s", sid);
	req("PATCH", path, atok, "application/json", "{\"role\":\"admin\"}", &r);
	assert_problem(&r, 403, "forbidden");
	e2e_resp_free(&r);
	get("/api/v1/users?limit=0", atok, &r);
	assert_problem(&r, 422, "validation-error");
	ck_assert(names_field(&r, "limit"));
	e2e_resp_free(&r);
}
END_TEST

/* ---- personal data ---- */

START_TEST(test_pii__masked_in_responses_and_encrypted_at_rest)
{
	char id[40], tok[1200], row[4096];
	const char *params[1];
	e2e_resp r;

	user_with_role("subscriber", id, tok);
	ck_assert_int_eq(req("PATCH", "/api/v1/users/me", tok, "application/json",
	                     "{\"pan\":\"abcpe1234f\",\"address\":\"12 MG Road\","
	                     "\"nominee\":{\"name\":\"Ravi\",\"relation\":\"son\"}}",
	                     &r),
	                 200);
	ck_assert_str_eq(jstr(&r, "pan"), "XXXXXX234F");
	ck_assert_ptr_null(strstr(r.body, "ABCPE1234F"));
	e2e_resp_free(&r);
	ck_assert_int_eq(get("/api/v1/users/me", tok, &r), 200);
	ck_assert_str_eq(jstr(&r, "pan"), "XXXXXX234F");
	e2e_resp_free(&r);
	params[0] = id;
	ck_assert_int_eq(e2e_sqlp(&srv, NULL,
	                          "SELECT row_to_json(u)::text FROM users u WHERE id = $1", 1,
	                          params, row, sizeof row),
	                 0);
	ck_assert_ptr_nonnull(strstr(row, id));
	ck_assert_ptr_null(strstr(row, "ABCPE1234F"));
	ck_assert_ptr_null(strstr(row, "abcpe1234f"));
	req("PATCH", "/api/v1/users/me", tok, "application/json", "{\"pan\":\"12345\"}", &r);
	assert_problem(&r, 422, "validation-error");
	ck_assert(names_field(&r, "pan"));
	e2e_resp_free(&r);
}
END_TEST

/* ---- schemes ---- */

START_TEST(test_schemes__draft_to_running)
{
	char fid[40], ftok[1200], s1[40], t1[1200], s2[40], t2[1200], s3[40], t3[1200];
	char path[256], sid[40], body[256];
	e2e_resp r;
	char loc[128];

	user_with_role("foreman", fid, ftok);
	user_with_role("subscriber", s1, t1);
	user_with_role("subscriber", s2, t2);
	user_with_role("subscriber", s3, t3);
	ck_assert_int_eq(post("/api/v1/schemes", ftok,
	                      "{\"name\":\"Gold 10\",\"chit_value\":1000000,\"member_count\":10,"
	                      "\"start_date\":\"2026-05-01\",\"commission_bps\":500}",
	                      &r),
	                 201);
	snprintf(sid, sizeof sid, "%s", jstr(&r, "id"));
	ck_assert_str_eq(jstr(&r, "status"), "draft");
	ck_assert_str_eq(jstr(&r, "foreman_id"), fid);
	ck_assert_str_eq(jstr(&r, "currency"), "INR");
	ck_assert_str_eq(jstr(&r, "frequency"), "monthly");
	ck_assert(jnum(&r, "subscription") == 100000);
	snprintf(path, sizeof path, "/api/v1/schemes/%s", sid);
	ck_assert_str_eq(e2e_header(&r, "Location", loc, sizeof loc), path);
	e2e_resp_free(&r);

	/* a rule refusal names the field */
	post("/api/v1/schemes", ftok,
	     "{\"name\":\"Greedy\",\"chit_value\":1000000,\"member_count\":10,"
	     "\"start_date\":\"2026-05-01\",\"commission_bps\":900}",
	     &r);
	ck_assert_int_eq(r.status, 422);
	ck_assert(names_field(&r, "commission_bps"));
	e2e_resp_free(&r);

	/* a subscriber cannot see a draft: 404, not 403 */
	get(path, t1, &r);
	assert_problem(&r, 404, "not-found");
	e2e_resp_free(&r);

	ck_assert_int_eq(
	        req("PATCH", path, ftok, "application/json", "{\"name\":\"Gold Ten\"}", &r), 200);
	ck_assert_str_eq(jstr(&r, "name"), "Gold Ten");
	e2e_resp_free(&r);

	snprintf(path, sizeof path, "/api/v1/schemes/%s/open", sid);
	ck_assert_int_eq(post(path, ftok, NULL, &r), 200); /* action with no body */
	ck_assert_str_eq(jstr(&r, "status"), "enrolling");
	e2e_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/schemes/%s", sid);
	req("PATCH", path, ftok, "application/json", "{\"name\":\"Late\"}", &r);
	assert_problem(&r, 409, "scheme-not-draft");
	e2e_resp_free(&r);

	/* enrolment: a subscriber for himself, the foreman for others */
	snprintf(path, sizeof path, "/api/v1/schemes/%s/members", sid);
	ck_assert_int_eq(post(path, t1, "{}", &r), 201);
	ck_assert(jnum(&r, "ticket_no") == 1);
	ck_assert_str_eq(jstr(&r, "user_id"), s1);
	ck_assert_str_eq(jstr(&r, "status"), "active");
	e2e_resp_free(&r);
	snprintf(body, sizeof body, "{\"user_id\":\"%s\"}", s3);
	post(path, t2, body, &r);
	assert_problem(&r, 403, "forbidden");
	e2e_resp_free(&r);
	snprintf(body, sizeof body, "{\"user_id\":\"%s\",\"ticket_no\":1}", s2);
	post(path, ftok, body, &r);
	assert_problem(&r, 409, "ticket-taken");
	e2e_resp_free(&r);
	snprintf(body, sizeof body, "{\"user_id\":\"%s\",\"ticket_no\":2}", s2);
	ck_assert_int_eq(post(path, ftok, body, &r), 201);
	e2e_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/schemes/%s/commence", sid);
	post(path, ftok, "{\"registration_no\":\"REG/1\",\"commencement_ref\":\"CC-1\"}", &r);
	assert_problem(&r, 409, "scheme-not-full");
	e2e_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/schemes/%s/members", sid);
	snprintf(body, sizeof body, "{\"user_id\":\"%s\"}", fid);
	for (int i = 3; i <= 10; i++) {
		ck_assert_int_eq(post(path, ftok, body, &r), 201);
		e2e_resp_free(&r);
	}
	post(path, ftok, body, &r);
	assert_problem(&r, 409, "scheme-full");
	e2e_resp_free(&r);
	/* members: staff see all ten, a subscriber only his own */
	ck_assert_int_eq(get(path, ftok, &r), 200);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")), 10);
	e2e_resp_free(&r);
	ck_assert_int_eq(get(path, t1, &r), 200);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")), 1);
	e2e_resp_free(&r);

	snprintf(path, sizeof path, "/api/v1/schemes/%s/commence", sid);
	ck_assert_int_eq(post(path, ftok,
	                      "{\"registration_no\":\"REG/1\",\"commencement_ref\":\"CC-1\"}", &r),
	                 200);
	ck_assert_str_eq(jstr(&r, "status"), "running");
	ck_assert_str_eq(jstr(&r, "registration_no"), "REG/1");
	e2e_resp_free(&r);

	snprintf(path, sizeof path, "/api/v1/schemes/%s/schedule", sid);
	ck_assert_int_eq(get(path, t1, &r), 200);
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(r.json, "items");
	ck_assert_int_eq(cJSON_GetArraySize(items), 10);
	const cJSON *first = cJSON_GetArrayItem(items, 0);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(first, "due_date")->valuestring,
	                 "2026-05-01");
	e2e_resp_free(&r);

	/* a subscriber who holds no ticket and the scheme no longer enrolling: 404, and the
	 * list does not show it; a member still reads it */
	snprintf(path, sizeof path, "/api/v1/schemes/%s", sid);
	get(path, t3, &r);
	assert_problem(&r, 404, "not-found");
	e2e_resp_free(&r);
	ck_assert_int_eq(get("/api/v1/schemes?limit=200", t3, &r), 200);
	ck_assert_ptr_null(strstr(r.body, sid));
	e2e_resp_free(&r);
	ck_assert_int_eq(get(path, t1, &r), 200);
	ck_assert_str_eq(jstr(&r, "status"), "running");
	e2e_resp_free(&r);

	ck_assert_int_eq(get("/api/v1/users/me/tickets", t1, &r), 200);
	ck_assert_int_ge(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")), 1);
	e2e_resp_free(&r);
	ck_assert_int_eq(get("/api/v1/schemes?status=running&limit=200", ftok, &r), 200);
	ck_assert_ptr_nonnull(strstr(r.body, sid));
	e2e_resp_free(&r);
}
END_TEST

/* ---- audit ---- */

START_TEST(test_audit__chain_verifies_and_detects_tampering)
{
	static const char *const verify[] = {"verify", NULL};
	char out[1024], seqv[32], orig[64];
	const char *params[2];
	e2e_resp r;

	ck_assert_int_eq(get("/api/v1/audit?limit=3", admin_token, &r), 200);
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(r.json, "items");
	ck_assert_int_ge(cJSON_GetArraySize(items), 1);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(items, 0), "prev_hash")
	                         ->valuestring,
	                 "0000000000000000000000000000000000000000000000000000000000000000");
	e2e_resp_free(&r);

	ck_assert_int_eq(e2e_server_run(&srv, verify, NULL, out, sizeof out), 0);
	/* the trigger refuses UPDATE, so disable it as superuser for this one change */
	ck_assert_int_eq(e2e_sql(&srv, "SELECT min(seq)::text FROM audit_log", seqv, sizeof seqv),
	                 0);
	params[0] = seqv;
	ck_assert_int_eq(e2e_sqlp(&srv, NULL, "SELECT action FROM audit_log WHERE seq = $1::bigint",
	                          1, params, orig, sizeof orig),
	                 0);
	params[0] = "tampered";
	params[1] = seqv;
	ck_assert_int_ne(e2e_sqlp(&srv, NULL,
	                          "UPDATE audit_log SET action = $1 WHERE seq = $2::bigint", 2,
	                          params, NULL, 0),
	                 0); /* the trigger refuses */
	/* as superuser in replica mode (ordinary triggers do not fire) for this one change */
	ck_assert_int_eq(e2e_sqlp(&srv, "SET session_replication_role = replica",
	                          "UPDATE audit_log SET action = $1 WHERE seq = $2::bigint", 2,
	                          params, NULL, 0),
	                 0);
	ck_assert_int_eq(e2e_server_run(&srv, verify, NULL, out, sizeof out), 1);
	ck_assert_ptr_nonnull(strstr(out, "BROKEN"));
	params[0] = orig;
	ck_assert_int_eq(e2e_sqlp(&srv, "SET session_replication_role = replica",
	                          "UPDATE audit_log SET action = $1 WHERE seq = $2::bigint", 2,
	                          params, NULL, 0),
	                 0);
	ck_assert_int_eq(e2e_server_run(&srv, verify, NULL, out, sizeof out), 0);
}
END_TEST

/* Log the admin in without Check asserts (they abort outside a test). */
static int admin_login(void)
{
	static const char body[] =
	        "{\"email\":\"" ADMIN_EMAIL "\",\"password\":\"" ADMIN_PASSWORD "\"}";
	e2e_resp r;
	int rc = -1;

	if (e2e_request(srv.port, "POST", "/api/v1/auth/login",
	                "Content-Type: application/json\r\n", body, sizeof body - 1, &r) == 0) {
		if (r.status == 200 && jstr(&r, "access_token")) {
			snprintf(admin_token, sizeof admin_token, "%s", jstr(&r, "access_token"));
			rc = 0;
		}
		e2e_resp_free(&r);
	}
	return rc;
}

static Suite *server_suite(void)
{
	Suite *s = suite_create("server_e2e");
	TCase *tc = tcase_create("http");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ops__health_ready_metrics_docs);
	tcase_add_test(tc, test_ops__request_id_echoed_or_generated);
	tcase_add_test(tc, test_contract__openapi_and_router_agree);
	tcase_add_test(tc, test_errors__unknown_route_and_wrong_method);
	tcase_add_test(tc, test_errors__body_shape_refusals);
	tcase_add_test(tc, test_errors__integers_beyond_2_53_are_rejected);
	tcase_add_test(tc, test_auth__register_login_json_and_form);
	tcase_add_test(tc, test_auth__refresh_rotation_and_reuse_detection);
	tcase_add_test(tc, test_auth__bad_tokens_are_401);
	tcase_add_test(tc, test_auth__expired_and_not_yet_valid_tokens_are_401);
	tcase_add_test(tc, test_auth__deactivated_user_tokens_are_401);
	tcase_add_test(tc, test_auth__login_throttled_with_retry_after);
	tcase_add_test(tc, test_roles__refusals);
	tcase_add_test(tc, test_pii__masked_in_responses_and_encrypted_at_rest);
	tcase_add_test(tc, test_schemes__draft_to_running);
	tcase_add_test(tc, test_audit__chain_verifies_and_detects_tampering);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	static const char *const create_admin[] = {
	        "create-admin", "--email",          ADMIN_EMAIL, "--full-name",
	        "Root",         "--password-stdin", NULL};
	char out[1024];

	if (e2e_server_start(&srv, NULL) < 0) {
		fprintf(stderr, "test_server: cannot start the server under test\n");
		return e2e_setup_failed(&srv);
	}
	if (e2e_server_run(&srv, create_admin, ADMIN_PASSWORD "\n", out, sizeof out) != 0 ||
	    admin_login() != 0) {
		fprintf(stderr, "test_server: create-admin/login failed: %s\n", out);
		return e2e_setup_failed(&srv);
	}
	return e2e_run_suite(&srv, server_suite());
}
