/*
 * test_economics.c - XIRR, NPV and plain difference of a ticket's cash flows.
 *
 * Expected rates and present values were computed independently with
 * python3's decimal module (50 significant digits): XIRR by bisection on
 * sum(a_i / (1 + r) ** (days_i / 365)) = 0 with days counted from the first
 * flow, NPV as sum(a_i / (1 + 0.12) ** ((d_i - as_of).days / 365)), then
 * rounded half-up. Each value below notes the unrounded figure.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/domain/date.h"
#include "chitfund/domain/economics.h"

static cf_date mk(int32_t y, int32_t m, int32_t d)
{
	cf_date r;
	r.year = y;
	r.month = m;
	r.day = d;
	return r;
}

static cf_cashflow flow(int32_t y, int32_t m, int32_t d, int64_t minor)
{
	cf_cashflow f;
	f.date = mk(y, m, d);
	f.amount = cf_money_of(minor);
	return f;
}

/*
 * domain.md's 20-draw schedule (V = 1,00,000; N = 20; c = 5%; GST 18% borne
 * by the winner): what one ticket pays per installment, in rupees.
 */
static const int64_t installments[20] = {5000, 5000, 4000, 4000, 4000, 4000, 4000,
                                         4000, 4100, 4200, 4300, 4400, 4500, 4600,
                                         4675, 4750, 4825, 4900, 4950, 4975};

/*
 * A ticket's flows: 20 monthly payments due from 2026-01-10 (last on
 * 2027-08-10), each paid on its due date, and the prize's net payout paid on
 * the due date of installment `win` (the draw follows that day's collection).
 * Returns the number of flows (21).
 */
static size_t ticket_flows(cf_cashflow *out, int32_t win, int64_t payout_rupees)
{
	for (int32_t k = 1; k <= 20; k++) {
		ck_assert_int_eq(
		        cf_schedule_due_date(mk(2026, 1, 10), CF_FREQ_MONTHLY, k, &out[k - 1].date),
		        CF_OK);
		out[k - 1].amount = cf_money_of(-installments[k - 1] * 100);
	}
	out[20].date = out[win - 1].date;
	out[20].amount = cf_money_of(payout_rupees * 100);
	return 21;
}

/* ---- XIRR ---- */

START_TEST(test_xirr_one_year_loan)
{
	/* -1,00,000.00 then +1,12,000.00 exactly 365 days later: 12.00% */
	cf_cashflow f[2] = {flow(2025, 1, 1, -10000000), flow(2026, 1, 1, 11200000)};
	int64_t bps = 0;

	ck_assert_int_eq(cf_xirr_bps(f, 2, &bps), CF_OK);
	ck_assert_int_eq(bps, 1200);
	/* the lender's view: same rate */
	f[0].amount = cf_money_of(10000000);
	f[1].amount = cf_money_of(-11200000);
	ck_assert_int_eq(cf_xirr_bps(f, 2, &bps), CF_OK);
	ck_assert_int_eq(bps, 1200);
}
END_TEST

START_TEST(test_xirr_half_year)
{
	/* -100.00 then +106.00 182 days later: 1.06^(365/182) - 1 = 1239.5979 bps */
	cf_cashflow f[2] = {flow(2025, 1, 1, -10000), flow(2025, 7, 2, 10600)};
	int64_t bps = 0;

	ck_assert_int_eq(cf_xirr_bps(f, 2, &bps), CF_OK);
	ck_assert_int_eq(bps, 1240);
}
END_TEST

START_TEST(test_xirr_chit_last_winner)
{
	/* wins draw 20 at the minimum discount 5,000: payout 95,000 - 900 GST = 94,100.
	 * All payments, then the payout: one sign change; python: 714.6282 bps */
	cf_cashflow f[21];
	size_t n = ticket_flows(f, 20, 94100);
	int64_t bps = 0;

	ck_assert_int_eq(cf_xirr_bps(f, n, &bps), CF_OK);
	ck_assert_int_eq(bps, 715);
}
END_TEST

START_TEST(test_xirr_chit_first_winner)
{
	/* wins draw 1 (foreman's first chit: no discount, payout 1,00,000) on the day of
	 * installment 1: net +95,000 then 19 payments. A borrower's cost below zero here:
	 * python: -1293.6276 bps */
	cf_cashflow f[21];
	size_t n = ticket_flows(f, 1, 100000);
	int64_t bps = 0;

	ck_assert_int_eq(cf_xirr_bps(f, n, &bps), CF_OK);
	ck_assert_int_eq(bps, -1294);
}
END_TEST

START_TEST(test_xirr_chit_early_winner_no_result)
{
	/* wins draw 2 at the ceiling (payout 75,000 - 900 = 74,100): pays, receives,
	 * pays again: two sign changes, no unique rate */
	cf_cashflow f[21];
	size_t n = ticket_flows(f, 2, 74100);
	int64_t bps = 12345;

	ck_assert_int_eq(cf_xirr_bps(f, n, &bps), CF_ENORESULT);
	ck_assert_int_eq(bps, 12345); /* untouched */
}
END_TEST

START_TEST(test_xirr_order_and_zeros)
{
	/* the last winner's flows reversed, with zero flows sprinkled in: same rate */
	cf_cashflow f[21], g[24];
	size_t n = ticket_flows(f, 20, 94100);
	int64_t bps = 0;

	for (size_t i = 0; i < n; i++)
		g[i] = f[n - 1 - i];
	g[21] = flow(2026, 6, 1, 0);
	g[22] = flow(2028, 1, 1, 0); /* a zero after the payout does not add a change */
	g[23] = flow(2025, 1, 1, 0);
	ck_assert_int_eq(cf_xirr_bps(g, 24, &bps), CF_OK);
	ck_assert_int_eq(bps, 715);
}
END_TEST

START_TEST(test_xirr_same_day_netting)
{
	int64_t bps = 0;
	/* -100 and +30 on the same day net to -70; +80 a year later: 80/70 - 1 = 1428.57 bps */
	cf_cashflow a[3] = {flow(2025, 1, 1, 30), flow(2026, 1, 1, 80), flow(2025, 1, 1, -100)};
	/* same-day flows that cancel leave only negatives: no rate */
	cf_cashflow b[3] = {flow(2025, 1, 1, -100), flow(2025, 1, 1, 100), flow(2026, 1, 1, -50)};
	/* netting removes a change: -10, then +100 and -100 on one day, then +20 */
	cf_cashflow c[4] = {flow(2025, 1, 1, -1000), flow(2025, 6, 1, 10000),
	                    flow(2025, 6, 1, -10000), flow(2026, 1, 1, 1100)};

	ck_assert_int_eq(cf_xirr_bps(a, 3, &bps), CF_OK);
	ck_assert_int_eq(bps, 1429);
	ck_assert_int_eq(cf_xirr_bps(b, 3, &bps), CF_ENORESULT);
	ck_assert_int_eq(cf_xirr_bps(c, 4, &bps), CF_OK);
	ck_assert_int_eq(bps, 1000);
}
END_TEST

START_TEST(test_xirr_sign_changes)
{
	int64_t bps = 0;
	/* -, +, -, + : three changes */
	cf_cashflow three[4] = {flow(2025, 1, 1, -100), flow(2025, 4, 1, 100),
	                        flow(2025, 7, 1, -100), flow(2025, 10, 1, 150)};
	/* +, -, + : two changes */
	cf_cashflow two[3] = {flow(2025, 1, 1, 100), flow(2025, 4, 1, -300), flow(2025, 7, 1, 210)};

	ck_assert_int_eq(cf_xirr_bps(three, 4, &bps), CF_ENORESULT);
	ck_assert_int_eq(cf_xirr_bps(two, 3, &bps), CF_ENORESULT);
}
END_TEST

START_TEST(test_xirr_invalid)
{
	int64_t bps = 0;
	cf_cashflow pos[2] = {flow(2025, 1, 1, 100), flow(2026, 1, 1, 100)};
	cf_cashflow neg[3] = {flow(2025, 1, 1, -100), flow(2026, 1, 1, 0), flow(2026, 1, 1, -5)};
	cf_cashflow zero[2] = {flow(2025, 1, 1, 0), flow(2026, 1, 1, 0)};
	cf_cashflow bad_date[2] = {flow(2025, 2, 29, -100), flow(2026, 1, 1, 112)};
	cf_cashflow ok[2] = {flow(2025, 1, 1, -100), flow(2026, 1, 1, 112)};

	ck_assert_int_eq(cf_xirr_bps(pos, 2, &bps), CF_EINVALID);
	ck_assert_int_eq(cf_xirr_bps(neg, 3, &bps), CF_EINVALID);
	ck_assert_int_eq(cf_xirr_bps(zero, 2, &bps), CF_EINVALID);
	ck_assert_int_eq(cf_xirr_bps(bad_date, 2, &bps), CF_EINVALID);
	ck_assert_int_eq(cf_xirr_bps(ok, 1, &bps), CF_EINVALID);
	ck_assert_int_eq(cf_xirr_bps(ok, 0, &bps), CF_EINVALID);
	ck_assert_int_eq(cf_xirr_bps(NULL, 2, &bps), CF_EINVALID);
	ck_assert_int_eq(cf_xirr_bps(ok, 2, NULL), CF_EINVALID);
	ck_assert_int_eq(cf_xirr_bps(ok, 2, &bps), CF_OK);
	ck_assert_int_eq(bps, 1200);
}
END_TEST

START_TEST(test_xirr_extremes)
{
	int64_t bps = 0;
	/* almost everything lost: r = 1e-7 - 1 = -9999.999 bps */
	cf_cashflow lost[2] = {flow(2025, 1, 1, -10000000), flow(2026, 1, 1, 1)};
	/* a rate beyond int64 basis points: -0.01 then INT64_MAX paise a day later */
	cf_cashflow huge[2] = {flow(2025, 1, 1, -1), flow(2025, 1, 2, INT64_MAX)};
	/* across the whole calendar: doubling over 3652058 days = 0.6928 bps */
	cf_cashflow span[2] = {flow(1, 1, 1, -10000), flow(9999, 12, 31, 20000)};
	/* INT64 edges on both sides do not overflow anything: exactly 0% */
	cf_cashflow edge[3] = {flow(2025, 1, 1, INT64_MIN), flow(2026, 1, 1, INT64_MAX),
	                       flow(2026, 1, 1, 1)};

	ck_assert_int_eq(cf_xirr_bps(lost, 2, &bps), CF_OK);
	ck_assert_int_eq(bps, -10000);
	ck_assert_int_eq(cf_xirr_bps(huge, 2, &bps), CF_ENORESULT);
	ck_assert_int_eq(cf_xirr_bps(span, 2, &bps), CF_OK);
	ck_assert_int_eq(bps, 1);
	ck_assert_int_eq(cf_xirr_bps(edge, 3, &bps), CF_OK);
	ck_assert_int_eq(bps, 0);
}
END_TEST

/* ---- NPV ---- */

START_TEST(test_npv_chit_tickets)
{
	/* at 1200 bps as of 2027-09-01; python: -338575.413, 2230947.748, -973942.573 */
	cf_cashflow f[21];
	cf_money out;
	size_t n;

	n = ticket_flows(f, 20, 94100);
	ck_assert_int_eq(cf_npv(f, n, 1200, mk(2027, 9, 1), &out), CF_OK);
	ck_assert_int_eq(out.minor, -338575);
	n = ticket_flows(f, 1, 100000);
	ck_assert_int_eq(cf_npv(f, n, 1200, mk(2027, 9, 1), &out), CF_OK);
	ck_assert_int_eq(out.minor, 2230948);
	n = ticket_flows(f, 2, 74100);
	ck_assert_int_eq(cf_npv(f, n, 1200, mk(2027, 9, 1), &out), CF_OK);
	ck_assert_int_eq(out.minor, -973943);
}
END_TEST

START_TEST(test_npv_simple)
{
	cf_cashflow loan[2] = {flow(2025, 1, 1, -10000000), flow(2026, 1, 1, 11200000)};
	cf_cashflow one[1] = {flow(2025, 1, 1, -10000000)};
	cf_cashflow later[1] = {flow(2026, 1, 1, 11200000)};
	cf_money out;

	/* discounted at its own IRR: zero */
	ck_assert_int_eq(cf_npv(loan, 2, 1200, mk(2025, 1, 1), &out), CF_OK);
	ck_assert_int_eq(out.minor, 0);
	ck_assert_int_eq(cf_npv(loan, 2, 1200, mk(2030, 6, 1), &out), CF_OK);
	ck_assert_int_eq(out.minor, 0);
	/* compounded forward one year and discounted back one year */
	ck_assert_int_eq(cf_npv(one, 1, 1200, mk(2026, 1, 1), &out), CF_OK);
	ck_assert_int_eq(out.minor, -11200000);
	ck_assert_int_eq(cf_npv(later, 1, 1200, mk(2025, 1, 1), &out), CF_OK);
	ck_assert_int_eq(out.minor, 10000000);
	/* rate 0: the plain sum */
	ck_assert_int_eq(cf_npv(loan, 2, 0, mk(2020, 1, 1), &out), CF_OK);
	ck_assert_int_eq(out.minor, 1200000);
	/* rounding away from zero: 7 paise at 300% a year later is 1.75 -> 2, -7 -> -2
	 * (exact ties are not asserted: they are not exact in floating point) */
	cf_cashflow p7[1] = {flow(2026, 1, 1, 7)};
	cf_cashflow m7[1] = {flow(2026, 1, 1, -7)};
	ck_assert_int_eq(cf_npv(p7, 1, 30000, mk(2025, 1, 1), &out), CF_OK);
	ck_assert_int_eq(out.minor, 2);
	ck_assert_int_eq(cf_npv(m7, 1, 30000, mk(2025, 1, 1), &out), CF_OK);
	ck_assert_int_eq(out.minor, -2);
	/* 9 paise: 2.25 -> 2 and -2.25 -> -2 */
	cf_cashflow p9[1] = {flow(2026, 1, 1, 9)};
	cf_cashflow m9[1] = {flow(2026, 1, 1, -9)};
	ck_assert_int_eq(cf_npv(p9, 1, 30000, mk(2025, 1, 1), &out), CF_OK);
	ck_assert_int_eq(out.minor, 2);
	ck_assert_int_eq(cf_npv(m9, 1, 30000, mk(2025, 1, 1), &out), CF_OK);
	ck_assert_int_eq(out.minor, -2);
	/* 3 paise at 200% a year later: exactly 1 */
	cf_cashflow p3[1] = {flow(2026, 1, 1, 3)};
	ck_assert_int_eq(cf_npv(p3, 1, 20000, mk(2025, 1, 1), &out), CF_OK);
	ck_assert_int_eq(out.minor, 1);
	/* no flows: zero, NULL allowed */
	out = cf_money_of(9);
	ck_assert_int_eq(cf_npv(NULL, 0, 1200, mk(2025, 1, 1), &out), CF_OK);
	ck_assert_int_eq(out.minor, 0);
}
END_TEST

START_TEST(test_npv_errors)
{
	cf_cashflow big[1] = {flow(2025, 1, 1, INT64_MAX)};
	cf_cashflow two_max[2] = {flow(2025, 1, 1, INT64_MAX), flow(2025, 1, 1, INT64_MAX)};
	cf_cashflow min[1] = {flow(2025, 1, 1, INT64_MIN)};
	cf_cashflow far[1] = {flow(1, 1, 1, 100)};
	cf_cashflow bad[1] = {flow(2025, 13, 1, 1)};
	cf_money out = cf_money_of(5);

	ck_assert_int_eq(cf_npv(big, 1, 1200, mk(2026, 1, 1), &out), CF_EOVERFLOW);
	ck_assert_int_eq(cf_npv(two_max, 2, 0, mk(2025, 1, 1), &out), CF_EOVERFLOW);
	/* compounding 100 paise over 9,998 years at 1,000% overflows every type */
	ck_assert_int_eq(cf_npv(far, 1, 100000, mk(9999, 1, 1), &out), CF_EOVERFLOW);
	ck_assert_int_eq(out.minor, 5);
	/* INT64_MIN at 0% is representable */
	ck_assert_int_eq(cf_npv(min, 1, 0, mk(2025, 1, 1), &out), CF_OK);
	ck_assert_int_eq(out.minor, INT64_MIN);
	/* 2^62 is exact even where long double is only a double (valgrind emulates that) */
	cf_cashflow p62[1] = {flow(2025, 1, 1, INT64_C(4611686018427387904))};
	ck_assert_int_eq(cf_npv(p62, 1, 0, mk(2025, 1, 1), &out), CF_OK);
	ck_assert_int_eq(out.minor, INT64_C(4611686018427387904));
	ck_assert_int_eq(cf_npv(big, 1, -10000, mk(2025, 1, 1), &out), CF_EINVALID);
	ck_assert_int_eq(cf_npv(big, 1, INT64_MIN, mk(2025, 1, 1), &out), CF_EINVALID);
	ck_assert_int_eq(cf_npv(bad, 1, 1200, mk(2025, 1, 1), &out), CF_EINVALID);
	ck_assert_int_eq(cf_npv(big, 1, 1200, mk(2025, 2, 29), &out), CF_EINVALID);
	ck_assert_int_eq(cf_npv(NULL, 1, 1200, mk(2025, 1, 1), &out), CF_EINVALID);
	ck_assert_int_eq(cf_npv(big, 1, 1200, mk(2025, 1, 1), NULL), CF_EINVALID);
	/* far-future flow at a huge rate discounts to 0, no error */
	cf_cashflow future[1] = {flow(9999, 1, 1, 100)};
	ck_assert_int_eq(cf_npv(future, 1, 100000, mk(1, 1, 1), &out), CF_OK);
	ck_assert_int_eq(out.minor, 0);
	/* -99.99% a year: the nearly worthless future is worth 10000x today */
	cf_cashflow tiny[1] = {flow(2026, 1, 1, 1)};
	ck_assert_int_eq(cf_npv(tiny, 1, -9999, mk(2025, 1, 1), &out), CF_OK);
	ck_assert_int_eq(out.minor, 10000);
}
END_TEST

/* ---- plain difference ---- */

START_TEST(test_plain_difference)
{
	cf_cashflow f[21];
	cf_cashflow edge[3] = {flow(2025, 1, 1, INT64_MAX), flow(2025, 1, 1, 1),
	                       flow(2025, 1, 1, -2)};
	cf_cashflow over[2] = {flow(2025, 1, 1, INT64_MAX), flow(2025, 1, 1, 1)};
	cf_cashflow under[2] = {flow(2025, 1, 1, INT64_MIN), flow(2025, 1, 1, -1)};
	cf_money out;

	/* payments total 89,175; payouts 94,100 / 1,00,000 / 74,100 */
	ticket_flows(f, 20, 94100);
	ck_assert_int_eq(cf_plain_difference(f, 21, &out), CF_OK);
	ck_assert_int_eq(out.minor, 492500);
	ticket_flows(f, 1, 100000);
	ck_assert_int_eq(cf_plain_difference(f, 21, &out), CF_OK);
	ck_assert_int_eq(out.minor, 1082500);
	ticket_flows(f, 2, 74100);
	ck_assert_int_eq(cf_plain_difference(f, 21, &out), CF_OK);
	ck_assert_int_eq(out.minor, -1507500);
	/* an intermediate sum beyond INT64_MAX is fine when the total fits */
	ck_assert_int_eq(cf_plain_difference(edge, 3, &out), CF_OK);
	ck_assert_int_eq(out.minor, INT64_MAX - 1);
	ck_assert_int_eq(cf_plain_difference(over, 2, &out), CF_EOVERFLOW);
	ck_assert_int_eq(cf_plain_difference(under, 2, &out), CF_EOVERFLOW);
	ck_assert_int_eq(cf_plain_difference(NULL, 0, &out), CF_OK);
	ck_assert_int_eq(out.minor, 0);
	ck_assert_int_eq(cf_plain_difference(NULL, 1, &out), CF_EINVALID);
	ck_assert_int_eq(cf_plain_difference(f, 1, NULL), CF_EINVALID);
}
END_TEST

static Suite *economics_suite(void)
{
	Suite *s = suite_create("economics");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_xirr_one_year_loan);
	tcase_add_test(tc, test_xirr_half_year);
	tcase_add_test(tc, test_xirr_chit_last_winner);
	tcase_add_test(tc, test_xirr_chit_first_winner);
	tcase_add_test(tc, test_xirr_chit_early_winner_no_result);
	tcase_add_test(tc, test_xirr_order_and_zeros);
	tcase_add_test(tc, test_xirr_same_day_netting);
	tcase_add_test(tc, test_xirr_sign_changes);
	tcase_add_test(tc, test_xirr_invalid);
	tcase_add_test(tc, test_xirr_extremes);
	tcase_add_test(tc, test_npv_chit_tickets);
	tcase_add_test(tc, test_npv_simple);
	tcase_add_test(tc, test_npv_errors);
	tcase_add_test(tc, test_plain_difference);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(economics_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
