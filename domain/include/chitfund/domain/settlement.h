/*
 * chitfund/domain/settlement.h - the amounts of a settled draw (domain.md
 * "One draw, step by step", item 3 and 4, and "Precise rules").
 *
 * Given the resolved parameters, the draw number, the decided winner and
 * discount, who shares and the remainder carried in from the previous draw,
 * compute commission, GST, dividend, remainder, prize, net payout and the
 * net subscription of the installment the dividend applies to. All
 * arithmetic is checked; nothing is allocated.
 */
#ifndef CHITFUND_DOMAIN_SETTLEMENT_H
#define CHITFUND_DOMAIN_SETTLEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/domain/auction.h"
#include "chitfund/domain/errcode.h"
#include "chitfund/domain/money.h"
#include "chitfund/domain/scheme.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * True when ticket t shares draw's dividend under `policy`: all_tickets:
 * every ticket not removed (winner and foreman included); exclude_winner:
 * the same without this draw's winner; prompt_payers: tickets not removed
 * and not overdue on the draw's date (prized tickets and the foreman's
 * share like any other).
 */
bool cf_ticket_shares(cf_dividend_policy policy, const cf_ticket_state *t,
                      int32_t winner_ticket_no);

/** Number of tickets in tickets[0..n) that share under `policy` (see cf_ticket_shares). */
int32_t cf_dividend_share_count(cf_dividend_policy policy, const cf_ticket_state *tickets, size_t n,
                                int32_t winner_ticket_no);

/** Inputs of a settlement. */
typedef struct cf_settlement_input {
	int32_t draw_no;          /**< k, 1..N */
	int32_t winner_ticket_no; /**< the decided winner */
	cf_decided_by decided_by; /**< foreman_first: no discount, no commission */
	cf_money discount;        /**< D (ignored, taken as 0, for foreman_first) */
	int32_t shares;           /**< sharing tickets (cf_dividend_share_count), >= 0 */
	cf_money carried_in;      /**< remainder carried from draw k-1 (0 on draw 1), >= 0 */
} cf_settlement_input;

/** The amounts of a settled draw, as the close response reports them. */
typedef struct cf_settlement {
	int32_t draw_no;
	int32_t winner_ticket_no;
	cf_decided_by decided_by;
	cf_money discount;            /**< D */
	cf_money commission;          /**< C = V x c / 10000 half-up; 0 for foreman_first */
	cf_money gst_on_commission;   /**< G = C x gst_bps / 10000 half-up */
	cf_money carried_in;          /**< the input remainder */
	cf_money distributable;       /**< D - C + carried_in */
	cf_money dividend_per_ticket; /**< d = floor(distributable / shares); 0 with no share */
	int32_t dividend_shares;      /**< shares */
	cf_money dividend_total;      /**< d x shares */
	cf_money remainder_carried;   /**< distributable - d x shares */
	bool remainder_to_foreman;    /**< last draw: the remainder goes to foreman_rounding */
	cf_money prize_amount;        /**< P = V - D (net chit amount) */
	cf_money net_payout;          /**< P - G when the winner bears GST, else P */
	/** Installment the dividend lowers: k+1 (next_installment) or k (same_installment);
	 *  0 (JSON null) on the last draw under next_installment. */
	int32_t dividend_applies_to_installment;
	bool net_subscription_known; /**< false: JSON null (last draw, next_installment) */
	cf_money net_subscription;   /**< max(S - d, 0) for a sharing ticket */
	/** Per sharing ticket, the part of d credited to its advance instead of an installment:
	 *  d - S when d > S, or all of d on the last draw under next_installment. */
	cf_money advance_per_share;
} cf_settlement;

/**
 * Settle a draw (domain.md "Amounts"). CF_EINVALID for NULL arguments, a
 * draw number outside 1..N, negative shares or carried_in, a discount
 * outside [C, V] (other than foreman_first), or a winner number <= 0;
 * CF_EOVERFLOW when an amount does not fit. `p` must be resolved.
 */
int cf_settle_draw(const cf_scheme_params *p, const cf_settlement_input *in, cf_settlement *out);

/**
 * Check the conservation identity of a settlement:
 * P + C + d x shares + remainder == V + carried_in, and that every part
 * agrees with its definition: P = V - D, d x shares = dividend_total,
 * dividend_total + remainder = distributable = D - C + carried_in, and
 * 0 <= remainder < shares when shares > 0 (all of it when shares == 0).
 * CF_OK when it holds; CF_ERROR when it does not; CF_EOVERFLOW when the
 * sums do not fit.
 */
int cf_settlement_check(const cf_scheme_params *p, const cf_settlement *s);

#ifdef __cplusplus
}
#endif
#endif
