/*
 * e2e_http.h - what the end-to-end runners share: a small blocking
 * HTTP/1.1 client over loopback sockets, and starting/stopping the real
 * chitfund-server binary against a database of its own.
 */
#ifndef CF_E2E_HTTP_H
#define CF_E2E_HTTP_H

#include <stddef.h>
#include <sys/types.h>

#include <check.h>
#include <cjson/cJSON.h>

/** The SECRET_KEY the server under test signs its tokens with. */
#define E2E_SECRET "e2e-secret-key-0123456789abcdef0123456789abcdef"

/** The server's clock at start (CHITFUND_TEST_NOW): 10:00 IST on 1 April 2026. */
#define E2E_TEST_NOW "2026-04-01T04:30:00Z"

/** A response (free with e2e_resp_free). */
typedef struct e2e_resp {
	int status;    /**< 0 when the request could not be made */
	char *headers; /**< raw header block, NUL-terminated */
	char *body;    /**< NUL-terminated (may contain NULs before body_len) */
	size_t body_len;
	cJSON *json; /**< parsed body when it is JSON, else NULL */
} e2e_resp;

/**
 * Send one request to 127.0.0.1:port and read the whole response
 * (Connection: close). `headers` is NULL or "Name: value\r\n..." lines;
 * `body` may be NULL. Returns 0, or -1 when no response could be read.
 */
int e2e_request(int port, const char *method, const char *path, const char *headers,
                const char *body, size_t body_len, e2e_resp *out);
/** Free the response's buffers. */
void e2e_resp_free(e2e_resp *r);
/** Value of a response header (case-insensitive) copied into buf; NULL when absent. */
const char *e2e_header(const e2e_resp *r, const char *name, char *buf, size_t size);

/** A free loopback TCP port (bound and released). */
int e2e_free_port(void);

/** The running server under test. */
typedef struct e2e_server {
	pid_t pid;
	int port;
	char db_url[1024];    /**< the test database (superuser) */
	char admin_url[1024]; /**< the cluster's original database, for CREATE/DROP */
	char db_name[64];
	char bin[512]; /**< path of chitfund-server */
} e2e_server;

/**
 * Create a fresh database on CF_TEST_DATABASE_URL's cluster, run
 * `chitfund-server migrate`, start `serve` on a free port and wait for
 * /healthz. extra_env: NULL-terminated "NAME=value" entries added to the
 * server's environment; they override the harness's defaults (which turn
 * the request budget off: CHITFUND_RATE_LIMIT_RPS=0). Returns 0, or -1 with
 * a message on stderr.
 */
int e2e_server_start(e2e_server *s, const char *const *extra_env);
/**
 * Restart `serve` on the same database and port with its clock at test_now
 * (RFC 3339; CHITFUND_TEST_NOW, also for every later e2e_server_run), and
 * wait for /healthz: how a test moves the business date on. Tokens issued
 * before have expired by the new clock when it moved past their lifetime.
 * A server started inside a forked Check test dies with that test, so a test
 * that restarts the server must be its runner's last. Returns 0, or -1.
 */
int e2e_server_restart_at(e2e_server *s, const char *test_now);
/**
 * Send the stderr of every later server process (serve, its restarts, the CLI
 * runs) to the file at
 * path (appended; created 0600), so a runner can read what the server
 * logged; NULL: back to the runner's own stderr (the default). Call before
 * e2e_server_start. The path is copied.
 */
void e2e_server_stderr_to(const char *path);
/** SIGTERM the server, wait for it, drop the database. */
void e2e_server_stop(e2e_server *s);
/**
 * Run the server binary with args (NULL-terminated, without argv[0]) and the
 * same environment; stdin_text (may be NULL) is written to its stdin and
 * its stdout captured into out (size bytes). Returns its exit status, or
 * -1 when it could not run.
 */
int e2e_server_run(e2e_server *s, const char *const *args, const char *stdin_text, char *out,
                   size_t size);
/** Run one SQL statement on the test database as superuser; 0 on success. */
int e2e_sql(e2e_server *s, const char *sql, char *first_value, size_t size);

/**
 * Run one parameterised statement (PQexecParams: values travel as text
 * parameters $1..$n, never inside sql) on the test database as superuser.
 * `pre` (NULL: none) is a constant statement run first on the same
 * connection, e.g. "SET session_replication_role = replica". The first
 * value of the first row goes to first_value (may be NULL). 0 on success.
 */
int e2e_sqlp(e2e_server *s, const char *pre, const char *sql, int n, const char *const *values,
             char *first_value, size_t size);

/**
 * Send one request to 127.0.0.1:port with "Authorization: Bearer token"
 * (when token is non-empty), "Content-Type: application/json" (when body is
 * set) and the extra header lines (may be NULL). Fails the running Check
 * test when no response came. Returns the response status; free r with
 * e2e_resp_free.
 */
int e2e_call(int port, const char *method, const char *path, const char *token, const char *extra,
             const char *body, e2e_resp *r);
/** Fail the running Check test unless r's status is `status` (the body is shown). */
void e2e_expect(const e2e_resp *r, int status);
/**
 * Open the scheme as its foreman (token), assign agent_id as its agent,
 * enrol n members (ticket 1: first_member; ticket t > 1: other_members[t - 2])
 * and commence it with commence_body; each step must succeed (the agent's
 * assignment is not checked). Fails the running Check test otherwise.
 */
void e2e_scheme_start(int port, const char *token, const char *scheme, const char *agent_id,
                      const char *first_member, const char (*other_members)[37], int n,
                      const char *commence_body);

/**
 * A runner's set-up failed: stop the server, print a failing Check summary
 * line ("0%: Checks: 1, Failures: 1, Errors: 0") and return EXIT_FAILURE
 * (for main to return). The runner prints its own reason on stderr first.
 */
int e2e_setup_failed(e2e_server *s);
/**
 * Run the suite (CK_NORMAL: its summary line is printed), free it and stop
 * the server. Returns EXIT_SUCCESS when no test failed, else EXIT_FAILURE.
 */
int e2e_run_suite(e2e_server *s, Suite *suite);

/**
 * POST /api/v1/auth/login with email and password, without any Check
 * assertion (usable before the tests run and from threads). On 200 the
 * access token is copied to access (1200 bytes) and, when refresh is not
 * NULL, the refresh token to refresh (refresh_size bytes). Returns the
 * status, or -1 when no response came.
 */
int e2e_login(int port, const char *email, const char *password, char *access, char *refresh,
              size_t refresh_size);

/**
 * Register a user (email, password, full_name), give it role as the admin
 * (admin_token) unless role is "subscriber", and log it in: its id goes to
 * id (id_size bytes), its access token to token (1200 bytes). Each step must
 * succeed (201, 200, 200), else the running Check test fails.
 */
void e2e_user(int port, const char *admin_token, const char *role, const char *email,
              const char *password, const char *full_name, char *id, size_t id_size, char *token);

#endif
