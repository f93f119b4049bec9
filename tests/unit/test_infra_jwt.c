/*
 * test_infra_jwt.c - HS256 issue/verify and every refusal: expiry, nbf,
 * issuer, audience, tampering, wrong key, alg "none", HS512.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <jwt.h>

#include "cf_infra/crypto.h"
#include "cf_infra/jwt.h"

static const char KEY[] = "0123456789abcdef0123456789abcdef-test-key";
static const char KEY2[] = "fedcba9876543210fedcba9876543210-other-key";
#define NOW 1775000000 /* 2026-03-31 */

static cf_jwt_key key;

static void setup(void)
{
	ck_assert_int_eq(
	        cf_jwt_key_init(&key, KEY, strlen(KEY), "chitfund", "chitfund-api", 0, NULL),
	        CF_OK);
}

static void issue(const cf_jwt_key *k, int64_t iat, int64_t nbf, int64_t exp, char *out)
{
	cf_jwt_claims c;
	memset(&c, 0, sizeof c);
	memcpy(c.sub, "11111111-2222-4333-8444-555555555555", 37);
	memcpy(c.role, "admin", 6);
	c.iat = iat;
	c.nbf = nbf;
	c.exp = exp;
	ck_assert_int_eq(cf_jwt_issue(k, &c, out, 1024, NULL, NULL), CF_OK);
}

START_TEST(test_issue_and_verify)
{
	char tok[1024], jti[64];
	cf_jwt_claims c, out;
	cf_error err = CF_ERROR_INIT;
	memset(&c, 0, sizeof c);
	memcpy(c.sub, "user-1", 7);
	memcpy(c.role, "foreman", 8);
	c.iat = NOW;
	c.exp = NOW + 1800;
	ck_assert_int_eq(cf_jwt_issue(&key, &c, tok, sizeof tok, jti, &err), CF_OK);
	ck_assert_uint_eq(strlen(jti), 36);
	ck_assert_int_eq(cf_jwt_verify(&key, tok, strlen(tok), NOW + 10, &out, &err), CF_OK);
	ck_assert_str_eq(out.sub, "user-1");
	ck_assert_str_eq(out.role, "foreman");
	ck_assert_str_eq(out.iss, "chitfund");
	ck_assert_str_eq(out.aud, "chitfund-api");
	ck_assert_str_eq(out.jti, jti);
	ck_assert_int_eq(out.iat, NOW);
	ck_assert_int_eq(out.nbf, NOW);
	ck_assert_int_eq(out.exp, NOW + 1800);
	/* the token's header says HS256 */
	jwt_t *j = NULL;
	ck_assert_int_eq(jwt_decode(&j, tok, (const unsigned char *)KEY, (int)strlen(KEY)), 0);
	ck_assert_int_eq(jwt_get_alg(j), JWT_ALG_HS256);
	jwt_free(j);
	/* buffer too small */
	ck_assert_int_eq(cf_jwt_issue(&key, &c, tok, 20, NULL, NULL), CF_EBUFFER);
}
END_TEST

START_TEST(test_expired_and_not_yet_valid)
{
	char tok[1024];
	cf_jwt_claims out;
	cf_error err = CF_ERROR_INIT;
	issue(&key, NOW, NOW, NOW + 60, tok);
	ck_assert_int_eq(cf_jwt_verify(&key, tok, strlen(tok), NOW + 59, &out, NULL), CF_OK);
	ck_assert_int_eq(cf_jwt_verify(&key, tok, strlen(tok), NOW + 60, &out, &err),
	                 CF_EUNAUTHENTICATED);
	ck_assert_str_eq(err.message, "token expired");
	ck_assert_str_eq(out.sub, ""); /* nothing leaks out of a refused token */
	/* nbf in the future */
	issue(&key, NOW, NOW + 100, NOW + 600, tok);
	ck_assert_int_eq(cf_jwt_verify(&key, tok, strlen(tok), NOW + 50, &out, &err),
	                 CF_EUNAUTHENTICATED);
	ck_assert_str_eq(err.message, "token not yet valid");
	ck_assert_int_eq(cf_jwt_verify(&key, tok, strlen(tok), NOW + 100, &out, NULL), CF_OK);
	/* leeway */
	cf_jwt_key lk;
	ck_assert_int_eq(
	        cf_jwt_key_init(&lk, KEY, strlen(KEY), "chitfund", "chitfund-api", 30, NULL),
	        CF_OK);
	ck_assert_int_eq(cf_jwt_verify(&lk, tok, strlen(tok), NOW + 75, &out, NULL), CF_OK);
	ck_assert_int_eq(cf_jwt_key_init(&lk, KEY, strlen(KEY), "x", "y", 31, NULL), CF_EINVALID);
	ck_assert_int_eq(cf_jwt_key_init(&lk, "short", 5, "x", "y", 0, NULL), CF_EINVALID);
}
END_TEST

START_TEST(test_wrong_issuer_or_audience)
{
	char tok[1024];
	cf_jwt_claims out;
	cf_jwt_key other;
	ck_assert_int_eq(
	        cf_jwt_key_init(&other, KEY, strlen(KEY), "someone-else", "chitfund-api", 0, NULL),
	        CF_OK);
	issue(&other, NOW, NOW, NOW + 600, tok);
	ck_assert_int_eq(cf_jwt_verify(&key, tok, strlen(tok), NOW, &out, NULL),
	                 CF_EUNAUTHENTICATED);
	ck_assert_int_eq(
	        cf_jwt_key_init(&other, KEY, strlen(KEY), "chitfund", "other-api", 0, NULL), CF_OK);
	issue(&other, NOW, NOW, NOW + 600, tok);
	ck_assert_int_eq(cf_jwt_verify(&key, tok, strlen(tok), NOW, &out, NULL),
	                 CF_EUNAUTHENTICATED);
	/* signature-only decode does not look at iss/aud/time */
	ck_assert_int_eq(cf_jwt_decode_verified(&key, tok, strlen(tok), &out, NULL), CF_OK);
	ck_assert_str_eq(out.aud, "other-api");
}
END_TEST

START_TEST(test_tampered_and_wrong_key)
{
	char tok[1024], forged[2048], pl[512], b64[700];
	cf_jwt_claims out;
	cf_jwt_key k2;
	issue(&key, NOW, NOW, NOW + 600, tok);
	/* payload replaced with one claiming another role, signature kept */
	const char *d1 = strchr(tok, '.'), *d2 = strchr(d1 + 1, '.');
	snprintf(pl, sizeof pl,
	         "{\"sub\":\"11111111-2222-4333-8444-555555555555\",\"role\":\"superuser\","
	         "\"iss\":\"chitfund\",\"aud\":\"chitfund-api\",\"iat\":%d,\"nbf\":%d,\"exp\":%d}",
	         NOW, NOW, NOW + 600);
	cf_base64url_encode(pl, strlen(pl), b64, sizeof b64);
	snprintf(forged, sizeof forged, "%.*s.%s%s", (int)(d1 - tok), tok, b64, d2);
	ck_assert_int_eq(cf_jwt_verify(&key, forged, strlen(forged), NOW, &out, NULL),
	                 CF_EUNAUTHENTICATED);
	/* one signature character flipped */
	size_t n = strlen(tok);
	memcpy(forged, tok, n + 1);
	forged[n - 2] = forged[n - 2] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(cf_jwt_verify(&key, forged, n, NOW, &out, NULL), CF_EUNAUTHENTICATED);
	/* signed with another key */
	ck_assert_int_eq(
	        cf_jwt_key_init(&k2, KEY2, strlen(KEY2), "chitfund", "chitfund-api", 0, NULL),
	        CF_OK);
	issue(&k2, NOW, NOW, NOW + 600, forged);
	ck_assert_int_eq(cf_jwt_verify(&key, forged, strlen(forged), NOW, &out, NULL),
	                 CF_EUNAUTHENTICATED);
	/* garbage */
	const char *junk[] = {"",
	                      "a",
	                      "a.b",
	                      "a.b.c",
	                      "a.b.c.d",
	                      "..",
	                      "eyJhbGciOiJIUzI1NiJ9..",
	                      "not a token at all"};
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
		ck_assert_int_eq(cf_jwt_verify(&key, junk[i], strlen(junk[i]), NOW, &out, NULL),
		                 CF_EUNAUTHENTICATED);
	/* length is honoured: a valid token with trailing bytes outside len still verifies */
	memcpy(forged, tok, n);
	memcpy(forged + n, "XYZ", 4);
	ck_assert_int_eq(cf_jwt_verify(&key, forged, n, NOW, &out, NULL), CF_OK);
	ck_assert_int_eq(cf_jwt_verify(&key, forged, n + 3, NOW, &out, NULL), CF_EUNAUTHENTICATED);
}
END_TEST

START_TEST(test_alg_none_refused)
{
	char hdr[128], pl[512], tok[1200];
	cf_jwt_claims out;
	const char *h = "{\"alg\":\"none\",\"typ\":\"JWT\"}";
	char p[256];
	snprintf(p, sizeof p,
	         "{\"sub\":\"user-1\",\"role\":\"admin\",\"iss\":\"chitfund\",\"aud\":\"chitfund-"
	         "api\","
	         "\"iat\":%d,\"nbf\":%d,\"exp\":%d}",
	         NOW, NOW, NOW + 600);
	cf_base64url_encode(h, strlen(h), hdr, sizeof hdr);
	cf_base64url_encode(p, strlen(p), pl, sizeof pl);
	/* unsigned (empty signature) */
	snprintf(tok, sizeof tok, "%s.%s.", hdr, pl);
	ck_assert_int_eq(cf_jwt_verify(&key, tok, strlen(tok), NOW, &out, NULL),
	                 CF_EUNAUTHENTICATED);
	/* "none" with a valid HS256 signature over it: still refused */
	uint8_t mac[32];
	char sig[64], signing[1024];
	snprintf(signing, sizeof signing, "%s.%s", hdr, pl);
	cf_hmac_sha256(KEY, strlen(KEY), signing, strlen(signing), mac);
	cf_base64url_encode(mac, 32, sig, sizeof sig);
	snprintf(tok, sizeof tok, "%s.%s", signing, sig);
	ck_assert_int_eq(cf_jwt_verify(&key, tok, strlen(tok), NOW, &out, NULL),
	                 CF_EUNAUTHENTICATED);
	/* "None", "HS256 " and a missing alg */
	const char *hs[] = {"{\"alg\":\"None\"}", "{\"alg\":\"hs256\"}", "{\"typ\":\"JWT\"}",
	                    "{\"alg\":[\"HS256\"]}"};
	for (int i = 0; i < 4; i++) {
		cf_base64url_encode(hs[i], strlen(hs[i]), hdr, sizeof hdr);
		snprintf(signing, sizeof signing, "%s.%s", hdr, pl);
		cf_hmac_sha256(KEY, strlen(KEY), signing, strlen(signing), mac);
		cf_base64url_encode(mac, 32, sig, sizeof sig);
		snprintf(tok, sizeof tok, "%s.%s", signing, sig);
		ck_assert_int_eq(cf_jwt_verify(&key, tok, strlen(tok), NOW, &out, NULL),
		                 CF_EUNAUTHENTICATED);
	}
	/* control: the same construction with alg HS256 is accepted (the test can fail) */
	const char *ok = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
	cf_base64url_encode(ok, strlen(ok), hdr, sizeof hdr);
	snprintf(signing, sizeof signing, "%s.%s", hdr, pl);
	cf_hmac_sha256(KEY, strlen(KEY), signing, strlen(signing), mac);
	cf_base64url_encode(mac, 32, sig, sizeof sig);
	snprintf(tok, sizeof tok, "%s.%s", signing, sig);
	ck_assert_int_eq(cf_jwt_verify(&key, tok, strlen(tok), NOW, &out, NULL), CF_OK);
	ck_assert_str_eq(out.sub, "user-1");
}
END_TEST

START_TEST(test_hs512_refused)
{
	jwt_t *j = NULL;
	char *enc;
	cf_jwt_claims out;
	ck_assert_int_eq(jwt_new(&j), 0);
	jwt_add_grant(j, "sub", "user-1");
	jwt_add_grant(j, "iss", "chitfund");
	jwt_add_grant(j, "aud", "chitfund-api");
	jwt_add_grant_int(j, "exp", NOW + 600);
	ck_assert_int_eq(
	        jwt_set_alg(j, JWT_ALG_HS512, (const unsigned char *)KEY, (int)strlen(KEY)), 0);
	enc = jwt_encode_str(j);
	ck_assert_ptr_nonnull(enc);
	ck_assert_int_eq(cf_jwt_verify(&key, enc, strlen(enc), NOW, &out, NULL),
	                 CF_EUNAUTHENTICATED);
	free(enc);
	jwt_free(j);
}
END_TEST

START_TEST(test_claim_types_strict)
{
	char hdr[128], pl[512], tok[1200], sig[64], signing[1024];
	uint8_t mac[32];
	cf_jwt_claims out;
	const char *h = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
	const char *p = "{\"sub\":\"u\",\"iss\":\"chitfund\",\"aud\":\"chitfund-api\",\"exp\":"
	                "\"9999999999\"}";
	cf_base64url_encode(h, strlen(h), hdr, sizeof hdr);
	cf_base64url_encode(p, strlen(p), pl, sizeof pl);
	snprintf(signing, sizeof signing, "%s.%s", hdr, pl);
	cf_hmac_sha256(KEY, strlen(KEY), signing, strlen(signing), mac);
	cf_base64url_encode(mac, 32, sig, sizeof sig);
	snprintf(tok, sizeof tok, "%s.%s", signing, sig);
	ck_assert_int_eq(cf_jwt_verify(&key, tok, strlen(tok), NOW, &out, NULL),
	                 CF_EUNAUTHENTICATED);
	/* no exp at all: refused by verify */
	p = "{\"sub\":\"u\",\"iss\":\"chitfund\",\"aud\":\"chitfund-api\"}";
	cf_base64url_encode(p, strlen(p), pl, sizeof pl);
	snprintf(signing, sizeof signing, "%s.%s", hdr, pl);
	cf_hmac_sha256(KEY, strlen(KEY), signing, strlen(signing), mac);
	cf_base64url_encode(mac, 32, sig, sizeof sig);
	snprintf(tok, sizeof tok, "%s.%s", signing, sig);
	ck_assert_int_eq(cf_jwt_verify(&key, tok, strlen(tok), NOW, &out, NULL),
	                 CF_EUNAUTHENTICATED);
	ck_assert_int_eq(cf_jwt_decode_verified(&key, tok, strlen(tok), &out, NULL), CF_OK);
	ck_assert_int_eq(out.exp, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("infra_jwt");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_issue_and_verify);
	tcase_add_test(tc, test_expired_and_not_yet_valid);
	tcase_add_test(tc, test_wrong_issuer_or_audience);
	tcase_add_test(tc, test_tampered_and_wrong_key);
	tcase_add_test(tc, test_alg_none_refused);
	tcase_add_test(tc, test_hs512_refused);
	tcase_add_test(tc, test_claim_types_strict);
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
