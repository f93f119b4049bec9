/*
 * test_infra_system.c - the production service ports (adapters/system):
 * signer round trip and refusal, the verified-token memo, cipher round trip / wrong aad / unknown
 * key id, hasher, digest, CHITFUND_TEST_NOW clock, configuration refusals.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/adapters/system.h"

static const char SECRET[] = "q8Zr1mVw3nX0pL5kT7yB2cD4fG6hJ9aS-system";
static const char DATA_KEY[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

static cf_system *make(const char *env, const char *test_now)
{
	cf_system_config sc;
	cf_system *s = NULL;
	cf_error err = CF_ERROR_INIT;
	memset(&sc, 0, sizeof sc);
	sc.env = env;
	sc.secret_key = SECRET;
	sc.data_key = DATA_KEY;
	sc.data_key_id = "k7";
	sc.test_now = test_now;
	ck_assert_msg(cf_system_new(&s, &sc, &err) == CF_OK, "%s", err.message);
	return s;
}

/* Claims for user 1111... with role and jti, valid from 100 to 200. */
static void claims(cf_token_claims *c, const char *role, const char *jti)
{
	memset(c, 0, sizeof *c);
	snprintf(c->sub, sizeof c->sub, "11111111-2222-4333-8444-555555555555");
	snprintf(c->role, sizeof c->role, "%s", role);
	snprintf(c->jti, sizeof c->jti, "%s", jti);
	snprintf(c->iss, sizeof c->iss, "chitfund");
	c->iat = 100;
	c->nbf = 100;
	c->exp = 200;
}

/* The verified-token memo: a repeat is answered from memory with the same
 * claims; a near miss (one byte changed anywhere, a prefix, a longer token)
 * is verified in full and refused; eviction keeps working past capacity. */
START_TEST(test_signer_memo)
{
	cf_system *s = make("test", NULL);
	cf_ports p;
	char tok[CF_ACCESS_TOKEN_SIZE], bad[CF_ACCESS_TOKEN_SIZE + 8], other[CF_ACCESS_TOKEN_SIZE];
	cf_token_claims c, out;
	size_t n;

	memset(&p, 0, sizeof p);
	cf_system_ports(s, &p);
	claims(&c, "foreman", "bbbbbbbb-2222-4333-8444-555555555555");
	ck_assert_int_eq(p.signer.issue(p.signer.self, &c, tok, sizeof tok), CF_OK);
	n = strlen(tok);
	for (int i = 0; i < 3; i++) {
		memset(&out, 0x5a, sizeof out);
		ck_assert_int_eq(p.signer.verify(p.signer.self, tok, n, &out), CF_OK);
		ck_assert_str_eq(out.sub, c.sub);
		ck_assert_str_eq(out.role, "foreman");
		ck_assert_int_eq(out.exp, 200);
	}
	for (size_t at = 0; at < n; at += 7) { /* one byte changed: header, payload, signature */
		memcpy(bad, tok, n + 1);
		bad[at] = bad[at] == 'A' ? 'B' : 'A';
		ck_assert_int_eq(p.signer.verify(p.signer.self, bad, n, &out), CF_EUNAUTHENTICATED);
	}
	ck_assert_int_eq(p.signer.verify(p.signer.self, tok, n - 1, &out), CF_EUNAUTHENTICATED);
	memcpy(bad, tok, n);
	memcpy(bad + n, "AAAA", 5);
	ck_assert_int_eq(p.signer.verify(p.signer.self, bad, n + 4, &out), CF_EUNAUTHENTICATED);
	/* past capacity (1024 slots): the first is evicted or kept, and verifies either way */
	for (int i = 0; i < 1500; i++) {
		snprintf(c.jti, sizeof c.jti, "cccccccc-2222-4333-8444-%012d", i);
		ck_assert_int_eq(p.signer.issue(p.signer.self, &c, other, sizeof other), CF_OK);
		ck_assert_int_eq(p.signer.verify(p.signer.self, other, strlen(other), &out), CF_OK);
		ck_assert_str_eq(out.jti, c.jti);
	}
	ck_assert_int_eq(p.signer.verify(p.signer.self, tok, n, &out), CF_OK);
	ck_assert_str_eq(out.jti, "bbbbbbbb-2222-4333-8444-555555555555");
	cf_system_free(s);
}
END_TEST

START_TEST(test_signer_and_cipher)
{
	cf_system *s = make("test", NULL);
	cf_ports p;
	char tok[CF_ACCESS_TOKEN_SIZE];
	cf_token_claims c, out;
	cf_sealed sealed;
	char plain[CF_SEALED_PLAIN_MAX];
	size_t n = 0;
	memset(&p, 0, sizeof p);
	cf_system_ports(s, &p);
	claims(&c, "agent", "aaaaaaaa-2222-4333-8444-555555555555");
	ck_assert_int_eq(p.signer.issue(p.signer.self, &c, tok, sizeof tok), CF_OK);
	ck_assert_int_eq(p.signer.verify(p.signer.self, tok, strlen(tok), &out), CF_OK);
	ck_assert_str_eq(out.sub, c.sub);
	ck_assert_str_eq(out.role, "agent");
	ck_assert_str_eq(out.jti, c.jti);
	ck_assert_str_eq(out.iss, "chitfund");
	ck_assert_int_eq(out.exp, 200); /* expiry is the core's business */
	tok[strlen(tok) - 1] ^= 1;
	ck_assert_int_eq(p.signer.verify(p.signer.self, tok, strlen(tok), &out),
	                 CF_EUNAUTHENTICATED);

	ck_assert_int_eq(p.cipher.encrypt(p.cipher.self, "u1:pan", 6, "ABCDE1234F", 10, &sealed),
	                 CF_OK);
	ck_assert_str_eq(sealed.key_id, "k7");
	ck_assert_uint_eq(sealed.len, 10 + 28);
	ck_assert_int_eq(
	        p.cipher.decrypt(p.cipher.self, "u1:pan", 6, &sealed, plain, sizeof plain, &n),
	        CF_OK);
	ck_assert_uint_eq(n, 10);
	ck_assert(memcmp(plain, "ABCDE1234F", 10) == 0);
	ck_assert_int_eq(
	        p.cipher.decrypt(p.cipher.self, "u2:pan", 6, &sealed, plain, sizeof plain, &n),
	        CF_ERROR);
	memcpy(sealed.key_id, "k8", 3);
	ck_assert_int_eq(
	        p.cipher.decrypt(p.cipher.self, "u1:pan", 6, &sealed, plain, sizeof plain, &n),
	        CF_ENOTFOUND);
	ck_assert_int_eq(p.cipher.encrypt(p.cipher.self, "a", 1, plain, 0, &sealed), CF_EINVALID);
	ck_assert_int_eq(
	        p.cipher.encrypt(p.cipher.self, "a", 1, plain, CF_SEALED_PLAIN_MAX + 1, &sealed),
	        CF_EINVALID);
	cf_system_free(s);
}
END_TEST

START_TEST(test_hasher_digest_rng_clock)
{
	cf_system *s = make("test", "2026-04-01T10:00:00Z");
	cf_ports p;
	char h[CF_PASSWORD_HASH_SIZE];
	bool ok = false, re = true;
	uint8_t md[32], r1[16], r2[16];
	memset(&p, 0, sizeof p);
	cf_system_ports(s, &p);
	ck_assert_int_eq(p.hasher.hash(p.hasher.self, "hunter2-hunter2", h, sizeof h), CF_OK);
	ck_assert(strncmp(h, "$y$", 3) == 0);
	ck_assert_int_eq(p.hasher.verify(p.hasher.self, "hunter2-hunter2", h, &ok), CF_OK);
	ck_assert(ok);
	ck_assert_int_eq(p.hasher.verify(p.hasher.self, "hunter3-hunter2", h, &ok), CF_OK);
	ck_assert(!ok);
	ck_assert_int_eq(p.hasher.needs_rehash(p.hasher.self, h, &re), CF_OK);
	ck_assert(!re);
	ck_assert_int_eq(p.digest.sha256(p.digest.self, "abc", 3, md), CF_OK);
	ck_assert_uint_eq(md[0], 0xba);
	ck_assert_uint_eq(md[31], 0xad);
	ck_assert_int_eq(p.rng.fill(p.rng.self, r1, sizeof r1), CF_OK);
	ck_assert_int_eq(p.rng.fill(p.rng.self, r2, sizeof r2), CF_OK);
	ck_assert(memcmp(r1, r2, sizeof r1) != 0);
	int64_t now = p.clock.now_ms(p.clock.self);
	ck_assert_int_ge(now, 1775037600000LL);
	ck_assert_int_lt(now, 1775037600000LL + 60000);
	cf_system_free(s);
	/* outside test the instant is ignored: wall clock */
	s = make("development", "2026-04-01T10:00:00Z");
	cf_system_ports(s, &p);
	ck_assert_int_gt(p.clock.now_ms(p.clock.self), 1600000000000LL);
	cf_system_free(s);
}
END_TEST

START_TEST(test_config_refusals)
{
	cf_system_config sc;
	cf_system *s = NULL;
	cf_error err = CF_ERROR_INIT;
	memset(&sc, 0, sizeof sc);
	sc.secret_key = "changeme";
	sc.data_key = DATA_KEY;
	ck_assert_int_eq(cf_system_new(&s, &sc, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "SECRET_KEY");
	ck_assert_ptr_null(s);
	sc.secret_key = SECRET;
	sc.data_key = NULL;
	ck_assert_int_eq(cf_system_new(&s, &sc, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "CHITFUND_DATA_KEY");
	sc.data_key = "not-a-key";
	ck_assert_int_eq(cf_system_new(&s, &sc, &err), CF_EINVALID);
	sc.data_key = DATA_KEY;
	sc.password_cost = 1; /* cheap hashing only in test */
	ck_assert_int_eq(cf_system_new(&s, &sc, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "CHITFUND_PASSWORD_COST");
	sc.password_cost = 0;
	sc.env = "test";
	sc.test_now = "tomorrow";
	ck_assert_int_eq(cf_system_new(&s, &sc, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "CHITFUND_TEST_NOW");
	sc.test_now = NULL;
	sc.env = "staging";
	ck_assert_int_eq(cf_system_new(&s, &sc, &err), CF_EINVALID);
	/* development: a weak secret is replaced, no data key is fine */
	sc.env = "development";
	sc.secret_key = NULL;
	sc.data_key = NULL;
	ck_assert_int_eq(cf_system_new(&s, &sc, &err), CF_OK);
	cf_system_free(s);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("infra_system");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_signer_and_cipher);
	tcase_add_test(tc, test_signer_memo);
	tcase_add_test(tc, test_hasher_digest_rng_clock);
	tcase_add_test(tc, test_config_refusals);
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
