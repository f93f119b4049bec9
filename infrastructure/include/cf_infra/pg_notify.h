/*
 * cf_infra/pg_notify.h - PostgreSQL LISTEN/NOTIFY for cross-process fan-out.
 *
 * A cf_pg_listener owns ONE dedicated libpq connection (never a pooled one:
 * LISTEN is session state) and a thread that waits on the connection's
 * socket with poll(), reads notifications in arrival order and hands each
 * one to a callback. PostgreSQL delivers notifications in commit order, and
 * a NOTIFY issued inside a transaction is delivered only if it commits, so a
 * publisher that calls cf_pg_notify_send() inside its bid transaction gets
 * "delivered exactly when committed, in commit order" for free.
 *
 * When the connection drops, the thread reconnects with exponential backoff
 * and, once LISTEN is active again, calls the gap callback: notifications
 * sent while it was down are lost, so subscribers must resync (send a fresh
 * snapshot). Ordering per auction: the payload carries a per-auction `seq`
 * (the caller's bid count) so receivers can detect gaps and duplicates.
 *
 * Threads: callbacks run on the listener's thread, one at a time, never
 * concurrently with each other. They must not call cf_pg_listener_stop() on
 * their own listener. Connections must not cross fork().
 */
#ifndef CF_INFRA_PG_NOTIFY_H
#define CF_INFRA_PG_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "chitfund/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The channel the auction use cases publish bid events on. */
#define CF_PG_NOTIFY_AUCTION_CHANNEL "cf_auction_events"
/** Largest payload accepted, in bytes (PostgreSQL refuses 8000 and more). */
#define CF_PG_NOTIFY_MAX_PAYLOAD 7999
/** Longest channel name (PostgreSQL identifiers hold 63 bytes). */
#define CF_PG_NOTIFY_MAX_CHANNEL 63

/**
 * Called once per notification, in arrival order, on the listener thread.
 * `payload` is NUL-terminated, `len` bytes long, and lent for the call only.
 */
typedef void (*cf_pg_notify_fn)(const char *payload, size_t len, void *user);

/**
 * Called on the listener thread after a reconnect, once LISTEN is active
 * again: notifications may have been missed since the connection dropped.
 */
typedef void (*cf_pg_notify_gap_fn)(void *user);

/**
 * Called on the listener thread when a live connection is lost, before any
 * reconnect: from now until the gap callback, notifications are being missed.
 */
typedef void (*cf_pg_notify_down_fn)(void *user);

/** Listener settings. Zero fields take the defaults given. */
typedef struct cf_pg_listener_config {
	const char *conninfo;         /**< libpq connection string or URI (copied); required */
	const char *channel;          /**< channel name (copied); required, 1..63 bytes */
	cf_pg_notify_fn on_notify;    /**< required */
	cf_pg_notify_gap_fn on_gap;   /**< optional */
	cf_pg_notify_down_fn on_down; /**< optional */
	void *user;                   /**< passed to every callback */
	int backoff_min_ms;           /**< first reconnect delay; 0: 100 ms */
	int backoff_max_ms;           /**< reconnect delay cap (doubling); 0: 5000 ms */
	int ping_ms;                  /**< idle time before a liveness query; 0: 30000 ms */
} cf_pg_listener_config;

/** Counters (a snapshot) for /metrics and tests. */
typedef struct cf_pg_listener_stats {
	bool connected;      /**< LISTEN is active right now */
	uint64_t received;   /**< notifications handed to on_notify */
	uint64_t reconnects; /**< successful reconnects (== gap callbacks) */
	uint64_t failures;   /**< connection losses and failed connection attempts */
} cf_pg_listener_stats;

/** A running listener. Opaque. */
typedef struct cf_pg_listener cf_pg_listener;

/**
 * Connect, LISTEN on cfg->channel, and start the listener thread. When this
 * returns CF_OK the LISTEN is active: any notification committed afterwards
 * will be delivered. Errors: CF_EINVALID (missing conninfo, channel or
 * on_notify; bad channel length), CF_EUNAVAILABLE (cannot connect or LISTEN;
 * nothing is left running), CF_ENOMEM, CF_ERROR (thread creation).
 * Stop and free with cf_pg_listener_stop().
 */
int cf_pg_listener_start(cf_pg_listener **out, const cf_pg_listener_config *cfg, cf_error *err);

/**
 * Stop promptly (wakes the thread through a pipe, even mid-backoff), join
 * the thread, close the connection and free the listener. No callback runs
 * after this returns. NULL is ignored. Must not be called from a callback.
 */
void cf_pg_listener_stop(cf_pg_listener *l);

/** Snapshot of the listener's counters. */
void cf_pg_listener_stats_get(cf_pg_listener *l, cf_pg_listener_stats *out);

/**
 * The server process id of the listener's current connection (for tests
 * and diagnostics, e.g. pg_terminate_backend), 0 when disconnected.
 */
int cf_pg_listener_backend_pid(cf_pg_listener *l);

/**
 * Queue a notification: `SELECT pg_notify($1, $2)` with both values as
 * parameters. Inside a transaction it is delivered only on COMMIT (and
 * never after ROLLBACK); outside one, at once. `payload` is NUL-terminated
 * text. Errors: CF_EINVALID (NULL arguments, empty or over-long channel,
 * payload longer than CF_PG_NOTIFY_MAX_PAYLOAD bytes: slug
 * "payload-too-large"), else the mapped SQLSTATE status (CF_EUNAVAILABLE
 * when the connection is gone). The connection is the caller's (pooled or
 * not); it is used, not kept.
 */
int cf_pg_notify_send(PGconn *conn, const char *channel, const char *payload, cf_error *err);

#ifdef __cplusplus
}
#endif
#endif
