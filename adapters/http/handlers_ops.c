/*
 * handlers_ops.c - operational endpoints: /healthz, /readyz, /metrics,
 * /openapi.json and the /docs page (Swagger UI from local files installed
 * by scripts/npm-tools; nothing is loaded from a CDN).
 */
#include "http_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cf_h_healthz(cf_http_req *r)
{
	static const char ok[] = "{\"status\":\"ok\"}";
	return cf_http_send(r, 200, "application/json", ok, sizeof ok - 1, NULL);
}

int cf_h_readyz(cf_http_req *r)
{
	static const char ok[] = "{\"status\":\"ready\"}";
	cf_error err = CF_ERROR_INIT;

	if (r->srv->cfg.ready && r->srv->cfg.ready(r->srv->cfg.ready_ud, &err) < 0) {
		r->retry_after = 5;
		return cf_http_send_problem(r, 503, "service-unavailable",
		                            err.message[0] ? err.message : "not ready", NULL);
	}
	return cf_http_send(r, 200, "application/json", ok, sizeof ok - 1, NULL);
}

int cf_h_metrics(cf_http_req *r)
{
	char *text = cf_http_metrics_render(r->srv->metrics, r->srv->cfg.pool_stats,
	                                    r->srv->cfg.pool_ud);
	int rc;

	if (!text) {
		cf_error err = CF_ERROR_INIT;
		cf_error_set(&err, CF_ENOMEM, "internal-error", "", "out of memory");
		return cf_http_fail(r, &err);
	}
	rc = cf_http_send(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text),
	                  NULL);
	free(text);
	return rc;
}

int cf_h_openapi(cf_http_req *r)
{
	return cf_http_send(r, 200, "application/json", cf_http_openapi_json,
	                    strlen(cf_http_openapi_json), NULL);
}

static const char docs_html[] = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                "<title>chitfund API</title>"
                                "<link rel=\"stylesheet\" href=\"/docs/swagger-ui.css\"></head>"
                                "<body><div id=\"swagger-ui\"></div>"
                                "<script src=\"/docs/swagger-ui-bundle.js\"></script>"
                                "<script src=\"/docs/init.js\"></script></body></html>\n";

static const char docs_init[] =
        "window.ui = SwaggerUIBundle({url: '/openapi.json', dom_id: '#swagger-ui',"
        " deepLinking: true});\n";

int cf_h_docs(cf_http_req *r)
{
	static const char *const h[] = {"Content-Security-Policy",
	                                "default-src 'self'; img-src 'self' data:; "
	                                "style-src 'self' 'unsafe-inline'",
	                                NULL};
	return cf_http_send(r, 200, "text/html; charset=utf-8", docs_html, sizeof docs_html - 1, h);
}

int cf_h_docs_file(cf_http_req *r)
{
	static const struct {
		const char *name, *type;
	} files[] = {{"swagger-ui.css", "text/css; charset=utf-8"},
	             {"swagger-ui-bundle.js", "text/javascript; charset=utf-8"},
	             {"favicon-32x32.png", "image/png"}};
	const char *want = r->params.value[0];
	char path[1024];
	cf_error err = CF_ERROR_INIT;
	FILE *f;

	if (strcmp(want, "init.js") == 0)
		return cf_http_send(r, 200, "text/javascript; charset=utf-8", docs_init,
		                    sizeof docs_init - 1, NULL);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (strcmp(want, files[i].name) != 0)
			continue;
		if (!r->srv->cfg.docs_dir)
			break;
		snprintf(path, sizeof path, "%s/%s", r->srv->cfg.docs_dir, files[i].name);
		f = fopen(path, "rb");
		if (!f)
			break;
		char *buf = NULL;
		long len = -1;
		if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
		    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1)) != NULL &&
		    fread(buf, 1, (size_t)len, f) == (size_t)len) {
			fclose(f);
			int rc = cf_http_send(r, 200, files[i].type, buf, (size_t)len, NULL);
			free(buf);
			return rc;
		}
		free(buf);
		fclose(f);
		break;
	}
	cf_error_set(&err, CF_ENOTFOUND, "not-found", "",
	             "no such documentation file (run scripts/npm-tools to install Swagger UI)");
	return cf_http_fail(r, &err);
}
