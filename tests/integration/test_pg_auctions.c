/*
 * test_pg_auctions.c - draws on a real PostgreSQL through the use cases:
 * settlement atomicity (a fault injected after any repository statement of
 * a close leaves no partial draw: no result, credits, ledger lines, minutes
 * or prized ticket, the auction still open), the ledger lines of a
 * settlement and GST (balanced per event; the database refuses an
 * unbalanced event at commit and any UPDATE), and concurrent bids from
 * many threads serialised by the auction row lock (accepted bids strictly
 * increasing in seq order, no duplicate seq).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "cf_test_app.h"
#include "chitfund.h"
#include "chitfund/adapters/memory.h"
#include "chitfund/adapters/postgres.h"
#include "chitfund/adapters/postgres_money.h"
#include "chitfund/auctions.h"
#include "chitfund/sys/ports.h"
#include "it_db.h"

#define RS(x) ((int64_t)(x)*100)

static cf_pg_pool *g_pool;
static cf_pg_store *g_store;
static cf_memory_clock *g_clock;
static cf_memory_rng *g_rng;
static cf_ports g_inner; /* the adapter's ports */
static cf_ports g_ports; /* with the fault-injecting wrapper */
static cf_app *g_app;
static cf_actor g_sys, g_foreman, g_subs[4];
static char g_scheme[CF_ID_SIZE];

/* ---- fault injection: the k-th auctions/ledger call runs, then fails ---- */

static pthread_mutex_t g_fault_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_fail_at, g_calls;

static int fault(int rc)
{
	int fail;

	pthread_mutex_lock(&g_fault_mu);
	g_calls++;
	fail = g_fail_at > 0 && g_calls == g_fail_at;
	pthread_mutex_unlock(&g_fault_mu);
	return (rc == CF_OK && fail) ? CF_EUNAVAILABLE : rc;
}

static int arm(int k)
{
	int n;

	pthread_mutex_lock(&g_fault_mu);
	n = g_calls;
	g_calls = 0;
	g_fail_at = k;
	pthread_mutex_unlock(&g_fault_mu);
	return n;
}

#define A (&g_inner.auctions)
static int w_insert(void *s, cf_tx *tx, const cf_auction_row *a)
{
	(void)s;
	return fault(A->insert(A->self, tx, a));
}
static int w_get(void *s, cf_tx *tx, const char *id, cf_auction_row *o)
{
	(void)s;
	return fault(A->get(A->self, tx, id, o));
}
static int w_lock(void *s, cf_tx *tx, const char *id, cf_auction_row *o)
{
	(void)s;
	return fault(A->lock(A->self, tx, id, o));
}
static int w_get_inst(void *s, cf_tx *tx, const char *sc, int32_t k, cf_auction_row *o)
{
	(void)s;
	return fault(A->get_by_installment(A->self, tx, sc, k, o));
}
static int w_update(void *s, cf_tx *tx, cf_auction_row *a)
{
	(void)s;
	return fault(A->update(A->self, tx, a));
}
static int w_list(void *s, cf_tx *tx, const char *sc, int32_t af, size_t l, cf_auction_row_array *o)
{
	(void)s;
	return fault(A->list_by_scheme(A->self, tx, sc, af, l, o));
}
static int w_due(void *s, cf_tx *tx, int64_t now, size_t l, cf_auction_row_array *o)
{
	(void)s;
	return fault(A->list_due(A->self, tx, now, l, o));
}
static int w_bid_insert(void *s, cf_tx *tx, const cf_bid_row *b)
{
	(void)s;
	return fault(A->bid_insert(A->self, tx, b));
}
static int w_bid_list(void *s, cf_tx *tx, const char *id, cf_bid_row_array *o)
{
	(void)s;
	return fault(A->bid_list(A->self, tx, id, o));
}
static int w_bid_tmax(void *s, cf_tx *tx, const char *id, int32_t t, bool *f, cf_money *m)
{
	(void)s;
	return fault(A->bid_ticket_max(A->self, tx, id, t, f, m));
}
static int w_bid_append(void *s, cf_tx *tx, const cf_bid_row *b, cf_auction_row *a)
{
	(void)s;
	return fault(A->bid_append(A->self, tx, b, a));
}
static int w_r_insert(void *s, cf_tx *tx, const cf_auction_result *r)
{
	(void)s;
	return fault(A->result_insert(A->self, tx, r));
}
static int w_r_get(void *s, cf_tx *tx, const char *id, cf_auction_result *o)
{
	(void)s;
	return fault(A->result_get(A->self, tx, id, o));
}
static int w_r_list(void *s, cf_tx *tx, const char *sc, cf_auction_result_array *o)
{
	(void)s;
	return fault(A->result_list_by_scheme(A->self, tx, sc, o));
}
static int w_mn_put(void *s, cf_tx *tx, const char *id, const char *j, const char *t)
{
	(void)s;
	return fault(A->minutes_put(A->self, tx, id, j, t));
}
static int w_mn_get(void *s, cf_tx *tx, const char *id, bool as_text, char **o)
{
	int rc;

	(void)s;
	rc = fault(A->minutes_get(A->self, tx, id, as_text, o));
	if (rc < 0 && *o) {
		free(*o);
		*o = NULL;
	}
	return rc;
}
static int w_c_insert(void *s, cf_tx *tx, const cf_dividend_credit *c, size_t n)
{
	(void)s;
	return fault(A->credit_insert(A->self, tx, c, n));
}
static int w_c_list(void *s, cf_tx *tx, const char *sc, cf_dividend_credit_array *o)
{
	(void)s;
	return fault(A->credit_list(A->self, tx, sc, o));
}
static int w_l_post(void *s, cf_tx *tx, const cf_ledger_line *l, size_t n)
{
	(void)s;
	return fault(g_inner.ledger.post(g_inner.ledger.self, tx, l, n));
}
static int w_l_list(void *s, cf_tx *tx, const char *sc, cf_ledger_line_array *o)
{
	(void)s;
	return fault(g_inner.ledger.list_by_scheme(g_inner.ledger.self, tx, sc, o));
}
static int w_publish(void *s, cf_tx *tx, const char *k, const char *j)
{
	(void)s;
	return fault(g_inner.events.publish(g_inner.events.self, tx, k, j));
}
#undef A

static uint64_t g_setups;

static void setup(void)
{
	cf_error err = CF_ERROR_INIT;

	g_pool = cf_it_pool(20, 5000);
	ck_assert_int_eq(cf_pg_store_new(&g_store, g_pool), CF_OK);
	memset(&g_inner, 0, sizeof g_inner);
	cf_pg_store_ports(g_store, &g_inner);
	cf_pg_money_ports(g_store, &g_inner); /* the close also runs the money side's hook */
	ck_assert_int_eq(cf_memory_clock_new(&g_clock, CF_TEST_T0_MS), CF_OK);
	/* pid and a per-test count: distinct ids when the tests share a process (CK_FORK=no) */
	ck_assert_int_eq(cf_memory_rng_new(&g_rng, ((uint64_t)getpid() << 32) | ++g_setups), CF_OK);
	g_inner.clock = cf_memory_clock_port(g_clock);
	g_inner.clock.sleep_ms = NULL;
	g_inner.rng = cf_memory_rng_port(g_rng);
	g_inner.digest = cf_memory_digest_port();
	g_inner.hasher = cf_memory_fake_hasher_port();
	g_inner.signer = cf_memory_fake_signer_port();
	g_inner.cipher = cf_test_cipher_port();
	ck_assert_uint_eq(g_inner.auctions.version, CF_AUCTION_REPO_VERSION);
	g_ports = g_inner;
	g_ports.auctions = (cf_auction_repo){CF_AUCTION_REPO_VERSION,
	                                     NULL,
	                                     w_insert,
	                                     w_get,
	                                     w_lock,
	                                     w_get_inst,
	                                     w_update,
	                                     w_list,
	                                     w_due,
	                                     w_bid_insert,
	                                     w_bid_list,
	                                     w_r_insert,
	                                     w_r_get,
	                                     w_r_list,
	                                     w_mn_put,
	                                     w_mn_get,
	                                     w_c_insert,
	                                     w_c_list,
	                                     w_bid_tmax,
	                                     w_bid_append};
	g_ports.ledger = (cf_ledger_repo){CF_LEDGER_REPO_VERSION, NULL, w_l_post, w_l_list};
	g_ports.events = (cf_event_sink){CF_EVENT_SINK_VERSION, NULL, w_publish};
	arm(0);
	ck_assert_msg(cf_app_new(&g_app, &g_ports, NULL, &err) == CF_OK, "%s", err.message);
	cf_actor_anonymous(&g_sys, "it", "");
	g_sys.role = CF_ROLE_SYSTEM;
}

static void teardown(void)
{
	cf_app_free(g_app);
	g_app = NULL;
	cf_pg_store_free(g_store);
	cf_pg_pool_close(g_pool);
	cf_memory_clock_free(g_clock);
	cf_memory_rng_free(g_rng);
}

static void make_user(cf_role role, cf_actor *a)
{
	char email[96], u[32];
	cf_user_create_req req;
	cf_user out;
	cf_error err = CF_ERROR_INIT;

	snprintf(email, sizeof email, "u%s@example.com", cf_it_unique(u, sizeof u));
	req = (cf_user_create_req){email, "correct horse battery", "Asha Menon", NULL, role};
	ck_assert_msg(cf_users_create(g_app, &g_sys, &req, &out, &err) == CF_OK, "%s", err.message);
	cf_actor_anonymous(a, "it", "127.0.0.1");
	memcpy(a->user_id, out.id, sizeof a->user_id);
	a->role = role;
}

/* A running scheme: V = 1,00,000, N = 5, c = 5%, ceiling 40%; foreman holds ticket 1. */
static void make_scheme(int32_t n)
{
	cf_scheme_create_req req;
	cf_scheme s;
	cf_error err = CF_ERROR_INIT;

	make_user(CF_ROLE_FOREMAN, &g_foreman);
	for (int i = 0; i < 4; i++)
		make_user(CF_ROLE_SUBSCRIBER, &g_subs[i]);
	memset(&req, 0, sizeof req);
	req.name = "IT chit";
	cf_scheme_params_init(&req.params);
	req.params.chit_value = cf_money_of(RS(100000));
	req.params.member_count = n;
	req.params.start_date = (cf_date){2026, 4, 10};
	req.params.max_discount_bps = 4000;
	req.given = CF_SP_MAX_DISCOUNT_BPS;
	ck_assert_msg(cf_scheme_create(g_app, &g_foreman, &req, &s, &err) == CF_OK, "%s",
	              err.message);
	memcpy(g_scheme, s.id, sizeof g_scheme);
	ck_assert_int_eq(cf_scheme_open(g_app, &g_foreman, g_scheme, &s, NULL), CF_OK);
	for (int32_t t = 1; t <= n; t++) {
		cf_enrol_req er = {t == 1 ? g_foreman.user_id : g_subs[(t - 2) % 4].user_id, t};
		cf_ticket tk;

		ck_assert_int_eq(cf_scheme_enrol(g_app, &g_foreman, g_scheme, &er, &tk, &err),
		                 CF_OK);
	}
	ck_assert_int_eq(cf_scheme_commence(g_app, &g_foreman, g_scheme, "R/1", "C/1", &s, &err),
	                 CF_OK);
}

static int64_t sql_count(const char *sql_fmt)
{
	char sql[512];
	cf_pg_conn *c = NULL;
	PGresult *r;
	int64_t v = -1;

	snprintf(sql, sizeof sql, sql_fmt, g_scheme);
	ck_assert_int_eq(cf_pg_pool_acquire(g_pool, &c, NULL), CF_OK);
	r = PQexec(cf_pg_conn_pg(c), sql);
	ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK, "%s", PQerrorMessage(cf_pg_conn_pg(c)));
	ck_assert_int_eq(cf_pg_get_int64(r, 0, 0, &v), CF_OK);
	PQclear(r);
	cf_pg_pool_release(g_pool, c);
	return v;
}

static void open_with_bids(char id[CF_ID_SIZE])
{
	cf_auction_create_req req = {1, 0, 0, 0};
	cf_auction_view v;
	cf_error err = CF_ERROR_INIT;
	cf_bid_result br;
	cf_bid_req b1 = {2, cf_money_of(RS(20000))}, b2 = {3, cf_money_of(RS(30000))};

	ck_assert_int_eq(cf_auction_create(g_app, &g_foreman, g_scheme, &req, &v, &err), CF_OK);
	memcpy(id, v.a.id, CF_ID_SIZE);
	cf_auction_view_free(&v);
	ck_assert_int_eq(cf_auction_open(g_app, &g_foreman, id, &v, &err), CF_OK);
	cf_auction_view_free(&v);
	ck_assert_int_eq(cf_auction_bid(g_app, &g_subs[0], id, &b1, &br, &err), CF_OK);
	ck_assert_int_eq(cf_auction_bid(g_app, &g_subs[1], id, &b2, &br, &err), CF_OK);
}

static void assert_no_partial_draw(int k)
{
	ck_assert_msg(sql_count("SELECT count(*) FROM auction_results WHERE scheme_id = '%s'") == 0,
	              "k=%d: result", k);
	ck_assert_msg(sql_count("SELECT count(*) FROM dividend_credits WHERE scheme_id = '%s'") ==
	                      0,
	              "k=%d: credits", k);
	ck_assert_msg(sql_count("SELECT count(*) FROM ledger_postings WHERE scheme_id = '%s' AND "
	                        "event <> 'demand'") == 0,
	              "k=%d: ledger", k);
	/* the money side's part of the close: the prize, installment 2 fixed and demanded */
	ck_assert_msg(sql_count("SELECT count(*) FROM prizes WHERE scheme_id = '%s'") == 0,
	              "k=%d: prize", k);
	ck_assert_msg(sql_count("SELECT count(*) FROM installment_dues WHERE scheme_id = '%s' AND "
	                        "installment_no = 2 AND fixed") == 0,
	              "k=%d: installment 2 fixed", k);
	ck_assert_msg(sql_count("SELECT count(DISTINCT event_id) FROM ledger_postings WHERE "
	                        "scheme_id = '%s' AND event = 'demand'") == 1,
	              "k=%d: demands", k);
	ck_assert_msg(sql_count("SELECT count(*) FROM auction_minutes m JOIN auctions a ON "
	                        "a.id = m.auction_id WHERE a.scheme_id = '%s'") == 0,
	              "k=%d: minutes", k);
	ck_assert_msg(sql_count("SELECT count(*) FROM tickets WHERE prized AND scheme_id = '%s'") ==
	                      0,
	              "k=%d: prized", k);
	ck_assert_msg(sql_count("SELECT count(*) FROM auctions WHERE status = 'open' AND "
	                        "scheme_id = '%s'") == 1,
	              "k=%d: status", k);
}

START_TEST(test_close_atomic_after_every_statement)
{
	char id[CF_ID_SIZE];
	cf_auction_result r;
	cf_error err = CF_ERROR_INIT;
	int calls, k;

	make_scheme(5);
	open_with_bids(id);
	/* measure: one successful run would make `calls` repository calls; find them by
	 * failing later and later until the close succeeds */
	for (k = 1; k < 200; k++) {
		arm(k);
		if (cf_auction_close(g_app, &g_foreman, id, NULL, &r, &err) == CF_OK)
			break;
		calls = arm(0);
		ck_assert_int_ge(calls, k);
		assert_no_partial_draw(k);
	}
	arm(0);
	ck_assert_int_gt(k, 8); /* every statement of the close was tried */
	ck_assert_int_eq(r.s.winner_ticket_no, 3);
	ck_assert_int_eq(r.s.discount.minor, RS(30000));
	/* C = 5,000; dividend (30,000 - 5,000) / 5 = 5,000; GST 900 by the winner */
	ck_assert_int_eq(r.s.dividend_per_ticket.minor, RS(5000));
	ck_assert_int_eq(r.s.net_payout.minor, RS(70000) - RS(900));
	ck_assert_int_eq(sql_count("SELECT count(*) FROM auction_results WHERE scheme_id = '%s'"),
	                 1);
	ck_assert_int_eq(sql_count("SELECT count(*) FROM dividend_credits WHERE scheme_id = '%s' "
	                           "AND installment_no = 2 AND amount = 500000"),
	                 5);
	ck_assert_int_eq(
	        sql_count("SELECT count(*) FROM tickets WHERE prized AND "
	                  "prized_installment_no = 1 AND ticket_no = 3 AND scheme_id = '%s'"),
	        1);
	/* ledger: balanced per event; the accounts of domain.md */
	ck_assert_int_eq(sql_count("SELECT count(*) FROM (SELECT event_id FROM ledger_postings "
	                           "WHERE scheme_id = '%s' GROUP BY event_id HAVING sum(amount) "
	                           "<> 0) x"),
	                 0);
	ck_assert_int_eq(sql_count("SELECT count(DISTINCT event_id) FROM ledger_postings WHERE "
	                           "scheme_id = '%s' AND event IN ('draw', 'gst')"),
	                 2);
	ck_assert_int_eq(sql_count("SELECT count(*) FROM prizes WHERE scheme_id = '%s' AND "
	                           "ticket_no = 3 AND prize_amount = 7000000"),
	                 1);
	ck_assert_int_eq(
	        sql_count("SELECT count(*) FROM installment_dues WHERE scheme_id = '%s' AND "
	                  "installment_no = 2 AND fixed AND dividend = 500000 AND "
	                  "net_due = 1500000"),
	        5);
	ck_assert_int_eq(sql_count("SELECT sum(amount) FROM ledger_postings WHERE scheme_id = '%s' "
	                           "AND account = 'scheme_pool' AND event IN ('draw', 'gst')"),
	                 RS(100000));
	ck_assert_int_eq(sql_count("SELECT sum(amount) FROM ledger_postings WHERE scheme_id = '%s' "
	                           "AND account = 'prize_payable/3'"),
	                 -RS(70000) + RS(900));
	ck_assert_int_eq(sql_count("SELECT sum(amount) FROM ledger_postings WHERE scheme_id = '%s' "
	                           "AND account = 'gst_payable'"),
	                 -RS(900));
	ck_assert_int_eq(
	        sql_count("SELECT sum(amount) FROM ledger_postings WHERE scheme_id = '%s' "
	                  "AND account LIKE 'member_receivable/%%' AND event IN ('draw', 'gst')"),
	        -RS(25000));
	/* closing again: settled */
	ck_assert_int_eq(cf_auction_close(g_app, &g_foreman, id, NULL, &r, &err), CF_ECONFLICT);
	ck_assert_str_eq(err.slug, "auction-not-open");
}
END_TEST

START_TEST(test_ledger_refuses_unbalanced_and_updates)
{
	cf_pg_conn *c = NULL;
	PGresult *r;
	char sql[512];

	make_scheme(4);
	ck_assert_int_eq(cf_pg_pool_acquire(g_pool, &c, NULL), CF_OK);
	snprintf(sql, sizeof sql,
	         "INSERT INTO ledger_postings (event_id, event, scheme_id, account, amount, "
	         "posted_at) VALUES ('11111111-1111-4111-8111-111111111111', 'draw', '%s', "
	         "'cash', 100, now())",
	         g_scheme);
	r = PQexec(cf_pg_conn_pg(c), sql); /* autocommit: the deferred check runs now */
	ck_assert_int_ne(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	snprintf(sql, sizeof sql,
	         "INSERT INTO ledger_postings (event_id, event, scheme_id, account, amount, "
	         "posted_at) VALUES ('22222222-2222-4222-8222-222222222222', 'draw', '%s', "
	         "'cash', 100, now()), ('22222222-2222-4222-8222-222222222222', 'draw', '%s', "
	         "'scheme_pool', -100, now())",
	         g_scheme, g_scheme);
	r = PQexec(cf_pg_conn_pg(c), sql);
	ck_assert_int_eq(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	r = PQexec(cf_pg_conn_pg(c), "UPDATE ledger_postings SET amount = 1");
	ck_assert_int_ne(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	cf_pg_pool_release(g_pool, c);
}
END_TEST

/* ---- concurrent bids ---- */

#define BIDDERS 9
#define ROUNDS  6

typedef struct bidder {
	const char *auction_id;
	const cf_actor *actor;
	int32_t ticket;
	int accepted, refused, other;
} bidder;

static void *bid_thread(void *arg)
{
	bidder *b = arg;

	for (int i = 0; i < ROUNDS; i++) {
		cf_auction_view v;
		cf_error err = CF_ERROR_INIT;
		cf_bid_result r;
		cf_bid_req q;
		int64_t next;

		if (cf_auction_get(g_app, b->actor, b->auction_id, &v, NULL) != CF_OK) {
			b->other++;
			continue;
		}
		next = v.a.has_standing ? v.a.standing_discount.minor + RS(1000) : RS(5000);
		cf_auction_view_free(&v);
		if (next > RS(40000))
			break;
		q = (cf_bid_req){b->ticket, cf_money_of(next)};
		int rc = cf_auction_bid(g_app, b->actor, b->auction_id, &q, &r, &err);
		if (rc == CF_OK)
			b->accepted++;
		else if (strcmp(err.slug, "bid-not-higher") == 0)
			b->refused++;
		else
			b->other++;
	}
	return NULL;
}

START_TEST(test_concurrent_bids_serialise)
{
	cf_auction_create_req req = {1, 0, 0, 0};
	cf_auction_view v;
	cf_error err = CF_ERROR_INIT;
	char id[CF_ID_SIZE];
	bidder b[BIDDERS];
	pthread_t th[BIDDERS];
	int accepted = 0;

	make_scheme(BIDDERS + 1);
	ck_assert_int_eq(cf_auction_create(g_app, &g_foreman, g_scheme, &req, &v, &err), CF_OK);
	memcpy(id, v.a.id, sizeof id);
	cf_auction_view_free(&v);
	ck_assert_int_eq(cf_auction_open(g_app, &g_foreman, id, &v, &err), CF_OK);
	cf_auction_view_free(&v);
	for (int i = 0; i < BIDDERS; i++) {
		b[i] = (bidder){id, &g_foreman, i + 2, 0, 0, 0}; /* proxy bids for each ticket */
		ck_assert_int_eq(pthread_create(&th[i], NULL, bid_thread, &b[i]), 0);
	}
	for (int i = 0; i < BIDDERS; i++) {
		pthread_join(th[i], NULL);
		accepted += b[i].accepted;
		ck_assert_int_eq(b[i].other, 0);
	}
	ck_assert_int_gt(accepted, 0);
	/* the stored bids: seq 1..n gapless, each strictly above the one before */
	ck_assert_int_eq(sql_count("SELECT count(*) FROM bids b JOIN auctions a ON a.id = "
	                           "b.auction_id WHERE a.scheme_id = '%s'"),
	                 accepted);
	ck_assert_int_eq(
	        sql_count("SELECT count(*) FROM (SELECT seq, discount, lag(discount) OVER "
	                  "(ORDER BY seq) AS prev FROM bids b JOIN auctions a ON a.id = "
	                  "b.auction_id WHERE a.scheme_id = '%s') x WHERE prev IS NOT NULL "
	                  "AND discount <= prev"),
	        0);
	ck_assert_int_eq(sql_count("SELECT max(seq) FROM bids b JOIN auctions a ON a.id = "
	                           "b.auction_id WHERE a.scheme_id = '%s'"),
	                 accepted);
	ck_assert_int_eq(sql_count("SELECT bid_count FROM auctions WHERE scheme_id = '%s'"),
	                 accepted);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pg_auctions");
	TCase *tc = tcase_create("draws");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_close_atomic_after_every_statement);
	tcase_add_test(tc, test_ledger_refuses_unbalanced_and_updates);
	tcase_add_test(tc, test_concurrent_bids_serialise);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return cf_it_run("auctions", suite());
}
