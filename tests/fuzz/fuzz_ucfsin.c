/*
 * fuzz_ucfsin.c - libFuzzer harness for cf_ucfsin_validate / parse / make.
 *
 * Properties: validate and parse agree with each other and with an
 * independent check of ucfsin.h's rule (14 chars, "CF", digits, sequence
 * 1..99999999, ISO 7064 MOD 97-10 with canonical check digits 02..98); a valid UCFSIN is exactly
 * what cf_ucfsin_make gives for its parsed year and sequence.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/domain/ucfsin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_ucfsin: %s\n", what);
	abort();
}

static int oracle(const char *s, size_t len)
{
	uint64_t d = 0;
	int64_t seq = 0;

	if (len != CF_UCFSIN_LEN || s[0] != 'C' || s[1] != 'F')
		return 0;
	for (size_t i = 2; i < CF_UCFSIN_LEN; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	for (size_t i = 2; i < 12; i++)
		d = d * 10 + (uint64_t)(s[i] - '0');
	for (size_t i = 4; i < 12; i++)
		seq = seq * 10 + (s[i] - '0');
	if (seq == 0)
		return 0;
	/* the canonical check digits (02..98); (D * 100 + check) mod 97 == 1 then
	 * holds, and the aliases 00, 01 and 99 it would also allow are refused */
	return (uint64_t)((s[12] - '0') * 10 + (s[13] - '0')) == 98 - (d * 100) % 97;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);
	int32_t year = -1;
	int64_t seq = -1;
	int v, p, want;

	if (!s)
		return 0;
	memcpy(s, data, size);
	v = cf_ucfsin_validate(s, size);
	p = cf_ucfsin_parse(s, size, &year, &seq);
	want = oracle(s, size);
	if ((v == CF_OK) != want || (p == CF_OK) != want)
		fail("validate/parse disagree with the MOD 97-10 rule");
	if ((v != CF_OK && v != CF_EINVALID) || (p != CF_OK && p != CF_EINVALID))
		fail("unexpected return code");
	if (p == CF_OK) {
		char out[15];
		if (year < 0 || year > 99 || seq < 1 || seq > CF_UCFSIN_SEQ_MAX)
			fail("parsed fields out of range");
		if (cf_ucfsin_make(year, seq, out) != CF_OK || memcmp(out, s, 14) != 0 ||
		    out[14] != '\0')
			fail("make(parse(s)) != s");
	} else if (year != -1 || seq != -1) {
		fail("parse touched its outputs on failure");
	}
	free(s);

	/* make with arbitrary inputs: in range -> valid text, else refused */
	if (size >= 12) {
		int32_t y = (int32_t)((uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
		                      (uint32_t)data[2] << 8 | data[3]);
		uint64_t u = 0;
		char out[15];
		for (int i = 4; i < 12; i++)
			u = u << 8 | data[i];
		int64_t q = (int64_t)u;
		int rc = cf_ucfsin_make(y, q, out);
		int ok = y >= 0 && y <= 99 && q >= 1 && q <= CF_UCFSIN_SEQ_MAX;
		if ((rc == CF_OK) != ok)
			fail("make accepted/refused the wrong inputs");
		if (rc == CF_OK && (strlen(out) != 14 || cf_ucfsin_validate(out, 14) != CF_OK))
			fail("make produced an invalid UCFSIN");
	}
	return 0;
}
