/*
 * http_core.c - see http_core.h.
 */
#include "http_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "http_log.h"

/* Slugs whose status is fixed whatever the code. */
static const struct {
	const char *slug;
	int status;
	const char *title;
} slug_table[] = {
        {"malformed-json", 400, "Malformed JSON"},
        {"idempotency-key-required", 400, "Idempotency-Key header required"},
        {"bad-request", 400, "Bad request"},
        {"unauthenticated", 401, "Authentication required"},
        {"invalid-credentials", 401, "Invalid credentials"},
        {"invalid-refresh-token", 401, "Invalid refresh token"},
        {"forbidden", 403, "Forbidden"},
        {"account-disabled", 403, "Account disabled"},
        {"maker-cannot-approve", 403, "Maker cannot approve"},
        {"not-found", 404, "Not found"},
        {"method-not-allowed", 405, "Method not allowed"},
        {"payload-too-large", 413, "Payload too large"},
        {"unsupported-media-type", 415, "Unsupported media type"},
        {"validation-error", 422, "Validation error"},
        {"rate-limited", 429, "Too many requests"},
        {"internal-error", 500, "Internal server error"},
        {"not-implemented", 501, "Not implemented"},
        {"service-unavailable", 503, "Service unavailable"},
};

static int status_for_code(int code)
{
	switch (code) {
	case CF_EINVALID: return 422;
	case CF_EOVERFLOW: return 422;
	case CF_ERULE: return 422;
	case CF_ECONFLICT: return 409;
	case CF_EEXISTS: return 409;
	case CF_ENOTFOUND: return 404;
	case CF_EUNAUTHENTICATED: return 401;
	case CF_EFORBIDDEN: return 403;
	case CF_ERATELIMIT: return 429;
	case CF_EUNAVAILABLE: return 503;
	case CF_ENOTSUPPORTED: return 501;
	default: return 500;
	}
}

int cf_http_status_for(const cf_error *err)
{
	size_t i;
	int st = status_for_code(err->code);

	if (st == 500)
		return 500; /* internal codes never leak a slug */
	for (i = 0; i < sizeof slug_table / sizeof slug_table[0]; i++)
		if (strcmp(err->slug, slug_table[i].slug) == 0)
			return slug_table[i].status;
	return st;
}

const char *cf_http_problem_title(const char *slug, int status)
{
	size_t i;
	const char *t;

	for (i = 0; i < sizeof slug_table / sizeof slug_table[0]; i++)
		if (strcmp(slug, slug_table[i].slug) == 0)
			return slug_table[i].title;
	t = mg_get_response_code_text(NULL, status);
	return t ? t : "Error";
}

int cf_http_send(cf_http_req *r, int status, const char *content_type, const char *body, size_t len,
                 const char *const *headers)
{
	char clen[32];

	if (r->status != 0)
		return r->status; /* one response per request */
	r->status = status;
	snprintf(clen, sizeof clen, "%zu", body ? len : (size_t)0);
	mg_response_header_start(r->conn, status);
	if (body && content_type)
		mg_response_header_add(r->conn, "Content-Type", content_type, -1);
	mg_response_header_add(r->conn, "Content-Length", clen, -1);
	mg_response_header_add(r->conn, "X-Request-Id", r->request_id, -1);
	mg_response_header_add(r->conn, "Cache-Control", "no-store", -1);
	mg_response_header_add(r->conn, "X-Content-Type-Options", "nosniff", -1);
	for (int i = 0; headers && headers[i] && headers[i + 1]; i += 2)
		mg_response_header_add(r->conn, headers[i], headers[i + 1], -1);
	mg_response_header_send(r->conn);
	if (body && len) {
		int w = mg_write(r->conn, body, len);
		if (w > 0)
			r->bytes_out = (size_t)w;
	}
	return status;
}

int cf_http_send_json_take(cf_http_req *r, int status, cJSON *j, const char *const *headers)
{
	char *s;
	int rc;

	if (!j) {
		cf_error e = CF_ERROR_INIT;
		cf_error_set(&e, CF_ENOMEM, "internal-error", "", "out of memory");
		return cf_http_fail(r, &e);
	}
	s = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	if (!s) {
		cf_error e = CF_ERROR_INIT;
		cf_error_set(&e, CF_ENOMEM, "internal-error", "", "out of memory");
		return cf_http_fail(r, &e);
	}
	rc = cf_http_send(r, status, "application/json", s, strlen(s), headers);
	cJSON_free(s);
	return rc;
}

int cf_http_send_problem(cf_http_req *r, int status, const char *slug, const char *detail,
                         const char *const *headers)
{
	char type[160], retry[16];
	const char *hdrs[16];
	int nh = 0;
	cJSON *p = cJSON_CreateObject();

	snprintf(type, sizeof type, "%s%s", CF_HTTP_PROBLEM_BASE, slug);
	if (p) {
		cJSON_AddStringToObject(p, "type", type);
		cJSON_AddStringToObject(p, "title", cf_http_problem_title(slug, status));
		cJSON_AddNumberToObject(p, "status", status);
		cJSON_AddStringToObject(p, "detail", detail ? detail : "");
		if (r->request_id[0])
			cJSON_AddStringToObject(p, "instance", r->request_id);
		if (r->errs.n > 0) {
			cJSON *arr = cJSON_AddArrayToObject(p, "errors");
			for (int i = 0; arr && i < r->errs.n; i++) {
				cJSON *e = cJSON_CreateObject();
				cJSON_AddStringToObject(e, "field", r->errs.e[i].field);
				cJSON_AddStringToObject(e, "message", r->errs.e[i].message);
				cJSON_AddItemToArray(arr, e);
			}
		}
	}
	if (status == 401) {
		hdrs[nh++] = "WWW-Authenticate";
		hdrs[nh++] = "Bearer";
	}
	if (status == 429 || status == 503) {
		snprintf(retry, sizeof retry, "%d",
		         r->retry_after > 0 ? r->retry_after : (status == 429 ? 60 : 1));
		hdrs[nh++] = "Retry-After";
		hdrs[nh++] = retry;
	}
	for (int i = 0; headers && headers[i] && headers[i + 1] && nh < 14; i += 2) {
		hdrs[nh++] = headers[i];
		hdrs[nh++] = headers[i + 1];
	}
	hdrs[nh] = NULL;
	char *s = p ? cJSON_PrintUnformatted(p) : NULL;
	cJSON_Delete(p);
	int rc;
	if (s) {
		rc = cf_http_send(r, status, "application/problem+json", s, strlen(s), hdrs);
		cJSON_free(s);
	} else {
		static const char oom[] = "{\"type\":\"" CF_HTTP_PROBLEM_BASE "internal-error\","
		                          "\"title\":\"Internal server error\",\"status\":500}";
		rc = cf_http_send(r, 500, "application/problem+json", oom, sizeof oom - 1, NULL);
	}
	return rc;
}

int cf_http_fail(cf_http_req *r, const cf_error *err)
{
	cf_error safe;
	int status = cf_http_status_for(err);
	const char *slug = err->slug[0] ? err->slug : cf_status_slug(err->code);

	if (status != 500 && strstr(err->message, "SQLSTATE")) {
		/* a database refusal passed through: no SQLSTATE or constraint name to clients */
		safe = *err;
		safe.field[0] = '\0';
		snprintf(safe.message, sizeof safe.message, "%s", cf_strerror(err->code));
		err = &safe;
	}

	if (status == 500) {
		cJSON *f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "request_id", r->request_id);
		cJSON_AddNumberToObject(f, "code", err->code);
		cJSON_AddStringToObject(f, "slug", err->slug);
		cJSON_AddStringToObject(f, "detail", err->message);
		cf_http_log("error", "internal error", f);
		r->errs.n = 0;
		return cf_http_send_problem(r, 500, "internal-error",
		                            "An internal error occurred; quote the request id "
		                            "when reporting it.",
		                            NULL);
	}
	if (status == 501)
		slug = "not-implemented";
	if (err->retry_after_s > 0)
		r->retry_after = err->retry_after_s > 86400 ? 86400 : (int)err->retry_after_s;
	if (r->errs.n == 0 && err->field[0] && (status == 422 || status == 409))
		cf_http_field_errors_add(&r->errs, err->field, "%s",
		                         err->message[0] ? err->message : cf_strerror(err->code));
	if (status != 422 && status != 409)
		r->errs.n = 0;
	return cf_http_send_problem(r, status, slug,
	                            err->message[0] ? err->message : cf_strerror(err->code), NULL);
}

const char *cf_http_header(const cf_http_req *r, const char *name)
{
	return mg_get_header(r->conn, name);
}

int cf_http_read_body(cf_http_req *r, cf_error *err)
{
	long long clen = r->ri->content_length;
	size_t cap, used = 0;
	char *buf;

	if (r->body)
		return CF_OK;
	if (clen > CF_HTTP_MAX_BODY)
		return cf_error_set(err, CF_EINVALID, "payload-too-large", "",
		                    "the request body is larger than %d bytes", CF_HTTP_MAX_BODY);
	cap = clen >= 0 ? (size_t)clen : 4096;
	buf = malloc(cap + 1);
	if (!buf)
		return cf_error_set(err, CF_ENOMEM, "internal-error", "", "out of memory");
	for (;;) {
		if (used == cap) {
			if (clen >= 0)
				break;
			if (cap >= CF_HTTP_MAX_BODY + 1) {
				free(buf);
				return cf_error_set(err, CF_EINVALID, "payload-too-large", "",
				                    "the request body is larger than %d bytes",
				                    CF_HTTP_MAX_BODY);
			}
			size_t ncap =
			        cap * 2 > CF_HTTP_MAX_BODY + 1 ? CF_HTTP_MAX_BODY + 1 : cap * 2;
			char *nb = realloc(buf, ncap + 1);
			if (!nb) {
				free(buf);
				return cf_error_set(err, CF_ENOMEM, "internal-error", "",
				                    "out of memory");
			}
			buf = nb;
			cap = ncap;
		}
		int n = mg_read(r->conn, buf + used, cap - used);
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	if (used > CF_HTTP_MAX_BODY) {
		free(buf);
		return cf_error_set(err, CF_EINVALID, "payload-too-large", "",
		                    "the request body is larger than %d bytes", CF_HTTP_MAX_BODY);
	}
	buf[used] = '\0';
	r->body = buf;
	r->body_len = used;
	return CF_OK;
}

/* True when the Content-Type names `mime` (parameters such as charset ignored). */
static bool content_type_is(const char *ct, const char *mime)
{
	size_t n = strlen(mime);

	while (ct && (*ct == ' ' || *ct == '\t'))
		ct++;
	if (!ct || strncasecmp(ct, mime, n) != 0)
		return false;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

int cf_http_json_body(cf_http_req *r, bool optional, cJSON **out, cf_error *err)
{
	const char *ct = cf_http_header(r, "Content-Type");
	long long clen = r->ri->content_length;
	int rc;

	*out = NULL;
	if (optional && !ct && clen <= 0) {
		/* No Content-Type and no declared body: read whatever came (chunked). */
		if ((rc = cf_http_read_body(r, err)) < 0)
			return rc;
		if (r->body_len == 0)
			return CF_OK;
	}
	if (!content_type_is(ct, "application/json"))
		return cf_error_set(err, CF_EINVALID, "unsupported-media-type", "",
		                    "the request body must be application/json");
	if ((rc = cf_http_read_body(r, err)) < 0)
		return rc;
	return cf_http_json_parse(r->body, r->body_len, out, &r->errs, err);
}

int cf_http_query(const cf_http_req *r, const char *name, char *buf, size_t size)
{
	const char *q = r->ri->query_string;
	int n;

	if (size)
		buf[0] = '\0'; /* absent: an empty string, also with no query string at all */
	if (!q)
		return 0;
	n = mg_get_var(q, strlen(q), name, buf, size);
	if (n == -1)
		return 0;
	if (n < 0 || strlen(buf) != (size_t)n) /* too long, or a %00 inside */
		return -1;
	return 1;
}

bool cf_http_request_id_valid(const char *s)
{
	size_t n = 0;

	if (!s)
		return false;
	for (; s[n]; n++)
		if ((unsigned char)s[n] < 0x21 || (unsigned char)s[n] > 0x7e ||
		    n >= CF_HTTP_REQUEST_ID_MAX)
			return false;
	return n > 0;
}

void cf_http_new_request_id(char *buf, size_t size)
{
	unsigned char b[16] = {0};
	size_t got = 0;

	while (got < sizeof b) {
		ssize_t n = getrandom(b + got, sizeof b - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(buf, size, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
}

void cf_http_scrub_query(const char *query, char *buf, size_t size)
{
	size_t o = 0;
	const char *p = query;

	if (size == 0)
		return;
	buf[0] = '\0';
	while (p && *p && o + 1 < size) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t keylen = eq ? (size_t)(eq - p) : len;
		int secret = (keylen == 12 && strncasecmp(p, "access_token", 12) == 0) ||
		             (keylen == 13 && strncasecmp(p, "refresh_token", 13) == 0) ||
		             (keylen == 8 && strncasecmp(p, "password", 8) == 0);
		int w;
		if (secret)
			w = snprintf(buf + o, size - o, "%s%.*s=REDACTED", o ? "&" : "",
			             (int)keylen, p);
		else
			w = snprintf(buf + o, size - o, "%s%.*s", o ? "&" : "", (int)len, p);
		if (w < 0 || (size_t)w >= size - o) {
			buf[o] = '\0';
			break;
		}
		o += (size_t)w;
		p = amp ? amp + 1 : NULL;
	}
}

double cf_http_elapsed_ms(const cf_http_req *r)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - r->started.tv_sec) * 1e3 +
	       (double)(now.tv_nsec - r->started.tv_nsec) / 1e6;
}
