/*
 * fuzz_codec.c - libFuzzer harness for the infrastructure text decoders:
 * cf_hex_decode, cf_base64url_decode and cf_base64_decode.
 *
 * Properties: no crash or overrun on any text (out buffers are exactly the
 * size the decoder asks for); whatever decodes re-encodes to the canonical
 * form of the input (hex: same text lower-cased; base64url: same text
 * without '=' padding), so there is one accepted spelling per value.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_infra/crypto.h"
#include "chitfund/domain/errcode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_codec: %s\n", what);
	abort();
}

static void check_hex(const char *s, size_t size)
{
	size_t n = strlen(s), got = 0;
	uint8_t *out = malloc(n / 2 + 1);
	int rc;

	if (!out)
		abort();
	rc = cf_hex_decode(s, out, n / 2, &got);
	if (rc == CF_OK) {
		char *enc = malloc(2 * got + 1);
		if (!enc)
			abort();
		if (got != n / 2 || cf_hex_encode(out, got, enc, 2 * got + 1) != CF_OK)
			fail("hex re-encode failed");
		for (size_t i = 0; i < n; i++)
			if (enc[i] != (char)tolower((unsigned char)s[i]))
				fail("hex decode accepted a non-canonical spelling");
		free(enc);
	} else if (rc != CF_EINVALID && rc != CF_EBUFFER) {
		fail("hex decode returned an unexpected code");
	}
	/* a too-small buffer is refused, never overrun */
	if (n >= 4) {
		rc = cf_hex_decode(s, out, n / 2 - 1, &got);
		if (rc == CF_OK)
			fail("hex decode wrote past cap");
	}
	(void)size;
	free(out);
}

static void check_b64(const uint8_t *data, size_t size, int url)
{
	/* exact-size copy: the decoders take (text, len) without a NUL */
	char *t = malloc(size ? size : 1);
	size_t cap = size / 4 * 3 + 3, got = 0;
	uint8_t *out = malloc(cap);
	int rc;

	if (!t || !out)
		abort();
	memcpy(t, data, size);
	rc = url ? cf_base64url_decode(t, size, out, cap, &got)
	         : cf_base64_decode(t, size, out, cap, &got);
	if (rc == CF_OK) {
		size_t stripped = size;
		size_t elen = cf_base64url_len(got);
		char *enc = malloc(elen + 1);
		if (!enc)
			abort();
		while (stripped && t[stripped - 1] == '=')
			stripped--;
		if (cf_base64url_encode(out, got, enc, elen + 1) != CF_OK)
			fail("base64url re-encode failed");
		if (!url)
			for (size_t i = 0; i < elen; i++)
				enc[i] = enc[i] == '-' ? '+' : enc[i] == '_' ? '/' : enc[i];
		if (elen != stripped || memcmp(enc, t, elen) != 0)
			fail("base64 decode accepted a non-canonical spelling");
		if (size != stripped && (size % 4 != 0 || size - stripped > 2))
			fail("base64 decode accepted bad padding");
		free(enc);
		/* the exact size works, one less is refused */
		if (got > 0) {
			uint8_t *exact = malloc(got);
			size_t g2 = 0;
			if (!exact)
				abort();
			rc = url ? cf_base64url_decode(t, size, exact, got, &g2)
			         : cf_base64_decode(t, size, exact, got, &g2);
			if (rc != CF_OK || g2 != got || memcmp(exact, out, got) != 0)
				fail("decode into an exact buffer differs");
			rc = url ? cf_base64url_decode(t, size, exact, got - 1, &g2)
			         : cf_base64_decode(t, size, exact, got - 1, &g2);
			if (rc == CF_OK)
				fail("decode wrote past cap");
			free(exact);
		}
	} else if (rc != CF_EINVALID && rc != CF_EBUFFER) {
		fail("base64 decode returned an unexpected code");
	}
	free(out);
	free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	check_hex(s, size);
	free(s);
	check_b64(data, size, 1);
	check_b64(data, size, 0);
	return 0;
}
