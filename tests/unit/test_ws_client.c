/*
 * test_ws_client.c - tests/support/cf_ws_client.c against an in-process
 * civetweb WebSocket server on an ephemeral 127.0.0.1 port: handshake and
 * a greeting sent with the 101, echo of small/medium/large frames (7-, 16-
 * and 64-bit lengths), server pings answered, server close with a status,
 * client close, refused upgrades (404, connect handler), many clients.
 * Also the hub's default writer (cf_ws_hub_mg_write) end to end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>
#include <civetweb.h>

#include "cf_ws_client.h"
#include "ws_hub.h"

#define TIMEOUT_MS 10000

static struct mg_context *g_ctx;
static int g_port;
static cf_ws_hub *g_hub;

static int ws_connect(const struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);

	(void)cbdata;
	/* refuse the handshake when asked to */
	return ri->query_string && strstr(ri->query_string, "deny=1") ? 1 : 0;
}

static void ws_ready(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_websocket_write(conn, MG_WEBSOCKET_OPCODE_TEXT, "hello", 5);
}

static int ws_data(struct mg_connection *conn, int bits, char *data, size_t len, void *cbdata)
{
	int op = bits & 0x0f;

	(void)cbdata;
	if (op == MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE)
		return 0;
	if (op != MG_WEBSOCKET_OPCODE_TEXT && op != MG_WEBSOCKET_OPCODE_BINARY)
		return 1;
	if (op == MG_WEBSOCKET_OPCODE_TEXT && len == 7 && memcmp(data, "ping-me", 7) == 0) {
		mg_websocket_write(conn, MG_WEBSOCKET_OPCODE_PING, "p1", 2);
		mg_websocket_write(conn, MG_WEBSOCKET_OPCODE_TEXT, "after-ping", 10);
		return 1;
	}
	if (op == MG_WEBSOCKET_OPCODE_TEXT && len == 8 && memcmp(data, "close-me", 8) == 0) {
		static const char body[] = {(char)(4001 >> 8), (char)(4001 & 0xff), 'b', 'y', 'e'};

		mg_websocket_write(conn, MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE, body, sizeof body);
		return 0;
	}
	mg_websocket_write(conn, op, data, len);
	return 1;
}

static void ws_close(const struct mg_connection *conn, void *cbdata)
{
	(void)conn;
	(void)cbdata;
}

/* The hub endpoint: subscribe on ready (with a greeting through the hub), unsubscribe on close. */
static void hub_ready(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	/* no ck_assert on civetweb's threads: a failure shows as a missing greeting */
	if (cf_ws_hub_subscribe(g_hub, "A", conn, 0, NULL) == CF_OK)
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

/*
 * One server per process: started by the first test that needs it and kept
 * (civetweb's mg_stop takes about 2 s). Under CK_FORK=no (valgrind) main()
 * stops it at the end; forked test children just exit.
 */
static void setup(void)
{
	const char *opts[] = {"listening_ports", "127.0.0.1:0", "num_threads", "16",
	                      "tcp_nodelay",     "1",           NULL};
	struct mg_callbacks cb;
	struct mg_init_data init;
	struct mg_error_data e;
	struct mg_server_port ports[4];
	char text[256] = "";
	unsigned code = 0;
	int n;

	if (g_ctx != NULL)
		return;
	ck_assert_msg(mg_check_feature(MG_FEATURES_WEBSOCKET) != 0, "civetweb without websockets");
	mg_init_library(0);
	memset(&cb, 0, sizeof cb);
	memset(&init, 0, sizeof init);
	init.callbacks = &cb;
	init.configuration_options = opts;
	memset(&e, 0, sizeof e);
	e.code = &code;
	e.text = text;
	e.text_buffer_size = sizeof text;
	g_ctx = mg_start2(&init, &e);
	ck_assert_msg(g_ctx != NULL, "mg_start2: %s", text);
	ck_assert_int_eq(cf_ws_hub_new(&g_hub, NULL, NULL), CF_OK);
	mg_set_websocket_handler(g_ctx, "/echo", ws_connect, ws_ready, ws_data, ws_close, NULL);
	mg_set_websocket_handler(g_ctx, "/hub", NULL, hub_ready, hub_data, hub_close, NULL);
	memset(ports, 0, sizeof ports);
	n = mg_get_server_ports(g_ctx, 4, ports);
	ck_assert_int_ge(n, 1);
	g_port = ports[0].port;
	ck_assert_int_gt(g_port, 0);
}

static void teardown(void)
{
}

static void stop_server(void)
{
	if (g_ctx == NULL)
		return;
	mg_stop(g_ctx); /* runs every close handler: the hub is empty after this */
	g_ctx = NULL;
	cf_ws_hub_free(g_hub);
	g_hub = NULL;
	mg_exit_library();
}

static cf_ws_client *connect_ok(const char *path)
{
	cf_ws_client *c = NULL;
	cf_error err = CF_ERROR_INIT;
	int status = 0;
	int rc = cf_ws_client_connect(&c, g_port, path, NULL, TIMEOUT_MS, &status, &err);

	ck_assert_msg(rc == CF_OK, "connect %s: %d %s", path, rc, err.message);
	ck_assert_int_eq(status, 101);
	return c;
}

static void recv_text(cf_ws_client *c, const char *want, size_t wantlen)
{
	const char *d = NULL;
	size_t n = 0;
	int op = -1;
	cf_error err = CF_ERROR_INIT;
	int rc = cf_ws_client_recv(c, &op, &d, &n, TIMEOUT_MS, &err);

	ck_assert_msg(rc == CF_OK, "recv: %d %s", rc, err.message);
	ck_assert_int_eq(op, CF_WS_OP_TEXT);
	ck_assert_uint_eq(n, wantlen);
	ck_assert(memcmp(d, want, n) == 0);
	ck_assert_int_eq(d[n], '\0');
}

START_TEST(test_ws_client__handshake_greeting_and_echo)
{
	cf_ws_client *c = connect_ok("/echo?x=1");
	cf_error err = CF_ERROR_INIT;

	recv_text(c, "hello", 5); /* sent by the ready handler, possibly with the 101 */
	ck_assert_int_eq(cf_ws_client_send_text(c, "{\"type\":\"bid\"}", 14, &err), CF_OK);
	recv_text(c, "{\"type\":\"bid\"}", 14);
	ck_assert_int_eq(cf_ws_client_send_text(c, "", 0, &err), CF_OK);
	recv_text(c, "", 0);
	ck_assert_int_eq(cf_ws_client_close_code(c), 0);
	cf_ws_client_close(c, TIMEOUT_MS);
}
END_TEST

/* Payload lengths across the 7-bit, 16-bit and 64-bit length encodings. */
START_TEST(test_ws_client__echo_lengths)
{
	static const size_t lens[] = {1, 125, 126, 127, 65535, 65536, 300000};
	cf_ws_client *c = connect_ok("/echo");
	cf_error err = CF_ERROR_INIT;
	size_t max = 300000;
	char *buf = malloc(max);

	ck_assert_ptr_nonnull(buf);
	for (size_t i = 0; i < max; i++)
		buf[i] = (char)('a' + (i * 7) % 26);
	recv_text(c, "hello", 5);
	for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
		ck_assert_int_eq(cf_ws_client_send_text(c, buf, lens[k], &err), CF_OK);
		recv_text(c, buf, lens[k]);
	}
	/* binary too */
	{
		const char *d;
		size_t n;
		int op;
		unsigned char bin[4] = {0, 1, 0xfe, 0xff};

		ck_assert_int_eq(cf_ws_client_send(c, CF_WS_OP_BINARY, bin, 4, &err), CF_OK);
		ck_assert_int_eq(cf_ws_client_recv(c, &op, &d, &n, TIMEOUT_MS, &err), CF_OK);
		ck_assert_int_eq(op, CF_WS_OP_BINARY);
		ck_assert_uint_eq(n, 4);
		ck_assert(memcmp(d, bin, 4) == 0);
	}
	free(buf);
	cf_ws_client_close(c, TIMEOUT_MS);
}
END_TEST

START_TEST(test_ws_client__ping_answered_and_skipped)
{
	cf_ws_client *c = connect_ok("/echo");
	cf_error err = CF_ERROR_INIT;

	recv_text(c, "hello", 5);
	ck_assert_int_eq(cf_ws_client_send_text(c, "ping-me", 7, &err), CF_OK);
	recv_text(c, "after-ping", 10); /* the ping before it was answered, not returned */
	/* the connection still works after our pong */
	ck_assert_int_eq(cf_ws_client_send_text(c, "again", 5, &err), CF_OK);
	recv_text(c, "again", 5);
	cf_ws_client_close(c, TIMEOUT_MS);
}
END_TEST

START_TEST(test_ws_client__server_close_reports_code)
{
	cf_ws_client *c = connect_ok("/echo");
	cf_error err = CF_ERROR_INIT;
	const char *d;
	size_t n;
	int op;

	recv_text(c, "hello", 5);
	ck_assert_int_eq(cf_ws_client_send_text(c, "close-me", 8, &err), CF_OK);
	ck_assert_int_eq(cf_ws_client_recv(c, &op, &d, &n, TIMEOUT_MS, &err), CF_EUNAVAILABLE);
	ck_assert_int_eq(cf_ws_client_close_code(c), 4001);
	ck_assert_int_eq(cf_ws_client_send_text(c, "x", 1, &err), CF_EUNAVAILABLE);
	ck_assert_int_eq(cf_ws_client_recv(c, &op, &d, &n, TIMEOUT_MS, &err), CF_EUNAVAILABLE);
	cf_ws_client_close(c, TIMEOUT_MS);
}
END_TEST

START_TEST(test_ws_client__timeout_is_eretry)
{
	cf_ws_client *c = connect_ok("/echo");
	cf_error err = CF_ERROR_INIT;
	const char *d;
	size_t n;
	int op;

	recv_text(c, "hello", 5);
	ck_assert_int_eq(cf_ws_client_recv(c, &op, &d, &n, 0, &err), CF_ERETRY);
	ck_assert_uint_eq(cf_ws_client_buffered(c), 0);
	ck_assert_int_ge(cf_ws_client_fd(c), 0);
	cf_ws_client_close(c, TIMEOUT_MS);
}
END_TEST

START_TEST(test_ws_client__refused_upgrades)
{
	cf_ws_client *c = NULL;
	cf_error err = CF_ERROR_INIT;
	int status = -1, rc;

	rc = cf_ws_client_connect(&c, g_port, "/nothing-here", NULL, TIMEOUT_MS, &status, &err);
	ck_assert_int_eq(rc, CF_ECONFLICT);
	ck_assert_int_eq(status, 404);
	ck_assert_ptr_null(c);

	/* the connect handler refuses: no 101 */
	rc = cf_ws_client_connect(&c, g_port, "/echo?deny=1", "X-Test: 1\r\n", TIMEOUT_MS, &status,
	                          &err);
	ck_assert_int_ne(rc, CF_OK);
	ck_assert_int_ne(status, 101);
	ck_assert_ptr_null(c);

	ck_assert_int_eq(cf_ws_client_connect(&c, g_port, "no-slash", NULL, 100, NULL, &err),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_ws_client_connect(&c, 0, "/echo", NULL, 100, NULL, &err), CF_EINVALID);
	cf_ws_client_close(NULL, 0);
}
END_TEST

START_TEST(test_ws_client__many_clients)
{
	enum { N = 12 };
	cf_ws_client *c[N];
	cf_error err = CF_ERROR_INIT;
	char msg[32];

	for (int i = 0; i < N; i++) {
		c[i] = connect_ok("/echo");
		recv_text(c[i], "hello", 5);
	}
	for (int i = 0; i < N; i++) {
		int len = snprintf(msg, sizeof msg, "client-%d", i);

		ck_assert_int_eq(cf_ws_client_send_text(c[i], msg, (size_t)len, &err), CF_OK);
	}
	for (int i = N - 1; i >= 0; i--) {
		int len = snprintf(msg, sizeof msg, "client-%d", i);

		recv_text(c[i], msg, (size_t)len);
	}
	for (int i = 0; i < N; i++)
		cf_ws_client_close(c[i], TIMEOUT_MS);
}
END_TEST

/* The hub with its default civetweb writer: every client gets every event in order. */
START_TEST(test_ws_client__hub_fan_out_over_civetweb)
{
	enum { N = 8, EVENTS = 200 };
	cf_ws_client *c[N];
	cf_ws_hub_stats st;
	char msg[64];

	for (int i = 0; i < N; i++) {
		c[i] = connect_ok("/hub");
		recv_text(c[i], "subscribed", 10);
	}
	for (int e = 1; e <= EVENTS; e++) {
		int len = snprintf(msg, sizeof msg, "{\"type\":\"bid\",\"seq\":%d}", e);

		ck_assert_int_eq(cf_ws_hub_publish_seq(g_hub, "A", e, msg, (size_t)len, NULL), N);
	}
	for (int i = 0; i < N; i++) {
		for (int e = 1; e <= EVENTS; e++) {
			int len = snprintf(msg, sizeof msg, "{\"type\":\"bid\",\"seq\":%d}", e);

			recv_text(c[i], msg, (size_t)len);
		}
	}
	cf_ws_hub_stats_get(g_hub, &st);
	ck_assert_uint_eq(st.subscribers, N);
	ck_assert_uint_eq(st.dropped, 0);
	/* closing a client runs the close handler, which unsubscribes */
	for (int i = 0; i < N; i++)
		cf_ws_client_close(c[i], TIMEOUT_MS);
	for (int k = 0; k < 500; k++) {
		cf_ws_hub_stats_get(g_hub, &st);
		if (st.subscribers == 0)
			break;
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	}
	ck_assert_uint_eq(st.subscribers, 0);
}
END_TEST

static Suite *ws_client_suite(void)
{
	Suite *s = suite_create("ws_client");
	TCase *tc = tcase_create("civetweb_echo");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ws_client__handshake_greeting_and_echo);
	tcase_add_test(tc, test_ws_client__echo_lengths);
	tcase_add_test(tc, test_ws_client__ping_answered_and_skipped);
	tcase_add_test(tc, test_ws_client__server_close_reports_code);
	tcase_add_test(tc, test_ws_client__timeout_is_eretry);
	tcase_add_test(tc, test_ws_client__refused_upgrades);
	tcase_add_test(tc, test_ws_client__many_clients);
	tcase_add_test(tc, test_ws_client__hub_fan_out_over_civetweb);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ws_client_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	stop_server();
	return failed == 0 ? 0 : 1;
}
