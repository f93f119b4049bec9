/*
 * chitfund/money.h - money end to end (issue 5): dues, payments and
 * receipts, cheque bounces, prize security and disbursements
 * (maker-checker), defaulters, the ledger view, statements, termination,
 * reports and the money verifier.
 *
 * The rules are the domain core's (chitfund/domain/dues.h, ledger.h,
 * economics.h); these use cases load and store them through the money
 * repository port (chitfund/sys/money_repo.h), one transaction each, and
 * post every money event's balanced ledger lines in that transaction.
 *
 * Who may do what (api.md "Money"): payments: the scheme's agents and
 * foreman (any method), admin; a subscriber for his own ticket (upi or
 * bank_transfer with a reference). Bounce: the scheme's foreman or agents,
 * admin. Reads of payments/receipts: staff of the scheme, the payer.
 * Security, no-security, disbursement create: the scheme's foreman or admin
 * (no-security also the winner himself). Approve: a foreman or admin other
 * than the maker. Defaulters, ledger, reports: staff (admin, auditor, the
 * scheme's foreman and agents). Remove, reinstate, substitute, demand,
 * terminate: the scheme's foreman or admin. Statement: staff or the
 * ticket's holder. Others: CF_EFORBIDDEN, or CF_ENOTFOUND for a subscriber
 * reaching another's resource.
 */
#ifndef CHITFUND_MONEY_H
#define CHITFUND_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/app.h"
#include "chitfund/errors.h"
#include "chitfund/money_types.h"
#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Record a payment: allocated to the ticket's fixed installments oldest
 * first, late fee before principal, surplus kept as advance; late fee lines
 * and the payment's lines posted; receipt number taken from the payment
 * date's financial year counter (gapless, taken last). With idem (required
 * by the HTTP API; NULL for library callers), an earlier request with the
 * same key and user is replayed (reply->replayed, out untouched) or, with
 * another request text, refused CF_ECONFLICT "idempotency-key-reused".
 * reply (may be NULL without idem) receives the rendered answer.
 * Errors: CF_EINVALID (amount, paid_on in the future, reference); CF_ENOTFOUND;
 * CF_EFORBIDDEN; CF_ECONFLICT "scheme-not-running", "paid-on-before-last-payment".
 */
int cf_payment_record(cf_app *app, const cf_actor *actor, const cf_payment_req *req,
                      const cf_idem *idem, cf_payment_view *out, cf_idem_reply *reply,
                      cf_error *err);

/**
 * A cheque bounced: the payment's ledger lines (payment and late fee) are
 * reversed, its allocations undone (the dues' late fees run as if it never
 * came) and it becomes `bounced`; its receipt number stays used. Only a
 * cleared cheque that is the last change to its ticket's dues can bounce
 * (else CF_ECONFLICT "conflict": bounce the later payments first).
 */
int cf_payment_bounce(cf_app *app, const cf_actor *actor, const char *payment_id,
                      cf_date bounced_on, const char *reason, cf_payment_view *out, cf_error *err);

/** Read a payment (staff, the payer). CF_ENOTFOUND. */
int cf_payment_get(cf_app *app, const cf_actor *actor, const char *payment_id, cf_payment_view *out,
                   cf_error *err);
/** Read a payment by receipt number ("R/2026-27/000001"). CF_ENOTFOUND. */
int cf_receipt_get(cf_app *app, const cf_actor *actor, const char *receipt_no, cf_payment_view *out,
                   cf_error *err);

/** A scheme's payments, oldest first (staff; a subscriber sees his own). */
int cf_payment_list(cf_app *app, const cf_actor *actor, const char *scheme_id, size_t limit,
                    const char *cursor, cf_payment_page *out, cf_error *err);

/** Record a security for a settled draw's prize (its foreman, admin). CF_ENOTFOUND (no prize). */
int cf_security_record(cf_app *app, const cf_actor *actor, const char *auction_id,
                       cf_security_kind kind, const char *description, cf_money value,
                       cf_security_rec *out, cf_error *err);

/** The winner (or the foreman for him) elects the no-security option; *out the prize. */
int cf_prize_elect_no_security(cf_app *app, const cf_actor *actor, const char *auction_id,
                               cf_prize *out, cf_error *err);

/** Read a prize by auction id (staff, the winner). */
int cf_prize_get(cf_app *app, const cf_actor *actor, const char *auction_id, cf_prize *out,
                 cf_error *err);

/**
 * Maker creates the disbursement of a prize (its foreman, admin). Refused
 * CF_ECONFLICT "security-insufficient" until the securities cover the
 * future liability (domain.md), unless no-security was elected or nothing
 * more is owed; CF_ECONFLICT "conflict" when one exists already. idem as
 * cf_payment_record (resource: cf_disbursement).
 */
int cf_disbursement_create(cf_app *app, const cf_actor *actor, const char *auction_id,
                           const char *method, const char *reference, const cf_idem *idem,
                           cf_disbursement *out, cf_idem_reply *reply, cf_error *err);

/**
 * Checker approves (a foreman or admin other than the maker): posts the
 * payout (and the withheld subscriptions under no-security) and marks the
 * prize paid. CF_EFORBIDDEN "maker-cannot-approve"; CF_ECONFLICT
 * "already-approved".
 */
int cf_disbursement_approve(cf_app *app, const cf_actor *actor, const char *id,
                            cf_disbursement *out, cf_error *err);

/** The approval queue (foremen, admin, auditor); has_status false: any. */
int cf_disbursement_list(cf_app *app, const cf_actor *actor, bool has_status, cf_disb_status status,
                         cf_disbursement_array *out, cf_error *err);

/** Tickets overdue today (staff). */
int cf_defaulters_list(cf_app *app, const cf_actor *actor, const char *scheme_id,
                       cf_defaulter_array *out, cf_error *err);

/**
 * Remove a non-prized defaulter (its foreman, admin): notice_date within 14
 * days of today and not in the future. CF_ECONFLICT when the ticket is not
 * overdue, prized, or already removed.
 */
int cf_member_remove(cf_app *app, const cf_actor *actor, const char *scheme_id, int32_t ticket_no,
                     cf_date notice_date, const char *reason, cf_ticket *out, cf_error *err);

/**
 * Reinstate a removed ticket within 7 days of its notice once it has no
 * overdue installment left (arrears with interest paid). CF_ECONFLICT.
 */
int cf_member_reinstate(cf_app *app, const cf_actor *actor, const char *scheme_id,
                        int32_t ticket_no, cf_ticket *out, cf_error *err);

/**
 * Substitute a removed ticket's holder by user_id: the new holder takes the
 * ticket and owes its dues from the start; the removed subscriber's
 * principal paid less `deduction` is refunded (ledger: refund).
 */
int cf_member_substitute(cf_app *app, const cf_actor *actor, const char *scheme_id,
                         int32_t ticket_no, const char *user_id, cf_money deduction, cf_ticket *out,
                         cf_error *err);

/** Demand all future subscriptions from a prized defaulter. CF_ECONFLICT when not one. */
int cf_member_demand(cf_app *app, const cf_actor *actor, const char *scheme_id, int32_t ticket_no,
                     cf_demand *out, cf_error *err);

/** Balances and a page of postings of a scheme (staff). */
int cf_ledger_get(cf_app *app, const cf_actor *actor, const char *scheme_id, size_t limit,
                  const char *cursor, cf_ledger_view *out, cf_error *err);

/** A ticket's statement as of today (staff, the holder). */
int cf_statement_get(cf_app *app, const cf_actor *actor, const char *scheme_id, int32_t ticket_no,
                     cf_statement *out, cf_error *err);

/**
 * Early termination (its foreman, admin): every non-prized ticket is refunded
 * the principal it paid plus its advance (s.42), other advances refunded,
 * remaining receivables closed against the pool; -> terminated.
 * CF_ECONFLICT "scheme-not-running".
 */
int cf_scheme_terminate(cf_app *app, const cf_actor *actor, const char *scheme_id,
                        const char *reason, cf_scheme *out, cf_error *err);

/** Build a report (staff of the scheme; without a scheme: admin, auditor, foremen). */
int cf_report_build(cf_app *app, const cf_actor *actor, cf_report_kind kind,
                    const cf_report_query *q, cf_report *out, cf_error *err);

/**
 * Re-derive every balance from the postings and check: every event's lines
 * sum to zero; each ticket's member_receivable equals its dues (net due -
 * principal paid + late fee - late fee paid - advance); each cleared
 * payment's parts equal its allocations; each prize_payable equals the
 * unpaid prizes; a completed scheme's pool, dividend remainder and prize
 * payables are zero. Admin, auditor or system. result->ok false with the
 * first break named; the call itself returns CF_OK then.
 */
int cf_money_verify(cf_app *app, const cf_actor *actor, cf_money_verify_result *out, cf_error *err);

#ifdef __cplusplus
}
#endif
#endif
