/*
 * mem_util.c - helpers shared by the in-memory adapter (see mem_util.h).
 */
#include <stdlib.h>
#include <string.h>

#include "chitfund/errors.h"
#include "mem_util.h"

int cf_mem_vec_push(cf_mem_vec *v, size_t es, const void *elem)
{
	if (v->count == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		unsigned char *p = realloc(v->items, cap * es);

		if (p == NULL)
			return CF_ENOMEM;
		v->items = p;
		v->cap = cap;
	}
	memcpy(v->items + v->count * es, elem, es);
	v->count++;
	return CF_OK;
}

int cf_mem_vec_copy(cf_mem_vec *dst, const cf_mem_vec *src, size_t es)
{
	memset(dst, 0, sizeof *dst);
	if (src->count == 0)
		return CF_OK;
	if ((dst->items = malloc(src->count * es)) == NULL)
		return CF_ENOMEM;
	memcpy(dst->items, src->items, src->count * es);
	dst->count = dst->cap = src->count;
	return CF_OK;
}

void cf_mem_vec_free(cf_mem_vec *v)
{
	free(v->items);
	memset(v, 0, sizeof *v);
}

int cf_mem_select(const cf_mem_vec *v, size_t es, cf_mem_keep_fn keep, const void *arg,
                  void **items, size_t *count)
{
	size_t n = 0;
	unsigned char *out = malloc((v->count + 1) * es);

	if (out == NULL)
		return CF_ENOMEM;
	for (size_t k = 0; k < v->count; k++) {
		const unsigned char *row = v->items + k * es;

		if (keep == NULL || keep(row, arg))
			memcpy(out + n++ * es, row, es);
	}
	*items = out;
	*count = n;
	return CF_OK;
}

typedef struct str_key {
	size_t off;
	const char *value;
} str_key;

static bool keep_str(const void *row, const void *arg)
{
	const str_key *k = arg;

	return strcmp((const char *)row + k->off, k->value) == 0;
}

int cf_mem_select_str(const cf_mem_vec *v, size_t es, size_t off, const char *value, void **items,
                      size_t *count)
{
	str_key k = {off, value};

	return cf_mem_select(v, es, keep_str, &k, items, count);
}

int cf_mem_wrap_new(size_t size, size_t wrap_off, void **out)
{
	unsigned char *obj = calloc(1, size);

	if (obj == NULL)
		return CF_ENOMEM;
	if (pthread_mutex_init(&((cf_mem_wrap *)(obj + wrap_off))->mu, NULL) != 0) {
		free(obj);
		return CF_ERROR;
	}
	*out = obj;
	return CF_OK;
}

void cf_mem_wrap_free_obj(void *obj, size_t wrap_off)
{
	pthread_mutex_destroy(&((cf_mem_wrap *)((unsigned char *)obj + wrap_off))->mu);
	free(obj);
}

int cf_mem_wrap_begin(cf_mem_wrap *w, const cf_mem_wrap_ops *ops, void *owner, cf_tx **out)
{
	int rc;

	pthread_mutex_lock(&w->mu);
	rc = w->inner.begin(w->inner.self, out);
	if (rc < 0)
		goto fail;
	rc = ops->snapshot(owner);
	if (rc < 0) {
		w->inner.rollback(w->inner.self, *out);
		goto fail;
	}
	w->cur = *out;
	return CF_OK;
fail:
	*out = NULL;
	pthread_mutex_unlock(&w->mu);
	return rc;
}

void cf_mem_wrap_rollback(cf_mem_wrap *w, const cf_mem_wrap_ops *ops, void *owner, cf_tx *tx)
{
	if (tx == NULL)
		return;
	ops->restore(owner);
	w->cur = NULL;
	w->inner.rollback(w->inner.self, tx);
	pthread_mutex_unlock(&w->mu);
}

int cf_mem_wrap_commit(cf_mem_wrap *w, const cf_mem_wrap_ops *ops, void *owner, cf_tx *tx)
{
	int rc = w->inner.commit(w->inner.self, tx);

	w->cur = NULL;
	if (rc < 0)
		ops->restore(owner);
	else
		ops->settle(owner);
	pthread_mutex_unlock(&w->mu);
	return rc;
}
