/*
 * config.c - environment -> cf_config, strictly.
 */
#include "cf_infra/config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cf_infra/clock.h"
#include "cf_infra/crypto.h"
#include "cf_infra/log.h"

const char *cf_env_name(cf_env env)
{
	switch (env) {
	case CF_ENV_PRODUCTION: return "production";
	case CF_ENV_DEVELOPMENT: return "development";
	case CF_ENV_TEST: return "test";
	}
	return "production";
}

int cf_parse_int(const char *s, long long min, long long max, long long *out)
{
	char *end = NULL;
	long long v;
	if (!s || !out || !*s)
		return CF_EINVALID;
	if (!((s[0] >= '0' && s[0] <= '9') ||
	      (s[0] == '-' && min < 0 && s[1] >= '0' && s[1] <= '9')))
		return CF_EINVALID;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || !end || *end != '\0' || v < min || v > max)
		return CF_EINVALID;
	*out = v;
	return CF_OK;
}

static int bad(cf_error *err, const char *var, const char *fmt_detail)
{
	return cf_error_set(err, CF_EINVALID, "invalid-configuration", var, "%s %s", var,
	                    fmt_detail);
}

/* Integer variable: unset or "" -> def. */
static int env_int(const char *var, int def, long long min, long long max, int *out, cf_error *err)
{
	const char *v = getenv(var);
	long long x;
	if (!v || !*v) {
		*out = def;
		return CF_OK;
	}
	if (cf_parse_int(v, min, max, &x) != CF_OK)
		return cf_error_set(err, CF_EINVALID, "invalid-configuration", var,
		                    "%s must be an integer in %lld..%lld", var, min, max);
	*out = (int)x;
	return CF_OK;
}

static int env_str(const char *var, const char *def, char *out, size_t cap, cf_error *err)
{
	const char *v = getenv(var);
	size_t n;
	if (!v)
		v = def;
	n = strlen(v);
	if (n >= cap)
		return bad(err, var, "is too long");
	memcpy(out, v, n + 1);
	return CF_OK;
}

static int known_default(const char *s)
{
	static const char *const weak[] = {"changeme", "change-me",   "change_me",
	                                   "secret",   "development", "dev",
	                                   "test",     "password",    NULL};
	for (int i = 0; weak[i]; i++)
		if (strcmp(s, weak[i]) == 0)
			return 1;
	return 0;
}

static int load_secret(cf_config *c, cf_error *err)
{
	const char *v = getenv("SECRET_KEY");
	size_t n = v ? strlen(v) : 0;
	const char *why = NULL;
	if (!v || n == 0)
		why = "is not set";
	else if (known_default(v))
		why = "is a known default value";
	else if (n < 32)
		why = "must be at least 32 bytes";
	else if (n > CF_CONFIG_SECRET_MAX)
		why = "is too long";
	if (!why) {
		memcpy(c->secret_key, v, n);
		c->secret_key_len = n;
		return CF_OK;
	}
	if (c->env != CF_ENV_DEVELOPMENT)
		return bad(err, "SECRET_KEY", why);
	if (cf_random_bytes(c->secret_key, 48) != CF_OK)
		return cf_error_set(err, CF_ERROR, "internal-error", "SECRET_KEY", "no randomness");
	c->secret_key_len = 48;
	c->generated_secret_key = true;
	cf_log(CF_LOG_WARN, "SECRET_KEY missing or weak: using a random key for this process",
	       (cf_log_field[]){CF_LOG_STR("env", "development")}, 1);
	return CF_OK;
}

/* 32 bytes as 64 hex chars, or base64 / base64url (43 or 44 chars). */
static int decode_key(const char *v, uint8_t key[32])
{
	uint8_t buf[48];
	size_t n = 0, len = strlen(v);
	int ok = 0;
	if (len == 64 && cf_hex_decode(v, buf, sizeof buf, &n) == CF_OK && n == 32)
		ok = 1;
	else if ((len == 43 || len == 44) &&
	         ((cf_base64_decode(v, len, buf, sizeof buf, &n) == CF_OK && n == 32) ||
	          (cf_base64url_decode(v, len, buf, sizeof buf, &n) == CF_OK && n == 32)))
		ok = 1;
	if (ok)
		memcpy(key, buf, 32);
	cf_wipe(buf, sizeof buf);
	return ok ? CF_OK : CF_EINVALID;
}

static int load_data_key(cf_config *c, cf_error *err)
{
	const char *v = getenv("CHITFUND_DATA_KEY");
	const char *id = getenv("CHITFUND_DATA_KEY_ID");
	size_t n;
	if (!id || !*id)
		id = "k1";
	n = strlen(id);
	if (n >= sizeof c->data_key_id ||
	    strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
	               "vwxyz0123456789._-") != n)
		return bad(err, "CHITFUND_DATA_KEY_ID", "must be 1..32 of A-Z a-z 0-9 . _ -");
	memcpy(c->data_key_id, id, n + 1);
	if (v && *v) {
		if (decode_key(v, c->data_key) != CF_OK)
			return bad(err, "CHITFUND_DATA_KEY",
			           "must be 32 bytes as 64 hex characters or base64");
		return CF_OK;
	}
	if (c->env == CF_ENV_PRODUCTION)
		return bad(err, "CHITFUND_DATA_KEY", "is not set");
	if (cf_random_bytes(c->data_key, sizeof c->data_key) != CF_OK)
		return cf_error_set(err, CF_ERROR, "internal-error", "CHITFUND_DATA_KEY",
		                    "no randomness");
	c->generated_data_key = true;
	if (c->env == CF_ENV_TEST)
		return CF_OK;
	cf_log(CF_LOG_WARN,
	       "CHITFUND_DATA_KEY missing: using a random key; encrypted fields will not survive a "
	       "restart",
	       NULL, 0);
	return CF_OK;
}

static int load(cf_config *c, unsigned flags, cf_error *err)
{
	const char *env = getenv("CHITFUND_ENV");
	const char *v;
	int rc, min_cost, def_cost;
	cf_log_level lvl = CF_LOG_INFO;

	if (!env || !*env || strcmp(env, "production") == 0)
		c->env = CF_ENV_PRODUCTION;
	else if (strcmp(env, "development") == 0)
		c->env = CF_ENV_DEVELOPMENT;
	else if (strcmp(env, "test") == 0)
		c->env = CF_ENV_TEST;
	else
		return bad(err, "CHITFUND_ENV", "must be production, development or test");

	if ((rc = env_str("DATABASE_URL", "", c->database_url, sizeof c->database_url, err)) ||
	    (rc = env_str("CHITFUND_LISTEN", "127.0.0.1", c->listen, sizeof c->listen, err)) ||
	    (rc = env_str("CHITFUND_TRUSTED_PROXIES", "", c->trusted_proxies,
	                  sizeof c->trusted_proxies, err)))
		return rc;
	if (!c->listen[0])
		return bad(err, "CHITFUND_LISTEN", "must not be empty");

	min_cost = c->env == CF_ENV_TEST ? 1 : 5;
	def_cost = c->env == CF_ENV_TEST ? 1 : 5;
	if ((rc = env_int("PORT", 8080, 1, 65535, &c->port, err)) ||
	    (rc = env_int("ACCESS_TOKEN_EXPIRE_MINUTES", 30, 1, 1440, &c->access_token_minutes,
	                  err)) ||
	    (rc = env_int("CHITFUND_REFRESH_TOKEN_DAYS", 14, 1, 365, &c->refresh_token_days,
	                  err)) ||
	    (rc = env_int("CHITFUND_POOL_SIZE", 16, 1, 1000, &c->pool_size, err)) ||
	    (rc = env_int("CHITFUND_POOL_WAIT_MS", 2000, 0, 60000, &c->pool_wait_ms, err)) ||
	    (rc = env_int("CHITFUND_THREADS", 256, 1, 4096, &c->threads, err)) ||
	    (rc = env_int("CHITFUND_LOGIN_FAILURES_PER_ACCOUNT", 5, 1, 1000000,
	                  &c->login_failures_per_account, err)) ||
	    (rc = env_int("CHITFUND_LOGIN_FAILURES_PER_ADDRESS", 20, 1, 1000000,
	                  &c->login_failures_per_address, err)) ||
	    (rc = env_int("CHITFUND_LOGIN_WINDOW_S", 900, 1, 86400, &c->login_window_s, err)) ||
	    (rc = env_int("CHITFUND_PASSWORD_COST", def_cost, min_cost, 11, &c->password_cost,
	                  err)) ||
	    (rc = env_int("CHITFUND_ANTI_SNIPING_S", 60, 0, 3600, &c->anti_sniping_s, err)) ||
	    (rc = env_int("CHITFUND_IDEMPOTENCY_HOURS", 24, 24, 720, &c->idempotency_hours, err)))
		return rc;

	v = getenv("CHITFUND_LOG_LEVEL");
	if (v && *v && cf_log_level_parse(v, &lvl) != CF_OK)
		return bad(err, "CHITFUND_LOG_LEVEL", "must be debug, info, warn or error");
	c->log_level = (int)lvl;

	v = getenv("CHITFUND_TEST_NOW");
	if (v && *v) {
		if (c->env == CF_ENV_TEST) {
			if (cf_rfc3339_parse(v, &c->test_now_ms) != CF_OK)
				return bad(err, "CHITFUND_TEST_NOW", "must be an RFC 3339 instant");
			c->has_test_now = true;
		} else {
			cf_log(CF_LOG_WARN, "CHITFUND_TEST_NOW ignored outside CHITFUND_ENV=test",
			       NULL, 0);
		}
	}
	if (flags & CF_CONFIG_NO_SECRETS)
		return CF_OK;
	if ((rc = load_secret(c, err)) != CF_OK)
		return rc;
	return load_data_key(c, err);
}

int cf_config_load(cf_config *cfg, cf_error *err)
{
	return cf_config_load_flags(cfg, 0, err);
}

int cf_config_load_flags(cf_config *cfg, unsigned flags, cf_error *err)
{
	int rc;
	if (!cfg)
		return cf_error_set(err, CF_EINVALID, "invalid-configuration", NULL, "no config");
	memset(cfg, 0, sizeof *cfg);
	rc = load(cfg, flags, err);
	if (rc != CF_OK)
		cf_config_dispose(cfg);
	return rc;
}

void cf_config_dispose(cf_config *cfg)
{
	if (cfg)
		cf_wipe(cfg, sizeof *cfg);
}
