/*
 * chitfund/adapters/memory_auctions.h - the draw ports (auctions, ledger,
 * events, overdue) in memory, for tests and embedding, on top of a memory
 * store (chitfund/adapters/memory.h).
 *
 * cf_memory_auctions_ports wraps the ports' unit of work: begin snapshots
 * these tables too and rollback restores them, so a rolled-back use case
 * leaves no trace here either. Transactions are serial (one mutex from
 * begin to commit/rollback). Events published in a transaction are
 * recorded (and handed to the optional listener) only after it commits.
 */
#ifndef CHITFUND_ADAPTERS_MEMORY_AUCTIONS_H
#define CHITFUND_ADAPTERS_MEMORY_AUCTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/sys/ports.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The draw tables in memory (opaque). */
typedef struct cf_memory_auctions cf_memory_auctions;

/** Create empty tables. CF_ENOMEM. Free with cf_memory_auctions_free. */
int cf_memory_auctions_new(cf_memory_auctions **out);
/** Free everything (NULL-safe). No tx may be open. */
void cf_memory_auctions_free(cf_memory_auctions *m);

/**
 * Fill p->auctions, p->ledger, p->events and p->overdue over m, and wrap
 * p->uow (which must already be filled, e.g. by cf_memory_store_ports):
 * call it last. The ports borrow m.
 */
void cf_memory_auctions_ports(cf_memory_auctions *m, cf_ports *p);

/**
 * Called after commit for every event published in the transaction, in order,
 * while the store is still held: it must not call back into the app or the store.
 */
typedef void (*cf_memory_event_fn)(const char *key, const char *json, void *user);
/** Set (or clear with NULL) the event listener. */
void cf_memory_auctions_on_event(cf_memory_auctions *m, cf_memory_event_fn fn, void *user);
/** Number of committed events recorded so far. */
size_t cf_memory_auctions_event_count(const cf_memory_auctions *m);
/** The i-th committed event's JSON (borrowed; NULL when out of range). */
const char *cf_memory_auctions_event(const cf_memory_auctions *m, size_t i);

/**
 * Fake overdue source for tests: mark ticket_no of scheme_id overdue (or
 * not) from now on. CF_ENOMEM.
 */
int cf_memory_auctions_set_overdue(cf_memory_auctions *m, const char *scheme_id, int32_t ticket_no,
                                   bool overdue);

/**
 * Fault injection for tests: the k-th repository call (auctions and ledger
 * methods, counted from now, 1-based) fails with `code`; 0 disables.
 * Returns the number of calls counted since the last arming.
 */
int cf_memory_auctions_fail_call(cf_memory_auctions *m, int k, int code);

#ifdef __cplusplus
}
#endif
#endif
