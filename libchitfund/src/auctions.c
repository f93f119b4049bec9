/* auctions.c - draw use cases: create, open, bid, get, list, close
 * (settlement), minutes, the ticker, schedule rows, and the readers of the
 * draw's dividend credits and ledger lines. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auctions_internal.h"
#include "chitfund/auctions.h"
#include "chitfund/domain/auction.h"
#include "chitfund/domain/ledger.h"
#include "chitfund/domain/lot.h"
#include "chitfund/domain/settlement.h"
#include "dues_internal.h"
#include "internal.h"
#include "notifications_internal.h"

#define AR(uc)        (&(uc)->app->p.auctions)
#define IST_OFFSET_MS INT64_C(19800000)

/* ---- names and frees ---- */

const char *cf_auction_status_name(cf_auction_status s)
{
	switch (s) {
	case CF_AUCTION_SCHEDULED: return "scheduled";
	case CF_AUCTION_OPEN: return "open";
	case CF_AUCTION_SETTLED: return "settled";
	}
	return "";
}

int cf_auction_status_parse(const char *s, cf_auction_status *out)
{
	for (int i = CF_AUCTION_SCHEDULED; s != NULL && i <= CF_AUCTION_SETTLED; i++) {
		if (strcmp(s, cf_auction_status_name((cf_auction_status)i)) == 0) {
			*out = (cf_auction_status)i;
			return CF_OK;
		}
	}
	return CF_EINVALID;
}

CF__DEFINE_ARRAY_FREE(cf_auction_row_array_free, cf_auction_row_array)
CF__DEFINE_ARRAY_FREE(cf_bid_row_array_free, cf_bid_row_array)
CF__DEFINE_ARRAY_FREE(cf_auction_result_array_free, cf_auction_result_array)
CF__DEFINE_ARRAY_FREE(cf_dividend_credit_array_free, cf_dividend_credit_array)
CF__DEFINE_ARRAY_FREE(cf_ledger_line_array_free, cf_ledger_line_array)

void cf_auction_view_free(cf_auction_view *v)
{
	if (v != NULL)
		cf_bid_row_array_free(&v->bids);
}

void cf_auction_page_free(cf_auction_page *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->count; i++)
		cf_auction_view_free(&p->items[i]);
	free(p->items);
	p->items = NULL;
	p->count = 0;
}

/* ---- a growable string (minutes, events) ---- */

typedef struct dsb {
	char *buf;
	size_t len, cap;
	bool oom;
} dsb;

static void dsb_put(dsb *d, const char *s, size_t n)
{
	if (d->oom)
		return;
	if (d->len + n + 1 > d->cap) {
		size_t cap = d->cap ? d->cap : 256;
		char *p;

		while (cap < d->len + n + 1)
			cap *= 2;
		p = realloc(d->buf, cap);
		if (p == NULL) {
			d->oom = true;
			return;
		}
		d->buf = p;
		d->cap = cap;
	}
	memcpy(d->buf + d->len, s, n);
	d->len += n;
	d->buf[d->len] = '\0';
}

static void dsb_raw(dsb *d, const char *s)
{
	dsb_put(d, s, strlen(s));
}

static void dsb_fmt(dsb *d, const char *fmt, ...) CF_PRINTF(2, 3);
static void dsb_fmt(dsb *d, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	dsb_put(d, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void dsb_json(dsb *d, const char *s)
{
	char tmp[8];

	dsb_raw(d, "\"");
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if (*p == '"' || *p == '\\') {
			tmp[0] = '\\';
			tmp[1] = (char)*p;
			dsb_put(d, tmp, 2);
		} else if (*p < 0x20) {
			snprintf(tmp, sizeof tmp, "\\u%04x", *p);
			dsb_raw(d, tmp);
		} else {
			dsb_put(d, (const char *)p, 1);
		}
	}
	dsb_raw(d, "\"");
}

static void dsb_time(dsb *d, int64_t ms)
{
	char t[32];

	if (ms == 0 || cf_time_format(ms, t, sizeof t) < 0) {
		dsb_raw(d, "null");
		return;
	}
	dsb_fmt(d, "\"%s\"", t);
}

/* Take the buffer (NULL on OOM). */
static char *dsb_take(dsb *d)
{
	char *b = d->buf;

	if (d->oom || b == NULL) {
		free(d->buf);
		b = d->oom ? NULL : calloc(1, 1);
	}
	d->buf = NULL;
	d->len = d->cap = 0;
	return b;
}

/* ---- the digest port as a domain cf_digest_fn ---- */

static _Thread_local cf_digest *tl_digest;
static _Thread_local bool tl_digest_failed;

static void bridge_sha256(const void *data, size_t len, uint8_t out[32])
{
	if (tl_digest == NULL || tl_digest->sha256(tl_digest->self, data, len, out) < 0) {
		memset(out, 0, 32);
		tl_digest_failed = true;
	}
}

/* ---- shared helpers ---- */

static int need_ports(cf_app *app, cf_error *err)
{
	if (app->p.auctions.version == 0 || app->p.ledger.version == 0)
		return cf_error_set(err, CF_ENOTSUPPORTED, "internal-error", "",
		                    "draws are not configured");
	return CF_OK;
}

/* A draw use case: the ports are checked, then fn runs in a unit of work. */
static int run_uc(cf_app *app, const cf_actor *actor, cf_uc_fn fn, void *ctx, cf_error *err)
{
	int rc = need_ports(app, err);

	return rc < 0 ? rc : cf__run(app, actor, fn, ctx, err);
}

/* run_uc for a use case that fills the view out: emptied first, freed on error. */
static int run_view(cf_app *app, const cf_actor *actor, cf_uc_fn fn, void *ctx,
                    cf_auction_view *out, cf_error *err)
{
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = run_uc(app, actor, fn, ctx, err)) < 0)
		cf_auction_view_free(out);
	return rc;
}

static int64_t anti_sniping_ms(const cf_app *app)
{
	int64_t s =
	        app->cfg.anti_sniping_s > 0 ? app->cfg.anti_sniping_s : CF_ANTI_SNIPING_DEFAULT_S;
	return s * 1000;
}

static cf_date business_date(int64_t now_ms)
{
	return cf_date_from_unix_ms_ist(now_ms);
}

static int not_found(cf_uc *uc, const char *what)
{
	return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such %s", what);
}

/* Readers of a scheme: everyone authenticated; subscribers only with a ticket in it. */
static int require_read(cf_uc *uc, const cf_scheme *s, const char *what)
{
	bool ok = true;
	int rc;

	if (uc->actor->role == CF_ROLE_SUBSCRIBER && s->status != CF_SCHEME_ENROLLING) {
		if ((rc = cf__holds_ticket(uc, s->id, uc->actor->user_id, &ok)) < 0)
			return rc;
	}
	return ok ? CF_OK : not_found(uc, what);
}

static bool is_manager(cf_uc *uc, const cf_scheme *s)
{
	cf_role r = uc->actor->role;

	return r == CF_ROLE_ADMIN || r == CF_ROLE_SYSTEM ||
	       (r == CF_ROLE_FOREMAN && strcmp(s->foreman_id, uc->actor->user_id) == 0);
}

static int is_staff(cf_uc *uc, const cf_scheme *s, bool *ok)
{
	*ok = is_manager(uc, s) || uc->actor->role == CF_ROLE_AUDITOR;
	if (*ok || uc->actor->role != CF_ROLE_AGENT)
		return CF_OK;
	return uc->app->p.scheme_agents.is_agent(uc->app->p.scheme_agents.self, uc->tx, s->id,
	                                         uc->actor->user_id, ok);
}

/* Its foreman or admin; subscribers who cannot read it get not-found. */
static int require_manage(cf_uc *uc, const cf_scheme *s, const char *what)
{
	int rc;

	if (is_manager(uc, s))
		return CF_OK;
	if ((rc = require_read(uc, s, what)) < 0)
		return rc;
	return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
	                "only the scheme's foreman or an admin may do this");
}

/* Load (and optionally lock) an auction and its scheme; readers only. */
static int load_auction(cf_uc *uc, const char *id, bool lock, cf_auction_row *a, cf_scheme *s)
{
	int rc;

	if (!cf__is_uuid(id))
		return not_found(uc, "auction");
	rc = lock ? AR(uc)->lock(AR(uc)->self, uc->tx, id, a)
	          : AR(uc)->get(AR(uc)->self, uc->tx, id, a);
	if (rc == CF_ENOTFOUND)
		return not_found(uc, "auction");
	if (rc < 0)
		return rc;
	if ((rc = cf__load_scheme(uc, a->scheme_id, s)) < 0)
		return rc;
	return require_read(uc, s, "auction");
}

/* The view of an auction for this reader. */
static int make_view(cf_uc *uc, const cf_auction_row *a, const cf_scheme *s, bool with_bids,
                     cf_auction_view *v)
{
	int rc;

	cf_auction_view_free(v);
	memset(v, 0, sizeof *v);
	v->a = *a;
	v->a.lot_seed[0] = '\0';
	v->method = s->params.auction_method;
	if ((rc = is_staff(uc, s, &v->staff)) < 0)
		return rc;
	if (!v->staff && s->params.auction_method == CF_METHOD_SEALED &&
	    a->status != CF_AUCTION_SETTLED) {
		v->a.has_standing = false;
		v->a.standing_discount = cf_money_of(0);
	}
	if (with_bids && v->staff) {
		rc = AR(uc)->bid_list(AR(uc)->self, uc->tx, a->id, &v->bids);
		if (rc < 0)
			return rc;
	}
	if (a->status == CF_AUCTION_SETTLED) {
		rc = AR(uc)->result_get(AR(uc)->self, uc->tx, a->id, &v->result);
		if (rc < 0) {
			cf_auction_view_free(v);
			return rc;
		}
		v->settled = true;
	}
	return CF_OK;
}

/*
 * Ticket states of a scheme on its business date `on` from its listed
 * tickets (states: malloc'd, tickets->count entries). On error the tickets
 * are freed too.
 */
static int states_of(cf_uc *uc, const cf_scheme *s, cf_date on, cf_ticket_array *tickets,
                     cf_ticket_state **states)
{
	const cf_overdue_source *od = &uc->app->p.overdue;
	size_t n;
	bool *overdue = NULL;
	int rc;

	*states = NULL;
	n = tickets->count;
	*states = calloc(n ? n : 1, sizeof **states);
	overdue = calloc((size_t)s->params.member_count, sizeof *overdue);
	if (*states == NULL || overdue == NULL) {
		rc = CF_ENOMEM;
		goto out;
	}
	if (od->version != 0 && od->overdue != NULL) {
		rc = od->overdue(od->self, uc->tx, s->id, on, overdue,
		                 (size_t)s->params.member_count);
		if (rc < 0)
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const cf_ticket *t = &tickets->items[i];
		cf_ticket_state *st = &(*states)[i];

		st->ticket_no = t->ticket_no;
		st->removed = t->status == CF_TICKET_REMOVED;
		st->prized = t->prized;
		st->foreman = strcmp(t->user_id, s->foreman_id) == 0;
		st->overdue = t->ticket_no >= 1 && t->ticket_no <= s->params.member_count &&
		              overdue[t->ticket_no - 1];
	}
	rc = CF_OK;
out:
	free(overdue);
	if (rc < 0) {
		free(*states);
		*states = NULL;
		cf_ticket_array_free(tickets);
	}
	return rc;
}

/* Ticket states of a scheme on its business date `on` (states: malloc'd, n entries). */
static int ticket_states(cf_uc *uc, const cf_scheme *s, cf_date on, cf_ticket_array *tickets,
                         cf_ticket_state **states)
{
	int rc;

	*states = NULL;
	rc = uc->app->p.tickets.list_by_scheme(uc->app->p.tickets.self, uc->tx, s->id, tickets);
	if (rc < 0)
		return rc;
	return states_of(uc, s, on, tickets, states);
}

static int draw_of(cf_uc *uc, const cf_scheme *s, int32_t k, cf_draw *d)
{
	int rc = cf_draw_init(d, &s->params, k);

	if (rc < 0)
		return cf__fail(uc, rc, "internal-error", "", "the draw's limits do not compute");
	return CF_OK;
}

static int audit_auction(cf_uc *uc, const char *action, const cf_auction_row *a, const char *extra)
{
	char summary[CF_AUDIT_SUMMARY_SIZE];

	snprintf(summary, sizeof summary,
	         "{\"scheme_id\":\"%s\",\"installment_no\":%d,\"status\":\"%s\",\"bid_count\":%d%s%"
	         "s}",
	         a->scheme_id, (int)a->installment_no, cf_auction_status_name(a->status),
	         (int)a->bid_count, extra && *extra ? "," : "", extra ? extra : "");
	return cf__audit(uc, action, "auction", a->id, summary);
}

static int publish(cf_uc *uc, const char *key, const char *json)
{
	const cf_event_sink *ev = &uc->app->p.events;

	if (ev->version == 0 || ev->publish == NULL)
		return CF_OK;
	return ev->publish(ev->self, uc->tx, key, json);
}

static int require_running(cf_uc *uc, const cf_scheme *s)
{
	if (s->status == CF_SCHEME_RUNNING)
		return CF_OK;
	return cf__fail(uc, CF_ECONFLICT, CF_SLUG_SCHEME_NOT_RUNNING, "",
	                "draws are held only while the scheme is running");
}

/* ---- create ---- */

typedef struct create_ctx {
	const char *scheme_id;
	const cf_auction_create_req *req;
	cf_auction_view *out;
} create_ctx;

static int do_create(cf_uc *uc, void *vctx)
{
	create_ctx *c = vctx;
	const cf_auction_create_req *q = c->req;
	cf_auction_row a, prev;
	cf_scheme s;
	int rc;

	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if (!cf__is_uuid(c->scheme_id))
		return not_found(uc, "scheme");
	rc = uc->app->p.tickets.lock_scheme(uc->app->p.tickets.self, uc->tx, c->scheme_id);
	if (rc == CF_ENOTFOUND)
		return not_found(uc, "scheme");
	if (rc < 0 || (rc = cf__load_scheme(uc, c->scheme_id, &s)) < 0 ||
	    (rc = require_manage(uc, &s, "scheme")) < 0)
		return rc;
	if (q->installment_no < 1 || q->installment_no > s.params.member_count)
		return cf__fail(uc, CF_EINVALID, CF_SLUG_VALIDATION, "installment_no",
		                "installment_no must be 1 to %d", (int)s.params.member_count);
	if (s.status != CF_SCHEME_RUNNING)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_SCHEME_NOT_RUNNING, "",
		                "draws are held only while the scheme is running");
	rc = AR(uc)->get_by_installment(AR(uc)->self, uc->tx, s.id, q->installment_no, &a);
	if (rc == CF_OK)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_AUCTION_EXISTS, "installment_no",
		                "installment %d already has an auction", (int)q->installment_no);
	if (rc != CF_ENOTFOUND)
		return rc;
	if (q->installment_no > 1) {
		rc = AR(uc)->get_by_installment(AR(uc)->self, uc->tx, s.id, q->installment_no - 1,
		                                &prev);
		if (rc == CF_ENOTFOUND || (rc == CF_OK && prev.status != CF_AUCTION_SETTLED))
			return cf__fail(uc, CF_ECONFLICT, CF_SLUG_PREVIOUS_DRAW_UNSETTLED, "",
			                "the draw of installment %d is not settled",
			                (int)q->installment_no - 1);
		if (rc < 0)
			return rc;
	}
	memset(&a, 0, sizeof a);
	if ((rc = cf__uuid(uc->app, a.id)) < 0)
		return rc;
	memcpy(a.scheme_id, s.id, sizeof a.scheme_id);
	a.installment_no = q->installment_no;
	a.status = CF_AUCTION_SCHEDULED;
	a.scheduled_at_ms = q->scheduled_at_ms;
	a.opens_at_ms = q->opens_at_ms;
	a.closes_at_ms = q->closes_at_ms;
	cf__copy(a.created_by, sizeof a.created_by, uc->actor->user_id);
	a.created_at_ms = a.updated_at_ms = uc->now_ms;
	a.row_version = 1;
	rc = AR(uc)->insert(AR(uc)->self, uc->tx, &a);
	if (rc == CF_EEXISTS)
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_AUCTION_EXISTS, "installment_no",
		                "installment %d already has an auction", (int)q->installment_no);
	if (rc < 0 || (rc = make_view(uc, &a, &s, false, c->out)) < 0)
		return rc;
	return audit_auction(uc, "auction.create", &a, NULL);
}

int cf_auction_create(cf_app *app, const cf_actor *actor, const char *scheme_id,
                      const cf_auction_create_req *req, cf_auction_view *out, cf_error *err)
{
	create_ctx c = {scheme_id, req, out};
	int rc;

	memset(out, 0, sizeof *out);
	if (err)
		memset(err, 0, sizeof *err);
	if ((rc = need_ports(app, err)) < 0)
		return rc;
	if (req->scheduled_at_ms < 0 || req->opens_at_ms < 0)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION,
		                    req->opens_at_ms < 0 ? "opens_at" : "scheduled_at",
		                    "not a valid time");
	if (req->closes_at_ms < 0 || (req->closes_at_ms != 0 && req->opens_at_ms != 0 &&
	                              req->closes_at_ms <= req->opens_at_ms))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "closes_at",
		                    "closes_at must be after opens_at");
	rc = cf__run(app, actor, do_create, &c, err);
	if (rc < 0)
		cf_auction_view_free(out);
	return rc;
}

/* ---- open ---- */

typedef struct open_ctx {
	const char *id;
	cf_auction_view *out;
	bool ticker; /* skip silently when no longer scheduled */
	bool skipped;
} open_ctx;

static int do_open(cf_uc *uc, void *vctx)
{
	open_ctx *c = vctx;
	cf_auction_row a;
	cf_scheme s;
	uint8_t rnd[32];
	int rc;

	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if ((rc = load_auction(uc, c->id, true, &a, &s)) < 0 ||
	    (rc = require_manage(uc, &s, "auction")) < 0)
		return rc;
	if (a.status != CF_AUCTION_SCHEDULED) {
		if (c->ticker) {
			c->skipped = true;
			return CF_OK;
		}
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_CONFLICT, "",
		                "only a scheduled auction can be opened");
	}
	if ((rc = require_running(uc, &s)) < 0)
		return rc;
	if ((rc = uc->app->p.rng.fill(uc->app->p.rng.self, rnd, sizeof rnd)) < 0)
		return rc;
	cf_lot_seed_from_bytes(rnd, a.lot_seed);
	memset(rnd, 0, sizeof rnd);
	tl_digest = &uc->app->p.digest;
	tl_digest_failed = false;
	rc = cf_lot_commitment(a.lot_seed, bridge_sha256, a.lot_commitment);
	tl_digest = NULL;
	if (rc < 0 || tl_digest_failed)
		return CF_ERROR;
	a.status = CF_AUCTION_OPEN;
	a.opened_at_ms = uc->now_ms;
	a.updated_at_ms = uc->now_ms;
	if ((rc = AR(uc)->update(AR(uc)->self, uc->tx, &a)) < 0)
		return rc;
	if ((rc = make_view(uc, &a, &s, false, c->out)) < 0)
		return rc;
	{
		char extra[128];

		snprintf(extra, sizeof extra, "\"lot_commitment\":\"%s\"", a.lot_commitment);
		if ((rc = cf__notify_draw(uc, "auction_opened", a.scheme_id, a.id, a.installment_no,
		                          NULL)) < 0)
			return rc;
		return audit_auction(uc, "auction.open", &a, extra);
	}
}

int cf_auction_open(cf_app *app, const cf_actor *actor, const char *auction_id,
                    cf_auction_view *out, cf_error *err)
{
	open_ctx c = {auction_id, out, false, false};

	return run_view(app, actor, do_open, &c, out, err);
}

/* ---- bid ---- */

typedef struct bid_ctx {
	const char *id;
	const cf_bid_req *req;
	cf_bid_result *out;
} bid_ctx;

static int bids_of(const cf_bid_row_array *rows, cf_bid **out)
{
	*out = calloc(rows->count ? rows->count : 1, sizeof **out);
	if (*out == NULL)
		return CF_ENOMEM;
	for (size_t i = 0; i < rows->count; i++) {
		(*out)[i].ticket_no = rows->items[i].ticket_no;
		(*out)[i].discount = rows->items[i].discount;
	}
	return CF_OK;
}

static int bid_event(cf_uc *uc, const cf_auction_row *a, const cf_bid_row *b, bool sealed,
                     bool extended)
{
	dsb d = {0};
	char *json;
	int rc;

	dsb_fmt(&d, "{\"type\":\"bid\",\"auction_id\":\"%s\",\"seq\":%d,\"ticket_no\":%d", a->id,
	        (int)b->seq, (int)b->ticket_no);
	dsb_fmt(&d, ",\"discount\":%" PRId64 ",\"sealed\":%s,\"bid_count\":%d,\"placed_at\":",
	        b->discount.minor, sealed ? "true" : "false", (int)a->bid_count);
	dsb_time(&d, b->placed_at_ms);
	dsb_raw(&d, ",\"placed_at_ms\":");
	dsb_fmt(&d, "%" PRId64 ",\"closes_at\":", b->placed_at_ms);
	dsb_time(&d, a->closes_at_ms);
	dsb_raw(&d, "}");
	if ((json = dsb_take(&d)) == NULL)
		return CF_ENOMEM;
	rc = publish(uc, a->id, json);
	free(json);
	if (rc < 0 || !extended)
		return rc;
	dsb_fmt(&d, "{\"type\":\"extended\",\"auction_id\":\"%s\",\"seq\":%d,\"closes_at\":", a->id,
	        (int)b->seq);
	dsb_time(&d, a->closes_at_ms);
	dsb_raw(&d, "}");
	if ((json = dsb_take(&d)) == NULL)
		return CF_ENOMEM;
	rc = publish(uc, a->id, json);
	free(json);
	return rc;
}

/*
 * Check the bid against auction row a. With the version 2 port only the
 * facts cf_draw_check_bid can use are read: the standing bid (on the row)
 * and, when it can matter (sealed: the ticket bid already; a bid at a
 * standing ceiling: the ticket joined the tie already), the bidding ticket's
 * highest bid (one indexed lookup); they are handed
 * to it as a list it decides on exactly as on every bid: the standing bid
 * under ticket_no 0 (no ticket has it, so it only sets the standing) and the
 * ticket's highest bid (the ticket has a bid at all, and at the ceiling iff
 * its highest one is there; it never beats the standing). Without the method
 * every bid is listed. CF_ERULE with *why; CF_OK: to be accepted.
 */
static int check_bid(cf_uc *uc, const cf_auction_row *a, const cf_draw *d,
                     const cf_ticket_state *states, size_t n, cf_bid bid, cf_rule *why)
{
	bool is_open = a->status == CF_AUCTION_OPEN &&
	               !(a->closes_at_ms != 0 && uc->now_ms >= a->closes_at_ms);
	cf_bid_row_array rows = {0};
	cf_bid *bids = NULL, few[2];
	size_t nfew = 0;
	bool found = false;
	cf_money max = cf_money_of(0);
	int rc;

	if (!is_open || AR(uc)->version < 2 || AR(uc)->bid_ticket_max == NULL) {
		if (is_open && ((rc = AR(uc)->bid_list(AR(uc)->self, uc->tx, a->id, &rows)) < 0 ||
		                (rc = bids_of(&rows, &bids)) < 0))
			goto out;
		rc = cf_draw_check_bid(d, is_open, states, n, bids, rows.count, bid, why);
		goto out;
	}
	if (a->has_standing)
		few[nfew++] = (cf_bid){0, a->standing_discount};
	/* the ticket's own bids matter only under sealed, or joining a ceiling tie */
	if (d->method == CF_METHOD_SEALED ||
	    (a->has_standing && a->standing_discount.minor == d->ceiling.minor &&
	     bid.discount.minor == d->ceiling.minor)) {
		rc = AR(uc)->bid_ticket_max(AR(uc)->self, uc->tx, a->id, bid.ticket_no, &found,
		                            &max);
		if (rc < 0)
			goto out;
	}
	if (found)
		few[nfew++] = (cf_bid){bid.ticket_no, max};
	rc = cf_draw_check_bid(d, is_open, states, n, few, nfew, bid, why);
out:
	free(bids);
	cf_bid_row_array_free(&rows);
	return rc;
}

/* Append bid b and store auction row a (one statement when the port can). */
static int append_bid(cf_uc *uc, const cf_bid_row *b, cf_auction_row *a)
{
	int rc;

	if (AR(uc)->version >= 2 && AR(uc)->bid_append != NULL)
		return AR(uc)->bid_append(AR(uc)->self, uc->tx, b, a);
	if ((rc = AR(uc)->bid_insert(AR(uc)->self, uc->tx, b)) < 0)
		return rc;
	return AR(uc)->update(AR(uc)->self, uc->tx, a);
}

/*
 * Lock auction row *a (SELECT ... FOR UPDATE) and, when another bid was
 * accepted since *a was read, check the bid again on the row as locked.
 */
static int relock(cf_uc *uc, cf_auction_row *a, const cf_draw *d, const cf_ticket_state *states,
                  size_t n, cf_bid bid, cf_rule *why)
{
	cf_auction_row locked;
	int rc = AR(uc)->lock(AR(uc)->self, uc->tx, a->id, &locked);

	if (rc == CF_ENOTFOUND)
		return not_found(uc, "auction");
	if (rc < 0)
		return rc;
	if (locked.row_version != a->row_version) {
		*a = locked;
		return check_bid(uc, a, d, states, n, bid, why);
	}
	*a = locked;
	return CF_OK;
}

/*
 * A bid is checked twice: first on the auction row as read without a lock,
 * so that a bid that cannot win (the common refusal under contention) is
 * refused without waiting for the row lock, writing or auditing anything;
 * then, when it passed, under the row lock (SELECT ... FOR UPDATE) against
 * the row as it is now, when another bid was accepted in between. Either
 * refusal is the one the bid would get at that instant: the standing bid
 * and the bids of a ticket only grow and a closed auction stays closed.
 * (Appending with an optimistic row_version check instead of the lock was
 * measured slower under contention: in PostgreSQL a waiting UPDATE locks
 * the newer row version before it finds the version changed, and keeps
 * that lock until its transaction ends.)
 */
static int do_bid(cf_uc *uc, void *vctx)
{
	bid_ctx *c = vctx;
	cf_bid_result *out = c->out;
	cf_auction_row a, next;
	cf_scheme s;
	cf_ticket_array tickets = {0};
	cf_ticket_state *states = NULL;
	const cf_ticket *holder = NULL;
	cf_draw d;
	cf_rule why = CF_RULE_NONE;
	cf_bid_row *b = &out->bid;
	cf_bid bid = {c->req->ticket_no, c->req->discount};
	bool proxy = false;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if (!cf__is_uuid(c->id))
		return not_found(uc, "auction");
	rc = AR(uc)->get(AR(uc)->self, uc->tx, c->id, &a);
	if (rc == CF_ENOTFOUND)
		return not_found(uc, "auction");
	if (rc < 0 || (rc = cf__load_scheme(uc, a.scheme_id, &s)) < 0)
		return rc;
	rc = uc->app->p.tickets.list_by_scheme(uc->app->p.tickets.self, uc->tx, s.id, &tickets);
	if (rc < 0)
		return rc;
	/* require_read on the list at hand: a subscriber needs a ticket in it */
	if (uc->actor->role == CF_ROLE_SUBSCRIBER && s.status != CF_SCHEME_ENROLLING) {
		bool ok = false;

		for (size_t i = 0; i < tickets.count && !ok; i++)
			ok = strcmp(tickets.items[i].user_id, uc->actor->user_id) == 0;
		if (!ok) {
			rc = not_found(uc, "auction");
			goto out;
		}
	}
	if ((rc = require_running(uc, &s)) < 0 ||
	    (rc = states_of(uc, &s, business_date(uc->now_ms), &tickets, &states)) < 0)
		goto out;
	for (size_t i = 0; i < tickets.count; i++)
		if (tickets.items[i].ticket_no == c->req->ticket_no)
			holder = &tickets.items[i];
	if (uc->actor->role == CF_ROLE_SUBSCRIBER) {
		if (holder != NULL && strcmp(holder->user_id, uc->actor->user_id) != 0) {
			rc = cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "ticket_no",
			              "you may bid only for your own tickets");
			goto out;
		}
	} else if (is_manager(uc, &s)) {
		proxy = holder == NULL || strcmp(holder->user_id, uc->actor->user_id) != 0;
	} else {
		rc = cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		              "only a ticket's holder or the scheme's foreman may bid");
		goto out;
	}
	if ((rc = draw_of(uc, &s, a.installment_no, &d)) < 0)
		goto out;
	rc = check_bid(uc, &a, &d, states, tickets.count, bid, &why);
	if (rc == CF_OK) /* passed on the unlocked row: now under the lock */
		rc = relock(uc, &a, &d, states, tickets.count, bid, &why);
	if (rc == CF_ERULE) {
		rc = cf_error_rule(uc->err, why, why == CF_RULE_AUCTION_NOT_OPEN ? "" : NULL);
		goto out;
	}
	if (rc < 0 || (rc = cf__uuid(uc->app, b->id)) < 0)
		goto out;
	memcpy(b->auction_id, a.id, sizeof b->auction_id);
	b->seq = a.bid_count + 1;
	b->ticket_no = c->req->ticket_no;
	b->discount = c->req->discount;
	b->placed_at_ms = uc->now_ms;
	cf__copy(b->bidder_id, sizeof b->bidder_id, holder ? holder->user_id : "");
	if (proxy)
		cf__copy(b->proxy_by, sizeof b->proxy_by, uc->actor->user_id);
	next = a;
	next.bid_count = b->seq;
	if (!next.has_standing || b->discount.minor > next.standing_discount.minor)
		next.standing_discount = b->discount;
	next.has_standing = true;
	if (next.closes_at_ms != 0 && next.closes_at_ms - uc->now_ms <= anti_sniping_ms(uc->app)) {
		next.closes_at_ms += anti_sniping_ms(uc->app);
		next.extensions++;
		out->extended = true;
	}
	next.updated_at_ms = uc->now_ms;
	if ((rc = append_bid(uc, b, &next)) < 0)
		goto out;
	a = next;
	out->closes_at_ms = a.closes_at_ms;
	out->sealed = s.params.auction_method == CF_METHOD_SEALED;
	{
		char extra[256];

		snprintf(extra, sizeof extra,
		         "\"bid\":{\"seq\":%d,\"ticket_no\":%d,\"discount\":%" PRId64
		         ",\"proxy_by\":%s%s%s}",
		         (int)b->seq, (int)b->ticket_no, b->discount.minor, proxy ? "\"" : "",
		         proxy ? b->proxy_by : "null", proxy ? "\"" : "");
		if ((rc = audit_auction(uc, "auction.bid", &a, extra)) < 0)
			goto out;
	}
	rc = bid_event(uc, &a, b, out->sealed, out->extended);
out:
	free(states);
	cf_ticket_array_free(&tickets);
	return rc;
}

int cf_auction_bid(cf_app *app, const cf_actor *actor, const char *auction_id,
                   const cf_bid_req *req, cf_bid_result *out, cf_error *err)
{
	bid_ctx c = {auction_id, req, out};
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = run_uc(app, actor, do_bid, &c, err)) < 0)
		memset(out, 0, sizeof *out);
	return rc;
}

/* ---- get / list ---- */

typedef struct get_ctx {
	const char *id;
	cf_auction_view *out;
} get_ctx;

static int do_get(cf_uc *uc, void *vctx)
{
	get_ctx *c = vctx;
	cf_auction_row a;
	cf_scheme s;
	int rc;

	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if ((rc = load_auction(uc, c->id, false, &a, &s)) < 0)
		return rc;
	return make_view(uc, &a, &s, true, c->out);
}

int cf_auction_get(cf_app *app, const cf_actor *actor, const char *auction_id, cf_auction_view *out,
                   cf_error *err)
{
	get_ctx c = {auction_id, out};

	return run_view(app, actor, do_get, &c, out, err);
}

typedef struct list_ctx {
	const char *scheme_id;
	int32_t after;
	size_t limit;
	cf_auction_page *out;
} list_ctx;

static int do_list(cf_uc *uc, void *vctx)
{
	list_ctx *c = vctx;
	cf_auction_row_array rows = {0};
	cf_scheme s;
	int rc;

	cf_auction_page_free(c->out);
	c->out->next_cursor[0] = '\0';
	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if ((rc = cf__load_scheme(uc, c->scheme_id, &s)) < 0 ||
	    (rc = require_read(uc, &s, "scheme")) < 0)
		return rc;
	rc = AR(uc)->list_by_scheme(AR(uc)->self, uc->tx, s.id, c->after, c->limit + 1, &rows);
	if (rc < 0)
		return rc;
	if (rows.count > c->limit) {
		rows.count = c->limit;
		snprintf(c->out->next_cursor, sizeof c->out->next_cursor, "i%d",
		         (int)rows.items[rows.count - 1].installment_no);
	}
	c->out->items = calloc(rows.count ? rows.count : 1, sizeof *c->out->items);
	if (c->out->items == NULL) {
		cf_auction_row_array_free(&rows);
		return CF_ENOMEM;
	}
	for (size_t i = 0; i < rows.count; i++) {
		if ((rc = make_view(uc, &rows.items[i], &s, false, &c->out->items[i])) < 0)
			break;
		c->out->count = i + 1;
	}
	cf_auction_row_array_free(&rows);
	return rc;
}

int cf_auction_list(cf_app *app, const cf_actor *actor, const char *scheme_id, size_t limit,
                    const char *cursor, cf_auction_page *out, cf_error *err)
{
	list_ctx c = {scheme_id, 0, 0, out};
	int64_t after = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if (err)
		memset(err, 0, sizeof *err);
	if ((rc = need_ports(app, err)) < 0 || (rc = cf__limit(limit, &c.limit, err)) < 0 ||
	    (rc = cf__cursor_seq(cursor, 'i', &after, err)) < 0)
		return rc;
	if (after < 0 || after > 100000)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "cursor",
		                    "invalid cursor");
	c.after = (int32_t)after;
	rc = cf__run(app, actor, do_list, &c, err);
	if (rc < 0)
		cf_auction_page_free(out);
	return rc;
}

/* ---- settlement JSON (close response, minutes, closed event) ---- */

static void result_json(dsb *d, const cf_auction_result *r)
{
	const cf_settlement *s = &r->s;

	dsb_fmt(d, "{\"auction_id\":\"%s\",\"installment_no\":%d,\"winner_ticket_no\":%d",
	        r->auction_id, (int)r->installment_no, (int)s->winner_ticket_no);
	dsb_fmt(d,
	        ",\"discount\":%" PRId64 ",\"commission\":%" PRId64
	        ",\"gst_on_commission\":%" PRId64,
	        s->discount.minor, s->commission.minor, s->gst_on_commission.minor);
	dsb_fmt(d,
	        ",\"dividend_total\":%" PRId64 ",\"dividend_per_ticket\":%" PRId64
	        ",\"dividend_shares\":%d",
	        s->dividend_total.minor, s->dividend_per_ticket.minor, (int)s->dividend_shares);
	dsb_fmt(d,
	        ",\"carried_in\":%" PRId64 ",\"remainder_carried\":%" PRId64
	        ",\"remainder_to_foreman\":%s",
	        s->carried_in.minor, s->remainder_carried.minor,
	        s->remainder_to_foreman ? "true" : "false");
	dsb_fmt(d, ",\"prize_amount\":%" PRId64 ",\"net_payout\":%" PRId64, s->prize_amount.minor,
	        s->net_payout.minor);
	if (s->net_subscription_known)
		dsb_fmt(d, ",\"net_subscription\":%" PRId64, s->net_subscription.minor);
	else
		dsb_raw(d, ",\"net_subscription\":null");
	if (s->dividend_applies_to_installment > 0)
		dsb_fmt(d, ",\"dividend_applies_to_installment\":%d",
		        (int)s->dividend_applies_to_installment);
	else
		dsb_raw(d, ",\"dividend_applies_to_installment\":null");
	dsb_fmt(d, ",\"decided_by\":\"%s\"", cf_decided_by_name(s->decided_by));
	if (r->has_lot)
		dsb_fmt(d, ",\"lot_proof\":{\"commitment\":\"%s\",\"seed\":\"%s\",\"candidates\":[",
		        r->lot_commitment, r->lot_seed);
	else
		dsb_raw(d, ",\"lot_proof\":null");
	if (r->has_lot) {
		dsb_raw(d, r->lot_candidates);
		dsb_fmt(d, "],\"index\":%d}", (int)r->lot_index);
	}
	{
		char date[16];

		if (cf_date_format(r->prize_due_by, date, sizeof date) >= 0)
			dsb_fmt(d, ",\"prize_due_by\":\"%s\"", date);
		else
			dsb_raw(d, ",\"prize_due_by\":null");
	}
	dsb_raw(d, ",\"settled_at\":");
	dsb_time(d, r->settled_at_ms);
	dsb_raw(d, "}");
}

int cf_auction_result_json(const cf_auction_result *r, char **out)
{
	dsb d = {0};

	result_json(&d, r);
	*out = dsb_take(&d);
	return *out ? CF_OK : CF_ENOMEM;
}

/* ---- close (settlement) ---- */

typedef struct close_ctx {
	const char *id;
	const cf_close_req *req;
	cf_auction_result *out;
	bool ticker;
	bool skipped;
} close_ctx;

static int user_name(cf_uc *uc, const char *id, char *out, size_t cap)
{
	cf_user_row *u;
	int rc;

	cf__copy(out, cap, "");
	if (!cf__is_uuid(id))
		return CF_OK;
	if ((u = malloc(sizeof *u)) == NULL)
		return CF_ENOMEM;
	rc = uc->app->p.users.get(uc->app->p.users.self, uc->tx, id, u);
	if (rc == CF_OK)
		cf__copy(out, cap, u->full_name);
	free(u);
	return rc == CF_ENOTFOUND ? CF_OK : rc;
}

static void money_text(cf_money m, char *buf, size_t cap)
{
	if (cf_money_format(m, CF_MONEY_PLAIN, buf, cap) < 0)
		snprintf(buf, cap, "%" PRId64, m.minor);
}

/* Minutes (s.17) as JSON and printable text. */
static int build_minutes(cf_uc *uc, const cf_auction_row *a, const cf_scheme *s,
                         const cf_bid_row_array *bids, const cf_auction_result *r,
                         const char *place, const char *const *present, size_t npresent,
                         char **json, char **text)
{
	dsb j = {0}, t = {0};
	char fname[CF_NAME_SIZE], name[CF_NAME_SIZE], when[32], m1[40], m2[40];
	const cf_settlement *st = &r->s;
	int rc;

	*json = *text = NULL;
	if ((rc = user_name(uc, s->foreman_id, fname, sizeof fname)) < 0)
		return rc;
	dsb_fmt(&j, "{\"auction_id\":\"%s\",\"scheme_id\":\"%s\",\"scheme_name\":", a->id, s->id);
	dsb_json(&j, s->name);
	dsb_raw(&j, ",\"registration_no\":");
	dsb_json(&j, s->registration_no);
	dsb_fmt(&j,
	        ",\"installment_no\":%d,\"method\":\"%s\",\"started_at\":", (int)a->installment_no,
	        cf_auction_method_name(s->params.auction_method));
	dsb_time(&j, a->opened_at_ms);
	dsb_raw(&j, ",\"ended_at\":");
	dsb_time(&j, r->settled_at_ms);
	dsb_raw(&j, ",\"place\":");
	dsb_json(&j, place);
	dsb_raw(&j, ",\"present\":[");

	dsb_raw(&t, "MINUTES OF THE DRAW (Chit Funds Act, 1982, s.17)\n\n");
	dsb_raw(&t, "Scheme:            ");
	dsb_raw(&t, s->name);
	dsb_fmt(&t, "\nRegistration no.:  %s\nInstallment:       %d of %d\nMethod:            %s\n",
	        s->registration_no, (int)a->installment_no, (int)s->params.member_count,
	        cf_auction_method_name(s->params.auction_method));
	cf_time_format(a->opened_at_ms, when, sizeof when);
	dsb_fmt(&t, "Started:           %s\n", a->opened_at_ms ? when : "-");
	cf_time_format(r->settled_at_ms, when, sizeof when);
	dsb_fmt(&t, "Ended:             %s\nPlace:             ", when);
	dsb_raw(&t, place);
	dsb_raw(&t, "\n\nSubscribers present:\n");
	for (size_t i = 0; i < npresent; i++) {
		if ((rc = user_name(uc, present[i], name, sizeof name)) < 0)
			goto fail;
		dsb_fmt(&j, "%s{\"user_id\":", i ? "," : "");
		dsb_json(&j, present[i]);
		dsb_raw(&j, ",\"full_name\":");
		dsb_json(&j, name);
		dsb_raw(&j, "}");
		dsb_fmt(&t, "  - %s (%s)\n", name[0] ? name : "(unknown)", present[i]);
	}
	if (npresent == 0)
		dsb_raw(&t, "  (none recorded)\n");
	dsb_raw(&j, "],\"bids\":[");
	dsb_raw(&t, "\nBids in the order received:\n");
	for (size_t i = 0; i < bids->count; i++) {
		const cf_bid_row *b = &bids->items[i];

		dsb_fmt(&j,
		        "%s{\"seq\":%d,\"ticket_no\":%d,\"discount\":%" PRId64 ",\"placed_at\":",
		        i ? "," : "", (int)b->seq, (int)b->ticket_no, b->discount.minor);
		dsb_time(&j, b->placed_at_ms);
		dsb_raw(&j, ",\"proxy_by\":");
		if (b->proxy_by[0])
			dsb_json(&j, b->proxy_by);
		else
			dsb_raw(&j, "null");
		dsb_raw(&j, "}");
		cf_time_format(b->placed_at_ms, when, sizeof when);
		money_text(b->discount, m1, sizeof m1);
		dsb_fmt(&t, "  %3d. %s  ticket %d  discount %s%s\n", (int)b->seq, when,
		        (int)b->ticket_no, m1,
		        b->proxy_by[0] ? "  (proxy bid by the foreman)" : "");
	}
	if (bids->count == 0)
		dsb_raw(&t, "  (no bids)\n");
	dsb_raw(&j, "],\"result\":");
	result_json(&j, r);
	dsb_fmt(&j, ",\"lot_commitment\":\"%s\",\"lot_seed\":\"%s\"", r->lot_commitment,
	        r->lot_seed);
	dsb_raw(&j, ",\"lot_proof\":");
	if (r->has_lot) {
		dsb_fmt(&j,
		        "{\"commitment\":\"%s\",\"seed\":\"%s\",\"candidates\":[%s],\"index\":%d}",
		        r->lot_commitment, r->lot_seed, r->lot_candidates, (int)r->lot_index);
	} else {
		dsb_raw(&j, "null");
	}
	dsb_raw(&j, ",\"earlier_unpaid_prize\":\"none: re-holding a draw is not supported\"");
	dsb_fmt(&j, ",\"foreman\":{\"user_id\":\"%s\",\"full_name\":", s->foreman_id);
	dsb_json(&j, fname);
	dsb_raw(&j, "}}");

	dsb_fmt(&t, "\nResult:\n  Decided by:        %s\n  Winner:            ticket %d\n",
	        cf_decided_by_name(st->decided_by), (int)st->winner_ticket_no);
	money_text(st->discount, m1, sizeof m1);
	dsb_fmt(&t, "  Discount:          %s\n", m1);
	money_text(st->commission, m1, sizeof m1);
	money_text(st->gst_on_commission, m2, sizeof m2);
	dsb_fmt(&t, "  Commission:        %s (GST %s)\n", m1, m2);
	money_text(st->dividend_per_ticket, m1, sizeof m1);
	money_text(st->dividend_total, m2, sizeof m2);
	dsb_fmt(&t, "  Dividend:          %s per ticket x %d = %s\n", m1, (int)st->dividend_shares,
	        m2);
	money_text(st->remainder_carried, m1, sizeof m1);
	dsb_fmt(&t, "  Remainder:         %s %s\n", m1,
	        st->remainder_to_foreman ? "(to the foreman's rounding account)"
	                                 : "(carried to the next draw)");
	money_text(st->prize_amount, m1, sizeof m1);
	money_text(st->net_payout, m2, sizeof m2);
	dsb_fmt(&t, "  Prize amount:      %s (net payout %s)\n", m1, m2);
	dsb_fmt(&t, "  Lot commitment:    %s\n  Lot seed:          %s\n",
	        r->lot_commitment[0] ? r->lot_commitment : "-", r->lot_seed[0] ? r->lot_seed : "-");
	if (r->has_lot)
		dsb_fmt(&t, "  Lot candidates:    %s (index %d)\n", r->lot_candidates,
		        (int)r->lot_index);
	dsb_raw(&t, "  Earlier unpaid prize: none (re-holding a draw is not supported)\n");
	dsb_raw(&t, "\nSigned: ______________________\n        ");
	dsb_raw(&t, fname[0] ? fname : "(foreman)");
	dsb_raw(&t, ", Foreman\n");
	*json = dsb_take(&j);
	*text = dsb_take(&t);
	if (*json == NULL || *text == NULL) {
		free(*json);
		free(*text);
		*json = *text = NULL;
		return CF_ENOMEM;
	}
	return CF_OK;
fail:
	free(dsb_take(&j));
	free(dsb_take(&t));
	return rc;
}

/* Candidates "3,7,12" text. */
static void candidates_text(const int32_t *c, size_t n, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && len < cap; i++) {
		int w = snprintf(buf + len, cap - len, "%s%d", i ? "," : "", (int)c[i]);

		if (w < 0 || (size_t)w >= cap - len)
			break;
		len += (size_t)w;
	}
}

static int post_lines(cf_uc *uc, const cf_scheme *s, const char *event, const cf_posting *p,
                      size_t n)
{
	cf_ledger_line *lines;
	char event_id[CF_ID_SIZE];
	int rc;

	if (n == 0)
		return CF_OK;
	if (!cf_ledger_balanced(p, n))
		return cf__fail(uc, CF_ERROR, "internal-error", "", "ledger lines do not balance");
	if ((rc = cf__uuid(uc->app, event_id)) < 0)
		return rc;
	if ((lines = calloc(n, sizeof *lines)) == NULL)
		return CF_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		memcpy(lines[i].event_id, event_id, sizeof event_id);
		cf__copy(lines[i].event, sizeof lines[i].event, event);
		memcpy(lines[i].scheme_id, s->id, sizeof lines[i].scheme_id);
		if ((rc = cf_account_format(p[i].account, lines[i].account,
		                            sizeof lines[i].account)) < 0)
			break;
		lines[i].amount = p[i].amount;
		lines[i].posted_at_ms = uc->now_ms;
	}
	if (rc >= 0)
		rc = uc->app->p.ledger.post(uc->app->p.ledger.self, uc->tx, lines, n);
	free(lines);
	return rc;
}

static int do_close(cf_uc *uc, void *vctx)
{
	close_ctx *c = vctx;
	cf_auction_result *r = c->out;
	cf_settlement *st = &r->s;
	cf_auction_row a, prev;
	cf_scheme s;
	cf_ticket_array tickets = {0};
	cf_ticket_state *states = NULL;
	cf_bid_row_array rows = {0};
	cf_bid *bids = NULL;
	int32_t *cands = NULL, *sharing = NULL;
	cf_posting *post = NULL;
	cf_dividend_credit *credits = NULL;
	const char **present = NULL;
	size_t npresent = 0, nshare = 0, ncredits = 0, npost = 0, cap;
	char *minutes_json = NULL, *minutes_text = NULL;
	cf_draw d;
	cf_draw_outcome o;
	cf_settlement_input in;
	cf_rule why = CF_RULE_NONE;
	int rc;

	memset(r, 0, sizeof *r);
	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if ((rc = load_auction(uc, c->id, true, &a, &s)) < 0 ||
	    (rc = require_manage(uc, &s, "auction")) < 0)
		return rc;
	if (a.status != CF_AUCTION_OPEN) {
		if (c->ticker) {
			c->skipped = true;
			return CF_OK;
		}
		return cf__fail(uc, CF_ECONFLICT, CF_SLUG_AUCTION_NOT_OPEN, "",
		                a.status == CF_AUCTION_SETTLED ? "the auction is already settled"
		                                               : "the auction is not open");
	}
	if ((rc = require_running(uc, &s)) < 0)
		return rc;
	if ((rc = ticket_states(uc, &s, business_date(uc->now_ms), &tickets, &states)) < 0)
		return rc;
	cap = tickets.count ? tickets.count : 1;
	cands = calloc(cap, sizeof *cands);
	sharing = calloc(cap, sizeof *sharing);
	credits = calloc(cap * 2, sizeof *credits);
	post = calloc(cap + 8, sizeof *post);
	if (cands == NULL || sharing == NULL || credits == NULL || post == NULL) {
		rc = CF_ENOMEM;
		goto out;
	}
	if ((rc = draw_of(uc, &s, a.installment_no, &d)) < 0)
		goto out;
	if ((rc = AR(uc)->bid_list(AR(uc)->self, uc->tx, a.id, &rows)) < 0 ||
	    (rc = bids_of(&rows, &bids)) < 0)
		goto out;
	/* 1. the winner */
	rc = cf_draw_decide(&d, states, tickets.count, bids, rows.count, cands, cap, &o, &why);
	if (rc == CF_ERULE) {
		rc = cf_error_rule(uc->err, why, "");
		goto out;
	}
	if (rc < 0)
		goto out;
	memcpy(r->lot_commitment, a.lot_commitment, sizeof r->lot_commitment);
	memcpy(r->lot_seed, a.lot_seed, sizeof r->lot_seed);
	if (o.needs_lot) {
		cf_lot_proof proof;

		tl_digest = &uc->app->p.digest;
		tl_digest_failed = false;
		rc = cf_lot_draw(a.lot_seed, a.id, cands, o.candidate_count, bridge_sha256, &proof);
		tl_digest = NULL;
		if (rc < 0 || tl_digest_failed) {
			rc = cf__fail(uc, CF_ERROR, "internal-error", "",
			              "the lot could not be drawn");
			goto out;
		}
		if ((rc = cf_draw_apply_lot(&o, cands, proof.index)) < 0)
			goto out;
		r->has_lot = true;
		r->lot_index = (int32_t)proof.index;
		candidates_text(cands, o.candidate_count, r->lot_candidates,
		                sizeof r->lot_candidates);
	}
	/* 2. the amounts */
	memset(&in, 0, sizeof in);
	in.draw_no = a.installment_no;
	in.winner_ticket_no = o.winner_ticket_no;
	in.decided_by = o.decided_by;
	in.discount = o.discount;
	in.carried_in = cf_money_of(0);
	if (a.installment_no > 1) {
		cf_auction_result *pr = malloc(sizeof *pr);

		if (pr == NULL) {
			rc = CF_ENOMEM;
			goto out;
		}
		rc = AR(uc)->get_by_installment(AR(uc)->self, uc->tx, s.id, a.installment_no - 1,
		                                &prev);
		if (rc == CF_OK)
			rc = AR(uc)->result_get(AR(uc)->self, uc->tx, prev.id, pr);
		if (rc == CF_OK && !pr->s.remainder_to_foreman)
			in.carried_in = pr->s.remainder_carried;
		free(pr);
		if (rc == CF_ENOTFOUND)
			rc = CF_OK; /* no earlier draw recorded: nothing carried */
		if (rc < 0)
			goto out;
	}
	for (size_t i = 0; i < tickets.count; i++)
		if (cf_ticket_shares(s.params.dividend_policy, &states[i], o.winner_ticket_no))
			sharing[nshare++] = states[i].ticket_no;
	in.shares = (int32_t)nshare;
	if ((rc = cf_settle_draw(&s.params, &in, st)) < 0 ||
	    (rc = cf_settlement_check(&s.params, st)) < 0) {
		rc = cf__fail(uc, rc == CF_EOVERFLOW ? CF_EOVERFLOW : CF_ERROR, "internal-error",
		              "", "the settlement does not balance");
		goto out;
	}
	memcpy(r->auction_id, a.id, sizeof r->auction_id);
	memcpy(r->scheme_id, s.id, sizeof r->scheme_id);
	r->installment_no = a.installment_no;
	r->settled_at_ms = uc->now_ms;
	{
		cf_date today = business_date(uc->now_ms), next;

		r->prize_due_by = cf_date_add_days(today, 7);
		if (a.installment_no < s.params.member_count &&
		    cf_schedule_due_date(s.params.start_date, s.params.frequency,
		                         a.installment_no + 1, &next) == CF_OK &&
		    cf_date_cmp(next, r->prize_due_by) < 0 && cf_date_cmp(next, today) >= 0)
			r->prize_due_by = next;
	}
	/* 3. the prized ticket */
	{
		cf_ticket t;

		rc = uc->app->p.tickets.get(uc->app->p.tickets.self, uc->tx, s.id,
		                            o.winner_ticket_no, &t);
		if (rc < 0)
			goto out;
		t.prized = true;
		t.prized_installment_no = a.installment_no;
		t.updated_at_ms = uc->now_ms;
		if ((rc = uc->app->p.tickets.update(uc->app->p.tickets.self, uc->tx, &t)) < 0)
			goto out;
	}
	/* 4. dividend credits: to the installment the dividend lowers, the excess to the advance */
	if (st->dividend_per_ticket.minor > 0) {
		int64_t to_inst = st->dividend_per_ticket.minor - st->advance_per_share.minor;

		for (size_t i = 0; i < nshare; i++) {
			cf_dividend_credit base;

			memset(&base, 0, sizeof base);
			memcpy(base.scheme_id, s.id, sizeof base.scheme_id);
			memcpy(base.auction_id, a.id, sizeof base.auction_id);
			base.ticket_no = sharing[i];
			base.created_at_ms = uc->now_ms;
			if (to_inst > 0 && st->dividend_applies_to_installment > 0) {
				credits[ncredits] = base;
				credits[ncredits].installment_no =
				        st->dividend_applies_to_installment;
				credits[ncredits++].amount = cf_money_of(to_inst);
			}
			if (st->advance_per_share.minor > 0) {
				credits[ncredits] = base;
				credits[ncredits].installment_no = 0;
				credits[ncredits++].amount = st->advance_per_share;
			}
		}
	}
	if ((rc = AR(uc)->credit_insert(AR(uc)->self, uc->tx, credits, ncredits)) < 0)
		goto out;
	/* 5. ledger: the draw, then GST */
	{
		cf_draw_posting dp;

		memset(&dp, 0, sizeof dp);
		dp.chit_value = s.params.chit_value;
		dp.carried_in = st->carried_in;
		dp.winner_ticket = st->winner_ticket_no;
		dp.prize = st->prize_amount;
		dp.commission = st->commission;
		dp.dividend = st->dividend_per_ticket;
		dp.sharing = nshare ? sharing : NULL;
		dp.sharing_count = nshare;
		dp.remainder = st->remainder_carried;
		dp.last_draw = st->remainder_to_foreman;
		if ((rc = cf_ledger_draw(&dp, post, cap + 8, &npost)) < 0 ||
		    (rc = post_lines(uc, &s, "draw", post, npost)) < 0)
			goto out;
		rc = cf_ledger_gst(st->winner_ticket_no, st->gst_on_commission,
		                   s.params.gst_borne_by == CF_GST_FOREMAN ? CF_LEDGER_GST_FOREMAN
		                                                           : CF_LEDGER_GST_WINNER,
		                   post, cap + 8, &npost);
		if (rc < 0 || (rc = post_lines(uc, &s, "gst", post, npost)) < 0)
			goto out;
	}
	/* 6. the result, the minutes, the auction */
	if ((rc = AR(uc)->result_insert(AR(uc)->self, uc->tx, r)) < 0)
		goto out;
	/* the money side (issue 5): the prize for payout, advances, the installment this draw
	 * fixes and its demand, completion -- in this same transaction */
	if ((rc = cf__dues_on_draw_settled(uc, &s, r, credits, ncredits)) < 0)
		goto out;
	if (c->req != NULL && c->req->present != NULL) {
		present =
		        calloc(c->req->present_count ? c->req->present_count : 1, sizeof *present);
		if (present == NULL) {
			rc = CF_ENOMEM;
			goto out;
		}
		for (size_t i = 0; i < c->req->present_count; i++)
			present[npresent++] = c->req->present[i];
	} else {
		present = calloc(rows.count ? rows.count : 1, sizeof *present);
		if (present == NULL) {
			rc = CF_ENOMEM;
			goto out;
		}
		for (size_t i = 0; i < rows.count; i++) {
			bool seen = rows.items[i].bidder_id[0] == '\0';

			for (size_t k = 0; k < npresent && !seen; k++)
				seen = strcmp(present[k], rows.items[i].bidder_id) == 0;
			if (!seen)
				present[npresent++] = rows.items[i].bidder_id;
		}
	}
	a.status = CF_AUCTION_SETTLED;
	a.closed_at_ms = uc->now_ms;
	a.updated_at_ms = uc->now_ms;
	rc = build_minutes(uc, &a, &s, &rows, r,
	                   c->req && c->req->place && c->req->place[0] ? c->req->place : "online",
	                   present, npresent, &minutes_json, &minutes_text);
	if (rc < 0 ||
	    (rc = AR(uc)->minutes_put(AR(uc)->self, uc->tx, a.id, minutes_json, minutes_text)) < 0)
		goto out;
	if ((rc = AR(uc)->update(AR(uc)->self, uc->tx, &a)) < 0)
		goto out;
	{
		char extra[512];

		snprintf(extra, sizeof extra,
		         "\"result\":{\"winner_ticket_no\":%d,\"decided_by\":\"%s\",\"discount\":"
		         "%" PRId64 ",\"prize_amount\":%" PRId64 ",\"dividend_per_ticket\":%" PRId64
		         ",\"remainder_carried\":%" PRId64 "}",
		         (int)st->winner_ticket_no, cf_decided_by_name(st->decided_by),
		         st->discount.minor, st->prize_amount.minor, st->dividend_per_ticket.minor,
		         st->remainder_carried.minor);
		if ((rc = cf__notify_draw(uc, "auction_settled", a.scheme_id, a.id,
		                          a.installment_no, extra)) < 0)
			goto out;
		if ((rc = audit_auction(uc, "auction.close", &a, extra)) < 0)
			goto out;
	}
	{
		dsb e = {0};
		char *json;

		dsb_fmt(&e,
		        "{\"type\":\"closed\",\"auction_id\":\"%s\",\"seq\":%d,\"result\":", a.id,
		        (int)a.bid_count + 1);
		result_json(&e, r);
		dsb_raw(&e, "}");
		if (e.len > 7000) { /* NOTIFY payloads are small: readers fetch the auction */
			free(dsb_take(&e));
			dsb_fmt(&e,
			        "{\"type\":\"closed\",\"auction_id\":\"%s\",\"seq\":%d,\"result\":"
			        "null}",
			        a.id, (int)a.bid_count + 1);
		}
		if ((json = dsb_take(&e)) == NULL) {
			rc = CF_ENOMEM;
			goto out;
		}
		rc = publish(uc, a.id, json);
		free(json);
	}
out:
	free(minutes_json);
	free(minutes_text);
	free(present);
	free(bids);
	cf_bid_row_array_free(&rows);
	free(cands);
	free(sharing);
	free(credits);
	free(post);
	free(states);
	cf_ticket_array_free(&tickets);
	return rc;
}

int cf_auction_close(cf_app *app, const cf_actor *actor, const char *auction_id,
                     const cf_close_req *req, cf_auction_result *out, cf_error *err)
{
	close_ctx c = {auction_id, req, out, false, false};
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = need_ports(app, err)) < 0)
		return rc;
	if (req != NULL && req->place != NULL && req->place[0] != '\0' &&
	    !cf__text_ok(req->place, 1, 128, CF_PLACE_SIZE))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "place",
		                    "place must be 1 to 128 characters");
	for (size_t i = 0; req != NULL && req->present != NULL && i < req->present_count; i++)
		if (!cf__is_uuid(req->present[i]))
			return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "present",
			                    "present must list user ids");
	rc = cf__run(app, actor, do_close, &c, err);
	if (rc < 0)
		memset(out, 0, sizeof *out);
	return rc;
}

/* ---- minutes ---- */

typedef struct minutes_ctx {
	const char *id;
	bool as_text;
	char **out;
} minutes_ctx;

static int do_minutes(cf_uc *uc, void *vctx)
{
	minutes_ctx *c = vctx;
	cf_auction_row a;
	cf_scheme s;
	int rc;

	free(*c->out);
	*c->out = NULL;
	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if ((rc = load_auction(uc, c->id, false, &a, &s)) < 0)
		return rc;
	if (uc->actor->role != CF_ROLE_SUBSCRIBER) { /* api.md: staff and members of the scheme */
		bool ok;
		if ((rc = is_staff(uc, &s, &ok)) < 0 ||
		    (!ok && (rc = cf__holds_ticket(uc, s.id, uc->actor->user_id, &ok)) < 0))
			return rc;
		if (!ok)
			return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
			                "only the scheme's staff and members read its minutes");
	}
	rc = AR(uc)->minutes_get(AR(uc)->self, uc->tx, a.id, c->as_text, c->out);
	if (rc == CF_ENOTFOUND)
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "",
		                "the draw has no minutes until it is settled");
	return rc;
}

int cf_auction_minutes(cf_app *app, const cf_actor *actor, const char *auction_id, bool as_text,
                       char **out, cf_error *err)
{
	minutes_ctx c = {auction_id, as_text, out};
	int rc;

	*out = NULL;
	if ((rc = run_uc(app, actor, do_minutes, &c, err)) < 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- ticker ---- */

typedef struct due_ctx {
	cf_auction_row_array rows;
} due_ctx;

static int do_due(cf_uc *uc, void *vctx)
{
	due_ctx *c = vctx;

	cf_auction_row_array_free(&c->rows);
	return AR(uc)->list_due(AR(uc)->self, uc->tx, uc->now_ms, 64, &c->rows);
}

int cf_auction_tick(cf_app *app, size_t *opened, size_t *closed, cf_error *err)
{
	cf_actor sys;
	due_ctx due;
	int rc;

	if (opened)
		*opened = 0;
	if (closed)
		*closed = 0;
	if ((rc = need_ports(app, err)) < 0)
		return rc;
	memset(&sys, 0, sizeof sys);
	sys.role = CF_ROLE_SYSTEM;
	cf__copy(sys.request_id, sizeof sys.request_id, "auction-ticker");
	memset(&due, 0, sizeof due);
	if ((rc = cf__run(app, &sys, do_due, &due, err)) < 0)
		return rc;
	for (size_t i = 0; i < due.rows.count; i++) {
		const cf_auction_row *a = &due.rows.items[i];
		cf_error e2 = CF_ERROR_INIT;

		if (a->status == CF_AUCTION_SCHEDULED) {
			cf_auction_view v;
			open_ctx oc = {a->id, &v, true, false};

			memset(&v, 0, sizeof v);
			if (cf__run(app, &sys, do_open, &oc, &e2) == CF_OK && !oc.skipped && opened)
				(*opened)++;
			cf_auction_view_free(&v);
		} else if (a->status == CF_AUCTION_OPEN) {
			cf_auction_result *r = malloc(sizeof *r);
			close_ctx cc = {a->id, NULL, r, true, false};

			if (r == NULL) {
				rc = CF_ENOMEM;
				break;
			}
			if (cf__run(app, &sys, do_close, &cc, &e2) == CF_OK && !cc.skipped &&
			    closed)
				(*closed)++;
			free(r);
		}
	}
	cf_auction_row_array_free(&due.rows);
	return rc < 0 ? cf_error_default(err, rc) : CF_OK;
}

/* ---- credits and ledger readers ---- */

typedef struct reader_ctx {
	const char *scheme_id;
	cf_dividend_credit_array *credits;
	cf_ledger_line_array *lines;
} reader_ctx;

static int do_reader(cf_uc *uc, void *vctx)
{
	reader_ctx *c = vctx;
	cf_scheme s;
	bool staff;
	int rc;

	if ((rc = cf__require_auth(uc)) < 0)
		return rc;
	if ((rc = cf__load_scheme(uc, c->scheme_id, &s)) < 0 ||
	    (rc = require_read(uc, &s, "scheme")) < 0 || (rc = is_staff(uc, &s, &staff)) < 0)
		return rc;
	if (!staff)
		return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "",
		                "only the scheme's staff may read this");
	if (c->credits) {
		cf_dividend_credit_array_free(c->credits);
		return AR(uc)->credit_list(AR(uc)->self, uc->tx, s.id, c->credits);
	}
	cf_ledger_line_array_free(c->lines);
	return uc->app->p.ledger.list_by_scheme(uc->app->p.ledger.self, uc->tx, s.id, c->lines);
}

int cf_scheme_dividend_credits(cf_app *app, const cf_actor *actor, const char *scheme_id,
                               cf_dividend_credit_array *out, cf_error *err)
{
	reader_ctx c = {scheme_id, out, NULL};
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = run_uc(app, actor, do_reader, &c, err)) < 0)
		cf_dividend_credit_array_free(out);
	return rc;
}

int cf_scheme_ledger(cf_app *app, const cf_actor *actor, const char *scheme_id,
                     cf_ledger_line_array *out, cf_error *err)
{
	reader_ctx c = {scheme_id, NULL, out};
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = run_uc(app, actor, do_reader, &c, err)) < 0)
		cf_ledger_line_array_free(out);
	return rc;
}

/* ---- lot re-check ---- */

int cf_lot_recheck(const char *commitment, const char *seed, const char *auction_id,
                   const int32_t *candidates, size_t count, size_t index, int32_t winner,
                   cf_digest_fn sha256)
{
	if (commitment == NULL || seed == NULL || auction_id == NULL || candidates == NULL ||
	    sha256 == NULL || count == 0 || index >= count || candidates[index] != winner)
		return CF_EINVALID;
	return cf_lot_verify(commitment, seed, auction_id, candidates, count, index, sha256);
}

/* ---- schedule rows ---- */

int cf__auction_schedule_fill(cf_uc *uc, const cf_scheme *s, cf_schedule_row *rows, size_t n)
{
	cf_auction_row_array as = {0};
	cf_auction_result_array rs = {0};
	int rc;

	if (uc->app->p.auctions.version == 0)
		return CF_OK;
	rc = AR(uc)->list_by_scheme(AR(uc)->self, uc->tx, s->id, 0, n + 1, &as);
	if (rc < 0)
		return rc;
	rc = AR(uc)->result_list_by_scheme(AR(uc)->self, uc->tx, s->id, &rs);
	if (rc < 0) {
		cf_auction_row_array_free(&as);
		return rc;
	}
	for (size_t i = 0; i < as.count; i++) {
		int32_t k = as.items[i].installment_no;

		if (k < 1 || (size_t)k > n)
			continue;
		switch (as.items[i].status) {
		case CF_AUCTION_SCHEDULED: rows[k - 1].status = CF_SCHEDULE_SCHEDULED; break;
		case CF_AUCTION_OPEN: rows[k - 1].status = CF_SCHEDULE_OPEN; break;
		case CF_AUCTION_SETTLED: rows[k - 1].status = CF_SCHEDULE_SETTLED; break;
		}
	}
	for (size_t i = 0; i < rs.count; i++) {
		const cf_settlement *st = &rs.items[i].s;
		int32_t k = rs.items[i].installment_no, j = st->dividend_applies_to_installment;

		if (k < 1 || (size_t)k > n)
			continue;
		rows[k - 1].has_discount = true;
		rows[k - 1].discount = st->discount;
		rows[k - 1].has_dividend_per_ticket = true;
		rows[k - 1].dividend_per_ticket = st->dividend_per_ticket;
		rows[k - 1].has_prized_ticket = true;
		rows[k - 1].prized_ticket = st->winner_ticket_no;
		if (j >= 1 && (size_t)j <= n && st->net_subscription_known) {
			rows[j - 1].has_net_subscription = true;
			rows[j - 1].net_subscription =
			        st->dividend_shares > 0 ? st->net_subscription : s->subscription;
		}
	}
	cf_auction_row_array_free(&as);
	cf_auction_result_array_free(&rs);
	return CF_OK;
}
