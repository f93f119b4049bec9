/*
 * test_e2e_notifications.c - the notification outbox over HTTP (the real
 * chitfund-server on its own database): a 3-ticket scheme is commenced; a
 * payment tells its ticket's holder (GET /api/v1/users/me/notifications),
 * nobody else; a refused payment tells nobody; another user's notification
 * cannot be marked read (404); the owner's mark answers 200 with read_at;
 * paging and validation; a draw opened and settled tells every member; the
 * rows wait in the outbox (delivered_at IS NULL) for a delivery worker;
 * `chitfund-server deliver --once` posts them to a webhook (CHITFUND_NOTIFY_URL):
 * refused by the hook, each counts an attempt and stays; accepted, each is
 * marked delivered and not sent again.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <civetweb.h>

#include "e2e_http.h"

static e2e_server srv;
static int hook_port; /* the webhook this test runs; the server's CHITFUND_NOTIFY_URL */
static char admin_token[1200];
static int seq;

#define ADMIN_EMAIL    "root@notify.e2e"
#define ADMIN_PASSWORD "admin-password-1234"
#define PASSWORD       "correct-horse-battery"
#define NOTES          "/api/v1/users/me/notifications"

static int req(const char *method, const char *path, const char *token, const char *extra,
               const char *body, e2e_resp *r)
{
	return e2e_call(srv.port, method, path, token, extra, body, r);
}

static const char *jstr(const cJSON *o, const char *name)
{
	const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, name) : NULL;

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void expect_problem(e2e_resp *r, int status, const char *slug)
{
	char type[160];

	e2e_expect(r, status);
	snprintf(type, sizeof type, "https://chitfund.dev/problems/%s", slug);
	ck_assert_msg(jstr(r->json, "type") && strcmp(jstr(r->json, "type"), type) == 0,
	              "want %s: %s", slug, r->body);
}

static int login(const char *email, const char *password, char *token)
{
	return e2e_login(srv.port, email, password, token, NULL, 0);
}

static void user(const char *role, char *id, char *token)
{
	char email[128];

	snprintf(email, sizeof email, "%s.%d.%d@notify.e2e", role, (int)getpid(), ++seq);
	e2e_user(srv.port, admin_token, role, email, PASSWORD, "Notified", id, 37, token);
}

static char foreman_id[37], foreman_tok[1200], agent_id[37], agent_tok[1200];
static char sub_id[2][37], sub_tok[2][1200], scheme[37];

static void make_scheme(void)
{
	e2e_resp r;

	user("foreman", foreman_id, foreman_tok);
	user("agent", agent_id, agent_tok);
	for (int i = 0; i < 2; i++)
		user("subscriber", sub_id[i], sub_tok[i]);
	req("POST", "/api/v1/schemes", foreman_tok, NULL,
	    "{\"name\":\"E2E notified chit\",\"chit_value\":1500000,\"member_count\":3,"
	    "\"start_date\":\"2026-03-01\",\"max_discount_bps\":2500,"
	    "\"first_prize_to_foreman\":true}",
	    &r);
	e2e_expect(&r, 201);
	snprintf(scheme, sizeof scheme, "%s", jstr(r.json, "id"));
	e2e_resp_free(&r);
	e2e_scheme_start(srv.port, foreman_tok, scheme, agent_id, foreman_id, sub_id, 3,
	                 "{\"registration_no\":\"REG/N/1\",\"commencement_ref\":\"GAZ/N/1\"}");
}

static int pay(const char *token, const char *key, int ticket, long amount, const char *method,
               e2e_resp *r)
{
	char body[512], hdr[320];

	snprintf(body, sizeof body,
	         "{\"scheme_id\":\"%s\",\"ticket_no\":%d,\"amount\":%ld,\"method\":\"%s\"}", scheme,
	         ticket, amount, method);
	snprintf(hdr, sizeof hdr, "Idempotency-Key: %s-%d\r\n", key, (int)getpid());
	return req("POST", "/api/v1/payments", token, hdr, body, r);
}

/* ---- a webhook receiver (runs inside the test's process) ---- */

#define HOOK_MAX 32
static pthread_mutex_t hook_mu = PTHREAD_MUTEX_INITIALIZER;
static int hook_status = 500, hook_n;
static char *hook_body[HOOK_MAX];
static char hook_key[HOOK_MAX][64];

static int hook_handler(struct mg_connection *conn, void *cbdata)
{
	const char *key = mg_get_header(conn, "Idempotency-Key");
	char buf[8192];
	size_t len = 0;
	int n, status;

	(void)cbdata;
	while (len < sizeof buf - 1 && (n = mg_read(conn, buf + len, sizeof buf - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	pthread_mutex_lock(&hook_mu);
	status = hook_status;
	if (hook_n < HOOK_MAX) {
		hook_body[hook_n] = strdup(buf);
		snprintf(hook_key[hook_n], sizeof hook_key[hook_n], "%s", key ? key : "");
		hook_n++;
	}
	pthread_mutex_unlock(&hook_mu);
	mg_printf(conn, "HTTP/1.1 %d Hook\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
	          status);
	return status;
}

static void hook_reset(int status)
{
	pthread_mutex_lock(&hook_mu);
	for (int i = 0; i < hook_n; i++)
		free(hook_body[i]);
	hook_n = 0;
	hook_status = status;
	pthread_mutex_unlock(&hook_mu);
}

/* `chitfund-server deliver --once`; its line must read want. */
static void deliver_once(const char *want)
{
	static const char *const args[] = {"deliver", "--once", NULL};
	char out[256];

	ck_assert_int_eq(e2e_server_run(&srv, args, NULL, out, sizeof out), 0);
	ck_assert_msg(strstr(out, want) != NULL, "deliver said: %s (want %s)", out, want);
}

/* Number of the token's notifications of kind (NULL: all) on its first page. */
static int count_kind(const char *token, const char *kind)
{
	e2e_resp r;
	const cJSON *it;
	int n = 0;

	req("GET", NOTES "?limit=200", token, NULL, NULL, &r);
	e2e_expect(&r, 200);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(r.json, "items"))
	{
		if (kind == NULL || strcmp(jstr(it, "kind"), kind) == 0)
			n++;
	}
	e2e_resp_free(&r);
	return n;
}

START_TEST(test_notifications_over_http)
{
	char path[256], pay_id[37], note_id[37], out[64];
	e2e_resp r;
	const cJSON *items, *n;

	make_scheme();
	ck_assert_int_eq(count_kind(sub_tok[0], NULL), 0);
	/* a payment: its holder is told, once */
	pay(agent_tok, "n-pay-2", 2, 500000, "cash", &r);
	e2e_expect(&r, 201);
	snprintf(pay_id, sizeof pay_id, "%s", jstr(r.json, "id"));
	e2e_resp_free(&r);
	req("GET", NOTES, sub_tok[0], NULL, NULL, &r);
	e2e_expect(&r, 200);
	items = cJSON_GetObjectItemCaseSensitive(r.json, "items");
	ck_assert_int_eq(cJSON_GetArraySize(items), 1);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r.json, "next_cursor")));
	n = cJSON_GetArrayItem(items, 0);
	ck_assert_str_eq(jstr(n, "kind"), "receipt");
	ck_assert_str_eq(jstr(n, "scheme_id"), scheme);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(n, "read_at")));
	{
		const cJSON *b = cJSON_GetObjectItemCaseSensitive(n, "body");

		ck_assert_str_eq(jstr(b, "payment_id"), pay_id);
		ck_assert_int_eq((long)cJSON_GetObjectItemCaseSensitive(b, "amount")->valuedouble,
		                 500000);
	}
	snprintf(note_id, sizeof note_id, "%s", jstr(n, "id"));
	e2e_resp_free(&r);
	ck_assert_int_eq(count_kind(sub_tok[1], NULL), 0);
	ck_assert_int_eq(count_kind(agent_tok, NULL), 0);

	/* refused payments (a subscriber in cash; another's ticket) tell nobody */
	pay(sub_tok[0], "n-cash-2", 2, 100, "cash", &r);
	expect_problem(&r, 403, "forbidden");
	e2e_resp_free(&r);
	pay(sub_tok[1], "n-upi-2", 2, 100, "upi", &r);
	ck_assert_int_ge(r.status, 400);
	e2e_resp_free(&r);
	ck_assert_int_eq(count_kind(sub_tok[0], "receipt"), 1);
	ck_assert_int_eq(count_kind(sub_tok[1], NULL), 0);

	/* mark read: someone else's is 404; the owner's is 200 with read_at */
	snprintf(path, sizeof path, NOTES "/%s/read", note_id);
	req("POST", path, sub_tok[1], NULL, NULL, &r);
	expect_problem(&r, 404, "not-found");
	e2e_resp_free(&r);
	req("POST", path, NULL, NULL, NULL, &r);
	e2e_expect(&r, 401);
	e2e_resp_free(&r);
	req("POST", NOTES "/not-a-uuid/read", sub_tok[0], NULL, NULL, &r);
	expect_problem(&r, 404, "not-found");
	e2e_resp_free(&r);
	req("POST", path, sub_tok[0], NULL, NULL, &r);
	e2e_expect(&r, 200);
	ck_assert_str_eq(jstr(r.json, "id"), note_id);
	ck_assert_ptr_nonnull(jstr(r.json, "read_at"));
	e2e_resp_free(&r);

	/* lists: validation and auth */
	req("GET", NOTES "?limit=0", sub_tok[0], NULL, NULL, &r);
	expect_problem(&r, 422, "validation-error");
	e2e_resp_free(&r);
	req("GET", NOTES, NULL, NULL, NULL, &r);
	e2e_expect(&r, 401);
	e2e_resp_free(&r);

	/* a draw: every member told when it opens and when it settles */
	{
		char aid[37];

		snprintf(path, sizeof path, "/api/v1/schemes/%s/auctions", scheme);
		req("POST", path, foreman_tok, NULL, "{\"installment_no\":1}", &r);
		e2e_expect(&r, 201);
		snprintf(aid, sizeof aid, "%s", jstr(r.json, "id"));
		e2e_resp_free(&r);
		snprintf(path, sizeof path, "/api/v1/auctions/%s/open", aid);
		req("POST", path, foreman_tok, NULL, NULL, &r);
		e2e_expect(&r, 200);
		e2e_resp_free(&r);
		snprintf(path, sizeof path, "/api/v1/auctions/%s/close", aid);
		req("POST", path, foreman_tok, NULL, NULL, &r);
		e2e_expect(&r, 200);
		e2e_resp_free(&r);
	}
	ck_assert_int_eq(count_kind(foreman_tok, "auction_opened"), 1);
	ck_assert_int_eq(count_kind(foreman_tok, "auction_settled"), 1);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(count_kind(sub_tok[i], "auction_opened"), 1);
		ck_assert_int_eq(count_kind(sub_tok[i], "auction_settled"), 1);
	}
	ck_assert_int_eq(count_kind(agent_tok, NULL), 0);

	/* paging: sub 0 has 3 (receipt, opened, settled), newest first */
	req("GET", NOTES "?limit=2", sub_tok[0], NULL, NULL, &r);
	e2e_expect(&r, 200);
	items = cJSON_GetObjectItemCaseSensitive(r.json, "items");
	ck_assert_int_eq(cJSON_GetArraySize(items), 2);
	ck_assert_str_eq(jstr(cJSON_GetArrayItem(items, 0), "kind"), "auction_settled");
	ck_assert_ptr_nonnull(jstr(r.json, "next_cursor"));
	snprintf(path, sizeof path, NOTES "?limit=2&cursor=%s", jstr(r.json, "next_cursor"));
	e2e_resp_free(&r);
	req("GET", path, sub_tok[0], NULL, NULL, &r);
	e2e_expect(&r, 200);
	items = cJSON_GetObjectItemCaseSensitive(r.json, "items");
	ck_assert_int_eq(cJSON_GetArraySize(items), 1);
	ck_assert_str_eq(jstr(cJSON_GetArrayItem(items, 0), "id"), note_id);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r.json, "next_cursor")));
	e2e_resp_free(&r);

	/* the outbox: every row waits for a delivery worker */
	ck_assert_int_eq(e2e_sql(&srv,
	                         "SELECT count(*) FROM notifications WHERE delivered_at IS NULL",
	                         out, sizeof out),
	                 0);
	ck_assert_str_eq(out, "7"); /* 1 receipt + 3 opened + 3 settled */

	/* the delivery worker: a hook that refuses, then one that accepts */
	{
		char port[16];
		const char *opts[] = {"listening_ports", port, "num_threads", "4", NULL};
		struct mg_callbacks cb;
		struct mg_context *hook;
		cJSON *b;

		snprintf(port, sizeof port, "127.0.0.1:%d", hook_port);
		memset(&cb, 0, sizeof cb);
		hook = mg_start(&cb, NULL, opts);
		ck_assert_ptr_nonnull(hook);
		mg_set_request_handler(hook, "/hook", hook_handler, NULL);
		hook_reset(500);
		deliver_once("delivered 0, failed 7");
		ck_assert_int_eq(hook_n, 7);
		ck_assert_int_eq(e2e_sql(&srv,
		                         "SELECT count(*) FROM notifications WHERE delivered_at IS "
		                         "NULL AND attempts = 1",
		                         out, sizeof out),
		                 0);
		ck_assert_str_eq(out, "7");
		hook_reset(200);
		deliver_once("delivered 7, failed 0");
		ck_assert_int_eq(hook_n, 7);
		for (int i = 0; i < hook_n; i++) { /* well-formed, addressed, keyed by its id */
			b = cJSON_Parse(hook_body[i]);
			ck_assert_ptr_nonnull(b);
			ck_assert_str_eq(jstr(b, "id"), hook_key[i]);
			ck_assert_ptr_nonnull(jstr(b, "kind"));
			ck_assert_ptr_nonnull(
			        strstr(jstr(cJSON_GetObjectItemCaseSensitive(b, "to"), "email"),
			               "@notify.e2e"));
			ck_assert(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(b, "body")));
			cJSON_Delete(b);
		}
		ck_assert_int_eq(e2e_sql(&srv,
		                         "SELECT count(*) FROM notifications WHERE delivered_at IS "
		                         "NULL",
		                         out, sizeof out),
		                 0);
		ck_assert_str_eq(out, "0");
		hook_reset(200);
		deliver_once("delivered 0, failed 0"); /* nothing is sent twice */
		ck_assert_int_eq(hook_n, 0);
		mg_stop(hook);
		hook_reset(500);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("e2e_notifications");
	TCase *tc = tcase_create("notifications");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_notifications_over_http);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	static const char *const create_admin[] = {"create-admin", "--email", ADMIN_EMAIL,
	                                           "--password-stdin", NULL};
	char out[1024];

	static char hook_url[96];
	const char *env[] = {hook_url, NULL};

	hook_port = e2e_free_port();
	snprintf(hook_url, sizeof hook_url, "CHITFUND_NOTIFY_URL=http://127.0.0.1:%d/hook",
	         hook_port);
	if (e2e_server_start(&srv, env) < 0) {
		fprintf(stderr, "test_e2e_notifications: cannot start the server under test\n");
		return e2e_setup_failed(&srv);
	}
	if (e2e_server_run(&srv, create_admin, ADMIN_PASSWORD "\n", out, sizeof out) != 0 ||
	    login(ADMIN_EMAIL, ADMIN_PASSWORD, admin_token) != 200) {
		fprintf(stderr, "test_e2e_notifications: create-admin/login failed: %s\n", out);
		return e2e_setup_failed(&srv);
	}
	return e2e_run_suite(&srv, suite());
}
