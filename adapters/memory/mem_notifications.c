/*
 * mem_notifications.c - the notification outbox port in memory. Wraps the
 * unit of work to snapshot and restore the outbox.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/adapters/memory_notifications.h"
#include "chitfund/errors.h"
#include "mem_util.h"

typedef struct nvec {
	cf_mem_vec v; /* cf_notification rows */
	int64_t seq;
} nvec;

struct cf_memory_notifications {
	cf_mem_wrap w;
	nvec t, snap;
};

#define ROWS(m) ((cf_notification *)(m)->t.v.items)
#define CNT(m)  ((m)->t.v.count)

static int snapshot(void *self)
{
	cf_memory_notifications *m = self;

	m->snap.seq = m->t.seq;
	return cf_mem_vec_copy(&m->snap.v, &m->t.v, sizeof(cf_notification));
}

static void restore(void *self)
{
	cf_memory_notifications *m = self;

	cf_mem_vec_free(&m->t.v);
	m->t = m->snap;
	memset(&m->snap, 0, sizeof m->snap);
}

static void settle(void *self)
{
	cf_memory_notifications *m = self;

	cf_mem_vec_free(&m->snap.v);
	memset(&m->snap, 0, sizeof m->snap);
}

static const cf_mem_wrap_ops ops = {snapshot, restore, settle};

int cf_memory_notifications_new(cf_memory_notifications **out)
{
	return cf_mem_wrap_new(sizeof **out, offsetof(cf_memory_notifications, w), (void **)out);
}

void cf_memory_notifications_free(cf_memory_notifications *m)
{
	if (m == NULL)
		return;
	cf_mem_vec_free(&m->t.v);
	cf_mem_vec_free(&m->snap.v);
	cf_mem_wrap_free_obj(m, offsetof(cf_memory_notifications, w));
}

/* ---- wrapped unit of work ---- */

static int w_begin(void *self, cf_tx **out)
{
	return cf_mem_wrap_begin(&((cf_memory_notifications *)self)->w, &ops, self, out);
}

static void w_rollback(void *self, cf_tx *tx)
{
	cf_mem_wrap_rollback(&((cf_memory_notifications *)self)->w, &ops, self, tx);
}

static int w_commit(void *self, cf_tx *tx)
{
	return cf_mem_wrap_commit(&((cf_memory_notifications *)self)->w, &ops, self, tx);
}

#define ENTER(m, tx)                                                                               \
	do {                                                                                       \
		if ((tx) == NULL || (tx) != (m)->w.cur)                                            \
			return CF_EINVALID;                                                        \
	} while (0)

/* ---- the port ---- */

static long find(cf_memory_notifications *m, const char *id)
{
	for (size_t i = 0; i < CNT(m); i++)
		if (strcmp(ROWS(m)[i].id, id) == 0)
			return (long)i;
	return -1;
}

static int n_insert(void *self, cf_tx *tx, cf_notification *n)
{
	cf_memory_notifications *m = self;
	cf_notification row;

	ENTER(m, tx);
	if (find(m, n->id) >= 0)
		return CF_EEXISTS;
	row = *n;
	row.seq = m->t.seq + 1;
	if (cf_mem_vec_push(&m->t.v, sizeof row, &row) < 0)
		return CF_ENOMEM;
	n->seq = ++m->t.seq;
	return CF_OK;
}

static int n_list_for_user(void *self, cf_tx *tx, const char *user_id, int64_t before_seq,
                           size_t limit, cf_notification_array *out)
{
	cf_memory_notifications *m = self;

	ENTER(m, tx);
	memset(out, 0, sizeof *out);
	out->items = malloc((CNT(m) + 1) * sizeof *out->items);
	if (out->items == NULL)
		return CF_ENOMEM;
	/* rows are in seq order: walk from the newest */
	for (size_t i = CNT(m); i > 0 && out->count < limit; i--) {
		const cf_notification *n = &ROWS(m)[i - 1];

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
	if (i < 0 || strcmp(ROWS(m)[i].user_id, user_id) != 0)
		return CF_ENOTFOUND;
	if (ROWS(m)[i].read_at_ms == 0)
		ROWS(m)[i].read_at_ms = at_ms;
	*out = ROWS(m)[i];
	return CF_OK;
}

static int n_next_undelivered(void *self, cf_tx *tx, size_t limit, cf_notification_array *out)
{
	cf_memory_notifications *m = self;

	ENTER(m, tx);
	memset(out, 0, sizeof *out);
	out->items = malloc((CNT(m) + 1) * sizeof *out->items);
	if (out->items == NULL)
		return CF_ENOMEM;
	for (size_t i = 0; i < CNT(m) && out->count < limit; i++)
		if (ROWS(m)[i].delivered_at_ms == 0)
			out->items[out->count++] = ROWS(m)[i];
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
		ROWS(m)[i].delivered_at_ms = at_ms;
	else
		ROWS(m)[i].attempts++;
	return CF_OK;
}

void cf_memory_notifications_ports(cf_memory_notifications *m, cf_ports *p)
{
	m->w.inner = p->uow;
	p->uow = (cf_uow){CF_UOW_VERSION, m, w_begin, w_commit, w_rollback, NULL, NULL};
	p->notifications = (cf_notification_repo){CF_NOTIFICATION_REPO_VERSION,
	                                          m,
	                                          n_insert,
	                                          n_list_for_user,
	                                          n_mark_read,
	                                          n_next_undelivered,
	                                          n_mark_delivered};
}
