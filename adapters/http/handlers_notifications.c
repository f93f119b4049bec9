/*
 * handlers_notifications.c - the acting user's notifications (the outbox
 * of chitfund/notifications.h): list and mark read.
 */
#include "handlers_notifications.h"

#include <string.h>

#include "chitfund/notifications.h"

int cf_h_me_notifications(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cf_notification_page page;
	char cursor[CF_CURSOR_SIZE + 8];
	size_t limit = 0;
	cJSON *items;
	int rc;

	memset(&page, 0, sizeof page);
	rc = cf_http_page_params(r, &limit, cursor, sizeof cursor, &err);
	if (rc == 0)
		rc = cf_notifications_list(cf_http_app(r), &r->actor, cursor, limit, &page, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	items = cJSON_CreateArray();
	for (size_t i = 0; items && i < page.notifications.count; i++)
		cJSON_AddItemToArray(items, cf_json_notification(&page.notifications.items[i]));
	cJSON *o = cf_json_page(items, page.next_cursor);
	cf_notification_page_free(&page);
	return cf_http_send_json_take(r, 200, o, NULL);
}

int cf_h_me_notification_read(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	cJSON *body = NULL;
	cf_notification n;
	cf_jdec d;
	int rc;

	memset(&n, 0, sizeof n);
	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = cf_http_json_body(r, true, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		rc = cf_jdec_finish(&d, &err);
	}
	cJSON_Delete(body);
	if (rc == 0)
		rc = cf_notification_mark_read(cf_http_app(r), &r->actor, id, &n, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	return cf_http_send_json_take(r, 200, cf_json_notification(&n), NULL);
}
