/*
 * pg_pool.c - the libpq connection pool: lazy connections up to `size`, a
 * bounded FIFO wait (CLOCK_MONOTONIC), health checks on acquire and clean-up
 * on release.
 *
 * Fairness: a thread that has to wait joins a FIFO queue with its own
 * condition variable. A released connection (or a freed slot, when a broken
 * connection is dropped) is handed directly to the oldest waiter, never put
 * back where a newly arriving thread could take it first; a new arrival
 * queues behind the waiters. So no waiter misses a wake-up or is overtaken,
 * and the wait is bounded by the work queued ahead of it, not by chance.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cf_infra/pg.h"
#include "pg_internal.h"

/* One thread waiting in cf_pg_pool_acquire (on its own stack). */
typedef struct pool_waiter {
	pthread_cond_t cv;
	struct pool_waiter *next;
	cf_pg_conn *conn; /* handed an idle connection */
	bool slot;        /* handed a free slot: open a new connection */
} pool_waiter;

struct cf_pg_pool {
	pthread_mutex_t mu;
	pthread_condattr_t ca; /* CLOCK_MONOTONIC, for the waiters' condvars */
	char *conninfo;
	int size;
	int wait_ms;
	cf_pg_conn *idle;         /* LIFO list through conn->next */
	pool_waiter *head, *tail; /* FIFO of waiting threads */
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
	pthread_condattr_init(&p->ca);
	pthread_condattr_setclock(&p->ca, CLOCK_MONOTONIC);
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
	pthread_condattr_destroy(&pool->ca);
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

/* Take the oldest waiter off the queue (pool->mu held); NULL when none. */
static pool_waiter *pop_waiter(cf_pg_pool *pool)
{
	pool_waiter *w = pool->head;

	if (w) {
		pool->head = w->next;
		if (pool->head == NULL)
			pool->tail = NULL;
		w->next = NULL;
		pool->waiting--;
	}
	return w;
}

/* A slot was freed (pool->mu held): hand it to the oldest waiter, who will
 * open a new connection in it, else count it free. */
static void slot_freed_locked(cf_pg_pool *pool)
{
	pool_waiter *w = pop_waiter(pool);

	pool->open--;
	pool->in_use--;
	if (w) {
		pool->open++;
		pool->in_use++;
		w->slot = true;
		pthread_cond_signal(&w->cv);
	}
}

/* Drop a connection that is no longer usable and free its slot. */
static void discard(cf_pg_pool *pool, cf_pg_conn *c, bool count_replaced)
{
	conn_free(c);
	pthread_mutex_lock(&pool->mu);
	if (count_replaced)
		pool->replaced++;
	slot_freed_locked(pool);
	pthread_mutex_unlock(&pool->mu);
}

/* Remove w from the queue (pool->mu held); false when it is no longer there. */
static bool unlink_waiter(cf_pg_pool *pool, pool_waiter *w)
{
	pool_waiter **pp, *prev = NULL;

	for (pp = &pool->head; *pp; prev = *pp, pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			if (pool->tail == w)
				pool->tail = prev;
			pool->waiting--;
			return true;
		}
	}
	return false;
}

/*
 * Wait in FIFO order (pool->mu held, released on return) until a connection
 * or a slot is handed over or the deadline passes. CF_OK with *got set (an
 * in-use connection) or *got NULL (a slot to open a connection in).
 */
static int wait_turn(cf_pg_pool *pool, const struct timespec *deadline, cf_pg_conn **got,
                     cf_error *err)
{
	pool_waiter w;
	int rc = 0;

	memset(&w, 0, sizeof w);
	pthread_cond_init(&w.cv, &pool->ca);
	/* w lives on this stack only while queued: whoever takes it off the queue
	 * (a release, or the timeout below) does so under pool->mu before this
	 * function returns, so the queue never holds a dangling pointer. */
	if (pool->tail)
		pool->tail->next = &w;
	else
		pool->head = &w; /* cppcheck-suppress autoVariables */
	pool->tail = &w;         /* cppcheck-suppress autoVariables */
	pool->waiting++;
	while (w.conn == NULL && !w.slot && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&w.cv, &pool->mu, deadline);
	if (w.conn == NULL && !w.slot) {
		/* timed out and nothing was handed over: leave the queue */
		unlink_waiter(pool, &w);
		pool->timeouts++;
		pthread_mutex_unlock(&pool->mu);
		pthread_cond_destroy(&w.cv);
		return cf_error_set(err, CF_EUNAVAILABLE, "service-unavailable", "",
		                    "no database connection available");
	}
	pthread_mutex_unlock(&pool->mu);
	pthread_cond_destroy(&w.cv);
	*got = w.conn;
	return CF_OK;
}

int cf_pg_pool_acquire(cf_pg_pool *pool, cf_pg_conn **out, cf_error *err)
{
	struct timespec deadline;
	cf_pg_conn *c = NULL;
	bool fresh = false;
	int rc;

	if (pool == NULL || out == NULL)
		return cf_error_set(err, CF_EINVALID, NULL, "", "no pool");
	*out = NULL;
	if (pool->wait_ms > 0)
		deadline_after(&deadline, pool->wait_ms);
	pthread_mutex_lock(&pool->mu);
	if (pool->head == NULL && pool->idle) {
		/* nobody queued ahead: take an idle connection */
		c = pool->idle;
		pool->idle = c->next;
		c->next = NULL;
		pool->in_use++;
		pthread_mutex_unlock(&pool->mu);
	} else if (pool->head == NULL && pool->open < pool->size) {
		pool->open++;
		pool->in_use++;
		pthread_mutex_unlock(&pool->mu);
		fresh = true;
	} else if (pool->wait_ms < 0) {
		pool->timeouts++;
		pthread_mutex_unlock(&pool->mu);
		return cf_error_set(err, CF_EUNAVAILABLE, "service-unavailable", "",
		                    "no database connection available");
	} else {
		rc = wait_turn(pool, &deadline, &c, err);
		if (rc != CF_OK)
			return rc;
		fresh = c == NULL;
	}
	if (fresh) {
		rc = conn_new(pool->conninfo, &c, err);
		if (rc != CF_OK) {
			pthread_mutex_lock(&pool->mu);
			pool->connect_fail++;
			slot_freed_locked(pool);
			pthread_mutex_unlock(&pool->mu);
			return rc;
		}
		c->pool = pool;
	} else if (heal(pool, c) != CF_OK) {
		discard(pool, c, false);
		return cf_error_set(err, CF_EUNAVAILABLE, "service-unavailable", "",
		                    "database unreachable");
	}
	pthread_mutex_lock(&pool->mu);
	pool->acquired++;
	pthread_mutex_unlock(&pool->mu);
	*out = c;
	return CF_OK;
}

void cf_pg_pool_release(cf_pg_pool *pool, cf_pg_conn *c)
{
	pool_waiter *w;
	PGresult *r;

	if (pool == NULL || c == NULL)
		return;
	c->begin_sql = NULL; /* a lazy BEGIN that never went out */
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
	w = pop_waiter(pool);
	if (w) {
		/* hand it over: it stays in use, now by the oldest waiter */
		w->conn = c;
		pthread_cond_signal(&w->cv);
	} else {
		c->next = pool->idle;
		pool->idle = c;
		pool->in_use--;
	}
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
