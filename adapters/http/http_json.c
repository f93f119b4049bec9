/*
 * http_json.c - see http_json.h.
 */
#include "http_json.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cf_http_field_errors_add(cf_http_field_errors *errs, const char *field, const char *fmt, ...)
{
	va_list ap;
	cf_http_field_error *e;

	if (!errs)
		return;
	if (errs->n >= CF_HTTP_MAX_FIELD_ERRORS) {
		errs->truncated = 1;
		return;
	}
	e = &errs->e[errs->n++];
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
}

/* Reject duplicate member names in every object of the tree. */
static int check_duplicates(const cJSON *node, const char **dup, int depth)
{
	const cJSON *a, *b;

	if (depth > 64)
		return -1;
	if (cJSON_IsObject(node)) {
		for (a = node->child; a; a = a->next)
			for (b = a->next; b; b = b->next)
				if (a->string && b->string && strcmp(a->string, b->string) == 0) {
					*dup = a->string;
					return -1;
				}
	}
	if (cJSON_IsObject(node) || cJSON_IsArray(node))
		for (a = node->child; a; a = a->next)
			if (check_duplicates(a, dup, depth + 1) < 0)
				return -1;
	return 0;
}

int cf_http_json_parse(const char *buf, size_t len, cJSON **out, cf_http_field_errors *errs,
                       cf_error *err)
{
	const char *end = NULL, *dup = NULL;
	cJSON *root;

	*out = NULL;
	if (len == 0)
		return cf_error_set(err, CF_EINVALID, "malformed-json", "",
		                    "the request body is empty; a JSON object is required");
	/* cJSON skips every byte <= 0x20 as whitespace (NUL and controls too) and
	 * keeps raw controls inside strings; JSON allows neither */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)buf[i] < 0x20 && buf[i] != '\t' && buf[i] != '\n' &&
		    buf[i] != '\r')
			return cf_error_set(err, CF_EINVALID, "malformed-json", "",
			                    "the request body has a raw control character");
	/* cJSON turns "\u0000" into a NUL that silently cuts a string or key short */
	for (size_t i = 0; i + 1 < len; i++)
		if (buf[i] == '\\') {
			if (buf[i + 1] == 'u' && len - i >= 6 &&
			    memcmp(buf + i + 2, "0000", 4) == 0)
				return cf_error_set(err, CF_EINVALID, "malformed-json", "",
				                    "the request body has a \\u0000 escape");
			i++; /* skip the escaped character ("\\\\u0000" is not an escape) */
		}
	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (!root)
		return cf_error_set(err, CF_EINVALID, "malformed-json", "",
		                    "the request body is not valid JSON");
	while (end && end < buf + len &&
	       (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
		end++;
	if (!end || end != buf + len) {
		cJSON_Delete(root);
		return cf_error_set(err, CF_EINVALID, "malformed-json", "",
		                    "the request body has bytes after the JSON value");
	}
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		cf_http_field_errors_add(errs, "", "the request body must be a JSON object");
		return cf_error_set(err, CF_EINVALID, "validation-error", "",
		                    "the request body must be a JSON object");
	}
	if (check_duplicates(root, &dup, 0) < 0) {
		char field[64];
		snprintf(field, sizeof field, "%s", dup ? dup : "");
		cJSON_Delete(root);
		cf_http_field_errors_add(errs, field, dup ? "duplicate key" : "nested too deeply");
		return cf_error_set(err, CF_EINVALID, "validation-error", field,
		                    "the request body has a duplicate key");
	}
	*out = root;
	return CF_OK;
}

void cf_jdec_init(cf_jdec *d, const cJSON *obj, cf_http_field_errors *errs)
{
	d->obj = obj;
	d->errs = errs;
	d->nknown = 0;
}

/* Mark `name` known and look it up (case-sensitive). */
static const cJSON *lookup(cf_jdec *d, const char *name)
{
	if (d->nknown < CF_JDEC_MAX_FIELDS)
		d->known[d->nknown++] = name;
	return d->obj ? cJSON_GetObjectItemCaseSensitive(d->obj, name) : NULL;
}

/* Common absent/null handling. Returns 1 to go on reading the value. */
static int presence(cf_jdec *d, const char *name, const cJSON *v, unsigned flags, int *res)
{
	if (!v) {
		if (flags & CF_J_REQUIRED)
			cf_http_field_errors_add(d->errs, name, "is required");
		*res = CF_J_ABSENT;
		return 0;
	}
	if (cJSON_IsNull(v)) {
		if (flags & CF_J_NULLABLE) {
			*res = CF_J_NULL;
			return 0;
		}
		cf_http_field_errors_add(d->errs, name,
		                         (flags & CF_J_REQUIRED) ? "is required"
		                                                 : "must not be null");
		*res = CF_J_BAD;
		return 0;
	}
	return 1;
}

long cf_http_utf8_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	long n = 0;

	while (*p) {
		unsigned c = *p;
		int more;
		unsigned cp;
		if (c < 0x20 || c == 0x7f)
			return -1;
		if (c < 0x80) {
			p++;
			n++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			more = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			more = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			more = 3;
			cp = c & 0x07;
		} else {
			return -1;
		}
		p++;
		for (int i = 0; i < more; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return -1;
			cp = (cp << 6) | (*p & 0x3f);
		}
		if ((more == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (more == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return -1;
		n++;
	}
	return n;
}

int cf_jdec_string(cf_jdec *d, const char *name, size_t min, size_t max, unsigned flags,
                   const char **out)
{
	const cJSON *v = lookup(d, name);
	int res;
	long chars;

	if (!presence(d, name, v, flags, &res))
		return res;
	if (!cJSON_IsString(v) || !v->valuestring) {
		cf_http_field_errors_add(d->errs, name, "must be a string");
		return CF_J_BAD;
	}
	chars = cf_http_utf8_chars(v->valuestring);
	if (chars < 0) {
		cf_http_field_errors_add(d->errs, name,
		                         "must be valid UTF-8 text without control characters");
		return CF_J_BAD;
	}
	if ((size_t)chars < min || (size_t)chars > max) {
		if (min == max)
			cf_http_field_errors_add(d->errs, name, "must be %zu characters", min);
		else if (min <= 1 && chars == 0)
			cf_http_field_errors_add(d->errs, name, "must not be empty");
		else
			cf_http_field_errors_add(d->errs, name, "must be %zu to %zu characters",
			                         min, max);
		return CF_J_BAD;
	}
	*out = v->valuestring;
	return CF_J_SET;
}

int cf_jdec_int64(cf_jdec *d, const char *name, int64_t min, int64_t max, unsigned flags,
                  int64_t *out)
{
	const cJSON *v = lookup(d, name);
	int res;
	double x;
	int64_t i;

	if (!presence(d, name, v, flags, &res))
		return res;
	if (!cJSON_IsNumber(v)) {
		cf_http_field_errors_add(d->errs, name, "must be an integer");
		return CF_J_BAD;
	}
	x = v->valuedouble;
	if (!isfinite(x) || x != floor(x)) {
		cf_http_field_errors_add(d->errs, name, "must be an integer");
		return CF_J_BAD;
	}
	if (x > (double)CF_JSON_MAX_SAFE_INT || x < -(double)CF_JSON_MAX_SAFE_INT) {
		cf_http_field_errors_add(d->errs, name,
		                         "must be an integer between -(2^53-1) and 2^53-1");
		return CF_J_BAD;
	}
	i = (int64_t)x;
	if (i < min || i > max) {
		cf_http_field_errors_add(d->errs, name, "must be between %lld and %lld",
		                         (long long)min, (long long)max);
		return CF_J_BAD;
	}
	*out = i;
	return CF_J_SET;
}

int cf_jdec_bool(cf_jdec *d, const char *name, unsigned flags, bool *out)
{
	const cJSON *v = lookup(d, name);
	int res;

	if (!presence(d, name, v, flags, &res))
		return res;
	if (!cJSON_IsBool(v)) {
		cf_http_field_errors_add(d->errs, name, "must be true or false");
		return CF_J_BAD;
	}
	*out = cJSON_IsTrue(v) ? true : false;
	return CF_J_SET;
}

int cf_jdec_date(cf_jdec *d, const char *name, unsigned flags, cf_date *out)
{
	const cJSON *v = lookup(d, name);
	int res;
	cf_date dt;

	if (!presence(d, name, v, flags, &res))
		return res;
	if (!cJSON_IsString(v) || !v->valuestring ||
	    cf_date_parse(v->valuestring, strlen(v->valuestring), &dt) != CF_OK) {
		cf_http_field_errors_add(d->errs, name, "must be a date YYYY-MM-DD");
		return CF_J_BAD;
	}
	*out = dt;
	return CF_J_SET;
}

int cf_jdec_enum(cf_jdec *d, const char *name, const char *const *names, unsigned flags, int *out)
{
	const cJSON *v = lookup(d, name);
	int res;
	char list[160] = "";
	size_t used = 0;

	if (!presence(d, name, v, flags, &res))
		return res;
	if (cJSON_IsString(v) && v->valuestring)
		for (int i = 0; names[i]; i++)
			if (strcmp(names[i], v->valuestring) == 0) {
				*out = i;
				return CF_J_SET;
			}
	for (int i = 0; names[i] && used < sizeof list; i++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
		                         names[i]);
	cf_http_field_errors_add(d->errs, name, "must be one of: %s", list);
	return CF_J_BAD;
}

bool cf_http_is_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	size_t i;

	if (!s || strlen(s) != sizeof shape - 1)
		return false;
	for (i = 0; i < sizeof shape - 1; i++) {
		char c = s[i];
		if (shape[i] == '-') {
			if (c != '-')
				return false;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		             (c >= 'A' && c <= 'F'))) {
			return false;
		}
	}
	return true;
}

int cf_jdec_uuid(cf_jdec *d, const char *name, unsigned flags, const char **out)
{
	const cJSON *v = lookup(d, name);
	int res;

	if (!presence(d, name, v, flags, &res))
		return res;
	if (!cJSON_IsString(v) || !cf_http_is_uuid(v->valuestring)) {
		cf_http_field_errors_add(d->errs, name, "must be a UUID");
		return CF_J_BAD;
	}
	*out = v->valuestring;
	return CF_J_SET;
}

const cJSON *cf_jdec_raw(cf_jdec *d, const char *name)
{
	return lookup(d, name);
}

int cf_jdec_finish(cf_jdec *d, cf_error *err)
{
	const cJSON *m;

	if (d->obj)
		for (m = d->obj->child; m; m = m->next) {
			int known = 0;
			for (int i = 0; i < d->nknown && !known; i++)
				known = m->string && strcmp(m->string, d->known[i]) == 0;
			if (!known)
				cf_http_field_errors_add(d->errs, m->string, "unknown field");
		}
	if (d->errs && (d->errs->n > 0 || d->errs->truncated))
		return cf_error_set(err, CF_EINVALID, "validation-error",
		                    d->errs->n ? d->errs->e[0].field : "",
		                    "the request has invalid fields");
	return CF_OK;
}
