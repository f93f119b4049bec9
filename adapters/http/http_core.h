/*
 * http_core.h - the per-request context of the HTTP frontend and the
 * helpers every handler uses: reading a bounded JSON body, sending JSON,
 * and turning a cf_error into an RFC 9457 problem+json response.
 *
 * A cf_http_req lives on the worker thread's stack for one request; nothing
 * in it outlives the handler call. Handlers send exactly one response and
 * return its status.
 */
#ifndef CF_HTTP_CORE_H
#define CF_HTTP_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <civetweb.h>
#include <cjson/cJSON.h>

#include "chitfund/errors.h"
#include "chitfund/types.h"
#include "http_json.h"
#include "router.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest request body accepted (413 above). */
#define CF_HTTP_MAX_BODY (64 * 1024)
/** Longest X-Request-Id accepted from a client. */
#define CF_HTTP_REQUEST_ID_MAX 128
/** Base of every problem type URI. */
#define CF_HTTP_PROBLEM_BASE "https://chitfund.dev/problems/"

/** Role bits used in route tables (see api.md's role table). */
enum {
	CF_HTTP_ROLE_ADMIN = 1u << 0,
	CF_HTTP_ROLE_FOREMAN = 1u << 1,
	CF_HTTP_ROLE_AGENT = 1u << 2,
	CF_HTTP_ROLE_AUDITOR = 1u << 3,
	CF_HTTP_ROLE_SUBSCRIBER = 1u << 4,
	CF_HTTP_ROLE_ANY = 0x1fu /**< any authenticated user */
};

struct cf_http_server;

/** One request being served (stack storage of the worker thread). */
struct cf_http_req {
	struct mg_connection *conn;
	const struct mg_request_info *ri;
	struct cf_http_server *srv; /**< the frontend (its app, config, metrics) */
	const cf_http_route *route; /**< NULL until routed */
	cf_http_params params;      /**< path parameters of the route */
	char request_id[CF_HTTP_REQUEST_ID_MAX + 1];
	char client_addr[48];    /**< peer, or X-Forwarded-For from a trusted proxy */
	struct timespec started; /**< CLOCK_MONOTONIC at arrival */
	int status;              /**< status sent (0 = none yet) */
	size_t bytes_out;        /**< body bytes sent */
	int retry_after;         /**< seconds for Retry-After on 429/503 (0: default) */
	cf_actor actor;          /**< anonymous, or filled by authentication */
	/* request body (owned; freed by the dispatcher) */
	char *body;
	size_t body_len;
	cf_http_field_errors errs; /**< field errors for a 422 */
};

/** Status for a cf_error: the slug decides first, then the code (see http_core.c). */
int cf_http_status_for(const cf_error *err);

/** Title of a problem slug ("Validation error"); falls back to the status text. */
const char *cf_http_problem_title(const char *slug, int status);

/**
 * Send `len` bytes of `body` with `status` and `content_type` (NULL body
 * sends no body). `headers` is NULL or a NULL-terminated list of name,
 * value pairs. Adds X-Request-Id and Content-Length. Returns status.
 */
int cf_http_send(cf_http_req *r, int status, const char *content_type, const char *body, size_t len,
                 const char *const *headers);

/** Send a JSON value (printed compactly) and delete it. 500 when j is NULL. */
int cf_http_send_json_take(cf_http_req *r, int status, cJSON *j, const char *const *headers);

/**
 * Send an RFC 9457 problem: type CF_HTTP_PROBLEM_BASE slug, title, status,
 * detail, and errors[] from r->errs when it has entries. Adds
 * WWW-Authenticate: Bearer on 401 and Retry-After on 429/503. Returns status.
 */
int cf_http_send_problem(cf_http_req *r, int status, const char *slug, const char *detail,
                         const char *const *headers);

/**
 * Send the problem for a failed call. CF_ERROR and other internal codes
 * become a generic 500 (the detail is logged, never sent). When the error
 * names a field and r->errs is empty, errors[] gets that one entry.
 */
int cf_http_fail(cf_http_req *r, const cf_error *err);

/**
 * Read the request body (looping mg_read, at most CF_HTTP_MAX_BODY bytes)
 * into r->body. CF_OK, or err filled: payload-too-large (413).
 */
int cf_http_read_body(cf_http_req *r, cf_error *err);

/**
 * Read and parse a JSON object body. With `optional`, an empty body with no
 * Content-Type yields *out = NULL and CF_OK. Errors: unsupported-media-type
 * (415) when the Content-Type is not application/json, payload-too-large,
 * malformed-json, validation-error (with r->errs). Caller deletes *out.
 */
int cf_http_json_body(cf_http_req *r, bool optional, cJSON **out, cf_error *err);

/** A request header or NULL (case-insensitive name). */
const char *cf_http_header(const cf_http_req *r, const char *name);

/**
 * Copy the value of query parameter `name` (URL-decoded) into buf. Returns
 * 1 when present, 0 when absent, -1 when it does not fit or decodes to a
 * NUL byte (%00).
 */
int cf_http_query(const cf_http_req *r, const char *name, char *buf, size_t size);

/** True when s is acceptable as a client-sent request id (1..128 printable ASCII). */
bool cf_http_request_id_valid(const char *s);

/** Fill buf (>= 37 bytes) with a new random UUID v4 string. */
void cf_http_new_request_id(char *buf, size_t size);

/**
 * Copy a query string into buf with the value of every access_token
 * parameter replaced by "REDACTED" (for logs).
 */
void cf_http_scrub_query(const char *query, char *buf, size_t size);

/** Milliseconds since the request arrived. */
double cf_http_elapsed_ms(const cf_http_req *r);

#ifdef __cplusplus
}
#endif
#endif
