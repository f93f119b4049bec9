/*
 * chitfund/schemes.h - chit schemes: create (draft), change while draft,
 * open for enrolment, agents, enrolment of tickets, commencement, schedule.
 *
 * Who may do what (api.md "Roles"): create: foreman, admin. Read and list:
 * everyone authenticated, but a subscriber sees only schemes that are
 * enrolling or in which he holds a ticket (others: CF_ENOTFOUND). Update,
 * open, agents, commence: the scheme's foreman or an admin (another foreman:
 * CF_EFORBIDDEN; agent, auditor, subscriber: CF_EFORBIDDEN). Enrol: the
 * scheme's foreman, an admin, or a subscriber for himself. Members: staff
 * (admin, auditor, the scheme's foreman and agents) see all tickets, a
 * subscriber only his own, anyone else CF_EFORBIDDEN. Anonymous callers get
 * CF_EUNAUTHENTICATED everywhere. State refusals are CF_ECONFLICT with the
 * api.md slug; parameter refusals CF_ERULE with the domain rule's slug and
 * field (cf_error_rule).
 */
#ifndef CHITFUND_SCHEMES_H
#define CHITFUND_SCHEMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/app.h"
#include "chitfund/errors.h"
#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Create request. Fill params with cf_scheme_params_init, then set
 * chit_value, member_count, start_date and every optional parameter the
 * client gave, OR-ing its CF_SP_ bit into `given` (unset optionals take their
 * defaults).
 */
typedef struct cf_scheme_create_req {
	const char *name;       /**< 1..128 chars */
	const char *foreman_id; /**< NULL/"": the creator; else an active foreman (admin only) */
	cf_scheme_params params;
	uint32_t given; /**< cf_scheme_param_bit of the optional parameters given */
} cf_scheme_create_req;

/**
 * Create a scheme in `draft` with every parameter resolved and validated by
 * the domain (cf_scheme_params_resolve). Audits "scheme.create".
 * CF_EFORBIDDEN; CF_EINVALID field "name"/"foreman_id"; CF_ERULE (rule slug).
 */
int cf_scheme_create(cf_app *app, const cf_actor *actor, const cf_scheme_create_req *req,
                     cf_scheme *out, cf_error *err);

/** Read one scheme (visibility as above). CF_ENOTFOUND. */
int cf_scheme_get(cf_app *app, const cf_actor *actor, const char *id, cf_scheme *out,
                  cf_error *err);

/** Scheme listing filter and page. */
typedef struct cf_schemes_query {
	bool has_status;
	cf_scheme_status status;
	size_t limit;       /**< 0: CF_PAGE_DEFAULT; 1..CF_PAGE_MAX */
	const char *cursor; /**< NULL/"": first page */
} cf_schemes_query;

/** A page of schemes. Free with cf_scheme_page_free. */
typedef struct cf_scheme_page {
	cf_scheme_array schemes;
	char next_cursor[CF_CURSOR_SIZE]; /**< "" on the last page */
} cf_scheme_page;
/** Free the page's items (NULL-safe). */
void cf_scheme_page_free(cf_scheme_page *p);

/** List schemes visible to the actor, oldest first. CF_EINVALID "limit"/"cursor". */
int cf_scheme_list(cf_app *app, const cf_actor *actor, const cf_schemes_query *q,
                   cf_scheme_page *out, cf_error *err);

/**
 * Change request for a draft: name (NULL: unchanged) and the parameters whose
 * CF_SP_ bit is in `set` (required ones included: CF_SP_CHIT_VALUE ...),
 * taken from params. Optionals set here become "given".
 */
typedef struct cf_scheme_update_req {
	const char *name;
	uint32_t set;
	cf_scheme_params params;
	int64_t expected_row_version; /**< 0: no check; else CF_ECONFLICT when stale */
} cf_scheme_update_req;

/**
 * Change a draft's parameters (its foreman, admin); re-resolves defaults and
 * re-validates. Audits "scheme.update". CF_ECONFLICT "scheme-not-draft";
 * CF_ERULE; CF_EINVALID.
 */
int cf_scheme_update(cf_app *app, const cf_actor *actor, const char *id,
                     const cf_scheme_update_req *req, cf_scheme *out, cf_error *err);

/** draft -> enrolling (its foreman, admin). CF_ECONFLICT "scheme-not-draft". */
int cf_scheme_open(cf_app *app, const cf_actor *actor, const char *id, cf_scheme *out,
                   cf_error *err);

/**
 * Assign an agent (its foreman, admin): user_id must be an active user with
 * role agent (else CF_EINVALID field "user_id"). Assigning twice is CF_OK.
 * Audits "scheme.agent_assign".
 */
int cf_scheme_agent_assign(cf_app *app, const cf_actor *actor, const char *scheme_id,
                           const char *user_id, cf_error *err);

/** Unassign an agent (its foreman, admin). CF_ENOTFOUND when not assigned. */
int cf_scheme_agent_unassign(cf_app *app, const cf_actor *actor, const char *scheme_id,
                             const char *user_id, cf_error *err);

/** Enrolment request. */
typedef struct cf_enrol_req {
	const char *user_id; /**< NULL/"": the actor */
	int32_t ticket_no;   /**< 0: the lowest free number; else 1..member_count */
} cf_enrol_req;

/**
 * Enrol a ticket while the scheme is `enrolling`. A user may hold several
 * tickets; the foreman's own ticket is one held by foreman_id. Serialised per
 * scheme, so the last free ticket has exactly one winner. Audits
 * "ticket.enrol". CF_ECONFLICT "scheme-not-enrolling", "scheme-full";
 * CF_EEXISTS "ticket-taken"; CF_EINVALID field "ticket_no"/"user_id";
 * CF_EFORBIDDEN (a subscriber for another user).
 */
int cf_scheme_enrol(cf_app *app, const cf_actor *actor, const char *scheme_id,
                    const cf_enrol_req *req, cf_ticket *out, cf_error *err);

/** A scheme's tickets visible to the actor, by ticket_no (cf_ticket_array_free). */
int cf_scheme_members(cf_app *app, const cf_actor *actor, const char *scheme_id,
                      cf_ticket_array *out, cf_error *err);

/**
 * Commence (its foreman, admin): enrolling -> running with registration_no
 * (1..64 chars) and commencement_ref (1..128 chars), recorded under s.9. Every
 * ticket must be filled (CF_ECONFLICT "scheme-not-full"); with
 * first_prize_to_foreman the foreman must hold a ticket (CF_ERULE
 * "foreman-ticket-required"). Audits "scheme.commence".
 * CF_ECONFLICT "scheme-not-enrolling"; CF_EINVALID with field.
 */
int cf_scheme_commence(cf_app *app, const cf_actor *actor, const char *id,
                       const char *registration_no, const char *commencement_ref, cf_scheme *out,
                       cf_error *err);

/** Status of a schedule row (domain.md "Schedule row status"). */
typedef enum cf_schedule_row_status {
	CF_SCHEDULE_UPCOMING = 0,
	CF_SCHEDULE_SCHEDULED = 1,
	CF_SCHEDULE_OPEN = 2,
	CF_SCHEDULE_SETTLED = 3
} cf_schedule_row_status;

/** "upcoming", "scheduled", "open", "settled". */
const char *cf_schedule_row_status_name(cf_schedule_row_status s);

/** One installment of the schedule; has_* false means JSON null. */
typedef struct cf_schedule_row {
	int32_t installment_no;
	cf_date due_date;
	cf_date auction_date; /**< the due date (domain.md) */
	cf_schedule_row_status status;
	bool has_discount;
	cf_money discount;
	bool has_dividend_per_ticket;
	cf_money dividend_per_ticket;
	bool has_prized_ticket;
	int32_t prized_ticket;
	bool has_net_subscription;
	cf_money net_subscription;
} cf_schedule_row;

/** A scheme's schedule: member_count rows. Free with cf_schedule_free. */
typedef struct cf_schedule {
	cf_schedule_row *rows;
	size_t count;
} cf_schedule;
/** Free s->rows and zero *s (NULL-safe). */
void cf_schedule_free(cf_schedule *s);

/**
 * The schedule (readers as cf_scheme_get): due dates from start_date and
 * frequency (cf_schedule_due_date). Installment 1's net subscription is known
 * (S) once a next_installment scheme is running. CF_ENOTFOUND.
 */
int cf_scheme_schedule(cf_app *app, const cf_actor *actor, const char *id, cf_schedule *out,
                       cf_error *err);

#ifdef __cplusplus
}
#endif
#endif
