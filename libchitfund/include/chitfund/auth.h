/*
 * chitfund/auth.h - registration, login, token refresh and revocation, and
 * turning an access token into an actor.
 *
 * Common to every function here: `app` and `actor` are required (actor may be
 * anonymous, see cf_actor_anonymous); `err` is optional. On failure the
 * return value is a negative cf_status and err->slug is one of api.md's
 * problem slugs.
 */
#ifndef CHITFUND_AUTH_H
#define CHITFUND_AUTH_H

#include <stdint.h>

#include "chitfund/app.h"
#include "chitfund/errors.h"
#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Buffer sizes of the token pair. */
#define CF_ACCESS_TOKEN_MAX  1024
#define CF_REFRESH_TOKEN_MAX 80

/** Self-registration request (NUL-terminated UTF-8; phone may be NULL or ""). */
typedef struct cf_register_req {
	const char *email;
	const char *password;
	const char *full_name;
	const char *phone;
} cf_register_req;

/**
 * Register a subscriber: validate (email shape, password length per config,
 * full_name 1..128, phone "+"/digits 7..20), assign the next UCFSIN, store,
 * audit "user.register". *out = the new user.
 * CF_EINVALID "validation-error" (field set); CF_EEXISTS "email-taken".
 */
int cf_auth_register(cf_app *app, const cf_actor *actor, const cf_register_req *req, cf_user *out,
                     cf_error *err);

/** An access + refresh token pair (api.md login response). */
typedef struct cf_token_pair {
	char access_token[CF_ACCESS_TOKEN_MAX];
	char token_type[8]; /**< "bearer" */
	int64_t expires_in; /**< access token lifetime in seconds */
	char refresh_token[CF_REFRESH_TOKEN_MAX];
	char user_id[CF_ID_SIZE];
	cf_role role;
} cf_token_pair;

/**
 * Log in with email (case-insensitive) and password. Throttled per account
 * key and per actor->client_addr: past the configured failures within the
 * window, CF_ERATELIMIT "rate-limited" with err->retry_after_s set, before the
 * password is checked and whether or not the account exists. Unknown email
 * and wrong password both give CF_EUNAUTHENTICATED "invalid-credentials"
 * after the same work (a dummy hash is verified) and count as failures. A
 * correct password on a deactivated account: CF_EFORBIDDEN "account-disabled".
 * Success starts a new refresh-token family, clears the account's failures
 * and audits "auth.login".
 */
int cf_auth_login(cf_app *app, const cf_actor *actor, const char *email, const char *password,
                  cf_token_pair *out, cf_error *err);

/**
 * Exchange a refresh token for a new pair; the presented token is spent.
 * Unknown, expired, revoked or spent: CF_EUNAUTHENTICATED
 * "invalid-refresh-token"; presenting a spent token also revokes its whole
 * family (committed). A deactivated user: "invalid-refresh-token" too.
 */
int cf_auth_refresh(cf_app *app, const cf_actor *actor, const char *refresh_token,
                    cf_token_pair *out, cf_error *err);

/**
 * Revoke the whole family of `refresh_token` if it belongs to the
 * authenticated actor; an unknown or someone else's token is ignored (CF_OK,
 * nothing revealed). CF_EUNAUTHENTICATED when the actor is anonymous.
 */
int cf_auth_logout(cf_app *app, const cf_actor *actor, const char *refresh_token, cf_error *err);

/**
 * Verify an access token (`len` bytes) and fill *out: user id and the user's
 * CURRENT role from storage; request_id and client_addr copied from the
 * given strings (NULL: ""). CF_EUNAUTHENTICATED "unauthenticated" for a bad,
 * expired or not-yet-valid token, an unknown user or a deactivated one.
 */
int cf_auth_authenticate(cf_app *app, const char *token, size_t len, const char *request_id,
                         const char *client_addr, cf_actor *out, cf_error *err);

/**
 * Change the actor's own password: current_password must match
 * (CF_EUNAUTHENTICATED "invalid-credentials", field "current_password"),
 * new_password is validated like registration (CF_EINVALID, field
 * "new_password"). Revokes every refresh family of the user; audits
 * "user.change_password".
 */
int cf_user_change_password(cf_app *app, const cf_actor *actor, const char *current_password,
                            const char *new_password, cf_error *err);

#ifdef __cplusplus
}
#endif
#endif
