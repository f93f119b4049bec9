/*
 * chitfund/app.h - the application object: configuration and construction.
 *
 * A cf_app holds copies of the ports (chitfund/sys/ports.h) and the
 * configuration; it is immutable after cf_app_new and safe to share between
 * threads (each use case call opens its own transaction).
 */
#ifndef CHITFUND_APP_H
#define CHITFUND_APP_H

#include <stdint.h>

#include "chitfund/errors.h"
#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The application (opaque). */
typedef struct cf_app cf_app;
/** The ports struct, defined in chitfund/sys/ports.h (composition roots only). */
#ifndef CF_PORTS_TYPEDEF
#define CF_PORTS_TYPEDEF
typedef struct cf_ports cf_ports; /* defined in chitfund/sys/ports.h */
#endif

/** Tunables. Start from cf_app_config_init. */
typedef struct cf_app_config {
	int64_t access_token_ttl_s;         /**< default 1800 (ACCESS_TOKEN_EXPIRE_MINUTES=30) */
	int64_t refresh_token_ttl_s;        /**< default 14 days */
	int32_t login_failures_per_account; /**< default 5 (0: no account budget) */
	int32_t login_failures_per_address; /**< default 20 (0: no address budget) */
	int64_t login_window_s;             /**< default 900 */
	int32_t password_min_len;           /**< default 10 (characters, UTF-8 code points) */
	int32_t password_max_len;           /**< default 128 */
	int32_t tx_max_attempts;            /**< CF_ERETRY retries per use case, default 5 */
	char token_issuer[64];              /**< "iss" of access tokens, default "chitfund" */
	int64_t anti_sniping_s; /**< bid in the last N s of a timed auction extends it by N; 0: 60
	                         */
} cf_app_config;

/** Fill *cfg with the defaults above. */
void cf_app_config_init(cf_app_config *cfg);

/**
 * Build an app from ports (copied; not adopted: the caller keeps the adapters
 * alive until cf_app_free and destroys them after) and cfg (NULL: defaults).
 * Computes a dummy password hash once (for constant-time login refusals).
 * CF_EVERSION when a port's version is 0 or newer than this library knows,
 * CF_EINVALID when a required method is missing or cfg is out of range
 * (err->field names the port or setting), CF_ENOMEM.
 * *out is set only on success; free with cf_app_free.
 */
int cf_app_new(cf_app **out, const cf_ports *ports, const cf_app_config *cfg, cf_error *err);

/** Free an app (NULL-safe). Does not touch the adapters behind its ports. */
void cf_app_free(cf_app *app);

/** The configuration in effect (borrowed; lives as long as app). */
const cf_app_config *cf_app_get_config(const cf_app *app);

#ifdef __cplusplus
}
#endif
#endif
