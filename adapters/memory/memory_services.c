/*
 * memory_services.c - deterministic service ports for tests and embedding:
 * steppable clock, seeded random source, pure-C SHA-256 (FIPS 180-4), and
 * an insecure fake password hasher and token signer (tests only).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/adapters/memory.h"
#include "chitfund/errors.h"

/* ---- clock ---- */

struct cf_memory_clock {
	pthread_mutex_t mu;
	int64_t now_ms;
};

int cf_memory_clock_new(cf_memory_clock **out, int64_t start_ms)
{
	cf_memory_clock *c = calloc(1, sizeof *c);

	if (c == NULL)
		return CF_ENOMEM;
	pthread_mutex_init(&c->mu, NULL);
	c->now_ms = start_ms;
	*out = c;
	return CF_OK;
}

void cf_memory_clock_free(cf_memory_clock *c)
{
	if (c == NULL)
		return;
	pthread_mutex_destroy(&c->mu);
	free(c);
}

void cf_memory_clock_set(cf_memory_clock *c, int64_t now_ms)
{
	pthread_mutex_lock(&c->mu);
	c->now_ms = now_ms;
	pthread_mutex_unlock(&c->mu);
}

void cf_memory_clock_advance(cf_memory_clock *c, int64_t delta_ms)
{
	pthread_mutex_lock(&c->mu);
	c->now_ms += delta_ms;
	pthread_mutex_unlock(&c->mu);
}

static int64_t clock_now(void *self)
{
	cf_memory_clock *c = self;
	int64_t v;

	pthread_mutex_lock(&c->mu);
	v = c->now_ms;
	pthread_mutex_unlock(&c->mu);
	return v;
}

static void clock_sleep(void *self, int64_t ms)
{
	if (ms > 0)
		cf_memory_clock_advance(self, ms);
}

cf_clock cf_memory_clock_port(cf_memory_clock *c)
{
	cf_clock p = {CF_CLOCK_VERSION, c, clock_now, clock_sleep};

	return p;
}

/* ---- rng: xoshiro256** seeded by splitmix64 ---- */

struct cf_memory_rng {
	pthread_mutex_t mu;
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t xoshiro_next(uint64_t s[4])
{
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

int cf_memory_rng_new(cf_memory_rng **out, uint64_t seed)
{
	cf_memory_rng *r = calloc(1, sizeof *r);

	if (r == NULL)
		return CF_ENOMEM;
	pthread_mutex_init(&r->mu, NULL);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
	*out = r;
	return CF_OK;
}

void cf_memory_rng_free(cf_memory_rng *r)
{
	if (r == NULL)
		return;
	pthread_mutex_destroy(&r->mu);
	free(r);
}

static int rng_fill(void *self, void *buf, size_t n)
{
	cf_memory_rng *r = self;
	unsigned char *p = buf;

	pthread_mutex_lock(&r->mu);
	while (n > 0) {
		uint64_t v = xoshiro_next(r->s);
		size_t k = n < 8 ? n : 8;

		for (size_t i = 0; i < k; i++)
			p[i] = (unsigned char)(v >> (8 * i));
		p += k;
		n -= k;
	}
	pthread_mutex_unlock(&r->mu);
	return CF_OK;
}

cf_rng cf_memory_rng_port(cf_memory_rng *r)
{
	cf_rng p = {CF_RNG_VERSION, r, rng_fill};

	return p;
}

/* ---- SHA-256 (FIPS 180-4) ---- */

static const uint32_t K256[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2};

static uint32_t ror32(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha256_block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh;

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t s1 = ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25);
		uint32_t ch = (e & f) ^ (~e & g);
		uint32_t t1 = hh + s1 + ch + K256[i] + w[i];
		uint32_t s0 = ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22);
		uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
		uint32_t t2 = s0 + maj;

		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

void cf_memory_sha256(const void *data, size_t len, uint8_t out[32])
{
	uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	const unsigned char *p = data;
	unsigned char tail[128];
	size_t full = len / 64, rem = len % 64, tl;
	uint64_t bits = (uint64_t)len * 8;

	for (size_t i = 0; i < full; i++)
		sha256_block(h, p + 64 * i);
	memset(tail, 0, sizeof tail);
	if (rem)
		memcpy(tail, p + 64 * full, rem);
	tail[rem] = 0x80;
	tl = rem + 1 + 8 <= 64 ? 64 : 128;
	for (int i = 0; i < 8; i++)
		tail[tl - 1 - i] = (unsigned char)(bits >> (8 * i));
	sha256_block(h, tail);
	if (tl == 128)
		sha256_block(h, tail + 64);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(h[i] >> 8);
		out[4 * i + 3] = (uint8_t)h[i];
	}
}

static int digest_sha256(void *self, const void *data, size_t len, uint8_t out[32])
{
	(void)self;
	cf_memory_sha256(data, len, out);
	return CF_OK;
}

cf_digest cf_memory_digest_port(void)
{
	cf_digest p = {CF_DIGEST_VERSION, NULL, digest_sha256};

	return p;
}

static void to_hex(const uint8_t *in, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[in[i] >> 4];
		out[2 * i + 1] = d[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static bool ct_equal(const char *a, const char *b, size_t n)
{
	unsigned char diff = 0;

	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

/* ---- fake password hasher ---- */

static void fake_hash_of(const char *password, char out[70])
{
	uint8_t d[32];
	size_t n = strlen(password);
	char *buf = malloc(n + 16);

	if (buf == NULL) {
		out[0] = '\0';
		return;
	}
	memcpy(buf, "fake-salt:", 10);
	memcpy(buf + 10, password, n);
	cf_memory_sha256(buf, n + 10, d);
	free(buf);
	memcpy(out, "fake$", 5);
	to_hex(d, 32, out + 5);
}

static int fake_hash(void *self, const char *password, char *out, size_t cap)
{
	char h[70];

	(void)self;
	if (cap < 70)
		return CF_EBUFFER;
	fake_hash_of(password, h);
	if (h[0] == '\0')
		return CF_ENOMEM;
	memcpy(out, h, 70);
	return CF_OK;
}

static int fake_verify(void *self, const char *password, const char *hash, bool *ok)
{
	char h[70];

	(void)self;
	*ok = false;
	if (strlen(hash) != 69 || strncmp(hash, "fake$", 5) != 0)
		return CF_OK;
	fake_hash_of(password, h);
	*ok = h[0] != '\0' && ct_equal(h, hash, 69);
	return CF_OK;
}

cf_password_hasher cf_memory_fake_hasher_port(void)
{
	cf_password_hasher p = {CF_PASSWORD_HASHER_VERSION, NULL, fake_hash, fake_verify, NULL};

	return p;
}

/* ---- fake token signer ---- */

static const char fake_key[] = "memory-adapter-fake-signing-key";

static void fake_mac(const char *payload, size_t n, char out[65])
{
	uint8_t d[32];
	size_t kl = sizeof fake_key - 1;
	char *buf = malloc(kl + n + 1);

	if (buf == NULL) {
		memset(out, 0, 65);
		return;
	}
	memcpy(buf, fake_key, kl);
	memcpy(buf + kl, payload, n);
	cf_memory_sha256(buf, kl + n, d);
	free(buf);
	to_hex(d, 32, out);
}

static bool field_ok(const char *s)
{
	return strchr(s, '|') == NULL;
}

static int fake_issue(void *self, const cf_token_claims *c, char *out, size_t cap)
{
	char payload[512];
	char mac[65];
	int n;
	size_t need;

	(void)self;
	if (!field_ok(c->sub) || !field_ok(c->role) || !field_ok(c->jti) || !field_ok(c->iss))
		return CF_EINVALID;
	n = snprintf(payload, sizeof payload, "%s|%s|%s|%s|%" PRId64 "|%" PRId64 "|%" PRId64,
	             c->sub, c->role, c->jti, c->iss, c->iat, c->nbf, c->exp);
	if (n < 0 || (size_t)n >= sizeof payload)
		return CF_EINVALID;
	need = 5 + 2 * (size_t)n + 1 + 64 + 1;
	if (cap < need)
		return CF_EBUFFER;
	fake_mac(payload, (size_t)n, mac);
	memcpy(out, "fake.", 5);
	to_hex((const uint8_t *)payload, (size_t)n, out + 5);
	out[5 + 2 * n] = '.';
	memcpy(out + 6 + 2 * n, mac, 65);
	return CF_OK;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int parse_i64(const char *s, int64_t *out)
{
	char *end = NULL;
	long long v;

	if (*s == '\0')
		return -1;
	v = strtoll(s, &end, 10);
	if (end == NULL || *end != '\0')
		return -1;
	*out = (int64_t)v;
	return 0;
}

static int fake_verify_token(void *self, const char *token, size_t len, cf_token_claims *out)
{
	char payload[512];
	char mac[65];
	const char *dot;
	size_t hl, pl;
	char *fields[7];
	char *p;
	int nf = 0;

	(void)self;
	memset(out, 0, sizeof *out);
	if (len < 5 + 1 + 64 || memcmp(token, "fake.", 5) != 0)
		return CF_EUNAUTHENTICATED;
	dot = memchr(token + 5, '.', len - 5);
	if (dot == NULL)
		return CF_EUNAUTHENTICATED;
	hl = (size_t)(dot - (token + 5));
	if (hl % 2 != 0 || hl / 2 >= sizeof payload || (size_t)(token + len - dot - 1) != 64)
		return CF_EUNAUTHENTICATED;
	pl = hl / 2;
	for (size_t i = 0; i < pl; i++) {
		int hi = hexval(token[5 + 2 * i]), lo = hexval(token[6 + 2 * i]);
		if (hi < 0 || lo < 0)
			return CF_EUNAUTHENTICATED;
		payload[i] = (char)(hi * 16 + lo);
		if (payload[i] == '\0')
			return CF_EUNAUTHENTICATED;
	}
	payload[pl] = '\0';
	fake_mac(payload, pl, mac);
	if (!ct_equal(mac, dot + 1, 64))
		return CF_EUNAUTHENTICATED;
	p = payload;
	fields[nf++] = p;
	for (; *p && nf < 7; p++) {
		if (*p == '|') {
			*p = '\0';
			fields[nf++] = p + 1;
		}
	}
	if (nf != 7 || strchr(fields[6], '|') != NULL)
		return CF_EUNAUTHENTICATED;
	if (strlen(fields[0]) >= sizeof out->sub || strlen(fields[1]) >= sizeof out->role ||
	    strlen(fields[2]) >= sizeof out->jti || strlen(fields[3]) >= sizeof out->iss)
		return CF_EUNAUTHENTICATED;
	memcpy(out->sub, fields[0], strlen(fields[0]) + 1);
	memcpy(out->role, fields[1], strlen(fields[1]) + 1);
	memcpy(out->jti, fields[2], strlen(fields[2]) + 1);
	memcpy(out->iss, fields[3], strlen(fields[3]) + 1);
	if (parse_i64(fields[4], &out->iat) < 0 || parse_i64(fields[5], &out->nbf) < 0 ||
	    parse_i64(fields[6], &out->exp) < 0) {
		memset(out, 0, sizeof *out);
		return CF_EUNAUTHENTICATED;
	}
	return CF_OK;
}

cf_token_signer cf_memory_fake_signer_port(void)
{
	cf_token_signer p = {CF_TOKEN_SIGNER_VERSION, NULL, fake_issue, fake_verify_token};

	return p;
}
