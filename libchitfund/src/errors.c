/* errors.c - cf_error helpers and status text. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "chitfund/errors.h"

static void copy_text(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n >= cap)
		n = cap - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

int cf_error_set(cf_error *err, int code, const char *slug, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	copy_text(err->slug, sizeof err->slug, slug ? slug : cf_status_slug(code));
	copy_text(err->field, sizeof err->field, field);
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return code;
}

int cf_error_rule(cf_error *err, cf_rule r, const char *field)
{
	int code = cf_rule_is_conflict(r) ? CF_ECONFLICT : CF_ERULE;

	return cf_error_set(err, code, cf_rule_slug(r), field ? field : cf_rule_field(r), "%s",
	                    cf_rule_describe(r));
}

int cf_error_default(cf_error *err, int rc)
{
	if (rc < 0 && err != NULL && err->code == 0)
		cf_error_set(err, rc, cf_status_slug(rc), "", "%s", cf_strerror(rc));
	return rc;
}

const char *cf_strerror(int code)
{
	switch ((cf_status)code) {
	case CF_OK: return "success";
	case CF_ERROR: return "internal error";
	case CF_ENOMEM: return "out of memory";
	case CF_EINVALID: return "invalid input";
	case CF_ENOTFOUND: return "not found";
	case CF_EEXISTS: return "already exists";
	case CF_ECONFLICT: return "conflicts with the current state";
	case CF_ERULE: return "refused by a business rule";
	case CF_EUNAUTHENTICATED: return "authentication required";
	case CF_EFORBIDDEN: return "not allowed";
	case CF_EUNAVAILABLE: return "service temporarily unavailable";
	case CF_ERETRY: return "transaction conflict; retry";
	case CF_EOVERFLOW: return "amount out of range";
	case CF_EVERSION: return "unsupported port version";
	case CF_ENOTSUPPORTED: return "not supported";
	case CF_ERATELIMIT: return "too many requests";
	case CF_EBUFFER: return "buffer too small";
	case CF_ENORESULT: return "no unique result";
	}
	return "unknown error";
}

const char *cf_status_slug(int code)
{
	switch ((cf_status)code) {
	case CF_OK: return "ok";
	case CF_ERROR: return "internal-error";
	case CF_ENOMEM: return "internal-error";
	case CF_EINVALID: return "validation-error";
	case CF_ENOTFOUND: return "not-found";
	case CF_EEXISTS: return "conflict";
	case CF_ECONFLICT: return "conflict";
	case CF_ERULE: return "rule-violation";
	case CF_EUNAUTHENTICATED: return "unauthenticated";
	case CF_EFORBIDDEN: return "forbidden";
	case CF_EUNAVAILABLE: return "service-unavailable";
	case CF_ERETRY: return "conflict";
	case CF_EOVERFLOW: return "validation-error";
	case CF_EVERSION: return "internal-error";
	case CF_ENOTSUPPORTED: return "not-supported";
	case CF_ERATELIMIT: return "rate-limited";
	case CF_EBUFFER: return "internal-error";
	case CF_ENORESULT: return "no-result";
	}
	return "internal-error";
}
