/*
 * handlers_notifications.h - the notification routes: GET
 * /api/v1/users/me/notifications and POST
 * /api/v1/users/me/notifications/{id}/read (own only). Private to
 * adapters/http (routes.c).
 */
#ifndef CF_HANDLERS_NOTIFICATIONS_H
#define CF_HANDLERS_NOTIFICATIONS_H

#include "http_private.h"

/** GET /api/v1/users/me/notifications: {items, next_cursor}, newest first. */
int cf_h_me_notifications(cf_http_req *r);
/** POST /api/v1/users/me/notifications/{id}/read: 200 with the notification. */
int cf_h_me_notification_read(cf_http_req *r);

#endif
