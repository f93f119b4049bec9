/*
 * server_env.h - chitfund-server's configuration from the environment.
 *
 * Variables (defaults in brackets): DATABASE_URL (required), SECRET_KEY
 * (required, >= 32 bytes, not a known placeholder, unless
 * CHITFUND_ENV=development), PORT [8080], CHITFUND_BIND [127.0.0.1],
 * CHITFUND_NUM_THREADS [256], CHITFUND_REQUEST_TIMEOUT_MS [30000],
 * CHITFUND_KEEP_ALIVE [1], CHITFUND_POOL_SIZE [16], CHITFUND_POOL_WAIT_MS
 * [2000], ACCESS_TOKEN_EXPIRE_MINUTES [30], CHITFUND_REFRESH_TOKEN_DAYS [14],
 * CHITFUND_LOGIN_FAILURES_PER_ACCOUNT [5], CHITFUND_LOGIN_FAILURES_PER_ADDRESS
 * [20], CHITFUND_LOGIN_WINDOW_S [900], CHITFUND_TRUSTED_PROXIES [""],
 * CHITFUND_DOCS_DIR [node_modules/swagger-ui-dist], CHITFUND_ACCESS_LOG [1],
 * CHITFUND_ENV [production], CHITFUND_MIGRATIONS_DIR [migrations].
 */
#ifndef CF_SERVER_ENV_H
#define CF_SERVER_ENV_H

#include <stdbool.h>

#include "chitfund/app.h"
#include "chitfund/errors.h"
#include "http_server.h"

/** Everything the server reads from its environment (strings borrowed from environ). */
typedef struct cf_server_env {
	const char *database_url;
	const char *secret_key;
	const char *env_name; /**< "production", "development", "test" */
	char listen[96];      /**< "127.0.0.1:8080" */
	int pool_size;
	int pool_wait_ms;
	cf_http_config http;
	cf_app_config app;
} cf_server_env;

/**
 * Read and validate the environment. `need_secret` false for subcommands
 * that sign nothing (migrate). CF_EINVALID with field = the variable name.
 */
int cf_server_env_read(cf_server_env *e, bool need_secret, cf_error *err);

#endif
