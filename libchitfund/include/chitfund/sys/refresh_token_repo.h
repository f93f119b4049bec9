/*
 * chitfund/sys/refresh_token_repo.h - refresh token repository port.
 *
 * Only the SHA-256 (hex) of a refresh token is stored. Tokens of one login
 * form a family; each refresh spends the presented token and issues its
 * successor in the same family. Presenting a spent token revokes the family.
 */
#ifndef CHITFUND_SYS_REFRESH_TOKEN_REPO_H
#define CHITFUND_SYS_REFRESH_TOKEN_REPO_H

#include <stdint.h>

#include "chitfund/sys/tx.h"
#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_REFRESH_TOKEN_REPO_VERSION 1

/** A stored refresh token. */
typedef struct cf_refresh_token_row {
	char id[CF_ID_SIZE];
	char family_id[CF_ID_SIZE];
	char user_id[CF_ID_SIZE];
	char token_hash[CF_HEX256_SIZE]; /**< lowercase hex SHA-256 of the token text; unique */
	int64_t issued_at_ms;
	int64_t expires_at_ms;
	int64_t spent_at_ms;   /**< 0: not spent */
	int64_t revoked_at_ms; /**< 0: not revoked */
} cf_refresh_token_row;

/** Refresh token repository port. */
typedef struct cf_refresh_token_repo {
	unsigned int version; /**< CF_REFRESH_TOKEN_REPO_VERSION */
	void *self;
	/** Required. Insert. CF_EEXISTS when id or token_hash is taken. */
	int (*insert)(void *self, cf_tx *tx, const cf_refresh_token_row *row);
	/** Required. Load by token_hash. CF_ENOTFOUND. */
	int (*get_by_hash)(void *self, cf_tx *tx, const char *token_hash,
	                   cf_refresh_token_row *out);
	/**
	 * Required. Set spent_at_ms = at_ms on token `id` only if it is not yet
	 * spent (postgres: UPDATE ... WHERE id=$1 AND spent_at IS NULL), so of two
	 * concurrent refreshes with one token exactly one succeeds. CF_ECONFLICT
	 * when already spent; CF_ENOTFOUND.
	 */
	int (*mark_spent)(void *self, cf_tx *tx, const char *id, int64_t at_ms);
	/** Required. Set revoked_at_ms = at_ms on every unrevoked token of the family. */
	int (*revoke_family)(void *self, cf_tx *tx, const char *family_id, int64_t at_ms);
	/** Required. Set revoked_at_ms = at_ms on every unrevoked token of the user. */
	int (*revoke_user)(void *self, cf_tx *tx, const char *user_id, int64_t at_ms);
	/* ---- end of version 1 ---- */
} cf_refresh_token_repo;

#ifdef __cplusplus
}
#endif
#endif
