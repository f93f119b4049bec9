/*
 * cf_infra/jwt.h - HS256 JSON Web Tokens with libjwt 1.10.
 *
 * Only HS256 is ever issued or accepted. Before libjwt sees a token, verify
 * checks its shape (three base64url parts), that the header is a JSON object
 * whose "alg" is exactly "HS256" (so "none", HS512, RS256 ... are refused),
 * and the HMAC-SHA256 signature in constant time; libjwt then decodes it with
 * the key and its algorithm is checked again. Time claims are checked against
 * a `now` passed in (no wall clock here).
 */
#ifndef CF_INFRA_JWT_H
#define CF_INFRA_JWT_H

#include <stddef.h>
#include <stdint.h>

#include "chitfund/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_JWT_KEY_MAX    256  /**< longest HMAC key kept, bytes */
#define CF_JWT_MAX_LEEWAY 30   /**< largest clock leeway accepted, seconds */
#define CF_JWT_TOKEN_MAX  4096 /**< longest token verify accepts */

/** Signing key and the issuer/audience to issue and to require. */
typedef struct cf_jwt_key {
	unsigned char key[CF_JWT_KEY_MAX];
	size_t key_len;
	char iss[64]; /**< issued as "iss"; verify requires it when not "" */
	char aud[64]; /**< issued as "aud" when not ""; verify requires it when not "" */
	int leeway_s; /**< 0..CF_JWT_MAX_LEEWAY seconds of tolerance on exp/nbf/iat */
} cf_jwt_key;

/** The claims of a token. Strings are NUL-terminated; missing ones are "". */
typedef struct cf_jwt_claims {
	char sub[64];
	char role[32];
	char jti[64]; /**< issue: generated (UUID v4) when "" */
	char iss[64]; /**< filled by issue/verify from the key / the token */
	char aud[64];
	int64_t iat, nbf, exp; /**< Unix seconds */
} cf_jwt_claims;

/**
 * Fill *k: copies key (32..CF_JWT_KEY_MAX bytes), iss and aud (NULL = "").
 * CF_EINVALID (short key, long strings, leeway out of 0..30).
 */
int cf_jwt_key_init(cf_jwt_key *k, const void *key, size_t key_len, const char *iss,
                    const char *aud, int leeway_s, cf_error *err);

/** Wipe the key material in *k. */
void cf_jwt_key_dispose(cf_jwt_key *k);

/**
 * Sign claims (sub, role, jti, iat, nbf, exp; iss from claims->iss or else the
 * key; aud from the key) as an
 * HS256 JWT into out (NUL-terminated). When claims->jti is "" a UUID is used;
 * the jti actually issued is copied to jti_out (64 bytes) when not NULL. CF_EINVALID (exp <= iat,
 * empty sub), CF_EBUFFER, CF_ENOMEM, CF_ERROR.
 */
int cf_jwt_issue(const cf_jwt_key *k, const cf_jwt_claims *claims, char *out, size_t cap,
                 char *jti_out, cf_error *err);

/**
 * Check signature and algorithm only, and decode the claims of the `len`
 * bytes at token into *out. CF_EUNAUTHENTICATED for anything malformed,
 * unsigned, not HS256 or signed with another key.
 */
int cf_jwt_decode_verified(const cf_jwt_key *k, const char *token, size_t len, cf_jwt_claims *out,
                           cf_error *err);

/**
 * cf_jwt_decode_verified plus the time and audience checks against now_s
 * (Unix seconds): exp must be present and now < exp + leeway; nbf/iat, when
 * present, must be <= now + leeway; iss and aud must equal the key's when the
 * key sets them. CF_EUNAUTHENTICATED (message says which check failed).
 */
int cf_jwt_verify(const cf_jwt_key *k, const char *token, size_t len, int64_t now_s,
                  cf_jwt_claims *out, cf_error *err);

#ifdef __cplusplus
}
#endif
#endif
