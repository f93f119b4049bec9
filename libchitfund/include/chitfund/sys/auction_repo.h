/*
 * chitfund/sys/auction_repo.h - auction (draw) repository port: auctions,
 * their bids, the settlement result, the minutes and the dividend credits a
 * settlement writes. The rows are the public structs of chitfund/auctions.h
 * plus the private columns below (the lot seed stays in storage until the
 * draw settles).
 *
 * Locking: `lock` is SELECT ... FOR UPDATE on the auction row, so every
 * state-changing call on one auction (bid, open, close, expire) is
 * serialised in the database; two conflicting requests never both succeed.
 */
#ifndef CHITFUND_SYS_AUCTION_REPO_H
#define CHITFUND_SYS_AUCTION_REPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/auction_types.h"
#include "chitfund/sys/tx.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_AUCTION_REPO_VERSION 2

/** Auction repository port. */
typedef struct cf_auction_repo {
	unsigned int version; /**< CF_AUCTION_REPO_VERSION */
	void *self;
	/**
	 * Required. Insert an auction row (with its private lot_seed, "" until
	 * opened). CF_EEXISTS when the id or (scheme_id, installment_no) is taken.
	 */
	int (*insert)(void *self, cf_tx *tx, const cf_auction_row *a);
	/** Required. Load by id (no lock). CF_ENOTFOUND. */
	int (*get)(void *self, cf_tx *tx, const char *id, cf_auction_row *out);
	/**
	 * Required. Load by id and lock the row until tx ends (postgres:
	 * SELECT ... FOR UPDATE). CF_ENOTFOUND.
	 */
	int (*lock)(void *self, cf_tx *tx, const char *id, cf_auction_row *out);
	/** Required. The auction of one installment. CF_ENOTFOUND. */
	int (*get_by_installment)(void *self, cf_tx *tx, const char *scheme_id,
	                          int32_t installment_no, cf_auction_row *out);
	/**
	 * Required. Replace the row with id a->id when row_version matches; then
	 * a->row_version is incremented and stored. CF_ECONFLICT; CF_ENOTFOUND.
	 * id, scheme_id, installment_no and created_at_ms never change.
	 */
	int (*update)(void *self, cf_tx *tx, cf_auction_row *a);
	/**
	 * Required. A scheme's auctions ordered by installment_no, only those with
	 * installment_no > after_installment, at most `limit` (cf_auction_row_array_free).
	 */
	int (*list_by_scheme)(void *self, cf_tx *tx, const char *scheme_id,
	                      int32_t after_installment, size_t limit, cf_auction_row_array *out);
	/**
	 * Required. Timed auctions that need the ticker: status scheduled with
	 * 0 < opens_at_ms <= now_ms, or status open with 0 < closes_at_ms <= now_ms;
	 * ordered by (closes_at_ms, id), at most limit. No lock: the caller locks
	 * each one and re-checks.
	 */
	int (*list_due)(void *self, cf_tx *tx, int64_t now_ms, size_t limit,
	                cf_auction_row_array *out);
	/**
	 * Required. Append a bid. b->seq is the auction's bid count + 1 (the core
	 * holds the auction lock). CF_EEXISTS when (auction_id, seq) is taken.
	 */
	int (*bid_insert)(void *self, cf_tx *tx, const cf_bid_row *b);
	/** Required. The bids of an auction ordered by seq (cf_bid_row_array_free). */
	int (*bid_list)(void *self, cf_tx *tx, const char *auction_id, cf_bid_row_array *out);
	/** Required. Insert the settlement of an auction. CF_EEXISTS when one exists. */
	int (*result_insert)(void *self, cf_tx *tx, const cf_auction_result *r);
	/** Required. The settlement of an auction. CF_ENOTFOUND while unsettled. */
	int (*result_get)(void *self, cf_tx *tx, const char *auction_id, cf_auction_result *out);
	/**
	 * Required. Every settlement of a scheme ordered by installment_no
	 * (cf_auction_result_array_free).
	 */
	int (*result_list_by_scheme)(void *self, cf_tx *tx, const char *scheme_id,
	                             cf_auction_result_array *out);
	/**
	 * Required. Store the minutes of a settled draw: JSON and printable text
	 * (both copied). CF_EEXISTS when stored already.
	 */
	int (*minutes_put)(void *self, cf_tx *tx, const char *auction_id, const char *json,
	                   const char *text);
	/**
	 * Required. The minutes (text when as_text, else JSON) as a malloc'd
	 * NUL-terminated string the caller frees with free(). CF_ENOTFOUND.
	 */
	int (*minutes_get)(void *self, cf_tx *tx, const char *auction_id, bool as_text, char **out);
	/** Required. Insert n dividend credits (n may be 0). CF_EEXISTS on a duplicate. */
	int (*credit_insert)(void *self, cf_tx *tx, const cf_dividend_credit *c, size_t n);
	/**
	 * Required. A scheme's dividend credits ordered by (installment_no with
	 * 0 last, ticket_no, auction) (cf_dividend_credit_array_free).
	 */
	int (*credit_list)(void *self, cf_tx *tx, const char *scheme_id,
	                   cf_dividend_credit_array *out);
	/* ---- end of version 1 ---- */
	/**
	 * Optional (version 2; NULL: the core lists every bid instead). The
	 * highest discount among the bids of ticket_no in the auction: *found =
	 * false (and *max = 0) when the ticket has no bid. One indexed lookup:
	 * the bid use case needs only this per-ticket fact (sealed: one bid per
	 * ticket; a ceiling tie: each ticket joins once) beside the standing bid
	 * kept on the auction row.
	 */
	int (*bid_ticket_max)(void *self, cf_tx *tx, const char *auction_id, int32_t ticket_no,
	                      bool *found, cf_money *max);
	/**
	 * Optional (version 2; NULL: the core calls bid_insert then update).
	 * Replace the auction row a (a->id == b->auction_id) when its
	 * row_version still matches and append bid b, in one step (the core
	 * holds the row lock). On success a->row_version is incremented.
	 * CF_ECONFLICT when a->row_version does not match and CF_ENOTFOUND when
	 * there is no such auction (nothing written either way); CF_EEXISTS when
	 * (auction_id, seq) is taken (the caller rolls back).
	 */
	int (*bid_append)(void *self, cf_tx *tx, const cf_bid_row *b, cf_auction_row *a);
	/* ---- end of version 2 ---- */
} cf_auction_repo;

#ifdef __cplusplus
}
#endif
#endif
