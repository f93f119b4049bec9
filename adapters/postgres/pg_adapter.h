/* pg_adapter.h - private to adapters/postgres: the tx struct and helpers. */
#ifndef CF_PG_ADAPTER_H
#define CF_PG_ADAPTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cf_infra/pg.h"
#include "chitfund/adapters/postgres.h"

/* The read cache (pg_cache.c); NULL when not started. */
typedef struct cf_pgad_cache cf_pgad_cache;

struct cf_pg_store {
	cf_pg_pool *pool;
	bool early_release;   /* cf_pg_store_set_early_release */
	cf_pgad_cache *cache; /* cf_pg_store_cache_start */
};

/* Kinds of cached rows. */
enum { CF_PGAD_CACHE_USERS, CF_PGAD_CACHE_SCHEMES, CF_PGAD_CACHE_KINDS };
/* Ids a tx remembers to invalidate; past this it flushes everything. */
#define CF_PGAD_TX_TOUCHED 8

/* A statement waiting to be sent with the commit (pg_deferred.c). */
typedef struct cf_pgad_deferred cf_pgad_deferred;

struct cf_tx {
	cf_pg_store *store;
	cf_pg_conn *conn;
	cf_pgad_deferred *deferred; /* statements sent with COMMIT, oldest first */
	bool read_only;             /* begun by begin_read: no BEGIN, may use the cache */
	bool defer_writes;          /* cf_pgad_write queues until the commit */
	bool touched_overflow;
	size_t n_touched;
	struct {
		int kind;
		char id[CF_ID_SIZE];
	} touched[CF_PGAD_TX_TOUCHED]; /* cached rows this tx wrote */
};

/*
 * The read cache (pg_cache.c). lookup: 1 = hit (*out filled), 0 = miss
 * (*gen set: pass it to fill after reading the database), -1 = not usable
 * here (no cache, cache off, or tx writes). fill: keep a row read after a
 * miss, unless something was invalidated since *gen. touch: a write of a
 * cached row, invalidated when the tx ends. tx_end: do those invalidations.
 */
int cf_pgad_cache_lookup(cf_tx *tx, int kind, const char *id, void *out, uint64_t *gen);
void cf_pgad_cache_fill(cf_tx *tx, int kind, const char *id, const void *val, uint64_t gen);
void cf_pgad_cache_touch(cf_tx *tx, int kind, const char *id);
void cf_pgad_cache_tx_end(cf_tx *tx);
void cf_pgad_cache_free(cf_pgad_cache *c);

/* Run a named prepared statement in tx; *out (may be NULL) owns the result. */
int cf_pgad_run(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p,
                PGresult **out);
/* Like cf_pgad_run, then *rows = number of rows returned (result cleared). */
int cf_pgad_run_count(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p,
                      int *rows);

/*
 * cf_pgad_run_count inside a savepoint: a unique violation (CF_EEXISTS) is
 * rolled back to the savepoint so the transaction stays usable.
 */
int cf_pgad_run_count_guarded(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p,
                              int *rows);

/* Reads result row `row` into item; CF_OK or CF_ERROR (a column that does not fit/parse). */
typedef int (*cf_pgad_row_fn)(const PGresult *r, int row, void *item);

/*
 * Run a SELECT (or ... RETURNING) and read its first row into item with fn:
 * CF_ENOTFOUND when it returned no row, else fn's status or the run's error.
 */
int cf_pgad_select_one(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p,
                       cf_pgad_row_fn fn, void *item);

/*
 * Run a SELECT and read every row with fn into a calloc'd array of es-sized
 * items (never NULL on CF_OK, even for no rows): *items (caller frees) and
 * *count. On any error *items is NULL and *count 0 (CF_ENOMEM, fn's status,
 * or the run's error).
 */
int cf_pgad_select_all(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p,
                       size_t es, cf_pgad_row_fn fn, void **items, size_t *count);

/*
 * cf_pgad_select_one with one parameter, $1 = id: CF_ENOTFOUND without
 * running anything when id is not a uuid.
 */
int cf_pgad_select_one_by_uuid(cf_tx *tx, const char *name, const char *sql, const char *id,
                               cf_pgad_row_fn fn, void *item);

/*
 * cf_pgad_select_all with one parameter, $1 = id: CF_OK with no items (and
 * *items NULL) without running anything when id is not a uuid.
 */
int cf_pgad_select_all_by_uuid(cf_tx *tx, const char *name, const char *sql, const char *id,
                               size_t es, cf_pgad_row_fn fn, void **items, size_t *count);

/*
 * A statement that must touch a row (UPDATE/DELETE ... RETURNING 1, or a
 * SELECT): CF_OK when it returned a row, CF_ENOTFOUND when none, else the
 * run's error.
 */
int cf_pgad_run_found(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p);

/*
 * An INSERT ... ON CONFLICT DO NOTHING RETURNING 1 of one row: CF_OK when
 * it went in, CF_EEXISTS when it conflicted, else the run's error.
 */
int cf_pgad_insert_once(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p);

/*
 * After an optimistic UPDATE matched no row: runs exists_sql (one parameter,
 * $1 = id) to tell a stale version (a row: CF_ECONFLICT) from a missing row
 * (CF_ENOTFOUND); or the run's error.
 */
int cf_pgad_stale_or_missing(cf_tx *tx, const char *exists_name, const char *exists_sql,
                             const char *id);

/*
 * An optimistic UPDATE ... WHERE ... AND row_version = $n RETURNING 1: on a
 * row, ++*row_version and CF_OK. On none: with exists_name NULL,
 * CF_ECONFLICT; else cf_pgad_stale_or_missing(exists_name, exists_sql, id).
 */
int cf_pgad_update_versioned(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p,
                             int64_t *row_version, const char *exists_name, const char *exists_sql,
                             const char *id);

/* True when s is canonical UUID text (36 chars, hex and dashes). */
bool cf_pgad_is_uuid(const char *s);
/* Append text, or NULL for "" (optional text columns). */
void cf_pgad_param_opt(cf_pg_params *p, const char *s);
/* Append Unix ms, or NULL for 0 (optional instants). */
void cf_pgad_param_opt_ms(cf_pg_params *p, int64_t ms);

/* Result readers: CF_OK, or CF_ERROR when the column does not fit/parse. */
int cf_pgad_text(const PGresult *r, int row, int col, char *buf, size_t cap);
int cf_pgad_i64(const PGresult *r, int row, int col, int64_t *out);
/* NULL reads as 0. */
int cf_pgad_i64_or0(const PGresult *r, int row, int col, int64_t *out);
int cf_pgad_i32(const PGresult *r, int row, int col, int32_t *out);
int cf_pgad_i32_or0(const PGresult *r, int row, int col, int32_t *out);
int cf_pgad_bool(const PGresult *r, int row, int col, bool *out);

/*
 * Reads a deferred statement's result (borrowed) into ctx; called at commit
 * when the statement succeeded, before the COMMIT's result is known: the
 * outputs count only when cf_pgad_deferred_commit returns CF_OK. A negative
 * return fails the commit call (the transaction may still have committed).
 */
typedef int (*cf_pgad_deferred_fn)(const PGresult *r, void *ctx);

/*
 * Queue sql (static text) with n parameters to be sent with tx's COMMIT
 * (pg_deferred.c): as the prepared statement name (static; prepared on the
 * connection in the same pipeline the first time), or unnamed (planned at
 * commit) when name is NULL. values (NULL: SQL NULL),
 * lengths and formats as PQexecParams (lengths/formats may be NULL: all
 * text); the bytes are copied. The statement must raise when it cannot do
 * its job: the COMMIT behind it is already on the wire. Queued statements
 * run in order after everything tx sent before its commit. CF_ENOMEM,
 * CF_EINVALID.
 */
int cf_pgad_defer(cf_tx *tx, const char *name, const char *sql, int n, const char *const *values,
                  const int *lengths, const int *formats, cf_pgad_deferred_fn on_result, void *ctx);
/*
 * Queue a named prepared statement (text parameters copied from p) to be
 * sent with the COMMIT; prepared on the connection in the same pipeline the
 * first time. The statement must raise when it cannot do its job.
 */
int cf_pgad_defer_prepared(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p);

/*
 * A write that may wait for the commit: with tx->defer_writes (the unit of
 * work's defer_writes) it is queued by cf_pgad_defer_prepared and *rows
 * (when not NULL) is 1, so its SQL must raise when it cannot do its job;
 * else it runs now and *rows counts the rows it returned.
 */
int cf_pgad_write(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p, int *rows);

/*
 * An insert that reports the row's generated seq: now, `sql` (ending in
 * "ON CONFLICT DO NOTHING RETURNING seq"; no row: CF_EEXISTS); while writes
 * are deferred, `sql_d` (the plain insert, a conflict raises at commit) is
 * queued and *seq is 0.
 */
int cf_pgad_insert_seq(cf_tx *tx, const char *name, const char *sql, const char *name_d,
                       const char *sql_d, const cf_pg_params *p, int64_t *seq);
/*
 * Commit tx with its deferred statements: they and COMMIT go in one
 * pipeline, one round trip, so the single-row locks they take (audit chain
 * head, receipt counter) are held only for the commit. Without a
 * transaction block (a read-only unit) they autocommit. Errors as
 * cf_pg_commit (the first failing statement's status); the caller rolls back
 * on failure. The queue is emptied either way.
 */
int cf_pgad_deferred_commit(cf_tx *tx);
/* Free tx's deferred statements without sending them (rollback, end). */
void cf_pgad_deferred_discard(cf_tx *tx);

/* Port fillers, one per module. */
void cf_pgad_user_ports(cf_pg_store *s, cf_ports *out);
void cf_pgad_scheme_ports(cf_pg_store *s, cf_ports *out);
void cf_pgad_audit_ports(cf_pg_store *s, cf_ports *out);
/* Draws (pg_auctions.c): auctions, ledger and events (NOTIFY on commit). */
void cf_pgad_auction_ports(cf_pg_store *s, cf_ports *out);
/* The notification outbox (pg_notifications.c). */
void cf_pgad_notification_ports(cf_pg_store *s, cf_ports *out);

#endif
