/*
 * router.c - see router.h.
 */
#include "router.h"

#include <stdio.h>
#include <string.h>

/* Length of the segment starting at s (up to '/' or NUL). */
static size_t seg_len(const char *s)
{
	const char *e = strchr(s, '/');
	return e ? (size_t)(e - s) : strlen(s);
}

int cf_http_pattern_match(const char *pattern, const char *path, cf_http_params *params)
{
	const char *p = pattern, *q = path;
	int literals = 0, n = 0;

	if (params)
		params->n = 0;
	if (p[0] != '/' || q[0] != '/')
		return 0;
	for (;;) {
		if (*p == '\0' || *q == '\0')
			break;
		if (*p != '/' || *q != '/')
			return 0;
		p++;
		q++;
		size_t pl = seg_len(p), ql = seg_len(q);
		if (pl >= 2 && p[0] == '{' && p[pl - 1] == '}') {
			int rest = pl >= 3 && p[pl - 2] == '*';
			size_t take = rest ? strlen(q) : ql;
			if (take == 0 || take >= CF_HTTP_PARAM_MAX || n >= CF_HTTP_MAX_PARAMS)
				return 0;
			if (params) {
				memcpy(params->value[n], q, take);
				params->value[n][take] = '\0';
			}
			n++;
			p += pl;
			q += take;
			continue;
		}
		if (pl != ql || memcmp(p, q, pl) != 0)
			return 0;
		if (pl == 0)
			return 0; /* "//" or a trailing slash: no route has empty segments */
		literals++;
		p += pl;
		q += ql;
	}
	if (*p != '\0' || *q != '\0')
		return 0;
	if (params)
		params->n = n;
	return literals + 1;
}

cf_http_match cf_http_route_find(const cf_http_route *routes, size_t n, const char *method,
                                 const char *path, const cf_http_route **out,
                                 cf_http_params *params, char *allow, size_t allow_size)
{
	int best = 0;
	size_t i;
	const cf_http_route *hit = NULL;

	*out = NULL;
	/* The best score among patterns that match the path at all. */
	for (i = 0; i < n; i++) {
		int s = cf_http_pattern_match(routes[i].pattern, path, NULL);
		if (s > best)
			best = s;
	}
	if (best == 0)
		return CF_HTTP_MATCH_NO_PATH;
	if (allow && allow_size)
		allow[0] = '\0';
	for (i = 0; i < n; i++) {
		if (cf_http_pattern_match(routes[i].pattern, path, NULL) != best)
			continue;
		if (strcmp(routes[i].method, method) == 0) {
			if (!hit)
				hit = &routes[i];
		} else if (allow && allow_size && !strstr(allow, routes[i].method)) {
			size_t used = strlen(allow);
			snprintf(allow + used, allow_size - used, "%s%s", used ? ", " : "",
			         routes[i].method);
		}
	}
	if (!hit)
		return CF_HTTP_MATCH_NO_METHOD;
	cf_http_pattern_match(hit->pattern, path, params);
	*out = hit;
	return CF_HTTP_MATCH_FOUND;
}
