/*
 * handlers_money.c - the money routes: decode, one use case, encode.
 * Money-moving POSTs (payments, disbursements) require Idempotency-Key;
 * their JSON answer is rendered inside the use case's transaction and
 * stored with the key, so a replay sends the same bytes.
 */
#include "handlers_money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/money.h"

#define MONEY_MAX CF_JSON_MAX_SAFE_INT

/* ---- canonical JSON ---- */

typedef struct sbuf {
	char *s;
	size_t len, cap;
	bool oom;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->cap ? b->cap * 2 : 256) + n;
		char *p = realloc(b->s, cap);

		if (p == NULL) {
			b->oom = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

static void canon(sbuf *b, const cJSON *v)
{
	if (cJSON_IsObject(v)) {
		size_t n = 0, i = 0;
		const cJSON *c;
		const cJSON **kids;

		cJSON_ArrayForEach(c, v) n++;
		kids = calloc(n + 1, sizeof *kids);
		if (kids == NULL) {
			b->oom = true;
			return;
		}
		cJSON_ArrayForEach(c, v) kids[i++] = c;
		qsort(kids, n, sizeof *kids, cmp_names);
		sb_put(b, "{", 1);
		for (i = 0; i < n; i++) {
			cJSON *k = cJSON_CreateString(kids[i]->string);
			char *ks = k ? cJSON_PrintUnformatted(k) : NULL;

			if (i)
				sb_put(b, ",", 1);
			if (ks == NULL)
				b->oom = true;
			else
				sb_put(b, ks, strlen(ks));
			cJSON_free(ks);
			cJSON_Delete(k);
			sb_put(b, ":", 1);
			canon(b, kids[i]);
		}
		sb_put(b, "}", 1);
		free(kids);
	} else if (cJSON_IsArray(v)) {
		const cJSON *c;
		bool first = true;

		sb_put(b, "[", 1);
		cJSON_ArrayForEach(c, v)
		{
			if (!first)
				sb_put(b, ",", 1);
			first = false;
			canon(b, c);
		}
		sb_put(b, "]", 1);
	} else {
		char *s = cJSON_PrintUnformatted(v);

		if (s == NULL)
			b->oom = true;
		else
			sb_put(b, s, strlen(s));
		cJSON_free(s);
	}
}

char *cf_http_json_canonical(const cJSON *v)
{
	sbuf b = {0};

	canon(&b, v);
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/* "METHOD path\n" + canonical body: the text an Idempotency-Key is bound to. */
static char *request_text(cf_http_req *r, const cJSON *body)
{
	char *c = body ? cf_http_json_canonical(body) : NULL;
	const char *uri = r->ri->local_uri ? r->ri->local_uri : "";
	size_t n = strlen(uri) + (c ? strlen(c) : 0) + 16;
	char *out = malloc(n);

	if (out != NULL)
		snprintf(out, n, "POST %s\n%s", uri, c ? c : "");
	free(c);
	return out;
}

static int idem_key(cf_http_req *r, const char **key, cf_error *err)
{
	const char *k = cf_http_header(r, "Idempotency-Key");
	size_t n = k ? strlen(k) : 0;

	if (n == 0 || n > 255)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_IDEM_REQUIRED, "Idempotency-Key",
		                    "an Idempotency-Key header of 1 to 255 printable characters is "
		                    "required");
	for (size_t i = 0; i < n; i++)
		if (k[i] < 0x20 || k[i] > 0x7e)
			return cf_error_set(err, CF_EINVALID, CF_SLUG_IDEM_REQUIRED,
			                    "Idempotency-Key",
			                    "the Idempotency-Key must be printable ASCII");
	*key = k;
	return CF_OK;
}

/* ---- encoders ---- */

static void add_money(cJSON *o, const char *name, cf_money m)
{
	cf_json_add_int(o, name, m.minor);
}

static void add_date_or_null(cJSON *o, const char *name, cf_date d)
{
	if (cf_date_valid(d))
		cf_json_add_date(o, name, d);
	else
		cJSON_AddNullToObject(o, name);
}

static cJSON *json_payment(const cf_payment_view *v)
{
	const cf_payment *p = &v->p;
	cJSON *o = cJSON_CreateObject(), *a;

	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "id", p->id);
	cJSON_AddStringToObject(o, "receipt_no", p->receipt_no);
	cJSON_AddStringToObject(o, "scheme_id", p->scheme_id);
	cf_json_add_int(o, "ticket_no", p->ticket_no);
	add_money(o, "amount", p->amount);
	cJSON_AddStringToObject(o, "method", cf_payment_method_name(p->method));
	cf_json_add_text_or_null(o, "reference", p->reference);
	cf_json_add_date(o, "paid_on", p->paid_on);
	cJSON_AddStringToObject(o, "status", cf_payment_status_name(p->status));
	a = cJSON_AddArrayToObject(o, "allocations");
	for (size_t i = 0; a && i < v->allocs.count; i++) {
		cJSON *x = cJSON_CreateObject();

		if (x == NULL)
			break;
		cf_json_add_int(x, "installment_no", v->allocs.items[i].installment_no);
		add_money(x, "principal", v->allocs.items[i].principal);
		add_money(x, "penalty", v->allocs.items[i].penalty);
		cJSON_AddItemToArray(a, x);
	}
	add_money(o, "advance", p->advance);
	add_money(o, "late_fee_accrued", p->fee_accrued);
	cJSON_AddStringToObject(o, "recorded_by", p->recorded_by);
	cf_json_add_time(o, "created_at", p->created_at_ms);
	add_date_or_null(o, "bounced_on", p->bounced_on);
	cf_json_add_text_or_null(o, "bounce_reason", p->bounce_reason);
	return o;
}

static cJSON *json_disb(const cf_disbursement *d)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "id", d->id);
	cJSON_AddStringToObject(o, "auction_id", d->auction_id);
	cJSON_AddStringToObject(o, "scheme_id", d->scheme_id);
	cf_json_add_int(o, "ticket_no", d->ticket_no);
	add_money(o, "gross_prize", d->gross_prize);
	add_money(o, "gst_deducted", d->gst_deducted);
	add_money(o, "withheld", d->withheld);
	add_money(o, "amount", d->amount);
	cJSON_AddStringToObject(o, "method", d->method);
	cf_json_add_text_or_null(o, "reference", d->reference);
	cJSON_AddStringToObject(o, "status", cf_disb_status_name(d->status));
	cJSON_AddStringToObject(o, "maker_id", d->maker_id);
	cf_json_add_text_or_null(o, "checker_id", d->checker_id);
	cf_json_add_time(o, "created_at", d->created_at_ms);
	cf_json_add_time(o, "paid_at", d->paid_at_ms);
	return o;
}

static cJSON *json_prize(const cf_prize *p)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "auction_id", p->auction_id);
	cJSON_AddStringToObject(o, "scheme_id", p->scheme_id);
	cf_json_add_int(o, "installment_no", p->installment_no);
	cf_json_add_int(o, "ticket_no", p->ticket_no);
	add_money(o, "prize_amount", p->prize_amount);
	add_money(o, "gst_deducted", p->gst_deducted);
	add_money(o, "future_liability", p->liability);
	cJSON_AddBoolToObject(o, "no_security", p->no_security);
	add_date_or_null(o, "prize_due_by", p->due_by);
	cJSON_AddBoolToObject(o, "paid", p->paid);
	add_date_or_null(o, "paid_on", p->paid ? p->paid_on : (cf_date){0, 0, 0});
	return o;
}

/* Render for the idempotency store: the JSON answer and its status. */
static int render_json(cJSON *o, int status, int *st, char **body, size_t *len)
{
	char *s;

	if (o == NULL)
		return CF_ENOMEM;
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (s == NULL)
		return CF_ENOMEM;
	*body = malloc(strlen(s) + 1);
	if (*body == NULL) {
		cJSON_free(s);
		return CF_ENOMEM;
	}
	memcpy(*body, s, strlen(s) + 1);
	*len = strlen(s);
	cJSON_free(s);
	*st = status;
	return CF_OK;
}

static int render_payment(void *ctx, const void *res, int *st, char **body, size_t *len)
{
	(void)ctx;
	return render_json(json_payment(res), 201, st, body, len);
}

static int render_disb(void *ctx, const void *res, int *st, char **body, size_t *len)
{
	(void)ctx;
	return render_json(json_disb(res), 201, st, body, len);
}

/* Send a stored (or first) answer with a Location header built from its "id". */
static int send_reply(cf_http_req *r, const cf_idem_reply *rep, const char *prefix)
{
	char loc[160] = "";
	const char *h[] = {"Location", loc, NULL};
	cJSON *j = cJSON_ParseWithLength(rep->body, rep->len);
	const cJSON *id = j ? cJSON_GetObjectItemCaseSensitive(j, "id") : NULL;

	if (cJSON_IsString(id))
		snprintf(loc, sizeof loc, "%s%s", prefix, id->valuestring);
	cJSON_Delete(j);
	return cf_http_send(r, rep->status, "application/json", rep->body, rep->len,
	                    loc[0] && rep->status == 201 ? h : NULL);
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

/* Path parameter i as a ticket number (1..1000); 404 otherwise. */
static int param_ticket(cf_http_req *r, int i, int32_t *out, cf_error *err)
{
	const char *s;
	long v = 0;

	if (i >= r->params.n)
		return cf_error_set(err, CF_ENOTFOUND, "not-found", "", "no such ticket");
	s = r->params.value[i];
	if (*s == '\0' || strlen(s) > 6)
		return cf_error_set(err, CF_ENOTFOUND, "not-found", "", "no such ticket");
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return cf_error_set(err, CF_ENOTFOUND, "not-found", "", "no such ticket");
		v = v * 10 + (*p - '0');
	}
	if (v < 1)
		return cf_error_set(err, CF_ENOTFOUND, "not-found", "", "no such ticket");
	*out = (int32_t)v;
	return CF_OK;
}

/* ---- payments ---- */

static const char *const method_names[] = {"cash", "upi", "bank_transfer", "cheque", NULL};

int cf_h_payments_create(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cJSON *body = NULL;
	cf_payment_req q;
	cf_payment_view v;
	cf_idem_reply rep;
	cf_idem idem;
	const char *key = NULL;
	char *text = NULL;
	cf_jdec d;
	int64_t ticket = 0, amount = 0;
	int method = 0, rc;

	memset(&q, 0, sizeof q);
	memset(&v, 0, sizeof v);
	memset(&rep, 0, sizeof rep);
	if ((rc = idem_key(r, &key, &err)) == 0 &&
	    (rc = cf_http_json_body(r, false, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		cf_jdec_uuid(&d, "scheme_id", CF_J_REQUIRED, &q.scheme_id);
		cf_jdec_int64(&d, "ticket_no", 1, 100000, CF_J_REQUIRED, &ticket);
		cf_jdec_int64(&d, "amount", 1, MONEY_MAX, CF_J_REQUIRED, &amount);
		cf_jdec_enum(&d, "method", method_names, CF_J_REQUIRED, &method);
		cf_jdec_string(&d, "reference", 0, 128, CF_J_OPTIONAL | CF_J_NULLABLE,
		               &q.reference);
		if (cf_jdec_date(&d, "paid_on", CF_J_OPTIONAL | CF_J_NULLABLE, &q.paid_on) ==
		    CF_J_SET)
			q.has_paid_on = true;
		rc = cf_jdec_finish(&d, &err);
	}
	if (rc == 0) {
		char *sid = (char *)q.scheme_id;

		for (char *p = sid; *p; p++)
			if (*p >= 'A' && *p <= 'F')
				*p = (char)(*p - 'A' + 'a');
		q.ticket_no = (int32_t)ticket;
		q.amount = cf_money_of(amount);
		q.method = (cf_payment_method)method;
		text = request_text(r, body);
		if (text == NULL)
			rc = cf_error_set(&err, CF_ENOMEM, "internal-error", "", "out of memory");
	}
	if (rc == 0) {
		idem.key = key;
		idem.request = text;
		idem.render = render_payment;
		idem.render_ctx = NULL;
		rc = cf_payment_record(cf_http_app(r), &r->actor, &q, &idem, &v, &rep, &err);
	}
	cJSON_Delete(body);
	free(text);
	cf_payment_view_free(&v);
	if (rc < 0)
		return cf_http_fail(r, &err);
	rc = send_reply(r, &rep, "/api/v1/payments/");
	cf_idem_reply_free(&rep);
	return rc;
}

static int send_payment(cf_http_req *r, int rc, cf_payment_view *v, cf_error *err)
{
	if (rc < 0)
		return cf_http_fail(r, err);
	rc = cf_http_send_json_take(r, 200, json_payment(v), NULL);
	cf_payment_view_free(v);
	return rc;
}

int cf_h_payments_get(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	cf_payment_view v;
	int rc;

	memset(&v, 0, sizeof v);
	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0)
		rc = cf_payment_get(cf_http_app(r), &r->actor, id, &v, &err);
	return send_payment(r, rc, &v, &err);
}

int cf_h_payments_bounce(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL, *reason = NULL;
	cJSON *body = NULL;
	cf_payment_view v;
	cf_date on = {0, 0, 0};
	cf_jdec d;
	int rc;

	memset(&v, 0, sizeof v);
	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = cf_http_json_body(r, false, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		cf_jdec_date(&d, "bounced_on", CF_J_REQUIRED, &on);
		cf_jdec_string(&d, "reason", 1, 256, CF_J_REQUIRED, &reason);
		rc = cf_jdec_finish(&d, &err);
	}
	if (rc == 0)
		rc = cf_payment_bounce(cf_http_app(r), &r->actor, id, on, reason, &v, &err);
	cJSON_Delete(body);
	return send_payment(r, rc, &v, &err);
}

static int receipt(cf_http_req *r, const char *no)
{
	cf_error err = CF_ERROR_INIT;
	cf_payment_view v;
	int rc;

	memset(&v, 0, sizeof v);
	rc = cf_receipt_get(cf_http_app(r), &r->actor, no, &v, &err);
	return send_payment(r, rc, &v, &err);
}

int cf_h_receipts_get(cf_http_req *r)
{
	char no[CF_RECEIPT_NO_SIZE * 3];
	const char *in = r->params.n > 0 ? r->params.value[0] : "";
	size_t k = 0;

	/* "R%2F2026-27%2F000001" when the router did not decode it */
	for (size_t i = 0; in[i] && k + 1 < sizeof no; i++) {
		if (in[i] == '%' && (in[i + 1] == '2') && (in[i + 2] == 'F' || in[i + 2] == 'f')) {
			no[k++] = '/';
			i += 2;
		} else {
			no[k++] = in[i];
		}
	}
	no[k] = '\0';
	return receipt(r, no);
}

int cf_h_receipts_get3(cf_http_req *r)
{
	char no[3 * CF_HTTP_PARAM_MAX + 4];

	if (r->params.n < 3)
		return receipt(r, "");
	snprintf(no, sizeof no, "%s/%s/%s", r->params.value[0], r->params.value[1],
	         r->params.value[2]);
	/* longer than a receipt number: cf_receipt_get answers not found */
	return receipt(r, strlen(no) < CF_RECEIPT_NO_SIZE ? no : "");
}

int cf_h_scheme_payments(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	cf_payment_page page;
	char cursor[CF_CURSOR_SIZE + 8];
	size_t limit = 0;
	int rc;

	memset(&page, 0, sizeof page);
	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = cf_http_page_params(r, &limit, cursor, sizeof cursor, &err)) == 0)
		rc = cf_payment_list(cf_http_app(r), &r->actor, id, limit, cursor, &page, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	cJSON *items = cJSON_CreateArray();
	for (size_t i = 0; items && i < page.payments.count; i++) {
		cf_payment_view v;

		memset(&v, 0, sizeof v);
		v.p = page.payments.items[i];
		cJSON_AddItemToArray(items, json_payment(&v));
	}
	cJSON *o = cf_json_page(items, page.next_cursor);
	cf_payment_page_free(&page);
	return cf_http_send_json_take(r, 200, o, NULL);
}

/* ---- security, no-security, disbursements ---- */

static const char *const kind_names[] = {"personal", "property", NULL};

int cf_h_auction_security(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL, *desc = NULL;
	cJSON *body = NULL;
	cf_security_rec s;
	cf_jdec d;
	int64_t value = 0;
	int kind = 0, rc;

	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = cf_http_json_body(r, false, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		cf_jdec_enum(&d, "kind", kind_names, CF_J_REQUIRED, &kind);
		cf_jdec_string(&d, "description", 1, 256, CF_J_REQUIRED, &desc);
		cf_jdec_int64(&d, "value", 1, MONEY_MAX, CF_J_REQUIRED, &value);
		rc = cf_jdec_finish(&d, &err);
	}
	if (rc == 0)
		rc = cf_security_record(cf_http_app(r), &r->actor, id, (cf_security_kind)kind, desc,
		                        cf_money_of(value), &s, &err);
	cJSON_Delete(body);
	if (rc < 0)
		return cf_http_fail(r, &err);
	cJSON *o = cJSON_CreateObject();
	if (o) {
		cJSON_AddStringToObject(o, "id", s.id);
		cJSON_AddStringToObject(o, "auction_id", s.auction_id);
		cJSON_AddStringToObject(o, "kind", cf_security_kind_name(s.kind));
		cJSON_AddStringToObject(o, "description", s.description);
		add_money(o, "value", s.value);
		cJSON_AddStringToObject(o, "created_by", s.created_by);
		cf_json_add_time(o, "created_at", s.created_at_ms);
	}
	return cf_http_send_json_take(r, 201, o, NULL);
}

int cf_h_auction_no_security(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	cf_prize p;
	int rc;

	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 && (rc = empty_body(r, &err)) == 0)
		rc = cf_prize_elect_no_security(cf_http_app(r), &r->actor, id, &p, &err);
	return rc < 0 ? cf_http_fail(r, &err)
	              : cf_http_send_json_take(r, 200, json_prize(&p), NULL);
}

int cf_h_auction_disbursement(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL, *key = NULL, *method = NULL, *ref = NULL;
	cJSON *body = NULL;
	cf_disbursement dis;
	cf_idem_reply rep;
	cf_idem idem;
	char *text = NULL;
	cf_jdec d;
	int rc;

	memset(&rep, 0, sizeof rep);
	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = idem_key(r, &key, &err)) == 0 &&
	    (rc = cf_http_json_body(r, false, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		cf_jdec_string(&d, "method", 1, 31, CF_J_REQUIRED, &method);
		cf_jdec_string(&d, "reference", 0, 128, CF_J_OPTIONAL | CF_J_NULLABLE, &ref);
		rc = cf_jdec_finish(&d, &err);
	}
	if (rc == 0 && (text = request_text(r, body)) == NULL)
		rc = cf_error_set(&err, CF_ENOMEM, "internal-error", "", "out of memory");
	if (rc == 0) {
		idem.key = key;
		idem.request = text;
		idem.render = render_disb;
		idem.render_ctx = NULL;
		rc = cf_disbursement_create(cf_http_app(r), &r->actor, id, method, ref, &idem, &dis,
		                            &rep, &err);
	}
	cJSON_Delete(body);
	free(text);
	if (rc < 0)
		return cf_http_fail(r, &err);
	rc = send_reply(r, &rep, "/api/v1/disbursements/");
	cf_idem_reply_free(&rep);
	return rc;
}

int cf_h_disbursements_list(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cf_disbursement_array a = {0};
	cf_disb_status st = CF_DISB_PENDING;
	char status[32];
	bool has = false;
	int rc = 0;

	if (cf_http_query(r, "status", status, sizeof status) != 0) {
		has = true;
		if (cf_disb_status_parse(status, &st) < 0) {
			cf_http_field_errors_add(&r->errs, "status", "must be pending or paid");
			rc = cf_error_set(&err, CF_EINVALID, "validation-error", "status",
			                  "unknown status");
		}
	}
	if (rc == 0)
		rc = cf_disbursement_list(cf_http_app(r), &r->actor, has, st, &a, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	cJSON *items = cJSON_CreateArray();
	for (size_t i = 0; items && i < a.count; i++)
		cJSON_AddItemToArray(items, json_disb(&a.items[i]));
	cf_disbursement_array_free(&a);
	return cf_http_send_json_take(r, 200, cf_json_page(items, ""), NULL);
}

int cf_h_disbursements_approve(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	cf_disbursement d;
	int rc;

	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 && (rc = empty_body(r, &err)) == 0)
		rc = cf_disbursement_approve(cf_http_app(r), &r->actor, id, &d, &err);
	return rc < 0 ? cf_http_fail(r, &err) : cf_http_send_json_take(r, 200, json_disb(&d), NULL);
}

/* ---- defaulters and members ---- */

int cf_h_scheme_defaulters(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	cf_defaulter_array a = {0};
	int rc;

	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0)
		rc = cf_defaulters_list(cf_http_app(r), &r->actor, id, &a, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	cJSON *o = cJSON_CreateObject(), *items = o ? cJSON_AddArrayToObject(o, "items") : NULL;
	for (size_t i = 0; items && i < a.count; i++) {
		const cf_defaulter *x = &a.items[i];
		cJSON *j = cJSON_CreateObject();

		if (j == NULL)
			break;
		cf_json_add_int(j, "ticket_no", x->ticket_no);
		cJSON_AddStringToObject(j, "user_id", x->user_id);
		cf_json_add_int(j, "overdue_installments", x->a.overdue_installments);
		add_money(j, "arrears", x->a.arrears);
		add_money(j, "late_fee", x->a.late_fee);
		cf_json_add_int(j, "days_past_due", x->a.days_past_due);
		cJSON_AddBoolToObject(j, "prized", x->prized);
		cJSON_AddStringToObject(j, "status", x->removed ? "removed" : "active");
		cJSON_AddItemToArray(items, j);
	}
	cf_defaulter_array_free(&a);
	return cf_http_send_json_take(r, 200, o, NULL);
}

enum { ACT_REMOVE, ACT_REINSTATE, ACT_SUBSTITUTE };

static int member_action(cf_http_req *r, int act)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL, *reason = NULL, *user = NULL;
	cJSON *body = NULL;
	cf_ticket t;
	cf_date notice = {0, 0, 0};
	int32_t no = 0;
	int64_t deduction = 0;
	cf_jdec d;
	int rc;

	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = param_ticket(r, 1, &no, &err)) == 0 &&
	    (rc = cf_http_json_body(r, act == ACT_REINSTATE, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		if (act == ACT_REMOVE) {
			cf_jdec_date(&d, "notice_date", CF_J_REQUIRED, &notice);
			cf_jdec_string(&d, "reason", 1, 256, CF_J_REQUIRED, &reason);
		} else if (act == ACT_SUBSTITUTE) {
			cf_jdec_uuid(&d, "user_id", CF_J_REQUIRED, &user);
			cf_jdec_int64(&d, "deduction", 0, MONEY_MAX, CF_J_OPTIONAL, &deduction);
		}
		rc = cf_jdec_finish(&d, &err);
	}
	if (rc == 0) {
		cf_app *app = cf_http_app(r);

		if (act == ACT_REMOVE)
			rc = cf_member_remove(app, &r->actor, id, no, notice, reason, &t, &err);
		else if (act == ACT_REINSTATE)
			rc = cf_member_reinstate(app, &r->actor, id, no, &t, &err);
		else
			rc = cf_member_substitute(app, &r->actor, id, no, user,
			                          cf_money_of(deduction), &t, &err);
	}
	cJSON_Delete(body);
	return rc < 0 ? cf_http_fail(r, &err)
	              : cf_http_send_json_take(r, 200, cf_json_ticket(&t), NULL);
}

int cf_h_member_remove(cf_http_req *r)
{
	return member_action(r, ACT_REMOVE);
}

int cf_h_member_reinstate(cf_http_req *r)
{
	return member_action(r, ACT_REINSTATE);
}

int cf_h_member_substitute(cf_http_req *r)
{
	return member_action(r, ACT_SUBSTITUTE);
}

int cf_h_member_demand(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	cf_demand dm;
	int32_t no = 0;
	int rc;

	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = param_ticket(r, 1, &no, &err)) == 0 && (rc = empty_body(r, &err)) == 0)
		rc = cf_member_demand(cf_http_app(r), &r->actor, id, no, &dm, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	cJSON *o = cJSON_CreateObject();
	if (o) {
		cJSON_AddStringToObject(o, "id", dm.id);
		cJSON_AddStringToObject(o, "scheme_id", dm.scheme_id);
		cf_json_add_int(o, "ticket_no", dm.ticket_no);
		cJSON_AddStringToObject(o, "user_id", dm.user_id);
		add_money(o, "arrears", dm.arrears);
		add_money(o, "future_subscriptions", dm.future);
		add_money(o, "amount", dm.amount);
		cf_json_add_int(o, "installments", dm.installments);
		cf_json_add_time(o, "created_at", dm.created_at_ms);
	}
	return cf_http_send_json_take(r, 201, o, NULL);
}

static cJSON *json_row(const cf_statement_row *x, bool totals)
{
	cJSON *j = cJSON_CreateObject();

	if (j == NULL)
		return NULL;
	if (!totals) {
		cf_json_add_int(j, "installment_no", x->installment_no);
		cf_json_add_date(j, "due_date", x->due_date);
		cJSON_AddBoolToObject(j, "fixed", x->fixed);
	}
	add_money(j, "gross_due", x->gross_due);
	add_money(j, "dividend_credited", x->dividend_credited);
	add_money(j, "net_due", x->net_due);
	add_money(j, "paid", x->paid);
	add_money(j, "penalty", x->penalty);
	add_money(j, "penalty_paid", x->penalty_paid);
	add_money(j, "balance", x->balance);
	return j;
}

int cf_h_member_statement(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	cf_statement s;
	int32_t no = 0;
	int rc;

	memset(&s, 0, sizeof s);
	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = param_ticket(r, 1, &no, &err)) == 0)
		rc = cf_statement_get(cf_http_app(r), &r->actor, id, no, &s, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	cJSON *o = cJSON_CreateObject(), *items = o ? cJSON_AddArrayToObject(o, "items") : NULL;
	if (o) {
		cJSON_AddStringToObject(o, "scheme_id", s.scheme_id);
		cf_json_add_int(o, "ticket_no", s.ticket_no);
		cf_json_add_date(o, "as_of", s.as_of);
	}
	for (size_t i = 0; items && i < s.count; i++)
		cJSON_AddItemToArray(items, json_row(&s.rows[i], false));
	if (o) {
		add_money(o, "advance", s.advance);
		if (s.has_prize) {
			cJSON *p = cJSON_AddObjectToObject(o, "prize");

			if (p) {
				cf_json_add_int(p, "installment_no", s.prize_installment_no);
				add_money(p, "prize_amount", s.prize_amount);
				if (s.prize_paid)
					add_money(p, "net_payout", s.net_payout);
				else
					cJSON_AddNullToObject(p, "net_payout");
				add_date_or_null(p, "paid_on",
				                 s.prize_paid ? s.prize_paid_on
				                              : (cf_date){0, 0, 0});
			}
		} else {
			cJSON_AddNullToObject(o, "prize");
		}
		cJSON_AddItemToObject(o, "totals", json_row(&s.totals, true));
		if (s.has_xirr)
			cf_json_add_int(o, "xirr_bps", s.xirr_bps);
		else
			cJSON_AddNullToObject(o, "xirr_bps");
		add_money(o, "npv", s.npv);
		add_money(o, "plain_difference", s.plain_difference);
	}
	cf_statement_free(&s);
	return cf_http_send_json_take(r, 200, o, NULL);
}

int cf_h_scheme_terminate(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL, *reason = NULL;
	cJSON *body = NULL;
	cf_scheme s;
	cf_jdec d;
	int rc;

	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = cf_http_json_body(r, false, &body, &err)) == 0) {
		cf_jdec_init(&d, body, &r->errs);
		cf_jdec_string(&d, "reason", 1, 256, CF_J_REQUIRED, &reason);
		rc = cf_jdec_finish(&d, &err);
	}
	if (rc == 0)
		rc = cf_scheme_terminate(cf_http_app(r), &r->actor, id, reason, &s, &err);
	cJSON_Delete(body);
	return rc < 0 ? cf_http_fail(r, &err)
	              : cf_http_send_json_take(r, 200, cf_json_scheme(&s), NULL);
}

/* ---- ledger and reports ---- */

int cf_h_scheme_ledger(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	const char *id = NULL;
	cf_ledger_view v;
	char cursor[CF_CURSOR_SIZE + 8];
	size_t limit = 0;
	int rc;

	memset(&v, 0, sizeof v);
	if ((rc = cf_http_param_uuid(r, 0, &id, &err)) == 0 &&
	    (rc = cf_http_page_params(r, &limit, cursor, sizeof cursor, &err)) == 0)
		rc = cf_ledger_get(cf_http_app(r), &r->actor, id, limit, cursor, &v, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	cJSON *o = cJSON_CreateObject(), *b = o ? cJSON_AddObjectToObject(o, "balances") : NULL;
	cJSON *items = o ? cJSON_AddArrayToObject(o, "items") : NULL;
	for (size_t i = 0; b && i < v.balances.count; i++)
		add_money(b, v.balances.items[i].account, v.balances.items[i].balance);
	for (size_t i = 0; items && i < v.lines.count; i++) {
		const cf_ledger_line *l = &v.lines.items[i];
		cJSON *j = cJSON_CreateObject();

		if (j == NULL)
			break;
		cJSON_AddStringToObject(j, "event_id", l->event_id);
		cJSON_AddStringToObject(j, "event", l->event);
		cJSON_AddStringToObject(j, "account", l->account);
		add_money(j, "amount", l->amount);
		cf_json_add_time(j, "posted_at", l->posted_at_ms);
		cJSON_AddItemToArray(items, j);
	}
	if (o)
		cf_json_add_text_or_null(o, "next_cursor", v.next_cursor);
	cf_ledger_view_free(&v);
	return cf_http_send_json_take(r, 200, o, NULL);
}

static void csv_cell(sbuf *b, const cf_report_cell *c)
{
	char n[32];

	if (c->is_null)
		return;
	if (c->is_int) {
		snprintf(n, sizeof n, "%lld", (long long)c->i);
		sb_put(b, n, strlen(n));
		return;
	}
	sb_put(b, "\"", 1);
	for (const char *p = c->text; *p; p++) {
		sb_put(b, p, 1);
		if (*p == '"')
			sb_put(b, "\"", 1); /* doubled quote inside a quoted field */
	}
	sb_put(b, "\"", 1);
}

int cf_h_reports(cf_http_req *r)
{
	cf_error err = CF_ERROR_INIT;
	cf_report_kind kind = CF_REPORT_COLLECTIONS;
	cf_report rep;
	cf_report_query q;
	char sid[48] = "", from[16] = "", to[16] = "";
	const char *accept = cf_http_header(r, "Accept");
	int rc = 0;

	memset(&rep, 0, sizeof rep);
	memset(&q, 0, sizeof q);
	if (r->params.n < 1 || cf_report_kind_parse(r->params.value[0], &kind) < 0)
		return cf_http_send_problem(r, 404, "not-found", "no such report", NULL);
	if (cf_http_query(r, "scheme_id", sid, sizeof sid) != 0) {
		if (!cf_http_is_uuid(sid)) {
			cf_http_field_errors_add(&r->errs, "scheme_id", "must be a UUID");
			rc = cf_error_set(&err, CF_EINVALID, "validation-error", "scheme_id",
			                  "scheme_id must be a UUID");
		}
		q.scheme_id = sid;
	}
	if (rc == 0 && cf_http_query(r, "from", from, sizeof from) != 0 &&
	    cf_date_parse(from, strlen(from), &q.from) < 0) {
		cf_http_field_errors_add(&r->errs, "from", "must be a date");
		rc = cf_error_set(&err, CF_EINVALID, "validation-error", "from", "bad date");
	}
	if (rc == 0 && cf_http_query(r, "to", to, sizeof to) != 0 &&
	    cf_date_parse(to, strlen(to), &q.to) < 0) {
		cf_http_field_errors_add(&r->errs, "to", "must be a date");
		rc = cf_error_set(&err, CF_EINVALID, "validation-error", "to", "bad date");
	}
	if (rc == 0)
		rc = cf_report_build(cf_http_app(r), &r->actor, kind, &q, &rep, &err);
	if (rc < 0)
		return cf_http_fail(r, &err);
	if (accept && strstr(accept, "text/csv")) {
		sbuf b = {0};

		for (size_t c = 0; c < rep.ncols; c++) {
			if (c)
				sb_put(&b, ",", 1);
			sb_put(&b, rep.cols[c], strlen(rep.cols[c]));
		}
		sb_put(&b, "\r\n", 2);
		for (size_t i = 0; i < rep.nrows; i++) {
			for (size_t c = 0; c < rep.ncols; c++) {
				if (c)
					sb_put(&b, ",", 1);
				csv_cell(&b, &rep.cells[i * rep.ncols + c]);
			}
			sb_put(&b, "\r\n", 2);
		}
		cf_report_free(&rep);
		if (b.oom) {
			free(b.s);
			cf_error_set(&err, CF_ENOMEM, "internal-error", "", "out of memory");
			return cf_http_fail(r, &err);
		}
		rc = cf_http_send(r, 200, "text/csv; charset=utf-8", b.s ? b.s : "", b.len, NULL);
		free(b.s);
		return rc;
	}
	cJSON *o = cJSON_CreateObject(), *items = o ? cJSON_AddArrayToObject(o, "items") : NULL;
	if (o)
		cJSON_AddStringToObject(o, "report", cf_report_kind_name(kind));
	for (size_t i = 0; items && i < rep.nrows; i++) {
		cJSON *j = cJSON_CreateObject();

		if (j == NULL)
			break;
		for (size_t c = 0; c < rep.ncols; c++) {
			const cf_report_cell *x = &rep.cells[i * rep.ncols + c];

			if (x->is_null)
				cJSON_AddNullToObject(j, rep.cols[c]);
			else if (x->is_int)
				cf_json_add_int(j, rep.cols[c], x->i);
			else if (strcmp(x->text, "true") == 0 || strcmp(x->text, "false") == 0)
				cJSON_AddBoolToObject(j, rep.cols[c], x->text[0] == 't');
			else
				cJSON_AddStringToObject(j, rep.cols[c], x->text);
		}
		cJSON_AddItemToArray(items, j);
	}
	cf_report_free(&rep);
	return cf_http_send_json_take(r, 200, o, NULL);
}
