/*
 * chitfund/sys/money_repo.h - the money repository port (issue 5): per
 * ticket money state and dues, payments and their allocations, receipt
 * counters, idempotency keys, prizes, securities,
 * disbursements, refunds and demands (ledger lines go through
 * chitfund/sys/ledger_repo.h). Rows are the public structs of
 * chitfund/money.h plus cf_ticket_acct below.
 *
 * Locks (postgres): acct_get with lock = SELECT ... FOR UPDATE on the
 * ticket's money row (every change to a ticket's dues holds it);
 * receipt_assign updates the financial year's single counter row, so the
 * core calls it last, just before COMMIT (one statement under that lock); idem_claim inserts the
 * key's row first, so a concurrent request with the same key blocks on it
 * until the first commits (then sees its answer) or rolls back (then
 * claims it); prize_get/disb_get with lock = FOR UPDATE.
 */
#ifndef CHITFUND_SYS_MONEY_REPO_H
#define CHITFUND_SYS_MONEY_REPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/money_types.h"
#include "chitfund/sys/tx.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_MONEY_REPO_VERSION 2

/** A ticket's money state (one row per ticket of a running scheme). */
typedef struct cf_ticket_acct {
	char scheme_id[CF_ID_SIZE];
	int32_t ticket_no;
	cf_money advance;     /**< advance balance (>= 0) */
	cf_date last_paid_on; /**< latest payment's paid_on; {0,0,0}: none */
	int64_t dues_version; /**< +1 on every change to the ticket's dues */
	cf_date notice_date;  /**< removal notice; {0,0,0}: none */
	char notice_reason[CF_REASON_SIZE];
	int64_t row_version;
} cf_ticket_acct;

/** A caller-owned array of accounts. */
typedef struct cf_ticket_acct_array {
	cf_ticket_acct *items;
	size_t count;
} cf_ticket_acct_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_ticket_acct_array_free(cf_ticket_acct_array *l);

/** One stored due of a ticket (only fixed installments are stored). */
typedef struct cf_due_row {
	int32_t ticket_no;
	cf_due due;
} cf_due_row;

/** A caller-owned array of dues. */
typedef struct cf_due_row_array {
	cf_due_row *items;
	size_t count;
} cf_due_row_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_due_row_array_free(cf_due_row_array *l);

/** Money repository port. Every method is Required. */
typedef struct cf_money_repo {
	unsigned int version; /**< CF_MONEY_REPO_VERSION */
	void *self;

	/* ticket accounts */
	/** Insert. CF_EEXISTS when (scheme_id, ticket_no) exists. */
	int (*acct_insert)(void *self, cf_tx *tx, const cf_ticket_acct *a);
	/** Load one (lock: FOR UPDATE). CF_ENOTFOUND. */
	int (*acct_get)(void *self, cf_tx *tx, const char *scheme_id, int32_t ticket_no, bool lock,
	                cf_ticket_acct *out);
	/** Replace when row_version matches, then ++row_version. CF_ECONFLICT, CF_ENOTFOUND. */
	int (*acct_update)(void *self, cf_tx *tx, cf_ticket_acct *a);
	/** A scheme's accounts by ticket_no. */
	int (*acct_list)(void *self, cf_tx *tx, const char *scheme_id, cf_ticket_acct_array *out);

	/* dues */
	/** Insert or replace the due (scheme, ticket, d->installment_no). */
	int (*due_put)(void *self, cf_tx *tx, const char *scheme_id, int32_t ticket_no,
	               const cf_due *d);
	/** A scheme's dues ordered by (ticket_no, installment_no); ticket_no 0: every ticket. */
	int (*due_list)(void *self, cf_tx *tx, const char *scheme_id, int32_t ticket_no,
	                cf_due_row_array *out);

	/* payments */
	/** Insert (seq assigned and written back). CF_EEXISTS (id or receipt taken). */
	int (*payment_insert)(void *self, cf_tx *tx, cf_payment *p);
	/** By id (lock: FOR UPDATE). CF_ENOTFOUND. */
	int (*payment_get)(void *self, cf_tx *tx, const char *id, bool lock, cf_payment *out);
	/** By receipt number. CF_ENOTFOUND. */
	int (*payment_get_by_receipt)(void *self, cf_tx *tx, const char *receipt_no,
	                              cf_payment *out);
	/** Store status, bounced_on and bounce_reason of p->id. CF_ENOTFOUND. */
	int (*payment_set_status)(void *self, cf_tx *tx, const cf_payment *p);
	/**
	 * Payments ordered by seq with seq > after_seq, at most limit (0: no
	 * limit); scheme_id "" any scheme; ticket_no 0 any ticket.
	 */
	int (*payment_list)(void *self, cf_tx *tx, const char *scheme_id, int32_t ticket_no,
	                    int64_t after_seq, size_t limit, cf_payment_array *out);
	/** Insert n allocations. */
	int (*alloc_insert)(void *self, cf_tx *tx, const cf_payment_alloc *a, size_t n);
	/** A payment's allocations by installment_no. */
	int (*alloc_list)(void *self, cf_tx *tx, const char *payment_id,
	                  cf_payment_alloc_array *out);

	/* idempotency */
	/**
	 * Claim (user_id, key) for request_hash: CF_OK when this tx inserted the
	 * row (it is ours to complete); CF_EEXISTS when a completed row exists:
	 * *hash_out (65 bytes), *status and *body (malloc'd, *len; free()) filled.
	 * Blocks while another transaction holds an uncommitted claim.
	 */
	int (*idem_claim)(void *self, cf_tx *tx, const char *user_id, const char *key,
	                  const char *request_hash, int64_t now_ms, char *hash_out, int *status,
	                  char **body, size_t *len);
	/** Store the answer of a claimed key. */
	int (*idem_complete)(void *self, cf_tx *tx, const char *user_id, const char *key,
	                     int status, const char *body, size_t len, int64_t now_ms);

	/**
	 * Take the next number n of financial year fy's receipt counter (1, 2, 3
	 * ... gapless: the counter row is updated in tx) and give it to payment
	 * payment_id (inserted earlier in tx with receipt_seq 0 and receipt_no
	 * ""): receipt_seq = n, receipt_no = prefix followed by n in at least six
	 * digits ("R/2026-27/" -> "R/2026-27/000001"). When idem_key is not
	 * NULL, the same call completes that claimed key of idem_user with
	 * status and body_template in which every occurrence of `placeholder`
	 * is replaced by the receipt number. *seq receives n. One round trip,
	 * so the counter lock is held only until COMMIT. CF_ENOTFOUND when no
	 * such payment (or claimed key).
	 */
	int (*receipt_assign)(void *self, cf_tx *tx, const char *payment_id, int32_t fy,
	                      const char *prefix, const char *idem_user, const char *idem_key,
	                      int status, const char *body_template, const char *placeholder,
	                      int64_t now_ms, int64_t *seq);

	/* prizes and payouts */
	/** Insert. CF_EEXISTS. */
	int (*prize_insert)(void *self, cf_tx *tx, const cf_prize *p);
	/** By auction id (lock: FOR UPDATE). CF_ENOTFOUND. */
	int (*prize_get)(void *self, cf_tx *tx, const char *auction_id, bool lock, cf_prize *out);
	/** Replace when row_version matches, then ++. CF_ECONFLICT, CF_ENOTFOUND. */
	int (*prize_update)(void *self, cf_tx *tx, cf_prize *p);
	/** Prizes ordered by (scheme, installment_no); scheme_id "": all. */
	int (*prize_list)(void *self, cf_tx *tx, const char *scheme_id, cf_prize_array *out);
	/** Insert a security. */
	int (*security_insert)(void *self, cf_tx *tx, const cf_security_rec *s);
	/** Securities of an auction's prize by created_at. */
	int (*security_list)(void *self, cf_tx *tx, const char *auction_id, cf_security_array *out);
	/** Insert (seq assigned). CF_EEXISTS when the auction has one already. */
	int (*disb_insert)(void *self, cf_tx *tx, cf_disbursement *d);
	/** By id (lock: FOR UPDATE). CF_ENOTFOUND. */
	int (*disb_get)(void *self, cf_tx *tx, const char *id, bool lock, cf_disbursement *out);
	/** Replace when row_version matches, then ++. */
	int (*disb_update)(void *self, cf_tx *tx, cf_disbursement *d);
	/** Ordered by seq; has_status false: any. */
	int (*disb_list)(void *self, cf_tx *tx, bool has_status, cf_disb_status status,
	                 cf_disbursement_array *out);

	/* refunds and demands */
	int (*refund_insert)(void *self, cf_tx *tx, const cf_refund *r);
	/** A scheme's refunds by created order ("" all). */
	int (*refund_list)(void *self, cf_tx *tx, const char *scheme_id, cf_refund_array *out);
	int (*demand_insert)(void *self, cf_tx *tx, const cf_demand *d);
	/* ---- end of version 1 ---- */
	/**
	 * Optional (version 2; NULL: the core calls receipt_assign). The same
	 * work as receipt_assign, but the adapter may do it with the commit of
	 * tx (postgres: pipelined after the audit append, before COMMIT, so the
	 * counter lock is held only for the commit): *seq (which must outlive
	 * the commit) is written by then and means something only when the
	 * commit succeeds. A missing payment or claimed key fails the commit.
	 * Strings are copied. CF_ENOMEM.
	 */
	int (*receipt_assign_at_commit)(void *self, cf_tx *tx, const char *payment_id, int32_t fy,
	                                const char *prefix, const char *idem_user,
	                                const char *idem_key, int status, const char *body_template,
	                                const char *placeholder, int64_t now_ms, int64_t *seq);
} cf_money_repo;

#ifdef __cplusplus
}
#endif
#endif
