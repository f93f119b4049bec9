/*
 * chitfund/auctions.h - draws (auctions): create, open, bid, read, list,
 * close (settle), minutes, and the ticker that opens and closes timed
 * auctions (api.md "Auctions (draws)", domain.md "One draw, step by step").
 *
 * Who may do what: create, open, close: the scheme's foreman or an admin
 * (system too); bid: a subscriber for a ticket he holds, or the scheme's
 * foreman/an admin on a holder's behalf (a proxy bid records both); read,
 * list, minutes: anyone who may read the scheme (subscribers: those holding
 * a ticket in it). Staff (admin, auditor, the scheme's foreman and agents)
 * see every bid; others see the standing discount only (sealed: only the
 * number of bids until close).
 *
 * Errors: CF_EUNAUTHENTICATED; CF_ENOTFOUND "not-found"; CF_EFORBIDDEN
 * "forbidden"; CF_ECONFLICT with "auction-exists", "previous-draw-unsettled",
 * "scheme-not-running", "auction-not-open", "no-eligible-ticket"; CF_ERULE
 * with the domain's bid refusal slugs (cf_error_rule); CF_EINVALID
 * "validation-error" with the field; CF_ENOTSUPPORTED when the app has no
 * auction ports.
 */
#ifndef CHITFUND_AUCTIONS_H
#define CHITFUND_AUCTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/app.h"
#include "chitfund/auction_types.h"
#include "chitfund/errors.h"
#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Problem slugs of draws (api.md "Problem types"). */
#define CF_SLUG_AUCTION_EXISTS          "auction-exists"
#define CF_SLUG_PREVIOUS_DRAW_UNSETTLED "previous-draw-unsettled"
#define CF_SLUG_SCHEME_NOT_RUNNING      "scheme-not-running"
#define CF_SLUG_AUCTION_NOT_OPEN        "auction-not-open"

/** Default anti-sniping extension (seconds) when the app config has none. */
#define CF_ANTI_SNIPING_DEFAULT_S 60

/** Create request. Instants are Unix ms; 0 = not given. */
typedef struct cf_auction_create_req {
	int32_t installment_no; /**< 1..member_count */
	int64_t scheduled_at_ms;
	int64_t opens_at_ms;  /**< the ticker opens the auction then */
	int64_t closes_at_ms; /**< the ticker closes (settles) it then; > opens_at */
} cf_auction_create_req;

/**
 * What a reader sees of an auction. a.lot_seed is always "" (the seed is
 * revealed only in result.lot_seed once settled). Free with
 * cf_auction_view_free.
 */
typedef struct cf_auction_view {
	cf_auction_row a;         /**< a.has_standing is false when hidden from the reader */
	cf_auction_method method; /**< the scheme's auction_method */
	bool staff;               /**< the reader is staff: bids are filled */
	cf_bid_row_array bids;    /**< staff only (else empty), in acceptance order */
	bool settled;             /**< result is filled */
	cf_auction_result result;
} cf_auction_view;

/** Free v->bids (NULL-safe); the rest is plain data. */
void cf_auction_view_free(cf_auction_view *v);

/**
 * Create the auction of one installment in `scheduled` (its foreman, admin).
 * Only on a running scheme (CF_ECONFLICT "scheme-not-running"), one per
 * installment ("auction-exists"), and only once the previous installment's
 * draw is settled ("previous-draw-unsettled"). closes_at without opens_at
 * means "opens now" when opened by hand. Audits "auction.create".
 */
int cf_auction_create(cf_app *app, const cf_actor *actor, const char *scheme_id,
                      const cf_auction_create_req *req, cf_auction_view *out, cf_error *err);

/**
 * scheduled -> open (its foreman, admin, system): draws 32 random bytes (rng
 * port), keeps the seed private and publishes the commitment
 * (a.lot_commitment). CF_ECONFLICT "auction-not-open" when not scheduled.
 * Audits "auction.open".
 */
int cf_auction_open(cf_app *app, const cf_actor *actor, const char *auction_id,
                    cf_auction_view *out, cf_error *err);

/** Bid request. */
typedef struct cf_bid_req {
	int32_t ticket_no;
	cf_money discount;
} cf_bid_req;

/** What an accepted bid changed. */
typedef struct cf_bid_result {
	cf_bid_row bid;
	bool extended;        /**< anti-sniping moved closes_at */
	int64_t closes_at_ms; /**< the auction's closes_at after the bid (0: none) */
	bool sealed;          /**< the method is sealed (amounts hidden from subscribers) */
} cf_bid_result;

/**
 * Place a bid. Locks the auction row so concurrent bids serialise; checks
 * the domain's refusals in order (cf_draw_check_bid). A subscriber bids
 * only for a ticket he holds (another's: CF_EFORBIDDEN); the foreman or an
 * admin bids for the holder (proxy_by set). A bid in the last
 * anti_sniping_s seconds of a timed window extends closes_at by that much.
 * An open auction whose closes_at has passed refuses with
 * "auction-not-open". Publishes "bid" (and "extended"). Audits "auction.bid".
 */
int cf_auction_bid(cf_app *app, const cf_actor *actor, const char *auction_id,
                   const cf_bid_req *req, cf_bid_result *out, cf_error *err);

/** Read one auction (visibility as above). CF_ENOTFOUND. */
int cf_auction_get(cf_app *app, const cf_actor *actor, const char *auction_id, cf_auction_view *out,
                   cf_error *err);

/** A page of a scheme's auctions (views without bids). */
typedef struct cf_auction_page {
	cf_auction_view *items;
	size_t count;
	char next_cursor[CF_CURSOR_SIZE]; /**< "" on the last page */
} cf_auction_page;
/** Free the page (NULL-safe). */
void cf_auction_page_free(cf_auction_page *p);

/**
 * A scheme's auctions by installment (readers of the scheme). limit 0:
 * default, else 1..CF_PAGE_MAX; cursor "" or from a previous page.
 * CF_EINVALID "limit"/"cursor".
 */
int cf_auction_list(cf_app *app, const cf_actor *actor, const char *scheme_id, size_t limit,
                    const char *cursor, cf_auction_page *out, cf_error *err);

/** Close request: what the minutes record. */
typedef struct cf_close_req {
	const char *place;          /**< NULL/"": "online" */
	const char *const *present; /**< user ids present; NULL: the bidders */
	size_t present_count;
} cf_close_req;

/**
 * Close and settle an open auction (its foreman, admin, system), in ONE
 * transaction: decide the winner (cf_draw_decide; a lot with proof when
 * needed), settle the amounts (cf_settle_draw, checked), prize the ticket,
 * write the dividend credits for the installment they apply to (advance
 * rows for the excess / the last draw), post the draw's ledger lines and
 * GST, carry the remainder, store the minutes (s.17), mark it settled,
 * audit "auction.close" and publish "closed". CF_ECONFLICT
 * "auction-not-open" (not open: e.g. already settled),
 * "no-eligible-ticket". req may be NULL.
 */
int cf_auction_close(cf_app *app, const cf_actor *actor, const char *auction_id,
                     const cf_close_req *req, cf_auction_result *out, cf_error *err);

/**
 * The close response as compact JSON (api.md: winner_ticket_no, discount,
 * commission, gst_on_commission, dividend_total, dividend_per_ticket,
 * dividend_shares, remainder_carried, prize_amount, net_payout,
 * net_subscription, dividend_applies_to_installment, decided_by, lot_proof,
 * plus auction_id, installment_no, carried_in, remainder_to_foreman,
 * prize_due_by, settled_at). *out is malloc'd (free()). CF_ENOMEM.
 */
int cf_auction_result_json(const cf_auction_result *r, char **out);

/**
 * The minutes of a settled draw (staff and members of the scheme): JSON
 * (`as_text` false) or the printable plain text signed off by the
 * foreman's name. *out is malloc'd; the caller frees it with free().
 * CF_ENOTFOUND (also while unsettled).
 */
int cf_auction_minutes(cf_app *app, const cf_actor *actor, const char *auction_id, bool as_text,
                       char **out, cf_error *err);

/**
 * The ticker (system work; call periodically from any number of servers):
 * opens scheduled auctions whose opens_at has come and settles open ones
 * whose closes_at has passed, each in its own transaction that locks the
 * auction and re-checks its status, so exactly one server settles it.
 * *opened / *closed (optional) count what THIS call did. A draw that cannot
 * settle (no eligible ticket) stays open and is skipped.
 */
int cf_auction_tick(cf_app *app, size_t *opened, size_t *closed, cf_error *err);

/** The dividend credits of a scheme (staff). cf_dividend_credit_array_free. */
int cf_scheme_dividend_credits(cf_app *app, const cf_actor *actor, const char *scheme_id,
                               cf_dividend_credit_array *out, cf_error *err);

/** Every ledger line of a scheme in posting order (staff). cf_ledger_line_array_free. */
int cf_scheme_ledger(cf_app *app, const cf_actor *actor, const char *scheme_id,
                     cf_ledger_line_array *out, cf_error *err);

/**
 * Re-check the lot of minutes: commitment = SHA-256(seed) and the index is
 * what the digest of seed + auction_id + candidates gives (domain.md).
 * `sha256` is any SHA-256 implementation. CF_OK when it holds; CF_EINVALID
 * otherwise (malformed input included).
 */
int cf_lot_recheck(const char *commitment, const char *seed, const char *auction_id,
                   const int32_t *candidates, size_t count, size_t index, int32_t winner,
                   cf_digest_fn sha256);

#ifdef __cplusplus
}
#endif
#endif
