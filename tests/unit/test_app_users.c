/* test_app_users.c - profiles, personal data, admin user management, audit log. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_sha256_ref.h"
#include "cf_test_app.h"

static cf_test_env env;
static cf_actor admin, foreman, auditor, sub;
static cf_user sub_u;

static void setup(void)
{
	ck_assert_int_eq(cf_test_env_init(&env, NULL), CF_OK);
	ck_assert_int_eq(cf_test_make_user(&env, "admin@x.in", CF_ROLE_ADMIN, &admin, NULL), 0);
	ck_assert_int_eq(cf_test_make_user(&env, "f@x.in", CF_ROLE_FOREMAN, &foreman, NULL), 0);
	ck_assert_int_eq(cf_test_make_user(&env, "au@x.in", CF_ROLE_AUDITOR, &auditor, NULL), 0);
	ck_assert_int_eq(cf_test_make_user(&env, "s@x.in", CF_ROLE_SUBSCRIBER, &sub, &sub_u), 0);
}

static void teardown(void)
{
	cf_test_env_free(&env);
}

START_TEST(test_pii__validators)
{
	char out[32];

	ck_assert_int_eq(cf_pan_normalize("abcpe1234f", out, sizeof out), CF_OK);
	ck_assert_str_eq(out, "ABCPE1234F");
	ck_assert_int_eq(cf_pan_normalize("ABCXE1234F", out, sizeof out), CF_EINVALID);
	ck_assert_int_eq(cf_pan_normalize("ABCPE12345", out, sizeof out), CF_EINVALID);
	ck_assert(cf_verhoeff_valid("2363", 4));
	ck_assert(!cf_verhoeff_valid("2364", 4));
	ck_assert_int_eq(cf_aadhaar_normalize("2341 2341 2346", out, sizeof out), CF_OK);
	ck_assert_str_eq(out, "234123412346");
	ck_assert_int_eq(cf_aadhaar_normalize("234123412345", out, sizeof out), CF_EINVALID);
	ck_assert_int_eq(cf_aadhaar_normalize("134123412346", out, sizeof out), CF_EINVALID);
	ck_assert_int_eq(cf_aadhaar_normalize("2341  23412346", out, sizeof out), CF_EINVALID);
	ck_assert_int_eq(cf_bank_account_normalize("12345678", out, sizeof out), CF_EINVALID);
	ck_assert_int_eq(cf_bank_account_normalize("001234567890", out, sizeof out), CF_OK);
	ck_assert_int_eq(cf_ifsc_normalize("sbin0001234", out, sizeof out), CF_OK);
	ck_assert_str_eq(out, "SBIN0001234");
	ck_assert_int_eq(cf_ifsc_normalize("SBIN1001234", out, sizeof out), CF_EINVALID);
	ck_assert_int_eq(cf_mask_tail4("ABCPE1234F", out, sizeof out), CF_OK);
	ck_assert_str_eq(out, "XXXXXX234F");
}
END_TEST

START_TEST(test_users__update_me_encrypts_and_masks)
{
	cf_profile_update u;
	cf_user me;
	cf_user_row row;
	cf_tx *tx;
	char plain[CF_SEALED_PLAIN_MAX];
	char aad[80];
	size_t n = 0;
	cf_error err = CF_ERROR_INIT;

	memset(&u, 0, sizeof u);
	u.full_name = "Asha Rao";
	u.pan = "abcpe1234f";
	u.aadhaar = "2341 2341 2346";
	u.bank_account = "001234567890";
	u.bank_ifsc = "sbin0001234";
	u.address = "12 MG Road";
	ck_assert_int_eq(cf_user_update_me(env.app, &sub, &u, &me, &err), CF_OK);
	ck_assert_str_eq(me.full_name, "Asha Rao");
	ck_assert_str_eq(me.pan_masked, "XXXXXX234F");
	ck_assert_str_eq(me.aadhaar_masked, "XXXXXXXX2346");
	ck_assert_str_eq(me.bank_account_masked, "XXXXXXXX7890");
	ck_assert_str_eq(me.bank_ifsc, "SBIN0001234");
	ck_assert_int_eq(me.row_version, 2);
	/* stored encrypted, bound to the row and field */
	ck_assert_int_eq(env.ports.uow.begin(env.ports.uow.self, &tx), CF_OK);
	ck_assert_int_eq(env.ports.users.get(env.ports.users.self, tx, sub_u.id, &row), CF_OK);
	env.ports.uow.rollback(env.ports.uow.self, tx);
	ck_assert_int_gt(row.pan.sealed.len, 10);
	ck_assert(memmem(row.pan.sealed.data, row.pan.sealed.len, "ABCPE1234F", 10) == NULL);
	snprintf(aad, sizeof aad, "%s:pan", sub_u.id);
	ck_assert_int_eq(env.ports.cipher.decrypt(NULL, aad, strlen(aad), &row.pan.sealed, plain,
	                                          sizeof plain, &n),
	                 CF_OK);
	ck_assert_int_eq(n, 10);
	ck_assert(memcmp(plain, "ABCPE1234F", 10) == 0);
	snprintf(aad, sizeof aad, "%s:aadhaar", sub_u.id);
	ck_assert_int_ne(env.ports.cipher.decrypt(NULL, aad, strlen(aad), &row.pan.sealed, plain,
	                                          sizeof plain, &n),
	                 CF_OK);
	/* clearing */
	memset(&u, 0, sizeof u);
	u.pan = "";
	ck_assert_int_eq(cf_user_update_me(env.app, &sub, &u, &me, &err), CF_OK);
	ck_assert_str_eq(me.pan_masked, "");
	ck_assert_str_eq(me.aadhaar_masked, "XXXXXXXX2346");
	ck_assert_int_eq(cf_user_get_me(env.app, &sub, &me, &err), CF_OK);
	ck_assert_str_eq(me.address, "12 MG Road");
}
END_TEST

START_TEST(test_users__update_me_refusals)
{
	cf_profile_update u;
	cf_user me;
	cf_actor anon;
	cf_error err = CF_ERROR_INIT;

	memset(&u, 0, sizeof u);
	u.aadhaar = "234123412345";
	ck_assert_int_eq(cf_user_update_me(env.app, &sub, &u, &me, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "aadhaar");
	memset(&u, 0, sizeof u);
	u.pan = "ABCDE12345";
	ck_assert_int_eq(cf_user_update_me(env.app, &sub, &u, &me, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "pan");
	memset(&u, 0, sizeof u);
	u.full_name = "";
	ck_assert_int_eq(cf_user_update_me(env.app, &sub, &u, &me, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "full_name");
	cf_actor_anonymous(&anon, NULL, NULL);
	ck_assert_int_eq(cf_user_get_me(env.app, &anon, &me, &err), CF_EUNAUTHENTICATED);
}
END_TEST

START_TEST(test_users__admin_list_get_update)
{
	cf_users_query q;
	cf_user_page page;
	cf_user u;
	cf_user_admin_update up = {true, CF_ROLE_AGENT, false, false};
	cf_error err = CF_ERROR_INIT;
	char cur[CF_CURSOR_SIZE];

	memset(&q, 0, sizeof q);
	ck_assert_int_eq(cf_users_list(env.app, &sub, &q, &page, &err), CF_EFORBIDDEN);
	ck_assert_int_eq(cf_users_list(env.app, &auditor, &q, &page, &err), CF_OK);
	ck_assert_int_eq(page.users.count, 4);
	ck_assert_str_eq(page.users.items[0].email, "admin@x.in");
	cf_user_page_free(&page);
	q.limit = 3;
	ck_assert_int_eq(cf_users_list(env.app, &foreman, &q, &page, &err), CF_OK);
	ck_assert_int_eq(page.users.count, 3);
	memcpy(cur, page.next_cursor, sizeof cur);
	cf_user_page_free(&page);
	q.cursor = cur;
	ck_assert_int_eq(cf_users_list(env.app, &foreman, &q, &page, &err), CF_OK);
	ck_assert_int_eq(page.users.count, 1);
	ck_assert_str_eq(page.users.items[0].id, sub_u.id);
	ck_assert_str_eq(page.next_cursor, "");
	cf_user_page_free(&page);
	memset(&q, 0, sizeof q);
	q.ucfsin = "CF260000000499"; /* wrong check digits */
	ck_assert_int_eq(cf_users_list(env.app, &admin, &q, &page, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "ucfsin");
	q.ucfsin = sub_u.ucfsin;
	ck_assert_int_eq(cf_users_list(env.app, &admin, &q, &page, &err), CF_OK);
	ck_assert_int_eq(page.users.count, 1);
	cf_user_page_free(&page);
	q.ucfsin = NULL;
	q.role = CF_ROLE_FOREMAN;
	ck_assert_int_eq(cf_users_list(env.app, &admin, &q, &page, &err), CF_OK);
	ck_assert_int_eq(page.users.count, 1);
	cf_user_page_free(&page);
	ck_assert_int_eq(cf_users_get(env.app, &sub, sub_u.id, &u, &err), CF_EFORBIDDEN);
	ck_assert_int_eq(cf_users_get(env.app, &foreman, sub_u.id, &u, &err), CF_OK);
	ck_assert_int_eq(cf_users_get(env.app, &foreman, "nope", &u, &err), CF_ENOTFOUND);
	ck_assert_int_eq(cf_users_update(env.app, &foreman, sub_u.id, &up, &u, &err),
	                 CF_EFORBIDDEN);
	ck_assert_int_eq(cf_users_update(env.app, &admin, sub_u.id, &up, &u, &err), CF_OK);
	ck_assert_int_eq(u.role, CF_ROLE_AGENT);
	up.role = CF_ROLE_SYSTEM;
	ck_assert_int_eq(cf_users_update(env.app, &admin, sub_u.id, &up, &u, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "role");
}
END_TEST

/* The documented chain rule, recomputed with an independent SHA-256. */
static void expected_hash(const cf_audit_entry *e, char hex[65])
{
	char buf[4096];
	uint8_t d[32];
	int n = snprintf(buf, sizeof buf, "%s:", e->prev_hash);
	char num[32];
	const char *f[10];

	snprintf(num, sizeof num, "%lld", (long long)e->seq);
	n += snprintf(buf + n, sizeof buf - (size_t)n, "%zu:%s;", strlen(num), num);
	snprintf(num, sizeof num, "%lld", (long long)e->at_ms);
	n += snprintf(buf + n, sizeof buf - (size_t)n, "%zu:%s;", strlen(num), num);
	f[0] = e->actor_id, f[1] = e->actor_role, f[2] = e->action, f[3] = e->entity;
	f[4] = e->entity_id, f[5] = e->summary, f[6] = e->request_id, f[7] = e->client_addr;
	for (int i = 0; i < 8; i++)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "%zu:%s;", strlen(f[i]), f[i]);
	cf_test_sha256(buf, (size_t)n, d);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

START_TEST(test_audit__entries_chain_and_list)
{
	cf_audit_query q;
	cf_audit_page page;
	cf_audit_verify_result vr;
	cf_profile_update u;
	cf_user me;
	cf_error err = CF_ERROR_INIT;
	char h[65];

	memset(&u, 0, sizeof u);
	u.pan = "ABCPE1234F";
	ck_assert_int_eq(cf_user_update_me(env.app, &sub, &u, &me, &err), CF_OK);
	memset(&q, 0, sizeof q);
	ck_assert_int_eq(cf_audit_list(env.app, &sub, &q, &page, &err), CF_EFORBIDDEN);
	ck_assert_int_eq(cf_audit_list(env.app, &foreman, &q, &page, &err), CF_EFORBIDDEN);
	ck_assert_int_eq(cf_audit_list(env.app, &auditor, &q, &page, &err), CF_OK);
	ck_assert_int_eq(page.entries.count, 5); /* 4 user.create + 1 update */
	ck_assert_str_eq(page.entries.items[0].prev_hash,
	                 "0000000000000000000000000000000000000000000000000000000000000000");
	for (size_t i = 0; i < page.entries.count; i++) {
		ck_assert_int_eq(page.entries.items[i].seq, (int64_t)i + 1);
		expected_hash(&page.entries.items[i], h);
		ck_assert_str_eq(page.entries.items[i].hash, h);
		if (i > 0)
			ck_assert_str_eq(page.entries.items[i].prev_hash,
			                 page.entries.items[i - 1].hash);
	}
	{
		const cf_audit_entry *e = &page.entries.items[4];
		ck_assert_str_eq(e->action, "user.update_profile");
		ck_assert_str_eq(e->entity, "user");
		ck_assert_str_eq(e->entity_id, sub_u.id);
		ck_assert_str_eq(e->actor_id, sub_u.id);
		ck_assert_str_eq(e->actor_role, "subscriber");
		ck_assert_str_eq(e->request_id, "req-test");
		ck_assert_str_eq(e->client_addr, "10.0.0.1");
		ck_assert(strstr(e->summary, "XXXXXX234F") != NULL);
		ck_assert(strstr(e->summary, "ABCPE1234F") == NULL); /* no secrets */
	}
	cf_audit_page_free(&page);
	q.entity = "user";
	q.entity_id = sub_u.id;
	q.limit = 1;
	ck_assert_int_eq(cf_audit_list(env.app, &admin, &q, &page, &err), CF_OK);
	ck_assert_int_eq(page.entries.count, 1);
	ck_assert_int_eq(page.entries.items[0].seq, 4);
	ck_assert_str_ne(page.next_cursor, "");
	{
		char cur[CF_CURSOR_SIZE];
		memcpy(cur, page.next_cursor, sizeof cur);
		cf_audit_page_free(&page);
		q.cursor = cur;
		ck_assert_int_eq(cf_audit_list(env.app, &admin, &q, &page, &err), CF_OK);
		ck_assert_int_eq(page.entries.count, 1);
		ck_assert_int_eq(page.entries.items[0].seq, 5);
		cf_audit_page_free(&page);
	}
	ck_assert_int_eq(cf_audit_verify(env.app, &auditor, &vr, &err), CF_OK);
	ck_assert(vr.ok);
	ck_assert_int_eq(vr.rows_checked, 5);
	ck_assert_int_eq(cf_audit_verify(env.app, &sub, &vr, &err), CF_EFORBIDDEN);
}
END_TEST

START_TEST(test_audit__verify_names_first_broken_row)
{
	cf_audit_verify_result vr;
	cf_audit_entry e;
	cf_tx *tx;
	int64_t last;
	char head[65];
	cf_error err = CF_ERROR_INIT;

	/* append a row whose hash does not match its content, then a good one */
	ck_assert_int_eq(env.ports.uow.begin(env.ports.uow.self, &tx), CF_OK);
	env.ports.audit.lock_head(env.ports.audit.self, tx, &last, head);
	memset(&e, 0, sizeof e);
	e.seq = last + 1;
	memcpy(e.prev_hash, head, 65);
	snprintf(e.action, sizeof e.action, "forged");
	memset(e.hash, 'a', 64);
	ck_assert_int_eq(env.ports.audit.insert(env.ports.audit.self, tx, &e), CF_OK);
	ck_assert_int_eq(env.ports.uow.commit(env.ports.uow.self, tx), CF_OK);
	ck_assert_int_eq(cf_audit_verify(env.app, &admin, &vr, &err), CF_OK);
	ck_assert(!vr.ok);
	ck_assert_int_eq(vr.first_broken_seq, 5);
	ck_assert_str_eq(vr.reason, "hash mismatch");
	ck_assert_int_eq(vr.rows_checked, 5);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("app_users");
	TCase *tc = tcase_create("users");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_pii__validators);
	tcase_add_test(tc, test_users__update_me_encrypts_and_masks);
	tcase_add_test(tc, test_users__update_me_refusals);
	tcase_add_test(tc, test_users__admin_list_get_update);
	tcase_add_test(tc, test_audit__entries_chain_and_list);
	tcase_add_test(tc, test_audit__verify_names_first_broken_row);
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
