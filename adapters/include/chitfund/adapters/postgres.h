/*
 * chitfund/adapters/postgres.h - the PostgreSQL adapter: every repository
 * port of chitfund/sys plus the unit of work, over a cf_pg_pool.
 *
 * Transactions: cf_uow.begin takes one pooled connection (bounded wait;
 * CF_EUNAVAILABLE when none frees up in time) and runs BEGIN (READ
 * COMMITTED); the connection belongs to that cf_tx until commit or rollback
 * hands it back. Row locks are taken where a port says so
 * (tickets.lock_scheme: SELECT ... FOR UPDATE on the scheme; audit.lock_head:
 * the single audit_head row, which the core takes last). The adapter does
 * not retry: a serialization failure or deadlock comes back as CF_ERETRY and
 * the core retries the whole use case.
 *
 * Statements: every statement is a named prepared statement with text
 * parameters (cf_pg_exec_prepared: prepared once per pooled connection on
 * first use), never SQL built from values. Inserts use ON CONFLICT DO
 * NOTHING so that "already exists" (CF_EEXISTS) leaves the transaction
 * usable; other SQL errors are mapped from their SQLSTATE (cf_pg_check).
 * Ids that are not canonical UUID text are "not found" without a query.
 * Instants (Unix ms) are stored as timestamptz and round-trip exactly;
 * optional text held as "" is stored as NULL.
 */
#ifndef CHITFUND_ADAPTERS_POSTGRES_H
#define CHITFUND_ADAPTERS_POSTGRES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cf_infra/pg.h"
#include "chitfund/sys/ports.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The adapter's state (opaque): a borrowed pool. */
typedef struct cf_pg_store cf_pg_store;

/**
 * Create a store over `pool` (borrowed: it must outlive the store).
 * CF_EINVALID for a NULL pool; CF_ENOMEM. Free with cf_pg_store_free.
 */
int cf_pg_store_new(cf_pg_store **out, cf_pg_pool *pool);

/** Free the store (NULL-safe). No transaction may be open. The pool is not closed. */
void cf_pg_store_free(cf_pg_store *s);

/**
 * Early release of the serialisation points (default off). A unit of work
 * that takes the audit chain head or the receipt counter sends those
 * statements with its COMMIT in one pipeline either way. With early release
 * that COMMIT runs with synchronous_commit off, so the single-row locks are
 * released once the commit record is in the WAL rather than after its
 * flush, and a second statement in the same round trip (a transaction of its
 * own that commits synchronously) waits until the WAL is flushed past it:
 * the caller still hears CF_OK only once its commit is durable, and commits
 * of different units group into one flush. What changes: other sessions may
 * see the committed rows (and chain onto them) up to one WAL flush before
 * they are durable; after a crash in that window they are gone together with
 * everything built on them (the WAL is replayed as a prefix), so receipt
 * numbers and the audit chain stay gapless. Set before use; not thread-safe
 * against open units.
 */
void cf_pg_store_set_early_release(cf_pg_store *s, bool on);

/**
 * Start the read cache of user and scheme rows (default: not started).
 * Read-only units of work (the use cases' reads) then serve users.get and
 * schemes.get from memory; units that write always read the database. It
 * keeps up to `entries` rows of each kind (1..16777216; a user row is about
 * 2.7 KiB, a scheme 1 KiB). It opens its own connection to `conninfo` and
 * LISTENs on channel "cf_cache", where the triggers of migration 0051
 * announce every committed change to those rows from any process; this
 * store's own writes are invalidated before their use case returns. While
 * that connection is down the cache is bypassed, and it restarts empty.
 * Other processes' changes are seen once their notification arrives (the
 * staleness window of a read replica, normally under a millisecond): see
 * docs/decisions/0006-read-cache.md. Call once, before use; stopped by
 * cf_pg_store_free. Errors: CF_EINVALID, CF_ENOMEM, CF_EUNAVAILABLE (cannot
 * connect or LISTEN).
 */
int cf_pg_store_cache_start(cf_pg_store *s, const char *conninfo, size_t entries, cf_error *err);

/** Counters of the read cache (a snapshot). */
typedef struct cf_pg_cache_stats {
	bool started;           /**< cf_pg_store_cache_start succeeded */
	bool enabled;           /**< serving now (false while its LISTEN is down) */
	uint64_t hits;          /**< lookups answered from memory */
	uint64_t misses;        /**< lookups that went to the database */
	uint64_t invalidations; /**< rows dropped because they changed */
	uint64_t flushes;       /**< whole-cache drops (connection lost, unknown payload) */
} cf_pg_cache_stats;

/** Fill *out with the read cache's counters (zeros when not started). */
void cf_pg_store_cache_stats(cf_pg_store *s, cf_pg_cache_stats *out);

/**
 * The server process id of the cache's LISTEN connection, 0 when not
 * started or disconnected (for tests: pg_terminate_backend).
 */
int cf_pg_store_cache_listener_pid(cf_pg_store *s);

/**
 * Fill the storage members of *out (uow, users, refresh_tokens, schemes,
 * tickets, scheme_agents, audit, login_throttle) with ports over s; other
 * members are left untouched. The ports borrow s.
 */
void cf_pg_store_ports(cf_pg_store *s, cf_ports *out);

/**
 * The pooled connection a transaction of this adapter runs on (for tests
 * and for adapters of later issues that share the transaction). NULL for a
 * NULL tx.
 */
cf_pg_conn *cf_pg_tx_conn(cf_tx *tx);

#ifdef __cplusplus
}
#endif
#endif
