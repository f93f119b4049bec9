/*
 * handlers_schemes.c - the /api/v1/schemes routes: decode, one use case, encode.
 */
#include "http_private.h"

#include <stdio.h>
#include <string.h>

#include "chitfund/schemes.h"

#define MONEY_MAX CF_JSON_MAX_SAFE_INT

static int send_scheme(cf_http_req *r, int status, const cf_scheme *s)
{
	char loc[96];
	const char *h[] = {"Location", loc, NULL};

	snprintf(loc, sizeof loc, "/api/v1/schemes/%s", s->id);
	return cf_http_send_json_take(r, status, cf_json_scheme(s), status == 201 ? h : NULL);
}

/* A string field parsed by one of the domain's _parse functions. */
#define ENUM_FIELD(d, name, parse, lst, dst, bit, bits)                                            \
	do {                                                                                       \
		const char *v_ = NULL;                                                             \
		if (cf_jdec_string(d, name, 1, 64, CF_J_OPTIONAL, &v_) == CF_J_SET) {              \
			if (parse(v_, dst) < 0)                                                    \
				cf_http_field_errors_add((d)->errs, name, "must be one of: %s",    \
				                         lst);                                     \
			else                                                                       \
				*(bits) |= (bit);                                                  \
		}                                                                                  \
	} while (0)

static void i32_field(cf_jdec *d, const char *name, int32_t *dst, uint32_t bit, uint32_t *bits,
                      unsigned flags)
{
	int64_t v;
	if (cf_jdec_int64(d, name, 0, INT32_MAX, flags, &v) == CF_J_SET) {
		*dst = (int32_t)v;
		*bits |= bit;
	}
}

static void money_field(cf_jdec *d, const char *name, cf_money *dst, uint32_t bit, uint32_t *bits,
                        unsigned flags)
{
	int64_t v;
	if (cf_jdec_int64(d, name, 0, MONEY_MAX, flags, &v) == CF_J_SET) {
		*dst = cf_money_of(v);
		*bits |= bit;
	}
}

/* Decode every scheme parameter; `required` for create (chit_value, member_count, start_date). */
static void decode_params(cf_jdec *d, cf_scheme_params *p, uint32_t *bits, bool required)
{
	unsigned req = required ? CF_J_REQUIRED : CF_J_OPTIONAL;
	const char *cur = NULL;
	bool b;

	money_field(d, "chit_value", &p->chit_value, CF_SP_CHIT_VALUE, bits, req);
	i32_field(d, "member_count", &p->member_count, CF_SP_MEMBER_COUNT, bits, req);
	if (cf_jdec_date(d, "start_date", req, &p->start_date) == CF_J_SET)
		*bits |= CF_SP_START_DATE;
	ENUM_FIELD(d, "frequency", cf_frequency_parse, "monthly, fortnightly, weekly, daily",
	           &p->frequency, CF_SP_FREQUENCY, bits);
	if (cf_jdec_string(d, "currency", 3, 3, CF_J_OPTIONAL, &cur) == CF_J_SET) {
		if (!(cur[0] >= 'A' && cur[0] <= 'Z' && cur[1] >= 'A' && cur[1] <= 'Z' &&
		      cur[2] >= 'A' && cur[2] <= 'Z')) {
			cf_http_field_errors_add(d->errs, "currency",
			                         "must be an ISO 4217 code such as INR");
		} else {
			memcpy(p->currency, cur, 4);
			*bits |= CF_SP_CURRENCY;
		}
	}
	i32_field(d, "commission_bps", &p->commission_bps, CF_SP_COMMISSION_BPS, bits,
	          CF_J_OPTIONAL);
	i32_field(d, "max_discount_bps", &p->max_discount_bps, CF_SP_MAX_DISCOUNT_BPS, bits,
	          CF_J_OPTIONAL);
	money_field(d, "min_discount", &p->min_discount, CF_SP_MIN_DISCOUNT, bits, CF_J_OPTIONAL);
	money_field(d, "bid_increment", &p->bid_increment, CF_SP_BID_INCREMENT, bits,
	            CF_J_OPTIONAL);
	ENUM_FIELD(d, "auction_method", cf_auction_method_parse,
	           "auction, sealed, lot, fixed_order", &p->auction_method, CF_SP_AUCTION_METHOD,
	           bits);
	money_field(d, "lot_discount", &p->lot_discount, CF_SP_LOT_DISCOUNT, bits, CF_J_OPTIONAL);
	if (cf_jdec_bool(d, "first_prize_to_foreman", CF_J_OPTIONAL, &b) == CF_J_SET) {
		p->first_prize_to_foreman = b;
		*bits |= CF_SP_FIRST_PRIZE_TO_FOREMAN;
	}
	ENUM_FIELD(d, "dividend_policy", cf_dividend_policy_parse,
	           "all_tickets, exclude_winner, prompt_payers", &p->dividend_policy,
	           CF_SP_DIVIDEND_POLICY, bits);
	ENUM_FIELD(d, "dividend_timing", cf_dividend_timing_parse,
	           "next_installment, same_installment", &p->dividend_timing, CF_SP_DIVIDEND_TIMING,
	           bits);
	i32_field(d, "gst_bps", &p->gst_bps, CF_SP_GST_BPS, bits, CF_J_OPTIONAL);
	ENUM_FIELD(d, "gst_borne_by", cf_gst_borne_by_parse, "winner, foreman", &p->gst_borne_by,
	           CF_SP_GST_BORNE_BY, bits);
	i32_field(d, "late_fee_bps_per_month", &p->late_fee_bps_per_month, CF_SP_LATE_FEE_BPS, bits,
	          CF_J_OPTIONAL);
	i32_field(d, "grace_days", &p->grace_days, CF_SP_GRACE_DAYS, bits, CF_J_OPTIONAL);
	ENUM_FIELD(d, "rules_profile", cf_profile_parse,
	           "in-central-2019, in-central-1982, in-kerala-ksfe, sg-1971, rosca-generic",
	           &p->rules_profile, CF_SP_RULES_PROFILE, bits);
}

int cf_h_schemes_create(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cJSON *body = NULL;
	cf_scheme_create_req req;
	cf_scheme s = {0};
	cf_jdec d;
	uint32_t bits = 0;
	int rc;

	memset(&req, 0, sizeof req);
	cf_scheme_params_init(&req.params);
	if ((rc = cf_http_json_body(r, false, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		cf_jdec_string(&d, "name", 1, 128, CF_J_REQUIRED, &req.name);
		cf_jdec_uuid(&d, "foreman_id", CF_J_OPTIONAL, &req.foreman_id);
		decode_params(&d, &req.params, &bits, true);
		req.given = bits &
		            ~(uint32_t)(CF_SP_CHIT_VALUE | CF_SP_MEMBER_COUNT | CF_SP_START_DATE);
		rc = cf_jdec_finish(&d, &err);
	}
	if (rc == 0)
		rc = cf_scheme_create(cf_http_app(r), &r->actor, &req, &s, &err);
	cJSON_Delete(body);
	return rc < 0 ? cf_http_fail(r, &err) : send_scheme(r, 201, &s);
}

int cf_h_schemes_list(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cf_schemes_query q;
	cf_scheme_page page;
	char cursor[CF_CURSOR_SIZE + 8], status[32];
	int rc;

	memset(&q, 0, sizeof q);
	memset(&page, 0, sizeof page);
	rc = cf_http_page_params(r, &q.limit, cursor, sizeof cursor, &err);
	if (rc == 0 && cf_http_query(r, "status", status, sizeof status) != 0) {
		q.has_status = true;
		if (cf_scheme_status_parse(status, &q.status) < 0) {
			cf_http_field_errors_add(
			        &r->errs, "status",
			        "must be one of: draft, enrolling, running, completed, terminated");
			rc = cf_error_set(&err, CF_EINVALID, "validation-error", "status",
			                  "unknown status");
		}
	}
	q.cursor = cursor;
	if (rc == 0)
		rc = cf_scheme_list(cf_http_app(r), &r->actor, &q, &page, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	cJSON *items = cJSON_CreateArray();
	for (size_t i = 0; items && i < page.schemes.count; i++)
		cJSON_AddItemToArray(items, cf_json_scheme(&page.schemes.items[i]));
	cJSON *o = cf_json_page(items, page.next_cursor);
	cf_scheme_page_free(&page);
	return cf_http_send_json_take(r, 200, o, NULL);
}

int cf_h_schemes_get(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	cf_scheme s = {0};
	int rc;

	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0)
		rc = cf_scheme_get(cf_http_app(r), &r->actor, id, &s, &err);
	return rc < 0 ? cf_http_fail(r, &err) : send_scheme(r, 200, &s);
}

int cf_h_schemes_patch(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cJSON *body = NULL;
	const char *id = NULL;
	cf_scheme_update_req req;
	cf_scheme s = {0};
	cf_jdec d;
	int rc;

	memset(&req, 0, sizeof req);
	cf_scheme_params_init(&req.params);
	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = cf_http_json_body(r, false, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		cf_jdec_string(&d, "name", 1, 128, CF_J_OPTIONAL, &req.name);
		cf_jdec_int64(&d, "row_version", 1, CF_JSON_MAX_SAFE_INT, CF_J_OPTIONAL,
		              &req.expected_row_version);
		decode_params(&d, &req.params, &req.set, false);
		rc = cf_jdec_finish(&d, &err);
	}
	if (rc == 0)
		rc = cf_scheme_update(cf_http_app(r), &r->actor, id, &req, &s, &err);
	cJSON_Delete(body);
	return rc < 0 ? cf_http_fail(r, &err) : send_scheme(r, 200, &s);
}

/* An action route: no body, or an empty JSON object. */
static int empty_body(cf_http_req *r, cf_error *err)
{
	cJSON *body = NULL;
	cf_jdec d;
	int rc;

	if ((rc = cf_http_json_body(r, true, &body, err)) < 0)
		return rc;
	cf_jdec_init(&d, body, &r->errs);
	rc = cf_jdec_finish(&d, err);
	cJSON_Delete(body);
	return rc;
}

int cf_h_schemes_open(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	cf_scheme s = {0};
	int rc;

	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 && (rc = empty_body(r, &err)) == 0)
		rc = cf_scheme_open(cf_http_app(r), &r->actor, id, &s, &err);
	return rc < 0 ? cf_http_fail(r, &err) : send_scheme(r, 200, &s);
}

int cf_h_schemes_agent_add(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cJSON *body = NULL;
	const char *id = NULL, *user_id = NULL;
	cf_jdec d;
	int rc;

	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = cf_http_json_body(r, false, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		cf_jdec_uuid(&d, "user_id", CF_J_REQUIRED, &user_id);
		rc = cf_jdec_finish(&d, &err);
	}
	if (rc == 0)
		rc = cf_scheme_agent_assign(cf_http_app(r), &r->actor, id, user_id, &err);
	if (rc < 0) {
		cJSON_Delete(body);
		return cf_http_fail(r, &err);
	}
	cJSON *o = cJSON_CreateObject();
	if (o) {
		cJSON_AddStringToObject(o, "scheme_id", id);
		cJSON_AddStringToObject(o, "user_id", user_id);
	}
	cJSON_Delete(body); /* user_id borrowed from it until here */
	return cf_http_send_json_take(r, 200, o, NULL);
}

int cf_h_schemes_agent_del(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL, *user_id = NULL;
	int rc;

	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = cf_http_param_uuid(r, 1, &user_id, &err)) == 0)
		rc = cf_scheme_agent_unassign(cf_http_app(r), &r->actor, id, user_id, &err);
	return rc < 0 ? cf_http_fail(r, &err) : cf_http_send(r, 204, NULL, NULL, 0, NULL);
}

int cf_h_schemes_enrol(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cJSON *body = NULL;
	const char *id = NULL;
	cf_enrol_req req = {NULL, 0};
	cf_ticket t = {0};
	cf_jdec d;
	int64_t no = 0;
	int rc;

	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = cf_http_json_body(r, false, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		cf_jdec_uuid(&d, "user_id", CF_J_OPTIONAL, &req.user_id);
		if (cf_jdec_int64(&d, "ticket_no", 1, INT32_MAX, CF_J_OPTIONAL | CF_J_NULLABLE,
		                  &no) == CF_J_SET)
			req.ticket_no = (int32_t)no;
		rc = cf_jdec_finish(&d, &err);
	}
	if (rc == 0)
		rc = cf_scheme_enrol(cf_http_app(r), &r->actor, id, &req, &t, &err);
	cJSON_Delete(body);
	if (rc < 0)
		return cf_http_fail(r, &err);
	char loc[128];
	const char *h[] = {"Location", loc, NULL};
	snprintf(loc, sizeof loc, "/api/v1/schemes/%s/members/%d", t.scheme_id, (int)t.ticket_no);
	return cf_http_send_json_take(r, 201, cf_json_ticket(&t), h);
}

int cf_h_schemes_members(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	cf_ticket_array l = {NULL, 0};
	int rc;

	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0)
		rc = cf_scheme_members(cf_http_app(r), &r->actor, id, &l, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	cJSON *items = cJSON_CreateArray();
	for (size_t i = 0; items && i < l.count; i++)
		cJSON_AddItemToArray(items, cf_json_ticket(&l.items[i]));
	cf_ticket_array_free(&l);
	cJSON *o = cJSON_CreateObject();
	if (o && items)
		cJSON_AddItemToObject(o, "items", items);
	else
		cJSON_Delete(items);
	return cf_http_send_json_take(r, 200, o, NULL);
}

int cf_h_schemes_commence(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cJSON *body = NULL;
	const char *id = NULL, *reg = NULL, *ref = NULL;
	cf_scheme s = {0};
	cf_jdec d;
	int rc;

	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = cf_http_json_body(r, false, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		cf_jdec_string(&d, "registration_no", 1, 64, CF_J_REQUIRED, &reg);
		cf_jdec_string(&d, "commencement_ref", 1, 128, CF_J_REQUIRED, &ref);
		rc = cf_jdec_finish(&d, &err);
	}
	if (rc == 0)
		rc = cf_scheme_commence(cf_http_app(r), &r->actor, id, reg, ref, &s, &err);
	cJSON_Delete(body);
	return rc < 0 ? cf_http_fail(r, &err) : send_scheme(r, 200, &s);
}

static void add_money_or_null(cJSON *o, const char *name, bool has, cf_money m)
{
	if (has)
		cf_json_add_int(o, name, m.minor);
	else
		cJSON_AddNullToObject(o, name);
}

int cf_h_schemes_schedule(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	cf_schedule sc = {NULL, 0};
	int rc;

	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0)
		rc = cf_scheme_schedule(cf_http_app(r), &r->actor, id, &sc, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	cJSON *items = cJSON_CreateArray();
	for (size_t i = 0; items && i < sc.count; i++) {
		const cf_schedule_row *row = &sc.rows[i];
		cJSON *o = cJSON_CreateObject();
		if (!o)
			break;
		cf_json_add_int(o, "installment_no", row->installment_no);
		cf_json_add_date(o, "due_date", row->due_date);
		cf_json_add_date(o, "auction_date", row->auction_date);
		cJSON_AddStringToObject(o, "status", cf_schedule_row_status_name(row->status));
		add_money_or_null(o, "discount", row->has_discount, row->discount);
		add_money_or_null(o, "dividend_per_ticket", row->has_dividend_per_ticket,
		                  row->dividend_per_ticket);
		if (row->has_prized_ticket)
			cf_json_add_int(o, "prized_ticket", row->prized_ticket);
		else
			cJSON_AddNullToObject(o, "prized_ticket");
		add_money_or_null(o, "net_subscription", row->has_net_subscription,
		                  row->net_subscription);
		cJSON_AddItemToArray(items, o);
	}
	cf_schedule_free(&sc);
	cJSON *o = cJSON_CreateObject();
	if (o && items)
		cJSON_AddItemToObject(o, "items", items);
	else
		cJSON_Delete(items);
	return cf_http_send_json_take(r, 200, o, NULL);
}
