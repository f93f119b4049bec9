/*
 * http_log.c - see http_log.h.
 */
#include "http_log.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile int g_quiet;

void cf_http_log_set_quiet(int quiet)
{
	g_quiet = quiet;
}

void cf_http_log(const char *level, const char *msg, cJSON *fields)
{
	struct timespec ts;
	struct tm tm;
	char when[96];
	cJSON *o, *m;
	char *line;

	if (g_quiet && strcmp(level, "info") == 0) {
		cJSON_Delete(fields);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
	o = cJSON_CreateObject();
	if (!o) {
		cJSON_Delete(fields);
		return;
	}
	cJSON_AddStringToObject(o, "time", when);
	cJSON_AddStringToObject(o, "level", level);
	cJSON_AddStringToObject(o, "msg", msg);
	if (fields) {
		while ((m = fields->child) != NULL) {
			cJSON_DetachItemViaPointer(fields, m);
			cJSON_AddItemToObject(o, m->string, m);
		}
		cJSON_Delete(fields);
	}
	line = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!line)
		return;
	size_t n = strlen(line);
	line[n] = '\n'; /* replaces the NUL; we write exactly n + 1 bytes */
	ssize_t w = write(STDERR_FILENO, line, n + 1);
	(void)w;
	cJSON_free(line);
}
