/*
 * test_ws_hub.c - adapters/http/ws_hub.c with fake connections: order per
 * subscriber, fan-out by auction, slow and failing subscribers dropped
 * without holding up the others, unsubscribe racing with publish and with a
 * write in progress, hold/release handover with seq de-duplication.
 *
 * Nothing asserts on time: waits are bounded only so a bug fails instead of
 * hanging, and assertions are on counts, contents and states.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "ws_hub.h"

#define WAIT_S 20

/* A fake connection: records frames; can block (gate) or fail. */
typedef struct fake {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char **frames;
	size_t n, cap;
	bool gated;     /* writes block while set */
	bool fail;      /* writes fail */
	bool in_write;  /* a write is blocked at the gate */
	bool gone;      /* unsubscribe returned: the hub must not write any more */
	bool violation; /* the hub wrote or closed after unsubscribe returned */
	int closes;
	int write_done; /* writes that ran to completion */
} fake;

static void fake_init(fake *f)
{
	memset(f, 0, sizeof *f);
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
}

static void fake_dispose(fake *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->frames[i]);
	free(f->frames);
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->cv);
}

static int fake_write(void *conn, const char *data, size_t len)
{
	fake *f = conn;
	int rc = (int)len + 1;

	pthread_mutex_lock(&f->mu);
	if (f->gone)
		f->violation = true;
	while (f->gated) {
		f->in_write = true;
		pthread_cond_broadcast(&f->cv);
		pthread_cond_wait(&f->cv, &f->mu);
	}
	f->in_write = false;
	if (f->fail) {
		rc = -1;
	} else {
		if (f->n == f->cap) {
			size_t nc = f->cap ? f->cap * 2 : 64;
			char **nf = realloc(f->frames, nc * sizeof *nf);

			ck_assert_ptr_nonnull(nf);
			f->frames = nf;
			f->cap = nc;
		}
		f->frames[f->n] = malloc(len + 1);
		ck_assert_ptr_nonnull(f->frames[f->n]);
		memcpy(f->frames[f->n], data, len);
		f->frames[f->n][len] = '\0';
		f->n++;
	}
	f->write_done++;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	return rc;
}

static void fake_close(void *conn)
{
	fake *f = conn;

	pthread_mutex_lock(&f->mu);
	if (f->gone)
		f->violation = true;
	f->closes++;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
}

static void deadline(struct timespec *t)
{
	clock_gettime(CLOCK_REALTIME, t);
	t->tv_sec += WAIT_S;
}

/* Wait until the fake has n frames. */
static bool fake_wait_n(fake *f, size_t n)
{
	struct timespec t;
	bool ok = true;

	deadline(&t);
	pthread_mutex_lock(&f->mu);
	while (f->n < n && ok)
		ok = pthread_cond_timedwait(&f->cv, &f->mu, &t) != ETIMEDOUT;
	pthread_mutex_unlock(&f->mu);
	return ok;
}

/* Wait until a write is blocked at the gate. */
static bool fake_wait_in_write(fake *f)
{
	struct timespec t;
	bool ok = true;

	deadline(&t);
	pthread_mutex_lock(&f->mu);
	while (!f->in_write && ok)
		ok = pthread_cond_timedwait(&f->cv, &f->mu, &t) != ETIMEDOUT;
	pthread_mutex_unlock(&f->mu);
	return ok;
}

static bool fake_wait_closes(fake *f, int n)
{
	struct timespec t;
	bool ok = true;

	deadline(&t);
	pthread_mutex_lock(&f->mu);
	while (f->closes < n && ok)
		ok = pthread_cond_timedwait(&f->cv, &f->mu, &t) != ETIMEDOUT;
	pthread_mutex_unlock(&f->mu);
	return ok;
}

static void fake_set_gate(fake *f, bool gated)
{
	pthread_mutex_lock(&f->mu);
	f->gated = gated;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
}

static size_t fake_count(fake *f)
{
	size_t n;

	pthread_mutex_lock(&f->mu);
	n = f->n;
	pthread_mutex_unlock(&f->mu);
	return n;
}

static cf_ws_hub *hub_new(int senders, size_t max_frames, size_t max_bytes)
{
	cf_ws_hub_config cfg;
	cf_ws_hub *h = NULL;
	cf_error err = CF_ERROR_INIT;

	memset(&cfg, 0, sizeof cfg);
	cfg.senders = senders;
	cfg.max_frames = max_frames;
	cfg.max_bytes = max_bytes;
	cfg.write = fake_write;
	cfg.close = fake_close;
	ck_assert_int_eq(cf_ws_hub_new(&h, &cfg, &err), CF_OK);
	return h;
}

static void sub_ok(cf_ws_hub *h, const char *auction, fake *f, unsigned flags)
{
	cf_error err = CF_ERROR_INIT;
	int rc = cf_ws_hub_subscribe(h, auction, f, flags, &err);

	ck_assert_msg(rc == CF_OK, "subscribe: %d %s", rc, err.message);
}

static int pub(cf_ws_hub *h, const char *auction, int i)
{
	char buf[64];
	int len = snprintf(buf, sizeof buf, "{\"seq\":%d}", i);

	return cf_ws_hub_publish(h, auction, buf, (size_t)len, NULL);
}

/* Frames [from, from+n) carry seq first..first+n-1 */
static void assert_seqs(fake *f, size_t from, size_t n, int first)
{
	char buf[64];

	ck_assert_uint_ge(f->n, from + n);
	for (size_t i = 0; i < n; i++) {
		snprintf(buf, sizeof buf, "{\"seq\":%d}", first + (int)i);
		ck_assert_str_eq(f->frames[from + i], buf);
	}
}

#define A1 "6f1c1d1e-0000-4000-8000-000000000001"
#define A2 "6f1c1d1e-0000-4000-8000-000000000002"

START_TEST(test_ws_hub__in_order_per_subscriber)
{
	cf_ws_hub *h = hub_new(3, 4096, 0);
	fake f;

	fake_init(&f);
	sub_ok(h, A1, &f, 0);
	for (int i = 1; i <= 2000; i++)
		ck_assert_int_eq(pub(h, A1, i), 1);
	ck_assert(fake_wait_n(&f, 2000));
	ck_assert_int_eq(cf_ws_hub_wait_idle(h, WAIT_S * 1000), CF_OK);
	ck_assert_uint_eq(f.n, 2000);
	assert_seqs(&f, 0, 2000, 1);
	cf_ws_hub_unsubscribe(h, &f);
	cf_ws_hub_free(h);
	fake_dispose(&f);
}
END_TEST

START_TEST(test_ws_hub__fan_out_by_auction)
{
	enum { NA = 100, NB = 10 };
	cf_ws_hub *h = hub_new(4, 256, 0);
	fake *a = calloc(NA, sizeof *a), *b = calloc(NB, sizeof *b);
	cf_ws_hub_stats st;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	for (int i = 0; i < NA; i++) {
		fake_init(&a[i]);
		sub_ok(h, A1, &a[i], 0);
	}
	for (int i = 0; i < NB; i++) {
		fake_init(&b[i]);
		sub_ok(h, A2, &b[i], 0);
	}
	for (int i = 1; i <= 50; i++) {
		ck_assert_int_eq(pub(h, A1, i), NA);
		if (i <= 5)
			ck_assert_int_eq(pub(h, A2, 1000 + i), NB);
	}
	ck_assert_int_eq(pub(h, "no-such-auction", 1), 0);
	ck_assert_int_eq(cf_ws_hub_wait_idle(h, WAIT_S * 1000), CF_OK);
	for (int i = 0; i < NA; i++) {
		ck_assert_uint_eq(a[i].n, 50);
		assert_seqs(&a[i], 0, 50, 1);
	}
	for (int i = 0; i < NB; i++) {
		ck_assert_uint_eq(b[i].n, 5);
		assert_seqs(&b[i], 0, 5, 1001);
	}
	cf_ws_hub_stats_get(h, &st);
	ck_assert_uint_eq(st.subscribers, NA + NB);
	ck_assert_uint_eq(st.sent, NA * 50 + NB * 5);
	ck_assert_uint_eq(st.dropped, 0);
	for (int i = 0; i < NA; i++)
		cf_ws_hub_unsubscribe(h, &a[i]);
	for (int i = 0; i < NB; i++)
		cf_ws_hub_unsubscribe(h, &b[i]);
	cf_ws_hub_stats_get(h, &st);
	ck_assert_uint_eq(st.subscribers, 0);
	cf_ws_hub_free(h);
	for (int i = 0; i < NA; i++)
		fake_dispose(&a[i]);
	for (int i = 0; i < NB; i++)
		fake_dispose(&b[i]);
	free(a);
	free(b);
}
END_TEST

/*
 * A client that stops reading: its write blocks. Its queue (16 frames)
 * overflows and it is dropped, while the others get every frame even though
 * the slow write is still blocked. Publishing in steps of 8 and waiting for
 * the fast ones keeps them inside their own bound whatever the scheduling.
 */
START_TEST(test_ws_hub__slow_subscriber_dropped_others_unaffected)
{
	enum { NF = 5, TOTAL = 41 };
	cf_ws_hub *h = hub_new(2, 16, 0);
	fake slow, fast[NF];
	cf_ws_hub_stats st;
	int sent = 0;

	fake_init(&slow);
	slow.gated = true;
	sub_ok(h, A1, &slow, 0);
	for (int i = 0; i < NF; i++) {
		fake_init(&fast[i]);
		sub_ok(h, A1, &fast[i], 0);
	}
	ck_assert_int_eq(pub(h, A1, ++sent), NF + 1);
	ck_assert(fake_wait_in_write(&slow));
	while (sent < TOTAL) {
		for (int k = 0; k < 8 && sent < TOTAL; k++)
			pub(h, A1, ++sent);
		for (int i = 0; i < NF; i++)
			ck_assert_msg(fake_wait_n(&fast[i], (size_t)sent), "fast %d stalled", i);
	}
	/* the slow write is still blocked, and the others have everything */
	ck_assert(slow.in_write);
	ck_assert_int_eq(cf_ws_hub_state(h, &slow), CF_WS_SUB_DROPPED);
	for (int i = 0; i < NF; i++) {
		ck_assert_int_eq(cf_ws_hub_state(h, &fast[i]), CF_WS_SUB_ACTIVE);
		ck_assert_uint_eq(fake_count(&fast[i]), TOTAL);
	}
	cf_ws_hub_stats_get(h, &st);
	ck_assert_uint_eq(st.dropped, 1);

	/* unblock: the in-flight frame completes, then the hub asks it to close */
	fake_set_gate(&slow, false);
	ck_assert(fake_wait_closes(&slow, 1));
	ck_assert_int_eq(cf_ws_hub_wait_idle(h, WAIT_S * 1000), CF_OK);
	ck_assert_uint_eq(slow.n, 1);
	ck_assert_int_eq(slow.closes, 1);
	for (int i = 0; i < NF; i++) {
		ck_assert_uint_eq(fast[i].n, TOTAL);
		assert_seqs(&fast[i], 0, TOTAL, 1);
		ck_assert_int_eq(fast[i].closes, 0);
	}
	/* a dropped subscriber gets nothing more; publish no longer counts it */
	ck_assert_int_eq(pub(h, A1, ++sent), NF);
	ck_assert_int_eq(cf_ws_hub_send(h, &slow, "x", 1, NULL), CF_ECONFLICT);
	cf_ws_hub_unsubscribe(h, &slow);
	ck_assert_int_eq(cf_ws_hub_state(h, &slow), CF_WS_SUB_NONE);
	for (int i = 0; i < NF; i++)
		cf_ws_hub_unsubscribe(h, &fast[i]);
	cf_ws_hub_free(h);
	fake_dispose(&slow);
	for (int i = 0; i < NF; i++)
		fake_dispose(&fast[i]);
}
END_TEST

/* The byte bound counts too: 1 frame in flight, 2 x 40 queued, the third overflows 100 bytes. */
START_TEST(test_ws_hub__byte_bound_drops)
{
	cf_ws_hub *h = hub_new(1, 256, 100);
	fake slow;
	char frame[40];

	memset(frame, 'x', sizeof frame);
	fake_init(&slow);
	slow.gated = true;
	sub_ok(h, A1, &slow, 0);
	ck_assert_int_eq(cf_ws_hub_publish(h, A1, frame, sizeof frame, NULL), 1);
	ck_assert(fake_wait_in_write(&slow));
	ck_assert_int_eq(cf_ws_hub_publish(h, A1, frame, sizeof frame, NULL), 1);
	ck_assert_int_eq(cf_ws_hub_publish(h, A1, frame, sizeof frame, NULL), 1);
	ck_assert_int_eq(cf_ws_hub_state(h, &slow), CF_WS_SUB_ACTIVE);
	ck_assert_int_eq(cf_ws_hub_publish(h, A1, frame, sizeof frame, NULL), 0);
	ck_assert_int_eq(cf_ws_hub_state(h, &slow), CF_WS_SUB_DROPPED);
	fake_set_gate(&slow, false);
	ck_assert(fake_wait_closes(&slow, 1));
	ck_assert_int_eq(cf_ws_hub_wait_idle(h, WAIT_S * 1000), CF_OK);
	ck_assert_uint_eq(slow.n, 1);
	cf_ws_hub_unsubscribe(h, &slow);
	cf_ws_hub_free(h);
	fake_dispose(&slow);
}
END_TEST

/* A failing write drops the subscriber without a close call (the connection is gone). */
START_TEST(test_ws_hub__failed_write_drops_without_close)
{
	cf_ws_hub *h = hub_new(2, 256, 0);
	fake bad, good;
	cf_ws_hub_stats st;

	fake_init(&bad);
	fake_init(&good);
	bad.fail = true;
	sub_ok(h, A1, &bad, 0);
	sub_ok(h, A1, &good, 0);
	for (int i = 1; i <= 10; i++)
		pub(h, A1, i);
	ck_assert_int_eq(cf_ws_hub_wait_idle(h, WAIT_S * 1000), CF_OK);
	ck_assert_int_eq(cf_ws_hub_state(h, &bad), CF_WS_SUB_DROPPED);
	ck_assert_uint_eq(bad.n, 0);
	ck_assert_int_eq(bad.write_done, 1);
	ck_assert_int_eq(bad.closes, 0);
	ck_assert_uint_eq(good.n, 10);
	assert_seqs(&good, 0, 10, 1);
	cf_ws_hub_stats_get(h, &st);
	ck_assert_uint_eq(st.write_failures, 1);
	ck_assert_uint_eq(st.dropped, 1);
	cf_ws_hub_unsubscribe(h, &bad);
	cf_ws_hub_unsubscribe(h, &good);
	cf_ws_hub_free(h);
	fake_dispose(&bad);
	fake_dispose(&good);
}
END_TEST

typedef struct pub_arg {
	cf_ws_hub *h;
	int n;
} pub_arg;

static void *publisher(void *arg)
{
	pub_arg *p = arg;

	for (int i = 1; i <= p->n; i++)
		pub(p->h, A1, i);
	return NULL;
}

/*
 * Unsubscribe while another thread publishes: every subscriber saw a
 * prefix 1..k of the events, in order, and nothing was written to a
 * connection after its unsubscribe returned.
 */
START_TEST(test_ws_hub__unsubscribe_during_publish)
{
	enum { NS = 20, EVENTS = 3000 };
	cf_ws_hub *h = hub_new(4, 8192, 0);
	fake f[NS];
	pthread_t t;
	pub_arg pa = {h, EVENTS};
	size_t at_unsub[NS];

	for (int i = 0; i < NS; i++) {
		fake_init(&f[i]);
		sub_ok(h, A1, &f[i], 0);
	}
	ck_assert_int_eq(pthread_create(&t, NULL, publisher, &pa), 0);
	for (int i = 0; i < NS; i += 2) {
		ck_assert(fake_wait_n(&f[i], (size_t)(i * 50 + 1)));
		cf_ws_hub_unsubscribe(h, &f[i]);
		pthread_mutex_lock(&f[i].mu);
		f[i].gone = true;
		at_unsub[i] = f[i].n;
		pthread_mutex_unlock(&f[i].mu);
	}
	pthread_join(t, NULL);
	ck_assert_int_eq(cf_ws_hub_wait_idle(h, WAIT_S * 1000), CF_OK);
	for (int i = 0; i < NS; i++) {
		ck_assert(!f[i].violation);
		if (i % 2 == 0) {
			ck_assert_uint_eq(f[i].n, at_unsub[i]);
			ck_assert_uint_ge(f[i].n, (size_t)(i * 50 + 1));
			assert_seqs(&f[i], 0, f[i].n, 1);
		} else {
			ck_assert_uint_eq(f[i].n, EVENTS);
			assert_seqs(&f[i], 0, EVENTS, 1);
			cf_ws_hub_unsubscribe(h, &f[i]);
		}
	}
	cf_ws_hub_free(h);
	for (int i = 0; i < NS; i++)
		fake_dispose(&f[i]);
}
END_TEST

typedef struct unsub_arg {
	cf_ws_hub *h;
	fake *f;
	int writes_done_at_return;
} unsub_arg;

static void *unsubscriber(void *arg)
{
	unsub_arg *u = arg;

	cf_ws_hub_unsubscribe(u->h, u->f);
	pthread_mutex_lock(&u->f->mu);
	u->writes_done_at_return = u->f->write_done;
	u->f->gone = true;
	pthread_mutex_unlock(&u->f->mu);
	return NULL;
}

/*
 * civetweb's close handler racing with a write in progress: unsubscribe
 * waits for the write to finish, so the connection is never used after the
 * close handler returns.
 */
START_TEST(test_ws_hub__unsubscribe_waits_for_write_in_progress)
{
	cf_ws_hub *h = hub_new(1, 256, 0);
	fake f;
	pthread_t t;
	unsub_arg u;

	fake_init(&f);
	f.gated = true;
	sub_ok(h, A1, &f, 0);
	pub(h, A1, 1);
	pub(h, A1, 2);
	ck_assert(fake_wait_in_write(&f));
	u.h = h;
	u.f = &f;
	u.writes_done_at_return = -1;
	ck_assert_int_eq(pthread_create(&t, NULL, unsubscriber, &u), 0);
	/* let unsubscribe reach its wait (if it did not wait, the check below fails) */
	nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
	fake_set_gate(&f, false);
	pthread_join(t, NULL);
	ck_assert_int_eq(u.writes_done_at_return, 1);
	ck_assert_int_eq(cf_ws_hub_wait_idle(h, WAIT_S * 1000), CF_OK);
	ck_assert_uint_eq(f.n, 1); /* frame 2 was discarded, never written */
	ck_assert(!f.violation);
	ck_assert_int_eq(cf_ws_hub_state(h, &f), CF_WS_SUB_NONE);
	cf_ws_hub_free(h);
	fake_dispose(&f);
}
END_TEST

static int pub_seq(cf_ws_hub *h, int seq)
{
	char buf[64];
	int len = snprintf(buf, sizeof buf, "{\"seq\":%d}", seq);

	return cf_ws_hub_publish_seq(h, A1, seq, buf, (size_t)len, NULL);
}

/* Join: hold, snapshot at seq 3, release: snapshot first, then 4 and 5 only; duplicates skipped. */
START_TEST(test_ws_hub__hold_release_snapshot_handover)
{
	cf_ws_hub *h = hub_new(2, 256, 0);
	fake f, plain;
	cf_error err = CF_ERROR_INIT;
	const char *snap = "{\"type\":\"snapshot\",\"seq\":3}";

	fake_init(&f);
	fake_init(&plain);
	sub_ok(h, A1, &f, CF_WS_HUB_HOLD);
	sub_ok(h, A1, &plain, 0);
	ck_assert_int_eq(cf_ws_hub_state(h, &f), CF_WS_SUB_HELD);
	for (int i = 1; i <= 5; i++)
		ck_assert_int_eq(pub_seq(h, i), 2);
	ck_assert_int_eq(cf_ws_hub_wait_idle(h, WAIT_S * 1000), CF_OK);
	ck_assert_uint_eq(f.n, 0);
	ck_assert_uint_eq(plain.n, 5);

	ck_assert_int_eq(cf_ws_hub_release(h, &f, snap, strlen(snap), 3, &err), CF_OK);
	ck_assert_int_eq(cf_ws_hub_state(h, &f), CF_WS_SUB_ACTIVE);
	ck_assert_int_eq(pub_seq(h, 5), 0); /* duplicate: skipped by everyone */
	ck_assert_int_eq(pub_seq(h, 6), 2);
	ck_assert_int_eq(cf_ws_hub_send(h, &f, "{\"type\":\"error\"}", 16, &err), CF_OK);
	ck_assert_int_eq(cf_ws_hub_publish(h, A1, "{\"type\":\"extended\"}", 19, &err), 2);
	ck_assert_int_eq(cf_ws_hub_wait_idle(h, WAIT_S * 1000), CF_OK);

	ck_assert_uint_eq(f.n, 6);
	ck_assert_str_eq(f.frames[0], snap);
	assert_seqs(&f, 1, 3, 4);
	ck_assert_str_eq(f.frames[4], "{\"type\":\"error\"}");
	ck_assert_str_eq(f.frames[5], "{\"type\":\"extended\"}");
	ck_assert_uint_eq(plain.n, 7);
	assert_seqs(&plain, 0, 6, 1);

	/* releasing an active subscriber just queues the frame */
	ck_assert_int_eq(cf_ws_hub_release(h, &plain, "s", 1, 0, &err), CF_OK);
	ck_assert_int_eq(cf_ws_hub_wait_idle(h, WAIT_S * 1000), CF_OK);
	ck_assert_str_eq(plain.frames[7], "s");

	cf_ws_hub_unsubscribe(h, &f);
	cf_ws_hub_unsubscribe(h, &plain);
	cf_ws_hub_free(h);
	fake_dispose(&f);
	fake_dispose(&plain);
}
END_TEST

/* A held subscriber whose queue overflows before release is dropped too. */
START_TEST(test_ws_hub__held_overflow_drops)
{
	cf_ws_hub *h = hub_new(1, 4, 0);
	fake f;
	cf_error err = CF_ERROR_INIT;

	fake_init(&f);
	sub_ok(h, A1, &f, CF_WS_HUB_HOLD);
	for (int i = 1; i <= 5; i++)
		pub_seq(h, i);
	ck_assert_int_eq(cf_ws_hub_state(h, &f), CF_WS_SUB_DROPPED);
	ck_assert_int_eq(cf_ws_hub_release(h, &f, "s", 1, 0, &err), CF_ECONFLICT);
	ck_assert(fake_wait_closes(&f, 1));
	ck_assert_int_eq(cf_ws_hub_wait_idle(h, WAIT_S * 1000), CF_OK);
	ck_assert_uint_eq(f.n, 0);
	cf_ws_hub_unsubscribe(h, &f);
	cf_ws_hub_free(h);
	fake_dispose(&f);
}
END_TEST

static void collect_id(const char *id, void *user)
{
	int *n = user;

	ck_assert(strcmp(id, A1) == 0 || strcmp(id, A2) == 0);
	(*n)++;
}

START_TEST(test_ws_hub__arguments_and_lookups)
{
	cf_ws_hub *h = hub_new(1, 0, 0);
	cf_ws_hub_config bad;
	cf_ws_hub *none = (cf_ws_hub *)&bad;
	fake f, g, k;
	cf_error err = CF_ERROR_INIT;
	char longid[80];
	int seen = 0;

	fake_init(&f);
	fake_init(&g);
	fake_init(&k);
	memset(&bad, 0, sizeof bad);
	bad.senders = -1;
	ck_assert_int_eq(cf_ws_hub_new(&none, &bad, &err), CF_EINVALID);
	ck_assert_ptr_null(none);

	memset(longid, 'a', sizeof longid - 1);
	longid[sizeof longid - 1] = '\0';
	ck_assert_int_eq(cf_ws_hub_subscribe(h, longid, &f, 0, &err), CF_EINVALID);
	ck_assert_int_eq(cf_ws_hub_subscribe(h, "", &f, 0, &err), CF_EINVALID);
	ck_assert_int_eq(cf_ws_hub_subscribe(h, A1, NULL, 0, &err), CF_EINVALID);
	ck_assert_int_eq(cf_ws_hub_subscribe(h, A1, &f, 8, &err), CF_EINVALID);
	sub_ok(h, A1, &f, 0);
	ck_assert_int_eq(cf_ws_hub_subscribe(h, A2, &f, 0, &err), CF_EEXISTS);
	sub_ok(h, A2, &g, 0);
	sub_ok(h, A1, &k, 0);
	ck_assert_int_eq(cf_ws_hub_auctions(h, collect_id, &seen), 2);
	ck_assert_int_eq(seen, 2);

	ck_assert_int_eq(cf_ws_hub_send(h, (void *)&seen, "x", 1, &err), CF_ENOTFOUND);
	ck_assert_int_eq(cf_ws_hub_release(h, (void *)&seen, NULL, 0, 0, &err), CF_ENOTFOUND);
	ck_assert_int_eq(cf_ws_hub_publish_seq(h, A1, 0, "x", 1, &err), CF_EINVALID);
	ck_assert_int_eq(cf_ws_hub_publish(h, NULL, "x", 1, &err), CF_EINVALID);
	ck_assert_int_eq(cf_ws_hub_state(h, (void *)&seen), CF_WS_SUB_NONE);
	cf_ws_hub_unsubscribe(h, (void *)&seen); /* unknown: ignored */

	/* an empty frame is a frame */
	ck_assert_int_eq(cf_ws_hub_publish(h, A2, "", 0, &err), 1);
	ck_assert_int_eq(cf_ws_hub_wait_idle(h, WAIT_S * 1000), CF_OK);
	ck_assert_uint_eq(g.n, 1);
	ck_assert_str_eq(g.frames[0], "");

	/* free with subscribers still present forgets them without writing */
	cf_ws_hub_publish(h, A1, "late", 4, &err);
	cf_ws_hub_free(h);
	cf_ws_hub_free(NULL);
	fake_dispose(&f);
	fake_dispose(&g);
	fake_dispose(&k);
}
END_TEST

static Suite *ws_hub_suite(void)
{
	Suite *s = suite_create("ws_hub");
	TCase *tc = tcase_create("fake_connections");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ws_hub__in_order_per_subscriber);
	tcase_add_test(tc, test_ws_hub__fan_out_by_auction);
	tcase_add_test(tc, test_ws_hub__slow_subscriber_dropped_others_unaffected);
	tcase_add_test(tc, test_ws_hub__byte_bound_drops);
	tcase_add_test(tc, test_ws_hub__failed_write_drops_without_close);
	tcase_add_test(tc, test_ws_hub__unsubscribe_during_publish);
	tcase_add_test(tc, test_ws_hub__unsubscribe_waits_for_write_in_progress);
	tcase_add_test(tc, test_ws_hub__hold_release_snapshot_handover);
	tcase_add_test(tc, test_ws_hub__held_overflow_drops);
	tcase_add_test(tc, test_ws_hub__arguments_and_lookups);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ws_hub_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
