/*
 * memory_store.c - the in-memory adapter's store, unit of work and every
 * repository port. One mutex is held from begin to commit/rollback, so
 * transactions are serial; begin snapshots the tables and rollback restores
 * the snapshot, so a rolled-back transaction leaves no trace.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "chitfund/adapters/memory.h"
#include "chitfund/errors.h"
#include "mem_util.h"

typedef struct agent_rec {
	char scheme_id[CF_ID_SIZE];
	char user_id[CF_ID_SIZE];
	int64_t at_ms;
} agent_rec;

typedef struct fail_rec {
	char key[CF_EMAIL_SIZE];
	char addr[CF_CLIENT_ADDR_SIZE];
	int64_t at_ms;
} fail_rec;

enum { T_USERS, T_TOKENS, T_SCHEMES, T_TICKETS, T_AGENTS, T_AUDIT, T_FAILS, T_COUNT };

static const size_t elem_size[T_COUNT] = {
        sizeof(cf_user_row), sizeof(cf_refresh_token_row), sizeof(cf_scheme), sizeof(cf_ticket),
        sizeof(agent_rec),   sizeof(cf_audit_entry),       sizeof(fail_rec)};

typedef cf_mem_vec vec;

typedef struct tables {
	vec v[T_COUNT];
} tables;

struct cf_memory_store {
	pthread_mutex_t mu;
	tables t;
	int64_t ucfsin_seq;
	int fail_code;
	int fail_times;
	int64_t commits;
};

struct cf_tx {
	cf_memory_store *s;
	tables snap;
};

#define ROWS(s, T, idx) ((T *)(s)->t.v[idx].items)
#define COUNT(s, idx)   ((s)->t.v[idx].count)

static void tables_free(tables *t)
{
	for (int i = 0; i < T_COUNT; i++) {
		free(t->v[i].items);
		memset(&t->v[i], 0, sizeof t->v[i]);
	}
}

static int tables_copy(tables *dst, const tables *src)
{
	memset(dst, 0, sizeof *dst);
	for (int i = 0; i < T_COUNT; i++) {
		size_t n = src->v[i].count;

		if (n == 0)
			continue;
		if (cf_mem_vec_copy(&dst->v[i], &src->v[i], elem_size[i]) < 0) {
			tables_free(dst);
			return CF_ENOMEM;
		}
	}
	return CF_OK;
}

static int vec_push(vec *v, int idx, const void *elem)
{
	return cf_mem_vec_push(v, elem_size[idx], elem);
}

/* Sort the n rows of res (when cmp is set), keep the first limit of them
 * and hand them to *items and *count; an empty result is freed, NULL. */
static void finish_list(void *res, size_t n, size_t es, int (*cmp)(const void *, const void *),
                        size_t limit, void **items, size_t *count)
{
	if (cmp != NULL)
		qsort(res, n, es, cmp);
	if (n > limit)
		n = limit;
	if (n == 0) {
		free(res);
		res = NULL;
	}
	*items = res;
	*count = n;
}

static void vec_remove(vec *v, int idx, size_t i)
{
	size_t es = elem_size[idx];

	memmove(v->items + i * es, v->items + (i + 1) * es, (v->count - i - 1) * es);
	v->count--;
}

static int check_tx(void *self, cf_tx *tx)
{
	return (tx != NULL && tx->s == self) ? CF_OK : CF_EINVALID;
}

/* ---- store ---- */

int cf_memory_store_new(cf_memory_store **out)
{
	cf_memory_store *s = calloc(1, sizeof *s);

	if (s == NULL)
		return CF_ENOMEM;
	if (pthread_mutex_init(&s->mu, NULL) != 0) {
		free(s);
		return CF_ERROR;
	}
	*out = s;
	return CF_OK;
}

void cf_memory_store_free(cf_memory_store *s)
{
	if (s == NULL)
		return;
	tables_free(&s->t);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

void cf_memory_store_fail_commits(cf_memory_store *s, int code, int times)
{
	pthread_mutex_lock(&s->mu);
	s->fail_code = code;
	s->fail_times = times;
	pthread_mutex_unlock(&s->mu);
}

int64_t cf_memory_store_commits(const cf_memory_store *s)
{
	return s->commits;
}

/* ---- unit of work ---- */

static int uow_begin(void *self, cf_tx **out)
{
	cf_memory_store *s = self;
	cf_tx *tx = calloc(1, sizeof *tx);
	int rc;

	if (tx == NULL)
		return CF_ENOMEM;
	pthread_mutex_lock(&s->mu);
	rc = tables_copy(&tx->snap, &s->t);
	if (rc < 0) {
		pthread_mutex_unlock(&s->mu);
		free(tx);
		return rc;
	}
	tx->s = s;
	*out = tx;
	return CF_OK;
}

static void uow_rollback(void *self, cf_tx *tx)
{
	cf_memory_store *s = self;

	if (tx == NULL)
		return;
	tables_free(&s->t);
	s->t = tx->snap;
	pthread_mutex_unlock(&s->mu);
	free(tx);
}

static int uow_commit(void *self, cf_tx *tx)
{
	cf_memory_store *s = self;

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	if (s->fail_times > 0) {
		int code = s->fail_code;

		s->fail_times--;
		uow_rollback(self, tx);
		return code;
	}
	tables_free(&tx->snap);
	s->commits++;
	pthread_mutex_unlock(&s->mu);
	free(tx);
	return CF_OK;
}

/* ---- users ---- */

static long find_user(cf_memory_store *s, const char *id)
{
	for (size_t i = 0; i < COUNT(s, T_USERS); i++)
		if (strcmp(ROWS(s, cf_user_row, T_USERS)[i].id, id) == 0)
			return (long)i;
	return -1;
}

static int user_insert(void *self, cf_tx *tx, const cf_user_row *row)
{
	cf_memory_store *s = self;
	cf_user_row *u = ROWS(s, cf_user_row, T_USERS);

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	for (size_t i = 0; i < COUNT(s, T_USERS); i++)
		if (strcmp(u[i].id, row->id) == 0 || strcasecmp(u[i].email, row->email) == 0 ||
		    strcmp(u[i].ucfsin, row->ucfsin) == 0)
			return CF_EEXISTS;
	return vec_push(&s->t.v[T_USERS], T_USERS, row);
}

static int user_get(void *self, cf_tx *tx, const char *id, cf_user_row *out)
{
	cf_memory_store *s = self;
	long i;

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	if ((i = find_user(s, id)) < 0)
		return CF_ENOTFOUND;
	*out = ROWS(s, cf_user_row, T_USERS)[i];
	return CF_OK;
}

static int user_get_by_email(void *self, cf_tx *tx, const char *email, cf_user_row *out)
{
	cf_memory_store *s = self;

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	for (size_t i = 0; i < COUNT(s, T_USERS); i++) {
		if (strcasecmp(ROWS(s, cf_user_row, T_USERS)[i].email, email) == 0) {
			*out = ROWS(s, cf_user_row, T_USERS)[i];
			return CF_OK;
		}
	}
	return CF_ENOTFOUND;
}

static int user_update(void *self, cf_tx *tx, cf_user_row *row)
{
	cf_memory_store *s = self;
	cf_user_row *u = ROWS(s, cf_user_row, T_USERS);
	cf_user_row *cur;
	long i;

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	if ((i = find_user(s, row->id)) < 0)
		return CF_ENOTFOUND;
	cur = &u[i];
	if (cur->row_version != row->row_version)
		return CF_ECONFLICT;
	for (size_t k = 0; k < COUNT(s, T_USERS); k++)
		if ((long)k != i && strcasecmp(u[k].email, row->email) == 0)
			return CF_EEXISTS;
	row->row_version++;
	memcpy(row->ucfsin, cur->ucfsin, sizeof row->ucfsin);
	row->ucfsin_seq = cur->ucfsin_seq;
	row->created_at_ms = cur->created_at_ms;
	*cur = *row;
	return CF_OK;
}

static int cmp_user_seq(const void *a, const void *b)
{
	int64_t x = ((const cf_user_row *)a)->ucfsin_seq, y = ((const cf_user_row *)b)->ucfsin_seq;

	return (x > y) - (x < y);
}

static int user_list(void *self, cf_tx *tx, const cf_user_filter *f, cf_user_row_array *out)
{
	cf_memory_store *s = self;
	cf_user_row *u = ROWS(s, cf_user_row, T_USERS);
	cf_user_row *res;
	size_t n = 0;

	memset(out, 0, sizeof *out);
	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	if (COUNT(s, T_USERS) == 0)
		return CF_OK;
	res = malloc(COUNT(s, T_USERS) * sizeof *res);
	if (res == NULL)
		return CF_ENOMEM;
	for (size_t i = 0; i < COUNT(s, T_USERS); i++) {
		if (u[i].ucfsin_seq <= f->after_seq)
			continue;
		if (f->role != CF_ROLE_NONE && u[i].role != f->role)
			continue;
		if (f->ucfsin[0] != '\0' && strcmp(u[i].ucfsin, f->ucfsin) != 0)
			continue;
		res[n++] = u[i];
	}
	finish_list(res, n, sizeof *res, cmp_user_seq, f->limit, (void **)&out->items, &out->count);
	return CF_OK;
}

static int user_next_seq(void *self, cf_tx *tx, int64_t *out)
{
	cf_memory_store *s = self;

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	*out = ++s->ucfsin_seq; /* outside the snapshot: never reused */
	return CF_OK;
}

/* ---- refresh tokens ---- */

static int tok_insert(void *self, cf_tx *tx, const cf_refresh_token_row *row)
{
	cf_memory_store *s = self;
	cf_refresh_token_row *t = ROWS(s, cf_refresh_token_row, T_TOKENS);

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	for (size_t i = 0; i < COUNT(s, T_TOKENS); i++)
		if (strcmp(t[i].id, row->id) == 0 || strcmp(t[i].token_hash, row->token_hash) == 0)
			return CF_EEXISTS;
	return vec_push(&s->t.v[T_TOKENS], T_TOKENS, row);
}

static int tok_get_by_hash(void *self, cf_tx *tx, const char *hash, cf_refresh_token_row *out)
{
	cf_memory_store *s = self;
	cf_refresh_token_row *t = ROWS(s, cf_refresh_token_row, T_TOKENS);

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	for (size_t i = 0; i < COUNT(s, T_TOKENS); i++) {
		if (strcmp(t[i].token_hash, hash) == 0) {
			*out = t[i];
			return CF_OK;
		}
	}
	return CF_ENOTFOUND;
}

static int tok_mark_spent(void *self, cf_tx *tx, const char *id, int64_t at_ms)
{
	cf_memory_store *s = self;
	cf_refresh_token_row *t = ROWS(s, cf_refresh_token_row, T_TOKENS);

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	for (size_t i = 0; i < COUNT(s, T_TOKENS); i++) {
		if (strcmp(t[i].id, id) == 0) {
			if (t[i].spent_at_ms != 0)
				return CF_ECONFLICT;
			t[i].spent_at_ms = at_ms;
			return CF_OK;
		}
	}
	return CF_ENOTFOUND;
}

static int tok_revoke(cf_memory_store *s, cf_tx *tx, const char *family, const char *user,
                      int64_t at_ms)
{
	cf_refresh_token_row *t = ROWS(s, cf_refresh_token_row, T_TOKENS);

	if (check_tx(s, tx) < 0)
		return CF_EINVALID;
	for (size_t i = 0; i < COUNT(s, T_TOKENS); i++) {
		if (t[i].revoked_at_ms != 0)
			continue;
		if ((family && strcmp(t[i].family_id, family) == 0) ||
		    (user && strcmp(t[i].user_id, user) == 0))
			t[i].revoked_at_ms = at_ms;
	}
	return CF_OK;
}

static int tok_revoke_family(void *self, cf_tx *tx, const char *family_id, int64_t at_ms)
{
	return tok_revoke(self, tx, family_id, NULL, at_ms);
}

static int tok_revoke_user(void *self, cf_tx *tx, const char *user_id, int64_t at_ms)
{
	return tok_revoke(self, tx, NULL, user_id, at_ms);
}

/* ---- schemes ---- */

static long find_scheme(cf_memory_store *s, const char *id)
{
	for (size_t i = 0; i < COUNT(s, T_SCHEMES); i++)
		if (strcmp(ROWS(s, cf_scheme, T_SCHEMES)[i].id, id) == 0)
			return (long)i;
	return -1;
}

static int scheme_insert(void *self, cf_tx *tx, const cf_scheme *row)
{
	cf_memory_store *s = self;

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	if (find_scheme(s, row->id) >= 0)
		return CF_EEXISTS;
	return vec_push(&s->t.v[T_SCHEMES], T_SCHEMES, row);
}

static int scheme_get(void *self, cf_tx *tx, const char *id, cf_scheme *out)
{
	cf_memory_store *s = self;
	long i;

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	if ((i = find_scheme(s, id)) < 0)
		return CF_ENOTFOUND;
	*out = ROWS(s, cf_scheme, T_SCHEMES)[i];
	return CF_OK;
}

static int scheme_update(void *self, cf_tx *tx, cf_scheme *row)
{
	cf_memory_store *s = self;
	cf_scheme *cur;
	long i;

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	if ((i = find_scheme(s, row->id)) < 0)
		return CF_ENOTFOUND;
	cur = &ROWS(s, cf_scheme, T_SCHEMES)[i];
	if (cur->row_version != row->row_version)
		return CF_ECONFLICT;
	row->row_version++;
	memcpy(row->created_by, cur->created_by, sizeof row->created_by);
	row->created_at_ms = cur->created_at_ms;
	*cur = *row;
	return CF_OK;
}

static int cmp_scheme(const void *a, const void *b)
{
	const cf_scheme *x = a, *y = b;

	if (x->created_at_ms != y->created_at_ms)
		return x->created_at_ms < y->created_at_ms ? -1 : 1;
	return strcmp(x->id, y->id);
}

static bool user_holds_ticket(cf_memory_store *s, const char *scheme_id, const char *user_id)
{
	cf_ticket *t = ROWS(s, cf_ticket, T_TICKETS);

	for (size_t i = 0; i < COUNT(s, T_TICKETS); i++)
		if (strcmp(t[i].scheme_id, scheme_id) == 0 && strcmp(t[i].user_id, user_id) == 0)
			return true;
	return false;
}

static int scheme_list(void *self, cf_tx *tx, const cf_scheme_filter *f, cf_scheme_array *out)
{
	cf_memory_store *s = self;
	cf_scheme *sc = ROWS(s, cf_scheme, T_SCHEMES);
	cf_scheme *res;
	size_t n = 0;

	memset(out, 0, sizeof *out);
	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	if (COUNT(s, T_SCHEMES) == 0)
		return CF_OK;
	res = malloc(COUNT(s, T_SCHEMES) * sizeof *res);
	if (res == NULL)
		return CF_ENOMEM;
	for (size_t i = 0; i < COUNT(s, T_SCHEMES); i++) {
		if (f->has_status && sc[i].status != f->status)
			continue;
		if (f->visible_to[0] != '\0' && sc[i].status != CF_SCHEME_ENROLLING &&
		    !user_holds_ticket(s, sc[i].id, f->visible_to))
			continue;
		if (f->after_id[0] != '\0' && (sc[i].created_at_ms < f->after_created_at_ms ||
		                               (sc[i].created_at_ms == f->after_created_at_ms &&
		                                strcmp(sc[i].id, f->after_id) <= 0)))
			continue;
		res[n++] = sc[i];
	}
	finish_list(res, n, sizeof *res, cmp_scheme, f->limit, (void **)&out->items, &out->count);
	return CF_OK;
}

/* ---- tickets ---- */

static int ticket_lock_scheme(void *self, cf_tx *tx, const char *scheme_id)
{
	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	/* the store mutex already serialises every transaction */
	return find_scheme(self, scheme_id) >= 0 ? CF_OK : CF_ENOTFOUND;
}

static int ticket_insert(void *self, cf_tx *tx, const cf_ticket *row)
{
	cf_memory_store *s = self;
	cf_ticket *t = ROWS(s, cf_ticket, T_TICKETS);

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	for (size_t i = 0; i < COUNT(s, T_TICKETS); i++)
		if (strcmp(t[i].id, row->id) == 0 || (strcmp(t[i].scheme_id, row->scheme_id) == 0 &&
		                                      t[i].ticket_no == row->ticket_no))
			return CF_EEXISTS;
	if (find_scheme(s, row->scheme_id) < 0 || find_user(s, row->user_id) < 0)
		return CF_ENOTFOUND;
	return vec_push(&s->t.v[T_TICKETS], T_TICKETS, row);
}

static int ticket_get(void *self, cf_tx *tx, const char *scheme_id, int32_t no, cf_ticket *out)
{
	cf_memory_store *s = self;
	cf_ticket *t = ROWS(s, cf_ticket, T_TICKETS);

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	for (size_t i = 0; i < COUNT(s, T_TICKETS); i++) {
		if (strcmp(t[i].scheme_id, scheme_id) == 0 && t[i].ticket_no == no) {
			*out = t[i];
			return CF_OK;
		}
	}
	return CF_ENOTFOUND;
}

static int ticket_update(void *self, cf_tx *tx, cf_ticket *row)
{
	cf_memory_store *s = self;
	cf_ticket *t = ROWS(s, cf_ticket, T_TICKETS);

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	for (size_t i = 0; i < COUNT(s, T_TICKETS); i++) {
		if (strcmp(t[i].id, row->id) != 0)
			continue;
		if (t[i].row_version != row->row_version)
			return CF_ECONFLICT;
		row->row_version++;
		row->created_at_ms = t[i].created_at_ms;
		t[i] = *row;
		return CF_OK;
	}
	return CF_ENOTFOUND;
}

static int cmp_ticket_no(const void *a, const void *b)
{
	const cf_ticket *x = a, *y = b;

	return (x->ticket_no > y->ticket_no) - (x->ticket_no < y->ticket_no);
}

static int cmp_ticket_user(const void *a, const void *b)
{
	const cf_ticket *x = a, *y = b;
	int c;

	if (x->created_at_ms != y->created_at_ms)
		return x->created_at_ms < y->created_at_ms ? -1 : 1;
	if ((c = strcmp(x->scheme_id, y->scheme_id)) != 0)
		return c;
	return cmp_ticket_no(a, b);
}

static int ticket_list(cf_memory_store *s, cf_tx *tx, const char *scheme_id, const char *user_id,
                       cf_ticket_array *out)
{
	cf_ticket *t = ROWS(s, cf_ticket, T_TICKETS);
	cf_ticket *res;
	size_t n = 0;

	memset(out, 0, sizeof *out);
	if (check_tx(s, tx) < 0)
		return CF_EINVALID;
	if (COUNT(s, T_TICKETS) == 0)
		return CF_OK;
	res = malloc(COUNT(s, T_TICKETS) * sizeof *res);
	if (res == NULL)
		return CF_ENOMEM;
	for (size_t i = 0; i < COUNT(s, T_TICKETS); i++)
		if ((scheme_id && strcmp(t[i].scheme_id, scheme_id) == 0) ||
		    (user_id && strcmp(t[i].user_id, user_id) == 0))
			res[n++] = t[i];
	finish_list(res, n, sizeof *res, scheme_id ? cmp_ticket_no : cmp_ticket_user, SIZE_MAX,
	            (void **)&out->items, &out->count);
	return CF_OK;
}

static int ticket_list_by_scheme(void *self, cf_tx *tx, const char *scheme_id, cf_ticket_array *out)
{
	return ticket_list(self, tx, scheme_id, NULL, out);
}

static int ticket_list_by_user(void *self, cf_tx *tx, const char *user_id, cf_ticket_array *out)
{
	return ticket_list(self, tx, NULL, user_id, out);
}

static int ticket_count(void *self, cf_tx *tx, const char *scheme_id, int32_t *out)
{
	cf_memory_store *s = self;
	cf_ticket *t = ROWS(s, cf_ticket, T_TICKETS);
	int32_t n = 0;

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	for (size_t i = 0; i < COUNT(s, T_TICKETS); i++)
		if (strcmp(t[i].scheme_id, scheme_id) == 0)
			n++;
	*out = n;
	return CF_OK;
}

/* ---- scheme agents ---- */

static long find_agent(cf_memory_store *s, const char *scheme_id, const char *user_id)
{
	agent_rec *a = ROWS(s, agent_rec, T_AGENTS);

	for (size_t i = 0; i < COUNT(s, T_AGENTS); i++)
		if (strcmp(a[i].scheme_id, scheme_id) == 0 && strcmp(a[i].user_id, user_id) == 0)
			return (long)i;
	return -1;
}

static int agent_assign(void *self, cf_tx *tx, const char *scheme_id, const char *user_id,
                        int64_t at_ms)
{
	cf_memory_store *s = self;
	agent_rec r;

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	if (find_agent(s, scheme_id, user_id) >= 0)
		return CF_EEXISTS;
	memset(&r, 0, sizeof r);
	strncpy(r.scheme_id, scheme_id, sizeof r.scheme_id - 1);
	strncpy(r.user_id, user_id, sizeof r.user_id - 1);
	r.at_ms = at_ms;
	return vec_push(&s->t.v[T_AGENTS], T_AGENTS, &r);
}

static int agent_unassign(void *self, cf_tx *tx, const char *scheme_id, const char *user_id)
{
	cf_memory_store *s = self;
	long i;

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	if ((i = find_agent(s, scheme_id, user_id)) < 0)
		return CF_ENOTFOUND;
	vec_remove(&s->t.v[T_AGENTS], T_AGENTS, (size_t)i);
	return CF_OK;
}

static int agent_is(void *self, cf_tx *tx, const char *scheme_id, const char *user_id, bool *out)
{
	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	*out = find_agent(self, scheme_id, user_id) >= 0;
	return CF_OK;
}

static int agent_list(void *self, cf_tx *tx, const char *scheme_id, char (**out)[CF_ID_SIZE],
                      size_t *count)
{
	cf_memory_store *s = self;
	agent_rec *a = ROWS(s, agent_rec, T_AGENTS);
	char(*res)[CF_ID_SIZE];
	size_t n = 0;

	*out = NULL;
	*count = 0;
	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	if (COUNT(s, T_AGENTS) == 0)
		return CF_OK;
	res = malloc(COUNT(s, T_AGENTS) * sizeof *res);
	if (res == NULL)
		return CF_ENOMEM;
	/* kept in assignment order already */
	for (size_t i = 0; i < COUNT(s, T_AGENTS); i++)
		if (strcmp(a[i].scheme_id, scheme_id) == 0)
			memcpy(res[n++], a[i].user_id, CF_ID_SIZE);
	if (n == 0) {
		free(res);
		res = NULL;
	}
	*out = res;
	*count = n;
	return CF_OK;
}

/* ---- audit ---- */

static int audit_lock_head(void *self, cf_tx *tx, int64_t *last_seq, char last_hash[CF_HEX256_SIZE])
{
	cf_memory_store *s = self;
	size_t n = COUNT(s, T_AUDIT);

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	if (n == 0) {
		*last_seq = 0;
		memset(last_hash, '0', 64);
		last_hash[64] = '\0';
		return CF_OK;
	}
	*last_seq = ROWS(s, cf_audit_entry, T_AUDIT)[n - 1].seq;
	memcpy(last_hash, ROWS(s, cf_audit_entry, T_AUDIT)[n - 1].hash, CF_HEX256_SIZE);
	return CF_OK;
}

static int audit_insert(void *self, cf_tx *tx, const cf_audit_entry *e)
{
	cf_memory_store *s = self;
	size_t n = COUNT(s, T_AUDIT);
	int64_t last = n ? ROWS(s, cf_audit_entry, T_AUDIT)[n - 1].seq : 0;

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	if (e->seq != last + 1)
		return CF_ECONFLICT;
	return vec_push(&s->t.v[T_AUDIT], T_AUDIT, e);
}

static int audit_list(void *self, cf_tx *tx, const cf_audit_filter *f, cf_audit_array *out)
{
	cf_memory_store *s = self;
	cf_audit_entry *a = ROWS(s, cf_audit_entry, T_AUDIT);
	size_t n = 0;
	cf_audit_entry *res;

	memset(out, 0, sizeof *out);
	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	res = malloc((f->limit ? f->limit : 1) * sizeof *res);
	if (res == NULL)
		return CF_ENOMEM;
	for (size_t i = 0; i < COUNT(s, T_AUDIT) && n < f->limit; i++) {
		if (a[i].seq <= f->after_seq)
			continue;
		if (f->entity[0] != '\0' && strcmp(a[i].entity, f->entity) != 0)
			continue;
		if (f->entity_id[0] != '\0' && strcmp(a[i].entity_id, f->entity_id) != 0)
			continue;
		res[n++] = a[i];
	}
	finish_list(res, n, sizeof *res, NULL, SIZE_MAX, (void **)&out->items, &out->count);
	return CF_OK;
}

/* ---- login throttle ---- */

static int thr_record(void *self, cf_tx *tx, const char *key, const char *addr, int64_t at_ms)
{
	cf_memory_store *s = self;
	fail_rec r;

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	memset(&r, 0, sizeof r);
	strncpy(r.key, key, sizeof r.key - 1);
	strncpy(r.addr, addr ? addr : "", sizeof r.addr - 1);
	r.at_ms = at_ms;
	return vec_push(&s->t.v[T_FAILS], T_FAILS, &r);
}

static int thr_count(void *self, cf_tx *tx, const char *key, const char *addr, int64_t since_ms,
                     cf_throttle_counts *out)
{
	cf_memory_store *s = self;
	fail_rec *f = ROWS(s, fail_rec, T_FAILS);

	memset(out, 0, sizeof *out);
	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	for (size_t i = 0; i < COUNT(s, T_FAILS); i++) {
		if (f[i].at_ms < since_ms)
			continue;
		if (strcmp(f[i].key, key) == 0) {
			if (out->account_failures == 0 || f[i].at_ms < out->account_oldest_ms)
				out->account_oldest_ms = f[i].at_ms;
			out->account_failures++;
		}
		if (addr && addr[0] != '\0' && strcmp(f[i].addr, addr) == 0) {
			if (out->address_failures == 0 || f[i].at_ms < out->address_oldest_ms)
				out->address_oldest_ms = f[i].at_ms;
			out->address_failures++;
		}
	}
	return CF_OK;
}

static int thr_clear(void *self, cf_tx *tx, const char *key)
{
	cf_memory_store *s = self;
	vec *v = &s->t.v[T_FAILS];

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	for (size_t i = v->count; i-- > 0;)
		if (strcmp(ROWS(s, fail_rec, T_FAILS)[i].key, key) == 0)
			vec_remove(v, T_FAILS, i);
	return CF_OK;
}

static int thr_purge(void *self, cf_tx *tx, int64_t before_ms)
{
	cf_memory_store *s = self;
	vec *v = &s->t.v[T_FAILS];

	if (check_tx(self, tx) < 0)
		return CF_EINVALID;
	for (size_t i = v->count; i-- > 0;)
		if (ROWS(s, fail_rec, T_FAILS)[i].at_ms < before_ms)
			vec_remove(v, T_FAILS, i);
	return CF_OK;
}

void cf_memory_store_ports(cf_memory_store *s, cf_ports *p)
{
	p->uow = (cf_uow){CF_UOW_VERSION, s, uow_begin, uow_commit, uow_rollback, NULL, NULL};
	p->users = (cf_user_repo){CF_USER_REPO_VERSION, s,           user_insert, user_get,
	                          user_get_by_email,    user_update, user_list,   user_next_seq};
	p->refresh_tokens = (cf_refresh_token_repo){CF_REFRESH_TOKEN_REPO_VERSION,
	                                            s,
	                                            tok_insert,
	                                            tok_get_by_hash,
	                                            tok_mark_spent,
	                                            tok_revoke_family,
	                                            tok_revoke_user};
	p->schemes = (cf_scheme_repo){CF_SCHEME_REPO_VERSION, s,          scheme_insert, scheme_get,
	                              scheme_update,          scheme_list};
	p->tickets = (cf_ticket_repo){CF_TICKET_REPO_VERSION,
	                              s,
	                              ticket_lock_scheme,
	                              ticket_insert,
	                              ticket_get,
	                              ticket_update,
	                              ticket_list_by_scheme,
	                              ticket_list_by_user,
	                              ticket_count};
	p->scheme_agents = (cf_scheme_agent_repo){CF_SCHEME_AGENT_REPO_VERSION,
	                                          s,
	                                          agent_assign,
	                                          agent_unassign,
	                                          agent_is,
	                                          agent_list};
	/* no append: the core links each row itself (lock_head + insert) */
	p->audit = (cf_audit_repo){CF_AUDIT_REPO_VERSION, s,          audit_lock_head,
	                           audit_insert,          audit_list, NULL};
	p->login_throttle = (cf_login_throttle_repo){
	        CF_LOGIN_THROTTLE_REPO_VERSION, s, thr_record, thr_count, thr_clear, thr_purge};
}
