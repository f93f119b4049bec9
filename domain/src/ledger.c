/*
 * ledger.c - account names and the balanced posting lines of each money
 * event. Pure: lines go into caller-owned arrays.
 */
#include "chitfund/domain/ledger.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static const char *const kind_names[CF_ACCT__COUNT] = {
        "cash",
        "member_receivable",
        "scheme_pool",
        "prize_payable",
        "commission_income",
        "gst_payable",
        "late_fee_income",
        "dividend_remainder",
        "foreman_rounding",
};

const char *cf_account_kind_name(cf_account_kind kind)
{
	if ((int)kind < 0 || kind >= CF_ACCT__COUNT)
		return NULL;
	return kind_names[kind];
}

bool cf_account_kind_per_ticket(cf_account_kind kind)
{
	return kind == CF_ACCT_MEMBER_RECEIVABLE || kind == CF_ACCT_PRIZE_PAYABLE;
}

bool cf_account_valid(cf_account a)
{
	if ((int)a.kind < 0 || a.kind >= CF_ACCT__COUNT)
		return false;
	if (cf_account_kind_per_ticket(a.kind))
		return a.ticket_no >= 1;
	return a.ticket_no == 0;
}

bool cf_account_equal(cf_account a, cf_account b)
{
	return a.kind == b.kind && a.ticket_no == b.ticket_no;
}

int cf_account_format(cf_account a, char *buf, size_t cap)
{
	const char *name;
	size_t len, pos;
	char digits[16];
	size_t nd = 0;

	if (buf == NULL || !cf_account_valid(a))
		return CF_EINVALID;
	name = kind_names[a.kind];
	len = strlen(name);
	if (cf_account_kind_per_ticket(a.kind)) {
		uint32_t t = (uint32_t)a.ticket_no;
		do {
			digits[nd++] = (char)('0' + t % 10);
			t /= 10;
		} while (t > 0);
	}
	if (len + (nd > 0 ? 1 + nd : 0) + 1 > cap)
		return CF_EBUFFER;
	memcpy(buf, name, len);
	pos = len;
	if (nd > 0) {
		buf[pos++] = '/';
		while (nd > 0)
			buf[pos++] = digits[--nd];
	}
	buf[pos] = '\0';
	return CF_OK;
}

int cf_account_parse(const char *s, size_t len, cf_account *out)
{
	size_t slash = len;

	if (s == NULL || out == NULL)
		return CF_EINVALID;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '/') {
			slash = i;
			break;
		}
	}
	for (int k = 0; k < CF_ACCT__COUNT; k++) {
		const char *name = kind_names[k];
		size_t nl = strlen(name);
		int64_t ticket = 0;

		if (nl != slash || memcmp(s, name, nl) != 0)
			continue;
		if (!cf_account_kind_per_ticket((cf_account_kind)k)) {
			if (slash != len)
				return CF_EINVALID;
			out->kind = (cf_account_kind)k;
			out->ticket_no = 0;
			return CF_OK;
		}
		/* "/<digits>", no sign, no leading zero, 1..INT32_MAX */
		if (slash + 1 >= len || len - slash - 1 > 10 || s[slash + 1] == '0')
			return CF_EINVALID;
		for (size_t i = slash + 1; i < len; i++) {
			if (s[i] < '0' || s[i] > '9')
				return CF_EINVALID;
			ticket = ticket * 10 + (s[i] - '0');
		}
		if (ticket > INT32_MAX)
			return CF_EINVALID;
		out->kind = (cf_account_kind)k;
		out->ticket_no = (int32_t)ticket;
		return CF_OK;
	}
	return CF_EINVALID;
}

bool cf_ledger_balanced(const cf_posting *lines, size_t n)
{
	int64_t sum = 0;

	if (lines == NULL && n > 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!cf_account_valid(lines[i].account))
			return false;
		if (__builtin_add_overflow(sum, lines[i].amount.minor, &sum))
			return false;
	}
	return sum == 0;
}

int cf_ledger_balance(const cf_posting *lines, size_t n, cf_account account, cf_money *out)
{
	cf_money sum = cf_money_of(0);

	if ((lines == NULL && n > 0) || out == NULL)
		return CF_EINVALID;
	for (size_t i = 0; i < n; i++) {
		if (!cf_account_equal(lines[i].account, account))
			continue;
		int rc = cf_money_add(sum, lines[i].amount, &sum);
		if (rc != CF_OK)
			return rc;
	}
	*out = sum;
	return CF_OK;
}

/* ---- building an event's lines ------------------------------------------ */

typedef struct builder {
	cf_posting *out;
	size_t cap;
	size_t n;
} builder;

static void builder_init(builder *b, cf_posting *out, size_t cap)
{
	b->out = out;
	b->cap = cap;
	b->n = 0;
}

static cf_account acct(cf_account_kind kind, int32_t ticket)
{
	cf_account a;
	a.kind = kind;
	a.ticket_no = ticket;
	return a;
}

/* Append one line (debit positive); zero amounts are skipped. */
static void push(builder *b, cf_account_kind kind, int32_t ticket, int64_t amount)
{
	if (amount == 0)
		return;
	if (b->n < b->cap) {
		b->out[b->n].account = acct(kind, ticket);
		b->out[b->n].amount = cf_money_of(amount);
	}
	b->n++;
}

static int builder_finish(const builder *b, size_t *n)
{
	*n = b->n;
	return b->n > b->cap ? CF_EBUFFER : CF_OK;
}

static bool out_args_ok(const cf_posting *out, size_t cap, const size_t *n)
{
	return n != NULL && (out != NULL || cap == 0);
}

/* Dr debit_kind/debit_ticket amount, Cr credit_kind/credit_ticket amount. */
static int two_lines(cf_account_kind debit_kind, int32_t debit_ticket, cf_account_kind credit_kind,
                     int32_t credit_ticket, cf_money amount, cf_posting *out, size_t cap, size_t *n)
{
	builder b;

	if (!out_args_ok(out, cap, n) || amount.minor < 0 ||
	    !cf_account_valid(acct(debit_kind, debit_ticket)) ||
	    !cf_account_valid(acct(credit_kind, credit_ticket)))
		return CF_EINVALID;
	builder_init(&b, out, cap);
	push(&b, debit_kind, debit_ticket, amount.minor);
	push(&b, credit_kind, credit_ticket, -amount.minor);
	return builder_finish(&b, n);
}

int cf_ledger_demand(const int32_t *tickets, size_t ticket_count, cf_money subscription,
                     cf_posting *out, size_t cap, size_t *n)
{
	builder b;

	if (!out_args_ok(out, cap, n) || (tickets == NULL && ticket_count > 0) ||
	    subscription.minor < 0)
		return CF_EINVALID;
	for (size_t i = 0; i < ticket_count; i++)
		if (tickets[i] < 1)
			return CF_EINVALID;
	builder_init(&b, out, cap);
	for (size_t i = 0; i < ticket_count; i++) {
		push(&b, CF_ACCT_MEMBER_RECEIVABLE, tickets[i], subscription.minor);
		push(&b, CF_ACCT_SCHEME_POOL, 0, -subscription.minor);
	}
	return builder_finish(&b, n);
}

int cf_ledger_draw(const cf_draw_posting *d, cf_posting *out, size_t cap, size_t *n)
{
	cf_money lhs, rhs, shared;
	builder b;
	int rc;

	if (d == NULL || !out_args_ok(out, cap, n) || d->winner_ticket < 1 ||
	    (d->sharing == NULL && d->sharing_count > 0))
		return CF_EINVALID;
	if (d->chit_value.minor < 0 || d->carried_in.minor < 0 || d->prize.minor < 0 ||
	    d->commission.minor < 0 || d->dividend.minor < 0 || d->remainder.minor < 0)
		return CF_EINVALID;
	if (d->sharing_count > (size_t)INT64_MAX)
		return CF_EOVERFLOW;
	for (size_t i = 0; i < d->sharing_count; i++)
		if (d->sharing[i] < 1)
			return CF_EINVALID;
	/* conservation: P + C + d x shares + remainder = V + carried_in */
	rc = cf_money_mul(d->dividend, (int64_t)d->sharing_count, &shared);
	if (rc == CF_OK)
		rc = cf_money_add(d->prize, d->commission, &lhs);
	if (rc == CF_OK)
		rc = cf_money_add(lhs, shared, &lhs);
	if (rc == CF_OK)
		rc = cf_money_add(lhs, d->remainder, &lhs);
	if (rc == CF_OK)
		rc = cf_money_add(d->chit_value, d->carried_in, &rhs);
	if (rc != CF_OK)
		return rc;
	if (lhs.minor != rhs.minor)
		return CF_EINVALID;

	builder_init(&b, out, cap);
	push(&b, CF_ACCT_SCHEME_POOL, 0, d->chit_value.minor);
	push(&b, CF_ACCT_DIVIDEND_REMAINDER, 0, d->carried_in.minor);
	push(&b, CF_ACCT_PRIZE_PAYABLE, d->winner_ticket, -d->prize.minor);
	push(&b, CF_ACCT_COMMISSION_INCOME, 0, -d->commission.minor);
	for (size_t i = 0; i < d->sharing_count; i++)
		push(&b, CF_ACCT_MEMBER_RECEIVABLE, d->sharing[i], -d->dividend.minor);
	push(&b, CF_ACCT_DIVIDEND_REMAINDER, 0, -d->remainder.minor);
	if (d->last_draw) {
		push(&b, CF_ACCT_DIVIDEND_REMAINDER, 0, d->remainder.minor);
		push(&b, CF_ACCT_FOREMAN_ROUNDING, 0, -d->remainder.minor);
	}
	return builder_finish(&b, n);
}

int cf_ledger_gst(int32_t winner_ticket, cf_money gst, cf_ledger_gst_payer payer, cf_posting *out,
                  size_t cap, size_t *n)
{
	switch (payer) {
	case CF_LEDGER_GST_WINNER:
		return two_lines(CF_ACCT_PRIZE_PAYABLE, winner_ticket, CF_ACCT_GST_PAYABLE, 0, gst,
		                 out, cap, n);
	case CF_LEDGER_GST_FOREMAN:
		return two_lines(CF_ACCT_COMMISSION_INCOME, 0, CF_ACCT_GST_PAYABLE, 0, gst, out,
		                 cap, n);
	default: return CF_EINVALID;
	}
}

int cf_ledger_payment(int32_t ticket, cf_money principal, cf_money late_fee, cf_money advance,
                      cf_posting *out, size_t cap, size_t *n)
{
	cf_money total;
	builder b;
	int rc;

	if (!out_args_ok(out, cap, n) || ticket < 1 || principal.minor < 0 || late_fee.minor < 0 ||
	    advance.minor < 0)
		return CF_EINVALID;
	rc = cf_money_add(principal, late_fee, &total);
	if (rc == CF_OK)
		rc = cf_money_add(total, advance, &total);
	if (rc != CF_OK)
		return rc;
	builder_init(&b, out, cap);
	push(&b, CF_ACCT_CASH, 0, total.minor);
	push(&b, CF_ACCT_MEMBER_RECEIVABLE, ticket, -principal.minor);
	push(&b, CF_ACCT_MEMBER_RECEIVABLE, ticket, -late_fee.minor);
	push(&b, CF_ACCT_MEMBER_RECEIVABLE, ticket, -advance.minor);
	return builder_finish(&b, n);
}

int cf_ledger_late_fee(int32_t ticket, cf_money amount, cf_posting *out, size_t cap, size_t *n)
{
	return two_lines(CF_ACCT_MEMBER_RECEIVABLE, ticket, CF_ACCT_LATE_FEE_INCOME, 0, amount, out,
	                 cap, n);
}

int cf_ledger_reverse(const cf_posting *lines, size_t count, cf_posting *out, size_t cap, size_t *n)
{
	builder b;

	if (!out_args_ok(out, cap, n) || (lines == NULL && count > 0))
		return CF_EINVALID;
	for (size_t i = 0; i < count; i++) {
		if (!cf_account_valid(lines[i].account))
			return CF_EINVALID;
		if (lines[i].amount.minor == INT64_MIN)
			return CF_EOVERFLOW;
	}
	builder_init(&b, out, cap);
	for (size_t i = 0; i < count; i++)
		push(&b, lines[i].account.kind, lines[i].account.ticket_no, -lines[i].amount.minor);
	return builder_finish(&b, n);
}

int cf_ledger_payout(int32_t winner_ticket, cf_money amount, cf_posting *out, size_t cap, size_t *n)
{
	return two_lines(CF_ACCT_PRIZE_PAYABLE, winner_ticket, CF_ACCT_CASH, 0, amount, out, cap,
	                 n);
}

int cf_ledger_withhold(int32_t winner_ticket, cf_money amount, cf_posting *out, size_t cap,
                       size_t *n)
{
	return two_lines(CF_ACCT_PRIZE_PAYABLE, winner_ticket, CF_ACCT_MEMBER_RECEIVABLE,
	                 winner_ticket, amount, out, cap, n);
}

int cf_ledger_refund(int32_t ticket, cf_money amount, cf_posting *out, size_t cap, size_t *n)
{
	return two_lines(CF_ACCT_MEMBER_RECEIVABLE, ticket, CF_ACCT_CASH, 0, amount, out, cap, n);
}
