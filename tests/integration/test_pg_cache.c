/*
 * test_pg_cache.c - the PostgreSQL store's read cache of users and schemes
 * (cf_pg_store_cache_start, decision 0006) on a real cluster, with two
 * stores on two pools standing for two server processes:
 *  - a repeated read in a read-only unit is a hit and returns the row;
 *  - a unit that writes never uses the cache;
 *  - this store's own update is seen by its next read at once;
 *  - another store's update, and a hand-made UPDATE from a plain
 *    connection, reach the cache through NOTIFY;
 *  - when the LISTEN connection is killed the cache is bypassed, and once it
 *    is back the cache starts empty and serves again.
 *
 * Waits for notifications are bounded only so a broken build fails instead
 * of hanging; nothing asserts on how long anything took.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "cf_infra/pg.h"
#include "chitfund/adapters/postgres.h"
#include "chitfund/schemes.h"
#include "chitfund/sys/ports.h"
#include "it_db.h"

#define WAIT_MS 15000

typedef struct side {
	cf_pg_pool *pool;
	cf_pg_store *store;
	cf_ports ports;
} side;

static side A, B;
static char *g_conninfo;

static void side_open(side *s)
{
	cf_error err = CF_ERROR_INIT;

	s->pool = cf_it_pool(4, 5000);
	ck_assert_int_eq(cf_pg_store_new(&s->store, s->pool), CF_OK);
	ck_assert_msg(cf_pg_store_cache_start(s->store, g_conninfo, 64, &err) == CF_OK, "%s",
	              err.message);
	memset(&s->ports, 0, sizeof s->ports);
	cf_pg_store_ports(s->store, &s->ports);
}

static void side_close(side *s)
{
	cf_pg_store_free(s->store);
	cf_pg_pool_close(s->pool);
	memset(s, 0, sizeof *s);
}

static void setup(void)
{
	g_conninfo = cf_it_db_conninfo(cf_it_dbname());
	ck_assert_ptr_nonnull(g_conninfo);
	side_open(&A);
	side_open(&B);
}

static void teardown(void)
{
	side_close(&A);
	side_close(&B);
	free(g_conninfo);
	g_conninfo = NULL;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static void new_id(char out[CF_ID_SIZE])
{
	static unsigned long long counter;

	snprintf(out, CF_ID_SIZE, "%08x-0000-4000-8000-%012llx", (unsigned)getpid(), ++counter);
}

static cf_tx *begin(side *s, bool read)
{
	cf_tx *tx = NULL;
	int rc = read ? s->ports.uow.begin_read(s->ports.uow.self, &tx)
	              : s->ports.uow.begin(s->ports.uow.self, &tx);

	ck_assert_int_eq(rc, CF_OK);
	return tx;
}

static void commit(side *s, cf_tx *tx)
{
	ck_assert_int_eq(s->ports.uow.commit(s->ports.uow.self, tx), CF_OK);
}

/* A committed user with name `name`. */
static void make_user(const char *name, cf_user_row *u)
{
	cf_tx *tx = begin(&A, false);
	int64_t seq = 0;

	memset(u, 0, sizeof *u);
	new_id(u->id);
	snprintf(u->email, sizeof u->email, "cache.%s@example.com", u->id);
	snprintf(u->password_hash, sizeof u->password_hash, "fake$hash");
	snprintf(u->full_name, sizeof u->full_name, "%s", name);
	u->role = CF_ROLE_FOREMAN;
	ck_assert_int_eq(A.ports.users.next_ucfsin_seq(A.ports.users.self, tx, &seq), CF_OK);
	u->ucfsin_seq = seq;
	snprintf(u->ucfsin, sizeof u->ucfsin, "CF26%010lld", (long long)seq);
	u->is_active = true;
	u->created_at_ms = 1774000000123LL;
	u->updated_at_ms = 1774000000123LL;
	u->row_version = 1;
	ck_assert_int_eq(A.ports.users.insert(A.ports.users.self, tx, u), CF_OK);
	commit(&A, tx);
}

/* users.get in a read-only unit of s. */
static void read_user(side *s, const char *id, cf_user_row *out)
{
	cf_tx *tx = begin(s, true);

	ck_assert_int_eq(s->ports.users.get(s->ports.users.self, tx, id, out), CF_OK);
	commit(s, tx);
}

static void rename_user(side *s, const char *id, const char *name)
{
	cf_tx *tx = begin(s, false);
	cf_user_row u;

	ck_assert_int_eq(s->ports.users.get(s->ports.users.self, tx, id, &u), CF_OK);
	snprintf(u.full_name, sizeof u.full_name, "%s", name);
	ck_assert_int_eq(s->ports.users.update(s->ports.users.self, tx, &u), CF_OK);
	commit(s, tx);
}

/* One parameterised statement on a plain connection (another "process"). */
static void exec_sql(const char *sql, const char *arg)
{
	cf_pg_conn *c = NULL;
	cf_pg_params p;
	cf_error err = CF_ERROR_INIT;

	ck_assert_int_eq(cf_pg_conn_open(g_conninfo, &c, &err), CF_OK);
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, arg);
	ck_assert_msg(cf_pg_exec(c, sql, &p, NULL, &err) == CF_OK, "%s: %s", sql, err.message);
	cf_pg_conn_close(c);
}

/* Read through s until the user's name is `want` (bounded wait). */
static void await_name(side *s, const char *id, const char *want)
{
	cf_user_row u;

	for (int waited = 0;; waited += 5) {
		read_user(s, id, &u);
		if (strcmp(u.full_name, want) == 0)
			return;
		ck_assert_msg(waited < WAIT_MS, "still '%s', want '%s'", u.full_name, want);
		sleep_ms(5);
	}
}

START_TEST(repeat_read_is_a_hit)
{
	cf_user_row u, a, b;
	cf_pg_cache_stats st0, st1;

	make_user("First Name", &u);
	cf_pg_store_cache_stats(A.store, &st0);
	ck_assert(st0.started);
	ck_assert(st0.enabled);
	read_user(&A, u.id, &a);
	read_user(&A, u.id, &b);
	cf_pg_store_cache_stats(A.store, &st1);
	ck_assert_uint_eq(st1.misses, st0.misses + 1);
	ck_assert_uint_eq(st1.hits, st0.hits + 1);
	ck_assert_str_eq(a.full_name, "First Name");
	ck_assert_int_eq(memcmp(&a, &b, sizeof a), 0);
}
END_TEST

START_TEST(writing_unit_bypasses_the_cache)
{
	cf_user_row u, got;
	cf_pg_cache_stats st0, st1;
	cf_tx *tx;

	make_user("Writer", &u);
	read_user(&A, u.id, &got); /* now cached */
	cf_pg_store_cache_stats(A.store, &st0);
	tx = begin(&A, false);
	ck_assert_int_eq(A.ports.users.get(A.ports.users.self, tx, u.id, &got), CF_OK);
	commit(&A, tx);
	cf_pg_store_cache_stats(A.store, &st1);
	ck_assert_uint_eq(st1.hits, st0.hits);
	ck_assert_uint_eq(st1.misses, st0.misses);
}
END_TEST

START_TEST(own_write_is_seen_at_once)
{
	cf_user_row u, got;

	make_user("Before", &u);
	read_user(&A, u.id, &got);
	ck_assert_str_eq(got.full_name, "Before");
	rename_user(&A, u.id, "After");
	read_user(&A, u.id, &got); /* no wait: invalidated before the commit returned */
	ck_assert_str_eq(got.full_name, "After");
	ck_assert_int_eq(got.row_version, 2);
}
END_TEST

START_TEST(other_store_write_arrives_by_notify)
{
	cf_user_row u, got;
	cf_pg_cache_stats st;

	make_user("Old", &u);
	read_user(&B, u.id, &got);
	read_user(&B, u.id, &got);
	ck_assert_str_eq(got.full_name, "Old");
	rename_user(&A, u.id, "New");
	await_name(&B, u.id, "New");
	cf_pg_store_cache_stats(B.store, &st);
	ck_assert_uint_gt(st.invalidations, 0);
}
END_TEST

START_TEST(hand_made_update_arrives_by_notify)
{
	cf_user_row u, got;

	make_user("Typed", &u);
	read_user(&A, u.id, &got);
	exec_sql("UPDATE users SET full_name = 'Retyped' WHERE id = $1::uuid", u.id);
	await_name(&A, u.id, "Retyped");
	/* a deactivation by hand too: authentication reads is_active from here */
	exec_sql("UPDATE users SET is_active = false WHERE id = $1::uuid", u.id);
	for (int waited = 0;; waited += 5) {
		read_user(&A, u.id, &got);
		if (!got.is_active)
			break;
		ck_assert_msg(waited < WAIT_MS, "deactivation never reached the cache");
		sleep_ms(5);
	}
}
END_TEST

START_TEST(scheme_rows_are_cached_and_invalidated)
{
	cf_user_row f;
	cf_scheme s, got;
	cf_rule why = CF_RULE_NONE;
	cf_tx *tx;

	make_user("Foreman", &f);
	memset(&s, 0, sizeof s);
	new_id(s.id);
	snprintf(s.name, sizeof s.name, "Cached scheme");
	cf_scheme_params_init(&s.params);
	s.params.chit_value = cf_money_of(1000000);
	s.params.member_count = 10;
	s.params.start_date.year = 2026;
	s.params.start_date.month = 4;
	s.params.start_date.day = 30;
	ck_assert_int_eq(cf_scheme_params_resolve(&s.params, &why), CF_OK);
	s.subscription = cf_money_of(100000);
	s.status = CF_SCHEME_DRAFT;
	snprintf(s.foreman_id, sizeof s.foreman_id, "%s", f.id);
	snprintf(s.created_by, sizeof s.created_by, "%s", f.id);
	s.created_at_ms = s.updated_at_ms = 1774000000001LL;
	s.row_version = 1;
	tx = begin(&A, false);
	ck_assert_int_eq(A.ports.schemes.insert(A.ports.schemes.self, tx, &s), CF_OK);
	commit(&A, tx);

	for (int i = 0; i < 2; i++) {
		tx = begin(&B, true);
		ck_assert_int_eq(B.ports.schemes.get(B.ports.schemes.self, tx, s.id, &got), CF_OK);
		commit(&B, tx);
		ck_assert_str_eq(got.name, "Cached scheme");
	}
	/* this store's own update: at once */
	tx = begin(&B, false);
	ck_assert_int_eq(B.ports.schemes.get(B.ports.schemes.self, tx, s.id, &got), CF_OK);
	got.status = CF_SCHEME_ENROLLING;
	ck_assert_int_eq(B.ports.schemes.update(B.ports.schemes.self, tx, &got), CF_OK);
	commit(&B, tx);
	tx = begin(&B, true);
	ck_assert_int_eq(B.ports.schemes.get(B.ports.schemes.self, tx, s.id, &got), CF_OK);
	commit(&B, tx);
	ck_assert_int_eq(got.status, CF_SCHEME_ENROLLING);
	/* another process's: by notification */
	exec_sql("UPDATE schemes SET name = 'Renamed' WHERE id = $1::uuid", s.id);
	for (int waited = 0;; waited += 5) {
		tx = begin(&B, true);
		ck_assert_int_eq(B.ports.schemes.get(B.ports.schemes.self, tx, s.id, &got), CF_OK);
		commit(&B, tx);
		if (strcmp(got.name, "Renamed") == 0)
			break;
		ck_assert_msg(waited < WAIT_MS, "scheme rename never reached the cache");
		sleep_ms(5);
	}
}
END_TEST

START_TEST(lost_listener_bypasses_then_recovers)
{
	cf_user_row u, got;
	cf_pg_cache_stats st0, st;
	char pidtext[16];
	int pid = cf_pg_store_cache_listener_pid(A.store);

	ck_assert_int_gt(pid, 0);
	make_user("Steady", &u);
	read_user(&A, u.id, &got);
	cf_pg_store_cache_stats(A.store, &st0);
	snprintf(pidtext, sizeof pidtext, "%d", pid);
	exec_sql("SELECT pg_terminate_backend($1::int)", pidtext);
	/* reconnected: a new backend, the cache on again, and flushed on the way */
	for (int waited = 0;; waited += 5) {
		int now = cf_pg_store_cache_listener_pid(A.store);

		cf_pg_store_cache_stats(A.store, &st);
		if (now != 0 && now != pid && st.enabled)
			break;
		ck_assert_msg(waited < WAIT_MS, "the cache listener never came back");
		sleep_ms(5);
	}
	ck_assert_uint_ge(st.flushes, st0.flushes + 2); /* down, then the gap */
	/* emptied: the next read misses, the one after hits */
	read_user(&A, u.id, &got);
	read_user(&A, u.id, &got);
	cf_pg_store_cache_stats(A.store, &st0);
	ck_assert_uint_eq(st0.misses, st.misses + 1);
	ck_assert_uint_eq(st0.hits, st.hits + 1);
	/* and invalidation works again */
	rename_user(&B, u.id, "Moved");
	await_name(&A, u.id, "Moved");
}
END_TEST

START_TEST(start_refuses_bad_arguments)
{
	cf_error err = CF_ERROR_INIT;
	cf_pg_cache_stats st;

	ck_assert_int_eq(cf_pg_store_cache_start(A.store, g_conninfo, 64, &err), CF_EINVALID);
	ck_assert_int_eq(cf_pg_store_cache_start(B.store, NULL, 64, &err), CF_EINVALID);
	ck_assert_int_eq(cf_pg_store_cache_start(A.store, g_conninfo, 0, &err), CF_EINVALID);
	cf_pg_store_cache_stats(NULL, &st);
	ck_assert(!st.started);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pg_cache");
	TCase *tc = tcase_create("cache");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, repeat_read_is_a_hit);
	tcase_add_test(tc, writing_unit_bypasses_the_cache);
	tcase_add_test(tc, own_write_is_seen_at_once);
	tcase_add_test(tc, other_store_write_arrives_by_notify);
	tcase_add_test(tc, hand_made_update_arrives_by_notify);
	tcase_add_test(tc, scheme_rows_are_cached_and_invalidated);
	tcase_add_test(tc, lost_listener_bypasses_then_recovers);
	tcase_add_test(tc, start_refuses_bad_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return cf_it_run("cache", suite());
}
