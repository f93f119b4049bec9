/*
 * pg_users.c - users, refresh tokens and login failures in PostgreSQL
 * (tables of migrations/0001_users.sql).
 */
#include <stdlib.h>
#include <string.h>

#include "pg_adapter.h"

/* ---- sealed identity numbers: bytea travels as hex text ---- */

typedef struct sealed_hex {
	char hex[2 * CF_SEALED_MAX + 1];
} sealed_hex;

static void to_hex(const cf_sealed *s, sealed_hex *h)
{
	static const char d[] = "0123456789abcdef";
	uint32_t i, n = s->len > CF_SEALED_MAX ? CF_SEALED_MAX : s->len;

	for (i = 0; i < n; i++) {
		h->hex[2 * i] = d[s->data[i] >> 4];
		h->hex[2 * i + 1] = d[s->data[i] & 15];
	}
	h->hex[2 * n] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* key id column, hex column, masked column -> field */
static int read_pii(const PGresult *r, int row, int col, cf_pii_field *f)
{
	const char *hex;
	size_t n, i;

	memset(f, 0, sizeof *f);
	if (cf_pgad_text(r, row, col, f->sealed.key_id, sizeof f->sealed.key_id) != CF_OK ||
	    cf_pgad_text(r, row, col + 2, f->masked, sizeof f->masked) != CF_OK)
		return CF_ERROR;
	if (cf_pg_is_null(r, row, col + 1))
		return CF_OK;
	hex = PQgetvalue(r, row, col + 1);
	n = strlen(hex);
	if (n % 2 || n / 2 > CF_SEALED_MAX)
		return CF_ERROR;
	for (i = 0; i < n / 2; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return CF_ERROR;
		f->sealed.data[i] = (uint8_t)(hi << 4 | lo);
	}
	f->sealed.len = (uint32_t)(n / 2);
	return CF_OK;
}

static void param_pii(cf_pg_params *p, const cf_pii_field *f, sealed_hex *h)
{
	if (f->sealed.len == 0) {
		cf_pg_param_null(p);
		cf_pg_param_null(p);
	} else {
		to_hex(&f->sealed, h);
		cf_pg_param_text(p, f->sealed.key_id);
		cf_pg_param_text(p, h->hex);
	}
	cf_pgad_param_opt(p, f->masked);
}

/* ---- users ---- */

#define USER_COLS                                                                                  \
	"id, email, password_hash, full_name, phone, role, ucfsin, ucfsin_seq, is_active, "        \
	"cf_ms(created_at), cf_ms(updated_at), row_version, "                                      \
	"pan_key_id, encode(pan_enc, 'hex'), pan_masked, "                                         \
	"aadhaar_key_id, encode(aadhaar_enc, 'hex'), aadhaar_masked, "                             \
	"bank_account_key_id, encode(bank_account_enc, 'hex'), bank_account_masked, "              \
	"bank_ifsc, address, nominee_name, nominee_relation"

static int read_user(const PGresult *r, int row, void *item)
{
	cf_user_row *u = item;
	char role[CF_ROLE_SIZE];

	memset(u, 0, sizeof *u);
	if (cf_pgad_text(r, row, 0, u->id, sizeof u->id) ||
	    cf_pgad_text(r, row, 1, u->email, sizeof u->email) ||
	    cf_pgad_text(r, row, 2, u->password_hash, sizeof u->password_hash) ||
	    cf_pgad_text(r, row, 3, u->full_name, sizeof u->full_name) ||
	    cf_pgad_text(r, row, 4, u->phone, sizeof u->phone) ||
	    cf_pgad_text(r, row, 5, role, sizeof role) || cf_role_parse(role, &u->role) ||
	    cf_pgad_text(r, row, 6, u->ucfsin, sizeof u->ucfsin) ||
	    cf_pgad_i64(r, row, 7, &u->ucfsin_seq) || cf_pgad_bool(r, row, 8, &u->is_active) ||
	    cf_pgad_i64(r, row, 9, &u->created_at_ms) ||
	    cf_pgad_i64(r, row, 10, &u->updated_at_ms) ||
	    cf_pgad_i64(r, row, 11, &u->row_version) || read_pii(r, row, 12, &u->pan) ||
	    read_pii(r, row, 15, &u->aadhaar) || read_pii(r, row, 18, &u->bank_account) ||
	    cf_pgad_text(r, row, 21, u->bank_ifsc, sizeof u->bank_ifsc) ||
	    cf_pgad_text(r, row, 22, u->address, sizeof u->address) ||
	    cf_pgad_text(r, row, 23, u->nominee_name, sizeof u->nominee_name) ||
	    cf_pgad_text(r, row, 24, u->nominee_relation, sizeof u->nominee_relation))
		return CF_ERROR;
	return CF_OK;
}

/* The mutable columns of a user, as parameters after whatever came before. */
static void user_params(cf_pg_params *p, const cf_user_row *u, sealed_hex h[3])
{
	cf_pg_param_text(p, u->email);
	cf_pg_param_text(p, u->password_hash);
	cf_pg_param_text(p, u->full_name);
	cf_pgad_param_opt(p, u->phone);
	cf_pg_param_text(p, cf_role_name(u->role));
	cf_pg_param_bool(p, u->is_active);
	cf_pg_param_int64(p, u->updated_at_ms);
	param_pii(p, &u->pan, &h[0]);
	param_pii(p, &u->aadhaar, &h[1]);
	param_pii(p, &u->bank_account, &h[2]);
	cf_pgad_param_opt(p, u->bank_ifsc);
	cf_pgad_param_opt(p, u->address);
	cf_pgad_param_opt(p, u->nominee_name);
	cf_pgad_param_opt(p, u->nominee_relation);
}

static int user_insert(void *self, cf_tx *tx, const cf_user_row *u)
{
	cf_pg_params p;
	sealed_hex h[3];

	(void)self;
	if (!cf_pgad_is_uuid(u->id))
		return CF_EINVALID;
	cf_pg_params_init(&p);
	user_params(&p, u, h); /* $1..$22 */
	cf_pg_param_text(&p, u->id);
	cf_pg_param_text(&p, u->ucfsin);
	cf_pg_param_int64(&p, u->ucfsin_seq);
	cf_pg_param_int64(&p, u->created_at_ms);
	cf_pg_param_int64(&p, u->row_version);
	return cf_pgad_insert_once(
	        tx, "cfpg_user_insert",
	        "INSERT INTO users (email, password_hash, full_name, phone, role, is_active, "
	        "updated_at, pan_key_id, pan_enc, pan_masked, aadhaar_key_id, aadhaar_enc, "
	        "aadhaar_masked, bank_account_key_id, bank_account_enc, bank_account_masked, "
	        "bank_ifsc, address, nominee_name, nominee_relation, id, ucfsin, ucfsin_seq, "
	        "created_at, row_version) VALUES ($1, $2, $3, $4, $5, $6::boolean, "
	        "cf_ts($7::bigint), $8, decode($9, 'hex'), $10, $11, decode($12, 'hex'), $13, $14, "
	        "decode($15, 'hex'), $16, $17, $18, $19, $20, $21::uuid, $22, $23::bigint, "
	        "cf_ts($24::bigint), $25::bigint) ON CONFLICT DO NOTHING RETURNING 1",
	        &p);
}

static int user_get(void *self, cf_tx *tx, const char *id, cf_user_row *out)
{
	uint64_t gen = 0;
	int cached, rc;

	(void)self;
	if (!cf_pgad_is_uuid(id))
		return CF_ENOTFOUND;
	if ((cached = cf_pgad_cache_lookup(tx, CF_PGAD_CACHE_USERS, id, out, &gen)) == 1)
		return CF_OK;
	rc = cf_pgad_select_one_by_uuid(tx, "cfpg_user_get",
	                                "SELECT " USER_COLS " FROM users WHERE id = $1::uuid", id,
	                                read_user, out);
	if (rc == CF_OK && cached == 0)
		cf_pgad_cache_fill(tx, CF_PGAD_CACHE_USERS, id, out, gen);
	return rc;
}

static int user_get_by_email(void *self, cf_tx *tx, const char *email, cf_user_row *out)
{
	cf_pg_params p;

	(void)self;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, email);
	return cf_pgad_select_one(tx, "cfpg_user_get_by_email",
	                          "SELECT " USER_COLS " FROM users WHERE lower(email) = lower($1)",
	                          &p, read_user, out);
}

static int user_update(void *self, cf_tx *tx, cf_user_row *u)
{
	cf_pg_params p;
	sealed_hex h[3];
	int rows, rc;

	(void)self;
	if (!cf_pgad_is_uuid(u->id))
		return CF_ENOTFOUND;
	cf_pgad_cache_touch(tx, CF_PGAD_CACHE_USERS, u->id);
	cf_pg_params_init(&p);
	user_params(&p, u, h); /* $1..$22 */
	cf_pg_param_text(&p, u->id);
	cf_pg_param_int64(&p, u->row_version);
	/* a taken email must leave the transaction usable: savepoint */
	rc = cf_pgad_run_count_guarded(
	        tx, "cfpg_user_update",
	        "UPDATE users SET email = $1, password_hash = $2, full_name = $3, phone = $4, "
	        "role = $5, is_active = $6::boolean, updated_at = cf_ts($7::bigint), "
	        "pan_key_id = $8, pan_enc = decode($9, 'hex'), pan_masked = $10, "
	        "aadhaar_key_id = $11, aadhaar_enc = decode($12, 'hex'), aadhaar_masked = $13, "
	        "bank_account_key_id = $14, bank_account_enc = decode($15, 'hex'), "
	        "bank_account_masked = $16, bank_ifsc = $17, address = $18, nominee_name = $19, "
	        "nominee_relation = $20, row_version = row_version + 1 "
	        "WHERE id = $21::uuid AND row_version = $22::bigint RETURNING 1",
	        &p, &rows);
	if (rc != CF_OK)
		return rc;
	if (rows == 0)
		return cf_pgad_stale_or_missing(tx, "cfpg_user_exists",
		                                "SELECT 1 FROM users WHERE id = $1::uuid", u->id);
	u->row_version++;
	return CF_OK;
}

static int user_list(void *self, cf_tx *tx, const cf_user_filter *f, cf_user_row_array *out)
{
	cf_pg_params p;

	(void)self;
	out->items = NULL;
	out->count = 0;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, f->role == CF_ROLE_NONE ? NULL : cf_role_name(f->role));
	cf_pgad_param_opt(&p, f->ucfsin);
	cf_pg_param_int64(&p, f->after_seq);
	cf_pg_param_int64(&p, (int64_t)(f->limit ? f->limit : 1));
	return cf_pgad_select_all(
	        tx, "cfpg_user_list",
	        "SELECT " USER_COLS " FROM users WHERE ($1::text IS NULL OR role = $1) "
	        "AND ($2::text IS NULL OR ucfsin = $2) AND ucfsin_seq > $3::bigint "
	        "ORDER BY ucfsin_seq LIMIT $4::bigint",
	        &p, sizeof *out->items, read_user, (void **)&out->items, &out->count);
}

static int user_next_ucfsin_seq(void *self, cf_tx *tx, int64_t *out)
{
	PGresult *r = NULL;
	int rc;

	(void)self;
	rc = cf_pgad_run(tx, "cfpg_user_next_seq", "SELECT nextval('ucfsin_seq')", NULL, &r);
	if (rc != CF_OK)
		return rc;
	rc = cf_pgad_i64(r, 0, 0, out);
	PQclear(r);
	return rc;
}

/* ---- refresh tokens ---- */

static int token_insert(void *self, cf_tx *tx, const cf_refresh_token_row *t)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(t->id) || !cf_pgad_is_uuid(t->family_id))
		return CF_EINVALID;
	if (!cf_pgad_is_uuid(t->user_id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, t->id);
	cf_pg_param_text(&p, t->family_id);
	cf_pg_param_text(&p, t->user_id);
	cf_pg_param_text(&p, t->token_hash);
	cf_pg_param_int64(&p, t->issued_at_ms);
	cf_pg_param_int64(&p, t->expires_at_ms);
	cf_pgad_param_opt_ms(&p, t->spent_at_ms);
	cf_pgad_param_opt_ms(&p, t->revoked_at_ms);
	return cf_pgad_insert_once(
	        tx, "cfpg_token_insert",
	        "INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, "
	        "issued_at, expires_at, spent_at, revoked_at) VALUES ($1::uuid, "
	        "$2::uuid, $3::uuid, $4, cf_ts($5::bigint), cf_ts($6::bigint), "
	        "cf_ts($7::bigint), cf_ts($8::bigint)) ON CONFLICT DO NOTHING "
	        "RETURNING 1",
	        &p);
}

static int read_token(const PGresult *r, int row, void *item)
{
	cf_refresh_token_row *t = item;

	if (cf_pgad_text(r, row, 0, t->id, sizeof t->id) ||
	    cf_pgad_text(r, row, 1, t->family_id, sizeof t->family_id) ||
	    cf_pgad_text(r, row, 2, t->user_id, sizeof t->user_id) ||
	    cf_pgad_text(r, row, 3, t->token_hash, sizeof t->token_hash) ||
	    cf_pgad_i64(r, row, 4, &t->issued_at_ms) || cf_pgad_i64(r, row, 5, &t->expires_at_ms) ||
	    cf_pgad_i64_or0(r, row, 6, &t->spent_at_ms) ||
	    cf_pgad_i64_or0(r, row, 7, &t->revoked_at_ms))
		return CF_ERROR;
	return CF_OK;
}

static int token_get_by_hash(void *self, cf_tx *tx, const char *hash, cf_refresh_token_row *out)
{
	cf_pg_params p;

	(void)self;
	memset(out, 0, sizeof *out);
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, hash);
	return cf_pgad_select_one(tx, "cfpg_token_get",
	                          "SELECT id, family_id, user_id, token_hash, cf_ms(issued_at), "
	                          "cf_ms(expires_at), cf_ms(spent_at), cf_ms(revoked_at) "
	                          "FROM refresh_tokens WHERE token_hash = $1",
	                          &p, read_token, out);
}

static int token_mark_spent(void *self, cf_tx *tx, const char *id, int64_t at_ms)
{
	cf_pg_params p;
	int rows, rc;

	(void)self;
	if (!cf_pgad_is_uuid(id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, id);
	cf_pg_param_int64(&p, at_ms);
	rc = cf_pgad_run_count(tx, "cfpg_token_spend",
	                       "UPDATE refresh_tokens SET spent_at = cf_ts($2::bigint) "
	                       "WHERE id = $1::uuid AND spent_at IS NULL RETURNING 1",
	                       &p, &rows);
	if (rc != CF_OK)
		return rc;
	if (rows == 1)
		return CF_OK;
	return cf_pgad_stale_or_missing(tx, "cfpg_token_exists",
	                                "SELECT 1 FROM refresh_tokens WHERE id = $1::uuid", id);
}

static int token_revoke_family(void *self, cf_tx *tx, const char *family_id, int64_t at_ms)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(family_id))
		return CF_OK;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, family_id);
	cf_pg_param_int64(&p, at_ms);
	return cf_pgad_run(tx, "cfpg_token_revoke_family",
	                   "UPDATE refresh_tokens SET revoked_at = cf_ts($2::bigint) "
	                   "WHERE family_id = $1::uuid AND revoked_at IS NULL",
	                   &p, NULL);
}

static int token_revoke_user(void *self, cf_tx *tx, const char *user_id, int64_t at_ms)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(user_id))
		return CF_OK;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, user_id);
	cf_pg_param_int64(&p, at_ms);
	return cf_pgad_run(tx, "cfpg_token_revoke_user",
	                   "UPDATE refresh_tokens SET revoked_at = cf_ts($2::bigint) "
	                   "WHERE user_id = $1::uuid AND revoked_at IS NULL",
	                   &p, NULL);
}

/* ---- login failures ---- */

static int throttle_record(void *self, cf_tx *tx, const char *account_key, const char *addr,
                           int64_t at_ms)
{
	cf_pg_params p;

	(void)self;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, account_key ? account_key : "");
	cf_pgad_param_opt(&p, addr);
	cf_pg_param_int64(&p, at_ms);
	return cf_pgad_run(tx, "cfpg_throttle_record",
	                   "INSERT INTO login_failures (account_key, client_addr, at) "
	                   "VALUES ($1, $2, cf_ts($3::bigint))",
	                   &p, NULL);
}

static int throttle_count(void *self, cf_tx *tx, const char *account_key, const char *addr,
                          int64_t since_ms, cf_throttle_counts *out)
{
	cf_pg_params p;
	PGresult *r = NULL;
	int rc;

	(void)self;
	memset(out, 0, sizeof *out);
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, account_key ? account_key : "");
	cf_pgad_param_opt(&p, addr);
	cf_pg_param_int64(&p, since_ms);
	rc = cf_pgad_run(tx, "cfpg_throttle_count",
	                 "SELECT a.n, cf_ms(a.oldest), b.n, cf_ms(b.oldest) FROM "
	                 "(SELECT count(*) AS n, min(at) AS oldest FROM login_failures "
	                 " WHERE account_key = $1 AND at >= cf_ts($3::bigint)) a, "
	                 "(SELECT count(*) AS n, min(at) AS oldest FROM login_failures "
	                 " WHERE $2::text IS NOT NULL AND client_addr = $2 "
	                 " AND at >= cf_ts($3::bigint)) b",
	                 &p, &r);
	if (rc != CF_OK)
		return rc;
	if (cf_pgad_i64(r, 0, 0, &out->account_failures) ||
	    cf_pgad_i64_or0(r, 0, 1, &out->account_oldest_ms) ||
	    cf_pgad_i64(r, 0, 2, &out->address_failures) ||
	    cf_pgad_i64_or0(r, 0, 3, &out->address_oldest_ms))
		rc = CF_ERROR;
	PQclear(r);
	return rc;
}

static int throttle_clear(void *self, cf_tx *tx, const char *account_key)
{
	cf_pg_params p;

	(void)self;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, account_key ? account_key : "");
	return cf_pgad_run(tx, "cfpg_throttle_clear",
	                   "DELETE FROM login_failures WHERE account_key = $1", &p, NULL);
}

static int throttle_purge(void *self, cf_tx *tx, int64_t before_ms)
{
	cf_pg_params p;

	(void)self;
	cf_pg_params_init(&p);
	cf_pg_param_int64(&p, before_ms);
	return cf_pgad_run(tx, "cfpg_throttle_purge",
	                   "DELETE FROM login_failures WHERE at < cf_ts($1::bigint)", &p, NULL);
}

void cf_pgad_user_ports(cf_pg_store *s, cf_ports *out)
{
	memset(&out->users, 0, sizeof out->users);
	out->users.version = CF_USER_REPO_VERSION;
	out->users.self = s;
	out->users.insert = user_insert;
	out->users.get = user_get;
	out->users.get_by_email = user_get_by_email;
	out->users.update = user_update;
	out->users.list = user_list;
	out->users.next_ucfsin_seq = user_next_ucfsin_seq;

	memset(&out->refresh_tokens, 0, sizeof out->refresh_tokens);
	out->refresh_tokens.version = CF_REFRESH_TOKEN_REPO_VERSION;
	out->refresh_tokens.self = s;
	out->refresh_tokens.insert = token_insert;
	out->refresh_tokens.get_by_hash = token_get_by_hash;
	out->refresh_tokens.mark_spent = token_mark_spent;
	out->refresh_tokens.revoke_family = token_revoke_family;
	out->refresh_tokens.revoke_user = token_revoke_user;

	memset(&out->login_throttle, 0, sizeof out->login_throttle);
	out->login_throttle.version = CF_LOGIN_THROTTLE_REPO_VERSION;
	out->login_throttle.self = s;
	out->login_throttle.record_failure = throttle_record;
	out->login_throttle.count_since = throttle_count;
	out->login_throttle.clear_account = throttle_clear;
	out->login_throttle.purge_before = throttle_purge;
}
