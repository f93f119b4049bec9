/*
 * test_lot.c - the verifiable lot (lot.h) against domain.md's golden
 * vectors, and the test SHA-256 against FIPS 180-2 example vectors.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cf_sha256_ref.h"
#include "chitfund/domain/lot.h"

static const char *SEED = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char *AUCTION = "123e4567-e89b-12d3-a456-426614174000";

static void hex_of(const char *s, size_t len, char out[65])
{
	uint8_t d[32];
	cf_test_sha256(s, len, d);
	cf_lot_hex(d, out);
}

START_TEST(test_lot__sha256_reference_vectors)
{
	char hex[65];
	static char million[1000000];

	hex_of("", 0, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of("abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(million, 'a', sizeof million);
	hex_of(million, sizeof million, hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

START_TEST(test_lot__golden_commitment)
{
	char c[65];
	ck_assert_int_eq(cf_lot_commitment(SEED, cf_test_sha256, c), CF_OK);
	ck_assert_str_eq(c, "6c86c6aac5fb24bcf5d9939cb7d7d5645ce39418f449e03b262dd4fa14b4b92b");
}
END_TEST

START_TEST(test_lot__golden_digest_and_index)
{
	const int32_t cands[] = {3, 7, 12};
	uint8_t d[32];
	char hex[65];
	cf_lot_proof proof;

	ck_assert_int_eq(cf_lot_digest(SEED, AUCTION, cands, 3, cf_test_sha256, d), CF_OK);
	cf_lot_hex(d, hex);
	ck_assert_str_eq(hex, "6cbd3d66111f71baa525c1d6663f6448129c309ae8cca0209db1d152f9d58221");
	ck_assert_uint_eq(cf_lot_index(d, 3), 0);
	ck_assert_int_eq(cf_lot_draw(SEED, AUCTION, cands, 3, cf_test_sha256, &proof), CF_OK);
	ck_assert_uint_eq(proof.index, 0);
	ck_assert_int_eq(proof.winner, 3);
	ck_assert_str_eq(proof.seed, SEED);
	ck_assert_str_eq(proof.commitment,
	                 "6c86c6aac5fb24bcf5d9939cb7d7d5645ce39418f449e03b262dd4fa14b4b92b");
}
END_TEST

START_TEST(test_lot__golden_five_candidates)
{
	const int32_t cands[] = {2, 5, 9, 11, 17};
	cf_lot_proof proof;

	ck_assert_int_eq(cf_lot_draw(SEED, AUCTION, cands, 5, cf_test_sha256, &proof), CF_OK);
	ck_assert_uint_eq(proof.index, 4);
	ck_assert_int_eq(proof.winner, 17);
	ck_assert_int_eq(
	        cf_lot_verify(proof.commitment, SEED, AUCTION, cands, 5, 4, cf_test_sha256), CF_OK);
}
END_TEST

START_TEST(test_lot__verify_rejects_tampering)
{
	const int32_t cands[] = {2, 5, 9, 11, 17};
	const char *commit = "6c86c6aac5fb24bcf5d9939cb7d7d5645ce39418f449e03b262dd4fa14b4b92b";
	const char *bad_commit = "7c86c6aac5fb24bcf5d9939cb7d7d5645ce39418f449e03b262dd4fa14b4b92b";

	ck_assert_int_eq(cf_lot_verify(commit, SEED, AUCTION, cands, 5, 4, cf_test_sha256), CF_OK);
	ck_assert_int_eq(cf_lot_verify(commit, SEED, AUCTION, cands, 5, 3, cf_test_sha256),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_lot_verify(bad_commit, SEED, AUCTION, cands, 5, 4, cf_test_sha256),
	                 CF_EINVALID);
}
END_TEST

START_TEST(test_lot__seed_from_bytes)
{
	uint8_t bytes[32];
	char seed[65];

	for (int i = 0; i < 32; i++)
		bytes[i] = (uint8_t)i;
	cf_lot_seed_from_bytes(bytes, seed);
	ck_assert_str_eq(seed, SEED);
	ck_assert(cf_lot_seed_valid(seed));
	bytes[0] = 0xAB;
	cf_lot_seed_from_bytes(bytes, seed);
	ck_assert_int_eq(seed[0], 'a');
	ck_assert_int_eq(seed[1], 'b');
}
END_TEST

START_TEST(test_lot__rejects_malformed_inputs)
{
	const int32_t cands[] = {3, 7, 12};
	const int32_t unsorted[] = {7, 3, 12};
	const int32_t dup[] = {3, 3, 12};
	const int32_t zero[] = {0, 3};
	uint8_t d[32];
	char c[65];
	const char *upper = "000102030405060708090A0B0C0D0E0F101112131415161718191a1b1c1d1e1f";

	ck_assert_int_eq(cf_lot_commitment(upper, cf_test_sha256, c), CF_EINVALID);
	ck_assert_int_eq(cf_lot_commitment("00", cf_test_sha256, c), CF_EINVALID);
	ck_assert_int_eq(cf_lot_commitment(SEED, NULL, c), CF_EINVALID);
	ck_assert_int_eq(cf_lot_digest(SEED, "123E4567-e89b-12d3-a456-426614174000", cands, 3,
	                               cf_test_sha256, d),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_lot_digest(SEED, "123e4567e89b-12d3-a456-426614174000-", cands, 3,
	                               cf_test_sha256, d),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_lot_digest(SEED, AUCTION, unsorted, 3, cf_test_sha256, d), CF_EINVALID);
	ck_assert_int_eq(cf_lot_digest(SEED, AUCTION, dup, 3, cf_test_sha256, d), CF_EINVALID);
	ck_assert_int_eq(cf_lot_digest(SEED, AUCTION, zero, 2, cf_test_sha256, d), CF_EINVALID);
	ck_assert_int_eq(cf_lot_digest(SEED, AUCTION, cands, 0, cf_test_sha256, d), CF_EINVALID);
	ck_assert_int_eq(
	        cf_lot_digest(SEED, AUCTION, cands, CF_LOT_MAX_CANDIDATES + 1, cf_test_sha256, d),
	        CF_EINVALID);
}
END_TEST

START_TEST(test_lot__index_is_big_endian_mod_count)
{
	uint8_t d[32] = {0};

	d[7] = 10; /* value 10 */
	ck_assert_uint_eq(cf_lot_index(d, 3), 1);
	ck_assert_uint_eq(cf_lot_index(d, 10), 0);
	d[0] = 0xff; /* 0xff00000000000000 + 10; 2^64 - 2^56 + 10 */
	d[7] = 0x0a;
	ck_assert_uint_eq(cf_lot_index(d, 7), (size_t)(0xff0000000000000aULL % 7ULL));
	ck_assert_uint_eq(cf_lot_index(d, 1), 0);
}
END_TEST

START_TEST(test_lot__largest_lot_fits)
{
	static int32_t cands[CF_LOT_MAX_CANDIDATES];
	cf_lot_proof proof;

	for (int i = 0; i < CF_LOT_MAX_CANDIDATES; i++)
		cands[i] = 2147483647 - CF_LOT_MAX_CANDIDATES + i + 1;
	ck_assert_int_eq(
	        cf_lot_draw(SEED, AUCTION, cands, CF_LOT_MAX_CANDIDATES, cf_test_sha256, &proof),
	        CF_OK);
	ck_assert_uint_lt(proof.index, CF_LOT_MAX_CANDIDATES);
	ck_assert_int_eq(proof.winner, cands[proof.index]);
}
END_TEST

static Suite *lot_suite(void)
{
	Suite *s = suite_create("lot");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_lot__sha256_reference_vectors);
	tcase_add_test(tc, test_lot__golden_commitment);
	tcase_add_test(tc, test_lot__golden_digest_and_index);
	tcase_add_test(tc, test_lot__golden_five_candidates);
	tcase_add_test(tc, test_lot__verify_rejects_tampering);
	tcase_add_test(tc, test_lot__seed_from_bytes);
	tcase_add_test(tc, test_lot__rejects_malformed_inputs);
	tcase_add_test(tc, test_lot__index_is_big_endian_mod_count);
	tcase_add_test(tc, test_lot__largest_lot_fits);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(lot_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
