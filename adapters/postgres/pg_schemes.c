/*
 * pg_schemes.c - schemes, tickets and scheme agents in PostgreSQL (tables of
 * migrations/0002_schemes.sql).
 */
#include <stdlib.h>
#include <string.h>

#include "pg_adapter.h"

/* Stand-in for an id that is not a UUID in a filter: matches nothing real. */
static const char NIL_UUID[] = "00000000-0000-0000-0000-000000000000";

/* ---- schemes ---- */

#define SCHEME_COLS                                                                                \
	"id, name, status, foreman_id, created_by, chit_value, member_count, subscription, "       \
	"to_char(start_date, 'YYYY-MM-DD'), frequency, currency, commission_bps, "                 \
	"max_discount_bps, min_discount, bid_increment, auction_method, lot_discount, "            \
	"first_prize_to_foreman, dividend_policy, dividend_timing, gst_bps, gst_borne_by, "        \
	"late_fee_bps_per_month, grace_days, rules_profile, params_given, registration_no, "       \
	"commencement_ref, cf_ms(commenced_at), cf_ms(created_at), cf_ms(updated_at), "            \
	"row_version"

static int read_scheme(const PGresult *r, int row, void *item)
{
	cf_scheme *s = item;
	cf_scheme_params *q = &s->params;
	char status[16], date[16], freq[16], method[16], policy[24], timing[24], borne[16],
	        profile[24];
	int64_t v, sub, given;

	memset(s, 0, sizeof *s);
	if (cf_pgad_text(r, row, 0, s->id, sizeof s->id) ||
	    cf_pgad_text(r, row, 1, s->name, sizeof s->name) ||
	    cf_pgad_text(r, row, 2, status, sizeof status) ||
	    cf_scheme_status_parse(status, &s->status) ||
	    cf_pgad_text(r, row, 3, s->foreman_id, sizeof s->foreman_id) ||
	    cf_pgad_text(r, row, 4, s->created_by, sizeof s->created_by) ||
	    cf_pgad_i64(r, row, 5, &v) || cf_pgad_i32(r, row, 6, &q->member_count) ||
	    cf_pgad_i64(r, row, 7, &sub) || cf_pgad_text(r, row, 8, date, sizeof date) ||
	    cf_date_parse(date, strlen(date), &q->start_date) ||
	    cf_pgad_text(r, row, 9, freq, sizeof freq) || cf_frequency_parse(freq, &q->frequency) ||
	    cf_pgad_text(r, row, 10, q->currency, sizeof q->currency) ||
	    cf_pgad_i32(r, row, 11, &q->commission_bps) ||
	    cf_pgad_i32(r, row, 12, &q->max_discount_bps) ||
	    cf_pgad_i64(r, row, 13, &q->min_discount.minor) ||
	    cf_pgad_i64(r, row, 14, &q->bid_increment.minor) ||
	    cf_pgad_text(r, row, 15, method, sizeof method) ||
	    cf_auction_method_parse(method, &q->auction_method) ||
	    cf_pgad_i64(r, row, 16, &q->lot_discount.minor) ||
	    cf_pgad_bool(r, row, 17, &q->first_prize_to_foreman) ||
	    cf_pgad_text(r, row, 18, policy, sizeof policy) ||
	    cf_dividend_policy_parse(policy, &q->dividend_policy) ||
	    cf_pgad_text(r, row, 19, timing, sizeof timing) ||
	    cf_dividend_timing_parse(timing, &q->dividend_timing) ||
	    cf_pgad_i32(r, row, 20, &q->gst_bps) || cf_pgad_text(r, row, 21, borne, sizeof borne) ||
	    cf_gst_borne_by_parse(borne, &q->gst_borne_by) ||
	    cf_pgad_i32(r, row, 22, &q->late_fee_bps_per_month) ||
	    cf_pgad_i32(r, row, 23, &q->grace_days) ||
	    cf_pgad_text(r, row, 24, profile, sizeof profile) ||
	    cf_profile_parse(profile, &q->rules_profile) || cf_pgad_i64(r, row, 25, &given) ||
	    cf_pgad_text(r, row, 26, s->registration_no, sizeof s->registration_no) ||
	    cf_pgad_text(r, row, 27, s->commencement_ref, sizeof s->commencement_ref) ||
	    cf_pgad_i64_or0(r, row, 28, &s->commenced_at_ms) ||
	    cf_pgad_i64(r, row, 29, &s->created_at_ms) ||
	    cf_pgad_i64(r, row, 30, &s->updated_at_ms) || cf_pgad_i64(r, row, 31, &s->row_version))
		return CF_ERROR;
	q->chit_value = cf_money_of(v);
	s->subscription = cf_money_of(sub);
	s->params_given = (uint32_t)given;
	return CF_OK;
}

/* The mutable columns, $1..$28; date receives start_date's text. */
static void scheme_params(cf_pg_params *p, const cf_scheme *s, char date[16])
{
	const cf_scheme_params *q = &s->params;

	if (cf_date_format(q->start_date, date, 16) != CF_OK)
		date[0] = '\0';
	cf_pg_param_text(p, s->name);
	cf_pg_param_text(p, cf_scheme_status_name(s->status));
	cf_pg_param_text(p, cf_pgad_is_uuid(s->foreman_id) ? s->foreman_id : NIL_UUID);
	cf_pg_param_int64(p, q->chit_value.minor);
	cf_pg_param_int64(p, q->member_count);
	cf_pg_param_int64(p, s->subscription.minor);
	cf_pg_param_text(p, date[0] ? date : NULL);
	cf_pg_param_text(p, cf_frequency_name(q->frequency));
	cf_pg_param_text(p, q->currency);
	cf_pg_param_int64(p, q->commission_bps);
	cf_pg_param_int64(p, q->max_discount_bps);
	cf_pg_param_int64(p, q->min_discount.minor);
	cf_pg_param_int64(p, q->bid_increment.minor);
	cf_pg_param_text(p, cf_auction_method_name(q->auction_method));
	cf_pg_param_int64(p, q->lot_discount.minor);
	cf_pg_param_bool(p, q->first_prize_to_foreman);
	cf_pg_param_text(p, cf_dividend_policy_name(q->dividend_policy));
	cf_pg_param_text(p, cf_dividend_timing_name(q->dividend_timing));
	cf_pg_param_int64(p, q->gst_bps);
	cf_pg_param_text(p, cf_gst_borne_by_name(q->gst_borne_by));
	cf_pg_param_int64(p, q->late_fee_bps_per_month);
	cf_pg_param_int64(p, q->grace_days);
	cf_pg_param_text(p, cf_profile_name(q->rules_profile));
	cf_pg_param_int64(p, (int64_t)s->params_given);
	cf_pgad_param_opt(p, s->registration_no);
	cf_pgad_param_opt(p, s->commencement_ref);
	cf_pgad_param_opt_ms(p, s->commenced_at_ms);
	cf_pg_param_int64(p, s->updated_at_ms);
}

#define SCHEME_SET_COLS                                                                            \
	"name, status, foreman_id, chit_value, member_count, subscription, start_date, "           \
	"frequency, currency, commission_bps, max_discount_bps, min_discount, bid_increment, "     \
	"auction_method, lot_discount, first_prize_to_foreman, dividend_policy, dividend_timing, " \
	"gst_bps, gst_borne_by, late_fee_bps_per_month, grace_days, rules_profile, params_given, " \
	"registration_no, commencement_ref, commenced_at, updated_at"

#define SCHEME_SET_VALUES                                                                          \
	"$1, $2, $3::uuid, $4::bigint, $5::int, $6::bigint, $7::date, $8, $9, $10::int, "          \
	"$11::int, "                                                                               \
	"$12::bigint, $13::bigint, $14, $15::bigint, $16::boolean, $17, $18, $19::int, $20, "      \
	"$21::int, $22::int, $23, $24::bigint, $25, $26, cf_ts($27::bigint), cf_ts($28::bigint)"

static int scheme_insert(void *self, cf_tx *tx, const cf_scheme *s)
{
	cf_pg_params p;
	char date[16];

	(void)self;
	if (!cf_pgad_is_uuid(s->id))
		return CF_EINVALID;
	if (!cf_pgad_is_uuid(s->foreman_id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	scheme_params(&p, s, date);
	cf_pg_param_text(&p, s->id);
	cf_pgad_param_opt(&p, cf_pgad_is_uuid(s->created_by) ? s->created_by : "");
	cf_pg_param_int64(&p, s->created_at_ms);
	cf_pg_param_int64(&p, s->row_version);
	return cf_pgad_insert_once(tx, "cfpg_scheme_insert",
	                           "INSERT INTO schemes (" SCHEME_SET_COLS ", id, created_by, "
	                           "created_at, row_version) VALUES (" SCHEME_SET_VALUES
	                           ", $29::uuid, $30::uuid, cf_ts($31::bigint), $32::bigint) "
	                           "ON CONFLICT DO NOTHING RETURNING 1",
	                           &p);
}

static int scheme_get(void *self, cf_tx *tx, const char *id, cf_scheme *out)
{
	uint64_t gen = 0;
	int cached, rc;

	(void)self;
	if (!cf_pgad_is_uuid(id))
		return CF_ENOTFOUND;
	if ((cached = cf_pgad_cache_lookup(tx, CF_PGAD_CACHE_SCHEMES, id, out, &gen)) == 1)
		return CF_OK;
	rc = cf_pgad_select_one_by_uuid(tx, "cfpg_scheme_get",
	                                "SELECT " SCHEME_COLS " FROM schemes WHERE id = $1::uuid",
	                                id, read_scheme, out);
	if (rc == CF_OK && cached == 0)
		cf_pgad_cache_fill(tx, CF_PGAD_CACHE_SCHEMES, id, out, gen);
	return rc;
}

static int scheme_update(void *self, cf_tx *tx, cf_scheme *s)
{
	cf_pg_params p;
	char date[16];

	(void)self;
	if (!cf_pgad_is_uuid(s->id))
		return CF_ENOTFOUND;
	cf_pgad_cache_touch(tx, CF_PGAD_CACHE_SCHEMES, s->id);
	cf_pg_params_init(&p);
	scheme_params(&p, s, date);
	cf_pg_param_text(&p, s->id);
	cf_pg_param_int64(&p, s->row_version);
	return cf_pgad_update_versioned(
	        tx, "cfpg_scheme_update",
	        "UPDATE schemes SET (" SCHEME_SET_COLS ") = (" SCHEME_SET_VALUES
	        "), row_version = row_version + 1 "
	        "WHERE id = $29::uuid AND row_version = $30::bigint RETURNING 1",
	        &p, &s->row_version, "cfpg_scheme_exists",
	        "SELECT 1 FROM schemes WHERE id = $1::uuid", s->id);
}

static int scheme_list(void *self, cf_tx *tx, const cf_scheme_filter *f, cf_scheme_array *out)
{
	cf_pg_params p;

	(void)self;
	out->items = NULL;
	out->count = 0;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, f->has_status ? cf_scheme_status_name(f->status) : NULL);
	if (f->visible_to[0])
		cf_pg_param_text(&p, cf_pgad_is_uuid(f->visible_to) ? f->visible_to : NIL_UUID);
	else
		cf_pg_param_null(&p);
	cf_pg_param_int64(&p, f->after_created_at_ms);
	if (f->after_id[0])
		cf_pg_param_text(&p, cf_pgad_is_uuid(f->after_id) ? f->after_id : NIL_UUID);
	else
		cf_pg_param_null(&p);
	cf_pg_param_int64(&p, (int64_t)(f->limit ? f->limit : 1));
	return cf_pgad_select_all(
	        tx, "cfpg_scheme_list",
	        "SELECT " SCHEME_COLS " FROM schemes s "
	        "WHERE ($1::text IS NULL OR s.status = $1) "
	        "AND ($2::uuid IS NULL OR s.status = 'enrolling' OR EXISTS "
	        " (SELECT 1 FROM tickets t WHERE t.scheme_id = s.id AND t.user_id = "
	        "$2::uuid)) "
	        "AND ($4::uuid IS NULL OR (s.created_at, s.id) > (cf_ts($3::bigint), "
	        "$4::uuid)) "
	        "ORDER BY s.created_at, s.id LIMIT $5::bigint",
	        &p, sizeof *out->items, read_scheme, (void **)&out->items, &out->count);
}

/* ---- tickets ---- */

#define TICKET_COLS                                                                                \
	"id, scheme_id, ticket_no, user_id, status, prized, prized_installment_no, "               \
	"cf_ms(created_at), cf_ms(updated_at), row_version"

static int read_ticket(const PGresult *r, int row, void *item)
{
	cf_ticket *t = item;
	char status[16];

	memset(t, 0, sizeof *t);
	if (cf_pgad_text(r, row, 0, t->id, sizeof t->id) ||
	    cf_pgad_text(r, row, 1, t->scheme_id, sizeof t->scheme_id) ||
	    cf_pgad_i32(r, row, 2, &t->ticket_no) ||
	    cf_pgad_text(r, row, 3, t->user_id, sizeof t->user_id) ||
	    cf_pgad_text(r, row, 4, status, sizeof status) || cf_pgad_bool(r, row, 5, &t->prized) ||
	    cf_pgad_i32_or0(r, row, 6, &t->prized_installment_no) ||
	    cf_pgad_i64(r, row, 7, &t->created_at_ms) ||
	    cf_pgad_i64(r, row, 8, &t->updated_at_ms) || cf_pgad_i64(r, row, 9, &t->row_version))
		return CF_ERROR;
	if (strcmp(status, "active") == 0)
		t->status = CF_TICKET_ACTIVE;
	else if (strcmp(status, "removed") == 0)
		t->status = CF_TICKET_REMOVED;
	else
		return CF_ERROR;
	return CF_OK;
}

/* The ticket's number, holder and state: $3..$7 of its insert and update. */
static void ticket_params(cf_pg_params *p, const cf_ticket *t)
{
	cf_pg_param_int64(p, t->ticket_no);
	cf_pg_param_text(p, t->user_id);
	cf_pg_param_text(p, cf_ticket_status_name(t->status));
	cf_pg_param_bool(p, t->prized);
	if (t->prized_installment_no > 0)
		cf_pg_param_int64(p, t->prized_installment_no);
	else
		cf_pg_param_null(p);
}

static int ticket_lock_scheme(void *self, cf_tx *tx, const char *scheme_id)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(scheme_id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, scheme_id);
	return cf_pgad_run_found(tx, "cfpg_ticket_lock_scheme",
	                         "SELECT 1 FROM schemes WHERE id = $1::uuid FOR UPDATE", &p);
}

static int ticket_insert(void *self, cf_tx *tx, const cf_ticket *t)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(t->id))
		return CF_EINVALID;
	if (!cf_pgad_is_uuid(t->scheme_id) || !cf_pgad_is_uuid(t->user_id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, t->id);
	cf_pg_param_text(&p, t->scheme_id);
	ticket_params(&p, t); /* $3..$7 */
	cf_pg_param_int64(&p, t->created_at_ms);
	cf_pg_param_int64(&p, t->updated_at_ms);
	cf_pg_param_int64(&p, t->row_version);
	return cf_pgad_insert_once(
	        tx, "cfpg_ticket_insert",
	        "INSERT INTO tickets (id, scheme_id, ticket_no, user_id, status, "
	        "prized, prized_installment_no, created_at, updated_at, "
	        "row_version) VALUES ($1::uuid, $2::uuid, $3::int, $4::uuid, $5, "
	        "$6::boolean, $7::int, cf_ts($8::bigint), cf_ts($9::bigint), "
	        "$10::bigint) ON CONFLICT DO NOTHING RETURNING 1",
	        &p);
}

static int ticket_get(void *self, cf_tx *tx, const char *scheme_id, int32_t no, cf_ticket *out)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(scheme_id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, scheme_id);
	cf_pg_param_int64(&p, no);
	return cf_pgad_select_one(tx, "cfpg_ticket_get",
	                          "SELECT " TICKET_COLS " FROM tickets WHERE scheme_id = $1::uuid "
	                          "AND ticket_no = $2::int",
	                          &p, read_ticket, out);
}

static int ticket_update(void *self, cf_tx *tx, cf_ticket *t)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(t->id))
		return CF_ENOTFOUND;
	if (!cf_pgad_is_uuid(t->user_id))
		return CF_EINVALID;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, t->id);
	cf_pg_param_int64(&p, t->row_version);
	ticket_params(&p, t); /* $3..$7 */
	cf_pg_param_int64(&p, t->updated_at_ms);
	return cf_pgad_update_versioned(
	        tx, "cfpg_ticket_update",
	        "UPDATE tickets SET ticket_no = $3::int, user_id = $4::uuid, "
	        "status = $5, prized = $6::boolean, prized_installment_no = $7::int, "
	        "updated_at = cf_ts($8::bigint), row_version = row_version + 1 "
	        "WHERE id = $1::uuid AND row_version = $2::bigint RETURNING 1",
	        &p, &t->row_version, "cfpg_ticket_exists",
	        "SELECT 1 FROM tickets WHERE id = $1::uuid", t->id);
}

static int ticket_list_by_scheme(void *self, cf_tx *tx, const char *scheme_id, cf_ticket_array *out)
{
	cf_pg_params p;

	(void)self;
	out->items = NULL;
	out->count = 0;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, cf_pgad_is_uuid(scheme_id) ? scheme_id : NIL_UUID);
	return cf_pgad_select_all(tx, "cfpg_ticket_list_scheme",
	                          "SELECT " TICKET_COLS " FROM tickets WHERE scheme_id = $1::uuid "
	                          "ORDER BY ticket_no",
	                          &p, sizeof *out->items, read_ticket, (void **)&out->items,
	                          &out->count);
}

static int ticket_list_by_user(void *self, cf_tx *tx, const char *user_id, cf_ticket_array *out)
{
	cf_pg_params p;

	(void)self;
	out->items = NULL;
	out->count = 0;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, cf_pgad_is_uuid(user_id) ? user_id : NIL_UUID);
	return cf_pgad_select_all(tx, "cfpg_ticket_list_user",
	                          "SELECT " TICKET_COLS " FROM tickets WHERE user_id = $1::uuid "
	                          "ORDER BY created_at, scheme_id, ticket_no",
	                          &p, sizeof *out->items, read_ticket, (void **)&out->items,
	                          &out->count);
}

static int ticket_count(void *self, cf_tx *tx, const char *scheme_id, int32_t *out)
{
	cf_pg_params p;
	PGresult *r = NULL;
	int rc;

	(void)self;
	*out = 0;
	if (!cf_pgad_is_uuid(scheme_id))
		return CF_OK;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, scheme_id);
	rc = cf_pgad_run(tx, "cfpg_ticket_count",
	                 "SELECT count(*) FROM tickets WHERE scheme_id = $1::uuid", &p, &r);
	if (rc != CF_OK)
		return rc;
	rc = cf_pgad_i32(r, 0, 0, out);
	PQclear(r);
	return rc;
}

/* ---- scheme agents ---- */

static int agent_assign(void *self, cf_tx *tx, const char *scheme_id, const char *user_id,
                        int64_t at_ms)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(scheme_id) || !cf_pgad_is_uuid(user_id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, scheme_id);
	cf_pg_param_text(&p, user_id);
	cf_pg_param_int64(&p, at_ms);
	return cf_pgad_insert_once(tx, "cfpg_agent_assign",
	                           "INSERT INTO scheme_agents (scheme_id, user_id, assigned_at) "
	                           "VALUES ($1::uuid, $2::uuid, cf_ts($3::bigint)) "
	                           "ON CONFLICT DO NOTHING RETURNING 1",
	                           &p);
}

static int agent_unassign(void *self, cf_tx *tx, const char *scheme_id, const char *user_id)
{
	cf_pg_params p;

	(void)self;
	if (!cf_pgad_is_uuid(scheme_id) || !cf_pgad_is_uuid(user_id))
		return CF_ENOTFOUND;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, scheme_id);
	cf_pg_param_text(&p, user_id);
	return cf_pgad_run_found(tx, "cfpg_agent_unassign",
	                         "DELETE FROM scheme_agents WHERE scheme_id = $1::uuid "
	                         "AND user_id = $2::uuid RETURNING 1",
	                         &p);
}

static int agent_is_agent(void *self, cf_tx *tx, const char *scheme_id, const char *user_id,
                          bool *out)
{
	cf_pg_params p;
	int rows, rc;

	(void)self;
	*out = false;
	if (!cf_pgad_is_uuid(scheme_id) || !cf_pgad_is_uuid(user_id))
		return CF_OK;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, scheme_id);
	cf_pg_param_text(&p, user_id);
	rc = cf_pgad_run_count(tx, "cfpg_agent_is",
	                       "SELECT 1 FROM scheme_agents WHERE scheme_id = $1::uuid "
	                       "AND user_id = $2::uuid",
	                       &p, &rows);
	if (rc != CF_OK)
		return rc;
	*out = rows > 0;
	return CF_OK;
}

static int read_id(const PGresult *r, int i, void *item)
{
	return cf_pgad_text(r, i, 0, item, CF_ID_SIZE);
}

static int agent_list(void *self, cf_tx *tx, const char *scheme_id, char (**out)[CF_ID_SIZE],
                      size_t *count)
{
	cf_pg_params p;
	void *ids;
	int rc;

	(void)self;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, cf_pgad_is_uuid(scheme_id) ? scheme_id : NIL_UUID);
	rc = cf_pgad_select_all(tx, "cfpg_agent_list",
	                        "SELECT user_id FROM scheme_agents WHERE scheme_id = $1::uuid "
	                        "ORDER BY assigned_at, user_id",
	                        &p, CF_ID_SIZE, read_id, &ids, count);
	*out = ids;
	return rc;
}

void cf_pgad_scheme_ports(cf_pg_store *s, cf_ports *out)
{
	memset(&out->schemes, 0, sizeof out->schemes);
	out->schemes.version = CF_SCHEME_REPO_VERSION;
	out->schemes.self = s;
	out->schemes.insert = scheme_insert;
	out->schemes.get = scheme_get;
	out->schemes.update = scheme_update;
	out->schemes.list = scheme_list;

	memset(&out->tickets, 0, sizeof out->tickets);
	out->tickets.version = CF_TICKET_REPO_VERSION;
	out->tickets.self = s;
	out->tickets.lock_scheme = ticket_lock_scheme;
	out->tickets.insert = ticket_insert;
	out->tickets.get = ticket_get;
	out->tickets.update = ticket_update;
	out->tickets.list_by_scheme = ticket_list_by_scheme;
	out->tickets.list_by_user = ticket_list_by_user;
	out->tickets.count = ticket_count;

	memset(&out->scheme_agents, 0, sizeof out->scheme_agents);
	out->scheme_agents.version = CF_SCHEME_AGENT_REPO_VERSION;
	out->scheme_agents.self = s;
	out->scheme_agents.assign = agent_assign;
	out->scheme_agents.unassign = agent_unassign;
	out->scheme_agents.is_agent = agent_is_agent;
	out->scheme_agents.list = agent_list;
}
