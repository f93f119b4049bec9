/*
 * test_app_auctions.c - the draw use cases (chitfund/auctions.h) over the
 * memory adapter: lifecycle and refusals, bid refusal slugs, visibility,
 * settlement (amounts, prized ticket, dividend credits, ledger lines and
 * GST, carried remainder), lots with proofs, prompt payers with a fake
 * overdue source, anti-sniping and the ticker, atomicity under injected
 * faults, events only after commit, minutes, and the 20-draw schedule of
 * domain.md.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_sha256_ref.h"
#include "cf_test_app.h"
#include "chitfund.h"
#include "chitfund/adapters/memory_auctions.h"
#include "chitfund/auctions.h"
#include "chitfund/domain/ledger.h"

#define RS(x)    ((int64_t)(x)*100) /* rupees to paise */
#define MAX_SUBS 4

static cf_test_env env;
static cf_memory_auctions *mem;
static cf_actor foreman, other_foreman, auditor, subs[MAX_SUBS];
static cf_user foreman_user;
static char scheme_id[CF_ID_SIZE];

static void setup(void)
{
	cf_app_config cfg;

	cf_app_config_init(&cfg);
	cfg.anti_sniping_s = 60;
	ck_assert_int_eq(cf_test_env_init(&env, &cfg), CF_OK);
	cf_app_free(env.app);
	env.app = NULL;
	ck_assert_int_eq(cf_memory_auctions_new(&mem), CF_OK);
	cf_memory_auctions_ports(mem, &env.ports);
	ck_assert_int_eq(cf_app_new(&env.app, &env.ports, &cfg, NULL), CF_OK);
	ck_assert_int_eq(
	        cf_test_make_user(&env, "f@example.com", CF_ROLE_FOREMAN, &foreman, &foreman_user),
	        CF_OK);
	ck_assert_int_eq(
	        cf_test_make_user(&env, "g@example.com", CF_ROLE_FOREMAN, &other_foreman, NULL),
	        CF_OK);
	ck_assert_int_eq(cf_test_make_user(&env, "a@example.com", CF_ROLE_AUDITOR, &auditor, NULL),
	                 CF_OK);
	for (int i = 0; i < MAX_SUBS; i++) {
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
	cf_memory_auctions_free(mem);
	mem = NULL;
	cf_test_env_free(&env);
}

/* Holder of ticket t: the foreman holds ticket 1, subscribers the rest in turn. */
static const cf_actor *holder(int32_t t)
{
	return t == 1 ? &foreman : &subs[(t - 2) % MAX_SUBS];
}

typedef struct scheme_opts {
	int64_t value;
	int32_t n;
	int32_t commission_bps;
	int32_t max_discount_bps;
	cf_auction_method method;
	bool foreman_first;
	int policy; /* -1: default */
	cf_profile_id profile;
	bool commence;
	int64_t min_discount; /* 0: default */
} scheme_opts;

static scheme_opts default_opts(void)
{
	scheme_opts o = {
	        RS(100000), 20, 500, 2500, CF_METHOD_AUCTION, true, -1, CF_PROFILE_IN_CENTRAL_2019,
	        true,       0};
	return o;
}

static void make_scheme(scheme_opts o)
{
	cf_scheme_create_req req;
	cf_scheme s;
	cf_error err = CF_ERROR_INIT;

	memset(&req, 0, sizeof req);
	req.name = "Test chit";
	cf_scheme_params_init(&req.params);
	req.params.chit_value = cf_money_of(o.value);
	req.params.member_count = o.n;
	req.params.start_date = (cf_date){2026, 4, 10};
	req.params.commission_bps = o.commission_bps;
	req.params.max_discount_bps = o.max_discount_bps;
	req.params.auction_method = o.method;
	req.params.first_prize_to_foreman = o.foreman_first;
	req.params.rules_profile = o.profile;
	req.given = CF_SP_COMMISSION_BPS | CF_SP_MAX_DISCOUNT_BPS | CF_SP_AUCTION_METHOD |
	            CF_SP_FIRST_PRIZE_TO_FOREMAN | CF_SP_RULES_PROFILE;
	if (o.min_discount > 0) {
		req.params.min_discount = cf_money_of(o.min_discount);
		req.given |= CF_SP_MIN_DISCOUNT;
	}
	if (o.policy >= 0) {
		req.params.dividend_policy = (cf_dividend_policy)o.policy;
		req.given |= CF_SP_DIVIDEND_POLICY;
	}
	ck_assert_int_eq(cf_scheme_create(env.app, &foreman, &req, &s, &err), CF_OK);
	memcpy(scheme_id, s.id, sizeof scheme_id);
	ck_assert_int_eq(cf_scheme_open(env.app, &foreman, scheme_id, &s, NULL), CF_OK);
	for (int32_t t = 1; t <= o.n; t++) {
		cf_enrol_req er = {holder(t)->user_id, t};
		cf_ticket tk;

		ck_assert_int_eq(cf_scheme_enrol(env.app, &foreman, scheme_id, &er, &tk, &err),
		                 CF_OK);
	}
	if (o.commence)
		ck_assert_int_eq(cf_scheme_commence(env.app, &foreman, scheme_id, "REG/1", "REF/1",
		                                    &s, &err),
		                 CF_OK);
}

static void create_auction(int32_t k, char id[CF_ID_SIZE])
{
	cf_auction_create_req req = {k, 0, 0, 0};
	cf_auction_view v;
	cf_error err = CF_ERROR_INIT;

	ck_assert_int_eq(cf_auction_create(env.app, &foreman, scheme_id, &req, &v, &err), CF_OK);
	ck_assert_int_eq(v.a.status, CF_AUCTION_SCHEDULED);
	memcpy(id, v.a.id, CF_ID_SIZE);
	cf_auction_view_free(&v);
}

static void open_auction(const char *id)
{
	cf_auction_view v;
	cf_error err = CF_ERROR_INIT;

	ck_assert_int_eq(cf_auction_open(env.app, &foreman, id, &v, &err), CF_OK);
	ck_assert_int_eq(v.a.status, CF_AUCTION_OPEN);
	ck_assert_uint_eq(strlen(v.a.lot_commitment), 64);
	ck_assert_str_eq(v.a.lot_seed, "");
	cf_auction_view_free(&v);
}

static int bid_as(const cf_actor *who, const char *id, int32_t t, int64_t discount, cf_error *err)
{
	cf_bid_req req = {t, cf_money_of(discount)};
	cf_bid_result r;

	return cf_auction_bid(env.app, who, id, &req, &r, err);
}

static void bid_ok(const char *id, int32_t t, int64_t discount)
{
	cf_error err = CF_ERROR_INIT;
	int rc = bid_as(holder(t), id, t, discount, &err);

	ck_assert_msg(rc == CF_OK, "bid %d by ticket %d: %s", (int)discount, (int)t, err.slug);
}

static void expect_refusal(const cf_actor *who, const char *id, int32_t t, int64_t discount,
                           int code, const char *slug)
{
	cf_error err = CF_ERROR_INIT;

	ck_assert_int_eq(bid_as(who, id, t, discount, &err), code);
	ck_assert_str_eq(err.slug, slug);
}

static void close_ok(const char *id, cf_auction_result *r)
{
	cf_error err = CF_ERROR_INIT;
	int rc = cf_auction_close(env.app, &foreman, id, NULL, r, &err);

	ck_assert_msg(rc == CF_OK, "close: %d %s %s", rc, err.slug, err.message);
}

/* Runs draw k with the given bids (ticket, discount pairs) and closes it. */
static void run_draw(int32_t k, const int32_t *tickets, const int64_t *discounts, size_t n,
                     cf_auction_result *r)
{
	char id[CF_ID_SIZE];

	create_auction(k, id);
	open_auction(id);
	for (size_t i = 0; i < n; i++)
		bid_ok(id, tickets[i], discounts[i]);
	close_ok(id, r);
}

/* ---- lifecycle refusals ---- */

START_TEST(test_create_refusals)
{
	scheme_opts o = default_opts();
	cf_auction_create_req req = {1, 0, 0, 0};
	cf_auction_view v;
	cf_error err = CF_ERROR_INIT;
	char id[CF_ID_SIZE];

	o.commence = false;
	make_scheme(o);
	ck_assert_int_eq(cf_auction_create(env.app, &foreman, scheme_id, &req, &v, &err),
	                 CF_ECONFLICT);
	ck_assert_str_eq(err.slug, "scheme-not-running");
	{
		cf_scheme s;

		ck_assert_int_eq(
		        cf_scheme_commence(env.app, &foreman, scheme_id, "R", "C", &s, NULL),
		        CF_OK);
	}
	req.installment_no = 21;
	ck_assert_int_eq(cf_auction_create(env.app, &foreman, scheme_id, &req, &v, &err),
	                 CF_EINVALID);
	ck_assert_str_eq(err.field, "installment_no");
	req.installment_no = 2;
	ck_assert_int_eq(cf_auction_create(env.app, &foreman, scheme_id, &req, &v, &err),
	                 CF_ECONFLICT);
	ck_assert_str_eq(err.slug, "previous-draw-unsettled");
	req.installment_no = 1;
	ck_assert_int_eq(cf_auction_create(env.app, &other_foreman, scheme_id, &req, &v, &err),
	                 CF_EFORBIDDEN);
	ck_assert_int_eq(cf_auction_create(env.app, &subs[0], scheme_id, &req, &v, &err),
	                 CF_EFORBIDDEN);
	create_auction(1, id);
	ck_assert_int_eq(cf_auction_create(env.app, &foreman, scheme_id, &req, &v, &err),
	                 CF_ECONFLICT);
	ck_assert_str_eq(err.slug, "auction-exists");
	req.installment_no = 2;
	ck_assert_int_eq(cf_auction_create(env.app, &foreman, scheme_id, &req, &v, &err),
	                 CF_ECONFLICT);
	ck_assert_str_eq(err.slug, "previous-draw-unsettled");
	/* a draw that is only open is not settled either */
	open_auction(id);
	ck_assert_int_eq(cf_auction_create(env.app, &foreman, scheme_id, &req, &v, &err),
	                 CF_ECONFLICT);
	ck_assert_str_eq(err.slug, "previous-draw-unsettled");
	/* opening twice is a conflict; unknown ids are not found */
	ck_assert_int_eq(cf_auction_open(env.app, &foreman, id, &v, &err), CF_ECONFLICT);
	ck_assert_int_eq(cf_auction_get(env.app, &foreman, "not-a-uuid", &v, &err), CF_ENOTFOUND);
	ck_assert_int_eq(
	        cf_auction_get(env.app, &foreman, "00000000-0000-4000-8000-000000000000", &v, &err),
	        CF_ENOTFOUND);
}
END_TEST

/* ---- bid refusals, in domain order ---- */

START_TEST(test_bid_refusals)
{
	scheme_opts o = default_opts();
	cf_auction_result r;
	char id[CF_ID_SIZE];
	int32_t t1[] = {1};
	int64_t d0[] = {0};

	o.foreman_first = false;
	make_scheme(o);
	create_auction(1, id);
	/* not open yet */
	expect_refusal(holder(2), id, 2, RS(5000), CF_ECONFLICT, "auction-not-open");
	open_auction(id);
	/* a subscriber for someone else's ticket */
	expect_refusal(&subs[1], id, 2, RS(5000), CF_EFORBIDDEN, "forbidden");
	/* agents, auditors and other foremen do not bid */
	expect_refusal(&auditor, id, 2, RS(5000), CF_EFORBIDDEN, "forbidden");
	expect_refusal(&other_foreman, id, 2, RS(5000), CF_EFORBIDDEN, "forbidden");
	/* unknown ticket (the foreman may name any number) */
	expect_refusal(&foreman, id, 99, RS(5000), CF_ERULE, "ticket-not-eligible");
	/* overdue */
	ck_assert_int_eq(cf_memory_auctions_set_overdue(mem, scheme_id, 3, true), CF_OK);
	expect_refusal(holder(3), id, 3, RS(5000), CF_ERULE, "ticket-in-default");
	ck_assert_int_eq(cf_memory_auctions_set_overdue(mem, scheme_id, 3, false), CF_OK);
	/* amounts: ceiling 25,000; floor 5,000; increment 100 */
	expect_refusal(holder(2), id, 2, RS(25001), CF_ERULE, "bid-above-cap");
	expect_refusal(holder(2), id, 2, RS(4900), CF_ERULE, "bid-below-floor");
	expect_refusal(holder(2), id, 2, RS(5050), CF_ERULE, "bid-not-multiple");
	bid_ok(id, 2, RS(6000));
	expect_refusal(holder(3), id, 3, RS(6000), CF_ERULE, "bid-not-higher");
	expect_refusal(holder(3), id, 3, RS(6050), CF_ERULE, "bid-not-multiple");
	bid_ok(id, 3, RS(6100));
	/* the foreman bids for a holder: a proxy bid */
	{
		cf_bid_req req = {4, cf_money_of(RS(7000))};
		cf_bid_result br;

		ck_assert_int_eq(cf_auction_bid(env.app, &foreman, id, &req, &br, NULL), CF_OK);
		ck_assert_str_eq(br.bid.proxy_by, foreman.user_id);
		ck_assert_str_eq(br.bid.bidder_id, holder(4)->user_id);
		ck_assert_int_eq(br.bid.seq, 3);
	}
	close_ok(id, &r);
	ck_assert_int_eq(r.s.winner_ticket_no, 4);
	ck_assert_int_eq(r.s.decided_by, CF_DECIDED_BY_BID);
	/* settled: bids refused; the winner is prized for later draws */
	expect_refusal(holder(2), id, 2, RS(8000), CF_ECONFLICT, "auction-not-open");
	ck_assert_int_eq(cf_auction_close(env.app, &foreman, id, NULL, &r, NULL), CF_ECONFLICT);
	create_auction(2, id);
	open_auction(id);
	expect_refusal(holder(4), id, 4, RS(8000), CF_ERULE, "ticket-already-prized");
	(void)t1;
	(void)d0;
}
END_TEST

/* ---- visibility ---- */

START_TEST(test_visibility_open_and_sealed)
{
	scheme_opts o = default_opts();
	cf_auction_view v;
	char id[CF_ID_SIZE];

	o.foreman_first = false;
	o.method = CF_METHOD_SEALED;
	make_scheme(o);
	create_auction(1, id);
	open_auction(id);
	bid_ok(id, 2, RS(6000));
	bid_ok(id, 3, RS(9000));
	/* sealed: a second bid from the same ticket */
	expect_refusal(holder(2), id, 2, RS(7000), CF_ERULE, "bid-already-placed");
	ck_assert_int_eq(cf_auction_get(env.app, &subs[0], id, &v, NULL), CF_OK);
	ck_assert(!v.staff);
	ck_assert(!v.a.has_standing);
	ck_assert_int_eq(v.a.bid_count, 2);
	ck_assert_uint_eq(v.bids.count, 0);
	cf_auction_view_free(&v);
	ck_assert_int_eq(cf_auction_get(env.app, &auditor, id, &v, NULL), CF_OK);
	ck_assert(v.staff);
	ck_assert(v.a.has_standing);
	ck_assert_int_eq(v.a.standing_discount.minor, RS(9000));
	ck_assert_uint_eq(v.bids.count, 2);
	ck_assert_int_eq(v.bids.items[1].ticket_no, 3);
	cf_auction_view_free(&v);
	/* a user with no ticket in the scheme does not see it */
	{
		cf_actor stranger;

		ck_assert_int_eq(cf_test_make_user(&env, "x@example.com", CF_ROLE_SUBSCRIBER,
		                                   &stranger, NULL),
		                 CF_OK);
		ck_assert_int_eq(cf_auction_get(env.app, &stranger, id, &v, NULL), CF_ENOTFOUND);
	}
}
END_TEST

START_TEST(test_visibility_open_auction_standing)
{
	scheme_opts o = default_opts();
	cf_auction_view v;
	char id[CF_ID_SIZE];

	o.foreman_first = false;
	make_scheme(o);
	create_auction(1, id);
	open_auction(id);
	bid_ok(id, 2, RS(6000));
	ck_assert_int_eq(cf_auction_get(env.app, &subs[1], id, &v, NULL), CF_OK);
	ck_assert(v.a.has_standing);
	ck_assert_int_eq(v.a.standing_discount.minor, RS(6000));
	ck_assert_uint_eq(v.bids.count, 0);
	cf_auction_view_free(&v);
}
END_TEST

/* ---- settlement ---- */

static int64_t balance_of(const cf_ledger_line_array *l, const char *account)
{
	int64_t sum = 0;

	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i].account, account) == 0)
			sum += l->items[i].amount.minor;
	return sum;
}

START_TEST(test_close_settles_e2_with_ledger_and_credits)
{
	/* E2: V = 2,00,000; N = 40; c = 5%; discount 80,000 -> dividend 1,750, prize 1,20,000,
	 * GST 18% by the winner: net payout 1,18,200 */
	scheme_opts o = default_opts();
	cf_auction_result r;
	cf_ledger_line_array l;
	cf_dividend_credit_array c;
	char id[CF_ID_SIZE];
	int32_t t[] = {2, 5};
	int64_t d[] = {RS(70000), RS(80000)};

	o.value = RS(200000);
	o.n = 40;
	o.max_discount_bps = 4000;
	o.foreman_first = false;
	make_scheme(o);
	run_draw(1, t, d, 2, &r);
	ck_assert_int_eq(r.s.winner_ticket_no, 5);
	ck_assert_int_eq(r.s.discount.minor, RS(80000));
	ck_assert_int_eq(r.s.commission.minor, RS(10000));
	ck_assert_int_eq(r.s.dividend_per_ticket.minor, RS(1750));
	ck_assert_int_eq(r.s.dividend_shares, 40);
	ck_assert_int_eq(r.s.prize_amount.minor, RS(120000));
	ck_assert_int_eq(r.s.gst_on_commission.minor, RS(1800));
	ck_assert_int_eq(r.s.net_payout.minor, RS(118200));
	ck_assert_int_eq(r.s.net_subscription.minor, RS(3250));
	ck_assert_int_eq(r.s.dividend_applies_to_installment, 2);
	ck_assert(!r.has_lot);
	/* ticket prized */
	{
		cf_ticket_array m;

		ck_assert_int_eq(cf_scheme_members(env.app, &foreman, scheme_id, &m, NULL), CF_OK);
		ck_assert(m.items[4].prized);
		ck_assert_int_eq(m.items[4].prized_installment_no, 1);
		ck_assert(!m.items[1].prized);
		cf_ticket_array_free(&m);
	}
	/* credits: 40 rows of 1,750 for installment 2 */
	ck_assert_int_eq(cf_scheme_dividend_credits(env.app, &foreman, scheme_id, &c, NULL), CF_OK);
	ck_assert_uint_eq(c.count, 40);
	for (size_t i = 0; i < c.count; i++) {
		ck_assert_int_eq(c.items[i].installment_no, 2);
		ck_assert_int_eq(c.items[i].amount.minor, RS(1750));
		ck_assert_int_eq(c.items[i].ticket_no, (int32_t)i + 1);
	}
	cf_dividend_credit_array_free(&c);
	/* subscribers may not read them */
	ck_assert_int_eq(cf_scheme_dividend_credits(env.app, &subs[0], scheme_id, &c, NULL),
	                 CF_EFORBIDDEN);
	/* ledger: balanced per event, the accounts of domain.md */
	ck_assert_int_eq(cf_scheme_ledger(env.app, &auditor, scheme_id, &l, NULL), CF_OK);
	{
		int64_t sum = 0;

		for (size_t i = 0; i < l.count; i++)
			sum += l.items[i].amount.minor;
		ck_assert_int_eq(sum, 0);
	}
	ck_assert_int_eq(balance_of(&l, "scheme_pool"), RS(200000));
	ck_assert_int_eq(balance_of(&l, "prize_payable/5"), -RS(120000) + RS(1800));
	ck_assert_int_eq(balance_of(&l, "commission_income"), -RS(10000));
	ck_assert_int_eq(balance_of(&l, "gst_payable"), -RS(1800));
	ck_assert_int_eq(balance_of(&l, "member_receivable/1"), -RS(1750));
	ck_assert_int_eq(balance_of(&l, "member_receivable/40"), -RS(1750));
	ck_assert_int_eq(balance_of(&l, "dividend_remainder"), 0);
	{
		/* two events: draw and gst, each balanced */
		int64_t draw = 0, gst = 0;

		for (size_t i = 0; i < l.count; i++) {
			if (strcmp(l.items[i].event, "draw") == 0)
				draw += l.items[i].amount.minor;
			else if (strcmp(l.items[i].event, "gst") == 0)
				gst += l.items[i].amount.minor;
			else
				ck_abort_msg("unexpected event %s", l.items[i].event);
		}
		ck_assert_int_eq(draw, 0);
		ck_assert_int_eq(gst, 0);
	}
	cf_ledger_line_array_free(&l);
	/* the result is readable from the auction; the seed is revealed there only */
	{
		cf_auction_view v;

		ck_assert_int_eq(cf_auction_get(env.app, &subs[0], r.auction_id, &v, NULL), CF_OK);
		ck_assert(v.settled);
		ck_assert_str_eq(v.a.lot_seed, "");
		ck_assert_uint_eq(strlen(v.result.lot_seed), 64);
		{
			char c2[65];

			ck_assert_int_eq(cf_lot_commitment(v.result.lot_seed, cf_test_sha256, c2),
			                 CF_OK);
			ck_assert_str_eq(c2, v.a.lot_commitment);
		}
		ck_assert_int_eq(v.result.s.winner_ticket_no, 5);
		cf_auction_view_free(&v);
	}
	(void)id;
}
END_TEST

START_TEST(test_remainder_carried_to_next_draw)
{
	/* N = 3, V = 3,000: c = 5% -> C = 150; discount 400 -> distributable 250 / 3 = 83 r 1 */
	scheme_opts o = default_opts();
	cf_auction_result r1, r2;
	int32_t t[] = {2};
	int64_t d1[] = {RS(400)};

	o.value = RS(3000);
	o.n = 3;
	o.max_discount_bps = 4000;
	o.foreman_first = false;
	make_scheme(o);
	/* bid_increment default 100 rupees; floor = 150 rupees */
	run_draw(1, t, d1, 1, &r1);
	ck_assert_int_eq(r1.s.dividend_per_ticket.minor, 8333);
	ck_assert_int_eq(r1.s.remainder_carried.minor, 1);
	ck_assert(!r1.s.remainder_to_foreman);
	{
		int32_t t2[] = {3};
		int64_t d2[] = {RS(400)};

		run_draw(2, t2, d2, 1, &r2);
	}
	ck_assert_int_eq(r2.s.carried_in.minor, 1);
	ck_assert_int_eq(r2.s.distributable.minor, RS(250) + 1);
	/* draw 3: single eligible ticket (1) wins at min_discount as last_ticket */
	{
		cf_auction_result r3;
		cf_ledger_line_array l;

		run_draw(3, NULL, NULL, 0, &r3);
		ck_assert_int_eq(r3.s.decided_by, CF_DECIDED_BY_LAST_TICKET);
		ck_assert_int_eq(r3.s.winner_ticket_no, 1);
		ck_assert_int_eq(r3.s.carried_in.minor, r2.s.remainder_carried.minor);
		ck_assert(r3.s.remainder_to_foreman);
		ck_assert_int_eq(r3.s.dividend_applies_to_installment, 0);
		ck_assert(!r3.s.net_subscription_known);
		ck_assert_int_eq(cf_scheme_ledger(env.app, &foreman, scheme_id, &l, NULL), CF_OK);
		ck_assert_int_eq(balance_of(&l, "dividend_remainder"), 0);
		ck_assert_int_eq(balance_of(&l, "scheme_pool"), RS(9000));
		ck_assert_int_eq(balance_of(&l, "foreman_rounding"), -r3.s.remainder_carried.minor);
		cf_ledger_line_array_free(&l);
	}
}
END_TEST

START_TEST(test_last_draw_dividend_to_advance)
{
	/* N = 2, V = 20,000, C = 1,000, min_discount 3,000: draw 2 is last_ticket at 3,000,
	 * dividend (3,000 - 1,000) / 2 = 1,000 per ticket, credited to the advance */
	scheme_opts o = default_opts();
	cf_auction_result r1, r2;
	cf_dividend_credit_array c;
	int32_t t[] = {2};
	int64_t d[] = {RS(4000)};

	o.value = RS(20000);
	o.n = 2;
	o.max_discount_bps = 4000;
	o.foreman_first = false;
	o.min_discount = RS(3000);
	make_scheme(o);
	run_draw(1, t, d, 1, &r1);
	ck_assert_int_eq(r1.s.dividend_applies_to_installment, 2);
	run_draw(2, NULL, NULL, 0, &r2);
	ck_assert_int_eq(r2.s.decided_by, CF_DECIDED_BY_LAST_TICKET);
	ck_assert_int_eq(r2.s.winner_ticket_no, 1);
	ck_assert_int_eq(r2.s.dividend_per_ticket.minor, RS(1000));
	ck_assert_int_eq(r2.s.dividend_applies_to_installment, 0);
	ck_assert_int_eq(cf_scheme_dividend_credits(env.app, &foreman, scheme_id, &c, NULL), CF_OK);
	ck_assert_uint_eq(c.count, 4);
	ck_assert_int_eq(c.items[0].installment_no, 2);
	ck_assert_int_eq(c.items[0].amount.minor, RS(1500));
	ck_assert_int_eq(c.items[2].installment_no, 0);
	ck_assert_int_eq(c.items[2].amount.minor, RS(1000));
	ck_assert_int_eq(c.items[3].installment_no, 0);
	cf_dividend_credit_array_free(&c);
}
END_TEST

/* ---- lots ---- */

static void parse_candidates(const char *s, int32_t *out, size_t *n)
{
	*n = 0;
	while (*s) {
		char *end;
		long v = strtol(s, &end, 10);

		out[(*n)++] = (int32_t)v;
		s = *end == ',' ? end + 1 : end;
	}
}

START_TEST(test_sealed_tie_decided_by_verifiable_lot)
{
	scheme_opts o = default_opts();
	cf_auction_result r;
	int32_t t[] = {2, 3, 4, 5};
	int64_t d[] = {RS(9000), RS(12000), RS(8000), RS(12000)};
	int32_t cands[8];
	size_t n;

	o.foreman_first = false;
	o.method = CF_METHOD_SEALED;
	make_scheme(o);
	run_draw(1, t, d, 4, &r);
	ck_assert_int_eq(r.s.decided_by, CF_DECIDED_BY_LOT);
	ck_assert(r.has_lot);
	ck_assert_str_eq(r.lot_candidates, "3,5");
	ck_assert_int_eq(r.s.discount.minor, RS(12000));
	parse_candidates(r.lot_candidates, cands, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(cands[r.lot_index], r.s.winner_ticket_no);
	ck_assert_int_eq(cf_lot_recheck(r.lot_commitment, r.lot_seed, r.auction_id, cands, n,
	                                (size_t)r.lot_index, r.s.winner_ticket_no, cf_test_sha256),
	                 CF_OK);
	/* a wrong winner or a tampered seed does not verify */
	ck_assert_int_ne(cf_lot_recheck(r.lot_commitment, r.lot_seed, r.auction_id, cands, n,
	                                (size_t)(1 - r.lot_index), r.s.winner_ticket_no,
	                                cf_test_sha256),
	                 CF_OK);
	{
		char seed[65];

		memcpy(seed, r.lot_seed, sizeof seed);
		seed[0] = seed[0] == 'a' ? 'b' : 'a';
		ck_assert_int_ne(cf_lot_recheck(r.lot_commitment, seed, r.auction_id, cands, n,
		                                (size_t)r.lot_index, r.s.winner_ticket_no,
		                                cf_test_sha256),
		                 CF_OK);
	}
	/* the minutes carry the proof */
	{
		char *json = NULL, *text = NULL;
		char needle[128];

		ck_assert_int_eq(
		        cf_auction_minutes(env.app, &subs[0], r.auction_id, false, &json, NULL),
		        CF_OK);
		snprintf(needle, sizeof needle, "\"seed\":\"%s\"", r.lot_seed);
		ck_assert_ptr_nonnull(strstr(json, needle));
		ck_assert_ptr_nonnull(strstr(json, "\"candidates\":[3,5]"));
		ck_assert_ptr_nonnull(strstr(json, "\"place\":\"online\""));
		ck_assert_int_eq(
		        cf_auction_minutes(env.app, &foreman, r.auction_id, true, &text, NULL),
		        CF_OK);
		ck_assert_ptr_nonnull(strstr(text, "Test User, Foreman"));
		ck_assert_ptr_nonnull(strstr(text, r.lot_seed));
		free(json);
		free(text);
	}
}
END_TEST

START_TEST(test_ceiling_tie_in_open_auction_and_lot_method)
{
	scheme_opts o = default_opts();
	cf_auction_result r;
	char id[CF_ID_SIZE];

	o.foreman_first = false;
	make_scheme(o);
	/* open auction: ceiling 25,000; two tickets join the ceiling, a third joins too;
	 * the same ticket joining twice is bid-not-higher */
	create_auction(1, id);
	open_auction(id);
	bid_ok(id, 2, RS(20000));
	bid_ok(id, 3, RS(25000));
	bid_ok(id, 4, RS(25000));
	expect_refusal(holder(4), id, 4, RS(25000), CF_ERULE, "bid-not-higher");
	expect_refusal(holder(5), id, 5, RS(24900), CF_ERULE, "bid-not-higher");
	bid_ok(id, 5, RS(25000));
	close_ok(id, &r);
	ck_assert_int_eq(r.s.decided_by, CF_DECIDED_BY_LOT);
	ck_assert_str_eq(r.lot_candidates, "3,4,5");
	ck_assert_int_eq(r.s.discount.minor, RS(25000));
	{
		int32_t c[3] = {3, 4, 5};

		ck_assert_int_eq(cf_lot_recheck(r.lot_commitment, r.lot_seed, r.auction_id, c, 3,
		                                (size_t)r.lot_index, r.s.winner_ticket_no,
		                                cf_test_sha256),
		                 CF_OK);
	}
}
END_TEST

START_TEST(test_lot_method_takes_no_bids)
{
	scheme_opts o = default_opts();
	cf_auction_result r;
	char id[CF_ID_SIZE];

	o.foreman_first = false;
	o.method = CF_METHOD_LOT;
	o.n = 4;
	o.value = RS(40000);
	make_scheme(o);
	create_auction(1, id);
	open_auction(id);
	expect_refusal(holder(2), id, 2, RS(5000), CF_ECONFLICT, "auction-not-open");
	close_ok(id, &r);
	ck_assert_int_eq(r.s.decided_by, CF_DECIDED_BY_LOT);
	ck_assert_str_eq(r.lot_candidates, "1,2,3,4");
	ck_assert_int_eq(r.s.discount.minor, r.s.commission.minor); /* lot_discount = C */
}
END_TEST

START_TEST(test_fixed_order_rosca)
{
	scheme_opts o = default_opts();
	cf_auction_result r;

	o.foreman_first = false;
	o.method = CF_METHOD_FIXED_ORDER;
	o.profile = CF_PROFILE_ROSCA_GENERIC;
	o.n = 4;
	o.value = RS(40000);
	make_scheme(o);
	run_draw(1, NULL, NULL, 0, &r);
	ck_assert_int_eq(r.s.decided_by, CF_DECIDED_BY_FIXED_ORDER);
	ck_assert_int_eq(r.s.winner_ticket_no, 1);
	ck_assert(!r.has_lot);
	run_draw(2, NULL, NULL, 0, &r);
	ck_assert_int_eq(r.s.winner_ticket_no, 2);
}
END_TEST

START_TEST(test_no_bids_lot_among_eligible)
{
	scheme_opts o = default_opts();
	cf_auction_result r;

	o.foreman_first = false;
	o.n = 4;
	o.value = RS(40000);
	o.max_discount_bps = 4000;
	make_scheme(o);
	run_draw(1, NULL, NULL, 0, &r);
	ck_assert_int_eq(r.s.decided_by, CF_DECIDED_BY_NO_BIDS);
	ck_assert(r.has_lot);
	ck_assert_str_eq(r.lot_candidates, "1,2,3,4");
	ck_assert_int_eq(r.s.discount.minor, r.s.commission.minor); /* min_discount = C */
	{
		int32_t c[4] = {1, 2, 3, 4};

		ck_assert_int_eq(cf_lot_recheck(r.lot_commitment, r.lot_seed, r.auction_id, c, 4,
		                                (size_t)r.lot_index, r.s.winner_ticket_no,
		                                cf_test_sha256),
		                 CF_OK);
	}
}
END_TEST

START_TEST(test_foreman_first_takes_no_bids)
{
	scheme_opts o = default_opts();
	cf_auction_result r;
	char id[CF_ID_SIZE];

	make_scheme(o);
	create_auction(1, id);
	open_auction(id);
	expect_refusal(holder(2), id, 2, RS(5000), CF_ECONFLICT, "auction-not-open");
	close_ok(id, &r);
	ck_assert_int_eq(r.s.decided_by, CF_DECIDED_BY_FOREMAN_FIRST);
	ck_assert_int_eq(r.s.winner_ticket_no, 1);
	ck_assert_int_eq(r.s.discount.minor, 0);
	ck_assert_int_eq(r.s.commission.minor, 0);
	ck_assert_int_eq(r.s.dividend_shares, 20);
	ck_assert_int_eq(r.s.prize_amount.minor, RS(100000));
}
END_TEST

/* ---- prompt payers (KSFE) with a fake overdue source ---- */

START_TEST(test_ksfe_prompt_payers)
{
	scheme_opts o = default_opts();
	cf_auction_result r;
	cf_dividend_credit_array c;
	char id[CF_ID_SIZE];

	o.foreman_first = false;
	o.profile = CF_PROFILE_IN_KERALA_KSFE;
	o.n = 10;
	o.value = RS(100000);
	o.max_discount_bps = 4000;
	make_scheme(o);
	ck_assert_int_eq(cf_memory_auctions_set_overdue(mem, scheme_id, 4, true), CF_OK);
	ck_assert_int_eq(cf_memory_auctions_set_overdue(mem, scheme_id, 7, true), CF_OK);
	create_auction(1, id);
	open_auction(id);
	expect_refusal(holder(4), id, 4, RS(20000), CF_ERULE, "ticket-in-default");
	bid_ok(id, 2, RS(30000));
	close_ok(id, &r);
	/* C = 5,000; distributable 25,000 over 8 prompt payers = 3,125 */
	ck_assert_int_eq(r.s.dividend_shares, 8);
	ck_assert_int_eq(r.s.dividend_per_ticket.minor, RS(3125));
	ck_assert_int_eq(r.s.remainder_carried.minor, 0);
	ck_assert_int_eq(cf_scheme_dividend_credits(env.app, &foreman, scheme_id, &c, NULL), CF_OK);
	ck_assert_uint_eq(c.count, 8);
	for (size_t i = 0; i < c.count; i++) {
		ck_assert_int_ne(c.items[i].ticket_no, 4);
		ck_assert_int_ne(c.items[i].ticket_no, 7);
	}
	cf_dividend_credit_array_free(&c);
	/* only ticket 3 not overdue: it is the single eligible ticket (last_ticket, no bids)
	 * and the only one sharing */
	for (int32_t t = 1; t <= 10; t++)
		ck_assert_int_eq(cf_memory_auctions_set_overdue(mem, scheme_id, t, t != 3), CF_OK);
	create_auction(2, id);
	open_auction(id);
	expect_refusal(holder(3), id, 3, RS(10000), CF_ECONFLICT, "auction-not-open");
	{
		cf_auction_result r2;

		close_ok(id, &r2);
		ck_assert_int_eq(r2.s.decided_by, CF_DECIDED_BY_LAST_TICKET);
		ck_assert_int_eq(r2.s.winner_ticket_no, 3);
		ck_assert_int_eq(r2.s.dividend_shares, 1);
	}
	/* nobody eligible: refused, the draw stays open */
	ck_assert_int_eq(cf_memory_auctions_set_overdue(mem, scheme_id, 3, true), CF_OK);
	create_auction(3, id);
	open_auction(id);
	{
		cf_auction_result r3;
		cf_error err = CF_ERROR_INIT;
		cf_auction_view v;

		ck_assert_int_eq(cf_auction_close(env.app, &foreman, id, NULL, &r3, &err),
		                 CF_ECONFLICT);
		ck_assert_str_eq(err.slug, "no-eligible-ticket");
		ck_assert_int_eq(cf_auction_get(env.app, &foreman, id, &v, NULL), CF_OK);
		ck_assert_int_eq(v.a.status, CF_AUCTION_OPEN);
		cf_auction_view_free(&v);
	}
}
END_TEST

/* ---- timed windows: anti-sniping and the ticker ---- */

START_TEST(test_anti_sniping_and_ticker)
{
	scheme_opts o = default_opts();
	cf_auction_create_req req;
	cf_auction_view v;
	cf_bid_result br;
	cf_bid_req b = {2, cf_money_of(RS(6000))};
	size_t opened = 0, closed = 0;
	int64_t t0 = CF_TEST_T0_MS;
	char aid[CF_ID_SIZE];

	o.foreman_first = false;
	make_scheme(o);
	req = (cf_auction_create_req){1, 0, t0 + 60000, t0 + 600000};
	ck_assert_int_eq(cf_auction_create(env.app, &foreman, scheme_id, &req, &v, NULL), CF_OK);
	ck_assert_int_eq(cf_auction_tick(env.app, &opened, &closed, NULL), CF_OK);
	ck_assert_uint_eq(opened, 0);
	cf_memory_clock_set(env.clock, t0 + 60000);
	ck_assert_int_eq(cf_auction_tick(env.app, &opened, &closed, NULL), CF_OK);
	ck_assert_uint_eq(opened, 1);
	memcpy(aid, v.a.id, sizeof aid);
	cf_auction_view_free(&v);
	ck_assert_int_eq(cf_auction_get(env.app, &foreman, aid, &v, NULL), CF_OK);
	ck_assert_int_eq(v.a.status, CF_AUCTION_OPEN);
	/* a bid well before the last minute does not extend */
	ck_assert_int_eq(cf_auction_bid(env.app, holder(2), v.a.id, &b, &br, NULL), CF_OK);
	ck_assert(!br.extended);
	ck_assert_int_eq(br.closes_at_ms, t0 + 600000);
	/* 30 s before the close: extended by 60 s */
	cf_memory_clock_set(env.clock, t0 + 570000);
	b = (cf_bid_req){3, cf_money_of(RS(6100))};
	ck_assert_int_eq(cf_auction_bid(env.app, holder(3), v.a.id, &b, &br, NULL), CF_OK);
	ck_assert(br.extended);
	ck_assert_int_eq(br.closes_at_ms, t0 + 660000);
	/* the old close time passes: still open, the ticker does nothing */
	cf_memory_clock_set(env.clock, t0 + 600000);
	ck_assert_int_eq(cf_auction_tick(env.app, &opened, &closed, NULL), CF_OK);
	ck_assert_uint_eq(closed, 0);
	/* after the new close time: bids refused, the ticker settles it once */
	cf_memory_clock_set(env.clock, t0 + 660000);
	b = (cf_bid_req){4, cf_money_of(RS(7000))};
	{
		cf_error err = CF_ERROR_INIT;

		ck_assert_int_eq(cf_auction_bid(env.app, holder(4), v.a.id, &b, &br, &err),
		                 CF_ECONFLICT);
		ck_assert_str_eq(err.slug, "auction-not-open");
	}
	ck_assert_int_eq(cf_auction_tick(env.app, &opened, &closed, NULL), CF_OK);
	ck_assert_uint_eq(closed, 1);
	ck_assert_int_eq(cf_auction_tick(env.app, &opened, &closed, NULL), CF_OK);
	ck_assert_uint_eq(closed, 0);
	cf_auction_view_free(&v);
	ck_assert_int_eq(cf_auction_get(env.app, &foreman, aid, &v, NULL), CF_OK);
	ck_assert_int_eq(v.a.status, CF_AUCTION_SETTLED);
	ck_assert_int_eq(v.result.s.winner_ticket_no, 3);
	ck_assert_int_eq(v.a.extensions, 1);
	cf_auction_view_free(&v);
}
END_TEST

/* ---- atomicity: a fault after any repository call leaves no partial draw ---- */

static void assert_nothing_settled(const char *id)
{
	cf_auction_view v;
	cf_ledger_line_array l;
	cf_dividend_credit_array c;
	cf_ticket_array m;
	char *minutes = NULL;

	ck_assert_int_eq(cf_auction_get(env.app, &foreman, id, &v, NULL), CF_OK);
	ck_assert_int_eq(v.a.status, CF_AUCTION_OPEN);
	ck_assert(!v.settled);
	cf_auction_view_free(&v);
	ck_assert_int_eq(cf_scheme_ledger(env.app, &foreman, scheme_id, &l, NULL), CF_OK);
	ck_assert_uint_eq(l.count, 0);
	cf_ledger_line_array_free(&l);
	ck_assert_int_eq(cf_scheme_dividend_credits(env.app, &foreman, scheme_id, &c, NULL), CF_OK);
	ck_assert_uint_eq(c.count, 0);
	cf_dividend_credit_array_free(&c);
	ck_assert_int_eq(cf_scheme_members(env.app, &foreman, scheme_id, &m, NULL), CF_OK);
	for (size_t i = 0; i < m.count; i++)
		ck_assert(!m.items[i].prized);
	cf_ticket_array_free(&m);
	ck_assert_int_eq(cf_auction_minutes(env.app, &foreman, id, false, &minutes, NULL),
	                 CF_ENOTFOUND);
}

START_TEST(test_close_is_atomic_under_faults)
{
	scheme_opts o = default_opts();
	cf_auction_result r;
	char id[CF_ID_SIZE];
	size_t events_before;
	int calls;

	o.foreman_first = false;
	make_scheme(o);
	create_auction(1, id);
	open_auction(id);
	bid_ok(id, 2, RS(6000));
	bid_ok(id, 3, RS(9000));
	events_before = cf_memory_auctions_event_count(mem);
	/* count the repository calls of one close, on a throwaway run rolled back by a fault */
	cf_memory_auctions_fail_call(mem, 0, 0);
	cf_memory_store_fail_commits(env.store, CF_EUNAVAILABLE, 1);
	ck_assert_int_ne(cf_auction_close(env.app, &foreman, id, NULL, &r, NULL), CF_OK);
	calls = cf_memory_auctions_fail_call(mem, 0, 0);
	ck_assert_int_ge(calls, 8);
	assert_nothing_settled(id);
	for (int k = 1; k <= calls; k++) {
		cf_memory_auctions_fail_call(mem, k, CF_EUNAVAILABLE);
		ck_assert_int_ne(cf_auction_close(env.app, &foreman, id, NULL, &r, NULL), CF_OK);
		cf_memory_auctions_fail_call(mem, 0, 0);
		assert_nothing_settled(id);
	}
	ck_assert_uint_eq(cf_memory_auctions_event_count(mem), events_before);
	close_ok(id, &r);
	ck_assert_int_eq(r.s.winner_ticket_no, 3);
	ck_assert_uint_eq(cf_memory_auctions_event_count(mem), events_before + 1);
	ck_assert_ptr_nonnull(
	        strstr(cf_memory_auctions_event(mem, events_before), "\"type\":\"closed\""));
}
END_TEST

START_TEST(test_events_after_commit_only)
{
	scheme_opts o = default_opts();
	char id[CF_ID_SIZE];
	size_t n0;

	o.foreman_first = false;
	make_scheme(o);
	create_auction(1, id);
	open_auction(id);
	n0 = cf_memory_auctions_event_count(mem);
	bid_ok(id, 2, RS(6000));
	ck_assert_uint_eq(cf_memory_auctions_event_count(mem), n0 + 1);
	ck_assert_ptr_nonnull(strstr(cf_memory_auctions_event(mem, n0), "\"type\":\"bid\""));
	ck_assert_ptr_nonnull(strstr(cf_memory_auctions_event(mem, n0), "\"seq\":1"));
	expect_refusal(holder(3), id, 3, RS(6000), CF_ERULE, "bid-not-higher");
	ck_assert_uint_eq(cf_memory_auctions_event_count(mem), n0 + 1);
	/* a commit failure: no event, no bid */
	cf_memory_store_fail_commits(env.store, CF_EUNAVAILABLE, 1);
	ck_assert_int_ne(bid_as(holder(3), id, 3, RS(7000), NULL), CF_OK);
	ck_assert_uint_eq(cf_memory_auctions_event_count(mem), n0 + 1);
	bid_ok(id, 3, RS(7000));
	ck_assert_ptr_nonnull(strstr(cf_memory_auctions_event(mem, n0 + 1), "\"seq\":2"));
}
END_TEST

/* ---- the 20-draw schedule of domain.md ---- */

START_TEST(test_twenty_draw_schedule)
{
	static const int64_t bids[20] = {0,     25000, 25000, 25000, 25000, 25000, 25000,
	                                 23000, 21000, 19000, 17000, 15000, 13000, 11500,
	                                 10000, 8500,  7000,  6000,  5500,  5000};
	static const int64_t inst[20] = {5000, 5000, 4000, 4000, 4000, 4000, 4000,
	                                 4000, 4100, 4200, 4300, 4400, 4500, 4600,
	                                 4675, 4750, 4825, 4900, 4950, 4975};
	scheme_opts o = default_opts();
	int64_t prizes = 0, commission = 0, gst = 0, per_ticket = 0;
	cf_schedule sch;

	make_scheme(o);
	for (int32_t k = 1; k <= 20; k++) {
		cf_auction_result r;
		char id[CF_ID_SIZE];

		create_auction(k, id);
		open_auction(id);
		if (k >= 2 && k <= 19) {
			/* the lowest-numbered unprized subscriber ticket bids: ticket k */
			bid_ok(id, k, RS(bids[k - 1]));
		}
		close_ok(id, &r);
		if (k == 1)
			ck_assert_int_eq(r.s.decided_by, CF_DECIDED_BY_FOREMAN_FIRST);
		else if (k == 20)
			ck_assert_int_eq(r.s.decided_by, CF_DECIDED_BY_LAST_TICKET);
		else
			ck_assert_int_eq(r.s.decided_by, CF_DECIDED_BY_BID);
		ck_assert_int_eq(r.s.discount.minor, RS(bids[k - 1]));
		prizes += r.s.prize_amount.minor;
		commission += r.s.commission.minor;
		gst += r.s.gst_on_commission.minor;
	}
	ck_assert_int_eq(cf_scheme_schedule(env.app, &subs[0], scheme_id, &sch, NULL), CF_OK);
	ck_assert_uint_eq(sch.count, 20);
	for (size_t i = 0; i < 20; i++) {
		ck_assert_msg(sch.rows[i].has_net_subscription, "row %zu", i + 1);
		ck_assert_msg(sch.rows[i].net_subscription.minor == RS(inst[i]),
		              "installment %zu: %lld", i + 1,
		              (long long)sch.rows[i].net_subscription.minor);
		ck_assert_int_eq(sch.rows[i].status, CF_SCHEDULE_SETTLED);
		ck_assert(sch.rows[i].has_prized_ticket);
		ck_assert_int_eq(sch.rows[i].discount.minor, RS(bids[i]));
		per_ticket += sch.rows[i].net_subscription.minor;
	}
	cf_schedule_free(&sch);
	ck_assert_int_eq(per_ticket, RS(89175));
	ck_assert_int_eq(per_ticket * 20, RS(1783500));
	ck_assert_int_eq(prizes, RS(1688500));
	ck_assert_int_eq(commission, RS(95000));
	ck_assert_int_eq(gst, RS(17100));
}
END_TEST

/* ---- the core's fallback without the version 2 bid methods ---- */

/* Counting wrappers around the memory adapter's auction repository. */
static cf_auction_repo fb_inner;
static int fb_list, fb_insert, fb_tmax, fb_append;

static int fb_bid_list(void *self, cf_tx *tx, const char *auction_id, cf_bid_row_array *out)
{
	(void)self;
	fb_list++;
	return fb_inner.bid_list(fb_inner.self, tx, auction_id, out);
}

static int fb_bid_insert(void *self, cf_tx *tx, const cf_bid_row *b)
{
	(void)self;
	fb_insert++;
	return fb_inner.bid_insert(fb_inner.self, tx, b);
}

static int fb_bid_tmax(void *self, cf_tx *tx, const char *auction_id, int32_t ticket_no,
                       bool *found, cf_money *max)
{
	(void)self;
	fb_tmax++;
	return fb_inner.bid_ticket_max(fb_inner.self, tx, auction_id, ticket_no, found, max);
}

static int fb_bid_append(void *self, cf_tx *tx, const cf_bid_row *b, cf_auction_row *a)
{
	(void)self;
	fb_append++;
	return fb_inner.bid_append(fb_inner.self, tx, b, a);
}

/*
 * Rebuild env.app over the memory adapter with counting wrappers; v2 false:
 * bid_ticket_max and bid_append are NULL, so the core lists every bid and
 * calls bid_insert then update.
 */
static void use_bid_methods(bool v2)
{
	cf_app_config cfg;
	cf_ports p = env.ports;

	cf_app_config_init(&cfg);
	cfg.anti_sniping_s = 60; /* as setup() */
	cf_app_free(env.app);
	env.app = NULL;
	fb_inner = env.ports.auctions;
	ck_assert_ptr_nonnull(fb_inner.bid_ticket_max);
	ck_assert_ptr_nonnull(fb_inner.bid_append);
	p.auctions.bid_list = fb_bid_list;
	p.auctions.bid_insert = fb_bid_insert;
	p.auctions.bid_ticket_max = v2 ? fb_bid_tmax : NULL;
	p.auctions.bid_append = v2 ? fb_bid_append : NULL;
	ck_assert_int_eq(cf_app_new(&env.app, &p, &cfg, NULL), CF_OK);
	fb_list = fb_insert = fb_tmax = fb_append = 0;
}

typedef struct bid_step {
	int32_t ticket;
	int64_t discount;
	const char *slug; /* NULL: accepted */
	bool overdue;     /* the ticket is overdue for this step only */
} bid_step;

static void run_steps(const char *id, const bid_step *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cf_error err = CF_ERROR_INIT;
		int rc;

		if (s[i].overdue)
			ck_assert_int_eq(
			        cf_memory_auctions_set_overdue(mem, scheme_id, s[i].ticket, true),
			        CF_OK);
		rc = bid_as(holder(s[i].ticket), id, s[i].ticket, s[i].discount, &err);
		if (s[i].overdue)
			ck_assert_int_eq(
			        cf_memory_auctions_set_overdue(mem, scheme_id, s[i].ticket, false),
			        CF_OK);
		if (s[i].slug == NULL)
			ck_assert_msg(rc == CF_OK, "step %zu: ticket %d bid %lld: %d %s", i + 1,
			              (int)s[i].ticket, (long long)s[i].discount, rc, err.slug);
		else
			ck_assert_msg(rc == CF_ERULE && strcmp(err.slug, s[i].slug) == 0,
			              "step %zu: ticket %d bid %lld: %d '%s', expected '%s'", i + 1,
			              (int)s[i].ticket, (long long)s[i].discount, rc, err.slug,
			              s[i].slug);
	}
}

/* Append the stored bids (seq:ticket:discount) and the result of draw `id` to *t. */
static void trace_draw(const char *id, const cf_auction_result *r, char *t, size_t cap)
{
	cf_auction_view v;
	size_t len = strlen(t);

	ck_assert_int_eq(cf_auction_get(env.app, &foreman, id, &v, NULL), CF_OK);
	ck_assert_int_eq(v.a.bid_count, (int32_t)v.bids.count);
	for (size_t i = 0; i < v.bids.count; i++)
		len += (size_t)snprintf(t + len, cap - len, "%d:%d:%lld;", (int)v.bids.items[i].seq,
		                        (int)v.bids.items[i].ticket_no,
		                        (long long)v.bids.items[i].discount.minor);
	cf_auction_view_free(&v);
	len += (size_t)snprintf(t + len, cap - len, " by %d [%s] at %lld", (int)r->s.decided_by,
	                        r->lot_candidates, (long long)r->s.discount.minor);
	if (r->s.decided_by == CF_DECIDED_BY_BID)
		len += (size_t)snprintf(t + len, cap - len, " to %d", (int)r->s.winner_ticket_no);
	ck_assert_uint_lt(len + 1, cap);
	snprintf(t + len, cap - len, "\n");
}

/*
 * One bid sequence: an open auction (floor, increments, a ceiling tie,
 * refusal order) and a sealed one (a second bid is bid-already-placed, also
 * above the cap; a prized ticket is refused before its amount is looked at).
 */
static void bid_sequence(char *trace, size_t cap)
{
	static const bid_step open_steps[] = {
	        {2, RS(4950), "bid-below-floor", false}, /* also not a multiple */
	        {2, RS(25050), "bid-above-cap", false},  /* also not a multiple */
	        {2, RS(5000), NULL, false},
	        {3, RS(5000), "bid-not-higher", false},
	        {3, RS(5050), "bid-not-multiple", false}, /* also not higher */
	        {3, RS(5100), NULL, false},               /* one increment */
	        {2, RS(5150), "bid-not-multiple", false},
	        {2, RS(6000), NULL, false},
	        {4, RS(4900), "ticket-in-default", true}, /* also below the floor */
	        {4, RS(25000), NULL, false},              /* the ceiling */
	        {5, RS(24900), "bid-not-higher", false},
	        {5, RS(25000), NULL, false}, /* joins the ceiling tie */
	        {5, RS(25000), "bid-not-higher", false},
	        {4, RS(25000), "bid-not-higher", false},
	        {2, RS(25000), NULL, false}, /* had bids, none at the ceiling: joins */
	        {3, RS(25100), "bid-above-cap", false},
	};
	static const bid_step sealed_steps[] = {
	        {2, RS(9000), NULL, false},
	        {2, RS(12000), "bid-already-placed", false},
	        {2, RS(30000), "bid-already-placed", false}, /* also above the cap */
	        {3, RS(4900), "bid-below-floor", false},
	        {3, RS(12000), NULL, false},
	        {4, RS(12000), NULL, false},
	        {4, RS(12000), "bid-already-placed", false},
	        {5, RS(5000), NULL, false},
	};
	static const bid_step sealed_next[] = {
	        {2, RS(9000), NULL, false}, /* its bid in draw 1 does not count here */
	        {2, RS(9000), "bid-already-placed", false},
	};
	bid_step prized;
	scheme_opts o = default_opts();
	cf_auction_result r;
	char id[CF_ID_SIZE];

	trace[0] = '\0';
	o.foreman_first = false;
	make_scheme(o);
	create_auction(1, id);
	open_auction(id);
	run_steps(id, open_steps, sizeof open_steps / sizeof open_steps[0]);
	close_ok(id, &r);
	ck_assert_int_eq(r.s.decided_by, CF_DECIDED_BY_LOT);
	ck_assert_str_eq(r.lot_candidates, "2,4,5");
	ck_assert_int_eq(r.s.discount.minor, RS(25000));
	trace_draw(id, &r, trace, cap);

	o.method = CF_METHOD_SEALED;
	make_scheme(o);
	create_auction(1, id);
	open_auction(id);
	run_steps(id, sealed_steps, sizeof sealed_steps / sizeof sealed_steps[0]);
	close_ok(id, &r);
	ck_assert_int_eq(r.s.decided_by, CF_DECIDED_BY_LOT);
	ck_assert_str_eq(r.lot_candidates, "3,4");
	ck_assert_int_eq(r.s.discount.minor, RS(12000));
	trace_draw(id, &r, trace, cap);
	/* draw 2: the lot's winner (3 or 4) is prized, refused before its amount */
	prized = (bid_step){r.s.winner_ticket_no, RS(30000), "ticket-already-prized", false};
	create_auction(2, id);
	open_auction(id);
	run_steps(id, &prized, 1);
	run_steps(id, sealed_next, sizeof sealed_next / sizeof sealed_next[0]);
	close_ok(id, &r);
	ck_assert_int_eq(r.s.decided_by, CF_DECIDED_BY_BID);
	ck_assert_int_eq(r.s.winner_ticket_no, 2);
	trace_draw(id, &r, trace, cap);
}

START_TEST(test_bid_fallback_without_v2_methods)
{
	char with[2048], without[2048];

	/* the version 2 methods: they are used and nothing is inserted on its own */
	use_bid_methods(true);
	bid_sequence(with, sizeof with);
	ck_assert_int_gt(fb_tmax, 0);
	ck_assert_int_gt(fb_append, 0);
	ck_assert_int_eq(fb_insert, 0);
	/* NULL: every bid is listed, then bid_insert + update */
	use_bid_methods(false);
	bid_sequence(without, sizeof without);
	ck_assert_int_eq(fb_tmax, 0);
	ck_assert_int_eq(fb_append, 0);
	ck_assert_int_eq(fb_insert, 11); /* the accepted bids: 6 + 4 + 1 */
	ck_assert_int_gt(fb_list, fb_insert);
	ck_assert_str_eq(without, with);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("app_auctions");
	TCase *tc = tcase_create("auctions");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_create_refusals);
	tcase_add_test(tc, test_bid_refusals);
	tcase_add_test(tc, test_visibility_open_and_sealed);
	tcase_add_test(tc, test_visibility_open_auction_standing);
	tcase_add_test(tc, test_close_settles_e2_with_ledger_and_credits);
	tcase_add_test(tc, test_remainder_carried_to_next_draw);
	tcase_add_test(tc, test_last_draw_dividend_to_advance);
	tcase_add_test(tc, test_sealed_tie_decided_by_verifiable_lot);
	tcase_add_test(tc, test_no_bids_lot_among_eligible);
	tcase_add_test(tc, test_ceiling_tie_in_open_auction_and_lot_method);
	tcase_add_test(tc, test_lot_method_takes_no_bids);
	tcase_add_test(tc, test_fixed_order_rosca);
	tcase_add_test(tc, test_foreman_first_takes_no_bids);
	tcase_add_test(tc, test_ksfe_prompt_payers);
	tcase_add_test(tc, test_anti_sniping_and_ticker);
	tcase_add_test(tc, test_close_is_atomic_under_faults);
	tcase_add_test(tc, test_events_after_commit_only);
	tcase_add_test(tc, test_twenty_draw_schedule);
	tcase_add_test(tc, test_bid_fallback_without_v2_methods);
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
