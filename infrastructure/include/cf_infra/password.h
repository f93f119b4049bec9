/*
 * cf_infra/password.h - password hashing with libxcrypt (crypt_r,
 * crypt_gensalt_rn).
 *
 * New hashes use the policy's method: yescrypt ("$y$", default, cost 1..11,
 * production default 5) or bcrypt ("$2b$", cost 4..31, default 12; bcrypt
 * ignores bytes past 72, so hashing a longer password with it is refused).
 * Verification accepts any method libxcrypt knows and compares in constant
 * time. Thread-safe: every call uses its own heap crypt_data.
 */
#ifndef CF_INFRA_PASSWORD_H
#define CF_INFRA_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Hash method for new hashes. */
typedef enum cf_password_method {
	CF_PASSWORD_YESCRYPT = 0, /**< "$y$" */
	CF_PASSWORD_BCRYPT = 1    /**< "$2b$" */
} cf_password_method;

#define CF_PASSWORD_YESCRYPT_COST 5   /**< production default for yescrypt */
#define CF_PASSWORD_BCRYPT_COST   12  /**< production default for bcrypt */
#define CF_PASSWORD_MAX           128 /**< longest password accepted, bytes */
#define CF_PASSWORD_HASH_MAX      256 /**< buffer for a hash, NUL included */

/**
 * Method and cost for new hashes, plus the dummy hash used to make a login
 * for an unknown account cost the same as a real one. Fill with
 * cf_password_policy_init; a plain value afterwards (read-only, shareable).
 */
typedef struct cf_password_policy {
	cf_password_method method;
	unsigned long cost;
	char dummy[CF_PASSWORD_HASH_MAX]; /**< hash of a random password, same method/cost */
} cf_password_policy;

/**
 * Check method/cost (cost 0 = the method's default) and compute the dummy
 * hash. CF_EINVALID for a cost out of range; CF_ERROR when libxcrypt fails.
 */
int cf_password_policy_init(cf_password_policy *p, cf_password_method method, unsigned long cost);

/**
 * Hash `password` (1..CF_PASSWORD_MAX bytes) with a fresh random salt into out.
 * CF_EINVALID (empty/too long password), CF_EBUFFER, CF_ERROR.
 */
int cf_password_hash(const cf_password_policy *p, const char *password, char *out, size_t cap);

/**
 * *ok = whether password matches hash, compared in constant time. A hash
 * libxcrypt cannot parse gives CF_OK and *ok = false (after spending the
 * same work as a dummy verify). CF_EINVALID for NULL arguments.
 */
int cf_password_verify(const cf_password_policy *p, const char *password, const char *hash,
                       bool *ok);

/**
 * Verify `password` against the policy's dummy hash and throw the answer
 * away: call it when the account does not exist so the reply takes as long.
 */
void cf_password_verify_dummy(const cf_password_policy *p, const char *password);

/**
 * true when `hash` was made with another method or cost than the policy's
 * (or cannot be parsed), so it should be replaced on the next login.
 */
bool cf_password_needs_rehash(const cf_password_policy *p, const char *hash);

#ifdef __cplusplus
}
#endif
#endif
