/*
 * chitfund/sys/overdue_source.h - OPTIONAL port: which tickets of a scheme
 * are overdue (in default) on a date (domain.md "Overdue / in default").
 *
 * Draws need it for eligibility (an overdue ticket cannot bid or win) and
 * for the prompt_payers dividend policy. The payments/dues module provides
 * it; with the port absent (version 0) no ticket is overdue.
 */
#ifndef CHITFUND_SYS_OVERDUE_SOURCE_H
#define CHITFUND_SYS_OVERDUE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "chitfund/domain/date.h"
#include "chitfund/sys/tx.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_OVERDUE_SOURCE_VERSION 1

/** Overdue source port. */
typedef struct cf_overdue_source {
	unsigned int version; /**< CF_OVERDUE_SOURCE_VERSION, or 0 when absent */
	void *self;
	/**
	 * Set overdue[t - 1] = true for each ticket t (1..n) of the scheme that
	 * has a fixed installment with principal unpaid whose due date + the
	 * scheme's grace days is before `on`. The array comes zeroed (n =
	 * member_count). Runs in tx.
	 */
	int (*overdue)(void *self, cf_tx *tx, const char *scheme_id, cf_date on, bool *overdue,
	               size_t n);
	/* ---- end of version 1 ---- */
} cf_overdue_source;

#ifdef __cplusplus
}
#endif
#endif
