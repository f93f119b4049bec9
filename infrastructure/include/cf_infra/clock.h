/*
 * cf_infra/clock.h - system time and RFC 3339 instants.
 *
 * RFC 3339 parsing accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)"
 * ('t' and 'z' in either case); an offset is converted to UTC. Fractions past
 * milliseconds are truncated; leap seconds (":60") and years outside
 * 1970..9999 are refused. Formatting always writes UTC with a 'Z'.
 * Instants are Unix milliseconds (int64).
 */
#ifndef CF_INFRA_CLOCK_H
#define CF_INFRA_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Size of a formatted instant with milliseconds: "2026-04-01T10:00:00.000Z" + NUL. */
#define CF_RFC3339_SIZE 25

/** Wall-clock time, Unix milliseconds (clock_gettime CLOCK_REALTIME). */
int64_t cf_time_wall_ms(void);

/** Monotonic milliseconds since an arbitrary point (CLOCK_MONOTONIC); for durations. */
int64_t cf_time_mono_ms(void);

/** Sleep about ms milliseconds (nanosleep, restarted on EINTR). ms <= 0 returns at once. */
void cf_time_sleep_ms(int64_t ms);

/**
 * A clock that reads `start_ms` at the moment it was initialised and runs on
 * at the monotonic rate from there (CHITFUND_TEST_NOW). Plain value; no
 * resources; safe to read from any thread.
 */
typedef struct cf_offset_clock {
	int64_t start_ms;      /**< the instant the clock started at */
	int64_t mono_start_ms; /**< cf_time_mono_ms() when it started */
} cf_offset_clock;

/** Start *c at the instant start_ms (Unix ms). */
void cf_offset_clock_init(cf_offset_clock *c, int64_t start_ms);

/** Current time of *c in Unix ms: start_ms + monotonic time elapsed since init. */
int64_t cf_offset_clock_now_ms(const cf_offset_clock *c);

/**
 * Parse an RFC 3339 date-time (see the file comment) into Unix ms.
 * CF_OK, or CF_EINVALID for anything else (including trailing characters).
 */
int cf_rfc3339_parse(const char *text, int64_t *out_ms);

/**
 * Format Unix ms as "YYYY-MM-DDTHH:MM:SS.mmmZ" (with_ms != 0) or
 * "YYYY-MM-DDTHH:MM:SSZ" into out. CF_EBUFFER (needs CF_RFC3339_SIZE),
 * CF_EINVALID for instants outside years 1970..9999.
 */
int cf_rfc3339_format(int64_t ms, int with_ms, char *out, size_t cap);

/** Days since 1970-01-01 of a proleptic Gregorian date (no validation). */
int64_t cf_days_from_civil(int64_t y, unsigned m, unsigned d);

#ifdef __cplusplus
}
#endif
#endif
