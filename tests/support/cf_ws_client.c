/*
 * cf_ws_client.c - minimal blocking WebSocket client over loopback TCP
 * (see cf_ws_client.h). Reads go through one growable buffer so bytes that
 * arrive with the 101 response (a snapshot sent on join) are not lost.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "cf_ws_client.h"

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

struct cf_ws_client {
	int fd;
	unsigned char *rbuf; /* bytes read, [rpos, rlen) not consumed */
	size_t rpos, rlen, rcap;
	char *msg; /* the message handed out by recv */
	size_t msg_len, msg_cap;
	bool close_sent;
	bool closed; /* close frame received or connection lost */
	int close_code;
};

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Milliseconds left until deadline (-1: none), at least 0. */
static int left_ms(int64_t deadline)
{
	int64_t l;

	if (deadline < 0)
		return -1;
	l = deadline - now_ms();
	return l < 0 ? 0 : (int)(l > 1000000 ? 1000000 : l);
}

static int64_t deadline_of(int timeout_ms)
{
	return timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
}

/* Read more bytes (at least one) into rbuf before deadline. */
static int read_more(cf_ws_client *c, int64_t deadline, cf_error *err)
{
	struct pollfd p = {.fd = c->fd, .events = POLLIN};
	ssize_t n;
	int rc;

	if (c->rpos > 0 && c->rpos == c->rlen)
		c->rpos = c->rlen = 0;
	if (c->rlen == c->rcap) {
		if (c->rpos > 0) {
			memmove(c->rbuf, c->rbuf + c->rpos, c->rlen - c->rpos);
			c->rlen -= c->rpos;
			c->rpos = 0;
		} else {
			size_t nc = c->rcap ? c->rcap * 2 : 16384;
			unsigned char *nb = realloc(c->rbuf, nc);

			if (nb == NULL)
				return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
			c->rbuf = nb;
			c->rcap = nc;
		}
	}
	do
		rc = poll(&p, 1, left_ms(deadline));
	while (rc < 0 && errno == EINTR);
	if (rc == 0)
		return cf_error_set(err, CF_ERETRY, "timeout", "", "timed out");
	if (rc < 0)
		return cf_error_set(err, CF_EUNAVAILABLE, "io", "", "poll failed");
	do
		n = recv(c->fd, c->rbuf + c->rlen, c->rcap - c->rlen, 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		c->closed = true;
		if (c->close_code == 0)
			c->close_code = 1006;
		return cf_error_set(err, CF_EUNAVAILABLE, "closed", "", "connection closed");
	}
	c->rlen += (size_t)n;
	return CF_OK;
}

/* Make at least `need` unconsumed bytes available. */
static int need_bytes(cf_ws_client *c, size_t need, int64_t deadline, cf_error *err)
{
	while (c->rlen - c->rpos < need) {
		int rc = read_more(c, deadline, err);

		if (rc != CF_OK)
			return rc;
	}
	return CF_OK;
}

static int write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int send_frame(cf_ws_client *c, int opcode, const void *data, size_t len, cf_error *err)
{
	unsigned char hdr[14], mask[4];
	unsigned char stackbuf[512], *buf = stackbuf;
	size_t h = 0;
	int rc = CF_OK;

	hdr[h++] = (unsigned char)(0x80 | (opcode & 0x0f));
	if (len < 126) {
		hdr[h++] = (unsigned char)(0x80 | len);
	} else if (len <= 0xffff) {
		hdr[h++] = 0x80 | 126;
		hdr[h++] = (unsigned char)(len >> 8);
		hdr[h++] = (unsigned char)len;
	} else {
		hdr[h++] = 0x80 | 127;
		for (int i = 7; i >= 0; i--)
			hdr[h++] = (unsigned char)((uint64_t)len >> (8 * i));
	}
	if (getrandom(mask, sizeof mask, 0) != (ssize_t)sizeof mask)
		return cf_error_set(err, CF_ERROR, NULL, "", "getrandom failed");
	memcpy(hdr + h, mask, 4);
	h += 4;
	if (h + len > sizeof stackbuf) {
		buf = malloc(h + len);
		if (buf == NULL)
			return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	}
	memcpy(buf, hdr, h);
	for (size_t i = 0; i < len; i++)
		buf[h + i] = ((const unsigned char *)data)[i] ^ mask[i & 3];
	if (write_all(c->fd, buf, h + len) != 0)
		rc = cf_error_set(err, CF_EUNAVAILABLE, "io", "", "write failed");
	if (buf != stackbuf)
		free(buf);
	return rc;
}

/* Base64 of SHA-1(key + GUID), as the server must send it. */
static void expected_accept(const char *key, char out[64])
{
	char in[128];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int n = snprintf(in, sizeof in, "%s%s", key, WS_GUID);

	EVP_Digest(in, (size_t)n, md, &mdlen, EVP_sha1(), NULL);
	EVP_EncodeBlock((unsigned char *)out, md, (int)mdlen);
}

/* The value of header `name` in the response head (NUL-terminated), copied. */
static bool header_value(const char *head, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name);
	const char *p = strstr(head, "\r\n");

	while (p && p[2] != '\r' && p[2] != '\0') {
		const char *line = p + 2, *end = strstr(line, "\r\n");

		if (end == NULL)
			break;
		if ((size_t)(end - line) > nl && strncasecmp(line, name, nl) == 0 &&
		    line[nl] == ':') {
			const char *v = line + nl + 1;
			size_t len;

			while (*v == ' ' || *v == '\t')
				v++;
			len = (size_t)(end - v);
			while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
				len--;
			if (len >= cap)
				return false;
			memcpy(out, v, len);
			out[len] = '\0';
			return true;
		}
		p = end;
	}
	return false;
}

/*
 * The server closed before a complete response head. civetweb 1.15 answers
 * an upgrade to a path without a handler with a bare "Error 404: Not Found"
 * (no status line): take the status from either form.
 */
static int refused_without_head(cf_ws_client *c, int *status, cf_error *err)
{
	char text[128];
	size_t n = c->rlen < sizeof text - 1 ? c->rlen : sizeof text - 1;

	memcpy(text, c->rbuf, n);
	text[n] = '\0';
	if (sscanf(text, "HTTP/1.%*d %d", status) != 1 && sscanf(text, "Error %d", status) != 1)
		*status = 0;
	return cf_error_set(err, CF_ECONFLICT, "http-status", "", "upgrade refused: HTTP %d",
	                    *status);
}

static int handshake(cf_ws_client *c, const char *path, const char *extra, int64_t deadline,
                     int *status, cf_error *err)
{
	unsigned char nonce[16];
	char key[32], accept[64], want[64], *req, *head = NULL;
	size_t reqlen, hlen = 0;
	int n, rc;

	if (getrandom(nonce, sizeof nonce, 0) != (ssize_t)sizeof nonce)
		return cf_error_set(err, CF_ERROR, NULL, "", "getrandom failed");
	EVP_EncodeBlock((unsigned char *)key, nonce, (int)sizeof nonce);
	reqlen = strlen(path) + (extra ? strlen(extra) : 0) + 256;
	req = malloc(reqlen);
	if (req == NULL)
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	n = snprintf(req, reqlen,
	             "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
	             "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
	             "Sec-WebSocket-Version: 13\r\n%s\r\n",
	             path, key, extra ? extra : "");
	rc = write_all(c->fd, req, (size_t)n) == 0
	             ? CF_OK
	             : cf_error_set(err, CF_EUNAVAILABLE, "io", "", "write failed");
	free(req);
	if (rc != CF_OK)
		return rc;
	/* read the response head, leaving whatever follows it in rbuf */
	for (;;) {
		unsigned char *end;

		if (c->rlen >= 4) {
			end = memmem(c->rbuf, c->rlen, "\r\n\r\n", 4);
			if (end) {
				hlen = (size_t)(end - c->rbuf) + 4;
				break;
			}
		}
		if (c->rlen > 16384)
			return cf_error_set(err, CF_ERROR, "protocol", "",
			                    "response head too long");
		rc = read_more(c, deadline, err);
		if (rc == CF_EUNAVAILABLE && c->rlen > 0)
			return refused_without_head(c, status, err);
		if (rc != CF_OK)
			return rc == CF_ERETRY ? cf_error_set(err, CF_EUNAVAILABLE, "timeout", "",
			                                      "handshake timed out")
			                       : rc;
	}
	head = malloc(hlen + 1);
	if (head == NULL)
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	memcpy(head, c->rbuf, hlen);
	head[hlen] = '\0';
	c->rpos = hlen;
	if (sscanf(head, "HTTP/1.%*d %d", status) != 1)
		*status = 0;
	if (*status != 101)
		rc = cf_error_set(err, CF_ECONFLICT, "http-status", "", "upgrade refused: HTTP %d",
		                  *status);
	else if (!header_value(head, "Sec-WebSocket-Accept", accept, sizeof accept))
		rc = cf_error_set(err, CF_ERROR, "protocol", "", "no Sec-WebSocket-Accept");
	else {
		expected_accept(key, want);
		if (strcmp(accept, want) != 0)
			rc = cf_error_set(err, CF_ERROR, "protocol", "",
			                  "wrong Sec-WebSocket-Accept");
	}
	free(head);
	return rc;
}

int cf_ws_client_connect(cf_ws_client **out, int port, const char *path, const char *extra_headers,
                         int timeout_ms, int *http_status, cf_error *err)
{
	struct sockaddr_in sa;
	cf_ws_client *c;
	int64_t deadline = deadline_of(timeout_ms);
	int status = 0, one = 1, rc;

	if (http_status)
		*http_status = 0;
	if (out == NULL || path == NULL || path[0] != '/' || port <= 0 || port > 65535)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "",
		                    "bad connect arguments");
	*out = NULL;
	c = calloc(1, sizeof *c);
	if (c == NULL)
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		free(c);
		return cf_error_set(err, CF_EUNAVAILABLE, "io", "", "socket failed");
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		rc = cf_error_set(err, CF_EUNAVAILABLE, "io", "", "connect to 127.0.0.1:%d failed",
		                  port);
		goto fail;
	}
	rc = handshake(c, path, extra_headers, deadline, &status, err);
	if (http_status)
		*http_status = status;
	if (rc != CF_OK)
		goto fail;
	*out = c;
	return CF_OK;
fail:
	close(c->fd);
	free(c->rbuf);
	free(c);
	return rc;
}

int cf_ws_client_send(cf_ws_client *c, int opcode, const void *data, size_t len, cf_error *err)
{
	if (c == NULL || (data == NULL && len != 0) || opcode < 0 || opcode > 0xf)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "", "bad send arguments");
	if (c->close_sent || c->closed)
		return cf_error_set(err, CF_EUNAVAILABLE, "closed", "", "connection is closing");
	if (opcode == CF_WS_OP_CLOSE)
		c->close_sent = true;
	return send_frame(c, opcode, data, len, err);
}

int cf_ws_client_send_text(cf_ws_client *c, const char *text, size_t len, cf_error *err)
{
	return cf_ws_client_send(c, CF_WS_OP_TEXT, text, len, err);
}

static int msg_append(cf_ws_client *c, const unsigned char *p, size_t n, cf_error *err)
{
	if (c->msg_len + n > CF_WS_CLIENT_MAX_MESSAGE)
		return cf_error_set(err, CF_EOVERFLOW, "too-large", "", "message too large");
	if (c->msg_len + n + 1 > c->msg_cap) {
		size_t nc = c->msg_cap ? c->msg_cap : 4096;
		char *nm;

		while (nc < c->msg_len + n + 1)
			nc *= 2;
		nm = realloc(c->msg, nc);
		if (nm == NULL)
			return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
		c->msg = nm;
		c->msg_cap = nc;
	}
	if (n)
		memcpy(c->msg + c->msg_len, p, n);
	c->msg_len += n;
	c->msg[c->msg_len] = '\0';
	return CF_OK;
}

/*
 * Parse one frame without consuming it unless it is complete: the timeout
 * case leaves partial bytes in rbuf for the next call. A complete frame is
 * consumed and its (unmasked) payload offset/length returned.
 */
static int next_frame(cf_ws_client *c, int64_t deadline, int *fin, int *op, size_t *poff,
                      uint64_t *plen, cf_error *err)
{
	const unsigned char *b;
	size_t h = 2;
	uint64_t len;
	bool masked;
	int rc;

	rc = need_bytes(c, 2, deadline, err);
	if (rc != CF_OK)
		return rc;
	b = c->rbuf + c->rpos;
	masked = (b[1] & 0x80) != 0;
	len = b[1] & 0x7f;
	if (len == 126)
		h += 2;
	else if (len == 127)
		h += 8;
	if (masked)
		h += 4;
	rc = need_bytes(c, h, deadline, err);
	if (rc != CF_OK)
		return rc;
	b = c->rbuf + c->rpos;
	if (len == 126) {
		len = ((uint64_t)b[2] << 8) | b[3];
	} else if (len == 127) {
		len = 0;
		for (int i = 0; i < 8; i++)
			len = (len << 8) | b[2 + i];
	}
	if (len > CF_WS_CLIENT_MAX_MESSAGE)
		return cf_error_set(err, CF_EOVERFLOW, "too-large", "", "frame too large");
	rc = need_bytes(c, h + (size_t)len, deadline, err);
	if (rc != CF_OK)
		return rc;
	b = c->rbuf + c->rpos;
	*fin = (b[0] & 0x80) != 0;
	*op = b[0] & 0x0f;
	if (masked) {
		const unsigned char *m = b + h - 4;
		unsigned char *p = c->rbuf + c->rpos + h;

		for (uint64_t i = 0; i < len; i++)
			p[i] ^= m[i & 3];
		/* clear the mask bit so a re-parse would not unmask twice */
		c->rbuf[c->rpos + 1] &= 0x7f;
	}
	*poff = c->rpos + h;
	*plen = len;
	c->rpos += h + (size_t)len;
	return CF_OK;
}

int cf_ws_client_recv(cf_ws_client *c, int *opcode, const char **data, size_t *len, int timeout_ms,
                      cf_error *err)
{
	int64_t deadline = deadline_of(timeout_ms);
	int msg_op = -1;

	if (c == NULL || opcode == NULL || data == NULL || len == NULL)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "", "bad recv arguments");
	if (c->closed)
		return cf_error_set(err, CF_EUNAVAILABLE, "closed", "", "connection closed");
	c->msg_len = 0;
	for (;;) {
		size_t off = 0;
		uint64_t plen = 0;
		int fin = 0, op = -1, rc;

		rc = next_frame(c, deadline, &fin, &op, &off, &plen, err);
		if (rc != CF_OK) {
			/* a timeout mid-message would lose the fragments read so far:
			 * rare with our servers (they never fragment); report it */
			if (rc == CF_ERETRY && msg_op >= 0)
				return cf_error_set(err, CF_ERROR, "protocol", "",
				                    "timed out inside a fragmented message");
			return rc;
		}
		switch (op) {
		case CF_WS_OP_PING:
			if (!c->close_sent)
				send_frame(c, CF_WS_OP_PONG, c->rbuf + off, (size_t)plen, NULL);
			continue;
		case CF_WS_OP_PONG: continue;
		case CF_WS_OP_CLOSE:
			c->close_code = plen >= 2 ? (c->rbuf[off] << 8) | c->rbuf[off + 1] : 1005;
			if (!c->close_sent) {
				unsigned char echo[2] = {(unsigned char)(c->close_code >> 8),
				                         (unsigned char)c->close_code};

				c->close_sent = true;
				send_frame(c, CF_WS_OP_CLOSE, echo, plen >= 2 ? 2 : 0, NULL);
			}
			c->closed = true;
			return cf_error_set(err, CF_EUNAVAILABLE, "closed", "",
			                    "server closed the connection (%d)", c->close_code);
		case CF_WS_OP_TEXT:
		case CF_WS_OP_BINARY:
			if (msg_op >= 0)
				return cf_error_set(err, CF_ERROR, "protocol", "",
				                    "new message inside a fragmented one");
			msg_op = op;
			break;
		case CF_WS_OP_CONT:
			if (msg_op < 0)
				return cf_error_set(err, CF_ERROR, "protocol", "",
				                    "continuation without a message");
			break;
		default:
			return cf_error_set(err, CF_ERROR, "protocol", "", "unknown opcode %d", op);
		}
		rc = msg_append(c, c->rbuf + off, (size_t)plen, err);
		if (rc != CF_OK)
			return rc;
		if (fin) {
			if (c->msg == NULL && (rc = msg_append(c, NULL, 0, err)) != CF_OK)
				return rc;
			*opcode = msg_op;
			*data = c->msg;
			*len = c->msg_len;
			return CF_OK;
		}
	}
}

int cf_ws_client_close_code(const cf_ws_client *c)
{
	return c ? c->close_code : 0;
}

int cf_ws_client_fd(const cf_ws_client *c)
{
	return c ? c->fd : -1;
}

size_t cf_ws_client_buffered(const cf_ws_client *c)
{
	return c ? c->rlen - c->rpos : 0;
}

void cf_ws_client_close(cf_ws_client *c, int timeout_ms)
{
	if (c == NULL)
		return;
	if (!c->closed && !c->close_sent) {
		unsigned char code[2] = {1000 >> 8, 1000 & 0xff};

		c->close_sent = true;
		if (send_frame(c, CF_WS_OP_CLOSE, code, sizeof code, NULL) == CF_OK) {
			int64_t deadline = deadline_of(timeout_ms);

			while (!c->closed) {
				int op;
				const char *d;
				size_t n;

				/* any error (timeout, close, drop) ends the wait */
				if (cf_ws_client_recv(c, &op, &d, &n, left_ms(deadline), NULL) !=
				            CF_OK ||
				    left_ms(deadline) == 0)
					break;
			}
		}
	}
	shutdown(c->fd, SHUT_RDWR);
	close(c->fd);
	free(c->rbuf);
	free(c->msg);
	free(c);
}
