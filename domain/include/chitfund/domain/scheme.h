/*
 * chitfund/domain/scheme.h - the parameters of a chit scheme (one group),
 * the statutory rule profiles they are checked against, and validation.
 */
#ifndef CHITFUND_DOMAIN_SCHEME_H
#define CHITFUND_DOMAIN_SCHEME_H

#include <stdbool.h>
#include <stdint.h>

#include "chitfund/domain/date.h"
#include "chitfund/domain/errcode.h"
#include "chitfund/domain/money.h"
#include "chitfund/domain/rule.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How each draw's winner is chosen. */
typedef enum cf_auction_method {
	CF_METHOD_AUCTION = 0, /**< open reverse auction */
	CF_METHOD_SEALED = 1,  /**< one sealed tender per ticket */
	CF_METHOD_LOT = 2,     /**< lucky draw at lot_discount */
	CF_METHOD_FIXED_ORDER =
	        3 /**< lowest eligible ticket at min_discount (rosca-generic only) */
} cf_auction_method;

/** Who shares a draw's dividend (share of discount). */
typedef enum cf_dividend_policy {
	CF_DIVIDEND_ALL_TICKETS = 0,
	CF_DIVIDEND_EXCLUDE_WINNER = 1,
	CF_DIVIDEND_PROMPT_PAYERS = 2
} cf_dividend_policy;

/** Which installment a draw's dividend lowers. */
typedef enum cf_dividend_timing {
	CF_TIMING_NEXT_INSTALLMENT = 0,
	CF_TIMING_SAME_INSTALLMENT = 1
} cf_dividend_timing;

/** Who bears GST on the foreman's commission. */
typedef enum cf_gst_borne_by { CF_GST_WINNER = 0, CF_GST_FOREMAN = 1 } cf_gst_borne_by;

/** Named statutory rule profiles. */
typedef enum cf_profile_id {
	CF_PROFILE_IN_CENTRAL_2019 = 0,
	CF_PROFILE_IN_CENTRAL_1982 = 1,
	CF_PROFILE_IN_KERALA_KSFE = 2,
	CF_PROFILE_SG_1971 = 3,
	CF_PROFILE_ROSCA_GENERIC = 4
} cf_profile_id;

/** Caps and defaults of a rule profile (domain.md "Rule profiles"). */
typedef struct cf_profile {
	cf_profile_id id;
	const char *name;            /**< "in-central-2019" */
	int32_t commission_cap_bps;  /**< -1: no cap */
	int32_t ceiling_cap_bps;     /**< cap on max_discount_bps */
	int32_t late_fee_cap_bps;    /**< per month; -1: no cap */
	int32_t max_duration_months; /**< -1: no limit */
	bool foreman_first_allowed;
	bool fixed_order_allowed;
	cf_dividend_policy default_dividend_policy;
} cf_profile;

/** The profile with this id; NULL for an unknown id. */
const cf_profile *cf_profile_get(cf_profile_id id);

/** Marks an optional money parameter that the caller left unset. */
#define CF_MONEY_UNSET INT64_MIN

/**
 * Every parameter of a scheme. Fill with cf_scheme_params_init (which sets
 * every optional field to "unset" or its default), assign what the user
 * gave, then call cf_scheme_params_resolve.
 */
typedef struct cf_scheme_params {
	cf_money chit_value;  /**< V, > 0 */
	int32_t member_count; /**< N, 2..1000 */
	cf_date start_date;   /**< due date of installment 1 */
	cf_frequency frequency;
	char currency[4];         /**< ISO 4217, "INR" */
	int32_t commission_bps;   /**< c, % of V per draw */
	int32_t max_discount_bps; /**< ceiling, % of V, commission included */
	cf_money min_discount;    /**< floor; unset: C */
	cf_money bid_increment;   /**< default 10000 paise */
	cf_auction_method auction_method;
	cf_money lot_discount; /**< unset: C */
	bool first_prize_to_foreman;
	cf_dividend_policy dividend_policy; /**< -1 before resolve: profile default */
	cf_dividend_timing dividend_timing;
	int32_t gst_bps; /**< 1800 */
	cf_gst_borne_by gst_borne_by;
	int32_t late_fee_bps_per_month; /**< 200 */
	int32_t grace_days;             /**< 0 */
	cf_profile_id rules_profile;
} cf_scheme_params;

/** Set defaults (domain.md table) and mark profile-dependent fields unset. */
void cf_scheme_params_init(cf_scheme_params *p);

/**
 * Fill unset fields from the profile and the other parameters
 * (min_discount and lot_discount default to the commission amount C,
 * dividend_policy to the profile's default), then validate every parameter
 * against the profile. CF_ERULE with *why set (and cf_rule_field(*why)
 * naming the field) on the first refusal; CF_EOVERFLOW on arithmetic
 * overflow.
 */
int cf_scheme_params_resolve(cf_scheme_params *p, cf_rule *why);

/** Subscription S = V / N (exact once validated). */
cf_money cf_scheme_subscription(const cf_scheme_params *p);
/** Commission amount C = V x c / 10000, half-up. */
int cf_scheme_commission(const cf_scheme_params *p, cf_money *out);
/** Ceiling amount = floor(V x max_discount_bps / 10000). */
int cf_scheme_ceiling(const cf_scheme_params *p, cf_money *out);

/* Enum <-> wire-name conversions. Names are those of api.md ("monthly",
 * "sealed", "all_tickets", "next_installment", "winner", "in-central-2019").
 * The _parse functions take a NUL-terminated string and return CF_EINVALID
 * for anything that is not exactly a known name. */
const char *cf_frequency_name(cf_frequency f);
int cf_frequency_parse(const char *s, cf_frequency *out);
const char *cf_auction_method_name(cf_auction_method m);
int cf_auction_method_parse(const char *s, cf_auction_method *out);
const char *cf_dividend_policy_name(cf_dividend_policy p);
int cf_dividend_policy_parse(const char *s, cf_dividend_policy *out);
const char *cf_dividend_timing_name(cf_dividend_timing t);
int cf_dividend_timing_parse(const char *s, cf_dividend_timing *out);
const char *cf_gst_borne_by_name(cf_gst_borne_by g);
int cf_gst_borne_by_parse(const char *s, cf_gst_borne_by *out);
const char *cf_profile_name(cf_profile_id id);
int cf_profile_parse(const char *s, cf_profile_id *out);

#ifdef __cplusplus
}
#endif
#endif
