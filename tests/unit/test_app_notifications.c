/*
 * test_app_notifications.c - the notification outbox
 * (chitfund/notifications.h) over the memory adapter: a payment notifies
 * its ticket's holder exactly once, a failed or refused payment notifies
 * nobody (the row is written in the payment's transaction), every user
 * lists and marks only his own, a draw notifies every member when it opens
 * and when it settles, and without the port the read use cases answer
 * CF_ENOTSUPPORTED while payments still work.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_test_app.h"
#include "chitfund.h"
#include "chitfund/adapters/memory_auctions.h"
#include "chitfund/adapters/memory_money.h"
#include "chitfund/adapters/memory_notifications.h"
#include "chitfund/auctions.h"
#include "chitfund/money.h"
#include "chitfund/notifications.h"

#define RS(x) ((int64_t)(x)*100) /* rupees to paise */
#define NSUB  3

static cf_test_env env;
static cf_memory_auctions *mem_a;
static cf_memory_money *mem_m;
static cf_memory_notifications *mem_n;
static cf_actor foreman, agent, subs[NSUB];
static char scheme_id[CF_ID_SIZE];

static void build(bool with_outbox)
{
	cf_app_config cfg;

	cf_app_config_init(&cfg);
	ck_assert_int_eq(cf_test_env_init(&env, &cfg), CF_OK);
	cf_app_free(env.app);
	env.app = NULL;
	ck_assert_int_eq(cf_memory_auctions_new(&mem_a), CF_OK);
	ck_assert_int_eq(cf_memory_money_new(&mem_m), CF_OK);
	cf_memory_auctions_ports(mem_a, &env.ports);
	cf_memory_money_ports(mem_m, &env.ports);
	if (with_outbox) {
		ck_assert_int_eq(cf_memory_notifications_new(&mem_n), CF_OK);
		cf_memory_notifications_ports(mem_n, &env.ports);
	}
	ck_assert_int_eq(cf_app_new(&env.app, &env.ports, &cfg, NULL), CF_OK);
	ck_assert_int_eq(cf_test_make_user(&env, "f@example.com", CF_ROLE_FOREMAN, &foreman, NULL),
	                 CF_OK);
	ck_assert_int_eq(cf_test_make_user(&env, "g@example.com", CF_ROLE_AGENT, &agent, NULL),
	                 CF_OK);
	for (int i = 0; i < NSUB; i++) {
		char email[64];

		snprintf(email, sizeof email, "s%d@example.com", i);
		ck_assert_int_eq(cf_test_make_user(&env, email, CF_ROLE_SUBSCRIBER, &subs[i], NULL),
		                 CF_OK);
	}
}

static void setup(void)
{
	build(true);
}

static void setup_without(void)
{
	build(false);
}

static void teardown(void)
{
	cf_app_free(env.app);
	env.app = NULL;
	cf_memory_notifications_free(mem_n);
	cf_memory_money_free(mem_m);
	cf_memory_auctions_free(mem_a);
	mem_n = NULL;
	mem_a = NULL;
	mem_m = NULL;
	cf_test_env_free(&env);
}

static void at(cf_date d)
{
	cf_memory_clock_set(env.clock, cf_date_to_days(d) * 86400000 + 16200000);
}

/* Ticket 1: the foreman; ticket t > 1: subs[t - 2]. */
static const cf_actor *holder(int32_t t)
{
	return t == 1 ? &foreman : &subs[t - 2];
}

/* 4 tickets, Rs 5,000 a month, first prize to the foreman; running. */
static void make_scheme(void)
{
	cf_scheme_create_req req;
	cf_scheme s;
	cf_error err = CF_ERROR_INIT;
	int32_t n = NSUB + 1;

	memset(&req, 0, sizeof req);
	req.name = "Notified chit";
	cf_scheme_params_init(&req.params);
	req.params.chit_value = cf_money_of(RS(5000) * n);
	req.params.member_count = n;
	req.params.start_date = (cf_date){2026, 4, 10};
	req.params.max_discount_bps = 2500;
	req.params.first_prize_to_foreman = true;
	req.given = CF_SP_MAX_DISCOUNT_BPS | CF_SP_FIRST_PRIZE_TO_FOREMAN;
	ck_assert_int_eq(cf_scheme_create(env.app, &foreman, &req, &s, &err), CF_OK);
	memcpy(scheme_id, s.id, sizeof scheme_id);
	ck_assert_int_eq(cf_scheme_open(env.app, &foreman, scheme_id, &s, NULL), CF_OK);
	ck_assert_int_eq(cf_scheme_agent_assign(env.app, &foreman, scheme_id, agent.user_id, NULL),
	                 CF_OK);
	for (int32_t t = 1; t <= n; t++) {
		cf_enrol_req er = {holder(t)->user_id, t};
		cf_ticket tk;

		ck_assert_int_eq(cf_scheme_enrol(env.app, &foreman, scheme_id, &er, &tk, &err),
		                 CF_OK);
	}
	ck_assert_int_eq(
	        cf_scheme_commence(env.app, &foreman, scheme_id, "REG/1", "REF/1", &s, &err),
	        CF_OK);
}

static int pay(const cf_actor *who, int32_t t, int64_t amount, cf_payment_method m,
               cf_payment_view *v)
{
	cf_payment_req q;
	cf_error err = CF_ERROR_INIT;

	memset(&q, 0, sizeof q);
	q.scheme_id = scheme_id;
	q.ticket_no = t;
	q.amount = cf_money_of(amount);
	q.method = m;
	return cf_payment_record(env.app, who, &q, NULL, v, NULL, &err);
}

/* The actor's whole feed (newest first); free with cf_notification_page_free. */
static cf_notification_page feed(const cf_actor *a)
{
	cf_notification_page p;
	cf_error err = CF_ERROR_INIT;
	int rc = cf_notifications_list(env.app, a, NULL, 200, &p, &err);

	ck_assert_msg(rc == CF_OK, "list: %s %s", err.slug, err.message);
	return p;
}

static size_t count_kind(const cf_actor *a, const char *kind)
{
	cf_notification_page p = feed(a);
	size_t n = 0;

	for (size_t i = 0; i < p.notifications.count; i++)
		n += strcmp(p.notifications.items[i].kind, kind) == 0;
	cf_notification_page_free(&p);
	return n;
}

START_TEST(test_payment_notifies_holder_once)
{
	cf_payment_view v;
	cf_notification_page p;
	char want[64];

	at((cf_date){2026, 4, 1});
	make_scheme();
	ck_assert_int_eq(pay(&agent, 2, RS(5000), CF_PAY_CASH, &v), CF_OK);
	p = feed(&subs[0]);
	ck_assert_uint_eq(p.notifications.count, 1);
	ck_assert_str_eq(p.notifications.items[0].kind, "receipt");
	ck_assert_str_eq(p.notifications.items[0].user_id, subs[0].user_id);
	ck_assert_str_eq(p.notifications.items[0].scheme_id, scheme_id);
	ck_assert_int_eq(p.notifications.items[0].read_at_ms, 0);
	snprintf(want, sizeof want, "\"payment_id\":\"%s\"", v.p.id);
	ck_assert_ptr_nonnull(strstr(p.notifications.items[0].body, want));
	ck_assert_ptr_nonnull(strstr(p.notifications.items[0].body, "\"amount\":500000"));
	ck_assert_str_eq(p.next_cursor, "");
	cf_notification_page_free(&p);
	cf_payment_view_free(&v);
	/* nobody else was told: not the recorder, not the other holders */
	ck_assert_uint_eq(count_kind(&agent, "receipt"), 0);
	ck_assert_uint_eq(count_kind(&foreman, "receipt"), 0);
	ck_assert_uint_eq(count_kind(&subs[1], "receipt"), 0);
}
END_TEST

START_TEST(test_failed_payment_notifies_nobody)
{
	cf_payment_view v;

	at((cf_date){2026, 4, 1});
	make_scheme();
	/* the commit fails: the payment and its notification roll back together */
	cf_memory_store_fail_commits(env.store, CF_EUNAVAILABLE, 1);
	ck_assert_int_lt(pay(&agent, 2, RS(5000), CF_PAY_CASH, &v), 0);
	ck_assert_uint_eq(count_kind(&subs[0], "receipt"), 0);
	/* refused by a rule (a subscriber may not record cash): nothing either */
	ck_assert_int_lt(pay(&subs[0], 2, RS(5000), CF_PAY_CASH, &v), 0);
	ck_assert_uint_eq(count_kind(&subs[0], "receipt"), 0);
	/* and the next good payment gives exactly one */
	ck_assert_int_eq(pay(&agent, 2, RS(5000), CF_PAY_CASH, &v), CF_OK);
	cf_payment_view_free(&v);
	ck_assert_uint_eq(count_kind(&subs[0], "receipt"), 1);
}
END_TEST

START_TEST(test_own_only_mark_read_and_pages)
{
	cf_payment_view v;
	cf_notification_page p0, p1, pg;
	cf_notification n;
	cf_error err = CF_ERROR_INIT;
	char first[CF_ID_SIZE], second[CF_ID_SIZE];

	at((cf_date){2026, 4, 1});
	make_scheme();
	ck_assert_int_eq(pay(&agent, 2, RS(2000), CF_PAY_CASH, &v), CF_OK);
	cf_payment_view_free(&v);
	ck_assert_int_eq(pay(&agent, 3, RS(5000), CF_PAY_CASH, &v), CF_OK);
	cf_payment_view_free(&v);
	ck_assert_int_eq(pay(&agent, 2, RS(3000), CF_PAY_CASH, &v), CF_OK);
	cf_payment_view_free(&v);
	p0 = feed(&subs[0]);
	p1 = feed(&subs[1]);
	ck_assert_uint_eq(p0.notifications.count, 2);
	ck_assert_uint_eq(p1.notifications.count, 1);
	for (size_t i = 0; i < p0.notifications.count; i++)
		ck_assert_str_eq(p0.notifications.items[i].user_id, subs[0].user_id);
	ck_assert_str_eq(p1.notifications.items[0].user_id, subs[1].user_id);
	/* newest first */
	ck_assert_int_gt(p0.notifications.items[0].seq, p0.notifications.items[1].seq);
	ck_assert_ptr_nonnull(strstr(p0.notifications.items[0].body, "\"amount\":300000"));
	memcpy(second, p0.notifications.items[0].id, CF_ID_SIZE);
	memcpy(first, p0.notifications.items[1].id, CF_ID_SIZE);
	/* someone else's id: not found, and it stays unread */
	ck_assert_int_eq(cf_notification_mark_read(env.app, &subs[1], second, &n, &err),
	                 CF_ENOTFOUND);
	ck_assert_str_eq(err.slug, CF_SLUG_NOT_FOUND);
	ck_assert_int_eq(cf_notification_mark_read(env.app, &foreman, second, &n, NULL),
	                 CF_ENOTFOUND);
	ck_assert_int_eq(cf_notification_mark_read(env.app, &subs[0], "nope", &n, NULL),
	                 CF_ENOTFOUND);
	cf_notification_page_free(&p0);
	p0 = feed(&subs[0]);
	ck_assert_int_eq(p0.notifications.items[0].read_at_ms, 0);
	cf_notification_page_free(&p0);
	/* the owner marks it: read_at set, and kept on a second mark */
	ck_assert_int_eq(cf_notification_mark_read(env.app, &subs[0], second, &n, NULL), CF_OK);
	ck_assert_str_eq(n.id, second);
	ck_assert_int_gt(n.read_at_ms, 0);
	{
		int64_t t = n.read_at_ms;

		cf_memory_clock_advance(env.clock, 60000);
		ck_assert_int_eq(cf_notification_mark_read(env.app, &subs[0], second, &n, NULL),
		                 CF_OK);
		ck_assert_int_eq(n.read_at_ms, t);
	}
	/* pages of one */
	ck_assert_int_eq(cf_notifications_list(env.app, &subs[0], NULL, 1, &pg, NULL), CF_OK);
	ck_assert_uint_eq(pg.notifications.count, 1);
	ck_assert_str_eq(pg.notifications.items[0].id, second);
	ck_assert_str_ne(pg.next_cursor, "");
	{
		char cur[CF_CURSOR_SIZE];

		memcpy(cur, pg.next_cursor, sizeof cur);
		cf_notification_page_free(&pg);
		ck_assert_int_eq(cf_notifications_list(env.app, &subs[0], cur, 1, &pg, NULL),
		                 CF_OK);
	}
	ck_assert_uint_eq(pg.notifications.count, 1);
	ck_assert_str_eq(pg.notifications.items[0].id, first);
	ck_assert_str_eq(pg.next_cursor, "");
	cf_notification_page_free(&pg);
	/* bad limit / cursor, anonymous */
	ck_assert_int_eq(cf_notifications_list(env.app, &subs[0], NULL, 201, &pg, &err),
	                 CF_EINVALID);
	ck_assert_int_eq(cf_notifications_list(env.app, &subs[0], "x1", 0, &pg, &err), CF_EINVALID);
	{
		cf_actor anon;

		cf_actor_anonymous(&anon, NULL, NULL);
		ck_assert_int_eq(cf_notifications_list(env.app, &anon, NULL, 0, &pg, &err),
		                 CF_EUNAUTHENTICATED);
	}
	cf_notification_page_free(&p1);
}
END_TEST

START_TEST(test_draw_notifies_every_member)
{
	cf_auction_create_req req = {1, 0, 0, 0};
	cf_auction_view v;
	cf_auction_result r;
	cf_error err = CF_ERROR_INIT;
	char id[CF_ID_SIZE];
	int rc;

	at((cf_date){2026, 4, 10});
	make_scheme();
	ck_assert_int_eq(cf_auction_create(env.app, &foreman, scheme_id, &req, &v, &err), CF_OK);
	memcpy(id, v.a.id, CF_ID_SIZE);
	cf_auction_view_free(&v);
	for (int32_t t = 1; t <= NSUB + 1; t++)
		ck_assert_uint_eq(count_kind(holder(t), "auction_opened"), 0);
	ck_assert_int_eq(cf_auction_open(env.app, &foreman, id, &v, &err), CF_OK);
	cf_auction_view_free(&v);
	for (int32_t t = 1; t <= NSUB + 1; t++) {
		ck_assert_uint_eq(count_kind(holder(t), "auction_opened"), 1);
		ck_assert_uint_eq(count_kind(holder(t), "auction_settled"), 0);
	}
	rc = cf_auction_close(env.app, &foreman, id, NULL, &r, &err);
	ck_assert_msg(rc == CF_OK, "close: %s %s", err.slug, err.message);
	for (int32_t t = 1; t <= NSUB + 1; t++) {
		cf_notification_page p = feed(holder(t));

		ck_assert_uint_eq(count_kind(holder(t), "auction_settled"), 1);
		ck_assert_str_eq(p.notifications.items[0].kind, "auction_settled");
		ck_assert_ptr_nonnull(strstr(p.notifications.items[0].body, id));
		ck_assert_ptr_nonnull(strstr(p.notifications.items[0].body, "\"result\""));
		cf_notification_page_free(&p);
	}
	/* the agent holds no ticket: not a member */
	ck_assert_uint_eq(count_kind(&agent, "auction_settled"), 0);
}
END_TEST

/* A channel that refuses its first call and records what it accepted. */
typedef struct channel {
	int calls;
	int refuse_first;
	char accepted[8][CF_ID_SIZE];
	int n_accepted;
} channel;

static int channel_send(void *ctx, const cf_notification *n, const cf_notification_recipient *to)
{
	channel *ch = ctx;

	ck_assert_str_ne(to->email, ""); /* the holder's contact comes along */
	ck_assert(to->active);
	if (ch->calls++ < ch->refuse_first)
		return CF_EUNAVAILABLE;
	ck_assert_int_lt(ch->n_accepted, 8);
	memcpy(ch->accepted[ch->n_accepted++], n->id, CF_ID_SIZE);
	return CF_OK;
}

START_TEST(test_delivery_worker)
{
	cf_payment_view v;
	cf_actor sys;
	cf_delivery_result res;
	cf_error err = CF_ERROR_INIT;
	channel ch;
	cf_notification_page p;

	at((cf_date){2026, 4, 1});
	make_scheme();
	for (int32_t t = 2; t <= 4; t++) {
		ck_assert_int_eq(pay(&agent, t, RS(5000), CF_PAY_CASH, &v), CF_OK);
		cf_payment_view_free(&v);
	}
	cf_actor_anonymous(&sys, "deliver", "");
	sys.role = CF_ROLE_SYSTEM;
	/* refusals first: the arguments, and who may run it */
	memset(&ch, 0, sizeof ch);
	ck_assert_int_eq(cf_notifications_deliver(env.app, &sys, 0, channel_send, &ch, &res, &err),
	                 CF_EINVALID);
	ck_assert_str_eq(err.field, "limit");
	ck_assert_int_eq(
	        cf_notifications_deliver(env.app, &agent, 10, channel_send, &ch, &res, &err),
	        CF_EFORBIDDEN);
	ck_assert_int_eq(ch.calls, 0);
	/* the channel refuses the first: 2 delivered, 1 failed */
	ch.refuse_first = 1;
	ck_assert_int_eq(cf_notifications_deliver(env.app, &sys, 10, channel_send, &ch, &res, &err),
	                 CF_OK);
	ck_assert_uint_eq(res.delivered, 2);
	ck_assert_uint_eq(res.failed, 1);
	/* the failed one comes back next time, with its attempt counted, and is delivered */
	ck_assert_int_eq(cf_notifications_deliver(env.app, &sys, 10, channel_send, &ch, &res, &err),
	                 CF_OK);
	ck_assert_uint_eq(res.delivered, 1);
	ck_assert_uint_eq(res.failed, 0);
	ck_assert_int_eq(ch.n_accepted, 3);
	ck_assert_str_ne(ch.accepted[0], ch.accepted[1]);
	ck_assert_str_ne(ch.accepted[1], ch.accepted[2]);
	ck_assert_str_ne(ch.accepted[0], ch.accepted[2]);
	/* nothing left */
	ck_assert_int_eq(cf_notifications_deliver(env.app, &sys, 10, channel_send, &ch, &res, &err),
	                 CF_OK);
	ck_assert_uint_eq(res.delivered + res.failed, 0);
	ck_assert_int_eq(ch.calls, 4);
	/* the holder's feed shows the delivery and the failed attempt */
	p = feed(&subs[0]);
	ck_assert_uint_eq(p.notifications.count, 1);
	ck_assert_int_ne(p.notifications.items[0].delivered_at_ms, 0);
	cf_notification_page_free(&p);
	{
		int attempts = 0;

		for (int i = 0; i < 3; i++) {
			p = feed(&subs[i]);
			attempts += p.notifications.items[0].attempts;
			cf_notification_page_free(&p);
		}
		ck_assert_int_eq(attempts, 1);
	}
}
END_TEST

START_TEST(test_without_port)
{
	cf_payment_view v;
	cf_notification_page p;
	cf_notification n;
	cf_error err = CF_ERROR_INIT;

	at((cf_date){2026, 4, 1});
	make_scheme();
	ck_assert_int_eq(pay(&agent, 2, RS(5000), CF_PAY_CASH, &v), CF_OK);
	cf_payment_view_free(&v);
	ck_assert_int_eq(cf_notifications_list(env.app, &subs[0], NULL, 0, &p, &err),
	                 CF_ENOTSUPPORTED);
	ck_assert_int_eq(cf_notification_mark_read(env.app, &subs[0],
	                                           "00000000-0000-4000-8000-000000000000", &n,
	                                           NULL),
	                 CF_ENOTSUPPORTED);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("app_notifications");
	TCase *tc = tcase_create("outbox");
	TCase *tn = tcase_create("no_port");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_payment_notifies_holder_once);
	tcase_add_test(tc, test_failed_payment_notifies_nobody);
	tcase_add_test(tc, test_own_only_mark_read_and_pages);
	tcase_add_test(tc, test_draw_notifies_every_member);
	tcase_add_test(tc, test_delivery_worker);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tn, setup_without, teardown);
	tcase_set_timeout(tn, 60);
	tcase_add_test(tn, test_without_port);
	suite_add_tcase(s, tn);
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
