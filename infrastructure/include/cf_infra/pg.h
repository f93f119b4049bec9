/*
 * cf_infra/pg.h - PostgreSQL driver helpers over libpq: a thread-safe
 * connection pool with a bounded wait, SQLSTATE -> cf_status mapping,
 * parameter and result helpers, per-connection prepared statements, and
 * transactions with bounded retry.
 *
 * Every statement is parameterised: values travel as text parameters of
 * PQexecParams / PQexecPrepared, never inside the SQL text.
 *
 * Prepared statements: cf_pg_exec_prepared() names a statement with a
 * caller-chosen constant name; the first use on a given connection runs
 * PQprepare, later uses only PQexecPrepared. Each pooled connection keeps
 * the set of names it has prepared; the set is cleared when the connection
 * is reset or replaced (a new session has no prepared statements).
 *
 * Threads: the pool may be used from any number of threads. A cf_pg_conn
 * belongs to one thread between acquire and release. Connections must not
 * cross fork(): open pools in the process that uses them.
 */
#ifndef CF_INFRA_PG_H
#define CF_INFRA_PG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "chitfund/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A pool of libpq connections. Opaque. */
typedef struct cf_pg_pool cf_pg_pool;
/** One pooled connection (a PGconn plus its prepared-statement set). Opaque. */
typedef struct cf_pg_conn cf_pg_conn;

/** Default pool size (design.md: 16 connections). */
#define CF_PG_POOL_DEFAULT_SIZE 16
/** Default bounded wait for a free connection, in milliseconds (design.md: 2 s). */
#define CF_PG_POOL_DEFAULT_WAIT_MS 2000

/**
 * Pool settings. Zero fields take the defaults above. Connections default to
 * connect_timeout=5 and application_name=chitfund unless conninfo sets them.
 */
typedef struct cf_pg_pool_config {
	const char *conninfo; /**< libpq connection string or URI (copied); required */
	int size;             /**< maximum connections (opened lazily); 0: default */
	int wait_ms;          /**< bounded wait when all are busy; 0: default, <0: no wait */
} cf_pg_pool_config;

/** Counters for /metrics and tests (a snapshot). */
typedef struct cf_pg_pool_stats {
	int size;              /**< configured maximum */
	int open;              /**< connections currently open (idle + in use) */
	int in_use;            /**< connections handed out */
	int waiting;           /**< threads waiting for a connection */
	uint64_t acquired;     /**< successful acquires since open */
	uint64_t timeouts;     /**< acquires that gave up after the bounded wait */
	uint64_t replaced;     /**< broken connections reset or replaced */
	uint64_t connect_fail; /**< failed connection attempts */
} cf_pg_pool_stats;

/**
 * Create a pool. No connection is made yet (they open lazily on acquire).
 * CF_EINVALID for a missing conninfo or a negative size; CF_ENOMEM.
 * Free with cf_pg_pool_close().
 */
int cf_pg_pool_open(cf_pg_pool **out, const cf_pg_pool_config *cfg, cf_error *err);

/**
 * Close every idle connection and free the pool. Every connection must have
 * been released first. NULL is ignored.
 */
void cf_pg_pool_close(cf_pg_pool *pool);

/**
 * Take a connection: an idle one, else a new one when fewer than `size` are
 * open, else wait up to wait_ms for one to be released. A connection found
 * broken (PQstatus != CONNECTION_OK) is reset first. CF_EUNAVAILABLE (slug
 * "service-unavailable") when the wait runs out or the server cannot be
 * reached. The caller must give it back with cf_pg_pool_release().
 */
int cf_pg_pool_acquire(cf_pg_pool *pool, cf_pg_conn **out, cf_error *err);

/**
 * Give a connection back. A connection that is broken, or not idle
 * (inside a transaction, failed transaction, or a command still active),
 * is rolled back or closed so the next user gets a clean session; if it
 * cannot be cleaned it is closed and its slot freed. NULL is ignored.
 */
void cf_pg_pool_release(cf_pg_pool *pool, cf_pg_conn *conn);

/** Snapshot of the pool's counters. */
void cf_pg_pool_stats_get(cf_pg_pool *pool, cf_pg_pool_stats *out);

/** The libpq handle of a pooled connection (owned by the pool). */
PGconn *cf_pg_conn_pg(cf_pg_conn *conn);

/**
 * Connect one standalone connection (outside any pool), e.g. for the
 * migrate command. CF_EUNAVAILABLE when the server cannot be reached.
 * Free with cf_pg_conn_close().
 */
int cf_pg_conn_open(const char *conninfo, cf_pg_conn **out, cf_error *err);
/** Close a standalone connection from cf_pg_conn_open(). NULL is ignored. */
void cf_pg_conn_close(cf_pg_conn *conn);

/**
 * Rewrite a connection string (key=value or URI) with another database
 * name: *out is a new key=value string (free() it). CF_EINVALID when
 * conninfo cannot be parsed; CF_ENOMEM.
 */
int cf_pg_conninfo_with_dbname(const char *conninfo, const char *dbname, char **out, cf_error *err);

/* ---- SQLSTATE mapping ---- */

/**
 * Map a five-character SQLSTATE to a cf_status:
 * 23505 -> CF_EEXISTS; 23503 -> CF_ENOTFOUND; 23514, 23502 and class 22 ->
 * CF_EINVALID; 40001, 40P01 -> CF_ERETRY; class 08, 57P01..57P03, 53300 ->
 * CF_EUNAVAILABLE; 55P03 (lock not available) -> CF_ERETRY; anything else
 * (and NULL) -> CF_ERROR.
 */
int cf_pg_status_from_sqlstate(const char *sqlstate);

/**
 * Check a result from PQexec*: CF_OK when its status is PGRES_COMMAND_OK or
 * PGRES_TUPLES_OK; otherwise the mapped status, with *err filled (slug from
 * the status, the constraint name in `field` for integrity violations, a
 * message that carries no SQL text or values). A NULL result (out of memory
 * or connection lost) maps from the connection's state.
 */
int cf_pg_check(PGconn *pg, const PGresult *res, cf_error *err);

/* ---- parameters ---- */

/** Maximum parameters one cf_pg_params holds. */
#define CF_PG_MAX_PARAMS 48

/**
 * Text parameters for one statement, with inline storage for numbers.
 * Text values are referenced, not copied: they must outlive the call.
 */
typedef struct cf_pg_params {
	int n;                                /**< parameters added */
	bool overflow;                        /**< more than CF_PG_MAX_PARAMS were added */
	const char *values[CF_PG_MAX_PARAMS]; /**< NULL: SQL NULL */
	char num[CF_PG_MAX_PARAMS][24];       /**< storage for formatted numbers */
} cf_pg_params;

/** Reset to zero parameters. */
void cf_pg_params_init(cf_pg_params *p);
/** Append a text parameter (NULL: SQL NULL). Not copied. */
void cf_pg_param_text(cf_pg_params *p, const char *s);
/** Append an int64 as decimal text (copied into p). */
void cf_pg_param_int64(cf_pg_params *p, int64_t v);
/** Append a boolean ("t"/"f"). */
void cf_pg_param_bool(cf_pg_params *p, bool v);
/** Append SQL NULL. */
void cf_pg_param_null(cf_pg_params *p);

/* ---- execution ---- */

/**
 * Run one parameterised statement (PQexecParams, text in and out).
 * On CF_OK, *out (when not NULL) owns the result: PQclear() it. On failure
 * *out is NULL and the mapped status is returned (see cf_pg_check).
 * CF_EINVALID when p overflowed.
 */
int cf_pg_exec(cf_pg_conn *c, const char *sql, const cf_pg_params *p, PGresult **out,
               cf_error *err);

/**
 * Like cf_pg_exec, through a named prepared statement: prepared on this
 * connection on first use. `name` must be a stable identifier for exactly
 * this `sql` (the same name with different SQL is a programming error).
 */
int cf_pg_exec_prepared(cf_pg_conn *c, const char *name, const char *sql, const cf_pg_params *p,
                        PGresult **out, cf_error *err);

/**
 * For callers that pipeline (PQsendPrepare / PQsendQueryPrepared): whether
 * statement `name` is known to be prepared on this connection, and record
 * that it now is (call only after its PQsendPrepare succeeded). CF_ENOMEM.
 */
bool cf_pg_prepared_known(const cf_pg_conn *c, const char *name);
int cf_pg_prepared_remember(cf_pg_conn *c, const char *name);
/**
 * Forget this connection's record of its prepared statements (the pool does
 * it after a reset, when the session is new). Should the statements still
 * exist on the server, their next Prepare meets 42P05: outside a
 * transaction that is ignored; inside one it has aborted the transaction,
 * and the call answers CF_ERETRY with the name remembered again, so the
 * retried unit runs.
 */
void cf_pg_conn_forget_prepared(cf_pg_conn *c);
/**
 * How a Prepare of `name` on c ended, from its result r (NULL: none came,
 * CF_EUNAVAILABLE). The name is recorded whenever the server has it: made
 * now, or already there (42P05: this connection's record was lost). 42P05 is
 * CF_OK unless `aborts` (the Prepare ran in a transaction or a pipeline, which
 * the error has aborted): then CF_ERETRY, and the retried unit runs with the
 * name known. Any other failure: r's mapped status.
 */
int cf_pg_prepare_result(cf_pg_conn *c, const char *name, const PGresult *r, bool aborts,
                         cf_error *err);

/* ---- results ---- */

/** True when the field is SQL NULL (or out of range). */
bool cf_pg_is_null(const PGresult *r, int row, int col);
/** Parse an integer field. CF_EINVALID for NULL or non-integer text. */
int cf_pg_get_int64(const PGresult *r, int row, int col, int64_t *out);
/** Parse an int32 field. CF_EINVALID for NULL, non-integer or out of range. */
int cf_pg_get_int32(const PGresult *r, int row, int col, int32_t *out);
/** Parse a boolean field ("t"/"f"). CF_EINVALID otherwise. */
int cf_pg_get_bool(const PGresult *r, int row, int col, bool *out);
/**
 * Copy a text field into buf (NUL-terminated). NULL copies "" and returns
 * CF_OK. CF_EBUFFER when it does not fit.
 */
int cf_pg_get_text(const PGresult *r, int row, int col, char *buf, size_t cap);
/**
 * Decode a bytea field (hex output format) into a new malloc'd buffer:
 * *out (free() it) and *len. NULL field: *out = NULL, *len = 0, CF_OK.
 */
int cf_pg_get_bytea(const PGresult *r, int row, int col, unsigned char **out, size_t *len);

/* ---- transactions ---- */

/** Isolation levels for cf_pg_begin. */
typedef enum cf_pg_isolation {
	CF_PG_READ_COMMITTED = 0,
	CF_PG_REPEATABLE_READ = 1,
	CF_PG_SERIALIZABLE = 2
} cf_pg_isolation;

/** BEGIN at the given isolation level. Mapped status on failure. */
int cf_pg_begin(cf_pg_conn *c, cf_pg_isolation iso, cf_error *err);
/**
 * BEGIN at the given isolation level, sent in the same round trip as the
 * connection's next statement (cf_pg_exec, cf_pg_exec_prepared, or the
 * pipeline that cf_pg_take_begin's caller sends): a transaction then costs
 * one round trip less. A BEGIN that fails is reported by that statement.
 * cf_pg_commit and cf_pg_rollback of a transaction that never sent a
 * statement send nothing. CF_EINVALID for an unknown level.
 */
int cf_pg_begin_lazy(cf_pg_conn *c, cf_pg_isolation iso, cf_error *err);
/**
 * The BEGIN that cf_pg_begin_lazy left pending (static text), cleared: the
 * caller sends it first in its own pipeline. NULL when none is pending.
 */
const char *cf_pg_take_begin(cf_pg_conn *c);
/** Whether c is inside a transaction: begun on the server, or pending. */
bool cf_pg_in_transaction(const cf_pg_conn *c);
/** COMMIT. A deferred failure (40001 ...) comes back mapped (CF_ERETRY ...). */
int cf_pg_commit(cf_pg_conn *c, cf_error *err);
/** ROLLBACK; ignores errors (a broken connection is dealt with on release). */
void cf_pg_rollback(cf_pg_conn *c);

/** Body of a transaction for cf_pg_transact: return CF_OK to commit. */
typedef int (*cf_pg_tx_fn)(cf_pg_conn *c, void *arg, cf_error *err);

/** Default number of attempts for cf_pg_transact. */
#define CF_PG_TX_ATTEMPTS 5

/**
 * Run fn inside BEGIN ... COMMIT on a pooled connection, retrying the whole
 * transaction (rollback, short backoff, again) up to `attempts` times (0:
 * CF_PG_TX_ATTEMPTS) while it fails with CF_ERETRY (40001, 40P01). Any
 * other failure rolls back and is returned; the last CF_ERETRY is returned
 * when attempts run out. fn may run more than once: it must not have side
 * effects outside the database.
 */
int cf_pg_transact(cf_pg_pool *pool, cf_pg_isolation iso, int attempts, cf_pg_tx_fn fn, void *arg,
                   cf_error *err);

#ifdef __cplusplus
}
#endif
#endif
