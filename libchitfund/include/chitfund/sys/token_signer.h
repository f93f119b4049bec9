/*
 * chitfund/sys/token_signer.h - access token port (production: libjwt,
 * HS256 with the secret from the environment).
 *
 * The adapter only encodes/signs and checks the signature and algorithm; the
 * core checks exp, nbf and iss against the clock port and re-checks that the
 * user is active on every request.
 */
#ifndef CHITFUND_SYS_TOKEN_SIGNER_H
#define CHITFUND_SYS_TOKEN_SIGNER_H

#include <stddef.h>
#include <stdint.h>

#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_TOKEN_SIGNER_VERSION 1
/** Buffer size for an encoded access token. */
#define CF_ACCESS_TOKEN_SIZE 1024

/** The claims of an access token (JWT registered claims plus role). */
typedef struct cf_token_claims {
	char sub[CF_ID_SIZE];    /**< user id */
	char role[CF_ROLE_SIZE]; /**< cf_role_name of the role at issue */
	char jti[CF_ID_SIZE];    /**< unique token id (UUID) */
	char iss[64];            /**< issuer (cf_app_config.token_issuer) */
	int64_t iat;             /**< issued at, Unix seconds */
	int64_t nbf;             /**< not before, Unix seconds */
	int64_t exp;             /**< expires, Unix seconds */
} cf_token_claims;

/** Token signer port. */
typedef struct cf_token_signer {
	unsigned int version; /**< CF_TOKEN_SIGNER_VERSION */
	void *self;
	/**
	 * Required. Encode and sign the claims into out (NUL-terminated, at most
	 * cap bytes). CF_EBUFFER when too small; CF_ERROR.
	 */
	int (*issue)(void *self, const cf_token_claims *claims, char *out, size_t cap);
	/**
	 * Required. Check the signature and algorithm of the `len` bytes at token
	 * and decode its claims into *out (missing string claims: "", missing
	 * numbers: 0). CF_EUNAUTHENTICATED for anything malformed, unsigned,
	 * signed with another key or another algorithm. Does not check exp.
	 */
	int (*verify)(void *self, const char *token, size_t len, cf_token_claims *out);
	/* ---- end of version 1 ---- */
} cf_token_signer;

#ifdef __cplusplus
}
#endif
#endif
