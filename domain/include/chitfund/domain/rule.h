/*
 * chitfund/domain/rule.h - why a business rule refused something.
 *
 * Domain functions return CF_ERULE and set a cf_rule; the application layer
 * turns it into a client-facing error with cf_rule_slug (a stable machine
 * code, the last segment of the problem type URI) and cf_rule_describe
 * (English text). Append only; never renumber.
 */
#ifndef CHITFUND_DOMAIN_RULE_H
#define CHITFUND_DOMAIN_RULE_H

#ifdef __cplusplus
extern "C" {
#endif

/** A business rule that refused an input or an action. */
typedef enum cf_rule {
	CF_RULE_NONE = 0,
	/* scheme parameters (HTTP 422) */
	CF_RULE_VALUE_NOT_POSITIVE,                /* value-not-positive */
	CF_RULE_VALUE_NOT_DIVISIBLE,               /* value-not-divisible */
	CF_RULE_MEMBER_COUNT_OUT_OF_RANGE,         /* member-count-out-of-range */
	CF_RULE_DURATION_TOO_LONG,                 /* duration-too-long */
	CF_RULE_COMMISSION_ABOVE_CAP,              /* commission-above-cap */
	CF_RULE_COMMISSION_NEGATIVE,               /* commission-negative */
	CF_RULE_DISCOUNT_CAP_ABOVE_LIMIT,          /* discount-cap-above-limit */
	CF_RULE_DISCOUNT_CAP_NOT_ABOVE_COMMISSION, /* discount-cap-not-above-commission */
	CF_RULE_MIN_DISCOUNT_BELOW_COMMISSION,     /* min-discount-below-commission */
	CF_RULE_MIN_DISCOUNT_ABOVE_CEILING,        /* min-discount-above-ceiling */
	CF_RULE_LOT_DISCOUNT_OUT_OF_RANGE,         /* lot-discount-out-of-range */
	CF_RULE_BID_INCREMENT_NOT_POSITIVE,        /* bid-increment-not-positive */
	CF_RULE_METHOD_NOT_ALLOWED,                /* method-not-allowed-by-profile */
	CF_RULE_FOREMAN_FIRST_NOT_ALLOWED,         /* foreman-first-not-allowed */
	CF_RULE_LATE_FEE_ABOVE_CAP,                /* late-fee-above-cap */
	CF_RULE_GST_OUT_OF_RANGE,                  /* gst-out-of-range */
	CF_RULE_GRACE_DAYS_OUT_OF_RANGE,           /* grace-days-out-of-range */
	CF_RULE_CURRENCY_INVALID,                  /* currency-invalid */
	CF_RULE_START_DATE_INVALID,                /* start-date-invalid */
	/* bids (HTTP 422) */
	CF_RULE_AUCTION_NOT_OPEN,      /* auction-not-open (409) */
	CF_RULE_TICKET_NOT_ELIGIBLE,   /* ticket-not-eligible */
	CF_RULE_TICKET_ALREADY_PRIZED, /* ticket-already-prized */
	CF_RULE_TICKET_IN_DEFAULT,     /* ticket-in-default */
	CF_RULE_BID_ALREADY_PLACED,    /* bid-already-placed */
	CF_RULE_BID_ABOVE_CAP,         /* bid-above-cap */
	CF_RULE_BID_BELOW_FLOOR,       /* bid-below-floor */
	CF_RULE_BID_NOT_MULTIPLE,      /* bid-not-multiple */
	CF_RULE_BID_NOT_HIGHER,        /* bid-not-higher */
	/* draws and money */
	CF_RULE_NO_ELIGIBLE_TICKET,      /* no-eligible-ticket (409) */
	CF_RULE_SECURITY_INSUFFICIENT,   /* security-insufficient (409) */
	CF_RULE_UCFSIN_INVALID,          /* ucfsin-invalid */
	CF_RULE_FOREMAN_TICKET_REQUIRED, /* foreman-ticket-required */
	CF_RULE__COUNT                   /* not a rule: the number of rules */
} cf_rule;

/** Stable machine slug ("bid-above-cap"); "none" for CF_RULE_NONE. Never NULL. */
const char *cf_rule_slug(cf_rule r);
/** One-sentence English description, safe for API clients. Never NULL. */
const char *cf_rule_describe(cf_rule r);
/** The input field a rule is about ("commission_bps"), or "" when none. */
const char *cf_rule_field(cf_rule r);
/** True when the rule is a state conflict (HTTP 409) rather than a value refusal (422). */
int cf_rule_is_conflict(cf_rule r);

#ifdef __cplusplus
}
#endif
#endif
