/* test_app_auth.c - registration, login throttling, tokens, password change. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cf_test_app.h"

static cf_test_env env;
static cf_actor anon;

static void setup(void)
{
	cf_app_config cfg;

	cf_app_config_init(&cfg);
	ck_assert_int_eq(cf_test_env_init(&env, &cfg), CF_OK);
	cf_actor_anonymous(&anon, "req-1", "192.0.2.7");
}

static void teardown(void)
{
	cf_test_env_free(&env);
}

static cf_user reg(const char *email)
{
	cf_register_req r = {email, "a long password", "Asha Rao", "+919876543210"};
	cf_user u;
	cf_error err = CF_ERROR_INIT;

	ck_assert_int_eq(cf_auth_register(env.app, &anon, &r, &u, &err), CF_OK);
	return u;
}

START_TEST(test_auth__register_assigns_ucfsin_and_lowercases_email)
{
	cf_user a = reg("Asha@Example.COM");
	cf_user b = reg("b@example.com");

	ck_assert_str_eq(a.email, "asha@example.com");
	ck_assert_int_eq(a.role, CF_ROLE_SUBSCRIBER);
	ck_assert(a.is_active);
	/* business year 2026, global sequence 1 then 2 */
	ck_assert_str_eq(a.ucfsin, "CF260000000182");
	ck_assert_int_eq(cf_ucfsin_validate(b.ucfsin, strlen(b.ucfsin)), CF_OK);
	ck_assert(strncmp(b.ucfsin, "CF2600000002", 12) == 0);
	ck_assert_int_eq(a.created_at_ms, CF_TEST_T0_MS);
	ck_assert_str_ne(a.id, b.id);
}
END_TEST

START_TEST(test_auth__register_duplicate_email_is_email_taken)
{
	cf_register_req r = {"ASHA@example.com", "a long password", "Asha", NULL};
	cf_user u;
	cf_error err = CF_ERROR_INIT;

	reg("asha@example.com");
	ck_assert_int_eq(cf_auth_register(env.app, &anon, &r, &u, &err), CF_EEXISTS);
	ck_assert_str_eq(err.slug, "email-taken");
	ck_assert_str_eq(err.field, "email");
}
END_TEST

START_TEST(test_auth__register_validation)
{
	struct {
		cf_register_req r;
		const char *field;
	} cases[] = {
	        {{"not-an-email", "a long password", "A", NULL}, "email"},
	        {{"a@b.co", "short", "A", NULL}, "password"},
	        {{"a@b.co", "a long password", "", NULL}, "full_name"},
	        {{"a@b.co", "a long password", "A", "12ab"}, "phone"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cf_user u;
		cf_error err = CF_ERROR_INIT;

		ck_assert_int_eq(cf_auth_register(env.app, &anon, &cases[i].r, &u, &err),
		                 CF_EINVALID);
		ck_assert_str_eq(err.slug, "validation-error");
		ck_assert_str_eq(err.field, cases[i].field);
	}
	ck_assert_int_eq(cf_memory_store_commits(env.store), 0);
}
END_TEST

START_TEST(test_auth__login_and_authenticate)
{
	cf_user u = reg("asha@example.com");
	cf_token_pair tp;
	cf_actor who;
	cf_error err = CF_ERROR_INIT;

	ck_assert_int_eq(
	        cf_auth_login(env.app, &anon, "ASHA@example.com", "a long password", &tp, &err),
	        CF_OK);
	ck_assert_str_eq(tp.token_type, "bearer");
	ck_assert_int_eq(tp.expires_in, 1800);
	ck_assert_int_eq(strlen(tp.refresh_token), 64);
	ck_assert_int_eq(cf_auth_authenticate(env.app, tp.access_token, strlen(tp.access_token),
	                                      "r2", "10.1.1.1", &who, &err),
	                 CF_OK);
	ck_assert_str_eq(who.user_id, u.id);
	ck_assert_int_eq(who.role, CF_ROLE_SUBSCRIBER);
	ck_assert_str_eq(who.request_id, "r2");
	/* expired after the TTL */
	cf_memory_clock_advance(env.clock, 1800 * 1000);
	ck_assert_int_eq(cf_auth_authenticate(env.app, tp.access_token, strlen(tp.access_token),
	                                      NULL, NULL, &who, &err),
	                 CF_EUNAUTHENTICATED);
	ck_assert_str_eq(err.slug, "unauthenticated");
}
END_TEST

START_TEST(test_auth__tampered_token_is_unauthenticated)
{
	cf_token_pair tp;
	cf_actor who;
	cf_error err = CF_ERROR_INIT;
	size_t n;

	reg("asha@example.com");
	ck_assert_int_eq(
	        cf_auth_login(env.app, &anon, "asha@example.com", "a long password", &tp, NULL),
	        CF_OK);
	n = strlen(tp.access_token);
	tp.access_token[7] = tp.access_token[7] == '0' ? '1' : '0';
	ck_assert_int_eq(cf_auth_authenticate(env.app, tp.access_token, n, NULL, NULL, &who, &err),
	                 CF_EUNAUTHENTICATED);
	ck_assert_int_eq(cf_auth_authenticate(env.app, "garbage", 7, NULL, NULL, &who, &err),
	                 CF_EUNAUTHENTICATED);
	ck_assert_str_eq(who.user_id, "");
}
END_TEST

START_TEST(test_auth__wrong_password_and_unknown_email_look_the_same)
{
	cf_token_pair tp;
	cf_error e1 = CF_ERROR_INIT, e2 = CF_ERROR_INIT;

	reg("asha@example.com");
	ck_assert_int_eq(
	        cf_auth_login(env.app, &anon, "asha@example.com", "wrong password!", &tp, &e1),
	        CF_EUNAUTHENTICATED);
	ck_assert_int_eq(
	        cf_auth_login(env.app, &anon, "nobody@example.com", "wrong password!", &tp, &e2),
	        CF_EUNAUTHENTICATED);
	ck_assert_str_eq(e1.slug, "invalid-credentials");
	ck_assert_str_eq(e1.slug, e2.slug);
	ck_assert_str_eq(e1.message, e2.message);
	ck_assert_str_eq(tp.access_token, "");
}
END_TEST

START_TEST(test_auth__account_budget_throttles_then_recovers)
{
	cf_token_pair tp;
	cf_error err = CF_ERROR_INIT;

	reg("asha@example.com");
	for (int i = 0; i < 5; i++) {
		cf_memory_clock_advance(env.clock, 1000);
		ck_assert_int_eq(cf_auth_login(env.app, &anon, "asha@example.com", "bad password",
		                               &tp, &err),
		                 CF_EUNAUTHENTICATED);
	}
	/* past the budget even the right password is refused, with retry-after */
	ck_assert_int_eq(
	        cf_auth_login(env.app, &anon, "asha@example.com", "a long password", &tp, &err),
	        CF_ERATELIMIT);
	ck_assert_str_eq(err.slug, "rate-limited");
	/* the first failure was 5 s after t0 and 5 s have passed since: 895 s left */
	ck_assert_int_eq(err.retry_after_s, 900 - 4);
	/* an unknown account is throttled the same way (no existence leak) */
	for (int i = 0; i < 5; i++)
		cf_auth_login(env.app, &anon, "ghost@example.com", "bad password", &tp, NULL);
	ck_assert_int_eq(
	        cf_auth_login(env.app, &anon, "ghost@example.com", "bad password", &tp, &err),
	        CF_ERATELIMIT);
	cf_memory_clock_advance(env.clock, 901 * 1000);
	ck_assert_int_eq(
	        cf_auth_login(env.app, &anon, "asha@example.com", "a long password", &tp, &err),
	        CF_OK);
}
END_TEST

START_TEST(test_auth__address_budget)
{
	cf_app_config cfg;
	cf_token_pair tp;
	cf_error err = CF_ERROR_INIT;
	cf_actor other;

	cf_test_env_free(&env);
	cf_app_config_init(&cfg);
	cfg.login_failures_per_address = 3;
	ck_assert_int_eq(cf_test_env_init(&env, &cfg), CF_OK);
	reg("asha@example.com");
	cf_auth_login(env.app, &anon, "x1@example.com", "bad password", &tp, NULL);
	cf_auth_login(env.app, &anon, "x2@example.com", "bad password", &tp, NULL);
	cf_auth_login(env.app, &anon, "x3@example.com", "bad password", &tp, NULL);
	ck_assert_int_eq(
	        cf_auth_login(env.app, &anon, "asha@example.com", "a long password", &tp, &err),
	        CF_ERATELIMIT);
	ck_assert_int_gt(err.retry_after_s, 0);
	cf_actor_anonymous(&other, "req", "198.51.100.1");
	ck_assert_int_eq(
	        cf_auth_login(env.app, &other, "asha@example.com", "a long password", &tp, &err),
	        CF_OK);
}
END_TEST

START_TEST(test_auth__disabled_account)
{
	cf_user u = reg("asha@example.com");
	cf_actor admin, who;
	cf_user_admin_update up = {false, CF_ROLE_NONE, true, false};
	cf_token_pair tp, tp2;
	cf_user out;
	cf_error err = CF_ERROR_INIT;

	ck_assert_int_eq(cf_test_make_user(&env, "root@example.com", CF_ROLE_ADMIN, &admin, NULL),
	                 CF_OK);
	ck_assert_int_eq(
	        cf_auth_login(env.app, &anon, "asha@example.com", "a long password", &tp, NULL),
	        CF_OK);
	ck_assert_int_eq(cf_users_update(env.app, &admin, u.id, &up, &out, &err), CF_OK);
	ck_assert(!out.is_active);
	ck_assert_int_eq(
	        cf_auth_login(env.app, &anon, "asha@example.com", "a long password", &tp2, &err),
	        CF_EFORBIDDEN);
	ck_assert_str_eq(err.slug, "account-disabled");
	ck_assert_int_eq(cf_auth_authenticate(env.app, tp.access_token, strlen(tp.access_token),
	                                      NULL, NULL, &who, &err),
	                 CF_EUNAUTHENTICATED);
	ck_assert_int_eq(cf_auth_refresh(env.app, &anon, tp.refresh_token, &tp2, &err),
	                 CF_EUNAUTHENTICATED);
	ck_assert_str_eq(err.slug, "invalid-refresh-token");
}
END_TEST

START_TEST(test_auth__refresh_rotates_and_reuse_revokes_family)
{
	cf_token_pair a, b, c;
	cf_error err = CF_ERROR_INIT;

	reg("asha@example.com");
	ck_assert_int_eq(
	        cf_auth_login(env.app, &anon, "asha@example.com", "a long password", &a, NULL),
	        CF_OK);
	ck_assert_int_eq(cf_auth_refresh(env.app, &anon, a.refresh_token, &b, &err), CF_OK);
	ck_assert_str_ne(a.refresh_token, b.refresh_token);
	/* reuse of the spent token: refused and the family (b too) revoked */
	ck_assert_int_eq(cf_auth_refresh(env.app, &anon, a.refresh_token, &c, &err),
	                 CF_EUNAUTHENTICATED);
	ck_assert_str_eq(err.slug, "invalid-refresh-token");
	ck_assert_int_eq(cf_auth_refresh(env.app, &anon, b.refresh_token, &c, &err),
	                 CF_EUNAUTHENTICATED);
	ck_assert_int_eq(cf_auth_refresh(env.app, &anon, "nothex", &c, &err), CF_EUNAUTHENTICATED);
}
END_TEST

START_TEST(test_auth__refresh_expires)
{
	cf_token_pair a, b;
	cf_error err = CF_ERROR_INIT;

	reg("asha@example.com");
	cf_auth_login(env.app, &anon, "asha@example.com", "a long password", &a, NULL);
	cf_memory_clock_advance(env.clock, INT64_C(14) * 86400 * 1000);
	ck_assert_int_eq(cf_auth_refresh(env.app, &anon, a.refresh_token, &b, &err),
	                 CF_EUNAUTHENTICATED);
}
END_TEST

START_TEST(test_auth__logout_revokes_family)
{
	cf_token_pair a, b;
	cf_actor who, other;
	cf_error err = CF_ERROR_INIT;

	reg("asha@example.com");
	cf_auth_login(env.app, &anon, "asha@example.com", "a long password", &a, NULL);
	ck_assert_int_eq(cf_auth_authenticate(env.app, a.access_token, strlen(a.access_token), NULL,
	                                      NULL, &who, NULL),
	                 CF_OK);
	/* someone else's logout with my token does nothing */
	ck_assert_int_eq(cf_test_make_user(&env, "o@example.com", CF_ROLE_SUBSCRIBER, &other, NULL),
	                 CF_OK);
	ck_assert_int_eq(cf_auth_logout(env.app, &other, a.refresh_token, &err), CF_OK);
	ck_assert_int_eq(cf_auth_refresh(env.app, &anon, a.refresh_token, &b, &err), CF_OK);
	ck_assert_int_eq(cf_auth_logout(env.app, &who, b.refresh_token, &err), CF_OK);
	ck_assert_int_eq(cf_auth_refresh(env.app, &anon, b.refresh_token, &a, &err),
	                 CF_EUNAUTHENTICATED);
	ck_assert_int_eq(cf_auth_logout(env.app, &anon, b.refresh_token, &err),
	                 CF_EUNAUTHENTICATED);
}
END_TEST

START_TEST(test_auth__change_password)
{
	cf_token_pair a, b;
	cf_actor who;
	cf_error err = CF_ERROR_INIT;

	reg("asha@example.com");
	cf_auth_login(env.app, &anon, "asha@example.com", "a long password", &a, NULL);
	cf_auth_authenticate(env.app, a.access_token, strlen(a.access_token), NULL, NULL, &who,
	                     NULL);
	ck_assert_int_eq(
	        cf_user_change_password(env.app, &who, "not it at all", "another long one", &err),
	        CF_EUNAUTHENTICATED);
	ck_assert_str_eq(err.field, "current_password");
	ck_assert_int_eq(cf_user_change_password(env.app, &who, "a long password", "short", &err),
	                 CF_EINVALID);
	ck_assert_str_eq(err.field, "new_password");
	ck_assert_int_eq(
	        cf_user_change_password(env.app, &who, "a long password", "another long one", &err),
	        CF_OK);
	ck_assert_int_eq(cf_auth_refresh(env.app, &anon, a.refresh_token, &b, &err),
	                 CF_EUNAUTHENTICATED);
	ck_assert_int_eq(
	        cf_auth_login(env.app, &anon, "asha@example.com", "a long password", &b, &err),
	        CF_EUNAUTHENTICATED);
	ck_assert_int_eq(
	        cf_auth_login(env.app, &anon, "asha@example.com", "another long one", &b, &err),
	        CF_OK);
}
END_TEST

START_TEST(test_auth__retry_is_bounded_and_never_escapes)
{
	cf_register_req r = {"asha@example.com", "a long password", "Asha", NULL};
	cf_user u;
	cf_error err = CF_ERROR_INIT;

	cf_memory_store_fail_commits(env.store, CF_ERETRY, 2);
	ck_assert_int_eq(cf_auth_register(env.app, &anon, &r, &u, &err), CF_OK);
	ck_assert_int_eq(cf_memory_store_commits(env.store), 1);
	cf_memory_store_fail_commits(env.store, CF_ERETRY, 100);
	r.email = "b@example.com";
	ck_assert_int_eq(cf_auth_register(env.app, &anon, &r, &u, &err), CF_ECONFLICT);
	ck_assert_str_eq(err.slug, "conflict");
	ck_assert_int_eq(cf_memory_store_commits(env.store), 1);
	/* a failed commit rolled everything back: the email is still free */
	cf_memory_store_fail_commits(env.store, CF_EUNAVAILABLE, 1);
	ck_assert_int_eq(cf_auth_register(env.app, &anon, &r, &u, &err), CF_EUNAVAILABLE);
	ck_assert_int_eq(cf_auth_register(env.app, &anon, &r, &u, &err), CF_OK);
}
END_TEST

START_TEST(test_auth__create_user_needs_admin)
{
	cf_user_create_req r = {"f@example.com", "a long password", "F", NULL, CF_ROLE_FOREMAN};
	cf_actor sub;
	cf_user u;
	cf_error err = CF_ERROR_INIT;

	ck_assert_int_eq(cf_test_make_user(&env, "s@example.com", CF_ROLE_SUBSCRIBER, &sub, NULL),
	                 CF_OK);
	ck_assert_int_eq(cf_users_create(env.app, &sub, &r, &u, &err), CF_EFORBIDDEN);
	ck_assert_int_eq(cf_users_create(env.app, &anon, &r, &u, &err), CF_EUNAUTHENTICATED);
	ck_assert_int_eq(cf_users_create(env.app, &env.system, &r, &u, &err), CF_OK);
	ck_assert_int_eq(u.role, CF_ROLE_FOREMAN);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("app_auth");
	TCase *tc = tcase_create("auth");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_auth__register_assigns_ucfsin_and_lowercases_email);
	tcase_add_test(tc, test_auth__register_duplicate_email_is_email_taken);
	tcase_add_test(tc, test_auth__register_validation);
	tcase_add_test(tc, test_auth__login_and_authenticate);
	tcase_add_test(tc, test_auth__tampered_token_is_unauthenticated);
	tcase_add_test(tc, test_auth__wrong_password_and_unknown_email_look_the_same);
	tcase_add_test(tc, test_auth__account_budget_throttles_then_recovers);
	tcase_add_test(tc, test_auth__address_budget);
	tcase_add_test(tc, test_auth__disabled_account);
	tcase_add_test(tc, test_auth__refresh_rotates_and_reuse_revokes_family);
	tcase_add_test(tc, test_auth__refresh_expires);
	tcase_add_test(tc, test_auth__logout_revokes_family);
	tcase_add_test(tc, test_auth__change_password);
	tcase_add_test(tc, test_auth__retry_is_bounded_and_never_escapes);
	tcase_add_test(tc, test_auth__create_user_needs_admin);
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
