/*
 * test_infra_password.c - libxcrypt hashing at a low cost: yescrypt and
 * bcrypt round trips, wrong password, malformed hashes, needs_rehash.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cf_infra/password.h"
#include "chitfund/domain/errcode.h"

START_TEST(test_yescrypt_round_trip)
{
	cf_password_policy p;
	char h[CF_PASSWORD_HASH_MAX], h2[CF_PASSWORD_HASH_MAX];
	bool ok = false;
	ck_assert_int_eq(cf_password_policy_init(&p, CF_PASSWORD_YESCRYPT, 1), CF_OK);
	ck_assert_int_eq(cf_password_hash(&p, "correct horse", h, sizeof h), CF_OK);
	ck_assert(strncmp(h, "$y$", 3) == 0);
	ck_assert_int_eq(cf_password_hash(&p, "correct horse", h2, sizeof h2), CF_OK);
	ck_assert_str_ne(h, h2); /* fresh salt */
	ck_assert_int_eq(cf_password_verify(&p, "correct horse", h, &ok), CF_OK);
	ck_assert(ok);
	ck_assert_int_eq(cf_password_verify(&p, "correct horsf", h, &ok), CF_OK);
	ck_assert(!ok);
	ck_assert_int_eq(cf_password_verify(&p, "", h, &ok), CF_OK);
	ck_assert(!ok);
	ck_assert(!cf_password_needs_rehash(&p, h));
	ck_assert(strncmp(p.dummy, "$y$", 3) == 0);
}
END_TEST

START_TEST(test_bcrypt_round_trip)
{
	cf_password_policy p, y;
	char h[CF_PASSWORD_HASH_MAX];
	char longpw[80];
	bool ok = false;
	ck_assert_int_eq(cf_password_policy_init(&p, CF_PASSWORD_BCRYPT, 4), CF_OK);
	ck_assert_int_eq(cf_password_hash(&p, "s3cret-pass", h, sizeof h), CF_OK);
	ck_assert(strncmp(h, "$2b$04$", 7) == 0);
	ck_assert_int_eq(cf_password_verify(&p, "s3cret-pass", h, &ok), CF_OK);
	ck_assert(ok);
	ck_assert_int_eq(cf_password_verify(&p, "s3cret-pasS", h, &ok), CF_OK);
	ck_assert(!ok);
	/* a bcrypt hash verifies under a yescrypt policy too, and wants a rehash */
	ck_assert_int_eq(cf_password_policy_init(&y, CF_PASSWORD_YESCRYPT, 1), CF_OK);
	ck_assert_int_eq(cf_password_verify(&y, "s3cret-pass", h, &ok), CF_OK);
	ck_assert(ok);
	ck_assert(cf_password_needs_rehash(&y, h));
	/* bcrypt would silently truncate at 72 bytes: refused */
	memset(longpw, 'a', 79);
	longpw[79] = '\0';
	ck_assert_int_eq(cf_password_hash(&p, longpw, h, sizeof h), CF_EINVALID);
}
END_TEST

START_TEST(test_tampered_hash)
{
	/* a hash with one character changed no longer matches */
	cf_password_policy p;
	char h[CF_PASSWORD_HASH_MAX];
	bool ok = false;
	ck_assert_int_eq(cf_password_policy_init(&p, CF_PASSWORD_YESCRYPT, 1), CF_OK);
	ck_assert_int_eq(cf_password_hash(&p, "password", h, sizeof h), CF_OK);
	ck_assert_int_eq(cf_password_verify(&p, "password", h, &ok), CF_OK);
	ck_assert(ok);
	/* one character of the hash changed: no match */
	size_t n = strlen(h);
	h[n - 1] = h[n - 1] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(cf_password_verify(&p, "password", h, &ok), CF_OK);
	ck_assert(!ok);
}
END_TEST

START_TEST(test_malformed_hashes)
{
	cf_password_policy p;
	bool ok = true;
	const char *bad[] = {"",           "x",  "$y$",       "$y$garbage",
	                     "$2b$99$abc", "*0", "plaintext", "$unknown$abc$def"};
	ck_assert_int_eq(cf_password_policy_init(&p, CF_PASSWORD_YESCRYPT, 1), CF_OK);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ok = true;
		ck_assert_int_eq(cf_password_verify(&p, "password", bad[i], &ok), CF_OK);
		ck_assert_msg(!ok, "hash %s accepted", bad[i]);
		ck_assert(cf_password_needs_rehash(&p, bad[i]));
	}
	ck_assert_int_eq(cf_password_verify(&p, NULL, "x", &ok), CF_EINVALID);
	cf_password_verify_dummy(&p, "anything");
}
END_TEST

START_TEST(test_policy_and_limits)
{
	cf_password_policy p, q;
	char h[CF_PASSWORD_HASH_MAX];
	char pw[CF_PASSWORD_MAX + 2];
	ck_assert_int_eq(cf_password_policy_init(&p, CF_PASSWORD_YESCRYPT, 12), CF_EINVALID);
	ck_assert_int_eq(cf_password_policy_init(&p, CF_PASSWORD_BCRYPT, 3), CF_EINVALID);
	ck_assert_int_eq(cf_password_policy_init(&p, CF_PASSWORD_YESCRYPT, 1), CF_OK);
	ck_assert_int_eq(cf_password_hash(&p, "", h, sizeof h), CF_EINVALID);
	memset(pw, 'x', sizeof pw - 1);
	pw[sizeof pw - 1] = '\0';
	ck_assert_int_eq(cf_password_hash(&p, pw, h, sizeof h), CF_EINVALID);
	ck_assert_int_eq(cf_password_hash(&p, "short-buffer", h, 10), CF_EBUFFER);
	/* another cost: rehash wanted */
	ck_assert_int_eq(cf_password_policy_init(&q, CF_PASSWORD_YESCRYPT, 2), CF_OK);
	ck_assert_int_eq(cf_password_hash(&q, "password1", h, sizeof h), CF_OK);
	ck_assert(cf_password_needs_rehash(&p, h));
	ck_assert(!cf_password_needs_rehash(&q, h));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("infra_password");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_yescrypt_round_trip);
	tcase_add_test(tc, test_bcrypt_round_trip);
	tcase_add_test(tc, test_tampered_hash);
	tcase_add_test(tc, test_malformed_hashes);
	tcase_add_test(tc, test_policy_and_limits);
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
