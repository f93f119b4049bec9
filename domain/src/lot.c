/*
 * lot.c - the verifiable lot (lot.h). The text hashed is built in a stack
 * buffer sized for the largest lot (1000 candidates of at most 10 digits
 * plus commas), so nothing is allocated.
 */
#include "chitfund/domain/lot.h"

#include <string.h>

/* seed + uuid + 1000 x ("2147483647" + ',') */
#define LOT_TEXT_CAP (CF_LOT_HEX_LEN + CF_LOT_UUID_LEN + CF_LOT_MAX_CANDIDATES * 11 + 1)

static const char hexdigits[] = "0123456789abcdef";

void cf_lot_hex(const uint8_t digest[32], char out[CF_LOT_HEX_LEN + 1])
{
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hexdigits[digest[i] >> 4];
		out[2 * i + 1] = hexdigits[digest[i] & 0x0f];
	}
	out[CF_LOT_HEX_LEN] = '\0';
}

void cf_lot_seed_from_bytes(const uint8_t bytes[32], char out[CF_LOT_HEX_LEN + 1])
{
	cf_lot_hex(bytes, out);
}

static int is_lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int cf_lot_seed_valid(const char *s)
{
	if (s == NULL)
		return 0;
	for (int i = 0; i < CF_LOT_HEX_LEN; i++)
		if (!is_lower_hex(s[i]))
			return 0;
	return s[CF_LOT_HEX_LEN] == '\0';
}

int cf_lot_uuid_valid(const char *s)
{
	if (s == NULL)
		return 0;
	for (int i = 0; i < CF_LOT_UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!is_lower_hex(s[i])) {
			return 0;
		}
	}
	return s[CF_LOT_UUID_LEN] == '\0';
}

int cf_lot_commitment(const char *seed, cf_digest_fn sha256, char out[CF_LOT_HEX_LEN + 1])
{
	uint8_t digest[32];

	if (!cf_lot_seed_valid(seed) || sha256 == NULL || out == NULL)
		return CF_EINVALID;
	sha256(seed, CF_LOT_HEX_LEN, digest);
	cf_lot_hex(digest, out);
	return CF_OK;
}

/* Append the decimal text of v (> 0) at buf[*len]. */
static void append_uint(char *buf, size_t *len, uint32_t v)
{
	char tmp[10];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (n > 0)
		buf[(*len)++] = tmp[--n];
}

int cf_lot_digest(const char *seed, const char *auction_id, const int32_t *candidates, size_t count,
                  cf_digest_fn sha256, uint8_t out[32])
{
	char text[LOT_TEXT_CAP];
	size_t len = 0;

	if (!cf_lot_seed_valid(seed) || !cf_lot_uuid_valid(auction_id) || candidates == NULL ||
	    count == 0 || count > CF_LOT_MAX_CANDIDATES || sha256 == NULL || out == NULL)
		return CF_EINVALID;
	for (size_t i = 0; i < count; i++)
		if (candidates[i] <= 0 || (i > 0 && candidates[i] <= candidates[i - 1]))
			return CF_EINVALID;
	memcpy(text, seed, CF_LOT_HEX_LEN);
	len = CF_LOT_HEX_LEN;
	memcpy(text + len, auction_id, CF_LOT_UUID_LEN);
	len += CF_LOT_UUID_LEN;
	for (size_t i = 0; i < count; i++) {
		if (i > 0)
			text[len++] = ',';
		append_uint(text, &len, (uint32_t)candidates[i]);
	}
	sha256(text, len, out);
	return CF_OK;
}

size_t cf_lot_index(const uint8_t digest[32], size_t count)
{
	uint64_t v = 0;

	if (digest == NULL || count == 0)
		return 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | digest[i];
	return (size_t)(v % (uint64_t)count);
}

int cf_lot_draw(const char *seed, const char *auction_id, const int32_t *candidates, size_t count,
                cf_digest_fn sha256, cf_lot_proof *proof)
{
	uint8_t digest[32];
	int rc;

	if (proof == NULL)
		return CF_EINVALID;
	rc = cf_lot_digest(seed, auction_id, candidates, count, sha256, digest);
	if (rc < 0)
		return rc;
	if ((rc = cf_lot_commitment(seed, sha256, proof->commitment)) < 0)
		return rc;
	memcpy(proof->seed, seed, CF_LOT_HEX_LEN + 1);
	proof->index = cf_lot_index(digest, count);
	proof->winner = candidates[proof->index];
	return CF_OK;
}

int cf_lot_verify(const char *commitment, const char *seed, const char *auction_id,
                  const int32_t *candidates, size_t count, size_t index, cf_digest_fn sha256)
{
	cf_lot_proof proof;

	if (commitment == NULL ||
	    cf_lot_draw(seed, auction_id, candidates, count, sha256, &proof) < 0)
		return CF_EINVALID;
	if (strcmp(commitment, proof.commitment) != 0 || proof.index != index)
		return CF_EINVALID;
	return CF_OK;
}
