/*
 * chitfund/adapters/memory_notifications.h - the notification outbox port
 * (chitfund/sys/notification_repo.h) in memory, for tests and embedding.
 *
 * Like the money tables, cf_memory_notifications_ports wraps the ports'
 * unit of work: begin snapshots the outbox, rollback (or a failed commit)
 * restores it, so a rolled-back use case leaves no notification behind.
 */
#ifndef CHITFUND_ADAPTERS_MEMORY_NOTIFICATIONS_H
#define CHITFUND_ADAPTERS_MEMORY_NOTIFICATIONS_H

#include "chitfund/sys/ports.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The in-memory outbox (opaque). */
typedef struct cf_memory_notifications cf_memory_notifications;

/** Create an empty outbox. CF_ENOMEM. Free with cf_memory_notifications_free. */
int cf_memory_notifications_new(cf_memory_notifications **out);
/** Free (NULL-safe). No tx may be open. */
void cf_memory_notifications_free(cf_memory_notifications *m);

/**
 * Fill p->notifications over m and wrap p->uow (which must be filled
 * already: call it after every other port filler). Borrows m.
 */
void cf_memory_notifications_ports(cf_memory_notifications *m, cf_ports *p);

#ifdef __cplusplus
}
#endif
#endif
