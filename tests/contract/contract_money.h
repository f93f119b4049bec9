/*
 * contract_money.h - the money repository contract (chitfund/sys/money_repo.h
 * and the overdue source), run against the memory adapter
 * (test_contract_money_memory.c) and PostgreSQL (test_contract_money_pg.c).
 *
 * The factory fills every storage port, money included. The store need not
 * be empty: each test makes its own users, scheme and tickets with ids
 * unique to its process.
 */
#ifndef CF_CONTRACT_MONEY_H
#define CF_CONTRACT_MONEY_H

#include <check.h>

#include "contract_suite.h"

/** The money contract suite named `name` over factory f (borrowed). */
Suite *cf_contract_money_suite(const char *name, const cf_contract_factory *f);

#endif
