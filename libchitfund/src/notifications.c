/*
 * notifications.c - the notification outbox: cf__notify (inside the
 * caller's transaction) and the read use cases of chitfund/notifications.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/notifications.h"
#include "notifications_internal.h"

#define NR(uc) (&(uc)->app->p.notifications)

void cf_notification_array_free(cf_notification_array *l)
{
	if (l == NULL)
		return;
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

void cf_notification_page_free(cf_notification_page *p)
{
	if (p == NULL)
		return;
	cf_notification_array_free(&p->notifications);
	p->next_cursor[0] = '\0';
}

int cf__notify(cf_uc *uc, const char *user_id, const char *kind, const char *scheme_id,
               const char *subject, const char *json_body)
{
	cf_notification n;
	int rc;

	if (NR(uc)->version == 0 || user_id == NULL || user_id[0] == '\0')
		return CF_OK;
	memset(&n, 0, sizeof n);
	if ((rc = cf__uuid(uc->app, n.id)) < 0)
		return rc;
	cf__copy(n.user_id, sizeof n.user_id, user_id);
	cf__copy(n.kind, sizeof n.kind, kind);
	cf__copy(n.scheme_id, sizeof n.scheme_id, scheme_id);
	cf__copy(n.subject, sizeof n.subject, subject);
	if (json_body == NULL || strlen(json_body) >= sizeof n.body)
		json_body = "{}"; /* never a cut-off (invalid) JSON text */
	cf__copy(n.body, sizeof n.body, json_body);
	n.created_at_ms = uc->now_ms;
	return NR(uc)->insert(NR(uc)->self, uc->tx, &n);
}

int cf__notify_members(cf_uc *uc, const char *scheme_id, const char *kind, const char *subject,
                       const char *json_body)
{
	cf_ticket_array t = {0};
	int rc;

	if (NR(uc)->version == 0)
		return CF_OK;
	rc = uc->app->p.tickets.list_by_scheme(uc->app->p.tickets.self, uc->tx, scheme_id, &t);
	for (size_t i = 0; rc >= 0 && i < t.count; i++) {
		bool seen = t.items[i].status != CF_TICKET_ACTIVE;

		for (size_t k = 0; k < i && !seen; k++)
			seen = t.items[k].status == CF_TICKET_ACTIVE &&
			       strcmp(t.items[k].user_id, t.items[i].user_id) == 0;
		if (!seen)
			rc = cf__notify(uc, t.items[i].user_id, kind, scheme_id, subject,
			                json_body);
	}
	cf_ticket_array_free(&t);
	return rc < 0 ? rc : CF_OK;
}

int cf__notify_payment(cf_uc *uc, const char *payer_id, const char *scheme_id,
                       const char *payment_id, int32_t ticket_no, int64_t amount)
{
	char body[256];

	snprintf(body, sizeof body,
	         "{\"payment_id\":\"%s\",\"ticket_no\":%d,\"amount\":%" PRId64 "}", payment_id,
	         (int)ticket_no, amount);
	return cf__notify(uc, payer_id, "receipt", scheme_id, "Payment received", body);
}

int cf__notify_draw(cf_uc *uc, const char *kind, const char *scheme_id, const char *auction_id,
                    int32_t installment_no, const char *extra)
{
	char body[CF_NOTIFICATION_BODY_SIZE];
	bool settled = strcmp(kind, "auction_settled") == 0;
	int n = snprintf(body, sizeof body, "{\"auction_id\":\"%s\",\"installment_no\":%d%s%s}",
	                 auction_id, (int)installment_no, extra && *extra ? "," : "",
	                 extra ? extra : "");

	if (n < 0 || (size_t)n >= sizeof body)
		snprintf(body, sizeof body, "{\"auction_id\":\"%s\",\"installment_no\":%d}",
		         auction_id, (int)installment_no);
	return cf__notify_members(uc, scheme_id, kind,
	                          settled ? "Draw settled" : "Draw open for bidding", body);
}

int cf__notify_ticket(cf_uc *uc, const char *kind, const char *user_id, const char *scheme_id,
                      int32_t ticket_no, int64_t amount)
{
	char body[128];
	bool demand = strcmp(kind, "demand") == 0;

	if (amount >= 0)
		snprintf(body, sizeof body, "{\"ticket_no\":%d,\"amount\":%" PRId64 "}",
		         (int)ticket_no, amount);
	else
		snprintf(body, sizeof body, "{\"ticket_no\":%d}", (int)ticket_no);
	return cf__notify(uc, user_id, kind, scheme_id,
	                  demand ? "Demand for future subscriptions" : "Ticket removed for default",
	                  body);
}

/* ---- use cases ---- */

static int ready(cf_uc *uc)
{
	int rc = cf__require_auth(uc);

	if (rc < 0)
		return rc;
	if (uc->actor->user_id[0] == '\0')
		return cf__fail(uc, CF_EUNAUTHENTICATED, CF_SLUG_UNAUTHENTICATED, "",
		                "authentication required");
	if (NR(uc)->version == 0)
		return cf__fail(uc, CF_ENOTSUPPORTED, "internal-error", "",
		                "notifications are not configured");
	return CF_OK;
}

typedef struct list_ctx {
	int64_t before;
	size_t limit;
	cf_notification_page *out;
} list_ctx;

static int do_list(cf_uc *uc, void *vctx)
{
	list_ctx *c = vctx;
	cf_notification_array *a = &c->out->notifications;
	int rc;

	cf_notification_page_free(c->out);
	if ((rc = ready(uc)) < 0)
		return rc;
	rc = NR(uc)->list_for_user(NR(uc)->self, uc->tx, uc->actor->user_id, c->before,
	                           c->limit + 1, a);
	if (rc < 0)
		return rc;
	if (a->count > c->limit) {
		a->count = c->limit;
		snprintf(c->out->next_cursor, sizeof c->out->next_cursor, "n%lld",
		         (long long)a->items[a->count - 1].seq);
	}
	return CF_OK;
}

int cf_notifications_list(cf_app *app, const cf_actor *actor, const char *cursor, size_t limit,
                          cf_notification_page *out, cf_error *err)
{
	list_ctx c;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&c, 0, sizeof c);
	if ((rc = cf__limit(limit, &c.limit, err)) < 0 ||
	    (rc = cf__cursor_seq(cursor, 'n', &c.before, err)) < 0)
		return rc;
	c.out = out;
	if ((rc = cf__run_read(app, actor, do_list, &c, err)) < 0)
		cf_notification_page_free(out);
	return rc;
}

typedef struct read_ctx {
	const char *id;
	cf_notification *out;
} read_ctx;

static int do_read(cf_uc *uc, void *vctx)
{
	read_ctx *c = vctx;
	int rc;

	if ((rc = ready(uc)) < 0)
		return rc;
	if (!cf__is_uuid(c->id))
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such notification");
	rc = NR(uc)->mark_read(NR(uc)->self, uc->tx, c->id, uc->actor->user_id, uc->now_ms, c->out);
	if (rc == CF_ENOTFOUND)
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such notification");
	return rc;
}

int cf_notification_mark_read(cf_app *app, const cf_actor *actor, const char *id,
                              cf_notification *out, cf_error *err)
{
	read_ctx c = {id ? id : "", out};

	memset(out, 0, sizeof *out);
	return cf__run(app, actor, do_read, &c, err);
}

/* ---- delivery (the outbox's worker side) ---- */

typedef struct deliver_ctx {
	size_t limit;
	cf_notification_send_fn send;
	void *send_ctx;
	cf_delivery_result *out;
} deliver_ctx;

static int do_deliver(cf_uc *uc, void *vctx)
{
	deliver_ctx *c = vctx;
	cf_notification_array batch = {0};
	int rc;

	memset(c->out, 0, sizeof *c->out); /* a retried unit starts over */
	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if (uc->actor->role != CF_ROLE_SYSTEM && uc->actor->role != CF_ROLE_ADMIN)
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                "only the system or an admin delivers notifications");
	if (NR(uc)->version == 0)
		return cf__fail(uc, CF_ENOTSUPPORTED, "internal-error", "",
		                "notifications are not configured");
	rc = NR(uc)->next_undelivered(NR(uc)->self, uc->tx, c->limit, &batch);
	for (size_t i = 0; rc >= 0 && i < batch.count; i++) {
		cf_user_row u;
		cf_notification_recipient to;
		bool ok;

		memset(&to, 0, sizeof to);
		rc = uc->app->p.users.get(uc->app->p.users.self, uc->tx, batch.items[i].user_id,
		                          &u);
		if (rc < 0)
			break;
		cf__copy(to.email, sizeof to.email, u.email);
		cf__copy(to.phone, sizeof to.phone, u.phone);
		cf__copy(to.full_name, sizeof to.full_name, u.full_name);
		to.active = u.is_active;
		ok = c->send(c->send_ctx, &batch.items[i], &to) == CF_OK;
		rc = NR(uc)->mark_delivered(NR(uc)->self, uc->tx, batch.items[i].id, ok,
		                            uc->now_ms);
		if (rc >= 0 && ok)
			c->out->delivered++;
		else if (rc >= 0)
			c->out->failed++;
	}
	cf_notification_array_free(&batch);
	return rc < 0 ? rc : CF_OK;
}

int cf_notifications_deliver(cf_app *app, const cf_actor *actor, size_t limit,
                             cf_notification_send_fn send, void *ctx, cf_delivery_result *out,
                             cf_error *err)
{
	deliver_ctx c;

	if (out)
		memset(out, 0, sizeof *out);
	if (err)
		memset(err, 0, sizeof *err);
	if (limit < 1 || limit > 1000)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "limit",
		                    "limit must be 1 to 1000");
	if (send == NULL || out == NULL)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "",
		                    "a sender and a result are required");
	c.limit = limit;
	c.send = send;
	c.send_ctx = ctx;
	c.out = out;
	return cf__run(app, actor, do_deliver, &c, err);
}
