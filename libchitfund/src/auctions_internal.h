/*
 * auctions_internal.h - what other use-case sources need from auctions.c.
 * Not installed; not part of the public API.
 */
#ifndef CHITFUND_AUCTIONS_INTERNAL_H
#define CHITFUND_AUCTIONS_INTERNAL_H

#include <stddef.h>

#include "internal.h"

/**
 * Fill the draw columns of a scheme's schedule rows (domain.md "Schedule
 * rows"): status from each installment's auction, discount,
 * dividend_per_ticket and prized_ticket from its settlement, and
 * net_subscription of each installment whose amount a settled draw fixed.
 * rows[0..n) are installments 1..n. A no-op when the app has no auction
 * ports. Runs inside uc's transaction.
 */
int cf__auction_schedule_fill(cf_uc *uc, const cf_scheme *s, cf_schedule_row *rows, size_t n);

#endif
