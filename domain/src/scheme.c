/*
 * scheme.c - rule profiles, scheme parameter defaults and validation
 * (scheme.h; domain.md "Parameters of a scheme" and "Precise rules").
 */
#include "chitfund/domain/scheme.h"

#include <stddef.h>
#include <string.h>

/* The profiles as data: domain.md "Rule profiles". Indexed by cf_profile_id. */
static const cf_profile profiles[] = {
        {CF_PROFILE_IN_CENTRAL_2019, "in-central-2019", 700, 4000, 200, 60, true, false,
         CF_DIVIDEND_ALL_TICKETS},
        {CF_PROFILE_IN_CENTRAL_1982, "in-central-1982", 500, 4000, 200, 60, true, false,
         CF_DIVIDEND_ALL_TICKETS},
        {CF_PROFILE_IN_KERALA_KSFE, "in-kerala-ksfe", 700, 4000, 200, 60, false, false,
         CF_DIVIDEND_PROMPT_PAYERS},
        {CF_PROFILE_SG_1971, "sg-1971", 500, 4000, 200, 60, true, false, CF_DIVIDEND_ALL_TICKETS},
        {CF_PROFILE_ROSCA_GENERIC, "rosca-generic", -1, 10000, -1, -1, true, true,
         CF_DIVIDEND_ALL_TICKETS},
};

#define PROFILE_COUNT ((int)(sizeof profiles / sizeof profiles[0]))

const cf_profile *cf_profile_get(cf_profile_id id)
{
	if ((int)id < 0 || (int)id >= PROFILE_COUNT)
		return NULL;
	return &profiles[id];
}

void cf_scheme_params_init(cf_scheme_params *p)
{
	if (p == NULL)
		return;
	memset(p, 0, sizeof *p);
	p->chit_value = cf_money_of(0);
	p->member_count = 0;
	p->frequency = CF_FREQ_MONTHLY;
	memcpy(p->currency, "INR", 4);
	p->commission_bps = 500;
	p->max_discount_bps = 4000;
	p->min_discount = cf_money_of(CF_MONEY_UNSET);
	p->bid_increment = cf_money_of(10000);
	p->auction_method = CF_METHOD_AUCTION;
	p->lot_discount = cf_money_of(CF_MONEY_UNSET);
	p->first_prize_to_foreman = false;
	p->dividend_policy = (cf_dividend_policy)-1;
	p->dividend_timing = CF_TIMING_NEXT_INSTALLMENT;
	p->gst_bps = 1800;
	p->gst_borne_by = CF_GST_WINNER;
	p->late_fee_bps_per_month = 200;
	p->grace_days = 0;
	p->rules_profile = CF_PROFILE_IN_CENTRAL_2019;
}

cf_money cf_scheme_subscription(const cf_scheme_params *p)
{
	if (p == NULL || p->member_count <= 0)
		return cf_money_of(0);
	return cf_money_of(p->chit_value.minor / p->member_count);
}

int cf_scheme_commission(const cf_scheme_params *p, cf_money *out)
{
	if (p == NULL || out == NULL)
		return CF_EINVALID;
	return cf_money_mul_bps(p->chit_value, p->commission_bps, CF_ROUND_HALF_UP, out);
}

int cf_scheme_ceiling(const cf_scheme_params *p, cf_money *out)
{
	if (p == NULL || out == NULL)
		return CF_EINVALID;
	return cf_money_mul_bps(p->chit_value, p->max_discount_bps, CF_ROUND_DOWN, out);
}

/*
 * Longest schedule a profile allows, in installments of frequency f. The
 * profile states months; 60 months are taken as 5 years = 1826 days, so the
 * limit is 60 monthly, 130 fortnightly, 260 weekly or 1826 daily installments
 * (domain.md "Rule profiles"). -1: no limit.
 */
static int64_t max_installments(const cf_profile *prof, cf_frequency f)
{
	int64_t months = prof->max_duration_months;
	int64_t days;

	if (months < 0)
		return -1;
	days = months * 1826 / 60;
	switch (f) {
	case CF_FREQ_MONTHLY: return months;
	case CF_FREQ_FORTNIGHTLY: return days / 14;
	case CF_FREQ_WEEKLY: return days / 7;
	case CF_FREQ_DAILY: return days;
	}
	return -1;
}

static int refuse(cf_rule *why, cf_rule r)
{
	if (why)
		*why = r;
	return CF_ERULE;
}

static bool enums_valid(const cf_scheme_params *p)
{
	return (int)p->frequency >= CF_FREQ_MONTHLY && (int)p->frequency <= CF_FREQ_DAILY &&
	       (int)p->auction_method >= CF_METHOD_AUCTION &&
	       (int)p->auction_method <= CF_METHOD_FIXED_ORDER &&
	       (int)p->dividend_policy >= CF_DIVIDEND_ALL_TICKETS &&
	       (int)p->dividend_policy <= CF_DIVIDEND_PROMPT_PAYERS &&
	       (int)p->dividend_timing >= CF_TIMING_NEXT_INSTALLMENT &&
	       (int)p->dividend_timing <= CF_TIMING_SAME_INSTALLMENT &&
	       (int)p->gst_borne_by >= CF_GST_WINNER && (int)p->gst_borne_by <= CF_GST_FOREMAN;
}

static bool currency_valid(const char c[4])
{
	for (int i = 0; i < 3; i++)
		if (c[i] < 'A' || c[i] > 'Z')
			return false;
	return c[3] == '\0';
}

/*
 * Fill the unset fields, then check every parameter in a fixed order and
 * return the first refusal. The order is: value, member count, divisibility,
 * duration, dates and currency, commission, ceiling, floor, lot discount,
 * increment, method, foreman first, late fee, GST, grace days.
 */
int cf_scheme_params_resolve(cf_scheme_params *p, cf_rule *why)
{
	const cf_profile *prof;
	cf_money c_amt, ceiling;
	cf_date last;
	int64_t maxn;
	int rc;

	if (why)
		*why = CF_RULE_NONE;
	if (p == NULL)
		return CF_EINVALID;
	prof = cf_profile_get(p->rules_profile);
	if (prof == NULL)
		return CF_EINVALID;
	if ((int)p->dividend_policy == -1)
		p->dividend_policy = prof->default_dividend_policy;
	if (!enums_valid(p))
		return CF_EINVALID;

	if (p->chit_value.minor <= 0 || p->chit_value.minor == CF_MONEY_UNSET)
		return refuse(why, CF_RULE_VALUE_NOT_POSITIVE);
	if (p->member_count < 2 || p->member_count > 1000)
		return refuse(why, CF_RULE_MEMBER_COUNT_OUT_OF_RANGE);
	if (p->chit_value.minor % p->member_count != 0)
		return refuse(why, CF_RULE_VALUE_NOT_DIVISIBLE);
	maxn = max_installments(prof, p->frequency);
	if (maxn >= 0 && p->member_count > maxn)
		return refuse(why, CF_RULE_DURATION_TOO_LONG);
	if (!cf_date_valid(p->start_date))
		return refuse(why, CF_RULE_START_DATE_INVALID);
	rc = cf_schedule_due_date(p->start_date, p->frequency, p->member_count, &last);
	if (rc == CF_EOVERFLOW || rc == CF_EINVALID)
		return refuse(why, CF_RULE_START_DATE_INVALID);
	if (rc < 0)
		return rc;
	if (!currency_valid(p->currency))
		return refuse(why, CF_RULE_CURRENCY_INVALID);

	if (p->commission_bps < 0)
		return refuse(why, CF_RULE_COMMISSION_NEGATIVE);
	if ((prof->commission_cap_bps >= 0 && p->commission_bps > prof->commission_cap_bps) ||
	    p->commission_bps > 10000)
		return refuse(why, CF_RULE_COMMISSION_ABOVE_CAP);
	if (p->max_discount_bps > prof->ceiling_cap_bps)
		return refuse(why, CF_RULE_DISCOUNT_CAP_ABOVE_LIMIT);
	if (p->max_discount_bps <= p->commission_bps)
		return refuse(why, CF_RULE_DISCOUNT_CAP_NOT_ABOVE_COMMISSION);

	if ((rc = cf_scheme_commission(p, &c_amt)) < 0)
		return rc;
	if ((rc = cf_scheme_ceiling(p, &ceiling)) < 0)
		return rc;
	if (p->min_discount.minor == CF_MONEY_UNSET)
		p->min_discount = c_amt;
	if (p->lot_discount.minor == CF_MONEY_UNSET)
		p->lot_discount = c_amt;
	if (cf_money_cmp(p->min_discount, c_amt) < 0)
		return refuse(why, CF_RULE_MIN_DISCOUNT_BELOW_COMMISSION);
	if (cf_money_cmp(p->min_discount, ceiling) > 0)
		return refuse(why, CF_RULE_MIN_DISCOUNT_ABOVE_CEILING);
	if (cf_money_cmp(p->lot_discount, c_amt) < 0 || cf_money_cmp(p->lot_discount, ceiling) > 0)
		return refuse(why, CF_RULE_LOT_DISCOUNT_OUT_OF_RANGE);
	if (p->bid_increment.minor <= 0)
		return refuse(why, CF_RULE_BID_INCREMENT_NOT_POSITIVE);

	if (p->auction_method == CF_METHOD_FIXED_ORDER && !prof->fixed_order_allowed)
		return refuse(why, CF_RULE_METHOD_NOT_ALLOWED);
	if (p->first_prize_to_foreman && !prof->foreman_first_allowed)
		return refuse(why, CF_RULE_FOREMAN_FIRST_NOT_ALLOWED);
	if (p->late_fee_bps_per_month < 0 ||
	    (prof->late_fee_cap_bps >= 0 && p->late_fee_bps_per_month > prof->late_fee_cap_bps))
		return refuse(why, CF_RULE_LATE_FEE_ABOVE_CAP);
	if (p->gst_bps < 0 || p->gst_bps > 10000)
		return refuse(why, CF_RULE_GST_OUT_OF_RANGE);
	if (p->grace_days < 0 || p->grace_days > 365)
		return refuse(why, CF_RULE_GRACE_DAYS_OUT_OF_RANGE);
	return CF_OK;
}

/* ---- enum <-> wire names ---- */

static const char *const frequency_names[] = {"monthly", "fortnightly", "weekly", "daily"};
static const char *const method_names[] = {"auction", "sealed", "lot", "fixed_order"};
static const char *const policy_names[] = {"all_tickets", "exclude_winner", "prompt_payers"};
static const char *const timing_names[] = {"next_installment", "same_installment"};
static const char *const gst_names[] = {"winner", "foreman"};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *name_of(const char *const *names, int count, int v)
{
	if (v < 0 || v >= count)
		return "";
	return names[v];
}

static int index_of(const char *const *names, int count, const char *s, int *out)
{
	if (s == NULL || out == NULL)
		return CF_EINVALID;
	for (int i = 0; i < count; i++) {
		if (strcmp(names[i], s) == 0) {
			*out = i;
			return CF_OK;
		}
	}
	return CF_EINVALID;
}

const char *cf_frequency_name(cf_frequency f)
{
	return name_of(frequency_names, COUNT(frequency_names), (int)f);
}

int cf_frequency_parse(const char *s, cf_frequency *out)
{
	int i, rc;

	if (out == NULL)
		return CF_EINVALID;
	rc = index_of(frequency_names, COUNT(frequency_names), s, &i);
	if (rc == CF_OK)
		*out = (cf_frequency)i;
	return rc;
}

const char *cf_auction_method_name(cf_auction_method m)
{
	return name_of(method_names, COUNT(method_names), (int)m);
}

int cf_auction_method_parse(const char *s, cf_auction_method *out)
{
	int i, rc;

	if (out == NULL)
		return CF_EINVALID;
	rc = index_of(method_names, COUNT(method_names), s, &i);
	if (rc == CF_OK)
		*out = (cf_auction_method)i;
	return rc;
}

const char *cf_dividend_policy_name(cf_dividend_policy p)
{
	return name_of(policy_names, COUNT(policy_names), (int)p);
}

int cf_dividend_policy_parse(const char *s, cf_dividend_policy *out)
{
	int i, rc;

	if (out == NULL)
		return CF_EINVALID;
	rc = index_of(policy_names, COUNT(policy_names), s, &i);
	if (rc == CF_OK)
		*out = (cf_dividend_policy)i;
	return rc;
}

const char *cf_dividend_timing_name(cf_dividend_timing t)
{
	return name_of(timing_names, COUNT(timing_names), (int)t);
}

int cf_dividend_timing_parse(const char *s, cf_dividend_timing *out)
{
	int i, rc;

	if (out == NULL)
		return CF_EINVALID;
	rc = index_of(timing_names, COUNT(timing_names), s, &i);
	if (rc == CF_OK)
		*out = (cf_dividend_timing)i;
	return rc;
}

const char *cf_gst_borne_by_name(cf_gst_borne_by g)
{
	return name_of(gst_names, COUNT(gst_names), (int)g);
}

int cf_gst_borne_by_parse(const char *s, cf_gst_borne_by *out)
{
	int i, rc;

	if (out == NULL)
		return CF_EINVALID;
	rc = index_of(gst_names, COUNT(gst_names), s, &i);
	if (rc == CF_OK)
		*out = (cf_gst_borne_by)i;
	return rc;
}

const char *cf_profile_name(cf_profile_id id)
{
	const cf_profile *p = cf_profile_get(id);
	return p ? p->name : "";
}

int cf_profile_parse(const char *s, cf_profile_id *out)
{
	if (s == NULL || out == NULL)
		return CF_EINVALID;
	for (int i = 0; i < PROFILE_COUNT; i++) {
		if (strcmp(profiles[i].name, s) == 0) {
			*out = profiles[i].id;
			return CF_OK;
		}
	}
	return CF_EINVALID;
}
