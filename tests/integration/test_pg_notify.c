/*
 * test_pg_notify.c - infrastructure/pg/pg_notify.c on a real PostgreSQL:
 * order and payloads, transactional delivery (rollback never, commit yes),
 * two listeners, prompt stop, reconnect after the backend is terminated
 * (gap callback, then delivery again), the payload limit.
 *
 * Waits below are bounded only so a broken build fails instead of hanging;
 * nothing asserts on how long anything took.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "cf_infra/pg.h"
#include "cf_infra/pg_notify.h"
#include "it_db.h"

#define CHANNEL  "cf_test_events"
#define MAX_SEEN 256
#define WAIT_MS  15000

/* What a listener received, filled on its thread. */
typedef struct recorder {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int n;
	char *seen[MAX_SEEN];
	size_t lens[MAX_SEEN];
	int gaps;
} recorder;

static char *g_conninfo;
static cf_pg_conn *g_sender;

static void setup(void)
{
	cf_error err = CF_ERROR_INIT;
	int rc;

	g_conninfo = cf_it_db_conninfo(cf_it_dbname());
	ck_assert_ptr_nonnull(g_conninfo);
	rc = cf_pg_conn_open(g_conninfo, &g_sender, &err);
	ck_assert_msg(rc == CF_OK, "sender: %s", err.message);
}

static void teardown(void)
{
	cf_pg_conn_close(g_sender);
	g_sender = NULL;
	free(g_conninfo);
	g_conninfo = NULL;
}

static void rec_init(recorder *r)
{
	memset(r, 0, sizeof *r);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
}

static void rec_dispose(recorder *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->seen[i]);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
}

static void on_notify(const char *payload, size_t len, void *user)
{
	recorder *r = user;

	pthread_mutex_lock(&r->mu);
	if (r->n < MAX_SEEN) {
		r->seen[r->n] = malloc(len + 1);
		ck_assert_ptr_nonnull(r->seen[r->n]);
		memcpy(r->seen[r->n], payload, len + 1);
		r->lens[r->n] = len;
		r->n++;
	}
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

static void on_gap(void *user)
{
	recorder *r = user;

	pthread_mutex_lock(&r->mu);
	r->gaps++;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

/* Wait until at least n notifications (or gaps, when gaps) were recorded. */
static bool rec_wait(recorder *r, int n, bool gaps)
{
	struct timespec until;
	bool ok = true;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += WAIT_MS / 1000;
	pthread_mutex_lock(&r->mu);
	while ((gaps ? r->gaps : r->n) < n) {
		if (pthread_cond_timedwait(&r->cv, &r->mu, &until) == ETIMEDOUT) {
			ok = false;
			break;
		}
	}
	pthread_mutex_unlock(&r->mu);
	return ok;
}

static int rec_count(recorder *r)
{
	int n;

	pthread_mutex_lock(&r->mu);
	n = r->n;
	pthread_mutex_unlock(&r->mu);
	return n;
}

static cf_pg_listener *start_listener(recorder *r, int backoff_min_ms)
{
	cf_pg_listener_config cfg;
	cf_pg_listener *l = NULL;
	cf_error err = CF_ERROR_INIT;
	int rc;

	memset(&cfg, 0, sizeof cfg);
	cfg.conninfo = g_conninfo;
	cfg.channel = CHANNEL;
	cfg.on_notify = on_notify;
	cfg.on_gap = on_gap;
	cfg.user = r;
	cfg.backoff_min_ms = backoff_min_ms;
	cfg.backoff_max_ms = backoff_min_ms * 4;
	rc = cf_pg_listener_start(&l, &cfg, &err);
	ck_assert_msg(rc == CF_OK, "listener: %d %s", rc, err.message);
	ck_assert_ptr_nonnull(l);
	return l;
}

static void send_ok(cf_pg_conn *c, const char *payload)
{
	cf_error err = CF_ERROR_INIT;
	int rc = cf_pg_notify_send(cf_pg_conn_pg(c), CHANNEL, payload, &err);

	ck_assert_msg(rc == CF_OK, "notify: %d %s", rc, err.message);
}

static void exec_ok(cf_pg_conn *c, const char *sql)
{
	cf_error err = CF_ERROR_INIT;
	int rc = cf_it_exec(c, sql, &err);

	ck_assert_msg(rc == CF_OK, "%s: %s", sql, err.message);
}

START_TEST(test_pg_notify__arrive_in_order_with_payload_intact)
{
	recorder r;
	cf_pg_listener *l;
	char buf[64];
	const char *odd = "{\"type\":\"bid\",\"note\":\"it's $1 \\\"quoted\\\" \xe2\x82\xb9 ;--\"}";

	rec_init(&r);
	l = start_listener(&r, 50);
	for (int i = 0; i < 100; i++) {
		snprintf(buf, sizeof buf, "{\"seq\":%d}", i + 1);
		send_ok(g_sender, buf);
	}
	send_ok(g_sender, odd);
	send_ok(g_sender, "");
	ck_assert_msg(rec_wait(&r, 102, false), "got %d of 102", rec_count(&r));
	cf_pg_listener_stop(l);
	ck_assert_int_eq(r.n, 102);
	for (int i = 0; i < 100; i++) {
		snprintf(buf, sizeof buf, "{\"seq\":%d}", i + 1);
		ck_assert_str_eq(r.seen[i], buf);
		ck_assert_uint_eq(r.lens[i], strlen(buf));
	}
	ck_assert_str_eq(r.seen[100], odd);
	ck_assert_uint_eq(r.lens[100], strlen(odd));
	ck_assert_str_eq(r.seen[101], "");
	ck_assert_uint_eq(r.lens[101], 0);
	rec_dispose(&r);
}
END_TEST

START_TEST(test_pg_notify__rollback_never_arrives_commit_does)
{
	recorder r;
	cf_pg_listener *l;

	rec_init(&r);
	l = start_listener(&r, 50);

	exec_ok(g_sender, "BEGIN");
	send_ok(g_sender, "rolled-back");
	exec_ok(g_sender, "ROLLBACK");

	/* pending until COMMIT: a later notification from elsewhere overtakes it */
	exec_ok(g_sender, "BEGIN");
	send_ok(g_sender, "committed");
	{
		cf_pg_conn *other = NULL;
		cf_error err = CF_ERROR_INIT;

		ck_assert_int_eq(cf_pg_conn_open(g_conninfo, &other, &err), CF_OK);
		send_ok(other, "probe");
		cf_pg_conn_close(other);
	}
	ck_assert(rec_wait(&r, 1, false));
	exec_ok(g_sender, "COMMIT");
	send_ok(g_sender, "marker");
	ck_assert_msg(rec_wait(&r, 3, false), "got %d of 3", rec_count(&r));
	cf_pg_listener_stop(l);

	ck_assert_int_eq(r.n, 3);
	ck_assert_str_eq(r.seen[0], "probe");
	ck_assert_str_eq(r.seen[1], "committed");
	ck_assert_str_eq(r.seen[2], "marker");
	rec_dispose(&r);
}
END_TEST

START_TEST(test_pg_notify__two_listeners_both_receive)
{
	recorder a, b;
	cf_pg_listener *la, *lb;

	rec_init(&a);
	rec_init(&b);
	la = start_listener(&a, 50);
	lb = start_listener(&b, 50);
	send_ok(g_sender, "one");
	send_ok(g_sender, "two");
	ck_assert(rec_wait(&a, 2, false));
	ck_assert(rec_wait(&b, 2, false));
	cf_pg_listener_stop(la);
	cf_pg_listener_stop(lb);
	ck_assert_int_eq(a.n, 2);
	ck_assert_int_eq(b.n, 2);
	ck_assert_str_eq(a.seen[0], "one");
	ck_assert_str_eq(a.seen[1], "two");
	ck_assert_str_eq(b.seen[0], "one");
	ck_assert_str_eq(b.seen[1], "two");
	rec_dispose(&a);
	rec_dispose(&b);
}
END_TEST

/* stop() wakes the thread from poll(): with the default 30 s ping interval a
 * stop that waited for the poll to time out would run into the case timeout. */
START_TEST(test_pg_notify__stop_is_prompt_while_idle)
{
	recorder r;
	cf_pg_listener *l;
	cf_pg_listener_stats st;

	rec_init(&r);
	l = start_listener(&r, 50);
	cf_pg_listener_stats_get(l, &st);
	ck_assert(st.connected);
	ck_assert_int_ne(cf_pg_listener_backend_pid(l), 0);
	cf_pg_listener_stop(l);
	ck_assert_int_eq(r.n, 0);
	rec_dispose(&r);
}
END_TEST

/* ... and from the reconnect backoff (here 60 s, beyond the case timeout). */
START_TEST(test_pg_notify__stop_is_prompt_during_backoff)
{
	recorder r;
	cf_pg_listener *l;
	cf_pg_listener_stats st;
	cf_pg_params p;
	cf_error err = CF_ERROR_INIT;
	int rc;

	rec_init(&r);
	l = start_listener(&r, 60000);
	cf_pg_params_init(&p);
	cf_pg_param_int64(&p, cf_pg_listener_backend_pid(l));
	rc = cf_pg_exec(g_sender, "SELECT pg_terminate_backend($1::int)", &p, NULL, &err);
	ck_assert_msg(rc == CF_OK, "terminate: %s", err.message);
	/* wait until the thread noticed (it is then sleeping in the backoff) */
	for (int i = 0; i < 1500; i++) {
		cf_pg_listener_stats_get(l, &st);
		if (!st.connected)
			break;
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	}
	ck_assert(!st.connected);
	cf_pg_listener_stop(l);
	ck_assert_int_eq(r.gaps, 0);
	rec_dispose(&r);
}
END_TEST

START_TEST(test_pg_notify__reconnects_after_terminate_and_reports_gap)
{
	recorder r;
	cf_pg_listener *l;
	cf_pg_listener_stats st;
	cf_pg_params p;
	cf_error err = CF_ERROR_INIT;
	int old_pid, rc;

	rec_init(&r);
	l = start_listener(&r, 20);
	send_ok(g_sender, "before");
	ck_assert(rec_wait(&r, 1, false));
	old_pid = cf_pg_listener_backend_pid(l);
	ck_assert_int_ne(old_pid, 0);

	cf_pg_params_init(&p);
	cf_pg_param_int64(&p, old_pid);
	rc = cf_pg_exec(g_sender, "SELECT pg_terminate_backend($1::int)", &p, NULL, &err);
	ck_assert_msg(rc == CF_OK, "terminate: %s", err.message);

	ck_assert_msg(rec_wait(&r, 1, true), "no gap callback after the backend was terminated");
	send_ok(g_sender, "after");
	ck_assert(rec_wait(&r, 2, false));
	cf_pg_listener_stats_get(l, &st);
	ck_assert(st.connected);
	ck_assert_uint_eq(st.reconnects, 1);
	ck_assert_uint_ge(st.failures, 1);
	ck_assert_uint_eq(st.received, 2);
	ck_assert_int_ne(cf_pg_listener_backend_pid(l), old_pid);
	cf_pg_listener_stop(l);

	ck_assert_int_eq(r.gaps, 1);
	ck_assert_int_eq(r.n, 2);
	ck_assert_str_eq(r.seen[0], "before");
	ck_assert_str_eq(r.seen[1], "after");
	rec_dispose(&r);
}
END_TEST

START_TEST(test_pg_notify__payload_limit)
{
	recorder r;
	cf_pg_listener *l;
	cf_error err = CF_ERROR_INIT;
	char *big = malloc(CF_PG_NOTIFY_MAX_PAYLOAD + 2);

	ck_assert_ptr_nonnull(big);
	rec_init(&r);
	l = start_listener(&r, 50);

	memset(big, 'a', CF_PG_NOTIFY_MAX_PAYLOAD + 1);
	big[CF_PG_NOTIFY_MAX_PAYLOAD + 1] = '\0';
	ck_assert_int_eq(cf_pg_notify_send(cf_pg_conn_pg(g_sender), CHANNEL, big, &err),
	                 CF_EINVALID);
	ck_assert_str_eq(err.slug, "payload-too-large");

	big[CF_PG_NOTIFY_MAX_PAYLOAD] = '\0'; /* exactly the limit: accepted by PostgreSQL */
	send_ok(g_sender, big);
	ck_assert(rec_wait(&r, 1, false));
	cf_pg_listener_stop(l);
	ck_assert_int_eq(r.n, 1);
	ck_assert_uint_eq(r.lens[0], CF_PG_NOTIFY_MAX_PAYLOAD);
	ck_assert_str_eq(r.seen[0], big);
	free(big);
	rec_dispose(&r);
}
END_TEST

START_TEST(test_pg_notify__invalid_arguments)
{
	cf_pg_listener_config cfg;
	cf_pg_listener *l = (cf_pg_listener *)&cfg;
	cf_error err = CF_ERROR_INIT;
	char longname[80];

	memset(&cfg, 0, sizeof cfg);
	ck_assert_int_eq(cf_pg_listener_start(&l, &cfg, &err), CF_EINVALID);
	ck_assert_ptr_null(l);
	cfg.conninfo = g_conninfo;
	cfg.channel = "";
	cfg.on_notify = on_notify;
	ck_assert_int_eq(cf_pg_listener_start(&l, &cfg, &err), CF_EINVALID);
	memset(longname, 'c', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	cfg.channel = longname;
	ck_assert_int_eq(cf_pg_listener_start(&l, &cfg, &err), CF_EINVALID);
	ck_assert_int_eq(cf_pg_notify_send(cf_pg_conn_pg(g_sender), longname, "x", &err),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_pg_notify_send(NULL, CHANNEL, "x", &err), CF_EINVALID);

	/* an unreachable server: CF_EUNAVAILABLE, nothing left running */
	cfg.channel = CHANNEL;
	cfg.conninfo = "host=/nonexistent-cf-socket-dir port=1 dbname=x connect_timeout=2";
	ck_assert_int_eq(cf_pg_listener_start(&l, &cfg, &err), CF_EUNAVAILABLE);
	ck_assert_ptr_null(l);
	cf_pg_listener_stop(NULL);
}
END_TEST

static Suite *pg_notify_suite(void)
{
	Suite *s = suite_create("pg_notify");
	TCase *tc = tcase_create("listen_notify");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_pg_notify__arrive_in_order_with_payload_intact);
	tcase_add_test(tc, test_pg_notify__rollback_never_arrives_commit_does);
	tcase_add_test(tc, test_pg_notify__two_listeners_both_receive);
	tcase_add_test(tc, test_pg_notify__stop_is_prompt_while_idle);
	tcase_add_test(tc, test_pg_notify__stop_is_prompt_during_backoff);
	tcase_add_test(tc, test_pg_notify__reconnects_after_terminate_and_reports_gap);
	tcase_add_test(tc, test_pg_notify__payload_limit);
	tcase_add_test(tc, test_pg_notify__invalid_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return cf_it_run("notify", pg_notify_suite());
}
