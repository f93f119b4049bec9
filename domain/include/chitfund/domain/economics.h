/*
 * chitfund/domain/economics.h - what a ticket's dated cash flows are worth.
 *
 * A ticket's flows are its payments (negative: paid by the ticket) and its
 * prize payout (positive: received), each on a calendar date. The effective
 * annual rate is the XIRR of those flows (day count actual/365) when a unique
 * root exists; otherwise callers show the NPV at a reference rate and the
 * plain difference. Money stays integral: floating point is used only inside
 * the rate and discounting computations, and every money result is rounded
 * back to whole paise.
 */
#ifndef CHITFUND_DOMAIN_ECONOMICS_H
#define CHITFUND_DOMAIN_ECONOMICS_H

#include <stddef.h>
#include <stdint.h>

#include "chitfund/domain/date.h"
#include "chitfund/domain/errcode.h"
#include "chitfund/domain/money.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One dated cash flow of a ticket: negative = paid by it, positive = received. */
typedef struct cf_cashflow {
	cf_date date;
	cf_money amount;
} cf_cashflow;

/**
 * Annual internal rate of return of n flows (any order; flows on the same
 * date are netted), day count actual/365: the rate r with
 * sum(amount_i / (1 + r)^((date_i - date_0) / 365)) = 0, in basis points
 * rounded half-up (halves away from zero) into *rate_bps.
 * Errors: CF_EINVALID for NULL pointers, n < 2, an invalid date, or flows
 * whose non-zero amounts are all of one sign (or all zero); CF_ENORESULT when
 * the netted flows, in date order and ignoring zeros, change sign other than
 * exactly once (no unique root), or when the root is beyond what int64 basis
 * points can hold.
 * *rate_bps is written only on CF_OK. Allocation-free; O(n^2) for the sign
 * check and O(n) per bisection step.
 */
int cf_xirr_bps(const cf_cashflow *flows, size_t n, int64_t *rate_bps);

/**
 * Net present value as of `as_of` at an annual rate of rate_bps (> -10000):
 * each flow is discounted by (1 + r)^((date - as_of) / 365) (flows after
 * as_of are discounted, earlier ones compounded), summed and rounded half-up
 * to whole paise into *out. n == 0 gives 0. Computed in long double: exact
 * to the paisa for results below 2^53 paise even where long double is only a
 * double (x86-64 long double has a 64-bit significand).
 * Errors: CF_EINVALID for NULL pointers (flows may be NULL when n == 0), an
 * invalid date or rate_bps <= -10000; CF_EOVERFLOW when the result does not
 * fit in cf_money.
 */
int cf_npv(const cf_cashflow *flows, size_t n, int64_t rate_bps, cf_date as_of, cf_money *out);

/**
 * The plain sum of the flows (received minus paid) into *out, summed exactly
 * (128-bit): CF_EOVERFLOW when the total does not fit in cf_money,
 * CF_EINVALID for NULL pointers (flows may be NULL when n == 0).
 */
int cf_plain_difference(const cf_cashflow *flows, size_t n, cf_money *out);

#ifdef __cplusplus
}
#endif
#endif
