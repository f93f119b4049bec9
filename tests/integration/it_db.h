/*
 * it_db.h - helpers shared by the integration runners (tests/integration):
 * a throwaway database per runner on the cluster named by
 * CF_TEST_DATABASE_URL, created in main() before srunner_run_all (no libpq
 * connection crosses fork: fixtures connect in the child).
 */
#ifndef CF_IT_DB_H
#define CF_IT_DB_H

#include <stdbool.h>

#include <check.h>

#include "cf_infra/pg.h"

#ifdef __cplusplus
extern "C" {
#endif

/** CF_TEST_DATABASE_URL, or NULL when unset or empty. */
const char *cf_it_base_url(void);

/**
 * Create database `name` (dropped first if it exists) from template0 and,
 * when `migrate`, apply migrations/ to it. Returns CF_OK or prints why to
 * stderr and returns the failing status.
 */
int cf_it_db_create(const char *name, bool migrate);

/** Drop database `name` (WITH FORCE). Errors are printed, not returned. */
void cf_it_db_drop(const char *name);

/** Connection string for database `name` (malloc'd; free() it). NULL on error. */
char *cf_it_db_conninfo(const char *name);

/**
 * A runner's main(): when CF_TEST_DATABASE_URL is unset, runs a suite whose
 * one test fails saying so (the runner FAILS, it does not skip). Otherwise
 * creates database "cf_it_<tag>_<pid>" (migrated), stores its name for
 * cf_it_dbname(), runs suite `s` (CK_NORMAL), drops the database and returns
 * the exit status (0 when every test passed).
 */
int cf_it_run(const char *tag, Suite *s);

/** The runner's database name (valid inside tests run by cf_it_run). */
const char *cf_it_dbname(void);

/** A new pool on the runner's database (size, wait_ms); aborts the test on error. */
cf_pg_pool *cf_it_pool(int size, int wait_ms);

/** Run SQL without parameters on a pooled connection; returns the mapped status. */
int cf_it_exec(cf_pg_conn *c, const char *sql, cf_error *err);

/** The runner's main() process id (also inside forked tests). */
long cf_it_main_pid(void);

/**
 * Drop every database named cf_it_mz_<main pid>_<...> (extra databases of
 * this runner's tests; a failed test exits before its clean-up).
 */
void cf_it_drop_leftovers(void);

/** A process-unique token for test data (emails, names): "<pid>x<counter>". */
const char *cf_it_unique(char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
