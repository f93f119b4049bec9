/* contract_money.c - the money repository contract: the same assertions for every adapter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chitfund.h"
#include "chitfund/money.h"
#include "chitfund/sys/money_repo.h"
#include "contract_money.h"

static const cf_contract_factory *mfactory;
static cf_ports M;
static void *mhandle;
static cf_tx *mtx;
static int mseq;
static char scheme_id[CF_ID_SIZE], user_id[CF_ID_SIZE];

#define R (&M.money)
#define S (M.money.self)

/* A UUID unique to this process and call. */
static void uid(char out[CF_ID_SIZE])
{
	snprintf(out, CF_ID_SIZE, "%08x-0000-4000-8000-%012d", (unsigned)getpid(), ++mseq);
}

static void mrecommit(void)
{
	ck_assert_int_eq(M.uow.commit(M.uow.self, mtx), CF_OK);
	mtx = NULL;
	ck_assert_int_eq(M.uow.begin(M.uow.self, &mtx), CF_OK);
}

/* A user, a running 20-ticket scheme with tickets 1..3 and their money rows. */
static void msetup(void)
{
	cf_user_row u;
	cf_scheme s;
	cf_rule why;

	memset(&M, 0, sizeof M);
	ck_assert_int_eq(mfactory->create(mfactory->ctx, &M, &mhandle), CF_OK);
	ck_assert_uint_eq(M.money.version, CF_MONEY_REPO_VERSION);
	ck_assert_int_eq(M.uow.begin(M.uow.self, &mtx), CF_OK);
	memset(&u, 0, sizeof u);
	uid(u.id);
	snprintf(u.email, sizeof u.email, "m%s@contract.test", u.id);
	snprintf(u.password_hash, sizeof u.password_hash, "$y$j9T$salt$hash");
	snprintf(u.full_name, sizeof u.full_name, "Money Contract");
	u.role = CF_ROLE_FOREMAN;
	u.ucfsin_seq = (int64_t)getpid() * 100 + mseq;
	cf_ucfsin_make(26, u.ucfsin_seq, u.ucfsin);
	u.is_active = true;
	u.created_at_ms = u.updated_at_ms = INT64_C(1775017800000);
	u.row_version = 1;
	ck_assert_int_eq(M.users.insert(M.users.self, mtx, &u), CF_OK);
	memcpy(user_id, u.id, sizeof user_id);
	memset(&s, 0, sizeof s);
	uid(s.id);
	snprintf(s.name, sizeof s.name, "Money scheme");
	cf_scheme_params_init(&s.params);
	s.params.chit_value = cf_money_of(10000000);
	s.params.member_count = 20;
	s.params.start_date = (cf_date){2026, 4, 10};
	s.params.grace_days = 3;
	ck_assert_int_eq(cf_scheme_params_resolve(&s.params, &why), CF_OK);
	s.subscription = cf_money_of(500000);
	s.status = CF_SCHEME_RUNNING;
	memcpy(s.foreman_id, u.id, sizeof s.foreman_id);
	memcpy(s.created_by, u.id, sizeof s.created_by);
	s.created_at_ms = s.updated_at_ms = INT64_C(1775017800000);
	s.row_version = 1;
	ck_assert_int_eq(M.schemes.insert(M.schemes.self, mtx, &s), CF_OK);
	memcpy(scheme_id, s.id, sizeof scheme_id);
	for (int t = 1; t <= 3; t++) {
		cf_ticket tk;

		memset(&tk, 0, sizeof tk);
		uid(tk.id);
		memcpy(tk.scheme_id, s.id, sizeof tk.scheme_id);
		tk.ticket_no = t;
		memcpy(tk.user_id, u.id, sizeof tk.user_id);
		tk.created_at_ms = tk.updated_at_ms = INT64_C(1775017800000);
		tk.row_version = 1;
		ck_assert_int_eq(M.tickets.insert(M.tickets.self, mtx, &tk), CF_OK);
	}
	for (int t = 3; t >= 1; t--) { /* inserted out of order: lists sort */
		cf_ticket_acct a;

		memset(&a, 0, sizeof a);
		memcpy(a.scheme_id, s.id, sizeof a.scheme_id);
		a.ticket_no = t;
		a.row_version = 1;
		ck_assert_int_eq(R->acct_insert(S, mtx, &a), CF_OK);
	}
	mrecommit();
}

static void mteardown(void)
{
	if (mtx != NULL)
		M.uow.rollback(M.uow.self, mtx);
	mtx = NULL;
	mfactory->destroy(mfactory->ctx, mhandle);
}

START_TEST(test_money__accounts_are_optimistic_and_listed)
{
	cf_ticket_acct a, b, dup;
	cf_ticket_acct_array l = {0};

	ck_assert_int_eq(R->acct_get(S, mtx, scheme_id, 2, true, &a), CF_OK);
	ck_assert_int_eq(a.advance.minor, 0);
	ck_assert(!cf_date_valid(a.last_paid_on));
	b = a;
	a.advance = cf_money_of(12345);
	a.last_paid_on = (cf_date){2026, 4, 12};
	a.notice_date = (cf_date){2026, 4, 20};
	snprintf(a.notice_reason, sizeof a.notice_reason, "arrears \xe0\xa4\x85");
	a.dues_version = 7;
	ck_assert_int_eq(R->acct_update(S, mtx, &a), CF_OK);
	ck_assert_int_eq(a.row_version, b.row_version + 1);
	ck_assert_int_eq(R->acct_update(S, mtx, &b), CF_ECONFLICT);
	mrecommit();
	ck_assert_int_eq(R->acct_get(S, mtx, scheme_id, 2, false, &b), CF_OK);
	ck_assert_int_eq(b.advance.minor, 12345);
	ck_assert_int_eq(b.dues_version, 7);
	ck_assert_int_eq(cf_date_cmp(b.last_paid_on, (cf_date){2026, 4, 12}), 0);
	ck_assert_int_eq(cf_date_cmp(b.notice_date, (cf_date){2026, 4, 20}), 0);
	ck_assert_str_eq(b.notice_reason, a.notice_reason);
	ck_assert_int_eq(b.row_version, a.row_version);
	dup = b;
	ck_assert_int_eq(R->acct_get(S, mtx, scheme_id, 9, false, &b), CF_ENOTFOUND);
	ck_assert_int_eq(R->acct_insert(S, mtx, &dup), CF_EEXISTS);
	mrecommit();
	ck_assert_int_eq(R->acct_list(S, mtx, scheme_id, &l), CF_OK);
	ck_assert_uint_eq(l.count, 3);
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(l.items[i].ticket_no, (int)i + 1);
	cf_ticket_acct_array_free(&l);
}
END_TEST

START_TEST(test_money__dues_upsert_and_order)
{
	cf_due d;
	cf_due_row_array l = {0};

	for (int32_t k = 2; k >= 1; k--)
		for (int32_t t = 3; t >= 1; t--) {
			cf_due_init(&d, k, (cf_date){2026, 3 + k, 10}, cf_money_of(500000));
			ck_assert_int_eq(cf_due_fix(&d, (cf_date){2026, 4, 1}), CF_OK);
			ck_assert_int_eq(R->due_put(S, mtx, scheme_id, t, &d), CF_OK);
		}
	/* replace one with every field changed */
	cf_due_init(&d, 2, (cf_date){2026, 5, 10}, cf_money_of(500000));
	d.dividend = cf_money_of(100000);
	d.net_due = cf_money_of(400000);
	d.fixed = true;
	d.fixed_on = (cf_date){2026, 5, 10};
	d.principal_paid = cf_money_of(1000);
	d.penalty = cf_money_of(77);
	d.penalty_paid = cf_money_of(7);
	d.penalty_as_of = (cf_date){2026, 5, 20};
	d.penalty_base_date = (cf_date){2026, 5, 15};
	d.penalty_base_accrued = cf_money_of(33);
	ck_assert_int_eq(R->due_put(S, mtx, scheme_id, 2, &d), CF_OK);
	mrecommit();
	ck_assert_int_eq(R->due_list(S, mtx, scheme_id, 0, &l), CF_OK);
	ck_assert_uint_eq(l.count, 6);
	for (size_t i = 0; i < 6; i++) {
		ck_assert_int_eq(l.items[i].ticket_no, (int)(i / 2) + 1);
		ck_assert_int_eq(l.items[i].due.installment_no, (int)(i % 2) + 1);
	}
	cf_due_row_array_free(&l);
	ck_assert_int_eq(R->due_list(S, mtx, scheme_id, 2, &l), CF_OK);
	ck_assert_uint_eq(l.count, 2);
	{
		const cf_due *g = &l.items[1].due;

		ck_assert_int_eq(g->dividend.minor, 100000);
		ck_assert_int_eq(g->net_due.minor, 400000);
		ck_assert_int_eq(g->principal_paid.minor, 1000);
		ck_assert_int_eq(g->penalty.minor, 77);
		ck_assert_int_eq(g->penalty_paid.minor, 7);
		ck_assert_int_eq(g->penalty_base_accrued.minor, 33);
		ck_assert_int_eq(cf_date_cmp(g->penalty_as_of, (cf_date){2026, 5, 20}), 0);
		ck_assert_int_eq(cf_date_cmp(g->penalty_base_date, (cf_date){2026, 5, 15}), 0);
		ck_assert_int_eq(cf_date_cmp(g->fixed_on, (cf_date){2026, 5, 10}), 0);
		ck_assert(g->fixed);
	}
	cf_due_row_array_free(&l);
}
END_TEST

static cf_payment payment_row(int32_t ticket, int64_t seq_no, int32_t fy)
{
	cf_payment p;

	memset(&p, 0, sizeof p);
	uid(p.id);
	p.receipt_fy = fy;
	(void)seq_no; /* numbers come from receipt_assign */
	memcpy(p.scheme_id, scheme_id, sizeof p.scheme_id);
	p.ticket_no = ticket;
	memcpy(p.payer_id, user_id, sizeof p.payer_id);
	p.amount = cf_money_of(1500);
	p.method = CF_PAY_CHEQUE;
	snprintf(p.reference, sizeof p.reference, "CHQ %d", (int)seq_no);
	p.paid_on = (cf_date){2026, 4, 12};
	p.principal = cf_money_of(1000);
	p.penalty = cf_money_of(200);
	p.advance = cf_money_of(300);
	p.fee_accrued = cf_money_of(200);
	p.advance_before = cf_money_of(5);
	p.dues_version = 3;
	memcpy(p.recorded_by, user_id, sizeof p.recorded_by);
	p.created_at_ms = INT64_C(1775017800123);
	return p;
}

START_TEST(test_money__payments_allocations_and_receipts)
{
	int32_t fy = 2000 + (int32_t)(getpid() % 7000);
	cf_payment p1, p2, p3, got;
	cf_payment_alloc a[2];
	cf_payment_alloc_array al = {0};
	cf_payment_array l = {0};
	int64_t n = 0;

	/* payments first, numbers last: 1, 2 per year; another year starts at 1 */
	p1 = payment_row(1, 1, fy);
	p2 = payment_row(2, 2, fy);
	p3 = payment_row(1, 3, fy + 1);
	memset(a, 0, sizeof a);
	for (int i = 0; i < 2; i++) {
		memcpy(a[i].payment_id, p1.id, sizeof a[i].payment_id);
		a[i].installment_no = 2 - i;
		a[i].principal = cf_money_of(500 + i);
		a[i].penalty = cf_money_of(100 - i);
		a[i].prev_penalty = cf_money_of(11);
		a[i].prev_penalty_as_of = (cf_date){2026, 4, 11};
		a[i].prev_base_date = (cf_date){2026, 4, 10};
		a[i].prev_base_accrued = cf_money_of(4);
	}
	ck_assert_int_eq(R->payment_insert(S, mtx, &p1), CF_OK);
	ck_assert_int_eq(R->alloc_insert(S, mtx, a, 2), CF_OK);
	ck_assert_int_eq(R->payment_insert(S, mtx, &p2), CF_OK); /* two unnumbered at once */
	ck_assert_int_eq(R->payment_insert(S, mtx, &p3), CF_OK);
	ck_assert_int_gt(p2.seq, p1.seq);
	ck_assert_int_gt(p3.seq, p2.seq);
	ck_assert_int_eq(
	        R->receipt_assign(S, mtx, p1.id, fy, "R/T1/", NULL, NULL, 0, NULL, NULL, 1, &n),
	        CF_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(
	        R->receipt_assign(S, mtx, p2.id, fy, "R/T1/", NULL, NULL, 0, NULL, NULL, 1, &n),
	        CF_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(
	        R->receipt_assign(S, mtx, p3.id, fy + 1, "R/T2/", NULL, NULL, 0, NULL, NULL, 1, &n),
	        CF_OK);
	ck_assert_int_eq(n, 1);
	mrecommit();
	/* a rolled-back payment leaves no gap; the number can complete a key's answer */
	{
		cf_payment p4 = payment_row(3, 4, fy), p5 = payment_row(3, 5, fy);
		char h1[CF_HEX256_SIZE], hash[CF_HEX256_SIZE], *body = NULL;
		size_t len = 0;
		int st = 0;

		ck_assert_int_eq(R->payment_insert(S, mtx, &p4), CF_OK);
		ck_assert_int_eq(R->receipt_assign(S, mtx, p4.id, fy, "R/T1/", NULL, NULL, 0, NULL,
		                                   NULL, 1, &n),
		                 CF_OK);
		ck_assert_int_eq(n, 3);
		M.uow.rollback(M.uow.self, mtx);
		ck_assert_int_eq(M.uow.begin(M.uow.self, &mtx), CF_OK);
		memset(h1, 'b', 64);
		h1[64] = '\0';
		ck_assert_int_eq(
		        R->idem_claim(S, mtx, user_id, "rk", h1, 1, hash, &st, &body, &len), CF_OK);
		ck_assert_int_eq(R->payment_insert(S, mtx, &p5), CF_OK);
		ck_assert_int_eq(R->receipt_assign(S, mtx, p5.id, fy, "R/T1/", user_id, "rk", 201,
		                                   "{\"r\":\"~ph~\",\"again\":\"~ph~\"}", "~ph~", 2,
		                                   &n),
		                 CF_OK);
		ck_assert_int_eq(n, 3);
		mrecommit();
		ck_assert_int_eq(
		        R->idem_claim(S, mtx, user_id, "rk", h1, 3, hash, &st, &body, &len),
		        CF_EEXISTS);
		ck_assert_int_eq(st, 201);
		ck_assert_str_eq(body, "{\"r\":\"R/T1/000003\",\"again\":\"R/T1/000003\"}");
		free(body);
		ck_assert_int_eq(R->payment_get(S, mtx, p5.id, false, &got), CF_OK);
		ck_assert_str_eq(got.receipt_no, "R/T1/000003");
		ck_assert_int_eq(got.receipt_seq, 3);
	}
	ck_assert_int_eq(R->payment_get(S, mtx, p2.id, false, &got), CF_OK);
	ck_assert_str_eq(got.receipt_no, "R/T1/000002");
	p1.receipt_seq = 1;
	snprintf(p1.receipt_no, sizeof p1.receipt_no, "R/T1/000001");
	{
		cf_payment dup = payment_row(1, 1, fy);

		memcpy(dup.id, p1.id, sizeof dup.id);
		ck_assert_int_eq(R->payment_insert(S, mtx, &dup), CF_EEXISTS);
		mrecommit();
	}
	ck_assert_int_eq(R->payment_get(S, mtx, p1.id, true, &got), CF_OK);
	ck_assert_str_eq(got.receipt_no, p1.receipt_no);
	ck_assert_int_eq(got.amount.minor, 1500);
	ck_assert_int_eq(got.method, CF_PAY_CHEQUE);
	ck_assert_str_eq(got.reference, p1.reference);
	ck_assert_int_eq(got.status, CF_PAYMENT_CLEARED);
	ck_assert_int_eq(got.advance_before.minor, 5);
	ck_assert_int_eq(got.dues_version, 3);
	ck_assert_int_eq(got.created_at_ms, p1.created_at_ms);
	ck_assert(!cf_date_valid(got.bounced_on));
	ck_assert_int_eq(R->payment_get_by_receipt(S, mtx, "R/T1/000002", &got), CF_OK);
	ck_assert_str_eq(got.id, p2.id);
	ck_assert_int_eq(R->payment_get_by_receipt(S, mtx, "R/0000-00/999999", &got), CF_ENOTFOUND);
	got = p1;
	got.status = CF_PAYMENT_BOUNCED;
	got.bounced_on = (cf_date){2026, 4, 14};
	snprintf(got.bounce_reason, sizeof got.bounce_reason, "NSF");
	ck_assert_int_eq(R->payment_set_status(S, mtx, &got), CF_OK);
	mrecommit();
	ck_assert_int_eq(R->payment_get(S, mtx, p1.id, false, &got), CF_OK);
	ck_assert_int_eq(got.status, CF_PAYMENT_BOUNCED);
	ck_assert_str_eq(got.bounce_reason, "NSF");
	ck_assert_int_eq(cf_date_cmp(got.bounced_on, (cf_date){2026, 4, 14}), 0);
	/* lists: by scheme and ticket, after a seq, limited */
	ck_assert_int_eq(R->payment_list(S, mtx, scheme_id, 0, 0, 0, &l), CF_OK);
	ck_assert_uint_eq(l.count, 4);
	cf_payment_array_free(&l);
	ck_assert_int_eq(R->payment_list(S, mtx, scheme_id, 1, 0, 0, &l), CF_OK);
	ck_assert_uint_eq(l.count, 2);
	cf_payment_array_free(&l);
	ck_assert_int_eq(R->payment_list(S, mtx, scheme_id, 0, p1.seq, 1, &l), CF_OK);
	ck_assert_uint_eq(l.count, 1);
	ck_assert_str_eq(l.items[0].id, p2.id);
	cf_payment_array_free(&l);
	ck_assert_int_eq(R->alloc_list(S, mtx, p1.id, &al), CF_OK);
	ck_assert_uint_eq(al.count, 2);
	ck_assert_int_eq(al.items[0].installment_no, 1);
	ck_assert_int_eq(al.items[0].principal.minor, 501);
	ck_assert_int_eq(al.items[1].penalty.minor, 100);
	ck_assert_int_eq(al.items[1].prev_base_accrued.minor, 4);
	ck_assert_int_eq(cf_date_cmp(al.items[1].prev_penalty_as_of, (cf_date){2026, 4, 11}), 0);
	cf_payment_alloc_array_free(&al);
}
END_TEST

START_TEST(test_money__idempotency_keys)
{
	char hash[CF_HEX256_SIZE], h1[CF_HEX256_SIZE];
	char *body = NULL;
	size_t len = 0;
	int status = 0;

	memset(h1, 'a', 64);
	h1[64] = '\0';
	ck_assert_int_eq(R->idem_claim(S, mtx, user_id, "k1", h1, 1, hash, &status, &body, &len),
	                 CF_OK);
	ck_assert_int_eq(
	        R->idem_complete(S, mtx, user_id, "k1", 201, "{\"x\":\"\xe0\xa4\x85\"}", 11, 2),
	        CF_OK);
	mrecommit();
	ck_assert_int_eq(R->idem_claim(S, mtx, user_id, "k1", h1, 3, hash, &status, &body, &len),
	                 CF_EEXISTS);
	ck_assert_str_eq(hash, h1);
	ck_assert_int_eq(status, 201);
	ck_assert_uint_eq(len, 11);
	ck_assert_int_eq(memcmp(body, "{\"x\":\"\xe0\xa4\x85\"}", 11), 0);
	free(body);
	/* a claim rolled back leaves nothing behind */
	ck_assert_int_eq(R->idem_claim(S, mtx, user_id, "k2", h1, 3, hash, &status, &body, &len),
	                 CF_OK);
	M.uow.rollback(M.uow.self, mtx);
	ck_assert_int_eq(M.uow.begin(M.uow.self, &mtx), CF_OK);
	ck_assert_int_eq(R->idem_claim(S, mtx, user_id, "k2", h1, 3, hash, &status, &body, &len),
	                 CF_OK);
}
END_TEST

START_TEST(test_money__prizes_securities_disbursements)
{
	cf_prize p, got, stale;
	cf_prize_array pl = {0};
	cf_security_rec sec;
	cf_security_array sl = {0};
	cf_disbursement d, dg, dup;
	cf_disbursement_array dl = {0};

	memset(&p, 0, sizeof p);
	uid(p.auction_id);
	memcpy(p.scheme_id, scheme_id, sizeof p.scheme_id);
	p.installment_no = 1;
	p.ticket_no = 2;
	p.draw_date = (cf_date){2026, 4, 10};
	p.prize_amount = cf_money_of(7500000);
	p.gst_deducted = cf_money_of(90000);
	p.liability = cf_money_of(9500000);
	p.due_by = (cf_date){2026, 4, 17};
	p.row_version = 1;
	ck_assert_int_eq(R->prize_insert(S, mtx, &p), CF_OK);
	ck_assert_int_eq(R->prize_insert(S, mtx, &p), CF_EEXISTS);
	mrecommit();
	ck_assert_int_eq(R->prize_get(S, mtx, p.auction_id, true, &got), CF_OK);
	ck_assert_int_eq(got.prize_amount.minor, 7500000);
	ck_assert_int_eq(got.liability.minor, 9500000);
	ck_assert(!got.paid && !got.no_security);
	stale = got;
	got.no_security = true;
	got.paid = true;
	got.paid_on = (cf_date){2026, 4, 15};
	got.net_paid = cf_money_of(123);
	ck_assert_int_eq(R->prize_update(S, mtx, &got), CF_OK);
	ck_assert_int_eq(R->prize_update(S, mtx, &stale), CF_ECONFLICT);
	mrecommit();
	ck_assert_int_eq(R->prize_list(S, mtx, scheme_id, &pl), CF_OK);
	ck_assert_uint_eq(pl.count, 1);
	ck_assert(pl.items[0].paid && pl.items[0].no_security);
	ck_assert_int_eq(pl.items[0].net_paid.minor, 123);
	ck_assert_int_eq(cf_date_cmp(pl.items[0].paid_on, (cf_date){2026, 4, 15}), 0);
	cf_prize_array_free(&pl);
	memset(&sec, 0, sizeof sec);
	uid(sec.id);
	memcpy(sec.auction_id, p.auction_id, sizeof sec.auction_id);
	sec.kind = CF_SECURITY_PROPERTY;
	snprintf(sec.description, sizeof sec.description, "plot 7");
	sec.value = cf_money_of(100);
	memcpy(sec.created_by, user_id, sizeof sec.created_by);
	sec.created_at_ms = 5;
	ck_assert_int_eq(R->security_insert(S, mtx, &sec), CF_OK);
	ck_assert_int_eq(R->security_list(S, mtx, p.auction_id, &sl), CF_OK);
	ck_assert_uint_eq(sl.count, 1);
	ck_assert_int_eq(sl.items[0].kind, CF_SECURITY_PROPERTY);
	ck_assert_str_eq(sl.items[0].description, "plot 7");
	cf_security_array_free(&sl);
	memset(&d, 0, sizeof d);
	uid(d.id);
	memcpy(d.auction_id, p.auction_id, sizeof d.auction_id);
	memcpy(d.scheme_id, scheme_id, sizeof d.scheme_id);
	d.ticket_no = 2;
	d.gross_prize = cf_money_of(7500000);
	d.gst_deducted = cf_money_of(90000);
	d.withheld = cf_money_of(10000);
	d.amount = cf_money_of(7400000);
	snprintf(d.method, sizeof d.method, "neft");
	memcpy(d.maker_id, user_id, sizeof d.maker_id);
	d.created_at_ms = 9;
	d.row_version = 1;
	ck_assert_int_eq(R->disb_insert(S, mtx, &d), CF_OK);
	dup = d;
	uid(dup.id);
	ck_assert_int_eq(R->disb_insert(S, mtx, &dup), CF_EEXISTS); /* one per prize */
	mrecommit();
	ck_assert_int_eq(R->disb_list(S, mtx, true, CF_DISB_PENDING, &dl), CF_OK);
	{
		bool found = false;

		for (size_t i = 0; i < dl.count; i++)
			found |= strcmp(dl.items[i].id, d.id) == 0;
		ck_assert(found);
	}
	cf_disbursement_array_free(&dl);
	ck_assert_int_eq(R->disb_get(S, mtx, d.id, true, &dg), CF_OK);
	ck_assert_int_eq(dg.status, CF_DISB_PENDING);
	ck_assert_str_eq(dg.checker_id, "");
	dg.status = CF_DISB_PAID;
	{
		cf_user_row c;

		memset(&c, 0, sizeof c);
		uid(c.id);
		snprintf(c.email, sizeof c.email, "c%s@contract.test", c.id);
		snprintf(c.password_hash, sizeof c.password_hash, "$y$j9T$salt$hash");
		snprintf(c.full_name, sizeof c.full_name, "Checker");
		c.role = CF_ROLE_FOREMAN;
		c.ucfsin_seq = (int64_t)getpid() * 100 + 99;
		cf_ucfsin_make(26, c.ucfsin_seq, c.ucfsin);
		c.is_active = true;
		c.row_version = 1;
		ck_assert_int_eq(M.users.insert(M.users.self, mtx, &c), CF_OK);
		memcpy(dg.checker_id, c.id, sizeof dg.checker_id);
	}
	dg.paid_at_ms = 1775017800000;
	ck_assert_int_eq(R->disb_update(S, mtx, &dg), CF_OK);
	mrecommit();
	ck_assert_int_eq(R->disb_get(S, mtx, d.id, false, &dg), CF_OK);
	ck_assert_int_eq(dg.status, CF_DISB_PAID);
	ck_assert_int_eq(dg.paid_at_ms, 1775017800000);
	ck_assert_int_eq(dg.amount.minor, 7400000);
}
END_TEST

START_TEST(test_money__refunds_demands_and_overdue)
{
	cf_refund rf;
	cf_refund_array rl = {0};
	cf_demand dm;
	cf_due d;
	bool od[20];

	memset(&rf, 0, sizeof rf);
	uid(rf.id);
	memcpy(rf.scheme_id, scheme_id, sizeof rf.scheme_id);
	rf.ticket_no = 3;
	memcpy(rf.user_id, user_id, sizeof rf.user_id);
	snprintf(rf.kind, sizeof rf.kind, "s42");
	rf.amount = cf_money_of(42);
	rf.created_at_ms = 1775017800000;
	ck_assert_int_eq(R->refund_insert(S, mtx, &rf), CF_OK);
	memset(&dm, 0, sizeof dm);
	uid(dm.id);
	memcpy(dm.scheme_id, scheme_id, sizeof dm.scheme_id);
	dm.ticket_no = 1;
	memcpy(dm.user_id, user_id, sizeof dm.user_id);
	memcpy(dm.created_by, user_id, sizeof dm.created_by);
	dm.amount = dm.future = cf_money_of(1000);
	dm.installments = 2;
	dm.created_at_ms = 1775017800000;
	ck_assert_int_eq(R->demand_insert(S, mtx, &dm), CF_OK);
	mrecommit();
	ck_assert_int_eq(R->refund_list(S, mtx, scheme_id, &rl), CF_OK);
	ck_assert_uint_eq(rl.count, 1);
	ck_assert_str_eq(rl.items[0].kind, "s42");
	ck_assert_int_eq(rl.items[0].amount.minor, 42);
	cf_refund_array_free(&rl);
	/* overdue: ticket 2 owes installment 1 due 04-10 (grace 3: overdue from 04-14) */
	cf_due_init(&d, 1, (cf_date){2026, 4, 10}, cf_money_of(500000));
	ck_assert_int_eq(cf_due_fix(&d, (cf_date){2026, 4, 1}), CF_OK);
	ck_assert_int_eq(R->due_put(S, mtx, scheme_id, 2, &d), CF_OK);
	d.principal_paid = d.net_due;
	ck_assert_int_eq(R->due_put(S, mtx, scheme_id, 3, &d), CF_OK);
	mrecommit();
	ck_assert_uint_eq(M.overdue.version, CF_OVERDUE_SOURCE_VERSION);
	memset(od, 0, sizeof od);
	ck_assert_int_eq(
	        M.overdue.overdue(M.overdue.self, mtx, scheme_id, (cf_date){2026, 4, 13}, od, 20),
	        CF_OK);
	ck_assert(!od[1]);
	memset(od, 0, sizeof od);
	ck_assert_int_eq(
	        M.overdue.overdue(M.overdue.self, mtx, scheme_id, (cf_date){2026, 4, 14}, od, 20),
	        CF_OK);
	ck_assert(od[1]);
	ck_assert(!od[0] && !od[2]);
}
END_TEST

Suite *cf_contract_money_suite(const char *name, const cf_contract_factory *f)
{
	Suite *s = suite_create(name);
	TCase *tc = tcase_create("money");

	mfactory = f;
	tcase_add_checked_fixture(tc, msetup, mteardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_money__accounts_are_optimistic_and_listed);
	tcase_add_test(tc, test_money__dues_upsert_and_order);
	tcase_add_test(tc, test_money__payments_allocations_and_receipts);
	tcase_add_test(tc, test_money__idempotency_keys);
	tcase_add_test(tc, test_money__prizes_securities_disbursements);
	tcase_add_test(tc, test_money__refunds_demands_and_overdue);
	suite_add_tcase(s, tc);
	return s;
}
