/*
 * test_infra_config.c - environment parsing: defaults, strict integers with
 * the variable named, secret and data-key refusal, development fallbacks,
 * CHITFUND_TEST_NOW only in test.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cf_infra/config.h"
#include "cf_infra/log.h"

static const char *const VARS[] = {"DATABASE_URL",
                                   "SECRET_KEY",
                                   "CHITFUND_DATA_KEY",
                                   "CHITFUND_DATA_KEY_ID",
                                   "PORT",
                                   "CHITFUND_LISTEN",
                                   "ACCESS_TOKEN_EXPIRE_MINUTES",
                                   "CHITFUND_REFRESH_TOKEN_DAYS",
                                   "CHITFUND_POOL_SIZE",
                                   "CHITFUND_POOL_WAIT_MS",
                                   "CHITFUND_THREADS",
                                   "CHITFUND_ENV",
                                   "CHITFUND_TEST_NOW",
                                   "CHITFUND_LOGIN_FAILURES_PER_ACCOUNT",
                                   "CHITFUND_LOGIN_FAILURES_PER_ADDRESS",
                                   "CHITFUND_LOGIN_WINDOW_S",
                                   "CHITFUND_TRUSTED_PROXIES",
                                   "CHITFUND_PASSWORD_COST",
                                   "CHITFUND_ANTI_SNIPING_S",
                                   "CHITFUND_IDEMPOTENCY_HOURS",
                                   "CHITFUND_LOG_LEVEL",
                                   NULL};
static const char GOOD_SECRET[] = "q8Zr1mVw3nX0pL5kT7yB2cD4fG6hJ9aS";
static const char GOOD_DATA_KEY[] =
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

static void setup(void)
{
	for (int i = 0; VARS[i]; i++)
		unsetenv(VARS[i]);
	setenv("SECRET_KEY", GOOD_SECRET, 1);
	setenv("CHITFUND_DATA_KEY", GOOD_DATA_KEY, 1);
	cf_log_set_level(CF_LOG_ERROR); /* keep the development warnings quiet */
}

static void teardown(void)
{
	for (int i = 0; VARS[i]; i++)
		unsetenv(VARS[i]);
	cf_log_set_level(CF_LOG_INFO);
}

START_TEST(test_defaults)
{
	cf_config c;
	cf_error err = CF_ERROR_INIT;
	ck_assert_int_eq(cf_config_load(&c, &err), CF_OK);
	ck_assert_int_eq(c.env, CF_ENV_PRODUCTION);
	ck_assert_int_eq(c.port, 8080);
	ck_assert_str_eq(c.listen, "127.0.0.1");
	ck_assert_int_eq(c.access_token_minutes, 30);
	ck_assert_int_eq(c.refresh_token_days, 14);
	ck_assert_int_eq(c.pool_size, 16);
	ck_assert_int_eq(c.pool_wait_ms, 2000);
	ck_assert_int_eq(c.threads, 256);
	ck_assert_int_eq(c.login_failures_per_account, 5);
	ck_assert_int_eq(c.login_failures_per_address, 20);
	ck_assert_int_eq(c.login_window_s, 900);
	ck_assert_int_eq(c.anti_sniping_s, 60);
	ck_assert_int_eq(c.idempotency_hours, 24);
	ck_assert_int_eq(c.password_cost, 5);
	ck_assert_str_eq(c.trusted_proxies, "");
	ck_assert_str_eq(c.database_url, "");
	ck_assert_str_eq(c.data_key_id, "k1");
	ck_assert_uint_eq(c.secret_key_len, strlen(GOOD_SECRET));
	ck_assert(memcmp(c.secret_key, GOOD_SECRET, c.secret_key_len) == 0);
	ck_assert_uint_eq(c.data_key[0], 0x00);
	ck_assert_uint_eq(c.data_key[31], 0x1f);
	ck_assert(!c.has_test_now);
	ck_assert(!c.generated_secret_key && !c.generated_data_key);
	cf_config_dispose(&c);
	ck_assert_uint_eq(c.secret_key_len, 0);
}
END_TEST

START_TEST(test_values_read)
{
	cf_config c;
	setenv("PORT", "9090", 1);
	setenv("CHITFUND_POOL_SIZE", "4", 1);
	setenv("DATABASE_URL", "postgresql:///chitfund?host=/tmp", 1);
	setenv("CHITFUND_TRUSTED_PROXIES", "10.0.0.1,192.168.0.0/16", 1);
	setenv("CHITFUND_DATA_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", 1);
	setenv("CHITFUND_DATA_KEY_ID", "2026-04", 1);
	setenv("CHITFUND_ANTI_SNIPING_S", "0", 1);
	ck_assert_int_eq(cf_config_load(&c, NULL), CF_OK);
	ck_assert_int_eq(c.port, 9090);
	ck_assert_int_eq(c.pool_size, 4);
	ck_assert_int_eq(c.anti_sniping_s, 0);
	ck_assert_str_eq(c.database_url, "postgresql:///chitfund?host=/tmp");
	ck_assert_str_eq(c.trusted_proxies, "10.0.0.1,192.168.0.0/16");
	ck_assert_str_eq(c.data_key_id, "2026-04");
	ck_assert_uint_eq(c.data_key[1], 0x01);
	ck_assert_uint_eq(c.data_key[31], 0x1f);
	cf_config_dispose(&c);
}
END_TEST

START_TEST(test_bad_integers_name_the_variable)
{
	struct {
		const char *var, *val;
	} bad[] = {{"PORT", "0"},
	           {"PORT", "65536"},
	           {"PORT", "80x"},
	           {"PORT", " 80"},
	           {"PORT", "+80"},
	           {"PORT", "-1"},
	           {"PORT", "99999999999999999999999"},
	           {"CHITFUND_POOL_SIZE", "0"},
	           {"CHITFUND_THREADS", "1e3"},
	           {"ACCESS_TOKEN_EXPIRE_MINUTES", "abc"},
	           {"CHITFUND_LOGIN_WINDOW_S", "0x10"},
	           {"CHITFUND_IDEMPOTENCY_HOURS", "1"},
	           {"CHITFUND_PASSWORD_COST", "1"},
	           {"CHITFUND_ENV", "staging"},
	           {"CHITFUND_LOG_LEVEL", "loud"},
	           {"CHITFUND_DATA_KEY_ID", "bad id"}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cf_config c;
		cf_error err = CF_ERROR_INIT;
		setup();
		setenv(bad[i].var, bad[i].val, 1);
		ck_assert_msg(cf_config_load(&c, &err) == CF_EINVALID, "%s=%s accepted", bad[i].var,
		              bad[i].val);
		ck_assert_str_eq(err.field, bad[i].var);
		ck_assert_ptr_nonnull(strstr(err.message, bad[i].var));
		ck_assert_uint_eq(c.secret_key_len, 0); /* wiped on failure */
	}
}
END_TEST

START_TEST(test_secret_refused)
{
	const char *bad[] = {NULL, "", "changeme", "secret", "development", "too-short-secret"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cf_config c;
		cf_error err = CF_ERROR_INIT;
		if (bad[i])
			setenv("SECRET_KEY", bad[i], 1);
		else
			unsetenv("SECRET_KEY");
		ck_assert_int_eq(cf_config_load(&c, &err), CF_EINVALID);
		ck_assert_str_eq(err.field, "SECRET_KEY");
		if (bad[i] && bad[i][0])
			ck_assert_ptr_null(strstr(err.message, bad[i])); /* never echo the secret */
		setenv("CHITFUND_ENV", "test", 1);
		ck_assert_int_eq(cf_config_load(&c, &err), CF_EINVALID);
		unsetenv("CHITFUND_ENV");
	}
	/* data key missing or malformed */
	cf_config c;
	cf_error err = CF_ERROR_INIT;
	setenv("SECRET_KEY", GOOD_SECRET, 1);
	unsetenv("CHITFUND_DATA_KEY");
	ck_assert_int_eq(cf_config_load(&c, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "CHITFUND_DATA_KEY");
	setenv("CHITFUND_ENV", "test", 1); /* throwaway data: a random key */
	ck_assert_int_eq(cf_config_load(&c, &err), CF_OK);
	ck_assert(c.generated_data_key);
	unsetenv("CHITFUND_ENV");
	setenv("CHITFUND_DATA_KEY", "0011", 1);
	ck_assert_int_eq(cf_config_load(&c, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "CHITFUND_DATA_KEY");
	ck_assert_ptr_null(strstr(err.message, "0011"));
}
END_TEST

START_TEST(test_development_generates_secrets)
{
	cf_config a, b;
	setenv("CHITFUND_ENV", "development", 1);
	setenv("SECRET_KEY", "changeme", 1);
	unsetenv("CHITFUND_DATA_KEY");
	ck_assert_int_eq(cf_config_load(&a, NULL), CF_OK);
	ck_assert_int_eq(cf_config_load(&b, NULL), CF_OK);
	ck_assert(a.generated_secret_key && a.generated_data_key);
	ck_assert_uint_ge(a.secret_key_len, 32);
	ck_assert(memcmp(a.secret_key, "changeme", 8) != 0);
	ck_assert(memcmp(a.secret_key, b.secret_key, a.secret_key_len) != 0);
	ck_assert(memcmp(a.data_key, b.data_key, 32) != 0);
	cf_config_dispose(&a);
	cf_config_dispose(&b);
}
END_TEST

START_TEST(test_test_now_only_in_test)
{
	cf_config c;
	cf_error err = CF_ERROR_INIT;
	setenv("CHITFUND_TEST_NOW", "2026-04-01T10:00:00Z", 1);
	ck_assert_int_eq(cf_config_load(&c, NULL), CF_OK);
	ck_assert(!c.has_test_now);
	setenv("CHITFUND_ENV", "test", 1);
	ck_assert_int_eq(cf_config_load(&c, NULL), CF_OK);
	ck_assert(c.has_test_now);
	ck_assert_int_eq(c.test_now_ms, 1775037600000LL);
	ck_assert_int_eq(c.password_cost, 1); /* cheap hashing only in test */
	setenv("CHITFUND_TEST_NOW", "yesterday", 1);
	ck_assert_int_eq(cf_config_load(&c, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "CHITFUND_TEST_NOW");
}
END_TEST

/* Commands that sign nothing (migrate) read the rest without the secrets. */
START_TEST(test_no_secrets_flag)
{
	cf_config c;
	cf_error err = CF_ERROR_INIT;

	unsetenv("SECRET_KEY");
	unsetenv("CHITFUND_DATA_KEY");
	setenv("CHITFUND_ENV", "production", 1);
	setenv("PORT", "9000", 1);
	ck_assert_int_eq(cf_config_load(&c, &err), CF_EINVALID); /* no SECRET_KEY */
	ck_assert_str_eq(err.field, "SECRET_KEY");
	ck_assert_int_eq(cf_config_load_flags(&c, CF_CONFIG_NO_SECRETS, &err), CF_OK);
	ck_assert_uint_eq(c.secret_key_len, 0);
	ck_assert(!c.generated_secret_key && !c.generated_data_key);
	ck_assert_int_eq(c.port, 9000);
	cf_config_dispose(&c);
	/* the other variables are still checked */
	setenv("CHITFUND_POOL_SIZE", "0", 1);
	ck_assert_int_eq(cf_config_load_flags(&c, CF_CONFIG_NO_SECRETS, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "CHITFUND_POOL_SIZE");
}
END_TEST

START_TEST(test_parse_int)
{
	long long v = 0;
	ck_assert_int_eq(cf_parse_int("42", 0, 100, &v), CF_OK);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(cf_parse_int("-5", -10, 10, &v), CF_OK);
	ck_assert_int_eq(v, -5);
	ck_assert_int_eq(cf_parse_int("-5", 0, 10, &v), CF_EINVALID);
	ck_assert_int_eq(cf_parse_int("", 0, 10, &v), CF_EINVALID);
	ck_assert_int_eq(cf_parse_int("5 ", 0, 10, &v), CF_EINVALID);
	ck_assert_int_eq(cf_parse_int("11", 0, 10, &v), CF_EINVALID);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("infra_config");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_values_read);
	tcase_add_test(tc, test_bad_integers_name_the_variable);
	tcase_add_test(tc, test_secret_refused);
	tcase_add_test(tc, test_development_generates_secrets);
	tcase_add_test(tc, test_test_now_only_in_test);
	tcase_add_test(tc, test_no_secrets_flag);
	tcase_add_test(tc, test_parse_int);
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
