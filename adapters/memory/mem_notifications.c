/*
 * mem_notifications.c - the notification outbox port in memory. Wraps the
 * unit of work to snapshot and restore the outbox.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/adapters/memory_notifications.h"
#include "chitfund/errors.h"

typedef struct nvec {
	cf_notification *items;
	size_t count, cap;
	int64_t seq;
} nvec;

struct cf_memory_notifications {
	pthread_mutex_t mu;
	cf_uow inner;
	cf_tx *cur;
	nvec t, snap;
};

static int nvec_copy(nvec *dst, const nvec *src)
{
	memset(dst, 0, sizeof *dst);
	dst->seq = src->seq;
	if (src->count == 0)
		return CF_OK;
	dst->items = malloc(src->count * sizeof *dst->items);
	if (dst->items == NULL)
		return CF_ENOMEM;
	memcpy(dst->items, src->items, src->count * sizeof *dst->items);
	dst->count = dst->cap = src->count;
	return CF_OK;
}

static void nvec_free(nvec *v)
{
	free(v->items);
	memset(v, 0, sizeof *v);
}

int cf_memory_notifications_new(cf_memory_notifications **out)
{
	cf_memory_notifications *m = calloc(1, sizeof *m);

	if (m == NULL)
		return CF_ENOMEM;
	if (pthread_mutex_init(&m->mu, NULL) != 0) {
		free(m);
		return CF_ERROR;
	}
	*out = m;
	return CF_OK;
}

void cf_memory_notifications_free(cf_memory_notifications *m)
{
	if (m == NULL)
		return;
	nvec_free(&m->t);
	nvec_free(&m->snap);
	pthread_mutex_destroy(&m->mu);
	free(m);
}

/* ---- wrapped unit of work ---- */

static int w_begin(void *self, cf_tx **out)
{
	cf_memory_notifications *m = self;
	int rc;

	pthread_mutex_lock(&m->mu);
	rc = m->inner.begin(m->inner.self, out);
	if (rc < 0)
		goto fail;
	rc = nvec_copy(&m->snap, &m->t);
	if (rc < 0) {
		m->inner.rollback(m->inner.self, *out);
		goto fail;
	}
	m->cur = *out;
	return CF_OK;
fail:
	*out = NULL;
	pthread_mutex_unlock(&m->mu);
	return rc;
}

static void restore(cf_memory_notifications *m)
{
	nvec_free(&m->t);
	m->t = m->snap;
	memset(&m->snap, 0, sizeof m->snap);
	m->cur = NULL;
}

static void w_rollback(void *self, cf_tx *tx)
{
	cf_memory_notifications *m = self;

	if (tx == NULL)
		return;
	restore(m);
	m->inner.rollback(m->inner.self, tx);
	pthread_mutex_unlock(&m->mu);
}

static int w_commit(void *self, cf_tx *tx)
{
	cf_memory_notifications *m = self;
	int rc = m->inner.commit(m->inner.self, tx);

	if (rc < 0)
		restore(m);
	else
		nvec_free(&m->snap);
	m->cur = NULL;
	pthread_mutex_unlock(&m->mu);
	return rc;
}

#define ENTER(m, tx)                                                                               \
	do {                                                                                       \
		if ((tx) == NULL || (tx) != (m)->cur)                                              \
			return CF_EINVALID;                                                        \
	} while (0)

/* ---- the port ---- */

static long find(cf_memory_notifications *m, const char *id)
{
	for (size_t i = 0; i < m->t.count; i++)
		if (strcmp(m->t.items[i].id, id) == 0)
			return (long)i;
	return -1;
}

static int n_insert(void *self, cf_tx *tx, cf_notification *n)
{
	cf_memory_notifications *m = self;

	ENTER(m, tx);
	if (find(m, n->id) >= 0)
		return CF_EEXISTS;
	if (m->t.count == m->t.cap) {
		size_t cap = m->t.cap ? m->t.cap * 2 : 16;
		cf_notification *p = realloc(m->t.items, cap * sizeof *p);

		if (p == NULL)
			return CF_ENOMEM;
		m->t.items = p;
		m->t.cap = cap;
	}
	n->seq = ++m->t.seq;
	m->t.items[m->t.count++] = *n;
	return CF_OK;
}

static int n_list_for_user(void *self, cf_tx *tx, const char *user_id, int64_t before_seq,
                           size_t limit, cf_notification_array *out)
{
	cf_memory_notifications *m = self;

	ENTER(m, tx);
	memset(out, 0, sizeof *out);
	out->items = malloc((m->t.count + 1) * sizeof *out->items);
	if (out->items == NULL)
		return CF_ENOMEM;
	/* rows are in seq order: walk from the newest */
	for (size_t i = m->t.count; i > 0 && out->count < limit; i--) {
		const cf_notification *n = &m->t.items[i - 1];

		if (strcmp(n->user_id, user_id) == 0 && (before_seq == 0 || n->seq < before_seq))
			out->items[out->count++] = *n;
	}
	return CF_OK;
}

static int n_mark_read(void *self, cf_tx *tx, const char *id, const char *user_id, int64_t at_ms,
                       cf_notification *out)
{
	cf_memory_notifications *m = self;
	long i;

	ENTER(m, tx);
	i = find(m, id);
	if (i < 0 || strcmp(m->t.items[i].user_id, user_id) != 0)
		return CF_ENOTFOUND;
	if (m->t.items[i].read_at_ms == 0)
		m->t.items[i].read_at_ms = at_ms;
	*out = m->t.items[i];
	return CF_OK;
}

static int n_next_undelivered(void *self, cf_tx *tx, size_t limit, cf_notification_array *out)
{
	cf_memory_notifications *m = self;

	ENTER(m, tx);
	memset(out, 0, sizeof *out);
	out->items = malloc((m->t.count + 1) * sizeof *out->items);
	if (out->items == NULL)
		return CF_ENOMEM;
	for (size_t i = 0; i < m->t.count && out->count < limit; i++)
		if (m->t.items[i].delivered_at_ms == 0)
			out->items[out->count++] = m->t.items[i];
	return CF_OK;
}

static int n_mark_delivered(void *self, cf_tx *tx, const char *id, bool ok, int64_t at_ms)
{
	cf_memory_notifications *m = self;
	long i;

	ENTER(m, tx);
	if ((i = find(m, id)) < 0)
		return CF_ENOTFOUND;
	if (ok)
		m->t.items[i].delivered_at_ms = at_ms;
	else
		m->t.items[i].attempts++;
	return CF_OK;
}

void cf_memory_notifications_ports(cf_memory_notifications *m, cf_ports *p)
{
	m->inner = p->uow;
	p->uow = (cf_uow){CF_UOW_VERSION, m, w_begin, w_commit, w_rollback, NULL, NULL};
	p->notifications = (cf_notification_repo){CF_NOTIFICATION_REPO_VERSION,
	                                          m,
	                                          n_insert,
	                                          n_list_for_user,
	                                          n_mark_read,
	                                          n_next_undelivered,
	                                          n_mark_delivered};
}
