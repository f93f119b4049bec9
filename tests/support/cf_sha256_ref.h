/*
 * cf_sha256_ref.h - a small SHA-256 (FIPS 180-4) for unit tests, so tests of
 * the verifiable lot need no OpenSSL. Not constant-time; tests only.
 */
#ifndef CF_SHA256_REF_H
#define CF_SHA256_REF_H

#include <stddef.h>
#include <stdint.h>

/**
 * SHA-256 of data[0..len) into out. Matches cf_digest_fn (chitfund/domain/lot.h).
 * data may be NULL when len is 0.
 */
void cf_test_sha256(const void *data, size_t len, uint8_t out[32]);

#endif
