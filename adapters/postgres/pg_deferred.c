/*
 * pg_deferred.c - statements a unit of work sends with its COMMIT.
 *
 * The serialisation points (the audit chain head, the receipt counter) are
 * single rows that every writer updates, and PostgreSQL keeps a row lock
 * until the commit is durable. Statements that take them are queued in the
 * tx and sent at commit in one libpq pipeline with COMMIT: the server runs
 * them back to back, so the locks are held for the server-side work and the
 * commit only, never across a client round trip. Each statement must raise
 * (not return zero rows) when it cannot do its job, because the COMMIT
 * behind it is already sent; a failure aborts the rest of the pipeline and
 * the transaction.
 *
 * With early release (cf_pg_store_set_early_release) the pipeline is
 *   [BEGIN;] SET LOCAL synchronous_commit TO off; <deferred>...; COMMIT; Sync;
 *   SELECT txid_current(); Sync
 * The COMMIT releases the locks once its record is in the WAL; the last
 * statement is a transaction of its own with an xid, so it commits
 * synchronously and returns only when the WAL is flushed past its commit
 * record, hence past ours: CF_OK still means durable.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_adapter.h"

struct cf_pgad_deferred {
	cf_pgad_deferred *next;
	const char *name; /* a prepared statement's name (static), or NULL */
	const char *sql;
	int n;
	cf_pgad_deferred_fn on_result;
	void *ctx;
	const char *values[CF_PG_MAX_PARAMS];
	int lengths[CF_PG_MAX_PARAMS];
	int formats[CF_PG_MAX_PARAMS];
	char data[]; /* the parameters' bytes */
};

int cf_pgad_defer(cf_tx *tx, const char *name, const char *sql, int n, const char *const *values,
                  const int *lengths, const int *formats, cf_pgad_deferred_fn on_result, void *ctx)
{
	cf_pgad_deferred *d, **at;
	size_t total = 0, off = 0;
	int len[CF_PG_MAX_PARAMS];

	if (tx == NULL || tx->conn == NULL || sql == NULL || n < 0 || n > CF_PG_MAX_PARAMS ||
	    (n > 0 && values == NULL))
		return CF_EINVALID;
	for (int i = 0; i < n; i++) {
		bool binary = formats != NULL && formats[i] == 1;
		size_t l;

		if (values[i] == NULL) {
			len[i] = 0;
			continue;
		}
		if (binary && (lengths == NULL || lengths[i] < 0))
			return CF_EINVALID;
		l = binary ? (size_t)lengths[i] : strlen(values[i]);
		if (l > (size_t)INT32_MAX / 2)
			return CF_EINVALID;
		len[i] = (int)l;
		total += l + 1;
	}
	d = malloc(sizeof *d + total + 1);
	if (d == NULL)
		return CF_ENOMEM;
	memset(d, 0, sizeof *d);
	d->name = name;
	d->sql = sql;
	d->n = n;
	d->on_result = on_result;
	d->ctx = ctx;
	for (int i = 0; i < n; i++) {
		d->formats[i] = formats != NULL ? formats[i] : 0;
		d->lengths[i] = len[i];
		if (values[i] == NULL) {
			d->values[i] = NULL;
			continue;
		}
		memcpy(d->data + off, values[i], (size_t)len[i]);
		d->data[off + (size_t)len[i]] = '\0';
		d->values[i] = d->data + off;
		off += (size_t)len[i] + 1;
	}
	for (at = &tx->deferred; *at != NULL; at = &(*at)->next)
		;
	*at = d;
	return CF_OK;
}

int cf_pgad_defer_prepared(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p)
{
	if (p == NULL || p->overflow || name == NULL)
		return CF_EINVALID;
	return cf_pgad_defer(tx, name, sql, p->n, p->values, NULL, NULL, NULL, NULL);
}

void cf_pg_store_set_early_release(cf_pg_store *s, bool on)
{
	if (s != NULL)
		s->early_release = on;
}

void cf_pgad_deferred_discard(cf_tx *tx)
{
	if (tx == NULL)
		return;
	while (tx->deferred != NULL) {
		cf_pgad_deferred *d = tx->deferred;

		tx->deferred = d->next;
		free(d);
	}
}

/* Send one text statement without parameters in the pipeline. */
static int send_plain(PGconn *pg, const char *sql)
{
	return PQsendQueryParams(pg, sql, 0, NULL, NULL, NULL, NULL, 0) ? CF_OK : CF_EUNAVAILABLE;
}

/* The next statement's result (then its NULL) checked; rc keeps the first error. */
static int take_result(PGconn *pg, int rc, bool is_commit, const cf_pgad_deferred *d)
{
	PGresult *r = PQgetResult(pg);

	if (r == NULL)
		return rc == CF_OK ? CF_EUNAVAILABLE : rc;
	if (rc == CF_OK && PQresultStatus(r) == PGRES_PIPELINE_ABORTED) {
		rc = CF_ERROR;
	} else if (rc == CF_OK) {
		rc = cf_pg_check(pg, r, NULL);
		/* COMMIT of an aborted transaction "succeeds" as ROLLBACK */
		if (rc == CF_OK && is_commit && strcmp(PQcmdStatus(r), "ROLLBACK") == 0)
			rc = CF_ERROR;
	}
	/* outputs count only when the commit succeeds (the caller's rule) */
	if (rc == CF_OK && d != NULL && d->on_result != NULL)
		rc = d->on_result(r, d->ctx);
	PQclear(r);
	while ((r = PQgetResult(pg)) != NULL)
		PQclear(r);
	return rc;
}

/* A Prepare's result (then its NULL): the name is recorded whenever the
 * server has it, whatever failed before (cf_pg_prepare_result); rc keeps the
 * first error. */
static int take_prepare(PGconn *pg, cf_pg_conn *c, int rc, const char *name)
{
	PGresult *r = PQgetResult(pg), *x;
	int prc = cf_pg_prepare_result(c, name, r, true, NULL);

	PQclear(r);
	while ((x = PQgetResult(pg)) != NULL)
		PQclear(x);
	return rc != CF_OK ? rc : prc;
}

/* Read up to and including the next PGRES_PIPELINE_SYNC. */
static void take_sync(PGconn *pg)
{
	for (;;) {
		PGresult *r = PQgetResult(pg);
		bool sync;

		if (r == NULL)
			return;
		sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
		PQclear(r);
		if (sync)
			return;
	}
}

/* What the pipeline answers, in order. */
typedef enum { ANS_SET, ANS_PREPARE, ANS_STATEMENT, ANS_COMMIT } answer_kind;

typedef struct answer {
	answer_kind kind;
	const cf_pgad_deferred *d;
} answer;

/* Whether this pipeline already prepares name (a statement queued twice). */
static bool prepared_here(const answer *ans, size_t sent, const char *name)
{
	for (size_t i = 0; i < sent; i++)
		if (ans[i].kind == ANS_PREPARE && strcmp(ans[i].d->name, name) == 0)
			return true;
	return false;
}

int cf_pgad_deferred_commit(cf_tx *tx)
{
	PGconn *pg;
	bool commit, early;
	const char *begin;
	int rc = CF_OK, barrier = 0;
	size_t nd = 0, sent = 0;
	const cf_pgad_deferred *d;
	answer *ans;

	if (tx == NULL || tx->conn == NULL)
		return CF_EINVALID;
	pg = cf_pg_conn_pg(tx->conn);
	/* a lazy BEGIN not sent yet (the unit read nothing) leads the pipeline */
	begin = cf_pg_take_begin(tx->conn);
	commit = begin != NULL || PQtransactionStatus(pg) == PQTRANS_INTRANS;
	/* (on any failure below, the unit of work rolls back and discards the
	 * connection if it is left busy: the BEGIN need not stay pending) */
	early = commit && tx->store != NULL && tx->store->early_release;
	for (d = tx->deferred; d != NULL; d = d->next)
		nd++;
	ans = calloc(2 * nd + 3, sizeof *ans);
	if (ans == NULL) {
		cf_pgad_deferred_discard(tx);
		return CF_ENOMEM;
	}
	if (!PQenterPipelineMode(pg)) {
		free(ans);
		cf_pgad_deferred_discard(tx);
		return CF_EUNAVAILABLE;
	}
	if (begin != NULL && (rc = send_plain(pg, begin)) == CF_OK)
		ans[sent++].kind = ANS_SET;
	if (rc == CF_OK && early &&
	    (rc = send_plain(pg, "SET LOCAL synchronous_commit TO off")) == CF_OK)
		ans[sent++].kind = ANS_SET;
	for (d = tx->deferred; d != NULL && rc == CF_OK; d = d->next) {
		if (d->name != NULL && !cf_pg_prepared_known(tx->conn, d->name) &&
		    !prepared_here(ans, sent, d->name)) {
			/* prepared once per connection, in the same round trip */
			if (!PQsendPrepare(pg, d->name, d->sql, 0, NULL)) {
				rc = CF_EUNAVAILABLE;
				break;
			}
			ans[sent].kind = ANS_PREPARE;
			ans[sent++].d = d;
		}
		if (d->name != NULL ? PQsendQueryPrepared(pg, d->name, d->n, d->values, d->lengths,
		                                          d->formats, 0)
		                    : PQsendQueryParams(pg, d->sql, d->n, NULL, d->values,
		                                        d->lengths, d->formats, 0)) {
			ans[sent].kind = ANS_STATEMENT;
			ans[sent++].d = d;
		} else {
			rc = CF_EUNAVAILABLE;
		}
	}
	if (rc == CF_OK && commit && (rc = send_plain(pg, "COMMIT")) == CF_OK)
		ans[sent++].kind = ANS_COMMIT;
	if (!PQpipelineSync(pg) && rc == CF_OK)
		rc = CF_EUNAVAILABLE;
	if (rc == CF_OK && early && (rc = send_plain(pg, "SELECT txid_current()")) == CF_OK) {
		barrier = 1;
		if (!PQpipelineSync(pg))
			rc = CF_EUNAVAILABLE;
	}
	for (size_t i = 0; i < sent; i++) {
		if (ans[i].kind == ANS_PREPARE)
			rc = take_prepare(pg, tx->conn, rc, ans[i].d->name);
		else
			rc = take_result(pg, rc, ans[i].kind == ANS_COMMIT,
			                 ans[i].kind == ANS_STATEMENT ? ans[i].d : NULL);
	}
	free(ans);
	take_sync(pg);
	if (barrier) {
		rc = take_result(pg, rc, false, NULL);
		take_sync(pg);
	}
	if (!PQexitPipelineMode(pg) && rc == CF_OK)
		rc = CF_EUNAVAILABLE;
	cf_pgad_deferred_discard(tx);
	return rc;
}
