/*
 * router.h - method + path-pattern routing for the HTTP frontend.
 *
 * civetweb 1.15 has no mg_match, so the frontend registers one catch-all
 * handler and resolves routes here. A pattern is a literal path whose
 * segments may be `{name}` (one non-empty segment) or, as the last segment
 * only, `{name*}` (the rest of the path, slashes included). When several
 * patterns match a path, the one with the most literal segments wins (so
 * `/users/me` beats `/users/{id}`). A path that matches no pattern is "no
 * path" (404); a path that matches but not for this method is "no method"
 * (405, with the Allow list filled in).
 */
#ifndef CF_HTTP_ROUTER_H
#define CF_HTTP_ROUTER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most path parameters one pattern may have. */
#define CF_HTTP_MAX_PARAMS 4
/** Longest path parameter value, NUL included; longer values do not match. */
#define CF_HTTP_PARAM_MAX 256

typedef struct cf_http_req cf_http_req;

/** A route handler: sends exactly one response and returns its HTTP status. */
typedef int (*cf_http_handler)(cf_http_req *req);

/** One entry of a route table (static storage; the router never copies it). */
typedef struct cf_http_route {
	const char *method;      /**< "GET", "POST", "PATCH", "DELETE" */
	const char *pattern;     /**< "/api/v1/schemes/{id}" */
	cf_http_handler handler; /**< called with req->params filled */
	unsigned roles;          /**< allowed roles (CF_HTTP_ROLE_*), 0 = no token needed */
} cf_http_route;

/** Path parameters captured by a match, in pattern order. */
typedef struct cf_http_params {
	int n;                                             /**< how many were captured */
	char value[CF_HTTP_MAX_PARAMS][CF_HTTP_PARAM_MAX]; /**< NUL-terminated copies */
} cf_http_params;

/** Outcome of cf_http_route_find. */
typedef enum cf_http_match {
	CF_HTTP_MATCH_FOUND = 0,    /**< *out and params are set */
	CF_HTTP_MATCH_NO_PATH = 1,  /**< no pattern matches the path: 404 */
	CF_HTTP_MATCH_NO_METHOD = 2 /**< the path exists for other methods: 405 */
} cf_http_match;

/**
 * Resolve `method` + `path` (no query string) against `routes[0..n)`.
 * On FOUND sets *out and fills *params. On NO_METHOD writes the allowed
 * methods ("GET, PATCH") into allow (truncated to allow_size; may be NULL).
 */
cf_http_match cf_http_route_find(const cf_http_route *routes, size_t n, const char *method,
                                 const char *path, const cf_http_route **out,
                                 cf_http_params *params, char *allow, size_t allow_size);

/**
 * True when `path` matches `pattern` (ignoring methods); fills *params when
 * not NULL. Returns the number of literal segments + 1 on a match (a
 * specificity score), 0 otherwise.
 */
int cf_http_pattern_match(const char *pattern, const char *path, cf_http_params *params);

#ifdef __cplusplus
}
#endif
#endif
