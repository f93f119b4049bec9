/*
 * jwt.c - HS256 tokens: libjwt signs and verifies; this file refuses every
 * other algorithm up front, re-checks the HMAC in constant time, and decodes
 * the claims strictly (cJSON, exact types) so no claim is taken on trust.
 */
#include "cf_infra/jwt.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <jwt.h>

#include "cf_infra/crypto.h"

static int unauth(cf_error *err, const char *why)
{
	return cf_error_set(err, CF_EUNAUTHENTICATED, "unauthenticated", NULL, "%s", why);
}

static int copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n >= cap)
		return CF_EINVALID;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
	return CF_OK;
}

int cf_jwt_key_init(cf_jwt_key *k, const void *key, size_t key_len, const char *iss,
                    const char *aud, int leeway_s, cf_error *err)
{
	if (!k || !key)
		return cf_error_set(err, CF_EINVALID, "validation-error", "key", "no key");
	memset(k, 0, sizeof *k);
	if (key_len < 32 || key_len > CF_JWT_KEY_MAX)
		return cf_error_set(err, CF_EINVALID, "validation-error", "key",
		                    "the signing key must be 32..%d bytes", CF_JWT_KEY_MAX);
	if (leeway_s < 0 || leeway_s > CF_JWT_MAX_LEEWAY)
		return cf_error_set(err, CF_EINVALID, "validation-error", "leeway",
		                    "leeway must be 0..%d seconds", CF_JWT_MAX_LEEWAY);
	if (copy_str(k->iss, sizeof k->iss, iss) || copy_str(k->aud, sizeof k->aud, aud))
		return cf_error_set(err, CF_EINVALID, "validation-error", "iss",
		                    "issuer or audience too long");
	memcpy(k->key, key, key_len);
	k->key_len = key_len;
	k->leeway_s = leeway_s;
	return CF_OK;
}

void cf_jwt_key_dispose(cf_jwt_key *k)
{
	if (k)
		cf_wipe(k, sizeof *k);
}

int cf_jwt_issue(const cf_jwt_key *k, const cf_jwt_claims *c, char *out, size_t cap, char *jti_out,
                 cf_error *err)
{
	jwt_t *jwt = NULL;
	char *enc = NULL;
	char jti[64];
	int rc = CF_ERROR;
	size_t n;
	if (!k || !c || !out || k->key_len < 32)
		return cf_error_set(err, CF_EINVALID, "validation-error", NULL, "bad arguments");
	if (!c->sub[0] || c->exp <= c->iat)
		return cf_error_set(err, CF_EINVALID, "validation-error", "claims",
		                    "a token needs a subject and exp after iat");
	if (c->jti[0]) {
		if (copy_str(jti, sizeof jti, c->jti))
			return cf_error_set(err, CF_EINVALID, "validation-error", "jti",
			                    "jti too long");
	} else if (cf_uuid_v4(jti, sizeof jti) != CF_OK) {
		return cf_error_set(err, CF_ERROR, "internal-error", NULL, "no randomness");
	}
	if (jwt_new(&jwt) != 0)
		return cf_error_set(err, CF_ENOMEM, "internal-error", NULL, "out of memory");
	if (jwt_add_grant(jwt, "sub", c->sub) ||
	    (c->role[0] && jwt_add_grant(jwt, "role", c->role)) ||
	    (c->iss[0] && jwt_add_grant(jwt, "iss", c->iss)) ||
	    (!c->iss[0] && k->iss[0] && jwt_add_grant(jwt, "iss", k->iss)) ||
	    (k->aud[0] && jwt_add_grant(jwt, "aud", k->aud)) || jwt_add_grant(jwt, "jti", jti) ||
	    jwt_add_grant_int(jwt, "iat", (long)c->iat) ||
	    jwt_add_grant_int(jwt, "nbf", (long)(c->nbf ? c->nbf : c->iat)) ||
	    jwt_add_grant_int(jwt, "exp", (long)c->exp)) {
		rc = cf_error_set(err, CF_ERROR, "internal-error", NULL, "cannot build token");
		goto done;
	}
	if (jwt_set_alg(jwt, JWT_ALG_HS256, k->key, (int)k->key_len) != 0) {
		rc = cf_error_set(err, CF_ERROR, "internal-error", NULL, "cannot set algorithm");
		goto done;
	}
	enc = jwt_encode_str(jwt);
	if (!enc) {
		rc = cf_error_set(err, CF_ERROR, "internal-error", NULL, "cannot sign token");
		goto done;
	}
	n = strlen(enc);
	if (n + 1 > cap) {
		rc = cf_error_set(err, CF_EBUFFER, "internal-error", NULL,
		                  "token buffer too small");
		goto done;
	}
	memcpy(out, enc, n + 1);
	if (jti_out)
		memcpy(jti_out, jti, strlen(jti) + 1);
	rc = CF_OK;
done:
	free(enc);
	jwt_free(jwt);
	return rc;
}

/* Decode a base64url JSON segment into a cJSON object (NULL when not an object). */
static cJSON *json_segment(const char *s, size_t len)
{
	uint8_t *buf;
	size_t n = 0;
	cJSON *j = NULL;
	if (len == 0 || len > CF_JWT_TOKEN_MAX)
		return NULL;
	buf = malloc(len + 1);
	if (!buf)
		return NULL;
	if (cf_base64url_decode(s, len, buf, len, &n) == CF_OK && n > 0 && !memchr(buf, '\0', n)) {
		buf[n] = '\0'; /* whole text must be one JSON value */
		j = cJSON_ParseWithOpts((const char *)buf, NULL, 1);
		if (j && !cJSON_IsObject(j)) {
			cJSON_Delete(j);
			j = NULL;
		}
	}
	free(buf);
	return j;
}

/* String claim: absent -> "", present -> must be a string that fits. */
static int claim_str(const cJSON *o, const char *name, char *dst, size_t cap)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	dst[0] = '\0';
	if (!v)
		return 0;
	if (!cJSON_IsString(v) || copy_str(dst, cap, v->valuestring))
		return -1;
	return 0;
}

/* NumericDate claim: absent -> 0 (and *present = 0), else an integral number. */
static int claim_int(const cJSON *o, const char *name, int64_t *dst, int *present)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	*dst = 0;
	if (present)
		*present = v != NULL;
	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
	    fabs(v->valuedouble) > 9007199254740991.0)
		return -1;
	*dst = (int64_t)v->valuedouble;
	return 0;
}

static int decode(const cf_jwt_key *k, const char *token, size_t len, cf_jwt_claims *out,
                  int *has_nbf, int *has_iat, int *has_exp, cf_error *err)
{
	const char *d1, *d2;
	char *copy = NULL;
	cJSON *hdr = NULL, *pl = NULL;
	const cJSON *alg, *typ;
	uint8_t mac[CF_SHA256_LEN], sig[CF_SHA256_LEN + 4];
	size_t siglen = 0;
	jwt_t *jwt = NULL;
	int rc;
	if (!k || !out || k->key_len < 32)
		return cf_error_set(err, CF_EINVALID, "validation-error", NULL, "bad arguments");
	memset(out, 0, sizeof *out);
	if (!token || len == 0 || len > CF_JWT_TOKEN_MAX || memchr(token, '\0', len))
		return unauth(err, "malformed token");
	d1 = memchr(token, '.', len);
	d2 = d1 ? memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - token)) : NULL;
	if (!d1 || !d2 || memchr(d2 + 1, '.', len - (size_t)(d2 + 1 - token)))
		return unauth(err, "malformed token");
	/* 1. header: exactly alg HS256 (refuses "none" and every other algorithm) */
	hdr = json_segment(token, (size_t)(d1 - token));
	if (!hdr)
		return unauth(err, "malformed token header");
	alg = cJSON_GetObjectItemCaseSensitive(hdr, "alg");
	typ = cJSON_GetObjectItemCaseSensitive(hdr, "typ");
	if (!cJSON_IsString(alg) || strcmp(alg->valuestring, "HS256") != 0 ||
	    (typ && (!cJSON_IsString(typ) || strcmp(typ->valuestring, "JWT") != 0)) ||
	    cJSON_GetObjectItemCaseSensitive(hdr, "crit")) {
		rc = unauth(err, "token algorithm not accepted");
		goto done;
	}
	/* 2. signature: HMAC-SHA256 over "header.payload", constant-time compare */
	if (cf_base64url_decode(d2 + 1, len - (size_t)(d2 + 1 - token), sig, sizeof sig, &siglen) !=
	            CF_OK ||
	    siglen != CF_SHA256_LEN ||
	    cf_hmac_sha256(k->key, k->key_len, token, (size_t)(d2 - token), mac) != CF_OK ||
	    !cf_ct_equal(mac, sig, CF_SHA256_LEN)) {
		rc = unauth(err, "bad token signature");
		goto done;
	}
	/* 3. libjwt agrees (with the key, and still HS256) */
	copy = malloc(len + 1);
	if (!copy) {
		rc = cf_error_set(err, CF_ENOMEM, "internal-error", NULL, "out of memory");
		goto done;
	}
	memcpy(copy, token, len);
	copy[len] = '\0';
	if (jwt_decode(&jwt, copy, k->key, (int)k->key_len) != 0 || !jwt ||
	    jwt_get_alg(jwt) != JWT_ALG_HS256) {
		rc = unauth(err, "bad token");
		goto done;
	}
	/* 4. claims, with exact types */
	pl = json_segment(d1 + 1, (size_t)(d2 - d1 - 1));
	if (!pl || claim_str(pl, "sub", out->sub, sizeof out->sub) ||
	    claim_str(pl, "role", out->role, sizeof out->role) ||
	    claim_str(pl, "jti", out->jti, sizeof out->jti) ||
	    claim_str(pl, "iss", out->iss, sizeof out->iss) ||
	    claim_str(pl, "aud", out->aud, sizeof out->aud) ||
	    claim_int(pl, "iat", &out->iat, has_iat) || claim_int(pl, "nbf", &out->nbf, has_nbf) ||
	    claim_int(pl, "exp", &out->exp, has_exp)) {
		memset(out, 0, sizeof *out);
		rc = unauth(err, "malformed token claims");
		goto done;
	}
	rc = CF_OK;
done:
	if (jwt)
		jwt_free(jwt);
	free(copy);
	cJSON_Delete(hdr);
	cJSON_Delete(pl);
	return rc;
}

int cf_jwt_decode_verified(const cf_jwt_key *k, const char *token, size_t len, cf_jwt_claims *out,
                           cf_error *err)
{
	return decode(k, token, len, out, NULL, NULL, NULL, err);
}

int cf_jwt_verify(const cf_jwt_key *k, const char *token, size_t len, int64_t now_s,
                  cf_jwt_claims *out, cf_error *err)
{
	int has_nbf = 0, has_iat = 0, has_exp = 0, rc;
	rc = decode(k, token, len, out, &has_nbf, &has_iat, &has_exp, err);
	if (rc != CF_OK)
		return rc;
	if (!has_exp)
		rc = unauth(err, "token has no expiry");
	else if (now_s >= out->exp + k->leeway_s)
		rc = unauth(err, "token expired");
	else if (has_nbf && out->nbf > now_s + k->leeway_s)
		rc = unauth(err, "token not yet valid");
	else if (has_iat && out->iat > now_s + k->leeway_s)
		rc = unauth(err, "token issued in the future");
	else if (k->iss[0] && strcmp(out->iss, k->iss) != 0)
		rc = unauth(err, "token issuer not accepted");
	else if (k->aud[0] && strcmp(out->aud, k->aud) != 0)
		rc = unauth(err, "token audience not accepted");
	if (rc != CF_OK)
		memset(out, 0, sizeof *out);
	return rc;
}
