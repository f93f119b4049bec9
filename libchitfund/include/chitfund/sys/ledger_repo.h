/*
 * chitfund/sys/ledger_repo.h - ledger postings port (domain.md "Ledger").
 *
 * Append-only double-entry lines; every event's lines sum to zero (the core
 * checks that before posting). Draw settlements post first (issue 4);
 * payments, payouts and demands post here too.
 */
#ifndef CHITFUND_SYS_LEDGER_REPO_H
#define CHITFUND_SYS_LEDGER_REPO_H

#include <stddef.h>

#include "chitfund/auction_types.h"
#include "chitfund/sys/tx.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_LEDGER_REPO_VERSION 1

/** Ledger repository port. */
typedef struct cf_ledger_repo {
	unsigned int version; /**< CF_LEDGER_REPO_VERSION */
	void *self;
	/** Required. Append n lines in order (seq is assigned by storage). */
	int (*post)(void *self, cf_tx *tx, const cf_ledger_line *lines, size_t n);
	/** Required. Every line of a scheme in posting order (cf_ledger_line_array_free). */
	int (*list_by_scheme)(void *self, cf_tx *tx, const char *scheme_id,
	                      cf_ledger_line_array *out);
	/* ---- end of version 1 ---- */
} cf_ledger_repo;

#ifdef __cplusplus
}
#endif
#endif
