/*
 * cf_ws_client.h - a minimal blocking WebSocket client (RFC 6455) for tests
 * and benchmarks: the HTTP upgrade over plain TCP to 127.0.0.1 (with a
 * random Sec-WebSocket-Key, the Sec-WebSocket-Accept checked), masked
 * client frames, text/binary messages (fragments reassembled), pings
 * answered with pongs, and the close handshake.
 *
 * Loopback only, by design: tests never reach beyond this machine.
 * One client is used by one thread at a time.
 */
#ifndef CF_WS_CLIENT_H
#define CF_WS_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "chitfund/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Frame opcodes (RFC 6455 section 5.2). */
#define CF_WS_OP_CONT   0x0
#define CF_WS_OP_TEXT   0x1
#define CF_WS_OP_BINARY 0x2
#define CF_WS_OP_CLOSE  0x8
#define CF_WS_OP_PING   0x9
#define CF_WS_OP_PONG   0xA

/** Largest message cf_ws_client_recv() accepts (bytes). */
#define CF_WS_CLIENT_MAX_MESSAGE (16u * 1024u * 1024u)

/** A connected client. Opaque. */
typedef struct cf_ws_client cf_ws_client;

/**
 * Connect to 127.0.0.1:port and upgrade `path` (with its query string, e.g.
 * "/api/v1/auctions/ID/live?access_token=T") to a WebSocket.
 * `extra_headers` (may be NULL) is sent as-is after the standard headers:
 * complete lines each ending in "\r\n" ("Authorization: Bearer T\r\n").
 * `*http_status` (may be NULL) gets the server's status code (101 on
 * success, 0 when none was read). timeout_ms bounds connect and handshake.
 * Errors: CF_EINVALID (bad arguments), CF_EUNAVAILABLE (cannot connect, the
 * connection closed, or timeout), CF_ECONFLICT (the server answered with
 * another status than 101: see *http_status), CF_ERROR (bad handshake:
 * missing or wrong Sec-WebSocket-Accept), CF_ENOMEM.
 * On success free with cf_ws_client_close().
 */
int cf_ws_client_connect(cf_ws_client **out, int port, const char *path, const char *extra_headers,
                         int timeout_ms, int *http_status, cf_error *err);

/**
 * Send one frame (FIN set, masked) with the given opcode. Errors:
 * CF_EINVALID, CF_EUNAVAILABLE (write failed, or the close handshake has
 * started).
 */
int cf_ws_client_send(cf_ws_client *c, int opcode, const void *data, size_t len, cf_error *err);

/** cf_ws_client_send() of a text frame. */
int cf_ws_client_send_text(cf_ws_client *c, const char *text, size_t len, cf_error *err);

/**
 * Receive the next text or binary message, waiting up to timeout_ms (< 0:
 * no limit). Pings are answered with pongs and pongs are ignored (neither is
 * returned). On CF_OK: *opcode is CF_WS_OP_TEXT or CF_WS_OP_BINARY, *data
 * (NUL-terminated, lent until the next call on c) and *len. Errors:
 * CF_ERETRY (timeout: nothing complete arrived; call again),
 * CF_EUNAVAILABLE (the server sent a close frame, answered here, see
 * cf_ws_client_close_code(); or the connection dropped), CF_ERROR
 * (protocol error), CF_ENOMEM, CF_EOVERFLOW (message over
 * CF_WS_CLIENT_MAX_MESSAGE).
 */
int cf_ws_client_recv(cf_ws_client *c, int *opcode, const char **data, size_t *len, int timeout_ms,
                      cf_error *err);

/**
 * The status code of the server's close frame (1000, 1013 ...), 1005 when
 * it had none, 1006 when the connection dropped without one, 0 while open.
 */
int cf_ws_client_close_code(const cf_ws_client *c);

/** The socket, for poll() over many clients. */
int cf_ws_client_fd(const cf_ws_client *c);

/**
 * Bytes already read from the socket and not yet consumed: when non-zero a
 * message may be ready although the socket does not poll readable.
 */
size_t cf_ws_client_buffered(const cf_ws_client *c);

/**
 * Close: send a close frame (1000) unless one was sent, wait up to
 * timeout_ms for the server's close (discarding messages), close the socket
 * and free. NULL is ignored.
 */
void cf_ws_client_close(cf_ws_client *c, int timeout_ms);

#ifdef __cplusplus
}
#endif
#endif
