/* audit.c - the hash chain rule, listing and verification of the audit log. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void put_field(cf_sb *sb, const char *s)
{
	cf__sb_fmt(sb, "%zu:", strlen(s));
	cf__sb_raw(sb, s);
	cf__sb_raw(sb, ";");
}

/* The canonical fields after seq (at_ms .. client_addr), appended to sb. */
static void put_tail(cf_sb *sb, const cf_audit_entry *e)
{
	char num[24];

	snprintf(num, sizeof num, "%" PRId64, e->at_ms);
	put_field(sb, num);
	put_field(sb, e->actor_id);
	put_field(sb, e->actor_role);
	put_field(sb, e->action);
	put_field(sb, e->entity);
	put_field(sb, e->entity_id);
	put_field(sb, e->summary);
	put_field(sb, e->request_id);
	put_field(sb, e->client_addr);
}

int cf__audit_tail(const cf_audit_entry *e, char **out, size_t *len)
{
	enum { CAP = sizeof(cf_audit_entry) + 256 };
	char *buf = malloc(CAP);
	cf_sb sb;

	*out = NULL;
	*len = 0;
	if (buf == NULL)
		return CF_ENOMEM;
	cf__sb_init(&sb, buf, CAP);
	put_tail(&sb, e);
	if (sb.overflow) {
		free(buf);
		return CF_ERROR;
	}
	*out = buf;
	*len = sb.len;
	return CF_OK;
}

int cf_audit_entry_hash(cf_app *app, const cf_audit_entry *e, char hex[CF_HEX256_SIZE])
{
	enum { CAP = sizeof(cf_audit_entry) + 256 };
	char *buf = malloc(CAP);
	char num[24];
	cf_sb sb;
	int rc;

	if (buf == NULL)
		return CF_ENOMEM;
	cf__sb_init(&sb, buf, CAP);
	cf__sb_raw(&sb, e->prev_hash);
	cf__sb_raw(&sb, ":");
	snprintf(num, sizeof num, "%" PRId64, e->seq);
	put_field(&sb, num);
	put_tail(&sb, e);
	rc = sb.overflow ? CF_ERROR : cf__sha256_hex(app, buf, sb.len, hex);
	free(buf);
	return rc;
}

static int require_audit_reader(cf_uc *uc, bool allow_system)
{
	cf_role r = uc->actor->role;

	if (r == CF_ROLE_NONE)
		return cf__fail(uc, CF_EUNAUTHENTICATED, CF_SLUG_UNAUTHENTICATED, "",
		                "authentication required");
	if (r == CF_ROLE_ADMIN || r == CF_ROLE_AUDITOR || (allow_system && r == CF_ROLE_SYSTEM))
		return CF_OK;
	return cf__fail(uc, CF_EFORBIDDEN, CF_SLUG_FORBIDDEN, "", "not allowed for your role");
}

typedef struct list_ctx {
	cf_audit_filter f;
	size_t limit;
	cf_audit_page *out;
} list_ctx;

static int do_list(cf_uc *uc, void *vctx)
{
	list_ctx *c = vctx;
	cf_audit_array a = {0};
	int rc;

	cf_audit_page_free(c->out);
	c->out->next_cursor[0] = '\0';
	if ((rc = require_audit_reader(uc, true)) < 0)
		return rc;
	rc = uc->app->p.audit.list(uc->app->p.audit.self, uc->tx, &c->f, &a);
	if (rc < 0)
		return rc;
	if (a.count > c->limit) {
		a.count = c->limit;
		snprintf(c->out->next_cursor, sizeof c->out->next_cursor, "a%" PRId64,
		         a.items[a.count - 1].seq);
	}
	c->out->entries = a;
	return CF_OK;
}

int cf_audit_list(cf_app *app, const cf_actor *actor, const cf_audit_query *q, cf_audit_page *out,
                  cf_error *err)
{
	list_ctx c;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&c, 0, sizeof c);
	c.out = out;
	if ((rc = cf__limit(q ? q->limit : 0, &c.limit, err)) < 0)
		return rc;
	if (q != NULL) {
		if ((rc = cf__cursor_seq(q->cursor, 'a', &c.f.after_seq, err)) < 0)
			return rc;
		if (q->entity && strlen(q->entity) >= sizeof c.f.entity)
			return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "entity",
			                    "entity is too long");
		if (q->entity_id && strlen(q->entity_id) >= sizeof c.f.entity_id)
			return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "entity_id",
			                    "entity_id is too long");
		cf__copy(c.f.entity, sizeof c.f.entity, q->entity);
		cf__copy(c.f.entity_id, sizeof c.f.entity_id, q->entity_id);
	}
	c.f.limit = c.limit + 1;
	rc = cf__run(app, actor, do_list, &c, err);
	if (rc < 0)
		cf_audit_page_free(out);
	return rc;
}

static int do_verify(cf_uc *uc, void *vctx)
{
	cf_audit_verify_result *r = vctx;
	cf_audit_filter f;
	char prev[CF_HEX256_SIZE];
	char h[CF_HEX256_SIZE];
	int64_t expect = 1;
	int rc;

	if ((rc = require_audit_reader(uc, true)) < 0)
		return rc;
	memset(r, 0, sizeof *r);
	memset(prev, '0', 64);
	prev[64] = '\0';
	memset(&f, 0, sizeof f);
	f.limit = CF_PAGE_MAX;
	for (;;) {
		cf_audit_array a = {0};

		rc = uc->app->p.audit.list(uc->app->p.audit.self, uc->tx, &f, &a);
		if (rc < 0)
			return rc;
		for (size_t i = 0; i < a.count; i++) {
			const cf_audit_entry *e = &a.items[i];
			const char *why = NULL;

			r->rows_checked++;
			if (e->seq != expect)
				why = "seq gap";
			else if (strcmp(e->prev_hash, prev) != 0)
				why = "prev_hash mismatch";
			else if ((rc = cf_audit_entry_hash(uc->app, e, h)) < 0) {
				cf_audit_array_free(&a);
				return rc;
			} else if (strcmp(h, e->hash) != 0)
				why = "hash mismatch";
			if (why != NULL) {
				r->ok = false;
				r->first_broken_seq = e->seq;
				cf__copy(r->reason, sizeof r->reason, why);
				cf_audit_array_free(&a);
				return CF_OK;
			}
			cf__copy(prev, sizeof prev, e->hash);
			expect++;
			f.after_seq = e->seq;
		}
		if (a.count < f.limit) {
			cf_audit_array_free(&a);
			break;
		}
		cf_audit_array_free(&a);
	}
	r->ok = true;
	return CF_OK;
}

int cf_audit_verify(cf_app *app, const cf_actor *actor, cf_audit_verify_result *out, cf_error *err)
{
	memset(out, 0, sizeof *out);
	return cf__run(app, actor, do_verify, out, err);
}
