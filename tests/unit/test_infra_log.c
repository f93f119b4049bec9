/*
 * test_infra_log.c - JSON escaping, line format, truncation, level filter,
 * access_token scrubbing; and the clock's RFC 3339 parse/format.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cf_infra/clock.h"
#include "cf_infra/log.h"

START_TEST(test_json_escape)
{
	char out[128];
	ck_assert_uint_eq(cf_json_escape("plain", out, sizeof out), 5);
	ck_assert_str_eq(out, "plain");
	cf_json_escape("a\"b\\c\nd\te\r\x01\x1f", out, sizeof out);
	ck_assert_str_eq(out, "a\\\"b\\\\c\\nd\\te\\r\\u0001\\u001f");
	/* valid UTF-8 passes, invalid bytes become U+FFFD */
	cf_json_escape("\xe2\x82\xb9 100", out, sizeof out);
	ck_assert_str_eq(out, "\xe2\x82\xb9 100");
	cf_json_escape("x\xff\xc0y", out, sizeof out);
	ck_assert_str_eq(out, "x\xef\xbf\xbd\xef\xbf\xbdy");
	/* truncation never splits an escape; the full length is reported */
	ck_assert_uint_eq(cf_json_escape("ab\"cd", out, 4), 6);
	ck_assert_str_eq(out, "ab");
	ck_assert_uint_eq(cf_json_escape(NULL, out, sizeof out), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(test_format_line)
{
	char line[512];
	cf_log_field f[] = {CF_LOG_STR("route", "/api/v1/x"), CF_LOG_INT("status", 201),
	                    CF_LOG_STR("note", "say \"hi\"\n"), CF_LOG_STR("user", NULL)};
	size_t n = cf_log_format(line, sizeof line, 1775037600123LL, CF_LOG_WARN, "req done", f, 4);
	ck_assert_uint_eq(n, strlen(line));
	ck_assert_str_eq(line, "{\"time\":\"2026-04-01T10:00:00.123Z\",\"level\":\"warn\",\"msg\":"
	                       "\"req done\",\"route\":\"/api/v1/x\",\"status\":201,\"note\":"
	                       "\"say \\\"hi\\\"\\n\",\"user\":null}\n");
}
END_TEST

START_TEST(test_format_truncates)
{
	char line[200];
	char big[400];
	memset(big, 'v', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	cf_log_field f[] = {CF_LOG_STR("a", "1"), CF_LOG_STR("big", big), CF_LOG_STR("c", "3")};
	size_t n = cf_log_format(line, sizeof line, 0, CF_LOG_INFO, "m", f, 3);
	ck_assert_uint_lt(n, sizeof line);
	ck_assert_uint_eq(n, strlen(line));
	ck_assert_ptr_nonnull(strstr(line, "\"a\":\"1\""));
	ck_assert_ptr_null(strstr(line, "\"big\""));
	ck_assert_ptr_nonnull(strstr(line, ",\"truncated\":true}\n"));
}
END_TEST

START_TEST(test_cf_log_writes_one_line_and_filters)
{
	int fds[2];
	char buf[1024];
	ssize_t n;
	ck_assert_int_eq(pipe(fds), 0);
	cf_log_set_fd(fds[1]);
	cf_log_set_level(CF_LOG_INFO);
	cf_log(CF_LOG_DEBUG, "hidden", NULL, 0);
	cf_log(CF_LOG_ERROR, "shown", (cf_log_field[]){CF_LOG_INT("n", -7)}, 1);
	cf_log_set_fd(-1);
	close(fds[1]);
	n = read(fds[0], buf, sizeof buf - 1);
	close(fds[0]);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_ptr_null(strstr(buf, "hidden"));
	ck_assert_ptr_nonnull(strstr(buf, "\"level\":\"error\",\"msg\":\"shown\",\"n\":-7}\n"));
	ck_assert_ptr_eq(strchr(buf, '\n'), buf + n - 1); /* exactly one line */
}
END_TEST

START_TEST(test_scrub_access_token)
{
	char out[256];
	cf_log_scrub_url("/api/v1/auctions/1/live?access_token=eyJabc.def.ghi", out, sizeof out);
	ck_assert_str_eq(out, "/api/v1/auctions/1/live?access_token=REDACTED");
	cf_log_scrub_url("/x?a=1&access_token=secret&b=2", out, sizeof out);
	ck_assert_str_eq(out, "/x?a=1&access_token=REDACTED&b=2");
	cf_log_scrub_url("/x?ACCESS_TOKEN=secret#frag", out, sizeof out);
	ck_assert_str_eq(out, "/x?ACCESS_TOKEN=REDACTED#frag");
	cf_log_scrub_url("access_token=secret&x=1", out, sizeof out);
	ck_assert_str_eq(out, "access_token=REDACTED&x=1");
	/* similar names are left alone, and so is a path without a query */
	cf_log_scrub_url("/x?my_access_token=1&access_token_hint=2", out, sizeof out);
	ck_assert_str_eq(out, "/x?my_access_token=1&access_token_hint=2");
	cf_log_scrub_url("/healthz", out, sizeof out);
	ck_assert_str_eq(out, "/healthz");
	/* truncation keeps the secret out */
	cf_log_scrub_url("/x?access_token=secretsecret", out, 20);
	ck_assert_ptr_null(strstr(out, "secret"));
}
END_TEST

START_TEST(test_rfc3339)
{
	int64_t ms = 0;
	char out[CF_RFC3339_SIZE];
	ck_assert_int_eq(cf_rfc3339_parse("1970-01-01T00:00:00Z", &ms), 0);
	ck_assert_int_eq(ms, 0);
	ck_assert_int_eq(cf_rfc3339_parse("2026-04-01T10:00:00Z", &ms), 0);
	ck_assert_int_eq(ms, 1775037600000LL);
	ck_assert_int_eq(cf_rfc3339_parse("2026-04-01T15:30:00.5+05:30", &ms), 0);
	ck_assert_int_eq(ms, 1775037600500LL);
	ck_assert_int_eq(cf_rfc3339_parse("2024-02-29t23:59:59.999999z", &ms), 0);
	ck_assert_int_eq(cf_rfc3339_format(ms, 1, out, sizeof out), 0);
	ck_assert_str_eq(out, "2024-02-29T23:59:59.999Z");
	ck_assert_int_eq(cf_rfc3339_format(ms, 0, out, sizeof out), 0);
	ck_assert_str_eq(out, "2024-02-29T23:59:59Z");
	const char *bad[] = {"",
	                     "2026-04-01",
	                     "2026-04-01T10:00:00",
	                     "2026-02-29T00:00:00Z",
	                     "2026-13-01T00:00:00Z",
	                     "2026-04-01T24:00:00Z",
	                     "2026-04-01T10:00:60Z",
	                     "2026-04-01T10:00:00Zx",
	                     "2026-04-01 10:00:00Z",
	                     "2026-04-01T10:00:00.Z",
	                     "2026-04-01T10:00:00+0530",
	                     "1969-12-31T23:59:59Z"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(cf_rfc3339_parse(bad[i], &ms) != 0, "accepted %s", bad[i]);
	ck_assert_int_ne(cf_rfc3339_format(0, 1, out, 10), 0);
	/* round trip over many days */
	for (int64_t d = 0; d < 30000; d += 37) {
		int64_t t = d * 86400000 + 12345678, back = 0;
		ck_assert_int_eq(cf_rfc3339_format(t, 1, out, sizeof out), 0);
		ck_assert_int_eq(cf_rfc3339_parse(out, &back), 0);
		ck_assert_int_eq(back, t);
	}
}
END_TEST

START_TEST(test_offset_clock)
{
	cf_offset_clock c;
	cf_offset_clock_init(&c, 1775037600000LL);
	int64_t a = cf_offset_clock_now_ms(&c);
	ck_assert_int_ge(a, 1775037600000LL);
	ck_assert_int_lt(a, 1775037600000LL + 60000);
	ck_assert_int_ge(cf_offset_clock_now_ms(&c), a); /* runs on, never back */
	ck_assert_int_gt(cf_time_wall_ms(), 1600000000000LL);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("infra_log");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_json_escape);
	tcase_add_test(tc, test_format_line);
	tcase_add_test(tc, test_format_truncates);
	tcase_add_test(tc, test_cf_log_writes_one_line_and_filters);
	tcase_add_test(tc, test_scrub_access_token);
	tcase_add_test(tc, test_rfc3339);
	tcase_add_test(tc, test_offset_clock);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
