/*
 * bench_money.c - payments per second (each one full durable transaction
 * through cf_payment_record with an Idempotency-Key: idempotency row,
 * ticket lock, dues, late fee and payment ledger lines, allocations,
 * receipt counter, audit chain) at 16 and 32 concurrent clients, and
 * statement reads per second, over the PostgreSQL adapter.
 *
 * Needs CF_BENCH_DATABASE_URL (a migrated database); scripts/bench-money
 * sets it up on a cluster with fsync on and prints pgbench's TPC-B-like
 * figure beside these. Without it, says so and exits 0. Environment:
 * CF_BENCH_SECONDS (default 10), CF_BENCH_CLIENTS (default "16 32"),
 * CF_BENCH_EARLY_RELEASE=0 (turns off the store's early release of the
 * serialisation points, on by default as in the server: decision 0007),
 * CF_BENCH_POOL (connections shared by the clients; default one each).
 * Prints numbers; never fails on them.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cf_infra/pg.h"
#include "cf_test_app.h"
#include "chitfund.h"
#include "chitfund/adapters/memory.h"
#include "chitfund/adapters/postgres.h"
#include "chitfund/adapters/postgres_money.h"
#include "chitfund/money.h"
#include "chitfund/users.h"

#define TICKETS 100

static cf_app *g_app;
static cf_actor g_agent, g_sys;
static char g_scheme[CF_ID_SIZE];
static pthread_mutex_t g_rng_mu = PTHREAD_MUTEX_INITIALIZER;
static cf_rng g_inner_rng;
static atomic_int g_stop;
static int g_run; /* distinguishes idempotency keys between runs */

static int locked_fill(void *self, void *buf, size_t n)
{
	int rc;

	(void)self;
	pthread_mutex_lock(&g_rng_mu);
	rc = g_inner_rng.fill(g_inner_rng.self, buf, n);
	pthread_mutex_unlock(&g_rng_mu);
	return rc;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int render(void *ctx, const void *res, int *status, char **body, size_t *len)
{
	const cf_payment_view *v = res;
	char buf[160];
	int n = snprintf(buf, sizeof buf, "{\"id\":\"%s\",\"receipt_no\":\"%s\"}", v->p.id,
	                 v->p.receipt_no);

	(void)ctx;
	if ((*body = malloc((size_t)n + 1)) == NULL)
		return CF_ENOMEM;
	memcpy(*body, buf, (size_t)n + 1);
	*len = (size_t)n;
	*status = 201;
	return CF_OK;
}

typedef struct worker {
	int no;
	long done, failed;
	bool statements;
} worker;

static void *work(void *arg)
{
	worker *w = arg;
	unsigned seq = 0;

	while (!atomic_load(&g_stop)) {
		int32_t t = 1 + (int32_t)((unsigned)(w->no * 7 + (int)seq) % TICKETS);
		cf_error err = CF_ERROR_INIT;

		seq++;
		if (w->statements) {
			cf_statement st;

			if (cf_statement_get(g_app, &g_agent, g_scheme, t, &st, &err) == CF_OK)
				w->done++;
			else
				w->failed++;
			cf_statement_free(&st);
		} else {
			char key[64];
			cf_idem idem = {key, key, render, NULL};
			cf_payment_req q;
			cf_payment_view v;
			cf_idem_reply rep;

			snprintf(key, sizeof key, "bench-%d-%d-%u", g_run, w->no, seq);
			memset(&q, 0, sizeof q);
			q.scheme_id = g_scheme;
			q.ticket_no = t;
			q.amount = cf_money_of(1000);
			q.method = CF_PAY_CASH;
			if (cf_payment_record(g_app, &g_agent, &q, &idem, &v, &rep, &err) == CF_OK)
				w->done++;
			else
				w->failed++;
			cf_payment_view_free(&v);
			cf_idem_reply_free(&rep);
		}
	}
	return NULL;
}

static double run(int clients, double secs, bool statements, long *failed)
{
	pthread_t *th = calloc((size_t)clients, sizeof *th);
	worker *w = calloc((size_t)clients, sizeof *w);
	double t0, t1;
	long done = 0;

	*failed = 0;
	if (th == NULL || w == NULL) {
		free(th);
		free(w);
		return 0;
	}
	g_run++;
	atomic_store(&g_stop, 0);
	t0 = now_s();
	for (int i = 0; i < clients; i++) {
		w[i].no = i;
		w[i].statements = statements;
		pthread_create(&th[i], NULL, work, &w[i]);
	}
	while (now_s() - t0 < secs)
		usleep(50000);
	atomic_store(&g_stop, 1);
	for (int i = 0; i < clients; i++)
		pthread_join(th[i], NULL);
	t1 = now_s();
	for (int i = 0; i < clients; i++) {
		done += w[i].done;
		*failed += w[i].failed;
	}
	free(th);
	free(w);
	return (double)done / (t1 - t0);
}

static int make_user(cf_role role, const char *email, cf_actor *a)
{
	cf_user_create_req req = {email, "correct horse battery", "Bench User", NULL, role};
	cf_user out;
	cf_error err = CF_ERROR_INIT;
	int rc = cf_users_create(g_app, &g_sys, &req, &out, &err);

	if (rc < 0) {
		fprintf(stderr, "bench_money: create user: %s\n", err.message);
		return rc;
	}
	cf_actor_anonymous(a, "bench", "127.0.0.1");
	memcpy(a->user_id, out.id, sizeof a->user_id);
	a->role = role;
	return CF_OK;
}

static int setup_scheme(void)
{
	cf_actor foreman, subs[TICKETS];
	cf_scheme_create_req req;
	cf_scheme s;
	cf_error err = CF_ERROR_INIT;
	char email[96];
	long tag = (long)getpid();

	snprintf(email, sizeof email, "f%ld@bench.test", tag);
	if (make_user(CF_ROLE_FOREMAN, email, &foreman) < 0)
		return -1;
	snprintf(email, sizeof email, "a%ld@bench.test", tag);
	if (make_user(CF_ROLE_AGENT, email, &g_agent) < 0)
		return -1;
	for (int i = 0; i < TICKETS; i++) {
		snprintf(email, sizeof email, "s%d-%ld@bench.test", i, tag);
		if (make_user(CF_ROLE_SUBSCRIBER, email, &subs[i]) < 0)
			return -1;
	}
	memset(&req, 0, sizeof req);
	req.name = "Bench chit";
	cf_scheme_params_init(&req.params);
	req.params.chit_value = cf_money_of((int64_t)TICKETS * 500000);
	req.params.member_count = TICKETS;
	req.params.start_date = (cf_date){2026, 4, 1};
	req.params.frequency = CF_FREQ_MONTHLY;
	req.params.rules_profile = CF_PROFILE_ROSCA_GENERIC;
	req.given = CF_SP_RULES_PROFILE;
	if (cf_scheme_create(g_app, &foreman, &req, &s, &err) < 0 ||
	    cf_scheme_open(g_app, &foreman, s.id, &s, &err) < 0 ||
	    cf_scheme_agent_assign(g_app, &foreman, s.id, g_agent.user_id, &err) < 0) {
		fprintf(stderr, "bench_money: scheme: %s\n", err.message);
		return -1;
	}
	memcpy(g_scheme, s.id, sizeof g_scheme);
	for (int i = 0; i < TICKETS; i++) {
		cf_enrol_req er = {subs[i].user_id, i + 1};
		cf_ticket t;

		if (cf_scheme_enrol(g_app, &foreman, g_scheme, &er, &t, &err) < 0) {
			fprintf(stderr, "bench_money: enrol: %s\n", err.message);
			return -1;
		}
	}
	if (cf_scheme_commence(g_app, &foreman, g_scheme, "B/1", "B/1", &s, &err) < 0) {
		fprintf(stderr, "bench_money: commence: %s\n", err.message);
		return -1;
	}
	return 0;
}

int main(void)
{
	const char *url = getenv("CF_BENCH_DATABASE_URL");
	const char *secs_s = getenv("CF_BENCH_SECONDS");
	const char *clients_s = getenv("CF_BENCH_CLIENTS");
	double secs = secs_s ? strtod(secs_s, NULL) : 10.0;
	char clients_buf[64];
	cf_pg_pool *pool = NULL;
	cf_pg_store *store = NULL;
	cf_memory_clock *clock = NULL;
	cf_memory_rng *rng = NULL;
	cf_ports ports;
	cf_pg_pool_config pc;
	cf_error err = CF_ERROR_INIT;
	int maxc = 0, rc = 0;

	if (url == NULL || url[0] == '\0') {
		printf("bench_money: CF_BENCH_DATABASE_URL unset; run scripts/bench-money\n");
		return 0;
	}
	if (secs <= 0)
		secs = 10;
	snprintf(clients_buf, sizeof clients_buf, "%s", clients_s ? clients_s : "16 32");
	for (char *p = clients_buf; *p;) {
		long c = strtol(p, &p, 10);

		if (c > maxc)
			maxc = (int)c;
		while (*p == ' ')
			p++;
	}
	memset(&pc, 0, sizeof pc);
	pc.conninfo = url;
	{
		/* CF_BENCH_POOL: connections shared by the clients (default: one each) */
		const char *ps = getenv("CF_BENCH_POOL");
		long n = ps ? strtol(ps, NULL, 10) : 0;

		pc.size = n > 0 && n <= 1000 ? (int)n : maxc + 2;
	}
	pc.wait_ms = 10000;
	if (cf_pg_pool_open(&pool, &pc, &err) < 0 || cf_pg_store_new(&store, pool) < 0) {
		fprintf(stderr, "bench_money: pool: %s\n", err.message);
		cf_pg_pool_close(pool);
		return 1;
	}
	{
		/* CF_BENCH_EARLY_RELEASE=0 turns off cf_pg_store_set_early_release (on by
		 * default, as the server runs: decision 0007) */
		const char *er = getenv("CF_BENCH_EARLY_RELEASE");

		cf_pg_store_set_early_release(store, er == NULL || strcmp(er, "0") != 0);
	}
	memset(&ports, 0, sizeof ports);
	cf_pg_store_ports(store, &ports);
	cf_pg_money_ports(store, &ports);
	cf_memory_clock_new(&clock, INT64_C(1775017800000)); /* 2026-04-01 10:00 IST */
	cf_memory_rng_new(&rng, (uint64_t)getpid() * 7919u);
	ports.clock = cf_memory_clock_port(clock);
	ports.clock.sleep_ms = NULL;
	g_inner_rng = cf_memory_rng_port(rng);
	ports.rng = g_inner_rng;
	ports.rng.fill = locked_fill;
	ports.digest = cf_memory_digest_port();
	ports.hasher = cf_memory_fake_hasher_port();
	ports.signer = cf_memory_fake_signer_port();
	ports.cipher = cf_test_cipher_port();
	if (cf_app_new(&g_app, &ports, NULL, &err) < 0) {
		fprintf(stderr, "bench_money: app: %s\n", err.message);
		rc = 1;
		goto out;
	}
	cf_actor_anonymous(&g_sys, "bench", "");
	g_sys.role = CF_ROLE_SYSTEM;
	if (setup_scheme() < 0) {
		rc = 1;
		goto out;
	}
	for (char *p = clients_buf; *p;) {
		long c = strtol(p, &p, 10), f1 = 0, f2 = 0;
		double pay, stmt;

		while (*p == ' ')
			p++;
		if (c <= 0)
			break;
		pay = run((int)c, secs, false, &f1);
		stmt = run((int)c, secs, true, &f2);
		printf("money c=%-3ld payments/s %9.1f (failed %ld)   statement reads/s %9.1f "
		       "(failed "
		       "%ld)\n",
		       c, pay, f1, stmt, f2);
		fflush(stdout);
	}
	{
		cf_money_verify_result v;

		if (cf_money_verify(g_app, &g_sys, &v, &err) == CF_OK)
			printf("money verify after the run: %s%s\n",
			       v.ok ? "clean" : "BROKEN: ", v.ok ? "" : v.first_break);
	}
out:
	cf_app_free(g_app);
	cf_pg_store_free(store);
	cf_pg_pool_close(pool);
	cf_memory_clock_free(clock);
	cf_memory_rng_free(rng);
	return rc;
}
