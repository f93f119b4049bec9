/*
 * chitfund/sys/notification_repo.h - the notification outbox port
 * (optional: version 0 means no outbox; the core then records nothing).
 * Rows are chitfund/notifications.h's cf_notification. Every call runs in
 * the caller's transaction, so a notification commits or rolls back with
 * the change that caused it.
 *
 * A delivery worker calls next_undelivered and mark_delivered in its own
 * transactions (postgres: FOR UPDATE SKIP LOCKED, so several workers share
 * the queue without taking the same row).
 */
#ifndef CHITFUND_SYS_NOTIFICATION_REPO_H
#define CHITFUND_SYS_NOTIFICATION_REPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/notifications.h"
#include "chitfund/sys/tx.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_NOTIFICATION_REPO_VERSION 1

/** Notification repository port. Every method is Required (when version >= 1). */
typedef struct cf_notification_repo {
	unsigned int version; /**< CF_NOTIFICATION_REPO_VERSION, or 0: absent */
	void *self;

	/** Insert n (seq assigned and written back). CF_EEXISTS when the id is taken. */
	int (*insert)(void *self, cf_tx *tx, cf_notification *n);
	/**
	 * user_id's notifications with seq < before_seq (0: no bound), newest
	 * first, at most limit. *out is caller-owned (cf_notification_array_free).
	 */
	int (*list_for_user)(void *self, cf_tx *tx, const char *user_id, int64_t before_seq,
	                     size_t limit, cf_notification_array *out);
	/**
	 * Set read_at of notification id of user_id to at_ms unless already set;
	 * *out receives the row. CF_ENOTFOUND when no such id OF THAT USER.
	 */
	int (*mark_read)(void *self, cf_tx *tx, const char *id, const char *user_id, int64_t at_ms,
	                 cf_notification *out);
	/**
	 * Up to limit undelivered rows (delivered_at unset), oldest first, locked
	 * for this tx (postgres: skipping rows another worker holds).
	 */
	int (*next_undelivered)(void *self, cf_tx *tx, size_t limit, cf_notification_array *out);
	/**
	 * Record a delivery attempt of id: ok sets delivered_at = at_ms; !ok
	 * increments attempts. CF_ENOTFOUND.
	 */
	int (*mark_delivered)(void *self, cf_tx *tx, const char *id, bool ok, int64_t at_ms);
} cf_notification_repo;

#ifdef __cplusplus
}
#endif
#endif
