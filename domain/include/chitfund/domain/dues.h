/*
 * chitfund/domain/dues.h - money over time: what a ticket owes per
 * installment, late fees, payment allocation, advances, dividend credits,
 * prize security and statement rows (domain.md "Money over time" and
 * "Precise rules").
 *
 * Everything here is pure: no allocation, no clock. Callers own every array
 * and pass its capacity; functions that update a ticket's dues do so in
 * place and only when they succeed (on any error the dues are untouched).
 */
#ifndef CHITFUND_DOMAIN_DUES_H
#define CHITFUND_DOMAIN_DUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/domain/date.h"
#include "chitfund/domain/errcode.h"
#include "chitfund/domain/money.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- late fee ---------------------------------------------------------- */

/** A scheme's late-fee terms (domain.md parameters table). */
typedef struct cf_late_fee_terms {
	int32_t bps_per_month; /**< simple interest per 30 days, basis points (>= 0) */
	int32_t grace_days;    /**< days after the due date before the fee runs (>= 0) */
} cf_late_fee_terms;

/**
 * Late fee on `principal` for `days` days late (days counted after the
 * grace period): principal x bps_per_month x days / (10000 x 30), rounded
 * half-up to the paisa. 5,000.00 at 200 bps for 21 days = 70.00.
 * CF_EINVALID for a negative principal, rate or day count; CF_EOVERFLOW
 * when the result does not fit.
 */
int cf_late_fee(cf_money principal, int32_t bps_per_month, int64_t days, cf_money *out);

/**
 * Days of late fee owed on an installment as of `as_of`: the fee runs from
 * the later of (due_date + grace_days) and `fixed_on` (the day the
 * installment's amount was fixed), so the result is
 * max(0, as_of - max(due_date + grace_days, fixed_on)). All dates must be
 * valid (undefined otherwise); grace_days >= 0.
 */
int64_t cf_late_fee_days(cf_date due_date, int32_t grace_days, cf_date fixed_on, cf_date as_of);

/* ---- one installment of one ticket -------------------------------------- */

/**
 * What a ticket owes for one installment. Amounts are in paise and never
 * negative. Invariants kept by the functions below: net_due = gross -
 * dividend; 0 <= principal_paid <= net_due; 0 <= penalty_paid <= penalty.
 *
 * Late fee bookkeeping ("Late fee over several payments"): the fee runs on
 * the outstanding principal from the later of due_date + grace days,
 * fixed_on and penalty_base_date (the day the principal last changed). Each
 * time it is computed to a date D, the fee for the whole run up to D is
 * taken with cf_late_fee (rounded half-up) and what exceeds
 * penalty_base_accrued is added to penalty. So one payment gives exactly
 * the formula, and splitting the computation over several payments that
 * leave the principal unchanged (late fee only, or money stopping at an
 * earlier installment) gives exactly the same total. A payment that
 * changes the principal starts a new run on its date. Persist all fields.
 */
typedef struct cf_due {
	int32_t installment_no;        /**< 1-based */
	cf_date due_date;              /**< from the schedule */
	bool fixed;                    /**< its amount is fixed (domain.md "Fixed amount") */
	cf_date fixed_on;              /**< the business date it became fixed (when fixed) */
	cf_money gross;                /**< S */
	cf_money dividend;             /**< dividend credited to it (never above gross) */
	cf_money net_due;              /**< gross - dividend */
	cf_money principal_paid;       /**< principal received so far */
	cf_money penalty;              /**< late fee accrued up to penalty_as_of */
	cf_money penalty_paid;         /**< late fee received so far */
	cf_date penalty_as_of;         /**< date the late fee was last computed to */
	cf_date penalty_base_date;     /**< the day the outstanding principal last changed */
	cf_money penalty_base_accrued; /**< late fee accrued since penalty_base_date */
} cf_due;

/**
 * Initialise an unfixed installment owing `gross`, with nothing paid or
 * accrued (penalty_as_of = penalty_base_date = due_date).
 */
void cf_due_init(cf_due *d, int32_t installment_no, cf_date due_date, cf_money gross);

/**
 * Credit a dividend (share of discount) to an installment that is not yet
 * fixed: net_due = gross - (dividend so far + d), never below zero. The
 * part of `d` that would take it below zero is returned in *excess (it
 * goes to the ticket's advance). CF_EINVALID for a negative d; CF_ECONFLICT
 * when the installment is already fixed; CF_EOVERFLOW on overflow.
 */
int cf_due_apply_dividend(cf_due *d, cf_money dividend, cf_money *excess);

/**
 * Mark an installment fixed on `fixed_on`. CF_ECONFLICT when it already is;
 * CF_EINVALID for an invalid date.
 */
int cf_due_fix(cf_due *d, cf_date fixed_on);

/** Principal still owed: net_due - principal_paid (0 when not fixed). */
cf_money cf_due_principal_outstanding(const cf_due *d);

/**
 * The late fee accrued on `d` since it was last computed, up to `as_of`
 * (see cf_due for the rounding), without changing `d`. Zero for an
 * unfixed installment, one with no principal outstanding, or an as_of not
 * later than the start of the fee. CF_EINVALID for bad terms or dates;
 * CF_EOVERFLOW on overflow.
 */
int cf_due_penalty_pending(const cf_due *d, cf_late_fee_terms t, cf_date as_of, cf_money *out);

/**
 * Add the pending late fee (cf_due_penalty_pending) to d->penalty and move
 * penalty_as_of to as_of (never backwards). *added (optional) receives the
 * amount added. Errors as cf_due_penalty_pending; d untouched on error.
 */
int cf_due_accrue(cf_due *d, cf_late_fee_terms t, cf_date as_of, cf_money *added);

/* ---- a ticket's dues ---------------------------------------------------- */

/**
 * True when the ticket is overdue (in default) on date `on`: a fixed
 * installment has principal unpaid and its due_date + grace_days is
 * before `on`. An installment falling due on `on` does not count.
 */
bool cf_dues_overdue(const cf_due *dues, size_t n, int32_t grace_days, cf_date on);

/** A ticket's arrears on a date (the defaulters list). */
typedef struct cf_arrears {
	int32_t overdue_installments; /**< fixed installments overdue on the date */
	cf_money arrears;             /**< their unpaid principal */
	cf_money late_fee;            /**< late fee owed on every installment, pending included */
	int64_t days_past_due; /**< days since the oldest overdue due_date + grace (0: none) */
} cf_arrears;

/**
 * Compute a ticket's arrears on `on` without changing the dues.
 * CF_EINVALID for bad terms or dates; CF_EOVERFLOW on overflow.
 */
int cf_dues_arrears(const cf_due *dues, size_t n, cf_late_fee_terms t, cf_date on, cf_arrears *out);

/** What one payment did to one installment. */
typedef struct cf_allocation {
	int32_t installment_no;
	cf_money principal; /**< applied to principal */
	cf_money penalty;   /**< applied to late fee */
} cf_allocation;

/**
 * The result of applying money to a ticket's dues. The caller sets `lines`
 * and `cap` (lines may be NULL when cap is 0); the function fills the rest.
 */
typedef struct cf_allocation_result {
	cf_allocation *lines; /**< caller's array: one line per installment that got money */
	size_t cap;           /**< its capacity */
	size_t count;         /**< lines written (on CF_EBUFFER: lines needed) */
	cf_money advance;     /**< what was left over: the advance */
	cf_money fee_accrued; /**< late fee accrued (added to penalties) by this call */
} cf_allocation_result;

/**
 * Apply `amount` paid on `paid_on` to a ticket's dues (sorted by strictly
 * increasing installment_no), as domain.md says: only FIXED installments
 * (whether or not due yet), oldest first; on each installment that money
 * reaches, first the late fee accrued since it was last computed is added
 * (rounded half-up then), then the outstanding late fee is paid, then the
 * principal. What is left is res->advance. The dues are updated in place.
 *
 * Errors (dues untouched): CF_EINVALID for a negative amount, unsorted
 * dues, bad terms or dates; CF_EBUFFER when res->cap is smaller than the
 * number of lines (res->count then says how many are needed);
 * CF_EOVERFLOW on overflow.
 */
int cf_dues_allocate(cf_due *dues, size_t n, cf_late_fee_terms t, cf_money amount, cf_date paid_on,
                     cf_allocation_result *res);

/**
 * Apply a ticket's advance balance when an installment becomes fixed on
 * `on` (call it after cf_due_fix): exactly cf_dues_allocate of `advance`
 * dated `on`, so oldest arrears and their late fees go first. res->advance
 * is the advance left. Errors as cf_dues_allocate.
 */
int cf_dues_apply_advance(cf_due *dues, size_t n, cf_late_fee_terms t, cf_money advance, cf_date on,
                          cf_allocation_result *res);

/* ---- prize security (s.22) -------------------------------------------- */

/** Kind of security a winner offers. */
typedef enum cf_security_kind {
	CF_SECURITY_PERSONAL = 0, /**< must be worth >= 4/3 of the liability */
	CF_SECURITY_PROPERTY = 1  /**< must be worth >= 3/2 of the liability */
} cf_security_kind;

/** One security recorded for a prize. */
typedef struct cf_security {
	cf_security_kind kind;
	cf_money value; /**< >= 0 */
} cf_security;

/**
 * A winner's future liability: subscription S (gross) x the installments
 * after the draw (installments_after = N - k for draw k). CF_EINVALID for
 * negative inputs; CF_EOVERFLOW on overflow.
 */
int cf_prize_future_liability(cf_money subscription, int32_t installments_after, cf_money *out);

/**
 * Whether securities worth `personal` and `property` in total cover
 * `liability`, compared exactly: 9 x personal + 8 x property >= 12 x
 * liability. CF_EINVALID for negative inputs; CF_EOVERFLOW when a product
 * or the sum does not fit in int64.
 */
int cf_security_covers(cf_money personal, cf_money property, cf_money liability, bool *covered);

/**
 * cf_security_covers over a list of securities (summed by kind).
 * CF_EINVALID for a negative value or unknown kind; CF_EOVERFLOW.
 */
int cf_security_list_covers(const cf_security *s, size_t n, cf_money liability, bool *covered);

/**
 * The no-security option: every future subscription is withheld from the
 * prize (*withheld = the future liability) and the rest is payable by
 * *pay_by = the earlier of draw_date + 7 days and the day before the next
 * installment's due date (never before draw_date). next_due is NULL when
 * there is no next installment. CF_EINVALID for negative inputs or invalid
 * dates; CF_EOVERFLOW on overflow.
 */
int cf_prize_no_security(cf_money subscription, int32_t installments_after, cf_date draw_date,
                         const cf_date *next_due, cf_money *withheld, cf_date *pay_by);

/* ---- statement rows ------------------------------------------------------ */

/** One row of a ticket's statement (domain.md "Statement rows"). */
typedef struct cf_statement_row {
	int32_t installment_no;
	cf_date due_date;
	bool fixed;
	cf_money gross_due;
	cf_money dividend_credited;
	cf_money net_due;      /**< gross_due when not fixed */
	cf_money paid;         /**< principal paid */
	cf_money penalty;      /**< late fee accrued to the statement date, paid or not */
	cf_money penalty_paid; /**< late fee paid */
	cf_money balance; /**< net_due - paid + penalty - penalty_paid (gross_due when not fixed) */
} cf_statement_row;

/**
 * The statement row of one installment as of `as_of` (the penalty includes
 * the fee pending since it was last computed). CF_EINVALID for bad terms
 * or dates; CF_EOVERFLOW.
 */
int cf_statement_row_of(const cf_due *d, cf_late_fee_terms t, cf_date as_of, cf_statement_row *row);

/**
 * Column totals over the FIXED rows, written to *totals with
 * installment_no 0, due_date all zero and fixed true. CF_EOVERFLOW on
 * overflow.
 */
int cf_statement_totals(const cf_statement_row *rows, size_t n, cf_statement_row *totals);

#ifdef __cplusplus
}
#endif
#endif
