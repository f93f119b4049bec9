/*
 * test_pg_infra.c - infrastructure/pg on a real PostgreSQL: SQLSTATE
 * mapping, parameters and results, the pool (exhaustion, waiting, broken
 * connections, dirty releases), prepared statements and transactions with
 * retry.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "cf_infra/pg.h"
#include "it_db.h"

static cf_pg_pool *g_pool;

static void setup(void)
{
	g_pool = cf_it_pool(4, 300);
}

static void teardown(void)
{
	cf_pg_pool_close(g_pool);
	g_pool = NULL;
}

static cf_pg_conn *take(void)
{
	cf_pg_conn *c = NULL;
	cf_error err = CF_ERROR_INIT;
	int rc = cf_pg_pool_acquire(g_pool, &c, &err);

	ck_assert_msg(rc == CF_OK, "acquire: %d %s", rc, err.message);
	return c;
}

static int64_t query_int(cf_pg_conn *c, const char *sql)
{
	PGresult *r = NULL;
	cf_error err = CF_ERROR_INIT;
	int64_t v = -1;
	int rc = cf_pg_exec(c, sql, NULL, &r, &err);

	ck_assert_msg(rc == CF_OK, "%s: %s", sql, err.message);
	ck_assert_int_eq(cf_pg_get_int64(r, 0, 0, &v), CF_OK);
	PQclear(r);
	return v;
}

/* ---- SQLSTATE mapping ---- */

START_TEST(test_sqlstate_table)
{
	ck_assert_int_eq(cf_pg_status_from_sqlstate("23505"), CF_EEXISTS);
	ck_assert_int_eq(cf_pg_status_from_sqlstate("23503"), CF_ENOTFOUND);
	ck_assert_int_eq(cf_pg_status_from_sqlstate("23514"), CF_EINVALID);
	ck_assert_int_eq(cf_pg_status_from_sqlstate("23502"), CF_EINVALID);
	ck_assert_int_eq(cf_pg_status_from_sqlstate("22P02"), CF_EINVALID);
	ck_assert_int_eq(cf_pg_status_from_sqlstate("22003"), CF_EINVALID);
	ck_assert_int_eq(cf_pg_status_from_sqlstate("40001"), CF_ERETRY);
	ck_assert_int_eq(cf_pg_status_from_sqlstate("40P01"), CF_ERETRY);
	ck_assert_int_eq(cf_pg_status_from_sqlstate("08006"), CF_EUNAVAILABLE);
	ck_assert_int_eq(cf_pg_status_from_sqlstate("08001"), CF_EUNAVAILABLE);
	ck_assert_int_eq(cf_pg_status_from_sqlstate("57P01"), CF_EUNAVAILABLE);
	ck_assert_int_eq(cf_pg_status_from_sqlstate("53300"), CF_EUNAVAILABLE);
	ck_assert_int_eq(cf_pg_status_from_sqlstate("42601"), CF_ERROR);
	ck_assert_int_eq(cf_pg_status_from_sqlstate("42501"), CF_ERROR);
	ck_assert_int_eq(cf_pg_status_from_sqlstate(NULL), CF_ERROR);
	ck_assert_int_eq(cf_pg_status_from_sqlstate("2350"), CF_ERROR);
}
END_TEST

static int raise_state(cf_pg_conn *c, const char *state, cf_error *err)
{
	cf_pg_params p;

	cf_pg_params_init(&p);
	cf_pg_param_text(&p, state);
	/* A function so the SQLSTATE can be a parameter. */
	return cf_pg_exec(c, "SELECT cf_it_raise($1)", &p, NULL, err);
}

START_TEST(test_sqlstate_live)
{
	cf_pg_conn *c = take();
	cf_error err = CF_ERROR_INIT;
	int rc;

	ck_assert_int_eq(cf_it_exec(c,
	                            "CREATE OR REPLACE FUNCTION cf_it_raise(s text) RETURNS void "
	                            "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'raised %', s "
	                            "USING ERRCODE = s; END $$",
	                            &err),
	                 CF_OK);
	ck_assert_int_eq(raise_state(c, "40001", &err), CF_ERETRY);
	ck_assert_str_eq(err.slug, "conflict");
	ck_assert_int_eq(raise_state(c, "40P01", NULL), CF_ERETRY);
	ck_assert_int_eq(raise_state(c, "23505", NULL), CF_EEXISTS);
	ck_assert_int_eq(raise_state(c, "53300", NULL), CF_EUNAVAILABLE);
	memset(&err, 0, sizeof err);
	rc = cf_pg_exec(c, "SELECT 'not-a-uuid'::uuid", NULL, NULL, &err);
	ck_assert_int_eq(rc, CF_EINVALID);
	ck_assert_int_eq(err.code, CF_EINVALID);
	ck_assert_str_eq(err.slug, "validation-error");
	ck_assert_ptr_null(strstr(err.message, "not-a-uuid")); /* no values in messages */
	memset(&err, 0, sizeof err);
	rc = cf_pg_exec(c, "SELECT * FROM no_such_table", NULL, NULL, &err);
	ck_assert_int_eq(rc, CF_ERROR);
	ck_assert_ptr_nonnull(strstr(err.message, "42P01"));
	cf_pg_pool_release(g_pool, c);
}
END_TEST

/* ---- parameters and results ---- */

START_TEST(test_params_and_results)
{
	cf_pg_conn *c = take();
	cf_error err = CF_ERROR_INIT;
	cf_pg_params p;
	PGresult *r = NULL;
	int64_t v;
	int32_t v32;
	bool b;
	char buf[8];
	unsigned char *bytes;
	size_t n;
	int i, rc;

	cf_pg_params_init(&p);
	cf_pg_param_int64(&p, INT64_MAX);
	cf_pg_param_int64(&p, INT64_MIN);
	cf_pg_param_bool(&p, true);
	cf_pg_param_text(&p, "it's; DROP TABLE users; --");
	cf_pg_param_null(&p);
	rc = cf_pg_exec(c,
	                "SELECT $1::bigint, $2::bigint, $3::boolean, $4::text, $5::text IS NULL,"
	                " '\\x00ff10'::bytea, 2147483648::bigint, NULL::text",
	                &p, &r, &err);
	ck_assert_msg(rc == CF_OK, "%s", err.message);
	ck_assert_int_eq(cf_pg_get_int64(r, 0, 0, &v), CF_OK);
	ck_assert(v == INT64_MAX);
	ck_assert_int_eq(cf_pg_get_int64(r, 0, 1, &v), CF_OK);
	ck_assert(v == INT64_MIN);
	ck_assert_int_eq(cf_pg_get_bool(r, 0, 2, &b), CF_OK);
	ck_assert(b);
	ck_assert_int_eq(cf_pg_get_text(r, 0, 3, buf, sizeof buf), CF_EBUFFER);
	ck_assert_int_eq(cf_pg_get_bool(r, 0, 4, &b), CF_OK);
	ck_assert(b);
	ck_assert_int_eq(cf_pg_get_bytea(r, 0, 5, &bytes, &n), CF_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert(bytes[0] == 0x00 && bytes[1] == 0xff && bytes[2] == 0x10);
	free(bytes);
	ck_assert_int_eq(cf_pg_get_int32(r, 0, 6, &v32), CF_EINVALID); /* out of range */
	ck_assert(cf_pg_is_null(r, 0, 7));
	ck_assert_int_eq(cf_pg_get_int64(r, 0, 7, &v), CF_EINVALID);
	ck_assert_int_eq(cf_pg_get_text(r, 0, 7, buf, sizeof buf), CF_OK);
	ck_assert_str_eq(buf, "");
	ck_assert(cf_pg_is_null(r, 5, 0)); /* out of range */
	PQclear(r);
	/* the text parameter travelled as a value: users still exists */
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM pg_tables WHERE tablename = 'users'"),
	                 1);

	cf_pg_params_init(&p);
	for (i = 0; i < CF_PG_MAX_PARAMS + 1; i++)
		cf_pg_param_int64(&p, i);
	ck_assert(p.overflow);
	ck_assert_int_eq(cf_pg_exec(c, "SELECT 1", &p, NULL, NULL), CF_EINVALID);
	cf_pg_pool_release(g_pool, c);
}
END_TEST

START_TEST(test_conninfo_with_dbname)
{
	char *out = NULL;
	cf_error err = CF_ERROR_INIT;

	ck_assert_int_eq(
	        cf_pg_conninfo_with_dbname("postgresql://u@localhost:5433/a?sslmode=disable",
	                                   "other", &out, &err),
	        CF_OK);
	ck_assert_ptr_nonnull(strstr(out, "dbname='other'"));
	ck_assert_ptr_nonnull(strstr(out, "port='5433'"));
	ck_assert_ptr_nonnull(strstr(out, "user='u'"));
	ck_assert_ptr_null(strstr(out, "'a'"));
	free(out);
	ck_assert_int_eq(
	        cf_pg_conninfo_with_dbname("host=/tmp dbname=x password='a\\'b'", "y", &out, NULL),
	        CF_OK);
	ck_assert_ptr_nonnull(strstr(out, "password='a\\'b'"));
	ck_assert_ptr_nonnull(strstr(out, "dbname='y'"));
	free(out);
	ck_assert_int_eq(cf_pg_conninfo_with_dbname("host='unterminated", "y", &out, &err),
	                 CF_EINVALID);
	ck_assert_ptr_null(out);
}
END_TEST

/* ---- pool ---- */

START_TEST(test_pool_connection_defaults_yield_to_conninfo)
{
	cf_pg_conn *c = take(), *own = NULL;
	PGresult *r = NULL;
	char buf[64], *ci, *withname;
	size_t n;

	ck_assert_int_eq(
	        cf_pg_exec(c, "SELECT current_setting('application_name')", NULL, &r, NULL), CF_OK);
	ck_assert_int_eq(cf_pg_get_text(r, 0, 0, buf, sizeof buf), CF_OK);
	ck_assert_str_eq(buf, "chitfund");
	PQclear(r);
	cf_pg_pool_release(g_pool, c);
	ci = cf_it_db_conninfo(cf_it_dbname());
	ck_assert_ptr_nonnull(ci);
	n = strlen(ci) + 64;
	withname = malloc(n);
	ck_assert_ptr_nonnull(withname);
	snprintf(withname, n, "%s application_name='it_own'", ci);
	free(ci);
	ck_assert_int_eq(cf_pg_conn_open(withname, &own, NULL), CF_OK);
	free(withname);
	ck_assert_int_eq(
	        cf_pg_exec(own, "SELECT current_setting('application_name')", NULL, &r, NULL),
	        CF_OK);
	ck_assert_int_eq(cf_pg_get_text(r, 0, 0, buf, sizeof buf), CF_OK);
	ck_assert_str_eq(buf, "it_own");
	PQclear(r);
	cf_pg_conn_close(own);
}
END_TEST

START_TEST(test_pool_exhaustion_bounded_wait)
{
	cf_pg_pool *p = cf_it_pool(2, 200);
	cf_pg_conn *a = NULL, *b = NULL, *x = NULL;
	cf_error err = CF_ERROR_INIT;
	cf_pg_pool_stats st;

	ck_assert_int_eq(cf_pg_pool_acquire(p, &a, &err), CF_OK);
	ck_assert_int_eq(cf_pg_pool_acquire(p, &b, &err), CF_OK);
	ck_assert_ptr_ne(a, b);
	ck_assert_int_eq(cf_pg_pool_acquire(p, &x, &err), CF_EUNAVAILABLE);
	ck_assert_ptr_null(x);
	ck_assert_int_eq(err.code, CF_EUNAVAILABLE);
	ck_assert_str_eq(err.slug, "service-unavailable");
	cf_pg_pool_stats_get(p, &st);
	ck_assert_int_eq(st.size, 2);
	ck_assert_int_eq(st.open, 2);
	ck_assert_int_eq(st.in_use, 2);
	ck_assert_uint_eq(st.timeouts, 1);
	cf_pg_pool_release(p, a);
	ck_assert_int_eq(cf_pg_pool_acquire(p, &x, &err), CF_OK);
	ck_assert_ptr_eq(x, a); /* the released one is reused, not a third */
	cf_pg_pool_release(p, x);
	cf_pg_pool_release(p, b);
	cf_pg_pool_stats_get(p, &st);
	ck_assert_int_eq(st.in_use, 0);
	ck_assert_int_eq(st.open, 2);
	cf_pg_pool_close(p);
}
END_TEST

typedef struct holder {
	cf_pg_pool *pool;
	cf_pg_conn *conn;
} holder;

static void *release_later(void *arg)
{
	holder *h = arg;
	struct timespec ts = {0, 50 * 1000000L};
	cf_pg_pool_stats st;

	/* release only once the main thread is waiting */
	for (;;) {
		cf_pg_pool_stats_get(h->pool, &st);
		if (st.waiting > 0)
			break;
		nanosleep(&ts, NULL);
	}
	cf_pg_pool_release(h->pool, h->conn);
	return NULL;
}

START_TEST(test_pool_waiter_gets_released_connection)
{
	cf_pg_pool *p = cf_it_pool(1, 30000);
	cf_pg_conn *a = NULL, *x = NULL;
	cf_error err = CF_ERROR_INIT;
	pthread_t t;
	holder h;

	ck_assert_int_eq(cf_pg_pool_acquire(p, &a, &err), CF_OK);
	h.pool = p;
	h.conn = a;
	ck_assert_int_eq(pthread_create(&t, NULL, release_later, &h), 0);
	ck_assert_int_eq(cf_pg_pool_acquire(p, &x, &err), CF_OK);
	pthread_join(t, NULL);
	ck_assert_ptr_eq(x, a);
	cf_pg_pool_release(p, x);
	cf_pg_pool_close(p);
}
END_TEST

/* ---- fairness: waiters are served first come, first served ---- */

typedef struct fifo_waiter {
	cf_pg_pool *pool;
	int id;
	pthread_mutex_t *mu;
	int *order; /* ids in the order they got the connection */
	int *n;
	int rc;
} fifo_waiter;

static void *fifo_take(void *arg)
{
	fifo_waiter *w = arg;
	cf_pg_conn *c = NULL;
	cf_error err = CF_ERROR_INIT;

	w->rc = cf_pg_pool_acquire(w->pool, &c, &err);
	if (w->rc == CF_OK) {
		pthread_mutex_lock(w->mu);
		w->order[(*w->n)++] = w->id;
		pthread_mutex_unlock(w->mu);
		cf_pg_pool_release(w->pool, c);
	}
	return NULL;
}

static void wait_for_waiters(cf_pg_pool *p, int n)
{
	struct timespec ts = {0, 5 * 1000000L};
	cf_pg_pool_stats st;

	for (;;) {
		cf_pg_pool_stats_get(p, &st);
		if (st.waiting >= n)
			return;
		nanosleep(&ts, NULL);
	}
}

/*
 * Three threads queue, in a known order, for the only connection; then the
 * holder releases it and at once asks again itself. Every waiter is served
 * before the holder's new request, and in the order they came: a release
 * hands the connection to the oldest waiter instead of leaving it for
 * whoever grabs the lock first.
 */
START_TEST(test_pool_waiters_served_in_order_without_barging)
{
	cf_pg_pool *p = cf_it_pool(1, 30000);
	cf_pg_conn *a = NULL, *again = NULL;
	cf_error err = CF_ERROR_INIT;
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	int order[4], n = 0, i;
	fifo_waiter w[3];
	pthread_t t[3];

	ck_assert_int_eq(cf_pg_pool_acquire(p, &a, &err), CF_OK);
	for (i = 0; i < 3; i++) {
		w[i] = (fifo_waiter){p, i + 1, &mu, order, &n, -1};
		ck_assert_int_eq(pthread_create(&t[i], NULL, fifo_take, &w[i]), 0);
		wait_for_waiters(p, i + 1); /* thread i+1 is queued before the next starts */
	}
	cf_pg_pool_release(p, a);
	ck_assert_int_eq(cf_pg_pool_acquire(p, &again, &err), CF_OK);
	pthread_mutex_lock(&mu);
	order[n++] = 0; /* the holder's second turn */
	pthread_mutex_unlock(&mu);
	cf_pg_pool_release(p, again);
	for (i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(w[i].rc, CF_OK);
	}
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(order[0], 1);
	ck_assert_int_eq(order[1], 2);
	ck_assert_int_eq(order[2], 3);
	ck_assert_int_eq(order[3], 0);
	cf_pg_pool_close(p);
}
END_TEST

/* A waiter whose wait runs out leaves the queue; the next release goes to the
 * one behind it, and the counters add up. */
START_TEST(test_pool_timed_out_waiter_leaves_queue)
{
	cf_pg_pool *p = cf_it_pool(1, 100);
	cf_pg_conn *a = NULL, *x = NULL;
	cf_error err = CF_ERROR_INIT;
	cf_pg_pool_stats st;

	ck_assert_int_eq(cf_pg_pool_acquire(p, &a, &err), CF_OK);
	ck_assert_int_eq(cf_pg_pool_acquire(p, &x, &err), CF_EUNAVAILABLE);
	cf_pg_pool_stats_get(p, &st);
	ck_assert_int_eq(st.waiting, 0);
	ck_assert_uint_eq(st.timeouts, 1);
	cf_pg_pool_release(p, a);
	cf_pg_pool_stats_get(p, &st);
	ck_assert_int_eq(st.in_use, 0); /* nobody queued: back to idle */
	ck_assert_int_eq(cf_pg_pool_acquire(p, &x, &err), CF_OK);
	ck_assert_ptr_eq(x, a);
	cf_pg_pool_release(p, x);
	cf_pg_pool_close(p);
}
END_TEST

START_TEST(test_pool_replaces_broken_connection)
{
	cf_pg_conn *c = take(), *killer = NULL;
	cf_error err = CF_ERROR_INIT;
	cf_pg_pool_stats st;
	cf_pg_params p;
	char *ci;
	int64_t pid, pid2, left;
	struct timespec ts = {0, 20 * 1000000L};
	int i;

	/* prepare a statement on the old session */
	cf_pg_params_init(&p);
	cf_pg_param_int64(&p, 41);
	ck_assert_int_eq(
	        cf_pg_exec_prepared(c, "it_add_one", "SELECT $1::bigint + 1", &p, NULL, &err),
	        CF_OK);
	pid = query_int(c, "SELECT pg_backend_pid()");
	cf_pg_pool_release(g_pool, c);

	ci = cf_it_db_conninfo(cf_it_dbname());
	ck_assert_int_eq(cf_pg_conn_open(ci, &killer, &err), CF_OK);
	free(ci);
	cf_pg_params_init(&p);
	cf_pg_param_int64(&p, pid);
	ck_assert_int_eq(cf_pg_exec(killer, "SELECT pg_terminate_backend($1::int)", &p, NULL, &err),
	                 CF_OK);
	for (i = 0; i < 500; i++) { /* until the backend has gone */
		PGresult *r = NULL;

		ck_assert_int_eq(cf_pg_exec(killer,
		                            "SELECT count(*) FROM pg_stat_activity WHERE pid = "
		                            "$1::int",
		                            &p, &r, &err),
		                 CF_OK);
		ck_assert_int_eq(cf_pg_get_int64(r, 0, 0, &left), CF_OK);
		PQclear(r);
		if (left == 0)
			break;
		nanosleep(&ts, NULL);
	}
	ck_assert_int_eq(left, 0);
	cf_pg_conn_close(killer);

	c = take(); /* the same slot, healed */
	pid2 = query_int(c, "SELECT pg_backend_pid()");
	ck_assert(pid2 != pid);
	/* the prepared set was forgotten with the old session: preparing again works */
	cf_pg_params_init(&p);
	cf_pg_param_int64(&p, 41);
	{
		PGresult *r = NULL;
		int64_t v;

		ck_assert_int_eq(
		        cf_pg_exec_prepared(c, "it_add_one", "SELECT $1::bigint + 1", &p, &r, &err),
		        CF_OK);
		ck_assert_int_eq(cf_pg_get_int64(r, 0, 0, &v), CF_OK);
		ck_assert_int_eq(v, 42);
		PQclear(r);
	}
	cf_pg_pool_release(g_pool, c);
	cf_pg_pool_stats_get(g_pool, &st);
	ck_assert_uint_ge(st.replaced, 1);
	ck_assert_int_eq(st.in_use, 0);
}
END_TEST

START_TEST(test_pool_connection_lost_in_use)
{
	cf_pg_pool *p = cf_it_pool(1, 1000);
	cf_pg_conn *c = NULL;
	cf_error err = CF_ERROR_INIT;
	cf_pg_pool_stats st;
	int rc;

	ck_assert_int_eq(cf_pg_pool_acquire(p, &c, &err), CF_OK);
	/* the session kills itself: the statement fails as unavailable */
	rc = cf_pg_exec(c, "SELECT pg_terminate_backend(pg_backend_pid())", NULL, NULL, &err);
	ck_assert_int_eq(rc, CF_EUNAVAILABLE);
	cf_pg_pool_release(p, c); /* broken: dropped, slot freed */
	cf_pg_pool_stats_get(p, &st);
	ck_assert_int_eq(st.open, 0);
	ck_assert_uint_eq(st.replaced, 1);
	c = NULL;
	ck_assert_int_eq(cf_pg_pool_acquire(p, &c, &err), CF_OK);
	ck_assert_int_eq(query_int(c, "SELECT 7"), 7);
	cf_pg_pool_release(p, c);
	cf_pg_pool_close(p);
}
END_TEST

START_TEST(test_pool_unreachable_server)
{
	cf_pg_pool_config cfg = {"host=/nonexistent-dir port=1 connect_timeout=2", 2, 100};
	cf_pg_pool *p = NULL;
	cf_pg_conn *c = NULL;
	cf_error err = CF_ERROR_INIT;
	cf_pg_pool_stats st;

	ck_assert_int_eq(cf_pg_pool_open(&p, &cfg, &err), CF_OK);
	ck_assert_int_eq(cf_pg_pool_acquire(p, &c, &err), CF_EUNAVAILABLE);
	ck_assert_ptr_null(c);
	cf_pg_pool_stats_get(p, &st);
	ck_assert_int_eq(st.open, 0);
	ck_assert_uint_eq(st.connect_fail, 1);
	cf_pg_pool_close(p);
}
END_TEST

START_TEST(test_release_rolls_back_open_transaction)
{
	cf_pg_conn *c = take();
	cf_error err = CF_ERROR_INIT;

	ck_assert_int_eq(cf_it_exec(c, "CREATE TABLE IF NOT EXISTS it_rb (v int)", &err), CF_OK);
	ck_assert_int_eq(cf_pg_begin(c, CF_PG_READ_COMMITTED, &err), CF_OK);
	ck_assert_int_eq(cf_it_exec(c, "INSERT INTO it_rb VALUES (1)", &err), CF_OK);
	cf_pg_pool_release(g_pool, c); /* forgot to commit */
	c = take();
	ck_assert_int_eq(PQtransactionStatus(cf_pg_conn_pg(c)), PQTRANS_IDLE);
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM it_rb"), 0);
	/* a failed transaction too */
	ck_assert_int_eq(cf_pg_begin(c, CF_PG_READ_COMMITTED, &err), CF_OK);
	ck_assert_int_eq(cf_it_exec(c, "SELECT 1/0", &err), CF_EINVALID);
	ck_assert_int_eq(PQtransactionStatus(cf_pg_conn_pg(c)), PQTRANS_INERROR);
	cf_pg_pool_release(g_pool, c);
	c = take();
	ck_assert_int_eq(PQtransactionStatus(cf_pg_conn_pg(c)), PQTRANS_IDLE);
	ck_assert_int_eq(query_int(c, "SELECT 3"), 3);
	cf_pg_pool_release(g_pool, c);
}
END_TEST

/* cf_pg_begin_lazy: BEGIN travels with the first statement (plain or
 * prepared, prepared for the first time there), the statements are inside
 * the transaction, a failing first statement leaves it aborted, a unit that
 * sent nothing commits and rolls back without a word, and a pending BEGIN
 * does not outlive the connection's release. */
START_TEST(test_lazy_begin)
{
	cf_pg_conn *c = take();
	cf_error err = CF_ERROR_INIT;
	cf_pg_params p;
	PGresult *r = NULL;

	ck_assert_int_eq(cf_it_exec(c, "CREATE TABLE IF NOT EXISTS it_lazy (v int)", &err), CF_OK);
	/* nothing is sent until the first statement */
	ck_assert_int_eq(cf_pg_begin_lazy(c, CF_PG_READ_COMMITTED, &err), CF_OK);
	ck_assert(cf_pg_in_transaction(c));
	ck_assert_int_eq(PQtransactionStatus(cf_pg_conn_pg(c)), PQTRANS_IDLE);
	ck_assert_int_eq(cf_pg_begin_lazy(c, CF_PG_READ_COMMITTED, &err), CF_EINVALID);
	ck_assert_int_eq(cf_it_exec(c, "INSERT INTO it_lazy VALUES (1)", &err), CF_OK);
	ck_assert_int_eq(PQtransactionStatus(cf_pg_conn_pg(c)), PQTRANS_INTRANS);
	cf_pg_rollback(c);
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM it_lazy"), 0);

	/* a prepared statement, prepared in the same round trip, with a result */
	ck_assert_int_eq(cf_pg_begin_lazy(c, CF_PG_REPEATABLE_READ, &err), CF_OK);
	cf_pg_params_init(&p);
	cf_pg_param_int64(&p, 41);
	ck_assert_int_eq(
	        cf_pg_exec_prepared(c, "it_lazy_ins",
	                            "INSERT INTO it_lazy VALUES ($1::int + 1) RETURNING v, "
	                            "current_setting('transaction_isolation')",
	                            &p, &r, &err),
	        CF_OK);
	ck_assert_int_eq(PQntuples(r), 1);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "42");
	ck_assert_str_eq(PQgetvalue(r, 0, 1), "repeatable read");
	PQclear(r);
	ck_assert_int_eq(cf_pg_commit(c, &err), CF_OK);
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM it_lazy WHERE v = 42"), 1);
	/* known from now on: executed without a second Prepare */
	ck_assert_int_eq(cf_pg_begin_lazy(c, CF_PG_READ_COMMITTED, &err), CF_OK);
	ck_assert_int_eq(cf_pg_exec_prepared(c, "it_lazy_ins", "unused", &p, NULL, &err), CF_OK);
	ck_assert_int_eq(cf_pg_commit(c, &err), CF_OK);
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM it_lazy WHERE v = 42"), 2);

	/* the first statement fails: mapped, and the transaction is aborted */
	ck_assert_int_eq(cf_pg_begin_lazy(c, CF_PG_READ_COMMITTED, &err), CF_OK);
	ck_assert_int_eq(cf_it_exec(c, "SELECT 1/0", &err), CF_EINVALID);
	ck_assert_int_eq(PQtransactionStatus(cf_pg_conn_pg(c)), PQTRANS_INERROR);
	ck_assert_int_lt(cf_pg_commit(c, &err), 0);
	ck_assert_int_eq(PQtransactionStatus(cf_pg_conn_pg(c)), PQTRANS_IDLE);
	/* a statement that cannot even be prepared */
	ck_assert_int_eq(cf_pg_begin_lazy(c, CF_PG_READ_COMMITTED, &err), CF_OK);
	ck_assert_int_lt(cf_pg_exec_prepared(c, "it_lazy_bad", "SELEC 1", NULL, NULL, &err), 0);
	cf_pg_rollback(c);
	ck_assert_int_eq(PQtransactionStatus(cf_pg_conn_pg(c)), PQTRANS_IDLE);
	ck_assert_int_eq(query_int(c, "SELECT 7"), 7);

	/* nothing sent: commit and rollback are silent and leave no transaction */
	ck_assert_int_eq(cf_pg_begin_lazy(c, CF_PG_READ_COMMITTED, &err), CF_OK);
	ck_assert_int_eq(cf_pg_commit(c, &err), CF_OK);
	ck_assert(!cf_pg_in_transaction(c));
	ck_assert_int_eq(cf_pg_begin_lazy(c, CF_PG_READ_COMMITTED, &err), CF_OK);
	cf_pg_rollback(c);
	ck_assert(!cf_pg_in_transaction(c));
	ck_assert_int_eq(cf_pg_begin_lazy(c, CF_PG_READ_COMMITTED, &err), CF_OK);
	cf_pg_pool_release(g_pool, c);
	c = take();
	ck_assert(!cf_pg_in_transaction(c));
	ck_assert_int_eq(query_int(c, "SELECT 8"), 8);
	ck_assert_int_eq(PQtransactionStatus(cf_pg_conn_pg(c)), PQTRANS_IDLE);
	cf_pg_pool_release(g_pool, c);
}
END_TEST

/* A statement the server already has but this connection's record lost
 * (42P05 on Prepare): outside a transaction it just runs; inside one, lazy
 * (Prepare pipelined with BEGIN) or not, the transaction is aborted, so the
 * call answers CF_ERETRY, remembers the name, and the retry runs. */
START_TEST(test_prepare_already_there)
{
	cf_pg_conn *c = take();
	cf_error err = CF_ERROR_INIT;
	PGresult *r = NULL;

	/* outside a transaction */
	PQclear(PQprepare(cf_pg_conn_pg(c), "it_dup_a", "SELECT 11", 0, NULL));
	ck_assert_int_eq(cf_pg_exec_prepared(c, "it_dup_a", "SELECT 11", NULL, &r, &err), CF_OK);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "11");
	PQclear(r);

	/* lazy BEGIN: Prepare in the pipeline */
	PQclear(PQprepare(cf_pg_conn_pg(c), "it_dup_b", "SELECT 12", 0, NULL));
	ck_assert_int_eq(cf_pg_begin_lazy(c, CF_PG_READ_COMMITTED, &err), CF_OK);
	ck_assert_int_eq(cf_pg_exec_prepared(c, "it_dup_b", "SELECT 12", NULL, NULL, &err),
	                 CF_ERETRY);
	cf_pg_rollback(c);
	ck_assert(!cf_pg_in_transaction(c));
	ck_assert(cf_pg_prepared_known(c, "it_dup_b"));
	ck_assert_int_eq(cf_pg_begin_lazy(c, CF_PG_READ_COMMITTED, &err), CF_OK);
	ck_assert_int_eq(cf_pg_exec_prepared(c, "it_dup_b", "SELECT 12", NULL, &r, &err), CF_OK);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "12");
	PQclear(r);
	ck_assert_int_eq(cf_pg_commit(c, &err), CF_OK);

	/* a transaction already under way */
	PQclear(PQprepare(cf_pg_conn_pg(c), "it_dup_c", "SELECT 13", 0, NULL));
	ck_assert_int_eq(cf_pg_begin(c, CF_PG_READ_COMMITTED, &err), CF_OK);
	ck_assert_int_eq(cf_pg_exec_prepared(c, "it_dup_c", "SELECT 13", NULL, NULL, &err),
	                 CF_ERETRY);
	cf_pg_rollback(c);
	ck_assert_int_eq(cf_pg_begin(c, CF_PG_READ_COMMITTED, &err), CF_OK);
	ck_assert_int_eq(cf_pg_exec_prepared(c, "it_dup_c", "SELECT 13", NULL, &r, &err), CF_OK);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "13");
	PQclear(r);
	ck_assert_int_eq(cf_pg_commit(c, &err), CF_OK);
	ck_assert_int_eq(PQtransactionStatus(cf_pg_conn_pg(c)), PQTRANS_IDLE);
	cf_pg_pool_release(g_pool, c);
}
END_TEST

/* ---- transactions ---- */

typedef struct flaky {
	int calls;
	int fail_times;
} flaky;

static int flaky_body(cf_pg_conn *c, void *arg, cf_error *err)
{
	flaky *f = arg;
	cf_pg_params p;
	int rc;

	f->calls++;
	cf_pg_params_init(&p);
	cf_pg_param_int64(&p, f->calls);
	rc = cf_pg_exec(c, "INSERT INTO it_tx (attempt) VALUES ($1::int)", &p, NULL, err);
	if (rc != CF_OK)
		return rc;
	if (f->calls <= f->fail_times)
		return cf_pg_exec(c,
		                  "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; "
		                  "END $$",
		                  NULL, NULL, err);
	return CF_OK;
}

START_TEST(test_transact_retries_serialization_failures)
{
	cf_pg_conn *c = take();
	cf_error err = CF_ERROR_INIT;
	flaky f = {0, 2};
	int rc;

	ck_assert_int_eq(cf_it_exec(c, "CREATE TABLE IF NOT EXISTS it_tx (attempt int)", &err),
	                 CF_OK);
	ck_assert_int_eq(cf_it_exec(c, "DELETE FROM it_tx", &err), CF_OK);
	cf_pg_pool_release(g_pool, c);

	rc = cf_pg_transact(g_pool, CF_PG_SERIALIZABLE, 5, flaky_body, &f, &err);
	ck_assert_msg(rc == CF_OK, "%s", err.message);
	ck_assert_int_eq(f.calls, 3);
	c = take();
	/* only the successful attempt's row was committed */
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM it_tx"), 1);
	ck_assert_int_eq(query_int(c, "SELECT attempt FROM it_tx"), 3);
	cf_pg_pool_release(g_pool, c);

	f.calls = 0;
	f.fail_times = 100;
	memset(&err, 0, sizeof err);
	rc = cf_pg_transact(g_pool, CF_PG_READ_COMMITTED, 3, flaky_body, &f, &err);
	ck_assert_int_eq(rc, CF_ERETRY);
	ck_assert_int_eq(f.calls, 3);
	c = take();
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM it_tx"), 1);
	cf_pg_pool_release(g_pool, c);
}
END_TEST

/* A real serialization failure between two SERIALIZABLE transactions. */
START_TEST(test_real_serialization_failure_maps_to_retry)
{
	cf_pg_conn *a = take(), *b = take();
	cf_error err = CF_ERROR_INIT;
	int rc1, rc2;

	ck_assert_int_eq(cf_it_exec(a, "CREATE TABLE IF NOT EXISTS it_ser (k int, v int)", &err),
	                 CF_OK);
	ck_assert_int_eq(cf_it_exec(a, "DELETE FROM it_ser", &err), CF_OK);
	ck_assert_int_eq(cf_it_exec(a, "INSERT INTO it_ser VALUES (1, 0), (2, 0)", &err), CF_OK);
	ck_assert_int_eq(cf_pg_begin(a, CF_PG_SERIALIZABLE, &err), CF_OK);
	ck_assert_int_eq(cf_pg_begin(b, CF_PG_SERIALIZABLE, &err), CF_OK);
	/* write skew: each reads the other's row and writes its own */
	ck_assert_int_eq(cf_it_exec(a, "SELECT sum(v) FROM it_ser", &err), CF_OK);
	ck_assert_int_eq(cf_it_exec(b, "SELECT sum(v) FROM it_ser", &err), CF_OK);
	ck_assert_int_eq(cf_it_exec(a, "UPDATE it_ser SET v = 1 WHERE k = 1", &err), CF_OK);
	ck_assert_int_eq(cf_it_exec(b, "UPDATE it_ser SET v = 1 WHERE k = 2", &err), CF_OK);
	rc1 = cf_pg_commit(a, &err);
	rc2 = cf_pg_commit(b, &err);
	ck_assert_int_eq(rc1, CF_OK);
	ck_assert_int_eq(rc2, CF_ERETRY);
	ck_assert_int_eq(PQtransactionStatus(cf_pg_conn_pg(b)), PQTRANS_IDLE);
	cf_pg_pool_release(g_pool, a);
	cf_pg_pool_release(g_pool, b);
}
END_TEST

START_TEST(test_prepared_statements_per_connection)
{
	cf_pg_conn *c = take();
	cf_error err = CF_ERROR_INIT;
	cf_pg_params p;
	PGresult *r = NULL;
	int64_t v;
	int i;

	for (i = 0; i < 3; i++) {
		cf_pg_params_init(&p);
		cf_pg_param_int64(&p, i);
		ck_assert_int_eq(
		        cf_pg_exec_prepared(c, "it_double", "SELECT $1::bigint * 2", &p, &r, &err),
		        CF_OK);
		ck_assert_int_eq(cf_pg_get_int64(r, 0, 0, &v), CF_OK);
		ck_assert_int_eq(v, 2 * i);
		PQclear(r);
	}
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM pg_prepared_statements WHERE name = "
	                              "'it_double'"),
	                 1);
	/* a bad statement reports its error and is not remembered */
	ck_assert_int_eq(cf_pg_exec_prepared(c, "it_bad", "SELEC 1", NULL, NULL, &err), CF_ERROR);
	ck_assert_int_eq(cf_pg_exec_prepared(c, "it_bad", "SELEC 1", NULL, NULL, &err), CF_ERROR);
	cf_pg_pool_release(g_pool, c);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pg_infra");
	TCase *tc = tcase_create("pg");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sqlstate_table);
	tcase_add_test(tc, test_sqlstate_live);
	tcase_add_test(tc, test_params_and_results);
	tcase_add_test(tc, test_conninfo_with_dbname);
	tcase_add_test(tc, test_pool_connection_defaults_yield_to_conninfo);
	tcase_add_test(tc, test_pool_exhaustion_bounded_wait);
	tcase_add_test(tc, test_pool_waiter_gets_released_connection);
	tcase_add_test(tc, test_pool_waiters_served_in_order_without_barging);
	tcase_add_test(tc, test_pool_timed_out_waiter_leaves_queue);
	tcase_add_test(tc, test_pool_replaces_broken_connection);
	tcase_add_test(tc, test_pool_connection_lost_in_use);
	tcase_add_test(tc, test_pool_unreachable_server);
	tcase_add_test(tc, test_release_rolls_back_open_transaction);
	tcase_add_test(tc, test_lazy_begin);
	tcase_add_test(tc, test_prepare_already_there);
	tcase_add_test(tc, test_transact_retries_serialization_failures);
	tcase_add_test(tc, test_real_serialization_failure_maps_to_retry);
	tcase_add_test(tc, test_prepared_statements_per_connection);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return cf_it_run("infra", suite());
}
