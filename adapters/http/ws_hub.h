/*
 * ws_hub.h - fan-out of WebSocket text frames to the watchers of an auction.
 *
 * Subscribers are connections (opaque `void *`, a `struct mg_connection *`
 * in the server) keyed by auction id (UUID text). Publishing never blocks on
 * a client: each subscriber has a bounded outbound queue, and a small pool
 * of sender threads drains the queues. A subscriber whose queue overflows,
 * or whose write fails, is dropped: it gets no more frames, its queue is
 * discarded, and (overflow only) the close function is called once so the
 * client can reconnect and resync from a snapshot.
 *
 * Ordering: frames reach one subscriber in publish order (one sender at a
 * time per subscriber). Frames may carry a per-auction `seq` (the bid count);
 * a subscriber skips any sequenced frame at or below the last seq it was
 * given, so a snapshot + events handover delivers each bid once.
 *
 * Joining without losing or duplicating events: subscribe with
 * CF_WS_HUB_HOLD (events are queued but not sent), read the snapshot, then
 * cf_ws_hub_release() with the snapshot frame and its seq: the snapshot goes
 * first, held events with seq <= the snapshot's are dropped, the rest follow.
 *
 * civetweb wiring (one writer per connection, and a connection pointer is
 * invalid once the close handler returns): the ready handler subscribes;
 * replies to the client go through cf_ws_hub_send() (never mg_websocket_write
 * directly, so there is one writer); the close handler calls
 * cf_ws_hub_unsubscribe(), which waits for a write in progress on that
 * connection to finish and guarantees the hub never touches it afterwards.
 *
 * Threads: every function may be called from any thread, except that
 * cf_ws_hub_unsubscribe() and cf_ws_hub_free() must not be called from inside
 * the hub's write or close functions.
 */
#ifndef CF_WS_HUB_H
#define CF_WS_HUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest auction id accepted (a UUID is 36). */
#define CF_WS_HUB_ID_MAX 64
/** Default bound of one subscriber's queue, in frames. */
#define CF_WS_HUB_DEFAULT_MAX_FRAMES 256
/** Default bound of one subscriber's queue, in bytes (1 MiB). */
#define CF_WS_HUB_DEFAULT_MAX_BYTES (1024u * 1024u)
/** Default number of sender threads. */
#define CF_WS_HUB_DEFAULT_SENDERS 4
/** Close status sent to a dropped slow subscriber (RFC 6455 1013, "try again later"). */
#define CF_WS_HUB_CLOSE_SLOW 1013

/** cf_ws_hub_subscribe() flag: queue frames but do not send until cf_ws_hub_release(). */
#define CF_WS_HUB_HOLD 1u

/**
 * Write one text frame to a connection. Returns > 0 on success, 0 or < 0
 * when the connection is closed or failed (the subscriber is then dropped,
 * without a close call). May block (a slow client); runs on a sender thread.
 */
typedef int (*cf_ws_write_fn)(void *conn, const char *data, size_t len);

/**
 * Ask a dropped (slow) connection to close. Called once, on a sender thread,
 * never concurrently with a write to the same connection.
 */
typedef void (*cf_ws_close_fn)(void *conn);

/** Hub settings. Zero fields take the defaults. */
typedef struct cf_ws_hub_config {
	int senders;          /**< sender threads; 0: CF_WS_HUB_DEFAULT_SENDERS */
	size_t max_frames;    /**< per-subscriber queue bound; 0: CF_WS_HUB_DEFAULT_MAX_FRAMES */
	size_t max_bytes;     /**< per-subscriber queue bound; 0: CF_WS_HUB_DEFAULT_MAX_BYTES */
	cf_ws_write_fn write; /**< NULL: cf_ws_hub_mg_write (civetweb text frame) */
	cf_ws_close_fn close; /**< NULL: cf_ws_hub_mg_close when write is NULL, else none */
} cf_ws_hub_config;

/** Counters (a snapshot). */
typedef struct cf_ws_hub_stats {
	size_t subscribers;      /**< subscribed now (including held and dropped ones) */
	uint64_t published;      /**< cf_ws_hub_publish* calls */
	uint64_t queued;         /**< frames queued to subscribers */
	uint64_t sent;           /**< frames written successfully */
	uint64_t dropped;        /**< subscribers dropped (overflow or failed write) */
	uint64_t write_failures; /**< writes that failed */
} cf_ws_hub_stats;

/** What the hub knows about one connection. */
typedef enum cf_ws_sub_state {
	CF_WS_SUB_NONE = 0,   /**< not subscribed (never, or unsubscribed) */
	CF_WS_SUB_ACTIVE = 1, /**< receiving frames */
	CF_WS_SUB_HELD = 2,   /**< subscribed with CF_WS_HUB_HOLD, not yet released */
	CF_WS_SUB_DROPPED = 3 /**< dropped (slow or failed); waiting for unsubscribe */
} cf_ws_sub_state;

/** The hub. Opaque. */
typedef struct cf_ws_hub cf_ws_hub;

/**
 * Create a hub and start its sender threads. Errors: CF_EINVALID (senders
 * < 0 or > 64), CF_ENOMEM, CF_ERROR (thread creation). Free with
 * cf_ws_hub_free().
 */
int cf_ws_hub_new(cf_ws_hub **out, const cf_ws_hub_config *cfg, cf_error *err);

/**
 * Stop the senders (a write in progress is waited for), forget every
 * subscriber without calling write or close, free all. Call after the
 * server has stopped (mg_stop) or every connection has unsubscribed.
 * NULL is ignored.
 */
void cf_ws_hub_free(cf_ws_hub *hub);

/**
 * Subscribe `conn` to `auction_id` (copied; 1..CF_WS_HUB_ID_MAX bytes).
 * flags: 0 or CF_WS_HUB_HOLD. Errors: CF_EINVALID (NULL conn, bad id or
 * flags), CF_EEXISTS (conn is already subscribed), CF_ENOMEM.
 */
int cf_ws_hub_subscribe(cf_ws_hub *hub, const char *auction_id, void *conn, unsigned flags,
                        cf_error *err);

/**
 * Start delivery to a held subscriber: `first` (may be NULL: nothing) is
 * sent before any held frame; held frames with 0 < seq <= first_seq are
 * discarded, and later sequenced frames at or below first_seq are skipped.
 * Releasing an active subscriber just sends `first` (after what is queued).
 * Errors: CF_ENOTFOUND (not subscribed), CF_ECONFLICT (dropped),
 * CF_ENOMEM.
 */
int cf_ws_hub_release(cf_ws_hub *hub, void *conn, const char *first, size_t len, int64_t first_seq,
                      cf_error *err);

/**
 * Remove `conn`. Waits while a sender is writing to it; once this returns
 * the hub never uses `conn` again (call it from civetweb's close handler).
 * Unknown connections are ignored.
 */
void cf_ws_hub_unsubscribe(cf_ws_hub *hub, void *conn);

/**
 * Queue a copy of `json` (len bytes, a text frame) to every active or held
 * subscriber of `auction_id`. Never blocks on a client; a subscriber whose
 * queue would overflow is dropped instead. Returns the number of
 * subscribers the frame was queued for (>= 0), or CF_EINVALID / CF_ENOMEM.
 */
int cf_ws_hub_publish(cf_ws_hub *hub, const char *auction_id, const char *json, size_t len,
                      cf_error *err);

/**
 * cf_ws_hub_publish() for a sequenced event (seq > 0, per auction): skipped
 * for subscribers that already got seq or later (duplicates after a
 * snapshot), and it raises each receiver's last seq.
 */
int cf_ws_hub_publish_seq(cf_ws_hub *hub, const char *auction_id, int64_t seq, const char *json,
                          size_t len, cf_error *err);

/**
 * Queue a frame to one subscriber (a reply to its own message, an error
 * frame), in order with its other frames. Errors: CF_ENOTFOUND (not
 * subscribed), CF_ECONFLICT (dropped, or it overflowed now), CF_ENOMEM.
 */
int cf_ws_hub_send(cf_ws_hub *hub, void *conn, const char *json, size_t len, cf_error *err);

/** The state of `conn` in the hub. */
cf_ws_sub_state cf_ws_hub_state(cf_ws_hub *hub, void *conn);

/**
 * Call fn once per distinct auction id that has subscribers (for resync
 * after a gap: publish a fresh snapshot to each). fn runs under the hub's
 * lock: it must not call back into the hub; copy the ids and work after.
 * Returns the number of ids visited.
 */
int cf_ws_hub_auctions(cf_ws_hub *hub, void (*fn)(const char *auction_id, void *user), void *user);

/**
 * Wait until no frame is queued for an active subscriber and no sender is
 * busy, or timeout_ms passes (< 0: no limit). CF_OK when idle,
 * CF_EUNAVAILABLE on timeout. For tests, benchmarks and orderly shutdown.
 */
int cf_ws_hub_wait_idle(cf_ws_hub *hub, int timeout_ms);

/** Snapshot of the counters. */
void cf_ws_hub_stats_get(cf_ws_hub *hub, cf_ws_hub_stats *out);

/** The default write: mg_websocket_write(conn, MG_WEBSOCKET_OPCODE_TEXT, ...). */
int cf_ws_hub_mg_write(void *conn, const char *data, size_t len);

/** The default close: a CLOSE frame with status CF_WS_HUB_CLOSE_SLOW. */
void cf_ws_hub_mg_close(void *conn);

#ifdef __cplusplus
}
#endif
#endif
