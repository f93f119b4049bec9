/*
 * contract_suite.h - one repository contract suite, run against every
 * storage adapter (memory in test_contract_memory.c, postgres in
 * test_contract_pg.c). A factory makes a fresh, empty set of storage ports
 * for each test.
 */
#ifndef CF_CONTRACT_SUITE_H
#define CF_CONTRACT_SUITE_H

#include <check.h>

#include "chitfund/sys/ports.h"

/** Makes and destroys a fresh store for each test. */
typedef struct cf_contract_factory {
	void *ctx; /**< passed back to create/destroy */
	/**
	 * Fill the storage members of *ports (uow and every repository) over a
	 * fresh, EMPTY store; *handle is passed to destroy. Return CF_OK.
	 */
	int (*create)(void *ctx, cf_ports *ports, void **handle);
	/** Destroy what create made. */
	void (*destroy)(void *ctx, void *handle);
} cf_contract_factory;

/**
 * The contract suite named `name` over factory f (borrowed; must outlive the
 * run). Only one contract suite may run per process.
 */
Suite *cf_contract_suite(const char *name, const cf_contract_factory *f);

#endif
