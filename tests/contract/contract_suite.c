/* contract_suite.c - the repository contract: the same assertions for every adapter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chitfund.h"
#include "contract_suite.h"

static const cf_contract_factory *factory;
static cf_ports P;
static void *handle;
static cf_tx *tx;

static void setup(void)
{
	memset(&P, 0, sizeof P);
	ck_assert_int_eq(factory->create(factory->ctx, &P, &handle), CF_OK);
	ck_assert_int_eq(P.uow.begin(P.uow.self, &tx), CF_OK);
}

static void teardown(void)
{
	if (tx != NULL)
		P.uow.rollback(P.uow.self, tx);
	tx = NULL;
	factory->destroy(factory->ctx, handle);
}

/* commit the current tx and start a new one */
static void recommit(void)
{
	ck_assert_int_eq(P.uow.commit(P.uow.self, tx), CF_OK);
	tx = NULL;
	ck_assert_int_eq(P.uow.begin(P.uow.self, &tx), CF_OK);
}

static void make_id(char out[CF_ID_SIZE], int n)
{
	snprintf(out, CF_ID_SIZE, "00000000-0000-4000-8000-%012d", n);
}

static cf_user_row user_row(int n, const char *email, cf_role role)
{
	cf_user_row u;

	memset(&u, 0, sizeof u);
	make_id(u.id, n);
	snprintf(u.email, sizeof u.email, "%s", email);
	snprintf(u.password_hash, sizeof u.password_hash, "$y$j9T$salt$hash%d", n);
	snprintf(u.full_name, sizeof u.full_name, "User %d \xe0\xa4\x85", n);
	snprintf(u.phone, sizeof u.phone, "+9198765%05d", n);
	u.role = role;
	u.ucfsin_seq = n;
	cf_ucfsin_make(26, n, u.ucfsin);
	u.is_active = true;
	u.created_at_ms = INT64_C(1775017800000) + n;
	u.updated_at_ms = u.created_at_ms;
	u.row_version = 1;
	return u;
}

static void add_user(int n, const char *email, cf_role role)
{
	cf_user_row u = user_row(n, email, role);

	ck_assert_int_eq(P.users.insert(P.users.self, tx, &u), CF_OK);
}

static cf_scheme scheme_row(int n, const char *foreman_id, cf_scheme_status st, int64_t created)
{
	cf_scheme s;
	cf_rule why;

	memset(&s, 0, sizeof s);
	make_id(s.id, 1000 + n);
	snprintf(s.name, sizeof s.name, "Scheme %d", n);
	cf_scheme_params_init(&s.params);
	s.params.chit_value = cf_money_of(10000000);
	s.params.member_count = 20;
	s.params.start_date = (cf_date){2026, 5, 31};
	ck_assert_int_eq(cf_scheme_params_resolve(&s.params, &why), CF_OK);
	s.params_given = CF_SP_COMMISSION_BPS;
	s.subscription = cf_money_of(500000);
	s.status = st;
	snprintf(s.foreman_id, sizeof s.foreman_id, "%s", foreman_id);
	snprintf(s.created_by, sizeof s.created_by, "%s", foreman_id);
	s.created_at_ms = created;
	s.updated_at_ms = created;
	s.row_version = 1;
	return s;
}

static cf_ticket ticket_row(const char *scheme_id, int no, const char *user_id, int n)
{
	cf_ticket t;

	memset(&t, 0, sizeof t);
	make_id(t.id, 5000 + n);
	snprintf(t.scheme_id, sizeof t.scheme_id, "%s", scheme_id);
	t.ticket_no = no;
	snprintf(t.user_id, sizeof t.user_id, "%s", user_id);
	t.created_at_ms = INT64_C(1775017800000) + n;
	t.updated_at_ms = t.created_at_ms;
	t.row_version = 1;
	return t;
}

/* ---- users ---- */

START_TEST(test_contract__user_roundtrip_and_email_case)
{
	cf_user_row u = user_row(1, "Asha@Example.com", CF_ROLE_FOREMAN), got, dup;

	u.pan.sealed.len = 40;
	snprintf(u.pan.sealed.key_id, sizeof u.pan.sealed.key_id, "k1");
	for (int i = 0; i < 40; i++)
		u.pan.sealed.data[i] = (uint8_t)(i * 7);
	snprintf(u.pan.masked, sizeof u.pan.masked, "XXXXXX234F");
	snprintf(u.bank_ifsc, sizeof u.bank_ifsc, "SBIN0001234");
	snprintf(u.address, sizeof u.address, "12 MG Road, Bengaluru");
	snprintf(u.nominee_name, sizeof u.nominee_name, "Ravi");
	snprintf(u.nominee_relation, sizeof u.nominee_relation, "spouse");
	ck_assert_int_eq(P.users.insert(P.users.self, tx, &u), CF_OK);
	recommit();
	memset(&got, 0, sizeof got);
	ck_assert_int_eq(P.users.get(P.users.self, tx, u.id, &got), CF_OK);
	ck_assert_str_eq(got.email, u.email);
	ck_assert_str_eq(got.password_hash, u.password_hash);
	ck_assert_str_eq(got.full_name, u.full_name);
	ck_assert_str_eq(got.phone, u.phone);
	ck_assert_int_eq(got.role, CF_ROLE_FOREMAN);
	ck_assert_str_eq(got.ucfsin, u.ucfsin);
	ck_assert_int_eq(got.ucfsin_seq, 1);
	ck_assert(got.is_active);
	ck_assert_int_eq(got.created_at_ms, u.created_at_ms);
	ck_assert_int_eq(got.updated_at_ms, u.updated_at_ms);
	ck_assert_int_eq(got.row_version, 1);
	ck_assert_str_eq(got.pan.sealed.key_id, "k1");
	ck_assert_int_eq(got.pan.sealed.len, 40);
	ck_assert(memcmp(got.pan.sealed.data, u.pan.sealed.data, 40) == 0);
	ck_assert_str_eq(got.pan.masked, "XXXXXX234F");
	ck_assert_int_eq(got.aadhaar.sealed.len, 0);
	ck_assert_str_eq(got.aadhaar.masked, "");
	ck_assert_str_eq(got.bank_ifsc, "SBIN0001234");
	ck_assert_str_eq(got.address, u.address);
	ck_assert_str_eq(got.nominee_name, "Ravi");
	ck_assert_str_eq(got.nominee_relation, "spouse");
	ck_assert_int_eq(P.users.get_by_email(P.users.self, tx, "asha@EXAMPLE.com", &got), CF_OK);
	ck_assert_str_eq(got.id, u.id);
	ck_assert_int_eq(P.users.get_by_email(P.users.self, tx, "nobody@example.com", &got),
	                 CF_ENOTFOUND);
	ck_assert_int_eq(
	        P.users.get(P.users.self, tx, "00000000-0000-4000-8000-999999999999", &got),
	        CF_ENOTFOUND);
	dup = user_row(2, "ASHA@example.COM", CF_ROLE_SUBSCRIBER);
	ck_assert_int_eq(P.users.insert(P.users.self, tx, &dup), CF_EEXISTS);
}
END_TEST

START_TEST(test_contract__user_update_is_optimistic)
{
	cf_user_row u = user_row(1, "a@example.com", CF_ROLE_SUBSCRIBER), stale, got;

	add_user(2, "b@example.com", CF_ROLE_SUBSCRIBER);
	ck_assert_int_eq(P.users.insert(P.users.self, tx, &u), CF_OK);
	stale = u;
	snprintf(u.full_name, sizeof u.full_name, "Renamed");
	u.role = CF_ROLE_AGENT;
	u.is_active = false;
	ck_assert_int_eq(P.users.update(P.users.self, tx, &u), CF_OK);
	ck_assert_int_eq(u.row_version, 2);
	ck_assert_int_eq(P.users.get(P.users.self, tx, u.id, &got), CF_OK);
	ck_assert_str_eq(got.full_name, "Renamed");
	ck_assert_int_eq(got.role, CF_ROLE_AGENT);
	ck_assert(!got.is_active);
	ck_assert_int_eq(got.row_version, 2);
	ck_assert_int_eq(P.users.update(P.users.self, tx, &stale), CF_ECONFLICT);
	snprintf(got.email, sizeof got.email, "B@example.com");
	ck_assert_int_eq(P.users.update(P.users.self, tx, &got), CF_EEXISTS);
	make_id(stale.id, 77);
	ck_assert_int_eq(P.users.update(P.users.self, tx, &stale), CF_ENOTFOUND);
}
END_TEST

START_TEST(test_contract__user_list_filters_and_pages)
{
	cf_user_filter f;
	cf_user_row_array a = {0};

	add_user(3, "c@example.com", CF_ROLE_AGENT);
	add_user(1, "a@example.com", CF_ROLE_SUBSCRIBER);
	add_user(2, "b@example.com", CF_ROLE_AGENT);
	add_user(4, "d@example.com", CF_ROLE_AGENT);
	memset(&f, 0, sizeof f);
	f.limit = 10;
	ck_assert_int_eq(P.users.list(P.users.self, tx, &f, &a), CF_OK);
	ck_assert_int_eq(a.count, 4);
	for (size_t i = 0; i < 4; i++)
		ck_assert_int_eq(a.items[i].ucfsin_seq, (int64_t)i + 1);
	cf_user_row_array_free(&a);
	f.role = CF_ROLE_AGENT;
	f.limit = 2;
	ck_assert_int_eq(P.users.list(P.users.self, tx, &f, &a), CF_OK);
	ck_assert_int_eq(a.count, 2);
	ck_assert_int_eq(a.items[0].ucfsin_seq, 2);
	ck_assert_int_eq(a.items[1].ucfsin_seq, 3);
	f.after_seq = a.items[1].ucfsin_seq;
	cf_user_row_array_free(&a);
	ck_assert_int_eq(P.users.list(P.users.self, tx, &f, &a), CF_OK);
	ck_assert_int_eq(a.count, 1);
	ck_assert_int_eq(a.items[0].ucfsin_seq, 4);
	cf_user_row_array_free(&a);
	memset(&f, 0, sizeof f);
	f.limit = 10;
	cf_ucfsin_make(26, 3, f.ucfsin);
	ck_assert_int_eq(P.users.list(P.users.self, tx, &f, &a), CF_OK);
	ck_assert_int_eq(a.count, 1);
	ck_assert_str_eq(a.items[0].email, "c@example.com");
	cf_user_row_array_free(&a);
	f.role = CF_ROLE_ADMIN;
	ck_assert_int_eq(P.users.list(P.users.self, tx, &f, &a), CF_OK);
	ck_assert_int_eq(a.count, 0);
	cf_user_row_array_free(&a);
}
END_TEST

START_TEST(test_contract__ucfsin_sequence_starts_at_1_and_increases)
{
	int64_t a = 0, b = 0, c = 0;

	ck_assert_int_eq(P.users.next_ucfsin_seq(P.users.self, tx, &a), CF_OK);
	ck_assert_int_eq(a, 1);
	P.uow.rollback(P.uow.self, tx);
	tx = NULL;
	ck_assert_int_eq(P.uow.begin(P.uow.self, &tx), CF_OK);
	ck_assert_int_eq(P.users.next_ucfsin_seq(P.users.self, tx, &b), CF_OK);
	ck_assert_int_eq(P.users.next_ucfsin_seq(P.users.self, tx, &c), CF_OK);
	ck_assert_int_gt(b, a); /* never reused, even after a rollback */
	ck_assert_int_gt(c, b);
}
END_TEST

START_TEST(test_contract__rollback_discards)
{
	cf_user_row got;
	cf_scheme s;

	add_user(1, "a@example.com", CF_ROLE_FOREMAN);
	recommit();
	add_user(2, "b@example.com", CF_ROLE_SUBSCRIBER);
	s = scheme_row(1, "00000000-0000-4000-8000-000000000001", CF_SCHEME_DRAFT, 1);
	ck_assert_int_eq(P.schemes.insert(P.schemes.self, tx, &s), CF_OK);
	P.uow.rollback(P.uow.self, tx);
	tx = NULL;
	ck_assert_int_eq(P.uow.begin(P.uow.self, &tx), CF_OK);
	ck_assert_int_eq(P.users.get_by_email(P.users.self, tx, "b@example.com", &got),
	                 CF_ENOTFOUND);
	ck_assert_int_eq(P.users.get_by_email(P.users.self, tx, "a@example.com", &got), CF_OK);
	ck_assert_int_eq(P.schemes.get(P.schemes.self, tx, s.id, &s), CF_ENOTFOUND);
}
END_TEST

/* ---- refresh tokens ---- */

static cf_refresh_token_row token_row(int n, const char *family, const char *user)
{
	cf_refresh_token_row t;

	memset(&t, 0, sizeof t);
	make_id(t.id, 3000 + n);
	snprintf(t.family_id, sizeof t.family_id, "%s", family);
	snprintf(t.user_id, sizeof t.user_id, "%s", user);
	snprintf(t.token_hash, sizeof t.token_hash, "%064d", n);
	t.issued_at_ms = INT64_C(1775017800000);
	t.expires_at_ms = t.issued_at_ms + INT64_C(1209600000);
	return t;
}

START_TEST(test_contract__refresh_tokens)
{
	char u1[CF_ID_SIZE], u2[CF_ID_SIZE], fam1[CF_ID_SIZE], fam2[CF_ID_SIZE];
	cf_refresh_token_row a, b, c, got;

	add_user(1, "a@example.com", CF_ROLE_SUBSCRIBER);
	add_user(2, "b@example.com", CF_ROLE_SUBSCRIBER);
	make_id(u1, 1);
	make_id(u2, 2);
	make_id(fam1, 3001);
	make_id(fam2, 3003);
	a = token_row(1, fam1, u1);
	b = token_row(2, fam1, u1);
	c = token_row(3, fam2, u2);
	ck_assert_int_eq(P.refresh_tokens.insert(P.refresh_tokens.self, tx, &a), CF_OK);
	ck_assert_int_eq(P.refresh_tokens.insert(P.refresh_tokens.self, tx, &b), CF_OK);
	ck_assert_int_eq(P.refresh_tokens.insert(P.refresh_tokens.self, tx, &c), CF_OK);
	ck_assert_int_eq(P.refresh_tokens.insert(P.refresh_tokens.self, tx, &a), CF_EEXISTS);
	recommit();
	ck_assert_int_eq(
	        P.refresh_tokens.get_by_hash(P.refresh_tokens.self, tx, a.token_hash, &got), CF_OK);
	ck_assert_str_eq(got.id, a.id);
	ck_assert_str_eq(got.family_id, fam1);
	ck_assert_str_eq(got.user_id, u1);
	ck_assert_int_eq(got.issued_at_ms, a.issued_at_ms);
	ck_assert_int_eq(got.expires_at_ms, a.expires_at_ms);
	ck_assert_int_eq(got.spent_at_ms, 0);
	ck_assert_int_eq(got.revoked_at_ms, 0);
	ck_assert_int_eq(P.refresh_tokens.mark_spent(P.refresh_tokens.self, tx, a.id, 1000), CF_OK);
	ck_assert_int_eq(P.refresh_tokens.mark_spent(P.refresh_tokens.self, tx, a.id, 2000),
	                 CF_ECONFLICT);
	P.refresh_tokens.get_by_hash(P.refresh_tokens.self, tx, a.token_hash, &got);
	ck_assert_int_eq(got.spent_at_ms, 1000);
	ck_assert_int_eq(P.refresh_tokens.revoke_family(P.refresh_tokens.self, tx, fam1, 3000),
	                 CF_OK);
	P.refresh_tokens.get_by_hash(P.refresh_tokens.self, tx, b.token_hash, &got);
	ck_assert_int_eq(got.revoked_at_ms, 3000);
	P.refresh_tokens.get_by_hash(P.refresh_tokens.self, tx, c.token_hash, &got);
	ck_assert_int_eq(got.revoked_at_ms, 0);
	ck_assert_int_eq(P.refresh_tokens.revoke_user(P.refresh_tokens.self, tx, u2, 4000), CF_OK);
	P.refresh_tokens.get_by_hash(P.refresh_tokens.self, tx, c.token_hash, &got);
	ck_assert_int_eq(got.revoked_at_ms, 4000);
	/* already revoked rows keep their first revocation time */
	P.refresh_tokens.revoke_user(P.refresh_tokens.self, tx, u1, 5000);
	P.refresh_tokens.get_by_hash(P.refresh_tokens.self, tx, b.token_hash, &got);
	ck_assert_int_eq(got.revoked_at_ms, 3000);
	ck_assert_int_eq(P.refresh_tokens.get_by_hash(P.refresh_tokens.self, tx,
	                                              "ffffffffffffffffffffffffffffffffffffffffffff"
	                                              "ffffffffffffffffffff",
	                                              &got),
	                 CF_ENOTFOUND);
}
END_TEST

/* ---- schemes ---- */

START_TEST(test_contract__scheme_roundtrip_update_list)
{
	char f[CF_ID_SIZE], sub[CF_ID_SIZE];
	cf_scheme a, b, c, got;
	cf_scheme_filter flt;
	cf_scheme_array arr = {0};
	cf_ticket t;

	add_user(1, "f@example.com", CF_ROLE_FOREMAN);
	add_user(2, "s@example.com", CF_ROLE_SUBSCRIBER);
	make_id(f, 1);
	make_id(sub, 2);
	a = scheme_row(1, f, CF_SCHEME_DRAFT, 100);
	b = scheme_row(2, f, CF_SCHEME_ENROLLING, 200);
	c = scheme_row(3, f, CF_SCHEME_RUNNING, 200);
	a.params.auction_method = CF_METHOD_SEALED;
	a.params.first_prize_to_foreman = true;
	a.params.gst_borne_by = CF_GST_FOREMAN;
	a.params.dividend_timing = CF_TIMING_SAME_INSTALLMENT;
	a.params.frequency = CF_FREQ_WEEKLY;
	a.params.grace_days = 3;
	ck_assert_int_eq(P.schemes.insert(P.schemes.self, tx, &a), CF_OK);
	ck_assert_int_eq(P.schemes.insert(P.schemes.self, tx, &b), CF_OK);
	ck_assert_int_eq(P.schemes.insert(P.schemes.self, tx, &c), CF_OK);
	ck_assert_int_eq(P.schemes.insert(P.schemes.self, tx, &a), CF_EEXISTS);
	recommit();
	ck_assert_int_eq(P.schemes.get(P.schemes.self, tx, a.id, &got), CF_OK);
	ck_assert_str_eq(got.name, a.name);
	ck_assert_int_eq(got.params.chit_value.minor, 10000000);
	ck_assert_int_eq(got.params.member_count, 20);
	ck_assert_int_eq(got.params.start_date.year, 2026);
	ck_assert_int_eq(got.params.start_date.month, 5);
	ck_assert_int_eq(got.params.start_date.day, 31);
	ck_assert_int_eq(got.params.frequency, CF_FREQ_WEEKLY);
	ck_assert_str_eq(got.params.currency, "INR");
	ck_assert_int_eq(got.params.commission_bps, a.params.commission_bps);
	ck_assert_int_eq(got.params.max_discount_bps, a.params.max_discount_bps);
	ck_assert_int_eq(got.params.min_discount.minor, a.params.min_discount.minor);
	ck_assert_int_eq(got.params.bid_increment.minor, a.params.bid_increment.minor);
	ck_assert_int_eq(got.params.auction_method, CF_METHOD_SEALED);
	ck_assert_int_eq(got.params.lot_discount.minor, a.params.lot_discount.minor);
	ck_assert(got.params.first_prize_to_foreman);
	ck_assert_int_eq(got.params.dividend_policy, a.params.dividend_policy);
	ck_assert_int_eq(got.params.dividend_timing, CF_TIMING_SAME_INSTALLMENT);
	ck_assert_int_eq(got.params.gst_bps, a.params.gst_bps);
	ck_assert_int_eq(got.params.gst_borne_by, CF_GST_FOREMAN);
	ck_assert_int_eq(got.params.late_fee_bps_per_month, a.params.late_fee_bps_per_month);
	ck_assert_int_eq(got.params.grace_days, 3);
	ck_assert_int_eq(got.params.rules_profile, a.params.rules_profile);
	ck_assert_int_eq(got.params_given, CF_SP_COMMISSION_BPS);
	ck_assert_int_eq(got.subscription.minor, 500000);
	ck_assert_int_eq(got.status, CF_SCHEME_DRAFT);
	ck_assert_str_eq(got.foreman_id, f);
	ck_assert_str_eq(got.created_by, f);
	ck_assert_str_eq(got.registration_no, "");
	ck_assert_int_eq(got.created_at_ms, 100);
	ck_assert_int_eq(got.commenced_at_ms, 0);
	ck_assert_int_eq(got.row_version, 1);
	/* optimistic update */
	got.status = CF_SCHEME_RUNNING;
	snprintf(got.registration_no, sizeof got.registration_no, "REG/2026/7");
	snprintf(got.commencement_ref, sizeof got.commencement_ref, "CC-7");
	got.commenced_at_ms = 555;
	ck_assert_int_eq(P.schemes.update(P.schemes.self, tx, &got), CF_OK);
	ck_assert_int_eq(got.row_version, 2);
	ck_assert_int_eq(P.schemes.update(P.schemes.self, tx, &a), CF_ECONFLICT);
	ck_assert_int_eq(P.schemes.get(P.schemes.self, tx, a.id, &got), CF_OK);
	ck_assert_str_eq(got.registration_no, "REG/2026/7");
	ck_assert_str_eq(got.commencement_ref, "CC-7");
	ck_assert_int_eq(got.commenced_at_ms, 555);
	ck_assert_int_eq(got.status, CF_SCHEME_RUNNING);
	/* list: (created_at, id) order, filters, cursor */
	memset(&flt, 0, sizeof flt);
	flt.limit = 10;
	ck_assert_int_eq(P.schemes.list(P.schemes.self, tx, &flt, &arr), CF_OK);
	ck_assert_int_eq(arr.count, 3);
	ck_assert_str_eq(arr.items[0].id, a.id);
	ck_assert_str_eq(arr.items[1].id, b.id);
	ck_assert_str_eq(arr.items[2].id, c.id);
	cf_scheme_array_free(&arr);
	flt.limit = 1;
	flt.after_created_at_ms = 200;
	snprintf(flt.after_id, sizeof flt.after_id, "%s", b.id);
	ck_assert_int_eq(P.schemes.list(P.schemes.self, tx, &flt, &arr), CF_OK);
	ck_assert_int_eq(arr.count, 1);
	ck_assert_str_eq(arr.items[0].id, c.id);
	cf_scheme_array_free(&arr);
	memset(&flt, 0, sizeof flt);
	flt.limit = 10;
	flt.has_status = true;
	flt.status = CF_SCHEME_RUNNING;
	ck_assert_int_eq(P.schemes.list(P.schemes.self, tx, &flt, &arr), CF_OK);
	ck_assert_int_eq(arr.count, 2);
	cf_scheme_array_free(&arr);
	/* visible_to: enrolling ones plus those where the user holds a ticket */
	memset(&flt, 0, sizeof flt);
	flt.limit = 10;
	snprintf(flt.visible_to, sizeof flt.visible_to, "%s", sub);
	ck_assert_int_eq(P.schemes.list(P.schemes.self, tx, &flt, &arr), CF_OK);
	ck_assert_int_eq(arr.count, 1);
	ck_assert_str_eq(arr.items[0].id, b.id);
	cf_scheme_array_free(&arr);
	t = ticket_row(c.id, 4, sub, 1);
	ck_assert_int_eq(P.tickets.insert(P.tickets.self, tx, &t), CF_OK);
	ck_assert_int_eq(P.schemes.list(P.schemes.self, tx, &flt, &arr), CF_OK);
	ck_assert_int_eq(arr.count, 2);
	ck_assert_str_eq(arr.items[1].id, c.id);
	cf_scheme_array_free(&arr);
}
END_TEST

/* ---- tickets ---- */

START_TEST(test_contract__tickets)
{
	char f[CF_ID_SIZE], u1[CF_ID_SIZE], u2[CF_ID_SIZE];
	cf_scheme s1, s2;
	cf_ticket t, got;
	cf_ticket_array arr = {0};
	int32_t n = -1;

	add_user(1, "f@example.com", CF_ROLE_FOREMAN);
	add_user(2, "a@example.com", CF_ROLE_SUBSCRIBER);
	add_user(3, "b@example.com", CF_ROLE_SUBSCRIBER);
	make_id(f, 1);
	make_id(u1, 2);
	make_id(u2, 3);
	s1 = scheme_row(1, f, CF_SCHEME_ENROLLING, 100);
	s2 = scheme_row(2, f, CF_SCHEME_ENROLLING, 200);
	ck_assert_int_eq(P.schemes.insert(P.schemes.self, tx, &s1), CF_OK);
	ck_assert_int_eq(P.schemes.insert(P.schemes.self, tx, &s2), CF_OK);
	recommit();
	ck_assert_int_eq(P.tickets.lock_scheme(P.tickets.self, tx, s1.id), CF_OK);
	ck_assert_int_eq(
	        P.tickets.lock_scheme(P.tickets.self, tx, "00000000-0000-4000-8000-999999999999"),
	        CF_ENOTFOUND);
	t = ticket_row(s1.id, 3, u1, 1);
	ck_assert_int_eq(P.tickets.insert(P.tickets.self, tx, &t), CF_OK);
	t = ticket_row(s1.id, 1, u2, 2);
	ck_assert_int_eq(P.tickets.insert(P.tickets.self, tx, &t), CF_OK);
	t = ticket_row(s1.id, 2, u1, 3);
	ck_assert_int_eq(P.tickets.insert(P.tickets.self, tx, &t), CF_OK);
	t = ticket_row(s2.id, 1, u1, 4);
	ck_assert_int_eq(P.tickets.insert(P.tickets.self, tx, &t), CF_OK);
	t = ticket_row(s1.id, 3, u2, 5); /* number taken */
	ck_assert_int_eq(P.tickets.insert(P.tickets.self, tx, &t), CF_EEXISTS);
	recommit();
	ck_assert_int_eq(P.tickets.count(P.tickets.self, tx, s1.id, &n), CF_OK);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(P.tickets.list_by_scheme(P.tickets.self, tx, s1.id, &arr), CF_OK);
	ck_assert_int_eq(arr.count, 3);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(arr.items[i].ticket_no, i + 1);
	ck_assert_str_eq(arr.items[0].user_id, u2);
	ck_assert_str_eq(arr.items[0].scheme_id, s1.id);
	ck_assert_int_eq(arr.items[0].status, CF_TICKET_ACTIVE);
	ck_assert(!arr.items[0].prized);
	ck_assert_int_eq(arr.items[0].prized_installment_no, 0);
	cf_ticket_array_free(&arr);
	ck_assert_int_eq(P.tickets.list_by_user(P.tickets.self, tx, u1, &arr), CF_OK);
	ck_assert_int_eq(arr.count, 3);
	ck_assert_int_eq(arr.items[0].ticket_no, 3); /* created first */
	ck_assert_str_eq(arr.items[2].scheme_id, s2.id);
	cf_ticket_array_free(&arr);
	ck_assert_int_eq(P.tickets.get(P.tickets.self, tx, s1.id, 2, &got), CF_OK);
	ck_assert_str_eq(got.user_id, u1);
	ck_assert_int_eq(got.created_at_ms, INT64_C(1775017800000) + 3);
	got.prized = true;
	got.prized_installment_no = 4;
	got.status = CF_TICKET_REMOVED;
	t = got;
	ck_assert_int_eq(P.tickets.update(P.tickets.self, tx, &got), CF_OK);
	ck_assert_int_eq(got.row_version, 2);
	ck_assert_int_eq(P.tickets.update(P.tickets.self, tx, &t), CF_ECONFLICT);
	ck_assert_int_eq(P.tickets.get(P.tickets.self, tx, s1.id, 2, &got), CF_OK);
	ck_assert(got.prized);
	ck_assert_int_eq(got.prized_installment_no, 4);
	ck_assert_int_eq(got.status, CF_TICKET_REMOVED);
	ck_assert_int_eq(P.tickets.get(P.tickets.self, tx, s1.id, 9, &got), CF_ENOTFOUND);
	ck_assert_int_eq(P.tickets.count(P.tickets.self, tx, s2.id, &n), CF_OK);
	ck_assert_int_eq(n, 1);
}
END_TEST

/* ---- scheme agents ---- */

START_TEST(test_contract__scheme_agents)
{
	char f[CF_ID_SIZE], a1[CF_ID_SIZE], a2[CF_ID_SIZE];
	char(*ids)[CF_ID_SIZE] = NULL;
	size_t n = 0;
	bool is = true;
	cf_scheme s;

	add_user(1, "f@example.com", CF_ROLE_FOREMAN);
	add_user(2, "a1@example.com", CF_ROLE_AGENT);
	add_user(3, "a2@example.com", CF_ROLE_AGENT);
	make_id(f, 1);
	make_id(a1, 2);
	make_id(a2, 3);
	s = scheme_row(1, f, CF_SCHEME_DRAFT, 100);
	ck_assert_int_eq(P.schemes.insert(P.schemes.self, tx, &s), CF_OK);
	ck_assert_int_eq(P.scheme_agents.is_agent(P.scheme_agents.self, tx, s.id, a1, &is), CF_OK);
	ck_assert(!is);
	ck_assert_int_eq(P.scheme_agents.assign(P.scheme_agents.self, tx, s.id, a2, 10), CF_OK);
	ck_assert_int_eq(P.scheme_agents.assign(P.scheme_agents.self, tx, s.id, a1, 20), CF_OK);
	ck_assert_int_eq(P.scheme_agents.assign(P.scheme_agents.self, tx, s.id, a1, 30),
	                 CF_EEXISTS);
	recommit();
	ck_assert_int_eq(P.scheme_agents.is_agent(P.scheme_agents.self, tx, s.id, a1, &is), CF_OK);
	ck_assert(is);
	ck_assert_int_eq(P.scheme_agents.list(P.scheme_agents.self, tx, s.id, &ids, &n), CF_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(ids[0], a2);
	ck_assert_str_eq(ids[1], a1);
	free(ids);
	ck_assert_int_eq(P.scheme_agents.unassign(P.scheme_agents.self, tx, s.id, a2), CF_OK);
	ck_assert_int_eq(P.scheme_agents.unassign(P.scheme_agents.self, tx, s.id, a2),
	                 CF_ENOTFOUND);
	ck_assert_int_eq(P.scheme_agents.is_agent(P.scheme_agents.self, tx, s.id, a2, &is), CF_OK);
	ck_assert(!is);
}
END_TEST

/* ---- audit ---- */

static cf_audit_entry audit_row(int64_t seq, const char *entity, const char *prev)
{
	cf_audit_entry e;

	memset(&e, 0, sizeof e);
	e.seq = seq;
	e.at_ms = INT64_C(1775017800000) + seq;
	make_id(e.actor_id, 1);
	snprintf(e.actor_role, sizeof e.actor_role, "admin");
	snprintf(e.action, sizeof e.action, "%s.test", entity);
	snprintf(e.entity, sizeof e.entity, "%s", entity);
	make_id(e.entity_id, (int)(100 + seq % 2));
	snprintf(e.summary, sizeof e.summary, "{\"n\":%d,\"s\":\"\\u00e9\"}", (int)seq);
	snprintf(e.request_id, sizeof e.request_id, "req-%d", (int)seq);
	snprintf(e.client_addr, sizeof e.client_addr, "2001:db8::%d", (int)seq);
	snprintf(e.prev_hash, sizeof e.prev_hash, "%s", prev);
	snprintf(e.hash, sizeof e.hash, "%064x", (unsigned)seq);
	return e;
}

START_TEST(test_contract__audit_chain_head_and_list)
{
	int64_t last = -1;
	char h[CF_HEX256_SIZE];
	char zeros[CF_HEX256_SIZE];
	cf_audit_entry e;
	cf_audit_filter f;
	cf_audit_array a = {0};

	memset(zeros, '0', 64);
	zeros[64] = '\0';
	ck_assert_int_eq(P.audit.lock_head(P.audit.self, tx, &last, h), CF_OK);
	ck_assert_int_eq(last, 0);
	ck_assert_str_eq(h, zeros);
	for (int64_t s = 1; s <= 5; s++) {
		ck_assert_int_eq(P.audit.lock_head(P.audit.self, tx, &last, h), CF_OK);
		ck_assert_int_eq(last, s - 1);
		e = audit_row(s, s % 2 ? "user" : "scheme", h);
		ck_assert_int_eq(P.audit.insert(P.audit.self, tx, &e), CF_OK);
		if (s == 2)
			recommit();
	}
	recommit();
	ck_assert_int_eq(P.audit.lock_head(P.audit.self, tx, &last, h), CF_OK);
	ck_assert_int_eq(last, 5);
	e = audit_row(5, "user", "");
	ck_assert_str_eq(h, e.hash);
	e = audit_row(7, "user", h); /* not last + 1 */
	ck_assert_int_eq(P.audit.insert(P.audit.self, tx, &e), CF_ECONFLICT);
	memset(&f, 0, sizeof f);
	f.limit = 10;
	ck_assert_int_eq(P.audit.list(P.audit.self, tx, &f, &a), CF_OK);
	ck_assert_int_eq(a.count, 5);
	e = audit_row(3, "user", a.items[1].hash);
	ck_assert_int_eq(a.items[2].seq, 3);
	ck_assert_int_eq(a.items[2].at_ms, e.at_ms);
	ck_assert_str_eq(a.items[2].actor_id, e.actor_id);
	ck_assert_str_eq(a.items[2].actor_role, "admin");
	ck_assert_str_eq(a.items[2].action, "user.test");
	ck_assert_str_eq(a.items[2].entity, "user");
	ck_assert_str_eq(a.items[2].entity_id, e.entity_id);
	ck_assert_str_eq(a.items[2].summary, e.summary);
	ck_assert_str_eq(a.items[2].request_id, "req-3");
	ck_assert_str_eq(a.items[2].client_addr, "2001:db8::3");
	ck_assert_str_eq(a.items[2].prev_hash, e.prev_hash);
	ck_assert_str_eq(a.items[2].hash, e.hash);
	cf_audit_array_free(&a);
	f.limit = 2;
	snprintf(f.entity, sizeof f.entity, "user");
	ck_assert_int_eq(P.audit.list(P.audit.self, tx, &f, &a), CF_OK);
	ck_assert_int_eq(a.count, 2);
	ck_assert_int_eq(a.items[0].seq, 1);
	ck_assert_int_eq(a.items[1].seq, 3);
	f.after_seq = 3;
	cf_audit_array_free(&a);
	ck_assert_int_eq(P.audit.list(P.audit.self, tx, &f, &a), CF_OK);
	ck_assert_int_eq(a.count, 1);
	ck_assert_int_eq(a.items[0].seq, 5);
	cf_audit_array_free(&a);
	memset(&f, 0, sizeof f);
	f.limit = 10;
	make_id(f.entity_id, 100);
	ck_assert_int_eq(P.audit.list(P.audit.self, tx, &f, &a), CF_OK);
	ck_assert_int_eq(a.count, 2); /* seq 2 and 4 */
	ck_assert_int_eq(a.items[1].seq, 4);
	cf_audit_array_free(&a);
}
END_TEST

/* ---- login throttle ---- */

START_TEST(test_contract__login_throttle)
{
	cf_throttle_counts c;

	P.login_throttle.record_failure(P.login_throttle.self, tx, "a@example.com", "10.0.0.1",
	                                1000);
	P.login_throttle.record_failure(P.login_throttle.self, tx, "a@example.com", "10.0.0.2",
	                                2000);
	P.login_throttle.record_failure(P.login_throttle.self, tx, "b@example.com", "10.0.0.1",
	                                3000);
	ck_assert_int_eq(P.login_throttle.record_failure(P.login_throttle.self, tx, "c@example.com",
	                                                 "", 4000),
	                 CF_OK);
	recommit();
	ck_assert_int_eq(P.login_throttle.count_since(P.login_throttle.self, tx, "a@example.com",
	                                              "10.0.0.1", 0, &c),
	                 CF_OK);
	ck_assert_int_eq(c.account_failures, 2);
	ck_assert_int_eq(c.account_oldest_ms, 1000);
	ck_assert_int_eq(c.address_failures, 2);
	ck_assert_int_eq(c.address_oldest_ms, 1000);
	P.login_throttle.count_since(P.login_throttle.self, tx, "a@example.com", "10.0.0.1", 1500,
	                             &c);
	ck_assert_int_eq(c.account_failures, 1);
	ck_assert_int_eq(c.account_oldest_ms, 2000);
	ck_assert_int_eq(c.address_failures, 1);
	ck_assert_int_eq(c.address_oldest_ms, 3000);
	P.login_throttle.count_since(P.login_throttle.self, tx, "z@example.com", "", 0, &c);
	ck_assert_int_eq(c.account_failures, 0);
	ck_assert_int_eq(c.account_oldest_ms, 0);
	ck_assert_int_eq(c.address_failures, 0);
	ck_assert_int_eq(P.login_throttle.clear_account(P.login_throttle.self, tx, "a@example.com"),
	                 CF_OK);
	P.login_throttle.count_since(P.login_throttle.self, tx, "a@example.com", "10.0.0.1", 0, &c);
	ck_assert_int_eq(c.account_failures, 0);
	ck_assert_int_eq(c.address_failures, 1); /* b's failure from that address remains */
	if (P.login_throttle.purge_before != NULL) {
		ck_assert_int_eq(P.login_throttle.purge_before(P.login_throttle.self, tx, 3500),
		                 CF_OK);
		P.login_throttle.count_since(P.login_throttle.self, tx, "b@example.com", "10.0.0.1",
		                             0, &c);
		ck_assert_int_eq(c.account_failures, 0);
		P.login_throttle.count_since(P.login_throttle.self, tx, "c@example.com", "", 0, &c);
		ck_assert_int_eq(c.account_failures, 1);
	}
}
END_TEST

Suite *cf_contract_suite(const char *name, const cf_contract_factory *f)
{
	Suite *s = suite_create(name);
	TCase *tc = tcase_create("repositories");

	factory = f;
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_contract__user_roundtrip_and_email_case);
	tcase_add_test(tc, test_contract__user_update_is_optimistic);
	tcase_add_test(tc, test_contract__user_list_filters_and_pages);
	tcase_add_test(tc, test_contract__ucfsin_sequence_starts_at_1_and_increases);
	tcase_add_test(tc, test_contract__rollback_discards);
	tcase_add_test(tc, test_contract__refresh_tokens);
	tcase_add_test(tc, test_contract__scheme_roundtrip_update_list);
	tcase_add_test(tc, test_contract__tickets);
	tcase_add_test(tc, test_contract__scheme_agents);
	tcase_add_test(tc, test_contract__audit_chain_head_and_list);
	tcase_add_test(tc, test_contract__login_throttle);
	suite_add_tcase(s, tc);
	return s;
}
