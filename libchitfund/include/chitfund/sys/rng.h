/*
 * chitfund/sys/rng.h - random source port: ids (UUID v4), refresh tokens,
 * lot seeds. Production adapters must be cryptographically secure.
 */
#ifndef CHITFUND_SYS_RNG_H
#define CHITFUND_SYS_RNG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CF_RNG_VERSION 1

/** Random source port. */
typedef struct cf_rng {
	unsigned int version; /**< CF_RNG_VERSION */
	void *self;
	/** Required. Fill buf with n random bytes. CF_ERROR when the source fails. */
	int (*fill)(void *self, void *buf, size_t n);
	/* ---- end of version 1 ---- */
} cf_rng;

#ifdef __cplusplus
}
#endif
#endif
