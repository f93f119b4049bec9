/*
 * chitfund/domain/date.h - proleptic Gregorian civil dates and schedules.
 *
 * Dates are plain (year, month, day) triples with no time zone; the
 * business date is the date in IST (UTC+05:30), which the caller derives
 * with cf_date_from_unix_ist.
 */
#ifndef CHITFUND_DOMAIN_DATE_H
#define CHITFUND_DOMAIN_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/domain/errcode.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A civil date. Valid years are 1..9999. */
typedef struct cf_date {
	int32_t year;
	int32_t month; /**< 1..12 */
	int32_t day;   /**< 1..days in month */
} cf_date;

/** Installment frequency of a scheme. */
typedef enum cf_frequency {
	CF_FREQ_MONTHLY = 0,     /**< same day each month, clamped to month end */
	CF_FREQ_FORTNIGHTLY = 1, /**< every 14 days */
	CF_FREQ_WEEKLY = 2,      /**< every 7 days */
	CF_FREQ_DAILY = 3        /**< every day */
} cf_frequency;

/** True when `year` is a Gregorian leap year. */
bool cf_date_is_leap(int32_t year);
/** Days in the month (28..31); 0 for an invalid month. */
int32_t cf_date_days_in_month(int32_t year, int32_t month);
/** True when d is a real calendar date within years 1..9999. */
bool cf_date_valid(cf_date d);
/** Days since 1970-01-01 (negative before). d must be valid. */
int64_t cf_date_to_days(cf_date d);
/**
 * Inverse of cf_date_to_days. Days outside 0001-01-01..9999-12-31 give the
 * invalid date {0, 0, 0} (check with cf_date_valid).
 */
cf_date cf_date_from_days(int64_t days);
/** b - a in days. */
int64_t cf_date_diff(cf_date a, cf_date b);
/** d plus n days (n may be negative); {0, 0, 0} when outside years 1..9999. */
cf_date cf_date_add_days(cf_date d, int64_t n);
/** -1, 0, 1 ordering. */
int cf_date_cmp(cf_date a, cf_date b);
/**
 * The IST (UTC+05:30) calendar date of a Unix time in milliseconds (floor
 * semantics before 1970); {0, 0, 0} when outside years 1..9999.
 */
cf_date cf_date_from_unix_ms_ist(int64_t unix_ms);
/** Parse "YYYY-MM-DD" (exactly 10 bytes of `len`). CF_EINVALID otherwise. */
int cf_date_parse(const char *s, size_t len, cf_date *out);
/** Format as "YYYY-MM-DD" into buf (cap >= 11, else CF_EBUFFER). */
int cf_date_format(cf_date d, char *buf, size_t cap);

/**
 * Due date of installment `k` (1-based) for a schedule starting at `start`
 * (installment 1) with frequency `f`. Monthly schedules keep the start's day
 * of month, clamped to the month's last day (Jan 31 -> Feb 28/29 -> Mar 31).
 * CF_EINVALID for k < 1 or an invalid start, CF_EOVERFLOW past year 9999.
 */
int cf_schedule_due_date(cf_date start, cf_frequency f, int32_t k, cf_date *out);

/**
 * The Indian financial year (April to March) holding d, as its starting
 * calendar year: 2026-04-01 and 2027-03-31 both give 2026.
 */
int32_t cf_financial_year(cf_date d);
/**
 * Format a financial year as "2026-27" (1999 gives "1999-00") into buf
 * (cap >= 8, else CF_EBUFFER). CF_EINVALID outside 0..9999.
 */
int cf_financial_year_format(int32_t fy_start, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
