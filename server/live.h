/*
 * live.h - the server's draw machinery beside the HTTP routes: the ticker
 * that opens and closes timed auctions, and live bidding over WebSockets
 * (GET /api/v1/auctions/{id}/live) fanned out through PostgreSQL
 * LISTEN/NOTIFY, so a watcher on one server sees bids placed through any.
 *
 * Environment: CHITFUND_ANTI_SNIPING_S (default 60, 0..3600; 0: 60),
 * CHITFUND_TICK_MS (ticker period, default 1000, 0 disables the ticker),
 * CHITFUND_WS_SENDERS (hub sender threads, default 4).
 */
#ifndef CF_SERVER_LIVE_H
#define CF_SERVER_LIVE_H

#include "chitfund/app.h"
#include "chitfund/errors.h"
#include "http_server.h"

/** The running live machinery (opaque). */
typedef struct cf_server_live cf_server_live;

/**
 * Read CHITFUND_ANTI_SNIPING_S into cfg->anti_sniping_s (before cf_app_new).
 * CF_EINVALID with field when the value is out of range.
 */
int cf_server_live_config(cf_app_config *cfg, cf_error *err);

/**
 * Start the ticker, the WebSocket hub and the NOTIFY listener (its own
 * connection to `conninfo`), and register the /live WebSocket handler on
 * `http`. Call after cf_http_start; stop with cf_server_live_stop after
 * cf_http_stop. CF_EUNAVAILABLE when the listener cannot connect; CF_ENOMEM.
 */
int cf_server_live_start(cf_server_live **out, cf_app *app, cf_http_server *http,
                         const char *conninfo, cf_error *err);

/** Stop the ticker and the listener, free the hub (NULL-safe). */
void cf_server_live_stop(cf_server_live *l);

#endif
