/*
 * chitfund/sys/cipher.h - personal-data encryption port (production:
 * AES-256-GCM with a key from the environment; a random 96-bit nonce per
 * call). The key id travels beside the ciphertext so keys can be rotated:
 * decrypt picks the key by id, encrypt always uses the current key.
 */
#ifndef CHITFUND_SYS_CIPHER_H
#define CHITFUND_SYS_CIPHER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CF_CIPHER_VERSION 1
/** Largest sealed blob (nonce + ciphertext + tag) in bytes. */
#define CF_SEALED_MAX 96
/** Largest plaintext a cf_sealed can carry (CF_SEALED_MAX - 12 nonce - 16 tag). */
#define CF_SEALED_PLAIN_MAX 68
/** Key id text size ("k1", "2026-04"): up to 32 chars. */
#define CF_KEY_ID_SIZE 33

/** An encrypted value: len == 0 means "no value". Layout of data is the adapter's. */
typedef struct cf_sealed {
	char key_id[CF_KEY_ID_SIZE];
	uint32_t len;
	uint8_t data[CF_SEALED_MAX];
} cf_sealed;

/** Cipher port. */
typedef struct cf_cipher {
	unsigned int version; /**< CF_CIPHER_VERSION */
	void *self;
	/**
	 * Required. Encrypt `len` bytes (1..CF_SEALED_PLAIN_MAX) with the current
	 * key, authenticating `aad` (the core passes "<user id>:<field>", so a
	 * blob cannot be moved to another row or field). CF_EINVALID for a bad
	 * length; CF_ERROR.
	 */
	int (*encrypt)(void *self, const void *aad, size_t aad_len, const void *plain, size_t len,
	               cf_sealed *out);
	/**
	 * Required. Decrypt into plain (cap bytes) and set *len. CF_ENOTFOUND
	 * when key_id is unknown; CF_ERROR when authentication fails; CF_EBUFFER.
	 */
	int (*decrypt)(void *self, const void *aad, size_t aad_len, const cf_sealed *in,
	               void *plain, size_t cap, size_t *len);
	/* ---- end of version 1 ---- */
} cf_cipher;

#ifdef __cplusplus
}
#endif
#endif
