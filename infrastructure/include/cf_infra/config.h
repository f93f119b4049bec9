/*
 * cf_infra/config.h - server configuration from the environment: the one
 * reader of the variables docs/operations.md documents.
 */
/* clang-format off */
/*
 * Variable                             (default; range)
 *   DATABASE_URL                        (""; the server refuses to start without it)
 *   SECRET_KEY                          required, >= 32 bytes, not a known default
 *   CHITFUND_DATA_KEY                   required in production; 32 bytes as 64 hex chars
 *                                       or base64/base64url
 *   CHITFUND_DATA_KEY_ID                ("k1"; 1..32 of [A-Za-z0-9._-])
 *   PORT                                (8080; 1..65535)
 *   CHITFUND_LISTEN                     ("127.0.0.1")
 *   ACCESS_TOKEN_EXPIRE_MINUTES         (30; 1..1440)
 *   CHITFUND_REFRESH_TOKEN_DAYS         (14; 1..365)
 *   CHITFUND_POOL_SIZE                  (16; 1..1000)
 *   CHITFUND_POOL_WAIT_MS               (2000; 0..60000)
 *   CHITFUND_THREADS                    (256; 1..4096)
 *   CHITFUND_ENV                        (production; production|development|test)
 *   CHITFUND_TEST_NOW                   (unset; RFC 3339, honoured only when env = test)
 *   CHITFUND_LOGIN_FAILURES_PER_ACCOUNT (5; 1..1000000)
 *   CHITFUND_LOGIN_FAILURES_PER_ADDRESS (20; 1..1000000)
 *   CHITFUND_LOGIN_WINDOW_S             (900; 1..86400)
 *   CHITFUND_TRUSTED_PROXIES            (""; comma-separated addresses/CIDRs, kept as text)
 *   CHITFUND_PASSWORD_COST              (yescrypt cost: 5; 5..11, or 1..11 when env = test,
 *                                        where the default is 1)
 *   CHITFUND_ANTI_SNIPING_S             (60; 0..3600)
 *   CHITFUND_IDEMPOTENCY_HOURS          (24; 24..720)
 *   CHITFUND_LOG_LEVEL                  (info; debug|info|warn|error)
 *
 * In development (CHITFUND_ENV=development) a missing, short or default
 * SECRET_KEY is replaced by a random one with a warning on the log; otherwise
 * it is refused. A missing CHITFUND_DATA_KEY is refused in production and
 * replaced by a random key in development (with a warning) and test.
 * Integers are parsed strictly (decimal, no sign, no spaces, whole string).
 * Secrets are never logged and never put into error messages.
 */
/* clang-format on */
#ifndef CF_INFRA_CONFIG_H
#define CF_INFRA_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Deployment environment. */
typedef enum cf_env { CF_ENV_PRODUCTION = 0, CF_ENV_DEVELOPMENT = 1, CF_ENV_TEST = 2 } cf_env;

#define CF_CONFIG_SECRET_MAX 256 /**< longest SECRET_KEY kept, bytes */

/** Everything read from the environment. Plain value; wipe with cf_config_dispose. */
typedef struct cf_config {
	char database_url[2048];
	unsigned char secret_key[CF_CONFIG_SECRET_MAX];
	size_t secret_key_len;
	uint8_t data_key[32];
	char data_key_id[33];
	int port;
	char listen[256];
	int access_token_minutes;
	int refresh_token_days;
	int pool_size;
	int pool_wait_ms;
	int threads;
	cf_env env;
	bool has_test_now;   /**< CHITFUND_TEST_NOW given and env = test */
	int64_t test_now_ms; /**< its value, Unix ms */
	int login_failures_per_account;
	int login_failures_per_address;
	int login_window_s;
	char trusted_proxies[1024];
	int password_cost;
	int anti_sniping_s;
	int idempotency_hours;
	int log_level;             /**< a cf_log_level */
	bool generated_secret_key; /**< development: SECRET_KEY was generated */
	bool generated_data_key;   /**< development: CHITFUND_DATA_KEY was generated */
} cf_config;

/**
 * Read the environment into *cfg (see the file comment). On failure returns
 * CF_EINVALID with err->field naming the variable and a message that holds no
 * secret; *cfg is then wiped. CF_ERROR when no randomness is available.
 */
int cf_config_load(cf_config *cfg, cf_error *err);

/** Flags for cf_config_load_flags. */
#define CF_CONFIG_NO_SECRETS 1u /**< skip SECRET_KEY and CHITFUND_DATA_KEY(_ID): left empty */

/**
 * cf_config_load with flags. CF_CONFIG_NO_SECRETS is for commands that sign
 * and seal nothing (e.g. migrate): the secrets are neither read nor required,
 * and secret_key_len stays 0. Every other variable is read and checked as by
 * cf_config_load.
 */
int cf_config_load_flags(cf_config *cfg, unsigned flags, cf_error *err);

/** Wipe the secrets in *cfg (and the rest of it). NULL-safe. */
void cf_config_dispose(cf_config *cfg);

/** "production", "development" or "test". */
const char *cf_env_name(cf_env env);

/**
 * Strict decimal integer: digits only (a leading '-' when min < 0), the whole
 * string, within min..max. CF_OK or CF_EINVALID.
 */
int cf_parse_int(const char *text, long long min, long long max, long long *out);

#ifdef __cplusplus
}
#endif
#endif
