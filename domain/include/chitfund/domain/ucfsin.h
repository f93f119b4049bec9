/*
 * chitfund/domain/ucfsin.h - Unique Chit Fund Subscriber Identification Number.
 *
 * A UCFSIN is 14 ASCII characters: "CF", the two-digit registration year,
 * an 8-digit sequence number (1..99999999) and two ISO 7064 MOD 97-10 check
 * digits. With D = year * 10^8 + sequence, the check is 98 - (D * 100 mod 97),
 * and a UCFSIN is valid when (D * 100 + check) mod 97 == 1.
 * Example: year 26, sequence 123 -> "CF260000012307".
 */
#ifndef CHITFUND_DOMAIN_UCFSIN_H
#define CHITFUND_DOMAIN_UCFSIN_H

#include <stddef.h>
#include <stdint.h>

#include "chitfund/domain/errcode.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Characters in a UCFSIN (without the terminating NUL). */
#define CF_UCFSIN_LEN 14
/** Largest sequence number a UCFSIN can carry. */
#define CF_UCFSIN_SEQ_MAX INT64_C(99999999)

/**
 * Build the UCFSIN for registration year `year2` (0..99) and sequence `seq`
 * (1..CF_UCFSIN_SEQ_MAX) into the caller's `out`: 14 characters plus a NUL.
 * CF_EINVALID when an input is out of range or out is NULL.
 */
int cf_ucfsin_make(int32_t year2, int64_t seq, char out[15]);

/**
 * Check the `len` bytes at s (no NUL needed): CF_OK when they are a valid
 * UCFSIN; CF_EINVALID for a wrong length, a prefix other than "CF", a
 * non-digit, sequence 0, or wrong check digits.
 */
int cf_ucfsin_validate(const char *s, size_t len);

/**
 * Validate like cf_ucfsin_validate and, when valid, store the year (0..99)
 * and the sequence number through year2 and seq (either may be NULL).
 * CF_EINVALID otherwise (outputs untouched).
 */
int cf_ucfsin_parse(const char *s, size_t len, int32_t *year2, int64_t *seq);

#ifdef __cplusplus
}
#endif
#endif
