/*
 * test_infra_crypto.c - SHA-256 / HMAC known answers (FIPS 180-2, RFC 4231),
 * hex and base64url, UUID v4, AES-256-GCM round trip and tamper detection.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cf_infra/crypto.h"
#include "chitfund/domain/errcode.h"

static void hex_of(const uint8_t *d, size_t n, char *out)
{
	ck_assert_int_eq(cf_hex_encode(d, n, out, 2 * n + 1), CF_OK);
}

START_TEST(test_sha256_vectors)
{
	uint8_t md[32];
	char hex[65];
	ck_assert_int_eq(cf_sha256("abc", 3, md), CF_OK);
	hex_of(md, 32, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ck_assert_int_eq(cf_sha256("", 0, md), CF_OK);
	hex_of(md, 32, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	const char *m2 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	ck_assert_int_eq(cf_sha256(m2, strlen(m2), md), CF_OK);
	hex_of(md, 32, hex);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(test_hmac_rfc4231)
{
	uint8_t key[131], md[32];
	char hex[65];
	/* test case 1 */
	memset(key, 0x0b, 20);
	ck_assert_int_eq(cf_hmac_sha256(key, 20, "Hi There", 8, md), CF_OK);
	hex_of(md, 32, hex);
	ck_assert_str_eq(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	/* test case 2 */
	const char *d2 = "what do ya want for nothing?";
	ck_assert_int_eq(cf_hmac_sha256("Jefe", 4, d2, strlen(d2), md), CF_OK);
	hex_of(md, 32, hex);
	ck_assert_str_eq(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	/* test case 6: key longer than the block size */
	memset(key, 0xaa, 131);
	const char *d6 = "Test Using Larger Than Block-Size Key - Hash Key First";
	ck_assert_int_eq(cf_hmac_sha256(key, 131, d6, strlen(d6), md), CF_OK);
	hex_of(md, 32, hex);
	ck_assert_str_eq(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
END_TEST

START_TEST(test_hex_and_base64url)
{
	uint8_t buf[64];
	size_t n = 0;
	char txt[64];
	ck_assert_int_eq(cf_hex_decode("00ffA1", buf, sizeof buf, &n), CF_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(buf[1], 0xff);
	ck_assert_uint_eq(buf[2], 0xa1);
	ck_assert_int_eq(cf_hex_decode("0g", buf, sizeof buf, &n), CF_EINVALID);
	ck_assert_int_eq(cf_hex_decode("abc", buf, sizeof buf, &n), CF_EINVALID);
	ck_assert_int_eq(cf_hex_decode("abcd", buf, 1, &n), CF_EBUFFER);
	/* RFC 4648 vectors, url alphabet, no padding */
	const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	const char *want[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
	for (int i = 0; i < 7; i++) {
		ck_assert_int_eq(cf_base64url_encode(in[i], strlen(in[i]), txt, sizeof txt), CF_OK);
		ck_assert_str_eq(txt, want[i]);
		ck_assert_uint_eq(cf_base64url_len(strlen(in[i])), strlen(want[i]));
		ck_assert_int_eq(cf_base64url_decode(want[i], strlen(want[i]), buf, sizeof buf, &n),
		                 CF_OK);
		ck_assert_uint_eq(n, strlen(in[i]));
		ck_assert(memcmp(buf, in[i], n) == 0);
	}
	uint8_t b[3] = {0xfb, 0xff, 0xfe};
	ck_assert_int_eq(cf_base64url_encode(b, 3, txt, sizeof txt), CF_OK);
	ck_assert_str_eq(txt, "-__-");
	ck_assert_int_eq(cf_base64url_decode("+//+", 4, buf, sizeof buf, &n), CF_EINVALID);
	ck_assert_int_eq(cf_base64_decode("+//+", 4, buf, sizeof buf, &n), CF_OK);
	ck_assert_int_eq(cf_base64url_decode("Zm9vYg==", 8, buf, sizeof buf, &n), CF_OK);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(cf_base64url_decode("Zh", 2, buf, sizeof buf, &n), CF_EINVALID);
	ck_assert_int_eq(cf_base64url_decode("Z", 1, buf, sizeof buf, &n), CF_EINVALID);
	ck_assert_int_eq(cf_base64url_encode("foo", 3, txt, 4), CF_EBUFFER);
}
END_TEST

START_TEST(test_ct_equal_and_uuid)
{
	char a[CF_UUID_TEXT_SIZE], b[CF_UUID_TEXT_SIZE];
	ck_assert(cf_ct_equal("abc", "abc", 3));
	ck_assert(!cf_ct_equal("abc", "abd", 3));
	ck_assert_int_eq(cf_uuid_v4(a, sizeof a), CF_OK);
	ck_assert_int_eq(cf_uuid_v4(b, sizeof b), CF_OK);
	ck_assert_uint_eq(strlen(a), 36);
	ck_assert_str_ne(a, b);
	ck_assert(a[8] == '-' && a[13] == '-' && a[18] == '-' && a[23] == '-');
	ck_assert(a[14] == '4');
	ck_assert(strchr("89ab", a[19]) != NULL);
	for (int i = 0; i < 36; i++)
		ck_assert(a[i] == '-' || (a[i] >= '0' && a[i] <= '9') ||
		          (a[i] >= 'a' && a[i] <= 'f'));
	ck_assert_int_eq(cf_uuid_v4(a, 36), CF_EBUFFER);
}
END_TEST

START_TEST(test_gcm_round_trip_and_tamper)
{
	uint8_t key[32], key2[32], sealed[128], sealed2[128], plain[128];
	size_t sl = 0, sl2 = 0, pl = 0;
	const char *msg = "ABCDE1234F";
	const char *aad = "user-1:pan";
	memset(key, 7, sizeof key);
	memset(key2, 8, sizeof key2);
	ck_assert_int_eq(
	        cf_gcm_seal(key, aad, strlen(aad), msg, strlen(msg), sealed, sizeof sealed, &sl),
	        CF_OK);
	ck_assert_uint_eq(sl, strlen(msg) + CF_GCM_OVERHEAD);
	/* fresh nonce each time */
	ck_assert_int_eq(
	        cf_gcm_seal(key, aad, strlen(aad), msg, strlen(msg), sealed2, sizeof sealed2, &sl2),
	        CF_OK);
	ck_assert(memcmp(sealed, sealed2, sl) != 0);
	ck_assert_int_eq(cf_gcm_open(key, aad, strlen(aad), sealed, sl, plain, sizeof plain, &pl),
	                 CF_OK);
	ck_assert_uint_eq(pl, strlen(msg));
	ck_assert(memcmp(plain, msg, pl) == 0);
	/* the plaintext does not appear in the sealed bytes */
	ck_assert(memmem(sealed, sl, msg, strlen(msg)) == NULL);
	/* wrong key */
	ck_assert_int_eq(cf_gcm_open(key2, aad, strlen(aad), sealed, sl, plain, sizeof plain, &pl),
	                 CF_ERROR);
	/* wrong associated data (blob moved to another row/field) */
	ck_assert_int_eq(cf_gcm_open(key, "user-2:pan", 10, sealed, sl, plain, sizeof plain, &pl),
	                 CF_ERROR);
	/* tampering anywhere: nonce, ciphertext, tag */
	size_t where[] = {0, CF_GCM_NONCE_LEN + 1, sl - 1};
	for (int i = 0; i < 3; i++) {
		sealed[where[i]] ^= 1;
		ck_assert_int_eq(
		        cf_gcm_open(key, aad, strlen(aad), sealed, sl, plain, sizeof plain, &pl),
		        CF_ERROR);
		sealed[where[i]] ^= 1;
	}
	/* truncated */
	ck_assert_int_eq(cf_gcm_open(key, aad, strlen(aad), sealed, CF_GCM_OVERHEAD - 1, plain,
	                             sizeof plain, &pl),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_gcm_open(key, aad, strlen(aad), sealed, sl, plain, 3, &pl), CF_EBUFFER);
	ck_assert_int_eq(cf_gcm_seal(key, NULL, 0, msg, strlen(msg), sealed, 10, &sl), CF_EBUFFER);
	/* no aad, empty plaintext */
	ck_assert_int_eq(cf_gcm_seal(key, NULL, 0, "", 0, sealed, sizeof sealed, &sl), CF_OK);
	ck_assert_uint_eq(sl, CF_GCM_OVERHEAD);
	ck_assert_int_eq(cf_gcm_open(key, NULL, 0, sealed, sl, plain, sizeof plain, &pl), CF_OK);
	ck_assert_uint_eq(pl, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("infra_crypto");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_sha256_vectors);
	tcase_add_test(tc, test_hmac_rfc4231);
	tcase_add_test(tc, test_hex_and_base64url);
	tcase_add_test(tc, test_ct_equal_and_uuid);
	tcase_add_test(tc, test_gcm_round_trip_and_tamper);
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
