/*
 * fuzz_router.c - libFuzzer harness for the HTTP router's path matching
 * (router.h) on arbitrary methods and paths.
 *
 * Input: "METHOD path" (first space splits; no space: GET). The table has
 * the shapes of routes.c (literals, {id}, two parameters, a literal that
 * beats a parameter) plus a {rest*} tail. Properties: no crash or UB; FOUND
 * gives a route of that method whose pattern matches the path, with one
 * non-empty, NUL-terminated parameter per {..} (no '/' except in the rest
 * parameter) and no other route more specific; NO_METHOD fills a bounded
 * Allow list without the request's method; NO_PATH means no pattern matches.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int h(cf_http_req *r)
{
	(void)r;
	return 200;
}

static const cf_http_route routes[] = {
        {"GET", "/healthz", h, 0},
        {"GET", "/docs", h, 0},
        {"GET", "/docs/{file}", h, 0},
        {"POST", "/api/v1/auth/login", h, 0},
        {"GET", "/api/v1/users/me", h, 0},
        {"PATCH", "/api/v1/users/me", h, 0},
        {"POST", "/api/v1/users/me/password", h, 0},
        {"GET", "/api/v1/users", h, 0},
        {"GET", "/api/v1/users/{id}", h, 0},
        {"PATCH", "/api/v1/users/{id}", h, 0},
        {"POST", "/api/v1/schemes", h, 0},
        {"GET", "/api/v1/schemes/{id}", h, 0},
        {"POST", "/api/v1/schemes/{id}/open", h, 0},
        {"DELETE", "/api/v1/schemes/{id}/agents/{user_id}", h, 0},
        {"GET", "/api/v1/schemes/{id}/members", h, 0},
        {"POST", "/api/v1/schemes/{id}/members", h, 0},
        {"GET", "/static/{path*}", h, 0},
};
#define NROUTES (sizeof routes / sizeof routes[0])

static void fail(const char *what, const char *m, const char *p)
{
	fprintf(stderr, "fuzz_router: %s (%s %.200s)\n", what, m, p);
	abort();
}

static int count_params(const char *pattern)
{
	int n = 0;
	for (const char *s = pattern; *s; s++)
		n += *s == '{';
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1), *method, *path;
	const cf_http_route *hit = NULL;
	cf_http_params params;
	char allow[16];
	cf_http_match m;

	if (!in)
		abort();
	memcpy(in, data, size);
	in[size] = '\0';
	path = strchr(in, ' ');
	if (path) {
		*path++ = '\0';
		method = in;
	} else {
		path = in;
		method = "GET";
	}
	memset(&params, 0xa5, sizeof params);
	memset(allow, 'z', sizeof allow);
	m = cf_http_route_find(routes, NROUTES, method, path, &hit, &params, allow, sizeof allow);
	if (m == CF_HTTP_MATCH_FOUND) {
		int score;
		if (!hit || strcmp(hit->method, method) != 0)
			fail("found a route of another method", method, path);
		score = cf_http_pattern_match(hit->pattern, path, NULL);
		if (score <= 0)
			fail("found a route whose pattern does not match", method, path);
		for (size_t i = 0; i < NROUTES; i++)
			if (cf_http_pattern_match(routes[i].pattern, path, NULL) > score)
				fail("a more specific route was passed over", method, path);
		if (params.n != count_params(hit->pattern))
			fail("wrong parameter count", method, path);
		for (int i = 0; i < params.n; i++) {
			const char *v = params.value[i];
			size_t n = strnlen(v, CF_HTTP_PARAM_MAX);
			if (n == 0 || n >= CF_HTTP_PARAM_MAX)
				fail("empty or unterminated parameter", method, path);
			if (strchr(v, '/') && !strstr(hit->pattern, "*}"))
				fail("a one-segment parameter spans a '/'", method, path);
		}
	} else if (m == CF_HTTP_MATCH_NO_METHOD) {
		int any = 0;
		if (hit)
			fail("NO_METHOD but *out set", method, path);
		if (!memchr(allow, '\0', sizeof allow))
			fail("Allow list not terminated", method, path);
		for (size_t i = 0; i < NROUTES; i++) {
			if (cf_http_pattern_match(routes[i].pattern, path, NULL) > 0)
				any = 1;
		}
		if (!any)
			fail("NO_METHOD for a path no pattern matches", method, path);
	} else if (m == CF_HTTP_MATCH_NO_PATH) {
		for (size_t i = 0; i < NROUTES; i++)
			if (cf_http_pattern_match(routes[i].pattern, path, NULL) > 0)
				fail("NO_PATH for a path a pattern matches", method, path);
	} else {
		fail("unknown match result", method, path);
	}
	free(in);
	return 0;
}
