/*
 * test_contract_pg.c - the repository contract suite (contract_suite.c) on
 * the postgres adapter.
 *
 * Every test needs a fresh, EMPTY store (the UCFSIN sequence starts at 1,
 * the audit chain at seq 0). The audit table refuses TRUNCATE and DELETE, so
 * instead of emptying tables each test gets its own database: main() makes
 * one migrated template database per runner (before srunner_run_all: no
 * libpq connection crosses fork), and the factory, running in the test's
 * process, clones it with CREATE DATABASE ... TEMPLATE and drops it after.
 * Nothing disables the audit triggers.
 *
 * Needs CF_TEST_DATABASE_URL (scripts/run-tests contract sets it); without
 * it the runner FAILS.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cf_infra/pg.h"
#include "cf_infra/pg_migrate.h"
#include "chitfund/adapters/postgres.h"
#include "contract_suite.h"

static char g_template[64];
static long g_main_pid; /* names every database of this runner */

static const char *base_url(void)
{
	const char *u = getenv("CF_TEST_DATABASE_URL");

	return (u && *u) ? u : NULL;
}

/*
 * DDL on a database name (identifiers cannot be statement parameters; the
 * name is quoted by libpq). `fmt` has one or two %s for quoted names.
 */
static int ddl(const char *fmt, const char *a, const char *b)
{
	cf_pg_conn *c = NULL;
	char *qa = NULL, *qb = NULL, sql[320];
	PGresult *r;
	PGconn *pg;
	int rc;

	if (base_url() == NULL || cf_pg_conn_open(base_url(), &c, NULL) != CF_OK)
		return CF_EUNAVAILABLE;
	pg = cf_pg_conn_pg(c);
	qa = PQescapeIdentifier(pg, a, strlen(a));
	if (b)
		qb = PQescapeIdentifier(pg, b, strlen(b));
	if (qa == NULL || (b && qb == NULL)) {
		rc = CF_ENOMEM;
	} else {
		snprintf(sql, sizeof sql, fmt, qa, qb ? qb : "");
		r = PQexec(pg, sql);
		rc = cf_pg_check(pg, r, NULL);
		if (rc != CF_OK)
			fprintf(stderr, "contract_pg: %s: %s", sql, PQerrorMessage(pg));
		PQclear(r);
	}
	PQfreemem(qa);
	PQfreemem(qb);
	cf_pg_conn_close(c);
	return rc;
}

/*
 * Drop every database of this runner that is left over (a failed test exits
 * its process before teardown).
 */
static void drop_leftovers(void)
{
	cf_pg_conn *c = NULL;
	cf_pg_params p;
	PGresult *r = NULL;
	char prefix[64];
	int i;

	if (base_url() == NULL || cf_pg_conn_open(base_url(), &c, NULL) != CF_OK)
		return;
	snprintf(prefix, sizeof prefix, "cf\\_ct\\_%ld\\_%%", g_main_pid);
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, prefix);
	if (cf_pg_exec(c, "SELECT datname FROM pg_database WHERE datname LIKE $1", &p, &r, NULL) !=
	    CF_OK) {
		cf_pg_conn_close(c);
		return;
	}
	cf_pg_conn_close(c);
	for (i = 0; i < PQntuples(r); i++)
		ddl("DROP DATABASE IF EXISTS %s WITH (FORCE)", PQgetvalue(r, i, 0), NULL);
	PQclear(r);
}

static int make_template(void)
{
	cf_pg_conn *c = NULL;
	cf_error err = CF_ERROR_INIT;
	char *ci = NULL;
	int rc, applied = 0;

	snprintf(g_template, sizeof g_template, "cf_ct_tmpl_%ld", g_main_pid);
	rc = ddl("DROP DATABASE IF EXISTS %s WITH (FORCE)", g_template, NULL);
	if (rc == CF_OK)
		rc = ddl("CREATE DATABASE %s TEMPLATE template0", g_template, NULL);
	if (rc == CF_OK)
		rc = cf_pg_conninfo_with_dbname(base_url(), g_template, &ci, &err);
	if (rc == CF_OK)
		rc = cf_pg_conn_open(ci, &c, &err);
	if (rc == CF_OK) {
		rc = cf_pg_migrate(c, cf_pg_migrations_dir(), &applied, &err);
		cf_pg_conn_close(c);
	}
	free(ci);
	if (rc != CF_OK)
		fprintf(stderr, "contract_pg: template %s: %s\n", g_template, err.message);
	return rc;
}

/* One test's store: its database, pool and adapter. */
typedef struct pg_handle {
	char db[64];
	cf_pg_pool *pool;
	cf_pg_store *store;
} pg_handle;

static int pg_create(void *ctx, cf_ports *ports, void **out)
{
	static int n;
	pg_handle *h = calloc(1, sizeof *h);
	cf_pg_pool_config cfg;
	char *ci = NULL;
	int rc;

	(void)ctx;
	if (h == NULL)
		return CF_ENOMEM;
	snprintf(h->db, sizeof h->db, "cf_ct_%ld_%ld_%d", g_main_pid, (long)getpid(), ++n);
	rc = ddl("DROP DATABASE IF EXISTS %s WITH (FORCE)", h->db, NULL);
	if (rc == CF_OK)
		rc = ddl("CREATE DATABASE %s TEMPLATE %s", h->db, g_template);
	if (rc == CF_OK)
		rc = cf_pg_conninfo_with_dbname(base_url(), h->db, &ci, NULL);
	if (rc == CF_OK) {
		memset(&cfg, 0, sizeof cfg);
		cfg.conninfo = ci;
		cfg.size = 4;
		cfg.wait_ms = 5000;
		rc = cf_pg_pool_open(&h->pool, &cfg, NULL);
	}
	free(ci);
	if (rc == CF_OK)
		rc = cf_pg_store_new(&h->store, h->pool);
	if (rc != CF_OK) {
		cf_pg_pool_close(h->pool);
		ddl("DROP DATABASE IF EXISTS %s WITH (FORCE)", h->db, NULL);
		free(h);
		return rc;
	}
	cf_pg_store_ports(h->store, ports);
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
	ddl("DROP DATABASE IF EXISTS %s WITH (FORCE)", h->db, NULL);
	free(h);
}

START_TEST(test_database_url_is_set)
{
	ck_abort_msg("CF_TEST_DATABASE_URL is not set: the postgres contract suite needs "
	             "PostgreSQL (run it with scripts/run-tests contract)");
}
END_TEST

int main(void)
{
	static const cf_contract_factory f = {NULL, pg_create, pg_destroy};
	SRunner *sr;
	Suite *s;
	int failed;

	g_main_pid = (long)getpid();
	if (base_url() == NULL) {
		TCase *tc = tcase_create("environment");

		s = suite_create("contract_pg");
		tcase_add_test(tc, test_database_url_is_set);
		suite_add_tcase(s, tc);
	} else if (make_template() != CF_OK) {
		printf("0%%: Checks: 1, Failures: 0, Errors: 1\n");
		return EXIT_FAILURE;
	} else {
		s = cf_contract_suite("contract_pg", &f);
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (base_url() != NULL) {
		drop_leftovers();
		ddl("DROP DATABASE IF EXISTS %s WITH (FORCE)", g_template, NULL);
	}
	return (failed == 0 && base_url() != NULL) ? EXIT_SUCCESS : EXIT_FAILURE;
}
