/*
 * e2e_http.c - see e2e_http.h.
 */
#include "e2e_http.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The one secret every e2e server uses (tests sign tokens with it). */

static int connect_port(int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct timeval tv = {20, 0};

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int e2e_request(int port, const char *method, const char *path, const char *headers,
                const char *body, size_t body_len, e2e_resp *out)
{
	char head[8192];
	char *buf = NULL, *sep;
	size_t len = 0, cap = 0;
	int fd, n;

	memset(out, 0, sizeof *out);
	fd = connect_port(port);
	if (fd < 0)
		return -1;
	n = snprintf(head, sizeof head,
	             "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n%s"
	             "Content-Length: %zu\r\n\r\n",
	             method, path, port, headers ? headers : "", body ? body_len : (size_t)0);
	if (n < 0 || (size_t)n >= sizeof head || write_all(fd, head, (size_t)n) < 0 ||
	    (body && body_len && write_all(fd, body, body_len) < 0)) {
		/* the server may answer early (413) and close: still read what it sent */
	}
	for (;;) {
		if (cap - len < 4096) {
			size_t ncap = cap ? cap * 2 : 16384;
			char *nb = realloc(buf, ncap + 1);
			if (!nb)
				break;
			buf = nb;
			cap = ncap;
		}
		ssize_t r = recv(fd, buf + len, cap - len, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (!buf)
		return -1;
	buf[len] = '\0';
	sep = strstr(buf, "\r\n\r\n");
	if (!sep || sscanf(buf, "HTTP/1.%*d %d", &out->status) != 1) {
		free(buf);
		return -1;
	}
	size_t hlen = (size_t)(sep - buf) + 2;
	out->headers = malloc(hlen + 1);
	out->body_len = len - hlen - 2;
	out->body = malloc(out->body_len + 1);
	if (!out->headers || !out->body) {
		free(buf);
		e2e_resp_free(out);
		return -1;
	}
	memcpy(out->headers, buf, hlen);
	out->headers[hlen] = '\0';
	memcpy(out->body, sep + 4, out->body_len);
	out->body[out->body_len] = '\0';
	free(buf);
	if (out->body_len && (out->body[0] == '{' || out->body[0] == '['))
		out->json = cJSON_ParseWithLength(out->body, out->body_len);
	return 0;
}

void e2e_resp_free(e2e_resp *r)
{
	free(r->headers);
	free(r->body);
	cJSON_Delete(r->json);
	memset(r, 0, sizeof *r);
}

const char *e2e_header(const e2e_resp *r, const char *name, char *buf, size_t size)
{
	size_t nl = strlen(name);
	const char *p = r->headers;

	while (p && *p) {
		const char *eol = strstr(p, "\r\n");
		size_t ll = eol ? (size_t)(eol - p) : strlen(p);
		if (ll > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1;
			while (*v == ' ')
				v++;
			snprintf(buf, size, "%.*s", (int)(ll - (size_t)(v - p)), v);
			return buf;
		}
		p = eol ? eol + 2 : NULL;
	}
	return NULL;
}

int e2e_free_port(void)
{
	struct sockaddr_in a;
	socklen_t al = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &al) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* Replace the database name of a "postgresql:///NAME?..." URL. */
static int url_with_db(const char *url, const char *db, char *out, size_t size)
{
	const char *p = strstr(url, "://");
	const char *slash, *q;

	if (!p)
		return -1;
	slash = strchr(p + 3, '/');
	if (!slash)
		return -1;
	q = strchr(slash, '?');
	int n = snprintf(out, size, "%.*s/%s%s", (int)(slash - url), url, db, q ? q : "");
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int exec_admin(const char *url, const char *sql)
{
	PGconn *c = PQconnectdb(url);
	int rc = -1;

	if (PQstatus(c) == CONNECTION_OK) {
		PGresult *r = PQexec(c, sql);
		if (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK)
			rc = 0;
		else
			fprintf(stderr, "e2e: %s: %s", sql, PQerrorMessage(c));
		PQclear(r);
	} else {
		fprintf(stderr, "e2e: connect: %s", PQerrorMessage(c));
	}
	PQfinish(c);
	return rc;
}

int e2e_sql(e2e_server *s, const char *sql, char *first_value, size_t size)
{
	PGconn *c = PQconnectdb(s->db_url);
	int rc = -1;

	if (first_value && size)
		first_value[0] = '\0';
	if (PQstatus(c) == CONNECTION_OK) {
		PGresult *r = PQexec(c, sql);
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
			rc = 0;
			if (first_value && st == PGRES_TUPLES_OK && PQntuples(r) > 0)
				snprintf(first_value, size, "%s", PQgetvalue(r, 0, 0));
		} else {
			fprintf(stderr, "e2e: %s: %s", sql, PQerrorMessage(c));
		}
		PQclear(r);
	}
	PQfinish(c);
	return rc;
}

int e2e_sqlp(e2e_server *s, const char *pre, const char *sql, int n, const char *const *values,
             char *first_value, size_t size)
{
	PGconn *c = PQconnectdb(s->db_url);
	int rc = -1;

	if (first_value && size)
		first_value[0] = '\0';
	if (PQstatus(c) == CONNECTION_OK) {
		PGresult *r = pre ? PQexec(c, pre) : NULL;
		ExecStatusType st = r ? PQresultStatus(r) : PGRES_COMMAND_OK;

		PQclear(r);
		if (st != PGRES_COMMAND_OK) {
			fprintf(stderr, "e2e: %s: %s", pre, PQerrorMessage(c));
			PQfinish(c);
			return -1;
		}
		r = PQexecParams(c, sql, n, NULL, values, NULL, NULL, 0);
		st = PQresultStatus(r);
		if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
			rc = 0;
			if (first_value && st == PGRES_TUPLES_OK && PQntuples(r) > 0)
				snprintf(first_value, size, "%s", PQgetvalue(r, 0, 0));
		} else {
			fprintf(stderr, "e2e: %s: %s", sql, PQerrorMessage(c));
		}
		PQclear(r);
	}
	PQfinish(c);
	return rc;
}

static char **g_env; /* the server's environment (built once) */
/* CHITFUND_TEST_NOW=..., changed by e2e_server_restart_at */
static char g_test_now[96] = "CHITFUND_TEST_NOW=" E2E_TEST_NOW;

static char *g_port_var; /* the PORT=... entry of the server's environment */

static void build_env(e2e_server *s, const char *const *extra)
{
	static char vars[16][1200];
	static char *env[48];
	char cwd[512];
	int n = 0, k = 0;

	if (!getcwd(cwd, sizeof cwd))
		snprintf(cwd, sizeof cwd, ".");
	/* extras first: getenv finds the first entry, so they override the defaults below */
	for (int i = 0; extra && extra[i] && n < 24; i++)
		env[n++] = (char *)extra[i];
	snprintf(vars[k], sizeof vars[k], "DATABASE_URL=%s", s->db_url);
	env[n++] = vars[k++];
	snprintf(vars[k], sizeof vars[k], "PORT=%d", s->port);
	g_port_var = vars[k];
	env[n++] = vars[k++];
	snprintf(vars[k], sizeof vars[k], "CHITFUND_MIGRATIONS_DIR=%s/migrations", cwd);
	env[n++] = vars[k++];
	snprintf(vars[k], sizeof vars[k], "CHITFUND_DOCS_DIR=%s/node_modules/swagger-ui-dist", cwd);
	env[n++] = vars[k++];
	snprintf(vars[k], sizeof vars[k], "PATH=%s", getenv("PATH") ? getenv("PATH") : "/usr/bin");
	env[n++] = vars[k++];
	env[n++] = "SECRET_KEY=" E2E_SECRET;
	env[n++] = "CHITFUND_ENV=test";
	env[n++] = "CHITFUND_PASSWORD_COST=1";
	env[n++] = g_test_now;
	env[n++] = "CHITFUND_LOGIN_FAILURES_PER_ADDRESS=100000";
	env[n++] = "CHITFUND_LOGIN_FAILURES_PER_ACCOUNT=3";
	env[n++] = "CHITFUND_THREADS=32";
	env[n++] = "CHITFUND_POOL_SIZE=8";
	env[n++] = "CHITFUND_ACCESS_LOG=0";
	env[n++] = "CHITFUND_RATE_LIMIT_RPS=0"; /* no request budget unless a runner asks */
	env[n] = NULL;
	g_env = env;
}

static char g_stderr_path[512]; /* "" : the server writes to our stderr */

void e2e_server_stderr_to(const char *path)
{
	snprintf(g_stderr_path, sizeof g_stderr_path, "%s", path ? path : "");
}

static pid_t spawn(e2e_server *s, const char *const *args, int *in_fd, int *out_fd)
{
	const char *argv[16];
	int n = 0, pin[2] = {-1, -1}, pout[2] = {-1, -1};
	pid_t pid;

	argv[n++] = s->bin;
	for (int i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if ((in_fd && pipe(pin) < 0) || (out_fd && pipe(pout) < 0))
		return -1;
	pid = fork();
	if (pid == 0) {
		/* a server started inside a (forked) test dies with it */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (in_fd) {
			dup2(pin[0], 0);
			close(pin[1]);
		} else {
			int nul = open("/dev/null", O_RDONLY);
			dup2(nul, 0);
		}
		if (out_fd) {
			dup2(pout[1], 1);
			close(pout[0]);
		}
		if (g_stderr_path[0]) {
			int ef = open(g_stderr_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
			              0600);
			if (ef >= 0)
				dup2(ef, 2); /* dup2 clears FD_CLOEXEC on the copy */
		}
		execve(s->bin, (char *const *)argv, g_env);
		_exit(127);
	}
	if (in_fd) {
		close(pin[0]);
		*in_fd = pin[1];
	}
	if (out_fd) {
		close(pout[1]);
		*out_fd = pout[0];
	}
	return pid;
}

int e2e_server_run(e2e_server *s, const char *const *args, const char *stdin_text, char *out,
                   size_t size)
{
	int in_fd = -1, out_fd = -1, st = 0;
	size_t len = 0;
	pid_t pid = spawn(s, args, stdin_text ? &in_fd : NULL, &out_fd);

	if (pid < 0)
		return -1;
	if (stdin_text) {
		size_t left = strlen(stdin_text);
		const char *p = stdin_text;
		while (left) {
			ssize_t w = write(in_fd, p, left);
			if (w <= 0)
				break;
			p += w;
			left -= (size_t)w;
		}
		close(in_fd);
	}
	for (;;) {
		char tmp[4096];
		ssize_t r = read(out_fd, tmp, sizeof tmp);
		if (r <= 0)
			break;
		if (out && len + 1 < size) {
			size_t take = (size_t)r < size - 1 - len ? (size_t)r : size - 1 - len;
			memcpy(out + len, tmp, take);
			len += take;
		}
	}
	if (out && size)
		out[len] = '\0';
	close(out_fd);
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int serve(e2e_server *s);

int e2e_server_start(e2e_server *s, const char *const *extra_env)
{
	const char *url = getenv("CF_TEST_DATABASE_URL");
	const char *bin = getenv("CF_SERVER_BIN");
	char sql[256];

	memset(s, 0, sizeof *s);
	if (!url || !*url) {
		fprintf(stderr,
		        "e2e: CF_TEST_DATABASE_URL is not set (run scripts/run-tests e2e)\n");
		return -1;
	}
	snprintf(s->bin, sizeof s->bin, "%s", bin && *bin ? bin : "build/chitfund-server");
	if (access(s->bin, X_OK) != 0) {
		fprintf(stderr, "e2e: %s is not built\n", s->bin);
		return -1;
	}
	snprintf(s->admin_url, sizeof s->admin_url, "%s", url);
	snprintf(s->db_name, sizeof s->db_name, "cf_e2e_%ld_%ld", (long)getpid(),
	         (long)time(NULL) % 100000);
	if (url_with_db(url, s->db_name, s->db_url, sizeof s->db_url) < 0) {
		fprintf(stderr, "e2e: cannot parse CF_TEST_DATABASE_URL\n");
		return -1;
	}
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", s->db_name);
	if (exec_admin(url, sql) < 0)
		return -1;
	s->port = e2e_free_port();
	build_env(s, extra_env);
	static const char *const migrate[] = {"migrate", NULL};
	char out[4096];
	int rc = e2e_server_run(s, migrate, NULL, out, sizeof out);
	if (rc != 0) {
		fprintf(stderr, "e2e: chitfund-server migrate exited %d: %s\n", rc, out);
		return -1;
	}
	return serve(s);
}

/* Spawn `serve` and wait for /healthz. */
static int serve(e2e_server *s)
{
	static const char *const args[] = {"serve", NULL};

	s->pid = spawn(s, args, NULL, NULL);
	if (s->pid < 0)
		return -1;
	for (int i = 0; i < 200; i++) { /* up to 10 s */
		e2e_resp r;
		if (e2e_request(s->port, "GET", "/healthz", NULL, NULL, 0, &r) == 0) {
			int ok = r.status == 200;
			e2e_resp_free(&r);
			if (ok)
				return 0;
		}
		int st;
		if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
			fprintf(stderr, "e2e: the server exited during startup\n");
			s->pid = 0;
			return -1;
		}
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "e2e: the server did not answer /healthz\n");
	return -1;
}

/* Stop the server and wait until it is gone. A server started before Check
 * forked the running test is not this process's child: waitpid fails at once
 * (ECHILD) while it is still shutting down, and may still answer on its port.
 * Then wait (up to 10 s) until the port refuses connections. */
static void stop_and_wait(e2e_server *s)
{
	int st;

	if (s->pid <= 0)
		return;
	kill(s->pid, SIGTERM);
	if (waitpid(s->pid, &st, 0) != s->pid) {
		for (int i = 0; i < 200; i++) {
			int fd = connect_port(s->port);
			struct timespec ts = {0, 50 * 1000 * 1000};

			if (fd < 0)
				break;
			close(fd);
			nanosleep(&ts, NULL);
		}
	}
	s->pid = 0;
}

int e2e_server_restart_at(e2e_server *s, const char *test_now)
{
	int n = snprintf(g_test_now, sizeof g_test_now, "CHITFUND_TEST_NOW=%s", test_now);

	if (n < 0 || (size_t)n >= sizeof g_test_now)
		return -1;
	stop_and_wait(s);
	if (serve(s) == 0)
		return 0;
	/* the freed port was taken in between (another process on the machine): a new one */
	fprintf(stderr, "e2e: restarting on a new port\n");
	s->port = e2e_free_port();
	if (g_port_var == NULL)
		return -1;
	snprintf(g_port_var, 1200, "PORT=%d", s->port);
	return serve(s);
}

void e2e_server_stop(e2e_server *s)
{
	char sql[256];

	stop_and_wait(s);
	if (s->db_name[0]) {
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", s->db_name);
		exec_admin(s->admin_url, sql);
	}
}

int e2e_call(int port, const char *method, const char *path, const char *token, const char *extra,
             const char *body, e2e_resp *r)
{
	char h[2048] = "";
	size_t n = 0;

	if (token && *token)
		n += (size_t)snprintf(h + n, sizeof h - n, "Authorization: Bearer %s\r\n", token);
	if (body)
		n += (size_t)snprintf(h + n, sizeof h - n, "Content-Type: application/json\r\n");
	if (extra)
		snprintf(h + n, sizeof h - n, "%s", extra);
	ck_assert_msg(e2e_request(port, method, path, h, body, body ? strlen(body) : 0, r) == 0,
	              "%s %s: no response", method, path);
	return r->status;
}

void e2e_expect(const e2e_resp *r, int status)
{
	ck_assert_msg(r->status == status, "want %d, got %d: %s", status, r->status,
	              r->body ? r->body : "");
}

/* POST /api/v1/schemes/<scheme>/<action> as the foreman; want 0: any status. */
static void scheme_post(int port, const char *token, const char *scheme, const char *action,
                        const char *body, int want)
{
	char path[160];
	e2e_resp r;

	snprintf(path, sizeof path, "/api/v1/schemes/%s/%s", scheme, action);
	e2e_call(port, "POST", path, token, NULL, body, &r);
	if (want != 0)
		e2e_expect(&r, want);
	e2e_resp_free(&r);
}

void e2e_scheme_start(int port, const char *token, const char *scheme, const char *agent_id,
                      const char *first_member, const char (*other_members)[37], int n,
                      const char *commence_body)
{
	char body[512];

	scheme_post(port, token, scheme, "open", NULL, 200);
	snprintf(body, sizeof body, "{\"user_id\":\"%s\"}", agent_id);
	scheme_post(port, token, scheme, "agents", body, 0);
	for (int t = 1; t <= n; t++) {
		snprintf(body, sizeof body, "{\"user_id\":\"%s\",\"ticket_no\":%d}",
		         t == 1 ? first_member : other_members[t - 2], t);
		scheme_post(port, token, scheme, "members", body, 201);
	}
	scheme_post(port, token, scheme, "commence", commence_body, 200);
}

int e2e_setup_failed(e2e_server *s)
{
	e2e_server_stop(s);
	printf("0%%: Checks: 1, Failures: 1, Errors: 0\n");
	return EXIT_FAILURE;
}

int e2e_run_suite(e2e_server *s, Suite *suite)
{
	SRunner *sr = srunner_create(suite);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	e2e_server_stop(s);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

static const char *resp_str(const e2e_resp *r, const char *name)
{
	const cJSON *v = r->json ? cJSON_GetObjectItemCaseSensitive(r->json, name) : NULL;

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int e2e_login(int port, const char *email, const char *password, char *access, char *refresh,
              size_t refresh_size)
{
	char body[512];
	e2e_resp r;
	int st;

	snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
	if (e2e_request(port, "POST", "/api/v1/auth/login", "Content-Type: application/json\r\n",
	                body, strlen(body), &r) != 0)
		return -1;
	st = r.status;
	if (st == 200) {
		snprintf(access, 1200, "%s", resp_str(&r, "access_token"));
		if (refresh)
			snprintf(refresh, refresh_size, "%s", resp_str(&r, "refresh_token"));
	}
	e2e_resp_free(&r);
	return st;
}

void e2e_user(int port, const char *admin_token, const char *role, const char *email,
              const char *password, const char *full_name, char *id, size_t id_size, char *token)
{
	char body[512], path[128];
	e2e_resp r;

	snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\",\"full_name\":\"%s\"}",
	         email, password, full_name);
	e2e_call(port, "POST", "/api/v1/auth/register", NULL, NULL, body, &r);
	e2e_expect(&r, 201);
	snprintf(id, id_size, "%s", resp_str(&r, "id"));
	e2e_resp_free(&r);
	if (strcmp(role, "subscriber") != 0) {
		snprintf(path, sizeof path, "/api/v1/users/%s", id);
		snprintf(body, sizeof body, "{\"role\":\"%s\"}", role);
		e2e_call(port, "PATCH", path, admin_token, NULL, body, &r);
		e2e_expect(&r, 200);
		e2e_resp_free(&r);
	}
	ck_assert_int_eq(e2e_login(port, email, password, token, NULL, 0), 200);
}
