/*
 * handlers_audit.c - GET /api/v1/audit (admin, auditor).
 */
#include "http_private.h"

#include <string.h>

#include "chitfund/audit.h"

int cf_h_audit_list(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cf_audit_query q;
	cf_audit_page page;
	char cursor[CF_CURSOR_SIZE + 8], entity[CF_AUDIT_ENTITY_SIZE + 8], eid[64];
	int rc;

	memset(&q, 0, sizeof q);
	memset(&page, 0, sizeof page);
	rc = cf_http_page_params(r, &q.limit, cursor, sizeof cursor, &err);
	if (rc == 0 && cf_http_query(r, "entity", entity, sizeof entity) < 0) {
		cf_http_field_errors_add(&r->errs, "entity", "is too long");
		rc = cf_error_set(&err, CF_EINVALID, "validation-error", "entity", "bad entity");
	}
	if (rc == 0) {
		int e = cf_http_query(r, "entity_id", eid, sizeof eid);
		if (e < 0 || (e > 0 && !cf_http_is_uuid(eid))) {
			cf_http_field_errors_add(&r->errs, "entity_id", "must be a UUID");
			rc = cf_error_set(&err, CF_EINVALID, "validation-error", "entity_id",
			                  "entity_id must be a UUID");
		}
		q.entity_id = e > 0 ? eid : NULL;
	}
	q.entity = entity[0] ? entity : NULL;
	q.cursor = cursor;
	if (rc == 0)
		rc = cf_audit_list(cf_http_app(r), &r->actor, &q, &page, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	cJSON *items = cJSON_CreateArray();
	for (size_t i = 0; items && i < page.entries.count; i++)
		cJSON_AddItemToArray(items, cf_json_audit_entry(&page.entries.items[i]));
	cJSON *o = cf_json_page(items, page.next_cursor);
	cf_audit_page_free(&page);
	return cf_http_send_json_take(r, 200, o, NULL);
}
