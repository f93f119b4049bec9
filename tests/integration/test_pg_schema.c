/*
 * test_pg_schema.c - migrations from zero on a real PostgreSQL (applied once,
 * re-run is a no-op, a changed file is refused, a failing file rolls back,
 * concurrent migrators) and the schema's constraints and audit triggers.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#include "cf_infra/pg.h"
#include "cf_infra/pg_migrate.h"
#include "it_db.h"

/* ---- helpers ---- */

static int count_migration_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len > 4 && strcmp(e->d_name + len - 4, ".sql") == 0)
			n++;
	}
	closedir(d);
	return n;
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out;
	char buf[8192];
	size_t n;

	ck_assert_ptr_nonnull(in);
	out = fopen(to, "wb");
	ck_assert_ptr_nonnull(out);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
	fclose(in);
	ck_assert_int_eq(fclose(out), 0);
}

/* Copy every migration into a new temporary directory (path into buf). */
static void copy_migrations(char *buf, size_t cap)
{
	DIR *d;
	struct dirent *e;
	char from[4096], to[4096];

	snprintf(buf, cap, "/tmp/cf_it_migrations_XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(buf));
	d = opendir(cf_pg_migrations_dir());
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len <= 4 || strcmp(e->d_name + len - 4, ".sql") != 0)
			continue;
		snprintf(from, sizeof from, "%s/%s", cf_pg_migrations_dir(), e->d_name);
		snprintf(to, sizeof to, "%s/%s", buf, e->d_name);
		copy_file(from, to);
	}
	closedir(d);
}

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static void write_text(const char *dir, const char *name, const char *text, const char *mode)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, mode);
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* A fresh empty database for this test; *name receives its name. */
static cf_pg_conn *fresh_db(char *name, size_t cap)
{
	static int n;
	cf_pg_conn *c = NULL;
	cf_error err = CF_ERROR_INIT;
	char *ci;

	snprintf(name, cap, "cf_it_mz_%ld_%ld_%d", cf_it_main_pid(), (long)getpid(), ++n);
	ck_assert_int_eq(cf_it_db_create(name, false), CF_OK);
	ci = cf_it_db_conninfo(name);
	ck_assert_ptr_nonnull(ci);
	ck_assert_int_eq(cf_pg_conn_open(ci, &c, &err), CF_OK);
	free(ci);
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

/* ---- migrations ---- */

START_TEST(test_migrations_from_zero)
{
	char db[64], path[4096], sum[65], have[65];
	cf_pg_conn *c = fresh_db(db, sizeof db);
	cf_error err = CF_ERROR_INIT;
	const char *dir = cf_pg_migrations_dir();
	int nfiles = count_migration_files(dir), applied = -1, pending = -1;
	bool current = true;
	PGresult *r = NULL;
	cf_pg_params p;

	ck_assert_int_ge(nfiles, 4);
	ck_assert_int_eq(cf_pg_migrations_current(c, dir, &current, &pending, &err), CF_OK);
	ck_assert(!current);
	ck_assert_int_eq(pending, nfiles);

	ck_assert_msg(cf_pg_migrate(c, dir, &applied, &err) == CF_OK, "%s", err.message);
	ck_assert_int_eq(applied, nfiles);
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM schema_migrations"), nfiles);
	ck_assert_int_eq(query_int(c, "SELECT min(version) FROM schema_migrations"), 1);
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
	                              "AND tablename IN ('users', 'refresh_tokens', "
	                              "'login_failures', 'schemes', 'tickets', 'scheme_agents', "
	                              "'audit_log', 'audit_head', 'idempotency_keys')"),
	                 9);
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM pg_sequences WHERE sequencename = "
	                              "'ucfsin_seq'"),
	                 1);
	/* the recorded checksum is the file's SHA-256 */
	snprintf(path, sizeof path, "%s/0001_users.sql", dir);
	ck_assert_int_eq(cf_pg_file_sha256(path, sum, sizeof sum), CF_OK);
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, "0001_users.sql");
	ck_assert_int_eq(cf_pg_exec(c, "SELECT checksum FROM schema_migrations WHERE name = $1", &p,
	                            &r, &err),
	                 CF_OK);
	ck_assert_int_eq(PQntuples(r), 1);
	ck_assert_int_eq(cf_pg_get_text(r, 0, 0, have, sizeof have), CF_OK);
	PQclear(r);
	ck_assert_str_eq(have, sum);

	/* re-run: nothing to do */
	ck_assert_int_eq(cf_pg_migrate(c, dir, &applied, &err), CF_OK);
	ck_assert_int_eq(applied, 0);
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM schema_migrations"), nfiles);
	ck_assert_int_eq(cf_pg_migrations_current(c, dir, &current, &pending, &err), CF_OK);
	ck_assert(current);
	ck_assert_int_eq(pending, 0);
	cf_pg_conn_close(c);
	cf_it_db_drop(db);
}
END_TEST

START_TEST(test_migration_changed_file_refused)
{
	char db[64], dir[256];
	cf_pg_conn *c = fresh_db(db, sizeof db);
	cf_error err = CF_ERROR_INIT;
	int applied = 0, pending = 0;
	bool current = true;

	copy_migrations(dir, sizeof dir);
	ck_assert_int_eq(cf_pg_migrate(c, dir, &applied, &err), CF_OK);
	ck_assert_int_gt(applied, 0);
	/* edit an applied file (even a comment changes its checksum) */
	write_text(dir, "0002_schemes.sql", "\n-- edited after it was applied\n", "a");
	ck_assert_int_eq(cf_pg_migrate(c, dir, &applied, &err), CF_ECONFLICT);
	ck_assert_int_eq(applied, 0);
	ck_assert_str_eq(err.slug, "migration-checksum-mismatch");
	ck_assert_str_eq(err.field, "0002_schemes.sql");
	ck_assert_ptr_nonnull(strstr(err.message, "0002_schemes.sql"));
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(cf_pg_migrations_current(c, dir, &current, &pending, &err), CF_ECONFLICT);
	ck_assert(!current);
	ck_assert_str_eq(err.field, "0002_schemes.sql");
	/* the advisory lock was released: another session can take it at once */
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"),
	                 0);
	cf_pg_conn_close(c);
	cf_it_db_drop(db);
	remove_dir(dir);
}
END_TEST

START_TEST(test_migration_new_file_and_failure_rollback)
{
	char db[64], dir[256];
	cf_pg_conn *c = fresh_db(db, sizeof db);
	cf_error err = CF_ERROR_INIT;
	int applied = 0, pending = 0, nfiles;
	bool current = false;

	copy_migrations(dir, sizeof dir);
	nfiles = count_migration_files(dir);
	ck_assert_int_eq(cf_pg_migrate(c, dir, &applied, &err), CF_OK);
	/* a new file is pending, then applied */
	write_text(dir, "9000_it_extra.sql", "CREATE TABLE it_extra (v int);\n", "w");
	ck_assert_int_eq(cf_pg_migrations_current(c, dir, &current, &pending, &err), CF_OK);
	ck_assert(!current);
	ck_assert_int_eq(pending, 1);
	ck_assert_int_eq(cf_pg_migrate(c, dir, &applied, &err), CF_OK);
	ck_assert_int_eq(applied, 1);
	/* a failing file: its earlier statements are rolled back, nothing recorded */
	write_text(dir, "9001_it_broken.sql",
	           "CREATE TABLE it_half (v int);\nINSERT INTO it_half VALUES ('x');\n", "w");
	ck_assert_int_eq(cf_pg_migrate(c, dir, &applied, &err), CF_EINVALID);
	ck_assert_int_eq(applied, 0);
	ck_assert_str_eq(err.slug, "migration-failed");
	ck_assert_str_eq(err.field, "9001_it_broken.sql");
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM pg_tables WHERE tablename = 'it_half'"),
	                 0);
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM schema_migrations"), nfiles + 1);
	ck_assert_int_eq(PQtransactionStatus(cf_pg_conn_pg(c)), PQTRANS_IDLE);
	/* a badly named file is refused before anything runs */
	write_text(dir, "9001_it_broken.sql", "SELECT 1;\n", "w");
	write_text(dir, "12_bad.sql", "SELECT 1;\n", "w");
	ck_assert_int_eq(cf_pg_migrate(c, dir, &applied, &err), CF_EINVALID);
	ck_assert_str_eq(err.slug, "migration-dir-invalid");
	ck_assert_str_eq(err.field, "12_bad.sql");
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM schema_migrations"), nfiles + 1);
	ck_assert_int_eq(cf_pg_migrate(c, "/nonexistent/migrations", &applied, &err), CF_EINVALID);
	cf_pg_conn_close(c);
	cf_it_db_drop(db);
	remove_dir(dir);
}
END_TEST

typedef struct migrator {
	const char *conninfo;
	int rc;
	int applied;
} migrator;

static void *migrate_thread(void *arg)
{
	migrator *m = arg;
	cf_pg_conn *c = NULL;
	cf_error err = CF_ERROR_INIT;

	m->rc = cf_pg_conn_open(m->conninfo, &c, &err);
	if (m->rc == CF_OK) {
		m->rc = cf_pg_migrate(c, cf_pg_migrations_dir(), &m->applied, &err);
		cf_pg_conn_close(c);
	}
	return NULL;
}

START_TEST(test_concurrent_migrators)
{
	char db[64];
	cf_pg_conn *c = fresh_db(db, sizeof db);
	char *ci = cf_it_db_conninfo(db);
	migrator m[4];
	pthread_t t[4];
	int i, total = 0;

	for (i = 0; i < 4; i++) {
		m[i].conninfo = ci;
		m[i].rc = -100;
		m[i].applied = 0;
		ck_assert_int_eq(pthread_create(&t[i], NULL, migrate_thread, &m[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(m[i].rc, CF_OK);
		total += m[i].applied;
	}
	/* every file applied exactly once overall */
	ck_assert_int_eq(total, count_migration_files(cf_pg_migrations_dir()));
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM schema_migrations"), total);
	free(ci);
	cf_pg_conn_close(c);
	cf_it_db_drop(db);
}
END_TEST

/* ---- constraints (on the runner's migrated database) ---- */

static cf_pg_pool *g_pool;
static cf_pg_conn *g_c;

static void setup(void)
{
	cf_error err = CF_ERROR_INIT;

	g_pool = cf_it_pool(2, 1000);
	ck_assert_int_eq(cf_pg_pool_acquire(g_pool, &g_c, &err), CF_OK);
}

static void teardown(void)
{
	cf_pg_pool_release(g_pool, g_c);
	g_c = NULL;
	cf_pg_pool_close(g_pool);
	g_pool = NULL;
}

/* Insert a user with this email; returns the status; id (37 bytes) receives its id. */
static int insert_user(const char *email, char *id, cf_error *err)
{
	cf_pg_params p;
	PGresult *r = NULL;
	int rc;

	cf_pg_params_init(&p);
	cf_pg_param_text(&p, email);
	rc = cf_pg_exec(g_c,
	                "INSERT INTO users (id, email, password_hash, full_name, role, ucfsin, "
	                "ucfsin_seq, created_at, updated_at) "
	                "SELECT gen_random_uuid(), $1, 'x', 'Test User', 'subscriber', "
	                "'CF26' || lpad(s::text, 10, '0'), s, now(), now() "
	                "FROM nextval('ucfsin_seq') AS s RETURNING id",
	                &p, &r, err);
	if (rc == CF_OK) {
		if (id)
			cf_pg_get_text(r, 0, 0, id, 37);
		PQclear(r);
	}
	return rc;
}

/* Insert a scheme; returns the status; id receives its id. */
static int insert_scheme(const char *foreman, int64_t value, int32_t n, int64_t sub, char *id,
                         cf_error *err)
{
	cf_pg_params p;
	PGresult *r = NULL;
	int rc;

	cf_pg_params_init(&p);
	cf_pg_param_text(&p, foreman);
	cf_pg_param_int64(&p, value);
	cf_pg_param_int64(&p, n);
	cf_pg_param_int64(&p, sub);
	rc = cf_pg_exec(g_c,
	                "INSERT INTO schemes (id, name, foreman_id, chit_value, member_count, "
	                "subscription, start_date, frequency, currency, commission_bps, "
	                "max_discount_bps, min_discount, bid_increment, auction_method, "
	                "lot_discount, first_prize_to_foreman, dividend_policy, dividend_timing, "
	                "gst_bps, gst_borne_by, late_fee_bps_per_month, grace_days, "
	                "rules_profile, created_at, updated_at) "
	                "VALUES (gen_random_uuid(), 'S', $1, $2::bigint, $3::int, $4::bigint, "
	                "'2026-04-01', 'monthly', 'INR', 500, 4000, 0, 10000, 'auction', 0, false, "
	                "'all_tickets', 'next_installment', 1800, 'winner', 200, 0, "
	                "'in-central-2019', now(), now()) RETURNING id",
	                &p, &r, err);
	if (rc == CF_OK) {
		if (id)
			cf_pg_get_text(r, 0, 0, id, 37);
		PQclear(r);
	}
	return rc;
}

static int insert_ticket(const char *scheme, int32_t no, const char *user, cf_error *err)
{
	cf_pg_params p;

	cf_pg_params_init(&p);
	cf_pg_param_text(&p, scheme);
	cf_pg_param_int64(&p, no);
	cf_pg_param_text(&p, user);
	return cf_pg_exec(g_c,
	                  "INSERT INTO tickets (id, scheme_id, ticket_no, user_id, created_at, "
	                  "updated_at) VALUES (gen_random_uuid(), $1, $2::int, $3, now(), now())",
	                  &p, NULL, err);
}

START_TEST(test_email_unique_case_insensitively)
{
	char u[32], email[96], upper[96], id[37];
	cf_error err = CF_ERROR_INIT;
	size_t i;

	cf_it_unique(u, sizeof u);
	snprintf(email, sizeof email, "asha.%s@example.com", u);
	ck_assert_int_eq(insert_user(email, id, &err), CF_OK);
	for (i = 0; email[i]; i++)
		upper[i] = (char)((email[i] >= 'a' && email[i] <= 'z') ? email[i] - 32 : email[i]);
	upper[i] = '\0';
	ck_assert_int_eq(insert_user(upper, NULL, &err), CF_EEXISTS);
	ck_assert_str_eq(err.field, "users_email_lower_key");
	ck_assert_int_eq(err.code, CF_EEXISTS);
}
END_TEST

START_TEST(test_money_and_parameter_checks)
{
	char u[32], email[96], foreman[37], scheme[37];
	cf_error err = CF_ERROR_INIT;

	snprintf(email, sizeof email, "foreman.%s@example.com", cf_it_unique(u, sizeof u));
	ck_assert_int_eq(insert_user(email, foreman, &err), CF_OK);
	ck_assert_int_eq(insert_scheme(foreman, 10000000, 20, 500000, scheme, &err), CF_OK);
	/* negative money refused */
	ck_assert_int_eq(insert_scheme(foreman, -10000000, 20, -500000, NULL, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "schemes_chit_value_check");
	/* V not divisible: subscription x N != V */
	ck_assert_int_eq(insert_scheme(foreman, 10000001, 20, 500000, NULL, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "schemes_subscription_exact");
	/* member count out of 2..1000 */
	ck_assert_int_eq(insert_scheme(foreman, 1001000, 1001, 1000, NULL, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "schemes_member_count_check");
	/* unknown foreman: foreign key -> not found */
	ck_assert_int_eq(insert_scheme("00000000-0000-4000-8000-000000000000", 10000000, 20, 500000,
	                               NULL, &err),
	                 CF_ENOTFOUND);
	ck_assert_str_eq(err.field, "schemes_foreman_id_fkey");
	/* an enum outside its list */
	ck_assert_int_eq(cf_it_exec(g_c, "UPDATE schemes SET frequency = 'yearly'", &err),
	                 CF_EINVALID);
	ck_assert_str_eq(err.field, "schemes_frequency_check");
	/* bigint overflow in the exactness check is an invalid value, not a crash */
	ck_assert_int_eq(insert_scheme(foreman, INT64_MAX, 1000, INT64_MAX / 1000 + 1, NULL, &err),
	                 CF_EINVALID);
}
END_TEST

START_TEST(test_ticket_number_unique_and_in_range)
{
	char u[32], email[96], a[37], b[37], foreman[37], scheme[37];
	cf_error err = CF_ERROR_INIT;

	snprintf(email, sizeof email, "f.%s@example.com", cf_it_unique(u, sizeof u));
	ck_assert_int_eq(insert_user(email, foreman, &err), CF_OK);
	snprintf(email, sizeof email, "a.%s@example.com", u);
	ck_assert_int_eq(insert_user(email, a, &err), CF_OK);
	snprintf(email, sizeof email, "b.%s@example.com", u);
	ck_assert_int_eq(insert_user(email, b, &err), CF_OK);
	ck_assert_int_eq(insert_scheme(foreman, 200000, 2, 100000, scheme, &err), CF_OK);
	ck_assert_int_eq(insert_ticket(scheme, 1, a, &err), CF_OK);
	/* one ticket number per scheme */
	ck_assert_int_eq(insert_ticket(scheme, 1, b, &err), CF_EEXISTS);
	ck_assert_str_eq(err.field, "tickets_pkey");
	/* beyond the member count */
	ck_assert_int_eq(insert_ticket(scheme, 3, b, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "tickets_ticket_no_range");
	ck_assert_int_eq(insert_ticket(scheme, 0, b, &err), CF_EINVALID);
	/* unknown user: foreign key -> not found */
	ck_assert_int_eq(insert_ticket(scheme, 2, "00000000-0000-4000-8000-000000000000", &err),
	                 CF_ENOTFOUND);
	ck_assert_str_eq(err.field, "tickets_user_id_fkey");
	ck_assert_int_eq(insert_ticket(scheme, 2, b, &err), CF_OK);
}
END_TEST

/* Append one audit row the way the adapter does (head locked, row, head moved). */
static int append_audit(const char *hash, cf_error *err)
{
	cf_pg_params p;
	int rc;

	rc = cf_pg_begin(g_c, CF_PG_READ_COMMITTED, err);
	if (rc != CF_OK)
		return rc;
	rc = cf_it_exec(g_c, "SELECT 1 FROM audit_head FOR UPDATE", err);
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, hash);
	if (rc == CF_OK)
		rc = cf_pg_exec(
		        g_c,
		        "INSERT INTO audit_log (seq, at, action, entity, summary, prev_hash, "
		        "hash) SELECT last_seq + 1, now(), 'it.test', 'test', '{}', "
		        "last_hash, $1 FROM audit_head",
		        &p, NULL, err);
	if (rc == CF_OK)
		rc = cf_pg_exec(g_c,
		                "UPDATE audit_head SET last_seq = last_seq + 1, last_hash = $1", &p,
		                NULL, err);
	if (rc == CF_OK)
		return cf_pg_commit(g_c, err);
	cf_pg_rollback(g_c);
	return rc;
}

START_TEST(test_audit_log_is_append_only)
{
	cf_error err = CF_ERROR_INIT;
	char hash[65];
	int64_t before;

	/* a hash unique to this run */
	snprintf(hash, sizeof hash, "%064lx", (unsigned long)getpid());
	ck_assert_msg(append_audit(hash, &err) == CF_OK, "%s", err.message);
	before = query_int(g_c, "SELECT count(*) FROM audit_log");
	ck_assert_int_ge(before, 1);

	ck_assert_int_eq(cf_it_exec(g_c, "UPDATE audit_log SET summary = '{\"x\":1}'", &err),
	                 CF_ERROR);
	ck_assert_ptr_nonnull(strstr(err.message, "append-only"));
	ck_assert_int_eq(cf_it_exec(g_c, "DELETE FROM audit_log", &err), CF_ERROR);
	ck_assert_ptr_nonnull(strstr(err.message, "append-only"));
	ck_assert_int_eq(cf_it_exec(g_c, "TRUNCATE audit_log", &err), CF_ERROR);
	ck_assert_ptr_nonnull(strstr(err.message, "append-only"));
	ck_assert_int_eq(cf_it_exec(g_c, "DELETE FROM audit_head", &err), CF_ERROR);
	ck_assert_int_eq(cf_it_exec(g_c, "TRUNCATE audit_head", &err), CF_ERROR);
	/* the head cannot be wound back */
	ck_assert_int_eq(cf_it_exec(g_c, "UPDATE audit_head SET last_seq = 0", &err), CF_ERROR);
	/* a row that does not follow the head is refused */
	ck_assert_int_eq(cf_it_exec(g_c,
	                            "INSERT INTO audit_log (seq, at, action, entity, summary, "
	                            "prev_hash, hash) VALUES (1000000, now(), 'x', 'y', '{}', "
	                            "repeat('0', 64), repeat('a', 64))",
	                            &err),
	                 CF_ERROR);
	ck_assert_int_eq(query_int(g_c, "SELECT count(*) FROM audit_log"), before);
	ck_assert_int_eq(query_int(g_c, "SELECT last_seq FROM audit_head"),
	                 query_int(g_c, "SELECT max(seq) FROM audit_log"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pg_schema");
	TCase *mig = tcase_create("migrations");
	TCase *con = tcase_create("constraints");

	tcase_set_timeout(mig, 120);
	tcase_add_test(mig, test_migrations_from_zero);
	tcase_add_test(mig, test_migration_changed_file_refused);
	tcase_add_test(mig, test_migration_new_file_and_failure_rollback);
	tcase_add_test(mig, test_concurrent_migrators);
	suite_add_tcase(s, mig);

	tcase_set_timeout(con, 60);
	tcase_add_checked_fixture(con, setup, teardown);
	tcase_add_test(con, test_email_unique_case_insensitively);
	tcase_add_test(con, test_money_and_parameter_checks);
	tcase_add_test(con, test_ticket_number_unique_and_in_range);
	tcase_add_test(con, test_audit_log_is_append_only);
	suite_add_tcase(s, con);
	return s;
}

int main(void)
{
	return cf_it_run("schema", suite());
}
