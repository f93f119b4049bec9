/*
 * date.c - proleptic Gregorian calendar arithmetic, IST business dates,
 * installment schedules and Indian financial years.
 *
 * Day numbers follow the well-known approach described by Howard Hinnant
 * ("chrono-compatible low-level date algorithms"): treat the year as
 * starting on 1 March so that the leap day is the last day of the year,
 * and count whole 400-year cycles (146097 days each) separately from the
 * position inside a cycle.
 */
#include "chitfund/domain/date.h"

#include <stdbool.h>
#include <stdint.h>

/* 0001-01-01 and 9999-12-31 as days since 1970-01-01 */
#define DAYS_MIN      (-719162)
#define DAYS_MAX      2932896
#define MS_PER_DAY    INT64_C(86400000)
#define IST_OFFSET_MS INT64_C(19800000) /* +05:30 */

bool cf_date_is_leap(int32_t year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int32_t cf_date_days_in_month(int32_t year, int32_t month)
{
	static const int32_t len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && cf_date_is_leap(year))
		return 29;
	return len[month - 1];
}

bool cf_date_valid(cf_date d)
{
	return d.year >= 1 && d.year <= 9999 && d.day >= 1 &&
	       d.day <= cf_date_days_in_month(d.year, d.month);
}

/* floor(a / b) for b > 0 */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if (a % b != 0 && a < 0)
		q--;
	return q;
}

int64_t cf_date_to_days(cf_date d)
{
	/* shift to a March-based year: Jan and Feb belong to the previous one */
	int64_t y = (int64_t)d.year - (d.month <= 2 ? 1 : 0);
	int64_t cycle = floor_div(y, 400);
	int64_t year_in_cycle = y - cycle * 400; /* 0..399 */
	/* month index with March = 0 ... February = 11 */
	int64_t mi = d.month > 2 ? d.month - 3 : d.month + 9;
	/* days before that month within the March-based year (153 days per 5 months) */
	int64_t day_in_year = (153 * mi + 2) / 5 + d.day - 1;
	int64_t day_in_cycle =
	        year_in_cycle * 365 + year_in_cycle / 4 - year_in_cycle / 100 + day_in_year;
	/* 719468 days separate 0000-03-01 from 1970-01-01 */
	return cycle * 146097 + day_in_cycle - 719468;
}

cf_date cf_date_from_days(int64_t days)
{
	cf_date out = {0, 0, 0};
	int64_t z, cycle, day_in_cycle, year_in_cycle, day_in_year, mi;

	if (days < DAYS_MIN || days > DAYS_MAX)
		return out; /* outside 0001..9999: an invalid date */
	z = days + 719468;  /* days since 0000-03-01 */
	cycle = floor_div(z, 146097);
	day_in_cycle = z - cycle * 146097; /* 0..146096 */
	/* remove the leap days so far in the cycle, then whole years of 365 */
	year_in_cycle = (day_in_cycle - day_in_cycle / 1460 + day_in_cycle / 36524 -
	                 day_in_cycle / 146096) /
	                365;
	day_in_year =
	        day_in_cycle - (365 * year_in_cycle + year_in_cycle / 4 - year_in_cycle / 100);
	mi = (5 * day_in_year + 2) / 153; /* March = 0 */
	out.day = (int32_t)(day_in_year - (153 * mi + 2) / 5 + 1);
	out.month = (int32_t)(mi < 10 ? mi + 3 : mi - 9);
	out.year = (int32_t)(cycle * 400 + year_in_cycle + (out.month <= 2 ? 1 : 0));
	return out;
}

int64_t cf_date_diff(cf_date a, cf_date b)
{
	return cf_date_to_days(b) - cf_date_to_days(a);
}

cf_date cf_date_add_days(cf_date d, int64_t n)
{
	int64_t days;
	cf_date bad = {0, 0, 0};

	if (__builtin_add_overflow(cf_date_to_days(d), n, &days))
		return bad;
	return cf_date_from_days(days);
}

int cf_date_cmp(cf_date a, cf_date b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	if (a.month != b.month)
		return a.month < b.month ? -1 : 1;
	if (a.day != b.day)
		return a.day < b.day ? -1 : 1;
	return 0;
}

cf_date cf_date_from_unix_ms_ist(int64_t unix_ms)
{
	/* split first so that adding the offset can never overflow */
	int64_t days = floor_div(unix_ms, MS_PER_DAY);
	int64_t ms_of_day = unix_ms % MS_PER_DAY;

	if (ms_of_day < 0)
		ms_of_day += MS_PER_DAY; /* now 0..86399999, matching the floored days */

	if (ms_of_day + IST_OFFSET_MS >= MS_PER_DAY)
		days++;
	return cf_date_from_days(days);
}

static int digits(const char *s, size_t n, int32_t *out)
{
	int32_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return CF_EINVALID;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return CF_OK;
}

int cf_date_parse(const char *s, size_t len, cf_date *out)
{
	cf_date d;

	if (s == NULL || out == NULL || len != 10 || s[4] != '-' || s[7] != '-')
		return CF_EINVALID;
	if (digits(s, 4, &d.year) != CF_OK || digits(s + 5, 2, &d.month) != CF_OK ||
	    digits(s + 8, 2, &d.day) != CF_OK || !cf_date_valid(d))
		return CF_EINVALID;
	*out = d;
	return CF_OK;
}

static void put_digits(char *p, int32_t v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

int cf_date_format(cf_date d, char *buf, size_t cap)
{
	if (buf == NULL || !cf_date_valid(d))
		return CF_EINVALID;
	if (cap < 11)
		return CF_EBUFFER;
	put_digits(buf, d.year, 4);
	buf[4] = '-';
	put_digits(buf + 5, d.month, 2);
	buf[7] = '-';
	put_digits(buf + 8, d.day, 2);
	buf[10] = '\0';
	return CF_OK;
}

int cf_schedule_due_date(cf_date start, cf_frequency f, int32_t k, cf_date *out)
{
	int64_t step, days;
	cf_date d;

	if (out == NULL || k < 1 || !cf_date_valid(start))
		return CF_EINVALID;
	switch (f) {
	case CF_FREQ_MONTHLY: {
		/* always from the start, so a clamped Feb 28 does not drag later months */
		int64_t months = (int64_t)start.month - 1 + (int64_t)(k - 1);
		int64_t year = start.year + months / 12;
		int32_t dim;
		if (year > 9999)
			return CF_EOVERFLOW;
		d.year = (int32_t)year;
		d.month = (int32_t)(months % 12) + 1;
		dim = cf_date_days_in_month(d.year, d.month);
		d.day = start.day < dim ? start.day : dim;
		*out = d;
		return CF_OK;
	}
	case CF_FREQ_FORTNIGHTLY: step = 14; break;
	case CF_FREQ_WEEKLY: step = 7; break;
	case CF_FREQ_DAILY: step = 1; break;
	default: return CF_EINVALID;
	}
	days = cf_date_to_days(start) + step * (int64_t)(k - 1);
	if (days > DAYS_MAX)
		return CF_EOVERFLOW;
	*out = cf_date_from_days(days);
	return CF_OK;
}

int32_t cf_financial_year(cf_date d)
{
	return d.month >= 4 ? d.year : d.year - 1;
}

int cf_financial_year_format(int32_t fy_start, char *buf, size_t cap)
{
	if (buf == NULL || fy_start < 0 || fy_start > 9999)
		return CF_EINVALID;
	if (cap < 8)
		return CF_EBUFFER;
	put_digits(buf, fy_start, 4);
	buf[4] = '-';
	put_digits(buf + 5, (fy_start + 1) % 100, 2);
	buf[7] = '\0';
	return CF_OK;
}
