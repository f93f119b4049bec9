/* pg_adapter.h - private to adapters/postgres: the tx struct and helpers. */
#ifndef CF_PG_ADAPTER_H
#define CF_PG_ADAPTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cf_infra/pg.h"
#include "chitfund/adapters/postgres.h"

struct cf_pg_store {
	cf_pg_pool *pool;
};

/* An audit append waiting for the commit (pg_audit.c). */
typedef struct cf_pgad_audit_pending cf_pgad_audit_pending;

struct cf_tx {
	cf_pg_store *store;
	cf_pg_conn *conn;
	cf_pgad_audit_pending *audit_pending; /* deferred audit appends, oldest first */
};

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
 * Commit tx with its deferred audit appends: the appends (cf_audit_append,
 * migration 0031) and COMMIT go in one pipeline, one round trip, so the
 * chain head lock is held only for the commit. Without a transaction block
 * (a read-only unit) the appends autocommit. Errors as cf_pg_commit (the
 * first failing statement's status); the caller rolls back on failure.
 */
int cf_pgad_audit_commit(cf_tx *tx);
/* Free tx's deferred audit appends without writing them (rollback, end). */
void cf_pgad_audit_discard(cf_tx *tx);

/* Port fillers, one per module. */
void cf_pgad_user_ports(cf_pg_store *s, cf_ports *out);
void cf_pgad_scheme_ports(cf_pg_store *s, cf_ports *out);
void cf_pgad_audit_ports(cf_pg_store *s, cf_ports *out);
/* Draws (pg_auctions.c): auctions, ledger and events (NOTIFY on commit). */
void cf_pgad_auction_ports(cf_pg_store *s, cf_ports *out);

#endif
