/*
 * log.c - JSON lines on stderr; one write(2) per line.
 */
#include "cf_infra/log.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cf_infra/clock.h"
#include "chitfund/domain/errcode.h"

static atomic_int g_level = CF_LOG_INFO;
static atomic_int g_fd = 2;

void cf_log_set_level(cf_log_level min)
{
	atomic_store(&g_level, (int)min);
}

void cf_log_set_fd(int fd)
{
	atomic_store(&g_fd, fd < 0 ? 2 : fd);
}

const char *cf_log_level_name(cf_log_level level)
{
	switch (level) {
	case CF_LOG_DEBUG: return "debug";
	case CF_LOG_INFO: return "info";
	case CF_LOG_WARN: return "warn";
	case CF_LOG_ERROR: return "error";
	}
	return "info";
}

int cf_log_level_parse(const char *text, cf_log_level *out)
{
	if (!text || !out)
		return CF_EINVALID;
	if (strcasecmp(text, "debug") == 0)
		*out = CF_LOG_DEBUG;
	else if (strcasecmp(text, "info") == 0)
		*out = CF_LOG_INFO;
	else if (strcasecmp(text, "warn") == 0 || strcasecmp(text, "warning") == 0)
		*out = CF_LOG_WARN;
	else if (strcasecmp(text, "error") == 0)
		*out = CF_LOG_ERROR;
	else
		return CF_EINVALID;
	return CF_OK;
}

/* Length of a valid UTF-8 sequence starting at s, or 0 when invalid. */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0))
			return 0; /* overlong, surrogate */
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

size_t cf_json_escape(const char *in, char *out, size_t cap)
{
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t need = 0, w = 0;
	int full = 0;
	while (*s) {
		char tmp[8];
		size_t tl;
		const char *src = tmp;
		size_t adv = 1;
		switch (*s) {
		case '"': tmp[0] = '\\', tmp[1] = '"', tl = 2; break;
		case '\\': tmp[0] = '\\', tmp[1] = '\\', tl = 2; break;
		case '\n': tmp[0] = '\\', tmp[1] = 'n', tl = 2; break;
		case '\r': tmp[0] = '\\', tmp[1] = 'r', tl = 2; break;
		case '\t': tmp[0] = '\\', tmp[1] = 't', tl = 2; break;
		case '\b': tmp[0] = '\\', tmp[1] = 'b', tl = 2; break;
		case '\f': tmp[0] = '\\', tmp[1] = 'f', tl = 2; break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				snprintf(tmp, sizeof tmp, "\\u%04x", *s);
				tl = 6;
			} else if (*s < 0x80) {
				tmp[0] = (char)*s, tl = 1;
			} else {
				adv = utf8_len(s);
				if (adv == 0) {
					adv = 1; /* U+FFFD */
					tmp[0] = (char)0xef, tmp[1] = (char)0xbf,
					tmp[2] = (char)0xbd;
					tl = 3;
				} else {
					src = (const char *)s;
					tl = adv;
				}
			}
		}
		need += tl;
		if (!full && cap > 0 && w + tl <= cap - 1) {
			memcpy(out + w, src, tl);
			w += tl;
		} else {
			full = 1;
		}
		s += adv;
	}
	if (cap > 0)
		out[w] = '\0';
	return need;
}

/* Bounded line builder: appends stop (and mark `over`) once `limit` is reached. */
typedef struct line {
	char *buf;
	size_t len, limit;
	int over;
} line;

static int put(line *l, const char *s, size_t n)
{
	if (l->over || l->len + n > l->limit) {
		l->over = 1;
		return -1;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	return 0;
}

static int put_str(line *l, const char *s)
{
	char tmp[1024];
	size_t need = cf_json_escape(s, tmp, sizeof tmp);
	if (need < sizeof tmp)
		return put(l, "\"", 1) || put(l, tmp, need) || put(l, "\"", 1) ? -1 : 0;
	/* long value: escape straight into the line when it fits */
	if (l->over || l->len + need + 2 > l->limit) {
		l->over = 1;
		return -1;
	}
	l->buf[l->len++] = '"';
	cf_json_escape(s, l->buf + l->len, need + 1);
	l->len += need;
	l->buf[l->len++] = '"';
	return 0;
}

size_t cf_log_format(char *out, size_t cap, int64_t time_ms, cf_log_level level, const char *msg,
                     const cf_log_field *fields, size_t n)
{
	char ts[CF_RFC3339_SIZE] = "1970-01-01T00:00:00.000Z";
	char num[32];
	/* reserve room for ',"truncated":true}\n' and the NUL */
	static const char trunc[] = ",\"truncated\":true}\n";
	line l = {out, 0, cap > sizeof trunc ? cap - sizeof trunc : 0, 0};
	size_t mark;
	if (!out || cap < 128)
		return 0;
	cf_rfc3339_format(time_ms, 1, ts, sizeof ts);
	put(&l, "{\"time\":\"", 9);
	put(&l, ts, strlen(ts));
	put(&l, "\",\"level\":\"", 11);
	put(&l, cf_log_level_name(level), strlen(cf_log_level_name(level)));
	put(&l, "\",\"msg\":", 8);
	mark = l.len;
	if (put_str(&l, msg ? msg : "") != 0) {
		l.over = 0;
		l.len = mark;
		put(&l, "\"\"", 2);
		l.over = 1;
	}
	for (size_t i = 0; i < n && !l.over; i++) {
		mark = l.len;
		if (!fields[i].key)
			continue;
		put(&l, ",", 1);
		put_str(&l, fields[i].key);
		put(&l, ":", 1);
		if (fields[i].is_num) {
			int k = snprintf(num, sizeof num, "%lld", (long long)fields[i].num);
			put(&l, num, (size_t)k);
		} else if (fields[i].str) {
			put_str(&l, fields[i].str);
		} else {
			put(&l, "null", 4);
		}
		if (l.over)
			l.len = mark; /* drop the partial field */
	}
	if (l.over) {
		memcpy(out + l.len, trunc, sizeof trunc);
		return l.len + sizeof trunc - 1;
	}
	out[l.len++] = '}';
	out[l.len++] = '\n';
	out[l.len] = '\0';
	return l.len;
}

void cf_log(cf_log_level level, const char *msg, const cf_log_field *fields, size_t n)
{
	char buf[CF_LOG_LINE_MAX];
	size_t len, off = 0;
	int fd;
	if ((int)level < atomic_load(&g_level))
		return;
	len = cf_log_format(buf, sizeof buf, cf_time_wall_ms(), level, msg, fields, n);
	fd = atomic_load(&g_fd);
	while (off < len) {
		ssize_t w = write(fd, buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
}

static int is_token_key(const char *k, size_t n)
{
	static const char name[] = "access_token";
	return n == sizeof name - 1 && strncasecmp(k, name, n) == 0;
}

size_t cf_log_scrub_url(const char *url, char *out, size_t cap)
{
	static const char red[] = "REDACTED";
	size_t w = 0;
	const char *p = url ? url : "";
	const char *q = strchr(p, '?');
	int query = 0;
	if (!out || cap == 0)
		return 0;
#define EMIT(s, n)                                                                                 \
	do {                                                                                       \
		size_t n_ = (n);                                                                   \
		if (w + n_ > cap - 1)                                                              \
			n_ = cap - 1 - w;                                                          \
		memcpy(out + w, (s), n_);                                                          \
		w += n_;                                                                           \
	} while (0)
	/* a string without '?' is treated as a bare query string when it holds '=' */
	if (q) {
		EMIT(p, (size_t)(q - p) + 1);
		p = q + 1;
		query = 1;
	} else if (strchr(p, '=')) {
		query = 1;
	}
	if (!query) {
		EMIT(p, strlen(p));
		out[w] = '\0';
		return w;
	}
	while (*p) {
		size_t plen = strcspn(p, "&#");
		const char *eq = memchr(p, '=', plen);
		size_t klen = eq ? (size_t)(eq - p) : plen;
		if (eq && is_token_key(p, klen)) {
			EMIT(p, klen + 1);
			EMIT(red, sizeof red - 1);
		} else {
			EMIT(p, plen);
		}
		p += plen;
		if (*p == '#') {
			EMIT(p, strlen(p));
			break;
		}
		if (*p == '&') {
			EMIT("&", 1);
			p++;
		}
	}
#undef EMIT
	out[w] = '\0';
	return w;
}
