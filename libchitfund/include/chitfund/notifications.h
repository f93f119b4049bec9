/*
 * chitfund/notifications.h - the notification outbox: subscribers are told
 * about receipts, draws, removals and demands. The use cases that cause
 * them insert a row in their own transaction (so a rolled-back payment
 * tells nobody); these read them. Delivery (email, SMS, push) is an
 * integrator's worker reading undelivered rows through
 * chitfund/sys/notification_repo.h (docs/operations.md "Notifications").
 *
 * Every user reads and marks only his own notifications. Without the
 * notifications port (ports.notifications.version 0) nothing is recorded
 * and these answer CF_ENOTSUPPORTED.
 */
#ifndef CHITFUND_NOTIFICATIONS_H
#define CHITFUND_NOTIFICATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/app.h"
#include "chitfund/errors.h"
#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_NOTIFICATION_KIND_SIZE    24   /**< kind text incl. NUL */
#define CF_NOTIFICATION_SUBJECT_SIZE 161  /**< subject, up to 160 bytes */
#define CF_NOTIFICATION_BODY_SIZE    1024 /**< body: one JSON object's text */

/** One notification (also the repository row). */
typedef struct cf_notification {
	char id[CF_ID_SIZE];
	char user_id[CF_ID_SIZE];
	/** "receipt", "auction_opened", "auction_settled", "member_removed", "demand" */
	char kind[CF_NOTIFICATION_KIND_SIZE];
	char scheme_id[CF_ID_SIZE]; /**< "" when none */
	char subject[CF_NOTIFICATION_SUBJECT_SIZE];
	char body[CF_NOTIFICATION_BODY_SIZE]; /**< JSON object text */
	int64_t seq;                          /**< insertion order (assigned by the store) */
	int64_t created_at_ms;
	int64_t read_at_ms;      /**< 0: unread */
	int64_t delivered_at_ms; /**< 0: not yet delivered by a worker */
	int32_t attempts;        /**< failed delivery attempts */
} cf_notification;

/** A caller-owned array of notifications. */
typedef struct cf_notification_array {
	cf_notification *items;
	size_t count;
} cf_notification_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_notification_array_free(cf_notification_array *l);

/** A page of notifications, newest first. Free with cf_notification_page_free. */
typedef struct cf_notification_page {
	cf_notification_array notifications;
	char next_cursor[CF_CURSOR_SIZE]; /**< "" on the last page */
} cf_notification_page;
/** Free the page's items (NULL-safe). */
void cf_notification_page_free(cf_notification_page *p);

/**
 * The acting user's notifications, newest first: at most limit (0: 50;
 * above 200: CF_EINVALID field "limit"), after cursor (NULL/"": from the
 * newest; a bad one: CF_EINVALID field "cursor"). *out is filled (free it
 * with cf_notification_page_free). CF_EUNAUTHENTICATED, CF_ENOTSUPPORTED.
 */
int cf_notifications_list(cf_app *app, const cf_actor *actor, const char *cursor, size_t limit,
                          cf_notification_page *out, cf_error *err);

/**
 * Mark the acting user's notification id read (the first read time is
 * kept) and return it in *out. Another user's or an unknown id:
 * CF_ENOTFOUND. CF_EUNAUTHENTICATED, CF_ENOTSUPPORTED.
 */
int cf_notification_mark_read(cf_app *app, const cf_actor *actor, const char *id,
                              cf_notification *out, cf_error *err);

/** Where a notification goes: its user's contact details at delivery time. */
typedef struct cf_notification_recipient {
	char email[CF_EMAIL_SIZE];
	char phone[CF_PHONE_SIZE]; /**< "" when none */
	char full_name[CF_NAME_SIZE];
	bool active; /**< false: deactivated (the channel may drop it) */
} cf_notification_recipient;

/**
 * Hand one notification to the delivery channel (an email or SMS gateway,
 * a webhook), with its recipient's contact details. CF_OK: the channel accepted it; anything else:
 * not delivered, try again later. Called inside the delivery transaction: it should return within a
 * bounded time.
 */
typedef int (*cf_notification_send_fn)(void *ctx, const cf_notification *n,
                                       const cf_notification_recipient *to);

/** What one delivery batch did. */
typedef struct cf_delivery_result {
	size_t delivered; /**< accepted by the channel, now marked delivered */
	size_t failed;    /**< refused or unreachable; their attempts count went up */
} cf_delivery_result;

/**
 * Deliver the outbox: take up to limit undelivered notifications (1..1000;
 * else CF_EINVALID field "limit"), oldest first, locked so that concurrent
 * workers skip them, pass each to send, and record the outcome (delivered
 * at the clock's now, or one more failed attempt), in one unit of work.
 * Delivery is at least once: a channel that accepted a notification may
 * see it again if the unit of work then fails, so it should deduplicate on
 * the notification id. Only the system actor or an admin may run it
 * (CF_EFORBIDDEN); CF_EUNAUTHENTICATED, CF_ENOTSUPPORTED (no notification
 * port). *out is filled on CF_OK.
 */
int cf_notifications_deliver(cf_app *app, const cf_actor *actor, size_t limit,
                             cf_notification_send_fn send, void *ctx, cf_delivery_result *out,
                             cf_error *err);

#ifdef __cplusplus
}
#endif
#endif
