/*
 * deliver.h - `chitfund-server deliver`: the notification outbox's worker,
 * posting each notification to a webhook (an email/SMS gateway or a relay).
 */
#ifndef CF_SERVER_DELIVER_H
#define CF_SERVER_DELIVER_H

#include "chitfund/notifications.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A webhook target parsed from CHITFUND_NOTIFY_URL. */
typedef struct cf_server_webhook {
	char host[256];
	int port;
	char path[1024];
	int timeout_ms; /**< connect and response budget per notification */
} cf_server_webhook;

/**
 * Parse `url` ("http://host[:port][/path]"; https is refused: TLS ends at a
 * local relay, decision 0002) into *w. CF_EINVALID with field
 * "CHITFUND_NOTIFY_URL" and a message in err.
 */
int cf_server_webhook_parse(cf_server_webhook *w, const char *url, int timeout_ms, cf_error *err);

/**
 * cf_notification_send_fn over a cf_server_webhook (ctx): POST the
 * notification as JSON ({id, kind, user_id, to:{email, phone, full_name},
 * scheme_id, subject, body, created_at}) with header Idempotency-Key: the
 * notification id. CF_OK on a 2xx answer; CF_EUNAVAILABLE otherwise.
 */
int cf_server_webhook_send(void *ctx, const cf_notification *n,
                           const cf_notification_recipient *to);

#ifdef __cplusplus
}
#endif
#endif
