/*
 * bench_http.c - the ceiling for the HTTP benchmark: civetweb with the same
 * options as chitfund-server (tcp_nodelay, keep-alive, same thread count)
 * and one trivial handler that answers a fixed JSON body about the size of
 * a scheme. scripts/bench-http drives it and the real server with wrk.
 *
 *   bench_http PORT [MAX_SECONDS]   serve until SIGTERM/SIGINT or MAX_SECONDS (default 120)
 */
#include <civetweb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char body[1024];

static int trivial(struct mg_connection *conn, void *cbdata)
{
	char len[32];

	(void)cbdata;
	snprintf(len, sizeof len, "%zu", strlen(body));
	mg_response_header_start(conn, 200);
	mg_response_header_add(conn, "Content-Type", "application/json", -1);
	mg_response_header_add(conn, "Content-Length", len, -1);
	mg_response_header_send(conn);
	mg_write(conn, body, strlen(body));
	return 200;
}

int main(int argc, char **argv)
{
	char listen[64];
	const char *port = argc > 1 ? argv[1] : "0";
	long max_s = argc > 2 ? strtol(argv[2], NULL, 10) : 120;
	sigset_t set;
	struct timespec deadline;
	int sig;

	if (max_s <= 0 || max_s > 3600)
		max_s = 120;
	memset(body, 'x', 900);
	memcpy(body, "{\"id\":\"", 7);
	memcpy(body + 900, "\"}", 3); /* with its NUL */
	snprintf(listen, sizeof listen, "127.0.0.1:%s", port);
	const char *opts[] = {"listening_ports",
	                      listen,
	                      "num_threads",
	                      "256",
	                      "request_timeout_ms",
	                      "30000",
	                      "enable_keep_alive",
	                      "yes",
	                      "tcp_nodelay",
	                      "1",
	                      NULL};
	struct mg_callbacks cb;
	memset(&cb, 0, sizeof cb);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	mg_init_library(0);
	struct mg_context *ctx = mg_start(&cb, NULL, opts);
	if (!ctx) {
		fprintf(stderr, "bench_http: cannot listen on %s\n", listen);
		return 1;
	}
	mg_set_request_handler(ctx, "/", trivial, NULL);
	struct mg_server_port ports[1];
	if (mg_get_server_ports(ctx, 1, ports) > 0)
		printf("listening on 127.0.0.1:%d\n", ports[0].port);
	fflush(stdout);
	deadline.tv_sec = max_s;
	deadline.tv_nsec = 0;
	sig = sigtimedwait(&set, NULL, &deadline);
	(void)sig;
	mg_stop(ctx);
	mg_exit_library();
	return 0;
}
