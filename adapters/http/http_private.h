/*
 * http_private.h - internals shared by the frontend's source files (not
 * for use outside adapters/http).
 */
#ifndef CF_HTTP_PRIVATE_H
#define CF_HTTP_PRIVATE_H

#include "http_core.h"
#include "http_metrics.h"
#include "http_ratelimit.h"
#include "http_server.h"
#include "chitfund/audit.h"
#include "chitfund/notifications.h"
#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A running frontend. */
struct cf_http_server {
	struct mg_context *ctx;
	cf_http_config cfg; /* strings below are owned copies */
	char *listen, *docs_dir, *trusted_proxies;
	const cf_http_route *routes;
	size_t nroutes;
	cf_http_metrics *metrics;
	cf_http_ratelimit *ratelimit; /* NULL: no request budget */
};

/** The app behind a request. */
static inline cf_app *cf_http_app(const cf_http_req *r)
{
	return r->srv->cfg.app;
}

/* ---- handlers (one use case each; see routes.c for their routes) ---- */
int cf_h_healthz(cf_http_req *r);
int cf_h_readyz(cf_http_req *r);
int cf_h_metrics(cf_http_req *r);
int cf_h_openapi(cf_http_req *r);
int cf_h_docs(cf_http_req *r);
int cf_h_docs_file(cf_http_req *r);

int cf_h_register(cf_http_req *r);
int cf_h_login(cf_http_req *r);
int cf_h_refresh(cf_http_req *r);
int cf_h_logout(cf_http_req *r);
int cf_h_me_get(cf_http_req *r);
int cf_h_me_patch(cf_http_req *r);
int cf_h_me_password(cf_http_req *r);
int cf_h_me_tickets(cf_http_req *r);
int cf_h_users_list(cf_http_req *r);
int cf_h_users_get(cf_http_req *r);
int cf_h_users_patch(cf_http_req *r);

int cf_h_schemes_create(cf_http_req *r);
int cf_h_schemes_list(cf_http_req *r);
int cf_h_schemes_get(cf_http_req *r);
int cf_h_schemes_patch(cf_http_req *r);
int cf_h_schemes_open(cf_http_req *r);
int cf_h_schemes_agent_add(cf_http_req *r);
int cf_h_schemes_agent_del(cf_http_req *r);
int cf_h_schemes_enrol(cf_http_req *r);
int cf_h_schemes_members(cf_http_req *r);
int cf_h_schemes_commence(cf_http_req *r);
int cf_h_schemes_schedule(cf_http_req *r);

int cf_h_audit_list(cf_http_req *r);

/* ---- helpers shared by handlers ---- */

/**
 * Path parameter i as a UUID: CF_OK, or a 404 not-found error in err (a
 * path id that is not a UUID is "not found", like an unknown one).
 */
int cf_http_param_uuid(cf_http_req *r, int i, const char **out, cf_error *err);

/** Parse ?limit= (1..200, default 50) and ?cursor=; CF_EINVALID validation-error. */
int cf_http_page_params(cf_http_req *r, size_t *limit, char *cursor, size_t cursor_size,
                        cf_error *err);

/* ---- JSON encoders (http_codec.c); each returns a new object or NULL on OOM ---- */
cJSON *cf_json_user(const cf_user *u);
cJSON *cf_json_scheme(const cf_scheme *s);
/** A notification as the API shows it: {id, kind, scheme_id, subject, body, created_at, read_at}.
 */
cJSON *cf_json_notification(const cf_notification *n);
cJSON *cf_json_ticket(const cf_ticket *t);
cJSON *cf_json_audit_entry(const cf_audit_entry *e);
/** Add "name": RFC 3339 time, or null when ms == 0. */
void cf_json_add_time(cJSON *o, const char *name, int64_t ms);
/** Add "name": "YYYY-MM-DD". */
void cf_json_add_date(cJSON *o, const char *name, cf_date d);
/** Add "name": text, or null when text is "". */
void cf_json_add_text_or_null(cJSON *o, const char *name, const char *text);
/** Add "name": an integer (exact for |v| <= 2^53-1). */
void cf_json_add_int(cJSON *o, const char *name, int64_t v);
/** {"items": items, "next_cursor": cursor or null}. Takes items. */
cJSON *cf_json_page(cJSON *items, const char *next_cursor);

#ifdef __cplusplus
}
#endif
#endif
