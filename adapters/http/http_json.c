/*
 * http_json.c - see http_json.h.
 */
#include "http_json.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Number-token classes, kept in the high bits of a parsed number node's
 * `type` (cJSON masks types with 0xFF, so its own code ignores them). */
#define JNUM_SCANNED (1 << 12) /* classified from the body text */
#define JNUM_INT     (1 << 13) /* integral, |v| <= 2^53-1, valuedouble exact */
#define JNUM_BIG     (1 << 14) /* integral but |v| > 2^53-1 */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Characters that can start a number-like token outside strings ('e' and
 * 'E' cannot: they also spell true and false). */
static bool starts_number(char c)
{
	return is_digit(c) || c == '-' || c == '+' || c == '.';
}

/* Characters cJSON's number parser consumes (its token boundary). */
static bool is_number_char(char c)
{
	return is_digit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* True when s[0..n) is exactly one RFC 8259 number:
 * -? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)? */
static bool number_grammar_ok(const char *s, size_t n)
{
	size_t p = 0;

	if (p < n && s[p] == '-')
		p++;
	if (p < n && s[p] == '0') {
		p++;
	} else if (p < n && s[p] >= '1' && s[p] <= '9') {
		while (p < n && is_digit(s[p]))
			p++;
	} else {
		return false;
	}
	if (p < n && s[p] == '.') {
		p++;
		if (!(p < n && is_digit(s[p])))
			return false;
		while (p < n && is_digit(s[p]))
			p++;
	}
	if (p < n && (s[p] == 'e' || s[p] == 'E')) {
		p++;
		if (p < n && (s[p] == '+' || s[p] == '-'))
			p++;
		if (!(p < n && is_digit(s[p])))
			return false;
		while (p < n && is_digit(s[p]))
			p++;
	}
	return p == n;
}

/*
 * Classify a grammatical number token exactly, from its decimal text (no
 * floating point): JNUM_INT with *val when its value is an integer within
 * +-(2^53-1) (so 100, 1e2, 100.0 and 1000e-1 are all 100), JNUM_BIG when
 * it is an integer beyond that, 0 when it has a non-zero fractional part.
 */
static int number_class(const char *s, size_t n, int64_t *val)
{
	size_t p = 0, ia, ib, fa = 0, fb = 0, total;
	long exp10 = 0, point, first = -1, last = -1;
	bool neg = false;
	int64_t v = 0;

	if (s[p] == '-') {
		neg = true;
		p++;
	}
	ia = p;
	while (p < n && is_digit(s[p]))
		p++;
	ib = p;
	if (p < n && s[p] == '.') {
		fa = ++p;
		while (p < n && is_digit(s[p]))
			p++;
		fb = p;
	}
	if (p < n) { /* exponent, saturated far beyond any body's digit count */
		bool eneg = false;
		p++;
		if (s[p] == '+' || s[p] == '-')
			eneg = s[p++] == '-';
		for (; p < n; p++)
			if (exp10 < 1000000)
				exp10 = exp10 * 10 + (s[p] - '0');
		if (eneg)
			exp10 = -exp10;
	}
	/* the digits as one sequence d[0..total), the point after `point` of them */
	total = (ib - ia) + (fb - fa);
	point = (long)(ib - ia) + exp10;
#define DIGIT(k) ((size_t)(k) < ib - ia ? s[ia + (size_t)(k)] : s[fa + (size_t)(k) - (ib - ia)])
	for (size_t k = 0; k < total; k++)
		if (DIGIT(k) != '0') {
			if (first < 0)
				first = (long)k;
			last = (long)k;
		}
	if (first < 0) { /* 0, -0, 0.000, 0e5 */
		*val = 0;
		return JNUM_INT;
	}
	if (last >= point)
		return 0; /* a non-zero digit after the point */
	if (point - first > 16)
		return JNUM_BIG;
	for (long k = first; k < point; k++) {
		v = v * 10 + ((size_t)k < total ? DIGIT(k) - '0' : 0);
	}
#undef DIGIT
	if (v > CF_JSON_MAX_SAFE_INT)
		return JNUM_BIG;
	*val = neg ? -v : v;
	return JNUM_INT;
}

/*
 * One pass over the raw body before cJSON sees it: no raw control bytes
 * (cJSON skips them as whitespace and keeps them in strings), no \u0000
 * escape (cJSON cuts the string there), every number token outside strings
 * in RFC 8259 grammar (cJSON takes 01, 1., .5, +1 ...), and at most
 * CF_JSON_MAX_DEPTH nested objects/arrays.
 */
static int prescan(const char *buf, size_t len, cf_error *err)
{
	bool in_str = false;
	int depth = 0;

	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		if ((unsigned char)c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			return cf_error_set(err, CF_EINVALID, "malformed-json", "",
			                    "the request body has a raw control character");
		if (c == '\\') {
			if (i + 1 < len && buf[i + 1] == 'u' && len - i >= 6 &&
			    memcmp(buf + i + 2, "0000", 4) == 0)
				return cf_error_set(err, CF_EINVALID, "malformed-json", "",
				                    "the request body has a \\u0000 escape");
			/* skip the escaped character ("\\\\u0000" is not an escape);
			 * a control byte there is still refused */
			if (i + 1 < len && (unsigned char)buf[i + 1] < 0x20)
				return cf_error_set(err, CF_EINVALID, "malformed-json", "",
				                    "the request body has a raw control character");
			i++;
			continue;
		}
		if (in_str) {
			if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			if (++depth > CF_JSON_MAX_DEPTH)
				return cf_error_set(err, CF_EINVALID, "malformed-json", "",
				                    "the request body is nested too deeply (more "
				                    "than %d levels)",
				                    CF_JSON_MAX_DEPTH);
		} else if (c == '}' || c == ']') {
			depth--;
		} else if (starts_number(c)) {
			size_t j = i;
			while (j < len && is_number_char(buf[j]))
				j++;
			if (!number_grammar_ok(buf + i, j - i))
				return cf_error_set(
				        err, CF_EINVALID, "malformed-json", "",
				        "the request body has a number that is not valid "
				        "JSON: %.*s",
				        (int)(j - i > 32 ? 32 : j - i), buf + i);
			i = j - 1;
		}
	}
	return CF_OK;
}

/* The next number token outside strings at or after *pos (prescan passed). */
static bool next_number(const char *buf, size_t len, size_t *pos, const char **tok, size_t *n)
{
	bool in_str = false;

	for (size_t i = *pos; i < len; i++) {
		char c = buf[i];
		if (c == '\\') {
			i++;
		} else if (in_str) {
			in_str = c != '"';
		} else if (c == '"') {
			in_str = true;
		} else if (starts_number(c)) {
			size_t j = i;
			while (j < len && is_number_char(buf[j]))
				j++;
			*tok = buf + i;
			*n = j - i;
			*pos = j;
			return true;
		}
	}
	return false;
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Duplicate member names in one object: sort the names, compare neighbours. */
static int object_dup(const cJSON *obj, const char ***scratch, size_t *cap, const char **dup)
{
	size_t n = 0;

	for (const cJSON *m = obj->child; m; m = m->next)
		n++;
	if (n < 2)
		return 0;
	if (n > *cap) {
		const char **p = realloc(*scratch, n * sizeof *p);
		if (!p)
			return CF_ENOMEM;
		*scratch = p;
		*cap = n;
	}
	n = 0;
	for (const cJSON *m = obj->child; m; m = m->next)
		(*scratch)[n++] = m->string ? m->string : "";
	qsort(*scratch, n, sizeof **scratch, cmp_keys);
	for (size_t i = 1; i < n; i++)
		if (strcmp((*scratch)[i - 1], (*scratch)[i]) == 0) {
			*dup = (*scratch)[i];
			return -1;
		}
	return 0;
}

/*
 * Walk the tree in document order without recursion: find duplicate keys
 * (O(n log n) per object) and tag each number node with the class of its
 * token (the k-th number node is the k-th number token of the body).
 * Returns 0, -1 with *dup set, CF_ENOMEM, or CF_ERROR when tree and text
 * disagree (cannot happen after a successful parse; refused defensively).
 */
static int walk(cJSON *root, const char *buf, size_t len, const char **dup)
{
	cJSON *stack[CF_JSON_MAX_DEPTH + 1] = {0};
	const char **scratch = NULL;
	size_t cap = 0, pos = 0;
	int sp = 0, rc = 0;
	cJSON *n = root;

	for (;;) {
		if (cJSON_IsObject(n)) {
			rc = object_dup(n, &scratch, &cap, dup);
			if (rc)
				break;
		} else if (cJSON_IsNumber(n)) {
			const char *tok;
			size_t tlen;
			int64_t v = 0;
			int cls;
			if (!next_number(buf, len, &pos, &tok, &tlen)) {
				rc = CF_ERROR;
				break;
			}
			cls = number_class(tok, tlen, &v);
			n->type |= JNUM_SCANNED | cls;
			if (cls == JNUM_INT)
				n->valuedouble = (double)v;
		}
		if (n->child) {
			if (sp >= CF_JSON_MAX_DEPTH + 1) {
				rc = CF_ERROR;
				break;
			}
			stack[sp++] = n;
			n = n->child;
			continue;
		}
		while (!n->next && sp > 0)
			n = stack[--sp];
		if (sp == 0 && !n->next)
			break;
		n = n->next;
	}
	free(scratch);
	return rc;
}

int cf_http_json_parse(const char *buf, size_t len, cJSON **out, cf_http_field_errors *errs,
                       cf_error *err)
{
	const char *end = NULL, *dup = NULL;
	cJSON *root;
	int rc;

	*out = NULL;
	if (len == 0)
		return cf_error_set(err, CF_EINVALID, "malformed-json", "",
		                    "the request body is empty; a JSON object is required");
	rc = prescan(buf, len, err);
	if (rc != CF_OK)
		return rc;
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
	rc = walk(root, buf, len, &dup);
	if (rc == -1) {
		char field[64];
		snprintf(field, sizeof field, "%s", dup ? dup : "");
		cJSON_Delete(root);
		cf_http_field_errors_add(errs, field, "duplicate key");
		return cf_error_set(err, CF_EINVALID, "validation-error", field,
		                    "the request body has a duplicate key");
	}
	if (rc != 0) {
		cJSON_Delete(root);
		if (rc == CF_ENOMEM)
			return cf_error_set(err, CF_ENOMEM, "", "", "out of memory");
		return cf_error_set(err, CF_EINVALID, "malformed-json", "",
		                    "the request body is not valid JSON");
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
	if (v->type & JNUM_SCANNED) {
		/* decided on the token text: 4503599627370496.5 is not an integer
		 * even though its double is; 1e2 is 100 */
		if (v->type & JNUM_BIG) {
			cf_http_field_errors_add(d->errs, name,
			                         "must be an integer between -(2^53-1) and 2^53-1");
			return CF_J_BAD;
		}
		if (!(v->type & JNUM_INT)) {
			cf_http_field_errors_add(d->errs, name, "must be an integer");
			return CF_J_BAD;
		}
	} else if (!isfinite(x) || x != floor(x)) { /* a tree not from cf_http_json_parse */
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
