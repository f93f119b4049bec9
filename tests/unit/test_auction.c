/*
 * test_auction.c - eligibility, bid acceptance (with the refusal order of
 * domain.md "Precise rules") and winner choice (auction.h).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cf_sha256_ref.h"
#include "chitfund/domain/auction.h"
#include "chitfund/domain/lot.h"

/* V = Rs 1,00,000, N = 20: S = 5,000; C = 5,000 (floor); ceiling 40% = 40,000; step Rs 100. */
#define RS(x) ((int64_t)(x)*100)
#define FLOOR RS(5000)
#define CEIL  RS(40000)
#define STEP  RS(100)

static cf_scheme_params P;
static cf_ticket_state T[20];
static cf_bid B[64];
static size_t NB;

static void params(cf_auction_method m, bool foreman_first)
{
	cf_rule why;
	cf_scheme_params_init(&P);
	P.chit_value = cf_money_of(RS(100000));
	P.member_count = 20;
	P.start_date = (cf_date){2026, 1, 15};
	P.auction_method = m;
	P.first_prize_to_foreman = foreman_first;
	if (m == CF_METHOD_FIXED_ORDER)
		P.rules_profile = CF_PROFILE_ROSCA_GENERIC;
	ck_assert_int_eq(cf_scheme_params_resolve(&P, &why), CF_OK);
}

static void tickets(void)
{
	memset(T, 0, sizeof T);
	for (int i = 0; i < 20; i++)
		T[i].ticket_no = i + 1;
	NB = 0;
}

static void setup(void)
{
	params(CF_METHOD_AUCTION, false);
	tickets();
}

static cf_draw draw(int32_t k)
{
	cf_draw d;
	ck_assert_int_eq(cf_draw_init(&d, &P, k), CF_OK);
	return d;
}

static cf_bid bid(int32_t t, int64_t minor)
{
	cf_bid b = {t, cf_money_of(minor)};
	return b;
}

/* Check a bid; on acceptance append it. Returns the rule (CF_RULE_NONE when accepted). */
static cf_rule place(const cf_draw *d, bool open, int32_t t, int64_t minor)
{
	cf_rule why = CF_RULE__COUNT;
	int rc = cf_draw_check_bid(d, open, T, 20, B, NB, bid(t, minor), &why);
	if (rc == CF_OK) {
		ck_assert_int_eq(why, CF_RULE_NONE);
		B[NB++] = bid(t, minor);
		return CF_RULE_NONE;
	}
	ck_assert_int_eq(rc, CF_ERULE);
	return why;
}

START_TEST(test_auction__draw_limits)
{
	cf_draw d = draw(2);
	ck_assert_int_eq(d.floor.minor, FLOOR);
	ck_assert_int_eq(d.ceiling.minor, CEIL);
	ck_assert_int_eq(d.increment.minor, STEP);
	ck_assert_int_eq(d.lot_discount.minor, FLOOR);
	ck_assert(!d.foreman_first);
	ck_assert_int_eq(cf_draw_init(&d, &P, 0), CF_EINVALID);
	ck_assert_int_eq(cf_draw_init(&d, &P, 21), CF_EINVALID);
	ck_assert_int_eq(cf_draw_init(&d, &P, 20), CF_OK);
	ck_assert_int_eq(cf_draw_init(NULL, &P, 1), CF_EINVALID);
}
END_TEST

START_TEST(test_auction__eligibility)
{
	int32_t out[20];
	size_t count = 99;
	cf_ticket_state shuffled[4] = {{9, false, false, false, false},
	                               {2, false, false, false, false},
	                               {5, false, false, false, false},
	                               {1, false, true, false, false}};

	T[0].prized = true;
	T[1].overdue = true;
	T[2].removed = true;
	T[3].foreman = true; /* the foreman's ticket is eligible like any other */
	ck_assert(!cf_ticket_eligible(&T[0]));
	ck_assert(!cf_ticket_eligible(&T[1]));
	ck_assert(!cf_ticket_eligible(&T[2]));
	ck_assert(cf_ticket_eligible(&T[3]));
	ck_assert(!cf_ticket_eligible(NULL));
	ck_assert_uint_eq(cf_draw_eligible_count(T, 20), 17);
	ck_assert_int_eq(cf_draw_eligible(T, 20, out, 20, &count), CF_OK);
	ck_assert_uint_eq(count, 17);
	ck_assert_int_eq(out[0], 4);
	ck_assert_int_eq(out[16], 20);
	ck_assert_int_eq(cf_draw_eligible(T, 20, out, 16, &count), CF_EBUFFER);
	ck_assert_uint_eq(count, 17);
	ck_assert_int_eq(cf_draw_eligible(shuffled, 4, out, 4, &count), CF_OK);
	ck_assert_uint_eq(count, 3);
	ck_assert_int_eq(out[0], 2);
	ck_assert_int_eq(out[1], 5);
	ck_assert_int_eq(out[2], 9);
}
END_TEST

/* One row: a scenario where several refusals apply; the first in domain.md's order wins. */
struct order_case {
	const char *name;
	cf_auction_method method;
	bool open;
	int32_t ticket;
	int64_t discount;
	int prior_ticket; /* 0: none; else a bid already placed by this ticket */
	int64_t prior_discount;
	int mark; /* 1: ticket prized+overdue, 2: overdue, 3: removed */
	cf_rule expect;
};

static const struct order_case order_cases[] = {
        {"closed beats unknown ticket", CF_METHOD_AUCTION, false, 99, CEIL + 1, 0, 0, 0,
         CF_RULE_AUCTION_NOT_OPEN},
        {"unknown ticket beats amount", CF_METHOD_AUCTION, true, 99, CEIL + 1, 0, 0, 0,
         CF_RULE_TICKET_NOT_ELIGIBLE},
        {"prized beats default", CF_METHOD_AUCTION, true, 3, CEIL + 1, 0, 0, 1,
         CF_RULE_TICKET_ALREADY_PRIZED},
        {"overdue beats amount", CF_METHOD_AUCTION, true, 3, CEIL + 1, 0, 0, 2,
         CF_RULE_TICKET_IN_DEFAULT},
        {"removed is in default", CF_METHOD_AUCTION, true, 3, FLOOR, 0, 0, 3,
         CF_RULE_TICKET_IN_DEFAULT},
        {"sealed second bid beats amount", CF_METHOD_SEALED, true, 3, CEIL + 1, 3, FLOOR, 0,
         CF_RULE_BID_ALREADY_PLACED},
        {"above cap beats not multiple", CF_METHOD_AUCTION, true, 3, CEIL + 1, 0, 0, 0,
         CF_RULE_BID_ABOVE_CAP},
        {"below floor beats not multiple", CF_METHOD_AUCTION, true, 3, FLOOR - 1, 0, 0, 0,
         CF_RULE_BID_BELOW_FLOOR},
        {"not multiple beats not higher", CF_METHOD_AUCTION, true, 3, RS(10050), 4, RS(20000), 0,
         CF_RULE_BID_NOT_MULTIPLE},
        {"not higher", CF_METHOD_AUCTION, true, 3, RS(20000), 4, RS(20000), 0,
         CF_RULE_BID_NOT_HIGHER},
        {"lower than standing", CF_METHOD_AUCTION, true, 3, RS(10000), 4, RS(20000), 0,
         CF_RULE_BID_NOT_HIGHER},
        {"one step higher", CF_METHOD_AUCTION, true, 3, RS(20100), 4, RS(20000), 0, CF_RULE_NONE},
        {"ceiling exactly", CF_METHOD_AUCTION, true, 3, CEIL, 0, 0, 0, CF_RULE_NONE},
        {"ceiling + 1 paisa", CF_METHOD_AUCTION, true, 3, CEIL + 1, 0, 0, 0, CF_RULE_BID_ABOVE_CAP},
        {"floor exactly", CF_METHOD_AUCTION, true, 3, FLOOR, 0, 0, 0, CF_RULE_NONE},
        {"floor - 1 paisa", CF_METHOD_AUCTION, true, 3, FLOOR - 1, 0, 0, 0,
         CF_RULE_BID_BELOW_FLOOR},
        {"floor + 1 paisa", CF_METHOD_AUCTION, true, 3, FLOOR + 1, 0, 0, 0,
         CF_RULE_BID_NOT_MULTIPLE},
        {"sealed lower than others is fine", CF_METHOD_SEALED, true, 3, RS(10000), 4, RS(20000), 0,
         CF_RULE_NONE},
        {"auction same ticket raises", CF_METHOD_AUCTION, true, 4, RS(20100), 4, RS(20000), 0,
         CF_RULE_NONE},
        {"lot method takes no bids", CF_METHOD_LOT, true, 3, FLOOR, 0, 0, 0,
         CF_RULE_AUCTION_NOT_OPEN},
        {"fixed order takes no bids", CF_METHOD_FIXED_ORDER, true, 3, FLOOR, 0, 0, 0,
         CF_RULE_AUCTION_NOT_OPEN},
};

START_TEST(test_auction__refusal_order)
{
	const struct order_case *c = &order_cases[_i];
	cf_draw d;
	cf_rule got;

	params(c->method, false);
	tickets();
	if (c->mark == 1)
		T[c->ticket - 1].prized = T[c->ticket - 1].overdue = true;
	else if (c->mark == 2)
		T[c->ticket - 1].overdue = true;
	else if (c->mark == 3)
		T[c->ticket - 1].removed = true;
	if (c->prior_ticket)
		B[NB++] = bid(c->prior_ticket, c->prior_discount);
	d = draw(2);
	got = place(&d, c->open, c->ticket, c->discount);
	ck_assert_msg(got == c->expect, "%s: got %s, expected %s", c->name, cf_rule_slug(got),
	              cf_rule_slug(c->expect));
}
END_TEST

START_TEST(test_auction__floor_and_ceiling_off_the_grid)
{
	cf_rule why;
	cf_draw d;

	cf_scheme_params_init(&P);
	P.chit_value = cf_money_of(RS(100000));
	P.member_count = 20;
	P.start_date = (cf_date){2026, 1, 15};
	P.max_discount_bps = 3333;              /* ceiling 33,330.00: not a multiple of 100 */
	P.min_discount = cf_money_of(RS(5050)); /* floor 5,050.00: not a multiple of 100 */
	ck_assert_int_eq(cf_scheme_params_resolve(&P, &why), CF_OK);
	d = draw(3);
	ck_assert_int_eq(d.ceiling.minor, RS(33330));
	ck_assert(cf_draw_amount_valid(&d, cf_money_of(RS(5050))));
	ck_assert(cf_draw_amount_valid(&d, cf_money_of(RS(33330))));
	ck_assert(cf_draw_amount_valid(&d, cf_money_of(RS(5100))));
	ck_assert(cf_draw_amount_valid(&d, cf_money_of(RS(33300))));
	ck_assert(!cf_draw_amount_valid(&d, cf_money_of(RS(5150))));
	ck_assert(!cf_draw_amount_valid(&d, cf_money_of(RS(5000))));
	ck_assert_int_eq(place(&d, true, 1, RS(5050)), CF_RULE_NONE);
	ck_assert_int_eq(place(&d, true, 2, RS(5100)), CF_RULE_BID_NOT_HIGHER);
	ck_assert_int_eq(place(&d, true, 2, RS(5200)), CF_RULE_NONE);
	ck_assert_int_eq(place(&d, true, 3, RS(33300)), CF_RULE_NONE);
	/* the ceiling is only 30 rupees above the standing bid: not higher by the increment */
	ck_assert_int_eq(place(&d, true, 4, RS(33330)), CF_RULE_BID_NOT_HIGHER);
}
END_TEST

START_TEST(test_auction__ceiling_tie_joined_once_and_decided_by_lot)
{
	cf_draw d = draw(2);
	int32_t cands[20];
	cf_draw_outcome o;
	cf_rule why;
	cf_lot_proof proof;
	cf_money standing;

	ck_assert_int_eq(place(&d, true, 12, RS(30000)), CF_RULE_NONE);
	ck_assert_int_eq(place(&d, true, 7, CEIL), CF_RULE_NONE);
	ck_assert_int_eq(place(&d, true, 12, CEIL), CF_RULE_NONE);           /* joins the tie */
	ck_assert_int_eq(place(&d, true, 12, CEIL), CF_RULE_BID_NOT_HIGHER); /* twice */
	ck_assert_int_eq(place(&d, true, 7, CEIL), CF_RULE_BID_NOT_HIGHER);
	ck_assert_int_eq(place(&d, true, 3, CEIL), CF_RULE_NONE);
	ck_assert_int_eq(place(&d, true, 5, RS(39900)), CF_RULE_BID_NOT_HIGHER);
	ck_assert_int_eq(place(&d, true, 5, CEIL + STEP), CF_RULE_BID_ABOVE_CAP);
	ck_assert(cf_draw_standing(B, NB, &standing));
	ck_assert_int_eq(standing.minor, CEIL);

	ck_assert_int_eq(cf_draw_decide(&d, T, 20, B, NB, cands, 20, &o, &why), CF_OK);
	ck_assert(o.needs_lot);
	ck_assert_int_eq(o.decided_by, CF_DECIDED_BY_LOT);
	ck_assert_int_eq(o.discount.minor, CEIL);
	ck_assert_uint_eq(o.candidate_count, 3);
	ck_assert_int_eq(cands[0], 3);
	ck_assert_int_eq(cands[1], 7);
	ck_assert_int_eq(cands[2], 12);
	ck_assert_int_eq(o.winner_ticket_no, 0);
	/* golden lot: seed 00..1f, this auction id, candidates 3,7,12 -> index 0, ticket 3 */
	ck_assert_int_eq(
	        cf_lot_draw("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e"
	                    "1f",
	                    "123e4567-e89b-12d3-a456-426614174000", cands, o.candidate_count,
	                    cf_test_sha256, &proof),
	        CF_OK);
	ck_assert_int_eq(cf_draw_apply_lot(&o, cands, proof.index), CF_OK);
	ck_assert_int_eq(o.winner_ticket_no, 3);
	ck_assert(!o.needs_lot);
	ck_assert_int_eq(cf_draw_apply_lot(&o, cands, 0), CF_EINVALID); /* already applied */
}
END_TEST

START_TEST(test_auction__highest_bid_wins)
{
	cf_draw d = draw(5);
	int32_t cands[20];
	cf_draw_outcome o;
	cf_rule why;

	ck_assert_int_eq(place(&d, true, 4, RS(10000)), CF_RULE_NONE);
	ck_assert_int_eq(place(&d, true, 9, RS(12000)), CF_RULE_NONE);
	ck_assert_int_eq(place(&d, true, 4, RS(15000)), CF_RULE_NONE);
	ck_assert_int_eq(cf_draw_decide(&d, T, 20, B, NB, cands, 20, &o, &why), CF_OK);
	ck_assert(!o.needs_lot);
	ck_assert_int_eq(o.decided_by, CF_DECIDED_BY_BID);
	ck_assert_int_eq(o.winner_ticket_no, 4);
	ck_assert_int_eq(o.discount.minor, RS(15000));
	/* the top bidder falls overdue before close: his bids no longer count */
	T[3].overdue = true;
	ck_assert_int_eq(cf_draw_decide(&d, T, 20, B, NB, cands, 20, &o, &why), CF_OK);
	ck_assert_int_eq(o.winner_ticket_no, 9);
	ck_assert_int_eq(o.discount.minor, RS(12000));
	ck_assert_int_eq(cf_draw_decide(&d, T, 20, B, NB, cands, 10, &o, &why), CF_EBUFFER);
}
END_TEST

START_TEST(test_auction__sealed_ties_by_lot)
{
	cf_draw d;
	int32_t cands[20];
	cf_draw_outcome o;
	cf_rule why;

	params(CF_METHOD_SEALED, false);
	tickets();
	d = draw(2);
	ck_assert_int_eq(place(&d, true, 17, RS(20000)), CF_RULE_NONE);
	ck_assert_int_eq(place(&d, true, 2, RS(20000)), CF_RULE_NONE);
	ck_assert_int_eq(place(&d, true, 9, RS(15000)), CF_RULE_NONE);
	ck_assert_int_eq(place(&d, true, 9, RS(25000)), CF_RULE_BID_ALREADY_PLACED);
	ck_assert_int_eq(cf_draw_decide(&d, T, 20, B, NB, cands, 20, &o, &why), CF_OK);
	ck_assert(o.needs_lot);
	ck_assert_int_eq(o.decided_by, CF_DECIDED_BY_LOT);
	ck_assert_uint_eq(o.candidate_count, 2);
	ck_assert_int_eq(cands[0], 2);
	ck_assert_int_eq(cands[1], 17);
	ck_assert_int_eq(o.discount.minor, RS(20000));
}
END_TEST

START_TEST(test_auction__no_bids_lot_among_all_eligible)
{
	cf_draw d = draw(4);
	int32_t cands[20];
	cf_draw_outcome o;
	cf_rule why;

	T[0].prized = T[1].prized = T[2].prized = true;
	T[10].overdue = true;
	ck_assert_int_eq(cf_draw_decide(&d, T, 20, B, 0, cands, 20, &o, &why), CF_OK);
	ck_assert(o.needs_lot);
	ck_assert_int_eq(o.decided_by, CF_DECIDED_BY_NO_BIDS);
	ck_assert_uint_eq(o.candidate_count, 16);
	ck_assert_int_eq(cands[0], 4);
	ck_assert_int_eq(cands[15], 20);
	ck_assert_int_eq(o.discount.minor, FLOOR);
	ck_assert_int_eq(cf_draw_apply_lot(&o, cands, 16), CF_EINVALID);
	ck_assert_int_eq(cf_draw_apply_lot(&o, cands, 15), CF_OK);
	ck_assert_int_eq(o.winner_ticket_no, 20);
}
END_TEST

START_TEST(test_auction__single_eligible_ticket)
{
	cf_draw d = draw(7);
	int32_t cands[20];
	cf_draw_outcome o;
	cf_rule why;

	for (int i = 0; i < 20; i++)
		T[i].prized = i != 13;
	ck_assert(!cf_draw_takes_bids(&d, T, 20));
	ck_assert_int_eq(place(&d, true, 14, RS(20000)), CF_RULE_AUCTION_NOT_OPEN);
	ck_assert_int_eq(cf_draw_decide(&d, T, 20, B, 0, cands, 20, &o, &why), CF_OK);
	ck_assert_int_eq(o.decided_by, CF_DECIDED_BY_LAST_TICKET);
	ck_assert_int_eq(o.winner_ticket_no, 14);
	ck_assert_int_eq(o.discount.minor, FLOOR);
	ck_assert(!o.needs_lot);
}
END_TEST

START_TEST(test_auction__no_eligible_ticket)
{
	cf_draw d = draw(7);
	int32_t cands[20];
	cf_draw_outcome o;
	cf_rule why = CF_RULE_NONE;

	for (int i = 0; i < 20; i++)
		T[i].overdue = true;
	ck_assert_int_eq(cf_draw_decide(&d, T, 20, B, 0, cands, 20, &o, &why), CF_ERULE);
	ck_assert_int_eq(why, CF_RULE_NO_ELIGIBLE_TICKET);
	ck_assert(cf_rule_is_conflict(why));
	ck_assert_int_eq(place(&d, true, 1, FLOOR), CF_RULE_AUCTION_NOT_OPEN);
}
END_TEST

START_TEST(test_auction__foreman_first)
{
	cf_draw d;
	int32_t cands[20];
	cf_draw_outcome o;
	cf_rule why;

	params(CF_METHOD_AUCTION, true);
	tickets();
	T[6].foreman = true;
	T[2].foreman = true;
	d = draw(1);
	ck_assert(d.foreman_first);
	ck_assert(!cf_draw_takes_bids(&d, T, 20));
	ck_assert_int_eq(place(&d, true, 5, RS(20000)), CF_RULE_AUCTION_NOT_OPEN);
	ck_assert_int_eq(cf_draw_decide(&d, T, 20, B, 0, cands, 20, &o, &why), CF_OK);
	ck_assert_int_eq(o.decided_by, CF_DECIDED_BY_FOREMAN_FIRST);
	ck_assert_int_eq(o.winner_ticket_no, 3);
	ck_assert_int_eq(o.discount.minor, 0);
	/* draw 2 is an ordinary auction */
	d = draw(2);
	ck_assert(!d.foreman_first);
	ck_assert_int_eq(place(&d, true, 5, RS(20000)), CF_RULE_NONE);
	/* no foreman ticket */
	tickets();
	d = draw(1);
	ck_assert_int_eq(cf_draw_decide(&d, T, 20, B, 0, cands, 20, &o, &why), CF_ERULE);
	ck_assert_int_eq(why, CF_RULE_FOREMAN_TICKET_REQUIRED);
}
END_TEST

START_TEST(test_auction__lot_method_and_fixed_order)
{
	cf_draw d;
	int32_t cands[20];
	cf_draw_outcome o;
	cf_rule why;

	params(CF_METHOD_LOT, false);
	tickets();
	T[0].prized = true;
	d = draw(2);
	ck_assert_int_eq(cf_draw_decide(&d, T, 20, B, 0, cands, 20, &o, &why), CF_OK);
	ck_assert(o.needs_lot);
	ck_assert_int_eq(o.decided_by, CF_DECIDED_BY_LOT);
	ck_assert_uint_eq(o.candidate_count, 19);
	ck_assert_int_eq(cands[0], 2);
	ck_assert_int_eq(o.discount.minor, P.lot_discount.minor);

	params(CF_METHOD_FIXED_ORDER, false);
	tickets();
	T[0].prized = T[1].overdue = true;
	d = draw(2);
	ck_assert_int_eq(cf_draw_decide(&d, T, 20, B, 0, cands, 20, &o, &why), CF_OK);
	ck_assert(!o.needs_lot);
	ck_assert_int_eq(o.decided_by, CF_DECIDED_BY_FIXED_ORDER);
	ck_assert_int_eq(o.winner_ticket_no, 3);
	ck_assert_int_eq(o.discount.minor, P.min_discount.minor);
}
END_TEST

START_TEST(test_auction__decided_by_names)
{
	static const char *names[] = {"bid",           "lot",         "no_bids",
	                              "foreman_first", "last_ticket", "fixed_order"};
	cf_decided_by d;

	for (int i = 0; i < 6; i++) {
		ck_assert_str_eq(cf_decided_by_name((cf_decided_by)i), names[i]);
		ck_assert_int_eq(cf_decided_by_parse(names[i], &d), CF_OK);
		ck_assert_int_eq(d, i);
	}
	ck_assert_str_eq(cf_decided_by_name((cf_decided_by)6), "");
	ck_assert_int_eq(cf_decided_by_parse("Bid", &d), CF_EINVALID);
	ck_assert_int_eq(cf_decided_by_parse(NULL, &d), CF_EINVALID);
}
END_TEST

START_TEST(test_auction__null_arguments)
{
	cf_draw d = draw(2);
	cf_draw_outcome o;
	int32_t c[20];
	cf_rule why;

	ck_assert_int_eq(cf_draw_check_bid(NULL, true, T, 20, B, 0, bid(1, FLOOR), &why),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_draw_check_bid(&d, true, NULL, 20, B, 0, bid(1, FLOOR), &why),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_draw_decide(&d, T, 20, B, 0, NULL, 20, &o, &why), CF_EINVALID);
	ck_assert_int_eq(cf_draw_decide(&d, T, 20, B, 0, c, 20, NULL, &why), CF_EINVALID);
	ck_assert(!cf_draw_standing(NULL, 0, NULL));
}
END_TEST

static Suite *auction_suite(void)
{
	Suite *s = suite_create("auction");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_auction__draw_limits);
	tcase_add_test(tc, test_auction__eligibility);
	tcase_add_loop_test(tc, test_auction__refusal_order, 0,
	                    (int)(sizeof order_cases / sizeof order_cases[0]));
	tcase_add_test(tc, test_auction__floor_and_ceiling_off_the_grid);
	tcase_add_test(tc, test_auction__ceiling_tie_joined_once_and_decided_by_lot);
	tcase_add_test(tc, test_auction__highest_bid_wins);
	tcase_add_test(tc, test_auction__sealed_ties_by_lot);
	tcase_add_test(tc, test_auction__no_bids_lot_among_all_eligible);
	tcase_add_test(tc, test_auction__single_eligible_ticket);
	tcase_add_test(tc, test_auction__no_eligible_ticket);
	tcase_add_test(tc, test_auction__foreman_first);
	tcase_add_test(tc, test_auction__lot_method_and_fixed_order);
	tcase_add_test(tc, test_auction__decided_by_names);
	tcase_add_test(tc, test_auction__null_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(auction_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
