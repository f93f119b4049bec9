/*
 * rule.c - names, descriptions and fields of the business rules (rule.h).
 *
 * One table row per cf_rule, indexed by the enum value, so adding a rule is
 * one line here and one in rule.h. Slugs are the last segment of the problem
 * type URI (api.md) and never change once published.
 */
#include "chitfund/domain/rule.h"

#include <stddef.h>

struct rule_info {
	const char *slug;
	const char *field;
	const char *text;
	int conflict;
};

static const struct rule_info rules[CF_RULE__COUNT] = {
        [CF_RULE_NONE] = {"none", "", "No rule refused the request.", 0},
        [CF_RULE_VALUE_NOT_POSITIVE] = {"value-not-positive", "chit_value",
                                        "The chit value must be greater than zero.", 0},
        [CF_RULE_VALUE_NOT_DIVISIBLE] = {"value-not-divisible", "chit_value",
                                         "The chit value must divide evenly by the member count.",
                                         0},
        [CF_RULE_MEMBER_COUNT_OUT_OF_RANGE] = {"member-count-out-of-range", "member_count",
                                               "The member count must be between 2 and 1000.", 0},
        [CF_RULE_DURATION_TOO_LONG] = {"duration-too-long", "member_count",
                                       "The scheme would run longer than its rule profile allows "
                                       "(5 years: 60 monthly, 130 fortnightly, 260 weekly or 1826 "
                                       "daily installments).",
                                       0},
        [CF_RULE_COMMISSION_ABOVE_CAP] = {"commission-above-cap", "commission_bps",
                                          "The foreman's commission is above the rule profile's "
                                          "cap.",
                                          0},
        [CF_RULE_COMMISSION_NEGATIVE] = {"commission-negative", "commission_bps",
                                         "The foreman's commission cannot be negative.", 0},
        [CF_RULE_DISCOUNT_CAP_ABOVE_LIMIT] = {"discount-cap-above-limit", "max_discount_bps",
                                              "The discount ceiling is above the rule profile's "
                                              "cap.",
                                              0},
        [CF_RULE_DISCOUNT_CAP_NOT_ABOVE_COMMISSION] =
                {"discount-cap-not-above-commission", "max_discount_bps",
                 "The discount ceiling must be above the commission rate.", 0},
        [CF_RULE_MIN_DISCOUNT_BELOW_COMMISSION] = {"min-discount-below-commission", "min_discount",
                                                   "The minimum discount cannot be below the "
                                                   "commission amount.",
                                                   0},
        [CF_RULE_MIN_DISCOUNT_ABOVE_CEILING] = {"min-discount-above-ceiling", "min_discount",
                                                "The minimum discount cannot be above the discount "
                                                "ceiling.",
                                                0},
        [CF_RULE_LOT_DISCOUNT_OUT_OF_RANGE] = {"lot-discount-out-of-range", "lot_discount",
                                               "The lot discount must lie between the commission "
                                               "amount and the discount ceiling.",
                                               0},
        [CF_RULE_BID_INCREMENT_NOT_POSITIVE] = {"bid-increment-not-positive", "bid_increment",
                                                "The bid increment must be greater than zero.", 0},
        [CF_RULE_METHOD_NOT_ALLOWED] = {"method-not-allowed-by-profile", "auction_method",
                                        "The rule profile does not allow this auction method.", 0},
        [CF_RULE_FOREMAN_FIRST_NOT_ALLOWED] = {"foreman-first-not-allowed",
                                               "first_prize_to_foreman",
                                               "The rule profile does not allow the foreman's "
                                               "first chit.",
                                               0},
        [CF_RULE_LATE_FEE_ABOVE_CAP] = {"late-fee-above-cap", "late_fee_bps_per_month",
                                        "The late fee rate must be between zero and the rule "
                                        "profile's cap.",
                                        0},
        [CF_RULE_GST_OUT_OF_RANGE] = {"gst-out-of-range", "gst_bps",
                                      "The GST rate must be between 0 and 10000 basis points.", 0},
        [CF_RULE_GRACE_DAYS_OUT_OF_RANGE] = {"grace-days-out-of-range", "grace_days",
                                             "The grace period must be between 0 and 365 days.", 0},
        [CF_RULE_CURRENCY_INVALID] = {"currency-invalid", "currency",
                                      "The currency must be three capital letters (ISO 4217).", 0},
        [CF_RULE_START_DATE_INVALID] = {"start-date-invalid", "start_date",
                                        "The start date is not a valid date or its schedule runs "
                                        "past the year 9999.",
                                        0},
        [CF_RULE_AUCTION_NOT_OPEN] = {"auction-not-open", "", "The auction is not open for bids.",
                                      1},
        [CF_RULE_TICKET_NOT_ELIGIBLE] = {"ticket-not-eligible", "ticket_no",
                                         "The ticket does not belong to this scheme.", 0},
        [CF_RULE_TICKET_ALREADY_PRIZED] = {"ticket-already-prized", "ticket_no",
                                           "The ticket has already won a draw.", 0},
        [CF_RULE_TICKET_IN_DEFAULT] = {"ticket-in-default", "ticket_no",
                                       "The ticket has overdue installments or was removed as a "
                                       "defaulter.",
                                       0},
        [CF_RULE_BID_ALREADY_PLACED] = {"bid-already-placed", "ticket_no",
                                        "The ticket has already placed its sealed bid.", 0},
        [CF_RULE_BID_ABOVE_CAP] = {"bid-above-cap", "discount",
                                   "The discount is above the ceiling.", 0},
        [CF_RULE_BID_BELOW_FLOOR] = {"bid-below-floor", "discount",
                                     "The discount is below the minimum discount.", 0},
        [CF_RULE_BID_NOT_MULTIPLE] = {"bid-not-multiple", "discount",
                                      "The discount must be a multiple of the bid increment, the "
                                      "minimum discount or the ceiling.",
                                      0},
        [CF_RULE_BID_NOT_HIGHER] = {"bid-not-higher", "discount",
                                    "The discount does not beat the standing bid by the bid "
                                    "increment.",
                                    0},
        [CF_RULE_NO_ELIGIBLE_TICKET] = {"no-eligible-ticket", "",
                                        "No ticket is eligible to win this draw.", 1},
        [CF_RULE_SECURITY_INSUFFICIENT] = {"security-insufficient", "",
                                           "The winner's security does not cover the future "
                                           "liability.",
                                           1},
        [CF_RULE_UCFSIN_INVALID] = {"ucfsin-invalid", "ucfsin",
                                    "The UCFSIN is malformed or its check digits are wrong.", 0},
        [CF_RULE_FOREMAN_TICKET_REQUIRED] = {"foreman-ticket-required", "first_prize_to_foreman",
                                             "The foreman must hold a ticket for the foreman's "
                                             "first chit.",
                                             0},
};

static const struct rule_info *info(cf_rule r)
{
	if ((int)r < 0 || r >= CF_RULE__COUNT || rules[r].slug == NULL)
		return NULL;
	return &rules[r];
}

const char *cf_rule_slug(cf_rule r)
{
	const struct rule_info *i = info(r);
	return i ? i->slug : "unknown-rule";
}

const char *cf_rule_describe(cf_rule r)
{
	const struct rule_info *i = info(r);
	return i ? i->text : "An unknown business rule refused the request.";
}

const char *cf_rule_field(cf_rule r)
{
	const struct rule_info *i = info(r);
	return i ? i->field : "";
}

int cf_rule_is_conflict(cf_rule r)
{
	const struct rule_info *i = info(r);
	return i ? i->conflict : 0;
}
