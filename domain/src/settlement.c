/*
 * settlement.c - the amounts of a settled draw (settlement.h).
 *
 * Where each paisa goes: the discount D pays the commission C; the rest plus
 * the remainder carried in is split in equal whole-paisa shares among the
 * sharing tickets; what does not split evenly is carried to the next draw,
 * or on the last draw to the foreman's rounding account. So
 * P + C + d x shares + remainder == V + carried_in for every draw.
 */
#include "chitfund/domain/settlement.h"

#include <string.h>

bool cf_ticket_shares(cf_dividend_policy policy, const cf_ticket_state *t, int32_t winner_ticket_no)
{
	if (t == NULL || t->removed)
		return false;
	switch (policy) {
	case CF_DIVIDEND_ALL_TICKETS: return true;
	case CF_DIVIDEND_EXCLUDE_WINNER: return t->ticket_no != winner_ticket_no;
	case CF_DIVIDEND_PROMPT_PAYERS: return !t->overdue;
	}
	return false;
}

int32_t cf_dividend_share_count(cf_dividend_policy policy, const cf_ticket_state *tickets, size_t n,
                                int32_t winner_ticket_no)
{
	int32_t count = 0;

	for (size_t i = 0; tickets != NULL && i < n; i++)
		if (cf_ticket_shares(policy, &tickets[i], winner_ticket_no))
			count++;
	return count;
}

int cf_settle_draw(const cf_scheme_params *p, const cf_settlement_input *in, cf_settlement *out)
{
	cf_settlement s;
	cf_money v, sub, excess;
	bool foreman_first, last;
	int rc;

	if (p == NULL || in == NULL || out == NULL || p->member_count < 2 ||
	    p->chit_value.minor <= 0 || in->draw_no < 1 || in->draw_no > p->member_count ||
	    in->shares < 0 || in->carried_in.minor < 0 || in->winner_ticket_no <= 0)
		return CF_EINVALID;
	memset(&s, 0, sizeof s);
	v = p->chit_value;
	sub = cf_scheme_subscription(p);
	foreman_first = in->decided_by == CF_DECIDED_BY_FOREMAN_FIRST;
	last = in->draw_no == p->member_count;

	s.draw_no = in->draw_no;
	s.winner_ticket_no = in->winner_ticket_no;
	s.decided_by = in->decided_by;
	s.carried_in = in->carried_in;
	s.dividend_shares = in->shares;

	/* discount and commission */
	if (foreman_first) {
		s.discount = cf_money_of(0);
		s.commission = cf_money_of(0);
	} else {
		s.discount = in->discount;
		if ((rc = cf_scheme_commission(p, &s.commission)) < 0)
			return rc;
		if (cf_money_cmp(s.discount, s.commission) < 0 || cf_money_cmp(s.discount, v) > 0)
			return CF_EINVALID;
	}
	if ((rc = cf_money_mul_bps(s.commission, p->gst_bps, CF_ROUND_HALF_UP,
	                           &s.gst_on_commission)) < 0)
		return rc;

	/* distributable and its split */
	if ((rc = cf_money_sub(s.discount, s.commission, &s.distributable)) < 0 ||
	    (rc = cf_money_add(s.distributable, s.carried_in, &s.distributable)) < 0)
		return rc;
	if (in->shares > 0) {
		if ((rc = cf_money_split(s.distributable, in->shares, &s.dividend_per_ticket,
		                         &s.remainder_carried)) < 0)
			return rc;
	} else {
		s.dividend_per_ticket = cf_money_of(0);
		s.remainder_carried = s.distributable;
	}
	if ((rc = cf_money_mul(s.dividend_per_ticket, in->shares, &s.dividend_total)) < 0)
		return rc;
	s.remainder_to_foreman = last;

	/* prize and payout */
	if ((rc = cf_money_sub(v, s.discount, &s.prize_amount)) < 0)
		return rc;
	s.net_payout = s.prize_amount;
	if (p->gst_borne_by == CF_GST_WINNER &&
	    (rc = cf_money_sub(s.prize_amount, s.gst_on_commission, &s.net_payout)) < 0)
		return rc;

	/* the installment the dividend lowers, and what a sharing ticket then owes */
	if (p->dividend_timing == CF_TIMING_SAME_INSTALLMENT || !last) {
		s.dividend_applies_to_installment = p->dividend_timing == CF_TIMING_SAME_INSTALLMENT
		                                            ? in->draw_no
		                                            : in->draw_no + 1;
		s.net_subscription_known = true;
		if (cf_money_cmp(s.dividend_per_ticket, sub) > 0) {
			s.net_subscription = cf_money_of(0);
			if ((rc = cf_money_sub(s.dividend_per_ticket, sub, &excess)) < 0)
				return rc;
			s.advance_per_share = excess;
		} else {
			if ((rc = cf_money_sub(sub, s.dividend_per_ticket, &s.net_subscription)) <
			    0)
				return rc;
			s.advance_per_share = cf_money_of(0);
		}
	} else {
		s.dividend_applies_to_installment = 0;
		s.net_subscription_known = false;
		s.net_subscription = cf_money_of(0);
		s.advance_per_share = s.dividend_per_ticket;
	}
	*out = s;
	return CF_OK;
}

int cf_settlement_check(const cf_scheme_params *p, const cf_settlement *s)
{
	cf_money lhs, rhs, total, dist, split, prize;
	int rc;

	if (p == NULL || s == NULL)
		return CF_ERROR;
	if ((rc = cf_money_mul(s->dividend_per_ticket, s->dividend_shares, &total)) < 0 ||
	    (rc = cf_money_add(s->prize_amount, s->commission, &lhs)) < 0 ||
	    (rc = cf_money_add(lhs, total, &lhs)) < 0 ||
	    (rc = cf_money_add(lhs, s->remainder_carried, &lhs)) < 0 ||
	    (rc = cf_money_add(p->chit_value, s->carried_in, &rhs)) < 0 ||
	    (rc = cf_money_sub(s->discount, s->commission, &dist)) < 0 ||
	    (rc = cf_money_add(dist, s->carried_in, &dist)) < 0 ||
	    (rc = cf_money_add(total, s->remainder_carried, &split)) < 0 ||
	    (rc = cf_money_sub(p->chit_value, s->discount, &prize)) < 0)
		return rc;
	if (cf_money_cmp(lhs, rhs) != 0 || cf_money_cmp(total, s->dividend_total) != 0 ||
	    cf_money_cmp(dist, s->distributable) != 0 || cf_money_cmp(split, dist) != 0 ||
	    cf_money_cmp(prize, s->prize_amount) != 0)
		return CF_ERROR;
	if (s->dividend_shares > 0 &&
	    (s->remainder_carried.minor < 0 || s->remainder_carried.minor >= s->dividend_shares))
		return CF_ERROR;
	if (s->dividend_shares == 0 && s->remainder_carried.minor != s->distributable.minor)
		return CF_ERROR;
	return CF_OK;
}
