/*
 * clock.c - system clocks, an offset clock for CHITFUND_TEST_NOW, and RFC 3339
 * text without gmtime/timegm (calendar arithmetic after H. Hinnant's
 * days_from_civil / civil_from_days).
 */
#include "cf_infra/clock.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "chitfund/domain/errcode.h"

int64_t cf_time_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t cf_time_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void cf_time_sleep_ms(int64_t ms)
{
	struct timespec req, rem;
	if (ms <= 0)
		return;
	req.tv_sec = (time_t)(ms / 1000);
	req.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&req, &rem) != 0 && errno == EINTR)
		req = rem;
}

void cf_offset_clock_init(cf_offset_clock *c, int64_t start_ms)
{
	c->start_ms = start_ms;
	c->mono_start_ms = cf_time_mono_ms();
}

int64_t cf_offset_clock_now_ms(const cf_offset_clock *c)
{
	return c->start_ms + (cf_time_mono_ms() - c->mono_start_ms);
}

int64_t cf_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int cf_rfc3339_parse(const char *s, int64_t *out_ms)
{
	int y, mo, d, h, mi, sec, ms = 0, off = 0;
	const char *p;
	if (!s || !out_ms)
		return CF_EINVALID;
	/* YYYY-MM-DDTHH:MM:SS is 19 fixed characters */
	for (int i = 0; i < 19; i++)
		if (s[i] == '\0')
			return CF_EINVALID;
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
	    digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &sec))
		return CF_EINVALID;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || sec > 59)
		return CF_EINVALID;
	p = s + 19;
	if (*p == '.') {
		int n = 0;
		p++;
		while (*p >= '0' && *p <= '9') {
			if (n < 3)
				ms = ms * 10 + (*p - '0');
			n++;
			p++;
		}
		if (n == 0 || n > 9)
			return CF_EINVALID;
		for (int i = n; i < 3; i++)
			ms *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 ||
		    om > 59)
			return CF_EINVALID;
		off = (oh * 60 + om) * (*p == '+' ? 1 : -1);
		p += 6;
	} else {
		return CF_EINVALID;
	}
	if (*p != '\0')
		return CF_EINVALID;
	int64_t days = cf_days_from_civil(y, (unsigned)mo, (unsigned)d);
	int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - (int64_t)off * 60;
	*out_ms = secs * 1000 + ms;
	return CF_OK;
}

int cf_rfc3339_format(int64_t ms, int with_ms, char *out, size_t cap)
{
	int64_t y;
	unsigned m, d;
	if (!out || cap < CF_RFC3339_SIZE)
		return CF_EBUFFER;
	/* 253402300800000 = 10000-01-01T00:00:00Z */
	if (ms < 0 || ms >= 253402300800000LL)
		return CF_EINVALID;
	int64_t secs = ms / 1000, days = secs / 86400, rem = secs % 86400;
	civil_from_days(days, &y, &m, &d);
	if (with_ms)
		snprintf(out, cap, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", (int)y, m, d,
		         (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
		         (int)(ms % 1000));
	else
		snprintf(out, cap, "%04d-%02u-%02uT%02d:%02d:%02dZ", (int)y, m, d,
		         (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	return CF_OK;
}
