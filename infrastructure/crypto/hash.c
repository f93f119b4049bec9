/*
 * hash.c - FNV-1a for in-memory tables (see cf_infra/hash.h).
 */
#include "cf_infra/hash.h"

uint64_t cf_fnv1a(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}
