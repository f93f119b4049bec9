/*
 * test_property.c - property tests over random schemes and bid paths
 * (seeded xorshift64, so every run is the same and a failure names its
 * iteration). Properties: every draw conserves money; over a whole scheme
 * collections = prizes + commission + dividends returned (advance) +
 * rounding, to the paisa; no installment is negative; every ticket wins
 * exactly once; accepted bids obey the bid rules.
 *
 * Iterations: CF_PROPERTY_ITERATIONS (default 100000). N <= 60.
 * Hot loops use REQUIRE (a plain if) instead of ck_assert, whose
 * bookkeeping per call would dominate the run time.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cf_sha256_ref.h"
#include "chitfund/domain/auction.h"
#include "chitfund/domain/lot.h"
#include "chitfund/domain/settlement.h"

#define MAXN               60
#define MAXBIDS            24
#define DEFAULT_ITERATIONS 100000

#define REQUIRE(cond, it, ...)                                                                     \
	do {                                                                                       \
		if (!(cond))                                                                       \
			ck_abort_msg("iteration %ld: %s", (long)(it), #cond);                      \
	} while (0)

static long iterations(void)
{
	const char *s = getenv("CF_PROPERTY_ITERATIONS");
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return DEFAULT_ITERATIONS;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0)
		return DEFAULT_ITERATIONS;
	return (long)v;
}

static uint64_t next(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* Uniform-ish integer in [lo, hi]. */
static int64_t range(uint64_t *s, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(next(s) % (uint64_t)(hi - lo + 1));
}

/* Draw random but valid scheme parameters (retrying the rare refused combination). */
static void random_scheme(uint64_t *rng, cf_scheme_params *p)
{
	for (;;) {
		const cf_profile *prof;
		cf_money c, ceil;
		cf_rule why;
		int64_t s;

		cf_scheme_params_init(p);
		p->rules_profile = (cf_profile_id)range(rng, 0, 4);
		prof = cf_profile_get(p->rules_profile);
		p->member_count = (int32_t)range(rng, 2, MAXN);
		switch (range(rng, 0, 3)) {
		case 0: s = range(rng, 1, 100); break;
		case 1: s = range(rng, 1, 1000) * 100; break;
		default: s = range(rng, 1, 10000000); break;
		}
		p->chit_value = cf_money_of(s * p->member_count);
		p->start_date = (cf_date){(int32_t)range(rng, 2000, 2100),
		                          (int32_t)range(rng, 1, 12), (int32_t)range(rng, 1, 28)};
		p->commission_bps = (int32_t)range(
		        rng, 0, prof->commission_cap_bps >= 0 ? prof->commission_cap_bps : 3000);
		p->max_discount_bps =
		        (int32_t)range(rng, p->commission_bps + 1, prof->ceiling_cap_bps);
		if (cf_scheme_commission(p, &c) < 0 || cf_scheme_ceiling(p, &ceil) < 0 ||
		    c.minor > ceil.minor)
			continue;
		if (range(rng, 0, 2) == 0)
			p->min_discount = cf_money_of(range(rng, c.minor, ceil.minor));
		if (range(rng, 0, 2) == 0)
			p->lot_discount = cf_money_of(range(rng, c.minor, ceil.minor));
		switch (range(rng, 0, 3)) {
		case 0: p->bid_increment = cf_money_of(1); break;
		case 1: p->bid_increment = cf_money_of(range(rng, 1, 10000)); break;
		case 2: p->bid_increment = cf_money_of(range(rng, 1, ceil.minor + 1)); break;
		default: break; /* default 10000 */
		}
		p->auction_method =
		        (cf_auction_method)range(rng, 0, prof->fixed_order_allowed ? 3 : 2);
		p->first_prize_to_foreman = prof->foreman_first_allowed && range(rng, 0, 3) == 0;
		if (range(rng, 0, 1))
			p->dividend_policy = (cf_dividend_policy)range(rng, 0, 2);
		p->dividend_timing = (cf_dividend_timing)range(rng, 0, 1);
		p->gst_bps = (int32_t)range(rng, 0, 10000);
		p->gst_borne_by = (cf_gst_borne_by)range(rng, 0, 1);
		if (cf_scheme_params_resolve(p, &why) == CF_OK)
			return;
	}
}

static const char *AUCTION_ID = "123e4567-e89b-12d3-a456-426614174000";

/*
 * The refusal a bid must get, worked out directly from domain.md's list
 * (first applicable wins), as an oracle for cf_draw_check_bid.
 */
static cf_rule expected_refusal(const cf_draw *d, bool open, const cf_ticket_state *t, int32_t n,
                                const cf_bid *bids, size_t nb, cf_bid b)
{
	int64_t amt = b.discount.minor, top = 0;
	bool any = false, own_ceiling = false, own_any = false;
	size_t eligible = 0;

	for (int32_t i = 0; i < n; i++)
		eligible += !t[i].prized && !t[i].overdue && !t[i].removed;
	for (size_t i = 0; i < nb; i++) {
		if (!any || bids[i].discount.minor > top)
			top = bids[i].discount.minor;
		any = true;
		if (bids[i].ticket_no == b.ticket_no) {
			own_any = true;
			own_ceiling |= bids[i].discount.minor == d->ceiling.minor;
		}
	}
	if (!open || d->foreman_first || d->method == CF_METHOD_LOT ||
	    d->method == CF_METHOD_FIXED_ORDER || eligible < 2)
		return CF_RULE_AUCTION_NOT_OPEN;
	if (b.ticket_no < 1 || b.ticket_no > n)
		return CF_RULE_TICKET_NOT_ELIGIBLE;
	if (t[b.ticket_no - 1].prized)
		return CF_RULE_TICKET_ALREADY_PRIZED;
	if (t[b.ticket_no - 1].overdue || t[b.ticket_no - 1].removed)
		return CF_RULE_TICKET_IN_DEFAULT;
	if (d->method == CF_METHOD_SEALED && own_any)
		return CF_RULE_BID_ALREADY_PLACED;
	if (amt > d->ceiling.minor)
		return CF_RULE_BID_ABOVE_CAP;
	if (amt < d->floor.minor)
		return CF_RULE_BID_BELOW_FLOOR;
	if (amt != d->floor.minor && amt != d->ceiling.minor && amt % d->increment.minor != 0)
		return CF_RULE_BID_NOT_MULTIPLE;
	if (d->method == CF_METHOD_AUCTION && any) {
		if (amt == d->ceiling.minor && top == d->ceiling.minor)
			return own_ceiling ? CF_RULE_BID_NOT_HIGHER : CF_RULE_NONE;
		if (amt - top < d->increment.minor)
			return CF_RULE_BID_NOT_HIGHER;
	}
	return CF_RULE_NONE;
}

/* Random bid path for draw d; returns the number of accepted bids and checks each. */
static size_t random_bids(uint64_t *rng, long it, const cf_draw *d, const cf_ticket_state *t,
                          int32_t n, cf_bid *bids)
{
	size_t nb = 0;
	int attempts = (int)range(rng, 0, 12);
	bool takes = cf_draw_takes_bids(d, t, (size_t)n);

	for (int a = 0; a < attempts && nb < MAXBIDS; a++) {
		cf_bid b;
		cf_money standing;
		bool had = cf_draw_standing(bids, nb, &standing);
		cf_rule why;
		int rc;
		int64_t steps;
		bool open;

		b.ticket_no = (int32_t)range(rng, 1, n + 1); /* n + 1 is unknown */
		switch (range(rng, 0, 5)) {
		case 0: b.discount = d->floor; break;
		case 1: b.discount = d->ceiling; break;
		case 4:
			b.discount = cf_money_of(had ? standing.minor + d->increment.minor
			                             : d->floor.minor);
			break;
		case 2:
			b.discount =
			        cf_money_of(range(rng, d->floor.minor - 1, d->ceiling.minor + 1));
			break;
		default:
			steps = d->ceiling.minor / d->increment.minor;
			b.discount = cf_money_of(range(rng, 0, steps) * d->increment.minor);
			break;
		}
		open = range(rng, 0, 15) != 0;
		rc = cf_draw_check_bid(d, open, t, (size_t)n, bids, nb, b, &why);
		REQUIRE(rc == CF_OK || rc == CF_ERULE, it);
		REQUIRE(why == expected_refusal(d, open, t, n, bids, nb, b), it);
		if (rc != CF_OK) {
			REQUIRE(why > CF_RULE_NONE && why < CF_RULE__COUNT, it);
			continue;
		}
		/* an accepted bid obeys every rule */
		REQUIRE(takes, it);
		REQUIRE(b.ticket_no >= 1 && b.ticket_no <= n, it);
		REQUIRE(cf_ticket_eligible(&t[b.ticket_no - 1]), it);
		REQUIRE(cf_draw_amount_valid(d, b.discount), it);
		if (d->method == CF_METHOD_SEALED) {
			for (size_t i = 0; i < nb; i++)
				REQUIRE(bids[i].ticket_no != b.ticket_no, it);
		} else if (had) {
			REQUIRE(b.discount.minor >= standing.minor + d->increment.minor ||
			                (b.discount.minor == d->ceiling.minor &&
			                 standing.minor == d->ceiling.minor),
			        it);
		}
		bids[nb++] = b;
	}
	return nb;
}

/*
 * Run one whole scheme draw by draw and check every property. Returns the
 * number of draws that needed a lot (to show the path is exercised).
 */
static int run_scheme(uint64_t *rng, long it)
{
	cf_scheme_params p;
	cf_ticket_state t[MAXN];
	int32_t cands[MAXN];
	cf_bid bids[MAXBIDS];
	int wins[MAXN + 1];
	int64_t credit[MAXN]; /* dividend credit waiting for the next installment */
	int64_t collections = 0, prizes = 0, commission = 0, advance = 0, dividends = 0;
	int64_t applied = 0, sub;
	cf_money carried = cf_money_of(0);
	int32_t n;
	int lots = 0;
	int overdue_odds;

	random_scheme(rng, &p);
	n = p.member_count;
	sub = cf_scheme_subscription(&p).minor;
	memset(t, 0, sizeof t);
	memset(wins, 0, sizeof wins);
	memset(credit, 0, sizeof credit);
	for (int32_t i = 0; i < n; i++)
		t[i].ticket_no = i + 1;
	t[range(rng, 0, n - 1)].foreman = true;
	overdue_odds = (int)range(rng, 0, 3) == 0 ? 3 : 12;

	for (int32_t k = 1; k <= n; k++) {
		cf_draw d;
		cf_draw_outcome o;
		cf_settlement s;
		cf_settlement_input in;
		cf_rule why;
		size_t nb;
		int rc;

		/* installment k: under next_installment it carries draw k-1's credit */
		if (p.dividend_timing == CF_TIMING_NEXT_INSTALLMENT) {
			for (int32_t i = 0; i < n; i++) {
				int64_t net = sub - credit[i];
				REQUIRE(net >= 0, it);
				collections += net;
				credit[i] = 0;
			}
		}
		for (int32_t i = 0; i < n; i++)
			t[i].overdue = range(rng, 0, overdue_odds) == 0;

		REQUIRE(cf_draw_init(&d, &p, k) == CF_OK, it);
		nb = random_bids(rng, it, &d, t, n, bids);
		rc = cf_draw_decide(&d, t, (size_t)n, bids, nb, cands, MAXN, &o, &why);
		if (rc == CF_ERULE) {
			/* nobody can win: the overdue pay up and the draw is held with no bids */
			REQUIRE(why == CF_RULE_NO_ELIGIBLE_TICKET, it);
			REQUIRE(cf_draw_eligible_count(t, (size_t)n) == 0, it);
			for (int32_t i = 0; i < n; i++)
				t[i].overdue = false;
			nb = 0;
			rc = cf_draw_decide(&d, t, (size_t)n, bids, nb, cands, MAXN, &o, &why);
		}
		REQUIRE(rc == CF_OK, it);
		if (o.needs_lot) {
			REQUIRE(o.candidate_count >= 2, it);
			for (size_t i = 1; i < o.candidate_count; i++)
				REQUIRE(cands[i] > cands[i - 1], it);
			lots++;
			if (range(rng, 0, 15) == 0) {
				uint8_t bytes[32];
				char seed[CF_LOT_HEX_LEN + 1];
				cf_lot_proof proof;
				for (int i = 0; i < 32; i++)
					bytes[i] = (uint8_t)next(rng);
				cf_lot_seed_from_bytes(bytes, seed);
				REQUIRE(cf_lot_draw(seed, AUCTION_ID, cands, o.candidate_count,
				                    cf_test_sha256, &proof) == CF_OK,
				        it);
				REQUIRE(cf_lot_verify(proof.commitment, seed, AUCTION_ID, cands,
				                      o.candidate_count, proof.index,
				                      cf_test_sha256) == CF_OK,
				        it);
				REQUIRE(cf_draw_apply_lot(&o, cands, proof.index) == CF_OK, it);
			} else {
				REQUIRE(cf_draw_apply_lot(&o, cands,
				                          (size_t)range(rng, 0,
				                                        (int64_t)o.candidate_count -
				                                                1)) == CF_OK,
				        it);
			}
		}
		REQUIRE(o.winner_ticket_no >= 1 && o.winner_ticket_no <= n, it);
		if (o.decided_by == CF_DECIDED_BY_FOREMAN_FIRST) {
			REQUIRE(k == 1 && t[o.winner_ticket_no - 1].foreman, it);
			REQUIRE(o.discount.minor == 0, it);
		} else {
			REQUIRE(cf_ticket_eligible(&t[o.winner_ticket_no - 1]), it);
			REQUIRE(o.discount.minor >= d.floor.minor ||
			                o.discount.minor == d.lot_discount.minor,
			        it);
			REQUIRE(o.discount.minor <= d.ceiling.minor, it);
		}

		in = (cf_settlement_input){k,
		                           o.winner_ticket_no,
		                           o.decided_by,
		                           o.discount,
		                           cf_dividend_share_count(p.dividend_policy, t, (size_t)n,
		                                                   o.winner_ticket_no),
		                           carried};
		REQUIRE(cf_settle_draw(&p, &in, &s) == CF_OK, it);
		REQUIRE(cf_settlement_check(&p, &s) == CF_OK, it); /* conservation, every draw */
		REQUIRE(s.remainder_carried.minor >= 0, it);
		REQUIRE(s.net_subscription.minor >= 0, it);
		REQUIRE(s.net_payout.minor ==
		                s.prize_amount.minor - (p.gst_borne_by == CF_GST_WINNER
		                                                ? s.gst_on_commission.minor
		                                                : 0),
		        it);
		REQUIRE(s.prize_amount.minor == p.chit_value.minor - s.discount.minor, it);
		carried = s.remainder_carried;
		prizes += s.prize_amount.minor;
		commission += s.commission.minor;
		dividends += s.dividend_total.minor;

		/* credit each sharing ticket: to an installment, clamped at S, or to its advance */
		for (int32_t i = 0; i < n; i++) {
			int64_t d_i, to_inst;
			if (!cf_ticket_shares(p.dividend_policy, &t[i], o.winner_ticket_no))
				continue;
			d_i = s.dividend_per_ticket.minor;
			if (!s.net_subscription_known) {
				advance += d_i;
				REQUIRE(s.advance_per_share.minor == d_i, it);
				continue;
			}
			to_inst = d_i > sub ? sub : d_i;
			REQUIRE(s.advance_per_share.minor == d_i - to_inst, it);
			REQUIRE(s.net_subscription.minor == sub - to_inst, it);
			advance += d_i - to_inst;
			applied += to_inst;
			credit[i] = to_inst; /* installment k+1, or k under same_installment */
		}
		if (p.dividend_timing == CF_TIMING_SAME_INSTALLMENT) {
			for (int32_t i = 0; i < n; i++) {
				int64_t net = sub - credit[i];
				REQUIRE(net >= 0, it);
				collections += net;
				credit[i] = 0;
			}
		}
		t[o.winner_ticket_no - 1].prized = true;
		wins[o.winner_ticket_no]++;
		if (k == n)
			REQUIRE(s.remainder_to_foreman, it);
	}
	for (int32_t i = 1; i <= n; i++)
		REQUIRE(wins[i] == 1, it);
	/* over the whole scheme, to the paisa */
	REQUIRE(collections + applied == sub * n * n, it);
	REQUIRE(dividends == applied + advance, it);
	REQUIRE(collections == prizes + commission + advance + carried.minor, it);
	return lots;
}

START_TEST(test_property__whole_schemes_conserve_money)
{
	uint64_t rng = 0x9E3779B97F4A7C15ULL;
	long n = iterations();
	long lots = 0;

	for (long it = 0; it < n; it++)
		lots += run_scheme(&rng, it);
	ck_assert_int_gt(lots, 0);
}
END_TEST

/* Single draws with a random carried-in remainder and share count. */
START_TEST(test_property__single_draw_identity)
{
	uint64_t rng = 0xD1B54A32D192ED03ULL;
	long n = iterations();

	for (long it = 0; it < n; it++) {
		cf_scheme_params p;
		cf_settlement s;
		cf_settlement_input in;
		cf_money c, ceil;

		random_scheme(&rng, &p);
		ck_assert_int_eq(cf_scheme_commission(&p, &c), CF_OK);
		ck_assert_int_eq(cf_scheme_ceiling(&p, &ceil), CF_OK);
		in.draw_no = (int32_t)range(&rng, 1, p.member_count);
		in.winner_ticket_no = 1;
		in.decided_by = (cf_decided_by)range(&rng, 0, 5);
		in.discount = cf_money_of(range(&rng, c.minor, ceil.minor));
		in.shares = (int32_t)range(&rng, 0, p.member_count);
		in.carried_in = cf_money_of(range(&rng, 0, p.member_count * 3));
		REQUIRE(cf_settle_draw(&p, &in, &s) == CF_OK, it);
		REQUIRE(cf_settlement_check(&p, &s) == CF_OK, it);
		REQUIRE(s.prize_amount.minor + s.commission.minor + s.dividend_total.minor +
		                        s.remainder_carried.minor ==
		                p.chit_value.minor + in.carried_in.minor,
		        it);
		REQUIRE(in.shares == 0 || s.remainder_carried.minor < in.shares, it);
	}
}
END_TEST

static Suite *property_suite(void)
{
	Suite *s = suite_create("property");
	TCase *tc = tcase_create("schemes");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_property__whole_schemes_conserve_money);
	tcase_add_test(tc, test_property__single_draw_identity);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(property_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
