/*
 * bench_ws_fanout.c - WebSocket fan-out latency of the live-bidding
 * transport: an in-process civetweb server on 127.0.0.1 with the ws_hub,
 * 200 watchers (cf_ws_client), and events published either straight into
 * the hub ("hub") or, when CF_TEST_DATABASE_URL is set, through PostgreSQL
 * NOTIFY and a cf_pg_listener into the hub ("notify": the cross-server
 * path). Prints p50/p99/max from publish to receipt per watcher. Numbers
 * only: it never fails on time.
 *
 * Environment: CF_BENCH_WATCHERS (default 200), CF_BENCH_EVENTS (default 200).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>

#include "cf_infra/pg.h"
#include "cf_infra/pg_notify.h"
#include "cf_ws_client.h"
#include "ws_hub.h"

#define AUCTION "00000000-0000-4000-8000-0000000000b1"
#define CHANNEL "cf_bench_ws_fanout"
#define WAIT_MS 10000

static cf_ws_hub *g_hub;

static int64_t now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static int env_int(const char *name, int def)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return def;
	errno = 0;
	n = strtol(v, &end, 10);
	return (errno || *end || n <= 0 || n > 100000) ? def : (int)n;
}

static void hub_ready(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	if (cf_ws_hub_subscribe(g_hub, AUCTION, conn, 0, NULL) == CF_OK)
		cf_ws_hub_send(g_hub, conn, "subscribed", 10, NULL);
}

static int hub_data(struct mg_connection *conn, int bits, char *data, size_t len, void *cbdata)
{
	(void)conn;
	(void)data;
	(void)len;
	(void)cbdata;
	return (bits & 0x0f) != MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE;
}

static void hub_close(const struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	cf_ws_hub_unsubscribe(g_hub, (void *)conn);
}

/* NOTIFY leg: the listener hands each payload to the hub, as the server will. */
static void on_notify(const char *payload, size_t len, void *user)
{
	(void)user;
	cf_ws_hub_publish(g_hub, AUCTION, payload, len, NULL);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Wait until every watcher got the frame for event e; record latencies from t0. */
static int collect(cf_ws_client **w, int nw, int e, int64_t t0, int64_t *lat, struct pollfd *pfd)
{
	char want[64];
	int wantlen = snprintf(want, sizeof want, "{\"type\":\"bid\",\"seq\":%d}", e);
	int left = nw;
	char *got = calloc((size_t)nw, 1);
	int64_t deadline = now_us() + (int64_t)WAIT_MS * 1000;

	if (got == NULL)
		return -1;
	while (left > 0 && now_us() < deadline) {
		for (int i = 0; i < nw; i++) {
			pfd[i].fd = got[i] ? -1 : cf_ws_client_fd(w[i]);
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		if (poll(pfd, (nfds_t)nw, 100) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < nw; i++) {
			const char *d;
			size_t n;
			int op;

			if (got[i] ||
			    (!(pfd[i].revents & POLLIN) && cf_ws_client_buffered(w[i]) == 0))
				continue;
			if (cf_ws_client_recv(w[i], &op, &d, &n, 0, NULL) != CF_OK)
				continue;
			if (n == (size_t)wantlen && memcmp(d, want, n) == 0) {
				lat[i] = now_us() - t0;
				got[i] = 1;
				left--;
			}
		}
	}
	free(got);
	return left == 0 ? 0 : -1;
}

static void report(const char *mode, int nw, int events, int64_t *all, size_t n)
{
	qsort(all, n, sizeof *all, cmp_i64);
	printf("ws_fanout %-6s watchers=%d events=%d deliveries=%zu  p50=%.3f ms  p99=%.3f ms  "
	       "max=%.3f ms\n",
	       mode, nw, events, n, (double)all[n / 2] / 1000.0,
	       (double)all[(n * 99) / 100] / 1000.0, (double)all[n - 1] / 1000.0);
}

static int run(const char *mode, cf_ws_client **w, int nw, int events, cf_pg_conn *pub)
{
	size_t n = (size_t)nw * (size_t)events;
	int64_t *all = malloc(n * sizeof *all);
	struct pollfd *pfd = calloc((size_t)nw, sizeof *pfd);
	int rc = 0;

	if (all == NULL || pfd == NULL) {
		free(all);
		free(pfd);
		return -1;
	}
	for (int e = 1; e <= events && rc == 0; e++) {
		char msg[64];
		int len = snprintf(msg, sizeof msg, "{\"type\":\"bid\",\"seq\":%d}", e);
		int64_t t0 = now_us();

		if (pub)
			rc = cf_pg_notify_send(cf_pg_conn_pg(pub), CHANNEL, msg, NULL);
		else
			rc = cf_ws_hub_publish(g_hub, AUCTION, msg, (size_t)len, NULL) == nw ? 0
			                                                                     : -1;
		if (rc == 0)
			rc = collect(w, nw, e, t0, all + (size_t)(e - 1) * (size_t)nw, pfd);
	}
	if (rc == 0)
		report(mode, nw, events, all, n);
	else
		fprintf(stderr, "bench_ws_fanout: %s: not every watcher got every event\n", mode);
	free(all);
	free(pfd);
	return rc;
}

int main(void)
{
	const char *opts[] = {"listening_ports", "127.0.0.1:0", "num_threads", "320",
	                      "tcp_nodelay",     "1",           NULL};
	int nw = env_int("CF_BENCH_WATCHERS", 200), events = env_int("CF_BENCH_EVENTS", 200);
	struct mg_callbacks cb;
	struct mg_init_data init;
	struct mg_server_port port;
	struct mg_context *ctx;
	cf_ws_client **w;
	const char *url = getenv("CF_TEST_DATABASE_URL");
	int rc = 0, connected = 0;

	if (nw > 300)
		nw = 300; /* civetweb holds one thread per WebSocket */
	if (cf_ws_hub_new(&g_hub, NULL, NULL) != CF_OK)
		return 1;
	mg_init_library(0);
	memset(&cb, 0, sizeof cb);
	memset(&init, 0, sizeof init);
	init.callbacks = &cb;
	init.configuration_options = opts;
	ctx = mg_start2(&init, NULL);
	if (ctx == NULL || mg_get_server_ports(ctx, 1, &port) < 1) {
		fprintf(stderr, "bench_ws_fanout: cannot start civetweb\n");
		return 1;
	}
	mg_set_websocket_handler(ctx, "/live", NULL, hub_ready, hub_data, hub_close, NULL);
	w = calloc((size_t)nw, sizeof *w);
	for (int i = 0; w && i < nw; i++) {
		const char *d;
		size_t n;
		int op;

		if (cf_ws_client_connect(&w[i], port.port, "/live", NULL, WAIT_MS, NULL, NULL) !=
		            CF_OK ||
		    cf_ws_client_recv(w[i], &op, &d, &n, WAIT_MS, NULL) != CF_OK) {
			fprintf(stderr, "bench_ws_fanout: watcher %d could not join\n", i);
			rc = 1;
			break;
		}
		connected++;
	}
	if (rc == 0)
		rc = run("hub", w, nw, events, NULL) ? 1 : 0;
	if (rc == 0 && url && *url) {
		cf_pg_listener_config lc;
		cf_pg_listener *l = NULL;
		cf_pg_conn *pub = NULL;

		memset(&lc, 0, sizeof lc);
		lc.conninfo = url;
		lc.channel = CHANNEL;
		lc.on_notify = on_notify;
		if (cf_pg_listener_start(&l, &lc, NULL) == CF_OK &&
		    cf_pg_conn_open(url, &pub, NULL) == CF_OK)
			rc = run("notify", w, nw, events, pub) ? 1 : 0;
		else
			fprintf(stderr,
			        "bench_ws_fanout: notify leg skipped (database unreachable)\n");
		cf_pg_conn_close(pub);
		cf_pg_listener_stop(l);
	} else if (rc == 0) {
		printf("ws_fanout notify: skipped (CF_TEST_DATABASE_URL not set)\n");
	}
	for (int i = 0; i < connected; i++)
		cf_ws_client_close(w[i], 1000);
	free(w);
	mg_stop(ctx);
	cf_ws_hub_free(g_hub);
	mg_exit_library();
	return rc;
}
