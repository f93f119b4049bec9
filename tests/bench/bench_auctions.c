/*
 * bench_auctions.c - two numbers of live bidding, printed, never judged:
 *
 *  1. accepted bids per second on ONE contended auction: CF_BENCH_CLIENTS
 *     (default 32) threads, each with its own pooled connection, bid
 *     through cf_auction_bid (row lock on the auction, bid insert, audit
 *     chain, NOTIFY) for CF_BENCH_SECONDS (default 10); each bids the
 *     standing discount it last saw plus one increment, so refusals
 *     (bid-not-higher) are part of the contention and counted apart;
 *  2. WebSocket fan-out latency with CF_BENCH_WATCHERS (default 200)
 *     watchers on a real chitfund-server: a bidder sends CF_BENCH_FANOUT_BIDS
 *     (default 50) bids over its socket one after another; for each bid and
 *     watcher, latency = time the event arrived - placed_at_ms (the instant
 *     the bid's transaction read the clock); p50/p99 over all of them.
 *
 * CF_BENCH_EARLY_RELEASE=1 runs part 1 with cf_pg_store_set_early_release
 * (the row locks go at WAL insert; CF_OK still waits for the flush).
 *
 * Needs CF_BENCH_DATABASE_URL (a migrated database); scripts/bench-auctions
 * sets one up (fsync on) and starts nothing else: part 2 spawns the server
 * binary (CF_SERVER_BIN, default build/chitfund-server) itself on a free
 * loopback port. Without the URL it says so and exits 0.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cf_infra/pg.h"
#include "cf_test_app.h"
#include "cf_ws_client.h"
#include "chitfund.h"
#include "chitfund/adapters/memory.h"
#include "chitfund/adapters/postgres.h"
#include "chitfund/auctions.h"
#include "chitfund/users.h"

#define SECRET "bench-secret-key-0123456789abcdef0123456789"

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long env_long(const char *name, long def)
{
	const char *v = getenv(name);
	char *end;
	long x;

	if (v == NULL || *v == '\0')
		return def;
	x = strtol(v, &end, 10);
	return (*end == '\0' && x > 0) ? x : def;
}

static int64_t clock_now(void *self)
{
	(void)self;
	return real_ms();
}

static const char *str_or_empty(const cJSON *o, const char *name)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, name));

	return s ? s : "";
}

/* ---- part 1: contended bids through the library ---- */

static cf_app *g_app;
static pthread_mutex_t g_rng_mu = PTHREAD_MUTEX_INITIALIZER;
static cf_rng g_inner_rng;
static atomic_int g_stop;
static char g_auction[CF_ID_SIZE];
static int64_t g_floor;
static char g_fail_slug[48];
static cf_actor g_holders[64];
static bool g_early;

static int locked_fill(void *self, void *buf, size_t n)
{
	int rc;

	(void)self;
	pthread_mutex_lock(&g_rng_mu);
	rc = g_inner_rng.fill(g_inner_rng.self, buf, n);
	pthread_mutex_unlock(&g_rng_mu);
	return rc;
}

typedef struct worker {
	int no;
	long accepted, refused, failed;
} worker;

static void *bid_work(void *arg)
{
	worker *w = arg;
	int64_t standing = g_floor - 10000; /* the first bid is the floor */

	while (!atomic_load(&g_stop)) {
		cf_bid_req q = {w->no + 2, cf_money_of(standing + 10000)};
		cf_bid_result r;
		cf_error err = CF_ERROR_INIT;

		if (cf_auction_bid(g_app, &g_holders[w->no], g_auction, &q, &r, &err) == CF_OK) {
			w->accepted++;
			standing = q.discount.minor;
		} else if (strcmp(err.slug, "bid-not-higher") == 0) {
			cf_auction_view v;

			w->refused++;
			memset(&v, 0, sizeof v);
			if (cf_auction_get(g_app, &g_holders[w->no], g_auction, &v, NULL) == CF_OK)
				standing = v.a.standing_discount.minor;
			cf_auction_view_free(&v);
		} else {
			w->failed++;
			if (g_fail_slug[0] == '\0')
				snprintf(g_fail_slug, sizeof g_fail_slug, "%s", err.slug);
		}
	}
	return NULL;
}

static int part1(const char *url, int clients, int secs)
{
	cf_pg_pool_config pc;
	cf_pg_pool *pool = NULL;
	cf_pg_store *store = NULL;
	cf_memory_clock *clock = NULL; /* unused: the real clock below */
	cf_memory_rng *rng = NULL;
	cf_ports ports;
	cf_actor sys, foreman;
	cf_error err = CF_ERROR_INIT;
	char scheme[CF_ID_SIZE];
	worker w[64];
	pthread_t th[64];
	double t0, t1;
	long acc = 0, ref = 0, fail = 0;
	int rc = 1;

	(void)clock;
	memset(&pc, 0, sizeof pc);
	pc.conninfo = url;
	pc.size = clients + 2;
	pc.wait_ms = 10000;
	if (cf_pg_pool_open(&pool, &pc, &err) < 0 || cf_pg_store_new(&store, pool) < 0 ||
	    cf_memory_rng_new(&rng, (uint64_t)getpid()) < 0) {
		fprintf(stderr, "bench_auctions: cannot open the database: %s\n", err.message);
		goto out;
	}
	{
		/* CF_BENCH_EARLY_RELEASE=1: cf_pg_store_set_early_release (postgres.h) */
		const char *er = getenv("CF_BENCH_EARLY_RELEASE");

		g_early = er != NULL && strcmp(er, "1") == 0;
		cf_pg_store_set_early_release(store, g_early);
	}
	memset(&ports, 0, sizeof ports);
	cf_pg_store_ports(store, &ports);
	ports.clock.version = CF_CLOCK_VERSION;
	ports.clock.now_ms = clock_now;
	g_inner_rng = cf_memory_rng_port(rng);
	ports.rng = (cf_rng){CF_RNG_VERSION, NULL, locked_fill};
	ports.digest = cf_memory_digest_port();
	ports.hasher = cf_memory_fake_hasher_port();
	ports.signer = cf_memory_fake_signer_port();
	ports.cipher = cf_test_cipher_port();
	if (cf_app_new(&g_app, &ports, NULL, &err) < 0) {
		fprintf(stderr, "bench_auctions: %s\n", err.message);
		goto out;
	}
	cf_actor_anonymous(&sys, "bench", "");
	sys.role = CF_ROLE_SYSTEM;
	/* a scheme of clients + 1 tickets, ticket 1 the foreman's */
	{
		char email[96];
		cf_user u;
		cf_user_create_req ur;
		cf_scheme_create_req sr;
		cf_scheme s;

		snprintf(email, sizeof email, "bf%d.%ld@bench.test", (int)getpid(),
		         (long)time(NULL));
		ur = (cf_user_create_req){email, "correct horse battery", "Bench Foreman", NULL,
		                          CF_ROLE_FOREMAN};
		if (cf_users_create(g_app, &sys, &ur, &u, &err) < 0)
			goto fail;
		cf_actor_anonymous(&foreman, "bench", "");
		memcpy(foreman.user_id, u.id, sizeof foreman.user_id);
		foreman.role = CF_ROLE_FOREMAN;
		for (int i = 0; i < clients; i++) {
			snprintf(email, sizeof email, "bs%d.%d.%ld@bench.test", i, (int)getpid(),
			         (long)time(NULL));
			ur = (cf_user_create_req){email, "correct horse battery",
			                          "Bench Subscriber", NULL, CF_ROLE_SUBSCRIBER};
			if (cf_users_create(g_app, &sys, &ur, &u, &err) < 0)
				goto fail;
			cf_actor_anonymous(&g_holders[i], "bench", "");
			memcpy(g_holders[i].user_id, u.id, sizeof g_holders[i].user_id);
			g_holders[i].role = CF_ROLE_SUBSCRIBER;
		}
		memset(&sr, 0, sizeof sr);
		sr.name = "Bench chit";
		cf_scheme_params_init(&sr.params);
		sr.params.member_count = clients + 1;
		sr.params.chit_value = cf_money_of((int64_t)(clients + 1) * 1000000000);
		g_floor = sr.params.chit_value.minor / 20; /* C = 5% of V, the default floor */
		sr.params.start_date = (cf_date){2030, 1, 10};
		sr.params.max_discount_bps = 4000;
		sr.given = CF_SP_MAX_DISCOUNT_BPS;
		if (cf_scheme_create(g_app, &foreman, &sr, &s, &err) < 0)
			goto fail;
		memcpy(scheme, s.id, sizeof scheme);
		if (cf_scheme_open(g_app, &foreman, scheme, &s, &err) < 0)
			goto fail;
		for (int t = 1; t <= clients + 1; t++) {
			cf_enrol_req er = {t == 1 ? foreman.user_id : g_holders[t - 2].user_id, t};
			cf_ticket tk;

			if (cf_scheme_enrol(g_app, &foreman, scheme, &er, &tk, &err) < 0)
				goto fail;
		}
		if (cf_scheme_commence(g_app, &foreman, scheme, "B/1", "B/1", &s, &err) < 0)
			goto fail;
	}
	{
		cf_auction_create_req q = {1, 0, 0, 0};
		cf_auction_view v;

		memset(&v, 0, sizeof v);
		if (cf_auction_create(g_app, &foreman, scheme, &q, &v, &err) < 0)
			goto fail;
		memcpy(g_auction, v.a.id, sizeof g_auction);
		cf_auction_view_free(&v);
		if (cf_auction_open(g_app, &foreman, g_auction, &v, &err) < 0)
			goto fail;
		cf_auction_view_free(&v);
	}
	atomic_store(&g_stop, 0);
	t0 = mono_s();
	for (int i = 0; i < clients; i++) {
		w[i] = (worker){i, 0, 0, 0};
		pthread_create(&th[i], NULL, bid_work, &w[i]);
	}
	sleep((unsigned)secs);
	atomic_store(&g_stop, 1);
	for (int i = 0; i < clients; i++) {
		pthread_join(th[i], NULL);
		acc += w[i].accepted;
		ref += w[i].refused;
		fail += w[i].failed;
	}
	t1 = mono_s();
	printf("contended auction: clients %d%s  accepted bids/s %.1f  refused (bid-not-higher)/s "
	       "%.1f  attempts/s %.1f  failed %ld  (%.1f s)\n",
	       clients, g_early ? "  early-release" : "", (double)acc / (t1 - t0),
	       (double)ref / (t1 - t0), (double)(acc + ref + fail) / (t1 - t0), fail, t1 - t0);
	if (fail)
		printf("contended auction: first failure: %s\n", g_fail_slug);
	fflush(stdout);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "bench_auctions: setup failed: %s %s\n", err.slug, err.message);
out:
	cf_app_free(g_app);
	g_app = NULL;
	cf_pg_store_free(store);
	cf_pg_pool_close(pool);
	cf_memory_rng_free(rng);
	return rc;
}

/* ---- part 2: fan-out latency through a real server ---- */

static int free_port(void)
{
	struct sockaddr_in a;
	socklen_t l = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &l) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* One HTTP/1.1 request to 127.0.0.1:port (Connection: close); the JSON body or NULL. */
static cJSON *http(int port, const char *method, const char *path, const char *token,
                   const char *body, int *status)
{
	struct sockaddr_in a;
	char head[2048], *buf = NULL;
	size_t len = 0, cap = 0;
	int fd = socket(AF_INET, SOCK_STREAM, 0), n;
	cJSON *j = NULL;

	*status = 0;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
		goto out;
	n = snprintf(head, sizeof head,
	             "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s%s%s"
	             "%sContent-Length: %zu\r\n\r\n",
	             method, path, token ? "Authorization: Bearer " : "", token ? token : "",
	             token ? "\r\n" : "", body ? "Content-Type: application/json\r\n" : "",
	             body ? strlen(body) : 0);
	if (write(fd, head, (size_t)n) != n ||
	    (body && write(fd, body, strlen(body)) != (ssize_t)strlen(body)))
		goto out;
	for (;;) {
		ssize_t r;

		if (len + 4096 > cap) {
			char *p = realloc(buf, cap = cap ? cap * 2 : 16384);

			if (p == NULL)
				goto out;
			buf = p;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	if (buf == NULL)
		goto out;
	buf[len] = '\0';
	sscanf(buf, "HTTP/1.1 %d", status);
	{
		char *b = strstr(buf, "\r\n\r\n");

		if (b)
			j = cJSON_Parse(b + 4);
	}
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return j;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

static int part2(const char *url, int watchers, int bids)
{
	const char *bin =
	        getenv("CF_SERVER_BIN") ? getenv("CF_SERVER_BIN") : "build/chitfund-server";
	int port = free_port(), st, rc = 1;
	char vars[6][1200], *env[20], token[1200] = "", scheme[40] = "", auction[40] = "",
	                              path[2048], body[512], cwd[512];
	pid_t pid = -1;
	cf_ws_client **w = calloc((size_t)watchers, sizeof *w), *bidder = NULL;
	int64_t *lat = calloc((size_t)watchers * (size_t)bids, sizeof *lat);
	size_t nlat = 0;
	cJSON *j;
	int n = 0;

	if (w == NULL || lat == NULL || !getcwd(cwd, sizeof cwd))
		goto out_nosrv;
	snprintf(vars[0], sizeof vars[0], "DATABASE_URL=%s", url);
	snprintf(vars[1], sizeof vars[1], "PORT=%d", port);
	snprintf(vars[2], sizeof vars[2], "CHITFUND_MIGRATIONS_DIR=%s/migrations", cwd);
	snprintf(vars[3], sizeof vars[3], "CHITFUND_THREADS=%d", watchers + 64);
	for (int i = 0; i < 4; i++)
		env[n++] = vars[i];
	env[n++] = "SECRET_KEY=" SECRET;
	env[n++] = "CHITFUND_ENV=test";
	env[n++] = "CHITFUND_PASSWORD_COST=1";
	env[n++] = "CHITFUND_ACCESS_LOG=0";
	env[n++] = "CHITFUND_POOL_SIZE=8";
	env[n] = NULL;
	/* an admin runs everything (and holds every ticket; bids are his own) */
	{
		char email[96];
		int pin[2];

		snprintf(email, sizeof email, "ba%d.%ld@bench.test", (int)getpid(),
		         (long)time(NULL));
		if (pipe(pin) != 0)
			goto out_nosrv;
		if ((pid = fork()) == 0) {
			char *argv[] = {(char *)bin, "create-admin",     "--email",
			                email,       "--password-stdin", NULL};

			dup2(pin[0], 0);
			close(pin[1]);
			if (freopen("/dev/null", "w", stdout) == NULL)
				_exit(126);
			execve(bin, argv, env);
			_exit(127);
		}
		close(pin[0]);
		if (write(pin[1], "bench-password-1234\n", 20) != 20)
			goto out_nosrv;
		close(pin[1]);
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "bench_auctions: create-admin failed\n");
			goto out_nosrv;
		}
		if ((pid = fork()) == 0) {
			char *argv[] = {(char *)bin, "serve", NULL};

			execve(bin, argv, env);
			_exit(127);
		}
		for (int i = 0; i < 200; i++) {
			struct timespec ts = {0, 50 * 1000 * 1000};

			cJSON_Delete(http(port, "GET", "/healthz", NULL, NULL, &st));
			if (st == 200)
				break;
			nanosleep(&ts, NULL);
		}
		snprintf(body, sizeof body,
		         "{\"email\":\"%s\",\"password\":\"bench-password-1234\"}", email);
		j = http(port, "POST", "/api/v1/auth/login", NULL, body, &st);
		if (st != 200 || !cJSON_IsString(cJSON_GetObjectItem(j, "access_token"))) {
			cJSON_Delete(j);
			fprintf(stderr, "bench_auctions: cannot log in (%d)\n", st);
			goto out;
		}
		snprintf(token, sizeof token, "%s",
		         cJSON_GetObjectItem(j, "access_token")->valuestring);
		cJSON_Delete(j);
	}
	{
		const char *me;
		char me_id[40];

		j = http(port, "GET", "/api/v1/users/me", token, NULL, &st);
		me = cJSON_GetStringValue(cJSON_GetObjectItem(j, "id"));
		snprintf(me_id, sizeof me_id, "%s", me ? me : "");
		cJSON_Delete(j);
		j = http(port, "POST", "/api/v1/schemes", token,
		         "{\"name\":\"Fan-out\",\"chit_value\":400000000000,\"member_count\":4,"
		         "\"start_date\":\"2030-01-10\",\"max_discount_bps\":4000}",
		         &st);
		snprintf(scheme, sizeof scheme, "%s", str_or_empty(j, "id"));
		cJSON_Delete(j);
		snprintf(body, sizeof body, "/api/v1/schemes/%s/open", scheme);
		cJSON_Delete(http(port, "POST", body, token, NULL, &st));
		for (int t = 1; t <= 4; t++) {
			char p2[160], b2[160];

			snprintf(p2, sizeof p2, "/api/v1/schemes/%s/members", scheme);
			snprintf(b2, sizeof b2, "{\"user_id\":\"%s\",\"ticket_no\":%d}", me_id, t);
			cJSON_Delete(http(port, "POST", p2, token, b2, &st));
			if (st != 201)
				fprintf(stderr, "bench_auctions: enrol %d: %d\n", t, st);
		}
		snprintf(body, sizeof body, "/api/v1/schemes/%s/commence", scheme);
		cJSON_Delete(http(port, "POST", body, token,
		                  "{\"registration_no\":\"F/1\",\"commencement_ref\":\"F/1\"}",
		                  &st));
		snprintf(body, sizeof body, "/api/v1/schemes/%s/auctions", scheme);
		j = http(port, "POST", body, token, "{\"installment_no\":1}", &st);
		if (st != 201)
			fprintf(stderr, "bench_auctions: create auction: %d (scheme %s)\n", st,
			        scheme);
		snprintf(auction, sizeof auction, "%s", str_or_empty(j, "id"));
		cJSON_Delete(j);
		snprintf(body, sizeof body, "/api/v1/auctions/%s/open", auction);
		cJSON_Delete(http(port, "POST", body, token, NULL, &st));
		if (st != 200) {
			fprintf(stderr, "bench_auctions: could not open an auction (%d)\n", st);
			goto out;
		}
	}
	snprintf(path, sizeof path, "/api/v1/auctions/%s/live?access_token=%s", auction, token);
	for (int i = 0; i < watchers; i++) {
		const char *d;
		size_t l;
		int op;

		if (cf_ws_client_connect(&w[i], port, path, NULL, 10000, &st, NULL) != CF_OK ||
		    cf_ws_client_recv(w[i], &op, &d, &l, 10000, NULL) != CF_OK) {
			fprintf(stderr, "bench_auctions: watcher %d could not join\n", i);
			goto out;
		}
	}
	if (cf_ws_client_connect(&bidder, port, path, NULL, 10000, &st, NULL) != CF_OK)
		goto out;
	{
		const char *d;
		size_t l;
		int op;

		cf_ws_client_recv(bidder, &op, &d, &l, 10000, NULL); /* its snapshot */
	}
	for (int b = 1; b <= bids; b++) {
		char msg[128];
		int got = 0;

		snprintf(msg, sizeof msg, "{\"type\":\"bid\",\"ticket_no\":%d,\"discount\":%lld}",
		         1 + b % 4, (long long)(20000000000LL + (long long)b * 10000));
		cf_ws_client_send_text(bidder, msg, strlen(msg), NULL);
		/* every watcher must get seq b */
		for (int i = 0; i < watchers; i++) {
			for (;;) {
				const char *d;
				size_t l;
				int op;
				cJSON *e;

				if (cf_ws_client_recv(w[i], &op, &d, &l, 10000, NULL) != CF_OK) {
					if (cf_ws_client_recv(bidder, &op, &d, &l, 100, NULL) ==
					    CF_OK)
						fprintf(stderr,
						        "bench_auctions: the bidder got %s\n", d);
					fprintf(stderr, "bench_auctions: watcher %d lost bid %d\n",
					        i, b);
					goto out;
				}
				e = cJSON_Parse(d);
				if (cJSON_GetNumberValue(cJSON_GetObjectItem(e, "seq")) == b &&
				    cJSON_IsNumber(cJSON_GetObjectItem(e, "placed_at_ms"))) {
					lat[nlat++] = real_ms() - (int64_t)cJSON_GetObjectItem(
					                                  e, "placed_at_ms")
					                                  ->valuedouble;
					got++;
					cJSON_Delete(e);
					break;
				}
				cJSON_Delete(e);
			}
		}
		(void)got;
	}
	qsort(lat, nlat, sizeof *lat, cmp_i64);
	printf("fan-out: watchers %d  bids %d  events %zu  latency bid accepted -> event received "
	       "p50 %lld ms  p99 %lld ms  max %lld ms\n",
	       watchers, bids, nlat, (long long)lat[nlat / 2], (long long)lat[(nlat * 99) / 100],
	       (long long)lat[nlat - 1]);
	rc = 0;
out:
	for (int i = 0; i < watchers; i++)
		cf_ws_client_close(w[i], 200);
	cf_ws_client_close(bidder, 200);
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, &st, 0);
	}
out_nosrv:
	free(w);
	free(lat);
	return rc;
}

int main(void)
{
	const char *url = getenv("CF_BENCH_DATABASE_URL");
	int rc = 0;

	if (url == NULL || *url == '\0') {
		printf("bench_auctions: CF_BENCH_DATABASE_URL is not set (scripts/bench-auctions "
		       "sets it); nothing measured\n");
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	rc |= part1(url, (int)env_long("CF_BENCH_CLIENTS", 32),
	            (int)env_long("CF_BENCH_SECONDS", 10));
	rc |= part2(url, (int)env_long("CF_BENCH_WATCHERS", 200),
	            (int)env_long("CF_BENCH_FANOUT_BIDS", 50));
	return rc;
}
