/*
 * contract_pg_runner.h - the main() of a contract runner on PostgreSQL.
 *
 * Makes one migrated database for the runner (before Check forks), gives each
 * test a fresh pool and store on it through a cf_contract_factory, runs the
 * suite, and drops the database. Without CF_TEST_DATABASE_URL the runner FAILS
 * (a missing database never passes silently).
 */
#ifndef CF_CONTRACT_PG_RUNNER_H
#define CF_CONTRACT_PG_RUNNER_H

#include <check.h>

#include "chitfund/adapters/postgres.h"
#include "contract_suite.h"

/** Builds the suite to run over a factory (cf_contract_money_suite ...). */
typedef Suite *(*cf_contract_suite_fn)(const char *name, const cf_contract_factory *f);
/** Fills ports beyond cf_pg_store_ports (e.g. cf_pg_money_ports); may be NULL. */
typedef void (*cf_contract_pg_ports_fn)(cf_pg_store *store, cf_ports *ports);

/**
 * Run `build(name, factory)` on a database named `db_prefix` + pid. Returns the
 * process exit status (EXIT_SUCCESS only when every test passed on a real database).
 */
int cf_contract_pg_main(const char *name, const char *db_prefix, cf_contract_suite_fn build,
                        cf_contract_pg_ports_fn extra_ports);

#endif
