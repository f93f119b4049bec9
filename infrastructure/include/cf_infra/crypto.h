/*
 * cf_infra/crypto.h - OpenSSL-backed primitives: randomness, SHA-256,
 * HMAC-SHA256, hex and base64url text, constant-time comparison, UUID v4 and
 * AES-256-GCM sealing.
 *
 * Sealed format (binary, what the cipher port stores beside its key id):
 *   nonce (12 random bytes) || ciphertext (same length as the plaintext) || tag (16 bytes)
 * so a sealed value is CF_GCM_OVERHEAD bytes longer than its plaintext. The key
 * id is not inside the blob; callers keep it next to it (cf_sealed.key_id) and
 * should include it in the associated data if moving a blob between keys must fail.
 *
 * All functions are thread-safe and allocate nothing the caller must free.
 */
#ifndef CF_INFRA_CRYPTO_H
#define CF_INFRA_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CF_SHA256_LEN     32 /**< SHA-256 / HMAC-SHA256 output bytes */
#define CF_GCM_KEY_LEN    32 /**< AES-256 key bytes */
#define CF_GCM_NONCE_LEN  12 /**< GCM nonce bytes */
#define CF_GCM_TAG_LEN    16 /**< GCM tag bytes */
#define CF_GCM_OVERHEAD   (CF_GCM_NONCE_LEN + CF_GCM_TAG_LEN) /**< sealed - plain length */
#define CF_UUID_TEXT_SIZE 37                                  /**< 36 chars + NUL */

/** Fill buf with n cryptographically secure random bytes (RAND_bytes). CF_OK or CF_ERROR. */
int cf_random_bytes(void *buf, size_t n);

/** out = SHA-256 of the len bytes at data. CF_OK, CF_EINVALID (NULL args), CF_ERROR. */
int cf_sha256(const void *data, size_t len, uint8_t out[CF_SHA256_LEN]);

/** out = HMAC-SHA256(key, data). CF_OK, CF_EINVALID, CF_ERROR. */
int cf_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                   uint8_t out[CF_SHA256_LEN]);

/**
 * Lowercase hex of n bytes into out (needs 2n+1 bytes, NUL-terminated).
 * CF_OK or CF_EBUFFER.
 */
int cf_hex_encode(const void *data, size_t n, char *out, size_t cap);

/**
 * Decode hex text (either case, even length, no separators) into out and set
 * *out_len. CF_EINVALID for bad text, CF_EBUFFER when cap is too small.
 */
int cf_hex_decode(const char *hex, uint8_t *out, size_t cap, size_t *out_len);

/** Base64url text length (no padding) for n bytes, without the NUL. */
size_t cf_base64url_len(size_t n);

/**
 * Base64url (RFC 4648 section 5) without padding into out (NUL-terminated).
 * CF_OK or CF_EBUFFER (needs cf_base64url_len(n) + 1 bytes).
 */
int cf_base64url_encode(const void *data, size_t n, char *out, size_t cap);

/**
 * Decode `len` chars of base64url text (padding '=' optional; '+' and '/' are
 * refused) into out, setting *out_len. CF_EINVALID for bad text (including
 * non-zero trailing bits), CF_EBUFFER.
 */
int cf_base64url_decode(const char *text, size_t len, uint8_t *out, size_t cap, size_t *out_len);

/**
 * Decode standard base64 (RFC 4648 section 4: '+' and '/', '=' padding
 * optional) into out. CF_EINVALID, CF_EBUFFER.
 */
int cf_base64_decode(const char *text, size_t len, uint8_t *out, size_t cap, size_t *out_len);

/** 1 when the n bytes at a and b are equal, in time independent of the contents. */
int cf_ct_equal(const void *a, const void *b, size_t n);

/**
 * A random (version 4) UUID as canonical lowercase text
 * ("xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx") into out (CF_UUID_TEXT_SIZE).
 * CF_OK, CF_ERROR (no randomness), CF_EBUFFER.
 */
int cf_uuid_v4(char *out, size_t cap);

/**
 * AES-256-GCM encrypt `len` bytes with a fresh random nonce, authenticating
 * `aad` (may be NULL when aad_len is 0). Writes nonce||ciphertext||tag to out
 * and sets *out_len = len + CF_GCM_OVERHEAD. CF_EBUFFER, CF_EINVALID, CF_ERROR.
 */
int cf_gcm_seal(const uint8_t key[CF_GCM_KEY_LEN], const void *aad, size_t aad_len,
                const void *plain, size_t len, uint8_t *out, size_t cap, size_t *out_len);

/**
 * Reverse of cf_gcm_seal: check the tag over ciphertext and aad and write the
 * plaintext (sealed_len - CF_GCM_OVERHEAD bytes) to out. CF_ERROR when
 * authentication fails (wrong key, aad or tampered data; out is wiped),
 * CF_EINVALID when sealed is too short, CF_EBUFFER.
 */
int cf_gcm_open(const uint8_t key[CF_GCM_KEY_LEN], const void *aad, size_t aad_len,
                const uint8_t *sealed, size_t sealed_len, void *out, size_t cap, size_t *out_len);

/** Overwrite n bytes of secret material (OPENSSL_cleanse). */
void cf_wipe(void *p, size_t n);

#ifdef __cplusplus
}
#endif
#endif
