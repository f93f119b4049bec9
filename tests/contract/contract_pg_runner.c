/*
 * contract_pg_runner.c - shared main() of the PostgreSQL contract runners
 * (see contract_pg_runner.h).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cf_infra/pg.h"
#include "cf_infra/pg_migrate.h"
#include "contract_pg_runner.h"

static char g_db[64];
static const char *g_name = "contract_pg";
static cf_contract_pg_ports_fn g_extra_ports;

static const char *base_url(void)
{
	const char *u = getenv("CF_TEST_DATABASE_URL");

	return (u && *u) ? u : NULL;
}

/* DDL on the runner's database name (an identifier: quoted by libpq). */
static int ddl(const char *fmt)
{
	cf_pg_conn *c = NULL;
	char *q, sql[256];
	PGresult *r;
	int rc;

	if (base_url() == NULL || cf_pg_conn_open(base_url(), &c, NULL) != CF_OK)
		return CF_EUNAVAILABLE;
	q = PQescapeIdentifier(cf_pg_conn_pg(c), g_db, strlen(g_db));
	if (q == NULL) {
		cf_pg_conn_close(c);
		return CF_ENOMEM;
	}
	snprintf(sql, sizeof sql, fmt, q);
	r = PQexec(cf_pg_conn_pg(c), sql);
	rc = cf_pg_check(cf_pg_conn_pg(c), r, NULL);
	if (rc != CF_OK)
		fprintf(stderr, "%s: %s: %s", g_name, sql, PQerrorMessage(cf_pg_conn_pg(c)));
	PQclear(r);
	PQfreemem(q);
	cf_pg_conn_close(c);
	return rc;
}

static int make_db(void)
{
	cf_pg_conn *c = NULL;
	cf_error err = CF_ERROR_INIT;
	char *ci = NULL;
	int rc, applied = 0;

	rc = ddl("DROP DATABASE IF EXISTS %s WITH (FORCE)");
	if (rc == CF_OK)
		rc = ddl("CREATE DATABASE %s TEMPLATE template0");
	if (rc == CF_OK)
		rc = cf_pg_conninfo_with_dbname(base_url(), g_db, &ci, &err);
	if (rc == CF_OK)
		rc = cf_pg_conn_open(ci, &c, &err);
	if (rc == CF_OK) {
		rc = cf_pg_migrate(c, cf_pg_migrations_dir(), &applied, &err);
		cf_pg_conn_close(c);
	}
	free(ci);
	if (rc != CF_OK)
		fprintf(stderr, "%s: %s: %s\n", g_name, g_db, err.message);
	return rc;
}

typedef struct pg_handle {
	cf_pg_pool *pool;
	cf_pg_store *store;
} pg_handle;

static int pg_create(void *ctx, cf_ports *ports, void **out)
{
	pg_handle *h = calloc(1, sizeof *h);
	cf_pg_pool_config cfg;
	char *ci = NULL;
	int rc;

	(void)ctx;
	if (h == NULL)
		return CF_ENOMEM;
	rc = cf_pg_conninfo_with_dbname(base_url(), g_db, &ci, NULL);
	if (rc == CF_OK) {
		memset(&cfg, 0, sizeof cfg);
		cfg.conninfo = ci;
		cfg.size = 2;
		cfg.wait_ms = 5000;
		rc = cf_pg_pool_open(&h->pool, &cfg, NULL);
	}
	free(ci);
	if (rc == CF_OK)
		rc = cf_pg_store_new(&h->store, h->pool);
	if (rc != CF_OK) {
		cf_pg_pool_close(h->pool);
		free(h);
		return rc;
	}
	cf_pg_store_ports(h->store, ports);
	if (g_extra_ports != NULL)
		g_extra_ports(h->store, ports);
	*out = h;
	return CF_OK;
}

static void pg_destroy(void *ctx, void *handle)
{
	pg_handle *h = handle;

	(void)ctx;
	if (h == NULL)
		return;
	cf_pg_store_free(h->store);
	cf_pg_pool_close(h->pool);
	free(h);
}

START_TEST(test_database_url_is_set)
{
	ck_abort_msg("CF_TEST_DATABASE_URL is not set (run scripts/run-tests contract)");
}
END_TEST

int cf_contract_pg_main(const char *name, const char *db_prefix, cf_contract_suite_fn build,
                        cf_contract_pg_ports_fn extra_ports)
{
	static const cf_contract_factory f = {NULL, pg_create, pg_destroy};
	SRunner *sr;
	Suite *s;
	int failed;

	g_name = name;
	g_extra_ports = extra_ports;
	snprintf(g_db, sizeof g_db, "%s_%ld", db_prefix, (long)getpid());
	if (base_url() == NULL) {
		TCase *tc = tcase_create("environment");

		s = suite_create(name);
		tcase_add_test(tc, test_database_url_is_set);
		suite_add_tcase(s, tc);
	} else if (make_db() != CF_OK) {
		printf("0%%: Checks: 1, Failures: 0, Errors: 1\n");
		return EXIT_FAILURE;
	} else {
		s = build(name, &f);
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (base_url() != NULL)
		ddl("DROP DATABASE IF EXISTS %s WITH (FORCE)");
	return (failed == 0 && base_url() != NULL) ? EXIT_SUCCESS : EXIT_FAILURE;
}
