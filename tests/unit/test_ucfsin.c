/*
 * test_ucfsin.c - UCFSIN construction, validation and parsing (ISO 7064 MOD 97-10).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/domain/ucfsin.h"

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

/* expected strings computed with python3: 'CF%02d%08d%02d' % (y, s, 98 - (D * 100) % 97) */
static const struct {
	int32_t year;
	int64_t seq;
	const char *want;
} golden[] = {
        {26, 123, "CF260000012307"}, /* domain.md's worked example */
        {0, 1, "CF000000000195"},    {99, 99999999, "CF999999999951"}, {27, 1, "CF270000000133"},
        {26, 42, "CF260000004256"},  {26, 93, "CF260000009397"}, /* check 97 */
        {26, 28, "CF260000002898"},                              /* check 98 */
        {26, 60, "CF260000006002"},                              /* check 02 */
};

START_TEST(test_golden)
{
	char out[15];
	int32_t y = -1;
	int64_t s = -1;

	memset(out, 'x', sizeof out);
	ck_assert_int_eq(cf_ucfsin_make(golden[_i].year, golden[_i].seq, out), CF_OK);
	ck_assert_str_eq(out, golden[_i].want);
	ck_assert_int_eq(cf_ucfsin_validate(out, strlen(out)), CF_OK);
	ck_assert_int_eq(cf_ucfsin_parse(out, CF_UCFSIN_LEN, &y, &s), CF_OK);
	ck_assert_int_eq(y, golden[_i].year);
	ck_assert_int_eq(s, golden[_i].seq);
}
END_TEST

START_TEST(test_make_errors)
{
	char out[15] = "untouched";

	ck_assert_int_eq(cf_ucfsin_make(-1, 1, out), CF_EINVALID);
	ck_assert_int_eq(cf_ucfsin_make(100, 1, out), CF_EINVALID);
	ck_assert_int_eq(cf_ucfsin_make(26, 0, out), CF_EINVALID);
	ck_assert_int_eq(cf_ucfsin_make(26, -5, out), CF_EINVALID);
	ck_assert_int_eq(cf_ucfsin_make(26, 100000000, out), CF_EINVALID);
	ck_assert_int_eq(cf_ucfsin_make(26, INT64_MAX, out), CF_EINVALID);
	ck_assert_int_eq(cf_ucfsin_make(26, 1, NULL), CF_EINVALID);
	ck_assert_str_eq(out, "untouched");
}
END_TEST

static const char *const invalid[] = {
        "",
        "CF26000001230",     /* 13 characters */
        "CF2600000123071",   /* 15 characters */
        "cf260000012307",    /* lowercase prefix */
        "CX260000012307",    /* wrong prefix */
        "FC260000012307",    /* swapped prefix */
        "CF26000001230A",    /* non-digit */
        "CF26 000012307",    /* space */
        "CF-60000012307",    /* sign */
        "CF260000012308",    /* check off by one */
        "CF260000012370",    /* check digits swapped */
        "CF260000013207",    /* adjacent digits swapped */
        "CF360000012307",    /* year changed */
        "CF260000000085",    /* sequence 0 (check digits right for D = 26 * 10^8) */
        "CF260000009300",    /* alias of check 97: passes mod 97 but is not 98 - x */
        "CF260000002801",    /* alias of check 98 */
        "CF260000006099",    /* alias of check 02 */
        "CF26000001230\xff", /* high byte */
};

START_TEST(test_invalid)
{
	const char *s = invalid[_i];
	int32_t y = 77;
	int64_t q = 77;

	ck_assert_msg(cf_ucfsin_validate(s, strlen(s)) == CF_EINVALID, "\"%s\" accepted", s);
	ck_assert_int_eq(cf_ucfsin_parse(s, strlen(s), &y, &q), CF_EINVALID);
	ck_assert_int_eq(y, 77);
	ck_assert_int_eq(q, 77);
}
END_TEST

START_TEST(test_misc)
{
	ck_assert_int_eq(cf_ucfsin_validate(NULL, 14), CF_EINVALID);
	/* only len bytes are read */
	ck_assert_int_eq(cf_ucfsin_validate("CF260000012307trailing", 14), CF_OK);
	ck_assert_int_eq(cf_ucfsin_validate("CF260000012307trailing", 15), CF_EINVALID);
	/* NULL outputs are allowed */
	ck_assert_int_eq(cf_ucfsin_parse("CF260000012307", 14, NULL, NULL), CF_OK);
}
END_TEST

/*
 * property: every id made is valid and parses back; every single-digit
 * substitution and every adjacent transposition of different digits is
 * refused (MOD 97-10 detects both error classes).
 */
START_TEST(test_property)
{
	uint64_t st = UINT64_C(0x5851F42D4C957F2D);
	long n = iterations() / 10; /* each iteration checks ~100 mutations */

	if (n < 1)
		n = 1;
	for (long i = 0; i < n; i++) {
		int32_t year = (int32_t)(xorshift64(&st) % 100), y;
		int64_t seq = (int64_t)(xorshift64(&st) % 99999999) + 1, q;
		char id[15], m[15];

		ck_assert_int_eq(cf_ucfsin_make(year, seq, id), CF_OK);
		ck_assert_int_eq(cf_ucfsin_parse(id, 14, &y, &q), CF_OK);
		ck_assert(y == year && q == seq);
		for (int pos = 2; pos < 14; pos++) {
			for (char c = '0'; c <= '9'; c++) {
				if (c == id[pos])
					continue;
				memcpy(m, id, sizeof m);
				m[pos] = c;
				ck_assert_msg(cf_ucfsin_validate(m, 14) == CF_EINVALID, "%s", m);
			}
			if (pos < 13 && id[pos] != id[pos + 1]) {
				memcpy(m, id, sizeof m);
				m[pos] = id[pos + 1];
				m[pos + 1] = id[pos];
				ck_assert_msg(cf_ucfsin_validate(m, 14) == CF_EINVALID, "%s", m);
			}
		}
	}
}
END_TEST

static Suite *ucfsin_suite(void)
{
	Suite *s = suite_create("ucfsin");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_golden, 0, (int)(sizeof golden / sizeof golden[0]));
	tcase_add_test(tc, test_make_errors);
	tcase_add_loop_test(tc, test_invalid, 0, (int)(sizeof invalid / sizeof invalid[0]));
	tcase_add_test(tc, test_misc);
	tcase_add_test(tc, test_property);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ucfsin_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
