/*
 * notifications_internal.h - recording notifications from the use cases
 * (the outbox of chitfund/notifications.h). Not installed.
 */
#ifndef CHITFUND_NOTIFICATIONS_INTERNAL_H
#define CHITFUND_NOTIFICATIONS_INTERNAL_H

#include "internal.h"

/**
 * Insert a notification for user_id in uc's transaction (it commits or
 * rolls back with the use case). scheme_id may be NULL/""; json_body is a
 * JSON object's text (NULL: "{}"); subject and body are truncated to fit.
 * Without the notifications port: CF_OK, nothing recorded. Errors: the
 * port's (CF_ENOMEM ...), which fail the use case.
 */
int cf__notify(cf_uc *uc, const char *user_id, const char *kind, const char *scheme_id,
               const char *subject, const char *json_body);

/**
 * cf__notify once for every user holding an active ticket of scheme_id (a
 * user with several tickets gets one notification).
 */
int cf__notify_members(cf_uc *uc, const char *scheme_id, const char *kind, const char *subject,
                       const char *json_body);

/** "receipt" to the payer: {"payment_id","ticket_no","amount"} (the receipt number is
 * assigned at commit; read it with the payment). */
int cf__notify_payment(cf_uc *uc, const char *payer_id, const char *scheme_id,
                       const char *payment_id, int32_t ticket_no, int64_t amount);
/** kind ("auction_opened"/"auction_settled") to every member of the draw's scheme:
 * {"auction_id","installment_no"[, extra]}; extra: JSON members text or NULL. */
int cf__notify_draw(cf_uc *uc, const char *kind, const char *scheme_id, const char *auction_id,
                    int32_t installment_no, const char *extra);
/** kind ("member_removed"/"demand") to a ticket's holder: {"ticket_no"[,"amount"]};
 * amount < 0: none. */
int cf__notify_ticket(cf_uc *uc, const char *kind, const char *user_id, const char *scheme_id,
                      int32_t ticket_no, int64_t amount);

#endif
