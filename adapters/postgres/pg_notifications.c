/*
 * pg_notifications.c - the notification outbox port in PostgreSQL
 * (migrations/0050_notifications.sql), in the store's transactions.
 */
#include <stdlib.h>
#include <string.h>

#include "chitfund/errors.h"
#include "pg_adapter.h"

#define N_COLS                                                                                     \
	"id, user_id, kind, coalesce(scheme_id::text, ''), subject, body::text, seq, "             \
	"cf_ms(created_at), cf_ms(read_at), cf_ms(delivered_at), attempts"

static int read_row(const PGresult *r, int i, void *item)
{
	cf_notification *n = item;

	memset(n, 0, sizeof *n);
	if (cf_pgad_text(r, i, 0, n->id, sizeof n->id) != CF_OK ||
	    cf_pgad_text(r, i, 1, n->user_id, sizeof n->user_id) != CF_OK ||
	    cf_pgad_text(r, i, 2, n->kind, sizeof n->kind) != CF_OK ||
	    cf_pgad_text(r, i, 3, n->scheme_id, sizeof n->scheme_id) != CF_OK ||
	    cf_pgad_text(r, i, 4, n->subject, sizeof n->subject) != CF_OK ||
	    cf_pgad_text(r, i, 5, n->body, sizeof n->body) != CF_OK ||
	    cf_pgad_i64(r, i, 6, &n->seq) != CF_OK ||
	    cf_pgad_i64(r, i, 7, &n->created_at_ms) != CF_OK ||
	    cf_pgad_i64_or0(r, i, 8, &n->read_at_ms) != CF_OK ||
	    cf_pgad_i64_or0(r, i, 9, &n->delivered_at_ms) != CF_OK ||
	    cf_pgad_i32(r, i, 10, &n->attempts) != CF_OK)
		return CF_ERROR;
	return CF_OK;
}

static int read_all(cf_tx *tx, const char *name, const char *sql, const cf_pg_params *p,
                    cf_notification_array *out)
{
	memset(out, 0, sizeof *out);
	return cf_pgad_select_all(tx, name, sql, p, sizeof *out->items, read_row,
	                          (void **)&out->items, &out->count);
}

static int n_insert(void *self, cf_tx *tx, cf_notification *n)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(n->id) || !cf_pgad_is_uuid(n->user_id) ||
	    (n->scheme_id[0] && !cf_pgad_is_uuid(n->scheme_id)))
		return CF_EINVALID;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, n->id);
	cf_pg_param_text(&p, n->user_id);
	cf_pg_param_text(&p, n->kind);
	cf_pgad_param_opt(&p, n->scheme_id);
	cf_pg_param_text(&p, n->subject);
	cf_pg_param_text(&p, n->body[0] ? n->body : "{}");
	cf_pg_param_int64(&p, n->created_at_ms);
#define N_INSERT                                                                                   \
	"INSERT INTO notifications (id, user_id, kind, scheme_id, subject, body, created_at) "     \
	"VALUES ($1::uuid, $2::uuid, $3, $4::uuid, $5, $6::jsonb, cf_ts($7::bigint))"
	return cf_pgad_insert_seq(tx, "cfpg_n_insert",
	                          N_INSERT " ON CONFLICT (id) DO NOTHING RETURNING seq",
	                          "cfpg_n_insert_d", N_INSERT, &p, &n->seq);
#undef N_INSERT
}

static int n_list_for_user(void *self, cf_tx *tx, const char *user_id, int64_t before_seq,
                           size_t limit, cf_notification_array *out)
{
	cf_pg_params p;

	(void)self;
	memset(out, 0, sizeof *out);
	if (!cf_pgad_is_uuid(user_id)) {
		out->items = calloc(1, sizeof *out->items);
		return out->items ? CF_OK : CF_ENOMEM;
	}
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, user_id);
	cf_pg_param_int64(&p, before_seq);
	cf_pg_param_int64(&p, (int64_t)limit);
	return read_all(tx, "cfpg_n_list",
	                "SELECT " N_COLS " FROM notifications WHERE user_id = $1::uuid AND "
	                "($2::bigint = 0 OR seq < $2::bigint) ORDER BY seq DESC LIMIT $3::bigint",
	                &p, out);
}

static int n_mark_read(void *self, cf_tx *tx, const char *id, const char *user_id, int64_t at_ms,
                       cf_notification *out)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(id) || !cf_pgad_is_uuid(user_id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, id);
	cf_pg_param_text(&p, user_id);
	cf_pg_param_int64(&p, at_ms);
	return cf_pgad_select_one(
	        tx, "cfpg_n_mark_read",
	        "UPDATE notifications SET read_at = coalesce(read_at, cf_ts($3::bigint)) "
	        "WHERE id = $1::uuid AND user_id = $2::uuid RETURNING " N_COLS,
	        &p, read_row, out);
}

static int n_next_undelivered(void *self, cf_tx *tx, size_t limit, cf_notification_array *out)
{
	cf_pg_params p;

	(void)self;
	cf_pg_params_init(&p);
	cf_pg_param_int64(&p, (int64_t)limit);
	return read_all(tx, "cfpg_n_next",
	                "SELECT " N_COLS " FROM notifications WHERE delivered_at IS NULL ORDER BY "
	                "seq LIMIT $1::bigint FOR UPDATE SKIP LOCKED",
	                &p, out);
}

static int n_mark_delivered(void *self, cf_tx *tx, const char *id, bool ok, int64_t at_ms)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, id);
	cf_pg_param_bool(&p, ok);
	cf_pg_param_int64(&p, at_ms);
	return cf_pgad_run_found(
	        tx, "cfpg_n_mark_delivered",
	        "UPDATE notifications SET delivered_at = CASE WHEN $2::boolean THEN "
	        "cf_ts($3::bigint) ELSE delivered_at END, attempts = attempts + "
	        "CASE WHEN $2::boolean THEN 0 ELSE 1 END WHERE id = $1::uuid "
	        "RETURNING 1",
	        &p);
}

void cf_pgad_notification_ports(cf_pg_store *s, cf_ports *out)
{
	out->notifications = (cf_notification_repo){CF_NOTIFICATION_REPO_VERSION,
	                                            s,
	                                            n_insert,
	                                            n_list_for_user,
	                                            n_mark_read,
	                                            n_next_undelivered,
	                                            n_mark_delivered};
}
