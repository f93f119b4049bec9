/*
 * test_e2e_authz.c - authorization on every route, end to end (the real
 * chitfund-server on its own database).
 *
 * A fixture world: an admin, an auditor, two foremen (F1 runs scheme S1,
 * F2 runs S2), an agent assigned to S1 only, subscribers U1 (ticket 1 of
 * S1), U2 (ticket 1 of S2) and U3 (ticket 2 of S1); S1 has draw 1 settled
 * (won by U3, who elected no security, with a pending disbursement made by
 * F1) and draw 2 open; a payment on each scheme; a draft scheme S3 of F1.
 *
 * Then a table: for every method+path of adapters/http/routes.c and every
 * actor (anonymous, admin, auditor, F1, F2, agent, U1, U2) the outcome class
 * api.md's "Roles" and "who" columns give. Every wrong cell is collected and
 * the test fails once, listing each as "METHOD path as ACTOR: want X, got N".
 * A cell never answers 5xx. Unauthenticated calls get 401 with
 * WWW-Authenticate: Bearer on every /api/v1 route but register, login and
 * refresh. Targeted checks: the subscriber sees only his own tickets and
 * payments in lists, no bids; a subscriber bidding for another's ticket
 * 403; maker approving his own disbursement 403 maker-cannot-approve.
 *
 * Leaks: the server's stderr (access log on) goes to a file; after the
 * matrix it must not hold the users' password, a token, a refresh token,
 * the SECRET_KEY or U1's PAN/Aadhaar/bank account in clear.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e_http.h"

static e2e_server srv;
static char log_path[256];

#define ADMIN_EMAIL "root@authz.e2e"
#define PASSWORD    "authz-horse-battery-staple"
#define PAN         "ABCPE1234F"
#define AADHAAR     "499118665248"
#define BANK_ACCT   "000123456789012"

enum { ANON, ADMIN, AUDITOR, F1, F2, AGENT, U1, U2, NACTORS };
static const char *const actor_name[NACTORS] = {"anonymous",     "admin",        "auditor",
                                                "foreman F1",    "foreman F2",   "agent(S1)",
                                                "subscriber U1", "subscriber U2"};
static char tok[NACTORS][1200];
static char uid[NACTORS][37];
static char refresh_u1[600];
static char u3_id[37], u3_tok[1200], agent2_id[37], agent3_id[37];
static char s1[37], s2[37], s3[37], a1[37], a2[37], p1[37], p2[37], r1[40], r2[40], d1[37];
static int seq;

static int req(const char *method, const char *path, const char *token, const char *extra,
               const char *body, e2e_resp *r)
{
	return e2e_call(srv.port, method, path, token, extra, body, r);
}

static const char *jstr(const e2e_resp *r, const char *name)
{
	const cJSON *v = r->json ? cJSON_GetObjectItemCaseSensitive(r->json, name) : NULL;

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void expect(e2e_resp *r, int status, const char *what)
{
	ck_assert_msg(r->status == status, "%s: want %d, got %d: %s", what, status, r->status,
	              r->body ? r->body : "");
}

static void expect_slug(e2e_resp *r, int status, const char *slug, const char *what)
{
	char type[160];

	expect(r, status, what);
	snprintf(type, sizeof type, "https://chitfund.dev/problems/%s", slug);
	ck_assert_msg(jstr(r, "type") && strcmp(jstr(r, "type"), type) == 0, "%s: want %s: %s",
	              what, slug, r->body);
}

static int login(const char *email, char *token, char *refresh)
{
	return e2e_login(srv.port, email, PASSWORD, token, refresh, 600);
}

/* Register a user, give it a role (admin PATCH), log in. */
static void user(const char *role, char *id, char *token)
{
	char email[128], body[512], path[128];
	e2e_resp r;

	snprintf(email, sizeof email, "%s.%d.%d@authz.e2e", role, (int)getpid(), ++seq);
	snprintf(body, sizeof body,
	         "{\"email\":\"%s\",\"password\":\"" PASSWORD "\",\"full_name\":\"Authz User\"}",
	         email);
	req("POST", "/api/v1/auth/register", NULL, NULL, body, &r);
	expect(&r, 201, "register");
	snprintf(id, 37, "%s", jstr(&r, "id"));
	e2e_resp_free(&r);
	if (strcmp(role, "subscriber") != 0) {
		snprintf(path, sizeof path, "/api/v1/users/%s", id);
		snprintf(body, sizeof body, "{\"role\":\"%s\"}", role);
		req("PATCH", path, tok[ADMIN], NULL, body, &r);
		expect(&r, 200, "PATCH role");
		e2e_resp_free(&r);
	}
	if (token)
		ck_assert_int_eq(login(email, token, token == tok[U1] ? refresh_u1 : NULL), 200);
}

static void call_ok(const char *method, const char *path, const char *token, const char *extra,
                    const char *body, int status, char *id_out, const char *field)
{
	e2e_resp r;

	req(method, path, token, extra, body, &r);
	ck_assert_msg(r.status == status, "fixture %s %s: want %d, got %d: %s", method, path,
	              status, r.status, r.body ? r.body : "");
	if (id_out)
		snprintf(id_out, 40, "%s", jstr(&r, field ? field : "id"));
	e2e_resp_free(&r);
}

/* A running 3-ticket scheme of `foreman` whose tickets are holders[0..2]. */
static void make_scheme(int foreman, const char *h0, const char *h1, const char *h2, char *id)
{
	char path[160], body[256];
	const char *holders[3] = {h0, h1, h2};

	call_ok("POST", "/api/v1/schemes", tok[foreman], NULL,
	        "{\"name\":\"Authz chit\",\"chit_value\":3000000,\"member_count\":3,"
	        "\"start_date\":\"2026-04-01\"}",
	        201, id, NULL);
	snprintf(path, sizeof path, "/api/v1/schemes/%s/open", id);
	call_ok("POST", path, tok[foreman], NULL, NULL, 200, NULL, NULL);
	snprintf(path, sizeof path, "/api/v1/schemes/%s/members", id);
	for (int t = 0; t < 3; t++) {
		snprintf(body, sizeof body, "{\"user_id\":\"%s\",\"ticket_no\":%d}", holders[t],
		         t + 1);
		call_ok("POST", path, tok[foreman], NULL, body, 201, NULL, NULL);
	}
	snprintf(path, sizeof path, "/api/v1/schemes/%s/commence", id);
	call_ok("POST", path, tok[foreman], NULL,
	        "{\"registration_no\":\"REG/AUTHZ\",\"commencement_ref\":\"GAZ/AUTHZ\"}", 200, NULL,
	        NULL);
}

static void world(void)
{
	char path[200], body[400], hdr[128];
	char u2x_id[37], u4_id[37];

	user("auditor", uid[AUDITOR], tok[AUDITOR]);
	user("foreman", uid[F1], tok[F1]);
	user("foreman", uid[F2], tok[F2]);
	user("agent", uid[AGENT], tok[AGENT]);
	user("agent", agent2_id, NULL);
	user("agent", agent3_id, NULL);
	user("subscriber", uid[U1], tok[U1]);
	user("subscriber", uid[U2], tok[U2]);
	user("subscriber", u3_id, u3_tok);
	user("subscriber", u2x_id, NULL);
	user("subscriber", u4_id, NULL);
	/* U1's identity numbers (the leak check looks for them in the log) */
	call_ok("PATCH", "/api/v1/users/me", tok[U1], NULL,
	        "{\"pan\":\"" PAN "\",\"aadhaar\":\"" AADHAAR "\",\"bank_account\":\"" BANK_ACCT
	        "\"}",
	        200, NULL, NULL);

	make_scheme(F1, uid[U1], u3_id, uid[F1], s1);
	make_scheme(F2, uid[U2], u2x_id, u4_id, s2);
	call_ok("POST", "/api/v1/schemes", tok[F1], NULL,
	        "{\"name\":\"Authz draft\",\"chit_value\":3000000,\"member_count\":3,"
	        "\"start_date\":\"2026-05-01\"}",
	        201, s3, NULL);
	snprintf(path, sizeof path, "/api/v1/schemes/%s/agents", s1);
	snprintf(body, sizeof body, "{\"user_id\":\"%s\"}", uid[AGENT]);
	call_ok("POST", path, tok[F1], NULL, body, 200, NULL, NULL);
	snprintf(body, sizeof body, "{\"user_id\":\"%s\"}", agent2_id);
	call_ok("POST", path, tok[F1], NULL, body, 200, NULL, NULL);

	/* payments: the agent on U1's ticket in S1, F2 on U2's in S2 */
	snprintf(body, sizeof body,
	         "{\"scheme_id\":\"%s\",\"ticket_no\":1,\"amount\":100000,\"method\":\"cash\"}",
	         s1);
	call_ok("POST", "/api/v1/payments", tok[AGENT], "Idempotency-Key: authz-p1\r\n", body, 201,
	        p1, NULL);
	call_ok("POST", "/api/v1/payments", tok[AGENT], "Idempotency-Key: authz-p1\r\n", body, 201,
	        r1, "receipt_no");
	snprintf(body, sizeof body,
	         "{\"scheme_id\":\"%s\",\"ticket_no\":1,\"amount\":100000,\"method\":\"cash\"}",
	         s2);
	call_ok("POST", "/api/v1/payments", tok[F2], "Idempotency-Key: authz-p2\r\n", body, 201, p2,
	        NULL);
	call_ok("POST", "/api/v1/payments", tok[F2], "Idempotency-Key: authz-p2\r\n", body, 201, r2,
	        "receipt_no");

	/* draw 1 of S1: U3 bids and wins, elects no security; F1 makes the payout */
	snprintf(path, sizeof path, "/api/v1/schemes/%s/auctions", s1);
	call_ok("POST", path, tok[F1], NULL, "{\"installment_no\":1}", 201, a1, NULL);
	snprintf(path, sizeof path, "/api/v1/auctions/%s/open", a1);
	call_ok("POST", path, tok[F1], NULL, NULL, 200, NULL, NULL);
	snprintf(path, sizeof path, "/api/v1/auctions/%s/bids", a1);
	call_ok("POST", path, u3_tok, NULL, "{\"ticket_no\":2,\"discount\":200000}", 201, NULL,
	        NULL);
	snprintf(path, sizeof path, "/api/v1/auctions/%s/close", a1);
	call_ok("POST", path, tok[F1], NULL, NULL, 200, NULL, NULL);
	snprintf(path, sizeof path, "/api/v1/auctions/%s/no-security", a1);
	call_ok("POST", path, u3_tok, NULL, NULL, 200, NULL, NULL);
	snprintf(path, sizeof path, "/api/v1/auctions/%s/disbursement", a1);
	snprintf(hdr, sizeof hdr, "Idempotency-Key: authz-d1\r\n");
	call_ok("POST", path, tok[F1], hdr, "{\"method\":\"neft\",\"reference\":\"UTR1\"}", 201, d1,
	        NULL);
	/* draw 2 open */
	snprintf(path, sizeof path, "/api/v1/schemes/%s/auctions", s1);
	call_ok("POST", path, tok[F1], NULL, "{\"installment_no\":2}", 201, a2, NULL);
	snprintf(path, sizeof path, "/api/v1/auctions/%s/open", a2);
	call_ok("POST", path, tok[F1], NULL, NULL, 200, NULL, NULL);
}

/*
 * Outcome classes, one letter per actor in the order ANON ADMIN AUDITOR F1
 * F2 AGENT U1 U2:
 *   O  2xx
 *   A  let through: 2xx, or refused on the body or the state (400, 409,
 *      422, 426) - never 401/403/404
 *   U  401 with WWW-Authenticate: Bearer
 *   F  403
 *   N  404
 *   D  403 or 404 (api.md leaves which to the server)
 *   G  allowed, but an earlier actor's call may have removed the target:
 *      2xx, 404 or 409 (DELETE of an agent: admin runs before F1)
 *   *  anything but 5xx (public routes)
 */
typedef struct cell_row {
	const char *method;
	char path[200];
	char body[400];
	const char *extra; /* more headers */
	char want[NACTORS + 1];
	const char *route; /* the routes.c pattern, for the report */
} cell_row;

static cell_row rows[128];
static int nrows;

static void row(const char *method, const char *route, const char *path, const char *body,
                const char *extra, const char *want)
{
	cell_row *c = &rows[nrows++];

	ck_assert_int_le(nrows, (int)(sizeof rows / sizeof rows[0]));
	ck_assert_uint_eq(strlen(want), NACTORS);
	c->method = method;
	c->route = route;
	snprintf(c->path, sizeof c->path, "%s", path);
	snprintf(c->body, sizeof c->body, "%s", body ? body : "");
	c->extra = extra;
	snprintf(c->want, sizeof c->want, "%s", want);
}

static int in_class(char want, int st)
{
	switch (want) {
	case 'O': return st >= 200 && st < 300;
	case 'A':
		return (st >= 200 && st < 300) || st == 400 || st == 409 || st == 422 || st == 426;
	case 'U': return st == 401;
	case 'F': return st == 403;
	case 'N': return st == 404;
	case 'D': return st == 403 || st == 404;
	case 'G': return (st >= 200 && st < 300) || st == 404 || st == 409;
	case '*': return st > 0 && st < 500;
	default: return 0;
	}
}

static const char *class_text(char want)
{
	switch (want) {
	case 'O': return "2xx";
	case 'A': return "allowed (2xx/400/409/422)";
	case 'U': return "401";
	case 'F': return "403";
	case 'N': return "404";
	case 'D': return "403 or 404";
	case 'G': return "allowed, maybe already gone (2xx/404/409)";
	default: return "not 5xx";
	}
}

static char report[32768];
static size_t report_len;
static int wrong, cells;

static void note(const char *line)
{
	size_t n = strlen(line);

	if (report_len + n < sizeof report) {
		memcpy(report + report_len, line, n + 1);
		report_len += n;
	}
	wrong++;
}

/* Replace {me} in a row's body with the actor's id. */
static void body_for(const cell_row *c, int a, char *out, size_t size)
{
	const char *m = strstr(c->body, "{me}");

	if (!m) {
		snprintf(out, size, "%s", c->body);
		return;
	}
	snprintf(out, size, "%.*s%s%s", (int)(m - c->body), c->body, uid[a], m + 4);
}

static void run_rows(void)
{
	for (int i = 0; i < nrows; i++) {
		const cell_row *c = &rows[i];

		for (int a = 0; a < NACTORS; a++) {
			char body[512], extra[256], hv[128], snippet[161], line[800];
			e2e_resp r;

			body_for(c, a, body, sizeof body);
			snprintf(extra, sizeof extra, "%s", c->extra ? c->extra : "");
			if (strstr(extra, "{n}")) /* a fresh Idempotency-Key per call */
				snprintf(extra, sizeof extra, "Idempotency-Key: authz-%d-%d-%d\r\n",
				         i, a, ++seq);
			req(c->method, c->path, a == ANON ? NULL : tok[a], extra[0] ? extra : NULL,
			    c->body[0] ? body : NULL, &r);
			cells++;
			snprintf(snippet, sizeof snippet, "%.160s", r.body ? r.body : "");
			if (r.status >= 500 || !in_class(c->want[a], r.status)) {
				snprintf(line, sizeof line,
				         "  %s %s (route %s) as %s: want %s, got %d %s\n",
				         c->method, c->path, c->route, actor_name[a],
				         class_text(c->want[a]), r.status, snippet);
				note(line);
			} else if (c->want[a] == 'U' &&
			           (!e2e_header(&r, "WWW-Authenticate", hv, sizeof hv) ||
			            strncmp(hv, "Bearer", 6) != 0)) {
				snprintf(line, sizeof line,
				         "  %s %s as %s: 401 without WWW-Authenticate: Bearer\n",
				         c->method, c->path, actor_name[a]);
				note(line);
			}
			e2e_resp_free(&r);
		}
	}
}

static void build_rows(void)
{
	char p[200], b[400];

#define P(...) (snprintf(p, sizeof p, __VA_ARGS__), p)
#define B(...) (snprintf(b, sizeof b, __VA_ARGS__), b)
	/*                                                            actors:  -AaFfGuv */
	/* operations: public */
	row("GET", "/healthz", "/healthz", NULL, NULL, "********");
	row("GET", "/readyz", "/readyz", NULL, NULL, "********");
	row("GET", "/metrics", "/metrics", NULL, NULL, "********");
	row("GET", "/openapi.json", "/openapi.json", NULL, NULL, "********");
	row("GET", "/docs", "/docs", NULL, NULL, "********");
	row("GET", "/docs/{file}", "/docs/index.css", NULL, NULL, "********");
	/* auth: public (tokens ignored) */
	row("POST", "/api/v1/auth/register", "/api/v1/auth/register",
	    "{\"email\":\"new.{me}@authz.e2e\",\"password\":\"" PASSWORD
	    "\",\"full_name\":\"New\"}",
	    NULL, "********");
	row("POST", "/api/v1/auth/login", "/api/v1/auth/login",
	    "{\"email\":\"" ADMIN_EMAIL "\",\"password\":\"" PASSWORD "\"}", NULL, "OOOOOOOO");
	row("POST", "/api/v1/auth/refresh", "/api/v1/auth/refresh",
	    "{\"refresh_token\":\"not-a-refresh-token\"}", NULL, "UUUUUUUU");
	row("POST", "/api/v1/auth/logout", "/api/v1/auth/logout",
	    "{\"refresh_token\":\"not-a-refresh-token\"}", NULL, "U*******");
	/* users */
	row("GET", "/api/v1/users/me", "/api/v1/users/me", NULL, NULL, "UOOOOOOO");
	row("PATCH", "/api/v1/users/me", "/api/v1/users/me", "{\"phone\":\"+919800000001\"}", NULL,
	    "UOOOOOOO");
	row("POST", "/api/v1/users/me/password", "/api/v1/users/me/password",
	    "{\"current_password\":\"" PASSWORD "\",\"new_password\":\"short\"}", NULL, "UAAAAAAA");
	row("GET", "/api/v1/users/me/tickets", "/api/v1/users/me/tickets", NULL, NULL, "UOOOOOOO");
	row("GET", "/api/v1/users/me/notifications", "/api/v1/users/me/notifications", NULL, NULL,
	    "UOOOOOOO");
	/* someone else's (or no) notification: 404 for everyone, never 403 or 2xx */
	row("POST", "/api/v1/users/me/notifications/{id}/read",
	    "/api/v1/users/me/notifications/00000000-0000-4000-8000-000000000000/read", NULL, NULL,
	    "UNNNNNNN");
	row("GET", "/api/v1/users", "/api/v1/users", NULL, NULL, "UOOOOFFF");
	row("GET", "/api/v1/users/{id}", P("/api/v1/users/%s", uid[U2]), NULL, NULL, "UOOOOFFF");
	row("GET", "/api/v1/users/{id}", P("/api/v1/users/%s", uid[U1]), NULL, NULL, "UOOOOFFF");
	row("PATCH", "/api/v1/users/{id}", P("/api/v1/users/%s", uid[U1]), "{\"is_active\":true}",
	    NULL, "UOFFFFFF");
	/* schemes */
	row("POST", "/api/v1/schemes", "/api/v1/schemes",
	    "{\"name\":\"Matrix chit\",\"chit_value\":3000000,\"member_count\":3,"
	    "\"start_date\":\"2026-06-01\"}",
	    NULL, "UOFOOFFF");
	row("GET", "/api/v1/schemes", "/api/v1/schemes", NULL, NULL, "UOOOOOOO");
	row("GET", "/api/v1/schemes/{id}", P("/api/v1/schemes/%s", s1), NULL, NULL, "UOOOOOON");
	row("GET", "/api/v1/schemes/{id}", P("/api/v1/schemes/%s", s2), NULL, NULL, "UOOOOONO");
	row("GET", "/api/v1/schemes/{id}", P("/api/v1/schemes/%s", s3), NULL, NULL, "UOOOOONN");
	row("PATCH", "/api/v1/schemes/{id}", P("/api/v1/schemes/%s", s3), "{\"name\":\"Renamed\"}",
	    NULL, "UOFOFFFF");
	row("PATCH", "/api/v1/schemes/{id}", P("/api/v1/schemes/%s", s1), "{\"name\":\"Renamed\"}",
	    NULL, "UAFAFFFF");
	row("POST", "/api/v1/schemes/{id}/open", P("/api/v1/schemes/%s/open", s1), NULL, NULL,
	    "UAFAFFFF");
	row("POST", "/api/v1/schemes/{id}/agents", P("/api/v1/schemes/%s/agents", s1),
	    B("{\"user_id\":\"%s\"}", uid[AGENT]), NULL, "UAFAFFFF");
	row("POST", "/api/v1/schemes/{id}/agents", P("/api/v1/schemes/%s/agents", s2),
	    B("{\"user_id\":\"%s\"}", agent3_id), NULL, "UAFFAFFF");
	row("POST", "/api/v1/schemes/{id}/members", P("/api/v1/schemes/%s/members", s1),
	    "{\"user_id\":\"{me}\"}", NULL, "UAFAFFAN");
	row("GET", "/api/v1/schemes/{id}/members", P("/api/v1/schemes/%s/members", s1), NULL, NULL,
	    "UOOOFOON");
	row("GET", "/api/v1/schemes/{id}/members", P("/api/v1/schemes/%s/members", s2), NULL, NULL,
	    "UOOFOFNO");
	row("POST", "/api/v1/schemes/{id}/commence", P("/api/v1/schemes/%s/commence", s1),
	    "{\"registration_no\":\"R\",\"commencement_ref\":\"C\"}", NULL, "UAFAFFFF");
	row("GET", "/api/v1/schemes/{id}/schedule", P("/api/v1/schemes/%s/schedule", s1), NULL,
	    NULL, "UOOOOOON");
	row("GET", "/api/v1/schemes/{id}/schedule", P("/api/v1/schemes/%s/schedule", s2), NULL,
	    NULL, "UOOOOONO");
	/* audit */
	row("GET", "/api/v1/audit", "/api/v1/audit", NULL, NULL, "UOOFFFFF");
	/* money */
	row("POST", "/api/v1/payments", "/api/v1/payments",
	    B("{\"scheme_id\":\"%s\",\"ticket_no\":1,\"amount\":100,\"method\":\"upi\","
	      "\"reference\":\"UPI/AUTHZ\"}",
	      s1),
	    "{n}", "UAFAFAAN");
	row("POST", "/api/v1/payments", "/api/v1/payments",
	    B("{\"scheme_id\":\"%s\",\"ticket_no\":1,\"amount\":100,\"method\":\"upi\","
	      "\"reference\":\"UPI/AUTHZ\"}",
	      s2),
	    "{n}", "UAFFAFNA");
	row("GET", "/api/v1/payments/{id}", P("/api/v1/payments/%s", p1), NULL, NULL, "UOOOFOON");
	row("GET", "/api/v1/payments/{id}", P("/api/v1/payments/%s", p2), NULL, NULL, "UOOFOFNO");
	row("POST", "/api/v1/payments/{id}/bounce", P("/api/v1/payments/%s/bounce", p1),
	    "{\"bounced_on\":\"2026-04-01\",\"reason\":\"NSF\"}", NULL, "UAFADAFF");
	row("POST", "/api/v1/payments/{id}/bounce", P("/api/v1/payments/%s/bounce", p2),
	    "{\"bounced_on\":\"2026-04-01\",\"reason\":\"NSF\"}", NULL, "UAFDADFF");
	row("GET", "/api/v1/receipts/{receipt_no}", P("/api/v1/receipts/%s", r1), NULL, NULL,
	    "UOOOFOON");
	row("GET", "/api/v1/receipts/{prefix}/{fy}/{seq}", P("/api/v1/receipts/%s", r2), NULL, NULL,
	    "UOOFOFNO");
	{
		/* the percent-encoded form takes the one-segment route */
		char enc[64];
		size_t k = 0;
		for (const char *q = r1; *q && k < sizeof enc - 4; q++) {
			if (*q == '/') {
				memcpy(enc + k, "%2F", 3);
				k += 3;
			} else {
				enc[k++] = *q;
			}
		}
		enc[k] = '\0';
		row("GET", "/api/v1/receipts/{receipt_no}", P("/api/v1/receipts/%s", enc), NULL,
		    NULL, "UOOOFOON");
	}
	row("GET", "/api/v1/schemes/{id}/payments", P("/api/v1/schemes/%s/payments", s1), NULL,
	    NULL, "UOOOFOON");
	row("GET", "/api/v1/schemes/{id}/payments", P("/api/v1/schemes/%s/payments", s2), NULL,
	    NULL, "UOOFOFNO");
	row("GET", "/api/v1/schemes/{id}/ledger", P("/api/v1/schemes/%s/ledger", s1), NULL, NULL,
	    "UOOOFOFF");
	row("GET", "/api/v1/schemes/{id}/ledger", P("/api/v1/schemes/%s/ledger", s2), NULL, NULL,
	    "UOOFOFFF");
	row("GET", "/api/v1/schemes/{id}/defaulters", P("/api/v1/schemes/%s/defaulters", s1), NULL,
	    NULL, "UOOOFOFF");
	row("GET", "/api/v1/schemes/{id}/defaulters", P("/api/v1/schemes/%s/defaulters", s2), NULL,
	    NULL, "UOOFOFFF");
	row("POST", "/api/v1/schemes/{id}/members/{ticket_no}/remove",
	    P("/api/v1/schemes/%s/members/1/remove", s1),
	    "{\"notice_date\":\"2026-04-01\",\"reason\":\"default\"}", NULL, "UAFAFFFF");
	row("POST", "/api/v1/schemes/{id}/members/{ticket_no}/reinstate",
	    P("/api/v1/schemes/%s/members/1/reinstate", s1), "{}", NULL, "UAFAFFFF");
	row("POST", "/api/v1/schemes/{id}/members/{ticket_no}/substitute",
	    P("/api/v1/schemes/%s/members/1/substitute", s1), B("{\"user_id\":\"%s\"}", uid[U2]),
	    NULL, "UAFAFFFF");
	row("POST", "/api/v1/schemes/{id}/members/{ticket_no}/demand",
	    P("/api/v1/schemes/%s/members/2/demand", s1), NULL, NULL, "UAFAFFFF");
	row("GET", "/api/v1/schemes/{id}/members/{ticket_no}/statement",
	    P("/api/v1/schemes/%s/members/1/statement", s1), NULL, NULL, "UOOOFOON");
	row("GET", "/api/v1/schemes/{id}/members/{ticket_no}/statement",
	    P("/api/v1/schemes/%s/members/2/statement", s1), NULL, NULL, "UOOOFONN");
	row("GET", "/api/v1/schemes/{id}/members/{ticket_no}/statement",
	    P("/api/v1/schemes/%s/members/1/statement", s2), NULL, NULL, "UOOFOFNO");
	row("POST", "/api/v1/auctions/{id}/security", P("/api/v1/auctions/%s/security", a1),
	    "{\"kind\":\"personal\",\"description\":\"surety\",\"value\":100}", NULL, "UAFAFFFF");
	row("POST", "/api/v1/auctions/{id}/no-security", P("/api/v1/auctions/%s/no-security", a1),
	    NULL, NULL, "UAFAFFDN");
	row("POST", "/api/v1/auctions/{id}/disbursement", P("/api/v1/auctions/%s/disbursement", a1),
	    "{\"method\":\"neft\",\"reference\":\"UTR2\"}", "{n}", "UAFAFFFF");
	row("GET", "/api/v1/disbursements", "/api/v1/disbursements?status=pending", NULL, NULL,
	    "UOOOOFFF");
	row("POST", "/api/v1/disbursements/{id}/approve", P("/api/v1/disbursements/%s/approve", d1),
	    NULL, NULL, "UAFFAFFF");
	row("GET", "/api/v1/reports/{report}", P("/api/v1/reports/collections?scheme_id=%s", s1),
	    NULL, NULL, "UOOOFOFF");
	row("GET", "/api/v1/reports/{report}", P("/api/v1/reports/outstanding?scheme_id=%s", s2),
	    NULL, NULL, "UOOFOFFF");
	/* draws */
	row("POST", "/api/v1/schemes/{id}/auctions", P("/api/v1/schemes/%s/auctions", s1),
	    "{\"installment_no\":2}", NULL, "UAFAFFFF");
	row("GET", "/api/v1/schemes/{id}/auctions", P("/api/v1/schemes/%s/auctions", s1), NULL,
	    NULL, "UOOOOOON");
	row("GET", "/api/v1/schemes/{id}/auctions", P("/api/v1/schemes/%s/auctions", s2), NULL,
	    NULL, "UOOOOONO");
	row("GET", "/api/v1/auctions/{id}", P("/api/v1/auctions/%s", a2), NULL, NULL, "UOOOOOON");
	row("POST", "/api/v1/auctions/{id}/open", P("/api/v1/auctions/%s/open", a2), NULL, NULL,
	    "UAFAFFFF");
	row("POST", "/api/v1/auctions/{id}/bids", P("/api/v1/auctions/%s/bids", a2),
	    "{\"ticket_no\":1,\"discount\":200000}", NULL, "UAFAFFAN");
	row("GET", "/api/v1/auctions/{id}/minutes", P("/api/v1/auctions/%s/minutes", a1), NULL,
	    NULL, "UOOODOON");
	row("GET", "/api/v1/auctions/{id}/live", P("/api/v1/auctions/%s/live", a2), NULL, NULL,
	    "UAAAAAAA");
	/* last: the ones that change what the rows above read */
	row("POST", "/api/v1/auctions/{id}/close", P("/api/v1/auctions/%s/close", a2), NULL, NULL,
	    "UAFAFFFF");
	row("DELETE", "/api/v1/schemes/{id}/agents/{user_id}",
	    P("/api/v1/schemes/%s/agents/%s", s1, agent2_id), NULL, NULL, "UAFGFFFF");
	row("POST", "/api/v1/schemes/{id}/terminate", P("/api/v1/schemes/%s/terminate", s3),
	    "{\"reason\":\"matrix\"}", NULL, "UAFAFFFF");
#undef P
#undef B
}

START_TEST(test_authorization_matrix)
{
	world();
	build_rows();
	run_rows();
	if (wrong)
		fprintf(stderr, "authz matrix: %d of %d cells wrong:\n%s", wrong, cells, report);
	ck_assert_msg(wrong == 0,
	              "%d of %d authz cells wrong (each listed on stderr), first:\n%.600s", wrong,
	              cells, report);
	printf("authz matrix: %d rows, %d cells, all as api.md says\n", nrows, cells);
}
END_TEST

START_TEST(test_every_api_route_needs_a_token)
{
	/* placeholders where the route has parameters; 401 comes before any lookup */
	static const char *const open_routes[] = {"/api/v1/auth/register", "/api/v1/auth/login",
	                                          "/api/v1/auth/refresh"};
	const char *bad[] = {NULL, "Authorization: Bearer not.a.jwt\r\n",
	                     "Authorization: Basic dXNlcjpwYXNz\r\n"};
	FILE *f = fopen("adapters/http/routes.c", "r");
	char line[512];
	int checked = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof line, f)) {
		char method[8], path[200], real[240];
		const char *q = strstr(line, "{\"");
		size_t k = 0;
		int skip = 0;

		if (!q || sscanf(q, "{\"%7[A-Z]\", \"%199[^\"]\"", method, path) != 2 ||
		    strncmp(path, "/api/v1/", 8) != 0)
			continue;
		for (size_t i = 0; i < sizeof open_routes / sizeof open_routes[0]; i++)
			skip |= strcmp(path, open_routes[i]) == 0;
		if (skip)
			continue;
		for (const char *s = path; *s && k < sizeof real - 40;) {
			if (*s == '{') {
				const char *e = strchr(s, '}');
				k += (size_t)snprintf(
				        real + k, sizeof real - k, "%s",
				        strncmp(s, "{ticket_no}", 11) == 0 ? "1"
				        : strncmp(s, "{report}", 8) == 0
				                ? "collections"
				                : "00000000-0000-4000-8000-000000000000");
				s = e ? e + 1 : s + strlen(s);
			} else {
				real[k++] = *s++;
			}
		}
		real[k] = '\0';
		for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
			e2e_resp r;
			char hv[128];
			int body = strcmp(method, "GET") != 0 && strcmp(method, "DELETE") != 0;

			req(method, real, NULL, bad[b], body ? "{}" : NULL, &r);
			ck_assert_msg(r.status == 401, "%s %s with %s: want 401, got %d %s", method,
			              real, bad[b] ? bad[b] : "no Authorization", r.status, r.body);
			ck_assert_msg(e2e_header(&r, "WWW-Authenticate", hv, sizeof hv) &&
			                      strncmp(hv, "Bearer", 6) == 0,
			              "%s %s: 401 without WWW-Authenticate: Bearer", method, real);
			ck_assert_msg(jstr(&r, "type") &&
			                      strstr(jstr(&r, "type"), "/problems/unauthenticated"),
			              "%s %s: %s", method, real, r.body);
			e2e_resp_free(&r);
		}
		checked++;
	}
	fclose(f);
	ck_assert_int_ge(checked, 45);
}
END_TEST

/* What a subscriber sees inside the lists he may read: only his own. */
START_TEST(test_subscriber_sees_only_his_own)
{
	char path[200];
	e2e_resp r;
	const cJSON *items, *it;

	world();
	snprintf(path, sizeof path, "/api/v1/schemes/%s/members", s1);
	req("GET", path, tok[U1], NULL, NULL, &r);
	expect(&r, 200, "U1 members of S1");
	items = cJSON_GetObjectItemCaseSensitive(r.json, "items");
	ck_assert_int_eq(cJSON_GetArraySize(items), 1);
	cJSON_ArrayForEach(it, items)
	{
		const cJSON *u = cJSON_GetObjectItemCaseSensitive(it, "user_id");
		ck_assert(cJSON_IsString(u) && strcmp(u->valuestring, uid[U1]) == 0);
	}
	e2e_resp_free(&r);

	/* his payments only: pay U3's ticket too, then list as U1 */
	{
		char body[256];
		snprintf(body, sizeof body,
		         "{\"scheme_id\":\"%s\",\"ticket_no\":2,\"amount\":100000,\"method\":"
		         "\"cash\"}",
		         s1);
		call_ok("POST", "/api/v1/payments", tok[AGENT], "Idempotency-Key: authz-p3\r\n",
		        body, 201, NULL, NULL);
	}
	snprintf(path, sizeof path, "/api/v1/schemes/%s/payments", s1);
	req("GET", path, tok[U1], NULL, NULL, &r);
	expect(&r, 200, "U1 payments of S1");
	items = cJSON_GetObjectItemCaseSensitive(r.json, "items");
	ck_assert_int_eq(cJSON_GetArraySize(items), 1);
	cJSON_ArrayForEach(it, items)
	{
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(it, "ticket_no");
		ck_assert(cJSON_IsNumber(t) && t->valueint == 1);
	}
	e2e_resp_free(&r);
	req("GET", path, tok[AGENT], NULL, NULL, &r);
	expect(&r, 200, "agent payments of S1");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")), 2);
	e2e_resp_free(&r);

	/* the open auction: no bids to a subscriber */
	snprintf(path, sizeof path, "/api/v1/auctions/%s/bids", a2);
	call_ok("POST", path, u3_tok, NULL, "{\"ticket_no\":2,\"discount\":200000}", 422, NULL,
	        NULL); /* U3's ticket already prized */
	call_ok("POST", path, tok[U1], NULL, "{\"ticket_no\":1,\"discount\":200000}", 201, NULL,
	        NULL);
	snprintf(path, sizeof path, "/api/v1/auctions/%s", a2);
	req("GET", path, tok[U1], NULL, NULL, &r);
	expect(&r, 200, "U1 reads draw 2");
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(r.json, "bids"));
	e2e_resp_free(&r);
	req("GET", path, tok[AGENT], NULL, NULL, &r);
	expect(&r, 200, "agent reads draw 2");
	ck_assert(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(r.json, "bids")));
	e2e_resp_free(&r);

	/* a subscriber bidding for a ticket he does not hold: 403 */
	snprintf(path, sizeof path, "/api/v1/auctions/%s/bids", a2);
	req("POST", path, u3_tok, NULL, "{\"ticket_no\":1,\"discount\":300000}", &r);
	expect_slug(&r, 403, "forbidden", "U3 bids for U1's ticket");
	e2e_resp_free(&r);
	req("POST", path, tok[U1], NULL, "{\"ticket_no\":3,\"discount\":300000}", &r);
	expect_slug(&r, 403, "forbidden", "U1 bids for F1's ticket");
	e2e_resp_free(&r);
	/* paying for another's ticket: 404; reading another's statement: 404 */
	{
		char body[256];
		snprintf(body, sizeof body,
		         "{\"scheme_id\":\"%s\",\"ticket_no\":2,\"amount\":100,\"method\":\"upi\","
		         "\"reference\":\"U\"}",
		         s1);
		req("POST", "/api/v1/payments", tok[U1], "Idempotency-Key: authz-x\r\n", body, &r);
		expect_slug(&r, 404, "not-found", "U1 pays U3's ticket");
		e2e_resp_free(&r);
	}
	snprintf(path, sizeof path, "/api/v1/schemes/%s/members/1/statement", s2);
	req("GET", path, tok[U1], NULL, NULL, &r);
	expect_slug(&r, 404, "not-found", "U1 reads U2's statement");
	e2e_resp_free(&r);
	/* live without an upgrade: 426 whether or not the auction exists (no existence leak) */
	{
		int known, unknown;
		snprintf(path, sizeof path, "/api/v1/auctions/%s/live", a2);
		known = req("GET", path, tok[U2], NULL, NULL, &r);
		e2e_resp_free(&r);
		unknown = req("GET", "/api/v1/auctions/00000000-0000-4000-8000-000000000000/live",
		              tok[U2], NULL, NULL, &r);
		e2e_resp_free(&r);
		ck_assert_int_eq(known, unknown);
	}
	/* maker approving his own disbursement */
	snprintf(path, sizeof path, "/api/v1/disbursements/%s/approve", d1);
	req("POST", path, tok[F1], NULL, NULL, &r);
	expect_slug(&r, 403, "maker-cannot-approve", "F1 approves his own");
	e2e_resp_free(&r);
	/* the auditor writes nothing */
	req("POST", path, tok[AUDITOR], NULL, NULL, &r);
	expect_slug(&r, 403, "forbidden", "auditor approves");
	e2e_resp_free(&r);
	/* a user object never carries the PAN in clear */
	snprintf(path, sizeof path, "/api/v1/users/%s", uid[U1]);
	req("GET", path, tok[ADMIN], NULL, NULL, &r);
	expect(&r, 200, "admin reads U1");
	ck_assert_ptr_null(strstr(r.body, PAN));
	ck_assert_ptr_null(strstr(r.body, AADHAAR));
	ck_assert_ptr_null(strstr(r.body, BANK_ACCT));
	e2e_resp_free(&r);
	/* nor does the audit log (summaries carry masked values) */
	snprintf(path, sizeof path, "/api/v1/audit?entity=user&entity_id=%s&limit=200", uid[U1]);
	req("GET", path, tok[AUDITOR], NULL, NULL, &r);
	expect(&r, 200, "auditor reads U1's audit");
	ck_assert_ptr_nonnull(strstr(r.body, "user.update_profile"));
	ck_assert_ptr_null(strstr(r.body, PAN));
	ck_assert_ptr_null(strstr(r.body, AADHAAR));
	ck_assert_ptr_null(strstr(r.body, BANK_ACCT));
	ck_assert_ptr_null(strstr(r.body, PASSWORD));
	e2e_resp_free(&r);
}
END_TEST

/* Nothing secret in what the server wrote to stderr (access log on). */
START_TEST(test_no_secret_in_the_log)
{
	const char *secrets[] = {PASSWORD, E2E_SECRET, PAN, AADHAAR, BANK_ACCT, NULL, NULL, NULL};
	char *buf;
	long len;
	FILE *f;

	world();
	/* a few failing calls too: bad login, bad refresh, bad token, bad body */
	{
		e2e_resp r;
		char body[1400];
		snprintf(body, sizeof body,
		         "{\"email\":\"" ADMIN_EMAIL "\",\"password\":\"wrong-" PASSWORD "\"}");
		req("POST", "/api/v1/auth/login", NULL, NULL, body, &r);
		e2e_resp_free(&r);
		snprintf(body, sizeof body, "{\"refresh_token\":\"%s\"}", refresh_u1);
		req("POST", "/api/v1/auth/refresh", NULL, NULL, body, &r);
		expect(&r, 200, "refresh");
		e2e_resp_free(&r);
		req("POST", "/api/v1/auth/refresh", NULL, NULL, body, &r); /* reuse: revoked */
		e2e_resp_free(&r);
		req("PATCH", "/api/v1/users/me", tok[U1], NULL, "{\"pan\":\"" PAN "X\"}", &r);
		e2e_resp_free(&r);
		snprintf(body, sizeof body, "/api/v1/users/me?access_token=%s", tok[U2]);
		req("GET", body, NULL, NULL, NULL, &r);
		e2e_resp_free(&r);
	}
	secrets[5] = tok[U1];
	secrets[6] = refresh_u1;
	f = fopen(log_path, "r");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	ck_assert_msg(len > 0 && strstr(buf, "/api/v1/users/me"), "the access log is empty");
	for (int i = 0; secrets[i]; i++) {
		/* a token: its signature part is what must never show */
		const char *needle = secrets[i];
		const char *dot = i == 5 ? strrchr(needle, '.') : NULL;
		if (dot)
			needle = dot + 1;
		ck_assert_msg(strstr(buf, needle) == NULL, "secret #%d found in the server log", i);
	}
	ck_assert_msg(strstr(buf, tok[U2] + strlen(tok[U2]) - 20) == NULL,
	              "an ?access_token= found in the server log");
	free(buf);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("e2e_authz");
	TCase *tc = tcase_create("authz");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_every_api_route_needs_a_token);
	tcase_add_test(tc, test_authorization_matrix);
	tcase_add_test(tc, test_subscriber_sees_only_his_own);
	tcase_add_test(tc, test_no_secret_in_the_log);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	static const char *const create_admin[] = {"create-admin", "--email", ADMIN_EMAIL,
	                                           "--password-stdin", NULL};
	static const char *const env[] = {"CHITFUND_ACCESS_LOG=1", "CHITFUND_LOG_LEVEL=debug",
	                                  NULL};
	char out[1024];
	int failed;

	snprintf(log_path, sizeof log_path, "/tmp/cf-e2e-authz-%d.log", (int)getpid());
	unlink(log_path);
	e2e_server_stderr_to(log_path);
	if (e2e_server_start(&srv, env) < 0) {
		fprintf(stderr, "test_e2e_authz: cannot start the server under test\n");
		return e2e_setup_failed(&srv);
	}
	if (e2e_server_run(&srv, create_admin, PASSWORD "\n", out, sizeof out) != 0 ||
	    login(ADMIN_EMAIL, tok[ADMIN], NULL) != 200) {
		fprintf(stderr, "test_e2e_authz: create-admin/login failed: %s\n", out);
		return e2e_setup_failed(&srv);
	}
	{
		e2e_resp r;
		char h[1300];
		snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", tok[ADMIN]);
		if (e2e_request(srv.port, "GET", "/api/v1/users/me", h, NULL, 0, &r) == 0) {
			snprintf(uid[ADMIN], sizeof uid[ADMIN], "%s",
			         jstr(&r, "id") ? jstr(&r, "id") : "");
			e2e_resp_free(&r);
		}
	}
	failed = e2e_run_suite(&srv, suite());
	unlink(log_path);
	return failed;
}
