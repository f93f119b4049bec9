/*
 * auction.c - eligibility, bid acceptance and winner choice for one draw
 * (auction.h; domain.md "One draw, step by step" and "Precise rules").
 *
 * Everything works on caller-owned arrays; nothing is allocated. Ticket
 * counts are at most 1000, so the simple quadratic scans below stay cheap.
 */
#include "chitfund/domain/auction.h"

#include <string.h>

static const char *const decided_names[] = {"bid",           "lot",         "no_bids",
                                            "foreman_first", "last_ticket", "fixed_order"};
#define DECIDED_COUNT ((int)(sizeof decided_names / sizeof decided_names[0]))

const char *cf_decided_by_name(cf_decided_by d)
{
	if ((int)d < 0 || (int)d >= DECIDED_COUNT)
		return "";
	return decided_names[d];
}

int cf_decided_by_parse(const char *s, cf_decided_by *out)
{
	if (s == NULL || out == NULL)
		return CF_EINVALID;
	for (int i = 0; i < DECIDED_COUNT; i++) {
		if (strcmp(decided_names[i], s) == 0) {
			*out = (cf_decided_by)i;
			return CF_OK;
		}
	}
	return CF_EINVALID;
}

int cf_draw_init(cf_draw *d, const cf_scheme_params *p, int32_t draw_no)
{
	int rc;

	if (d == NULL || p == NULL || draw_no < 1 || draw_no > p->member_count)
		return CF_EINVALID;
	memset(d, 0, sizeof *d);
	d->draw_no = draw_no;
	d->member_count = p->member_count;
	d->method = p->auction_method;
	d->foreman_first = p->first_prize_to_foreman && draw_no == 1;
	d->floor = p->min_discount;
	d->increment = p->bid_increment;
	d->lot_discount = p->lot_discount;
	if ((rc = cf_scheme_ceiling(p, &d->ceiling)) < 0)
		return rc;
	return CF_OK;
}

bool cf_ticket_eligible(const cf_ticket_state *t)
{
	return t != NULL && !t->removed && !t->prized && !t->overdue;
}

size_t cf_draw_eligible_count(const cf_ticket_state *tickets, size_t n)
{
	size_t count = 0;

	if (tickets == NULL)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (cf_ticket_eligible(&tickets[i]))
			count++;
	return count;
}

/* Insert v into the ascending array a[0..*len), keeping it sorted. */
static void insert_sorted(int32_t *a, size_t *len, int32_t v)
{
	size_t j = *len;

	while (j > 0 && a[j - 1] > v) {
		a[j] = a[j - 1];
		j--;
	}
	a[j] = v;
	(*len)++;
}

int cf_draw_eligible(const cf_ticket_state *tickets, size_t n, int32_t *out, size_t cap,
                     size_t *count)
{
	size_t len = 0, need;

	if ((tickets == NULL && n > 0) || count == NULL)
		return CF_EINVALID;
	need = cf_draw_eligible_count(tickets, n);
	*count = need;
	if (need > cap || (need > 0 && out == NULL))
		return CF_EBUFFER;
	for (size_t i = 0; i < n; i++)
		if (cf_ticket_eligible(&tickets[i]))
			insert_sorted(out, &len, tickets[i].ticket_no);
	return CF_OK;
}

bool cf_draw_takes_bids(const cf_draw *d, const cf_ticket_state *tickets, size_t n)
{
	if (d == NULL || d->foreman_first)
		return false;
	if (d->method == CF_METHOD_LOT || d->method == CF_METHOD_FIXED_ORDER)
		return false;
	return cf_draw_eligible_count(tickets, n) >= 2;
}

bool cf_draw_amount_valid(const cf_draw *d, cf_money amount)
{
	if (d == NULL)
		return false;
	if (cf_money_cmp(amount, d->floor) < 0 || cf_money_cmp(amount, d->ceiling) > 0)
		return false;
	if (amount.minor == d->floor.minor || amount.minor == d->ceiling.minor)
		return true;
	return d->increment.minor > 0 && amount.minor % d->increment.minor == 0;
}

bool cf_draw_standing(const cf_bid *bids, size_t nbids, cf_money *standing)
{
	bool have = false;
	cf_money best = cf_money_of(0);

	for (size_t i = 0; bids != NULL && i < nbids; i++) {
		if (!have || cf_money_cmp(bids[i].discount, best) > 0)
			best = bids[i].discount;
		have = true;
	}
	if (have && standing != NULL)
		*standing = best;
	return have;
}

static const cf_ticket_state *find_ticket(const cf_ticket_state *tickets, size_t n,
                                          int32_t ticket_no)
{
	for (size_t i = 0; tickets != NULL && i < n; i++)
		if (tickets[i].ticket_no == ticket_no)
			return &tickets[i];
	return NULL;
}

static int refuse(cf_rule *why, cf_rule r)
{
	if (why)
		*why = r;
	return CF_ERULE;
}

/* True when `ticket_no` already has a bid of exactly `amount` (any amount when !match_amount). */
static bool has_bid(const cf_bid *bids, size_t nbids, int32_t ticket_no, bool match_amount,
                    cf_money amount)
{
	for (size_t i = 0; bids != NULL && i < nbids; i++)
		if (bids[i].ticket_no == ticket_no &&
		    (!match_amount || bids[i].discount.minor == amount.minor))
			return true;
	return false;
}

/*
 * The refusal order is fixed by domain.md ("Precise rules") and clients rely
 * on it: state first, then the ticket, then the amount on its own, then the
 * amount against the standing bid.
 */
int cf_draw_check_bid(const cf_draw *d, bool is_open, const cf_ticket_state *tickets, size_t n,
                      const cf_bid *bids, size_t nbids, cf_bid bid, cf_rule *why)
{
	const cf_ticket_state *t;
	cf_money standing, needed;

	if (why)
		*why = CF_RULE_NONE;
	if (d == NULL || (tickets == NULL && n > 0) || (bids == NULL && nbids > 0))
		return CF_EINVALID;
	if (!is_open || !cf_draw_takes_bids(d, tickets, n))
		return refuse(why, CF_RULE_AUCTION_NOT_OPEN);
	t = find_ticket(tickets, n, bid.ticket_no);
	if (t == NULL)
		return refuse(why, CF_RULE_TICKET_NOT_ELIGIBLE);
	if (t->prized)
		return refuse(why, CF_RULE_TICKET_ALREADY_PRIZED);
	if (t->overdue || t->removed)
		return refuse(why, CF_RULE_TICKET_IN_DEFAULT);
	if (d->method == CF_METHOD_SEALED &&
	    has_bid(bids, nbids, bid.ticket_no, false, bid.discount))
		return refuse(why, CF_RULE_BID_ALREADY_PLACED);
	if (cf_money_cmp(bid.discount, d->ceiling) > 0)
		return refuse(why, CF_RULE_BID_ABOVE_CAP);
	if (cf_money_cmp(bid.discount, d->floor) < 0)
		return refuse(why, CF_RULE_BID_BELOW_FLOOR);
	if (!cf_draw_amount_valid(d, bid.discount))
		return refuse(why, CF_RULE_BID_NOT_MULTIPLE);
	if (d->method == CF_METHOD_AUCTION && cf_draw_standing(bids, nbids, &standing)) {
		if (bid.discount.minor == d->ceiling.minor && standing.minor == d->ceiling.minor) {
			/* joining a ceiling tie: once per ticket */
			if (has_bid(bids, nbids, bid.ticket_no, true, d->ceiling))
				return refuse(why, CF_RULE_BID_NOT_HIGHER);
			return CF_OK;
		}
		if (cf_money_add(standing, d->increment, &needed) < 0 ||
		    cf_money_cmp(bid.discount, needed) < 0)
			return refuse(why, CF_RULE_BID_NOT_HIGHER);
	}
	return CF_OK;
}

/* Set a decided outcome with a single winner. */
static int decided(cf_draw_outcome *out, int32_t *candidates, cf_decided_by by, int32_t winner,
                   cf_money discount)
{
	out->decided_by = by;
	out->needs_lot = false;
	out->winner_ticket_no = winner;
	out->discount = discount;
	out->candidate_count = 1;
	candidates[0] = winner;
	return CF_OK;
}

/* Outcome pending a lot among candidates[0..count). A single candidate is no lot. */
static int pending(cf_draw_outcome *out, int32_t *candidates, size_t count, cf_decided_by by,
                   cf_decided_by single_by, cf_money discount)
{
	if (count == 1)
		return decided(out, candidates, single_by, candidates[0], discount);
	out->decided_by = by;
	out->needs_lot = true;
	out->winner_ticket_no = 0;
	out->discount = discount;
	out->candidate_count = count;
	return CF_OK;
}

int cf_draw_decide(const cf_draw *d, const cf_ticket_state *tickets, size_t n, const cf_bid *bids,
                   size_t nbids, int32_t *candidates, size_t cap, cf_draw_outcome *out,
                   cf_rule *why)
{
	size_t eligible = 0, tied = 0;
	bool have_best = false;
	cf_money best = cf_money_of(0);
	int rc;

	if (why)
		*why = CF_RULE_NONE;
	if (d == NULL || out == NULL || candidates == NULL || (tickets == NULL && n > 0) ||
	    (bids == NULL && nbids > 0))
		return CF_EINVALID;
	memset(out, 0, sizeof *out);

	if (d->foreman_first) {
		int32_t foreman = 0;
		for (size_t i = 0; i < n; i++)
			if (tickets[i].foreman && !tickets[i].removed &&
			    (foreman == 0 || tickets[i].ticket_no < foreman))
				foreman = tickets[i].ticket_no;
		if (foreman == 0)
			return refuse(why, CF_RULE_FOREMAN_TICKET_REQUIRED);
		if (cap < 1)
			return CF_EBUFFER;
		return decided(out, candidates, CF_DECIDED_BY_FOREMAN_FIRST, foreman,
		               cf_money_of(0));
	}

	rc = cf_draw_eligible(tickets, n, candidates, cap, &eligible);
	if (rc < 0)
		return rc;
	if (eligible == 0)
		return refuse(why, CF_RULE_NO_ELIGIBLE_TICKET);
	if (eligible == 1)
		return decided(out, candidates, CF_DECIDED_BY_LAST_TICKET, candidates[0], d->floor);

	switch (d->method) {
	case CF_METHOD_FIXED_ORDER:
		return decided(out, candidates, CF_DECIDED_BY_FIXED_ORDER, candidates[0], d->floor);
	case CF_METHOD_LOT:
		return pending(out, candidates, eligible, CF_DECIDED_BY_LOT, CF_DECIDED_BY_LOT,
		               d->lot_discount);
	case CF_METHOD_AUCTION:
	case CF_METHOD_SEALED: break;
	}

	/* highest bid among tickets that are still eligible */
	for (size_t i = 0; i < nbids; i++) {
		const cf_ticket_state *t = find_ticket(tickets, n, bids[i].ticket_no);
		if (!cf_ticket_eligible(t))
			continue;
		if (!have_best || cf_money_cmp(bids[i].discount, best) > 0)
			best = bids[i].discount;
		have_best = true;
	}
	if (!have_best)
		return pending(out, candidates, eligible, CF_DECIDED_BY_NO_BIDS,
		               CF_DECIDED_BY_NO_BIDS, d->floor);

	/* keep, in ascending order, the eligible tickets that bid the best amount */
	for (size_t i = 0; i < eligible; i++)
		if (has_bid(bids, nbids, candidates[i], true, best))
			candidates[tied++] = candidates[i];
	return pending(out, candidates, tied, CF_DECIDED_BY_LOT, CF_DECIDED_BY_BID, best);
}

int cf_draw_apply_lot(cf_draw_outcome *out, const int32_t *candidates, size_t index)
{
	if (out == NULL || candidates == NULL || !out->needs_lot || index >= out->candidate_count)
		return CF_EINVALID;
	out->winner_ticket_no = candidates[index];
	out->needs_lot = false;
	return CF_OK;
}
