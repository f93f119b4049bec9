/*
 * chitfund/sys/user_repo.h - user repository port.
 *
 * Emails are stored as the core gives them (already lowercased) and must be
 * unique case-insensitively (postgres: a unique index on lower(email)).
 * Personal identity numbers arrive sealed (cf_cipher) together with their
 * masked form; the adapter stores both verbatim and never sees plaintext.
 */
#ifndef CHITFUND_SYS_USER_REPO_H
#define CHITFUND_SYS_USER_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "chitfund/sys/cipher.h"
#include "chitfund/sys/password_hasher.h"
#include "chitfund/sys/tx.h"
#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_USER_REPO_VERSION 1

/** An encrypted identity number and its masked display form. */
typedef struct cf_pii_field {
	cf_sealed sealed;            /**< sealed.len == 0: not given */
	char masked[CF_MASKED_SIZE]; /**< "" when not given */
} cf_pii_field;

/** The stored user. */
typedef struct cf_user_row {
	char id[CF_ID_SIZE];
	char email[CF_EMAIL_SIZE];
	char password_hash[CF_PASSWORD_HASH_SIZE];
	char full_name[CF_NAME_SIZE];
	char phone[CF_PHONE_SIZE];
	cf_role role;
	char ucfsin[CF_UCFSIN_SIZE];
	int64_t ucfsin_seq; /**< the global sequence number in ucfsin; unique; list order */
	bool is_active;
	int64_t created_at_ms;
	int64_t updated_at_ms;
	int64_t row_version; /**< 1 at insert; update bumps it */
	cf_pii_field pan;
	cf_pii_field aadhaar;
	cf_pii_field bank_account;
	char bank_ifsc[CF_IFSC_SIZE];
	char address[CF_ADDRESS_SIZE];
	char nominee_name[CF_NAME_SIZE];
	char nominee_relation[CF_RELATION_SIZE];
} cf_user_row;

/** A caller-owned array of user rows (free with cf_user_row_array_free). */
typedef struct cf_user_row_array {
	cf_user_row *items;
	size_t count;
} cf_user_row_array;
/** Free l->items (malloc'd by the adapter) and zero *l. NULL-safe. */
void cf_user_row_array_free(cf_user_row_array *l);

/** Filter and page of a user listing. */
typedef struct cf_user_filter {
	cf_role role;                /**< CF_ROLE_NONE: any */
	char ucfsin[CF_UCFSIN_SIZE]; /**< "": any; else exact match */
	int64_t after_seq;           /**< cursor: only ucfsin_seq > after_seq (0: start) */
	size_t limit;                /**< at most this many rows (>= 1) */
} cf_user_filter;

/** User repository port. */
typedef struct cf_user_repo {
	unsigned int version; /**< CF_USER_REPO_VERSION */
	void *self;
	/**
	 * Required. Insert a new user (row_version as given, normally 1).
	 * CF_EEXISTS when the email (case-insensitive), id or ucfsin is taken.
	 */
	int (*insert)(void *self, cf_tx *tx, const cf_user_row *row);
	/** Required. Load by id. CF_ENOTFOUND. */
	int (*get)(void *self, cf_tx *tx, const char *id, cf_user_row *out);
	/** Required. Load by email, compared case-insensitively. CF_ENOTFOUND. */
	int (*get_by_email)(void *self, cf_tx *tx, const char *email, cf_user_row *out);
	/**
	 * Required. Replace the stored row whose id is row->id if its stored
	 * row_version equals row->row_version; on success store and set
	 * row->row_version + 1 (written back into *row). CF_ECONFLICT when the
	 * version differs; CF_ENOTFOUND when no such id; CF_EEXISTS when the new
	 * email is taken. id, ucfsin, ucfsin_seq and created_at_ms never change.
	 */
	int (*update)(void *self, cf_tx *tx, cf_user_row *row);
	/**
	 * Required. Rows matching the filter ordered by ucfsin_seq ascending, at
	 * most f->limit, into *out (caller frees with cf_user_row_array_free).
	 */
	int (*list)(void *self, cf_tx *tx, const cf_user_filter *f, cf_user_row_array *out);
	/**
	 * Required. Next value of the one global UCFSIN sequence (1, 2, 3 ...;
	 * never returns a value twice, even across rolled-back transactions; gaps
	 * are allowed).
	 */
	int (*next_ucfsin_seq)(void *self, cf_tx *tx, int64_t *out);
	/* ---- end of version 1 ---- */
} cf_user_repo;

#ifdef __cplusplus
}
#endif
#endif
