/*
 * mem_util.h - internal helpers shared by the in-memory adapter's files
 * (not installed, not public): a growable array of fixed-size rows, row
 * selection into a fresh array, and the "wrapped unit of work" that locks a
 * table set, snapshots it at begin and restores it on rollback.
 */
#ifndef CF_ADAPTERS_MEMORY_MEM_UTIL_H
#define CF_ADAPTERS_MEMORY_MEM_UTIL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "chitfund/sys/uow.h"

/* A growable array of rows of one size (the size is passed to each call). */
typedef struct cf_mem_vec {
	unsigned char *items;
	size_t count, cap;
} cf_mem_vec;

/* Append a copy of the es-byte row elem. CF_OK or CF_ENOMEM (v unchanged). */
int cf_mem_vec_push(cf_mem_vec *v, size_t es, const void *elem);

/* Set dst to a flat copy of src's rows (dst is overwritten, not freed first;
 * an empty src gives an empty dst). CF_OK or CF_ENOMEM (dst left empty). */
int cf_mem_vec_copy(cf_mem_vec *dst, const cf_mem_vec *src, size_t es);

/* Free v's rows (not what they point to) and empty it. */
void cf_mem_vec_free(cf_mem_vec *v);

/* Row filter for cf_mem_select: true keeps the row. */
typedef bool (*cf_mem_keep_fn)(const void *row, const void *arg);

/* Copy the rows of v for which keep(row, arg) holds (all rows when keep is
 * NULL), in order, into a fresh malloc'd array of count + 1 slots that the
 * caller frees. CF_OK or CF_ENOMEM (*items untouched). */
int cf_mem_select(const cf_mem_vec *v, size_t es, cf_mem_keep_fn keep, const void *arg,
                  void **items, size_t *count);

/* cf_mem_select keeping the rows whose char array at byte offset off equals
 * the string value. */
int cf_mem_select_str(const cf_mem_vec *v, size_t es, size_t off, const char *value, void **items,
                      size_t *count);

/* The state every wrapping port set keeps: a mutex held from begin to
 * commit/rollback, the wrapped unit of work and the open transaction. */
typedef struct cf_mem_wrap {
	pthread_mutex_t mu;
	cf_uow inner;
	cf_tx *cur;
} cf_mem_wrap;

/* What a wrapping port set does with its tables, called under the mutex:
 * snapshot copies them aside at begin (CF_OK or a negative code), restore
 * puts the snapshot back (rollback or a failed commit), settle drops the
 * snapshot after a commit. */
typedef struct cf_mem_wrap_ops {
	int (*snapshot)(void *owner);
	void (*restore)(void *owner);
	void (*settle)(void *owner);
} cf_mem_wrap_ops;

/* Allocate a zeroed object of size bytes whose cf_mem_wrap is at byte
 * offset wrap_off and initialise its mutex. CF_OK, CF_ENOMEM or CF_ERROR;
 * the caller frees the object with cf_mem_wrap_free_obj. */
int cf_mem_wrap_new(size_t size, size_t wrap_off, void **out);

/* Destroy the mutex at wrap_off in obj and free obj. */
void cf_mem_wrap_free_obj(void *obj, size_t wrap_off);

/* Lock, begin the inner transaction and take the snapshot; on error the
 * inner transaction is rolled back, *out is NULL and the mutex released. */
int cf_mem_wrap_begin(cf_mem_wrap *w, const cf_mem_wrap_ops *ops, void *owner, cf_tx **out);

/* Restore the snapshot, roll back the inner transaction and unlock (no-op
 * when tx is NULL). */
void cf_mem_wrap_rollback(cf_mem_wrap *w, const cf_mem_wrap_ops *ops, void *owner, cf_tx *tx);

/* Commit the inner transaction; restore on its failure, settle otherwise;
 * then clear the open transaction and unlock. Returns the inner result. */
int cf_mem_wrap_commit(cf_mem_wrap *w, const cf_mem_wrap_ops *ops, void *owner, cf_tx *tx);

#endif
