/* version.c - runtime version query. */
#include "chitfund/version.h"

const char *cf_version(void)
{
	return CF_VERSION_STRING;
}
