/*
 * chitfund/sys/scheme_repo.h - scheme repository port. The row is the public
 * cf_scheme (chitfund/types.h): every parameter resolved.
 */
#ifndef CHITFUND_SYS_SCHEME_REPO_H
#define CHITFUND_SYS_SCHEME_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "chitfund/sys/tx.h"
#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_SCHEME_REPO_VERSION 1

/** Filter and page of a scheme listing. */
typedef struct cf_scheme_filter {
	bool has_status;         /**< false: any status */
	cf_scheme_status status; /**< when has_status */
	/**
	 * "": no restriction. Else only schemes that are `enrolling` or in which
	 * this user holds a ticket (any status) -- a subscriber's view.
	 */
	char visible_to[CF_ID_SIZE];
	/** Cursor: only rows after (after_created_at_ms, after_id) in list order; "" id: start. */
	int64_t after_created_at_ms;
	char after_id[CF_ID_SIZE];
	size_t limit; /**< at most this many rows (>= 1) */
} cf_scheme_filter;

/** Scheme repository port. */
typedef struct cf_scheme_repo {
	unsigned int version; /**< CF_SCHEME_REPO_VERSION */
	void *self;
	/** Required. Insert. CF_EEXISTS when the id is taken. */
	int (*insert)(void *self, cf_tx *tx, const cf_scheme *s);
	/** Required. Load by id. CF_ENOTFOUND. */
	int (*get)(void *self, cf_tx *tx, const char *id, cf_scheme *out);
	/**
	 * Required. Replace the row with id s->id if the stored row_version equals
	 * s->row_version; then s->row_version is incremented and stored.
	 * CF_ECONFLICT on a stale version; CF_ENOTFOUND. id, created_by and
	 * created_at_ms never change.
	 */
	int (*update)(void *self, cf_tx *tx, cf_scheme *s);
	/**
	 * Required. Rows matching the filter ordered by (created_at_ms, id)
	 * ascending, at most f->limit, into *out (cf_scheme_array_free).
	 */
	int (*list)(void *self, cf_tx *tx, const cf_scheme_filter *f, cf_scheme_array *out);
	/* ---- end of version 1 ---- */
} cf_scheme_repo;

#ifdef __cplusplus
}
#endif
#endif
