/*
 * pg_store.c - the PostgreSQL adapter's store, unit of work and shared
 * helpers. A cf_tx owns one pooled connection from BEGIN to COMMIT/ROLLBACK.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_adapter.h"

int cf_pg_store_new(cf_pg_store **out, cf_pg_pool *pool)
{
	cf_pg_store *s;

	if (out == NULL)
		return CF_EINVALID;
	*out = NULL;
	if (pool == NULL)
		return CF_EINVALID;
	s = calloc(1, sizeof *s);
	if (s == NULL)
		return CF_ENOMEM;
	s->pool = pool;
	*out = s;
	return CF_OK;
}

void cf_pg_store_free(cf_pg_store *s)
{
	if (s != NULL)
		cf_pgad_cache_free(s->cache);
	free(s);
}

cf_pg_conn *cf_pg_tx_conn(cf_tx *tx)
{
	return tx ? tx->conn : NULL;
}

/* ---- unit of work ---- */

static int uow_begin(void *self, cf_tx **out)
{
	cf_pg_store *s = self;
	cf_tx *tx;
	int rc;

	*out = NULL;
	tx = calloc(1, sizeof *tx);
	if (tx == NULL)
		return CF_ENOMEM;
	tx->store = s;
	rc = cf_pg_pool_acquire(s->pool, &tx->conn, NULL);
	if (rc != CF_OK) {
		free(tx);
		return rc;
	}
	/* BEGIN goes out with the unit's first statement: one round trip less */
	rc = cf_pg_begin_lazy(tx->conn, CF_PG_READ_COMMITTED, NULL);
	if (rc != CF_OK) {
		cf_pg_pool_release(s->pool, tx->conn);
		free(tx);
		return rc == CF_ERETRY ? rc : (rc == CF_EUNAVAILABLE ? rc : CF_ERROR);
	}
	*out = tx;
	return CF_OK;
}

/* A read-only unit: a pooled connection and no BEGIN, so each statement
 * autocommits (READ COMMITTED takes a snapshot per statement either way);
 * commit and rollback only give the connection back. Saves two round trips. */
static int uow_begin_read(void *self, cf_tx **out)
{
	cf_pg_store *s = self;
	cf_tx *tx;
	int rc;

	*out = NULL;
	tx = calloc(1, sizeof *tx);
	if (tx == NULL)
		return CF_ENOMEM;
	tx->store = s;
	tx->read_only = true;
	rc = cf_pg_pool_acquire(s->pool, &tx->conn, NULL);
	if (rc != CF_OK) {
		free(tx);
		return rc;
	}
	*out = tx;
	return CF_OK;
}

static void tx_end(cf_tx *tx)
{
	cf_pgad_deferred_discard(tx);
	cf_pg_pool_release(tx->store->pool, tx->conn);
	cf_pgad_cache_tx_end(tx); /* after the commit or rollback, before the answer */
	free(tx);
}

static int uow_commit(void *self, cf_tx *tx)
{
	int rc;

	(void)self;
	if (tx == NULL)
		return CF_EINVALID;
	if (tx->deferred != NULL) {
		/* the deferred statements and COMMIT in one round trip */
		rc = cf_pgad_deferred_commit(tx);
		if (rc != CF_OK) {
			cf_pg_rollback(tx->conn);
			if (rc != CF_ERETRY && rc != CF_EUNAVAILABLE)
				rc = CF_ERROR;
		}
		tx_end(tx);
		return rc;
	}
	if (!cf_pg_in_transaction(tx->conn)) {
		/* a read-only unit (no BEGIN was sent): nothing to commit */
		tx_end(tx);
		return CF_OK;
	}
	/* (a unit that sent no statement: its BEGIN is dropped, nothing goes out) */
	rc = cf_pg_commit(tx->conn, NULL);
	if (rc != CF_OK) {
		cf_pg_rollback(tx->conn);
		if (rc != CF_ERETRY && rc != CF_EUNAVAILABLE)
			rc = CF_ERROR;
	}
	tx_end(tx);
	return rc;
}

static void uow_rollback(void *self, cf_tx *tx)
{
	(void)self;
	if (tx == NULL)
		return;
	cf_pg_rollback(tx->conn);
	tx_end(tx);
}

static void uow_defer_writes(void *self, cf_tx *tx)
{
	(void)self;
	if (tx != NULL && !tx->read_only)
		tx->defer_writes = true;
}

void cf_pg_store_ports(cf_pg_store *s, cf_ports *out)
{
	if (s == NULL || out == NULL)
		return;
	memset(&out->uow, 0, sizeof out->uow);
	out->uow.version = CF_UOW_VERSION;
	out->uow.self = s;
	out->uow.begin = uow_begin;
	out->uow.commit = uow_commit;
	out->uow.rollback = uow_rollback;
	out->uow.begin_read = uow_begin_read;
	out->uow.defer_writes = uow_defer_writes;
	cf_pgad_user_ports(s, out);
	cf_pgad_scheme_ports(s, out);
	cf_pgad_audit_ports(s, out);
	cf_pgad_auction_ports(s, out);
	cf_pgad_notification_ports(s, out);
}

/* ---- helpers ---- */

int cf_pgad_run(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p, PGresult **out)
{
	if (out)
		*out = NULL;
	if (tx == NULL || tx->conn == NULL)
		return CF_EINVALID;
	return cf_pg_exec_prepared(tx->conn, name, sql, p, out, NULL);
}

int cf_pgad_write(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p, int *rows)
{
	if (tx != NULL && tx->defer_writes) {
		if (rows)
			*rows = 1; /* the statement raises at commit otherwise */
		return cf_pgad_defer_prepared(tx, name, sql, p);
	}
	if (rows)
		return cf_pgad_run_count(tx, name, sql, p, rows);
	return cf_pgad_run(tx, name, sql, p, NULL);
}

int cf_pgad_insert_seq(cf_tx *tx, const char *name, const char *sql, const char *name_d,
                       const char *sql_d, const cf_pg_params *p, int64_t *seq)
{
	PGresult *r = NULL;
	int rc;

	*seq = 0;
	if (tx != NULL && tx->defer_writes)
		return cf_pgad_write(tx, name_d, sql_d, p, NULL);
	if ((rc = cf_pgad_run(tx, name, sql, p, &r)) != CF_OK)
		return rc;
	rc = PQntuples(r) != 1 ? CF_EEXISTS : cf_pgad_i64(r, 0, 0, seq);
	PQclear(r);
	return rc;
}

int cf_pgad_run_count(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p,
                      int *rows)
{
	PGresult *r = NULL;
	int rc = cf_pgad_run(tx, name, sql, p, &r);

	*rows = 0;
	if (rc != CF_OK)
		return rc;
	*rows = PQntuples(r);
	PQclear(r);
	return CF_OK;
}

int cf_pgad_run_count_guarded(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p,
                              int *rows)
{
	int rc;

	*rows = 0;
	if (tx == NULL || tx->conn == NULL)
		return CF_EINVALID;
	rc = cf_pg_exec(tx->conn, "SAVEPOINT cfpg_guard", NULL, NULL, NULL);
	if (rc != CF_OK)
		return rc;
	rc = cf_pgad_run_count(tx, name, sql, p, rows);
	if (rc == CF_EEXISTS) {
		int rc2 =
		        cf_pg_exec(tx->conn, "ROLLBACK TO SAVEPOINT cfpg_guard", NULL, NULL, NULL);

		if (rc2 != CF_OK)
			return rc2;
	} else if (rc != CF_OK) {
		return rc; /* the transaction is aborted anyway */
	}
	{
		int rc3 = cf_pg_exec(tx->conn, "RELEASE SAVEPOINT cfpg_guard", NULL, NULL, NULL);

		if (rc3 != CF_OK)
			return rc3;
	}
	return rc;
}

int cf_pgad_select_one(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p,
                       cf_pgad_row_fn fn, void *item)
{
	PGresult *r = NULL;
	int rc;

	if ((rc = cf_pgad_run(tx, name, sql, p, &r)) != CF_OK)
		return rc;
	rc = PQntuples(r) == 0 ? CF_ENOTFOUND : fn(r, 0, item);
	PQclear(r);
	return rc;
}

int cf_pgad_select_all(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p,
                       size_t es, cf_pgad_row_fn fn, void **items, size_t *count)
{
	PGresult *r = NULL;
	unsigned char *out;
	int rc, n;

	*items = NULL;
	*count = 0;
	if ((rc = cf_pgad_run(tx, name, sql, p, &r)) != CF_OK)
		return rc;
	n = PQntuples(r);
	out = calloc(n ? (size_t)n : 1, es);
	if (out == NULL) {
		PQclear(r);
		return CF_ENOMEM;
	}
	for (int i = 0; i < n && rc == CF_OK; i++)
		rc = fn(r, i, out + (size_t)i * es);
	PQclear(r);
	if (rc != CF_OK) {
		free(out);
		return rc;
	}
	*items = out;
	*count = (size_t)n;
	return CF_OK;
}

int cf_pgad_select_one_by_uuid(cf_tx *tx, const char *name, const char *sql, const char *id,
                               cf_pgad_row_fn fn, void *item)
{
	cf_pg_params p;

	if (!cf_pgad_is_uuid(id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, id);
	return cf_pgad_select_one(tx, name, sql, &p, fn, item);
}

int cf_pgad_select_all_by_uuid(cf_tx *tx, const char *name, const char *sql, const char *id,
                               size_t es, cf_pgad_row_fn fn, void **items, size_t *count)
{
	cf_pg_params p;

	*items = NULL;
	*count = 0;
	if (!cf_pgad_is_uuid(id))
		return CF_OK;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, id);
	return cf_pgad_select_all(tx, name, sql, &p, es, fn, items, count);
}

int cf_pgad_run_found(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p)
{
	int rows, rc = cf_pgad_run_count(tx, name, sql, p, &rows);

	if (rc != CF_OK)
		return rc;
	return rows ? CF_OK : CF_ENOTFOUND;
}

int cf_pgad_insert_once(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p)
{
	int rows, rc = cf_pgad_run_count(tx, name, sql, p, &rows);

	if (rc != CF_OK)
		return rc;
	return rows == 1 ? CF_OK : CF_EEXISTS;
}

int cf_pgad_stale_or_missing(cf_tx *tx, const char *exists_name, const char *exists_sql,
                             const char *id)
{
	cf_pg_params p;
	int rows, rc;

	cf_pg_params_init(&p);
	cf_pg_param_text(&p, id);
	rc = cf_pgad_run_count(tx, exists_name, exists_sql, &p, &rows);
	if (rc != CF_OK)
		return rc;
	return rows ? CF_ECONFLICT : CF_ENOTFOUND;
}

int cf_pgad_update_versioned(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p,
                             int64_t *row_version, const char *exists_name, const char *exists_sql,
                             const char *id)
{
	int rows, rc = cf_pgad_run_count(tx, name, sql, p, &rows);

	if (rc != CF_OK)
		return rc;
	if (rows == 0)
		return exists_name ? cf_pgad_stale_or_missing(tx, exists_name, exists_sql, id)
		                   : CF_ECONFLICT;
	(*row_version)++;
	return CF_OK;
}

bool cf_pgad_is_uuid(const char *s)
{
	int i;

	if (s == NULL)
		return false;
	for (i = 0; i < 36; i++) {
		char c = s[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return false;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		             (c >= 'A' && c <= 'F'))) {
			return false;
		}
	}
	return s[36] == '\0';
}

void cf_pgad_param_opt(cf_pg_params *p, const char *s)
{
	cf_pg_param_text(p, (s && *s) ? s : NULL);
}

void cf_pgad_param_opt_ms(cf_pg_params *p, int64_t ms)
{
	if (ms == 0)
		cf_pg_param_null(p);
	else
		cf_pg_param_int64(p, ms);
}

int cf_pgad_text(const PGresult *r, int row, int col, char *buf, size_t cap)
{
	return cf_pg_get_text(r, row, col, buf, cap) == CF_OK ? CF_OK : CF_ERROR;
}

int cf_pgad_i64(const PGresult *r, int row, int col, int64_t *out)
{
	return cf_pg_get_int64(r, row, col, out) == CF_OK ? CF_OK : CF_ERROR;
}

int cf_pgad_i64_or0(const PGresult *r, int row, int col, int64_t *out)
{
	if (cf_pg_is_null(r, row, col)) {
		*out = 0;
		return CF_OK;
	}
	return cf_pgad_i64(r, row, col, out);
}

int cf_pgad_i32(const PGresult *r, int row, int col, int32_t *out)
{
	return cf_pg_get_int32(r, row, col, out) == CF_OK ? CF_OK : CF_ERROR;
}

int cf_pgad_i32_or0(const PGresult *r, int row, int col, int32_t *out)
{
	if (cf_pg_is_null(r, row, col)) {
		*out = 0;
		return CF_OK;
	}
	return cf_pgad_i32(r, row, col, out);
}

int cf_pgad_bool(const PGresult *r, int row, int col, bool *out)
{
	return cf_pg_get_bool(r, row, col, out) == CF_OK ? CF_OK : CF_ERROR;
}
