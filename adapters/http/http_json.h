/*
 * http_json.h - strict JSON request decoding.
 *
 * Bodies are parsed with cJSON and then checked the way a careful financial
 * API does: bytes after the value make it malformed (400 malformed-json);
 * the root must be an object; duplicate keys, unknown fields, wrong types
 * and out-of-range integers are validation errors (422), each naming its
 * field.
 *
 * cJSON is lax, so the raw body is scanned first (outside strings, honouring
 * escapes) and refused as 400 malformed-json for: raw control bytes, a
 * \u0000 escape, any number token outside RFC 8259's grammar
 * (-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)? : so 01, -01.5, 1.,
 * .5, +1, 1e are malformed), and nesting deeper than CF_JSON_MAX_DEPTH
 * objects/arrays (detail "nested too deeply"; 400 because it is a limit on
 * the document's shape, not on a field).
 *
 * Integers are decided on the token text, never on the double cJSON makes:
 * a number is an integer when its exact decimal value is (policy: 1e2,
 * 100.0 and 1000e-1 are all accepted as 100, like JSON Schema's "integer";
 * 4503599627370496.5 is not an integer although its double is), and it is
 * refused when its magnitude exceeds 2^53-1, compared digit by digit.
 * valueint (which stops at 2^31-1) is never used. Number nodes of a parsed
 * tree carry that verdict in high bits of cJSON's `type` (cJSON masks
 * types with 0xFF); a tree built another way falls back to the double.
 *
 * A cf_jdec collects every field error of one object so the client gets
 * them all in one response; cf_jdec_finish turns them into a cf_error.
 */
#ifndef CF_HTTP_JSON_H
#define CF_HTTP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "chitfund/domain/date.h"
#include "chitfund/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest integer a JSON number may carry exactly: 2^53 - 1. */
#define CF_JSON_MAX_SAFE_INT INT64_C(9007199254740991)
/** Deepest nesting of objects/arrays a request body may have. */
#define CF_JSON_MAX_DEPTH 64
/** Most field errors reported in one response. */
#define CF_HTTP_MAX_FIELD_ERRORS 16
/** Most distinct fields one decoder can know. */
#define CF_JDEC_MAX_FIELDS 48

/** One entry of a problem's "errors" array. */
typedef struct cf_http_field_error {
	char field[64];
	char message[160];
} cf_http_field_error;

/** The field errors of one request (caller-owned, usually on the stack). */
typedef struct cf_http_field_errors {
	int n;         /**< entries used */
	int truncated; /**< more errors happened than fit */
	cf_http_field_error e[CF_HTTP_MAX_FIELD_ERRORS];
} cf_http_field_errors;

/** Append one field error (silently counted as truncated when full). */
void cf_http_field_errors_add(cf_http_field_errors *errs, const char *field, const char *fmt, ...)
        CF_PRINTF(3, 4);

/**
 * Parse `len` bytes of `buf` as one JSON object. Returns CF_OK and sets
 * *out (caller frees with cJSON_Delete), or fills err: slug malformed-json
 * (code CF_EINVALID) for bad syntax (number grammar included), an empty
 * body, trailing bytes or nesting deeper than CF_JSON_MAX_DEPTH;
 * validation-error (CF_EINVALID, with errs filled) for a non-object root
 * or duplicate keys at any depth (found in O(n log n) per object);
 * CF_ENOMEM when scratch memory runs out. Linear in len otherwise.
 */
int cf_http_json_parse(const char *buf, size_t len, cJSON **out, cf_http_field_errors *errs,
                       cf_error *err);

/** Field flags for the cf_jdec_* getters. */
enum {
	CF_J_OPTIONAL = 0, /**< absent is fine */
	CF_J_REQUIRED = 1, /**< absent or null is an error */
	CF_J_NULLABLE = 2  /**< null is accepted (returned as CF_J_NULL) */
};

/** Results of the cf_jdec_* getters. */
enum {
	CF_J_BAD = -1,   /**< present but invalid; a field error was recorded */
	CF_J_ABSENT = 0, /**< not in the object (an error was recorded if required) */
	CF_J_SET = 1,    /**< present and valid; *out was written */
	CF_J_NULL = 2    /**< explicitly null (only with CF_J_NULLABLE) */
};

/** Decoder state for one JSON object. */
typedef struct cf_jdec {
	const cJSON *obj;           /**< the object being read (borrowed) */
	cf_http_field_errors *errs; /**< where field errors go (borrowed) */
	const char *known[CF_JDEC_MAX_FIELDS];
	int nknown;
} cf_jdec;

/** Start decoding `obj` (NULL decodes as an empty object). */
void cf_jdec_init(cf_jdec *d, const cJSON *obj, cf_http_field_errors *errs);

/**
 * A string of min..max Unicode characters (valid UTF-8, no control
 * characters). *out borrows the cJSON tree's storage.
 */
int cf_jdec_string(cf_jdec *d, const char *name, size_t min, size_t max, unsigned flags,
                   const char **out);
/**
 * An integer within [min, max] (both inside +-(2^53-1)): its token's exact
 * value must be integral (1e2 is 100; 1.5 and 4503599627370496.5 are "must
 * be an integer") and within +-(2^53-1) ("must be an integer between ...").
 */
int cf_jdec_int64(cf_jdec *d, const char *name, int64_t min, int64_t max, unsigned flags,
                  int64_t *out);
/** true or false. */
int cf_jdec_bool(cf_jdec *d, const char *name, unsigned flags, bool *out);
/** A "YYYY-MM-DD" calendar date. */
int cf_jdec_date(cf_jdec *d, const char *name, unsigned flags, cf_date *out);
/** One of the NULL-terminated `names`; *out is its index. */
int cf_jdec_enum(cf_jdec *d, const char *name, const char *const *names, unsigned flags, int *out);
/** A canonical lower- or upper-case UUID string (36 chars). */
int cf_jdec_uuid(cf_jdec *d, const char *name, unsigned flags, const char **out);
/** Any JSON value (mark the field known and return it, or NULL when absent). */
const cJSON *cf_jdec_raw(cf_jdec *d, const char *name);

/**
 * Record every member of the object that no getter asked for as "unknown
 * field". Then, when any field error exists, fill err (CF_EINVALID,
 * validation-error) and return CF_EINVALID; else CF_OK.
 */
int cf_jdec_finish(cf_jdec *d, cf_error *err);

/** True when s is a well-formed UUID (8-4-4-4-12 hex digits). */
bool cf_http_is_uuid(const char *s);
/** Characters (code points) in s when valid UTF-8 without C0 controls, else -1. */
long cf_http_utf8_chars(const char *s);

#ifdef __cplusplus
}
#endif
#endif
