/*
 * test_dues.c - late fees, allocation, advances, dividend credits, prize
 * security and statement rows (domain/src/dues.c).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/domain/dues.h"

#define RS(r) ((int64_t)(r)*100) /* rupees -> paise */

static cf_date D(int32_t y, int32_t m, int32_t d)
{
	cf_date x;
	x.year = y;
	x.month = m;
	x.day = d;
	return x;
}

static const cf_late_fee_terms TERMS = {200, 0};

/* A fixed installment of `gross` due on `due`, fixed on `fixed_on`. */
static cf_due fixed_due(int32_t no, cf_date due, cf_date fixed_on, int64_t gross)
{
	cf_due d;
	cf_due_init(&d, no, due, cf_money_of(gross));
	ck_assert_int_eq(cf_due_fix(&d, fixed_on), CF_OK);
	return d;
}

/* ---- late fee ------------------------------------------------------------ */

static const struct {
	int64_t principal;
	int32_t bps;
	int64_t days;
	int64_t fee;
} fee_cases[] = {
        {RS(5000), 200, 21, RS(70)},       /* golden */
        {333333, 200, 7, 1556},            /* golden: 15.555... -> 15.56 */
        {RS(5000), 200, 0, 0},             /* on time */
        {0, 200, 30, 0},                   /* nothing owed */
        {RS(5000), 0, 30, 0},              /* no fee */
        {RS(5000), 200, 30, RS(100)},      /* a whole month: 2% */
        {150000, 1, 1, 1},                 /* exactly half a paisa rounds up */
        {149999, 1, 1, 0},                 /* just under half rounds down */
        {RS(100000), 2400, 365, 29200000}, /* 24%/month for a year: 292% */
};

START_TEST(test_late_fee_table)
{
	cf_money out;
	ck_assert_int_eq(cf_late_fee(cf_money_of(fee_cases[_i].principal), fee_cases[_i].bps,
	                             fee_cases[_i].days, &out),
	                 CF_OK);
	ck_assert_int_eq(out.minor, fee_cases[_i].fee);
}
END_TEST

START_TEST(test_late_fee_errors)
{
	cf_money out;
	ck_assert_int_eq(cf_late_fee(cf_money_of(-1), 200, 1, &out), CF_EINVALID);
	ck_assert_int_eq(cf_late_fee(cf_money_of(1), -1, 1, &out), CF_EINVALID);
	ck_assert_int_eq(cf_late_fee(cf_money_of(1), 200, -1, &out), CF_EINVALID);
	ck_assert_int_eq(cf_late_fee(cf_money_of(1), 200, 1, NULL), CF_EINVALID);
	ck_assert_int_eq(cf_late_fee(cf_money_of(INT64_MAX), 10000, 3000000, &out), CF_EOVERFLOW);
	ck_assert_int_eq(cf_late_fee(cf_money_of(1), INT32_MAX, INT64_MAX, &out), CF_EOVERFLOW);
}
END_TEST

static const struct {
	cf_date due;
	int32_t grace;
	cf_date fixed_on;
	cf_date as_of;
	int64_t days;
} days_cases[] = {
        {{2026, 1, 10}, 0, {2026, 1, 1}, {2026, 1, 31}, 21},
        {{2026, 1, 10}, 5, {2026, 1, 1}, {2026, 1, 31}, 16},
        {{2026, 1, 10}, 0, {2026, 1, 20}, {2026, 1, 31}, 11}, /* fixed after due */
        {{2026, 1, 10}, 5, {2026, 1, 12}, {2026, 1, 31}, 16}, /* grace ends later */
        {{2026, 1, 10}, 0, {2026, 1, 1}, {2026, 1, 10}, 0},   /* due today */
        {{2026, 1, 10}, 0, {2026, 1, 1}, {2026, 1, 5}, 0},    /* before due */
        {{2026, 1, 10}, 3, {2026, 1, 1}, {2026, 1, 13}, 0},   /* last grace day */
        {{2024, 2, 28}, 0, {2024, 2, 1}, {2024, 3, 1}, 2},    /* leap year */
};

START_TEST(test_late_fee_days_table)
{
	ck_assert_int_eq(cf_late_fee_days(days_cases[_i].due, days_cases[_i].grace,
	                                  days_cases[_i].fixed_on, days_cases[_i].as_of),
	                 days_cases[_i].days);
}
END_TEST

/* ---- one installment ---------------------------------------------------- */

START_TEST(test_due_init_and_fix)
{
	cf_due d;
	cf_due_init(&d, 3, D(2026, 3, 1), cf_money_of(RS(5000)));
	ck_assert_int_eq(d.installment_no, 3);
	ck_assert(!d.fixed);
	ck_assert_int_eq(d.net_due.minor, RS(5000));
	ck_assert_int_eq(cf_due_principal_outstanding(&d).minor,
	                 0); /* not fixed: owes nothing yet */
	ck_assert_int_eq(cf_due_fix(&d, D(2026, 2, 5)), CF_OK);
	ck_assert(d.fixed);
	ck_assert_int_eq(cf_date_cmp(d.fixed_on, D(2026, 2, 5)), 0);
	ck_assert_int_eq(cf_due_principal_outstanding(&d).minor, RS(5000));
	ck_assert_int_eq(cf_due_fix(&d, D(2026, 2, 6)), CF_ECONFLICT);
	ck_assert_int_eq(cf_due_fix(&d, D(2026, 2, 30)), CF_EINVALID);
}
END_TEST

START_TEST(test_due_dividend)
{
	cf_due d;
	cf_money excess;
	cf_due_init(&d, 2, D(2026, 2, 1), cf_money_of(RS(5000)));
	ck_assert_int_eq(cf_due_apply_dividend(&d, cf_money_of(RS(1000)), &excess), CF_OK);
	ck_assert_int_eq(d.net_due.minor, RS(4000));
	ck_assert_int_eq(d.dividend.minor, RS(1000));
	ck_assert_int_eq(excess.minor, 0);
	/* a second credit takes it to zero and the rest is advance */
	ck_assert_int_eq(cf_due_apply_dividend(&d, cf_money_of(RS(4500)), &excess), CF_OK);
	ck_assert_int_eq(d.net_due.minor, 0);
	ck_assert_int_eq(d.dividend.minor, RS(5000));
	ck_assert_int_eq(excess.minor, RS(500));
	ck_assert_int_eq(cf_due_apply_dividend(&d, cf_money_of(-1), &excess), CF_EINVALID);
	ck_assert_int_eq(cf_due_fix(&d, D(2026, 1, 20)), CF_OK);
	ck_assert_int_eq(cf_due_apply_dividend(&d, cf_money_of(1), &excess), CF_ECONFLICT);
}
END_TEST

START_TEST(test_due_dividend_exceeds_gross)
{
	cf_due d;
	cf_money excess;
	cf_due_init(&d, 2, D(2026, 2, 1), cf_money_of(RS(100)));
	ck_assert_int_eq(cf_due_apply_dividend(&d, cf_money_of(RS(250)), &excess), CF_OK);
	ck_assert_int_eq(d.net_due.minor, 0);
	ck_assert_int_eq(excess.minor, RS(150));
}
END_TEST

START_TEST(test_due_accrue_and_pending)
{
	cf_due d = fixed_due(1, D(2026, 1, 1), D(2026, 1, 1), RS(5000));
	cf_money fee, added;
	ck_assert_int_eq(cf_due_penalty_pending(&d, TERMS, D(2026, 1, 22), &fee), CF_OK);
	ck_assert_int_eq(fee.minor, RS(70));
	ck_assert_int_eq(d.penalty.minor, 0); /* pending does not change d */
	ck_assert_int_eq(cf_due_accrue(&d, TERMS, D(2026, 1, 22), &added), CF_OK);
	ck_assert_int_eq(added.minor, RS(70));
	ck_assert_int_eq(d.penalty.minor, RS(70));
	ck_assert_int_eq(cf_date_cmp(d.penalty_as_of, D(2026, 1, 22)), 0);
	/* recomputing on the same day adds nothing; an earlier day neither */
	ck_assert_int_eq(cf_due_accrue(&d, TERMS, D(2026, 1, 22), &added), CF_OK);
	ck_assert_int_eq(added.minor, 0);
	ck_assert_int_eq(cf_due_accrue(&d, TERMS, D(2026, 1, 10), &added), CF_OK);
	ck_assert_int_eq(added.minor, 0);
	ck_assert_int_eq(cf_date_cmp(d.penalty_as_of, D(2026, 1, 22)), 0);
	/* unfixed: nothing */
	cf_due u;
	cf_due_init(&u, 2, D(2026, 1, 1), cf_money_of(RS(5000)));
	ck_assert_int_eq(cf_due_penalty_pending(&u, TERMS, D(2026, 3, 1), &fee), CF_OK);
	ck_assert_int_eq(fee.minor, 0);
	/* bad terms */
	cf_late_fee_terms bad = {-1, 0};
	ck_assert_int_eq(cf_due_penalty_pending(&d, bad, D(2026, 3, 1), &fee), CF_EINVALID);
	bad.bps_per_month = 200;
	bad.grace_days = -1;
	ck_assert_int_eq(cf_due_accrue(&d, bad, D(2026, 3, 1), &added), CF_EINVALID);
	ck_assert_int_eq(d.penalty.minor, RS(70));
}
END_TEST

START_TEST(test_fee_from_fixed_date)
{
	/* same_installment: due Jan 1 but fixed Jan 11 -> fee from Jan 11 */
	cf_due d = fixed_due(1, D(2026, 1, 1), D(2026, 1, 11), RS(5000));
	cf_money fee;
	ck_assert_int_eq(cf_due_penalty_pending(&d, TERMS, D(2026, 2, 1), &fee), CF_OK);
	ck_assert_int_eq(fee.minor, RS(70)); /* 21 days */
	/* grace 3 counts from the due date, and fixed_on is later anyway */
	cf_late_fee_terms g = {200, 3};
	ck_assert_int_eq(cf_due_penalty_pending(&d, g, D(2026, 2, 1), &fee), CF_OK);
	ck_assert_int_eq(fee.minor, RS(70));
	/* grace beyond the fixed date wins */
	g.grace_days = 17; /* Jan 18 */
	ck_assert_int_eq(cf_due_penalty_pending(&d, g, D(2026, 2, 1), &fee), CF_OK);
	ck_assert_int_eq(fee.minor, 4667); /* 14 days: 46.666... */
}
END_TEST

/* ---- overdue -------------------------------------------------------------- */

static const struct {
	int32_t grace;
	cf_date on;
	bool fixed;
	int64_t paid;
	bool overdue;
} overdue_cases[] = {
        {0, {2026, 1, 10}, true, 0, false}, /* due today: not overdue */
        {0, {2026, 1, 11}, true, 0, true},
        {3, {2026, 1, 13}, true, 0, false}, /* last day of grace */
        {3, {2026, 1, 14}, true, 0, true},
        {0, {2026, 2, 1}, true, RS(5000), false}, /* paid */
        {0, {2026, 2, 1}, true, RS(4999), true},  /* partly paid */
        {0, {2026, 2, 1}, false, 0, false},       /* not fixed */
        {0, {2025, 12, 1}, true, 0, false},       /* before due */
};

START_TEST(test_overdue_table)
{
	cf_due d;
	cf_due_init(&d, 1, D(2026, 1, 10), cf_money_of(RS(5000)));
	if (overdue_cases[_i].fixed)
		ck_assert_int_eq(cf_due_fix(&d, D(2026, 1, 1)), CF_OK);
	d.principal_paid = cf_money_of(overdue_cases[_i].paid);
	ck_assert_int_eq(cf_dues_overdue(&d, 1, overdue_cases[_i].grace, overdue_cases[_i].on),
	                 overdue_cases[_i].overdue);
}
END_TEST

START_TEST(test_overdue_several)
{
	cf_due dues[3];
	dues[0] = fixed_due(1, D(2026, 1, 10), D(2026, 1, 1), RS(5000));
	dues[1] = fixed_due(2, D(2026, 2, 10), D(2026, 2, 1), RS(4000));
	cf_due_init(&dues[2], 3, D(2026, 3, 10), cf_money_of(RS(5000)));
	dues[0].principal_paid = dues[0].net_due;
	ck_assert(!cf_dues_overdue(dues, 3, 0, D(2026, 2, 10)));
	ck_assert(cf_dues_overdue(dues, 3, 0, D(2026, 2, 11)));
	ck_assert(cf_dues_overdue(dues, 3, 0, D(2026, 12, 31)));
	ck_assert(!cf_dues_overdue(NULL, 0, 0, D(2026, 2, 11)));
	dues[1].principal_paid = dues[1].net_due;
	ck_assert(!cf_dues_overdue(dues, 3, 0, D(2026, 12, 31))); /* inst 3 never fixed */
}
END_TEST

START_TEST(test_arrears)
{
	cf_due dues[3];
	cf_arrears a;
	dues[0] = fixed_due(1, D(2026, 1, 1), D(2026, 1, 1), RS(5000));
	dues[1] = fixed_due(2, D(2026, 2, 1), D(2026, 1, 20), RS(5000));
	dues[2] = fixed_due(3, D(2026, 3, 1), D(2026, 2, 20), RS(5000));
	ck_assert_int_eq(cf_dues_arrears(dues, 3, TERMS, D(2026, 2, 22), &a), CF_OK);
	ck_assert_int_eq(a.overdue_installments, 2);
	ck_assert_int_eq(a.arrears.minor, RS(10000));
	/* inst 1: 52 days = 173.33; inst 2: 21 days = 70.00 */
	ck_assert_int_eq(a.late_fee.minor, 17333 + RS(70));
	ck_assert_int_eq(a.days_past_due, 52);
	ck_assert_int_eq(cf_dues_arrears(dues, 3, TERMS, D(2026, 1, 1), &a), CF_OK);
	ck_assert_int_eq(a.overdue_installments, 0);
	ck_assert_int_eq(a.arrears.minor, 0);
	ck_assert_int_eq(a.late_fee.minor, 0);
	ck_assert_int_eq(a.days_past_due, 0);
}
END_TEST

/* ---- allocation ------------------------------------------------------------ */

START_TEST(test_allocate_single_golden)
{
	cf_due d = fixed_due(1, D(2026, 1, 1), D(2026, 1, 1), RS(5000));
	cf_allocation lines[4];
	cf_allocation_result r = {lines, 4, 0, {0}, {0}};
	ck_assert_int_eq(cf_dues_allocate(&d, 1, TERMS, cf_money_of(RS(5070)), D(2026, 1, 22), &r),
	                 CF_OK);
	ck_assert_uint_eq(r.count, 1);
	ck_assert_int_eq(lines[0].installment_no, 1);
	ck_assert_int_eq(lines[0].penalty.minor, RS(70));
	ck_assert_int_eq(lines[0].principal.minor, RS(5000));
	ck_assert_int_eq(r.advance.minor, 0);
	ck_assert_int_eq(r.fee_accrued.minor, RS(70));
	ck_assert_int_eq(d.principal_paid.minor, RS(5000));
	ck_assert_int_eq(d.penalty.minor, RS(70));
	ck_assert_int_eq(d.penalty_paid.minor, RS(70));
	ck_assert(!cf_dues_overdue(&d, 1, 0, D(2026, 6, 1)));
}
END_TEST

START_TEST(test_allocate_penalty_before_principal_partial)
{
	cf_due d = fixed_due(1, D(2026, 1, 1), D(2026, 1, 1), RS(5000));
	cf_allocation lines[2];
	cf_allocation_result r = {lines, 2, 0, {0}, {0}};
	/* 50.00 on day 21: all to the 70.00 fee, none to principal */
	ck_assert_int_eq(cf_dues_allocate(&d, 1, TERMS, cf_money_of(RS(50)), D(2026, 1, 22), &r),
	                 CF_OK);
	ck_assert_uint_eq(r.count, 1);
	ck_assert_int_eq(lines[0].penalty.minor, RS(50));
	ck_assert_int_eq(lines[0].principal.minor, 0);
	/* 1,020.00 the same day: 20.00 fee, 1,000.00 principal */
	ck_assert_int_eq(cf_dues_allocate(&d, 1, TERMS, cf_money_of(RS(1020)), D(2026, 1, 22), &r),
	                 CF_OK);
	ck_assert_int_eq(lines[0].penalty.minor, RS(20));
	ck_assert_int_eq(lines[0].principal.minor, RS(1000));
	ck_assert_int_eq(r.fee_accrued.minor, 0);
	/* 30 days later the fee runs on 4,000.00 only: 80.00 */
	ck_assert_int_eq(cf_dues_allocate(&d, 1, TERMS, cf_money_of(RS(80)), D(2026, 2, 21), &r),
	                 CF_OK);
	ck_assert_int_eq(r.fee_accrued.minor, RS(80));
	ck_assert_int_eq(lines[0].penalty.minor, RS(80));
	ck_assert_int_eq(lines[0].principal.minor, 0);
	ck_assert_int_eq(d.principal_paid.minor, RS(1000));
	ck_assert_int_eq(d.penalty.minor, RS(150));
	ck_assert_int_eq(d.penalty_paid.minor, RS(150));
}
END_TEST

/* Three fixed installments (one not yet due) and one unfixed. */
static void four_dues(cf_due dues[4])
{
	cf_money ex;
	dues[0] = fixed_due(1, D(2026, 1, 1), D(2026, 1, 1), RS(5000));
	cf_due_init(&dues[1], 2, D(2026, 2, 1), cf_money_of(RS(5000)));
	ck_assert_int_eq(cf_due_apply_dividend(&dues[1], cf_money_of(RS(1000)), &ex), CF_OK);
	ck_assert_int_eq(cf_due_fix(&dues[1], D(2026, 1, 1)), CF_OK);
	cf_due_init(&dues[2], 3, D(2026, 3, 1), cf_money_of(RS(5000)));
	ck_assert_int_eq(cf_due_apply_dividend(&dues[2], cf_money_of(RS(1000)), &ex), CF_OK);
	ck_assert_int_eq(cf_due_fix(&dues[2], D(2026, 2, 1)), CF_OK);
	cf_due_init(&dues[3], 4, D(2026, 4, 1), cf_money_of(RS(5000)));
}

START_TEST(test_allocate_across_installments)
{
	cf_due dues[4];
	cf_allocation lines[4];
	cf_allocation_result r = {lines, 4, 0, {0}, {0}};
	four_dues(dues);
	/* on Feb 22: inst 1 is 52 days late (173.33), inst 2 21 days (4,000 -> 56.00),
	 * inst 3 (fixed, due Mar 1) not yet due; inst 4 is not fixed. */
	int64_t amount = 17333 + RS(5000) + 5600 + RS(4000) + RS(4000) + RS(123);
	ck_assert_int_eq(cf_dues_allocate(dues, 4, TERMS, cf_money_of(amount), D(2026, 2, 22), &r),
	                 CF_OK);
	ck_assert_uint_eq(r.count, 3);
	ck_assert_int_eq(lines[0].installment_no, 1);
	ck_assert_int_eq(lines[0].penalty.minor, 17333);
	ck_assert_int_eq(lines[0].principal.minor, RS(5000));
	ck_assert_int_eq(lines[1].installment_no, 2);
	ck_assert_int_eq(lines[1].penalty.minor, 5600);
	ck_assert_int_eq(lines[1].principal.minor, RS(4000));
	ck_assert_int_eq(lines[2].installment_no, 3);
	ck_assert_int_eq(lines[2].penalty.minor, 0);
	ck_assert_int_eq(lines[2].principal.minor, RS(4000));
	ck_assert_int_eq(r.advance.minor, RS(123)); /* inst 4 unfixed: skipped */
	ck_assert_int_eq(r.fee_accrued.minor, 17333 + 5600);
	ck_assert_int_eq(dues[3].principal_paid.minor, 0);
	ck_assert(!cf_dues_overdue(dues, 4, 0, D(2026, 12, 1)));
}
END_TEST

START_TEST(test_allocate_oldest_first_partial)
{
	cf_due dues[4];
	cf_allocation lines[4];
	cf_allocation_result r = {lines, 4, 0, {0}, {0}};
	four_dues(dues);
	/* 6,000 on Feb 22: inst 1 fee + principal, the rest to inst 2's fee then principal */
	ck_assert_int_eq(
	        cf_dues_allocate(dues, 4, TERMS, cf_money_of(RS(6000)), D(2026, 2, 22), &r), CF_OK);
	ck_assert_uint_eq(r.count, 2);
	ck_assert_int_eq(lines[1].installment_no, 2);
	ck_assert_int_eq(lines[1].penalty.minor, 5600);
	ck_assert_int_eq(lines[1].principal.minor, RS(6000) - 17333 - RS(5000) - 5600);
	ck_assert_int_eq(r.advance.minor, 0);
	/* inst 3 got nothing, so its fee was not computed */
	ck_assert_int_eq(cf_date_cmp(dues[2].penalty_as_of, D(2026, 3, 1)), 0);
	ck_assert(cf_dues_overdue(dues, 4, 0, D(2026, 2, 22)));
}
END_TEST

START_TEST(test_allocate_unfixed_between_skipped)
{
	cf_due dues[3];
	cf_allocation lines[3];
	cf_allocation_result r = {lines, 3, 0, {0}, {0}};
	dues[0] = fixed_due(1, D(2026, 1, 1), D(2026, 1, 1), RS(100));
	cf_due_init(&dues[1], 2, D(2026, 2, 1), cf_money_of(RS(100)));
	dues[2] = fixed_due(3, D(2026, 3, 1), D(2026, 1, 1), RS(100));
	ck_assert_int_eq(cf_dues_allocate(dues, 3, TERMS, cf_money_of(RS(250)), D(2026, 1, 1), &r),
	                 CF_OK);
	ck_assert_uint_eq(r.count, 2);
	ck_assert_int_eq(lines[0].installment_no, 1);
	ck_assert_int_eq(lines[1].installment_no, 3);
	ck_assert_int_eq(r.advance.minor, RS(50));
	ck_assert_int_eq(dues[1].principal_paid.minor, 0);
}
END_TEST

START_TEST(test_allocate_nothing_fixed_all_advance)
{
	cf_due d;
	cf_allocation_result r = {NULL, 0, 0, {0}, {0}};
	cf_due_init(&d, 1, D(2026, 1, 1), cf_money_of(RS(100)));
	ck_assert_int_eq(cf_dues_allocate(&d, 1, TERMS, cf_money_of(RS(70)), D(2026, 1, 1), &r),
	                 CF_OK);
	ck_assert_uint_eq(r.count, 0);
	ck_assert_int_eq(r.advance.minor, RS(70));
	ck_assert_int_eq(cf_dues_allocate(NULL, 0, TERMS, cf_money_of(5), D(2026, 1, 1), &r),
	                 CF_OK);
	ck_assert_int_eq(r.advance.minor, 5);
	ck_assert_int_eq(cf_dues_allocate(&d, 1, TERMS, cf_money_of(0), D(2026, 1, 1), &r), CF_OK);
	ck_assert_int_eq(r.advance.minor, 0);
}
END_TEST

/* Field-wise equality (memcmp would read the struct's padding). */
static bool due_equal(const cf_due *a, const cf_due *b)
{
	return a->installment_no == b->installment_no &&
	       cf_date_cmp(a->due_date, b->due_date) == 0 && a->fixed == b->fixed &&
	       cf_date_cmp(a->fixed_on, b->fixed_on) == 0 && a->gross.minor == b->gross.minor &&
	       a->dividend.minor == b->dividend.minor && a->net_due.minor == b->net_due.minor &&
	       a->principal_paid.minor == b->principal_paid.minor &&
	       a->penalty.minor == b->penalty.minor &&
	       a->penalty_paid.minor == b->penalty_paid.minor &&
	       cf_date_cmp(a->penalty_as_of, b->penalty_as_of) == 0 &&
	       cf_date_cmp(a->penalty_base_date, b->penalty_base_date) == 0 &&
	       a->penalty_base_accrued.minor == b->penalty_base_accrued.minor;
}

static bool dues_equal(const cf_due *a, const cf_due *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!due_equal(&a[i], &b[i]))
			return false;
	return true;
}

START_TEST(test_allocate_errors_leave_dues_untouched)
{
	cf_due dues[4], before[4];
	cf_allocation lines[1];
	cf_allocation_result r = {lines, 1, 0, {0}, {0}};
	four_dues(dues);
	for (size_t i = 0; i < 4; i++)
		before[i] = dues[i];
	/* three lines needed, one slot */
	ck_assert_int_eq(
	        cf_dues_allocate(dues, 4, TERMS, cf_money_of(RS(20000)), D(2026, 2, 22), &r),
	        CF_EBUFFER);
	ck_assert_uint_eq(r.count, 3);
	ck_assert(dues_equal(before, dues, 4));
	r.cap = 1;
	ck_assert_int_eq(cf_dues_allocate(dues, 4, TERMS, cf_money_of(-1), D(2026, 2, 22), &r),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_dues_allocate(dues, 4, TERMS, cf_money_of(1), D(2026, 2, 30), &r),
	                 CF_EINVALID);
	cf_late_fee_terms bad = {-5, 0};
	ck_assert_int_eq(cf_dues_allocate(dues, 4, bad, cf_money_of(1), D(2026, 2, 1), &r),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_dues_allocate(dues, 4, TERMS, cf_money_of(1), D(2026, 2, 1), NULL),
	                 CF_EINVALID);
	/* unsorted */
	dues[1].installment_no = 1;
	ck_assert_int_eq(cf_dues_allocate(dues, 4, TERMS, cf_money_of(1), D(2026, 2, 22), &r),
	                 CF_EINVALID);
	dues[1].installment_no = 2;
	/* overpaid principal is a corrupt state */
	dues[0].principal_paid = cf_money_of(RS(6000));
	ck_assert_int_eq(cf_dues_allocate(dues, 4, TERMS, cf_money_of(1), D(2026, 2, 22), &r),
	                 CF_EINVALID);
	dues[0].principal_paid = cf_money_of(0);
	ck_assert(dues_equal(before, dues, 4));
	/* overflow in the fee */
	dues[0].net_due = cf_money_of(INT64_MAX / 2);
	dues[0].gross = dues[0].net_due;
	ck_assert_int_eq(cf_dues_allocate(dues, 4, TERMS, cf_money_of(1), D(2100, 1, 1), &r),
	                 CF_EOVERFLOW);
}
END_TEST

START_TEST(test_advance_applied_when_fixed)
{
	cf_due dues[4];
	cf_allocation lines[4];
	cf_allocation_result r = {lines, 4, 0, {0}, {0}};
	cf_money ex;
	four_dues(dues);
	/* pay everything fixed early (Jan 1) plus 6,000.00 advance */
	ck_assert_int_eq(cf_dues_allocate(dues, 4, TERMS,
	                                  cf_money_of(RS(5000 + 4000 + 4000 + 6000)), D(2026, 1, 1),
	                                  &r),
	                 CF_OK);
	ck_assert_int_eq(r.fee_accrued.minor, 0);
	ck_assert_int_eq(r.advance.minor, RS(6000));
	/* draw 3 settles Mar 1: dividend 1,200 on inst 4, fixed, advance applied that day */
	ck_assert_int_eq(cf_due_apply_dividend(&dues[3], cf_money_of(RS(1200)), &ex), CF_OK);
	ck_assert_int_eq(cf_due_fix(&dues[3], D(2026, 3, 1)), CF_OK);
	ck_assert_int_eq(cf_dues_apply_advance(dues, 4, TERMS, r.advance, D(2026, 3, 1), &r),
	                 CF_OK);
	ck_assert_uint_eq(r.count, 1);
	ck_assert_int_eq(lines[0].installment_no, 4);
	ck_assert_int_eq(lines[0].principal.minor, RS(3800));
	ck_assert_int_eq(r.advance.minor, RS(2200));
	ck_assert_int_eq(dues[3].principal_paid.minor, RS(3800));
}
END_TEST

START_TEST(test_advance_pays_arrears_fee_first)
{
	cf_due dues[2];
	cf_allocation lines[2];
	cf_allocation_result r = {lines, 2, 0, {0}, {0}};
	/* inst 1 unpaid since Jan 1; an advance of 5,500 exists when inst 2 is fixed on Jan 22 */
	dues[0] = fixed_due(1, D(2026, 1, 1), D(2026, 1, 1), RS(5000));
	dues[1] = fixed_due(2, D(2026, 2, 1), D(2026, 1, 22), RS(5000));
	ck_assert_int_eq(
	        cf_dues_apply_advance(dues, 2, TERMS, cf_money_of(RS(5500)), D(2026, 1, 22), &r),
	        CF_OK);
	ck_assert_uint_eq(r.count, 2);
	ck_assert_int_eq(lines[0].penalty.minor, RS(70));
	ck_assert_int_eq(lines[0].principal.minor, RS(5000));
	ck_assert_int_eq(lines[1].principal.minor, RS(430));
	ck_assert_int_eq(r.advance.minor, 0);
}
END_TEST

/*
 * Several payments that leave the principal unchanged (late fee only) give
 * exactly the fee of one payment on the last day, for every split.
 */
START_TEST(test_several_payments_same_fee)
{
	static const int splits[][4] = {
	        {7, 14, 21, 0}, {1, 2, 3, 21}, {5, 10, 15, 21}, {7, 7, 21, 0}, {20, 21, 0, 0},
	};
	for (size_t s = 0; s < sizeof splits / sizeof splits[0]; s++) {
		cf_due d = fixed_due(1, D(2026, 1, 1), D(2026, 1, 1), 333333);
		cf_allocation lines[1];
		cf_allocation_result r = {lines, 1, 0, {0}, {0}};
		int64_t fee_total = 0;
		for (int k = 0; k < 4 && splits[s][k] != 0; k++) {
			int day = splits[s][k];
			bool last = k == 3 || splits[s][k + 1] == 0;
			/* a small payment (late fee only), the whole balance on the last day */
			int64_t amount = last ? 1000000 : 100;
			ck_assert_int_eq(cf_dues_allocate(&d, 1, TERMS, cf_money_of(amount),
			                                  D(2026, 1, 1 + day), &r),
			                 CF_OK);
			fee_total += r.fee_accrued.minor;
		}
		cf_money single;
		ck_assert_int_eq(cf_late_fee(cf_money_of(333333), 200, 21, &single), CF_OK);
		ck_assert_int_eq(fee_total, single.minor);
		ck_assert_int_eq(d.penalty.minor, single.minor);
		ck_assert_int_eq(d.penalty_paid.minor, single.minor);
		ck_assert_int_eq(d.principal_paid.minor, 333333);
	}
}
END_TEST

/* Money stopping at an earlier installment does not compute the later one's fee early. */
START_TEST(test_fee_on_later_installment_single_computation)
{
	cf_due dues[2];
	cf_allocation lines[2];
	cf_allocation_result r = {lines, 2, 0, {0}, {0}};
	dues[0] = fixed_due(1, D(2026, 1, 1), D(2026, 1, 1), RS(1000));
	dues[1] = fixed_due(2, D(2026, 1, 1), D(2026, 1, 1), 333333);
	/* Jan 8: pays inst 1 fully (fee 1,000 x 7 days = 4.67) and nothing more */
	ck_assert_int_eq(
	        cf_dues_allocate(dues, 2, TERMS, cf_money_of(RS(1000) + 467), D(2026, 1, 8), &r),
	        CF_OK);
	ck_assert_uint_eq(r.count, 1);
	ck_assert_int_eq(r.fee_accrued.minor, 467);
	/* Jan 22: inst 2 gets its 21 days in one go: 3,333.33 x 2% x 21/30 = 46.67 */
	ck_assert_int_eq(
	        cf_dues_allocate(dues, 2, TERMS, cf_money_of(RS(10000)), D(2026, 1, 22), &r),
	        CF_OK);
	ck_assert_int_eq(r.fee_accrued.minor, 4667);
	ck_assert_uint_eq(r.count, 1);
	ck_assert_int_eq(lines[0].installment_no, 2);
	ck_assert_int_eq(lines[0].penalty.minor, 4667);
	ck_assert_int_eq(r.advance.minor, RS(10000) - 4667 - 333333);
}
END_TEST

/* xorshift64 for the property test. */
static uint64_t rng_state;
static uint64_t rng_next(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}
static int64_t rng_range(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rng_next() % (uint64_t)(hi - lo + 1));
}
static long iterations(long dflt)
{
	const char *s = getenv("CF_PROPERTY_ITERATIONS");
	char *end;
	long v;
	if (s == NULL || *s == '\0')
		return dflt;
	v = strtol(s, &end, 10);
	return (*end == '\0' && v > 0) ? v : dflt;
}

/* Allocation conserves money and keeps every invariant, whatever the inputs. */
START_TEST(test_allocation_property)
{
	long iters = iterations(100000) / 10;
	rng_state = 0x9e3779b97f4a7c15ULL;
	for (long it = 0; it < iters; it++) {
		cf_due dues[6];
		cf_allocation lines[6];
		cf_allocation_result r = {lines, 6, 0, {0}, {0}};
		size_t n = (size_t)rng_range(0, 6);
		cf_late_fee_terms t = {(int32_t)rng_range(0, 300), (int32_t)rng_range(0, 5)};
		cf_date day = D(2026, 1, 1);
		for (size_t i = 0; i < n; i++) {
			cf_money ex;
			cf_due_init(&dues[i], (int32_t)i + 1, D(2026, (int32_t)i + 1, 1),
			            cf_money_of(rng_range(0, RS(10000))));
			ck_assert_int_eq(cf_due_apply_dividend(&dues[i],
			                                       cf_money_of(rng_range(0, RS(3000))),
			                                       &ex),
			                 CF_OK);
			if (rng_range(0, 3) > 0 || i == 0)
				ck_assert_int_eq(cf_due_fix(&dues[i], D(2026, 1, 1)), CF_OK);
		}
		for (int p = 0; p < 4; p++) {
			int64_t before_paid = 0, before_pen_paid = 0, after_paid = 0,
			        after_pen_paid = 0;
			int64_t amount = rng_range(0, RS(8000));
			int64_t sum = 0;
			for (size_t i = 0; i < n; i++) {
				before_paid += dues[i].principal_paid.minor;
				before_pen_paid += dues[i].penalty_paid.minor;
			}
			day = cf_date_add_days(day, rng_range(0, 60));
			ck_assert_int_eq(cf_dues_allocate(dues, n, t, cf_money_of(amount), day, &r),
			                 CF_OK);
			for (size_t k = 0; k < r.count; k++) {
				ck_assert(lines[k].principal.minor >= 0 &&
				          lines[k].penalty.minor >= 0);
				ck_assert(lines[k].principal.minor + lines[k].penalty.minor > 0);
				if (k > 0)
					ck_assert_int_lt(lines[k - 1].installment_no,
					                 lines[k].installment_no);
				sum += lines[k].principal.minor + lines[k].penalty.minor;
			}
			ck_assert_int_ge(r.advance.minor, 0);
			ck_assert_int_eq(sum + r.advance.minor, amount);
			for (size_t i = 0; i < n; i++) {
				const cf_due *d = &dues[i];
				ck_assert(d->principal_paid.minor <= d->net_due.minor);
				ck_assert(d->penalty_paid.minor <= d->penalty.minor);
				ck_assert_int_eq(d->net_due.minor,
				                 d->gross.minor - d->dividend.minor);
				if (!d->fixed)
					ck_assert_int_eq(d->principal_paid.minor, 0);
				after_paid += d->principal_paid.minor;
				after_pen_paid += d->penalty_paid.minor;
				/* an advance exists only once every fixed installment is clear */
				if (r.advance.minor > 0 && d->fixed) {
					ck_assert_int_eq(d->principal_paid.minor, d->net_due.minor);
					ck_assert_int_eq(d->penalty_paid.minor, d->penalty.minor);
				}
			}
			ck_assert_int_eq(
			        after_paid + after_pen_paid - before_paid - before_pen_paid, sum);
		}
	}
}
END_TEST

/* ---- prize security ---------------------------------------------------------- */

START_TEST(test_future_liability)
{
	cf_money l;
	ck_assert_int_eq(cf_prize_future_liability(cf_money_of(RS(5000)), 15, &l), CF_OK);
	ck_assert_int_eq(l.minor, RS(75000));
	ck_assert_int_eq(cf_prize_future_liability(cf_money_of(RS(5000)), 0, &l), CF_OK);
	ck_assert_int_eq(l.minor, 0);
	ck_assert_int_eq(cf_prize_future_liability(cf_money_of(RS(5000)), -1, &l), CF_EINVALID);
	ck_assert_int_eq(cf_prize_future_liability(cf_money_of(-1), 1, &l), CF_EINVALID);
	ck_assert_int_eq(cf_prize_future_liability(cf_money_of(INT64_MAX / 2), 3, &l),
	                 CF_EOVERFLOW);
}
END_TEST

/* liability 75,000.00: personal needs 1,00,000.00 (4/3), property 1,12,500.00 (3/2) */
static const struct {
	int64_t personal;
	int64_t property;
	int64_t liability;
	bool covered;
} cover_cases[] = {
        {RS(100000), 0, RS(75000), true},
        {RS(100000) - 1, 0, RS(75000), false},
        {0, RS(112500), RS(75000), true},
        {0, RS(112500) - 1, RS(75000), false},
        /* mixed: 9 x 50,000 + 8 x 56,250 = 12 x 75,000 exactly */
        {RS(50000), RS(56250), RS(75000), true},
        {RS(50000), RS(56250) - 1, RS(75000), false},
        {RS(50000) - 1, RS(56250), RS(75000), false},
        {RS(50000) - 1, RS(56250) + 1, RS(75000), false}, /* -9 + 8 paise: short */
        {RS(50000) + 1, RS(56250) - 1, RS(75000), true},  /* +9 - 8 */
        {0, 0, 0, true},                                  /* nothing owed */
        {4, 0, 3, true},                                  /* 36 >= 36 */
        {3, 0, 3, false},
        {0, 9, 6, true},  /* 72 >= 72 */
        {0, 8, 6, false}, /* 64 < 72 */
};

START_TEST(test_security_cover_table)
{
	bool covered = !cover_cases[_i].covered;
	ck_assert_int_eq(cf_security_covers(cf_money_of(cover_cases[_i].personal),
	                                    cf_money_of(cover_cases[_i].property),
	                                    cf_money_of(cover_cases[_i].liability), &covered),
	                 CF_OK);
	ck_assert_int_eq(covered, cover_cases[_i].covered);
}
END_TEST

START_TEST(test_security_errors_and_list)
{
	bool c;
	ck_assert_int_eq(cf_security_covers(cf_money_of(-1), cf_money_of(0), cf_money_of(0), &c),
	                 CF_EINVALID);
	ck_assert_int_eq(
	        cf_security_covers(cf_money_of(INT64_MAX / 8), cf_money_of(0), cf_money_of(1), &c),
	        CF_EOVERFLOW);
	ck_assert_int_eq(
	        cf_security_covers(cf_money_of(0), cf_money_of(0), cf_money_of(INT64_MAX / 11), &c),
	        CF_EOVERFLOW);
	cf_security list[3] = {{CF_SECURITY_PERSONAL, {RS(30000)}},
	                       {CF_SECURITY_PROPERTY, {RS(56250)}},
	                       {CF_SECURITY_PERSONAL, {RS(20000)}}};
	ck_assert_int_eq(cf_security_list_covers(list, 3, cf_money_of(RS(75000)), &c), CF_OK);
	ck_assert(c);
	list[2].value = cf_money_of(RS(20000) - 1);
	ck_assert_int_eq(cf_security_list_covers(list, 3, cf_money_of(RS(75000)), &c), CF_OK);
	ck_assert(!c);
	ck_assert_int_eq(cf_security_list_covers(NULL, 0, cf_money_of(0), &c), CF_OK);
	ck_assert(c);
	ck_assert_int_eq(cf_security_list_covers(NULL, 0, cf_money_of(1), &c), CF_OK);
	ck_assert(!c);
	list[0].kind = (cf_security_kind)7;
	ck_assert_int_eq(cf_security_list_covers(list, 3, cf_money_of(1), &c), CF_EINVALID);
	list[0].kind = CF_SECURITY_PERSONAL;
	list[0].value = cf_money_of(-5);
	ck_assert_int_eq(cf_security_list_covers(list, 3, cf_money_of(1), &c), CF_EINVALID);
}
END_TEST

static const struct {
	cf_date draw;
	bool has_next;
	cf_date next_due;
	cf_date pay_by;
} payby_cases[] = {
        {{2026, 3, 1}, true, {2026, 4, 1}, {2026, 3, 8}},    /* 7 days is earlier */
        {{2026, 3, 1}, true, {2026, 3, 5}, {2026, 3, 4}},    /* before the next due date */
        {{2026, 3, 1}, true, {2026, 3, 8}, {2026, 3, 7}},    /* tie-break: the day before */
        {{2026, 3, 1}, true, {2026, 3, 9}, {2026, 3, 8}},    /* both equal */
        {{2026, 3, 1}, false, {0, 0, 0}, {2026, 3, 8}},      /* last draw */
        {{2026, 3, 1}, true, {2026, 3, 1}, {2026, 3, 1}},    /* never before the draw */
        {{2026, 12, 28}, true, {2027, 1, 28}, {2027, 1, 4}}, /* across the year */
};

START_TEST(test_no_security_table)
{
	cf_money w;
	cf_date by;
	ck_assert_int_eq(
	        cf_prize_no_security(cf_money_of(RS(5000)), 12, payby_cases[_i].draw,
	                             payby_cases[_i].has_next ? &payby_cases[_i].next_due : NULL,
	                             &w, &by),
	        CF_OK);
	ck_assert_int_eq(w.minor, RS(60000));
	ck_assert_int_eq(cf_date_cmp(by, payby_cases[_i].pay_by), 0);
}
END_TEST

START_TEST(test_no_security_errors)
{
	cf_money w;
	cf_date by, bad = {2026, 13, 1};
	ck_assert_int_eq(cf_prize_no_security(cf_money_of(1), 1, bad, NULL, &w, &by), CF_EINVALID);
	ck_assert_int_eq(cf_prize_no_security(cf_money_of(1), 1, D(2026, 1, 1), &bad, &w, &by),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_prize_no_security(cf_money_of(-1), 1, D(2026, 1, 1), NULL, &w, &by),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_prize_no_security(cf_money_of(1), 1, D(2026, 1, 1), NULL, NULL, &by),
	                 CF_EINVALID);
}
END_TEST

/* ---- statement rows ------------------------------------------------------------ */

START_TEST(test_statement_rows)
{
	cf_due dues[4];
	cf_statement_row rows[4], tot;
	cf_allocation lines[4];
	cf_allocation_result r = {lines, 4, 0, {0}, {0}};
	four_dues(dues);
	/* Feb 22: pays inst 1 fully (173.33 + 5,000) and 50.00 of inst 2's 56.00 fee */
	ck_assert_int_eq(cf_dues_allocate(dues, 4, TERMS, cf_money_of(17333 + RS(5000) + RS(50)),
	                                  D(2026, 2, 22), &r),
	                 CF_OK);
	for (size_t i = 0; i < 4; i++)
		ck_assert_int_eq(cf_statement_row_of(&dues[i], TERMS, D(2026, 3, 4), &rows[i]),
		                 CF_OK);
	/* inst 1: settled */
	ck_assert_int_eq(rows[0].net_due.minor, RS(5000));
	ck_assert_int_eq(rows[0].paid.minor, RS(5000));
	ck_assert_int_eq(rows[0].penalty.minor, 17333);
	ck_assert_int_eq(rows[0].penalty_paid.minor, 17333);
	ck_assert_int_eq(rows[0].balance.minor, 0);
	/* inst 2: 4,000 net; fee 56.00 to Feb 22; as of Mar 4 the whole run of 31
	 * days is 82.67, so 26.67 is pending */
	ck_assert_int_eq(rows[1].dividend_credited.minor, RS(1000));
	ck_assert_int_eq(rows[1].net_due.minor, RS(4000));
	ck_assert_int_eq(rows[1].penalty.minor, 5600 + 2667);
	ck_assert_int_eq(rows[1].penalty_paid.minor, RS(50));
	ck_assert_int_eq(rows[1].balance.minor, RS(4000) + 5600 + 2667 - RS(50));
	/* inst 3: due Mar 1, 3 days late on Mar 4: 4,000 x 3 = 8.00 */
	ck_assert_int_eq(rows[2].penalty.minor, 800);
	ck_assert_int_eq(rows[2].balance.minor, RS(4000) + 800);
	/* inst 4: not fixed */
	ck_assert(!rows[3].fixed);
	ck_assert_int_eq(rows[3].net_due.minor, RS(5000));
	ck_assert_int_eq(rows[3].balance.minor, RS(5000));
	ck_assert_int_eq(cf_statement_totals(rows, 4, &tot), CF_OK);
	ck_assert_int_eq(tot.gross_due.minor, RS(15000));
	ck_assert_int_eq(tot.dividend_credited.minor, RS(2000));
	ck_assert_int_eq(tot.net_due.minor, RS(13000));
	ck_assert_int_eq(tot.paid.minor, RS(5000));
	ck_assert_int_eq(tot.penalty.minor, 17333 + 5600 + 2667 + 800);
	ck_assert_int_eq(tot.penalty_paid.minor, 17333 + RS(50));
	ck_assert_int_eq(tot.balance.minor,
	                 rows[0].balance.minor + rows[1].balance.minor + rows[2].balance.minor);
	ck_assert_int_eq(tot.balance.minor, tot.net_due.minor - tot.paid.minor + tot.penalty.minor -
	                                            tot.penalty_paid.minor);
	ck_assert_int_eq(cf_statement_totals(NULL, 0, &tot), CF_OK);
	ck_assert_int_eq(tot.balance.minor, 0);
	ck_assert_int_eq(cf_statement_row_of(&dues[0], TERMS, D(2026, 2, 29), &rows[0]),
	                 CF_EINVALID);
}
END_TEST

static Suite *dues_suite(void)
{
	Suite *s = suite_create("dues");
	TCase *tc = tcase_create("late_fee");
	tcase_add_loop_test(tc, test_late_fee_table, 0, sizeof fee_cases / sizeof fee_cases[0]);
	tcase_add_test(tc, test_late_fee_errors);
	tcase_add_loop_test(tc, test_late_fee_days_table, 0,
	                    sizeof days_cases / sizeof days_cases[0]);
	tcase_add_test(tc, test_due_accrue_and_pending);
	tcase_add_test(tc, test_fee_from_fixed_date);
	suite_add_tcase(s, tc);

	tc = tcase_create("installment");
	tcase_add_test(tc, test_due_init_and_fix);
	tcase_add_test(tc, test_due_dividend);
	tcase_add_test(tc, test_due_dividend_exceeds_gross);
	tcase_add_loop_test(tc, test_overdue_table, 0,
	                    sizeof overdue_cases / sizeof overdue_cases[0]);
	tcase_add_test(tc, test_overdue_several);
	tcase_add_test(tc, test_arrears);
	suite_add_tcase(s, tc);

	tc = tcase_create("allocation");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_allocate_single_golden);
	tcase_add_test(tc, test_allocate_penalty_before_principal_partial);
	tcase_add_test(tc, test_allocate_across_installments);
	tcase_add_test(tc, test_allocate_oldest_first_partial);
	tcase_add_test(tc, test_allocate_unfixed_between_skipped);
	tcase_add_test(tc, test_allocate_nothing_fixed_all_advance);
	tcase_add_test(tc, test_allocate_errors_leave_dues_untouched);
	tcase_add_test(tc, test_advance_applied_when_fixed);
	tcase_add_test(tc, test_advance_pays_arrears_fee_first);
	tcase_add_test(tc, test_several_payments_same_fee);
	tcase_add_test(tc, test_fee_on_later_installment_single_computation);
	tcase_add_test(tc, test_allocation_property);
	suite_add_tcase(s, tc);

	tc = tcase_create("security");
	tcase_add_test(tc, test_future_liability);
	tcase_add_loop_test(tc, test_security_cover_table, 0,
	                    sizeof cover_cases / sizeof cover_cases[0]);
	tcase_add_test(tc, test_security_errors_and_list);
	tcase_add_loop_test(tc, test_no_security_table, 0,
	                    sizeof payby_cases / sizeof payby_cases[0]);
	tcase_add_test(tc, test_no_security_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("statement");
	tcase_add_test(tc, test_statement_rows);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dues_suite());
	int failed;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
