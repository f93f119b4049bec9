/*
 * chitfund/domain/ledger.h - double-entry postings for every money event
 * (domain.md "Ledger").
 *
 * Amounts are debit positive, credit negative; every event's lines sum to
 * zero. Each event function writes its lines into a caller-owned array of
 * `cap` postings and stores the number written in *n. Lines whose amount
 * would be zero are left out, so an event may produce no lines. On
 * CF_EBUFFER *n holds the number of lines needed and the array's contents
 * are unspecified. Nothing is allocated.
 */
#ifndef CHITFUND_DOMAIN_LEDGER_H
#define CHITFUND_DOMAIN_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/domain/errcode.h"
#include "chitfund/domain/money.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The kinds of ledger account. Append only; never renumber. */
typedef enum cf_account_kind {
	CF_ACCT_CASH = 0,
	CF_ACCT_MEMBER_RECEIVABLE = 1, /**< per ticket: what it owes (negative: advance) */
	CF_ACCT_SCHEME_POOL = 2,
	CF_ACCT_PRIZE_PAYABLE = 3, /**< per ticket: prize owed to its winner */
	CF_ACCT_COMMISSION_INCOME = 4,
	CF_ACCT_GST_PAYABLE = 5,
	CF_ACCT_LATE_FEE_INCOME = 6,
	CF_ACCT_DIVIDEND_REMAINDER = 7,
	CF_ACCT_FOREMAN_ROUNDING = 8,
	CF_ACCT__COUNT /**< not a kind: the number of kinds */
} cf_account_kind;

/** An account: a kind, plus a ticket number (>= 1) for per-ticket kinds, 0 otherwise. */
typedef struct cf_account {
	cf_account_kind kind;
	int32_t ticket_no;
} cf_account;

/** One posting line. */
typedef struct cf_posting {
	cf_account account;
	cf_money amount; /**< debit positive, credit negative */
} cf_posting;

/** Longest account name ("member_receivable/2147483647") plus NUL fits in this. */
#define CF_ACCOUNT_NAME_MAX 48

/** The kind's name ("member_receivable"); NULL for an unknown kind. */
const char *cf_account_kind_name(cf_account_kind kind);
/** True for the kinds that carry a ticket number (member_receivable, prize_payable). */
bool cf_account_kind_per_ticket(cf_account_kind kind);
/** True when `a` is well formed: known kind, ticket_no >= 1 iff the kind is per ticket. */
bool cf_account_valid(cf_account a);
/** Two accounts are the same account. */
bool cf_account_equal(cf_account a, cf_account b);

/**
 * Write the account's name into buf: "cash", "member_receivable/7".
 * CF_EINVALID for an invalid account; CF_EBUFFER when cap is too small
 * (CF_ACCOUNT_NAME_MAX always suffices).
 */
int cf_account_format(cf_account a, char *buf, size_t cap);

/**
 * Parse `len` bytes of an account name back ("prize_payable/3"). The ticket
 * is decimal without sign or leading zeros, 1..INT32_MAX, and present
 * exactly for per-ticket kinds. CF_EINVALID otherwise.
 */
int cf_account_parse(const char *s, size_t len, cf_account *out);

/**
 * True when the lines sum to exactly zero. Overflow while summing, a NULL
 * array with n > 0, or an invalid account counts as not balanced.
 */
bool cf_ledger_balanced(const cf_posting *lines, size_t n);

/**
 * *out = the sum of the amounts posted to `account` in `lines` (its
 * balance, debit positive). CF_EINVALID for bad arguments; CF_EOVERFLOW.
 */
int cf_ledger_balance(const cf_posting *lines, size_t n, cf_account account, cf_money *out);

/**
 * Demand of an installment at the gross subscription S for each of
 * `ticket_count` tickets: Dr member_receivable/t S, Cr scheme_pool S per
 * ticket (two lines each). CF_EINVALID for S < 0 or a ticket < 1.
 */
int cf_ledger_demand(const int32_t *tickets, size_t ticket_count, cf_money subscription,
                     cf_posting *out, size_t cap, size_t *n);

/** The amounts of one settled draw. */
typedef struct cf_draw_posting {
	cf_money chit_value;    /**< V */
	cf_money carried_in;    /**< remainder carried from the previous draw */
	int32_t winner_ticket;  /**< w */
	cf_money prize;         /**< P = V - D */
	cf_money commission;    /**< C */
	cf_money dividend;      /**< d per sharing ticket */
	const int32_t *sharing; /**< the sharing tickets (may be NULL when sharing_count is 0) */
	size_t sharing_count;   /**< shares */
	cf_money remainder;     /**< carried to the next draw */
	bool last_draw;         /**< move the remainder to foreman_rounding */
} cf_draw_posting;

/**
 * Settlement of a draw: Dr scheme_pool V, Dr dividend_remainder carried_in /
 * Cr prize_payable/w P, Cr commission_income C, Cr member_receivable/t d for
 * each sharing ticket, Cr dividend_remainder remainder; on the last draw
 * also Dr dividend_remainder / Cr foreman_rounding remainder. Needs at most
 * 6 + sharing_count lines. CF_EINVALID for a negative amount, a bad ticket,
 * or amounts that break P + C + d x shares + remainder = V + carried_in
 * (the lines would not balance); CF_EOVERFLOW.
 */
int cf_ledger_draw(const cf_draw_posting *d, cf_posting *out, size_t cap, size_t *n);

/** Who bears GST on the commission (mirrors cf_gst_borne_by's values). */
typedef enum cf_ledger_gst_payer {
	CF_LEDGER_GST_WINNER = 0, /**< deducted from the prize */
	CF_LEDGER_GST_FOREMAN = 1 /**< out of the commission */
} cf_ledger_gst_payer;

/**
 * GST G on a draw's commission: Dr prize_payable/w G (winner) or Dr
 * commission_income G (foreman) / Cr gst_payable G. CF_EINVALID for G < 0,
 * a bad ticket (winner case) or an unknown payer.
 */
int cf_ledger_gst(int32_t winner_ticket, cf_money gst, cf_ledger_gst_payer payer, cf_posting *out,
                  size_t cap, size_t *n);

/**
 * A cleared payment by ticket t: Dr cash (sum of the parts) / Cr
 * member_receivable/t principal, Cr member_receivable/t late_fee, Cr
 * member_receivable/t advance (one line per non-zero part). CF_EINVALID for
 * a negative part or a bad ticket; CF_EOVERFLOW.
 */
int cf_ledger_payment(int32_t ticket, cf_money principal, cf_money late_fee, cf_money advance,
                      cf_posting *out, size_t cap, size_t *n);

/** Late fee accrued: Dr member_receivable/t / Cr late_fee_income. */
int cf_ledger_late_fee(int32_t ticket, cf_money amount, cf_posting *out, size_t cap, size_t *n);

/**
 * Reverse an event (a bounced cheque's payment and late-fee lines): the
 * same accounts with every amount negated, in the same order.
 * CF_EOVERFLOW when an amount is INT64_MIN; CF_EINVALID for a bad line.
 */
int cf_ledger_reverse(const cf_posting *lines, size_t count, cf_posting *out, size_t cap,
                      size_t *n);

/** Prize paid out: Dr prize_payable/w / Cr cash. */
int cf_ledger_payout(int32_t winner_ticket, cf_money amount, cf_posting *out, size_t cap,
                     size_t *n);

/**
 * No-security option: the withheld future subscriptions, Dr prize_payable/w
 * / Cr member_receivable/w.
 */
int cf_ledger_withhold(int32_t winner_ticket, cf_money amount, cf_posting *out, size_t cap,
                       size_t *n);

/** Refund (of an advance, or under s.42): Dr member_receivable/t / Cr cash. */
int cf_ledger_refund(int32_t ticket, cf_money amount, cf_posting *out, size_t cap, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
