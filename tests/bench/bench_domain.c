/*
 * bench_domain.c - how fast the pure draw rules are. Prints numbers; never
 * passes or fails on time.
 *
 *   settle_draw      ns per draw settlement (cf_settle_draw + cf_settlement_check)
 *   scheme_50        microseconds to run a whole 50-ticket scheme: for every
 *                    draw, 6 bids checked, the winner decided and the draw
 *                    settled
 *
 * Each measurement repeats until about 0.6 s has passed, so the numbers are
 * stable without a fixed loop count.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "chitfund/domain/auction.h"
#include "chitfund/domain/settlement.h"

#define TARGET_NS 600000000LL

static volatile int64_t sink;

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int make_scheme(cf_scheme_params *p, int32_t n)
{
	cf_rule why;
	cf_scheme_params_init(p);
	p->chit_value = cf_money_of((int64_t)n * 1000000);
	p->member_count = n;
	p->start_date = (cf_date){2026, 1, 15};
	p->first_prize_to_foreman = true;
	return cf_scheme_params_resolve(p, &why);
}

static int64_t settle_once(const cf_scheme_params *p, int32_t k, int64_t carried)
{
	cf_settlement_input in = {k,
	                          7,
	                          CF_DECIDED_BY_BID,
	                          cf_money_of(2501234 + k * 10000),
	                          49,
	                          cf_money_of(carried)};
	cf_settlement s;

	if (cf_settle_draw(p, &in, &s) != CF_OK || cf_settlement_check(p, &s) != CF_OK)
		return -1;
	return s.remainder_carried.minor;
}

/* One whole scheme: returns a checksum, or -1 on any failure. */
static int64_t run_scheme(const cf_scheme_params *p)
{
	cf_ticket_state t[50];
	int32_t cands[50];
	cf_bid bids[8];
	cf_money carried = cf_money_of(0);
	int64_t sum = 0;
	int32_t n = p->member_count;

	memset(t, 0, sizeof t);
	for (int32_t i = 0; i < n; i++)
		t[i].ticket_no = i + 1;
	t[0].foreman = true;
	for (int32_t k = 1; k <= n; k++) {
		cf_draw d;
		cf_draw_outcome o;
		cf_settlement s;
		cf_settlement_input in;
		cf_rule why;
		size_t nb = 0;

		if (cf_draw_init(&d, p, k) != CF_OK)
			return -1;
		if (cf_draw_takes_bids(&d, t, (size_t)n)) {
			int64_t amount = d.floor.minor + d.increment.minor -
			                 d.floor.minor % d.increment.minor;
			for (int b = 0; b < 6; b++) {
				cf_bid bid = {(int32_t)((k * 7 + b * 13) % n) + 1,
				              cf_money_of(amount + b * d.increment.minor)};
				if (cf_draw_check_bid(&d, true, t, (size_t)n, bids, nb, bid,
				                      &why) == CF_OK)
					bids[nb++] = bid;
			}
		}
		if (cf_draw_decide(&d, t, (size_t)n, bids, nb, cands, 50, &o, &why) != CF_OK)
			return -1;
		if (o.needs_lot &&
		    cf_draw_apply_lot(&o, cands, (size_t)k % o.candidate_count) != CF_OK)
			return -1;
		in = (cf_settlement_input){k,
		                           o.winner_ticket_no,
		                           o.decided_by,
		                           o.discount,
		                           cf_dividend_share_count(p->dividend_policy, t, (size_t)n,
		                                                   o.winner_ticket_no),
		                           carried};
		if (cf_settle_draw(p, &in, &s) != CF_OK || cf_settlement_check(p, &s) != CF_OK)
			return -1;
		carried = s.remainder_carried;
		t[o.winner_ticket_no - 1].prized = true;
		sum += s.dividend_per_ticket.minor;
	}
	return sum;
}

int main(void)
{
	cf_scheme_params p;
	int64_t start, elapsed, loops = 0, carried = 0;

	if (make_scheme(&p, 50) != CF_OK) {
		fprintf(stderr, "bench_domain: scheme refused\n");
		return 1;
	}

	start = now_ns();
	do {
		for (int i = 0; i < 10000; i++) {
			carried = settle_once(&p, (int32_t)(i % 49) + 1, carried);
			if (carried < 0) {
				fprintf(stderr, "bench_domain: settlement failed\n");
				return 1;
			}
		}
		loops += 10000;
		elapsed = now_ns() - start;
	} while (elapsed < TARGET_NS);
	sink = carried;
	printf("settle_draw: %.1f ns per draw settlement (%lld settlements)\n",
	       (double)elapsed / (double)loops, (long long)loops);

	loops = 0;
	start = now_ns();
	do {
		for (int i = 0; i < 100; i++) {
			int64_t r = run_scheme(&p);
			if (r < 0) {
				fprintf(stderr, "bench_domain: scheme simulation failed\n");
				return 1;
			}
			sink += r;
		}
		loops += 100;
		elapsed = now_ns() - start;
	} while (elapsed < TARGET_NS);
	printf("scheme_50: %.2f us per whole 50-ticket scheme (auction + settlement, %lld "
	       "schemes)\n",
	       (double)elapsed / 1000.0 / (double)loops, (long long)loops);
	return 0;
}
