/*
 * http_ratelimit.h - the general per-client request budget of the HTTP
 * frontend (api.md "rate limit"; docs/decisions/0005-request-rate-limit.md).
 *
 * A token bucket per client key: the authenticated user ("u:<user id>") when
 * the request carried a bearer token that authentication accepted, else the
 * client address ("a:<addr>", the peer or the X-Forwarded-For entry of a
 * trusted proxy). Each bucket holds at most `burst` tokens and refills at
 * `rps` tokens per second; a request takes one token or is refused with 429
 * rate-limited and a Retry-After computed from the bucket.
 *
 * The buckets live in a fixed-size table allocated once: a set-associative
 * hash table of CF_HTTP_RATELIMIT_WAYS entries per set, one mutex per set
 * (so threads contend only when their keys share a set). When a set is full
 * the least recently used entry is evicted: an entry idle long enough to
 * have refilled is the same as a new one, so ageing loses nothing; under a
 * flood of distinct keys an evicted client merely starts with a full burst
 * again. Memory stays bounded and nothing is allocated per request.
 *
 * The budget is per process: N servers behind a balancer allow N x the rate
 * (the login budgets, which protect passwords, are kept in PostgreSQL).
 */
#ifndef CF_HTTP_RATELIMIT_H
#define CF_HTTP_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "router.h"

#ifdef __cplusplus
extern "C" {
#endif

/** chitfund-server's refill rate when CHITFUND_RATE_LIMIT_RPS is unset. */
#define CF_HTTP_RATELIMIT_DEFAULT_RPS 50
/** chitfund-server's burst when CHITFUND_RATE_LIMIT_BURST is unset. */
#define CF_HTTP_RATELIMIT_DEFAULT_BURST 100
/** Buckets kept by the server's table (about 90 bytes each). */
#define CF_HTTP_RATELIMIT_DEFAULT_CAPACITY 8192
/** Entries per set (the unit of locking and of LRU eviction). */
#define CF_HTTP_RATELIMIT_WAYS 16
/** Longest key kept, NUL included; longer keys are cut (they then share a bucket). */
#define CF_HTTP_RATELIMIT_KEY_MAX 64
/** Largest accepted rate (requests per second) and burst. */
#define CF_HTTP_RATELIMIT_MAX 1000000

/** A bucket table (opaque; thread-safe). */
typedef struct cf_http_ratelimit cf_http_ratelimit;

/**
 * Create a table of buckets refilling at `milli_rps` thousandths of a token
 * per second (50 requests/s = 50000; 250 = one every 4 s) up to `burst`
 * tokens, holding at least `capacity` keys (rounded up to a power-of-two
 * number of sets of CF_HTTP_RATELIMIT_WAYS; 0: the default capacity). All
 * memory is allocated here. NULL when the rate or burst is 0 or above
 * CF_HTTP_RATELIMIT_MAX (x 1000 for the rate) - a disabled budget has no
 * table - or out of memory. Free with cf_http_ratelimit_free.
 */
cf_http_ratelimit *cf_http_ratelimit_new(uint32_t milli_rps, uint32_t burst, size_t capacity);

/** Free the table (NULL is fine). No call may be running on it. */
void cf_http_ratelimit_free(cf_http_ratelimit *rl);

/**
 * Take one token from `key`'s bucket at `now_ms` (a monotonic clock in
 * milliseconds; the caller passes it, so tests need no sleeping; a time
 * earlier than the bucket's last one counts as no time passed). A key not
 * in the table starts with a full bucket, evicting its set's least recently
 * used entry when the set is full. Returns true when admitted; false when
 * the bucket is empty, with *retry_after_s (may be NULL) set to the whole
 * seconds, at least 1, until a token will be there.
 */
bool cf_http_ratelimit_take(cf_http_ratelimit *rl, const char *key, int64_t now_ms,
                            int *retry_after_s);

/** Keys currently held (at most cf_http_ratelimit_capacity). */
size_t cf_http_ratelimit_count(cf_http_ratelimit *rl);

/** How many keys the table can hold. */
size_t cf_http_ratelimit_capacity(const cf_http_ratelimit *rl);

/** CLOCK_MONOTONIC in milliseconds (the clock the frontend passes as now_ms). */
int64_t cf_http_ratelimit_now_ms(void);

/** True for paths never budgeted: /healthz, /readyz, /metrics. */
bool cf_http_ratelimit_exempt(const char *path);

/**
 * The frontend's gate, called by the dispatcher after routing and
 * authentication and before the handler. Charges the request to its client
 * key (the user when r->actor is authenticated, else r->client_addr) unless
 * the budget is off or the path is exempt. Returns 0 when the handler may
 * run; non-zero when the request is already answered: either authentication
 * refused it (401/403; it is still charged, so floods of bad tokens use up
 * the address's budget) or the budget is spent, in which case this sends
 * 429 problem rate-limited with Retry-After.
 */
int cf_http_ratelimit_admit(cf_http_req *r);

#ifdef __cplusplus
}
#endif
#endif
