/* test_app_schemes.c - scheme lifecycle use cases and their role rules. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cf_test_app.h"

static cf_test_env env;
static cf_actor admin, foreman, foreman2, agent, auditor, sub1, sub2;
static cf_user foreman_u, sub1_u, sub2_u, agent_u;

static void setup(void)
{
	ck_assert_int_eq(cf_test_env_init(&env, NULL), CF_OK);
	ck_assert_int_eq(cf_test_make_user(&env, "admin@x.in", CF_ROLE_ADMIN, &admin, NULL), 0);
	ck_assert_int_eq(cf_test_make_user(&env, "f@x.in", CF_ROLE_FOREMAN, &foreman, &foreman_u),
	                 0);
	ck_assert_int_eq(cf_test_make_user(&env, "f2@x.in", CF_ROLE_FOREMAN, &foreman2, NULL), 0);
	ck_assert_int_eq(cf_test_make_user(&env, "ag@x.in", CF_ROLE_AGENT, &agent, &agent_u), 0);
	ck_assert_int_eq(cf_test_make_user(&env, "au@x.in", CF_ROLE_AUDITOR, &auditor, NULL), 0);
	ck_assert_int_eq(cf_test_make_user(&env, "s1@x.in", CF_ROLE_SUBSCRIBER, &sub1, &sub1_u), 0);
	ck_assert_int_eq(cf_test_make_user(&env, "s2@x.in", CF_ROLE_SUBSCRIBER, &sub2, &sub2_u), 0);
}

static void teardown(void)
{
	cf_test_env_free(&env);
}

/* V = N x 5,000.00 (S = 5,000.00), N members, monthly from 2026-01-31. */
static cf_scheme_create_req create_req(int32_t n)
{
	cf_scheme_create_req r;

	memset(&r, 0, sizeof r);
	r.name = "Kuri 1";
	cf_scheme_params_init(&r.params);
	r.params.chit_value = cf_money_of(INT64_C(500000) * n);
	r.params.member_count = n;
	r.params.start_date = (cf_date){2026, 1, 31};
	return r;
}

static cf_scheme make_scheme(int32_t n, bool open)
{
	cf_scheme_create_req r = create_req(n);
	cf_scheme s;
	cf_error err = CF_ERROR_INIT;

	ck_assert_int_eq(cf_scheme_create(env.app, &foreman, &r, &s, &err), CF_OK);
	cf_memory_clock_advance(env.clock, 1000); /* distinct created_at for list order */
	if (open)
		ck_assert_int_eq(cf_scheme_open(env.app, &foreman, s.id, &s, &err), CF_OK);
	return s;
}

static int enrol(const cf_actor *a, const char *scheme, const char *user, int no, cf_ticket *t,
                 cf_error *err)
{
	cf_enrol_req r = {user, no};

	return cf_scheme_enrol(env.app, a, scheme, &r, t, err);
}

START_TEST(test_schemes__create_resolves_defaults)
{
	cf_scheme s = make_scheme(20, false);

	ck_assert_int_eq(s.status, CF_SCHEME_DRAFT);
	ck_assert_str_eq(s.foreman_id, foreman_u.id);
	ck_assert_int_eq(s.subscription.minor, 500000);
	ck_assert_int_eq(s.params.commission_bps, 500);
	ck_assert_int_eq(s.params.min_discount.minor, 500000); /* C = 5% of V = 1,00,000.00 */
	ck_assert_int_eq(s.params.max_discount_bps, 4000);
	ck_assert_int_eq(s.row_version, 1);
	ck_assert_int_eq(s.created_at_ms, CF_TEST_T0_MS);
}
END_TEST

START_TEST(test_schemes__create_refusals)
{
	cf_scheme_create_req r = create_req(20);
	cf_scheme s;
	cf_error err = CF_ERROR_INIT;
	cf_actor anon;

	ck_assert_int_eq(cf_scheme_create(env.app, &sub1, &r, &s, &err), CF_EFORBIDDEN);
	ck_assert_int_eq(cf_scheme_create(env.app, &agent, &r, &s, &err), CF_EFORBIDDEN);
	cf_actor_anonymous(&anon, NULL, NULL);
	ck_assert_int_eq(cf_scheme_create(env.app, &anon, &r, &s, &err), CF_EUNAUTHENTICATED);
	r.params.chit_value = cf_money_of(10000001); /* not divisible by 20 */
	ck_assert_int_eq(cf_scheme_create(env.app, &foreman, &r, &s, &err), CF_ERULE);
	ck_assert_str_eq(err.slug, "value-not-divisible");
	r = create_req(20);
	r.params.commission_bps = 900;
	r.given = CF_SP_COMMISSION_BPS;
	ck_assert_int_eq(cf_scheme_create(env.app, &foreman, &r, &s, &err), CF_ERULE);
	ck_assert_str_eq(err.slug, "commission-above-cap");
	ck_assert_str_eq(err.field, "commission_bps");
	r = create_req(20);
	r.name = "";
	ck_assert_int_eq(cf_scheme_create(env.app, &foreman, &r, &s, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "name");
	r = create_req(20);
	r.foreman_id = foreman_u.id;
	ck_assert_int_eq(cf_scheme_create(env.app, &foreman2, &r, &s, &err), CF_EFORBIDDEN);
	r.foreman_id = sub1_u.id; /* admin may name a foreman, but it must be one */
	ck_assert_int_eq(cf_scheme_create(env.app, &admin, &r, &s, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "foreman_id");
	r.foreman_id = foreman_u.id;
	ck_assert_int_eq(cf_scheme_create(env.app, &admin, &r, &s, &err), CF_OK);
	ck_assert_str_eq(s.foreman_id, foreman_u.id);
	ck_assert_int_eq(cf_memory_store_commits(env.store), 8); /* 7 users + 1 scheme */
}
END_TEST

START_TEST(test_schemes__visibility_and_list)
{
	cf_scheme d = make_scheme(20, false), o = make_scheme(10, true), got;
	cf_schemes_query q;
	cf_scheme_page page;
	cf_error err = CF_ERROR_INIT;

	ck_assert_int_eq(cf_scheme_get(env.app, &sub1, d.id, &got, &err), CF_ENOTFOUND);
	ck_assert_str_eq(err.slug, "not-found");
	ck_assert_int_eq(cf_scheme_get(env.app, &sub1, o.id, &got, &err), CF_OK);
	ck_assert_int_eq(cf_scheme_get(env.app, &auditor, d.id, &got, &err), CF_OK);
	ck_assert_int_eq(cf_scheme_get(env.app, &sub1, "not-a-uuid", &got, &err), CF_ENOTFOUND);
	memset(&q, 0, sizeof q);
	ck_assert_int_eq(cf_scheme_list(env.app, &sub1, &q, &page, &err), CF_OK);
	ck_assert_int_eq(page.schemes.count, 1);
	ck_assert_str_eq(page.schemes.items[0].id, o.id);
	cf_scheme_page_free(&page);
	q.limit = 1;
	ck_assert_int_eq(cf_scheme_list(env.app, &foreman2, &q, &page, &err), CF_OK);
	ck_assert_int_eq(page.schemes.count, 1);
	ck_assert_str_eq(page.schemes.items[0].id, d.id);
	ck_assert_str_ne(page.next_cursor, "");
	{
		char cur[CF_CURSOR_SIZE];
		memcpy(cur, page.next_cursor, sizeof cur);
		cf_scheme_page_free(&page);
		q.cursor = cur;
		ck_assert_int_eq(cf_scheme_list(env.app, &foreman2, &q, &page, &err), CF_OK);
		ck_assert_int_eq(page.schemes.count, 1);
		ck_assert_str_eq(page.schemes.items[0].id, o.id);
		ck_assert_str_eq(page.next_cursor, "");
		cf_scheme_page_free(&page);
	}
	q.cursor = "garbage";
	ck_assert_int_eq(cf_scheme_list(env.app, &foreman2, &q, &page, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "cursor");
	q.cursor = NULL;
	q.limit = 201;
	ck_assert_int_eq(cf_scheme_list(env.app, &foreman2, &q, &page, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "limit");
	q.limit = 0;
	q.has_status = true;
	q.status = CF_SCHEME_DRAFT;
	ck_assert_int_eq(cf_scheme_list(env.app, &admin, &q, &page, &err), CF_OK);
	ck_assert_int_eq(page.schemes.count, 1);
	cf_scheme_page_free(&page);
}
END_TEST

START_TEST(test_schemes__update_draft_only)
{
	cf_scheme s = make_scheme(20, false), out;
	cf_scheme_update_req u;
	cf_error err = CF_ERROR_INIT;

	memset(&u, 0, sizeof u);
	cf_scheme_params_init(&u.params);
	u.params.commission_bps = 300;
	u.set = CF_SP_COMMISSION_BPS;
	u.name = "Renamed";
	ck_assert_int_eq(cf_scheme_update(env.app, &foreman2, s.id, &u, &out, &err), CF_EFORBIDDEN);
	ck_assert_int_eq(cf_scheme_update(env.app, &sub1, s.id, &u, &out, &err), CF_ENOTFOUND);
	ck_assert_int_eq(cf_scheme_update(env.app, &foreman, s.id, &u, &out, &err), CF_OK);
	ck_assert_str_eq(out.name, "Renamed");
	ck_assert_int_eq(out.params.commission_bps, 300);
	/* min_discount was not given, so it follows the new commission */
	ck_assert_int_eq(out.params.min_discount.minor, 300000);
	ck_assert_int_eq(out.params.member_count, 20);
	ck_assert_int_eq(out.row_version, 2);
	u.expected_row_version = 1;
	ck_assert_int_eq(cf_scheme_update(env.app, &admin, s.id, &u, &out, &err), CF_ECONFLICT);
	u.expected_row_version = 0;
	u.set = CF_SP_MEMBER_COUNT;
	u.params.member_count = 3;
	u.params.chit_value = cf_money_of(1); /* not in `set`: ignored */
	ck_assert_int_eq(cf_scheme_update(env.app, &admin, s.id, &u, &out, &err), CF_ERULE);
	ck_assert_str_eq(err.slug, "value-not-divisible");
	ck_assert_int_eq(cf_scheme_open(env.app, &foreman, s.id, &out, &err), CF_OK);
	ck_assert_int_eq(out.status, CF_SCHEME_ENROLLING);
	u.set = 0;
	ck_assert_int_eq(cf_scheme_update(env.app, &foreman, s.id, &u, &out, &err), CF_ECONFLICT);
	ck_assert_str_eq(err.slug, "scheme-not-draft");
	ck_assert_int_eq(cf_scheme_open(env.app, &foreman, s.id, &out, &err), CF_ECONFLICT);
	ck_assert_str_eq(err.slug, "scheme-not-draft");
}
END_TEST

START_TEST(test_schemes__agents)
{
	cf_scheme s = make_scheme(4, true);
	cf_ticket_array m;
	cf_error err = CF_ERROR_INIT;

	ck_assert_int_eq(cf_scheme_members(env.app, &agent, s.id, &m, &err), CF_EFORBIDDEN);
	ck_assert_int_eq(cf_scheme_agent_assign(env.app, &foreman, s.id, sub1_u.id, &err),
	                 CF_EINVALID);
	ck_assert_str_eq(err.field, "user_id");
	ck_assert_int_eq(cf_scheme_agent_assign(env.app, &foreman2, s.id, agent_u.id, &err),
	                 CF_EFORBIDDEN);
	ck_assert_int_eq(cf_scheme_agent_assign(env.app, &foreman, s.id, agent_u.id, &err), CF_OK);
	ck_assert_int_eq(cf_scheme_agent_assign(env.app, &admin, s.id, agent_u.id, &err), CF_OK);
	ck_assert_int_eq(cf_scheme_members(env.app, &agent, s.id, &m, &err), CF_OK);
	cf_ticket_array_free(&m);
	ck_assert_int_eq(cf_scheme_agent_unassign(env.app, &foreman, s.id, agent_u.id, &err),
	                 CF_OK);
	ck_assert_int_eq(cf_scheme_agent_unassign(env.app, &foreman, s.id, agent_u.id, &err),
	                 CF_ENOTFOUND);
	ck_assert_int_eq(cf_scheme_members(env.app, &agent, s.id, &m, &err), CF_EFORBIDDEN);
}
END_TEST

START_TEST(test_schemes__enrol_rules)
{
	cf_scheme d = make_scheme(3, false), s = make_scheme(3, true);
	cf_ticket t;
	cf_ticket_array m;
	cf_error err = CF_ERROR_INIT;

	ck_assert_int_eq(enrol(&foreman, d.id, sub1_u.id, 0, &t, &err), CF_ECONFLICT);
	ck_assert_str_eq(err.slug, "scheme-not-enrolling");
	ck_assert_int_eq(enrol(&sub1, s.id, NULL, 0, &t, &err), CF_OK);
	ck_assert_int_eq(t.ticket_no, 1);
	ck_assert_str_eq(t.user_id, sub1_u.id);
	ck_assert_int_eq(t.status, CF_TICKET_ACTIVE);
	ck_assert(!t.prized);
	ck_assert_int_eq(enrol(&sub1, s.id, sub2_u.id, 0, &t, &err), CF_EFORBIDDEN);
	ck_assert_int_eq(enrol(&agent, s.id, sub2_u.id, 0, &t, &err), CF_EFORBIDDEN);
	ck_assert_int_eq(enrol(&foreman2, s.id, sub2_u.id, 0, &t, &err), CF_EFORBIDDEN);
	ck_assert_int_eq(enrol(&foreman, s.id, sub2_u.id, 1, &t, &err), CF_EEXISTS);
	ck_assert_str_eq(err.slug, "ticket-taken");
	ck_assert_int_eq(enrol(&foreman, s.id, sub2_u.id, 4, &t, &err), CF_EINVALID);
	ck_assert_str_eq(err.field, "ticket_no");
	ck_assert_int_eq(enrol(&foreman, s.id, "00000000-0000-4000-8000-000000000000", 0, &t, &err),
	                 CF_EINVALID);
	ck_assert_str_eq(err.field, "user_id");
	ck_assert_int_eq(enrol(&foreman, s.id, sub1_u.id, 3, &t, &err), CF_OK); /* 2nd ticket */
	ck_assert_int_eq(enrol(&foreman, s.id, NULL, 0, &t, &err), CF_OK);      /* foreman's own */
	ck_assert_int_eq(t.ticket_no, 2);
	ck_assert_str_eq(t.user_id, foreman_u.id);
	ck_assert_int_eq(enrol(&admin, s.id, sub2_u.id, 0, &t, &err), CF_ECONFLICT);
	ck_assert_str_eq(err.slug, "scheme-full");
	/* members: staff all, a subscriber his own, another foreman forbidden */
	ck_assert_int_eq(cf_scheme_members(env.app, &auditor, s.id, &m, &err), CF_OK);
	ck_assert_int_eq(m.count, 3);
	cf_ticket_array_free(&m);
	ck_assert_int_eq(cf_scheme_members(env.app, &sub1, s.id, &m, &err), CF_OK);
	ck_assert_int_eq(m.count, 2);
	ck_assert_int_eq(m.items[0].ticket_no, 1);
	ck_assert_int_eq(m.items[1].ticket_no, 3);
	cf_ticket_array_free(&m);
	ck_assert_int_eq(cf_scheme_members(env.app, &sub2, s.id, &m, &err), CF_OK);
	ck_assert_int_eq(m.count, 0);
	cf_ticket_array_free(&m);
	ck_assert_int_eq(cf_scheme_members(env.app, &foreman2, s.id, &m, &err), CF_EFORBIDDEN);
	ck_assert_int_eq(cf_user_tickets(env.app, &sub1, &m, &err), CF_OK);
	ck_assert_int_eq(m.count, 2);
	cf_ticket_array_free(&m);
}
END_TEST

START_TEST(test_schemes__commence)
{
	cf_scheme s = make_scheme(2, true), out;
	cf_ticket t;
	cf_error err = CF_ERROR_INIT;

	ck_assert_int_eq(cf_scheme_commence(env.app, &foreman, s.id, "", "ref", &out, &err),
	                 CF_EINVALID);
	ck_assert_str_eq(err.field, "registration_no");
	ck_assert_int_eq(cf_scheme_commence(env.app, &foreman, s.id, "REG/1", "CC/1", &out, &err),
	                 CF_ECONFLICT);
	ck_assert_str_eq(err.slug, "scheme-not-full");
	ck_assert_int_eq(enrol(&sub1, s.id, NULL, 0, &t, &err), CF_OK);
	ck_assert_int_eq(enrol(&sub2, s.id, NULL, 0, &t, &err), CF_OK);
	ck_assert_int_eq(cf_scheme_commence(env.app, &foreman2, s.id, "REG/1", "CC/1", &out, &err),
	                 CF_EFORBIDDEN);
	cf_memory_clock_advance(env.clock, 60000);
	ck_assert_int_eq(cf_scheme_commence(env.app, &foreman, s.id, "REG/1", "CC/1", &out, &err),
	                 CF_OK);
	ck_assert_int_eq(out.status, CF_SCHEME_RUNNING);
	ck_assert_str_eq(out.registration_no, "REG/1");
	ck_assert_str_eq(out.commencement_ref, "CC/1");
	ck_assert_int_eq(out.commenced_at_ms, CF_TEST_T0_MS + 1000 + 60000);
	ck_assert_int_eq(cf_scheme_commence(env.app, &foreman, s.id, "REG/1", "CC/1", &out, &err),
	                 CF_ECONFLICT);
	ck_assert_str_eq(err.slug, "scheme-not-enrolling");
	/* the subscribers still see it (they hold tickets); others do not */
	ck_assert_int_eq(cf_scheme_get(env.app, &sub1, s.id, &out, &err), CF_OK);
}
END_TEST

START_TEST(test_schemes__first_prize_needs_foreman_ticket)
{
	cf_scheme_create_req r = create_req(2);
	cf_scheme s, out;
	cf_ticket t;
	cf_error err = CF_ERROR_INIT;

	r.params.first_prize_to_foreman = true;
	r.given = CF_SP_FIRST_PRIZE_TO_FOREMAN;
	ck_assert_int_eq(cf_scheme_create(env.app, &foreman, &r, &s, &err), CF_OK);
	ck_assert(s.params.first_prize_to_foreman);
	ck_assert_int_eq(cf_scheme_open(env.app, &foreman, s.id, &s, &err), CF_OK);
	ck_assert_int_eq(enrol(&sub1, s.id, NULL, 0, &t, &err), CF_OK);
	ck_assert_int_eq(enrol(&sub2, s.id, NULL, 0, &t, &err), CF_OK);
	ck_assert_int_eq(cf_scheme_commence(env.app, &foreman, s.id, "R", "C", &out, &err),
	                 CF_ERULE);
	ck_assert_str_eq(err.slug, "foreman-ticket-required");
}
END_TEST

START_TEST(test_schemes__schedule)
{
	cf_scheme s = make_scheme(2, true), out;
	cf_schedule sch;
	cf_ticket t;
	cf_error err = CF_ERROR_INIT;

	ck_assert_int_eq(cf_scheme_schedule(env.app, &admin, s.id, &sch, &err), CF_OK);
	ck_assert_int_eq(sch.count, 2);
	ck_assert_int_eq(sch.rows[0].installment_no, 1);
	ck_assert_int_eq(sch.rows[0].due_date.day, 31);
	ck_assert_int_eq(sch.rows[1].due_date.month, 2);
	ck_assert_int_eq(sch.rows[1].due_date.day, 28); /* clamped */
	ck_assert_int_eq(sch.rows[1].auction_date.day, 28);
	ck_assert_int_eq(sch.rows[0].status, CF_SCHEDULE_UPCOMING);
	ck_assert(!sch.rows[0].has_net_subscription);
	ck_assert(!sch.rows[0].has_discount);
	cf_schedule_free(&sch);
	enrol(&sub1, s.id, NULL, 0, &t, &err);
	enrol(&sub2, s.id, NULL, 0, &t, &err);
	ck_assert_int_eq(cf_scheme_commence(env.app, &foreman, s.id, "R", "C", &out, &err), CF_OK);
	ck_assert_int_eq(cf_scheme_schedule(env.app, &sub1, s.id, &sch, &err), CF_OK);
	ck_assert(sch.rows[0].has_net_subscription);
	ck_assert_int_eq(sch.rows[0].net_subscription.minor, 500000);
	ck_assert(!sch.rows[1].has_net_subscription);
	cf_schedule_free(&sch);
	ck_assert_int_eq(cf_scheme_schedule(env.app, &sub1, "00000000-0000-4000-8000-00000000dead",
	                                    &sch, &err),
	                 CF_ENOTFOUND);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("app_schemes");
	TCase *tc = tcase_create("schemes");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_schemes__create_resolves_defaults);
	tcase_add_test(tc, test_schemes__create_refusals);
	tcase_add_test(tc, test_schemes__visibility_and_list);
	tcase_add_test(tc, test_schemes__update_draft_only);
	tcase_add_test(tc, test_schemes__agents);
	tcase_add_test(tc, test_schemes__enrol_rules);
	tcase_add_test(tc, test_schemes__commence);
	tcase_add_test(tc, test_schemes__first_prize_needs_foreman_ticket);
	tcase_add_test(tc, test_schemes__schedule);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
