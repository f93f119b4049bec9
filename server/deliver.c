/*
 * deliver.c - the webhook sender behind `chitfund-server deliver`
 * (see deliver.h and docs/operations.md "Notifications").
 */
#include "deliver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>

#include "http_private.h" /* cf_json_notification: the body is the API's shape */

int cf_server_webhook_parse(cf_server_webhook *w, const char *url, int timeout_ms, cf_error *err)
{
	const char *p, *host_end, *path;
	size_t hl;

	memset(w, 0, sizeof *w);
	if (url == NULL || *url == '\0')
		return cf_error_set(err, CF_EINVALID, "invalid-configuration",
		                    "CHITFUND_NOTIFY_URL",
		                    "CHITFUND_NOTIFY_URL is required (http://host:port/path)");
	if (strncmp(url, "http://", 7) != 0)
		return cf_error_set(err, CF_EINVALID, "invalid-configuration",
		                    "CHITFUND_NOTIFY_URL",
		                    "CHITFUND_NOTIFY_URL must be http://host[:port][/path]; reach "
		                    "an https gateway through a local relay (decision 0002)");
	p = url + 7;
	path = strchr(p, '/');
	host_end = strchr(p, ':');
	if (host_end == NULL || (path != NULL && host_end > path))
		host_end = path != NULL ? path : p + strlen(p);
	hl = (size_t)(host_end - p);
	if (hl == 0 || hl >= sizeof w->host || strpbrk(p, " \r\n") != NULL)
		return cf_error_set(err, CF_EINVALID, "invalid-configuration",
		                    "CHITFUND_NOTIFY_URL", "CHITFUND_NOTIFY_URL has no valid host");
	memcpy(w->host, p, hl);
	w->port = 80;
	if (*host_end == ':') {
		char *end;
		long port = strtol(host_end + 1, &end, 10);

		if (end == host_end + 1 || (*end != '\0' && *end != '/') || port < 1 ||
		    port > 65535)
			return cf_error_set(err, CF_EINVALID, "invalid-configuration",
			                    "CHITFUND_NOTIFY_URL",
			                    "CHITFUND_NOTIFY_URL has a bad port");
		w->port = (int)port;
	}
	if (snprintf(w->path, sizeof w->path, "%s", path ? path : "/") >= (int)sizeof w->path)
		return cf_error_set(err, CF_EINVALID, "invalid-configuration",
		                    "CHITFUND_NOTIFY_URL",
		                    "CHITFUND_NOTIFY_URL's path is too long");
	w->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
	return CF_OK;
}

/* The JSON posted for n (malloc'd), or NULL: the API's notification plus its recipient. */
static char *payload(const cf_notification *n, const cf_notification_recipient *to)
{
	cJSON *o = cf_json_notification(n), *t;
	char *text;

	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "user_id", n->user_id);
	t = cJSON_AddObjectToObject(o, "to");
	if (t != NULL) {
		cJSON_AddStringToObject(t, "email", to->email);
		cf_json_add_text_or_null(t, "phone", to->phone);
		cJSON_AddStringToObject(t, "full_name", to->full_name);
		cJSON_AddBoolToObject(t, "active", to->active);
	}
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

int cf_server_webhook_send(void *ctx, const cf_notification *n, const cf_notification_recipient *to)
{
	const cf_server_webhook *w = ctx;
	struct mg_connection *conn;
	const struct mg_response_info *ri;
	char ebuf[256] = "";
	char *body = payload(n, to);
	int status = 0;

	if (body == NULL)
		return CF_ENOMEM;
	conn = mg_connect_client(w->host, w->port, 0, ebuf, sizeof ebuf);
	if (conn == NULL) {
		free(body);
		return CF_EUNAVAILABLE;
	}
	mg_printf(conn,
	          "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
	          "Content-Length: %zu\r\nIdempotency-Key: %s\r\nConnection: close\r\n\r\n",
	          w->path, w->host, w->port, strlen(body), n->id);
	mg_write(conn, body, strlen(body));
	free(body);
	if (mg_get_response(conn, ebuf, sizeof ebuf, w->timeout_ms) >= 0 &&
	    (ri = mg_get_response_info(conn)) != NULL)
		status = ri->status_code;
	mg_close_connection(conn);
	return status >= 200 && status < 300 ? CF_OK : CF_EUNAVAILABLE;
}
