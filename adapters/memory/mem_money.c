/*
 * mem_money.c - the money repository port and the overdue source in
 * memory. Wraps the unit of work to snapshot and restore these tables.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/adapters/memory_money.h"
#include "chitfund/errors.h"
#include "mem_util.h"

typedef struct due_rec {
	char scheme_id[CF_ID_SIZE];
	cf_due_row r;
} due_rec;

typedef struct receipt_rec {
	int32_t fy;
	int64_t last;
} receipt_rec;

typedef struct idem_rec {
	char user_id[CF_ID_SIZE];
	char key[256];
	char hash[CF_HEX256_SIZE];
	int status;
	char *body;
	size_t len;
	bool done;
} idem_rec;

enum {
	M_ACCTS,
	M_DUES,
	M_PAYMENTS,
	M_ALLOCS,
	M_RECEIPTS,
	M_IDEM,
	M_PRIZES,
	M_SECURITIES,
	M_DISB,
	M_REFUNDS,
	M_DEMANDS,
	M_COUNT
};

static const size_t m_size[M_COUNT] = {
        sizeof(cf_ticket_acct),  sizeof(due_rec),   sizeof(cf_payment), sizeof(cf_payment_alloc),
        sizeof(receipt_rec),     sizeof(idem_rec),  sizeof(cf_prize),   sizeof(cf_security_rec),
        sizeof(cf_disbursement), sizeof(cf_refund), sizeof(cf_demand)};

typedef struct mtables {
	cf_mem_vec v[M_COUNT];
	int64_t seq;
} mtables;

struct cf_memory_money {
	cf_mem_wrap w;
	cf_scheme_repo schemes;
	mtables t, snap;
};

#define ROWS(m, T, i) ((T *)(m)->t.v[i].items)
#define CNT(m, i)     ((m)->t.v[i].count)

static int push(mtables *t, int i, const void *elem)
{
	return cf_mem_vec_push(&t->v[i], m_size[i], elem);
}

static void tables_free(mtables *t)
{
	idem_rec *r = (idem_rec *)t->v[M_IDEM].items;

	for (size_t i = 0; i < t->v[M_IDEM].count; i++)
		free(r[i].body);
	for (int i = 0; i < M_COUNT; i++)
		free(t->v[i].items);
	memset(t, 0, sizeof *t);
}

static int tables_copy(mtables *dst, const mtables *src)
{
	memset(dst, 0, sizeof *dst);
	dst->seq = src->seq;
	for (int i = 0; i < M_COUNT; i++) {
		size_t n = src->v[i].count;

		if (n == 0)
			continue;
		if (cf_mem_vec_copy(&dst->v[i], &src->v[i], m_size[i]) < 0)
			goto fail;
		if (i == M_IDEM) {
			idem_rec *r = (idem_rec *)dst->v[i].items;

			for (size_t k = 0; k < n; k++) {
				if (r[k].body == NULL)
					continue;
				char *b = malloc(r[k].len + 1);

				if (b == NULL) {
					for (size_t j = k; j < n; j++)
						r[j].body = NULL;
					goto fail;
				}
				memcpy(b, r[k].body, r[k].len + 1);
				r[k].body = b;
			}
		}
	}
	return CF_OK;
fail:
	tables_free(dst);
	return CF_ENOMEM;
}

static int snapshot(void *self)
{
	cf_memory_money *m = self;

	return tables_copy(&m->snap, &m->t);
}

static void restore(void *self)
{
	cf_memory_money *m = self;

	tables_free(&m->t);
	m->t = m->snap;
	memset(&m->snap, 0, sizeof m->snap);
}

static void settle(void *self)
{
	tables_free(&((cf_memory_money *)self)->snap);
}

static const cf_mem_wrap_ops ops = {snapshot, restore, settle};

int cf_memory_money_new(cf_memory_money **out)
{
	return cf_mem_wrap_new(sizeof **out, offsetof(cf_memory_money, w), (void **)out);
}

void cf_memory_money_free(cf_memory_money *m)
{
	if (m == NULL)
		return;
	tables_free(&m->t);
	tables_free(&m->snap);
	cf_mem_wrap_free_obj(m, offsetof(cf_memory_money, w));
}

/* ---- wrapped unit of work ---- */

static int w_begin(void *self, cf_tx **out)
{
	return cf_mem_wrap_begin(&((cf_memory_money *)self)->w, &ops, self, out);
}

static void w_rollback(void *self, cf_tx *tx)
{
	cf_mem_wrap_rollback(&((cf_memory_money *)self)->w, &ops, self, tx);
}

static int w_commit(void *self, cf_tx *tx)
{
	return cf_mem_wrap_commit(&((cf_memory_money *)self)->w, &ops, self, tx);
}

static int enter(cf_memory_money *m, cf_tx *tx)
{
	return (tx != NULL && tx == m->w.cur) ? CF_OK : CF_EINVALID;
}

#define ENTER(m, tx)                                                                               \
	do {                                                                                       \
		if (enter((m), (tx)) < 0)                                                          \
			return CF_EINVALID;                                                        \
	} while (0)

/* Copy the rows of table i matching keep() into a fresh malloc'd array. */
static int select_rows(cf_memory_money *m, int i, cf_mem_keep_fn keep, const void *arg,
                       void **items, size_t *count)
{
	return cf_mem_select(&m->t.v[i], m_size[i], keep, arg, items, count);
}

/* ---- accounts ---- */

static long find_acct(cf_memory_money *m, const char *scheme_id, int32_t no)
{
	for (size_t i = 0; i < CNT(m, M_ACCTS); i++) {
		const cf_ticket_acct *a = &ROWS(m, cf_ticket_acct, M_ACCTS)[i];

		if (a->ticket_no == no && strcmp(a->scheme_id, scheme_id) == 0)
			return (long)i;
	}
	return -1;
}

static int acct_insert(void *self, cf_tx *tx, const cf_ticket_acct *a)
{
	cf_memory_money *m = self;

	ENTER(m, tx);
	if (find_acct(m, a->scheme_id, a->ticket_no) >= 0)
		return CF_EEXISTS;
	return push(&m->t, M_ACCTS, a);
}

static int acct_get(void *self, cf_tx *tx, const char *scheme_id, int32_t no, bool lock,
                    cf_ticket_acct *out)
{
	cf_memory_money *m = self;
	long i;

	(void)lock;
	ENTER(m, tx);
	if ((i = find_acct(m, scheme_id, no)) < 0)
		return CF_ENOTFOUND;
	*out = ROWS(m, cf_ticket_acct, M_ACCTS)[i];
	return CF_OK;
}

static int acct_update(void *self, cf_tx *tx, cf_ticket_acct *a)
{
	cf_memory_money *m = self;
	cf_ticket_acct *cur;
	long i;

	ENTER(m, tx);
	if ((i = find_acct(m, a->scheme_id, a->ticket_no)) < 0)
		return CF_ENOTFOUND;
	cur = &ROWS(m, cf_ticket_acct, M_ACCTS)[i];
	if (cur->row_version != a->row_version)
		return CF_ECONFLICT;
	a->row_version++;
	*cur = *a;
	return CF_OK;
}

static bool acct_of_scheme(const void *row, const void *arg)
{
	return strcmp(((const cf_ticket_acct *)row)->scheme_id, arg) == 0;
}

static int cmp_acct(const void *x, const void *y)
{
	int32_t a = ((const cf_ticket_acct *)x)->ticket_no,
	        b = ((const cf_ticket_acct *)y)->ticket_no;

	return (a > b) - (a < b);
}

static int acct_list(void *self, cf_tx *tx, const char *scheme_id, cf_ticket_acct_array *out)
{
	cf_memory_money *m = self;
	int rc;

	ENTER(m, tx);
	memset(out, 0, sizeof *out);
	rc = select_rows(m, M_ACCTS, acct_of_scheme, scheme_id, (void **)&out->items, &out->count);
	if (rc == CF_OK)
		qsort(out->items, out->count, sizeof *out->items, cmp_acct);
	return rc;
}

/* ---- dues ---- */

static int due_put(void *self, cf_tx *tx, const char *scheme_id, int32_t no, const cf_due *d)
{
	cf_memory_money *m = self;
	due_rec r;

	ENTER(m, tx);
	for (size_t i = 0; i < CNT(m, M_DUES); i++) {
		due_rec *x = &ROWS(m, due_rec, M_DUES)[i];

		if (x->r.ticket_no == no && x->r.due.installment_no == d->installment_no &&
		    strcmp(x->scheme_id, scheme_id) == 0) {
			x->r.due = *d;
			return CF_OK;
		}
	}
	memset(&r, 0, sizeof r);
	memcpy(r.scheme_id, scheme_id, strnlen(scheme_id, CF_ID_SIZE - 1));
	r.r.ticket_no = no;
	r.r.due = *d;
	return push(&m->t, M_DUES, &r);
}

static int cmp_due_row(const void *x, const void *y)
{
	const cf_due_row *a = x, *b = y;

	if (a->ticket_no != b->ticket_no)
		return (a->ticket_no > b->ticket_no) - (a->ticket_no < b->ticket_no);
	return (a->due.installment_no > b->due.installment_no) -
	       (a->due.installment_no < b->due.installment_no);
}

static int due_list(void *self, cf_tx *tx, const char *scheme_id, int32_t no, cf_due_row_array *out)
{
	cf_memory_money *m = self;
	size_t n = 0;

	ENTER(m, tx);
	memset(out, 0, sizeof *out);
	out->items = malloc((CNT(m, M_DUES) + 1) * sizeof *out->items);
	if (out->items == NULL)
		return CF_ENOMEM;
	for (size_t i = 0; i < CNT(m, M_DUES); i++) {
		const due_rec *x = &ROWS(m, due_rec, M_DUES)[i];

		if ((no == 0 || x->r.ticket_no == no) && strcmp(x->scheme_id, scheme_id) == 0)
			out->items[n++] = x->r;
	}
	out->count = n;
	qsort(out->items, n, sizeof *out->items, cmp_due_row);
	return CF_OK;
}

/* ---- payments ---- */

static long find_payment(cf_memory_money *m, const char *id, const char *receipt)
{
	for (size_t i = 0; i < CNT(m, M_PAYMENTS); i++) {
		const cf_payment *p = &ROWS(m, cf_payment, M_PAYMENTS)[i];

		if ((id && strcmp(p->id, id) == 0) ||
		    (receipt && receipt[0] && strcmp(p->receipt_no, receipt) == 0))
			return (long)i;
	}
	return -1;
}

static int payment_insert(void *self, cf_tx *tx, cf_payment *p)
{
	cf_memory_money *m = self;

	ENTER(m, tx);
	if (find_payment(m, p->id, p->receipt_no) >= 0)
		return CF_EEXISTS;
	p->seq = ++m->t.seq;
	return push(&m->t, M_PAYMENTS, p);
}

static int payment_get(void *self, cf_tx *tx, const char *id, bool lock, cf_payment *out)
{
	cf_memory_money *m = self;
	long i;

	(void)lock;
	ENTER(m, tx);
	if ((i = find_payment(m, id, NULL)) < 0)
		return CF_ENOTFOUND;
	*out = ROWS(m, cf_payment, M_PAYMENTS)[i];
	return CF_OK;
}

static int payment_get_by_receipt(void *self, cf_tx *tx, const char *no, cf_payment *out)
{
	cf_memory_money *m = self;
	long i;

	ENTER(m, tx);
	if ((i = find_payment(m, NULL, no)) < 0)
		return CF_ENOTFOUND;
	*out = ROWS(m, cf_payment, M_PAYMENTS)[i];
	return CF_OK;
}

static int payment_set_status(void *self, cf_tx *tx, const cf_payment *p)
{
	cf_memory_money *m = self;
	cf_payment *cur;
	long i;

	ENTER(m, tx);
	if ((i = find_payment(m, p->id, NULL)) < 0)
		return CF_ENOTFOUND;
	cur = &ROWS(m, cf_payment, M_PAYMENTS)[i];
	cur->status = p->status;
	cur->bounced_on = p->bounced_on;
	memcpy(cur->bounce_reason, p->bounce_reason, sizeof cur->bounce_reason);
	return CF_OK;
}

static int payment_list(void *self, cf_tx *tx, const char *scheme_id, int32_t no, int64_t after,
                        size_t limit, cf_payment_array *out)
{
	cf_memory_money *m = self;
	size_t n = 0;

	ENTER(m, tx);
	memset(out, 0, sizeof *out);
	out->items = malloc((CNT(m, M_PAYMENTS) + 1) * sizeof *out->items);
	if (out->items == NULL)
		return CF_ENOMEM;
	/* rows are kept in seq order */
	for (size_t i = 0; i < CNT(m, M_PAYMENTS); i++) {
		const cf_payment *p = &ROWS(m, cf_payment, M_PAYMENTS)[i];

		if (limit != 0 && n == limit)
			break;
		if (p->seq <= after || (scheme_id[0] && strcmp(p->scheme_id, scheme_id) != 0) ||
		    (no != 0 && p->ticket_no != no))
			continue;
		out->items[n++] = *p;
	}
	out->count = n;
	return CF_OK;
}

static int alloc_insert(void *self, cf_tx *tx, const cf_payment_alloc *a, size_t n)
{
	cf_memory_money *m = self;
	int rc = CF_OK;

	ENTER(m, tx);
	for (size_t i = 0; i < n && rc == CF_OK; i++)
		rc = push(&m->t, M_ALLOCS, &a[i]);
	return rc;
}

static bool alloc_of(const void *row, const void *arg)
{
	return strcmp(((const cf_payment_alloc *)row)->payment_id, arg) == 0;
}

static int cmp_alloc(const void *x, const void *y)
{
	int32_t a = ((const cf_payment_alloc *)x)->installment_no;
	int32_t b = ((const cf_payment_alloc *)y)->installment_no;

	return (a > b) - (a < b);
}

static int alloc_list(void *self, cf_tx *tx, const char *payment_id, cf_payment_alloc_array *out)
{
	cf_memory_money *m = self;
	int rc;

	ENTER(m, tx);
	memset(out, 0, sizeof *out);
	rc = select_rows(m, M_ALLOCS, alloc_of, payment_id, (void **)&out->items, &out->count);
	if (rc == CF_OK)
		qsort(out->items, out->count, sizeof *out->items, cmp_alloc);
	return rc;
}

/* ---- idempotency ---- */

static idem_rec *find_idem(cf_memory_money *m, const char *user, const char *key)
{
	for (size_t i = 0; i < CNT(m, M_IDEM); i++) {
		idem_rec *r = &ROWS(m, idem_rec, M_IDEM)[i];

		if (strcmp(r->user_id, user) == 0 && strcmp(r->key, key) == 0)
			return r;
	}
	return NULL;
}

static int idem_claim(void *self, cf_tx *tx, const char *user_id, const char *key, const char *hash,
                      int64_t now_ms, char *hash_out, int *status, char **body, size_t *len)
{
	cf_memory_money *m = self;
	idem_rec *r, n;

	(void)now_ms;
	ENTER(m, tx);
	if (strlen(key) >= sizeof n.key)
		return CF_EINVALID;
	if ((r = find_idem(m, user_id, key)) != NULL) {
		memcpy(hash_out, r->hash, CF_HEX256_SIZE);
		*status = r->status;
		*len = r->len;
		*body = malloc(r->len + 1);
		if (*body == NULL)
			return CF_ENOMEM;
		if (r->body)
			memcpy(*body, r->body, r->len);
		(*body)[r->len] = '\0';
		return CF_EEXISTS;
	}
	memset(&n, 0, sizeof n);
	memcpy(n.user_id, user_id, strnlen(user_id, CF_ID_SIZE - 1));
	memcpy(n.key, key, strlen(key));
	memcpy(n.hash, hash, strnlen(hash, CF_HEX256_SIZE - 1));
	return push(&m->t, M_IDEM, &n);
}

static int idem_complete(void *self, cf_tx *tx, const char *user_id, const char *key, int status,
                         const char *body, size_t len, int64_t now_ms)
{
	cf_memory_money *m = self;
	idem_rec *r;
	char *b;

	(void)now_ms;
	ENTER(m, tx);
	if ((r = find_idem(m, user_id, key)) == NULL)
		return CF_ENOTFOUND;
	if ((b = malloc(len + 1)) == NULL)
		return CF_ENOMEM;
	if (len)
		memcpy(b, body, len);
	b[len] = '\0';
	free(r->body);
	r->body = b;
	r->len = len;
	r->status = status;
	r->done = true;
	return CF_OK;
}

static int receipt_assign(void *self, cf_tx *tx, const char *payment_id, int32_t fy,
                          const char *prefix, const char *idem_user, const char *idem_key,
                          int status, const char *body_template, const char *placeholder,
                          int64_t now_ms, int64_t *seq)
{
	cf_memory_money *m = self;
	receipt_rec *r = NULL;
	cf_payment *p;
	long i;
	int64_t n;

	ENTER(m, tx);
	if ((i = find_payment(m, payment_id, NULL)) < 0)
		return CF_ENOTFOUND;
	p = &ROWS(m, cf_payment, M_PAYMENTS)[i];
	for (size_t k = 0; k < CNT(m, M_RECEIPTS); k++)
		if (ROWS(m, receipt_rec, M_RECEIPTS)[k].fy == fy)
			r = &ROWS(m, receipt_rec, M_RECEIPTS)[k];
	n = r ? r->last + 1 : 1;
	if (idem_key != NULL) {
		idem_rec *x = find_idem(m, idem_user, idem_key);
		char no[CF_RECEIPT_NO_SIZE], *b;
		size_t bl = 0;
		const char *from = placeholder ? placeholder : "";
		size_t fl = strlen(from);

		if (x == NULL)
			return CF_ENOTFOUND;
		snprintf(no, sizeof no, "%s%06lld", prefix, (long long)n);
		/* the template with every placeholder replaced */
		size_t cap = strlen(body_template) + 1;

		if (fl > 0)
			for (const char *q = strstr(body_template, from); q;
			     q = strstr(q + fl, from))
				cap += strlen(no);
		b = malloc(cap);
		if (b == NULL)
			return CF_ENOMEM;
		for (const char *s2 = body_template; *s2;) {
			if (fl > 0 && strncmp(s2, from, fl) == 0) {
				memcpy(b + bl, no, strlen(no));
				bl += strlen(no);
				s2 += fl;
			} else {
				b[bl++] = *s2++;
			}
		}
		b[bl] = '\0';
		free(x->body);
		x->body = b;
		x->len = bl;
		x->status = status;
		x->done = true;
	}
	(void)now_ms;
	if (r != NULL) {
		r->last = n;
	} else {
		receipt_rec nr = {fy, 1};
		int rc = push(&m->t, M_RECEIPTS, &nr);

		if (rc < 0)
			return rc;
	}
	p->receipt_seq = n;
	snprintf(p->receipt_no, sizeof p->receipt_no, "%s%06lld", prefix, (long long)n);
	*seq = n;
	return CF_OK;
}

/* ---- prizes, securities, disbursements ---- */

static long find_prize(cf_memory_money *m, const char *auction_id)
{
	for (size_t i = 0; i < CNT(m, M_PRIZES); i++)
		if (strcmp(ROWS(m, cf_prize, M_PRIZES)[i].auction_id, auction_id) == 0)
			return (long)i;
	return -1;
}

static int prize_insert(void *self, cf_tx *tx, const cf_prize *p)
{
	cf_memory_money *m = self;

	ENTER(m, tx);
	if (find_prize(m, p->auction_id) >= 0)
		return CF_EEXISTS;
	return push(&m->t, M_PRIZES, p);
}

static int prize_get(void *self, cf_tx *tx, const char *auction_id, bool lock, cf_prize *out)
{
	cf_memory_money *m = self;
	long i;

	(void)lock;
	ENTER(m, tx);
	if ((i = find_prize(m, auction_id)) < 0)
		return CF_ENOTFOUND;
	*out = ROWS(m, cf_prize, M_PRIZES)[i];
	return CF_OK;
}

static int prize_update(void *self, cf_tx *tx, cf_prize *p)
{
	cf_memory_money *m = self;
	cf_prize *cur;
	long i;

	ENTER(m, tx);
	if ((i = find_prize(m, p->auction_id)) < 0)
		return CF_ENOTFOUND;
	cur = &ROWS(m, cf_prize, M_PRIZES)[i];
	if (cur->row_version != p->row_version)
		return CF_ECONFLICT;
	p->row_version++;
	*cur = *p;
	return CF_OK;
}

static bool prize_of(const void *row, const void *arg)
{
	return ((const char *)arg)[0] == '\0' ||
	       strcmp(((const cf_prize *)row)->scheme_id, arg) == 0;
}

static int cmp_prize(const void *x, const void *y)
{
	const cf_prize *a = x, *b = y;
	int c = strcmp(a->scheme_id, b->scheme_id);

	if (c)
		return c;
	return (a->installment_no > b->installment_no) - (a->installment_no < b->installment_no);
}

static int prize_list(void *self, cf_tx *tx, const char *scheme_id, cf_prize_array *out)
{
	cf_memory_money *m = self;
	int rc;

	ENTER(m, tx);
	memset(out, 0, sizeof *out);
	rc = select_rows(m, M_PRIZES, prize_of, scheme_id, (void **)&out->items, &out->count);
	if (rc == CF_OK)
		qsort(out->items, out->count, sizeof *out->items, cmp_prize);
	return rc;
}

static int security_insert(void *self, cf_tx *tx, const cf_security_rec *s)
{
	cf_memory_money *m = self;

	ENTER(m, tx);
	return push(&m->t, M_SECURITIES, s);
}

static bool security_of(const void *row, const void *arg)
{
	return strcmp(((const cf_security_rec *)row)->auction_id, arg) == 0;
}

static int security_list(void *self, cf_tx *tx, const char *auction_id, cf_security_array *out)
{
	cf_memory_money *m = self;

	ENTER(m, tx);
	memset(out, 0, sizeof *out);
	return select_rows(m, M_SECURITIES, security_of, auction_id, (void **)&out->items,
	                   &out->count);
}

static long find_disb(cf_memory_money *m, const char *id, const char *auction_id)
{
	for (size_t i = 0; i < CNT(m, M_DISB); i++) {
		const cf_disbursement *d = &ROWS(m, cf_disbursement, M_DISB)[i];

		if ((id && strcmp(d->id, id) == 0) ||
		    (auction_id && strcmp(d->auction_id, auction_id) == 0))
			return (long)i;
	}
	return -1;
}

static int disb_insert(void *self, cf_tx *tx, cf_disbursement *d)
{
	cf_memory_money *m = self;

	ENTER(m, tx);
	if (find_disb(m, d->id, d->auction_id) >= 0)
		return CF_EEXISTS;
	d->seq = ++m->t.seq;
	return push(&m->t, M_DISB, d);
}

static int disb_get(void *self, cf_tx *tx, const char *id, bool lock, cf_disbursement *out)
{
	cf_memory_money *m = self;
	long i;

	(void)lock;
	ENTER(m, tx);
	if ((i = find_disb(m, id, NULL)) < 0)
		return CF_ENOTFOUND;
	*out = ROWS(m, cf_disbursement, M_DISB)[i];
	return CF_OK;
}

static int disb_update(void *self, cf_tx *tx, cf_disbursement *d)
{
	cf_memory_money *m = self;
	cf_disbursement *cur;
	long i;

	ENTER(m, tx);
	if ((i = find_disb(m, d->id, NULL)) < 0)
		return CF_ENOTFOUND;
	cur = &ROWS(m, cf_disbursement, M_DISB)[i];
	if (cur->row_version != d->row_version)
		return CF_ECONFLICT;
	d->row_version++;
	*cur = *d;
	return CF_OK;
}

static int disb_list(void *self, cf_tx *tx, bool has_status, cf_disb_status status,
                     cf_disbursement_array *out)
{
	cf_memory_money *m = self;
	size_t n = 0;

	ENTER(m, tx);
	memset(out, 0, sizeof *out);
	out->items = malloc((CNT(m, M_DISB) + 1) * sizeof *out->items);
	if (out->items == NULL)
		return CF_ENOMEM;
	for (size_t i = 0; i < CNT(m, M_DISB); i++) {
		const cf_disbursement *d = &ROWS(m, cf_disbursement, M_DISB)[i];

		if (!has_status || d->status == status)
			out->items[n++] = *d;
	}
	out->count = n;
	return CF_OK;
}

static int refund_insert(void *self, cf_tx *tx, const cf_refund *r)
{
	cf_memory_money *m = self;

	ENTER(m, tx);
	return push(&m->t, M_REFUNDS, r);
}

static bool refund_of(const void *row, const void *arg)
{
	return ((const char *)arg)[0] == '\0' ||
	       strcmp(((const cf_refund *)row)->scheme_id, arg) == 0;
}

static int refund_list(void *self, cf_tx *tx, const char *scheme_id, cf_refund_array *out)
{
	cf_memory_money *m = self;

	ENTER(m, tx);
	memset(out, 0, sizeof *out);
	return select_rows(m, M_REFUNDS, refund_of, scheme_id, (void **)&out->items, &out->count);
}

static int demand_insert(void *self, cf_tx *tx, const cf_demand *d)
{
	cf_memory_money *m = self;

	ENTER(m, tx);
	return push(&m->t, M_DEMANDS, d);
}

/* ---- overdue source ---- */

static int od_overdue(void *self, cf_tx *tx, const char *scheme_id, cf_date on, bool *overdue,
                      size_t n)
{
	cf_memory_money *m = self;
	cf_scheme s;
	int rc;

	ENTER(m, tx);
	rc = m->schemes.get(m->schemes.self, tx, scheme_id, &s);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < CNT(m, M_DUES); i++) {
		const due_rec *x = &ROWS(m, due_rec, M_DUES)[i];
		const cf_due *d = &x->r.due;

		if (strcmp(x->scheme_id, scheme_id) != 0 || x->r.ticket_no < 1 ||
		    (size_t)x->r.ticket_no > n)
			continue;
		if (cf_dues_overdue(d, 1, s.params.grace_days, on))
			overdue[x->r.ticket_no - 1] = true;
	}
	return CF_OK;
}

void cf_memory_money_ports(cf_memory_money *m, cf_ports *p)
{
	m->w.inner = p->uow;
	m->schemes = p->schemes;
	p->uow = (cf_uow){CF_UOW_VERSION, m, w_begin, w_commit, w_rollback, NULL, NULL};
	p->money = (cf_money_repo){CF_MONEY_REPO_VERSION,
	                           m,
	                           acct_insert,
	                           acct_get,
	                           acct_update,
	                           acct_list,
	                           due_put,
	                           due_list,
	                           payment_insert,
	                           payment_get,
	                           payment_get_by_receipt,
	                           payment_set_status,
	                           payment_list,
	                           alloc_insert,
	                           alloc_list,
	                           idem_claim,
	                           idem_complete,
	                           receipt_assign,
	                           prize_insert,
	                           prize_get,
	                           prize_update,
	                           prize_list,
	                           security_insert,
	                           security_list,
	                           disb_insert,
	                           disb_get,
	                           disb_update,
	                           disb_list,
	                           refund_insert,
	                           refund_list,
	                           demand_insert,
	                           NULL /* receipt_assign_at_commit: receipt_assign does it */};
	p->overdue = (cf_overdue_source){CF_OVERDUE_SOURCE_VERSION, m, od_overdue};
}
