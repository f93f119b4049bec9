/*
 * cf_infra/log.h - JSON-lines logger.
 *
 * One JSON object per line on stderr (or the fd set with cf_log_set_fd):
 *   {"time":"2026-04-01T10:00:00.123Z","level":"info","msg":"...","key":"value","n":42}
 * Each line is written with a single write(2) call, so lines from different
 * threads never interleave. Lines longer than CF_LOG_LINE_MAX are truncated at
 * a field boundary (a "truncated":true field marks it). Never pass secrets.
 */
#ifndef CF_INFRA_LOG_H
#define CF_INFRA_LOG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest line written, newline included. */
#define CF_LOG_LINE_MAX 8192

/** Severity, lowest first. */
typedef enum cf_log_level {
	CF_LOG_DEBUG = 0,
	CF_LOG_INFO = 1,
	CF_LOG_WARN = 2,
	CF_LOG_ERROR = 3
} cf_log_level;

/** A key/value field: a string (is_num == 0; NULL prints null) or an integer. */
typedef struct cf_log_field {
	const char *key; /**< JSON key (escaped) */
	const char *str; /**< string value when is_num == 0 */
	int64_t num;     /**< integer value when is_num != 0 */
	int is_num;      /**< which of str/num is meant */
} cf_log_field;

/** A string field, as a compound literal. */
#define CF_LOG_STR(k, v) ((cf_log_field){(k), (v), 0, 0})
/** An integer field, as a compound literal. */
#define CF_LOG_INT(k, v) ((cf_log_field){(k), NULL, (int64_t)(v), 1})

/** Lines below this level are dropped (default CF_LOG_INFO). Thread-safe. */
void cf_log_set_level(cf_log_level min);

/** Write lines to fd instead of 2 (tests); -1 restores stderr. Thread-safe. */
void cf_log_set_fd(int fd);

/** "debug", "info", "warn", "error". */
const char *cf_log_level_name(cf_log_level level);

/**
 * Parse "debug", "info", "warn"/"warning" or "error" into *out.
 * CF_OK or CF_EINVALID.
 */
int cf_log_level_parse(const char *text, cf_log_level *out);

/** Log one line with n fields (fields may be NULL when n is 0). */
void cf_log(cf_log_level level, const char *msg, const cf_log_field *fields, size_t n);

/**
 * Format one line (with its trailing newline) into out, as cf_log writes it,
 * with `time_ms` as the time. Returns the length written (always < cap;
 * truncated as described above). cap must be at least 128.
 */
size_t cf_log_format(char *out, size_t cap, int64_t time_ms, cf_log_level level, const char *msg,
                     const cf_log_field *fields, size_t n);

/**
 * JSON-escape the NUL-terminated string in (without quotes) into out:
 * '"' '\\' and control characters are escaped (\n \r \t \b \f, others \u00XX),
 * bytes >= 0x80 pass through unchanged, invalid UTF-8 is replaced by U+FFFD.
 * Returns the length the full result needs (excluding NUL); writes at most
 * cap-1 characters, never splitting an escape, and NUL-terminates when cap > 0.
 */
size_t cf_json_escape(const char *in, char *out, size_t cap);

/**
 * Copy a URL or query string to out with the value of every `access_token`
 * query parameter replaced by "REDACTED" ("/live?access_token=abc&x=1" ->
 * "/live?access_token=REDACTED&x=1"). Parameter names match exactly, case
 * insensitively. Output is truncated to cap-1 chars and NUL-terminated.
 * Returns the length written.
 */
size_t cf_log_scrub_url(const char *url, char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
