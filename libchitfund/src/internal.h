/*
 * internal.h - libchitfund internals shared by the use-case sources: the app
 * struct, the unit-of-work runner, audit appends, ids, text helpers.
 * Not installed; not part of the public API.
 */
#ifndef CHITFUND_INTERNAL_H
#define CHITFUND_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund.h"
#include "chitfund/domain/ucfsin.h"
#include "chitfund/sys/ports.h"

/** The application object. */
struct cf_app {
	cf_ports p;
	cf_app_config cfg;
	char dummy_hash[CF_PASSWORD_HASH_SIZE]; /**< verified for unknown emails */
};

/** State of one use-case attempt (one transaction). */
typedef struct cf_uc {
	cf_app *app;
	cf_tx *tx;
	const cf_actor *actor;
	cf_error *err;
	int64_t now_ms;
	/** When set (< 0) by the body returning 0: commit, then fail with it. */
	int fail_after_commit;
} cf_uc;

/** A use-case body run inside one transaction. */
typedef int (*cf_uc_fn)(cf_uc *uc, void *ctx);

/**
 * Run fn in a transaction: begin, fn, commit on 0 / rollback on error;
 * CF_ERETRY (from fn or commit) retries up to cfg.tx_max_attempts times and
 * then becomes CF_ECONFLICT. `actor` may be NULL (treated as anonymous).
 * Fills err with a generic text when nothing more specific was set.
 */
int cf__run(cf_app *app, const cf_actor *actor, cf_uc_fn fn, void *ctx, cf_error *err);
/**
 * Like cf__run for a use case that only reads (no insert, update, lock or
 * audit): runs it in the uow's read-only unit (begin_read) when the adapter
 * has one, so a pooled database may skip BEGIN/COMMIT. fn must not write.
 */
int cf__run_read(cf_app *app, const cf_actor *actor, cf_uc_fn fn, void *ctx, cf_error *err);
/* From here to commit this unit's writes may wait for the COMMIT (uow v3
 * defer_writes); call only once nothing left can be refused or read back. */
void cf__defer_writes(cf_uc *uc);

/** Set uc's error and return code (shorthand for cf_error_set on uc->err). */
int cf__fail(cf_uc *uc, int code, const char *slug, const char *field, const char *fmt, ...)
        CF_PRINTF(5, 6);

/**
 * Append the audit entry of this use case (takes the chain head lock, so call
 * it last; with the port's append the adapter may defer the write to the
 * commit). summary: compact JSON, no secrets ("" allowed: "{}").
 */
int cf__audit(cf_uc *uc, const char *action, const char *entity, const char *entity_id,
              const char *summary);
/**
 * The canonical content of e after its seq field (at_ms .. client_addr, the
 * chain rule in chitfund/audit.h) into a new buffer *out (free it), not
 * NUL-terminated, *len bytes. CF_ENOMEM, CF_ERROR (does not fit).
 */
int cf__audit_tail(const cf_audit_entry *e, char **out, size_t *len);

/** A new random UUID v4 (lowercase text) from the rng port. */
int cf__uuid(cf_app *app, char out[CF_ID_SIZE]);
/** Lowercase hex of n bytes into out (2n+1 bytes). */
void cf__hex(const uint8_t *in, size_t n, char *out);
/** SHA-256 hex of data with the digest port. */
int cf__sha256_hex(cf_app *app, const void *data, size_t len, char out[CF_HEX256_SIZE]);
/** True when s is a canonical lowercase UUID text. */
bool cf__is_uuid(const char *s);

/** Copy src (NULL: "") into dst[cap], truncating. */
void cf__copy(char *dst, size_t cap, const char *src);

/** A bounded string builder (for audit summaries). */
typedef struct cf_sb {
	char *buf;
	size_t cap;
	size_t len;
	bool overflow;
} cf_sb;
void cf__sb_init(cf_sb *sb, char *buf, size_t cap);
void cf__sb_raw(cf_sb *sb, const char *s);
void cf__sb_fmt(cf_sb *sb, const char *fmt, ...) CF_PRINTF(2, 3);
/** Append s as a JSON string literal (quoted, escaped). NULL: null. */
void cf__sb_json(cf_sb *sb, const char *s);
/** Finish: on overflow replace the content with {"truncated":true}. */
const char *cf__sb_done(cf_sb *sb);

/* ---- text validation ---- */
/** Number of UTF-8 code points in s, or -1 when s is not valid UTF-8 or has control chars. */
long cf__utf8_chars(const char *s, size_t max_bytes);
/** Validate free text: chars in [min,max] code points, bytes < cap, no controls. */
bool cf__text_ok(const char *s, long min, long max, size_t cap);
/** Lowercase a valid email into out; false when the shape is wrong. */
bool cf__email_normalize(const char *in, char out[CF_EMAIL_SIZE]);
/** Phone: optional '+' then 7..15 digits. */
bool cf__phone_ok(const char *s);
/** Validate a password per config; sets field/slug in err. */
int cf__password_check(cf_app *app, const char *pw, const char *field, cf_error *err);

/* ---- pagination ---- */
/** Resolve a page size (0: default); CF_EINVALID field "limit". */
int cf__limit(size_t in, size_t *out, cf_error *err);
/** Parse "<prefix><int64>" cursors (NULL/"": 0). CF_EINVALID field "cursor". */
int cf__cursor_seq(const char *cursor, char prefix, int64_t *out, cf_error *err);

/* ---- users ---- */
/** Public view of a row. */
void cf__user_view(const cf_user_row *r, cf_user *out);
/** Load the acting user (anonymous: CF_EUNAUTHENTICATED). */
int cf__load_actor(cf_uc *uc, cf_user_row *out);
/** CF_EUNAUTHENTICATED unless the actor is authenticated (or system). */
int cf__require_auth(cf_uc *uc);
/**
 * Insert a new user with an already computed password hash: assigns id and
 * UCFSIN, audits `action`. Shared by register and create.
 */
int cf__user_insert(cf_uc *uc, const char *email, const char *hash, const char *full_name,
                    const char *phone, cf_role role, const char *action, cf_user *out);
/** Validate a new user's fields (email normalised into email_out). */
int cf__user_fields_check(cf_app *app, const char *email, const char *password,
                          const char *full_name, const char *phone, char email_out[CF_EMAIL_SIZE],
                          cf_error *err);

/** Access token + new refresh token (family "" = new family) for user. */
int cf__issue_pair(cf_uc *uc, const cf_user_row *u, const char *family_id, cf_token_pair *out);

/** Load a scheme by id; CF_ENOTFOUND "not-found" ("no such scheme") for a bad or unknown id. */
int cf__load_scheme(cf_uc *uc, const char *id, cf_scheme *s);

/** *out: does user_id hold a ticket in the scheme? A port error is returned. */
int cf__holds_ticket(cf_uc *uc, const char *scheme_id, const char *user_id, bool *out);

/**
 * Define `void fn(type *l)`, the free of a public { items, count } array:
 * frees items and empties l (NULL: no-op).
 */
#define CF__DEFINE_ARRAY_FREE(fn, type)                                                            \
	void fn(type *l)                                                                           \
	{                                                                                          \
		if (l == NULL)                                                                     \
			return;                                                                    \
		free(l->items);                                                                    \
		l->items = NULL;                                                                   \
		l->count = 0;                                                                      \
	}

#endif
