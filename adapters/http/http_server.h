/*
 * http_server.h - the civetweb frontend: start, stop, and the route table.
 *
 * cf_http_start starts civetweb (mg_start2, no document_root) with one
 * catch-all handler that routes through cf_http_route_find, so unknown
 * paths get a problem+json 404 and wrong methods a 405 with Allow. Every
 * request gets a request id (the client's X-Request-Id when valid, else a
 * new UUID), echoed in the response, and one JSON access-log line.
 */
#ifndef CF_HTTP_SERVER_H
#define CF_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "chitfund/app.h"
#include "chitfund/errors.h"
#include "http_metrics.h"
#include "router.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Readiness probe: CF_OK when the service can serve (database up, schema current). */
typedef int (*cf_http_ready_fn)(void *ud, cf_error *err);

/** Frontend configuration; strings are copied by cf_http_start. */
typedef struct cf_http_config {
	const char *listen; /**< civetweb listening_ports, "127.0.0.1:8080"; "127.0.0.1:0" = any */
	int num_threads;    /**< worker threads (one per open connection), default 256 */
	int request_timeout_ms; /**< default 30000 */
	bool keep_alive;        /**< default true */
	bool access_log;        /**< one JSON line per request (default true) */
	const char *docs_dir;   /**< Swagger UI files for /docs (NULL: /docs says how to install) */
	const char *
	        trusted_proxies; /**< comma-separated peer addresses whose X-Forwarded-For counts */
	cf_app *app;             /**< borrowed; must outlive the server */
	cf_http_ready_fn ready;  /**< NULL: always ready */
	void *ready_ud;
	cf_http_pool_stats_fn pool_stats; /**< NULL: no pool gauges */
	void *pool_ud;
	unsigned rate_limit_rps;   /**< per-client requests/s (http_ratelimit.h); 0: off */
	unsigned rate_limit_burst; /**< per-client burst (<= 10^6); 0: off (both default 0 here) */
} cf_http_config;

/** Fill *c with the defaults above (listen "127.0.0.1:8080"). */
void cf_http_config_init(cf_http_config *c);

typedef struct cf_http_server cf_http_server;

/**
 * Start serving. *out is set on success (stop with cf_http_stop). CF_ERROR
 * "listen" with civetweb's text when it cannot start (port in use ...),
 * CF_ENOMEM.
 */
int cf_http_start(cf_http_server **out, const cf_http_config *cfg, cf_error *err);

/** The first listening port (useful with port 0). */
int cf_http_port(const cf_http_server *s);

/** Stop: finish in-flight requests (mg_stop joins the workers), then free. NULL-safe. */
void cf_http_stop(cf_http_server *s);

/** The API route table (static storage) and its length. */
const cf_http_route *cf_http_routes(size_t *n);

/** The OpenAPI document served at /openapi.json (generated from docs/openapi.yaml). */
extern const char cf_http_openapi_json[];

#ifdef __cplusplus
}
#endif
#endif
