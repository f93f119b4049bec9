/* test_contract_memory.c - the repository contract suite on the memory adapter. */
#include <check.h>
#include <stdlib.h>

#include "chitfund/adapters/memory.h"
#include "contract_suite.h"

static int mem_create(void *ctx, cf_ports *ports, void **handle)
{
	cf_memory_store *s = NULL;
	int rc = cf_memory_store_new(&s);

	(void)ctx;
	if (rc < 0)
		return rc;
	cf_memory_store_ports(s, ports);
	*handle = s;
	return 0;
}

static void mem_destroy(void *ctx, void *handle)
{
	(void)ctx;
	cf_memory_store_free(handle);
}

int main(void)
{
	static const cf_contract_factory f = {NULL, mem_create, mem_destroy};
	SRunner *sr = srunner_create(cf_contract_suite("contract_memory", &f));
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
