/*
 * main.c - chitfund-server: the only composition root.
 *
 *   chitfund-server serve          config -> pool -> migrations check -> ports -> app -> http
 *   chitfund-server migrate        apply pending migrations
 *   chitfund-server create-admin --email E [--full-name N] [--password-stdin]
 *   chitfund-server verify         walk the audit chain; exit 1 on the first break
 *   chitfund-server version
 *
 * Configuration comes from the environment (server_env.h). serve blocks
 * SIGINT/SIGTERM before civetweb starts its threads and waits for them with
 * sigwait; mg_stop then lets in-flight requests finish.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <civetweb.h>

#include "cf_infra/pg.h"
#include "cf_infra/pg_migrate.h"
#include "chitfund/adapters/postgres.h"
#include "chitfund/adapters/postgres_money.h"
#include "chitfund/money.h"
#include "chitfund/notifications.h"
#if defined(__has_include)
#if __has_include("chitfund/adapters/system.h")
#include "chitfund/adapters/system.h"
#define CF_HAVE_SYSTEM_ADAPTER 1
#endif
#endif
#include "chitfund/app.h"
#include "chitfund/audit.h"
#include "chitfund/sys/ports.h"
#include "chitfund/users.h"
#include "chitfund/version.h"
#include "deliver.h"
#include "http_log.h"
#include "http_server.h"
#include "live.h"
#include "server_env.h"
#include "verify_lot.h"

/* Everything serve/create-admin/verify build, torn down in reverse. */
typedef struct stack {
	cf_server_env env;
	cf_pg_pool *pool;
	cf_pg_store *store;
#ifdef CF_HAVE_SYSTEM_ADAPTER
	cf_system *sys;
#endif
	cf_app *app;
} stack;

static void die_err(const char *what, const cf_error *err)
{
	if (err->field[0])
		fprintf(stderr, "chitfund-server: %s: %s (%s)\n", what, err->message, err->field);
	else
		fprintf(stderr, "chitfund-server: %s: %s\n", what, err->message);
}

static void stack_free(stack *s)
{
	cf_app_free(s->app);
#ifdef CF_HAVE_SYSTEM_ADAPTER
	cf_system_free(s->sys);
#endif
	cf_pg_store_free(s->store);
	cf_pg_pool_close(s->pool);
	memset(s, 0, sizeof *s);
}

static int open_pool(stack *s, bool need_secret, cf_error *err)
{
	cf_pg_pool_config pc;
	int rc;

	if ((rc = cf_server_env_read(&s->env, need_secret, err)) < 0)
		return rc;
	memset(&pc, 0, sizeof pc);
	pc.conninfo = s->env.database_url;
	pc.size = s->env.pool_size;
	pc.wait_ms = s->env.pool_wait_ms;
	return cf_pg_pool_open(&s->pool, &pc, err);
}

static int build_app(stack *s, cf_error *err)
{
#ifndef CF_HAVE_SYSTEM_ADAPTER
	(void)s;
	return cf_error_set(err, CF_ENOTSUPPORTED, "internal-error", "",
	                    "built without the system services adapter "
	                    "(chitfund/adapters/system.h)");
#else
	cf_ports ports;
	cf_system_config sc;
	int rc;

	memset(&ports, 0, sizeof ports);
	cf_system_config_from_config(&sc, &s->env.cfg); /* cf_config_load is the one reader */
	if ((rc = cf_system_new(&s->sys, &sc, err)) < 0 ||
	    (rc = cf_pg_store_new(&s->store, s->pool)) < 0)
		return cf_error_default(err, rc);
	cf_pg_store_set_early_release(s->store, s->env.early_release); /* decision 0007 */
	cf_pg_store_ports(s->store, &ports);
	cf_pg_money_ports(s->store, &ports); /* money (issue 5) */
	cf_system_ports(s->sys, &ports);
	if ((rc = cf_server_live_config(&s->env.app, err)) < 0) /* draws (issue 4) */
		return rc;
	return cf_app_new(&s->app, &ports, &s->env.app, err);
#endif
}

/* /readyz: a connection can be had and every migration is applied. */
static int ready(void *ud, cf_error *err)
{
	stack *s = ud;
	cf_pg_conn *c = NULL;
	bool current = false;
	int rc;

	if ((rc = cf_pg_pool_acquire(s->pool, &c, err)) < 0)
		return rc;
	rc = cf_pg_migrations_current(c, cf_pg_migrations_dir(), &current, NULL, err);
	cf_pg_pool_release(s->pool, c);
	if (rc == 0 && !current)
		rc = cf_error_set(err, CF_EUNAVAILABLE, "service-unavailable", "",
		                  "database migrations are pending");
	return rc;
}

static int pool_stats(void *ud, cf_http_pool_stats *out)
{
	stack *s = ud;
	cf_pg_pool_stats ps;

	cf_pg_cache_stats cs;

	cf_pg_pool_stats_get(s->pool, &ps);
	out->size = ps.size;
	out->in_use = ps.in_use;
	out->waiting = ps.waiting;
	cf_pg_store_cache_stats(s->store, &cs);
	out->cache = cs.started;
	out->cache_enabled = cs.enabled;
	out->cache_hits = cs.hits;
	out->cache_misses = cs.misses;
	out->cache_invalidated = cs.invalidations;
	return 0;
}

/* Block SIGINT and SIGTERM (into *set) before any thread exists, so all inherit the
 * mask and the main thread alone waits for them; ignore SIGPIPE. */
static void block_stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int cmd_serve(void)
{
	stack s;
	cf_error err = CF_ERROR_INIT;
	cf_http_server *http = NULL;
	cf_server_live *live = NULL;
	sigset_t set;
	int sig = 0, rc;

	memset(&s, 0, sizeof s);
	block_stop_signals(&set);

	if ((rc = open_pool(&s, true, &err)) < 0 || (rc = ready(&s, &err)) < 0 ||
	    (rc = build_app(&s, &err)) < 0 ||
	    (s.env.cache_entries > 0 && /* the read cache: decision 0006 */
	     (rc = cf_pg_store_cache_start(s.store, s.env.database_url, s.env.cache_entries,
	                                   &err)) < 0)) {
		die_err("cannot start", &err);
		if (err.code == CF_EUNAVAILABLE)
			fprintf(stderr, "chitfund-server: run `chitfund-server migrate` first\n");
		stack_free(&s);
		return 1;
	}
	s.env.http.app = s.app;
	s.env.http.ready = ready;
	s.env.http.ready_ud = &s;
	s.env.http.pool_stats = pool_stats;
	s.env.http.pool_ud = &s;
	cf_http_log_set_quiet(!s.env.http.access_log);
	if (cf_http_start(&http, &s.env.http, &err) < 0) {
		die_err("cannot listen", &err);
		stack_free(&s);
		return 1;
	}
	if (cf_server_live_start(&live, s.app, http, s.env.database_url, &err) < 0) {
		die_err("cannot start live bidding", &err);
		cf_http_stop(http);
		stack_free(&s);
		return 1;
	}
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "listen", s.env.listen);
	cJSON_AddNumberToObject(f, "port", cf_http_port(http));
	cJSON_AddStringToObject(f, "version", cf_version());
	cJSON_AddStringToObject(f, "env", s.env.env_name);
	cf_http_log("warn", "serving", f);
	sigwait(&set, &sig);
	f = cJSON_CreateObject();
	cJSON_AddNumberToObject(f, "signal", sig);
	cf_http_log("warn", "stopping", f);
	cf_http_stop(http); /* in-flight requests finish; workers are joined */
	cf_server_live_stop(live);
	stack_free(&s);
	return 0;
}

static int cmd_migrate(void)
{
	stack s;
	cf_error err = CF_ERROR_INIT;
	int applied = 0;

	memset(&s, 0, sizeof s);
	if (open_pool(&s, false, &err) < 0 ||
	    cf_pg_pool_migrate(s.pool, cf_pg_migrations_dir(), &applied, &err) < 0) {
		die_err("migrate failed", &err);
		stack_free(&s);
		return 1;
	}
	printf("migrate: %d migration(s) applied\n", applied);
	stack_free(&s);
	return 0;
}

/* A strong printable password: 24 random bytes as base64url (32 chars). */
static int make_password(char *out, size_t size)
{
	static const char b64[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char b[24];
	size_t o = 0;

	if (size < 33 || getrandom(b, sizeof b, 0) != (ssize_t)sizeof b)
		return -1;
	for (size_t i = 0; i < sizeof b; i += 3) {
		unsigned v = (unsigned)b[i] << 16 | (unsigned)b[i + 1] << 8 | b[i + 2];
		out[o++] = b64[(v >> 18) & 63];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = b64[(v >> 6) & 63];
		out[o++] = b64[v & 63];
	}
	out[o] = '\0';
	return 0;
}

static int cmd_create_admin(int argc, char **argv)
{
	const char *email = NULL, *name = "Administrator";
	bool from_stdin = false;
	char pw[1100];
	stack s;
	cf_error err = CF_ERROR_INIT;
	cf_actor sys;
	cf_user u;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--email") == 0 && i + 1 < argc)
			email = argv[++i];
		else if (strcmp(argv[i], "--full-name") == 0 && i + 1 < argc)
			name = argv[++i];
		else if (strcmp(argv[i], "--password-stdin") == 0)
			from_stdin = true;
		else {
			fprintf(stderr, "create-admin: unknown argument %s\n", argv[i]);
			return 2;
		}
	}
	if (!email) {
		fprintf(stderr, "usage: chitfund-server create-admin --email E [--full-name N] "
		                "[--password-stdin]\n");
		return 2;
	}
	if (from_stdin) {
		if (!fgets(pw, sizeof pw, stdin)) {
			fprintf(stderr, "create-admin: no password on stdin\n");
			return 1;
		}
		pw[strcspn(pw, "\r\n")] = '\0';
	} else if (make_password(pw, sizeof pw) < 0) {
		fprintf(stderr, "create-admin: no randomness\n");
		return 1;
	}
	memset(&s, 0, sizeof s);
	cf_actor_anonymous(&sys, "cli-create-admin", "");
	sys.role = CF_ROLE_SYSTEM;
	cf_user_create_req req = {email, pw, name, NULL, CF_ROLE_ADMIN};
	if (open_pool(&s, true, &err) < 0 || build_app(&s, &err) < 0 ||
	    cf_users_create(s.app, &sys, &req, &u, &err) < 0) {
		die_err("create-admin failed", &err);
		memset(pw, 0, sizeof pw);
		stack_free(&s);
		return 1;
	}
	printf("created admin %s (%s)\n", u.email, u.id);
	if (!from_stdin)
		printf("password: %s\n(shown once; change it after the first login)\n", pw);
	memset(pw, 0, sizeof pw);
	stack_free(&s);
	return 0;
}

/* `deliver [--once]`: post the notification outbox to CHITFUND_NOTIFY_URL until SIGTERM. */
static int cmd_deliver(int argc, char **argv)
{
	stack s;
	cf_error err = CF_ERROR_INIT;
	cf_actor sys;
	cf_server_webhook w;
	cf_delivery_result res;
	sigset_t set;
	bool once = false;
	int rc = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--once") != 0) {
			fprintf(stderr, "usage: chitfund-server deliver [--once]\n");
			return 2;
		}
		once = true;
	}
	memset(&s, 0, sizeof s);
	block_stop_signals(&set);
	if (open_pool(&s, true, &err) < 0 ||
	    cf_server_webhook_parse(&w, s.env.notify_url, s.env.notify_timeout_ms, &err) < 0 ||
	    build_app(&s, &err) < 0) {
		die_err("cannot deliver", &err);
		stack_free(&s);
		return 2;
	}
	cf_actor_anonymous(&sys, "deliver", "");
	sys.role = CF_ROLE_SYSTEM;
	for (;;) { /* civetweb's client is ready: main() ran mg_init_library */
		struct timespec ts = {s.env.notify_interval_ms / 1000,
		                      (long)(s.env.notify_interval_ms % 1000) * 1000000L};
		bool full = false;

		memset(&res, 0, sizeof res);
		rc = cf_notifications_deliver(s.app, &sys, (size_t)s.env.notify_batch,
		                              cf_server_webhook_send, &w, &res, &err) < 0
		             ? 2
		             : 0;
		if (rc != 0) {
			die_err("delivery failed", &err);
		} else if (res.delivered + res.failed > 0) {
			cJSON *f = cJSON_CreateObject();

			cJSON_AddNumberToObject(f, "delivered", (double)res.delivered);
			cJSON_AddNumberToObject(f, "failed", (double)res.failed);
			cf_http_log("info", "notifications", f);
			full = res.failed == 0 && res.delivered == (size_t)s.env.notify_batch;
		}
		if (once) {
			if (rc == 0)
				printf("deliver: delivered %zu, failed %zu\n", res.delivered,
				       res.failed);
			break;
		}
		/* a full batch of successes: more may wait; otherwise rest (a signal ends it) */
		if (!full && sigtimedwait(&set, NULL, &ts) > 0)
			break;
	}
	stack_free(&s);
	return once ? rc : 0;
}

static int cmd_verify(void)
{
	stack s;
	cf_error err = CF_ERROR_INIT;
	cf_actor sys;
	cf_audit_verify_result res;

	memset(&s, 0, sizeof s);
	cf_actor_anonymous(&sys, "cli-verify", "");
	sys.role = CF_ROLE_SYSTEM;
	if (open_pool(&s, true, &err) < 0 || build_app(&s, &err) < 0 ||
	    cf_audit_verify(s.app, &sys, &res, &err) < 0) {
		die_err("verify failed", &err);
		stack_free(&s);
		return 2;
	}
	/* money (issue 5): balances re-derived from the postings, dues/payments/prizes agree */
	cf_money_verify_result mres;
	if (cf_money_verify(s.app, &sys, &mres, &err) < 0) {
		die_err("verify failed", &err);
		stack_free(&s);
		return 2;
	}
	stack_free(&s);
	if (!res.ok) {
		printf("verify: audit chain BROKEN at seq %lld: %s (%lld rows read)\n",
		       (long long)res.first_broken_seq, res.reason, (long long)res.rows_checked);
		return 1;
	}
	printf("verify: audit chain intact (%lld rows)\n", (long long)res.rows_checked);
	if (!mres.ok) {
		printf("verify: money BROKEN: %s\n", mres.first_break);
		return 1;
	}
	printf("verify: money consistent (%lld ledger lines, %lld tickets)\n",
	       (long long)mres.lines_checked, (long long)mres.tickets_checked);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
	        "usage: chitfund-server serve | migrate | create-admin --email E [--full-name N] "
	        "[--password-stdin] | verify | verify-lot FILE|- | deliver [--once] | version\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage();
		return 2;
	}
	mg_init_library(0);
	int rc;
	if (strcmp(argv[1], "serve") == 0)
		rc = cmd_serve();
	else if (strcmp(argv[1], "migrate") == 0)
		rc = cmd_migrate();
	else if (strcmp(argv[1], "create-admin") == 0)
		rc = cmd_create_admin(argc - 2, argv + 2);
	else if (strcmp(argv[1], "verify") == 0)
		rc = cmd_verify();
	else if (strcmp(argv[1], "deliver") == 0)
		rc = cmd_deliver(argc - 2, argv + 2);
	else if (strcmp(argv[1], "verify-lot") == 0)
		rc = cf_server_verify_lot(argc > 2 ? argv[2] : "-");
	else if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("chitfund-server %s\n", cf_version());
		rc = 0;
	} else {
		usage();
		rc = 2;
	}
	mg_exit_library();
	return rc;
}
