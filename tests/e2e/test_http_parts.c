/*
 * test_http_parts.c - the HTTP frontend's pure parts, without a server:
 * routing (404 vs 405 + Allow, path parameters, literal precedence),
 * strict JSON decoding (trailing bytes, duplicate keys, unknown fields,
 * integer range), the cf_error -> status table, request ids and log
 * scrubbing.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_core.h"
#include "http_json.h"
#include "router.h"

static int h_dummy(cf_http_req *r)
{
	(void)r;
	return 200;
}

static const cf_http_route table[] = {
        {"GET", "/api/v1/users/me", h_dummy, 0},
        {"PATCH", "/api/v1/users/me", h_dummy, 0},
        {"GET", "/api/v1/users/{id}", h_dummy, 0},
        {"DELETE", "/api/v1/users/{id}", h_dummy, 0},
        {"DELETE", "/api/v1/schemes/{id}/agents/{user_id}", h_dummy, 0},
        {"GET", "/api/v1/receipts/{receipt_no*}", h_dummy, 0},
};
#define NT (sizeof table / sizeof table[0])

START_TEST(test_router__literal_beats_parameter)
{
	const cf_http_route *rt;
	cf_http_params p;
	char allow[64];

	ck_assert_int_eq(cf_http_route_find(table, NT, "GET", "/api/v1/users/me", &rt, &p, allow,
	                                    sizeof allow),
	                 CF_HTTP_MATCH_FOUND);
	ck_assert_ptr_eq(rt, &table[0]);
	ck_assert_int_eq(p.n, 0);
	ck_assert_int_eq(cf_http_route_find(table, NT, "GET", "/api/v1/users/abc", &rt, &p, allow,
	                                    sizeof allow),
	                 CF_HTTP_MATCH_FOUND);
	ck_assert_ptr_eq(rt, &table[2]);
	ck_assert_str_eq(p.value[0], "abc");
}
END_TEST

START_TEST(test_router__wrong_method_is_405_with_allow)
{
	const cf_http_route *rt;
	cf_http_params p;
	char allow[64];

	ck_assert_int_eq(cf_http_route_find(table, NT, "DELETE", "/api/v1/users/me", &rt, &p, allow,
	                                    sizeof allow),
	                 CF_HTTP_MATCH_NO_METHOD);
	ck_assert_str_eq(allow, "GET, PATCH");
	ck_assert_int_eq(cf_http_route_find(table, NT, "POST", "/api/v1/users/x", &rt, &p, allow,
	                                    sizeof allow),
	                 CF_HTTP_MATCH_NO_METHOD);
	ck_assert_str_eq(allow, "GET, DELETE");
}
END_TEST

START_TEST(test_router__unknown_paths_are_404)
{
	static const char *const paths[] = {"/api/v1/users",
	                                    "/api/v1/users/",
	                                    "/api/v1/users//",
	                                    "/api/v1/users/a/b",
	                                    "/",
	                                    "",
	                                    "/api/v1/receipts",
	                                    "/api/v1/schemes/a/agents/"};
	const cf_http_route *rt;
	cf_http_params p;
	char allow[64];

	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		ck_assert_msg(cf_http_route_find(table, NT, "GET", paths[i], &rt, &p, allow,
		                                 sizeof allow) == CF_HTTP_MATCH_NO_PATH,
		              "%s", paths[i]);
}
END_TEST

START_TEST(test_router__two_params_and_rest_param)
{
	const cf_http_route *rt;
	cf_http_params p;

	ck_assert_int_eq(cf_http_route_find(table, NT, "DELETE", "/api/v1/schemes/s1/agents/u2",
	                                    &rt, &p, NULL, 0),
	                 CF_HTTP_MATCH_FOUND);
	ck_assert_int_eq(p.n, 2);
	ck_assert_str_eq(p.value[0], "s1");
	ck_assert_str_eq(p.value[1], "u2");
	ck_assert_int_eq(cf_http_route_find(table, NT, "GET", "/api/v1/receipts/R/2026-27/000001",
	                                    &rt, &p, NULL, 0),
	                 CF_HTTP_MATCH_FOUND);
	ck_assert_str_eq(p.value[0], "R/2026-27/000001");
}
END_TEST

static int parse(const char *s, cf_http_field_errors *errs, cf_error *err, cJSON **out)
{
	memset(errs, 0, sizeof *errs);
	*err = (cf_error)CF_ERROR_INIT;
	return cf_http_json_parse(s, strlen(s), out, errs, err);
}

START_TEST(test_json__trailing_bytes_are_malformed)
{
	cf_http_field_errors errs;
	cf_error err;
	cJSON *j = NULL;

	ck_assert_int_eq(parse("{\"a\":1} x", &errs, &err, &j), CF_EINVALID);
	ck_assert_str_eq(err.slug, "malformed-json");
	ck_assert_ptr_null(j);
	ck_assert_int_eq(parse("{\"a\":1}{}", &errs, &err, &j), CF_EINVALID);
	ck_assert_str_eq(err.slug, "malformed-json");
	ck_assert_int_eq(parse("{\"a\":", &errs, &err, &j), CF_EINVALID);
	ck_assert_str_eq(err.slug, "malformed-json");
	ck_assert_int_eq(parse("", &errs, &err, &j), CF_EINVALID);
	ck_assert_str_eq(err.slug, "malformed-json");
	ck_assert_int_eq(parse(" {\"a\":1} \r\n", &errs, &err, &j), CF_OK);
	cJSON_Delete(j);
}
END_TEST

/* fuzz_http_json: cJSON skipped NUL and other control bytes as whitespace */
START_TEST(test_json__raw_control_bytes_are_malformed)
{
	static const char nul_tail[] = "{\"a\":1}\0\0";
	static const char in_value[] = "{\"a\":1\0}";
	cf_http_field_errors errs;
	cf_error err;
	cJSON *j = NULL;

	memset(&errs, 0, sizeof errs);
	err = (cf_error)CF_ERROR_INIT;
	ck_assert_int_eq(cf_http_json_parse(nul_tail, sizeof nul_tail - 1, &j, &errs, &err),
	                 CF_EINVALID);
	ck_assert_str_eq(err.slug, "malformed-json");
	ck_assert_ptr_null(j);
	err = (cf_error)CF_ERROR_INIT;
	ck_assert_int_eq(cf_http_json_parse(in_value, sizeof in_value - 1, &j, &errs, &err),
	                 CF_EINVALID);
	ck_assert_str_eq(err.slug, "malformed-json");
	ck_assert_int_eq(parse("{\"a\":1}\x0c", &errs, &err, &j), CF_EINVALID);
	ck_assert_str_eq(err.slug, "malformed-json");
	ck_assert_int_eq(parse("{\"a\":\"x\ty\"}\x01", &errs, &err, &j), CF_EINVALID);
	ck_assert_ptr_null(j);
}
END_TEST

/* fuzz_http_json: cJSON cut "ab\u0000cd" to "ab" (and keys likewise) */
START_TEST(test_json__nul_escape_is_malformed)
{
	cf_http_field_errors errs;
	cf_error err;
	cJSON *j = NULL;

	ck_assert_int_eq(parse("{\"a\":\"ab\\u0000cd\"}", &errs, &err, &j), CF_EINVALID);
	ck_assert_str_eq(err.slug, "malformed-json");
	ck_assert_ptr_null(j);
	ck_assert_int_eq(parse("{\"name\\u0000x\":1}", &errs, &err, &j), CF_EINVALID);
	ck_assert_str_eq(err.slug, "malformed-json");
	/* an escaped backslash followed by the text u0000 is fine */
	ck_assert_int_eq(parse("{\"a\":\"\\\\u0000\"}", &errs, &err, &j), CF_OK);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "a")->valuestring, "\\u0000");
	cJSON_Delete(j);
	j = NULL;
	ck_assert_int_eq(parse("{\"a\":\"\\u0001\"}", &errs, &err, &j), CF_OK);
	cJSON_Delete(j);
}
END_TEST

/* a %00 in a query value would cut the C string short ("limit=5%00x" read as 5) */
START_TEST(test_query__nul_in_value_is_refused)
{
	struct mg_request_info ri;
	cf_http_req r;
	char b[32];

	memset(&ri, 0, sizeof ri);
	memset(&r, 0, sizeof r);
	ri.query_string = "limit=5%00x&cursor=ab%2Fc";
	r.ri = &ri;
	ck_assert_int_eq(cf_http_query(&r, "limit", b, sizeof b), -1);
	ck_assert_int_eq(cf_http_query(&r, "cursor", b, sizeof b), 1);
	ck_assert_str_eq(b, "ab/c");
	ck_assert_int_eq(cf_http_query(&r, "nope", b, sizeof b), 0);
}
END_TEST

START_TEST(test_json__duplicates_and_non_objects_are_422)
{
	cf_http_field_errors errs;
	cf_error err;
	cJSON *j = NULL;

	ck_assert_int_eq(parse("{\"a\":1,\"a\":2}", &errs, &err, &j), CF_EINVALID);
	ck_assert_str_eq(err.slug, "validation-error");
	ck_assert_int_eq(errs.n, 1);
	ck_assert_str_eq(errs.e[0].field, "a");
	ck_assert_int_eq(parse("{\"x\":{\"b\":1,\"b\":1}}", &errs, &err, &j), CF_EINVALID);
	ck_assert_str_eq(errs.e[0].field, "b");
	ck_assert_int_eq(parse("[1,2]", &errs, &err, &j), CF_EINVALID);
	ck_assert_str_eq(err.slug, "validation-error");
}
END_TEST

/* fuzz_http_json: cJSON took number syntax JSON does not have */
START_TEST(test_json__number_grammar_is_strict)
{
	static const char *const bad[] = {"01",  "-01.5", "1.",    ".5",    "+1",     "1e",  "-",
	                                  "1e+", "1.e5",  "--1",   "1.5.2", "-.5",    "00",  "1E-",
	                                  "0e",  "1ee2",  "1e2.5", "-01",   "[1,+2]", "[.5]"};
	static const char *const good[] = {"0",       "-0",       "1.5", "1e2",          "1E+2",
	                                   "-1.5e-3", "0.0",      "10",  "[1,2.5,-3e0]", "\"01\"",
	                                   "-0.0e-0", "123456789"};
	cf_http_field_errors errs;
	cf_error err;
	cJSON *j = NULL;
	char body[64];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(body, sizeof body, "{\"a\":%s}", bad[i]);
		ck_assert_msg(parse(body, &errs, &err, &j) == CF_EINVALID, "accepted %s", body);
		ck_assert_msg(strcmp(err.slug, "malformed-json") == 0, "%s -> %s", body, err.slug);
		ck_assert_ptr_null(j);
	}
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		snprintf(body, sizeof body, "{\"a\":%s}", good[i]);
		ck_assert_msg(parse(body, &errs, &err, &j) == CF_OK, "refused %s: %s", body,
		              err.message);
		cJSON_Delete(j);
		j = NULL;
	}
	/* number-looking text inside strings and keys (escaped quotes too) is text */
	ck_assert_int_eq(parse("{\"01\":\"+1 .5 1.\",\"b\\\"01\":[\"\\\\\",-1]}", &errs, &err, &j),
	                 CF_OK);
	cJSON_Delete(j);
}
END_TEST

/* the int getter's verdict for {"v":<text>} with range +-(2^53-1) */
static int int_of(const char *text, int64_t *v, char *msg, size_t cap)
{
	cf_http_field_errors errs;
	cf_error err;
	cJSON *j = NULL;
	cf_jdec d;
	char body[128];
	int rc;

	snprintf(body, sizeof body, "{\"v\":%s}", text);
	ck_assert_msg(parse(body, &errs, &err, &j) == CF_OK, "%s: %s", body, err.message);
	cf_jdec_init(&d, j, &errs);
	rc = cf_jdec_int64(&d, "v", -CF_JSON_MAX_SAFE_INT, CF_JSON_MAX_SAFE_INT, CF_J_REQUIRED, v);
	snprintf(msg, cap, "%s", errs.n ? errs.e[0].message : "");
	cJSON_Delete(j);
	return rc;
}

START_TEST(test_json__integers_are_decided_on_their_text)
{
	static const struct {
		const char *text;
		int64_t want;
	} ok[] = {
	        {"9007199254740991", INT64_C(9007199254740991)},
	        {"-9007199254740991", -INT64_C(9007199254740991)},
	        {"9007199254740991.000", INT64_C(9007199254740991)},
	        {"9.007199254740991e15", INT64_C(9007199254740991)},
	        {"1e2", 100}, /* policy: an exponent that leaves an integer is fine */
	        {"1E+2", 100},
	        {"100.0", 100},
	        {"1000e-1", 100},
	        {"1.5e1", 15},
	        {"0e999999999999", 0},
	        {"-0", 0},
	        {"0.000e-5", 0},
	};
	static const char *const fraction[] = {
	        "4503599627370496.5",          /* its double is the integer 4503599627370496 */
	        "9007199254740990.9999999999", /* its double is 9007199254740991 */
	        "1.25e1",
	        "1e-1",
	        "1e-400",
	        "0.5",
	        "-1.000000000000000000001",
	        "90071992547409905e-1"};
	static const char *const big[] = {"9007199254740992",
	                                  "-9007199254740992",
	                                  "9007199254740993",
	                                  "9.007199254740992e15",
	                                  "90071992547409920e-1",
	                                  "1e16",
	                                  "1e400",
	                                  "-1e999999999999999999999",
	                                  "123456789012345678901234567890"};
	int64_t v;
	char msg[160];

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		v = -1;
		ck_assert_msg(int_of(ok[i].text, &v, msg, sizeof msg) == CF_J_SET, "%s: %s",
		              ok[i].text, msg);
		ck_assert_msg(v == ok[i].want, "%s -> %lld", ok[i].text, (long long)v);
	}
	for (size_t i = 0; i < sizeof fraction / sizeof fraction[0]; i++) {
		ck_assert_msg(int_of(fraction[i], &v, msg, sizeof msg) == CF_J_BAD, "%s accepted",
		              fraction[i]);
		ck_assert_str_eq(msg, "must be an integer");
	}
	for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
		ck_assert_msg(int_of(big[i], &v, msg, sizeof msg) == CF_J_BAD, "%s accepted",
		              big[i]);
		ck_assert_str_eq(msg, "must be an integer between -(2^53-1) and 2^53-1");
	}
}
END_TEST

START_TEST(test_json__large_unique_object_parses_and_late_duplicate_is_found)
{
	size_t cap = CF_HTTP_MAX_BODY, used = 0;
	char *body = malloc(cap);
	cf_http_field_errors errs;
	cf_error err = CF_ERROR_INIT;
	cJSON *j = NULL;
	int n = 0;

	ck_assert_ptr_nonnull(body);
	body[used++] = '{';
	for (; used + 24 < cap; n++) /* "1234":0, */
		used += (size_t)snprintf(body + used, cap - used, "%s\"%d\":%d", n ? "," : "", n,
		                         n % 7);
	body[used++] = '}';
	ck_assert_int_ge(n, 7000);
	memset(&errs, 0, sizeof errs);
	ck_assert_int_eq(cf_http_json_parse(body, used, &j, &errs, &err), CF_OK);
	ck_assert_int_eq(cJSON_GetArraySize(j), n);
	cJSON_Delete(j);
	j = NULL;
	/* the same body with its last key renamed to an early one */
	used--;
	while (body[used] != ',')
		used--;
	used += (size_t)snprintf(body + used, cap - used, ",\"17\":1}");
	memset(&errs, 0, sizeof errs);
	ck_assert_int_eq(cf_http_json_parse(body, used, &j, &errs, &err), CF_EINVALID);
	ck_assert_str_eq(err.slug, "validation-error");
	ck_assert_str_eq(errs.e[0].field, "17");
	ck_assert_str_eq(errs.e[0].message, "duplicate key");
	ck_assert_ptr_null(j);
	free(body);
}
END_TEST

/* {"a":[[...[1]...]]} with `levels` nested objects/arrays in all */
static void nested(char *body, size_t cap, int levels)
{
	size_t used = (size_t)snprintf(body, cap, "{\"a\":");

	for (int i = 0; i < levels - 1; i++)
		body[used++] = '[';
	body[used++] = '1';
	for (int i = 0; i < levels - 1; i++)
		body[used++] = ']';
	body[used++] = '}';
	body[used] = '\0';
	ck_assert_uint_lt(used, cap);
}

/* deeper than CF_JSON_MAX_DEPTH used to say "duplicate key" */
START_TEST(test_json__too_deep_is_its_own_malformed_error)
{
	char body[512];
	cf_http_field_errors errs;
	cf_error err;
	cJSON *j = NULL;

	nested(body, sizeof body, CF_JSON_MAX_DEPTH);
	ck_assert_int_eq(parse(body, &errs, &err, &j), CF_OK);
	cJSON_Delete(j);
	j = NULL;
	nested(body, sizeof body, CF_JSON_MAX_DEPTH + 1);
	ck_assert_int_eq(parse(body, &errs, &err, &j), CF_EINVALID);
	ck_assert_str_eq(err.slug, "malformed-json");
	ck_assert_ptr_nonnull(strstr(err.message, "nested too deeply"));
	ck_assert_ptr_null(strstr(err.message, "duplicate"));
	ck_assert_int_eq(errs.n, 0);
	ck_assert_ptr_null(j);
	nested(body, sizeof body, 200);
	ck_assert_int_eq(parse(body, &errs, &err, &j), CF_EINVALID);
	ck_assert_ptr_nonnull(strstr(err.message, "nested too deeply"));
	/* brackets inside strings do not count */
	ck_assert_int_eq(parse("{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
	                       "[[[[[[[[[[[[[[[[[[[[\"}",
	                       &errs, &err, &j),
	                 CF_OK);
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_json__decoder_checks_types_ranges_and_unknown_fields)
{
	cf_http_field_errors errs;
	cf_error err;
	cJSON *j = NULL;
	cf_jdec d;
	int64_t v = 0;
	const char *s = NULL;
	bool b;

	ck_assert_int_eq(parse("{\"amount\":9007199254740991,\"big\":9007199254740992,"
	                       "\"frac\":1.5,\"str\":\"7\",\"name\":\"ok\",\"extra\":true,"
	                       "\"flag\":1}",
	                       &errs, &err, &j),
	                 CF_OK);
	cf_jdec_init(&d, j, &errs);
	ck_assert_int_eq(cf_jdec_int64(&d, "amount", 0, CF_JSON_MAX_SAFE_INT, CF_J_REQUIRED, &v),
	                 CF_J_SET);
	ck_assert_int_eq(v, INT64_C(9007199254740991));
	ck_assert_int_eq(cf_jdec_int64(&d, "big", 0, CF_JSON_MAX_SAFE_INT, 0, &v), CF_J_BAD);
	ck_assert_int_eq(cf_jdec_int64(&d, "frac", 0, 10, 0, &v), CF_J_BAD);
	ck_assert_int_eq(cf_jdec_int64(&d, "str", 0, 10, 0, &v), CF_J_BAD);
	ck_assert_int_eq(cf_jdec_string(&d, "name", 1, 10, CF_J_REQUIRED, &s), CF_J_SET);
	ck_assert_int_eq(cf_jdec_bool(&d, "flag", 0, &b), CF_J_BAD);
	ck_assert_int_eq(cf_jdec_string(&d, "missing", 1, 10, CF_J_REQUIRED, &s), CF_J_ABSENT);
	ck_assert_int_eq(cf_jdec_finish(&d, &err), CF_EINVALID);
	ck_assert_str_eq(err.slug, "validation-error");
	/* big, frac, str, flag, missing (required), extra (unknown) */
	ck_assert_int_eq(errs.n, 6);
	ck_assert_str_eq(errs.e[0].field, "big");
	ck_assert_str_eq(errs.e[4].field, "missing");
	ck_assert_str_eq(errs.e[5].field, "extra");
	ck_assert_str_eq(errs.e[5].message, "unknown field");
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_json__strings_count_characters_and_refuse_controls)
{
	ck_assert_int_eq(cf_http_utf8_chars("abc"), 3);
	ck_assert_int_eq(cf_http_utf8_chars("\xe0\xa4\xb0\xe0\xa4\xbe"), 2); /* Devanagari */
	ck_assert_int_eq(cf_http_utf8_chars("a\x01"), -1);
	ck_assert_int_eq(cf_http_utf8_chars("\xc0\xaf"), -1);     /* overlong */
	ck_assert_int_eq(cf_http_utf8_chars("\xed\xa0\x80"), -1); /* surrogate */
	ck_assert(cf_http_is_uuid("123e4567-e89b-12d3-a456-426614174000"));
	ck_assert(!cf_http_is_uuid("123e4567e89b12d3a456426614174000"));
	ck_assert(!cf_http_is_uuid("123e4567-e89b-12d3-a456-42661417400g"));
}
END_TEST

START_TEST(test_errors__status_table)
{
	static const struct {
		int code;
		const char *slug;
		int status;
	} rows[] = {
	        {CF_EINVALID, "validation-error", 422},
	        {CF_EINVALID, "malformed-json", 400},
	        {CF_EINVALID, "payload-too-large", 413},
	        {CF_EINVALID, "unsupported-media-type", 415},
	        {CF_ERULE, "commission-above-cap", 422},
	        {CF_ECONFLICT, "scheme-not-draft", 409},
	        {CF_EEXISTS, "email-taken", 409},
	        {CF_ENOTFOUND, "not-found", 404},
	        {CF_EUNAUTHENTICATED, "invalid-credentials", 401},
	        {CF_EFORBIDDEN, "account-disabled", 403},
	        {CF_ERATELIMIT, "rate-limited", 429},
	        {CF_EUNAVAILABLE, "service-unavailable", 503},
	        {CF_ERROR, "validation-error", 500}, /* internal codes never leak */
	        {CF_ENOMEM, "", 500},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		cf_error e = CF_ERROR_INIT;
		cf_error_set(&e, rows[i].code, rows[i].slug, "", "x");
		ck_assert_msg(cf_http_status_for(&e) == rows[i].status, "%s -> %d", rows[i].slug,
		              cf_http_status_for(&e));
	}
}
END_TEST

START_TEST(test_request_id__validation_and_generation)
{
	char id[64], big[200];

	ck_assert(cf_http_request_id_valid("abc-123"));
	ck_assert(!cf_http_request_id_valid(""));
	ck_assert(!cf_http_request_id_valid("has space"));
	ck_assert(!cf_http_request_id_valid("tab\there"));
	memset(big, 'a', 128);
	big[128] = '\0';
	ck_assert(cf_http_request_id_valid(big));
	big[128] = 'a';
	big[129] = '\0';
	ck_assert(!cf_http_request_id_valid(big));
	cf_http_new_request_id(id, sizeof id);
	ck_assert(cf_http_is_uuid(id));
	ck_assert_int_eq(id[14], '4');
}
END_TEST

START_TEST(test_log__scrubs_tokens_from_queries)
{
	char out[256];

	cf_http_scrub_query("a=1&access_token=eyJhbGc.x.y&b=2", out, sizeof out);
	ck_assert_str_eq(out, "a=1&access_token=REDACTED&b=2");
	ck_assert_ptr_null(strstr(out, "eyJ"));
	cf_http_scrub_query("ACCESS_TOKEN=s3cret", out, sizeof out);
	ck_assert_str_eq(out, "ACCESS_TOKEN=REDACTED");
}
END_TEST

static Suite *http_parts_suite(void)
{
	Suite *s = suite_create("http_parts");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_router__literal_beats_parameter);
	tcase_add_test(tc, test_router__wrong_method_is_405_with_allow);
	tcase_add_test(tc, test_router__unknown_paths_are_404);
	tcase_add_test(tc, test_router__two_params_and_rest_param);
	tcase_add_test(tc, test_json__trailing_bytes_are_malformed);
	tcase_add_test(tc, test_json__raw_control_bytes_are_malformed);
	tcase_add_test(tc, test_json__nul_escape_is_malformed);
	tcase_add_test(tc, test_query__nul_in_value_is_refused);
	tcase_add_test(tc, test_json__duplicates_and_non_objects_are_422);
	tcase_add_test(tc, test_json__decoder_checks_types_ranges_and_unknown_fields);
	tcase_add_test(tc, test_json__strings_count_characters_and_refuse_controls);
	tcase_add_test(tc, test_json__number_grammar_is_strict);
	tcase_add_test(tc, test_json__integers_are_decided_on_their_text);
	tcase_add_test(tc, test_json__large_unique_object_parses_and_late_duplicate_is_found);
	tcase_add_test(tc, test_json__too_deep_is_its_own_malformed_error);
	tcase_add_test(tc, test_errors__status_table);
	tcase_add_test(tc, test_request_id__validation_and_generation);
	tcase_add_test(tc, test_log__scrubs_tokens_from_queries);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(http_parts_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
