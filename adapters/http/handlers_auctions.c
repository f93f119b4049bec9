/*
 * handlers_auctions.c - the draw routes: POST/GET /schemes/{id}/auctions,
 * GET /auctions/{id}, POST /auctions/{id}/open, /bids, /close, GET
 * /auctions/{id}/minutes (JSON, or text/plain with Accept).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_infra/clock.h"
#include "handlers_auctions.h"
#include "http_json.h"

cJSON *cf_json_auction_result(const cf_auction_result *res)
{
	char *text = NULL;
	cJSON *o;

	if (cf_auction_result_json(res, &text) != CF_OK)
		return NULL;
	o = cJSON_Parse(text);
	free(text);
	return o;
}

cJSON *cf_json_bid(const cf_bid_row *b)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	cf_json_add_int(o, "seq", b->seq);
	cf_json_add_int(o, "ticket_no", b->ticket_no);
	cf_json_add_int(o, "discount", b->discount.minor);
	cf_json_add_time(o, "placed_at", b->placed_at_ms);
	cf_json_add_text_or_null(o, "proxy_by", b->proxy_by);
	cf_json_add_text_or_null(o, "bidder_id", b->bidder_id);
	return o;
}

cJSON *cf_json_auction(const cf_auction_view *v)
{
	const cf_auction_row *a = &v->a;
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "id", a->id);
	cJSON_AddStringToObject(o, "scheme_id", a->scheme_id);
	cf_json_add_int(o, "installment_no", a->installment_no);
	cJSON_AddStringToObject(o, "status", cf_auction_status_name(a->status));
	cJSON_AddStringToObject(o, "method", cf_auction_method_name(v->method));
	cf_json_add_time(o, "scheduled_at", a->scheduled_at_ms);
	cf_json_add_time(o, "opens_at", a->opens_at_ms);
	cf_json_add_time(o, "closes_at", a->closes_at_ms);
	cf_json_add_time(o, "opened_at", a->opened_at_ms);
	cf_json_add_time(o, "closed_at", a->closed_at_ms);
	cf_json_add_text_or_null(o, "lot_commitment", a->lot_commitment);
	if (a->has_standing)
		cf_json_add_int(o, "standing_discount", a->standing_discount.minor);
	else
		cJSON_AddNullToObject(o, "standing_discount");
	cf_json_add_int(o, "bid_count", a->bid_count);
	cf_json_add_int(o, "extensions", a->extensions);
	if (v->settled) {
		cJSON *res = cf_json_auction_result(&v->result);

		if (res == NULL) {
			cJSON_Delete(o);
			return NULL;
		}
		cJSON_AddItemToObject(o, "result", res);
		cf_json_add_date(o, "prize_due_by", v->result.prize_due_by);
	} else {
		cJSON_AddNullToObject(o, "result");
		cJSON_AddNullToObject(o, "prize_due_by");
	}
	if (v->staff) {
		cJSON *bids = cJSON_AddArrayToObject(o, "bids");

		for (size_t i = 0; bids && i < v->bids.count; i++) {
			cJSON *b = cf_json_bid(&v->bids.items[i]);

			if (b == NULL) {
				cJSON_Delete(o);
				return NULL;
			}
			cJSON_AddItemToArray(bids, b);
		}
	}
	cf_json_add_time(o, "created_at", a->created_at_ms);
	return o;
}

static int send_view(cf_http_req *r, int status, const cf_auction_view *v, bool location)
{
	char loc[96];
	const char *h[] = {"Location", loc, NULL};

	snprintf(loc, sizeof loc, "/api/v1/auctions/%s", v->a.id);
	return cf_http_send_json_take(r, status, cf_json_auction(v), location ? h : NULL);
}

/* An optional RFC 3339 instant field: 0 when absent or null. */
static void time_field(cf_jdec *d, const char *name, int64_t *out, cf_http_field_errors *errs)
{
	const char *s = NULL;

	*out = 0;
	if (cf_jdec_string(d, name, 1, 40, CF_J_NULLABLE, &s) == CF_J_SET && s != NULL &&
	    cf_rfc3339_parse(s, out) != 0) {
		cf_http_field_errors_add(errs, name, "must be an RFC 3339 timestamp");
		*out = 0;
	}
}

int cf_h_auctions_create(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cJSON *body = NULL;
	const char *id = NULL;
	cf_auction_create_req q;
	cf_auction_view v;
	cf_jdec d;
	int64_t k = 0;
	int rc;

	memset(&q, 0, sizeof q);
	memset(&v, 0, sizeof v);
	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = cf_http_json_body(r, false, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		cf_jdec_int64(&d, "installment_no", 1, 1000, CF_J_REQUIRED, &k);
		time_field(&d, "scheduled_at", &q.scheduled_at_ms, &r->errs);
		time_field(&d, "opens_at", &q.opens_at_ms, &r->errs);
		time_field(&d, "closes_at", &q.closes_at_ms, &r->errs);
		rc = cf_jdec_finish(&d, &err);
	}
	q.installment_no = (int32_t)k;
	if (rc == 0)
		rc = cf_auction_create(cf_http_app(r), &r->actor, id, &q, &v, &err);
	cJSON_Delete(body);
	if (rc < 0)
		return cf_http_fail(r, &err);
	rc = send_view(r, 201, &v, true);
	cf_auction_view_free(&v);
	return rc;
}

int cf_h_auctions_list(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	char cursor[CF_CURSOR_SIZE] = "";
	size_t limit = 0;
	cf_auction_page page;
	cJSON *items;
	int rc;

	memset(&page, 0, sizeof page);
	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = cf_http_page_params(r, &limit, cursor, sizeof cursor, &err)) == 0)
		rc = cf_auction_list(cf_http_app(r), &r->actor, id, limit, cursor, &page, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	items = cJSON_CreateArray();
	for (size_t i = 0; items && i < page.count; i++) {
		cJSON *o = cf_json_auction(&page.items[i]);

		if (o == NULL) {
			cJSON_Delete(items);
			items = NULL;
			break;
		}
		cJSON_AddItemToArray(items, o);
	}
	rc = cf_http_send_json_take(
	        r, 200,
	        items ? cf_json_page(items, page.next_cursor[0] ? page.next_cursor : NULL) : NULL,
	        NULL);
	cf_auction_page_free(&page);
	return rc;
}

int cf_h_auctions_get(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	cf_auction_view v;
	int rc;

	memset(&v, 0, sizeof v);
	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0)
		rc = cf_auction_get(cf_http_app(r), &r->actor, id, &v, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	rc = send_view(r, 200, &v, false);
	cf_auction_view_free(&v);
	return rc;
}

int cf_h_auctions_open(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	cJSON *body = NULL;
	cf_auction_view v;
	cf_jdec d;
	int rc;

	memset(&v, 0, sizeof v);
	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = cf_http_json_body(r, true, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		rc = cf_jdec_finish(&d, &err);
	}
	cJSON_Delete(body);
	if (rc == 0)
		rc = cf_auction_open(cf_http_app(r), &r->actor, id, &v, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	rc = send_view(r, 200, &v, false);
	cf_auction_view_free(&v);
	return rc;
}

int cf_h_auctions_bid(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	cJSON *body = NULL, *o;
	cf_bid_req q = {0, {0}};
	cf_bid_result res;
	cf_jdec d;
	int64_t t = 0, disc = 0;
	int rc;

	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = cf_http_json_body(r, false, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		cf_jdec_int64(&d, "ticket_no", 1, 1000000, CF_J_REQUIRED, &t);
		cf_jdec_int64(&d, "discount", 0, CF_JSON_MAX_SAFE_INT, CF_J_REQUIRED, &disc);
		rc = cf_jdec_finish(&d, &err);
	}
	cJSON_Delete(body);
	q.ticket_no = (int32_t)t;
	q.discount = cf_money_of(disc);
	if (rc == 0)
		rc = cf_auction_bid(cf_http_app(r), &r->actor, id, &q, &res, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	o = cf_json_bid(&res.bid);
	if (o != NULL) {
		cJSON_AddStringToObject(o, "auction_id", res.bid.auction_id);
		cf_json_add_time(o, "closes_at", res.closes_at_ms);
		cJSON_AddBoolToObject(o, "extended", res.extended);
	}
	return cf_http_send_json_take(r, 201, o, NULL);
}

int cf_h_auctions_close(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL, *place = NULL;
	const char *present[1000];
	cJSON *body = NULL;
	const cJSON *pr = NULL;
	cf_close_req q;
	cf_auction_result res;
	cf_jdec d;
	int rc;

	memset(&q, 0, sizeof q);
	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = cf_http_json_body(r, true, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		cf_jdec_string(&d, "place", 1, 128, CF_J_NULLABLE, &place);
		pr = cf_jdec_raw(&d, "present");
		if (pr != NULL && !cJSON_IsNull(pr)) {
			const cJSON *it;
			size_t n = 0;

			if (!cJSON_IsArray(pr))
				cf_http_field_errors_add(&r->errs, "present",
				                         "must be an array of user ids");
			cJSON_ArrayForEach(it, pr)
			{
				if (!cJSON_IsString(it) || !cf_http_is_uuid(it->valuestring) ||
				    n >= sizeof present / sizeof present[0]) {
					cf_http_field_errors_add(&r->errs, "present",
					                         "must be an array of user ids");
					break;
				}
				present[n++] = it->valuestring;
			}
			q.present = present;
			q.present_count = n;
		}
		rc = cf_jdec_finish(&d, &err);
	}
	q.place = place;
	if (rc == 0)
		rc = cf_auction_close(cf_http_app(r), &r->actor, id, &q, &res, &err);
	cJSON_Delete(body);
	if (rc < 0)
		return cf_http_fail(r, &err);
	return cf_http_send_json_take(r, 200, cf_json_auction_result(&res), NULL);
}

int cf_h_auctions_minutes(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL, *accept = cf_http_header(r, "Accept");
	bool text = accept != NULL && strstr(accept, "text/plain") != NULL &&
	            strstr(accept, "application/json") == NULL;
	char *out = NULL;
	int rc;

	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0)
		rc = cf_auction_minutes(cf_http_app(r), &r->actor, id, text, &out, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	rc = cf_http_send(r, 200, text ? "text/plain; charset=utf-8" : "application/json", out,
	                  strlen(out), NULL);
	free(out);
	return rc;
}

int cf_h_auctions_live(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	static const char *const h[] = {"Upgrade", "websocket", NULL};

	/* a WebSocket upgrade of this path never gets here: server/live.c answers it */
	if (cf_http_param_uuid(r, 0, &id, &err) < 0)
		return cf_http_fail(r, &err);
	return cf_http_send_problem(r, 426, "upgrade-required",
	                            "this endpoint is a WebSocket: send an Upgrade request", h);
}
