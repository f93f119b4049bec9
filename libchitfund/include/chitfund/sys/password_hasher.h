/*
 * chitfund/sys/password_hasher.h - password hashing port (production:
 * libxcrypt yescrypt "$y$", and bcrypt "$2b$" hashes verify too).
 */
#ifndef CHITFUND_SYS_PASSWORD_HASHER_H
#define CHITFUND_SYS_PASSWORD_HASHER_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CF_PASSWORD_HASHER_VERSION 1
/** Buffer size for a stored password hash (255 chars + NUL). */
#define CF_PASSWORD_HASH_SIZE 256

/** Password hasher port. Passwords are NUL-terminated UTF-8, 1..128 bytes. */
typedef struct cf_password_hasher {
	unsigned int version; /**< CF_PASSWORD_HASHER_VERSION */
	void *self;
	/**
	 * Required. Hash `password` with a fresh salt into out (NUL-terminated,
	 * at most cap bytes). CF_EBUFFER when cap is too small, CF_ERROR.
	 */
	int (*hash)(void *self, const char *password, char *out, size_t cap);
	/**
	 * Required. *ok = whether `password` matches `hash` (constant-time
	 * comparison). An unparsable hash gives CF_OK with *ok = false. It must
	 * take the same time for a real hash and for a dummy hash of the same
	 * kind (the core verifies unknown emails against a dummy hash).
	 */
	int (*verify)(void *self, const char *password, const char *hash, bool *ok);
	/**
	 * Optional (NULL: never). *out = true when `hash` uses an older method or
	 * cost and should be replaced on the next successful login.
	 */
	int (*needs_rehash)(void *self, const char *hash, bool *out);
	/* ---- end of version 1 ---- */
} cf_password_hasher;

#ifdef __cplusplus
}
#endif
#endif
