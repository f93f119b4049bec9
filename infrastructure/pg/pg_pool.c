/*
 * pg_pool.c - the libpq connection pool: lazy connections up to `size`, a
 * bounded wait on a condition variable (CLOCK_MONOTONIC), health checks on
 * acquire and clean-up on release.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cf_infra/pg.h"
#include "pg_internal.h"

struct cf_pg_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *conninfo;
	int size;
	int wait_ms;
	cf_pg_conn *idle; /* LIFO list through conn->next */
	int open;
	int in_use;
	int waiting;
	uint64_t acquired;
	uint64_t timeouts;
	uint64_t replaced;
	uint64_t connect_fail;
};

/* Server NOTICEs (e.g. "... already exists, skipping") are not errors: drop them
 * instead of letting libpq print them to stderr among the JSON log lines. */
static void quiet_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static void conn_free(cf_pg_conn *c)
{
	if (c == NULL)
		return;
	if (c->pg)
		PQfinish(c->pg);
	cf_pg_conn_forget_prepared(c);
	free(c->prepared);
	free(c);
}

/* Make a new connection. CF_EUNAVAILABLE when the server cannot be reached. */
static int conn_new(const char *conninfo, cf_pg_conn **out, cf_error *err)
{
	cf_pg_conn *c = calloc(1, sizeof *c);

	*out = NULL;
	if (c == NULL)
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	{
		/* Defaults placed before the expanded conninfo: the string's own
		 * values win (libpq processes the arrays in order). */
		static const char *const keys[] = {"connect_timeout", "application_name", "dbname",
		                                   NULL};
		const char *vals[] = {"5", "chitfund", conninfo, NULL};

		c->pg = PQconnectdbParams(keys, vals, 1);
	}
	if (c->pg == NULL) {
		free(c);
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	}
	if (PQstatus(c->pg) != CONNECTION_OK) {
		conn_free(c);
		return cf_error_set(err, CF_EUNAVAILABLE, "service-unavailable", "",
		                    "database unreachable");
	}
	PQsetNoticeProcessor(c->pg, quiet_notice, NULL);
	*out = c;
	return CF_OK;
}

int cf_pg_conn_open(const char *conninfo, cf_pg_conn **out, cf_error *err)
{
	if (out == NULL || conninfo == NULL)
		return cf_error_set(err, CF_EINVALID, NULL, "conninfo", "no connection string");
	return conn_new(conninfo, out, err);
}

void cf_pg_conn_close(cf_pg_conn *conn)
{
	conn_free(conn);
}

PGconn *cf_pg_conn_pg(cf_pg_conn *conn)
{
	return conn ? conn->pg : NULL;
}

/* Append `key='value' ` with \\ and ' escaped. */
static bool append_kv(char **buf, size_t *len, size_t *cap, const char *k, const char *v)
{
	size_t need = strlen(k) + 2 * strlen(v) + 5, i;
	char *b;

	if (*len + need + 1 > *cap) {
		size_t ncap = (*cap + need + 1) * 2;
		char *g = realloc(*buf, ncap);

		if (g == NULL)
			return false;
		*buf = g;
		*cap = ncap;
	}
	b = *buf;
	if (*len)
		b[(*len)++] = ' ';
	for (i = 0; k[i]; i++)
		b[(*len)++] = k[i];
	b[(*len)++] = '=';
	b[(*len)++] = '\'';
	for (i = 0; v[i]; i++) {
		if (v[i] == '\'' || v[i] == '\\')
			b[(*len)++] = '\\';
		b[(*len)++] = v[i];
	}
	b[(*len)++] = '\'';
	b[*len] = '\0';
	return true;
}

int cf_pg_conninfo_with_dbname(const char *conninfo, const char *dbname, char **out, cf_error *err)
{
	PQconninfoOption *opts, *o;
	char *msg = NULL, *buf = NULL;
	size_t len = 0, cap = 0;
	bool ok = true;

	if (out == NULL || conninfo == NULL || dbname == NULL)
		return cf_error_set(err, CF_EINVALID, NULL, "", "missing argument");
	*out = NULL;
	opts = PQconninfoParse(conninfo, &msg);
	if (opts == NULL) {
		if (msg)
			PQfreemem(msg);
		return cf_error_set(err, CF_EINVALID, NULL, "conninfo",
		                    "cannot parse the connection string");
	}
	for (o = opts; ok && o->keyword; o++) {
		if (strcmp(o->keyword, "dbname") == 0)
			continue;
		if (o->val && *o->val)
			ok = append_kv(&buf, &len, &cap, o->keyword, o->val);
	}
	if (ok)
		ok = append_kv(&buf, &len, &cap, "dbname", dbname);
	PQconninfoFree(opts);
	if (!ok) {
		free(buf);
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	}
	*out = buf;
	return CF_OK;
}

int cf_pg_pool_open(cf_pg_pool **out, const cf_pg_pool_config *cfg, cf_error *err)
{
	cf_pg_pool *p;
	pthread_condattr_t ca;

	if (out == NULL)
		return cf_error_set(err, CF_EINVALID, NULL, "", "no output pointer");
	*out = NULL;
	if (cfg == NULL || cfg->conninfo == NULL)
		return cf_error_set(err, CF_EINVALID, NULL, "conninfo", "no connection string");
	if (cfg->size < 0)
		return cf_error_set(err, CF_EINVALID, NULL, "size", "pool size must be >= 1");
	p = calloc(1, sizeof *p);
	if (p == NULL)
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	p->conninfo = strdup(cfg->conninfo);
	if (p->conninfo == NULL) {
		free(p);
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	}
	p->size = cfg->size ? cfg->size : CF_PG_POOL_DEFAULT_SIZE;
	p->wait_ms = cfg->wait_ms ? cfg->wait_ms : CF_PG_POOL_DEFAULT_WAIT_MS;
	pthread_mutex_init(&p->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cv, &ca);
	pthread_condattr_destroy(&ca);
	*out = p;
	return CF_OK;
}

void cf_pg_pool_close(cf_pg_pool *pool)
{
	cf_pg_conn *c, *next;

	if (pool == NULL)
		return;
	for (c = pool->idle; c; c = next) {
		next = c->next;
		conn_free(c);
	}
	pthread_cond_destroy(&pool->cv);
	pthread_mutex_destroy(&pool->mu);
	free(pool->conninfo);
	free(pool);
}

/*
 * An idle connection may have been closed by the server (restart,
 * pg_terminate_backend, idle timeout) since it was last used: libpq only
 * notices when it next reads. Read whatever is pending without blocking, so
 * that a closed socket turns the status to CONNECTION_BAD now.
 */
static bool probe_idle(cf_pg_conn *c)
{
	struct pollfd pfd;
	PGnotify *n;
	int sock = PQsocket(c->pg), i;
	bool readable_broken = false;

	if (sock < 0)
		return true;
	pfd.fd = sock;
	pfd.events = POLLIN;
	pfd.revents = 0;
	/* Bounded: a closed socket stays readable and ends the loop at EOF. */
	for (i = 0; i < 64 && poll(&pfd, 1, 0) > 0 && pfd.revents; i++) {
		if (!PQconsumeInput(c->pg))
			break; /* EOF or error: the status is now CONNECTION_BAD */
		while ((n = PQnotifies(c->pg)) != NULL)
			PQfreemem(n);
		if (PQstatus(c->pg) != CONNECTION_OK)
			break;
		pfd.revents = 0;
	}
	/* Something arrived while idle (a termination notice ahead of EOF?): make
	 * sure the session still answers before handing it out. */
	if (i > 0 && PQstatus(c->pg) == CONNECTION_OK) {
		PGresult *r = PQexec(c->pg, "SELECT 1");

		if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK)
			readable_broken = true;
		PQclear(r);
	}
	return readable_broken;
}

/* Bring a connection back to health: CF_OK or CF_EUNAVAILABLE. */
static int heal(cf_pg_pool *pool, cf_pg_conn *c)
{
	bool broken = probe_idle(c);

	if (!broken && PQstatus(c->pg) == CONNECTION_OK &&
	    PQtransactionStatus(c->pg) == PQTRANS_IDLE)
		return CF_OK;
	cf_pg_conn_forget_prepared(c);
	PQreset(c->pg);
	pthread_mutex_lock(&pool->mu);
	pool->replaced++;
	pthread_mutex_unlock(&pool->mu);
	if (PQstatus(c->pg) == CONNECTION_OK && PQtransactionStatus(c->pg) == PQTRANS_IDLE)
		return CF_OK;
	return CF_EUNAVAILABLE;
}

static void deadline_after(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Drop a connection that is no longer usable and free its slot. */
static void discard(cf_pg_pool *pool, cf_pg_conn *c, bool count_replaced)
{
	conn_free(c);
	pthread_mutex_lock(&pool->mu);
	pool->open--;
	pool->in_use--;
	if (count_replaced)
		pool->replaced++;
	pthread_cond_signal(&pool->cv);
	pthread_mutex_unlock(&pool->mu);
}

int cf_pg_pool_acquire(cf_pg_pool *pool, cf_pg_conn **out, cf_error *err)
{
	struct timespec deadline;
	cf_pg_conn *c;
	int rc;

	if (pool == NULL || out == NULL)
		return cf_error_set(err, CF_EINVALID, NULL, "", "no pool");
	*out = NULL;
	if (pool->wait_ms > 0)
		deadline_after(&deadline, pool->wait_ms);
	pthread_mutex_lock(&pool->mu);
	for (;;) {
		if (pool->idle) {
			c = pool->idle;
			pool->idle = c->next;
			c->next = NULL;
			pool->in_use++;
			pthread_mutex_unlock(&pool->mu);
			if (heal(pool, c) != CF_OK) {
				discard(pool, c, false);
				return cf_error_set(err, CF_EUNAVAILABLE, "service-unavailable", "",
				                    "database unreachable");
			}
			break;
		}
		if (pool->open < pool->size) {
			pool->open++;
			pool->in_use++;
			pthread_mutex_unlock(&pool->mu);
			rc = conn_new(pool->conninfo, &c, err);
			if (rc != CF_OK) {
				pthread_mutex_lock(&pool->mu);
				pool->open--;
				pool->in_use--;
				pool->connect_fail++;
				pthread_cond_signal(&pool->cv);
				pthread_mutex_unlock(&pool->mu);
				return rc;
			}
			c->pool = pool;
			break;
		}
		if (pool->wait_ms < 0) {
			pool->timeouts++;
			pthread_mutex_unlock(&pool->mu);
			return cf_error_set(err, CF_EUNAVAILABLE, "service-unavailable", "",
			                    "no database connection available");
		}
		pool->waiting++;
		rc = pthread_cond_timedwait(&pool->cv, &pool->mu, &deadline);
		pool->waiting--;
		if (rc == ETIMEDOUT && pool->idle == NULL && pool->open >= pool->size) {
			pool->timeouts++;
			pthread_mutex_unlock(&pool->mu);
			return cf_error_set(err, CF_EUNAVAILABLE, "service-unavailable", "",
			                    "no database connection available");
		}
	}
	pthread_mutex_lock(&pool->mu);
	pool->acquired++;
	pthread_mutex_unlock(&pool->mu);
	*out = c;
	return CF_OK;
}

void cf_pg_pool_release(cf_pg_pool *pool, cf_pg_conn *c)
{
	PGresult *r;

	if (pool == NULL || c == NULL)
		return;
	if (PQstatus(c->pg) != CONNECTION_OK) {
		discard(pool, c, true);
		return;
	}
	switch (PQtransactionStatus(c->pg)) {
	case PQTRANS_IDLE: break;
	case PQTRANS_INTRANS:
	case PQTRANS_INERROR:
		r = PQexec(c->pg, "ROLLBACK");
		PQclear(r);
		if (PQstatus(c->pg) != CONNECTION_OK ||
		    PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
			discard(pool, c, true);
			return;
		}
		break;
	case PQTRANS_ACTIVE:
	case PQTRANS_UNKNOWN:
	default: discard(pool, c, true); return;
	}
	pthread_mutex_lock(&pool->mu);
	c->next = pool->idle;
	pool->idle = c;
	pool->in_use--;
	pthread_cond_signal(&pool->cv);
	pthread_mutex_unlock(&pool->mu);
}

void cf_pg_pool_stats_get(cf_pg_pool *pool, cf_pg_pool_stats *out)
{
	if (out == NULL)
		return;
	memset(out, 0, sizeof *out);
	if (pool == NULL)
		return;
	pthread_mutex_lock(&pool->mu);
	out->size = pool->size;
	out->open = pool->open;
	out->in_use = pool->in_use;
	out->waiting = pool->waiting;
	out->acquired = pool->acquired;
	out->timeouts = pool->timeouts;
	out->replaced = pool->replaced;
	out->connect_fail = pool->connect_fail;
	pthread_mutex_unlock(&pool->mu);
}
