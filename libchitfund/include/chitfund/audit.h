/*
 * chitfund/audit.h - reading and verifying the hash-chained audit log.
 *
 * Every state-changing use case appends one cf_audit_entry in its own
 * transaction. Chain rule (stable; `chitfund-server verify` and external
 * tools rely on it):
 *   hash = lowercase hex SHA-256 of  prev_hash ":" canonical
 *   canonical = the fields seq, at_ms, actor_id, actor_role, action, entity,
 *               entity_id, summary, request_id, client_addr, each written as
 *               <decimal byte length> ":" <bytes> ";"  (seq and at_ms as
 *               decimal text), concatenated in that order.
 * The first row's prev_hash is 64 '0' characters.
 * The hashed bytes are therefore  prev_hash ":" field(seq) tail,  where tail
 * (the fields from at_ms on) is independent of the row's position: the core
 * builds tail and an adapter with the audit port's append (postgres: in SQL,
 * sha256 at commit) adds the prefix once it holds the head. The rule is the
 * same either way; cf_audit_verify recomputes it in C.
 */
#ifndef CHITFUND_AUDIT_H
#define CHITFUND_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/app.h"
#include "chitfund/errors.h"
#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Audit listing filter and page. */
typedef struct cf_audit_query {
	const char *entity;    /**< NULL/"": any ("user", "scheme", "ticket" ...) */
	const char *entity_id; /**< NULL/"": any */
	size_t limit;          /**< 0: CF_PAGE_DEFAULT; 1..CF_PAGE_MAX */
	const char *cursor;    /**< NULL/"": first page */
} cf_audit_query;

/** A page of audit entries (oldest first). Free with cf_audit_page_free. */
typedef struct cf_audit_page {
	cf_audit_array entries;
	char next_cursor[CF_CURSOR_SIZE]; /**< "" on the last page */
} cf_audit_page;
/** Free the page's items (NULL-safe). */
void cf_audit_page_free(cf_audit_page *p);

/** List audit entries (admin, auditor; else CF_EFORBIDDEN). CF_EINVALID. */
int cf_audit_list(cf_app *app, const cf_actor *actor, const cf_audit_query *q, cf_audit_page *out,
                  cf_error *err);

/** Result of walking the chain. */
typedef struct cf_audit_verify_result {
	bool ok;                  /**< true when every row links and hashes correctly */
	int64_t rows_checked;     /**< rows read */
	int64_t first_broken_seq; /**< 0 when ok; else the first bad row's seq */
	char reason[96]; /**< "" when ok; "hash mismatch", "prev_hash mismatch", "seq gap" */
} cf_audit_verify_result;

/**
 * Walk the whole chain from seq 1 (admin, auditor, system). CF_OK with
 * out->ok false and the first broken row named when the chain is broken; a
 * negative status only when the walk itself failed.
 */
int cf_audit_verify(cf_app *app, const cf_actor *actor, cf_audit_verify_result *out, cf_error *err);

/**
 * Compute the chain hash of e from e->prev_hash and its canonical content
 * (rule above) with the app's digest port into hex (65 bytes).
 */
int cf_audit_entry_hash(cf_app *app, const cf_audit_entry *e, char hex[CF_HEX256_SIZE]);

#ifdef __cplusplus
}
#endif
#endif
