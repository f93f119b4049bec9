/*
 * chitfund/domain/money.h - exact money in minor units (paise for INR).
 *
 * cf_money wraps an int64_t so that counts and money cannot be mixed by
 * accident. Every operation that can overflow is checked and returns
 * CF_EOVERFLOW instead of wrapping; every division takes an explicit
 * rounding mode. Rates are integer basis points (1% = 100 bps).
 */
#ifndef CHITFUND_DOMAIN_MONEY_H
#define CHITFUND_DOMAIN_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "chitfund/domain/errcode.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An amount of money in minor units (paise). May be negative (credits). */
typedef struct cf_money {
	int64_t minor;
} cf_money;

/** How a division that does not come out even is rounded. */
typedef enum cf_rounding {
	CF_ROUND_DOWN = 0,      /**< toward negative infinity (floor) */
	CF_ROUND_HALF_UP = 1,   /**< nearest; halves away from zero */
	CF_ROUND_HALF_EVEN = 2, /**< nearest; halves to the even neighbour */
	CF_ROUND_UP = 3         /**< toward positive infinity (ceiling) */
} cf_rounding;

/** Make a cf_money from a count of minor units. */
static inline cf_money cf_money_of(int64_t minor)
{
	cf_money m;
	m.minor = minor;
	return m;
}

/** *out = a + b. CF_EOVERFLOW (and *out untouched) when it does not fit. */
int cf_money_add(cf_money a, cf_money b, cf_money *out);
/** *out = a - b. CF_EOVERFLOW when it does not fit. */
int cf_money_sub(cf_money a, cf_money b, cf_money *out);
/** *out = a * k for an integer count k. CF_EOVERFLOW when it does not fit. */
int cf_money_mul(cf_money a, int64_t k, cf_money *out);
/**
 * *out = a * bps / 10000 rounded as `r`, computed with a 128-bit
 * intermediate. CF_EOVERFLOW when the result does not fit in int64.
 */
int cf_money_mul_bps(cf_money a, int64_t bps, cf_rounding r, cf_money *out);
/**
 * *out = a * num / den rounded as `r` (128-bit intermediate). den must be
 * > 0 (CF_EINVALID otherwise).
 */
int cf_money_muldiv(cf_money a, int64_t num, int64_t den, cf_rounding r, cf_money *out);
/**
 * Split `total` into n equal shares: *share = floor(total / n) and
 * *rem = total - n * share, so n * share + rem == total and 0 <= rem < n
 * for total >= 0. CF_EINVALID when n <= 0.
 */
int cf_money_split(cf_money total, int64_t n, cf_money *share, cf_money *rem);
/** -1, 0 or 1 as a is less than, equal to or greater than b. */
int cf_money_cmp(cf_money a, cf_money b);

/** Formatting styles for cf_money_format. */
typedef enum cf_money_style {
	CF_MONEY_PLAIN = 0, /**< "100000.00", "-5.50" */
	CF_MONEY_INDIAN = 1 /**< "1,00,000.00" (lakh/crore grouping) */
} cf_money_style;

/**
 * Parse rupees text ("1234.56", "-0.5", "1,00,000.00" when grouped commas
 * are well placed) of `len` bytes. More than two decimals, stray characters
 * or an empty string: CF_EINVALID; too large: CF_EOVERFLOW.
 */
int cf_money_parse(const char *s, size_t len, cf_money *out);
/**
 * Format into buf (NUL-terminated). CF_EBUFFER when cap is too small; 32
 * bytes always suffice.
 */
int cf_money_format(cf_money m, cf_money_style style, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
