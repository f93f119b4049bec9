/*
 * test_contract_money_pg.c - the money repository contract on PostgreSQL.
 * Each test opens its own pool on one migrated database made for the runner
 * (the contract's tests use ids unique to their process, so they share it).
 * Needs CF_TEST_DATABASE_URL; without it the runner FAILS.
 */
#include "chitfund/adapters/postgres_money.h"
#include "contract_money.h"
#include "contract_pg_runner.h"

int main(void)
{
	return cf_contract_pg_main("contract_money_pg", "cf_ctm", cf_contract_money_suite,
	                           cf_pg_money_ports);
}
