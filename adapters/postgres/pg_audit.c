/*
 * pg_audit.c - the hash-chained audit log in PostgreSQL (migrations/0003).
 * append (what the core uses) keeps the entry in the tx and writes it at
 * commit: cf_audit_append (migration 0031: lock the head, insert the linked
 * row with its hash computed in SQL, advance the head) and COMMIT go in one
 * libpq pipeline, so the chain head lock is held only for the commit.
 * lock_head takes the single audit_head row FOR UPDATE; insert appends the
 * row that follows the head and moves the head (the two-step form, kept for
 * cores without append). The database refuses UPDATE/DELETE/TRUNCATE of rows.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_adapter.h"

static int audit_lock_head(void *self, cf_tx *tx, int64_t *last_seq, char last_hash[CF_HEX256_SIZE])
{
	PGresult *r = NULL;
	int rc;

	(void)self;
	rc = cf_pgad_run(tx, "cfpg_audit_lock_head",
	                 "SELECT last_seq, last_hash FROM audit_head FOR UPDATE", NULL, &r);
	if (rc != CF_OK)
		return rc;
	if (PQntuples(r) != 1 || cf_pgad_i64(r, 0, 0, last_seq) ||
	    cf_pgad_text(r, 0, 1, last_hash, CF_HEX256_SIZE))
		rc = CF_ERROR;
	PQclear(r);
	return rc;
}

static int audit_insert(void *self, cf_tx *tx, const cf_audit_entry *e)
{
	cf_pg_params p;
	int rows, rc;

	(void)self;
	cf_pg_params_init(&p);
	cf_pg_param_int64(&p, e->seq);
	cf_pg_param_int64(&p, e->at_ms);
	cf_pgad_param_opt(&p, e->actor_id);
	cf_pgad_param_opt(&p, e->actor_role);
	cf_pg_param_text(&p, e->action);
	cf_pg_param_text(&p, e->entity);
	cf_pgad_param_opt(&p, e->entity_id);
	cf_pg_param_text(&p, e->summary);
	cf_pgad_param_opt(&p, e->request_id);
	cf_pgad_param_opt(&p, e->client_addr);
	cf_pg_param_text(&p, e->prev_hash);
	cf_pg_param_text(&p, e->hash);
	/* Only the row that follows the head is inserted: else nothing (conflict). */
	rc = cf_pgad_run_count(
	        tx, "cfpg_audit_insert",
	        "INSERT INTO audit_log (seq, at, actor_id, actor_role, action, "
	        "entity, entity_id, summary, request_id, client_addr, prev_hash, "
	        "hash) SELECT $1::bigint, cf_ts($2::bigint), $3, $4, $5, $6, $7, $8, "
	        "$9, $10, $11, $12 FROM audit_head WHERE last_seq = $1::bigint - 1 "
	        "AND last_hash = $11 RETURNING 1",
	        &p, &rows);
	if (rc != CF_OK)
		return rc;
	if (rows != 1)
		return CF_ECONFLICT;
	cf_pg_params_init(&p);
	cf_pg_param_int64(&p, e->seq);
	cf_pg_param_text(&p, e->hash);
	rc = cf_pgad_run_count(tx, "cfpg_audit_advance",
	                       "UPDATE audit_head SET last_seq = $1::bigint, last_hash = $2 "
	                       "RETURNING 1",
	                       &p, &rows);
	if (rc != CF_OK)
		return rc;
	return rows == 1 ? CF_OK : CF_ERROR;
}

/* ---- append: linked in SQL, sent with COMMIT (pg_deferred.c) ---- */

/* Empty optional text is NULL, as audit_insert writes it. */
static const char *opt(const char *s)
{
	return (s && *s) ? s : NULL;
}

static int audit_append(void *self, cf_tx *tx, const cf_audit_entry *e, const char *tail,
                        size_t tail_len)
{
	char at[24];
	const char *v[10];
	int len[10] = {0};
	int fmt[10] = {0};

	(void)self;
	if (e == NULL || (tail == NULL && tail_len > 0) || tail_len > INT32_MAX / 2)
		return CF_EINVALID;
	snprintf(at, sizeof at, "%lld", (long long)e->at_ms);
	v[0] = at;
	v[1] = opt(e->actor_id);
	v[2] = opt(e->actor_role);
	v[3] = e->action;
	v[4] = e->entity;
	v[5] = opt(e->entity_id);
	v[6] = e->summary;
	v[7] = opt(e->request_id);
	v[8] = opt(e->client_addr);
	v[9] = tail ? tail : ""; /* bytea, binary: the bytes as the core built them */
	len[9] = (int)tail_len;
	fmt[9] = 1;
	return cf_pgad_defer(tx, "cfpg_audit_append",
	                     "SELECT cf_audit_append($1::bigint, $2, $3, $4, $5, $6, $7, $8, $9, "
	                     "$10::bytea)",
	                     10, v, len, fmt, NULL, NULL);
}

static int read_entry(const PGresult *r, int row, void *item)
{
	cf_audit_entry *e = item;

	memset(e, 0, sizeof *e);
	if (cf_pgad_i64(r, row, 0, &e->seq) || cf_pgad_i64(r, row, 1, &e->at_ms) ||
	    cf_pgad_text(r, row, 2, e->actor_id, sizeof e->actor_id) ||
	    cf_pgad_text(r, row, 3, e->actor_role, sizeof e->actor_role) ||
	    cf_pgad_text(r, row, 4, e->action, sizeof e->action) ||
	    cf_pgad_text(r, row, 5, e->entity, sizeof e->entity) ||
	    cf_pgad_text(r, row, 6, e->entity_id, sizeof e->entity_id) ||
	    cf_pgad_text(r, row, 7, e->summary, sizeof e->summary) ||
	    cf_pgad_text(r, row, 8, e->request_id, sizeof e->request_id) ||
	    cf_pgad_text(r, row, 9, e->client_addr, sizeof e->client_addr) ||
	    cf_pgad_text(r, row, 10, e->prev_hash, sizeof e->prev_hash) ||
	    cf_pgad_text(r, row, 11, e->hash, sizeof e->hash))
		return CF_ERROR;
	return CF_OK;
}

static int audit_list(void *self, cf_tx *tx, const cf_audit_filter *f, cf_audit_array *out)
{
	cf_pg_params p;

	(void)self;
	out->items = NULL;
	out->count = 0;
	cf_pg_params_init(&p);
	cf_pgad_param_opt(&p, f->entity);
	cf_pgad_param_opt(&p, f->entity_id);
	cf_pg_param_int64(&p, f->after_seq);
	cf_pg_param_int64(&p, (int64_t)(f->limit ? f->limit : 1));
	return cf_pgad_select_all(
	        tx, "cfpg_audit_list",
	        "SELECT seq, cf_ms(at), actor_id, actor_role, action, entity, entity_id, "
	        "summary, request_id, client_addr, prev_hash, hash FROM audit_log "
	        "WHERE ($1::text IS NULL OR entity = $1) "
	        "AND ($2::text IS NULL OR entity_id = $2) AND seq > $3::bigint "
	        "ORDER BY seq LIMIT $4::bigint",
	        &p, sizeof *out->items, read_entry, (void **)&out->items, &out->count);
}

void cf_pgad_audit_ports(cf_pg_store *s, cf_ports *out)
{
	memset(&out->audit, 0, sizeof out->audit);
	out->audit.version = CF_AUDIT_REPO_VERSION;
	out->audit.self = s;
	out->audit.lock_head = audit_lock_head;
	out->audit.insert = audit_insert;
	out->audit.list = audit_list;
	out->audit.append = audit_append;
}
