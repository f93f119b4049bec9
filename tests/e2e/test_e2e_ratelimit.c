/*
 * test_e2e_ratelimit.c - the general request budget of the real server
 * (adapters/http/http_ratelimit.h) with a tiny budget: RPS=1, BURST=3.
 *
 * The loopback peer is a trusted proxy here, so each test speaks for its own
 * client address through X-Forwarded-For and the tests do not share buckets
 * (nor depend on their order). Nothing asserts on time: a burst of 3 with a
 * refill of one token per second means the 4th of 4 back-to-back requests is
 * refused.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e_http.h"

static e2e_server srv;
static int seq;

/* GET path as client address addr (NULL: the peer itself), with a token. */
static int get_as(const char *addr, const char *path, const char *token, e2e_resp *r)
{
	char h[2048] = "";
	size_t n = 0;

	if (addr)
		n += (size_t)snprintf(h + n, sizeof h - n, "X-Forwarded-For: %s\r\n", addr);
	if (token)
		snprintf(h + n, sizeof h - n, "Authorization: Bearer %s\r\n", token);
	ck_assert_msg(e2e_request(srv.port, "GET", path, h, NULL, 0, r) == 0, "GET %s: no response",
	              path);
	return r->status;
}

static int post_as(const char *addr, const char *path, const char *json, e2e_resp *r)
{
	char h[256];

	snprintf(h, sizeof h, "X-Forwarded-For: %s\r\nContent-Type: application/json\r\n", addr);
	ck_assert_msg(e2e_request(srv.port, "POST", path, h, json, strlen(json), r) == 0,
	              "POST %s: no response", path);
	return r->status;
}

/* Assert r is the 429 rate-limited problem with a whole-second Retry-After >= 1. */
static void assert_rate_limited(const e2e_resp *r)
{
	char ct[128], ra[32];
	const cJSON *type, *status;
	char *end = NULL;
	long secs;

	ck_assert_msg(r->status == 429, "want 429, got %d: %s", r->status, r->body);
	ck_assert_ptr_nonnull(e2e_header(r, "Content-Type", ct, sizeof ct));
	ck_assert_str_eq(ct, "application/problem+json");
	ck_assert_ptr_nonnull(e2e_header(r, "Retry-After", ra, sizeof ra));
	secs = strtol(ra, &end, 10);
	ck_assert_msg(end && *end == '\0' && end != ra, "Retry-After %s is not whole seconds", ra);
	ck_assert_int_ge(secs, 1);
	ck_assert_int_le(secs, 1); /* one token a second: never more than 1 s away */
	ck_assert_ptr_nonnull(r->json);
	type = cJSON_GetObjectItemCaseSensitive(r->json, "type");
	status = cJSON_GetObjectItemCaseSensitive(r->json, "status");
	ck_assert(cJSON_IsString(type));
	ck_assert_str_eq(type->valuestring, "https://chitfund.dev/problems/rate-limited");
	ck_assert(cJSON_IsNumber(status));
	ck_assert_int_eq(status->valueint, 429);
}

START_TEST(test_fourth_rapid_request_is_429_and_probes_stay_200)
{
	const char *me = "203.0.113.1";
	e2e_resp r;

	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(get_as(me, "/openapi.json", NULL, &r), 200);
		e2e_resp_free(&r);
	}
	get_as(me, "/openapi.json", NULL, &r);
	assert_rate_limited(&r);
	e2e_resp_free(&r);
	/* unknown paths are budgeted too */
	get_as(me, "/no/such/thing", NULL, &r);
	assert_rate_limited(&r);
	e2e_resp_free(&r);
	/* the probes are exempt, for this client as for any */
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(get_as(me, "/healthz", NULL, &r), 200);
		e2e_resp_free(&r);
		ck_assert_int_eq(get_as(me, "/readyz", NULL, &r), 200);
		e2e_resp_free(&r);
	}
	ck_assert_int_eq(get_as(me, "/metrics", NULL, &r), 200);
	ck_assert_ptr_nonnull(strstr(r.body, "route=\"/openapi.json\",status=\"429\"}"));
	e2e_resp_free(&r);
}
END_TEST

START_TEST(test_clients_have_separate_budgets)
{
	e2e_resp r;

	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(get_as("203.0.113.2", "/openapi.json", NULL, &r), 200);
		e2e_resp_free(&r);
	}
	get_as("203.0.113.2", "/openapi.json", NULL, &r);
	assert_rate_limited(&r);
	e2e_resp_free(&r);
	/* a neighbour is not starved */
	ck_assert_int_eq(get_as("203.0.113.3", "/openapi.json", NULL, &r), 200);
	e2e_resp_free(&r);
}
END_TEST

START_TEST(test_authenticated_budget_is_per_user_not_per_address)
{
	char email[128], body[512], token[1200], addr[32];
	e2e_resp r;

	snprintf(email, sizeof email, "rl.%d.%d@e2e.test", (int)getpid(), ++seq);
	snprintf(body, sizeof body,
	         "{\"email\":\"%s\",\"password\":\"correct-horse-battery\","
	         "\"full_name\":\"Rate Limited\"}",
	         email);
	ck_assert_int_eq(post_as("198.51.100.1", "/api/v1/auth/register", body, &r), 201);
	e2e_resp_free(&r);
	snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"correct-horse-battery\"}",
	         email);
	ck_assert_int_eq(post_as("198.51.100.2", "/api/v1/auth/login", body, &r), 200);
	ck_assert_ptr_nonnull(r.json);
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(r.json, "access_token");
	ck_assert(cJSON_IsString(at));
	snprintf(token, sizeof token, "%s", at->valuestring);
	e2e_resp_free(&r);

	/* a new address for every request: the user's bucket still runs dry */
	for (int i = 0; i < 3; i++) {
		snprintf(addr, sizeof addr, "198.51.100.%d", 10 + i);
		ck_assert_int_eq(get_as(addr, "/api/v1/users/me", token, &r), 200);
		e2e_resp_free(&r);
	}
	get_as("198.51.100.20", "/api/v1/users/me", token, &r);
	assert_rate_limited(&r);
	e2e_resp_free(&r);
	/* that address itself is untouched: anonymous requests from it pass */
	ck_assert_int_eq(get_as("198.51.100.20", "/openapi.json", NULL, &r), 200);
	e2e_resp_free(&r);
}
END_TEST

START_TEST(test_bad_tokens_spend_the_address_budget)
{
	const char *me = "192.0.2.7";
	e2e_resp r;

	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(get_as(me, "/api/v1/users/me", "not-a-token", &r), 401);
		e2e_resp_free(&r);
	}
	get_as(me, "/openapi.json", NULL, &r);
	assert_rate_limited(&r);
	e2e_resp_free(&r);
}
END_TEST

static Suite *ratelimit_suite(void)
{
	Suite *s = suite_create("ratelimit_e2e");
	TCase *tc = tcase_create("budget");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fourth_rapid_request_is_429_and_probes_stay_200);
	tcase_add_test(tc, test_clients_have_separate_budgets);
	tcase_add_test(tc, test_authenticated_budget_is_per_user_not_per_address);
	tcase_add_test(tc, test_bad_tokens_spend_the_address_budget);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	static const char *const env[] = {"CHITFUND_RATE_LIMIT_RPS=1",
	                                  "CHITFUND_RATE_LIMIT_BURST=3",
	                                  "CHITFUND_TRUSTED_PROXIES=127.0.0.1", NULL};

	if (e2e_server_start(&srv, env) < 0) {
		fprintf(stderr, "test_e2e_ratelimit: cannot start the server under test\n");
		return e2e_setup_failed(&srv);
	}
	return e2e_run_suite(&srv, ratelimit_suite());
}
