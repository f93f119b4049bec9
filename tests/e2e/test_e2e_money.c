/*
 * test_e2e_money.c - end to end over HTTP (the real chitfund-server on its
 * own database): a 20-ticket scheme is enrolled and commenced through the
 * API; installment 1 is fixed and demanded; payments with Idempotency-Key
 * (missing: 400; replay byte for byte; other body: 409), a subscriber's own
 * UPI payment and its refusals, receipts by literal and percent-encoded
 * number, a cheque bounce, the defaulters list, removal and substitution,
 * the statement, the ledger, a CSV report, termination (s.42), and
 * `chitfund-server verify` clean after each stage.
 *
 * The whole life of domain.md's 20-draw scheme: every draw and payment, a
 * cheque bounce, a defaulter removed and substituted, every payout
 * maker-checker, and three payments late with fees. An installment is fixed
 * on the server's business date, so a fee needs that date to move on after
 * the fixing: after draw 1 (which fixes installment 2, due 2026-04-01) the
 * server is restarted with its clock on 2026-04-25 and installment 2 is paid
 * back-dated (paid_on) on its due date by most tickets and 7, 21 and 24 days
 * late by three. That test restarts the server, so it stays the runner's last.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e_http.h"

static e2e_server srv;
static char admin_token[1200];
static int seq;

#define ADMIN_EMAIL    "root@money.e2e"
#define ADMIN_PASSWORD "admin-password-1234"
#define PASSWORD       "correct-horse-battery"
#define S_PAISE        500000 /* Rs 5,000 */

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

static double jnum(const cJSON *o, const char *name)
{
	const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, name) : NULL;

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static void expect_problem(e2e_resp *r, int status, const char *slug)
{
	char type[160];

	e2e_expect(r, status);
	snprintf(type, sizeof type, "https://chitfund.dev/problems/%s", slug);
	ck_assert_msg(jstr(r, "type") && strcmp(jstr(r, "type"), type) == 0, "want %s: %s", slug,
	              r->body);
}

static int login(const char *email, char *token)
{
	return e2e_login(srv.port, email,
	                 strcmp(email, ADMIN_EMAIL) == 0 ? ADMIN_PASSWORD : PASSWORD, token, NULL,
	                 0);
}

/* Who was registered with which token buffer (for relogin). */
static struct {
	char email[128];
	char *token;
} reg[128];
static int nreg;

/* Log the user behind a token buffer in again (the latest registration wins). */
static void relogin(char *token)
{
	for (int i = nreg - 1; i >= 0; i--)
		if (reg[i].token == token) {
			ck_assert_int_eq(login(reg[i].email, token), 200);
			return;
		}
	ck_abort_msg("relogin: unknown token buffer");
}

/* Register a user with a role; fills id (37) and token (1200). */
static void user(const char *role, char *id, char *token)
{
	char email[128];

	snprintf(email, sizeof email, "%s.%d.%d@money.e2e", role, (int)getpid(), ++seq);
	e2e_user(srv.port, admin_token, role, email, PASSWORD, "Money User", id, 37, token);
	if (nreg < (int)(sizeof reg / sizeof reg[0])) {
		snprintf(reg[nreg].email, sizeof reg[nreg].email, "%s", email);
		reg[nreg++].token = token;
	}
}

static void verify_cli_clean(void)
{
	static const char *const args[] = {"verify", NULL};
	char out[2048];
	int rc = e2e_server_run(&srv, args, NULL, out, sizeof out);

	ck_assert_msg(rc == 0, "verify exit %d: %s", rc, out);
	ck_assert_ptr_nonnull(strstr(out, "money consistent"));
}

/* The scheme and its people. */
static char foreman_id[37], foreman_tok[1200], agent_id[37], agent_tok[1200];
static char sub_id[20][37], sub_tok[20][1200], scheme[37];

static void make_scheme(void)
{
	e2e_resp r;

	user("foreman", foreman_id, foreman_tok);
	user("agent", agent_id, agent_tok);
	for (int i = 0; i < 20; i++)
		user("subscriber", sub_id[i], sub_tok[i]);
	req("POST", "/api/v1/schemes", foreman_tok, NULL,
	    "{\"name\":\"E2E money chit\",\"chit_value\":10000000,\"member_count\":20,"
	    "\"start_date\":\"2026-03-01\",\"max_discount_bps\":2500,"
	    "\"first_prize_to_foreman\":true}",
	    &r);
	e2e_expect(&r, 201);
	snprintf(scheme, sizeof scheme, "%s", jstr(&r, "id"));
	e2e_resp_free(&r);
	e2e_scheme_start(srv.port, foreman_tok, scheme, agent_id, foreman_id, sub_id, 20,
	                 "{\"registration_no\":\"REG/E2E/1\",\"commencement_ref\":\"GAZ/1\"}");
}

/* POST /payments; paid_on NULL: today (the server's business date). */
static int pay_on(const char *token, const char *key, int ticket, long amount, const char *method,
                  const char *reference, const char *paid_on, e2e_resp *r)
{
	char body[512], hdr[320];

	snprintf(body, sizeof body,
	         "{\"scheme_id\":\"%s\",\"ticket_no\":%d,\"amount\":%ld,\"method\":\"%s\"%s%s%s"
	         "%s%s%s}",
	         scheme, ticket, amount, method, reference ? ",\"reference\":\"" : "",
	         reference ? reference : "", reference ? "\"" : "",
	         paid_on ? ",\"paid_on\":\"" : "", paid_on ? paid_on : "", paid_on ? "\"" : "");
	snprintf(hdr, sizeof hdr, "Idempotency-Key: %s\r\n", key);
	return req("POST", "/api/v1/payments", token, key ? hdr : NULL, body, r);
}

static int pay(const char *token, const char *key, int ticket, long amount, const char *method,
               const char *reference, e2e_resp *r)
{
	return pay_on(token, key, ticket, amount, method, reference, NULL, r);
}

START_TEST(test_money_over_http)
{
	char path[256], key[64], ct[128], receipt1[32], cheque[37];
	e2e_resp r, r2;
	const cJSON *items, *row;

	make_scheme();
	/* installment 1 fixed at commencement: the statement and the ledger say so */
	snprintf(path, sizeof path, "/api/v1/schemes/%s/members/2/statement", scheme);
	req("GET", path, sub_tok[0], NULL, NULL, &r);
	e2e_expect(&r, 200);
	items = cJSON_GetObjectItemCaseSensitive(r.json, "items");
	ck_assert_int_eq(cJSON_GetArraySize(items), 20);
	row = cJSON_GetArrayItem(items, 0);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "fixed")));
	ck_assert_int_eq((long)jnum(row, "net_due"), S_PAISE);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r.json, "prize")));
	e2e_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/schemes/%s/members/2/statement", scheme);
	req("GET", path, sub_tok[1], NULL, NULL, &r);
	expect_problem(&r, 404, "not-found"); /* another subscriber's ticket */
	e2e_resp_free(&r);

	/* Idempotency-Key: required; first answer replayed byte for byte; other body 409 */
	pay(agent_tok, NULL, 2, S_PAISE, "cash", NULL, &r);
	expect_problem(&r, 400, "idempotency-key-required");
	e2e_resp_free(&r);
	snprintf(key, sizeof key, "pay-2-%d", (int)getpid());
	pay(agent_tok, key, 2, S_PAISE, "cash", NULL, &r);
	e2e_expect(&r, 201);
	ck_assert_ptr_nonnull(e2e_header(&r, "Location", ct, sizeof ct));
	snprintf(receipt1, sizeof receipt1, "%s", jstr(&r, "receipt_no"));
	ck_assert_str_eq(receipt1, "R/2026-27/000001");
	{
		char body[512], hdr[128];

		/* the same JSON with other key order and spacing */
		snprintf(body, sizeof body,
		         "{ \"method\": \"cash\", \"amount\": %d, \"ticket_no\": 2, \"scheme_id\": "
		         "\"%s\" }",
		         S_PAISE, scheme);
		snprintf(hdr, sizeof hdr, "Idempotency-Key: %s\r\n", key);
		req("POST", "/api/v1/payments", agent_tok, hdr, body, &r2);
	}
	e2e_expect(&r2, 201);
	ck_assert_uint_eq(r2.body_len, r.body_len);
	ck_assert_int_eq(memcmp(r2.body, r.body, r.body_len), 0);
	e2e_resp_free(&r2);
	e2e_resp_free(&r);
	pay(agent_tok, key, 2, S_PAISE + 1, "cash", NULL, &r);
	expect_problem(&r, 409, "idempotency-key-reused");
	e2e_resp_free(&r);

	/* a subscriber pays his own ticket by UPI; not another's, not in cash */
	pay(sub_tok[1], "upi-3", 3, S_PAISE, "upi", "UPI/REF/3", &r);
	e2e_expect(&r, 201);
	ck_assert_str_eq(jstr(&r, "receipt_no"), "R/2026-27/000002");
	e2e_resp_free(&r);
	pay(sub_tok[1], "upi-4", 4, S_PAISE, "upi", "UPI/REF/4", &r);
	expect_problem(&r, 404, "not-found");
	e2e_resp_free(&r);
	pay(sub_tok[1], "cash-3", 3, 100, "cash", NULL, &r);
	expect_problem(&r, 403, "forbidden");
	e2e_resp_free(&r);

	/* receipts: literal slashes and percent-encoded */
	req("GET", "/api/v1/receipts/R/2026-27/000001", sub_tok[0], NULL, NULL, &r);
	e2e_expect(&r, 200);
	ck_assert_int_eq((int)jnum(r.json, "ticket_no"), 2);
	e2e_resp_free(&r);
	req("GET", "/api/v1/receipts/R%2F2026-27%2F000002", agent_tok, NULL, NULL, &r);
	e2e_expect(&r, 200);
	ck_assert_int_eq((int)jnum(r.json, "ticket_no"), 3);
	e2e_resp_free(&r);
	req("GET", "/api/v1/receipts/R/2026-27/000002", sub_tok[0], NULL, NULL, &r);
	expect_problem(&r, 404, "not-found");
	e2e_resp_free(&r);

	/* a cheque that bounces: reversed, its receipt number stays used */
	pay(agent_tok, "chq-5", 5, S_PAISE, "cheque", "CHQ 000777", &r);
	e2e_expect(&r, 201);
	snprintf(cheque, sizeof cheque, "%s", jstr(&r, "id"));
	e2e_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/payments/%s/bounce", cheque);
	req("POST", path, agent_tok, NULL, "{\"bounced_on\":\"2026-04-01\",\"reason\":\"NSF\"}",
	    &r);
	e2e_expect(&r, 200);
	ck_assert_str_eq(jstr(&r, "status"), "bounced");
	ck_assert_str_eq(jstr(&r, "receipt_no"), "R/2026-27/000003");
	e2e_resp_free(&r);
	verify_cli_clean();

	/* ledger: demands at gross for 20 tickets, two cleared payments */
	snprintf(path, sizeof path, "/api/v1/schemes/%s/ledger?limit=5", scheme);
	req("GET", path, agent_tok, NULL, NULL, &r);
	e2e_expect(&r, 200);
	{
		const cJSON *b = cJSON_GetObjectItemCaseSensitive(r.json, "balances");

		ck_assert_int_eq((long)jnum(b, "scheme_pool"), -20L * S_PAISE);
		ck_assert_int_eq((long)jnum(b, "cash"), 2L * S_PAISE);
		ck_assert_int_eq((long)jnum(b, "member_receivable/5"), S_PAISE);
		ck_assert_int_eq(
		        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")), 5);
		ck_assert_ptr_nonnull(jstr(&r, "next_cursor"));
	}
	e2e_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/schemes/%s/ledger", scheme);
	req("GET", path, sub_tok[0], NULL, NULL, &r);
	expect_problem(&r, 403, "forbidden");
	e2e_resp_free(&r);

	/* defaulters: installment 1 fell due on 2026-03-01 */
	snprintf(path, sizeof path, "/api/v1/schemes/%s/defaulters", scheme);
	req("GET", path, agent_tok, NULL, NULL, &r);
	e2e_expect(&r, 200);
	items = cJSON_GetObjectItemCaseSensitive(r.json, "items");
	ck_assert_int_eq(cJSON_GetArraySize(items), 18); /* all but tickets 2 and 3 */
	cJSON_ArrayForEach(row, items) if ((int)jnum(row, "ticket_no") == 6)
	{
		ck_assert_int_eq((int)jnum(row, "days_past_due"), 31);
		ck_assert_int_eq((long)jnum(row, "arrears"), S_PAISE);
	}
	e2e_resp_free(&r);
	/* remove ticket 6 and substitute a new subscriber, who owes its dues */
	snprintf(path, sizeof path, "/api/v1/schemes/%s/members/6/remove", scheme);
	req("POST", path, agent_tok, NULL,
	    "{\"notice_date\":\"2026-04-01\",\"reason\":\"arrears\"}", &r);
	expect_problem(&r, 403, "forbidden");
	e2e_resp_free(&r);
	req("POST", path, foreman_tok, NULL,
	    "{\"notice_date\":\"2026-04-01\",\"reason\":\"arrears\"}", &r);
	e2e_expect(&r, 200);
	ck_assert_str_eq(jstr(&r, "status"), "removed");
	e2e_resp_free(&r);
	{
		char nid[37], ntok[1200], body[128];

		user("subscriber", nid, ntok);
		snprintf(path, sizeof path, "/api/v1/schemes/%s/members/6/substitute", scheme);
		snprintf(body, sizeof body, "{\"user_id\":\"%s\"}", nid);
		req("POST", path, foreman_tok, NULL, body, &r);
		e2e_expect(&r, 200);
		ck_assert_str_eq(jstr(&r, "user_id"), nid);
		ck_assert_str_eq(jstr(&r, "status"), "active");
		e2e_resp_free(&r);
		pay(ntok, "sub-6", 6, S_PAISE, "bank_transfer", "NEFT/6", &r);
		e2e_expect(&r, 201);
		e2e_resp_free(&r);
	}
	verify_cli_clean();

	/* reports: CSV with a header row; JSON */
	snprintf(path, sizeof path, "/api/v1/reports/collections?scheme_id=%s", scheme);
	req("GET", path, agent_tok, "Accept: text/csv\r\n", NULL, &r);
	e2e_expect(&r, 200);
	ck_assert_ptr_nonnull(e2e_header(&r, "Content-Type", ct, sizeof ct));
	ck_assert_ptr_nonnull(strstr(ct, "text/csv"));
	ck_assert_int_eq(strncmp(r.body, "date,scheme_id,agent_id,method,count,amount\r\n", 44), 0);
	e2e_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/reports/trial-balance?scheme_id=%s", scheme);
	req("GET", path, foreman_tok, NULL, NULL, &r);
	e2e_expect(&r, 200);
	ck_assert_str_eq(jstr(&r, "report"), "trial-balance");
	e2e_resp_free(&r);
	req("GET", "/api/v1/reports/nonsense", foreman_tok, NULL, NULL, &r);
	e2e_expect(&r, 404);
	e2e_resp_free(&r);

	/* early termination: s.42 refunds, then verify still clean */
	snprintf(path, sizeof path, "/api/v1/schemes/%s/terminate", scheme);
	req("POST", path, foreman_tok, NULL, "{\"reason\":\"members agreed\"}", &r);
	e2e_expect(&r, 200);
	ck_assert_str_eq(jstr(&r, "status"), "terminated");
	e2e_resp_free(&r);
	pay(agent_tok, "late-after-end", 7, S_PAISE, "cash", NULL, &r);
	expect_problem(&r, 409, "scheme-not-running");
	e2e_resp_free(&r);
	verify_cli_clean();
	/* a tampered allocation: verify exits non-zero and names the break */
	{
		static const char *const args[] = {"verify", NULL};
		char out[2048];

		ck_assert_str_eq(receipt1, "R/2026-27/000001");
		ck_assert_int_eq(e2e_sql(&srv,
		                         "UPDATE payment_allocations SET principal = principal - 1 "
		                         "WHERE payment_id = (SELECT id FROM payments WHERE "
		                         "receipt_no = 'R/2026-27/000001')",
		                         NULL, 0),
		                 0);
		ck_assert_int_eq(e2e_server_run(&srv, args, NULL, out, sizeof out), 1);
		ck_assert_msg(strstr(out, "money BROKEN") && strstr(out, receipt1), "%s", out);
		/* put it back: the database is shared with the runner's other tests */
		ck_assert_int_eq(e2e_sql(&srv,
		                         "UPDATE payment_allocations SET principal = principal + 1 "
		                         "WHERE payment_id = (SELECT id FROM payments WHERE "
		                         "receipt_no = 'R/2026-27/000001')",
		                         NULL, 0),
		                 0);
		verify_cli_clean();
	}
}
END_TEST

/* ---- the whole life of domain.md's 20-draw scheme over HTTP ---- */

static const long bids[20] = {0,     25000, 25000, 25000, 25000, 25000, 25000, 23000, 21000, 19000,
                              17000, 15000, 13000, 11500, 10000, 8500,  7000,  6000,  5500,  5000};
static const long installment[20] = {5000, 5000, 4000, 4000, 4000, 4000, 4000, 4000, 4100, 4200,
                                     4300, 4400, 4500, 4600, 4675, 4750, 4825, 4900, 4950, 4975};

/* What ticket t owes now (its statement: fixed balances less its advance). */
static long owed(int t)
{
	char path[160];
	e2e_resp r;
	long v;

	snprintf(path, sizeof path, "/api/v1/schemes/%s/members/%d/statement", scheme, t);
	req("GET", path, agent_tok, NULL, NULL, &r);
	e2e_expect(&r, 200);
	v = (long)jnum(cJSON_GetObjectItemCaseSensitive(r.json, "totals"), "balance") -
	    (long)jnum(r.json, "advance");
	e2e_resp_free(&r);
	return v;
}

/* The whole-life run's later business date: 10:00 IST on 25 April 2026. */
#define LIFE_LATER_NOW "2026-04-25T04:30:00Z"
#define LIFE_LATER_DAY "2026-04-25"

/* domain.md's late fee: principal x bps x days / (10000 x 30), rounded half-up. */
static long late_fee(long principal, long bps, long days)
{
	long den = 10000L * 30;

	return (principal * bps * days + den / 2) / den;
}

/* The principal ticket t owes on its fixed installments, less its advance. */
static long principal_owed(int t)
{
	char path[160];
	e2e_resp r;
	const cJSON *tot;
	long v;

	snprintf(path, sizeof path, "/api/v1/schemes/%s/members/%d/statement", scheme, t);
	req("GET", path, agent_tok, NULL, NULL, &r);
	e2e_expect(&r, 200);
	tot = cJSON_GetObjectItemCaseSensitive(r.json, "totals");
	v = (long)jnum(tot, "net_due") - (long)jnum(tot, "paid") - (long)jnum(r.json, "advance");
	e2e_resp_free(&r);
	return v;
}

/* Installment 2 (due 2026-04-01, fixed that day by draw 1) paid late by three tickets. */
static const struct {
	int ticket;
	const char *paid_on; /* NULL: today, 2026-04-25 */
	long days;
} late_pays[] = {{5, "2026-04-22", 21}, {9, "2026-04-08", 7}, {14, NULL, 24}};
static long fee_of[21]; /* late fee charged to each ticket */

/*
 * Round 2 at the later clock: every ticket pays installment 2 back-dated to
 * its due date (no fee), except late_pays, which pay principal plus the fee
 * as of their paid_on. Returns the fees charged.
 */
static long pay_round_two_with_late_fees(void)
{
	char path[160];
	long bps, grace, total = 0;
	e2e_resp r;

	snprintf(path, sizeof path, "/api/v1/schemes/%s", scheme);
	req("GET", path, foreman_tok, NULL, NULL, &r);
	e2e_expect(&r, 200);
	bps = (long)jnum(r.json, "late_fee_bps_per_month");
	grace = (long)jnum(r.json, "grace_days");
	e2e_resp_free(&r);
	ck_assert_int_eq(bps, 200); /* the defaults the dates above assume */
	ck_assert_int_eq(grace, 0);
	for (int t = 1; t <= 20; t++) {
		const char *paid_on = "2026-04-01";
		long p = principal_owed(t), fee = 0;
		const cJSON *allocs, *a;
		char key[64];

		if (p <= 0) /* ticket 19's substitute paid installment 2 already */
			continue;
		ck_assert_int_eq(p, S_PAISE);
		for (size_t i = 0; i < sizeof late_pays / sizeof late_pays[0]; i++)
			if (late_pays[i].ticket == t) {
				paid_on = late_pays[i].paid_on;
				fee = late_fee(p, bps, late_pays[i].days - grace);
			}
		snprintf(key, sizeof key, "life-2-%d-%d", t, (int)getpid());
		pay_on(agent_tok, key, t, p + fee, "cash", NULL, paid_on, &r);
		e2e_expect(&r, 201);
		ck_assert_str_eq(jstr(&r, "paid_on"), paid_on ? paid_on : LIFE_LATER_DAY);
		allocs = cJSON_GetObjectItemCaseSensitive(r.json, "allocations");
		ck_assert_int_eq(cJSON_GetArraySize(allocs), 1);
		a = cJSON_GetArrayItem(allocs, 0);
		ck_assert_int_eq((int)jnum(a, "installment_no"), 2);
		ck_assert_int_eq((long)jnum(a, "principal"), p);
		ck_assert_msg((long)jnum(a, "penalty") == fee, "ticket %d: penalty %.0f, want %ld",
		              t, jnum(a, "penalty"), fee);
		ck_assert_int_eq((long)jnum(r.json, "advance"), 0);
		e2e_resp_free(&r);
		fee_of[t] = fee;
		total += fee;
	}
	/* domain.md's vector: 5,000.00 at 200 bps for 21 days = 70.00; 7 days: 23.33 */
	ck_assert_int_eq(fee_of[5], 7000);
	ck_assert_int_eq(fee_of[9], 2333);
	ck_assert_int_eq(fee_of[14], 8000);
	/* the statement shows the fee, paid */
	snprintf(path, sizeof path, "/api/v1/schemes/%s/members/5/statement", scheme);
	req("GET", path, agent_tok, NULL, NULL, &r);
	e2e_expect(&r, 200);
	{
		const cJSON *row =
		        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "items"), 1);

		ck_assert_int_eq((int)jnum(row, "installment_no"), 2);
		ck_assert_int_eq((long)jnum(row, "penalty"), 7000);
		ck_assert_int_eq((long)jnum(row, "penalty_paid"), 7000);
		ck_assert_int_eq((long)jnum(row, "paid"), S_PAISE);
		ck_assert_int_eq((long)jnum(row, "balance"), 0);
	}
	e2e_resp_free(&r);
	return total;
}

static void pay_all(int k, int skip)
{
	for (int t = 1; t <= 20; t++) {
		char key[64];
		long o = owed(t);
		e2e_resp r;

		if (o <= 0 || t == skip)
			continue;
		snprintf(key, sizeof key, "life-%d-%d-%d", k, t, (int)getpid());
		pay(agent_tok, key, t, o, "cash", NULL, &r);
		e2e_expect(&r, 201);
		e2e_resp_free(&r);
	}
}

static void run_draw(int k, char id[37])
{
	char path[160], body[128];
	e2e_resp r;

	snprintf(path, sizeof path, "/api/v1/schemes/%s/auctions", scheme);
	snprintf(body, sizeof body, "{\"installment_no\":%d}", k);
	req("POST", path, foreman_tok, NULL, body, &r);
	e2e_expect(&r, 201);
	snprintf(id, 37, "%s", jstr(&r, "id"));
	e2e_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/auctions/%.36s/open", id);
	req("POST", path, foreman_tok, NULL, NULL, &r);
	e2e_expect(&r, 200);
	e2e_resp_free(&r);
	if (k > 1 && k < 20) {
		snprintf(path, sizeof path, "/api/v1/auctions/%.36s/bids", id);
		snprintf(body, sizeof body, "{\"ticket_no\":%d,\"discount\":%ld}", k,
		         bids[k - 1] * 100);
		req("POST", path, foreman_tok, NULL, body, &r);
		e2e_expect(&r, 201);
		e2e_resp_free(&r);
	}
	snprintf(path, sizeof path, "/api/v1/auctions/%.36s/close", id);
	req("POST", path, foreman_tok, NULL, NULL, &r);
	e2e_expect(&r, 200);
	ck_assert_int_eq((int)jnum(r.json, "winner_ticket_no"), k);
	e2e_resp_free(&r);
}

static void payout(int k, const char *id, const char *checker_tok)
{
	char path[160], body[160], hdr[96], did[37];
	e2e_resp r;
	long liability;

	if (k == 7) { /* the winner elects no security */
		snprintf(path, sizeof path, "/api/v1/auctions/%.36s/no-security", id);
		req("POST", path, sub_tok[k - 2], NULL, NULL, &r);
		e2e_expect(&r, 200);
		ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.json, "no_security")));
		e2e_resp_free(&r);
	} else if ((liability = 500000L * (20 - k)) > 0) {
		snprintf(path, sizeof path, "/api/v1/auctions/%.36s/disbursement", id);
		snprintf(hdr, sizeof hdr, "Idempotency-Key: d0-%d-%d\r\n", k, (int)getpid());
		req("POST", path, foreman_tok, hdr, "{\"method\":\"neft\",\"reference\":\"UTR\"}",
		    &r);
		expect_problem(&r, 409, "security-insufficient");
		e2e_resp_free(&r);
		snprintf(path, sizeof path, "/api/v1/auctions/%.36s/security", id);
		snprintf(body, sizeof body,
		         "{\"kind\":\"property\",\"description\":\"land\",\"value\":%ld}",
		         liability * 3 / 2);
		req("POST", path, foreman_tok, NULL, body, &r);
		e2e_expect(&r, 201);
		e2e_resp_free(&r);
	}
	snprintf(path, sizeof path, "/api/v1/auctions/%.36s/disbursement", id);
	snprintf(hdr, sizeof hdr, "Idempotency-Key: d-%d-%d\r\n", k, (int)getpid());
	req("POST", path, foreman_tok, hdr, "{\"method\":\"neft\",\"reference\":\"UTR\"}", &r);
	e2e_expect(&r, 201);
	snprintf(did, sizeof did, "%s", jstr(&r, "id"));
	e2e_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/disbursements/%.36s/approve", did);
	req("POST", path, foreman_tok, NULL, NULL, &r);
	expect_problem(&r, 403, "maker-cannot-approve");
	e2e_resp_free(&r);
	req("POST", path, checker_tok, NULL, NULL, &r);
	e2e_expect(&r, 200);
	ck_assert_str_eq(jstr(&r, "status"), "paid");
	e2e_resp_free(&r);
	req("POST", path, checker_tok, NULL, NULL, &r);
	expect_problem(&r, 409, "already-approved");
	e2e_resp_free(&r);
}

START_TEST(test_whole_life_of_twenty_draws_over_http)
{
	char checker_id[37], checker_tok[1200], path[200], ids[20][37];
	long fees = 0;
	e2e_resp r;

	make_scheme();
	user("foreman", checker_id, checker_tok);
	for (int k = 1; k <= 20; k++) {
		/* every ticket pays what it owes; ticket 19 defaults on round 1; three pay
		 * installment 2 late */
		if (k == 2)
			fees = pay_round_two_with_late_fees();
		else
			pay_all(k, k == 1 ? 19 : 0);
		if (k == 3) { /* a cheque that bounces, then cash */
			char cid[37];

			pay(agent_tok, "life-chq", 4, 1000, "cheque", "CHQ 42", &r);
			e2e_expect(&r, 201);
			snprintf(cid, sizeof cid, "%s", jstr(&r, "id"));
			e2e_resp_free(&r);
			snprintf(path, sizeof path, "/api/v1/payments/%s/bounce", cid);
			req("POST", path, agent_tok, NULL,
			    "{\"bounced_on\":\"" LIFE_LATER_DAY "\",\"reason\":\"NSF\"}", &r);
			e2e_expect(&r, 200);
			e2e_resp_free(&r);
		}
		run_draw(k, ids[k - 1]);
		payout(k, ids[k - 1], checker_tok);
		if (k == 1) { /* ticket 19 is removed and substituted; the substitute pays */
			char nid[37], ntok[1200], body[96], key[64];

			snprintf(path, sizeof path, "/api/v1/schemes/%s/members/19/remove", scheme);
			req("POST", path, foreman_tok, NULL,
			    "{\"notice_date\":\"2026-04-01\",\"reason\":\"arrears\"}", &r);
			e2e_expect(&r, 200);
			e2e_resp_free(&r);
			user("subscriber", nid, ntok);
			snprintf(path, sizeof path, "/api/v1/schemes/%s/members/19/substitute",
			         scheme);
			snprintf(body, sizeof body, "{\"user_id\":\"%s\"}", nid);
			req("POST", path, foreman_tok, NULL, body, &r);
			e2e_expect(&r, 200);
			e2e_resp_free(&r);
			snprintf(key, sizeof key, "life-sub-%d", (int)getpid());
			pay(agent_tok, key, 19, owed(19), "cash", NULL, &r);
			e2e_expect(&r, 201);
			e2e_resp_free(&r);
			snprintf(sub_id[17], sizeof sub_id[17], "%s", nid);
			snprintf(sub_tok[17], sizeof sub_tok[17], "%s", ntok);
			/* the business date moves on to 2026-04-25 (installment 2 is
			 * fixed and due); the tokens issued before have expired */
			ck_assert_int_eq(e2e_server_restart_at(&srv, LIFE_LATER_NOW), 0);
			relogin(foreman_tok);
			relogin(agent_tok);
			relogin(checker_tok);
			relogin(sub_tok[5]); /* ticket 7 elects no security */
		}
	}
	snprintf(path, sizeof path, "/api/v1/schemes/%s", scheme);
	req("GET", path, foreman_tok, NULL, NULL, &r);
	e2e_expect(&r, 200);
	ck_assert_str_eq(jstr(&r, "status"), "completed");
	e2e_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/schemes/%s/ledger?limit=1", scheme);
	req("GET", path, foreman_tok, NULL, NULL, &r);
	e2e_expect(&r, 200);
	{
		const cJSON *b = cJSON_GetObjectItemCaseSensitive(r.json, "balances"), *x;

		cJSON_ArrayForEach(x, b)
		{
			if (strcmp(x->string, "scheme_pool") == 0 ||
			    strcmp(x->string, "dividend_remainder") == 0 ||
			    strncmp(x->string, "prize_payable/", 14) == 0 ||
			    strncmp(x->string, "member_receivable/", 18) == 0)
				ck_assert_msg(x->valuedouble == 0, "%s = %.0f", x->string,
				              x->valuedouble);
		}
		ck_assert_int_eq((long)jnum(b, "gst_payable"), -1710000L);
		ck_assert_int_eq((long)jnum(b, "commission_income"), -9500000L);
		ck_assert_int_eq(fees, 7000 + 2333 + 8000);
		ck_assert_int_eq((long)jnum(b, "late_fee_income"), -fees);
	}
	e2e_resp_free(&r);
	/* each statement matches domain.md's schedule */
	for (int t = 1; t <= 20; t++) {
		const cJSON *items, *row;
		int k = 0;

		snprintf(path, sizeof path, "/api/v1/schemes/%s/members/%d/statement", scheme, t);
		req("GET", path, foreman_tok, NULL, NULL, &r);
		e2e_expect(&r, 200);
		items = cJSON_GetObjectItemCaseSensitive(r.json, "items");
		cJSON_ArrayForEach(row, items)
		{
			ck_assert_msg((long)jnum(row, "net_due") == installment[k] * 100,
			              "ticket %d installment %d: %.0f", t, k + 1,
			              jnum(row, "net_due"));
			ck_assert_int_eq((long)jnum(row, "balance"), 0);
			/* the late fees stay on the statement, paid */
			ck_assert_int_eq((long)jnum(row, "penalty"), k == 1 ? fee_of[t] : 0);
			ck_assert_int_eq((long)jnum(row, "penalty_paid"), k == 1 ? fee_of[t] : 0);
			k++;
		}
		ck_assert_int_eq(k, 20);
		ck_assert_int_eq(
		        (long)jnum(cJSON_GetObjectItemCaseSensitive(r.json, "totals"), "penalty"),
		        fee_of[t]);
		if (t != 19) /* the substitute paid ticket 19's dues from the start */
			ck_assert_int_eq(
			        (long)jnum(cJSON_GetObjectItemCaseSensitive(r.json, "totals"),
			                   "paid"),
			        8917500L);
		ck_assert_int_eq((long)jnum(r.json, "advance"), 0);
		ck_assert_int_eq((int)jnum(cJSON_GetObjectItemCaseSensitive(r.json, "prize"),
		                           "installment_no"),
		                 t);
		e2e_resp_free(&r);
	}
	verify_cli_clean();
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("e2e_money");
	TCase *tc = tcase_create("money");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_money_over_http);
	tcase_add_test(tc, test_whole_life_of_twenty_draws_over_http);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	static const char *const create_admin[] = {"create-admin", "--email", ADMIN_EMAIL,
	                                           "--password-stdin", NULL};
	char out[1024];

	if (e2e_server_start(&srv, NULL) < 0) {
		fprintf(stderr, "test_e2e_money: cannot start the server under test\n");
		return e2e_setup_failed(&srv);
	}
	if (e2e_server_run(&srv, create_admin, ADMIN_PASSWORD "\n", out, sizeof out) != 0 ||
	    login(ADMIN_EMAIL, admin_token) != 200) {
		fprintf(stderr, "test_e2e_money: create-admin/login failed: %s\n", out);
		return e2e_setup_failed(&srv);
	}
	return e2e_run_suite(&srv, suite());
}
