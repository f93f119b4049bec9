/*
 * live.c - the auction ticker and live bidding (WebSocket + LISTEN/NOTIFY).
 *
 * Events: the draw use cases publish bid / extended / closed JSON with
 * NOTIFY inside their transaction (adapters/postgres/pg_auctions.c), so
 * every server's listener receives them in commit order, only once
 * committed. The listener redacts them for watchers (no bidder identity;
 * no amount while a sealed tender is open) and hands them to the hub,
 * which queues them per watcher without blocking (slow watchers dropped).
 * A watcher joins with a snapshot taken after subscribing (held), so no
 * event is lost or seen twice (the hub drops held events at or below the
 * snapshot's seq, the bid count).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <civetweb.h>
#include <cjson/cJSON.h>

#include "cf_infra/pg_notify.h"
#include "chitfund/auctions.h"
#include "chitfund/auth.h"
#include "handlers_auctions.h"
#include "http_private.h"
#include "live.h"
#include "ws_hub.h"

struct cf_server_live {
	cf_app *app;
	cf_ws_hub *hub;
	cf_pg_listener *listener;
	pthread_t ticker;
	bool ticker_running;
	int tick_ms;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
};

/* One watcher. */
typedef struct watcher {
	cf_actor actor;
	char auction_id[CF_ID_SIZE];
} watcher;

static int env_ll(const char *name, long long def, long long min, long long max, long long *out,
                  cf_error *err)
{
	const char *v = getenv(name);
	char *end = NULL;
	long long x;

	*out = def;
	if (v == NULL || *v == '\0')
		return CF_OK;
	errno = 0;
	x = strtoll(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || x < min || x > max)
		return cf_error_set(err, CF_EINVALID, "validation-error", name,
		                    "%s must be an integer from %lld to %lld", name, min, max);
	*out = x;
	return CF_OK;
}

int cf_server_live_config(cf_app_config *cfg, cf_error *err)
{
	long long s;
	int rc = env_ll("CHITFUND_ANTI_SNIPING_S", CF_ANTI_SNIPING_DEFAULT_S, 0, 3600, &s, err);

	if (rc == CF_OK)
		cfg->anti_sniping_s = s;
	return rc;
}

/* ---- ticker ---- */

static void *ticker_main(void *arg)
{
	cf_server_live *l = arg;

	pthread_mutex_lock(&l->mu);
	while (!l->stop) {
		struct timespec ts;

		pthread_mutex_unlock(&l->mu);
		{
			cf_error err = CF_ERROR_INIT;
			size_t opened = 0, closed = 0;

			if (cf_auction_tick(l->app, &opened, &closed, &err) < 0)
				fprintf(stderr,
				        "{\"level\":\"warn\",\"msg\":\"auction ticker\",\"error\":"
				        "\"%s\"}\n",
				        err.slug);
		}
		pthread_mutex_lock(&l->mu);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += l->tick_ms / 1000;
		ts.tv_nsec += (long)(l->tick_ms % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		while (!l->stop && pthread_cond_timedwait(&l->cv, &l->mu, &ts) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

/* ---- frames ---- */

static char *print_take(cJSON *o)
{
	char *s = o ? cJSON_PrintUnformatted(o) : NULL;

	cJSON_Delete(o);
	return s;
}

/* The snapshot frame of a view (redacted as the view already is for the reader). */
static char *snapshot_frame(const cf_auction_view *v)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "type", "snapshot");
	cJSON_AddStringToObject(o, "auction_id", v->a.id);
	cJSON_AddStringToObject(o, "status", cf_auction_status_name(v->a.status));
	if (v->a.has_standing && !(v->method == CF_METHOD_SEALED && !v->settled))
		cf_json_add_int(o, "standing_discount", v->a.standing_discount.minor);
	else
		cJSON_AddNullToObject(o, "standing_discount");
	cf_json_add_int(o, "bid_count", v->a.bid_count);
	cf_json_add_int(o, "seq", v->a.bid_count);
	cf_json_add_time(o, "closes_at", v->a.closes_at_ms);
	cf_json_add_text_or_null(o, "lot_commitment", v->a.lot_commitment);
	if (v->settled)
		cJSON_AddItemToObject(o, "result", cf_json_auction_result(&v->result));
	return print_take(o);
}

static char *error_frame(const cf_error *err)
{
	cJSON *o = cJSON_CreateObject();
	char type[128];

	if (o == NULL)
		return NULL;
	snprintf(type, sizeof type, "https://chitfund.dev/problems/%s",
	         err->slug[0] ? err->slug : "internal-error");
	cJSON_AddStringToObject(o, "type", "error");
	cJSON_AddStringToObject(o, "problem_type", type);
	cJSON_AddStringToObject(o, "slug", err->slug);
	cJSON_AddNumberToObject(o, "status", cf_http_status_for(err));
	cJSON_AddStringToObject(o, "detail", err->message);
	if (err->field[0])
		cJSON_AddStringToObject(o, "field", err->field);
	return print_take(o);
}

/* ---- NOTIFY -> hub ---- */

static void on_notify(const char *payload, size_t len, void *user)
{
	cf_server_live *l = user;
	cJSON *o = cJSON_ParseWithLength(payload, len);
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(o, "type");
	const cJSON *aid = cJSON_GetObjectItemCaseSensitive(o, "auction_id");
	const cJSON *seq = cJSON_GetObjectItemCaseSensitive(o, "seq");
	char *text;

	if (!cJSON_IsString(type) || !cJSON_IsString(aid)) {
		cJSON_Delete(o);
		return;
	}
	if (strcmp(type->valuestring, "bid") == 0) {
		const cJSON *sealed = cJSON_GetObjectItemCaseSensitive(o, "sealed");

		cJSON_DeleteItemFromObjectCaseSensitive(o, "ticket_no"); /* no bidder identity */
		if (cJSON_IsTrue(sealed))
			cJSON_DeleteItemFromObjectCaseSensitive(o, "discount");
	}
	text = cJSON_PrintUnformatted(o);
	if (text != NULL) {
		if (strcmp(type->valuestring, "extended") != 0 && cJSON_IsNumber(seq) &&
		    seq->valuedouble >= 1)
			cf_ws_hub_publish_seq(l->hub, aid->valuestring, (int64_t)seq->valuedouble,
			                      text, strlen(text), NULL);
		else
			cf_ws_hub_publish(l->hub, aid->valuestring, text, strlen(text), NULL);
	}
	free(text);
	cJSON_Delete(o);
}

typedef struct id_list {
	char (*ids)[CF_ID_SIZE];
	size_t n, cap;
} id_list;

static void collect_id(const char *auction_id, void *user)
{
	id_list *L = user;

	if (L->n == L->cap) {
		size_t cap = L->cap ? L->cap * 2 : 16;
		char(*p)[CF_ID_SIZE] = realloc(L->ids, cap * sizeof *p);

		if (p == NULL)
			return;
		L->ids = p;
		L->cap = cap;
	}
	snprintf(L->ids[L->n++], CF_ID_SIZE, "%s", auction_id);
}

/* After a listener reconnect: events may be lost; send every watched auction a snapshot. */
static void on_gap(void *user)
{
	cf_server_live *l = user;
	id_list L = {NULL, 0, 0};
	cf_actor sys;

	cf_actor_anonymous(&sys, "live-resync", "");
	sys.role = CF_ROLE_SYSTEM;
	cf_ws_hub_auctions(l->hub, collect_id, &L);
	for (size_t i = 0; i < L.n; i++) {
		cf_auction_view v;
		char *frame;

		memset(&v, 0, sizeof v);
		if (cf_auction_get(l->app, &sys, L.ids[i], &v, NULL) == CF_OK &&
		    (frame = snapshot_frame(&v)) != NULL) {
			cf_ws_hub_publish(l->hub, L.ids[i], frame, strlen(frame), NULL);
			free(frame);
		}
		cf_auction_view_free(&v);
	}
	free(L.ids);
}

/* ---- WebSocket handlers ---- */

/* "/api/v1/auctions/<uuid>/live" -> id. */
static bool auction_id_of(const char *uri, char id[CF_ID_SIZE])
{
	static const char prefix[] = "/api/v1/auctions/";
	size_t n = sizeof prefix - 1;

	if (uri == NULL || strncmp(uri, prefix, n) != 0 || strlen(uri) != n + 36 + 5 ||
	    strcmp(uri + n + 36, "/live") != 0)
		return false;
	memcpy(id, uri + n, 36);
	id[36] = '\0';
	return cf_http_is_uuid(id);
}

static void refuse(const struct mg_connection *cc, int status, const char *slug)
{
	struct mg_connection *c = (struct mg_connection *)cc;
	char body[256];
	int n = snprintf(body, sizeof body,
	                 "{\"type\":\"https://chitfund.dev/problems/%s\",\"title\":\"%s\","
	                 "\"status\":%d,\"detail\":\"%s\"}",
	                 slug, slug, status, slug);

	mg_printf(c,
	          "HTTP/1.1 %d %s\r\nContent-Type: application/problem+json\r\n%sContent-Length: "
	          "%d\r\nConnection: close\r\n\r\n%s",
	          status, status == 401 ? "Unauthorized" : "Not Found",
	          status == 401 ? "WWW-Authenticate: Bearer\r\n" : "", n, body);
}

static int ws_connect(const struct mg_connection *conn, void *cbdata)
{
	cf_server_live *l = cbdata;
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *auth = mg_get_header(conn, "Authorization");
	char token[4096] = "", id[CF_ID_SIZE];
	watcher *w;
	cf_auction_view v;
	int rc;

	if (!auction_id_of(ri->local_uri, id)) {
		refuse(conn, 404, "not-found");
		return 1;
	}
	if (auth != NULL && strncasecmp(auth, "Bearer ", 7) == 0)
		snprintf(token, sizeof token, "%s", auth + 7);
	else if (ri->query_string == NULL || mg_get_var(ri->query_string, strlen(ri->query_string),
	                                                "access_token", token, sizeof token) <= 0)
		token[0] = '\0';
	if ((w = calloc(1, sizeof *w)) == NULL)
		return 1;
	if (token[0] == '\0' || cf_auth_authenticate(l->app, token, strlen(token), "ws",
	                                             ri->remote_addr, &w->actor, NULL) != CF_OK) {
		free(w);
		refuse(conn, 401, "unauthenticated");
		return 1;
	}
	memset(&v, 0, sizeof v);
	rc = cf_auction_get(l->app, &w->actor, id, &v, NULL);
	cf_auction_view_free(&v);
	if (rc != CF_OK) {
		free(w);
		refuse(conn, 404, "not-found");
		return 1;
	}
	memcpy(w->auction_id, id, sizeof w->auction_id);
	mg_set_user_connection_data(conn, w);
	return 0;
}

static void ws_ready(struct mg_connection *conn, void *cbdata)
{
	cf_server_live *l = cbdata;
	watcher *w = mg_get_user_connection_data(conn);
	cf_auction_view v;
	char *frame = NULL;

	if (w == NULL ||
	    cf_ws_hub_subscribe(l->hub, w->auction_id, conn, CF_WS_HUB_HOLD, NULL) != CF_OK)
		return;
	memset(&v, 0, sizeof v);
	if (cf_auction_get(l->app, &w->actor, w->auction_id, &v, NULL) == CF_OK)
		frame = snapshot_frame(&v);
	cf_ws_hub_release(l->hub, conn, frame, frame ? strlen(frame) : 0,
	                  frame ? (int64_t)v.a.bid_count : 0, NULL);
	cf_auction_view_free(&v);
	free(frame);
}

static int ws_data(struct mg_connection *conn, int bits, char *data, size_t len, void *cbdata)
{
	cf_server_live *l = cbdata;
	watcher *w = mg_get_user_connection_data(conn);
	int opcode = bits & 0x0f;
	cJSON *msg = NULL;
	cf_http_field_errors errs;
	cf_error err = CF_ERROR_INIT;
	char *reply = NULL;
	int rc;

	if (opcode == MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE)
		return 0;
	if (opcode != MG_WEBSOCKET_OPCODE_TEXT || w == NULL)
		return 1;
	/* the same strict decoding as POST .../bids: number grammar, duplicate and
	 * unknown keys, integral in-range ticket_no and discount */
	memset(&errs, 0, sizeof errs);
	rc = cf_http_json_parse(data, len, &msg, &errs, &err);
	if (rc == CF_OK) {
		cf_jdec d;
		const char *type = NULL;
		int64_t t = 0, disc = 0;

		cf_jdec_init(&d, msg, &errs);
		if (cf_jdec_string(&d, "type", 1, 16, CF_J_REQUIRED, &type) == CF_J_SET &&
		    strcmp(type, "bid") != 0)
			cf_http_field_errors_add(&errs, "type", "must be \"bid\"");
		cf_jdec_int64(&d, "ticket_no", 1, 1000000, CF_J_REQUIRED, &t);
		cf_jdec_int64(&d, "discount", 0, CF_JSON_MAX_SAFE_INT, CF_J_REQUIRED, &disc);
		rc = cf_jdec_finish(&d, &err);
		if (rc == CF_OK) {
			cf_bid_req q = {(int32_t)t, cf_money_of(disc)};
			cf_bid_result res;

			/* accepted: the "bid" event comes back through NOTIFY like everyone's */
			rc = cf_auction_bid(l->app, &w->actor, w->auction_id, &q, &res, &err);
		}
	}
	if (rc != CF_OK) {
		if (errs.n > 0) /* name the first bad field and what is wrong with it */
			cf_error_set(&err, CF_EINVALID, "validation-error", errs.e[0].field,
			             "%s %s", errs.e[0].field, errs.e[0].message);
		reply = error_frame(&err);
	}
	if (reply != NULL)
		cf_ws_hub_send(l->hub, conn, reply, strlen(reply), NULL);
	free(reply);
	cJSON_Delete(msg);
	return 1;
}

static void ws_close(const struct mg_connection *conn, void *cbdata)
{
	cf_server_live *l = cbdata;
	watcher *w = mg_get_user_connection_data(conn);

	cf_ws_hub_unsubscribe(l->hub, (void *)conn);
	free(w);
	mg_set_user_connection_data(conn, NULL);
}

/* ---- start / stop ---- */

int cf_server_live_start(cf_server_live **out, cf_app *app, cf_http_server *http,
                         const char *conninfo, cf_error *err)
{
	cf_server_live *l = calloc(1, sizeof *l);
	cf_ws_hub_config hc;
	cf_pg_listener_config lc;
	long long tick, senders;
	int rc;

	*out = NULL;
	if (l == NULL)
		return cf_error_set(err, CF_ENOMEM, "internal-error", "", "out of memory");
	l->app = app;
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	if ((rc = env_ll("CHITFUND_TICK_MS", 1000, 0, 3600000, &tick, err)) < 0 ||
	    (rc = env_ll("CHITFUND_WS_SENDERS", CF_WS_HUB_DEFAULT_SENDERS, 1, 64, &senders, err)) <
	            0)
		goto fail;
	l->tick_ms = (int)tick;
	memset(&hc, 0, sizeof hc);
	hc.senders = (int)senders;
	if ((rc = cf_ws_hub_new(&l->hub, &hc, err)) < 0)
		goto fail;
	memset(&lc, 0, sizeof lc);
	lc.conninfo = conninfo;
	lc.channel = CF_PG_NOTIFY_AUCTION_CHANNEL;
	lc.on_notify = on_notify;
	lc.on_gap = on_gap;
	lc.user = l;
	if ((rc = cf_pg_listener_start(&l->listener, &lc, err)) < 0)
		goto fail;
	mg_set_websocket_handler(http->ctx, "/api/v1/auctions/*/live", ws_connect, ws_ready,
	                         ws_data, ws_close, l);
	if (l->tick_ms > 0) {
		if (pthread_create(&l->ticker, NULL, ticker_main, l) != 0) {
			rc = cf_error_set(err, CF_ERROR, "internal-error", "", "no ticker thread");
			goto fail;
		}
		l->ticker_running = true;
	}
	*out = l;
	return CF_OK;
fail:
	cf_server_live_stop(l);
	return rc;
}

void cf_server_live_stop(cf_server_live *l)
{
	if (l == NULL)
		return;
	pthread_mutex_lock(&l->mu);
	l->stop = true;
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
	if (l->ticker_running)
		pthread_join(l->ticker, NULL);
	cf_pg_listener_stop(l->listener);
	cf_ws_hub_free(l->hub);
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->cv);
	free(l);
}
