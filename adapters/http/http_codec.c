/*
 * http_codec.c - entity -> JSON encoders (api.md field names; money as
 * integer minor units; times RFC 3339 UTC; absent values as null).
 */
#include "http_private.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void cf_json_add_int(cJSON *o, const char *name, int64_t v)
{
	char buf[24];

	/* raw digits: exact past 2^53, and no %g plus sscanf round trip per field */
	snprintf(buf, sizeof buf, "%" PRId64, v);
	cJSON_AddRawToObject(o, name, buf);
}

void cf_json_add_time(cJSON *o, const char *name, int64_t ms)
{
	char buf[40];

	if (ms == 0 || cf_time_format(ms, buf, sizeof buf) != CF_OK)
		cJSON_AddNullToObject(o, name);
	else
		cJSON_AddStringToObject(o, name, buf);
}

void cf_json_add_date(cJSON *o, const char *name, cf_date d)
{
	char buf[16];

	if (cf_date_format(d, buf, sizeof buf) < 0)
		cJSON_AddNullToObject(o, name);
	else
		cJSON_AddStringToObject(o, name, buf);
}

void cf_json_add_text_or_null(cJSON *o, const char *name, const char *text)
{
	if (!text || !text[0])
		cJSON_AddNullToObject(o, name);
	else
		cJSON_AddStringToObject(o, name, text);
}

cJSON *cf_json_page(cJSON *items, const char *next_cursor)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || !items) {
		cJSON_Delete(o);
		cJSON_Delete(items);
		return NULL;
	}
	cJSON_AddItemToObject(o, "items", items);
	cf_json_add_text_or_null(o, "next_cursor", next_cursor);
	return o;
}

cJSON *cf_json_user(const cf_user *u)
{
	cJSON *o = cJSON_CreateObject(), *n;

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "id", u->id);
	cJSON_AddStringToObject(o, "email", u->email);
	cJSON_AddStringToObject(o, "full_name", u->full_name);
	cf_json_add_text_or_null(o, "phone", u->phone);
	cJSON_AddStringToObject(o, "role", cf_role_name(u->role));
	cf_json_add_text_or_null(o, "ucfsin", u->ucfsin);
	cJSON_AddBoolToObject(o, "is_active", u->is_active);
	cf_json_add_text_or_null(o, "pan", u->pan_masked);
	cf_json_add_text_or_null(o, "aadhaar", u->aadhaar_masked);
	cf_json_add_text_or_null(o, "bank_account", u->bank_account_masked);
	cf_json_add_text_or_null(o, "bank_ifsc", u->bank_ifsc);
	cf_json_add_text_or_null(o, "address", u->address);
	if (u->nominee_name[0] || u->nominee_relation[0]) {
		n = cJSON_AddObjectToObject(o, "nominee");
		if (n) {
			cf_json_add_text_or_null(n, "name", u->nominee_name);
			cf_json_add_text_or_null(n, "relation", u->nominee_relation);
		}
	} else {
		cJSON_AddNullToObject(o, "nominee");
	}
	cf_json_add_time(o, "created_at", u->created_at_ms);
	return o;
}

cJSON *cf_json_scheme(const cf_scheme *s)
{
	const cf_scheme_params *p = &s->params;
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "id", s->id);
	cJSON_AddStringToObject(o, "name", s->name);
	cJSON_AddStringToObject(o, "status", cf_scheme_status_name(s->status));
	cf_json_add_int(o, "chit_value", p->chit_value.minor);
	cf_json_add_int(o, "member_count", p->member_count);
	cf_json_add_date(o, "start_date", p->start_date);
	cJSON_AddStringToObject(o, "frequency", cf_frequency_name(p->frequency));
	cJSON_AddStringToObject(o, "currency", p->currency);
	cf_json_add_int(o, "commission_bps", p->commission_bps);
	cf_json_add_int(o, "max_discount_bps", p->max_discount_bps);
	cf_json_add_int(o, "min_discount", p->min_discount.minor);
	cf_json_add_int(o, "bid_increment", p->bid_increment.minor);
	cJSON_AddStringToObject(o, "auction_method", cf_auction_method_name(p->auction_method));
	cf_json_add_int(o, "lot_discount", p->lot_discount.minor);
	cJSON_AddBoolToObject(o, "first_prize_to_foreman", p->first_prize_to_foreman);
	cJSON_AddStringToObject(o, "dividend_policy", cf_dividend_policy_name(p->dividend_policy));
	cJSON_AddStringToObject(o, "dividend_timing", cf_dividend_timing_name(p->dividend_timing));
	cf_json_add_int(o, "gst_bps", p->gst_bps);
	cJSON_AddStringToObject(o, "gst_borne_by", cf_gst_borne_by_name(p->gst_borne_by));
	cf_json_add_int(o, "late_fee_bps_per_month", p->late_fee_bps_per_month);
	cf_json_add_int(o, "grace_days", p->grace_days);
	cJSON_AddStringToObject(o, "rules_profile", cf_profile_name(p->rules_profile));
	cf_json_add_int(o, "subscription", s->subscription.minor);
	cJSON_AddStringToObject(o, "foreman_id", s->foreman_id);
	cf_json_add_text_or_null(o, "registration_no", s->registration_no);
	cf_json_add_text_or_null(o, "commencement_ref", s->commencement_ref);
	cf_json_add_time(o, "commenced_at", s->commenced_at_ms);
	cf_json_add_time(o, "created_at", s->created_at_ms);
	cf_json_add_int(o, "row_version", s->row_version);
	return o;
}

cJSON *cf_json_ticket(const cf_ticket *t)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "scheme_id", t->scheme_id);
	cf_json_add_int(o, "ticket_no", t->ticket_no);
	cJSON_AddStringToObject(o, "user_id", t->user_id);
	cJSON_AddStringToObject(o, "status", cf_ticket_status_name(t->status));
	cJSON_AddBoolToObject(o, "prized", t->prized);
	if (t->prized_installment_no > 0)
		cf_json_add_int(o, "prized_installment_no", t->prized_installment_no);
	else
		cJSON_AddNullToObject(o, "prized_installment_no");
	cf_json_add_time(o, "created_at", t->created_at_ms);
	return o;
}

cJSON *cf_json_audit_entry(const cf_audit_entry *e)
{
	cJSON *o = cJSON_CreateObject(), *sum;

	if (!o)
		return NULL;
	cf_json_add_int(o, "seq", e->seq);
	cf_json_add_time(o, "at", e->at_ms);
	cf_json_add_text_or_null(o, "actor_id", e->actor_id);
	cf_json_add_text_or_null(o, "actor_role", e->actor_role);
	cJSON_AddStringToObject(o, "action", e->action);
	cJSON_AddStringToObject(o, "entity", e->entity);
	cf_json_add_text_or_null(o, "entity_id", e->entity_id);
	sum = e->summary[0] ? cJSON_Parse(e->summary) : NULL;
	if (sum)
		cJSON_AddItemToObject(o, "summary", sum);
	else
		cJSON_AddNullToObject(o, "summary");
	cf_json_add_text_or_null(o, "request_id", e->request_id);
	cJSON_AddStringToObject(o, "prev_hash", e->prev_hash);
	cJSON_AddStringToObject(o, "hash", e->hash);
	return o;
}

cJSON *cf_json_notification(const cf_notification *n)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *body;

	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "id", n->id);
	cJSON_AddStringToObject(o, "kind", n->kind);
	cf_json_add_text_or_null(o, "scheme_id", n->scheme_id);
	cJSON_AddStringToObject(o, "subject", n->subject);
	body = cJSON_Parse(n->body);
	if (body == NULL || !cJSON_IsObject(body)) {
		cJSON_Delete(body);
		body = cJSON_CreateObject();
	}
	cJSON_AddItemToObject(o, "body", body);
	cf_json_add_time(o, "created_at", n->created_at_ms);
	cf_json_add_time(o, "read_at", n->read_at_ms);
	return o;
}
