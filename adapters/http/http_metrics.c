/*
 * http_metrics.c - see http_metrics.h.
 */
#include "http_metrics.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int statuses[CF_HTTP_METRIC_STATUSES] = {
        200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 501, 503, 0, 0, 0, 0};
static const double bounds[CF_HTTP_METRIC_BUCKETS - 1] = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0};
#define NKNOWN 16
/* slots after the known statuses: 1xx..5xx classes */
#define CLASS_SLOT(st) (NKNOWN + ((st) / 100 >= 2 && (st) / 100 <= 5 ? (st) / 100 - 2 : 3))

struct cf_http_metrics {
	const cf_http_route *routes;
	size_t n; /* routes; slot n is "unmatched" */
	uint64_t (*count)[CF_HTTP_METRIC_STATUSES];
	uint64_t buckets[CF_HTTP_METRIC_BUCKETS];
	uint64_t sum_us;
	uint64_t total;
};

cf_http_metrics *cf_http_metrics_new(const cf_http_route *routes, size_t n)
{
	cf_http_metrics *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->count = calloc(n + 1, sizeof *m->count);
	if (!m->count) {
		free(m);
		return NULL;
	}
	m->routes = routes;
	m->n = n;
	return m;
}

void cf_http_metrics_free(cf_http_metrics *m)
{
	if (!m)
		return;
	free(m->count);
	free(m);
}

void cf_http_metrics_observe(cf_http_metrics *m, const cf_http_route *route, int status,
                             double seconds)
{
	size_t ri = m->n;
	int si = -1, b;

	if (route && route >= m->routes && route < m->routes + m->n)
		ri = (size_t)(route - m->routes);
	for (int i = 0; i < NKNOWN; i++)
		if (statuses[i] == status) {
			si = i;
			break;
		}
	if (si < 0)
		si = CLASS_SLOT(status);
	__atomic_fetch_add(&m->count[ri][si], 1, __ATOMIC_RELAXED);
	for (b = 0; b < CF_HTTP_METRIC_BUCKETS - 1; b++)
		if (seconds <= bounds[b])
			break;
	__atomic_fetch_add(&m->buckets[b], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->sum_us, (uint64_t)(seconds * 1e6), __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->total, 1, __ATOMIC_RELAXED);
}

typedef struct sbuf {
	char *p;
	size_t len, cap;
	int oom;
} sbuf;

#if defined(__GNUC__)
static void sb_printf(sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#endif
static void sb_printf(sbuf *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(s->p + s->len, s->cap - s->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			s->oom = 1;
			return;
		}
		if ((size_t)n < s->cap - s->len) {
			s->len += (size_t)n;
			return;
		}
		size_t ncap = s->cap * 2 + (size_t)n;
		char *np = realloc(s->p, ncap);
		if (!np) {
			s->oom = 1;
			return;
		}
		s->p = np;
		s->cap = ncap;
	}
}

static const char *status_label(int si, char *buf, size_t size)
{
	if (si < NKNOWN)
		snprintf(buf, size, "%d", statuses[si]);
	else
		snprintf(buf, size, "%dxx", si - NKNOWN + 2);
	return buf;
}

char *cf_http_metrics_render(cf_http_metrics *m, cf_http_pool_stats_fn fn, void *ud)
{
	sbuf s = {malloc(8192), 0, 8192, 0};
	uint64_t cum = 0;
	char lbl[16];

	if (!s.p)
		return NULL;
	s.p[0] = '\0';
	sb_printf(&s, "# HELP chitfund_http_requests_total HTTP requests by route and status.\n"
	              "# TYPE chitfund_http_requests_total counter\n");
	for (size_t r = 0; r <= m->n; r++)
		for (int si = 0; si < CF_HTTP_METRIC_STATUSES; si++) {
			uint64_t c = __atomic_load_n(&m->count[r][si], __ATOMIC_RELAXED);
			if (!c)
				continue;
			sb_printf(&s,
			          "chitfund_http_requests_total{method=\"%s\",route=\"%s\","
			          "status=\"%s\"} %llu\n",
			          r < m->n ? m->routes[r].method : "",
			          r < m->n ? m->routes[r].pattern : "unmatched",
			          status_label(si, lbl, sizeof lbl), (unsigned long long)c);
		}
	sb_printf(&s, "# HELP chitfund_http_request_duration_seconds Request latency.\n"
	              "# TYPE chitfund_http_request_duration_seconds histogram\n");
	for (int b = 0; b < CF_HTTP_METRIC_BUCKETS; b++) {
		cum += __atomic_load_n(&m->buckets[b], __ATOMIC_RELAXED);
		if (b < CF_HTTP_METRIC_BUCKETS - 1)
			sb_printf(&s,
			          "chitfund_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
			          bounds[b], (unsigned long long)cum);
		else
			sb_printf(
			        &s,
			        "chitfund_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
			        (unsigned long long)cum);
	}
	sb_printf(&s, "chitfund_http_request_duration_seconds_sum %.6f\n",
	          (double)__atomic_load_n(&m->sum_us, __ATOMIC_RELAXED) / 1e6);
	sb_printf(&s, "chitfund_http_request_duration_seconds_count %llu\n",
	          (unsigned long long)__atomic_load_n(&m->total, __ATOMIC_RELAXED));
	if (fn) {
		cf_http_pool_stats ps;

		memset(&ps, 0, sizeof ps);
		if (fn(ud, &ps) == 0 && ps.cache)
			sb_printf(
			        &s,
			        "# HELP chitfund_read_cache_enabled 1 while the read cache serves "
			        "(decision 0006).\n"
			        "# TYPE chitfund_read_cache_enabled gauge\n"
			        "chitfund_read_cache_enabled %d\n"
			        "# HELP chitfund_read_cache_hits_total Lookups answered from "
			        "memory.\n"
			        "# TYPE chitfund_read_cache_hits_total counter\n"
			        "chitfund_read_cache_hits_total %llu\n"
			        "# HELP chitfund_read_cache_misses_total Lookups that read the "
			        "database.\n"
			        "# TYPE chitfund_read_cache_misses_total counter\n"
			        "chitfund_read_cache_misses_total %llu\n"
			        "# HELP chitfund_read_cache_invalidations_total Rows dropped "
			        "because "
			        "they changed.\n"
			        "# TYPE chitfund_read_cache_invalidations_total counter\n"
			        "chitfund_read_cache_invalidations_total %llu\n",
			        ps.cache_enabled ? 1 : 0, ps.cache_hits, ps.cache_misses,
			        ps.cache_invalidated);
		if (ps.size > 0)
			sb_printf(&s,
			          "# HELP chitfund_db_pool_connections Database pool size.\n"
			          "# TYPE chitfund_db_pool_connections gauge\n"
			          "chitfund_db_pool_connections %d\n"
			          "# HELP chitfund_db_pool_in_use Connections checked out.\n"
			          "# TYPE chitfund_db_pool_in_use gauge\n"
			          "chitfund_db_pool_in_use %d\n"
			          "# HELP chitfund_db_pool_waiting Callers waiting for a "
			          "connection.\n"
			          "# TYPE chitfund_db_pool_waiting gauge\n"
			          "chitfund_db_pool_waiting %d\n",
			          ps.size, ps.in_use, ps.waiting);
	}
	if (s.oom) {
		free(s.p);
		return NULL;
	}
	return s.p;
}
