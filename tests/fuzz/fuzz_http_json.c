/*
 * fuzz_http_json.c - libFuzzer harness for the HTTP adapter's strict JSON
 * decoding (http_json.h) and the form/query variable parser the login and
 * paging handlers use (civetweb's mg_get_var via cf_http_query).
 *
 * Properties for cf_http_json_parse + cf_jdec_*: no crash, leak or UB on
 * any body; a body is accepted only when it is one JSON object with no
 * duplicate keys at any depth, no raw control characters (RFC 8259
 * allows only tab, LF, CR and space outside strings and none inside) and
 * no \u0000 escape (cJSON would cut the string short), every number
 * token in RFC 8259 grammar (checked here by an independent matcher) and
 * at most CF_JSON_MAX_DEPTH nested containers;
 * a refusal is CF_EINVALID with slug malformed-json or validation-error;
 * getters only return values inside their limits (an integer read is the
 * exact value of its number node); finish succeeds only
 * when every member was asked for.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>
#include <cjson/cJSON.h>

#include "http_core.h"
#include "http_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const uint8_t *data, size_t size)
{
	fprintf(stderr, "fuzz_http_json: %s (body %zu bytes: %.*s)\n", what, size,
	        (int)(size > 300 ? 300 : size), (const char *)data);
	abort();
}

/* Independent duplicate-key check (any depth). */
static int has_dup(const cJSON *n)
{
	for (const cJSON *a = n ? n->child : NULL; a; a = a->next) {
		if (cJSON_IsObject(n))
			for (const cJSON *b = a->next; b; b = b->next)
				if (a->string && b->string && strcmp(a->string, b->string) == 0)
					return 1;
		if (has_dup(a))
			return 1;
	}
	return 0;
}

/* Container nesting of the tree (root object = 1). */
static int depth_of(const cJSON *n)
{
	int deepest = 0;

	if (!cJSON_IsObject(n) && !cJSON_IsArray(n))
		return 0;
	for (const cJSON *c = n->child; c; c = c->next) {
		int d = depth_of(c);
		if (d > deepest)
			deepest = d;
	}
	return deepest + 1;
}

/* Independent RFC 8259 number check: int part, then optional frac, exp. */
static int json_number_ok(const char *s, size_t n)
{
	size_t p = (n && s[0] == '-') ? 1 : 0, k;

	k = strspn(s + p, "0123456789");
	if (p + k > n || k == 0 || (k > 1 && s[p] == '0'))
		return 0;
	p += k;
	if (p < n && s[p] == '.') {
		k = strspn(s + p + 1, "0123456789");
		if (k == 0)
			return 0;
		p += 1 + k;
	}
	if (p < n && (s[p] == 'e' || s[p] == 'E')) {
		p++;
		if (p < n && (s[p] == '+' || s[p] == '-'))
			p++;
		k = strspn(s + p, "0123456789");
		if (k == 0)
			return 0;
		p += k;
	}
	return p == n;
}

/* Every maximal run of number characters outside strings is a number. */
static int numbers_ok(const char *buf, size_t size)
{
	int in_str = 0;

	for (size_t i = 0; i < size; i++) {
		if (in_str) {
			if (buf[i] == '\\')
				i++;
			else if (buf[i] == '"')
				in_str = 0;
		} else if (buf[i] == '"') {
			in_str = 1;
		} else if (strchr("-+.0123456789", buf[i]) && buf[i]) {
			size_t j = i;
			static char tok[CF_HTTP_MAX_BODY + 1];
			while (j < size && buf[j] && strchr("-+.0123456789eE", buf[j]))
				j++;
			memcpy(tok, buf + i, j - i);
			tok[j - i] = '\0';
			if (!json_number_ok(tok, j - i))
				return 0;
			i = j - 1;
		}
	}
	return 1;
}

static const char *const FREQS[] = {"monthly", "fortnightly", "weekly", "daily", NULL};
static const char *const KNOWN[] = {"name",      "amount", "active", "start",
                                    "frequency", "id",     "extra"};

static void decode(const cJSON *root, const uint8_t *data, size_t size)
{
	cf_http_field_errors errs;
	cf_error err = CF_ERROR_INIT;
	cf_jdec d;
	const char *name = NULL, *id = NULL;
	int64_t amount = 0;
	bool active = false;
	cf_date start = {0, 0, 0};
	int freq = -1, rc;

	memset(&errs, 0, sizeof errs);
	cf_jdec_init(&d, root, &errs);
	if (cf_jdec_string(&d, "name", 1, 100, CF_J_REQUIRED, &name) == CF_J_SET) {
		long n = cf_http_utf8_chars(name);
		if (n < 1 || n > 100)
			fail("string getter returned text outside its limits", data, size);
	}
	if (cf_jdec_int64(&d, "amount", 1, INT64_C(1000000000000), CF_J_OPTIONAL, &amount) ==
	    CF_J_SET) {
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "amount");
		if (amount < 1 || amount > INT64_C(1000000000000))
			fail("int getter returned a value outside its range", data, size);
		if (!a || a->valuedouble != (double)amount)
			fail("int getter returned a value its number does not have", data, size);
	}
	cf_jdec_bool(&d, "active", CF_J_NULLABLE, &active);
	if (cf_jdec_date(&d, "start", CF_J_OPTIONAL, &start) == CF_J_SET && !cf_date_valid(start))
		fail("date getter returned an invalid date", data, size);
	if (cf_jdec_enum(&d, "frequency", FREQS, CF_J_OPTIONAL, &freq) == CF_J_SET &&
	    (freq < 0 || freq > 3))
		fail("enum getter returned a bad index", data, size);
	if (cf_jdec_uuid(&d, "id", CF_J_OPTIONAL | CF_J_NULLABLE, &id) == CF_J_SET &&
	    !cf_http_is_uuid(id))
		fail("uuid getter returned a non-UUID", data, size);
	cf_jdec_raw(&d, "extra");
	rc = cf_jdec_finish(&d, &err);
	if (rc == CF_OK) {
		if (errs.n || errs.truncated)
			fail("finish OK with field errors recorded", data, size);
		for (const cJSON *m = root->child; m; m = m->next) {
			int known = 0;
			for (size_t i = 0; i < sizeof KNOWN / sizeof KNOWN[0]; i++)
				known |= m->string && strcmp(m->string, KNOWN[i]) == 0;
			if (!known)
				fail("finish OK with an unknown field", data, size);
		}
		if (!name)
			fail("finish OK without the required field", data, size);
	} else if (rc != CF_EINVALID || errs.n == 0 || strcmp(err.slug, "validation-error") != 0) {
		fail("finish refused without a validation error", data, size);
	}
	for (int i = 0; i < errs.n; i++)
		if (!memchr(errs.e[i].field, '\0', sizeof errs.e[i].field) ||
		    !memchr(errs.e[i].message, '\0', sizeof errs.e[i].message))
			fail("unterminated field error", data, size);
}

/* The form/query decoder with the buffer sizes the handlers use. */
static void form(const char *buf, size_t len, const uint8_t *data, size_t size)
{
	static const struct {
		const char *name;
		size_t cap;
	} vars[] = {{"username", 256},
	            {"password", 1100},
	            {"grant_type", 32},
	            {"limit", 32},
	            {"cursor", 512}};
	char out[1100];

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		int n;
		memset(out, 'x', sizeof out);
		n = mg_get_var(buf, len, vars[i].name, out, vars[i].cap);
		/* n counts decoded bytes; a %00 or raw NUL in the value makes strlen
		 * shorter, which the handlers must check (they use C strings) */
		if (n >= 0 && ((size_t)n >= vars[i].cap || out[n] != '\0'))
			fail("mg_get_var length does not match its output", data, size);
		if (n < -2)
			fail("mg_get_var returned an undocumented code", data, size);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cf_http_field_errors errs;
	cf_error err = CF_ERROR_INIT;
	cJSON *root = NULL;
	char *buf;
	int rc;

	if (size > CF_HTTP_MAX_BODY)
		return 0;
	/* exact-size heap copy (not NUL-terminated), as the server's body is */
	buf = malloc(size ? size : 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	memset(&errs, 0, sizeof errs);
	rc = cf_http_json_parse(buf, size, &root, &errs, &err);
	if (rc == CF_OK) {
		if (!root || !cJSON_IsObject(root))
			fail("accepted a non-object", data, size);
		if (has_dup(root))
			fail("accepted duplicate keys", data, size);
		for (size_t i = 0; i < size; i++) {
			if (data[i] < 0x20 && data[i] != '\t' && data[i] != '\n' && data[i] != '\r')
				fail("accepted a raw control character", data, size);
			if (data[i] == '\\' && i + 1 < size) {
				if (size - i >= 6 && memcmp(data + i + 1, "u0000", 5) == 0)
					fail("accepted a \\u0000 escape (cJSON cuts the string)",
					     data, size);
				i++;
			}
		}
		if (!numbers_ok(buf, size))
			fail("accepted a number outside RFC 8259 grammar", data, size);
		if (depth_of(root) > CF_JSON_MAX_DEPTH)
			fail("accepted nesting deeper than CF_JSON_MAX_DEPTH", data, size);
		decode(root, data, size);
		cJSON_Delete(root);
	} else {
		if (root)
			fail("refused but *out set", data, size);
		if (rc == CF_ENOMEM)
			fail("out of memory on a 4 KiB body", data, size);
		if (rc != CF_EINVALID || (strcmp(err.slug, "malformed-json") != 0 &&
		                          strcmp(err.slug, "validation-error") != 0))
			fail("refusal is not malformed-json/validation-error", data, size);
		if (strcmp(err.slug, "validation-error") == 0 && errs.n == 0)
			fail("validation-error without a field error", data, size);
	}

	/* the same bytes as a NUL-terminated form body / query string */
	{
		char *q = malloc(size + 1);
		if (!q)
			abort();
		memcpy(q, data, size);
		q[size] = '\0';
		form(q, size, data, size);
		form(q, strlen(q), data, size);
		free(q);
	}
	free(buf);
	return 0;
}
