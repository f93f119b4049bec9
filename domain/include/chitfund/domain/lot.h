/*
 * chitfund/domain/lot.h - the verifiable lot (domain.md "One draw, step by
 * step", and its golden vectors).
 *
 * When an auction opens, 32 random bytes become the seed: their 64-char
 * lowercase hex text. The commitment is the lowercase hex SHA-256 of the
 * seed text. At close the digest is SHA-256 over seed + auction_id +
 * candidates ("3,7,12") with no separators between the three parts, and
 * the winner is candidates[index], index = (first 8 digest bytes as a
 * big-endian u64) mod count. Anyone can recompute it with sha256sum.
 *
 * The domain stays pure: the caller supplies the random bytes and the
 * SHA-256 function. Nothing is allocated.
 */
#ifndef CHITFUND_DOMAIN_LOT_H
#define CHITFUND_DOMAIN_LOT_H

#include <stddef.h>
#include <stdint.h>

#include "chitfund/domain/errcode.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Characters of a seed or commitment text (64 lowercase hex digits). */
#define CF_LOT_HEX_LEN 64
/** Most candidates a lot takes (a scheme has at most 1000 tickets). */
#define CF_LOT_MAX_CANDIDATES 1000
/** Length of a canonical UUID text. */
#define CF_LOT_UUID_LEN 36

/**
 * A SHA-256 implementation: writes the 32-byte digest of data[0..len) to
 * out. Supplied by the caller (OpenSSL in infrastructure, a reference
 * implementation in tests). Must be safe to call with len == 0.
 */
typedef void (*cf_digest_fn)(const void *data, size_t len, uint8_t out[32]);

/** What the close response and the minutes carry as `lot_proof`. */
typedef struct cf_lot_proof {
	char commitment[CF_LOT_HEX_LEN + 1]; /**< hex SHA-256 of the seed text */
	char seed[CF_LOT_HEX_LEN + 1];       /**< the revealed seed text */
	size_t index;                        /**< 0-based index into the candidates */
	int32_t winner;                      /**< candidates[index] */
} cf_lot_proof;

/** Seed text from 32 random bytes: 64 lowercase hex chars plus NUL into out. */
void cf_lot_seed_from_bytes(const uint8_t bytes[32], char out[CF_LOT_HEX_LEN + 1]);

/** Lowercase hex of a 32-byte digest into out (64 chars plus NUL). */
void cf_lot_hex(const uint8_t digest[32], char out[CF_LOT_HEX_LEN + 1]);

/** True when s is exactly 64 lowercase hex digits (NUL-terminated). */
int cf_lot_seed_valid(const char *s);

/** True when s is a canonical lowercase UUID (8-4-4-4-12 hex, NUL-terminated). */
int cf_lot_uuid_valid(const char *s);

/**
 * The commitment to publish when the auction opens: lowercase hex SHA-256
 * of the seed text. CF_EINVALID for a malformed seed or NULL arguments.
 */
int cf_lot_commitment(const char *seed, cf_digest_fn sha256, char out[CF_LOT_HEX_LEN + 1]);

/**
 * The digest SHA-256(seed + auction_id + "c1,c2,...") into out.
 * Candidates must be 1..CF_LOT_MAX_CANDIDATES positive ticket numbers in
 * strictly ascending order. CF_EINVALID for a malformed seed or auction id,
 * empty, unsorted or too many candidates, or NULL arguments.
 */
int cf_lot_digest(const char *seed, const char *auction_id, const int32_t *candidates, size_t count,
                  cf_digest_fn sha256, uint8_t out[32]);

/** index = (first 8 bytes of digest, big-endian) mod count. count must be > 0. */
size_t cf_lot_index(const uint8_t digest[32], size_t count);

/**
 * Draw the lot: fills proof (commitment, seed, index, winner). Same errors
 * as cf_lot_digest.
 */
int cf_lot_draw(const char *seed, const char *auction_id, const int32_t *candidates, size_t count,
                cf_digest_fn sha256, cf_lot_proof *proof);

/**
 * Re-check a published lot: the commitment matches the seed and the index
 * is what the digest gives. CF_OK when it holds, CF_EINVALID otherwise.
 */
int cf_lot_verify(const char *commitment, const char *seed, const char *auction_id,
                  const int32_t *candidates, size_t count, size_t index, cf_digest_fn sha256);

#ifdef __cplusplus
}
#endif
#endif
