/*
 * money.c - checked arithmetic, rounding, parsing and formatting of cf_money.
 *
 * Every intermediate that could exceed 64 bits is computed in a 128-bit
 * integer; results are range-checked before they are narrowed, so nothing
 * ever wraps.
 */
#include "chitfund/domain/money.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

int cf_money_add(cf_money a, cf_money b, cf_money *out)
{
	int64_t r;
	if (out == NULL)
		return CF_EINVALID;
	if (__builtin_add_overflow(a.minor, b.minor, &r))
		return CF_EOVERFLOW;
	out->minor = r;
	return CF_OK;
}

int cf_money_sub(cf_money a, cf_money b, cf_money *out)
{
	int64_t r;
	if (out == NULL)
		return CF_EINVALID;
	if (__builtin_sub_overflow(a.minor, b.minor, &r))
		return CF_EOVERFLOW;
	out->minor = r;
	return CF_OK;
}

int cf_money_mul(cf_money a, int64_t k, cf_money *out)
{
	int64_t r;
	if (out == NULL)
		return CF_EINVALID;
	if (__builtin_mul_overflow(a.minor, k, &r))
		return CF_EOVERFLOW;
	out->minor = r;
	return CF_OK;
}

/*
 * Divide p by den (> 0) with rounding mode r. The quotient is first taken
 * toward negative infinity so that the remainder is in [0, den); each mode is
 * then a decision on whether to add one.
 */
static int div_round(i128 p, i128 den, cf_rounding r, i128 *q_out)
{
	i128 q = p / den;
	i128 rem = p % den;
	bool up = false;

	if (rem < 0) { /* C truncates toward zero; move to the floor */
		q -= 1;
		rem += den;
	}
	switch (r) {
	case CF_ROUND_DOWN: up = false; break;
	case CF_ROUND_UP: up = rem != 0; break;
	case CF_ROUND_HALF_UP:
		/* above half: up; exactly half: away from zero, i.e. up only if positive */
		up = 2 * rem > den || (2 * rem == den && p > 0);
		break;
	case CF_ROUND_HALF_EVEN: up = 2 * rem > den || (2 * rem == den && (q & 1) != 0); break;
	default: return CF_EINVALID;
	}
	*q_out = up ? q + 1 : q;
	return CF_OK;
}

static bool fits_i64(i128 v)
{
	return v >= (i128)INT64_MIN && v <= (i128)INT64_MAX;
}

int cf_money_muldiv(cf_money a, int64_t num, int64_t den, cf_rounding r, cf_money *out)
{
	i128 q;
	int rc;

	if (out == NULL || den <= 0)
		return CF_EINVALID;
	/* |a * num| <= 2^126: always representable in 128 bits */
	rc = div_round((i128)a.minor * (i128)num, (i128)den, r, &q);
	if (rc != CF_OK)
		return rc;
	if (!fits_i64(q))
		return CF_EOVERFLOW;
	out->minor = (int64_t)q;
	return CF_OK;
}

int cf_money_mul_bps(cf_money a, int64_t bps, cf_rounding r, cf_money *out)
{
	return cf_money_muldiv(a, bps, 10000, r, out);
}

int cf_money_split(cf_money total, int64_t n, cf_money *share, cf_money *rem)
{
	i128 q;

	if (share == NULL || rem == NULL || n <= 0)
		return CF_EINVALID;
	(void)div_round((i128)total.minor, (i128)n, CF_ROUND_DOWN, &q);
	/* floor(total / n) lies between total and 0 or one below: fits */
	share->minor = (int64_t)q;
	rem->minor = (int64_t)((i128)total.minor - (i128)n * q);
	return CF_OK;
}

int cf_money_cmp(cf_money a, cf_money b)
{
	return (a.minor > b.minor) - (a.minor < b.minor);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Grouped integer part, Indian style: a head of one or two digits (no
 * leading zero), then any number of two-digit groups, then one final
 * three-digit group: "1,000", "12,34,567". Returns true when s[0..len) is
 * exactly that.
 */
static bool indian_grouping_ok(const char *s, size_t len)
{
	size_t i = 0, head = 0, groups = 0;

	while (i < len && is_digit(s[i])) {
		head++;
		i++;
	}
	if (head < 1 || head > 2 || s[0] == '0')
		return false;
	while (i < len) {
		size_t run = 0;
		if (s[i] != ',')
			return false;
		i++;
		while (i < len && is_digit(s[i])) {
			run++;
			i++;
		}
		groups++;
		if (i == len) {
			if (run != 3)
				return false;
		} else if (run != 2) {
			return false;
		}
	}
	return groups >= 1;
}

int cf_money_parse(const char *s, size_t len, cf_money *out)
{
	bool neg = false, too_big = false;
	size_t i = 0, int_end, frac_digits = 0;
	u128 mag = 0;
	const u128 limit = (u128)1 << 64; /* stop growing once clearly too big */

	if (s == NULL || out == NULL || len == 0)
		return CF_EINVALID;
	if (s[0] == '-') {
		neg = true;
		i = 1;
	}
	/* integer part: digits and commas up to '.' or the end */
	int_end = i;
	while (int_end < len && (is_digit(s[int_end]) || s[int_end] == ','))
		int_end++;
	if (int_end == i)
		return CF_EINVALID; /* "", "-", ".5", "+1", " 1" ... */
	if (memchr(s + i, ',', int_end - i) != NULL) {
		if (!indian_grouping_ok(s + i, int_end - i))
			return CF_EINVALID;
	}
	for (size_t j = i; j < int_end; j++) {
		if (s[j] == ',')
			continue;
		if (!too_big) {
			mag = mag * 10 + (u128)(s[j] - '0');
			if (mag >= limit)
				too_big = true;
		}
	}
	i = int_end;
	if (i < len) {
		if (s[i] != '.')
			return CF_EINVALID;
		i++;
		while (i < len && is_digit(s[i])) {
			frac_digits++;
			if (frac_digits > 2)
				return CF_EINVALID;
			if (!too_big)
				mag = mag * 10 + (u128)(s[i] - '0');
			i++;
		}
		if (frac_digits == 0 || i != len)
			return CF_EINVALID; /* "5.", "5.1x", "5.123" handled above */
	}
	if (too_big)
		return CF_EOVERFLOW;
	for (; frac_digits < 2; frac_digits++)
		mag *= 10;
	if (neg) {
		if (mag > (u128)INT64_MAX + 1)
			return CF_EOVERFLOW;
		out->minor = (int64_t)(-(i128)mag);
	} else {
		if (mag > (u128)INT64_MAX)
			return CF_EOVERFLOW;
		out->minor = (int64_t)mag;
	}
	return CF_OK;
}

int cf_money_format(cf_money m, cf_money_style style, char *buf, size_t cap)
{
	char tmp[40];
	size_t n = 0; /* tmp is filled backwards from its end */
	uint64_t mag;
	uint64_t rupees;
	unsigned paise;
	size_t int_digits = 0;

	if (buf == NULL || (style != CF_MONEY_PLAIN && style != CF_MONEY_INDIAN))
		return CF_EINVALID;
	/* magnitude without negating INT64_MIN in signed arithmetic */
	mag = m.minor < 0 ? (uint64_t)0 - (uint64_t)m.minor : (uint64_t)m.minor;
	rupees = mag / 100;
	paise = (unsigned)(mag % 100);

	tmp[sizeof tmp - 1 - n++] = (char)('0' + paise % 10);
	tmp[sizeof tmp - 1 - n++] = (char)('0' + paise / 10);
	tmp[sizeof tmp - 1 - n++] = '.';
	do {
		/* Indian: comma before the 4th digit, then before every 2 more */
		if (style == CF_MONEY_INDIAN && int_digits >= 3 && (int_digits - 3) % 2 == 0)
			tmp[sizeof tmp - 1 - n++] = ',';
		tmp[sizeof tmp - 1 - n++] = (char)('0' + rupees % 10);
		rupees /= 10;
		int_digits++;
	} while (rupees != 0);
	if (m.minor < 0)
		tmp[sizeof tmp - 1 - n++] = '-';
	if (cap < n + 1)
		return CF_EBUFFER;
	memcpy(buf, tmp + sizeof tmp - n, n);
	buf[n] = '\0';
	return CF_OK;
}
