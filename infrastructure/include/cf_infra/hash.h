/*
 * cf_infra/hash.h - a fast non-cryptographic hash for in-memory tables
 * (prepared-statement sets, caches, rate-limit buckets). Not for anything
 * an attacker must not be able to collide: use cf_sha256 (crypto.h) there.
 */
#ifndef CF_INFRA_HASH_H
#define CF_INFRA_HASH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** FNV-1a (64-bit) over the n bytes at data. */
uint64_t cf_fnv1a(const void *data, size_t n);

#ifdef __cplusplus
}
#endif
#endif
