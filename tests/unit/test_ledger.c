/*
 * test_ledger.c - account names and the balanced postings of every money
 * event (domain/src/ledger.c), including a property loop and a whole
 * 20-draw scheme.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/domain/ledger.h"

#define RS(r)      ((int64_t)(r)*100) /* rupees -> paise */
#define MAX_TICKET 64

static cf_account A(cf_account_kind k, int32_t t)
{
	cf_account a;
	a.kind = k;
	a.ticket_no = t;
	return a;
}

/* Running balances by account, for whole-scheme checks. */
static int64_t bal[CF_ACCT__COUNT][MAX_TICKET + 1];

static void post(const cf_posting *lines, size_t n)
{
	ck_assert(cf_ledger_balanced(lines, n));
	for (size_t i = 0; i < n; i++) {
		ck_assert(cf_account_valid(lines[i].account));
		ck_assert_int_le(lines[i].account.ticket_no, MAX_TICKET);
		ck_assert_int_ne(lines[i].amount.minor, 0);
		bal[lines[i].account.kind][lines[i].account.ticket_no] += lines[i].amount.minor;
	}
}

static void reset_balances(void)
{
	memset(bal, 0, sizeof bal);
}

static void expect_line(const cf_posting *l, cf_account_kind k, int32_t t, int64_t amount)
{
	ck_assert_int_eq(l->account.kind, k);
	ck_assert_int_eq(l->account.ticket_no, t);
	ck_assert_int_eq(l->amount.minor, amount);
}

/* ---- account names --------------------------------------------------------- */

static const struct {
	cf_account_kind kind;
	int32_t ticket;
	const char *name;
} names[] = {
        {CF_ACCT_CASH, 0, "cash"},
        {CF_ACCT_MEMBER_RECEIVABLE, 7, "member_receivable/7"},
        {CF_ACCT_SCHEME_POOL, 0, "scheme_pool"},
        {CF_ACCT_PRIZE_PAYABLE, 12, "prize_payable/12"},
        {CF_ACCT_COMMISSION_INCOME, 0, "commission_income"},
        {CF_ACCT_GST_PAYABLE, 0, "gst_payable"},
        {CF_ACCT_LATE_FEE_INCOME, 0, "late_fee_income"},
        {CF_ACCT_DIVIDEND_REMAINDER, 0, "dividend_remainder"},
        {CF_ACCT_FOREMAN_ROUNDING, 0, "foreman_rounding"},
        {CF_ACCT_MEMBER_RECEIVABLE, 1, "member_receivable/1"},
        {CF_ACCT_PRIZE_PAYABLE, INT32_MAX, "prize_payable/2147483647"},
        {CF_ACCT_MEMBER_RECEIVABLE, 1000, "member_receivable/1000"},
};

START_TEST(test_account_name_roundtrip)
{
	char buf[CF_ACCOUNT_NAME_MAX];
	cf_account parsed;
	cf_account a = A(names[_i].kind, names[_i].ticket);
	ck_assert_int_eq(cf_account_format(a, buf, sizeof buf), CF_OK);
	ck_assert_str_eq(buf, names[_i].name);
	ck_assert_int_eq(cf_account_parse(names[_i].name, strlen(names[_i].name), &parsed), CF_OK);
	ck_assert(cf_account_equal(parsed, a));
	/* exactly enough room, then one byte short */
	ck_assert_int_eq(cf_account_format(a, buf, strlen(names[_i].name) + 1), CF_OK);
	ck_assert_int_eq(cf_account_format(a, buf, strlen(names[_i].name)), CF_EBUFFER);
}
END_TEST

static const char *const bad_names[] = {
        "",
        "cash/1",
        "cashx",
        "Cash",
        "member_receivable",
        "member_receivable/",
        "member_receivable/0",
        "member_receivable/07",
        "member_receivable/-1",
        "member_receivable/+1",
        "member_receivable/1x",
        "member_receivable/2147483648",
        "member_receivable/99999999999",
        "prize_payable/ 1",
        "scheme_pool/",
        "/7",
        "foreman_rounding ",
};

START_TEST(test_account_parse_rejects)
{
	cf_account out = A(CF_ACCT_CASH, 0);
	ck_assert_int_eq(cf_account_parse(bad_names[_i], strlen(bad_names[_i]), &out), CF_EINVALID);
}
END_TEST

START_TEST(test_account_misc)
{
	char buf[8];
	cf_account out;
	ck_assert_str_eq(cf_account_kind_name(CF_ACCT_LATE_FEE_INCOME), "late_fee_income");
	ck_assert_ptr_null(cf_account_kind_name(CF_ACCT__COUNT));
	ck_assert_ptr_null(cf_account_kind_name((cf_account_kind)-1));
	ck_assert(cf_account_kind_per_ticket(CF_ACCT_PRIZE_PAYABLE));
	ck_assert(!cf_account_kind_per_ticket(CF_ACCT_CASH));
	ck_assert(!cf_account_valid(A(CF_ACCT_CASH, 3)));
	ck_assert(!cf_account_valid(A(CF_ACCT_MEMBER_RECEIVABLE, 0)));
	ck_assert(!cf_account_valid(A(CF_ACCT_MEMBER_RECEIVABLE, -2)));
	ck_assert(!cf_account_valid(A(CF_ACCT__COUNT, 0)));
	ck_assert_int_eq(cf_account_format(A(CF_ACCT_CASH, 1), buf, sizeof buf), CF_EINVALID);
	ck_assert_int_eq(cf_account_format(A(CF_ACCT_CASH, 0), NULL, 8), CF_EINVALID);
	ck_assert_int_eq(cf_account_parse(NULL, 0, &out), CF_EINVALID);
	/* length is honoured: a longer buffer parsed by its prefix length */
	ck_assert_int_eq(cf_account_parse("cash_and_more", 4, &out), CF_OK);
	ck_assert_int_eq(out.kind, CF_ACCT_CASH);
	ck_assert_int_eq(cf_account_parse("prize_payable/123", 15, &out), CF_OK);
	ck_assert_int_eq(out.ticket_no, 1);
}
END_TEST

/* ---- balance checks ------------------------------------------------------------ */

START_TEST(test_balanced)
{
	cf_posting l[3] = {{{CF_ACCT_CASH, 0}, {100}},
	                   {{CF_ACCT_MEMBER_RECEIVABLE, 3}, {-60}},
	                   {{CF_ACCT_MEMBER_RECEIVABLE, 3}, {-40}}};
	cf_money b;
	ck_assert(cf_ledger_balanced(l, 3));
	ck_assert(cf_ledger_balanced(NULL, 0));
	ck_assert(!cf_ledger_balanced(NULL, 1));
	ck_assert(!cf_ledger_balanced(l, 2));
	ck_assert_int_eq(cf_ledger_balance(l, 3, A(CF_ACCT_MEMBER_RECEIVABLE, 3), &b), CF_OK);
	ck_assert_int_eq(b.minor, -100);
	ck_assert_int_eq(cf_ledger_balance(l, 3, A(CF_ACCT_MEMBER_RECEIVABLE, 4), &b), CF_OK);
	ck_assert_int_eq(b.minor, 0);
	l[2].amount.minor = -41;
	ck_assert(!cf_ledger_balanced(l, 3));
	/* overflow while summing is not balanced, even if it would wrap to zero */
	cf_posting o[4] = {{{CF_ACCT_CASH, 0}, {INT64_MAX}},
	                   {{CF_ACCT_CASH, 0}, {INT64_MAX}},
	                   {{CF_ACCT_CASH, 0}, {2}},
	                   {{CF_ACCT_CASH, 0}, {0}}};
	ck_assert(!cf_ledger_balanced(o, 3));
	ck_assert_int_eq(cf_ledger_balance(o, 3, A(CF_ACCT_CASH, 0), &b), CF_EOVERFLOW);
	/* an invalid account is not balanced */
	cf_posting bad[2] = {{{CF_ACCT_CASH, 0}, {5}}, {{CF_ACCT_MEMBER_RECEIVABLE, 0}, {-5}}};
	ck_assert(!cf_ledger_balanced(bad, 2));
}
END_TEST

/* ---- events ---------------------------------------------------------------------- */

START_TEST(test_demand)
{
	cf_posting out[6];
	size_t n = 99;
	const int32_t t[3] = {1, 2, 5};
	ck_assert_int_eq(cf_ledger_demand(t, 3, cf_money_of(RS(5000)), out, 6, &n), CF_OK);
	ck_assert_uint_eq(n, 6);
	ck_assert(cf_ledger_balanced(out, n));
	expect_line(&out[0], CF_ACCT_MEMBER_RECEIVABLE, 1, RS(5000));
	expect_line(&out[1], CF_ACCT_SCHEME_POOL, 0, -RS(5000));
	expect_line(&out[4], CF_ACCT_MEMBER_RECEIVABLE, 5, RS(5000));
	expect_line(&out[5], CF_ACCT_SCHEME_POOL, 0, -RS(5000));
	ck_assert_int_eq(cf_ledger_demand(t, 3, cf_money_of(RS(5000)), out, 5, &n), CF_EBUFFER);
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(cf_ledger_demand(t, 3, cf_money_of(RS(5000)), NULL, 0, &n), CF_EBUFFER);
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(cf_ledger_demand(t, 3, cf_money_of(-1), out, 6, &n), CF_EINVALID);
	const int32_t bad[2] = {1, 0};
	ck_assert_int_eq(cf_ledger_demand(bad, 2, cf_money_of(1), out, 6, &n), CF_EINVALID);
	ck_assert_int_eq(cf_ledger_demand(t, 3, cf_money_of(1), out, 6, NULL), CF_EINVALID);
	ck_assert_int_eq(cf_ledger_demand(t, 0, cf_money_of(1), out, 6, &n), CF_OK);
	ck_assert_uint_eq(n, 0);
}
END_TEST

/* E2: V 2,00,000, N 40, discount 80,000, C 10,000, dividend 1,750 x 40, prize 1,20,000. */
START_TEST(test_draw_e2)
{
	int32_t sharing[40];
	cf_posting out[50];
	size_t n;
	for (int i = 0; i < 40; i++)
		sharing[i] = i + 1;
	cf_draw_posting d = {cf_money_of(RS(200000)),
	                     cf_money_of(0),
	                     9,
	                     cf_money_of(RS(120000)),
	                     cf_money_of(RS(10000)),
	                     cf_money_of(RS(1750)),
	                     sharing,
	                     40,
	                     cf_money_of(0),
	                     false};
	ck_assert_int_eq(cf_ledger_draw(&d, out, 50, &n), CF_OK);
	ck_assert_uint_eq(n, 43); /* pool, prize, commission, 40 shares (zero lines left out) */
	ck_assert(cf_ledger_balanced(out, n));
	expect_line(&out[0], CF_ACCT_SCHEME_POOL, 0, RS(200000));
	expect_line(&out[1], CF_ACCT_PRIZE_PAYABLE, 9, -RS(120000));
	expect_line(&out[2], CF_ACCT_COMMISSION_INCOME, 0, -RS(10000));
	expect_line(&out[3], CF_ACCT_MEMBER_RECEIVABLE, 1, -RS(1750));
	expect_line(&out[42], CF_ACCT_MEMBER_RECEIVABLE, 40, -RS(1750));
	ck_assert_int_eq(cf_ledger_draw(&d, out, 42, &n), CF_EBUFFER);
	ck_assert_uint_eq(n, 43);
	/* broken conservation is refused */
	d.prize.minor += 1;
	ck_assert_int_eq(cf_ledger_draw(&d, out, 50, &n), CF_EINVALID);
	d.prize.minor -= 1;
	d.winner_ticket = 0;
	ck_assert_int_eq(cf_ledger_draw(&d, out, 50, &n), CF_EINVALID);
	d.winner_ticket = 9;
	sharing[3] = -1;
	ck_assert_int_eq(cf_ledger_draw(&d, out, 50, &n), CF_EINVALID);
	sharing[3] = 4;
	d.commission = cf_money_of(-RS(10000));
	ck_assert_int_eq(cf_ledger_draw(&d, out, 50, &n), CF_EINVALID);
	d.commission = cf_money_of(RS(10000));
	d.dividend = cf_money_of(INT64_MAX / 2);
	ck_assert_int_eq(cf_ledger_draw(&d, out, 50, &n), CF_EOVERFLOW);
	ck_assert_int_eq(cf_ledger_draw(NULL, out, 50, &n), CF_EINVALID);
}
END_TEST

START_TEST(test_draw_remainder_and_last)
{
	/* V 1,000.00, carried 0.07, D 333.33, C 50.00: distributable 283.40 over 3 shares:
	 * d = 94.46, remainder 0.02 */
	const int32_t sharing[3] = {1, 2, 3};
	cf_posting out[12];
	size_t n;
	cf_money b;
	cf_draw_posting d = {
	        cf_money_of(100000), cf_money_of(7), 2, cf_money_of(66667), cf_money_of(5000),
	        cf_money_of(9446),   sharing,        3, cf_money_of(2),     false};
	ck_assert_int_eq(cf_ledger_draw(&d, out, 12, &n), CF_OK);
	ck_assert_uint_eq(n, 8);
	ck_assert(cf_ledger_balanced(out, n));
	expect_line(&out[1], CF_ACCT_DIVIDEND_REMAINDER, 0, 7);
	expect_line(&out[7], CF_ACCT_DIVIDEND_REMAINDER, 0, -2);
	ck_assert_int_eq(cf_ledger_balance(out, n, A(CF_ACCT_DIVIDEND_REMAINDER, 0), &b), CF_OK);
	ck_assert_int_eq(b.minor, 5); /* carried 7 out, 2 in */
	d.last_draw = true;
	ck_assert_int_eq(cf_ledger_draw(&d, out, 12, &n), CF_OK);
	ck_assert_uint_eq(n, 10);
	ck_assert(cf_ledger_balanced(out, n));
	expect_line(&out[8], CF_ACCT_DIVIDEND_REMAINDER, 0, 2);
	expect_line(&out[9], CF_ACCT_FOREMAN_ROUNDING, 0, -2);
	ck_assert_int_eq(cf_ledger_balance(out, n, A(CF_ACCT_DIVIDEND_REMAINDER, 0), &b), CF_OK);
	ck_assert_int_eq(b.minor, 7); /* exactly clears what was carried in */
	/* no sharing ticket: the whole distributable is the remainder */
	cf_draw_posting z = {cf_money_of(100000), cf_money_of(0), 1,    cf_money_of(70000),
	                     cf_money_of(5000),   cf_money_of(0), NULL, 0,
	                     cf_money_of(25000),  false};
	ck_assert_int_eq(cf_ledger_draw(&z, out, 12, &n), CF_OK);
	ck_assert_uint_eq(n, 4);
	ck_assert(cf_ledger_balanced(out, n));
}
END_TEST

START_TEST(test_gst)
{
	cf_posting out[2];
	size_t n;
	ck_assert_int_eq(cf_ledger_gst(4, cf_money_of(RS(1800)), CF_LEDGER_GST_WINNER, out, 2, &n),
	                 CF_OK);
	ck_assert_uint_eq(n, 2);
	expect_line(&out[0], CF_ACCT_PRIZE_PAYABLE, 4, RS(1800));
	expect_line(&out[1], CF_ACCT_GST_PAYABLE, 0, -RS(1800));
	ck_assert_int_eq(cf_ledger_gst(4, cf_money_of(RS(1800)), CF_LEDGER_GST_FOREMAN, out, 2, &n),
	                 CF_OK);
	expect_line(&out[0], CF_ACCT_COMMISSION_INCOME, 0, RS(1800));
	expect_line(&out[1], CF_ACCT_GST_PAYABLE, 0, -RS(1800));
	ck_assert(cf_ledger_balanced(out, n));
	ck_assert_int_eq(cf_ledger_gst(0, cf_money_of(1), CF_LEDGER_GST_WINNER, out, 2, &n),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_ledger_gst(1, cf_money_of(-1), CF_LEDGER_GST_FOREMAN, out, 2, &n),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_ledger_gst(1, cf_money_of(1), (cf_ledger_gst_payer)5, out, 2, &n),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_ledger_gst(1, cf_money_of(0), CF_LEDGER_GST_WINNER, out, 2, &n), CF_OK);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_payment_late_fee_bounce)
{
	cf_posting pay[4], fee[2], all[6], rev[6];
	size_t np, nf, nr;
	cf_money b;
	ck_assert_int_eq(cf_ledger_late_fee(3, cf_money_of(RS(70)), fee, 2, &nf), CF_OK);
	ck_assert_uint_eq(nf, 2);
	expect_line(&fee[0], CF_ACCT_MEMBER_RECEIVABLE, 3, RS(70));
	expect_line(&fee[1], CF_ACCT_LATE_FEE_INCOME, 0, -RS(70));
	ck_assert_int_eq(cf_ledger_payment(3, cf_money_of(RS(5000)), cf_money_of(RS(70)),
	                                   cf_money_of(RS(30)), pay, 4, &np),
	                 CF_OK);
	ck_assert_uint_eq(np, 4);
	ck_assert(cf_ledger_balanced(pay, np));
	expect_line(&pay[0], CF_ACCT_CASH, 0, RS(5100));
	expect_line(&pay[1], CF_ACCT_MEMBER_RECEIVABLE, 3, -RS(5000));
	expect_line(&pay[2], CF_ACCT_MEMBER_RECEIVABLE, 3, -RS(70));
	expect_line(&pay[3], CF_ACCT_MEMBER_RECEIVABLE, 3, -RS(30));
	/* bounce: reverse the payment and its late-fee accrual */
	memcpy(all, fee, sizeof fee);
	memcpy(all + 2, pay, sizeof pay);
	ck_assert_int_eq(cf_ledger_reverse(all, 6, rev, 6, &nr), CF_OK);
	ck_assert_uint_eq(nr, 6);
	ck_assert(cf_ledger_balanced(rev, nr));
	for (size_t i = 0; i < 6; i++) {
		ck_assert(cf_account_equal(rev[i].account, all[i].account));
		ck_assert_int_eq(rev[i].amount.minor, -all[i].amount.minor);
	}
	/* together the event and its reversal leave every account at zero */
	cf_posting both[12];
	memcpy(both, all, sizeof all);
	memcpy(both + 6, rev, sizeof rev);
	ck_assert_int_eq(cf_ledger_balance(both, 12, A(CF_ACCT_CASH, 0), &b), CF_OK);
	ck_assert_int_eq(b.minor, 0);
	ck_assert_int_eq(cf_ledger_balance(both, 12, A(CF_ACCT_MEMBER_RECEIVABLE, 3), &b), CF_OK);
	ck_assert_int_eq(b.minor, 0);
	/* only principal: two lines */
	ck_assert_int_eq(cf_ledger_payment(3, cf_money_of(RS(5000)), cf_money_of(0), cf_money_of(0),
	                                   pay, 4, &np),
	                 CF_OK);
	ck_assert_uint_eq(np, 2);
	ck_assert_int_eq(
	        cf_ledger_payment(3, cf_money_of(-1), cf_money_of(0), cf_money_of(0), pay, 4, &np),
	        CF_EINVALID);
	ck_assert_int_eq(
	        cf_ledger_payment(0, cf_money_of(1), cf_money_of(0), cf_money_of(0), pay, 4, &np),
	        CF_EINVALID);
	ck_assert_int_eq(cf_ledger_payment(3, cf_money_of(INT64_MAX), cf_money_of(1),
	                                   cf_money_of(0), pay, 4, &np),
	                 CF_EOVERFLOW);
	ck_assert_int_eq(
	        cf_ledger_payment(3, cf_money_of(1), cf_money_of(1), cf_money_of(1), pay, 3, &np),
	        CF_EBUFFER);
	ck_assert_uint_eq(np, 4);
	/* reverse refuses what cannot be negated or is not an account */
	cf_posting bad[1] = {{{CF_ACCT_CASH, 0}, {INT64_MIN}}};
	ck_assert_int_eq(cf_ledger_reverse(bad, 1, rev, 6, &nr), CF_EOVERFLOW);
	bad[0].account.ticket_no = 2;
	bad[0].amount.minor = 1;
	ck_assert_int_eq(cf_ledger_reverse(bad, 1, rev, 6, &nr), CF_EINVALID);
	ck_assert_int_eq(cf_ledger_reverse(all, 6, rev, 5, &nr), CF_EBUFFER);
	ck_assert_uint_eq(nr, 6);
}
END_TEST

typedef int (*two_line_fn)(int32_t, cf_money, cf_posting *, size_t, size_t *);

static const struct {
	two_line_fn fn;
	cf_account_kind debit;
	bool debit_ticket;
	cf_account_kind credit;
	bool credit_ticket;
} two_line_events[] = {
        {cf_ledger_late_fee, CF_ACCT_MEMBER_RECEIVABLE, true, CF_ACCT_LATE_FEE_INCOME, false},
        {cf_ledger_payout, CF_ACCT_PRIZE_PAYABLE, true, CF_ACCT_CASH, false},
        {cf_ledger_withhold, CF_ACCT_PRIZE_PAYABLE, true, CF_ACCT_MEMBER_RECEIVABLE, true},
        {cf_ledger_refund, CF_ACCT_MEMBER_RECEIVABLE, true, CF_ACCT_CASH, false},
};

START_TEST(test_two_line_events)
{
	cf_posting out[2];
	size_t n;
	ck_assert_int_eq(two_line_events[_i].fn(6, cf_money_of(12345), out, 2, &n), CF_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert(cf_ledger_balanced(out, n));
	expect_line(&out[0], two_line_events[_i].debit, two_line_events[_i].debit_ticket ? 6 : 0,
	            12345);
	expect_line(&out[1], two_line_events[_i].credit, two_line_events[_i].credit_ticket ? 6 : 0,
	            -12345);
	ck_assert_int_eq(two_line_events[_i].fn(6, cf_money_of(12345), out, 1, &n), CF_EBUFFER);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(two_line_events[_i].fn(6, cf_money_of(0), out, 2, &n), CF_OK);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(two_line_events[_i].fn(6, cf_money_of(-1), out, 2, &n), CF_EINVALID);
	ck_assert_int_eq(two_line_events[_i].fn(0, cf_money_of(1), out, 2, &n), CF_EINVALID);
	ck_assert_int_eq(two_line_events[_i].fn(6, cf_money_of(1), NULL, 2, &n), CF_EINVALID);
	ck_assert_int_eq(two_line_events[_i].fn(6, cf_money_of(1), out, 2, NULL), CF_EINVALID);
}
END_TEST

/* ---- property: random events always balance -------------------------------------- */

static uint64_t rng_state;
static uint64_t rng_next(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}
static int64_t rng_range(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rng_next() % (uint64_t)(hi - lo + 1));
}
static long iterations(long dflt)
{
	const char *s = getenv("CF_PROPERTY_ITERATIONS");
	char *end;
	long v;
	if (s == NULL || *s == '\0')
		return dflt;
	v = strtol(s, &end, 10);
	return (*end == '\0' && v > 0) ? v : dflt;
}

START_TEST(test_property_events_balance)
{
	long iters = iterations(100000);
	cf_posting out[MAX_TICKET + 8], rev[MAX_TICKET + 8];
	int32_t tickets[MAX_TICKET];
	size_t n, nr;
	int64_t total = 0;
	rng_state = 0x2545f4914f6cdd1dULL;
	reset_balances();
	for (long it = 0; it < iters; it++) {
		int32_t t = (int32_t)rng_range(1, MAX_TICKET);
		cf_money amt = cf_money_of(rng_range(0, RS(10000000)));
		int kind = (int)rng_range(0, 8);
		int rc = CF_ERROR;
		switch (kind) {
		case 0: {
			size_t cnt = (size_t)rng_range(0, 30);
			for (size_t i = 0; i < cnt; i++)
				tickets[i] = (int32_t)rng_range(1, MAX_TICKET);
			rc = cf_ledger_demand(tickets, cnt, amt, out, sizeof out / sizeof out[0],
			                      &n);
			break;
		}
		case 1: {
			/* a draw built from random inputs by the settlement rules */
			int64_t v = rng_range(2, RS(5000000));
			int64_t carried = rng_range(0, 1000);
			int64_t disc = rng_range(0, v);
			int64_t comm = rng_range(0, disc);
			size_t shares = (size_t)rng_range(0, MAX_TICKET);
			int64_t dist = disc - comm + carried;
			int64_t d = shares > 0 ? dist / (int64_t)shares : 0;
			for (size_t i = 0; i < shares; i++)
				tickets[i] = (int32_t)(i + 1);
			cf_draw_posting dp = {cf_money_of(v),
			                      cf_money_of(carried),
			                      t,
			                      cf_money_of(v - disc),
			                      cf_money_of(comm),
			                      cf_money_of(d),
			                      tickets,
			                      shares,
			                      cf_money_of(dist - d * (int64_t)shares),
			                      rng_range(0, 1) == 1};
			rc = cf_ledger_draw(&dp, out, sizeof out / sizeof out[0], &n);
			break;
		}
		case 2:
			rc = cf_ledger_gst(t, amt, (cf_ledger_gst_payer)rng_range(0, 1), out, 8,
			                   &n);
			break;
		case 3:
			rc = cf_ledger_payment(t, amt, cf_money_of(rng_range(0, RS(1000))),
			                       cf_money_of(rng_range(0, RS(1000))), out, 8, &n);
			break;
		case 4: rc = cf_ledger_late_fee(t, amt, out, 8, &n); break;
		case 5: rc = cf_ledger_payout(t, amt, out, 8, &n); break;
		case 6: rc = cf_ledger_withhold(t, amt, out, 8, &n); break;
		case 7: rc = cf_ledger_refund(t, amt, out, 8, &n); break;
		case 8:
			rc = cf_ledger_payment(t, amt, cf_money_of(0), cf_money_of(0), out, 8, &n);
			if (rc == CF_OK)
				rc = cf_ledger_reverse(out, n, rev, 8, &nr);
			if (rc == CF_OK) {
				ck_assert(cf_ledger_balanced(rev, nr));
				post(rev, nr);
			}
			break;
		}
		ck_assert_int_eq(rc, CF_OK);
		ck_assert(cf_ledger_balanced(out, n));
		post(out, n);
		for (size_t i = 0; i < n; i++)
			total += out[i].amount.minor;
		ck_assert_int_eq(total, 0);
	}
	/* the whole trial balance is zero too */
	int64_t sum = 0;
	for (int k = 0; k < CF_ACCT__COUNT; k++)
		for (int t = 0; t <= MAX_TICKET; t++)
			sum += bal[k][t];
	ck_assert_int_eq(sum, 0);
}
END_TEST

/* ---- a whole 20-draw scheme (domain.md's schedule) ---------------------------------- */

START_TEST(test_twenty_draw_scheme)
{
	static const int64_t bids[20] = {0,     25000, 25000, 25000, 25000, 25000, 25000,
	                                 23000, 21000, 19000, 17000, 15000, 13000, 11500,
	                                 10000, 8500,  7000,  6000,  5500,  5000};
	static const int64_t installment[20] = {5000, 5000, 4000, 4000, 4000, 4000, 4000,
	                                        4000, 4100, 4200, 4300, 4400, 4500, 4600,
	                                        4675, 4750, 4825, 4900, 4950, 4975};
	const int64_t V = RS(100000), S = RS(5000), C = RS(5000);
	const int N = 20;
	int32_t all[20];
	cf_posting out[64];
	size_t n;
	int64_t carried = 0, prizes = 0, commission = 0, gst_total = 0;
	int64_t dividend_for[21] = {0}; /* dividend applied to installment k */

	reset_balances();
	for (int i = 0; i < N; i++)
		all[i] = i + 1;
	for (int k = 1; k <= N; k++) {
		/* installment k's demand (gross S for every ticket) */
		ck_assert_int_eq(cf_ledger_demand(all, 20, cf_money_of(S), out, 64, &n), CF_OK);
		post(out, n);
		/* draw k: ticket k wins (draw 1 is the foreman's first chit, ticket 1) */
		int64_t D = RS(bids[k - 1]);
		int64_t comm = k == 1 ? 0 : C;
		int64_t dist = D - comm + carried;
		int64_t d = dist / N;
		int64_t rem = dist - d * N;
		cf_draw_posting dp = {cf_money_of(V),
		                      cf_money_of(carried),
		                      k,
		                      cf_money_of(V - D),
		                      cf_money_of(comm),
		                      cf_money_of(d),
		                      all,
		                      20,
		                      cf_money_of(rem),
		                      k == N};
		ck_assert_int_eq(cf_ledger_draw(&dp, out, 64, &n), CF_OK);
		post(out, n);
		carried = rem;
		if (k < N)
			dividend_for[k + 1] = d;
		prizes += V - D;
		commission += comm;
		/* GST 18% of C borne by the winner, then the net prize is paid out */
		int64_t g = comm * 1800 / 10000;
		gst_total += g;
		ck_assert_int_eq(
		        cf_ledger_gst(k, cf_money_of(g), CF_LEDGER_GST_WINNER, out, 64, &n), CF_OK);
		post(out, n);
		ck_assert_int_eq(cf_ledger_payout(k, cf_money_of(V - D - g), out, 64, &n), CF_OK);
		post(out, n);
	}
	/* the schedule's installments per ticket */
	int64_t per_ticket = 0;
	for (int k = 1; k <= N; k++) {
		ck_assert_int_eq(S - dividend_for[k], RS(installment[k - 1]));
		per_ticket += S - dividend_for[k];
	}
	ck_assert_int_eq(per_ticket, RS(89175));
	ck_assert_int_eq(prizes, RS(1688500));
	ck_assert_int_eq(commission, RS(95000));
	ck_assert_int_eq(gst_total, RS(17100));
	ck_assert_int_eq(prizes + commission, RS(1783500));
	/* pool and remainder are empty once every demand and draw is posted */
	ck_assert_int_eq(bal[CF_ACCT_SCHEME_POOL][0], 0);
	ck_assert_int_eq(bal[CF_ACCT_DIVIDEND_REMAINDER][0], 0);
	ck_assert_int_eq(bal[CF_ACCT_FOREMAN_ROUNDING][0], 0);
	for (int t = 1; t <= N; t++) {
		ck_assert_int_eq(bal[CF_ACCT_PRIZE_PAYABLE][t], 0);
		ck_assert_int_eq(bal[CF_ACCT_MEMBER_RECEIVABLE][t], RS(89175));
		/* every ticket pays what it owes */
		ck_assert_int_eq(cf_ledger_payment(t, cf_money_of(RS(89175)), cf_money_of(0),
		                                   cf_money_of(0), out, 64, &n),
		                 CF_OK);
		post(out, n);
		ck_assert_int_eq(bal[CF_ACCT_MEMBER_RECEIVABLE][t], 0);
	}
	ck_assert_int_eq(bal[CF_ACCT_COMMISSION_INCOME][0], -RS(95000));
	ck_assert_int_eq(bal[CF_ACCT_GST_PAYABLE][0], -RS(17100));
	ck_assert_int_eq(bal[CF_ACCT_CASH][0], RS(95000) + RS(17100));
}
END_TEST

/* The same scheme with paise-level bids: remainders carry and the last goes to rounding. */
START_TEST(test_scheme_with_remainders)
{
	const int N = 7;
	const int64_t V = 700007 * 7, S = 700007;
	int32_t all[7] = {1, 2, 3, 4, 5, 6, 7};
	cf_posting out[32];
	size_t n;
	int64_t carried = 0, rounding = 0;
	reset_balances();
	rng_state = 0xdeadbeefcafef00dULL;
	for (int k = 1; k <= N; k++) {
		ck_assert_int_eq(cf_ledger_demand(all, 7, cf_money_of(S), out, 32, &n), CF_OK);
		post(out, n);
		int64_t comm = V * 500 / 10000;
		int64_t D = comm + rng_range(0, V / 3);
		int64_t dist = D - comm + carried;
		int64_t d = dist / N, rem = dist % N;
		cf_draw_posting dp = {cf_money_of(V),
		                      cf_money_of(carried),
		                      k,
		                      cf_money_of(V - D),
		                      cf_money_of(comm),
		                      cf_money_of(d),
		                      all,
		                      7,
		                      cf_money_of(rem),
		                      k == N};
		ck_assert_int_eq(cf_ledger_draw(&dp, out, 32, &n), CF_OK);
		post(out, n);
		ck_assert_int_eq(bal[CF_ACCT_DIVIDEND_REMAINDER][0], k == N ? 0 : -rem);
		carried = rem;
		if (k == N)
			rounding = rem;
	}
	ck_assert_int_eq(bal[CF_ACCT_SCHEME_POOL][0], 0);
	ck_assert_int_eq(bal[CF_ACCT_DIVIDEND_REMAINDER][0], 0);
	ck_assert_int_eq(bal[CF_ACCT_FOREMAN_ROUNDING][0], -rounding);
}
END_TEST

static Suite *ledger_suite(void)
{
	Suite *s = suite_create("ledger");
	TCase *tc = tcase_create("accounts");
	tcase_add_loop_test(tc, test_account_name_roundtrip, 0, sizeof names / sizeof names[0]);
	tcase_add_loop_test(tc, test_account_parse_rejects, 0,
	                    sizeof bad_names / sizeof bad_names[0]);
	tcase_add_test(tc, test_account_misc);
	tcase_add_test(tc, test_balanced);
	suite_add_tcase(s, tc);

	tc = tcase_create("events");
	tcase_add_test(tc, test_demand);
	tcase_add_test(tc, test_draw_e2);
	tcase_add_test(tc, test_draw_remainder_and_last);
	tcase_add_test(tc, test_gst);
	tcase_add_test(tc, test_payment_late_fee_bounce);
	tcase_add_loop_test(tc, test_two_line_events, 0,
	                    sizeof two_line_events / sizeof two_line_events[0]);
	suite_add_tcase(s, tc);

	tc = tcase_create("schemes");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_property_events_balance);
	tcase_add_test(tc, test_twenty_draw_scheme);
	tcase_add_test(tc, test_scheme_with_remainders);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ledger_suite());
	int failed;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
