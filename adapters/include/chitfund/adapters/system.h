/*
 * chitfund/adapters/system.h - the production service ports: clock
 * (clock_gettime, or CHITFUND_TEST_NOW's offset clock in test), rng
 * (RAND_bytes), password hasher (libxcrypt yescrypt), token signer (libjwt
 * HS256), cipher (AES-256-GCM; cf_sealed.data = nonce || ciphertext || tag)
 * and digest (SHA-256).
 *
 *   cf_system_config sc;
 *   cf_system_config_from_config(&sc, &cfg); // from cf_config_load; or fill by hand
 *   cf_system *sys;
 *   cf_system_new(&sys, &sc, &err);
 *   cf_system_ports(sys, &ports);       // fills the six service ports
 *   ... cf_app_new / cf_app_free ...
 *   cf_system_free(sys);                // after the app is gone
 *
 * The ports are thread-safe; cf_system is immutable after cf_system_new.
 */
#ifndef CHITFUND_ADAPTERS_SYSTEM_H
#define CHITFUND_ADAPTERS_SYSTEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/errors.h"
#include "chitfund/sys/ports.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * What cf_system_new needs. Strings are borrowed only during cf_system_new.
 * NULL or 0 means "default" as noted.
 */
typedef struct cf_system_config {
	const char *env;         /**< "production" (NULL), "development" or "test" */
	const char *secret_key;  /**< HS256 key text, >= 32 bytes (development: random if NULL) */
	size_t secret_key_len;   /**< 0: strlen(secret_key) */
	const char *data_key;    /**< 32 bytes as 64 hex or base64 chars (NULL: random
	                              outside production) */
	const char *data_key_id; /**< key id stored beside each sealed value (NULL: "k1") */
	int password_cost;       /**< yescrypt cost 1..11 (0: 5, or 1 in test) */
	const char *test_now;    /**< RFC 3339 start instant; honoured only in test */
	const uint8_t *data_key_raw; /**< the 32 key bytes themselves (NULL: use data_key);
	                                  when set, data_key is ignored */
	bool has_test_now;           /**< test_now_ms is the start instant (test_now ignored) */
	int64_t test_now_ms;         /**< start instant, Unix ms; honoured only in test */
} cf_system_config;

/** Opaque holder of the keys and clocks behind the ports. */
typedef struct cf_system cf_system;

/**
 * Fill *sc from CHITFUND_ENV, SECRET_KEY, CHITFUND_DATA_KEY,
 * CHITFUND_DATA_KEY_ID, CHITFUND_PASSWORD_COST (unset: 0; not a number: -1,
 * which cf_system_new refuses) and CHITFUND_TEST_NOW. String pointers are
 * borrowed from the environment.
 */
void cf_system_config_from_env(cf_system_config *sc);

struct cf_config;

/**
 * Fill *sc from a configuration that cf_config_load (cf_infra/config.h) has
 * already read and checked: CHITFUND_ENV, the SECRET_KEY bytes, the decoded
 * CHITFUND_DATA_KEY and its id, the resolved password cost and the
 * CHITFUND_TEST_NOW instant. Reads no environment variable. *sc borrows cfg's
 * storage: keep cfg alive and unchanged until cf_system_new returns.
 */
void cf_system_config_from_config(cf_system_config *sc, const struct cf_config *cfg);

/**
 * Build the ports' state. CF_EINVALID (err->field names the setting: a short
 * or default SECRET_KEY outside development, a bad or missing data key in
 * production, a bad CHITFUND_TEST_NOW or cost), CF_ENOMEM, CF_ERROR.
 * *out is owned by the caller: cf_system_free.
 */
int cf_system_new(cf_system **out, const cf_system_config *sc, cf_error *err);

/** Wipe the keys and free. NULL-safe. Call after the app using the ports is freed. */
void cf_system_free(cf_system *sys);

/**
 * Fill ports->clock, rng, hasher, signer, cipher and digest (other members are
 * left alone). The ports borrow sys.
 */
void cf_system_ports(cf_system *sys, cf_ports *ports);

#ifdef __cplusplus
}
#endif
#endif
