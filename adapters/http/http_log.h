/*
 * http_log.h - JSON-lines logging for the HTTP frontend (stderr).
 *
 * One object per line: time (RFC 3339 UTC), level, msg and the given
 * fields. Never pass a token, password, request body or an unmasked
 * identity number.
 */
#ifndef CF_HTTP_LOG_H
#define CF_HTTP_LOG_H

#include <cjson/cJSON.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Write one log line: `fields` (may be NULL) is a JSON object whose members
 * are added after time, level and msg; it is deleted. Thread-safe (one
 * write(2) per line).
 */
void cf_http_log(const char *level, const char *msg, cJSON *fields);

/** Turn access logging off (1) or on (0); errors are always logged. */
void cf_http_log_set_quiet(int quiet);

#ifdef __cplusplus
}
#endif
#endif
