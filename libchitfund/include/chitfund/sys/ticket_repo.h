/*
 * chitfund/sys/ticket_repo.h - ticket (membership) repository port. The row
 * is the public cf_ticket (chitfund/types.h).
 */
#ifndef CHITFUND_SYS_TICKET_REPO_H
#define CHITFUND_SYS_TICKET_REPO_H

#include <stdint.h>

#include "chitfund/sys/tx.h"
#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_TICKET_REPO_VERSION 1

/** Ticket repository port. */
typedef struct cf_ticket_repo {
	unsigned int version; /**< CF_TICKET_REPO_VERSION */
	void *self;
	/**
	 * Required. Lock scheme `scheme_id` for enrolment until tx ends, so that
	 * enrolments (and commencement) of one scheme are serialised and two
	 * concurrent enrolments into its last free ticket have exactly one
	 * winner (postgres: SELECT 1 FROM schemes WHERE id=$1 FOR UPDATE).
	 * The core calls it before reading the scheme's status and tickets.
	 * CF_ENOTFOUND when no such scheme.
	 */
	int (*lock_scheme)(void *self, cf_tx *tx, const char *scheme_id);
	/**
	 * Required. Insert. CF_EEXISTS when (scheme_id, ticket_no) or the id is
	 * taken; CF_ENOTFOUND when the scheme or user does not exist (optional
	 * check: a foreign key).
	 */
	int (*insert)(void *self, cf_tx *tx, const cf_ticket *t);
	/** Required. Load one ticket by scheme and number. CF_ENOTFOUND. */
	int (*get)(void *self, cf_tx *tx, const char *scheme_id, int32_t ticket_no, cf_ticket *out);
	/**
	 * Required. Replace the ticket with id t->id when row_version matches;
	 * then t->row_version is incremented and stored. CF_ECONFLICT; CF_ENOTFOUND.
	 */
	int (*update)(void *self, cf_tx *tx, cf_ticket *t);
	/** Required. Every ticket of a scheme ordered by ticket_no (cf_ticket_array_free). */
	int (*list_by_scheme)(void *self, cf_tx *tx, const char *scheme_id, cf_ticket_array *out);
	/** Required. Every ticket a user holds ordered by (created_at_ms, scheme_id, ticket_no). */
	int (*list_by_user)(void *self, cf_tx *tx, const char *user_id, cf_ticket_array *out);
	/** Required. *out = number of tickets (any status) of a scheme. */
	int (*count)(void *self, cf_tx *tx, const char *scheme_id, int32_t *out);
	/* ---- end of version 1 ---- */
} cf_ticket_repo;

#ifdef __cplusplus
}
#endif
#endif
