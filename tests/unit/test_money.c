/*
 * test_money.c - cf_money: checked arithmetic, rounding (negatives too),
 * splitting, parsing and formatting, with seeded property loops.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/domain/money.h"

__extension__ typedef __int128 i128;

static long iterations(void)
{
	const char *s = getenv("CF_PROPERTY_ITERATIONS");
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return 100000;
	v = strtol(s, &end, 10);
	return (*end == '\0' && v > 0) ? v : 100000;
}

static uint64_t xorshift64(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* random int64 with a random magnitude, so small and huge values both occur */
static int64_t rand_i64(uint64_t *st)
{
	uint64_t v = xorshift64(st);
	unsigned bits = (unsigned)(xorshift64(st) % 64);
	v = bits == 63 ? v : v & ((UINT64_C(1) << bits) - 1);
	if (xorshift64(st) & 1)
		v = 0 - v; /* negate in unsigned arithmetic: no signed overflow */
	return (int64_t)v;
}

/* ---- add / sub / mul ---- */

typedef struct {
	char op; /* + - * */
	int64_t a, b;
	int rc;
	int64_t want;
} arith_case;

static const arith_case arith_cases[] = {
        {'+', 1, 2, CF_OK, 3},
        {'+', -5, 3, CF_OK, -2},
        {'+', INT64_MAX, 0, CF_OK, INT64_MAX},
        {'+', INT64_MAX, 1, CF_EOVERFLOW, 0},
        {'+', INT64_MIN, -1, CF_EOVERFLOW, 0},
        {'+', INT64_MIN, INT64_MAX, CF_OK, -1},
        {'+', INT64_MAX - 5, 5, CF_OK, INT64_MAX},
        {'-', 10, 25, CF_OK, -15},
        {'-', INT64_MIN, 1, CF_EOVERFLOW, 0},
        {'-', 0, INT64_MIN, CF_EOVERFLOW, 0},
        {'-', -1, INT64_MIN, CF_OK, INT64_MAX},
        {'-', INT64_MAX, -1, CF_EOVERFLOW, 0},
        {'*', 500000, 20, CF_OK, 10000000},
        {'*', -7, 3, CF_OK, -21},
        {'*', INT64_MIN, -1, CF_EOVERFLOW, 0},
        {'*', INT64_MIN, 1, CF_OK, INT64_MIN},
        {'*', INT64_MAX, 2, CF_EOVERFLOW, 0},
        {'*', INT64_C(4611686018427387904), 2, CF_EOVERFLOW, 0},
        {'*', INT64_C(-4611686018427387904), 2, CF_OK, INT64_MIN},
        {'*', 0, INT64_MIN, CF_OK, 0},
};

START_TEST(test_arith_table)
{
	const arith_case *c = &arith_cases[_i];
	cf_money out = cf_money_of(42);
	int rc;

	switch (c->op) {
	case '+': rc = cf_money_add(cf_money_of(c->a), cf_money_of(c->b), &out); break;
	case '-': rc = cf_money_sub(cf_money_of(c->a), cf_money_of(c->b), &out); break;
	default: rc = cf_money_mul(cf_money_of(c->a), c->b, &out); break;
	}
	ck_assert_int_eq(rc, c->rc);
	if (rc == CF_OK)
		ck_assert_int_eq(out.minor, c->want);
	else
		ck_assert_int_eq(out.minor, 42); /* untouched on failure */
}
END_TEST

START_TEST(test_arith_null_out)
{
	ck_assert_int_eq(cf_money_add(cf_money_of(1), cf_money_of(1), NULL), CF_EINVALID);
	ck_assert_int_eq(cf_money_sub(cf_money_of(1), cf_money_of(1), NULL), CF_EINVALID);
	ck_assert_int_eq(cf_money_mul(cf_money_of(1), 1, NULL), CF_EINVALID);
	ck_assert_int_eq(cf_money_muldiv(cf_money_of(1), 1, 1, CF_ROUND_DOWN, NULL), CF_EINVALID);
	ck_assert_int_eq(cf_money_split(cf_money_of(1), 1, NULL, NULL), CF_EINVALID);
}
END_TEST

/* property: add/sub/mul agree with exact 128-bit arithmetic, never wrap */
START_TEST(test_arith_property)
{
	uint64_t st = UINT64_C(0x9E3779B97F4A7C15);
	long n = iterations();

	for (long i = 0; i < n; i++) {
		int64_t a = rand_i64(&st), b = rand_i64(&st);
		cf_money out;
		i128 exact;

		exact = (i128)a + b;
		if (exact >= INT64_MIN && exact <= INT64_MAX) {
			ck_assert_int_eq(cf_money_add(cf_money_of(a), cf_money_of(b), &out), CF_OK);
			ck_assert(out.minor == (int64_t)exact);
		} else {
			ck_assert_int_eq(cf_money_add(cf_money_of(a), cf_money_of(b), &out),
			                 CF_EOVERFLOW);
		}
		exact = (i128)a - b;
		ck_assert_int_eq(cf_money_sub(cf_money_of(a), cf_money_of(b), &out),
		                 (exact >= INT64_MIN && exact <= INT64_MAX) ? CF_OK : CF_EOVERFLOW);
		exact = (i128)a * b;
		if (exact >= INT64_MIN && exact <= INT64_MAX) {
			ck_assert_int_eq(cf_money_mul(cf_money_of(a), b, &out), CF_OK);
			ck_assert(out.minor == (int64_t)exact);
		} else {
			ck_assert_int_eq(cf_money_mul(cf_money_of(a), b, &out), CF_EOVERFLOW);
		}
	}
}
END_TEST

/* ---- muldiv / mul_bps rounding ---- */

typedef struct {
	int64_t a, num, den;
	int64_t down, half_up, half_even, up;
} round_case;

static const round_case round_cases[] = {
        /* a * num / den   floor  half-up  half-even  ceil */
        {25, 1, 10, 2, 3, 2, 3},      /* 2.5 */
        {-25, 1, 10, -3, -3, -2, -2}, /* -2.5: half-up goes away from zero */
        {35, 1, 10, 3, 4, 4, 4},      /* 3.5 */
        {-35, 1, 10, -4, -4, -4, -3}, /* -3.5 */
        {26, 1, 10, 2, 3, 3, 3},      /* 2.6 */
        {-26, 1, 10, -3, -3, -3, -2}, /* -2.6 */
        {24, 1, 10, 2, 2, 2, 3},      /* 2.4 */
        {-24, 1, 10, -3, -2, -2, -2}, /* -2.4 */
        {-30, 1, 10, -3, -3, -3, -3}, /* exact */
        {5, -1, 10, -1, -1, 0, 0},    /* -0.5 via a negative numerator */
        {-5, -1, 10, 0, 1, 0, 1},     /* +0.5 from two negatives */
        {1, 1, 3, 0, 0, 0, 1},        /* 0.333 */
        {-1, 1, 3, -1, 0, 0, 0},      /* -0.333 */
        {2, 1, 3, 0, 1, 1, 1},        /* 0.667 */
        {-2, 1, 3, -1, -1, -1, 0},    /* -0.667 */
        {0, 12345, 7, 0, 0, 0, 0},    /* zero */
        {10000000, 500, 10000, 500000, 500000, 500000, 500000}, /* 5% commission */
        /* domain.md late-fee goldens: principal x 200 bps x days / (10000 x 30) */
        {500000, 200 * 21, 300000, 7000, 7000, 7000, 7000}, /* 5000.00 x 21 days = 70.00 */
        {333333, 200 * 7, 300000, 1555, 1556, 1556, 1556},  /* 3333.33 x 7 days = 15.56 */
        /* 128-bit intermediate: the product alone would overflow int64 */
        {INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX},
        {INT64_MIN, INT64_MAX, INT64_MAX, INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN},
        {INT64_MIN, -1, 2, INT64_C(4611686018427387904), INT64_C(4611686018427387904),
         INT64_C(4611686018427387904), INT64_C(4611686018427387904)},
        {INT64_MAX, 3, 6, INT64_C(4611686018427387903), INT64_C(4611686018427387904),
         INT64_C(4611686018427387904), INT64_C(4611686018427387904)},
};

START_TEST(test_muldiv_rounding)
{
	const round_case *c = &round_cases[_i];
	static const cf_rounding modes[4] = {CF_ROUND_DOWN, CF_ROUND_HALF_UP, CF_ROUND_HALF_EVEN,
	                                     CF_ROUND_UP};
	int64_t want[4];
	want[0] = c->down;
	want[1] = c->half_up;
	want[2] = c->half_even;
	want[3] = c->up;
	for (int m = 0; m < 4; m++) {
		cf_money out = cf_money_of(-99);
		ck_assert_int_eq(cf_money_muldiv(cf_money_of(c->a), c->num, c->den, modes[m], &out),
		                 CF_OK);
		ck_assert_msg(out.minor == want[m], "case %d mode %d: got %lld want %lld", _i, m,
		              (long long)out.minor, (long long)want[m]);
	}
}
END_TEST

START_TEST(test_muldiv_errors)
{
	cf_money out = cf_money_of(7);

	ck_assert_int_eq(cf_money_muldiv(cf_money_of(1), 1, 0, CF_ROUND_DOWN, &out), CF_EINVALID);
	ck_assert_int_eq(cf_money_muldiv(cf_money_of(1), 1, -3, CF_ROUND_DOWN, &out), CF_EINVALID);
	ck_assert_int_eq(cf_money_muldiv(cf_money_of(1), 1, 1, (cf_rounding)9, &out), CF_EINVALID);
	ck_assert_int_eq(cf_money_muldiv(cf_money_of(INT64_MAX), 2, 1, CF_ROUND_DOWN, &out),
	                 CF_EOVERFLOW);
	ck_assert_int_eq(cf_money_muldiv(cf_money_of(INT64_MIN), -1, 1, CF_ROUND_DOWN, &out),
	                 CF_EOVERFLOW);
	/* INT64_MAX * 3 / 2 = 1.5 * INT64_MAX: overflow, not wrap */
	ck_assert_int_eq(cf_money_muldiv(cf_money_of(INT64_MAX), 3, 2, CF_ROUND_HALF_UP, &out),
	                 CF_EOVERFLOW);
	/* rounding up past INT64_MAX: (2^63 - 1) + 0.5 rounds to 2^63 */
	ck_assert_int_eq(cf_money_muldiv(cf_money_of(INT64_MAX), 2, 2, CF_ROUND_UP, &out), CF_OK);
	ck_assert_int_eq(out.minor, INT64_MAX);
	ck_assert_int_eq(cf_money_muldiv(cf_money_of(INT64_MAX), 4, 4, CF_ROUND_HALF_UP, &out),
	                 CF_OK);
	ck_assert_int_eq(cf_money_muldiv(cf_money_of(-1), INT64_MIN, 1, CF_ROUND_DOWN, &out),
	                 CF_EOVERFLOW);
	ck_assert_int_eq(out.minor, INT64_MAX); /* untouched by the failed call */
}
END_TEST

START_TEST(test_mul_bps)
{
	cf_money out;

	/* GST 18% of a 5,000.00 commission = 900.00 */
	ck_assert_int_eq(cf_money_mul_bps(cf_money_of(500000), 1800, CF_ROUND_HALF_UP, &out),
	                 CF_OK);
	ck_assert_int_eq(out.minor, 90000);
	/* 1 bps of 0.50 = 0.00005 paise: down 0, up 1 */
	ck_assert_int_eq(cf_money_mul_bps(cf_money_of(50), 1, CF_ROUND_DOWN, &out), CF_OK);
	ck_assert_int_eq(out.minor, 0);
	ck_assert_int_eq(cf_money_mul_bps(cf_money_of(50), 1, CF_ROUND_UP, &out), CF_OK);
	ck_assert_int_eq(out.minor, 1);
	/* -333 x 15% = -49.95: half-up -50, floor -50, ceil -49 */
	ck_assert_int_eq(cf_money_mul_bps(cf_money_of(-333), 1500, CF_ROUND_HALF_UP, &out), CF_OK);
	ck_assert_int_eq(out.minor, -50);
	ck_assert_int_eq(cf_money_mul_bps(cf_money_of(-333), 1500, CF_ROUND_UP, &out), CF_OK);
	ck_assert_int_eq(out.minor, -49);
	/* 150 bps of 100.00 paise-exact: 1.50 */
	ck_assert_int_eq(cf_money_mul_bps(cf_money_of(10000), 150, CF_ROUND_HALF_EVEN, &out),
	                 CF_OK);
	ck_assert_int_eq(out.minor, 150);
	/* negative rate */
	ck_assert_int_eq(cf_money_mul_bps(cf_money_of(10000), -250, CF_ROUND_HALF_UP, &out), CF_OK);
	ck_assert_int_eq(out.minor, -250);
	/* huge amount at 200%: overflow; at 100%: exact */
	ck_assert_int_eq(cf_money_mul_bps(cf_money_of(INT64_MAX), 20000, CF_ROUND_DOWN, &out),
	                 CF_EOVERFLOW);
	ck_assert_int_eq(cf_money_mul_bps(cf_money_of(INT64_MIN), 10000, CF_ROUND_DOWN, &out),
	                 CF_OK);
	ck_assert_int_eq(out.minor, INT64_MIN);
}
END_TEST

/* property: floor <= nearest <= ceil, ceil - floor in {0, 1}, floor is the true floor,
 * half-up is symmetric under negation */
START_TEST(test_muldiv_property)
{
	uint64_t st = UINT64_C(0x0123456789ABCDEF);
	long n = iterations();

	for (long i = 0; i < n; i++) {
		int64_t a = rand_i64(&st), num = rand_i64(&st) % 1000001;
		int64_t den = (int64_t)(xorshift64(&st) % 1000000) + 1;
		cf_money dn, hu, he, up, neg;
		i128 p = (i128)a * num;
		int rc = cf_money_muldiv(cf_money_of(a), num, den, CF_ROUND_DOWN, &dn);
		if (rc != CF_OK) {
			ck_assert_int_eq(rc, CF_EOVERFLOW);
			continue;
		}
		if (cf_money_muldiv(cf_money_of(a), num, den, CF_ROUND_UP, &up) != CF_OK)
			continue; /* floor fits but ceil does not: only at INT64_MAX */
		ck_assert_int_eq(cf_money_muldiv(cf_money_of(a), num, den, CF_ROUND_HALF_UP, &hu),
		                 CF_OK);
		ck_assert_int_eq(cf_money_muldiv(cf_money_of(a), num, den, CF_ROUND_HALF_EVEN, &he),
		                 CF_OK);
		ck_assert((i128)dn.minor * den <= p);
		ck_assert(((i128)dn.minor + 1) * den > p);
		ck_assert(up.minor - dn.minor == (p % den != 0 ? 1 : 0));
		ck_assert(dn.minor <= hu.minor && hu.minor <= up.minor);
		ck_assert(dn.minor <= he.minor && he.minor <= up.minor);
		if (a != INT64_MIN) {
			ck_assert_int_eq(
			        cf_money_muldiv(cf_money_of(-a), num, den, CF_ROUND_HALF_UP, &neg),
			        CF_OK);
			ck_assert(neg.minor == -hu.minor);
		}
	}
}
END_TEST

/* ---- split and cmp ---- */

typedef struct {
	int64_t total, n, share, rem;
} split_case;

static const split_case split_cases[] = {
        {100, 3, 33, 1},
        {-100, 3, -34, 2},
        {99, 3, 33, 0},
        {0, 5, 0, 0},
        {2, 5, 0, 2},
        {-2, 5, -1, 3},
        {INT64_MIN, 1, INT64_MIN, 0},
        {INT64_MAX, 1, INT64_MAX, 0},
        {INT64_MAX, INT64_MAX, 1, 0},
        {INT64_MIN, INT64_MAX, -2, INT64_MAX - 1},
        {INT64_MAX, 2, INT64_C(4611686018427387903), 1},
        {300000, 40, 7500, 0},
};

START_TEST(test_split_table)
{
	const split_case *c = &split_cases[_i];
	cf_money share, rem;

	ck_assert_int_eq(cf_money_split(cf_money_of(c->total), c->n, &share, &rem), CF_OK);
	ck_assert_int_eq(share.minor, c->share);
	ck_assert_int_eq(rem.minor, c->rem);
}
END_TEST

START_TEST(test_split_errors_and_property)
{
	cf_money share, rem;
	uint64_t st = 77;
	long n = iterations();

	ck_assert_int_eq(cf_money_split(cf_money_of(10), 0, &share, &rem), CF_EINVALID);
	ck_assert_int_eq(cf_money_split(cf_money_of(10), -2, &share, &rem), CF_EINVALID);
	for (long i = 0; i < n; i++) {
		int64_t total = rand_i64(&st);
		int64_t k = (int64_t)(xorshift64(&st) % 2000) + 1;
		ck_assert_int_eq(cf_money_split(cf_money_of(total), k, &share, &rem), CF_OK);
		ck_assert(rem.minor >= 0 && rem.minor < k);
		ck_assert((i128)share.minor * k + rem.minor == total);
	}
}
END_TEST

START_TEST(test_cmp)
{
	ck_assert_int_eq(cf_money_cmp(cf_money_of(1), cf_money_of(2)), -1);
	ck_assert_int_eq(cf_money_cmp(cf_money_of(2), cf_money_of(1)), 1);
	ck_assert_int_eq(cf_money_cmp(cf_money_of(-5), cf_money_of(-5)), 0);
	ck_assert_int_eq(cf_money_cmp(cf_money_of(INT64_MIN), cf_money_of(INT64_MAX)), -1);
	ck_assert_int_eq(cf_money_cmp(cf_money_of(INT64_MAX), cf_money_of(INT64_MIN)), 1);
	ck_assert_int_eq(cf_money_cmp(cf_money_of(0), cf_money_of(-1)), 1);
}
END_TEST

/* ---- parse ---- */

typedef struct {
	const char *s;
	int rc;
	int64_t want;
} parse_case;

static const parse_case parse_cases[] = {
        {"1234.56", CF_OK, 123456},
        {"-0.50", CF_OK, -50},
        {"-0.5", CF_OK, -50},
        {"0.05", CF_OK, 5},
        {"0", CF_OK, 0},
        {"-0", CF_OK, 0},
        {"-0.00", CF_OK, 0},
        {"100000", CF_OK, 10000000},
        {"007.10", CF_OK, 710},
        {"1,00,000.00", CF_OK, 10000000},
        {"1,000", CF_OK, 100000},
        {"12,345.6", CF_OK, 1234560},
        {"10,00,000", CF_OK, 100000000},
        {"-1,23,45,678.90", CF_OK, -1234567890},
        {"12,34,56,78,901.00", CF_OK, INT64_C(1234567890100)},
        {"92233720368547758.07", CF_OK, INT64_MAX},
        {"-92233720368547758.08", CF_OK, INT64_MIN},
        {"-92,23,37,20,36,85,47,758.08", CF_OK, INT64_MIN},
        {"92233720368547758.08", CF_EOVERFLOW, 0},
        {"-92233720368547758.09", CF_EOVERFLOW, 0},
        {"92233720368547759", CF_EOVERFLOW, 0},
        {"18446744073709551616", CF_EOVERFLOW, 0},
        {"999999999999999999999999999999999999999999.99", CF_EOVERFLOW, 0},
        {"", CF_EINVALID, 0},
        {"-", CF_EINVALID, 0},
        {"+", CF_EINVALID, 0},
        {"+5", CF_EINVALID, 0},
        {".", CF_EINVALID, 0},
        {".5", CF_EINVALID, 0},
        {"5.", CF_EINVALID, 0},
        {"1.234", CF_EINVALID, 0},
        {"1.2.3", CF_EINVALID, 0},
        {" 1", CF_EINVALID, 0},
        {"1 ", CF_EINVALID, 0},
        {"1.5x", CF_EINVALID, 0},
        {"12abc", CF_EINVALID, 0},
        {"--1", CF_EINVALID, 0},
        {"1-", CF_EINVALID, 0},
        {"1e5", CF_EINVALID, 0},
        {"100,000", CF_EINVALID, 0},   /* western grouping */
        {"1,0000", CF_EINVALID, 0},    /* last group not three */
        {"1,00,00", CF_EINVALID, 0},   /* last group not three */
        {"1,000,000", CF_EINVALID, 0}, /* middle group of three */
        {"123,456", CF_EINVALID, 0},   /* head of three */
        {",100", CF_EINVALID, 0},      /* no head */
        {"1,00,000,", CF_EINVALID, 0}, /* trailing comma */
        {"1,,000", CF_EINVALID, 0},    /* empty group */
        {"01,000", CF_EINVALID, 0},    /* leading zero in a grouped head */
        {"1,000.", CF_EINVALID, 0},    /* no decimals after the point */
        {"1,000.123", CF_EINVALID, 0},
        {"-,100", CF_EINVALID, 0},
        {"99999999999999999999999x", CF_EINVALID, 0}, /* syntax beats size */
        {"1.5\xe2\x82\xb9", CF_EINVALID, 0},          /* trailing rupee sign */
};

START_TEST(test_parse_table)
{
	const parse_case *c = &parse_cases[_i];
	cf_money out = cf_money_of(123);
	int rc = cf_money_parse(c->s, strlen(c->s), &out);

	ck_assert_msg(rc == c->rc, "\"%s\": rc %d want %d", c->s, rc, c->rc);
	if (rc == CF_OK)
		ck_assert_msg(out.minor == c->want, "\"%s\": got %lld", c->s, (long long)out.minor);
	else
		ck_assert_int_eq(out.minor, 123);
}
END_TEST

START_TEST(test_parse_len_and_null)
{
	cf_money out;

	/* only len bytes are read: "12345" with len 3 is "123" */
	ck_assert_int_eq(cf_money_parse("12345", 3, &out), CF_OK);
	ck_assert_int_eq(out.minor, 12300);
	/* an embedded NUL is a stray character */
	ck_assert_int_eq(cf_money_parse("1\0", 2, &out), CF_EINVALID);
	ck_assert_int_eq(cf_money_parse(NULL, 0, &out), CF_EINVALID);
	ck_assert_int_eq(cf_money_parse("1", 1, NULL), CF_EINVALID);
	ck_assert_int_eq(cf_money_parse("1", 0, &out), CF_EINVALID);
}
END_TEST

/* ---- format ---- */

typedef struct {
	int64_t minor;
	const char *plain, *indian;
} format_case;

static const format_case format_cases[] = {
        {0, "0.00", "0.00"},
        {5, "0.05", "0.05"},
        {-5, "-0.05", "-0.05"},
        {-50, "-0.50", "-0.50"},
        {99999, "999.99", "999.99"},
        {100000, "1000.00", "1,000.00"},
        {1234560, "12345.60", "12,345.60"},
        {10000000, "100000.00", "1,00,000.00"},
        {-1234567890, "-12345678.90", "-1,23,45,678.90"},
        {INT64_C(1234567890100), "12345678901.00", "12,34,56,78,901.00"},
        {INT64_MAX, "92233720368547758.07", "92,23,37,20,36,85,47,758.07"},
        {INT64_MIN, "-92233720368547758.08", "-92,23,37,20,36,85,47,758.08"},
};

START_TEST(test_format_table)
{
	const format_case *c = &format_cases[_i];
	char buf[32];

	ck_assert_int_eq(cf_money_format(cf_money_of(c->minor), CF_MONEY_PLAIN, buf, sizeof buf),
	                 CF_OK);
	ck_assert_str_eq(buf, c->plain);
	ck_assert_int_eq(cf_money_format(cf_money_of(c->minor), CF_MONEY_INDIAN, buf, sizeof buf),
	                 CF_OK);
	ck_assert_str_eq(buf, c->indian);
}
END_TEST

START_TEST(test_format_buffer)
{
	char buf[32];

	/* "1,00,000.00" is 11 characters: needs 12 bytes */
	ck_assert_int_eq(cf_money_format(cf_money_of(10000000), CF_MONEY_INDIAN, buf, 11),
	                 CF_EBUFFER);
	ck_assert_int_eq(cf_money_format(cf_money_of(10000000), CF_MONEY_INDIAN, buf, 12), CF_OK);
	ck_assert_str_eq(buf, "1,00,000.00");
	ck_assert_int_eq(cf_money_format(cf_money_of(0), CF_MONEY_PLAIN, buf, 0), CF_EBUFFER);
	ck_assert_int_eq(cf_money_format(cf_money_of(0), CF_MONEY_PLAIN, buf, 5), CF_OK);
	ck_assert_int_eq(cf_money_format(cf_money_of(0), CF_MONEY_PLAIN, NULL, 5), CF_EINVALID);
	ck_assert_int_eq(cf_money_format(cf_money_of(0), (cf_money_style)7, buf, 5), CF_EINVALID);
}
END_TEST

/* property: format then parse gives the value back, in both styles */
START_TEST(test_round_trip_property)
{
	uint64_t st = UINT64_C(0xDEADBEEFCAFEF00D);
	long n = iterations();
	char buf[32];

	for (long i = 0; i < n; i++) {
		int64_t v = rand_i64(&st);
		cf_money back;
		for (int style = 0; style < 2; style++) {
			ck_assert_int_eq(cf_money_format(cf_money_of(v), (cf_money_style)style, buf,
			                                 sizeof buf),
			                 CF_OK);
			ck_assert_int_eq(cf_money_parse(buf, strlen(buf), &back), CF_OK);
			ck_assert_msg(back.minor == v, "%s", buf);
		}
	}
}
END_TEST

static Suite *money_suite(void)
{
	Suite *s = suite_create("money");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_arith_table, 0,
	                    (int)(sizeof arith_cases / sizeof arith_cases[0]));
	tcase_add_test(tc, test_arith_null_out);
	tcase_add_test(tc, test_arith_property);
	tcase_add_loop_test(tc, test_muldiv_rounding, 0,
	                    (int)(sizeof round_cases / sizeof round_cases[0]));
	tcase_add_test(tc, test_muldiv_errors);
	tcase_add_test(tc, test_mul_bps);
	tcase_add_test(tc, test_muldiv_property);
	tcase_add_loop_test(tc, test_split_table, 0,
	                    (int)(sizeof split_cases / sizeof split_cases[0]));
	tcase_add_test(tc, test_split_errors_and_property);
	tcase_add_test(tc, test_cmp);
	tcase_add_loop_test(tc, test_parse_table, 0,
	                    (int)(sizeof parse_cases / sizeof parse_cases[0]));
	tcase_add_test(tc, test_parse_len_and_null);
	tcase_add_loop_test(tc, test_format_table, 0,
	                    (int)(sizeof format_cases / sizeof format_cases[0]));
	tcase_add_test(tc, test_format_buffer);
	tcase_add_test(tc, test_round_trip_property);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(money_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
