/*
 * server_env.h - chitfund-server's configuration from the environment.
 *
 * The shared settings (DATABASE_URL, SECRET_KEY, CHITFUND_ENV, PORT,
 * CHITFUND_LISTEN, CHITFUND_THREADS, CHITFUND_POOL_SIZE, CHITFUND_POOL_WAIT_MS,
 * ACCESS_TOKEN_EXPIRE_MINUTES, CHITFUND_REFRESH_TOKEN_DAYS, the login budgets,
 * CHITFUND_TRUSTED_PROXIES, ... : cf_infra/config.h and docs/operations.md)
 * are read by cf_config_load, never here. This file adds only what belongs to
 * the HTTP server process (default; range):
 *
 *   CHITFUND_REQUEST_TIMEOUT_MS  (30000; 100..3600000) civetweb request_timeout_ms
 *   CHITFUND_KEEP_ALIVE          (1; 0..1)            HTTP keep-alive
 *   CHITFUND_ACCESS_LOG          (1; 0..1)            one JSON line per request
 *   CHITFUND_RATE_LIMIT_RPS      (50; 0..1000000)     per-client requests/s (0: off)
 *   CHITFUND_RATE_LIMIT_BURST    (100; 0..1000000)    per-client burst (0: off)
 *   CHITFUND_DOCS_DIR            (node_modules/swagger-ui-dist) assets of GET /docs
 *
 * CHITFUND_MIGRATIONS_DIR is read by cf_pg_migrations_dir (cf_infra/pg_migrate.h).
 * The names CHITFUND_BIND and CHITFUND_NUM_THREADS of earlier builds are
 * refused with a message naming CHITFUND_LISTEN / CHITFUND_THREADS, so an old
 * deployment does not silently listen elsewhere.
 */
#ifndef CF_SERVER_ENV_H
#define CF_SERVER_ENV_H

#include <stdbool.h>

#include "cf_infra/config.h"
#include "chitfund/app.h"
#include "chitfund/errors.h"
#include "http_server.h"

/** Everything the server reads from its environment. Wipe with cf_server_env_dispose. */
typedef struct cf_server_env {
	cf_config cfg;            /**< the shared configuration (cf_config_load) */
	const char *database_url; /**< cfg.database_url */
	const char *secret_key;   /**< NUL-terminated SECRET_KEY (a generated one as hex);
	                               NULL when read without secrets */
	const char *env_name;     /**< "production", "development", "test" */
	char listen[300];         /**< "127.0.0.1:8080" */
	int pool_size;
	int pool_wait_ms;
	size_t cache_entries;   /**< CHITFUND_CACHE_ENTRIES (default 4096; 0: no read cache) */
	bool early_release;     /**< CHITFUND_EARLY_RELEASE (default 1; decision 0007) */
	const char *notify_url; /**< CHITFUND_NOTIFY_URL (deliver: the webhook) or NULL */
	int notify_batch;       /**< CHITFUND_NOTIFY_BATCH (default 100) */
	int notify_interval_ms; /**< CHITFUND_NOTIFY_INTERVAL_MS: idle wait (default 1000) */
	int notify_timeout_ms;  /**< CHITFUND_NOTIFY_TIMEOUT_MS: per post (default 5000) */
	cf_http_config http;
	cf_app_config app;
	char secret_text[2 * CF_CONFIG_SECRET_MAX + 1]; /**< storage behind secret_key */
} cf_server_env;

/**
 * Read and validate the environment (cf_config_load plus the variables
 * above). `need_secret` false for subcommands that sign nothing (migrate):
 * SECRET_KEY and CHITFUND_DATA_KEY are then not read. CF_EINVALID with field =
 * the variable name; *e is wiped on failure.
 */
int cf_server_env_read(cf_server_env *e, bool need_secret, cf_error *err);

/** Wipe *e (secrets included). NULL-safe. */
void cf_server_env_dispose(cf_server_env *e);

#endif
