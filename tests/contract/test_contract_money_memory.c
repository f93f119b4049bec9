/* test_contract_money_memory.c - the money repository contract on the memory adapter. */
#include <check.h>
#include <stdlib.h>

#include "chitfund/adapters/memory.h"
#include "chitfund/adapters/memory_money.h"
#include "contract_money.h"

typedef struct mem_handle {
	cf_memory_store *store;
	cf_memory_money *money;
} mem_handle;

static int mem_create(void *ctx, cf_ports *ports, void **out)
{
	mem_handle *h = calloc(1, sizeof *h);

	(void)ctx;
	if (h == NULL)
		return CF_ENOMEM;
	if (cf_memory_store_new(&h->store) < 0 || cf_memory_money_new(&h->money) < 0) {
		cf_memory_store_free(h->store);
		free(h);
		return CF_ENOMEM;
	}
	cf_memory_store_ports(h->store, ports);
	cf_memory_money_ports(h->money, ports);
	*out = h;
	return CF_OK;
}

static void mem_destroy(void *ctx, void *handle)
{
	mem_handle *h = handle;

	(void)ctx;
	if (h == NULL)
		return;
	cf_memory_money_free(h->money);
	cf_memory_store_free(h->store);
	free(h);
}

int main(void)
{
	static const cf_contract_factory f = {NULL, mem_create, mem_destroy};
	SRunner *sr = srunner_create(cf_contract_money_suite("contract_money_memory", &f));
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
