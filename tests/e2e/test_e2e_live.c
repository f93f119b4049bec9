/*
 * test_e2e_live.c - live bidding across two server processes on one
 * database: 32 clients bid on one auction at once, half through server A
 * and half through server B, while WebSocket watchers sit on both. Every
 * accepted bid is strictly higher than the one before it (seq gapless),
 * nothing is lost or duplicated, every watcher on either server receives
 * every accepted bid in order (fan-out through LISTEN/NOTIFY), bids sent
 * over the socket go through the same use case, two concurrent closes
 * through both servers settle once, and a timed auction is closed by the
 * servers' tickers exactly once.
 */
#include <check.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cf_ws_client.h"
#include "e2e_http.h"

#define ADMIN_EMAIL    "root@e2e-live.test"
#define ADMIN_PASSWORD "admin-password-1234"
#define PASSWORD       "correct-horse-battery"
#define CLIENTS        32
#define ROUNDS         10
#define WATCHERS       2 /* per server */
#define RS(x)          ((long long)(x)*100)

static e2e_server srv; /* server A (owns the database) */
static pid_t pid_b;
static int port_b;
static char admin_token[1200];
static int seq;

/* ---- server B on A's database ---- */

static int start_b(void)
{
	static char vars[8][1200];
	char cwd[512];
	char *env[24];
	int n = 0;

	if (!getcwd(cwd, sizeof cwd))
		snprintf(cwd, sizeof cwd, ".");
	port_b = e2e_free_port();
	snprintf(vars[0], sizeof vars[0], "DATABASE_URL=%s", srv.db_url);
	snprintf(vars[1], sizeof vars[1], "PORT=%d", port_b);
	snprintf(vars[2], sizeof vars[2], "CHITFUND_MIGRATIONS_DIR=%s/migrations", cwd);
	snprintf(vars[3], sizeof vars[3], "PATH=%s", getenv("PATH") ? getenv("PATH") : "/usr/bin");
	for (int i = 0; i < 4; i++)
		env[n++] = vars[i];
	env[n++] = "SECRET_KEY=" E2E_SECRET;
	env[n++] = "CHITFUND_ENV=test";
	env[n++] = "CHITFUND_PASSWORD_COST=1";
	env[n++] = "CHITFUND_TEST_NOW=2026-04-01T04:30:00Z";
	env[n++] = "CHITFUND_LOGIN_FAILURES_PER_ADDRESS=100000";
	env[n++] = "CHITFUND_THREADS=64";
	env[n++] = "CHITFUND_POOL_SIZE=8";
	env[n++] = "CHITFUND_ACCESS_LOG=0";
	env[n++] = "CHITFUND_RATE_LIMIT_RPS=0"; /* as e2e_http.c: no request budget */
	env[n] = NULL;
	pid_b = fork();
	if (pid_b < 0)
		return -1;
	if (pid_b == 0) {
		char *argv[] = {srv.bin, "serve", NULL};

		execve(srv.bin, argv, env);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) {
		e2e_resp r;
		struct timespec ts = {0, 50 * 1000 * 1000};

		if (e2e_request(port_b, "GET", "/healthz", NULL, NULL, 0, &r) == 0) {
			int ok = r.status == 200;

			e2e_resp_free(&r);
			if (ok)
				return 0;
		}
		nanosleep(&ts, NULL);
	}
	return -1;
}

static void stop_b(void)
{
	if (pid_b > 0) {
		int st;

		kill(pid_b, SIGTERM);
		waitpid(pid_b, &st, 0);
		pid_b = 0;
	}
}

/* ---- HTTP helpers (thread-safe: no ck_assert inside) ---- */

static int req_port(int port, const char *method, const char *path, const char *token,
                    const char *body, e2e_resp *r)
{
	char h[1600] = "";
	size_t n = 0;

	if (token && *token)
		n += (size_t)snprintf(h + n, sizeof h - n, "Authorization: Bearer %s\r\n", token);
	if (body)
		snprintf(h + n, sizeof h - n, "Content-Type: application/json\r\n");
	if (e2e_request(port, method, path, h, body, body ? strlen(body) : 0, r) != 0) {
		memset(r, 0, sizeof *r);
		return 0;
	}
	return r->status;
}

static const cJSON *jget(const cJSON *o, const char *name)
{
	return o ? cJSON_GetObjectItemCaseSensitive(o, name) : NULL;
}

static const char *jstr(const cJSON *o, const char *name)
{
	const cJSON *v = jget(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static long long jint(const cJSON *o, const char *name)
{
	const cJSON *v = jget(o, name);
	return cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
}

static int login(const char *email, const char *password, char *access)
{
	return e2e_login(srv.port, email, password, access, NULL, 0);
}

typedef struct user {
	char id[40];
	char token[1200];
} user;

static void make_user(const char *role, user *u)
{
	char email[128], name[64];

	snprintf(email, sizeof email, "%s.%d.%d@e2e-live.test", role, (int)getpid(), ++seq);
	snprintf(name, sizeof name, "Ravi %d", seq);
	e2e_user(srv.port, admin_token, role, email, PASSWORD, name, u->id, sizeof u->id, u->token);
}

static user g_foreman, g_subs[CLIENTS];
static char g_scheme[40];

/* N = 33: ticket 1 the foreman's, tickets 2..33 the 32 clients'. V = 3,30,000. */
static void make_scheme(void)
{
	char body[512], path[160];
	e2e_resp r;

	make_user("foreman", &g_foreman);
	for (int i = 0; i < CLIENTS; i++)
		make_user("subscriber", &g_subs[i]);
	snprintf(body, sizeof body,
	         "{\"name\":\"Live chit\",\"chit_value\":33000000,\"member_count\":33,"
	         "\"start_date\":\"2026-04-10\",\"max_discount_bps\":4000}");
	ck_assert_int_eq(req_port(srv.port, "POST", "/api/v1/schemes", g_foreman.token, body, &r),
	                 201);
	snprintf(g_scheme, sizeof g_scheme, "%s", jstr(r.json, "id"));
	e2e_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/schemes/%s/open", g_scheme);
	ck_assert_int_eq(req_port(srv.port, "POST", path, g_foreman.token, NULL, &r), 200);
	e2e_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/schemes/%s/members", g_scheme);
	for (int t = 1; t <= 33; t++) {
		snprintf(body, sizeof body, "{\"user_id\":\"%s\",\"ticket_no\":%d}",
		         t == 1 ? g_foreman.id : g_subs[t - 2].id, t);
		ck_assert_int_eq(req_port(srv.port, "POST", path, g_foreman.token, body, &r), 201);
		e2e_resp_free(&r);
	}
	snprintf(path, sizeof path, "/api/v1/schemes/%s/commence", g_scheme);
	ck_assert_int_eq(req_port(srv.port, "POST", path, g_foreman.token,
	                          "{\"registration_no\":\"R/L\",\"commencement_ref\":\"C/L\"}", &r),
	                 200);
	e2e_resp_free(&r);
}

static void create_auction(int k, const char *extra, char id[40])
{
	char body[256], path[160];
	e2e_resp r;

	snprintf(path, sizeof path, "/api/v1/schemes/%s/auctions", g_scheme);
	snprintf(body, sizeof body, "{\"installment_no\":%d%s}", k, extra ? extra : "");
	ck_assert_msg(req_port(srv.port, "POST", path, g_foreman.token, body, &r) == 201, "%s",
	              r.body);
	snprintf(id, 40, "%s", jstr(r.json, "id"));
	e2e_resp_free(&r);
}

static void open_auction(const char *id)
{
	char path[160];
	e2e_resp r;

	snprintf(path, sizeof path, "/api/v1/auctions/%s/open", id);
	ck_assert_int_eq(req_port(srv.port, "POST", path, g_foreman.token, NULL, &r), 200);
	e2e_resp_free(&r);
}

/* ---- watchers ---- */

static cf_ws_client *watch(int port, const char *auction, const char *token)
{
	char path[2048];
	cf_ws_client *c = NULL;
	const char *data;
	size_t len;
	int op, status = 0;
	cJSON *snap;

	snprintf(path, sizeof path, "/api/v1/auctions/%s/live?access_token=%s", auction, token);
	ck_assert_int_eq(cf_ws_client_connect(&c, port, path, NULL, 5000, &status, NULL), CF_OK);
	ck_assert_int_eq(status, 101);
	ck_assert_int_eq(cf_ws_client_recv(c, &op, &data, &len, 5000, NULL), CF_OK);
	snap = cJSON_Parse(data);
	ck_assert_str_eq(jstr(snap, "type"), "snapshot");
	ck_assert_str_eq(jstr(snap, "status"), "open");
	cJSON_Delete(snap);
	return c;
}

/* Read bid events until seq `last` (or a timeout); check order and amounts. */
static void expect_bids(cf_ws_client *c, const long long *discounts, int last, const char *who)
{
	int next = 1;

	while (next <= last) {
		const char *data;
		size_t len;
		int op;
		cJSON *e;

		ck_assert_msg(cf_ws_client_recv(c, &op, &data, &len, 10000, NULL) == CF_OK,
		              "%s: bid %d of %d never arrived", who, next, last);
		e = cJSON_Parse(data);
		if (jstr(e, "type") && strcmp(jstr(e, "type"), "bid") == 0) {
			ck_assert_msg(jint(e, "seq") == next, "%s: got seq %lld, want %d", who,
			              jint(e, "seq"), next);
			ck_assert_int_eq(jint(e, "discount"), discounts[next]);
			ck_assert_ptr_null(jget(e, "ticket_no")); /* no bidder identity */
			next++;
		}
		cJSON_Delete(e);
	}
}

/* ---- bidders ---- */

typedef struct bidder {
	int i;
	const char *auction;
	int accepted, refused, other;
} bidder;

static void *bid_main(void *arg)
{
	bidder *b = arg;
	int port = (b->i % 2) ? port_b : srv.port;
	unsigned seed = (unsigned)b->i * 7919u;

	for (int r = 0; r < ROUNDS; r++) {
		char path[160], body[128];
		e2e_resp resp;
		long long next;
		int st;

		snprintf(path, sizeof path, "/api/v1/auctions/%s", b->auction);
		if (req_port(port, "GET", path, g_subs[b->i].token, NULL, &resp) != 200) {
			b->other++;
			e2e_resp_free(&resp);
			continue;
		}
		next = jint(resp.json, "standing_discount");
		e2e_resp_free(&resp);
		seed = seed * 1103515245u + 12345u;
		next = next < 0 ? RS(16500) : next + RS(100) * (long long)(1 + (seed >> 16) % 3);
		snprintf(path, sizeof path, "/api/v1/auctions/%s/bids", b->auction);
		snprintf(body, sizeof body, "{\"ticket_no\":%d,\"discount\":%lld}", b->i + 2, next);
		st = req_port(port, "POST", path, g_subs[b->i].token, body, &resp);
		if (st == 201)
			b->accepted++;
		else if (st == 422 && strstr(resp.body, "bid-not-higher"))
			b->refused++;
		else
			b->other++;
		e2e_resp_free(&resp);
	}
	return NULL;
}

typedef struct closer {
	int port;
	const char *auction;
	int status;
} closer;

static void *close_main(void *arg)
{
	closer *c = arg;
	char path[160];
	e2e_resp r;

	snprintf(path, sizeof path, "/api/v1/auctions/%s/close", c->auction);
	c->status = req_port(c->port, "POST", path, g_foreman.token, NULL, &r);
	e2e_resp_free(&r);
	return NULL;
}

/* Send msg over the socket; the answer must be an error frame with slug. */
static void ws_refused(cf_ws_client *c, const char *msg, const char *slug)
{
	const char *data;
	size_t len;
	int op;
	cJSON *e;

	ck_assert_int_eq(cf_ws_client_send_text(c, msg, strlen(msg), NULL), CF_OK);
	ck_assert_int_eq(cf_ws_client_recv(c, &op, &data, &len, 10000, NULL), CF_OK);
	e = cJSON_Parse(data);
	ck_assert_str_eq(jstr(e, "type"), "error");
	ck_assert_str_eq(jstr(e, "slug"), slug);
	cJSON_Delete(e);
}

START_TEST(test_32_clients_two_servers_fan_out)
{
	char auction[40], path[160];
	cf_ws_client *w[2 * WATCHERS];
	bidder b[CLIENTS];
	pthread_t th[CLIENTS];
	long long discounts[CLIENTS * ROUNDS + 2];
	int accepted = 0, n;
	e2e_resp r;

	make_scheme();
	create_auction(1, NULL, auction);
	open_auction(auction);
	for (int i = 0; i < WATCHERS; i++) {
		w[i] = watch(srv.port, auction, g_subs[i].token);
		w[WATCHERS + i] = watch(port_b, auction, g_subs[CLIENTS - 1 - i].token);
	}
	for (int i = 0; i < CLIENTS; i++) {
		b[i] = (bidder){i, auction, 0, 0, 0};
		ck_assert_int_eq(pthread_create(&th[i], NULL, bid_main, &b[i]), 0);
	}
	for (int i = 0; i < CLIENTS; i++) {
		pthread_join(th[i], NULL);
		accepted += b[i].accepted;
		ck_assert_msg(b[i].other == 0, "client %d: %d unexpected answers", i, b[i].other);
	}
	ck_assert_int_ge(accepted, 8);
	/* the stored bids, as staff see them: seq 1..n, each strictly higher */
	snprintf(path, sizeof path, "/api/v1/auctions/%s", auction);
	ck_assert_int_eq(req_port(port_b, "GET", path, g_foreman.token, NULL, &r), 200);
	n = cJSON_GetArraySize(jget(r.json, "bids"));
	ck_assert_int_eq(n, accepted);
	ck_assert_int_eq(jint(r.json, "bid_count"), accepted);
	for (int i = 0; i < n; i++) {
		const cJSON *bid = cJSON_GetArrayItem(jget(r.json, "bids"), i);

		ck_assert_int_eq(jint(bid, "seq"), i + 1);
		discounts[i + 1] = jint(bid, "discount");
		if (i > 0)
			ck_assert_msg(discounts[i + 1] > discounts[i], "bid %d not higher", i + 1);
	}
	e2e_resp_free(&r);
	/* every watcher on either server got every bid, in order */
	for (int i = 0; i < 2 * WATCHERS; i++)
		expect_bids(w[i], discounts, accepted,
		            i < WATCHERS ? "watcher on A" : "watcher on B");
	/* a bid over the socket goes through the same use case */
	{
		char msg[128];
		const char *data;
		size_t len;
		int op;
		cJSON *e;

		snprintf(msg, sizeof msg, "{\"type\":\"bid\",\"ticket_no\":%d,\"discount\":%lld}",
		         2, discounts[accepted]); /* not higher: refused */
		ws_refused(w[0], msg, "bid-not-higher");
		/* a fraction of a paisa, or a fractional ticket: refused, never truncated */
		snprintf(msg, sizeof msg, "{\"type\":\"bid\",\"ticket_no\":2,\"discount\":%lld.5}",
		         discounts[accepted] + RS(1000));
		ws_refused(w[0], msg, "validation-error");
		snprintf(msg, sizeof msg, "{\"type\":\"bid\",\"ticket_no\":2.5,\"discount\":%lld}",
		         discounts[accepted] + RS(1000));
		ws_refused(w[0], msg, "validation-error");
		/* another's ticket: forbidden */
		snprintf(msg, sizeof msg, "{\"type\":\"bid\",\"ticket_no\":%d,\"discount\":%lld}",
		         5, discounts[accepted] + RS(1000));
		ws_refused(w[0], msg, "forbidden");
		/* accepted over the socket of server A: seen on B */
		discounts[accepted + 1] = discounts[accepted] + RS(500);
		snprintf(msg, sizeof msg, "{\"type\":\"bid\",\"ticket_no\":%d,\"discount\":%lld}",
		         2, discounts[accepted + 1]);
		ck_assert_int_eq(cf_ws_client_send_text(w[0], msg, strlen(msg), NULL), CF_OK);
		accepted++;
		for (int i = 0; i < 2 * WATCHERS; i++) {
			int next = accepted;

			for (;;) {
				ck_assert_int_eq(
				        cf_ws_client_recv(w[i], &op, &data, &len, 10000, NULL),
				        CF_OK);
				e = cJSON_Parse(data);
				if (jstr(e, "type") && strcmp(jstr(e, "type"), "bid") == 0) {
					ck_assert_int_eq(jint(e, "seq"), next);
					ck_assert_int_eq(jint(e, "discount"), discounts[next]);
					cJSON_Delete(e);
					break;
				}
				cJSON_Delete(e);
			}
		}
	}
	/* two closes at once, one through each server: exactly one settles */
	{
		closer c1 = {srv.port, auction, 0}, c2 = {port_b, auction, 0};
		pthread_t t1, t2;

		pthread_create(&t1, NULL, close_main, &c1);
		pthread_create(&t2, NULL, close_main, &c2);
		pthread_join(t1, NULL);
		pthread_join(t2, NULL);
		ck_assert_msg((c1.status == 200) + (c2.status == 200) == 1, "closes: %d and %d",
		              c1.status, c2.status);
		ck_assert_int_eq(c1.status == 200 ? c2.status : c1.status, 409);
	}
	/* every watcher sees the one result */
	for (int i = 0; i < 2 * WATCHERS; i++) {
		const char *data;
		size_t len;
		int op;
		cJSON *e;

		ck_assert_int_eq(cf_ws_client_recv(w[i], &op, &data, &len, 10000, NULL), CF_OK);
		e = cJSON_Parse(data);
		ck_assert_str_eq(jstr(e, "type"), "closed");
		ck_assert_int_eq(jint(jget(e, "result"), "discount"), discounts[accepted]);
		cJSON_Delete(e);
		cf_ws_client_close(w[i], 2000);
	}
	snprintf(path, sizeof path, "/api/v1/auctions/%s", auction);
	ck_assert_int_eq(req_port(srv.port, "GET", path, g_foreman.token, NULL, &r), 200);
	ck_assert_str_eq(jstr(r.json, "status"), "settled");
	ck_assert_int_eq(jint(jget(r.json, "result"), "discount"), discounts[accepted]);
	e2e_resp_free(&r);
}
END_TEST

START_TEST(test_ws_refusals)
{
	char auction[40], path[2048];
	cf_ws_client *c = NULL;
	user stranger;
	int status = 0;

	make_scheme();
	create_auction(1, NULL, auction);
	snprintf(path, sizeof path, "/api/v1/auctions/%s/live", auction);
	ck_assert_int_ne(cf_ws_client_connect(&c, srv.port, path, NULL, 5000, &status, NULL),
	                 CF_OK);
	ck_assert_int_eq(status, 401);
	/* a plain GET (no upgrade) gets 426 */
	{
		e2e_resp r;

		snprintf(path, sizeof path, "/api/v1/auctions/%s/live", auction);
		ck_assert_int_eq(req_port(srv.port, "GET", path, g_foreman.token, NULL, &r), 426);
		ck_assert_ptr_nonnull(strstr(r.body, "upgrade-required"));
		e2e_resp_free(&r);
	}
	make_user("subscriber", &stranger);
	snprintf(path, sizeof path, "/api/v1/auctions/%s/live?access_token=%s", auction,
	         stranger.token);
	ck_assert_int_ne(cf_ws_client_connect(&c, srv.port, path, NULL, 5000, &status, NULL),
	                 CF_OK);
	ck_assert_int_eq(status, 404);
}
END_TEST

START_TEST(test_timed_auction_closed_once_by_tickers)
{
	char auction[40], path[160], extra[160], t_open[32], t_close[32];
	e2e_resp r;
	struct tm tm;
	time_t t;
	int settled = 0;

	make_scheme();
	/* the servers' clock started at CHITFUND_TEST_NOW and runs: the scheme's updated_at
	 * (just commenced) is "now" on that clock */
	snprintf(path, sizeof path, "/api/v1/schemes/%s", g_scheme);
	ck_assert_int_eq(req_port(srv.port, "GET", path, g_foreman.token, NULL, &r), 200);
	memset(&tm, 0, sizeof tm);
	ck_assert_ptr_nonnull(jstr(r.json, "created_at"));
	ck_assert_ptr_nonnull(strptime(jstr(r.json, "created_at"), "%Y-%m-%dT%H:%M:%SZ", &tm));
	e2e_resp_free(&r);
	t = timegm(&tm) + 2;
	gmtime_r(&t, &tm);
	strftime(t_open, sizeof t_open, "%Y-%m-%dT%H:%M:%SZ", &tm);
	t += 3;
	gmtime_r(&t, &tm);
	strftime(t_close, sizeof t_close, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(extra, sizeof extra, ",\"opens_at\":\"%s\",\"closes_at\":\"%s\"", t_open, t_close);
	create_auction(1, extra, auction);
	snprintf(path, sizeof path, "/api/v1/auctions/%s", auction);
	for (int i = 0; i < 150 && !settled; i++) { /* up to 15 s; the tickers run every second */
		struct timespec ts = {0, 100 * 1000 * 1000};

		ck_assert_int_eq(
		        req_port(i % 2 ? port_b : srv.port, "GET", path, g_foreman.token, NULL, &r),
		        200);
		settled = strcmp(jstr(r.json, "status"), "settled") == 0;
		if (settled) {
			ck_assert_str_eq(jstr(jget(r.json, "result"), "decided_by"), "no_bids");
			ck_assert_ptr_nonnull(jget(jget(r.json, "result"), "lot_proof"));
		}
		e2e_resp_free(&r);
		nanosleep(&ts, NULL);
	}
	ck_assert_msg(settled, "the tickers did not settle the timed auction");
	/* settled once: one close in the audit log */
	{
		char q[256], v[32];

		snprintf(q, sizeof q,
		         "SELECT count(*) FROM audit_log WHERE action = 'auction.close' AND "
		         "entity_id = '%s'",
		         auction);
		ck_assert_int_eq(e2e_sql(&srv, q, v, sizeof v), 0);
		ck_assert_str_eq(v, "1");
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("e2e_live");
	TCase *tc = tcase_create("live");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_32_clients_two_servers_fan_out);
	tcase_add_test(tc, test_ws_refusals);
	tcase_add_test(tc, test_timed_auction_closed_once_by_tickers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	static const char *const create_admin[] = {
	        "create-admin", "--email",          ADMIN_EMAIL, "--full-name",
	        "Root",         "--password-stdin", NULL};
	char out[1024];
	SRunner *sr;
	int failed;

	if (e2e_server_start(&srv, NULL) < 0 || start_b() < 0) {
		stop_b();
		return e2e_setup_failed(&srv);
	}
	if (e2e_server_run(&srv, create_admin, ADMIN_PASSWORD "\n", out, sizeof out) != 0 ||
	    login(ADMIN_EMAIL, ADMIN_PASSWORD, admin_token) != 200) {
		fprintf(stderr, "test_e2e_live: create-admin/login failed: %s\n", out);
		stop_b();
		return e2e_setup_failed(&srv);
	}
	sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	stop_b();
	e2e_server_stop(&srv);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
