/*
 * pg_cache.c - the store's read cache of user and scheme rows
 * (cf_pg_store_cache_start; decision 0006).
 *
 * What it is: for each kind (users, schemes) a set-associative table of
 * row copies keyed by id: `entries` slots in sets of CF_PGAD_CACHE_WAYS,
 * the least recently used way of a full set replaced. Striped mutexes guard
 * the sets. Only read-only units of work (cf__run_read: no BEGIN) look rows
 * up and fill them in; a unit that writes always reads the database.
 *
 * How it stays right:
 *  - Every write of a cached row in this process goes through users.update
 *    or schemes.update/insert of this adapter, which records the id on the
 *    tx; when the tx ends the ids are invalidated, before the use case
 *    answers (read-your-writes in the process).
 *  - Writes from other processes (other servers, psql, migrations) reach us
 *    through the triggers of migration 0051, which NOTIFY "users:<id>" or
 *    "schemes:<id>" on channel cf_cache at commit; a listener thread here
 *    invalidates the id. Between another process's commit and the
 *    notification's arrival (normally well under a millisecond) a stale row
 *    may be served: the same window a read replica has.
 *  - A fill that raced with an invalidation must not put the old row back:
 *    a reader takes the generation before reading the database and the fill
 *    is dropped if any invalidation happened since (the invalidator bumps
 *    the generation first, then removes the key under the set's lock).
 *  - While the listener's connection is down notifications are lost: the
 *    cache is off (every read goes to the database) until LISTEN is active
 *    again, and then it starts empty.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_infra/pg_notify.h"
#include "cf_infra/hash.h"
#include "pg_adapter.h"

#define CF_PGAD_CACHE_WAYS    4
#define CF_PGAD_CACHE_STRIPES 64
#define CF_PGAD_CACHE_CHANNEL "cf_cache"

typedef struct slot_hdr {
	uint64_t used_at; /* 0: empty; else the set's clock at the last use */
	char key[CF_ID_SIZE];
} slot_hdr;

typedef struct table {
	size_t nsets;
	size_t value_size;
	size_t slot_size;
	unsigned char *slots; /* nsets * WAYS slots: header then value */
	uint64_t *clock;      /* per set */
	pthread_mutex_t mu[CF_PGAD_CACHE_STRIPES];
} table;

struct cf_pgad_cache {
	table t[CF_PGAD_CACHE_KINDS];
	_Atomic uint64_t gen;
	atomic_bool enabled;
	atomic_ullong hits, misses, invalidations, flushes;
	cf_pg_listener *listener;
};

static const char *const kind_name[CF_PGAD_CACHE_KINDS] = {"users", "schemes"};

static uint64_t key_hash(const char *k)
{
	return cf_fnv1a(k, strlen(k));
}

static slot_hdr *slot_at(table *t, size_t set, size_t way)
{
	return (slot_hdr *)(t->slots + (set * CF_PGAD_CACHE_WAYS + way) * t->slot_size);
}

static int table_init(table *t, size_t entries, size_t value_size)
{
	t->nsets = entries / CF_PGAD_CACHE_WAYS;
	if (t->nsets == 0)
		t->nsets = 1;
	t->value_size = value_size;
	t->slot_size = (sizeof(slot_hdr) + value_size + 15) & ~(size_t)15;
	t->slots = calloc(t->nsets * CF_PGAD_CACHE_WAYS, t->slot_size);
	t->clock = calloc(t->nsets, sizeof *t->clock);
	if (t->slots == NULL || t->clock == NULL) {
		free(t->slots);
		free(t->clock);
		t->slots = NULL;
		t->clock = NULL;
		return CF_ENOMEM;
	}
	for (int i = 0; i < CF_PGAD_CACHE_STRIPES; i++)
		pthread_mutex_init(&t->mu[i], NULL);
	return CF_OK;
}

static void table_free(table *t)
{
	if (t->slots == NULL)
		return;
	for (int i = 0; i < CF_PGAD_CACHE_STRIPES; i++)
		pthread_mutex_destroy(&t->mu[i]);
	free(t->slots);
	free(t->clock);
	t->slots = NULL;
}

/* Remove key (NULL: every key) from t. */
static void table_remove(table *t, const char *key)
{
	if (key == NULL) {
		for (size_t set = 0; set < t->nsets; set++) {
			pthread_mutex_t *mu = &t->mu[set % CF_PGAD_CACHE_STRIPES];

			pthread_mutex_lock(mu);
			for (size_t w = 0; w < CF_PGAD_CACHE_WAYS; w++)
				slot_at(t, set, w)->used_at = 0;
			pthread_mutex_unlock(mu);
		}
		return;
	}
	size_t set = key_hash(key) % t->nsets;
	pthread_mutex_t *mu = &t->mu[set % CF_PGAD_CACHE_STRIPES];

	pthread_mutex_lock(mu);
	for (size_t w = 0; w < CF_PGAD_CACHE_WAYS; w++) {
		slot_hdr *h = slot_at(t, set, w);

		if (h->used_at != 0 && strcmp(h->key, key) == 0)
			h->used_at = 0;
	}
	pthread_mutex_unlock(mu);
}

/* ---- invalidation ---- */

static void invalidate(cf_pgad_cache *c, int kind, const char *key)
{
	atomic_fetch_add(&c->gen, 1); /* first: a fill in flight is dropped */
	if (kind < 0) {
		for (int k = 0; k < CF_PGAD_CACHE_KINDS; k++)
			table_remove(&c->t[k], NULL);
		atomic_fetch_add(&c->flushes, 1);
		return;
	}
	table_remove(&c->t[kind], key);
	atomic_fetch_add(&c->invalidations, 1);
}

/* "users:<uuid>" or "schemes:<uuid>"; anything else flushes (never guess). */
static void on_notify(const char *payload, size_t len, void *user)
{
	cf_pgad_cache *c = user;
	const char *colon = memchr(payload, ':', len);

	if (colon != NULL) {
		size_t kl = (size_t)(colon - payload);

		for (int k = 0; k < CF_PGAD_CACHE_KINDS; k++)
			if (strlen(kind_name[k]) == kl && memcmp(payload, kind_name[k], kl) == 0 &&
			    cf_pgad_is_uuid(colon + 1)) {
				invalidate(c, k, colon + 1);
				return;
			}
	}
	invalidate(c, -1, NULL);
}

static void on_down(void *user)
{
	cf_pgad_cache *c = user;

	atomic_store(&c->enabled, false);
	invalidate(c, -1, NULL);
}

static void on_gap(void *user)
{
	cf_pgad_cache *c = user;

	invalidate(c, -1, NULL); /* what changed while we were deaf is unknown */
	atomic_store(&c->enabled, true);
}

/* ---- lookups (internal API, pg_adapter.h) ---- */

static cf_pgad_cache *usable(cf_tx *tx)
{
	cf_pgad_cache *c;

	if (tx == NULL || !tx->read_only || tx->store == NULL)
		return NULL;
	c = tx->store->cache;
	if (c == NULL || !atomic_load_explicit(&c->enabled, memory_order_acquire))
		return NULL;
	return c;
}

int cf_pgad_cache_lookup(cf_tx *tx, int kind, const char *id, void *out, uint64_t *gen)
{
	cf_pgad_cache *c = usable(tx);
	table *t;
	size_t set;
	pthread_mutex_t *mu;
	int found = 0;

	if (c == NULL || kind < 0 || kind >= CF_PGAD_CACHE_KINDS)
		return -1;
	*gen = atomic_load_explicit(&c->gen, memory_order_acquire);
	t = &c->t[kind];
	set = key_hash(id) % t->nsets;
	mu = &t->mu[set % CF_PGAD_CACHE_STRIPES];
	pthread_mutex_lock(mu);
	for (size_t w = 0; w < CF_PGAD_CACHE_WAYS; w++) {
		slot_hdr *h = slot_at(t, set, w);

		if (h->used_at != 0 && strcmp(h->key, id) == 0) {
			h->used_at = ++t->clock[set];
			memcpy(out, h + 1, t->value_size);
			found = 1;
			break;
		}
	}
	pthread_mutex_unlock(mu);
	atomic_fetch_add_explicit(found ? &c->hits : &c->misses, 1, memory_order_relaxed);
	return found;
}

void cf_pgad_cache_fill(cf_tx *tx, int kind, const char *id, const void *val, uint64_t gen)
{
	cf_pgad_cache *c = usable(tx);
	table *t;
	size_t set, victim = 0;
	pthread_mutex_t *mu;
	uint64_t oldest = UINT64_MAX;

	if (c == NULL || kind < 0 || kind >= CF_PGAD_CACHE_KINDS || strlen(id) >= CF_ID_SIZE)
		return;
	t = &c->t[kind];
	set = key_hash(id) % t->nsets;
	mu = &t->mu[set % CF_PGAD_CACHE_STRIPES];
	pthread_mutex_lock(mu);
	if (atomic_load_explicit(&c->gen, memory_order_acquire) == gen) {
		for (size_t w = 0; w < CF_PGAD_CACHE_WAYS; w++) {
			slot_hdr *h = slot_at(t, set, w);

			if (h->used_at != 0 && strcmp(h->key, id) == 0) {
				victim = w; /* refresh in place */
				break;
			}
			if (h->used_at < oldest) {
				oldest = h->used_at;
				victim = w;
			}
		}
		slot_hdr *h = slot_at(t, set, victim);

		memcpy(h->key, id, strlen(id) + 1);
		memcpy(h + 1, val, t->value_size);
		h->used_at = ++t->clock[set];
	}
	pthread_mutex_unlock(mu);
}

void cf_pgad_cache_touch(cf_tx *tx, int kind, const char *id)
{
	if (tx == NULL || tx->store == NULL || tx->store->cache == NULL)
		return;
	if (tx->n_touched < CF_PGAD_TX_TOUCHED && strlen(id) < CF_ID_SIZE) {
		tx->touched[tx->n_touched].kind = kind;
		memcpy(tx->touched[tx->n_touched].id, id, strlen(id) + 1);
		tx->n_touched++;
	} else {
		tx->touched_overflow = true;
	}
}

void cf_pgad_cache_tx_end(cf_tx *tx)
{
	cf_pgad_cache *c = tx->store ? tx->store->cache : NULL;

	if (c != NULL) {
		if (tx->touched_overflow)
			invalidate(c, -1, NULL);
		else
			for (size_t i = 0; i < tx->n_touched; i++)
				invalidate(c, tx->touched[i].kind, tx->touched[i].id);
	}
	tx->n_touched = 0;
	tx->touched_overflow = false;
}

/* ---- public ---- */

int cf_pg_store_cache_start(cf_pg_store *s, const char *conninfo, size_t entries, cf_error *err)
{
	cf_pgad_cache *c;
	cf_pg_listener_config lc;
	int rc;

	if (s == NULL || conninfo == NULL || entries == 0 || entries > ((size_t)1 << 24))
		return cf_error_set(err, CF_EINVALID, "invalid", "entries",
		                    "the cache needs a conninfo and 1 to 16777216 entries");
	if (s->cache != NULL)
		return cf_error_set(err, CF_EINVALID, "invalid", "",
		                    "the cache is already started");
	c = calloc(1, sizeof *c);
	if (c == NULL)
		return cf_error_set(err, CF_ENOMEM, "internal-error", "", "out of memory");
	if (table_init(&c->t[CF_PGAD_CACHE_USERS], entries, sizeof(cf_user_row)) < 0 ||
	    table_init(&c->t[CF_PGAD_CACHE_SCHEMES], entries, sizeof(cf_scheme)) < 0) {
		table_free(&c->t[CF_PGAD_CACHE_USERS]);
		free(c);
		return cf_error_set(err, CF_ENOMEM, "internal-error", "", "out of memory");
	}
	memset(&lc, 0, sizeof lc);
	lc.conninfo = conninfo;
	lc.channel = CF_PGAD_CACHE_CHANNEL;
	lc.on_notify = on_notify;
	lc.on_gap = on_gap;
	lc.on_down = on_down;
	lc.user = c;
	/* LISTEN is active when this returns: no write committed later is missed */
	if ((rc = cf_pg_listener_start(&c->listener, &lc, err)) < 0) {
		for (int k = 0; k < CF_PGAD_CACHE_KINDS; k++)
			table_free(&c->t[k]);
		free(c);
		return rc;
	}
	atomic_store(&c->enabled, true);
	s->cache = c;
	return CF_OK;
}

void cf_pgad_cache_free(cf_pgad_cache *c)
{
	if (c == NULL)
		return;
	cf_pg_listener_stop(c->listener);
	for (int k = 0; k < CF_PGAD_CACHE_KINDS; k++)
		table_free(&c->t[k]);
	free(c);
}

void cf_pg_store_cache_stats(cf_pg_store *s, cf_pg_cache_stats *out)
{
	cf_pgad_cache *c = s ? s->cache : NULL;

	memset(out, 0, sizeof *out);
	if (c == NULL)
		return;
	out->started = true;
	out->enabled = atomic_load(&c->enabled);
	out->hits = atomic_load(&c->hits);
	out->misses = atomic_load(&c->misses);
	out->invalidations = atomic_load(&c->invalidations);
	out->flushes = atomic_load(&c->flushes);
}

int cf_pg_store_cache_listener_pid(cf_pg_store *s)
{
	return s && s->cache ? cf_pg_listener_backend_pid(s->cache->listener) : 0;
}
