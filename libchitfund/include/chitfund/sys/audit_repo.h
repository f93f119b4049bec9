/*
 * chitfund/sys/audit_repo.h - append-only, hash-chained audit log port.
 *
 * The core appends at the end of each state-changing use case, just before
 * commit. With append (version 2) the adapter links the row to the head
 * itself and may defer the write to the commit (postgres: one function call
 * pipelined with COMMIT, so the head lock is held only for the commit).
 * Without it, in two steps: lock_head (which serialises appenders until the
 * tx ends and tells the last seq and hash), then insert of the row whose seq,
 * prev_hash and hash the core computed. Rows are never updated or deleted
 * (postgres: triggers refuse UPDATE, DELETE and TRUNCATE).
 */
#ifndef CHITFUND_SYS_AUDIT_REPO_H
#define CHITFUND_SYS_AUDIT_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "chitfund/sys/tx.h"
#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_AUDIT_REPO_VERSION 2

/** Filter and page of an audit listing. */
typedef struct cf_audit_filter {
	char entity[CF_AUDIT_ENTITY_SIZE]; /**< "": any */
	char entity_id[CF_ID_SIZE];        /**< "": any */
	int64_t after_seq;                 /**< only seq > after_seq (0: start) */
	size_t limit;                      /**< at most this many rows (>= 1) */
} cf_audit_filter;

/** Audit repository port. */
typedef struct cf_audit_repo {
	unsigned int version; /**< CF_AUDIT_REPO_VERSION */
	void *self;
	/**
	 * Required. Lock the chain head until tx ends (postgres: SELECT ... FROM
	 * audit_head FOR UPDATE) and report the last row's seq and hash (0 and
	 * 64 '0' characters when the log is empty).
	 */
	int (*lock_head)(void *self, cf_tx *tx, int64_t *last_seq, char last_hash[CF_HEX256_SIZE]);
	/**
	 * Required. Append e (seq = last_seq + 1, hashes computed by the core) and
	 * advance the head. CF_ECONFLICT when e->seq is not last_seq + 1.
	 */
	int (*insert)(void *self, cf_tx *tx, const cf_audit_entry *e);
	/**
	 * Required. Rows matching the filter ordered by seq ascending, at most
	 * f->limit (cf_audit_array_free). Also used page by page to verify the
	 * whole chain (empty entity and entity_id).
	 */
	int (*list)(void *self, cf_tx *tx, const cf_audit_filter *f, cf_audit_array *out);
	/* ---- end of version 1 ---- */
	/**
	 * Optional (version 2; NULL: the core uses lock_head + insert). Append e
	 * after the chain head and advance the head, as insert does, with the
	 * link computed by the adapter: seq = last_seq + 1, prev_hash = the
	 * head's hash, hash = lowercase hex SHA-256 of
	 *   prev_hash ":" <decimal length of seq text> ":" <seq text> ";" tail
	 * where tail (tail_len bytes, not NUL-terminated, borrowed) is the
	 * canonical content after seq built by the core (chitfund/audit.h), so
	 * the row verifies like any other. e->seq, prev_hash and hash are
	 * ignored and not written back; e and tail are copied when needed. The
	 * adapter may defer the write until commit of tx (errors then fail the
	 * commit, and the row is not visible in tx before it); several appends
	 * in one tx keep their order. CF_ENOMEM; database errors.
	 */
	int (*append)(void *self, cf_tx *tx, const cf_audit_entry *e, const char *tail,
	              size_t tail_len);
} cf_audit_repo;

#ifdef __cplusplus
}
#endif
#endif
