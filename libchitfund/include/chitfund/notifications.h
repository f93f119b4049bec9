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

#ifdef __cplusplus
}
#endif
#endif
