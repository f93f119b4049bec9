/*
 * chitfund/sys/event_sink.h - OPTIONAL port: live events of an auction
 * (bid, extended, closed) for WebSocket fan-out.
 *
 * The core calls publish inside the transaction that made the change, after
 * its last write: an implementation must deliver the event only when (and
 * if) that transaction commits, and in commit order (postgres: NOTIFY inside
 * the transaction; memory: queue on the tx and hand over after commit). A
 * publish failure fails the use case (nothing is committed).
 */
#ifndef CHITFUND_SYS_EVENT_SINK_H
#define CHITFUND_SYS_EVENT_SINK_H

#include "chitfund/sys/tx.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_EVENT_SINK_VERSION 1

/** Event sink port (version 0: no live events). */
typedef struct cf_event_sink {
	unsigned int version; /**< CF_EVENT_SINK_VERSION, or 0 when absent */
	void *self;
	/**
	 * Publish `json` (a compact JSON object with "type", copied) for the
	 * subscribers of `channel_key` (an auction id), delivered on commit of
	 * tx. CF_EINVALID when the event is too large; storage errors as usual.
	 */
	int (*publish)(void *self, cf_tx *tx, const char *channel_key, const char *json);
	/* ---- end of version 1 ---- */
} cf_event_sink;

#ifdef __cplusplus
}
#endif
#endif
