/*
 * fuzz_lot.c - libFuzzer harness for cf_lot_verify (and the lot helpers it
 * relies on) on untrusted proof text.
 *
 * Input: lines "commitment\nseed\nauction_id\ncandidates\nindex", the
 * candidates a comma list of integers (up to 1100 of them, so the 1000
 * limit is crossed) and index a decimal size_t. Properties: no crash or UB
 * on any text; CF_OK only when the seed and auction id are well formed,
 * the commitment is SHA-256(seed) and cf_lot_draw gives the same index.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#include "chitfund/domain/lot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_CAND 1100

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_lot: %s\n", what);
	abort();
}

static void sha256_fn(const void *data, size_t len, uint8_t out[32])
{
	SHA256(data, len, out);
}

/* Next '\n'-separated field as a fresh NUL-terminated heap string. */
static char *field(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nl = memchr(*p, '\n', (size_t)(end - *p));
	size_t n = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, *p, n);
	s[n] = '\0';
	*p = nl ? nl + 1 : end;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	char *commit = field(&p, end), *seed = field(&p, end), *id = field(&p, end);
	char *cands = field(&p, end), *idx = field(&p, end);
	int32_t c[MAX_CAND];
	size_t count = 0, index = 0;
	int rc;

	/* candidates: a loose comma list; values wrap into int32 on purpose */
	for (char *q = cands; *q && count < MAX_CAND;) {
		int64_t v = 0;
		int neg = *q == '-';
		if (neg)
			q++;
		while (*q >= '0' && *q <= '9') {
			v = (v * 10 + (*q - '0')) % ((int64_t)1 << 33);
			q++;
		}
		c[count++] = (int32_t)(uint32_t)(uint64_t)(neg ? -v : v);
		while (*q && *q != ',')
			q++;
		if (*q == ',')
			q++;
	}
	for (char *q = idx; *q >= '0' && *q <= '9'; q++)
		index = index * 10 + (size_t)(*q - '0');

	rc = cf_lot_verify(commit, seed, id, count ? c : NULL, count, index, sha256_fn);
	if (rc != CF_OK && rc != CF_EINVALID)
		fail("verify returned an unexpected code");
	if (rc == CF_OK) {
		cf_lot_proof proof;
		char want[CF_LOT_HEX_LEN + 1];
		if (!cf_lot_seed_valid(seed) || !cf_lot_uuid_valid(id))
			fail("verify accepted a malformed seed or auction id");
		if (cf_lot_commitment(seed, sha256_fn, want) != CF_OK || strcmp(want, commit) != 0)
			fail("verify accepted a commitment that is not SHA-256(seed)");
		if (count == 0 || count > CF_LOT_MAX_CANDIDATES)
			fail("verify accepted a bad candidate count");
		for (size_t i = 0; i < count; i++)
			if (c[i] <= 0 || (i && c[i] <= c[i - 1]))
				fail("verify accepted unsorted or non-positive candidates");
		if (cf_lot_draw(seed, id, c, count, sha256_fn, &proof) != CF_OK ||
		    proof.index != index || proof.winner != c[index])
			fail("verify accepted an index the draw does not give");
	}
	/* the helpers on the same text: no crash, and consistent */
	if (cf_lot_seed_valid(seed)) {
		char out[CF_LOT_HEX_LEN + 1];
		if (strlen(seed) != CF_LOT_HEX_LEN ||
		    cf_lot_commitment(seed, sha256_fn, out) != CF_OK)
			fail("valid seed but no commitment");
	}
	if (cf_lot_uuid_valid(id) && strlen(id) != CF_LOT_UUID_LEN)
		fail("uuid_valid accepted a wrong length");
	if (count) {
		uint8_t dg[32];
		int drc = cf_lot_digest(seed, id, c, count, sha256_fn, dg);
		if (drc == CF_OK && cf_lot_index(dg, count) >= count)
			fail("index out of range");
	}
	free(commit);
	free(seed);
	free(id);
	free(cands);
	free(idx);
	return 0;
}
