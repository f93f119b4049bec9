/*
 * http_params.c - path and query parameter helpers shared by handlers.
 */
#include "http_private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cf_http_param_uuid(cf_http_req *r, int i, const char **out, cf_error *err)
{
	if (i < 0 || i >= r->params.n || !cf_http_is_uuid(r->params.value[i]))
		return cf_error_set(err, CF_ENOTFOUND, "not-found", "", "no such resource");
	/* ids are stored lowercase: normalise so an upper-case UUID finds its row */
	for (char *p = r->params.value[i]; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	*out = r->params.value[i];
	return CF_OK;
}

int cf_http_page_params(cf_http_req *r, size_t *limit, char *cursor, size_t cursor_size,
                        cf_error *err)
{
	char buf[32];
	int rc;

	*limit = CF_PAGE_DEFAULT;
	cursor[0] = '\0';
	rc = cf_http_query(r, "limit", buf, sizeof buf);
	if (rc != 0) {
		char *end = NULL;
		long long v;
		errno = 0;
		v = rc > 0 ? strtoll(buf, &end, 10) : 0;
		if (rc < 0 || errno || !end || end == buf || *end || v < 1 || v > CF_PAGE_MAX) {
			cf_http_field_errors_add(&r->errs, "limit",
			                         "must be an integer from 1 to %d", CF_PAGE_MAX);
			return cf_error_set(err, CF_EINVALID, "validation-error", "limit",
			                    "limit must be an integer from 1 to %d", CF_PAGE_MAX);
		}
		*limit = (size_t)v;
	}
	rc = cf_http_query(r, "cursor", cursor, cursor_size);
	if (rc < 0) {
		cf_http_field_errors_add(&r->errs, "cursor", "is not a valid cursor");
		return cf_error_set(err, CF_EINVALID, "validation-error", "cursor",
		                    "cursor is not valid");
	}
	return CF_OK;
}
