/*
 * http_server.c - see http_server.h.
 */
#include "http_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund/auth.h"
#include "http_log.h"

void cf_http_config_init(cf_http_config *c)
{
	memset(c, 0, sizeof *c);
	c->listen = "127.0.0.1:8080";
	c->num_threads = 256;
	c->request_timeout_ms = 30000;
	c->keep_alive = true;
	c->access_log = true;
}

static unsigned role_bit(cf_role role)
{
	switch (role) {
	case CF_ROLE_ADMIN: return CF_HTTP_ROLE_ADMIN;
	case CF_ROLE_FOREMAN: return CF_HTTP_ROLE_FOREMAN;
	case CF_ROLE_AGENT: return CF_HTTP_ROLE_AGENT;
	case CF_ROLE_AUDITOR: return CF_HTTP_ROLE_AUDITOR;
	case CF_ROLE_SUBSCRIBER: return CF_HTTP_ROLE_SUBSCRIBER;
	default: return 0;
	}
}

/* True when addr is one of the comma-separated entries of list. */
static bool in_list(const char *list, const char *addr, size_t addr_len)
{
	const char *p = list;

	while (p && *p) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t n = strcspn(p, ", ");
		if (n && n == addr_len && strncmp(p, addr, n) == 0)
			return true;
		p += n;
	}
	return false;
}

/* The client address: the peer, or (behind a trusted proxy) the rightmost
 * X-Forwarded-For entry that is not itself a trusted proxy. */
static void client_addr(cf_http_req *r)
{
	const char *peer = r->ri->remote_addr;
	const char *tp = r->srv->trusted_proxies;
	const char *xff;

	snprintf(r->client_addr, sizeof r->client_addr, "%s", peer);
	if (!tp || !*tp || !in_list(tp, peer, strlen(peer)))
		return;
	xff = cf_http_header(r, "X-Forwarded-For");
	if (!xff)
		return;
	size_t end = strlen(xff);
	while (end > 0) {
		size_t start = end;
		while (start > 0 && xff[start - 1] != ',')
			start--;
		const char *s = xff + start;
		size_t n = end - start;
		while (n && *s == ' ') {
			s++;
			n--;
		}
		while (n && s[n - 1] == ' ')
			n--;
		if (n && !in_list(tp, s, n)) {
			if (n < sizeof r->client_addr)
				snprintf(r->client_addr, sizeof r->client_addr, "%.*s", (int)n, s);
			return;
		}
		end = start ? start - 1 : 0;
	}
}

/* Authenticate the bearer token; sends 401/403 itself and returns non-zero on refusal. */
static int authorize(cf_http_req *r)
{
	const char *h = cf_http_header(r, "Authorization");
	cf_error err = CF_ERROR_INIT;
	char rid[CF_REQUEST_ID_SIZE];

	if (!h || strncasecmp(h, "Bearer ", 7) != 0 || h[7] == '\0') {
		cf_error_set(&err, CF_EUNAUTHENTICATED, "unauthenticated", "",
		             "a bearer access token is required");
		return cf_http_fail(r, &err);
	}
	h += 7;
	while (*h == ' ')
		h++;
	snprintf(rid, sizeof rid, "%.*s", (int)sizeof rid - 1, r->request_id);
	if (cf_auth_authenticate(cf_http_app(r), h, strlen(h), rid, r->client_addr, &r->actor,
	                         &err) < 0) {
		if (err.code != CF_EUNAUTHENTICATED && cf_http_status_for(&err) != 500)
			cf_error_set(&err, CF_EUNAUTHENTICATED, "unauthenticated", "",
			             "the access token is not valid");
		return cf_http_fail(r, &err);
	}
	if (!(role_bit(r->actor.role) & r->route->roles)) {
		cf_error_set(&err, CF_EFORBIDDEN, "forbidden", "",
		             "your role may not use this operation");
		return cf_http_fail(r, &err);
	}
	return 0;
}

static void access_log(cf_http_req *r)
{
	char q[512];
	cJSON *f = cJSON_CreateObject();

	if (!f)
		return;
	cJSON_AddStringToObject(f, "request_id", r->request_id);
	cJSON_AddStringToObject(f, "method", r->ri->request_method);
	cJSON_AddStringToObject(f, "path", r->ri->local_uri ? r->ri->local_uri : "");
	if (r->ri->query_string) {
		cf_http_scrub_query(r->ri->query_string, q, sizeof q);
		cJSON_AddStringToObject(f, "query", q);
	}
	cJSON_AddStringToObject(f, "route", r->route ? r->route->pattern : "");
	/* numbers as raw text: no double formatting on the hot path */
	long us = (long)(cf_http_elapsed_ms(r) * 1000);
	char num[32];

	snprintf(num, sizeof num, "%d", r->status);
	cJSON_AddRawToObject(f, "status", num);
	snprintf(num, sizeof num, "%ld.%03ld", us / 1000, us % 1000);
	cJSON_AddRawToObject(f, "duration_ms", num);
	snprintf(num, sizeof num, "%zu", r->bytes_out);
	cJSON_AddRawToObject(f, "bytes", num);
	cJSON_AddStringToObject(f, "client", r->client_addr);
	if (r->actor.user_id[0])
		cJSON_AddStringToObject(f, "user_id", r->actor.user_id);
	cf_http_log("info", "request", f);
}

static int dispatch(struct mg_connection *conn, void *cbdata)
{
	cf_http_server *s = cbdata;
	cf_http_req req, *r = &req; /* on the stack: a 5 KiB malloc per request costs more */
	const char *rid;
	char allow[64];
	cf_error err = CF_ERROR_INIT;
	cf_http_match m;
	int status;

	memset(r, 0, sizeof *r);
	clock_gettime(CLOCK_MONOTONIC, &r->started);
	r->conn = conn;
	r->ri = mg_get_request_info(conn);
	r->srv = s;
	rid = mg_get_header(conn, "X-Request-Id");
	if (cf_http_request_id_valid(rid))
		snprintf(r->request_id, sizeof r->request_id, "%s", rid);
	else
		cf_http_new_request_id(r->request_id, sizeof r->request_id);
	client_addr(r);
	cf_actor_anonymous(&r->actor, NULL, r->client_addr);
	snprintf(r->actor.request_id, sizeof r->actor.request_id, "%.*s",
	         (int)sizeof r->actor.request_id - 1, r->request_id);

	m = cf_http_route_find(s->routes, s->nroutes, r->ri->request_method,
	                       r->ri->local_uri ? r->ri->local_uri : "", &r->route, &r->params,
	                       allow, sizeof allow);
	if (m == CF_HTTP_MATCH_FOUND && r->route->roles != 0)
		authorize(r); /* a refusal is answered (401/403) and then only charged below */
	if (cf_http_ratelimit_admit(r) != 0) /* answered: 429, or refused above */
		goto answered;
	switch (m) {
	case CF_HTTP_MATCH_FOUND: r->route->handler(r); break;
	case CF_HTTP_MATCH_NO_METHOD: {
		const char *h[] = {"Allow", allow, NULL};
		cf_http_send_problem(r, 405, "method-not-allowed",
		                     "this resource does not support the method", h);
		break;
	}
	default:
		cf_error_set(&err, CF_ENOTFOUND, "not-found", "", "no such resource");
		cf_http_fail(r, &err);
		break;
	}
answered:
	if (r->status == 0) {
		cf_error_set(&err, CF_ERROR, "internal-error", "", "handler sent no response");
		cf_http_fail(r, &err);
	}
	status = r->status;
	cf_http_metrics_observe(s->metrics, r->route, status, cf_http_elapsed_ms(r) / 1e3);
	if (s->cfg.access_log)
		access_log(r);
	free(r->body);
	return status;
}

static int log_message(const struct mg_connection *conn, const char *message)
{
	cJSON *f = cJSON_CreateObject();

	cJSON_AddStringToObject(f, "detail", message);
	cf_http_log("warn", "civetweb", f);
	return 1;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void server_free(cf_http_server *s)
{
	if (!s)
		return;
	cf_http_metrics_free(s->metrics);
	cf_http_ratelimit_free(s->ratelimit);
	free(s->listen);
	free(s->docs_dir);
	free(s->trusted_proxies);
	free(s);
}

int cf_http_start(cf_http_server **out, const cf_http_config *cfg, cf_error *err)
{
	char threads[16], timeout[16], text[256] = "";
	unsigned code = 0;
	struct mg_callbacks cb;
	struct mg_init_data init;
	struct mg_error_data e;
	cf_http_server *s = calloc(1, sizeof *s);

	*out = NULL;
	if (!s)
		return cf_error_set(err, CF_ENOMEM, "internal-error", "", "out of memory");
	s->cfg = *cfg;
	s->listen = strdup(cfg->listen ? cfg->listen : "127.0.0.1:8080");
	s->docs_dir = dup_or_null(cfg->docs_dir);
	s->trusted_proxies = dup_or_null(cfg->trusted_proxies);
	s->routes = cf_http_routes(&s->nroutes);
	s->metrics = cf_http_metrics_new(s->routes, s->nroutes);
	if (cfg->rate_limit_rps > 0 && cfg->rate_limit_burst > 0)
		s->ratelimit = cf_http_ratelimit_new(cfg->rate_limit_rps < CF_HTTP_RATELIMIT_MAX
		                                             ? cfg->rate_limit_rps * 1000u
		                                             : CF_HTTP_RATELIMIT_MAX * 1000u,
		                                     cfg->rate_limit_burst, 0);
	if (!s->listen || (cfg->docs_dir && !s->docs_dir) ||
	    (cfg->trusted_proxies && !s->trusted_proxies) || !s->metrics ||
	    (cfg->rate_limit_rps > 0 && cfg->rate_limit_burst > 0 && !s->ratelimit)) {
		server_free(s);
		return cf_error_set(err, CF_ENOMEM, "internal-error", "", "out of memory");
	}
	s->cfg.listen = s->listen;
	s->cfg.docs_dir = s->docs_dir;
	s->cfg.trusted_proxies = s->trusted_proxies;
	snprintf(threads, sizeof threads, "%d", cfg->num_threads > 0 ? cfg->num_threads : 256);
	snprintf(timeout, sizeof timeout, "%d",
	         cfg->request_timeout_ms > 0 ? cfg->request_timeout_ms : 30000);
	const char *opts[] = {"listening_ports",
	                      s->listen,
	                      "num_threads",
	                      threads,
	                      "request_timeout_ms",
	                      timeout,
	                      "enable_keep_alive",
	                      cfg->keep_alive ? "yes" : "no",
	                      "tcp_nodelay",
	                      "1",
	                      "decode_url",
	                      "yes",
	                      NULL}; /* no document_root: an API server serves no files */
	memset(&cb, 0, sizeof cb);
	cb.log_message = log_message;
	init.callbacks = &cb;
	init.user_data = s;
	init.configuration_options = opts;
	e.code = &code;
	e.text = text;
	e.text_buffer_size = sizeof text;
	s->ctx = mg_start2(&init, &e);
	if (!s->ctx) {
		server_free(s);
		return cf_error_set(err, CF_ERROR, "internal-error", "listen", "civetweb: %s",
		                    text[0] ? text : "could not start");
	}
	mg_set_request_handler(s->ctx, "/", dispatch, s);
	*out = s;
	return CF_OK;
}

int cf_http_port(const cf_http_server *s)
{
	struct mg_server_port ports[4];
	int n;

	memset(ports, 0, sizeof ports);
	n = mg_get_server_ports(s->ctx, 4, ports);
	return n > 0 ? ports[0].port : -1;
}

void cf_http_stop(cf_http_server *s)
{
	if (!s)
		return;
	mg_stop(s->ctx);
	server_free(s);
}
