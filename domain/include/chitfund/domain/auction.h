/*
 * chitfund/domain/auction.h - one draw's rules: who may win, which bids are
 * accepted, and how the winner is chosen (domain.md "One draw, step by step"
 * and "Precise rules").
 *
 * Pure and allocation-free: the caller passes the scheme's tickets and the
 * bids accepted so far as arrays it owns; nothing here keeps a pointer past
 * the call. Lots are drawn with lot.h once cf_draw_decide says one is needed.
 */
#ifndef CHITFUND_DOMAIN_AUCTION_H
#define CHITFUND_DOMAIN_AUCTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/domain/errcode.h"
#include "chitfund/domain/money.h"
#include "chitfund/domain/rule.h"
#include "chitfund/domain/scheme.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One ticket of the scheme as it stands on the draw's date. */
typedef struct cf_ticket_state {
	int32_t ticket_no; /**< 1..N, unique within the scheme */
	bool removed;      /**< removed as a defaulter (not active) */
	bool prized;       /**< won an earlier draw */
	bool overdue;      /**< a fixed installment is overdue on the draw's date */
	bool foreman;      /**< held by the scheme's foreman_id */
} cf_ticket_state;

/** An accepted bid: a discount offered by a ticket. */
typedef struct cf_bid {
	int32_t ticket_no;
	cf_money discount;
} cf_bid;

/** How a draw's winner was decided (the close response's `decided_by`). */
typedef enum cf_decided_by {
	CF_DECIDED_BY_BID = 0,           /**< "bid": the single highest bid */
	CF_DECIDED_BY_LOT = 1,           /**< "lot": lot among tied bids, or the lot method */
	CF_DECIDED_BY_NO_BIDS = 2,       /**< "no_bids": lot among all eligible at min_discount */
	CF_DECIDED_BY_FOREMAN_FIRST = 3, /**< "foreman_first": draw 1 to the foreman, discount 0 */
	CF_DECIDED_BY_LAST_TICKET = 4, /**< "last_ticket": single eligible ticket at min_discount */
	CF_DECIDED_BY_FIXED_ORDER = 5  /**< "fixed_order": lowest eligible at min_discount */
} cf_decided_by;

/** Wire name of a cf_decided_by ("bid", "lot", ...); "" for an unknown value. */
const char *cf_decided_by_name(cf_decided_by d);
/** Parse a wire name exactly. CF_EINVALID for anything else (or NULL). */
int cf_decided_by_parse(const char *s, cf_decided_by *out);

/**
 * The bid limits and shape of one draw, derived from resolved scheme
 * parameters by cf_draw_init. Plain value; copy freely.
 */
typedef struct cf_draw {
	int32_t draw_no;          /**< k, 1..N */
	int32_t member_count;     /**< N */
	cf_auction_method method; /**< the scheme's auction_method */
	bool foreman_first;       /**< draw 1 of a first_prize_to_foreman scheme */
	cf_money floor;           /**< min_discount */
	cf_money ceiling;         /**< floor(V x max_discount_bps / 10000) */
	cf_money increment;       /**< bid_increment */
	cf_money lot_discount;    /**< discount of the lot method */
} cf_draw;

/**
 * Derive draw `draw_no`'s limits from parameters already resolved by
 * cf_scheme_params_resolve. CF_EINVALID for NULL arguments or draw_no outside
 * 1..member_count; CF_EOVERFLOW if the ceiling does not fit.
 */
int cf_draw_init(cf_draw *d, const cf_scheme_params *p, int32_t draw_no);

/**
 * True when the ticket may win (and bid in) a draw: not removed, not
 * prized, not overdue (domain.md "Eligible tickets").
 */
bool cf_ticket_eligible(const cf_ticket_state *t);

/** Number of eligible tickets in tickets[0..n). */
size_t cf_draw_eligible_count(const cf_ticket_state *tickets, size_t n);

/**
 * Write the eligible ticket numbers in ascending order to out[0..cap) and
 * their count to *count. CF_EBUFFER when cap is smaller than the count
 * (nothing is written then); CF_EINVALID for NULL arguments.
 */
int cf_draw_eligible(const cf_ticket_state *tickets, size_t n, int32_t *out, size_t cap,
                     size_t *count);

/**
 * True when the draw takes bids at all: false for the foreman's first chit,
 * the lot and fixed_order methods, and whenever fewer than two tickets are
 * eligible (a single eligible ticket wins as last_ticket).
 */
bool cf_draw_takes_bids(const cf_draw *d, const cf_ticket_state *tickets, size_t n);

/**
 * True when `amount` is a valid bid amount on its own: min_discount, the
 * ceiling, or a multiple of bid_increment between them.
 */
bool cf_draw_amount_valid(const cf_draw *d, cf_money amount);

/**
 * The standing (highest) discount among bids[0..nbids); false when there
 * is no bid. Under `sealed` the standing bid is for staff only.
 */
bool cf_draw_standing(const cf_bid *bids, size_t nbids, cf_money *standing);

/**
 * Check a new bid against the draw, the tickets and the bids accepted so
 * far (in the order they were accepted). `is_open` is whether the auction
 * is open. Returns CF_OK when the bid is to be accepted (the caller appends
 * it to its list), or CF_ERULE with *why set to the first refusal in this
 * order: auction-not-open (also for draws that take no bids),
 * ticket-not-eligible (unknown ticket), ticket-already-prized,
 * ticket-in-default (overdue or removed), bid-already-placed (sealed: one
 * bid per ticket), bid-above-cap, bid-below-floor, bid-not-multiple,
 * bid-not-higher (auction: must beat the standing bid by bid_increment,
 * except that a ticket may once join a standing ceiling bid at the
 * ceiling). CF_EINVALID for NULL arguments; CF_EOVERFLOW never in practice.
 */
int cf_draw_check_bid(const cf_draw *d, bool is_open, const cf_ticket_state *tickets, size_t n,
                      const cf_bid *bids, size_t nbids, cf_bid bid, cf_rule *why);

/** What the close of a draw decided, before any lot is drawn. */
typedef struct cf_draw_outcome {
	cf_decided_by decided_by;
	bool needs_lot;           /**< true: draw a lot among candidates (lot.h) */
	int32_t winner_ticket_no; /**< the winner; 0 while needs_lot */
	cf_money discount;        /**< the winning discount */
	size_t candidate_count;   /**< tickets written to the caller's candidates */
} cf_draw_outcome;

/**
 * Decide draw d's winner from the tickets and the accepted bids:
 * foreman_first (lowest-numbered foreman ticket, discount 0), last_ticket
 * (single eligible ticket, at min_discount), fixed_order (lowest eligible
 * at min_discount), lot method (lot among all eligible at lot_discount),
 * no_bids (lot among all eligible at min_discount), bid (single highest),
 * lot (highest bid tied by several tickets). Bids of tickets that are no
 * longer eligible are ignored. When out->needs_lot, candidates[0..count)
 * holds the lot's candidates in ascending order; otherwise it holds the
 * winner alone. candidates must have room for every eligible ticket.
 * CF_ERULE with why = no-eligible-ticket when nobody can win, or
 * foreman-ticket-required when the foreman holds no ticket; CF_EBUFFER when
 * cap is too small; CF_EINVALID for NULL arguments.
 */
int cf_draw_decide(const cf_draw *d, const cf_ticket_state *tickets, size_t n, const cf_bid *bids,
                   size_t nbids, int32_t *candidates, size_t cap, cf_draw_outcome *out,
                   cf_rule *why);

/**
 * Record the result of a lot on an outcome that needs one: the winner is
 * candidates[index]. CF_EINVALID when the outcome needs no lot or index is
 * out of range.
 */
int cf_draw_apply_lot(cf_draw_outcome *out, const int32_t *candidates, size_t index);

#ifdef __cplusplus
}
#endif
#endif
