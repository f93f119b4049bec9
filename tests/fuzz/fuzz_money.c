/*
 * fuzz_money.c - libFuzzer harness for cf_money_parse / cf_money_format.
 *
 * Properties: parse never crashes and returns CF_OK, CF_EINVALID or
 * CF_EOVERFLOW; whatever parses formats (PLAIN and INDIAN) to text that
 * parses back to the same value; and every int64 (first 8 bytes) formats in
 * both styles within 32 bytes and round-trips.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/domain/money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const uint8_t *data, size_t size)
{
	fprintf(stderr, "fuzz_money: %s (input %zu bytes: %.*s)\n", what, size, (int)size,
	        (const char *)data);
	abort();
}

static void round_trip(cf_money m, const uint8_t *data, size_t size)
{
	static const cf_money_style styles[] = {CF_MONEY_PLAIN, CF_MONEY_INDIAN};
	for (size_t s = 0; s < 2; s++) {
		char buf[32];
		cf_money back = {0};
		if (cf_money_format(m, styles[s], buf, sizeof buf) != CF_OK)
			fail("format into 32 bytes failed", data, size);
		if (cf_money_parse(buf, strlen(buf), &back) != CF_OK)
			fail("formatted text does not parse", data, size);
		if (back.minor != m.minor) {
			fprintf(stderr, "%lld -> \"%s\" -> %lld\n", (long long)m.minor, buf,
			        (long long)back.minor);
			fail("round trip changed the value", data, size);
		}
		/* a short buffer is an error, never an overflow */
		char small[4];
		int rc = cf_money_format(m, styles[s], small, sizeof small);
		if (rc != CF_OK && rc != CF_EBUFFER)
			fail("format into a small buffer gave an odd code", data, size);
		if (rc == CF_OK && strlen(small) >= sizeof small)
			fail("format overran its buffer", data, size);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cf_money m = {0};
	/* exact-size heap copy so ASan sees any read past len */
	char *s = malloc(size ? size : 1);
	int rc;

	if (!s)
		return 0;
	memcpy(s, data, size);
	rc = cf_money_parse(s, size, &m);
	if (rc != CF_OK && rc != CF_EINVALID && rc != CF_EOVERFLOW)
		fail("parse returned an unexpected code", data, size);
	if (rc == CF_OK)
		round_trip(m, data, size);
	free(s);

	if (size >= 8) {
		uint64_t u = 0;
		for (int i = 0; i < 8; i++)
			u = u << 8 | data[i];
		round_trip(cf_money_of((int64_t)u), data, size);
	}
	return 0;
}
