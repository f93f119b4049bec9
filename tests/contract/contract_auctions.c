/* contract_auctions.c - the draw repository contract: the same assertions for every adapter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chitfund.h"
#include "chitfund/auction_types.h"
#include "chitfund/sys/ports.h"
#include "contract_auctions.h"

#define T0 INT64_C(1775017800000)

static const cf_contract_factory *afactory;
static cf_ports P;
static void *ahandle;
static cf_tx *atx;
static int aseq;
static char scheme_id[CF_ID_SIZE], user_id[CF_ID_SIZE];

#define A (&P.auctions)
#define S (P.auctions.self)

static void uid(char out[CF_ID_SIZE])
{
	snprintf(out, CF_ID_SIZE, "%08x-0000-4000-8000-%012d", (unsigned)getpid(), ++aseq);
}

static void recommit(void)
{
	ck_assert_int_eq(P.uow.commit(P.uow.self, atx), CF_OK);
	atx = NULL;
	ck_assert_int_eq(P.uow.begin(P.uow.self, &atx), CF_OK);
}

/* A user and a running 4-ticket scheme with its tickets. */
static void asetup(void)
{
	cf_user_row u;
	cf_scheme s;
	cf_rule why;

	memset(&P, 0, sizeof P);
	ck_assert_int_eq(afactory->create(afactory->ctx, &P, &ahandle), CF_OK);
	ck_assert_uint_eq(P.auctions.version, CF_AUCTION_REPO_VERSION);
	ck_assert_uint_eq(P.ledger.version, CF_LEDGER_REPO_VERSION);
	ck_assert_int_eq(P.uow.begin(P.uow.self, &atx), CF_OK);
	memset(&u, 0, sizeof u);
	uid(u.id);
	snprintf(u.email, sizeof u.email, "a%s@contract.test", u.id);
	snprintf(u.password_hash, sizeof u.password_hash, "$y$j9T$salt$hash");
	snprintf(u.full_name, sizeof u.full_name, "Draw Contract");
	u.role = CF_ROLE_FOREMAN;
	u.ucfsin_seq = (int64_t)getpid() * 100 + aseq;
	cf_ucfsin_make(26, u.ucfsin_seq, u.ucfsin);
	u.is_active = true;
	u.created_at_ms = u.updated_at_ms = T0;
	u.row_version = 1;
	ck_assert_int_eq(P.users.insert(P.users.self, atx, &u), CF_OK);
	memcpy(user_id, u.id, sizeof user_id);
	memset(&s, 0, sizeof s);
	uid(s.id);
	snprintf(s.name, sizeof s.name, "Draw scheme");
	cf_scheme_params_init(&s.params);
	s.params.chit_value = cf_money_of(4000000);
	s.params.member_count = 4;
	s.params.start_date = (cf_date){2026, 4, 10};
	ck_assert_int_eq(cf_scheme_params_resolve(&s.params, &why), CF_OK);
	s.subscription = cf_money_of(1000000);
	s.status = CF_SCHEME_RUNNING;
	memcpy(s.foreman_id, u.id, sizeof s.foreman_id);
	memcpy(s.created_by, u.id, sizeof s.created_by);
	s.created_at_ms = s.updated_at_ms = T0;
	s.row_version = 1;
	ck_assert_int_eq(P.schemes.insert(P.schemes.self, atx, &s), CF_OK);
	memcpy(scheme_id, s.id, sizeof scheme_id);
	for (int t = 1; t <= 4; t++) {
		cf_ticket tk;

		memset(&tk, 0, sizeof tk);
		uid(tk.id);
		memcpy(tk.scheme_id, s.id, sizeof tk.scheme_id);
		tk.ticket_no = t;
		memcpy(tk.user_id, u.id, sizeof tk.user_id);
		tk.created_at_ms = tk.updated_at_ms = T0;
		tk.row_version = 1;
		ck_assert_int_eq(P.tickets.insert(P.tickets.self, atx, &tk), CF_OK);
	}
	recommit();
}

static void ateardown(void)
{
	if (atx != NULL)
		P.uow.rollback(P.uow.self, atx);
	atx = NULL;
	afactory->destroy(afactory->ctx, ahandle);
}

static void make_auction(int32_t k, cf_auction_row *a)
{
	memset(a, 0, sizeof *a);
	uid(a->id);
	memcpy(a->scheme_id, scheme_id, sizeof a->scheme_id);
	a->installment_no = k;
	a->status = CF_AUCTION_SCHEDULED;
	memcpy(a->created_by, user_id, sizeof a->created_by);
	a->created_at_ms = a->updated_at_ms = T0 + k;
	a->row_version = 1;
}

static const char SEED[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char COMMIT[] = "6c86c6aac5fb24bcf5d9939cb7d7d5645ce39418f449e03b262dd4fa14b4b92b";

START_TEST(test_auctions__roundtrip_unique_optimistic)
{
	cf_auction_row a, b, got, dup;

	make_auction(1, &a);
	a.opens_at_ms = T0 + 1000;
	a.closes_at_ms = T0 + 61123; /* ms survive */
	ck_assert_int_eq(A->insert(S, atx, &a), CF_OK);
	dup = a;
	ck_assert_int_eq(A->insert(S, atx, &dup), CF_EEXISTS); /* same id */
	make_auction(1, &dup);
	ck_assert_int_eq(A->insert(S, atx, &dup), CF_EEXISTS); /* same installment */
	recommit();
	ck_assert_int_eq(A->get(S, atx, a.id, &got), CF_OK);
	ck_assert_str_eq(got.scheme_id, scheme_id);
	ck_assert_int_eq(got.status, CF_AUCTION_SCHEDULED);
	ck_assert_int_eq(got.opens_at_ms, T0 + 1000);
	ck_assert_int_eq(got.closes_at_ms, T0 + 61123);
	ck_assert_int_eq(got.opened_at_ms, 0);
	ck_assert(!got.has_standing);
	ck_assert_str_eq(got.lot_seed, "");
	ck_assert_int_eq(A->get_by_installment(S, atx, scheme_id, 1, &got), CF_OK);
	ck_assert_str_eq(got.id, a.id);
	ck_assert_int_eq(A->get_by_installment(S, atx, scheme_id, 2, &got), CF_ENOTFOUND);
	/* open it: seed, commitment, standing, counters */
	b = got;
	got.status = CF_AUCTION_OPEN;
	got.opened_at_ms = T0 + 5;
	memcpy(got.lot_seed, SEED, sizeof SEED);
	memcpy(got.lot_commitment, COMMIT, sizeof COMMIT);
	got.bid_count = 2;
	got.has_standing = true;
	got.standing_discount = cf_money_of(123400);
	got.extensions = 1;
	ck_assert_int_eq(A->update(S, atx, &got), CF_OK);
	ck_assert_int_eq(got.row_version, b.row_version + 1);
	ck_assert_int_eq(A->update(S, atx, &b), CF_ECONFLICT);
	make_auction(3, &dup);
	ck_assert_int_eq(A->update(S, atx, &dup), CF_ENOTFOUND);
	recommit();
	ck_assert_int_eq(A->lock(S, atx, a.id, &b), CF_OK);
	ck_assert_int_eq(b.status, CF_AUCTION_OPEN);
	ck_assert_str_eq(b.lot_seed, SEED);
	ck_assert_str_eq(b.lot_commitment, COMMIT);
	ck_assert(b.has_standing);
	ck_assert_int_eq(b.standing_discount.minor, 123400);
	ck_assert_int_eq(b.bid_count, 2);
	ck_assert_int_eq(b.extensions, 1);
	ck_assert_int_eq(b.row_version, got.row_version);
	ck_assert_int_eq(A->get(S, atx, "00000000-0000-4000-8000-000000000000", &b), CF_ENOTFOUND);
	ck_assert_int_eq(A->lock(S, atx, "not-a-uuid", &b), CF_ENOTFOUND);
}
END_TEST

START_TEST(test_auctions__lists_and_due)
{
	cf_auction_row a[3];
	cf_auction_row_array l = {0};

	for (int k = 3; k >= 1; k--) { /* inserted out of order */
		make_auction(k, &a[k - 1]);
		ck_assert_int_eq(A->insert(S, atx, &a[k - 1]), CF_OK);
	}
	/* 1: open, closes at T0+100 (due at T0+100); 2: scheduled, opens at T0+50 (due);
	 * 3: scheduled without times (never due) */
	a[0].status = CF_AUCTION_OPEN;
	memcpy(a[0].lot_seed, SEED, sizeof SEED);
	memcpy(a[0].lot_commitment, COMMIT, sizeof COMMIT);
	a[0].closes_at_ms = T0 + 100;
	ck_assert_int_eq(A->update(S, atx, &a[0]), CF_OK);
	a[1].opens_at_ms = T0 + 50;
	ck_assert_int_eq(A->update(S, atx, &a[1]), CF_OK);
	recommit();
	ck_assert_int_eq(A->list_by_scheme(S, atx, scheme_id, 0, 10, &l), CF_OK);
	ck_assert_uint_eq(l.count, 3);
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(l.items[i].installment_no, (int32_t)i + 1);
	cf_auction_row_array_free(&l);
	ck_assert_int_eq(A->list_by_scheme(S, atx, scheme_id, 1, 1, &l), CF_OK);
	ck_assert_uint_eq(l.count, 1);
	ck_assert_int_eq(l.items[0].installment_no, 2);
	cf_auction_row_array_free(&l);
	ck_assert_int_eq(A->list_due(S, atx, T0 + 49, 10, &l), CF_OK);
	for (size_t i = 0; i < l.count; i++) /* other processes' rows may be due too */
		ck_assert_str_ne(l.items[i].scheme_id, scheme_id);
	cf_auction_row_array_free(&l);
	ck_assert_int_eq(A->list_due(S, atx, T0 + 100, 1000, &l), CF_OK);
	{
		int mine = 0;

		for (size_t i = 0; i < l.count; i++)
			if (strcmp(l.items[i].scheme_id, scheme_id) == 0) {
				mine++;
				ck_assert_int_ne(l.items[i].installment_no, 3);
			}
		ck_assert_int_eq(mine, 2);
	}
	cf_auction_row_array_free(&l);
}
END_TEST

START_TEST(test_auctions__bids_results_minutes)
{
	cf_auction_row a;
	cf_bid_row b;
	cf_bid_row_array bl = {0};
	cf_auction_result r, got;
	cf_auction_result_array rl = {0};
	char *text = NULL;

	make_auction(1, &a);
	ck_assert_int_eq(A->insert(S, atx, &a), CF_OK);
	for (int i = 1; i <= 3; i++) {
		memset(&b, 0, sizeof b);
		uid(b.id);
		memcpy(b.auction_id, a.id, sizeof b.auction_id);
		b.seq = i;
		b.ticket_no = i + 1;
		b.discount = cf_money_of(200000 + i * 10000);
		b.placed_at_ms = T0 + i * 7;
		memcpy(b.bidder_id, user_id, sizeof b.bidder_id);
		if (i == 2)
			memcpy(b.proxy_by, user_id, sizeof b.proxy_by);
		ck_assert_int_eq(A->bid_insert(S, atx, &b), CF_OK);
	}
	recommit();
	ck_assert_int_eq(A->bid_list(S, atx, a.id, &bl), CF_OK);
	ck_assert_uint_eq(bl.count, 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(bl.items[i].seq, i + 1);
		ck_assert_int_eq(bl.items[i].discount.minor, 200000 + (i + 1) * 10000);
		ck_assert_int_eq(bl.items[i].placed_at_ms, T0 + (i + 1) * 7);
		ck_assert_str_eq(bl.items[i].bidder_id, user_id);
		ck_assert_str_eq(bl.items[i].proxy_by, i == 1 ? user_id : "");
	}
	cf_bid_row_array_free(&bl);
	/* a settlement with a lot */
	memset(&r, 0, sizeof r);
	memcpy(r.auction_id, a.id, sizeof r.auction_id);
	memcpy(r.scheme_id, scheme_id, sizeof r.scheme_id);
	r.installment_no = 1;
	r.s.draw_no = 1;
	r.s.winner_ticket_no = 4;
	r.s.decided_by = CF_DECIDED_BY_LOT;
	r.s.discount = cf_money_of(230000);
	r.s.commission = cf_money_of(200000);
	r.s.gst_on_commission = cf_money_of(36000);
	r.s.carried_in = cf_money_of(1);
	r.s.distributable = cf_money_of(30001);
	r.s.dividend_per_ticket = cf_money_of(7500);
	r.s.dividend_shares = 4;
	r.s.dividend_total = cf_money_of(30000);
	r.s.remainder_carried = cf_money_of(1);
	r.s.prize_amount = cf_money_of(3770000);
	r.s.net_payout = cf_money_of(3734000);
	r.s.dividend_applies_to_installment = 2;
	r.s.net_subscription_known = true;
	r.s.net_subscription = cf_money_of(992500);
	r.has_lot = true;
	memcpy(r.lot_commitment, COMMIT, sizeof COMMIT);
	memcpy(r.lot_seed, SEED, sizeof SEED);
	snprintf(r.lot_candidates, sizeof r.lot_candidates, "3,4");
	r.lot_index = 1;
	r.prize_due_by = (cf_date){2026, 4, 8};
	r.settled_at_ms = T0 + 999;
	ck_assert_int_eq(A->result_insert(S, atx, &r), CF_OK);
	ck_assert_int_eq(
	        A->minutes_put(S, atx, a.id, "{\"m\":\"\xe0\xa4\x85\"}", "MINUTES\n\xe0\xa4\x85"),
	        CF_OK);
	recommit();
	ck_assert_int_eq(A->result_get(S, atx, a.id, &got), CF_OK);
	ck_assert_int_eq(got.s.winner_ticket_no, 4);
	ck_assert_int_eq(got.s.decided_by, CF_DECIDED_BY_LOT);
	ck_assert_int_eq(got.s.discount.minor, 230000);
	ck_assert_int_eq(got.s.commission.minor, 200000);
	ck_assert_int_eq(got.s.gst_on_commission.minor, 36000);
	ck_assert_int_eq(got.s.carried_in.minor, 1);
	ck_assert_int_eq(got.s.distributable.minor, 30001);
	ck_assert_int_eq(got.s.dividend_per_ticket.minor, 7500);
	ck_assert_int_eq(got.s.dividend_shares, 4);
	ck_assert_int_eq(got.s.dividend_total.minor, 30000);
	ck_assert_int_eq(got.s.remainder_carried.minor, 1);
	ck_assert(!got.s.remainder_to_foreman);
	ck_assert_int_eq(got.s.prize_amount.minor, 3770000);
	ck_assert_int_eq(got.s.net_payout.minor, 3734000);
	ck_assert_int_eq(got.s.dividend_applies_to_installment, 2);
	ck_assert(got.s.net_subscription_known);
	ck_assert_int_eq(got.s.net_subscription.minor, 992500);
	ck_assert(got.has_lot);
	ck_assert_str_eq(got.lot_seed, SEED);
	ck_assert_str_eq(got.lot_commitment, COMMIT);
	ck_assert_str_eq(got.lot_candidates, "3,4");
	ck_assert_int_eq(got.lot_index, 1);
	ck_assert_int_eq(cf_date_cmp(got.prize_due_by, (cf_date){2026, 4, 8}), 0);
	ck_assert_int_eq(got.settled_at_ms, T0 + 999);
	ck_assert_int_eq(A->result_list_by_scheme(S, atx, scheme_id, &rl), CF_OK);
	ck_assert_uint_eq(rl.count, 1);
	cf_auction_result_array_free(&rl);
	ck_assert_int_eq(A->minutes_get(S, atx, a.id, false, &text), CF_OK);
	ck_assert_str_eq(text, "{\"m\":\"\xe0\xa4\x85\"}");
	free(text);
	ck_assert_int_eq(A->minutes_get(S, atx, a.id, true, &text), CF_OK);
	ck_assert_str_eq(text, "MINUTES\n\xe0\xa4\x85");
	free(text);
	text = NULL;
	ck_assert_int_eq(
	        A->minutes_get(S, atx, "00000000-0000-4000-8000-000000000000", true, &text),
	        CF_ENOTFOUND);
	ck_assert_ptr_null(text);
	/* a settlement without a lot, last draw: nulls round-trip */
	{
		cf_auction_row a2;

		make_auction(2, &a2);
		ck_assert_int_eq(A->insert(S, atx, &a2), CF_OK);
		memcpy(r.auction_id, a2.id, sizeof r.auction_id);
		r.installment_no = 2;
		r.has_lot = false;
		r.lot_candidates[0] = '\0';
		r.lot_index = 0;
		r.s.dividend_applies_to_installment = 0;
		r.s.net_subscription_known = false;
		r.s.net_subscription = cf_money_of(0);
		r.s.remainder_to_foreman = true;
		ck_assert_int_eq(A->result_insert(S, atx, &r), CF_OK);
		recommit();
		ck_assert_int_eq(A->result_get(S, atx, a2.id, &got), CF_OK);
		ck_assert(!got.has_lot);
		ck_assert(!got.s.net_subscription_known);
		ck_assert_int_eq(got.s.dividend_applies_to_installment, 0);
		ck_assert(got.s.remainder_to_foreman);
		ck_assert_int_eq(A->result_list_by_scheme(S, atx, scheme_id, &rl), CF_OK);
		ck_assert_uint_eq(rl.count, 2);
		ck_assert_int_eq(rl.items[0].installment_no, 1);
		ck_assert_int_eq(rl.items[1].installment_no, 2);
		cf_auction_result_array_free(&rl);
	}
	/* duplicates last: postgres aborts the transaction on them */
	ck_assert_int_eq(A->result_insert(S, atx, &r), CF_EEXISTS);
}
END_TEST

START_TEST(test_auctions__credits_and_ledger_roll_back_and_commit)
{
	cf_auction_row a;
	cf_dividend_credit c[4];
	cf_dividend_credit_array cl = {0};
	cf_ledger_line l[3];
	cf_ledger_line_array ll = {0};
	char ev[CF_ID_SIZE];

	make_auction(1, &a);
	ck_assert_int_eq(A->insert(S, atx, &a), CF_OK);
	recommit();
	for (int i = 0; i < 4; i++) {
		memset(&c[i], 0, sizeof c[i]);
		memcpy(c[i].scheme_id, scheme_id, sizeof c[i].scheme_id);
		memcpy(c[i].auction_id, a.id, sizeof c[i].auction_id);
		c[i].ticket_no = 4 - (i % 2);
		c[i].installment_no = i < 2 ? 2 : 0; /* two to installment 2, two to the advance */
		c[i].amount = cf_money_of(1000 + i);
		c[i].created_at_ms = T0;
	}
	uid(ev);
	for (int i = 0; i < 3; i++) {
		memset(&l[i], 0, sizeof l[i]);
		memcpy(l[i].event_id, ev, sizeof ev);
		snprintf(l[i].event, sizeof l[i].event, "draw");
		memcpy(l[i].scheme_id, scheme_id, sizeof l[i].scheme_id);
		l[i].posted_at_ms = T0 + 3;
	}
	snprintf(l[0].account, sizeof l[0].account, "scheme_pool");
	l[0].amount = cf_money_of(4000000);
	snprintf(l[1].account, sizeof l[1].account, "prize_payable/4");
	l[1].amount = cf_money_of(-3800000);
	snprintf(l[2].account, sizeof l[2].account, "commission_income");
	l[2].amount = cf_money_of(-200000);
	/* rolled back: nothing stays */
	ck_assert_int_eq(A->credit_insert(S, atx, c, 4), CF_OK);
	ck_assert_int_eq(P.ledger.post(P.ledger.self, atx, l, 3), CF_OK);
	P.uow.rollback(P.uow.self, atx);
	atx = NULL;
	ck_assert_int_eq(P.uow.begin(P.uow.self, &atx), CF_OK);
	ck_assert_int_eq(A->credit_list(S, atx, scheme_id, &cl), CF_OK);
	ck_assert_uint_eq(cl.count, 0);
	cf_dividend_credit_array_free(&cl);
	ck_assert_int_eq(P.ledger.list_by_scheme(P.ledger.self, atx, scheme_id, &ll), CF_OK);
	ck_assert_uint_eq(ll.count, 0);
	cf_ledger_line_array_free(&ll);
	/* committed */
	ck_assert_int_eq(A->credit_insert(S, atx, c, 4), CF_OK);
	ck_assert_int_eq(A->credit_insert(S, atx, c, 0), CF_OK);
	ck_assert_int_eq(P.ledger.post(P.ledger.self, atx, l, 3), CF_OK);
	recommit();
	ck_assert_int_eq(A->credit_list(S, atx, scheme_id, &cl), CF_OK);
	ck_assert_uint_eq(cl.count, 4);
	/* installment 2 first (by ticket), the advance (0) last */
	ck_assert_int_eq(cl.items[0].installment_no, 2);
	ck_assert_int_eq(cl.items[0].ticket_no, 3);
	ck_assert_int_eq(cl.items[0].amount.minor, 1001);
	ck_assert_int_eq(cl.items[1].ticket_no, 4);
	ck_assert_int_eq(cl.items[2].installment_no, 0);
	ck_assert_int_eq(cl.items[3].installment_no, 0);
	ck_assert_int_eq(cl.items[3].ticket_no, 4);
	ck_assert_str_eq(cl.items[3].auction_id, a.id);
	cf_dividend_credit_array_free(&cl);
	ck_assert_int_eq(P.ledger.list_by_scheme(P.ledger.self, atx, scheme_id, &ll), CF_OK);
	ck_assert_uint_eq(ll.count, 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_str_eq(ll.items[i].account, l[i].account);
		ck_assert_int_eq(ll.items[i].amount.minor, l[i].amount.minor);
		ck_assert_str_eq(ll.items[i].event, "draw");
		ck_assert_str_eq(ll.items[i].event_id, ev);
		ck_assert_int_eq(ll.items[i].posted_at_ms, T0 + 3);
		if (i > 0)
			ck_assert_int_gt(ll.items[i].seq, ll.items[i - 1].seq);
	}
	cf_ledger_line_array_free(&ll);
	/* a credit twice: refused */
	ck_assert_int_eq(A->credit_insert(S, atx, c, 1), CF_EEXISTS);
}
END_TEST

Suite *cf_contract_auctions_suite(const char *name, const cf_contract_factory *f)
{
	Suite *s = suite_create(name);
	TCase *tc = tcase_create("auctions");

	afactory = f;
	tcase_add_checked_fixture(tc, asetup, ateardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_auctions__roundtrip_unique_optimistic);
	tcase_add_test(tc, test_auctions__lists_and_due);
	tcase_add_test(tc, test_auctions__bids_results_minutes);
	tcase_add_test(tc, test_auctions__credits_and_ledger_roll_back_and_commit);
	suite_add_tcase(s, tc);
	return s;
}
