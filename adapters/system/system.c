/*
 * system.c - the production service ports over infrastructure/ (clock,
 * crypto, password, token).
 */
#include "chitfund/adapters/system.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/auth.h"
#include "cf_infra/clock.h"
#include "cf_infra/config.h"
#include "cf_infra/crypto.h"
#include "cf_infra/hash.h"
#include "cf_infra/jwt.h"
#include "cf_infra/log.h"
#include "cf_infra/password.h"

/*
 * Verified-token memo: a bearer token arrives with every request of a
 * session, and full verification (our HMAC, then libjwt's, then two JSON
 * parses) is the largest cost of an authenticated read. A token that
 * verified once is kept here, byte for byte, with its claims; the same
 * bytes again skip the work. Only verified tokens are kept, comparison is
 * constant-time over the whole token, and the caller still checks exp, nbf
 * and iss against the clock on every request. 256 sets of 4, LRU per set.
 */
#define MEMO_SETS  256
#define MEMO_WAYS  4
#define MEMO_LOCKS 32

typedef struct memo_slot {
	uint64_t used_at; /* 0: empty */
	size_t len;
	char token[CF_ACCESS_TOKEN_MAX];
	cf_token_claims claims;
} memo_slot;

typedef struct memo {
	memo_slot slot[MEMO_SETS][MEMO_WAYS];
	uint64_t clock[MEMO_SETS];
	pthread_mutex_t mu[MEMO_LOCKS];
} memo;

struct cf_system {
	memo *memo; /* NULL: verify every time */
	bool offset;
	cf_offset_clock clock;
	cf_password_policy policy;
	cf_jwt_key jwt;
	char key_id[CF_KEY_ID_SIZE];
	uint8_t data_key[CF_GCM_KEY_LEN];
};

/* ---- clock ---- */
static int64_t sys_now_ms(void *self)
{
	cf_system *s = self;
	return s->offset ? cf_offset_clock_now_ms(&s->clock) : cf_time_wall_ms();
}

static void sys_sleep_ms(void *self, int64_t ms)
{
	cf_time_sleep_ms(ms);
}

/* ---- rng ---- */
static int sys_fill(void *self, void *buf, size_t n)
{
	return cf_random_bytes(buf, n) == CF_OK ? CF_OK : CF_ERROR;
}

/* ---- password hasher ---- */
static int sys_hash(void *self, const char *password, char *out, size_t cap)
{
	cf_system *s = self;
	return cf_password_hash(&s->policy, password, out, cap);
}

static int sys_verify(void *self, const char *password, const char *hash, bool *ok)
{
	cf_system *s = self;
	return cf_password_verify(&s->policy, password, hash, ok);
}

static int sys_needs_rehash(void *self, const char *hash, bool *out)
{
	cf_system *s = self;
	if (!out)
		return CF_EINVALID;
	*out = cf_password_needs_rehash(&s->policy, hash);
	return CF_OK;
}

/* ---- token signer ---- */
static int copy_field(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

static int sys_issue(void *self, const cf_token_claims *claims, char *out, size_t cap)
{
	cf_system *s = self;
	cf_jwt_claims c;
	int rc;
	memset(&c, 0, sizeof c);
	if (copy_field(c.sub, sizeof c.sub, claims->sub) ||
	    copy_field(c.role, sizeof c.role, claims->role) ||
	    copy_field(c.jti, sizeof c.jti, claims->jti) ||
	    copy_field(c.iss, sizeof c.iss, claims->iss))
		return CF_EINVALID;
	c.iat = claims->iat;
	c.nbf = claims->nbf;
	c.exp = claims->exp;
	rc = cf_jwt_issue(&s->jwt, &c, out, cap, NULL, NULL);
	return rc == CF_EBUFFER || rc == CF_EINVALID || rc == CF_ENOMEM ? rc : (rc ? CF_ERROR : 0);
}

/* The set of a token: its last bytes are the signature, already uniform. */
static size_t memo_set(const char *token, size_t len)
{
	size_t from = len > 16 ? len - 16 : 0;

	return (size_t)(cf_fnv1a(token + from, len - from) % MEMO_SETS);
}

static bool memo_get(memo *m, const char *token, size_t len, cf_token_claims *out)
{
	size_t set = memo_set(token, len);
	bool found = false;

	pthread_mutex_lock(&m->mu[set % MEMO_LOCKS]);
	for (size_t w = 0; w < MEMO_WAYS; w++) {
		memo_slot *e = &m->slot[set][w];

		if (e->used_at != 0 && e->len == len && cf_ct_equal(e->token, token, len)) {
			e->used_at = ++m->clock[set];
			*out = e->claims;
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&m->mu[set % MEMO_LOCKS]);
	return found;
}

static void memo_put(memo *m, const char *token, size_t len, const cf_token_claims *c)
{
	size_t set = memo_set(token, len), victim = 0;
	uint64_t oldest = UINT64_MAX;

	pthread_mutex_lock(&m->mu[set % MEMO_LOCKS]);
	for (size_t w = 0; w < MEMO_WAYS; w++)
		if (m->slot[set][w].used_at < oldest) {
			oldest = m->slot[set][w].used_at;
			victim = w;
		}
	memo_slot *e = &m->slot[set][victim];

	memcpy(e->token, token, len);
	e->len = len;
	e->claims = *c;
	e->used_at = ++m->clock[set];
	pthread_mutex_unlock(&m->mu[set % MEMO_LOCKS]);
}

static int sys_token_verify(void *self, const char *token, size_t len, cf_token_claims *out)
{
	cf_system *s = self;
	cf_jwt_claims c;
	bool memo_ok = s->memo != NULL && token != NULL && len > 0 && len < CF_ACCESS_TOKEN_MAX;

	memset(out, 0, sizeof *out);
	if (memo_ok && memo_get(s->memo, token, len, out))
		return CF_OK;
	if (cf_jwt_decode_verified(&s->jwt, token, len, &c, NULL) != CF_OK)
		return CF_EUNAUTHENTICATED;
	if (copy_field(out->sub, sizeof out->sub, c.sub) ||
	    copy_field(out->role, sizeof out->role, c.role) ||
	    copy_field(out->jti, sizeof out->jti, c.jti) ||
	    copy_field(out->iss, sizeof out->iss, c.iss)) {
		memset(out, 0, sizeof *out);
		return CF_EUNAUTHENTICATED;
	}
	out->iat = c.iat;
	out->nbf = c.nbf;
	out->exp = c.exp;
	if (memo_ok)
		memo_put(s->memo, token, len, out);
	return CF_OK;
}

/* ---- cipher ---- */
static int sys_encrypt(void *self, const void *aad, size_t aad_len, const void *plain, size_t len,
                       cf_sealed *out)
{
	cf_system *s = self;
	size_t n = 0;
	int rc;
	if (!out || len < 1 || len > CF_SEALED_PLAIN_MAX)
		return CF_EINVALID;
	memset(out, 0, sizeof *out);
	rc = cf_gcm_seal(s->data_key, aad, aad_len, plain, len, out->data, sizeof out->data, &n);
	if (rc != CF_OK)
		return rc == CF_EINVALID ? rc : CF_ERROR;
	memcpy(out->key_id, s->key_id, sizeof out->key_id);
	out->len = (uint32_t)n;
	return CF_OK;
}

static int sys_decrypt(void *self, const void *aad, size_t aad_len, const cf_sealed *in,
                       void *plain, size_t cap, size_t *len)
{
	cf_system *s = self;
	if (!in || !len || in->len > sizeof in->data)
		return CF_EINVALID;
	if (strncmp(in->key_id, s->key_id, sizeof in->key_id) != 0)
		return CF_ENOTFOUND;
	int rc = cf_gcm_open(s->data_key, aad, aad_len, in->data, in->len, plain, cap, len);
	return rc == CF_EBUFFER ? rc : (rc == CF_OK ? CF_OK : CF_ERROR);
}

/* ---- digest ---- */
static int sys_sha256(void *self, const void *data, size_t len, uint8_t out[32])
{
	return cf_sha256(data, len, out) == CF_OK ? CF_OK : CF_ERROR;
}

/* ---- construction ---- */
void cf_system_config_from_env(cf_system_config *sc)
{
	const char *cost;
	long long v = 0;
	memset(sc, 0, sizeof *sc);
	sc->env = getenv("CHITFUND_ENV");
	sc->secret_key = getenv("SECRET_KEY");
	sc->data_key = getenv("CHITFUND_DATA_KEY");
	sc->data_key_id = getenv("CHITFUND_DATA_KEY_ID");
	sc->test_now = getenv("CHITFUND_TEST_NOW");
	cost = getenv("CHITFUND_PASSWORD_COST");
	if (cost && *cost)
		sc->password_cost = cf_parse_int(cost, 1, 11, &v) == CF_OK ? (int)v : -1;
}

void cf_system_config_from_config(cf_system_config *sc, const struct cf_config *cfg)
{
	memset(sc, 0, sizeof *sc);
	sc->env = cf_env_name(cfg->env);
	if (cfg->secret_key_len > 0) {
		sc->secret_key = (const char *)cfg->secret_key;
		sc->secret_key_len = cfg->secret_key_len;
	}
	if (cfg->data_key_id[0]) { /* empty when loaded without secrets */
		sc->data_key_raw = cfg->data_key;
		sc->data_key_id = cfg->data_key_id;
	}
	sc->password_cost = cfg->password_cost;
	sc->has_test_now = cfg->has_test_now;
	sc->test_now_ms = cfg->test_now_ms;
}

static int weak_secret(const char *k, size_t n)
{
	static const char *const weak[] = {"changeme", "secret", "development", NULL};
	for (int i = 0; weak[i]; i++)
		if (n == strlen(weak[i]) && memcmp(k, weak[i], n) == 0)
			return 1;
	return n < 32;
}

static int decode_data_key(const char *v, uint8_t key[32])
{
	uint8_t buf[48];
	size_t n = 0, len = strlen(v);
	int ok = (len == 64 && cf_hex_decode(v, buf, sizeof buf, &n) == CF_OK && n == 32) ||
	         ((len == 43 || len == 44) &&
	          ((cf_base64_decode(v, len, buf, sizeof buf, &n) == CF_OK && n == 32) ||
	           (cf_base64url_decode(v, len, buf, sizeof buf, &n) == CF_OK && n == 32)));
	if (ok)
		memcpy(key, buf, 32);
	cf_wipe(buf, sizeof buf);
	return ok ? CF_OK : CF_EINVALID;
}

int cf_system_new(cf_system **out, const cf_system_config *sc, cf_error *err)
{
	cf_system *s;
	bool dev, test;
	const char *id;
	unsigned char rnd[48];
	const unsigned char *key;
	size_t key_len;
	int cost, rc;
	if (!out || !sc)
		return cf_error_set(err, CF_EINVALID, "invalid-configuration", NULL, "no config");
	*out = NULL;
	dev = sc->env && strcmp(sc->env, "development") == 0;
	test = sc->env && strcmp(sc->env, "test") == 0;
	if (sc->env && *sc->env && !dev && !test && strcmp(sc->env, "production") != 0)
		return cf_error_set(err, CF_EINVALID, "invalid-configuration", "CHITFUND_ENV",
		                    "CHITFUND_ENV must be production, development or test");
	s = calloc(1, sizeof *s);
	if (!s)
		return cf_error_set(err, CF_ENOMEM, "internal-error", NULL, "out of memory");
	s->memo = calloc(1, sizeof *s->memo);
	if (!s->memo) {
		free(s);
		return cf_error_set(err, CF_ENOMEM, "internal-error", NULL, "out of memory");
	}
	for (int i = 0; i < MEMO_LOCKS; i++)
		pthread_mutex_init(&s->memo->mu[i], NULL);

	/* token key */
	key = (const unsigned char *)sc->secret_key;
	key_len = sc->secret_key
	                  ? (sc->secret_key_len ? sc->secret_key_len : strlen(sc->secret_key))
	                  : 0;
	if (!key || weak_secret((const char *)key, key_len) || key_len > CF_JWT_KEY_MAX) {
		if (!dev) {
			rc = cf_error_set(
			        err, CF_EINVALID, "invalid-configuration", "SECRET_KEY",
			        "SECRET_KEY is missing, shorter than 32 bytes or a default");
			goto fail;
		}
		if (cf_random_bytes(rnd, sizeof rnd) != CF_OK) {
			rc = cf_error_set(err, CF_ERROR, "internal-error", NULL, "no randomness");
			goto fail;
		}
		key = rnd;
		key_len = sizeof rnd;
		cf_log(CF_LOG_WARN, "SECRET_KEY missing or weak: using a random key (development)",
		       NULL, 0);
	}
	rc = cf_jwt_key_init(&s->jwt, key, key_len, NULL, NULL, 0, err);
	cf_wipe(rnd, sizeof rnd);
	if (rc != CF_OK)
		goto fail;

	/* data key */
	id = sc->data_key_id && *sc->data_key_id ? sc->data_key_id : "k1";
	if (strlen(id) >= sizeof s->key_id ||
	    strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
	            strlen(id)) {
		rc = cf_error_set(err, CF_EINVALID, "invalid-configuration", "CHITFUND_DATA_KEY_ID",
		                  "CHITFUND_DATA_KEY_ID must be 1..32 of A-Z a-z 0-9 . _ -");
		goto fail;
	}
	memcpy(s->key_id, id, strlen(id) + 1);
	if (sc->data_key_raw) {
		memcpy(s->data_key, sc->data_key_raw, sizeof s->data_key);
	} else if (sc->data_key && *sc->data_key) {
		if (decode_data_key(sc->data_key, s->data_key) != CF_OK) {
			rc = cf_error_set(
			        err, CF_EINVALID, "invalid-configuration", "CHITFUND_DATA_KEY",
			        "CHITFUND_DATA_KEY must be 32 bytes as 64 hex characters or "
			        "base64");
			goto fail;
		}
	} else if (!dev && !test) {
		rc = cf_error_set(err, CF_EINVALID, "invalid-configuration", "CHITFUND_DATA_KEY",
		                  "CHITFUND_DATA_KEY is not set");
		goto fail;
	} else {
		if (cf_random_bytes(s->data_key, sizeof s->data_key) != CF_OK) {
			rc = cf_error_set(err, CF_ERROR, "internal-error", NULL, "no randomness");
			goto fail;
		}
		if (dev)
			cf_log(CF_LOG_WARN,
			       "CHITFUND_DATA_KEY missing: random key, encrypted fields will not "
			       "survive a restart",
			       NULL, 0);
	}

	/* password policy */
	cost = sc->password_cost ? sc->password_cost : (test ? 1 : CF_PASSWORD_YESCRYPT_COST);
	if (cost < (test ? 1 : CF_PASSWORD_YESCRYPT_COST) || cost > 11) {
		rc = cf_error_set(err, CF_EINVALID, "invalid-configuration",
		                  "CHITFUND_PASSWORD_COST", "CHITFUND_PASSWORD_COST must be %d..11",
		                  test ? 1 : CF_PASSWORD_YESCRYPT_COST);
		goto fail;
	}
	if ((rc = cf_password_policy_init(&s->policy, CF_PASSWORD_YESCRYPT, (unsigned long)cost)) !=
	    CF_OK) {
		rc = cf_error_set(err, rc, "internal-error", NULL, "password hashing unavailable");
		goto fail;
	}

	/* clock */
	if (test && sc->has_test_now) {
		cf_offset_clock_init(&s->clock, sc->test_now_ms);
		s->offset = true;
	} else if (test && sc->test_now && *sc->test_now) {
		int64_t start = 0;
		if (cf_rfc3339_parse(sc->test_now, &start) != CF_OK) {
			rc = cf_error_set(err, CF_EINVALID, "invalid-configuration",
			                  "CHITFUND_TEST_NOW",
			                  "CHITFUND_TEST_NOW must be an RFC 3339 instant");
			goto fail;
		}
		cf_offset_clock_init(&s->clock, start);
		s->offset = true;
	}
	*out = s;
	return CF_OK;
fail:
	cf_system_free(s);
	return rc;
}

void cf_system_free(cf_system *sys)
{
	if (!sys)
		return;
	if (sys->memo) {
		for (int i = 0; i < MEMO_LOCKS; i++)
			pthread_mutex_destroy(&sys->memo->mu[i]);
		cf_wipe(sys->memo, sizeof *sys->memo); /* bearer tokens */
		free(sys->memo);
	}
	cf_wipe(sys, sizeof *sys);
	free(sys);
}

void cf_system_ports(cf_system *sys, cf_ports *ports)
{
	ports->clock = (cf_clock){CF_CLOCK_VERSION, sys, sys_now_ms, sys_sleep_ms};
	ports->rng = (cf_rng){CF_RNG_VERSION, sys, sys_fill};
	ports->hasher = (cf_password_hasher){CF_PASSWORD_HASHER_VERSION, sys, sys_hash, sys_verify,
	                                     sys_needs_rehash};
	ports->signer =
	        (cf_token_signer){CF_TOKEN_SIGNER_VERSION, sys, sys_issue, sys_token_verify};
	ports->cipher = (cf_cipher){CF_CIPHER_VERSION, sys, sys_encrypt, sys_decrypt};
	ports->digest = (cf_digest){CF_DIGEST_VERSION, sys, sys_sha256};
}
