/*
 * crypto.c - OpenSSL primitives behind cf_infra/crypto.h.
 */
#include "cf_infra/crypto.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "chitfund/domain/errcode.h"

int cf_random_bytes(void *buf, size_t n)
{
	if (n == 0)
		return CF_OK;
	if (!buf || n > (size_t)2147483647)
		return CF_EINVALID;
	return RAND_bytes(buf, (int)n) == 1 ? CF_OK : CF_ERROR;
}

int cf_sha256(const void *data, size_t len, uint8_t out[CF_SHA256_LEN])
{
	unsigned int olen = 0;
	if ((!data && len) || !out)
		return CF_EINVALID;
	if (EVP_Digest(len ? data : "", len, out, &olen, EVP_sha256(), NULL) != 1 ||
	    olen != CF_SHA256_LEN)
		return CF_ERROR;
	return CF_OK;
}

int cf_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                   uint8_t out[CF_SHA256_LEN])
{
	unsigned int olen = 0;
	static const unsigned char empty[1] = {0};
	if ((!key && key_len) || (!data && len) || !out || key_len > 2147483647)
		return CF_EINVALID;
	if (!HMAC(EVP_sha256(), key_len ? key : empty, (int)key_len, len ? data : empty, len, out,
	          &olen) ||
	    olen != CF_SHA256_LEN)
		return CF_ERROR;
	return CF_OK;
}

int cf_hex_encode(const void *data, size_t n, char *out, size_t cap)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *p = data;
	if (!out || (!data && n) || cap < 2 * n + 1)
		return CF_EBUFFER;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
	return CF_OK;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int cf_hex_decode(const char *hex, uint8_t *out, size_t cap, size_t *out_len)
{
	size_t n;
	if (!hex || !out_len)
		return CF_EINVALID;
	n = strlen(hex);
	if (n % 2)
		return CF_EINVALID;
	if (cap < n / 2 || (!out && n))
		return CF_EBUFFER;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return CF_EINVALID;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*out_len = n / 2;
	return CF_OK;
}

size_t cf_base64url_len(size_t n)
{
	return n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
}

static int b64_encode(const void *data, size_t n, char *out, size_t cap, const char *alpha)
{
	const uint8_t *p = data;
	size_t o = 0, need = cf_base64url_len(n) + 1;
	if (!out || (!data && n) || cap < need)
		return CF_EBUFFER;
	size_t i = 0;
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
		out[o++] = alpha[v >> 6 & 63];
		out[o++] = alpha[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
		out[o++] = alpha[v >> 6 & 63];
	}
	out[o] = '\0';
	return CF_OK;
}

int cf_base64url_encode(const void *data, size_t n, char *out, size_t cap)
{
	return b64_encode(data, n, out, cap,
	                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}

static int b64val(char c, int url)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (url ? '-' : '+'))
		return 62;
	if (c == (url ? '_' : '/'))
		return 63;
	return -1;
}

/* Strict decoder: optional '=' padding (only to a multiple of 4), no whitespace,
 * a lone trailing char is refused, unused trailing bits must be zero. */
static int b64_decode(const char *text, size_t len, uint8_t *out, size_t cap, size_t *out_len,
                      int url)
{
	size_t o = 0, q;
	uint32_t acc = 0;
	int bits = 0;
	if ((!text && len) || !out_len)
		return CF_EINVALID;
	if (len % 4 == 0 && len >= 4) { /* strip up to two '=' */
		if (text[len - 1] == '=')
			len--;
		if (text[len - 1] == '=')
			len--;
	}
	if (len % 4 == 1)
		return CF_EINVALID;
	q = len / 4 * 3 + (len % 4 ? len % 4 - 1 : 0);
	if (q > cap || (!out && q))
		return CF_EBUFFER;
	for (size_t i = 0; i < len; i++) {
		int v = b64val(text[i], url);
		if (v < 0)
			return CF_EINVALID;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (acc != 0)
		return CF_EINVALID;
	*out_len = o;
	return CF_OK;
}

int cf_base64url_decode(const char *text, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
	return b64_decode(text, len, out, cap, out_len, 1);
}

int cf_base64_decode(const char *text, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
	return b64_decode(text, len, out, cap, out_len, 0);
}

int cf_ct_equal(const void *a, const void *b, size_t n)
{
	if (n == 0)
		return 1;
	return CRYPTO_memcmp(a, b, n) == 0;
}

int cf_uuid_v4(char *out, size_t cap)
{
	uint8_t b[16];
	char hex[33];
	if (!out || cap < CF_UUID_TEXT_SIZE)
		return CF_EBUFFER;
	if (cf_random_bytes(b, sizeof b) != CF_OK)
		return CF_ERROR;
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
	cf_hex_encode(b, sizeof b, hex, sizeof hex);
	memcpy(out, hex, 8);
	out[8] = '-';
	memcpy(out + 9, hex + 8, 4);
	out[13] = '-';
	memcpy(out + 14, hex + 12, 4);
	out[18] = '-';
	memcpy(out + 19, hex + 16, 4);
	out[23] = '-';
	memcpy(out + 24, hex + 20, 12);
	out[36] = '\0';
	return CF_OK;
}

int cf_gcm_seal(const uint8_t key[CF_GCM_KEY_LEN], const void *aad, size_t aad_len,
                const void *plain, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
	EVP_CIPHER_CTX *ctx = NULL;
	int rc = CF_ERROR, n = 0;
	if (!key || (!aad && aad_len) || (!plain && len) || !out_len || len > 1048576 ||
	    aad_len > 1048576)
		return CF_EINVALID;
	if (!out || cap < len + CF_GCM_OVERHEAD)
		return CF_EBUFFER;
	if (cf_random_bytes(out, CF_GCM_NONCE_LEN) != CF_OK)
		return CF_ERROR;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return CF_ENOMEM;
	if (EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, CF_GCM_NONCE_LEN, NULL) != 1 ||
	    EVP_EncryptInit_ex(ctx, NULL, NULL, key, out) != 1)
		goto done;
	if (aad_len && EVP_EncryptUpdate(ctx, NULL, &n, aad, (int)aad_len) != 1)
		goto done;
	if (len && EVP_EncryptUpdate(ctx, out + CF_GCM_NONCE_LEN, &n, plain, (int)len) != 1)
		goto done;
	if (EVP_EncryptFinal_ex(ctx, out + CF_GCM_NONCE_LEN + len, &n) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, CF_GCM_TAG_LEN,
	                        out + CF_GCM_NONCE_LEN + len) != 1)
		goto done;
	*out_len = len + CF_GCM_OVERHEAD;
	rc = CF_OK;
done:
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

int cf_gcm_open(const uint8_t key[CF_GCM_KEY_LEN], const void *aad, size_t aad_len,
                const uint8_t *sealed, size_t sealed_len, void *out, size_t cap, size_t *out_len)
{
	EVP_CIPHER_CTX *ctx = NULL;
	int rc = CF_ERROR, n = 0;
	size_t len;
	uint8_t tag[CF_GCM_TAG_LEN], fin[16];
	if (!key || (!aad && aad_len) || !sealed || !out_len || aad_len > 1048576)
		return CF_EINVALID;
	if (sealed_len < CF_GCM_OVERHEAD || sealed_len > 1048576 + CF_GCM_OVERHEAD)
		return CF_EINVALID;
	len = sealed_len - CF_GCM_OVERHEAD;
	if ((!out && len) || cap < len)
		return CF_EBUFFER;
	memcpy(tag, sealed + CF_GCM_NONCE_LEN + len, CF_GCM_TAG_LEN);
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return CF_ENOMEM;
	if (EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, CF_GCM_NONCE_LEN, NULL) != 1 ||
	    EVP_DecryptInit_ex(ctx, NULL, NULL, key, sealed) != 1)
		goto done;
	if (aad_len && EVP_DecryptUpdate(ctx, NULL, &n, aad, (int)aad_len) != 1)
		goto done;
	if (len && EVP_DecryptUpdate(ctx, out, &n, sealed + CF_GCM_NONCE_LEN, (int)len) != 1)
		goto done;
	if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, CF_GCM_TAG_LEN, tag) != 1)
		goto done;
	if (EVP_DecryptFinal_ex(ctx, fin, &n) != 1) {
		if (len)
			OPENSSL_cleanse(out, len);
		goto done;
	}
	*out_len = len;
	rc = CF_OK;
done:
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

void cf_wipe(void *p, size_t n)
{
	if (p && n)
		OPENSSL_cleanse(p, n);
}
