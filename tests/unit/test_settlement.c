/*
 * test_settlement.c - the amounts of a settled draw (settlement.h): who
 * shares, commission, GST, dividend and remainder, prize, payout, net
 * subscription, and the conservation identity.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/domain/settlement.h"

static cf_scheme_params P;

/* V paise over N tickets, all defaults otherwise, resolved. */
static void params(int64_t v, int32_t n)
{
	cf_rule why;
	cf_scheme_params_init(&P);
	P.chit_value = cf_money_of(v);
	P.member_count = n;
	P.start_date = (cf_date){2026, 4, 1};
	P.rules_profile = CF_PROFILE_ROSCA_GENERIC;
	P.max_discount_bps = 10000;
	P.bid_increment = cf_money_of(1);
	ck_assert_int_eq(cf_scheme_params_resolve(&P, &why), CF_OK);
}

static cf_settlement settle(int32_t k, int64_t d, int32_t shares, int64_t carried, cf_decided_by by)
{
	cf_settlement_input in = {k, 1, by, cf_money_of(d), shares, cf_money_of(carried)};
	cf_settlement s;
	ck_assert_int_eq(cf_settle_draw(&P, &in, &s), CF_OK);
	ck_assert_int_eq(cf_settlement_check(&P, &s), CF_OK);
	return s;
}

START_TEST(test_settlement__remainder_carried_then_to_foreman)
{
	cf_settlement s;

	params(3000, 3); /* S = 1000, C = 150 */
	s = settle(1, 1000, 3, 0, CF_DECIDED_BY_BID);
	ck_assert_int_eq(s.commission.minor, 150);
	ck_assert_int_eq(s.distributable.minor, 850);
	ck_assert_int_eq(s.dividend_per_ticket.minor, 283);
	ck_assert_int_eq(s.dividend_total.minor, 849);
	ck_assert_int_eq(s.remainder_carried.minor, 1);
	ck_assert(!s.remainder_to_foreman);
	ck_assert_int_eq(s.dividend_applies_to_installment, 2);
	ck_assert(s.net_subscription_known);
	ck_assert_int_eq(s.net_subscription.minor, 717);
	ck_assert_int_eq(s.prize_amount.minor, 2000);
	ck_assert_int_eq(s.gst_on_commission.minor, 27);
	ck_assert_int_eq(s.net_payout.minor, 1973);

	s = settle(2, 151, 3, 1, CF_DECIDED_BY_BID); /* 1 + 1 carried = 2: 0 each, 2 carried */
	ck_assert_int_eq(s.distributable.minor, 2);
	ck_assert_int_eq(s.dividend_per_ticket.minor, 0);
	ck_assert_int_eq(s.remainder_carried.minor, 2);
	ck_assert_int_eq(s.net_subscription.minor, 1000);

	s = settle(3, 152, 3, 2, CF_DECIDED_BY_LAST_TICKET); /* 2 + 2 = 4: 1 each, 1 left */
	ck_assert_int_eq(s.dividend_per_ticket.minor, 1);
	ck_assert_int_eq(s.remainder_carried.minor, 1);
	ck_assert(s.remainder_to_foreman);
	ck_assert_int_eq(s.dividend_applies_to_installment, 0);
	ck_assert(!s.net_subscription_known);
	ck_assert_int_eq(s.advance_per_share.minor, 1);
}
END_TEST

START_TEST(test_settlement__same_installment_timing)
{
	cf_settlement s;
	cf_rule why;

	params(3000, 3);
	P.dividend_timing = CF_TIMING_SAME_INSTALLMENT;
	ck_assert_int_eq(cf_scheme_params_resolve(&P, &why), CF_OK);
	s = settle(3, 450, 3, 0, CF_DECIDED_BY_BID);
	ck_assert_int_eq(s.dividend_applies_to_installment, 3);
	ck_assert(s.net_subscription_known);
	ck_assert_int_eq(s.dividend_per_ticket.minor, 100);
	ck_assert_int_eq(s.net_subscription.minor, 900);
	ck_assert_int_eq(s.advance_per_share.minor, 0);
	ck_assert(s.remainder_to_foreman);
}
END_TEST

START_TEST(test_settlement__foreman_first_has_no_discount_or_commission)
{
	cf_settlement s;

	params(10000000, 20);
	s = settle(1, 123456, 20, 0, CF_DECIDED_BY_FOREMAN_FIRST);
	ck_assert_int_eq(s.discount.minor, 0);
	ck_assert_int_eq(s.commission.minor, 0);
	ck_assert_int_eq(s.gst_on_commission.minor, 0);
	ck_assert_int_eq(s.dividend_per_ticket.minor, 0);
	ck_assert_int_eq(s.dividend_shares, 20);
	ck_assert_int_eq(s.prize_amount.minor, 10000000);
	ck_assert_int_eq(s.net_payout.minor, 10000000);
	ck_assert_int_eq(s.net_subscription.minor, 500000);
}
END_TEST

START_TEST(test_settlement__no_sharing_ticket_carries_everything)
{
	cf_settlement s;

	params(10000000, 20);
	s = settle(5, 2000000, 0, 7, CF_DECIDED_BY_BID);
	ck_assert_int_eq(s.dividend_per_ticket.minor, 0);
	ck_assert_int_eq(s.dividend_total.minor, 0);
	ck_assert_int_eq(s.remainder_carried.minor, 2000000 - 500000 + 7);
	ck_assert_int_eq(s.net_subscription.minor, 500000);
}
END_TEST

START_TEST(test_settlement__dividend_above_subscription_goes_to_advance)
{
	cf_settlement s;

	params(10000, 4); /* S = 2500, C = 500; D = V: distributable 9500 over 2 shares */
	s = settle(2, 10000, 2, 0, CF_DECIDED_BY_BID);
	ck_assert_int_eq(s.dividend_per_ticket.minor, 4750);
	ck_assert_int_eq(s.net_subscription.minor, 0);
	ck_assert_int_eq(s.advance_per_share.minor, 2250);
	ck_assert_int_eq(s.prize_amount.minor, 0);
	ck_assert_int_eq(s.net_payout.minor, -90); /* GST 90 on a zero prize: shown, not hidden */
}
END_TEST

START_TEST(test_settlement__gst_rounding_and_bearer)
{
	cf_settlement s;
	cf_rule why;

	/* C = 25 paise; GST 18% = 4.5 -> 5 (half-up) */
	params(500, 2);
	s = settle(1, 25, 2, 0, CF_DECIDED_BY_BID);
	ck_assert_int_eq(s.commission.minor, 25);
	ck_assert_int_eq(s.gst_on_commission.minor, 5);
	ck_assert_int_eq(s.net_payout.minor, 500 - 25 - 5);
	/* C = 7 paise (140 x 5%); 18% = 1.26 -> 1 */
	params(140, 2);
	s = settle(1, 7, 2, 0, CF_DECIDED_BY_BID);
	ck_assert_int_eq(s.gst_on_commission.minor, 1);
	/* borne by the foreman: the payout is the whole prize */
	params(10000000, 20);
	P.gst_borne_by = CF_GST_FOREMAN;
	ck_assert_int_eq(cf_scheme_params_resolve(&P, &why), CF_OK);
	s = settle(2, 2500000, 20, 0, CF_DECIDED_BY_BID);
	ck_assert_int_eq(s.gst_on_commission.minor, 90000);
	ck_assert_int_eq(s.net_payout.minor, s.prize_amount.minor);
}
END_TEST

START_TEST(test_settlement__share_counts_by_policy)
{
	cf_ticket_state t[5] = {{1, false, true, false, true},  /* prized foreman */
	                        {2, false, false, true, false}, /* overdue */
	                        {3, true, false, false, false}, /* removed */
	                        {4, false, false, false, false},
	                        {5, false, true, true, false}}; /* prized, overdue */

	ck_assert_int_eq(cf_dividend_share_count(CF_DIVIDEND_ALL_TICKETS, t, 5, 4), 4);
	ck_assert_int_eq(cf_dividend_share_count(CF_DIVIDEND_EXCLUDE_WINNER, t, 5, 4), 3);
	ck_assert_int_eq(cf_dividend_share_count(CF_DIVIDEND_PROMPT_PAYERS, t, 5, 4), 2);
	ck_assert(cf_ticket_shares(CF_DIVIDEND_PROMPT_PAYERS, &t[0], 4));
	ck_assert(!cf_ticket_shares(CF_DIVIDEND_PROMPT_PAYERS, &t[1], 4));
	ck_assert(!cf_ticket_shares(CF_DIVIDEND_ALL_TICKETS, &t[2], 4));
	ck_assert(!cf_ticket_shares(CF_DIVIDEND_EXCLUDE_WINNER, &t[3], 4));
	ck_assert(cf_ticket_shares(CF_DIVIDEND_ALL_TICKETS, &t[3], 4));
	ck_assert(!cf_ticket_shares(CF_DIVIDEND_ALL_TICKETS, NULL, 4));
}
END_TEST

START_TEST(test_settlement__invalid_inputs)
{
	cf_settlement s;
	cf_settlement_input in = {2, 1, CF_DECIDED_BY_BID, cf_money_of(500000), 20, cf_money_of(0)};

	params(10000000, 20);
	ck_assert_int_eq(cf_settle_draw(&P, &in, &s), CF_OK);
	in.discount = cf_money_of(499999); /* below C */
	ck_assert_int_eq(cf_settle_draw(&P, &in, &s), CF_EINVALID);
	in.discount = cf_money_of(10000001); /* above V */
	ck_assert_int_eq(cf_settle_draw(&P, &in, &s), CF_EINVALID);
	in.discount = cf_money_of(10000000);
	ck_assert_int_eq(cf_settle_draw(&P, &in, &s), CF_OK);
	in.draw_no = 0;
	ck_assert_int_eq(cf_settle_draw(&P, &in, &s), CF_EINVALID);
	in.draw_no = 21;
	ck_assert_int_eq(cf_settle_draw(&P, &in, &s), CF_EINVALID);
	in.draw_no = 20;
	in.shares = -1;
	ck_assert_int_eq(cf_settle_draw(&P, &in, &s), CF_EINVALID);
	in.shares = 20;
	in.carried_in = cf_money_of(-1);
	ck_assert_int_eq(cf_settle_draw(&P, &in, &s), CF_EINVALID);
	in.carried_in = cf_money_of(0);
	in.winner_ticket_no = 0;
	ck_assert_int_eq(cf_settle_draw(&P, &in, &s), CF_EINVALID);
	ck_assert_int_eq(cf_settle_draw(NULL, &in, &s), CF_EINVALID);
	ck_assert_int_eq(cf_settle_draw(&P, NULL, &s), CF_EINVALID);
	ck_assert_int_eq(cf_settle_draw(&P, &in, NULL), CF_EINVALID);
}
END_TEST

START_TEST(test_settlement__overflow_is_reported)
{
	cf_settlement s;
	cf_settlement_input in = {2, 1, CF_DECIDED_BY_BID, cf_money_of(0), 2, cf_money_of(0)};
	int64_t v = INT64_MAX - 1; /* even, so divisible by 2 */

	params(v, 2);
	in.discount = cf_money_of(v);
	in.carried_in = cf_money_of(INT64_MAX);
	ck_assert_int_eq(cf_settle_draw(&P, &in, &s), CF_EOVERFLOW);
	/* at the largest value that fits, it settles and conserves */
	in.carried_in = cf_money_of(0);
	in.discount = cf_money_of(v);
	ck_assert_int_eq(cf_settle_draw(&P, &in, &s), CF_OK);
	ck_assert_int_eq(cf_settlement_check(&P, &s), CF_OK);
	/* the check itself reports a sum that does not fit */
	s.carried_in = cf_money_of(INT64_MAX);
	ck_assert_int_eq(cf_settlement_check(&P, &s), CF_EOVERFLOW);
}
END_TEST

START_TEST(test_settlement__check_catches_tampering)
{
	cf_settlement s, t;

	params(10000000, 20);
	s = settle(3, 2500000, 20, 13, CF_DECIDED_BY_BID);
	t = s;
	t.remainder_carried.minor += 1;
	ck_assert_int_eq(cf_settlement_check(&P, &t), CF_ERROR);
	t = s;
	t.dividend_per_ticket.minor += 1;
	ck_assert_int_eq(cf_settlement_check(&P, &t), CF_ERROR);
	t = s;
	t.prize_amount.minor -= 20;
	t.dividend_per_ticket.minor += 1;
	t.dividend_total.minor += 20;
	ck_assert_int_eq(cf_settlement_check(&P, &t), CF_ERROR); /* distributable disagrees */
	t = s;
	t.commission.minor += 1;
	t.prize_amount.minor -= 1;
	ck_assert_int_eq(cf_settlement_check(&P, &t), CF_ERROR);
	ck_assert_int_eq(cf_settlement_check(&P, NULL), CF_ERROR);
}
END_TEST

static Suite *settlement_suite(void)
{
	Suite *s = suite_create("settlement");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_settlement__remainder_carried_then_to_foreman);
	tcase_add_test(tc, test_settlement__same_installment_timing);
	tcase_add_test(tc, test_settlement__foreman_first_has_no_discount_or_commission);
	tcase_add_test(tc, test_settlement__no_sharing_ticket_carries_everything);
	tcase_add_test(tc, test_settlement__dividend_above_subscription_goes_to_advance);
	tcase_add_test(tc, test_settlement__gst_rounding_and_bearer);
	tcase_add_test(tc, test_settlement__share_counts_by_policy);
	tcase_add_test(tc, test_settlement__invalid_inputs);
	tcase_add_test(tc, test_settlement__overflow_is_reported);
	tcase_add_test(tc, test_settlement__check_catches_tampering);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(settlement_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
