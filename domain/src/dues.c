/*
 * dues.c - late fees, payment allocation, advances, dividend credits, prize
 * security and statement rows. Pure functions over caller-owned arrays.
 */
#include "chitfund/domain/dues.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Grace periods beyond this are refused (it keeps date arithmetic in range). */
#define MAX_GRACE_DAYS 36500
/* Days in a late-fee "month". */
#define FEE_MONTH_DAYS  30
#define BPS_DENOMINATOR 10000

static bool terms_valid(cf_late_fee_terms t)
{
	return t.bps_per_month >= 0 && t.grace_days >= 0 && t.grace_days <= MAX_GRACE_DAYS;
}

static cf_money money_min(cf_money a, cf_money b)
{
	return a.minor <= b.minor ? a : b;
}

static cf_date date_max(cf_date a, cf_date b)
{
	return cf_date_cmp(a, b) >= 0 ? a : b;
}

int cf_late_fee(cf_money principal, int32_t bps_per_month, int64_t days, cf_money *out)
{
	int64_t num;

	if (out == NULL || principal.minor < 0 || bps_per_month < 0 || days < 0)
		return CF_EINVALID;
	if (__builtin_mul_overflow((int64_t)bps_per_month, days, &num))
		return CF_EOVERFLOW;
	return cf_money_muldiv(principal, num, (int64_t)BPS_DENOMINATOR * FEE_MONTH_DAYS,
	                       CF_ROUND_HALF_UP, out);
}

int64_t cf_late_fee_days(cf_date due_date, int32_t grace_days, cf_date fixed_on, cf_date as_of)
{
	cf_date start = date_max(cf_date_add_days(due_date, grace_days), fixed_on);
	int64_t days = cf_date_diff(start, as_of);
	return days > 0 ? days : 0;
}

void cf_due_init(cf_due *d, int32_t installment_no, cf_date due_date, cf_money gross)
{
	if (d == NULL)
		return;
	d->installment_no = installment_no;
	d->due_date = due_date;
	d->fixed = false;
	d->fixed_on = due_date;
	d->gross = gross;
	d->dividend = cf_money_of(0);
	d->net_due = gross;
	d->principal_paid = cf_money_of(0);
	d->penalty = cf_money_of(0);
	d->penalty_paid = cf_money_of(0);
	d->penalty_as_of = due_date;
	d->penalty_base_date = due_date;
	d->penalty_base_accrued = cf_money_of(0);
}

int cf_due_apply_dividend(cf_due *d, cf_money dividend, cf_money *excess)
{
	cf_money room, applied, total, ex;
	int rc;

	if (d == NULL || dividend.minor < 0)
		return CF_EINVALID;
	if (d->fixed)
		return CF_ECONFLICT;
	rc = cf_money_sub(d->gross, d->dividend, &room);
	if (rc != CF_OK)
		return rc;
	if (room.minor < 0)
		return CF_EINVALID;
	applied = money_min(dividend, room);
	ex = cf_money_of(dividend.minor - applied.minor);
	rc = cf_money_add(d->dividend, applied, &total);
	if (rc != CF_OK)
		return rc;
	d->dividend = total;
	d->net_due = cf_money_of(d->gross.minor - total.minor);
	if (excess != NULL)
		*excess = ex;
	return CF_OK;
}

int cf_due_fix(cf_due *d, cf_date fixed_on)
{
	if (d == NULL || !cf_date_valid(fixed_on))
		return CF_EINVALID;
	if (d->fixed)
		return CF_ECONFLICT;
	d->fixed = true;
	d->fixed_on = fixed_on;
	return CF_OK;
}

cf_money cf_due_principal_outstanding(const cf_due *d)
{
	if (d == NULL || !d->fixed || d->principal_paid.minor >= d->net_due.minor)
		return cf_money_of(0);
	return cf_money_of(d->net_due.minor - d->principal_paid.minor);
}

static bool due_dates_valid(const cf_due *d)
{
	return cf_date_valid(d->due_date) && cf_date_valid(d->penalty_as_of) &&
	       cf_date_valid(d->penalty_base_date) && (!d->fixed || cf_date_valid(d->fixed_on));
}

int cf_due_penalty_pending(const cf_due *d, cf_late_fee_terms t, cf_date as_of, cf_money *out)
{
	cf_money outstanding, run_fee;
	cf_date start;
	int64_t days;
	int rc;

	if (d == NULL || out == NULL || !terms_valid(t) || !cf_date_valid(as_of) ||
	    !due_dates_valid(d) || d->penalty_base_accrued.minor < 0)
		return CF_EINVALID;
	*out = cf_money_of(0);
	outstanding = cf_due_principal_outstanding(d);
	if (outstanding.minor == 0)
		return CF_OK;
	start = date_max(cf_date_add_days(d->due_date, t.grace_days), d->fixed_on);
	start = date_max(start, d->penalty_base_date);
	days = cf_date_diff(start, as_of);
	if (days <= 0)
		return CF_OK;
	rc = cf_late_fee(outstanding, t.bps_per_month, days, &run_fee);
	if (rc != CF_OK)
		return rc;
	if (run_fee.minor > d->penalty_base_accrued.minor)
		*out = cf_money_of(run_fee.minor - d->penalty_base_accrued.minor);
	return CF_OK;
}

int cf_due_accrue(cf_due *d, cf_late_fee_terms t, cf_date as_of, cf_money *added)
{
	cf_money fee, total, run;
	int rc = cf_due_penalty_pending(d, t, as_of, &fee);

	if (rc != CF_OK)
		return rc;
	rc = cf_money_add(d->penalty, fee, &total);
	if (rc == CF_OK)
		rc = cf_money_add(d->penalty_base_accrued, fee, &run);
	if (rc != CF_OK)
		return rc;
	d->penalty = total;
	d->penalty_base_accrued = run;
	d->penalty_as_of = date_max(d->penalty_as_of, as_of);
	if (added != NULL)
		*added = fee;
	return CF_OK;
}

bool cf_dues_overdue(const cf_due *dues, size_t n, int32_t grace_days, cf_date on)
{
	if (dues == NULL || grace_days < 0 || grace_days > MAX_GRACE_DAYS || !cf_date_valid(on))
		return false;
	for (size_t i = 0; i < n; i++) {
		const cf_due *d = &dues[i];
		if (!d->fixed || !cf_date_valid(d->due_date))
			continue;
		if (cf_due_principal_outstanding(d).minor == 0)
			continue;
		if (cf_date_cmp(cf_date_add_days(d->due_date, grace_days), on) < 0)
			return true;
	}
	return false;
}

int cf_dues_arrears(const cf_due *dues, size_t n, cf_late_fee_terms t, cf_date on, cf_arrears *out)
{
	cf_arrears a = {0, {0}, {0}, 0};
	int rc;

	if ((dues == NULL && n > 0) || out == NULL || !terms_valid(t) || !cf_date_valid(on))
		return CF_EINVALID;
	for (size_t i = 0; i < n; i++) {
		const cf_due *d = &dues[i];
		cf_money pending, owed, outstanding;
		cf_date late_from;

		if (!d->fixed)
			continue;
		rc = cf_due_penalty_pending(d, t, on, &pending);
		if (rc != CF_OK)
			return rc;
		rc = cf_money_add(d->penalty, pending, &owed);
		if (rc == CF_OK)
			rc = cf_money_sub(owed, d->penalty_paid, &owed);
		if (rc == CF_OK)
			rc = cf_money_add(a.late_fee, owed, &a.late_fee);
		if (rc != CF_OK)
			return rc;
		outstanding = cf_due_principal_outstanding(d);
		late_from = cf_date_add_days(d->due_date, t.grace_days);
		if (outstanding.minor > 0 && cf_date_cmp(late_from, on) < 0) {
			int64_t days = cf_date_diff(late_from, on);
			a.overdue_installments++;
			rc = cf_money_add(a.arrears, outstanding, &a.arrears);
			if (rc != CF_OK)
				return rc;
			if (days > a.days_past_due)
				a.days_past_due = days;
		}
	}
	*out = a;
	return CF_OK;
}

/*
 * One allocation pass. With commit false nothing is written to `dues` (each
 * installment is worked on in a local copy) and only the line count, the
 * advance and the fee are computed; with commit true the copies are written
 * back and the lines stored. The pass is deterministic, so a dry run that
 * succeeds guarantees the committing run succeeds with the same results.
 */
static int allocate_pass(cf_due *dues, size_t n, cf_late_fee_terms t, cf_money amount,
                         cf_date paid_on, cf_allocation_result *res, bool commit)
{
	cf_money remaining = amount;
	cf_money fee_total = cf_money_of(0);
	size_t count = 0;
	int rc;

	for (size_t i = 0; i < n && remaining.minor > 0; i++) {
		cf_due w = dues[i];
		cf_money added, pen_out, pay_pen, pay_prin;

		if (!w.fixed)
			continue;
		rc = cf_due_accrue(&w, t, paid_on, &added);
		if (rc != CF_OK)
			return rc;
		rc = cf_money_add(fee_total, added, &fee_total);
		if (rc != CF_OK)
			return rc;
		rc = cf_money_sub(w.penalty, w.penalty_paid, &pen_out);
		if (rc != CF_OK)
			return rc;
		if (pen_out.minor < 0)
			return CF_EINVALID;
		pay_pen = money_min(remaining, pen_out);
		remaining.minor -= pay_pen.minor;
		w.penalty_paid.minor += pay_pen.minor;
		pay_prin = money_min(remaining, cf_due_principal_outstanding(&w));
		remaining.minor -= pay_prin.minor;
		w.principal_paid.minor += pay_prin.minor;
		if (pay_prin.minor > 0) {
			/* The principal changed: a new fee run starts. penalty_as_of is
			 * >= paid_on after the accrual above, and the fee up to it was
			 * charged on the old principal, so the new run starts there. */
			w.penalty_base_date = date_max(w.penalty_base_date, w.penalty_as_of);
			w.penalty_base_accrued = cf_money_of(0);
		}
		if (pay_pen.minor > 0 || pay_prin.minor > 0) {
			if (commit) {
				res->lines[count].installment_no = w.installment_no;
				res->lines[count].principal = pay_prin;
				res->lines[count].penalty = pay_pen;
			}
			count++;
		}
		if (commit)
			dues[i] = w;
	}
	res->count = count;
	res->advance = remaining;
	res->fee_accrued = fee_total;
	return CF_OK;
}

int cf_dues_allocate(cf_due *dues, size_t n, cf_late_fee_terms t, cf_money amount, cf_date paid_on,
                     cf_allocation_result *res)
{
	int rc;

	if (res == NULL)
		return CF_EINVALID;
	res->count = 0;
	res->advance = cf_money_of(0);
	res->fee_accrued = cf_money_of(0);
	if ((dues == NULL && n > 0) || amount.minor < 0 || !terms_valid(t) ||
	    !cf_date_valid(paid_on) || (res->lines == NULL && res->cap > 0))
		return CF_EINVALID;
	for (size_t i = 0; i < n; i++) {
		const cf_due *d = &dues[i];
		if (i > 0 && d->installment_no <= dues[i - 1].installment_no)
			return CF_EINVALID;
		if (!due_dates_valid(d) || d->gross.minor < 0 || d->dividend.minor < 0 ||
		    d->net_due.minor < 0 || d->principal_paid.minor < 0 ||
		    d->principal_paid.minor > d->net_due.minor || d->penalty.minor < 0 ||
		    d->penalty_paid.minor < 0 || d->penalty_paid.minor > d->penalty.minor)
			return CF_EINVALID;
	}
	rc = allocate_pass(dues, n, t, amount, paid_on, res, false);
	if (rc != CF_OK) {
		res->count = 0;
		res->advance = cf_money_of(0);
		res->fee_accrued = cf_money_of(0);
		return rc;
	}
	if (res->count > res->cap)
		return CF_EBUFFER;
	return allocate_pass(dues, n, t, amount, paid_on, res, true);
}

int cf_dues_apply_advance(cf_due *dues, size_t n, cf_late_fee_terms t, cf_money advance, cf_date on,
                          cf_allocation_result *res)
{
	return cf_dues_allocate(dues, n, t, advance, on, res);
}

int cf_prize_future_liability(cf_money subscription, int32_t installments_after, cf_money *out)
{
	if (out == NULL || subscription.minor < 0 || installments_after < 0)
		return CF_EINVALID;
	return cf_money_mul(subscription, installments_after, out);
}

int cf_security_covers(cf_money personal, cf_money property, cf_money liability, bool *covered)
{
	cf_money p9, q8, lhs, rhs;
	int rc;

	if (covered == NULL || personal.minor < 0 || property.minor < 0 || liability.minor < 0)
		return CF_EINVALID;
	rc = cf_money_mul(personal, 9, &p9);
	if (rc == CF_OK)
		rc = cf_money_mul(property, 8, &q8);
	if (rc == CF_OK)
		rc = cf_money_add(p9, q8, &lhs);
	if (rc == CF_OK)
		rc = cf_money_mul(liability, 12, &rhs);
	if (rc != CF_OK)
		return rc;
	*covered = lhs.minor >= rhs.minor;
	return CF_OK;
}

int cf_security_list_covers(const cf_security *s, size_t n, cf_money liability, bool *covered)
{
	cf_money personal = cf_money_of(0), property = cf_money_of(0);
	int rc;

	if ((s == NULL && n > 0) || covered == NULL)
		return CF_EINVALID;
	for (size_t i = 0; i < n; i++) {
		if (s[i].value.minor < 0)
			return CF_EINVALID;
		switch (s[i].kind) {
		case CF_SECURITY_PERSONAL:
			rc = cf_money_add(personal, s[i].value, &personal);
			break;
		case CF_SECURITY_PROPERTY:
			rc = cf_money_add(property, s[i].value, &property);
			break;
		default: return CF_EINVALID;
		}
		if (rc != CF_OK)
			return rc;
	}
	return cf_security_covers(personal, property, liability, covered);
}

int cf_prize_no_security(cf_money subscription, int32_t installments_after, cf_date draw_date,
                         const cf_date *next_due, cf_money *withheld, cf_date *pay_by)
{
	cf_money w;
	cf_date by;
	int rc;

	if (withheld == NULL || pay_by == NULL || !cf_date_valid(draw_date) ||
	    (next_due != NULL && !cf_date_valid(*next_due)))
		return CF_EINVALID;
	rc = cf_prize_future_liability(subscription, installments_after, &w);
	if (rc != CF_OK)
		return rc;
	by = cf_date_add_days(draw_date, 7);
	if (next_due != NULL) {
		cf_date before_next = cf_date_add_days(*next_due, -1);
		if (cf_date_cmp(before_next, by) < 0)
			by = before_next;
	}
	if (cf_date_cmp(by, draw_date) < 0)
		by = draw_date;
	*withheld = w;
	*pay_by = by;
	return CF_OK;
}

int cf_statement_row_of(const cf_due *d, cf_late_fee_terms t, cf_date as_of, cf_statement_row *row)
{
	cf_statement_row r;
	cf_money pending;
	int rc;

	if (d == NULL || row == NULL)
		return CF_EINVALID;
	rc = cf_due_penalty_pending(d, t, as_of, &pending);
	if (rc != CF_OK)
		return rc;
	r.installment_no = d->installment_no;
	r.due_date = d->due_date;
	r.fixed = d->fixed;
	r.gross_due = d->gross;
	r.dividend_credited = d->dividend;
	if (!d->fixed) {
		r.net_due = d->gross;
		r.paid = cf_money_of(0);
		r.penalty = cf_money_of(0);
		r.penalty_paid = cf_money_of(0);
		r.balance = d->gross;
		*row = r;
		return CF_OK;
	}
	r.net_due = d->net_due;
	r.paid = d->principal_paid;
	r.penalty_paid = d->penalty_paid;
	rc = cf_money_add(d->penalty, pending, &r.penalty);
	if (rc == CF_OK)
		rc = cf_money_sub(r.net_due, r.paid, &r.balance);
	if (rc == CF_OK)
		rc = cf_money_add(r.balance, r.penalty, &r.balance);
	if (rc == CF_OK)
		rc = cf_money_sub(r.balance, r.penalty_paid, &r.balance);
	if (rc != CF_OK)
		return rc;
	*row = r;
	return CF_OK;
}

int cf_statement_totals(const cf_statement_row *rows, size_t n, cf_statement_row *totals)
{
	cf_statement_row t = {0};
	int rc = CF_OK;

	if ((rows == NULL && n > 0) || totals == NULL)
		return CF_EINVALID;
	t.fixed = true;
	for (size_t i = 0; i < n && rc == CF_OK; i++) {
		const cf_statement_row *r = &rows[i];
		if (!r->fixed)
			continue;
		rc = cf_money_add(t.gross_due, r->gross_due, &t.gross_due);
		if (rc == CF_OK)
			rc = cf_money_add(t.dividend_credited, r->dividend_credited,
			                  &t.dividend_credited);
		if (rc == CF_OK)
			rc = cf_money_add(t.net_due, r->net_due, &t.net_due);
		if (rc == CF_OK)
			rc = cf_money_add(t.paid, r->paid, &t.paid);
		if (rc == CF_OK)
			rc = cf_money_add(t.penalty, r->penalty, &t.penalty);
		if (rc == CF_OK)
			rc = cf_money_add(t.penalty_paid, r->penalty_paid, &t.penalty_paid);
		if (rc == CF_OK)
			rc = cf_money_add(t.balance, r->balance, &t.balance);
	}
	if (rc != CF_OK)
		return rc;
	*totals = t;
	return CF_OK;
}
