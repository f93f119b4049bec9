/*
 * test_golden.c - domain.md's worked examples E1-E5 and the full 20-draw
 * schedule, run through the real draw rules (auction.h) and settlement
 * (settlement.h). Every figure is domain.md's, in rupees.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cf_sha256_ref.h"
#include "chitfund/domain/auction.h"
#include "chitfund/domain/lot.h"
#include "chitfund/domain/settlement.h"

#define RS(x) ((int64_t)(x)*100)

static void scheme(cf_scheme_params *p, int64_t v_rupees, int32_t n, int32_t ceiling_bps)
{
	cf_rule why = CF_RULE_NONE;
	cf_scheme_params_init(p);
	p->chit_value = cf_money_of(RS(v_rupees));
	p->member_count = n;
	p->start_date = (cf_date){2026, 1, 10};
	p->commission_bps = 500;
	p->max_discount_bps = ceiling_bps;
	ck_assert_msg(cf_scheme_params_resolve(p, &why) == CF_OK, "scheme refused: %s",
	              cf_rule_slug(why));
}

/* Settle an ordinary mid-scheme draw (k = 2) of an all_tickets scheme. */
static cf_settlement settle_mid(const cf_scheme_params *p, int64_t discount_rupees)
{
	cf_settlement_input in = {2,
	                          5,
	                          CF_DECIDED_BY_BID,
	                          cf_money_of(RS(discount_rupees)),
	                          p->member_count,
	                          cf_money_of(0)};
	cf_settlement s;
	ck_assert_int_eq(cf_settle_draw(p, &in, &s), CF_OK);
	ck_assert_int_eq(cf_settlement_check(p, &s), CF_OK);
	return s;
}

START_TEST(test_golden__e1)
{
	cf_scheme_params p;
	cf_settlement s;

	scheme(&p, 500000, 50, 4000);
	ck_assert_int_eq(cf_scheme_subscription(&p).minor, RS(10000));
	s = settle_mid(&p, 175000); /* 35% */
	ck_assert_int_eq(s.discount.minor, RS(175000));
	ck_assert_int_eq(s.commission.minor, RS(25000));
	ck_assert_int_eq(s.dividend_per_ticket.minor, RS(3000));
	ck_assert_int_eq(s.dividend_shares, 50);
	ck_assert_int_eq(s.net_subscription.minor, RS(7000));
	ck_assert_int_eq(s.prize_amount.minor, RS(325000));
	ck_assert_int_eq(s.remainder_carried.minor, 0);
}
END_TEST

START_TEST(test_golden__e2_with_gst)
{
	cf_scheme_params p;
	cf_settlement s;

	scheme(&p, 200000, 40, 4000);
	ck_assert_int_eq(cf_scheme_subscription(&p).minor, RS(5000));
	s = settle_mid(&p, 80000); /* 40%: the ceiling */
	ck_assert_int_eq(s.commission.minor, RS(10000));
	ck_assert_int_eq(s.dividend_per_ticket.minor, RS(1750));
	ck_assert_int_eq(s.net_subscription.minor, RS(3250));
	ck_assert_int_eq(s.prize_amount.minor, RS(120000));
	ck_assert_int_eq(s.gst_on_commission.minor, RS(1800));
	ck_assert_int_eq(s.net_payout.minor, RS(118200));
}
END_TEST

START_TEST(test_golden__e3_lot_at_the_ceiling_then_later_draw)
{
	cf_scheme_params p;
	cf_ticket_state t[40];
	cf_bid bids[4];
	size_t nb = 0;
	int32_t cands[40];
	cf_draw d;
	cf_draw_outcome o;
	cf_rule why;
	cf_lot_proof proof;
	cf_settlement s;
	cf_settlement_input in;

	scheme(&p, 100000, 40, 3000);
	ck_assert_int_eq(cf_scheme_subscription(&p).minor, RS(2500));
	memset(t, 0, sizeof t);
	for (int i = 0; i < 40; i++)
		t[i].ticket_no = i + 1;
	ck_assert_int_eq(cf_draw_init(&d, &p, 3), CF_OK);
	ck_assert_int_eq(d.ceiling.minor, RS(30000));
	/* tickets 12, 3 and 7 all reach the ceiling of 30% */
	bids[nb] = (cf_bid){12, cf_money_of(RS(30000))};
	ck_assert_int_eq(cf_draw_check_bid(&d, true, t, 40, bids, nb, bids[nb], &why), CF_OK);
	nb++;
	bids[nb] = (cf_bid){3, cf_money_of(RS(30000))};
	ck_assert_int_eq(cf_draw_check_bid(&d, true, t, 40, bids, nb, bids[nb], &why), CF_OK);
	nb++;
	bids[nb] = (cf_bid){7, cf_money_of(RS(30000))};
	ck_assert_int_eq(cf_draw_check_bid(&d, true, t, 40, bids, nb, bids[nb], &why), CF_OK);
	nb++;
	ck_assert_int_eq(cf_draw_decide(&d, t, 40, bids, nb, cands, 40, &o, &why), CF_OK);
	ck_assert(o.needs_lot);
	ck_assert_int_eq(o.decided_by, CF_DECIDED_BY_LOT);
	ck_assert_int_eq(
	        cf_lot_draw("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e"
	                    "1f",
	                    "123e4567-e89b-12d3-a456-426614174000", cands, o.candidate_count,
	                    cf_test_sha256, &proof),
	        CF_OK);
	ck_assert_int_eq(cf_draw_apply_lot(&o, cands, proof.index), CF_OK);
	ck_assert_int_eq(o.winner_ticket_no, 3); /* the golden lot: candidates 3,7,12 -> index 0 */

	in = (cf_settlement_input){
	        3,
	        o.winner_ticket_no,
	        o.decided_by,
	        o.discount,
	        cf_dividend_share_count(p.dividend_policy, t, 40, o.winner_ticket_no),
	        cf_money_of(0)};
	ck_assert_int_eq(cf_settle_draw(&p, &in, &s), CF_OK);
	ck_assert_int_eq(cf_settlement_check(&p, &s), CF_OK);
	ck_assert_int_eq(s.dividend_per_ticket.minor, RS(625));
	ck_assert_int_eq(s.net_subscription.minor, RS(1875));
	ck_assert_int_eq(s.prize_amount.minor, RS(70000));
	ck_assert_int_eq(s.decided_by, CF_DECIDED_BY_LOT);

	s = settle_mid(&p, 15000);
	ck_assert_int_eq(s.dividend_per_ticket.minor, RS(250));
	ck_assert_int_eq(s.net_subscription.minor, RS(2250));
	ck_assert_int_eq(s.prize_amount.minor, RS(85000));
}
END_TEST

START_TEST(test_golden__e4)
{
	cf_scheme_params p;
	cf_settlement s;

	scheme(&p, 1000000, 40, 4000);
	ck_assert_int_eq(cf_scheme_subscription(&p).minor, RS(25000));
	s = settle_mid(&p, 350000);
	ck_assert_int_eq(s.dividend_per_ticket.minor, RS(7500));
	ck_assert_int_eq(s.net_subscription.minor, RS(17500));
	ck_assert_int_eq(s.prize_amount.minor, RS(650000));
	s = settle_mid(&p, 300000);
	ck_assert_int_eq(s.dividend_per_ticket.minor, RS(6250));
	ck_assert_int_eq(s.net_subscription.minor, RS(18750));
	ck_assert_int_eq(s.prize_amount.minor, RS(700000));
}
END_TEST

START_TEST(test_golden__e5)
{
	cf_scheme_params p;
	cf_settlement s;

	scheme(&p, 150000, 50, 4000);
	ck_assert_int_eq(cf_scheme_subscription(&p).minor, RS(3000));
	s = settle_mid(&p, 45000);
	ck_assert_int_eq(s.commission.minor, RS(7500));
	ck_assert_int_eq(s.dividend_per_ticket.minor, RS(750));
	ck_assert_int_eq(s.net_subscription.minor, RS(2250));
	ck_assert_int_eq(s.prize_amount.minor, RS(105000));
}
END_TEST

/*
 * The 20-draw schedule: V = 1,00,000, N = 20, c = 5%, ceiling 25%, foreman
 * first, all tickets share, next installment, GST 18% borne by the winner.
 * Each draw runs the real auction: the bid is placed by the lowest eligible
 * ticket, the draw decided, then settled.
 */
START_TEST(test_golden__twenty_draw_schedule)
{
	static const int64_t bid_rupees[20] = {0,     25000, 25000, 25000, 25000, 25000, 25000,
	                                       23000, 21000, 19000, 17000, 15000, 13000, 11500,
	                                       10000, 8500,  7000,  6000,  5500,  5000};
	static const int64_t installment_rupees[20] = {5000, 5000, 4000, 4000, 4000, 4000, 4000,
	                                               4000, 4100, 4200, 4300, 4400, 4500, 4600,
	                                               4675, 4750, 4825, 4900, 4950, 4975};
	cf_scheme_params p;
	cf_ticket_state t[20];
	int32_t cands[20];
	cf_money installment[21], carried = cf_money_of(0);
	int64_t prizes = 0, commission = 0, gst = 0, payouts = 0, per_ticket = 0, advance = 0;
	int wins[21] = {0};
	cf_rule why;

	cf_scheme_params_init(&p);
	p.chit_value = cf_money_of(RS(100000));
	p.member_count = 20;
	p.start_date = (cf_date){2026, 1, 31};
	p.max_discount_bps = 2500;
	p.first_prize_to_foreman = true;
	ck_assert_int_eq(cf_scheme_params_resolve(&p, &why), CF_OK);
	ck_assert_int_eq(p.dividend_policy, CF_DIVIDEND_ALL_TICKETS);
	memset(t, 0, sizeof t);
	for (int i = 0; i < 20; i++)
		t[i].ticket_no = i + 1;
	t[0].foreman = true;
	installment[1] = cf_scheme_subscription(&p);

	for (int32_t k = 1; k <= 20; k++) {
		cf_draw d;
		cf_draw_outcome o;
		cf_bid b[1];
		size_t nb = 0;
		cf_settlement s;
		cf_settlement_input in;

		ck_assert_int_eq(cf_draw_init(&d, &p, k), CF_OK);
		if (cf_draw_takes_bids(&d, t, 20)) {
			size_t cnt;
			ck_assert_int_eq(cf_draw_eligible(t, 20, cands, 20, &cnt), CF_OK);
			b[0] = (cf_bid){cands[0], cf_money_of(RS(bid_rupees[k - 1]))};
			ck_assert_int_eq(cf_draw_check_bid(&d, true, t, 20, b, 0, b[0], &why),
			                 CF_OK);
			nb = 1;
		}
		ck_assert_int_eq(cf_draw_decide(&d, t, 20, b, nb, cands, 20, &o, &why), CF_OK);
		ck_assert(!o.needs_lot);
		ck_assert_int_eq(o.discount.minor, RS(bid_rupees[k - 1]));
		if (k == 1)
			ck_assert_int_eq(o.decided_by, CF_DECIDED_BY_FOREMAN_FIRST);
		else if (k == 20)
			ck_assert_int_eq(o.decided_by, CF_DECIDED_BY_LAST_TICKET);
		else
			ck_assert_int_eq(o.decided_by, CF_DECIDED_BY_BID);

		in = (cf_settlement_input){
		        k,
		        o.winner_ticket_no,
		        o.decided_by,
		        o.discount,
		        cf_dividend_share_count(p.dividend_policy, t, 20, o.winner_ticket_no),
		        carried};
		ck_assert_int_eq(in.shares, 20);
		ck_assert_int_eq(cf_settle_draw(&p, &in, &s), CF_OK);
		ck_assert_int_eq(cf_settlement_check(&p, &s), CF_OK);
		carried = s.remainder_carried;
		if (k < 20) {
			ck_assert(s.net_subscription_known);
			ck_assert_int_eq(s.dividend_applies_to_installment, k + 1);
			installment[k + 1] = s.net_subscription;
		} else {
			ck_assert(!s.net_subscription_known);
			ck_assert_int_eq(s.dividend_applies_to_installment, 0);
			ck_assert(s.remainder_to_foreman);
			advance += s.advance_per_share.minor * s.dividend_shares;
		}
		prizes += s.prize_amount.minor;
		commission += s.commission.minor;
		gst += s.gst_on_commission.minor;
		payouts += s.net_payout.minor;
		t[o.winner_ticket_no - 1].prized = true;
		wins[o.winner_ticket_no]++;
	}
	for (int k = 1; k <= 20; k++) {
		ck_assert_msg(installment[k].minor == RS(installment_rupees[k - 1]),
		              "installment %d: %lld paise", k, (long long)installment[k].minor);
		per_ticket += installment[k].minor;
		ck_assert_int_eq(wins[k], 1);
	}
	ck_assert_int_eq(per_ticket, RS(89175));
	ck_assert_int_eq(per_ticket * 20, RS(1783500));
	ck_assert_int_eq(prizes, RS(1688500));
	ck_assert_int_eq(commission, RS(95000));
	ck_assert_int_eq(gst, RS(17100));
	ck_assert_int_eq(payouts, RS(1688500 - 17100));
	ck_assert_int_eq(carried.minor, 0);
	ck_assert_int_eq(advance, 0);
	ck_assert_int_eq(per_ticket * 20, prizes + commission + advance + carried.minor);
}
END_TEST

static Suite *golden_suite(void)
{
	Suite *s = suite_create("golden");
	TCase *tc = tcase_create("domain.md");

	tcase_add_test(tc, test_golden__e1);
	tcase_add_test(tc, test_golden__e2_with_gst);
	tcase_add_test(tc, test_golden__e3_lot_at_the_ceiling_then_later_draw);
	tcase_add_test(tc, test_golden__e4);
	tcase_add_test(tc, test_golden__e5);
	tcase_add_test(tc, test_golden__twenty_draw_schedule);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(golden_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
