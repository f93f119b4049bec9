/*
 * pg_notify.c - LISTEN/NOTIFY listener thread and the parameterised sender
 * (see cf_infra/pg_notify.h).
 *
 * The thread owns the PGconn; other threads only touch the counters and the
 * backend pid, under `mu`. Stopping writes one byte to a pipe that the
 * thread polls next to the connection's socket, so stop() is prompt in
 * every state: waiting for notifications, or sleeping between reconnects.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cf_infra/pg.h"
#include "cf_infra/pg_notify.h"

struct cf_pg_listener {
	char *conninfo;
	char channel[CF_PG_NOTIFY_MAX_CHANNEL + 1];
	cf_pg_notify_fn on_notify;
	cf_pg_notify_gap_fn on_gap;
	cf_pg_notify_down_fn on_down;
	void *user;
	int backoff_min_ms;
	int backoff_max_ms;
	int ping_ms;

	PGconn *pg; /* owned by the thread once it runs */
	int stop_pipe[2];
	pthread_t thread;

	pthread_mutex_t mu; /* guards the fields below */
	bool connected;
	int backend_pid;
	uint64_t received;
	uint64_t reconnects;
	uint64_t failures;
};

static void quiet_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Connect and LISTEN. On success l->pg is the live connection. */
static int connect_listen(cf_pg_listener *l, cf_error *err)
{
	const char *keys[] = {"dbname", "connect_timeout", NULL};
	const char *vals[] = {l->conninfo, "5", NULL};
	PGconn *pg = PQconnectdbParams(keys, vals, 1);
	PGresult *r;
	char *ident, *sql;
	size_t n;
	int rc;

	if (pg == NULL)
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	if (PQstatus(pg) != CONNECTION_OK) {
		PQfinish(pg);
		return cf_error_set(err, CF_EUNAVAILABLE, "service-unavailable", "",
		                    "cannot connect to the database for LISTEN");
	}
	PQsetNoticeProcessor(pg, quiet_notice, NULL);
	ident = PQescapeIdentifier(pg, l->channel, strlen(l->channel));
	if (ident == NULL) {
		PQfinish(pg);
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	}
	n = strlen(ident) + sizeof "LISTEN ";
	sql = malloc(n);
	if (sql == NULL) {
		PQfreemem(ident);
		PQfinish(pg);
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	}
	snprintf(sql, n, "LISTEN %s", ident);
	PQfreemem(ident);
	r = PQexec(pg, sql);
	free(sql);
	rc = cf_pg_check(pg, r, err);
	PQclear(r);
	if (rc != CF_OK) {
		PQfinish(pg);
		return rc == CF_ENOMEM ? rc : CF_EUNAVAILABLE;
	}
	l->pg = pg;
	pthread_mutex_lock(&l->mu);
	l->connected = true;
	l->backend_pid = PQbackendPID(pg);
	pthread_mutex_unlock(&l->mu);
	return CF_OK;
}

/* Forget a broken connection. */
static void drop_conn(cf_pg_listener *l)
{
	PQfinish(l->pg);
	l->pg = NULL;
	pthread_mutex_lock(&l->mu);
	l->connected = false;
	l->backend_pid = 0;
	l->failures++;
	pthread_mutex_unlock(&l->mu);
	if (l->on_down)
		l->on_down(l->user);
}

/* Hand every notification libpq has buffered to the callback, in order. */
static void deliver(cf_pg_listener *l)
{
	PGnotify *n;

	while ((n = PQnotifies(l->pg)) != NULL) {
		pthread_mutex_lock(&l->mu);
		l->received++;
		pthread_mutex_unlock(&l->mu);
		l->on_notify(n->extra, strlen(n->extra), l->user);
		PQfreemem(n);
	}
}

/* Sleep up to ms, waking early when stop is requested. True: stop. */
static bool wait_stop(cf_pg_listener *l, int ms)
{
	struct pollfd p = {.fd = l->stop_pipe[0], .events = POLLIN};
	int rc;

	do
		rc = poll(&p, 1, ms);
	while (rc < 0 && errno == EINTR);
	return rc > 0;
}

/* The liveness query on an idle connection: false when the connection is gone. */
static bool ping(cf_pg_listener *l)
{
	PGresult *r = PQexec(l->pg, "SELECT 1");
	bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;

	PQclear(r);
	return ok && PQstatus(l->pg) == CONNECTION_OK;
}

static void *listener_main(void *arg)
{
	cf_pg_listener *l = arg;
	int backoff = l->backoff_min_ms;

	for (;;) {
		struct pollfd fds[2];
		int n;

		if (l->pg == NULL) {
			if (wait_stop(l, backoff))
				break;
			if (connect_listen(l, NULL) != CF_OK) {
				pthread_mutex_lock(&l->mu);
				l->failures++;
				pthread_mutex_unlock(&l->mu);
				backoff = backoff > l->backoff_max_ms / 2 ? l->backoff_max_ms
				                                          : backoff * 2;
				continue;
			}
			backoff = l->backoff_min_ms;
			pthread_mutex_lock(&l->mu);
			l->reconnects++;
			pthread_mutex_unlock(&l->mu);
			if (l->on_gap)
				l->on_gap(l->user);
			continue;
		}
		fds[0].fd = PQsocket(l->pg);
		fds[0].events = POLLIN;
		fds[0].revents = 0;
		fds[1].fd = l->stop_pipe[0];
		fds[1].events = POLLIN;
		fds[1].revents = 0;
		n = poll(fds, 2, l->ping_ms);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			drop_conn(l);
			continue;
		}
		if (fds[1].revents)
			break;
		if (n == 0) {
			if (!ping(l)) {
				deliver(l);
				drop_conn(l);
				continue;
			}
		} else if (fds[0].revents && !PQconsumeInput(l->pg)) {
			deliver(l);
			drop_conn(l);
			continue;
		}
		deliver(l);
		if (PQstatus(l->pg) != CONNECTION_OK)
			drop_conn(l);
	}
	if (l->pg) {
		PQfinish(l->pg);
		l->pg = NULL;
	}
	return NULL;
}

static void listener_free(cf_pg_listener *l)
{
	if (l->pg)
		PQfinish(l->pg);
	if (l->stop_pipe[0] >= 0)
		close(l->stop_pipe[0]);
	if (l->stop_pipe[1] >= 0)
		close(l->stop_pipe[1]);
	pthread_mutex_destroy(&l->mu);
	free(l->conninfo);
	free(l);
}

int cf_pg_listener_start(cf_pg_listener **out, const cf_pg_listener_config *cfg, cf_error *err)
{
	cf_pg_listener *l;
	size_t clen;
	int rc;

	if (out == NULL)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "", "out is NULL");
	*out = NULL;
	if (cfg == NULL || cfg->conninfo == NULL || cfg->channel == NULL || cfg->on_notify == NULL)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "",
		                    "conninfo, channel and on_notify are required");
	clen = strlen(cfg->channel);
	if (clen == 0 || clen > CF_PG_NOTIFY_MAX_CHANNEL)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "channel",
		                    "channel must be 1 to %d bytes", CF_PG_NOTIFY_MAX_CHANNEL);
	l = calloc(1, sizeof *l);
	if (l == NULL)
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	l->stop_pipe[0] = l->stop_pipe[1] = -1;
	pthread_mutex_init(&l->mu, NULL);
	l->conninfo = strdup(cfg->conninfo);
	if (l->conninfo == NULL) {
		listener_free(l);
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	}
	memcpy(l->channel, cfg->channel, clen + 1);
	l->on_notify = cfg->on_notify;
	l->on_gap = cfg->on_gap;
	l->on_down = cfg->on_down;
	l->user = cfg->user;
	l->backoff_min_ms = cfg->backoff_min_ms > 0 ? cfg->backoff_min_ms : 100;
	l->backoff_max_ms = cfg->backoff_max_ms > 0 ? cfg->backoff_max_ms : 5000;
	if (l->backoff_max_ms < l->backoff_min_ms)
		l->backoff_max_ms = l->backoff_min_ms;
	l->ping_ms = cfg->ping_ms > 0 ? cfg->ping_ms : 30000;
	if (pipe2(l->stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		listener_free(l);
		return cf_error_set(err, CF_ERROR, NULL, "", "cannot create the stop pipe");
	}
	rc = connect_listen(l, err);
	if (rc != CF_OK) {
		listener_free(l);
		return rc;
	}
	if (pthread_create(&l->thread, NULL, listener_main, l) != 0) {
		listener_free(l);
		return cf_error_set(err, CF_ERROR, NULL, "", "cannot start the listener thread");
	}
	*out = l;
	return CF_OK;
}

void cf_pg_listener_stop(cf_pg_listener *l)
{
	ssize_t w;

	if (l == NULL)
		return;
	do
		w = write(l->stop_pipe[1], "x", 1);
	while (w < 0 && errno == EINTR);
	pthread_join(l->thread, NULL);
	listener_free(l);
}

void cf_pg_listener_stats_get(cf_pg_listener *l, cf_pg_listener_stats *out)
{
	if (out == NULL)
		return;
	memset(out, 0, sizeof *out);
	if (l == NULL)
		return;
	pthread_mutex_lock(&l->mu);
	out->connected = l->connected;
	out->received = l->received;
	out->reconnects = l->reconnects;
	out->failures = l->failures;
	pthread_mutex_unlock(&l->mu);
}

int cf_pg_listener_backend_pid(cf_pg_listener *l)
{
	int pid;

	if (l == NULL)
		return 0;
	pthread_mutex_lock(&l->mu);
	pid = l->backend_pid;
	pthread_mutex_unlock(&l->mu);
	return pid;
}

int cf_pg_notify_send(PGconn *conn, const char *channel, const char *payload, cf_error *err)
{
	const char *params[2];
	PGresult *r;
	size_t clen;
	int rc;

	if (conn == NULL || channel == NULL || payload == NULL)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "",
		                    "connection, channel and payload are required");
	clen = strlen(channel);
	if (clen == 0 || clen > CF_PG_NOTIFY_MAX_CHANNEL)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "channel",
		                    "channel must be 1 to %d bytes", CF_PG_NOTIFY_MAX_CHANNEL);
	if (strnlen(payload, CF_PG_NOTIFY_MAX_PAYLOAD + 1) > CF_PG_NOTIFY_MAX_PAYLOAD)
		return cf_error_set(err, CF_EINVALID, "payload-too-large", "payload",
		                    "a notification payload holds at most %d bytes",
		                    CF_PG_NOTIFY_MAX_PAYLOAD);
	params[0] = channel;
	params[1] = payload;
	r = PQexecParams(conn, "SELECT pg_notify($1, $2)", 2, NULL, params, NULL, NULL, 0);
	rc = cf_pg_check(conn, r, err);
	PQclear(r);
	return rc;
}
