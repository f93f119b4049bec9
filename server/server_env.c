/*
 * server_env.c - see server_env.h.
 */
#include "server_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_infra/crypto.h"
#include "http_ratelimit.h"

/* A server-only integer variable within [min, max], or def when unset/empty. */
static int env_int(const char *name, long long def, long long min, long long max, long long *out,
                   cf_error *err)
{
	const char *v = getenv(name);

	if (!v || !*v) {
		*out = def;
		return CF_OK;
	}
	if (cf_parse_int(v, min, max, out) != CF_OK)
		return cf_error_set(err, CF_EINVALID, "invalid-configuration", name,
		                    "%s must be an integer in %lld..%lld", name, min, max);
	return CF_OK;
}

/* Names of earlier builds: refuse them rather than ignore them. */
static int renamed(cf_error *err)
{
	static const char *const old_new[][2] = {{"CHITFUND_BIND", "CHITFUND_LISTEN"},
	                                         {"CHITFUND_NUM_THREADS", "CHITFUND_THREADS"}};

	for (size_t i = 0; i < sizeof old_new / sizeof old_new[0]; i++) {
		const char *v = getenv(old_new[i][0]);

		if (v && *v)
			return cf_error_set(err, CF_EINVALID, "invalid-configuration",
			                    old_new[i][0], "%s is no longer read: use %s",
			                    old_new[i][0], old_new[i][1]);
	}
	return CF_OK;
}

/* The key as NUL-terminated text: as given, or hex when it was generated. */
static int secret_text(cf_server_env *e, cf_error *err)
{
	const cf_config *c = &e->cfg;

	if (c->secret_key_len == 0) {
		e->secret_key = NULL;
		return CF_OK;
	}
	if (c->generated_secret_key) {
		if (cf_hex_encode(c->secret_key, c->secret_key_len, e->secret_text,
		                  sizeof e->secret_text) != CF_OK)
			return cf_error_set(err, CF_ERROR, "internal-error", "SECRET_KEY",
			                    "cannot encode the generated key");
	} else {
		/* from the environment: a C string without NUL bytes */
		memcpy(e->secret_text, c->secret_key, c->secret_key_len);
		e->secret_text[c->secret_key_len] = '\0';
	}
	e->secret_key = e->secret_text;
	return CF_OK;
}

int cf_server_env_read(cf_server_env *e, bool need_secret, cf_error *err)
{
	const cf_config *c = &e->cfg;
	long long timeout, keep, alog, rps, burst, cache, early, nbatch, nint, ntimeout;
	const char *docs;
	int rc;

	memset(e, 0, sizeof *e);
	if ((rc = renamed(err)) < 0)
		return rc;
	rc = cf_config_load_flags(&e->cfg, need_secret ? 0 : CF_CONFIG_NO_SECRETS, err);
	if (rc < 0)
		return rc;
	if (!c->database_url[0]) {
		rc = cf_error_set(err, CF_EINVALID, "invalid-configuration", "DATABASE_URL",
		                  "DATABASE_URL is required");
		goto fail;
	}
	if ((rc = env_int("CHITFUND_REQUEST_TIMEOUT_MS", 30000, 100, 3600000, &timeout, err)) < 0 ||
	    (rc = env_int("CHITFUND_KEEP_ALIVE", 1, 0, 1, &keep, err)) < 0 ||
	    (rc = env_int("CHITFUND_ACCESS_LOG", 1, 0, 1, &alog, err)) < 0 ||
	    (rc = env_int("CHITFUND_RATE_LIMIT_RPS", CF_HTTP_RATELIMIT_DEFAULT_RPS, 0,
	                  CF_HTTP_RATELIMIT_MAX, &rps, err)) < 0 ||
	    (rc = env_int("CHITFUND_RATE_LIMIT_BURST", CF_HTTP_RATELIMIT_DEFAULT_BURST, 0,
	                  CF_HTTP_RATELIMIT_MAX, &burst, err)) < 0 ||
	    (rc = env_int("CHITFUND_CACHE_ENTRIES", 4096, 0, 1 << 24, &cache, err)) < 0 ||
	    (rc = env_int("CHITFUND_EARLY_RELEASE", 1, 0, 1, &early, err)) < 0 ||
	    (rc = env_int("CHITFUND_NOTIFY_BATCH", 100, 1, 1000, &nbatch, err)) < 0 ||
	    (rc = env_int("CHITFUND_NOTIFY_INTERVAL_MS", 1000, 10, 3600000, &nint, err)) < 0 ||
	    (rc = env_int("CHITFUND_NOTIFY_TIMEOUT_MS", 5000, 100, 600000, &ntimeout, err)) < 0 ||
	    (rc = secret_text(e, err)) < 0)
		goto fail;
	if (snprintf(e->listen, sizeof e->listen, "%s:%d", c->listen, c->port) >=
	    (int)sizeof e->listen) {
		rc = cf_error_set(err, CF_EINVALID, "invalid-configuration", "CHITFUND_LISTEN",
		                  "CHITFUND_LISTEN is too long");
		goto fail;
	}
	e->database_url = c->database_url;
	e->env_name = cf_env_name(c->env);
	e->pool_size = c->pool_size;
	e->pool_wait_ms = c->pool_wait_ms;
	e->cache_entries = (size_t)cache; /* 0: no read cache */
	e->early_release = early != 0;    /* decision 0007 */
	e->notify_batch = (int)nbatch;
	e->notify_interval_ms = (int)nint;
	e->notify_timeout_ms = (int)ntimeout;
	e->notify_url = getenv("CHITFUND_NOTIFY_URL"); /* checked by `deliver` only */
	cf_http_config_init(&e->http);
	e->http.listen = e->listen;
	e->http.num_threads = c->threads;
	e->http.request_timeout_ms = (int)timeout;
	e->http.keep_alive = keep != 0;
	e->http.access_log = alog != 0;
	e->http.rate_limit_rps = (unsigned)rps; /* either 0: no request budget */
	e->http.rate_limit_burst = (unsigned)burst;
	docs = getenv("CHITFUND_DOCS_DIR");
	e->http.docs_dir = docs && *docs ? docs : "node_modules/swagger-ui-dist";
	e->http.trusted_proxies = c->trusted_proxies;
	cf_app_config_init(&e->app);
	e->app.access_token_ttl_s = (int64_t)c->access_token_minutes * 60;
	e->app.refresh_token_ttl_s = (int64_t)c->refresh_token_days * 86400;
	e->app.login_failures_per_account = c->login_failures_per_account;
	e->app.login_failures_per_address = c->login_failures_per_address;
	e->app.login_window_s = c->login_window_s;
	return CF_OK;
fail:
	cf_server_env_dispose(e);
	return rc;
}

void cf_server_env_dispose(cf_server_env *e)
{
	if (e == NULL)
		return;
	cf_config_dispose(&e->cfg);
	cf_wipe(e, sizeof *e);
}
