/*
 * chitfund/money_types.h - the plain value types of the money module
 * (payments, allocations, prizes, securities, disbursements, refunds,
 * demands, ledger balances, defaulters, statements, reports), shared by the
 * use-case API (chitfund/money.h) and the adapter SPI
 * (chitfund/sys/money_repo.h). Same conventions as chitfund/types.h.
 */
#ifndef CHITFUND_MONEY_TYPES_H
#define CHITFUND_MONEY_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/auction_types.h"
#include "chitfund/domain/dues.h"
#include "chitfund/domain/ledger.h"
#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_RECEIPT_NO_SIZE 24  /**< "R/2026-27/000001" */
#define CF_PAY_REF_SIZE    129 /**< payment/disbursement reference, up to 128 chars */
#define CF_REASON_SIZE     257 /**< reasons and descriptions, up to 256 chars */

/* Problem slugs of this module (api.md "Problem types"). */
#define CF_SLUG_IDEM_REQUIRED      "idempotency-key-required"
#define CF_SLUG_IDEM_REUSED        "idempotency-key-reused"
#define CF_SLUG_SCHEME_NOT_RUNNING "scheme-not-running"
#define CF_SLUG_PAID_ON_BEFORE     "paid-on-before-last-payment"
#define CF_SLUG_SECURITY_INSUFF    "security-insufficient"
#define CF_SLUG_MAKER_CANNOT       "maker-cannot-approve"
#define CF_SLUG_ALREADY_APPROVED   "already-approved"

/* ---- idempotency ---------------------------------------------------------- */

/**
 * Renders the response of a money-moving use case inside its transaction, so
 * the exact bytes are stored with the key and replayed later. `resource` is
 * the use case's result (cf_payment_view for payments, cf_disbursement for
 * disbursements). Sets *status and *body (malloc'd, *len bytes; ownership
 * passes to the core). Returns CF_OK or a negative code (the use case fails).
 */
typedef int (*cf_idem_render_fn)(void *ctx, const void *resource, int *status, char **body,
                                 size_t *len);

/** An Idempotency-Key request (api.md conventions). */
typedef struct cf_idem {
	const char *key;          /**< 1..255 printable ASCII */
	const char *request;      /**< canonical request text (equal JSON -> equal text) */
	cf_idem_render_fn render; /**< required */
	void *render_ctx;
} cf_idem;

/** The stored answer: the first response, or a replay of it. Free with cf_idem_reply_free. */
typedef struct cf_idem_reply {
	bool replayed; /**< true: an earlier request with this key answered; resource not filled */
	int status;
	char *body;
	size_t len;
} cf_idem_reply;
/** Free r->body and zero *r (NULL-safe). */
void cf_idem_reply_free(cf_idem_reply *r);

/* ---- payments --------------------------------------------------------------- */

/** How a payment was made. */
typedef enum cf_payment_method {
	CF_PAY_CASH = 0,
	CF_PAY_UPI = 1,
	CF_PAY_BANK_TRANSFER = 2,
	CF_PAY_CHEQUE = 3
} cf_payment_method;
/** "cash", "upi", "bank_transfer", "cheque". */
const char *cf_payment_method_name(cf_payment_method m);
/** Parse an exact method name; CF_EINVALID otherwise. */
int cf_payment_method_parse(const char *s, cf_payment_method *out);

/** A payment's standing. */
typedef enum cf_payment_status { CF_PAYMENT_CLEARED = 0, CF_PAYMENT_BOUNCED = 1 } cf_payment_status;
/** "cleared" / "bounced". */
const char *cf_payment_status_name(cf_payment_status s);

/** A payment (also the repository row). */
typedef struct cf_payment {
	char id[CF_ID_SIZE];
	char receipt_no[CF_RECEIPT_NO_SIZE];
	int32_t receipt_fy; /**< financial year start (2026 for 2026-27) */
	int64_t receipt_seq;
	char scheme_id[CF_ID_SIZE];
	int32_t ticket_no;
	char payer_id[CF_ID_SIZE]; /**< the ticket's holder when paid */
	cf_money amount;
	cf_payment_method method;
	char reference[CF_PAY_REF_SIZE];
	cf_date paid_on;
	cf_payment_status status;
	cf_money principal;      /**< allocated to principal */
	cf_money penalty;        /**< allocated to late fees */
	cf_money advance;        /**< the surplus kept as advance */
	cf_money fee_accrued;    /**< late fee accrued (and posted) by this payment */
	cf_money advance_before; /**< the ticket's advance before it (bounce restores it) */
	int64_t dues_version;    /**< the ticket's dues version after it */
	char recorded_by[CF_ID_SIZE];
	int64_t created_at_ms;
	cf_date bounced_on; /**< {0,0,0} unless bounced */
	char bounce_reason[CF_REASON_SIZE];
	int64_t seq; /**< listing order (assigned by the repository) */
} cf_payment;

/** One installment a payment reached, with the due's late-fee state before it. */
typedef struct cf_payment_alloc {
	char payment_id[CF_ID_SIZE];
	int32_t installment_no;
	cf_money principal;
	cf_money penalty;
	cf_money prev_penalty;
	cf_date prev_penalty_as_of;
	cf_date prev_base_date;
	cf_money prev_base_accrued;
} cf_payment_alloc;

/** A caller-owned array of allocations. */
typedef struct cf_payment_alloc_array {
	cf_payment_alloc *items;
	size_t count;
} cf_payment_alloc_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_payment_alloc_array_free(cf_payment_alloc_array *l);

/** A payment with its allocations. Free with cf_payment_view_free. */
typedef struct cf_payment_view {
	cf_payment p;
	cf_payment_alloc_array allocs;
} cf_payment_view;
/** Free v's allocations (NULL-safe). */
void cf_payment_view_free(cf_payment_view *v);

/** A payment request. */
typedef struct cf_payment_req {
	const char *scheme_id;
	int32_t ticket_no;
	cf_money amount; /**< > 0 */
	cf_payment_method method;
	const char *reference; /**< NULL/"": none; required for a subscriber */
	bool has_paid_on;      /**< false: today (business date) */
	cf_date paid_on;
} cf_payment_req;

/** A caller-owned array of payments. */
typedef struct cf_payment_array {
	cf_payment *items;
	size_t count;
} cf_payment_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_payment_array_free(cf_payment_array *l);

/** A page of payments. Free with cf_payment_page_free. */
typedef struct cf_payment_page {
	cf_payment_array payments;
	char next_cursor[CF_CURSOR_SIZE];
} cf_payment_page;
/** Free the page's items (NULL-safe). */
void cf_payment_page_free(cf_payment_page *p);

/* ---- prizes, security, disbursements --------------------------------------- */

/** A settled draw's prize as the money side keeps it (also the repository row). */
typedef struct cf_prize {
	char auction_id[CF_ID_SIZE];
	char scheme_id[CF_ID_SIZE];
	int32_t installment_no;
	int32_t ticket_no;
	cf_date draw_date;
	cf_money prize_amount; /**< P = V - D */
	cf_money gst_deducted; /**< G when borne by the winner, else 0 */
	cf_money liability;    /**< future subscriptions, gross: S x (N - k) */
	bool no_security;      /**< the winner elected deduction from the prize */
	cf_date due_by;        /**< s.22: the date the prize should be paid by */
	bool paid;
	cf_date paid_on;
	cf_money net_paid; /**< what was paid out (prize - GST - withheld) */
	int64_t row_version;
} cf_prize;

/** A caller-owned array of prizes. */
typedef struct cf_prize_array {
	cf_prize *items;
	size_t count;
} cf_prize_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_prize_array_free(cf_prize_array *l);

/** One security recorded for a prize (also the repository row). */
typedef struct cf_security_rec {
	char id[CF_ID_SIZE];
	char auction_id[CF_ID_SIZE];
	cf_security_kind kind;
	char description[CF_REASON_SIZE];
	cf_money value;
	char created_by[CF_ID_SIZE];
	int64_t created_at_ms;
} cf_security_rec;

/** A caller-owned array of securities. */
typedef struct cf_security_array {
	cf_security_rec *items;
	size_t count;
} cf_security_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_security_array_free(cf_security_array *l);

/** "personal" / "property"; parse returns CF_EINVALID otherwise. */
const char *cf_security_kind_name(cf_security_kind k);
int cf_security_kind_parse(const char *s, cf_security_kind *out);

/** Disbursement standing. */
typedef enum cf_disb_status { CF_DISB_PENDING = 0, CF_DISB_PAID = 1 } cf_disb_status;
/** "pending" / "paid"; parse CF_EINVALID otherwise. */
const char *cf_disb_status_name(cf_disb_status s);
int cf_disb_status_parse(const char *s, cf_disb_status *out);

/** A prize disbursement (also the repository row). */
typedef struct cf_disbursement {
	char id[CF_ID_SIZE];
	char auction_id[CF_ID_SIZE];
	char scheme_id[CF_ID_SIZE];
	int32_t ticket_no;
	cf_money gross_prize;
	cf_money gst_deducted;
	cf_money withheld;
	cf_money amount; /**< gross - gst - withheld */
	char method[CF_LEDGER_EVENT_SIZE];
	char reference[CF_PAY_REF_SIZE];
	cf_disb_status status;
	char maker_id[CF_ID_SIZE];
	char checker_id[CF_ID_SIZE]; /**< "" until approved */
	int64_t created_at_ms;
	int64_t paid_at_ms; /**< 0 until approved */
	int64_t seq;
	int64_t row_version;
} cf_disbursement;

/** A caller-owned array of disbursements. */
typedef struct cf_disbursement_array {
	cf_disbursement *items;
	size_t count;
} cf_disbursement_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_disbursement_array_free(cf_disbursement_array *l);

/* ---- defaulters ------------------------------------------------------------- */

/** One overdue ticket. */
typedef struct cf_defaulter {
	int32_t ticket_no;
	char user_id[CF_ID_SIZE];
	cf_arrears a;
	bool prized;
	bool removed;
} cf_defaulter;

/** A caller-owned array of defaulters. */
typedef struct cf_defaulter_array {
	cf_defaulter *items;
	size_t count;
} cf_defaulter_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_defaulter_array_free(cf_defaulter_array *l);

/** A written demand to a prized defaulter (also the repository row). */
typedef struct cf_demand {
	char id[CF_ID_SIZE];
	char scheme_id[CF_ID_SIZE];
	int32_t ticket_no;
	char user_id[CF_ID_SIZE];
	cf_money arrears;     /**< fixed dues unpaid (with late fee) */
	cf_money future;      /**< every not yet fixed subscription, gross */
	cf_money amount;      /**< arrears + future */
	int32_t installments; /**< number of installments demanded */
	char created_by[CF_ID_SIZE];
	int64_t created_at_ms;
} cf_demand;

/** A refund (also the repository row): kind "advance", "s42", "substitution". */
typedef struct cf_refund {
	char id[CF_ID_SIZE];
	char scheme_id[CF_ID_SIZE];
	int32_t ticket_no;
	char user_id[CF_ID_SIZE];
	char kind[CF_LEDGER_EVENT_SIZE];
	cf_money amount;
	int64_t created_at_ms;
} cf_refund;

/** A caller-owned array of refunds. */
typedef struct cf_refund_array {
	cf_refund *items;
	size_t count;
} cf_refund_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_refund_array_free(cf_refund_array *l);

/* ---- ledger ----------------------------------------------------------------- */

/** An account's balance. */
typedef struct cf_account_balance {
	char account[CF_ACCOUNT_NAME_MAX];
	cf_money balance;
} cf_account_balance;

/** A caller-owned array of balances. */
typedef struct cf_balance_array {
	cf_account_balance *items;
	size_t count;
} cf_balance_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_balance_array_free(cf_balance_array *l);

/** The ledger view of a scheme. Free with cf_ledger_view_free. */
typedef struct cf_ledger_view {
	cf_balance_array balances; /**< by account name */
	cf_ledger_line_array lines;
	char next_cursor[CF_CURSOR_SIZE];
} cf_ledger_view;
/** Free the view (NULL-safe). */
void cf_ledger_view_free(cf_ledger_view *v);

/* ---- statements ------------------------------------------------------------- */

/** A ticket's statement (domain.md "Statement rows"). Free with cf_statement_free. */
typedef struct cf_statement {
	char scheme_id[CF_ID_SIZE];
	int32_t ticket_no;
	cf_date as_of;
	cf_statement_row *rows;
	size_t count;
	cf_money advance;
	bool has_prize;
	int32_t prize_installment_no;
	cf_money prize_amount;
	cf_money net_payout; /**< P - G once paid (0 until then) */
	bool prize_paid;
	cf_date prize_paid_on;
	cf_statement_row totals;
	bool has_xirr;
	int64_t xirr_bps;
	cf_money npv;
	cf_money plain_difference;
} cf_statement;
/** Free s->rows (NULL-safe). */
void cf_statement_free(cf_statement *s);

/* ---- termination ------------------------------------------------------------ */

/* ---- reports ---------------------------------------------------------------- */

/** The reports of api.md. */
typedef enum cf_report_kind {
	CF_REPORT_COLLECTIONS = 0,
	CF_REPORT_OUTSTANDING = 1,
	CF_REPORT_COMMISSION_GST = 2,
	CF_REPORT_PRIZES = 3,
	CF_REPORT_TRIAL_BALANCE = 4
} cf_report_kind;
/** "collections", "outstanding", "commission-gst", "prizes", "trial-balance". */
const char *cf_report_kind_name(cf_report_kind k);
int cf_report_kind_parse(const char *s, cf_report_kind *out);

/** A report cell: an integer (money in paise, counts) or text. */
typedef struct cf_report_cell {
	bool is_int;
	bool is_null;
	int64_t i;
	char text[CF_ACCOUNT_NAME_MAX];
} cf_report_cell;

/** A report: column names and rows of ncols cells. Free with cf_report_free. */
typedef struct cf_report {
	size_t ncols;
	const char *const *cols; /**< static names */
	cf_report_cell *cells;   /**< nrows x ncols */
	size_t nrows;
} cf_report;
/** Free r->cells (NULL-safe). */
void cf_report_free(cf_report *r);

/** Report filter: scheme (NULL/"": every scheme the actor may see), date range (invalid: open). */
typedef struct cf_report_query {
	const char *scheme_id;
	cf_date from;
	cf_date to;
} cf_report_query;

/* ---- verification ----------------------------------------------------------- */

/** Outcome of cf_money_verify. */
typedef struct cf_money_verify_result {
	bool ok;
	int64_t lines_checked;
	int64_t tickets_checked;
	char first_break[256]; /**< "" when ok */
} cf_money_verify_result;

#ifdef __cplusplus
}
#endif
#endif
