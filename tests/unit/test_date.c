/*
 * test_date.c - civil dates: leap years, day numbers, IST business dates,
 * strict parse/format, installment schedules and financial years.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/domain/date.h"

static long iterations(void)
{
	const char *s = getenv("CF_PROPERTY_ITERATIONS");
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return 100000;
	v = strtol(s, &end, 10);
	return (*end == '\0' && v > 0) ? v : 100000;
}

static uint64_t xorshift64(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

static cf_date mk(int32_t y, int32_t m, int32_t d)
{
	cf_date r;
	r.year = y;
	r.month = m;
	r.day = d;
	return r;
}

#define ck_assert_date(got, y, m, d)                                                               \
	do {                                                                                       \
		cf_date g_ = (got);                                                                \
		ck_assert_msg(g_.year == (y) && g_.month == (m) && g_.day == (d),                  \
		              "got %04d-%02d-%02d want %04d-%02d-%02d", g_.year, g_.month, g_.day, \
		              (int)(y), (int)(m), (int)(d));                                       \
	} while (0)

/* ---- leap years and month lengths ---- */

static const struct {
	int32_t year;
	bool leap;
} leap_cases[] = {
        {1900, false}, {2000, true}, {2024, true},  {2100, false}, {2023, false},
        {2028, true},  {1600, true}, {1700, false}, {4, true},     {1, false},
};

START_TEST(test_leap)
{
	ck_assert_int_eq(cf_date_is_leap(leap_cases[_i].year), leap_cases[_i].leap);
	ck_assert_int_eq(cf_date_days_in_month(leap_cases[_i].year, 2),
	                 leap_cases[_i].leap ? 29 : 28);
}
END_TEST

START_TEST(test_days_in_month)
{
	static const int32_t want[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	for (int32_t m = 1; m <= 12; m++)
		ck_assert_int_eq(cf_date_days_in_month(2027, m), want[m - 1]);
	ck_assert_int_eq(cf_date_days_in_month(2027, 0), 0);
	ck_assert_int_eq(cf_date_days_in_month(2027, 13), 0);
	ck_assert_int_eq(cf_date_days_in_month(2027, -1), 0);
}
END_TEST

static const struct {
	cf_date d;
	bool valid;
} valid_cases[] = {
        {{2024, 2, 29}, true},  {{2023, 2, 29}, false}, {{1900, 2, 29}, false},
        {{2000, 2, 29}, true},  {{2026, 4, 31}, false}, {{2026, 12, 31}, true},
        {{2026, 13, 1}, false}, {{2026, 0, 1}, false},  {{2026, 1, 0}, false},
        {{2026, 1, 32}, false}, {{0, 1, 1}, false},     {{1, 1, 1}, true},
        {{9999, 12, 31}, true}, {{10000, 1, 1}, false}, {{-5, 1, 1}, false},
};

START_TEST(test_valid)
{
	ck_assert_int_eq(cf_date_valid(valid_cases[_i].d), valid_cases[_i].valid);
}
END_TEST

/* ---- day numbers ---- */

/* expected values from python3: (date(y, m, d) - date(1970, 1, 1)).days */
static const struct {
	cf_date d;
	int64_t days;
} day_cases[] = {
        {{1970, 1, 1}, 0},         {{1969, 12, 31}, -1},   {{2000, 3, 1}, 11017},
        {{2026, 4, 1}, 20544},     {{2028, 2, 29}, 21243}, {{1, 1, 1}, -719162},
        {{9999, 12, 31}, 2932896}, {{1970, 3, 1}, 59},     {{1972, 3, 1}, 790},
};

START_TEST(test_to_from_days)
{
	ck_assert_int_eq(cf_date_to_days(day_cases[_i].d), day_cases[_i].days);
	ck_assert_date(cf_date_from_days(day_cases[_i].days), day_cases[_i].d.year,
	               day_cases[_i].d.month, day_cases[_i].d.day);
}
END_TEST

/* walk every day from 0001-01-01 to 9999-12-31 with a naive incrementer */
START_TEST(test_days_exhaustive)
{
	cf_date d = mk(1, 1, 1);
	int64_t n = cf_date_to_days(d);

	for (;;) {
		cf_date back = cf_date_from_days(n);
		ck_assert(cf_date_to_days(d) == n);
		ck_assert(back.year == d.year && back.month == d.month && back.day == d.day);
		if (d.year == 9999 && d.month == 12 && d.day == 31)
			break;
		n++;
		if (++d.day > cf_date_days_in_month(d.year, d.month)) {
			d.day = 1;
			if (++d.month > 12) {
				d.month = 1;
				d.year++;
			}
		}
	}
	ck_assert_int_eq(n, 2932896);
}
END_TEST

START_TEST(test_out_of_range_days)
{
	ck_assert(!cf_date_valid(cf_date_from_days(-719163)));
	ck_assert(!cf_date_valid(cf_date_from_days(2932897)));
	ck_assert(!cf_date_valid(cf_date_from_days(INT64_MAX)));
	ck_assert(!cf_date_valid(cf_date_from_days(INT64_MIN)));
	ck_assert(!cf_date_valid(cf_date_add_days(mk(9999, 12, 31), 1)));
	ck_assert(!cf_date_valid(cf_date_add_days(mk(1, 1, 1), -1)));
	ck_assert(!cf_date_valid(cf_date_add_days(mk(2026, 1, 1), INT64_MAX)));
	ck_assert(!cf_date_valid(cf_date_add_days(mk(2026, 1, 1), INT64_MIN)));
}
END_TEST

START_TEST(test_diff_add_cmp)
{
	ck_assert_int_eq(cf_date_diff(mk(2025, 1, 1), mk(2026, 1, 1)), 365);
	ck_assert_int_eq(cf_date_diff(mk(2028, 1, 1), mk(2029, 1, 1)), 366);
	ck_assert_int_eq(cf_date_diff(mk(2026, 3, 1), mk(2026, 2, 1)), -28);
	ck_assert_int_eq(cf_date_diff(mk(2026, 5, 5), mk(2026, 5, 5)), 0);
	ck_assert_date(cf_date_add_days(mk(2028, 2, 28), 1), 2028, 2, 29);
	ck_assert_date(cf_date_add_days(mk(2027, 2, 28), 1), 2027, 3, 1);
	ck_assert_date(cf_date_add_days(mk(2026, 12, 31), 1), 2027, 1, 1);
	ck_assert_date(cf_date_add_days(mk(2027, 1, 1), -1), 2026, 12, 31);
	ck_assert_date(cf_date_add_days(mk(2026, 1, 10), 365), 2027, 1, 10);
	ck_assert_int_eq(cf_date_cmp(mk(2026, 1, 1), mk(2026, 1, 2)), -1);
	ck_assert_int_eq(cf_date_cmp(mk(2026, 2, 1), mk(2026, 1, 31)), 1);
	ck_assert_int_eq(cf_date_cmp(mk(2025, 12, 31), mk(2026, 1, 1)), -1);
	ck_assert_int_eq(cf_date_cmp(mk(2026, 7, 7), mk(2026, 7, 7)), 0);
}
END_TEST

/* property: ordering by cmp equals ordering by day number; add/diff invert */
START_TEST(test_days_property)
{
	uint64_t st = UINT64_C(0x243F6A8885A308D3);
	long n = iterations();

	for (long i = 0; i < n; i++) {
		int64_t a = (int64_t)(xorshift64(&st) % 3652059) - 719162;
		int64_t b = (int64_t)(xorshift64(&st) % 3652059) - 719162;
		cf_date da = cf_date_from_days(a), db = cf_date_from_days(b);
		int want = (a > b) - (a < b);
		char buf[11];
		cf_date parsed;

		ck_assert(cf_date_valid(da) && cf_date_valid(db));
		ck_assert_int_eq(cf_date_cmp(da, db), want);
		ck_assert(cf_date_diff(da, db) == b - a);
		ck_assert(cf_date_cmp(cf_date_add_days(da, b - a), db) == 0);
		ck_assert_int_eq(cf_date_format(da, buf, sizeof buf), CF_OK);
		ck_assert_int_eq(cf_date_parse(buf, strlen(buf), &parsed), CF_OK);
		ck_assert(cf_date_to_days(parsed) == a);
	}
}
END_TEST

/* ---- IST business date ---- */

/* unix ms from python3: int(datetime(..., tzinfo=timezone.utc).timestamp() * 1000) */
static const struct {
	int64_t ms;
	cf_date want;
} ist_cases[] = {
        {INT64_C(1774981799000), {2026, 3, 31}}, /* 2026-03-31T18:29:59Z = 23:59:59 IST */
        {INT64_C(1774981799999), {2026, 3, 31}}, /* 18:29:59.999Z */
        {INT64_C(1774981800000), {2026, 4, 1}},  /* 2026-03-31T18:30:00Z = 00:00 IST */
        {0, {1970, 1, 1}},
        {-1, {1970, 1, 1}},          /* 1969-12-31T23:59:59.999Z = 05:29 IST */
        {-19800000, {1970, 1, 1}},   /* 1969-12-31T18:30:00Z */
        {-19800001, {1969, 12, 31}}, /* 1969-12-31T18:29:59.999Z */
        {-86400000 - 19800001, {1969, 12, 30}},
        {INT64_C(-2208922200000), {1900, 1, 2}}, /* 1900-01-01T18:30:00Z */
        {INT64_C(-2208922200001), {1900, 1, 1}},
};

START_TEST(test_ist)
{
	ck_assert_date(cf_date_from_unix_ms_ist(ist_cases[_i].ms), ist_cases[_i].want.year,
	               ist_cases[_i].want.month, ist_cases[_i].want.day);
}
END_TEST

START_TEST(test_ist_extremes)
{
	/* no overflow at the int64 edges: just an invalid (out of range) date */
	ck_assert(!cf_date_valid(cf_date_from_unix_ms_ist(INT64_MAX)));
	ck_assert(!cf_date_valid(cf_date_from_unix_ms_ist(INT64_MIN)));
}
END_TEST

/* ---- parse / format ---- */

static const struct {
	const char *s;
	int rc;
	cf_date want;
} parse_cases[] = {
        {"2026-04-01", CF_OK, {2026, 4, 1}},
        {"2024-02-29", CF_OK, {2024, 2, 29}},
        {"0001-01-01", CF_OK, {1, 1, 1}},
        {"9999-12-31", CF_OK, {9999, 12, 31}},
        {"2026-02-29", CF_EINVALID, {0, 0, 0}},
        {"1900-02-29", CF_EINVALID, {0, 0, 0}},
        {"0000-01-01", CF_EINVALID, {0, 0, 0}},
        {"2026-13-01", CF_EINVALID, {0, 0, 0}},
        {"2026-00-10", CF_EINVALID, {0, 0, 0}},
        {"2026-01-00", CF_EINVALID, {0, 0, 0}},
        {"2026-04-31", CF_EINVALID, {0, 0, 0}},
        {"2026-1-01", CF_EINVALID, {0, 0, 0}},
        {"2026-01-1", CF_EINVALID, {0, 0, 0}},
        {"2026/01/01", CF_EINVALID, {0, 0, 0}},
        {"20260101", CF_EINVALID, {0, 0, 0}},
        {" 2026-01-01", CF_EINVALID, {0, 0, 0}},
        {"2026-01-01 ", CF_EINVALID, {0, 0, 0}},
        {"2026-01-01T00:00:00Z", CF_EINVALID, {0, 0, 0}},
        {"+026-01-01", CF_EINVALID, {0, 0, 0}},
        {"-026-01-01", CF_EINVALID, {0, 0, 0}},
        {"2026-0a-01", CF_EINVALID, {0, 0, 0}},
        {"2026-01--1", CF_EINVALID, {0, 0, 0}},
        {"", CF_EINVALID, {0, 0, 0}},
};

START_TEST(test_parse)
{
	cf_date out = mk(7, 7, 7);
	int rc = cf_date_parse(parse_cases[_i].s, strlen(parse_cases[_i].s), &out);

	ck_assert_msg(rc == parse_cases[_i].rc, "\"%s\": rc %d", parse_cases[_i].s, rc);
	if (rc == CF_OK)
		ck_assert_date(out, parse_cases[_i].want.year, parse_cases[_i].want.month,
		               parse_cases[_i].want.day);
	else
		ck_assert_date(out, 7, 7, 7);
}
END_TEST

START_TEST(test_parse_format_misc)
{
	char buf[16];
	cf_date d;

	ck_assert_int_eq(cf_date_parse("2026-04-01xyz", 10, &d), CF_OK); /* only len bytes */
	ck_assert_date(d, 2026, 4, 1);
	ck_assert_int_eq(cf_date_parse(NULL, 10, &d), CF_EINVALID);
	ck_assert_int_eq(cf_date_parse("2026-04-01", 10, NULL), CF_EINVALID);
	ck_assert_int_eq(cf_date_format(mk(2026, 4, 1), buf, sizeof buf), CF_OK);
	ck_assert_str_eq(buf, "2026-04-01");
	ck_assert_int_eq(cf_date_format(mk(5, 1, 9), buf, sizeof buf), CF_OK);
	ck_assert_str_eq(buf, "0005-01-09");
	ck_assert_int_eq(cf_date_format(mk(2026, 4, 1), buf, 11), CF_OK);
	ck_assert_int_eq(cf_date_format(mk(2026, 4, 1), buf, 10), CF_EBUFFER);
	ck_assert_int_eq(cf_date_format(mk(2026, 2, 30), buf, sizeof buf), CF_EINVALID);
	ck_assert_int_eq(cf_date_format(mk(2026, 2, 3), NULL, 11), CF_EINVALID);
}
END_TEST

/* ---- schedules ---- */

START_TEST(test_monthly_clamp_leap)
{
	/* start Jan 31 2028: Feb 29 (leap), then back to the 31st / 30th: from the start */
	static const int32_t want[13][3] = {
	        {2028, 1, 31},  {2028, 2, 29},  {2028, 3, 31}, {2028, 4, 30}, {2028, 5, 31},
	        {2028, 6, 30},  {2028, 7, 31},  {2028, 8, 31}, {2028, 9, 30}, {2028, 10, 31},
	        {2028, 11, 30}, {2028, 12, 31}, {2029, 1, 31},
	};
	for (int32_t k = 1; k <= 13; k++) {
		cf_date out;
		ck_assert_int_eq(cf_schedule_due_date(mk(2028, 1, 31), CF_FREQ_MONTHLY, k, &out),
		                 CF_OK);
		ck_assert_date(out, want[k - 1][0], want[k - 1][1], want[k - 1][2]);
	}
}
END_TEST

START_TEST(test_monthly_clamp_nonleap)
{
	cf_date out;

	ck_assert_int_eq(cf_schedule_due_date(mk(2027, 1, 31), CF_FREQ_MONTHLY, 2, &out), CF_OK);
	ck_assert_date(out, 2027, 2, 28);
	ck_assert_int_eq(cf_schedule_due_date(mk(2027, 1, 31), CF_FREQ_MONTHLY, 3, &out), CF_OK);
	ck_assert_date(out, 2027, 3, 31);
	ck_assert_int_eq(cf_schedule_due_date(mk(2027, 1, 31), CF_FREQ_MONTHLY, 4, &out), CF_OK);
	ck_assert_date(out, 2027, 4, 30);
	/* a 30th start crosses February and the year end */
	ck_assert_int_eq(cf_schedule_due_date(mk(2026, 11, 30), CF_FREQ_MONTHLY, 4, &out), CF_OK);
	ck_assert_date(out, 2027, 2, 28);
	ck_assert_int_eq(cf_schedule_due_date(mk(2026, 11, 30), CF_FREQ_MONTHLY, 5, &out), CF_OK);
	ck_assert_date(out, 2027, 3, 30);
	/* 29th in a non-leap February, then back */
	ck_assert_int_eq(cf_schedule_due_date(mk(2027, 1, 29), CF_FREQ_MONTHLY, 2, &out), CF_OK);
	ck_assert_date(out, 2027, 2, 28);
	ck_assert_int_eq(cf_schedule_due_date(mk(2027, 1, 29), CF_FREQ_MONTHLY, 3, &out), CF_OK);
	ck_assert_date(out, 2027, 3, 29);
	/* ordinary day: 20 installments from 2026-01-10 end 2027-08-10 */
	ck_assert_int_eq(cf_schedule_due_date(mk(2026, 1, 10), CF_FREQ_MONTHLY, 20, &out), CF_OK);
	ck_assert_date(out, 2027, 8, 10);
	ck_assert_int_eq(cf_schedule_due_date(mk(2026, 1, 10), CF_FREQ_MONTHLY, 1, &out), CF_OK);
	ck_assert_date(out, 2026, 1, 10);
	/* 60 installments (5 years) */
	ck_assert_int_eq(cf_schedule_due_date(mk(2024, 2, 29), CF_FREQ_MONTHLY, 61, &out), CF_OK);
	ck_assert_date(out, 2029, 2, 28);
	ck_assert_int_eq(cf_schedule_due_date(mk(2024, 2, 29), CF_FREQ_MONTHLY, 49, &out), CF_OK);
	ck_assert_date(out, 2028, 2, 29);
}
END_TEST

START_TEST(test_other_frequencies)
{
	cf_date out;

	ck_assert_int_eq(cf_schedule_due_date(mk(2026, 1, 1), CF_FREQ_FORTNIGHTLY, 1, &out), CF_OK);
	ck_assert_date(out, 2026, 1, 1);
	ck_assert_int_eq(cf_schedule_due_date(mk(2026, 1, 1), CF_FREQ_FORTNIGHTLY, 2, &out), CF_OK);
	ck_assert_date(out, 2026, 1, 15);
	ck_assert_int_eq(cf_schedule_due_date(mk(2026, 1, 1), CF_FREQ_FORTNIGHTLY, 5, &out), CF_OK);
	ck_assert_date(out, 2026, 2, 26);
	ck_assert_int_eq(cf_schedule_due_date(mk(2026, 1, 1), CF_FREQ_WEEKLY, 9, &out), CF_OK);
	ck_assert_date(out, 2026, 2, 26);
	ck_assert_int_eq(cf_schedule_due_date(mk(2028, 2, 26), CF_FREQ_WEEKLY, 2, &out), CF_OK);
	ck_assert_date(out, 2028, 3, 4);
	ck_assert_int_eq(cf_schedule_due_date(mk(2028, 2, 28), CF_FREQ_DAILY, 2, &out), CF_OK);
	ck_assert_date(out, 2028, 2, 29);
	ck_assert_int_eq(cf_schedule_due_date(mk(2026, 1, 1), CF_FREQ_DAILY, 1826, &out), CF_OK);
	ck_assert_date(out, 2030, 12, 31);
}
END_TEST

START_TEST(test_schedule_errors)
{
	cf_date out = mk(1, 2, 3);

	ck_assert_int_eq(cf_schedule_due_date(mk(2026, 1, 1), CF_FREQ_MONTHLY, 0, &out),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_schedule_due_date(mk(2026, 1, 1), CF_FREQ_DAILY, -3, &out),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_schedule_due_date(mk(2026, 2, 30), CF_FREQ_MONTHLY, 1, &out),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_schedule_due_date(mk(2026, 1, 1), (cf_frequency)9, 1, &out),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_schedule_due_date(mk(2026, 1, 1), CF_FREQ_MONTHLY, 1, NULL),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_schedule_due_date(mk(9999, 12, 1), CF_FREQ_MONTHLY, 2, &out),
	                 CF_EOVERFLOW);
	ck_assert_int_eq(cf_schedule_due_date(mk(9999, 12, 31), CF_FREQ_DAILY, 2, &out),
	                 CF_EOVERFLOW);
	ck_assert_int_eq(cf_schedule_due_date(mk(2026, 1, 1), CF_FREQ_MONTHLY, INT32_MAX, &out),
	                 CF_EOVERFLOW);
	ck_assert_int_eq(cf_schedule_due_date(mk(2026, 1, 1), CF_FREQ_FORTNIGHTLY, INT32_MAX, &out),
	                 CF_EOVERFLOW);
	ck_assert_date(out, 1, 2, 3); /* untouched */
	ck_assert_int_eq(cf_schedule_due_date(mk(9999, 12, 1), CF_FREQ_MONTHLY, 1, &out), CF_OK);
	ck_assert_date(out, 9999, 12, 1);
}
END_TEST

/* ---- financial years ---- */

START_TEST(test_financial_year)
{
	char buf[16];

	ck_assert_int_eq(cf_financial_year(mk(2026, 3, 31)), 2025);
	ck_assert_int_eq(cf_financial_year(mk(2026, 4, 1)), 2026);
	ck_assert_int_eq(cf_financial_year(mk(2027, 3, 31)), 2026);
	ck_assert_int_eq(cf_financial_year(mk(2026, 12, 31)), 2026);
	ck_assert_int_eq(cf_financial_year(mk(2027, 1, 1)), 2026);
	ck_assert_int_eq(cf_financial_year_format(2026, buf, sizeof buf), CF_OK);
	ck_assert_str_eq(buf, "2026-27");
	ck_assert_int_eq(cf_financial_year_format(1999, buf, sizeof buf), CF_OK);
	ck_assert_str_eq(buf, "1999-00");
	ck_assert_int_eq(cf_financial_year_format(2009, buf, sizeof buf), CF_OK);
	ck_assert_str_eq(buf, "2009-10");
	ck_assert_int_eq(cf_financial_year_format(2099, buf, 8), CF_OK);
	ck_assert_str_eq(buf, "2099-00");
	ck_assert_int_eq(cf_financial_year_format(2026, buf, 7), CF_EBUFFER);
	ck_assert_int_eq(cf_financial_year_format(-1, buf, sizeof buf), CF_EINVALID);
	ck_assert_int_eq(cf_financial_year_format(10000, buf, sizeof buf), CF_EINVALID);
	ck_assert_int_eq(cf_financial_year_format(2026, NULL, 8), CF_EINVALID);
}
END_TEST

static Suite *date_suite(void)
{
	Suite *s = suite_create("date");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_leap, 0, (int)(sizeof leap_cases / sizeof leap_cases[0]));
	tcase_add_test(tc, test_days_in_month);
	tcase_add_loop_test(tc, test_valid, 0, (int)(sizeof valid_cases / sizeof valid_cases[0]));
	tcase_add_loop_test(tc, test_to_from_days, 0,
	                    (int)(sizeof day_cases / sizeof day_cases[0]));
	tcase_add_test(tc, test_days_exhaustive);
	tcase_add_test(tc, test_out_of_range_days);
	tcase_add_test(tc, test_diff_add_cmp);
	tcase_add_test(tc, test_days_property);
	tcase_add_loop_test(tc, test_ist, 0, (int)(sizeof ist_cases / sizeof ist_cases[0]));
	tcase_add_test(tc, test_ist_extremes);
	tcase_add_loop_test(tc, test_parse, 0, (int)(sizeof parse_cases / sizeof parse_cases[0]));
	tcase_add_test(tc, test_parse_format_misc);
	tcase_add_test(tc, test_monthly_clamp_leap);
	tcase_add_test(tc, test_monthly_clamp_nonleap);
	tcase_add_test(tc, test_other_frequencies);
	tcase_add_test(tc, test_schedule_errors);
	tcase_add_test(tc, test_financial_year);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(date_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
