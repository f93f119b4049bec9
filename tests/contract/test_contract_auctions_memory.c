/* test_contract_auctions_memory.c - the draw repository contract on the memory adapter. */
#include <check.h>
#include <stdlib.h>

#include "chitfund/adapters/memory.h"
#include "chitfund/adapters/memory_auctions.h"
#include "contract_auctions.h"

typedef struct mem_handle {
	cf_memory_store *store;
	cf_memory_auctions *auctions;
} mem_handle;

static int mem_create(void *ctx, cf_ports *ports, void **out)
{
	mem_handle *h = calloc(1, sizeof *h);
	int rc;

	(void)ctx;
	if (h == NULL)
		return CF_ENOMEM;
	if ((rc = cf_memory_store_new(&h->store)) < 0 ||
	    (rc = cf_memory_auctions_new(&h->auctions)) < 0) {
		cf_memory_store_free(h->store);
		free(h);
		return rc;
	}
	cf_memory_store_ports(h->store, ports);
	cf_memory_auctions_ports(h->auctions, ports); /* last: wraps the uow */
	*out = h;
	return CF_OK;
}

static void mem_destroy(void *ctx, void *handle)
{
	mem_handle *h = handle;

	(void)ctx;
	if (h == NULL)
		return;
	cf_memory_auctions_free(h->auctions);
	cf_memory_store_free(h->store);
	free(h);
}

int main(void)
{
	static const cf_contract_factory f = {NULL, mem_create, mem_destroy};
	SRunner *sr = srunner_create(cf_contract_auctions_suite("contract_auctions_memory", &f));
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
