/*
 * test_e2e_auctions.c - draws end to end over HTTP against the real
 * chitfund-server: the complete 20-draw schedule of domain.md (20 tickets,
 * real bids by the holders, real closes; every installment, dividend,
 * prize and the totals), a sealed auction whose tie is decided by a lot
 * that the test re-verifies from the minutes (and with `chitfund-server
 * verify-lot`), minutes as text, refusals with their problem types, and a
 * KSFE-profile scheme (prompt payers: with nobody overdue every ticket
 * shares; overdue tickets are covered at the use-case level in
 * tests/unit/test_app_auctions.c with a fake overdue source).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cf_sha256_ref.h"
#include "chitfund/domain/lot.h"
#include "e2e_http.h"

#define ADMIN_EMAIL    "root@e2e-auctions.test"
#define ADMIN_PASSWORD "admin-password-1234"
#define PASSWORD       "correct-horse-battery"
#define RS(x)          ((long long)(x)*100)

static e2e_server srv;
static char admin_token[1200];
static int seq;

static int req(const char *method, const char *path, const char *token, const char *extra,
               const char *body, e2e_resp *r)
{
	return e2e_call(srv.port, method, path, token, extra, body, r);
}

static const cJSON *jget(const cJSON *o, const char *name)
{
	return o ? cJSON_GetObjectItemCaseSensitive(o, name) : NULL;
}

static const char *jstr(const cJSON *o, const char *name)
{
	const cJSON *v = jget(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static long long jint(const cJSON *o, const char *name)
{
	const cJSON *v = jget(o, name);
	ck_assert_msg(cJSON_IsNumber(v), "%s is not a number", name);
	return (long long)v->valuedouble;
}

static void assert_problem(const e2e_resp *r, int status, const char *slug)
{
	char type[160];

	snprintf(type, sizeof type, "https://chitfund.dev/problems/%s", slug);
	ck_assert_msg(r->status == status && jstr(r->json, "type") &&
	                      strcmp(jstr(r->json, "type"), type) == 0,
	              "want %d %s, got %d: %s", status, slug, r->status, r->body);
}

static int login(const char *email, const char *password, char *access)
{
	/* no ck_assert here: main() logs the admin in outside any test */
	return e2e_login(srv.port, email, password, access, NULL, 0);
}

typedef struct user {
	char id[40];
	char token[1200];
} user;

static void make_user(const char *role, user *u)
{
	char email[128], name[64];

	snprintf(email, sizeof email, "%s.%d.%d@e2e-auctions.test", role, (int)getpid(), ++seq);
	snprintf(name, sizeof name, "Asha %d", seq);
	e2e_user(srv.port, admin_token, role, email, PASSWORD, name, u->id, sizeof u->id, u->token);
}

/* A running scheme with n tickets: ticket 1 to the foreman, ticket t to subs[t-2]. */
static void make_scheme(const user *foreman, const user *subs, int n, const char *params,
                        char scheme[40])
{
	char body[1024], path[160];
	e2e_resp r;

	snprintf(body, sizeof body, "{\"name\":\"E2E chit\",\"member_count\":%d,%s%s}", n,
	         strstr(params, "start_date") ? "" : "\"start_date\":\"2026-04-10\",", params);
	ck_assert_msg(req("POST", "/api/v1/schemes", foreman->token, NULL, body, &r) == 201, "%s",
	              r.body);
	snprintf(scheme, 40, "%s", jstr(r.json, "id"));
	e2e_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/schemes/%s/open", scheme);
	ck_assert_int_eq(req("POST", path, foreman->token, NULL, NULL, &r), 200);
	e2e_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/schemes/%s/members", scheme);
	for (int t = 1; t <= n; t++) {
		snprintf(body, sizeof body, "{\"user_id\":\"%s\",\"ticket_no\":%d}",
		         t == 1 ? foreman->id : subs[t - 2].id, t);
		ck_assert_msg(req("POST", path, foreman->token, NULL, body, &r) == 201, "%s",
		              r.body);
		e2e_resp_free(&r);
	}
	snprintf(path, sizeof path, "/api/v1/schemes/%s/commence", scheme);
	ck_assert_int_eq(req("POST", path, foreman->token, NULL,
	                     "{\"registration_no\":\"REG/E2E/1\",\"commencement_ref\":\"C/1\"}",
	                     &r),
	                 200);
	e2e_resp_free(&r);
}

static void create_and_open(const user *foreman, const char *scheme, int k, char auction[40])
{
	char body[128], path[160];
	e2e_resp r;

	snprintf(path, sizeof path, "/api/v1/schemes/%s/auctions", scheme);
	snprintf(body, sizeof body, "{\"installment_no\":%d}", k);
	ck_assert_msg(req("POST", path, foreman->token, NULL, body, &r) == 201, "%s", r.body);
	snprintf(auction, 40, "%s", jstr(r.json, "id"));
	ck_assert_str_eq(jstr(r.json, "status"), "scheduled");
	e2e_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/auctions/%s/open", auction);
	ck_assert_msg(req("POST", path, foreman->token, NULL, NULL, &r) == 200, "%s", r.body);
	ck_assert_str_eq(jstr(r.json, "status"), "open");
	ck_assert_uint_eq(strlen(jstr(r.json, "lot_commitment")), 64);
	e2e_resp_free(&r);
}

static int bid(const user *who, const char *auction, int ticket, long long discount, e2e_resp *r)
{
	char body[128], path[160];

	snprintf(path, sizeof path, "/api/v1/auctions/%s/bids", auction);
	snprintf(body, sizeof body, "{\"ticket_no\":%d,\"discount\":%lld}", ticket, discount);
	return req("POST", path, who->token, NULL, body, r);
}

static void close_draw(const user *foreman, const char *auction, e2e_resp *r)
{
	char path[160];

	snprintf(path, sizeof path, "/api/v1/auctions/%s/close", auction);
	ck_assert_msg(req("POST", path, foreman->token, NULL, NULL, r) == 200, "%s", r->body);
}

/* ---- the 20-draw schedule of domain.md ---- */

START_TEST(test_twenty_draw_schedule_over_http)
{
	static const long long bids[20] = {0,     25000, 25000, 25000, 25000, 25000, 25000,
	                                   23000, 21000, 19000, 17000, 15000, 13000, 11500,
	                                   10000, 8500,  7000,  6000,  5500,  5000};
	static const long long inst[20] = {5000, 5000, 4000, 4000, 4000, 4000, 4000,
	                                   4000, 4100, 4200, 4300, 4400, 4500, 4600,
	                                   4675, 4750, 4825, 4900, 4950, 4975};
	user foreman, subs[19];
	char scheme[40], path[160];
	long long prizes = 0, commission = 0, gst = 0, per_ticket = 0;
	e2e_resp r;

	make_user("foreman", &foreman);
	for (int i = 0; i < 19; i++)
		make_user("subscriber", &subs[i]);
	make_scheme(&foreman, subs, 20,
	            "\"chit_value\":10000000,\"commission_bps\":500,\"max_discount_bps\":2500,"
	            "\"first_prize_to_foreman\":true,\"gst_bps\":1800,\"gst_borne_by\":\"winner\"",
	            scheme);
	for (int k = 1; k <= 20; k++) {
		char auction[40];

		create_and_open(&foreman, scheme, k, auction);
		if (k == 1) {
			/* foreman's first chit takes no bids */
			bid(&subs[0], auction, 2, RS(5000), &r);
			assert_problem(&r, 409, "auction-not-open");
			e2e_resp_free(&r);
		} else if (k < 20) {
			/* a lower competing bid by the next ticket, then the winning one */
			if (bids[k - 1] > 5000) {
				ck_assert_int_eq(bid(&subs[k - 1], auction, k + 1, RS(5000), &r),
				                 201);
				e2e_resp_free(&r);
			}
			ck_assert_msg(bid(&subs[k - 2], auction, k, RS(bids[k - 1]), &r) == 201,
			              "%s", r.body);
			ck_assert_int_eq(jint(r.json, "discount"), RS(bids[k - 1]));
			e2e_resp_free(&r);
			/* a subscriber cannot bid for another's ticket */
			bid(&subs[k - 2], auction, 1, RS(25000), &r);
			assert_problem(&r, 403, "forbidden");
			e2e_resp_free(&r);
		}
		close_draw(&foreman, auction, &r);
		ck_assert_int_eq(jint(r.json, "discount"), RS(bids[k - 1]));
		ck_assert_int_eq(jint(r.json, "winner_ticket_no"), k);
		ck_assert_str_eq(jstr(r.json, "decided_by"), k == 1    ? "foreman_first"
		                                             : k == 20 ? "last_ticket"
		                                                       : "bid");
		ck_assert_int_eq(jint(r.json, "prize_amount"), RS(100000) - RS(bids[k - 1]));
		if (k > 1)
			ck_assert_int_eq(jint(r.json, "net_payout"),
			                 RS(100000) - RS(bids[k - 1]) - RS(900));
		if (k < 20)
			ck_assert_int_eq(jint(r.json, "net_subscription"), RS(inst[k]));
		else
			ck_assert(cJSON_IsNull(jget(r.json, "net_subscription")));
		prizes += jint(r.json, "prize_amount");
		commission += jint(r.json, "commission");
		gst += jint(r.json, "gst_on_commission");
		e2e_resp_free(&r);
	}
	/* a 21st draw does not exist */
	snprintf(path, sizeof path, "/api/v1/schemes/%s/auctions", scheme);
	req("POST", path, foreman.token, NULL, "{\"installment_no\":21}", &r);
	assert_problem(&r, 422, "validation-error");
	e2e_resp_free(&r);
	/* the schedule as a subscriber sees it */
	snprintf(path, sizeof path, "/api/v1/schemes/%s/schedule", scheme);
	ck_assert_int_eq(req("GET", path, subs[3].token, NULL, NULL, &r), 200);
	{
		const cJSON *items = jget(r.json, "items"), *row;
		int i = 0;

		ck_assert_int_eq(cJSON_GetArraySize(items), 20);
		cJSON_ArrayForEach(row, items)
		{
			ck_assert_str_eq(jstr(row, "status"), "settled");
			ck_assert_int_eq(jint(row, "net_subscription"), RS(inst[i]));
			ck_assert_int_eq(jint(row, "discount"), RS(bids[i]));
			ck_assert_int_eq(jint(row, "prized_ticket"), i + 1);
			per_ticket += jint(row, "net_subscription");
			i++;
		}
	}
	e2e_resp_free(&r);
	ck_assert_int_eq(per_ticket, RS(89175));
	ck_assert_int_eq(per_ticket * 20, RS(1783500));
	ck_assert_int_eq(prizes, RS(1688500));
	ck_assert_int_eq(commission, RS(95000));
	ck_assert_int_eq(prizes + commission, RS(1783500));
	ck_assert_int_eq(gst, RS(17100));
	/* the auctions list */
	snprintf(path, sizeof path, "/api/v1/schemes/%s/auctions?limit=5", scheme);
	ck_assert_int_eq(req("GET", path, subs[0].token, NULL, NULL, &r), 200);
	ck_assert_int_eq(cJSON_GetArraySize(jget(r.json, "items")), 5);
	ck_assert_ptr_nonnull(jstr(r.json, "next_cursor"));
	e2e_resp_free(&r);
}
END_TEST

/* ---- sealed tie decided by a verifiable lot ---- */

static void sha_hex(const char *s, char out[65])
{
	uint8_t d[32];

	cf_test_sha256(s, strlen(s), d);
	cf_lot_hex(d, out);
}

START_TEST(test_sealed_tie_lot_verified_from_minutes)
{
	user foreman, subs[3], other;
	char scheme[40], auction[40], path[160], hex[65], msg[512];
	e2e_resp r, m;

	make_user("foreman", &foreman);
	for (int i = 0; i < 3; i++)
		make_user("subscriber", &subs[i]);
	make_user("subscriber", &other);
	make_scheme(
	        &foreman, subs, 4,
	        "\"chit_value\":4000000,\"auction_method\":\"sealed\",\"max_discount_bps\":4000",
	        scheme);
	create_and_open(&foreman, scheme, 1, auction);
	ck_assert_int_eq(bid(&subs[0], auction, 2, RS(12000), &r), 201);
	e2e_resp_free(&r);
	ck_assert_int_eq(bid(&subs[1], auction, 3, RS(9000), &r), 201);
	e2e_resp_free(&r);
	ck_assert_int_eq(bid(&subs[2], auction, 4, RS(12000), &r), 201);
	e2e_resp_free(&r);
	bid(&subs[0], auction, 2, RS(13000), &r);
	assert_problem(&r, 422, "bid-already-placed");
	e2e_resp_free(&r);
	bid(&subs[0], auction, 2, RS(16001), &r);
	assert_problem(&r, 422, "bid-already-placed");
	e2e_resp_free(&r);
	/* sealed: a subscriber sees only the count; staff see the bids */
	snprintf(path, sizeof path, "/api/v1/auctions/%s", auction);
	ck_assert_int_eq(req("GET", path, subs[1].token, NULL, NULL, &r), 200);
	ck_assert(cJSON_IsNull(jget(r.json, "standing_discount")));
	ck_assert_int_eq(jint(r.json, "bid_count"), 3);
	ck_assert_ptr_null(jget(r.json, "bids"));
	e2e_resp_free(&r);
	ck_assert_int_eq(req("GET", path, foreman.token, NULL, NULL, &r), 200);
	ck_assert_int_eq(cJSON_GetArraySize(jget(r.json, "bids")), 3);
	e2e_resp_free(&r);
	/* a user outside the scheme sees nothing */
	ck_assert_int_eq(req("GET", path, other.token, NULL, NULL, &r), 404);
	e2e_resp_free(&r);
	/* minutes do not exist before the close */
	snprintf(path, sizeof path, "/api/v1/auctions/%s/minutes", auction);
	ck_assert_int_eq(req("GET", path, foreman.token, NULL, NULL, &r), 404);
	e2e_resp_free(&r);
	/* close with a place and those present */
	snprintf(path, sizeof path, "/api/v1/auctions/%s/close", auction);
	snprintf(msg, sizeof msg,
	         "{\"place\":\"Branch office, Thrissur\",\"present\":[\"%s\",\"%s\"]}", subs[0].id,
	         subs[2].id);
	ck_assert_msg(req("POST", path, foreman.token, NULL, msg, &r) == 200, "%s", r.body);
	ck_assert_str_eq(jstr(r.json, "decided_by"), "lot");
	ck_assert_int_eq(jint(r.json, "discount"), RS(12000));
	{
		const cJSON *proof = jget(r.json, "lot_proof");
		long long w = jint(r.json, "winner_ticket_no");

		ck_assert(w == 2 || w == 4);
		ck_assert_int_eq(cJSON_GetArraySize(jget(proof, "candidates")), 2);
	}
	e2e_resp_free(&r);
	/* re-verify from the minutes, as anyone with sha256sum could */
	snprintf(path, sizeof path, "/api/v1/auctions/%s/minutes", auction);
	ck_assert_int_eq(req("GET", path, subs[1].token, NULL, NULL, &m), 200);
	{
		const cJSON *proof = jget(m.json, "lot_proof"), *c;
		const char *seed = jstr(proof, "seed"), *commitment = jstr(proof, "commitment");
		char text[256];
		size_t o, idx = (size_t)jint(proof, "index"), count = 0;
		uint8_t d[32];
		int32_t cands[8];

		ck_assert_ptr_nonnull(seed);
		sha_hex(seed, hex);
		ck_assert_str_eq(hex, commitment);
		o = (size_t)snprintf(text, sizeof text, "%s%s", seed, auction);
		cJSON_ArrayForEach(c, jget(proof, "candidates"))
		{
			o += (size_t)snprintf(text + o, sizeof text - o, "%s%d", count ? "," : "",
			                      (int)c->valuedouble);
			cands[count++] = (int32_t)c->valuedouble;
		}
		ck_assert_str_eq(text + strlen(seed) + 36, "2,4");
		cf_test_sha256(text, strlen(text), d);
		{
			uint64_t v = 0;

			for (int i = 0; i < 8; i++)
				v = (v << 8) | d[i];
			ck_assert_uint_eq(v % count, idx);
		}
		ck_assert_int_eq(cands[idx], jint(jget(m.json, "result"), "winner_ticket_no"));
		ck_assert_str_eq(jstr(m.json, "place"), "Branch office, Thrissur");
		ck_assert_int_eq(cJSON_GetArraySize(jget(m.json, "present")), 2);
		ck_assert_int_eq(cJSON_GetArraySize(jget(m.json, "bids")), 3);
		ck_assert_ptr_nonnull(jstr(jget(m.json, "foreman"), "full_name"));
	}
	/* the server's verifier agrees, and refuses a tampered index */
	{
		const char *args[] = {"verify-lot", "-", NULL};
		char out[1024];
		cJSON *bad;

		ck_assert_int_eq(e2e_server_run(&srv, args, m.body, out, sizeof out), 0);
		bad = cJSON_Duplicate(m.json, 1);
		cJSON *proof = cJSON_GetObjectItemCaseSensitive(bad, "lot_proof");
		int idx = (int)jint(proof, "index");
		cJSON_ReplaceItemInObject(proof, "index", cJSON_CreateNumber(1 - idx));
		char *text = cJSON_PrintUnformatted(bad);
		ck_assert_int_ne(e2e_server_run(&srv, args, text, out, sizeof out), 0);
		free(text);
		cJSON_Delete(bad);
	}
	e2e_resp_free(&m);
	/* printable minutes */
	ck_assert_int_eq(req("GET", path, foreman.token, "Accept: text/plain\r\n", NULL, &r), 200);
	ck_assert_ptr_nonnull(strstr(r.body, "MINUTES OF THE DRAW"));
	ck_assert_ptr_nonnull(strstr(r.body, "Branch office, Thrissur"));
	ck_assert_ptr_nonnull(strstr(r.body, ", Foreman"));
	ck_assert_ptr_nonnull(strstr(r.body, "Lot seed:"));
	e2e_resp_free(&r);
	/* closing twice */
	snprintf(path, sizeof path, "/api/v1/auctions/%s/close", auction);
	req("POST", path, foreman.token, NULL, NULL, &r);
	assert_problem(&r, 409, "auction-not-open");
	e2e_resp_free(&r);
}
END_TEST

/* ---- refusals and lifecycle over HTTP ---- */

START_TEST(test_refusals_over_http)
{
	user foreman, subs[3];
	char scheme[40], auction[40], path[160];
	e2e_resp r;

	make_user("foreman", &foreman);
	for (int i = 0; i < 3; i++)
		make_user("subscriber", &subs[i]);
	make_scheme(&foreman, subs, 4, "\"chit_value\":4000000,\"max_discount_bps\":4000", scheme);
	snprintf(path, sizeof path, "/api/v1/schemes/%s/auctions", scheme);
	req("POST", path, foreman.token, NULL, "{\"installment_no\":2}", &r);
	assert_problem(&r, 409, "previous-draw-unsettled");
	e2e_resp_free(&r);
	req("POST", path, subs[0].token, NULL, "{\"installment_no\":1}", &r);
	assert_problem(&r, 403, "forbidden");
	e2e_resp_free(&r);
	req("POST", path, foreman.token, NULL, "{\"installment_no\":1,\"extra\":1}", &r);
	assert_problem(&r, 422, "validation-error");
	e2e_resp_free(&r);
	create_and_open(&foreman, scheme, 1, auction);
	req("POST", path, foreman.token, NULL, "{\"installment_no\":1}", &r);
	assert_problem(&r, 409, "auction-exists");
	e2e_resp_free(&r);
	/* C = 2,000; ceiling 16,000; increment 100 */
	bid(&subs[0], auction, 2, RS(16100), &r);
	assert_problem(&r, 422, "bid-above-cap");
	e2e_resp_free(&r);
	bid(&subs[0], auction, 2, RS(1900), &r);
	assert_problem(&r, 422, "bid-below-floor");
	e2e_resp_free(&r);
	bid(&subs[0], auction, 2, RS(3050), &r);
	assert_problem(&r, 422, "bid-not-multiple");
	e2e_resp_free(&r);
	ck_assert_int_eq(bid(&subs[0], auction, 2, RS(3000), &r), 201);
	e2e_resp_free(&r);
	bid(&subs[1], auction, 3, RS(3000), &r);
	assert_problem(&r, 422, "bid-not-higher");
	e2e_resp_free(&r);
	/* the foreman bids for ticket 3 as a proxy */
	ck_assert_int_eq(bid(&foreman, auction, 3, RS(4000), &r), 201);
	ck_assert_str_eq(jstr(r.json, "proxy_by"), foreman.id);
	e2e_resp_free(&r);
	/* subscribers see the standing discount, not the bids */
	snprintf(path, sizeof path, "/api/v1/auctions/%s", auction);
	ck_assert_int_eq(req("GET", path, subs[2].token, NULL, NULL, &r), 200);
	ck_assert_int_eq(jint(r.json, "standing_discount"), RS(4000));
	ck_assert_ptr_null(jget(r.json, "bids"));
	e2e_resp_free(&r);
	close_draw(&foreman, auction, &r);
	ck_assert_int_eq(jint(r.json, "winner_ticket_no"), 3);
	e2e_resp_free(&r);
	create_and_open(&foreman, scheme, 2, auction);
	bid(&subs[1], auction, 3, RS(4000), &r);
	assert_problem(&r, 422, "ticket-already-prized");
	e2e_resp_free(&r);
	bid(&foreman, auction, 9, RS(4000), &r);
	assert_problem(&r, 422, "ticket-not-eligible");
	e2e_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/auctions/%s", "not-a-uuid");
	ck_assert_int_eq(req("GET", path, foreman.token, NULL, NULL, &r), 404);
	e2e_resp_free(&r);
}
END_TEST

/* ---- KSFE profile: prompt payers share ---- */

static void pay(const user *who, const char *scheme, int ticket, long long amount)
{
	char body[256], hdr[128];
	e2e_resp r;

	snprintf(body, sizeof body,
	         "{\"scheme_id\":\"%s\",\"ticket_no\":%d,\"amount\":%lld,\"method\":\"cash\"}",
	         scheme, ticket, amount);
	snprintf(hdr, sizeof hdr, "Idempotency-Key: ksfe-%s-%d\r\n", scheme, ticket);
	ck_assert_msg(req("POST", "/api/v1/payments", who->token, hdr, body, &r) == 201, "%s",
	              r.body);
	e2e_resp_free(&r);
}

START_TEST(test_ksfe_prompt_payers_over_http)
{
	user foreman, subs[4];
	char scheme[40], auction[40], path[160];
	e2e_resp r;

	make_user("foreman", &foreman);
	for (int i = 0; i < 4; i++)
		make_user("subscriber", &subs[i]);
	/* installment 1 fell due on 2026-03-10; the servers' clock starts on 2026-04-01 */
	make_scheme(&foreman, subs, 5,
	            "\"chit_value\":5000000,\"rules_profile\":\"in-kerala-ksfe\","
	            "\"max_discount_bps\":4000,\"start_date\":\"2026-03-10\"",
	            scheme);
	snprintf(path, sizeof path, "/api/v1/schemes/%s", scheme);
	ck_assert_int_eq(req("GET", path, foreman.token, NULL, NULL, &r), 200);
	ck_assert_str_eq(jstr(r.json, "dividend_policy"), "prompt_payers");
	e2e_resp_free(&r);
	/* tickets 1, 2, 3 pay installment 1 (10,000); 4 and 5 are overdue */
	for (int t = 1; t <= 3; t++)
		pay(&foreman, scheme, t, RS(10000));
	create_and_open(&foreman, scheme, 1, auction);
	bid(&subs[2], auction, 4, RS(15000), &r);
	assert_problem(&r, 422, "ticket-in-default");
	e2e_resp_free(&r);
	ck_assert_int_eq(bid(&subs[1], auction, 3, RS(15000), &r), 201);
	e2e_resp_free(&r);
	close_draw(&foreman, auction, &r);
	/* (15,000 - 2,500) shared by the 3 prompt payers: 4,166.66 each, 0.02 carried */
	ck_assert_int_eq(jint(r.json, "winner_ticket_no"), 3);
	ck_assert_int_eq(jint(r.json, "dividend_shares"), 3);
	ck_assert_int_eq(jint(r.json, "dividend_per_ticket"), 416666);
	ck_assert_int_eq(jint(r.json, "remainder_carried"), 2);
	ck_assert_int_eq(jint(r.json, "net_subscription"), RS(10000) - 416666);
	e2e_resp_free(&r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("e2e_auctions");
	TCase *tc = tcase_create("draws");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_twenty_draw_schedule_over_http);
	tcase_add_test(tc, test_sealed_tie_lot_verified_from_minutes);
	tcase_add_test(tc, test_refusals_over_http);
	tcase_add_test(tc, test_ksfe_prompt_payers_over_http);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	static const char *const create_admin[] = {
	        "create-admin", "--email",          ADMIN_EMAIL, "--full-name",
	        "Root",         "--password-stdin", NULL};
	char out[1024];

	if (e2e_server_start(&srv, NULL) < 0)
		return e2e_setup_failed(&srv);
	if (e2e_server_run(&srv, create_admin, ADMIN_PASSWORD "\n", out, sizeof out) != 0 ||
	    login(ADMIN_EMAIL, ADMIN_PASSWORD, admin_token) != 200) {
		fprintf(stderr, "test_e2e_auctions: create-admin/login failed: %s\n", out);
		return e2e_setup_failed(&srv);
	}
	return e2e_run_suite(&srv, suite());
}
