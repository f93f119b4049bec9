/*
 * chitfund/adapters/memory.h - the in-memory adapter: every repository port
 * plus the unit of work over one process-local store, and deterministic
 * service ports (fixed/steppable clock, seeded random source, a pure-C
 * SHA-256 digest, a fake password hasher and a fake token signer).
 *
 * For tests and embedding. The store serialises transactions with one mutex
 * held from begin to commit/rollback; rollback discards every change (undo
 * log). The fake hasher and signer are NOT secure: never use them outside
 * tests. No cipher is provided here (tests/support has a test cipher).
 */
#ifndef CHITFUND_ADAPTERS_MEMORY_H
#define CHITFUND_ADAPTERS_MEMORY_H

#include <stdint.h>

#include "chitfund/sys/ports.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An in-memory store (opaque). */
typedef struct cf_memory_store cf_memory_store;

/** Create an empty store. CF_ENOMEM. Free with cf_memory_store_free. */
int cf_memory_store_new(cf_memory_store **out);
/** Free a store and everything in it (NULL-safe). No tx may be open. */
void cf_memory_store_free(cf_memory_store *s);

/**
 * Fill the storage members of *out (uow, users, refresh_tokens, schemes,
 * tickets, scheme_agents, audit, login_throttle) with ports over s; other
 * members are left untouched. The ports borrow s.
 */
void cf_memory_store_ports(cf_memory_store *s, cf_ports *out);

/**
 * Test hook: the next `times` commits fail with `code` (e.g. CF_ERETRY) and
 * roll back instead of committing.
 */
void cf_memory_store_fail_commits(cf_memory_store *s, int code, int times);

/** Number of successful commits so far (tests assert "nothing committed"). */
int64_t cf_memory_store_commits(const cf_memory_store *s);

/** A fixed, steppable clock (opaque). */
typedef struct cf_memory_clock cf_memory_clock;
/** Create a clock reading start_ms until moved. CF_ENOMEM. */
int cf_memory_clock_new(cf_memory_clock **out, int64_t start_ms);
/** Free (NULL-safe). */
void cf_memory_clock_free(cf_memory_clock *c);
/** Set the time. */
void cf_memory_clock_set(cf_memory_clock *c, int64_t now_ms);
/** Move the time by delta_ms (may be negative). */
void cf_memory_clock_advance(cf_memory_clock *c, int64_t delta_ms);
/** The clock port over c (sleep_ms advances the clock instead of sleeping). */
cf_clock cf_memory_clock_port(cf_memory_clock *c);

/** A seeded deterministic random source (opaque; xoshiro-style, not secure). */
typedef struct cf_memory_rng cf_memory_rng;
/** Create with a seed. CF_ENOMEM. */
int cf_memory_rng_new(cf_memory_rng **out, uint64_t seed);
/** Free (NULL-safe). */
void cf_memory_rng_free(cf_memory_rng *r);
/** The rng port over r. */
cf_rng cf_memory_rng_port(cf_memory_rng *r);

/** SHA-256 in pure C (FIPS 180-4). */
void cf_memory_sha256(const void *data, size_t len, uint8_t out[32]);
/** A stateless digest port using cf_memory_sha256. */
cf_digest cf_memory_digest_port(void);

/**
 * A fake password hasher: "fake$<salt hex>$<sha256 hex of salt:password>".
 * INSECURE (fast); tests only. Stateless.
 */
cf_password_hasher cf_memory_fake_hasher_port(void);

/**
 * A fake token signer: "fake.<hex payload>.<hex sha256(key . payload)>" with a
 * fixed key; verify rejects any altered token. INSECURE; tests only.
 */
cf_token_signer cf_memory_fake_signer_port(void);

#ifdef __cplusplus
}
#endif
#endif
