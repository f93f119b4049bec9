/*
 * chitfund/errors.h - caller-owned error detail.
 *
 * Fallible library functions take an optional `cf_error *err` as their last
 * parameter (NULL allowed). On failure they return a negative cf_status and,
 * when err is not NULL, fill it: the same code, a stable machine slug that
 * clients branch on (the problem type, "bid-above-cap"), the offending input
 * field (or ""), and a message safe to show to API clients (no SQL, no
 * secrets). Nothing is allocated; there is no global "last error".
 */
#ifndef CHITFUND_ERRORS_H
#define CHITFUND_ERRORS_H

#include <stdint.h>

#include "chitfund/domain/errcode.h"
#include "chitfund/domain/rule.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CF_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CF_PRINTF(a, b)
#endif

/** Error detail filled by a failing call. */
typedef struct cf_error {
	int code;              /**< the cf_status the function returned */
	char slug[48];         /**< stable machine code: "validation-error", "email-taken" ... */
	char field[64];        /**< offending input field, or "" */
	char message[192];     /**< client-safe English text */
	int64_t retry_after_s; /**< with CF_ERATELIMIT: seconds until a retry may succeed; else 0 */
} cf_error;

/** Static initialiser for a cf_error. */
#define CF_ERROR_INIT                                                                              \
	{                                                                                          \
		0, "", "", "", 0                                                                   \
	}

/* Problem slugs set by the use cases (api.md "Problem types"); the domain
 * rule slugs come from cf_rule_slug. */
#define CF_SLUG_VALIDATION            "validation-error"
#define CF_SLUG_NOT_FOUND             "not-found"
#define CF_SLUG_FORBIDDEN             "forbidden"
#define CF_SLUG_UNAUTHENTICATED       "unauthenticated"
#define CF_SLUG_INVALID_CREDENTIALS   "invalid-credentials"
#define CF_SLUG_INVALID_REFRESH_TOKEN "invalid-refresh-token"
#define CF_SLUG_ACCOUNT_DISABLED      "account-disabled"
#define CF_SLUG_RATE_LIMITED          "rate-limited"
#define CF_SLUG_EMAIL_TAKEN           "email-taken"
#define CF_SLUG_SCHEME_NOT_DRAFT      "scheme-not-draft"
#define CF_SLUG_SCHEME_NOT_ENROLLING  "scheme-not-enrolling"
#define CF_SLUG_SCHEME_FULL           "scheme-full"
#define CF_SLUG_TICKET_TAKEN          "ticket-taken"
#define CF_SLUG_SCHEME_NOT_FULL       "scheme-not-full"
#define CF_SLUG_CONFLICT              "conflict"

/**
 * Fill *err (when not NULL) with code, slug, field (NULL: "") and a printf-style
 * message; text is truncated to fit. Returns `code` so callers can write
 * `return cf_error_set(...)`.
 */
int cf_error_set(cf_error *err, int code, const char *slug, const char *field, const char *fmt, ...)
        CF_PRINTF(5, 6);

/**
 * Fill *err from a domain rule refusal: code CF_ERULE (or CF_ECONFLICT for
 * state rules), slug cf_rule_slug(r), field cf_rule_field(r) unless `field`
 * is given, message cf_rule_describe(r). Returns the code set.
 */
int cf_error_rule(cf_error *err, cf_rule r, const char *field);

/**
 * When rc < 0 and err has no code yet, fill it with the generic slug and text
 * for rc. Returns rc.
 */
int cf_error_default(cf_error *err, int rc);

/** Static English text for a status code. Never NULL. */
const char *cf_strerror(int code);
/** Stable slug for a status code ("not-found", "conflict" ...). Never NULL. */
const char *cf_status_slug(int code);

#ifdef __cplusplus
}
#endif
#endif
