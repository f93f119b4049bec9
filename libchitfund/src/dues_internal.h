/*
 * dues_internal.h - the money side's hooks for other use cases, run INSIDE
 * their transaction (not part of the public API).
 *
 * - Commencement (schemes.c): cf__dues_on_commence creates every ticket's
 *   money row and, under next_installment, fixes installment 1 and posts its
 *   demand.
 * - Draw settlement (the auction close use case, issue 4): after the
 *   settlement, the prize and the dividend credits are written (and the
 *   draw's ledger lines posted), call cf__dues_on_draw_settled with the
 *   settlement and the credits of THIS draw: it records the prize for
 *   payout, credits the dividends (installment_no 0: to the advance), fixes
 *   the installment the draw fixes for every active ticket, posts its demand
 *   at the gross subscription, applies advances (posting any late fee they
 *   accrue), and completes the scheme when the last draw is settled and
 *   nothing is owed.
 * Both return CF_OK or a negative code with uc->err filled; the caller
 * rolls back on error. Without a money port (version 0) they do nothing.
 */
#ifndef CHITFUND_DUES_INTERNAL_H
#define CHITFUND_DUES_INTERNAL_H

#include "chitfund/auction_types.h"
#include "chitfund/money.h"
#include "internal.h"

/** Commencement hook (see above). s is the scheme as just updated to running. */
int cf__dues_on_commence(cf_uc *uc, const cf_scheme *s);

/**
 * Draw settlement hook (see above). r: the settlement just stored (its
 * auction_id, installment_no, s.winner_ticket_no, s.prize_amount,
 * s.gst_on_commission, s.dividend_applies_to_installment, prize_due_by and
 * settled_at_ms are read); credits: the dividend credits written for this
 * draw (n may be 0).
 */
int cf__dues_on_draw_settled(cf_uc *uc, const cf_scheme *s, const cf_auction_result *r,
                             const cf_dividend_credit *credits, size_t n);

/** Post balanced lines of one event (the domain's cf_posting) to the ledger port. */
int cf__ledger_post(cf_uc *uc, const char *scheme_id, const char *event_id, const char *event,
                    const cf_posting *lines, size_t n);

/** The business date (IST) of uc->now_ms. */
cf_date cf__today(const cf_uc *uc);

#endif
