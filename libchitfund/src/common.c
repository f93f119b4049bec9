/* common.c - unit-of-work runner, audit append, ids and text helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const cf_actor anonymous_actor;

int cf__fail(cf_uc *uc, int code, const char *slug, const char *field, const char *fmt, ...)
{
	va_list ap;
	char msg[192];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return cf_error_set(uc->err, code, slug, field, "%s", msg);
}

static int run_uc(cf_app *app, const cf_actor *actor, cf_uc_fn fn, void *ctx, bool read_only,
                  cf_error *err)
{
	int attempts = app->cfg.tx_max_attempts > 0 ? app->cfg.tx_max_attempts : 1;
	int (*begin)(void *, cf_tx **) = app->p.uow.begin;
	int rc = CF_ERROR;

	if (read_only && app->p.uow.version >= 2 && app->p.uow.begin_read != NULL)
		begin = app->p.uow.begin_read;

	for (int i = 0; i < attempts; i++) {
		cf_uc uc;

		if (err != NULL)
			memset(err, 0, sizeof *err);
		memset(&uc, 0, sizeof uc);
		uc.app = app;
		uc.actor = actor ? actor : &anonymous_actor;
		uc.err = err;
		uc.now_ms = app->p.clock.now_ms(app->p.clock.self);
		rc = begin(app->p.uow.self, &uc.tx);
		if (rc < 0)
			break;
		rc = fn(&uc, ctx);
		if (rc == CF_OK) {
			rc = app->p.uow.commit(app->p.uow.self, uc.tx);
			if (rc == CF_OK && uc.fail_after_commit < 0)
				return uc.fail_after_commit;
		} else {
			app->p.uow.rollback(app->p.uow.self, uc.tx);
		}
		if (rc != CF_ERETRY)
			break;
		if (app->p.clock.sleep_ms != NULL)
			app->p.clock.sleep_ms(app->p.clock.self, (int64_t)(5 << i));
	}
	if (rc == CF_ERETRY) {
		if (err != NULL)
			memset(err, 0, sizeof *err);
		return cf_error_set(err, CF_ECONFLICT, CF_SLUG_CONFLICT, "",
		                    "the request conflicted with another; please retry");
	}
	return cf_error_default(err, rc);
}

int cf__run(cf_app *app, const cf_actor *actor, cf_uc_fn fn, void *ctx, cf_error *err)
{
	return run_uc(app, actor, fn, ctx, false, err);
}

int cf__run_read(cf_app *app, const cf_actor *actor, cf_uc_fn fn, void *ctx, cf_error *err)
{
	return run_uc(app, actor, fn, ctx, true, err);
}

void cf__defer_writes(cf_uc *uc)
{
	if (uc->app->p.uow.version >= 3 && uc->app->p.uow.defer_writes != NULL)
		uc->app->p.uow.defer_writes(uc->app->p.uow.self, uc->tx);
}

void cf__hex(const uint8_t *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int cf__sha256_hex(cf_app *app, const void *data, size_t len, char out[CF_HEX256_SIZE])
{
	uint8_t d[32];
	int rc = app->p.digest.sha256(app->p.digest.self, data, len, d);

	if (rc < 0)
		return rc;
	cf__hex(d, 32, out);
	return CF_OK;
}

int cf__uuid(cf_app *app, char out[CF_ID_SIZE])
{
	uint8_t b[16];
	char hex[33];
	int rc = app->p.rng.fill(app->p.rng.self, b, sizeof b);

	if (rc < 0)
		return rc;
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
	cf__hex(b, 16, hex);
	snprintf(out, CF_ID_SIZE, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16,
	         hex + 20);
	return CF_OK;
}

bool cf__is_uuid(const char *s)
{
	if (s == NULL || strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		char c = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return false;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
			return false;
		}
	}
	return true;
}

void cf__copy(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (cap == 0)
		return;
	if (n >= cap)
		n = cap - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/* ---- string builder ---- */

void cf__sb_init(cf_sb *sb, char *buf, size_t cap)
{
	sb->buf = buf;
	sb->cap = cap;
	sb->len = 0;
	sb->overflow = false;
	if (cap)
		buf[0] = '\0';
}

static void sb_put(cf_sb *sb, const char *s, size_t n)
{
	if (sb->overflow)
		return;
	if (sb->len + n + 1 > sb->cap) {
		sb->overflow = true;
		return;
	}
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void cf__sb_raw(cf_sb *sb, const char *s)
{
	sb_put(sb, s, strlen(s));
}

void cf__sb_fmt(cf_sb *sb, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		sb->overflow = true;
		return;
	}
	sb_put(sb, tmp, (size_t)n);
}

void cf__sb_json(cf_sb *sb, const char *s)
{
	if (s == NULL) {
		cf__sb_raw(sb, "null");
		return;
	}
	sb_put(sb, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char esc[8];
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			sb_put(sb, esc, 2);
		} else if (*p < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", *p);
			sb_put(sb, esc, 6);
		} else {
			sb_put(sb, (const char *)p, 1);
		}
	}
	sb_put(sb, "\"", 1);
}

const char *cf__sb_done(cf_sb *sb)
{
	if (sb->overflow) {
		sb->overflow = false;
		sb->len = 0;
		sb->buf[0] = '\0';
		cf__sb_raw(sb, "{\"truncated\":true}");
	}
	return sb->buf;
}

/* ---- audit ---- */

static void fill_entry(cf_uc *uc, cf_audit_entry *e, const char *action, const char *entity,
                       const char *entity_id, const char *summary)
{
	e->at_ms = uc->now_ms;
	cf__copy(e->actor_id, sizeof e->actor_id, uc->actor->user_id);
	cf__copy(e->actor_role, sizeof e->actor_role,
	         uc->actor->role == CF_ROLE_NONE ? "anonymous" : cf_role_name(uc->actor->role));
	cf__copy(e->action, sizeof e->action, action);
	cf__copy(e->entity, sizeof e->entity, entity);
	cf__copy(e->entity_id, sizeof e->entity_id, entity_id);
	cf__copy(e->summary, sizeof e->summary, summary && *summary ? summary : "{}");
	cf__copy(e->request_id, sizeof e->request_id, uc->actor->request_id);
	cf__copy(e->client_addr, sizeof e->client_addr, uc->actor->client_addr);
}

int cf__audit(cf_uc *uc, const char *action, const char *entity, const char *entity_id,
              const char *summary)
{
	cf_app *app = uc->app;
	cf_audit_entry *e;
	int64_t last_seq = 0;
	char last_hash[CF_HEX256_SIZE] = "";
	int rc;

	e = calloc(1, sizeof *e);
	if (e == NULL)
		return CF_ENOMEM;
	fill_entry(uc, e, action, entity, entity_id, summary);
	if (app->p.audit.version >= 2 && app->p.audit.append != NULL) {
		/* the adapter links it to the head (postgres: in SQL, pipelined
		 * with COMMIT, so the head lock is held only for the commit) */
		char *tail = NULL;
		size_t len = 0;

		rc = cf__audit_tail(e, &tail, &len);
		if (rc == CF_OK)
			rc = app->p.audit.append(app->p.audit.self, uc->tx, e, tail, len);
		free(tail);
		free(e);
		return rc;
	}
	rc = app->p.audit.lock_head(app->p.audit.self, uc->tx, &last_seq, last_hash);
	if (rc == CF_OK) {
		e->seq = last_seq + 1;
		cf__copy(e->prev_hash, sizeof e->prev_hash, last_hash);
		rc = cf_audit_entry_hash(app, e, e->hash);
	}
	if (rc == CF_OK)
		rc = app->p.audit.insert(app->p.audit.self, uc->tx, e);
	free(e);
	return rc;
}

/* ---- text validation ---- */

long cf__utf8_chars(const char *s, size_t max_bytes)
{
	const unsigned char *p = (const unsigned char *)s;
	long chars = 0;
	size_t i = 0;

	while (p[i]) {
		unsigned c = p[i];
		int extra;
		uint32_t cp;

		if (i >= max_bytes)
			return -1;
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return -1;
			i++;
			chars++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			extra = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			extra = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			extra = 3;
			cp = c & 0x07;
		} else {
			return -1;
		}
		for (int k = 1; k <= extra; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return -1;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) ||
		    (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0))
			return -1;
		i += (size_t)extra + 1;
		chars++;
	}
	return chars;
}

int cf__load_scheme(cf_uc *uc, const char *id, cf_scheme *s)
{
	int rc;

	if (!cf__is_uuid(id))
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such scheme");
	rc = uc->app->p.schemes.get(uc->app->p.schemes.self, uc->tx, id, s);
	if (rc == CF_ENOTFOUND)
		return cf__fail(uc, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "no such scheme");
	return rc;
}

int cf__holds_ticket(cf_uc *uc, const char *scheme_id, const char *user_id, bool *out)
{
	cf_ticket_array t = {0};
	int rc = uc->app->p.tickets.list_by_scheme(uc->app->p.tickets.self, uc->tx, scheme_id, &t);

	*out = false;
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < t.count; i++)
		if (strcmp(t.items[i].user_id, user_id) == 0)
			*out = true;
	cf_ticket_array_free(&t);
	return CF_OK;
}

bool cf__text_ok(const char *s, long min, long max, size_t cap)
{
	long n;

	if (s == NULL || strlen(s) >= cap)
		return false;
	n = cf__utf8_chars(s, cap);
	return n >= min && n <= max;
}

bool cf__email_normalize(const char *in, char out[CF_EMAIL_SIZE])
{
	size_t n, at = 0, ats = 0;

	if (in == NULL)
		return false;
	n = strlen(in);
	if (n < 3 || n > 254)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c <= 0x20 || c >= 0x7f || strchr("\"(),:;<>[\\]", c) != NULL)
			return false;
		if (c == '@') {
			at = i;
			ats++;
		}
		out[i] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
	}
	out[n] = '\0';
	if (ats != 1 || at == 0 || at > 64 || at + 1 >= n)
		return false;
	{
		const char *dom = out + at + 1;
		size_t dl = strlen(dom);
		if (strchr(dom, '.') == NULL || dom[0] == '.' || dom[dl - 1] == '.' ||
		    dom[0] == '-' || dom[dl - 1] == '-' || strstr(dom, "..") != NULL)
			return false;
	}
	return true;
}

bool cf__phone_ok(const char *s)
{
	size_t i = 0, digits = 0;

	if (s[0] == '+')
		i = 1;
	for (; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		digits++;
	}
	return digits >= 7 && digits <= 15;
}

int cf__password_check(cf_app *app, const char *pw, const char *field, cf_error *err)
{
	long n;

	if (pw == NULL)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, field,
		                    "password is required");
	n = cf__utf8_chars(pw, 4 * (size_t)app->cfg.password_max_len + 1);
	if (n < 0)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, field,
		                    "password must be printable UTF-8 text");
	if (n < app->cfg.password_min_len || n > app->cfg.password_max_len)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, field,
		                    "password must be %d to %d characters",
		                    app->cfg.password_min_len, app->cfg.password_max_len);
	return CF_OK;
}

/* ---- pagination ---- */

int cf__limit(size_t in, size_t *out, cf_error *err)
{
	if (in == 0)
		in = CF_PAGE_DEFAULT;
	if (in > CF_PAGE_MAX)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "limit",
		                    "limit must be 1 to %d", CF_PAGE_MAX);
	*out = in;
	return CF_OK;
}

int cf__cursor_seq(const char *cursor, char prefix, int64_t *out, cf_error *err)
{
	int64_t v = 0;
	const char *p;

	*out = 0;
	if (cursor == NULL || cursor[0] == '\0')
		return CF_OK;
	if (cursor[0] != prefix || cursor[1] == '\0' || strlen(cursor) > 19)
		goto bad;
	for (p = cursor + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		v = v * 10 + (*p - '0');
	}
	if (v <= 0)
		goto bad;
	*out = v;
	return CF_OK;
bad:
	return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "cursor", "invalid cursor");
}
