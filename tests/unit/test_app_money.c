/*
 * test_app_money.c - the money use cases (chitfund/money.h) over the memory
 * adapter: dues fixed at commencement and by draws, payments (allocation,
 * late fee golden figure, advance, receipts gapless per financial year,
 * payment-date rules, roles), idempotency (replay byte for byte, key reuse),
 * cheque bounce, security and disbursement maker-checker, defaulters
 * (remove, reinstate, substitute, demand), statements, ledger view, reports,
 * termination (s.42), the verifier, and the whole life of domain.md's
 * 20-draw scheme ending with the pool at zero and verify clean.
 *
 * Draws are run with the auction use cases; the settlement hook
 * (cf__dues_on_draw_settled) is called here right after each close, in its
 * own transaction, with the stored settlement and credits.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_test_app.h"
#include "chitfund.h"
#include "chitfund/adapters/memory_auctions.h"
#include "chitfund/adapters/memory_money.h"
#include "chitfund/auctions.h"
#include "chitfund/money.h"
#include "dues_internal.h"

#define RS(x) ((int64_t)(x)*100) /* rupees to paise */
#define NSUB  20

static cf_test_env env;
static cf_memory_auctions *mem_a;
static cf_memory_money *mem_m;
static cf_actor foreman, checker, auditor, agent, subs[NSUB + 2];
static char scheme_id[CF_ID_SIZE];
static int32_t nt; /* tickets of the scheme */

/* ---- fixture ---- */

static void setup(void)
{
	cf_app_config cfg;

	cf_app_config_init(&cfg);
	ck_assert_int_eq(cf_test_env_init(&env, &cfg), CF_OK);
	cf_app_free(env.app);
	env.app = NULL;
	ck_assert_int_eq(cf_memory_auctions_new(&mem_a), CF_OK);
	ck_assert_int_eq(cf_memory_money_new(&mem_m), CF_OK);
	cf_memory_auctions_ports(mem_a, &env.ports);
	cf_memory_money_ports(mem_m, &env.ports);
	ck_assert_int_eq(cf_app_new(&env.app, &env.ports, &cfg, NULL), CF_OK);
	ck_assert_int_eq(cf_test_make_user(&env, "f@example.com", CF_ROLE_FOREMAN, &foreman, NULL),
	                 CF_OK);
	ck_assert_int_eq(cf_test_make_user(&env, "c@example.com", CF_ROLE_FOREMAN, &checker, NULL),
	                 CF_OK);
	ck_assert_int_eq(cf_test_make_user(&env, "a@example.com", CF_ROLE_AUDITOR, &auditor, NULL),
	                 CF_OK);
	ck_assert_int_eq(cf_test_make_user(&env, "g@example.com", CF_ROLE_AGENT, &agent, NULL),
	                 CF_OK);
	for (int i = 0; i < NSUB + 2; i++) {
		char email[64];

		snprintf(email, sizeof email, "s%d@example.com", i);
		ck_assert_int_eq(cf_test_make_user(&env, email, CF_ROLE_SUBSCRIBER, &subs[i], NULL),
		                 CF_OK);
	}
}

static void teardown(void)
{
	cf_app_free(env.app);
	env.app = NULL;
	cf_memory_money_free(mem_m);
	cf_memory_auctions_free(mem_a);
	mem_a = NULL;
	mem_m = NULL;
	cf_test_env_free(&env);
}

/* 10:00 IST on date d. */
static void at(cf_date d)
{
	cf_memory_clock_set(env.clock, cf_date_to_days(d) * 86400000 + 16200000);
}

static cf_date due_of(int32_t k)
{
	cf_date d;

	ck_assert_int_eq(cf_schedule_due_date((cf_date){2026, 4, 10}, CF_FREQ_MONTHLY, k, &d),
	                 CF_OK);
	return d;
}

/* Ticket 1: the foreman; ticket t > 1: subs[t - 2]. */
static const cf_actor *holder(int32_t t)
{
	return t == 1 ? &foreman : &subs[t - 2];
}

/* domain.md's 20-draw scheme: V 1,00,000, N 20, 5%, ceiling 25%, foreman first. */
static void make_scheme(int32_t n, int32_t grace)
{
	cf_scheme_create_req req;
	cf_scheme s;
	cf_error err = CF_ERROR_INIT;

	nt = n;
	memset(&req, 0, sizeof req);
	req.name = "Money chit";
	cf_scheme_params_init(&req.params);
	req.params.chit_value = cf_money_of(RS(5000) * n);
	req.params.member_count = n;
	req.params.start_date = (cf_date){2026, 4, 10};
	req.params.max_discount_bps = 2500;
	req.params.first_prize_to_foreman = true;
	req.params.grace_days = grace;
	req.given = CF_SP_MAX_DISCOUNT_BPS | CF_SP_FIRST_PRIZE_TO_FOREMAN | CF_SP_GRACE_DAYS;
	ck_assert_int_eq(cf_scheme_create(env.app, &foreman, &req, &s, &err), CF_OK);
	memcpy(scheme_id, s.id, sizeof scheme_id);
	ck_assert_int_eq(cf_scheme_open(env.app, &foreman, scheme_id, &s, NULL), CF_OK);
	ck_assert_int_eq(cf_scheme_agent_assign(env.app, &foreman, scheme_id, agent.user_id, NULL),
	                 CF_OK);
	for (int32_t t = 1; t <= n; t++) {
		cf_enrol_req er = {holder(t)->user_id, t};
		cf_ticket tk;

		ck_assert_int_eq(cf_scheme_enrol(env.app, &foreman, scheme_id, &er, &tk, &err),
		                 CF_OK);
	}
	ck_assert_int_eq(
	        cf_scheme_commence(env.app, &foreman, scheme_id, "REG/1", "REF/1", &s, &err),
	        CF_OK);
}

/* ---- settlement hook (what the auction close calls inside its transaction) ---- */

/* Run draw k: ticket `bidder` bids `discount` (0: no bid). Returns the auction id. */
static void draw(int32_t k, int32_t bidder, int64_t discount, char id[CF_ID_SIZE],
                 cf_auction_result *res)
{
	cf_auction_create_req req = {k, 0, 0, 0};
	cf_auction_view v;
	cf_auction_result r;
	cf_error err = CF_ERROR_INIT;
	int rc;

	ck_assert_int_eq(cf_auction_create(env.app, &foreman, scheme_id, &req, &v, &err), CF_OK);
	memcpy(id, v.a.id, CF_ID_SIZE);
	cf_auction_view_free(&v);
	ck_assert_int_eq(cf_auction_open(env.app, &foreman, id, &v, &err), CF_OK);
	cf_auction_view_free(&v);
	if (bidder > 0 && discount > 0) {
		cf_bid_req b = {bidder, cf_money_of(discount)};
		cf_bid_result br;

		rc = cf_auction_bid(env.app, holder(bidder), id, &b, &br, &err);
		ck_assert_msg(rc == CF_OK, "bid k=%d: %s", (int)k, err.slug);
	}
	rc = cf_auction_close(env.app, &foreman, id, NULL, &r, &err);
	ck_assert_msg(rc == CF_OK, "close k=%d: %s %s", (int)k, err.slug, err.message);
	/* the close ran the settlement hook in its own transaction */
	if (res)
		*res = r;
}

/* ---- helpers ---- */

static int pay_as(const cf_actor *who, int32_t t, int64_t amount, cf_payment_method m,
                  const char *ref, cf_payment_view *v, cf_error *err)
{
	cf_payment_req q;

	memset(&q, 0, sizeof q);
	q.scheme_id = scheme_id;
	q.ticket_no = t;
	q.amount = cf_money_of(amount);
	q.method = m;
	q.reference = ref;
	return cf_payment_record(env.app, who, &q, NULL, v, NULL, err);
}

static void pay_ok(int32_t t, int64_t amount, cf_payment_view *out)
{
	cf_payment_view v;
	cf_error err = CF_ERROR_INIT;
	int rc = pay_as(&agent, t, amount, CF_PAY_CASH, NULL, &v, &err);

	ck_assert_msg(rc == CF_OK, "pay t=%d %lld: %s %s", (int)t, (long long)amount, err.slug,
	              err.message);
	if (out)
		*out = v;
	else
		cf_payment_view_free(&v);
}

static cf_statement stmt(int32_t t)
{
	cf_statement s;
	cf_error err = CF_ERROR_INIT;

	ck_assert_int_eq(cf_statement_get(env.app, &foreman, scheme_id, t, &s, &err), CF_OK);
	return s;
}

/* What ticket t owes now: the sum of its fixed rows' balances less its advance. */
static int64_t owed(int32_t t)
{
	cf_statement s = stmt(t);
	int64_t v = s.totals.balance.minor - s.advance.minor;

	cf_statement_free(&s);
	return v;
}

static void verify_clean(void)
{
	cf_money_verify_result v;
	cf_error err = CF_ERROR_INIT;

	ck_assert_int_eq(cf_money_verify(env.app, &auditor, &v, &err), CF_OK);
	ck_assert_msg(v.ok, "verify: %s", v.first_break);
}

static int64_t balance(const char *account)
{
	cf_ledger_view lv;
	cf_error err = CF_ERROR_INIT;
	int64_t b = 0;

	ck_assert_int_eq(cf_ledger_get(env.app, &auditor, scheme_id, 1, NULL, &lv, &err), CF_OK);
	for (size_t i = 0; i < lv.balances.count; i++)
		if (strcmp(lv.balances.items[i].account, account) == 0)
			b = lv.balances.items[i].balance.minor;
	cf_ledger_view_free(&lv);
	return b;
}

/* ---- tests ---- */

START_TEST(test_commence_fixes_installment_one)
{
	cf_statement s;

	at((cf_date){2026, 4, 1});
	make_scheme(20, 0);
	s = stmt(5);
	ck_assert_uint_eq(s.count, 20);
	ck_assert(s.rows[0].fixed);
	ck_assert_int_eq(s.rows[0].net_due.minor, RS(5000));
	ck_assert(!s.rows[1].fixed);
	ck_assert_int_eq(s.rows[1].balance.minor, RS(5000));
	ck_assert_int_eq(s.totals.net_due.minor, RS(5000));
	cf_statement_free(&s);
	/* demand posted at gross for every ticket */
	ck_assert_int_eq(balance("member_receivable/5"), RS(5000));
	ck_assert_int_eq(balance("scheme_pool"), -RS(5000) * 20);
	verify_clean();
}
END_TEST

START_TEST(test_payment_allocation_advance_and_receipts)
{
	cf_payment_view v;

	at((cf_date){2026, 4, 1});
	make_scheme(20, 0);
	pay_ok(2, RS(6000), &v);
	ck_assert_str_eq(v.p.receipt_no, "R/2026-27/000001");
	ck_assert_uint_eq(v.allocs.count, 1);
	ck_assert_int_eq(v.allocs.items[0].installment_no, 1);
	ck_assert_int_eq(v.allocs.items[0].principal.minor, RS(5000));
	ck_assert_int_eq(v.p.advance.minor, RS(1000));
	cf_payment_view_free(&v);
	pay_ok(3, RS(100), &v);
	ck_assert_str_eq(v.p.receipt_no, "R/2026-27/000002");
	cf_payment_view_free(&v);
	ck_assert_int_eq(balance("member_receivable/2"), -RS(1000));
	ck_assert_int_eq(balance("cash"), RS(6100));
	{
		cf_statement s = stmt(2);

		ck_assert_int_eq(s.advance.minor, RS(1000));
		ck_assert_int_eq(s.rows[0].paid.minor, RS(5000));
		ck_assert_int_eq(s.rows[0].balance.minor, 0);
		cf_statement_free(&s);
	}
	/* the receipt reads back by number */
	ck_assert_int_eq(cf_receipt_get(env.app, &auditor, "R/2026-27/000002", &v, NULL), CF_OK);
	ck_assert_int_eq(v.p.ticket_no, 3);
	cf_payment_view_free(&v);
	verify_clean();
}
END_TEST

START_TEST(test_late_fee_golden)
{
	cf_payment_view v;

	at((cf_date){2026, 4, 1});
	make_scheme(20, 0);
	/* installment 1 due 2026-04-10, paid 21 days late: 5,000.00 at 200 bps = 70.00 */
	at((cf_date){2026, 5, 1});
	pay_ok(4, RS(5070), &v);
	ck_assert_uint_eq(v.allocs.count, 1);
	ck_assert_int_eq(v.allocs.items[0].penalty.minor, RS(70));
	ck_assert_int_eq(v.allocs.items[0].principal.minor, RS(5000));
	ck_assert_int_eq(v.p.fee_accrued.minor, RS(70));
	ck_assert_int_eq(v.p.advance.minor, 0);
	cf_payment_view_free(&v);
	ck_assert_int_eq(balance("late_fee_income"), -RS(70));
	ck_assert_int_eq(balance("member_receivable/4"), 0);
	/* a late fee over two payments gives the same total */
	pay_ok(5, RS(70), &v); /* fee only: 70.00 of the 5,000 run */
	ck_assert_int_eq(v.p.penalty.minor, RS(70));
	ck_assert_int_eq(v.p.principal.minor, 0);
	cf_payment_view_free(&v);
	verify_clean();
}
END_TEST

START_TEST(test_payment_rules_and_roles)
{
	cf_payment_view v;
	cf_error err = CF_ERROR_INIT;
	cf_payment_req q;

	at((cf_date){2026, 4, 20});
	make_scheme(20, 0);
	/* a subscriber pays only his own ticket, by upi/bank transfer with a reference */
	ck_assert_int_eq(pay_as(&subs[0], 2, RS(10), CF_PAY_UPI, "UPI1", &v, &err), CF_OK);
	cf_payment_view_free(&v);
	ck_assert_int_eq(pay_as(&subs[0], 3, RS(10), CF_PAY_UPI, "UPI1", &v, &err), CF_ENOTFOUND);
	ck_assert_int_eq(pay_as(&subs[0], 2, RS(10), CF_PAY_CASH, NULL, &v, &err), CF_EFORBIDDEN);
	ck_assert_int_eq(pay_as(&subs[0], 2, RS(10), CF_PAY_UPI, NULL, &v, &err), CF_EINVALID);
	ck_assert_int_eq(pay_as(&auditor, 2, RS(10), CF_PAY_CASH, NULL, &v, &err), CF_EFORBIDDEN);
	ck_assert_int_eq(pay_as(&checker, 2, RS(10), CF_PAY_CASH, NULL, &v, &err), CF_EFORBIDDEN);
	ck_assert_int_eq(pay_as(&agent, 2, 0, CF_PAY_CASH, NULL, &v, &err), CF_EINVALID);
	/* payment dates: not in the future, not before the last payment */
	memset(&q, 0, sizeof q);
	q.scheme_id = scheme_id;
	q.ticket_no = 2;
	q.amount = cf_money_of(RS(10));
	q.method = CF_PAY_CASH;
	q.has_paid_on = true;
	q.paid_on = (cf_date){2026, 4, 21};
	ck_assert_int_eq(cf_payment_record(env.app, &agent, &q, NULL, &v, NULL, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "paid_on");
	q.paid_on = (cf_date){2026, 4, 19};
	ck_assert_int_eq(cf_payment_record(env.app, &agent, &q, NULL, &v, NULL, &err),
	                 CF_ECONFLICT);
	ck_assert_str_eq(err.slug, "paid-on-before-last-payment");
	/* the payer reads his payment; another subscriber does not see it */
	ck_assert_int_eq(cf_receipt_get(env.app, &subs[0], "R/2026-27/000001", &v, &err), CF_OK);
	cf_payment_view_free(&v);
	ck_assert_int_eq(cf_receipt_get(env.app, &subs[1], "R/2026-27/000001", &v, &err),
	                 CF_ENOTFOUND);
	verify_clean();
}
END_TEST

/* An idempotency renderer: body = "<receipt>|<amount>" (counts its calls). */
static int renders;
static int render(void *ctx, const void *res, int *status, char **body, size_t *len)
{
	const cf_payment_view *v = res;
	char buf[96];
	int n;

	(void)ctx;
	renders++;
	n = snprintf(buf, sizeof buf, "%s|%lld", v->p.receipt_no, (long long)v->p.amount.minor);
	*body = malloc((size_t)n + 1);
	if (*body == NULL)
		return CF_ENOMEM;
	memcpy(*body, buf, (size_t)n + 1);
	*len = (size_t)n;
	*status = 201;
	return CF_OK;
}

START_TEST(test_idempotency)
{
	cf_payment_req q;
	cf_payment_view v;
	cf_idem_reply r1, r2;
	cf_error err = CF_ERROR_INIT;
	cf_idem idem = {"key-1", "{\"amount\":100}", render, NULL};
	cf_idem other = {"key-1", "{\"amount\":200}", render, NULL};
	cf_idem bad = {"", "{}", render, NULL};
	cf_payment_page page;

	at((cf_date){2026, 4, 1});
	make_scheme(20, 0);
	memset(&q, 0, sizeof q);
	q.scheme_id = scheme_id;
	q.ticket_no = 2;
	q.amount = cf_money_of(100);
	q.method = CF_PAY_CASH;
	renders = 0;
	ck_assert_int_eq(cf_payment_record(env.app, &agent, &q, &idem, &v, &r1, &err), CF_OK);
	ck_assert(!r1.replayed);
	ck_assert_int_eq(r1.status, 201);
	ck_assert_str_eq(r1.body, "R/2026-27/000001|100");
	cf_payment_view_free(&v);
	/* same key, same request: the stored answer, no second payment */
	ck_assert_int_eq(cf_payment_record(env.app, &agent, &q, &idem, &v, &r2, &err), CF_OK);
	ck_assert(r2.replayed);
	ck_assert_int_eq(r2.status, 201);
	ck_assert_uint_eq(r2.len, r1.len);
	ck_assert_int_eq(memcmp(r2.body, r1.body, r1.len), 0);
	ck_assert_int_eq(renders, 1);
	cf_idem_reply_free(&r2);
	/* same key, other request */
	q.amount = cf_money_of(200);
	ck_assert_int_eq(cf_payment_record(env.app, &agent, &q, &other, &v, &r2, &err),
	                 CF_ECONFLICT);
	ck_assert_str_eq(err.slug, "idempotency-key-reused");
	ck_assert_int_eq(cf_payment_record(env.app, &agent, &q, &bad, &v, &r2, &err), CF_EINVALID);
	ck_assert_str_eq(err.slug, "idempotency-key-required");
	/* keys are per user: the foreman's key-1 is another key */
	ck_assert_int_eq(cf_payment_record(env.app, &foreman, &q, &other, &v, &r2, &err), CF_OK);
	ck_assert(!r2.replayed);
	cf_payment_view_free(&v);
	cf_idem_reply_free(&r2);
	cf_idem_reply_free(&r1);
	ck_assert_int_eq(cf_payment_list(env.app, &auditor, scheme_id, 0, NULL, &page, &err),
	                 CF_OK);
	ck_assert_uint_eq(page.payments.count, 2);
	cf_payment_page_free(&page);
}
END_TEST

START_TEST(test_bounce_reopens_dues)
{
	cf_payment_view v, b, later;
	cf_error err = CF_ERROR_INIT;
	cf_statement s;

	at((cf_date){2026, 4, 1});
	make_scheme(20, 0);
	at((cf_date){2026, 4, 20}); /* 10 days late */
	{
		cf_payment_req q;

		memset(&q, 0, sizeof q);
		q.scheme_id = scheme_id;
		q.ticket_no = 6;
		q.amount = cf_money_of(RS(5100));
		q.method = CF_PAY_CHEQUE;
		q.reference = "CHQ 000123";
		ck_assert_int_eq(cf_payment_record(env.app, &agent, &q, NULL, &v, NULL, &err),
		                 CF_OK);
	}
	/* fee 5,000 x 2% x 10/30 = 33.33 */
	ck_assert_int_eq(v.p.penalty.minor, 3333);
	ck_assert_int_eq(balance("cash"), RS(5100));
	/* a cash payment cannot bounce; an unknown id is not found */
	ck_assert_int_eq(cf_payment_bounce(env.app, &agent, "00000000-0000-4000-8000-000000000000",
	                                   (cf_date){2026, 4, 20}, "x", &b, &err),
	                 CF_ENOTFOUND);
	ck_assert_int_eq(cf_payment_bounce(env.app, &subs[4], v.p.id, (cf_date){2026, 4, 20},
	                                   "insufficient funds", &b, &err),
	                 CF_EFORBIDDEN);
	ck_assert_int_eq(cf_payment_bounce(env.app, &agent, v.p.id, (cf_date){2026, 4, 20},
	                                   "insufficient funds", &b, &err),
	                 CF_OK);
	ck_assert_int_eq(b.p.status, CF_PAYMENT_BOUNCED);
	ck_assert_str_eq(b.p.receipt_no, v.p.receipt_no);
	cf_payment_view_free(&b);
	ck_assert_int_eq(cf_payment_bounce(env.app, &agent, v.p.id, (cf_date){2026, 4, 20}, "again",
	                                   &b, &err),
	                 CF_ECONFLICT);
	ck_assert_int_eq(balance("cash"), 0);
	ck_assert_int_eq(balance("late_fee_income"), 0);
	ck_assert_int_eq(balance("member_receivable/6"), RS(5000));
	/* the dues run as if it never came: 21 days late on 05-01 = 70.00 */
	at((cf_date){2026, 5, 1});
	s = stmt(6);
	ck_assert_int_eq(s.rows[0].paid.minor, 0);
	ck_assert_int_eq(s.rows[0].penalty.minor, RS(70));
	cf_statement_free(&s);
	pay_ok(6, RS(5070), &later);
	ck_assert_int_eq(later.p.penalty.minor, RS(70));
	ck_assert_str_eq(later.p.receipt_no, "R/2026-27/000002");
	cf_payment_view_free(&later);
	cf_payment_view_free(&v);
	verify_clean();
}
END_TEST

START_TEST(test_draw_fixes_next_and_applies_advance)
{
	char id[CF_ID_SIZE];
	cf_statement s;

	at((cf_date){2026, 4, 1});
	make_scheme(20, 0);
	pay_ok(3, RS(9000), NULL); /* 5,000 + 4,000 advance */
	at(due_of(1));
	for (int32_t t = 1; t <= 20; t++)
		if (t != 3)
			pay_ok(t, RS(5000), NULL);
	draw(1, 0, 0, id, NULL); /* foreman's first chit: no dividend */
	at(due_of(2));
	draw(2, 2, RS(25000), id, NULL);
	/* draw 2: dividend (25,000 - 5,000) / 20 = 1,000 lowers installment 3 to 4,000 */
	s = stmt(3);
	ck_assert(s.rows[1].fixed);
	ck_assert(s.rows[2].fixed);
	ck_assert_int_eq(s.rows[2].net_due.minor, RS(4000));
	ck_assert_int_eq(s.rows[2].dividend_credited.minor, RS(1000));
	/* the 4,000 advance paid installment 2 (5,000)? no: 4,000 of it, when it was fixed */
	ck_assert_int_eq(s.rows[1].paid.minor, RS(4000));
	ck_assert_int_eq(s.advance.minor, 0);
	cf_statement_free(&s);
	verify_clean();
}
END_TEST

START_TEST(test_security_and_maker_checker)
{
	char id[CF_ID_SIZE];
	cf_disbursement d, d2;
	cf_security_rec sec;
	cf_prize p;
	cf_error err = CF_ERROR_INIT;
	cf_disbursement_array q;

	at((cf_date){2026, 4, 1});
	make_scheme(20, 0);
	at(due_of(1));
	for (int32_t t = 1; t <= 20; t++)
		pay_ok(t, RS(5000), NULL);
	draw(1, 0, 0, id, NULL);
	ck_assert_int_eq(cf_prize_get(env.app, &foreman, id, &p, &err), CF_OK);
	ck_assert_int_eq(p.prize_amount.minor, RS(100000));
	ck_assert_int_eq(p.liability.minor, RS(5000) * 19);
	/* no security yet: refused */
	ck_assert_int_eq(cf_disbursement_create(env.app, &foreman, id, "bank_transfer", "UTR1",
	                                        NULL, &d, NULL, &err),
	                 CF_ECONFLICT);
	ck_assert_str_eq(err.slug, "security-insufficient");
	/* personal cover counts 3/4: 95,000 x 4/3 = 1,26,666.67 needed */
	ck_assert_int_eq(cf_security_record(env.app, &foreman, id, CF_SECURITY_PERSONAL,
	                                    "guarantor", cf_money_of(12666666), &sec, &err),
	                 CF_OK);
	ck_assert_int_eq(cf_disbursement_create(env.app, &foreman, id, "bank_transfer", "UTR1",
	                                        NULL, &d, NULL, &err),
	                 CF_ECONFLICT);
	ck_assert_int_eq(cf_security_record(env.app, &foreman, id, CF_SECURITY_PERSONAL, "top-up",
	                                    cf_money_of(1), &sec, &err),
	                 CF_OK);
	ck_assert_int_eq(cf_disbursement_create(env.app, &foreman, id, "bank_transfer", "UTR1",
	                                        NULL, &d, NULL, &err),
	                 CF_OK);
	ck_assert_int_eq(d.status, CF_DISB_PENDING);
	ck_assert_int_eq(d.amount.minor, RS(100000)); /* first chit: no commission, no GST */
	ck_assert_int_eq(cf_disbursement_list(env.app, &auditor, true, CF_DISB_PENDING, &q, &err),
	                 CF_OK);
	ck_assert_uint_eq(q.count, 1);
	cf_disbursement_array_free(&q);
	/* maker cannot approve; agents and subscribers neither */
	ck_assert_int_eq(cf_disbursement_approve(env.app, &foreman, d.id, &d2, &err),
	                 CF_EFORBIDDEN);
	ck_assert_str_eq(err.slug, "maker-cannot-approve");
	ck_assert_int_eq(cf_disbursement_approve(env.app, &agent, d.id, &d2, &err), CF_EFORBIDDEN);
	ck_assert_int_eq(balance("prize_payable/1"), -RS(100000));
	ck_assert_int_eq(cf_disbursement_approve(env.app, &checker, d.id, &d2, &err), CF_OK);
	ck_assert_int_eq(d2.status, CF_DISB_PAID);
	ck_assert_str_eq(d2.checker_id, checker.user_id);
	ck_assert_int_eq(cf_disbursement_approve(env.app, &checker, d.id, &d2, &err), CF_ECONFLICT);
	ck_assert_str_eq(err.slug, "already-approved");
	ck_assert_int_eq(balance("prize_payable/1"), 0);
	ck_assert_int_eq(cf_prize_get(env.app, &foreman, id, &p, &err), CF_OK);
	ck_assert(p.paid);
	verify_clean();
}
END_TEST

START_TEST(test_no_security_withholds)
{
	char id[CF_ID_SIZE];
	cf_disbursement d, d2;
	cf_prize p;
	cf_error err = CF_ERROR_INIT;
	cf_statement s;

	at((cf_date){2026, 4, 1});
	make_scheme(20, 0);
	at(due_of(1));
	for (int32_t t = 1; t <= 20; t++)
		pay_ok(t, RS(5000), NULL);
	draw(1, 0, 0, id, NULL);
	at(due_of(2));
	for (int32_t t = 1; t <= 20; t++)
		pay_ok(t, RS(5000), NULL);
	draw(2, 2, RS(25000), id, NULL);
	/* the winner himself elects: 18 x 5,000 = 90,000 withheld */
	ck_assert_int_eq(cf_prize_elect_no_security(env.app, &subs[1], id, &p, &err), CF_ENOTFOUND);
	ck_assert_int_eq(cf_prize_elect_no_security(env.app, holder(2), id, &p, &err), CF_OK);
	ck_assert(p.no_security);
	ck_assert_int_eq(
	        cf_disbursement_create(env.app, &foreman, id, "neft", "UTR2", NULL, &d, NULL, &err),
	        CF_OK);
	/* prize 75,000 - GST 900 (18% of 5,000) - 90,000 capped at what is left */
	ck_assert_int_eq(d.gst_deducted.minor, RS(900));
	ck_assert_int_eq(d.withheld.minor, RS(74100));
	ck_assert_int_eq(d.amount.minor, 0);
	ck_assert_int_eq(cf_disbursement_approve(env.app, &checker, d.id, &d2, &err), CF_OK);
	s = stmt(2);
	/* installment 3 (4,000) was paid from the withheld advance */
	ck_assert_int_eq(s.rows[2].paid.minor, RS(4000));
	ck_assert_int_eq(s.advance.minor, RS(70100));
	cf_statement_free(&s);
	verify_clean();
}
END_TEST

START_TEST(test_defaulters_remove_reinstate_substitute_demand)
{
	cf_defaulter_array dl;
	cf_ticket t;
	cf_demand dm;
	cf_error err = CF_ERROR_INIT;
	char id[CF_ID_SIZE];
	cf_statement s;

	at((cf_date){2026, 4, 1});
	make_scheme(20, 0);
	at(due_of(1));
	for (int32_t k = 1; k <= 20; k++)
		if (k != 9 && k != 1)
			pay_ok(k, RS(5000), NULL);
	draw(1, 0, 0, id, NULL); /* the foreman's ticket 1 is prized, and unpaid */
	at((cf_date){2026, 4, 25});
	ck_assert_int_eq(cf_defaulters_list(env.app, &agent, scheme_id, &dl, &err), CF_OK);
	ck_assert_uint_eq(dl.count, 2);
	ck_assert_int_eq(dl.items[0].ticket_no, 1);
	ck_assert(dl.items[0].prized);
	ck_assert_int_eq(dl.items[1].ticket_no, 9);
	ck_assert_int_eq(dl.items[1].a.arrears.minor, RS(5000));
	ck_assert_int_eq(dl.items[1].a.days_past_due, 15);
	ck_assert_int_eq(dl.items[1].a.late_fee.minor, RS(50));
	cf_defaulter_array_free(&dl);
	ck_assert_int_eq(cf_defaulters_list(env.app, &subs[0], scheme_id, &dl, &err),
	                 CF_EFORBIDDEN);
	/* a prized defaulter is not removed; he gets a demand */
	ck_assert_int_eq(cf_member_remove(env.app, &foreman, scheme_id, 1, (cf_date){2026, 4, 25},
	                                  "arrears", &t, &err),
	                 CF_ECONFLICT);
	ck_assert_int_eq(cf_member_demand(env.app, &foreman, scheme_id, 1, &dm, &err), CF_OK);
	ck_assert_int_eq(dm.future.minor, RS(5000) * 18); /* installments 3..20 not fixed */
	ck_assert_int_eq(dm.installments, 20);
	ck_assert_int_eq(cf_member_demand(env.app, &foreman, scheme_id, 9, &dm, &err),
	                 CF_ECONFLICT);
	/* remove 9, reinstate refused while arrears stand, then paid and reinstated */
	ck_assert_int_eq(cf_member_remove(env.app, &agent, scheme_id, 9, (cf_date){2026, 4, 25},
	                                  "arrears", &t, &err),
	                 CF_EFORBIDDEN);
	ck_assert_int_eq(cf_member_remove(env.app, &foreman, scheme_id, 9, (cf_date){2026, 4, 1},
	                                  "arrears", &t, &err),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_member_remove(env.app, &foreman, scheme_id, 9, (cf_date){2026, 4, 25},
	                                  "arrears", &t, &err),
	                 CF_OK);
	ck_assert_int_eq(t.status, CF_TICKET_REMOVED);
	ck_assert_int_eq(cf_member_reinstate(env.app, &foreman, scheme_id, 9, &t, &err),
	                 CF_ECONFLICT);
	pay_ok(9, RS(5050), NULL);
	ck_assert_int_eq(cf_member_reinstate(env.app, &foreman, scheme_id, 9, &t, &err), CF_OK);
	ck_assert_int_eq(t.status, CF_TICKET_ACTIVE);
	/* remove again later and substitute: the old holder's principal is refunded */
	at(due_of(2));
	for (int32_t k = 2; k <= 20; k++)
		if (k != 9)
			pay_ok(k, RS(5000), NULL);
	draw(2, 2, RS(25000), id, NULL);
	at((cf_date){2026, 5, 20});
	ck_assert_int_eq(cf_member_remove(env.app, &foreman, scheme_id, 9, (cf_date){2026, 5, 20},
	                                  "arrears", &t, &err),
	                 CF_OK);
	ck_assert_int_eq(cf_member_substitute(env.app, &foreman, scheme_id, 9, subs[NSUB].user_id,
	                                      cf_money_of(RS(100)), &t, &err),
	                 CF_OK);
	ck_assert_str_eq(t.user_id, subs[NSUB].user_id);
	ck_assert_int_eq(t.status, CF_TICKET_ACTIVE);
	/* refund: 5,000 paid less 100 deduction */
	ck_assert_int_eq(balance("cash"), RS(5000) * 18 + RS(5050) + RS(5000) * 18 - RS(4900));
	s = stmt(9);
	ck_assert_int_eq(s.rows[0].paid.minor, 0);
	/* the substitute owes installments 1, 2 and 3 (fixed by draw 2 at 4,000) */
	ck_assert_int_eq(s.totals.net_due.minor, RS(5000) + RS(5000) + RS(4000));
	ck_assert_int_eq(s.totals.paid.minor, 0);
	cf_statement_free(&s);
	verify_clean();
}
END_TEST

START_TEST(test_terminate_refunds_s42)
{
	cf_scheme s;
	cf_error err = CF_ERROR_INIT;
	char id[CF_ID_SIZE];

	at((cf_date){2026, 4, 1});
	make_scheme(20, 0);
	at(due_of(1));
	for (int32_t t = 1; t <= 20; t++)
		pay_ok(t, RS(5000), NULL);
	draw(1, 0, 0, id, NULL);
	pay_ok(5, RS(6000), NULL); /* installment 2 plus 1,000 advance */
	ck_assert_int_eq(cf_scheme_terminate(env.app, &agent, scheme_id, "court order", &s, &err),
	                 CF_EFORBIDDEN);
	ck_assert_int_eq(cf_scheme_terminate(env.app, &foreman, scheme_id, "court order", &s, &err),
	                 CF_OK);
	ck_assert_int_eq(s.status, CF_SCHEME_TERMINATED);
	/* 19 non-prized tickets get 5,000 back; ticket 5 also 5,000 + 1,000 */
	ck_assert_int_eq(balance("cash"), RS(100000) + RS(6000) - RS(5000) * 19 - RS(6000));
	for (int32_t t = 1; t <= 20; t++) {
		char name[40];

		snprintf(name, sizeof name, "member_receivable/%d", (int)t);
		ck_assert_int_eq(balance(name), 0);
	}
	ck_assert_int_eq(cf_scheme_terminate(env.app, &foreman, scheme_id, "again", &s, &err),
	                 CF_ECONFLICT);
	verify_clean();
}
END_TEST

START_TEST(test_reports_and_ledger_paging)
{
	cf_report r;
	cf_report_query q;
	cf_error err = CF_ERROR_INIT;
	cf_ledger_view lv;

	at((cf_date){2026, 4, 1});
	make_scheme(20, 0);
	pay_ok(2, RS(5000), NULL);
	pay_ok(3, RS(5000), NULL);
	memset(&q, 0, sizeof q);
	q.scheme_id = scheme_id;
	ck_assert_int_eq(cf_report_build(env.app, &auditor, CF_REPORT_COLLECTIONS, &q, &r, &err),
	                 CF_OK);
	ck_assert_uint_eq(r.nrows, 1);
	ck_assert_int_eq(r.cells[4].i, 2);
	ck_assert_int_eq(r.cells[5].i, RS(10000));
	cf_report_free(&r);
	ck_assert_int_eq(cf_report_build(env.app, &auditor, CF_REPORT_OUTSTANDING, &q, &r, &err),
	                 CF_OK);
	ck_assert_uint_eq(r.nrows, 20);
	ck_assert_int_eq(r.cells[1 * 7 + 3].i, 0);        /* ticket 2 paid */
	ck_assert_int_eq(r.cells[3 * 7 + 3].i, RS(5000)); /* ticket 4 owes */
	cf_report_free(&r);
	ck_assert_int_eq(cf_report_build(env.app, &auditor, CF_REPORT_TRIAL_BALANCE, &q, &r, &err),
	                 CF_OK);
	{
		int64_t dr = 0, cr = 0;

		for (size_t i = 0; i < r.nrows; i++) {
			dr += r.cells[i * 4 + 2].i;
			cr += r.cells[i * 4 + 3].i;
		}
		ck_assert_int_eq(dr, cr);
	}
	cf_report_free(&r);
	ck_assert_int_eq(cf_report_build(env.app, &subs[0], CF_REPORT_PRIZES, &q, &r, &err),
	                 CF_EFORBIDDEN);
	/* ledger pages: 40 demand lines + 2 x 2 payment lines */
	ck_assert_int_eq(cf_ledger_get(env.app, &auditor, scheme_id, 30, NULL, &lv, &err), CF_OK);
	ck_assert_uint_eq(lv.lines.count, 30);
	ck_assert_str_ne(lv.next_cursor, "");
	{
		char cur[CF_CURSOR_SIZE];

		memcpy(cur, lv.next_cursor, sizeof cur);
		cf_ledger_view_free(&lv);
		ck_assert_int_eq(cf_ledger_get(env.app, &auditor, scheme_id, 30, cur, &lv, &err),
		                 CF_OK);
		ck_assert_uint_eq(lv.lines.count, 14);
		ck_assert_str_eq(lv.next_cursor, "");
	}
	cf_ledger_view_free(&lv);
	ck_assert_int_eq(cf_ledger_get(env.app, &subs[0], scheme_id, 30, NULL, &lv, &err),
	                 CF_EFORBIDDEN);
}
END_TEST

/* domain.md's 20-draw schedule, lived end to end */
static const int64_t bids[20] = {0,     25000, 25000, 25000, 25000, 25000, 25000,
                                 23000, 21000, 19000, 17000, 15000, 13000, 11500,
                                 10000, 8500,  7000,  6000,  5500,  5000};
static const int64_t installment[20] = {5000, 5000, 4000, 4000, 4000, 4000, 4000, 4000, 4100, 4200,
                                        4300, 4400, 4500, 4600, 4675, 4750, 4825, 4900, 4950, 4975};

START_TEST(test_whole_life_of_twenty_draws)
{
	char ids[20][CF_ID_SIZE];
	cf_error err = CF_ERROR_INIT;
	cf_scheme sc;
	int64_t gst = 0;

	at((cf_date){2026, 4, 1});
	make_scheme(20, 0);
	for (int32_t k = 1; k <= 20; k++) {
		cf_auction_result r;

		at(due_of(k));
		for (int32_t t = 1; t <= 20; t++) {
			int64_t o = owed(t);

			if (o > 0)
				pay_ok(t, o, NULL);
		}
		/* ticket k wins draw k (the foreman's first chit, then the bids; the last alone) */
		draw(k, k == 1 || k == 20 ? 0 : k, RS(bids[k - 1]), ids[k - 1], &r);
		ck_assert_int_eq(r.s.winner_ticket_no, k);
		gst += r.s.gst_on_commission.minor;
		/* pay the prize: security for most, no-security for ticket 7 */
		{
			cf_prize p;
			cf_disbursement d, d2;
			cf_security_rec sec;

			ck_assert_int_eq(cf_prize_get(env.app, &foreman, ids[k - 1], &p, &err),
			                 CF_OK);
			if (k == 7) {
				ck_assert_int_eq(cf_prize_elect_no_security(env.app, &foreman,
				                                            ids[k - 1], &p, &err),
				                 CF_OK);
			} else if (p.liability.minor > 0) {
				ck_assert_int_eq(
				        cf_security_record(env.app, &foreman, ids[k - 1],
				                           CF_SECURITY_PROPERTY, "land",
				                           cf_money_of(p.liability.minor * 2), &sec,
				                           &err),
				        CF_OK);
			}
			ck_assert_int_eq(cf_disbursement_create(env.app, &foreman, ids[k - 1],
			                                        "neft", "UTR", NULL, &d, NULL,
			                                        &err),
			                 CF_OK);
			ck_assert_int_eq(
			        cf_disbursement_approve(env.app, &checker, d.id, &d2, &err), CF_OK);
		}
		verify_clean();
	}
	ck_assert_int_eq(gst, RS(17100));
	ck_assert_int_eq(cf_scheme_get(env.app, &foreman, scheme_id, &sc, &err), CF_OK);
	ck_assert_str_eq(cf_scheme_status_name(sc.status), "completed");
	ck_assert_int_eq(balance("scheme_pool"), 0);
	ck_assert_int_eq(balance("dividend_remainder"), 0);
	ck_assert_int_eq(balance("commission_income"), -RS(95000) + RS(0));
	ck_assert_int_eq(balance("gst_payable"), -RS(17100));
	for (int32_t t = 1; t <= 20; t++) {
		cf_statement s = stmt(t);
		char name[40];

		for (int32_t k = 1; k <= 20; k++) {
			ck_assert_msg(s.rows[k - 1].net_due.minor == RS(installment[k - 1]),
			              "ticket %d installment %d: %lld", (int)t, (int)k,
			              (long long)s.rows[k - 1].net_due.minor);
			ck_assert_int_eq(s.rows[k - 1].balance.minor, 0);
		}
		ck_assert_int_eq(s.totals.paid.minor, RS(89175));
		ck_assert_int_eq(s.advance.minor, 0);
		ck_assert(s.has_prize);
		ck_assert_int_eq(s.prize_installment_no, t);
		ck_assert(s.prize_paid);
		snprintf(name, sizeof name, "member_receivable/%d", (int)t);
		ck_assert_int_eq(balance(name), 0);
		snprintf(name, sizeof name, "prize_payable/%d", (int)t);
		ck_assert_int_eq(balance(name), 0);
		cf_statement_free(&s);
	}
	verify_clean();
	/* effective rate: a mid-term winner's flows change sign twice (no XIRR; NPV and the
	 * plain difference), the last winner's once */
	{
		cf_statement s2 = stmt(2), s20 = stmt(20);

		ck_assert_int_eq(s2.prize_amount.minor, RS(75000));
		ck_assert_int_eq(s2.net_payout.minor, RS(74100));
		ck_assert(!s2.has_xirr);
		ck_assert_int_eq(s2.plain_difference.minor, RS(74100) - RS(89175));
		ck_assert(s20.has_xirr);
		ck_assert_int_gt(s20.xirr_bps, 0);
		ck_assert_int_eq(s20.plain_difference.minor, RS(94100) - RS(89175));
		cf_statement_free(&s2);
		cf_statement_free(&s20);
	}
	/* receipts gapless per financial year: 2026-27 then 2027-28 */
	{
		cf_payment_page pg;
		int64_t next[2] = {1, 1};

		ck_assert_int_eq(
		        cf_payment_list(env.app, &auditor, scheme_id, 200, NULL, &pg, &err), CF_OK);
		ck_assert_uint_gt(pg.payments.count, 0);
		for (size_t i = 0; i < pg.payments.count; i++) {
			const cf_payment *p = &pg.payments.items[i];
			int fy = p->receipt_fy == 2026 ? 0 : 1;

			ck_assert_int_eq(p->receipt_seq, next[fy]++);
		}
		cf_payment_page_free(&pg);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("app_money");
	TCase *tc = tcase_create("money");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_commence_fixes_installment_one);
	tcase_add_test(tc, test_payment_allocation_advance_and_receipts);
	tcase_add_test(tc, test_late_fee_golden);
	tcase_add_test(tc, test_payment_rules_and_roles);
	tcase_add_test(tc, test_idempotency);
	tcase_add_test(tc, test_bounce_reopens_dues);
	tcase_add_test(tc, test_draw_fixes_next_and_applies_advance);
	tcase_add_test(tc, test_security_and_maker_checker);
	tcase_add_test(tc, test_no_security_withholds);
	tcase_add_test(tc, test_defaulters_remove_reinstate_substitute_demand);
	tcase_add_test(tc, test_terminate_refunds_s42);
	tcase_add_test(tc, test_reports_and_ledger_paging);
	tcase_add_test(tc, test_whole_life_of_twenty_draws);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
