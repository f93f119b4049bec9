/*
 * test_pg_money.c - the money use cases over the PostgreSQL adapter
 * (migrations/0020_money.sql): a scheme's money life on a real database
 * (commencement dues, payments with late fee and advance, a cheque bounce,
 * a draw's settlement hook, security and maker-checker payout, verify), and
 * concurrency: 32 clients posting payments with distinct keys to the same
 * tickets, and one Idempotency-Key posted by 10 clients at once -- no double
 * allocation, receipt numbers gapless, exactly one payment per key.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cf_test_app.h"
#include "chitfund.h"
#include "chitfund/adapters/memory.h"
#include "chitfund/adapters/postgres.h"
#include "chitfund/adapters/postgres_money.h"
#include "chitfund/auctions.h"
#include "chitfund/money.h"
#include "chitfund/users.h"
#include "dues_internal.h"
#include "it_db.h"

#define RS(x) ((int64_t)(x)*100)
#define NT    20

static cf_pg_pool *g_pool;
static cf_pg_store *g_store;
static cf_memory_clock *g_clock;
static cf_memory_rng *g_rng;
static pthread_mutex_t g_rng_mu = PTHREAD_MUTEX_INITIALIZER;
static cf_rng g_inner_rng;
static cf_ports g_ports;
static cf_app *g_app;
static cf_actor g_sys, g_foreman, g_checker, g_agent, g_subs[NT];
static char g_scheme[CF_ID_SIZE];

/* the memory rng is not thread-safe: serialise it for the concurrent tests */
static int locked_fill(void *self, void *buf, size_t n)
{
	int rc;

	(void)self;
	pthread_mutex_lock(&g_rng_mu);
	rc = g_inner_rng.fill(g_inner_rng.self, buf, n);
	pthread_mutex_unlock(&g_rng_mu);
	return rc;
}

static uint64_t g_setups;

static void setup(void)
{
	cf_error err = CF_ERROR_INIT;

	g_pool = cf_it_pool(40, 10000);
	ck_assert_int_eq(cf_pg_store_new(&g_store, g_pool), CF_OK);
	memset(&g_ports, 0, sizeof g_ports);
	cf_pg_store_ports(g_store, &g_ports);
	cf_pg_money_ports(g_store, &g_ports);
	ck_assert_int_eq(cf_memory_clock_new(&g_clock, CF_TEST_T0_MS), CF_OK);
	/* pid and a per-test count: distinct ids when the tests share a process (CK_FORK=no) */
	ck_assert_int_eq(cf_memory_rng_new(&g_rng, ((uint64_t)getpid() << 32) | ++g_setups), CF_OK);
	g_ports.clock = cf_memory_clock_port(g_clock);
	g_ports.clock.sleep_ms = NULL;
	g_inner_rng = cf_memory_rng_port(g_rng);
	g_ports.rng = g_inner_rng;
	g_ports.rng.fill = locked_fill;
	g_ports.digest = cf_memory_digest_port();
	g_ports.hasher = cf_memory_fake_hasher_port();
	g_ports.signer = cf_memory_fake_signer_port();
	g_ports.cipher = cf_test_cipher_port();
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

	snprintf(email, sizeof email, "m%s@example.com", cf_it_unique(u, sizeof u));
	req = (cf_user_create_req){email, "correct horse battery", "Asha Menon", NULL, role};
	ck_assert_msg(cf_users_create(g_app, &g_sys, &req, &out, &err) == CF_OK, "%s", err.message);
	cf_actor_anonymous(a, "it", "127.0.0.1");
	memcpy(a->user_id, out.id, sizeof a->user_id);
	a->role = role;
}

static void at(cf_date d)
{
	cf_memory_clock_set(g_clock, cf_date_to_days(d) * 86400000 + 16200000);
}

/* domain.md's 20-ticket scheme; the foreman holds ticket 1. */
static void make_scheme(void)
{
	cf_scheme_create_req req;
	cf_scheme s;
	cf_error err = CF_ERROR_INIT;

	at((cf_date){2026, 4, 1});
	make_user(CF_ROLE_FOREMAN, &g_foreman);
	make_user(CF_ROLE_FOREMAN, &g_checker);
	make_user(CF_ROLE_AGENT, &g_agent);
	for (int i = 0; i < NT; i++)
		make_user(CF_ROLE_SUBSCRIBER, &g_subs[i]);
	memset(&req, 0, sizeof req);
	req.name = "IT money chit";
	cf_scheme_params_init(&req.params);
	req.params.chit_value = cf_money_of(RS(100000));
	req.params.member_count = NT;
	req.params.start_date = (cf_date){2026, 4, 10};
	req.params.max_discount_bps = 2500;
	req.params.first_prize_to_foreman = true;
	req.given = CF_SP_MAX_DISCOUNT_BPS | CF_SP_FIRST_PRIZE_TO_FOREMAN;
	ck_assert_msg(cf_scheme_create(g_app, &g_foreman, &req, &s, &err) == CF_OK, "%s",
	              err.message);
	memcpy(g_scheme, s.id, sizeof g_scheme);
	ck_assert_int_eq(cf_scheme_open(g_app, &g_foreman, g_scheme, &s, NULL), CF_OK);
	ck_assert_int_eq(cf_scheme_agent_assign(g_app, &g_foreman, g_scheme, g_agent.user_id, NULL),
	                 CF_OK);
	for (int32_t t = 1; t <= NT; t++) {
		cf_enrol_req er = {t == 1 ? g_foreman.user_id : g_subs[t - 2].user_id, t};
		cf_ticket tk;

		ck_assert_int_eq(cf_scheme_enrol(g_app, &g_foreman, g_scheme, &er, &tk, &err),
		                 CF_OK);
	}
	ck_assert_msg(cf_scheme_commence(g_app, &g_foreman, g_scheme, "R/1", "C/1", &s, &err) ==
	                      CF_OK,
	              "%s", err.message);
}

static int64_t sql_int(const char *fmt)
{
	char sql[768];
	cf_pg_conn *c = NULL;
	PGresult *r;
	int64_t v = -1;

	snprintf(sql, sizeof sql, fmt, g_scheme);
	ck_assert_int_eq(cf_pg_pool_acquire(g_pool, &c, NULL), CF_OK);
	r = PQexec(cf_pg_conn_pg(c), sql);
	ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK, "%s", PQerrorMessage(cf_pg_conn_pg(c)));
	ck_assert_int_eq(cf_pg_get_int64(r, 0, 0, &v), CF_OK);
	PQclear(r);
	cf_pg_pool_release(g_pool, c);
	return v;
}

static void verify_clean(void)
{
	cf_money_verify_result v;
	cf_error err = CF_ERROR_INIT;

	ck_assert_msg(cf_money_verify(g_app, &g_sys, &v, &err) == CF_OK, "%s", err.message);
	ck_assert_msg(v.ok, "verify: %s", v.first_break);
}

static int pay(const cf_actor *who, int32_t t, int64_t amount, cf_payment_method m,
               const cf_idem *idem, cf_payment_view *v, cf_idem_reply *rep, cf_error *err)
{
	cf_payment_req q;

	memset(&q, 0, sizeof q);
	q.scheme_id = g_scheme;
	q.ticket_no = t;
	q.amount = cf_money_of(amount);
	q.method = m;
	q.reference = m == CF_PAY_CHEQUE ? "CHQ 1" : NULL;
	return cf_payment_record(g_app, who, &q, idem, v, rep, err);
}

START_TEST(test_money_life_on_postgres)
{
	cf_payment_view v, b;
	cf_error err = CF_ERROR_INIT;
	cf_statement st;
	char id[CF_ID_SIZE];

	make_scheme();
	/* installment 1 fixed at commencement, demanded at gross */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM installment_dues WHERE scheme_id = '%s'"),
	                 NT);
	/* late by 21 days: the golden 70.00 */
	at((cf_date){2026, 5, 1});
	ck_assert_msg(pay(&g_agent, 2, RS(5070), CF_PAY_CASH, NULL, &v, NULL, &err) == CF_OK,
	              "pay: %s %s", err.slug, err.message);
	ck_assert_str_eq(v.p.receipt_no, "R/2026-27/000001");
	ck_assert_int_eq(v.p.penalty.minor, RS(70));
	cf_payment_view_free(&v);
	/* cheque with an advance, then it bounces */
	ck_assert_int_eq(pay(&g_agent, 3, RS(6000), CF_PAY_CHEQUE, NULL, &v, NULL, &err), CF_OK);
	ck_assert_int_eq(v.p.advance.minor, RS(930));
	ck_assert_int_eq(
	        cf_payment_bounce(g_app, &g_agent, v.p.id, (cf_date){2026, 5, 1}, "NSF", &b, &err),
	        CF_OK);
	ck_assert_int_eq(b.p.status, CF_PAYMENT_BOUNCED);
	cf_payment_view_free(&b);
	ck_assert_int_eq(cf_receipt_get(g_app, &g_agent, "R/2026-27/000002", &b, &err), CF_OK);
	ck_assert_int_eq(b.p.status, CF_PAYMENT_BOUNCED);
	cf_payment_view_free(&b);
	cf_payment_view_free(&v);
	ck_assert_int_eq(sql_int("SELECT coalesce(sum(amount), 0) FROM ledger_postings WHERE "
	                         "scheme_id = '%s' AND account = 'cash'"),
	                 RS(5070));
	verify_clean();
	/* everyone else pays; draw 1 (foreman's first chit) settles; dues of 2 fixed */
	for (int32_t t = 3; t <= NT; t++) {
		ck_assert_int_eq(pay(&g_agent, t, RS(5070), CF_PAY_CASH, NULL, &v, NULL, &err),
		                 CF_OK);
		cf_payment_view_free(&v);
	}
	{
		cf_auction_create_req req = {1, 0, 0, 0};
		cf_auction_view av;
		cf_auction_result r;

		ck_assert_int_eq(cf_auction_create(g_app, &g_foreman, g_scheme, &req, &av, &err),
		                 CF_OK);
		memcpy(id, av.a.id, sizeof id);
		cf_auction_view_free(&av);
		ck_assert_int_eq(cf_auction_open(g_app, &g_foreman, id, &av, &err), CF_OK);
		cf_auction_view_free(&av);
		ck_assert_msg(cf_auction_close(g_app, &g_foreman, id, NULL, &r, &err) == CF_OK,
		              "%s", err.message);
		/* the close ran the settlement hook in its own transaction */
	}
	ck_assert_int_eq(
	        sql_int("SELECT count(*) FROM installment_dues WHERE scheme_id = '%s' AND fixed"),
	        2 * NT);
	/* ticket 4 had 70.00 advance... no: 5,070 paid on 05-01 is 5,000 + 70 late fee */
	ck_assert_int_eq(cf_statement_get(g_app, &g_foreman, g_scheme, 4, &st, &err), CF_OK);
	ck_assert_int_eq(st.rows[0].penalty_paid.minor, RS(70));
	ck_assert_int_eq(st.rows[1].net_due.minor, RS(5000));
	cf_statement_free(&st);
	/* payout of the first chit: security, maker, checker */
	{
		cf_security_rec sec;
		cf_disbursement d, d2;

		ck_assert_int_eq(cf_security_record(g_app, &g_foreman, id, CF_SECURITY_PROPERTY,
		                                    "house", cf_money_of(RS(200000)), &sec, &err),
		                 CF_OK);
		ck_assert_int_eq(cf_disbursement_create(g_app, &g_foreman, id, "neft", "UTR9", NULL,
		                                        &d, NULL, &err),
		                 CF_OK);
		ck_assert_int_eq(cf_disbursement_approve(g_app, &g_foreman, d.id, &d2, &err),
		                 CF_EFORBIDDEN);
		ck_assert_int_eq(cf_disbursement_approve(g_app, &g_checker, d.id, &d2, &err),
		                 CF_OK);
		ck_assert_int_eq(cf_disbursement_approve(g_app, &g_checker, d.id, &d2, &err),
		                 CF_ECONFLICT);
	}
	ck_assert_int_eq(sql_int("SELECT coalesce(sum(amount), 0) FROM ledger_postings WHERE "
	                         "scheme_id = '%s' AND account = 'prize_payable/1'"),
	                 0);
	verify_clean();
}
END_TEST

/* ---- concurrency ---- */

static int render(void *ctx, const void *res, int *status, char **body, size_t *len)
{
	const cf_payment_view *v = res;
	char buf[128];
	int n = snprintf(buf, sizeof buf, "{\"id\":\"%s\",\"receipt_no\":\"%s\"}", v->p.id,
	                 v->p.receipt_no);

	(void)ctx;
	*body = malloc((size_t)n + 1);
	if (*body == NULL)
		return CF_ENOMEM;
	memcpy(*body, buf, (size_t)n + 1);
	*len = (size_t)n;
	*status = 201;
	return CF_OK;
}

#define CLIENTS 32
#define EACH    8
#define SAME    10

typedef struct worker {
	int no;
	int ok, failed;
	char body[128];
} worker;

static void *distinct_keys(void *arg)
{
	worker *w = arg;

	for (int i = 0; i < EACH; i++) {
		char key[48];
		cf_idem idem = {key, NULL, render, NULL};
		cf_payment_view v;
		cf_idem_reply rep;
		cf_error err = CF_ERROR_INIT;
		/* all clients hit the same few tickets */
		int32_t t = 2 + (w->no + i) % 4;

		snprintf(key, sizeof key, "k-%d-%d", w->no, i);
		idem.request = key;
		if (pay(&g_agent, t, RS(100), CF_PAY_CASH, &idem, &v, &rep, &err) == CF_OK)
			w->ok++;
		else
			w->failed++;
		cf_payment_view_free(&v);
		cf_idem_reply_free(&rep);
	}
	return NULL;
}

static void *same_key(void *arg)
{
	worker *w = arg;
	cf_idem idem = {"the-one-key", "{\"amount\":12345}", render, NULL};
	cf_payment_view v;
	cf_idem_reply rep;
	cf_error err = CF_ERROR_INIT;

	if (pay(&g_agent, 6, 12345, CF_PAY_CASH, &idem, &v, &rep, &err) == CF_OK) {
		w->ok++;
		snprintf(w->body, sizeof w->body, "%.*s", (int)rep.len, rep.body);
	} else {
		w->failed++;
	}
	cf_payment_view_free(&v);
	cf_idem_reply_free(&rep);
	return NULL;
}

START_TEST(test_concurrent_payments_and_one_key)
{
	pthread_t th[CLIENTS + SAME];
	worker w[CLIENTS + SAME];
	int ok = 0;

	make_scheme();
	memset(w, 0, sizeof w);
	for (int i = 0; i < CLIENTS + SAME; i++) {
		w[i].no = i;
		ck_assert_int_eq(
		        pthread_create(&th[i], NULL, i < CLIENTS ? distinct_keys : same_key, &w[i]),
		        0);
	}
	for (int i = 0; i < CLIENTS + SAME; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < CLIENTS; i++) {
		ck_assert_int_eq(w[i].failed, 0);
		ok += w[i].ok;
	}
	ck_assert_int_eq(ok, CLIENTS * EACH);
	/* the shared key: every client got the same answer, one payment exists */
	for (int i = CLIENTS; i < CLIENTS + SAME; i++) {
		ck_assert_int_eq(w[i].ok, 1);
		ck_assert_str_eq(w[i].body, w[CLIENTS].body);
	}
	ck_assert_int_eq(sql_int("SELECT count(*) FROM payments WHERE scheme_id = '%s' AND amount "
	                         "= 12345"),
	                 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM payments WHERE scheme_id = '%s'"),
	                 CLIENTS * EACH + 1);
	/* receipts gapless across the whole financial year (every scheme of this database) */
	ck_assert_int_eq(sql_int("SELECT min(receipt_seq) FROM payments WHERE receipt_fy = 2026 "
	                         "AND '%s' <> ''"),
	                 1);
	ck_assert_int_eq(sql_int("SELECT max(receipt_seq) - count(DISTINCT receipt_seq) FROM "
	                         "payments WHERE receipt_fy = 2026 AND '%s' <> ''"),
	                 0);
	ck_assert_int_eq(sql_int("SELECT count(*) - count(DISTINCT receipt_seq) FROM payments "
	                         "WHERE receipt_fy = 2026 AND '%s' <> ''"),
	                 0);
	/* no double allocation: principal allocated per due equals what the dues say paid */
	ck_assert_int_eq(
	        sql_int("SELECT count(*) FROM installment_dues d WHERE d.scheme_id = '%1$s' AND "
	                "d.principal_paid <> (SELECT coalesce(sum(a.principal), 0) FROM "
	                "payment_allocations a JOIN payments p ON p.id = a.payment_id WHERE "
	                "p.scheme_id = d.scheme_id AND p.ticket_no = d.ticket_no AND "
	                "a.installment_no = d.installment_no AND p.status = 'cleared')"),
	        0);
	/* 64 payments of 100.00 on each of tickets 2..5: 5,000 principal, 1,400 advance */
	ck_assert_int_eq(sql_int("SELECT sum(principal_paid) FROM installment_dues WHERE "
	                         "scheme_id = '%s'"),
	                 4 * RS(5000) + 12345);
	ck_assert_int_eq(sql_int("SELECT sum(advance) FROM ticket_money WHERE scheme_id = '%s'"),
	                 4 * RS(1400));
	verify_clean();
}
END_TEST

/* In tx: lock ticket t's account into *a and read its first due into *d. */
static void lock_acct_first_due(cf_tx *tx, int32_t t, cf_ticket_acct *a, cf_due *d)
{
	const cf_money_repo *mr = &g_ports.money;
	cf_due_row_array dues = {0};

	ck_assert_int_eq(mr->acct_get(mr->self, tx, g_scheme, t, true, a), CF_OK);
	ck_assert_int_eq(mr->due_list(mr->self, tx, g_scheme, t, &dues), CF_OK);
	ck_assert_uint_gt(dues.count, 0);
	*d = dues.items[0].due;
	cf_due_row_array_free(&dues);
}

/* Writes held back for the COMMIT (uow defer_writes): not sent before it,
 * all applied by it, and a stale one (an account row_version that moved)
 * fails the commit with a retry and leaves nothing of the unit behind. The
 * second unit reuses the statements the first prepared on the connection. */
START_TEST(test_deferred_writes)
{
	const cf_money_repo *mr = &g_ports.money;
	cf_ticket_acct a, b;
	cf_due d;
	cf_tx *tx = NULL;
	int64_t v0, fixed0;

	make_scheme();
	fixed0 = sql_int("SELECT count(*) FROM installment_dues WHERE scheme_id = '%s' AND "
	                 "ticket_no = 3 AND penalty_base_accrued = 777");
	ck_assert_int_eq(fixed0, 0);
	for (int round = 0; round < 2; round++) {
		ck_assert_int_eq(g_ports.uow.begin(g_ports.uow.self, &tx), CF_OK);
		lock_acct_first_due(tx, 3, &a, &d);
		v0 = a.row_version;
		g_ports.uow.defer_writes(g_ports.uow.self, tx);
		d.penalty_base_accrued = cf_money_of(777);
		ck_assert_int_eq(mr->due_put(mr->self, tx, g_scheme, 3, &d), CF_OK);
		a.dues_version++;
		ck_assert_int_eq(mr->acct_update(mr->self, tx, &a), CF_OK);
		/* held back: this unit's own read does not see it yet */
		ck_assert_int_eq(mr->acct_get(mr->self, tx, g_scheme, 3, false, &b), CF_OK);
		ck_assert_int_eq(b.row_version, v0);
		ck_assert_int_eq(g_ports.uow.commit(g_ports.uow.self, tx), CF_OK);
		ck_assert_int_eq(sql_int("SELECT row_version FROM ticket_money WHERE scheme_id = "
		                         "'%s' AND ticket_no = 3"),
		                 v0 + 1);
		ck_assert_int_eq(sql_int("SELECT count(*) FROM installment_dues WHERE scheme_id = "
		                         "'%s' AND ticket_no = 3 AND penalty_base_accrued = 777"),
		                 1);
		/* put it back for the next round */
		ck_assert_int_eq(g_ports.uow.begin(g_ports.uow.self, &tx), CF_OK);
		d.penalty_base_accrued = cf_money_of(0);
		ck_assert_int_eq(mr->due_put(mr->self, tx, g_scheme, 3, &d), CF_OK);
		ck_assert_int_eq(g_ports.uow.commit(g_ports.uow.self, tx), CF_OK);
	}
	/* stale: the version read is one behind; the due written first is rolled back too */
	ck_assert_int_eq(g_ports.uow.begin(g_ports.uow.self, &tx), CF_OK);
	ck_assert_int_eq(mr->acct_get(mr->self, tx, g_scheme, 3, true, &a), CF_OK);
	v0 = a.row_version;
	g_ports.uow.defer_writes(g_ports.uow.self, tx);
	d.penalty_base_accrued = cf_money_of(777);
	ck_assert_int_eq(mr->due_put(mr->self, tx, g_scheme, 3, &d), CF_OK);
	a.row_version--;
	ck_assert_int_eq(mr->acct_update(mr->self, tx, &a), CF_OK); /* decided at commit */
	ck_assert_int_eq(g_ports.uow.commit(g_ports.uow.self, tx), CF_ERETRY);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM installment_dues WHERE scheme_id = '%s' "
	                         "AND ticket_no = 3 AND penalty_base_accrued = 777"),
	                 0);
	ck_assert_int_eq(sql_int("SELECT row_version FROM ticket_money WHERE scheme_id = '%s' AND "
	                         "ticket_no = 3"),
	                 v0);
	verify_clean();
}
END_TEST

/* The first pipeline on a fresh connection may queue the same statement
 * twice (a payment that settles two installments writes two dues rows):
 * it is prepared once, and both run. */
START_TEST(test_deferred_same_statement_twice_on_a_fresh_connection)
{
	const cf_money_repo *mr = &g_ports.money;
	cf_ticket_acct a;
	cf_due d;
	cf_tx *tx = NULL, *busy = NULL;
	int64_t v0;

	make_scheme();
	/* the connection make_scheme used stays busy: tx gets one that has
	 * prepared nothing yet */
	ck_assert_int_eq(g_ports.uow.begin(g_ports.uow.self, &busy), CF_OK);
	ck_assert_int_eq(g_ports.uow.begin(g_ports.uow.self, &tx), CF_OK);
	ck_assert_ptr_ne(cf_pg_tx_conn(tx), cf_pg_tx_conn(busy));
	lock_acct_first_due(tx, 4, &a, &d);
	v0 = a.row_version;
	g_ports.uow.defer_writes(g_ports.uow.self, tx);
	d.penalty_base_accrued = cf_money_of(555);
	ck_assert_int_eq(mr->due_put(mr->self, tx, g_scheme, 4, &d), CF_OK);
	d.penalty_base_accrued = cf_money_of(556);
	ck_assert_int_eq(mr->due_put(mr->self, tx, g_scheme, 4, &d), CF_OK);
	a.dues_version++;
	ck_assert_int_eq(mr->acct_update(mr->self, tx, &a), CF_OK);
	ck_assert_int_eq(g_ports.uow.commit(g_ports.uow.self, tx), CF_OK);
	ck_assert_int_eq(sql_int("SELECT row_version FROM ticket_money WHERE scheme_id = '%s' AND "
	                         "ticket_no = 4"),
	                 v0 + 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM installment_dues WHERE scheme_id = '%s' "
	                         "AND ticket_no = 4 AND penalty_base_accrued = 556"),
	                 1);
	g_ports.uow.rollback(g_ports.uow.self, busy);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pg_money");
	TCase *tc = tcase_create("money");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_money_life_on_postgres);
	tcase_add_test(tc, test_concurrent_payments_and_one_key);
	tcase_add_test(tc, test_deferred_writes);
	tcase_add_test(tc, test_deferred_same_statement_twice_on_a_fresh_connection);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return cf_it_run("money", suite());
}
