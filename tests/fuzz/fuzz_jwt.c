/*
 * fuzz_jwt.c - libFuzzer harness for cf_jwt_verify / cf_jwt_decode_verified.
 *
 * Two modes, chosen by the first byte:
 *   even: the rest is token text, verified with a fixed key nobody else
 *         has. It must never be accepted (no seed is signed with it) and
 *         must never crash.
 *   odd:  the rest is "header-json\npayload-json"; the harness base64url-
 *         encodes both and signs them with the fixed key, so the claim and
 *         header checks behind the signature get exercised. Acceptance is
 *         allowed only when the header says alg HS256 and the claims pass
 *         the time rules of jwt.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_infra/crypto.h"
#include "cf_infra/jwt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW 1767225600 /* 2026-01-01T00:00:00Z */

static void fail(const char *what, const char *tok, size_t len)
{
	fprintf(stderr, "fuzz_jwt: %s (token %.*s)\n", what, (int)len, tok);
	abort();
}

static cf_jwt_key key;
static int key_ready;

static void init_key(void)
{
	static const char secret[] = "fuzz-key-0123456789abcdef0123456789abcdef";
	if (key_ready)
		return;
	if (cf_jwt_key_init(&key, secret, sizeof secret - 1, "chitfund", "", 5, NULL) != CF_OK)
		abort();
	key_ready = 1;
}

static void check_accept(const char *tok, size_t len, int rc, const cf_jwt_claims *c)
{
	if (rc != CF_OK) {
		if (rc != CF_EUNAUTHENTICATED && rc != CF_ENOMEM)
			fail("verify returned an unexpected code", tok, len);
		if (c->sub[0] || c->exp || c->iat)
			fail("claims left filled on failure", tok, len);
		return;
	}
	if (!memchr(c->sub, '\0', sizeof c->sub) || !memchr(c->role, '\0', sizeof c->role) ||
	    !memchr(c->jti, '\0', sizeof c->jti))
		fail("unterminated claim", tok, len);
	if (NOW >= c->exp + key.leeway_s)
		fail("accepted an expired token", tok, len);
	if (strcmp(c->iss, key.iss) != 0)
		fail("accepted the wrong issuer", tok, len);
}

static void signed_mode(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t hl = nl ? (size_t)(nl - data) : size;
	size_t pl = nl ? size - hl - 1 : 0;
	size_t cap = cf_base64url_len(hl) + cf_base64url_len(pl) + 64;
	char *tok = malloc(cap);
	uint8_t mac[CF_SHA256_LEN];
	size_t n;
	cf_jwt_claims c;
	int rc;

	if (!tok)
		abort();
	if (cf_base64url_encode(data, hl, tok, cap) != CF_OK)
		abort();
	n = strlen(tok);
	tok[n++] = '.';
	if (cf_base64url_encode(nl ? nl + 1 : data, pl, tok + n, cap - n) != CF_OK)
		abort();
	n += strlen(tok + n);
	if (cf_hmac_sha256(key.key, key.key_len, tok, n, mac) != CF_OK)
		abort();
	tok[n++] = '.';
	if (cf_base64url_encode(mac, sizeof mac, tok + n, cap - n) != CF_OK)
		abort();
	n += strlen(tok + n);

	rc = cf_jwt_verify(&key, tok, n, NOW, &c, NULL);
	check_accept(tok, n, rc, &c);
	if (rc == CF_OK) {
		/* the header must really say HS256 */
		char *hdr = malloc(hl + 1);
		if (!hdr)
			abort();
		memcpy(hdr, data, hl);
		hdr[hl] = '\0';
		if (!strstr(hdr, "HS256"))
			fail("accepted a header without HS256", tok, n);
		free(hdr);
	}
	rc = cf_jwt_decode_verified(&key, tok, n, &c, NULL);
	if (rc != CF_OK && rc != CF_EUNAUTHENTICATED && rc != CF_ENOMEM)
		fail("decode_verified returned an unexpected code", tok, n);
	free(tok);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cf_jwt_claims c;
	char *tok;
	int rc;

	init_key();
	if (size == 0)
		return 0;
	if (data[0] & 1) {
		signed_mode(data + 1, size - 1);
		return 0;
	}
	data++;
	size--;
	tok = malloc(size ? size : 1);
	if (!tok)
		abort();
	memcpy(tok, data, size);
	rc = cf_jwt_verify(&key, tok, size, NOW, &c, NULL);
	if (rc == CF_OK)
		fail("accepted a token the harness never signed", tok, size);
	check_accept(tok, size, rc, &c);
	rc = cf_jwt_decode_verified(&key, tok, size, &c, NULL);
	if (rc == CF_OK)
		fail("decode_verified accepted a token the harness never signed", tok, size);
	free(tok);
	return 0;
}
