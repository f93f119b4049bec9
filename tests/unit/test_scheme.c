/*
 * test_scheme.c - rule profiles, parameter defaults and validation
 * (scheme.h), and the rule names (rule.h). Table-driven: each row changes
 * one parameter of a valid scheme and names the rule that must refuse it
 * (or CF_OK at the boundary).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/domain/rule.h"
#include "chitfund/domain/scheme.h"

/* A valid scheme: Rs 1,00,000 over 20 monthly installments from 2026-01-15. */
static void base(cf_scheme_params *p)
{
	cf_scheme_params_init(p);
	p->chit_value = cf_money_of(10000000);
	p->member_count = 20;
	p->start_date = (cf_date){2026, 1, 15};
}

typedef void (*mutate_fn)(cf_scheme_params *p);

struct vcase {
	const char *name;
	mutate_fn mutate;
	int rc;
	cf_rule why;
};

#define M(fn, ...)                                                                                 \
	static void fn(cf_scheme_params *p)                                                        \
	{                                                                                          \
		__VA_ARGS__;                                                                       \
	}

M(m_none, (void)p)
M(m_value_zero, p->chit_value = cf_money_of(0))
M(m_value_negative, p->chit_value = cf_money_of(-20))
M(m_n_one, p->member_count = 1)
M(m_n_two, (p->member_count = 2, p->chit_value = cf_money_of(2)))
M(m_n_1001, (p->member_count = 1001, p->chit_value = cf_money_of(1001 * 100)))
M(m_not_divisible, p->chit_value = cf_money_of(10000001))
M(m_monthly_60, (p->member_count = 60, p->chit_value = cf_money_of(60 * 10000)))
M(m_monthly_61, (p->member_count = 61, p->chit_value = cf_money_of(61 * 10000)))
M(m_fortnightly_130, (p->frequency = CF_FREQ_FORTNIGHTLY, p->member_count = 130,
                      p->chit_value = cf_money_of(130 * 10000)))
M(m_fortnightly_131, (p->frequency = CF_FREQ_FORTNIGHTLY, p->member_count = 131,
                      p->chit_value = cf_money_of(131 * 10000)))
M(m_weekly_260,
  (p->frequency = CF_FREQ_WEEKLY, p->member_count = 260, p->chit_value = cf_money_of(260 * 10000)))
M(m_weekly_261,
  (p->frequency = CF_FREQ_WEEKLY, p->member_count = 261, p->chit_value = cf_money_of(261 * 10000)))
M(m_daily_1000,
  (p->frequency = CF_FREQ_DAILY, p->member_count = 1000, p->chit_value = cf_money_of(1000 * 10000)))
M(m_rosca_monthly_1000, (p->rules_profile = CF_PROFILE_ROSCA_GENERIC, p->member_count = 1000,
                         p->chit_value = cf_money_of(1000 * 10000)))
M(m_commission_700, p->commission_bps = 700)
M(m_commission_701, p->commission_bps = 701)
M(m_commission_negative, p->commission_bps = -1)
M(m_1982_commission_500, (p->rules_profile = CF_PROFILE_IN_CENTRAL_1982, p->commission_bps = 500))
M(m_1982_commission_501, (p->rules_profile = CF_PROFILE_IN_CENTRAL_1982, p->commission_bps = 501))
M(m_sg_commission_501, (p->rules_profile = CF_PROFILE_SG_1971, p->commission_bps = 501))
M(m_rosca_commission_9999, (p->rules_profile = CF_PROFILE_ROSCA_GENERIC, p->commission_bps = 9999,
                            p->max_discount_bps = 10000))
M(m_ceiling_4000, p->max_discount_bps = 4000)
M(m_ceiling_4001, p->max_discount_bps = 4001)
M(m_rosca_ceiling_10000, (p->rules_profile = CF_PROFILE_ROSCA_GENERIC, p->max_discount_bps = 10000))
M(m_rosca_ceiling_10001, (p->rules_profile = CF_PROFILE_ROSCA_GENERIC, p->max_discount_bps = 10001))
M(m_ceiling_eq_commission, p->max_discount_bps = 500)
M(m_ceiling_commission_plus_1, p->max_discount_bps = 501)
M(m_min_below_c, p->min_discount = cf_money_of(500000 - 1))
M(m_min_eq_c, p->min_discount = cf_money_of(500000))
M(m_min_eq_ceiling, p->min_discount = cf_money_of(4000000))
M(m_min_above_ceiling, p->min_discount = cf_money_of(4000000 + 1))
M(m_lot_below_c, p->lot_discount = cf_money_of(500000 - 1))
M(m_lot_eq_c, p->lot_discount = cf_money_of(500000))
M(m_lot_eq_ceiling, p->lot_discount = cf_money_of(4000000))
M(m_lot_above_ceiling, p->lot_discount = cf_money_of(4000000 + 1))
M(m_increment_zero, p->bid_increment = cf_money_of(0))
M(m_increment_negative, p->bid_increment = cf_money_of(-100))
M(m_increment_one, p->bid_increment = cf_money_of(1))
M(m_fixed_order_central, p->auction_method = CF_METHOD_FIXED_ORDER)
M(m_fixed_order_rosca,
  (p->auction_method = CF_METHOD_FIXED_ORDER, p->rules_profile = CF_PROFILE_ROSCA_GENERIC))
M(m_sealed_central, p->auction_method = CF_METHOD_SEALED)
M(m_lot_central, p->auction_method = CF_METHOD_LOT)
M(m_foreman_first_kerala,
  (p->first_prize_to_foreman = true, p->rules_profile = CF_PROFILE_IN_KERALA_KSFE))
M(m_foreman_first_central, p->first_prize_to_foreman = true)
M(m_late_fee_200, p->late_fee_bps_per_month = 200)
M(m_late_fee_201, p->late_fee_bps_per_month = 201)
M(m_late_fee_negative, p->late_fee_bps_per_month = -1)
M(m_rosca_late_fee_5000,
  (p->rules_profile = CF_PROFILE_ROSCA_GENERIC, p->late_fee_bps_per_month = 5000))
M(m_gst_zero, p->gst_bps = 0)
M(m_gst_10000, p->gst_bps = 10000)
M(m_gst_10001, p->gst_bps = 10001)
M(m_gst_negative, p->gst_bps = -1)
M(m_grace_365, p->grace_days = 365)
M(m_grace_366, p->grace_days = 366)
M(m_grace_negative, p->grace_days = -1)
M(m_currency_lower, memcpy(p->currency, "inr", 4))
M(m_currency_short, memcpy(p->currency, "IN", 3))
M(m_currency_digit, memcpy(p->currency, "US1", 4))
M(m_currency_unterminated, memcpy(p->currency, "USDX", 4))
M(m_currency_usd, memcpy(p->currency, "USD", 4))
M(m_start_feb_30, p->start_date = (cf_date){2026, 2, 30})
M(m_start_zero, p->start_date = (cf_date){0, 0, 0})
M(m_start_leap_day, p->start_date = (cf_date){2028, 2, 29})
M(m_start_runs_past_9999, p->start_date = (cf_date){9999, 6, 1})
M(m_bad_enum, p->frequency = (cf_frequency)9)
M(m_bad_profile, p->rules_profile = (cf_profile_id)9)

static const struct vcase cases[] = {
        {"valid base", m_none, CF_OK, CF_RULE_NONE},
        {"value zero", m_value_zero, CF_ERULE, CF_RULE_VALUE_NOT_POSITIVE},
        {"value negative", m_value_negative, CF_ERULE, CF_RULE_VALUE_NOT_POSITIVE},
        {"N = 1", m_n_one, CF_ERULE, CF_RULE_MEMBER_COUNT_OUT_OF_RANGE},
        {"N = 2", m_n_two, CF_OK, CF_RULE_NONE},
        {"N = 1001", m_n_1001, CF_ERULE, CF_RULE_MEMBER_COUNT_OUT_OF_RANGE},
        {"V not divisible by N", m_not_divisible, CF_ERULE, CF_RULE_VALUE_NOT_DIVISIBLE},
        {"60 monthly", m_monthly_60, CF_OK, CF_RULE_NONE},
        {"61 monthly", m_monthly_61, CF_ERULE, CF_RULE_DURATION_TOO_LONG},
        {"130 fortnightly", m_fortnightly_130, CF_OK, CF_RULE_NONE},
        {"131 fortnightly", m_fortnightly_131, CF_ERULE, CF_RULE_DURATION_TOO_LONG},
        {"260 weekly", m_weekly_260, CF_OK, CF_RULE_NONE},
        {"261 weekly", m_weekly_261, CF_ERULE, CF_RULE_DURATION_TOO_LONG},
        {"1000 daily", m_daily_1000, CF_OK, CF_RULE_NONE},
        {"rosca 1000 monthly", m_rosca_monthly_1000, CF_OK, CF_RULE_NONE},
        {"commission 700", m_commission_700, CF_OK, CF_RULE_NONE},
        {"commission 701", m_commission_701, CF_ERULE, CF_RULE_COMMISSION_ABOVE_CAP},
        {"commission -1", m_commission_negative, CF_ERULE, CF_RULE_COMMISSION_NEGATIVE},
        {"1982 commission 500", m_1982_commission_500, CF_OK, CF_RULE_NONE},
        {"1982 commission 501", m_1982_commission_501, CF_ERULE, CF_RULE_COMMISSION_ABOVE_CAP},
        {"sg commission 501", m_sg_commission_501, CF_ERULE, CF_RULE_COMMISSION_ABOVE_CAP},
        {"rosca commission 9999", m_rosca_commission_9999, CF_OK, CF_RULE_NONE},
        {"ceiling 4000", m_ceiling_4000, CF_OK, CF_RULE_NONE},
        {"ceiling 4001", m_ceiling_4001, CF_ERULE, CF_RULE_DISCOUNT_CAP_ABOVE_LIMIT},
        {"rosca ceiling 10000", m_rosca_ceiling_10000, CF_OK, CF_RULE_NONE},
        {"rosca ceiling 10001", m_rosca_ceiling_10001, CF_ERULE, CF_RULE_DISCOUNT_CAP_ABOVE_LIMIT},
        {"ceiling = commission", m_ceiling_eq_commission, CF_ERULE,
         CF_RULE_DISCOUNT_CAP_NOT_ABOVE_COMMISSION},
        {"ceiling = commission + 1", m_ceiling_commission_plus_1, CF_OK, CF_RULE_NONE},
        {"min below C", m_min_below_c, CF_ERULE, CF_RULE_MIN_DISCOUNT_BELOW_COMMISSION},
        {"min = C", m_min_eq_c, CF_OK, CF_RULE_NONE},
        {"min = ceiling", m_min_eq_ceiling, CF_OK, CF_RULE_NONE},
        {"min above ceiling", m_min_above_ceiling, CF_ERULE, CF_RULE_MIN_DISCOUNT_ABOVE_CEILING},
        {"lot below C", m_lot_below_c, CF_ERULE, CF_RULE_LOT_DISCOUNT_OUT_OF_RANGE},
        {"lot = C", m_lot_eq_c, CF_OK, CF_RULE_NONE},
        {"lot = ceiling", m_lot_eq_ceiling, CF_OK, CF_RULE_NONE},
        {"lot above ceiling", m_lot_above_ceiling, CF_ERULE, CF_RULE_LOT_DISCOUNT_OUT_OF_RANGE},
        {"increment 0", m_increment_zero, CF_ERULE, CF_RULE_BID_INCREMENT_NOT_POSITIVE},
        {"increment -100", m_increment_negative, CF_ERULE, CF_RULE_BID_INCREMENT_NOT_POSITIVE},
        {"increment 1", m_increment_one, CF_OK, CF_RULE_NONE},
        {"fixed_order central", m_fixed_order_central, CF_ERULE, CF_RULE_METHOD_NOT_ALLOWED},
        {"fixed_order rosca", m_fixed_order_rosca, CF_OK, CF_RULE_NONE},
        {"sealed central", m_sealed_central, CF_OK, CF_RULE_NONE},
        {"lot central", m_lot_central, CF_OK, CF_RULE_NONE},
        {"foreman first kerala", m_foreman_first_kerala, CF_ERULE,
         CF_RULE_FOREMAN_FIRST_NOT_ALLOWED},
        {"foreman first central", m_foreman_first_central, CF_OK, CF_RULE_NONE},
        {"late fee 200", m_late_fee_200, CF_OK, CF_RULE_NONE},
        {"late fee 201", m_late_fee_201, CF_ERULE, CF_RULE_LATE_FEE_ABOVE_CAP},
        {"late fee -1", m_late_fee_negative, CF_ERULE, CF_RULE_LATE_FEE_ABOVE_CAP},
        {"rosca late fee 5000", m_rosca_late_fee_5000, CF_OK, CF_RULE_NONE},
        {"gst 0", m_gst_zero, CF_OK, CF_RULE_NONE},
        {"gst 10000", m_gst_10000, CF_OK, CF_RULE_NONE},
        {"gst 10001", m_gst_10001, CF_ERULE, CF_RULE_GST_OUT_OF_RANGE},
        {"gst -1", m_gst_negative, CF_ERULE, CF_RULE_GST_OUT_OF_RANGE},
        {"grace 365", m_grace_365, CF_OK, CF_RULE_NONE},
        {"grace 366", m_grace_366, CF_ERULE, CF_RULE_GRACE_DAYS_OUT_OF_RANGE},
        {"grace -1", m_grace_negative, CF_ERULE, CF_RULE_GRACE_DAYS_OUT_OF_RANGE},
        {"currency inr", m_currency_lower, CF_ERULE, CF_RULE_CURRENCY_INVALID},
        {"currency IN", m_currency_short, CF_ERULE, CF_RULE_CURRENCY_INVALID},
        {"currency US1", m_currency_digit, CF_ERULE, CF_RULE_CURRENCY_INVALID},
        {"currency unterminated", m_currency_unterminated, CF_ERULE, CF_RULE_CURRENCY_INVALID},
        {"currency USD", m_currency_usd, CF_OK, CF_RULE_NONE},
        {"start 2026-02-30", m_start_feb_30, CF_ERULE, CF_RULE_START_DATE_INVALID},
        {"start 0000-00-00", m_start_zero, CF_ERULE, CF_RULE_START_DATE_INVALID},
        {"start 2028-02-29", m_start_leap_day, CF_OK, CF_RULE_NONE},
        {"schedule past 9999", m_start_runs_past_9999, CF_ERULE, CF_RULE_START_DATE_INVALID},
        {"enum out of range", m_bad_enum, CF_EINVALID, CF_RULE_NONE},
        {"unknown profile", m_bad_profile, CF_EINVALID, CF_RULE_NONE},
};

#define NCASES ((int)(sizeof cases / sizeof cases[0]))

START_TEST(test_scheme__validation_table)
{
	const struct vcase *c = &cases[_i];
	cf_scheme_params p;
	cf_rule why = CF_RULE__COUNT;
	int rc;

	base(&p);
	c->mutate(&p);
	rc = cf_scheme_params_resolve(&p, &why);
	ck_assert_msg(rc == c->rc, "%s: rc %d, expected %d (rule %s)", c->name, rc, c->rc,
	              cf_rule_slug(why));
	ck_assert_msg(why == c->why, "%s: rule %s, expected %s", c->name, cf_rule_slug(why),
	              cf_rule_slug(c->why));
}
END_TEST

START_TEST(test_scheme__rule_fields_name_the_parameter)
{
	ck_assert_str_eq(cf_rule_field(CF_RULE_COMMISSION_ABOVE_CAP), "commission_bps");
	ck_assert_str_eq(cf_rule_field(CF_RULE_VALUE_NOT_DIVISIBLE), "chit_value");
	ck_assert_str_eq(cf_rule_field(CF_RULE_VALUE_NOT_POSITIVE), "chit_value");
	ck_assert_str_eq(cf_rule_field(CF_RULE_DURATION_TOO_LONG), "member_count");
	ck_assert_str_eq(cf_rule_field(CF_RULE_DISCOUNT_CAP_ABOVE_LIMIT), "max_discount_bps");
	ck_assert_str_eq(cf_rule_field(CF_RULE_MIN_DISCOUNT_ABOVE_CEILING), "min_discount");
	ck_assert_str_eq(cf_rule_field(CF_RULE_LOT_DISCOUNT_OUT_OF_RANGE), "lot_discount");
	ck_assert_str_eq(cf_rule_field(CF_RULE_LATE_FEE_ABOVE_CAP), "late_fee_bps_per_month");
	ck_assert_str_eq(cf_rule_field(CF_RULE_CURRENCY_INVALID), "currency");
	ck_assert_str_eq(cf_rule_field(CF_RULE_START_DATE_INVALID), "start_date");
	ck_assert_str_eq(cf_rule_field(CF_RULE_BID_ABOVE_CAP), "discount");
	ck_assert_str_eq(cf_rule_field(CF_RULE_BID_NOT_HIGHER), "discount");
	ck_assert_str_eq(cf_rule_field(CF_RULE_TICKET_IN_DEFAULT), "ticket_no");
	ck_assert_str_eq(cf_rule_field(CF_RULE_NONE), "");
	ck_assert_str_eq(cf_rule_field((cf_rule)9999), "");
}
END_TEST

START_TEST(test_scheme__rule_slugs_unique_and_conflicts)
{
	for (int i = 0; i < CF_RULE__COUNT; i++) {
		const char *s = cf_rule_slug((cf_rule)i);
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_gt(strlen(s), 0);
		ck_assert_uint_gt(strlen(cf_rule_describe((cf_rule)i)), 0);
		for (int j = 0; j < i; j++)
			ck_assert_str_ne(s, cf_rule_slug((cf_rule)j));
		ck_assert_int_eq(cf_rule_is_conflict((cf_rule)i) != 0,
		                 i == CF_RULE_AUCTION_NOT_OPEN || i == CF_RULE_NO_ELIGIBLE_TICKET ||
		                         i == CF_RULE_SECURITY_INSUFFICIENT);
	}
	ck_assert_str_eq(cf_rule_slug(CF_RULE_NONE), "none");
	ck_assert_str_eq(cf_rule_slug(CF_RULE_METHOD_NOT_ALLOWED), "method-not-allowed-by-profile");
	ck_assert_str_eq(cf_rule_slug(CF_RULE_BID_NOT_MULTIPLE), "bid-not-multiple");
	ck_assert_str_eq(cf_rule_slug(CF_RULE_DISCOUNT_CAP_NOT_ABOVE_COMMISSION),
	                 "discount-cap-not-above-commission");
	ck_assert_str_eq(cf_rule_slug(CF_RULE_FOREMAN_TICKET_REQUIRED), "foreman-ticket-required");
	ck_assert_ptr_nonnull(cf_rule_slug((cf_rule)-5));
	ck_assert_ptr_nonnull(cf_rule_describe(CF_RULE__COUNT));
}
END_TEST

START_TEST(test_scheme__defaults_resolved)
{
	cf_scheme_params p;
	cf_rule why;
	cf_money c, ceil;

	base(&p);
	ck_assert_int_eq(p.commission_bps, 500);
	ck_assert_int_eq(p.max_discount_bps, 4000);
	ck_assert_int_eq(p.bid_increment.minor, 10000);
	ck_assert_int_eq(p.frequency, CF_FREQ_MONTHLY);
	ck_assert_str_eq(p.currency, "INR");
	ck_assert_int_eq(p.auction_method, CF_METHOD_AUCTION);
	ck_assert_int_eq(p.dividend_timing, CF_TIMING_NEXT_INSTALLMENT);
	ck_assert_int_eq(p.gst_bps, 1800);
	ck_assert_int_eq(p.gst_borne_by, CF_GST_WINNER);
	ck_assert_int_eq(p.late_fee_bps_per_month, 200);
	ck_assert_int_eq(p.grace_days, 0);
	ck_assert_int_eq(p.rules_profile, CF_PROFILE_IN_CENTRAL_2019);
	ck_assert(!p.first_prize_to_foreman);
	ck_assert(p.min_discount.minor == CF_MONEY_UNSET);
	ck_assert_int_eq(cf_scheme_params_resolve(&p, &why), CF_OK);
	ck_assert_int_eq(why, CF_RULE_NONE);
	ck_assert_int_eq(p.dividend_policy, CF_DIVIDEND_ALL_TICKETS);
	ck_assert_int_eq(p.min_discount.minor, 500000);
	ck_assert_int_eq(p.lot_discount.minor, 500000);
	ck_assert_int_eq(cf_scheme_subscription(&p).minor, 500000);
	ck_assert_int_eq(cf_scheme_commission(&p, &c), CF_OK);
	ck_assert_int_eq(c.minor, 500000);
	ck_assert_int_eq(cf_scheme_ceiling(&p, &ceil), CF_OK);
	ck_assert_int_eq(ceil.minor, 4000000);
}
END_TEST

START_TEST(test_scheme__kerala_defaults_to_prompt_payers)
{
	cf_scheme_params p;
	cf_rule why;

	base(&p);
	p.rules_profile = CF_PROFILE_IN_KERALA_KSFE;
	ck_assert_int_eq(cf_scheme_params_resolve(&p, &why), CF_OK);
	ck_assert_int_eq(p.dividend_policy, CF_DIVIDEND_PROMPT_PAYERS);

	base(&p);
	p.rules_profile = CF_PROFILE_IN_KERALA_KSFE;
	p.dividend_policy = CF_DIVIDEND_EXCLUDE_WINNER;
	ck_assert_int_eq(cf_scheme_params_resolve(&p, &why), CF_OK);
	ck_assert_int_eq(p.dividend_policy, CF_DIVIDEND_EXCLUDE_WINNER);
}
END_TEST

START_TEST(test_scheme__commission_and_ceiling_rounding)
{
	cf_scheme_params p;
	cf_money m;

	base(&p);
	/* V = 1001 paise x 3: commission 5% of 3003 = 150.15 -> 150; 3% gives 90.09 -> 90;
	 * 0.05%: 1.5015 -> 2 (half-up) */
	p.chit_value = cf_money_of(3003);
	p.member_count = 3;
	p.commission_bps = 5;
	ck_assert_int_eq(cf_scheme_commission(&p, &m), CF_OK);
	ck_assert_int_eq(m.minor, 2);
	p.commission_bps = 500;
	ck_assert_int_eq(cf_scheme_commission(&p, &m), CF_OK);
	ck_assert_int_eq(m.minor, 150);
	/* ceiling floors: 3003 x 3333 / 10000 = 1000.8999 -> 1000 */
	p.max_discount_bps = 3333;
	ck_assert_int_eq(cf_scheme_ceiling(&p, &m), CF_OK);
	ck_assert_int_eq(m.minor, 1000);
	/* half-up on the commission: 10 paise x 500 bps = 0.5 -> 1 */
	p.chit_value = cf_money_of(10);
	p.commission_bps = 500;
	ck_assert_int_eq(cf_scheme_commission(&p, &m), CF_OK);
	ck_assert_int_eq(m.minor, 1);
}
END_TEST

START_TEST(test_scheme__huge_values_do_not_overflow)
{
	cf_scheme_params p;
	cf_rule why;

	base(&p);
	p.chit_value = cf_money_of(INT64_MAX - (INT64_MAX % 20));
	ck_assert_int_eq(cf_scheme_params_resolve(&p, &why), CF_OK);
	{
		__int128 v = (__int128)(INT64_MAX - (INT64_MAX % 20));
		int64_t c = (int64_t)((v * 500 + 5000) / 10000);
		int64_t ceil = (int64_t)(v * 4000 / 10000);
		ck_assert_int_eq(p.min_discount.minor, c);
		ck_assert_int_eq(p.lot_discount.minor, c);
		ck_assert_int_lt(c, ceil);
	}
}
END_TEST

START_TEST(test_scheme__profiles_as_data)
{
	const cf_profile *p;

	p = cf_profile_get(CF_PROFILE_IN_CENTRAL_2019);
	ck_assert_str_eq(p->name, "in-central-2019");
	ck_assert_int_eq(p->commission_cap_bps, 700);
	ck_assert_int_eq(p->ceiling_cap_bps, 4000);
	ck_assert_int_eq(p->late_fee_cap_bps, 200);
	ck_assert_int_eq(p->max_duration_months, 60);
	ck_assert(p->foreman_first_allowed && !p->fixed_order_allowed);
	p = cf_profile_get(CF_PROFILE_IN_CENTRAL_1982);
	ck_assert_int_eq(p->commission_cap_bps, 500);
	p = cf_profile_get(CF_PROFILE_IN_KERALA_KSFE);
	ck_assert(!p->foreman_first_allowed);
	ck_assert_int_eq(p->default_dividend_policy, CF_DIVIDEND_PROMPT_PAYERS);
	p = cf_profile_get(CF_PROFILE_SG_1971);
	ck_assert_str_eq(p->name, "sg-1971");
	ck_assert_int_eq(p->commission_cap_bps, 500);
	p = cf_profile_get(CF_PROFILE_ROSCA_GENERIC);
	ck_assert_int_eq(p->commission_cap_bps, -1);
	ck_assert_int_eq(p->ceiling_cap_bps, 10000);
	ck_assert_int_eq(p->late_fee_cap_bps, -1);
	ck_assert_int_eq(p->max_duration_months, -1);
	ck_assert(p->fixed_order_allowed);
	ck_assert_ptr_null(cf_profile_get((cf_profile_id)5));
	ck_assert_ptr_null(cf_profile_get((cf_profile_id)-1));
}
END_TEST

START_TEST(test_scheme__enum_names_round_trip)
{
	cf_frequency f;
	cf_auction_method m;
	cf_dividend_policy dp;
	cf_dividend_timing t;
	cf_gst_borne_by g;
	cf_profile_id id;

	for (int i = 0; i <= 3; i++) {
		ck_assert_int_eq(cf_frequency_parse(cf_frequency_name((cf_frequency)i), &f), CF_OK);
		ck_assert_int_eq(f, i);
		ck_assert_int_eq(
		        cf_auction_method_parse(cf_auction_method_name((cf_auction_method)i), &m),
		        CF_OK);
		ck_assert_int_eq(m, i);
	}
	for (int i = 0; i <= 2; i++) {
		ck_assert_int_eq(cf_dividend_policy_parse(
		                         cf_dividend_policy_name((cf_dividend_policy)i), &dp),
		                 CF_OK);
		ck_assert_int_eq(dp, i);
	}
	for (int i = 0; i <= 1; i++) {
		ck_assert_int_eq(cf_dividend_timing_parse(
		                         cf_dividend_timing_name((cf_dividend_timing)i), &t),
		                 CF_OK);
		ck_assert_int_eq(t, i);
		ck_assert_int_eq(
		        cf_gst_borne_by_parse(cf_gst_borne_by_name((cf_gst_borne_by)i), &g), CF_OK);
		ck_assert_int_eq(g, i);
	}
	for (int i = 0; i <= 4; i++) {
		ck_assert_int_eq(cf_profile_parse(cf_profile_name((cf_profile_id)i), &id), CF_OK);
		ck_assert_int_eq(id, i);
	}
	ck_assert_str_eq(cf_frequency_name(CF_FREQ_FORTNIGHTLY), "fortnightly");
	ck_assert_str_eq(cf_auction_method_name(CF_METHOD_FIXED_ORDER), "fixed_order");
	ck_assert_str_eq(cf_dividend_policy_name(CF_DIVIDEND_PROMPT_PAYERS), "prompt_payers");
	ck_assert_str_eq(cf_dividend_timing_name(CF_TIMING_SAME_INSTALLMENT), "same_installment");
	ck_assert_str_eq(cf_gst_borne_by_name(CF_GST_FOREMAN), "foreman");
	ck_assert_str_eq(cf_profile_name(CF_PROFILE_IN_KERALA_KSFE), "in-kerala-ksfe");
	ck_assert_str_eq(cf_frequency_name((cf_frequency)7), "");
	ck_assert_int_eq(cf_frequency_parse("Monthly", &f), CF_EINVALID);
	ck_assert_int_eq(cf_frequency_parse("monthly ", &f), CF_EINVALID);
	ck_assert_int_eq(cf_frequency_parse("", &f), CF_EINVALID);
	ck_assert_int_eq(cf_frequency_parse(NULL, &f), CF_EINVALID);
	ck_assert_int_eq(cf_frequency_parse("monthly", NULL), CF_EINVALID);
	ck_assert_int_eq(cf_auction_method_parse("open", &m), CF_EINVALID);
	ck_assert_int_eq(cf_profile_parse("in-central-2020", &id), CF_EINVALID);
	ck_assert_int_eq(cf_gst_borne_by_parse("WINNER", &g), CF_EINVALID);
}
END_TEST

START_TEST(test_scheme__null_arguments)
{
	cf_rule why;
	cf_money m;

	ck_assert_int_eq(cf_scheme_params_resolve(NULL, &why), CF_EINVALID);
	ck_assert_int_eq(cf_scheme_commission(NULL, &m), CF_EINVALID);
	ck_assert_int_eq(cf_scheme_ceiling(NULL, &m), CF_EINVALID);
	cf_scheme_params_init(NULL); /* must not crash */
}
END_TEST

static Suite *scheme_suite(void)
{
	Suite *s = suite_create("scheme");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_scheme__validation_table, 0, NCASES);
	tcase_add_test(tc, test_scheme__rule_fields_name_the_parameter);
	tcase_add_test(tc, test_scheme__rule_slugs_unique_and_conflicts);
	tcase_add_test(tc, test_scheme__defaults_resolved);
	tcase_add_test(tc, test_scheme__kerala_defaults_to_prompt_payers);
	tcase_add_test(tc, test_scheme__commission_and_ceiling_rounding);
	tcase_add_test(tc, test_scheme__huge_values_do_not_overflow);
	tcase_add_test(tc, test_scheme__profiles_as_data);
	tcase_add_test(tc, test_scheme__enum_names_round_trip);
	tcase_add_test(tc, test_scheme__null_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(scheme_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
