/*
 * http_metrics.h - request counters and a latency histogram, rendered in
 * the Prometheus text exposition format at GET /metrics.
 *
 * Counters are per route (the pattern, not the concrete path, so the label
 * set stays bounded) and status; updates are lock-free atomics.
 */
#ifndef CF_HTTP_METRICS_H
#define CF_HTTP_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "router.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Statuses counted individually; anything else counts as its class (2xx ...). */
#define CF_HTTP_METRIC_STATUSES 20
/** Latency histogram buckets (upper bounds in seconds, plus +Inf). */
#define CF_HTTP_METRIC_BUCKETS 14

/** Pool gauges reported by the server's composition root (may be absent). */
typedef struct cf_http_pool_stats {
	int size;                        /**< connections in the pool */
	int in_use;                      /**< checked out right now */
	int waiting;                     /**< callers waiting for a connection */
	bool cache;                      /**< a read cache runs (the fields below are filled) */
	bool cache_enabled;              /**< serving now (off while its LISTEN is down) */
	unsigned long long cache_hits;   /**< lookups answered from memory */
	unsigned long long cache_misses; /**< lookups that went to the database */
	unsigned long long cache_invalidated; /**< rows dropped because they changed */
} cf_http_pool_stats;

/** Callback filling pool gauges; returns 0 when it filled *out. */
typedef int (*cf_http_pool_stats_fn)(void *ud, cf_http_pool_stats *out);

typedef struct cf_http_metrics cf_http_metrics;

/**
 * Create metrics for a route table of n routes (borrowed; must outlive the
 * metrics). NULL when out of memory. Free with cf_http_metrics_free.
 */
cf_http_metrics *cf_http_metrics_new(const cf_http_route *routes, size_t n);
/** Free (NULL is fine). */
void cf_http_metrics_free(cf_http_metrics *m);
/** Count one request: route may be NULL (unrouted), seconds its latency. */
void cf_http_metrics_observe(cf_http_metrics *m, const cf_http_route *route, int status,
                             double seconds);
/**
 * Render the exposition text into a malloc'd NUL-terminated string
 * (caller frees), including pool gauges when fn is given. NULL on OOM.
 */
char *cf_http_metrics_render(cf_http_metrics *m, cf_http_pool_stats_fn fn, void *ud);

#ifdef __cplusplus
}
#endif
#endif
