/*
 * economics.c - XIRR, NPV and the plain difference of a ticket's cash flows.
 *
 * The only file in domain/ that uses floating point, and never to hold money:
 * amounts are converted exactly to long double (64-bit significand on the
 * usual targets), discounted, and every money result is rounded back to whole
 * paise. The domain links against libc only, so the two elementary functions
 * needed (exp and log) are small local series implementations.
 *
 * XIRR is solved in x = ln(1 + r): the flows' value is then a sum of
 * exponentials a_i * exp(-x * t_i), which has exactly one real zero when the
 * coefficients (in order of t) change sign once, and none or several
 * otherwise. The sign of that sum is taken by comparing the logarithms of its
 * positive and negative parts (log-sum-exp), so no term ever overflows, and
 * the zero is found by bisection over a fixed bracket, which always
 * terminates.
 */
#include "chitfund/domain/economics.h"

#include <stdbool.h>
#include <stdint.h>

__extension__ typedef __int128 i128;

#define LN2_L   0.693147180559945309417232121458176568L
#define SQRT2_L 1.41421356237309504880168872420969808L
/* 2^63 as a long double; exact */
#define TWO63_L 9223372036854775808.0L

/* bracket for x = ln(1 + r): r from -1 + 4e-18 up to about 8.7e14 (8.7e18 bps) */
#define X_LO (-40.0L)
#define X_HI 34.4L

static bool finite_ld(long double v)
{
	/* NaN != NaN; inf - inf is NaN */
	return v == v && v - v == 0.0L;
}

/*
 * e^y. Sets *overflow when the result is not finite (y too large for the
 * type) or y is NaN; very negative y gives 0.
 */
static long double ld_exp(long double y, bool *overflow)
{
	long double q, r, term = 1.0L, sum = 1.0L, base, scale = 1.0L;
	long k;
	unsigned long mag;

	if (y != y || y > 11000.0L) {
		*overflow = true;
		return 0.0L;
	}
	if (y < -11500.0L)
		return 0.0L;
	/* y = k ln2 + r with |r| <= ln2 / 2 */
	q = y / LN2_L;
	k = (long)(q >= 0 ? q + 0.5L : q - 0.5L);
	r = y - (long double)k * LN2_L;
	for (int i = 1; i <= 30; i++) {
		term *= r / (long double)i;
		sum += term;
	}
	/* multiply by 2^k by repeated squaring */
	base = k >= 0 ? 2.0L : 0.5L;
	mag = k >= 0 ? (unsigned long)k : (unsigned long)(-k);
	while (mag != 0) {
		if (mag & 1u)
			scale *= base;
		mag >>= 1;
		if (mag != 0)
			base *= base;
	}
	sum *= scale;
	if (!finite_ld(sum)) {
		*overflow = true;
		return 0.0L;
	}
	return sum;
}

/* Natural logarithm of x > 0 (finite). */
static long double ld_log(long double x)
{
	long k = 0;
	long double s, s2, term, acc = 0.0L;

	if (!(x > 0.0L) || !finite_ld(x))
		return 0.0L; /* never passed by the callers; keeps the loops finite */
	while (x >= 2.0L) {
		x *= 0.5L;
		k++;
	}
	while (x < 1.0L) {
		x *= 2.0L;
		k--;
	}
	if (x > SQRT2_L) {
		x *= 0.5L;
		k++;
	}
	/* x in [sqrt(1/2), sqrt(2)]: ln x = 2 atanh(s), s = (x-1)/(x+1), |s| < 0.18 */
	s = (x - 1.0L) / (x + 1.0L);
	s2 = s * s;
	term = s;
	for (int j = 1; j <= 61; j += 2) {
		acc += term / (long double)j;
		term *= s2;
	}
	return 2.0L * acc + (long double)k * LN2_L;
}

/*
 * Round v half away from zero to an int64. CF_EOVERFLOW when v is not finite
 * or the rounded value does not fit.
 */
static int round_half_up_i64(long double v, int64_t *out)
{
	long double mag;
	uint64_t u;

	if (!finite_ld(v))
		return CF_EOVERFLOW;
	mag = v < 0 ? -v : v;
	if (mag > TWO63_L)
		return CF_EOVERFLOW;
	/* floor of a value in [0, 2^63], then the fraction decides; adding 0.5
	 * first would round wrongly where long double is only a double */
	u = (uint64_t)mag;
	if (mag - (long double)u >= 0.5L)
		u++;
	if (v < 0) {
		if (u > (uint64_t)INT64_MAX + 1u)
			return CF_EOVERFLOW;
		*out = u == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)u;
	} else {
		if (u > (uint64_t)INT64_MAX)
			return CF_EOVERFLOW;
		*out = (int64_t)u;
	}
	return CF_OK;
}

static bool flows_ok(const cf_cashflow *flows, size_t n)
{
	if (flows == NULL && n != 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!cf_date_valid(flows[i].date))
			return false;
	return true;
}

int cf_plain_difference(const cf_cashflow *flows, size_t n, cf_money *out)
{
	i128 sum = 0; /* n * 2^63 cannot reach 2^127 for any real n */

	if (out == NULL || (flows == NULL && n != 0))
		return CF_EINVALID;
	for (size_t i = 0; i < n; i++)
		sum += flows[i].amount.minor;
	if (sum < (i128)INT64_MIN || sum > (i128)INT64_MAX)
		return CF_EOVERFLOW;
	out->minor = (int64_t)sum;
	return CF_OK;
}

int cf_npv(const cf_cashflow *flows, size_t n, int64_t rate_bps, cf_date as_of, cf_money *out)
{
	long double log_growth, sum = 0.0L;
	int64_t base, result;
	bool overflow = false;
	int rc;

	if (out == NULL || !flows_ok(flows, n) || !cf_date_valid(as_of) || rate_bps <= -10000)
		return CF_EINVALID;
	log_growth = ld_log(1.0L + (long double)rate_bps / 10000.0L);
	base = cf_date_to_days(as_of);
	for (size_t i = 0; i < n; i++) {
		long double years = (long double)(cf_date_to_days(flows[i].date) - base) / 365.0L;
		long double factor = ld_exp(-years * log_growth, &overflow);
		if (overflow)
			return CF_EOVERFLOW;
		sum += (long double)flows[i].amount.minor * factor;
	}
	rc = round_half_up_i64(sum, &result);
	if (rc != CF_OK)
		return rc;
	out->minor = result;
	return CF_OK;
}

/*
 * Running log-sum-exp: after adding values v_1..v_k, ln(sum e^{v_i}) is
 * m + ln(s). Kept as (m, s) with s >= 1 so that no exp overflows.
 */
typedef struct lse {
	bool any;
	long double m, s;
} lse;

static void lse_add(lse *acc, long double v)
{
	bool ovf = false; /* arguments are <= 0: never set */

	if (!acc->any) {
		acc->any = true;
		acc->m = v;
		acc->s = 1.0L;
	} else if (v > acc->m) {
		acc->s = acc->s * ld_exp(acc->m - v, &ovf) + 1.0L;
		acc->m = v;
	} else {
		acc->s += ld_exp(v - acc->m, &ovf);
	}
}

/*
 * ln(positive part) - ln(negative part) of sum a_i * exp(-x * t_i), with
 * t_i in years from `base`. Has the sign of the flows' value at x.
 */
static long double value_sign_measure(const cf_cashflow *flows, size_t n, int64_t base,
                                      long double x)
{
	lse pos = {false, 0.0L, 0.0L}, neg = {false, 0.0L, 0.0L};

	for (size_t i = 0; i < n; i++) {
		int64_t a = flows[i].amount.minor;
		long double t, v;
		if (a == 0)
			continue;
		t = (long double)(cf_date_to_days(flows[i].date) - base) / 365.0L;
		/* |a| as long double without negating INT64_MIN in integer arithmetic */
		v = ld_log(a > 0 ? (long double)a : -(long double)a) - x * t;
		lse_add(a > 0 ? &pos : &neg, v);
	}
	return (pos.m + ld_log(pos.s)) - (neg.m + ld_log(neg.s));
}

/*
 * Walk the distinct dates in ascending order, netting same-date flows, and
 * count sign changes of the non-zero nets. O(n^2), allocation-free.
 */
static void net_sign_pattern(const cf_cashflow *flows, size_t n, int *changes, bool *any_pos,
                             bool *any_neg)
{
	int64_t prev = INT64_MIN;
	bool have_prev = false;
	int last = 0;

	*changes = 0;
	*any_pos = *any_neg = false;
	for (;;) {
		bool found = false;
		int64_t day = 0;
		i128 net = 0;
		int sign;

		for (size_t i = 0; i < n; i++) {
			int64_t d = cf_date_to_days(flows[i].date);
			if ((!have_prev || d > prev) && (!found || d < day)) {
				day = d;
				found = true;
			}
		}
		if (!found)
			break;
		for (size_t i = 0; i < n; i++)
			if (cf_date_to_days(flows[i].date) == day)
				net += flows[i].amount.minor;
		sign = (net > 0) - (net < 0);
		if (sign != 0) {
			if (last != 0 && sign != last)
				(*changes)++;
			last = sign;
			if (sign > 0)
				*any_pos = true;
			else
				*any_neg = true;
		}
		prev = day;
		have_prev = true;
	}
}

int cf_xirr_bps(const cf_cashflow *flows, size_t n, int64_t *rate_bps)
{
	bool raw_pos = false, raw_neg = false, any_pos, any_neg, ovf = false;
	int changes;
	int64_t base = INT64_MAX, result;
	long double lo = X_LO, hi = X_HI, g_lo, g_hi, root, rate;

	if (rate_bps == NULL || flows == NULL || n < 2 || !flows_ok(flows, n))
		return CF_EINVALID;
	for (size_t i = 0; i < n; i++) {
		int64_t d = cf_date_to_days(flows[i].date);
		if (flows[i].amount.minor > 0)
			raw_pos = true;
		else if (flows[i].amount.minor < 0)
			raw_neg = true;
		if (d < base)
			base = d;
	}
	if (!raw_pos || !raw_neg)
		return CF_EINVALID; /* all of one sign (or all zero): never a rate */
	net_sign_pattern(flows, n, &changes, &any_pos, &any_neg);
	if (!any_pos || !any_neg || changes != 1)
		return CF_ENORESULT;

	g_lo = value_sign_measure(flows, n, base, lo);
	g_hi = value_sign_measure(flows, n, base, hi);
	if (g_lo == 0.0L) {
		root = lo;
	} else if (g_hi == 0.0L) {
		root = hi;
	} else if ((g_lo > 0) == (g_hi > 0)) {
		return CF_ENORESULT; /* the root lies beyond the representable rates */
	} else {
		for (int it = 0; it < 400; it++) {
			long double mid = lo + (hi - lo) / 2.0L, g;
			if (mid <= lo || mid >= hi)
				break; /* interval is as small as the type allows */
			g = value_sign_measure(flows, n, base, mid);
			if (g == 0.0L) {
				lo = hi = mid;
				break;
			}
			if ((g > 0) == (g_lo > 0))
				lo = mid;
			else
				hi = mid;
		}
		root = lo + (hi - lo) / 2.0L;
	}
	rate = ld_exp(root, &ovf) - 1.0L;
	if (ovf || round_half_up_i64(rate * 10000.0L, &result) != CF_OK)
		return CF_ENORESULT;
	*rate_bps = result;
	return CF_OK;
}
