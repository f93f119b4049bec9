/*
 * chitfund/sys/digest.h - SHA-256 port (audit chain, refresh-token hashes,
 * lot commitments).
 */
#ifndef CHITFUND_SYS_DIGEST_H
#define CHITFUND_SYS_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CF_DIGEST_VERSION 1

/** Digest port. */
typedef struct cf_digest {
	unsigned int version; /**< CF_DIGEST_VERSION */
	void *self;
	/** Required. out = SHA-256 of the len bytes at data. CF_ERROR. */
	int (*sha256)(void *self, const void *data, size_t len, uint8_t out[32]);
	/* ---- end of version 1 ---- */
} cf_digest;

#ifdef __cplusplus
}
#endif
#endif
