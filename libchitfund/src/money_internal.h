/*
 * money_internal.h - helpers shared by the money use cases (payments.c,
 * dues.c, payouts.c, defaulters.c, statements.c). Not installed.
 */
#ifndef CHITFUND_MONEY_INTERNAL_H
#define CHITFUND_MONEY_INTERNAL_H

#include "chitfund/sys/money_repo.h"
#include "dues_internal.h"

#define MR(uc)  (&(uc)->app->p.money)
#define MRS(uc) ((uc)->app->p.money.self)

/** CF_ENOTSUPPORTED (with err) when the app has no money or ledger port. */
int cf__money_ready(cf_uc *uc);

/** What the actor is to a scheme. */
typedef struct cf_money_who {
	bool staff;   /**< admin, auditor, system, its foreman, its agents */
	bool manager; /**< admin, system, its foreman */
	bool agent;   /**< an agent assigned to it */
} cf_money_who;

/**
 * The opening of most money use cases: an authenticated actor, the money
 * ports configured, scheme_id loaded into *s (cf__load_scheme) and what the
 * actor is to it in *w (cf__money_who). The first error is returned.
 */
int cf__money_enter(cf_uc *uc, const char *scheme_id, cf_scheme *s, cf_money_who *w);
int cf__money_who(cf_uc *uc, const cf_scheme *s, cf_money_who *w);

/** A ticket's money state loaded for change (account locked). */
typedef struct cf_ticket_money {
	cf_ticket_acct acct;
	cf_due *dues; /**< fixed installments by installment_no (malloc'd) */
	size_t n;
	cf_due *orig; /**< the dues as loaded (save writes only what changed) */
	size_t n_orig;
} cf_ticket_money;
/** Lock the account and load the dues. CF_ENOTFOUND when the ticket has no money row. */
int cf__tm_load(cf_uc *uc, const char *scheme_id, int32_t ticket_no, bool lock,
                cf_ticket_money *tm);
void cf__tm_free(cf_ticket_money *tm);
/** Store every due and the account (dues_version + 1). */
int cf__tm_save(cf_uc *uc, cf_ticket_money *tm);

/** Late-fee terms of a scheme. */
cf_late_fee_terms cf__terms(const cf_scheme *s);

/**
 * Apply `amount` dated `on` to tm's dues (cf_dues_allocate, or
 * cf_dues_apply_advance when from_advance): posts the late fee accrued
 * (event "late_fee", event_id), fills *res (lines malloc'd into *lines_out,
 * caller frees). Does not save tm.
 */
int cf__tm_apply(cf_uc *uc, const cf_scheme *s, cf_ticket_money *tm, cf_money amount, cf_date on,
                 bool from_advance, const char *event_id, cf_allocation_result *res,
                 cf_allocation **lines_out);

/** Apply the ticket's advance to its fixed dues as of `on` and save. */
int cf__tm_apply_advance(cf_uc *uc, const cf_scheme *s, cf_ticket_money *tm, cf_date on);

/** Refund `amount` to ticket (ledger "refund") and record it. */
int cf__refund(cf_uc *uc, const cf_scheme *s, int32_t ticket_no, const char *user_id,
               const char *kind, cf_money amount);

/**
 * Complete the scheme when its last draw is settled and every due is paid:
 * refund leftover advances, status completed, audit. *done (optional).
 */
int cf__maybe_complete(cf_uc *uc, const char *scheme_id, bool *done);

/** Number of installments (fixed rows) every ticket should have; helper for completion. */
int32_t cf__installments(const cf_scheme *s);

/**
 * A copy of s with every occurrence of `from` (non-empty) replaced by `to`,
 * malloc'd into *out (NUL-terminated, *len bytes). CF_ENOMEM.
 */
int cf__replace_all(const char *s, const char *from, const char *to, char **out, size_t *len);

/** Idempotency: claim (returns 1 when replayed into reply, 0 to go on, < 0 error). */
int cf__idem_begin(cf_uc *uc, const cf_idem *idem, cf_idem_reply *reply);
/** Render resource, store the answer under the key, hand it to reply. */
int cf__idem_finish(cf_uc *uc, const cf_idem *idem, const void *resource, cf_idem_reply *reply);

#endif
