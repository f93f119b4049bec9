/* types.c - names of enums, list frees, time formatting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const char *cf_role_name(cf_role r)
{
	switch (r) {
	case CF_ROLE_NONE: return "";
	case CF_ROLE_SUBSCRIBER: return "subscriber";
	case CF_ROLE_AGENT: return "agent";
	case CF_ROLE_FOREMAN: return "foreman";
	case CF_ROLE_AUDITOR: return "auditor";
	case CF_ROLE_ADMIN: return "admin";
	case CF_ROLE_SYSTEM: return "system";
	}
	return "";
}

int cf_role_parse(const char *s, cf_role *out)
{
	static const cf_role roles[] = {CF_ROLE_SUBSCRIBER, CF_ROLE_AGENT, CF_ROLE_FOREMAN,
	                                CF_ROLE_AUDITOR, CF_ROLE_ADMIN};

	if (s == NULL)
		return CF_EINVALID;
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
		if (strcmp(s, cf_role_name(roles[i])) == 0) {
			*out = roles[i];
			return CF_OK;
		}
	}
	return CF_EINVALID;
}

void cf_actor_anonymous(cf_actor *a, const char *request_id, const char *client_addr)
{
	memset(a, 0, sizeof *a);
	a->role = CF_ROLE_NONE;
	cf__copy(a->request_id, sizeof a->request_id, request_id);
	cf__copy(a->client_addr, sizeof a->client_addr, client_addr);
}

int cf_time_format(int64_t unix_ms, char *buf, size_t cap)
{
	int64_t secs = unix_ms >= 0 ? unix_ms / 1000 : -((-unix_ms + 999) / 1000);
	int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	int64_t rem = secs - days * 86400;
	cf_date d = cf_date_from_days(days);
	int n;

	n = snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)d.year, (int)d.month,
	             (int)d.day, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	if (n < 0 || (size_t)n >= cap)
		return CF_EBUFFER;
	return CF_OK;
}

const char *cf_scheme_status_name(cf_scheme_status s)
{
	switch (s) {
	case CF_SCHEME_DRAFT: return "draft";
	case CF_SCHEME_ENROLLING: return "enrolling";
	case CF_SCHEME_RUNNING: return "running";
	case CF_SCHEME_COMPLETED: return "completed";
	case CF_SCHEME_TERMINATED: return "terminated";
	}
	return "";
}

int cf_scheme_status_parse(const char *s, cf_scheme_status *out)
{
	for (int i = CF_SCHEME_DRAFT; s != NULL && i <= CF_SCHEME_TERMINATED; i++) {
		if (strcmp(s, cf_scheme_status_name((cf_scheme_status)i)) == 0) {
			*out = (cf_scheme_status)i;
			return CF_OK;
		}
	}
	return CF_EINVALID;
}

const char *cf_ticket_status_name(cf_ticket_status s)
{
	return s == CF_TICKET_REMOVED ? "removed" : "active";
}

const char *cf_schedule_row_status_name(cf_schedule_row_status s)
{
	switch (s) {
	case CF_SCHEDULE_UPCOMING: return "upcoming";
	case CF_SCHEDULE_SCHEDULED: return "scheduled";
	case CF_SCHEDULE_OPEN: return "open";
	case CF_SCHEDULE_SETTLED: return "settled";
	}
	return "";
}

CF__DEFINE_ARRAY_FREE(cf_user_array_free, cf_user_array)
CF__DEFINE_ARRAY_FREE(cf_scheme_array_free, cf_scheme_array)
CF__DEFINE_ARRAY_FREE(cf_ticket_array_free, cf_ticket_array)
CF__DEFINE_ARRAY_FREE(cf_audit_array_free, cf_audit_array)
CF__DEFINE_ARRAY_FREE(cf_user_row_array_free, cf_user_row_array)

void cf_user_page_free(cf_user_page *p)
{
	if (p != NULL)
		cf_user_array_free(&p->users);
}

void cf_scheme_page_free(cf_scheme_page *p)
{
	if (p != NULL)
		cf_scheme_array_free(&p->schemes);
}

void cf_audit_page_free(cf_audit_page *p)
{
	if (p != NULL)
		cf_audit_array_free(&p->entries);
}

void cf_schedule_free(cf_schedule *s)
{
	if (s == NULL)
		return;
	free(s->rows);
	s->rows = NULL;
	s->count = 0;
}
