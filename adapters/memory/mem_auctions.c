/*
 * mem_auctions.c - the draw ports in memory: auctions, bids, results,
 * minutes, dividend credits, ledger lines, a recording event sink and a
 * fake overdue source. Wraps the memory store's unit of work to snapshot
 * and restore these tables with it.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/adapters/memory_auctions.h"
#include "chitfund/errors.h"
#include "mem_util.h"

typedef struct minutes_rec {
	char auction_id[CF_ID_SIZE];
	char *json;
	char *text;
} minutes_rec;

typedef struct overdue_rec {
	char scheme_id[CF_ID_SIZE];
	int32_t ticket_no;
} overdue_rec;

typedef struct event_rec {
	char *key;
	char *json;
} event_rec;

enum { A_AUCTIONS, A_BIDS, A_RESULTS, A_MINUTES, A_CREDITS, A_LEDGER, A_COUNT };

static const size_t a_size[A_COUNT] = {sizeof(cf_auction_row),     sizeof(cf_bid_row),
                                       sizeof(cf_auction_result),  sizeof(minutes_rec),
                                       sizeof(cf_dividend_credit), sizeof(cf_ledger_line)};

typedef struct atables {
	cf_mem_vec v[A_COUNT];
	int64_t ledger_seq;
} atables;

struct cf_memory_auctions {
	cf_mem_wrap w; /* its mutex is held from begin to commit/rollback */
	atables t, snap;
	cf_mem_vec pending; /* event_rec published in the open tx */
	cf_mem_vec events;  /* event_rec committed */
	cf_mem_vec overdue; /* overdue_rec */
	cf_memory_event_fn on_event;
	void *on_event_user;
	int fail_at, fail_code, calls;
};

#define ROWS(m, T, i) ((T *)(m)->t.v[i].items)
#define CNT(m, i)     ((m)->t.v[i].count)

static void minutes_free_all(cf_mem_vec *v)
{
	minutes_rec *r = (minutes_rec *)v->items;

	for (size_t i = 0; i < v->count; i++) {
		free(r[i].json);
		free(r[i].text);
	}
}

static void tables_free(atables *t)
{
	minutes_free_all(&t->v[A_MINUTES]);
	for (int i = 0; i < A_COUNT; i++) {
		free(t->v[i].items);
		memset(&t->v[i], 0, sizeof t->v[i]);
	}
}

static int tables_copy(atables *dst, const atables *src)
{
	memset(dst, 0, sizeof *dst);
	dst->ledger_seq = src->ledger_seq;
	for (int i = 0; i < A_COUNT; i++) {
		size_t n = src->v[i].count;

		if (n == 0)
			continue;
		if (cf_mem_vec_copy(&dst->v[i], &src->v[i], a_size[i]) < 0)
			goto oom;
		if (i == A_MINUTES) {
			minutes_rec *r = (minutes_rec *)dst->v[i].items;

			for (size_t k = 0; k < n; k++)
				r[k].json = r[k].text = NULL;
			for (size_t k = 0; k < n; k++) {
				const minutes_rec *s = &((const minutes_rec *)src->v[i].items)[k];

				r[k].json = strdup(s->json);
				r[k].text = strdup(s->text);
				if (r[k].json == NULL || r[k].text == NULL)
					goto oom;
			}
		}
	}
	return CF_OK;
oom:
	tables_free(dst);
	return CF_ENOMEM;
}

static void events_free(cf_mem_vec *v)
{
	event_rec *e = (event_rec *)v->items;

	for (size_t i = 0; i < v->count; i++) {
		free(e[i].key);
		free(e[i].json);
	}
	free(v->items);
	memset(v, 0, sizeof *v);
}

int cf_memory_auctions_new(cf_memory_auctions **out)
{
	return cf_mem_wrap_new(sizeof **out, offsetof(cf_memory_auctions, w), (void **)out);
}

void cf_memory_auctions_free(cf_memory_auctions *m)
{
	if (m == NULL)
		return;
	tables_free(&m->t);
	events_free(&m->pending);
	events_free(&m->events);
	free(m->overdue.items);
	cf_mem_wrap_free_obj(m, offsetof(cf_memory_auctions, w));
}

void cf_memory_auctions_on_event(cf_memory_auctions *m, cf_memory_event_fn fn, void *user)
{
	pthread_mutex_lock(&m->w.mu);
	m->on_event = fn;
	m->on_event_user = user;
	pthread_mutex_unlock(&m->w.mu);
}

size_t cf_memory_auctions_event_count(const cf_memory_auctions *m)
{
	return m->events.count;
}

const char *cf_memory_auctions_event(const cf_memory_auctions *m, size_t i)
{
	return i < m->events.count ? ((const event_rec *)m->events.items)[i].json : NULL;
}

int cf_memory_auctions_set_overdue(cf_memory_auctions *m, const char *scheme_id, int32_t ticket_no,
                                   bool overdue)
{
	overdue_rec *r;
	int rc = CF_OK;

	pthread_mutex_lock(&m->w.mu);
	r = (overdue_rec *)m->overdue.items;
	for (size_t i = 0; i < m->overdue.count; i++) {
		if (r[i].ticket_no == ticket_no && strcmp(r[i].scheme_id, scheme_id) == 0) {
			if (!overdue) {
				r[i] = r[m->overdue.count - 1];
				m->overdue.count--;
			}
			pthread_mutex_unlock(&m->w.mu);
			return CF_OK;
		}
	}
	if (overdue) {
		overdue_rec n;

		memset(&n, 0, sizeof n);
		strncpy(n.scheme_id, scheme_id, sizeof n.scheme_id - 1);
		n.ticket_no = ticket_no;
		rc = cf_mem_vec_push(&m->overdue, sizeof n, &n);
	}
	pthread_mutex_unlock(&m->w.mu);
	return rc;
}

int cf_memory_auctions_fail_call(cf_memory_auctions *m, int k, int code)
{
	int n;

	pthread_mutex_lock(&m->w.mu);
	n = m->calls;
	m->calls = 0;
	m->fail_at = k;
	m->fail_code = code;
	pthread_mutex_unlock(&m->w.mu);
	return n;
}

/* ---- the wrapped unit of work ---- */

static int snapshot(void *self)
{
	cf_memory_auctions *m = self;

	return tables_copy(&m->snap, &m->t);
}

static void restore(void *self)
{
	cf_memory_auctions *m = self;

	tables_free(&m->t);
	m->t = m->snap;
	memset(&m->snap, 0, sizeof m->snap);
	events_free(&m->pending);
}

/* After a commit: drop the snapshot, hand the pending events to the
 * listener and keep them. */
static void settle(void *self)
{
	cf_memory_auctions *m = self;
	event_rec *e = (event_rec *)m->pending.items;
	size_t n = m->pending.count;

	tables_free(&m->snap);
	for (size_t i = 0; i < n; i++) {
		if (m->on_event)
			m->on_event(e[i].key, e[i].json, m->on_event_user);
		if (cf_mem_vec_push(&m->events, sizeof e[i], &e[i]) < 0) {
			free(e[i].key);
			free(e[i].json);
		}
	}
	free(m->pending.items);
	memset(&m->pending, 0, sizeof m->pending);
}

static const cf_mem_wrap_ops ops = {snapshot, restore, settle};

static int w_begin(void *self, cf_tx **out)
{
	return cf_mem_wrap_begin(&((cf_memory_auctions *)self)->w, &ops, self, out);
}

static void w_rollback(void *self, cf_tx *tx)
{
	cf_mem_wrap_rollback(&((cf_memory_auctions *)self)->w, &ops, self, tx);
}

static int w_commit(void *self, cf_tx *tx)
{
	return cf_mem_wrap_commit(&((cf_memory_auctions *)self)->w, &ops, self, tx);
}

/* Every repository call: the right tx, and fault injection. */
static int enter(cf_memory_auctions *m, cf_tx *tx)
{
	if (tx == NULL || tx != m->w.cur)
		return CF_EINVALID;
	m->calls++;
	if (m->fail_at > 0 && m->calls == m->fail_at)
		return m->fail_code;
	return CF_OK;
}

/* The rows of table i whose char array field T.field equals value, in a
 * fresh array the caller frees (out is left empty on error). */
#define SELECT_BY(m, i, T, field, value, out)                                                      \
	cf_mem_select_str(&(m)->t.v[i], a_size[i], offsetof(T, field), (value),                    \
	                  (void **)&(out)->items, &(out)->count)

/* ---- auctions ---- */

static long find_auction(cf_memory_auctions *m, const char *id)
{
	for (size_t i = 0; i < CNT(m, A_AUCTIONS); i++)
		if (strcmp(ROWS(m, cf_auction_row, A_AUCTIONS)[i].id, id) == 0)
			return (long)i;
	return -1;
}

static int a_insert(void *self, cf_tx *tx, const cf_auction_row *a)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < CNT(m, A_AUCTIONS); i++) {
		const cf_auction_row *r = &ROWS(m, cf_auction_row, A_AUCTIONS)[i];

		if (strcmp(r->id, a->id) == 0 || (strcmp(r->scheme_id, a->scheme_id) == 0 &&
		                                  r->installment_no == a->installment_no))
			return CF_EEXISTS;
	}
	return cf_mem_vec_push(&m->t.v[A_AUCTIONS], sizeof *a, a);
}

static int a_get(void *self, cf_tx *tx, const char *id, cf_auction_row *out)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);
	long i;

	if (rc < 0)
		return rc;
	if ((i = find_auction(m, id)) < 0)
		return CF_ENOTFOUND;
	*out = ROWS(m, cf_auction_row, A_AUCTIONS)[i];
	return CF_OK;
}

static int a_get_by_inst(void *self, cf_tx *tx, const char *scheme_id, int32_t k,
                         cf_auction_row *out)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < CNT(m, A_AUCTIONS); i++) {
		const cf_auction_row *r = &ROWS(m, cf_auction_row, A_AUCTIONS)[i];

		if (strcmp(r->scheme_id, scheme_id) == 0 && r->installment_no == k) {
			*out = *r;
			return CF_OK;
		}
	}
	return CF_ENOTFOUND;
}

static int a_update(void *self, cf_tx *tx, cf_auction_row *a)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);
	cf_auction_row *r;
	long i;

	if (rc < 0)
		return rc;
	if ((i = find_auction(m, a->id)) < 0)
		return CF_ENOTFOUND;
	r = &ROWS(m, cf_auction_row, A_AUCTIONS)[i];
	if (r->row_version != a->row_version)
		return CF_ECONFLICT;
	a->row_version++;
	*r = *a;
	return CF_OK;
}

static int cmp_inst(const void *x, const void *y)
{
	const cf_auction_row *a = x, *b = y;

	return (a->installment_no > b->installment_no) - (a->installment_no < b->installment_no);
}

/* The auctions keep() holds for, sorted by cmp, at most limit of them. */
static int list_auctions(cf_memory_auctions *m, cf_mem_keep_fn keep, const void *arg,
                         int (*cmp)(const void *, const void *), size_t limit,
                         cf_auction_row_array *out)
{
	int rc = cf_mem_select(&m->t.v[A_AUCTIONS], a_size[A_AUCTIONS], keep, arg,
	                       (void **)&out->items, &out->count);

	if (rc < 0)
		return rc;
	qsort(out->items, out->count, sizeof *out->items, cmp);
	if (out->count > limit)
		out->count = limit;
	return CF_OK;
}

typedef struct scheme_after {
	const char *scheme_id;
	int32_t after;
} scheme_after;

static bool in_scheme_after(const void *row, const void *arg)
{
	const cf_auction_row *r = row;
	const scheme_after *k = arg;

	return strcmp(r->scheme_id, k->scheme_id) == 0 && r->installment_no > k->after;
}

static int a_list(void *self, cf_tx *tx, const char *scheme_id, int32_t after, size_t limit,
                  cf_auction_row_array *out)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);
	scheme_after k = {scheme_id, after};

	memset(out, 0, sizeof *out);
	if (rc < 0)
		return rc;
	return list_auctions(m, in_scheme_after, &k, cmp_inst, limit, out);
}

static int cmp_due(const void *x, const void *y)
{
	const cf_auction_row *a = x, *b = y;
	int64_t ka = a->status == CF_AUCTION_OPEN ? a->closes_at_ms : a->opens_at_ms;
	int64_t kb = b->status == CF_AUCTION_OPEN ? b->closes_at_ms : b->opens_at_ms;

	if (ka != kb)
		return ka < kb ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* Due to open or close at *(const int64_t *)now_ms. */
static bool is_due(const void *row, const void *now_ms)
{
	const cf_auction_row *r = row;
	int64_t now = *(const int64_t *)now_ms;

	return (r->status == CF_AUCTION_SCHEDULED && r->opens_at_ms > 0 && r->opens_at_ms <= now) ||
	       (r->status == CF_AUCTION_OPEN && r->closes_at_ms > 0 && r->closes_at_ms <= now);
}

static int a_list_due(void *self, cf_tx *tx, int64_t now_ms, size_t limit,
                      cf_auction_row_array *out)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);

	memset(out, 0, sizeof *out);
	if (rc < 0)
		return rc;
	return list_auctions(m, is_due, &now_ms, cmp_due, limit, out);
}

/* ---- bids ---- */

static int b_insert(void *self, cf_tx *tx, const cf_bid_row *b)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < CNT(m, A_BIDS); i++) {
		const cf_bid_row *r = &ROWS(m, cf_bid_row, A_BIDS)[i];

		if (strcmp(r->id, b->id) == 0 ||
		    (strcmp(r->auction_id, b->auction_id) == 0 && r->seq == b->seq))
			return CF_EEXISTS;
	}
	return cf_mem_vec_push(&m->t.v[A_BIDS], sizeof *b, b);
}

static int b_list(void *self, cf_tx *tx, const char *auction_id, cf_bid_row_array *out)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);

	memset(out, 0, sizeof *out);
	if (rc < 0)
		return rc;
	/* rows are appended in seq order per auction */
	return SELECT_BY(m, A_BIDS, cf_bid_row, auction_id, auction_id, out);
}

static int b_ticket_max(void *self, cf_tx *tx, const char *auction_id, int32_t ticket_no,
                        bool *found, cf_money *max)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);

	*found = false;
	*max = cf_money_of(0);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < CNT(m, A_BIDS); i++) {
		const cf_bid_row *r = &ROWS(m, cf_bid_row, A_BIDS)[i];

		if (strcmp(r->auction_id, auction_id) == 0 && r->ticket_no == ticket_no &&
		    (!*found || r->discount.minor > max->minor)) {
			*max = r->discount;
			*found = true;
		}
	}
	return CF_OK;
}

/* bid_insert + update as one call: every check first, so nothing is written on error. */
static int b_append(void *self, cf_tx *tx, const cf_bid_row *b, cf_auction_row *a)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);
	long i;

	if (rc < 0)
		return rc;
	if ((i = find_auction(m, a->id)) < 0)
		return CF_ENOTFOUND;
	if (ROWS(m, cf_auction_row, A_AUCTIONS)[i].row_version != a->row_version)
		return CF_ECONFLICT;
	for (size_t k = 0; k < CNT(m, A_BIDS); k++) {
		const cf_bid_row *r = &ROWS(m, cf_bid_row, A_BIDS)[k];

		if (strcmp(r->id, b->id) == 0 ||
		    (strcmp(r->auction_id, b->auction_id) == 0 && r->seq == b->seq))
			return CF_EEXISTS;
	}
	if ((rc = cf_mem_vec_push(&m->t.v[A_BIDS], sizeof *b, b)) < 0)
		return rc;
	a->row_version++;
	ROWS(m, cf_auction_row, A_AUCTIONS)[i] = *a;
	return CF_OK;
}

/* ---- results and minutes ---- */

static int r_insert(void *self, cf_tx *tx, const cf_auction_result *r)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < CNT(m, A_RESULTS); i++)
		if (strcmp(ROWS(m, cf_auction_result, A_RESULTS)[i].auction_id, r->auction_id) == 0)
			return CF_EEXISTS;
	return cf_mem_vec_push(&m->t.v[A_RESULTS], sizeof *r, r);
}

static int r_get(void *self, cf_tx *tx, const char *auction_id, cf_auction_result *out)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < CNT(m, A_RESULTS); i++) {
		if (strcmp(ROWS(m, cf_auction_result, A_RESULTS)[i].auction_id, auction_id) == 0) {
			*out = ROWS(m, cf_auction_result, A_RESULTS)[i];
			return CF_OK;
		}
	}
	return CF_ENOTFOUND;
}

static int cmp_result(const void *x, const void *y)
{
	const cf_auction_result *a = x, *b = y;

	return (a->installment_no > b->installment_no) - (a->installment_no < b->installment_no);
}

static int r_list(void *self, cf_tx *tx, const char *scheme_id, cf_auction_result_array *out)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);

	memset(out, 0, sizeof *out);
	if (rc < 0)
		return rc;
	if ((rc = SELECT_BY(m, A_RESULTS, cf_auction_result, scheme_id, scheme_id, out)) < 0)
		return rc;
	qsort(out->items, out->count, sizeof *out->items, cmp_result);
	return CF_OK;
}

static int mn_put(void *self, cf_tx *tx, const char *auction_id, const char *json, const char *text)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);
	minutes_rec r;

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < CNT(m, A_MINUTES); i++)
		if (strcmp(ROWS(m, minutes_rec, A_MINUTES)[i].auction_id, auction_id) == 0)
			return CF_EEXISTS;
	memset(&r, 0, sizeof r);
	strncpy(r.auction_id, auction_id, sizeof r.auction_id - 1);
	r.json = strdup(json);
	r.text = strdup(text);
	if (r.json == NULL || r.text == NULL ||
	    cf_mem_vec_push(&m->t.v[A_MINUTES], sizeof r, &r) < 0) {
		free(r.json);
		free(r.text);
		return CF_ENOMEM;
	}
	return CF_OK;
}

static int mn_get(void *self, cf_tx *tx, const char *auction_id, bool as_text, char **out)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);

	*out = NULL;
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < CNT(m, A_MINUTES); i++) {
		const minutes_rec *r = &ROWS(m, minutes_rec, A_MINUTES)[i];

		if (strcmp(r->auction_id, auction_id) == 0) {
			*out = strdup(as_text ? r->text : r->json);
			return *out ? CF_OK : CF_ENOMEM;
		}
	}
	return CF_ENOTFOUND;
}

/* ---- dividend credits ---- */

static int c_insert(void *self, cf_tx *tx, const cf_dividend_credit *c, size_t n)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);

	if (rc < 0)
		return rc;
	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; i < CNT(m, A_CREDITS); i++) {
			const cf_dividend_credit *r = &ROWS(m, cf_dividend_credit, A_CREDITS)[i];

			if (strcmp(r->auction_id, c[k].auction_id) == 0 &&
			    r->ticket_no == c[k].ticket_no &&
			    r->installment_no == c[k].installment_no)
				return CF_EEXISTS;
		}
		if ((rc = cf_mem_vec_push(&m->t.v[A_CREDITS], sizeof c[k], &c[k])) < 0)
			return rc;
	}
	return CF_OK;
}

static int cmp_credit(const void *x, const void *y)
{
	const cf_dividend_credit *a = x, *b = y;
	int64_t ka = a->installment_no ? a->installment_no : INT32_MAX;
	int64_t kb = b->installment_no ? b->installment_no : INT32_MAX;

	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (a->ticket_no != b->ticket_no)
		return a->ticket_no < b->ticket_no ? -1 : 1;
	return strcmp(a->auction_id, b->auction_id);
}

static int c_list(void *self, cf_tx *tx, const char *scheme_id, cf_dividend_credit_array *out)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);

	memset(out, 0, sizeof *out);
	if (rc < 0)
		return rc;
	if ((rc = SELECT_BY(m, A_CREDITS, cf_dividend_credit, scheme_id, scheme_id, out)) < 0)
		return rc;
	qsort(out->items, out->count, sizeof *out->items, cmp_credit);
	return CF_OK;
}

/* ---- ledger ---- */

static int l_post(void *self, cf_tx *tx, const cf_ledger_line *lines, size_t n)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		cf_ledger_line l = lines[i];

		l.seq = ++m->t.ledger_seq;
		if ((rc = cf_mem_vec_push(&m->t.v[A_LEDGER], sizeof l, &l)) < 0)
			return rc;
	}
	return CF_OK;
}

static int l_list(void *self, cf_tx *tx, const char *scheme_id, cf_ledger_line_array *out)
{
	cf_memory_auctions *m = self;
	int rc = enter(m, tx);

	memset(out, 0, sizeof *out);
	if (rc < 0)
		return rc;
	return SELECT_BY(m, A_LEDGER, cf_ledger_line, scheme_id, scheme_id, out);
}

/* ---- events and overdue ---- */

static int ev_publish(void *self, cf_tx *tx, const char *key, const char *json)
{
	cf_memory_auctions *m = self;
	event_rec e;

	if (tx == NULL || tx != m->w.cur)
		return CF_EINVALID;
	e.key = strdup(key);
	e.json = strdup(json);
	if (e.key == NULL || e.json == NULL || cf_mem_vec_push(&m->pending, sizeof e, &e) < 0) {
		free(e.key);
		free(e.json);
		return CF_ENOMEM;
	}
	return CF_OK;
}

static int od_overdue(void *self, cf_tx *tx, const char *scheme_id, cf_date on, bool *overdue,
                      size_t n)
{
	cf_memory_auctions *m = self;
	const overdue_rec *r = (const overdue_rec *)m->overdue.items;

	(void)on;
	if (tx == NULL || tx != m->w.cur)
		return CF_EINVALID;
	for (size_t i = 0; i < m->overdue.count; i++)
		if (strcmp(r[i].scheme_id, scheme_id) == 0 && r[i].ticket_no >= 1 &&
		    (size_t)r[i].ticket_no <= n)
			overdue[r[i].ticket_no - 1] = true;
	return CF_OK;
}

void cf_memory_auctions_ports(cf_memory_auctions *m, cf_ports *p)
{
	m->w.inner = p->uow;
	p->uow = (cf_uow){CF_UOW_VERSION, m, w_begin, w_commit, w_rollback, NULL, NULL};
	p->auctions = (cf_auction_repo){CF_AUCTION_REPO_VERSION,
	                                m,
	                                a_insert,
	                                a_get,
	                                a_get, /* lock: transactions are serial */
	                                a_get_by_inst,
	                                a_update,
	                                a_list,
	                                a_list_due,
	                                b_insert,
	                                b_list,
	                                r_insert,
	                                r_get,
	                                r_list,
	                                mn_put,
	                                mn_get,
	                                c_insert,
	                                c_list,
	                                b_ticket_max,
	                                b_append};
	p->ledger = (cf_ledger_repo){CF_LEDGER_REPO_VERSION, m, l_post, l_list};
	p->events = (cf_event_sink){CF_EVENT_SINK_VERSION, m, ev_publish};
	p->overdue = (cf_overdue_source){CF_OVERDUE_SOURCE_VERSION, m, od_overdue};
}
