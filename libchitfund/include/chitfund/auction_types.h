/*
 * chitfund/auction_types.h - the plain value types of draws (auctions), bids,
 * settlements, dividend credits and ledger postings, shared by the public
 * use-case API (chitfund/auctions.h) and the adapter SPI
 * (chitfund/sys/auction_repo.h, chitfund/sys/ledger_repo.h).
 *
 * Same conventions as chitfund/types.h: fixed-size NUL-terminated text,
 * UUID ids, Unix ms instants (0 = null), cf_money amounts, heap arrays freed
 * with the matching _free function (which calls free()).
 */
#ifndef CHITFUND_AUCTION_TYPES_H
#define CHITFUND_AUCTION_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/domain/auction.h"
#include "chitfund/domain/ledger.h"
#include "chitfund/domain/lot.h"
#include "chitfund/domain/money.h"
#include "chitfund/domain/settlement.h"
#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Text of a lot's candidate list "3,7,12" (1000 tickets of up to 4 digits). */
#define CF_LOT_CANDIDATES_SIZE 5008
/** Place of a draw for the minutes ("online" by default). */
#define CF_PLACE_SIZE 129
/** Ledger event kind text ("draw", "gst", "payment" ...). */
#define CF_LEDGER_EVENT_SIZE 32

/** Auction status (domain.md "Auction status"). */
typedef enum cf_auction_status {
	CF_AUCTION_SCHEDULED = 0,
	CF_AUCTION_OPEN = 1,
	CF_AUCTION_SETTLED = 2
} cf_auction_status;

/** "scheduled", "open", "settled"; "" for an unknown value. */
const char *cf_auction_status_name(cf_auction_status s);
/** Parse an exact status name; CF_EINVALID otherwise. */
int cf_auction_status_parse(const char *s, cf_auction_status *out);

/** An auction (one draw of one installment). Also the repository's row. */
typedef struct cf_auction_row {
	char id[CF_ID_SIZE];
	char scheme_id[CF_ID_SIZE];
	int32_t installment_no; /**< the draw number k, 1..N */
	cf_auction_status status;
	int64_t scheduled_at_ms;             /**< 0: null */
	int64_t opens_at_ms;                 /**< 0: null; set: the ticker opens it */
	int64_t closes_at_ms;                /**< 0: null; set: the ticker closes it */
	int64_t opened_at_ms;                /**< when it opened (0 while scheduled) */
	int64_t closed_at_ms;                /**< when it settled (0 until then) */
	char lot_commitment[CF_HEX256_SIZE]; /**< "" until opened */
	/** PRIVATE: the seed text; "" until opened; revealed only in the result. */
	char lot_seed[CF_HEX256_SIZE];
	int32_t bid_count;          /**< accepted bids so far */
	bool has_standing;          /**< a bid stands */
	cf_money standing_discount; /**< the highest discount (when has_standing) */
	int32_t extensions;         /**< anti-sniping extensions so far */
	char created_by[CF_ID_SIZE];
	int64_t created_at_ms;
	int64_t updated_at_ms;
	int64_t row_version;
} cf_auction_row;

/** A caller-owned array of auctions. */
typedef struct cf_auction_row_array {
	cf_auction_row *items;
	size_t count;
} cf_auction_row_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_auction_row_array_free(cf_auction_row_array *l);

/** An accepted bid. Also the repository's row. */
typedef struct cf_bid_row {
	char id[CF_ID_SIZE];
	char auction_id[CF_ID_SIZE];
	int32_t seq; /**< 1, 2, 3 ... in acceptance order */
	int32_t ticket_no;
	cf_money discount;
	int64_t placed_at_ms;
	char bidder_id[CF_ID_SIZE]; /**< the ticket's holder */
	char proxy_by[CF_ID_SIZE];  /**< the foreman/admin who placed it for him, or "" */
} cf_bid_row;

/** A caller-owned array of bids. */
typedef struct cf_bid_row_array {
	cf_bid_row *items;
	size_t count;
} cf_bid_row_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_bid_row_array_free(cf_bid_row_array *l);

/** The settlement of a draw (the close response). Also the repository's row. */
typedef struct cf_auction_result {
	char auction_id[CF_ID_SIZE];
	char scheme_id[CF_ID_SIZE];
	int32_t installment_no;
	cf_settlement s; /**< every amount (chitfund/domain/settlement.h) */
	bool has_lot;    /**< lot_proof is not null */
	char lot_commitment[CF_HEX256_SIZE];
	char lot_seed[CF_HEX256_SIZE];
	char lot_candidates[CF_LOT_CANDIDATES_SIZE]; /**< "3,7,12" ascending */
	int32_t lot_index;                           /**< 0-based */
	cf_date prize_due_by;                        /**< s.22 */
	int64_t settled_at_ms;
} cf_auction_result;

/** A caller-owned array of settlements. */
typedef struct cf_auction_result_array {
	cf_auction_result *items;
	size_t count;
} cf_auction_result_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_auction_result_array_free(cf_auction_result_array *l);

/**
 * "Dividend credited to ticket t for installment k": written when a draw
 * settles. installment_no 0 means the ticket's advance (the last draw under
 * next_installment, or the part of a dividend above the subscription).
 */
typedef struct cf_dividend_credit {
	char scheme_id[CF_ID_SIZE];
	int32_t ticket_no;
	int32_t installment_no; /**< 0: credited to the advance */
	cf_money amount;        /**< > 0 */
	char auction_id[CF_ID_SIZE];
	int64_t created_at_ms;
} cf_dividend_credit;

/** A caller-owned array of dividend credits. */
typedef struct cf_dividend_credit_array {
	cf_dividend_credit *items;
	size_t count;
} cf_dividend_credit_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_dividend_credit_array_free(cf_dividend_credit_array *l);

/** One ledger line as stored (debit positive, credit negative). */
typedef struct cf_ledger_line {
	char event_id[CF_ID_SIZE];        /**< the lines of one event sum to zero */
	char event[CF_LEDGER_EVENT_SIZE]; /**< "draw", "gst", "demand", "payment" ... */
	char scheme_id[CF_ID_SIZE];
	char account[CF_ACCOUNT_NAME_MAX]; /**< "member_receivable/7" (domain/ledger.h) */
	cf_money amount;
	int64_t posted_at_ms;
	int64_t seq; /**< storage order (assigned by the adapter on insert; 0 on input) */
} cf_ledger_line;

/** A caller-owned array of ledger lines. */
typedef struct cf_ledger_line_array {
	cf_ledger_line *items;
	size_t count;
} cf_ledger_line_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_ledger_line_array_free(cf_ledger_line_array *l);

#ifdef __cplusplus
}
#endif
#endif
