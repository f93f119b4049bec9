/*
 * test_pg_adapter.c - the postgres adapter's ports on a real PostgreSQL:
 * unit of work, each repository's behaviour that SQL makes interesting
 * (case-insensitive email, optimistic updates, conflicts that leave the
 * transaction usable, cursors, exact instants, sealed bytes), the audit
 * chain, and concurrency: N threads enrolling into the last free ticket
 * (through the ports and through the cf_scheme_enrol use case) have
 * exactly one winner; concurrent audit appends keep the chain gapless.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "chitfund/adapters/memory.h"
#include "chitfund/adapters/postgres.h"
#include "chitfund/adapters/postgres_money.h"
#include "chitfund/app.h"
#include "chitfund/schemes.h"
#include "chitfund/sys/ports.h"
#include "cf_sha256_ref.h"
#include "it_db.h"

static cf_pg_pool *g_pool;
static cf_pg_store *g_store;
static cf_ports g_ports;

static void setup(void)
{
	g_pool = cf_it_pool(12, 5000);
	ck_assert_int_eq(cf_pg_store_new(&g_store, g_pool), CF_OK);
	memset(&g_ports, 0, sizeof g_ports);
	cf_pg_store_ports(g_store, &g_ports);
}

static void teardown(void)
{
	cf_pg_store_free(g_store);
	g_store = NULL;
	cf_pg_pool_close(g_pool);
	g_pool = NULL;
}

/* ---- helpers ---- */

static void new_id(char out[CF_ID_SIZE])
{
	static unsigned long long counter;

	snprintf(out, CF_ID_SIZE, "%08x-0000-4000-8000-%012llx", (unsigned)getpid(), ++counter);
}

static cf_tx *begin(void)
{
	cf_tx *tx = NULL;

	ck_assert_int_eq(g_ports.uow.begin(g_ports.uow.self, &tx), CF_OK);
	ck_assert_ptr_nonnull(tx);
	return tx;
}

static void commit(cf_tx *tx)
{
	ck_assert_int_eq(g_ports.uow.commit(g_ports.uow.self, tx), CF_OK);
}

static void rollback(cf_tx *tx)
{
	g_ports.uow.rollback(g_ports.uow.self, tx);
}

/* Fill a user row with fresh id, ucfsin and an email built from tag. */
static void make_user(cf_tx *tx, const char *tag, cf_role role, cf_user_row *u)
{
	int64_t seq = 0;

	memset(u, 0, sizeof *u);
	new_id(u->id);
	snprintf(u->email, sizeof u->email, "%s.%s@example.com", tag, u->id);
	snprintf(u->password_hash, sizeof u->password_hash, "fake$hash");
	snprintf(u->full_name, sizeof u->full_name, "User %s", tag);
	u->role = role;
	ck_assert_int_eq(g_ports.users.next_ucfsin_seq(g_ports.users.self, tx, &seq), CF_OK);
	u->ucfsin_seq = seq;
	snprintf(u->ucfsin, sizeof u->ucfsin, "CF26%010lld", (long long)seq);
	u->is_active = true;
	u->created_at_ms = 1774000000123LL;
	u->updated_at_ms = 1774000000123LL;
	u->row_version = 1;
}

static void insert_user(cf_tx *tx, const char *tag, cf_role role, cf_user_row *u)
{
	make_user(tx, tag, role, u);
	ck_assert_int_eq(g_ports.users.insert(g_ports.users.self, tx, u), CF_OK);
}

static void make_scheme(const char *foreman, int32_t n, cf_scheme *s)
{
	cf_rule why = CF_RULE_NONE;

	memset(s, 0, sizeof *s);
	new_id(s->id);
	snprintf(s->name, sizeof s->name, "Scheme %s", s->id);
	cf_scheme_params_init(&s->params);
	s->params.chit_value = cf_money_of(100000LL * n);
	s->params.member_count = n;
	s->params.start_date.year = 2026;
	s->params.start_date.month = 4;
	s->params.start_date.day = 30;
	ck_assert_int_eq(cf_scheme_params_resolve(&s->params, &why), CF_OK);
	s->subscription = cf_money_of(100000);
	s->status = CF_SCHEME_ENROLLING;
	snprintf(s->foreman_id, sizeof s->foreman_id, "%s", foreman);
	snprintf(s->created_by, sizeof s->created_by, "%s", foreman);
	s->params_given = CF_SP_COMMISSION_BPS | CF_SP_RULES_PROFILE;
	s->created_at_ms = 1774000000001LL;
	s->updated_at_ms = 1774000000001LL;
	s->row_version = 1;
}

static void make_ticket(const char *scheme, int32_t no, const char *user, cf_ticket *t)
{
	memset(t, 0, sizeof *t);
	new_id(t->id);
	snprintf(t->scheme_id, sizeof t->scheme_id, "%s", scheme);
	t->ticket_no = no;
	snprintf(t->user_id, sizeof t->user_id, "%s", user);
	t->status = CF_TICKET_ACTIVE;
	t->created_at_ms = 1774000000500LL + no;
	t->updated_at_ms = t->created_at_ms;
	t->row_version = 1;
}

/* Open n pooled connections now, so that racing threads start together. */
static void prewarm(int n)
{
	cf_pg_conn *c[16];
	int i;

	ck_assert_int_le(n, 16);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(cf_pg_pool_acquire(g_pool, &c[i], NULL), CF_OK);
	for (i = 0; i < n; i++)
		cf_pg_pool_release(g_pool, c[i]);
}

/* ---- unit of work ---- */

START_TEST(test_uow_commit_and_rollback)
{
	cf_tx *tx = begin();
	cf_user_row u, got;

	make_user(tx, "rb", CF_ROLE_SUBSCRIBER, &u);
	ck_assert_int_eq(g_ports.users.insert(g_ports.users.self, tx, &u), CF_OK);
	ck_assert_int_eq(g_ports.users.get(g_ports.users.self, tx, u.id, &got), CF_OK);
	rollback(tx);
	tx = begin();
	ck_assert_int_eq(g_ports.users.get(g_ports.users.self, tx, u.id, &got), CF_ENOTFOUND);
	ck_assert_int_eq(g_ports.users.insert(g_ports.users.self, tx, &u), CF_OK);
	commit(tx);
	tx = begin();
	ck_assert_int_eq(g_ports.users.get(g_ports.users.self, tx, u.id, &got), CF_OK);
	rollback(tx);
}
END_TEST

/* A read-only unit sends no BEGIN (its session stays idle between statements),
 * reads what is committed, and gives its connection back on commit or rollback. */
START_TEST(test_uow_read_only_unit)
{
	cf_tx *w = begin(), *r = NULL;
	cf_user_row u, got;
	cf_pg_pool_stats st;

	ck_assert_uint_eq(g_ports.uow.version, CF_UOW_VERSION);
	ck_assert_ptr_nonnull(g_ports.uow.begin_read);
	make_user(w, "ro", CF_ROLE_SUBSCRIBER, &u);
	ck_assert_int_eq(g_ports.users.insert(g_ports.users.self, w, &u), CF_OK);
	ck_assert_int_eq(g_ports.uow.begin_read(g_ports.uow.self, &r), CF_OK);
	ck_assert_int_eq(PQtransactionStatus(cf_pg_conn_pg(cf_pg_tx_conn(r))), PQTRANS_IDLE);
	/* the writer has not committed: invisible */
	ck_assert_int_eq(g_ports.users.get(g_ports.users.self, r, u.id, &got), CF_ENOTFOUND);
	commit(w);
	/* each statement sees what is committed when it starts (READ COMMITTED) */
	ck_assert_int_eq(g_ports.users.get(g_ports.users.self, r, u.id, &got), CF_OK);
	ck_assert_str_eq(got.email, u.email);
	ck_assert_int_eq(PQtransactionStatus(cf_pg_conn_pg(cf_pg_tx_conn(r))), PQTRANS_IDLE);
	ck_assert_int_eq(g_ports.uow.commit(g_ports.uow.self, r), CF_OK);
	ck_assert_int_eq(g_ports.uow.begin_read(g_ports.uow.self, &r), CF_OK);
	g_ports.uow.rollback(g_ports.uow.self, r);
	cf_pg_pool_stats_get(g_pool, &st);
	ck_assert_int_eq(st.in_use, 0);
}
END_TEST

START_TEST(test_uow_begin_unavailable_when_pool_exhausted)
{
	cf_pg_pool *small = cf_it_pool(1, 100);
	cf_pg_store *st = NULL;
	cf_ports ports;
	cf_tx *a = NULL, *b = NULL;

	ck_assert_int_eq(cf_pg_store_new(&st, small), CF_OK);
	memset(&ports, 0, sizeof ports);
	cf_pg_store_ports(st, &ports);
	ck_assert_int_eq(ports.uow.begin(ports.uow.self, &a), CF_OK);
	ck_assert_int_eq(ports.uow.begin(ports.uow.self, &b), CF_EUNAVAILABLE);
	ck_assert_ptr_null(b);
	ports.uow.rollback(ports.uow.self, a);
	ck_assert_int_eq(ports.uow.begin(ports.uow.self, &b), CF_OK);
	ck_assert_int_eq(ports.uow.commit(ports.uow.self, b), CF_OK);
	cf_pg_store_free(st);
	cf_pg_pool_close(small);
}
END_TEST

/* ---- users ---- */

START_TEST(test_users_roundtrip_and_email_case)
{
	cf_tx *tx = begin();
	cf_user_row u, got, dup;
	size_t i;

	make_user(tx, "asha", CF_ROLE_FOREMAN, &u);
	snprintf(u.phone, sizeof u.phone, "+919876543210");
	snprintf(u.address, sizeof u.address, "12 MG Road, Kochi");
	snprintf(u.nominee_name, sizeof u.nominee_name, "Ravi");
	snprintf(u.nominee_relation, sizeof u.nominee_relation, "brother");
	snprintf(u.bank_ifsc, sizeof u.bank_ifsc, "SBIN0001234");
	snprintf(u.pan.sealed.key_id, sizeof u.pan.sealed.key_id, "k1");
	u.pan.sealed.len = 40;
	for (i = 0; i < 40; i++)
		u.pan.sealed.data[i] = (uint8_t)(i * 7 + 1);
	u.pan.sealed.data[5] = 0; /* a NUL byte inside survives */
	snprintf(u.pan.masked, sizeof u.pan.masked, "XXXXXX234F");
	ck_assert_int_eq(g_ports.users.insert(g_ports.users.self, tx, &u), CF_OK);

	ck_assert_int_eq(g_ports.users.get(g_ports.users.self, tx, u.id, &got), CF_OK);
	ck_assert_int_eq(memcmp(&got, &u, sizeof got), 0); /* every field round-trips */
	ck_assert_int_eq(got.created_at_ms, 1774000000123LL);
	ck_assert_uint_eq(got.pan.sealed.len, 40);
	ck_assert_uint_eq(got.aadhaar.sealed.len, 0);

	/* lookup by email ignores case */
	for (i = 0; u.email[i]; i++)
		dup.email[i] = (char)((u.email[i] >= 'a' && u.email[i] <= 'z') ? u.email[i] - 32
		                                                               : u.email[i]);
	dup.email[i] = '\0';
	ck_assert_int_eq(g_ports.users.get_by_email(g_ports.users.self, tx, dup.email, &got),
	                 CF_OK);
	ck_assert_str_eq(got.id, u.id);

	/* a second user with the same email in another case: exists, tx still usable */
	make_user(tx, "other", CF_ROLE_SUBSCRIBER, &dup);
	snprintf(dup.email, sizeof dup.email, "%s", got.email);
	dup.email[0] = (char)(dup.email[0] - 32);
	ck_assert_int_eq(g_ports.users.insert(g_ports.users.self, tx, &dup), CF_EEXISTS);
	/* the same id: exists */
	snprintf(dup.email, sizeof dup.email, "fresh.%s@example.com", dup.id);
	snprintf(dup.id, sizeof dup.id, "%s", u.id);
	ck_assert_int_eq(g_ports.users.insert(g_ports.users.self, tx, &dup), CF_EEXISTS);
	ck_assert_int_eq(g_ports.users.get(g_ports.users.self, tx, u.id, &got), CF_OK);
	/* ids that are not UUIDs are simply not found */
	ck_assert_int_eq(g_ports.users.get(g_ports.users.self, tx, "nope", &got), CF_ENOTFOUND);
	ck_assert_int_eq(
	        g_ports.users.get_by_email(g_ports.users.self, tx, "none@example.com", &got),
	        CF_ENOTFOUND);
	commit(tx);
}
END_TEST

START_TEST(test_users_optimistic_update)
{
	cf_tx *tx = begin();
	cf_user_row u, stale, got, other;

	insert_user(tx, "upd", CF_ROLE_SUBSCRIBER, &u);
	insert_user(tx, "upd2", CF_ROLE_SUBSCRIBER, &other);
	stale = u;
	snprintf(u.full_name, sizeof u.full_name, "Renamed");
	u.role = CF_ROLE_AGENT;
	u.is_active = false;
	u.updated_at_ms = 1774000009999LL;
	ck_assert_int_eq(g_ports.users.update(g_ports.users.self, tx, &u), CF_OK);
	ck_assert_int_eq(u.row_version, 2);
	ck_assert_int_eq(g_ports.users.get(g_ports.users.self, tx, u.id, &got), CF_OK);
	ck_assert_str_eq(got.full_name, "Renamed");
	ck_assert_int_eq(got.role, CF_ROLE_AGENT);
	ck_assert(!got.is_active);
	ck_assert_int_eq(got.row_version, 2);
	ck_assert_int_eq(got.updated_at_ms, 1774000009999LL);
	ck_assert_int_eq(got.created_at_ms, 1774000000123LL);
	/* a stale version conflicts; an unknown id is not found */
	ck_assert_int_eq(g_ports.users.update(g_ports.users.self, tx, &stale), CF_ECONFLICT);
	new_id(stale.id);
	ck_assert_int_eq(g_ports.users.update(g_ports.users.self, tx, &stale), CF_ENOTFOUND);
	/* taking another user's email (any case) */
	snprintf(u.email, sizeof u.email, "%s", other.email);
	u.email[0] = (char)(u.email[0] - 32);
	ck_assert_int_eq(g_ports.users.update(g_ports.users.self, tx, &u), CF_EEXISTS);
	rollback(tx);
}
END_TEST

START_TEST(test_users_list_and_sequence)
{
	cf_tx *tx = begin();
	cf_user_row a, b, c;
	cf_user_filter f;
	cf_user_row_array l = {NULL, 0};
	int64_t s1 = 0, s2 = 0;

	insert_user(tx, "la", CF_ROLE_AUDITOR, &a);
	insert_user(tx, "lb", CF_ROLE_AUDITOR, &b);
	insert_user(tx, "lc", CF_ROLE_AUDITOR, &c);
	ck_assert_int_lt(a.ucfsin_seq, b.ucfsin_seq);
	memset(&f, 0, sizeof f);
	f.role = CF_ROLE_AUDITOR;
	f.after_seq = a.ucfsin_seq - 1;
	f.limit = 2;
	ck_assert_int_eq(g_ports.users.list(g_ports.users.self, tx, &f, &l), CF_OK);
	ck_assert_uint_eq(l.count, 2);
	ck_assert_str_eq(l.items[0].id, a.id);
	ck_assert_str_eq(l.items[1].id, b.id);
	cf_user_row_array_free(&l);
	f.after_seq = b.ucfsin_seq;
	ck_assert_int_eq(g_ports.users.list(g_ports.users.self, tx, &f, &l), CF_OK);
	ck_assert_uint_ge(l.count, 1);
	ck_assert_str_eq(l.items[0].id, c.id);
	cf_user_row_array_free(&l);
	memset(&f, 0, sizeof f);
	snprintf(f.ucfsin, sizeof f.ucfsin, "%s", b.ucfsin);
	f.limit = 10;
	ck_assert_int_eq(g_ports.users.list(g_ports.users.self, tx, &f, &l), CF_OK);
	ck_assert_uint_eq(l.count, 1);
	ck_assert_str_eq(l.items[0].id, b.id);
	cf_user_row_array_free(&l);
	/* the sequence never hands a value out twice, even across a rollback */
	ck_assert_int_eq(g_ports.users.next_ucfsin_seq(g_ports.users.self, tx, &s1), CF_OK);
	rollback(tx);
	tx = begin();
	ck_assert_int_eq(g_ports.users.next_ucfsin_seq(g_ports.users.self, tx, &s2), CF_OK);
	ck_assert_int_gt(s2, s1);
	rollback(tx);
}
END_TEST

/* ---- refresh tokens and login failures ---- */

START_TEST(test_refresh_tokens)
{
	cf_tx *tx = begin();
	cf_user_row u;
	cf_refresh_token_row t, t2, got;

	insert_user(tx, "tok", CF_ROLE_SUBSCRIBER, &u);
	memset(&t, 0, sizeof t);
	new_id(t.id);
	new_id(t.family_id);
	snprintf(t.user_id, sizeof t.user_id, "%s", u.id);
	snprintf(t.token_hash, sizeof t.token_hash, "%064x", (unsigned)getpid());
	memcpy(t.token_hash, t.id, 8);
	t.issued_at_ms = 1774000000000LL;
	t.expires_at_ms = 1775209600000LL;
	ck_assert_int_eq(g_ports.refresh_tokens.insert(g_ports.refresh_tokens.self, tx, &t), CF_OK);
	ck_assert_int_eq(g_ports.refresh_tokens.insert(g_ports.refresh_tokens.self, tx, &t),
	                 CF_EEXISTS);
	ck_assert_int_eq(g_ports.refresh_tokens.get_by_hash(g_ports.refresh_tokens.self, tx,
	                                                    t.token_hash, &got),
	                 CF_OK);
	ck_assert_int_eq(memcmp(&got, &t, sizeof t), 0);
	ck_assert_int_eq(g_ports.refresh_tokens.mark_spent(g_ports.refresh_tokens.self, tx, t.id,
	                                                   1774000000500LL),
	                 CF_OK);
	ck_assert_int_eq(g_ports.refresh_tokens.mark_spent(g_ports.refresh_tokens.self, tx, t.id,
	                                                   1774000000600LL),
	                 CF_ECONFLICT);
	t2 = t;
	new_id(t2.id);
	ck_assert_int_eq(
	        g_ports.refresh_tokens.mark_spent(g_ports.refresh_tokens.self, tx, t2.id, 1),
	        CF_ENOTFOUND);
	memcpy(t2.token_hash, t2.id, 8);
	t2.token_hash[9] = 'f';
	ck_assert_int_eq(g_ports.refresh_tokens.insert(g_ports.refresh_tokens.self, tx, &t2),
	                 CF_OK);
	ck_assert_int_eq(g_ports.refresh_tokens.revoke_family(g_ports.refresh_tokens.self, tx,
	                                                      t.family_id, 1774000000700LL),
	                 CF_OK);
	ck_assert_int_eq(g_ports.refresh_tokens.get_by_hash(g_ports.refresh_tokens.self, tx,
	                                                    t2.token_hash, &got),
	                 CF_OK);
	ck_assert_int_eq(got.revoked_at_ms, 1774000000700LL);
	ck_assert_int_eq(got.spent_at_ms, 0);
	ck_assert_int_eq(g_ports.refresh_tokens.get_by_hash(g_ports.refresh_tokens.self, tx,
	                                                    t.token_hash, &got),
	                 CF_OK);
	ck_assert_int_eq(got.spent_at_ms, 1774000000500LL);
	ck_assert_int_eq(got.revoked_at_ms, 1774000000700LL);
	/* revoke_user leaves already revoked tokens' instants alone */
	ck_assert_int_eq(g_ports.refresh_tokens.revoke_user(g_ports.refresh_tokens.self, tx, u.id,
	                                                    1774000000800LL),
	                 CF_OK);
	ck_assert_int_eq(g_ports.refresh_tokens.get_by_hash(g_ports.refresh_tokens.self, tx,
	                                                    t.token_hash, &got),
	                 CF_OK);
	ck_assert_int_eq(got.revoked_at_ms, 1774000000700LL);
	rollback(tx);
}
END_TEST

START_TEST(test_login_failures)
{
	cf_tx *tx = begin();
	cf_throttle_counts c;
	char key[96];
	const cf_login_throttle_repo *t = &g_ports.login_throttle;

	snprintf(key, sizeof key, "who.%ld@example.com", (long)getpid());
	ck_assert_int_eq(t->record_failure(t->self, tx, key, "10.0.0.1", 1000), CF_OK);
	ck_assert_int_eq(t->record_failure(t->self, tx, key, "10.0.0.2", 2000), CF_OK);
	ck_assert_int_eq(t->record_failure(t->self, tx, "x@example.com", "10.0.0.1", 3000), CF_OK);
	ck_assert_int_eq(t->record_failure(t->self, tx, key, "", 4000), CF_OK);
	ck_assert_int_eq(t->count_since(t->self, tx, key, "10.0.0.1", 1500, &c), CF_OK);
	ck_assert_int_eq(c.account_failures, 2);
	ck_assert_int_eq(c.account_oldest_ms, 2000);
	ck_assert_int_eq(c.address_failures, 1);
	ck_assert_int_eq(c.address_oldest_ms, 3000);
	ck_assert_int_eq(t->count_since(t->self, tx, key, "", 0, &c), CF_OK);
	ck_assert_int_eq(c.account_failures, 3);
	ck_assert_int_eq(c.address_failures, 0);
	ck_assert_int_eq(c.address_oldest_ms, 0);
	ck_assert_int_eq(t->clear_account(t->self, tx, key), CF_OK);
	ck_assert_int_eq(t->count_since(t->self, tx, key, "10.0.0.1", 0, &c), CF_OK);
	ck_assert_int_eq(c.account_failures, 0);
	ck_assert_int_eq(c.account_oldest_ms, 0);
	ck_assert_int_eq(c.address_failures, 1);
	ck_assert_int_eq(t->purge_before(t->self, tx, 3001), CF_OK);
	ck_assert_int_eq(t->count_since(t->self, tx, key, "10.0.0.1", 0, &c), CF_OK);
	ck_assert_int_eq(c.address_failures, 0);
	rollback(tx);
}
END_TEST

/* ---- schemes, tickets, agents ---- */

START_TEST(test_schemes_roundtrip_update_list)
{
	cf_tx *tx = begin();
	cf_user_row f, sub;
	cf_scheme s, s2, got, stale;
	cf_scheme_filter flt;
	cf_scheme_array l = {NULL, 0};
	cf_ticket t;

	insert_user(tx, "fm", CF_ROLE_FOREMAN, &f);
	insert_user(tx, "sub", CF_ROLE_SUBSCRIBER, &sub);
	make_scheme(f.id, 20, &s);
	s.status = CF_SCHEME_DRAFT;
	ck_assert_int_eq(g_ports.schemes.insert(g_ports.schemes.self, tx, &s), CF_OK);
	ck_assert_int_eq(g_ports.schemes.insert(g_ports.schemes.self, tx, &s), CF_EEXISTS);
	ck_assert_int_eq(g_ports.schemes.get(g_ports.schemes.self, tx, s.id, &got), CF_OK);
	ck_assert_int_eq(memcmp(&got, &s, sizeof s), 0);

	stale = s;
	s.status = CF_SCHEME_RUNNING;
	snprintf(s.registration_no, sizeof s.registration_no, "KL/2026/001");
	snprintf(s.commencement_ref, sizeof s.commencement_ref, "CR-1");
	s.commenced_at_ms = 1774100000000LL;
	s.params.auction_method = CF_METHOD_SEALED;
	s.params.grace_days = 3;
	ck_assert_int_eq(g_ports.schemes.update(g_ports.schemes.self, tx, &s), CF_OK);
	ck_assert_int_eq(s.row_version, 2);
	ck_assert_int_eq(g_ports.schemes.get(g_ports.schemes.self, tx, s.id, &got), CF_OK);
	ck_assert_int_eq(memcmp(&got, &s, sizeof s), 0);
	ck_assert_int_eq(g_ports.schemes.update(g_ports.schemes.self, tx, &stale), CF_ECONFLICT);

	/* listing: a subscriber sees enrolling schemes and those he holds a ticket in */
	make_scheme(f.id, 2, &s2);
	s2.created_at_ms = s.created_at_ms; /* same instant: ordered by id */
	s2.status = CF_SCHEME_DRAFT;
	ck_assert_int_eq(g_ports.schemes.insert(g_ports.schemes.self, tx, &s2), CF_OK);
	memset(&flt, 0, sizeof flt);
	flt.limit = 200;
	snprintf(flt.visible_to, sizeof flt.visible_to, "%s", sub.id);
	flt.has_status = true;
	flt.status = CF_SCHEME_RUNNING;
	ck_assert_int_eq(g_ports.schemes.list(g_ports.schemes.self, tx, &flt, &l), CF_OK);
	ck_assert_uint_eq(l.count, 0);
	cf_scheme_array_free(&l);
	make_ticket(s.id, 1, sub.id, &t);
	ck_assert_int_eq(g_ports.tickets.insert(g_ports.tickets.self, tx, &t), CF_OK);
	ck_assert_int_eq(g_ports.schemes.list(g_ports.schemes.self, tx, &flt, &l), CF_OK);
	ck_assert_uint_eq(l.count, 1);
	ck_assert_str_eq(l.items[0].id, s.id);
	cf_scheme_array_free(&l);
	/* cursor: after (created_at, first id) comes the second id */
	memset(&flt, 0, sizeof flt);
	flt.limit = 1;
	flt.after_created_at_ms = s.created_at_ms;
	snprintf(flt.after_id, sizeof flt.after_id, "%s", strcmp(s.id, s2.id) < 0 ? s.id : s2.id);
	ck_assert_int_eq(g_ports.schemes.list(g_ports.schemes.self, tx, &flt, &l), CF_OK);
	ck_assert_uint_eq(l.count, 1);
	ck_assert_str_eq(l.items[0].id, strcmp(s.id, s2.id) < 0 ? s2.id : s.id);
	cf_scheme_array_free(&l);
	rollback(tx);
}
END_TEST

START_TEST(test_tickets_and_agents)
{
	cf_tx *tx = begin();
	cf_user_row f, a, b;
	cf_scheme s;
	cf_ticket t1, t2, got, stale;
	cf_ticket_array l = {NULL, 0};
	int32_t n = -1;
	bool is = true;
	char(*ids)[CF_ID_SIZE] = NULL;
	size_t count = 0;
	char missing[CF_ID_SIZE];

	insert_user(tx, "tf", CF_ROLE_FOREMAN, &f);
	insert_user(tx, "ta", CF_ROLE_SUBSCRIBER, &a);
	insert_user(tx, "tb", CF_ROLE_AGENT, &b);
	make_scheme(f.id, 3, &s);
	ck_assert_int_eq(g_ports.schemes.insert(g_ports.schemes.self, tx, &s), CF_OK);
	new_id(missing);
	ck_assert_int_eq(g_ports.tickets.lock_scheme(g_ports.tickets.self, tx, missing),
	                 CF_ENOTFOUND);
	ck_assert_int_eq(g_ports.tickets.lock_scheme(g_ports.tickets.self, tx, s.id), CF_OK);
	make_ticket(s.id, 2, a.id, &t2);
	make_ticket(s.id, 1, a.id, &t1);
	ck_assert_int_eq(g_ports.tickets.insert(g_ports.tickets.self, tx, &t2), CF_OK);
	ck_assert_int_eq(g_ports.tickets.insert(g_ports.tickets.self, tx, &t1), CF_OK);
	stale = t1;
	new_id(stale.id);
	ck_assert_int_eq(g_ports.tickets.insert(g_ports.tickets.self, tx, &stale), CF_EEXISTS);
	ck_assert_int_eq(g_ports.tickets.count(g_ports.tickets.self, tx, s.id, &n), CF_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(g_ports.tickets.get(g_ports.tickets.self, tx, s.id, 2, &got), CF_OK);
	ck_assert_int_eq(memcmp(&got, &t2, sizeof got), 0);
	ck_assert_int_eq(g_ports.tickets.get(g_ports.tickets.self, tx, s.id, 3, &got),
	                 CF_ENOTFOUND);
	ck_assert_int_eq(g_ports.tickets.list_by_scheme(g_ports.tickets.self, tx, s.id, &l), CF_OK);
	ck_assert_uint_eq(l.count, 2);
	ck_assert_int_eq(l.items[0].ticket_no, 1);
	ck_assert_int_eq(l.items[1].ticket_no, 2);
	cf_ticket_array_free(&l);
	ck_assert_int_eq(g_ports.tickets.list_by_user(g_ports.tickets.self, tx, a.id, &l), CF_OK);
	ck_assert_uint_eq(l.count, 2);
	ck_assert_int_eq(l.items[0].ticket_no, 1); /* created earlier */
	cf_ticket_array_free(&l);

	stale = t1;
	t1.prized = true;
	t1.prized_installment_no = 4;
	t1.status = CF_TICKET_REMOVED;
	snprintf(t1.user_id, sizeof t1.user_id, "%s", b.id);
	ck_assert_int_eq(g_ports.tickets.update(g_ports.tickets.self, tx, &t1), CF_OK);
	ck_assert_int_eq(t1.row_version, 2);
	ck_assert_int_eq(g_ports.tickets.get(g_ports.tickets.self, tx, s.id, 1, &got), CF_OK);
	ck_assert_int_eq(memcmp(&got, &t1, sizeof got), 0);
	ck_assert_int_eq(g_ports.tickets.update(g_ports.tickets.self, tx, &stale), CF_ECONFLICT);

	ck_assert_int_eq(g_ports.scheme_agents.assign(g_ports.scheme_agents.self, tx, s.id, b.id,
	                                              1774000000000LL),
	                 CF_OK);
	ck_assert_int_eq(g_ports.scheme_agents.assign(g_ports.scheme_agents.self, tx, s.id, b.id,
	                                              1774000000001LL),
	                 CF_EEXISTS);
	ck_assert_int_eq(g_ports.scheme_agents.assign(g_ports.scheme_agents.self, tx, s.id, f.id,
	                                              1774000000002LL),
	                 CF_OK);
	ck_assert_int_eq(
	        g_ports.scheme_agents.is_agent(g_ports.scheme_agents.self, tx, s.id, b.id, &is),
	        CF_OK);
	ck_assert(is);
	ck_assert_int_eq(
	        g_ports.scheme_agents.list(g_ports.scheme_agents.self, tx, s.id, &ids, &count),
	        CF_OK);
	ck_assert_uint_eq(count, 2);
	ck_assert_str_eq(ids[0], b.id);
	ck_assert_str_eq(ids[1], f.id);
	free(ids);
	ck_assert_int_eq(g_ports.scheme_agents.unassign(g_ports.scheme_agents.self, tx, s.id, b.id),
	                 CF_OK);
	ck_assert_int_eq(g_ports.scheme_agents.unassign(g_ports.scheme_agents.self, tx, s.id, b.id),
	                 CF_ENOTFOUND);
	ck_assert_int_eq(
	        g_ports.scheme_agents.is_agent(g_ports.scheme_agents.self, tx, s.id, b.id, &is),
	        CF_OK);
	ck_assert(!is);
	/* unknown user: the foreign key reports not found */
	ck_assert_int_eq(
	        g_ports.scheme_agents.assign(g_ports.scheme_agents.self, tx, s.id, missing, 1),
	        CF_ENOTFOUND);
	rollback(tx);
}
END_TEST

/* ---- audit ---- */

static void fake_hash(int64_t seq, char out[CF_HEX256_SIZE])
{
	snprintf(out, CF_HEX256_SIZE, "%032llx%032llx", (unsigned long long)getpid(),
	         (unsigned long long)seq);
}

static int append(cf_tx *tx, const char *entity_id, int64_t *seq_out)
{
	cf_audit_entry e;
	int64_t last = -1;
	char last_hash[CF_HEX256_SIZE];
	int rc;

	rc = g_ports.audit.lock_head(g_ports.audit.self, tx, &last, last_hash);
	if (rc != CF_OK)
		return rc;
	memset(&e, 0, sizeof e);
	e.seq = last + 1;
	e.at_ms = 1774000000000LL + e.seq;
	snprintf(e.actor_role, sizeof e.actor_role, "system");
	snprintf(e.action, sizeof e.action, "it.append");
	snprintf(e.entity, sizeof e.entity, "test");
	snprintf(e.entity_id, sizeof e.entity_id, "%s", entity_id);
	snprintf(e.summary, sizeof e.summary, "{\"seq\":%lld}", (long long)e.seq);
	snprintf(e.prev_hash, sizeof e.prev_hash, "%s", last_hash);
	fake_hash(e.seq, e.hash);
	rc = g_ports.audit.insert(g_ports.audit.self, tx, &e);
	if (seq_out)
		*seq_out = e.seq;
	return rc;
}

START_TEST(test_audit_chain)
{
	cf_tx *tx = begin();
	cf_audit_entry e;
	cf_audit_filter f;
	cf_audit_array l = {NULL, 0};
	int64_t last = -1, seq = 0;
	char last_hash[CF_HEX256_SIZE], eid[CF_ID_SIZE];

	new_id(eid);
	ck_assert_int_eq(append(tx, eid, &seq), CF_OK);
	ck_assert_int_eq(append(tx, eid, NULL), CF_OK);
	ck_assert_int_eq(g_ports.audit.lock_head(g_ports.audit.self, tx, &last, last_hash), CF_OK);
	ck_assert_int_eq(last, seq + 1);
	/* a row that does not follow the head: conflict, and the tx stays usable */
	memset(&e, 0, sizeof e);
	e.seq = last + 5;
	snprintf(e.action, sizeof e.action, "x");
	snprintf(e.entity, sizeof e.entity, "test");
	snprintf(e.summary, sizeof e.summary, "{}");
	snprintf(e.prev_hash, sizeof e.prev_hash, "%s", last_hash);
	fake_hash(e.seq, e.hash);
	ck_assert_int_eq(g_ports.audit.insert(g_ports.audit.self, tx, &e), CF_ECONFLICT);
	e.seq = last + 1;
	memset(e.prev_hash, 'a', 64);
	ck_assert_int_eq(g_ports.audit.insert(g_ports.audit.self, tx, &e), CF_ECONFLICT);
	memset(&f, 0, sizeof f);
	snprintf(f.entity, sizeof f.entity, "test");
	snprintf(f.entity_id, sizeof f.entity_id, "%s", eid);
	f.limit = 10;
	ck_assert_int_eq(g_ports.audit.list(g_ports.audit.self, tx, &f, &l), CF_OK);
	ck_assert_uint_eq(l.count, 2);
	ck_assert_int_eq(l.items[0].seq, seq);
	ck_assert_int_eq(l.items[1].seq, seq + 1);
	ck_assert_str_eq(l.items[1].prev_hash, l.items[0].hash);
	ck_assert_str_eq(l.items[0].actor_id, "");
	ck_assert_str_eq(l.items[0].actor_role, "system");
	ck_assert_int_eq(l.items[0].at_ms, 1774000000000LL + seq);
	cf_audit_array_free(&l);
	f.after_seq = seq;
	ck_assert_int_eq(g_ports.audit.list(g_ports.audit.self, tx, &f, &l), CF_OK);
	ck_assert_uint_eq(l.count, 1);
	cf_audit_array_free(&l);
	commit(tx);
}
END_TEST

typedef struct appender {
	char entity_id[CF_ID_SIZE];
	int ok;
	int rc;
} appender;

static void *append_thread(void *arg)
{
	appender *ap = arg;
	int i, attempt;

	for (i = 0; i < 10; i++) {
		for (attempt = 0; attempt < 5; attempt++) {
			cf_tx *tx = NULL;
			int rc = g_ports.uow.begin(g_ports.uow.self, &tx);

			if (rc == CF_OK) {
				rc = append(tx, ap->entity_id, NULL);
				if (rc == CF_OK)
					rc = g_ports.uow.commit(g_ports.uow.self, tx);
				else
					g_ports.uow.rollback(g_ports.uow.self, tx);
			}
			ap->rc = rc;
			if (rc != CF_ERETRY)
				break;
		}
		if (ap->rc == CF_OK)
			ap->ok++;
	}
	return NULL;
}

START_TEST(test_concurrent_audit_appends_keep_the_chain)
{
	appender ap[6];
	pthread_t t[6];
	cf_tx *tx;
	cf_audit_filter f;
	cf_audit_array l = {NULL, 0};
	int i, total = 0;
	size_t k;

	for (i = 0; i < 6; i++) {
		memset(&ap[i], 0, sizeof ap[i]);
		new_id(ap[i].entity_id);
		ck_assert_int_eq(pthread_create(&t[i], NULL, append_thread, &ap[i]), 0);
	}
	for (i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(ap[i].ok, 10);
		total += ap[i].ok;
	}
	ck_assert_int_eq(total, 60);
	tx = begin();
	memset(&f, 0, sizeof f);
	f.limit = 200;
	ck_assert_int_eq(g_ports.audit.list(g_ports.audit.self, tx, &f, &l), CF_OK);
	ck_assert_uint_ge(l.count, 60);
	for (k = 0; k < l.count; k++) {
		ck_assert_int_eq(l.items[k].seq, (int64_t)k + 1); /* gapless from 1 */
		if (k > 0)
			ck_assert_str_eq(l.items[k].prev_hash, l.items[k - 1].hash);
	}
	cf_audit_array_free(&l);
	rollback(tx);
}
END_TEST

/* ---- append: linked and hashed in SQL, written with the commit ---- */

/* "<byte length>:<bytes>;" (the chain rule in chitfund/audit.h), written independently here */
static size_t put(char *buf, size_t at, size_t cap, const char *s)
{
	int n = snprintf(buf + at, cap - at, "%zu:%s;", strlen(s), s);

	ck_assert(n > 0 && (size_t)n < cap - at);
	return at + (size_t)n;
}

static size_t tail_of(const cf_audit_entry *e, char *buf, size_t cap)
{
	char num[24];
	size_t n = 0;

	snprintf(num, sizeof num, "%lld", (long long)e->at_ms);
	n = put(buf, n, cap, num);
	n = put(buf, n, cap, e->actor_id);
	n = put(buf, n, cap, e->actor_role);
	n = put(buf, n, cap, e->action);
	n = put(buf, n, cap, e->entity);
	n = put(buf, n, cap, e->entity_id);
	n = put(buf, n, cap, e->summary);
	n = put(buf, n, cap, e->request_id);
	return put(buf, n, cap, e->client_addr);
}

/* The chain hash of a row read back, recomputed from its columns. */
static void expected_hash(const cf_audit_entry *e, char hex[CF_HEX256_SIZE])
{
	static char buf[sizeof(cf_audit_entry) + 256];
	char num[24];
	uint8_t d[32];
	size_t n;
	int k = snprintf(buf, sizeof buf, "%s:", e->prev_hash);

	ck_assert(k == 65);
	snprintf(num, sizeof num, "%lld", (long long)e->seq);
	n = put(buf, (size_t)k, sizeof buf, num);
	n += tail_of(e, buf + n, sizeof buf - n);
	cf_test_sha256(buf, n, d);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

static void pending_row(cf_audit_entry *e, const char *entity_id, const char *summary)
{
	memset(e, 0, sizeof *e);
	e->at_ms = 1774000000123LL;
	snprintf(e->actor_role, sizeof e->actor_role, "system");
	snprintf(e->action, sizeof e->action, "it.append_sql");
	snprintf(e->entity, sizeof e->entity, "test");
	snprintf(e->entity_id, sizeof e->entity_id, "%s", entity_id);
	snprintf(e->summary, sizeof e->summary, "%s", summary);
	/* ignored by append: the adapter links the row itself */
	e->seq = 999999;
	memset(e->prev_hash, 'f', 64);
	memset(e->hash, 'f', 64);
}

static int append_sql(cf_tx *tx, const cf_audit_entry *e)
{
	char tail[sizeof(cf_audit_entry) + 256];
	size_t n = tail_of(e, tail, sizeof tail);

	return g_ports.audit.append(g_ports.audit.self, tx, e, tail, n);
}

static void list_entity(const char *entity_id, cf_audit_array *out)
{
	cf_tx *tx = begin();
	cf_audit_filter f;

	memset(&f, 0, sizeof f);
	snprintf(f.entity, sizeof f.entity, "test");
	snprintf(f.entity_id, sizeof f.entity_id, "%s", entity_id);
	f.limit = 200;
	ck_assert_int_eq(g_ports.audit.list(g_ports.audit.self, tx, &f, out), CF_OK);
	rollback(tx);
}

START_TEST(test_audit_append_links_in_sql_at_commit)
{
	cf_tx *tx;
	cf_audit_entry e;
	cf_audit_array l = {NULL, 0};
	cf_user_row u;
	int64_t last = -1, after = -1;
	char h[CF_HEX256_SIZE], h2[CF_HEX256_SIZE], eid[CF_ID_SIZE];

	ck_assert_uint_ge(g_ports.audit.version, 2);
	ck_assert_ptr_nonnull(g_ports.audit.append);
	new_id(eid);
	/* rolled back: nothing is written, the head stays */
	tx = begin();
	ck_assert_int_eq(g_ports.audit.lock_head(g_ports.audit.self, tx, &last, h), CF_OK);
	commit(tx);
	tx = begin();
	pending_row(&e, eid, "{\"dropped\":true}");
	ck_assert_int_eq(append_sql(tx, &e), CF_OK);
	rollback(tx);
	list_entity(eid, &l);
	ck_assert_uint_eq(l.count, 0);
	cf_audit_array_free(&l);

	/* two rows in one tx (multi-byte UTF-8, empty optional fields as NULL) */
	tx = begin();
	pending_row(&e, eid, "{\"after\":{\"name\":\"Śrī ചിട്ടി ₹\"}}");
	ck_assert_int_eq(append_sql(tx, &e), CF_OK);
	pending_row(&e, eid, "{}");
	snprintf(e.actor_id, sizeof e.actor_id, "%s", eid);
	snprintf(e.actor_role, sizeof e.actor_role, "admin");
	snprintf(e.request_id, sizeof e.request_id, "req-append");
	snprintf(e.client_addr, sizeof e.client_addr, "2001:db8::7");
	ck_assert_int_eq(append_sql(tx, &e), CF_OK);
	commit(tx);
	list_entity(eid, &l);
	ck_assert_uint_eq(l.count, 2);
	ck_assert_int_eq(l.items[1].seq, l.items[0].seq + 1);
	ck_assert_int_gt(l.items[0].seq, last);
	ck_assert_str_eq(l.items[1].prev_hash, l.items[0].hash);
	ck_assert_str_eq(l.items[0].summary, "{\"after\":{\"name\":\"Śrī ചിട്ടി ₹\"}}");
	ck_assert_str_eq(l.items[0].actor_id, "");
	ck_assert_str_eq(l.items[1].actor_id, eid);
	ck_assert_str_eq(l.items[1].client_addr, "2001:db8::7");
	ck_assert_int_eq(l.items[1].at_ms, 1774000000123LL);
	for (int i = 0; i < 2; i++) {
		expected_hash(&l.items[i], h2);
		ck_assert_str_eq(l.items[i].hash, h2);
	}
	tx = begin();
	ck_assert_int_eq(g_ports.audit.lock_head(g_ports.audit.self, tx, &after, h), CF_OK);
	rollback(tx);
	ck_assert_int_ge(after, l.items[1].seq);
	cf_audit_array_free(&l);

	/* a row the database refuses fails the commit, and the tx's other work with it */
	tx = begin();
	insert_user(tx, "ap", CF_ROLE_SUBSCRIBER, &u);
	pending_row(&e, eid, "{}");
	e.action[0] = '\0'; /* CHECK: 1..47 characters */
	ck_assert_int_eq(append_sql(tx, &e), CF_OK);
	ck_assert_int_lt(g_ports.uow.commit(g_ports.uow.self, tx), 0);
	tx = begin(); /* the pooled connection is usable again */
	{
		cf_user_row got;

		ck_assert_int_eq(g_ports.users.get(g_ports.users.self, tx, u.id, &got),
		                 CF_ENOTFOUND);
	}
	rollback(tx);
	list_entity(eid, &l);
	ck_assert_uint_eq(l.count, 2);
	cf_audit_array_free(&l);
}
END_TEST

/* The statements sent with the COMMIT meet a name the server already has
 * but the connection's record lost (42P05): the commit fails with a retry,
 * writes nothing, and the retried unit commits. */
START_TEST(test_deferred_prepare_already_there)
{
	cf_tx *tx;
	cf_audit_entry e;
	cf_audit_array l = {NULL, 0};
	char eid[CF_ID_SIZE];

	new_id(eid);
	tx = begin();
	pending_row(&e, eid, "{\"first\":1}");
	ck_assert_int_eq(append_sql(tx, &e), CF_OK); /* prepares the append */
	commit(tx);
	tx = begin();
	cf_pg_conn_forget_prepared(cf_pg_tx_conn(tx));
	pending_row(&e, eid, "{\"second\":1}");
	ck_assert_int_eq(append_sql(tx, &e), CF_OK);
	ck_assert_int_eq(g_ports.uow.commit(g_ports.uow.self, tx), CF_ERETRY);
	list_entity(eid, &l);
	ck_assert_uint_eq(l.count, 1);
	cf_audit_array_free(&l);
	tx = begin();
	ck_assert_int_eq(append_sql(tx, &e), CF_OK);
	commit(tx);
	list_entity(eid, &l);
	ck_assert_uint_eq(l.count, 2);
	ck_assert_str_eq(l.items[1].summary, "{\"second\":1}");
	cf_audit_array_free(&l);
}
END_TEST

static void *append_sql_thread(void *arg)
{
	appender *ap = arg;

	for (int i = 0; i < 10; i++) {
		cf_tx *tx = NULL;
		cf_audit_entry e;
		char summary[64];
		int rc = g_ports.uow.begin(g_ports.uow.self, &tx);

		snprintf(summary, sizeof summary, "{\"i\":%d}", i);
		pending_row(&e, ap->entity_id, summary);
		if (rc == CF_OK) {
			rc = append_sql(tx, &e);
			if (rc == CF_OK)
				rc = g_ports.uow.commit(g_ports.uow.self, tx);
			else
				g_ports.uow.rollback(g_ports.uow.self, tx);
		}
		ap->rc = rc;
		if (rc == CF_OK)
			ap->ok++;
	}
	return NULL;
}

START_TEST(test_concurrent_sql_appends_keep_the_chain)
{
	appender ap[6];
	pthread_t t[6];
	cf_tx *tx;
	cf_audit_filter f;
	cf_audit_array l = {NULL, 0};
	int64_t last = -1;
	char h[CF_HEX256_SIZE], h2[CF_HEX256_SIZE];
	size_t k, mine = 0;

	tx = begin();
	ck_assert_int_eq(g_ports.audit.lock_head(g_ports.audit.self, tx, &last, h), CF_OK);
	rollback(tx);
	for (int i = 0; i < 6; i++) {
		memset(&ap[i], 0, sizeof ap[i]);
		new_id(ap[i].entity_id);
		ck_assert_int_eq(pthread_create(&t[i], NULL, append_sql_thread, &ap[i]), 0);
	}
	for (int i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(ap[i].ok, 10); /* no retries needed: the head lock serialises */
	}
	tx = begin();
	memset(&f, 0, sizeof f);
	f.after_seq = last - 1 > 0 ? last - 1 : 0;
	f.limit = 200;
	ck_assert_int_eq(g_ports.audit.list(g_ports.audit.self, tx, &f, &l), CF_OK);
	rollback(tx);
	ck_assert_uint_ge(l.count, 60);
	for (k = 1; k < l.count; k++) {
		ck_assert_int_eq(l.items[k].seq, l.items[k - 1].seq + 1);
		ck_assert_str_eq(l.items[k].prev_hash, l.items[k - 1].hash);
		if (strcmp(l.items[k].action, "it.append_sql") == 0 && l.items[k].seq > last) {
			expected_hash(&l.items[k], h2);
			ck_assert_str_eq(l.items[k].hash, h2);
			mine++;
		}
	}
	ck_assert_uint_ge(mine, 60);
	cf_audit_array_free(&l);
}
END_TEST

/* The receipt number taken with the commit: a missing payment fails the commit (no gap). */
START_TEST(test_receipt_at_commit_refuses_a_missing_payment)
{
	cf_ports mp;
	cf_tx *tx;
	cf_user_row u;
	PGresult *r = NULL;
	int64_t seq = -1;
	char pid[CF_ID_SIZE];

	memset(&mp, 0, sizeof mp);
	cf_pg_money_ports(g_store, &mp);
	ck_assert_uint_ge(mp.money.version, 2);
	ck_assert_ptr_nonnull(mp.money.receipt_assign_at_commit);
	new_id(pid);
	tx = begin();
	insert_user(tx, "rc", CF_ROLE_SUBSCRIBER, &u);
	ck_assert_int_eq(mp.money.receipt_assign_at_commit(mp.money.self, tx, pid, 2999,
	                                                   "R/2999-00/", NULL, NULL, 201, "", "",
	                                                   1774000000000LL, &seq),
	                 CF_OK);
	ck_assert_int_lt(g_ports.uow.commit(g_ports.uow.self, tx), 0);
	tx = begin();
	{
		cf_user_row got;

		ck_assert_int_eq(g_ports.users.get(g_ports.users.self, tx, u.id, &got),
		                 CF_ENOTFOUND);
	}
	ck_assert_int_eq(cf_pg_exec(cf_pg_tx_conn(tx),
	                            "SELECT count(*) FROM receipt_counters WHERE fy = 2999", NULL,
	                            &r, NULL),
	                 CF_OK);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "0"); /* the counter did not move */
	PQclear(r);
	rollback(tx);
}
END_TEST

/* Early release: the same results, each commit durable before CF_OK, the session's
 * synchronous_commit untouched afterwards. */
START_TEST(test_early_release_commits_and_keeps_the_chain)
{
	appender ap[4];
	pthread_t t[4];
	cf_tx *tx;
	cf_audit_entry e;
	cf_audit_array l = {NULL, 0};
	cf_user_row u, got;
	PGresult *r = NULL;
	char eid[CF_ID_SIZE], h[CF_HEX256_SIZE];

	char before[16];

	tx = begin();
	ck_assert_int_eq(cf_pg_exec(cf_pg_tx_conn(tx), "SHOW synchronous_commit", NULL, &r, NULL),
	                 CF_OK);
	snprintf(before, sizeof before, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	rollback(tx);
	cf_pg_store_set_early_release(g_store, true);
	new_id(eid);
	tx = begin();
	insert_user(tx, "er", CF_ROLE_SUBSCRIBER, &u);
	pending_row(&e, eid, "{\"early\":true}");
	ck_assert_int_eq(append_sql(tx, &e), CF_OK);
	commit(tx);
	tx = begin();
	ck_assert_int_eq(g_ports.users.get(g_ports.users.self, tx, u.id, &got), CF_OK);
	ck_assert_int_eq(cf_pg_exec(cf_pg_tx_conn(tx), "SHOW synchronous_commit", NULL, &r, NULL),
	                 CF_OK);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), before); /* SET LOCAL: only that commit */
	PQclear(r);
	rollback(tx);
	list_entity(eid, &l);
	ck_assert_uint_eq(l.count, 1);
	expected_hash(&l.items[0], h);
	ck_assert_str_eq(l.items[0].hash, h);
	cf_audit_array_free(&l);
	/* a refused row still fails the whole commit */
	tx = begin();
	insert_user(tx, "er", CF_ROLE_SUBSCRIBER, &u);
	pending_row(&e, eid, "{}");
	e.entity[0] = '\0';
	ck_assert_int_eq(append_sql(tx, &e), CF_OK);
	ck_assert_int_lt(g_ports.uow.commit(g_ports.uow.self, tx), 0);
	tx = begin();
	ck_assert_int_eq(g_ports.users.get(g_ports.users.self, tx, u.id, &got), CF_ENOTFOUND);
	rollback(tx);
	/* concurrent appenders: gapless, linked, every hash right */
	for (int i = 0; i < 4; i++) {
		memset(&ap[i], 0, sizeof ap[i]);
		new_id(ap[i].entity_id);
		ck_assert_int_eq(pthread_create(&t[i], NULL, append_sql_thread, &ap[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(ap[i].ok, 10);
		list_entity(ap[i].entity_id, &l);
		ck_assert_uint_eq(l.count, 10);
		for (size_t k = 0; k < l.count; k++) {
			expected_hash(&l.items[k], h);
			ck_assert_str_eq(l.items[k].hash, h);
		}
		cf_audit_array_free(&l);
	}
	cf_pg_store_set_early_release(g_store, false);
}
END_TEST

/* ---- concurrent enrolment through the ports ---- */

typedef struct enroller {
	char scheme_id[CF_ID_SIZE];
	char user_id[CF_ID_SIZE];
	int32_t member_count;
	int rc; /* CF_OK: won; CF_ECONFLICT: full */
} enroller;

static pthread_barrier_t g_barrier;

/* What the enrol use case does: lock the scheme, count, take the lowest free number. */
static void *enrol_thread(void *arg)
{
	enroller *e = arg;
	cf_tx *tx = NULL;
	cf_ticket_array l = {NULL, 0};
	cf_ticket t;
	int32_t n = 0, no = 1;
	size_t i;
	int rc;

	pthread_barrier_wait(&g_barrier);
	rc = g_ports.uow.begin(g_ports.uow.self, &tx);
	if (rc != CF_OK) {
		e->rc = rc;
		return NULL;
	}
	rc = g_ports.tickets.lock_scheme(g_ports.tickets.self, tx, e->scheme_id);
	if (rc == CF_OK)
		rc = g_ports.tickets.count(g_ports.tickets.self, tx, e->scheme_id, &n);
	if (rc == CF_OK && n >= e->member_count)
		rc = CF_ECONFLICT;
	if (rc == CF_OK)
		rc = g_ports.tickets.list_by_scheme(g_ports.tickets.self, tx, e->scheme_id, &l);
	for (i = 0; rc == CF_OK && i < l.count && l.items[i].ticket_no == no; i++)
		no++;
	cf_ticket_array_free(&l);
	if (rc == CF_OK) {
		make_ticket(e->scheme_id, no, e->user_id, &t);
		rc = g_ports.tickets.insert(g_ports.tickets.self, tx, &t);
	}
	if (rc == CF_OK)
		rc = g_ports.uow.commit(g_ports.uow.self, tx);
	else
		g_ports.uow.rollback(g_ports.uow.self, tx);
	e->rc = rc;
	return NULL;
}

#define ENROLLERS 8

START_TEST(test_concurrent_enrolment_last_ticket_ports)
{
	cf_tx *tx = begin();
	cf_user_row f, u[ENROLLERS + 1];
	cf_scheme s;
	cf_ticket t;
	enroller e[ENROLLERS];
	pthread_t th[ENROLLERS];
	int i, wins = 0;
	int32_t n = 0;

	insert_user(tx, "cef", CF_ROLE_FOREMAN, &f);
	for (i = 0; i <= ENROLLERS; i++)
		insert_user(tx, "ce", CF_ROLE_SUBSCRIBER, &u[i]);
	make_scheme(f.id, 3, &s);
	ck_assert_int_eq(g_ports.schemes.insert(g_ports.schemes.self, tx, &s), CF_OK);
	make_ticket(s.id, 1, u[ENROLLERS].id, &t);
	ck_assert_int_eq(g_ports.tickets.insert(g_ports.tickets.self, tx, &t), CF_OK);
	make_ticket(s.id, 3, u[ENROLLERS].id, &t);
	ck_assert_int_eq(g_ports.tickets.insert(g_ports.tickets.self, tx, &t), CF_OK);
	commit(tx); /* one free ticket left: number 2 */

	prewarm(ENROLLERS);
	ck_assert_int_eq(pthread_barrier_init(&g_barrier, NULL, ENROLLERS), 0);
	for (i = 0; i < ENROLLERS; i++) {
		snprintf(e[i].scheme_id, sizeof e[i].scheme_id, "%s", s.id);
		memcpy(e[i].user_id, u[i].id, CF_ID_SIZE);
		e[i].member_count = 3;
		e[i].rc = -100;
		ck_assert_int_eq(pthread_create(&th[i], NULL, enrol_thread, &e[i]), 0);
	}
	for (i = 0; i < ENROLLERS; i++) {
		pthread_join(th[i], NULL);
		ck_assert_msg(e[i].rc == CF_OK || e[i].rc == CF_ECONFLICT, "rc %d", e[i].rc);
		wins += e[i].rc == CF_OK;
	}
	pthread_barrier_destroy(&g_barrier);
	ck_assert_int_eq(wins, 1);
	tx = begin();
	ck_assert_int_eq(g_ports.tickets.count(g_ports.tickets.self, tx, s.id, &n), CF_OK);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(g_ports.tickets.get(g_ports.tickets.self, tx, s.id, 2, &t), CF_OK);
	for (i = 0; i < ENROLLERS; i++)
		if (e[i].rc == CF_OK)
			ck_assert_str_eq(t.user_id, u[i].id);
	rollback(tx);
}
END_TEST

/* The second enrolment waits on the scheme lock and then sees the first's ticket. */
typedef struct second {
	char scheme_id[CF_ID_SIZE];
	int32_t seen;
	int rc;
	int pid;
} second;

static void *second_thread(void *arg)
{
	second *sc = arg;
	cf_tx *tx = NULL;
	PGresult *r = NULL;

	sc->rc = g_ports.uow.begin(g_ports.uow.self, &tx);
	if (sc->rc != CF_OK)
		return NULL;
	if (cf_pg_exec(cf_pg_tx_conn(tx), "SELECT pg_backend_pid()", NULL, &r, NULL) == CF_OK) {
		int64_t v = 0;

		cf_pg_get_int64(r, 0, 0, &v);
		__atomic_store_n(&sc->pid, (int)v, __ATOMIC_SEQ_CST);
		PQclear(r);
	}
	sc->rc = g_ports.tickets.lock_scheme(g_ports.tickets.self, tx, sc->scheme_id);
	if (sc->rc == CF_OK)
		sc->rc = g_ports.tickets.count(g_ports.tickets.self, tx, sc->scheme_id, &sc->seen);
	g_ports.uow.rollback(g_ports.uow.self, tx);
	return NULL;
}

START_TEST(test_lock_scheme_serialises_enrolment)
{
	cf_tx *tx = begin(), *a;
	cf_user_row f, u;
	cf_scheme s;
	cf_ticket t;
	second sc;
	pthread_t th;
	cf_pg_params p;
	int i, pid = 0;
	int64_t waiting = 0;

	insert_user(tx, "lsf", CF_ROLE_FOREMAN, &f);
	insert_user(tx, "lsu", CF_ROLE_SUBSCRIBER, &u);
	make_scheme(f.id, 2, &s);
	ck_assert_int_eq(g_ports.schemes.insert(g_ports.schemes.self, tx, &s), CF_OK);
	commit(tx);

	a = begin();
	ck_assert_int_eq(g_ports.tickets.lock_scheme(g_ports.tickets.self, a, s.id), CF_OK);
	memset(&sc, 0, sizeof sc);
	memcpy(sc.scheme_id, s.id, CF_ID_SIZE);
	sc.seen = -1;
	ck_assert_int_eq(pthread_create(&th, NULL, second_thread, &sc), 0);
	/* wait (bounded, by state not time) until the second session blocks on the lock */
	for (i = 0; i < 30000 && waiting == 0; i++) {
		PGresult *r = NULL;
		struct timespec ts = {0, 1000000L};

		nanosleep(&ts, NULL);
		pid = __atomic_load_n(&sc.pid, __ATOMIC_SEQ_CST);
		if (pid == 0)
			continue;
		cf_pg_params_init(&p);
		cf_pg_param_int64(&p, pid);
		ck_assert_int_eq(cf_pg_exec(cf_pg_tx_conn(a),
		                            "SELECT count(*) FROM pg_stat_activity WHERE pid = "
		                            "$1::int AND wait_event_type = 'Lock'",
		                            &p, &r, NULL),
		                 CF_OK);
		cf_pg_get_int64(r, 0, 0, &waiting);
		PQclear(r);
	}
	ck_assert_int_eq(waiting, 1);
	make_ticket(s.id, 1, u.id, &t);
	ck_assert_int_eq(g_ports.tickets.insert(g_ports.tickets.self, a, &t), CF_OK);
	commit(a);
	pthread_join(th, NULL);
	ck_assert_int_eq(sc.rc, CF_OK);
	ck_assert_int_eq(sc.seen, 1); /* it counted after the first committed */
}
END_TEST

/* ---- concurrent enrolment through the use case (cf_scheme_enrol) ---- */

/* A toy cipher for the app's required port: XOR, tests only. */
static int toy_encrypt(void *self, const void *aad, size_t aad_len, const void *plain, size_t len,
                       cf_sealed *out)
{
	size_t i;

	if (len == 0 || len > CF_SEALED_PLAIN_MAX)
		return CF_EINVALID;
	memset(out, 0, sizeof *out);
	snprintf(out->key_id, sizeof out->key_id, "toy");
	for (i = 0; i < len; i++)
		out->data[i] = ((const uint8_t *)plain)[i] ^ 0x5a;
	out->len = (uint32_t)len;
	return CF_OK;
}

static int toy_decrypt(void *self, const void *aad, size_t aad_len, const cf_sealed *in,
                       void *plain, size_t cap, size_t *len)
{
	size_t i;

	if (in->len > cap)
		return CF_EBUFFER;
	for (i = 0; i < in->len; i++)
		((uint8_t *)plain)[i] = in->data[i] ^ 0x5a;
	*len = in->len;
	return CF_OK;
}

typedef struct app_enroller {
	cf_app *app;
	cf_actor actor;
	char scheme_id[CF_ID_SIZE];
	char user_id[CF_ID_SIZE];
	int rc;
	cf_error err;
} app_enroller;

static void *app_enrol_thread(void *arg)
{
	app_enroller *e = arg;
	cf_enrol_req req = {e->user_id, 0};
	cf_ticket t;

	pthread_barrier_wait(&g_barrier);
	e->rc = cf_scheme_enrol(e->app, &e->actor, e->scheme_id, &req, &t, &e->err);
	return NULL;
}

START_TEST(test_concurrent_enrolment_last_ticket_use_case)
{
	cf_memory_clock *clock = NULL;
	cf_memory_rng *rng = NULL;
	cf_app *app = NULL;
	cf_ports ports = g_ports;
	cf_error err = CF_ERROR_INIT;
	cf_tx *tx = begin();
	cf_user_row f, u[ENROLLERS + 1];
	cf_scheme_create_req req;
	cf_scheme s;
	cf_actor foreman;
	cf_enrol_req first;
	cf_ticket t;
	cf_ticket_array l = {NULL, 0};
	app_enroller e[ENROLLERS];
	pthread_t th[ENROLLERS];
	int i, wins = 0, full = 0;

	insert_user(tx, "uf", CF_ROLE_FOREMAN, &f);
	for (i = 0; i <= ENROLLERS; i++)
		insert_user(tx, "us", CF_ROLE_SUBSCRIBER, &u[i]);
	commit(tx);

	ck_assert_int_eq(cf_memory_clock_new(&clock, 1774000000000LL), CF_OK);
	ck_assert_int_eq(cf_memory_rng_new(&rng, 42), CF_OK);
	ports.clock = cf_memory_clock_port(clock);
	ports.rng = cf_memory_rng_port(rng);
	ports.digest = cf_memory_digest_port();
	ports.hasher = cf_memory_fake_hasher_port();
	ports.signer = cf_memory_fake_signer_port();
	ports.cipher.version = CF_CIPHER_VERSION;
	ports.cipher.self = NULL;
	ports.cipher.encrypt = toy_encrypt;
	ports.cipher.decrypt = toy_decrypt;
	ck_assert_msg(cf_app_new(&app, &ports, NULL, &err) == CF_OK, "%s %s", err.field,
	              err.message);

	memset(&foreman, 0, sizeof foreman);
	snprintf(foreman.user_id, sizeof foreman.user_id, "%s", f.id);
	foreman.role = CF_ROLE_FOREMAN;
	memset(&req, 0, sizeof req);
	req.name = "Last ticket";
	cf_scheme_params_init(&req.params);
	req.params.chit_value = cf_money_of(200000);
	req.params.member_count = 2;
	req.params.start_date.year = 2026;
	req.params.start_date.month = 5;
	req.params.start_date.day = 1;
	ck_assert_msg(cf_scheme_create(app, &foreman, &req, &s, &err) == CF_OK, "%s", err.message);
	ck_assert_msg(cf_scheme_open(app, &foreman, s.id, &s, &err) == CF_OK, "%s", err.message);
	first.user_id = u[ENROLLERS].id;
	first.ticket_no = 1;
	ck_assert_msg(cf_scheme_enrol(app, &foreman, s.id, &first, &t, &err) == CF_OK, "%s",
	              err.message);

	prewarm(ENROLLERS);
	ck_assert_int_eq(pthread_barrier_init(&g_barrier, NULL, ENROLLERS), 0);
	for (i = 0; i < ENROLLERS; i++) {
		memset(&e[i], 0, sizeof e[i]);
		e[i].app = app;
		e[i].actor = foreman;
		snprintf(e[i].scheme_id, sizeof e[i].scheme_id, "%s", s.id);
		memcpy(e[i].user_id, u[i].id, CF_ID_SIZE);
		ck_assert_int_eq(pthread_create(&th[i], NULL, app_enrol_thread, &e[i]), 0);
	}
	for (i = 0; i < ENROLLERS; i++) {
		pthread_join(th[i], NULL);
		if (e[i].rc == CF_OK)
			wins++;
		else if (e[i].rc == CF_ECONFLICT && strcmp(e[i].err.slug, "scheme-full") == 0)
			full++;
		else
			ck_abort_msg("enrol %d: rc %d %s", i, e[i].rc, e[i].err.slug);
	}
	pthread_barrier_destroy(&g_barrier);
	ck_assert_int_eq(wins, 1);
	ck_assert_int_eq(full, ENROLLERS - 1);
	ck_assert_int_eq(cf_scheme_members(app, &foreman, s.id, &l, &err), CF_OK);
	ck_assert_uint_eq(l.count, 2);
	cf_ticket_array_free(&l);
	cf_app_free(app);
	cf_memory_rng_free(rng);
	cf_memory_clock_free(clock);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pg_adapter");
	TCase *tc = tcase_create("ports");
	TCase *cc = tcase_create("concurrency");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_uow_commit_and_rollback);
	tcase_add_test(tc, test_uow_read_only_unit);
	tcase_add_test(tc, test_uow_begin_unavailable_when_pool_exhausted);
	tcase_add_test(tc, test_users_roundtrip_and_email_case);
	tcase_add_test(tc, test_users_optimistic_update);
	tcase_add_test(tc, test_users_list_and_sequence);
	tcase_add_test(tc, test_refresh_tokens);
	tcase_add_test(tc, test_login_failures);
	tcase_add_test(tc, test_schemes_roundtrip_update_list);
	tcase_add_test(tc, test_tickets_and_agents);
	tcase_add_test(tc, test_audit_chain);
	tcase_add_test(tc, test_audit_append_links_in_sql_at_commit);
	tcase_add_test(tc, test_deferred_prepare_already_there);
	tcase_add_test(tc, test_receipt_at_commit_refuses_a_missing_payment);
	suite_add_tcase(s, tc);

	tcase_set_timeout(cc, 120);
	tcase_add_checked_fixture(cc, setup, teardown);
	tcase_add_test(cc, test_concurrent_audit_appends_keep_the_chain);
	tcase_add_test(cc, test_concurrent_sql_appends_keep_the_chain);
	tcase_add_test(cc, test_early_release_commits_and_keeps_the_chain);
	tcase_add_test(cc, test_concurrent_enrolment_last_ticket_ports);
	tcase_add_test(cc, test_lock_scheme_serialises_enrolment);
	tcase_add_test(cc, test_concurrent_enrolment_last_ticket_use_case);
	suite_add_tcase(s, cc);
	return s;
}

int main(void)
{
	return cf_it_run("adapter", suite());
}
