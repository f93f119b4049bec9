/*
 * server_env.c - see server_env.h.
 */
#include "server_env.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An integer variable within [min, max], or def when unset/empty. */
static int env_int(const char *name, long long def, long long min, long long max, long long *out,
                   cf_error *err)
{
	const char *v = getenv(name);
	char *end = NULL;
	long long x;

	if (!v || !*v) {
		*out = def;
		return CF_OK;
	}
	errno = 0;
	x = strtoll(v, &end, 10);
	if (errno || end == v || *end || x < min || x > max)
		return cf_error_set(err, CF_EINVALID, "validation-error", name,
		                    "%s must be an integer from %lld to %lld", name, min, max);
	*out = x;
	return CF_OK;
}

static const char *env_str(const char *name, const char *def)
{
	const char *v = getenv(name);
	return v && *v ? v : def;
}

int cf_server_env_read(cf_server_env *e, bool need_secret, cf_error *err)
{
	static const char *const placeholders[] = {
	        "secret",      "changeme",   "change-me", "change-me-in-production",
	        "development", "dev-secret", NULL};
	long long port, threads, timeout, keep, pool, wait, ttl_min, days, acct, addr, win, alog;
	int rc;

	memset(e, 0, sizeof *e);
	cf_app_config_init(&e->app);
	cf_http_config_init(&e->http);
	e->env_name = env_str("CHITFUND_ENV", "production");
	e->database_url = env_str("DATABASE_URL", NULL);
	e->secret_key = env_str("SECRET_KEY", NULL);
	if (!e->database_url)
		return cf_error_set(err, CF_EINVALID, "validation-error", "DATABASE_URL",
		                    "DATABASE_URL is required");
	if (need_secret && strcmp(e->env_name, "development") != 0) {
		bool bad = !e->secret_key || strlen(e->secret_key) < 32;
		for (int i = 0; !bad && placeholders[i]; i++)
			bad = strcmp(e->secret_key, placeholders[i]) == 0;
		if (bad)
			return cf_error_set(
			        err, CF_EINVALID, "validation-error", "SECRET_KEY",
			        "SECRET_KEY must be set to a random value of at least 32 "
			        "bytes (only CHITFUND_ENV=development allows a default)");
	}
	if (!e->secret_key)
		e->secret_key = "development-only-secret-key-not-for-production-use";
	if ((rc = env_int("PORT", 8080, 0, 65535, &port, err)) < 0 ||
	    (rc = env_int("CHITFUND_NUM_THREADS", 256, 1, 4096, &threads, err)) < 0 ||
	    (rc = env_int("CHITFUND_REQUEST_TIMEOUT_MS", 30000, 100, 3600000, &timeout, err)) < 0 ||
	    (rc = env_int("CHITFUND_KEEP_ALIVE", 1, 0, 1, &keep, err)) < 0 ||
	    (rc = env_int("CHITFUND_POOL_SIZE", 16, 1, 1000, &pool, err)) < 0 ||
	    (rc = env_int("CHITFUND_POOL_WAIT_MS", 2000, 0, 600000, &wait, err)) < 0 ||
	    (rc = env_int("ACCESS_TOKEN_EXPIRE_MINUTES", 30, 1, 1440, &ttl_min, err)) < 0 ||
	    (rc = env_int("CHITFUND_REFRESH_TOKEN_DAYS", 14, 1, 365, &days, err)) < 0 ||
	    (rc = env_int("CHITFUND_LOGIN_FAILURES_PER_ACCOUNT", 5, 0, 1000000, &acct, err)) < 0 ||
	    (rc = env_int("CHITFUND_LOGIN_FAILURES_PER_ADDRESS", 20, 0, 1000000, &addr, err)) < 0 ||
	    (rc = env_int("CHITFUND_LOGIN_WINDOW_S", 900, 1, 86400 * 7, &win, err)) < 0 ||
	    (rc = env_int("CHITFUND_ACCESS_LOG", 1, 0, 1, &alog, err)) < 0)
		return rc;
	snprintf(e->listen, sizeof e->listen, "%s:%lld", env_str("CHITFUND_BIND", "127.0.0.1"),
	         port);
	e->pool_size = (int)pool;
	e->pool_wait_ms = (int)wait;
	e->http.listen = e->listen;
	e->http.num_threads = (int)threads;
	e->http.request_timeout_ms = (int)timeout;
	e->http.keep_alive = keep != 0;
	e->http.access_log = alog != 0;
	e->http.docs_dir = env_str("CHITFUND_DOCS_DIR", "node_modules/swagger-ui-dist");
	e->http.trusted_proxies = env_str("CHITFUND_TRUSTED_PROXIES", "");
	e->app.access_token_ttl_s = ttl_min * 60;
	e->app.refresh_token_ttl_s = days * 86400;
	e->app.login_failures_per_account = (int32_t)acct;
	e->app.login_failures_per_address = (int32_t)addr;
	e->app.login_window_s = win;
	return CF_OK;
}
