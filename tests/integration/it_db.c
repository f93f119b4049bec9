/* it_db.c - throwaway databases for the integration runners (see it_db.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cf_infra/pg_migrate.h"
#include "it_db.h"

static char g_dbname[64];
static long g_main_pid;

const char *cf_it_base_url(void)
{
	const char *u = getenv("CF_TEST_DATABASE_URL");

	return (u && *u) ? u : NULL;
}

char *cf_it_db_conninfo(const char *name)
{
	char *out = NULL;
	cf_error err = CF_ERROR_INIT;

	if (cf_it_base_url() == NULL)
		return NULL;
	if (cf_pg_conninfo_with_dbname(cf_it_base_url(), name, &out, &err) != CF_OK) {
		fprintf(stderr, "it_db: %s\n", err.message);
		return NULL;
	}
	return out;
}

/* Run a DDL statement on the maintenance connection; identifiers quoted by libpq. */
static int admin_ddl(PGconn *pg, const char *fmt, const char *name)
{
	char *ident = PQescapeIdentifier(pg, name, strlen(name));
	char sql[256];
	PGresult *r;
	int rc;

	if (ident == NULL)
		return CF_ENOMEM;
	snprintf(sql, sizeof sql, fmt, ident);
	PQfreemem(ident);
	r = PQexec(pg, sql);
	rc = cf_pg_check(pg, r, NULL);
	if (rc != CF_OK)
		fprintf(stderr, "it_db: %s: %s", sql, PQerrorMessage(pg));
	PQclear(r);
	return rc;
}

int cf_it_db_create(const char *name, bool migrate)
{
	cf_pg_conn *c = NULL;
	cf_error err = CF_ERROR_INIT;
	char *ci;
	int rc, applied = 0;

	if (cf_it_base_url() == NULL)
		return CF_EINVALID;
	rc = cf_pg_conn_open(cf_it_base_url(), &c, &err);
	if (rc != CF_OK) {
		fprintf(stderr, "it_db: cannot connect to CF_TEST_DATABASE_URL: %s\n", err.message);
		return rc;
	}
	rc = admin_ddl(cf_pg_conn_pg(c), "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
	if (rc == CF_OK)
		rc = admin_ddl(cf_pg_conn_pg(c), "CREATE DATABASE %s TEMPLATE template0", name);
	cf_pg_conn_close(c);
	if (rc != CF_OK || !migrate)
		return rc;
	ci = cf_it_db_conninfo(name);
	if (ci == NULL)
		return CF_ERROR;
	rc = cf_pg_conn_open(ci, &c, &err);
	free(ci);
	if (rc == CF_OK) {
		rc = cf_pg_migrate(c, cf_pg_migrations_dir(), &applied, &err);
		cf_pg_conn_close(c);
	}
	if (rc != CF_OK)
		fprintf(stderr, "it_db: migrating %s: %s (%s)\n", name, err.message, err.field);
	return rc;
}

void cf_it_db_drop(const char *name)
{
	cf_pg_conn *c = NULL;
	cf_error err = CF_ERROR_INIT;

	if (cf_it_base_url() == NULL || cf_pg_conn_open(cf_it_base_url(), &c, &err) != CF_OK)
		return;
	admin_ddl(cf_pg_conn_pg(c), "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
	cf_pg_conn_close(c);
}

void cf_it_drop_leftovers(void)
{
	cf_pg_conn *c = NULL;
	cf_pg_params p;
	PGresult *r = NULL;
	char prefix[64];
	int i;

	if (cf_it_base_url() == NULL || cf_pg_conn_open(cf_it_base_url(), &c, NULL) != CF_OK)
		return;
	snprintf(prefix, sizeof prefix, "cf\\_it\\_mz\\_%ld\\_%%", g_main_pid);
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, prefix);
	if (cf_pg_exec(c, "SELECT datname FROM pg_database WHERE datname LIKE $1", &p, &r, NULL) !=
	    CF_OK) {
		cf_pg_conn_close(c);
		return;
	}
	cf_pg_conn_close(c);
	for (i = 0; i < PQntuples(r); i++)
		cf_it_db_drop(PQgetvalue(r, i, 0));
	PQclear(r);
}

long cf_it_main_pid(void)
{
	return g_main_pid;
}

START_TEST(test_database_url_is_set)
{
	ck_abort_msg("CF_TEST_DATABASE_URL is not set: integration tests need PostgreSQL "
	             "(run them with scripts/run-tests integration)");
}
END_TEST

int cf_it_run(const char *tag, Suite *s)
{
	SRunner *sr;
	int failed;

	g_main_pid = (long)getpid();
	if (cf_it_base_url() == NULL) {
		Suite *none = suite_create("no-database");
		TCase *tc = tcase_create("environment");

		tcase_add_test(tc, test_database_url_is_set);
		suite_add_tcase(none, tc);
		sr = srunner_create(none);
		srunner_run_all(sr, CK_NORMAL);
		srunner_free(sr);
		srunner_free(srunner_create(s)); /* frees s */
		return 1;
	}
	snprintf(g_dbname, sizeof g_dbname, "cf_it_%s_%ld", tag, g_main_pid);
	if (cf_it_db_create(g_dbname, true) != CF_OK) {
		fprintf(stderr, "it_db: cannot create database %s\n", g_dbname);
		srunner_free(srunner_create(s)); /* frees s */
		printf("0%%: Checks: 1, Failures: 0, Errors: 1\n");
		return 1;
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	cf_it_drop_leftovers();
	cf_it_db_drop(g_dbname);
	return failed == 0 ? 0 : 1;
}

const char *cf_it_dbname(void)
{
	return g_dbname;
}

cf_pg_pool *cf_it_pool(int size, int wait_ms)
{
	cf_pg_pool_config cfg;
	cf_pg_pool *p = NULL;
	cf_error err = CF_ERROR_INIT;
	char *ci = cf_it_db_conninfo(g_dbname);
	int rc;

	ck_assert_ptr_nonnull(ci);
	memset(&cfg, 0, sizeof cfg);
	cfg.conninfo = ci;
	cfg.size = size;
	cfg.wait_ms = wait_ms;
	rc = cf_pg_pool_open(&p, &cfg, &err);
	free(ci);
	ck_assert_msg(rc == CF_OK, "pool: %s", err.message);
	return p;
}

int cf_it_exec(cf_pg_conn *c, const char *sql, cf_error *err)
{
	return cf_pg_exec(c, sql, NULL, NULL, err);
}

const char *cf_it_unique(char *buf, size_t cap)
{
	static unsigned long counter;

	snprintf(buf, cap, "%ldx%lu", (long)getpid(), ++counter);
	return buf;
}
