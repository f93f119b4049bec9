/*
 * http_ratelimit.c - see http_ratelimit.h.
 *
 * Tokens are counted in millionths (UNIT per token) and the rate in
 * thousandths of a token per second, so with a millisecond clock a bucket
 * gains exactly `milli_rps` units per millisecond and all the arithmetic is
 * in integers (burst <= 10^6 tokens: at most 10^12 units).
 */
#include "http_ratelimit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cf_infra/hash.h"

#include "http_private.h"

#define UNIT 1000000

typedef struct rl_entry {
	uint64_t hash;
	int64_t units;                       /* tokens x UNIT */
	int64_t last_ms;                     /* time of the last refill (and use: LRU order) */
	char key[CF_HTTP_RATELIMIT_KEY_MAX]; /* "" = free */
} rl_entry;

typedef struct rl_set {
	pthread_mutex_t mu;
	size_t used;
	rl_entry e[CF_HTTP_RATELIMIT_WAYS];
} rl_set;

struct cf_http_ratelimit {
	int64_t rate; /* units per millisecond (= milli_rps) */
	int64_t cap;  /* burst x UNIT */
	size_t nsets; /* a power of two */
	rl_set *sets;
};

/* FNV-1a over at most KEY_MAX - 1 bytes (what the entry keeps). */
static uint64_t key_hash(const char *k)
{
	uint64_t h = cf_fnv1a(k, strnlen(k, CF_HTTP_RATELIMIT_KEY_MAX - 1));

	return h ^ (h >> 29);
}

cf_http_ratelimit *cf_http_ratelimit_new(uint32_t milli_rps, uint32_t burst, size_t capacity)
{
	cf_http_ratelimit *rl;
	size_t want, n = 1;

	if (milli_rps == 0 || burst == 0 || milli_rps > (uint32_t)CF_HTTP_RATELIMIT_MAX * 1000u ||
	    burst > CF_HTTP_RATELIMIT_MAX)
		return NULL;
	if (capacity == 0)
		capacity = CF_HTTP_RATELIMIT_DEFAULT_CAPACITY;
	if (capacity > ((size_t)1 << 24))
		capacity = (size_t)1 << 24;
	want = (capacity + CF_HTTP_RATELIMIT_WAYS - 1) / CF_HTTP_RATELIMIT_WAYS;
	while (n < want)
		n <<= 1;
	rl = calloc(1, sizeof *rl);
	if (!rl)
		return NULL;
	rl->sets = calloc(n, sizeof *rl->sets);
	if (!rl->sets) {
		free(rl);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (pthread_mutex_init(&rl->sets[i].mu, NULL) != 0) {
			while (i-- > 0)
				pthread_mutex_destroy(&rl->sets[i].mu);
			free(rl->sets);
			free(rl);
			return NULL;
		}
	}
	rl->nsets = n;
	rl->rate = (int64_t)milli_rps;
	rl->cap = (int64_t)burst * UNIT;
	return rl;
}

void cf_http_ratelimit_free(cf_http_ratelimit *rl)
{
	if (!rl)
		return;
	for (size_t i = 0; i < rl->nsets; i++)
		pthread_mutex_destroy(&rl->sets[i].mu);
	free(rl->sets);
	free(rl);
}

/* The entry for key in set (found, a free one, or the least recently used
 * one taken over); a new or taken-over entry starts full. Set locked. */
static rl_entry *set_slot(const cf_http_ratelimit *rl, rl_set *set, const char *key, uint64_t h,
                          int64_t now_ms)
{
	rl_entry *victim = NULL;

	for (size_t i = 0; i < CF_HTTP_RATELIMIT_WAYS; i++) {
		rl_entry *e = &set->e[i];
		if (!e->key[0]) {
			if (!victim || victim->key[0])
				victim = e; /* a free slot beats any eviction */
			continue;
		}
		if (e->hash == h && strncmp(e->key, key, sizeof e->key - 1) == 0)
			return e;
		if (!victim || (victim->key[0] && e->last_ms < victim->last_ms))
			victim = e;
	}
	if (!victim->key[0])
		set->used++;
	snprintf(victim->key, sizeof victim->key, "%s", key);
	victim->hash = h;
	victim->units = rl->cap;
	victim->last_ms = now_ms;
	return victim;
}

bool cf_http_ratelimit_take(cf_http_ratelimit *rl, const char *key, int64_t now_ms,
                            int *retry_after_s)
{
	uint64_t h = key_hash(key);
	rl_set *set = &rl->sets[h & (rl->nsets - 1)];
	bool ok;
	int64_t wait_ms = 0;

	pthread_mutex_lock(&set->mu);
	rl_entry *e = set_slot(rl, set, key, h, now_ms);
	if (now_ms > e->last_ms) {
		int64_t elapsed = now_ms - e->last_ms;
		int64_t room = rl->cap - e->units;
		/* elapsed * rate may overflow only when it exceeds room anyway */
		if (elapsed >= room / rl->rate + 1)
			e->units = rl->cap;
		else
			e->units += elapsed * rl->rate;
		e->last_ms = now_ms;
	}
	ok = e->units >= UNIT;
	if (ok)
		e->units -= UNIT;
	else
		wait_ms = (UNIT - e->units + rl->rate - 1) / rl->rate;
	pthread_mutex_unlock(&set->mu);
	if (!ok && retry_after_s) {
		int64_t s = (wait_ms + 999) / 1000;
		*retry_after_s = s < 1 ? 1 : (int)s;
	}
	return ok;
}

size_t cf_http_ratelimit_count(cf_http_ratelimit *rl)
{
	size_t n = 0;

	for (size_t i = 0; i < rl->nsets; i++) {
		pthread_mutex_lock(&rl->sets[i].mu);
		n += rl->sets[i].used;
		pthread_mutex_unlock(&rl->sets[i].mu);
	}
	return n;
}

size_t cf_http_ratelimit_capacity(const cf_http_ratelimit *rl)
{
	return rl->nsets * CF_HTTP_RATELIMIT_WAYS;
}

int64_t cf_http_ratelimit_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool cf_http_ratelimit_exempt(const char *path)
{
	return path && (strcmp(path, "/healthz") == 0 || strcmp(path, "/readyz") == 0 ||
	                strcmp(path, "/metrics") == 0);
}

int cf_http_ratelimit_admit(cf_http_req *r)
{
	cf_http_ratelimit *rl = r->srv->ratelimit;
	char key[CF_HTTP_RATELIMIT_KEY_MAX];
	int retry = 1;
	bool ok;

	if (!rl || cf_http_ratelimit_exempt(r->ri->local_uri))
		return r->status != 0;
	if (r->actor.user_id[0])
		snprintf(key, sizeof key, "u:%s", r->actor.user_id);
	else
		snprintf(key, sizeof key, "a:%s", r->client_addr);
	ok = cf_http_ratelimit_take(rl, key, cf_http_ratelimit_now_ms(), &retry);
	if (r->status != 0)
		return 1; /* authentication answered already; the request is charged */
	if (ok)
		return 0;
	r->retry_after = retry;
	cf_http_send_problem(r, 429, "rate-limited",
	                     "this client has sent too many requests; retry after the number of "
	                     "seconds in Retry-After",
	                     NULL);
	return 1;
}
