/*
 * test_contract_auctions_pg.c - the draw repository contract on PostgreSQL.
 * Each test opens its own pool on one migrated database made for the runner
 * (the contract's tests use ids unique to their process, so they share it).
 * Needs CF_TEST_DATABASE_URL; without it the runner FAILS.
 */
#include "contract_auctions.h"
#include "contract_pg_runner.h"

int main(void)
{
	return cf_contract_pg_main("contract_auctions_pg", "cf_cta", cf_contract_auctions_suite,
	                           NULL);
}
