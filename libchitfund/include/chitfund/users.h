/*
 * chitfund/users.h - own profile, admin user management, own tickets.
 *
 * Role rules (api.md "Roles"): a role a route family never allows gets
 * CF_EFORBIDDEN "forbidden"; a resource that exists but is not visible to
 * the caller gets CF_ENOTFOUND "not-found". Anonymous callers get
 * CF_EUNAUTHENTICATED "unauthenticated".
 */
#ifndef CHITFUND_USERS_H
#define CHITFUND_USERS_H

#include <stdbool.h>
#include <stddef.h>

#include "chitfund/app.h"
#include "chitfund/errors.h"
#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The actor's own profile. CF_EUNAUTHENTICATED; CF_ENOTFOUND (deleted). */
int cf_user_get_me(cf_app *app, const cf_actor *actor, cf_user *out, cf_error *err);

/**
 * Profile changes. Every pointer NULL = leave unchanged; "" = clear (not
 * allowed for full_name). pan: AAAAA9999A (upper-cased first); aadhaar: 12
 * digits, not starting 0/1, Verhoeff check digit (spaces allowed and
 * dropped); bank_account: 9..18 digits; bank_ifsc: AAAA0XXXXXX.
 * Identity numbers are encrypted (cf_cipher) and come back masked.
 */
typedef struct cf_profile_update {
	const char *full_name;
	const char *phone;
	const char *pan;
	const char *aadhaar;
	const char *bank_account;
	const char *bank_ifsc;
	const char *address;
	const char *nominee_name;
	const char *nominee_relation;
} cf_profile_update;

/**
 * Update the actor's own profile; audits "user.update_profile" (identity
 * numbers appear in the audit summary only masked). *out = the updated user.
 * CF_EINVALID "validation-error" with field; CF_EUNAUTHENTICATED.
 */
int cf_user_update_me(cf_app *app, const cf_actor *actor, const cf_profile_update *req,
                      cf_user *out, cf_error *err);

/** Admin user listing: filters and page. */
typedef struct cf_users_query {
	cf_role role;       /**< CF_ROLE_NONE: any */
	const char *ucfsin; /**< NULL/"": any; check digits validated first */
	size_t limit;       /**< 0: CF_PAGE_DEFAULT; 1..CF_PAGE_MAX */
	const char *cursor; /**< NULL/"": first page; else a next_cursor */
} cf_users_query;

/** A page of users. Free with cf_user_page_free. */
typedef struct cf_user_page {
	cf_user_array users;
	char next_cursor[CF_CURSOR_SIZE]; /**< "" when this is the last page */
} cf_user_page;
/** Free the page's items (NULL-safe). */
void cf_user_page_free(cf_user_page *p);

/**
 * List users (admin, foreman, auditor; others CF_EFORBIDDEN), ordered by
 * UCFSIN sequence. CF_EINVALID field "ucfsin" (bad check digits), "limit",
 * "cursor".
 */
int cf_users_list(cf_app *app, const cf_actor *actor, const cf_users_query *q, cf_user_page *out,
                  cf_error *err);

/** Read one user (admin, foreman, auditor). CF_EFORBIDDEN; CF_ENOTFOUND. */
int cf_users_get(cf_app *app, const cf_actor *actor, const char *id, cf_user *out, cf_error *err);

/** Admin change of a user's role and/or active flag. */
typedef struct cf_user_admin_update {
	bool set_role;
	cf_role role; /**< subscriber, agent, foreman, auditor or admin */
	bool set_is_active;
	bool is_active;
} cf_user_admin_update;

/**
 * Change role / is_active (admin only, CF_EFORBIDDEN otherwise). Deactivation
 * revokes every refresh family of the user. Audits "user.admin_update".
 * CF_ENOTFOUND; CF_EINVALID field "role".
 */
int cf_users_update(cf_app *app, const cf_actor *actor, const char *id,
                    const cf_user_admin_update *req, cf_user *out, cf_error *err);

/** Create a user with any role (admin or CF_ROLE_SYSTEM: the create-admin CLI). */
typedef struct cf_user_create_req {
	const char *email;
	const char *password;
	const char *full_name;
	const char *phone; /**< NULL or "" */
	cf_role role;
} cf_user_create_req;

/**
 * Create a user with the given role (actor admin or CF_ROLE_SYSTEM, else
 * CF_EFORBIDDEN); validation and errors as cf_auth_register. Audits
 * "user.create".
 */
int cf_users_create(cf_app *app, const cf_actor *actor, const cf_user_create_req *req, cf_user *out,
                    cf_error *err);

/** Every ticket the actor holds, across schemes (cf_ticket_array_free). */
int cf_user_tickets(cf_app *app, const cf_actor *actor, cf_ticket_array *out, cf_error *err);

#ifdef __cplusplus
}
#endif
#endif
