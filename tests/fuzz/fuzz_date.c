/*
 * fuzz_date.c - libFuzzer harness for cf_date_parse / cf_date_format and
 * cf_schedule_due_date.
 *
 * Properties: parse accepts only valid dates and then formats back to the
 * exact input text; cf_schedule_due_date with any start, frequency value
 * and k never hits UB and returns either a valid date on or after the
 * start (with the monthly day-of-month rule) or an error code.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/domain/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_date: %s\n", what);
	abort();
}

static int32_t rd32(const uint8_t *p)
{
	return (int32_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
}

static void check_schedule(cf_date start, int32_t f, int32_t k)
{
	cf_date out = {-1, -1, -1};
	int rc = cf_schedule_due_date(start, (cf_frequency)f, k, &out);

	if (rc == CF_OK) {
		if (!cf_date_valid(start) || k < 1 || f < 0 || f > 3)
			fail("due date computed from invalid input");
		if (!cf_date_valid(out))
			fail("due date is not a valid date");
		if (cf_date_cmp(out, start) < 0)
			fail("due date before the start");
		if (k == 1 && cf_date_cmp(out, start) != 0)
			fail("installment 1 is not the start");
		if (f == CF_FREQ_MONTHLY) {
			int32_t dim = cf_date_days_in_month(out.year, out.month);
			int32_t want = start.day < dim ? start.day : dim;
			int64_t months =
			        (int64_t)(out.year - start.year) * 12 + out.month - start.month;
			if (out.day != want || months != (int64_t)k - 1)
				fail("monthly due date breaks the day-of-month rule");
		} else {
			int64_t step = f == CF_FREQ_FORTNIGHTLY ? 14 : f == CF_FREQ_WEEKLY ? 7 : 1;
			if (cf_date_diff(start, out) != step * ((int64_t)k - 1))
				fail("periodic due date at the wrong distance");
		}
	} else if (rc != CF_EINVALID && rc != CF_EOVERFLOW) {
		fail("schedule returned an unexpected code");
	} else if (rc == CF_EOVERFLOW && (!cf_date_valid(start) || k < 1)) {
		fail("invalid input reported as overflow");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cf_date d = {0, 0, 0};
	char *s = malloc(size ? size : 1);
	int rc;

	if (!s)
		return 0;
	memcpy(s, data, size);
	rc = cf_date_parse(s, size, &d);
	if (rc == CF_OK) {
		char buf[11];
		if (size != 10 || !cf_date_valid(d))
			fail("parse accepted a bad date");
		if (cf_date_format(d, buf, sizeof buf) != CF_OK || memcmp(buf, s, 10) != 0)
			fail("format(parse(text)) != text");
		if (cf_date_cmp(cf_date_from_days(cf_date_to_days(d)), d) != 0)
			fail("days round trip");
	} else if (rc != CF_EINVALID) {
		fail("parse returned an unexpected code");
	}
	free(s);

	/* schedule: 3 x int32 start, int32 frequency, int32 k from the bytes */
	if (size >= 20) {
		cf_date start = {rd32(data), rd32(data + 4), rd32(data + 8)};
		check_schedule(start, rd32(data + 12), rd32(data + 16));
		/* and the same with a clamped, mostly valid start */
		cf_date st2 = {1 + (int32_t)((uint32_t)start.year % 9999),
		               1 + (int32_t)((uint32_t)start.month % 12),
		               1 + (int32_t)((uint32_t)start.day % 31)};
		check_schedule(st2, (int32_t)((uint32_t)rd32(data + 12) % 4), rd32(data + 16));
		/* and a date formatter on an arbitrary triple: valid or refused */
		char buf[11];
		int frc = cf_date_format(start, buf, sizeof buf);
		if (frc == CF_OK && strlen(buf) != 10)
			fail("formatted date is not 10 chars");
	}
	return 0;
}
