/*
 * contract_auctions.h - the draw repository contract (chitfund/sys/
 * auction_repo.h and ledger_repo.h), run against the memory adapter
 * (test_contract_auctions_memory.c) and PostgreSQL
 * (test_contract_auctions_pg.c). The factory fills every storage port, the
 * draw ports included; each test makes its own user, scheme and tickets with
 * ids unique to its process.
 */
#ifndef CF_CONTRACT_AUCTIONS_H
#define CF_CONTRACT_AUCTIONS_H

#include <check.h>

#include "contract_suite.h"

/** The draw contract suite named `name` over factory f (borrowed). */
Suite *cf_contract_auctions_suite(const char *name, const cf_contract_factory *f);

#endif
