/*
 * pg_exec.c - SQLSTATE mapping, parameters, statement execution (plain and
 * prepared per connection), result accessors and transactions with retry.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cf_infra/pg.h"
#include "cf_infra/hash.h"
#include "pg_internal.h"

/* ---- SQLSTATE mapping ---- */

int cf_pg_status_from_sqlstate(const char *s)
{
	if (s == NULL || strlen(s) != 5)
		return CF_ERROR;
	if (strcmp(s, "23505") == 0)
		return CF_EEXISTS;
	if (strcmp(s, "23503") == 0)
		return CF_ENOTFOUND;
	if (strcmp(s, "23514") == 0 || strcmp(s, "23502") == 0)
		return CF_EINVALID;
	if (strncmp(s, "22", 2) == 0)
		return CF_EINVALID;
	if (strcmp(s, "40001") == 0 || strcmp(s, "40P01") == 0 || strcmp(s, "55P03") == 0)
		return CF_ERETRY;
	if (strncmp(s, "08", 2) == 0)
		return CF_EUNAVAILABLE;
	if (strcmp(s, "57P01") == 0 || strcmp(s, "57P02") == 0 || strcmp(s, "57P03") == 0)
		return CF_EUNAVAILABLE;
	if (strcmp(s, "53300") == 0)
		return CF_EUNAVAILABLE;
	return CF_ERROR;
}

static const char *slug_for(int code)
{
	switch (code) {
	case CF_EUNAVAILABLE: return "service-unavailable";
	case CF_ERETRY: return "conflict";
	default: return cf_status_slug(code);
	}
}

int cf_pg_check(PGconn *pg, const PGresult *res, cf_error *err)
{
	const char *state, *constraint, *primary;
	int code;

	if (res != NULL) {
		ExecStatusType st = PQresultStatus(res);

		if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
			return CF_OK;
	}
	if (res == NULL) {
		if (pg == NULL || PQstatus(pg) != CONNECTION_OK)
			return cf_error_set(err, CF_EUNAVAILABLE, "service-unavailable", "",
			                    "database connection lost");
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	}
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (state == NULL) {
		/* libpq's own failure (connection lost mid-query): no SQLSTATE. */
		if (pg == NULL || PQstatus(pg) != CONNECTION_OK)
			return cf_error_set(err, CF_EUNAVAILABLE, "service-unavailable", "",
			                    "database connection lost");
		return cf_error_set(err, CF_ERROR, NULL, "", "database error");
	}
	code = cf_pg_status_from_sqlstate(state);
	constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
	if (code == CF_ERROR) {
		/* Internal: the primary message helps the logs; clients get a 500. */
		primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		return cf_error_set(err, code, slug_for(code), constraint ? constraint : "",
		                    "database error (SQLSTATE %s): %s", state,
		                    primary ? primary : "");
	}
	return cf_error_set(err, code, slug_for(code), constraint ? constraint : "",
	                    "%s (SQLSTATE %s)", cf_strerror(code), state);
}

/* ---- parameters ---- */

void cf_pg_params_init(cf_pg_params *p)
{
	p->n = 0;
	p->overflow = false;
}

static int slot(cf_pg_params *p)
{
	if (p->n >= CF_PG_MAX_PARAMS) {
		p->overflow = true;
		return -1;
	}
	return p->n++;
}

void cf_pg_param_text(cf_pg_params *p, const char *s)
{
	int i = slot(p);

	if (i >= 0)
		p->values[i] = s;
}

void cf_pg_param_int64(cf_pg_params *p, int64_t v)
{
	int i = slot(p);

	if (i < 0)
		return;
	snprintf(p->num[i], sizeof p->num[i], "%" PRId64, v);
	p->values[i] = p->num[i];
}

void cf_pg_param_bool(cf_pg_params *p, bool v)
{
	cf_pg_param_text(p, v ? "t" : "f");
}

void cf_pg_param_null(cf_pg_params *p)
{
	cf_pg_param_text(p, NULL);
}

/* ---- execution ---- */

static int finish(cf_pg_conn *c, PGresult *res, PGresult **out, cf_error *err)
{
	int rc = cf_pg_check(c->pg, res, err);

	if (rc != CF_OK) {
		PQclear(res);
		return rc;
	}
	if (out)
		*out = res;
	else
		PQclear(res);
	return CF_OK;
}

static bool is_prepared(const cf_pg_conn *c, const char *name, uint64_t h);

/* The next result of a pipeline (then its NULL); PGRES_PIPELINE_SYNC
 * results are not statements' and are skipped. */
static PGresult *next_result(PGconn *pg)
{
	PGresult *r = PQgetResult(pg), *extra;

	while (r != NULL && PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
		PQclear(r);
		r = PQgetResult(pg);
	}
	if (r != NULL)
		while ((extra = PQgetResult(pg)) != NULL)
			PQclear(extra);
	return r;
}

int cf_pg_prepare_result(cf_pg_conn *c, const char *name, const PGresult *r, bool aborts,
                         cf_error *err)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	bool made = r != NULL && PQresultStatus(r) == PGRES_COMMAND_OK;
	bool there = state != NULL && strcmp(state, "42P05") == 0;

	if (r == NULL)
		return cf_error_set(err, CF_EUNAVAILABLE, NULL, "", "no answer from the database");
	if (!made && !there)
		return cf_pg_check(c->pg, r, err);
	/* out of memory only loses the record: the next use meets 42P05 again */
	(void)cf_pg_prepared_remember(c, name);
	if (there && aborts)
		return cf_error_set(err, CF_ERETRY, NULL, "",
		                    "a statement was already prepared on the connection: retry");
	return CF_OK;
}

/*
 * The pending BEGIN, [Prepare name,] and the statement in one pipeline: one
 * round trip. name NULL: an unnamed statement. The statement's result goes
 * to finish() as PQexec's would; a failed BEGIN or Prepare is reported
 * instead (the statement behind it is then skipped by the server). The
 * BEGIN counts as sent only once the whole pipeline is on its way.
 */
static int exec_with_begin(cf_pg_conn *c, const char *name, uint64_t h, const char *sql,
                           const cf_pg_params *p, PGresult **out, cf_error *err)
{
	PGconn *pg = c->pg;
	bool prepare = name != NULL && !is_prepared(c, name, h);
	int n = p ? p->n : 0, rc = CF_OK, sent;
	PGresult *r, *res = NULL;

	if (!PQenterPipelineMode(pg))
		return cf_error_set(err, CF_EUNAVAILABLE, NULL, "", "cannot pipeline");
	sent = PQsendQueryParams(pg, c->begin_sql, 0, NULL, NULL, NULL, NULL, 0) &&
	       (!prepare || PQsendPrepare(pg, name, sql, 0, NULL)) &&
	       (name != NULL ? PQsendQueryPrepared(pg, name, n, p ? p->values : NULL, NULL, NULL, 0)
	                     : PQsendQueryParams(pg, sql, n, NULL, p ? p->values : NULL, NULL, NULL,
	                                         0)) &&
	       PQpipelineSync(pg);
	if (!sent) {
		/* the connection is busy or broken now: the pool discards it on release */
		PQexitPipelineMode(pg);
		return cf_error_set(err, CF_EUNAVAILABLE, NULL, "", "cannot send to the database");
	}
	c->begin_sql = NULL;
	r = next_result(pg); /* BEGIN */
	rc = cf_pg_check(pg, r, err);
	PQclear(r);
	if (prepare) {
		r = next_result(pg);
		if (rc == CF_OK)
			rc = cf_pg_prepare_result(c, name, r, true, err);
		PQclear(r);
	}
	res = next_result(pg); /* the statement */
	/* up to the sync, then out of pipeline mode */
	while ((r = PQgetResult(pg)) != NULL) {
		bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;

		PQclear(r);
		if (sync)
			break;
	}
	if (!PQexitPipelineMode(pg) && rc == CF_OK) {
		PQclear(res);
		return cf_error_set(err, CF_EUNAVAILABLE, NULL, "", "pipeline left unfinished");
	}
	if (rc != CF_OK) {
		PQclear(res);
		return rc;
	}
	return finish(c, res, out, err);
}

int cf_pg_exec(cf_pg_conn *c, const char *sql, const cf_pg_params *p, PGresult **out, cf_error *err)
{
	PGresult *res;

	if (out)
		*out = NULL;
	if (c == NULL || c->pg == NULL || sql == NULL)
		return cf_error_set(err, CF_EINVALID, NULL, "", "no connection or statement");
	if (p && p->overflow)
		return cf_error_set(err, CF_EINVALID, NULL, "", "too many statement parameters");
	if (c->begin_sql != NULL)
		return exec_with_begin(c, NULL, 0, sql, p, out, err);
	res = PQexecParams(c->pg, sql, p ? p->n : 0, NULL, p ? p->values : NULL, NULL, NULL, 0);
	return finish(c, res, out, err);
}

static uint64_t name_hash(const char *s)
{
	return cf_fnv1a(s, strlen(s));
}

static bool is_prepared(const cf_pg_conn *c, const char *name, uint64_t h)
{
	size_t i;

	for (i = 0; i < c->nprepared; i++)
		if (c->prepared[i].hash == h && strcmp(c->prepared[i].name, name) == 0)
			return true;
	return false;
}

static int remember(cf_pg_conn *c, const char *name, uint64_t h)
{
	char *copy;

	if (c->nprepared == c->capprepared) {
		size_t cap = c->capprepared ? c->capprepared * 2 : 32;
		cf_pg_prepared *grown = realloc(c->prepared, cap * sizeof *grown);

		if (grown == NULL)
			return CF_ENOMEM;
		c->prepared = grown;
		c->capprepared = cap;
	}
	copy = strdup(name);
	if (copy == NULL)
		return CF_ENOMEM;
	c->prepared[c->nprepared].hash = h;
	c->prepared[c->nprepared].name = copy;
	c->nprepared++;
	return CF_OK;
}

bool cf_pg_prepared_known(const cf_pg_conn *c, const char *name)
{
	return c != NULL && name != NULL && is_prepared(c, name, name_hash(name));
}

int cf_pg_prepared_remember(cf_pg_conn *c, const char *name)
{
	if (c == NULL || name == NULL)
		return CF_EINVALID;
	if (is_prepared(c, name, name_hash(name)))
		return CF_OK;
	return remember(c, name, name_hash(name));
}

void cf_pg_conn_forget_prepared(cf_pg_conn *c)
{
	size_t i;

	for (i = 0; i < c->nprepared; i++)
		free(c->prepared[i].name);
	c->nprepared = 0;
}

int cf_pg_exec_prepared(cf_pg_conn *c, const char *name, const char *sql, const cf_pg_params *p,
                        PGresult **out, cf_error *err)
{
	PGresult *res;
	uint64_t h;
	int n = p ? p->n : 0;

	if (out)
		*out = NULL;
	if (c == NULL || c->pg == NULL || name == NULL || sql == NULL)
		return cf_error_set(err, CF_EINVALID, NULL, "", "no connection or statement");
	if (p && p->overflow)
		return cf_error_set(err, CF_EINVALID, NULL, "", "too many statement parameters");
	h = name_hash(name);
	if (c->begin_sql != NULL)
		return exec_with_begin(c, name, h, sql, p, out, err);
	if (!is_prepared(c, name, h)) {
		bool in_tx = PQtransactionStatus(c->pg) != PQTRANS_IDLE;
		int rc;

		res = PQprepare(c->pg, name, sql, 0, NULL);
		rc = cf_pg_prepare_result(c, name, res, in_tx, err);
		PQclear(res);
		if (rc != CF_OK)
			return rc;
	}
	res = PQexecPrepared(c->pg, name, n, p ? p->values : NULL, NULL, NULL, 0);
	return finish(c, res, out, err);
}

/* ---- results ---- */

bool cf_pg_is_null(const PGresult *r, int row, int col)
{
	if (r == NULL || row < 0 || col < 0 || row >= PQntuples(r) || col >= PQnfields(r))
		return true;
	return PQgetisnull(r, row, col) != 0;
}

int cf_pg_get_int64(const PGresult *r, int row, int col, int64_t *out)
{
	const char *s;
	char *end;
	long long v;

	if (cf_pg_is_null(r, row, col))
		return CF_EINVALID;
	s = PQgetvalue(r, row, col);
	if (*s == '\0')
		return CF_EINVALID;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return CF_EINVALID;
	*out = (int64_t)v;
	return CF_OK;
}

int cf_pg_get_int32(const PGresult *r, int row, int col, int32_t *out)
{
	int64_t v;
	int rc = cf_pg_get_int64(r, row, col, &v);

	if (rc != CF_OK)
		return rc;
	if (v < INT32_MIN || v > INT32_MAX)
		return CF_EINVALID;
	*out = (int32_t)v;
	return CF_OK;
}

int cf_pg_get_bool(const PGresult *r, int row, int col, bool *out)
{
	const char *s;

	if (cf_pg_is_null(r, row, col))
		return CF_EINVALID;
	s = PQgetvalue(r, row, col);
	if (strcmp(s, "t") == 0)
		*out = true;
	else if (strcmp(s, "f") == 0)
		*out = false;
	else
		return CF_EINVALID;
	return CF_OK;
}

int cf_pg_get_text(const PGresult *r, int row, int col, char *buf, size_t cap)
{
	size_t n;

	if (buf == NULL || cap == 0)
		return CF_EBUFFER;
	buf[0] = '\0';
	if (cf_pg_is_null(r, row, col))
		return CF_OK;
	n = (size_t)PQgetlength(r, row, col);
	if (n >= cap)
		return CF_EBUFFER;
	memcpy(buf, PQgetvalue(r, row, col), n);
	buf[n] = '\0';
	return CF_OK;
}

int cf_pg_get_bytea(const PGresult *r, int row, int col, unsigned char **out, size_t *len)
{
	unsigned char *tmp, *copy;
	size_t n;

	*out = NULL;
	*len = 0;
	if (cf_pg_is_null(r, row, col))
		return CF_OK;
	tmp = PQunescapeBytea((const unsigned char *)PQgetvalue(r, row, col), &n);
	if (tmp == NULL)
		return CF_ENOMEM;
	copy = malloc(n ? n : 1);
	if (copy == NULL) {
		PQfreemem(tmp);
		return CF_ENOMEM;
	}
	if (n)
		memcpy(copy, tmp, n);
	PQfreemem(tmp);
	*out = copy;
	*len = n;
	return CF_OK;
}

/* ---- transactions ---- */

static const char *const begin_sql[] = {
        "BEGIN ISOLATION LEVEL READ COMMITTED",
        "BEGIN ISOLATION LEVEL REPEATABLE READ",
        "BEGIN ISOLATION LEVEL SERIALIZABLE",
};

int cf_pg_begin(cf_pg_conn *c, cf_pg_isolation iso, cf_error *err)
{
	int i = (int)iso;

	if (i < 0 || i > 2)
		return cf_error_set(err, CF_EINVALID, NULL, "", "unknown isolation level");
	return cf_pg_exec(c, begin_sql[i], NULL, NULL, err);
}

int cf_pg_begin_lazy(cf_pg_conn *c, cf_pg_isolation iso, cf_error *err)
{
	int i = (int)iso;

	if (i < 0 || i > 2)
		return cf_error_set(err, CF_EINVALID, NULL, "", "unknown isolation level");
	if (c == NULL || c->pg == NULL)
		return cf_error_set(err, CF_EINVALID, NULL, "", "no connection");
	if (c->begin_sql != NULL || PQtransactionStatus(c->pg) != PQTRANS_IDLE)
		return cf_error_set(err, CF_EINVALID, NULL, "", "already in a transaction");
	c->begin_sql = begin_sql[i];
	return CF_OK;
}

const char *cf_pg_take_begin(cf_pg_conn *c)
{
	const char *s = c ? c->begin_sql : NULL;

	if (c)
		c->begin_sql = NULL;
	return s;
}

bool cf_pg_in_transaction(const cf_pg_conn *c)
{
	return c != NULL && c->pg != NULL &&
	       (c->begin_sql != NULL || PQtransactionStatus(c->pg) != PQTRANS_IDLE);
}

int cf_pg_commit(cf_pg_conn *c, cf_error *err)
{
	PGresult *res;
	int rc;

	if (c == NULL || c->pg == NULL)
		return cf_error_set(err, CF_EINVALID, NULL, "", "no connection");
	if (cf_pg_take_begin(c) != NULL)
		return CF_OK; /* nothing was sent: nothing to commit */
	res = PQexec(c->pg, "COMMIT");
	rc = cf_pg_check(c->pg, res, err);
	/* COMMIT of an aborted transaction "succeeds" as ROLLBACK. */
	if (rc == CF_OK && strcmp(PQcmdStatus(res), "ROLLBACK") == 0)
		rc = cf_error_set(err, CF_ERROR, NULL, "", "transaction was rolled back");
	PQclear(res);
	return rc;
}

void cf_pg_rollback(cf_pg_conn *c)
{
	if (c == NULL || c->pg == NULL)
		return;
	cf_pg_take_begin(c);
	if (PQstatus(c->pg) != CONNECTION_OK || PQtransactionStatus(c->pg) == PQTRANS_IDLE)
		return;
	PQclear(PQexec(c->pg, "ROLLBACK"));
}

static void backoff(int attempt, uint64_t *state)
{
	struct timespec ts;
	uint64_t x = *state;
	long ms;

	/* xorshift64 jitter so that retrying transactions do not collide again */
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	ms = (1L << (attempt < 6 ? attempt : 6)) + (long)(x % 5);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

int cf_pg_transact(cf_pg_pool *pool, cf_pg_isolation iso, int attempts, cf_pg_tx_fn fn, void *arg,
                   cf_error *err)
{
	cf_pg_conn *c;
	struct timespec now;
	uint64_t seed;
	int rc = CF_ERROR, i;

	if (fn == NULL)
		return cf_error_set(err, CF_EINVALID, NULL, "", "no transaction body");
	if (attempts <= 0)
		attempts = CF_PG_TX_ATTEMPTS;
	clock_gettime(CLOCK_MONOTONIC, &now);
	seed = ((uint64_t)now.tv_nsec << 1) | 1u;
	rc = cf_pg_pool_acquire(pool, &c, err);
	if (rc != CF_OK)
		return rc;
	for (i = 0; i < attempts; i++) {
		if (i > 0) {
			if (err)
				memset(err, 0, sizeof *err);
			backoff(i, &seed);
		}
		rc = cf_pg_begin(c, iso, err);
		if (rc == CF_OK)
			rc = fn(c, arg, err);
		if (rc == CF_OK)
			rc = cf_pg_commit(c, err);
		else
			cf_pg_rollback(c);
		if (rc != CF_ERETRY)
			break;
		cf_pg_rollback(c);
	}
	cf_pg_pool_release(pool, c);
	return rc;
}
