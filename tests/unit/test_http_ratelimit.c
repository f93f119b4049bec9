/*
 * test_http_ratelimit.c - adapters/http/http_ratelimit.c's bucket table with
 * an injected clock (every call passes `now` explicitly; nothing sleeps):
 * burst then refusal, refill over time, Retry-After values, LRU eviction
 * under many keys with bounded size, the exempt paths, and a 4-thread
 * smoke test that admits exactly the burst.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "http_ratelimit.h"

START_TEST(test_disabled_or_invalid_has_no_table)
{
	ck_assert_ptr_null(cf_http_ratelimit_new(0, 100, 0));
	ck_assert_ptr_null(cf_http_ratelimit_new(50000, 0, 0));
	ck_assert_ptr_null(cf_http_ratelimit_new(1000, CF_HTTP_RATELIMIT_MAX + 1, 0));
	ck_assert_ptr_null(cf_http_ratelimit_new(CF_HTTP_RATELIMIT_MAX * 1000u + 1, 1, 0));
	cf_http_ratelimit_free(NULL);
}
END_TEST

START_TEST(test_burst_then_refusal)
{
	cf_http_ratelimit *rl = cf_http_ratelimit_new(1000, 3, 0);
	int retry = -7;

	ck_assert_ptr_nonnull(rl);
	for (int i = 0; i < 3; i++)
		ck_assert(cf_http_ratelimit_take(rl, "a:10.0.0.1", 1000, &retry));
	ck_assert_int_eq(retry, -7); /* untouched while admitted */
	ck_assert(!cf_http_ratelimit_take(rl, "a:10.0.0.1", 1000, &retry));
	ck_assert_int_eq(retry, 1);
	/* refusals take nothing: still refused, still 1 s */
	ck_assert(!cf_http_ratelimit_take(rl, "a:10.0.0.1", 1000, &retry));
	ck_assert_int_eq(retry, 1);
	/* another key has its own bucket */
	ck_assert(cf_http_ratelimit_take(rl, "a:10.0.0.2", 1000, NULL));
	ck_assert(cf_http_ratelimit_take(rl, "u:someone", 1000, NULL));
	ck_assert_uint_eq(cf_http_ratelimit_count(rl), 3);
	cf_http_ratelimit_free(rl);
}
END_TEST

START_TEST(test_refill_over_time)
{
	cf_http_ratelimit *rl = cf_http_ratelimit_new(2000, 4, 0); /* a token per 500 ms */
	int retry = 0;

	ck_assert_ptr_nonnull(rl);
	for (int i = 0; i < 4; i++)
		ck_assert(cf_http_ratelimit_take(rl, "k", 0, NULL));
	ck_assert(!cf_http_ratelimit_take(rl, "k", 0, &retry));
	ck_assert(!cf_http_ratelimit_take(rl, "k", 499, &retry)); /* 0.998 token */
	ck_assert(cf_http_ratelimit_take(rl, "k", 500, NULL));    /* exactly one */
	ck_assert(!cf_http_ratelimit_take(rl, "k", 500, &retry));
	/* a long idle period refills to the burst, never beyond */
	int64_t t = 500 + 3600 * 1000;
	for (int i = 0; i < 4; i++)
		ck_assert(cf_http_ratelimit_take(rl, "k", t, NULL));
	ck_assert(!cf_http_ratelimit_take(rl, "k", t, &retry));
	/* a clock that goes backwards adds nothing */
	ck_assert(!cf_http_ratelimit_take(rl, "k", t - 10000, &retry));
	ck_assert(cf_http_ratelimit_take(rl, "k", t + 500, NULL));
	/* a huge jump does not overflow */
	ck_assert(cf_http_ratelimit_take(rl, "k", INT64_MAX / 2, NULL));
	cf_http_ratelimit_free(rl);
}
END_TEST

START_TEST(test_retry_after_values)
{
	int retry = 0;
	cf_http_ratelimit *slow = cf_http_ratelimit_new(250, 1, 0);     /* one per 4 s */
	cf_http_ratelimit *one = cf_http_ratelimit_new(1000, 2, 0);     /* one per second */
	cf_http_ratelimit *fast = cf_http_ratelimit_new(50000, 100, 0); /* one per 20 ms */

	ck_assert_ptr_nonnull(slow);
	ck_assert_ptr_nonnull(one);
	ck_assert_ptr_nonnull(fast);
	/* the wait for the missing part of a token, rounded up to whole seconds */
	ck_assert(cf_http_ratelimit_take(slow, "k", 0, NULL));
	ck_assert(!cf_http_ratelimit_take(slow, "k", 0, &retry));
	ck_assert_int_eq(retry, 4);
	ck_assert(!cf_http_ratelimit_take(slow, "k", 1000, &retry)); /* 0.25 token there */
	ck_assert_int_eq(retry, 3);
	ck_assert(!cf_http_ratelimit_take(slow, "k", 2001, &retry)); /* 1999 ms to go */
	ck_assert_int_eq(retry, 2);
	ck_assert(!cf_http_ratelimit_take(slow, "k", 3999, &retry)); /* 1 ms to go */
	ck_assert_int_eq(retry, 1);
	ck_assert(cf_http_ratelimit_take(slow, "k", 4000, NULL));
	/* 1/s: never more than 1 s, never less */
	ck_assert(cf_http_ratelimit_take(one, "k", 0, NULL));
	ck_assert(cf_http_ratelimit_take(one, "k", 0, NULL));
	for (int64_t t = 0; t < 1000; t += 97) {
		ck_assert(!cf_http_ratelimit_take(one, "k", t, &retry));
		ck_assert_int_eq(retry, 1);
	}
	ck_assert(cf_http_ratelimit_take(one, "k", 1000, NULL));
	/* 50/s: a token is 20 ms away, Retry-After is still at least 1 */
	for (int i = 0; i < 100; i++)
		ck_assert(cf_http_ratelimit_take(fast, "k", 0, NULL));
	ck_assert(!cf_http_ratelimit_take(fast, "k", 0, &retry));
	ck_assert_int_eq(retry, 1);
	ck_assert(!cf_http_ratelimit_take(fast, "k", 19, &retry));
	ck_assert(cf_http_ratelimit_take(fast, "k", 20, NULL));
	cf_http_ratelimit_free(slow);
	cf_http_ratelimit_free(one);
	cf_http_ratelimit_free(fast);
}
END_TEST

START_TEST(test_eviction_under_many_keys)
{
	/* one set of CF_HTTP_RATELIMIT_WAYS entries */
	cf_http_ratelimit *rl = cf_http_ratelimit_new(1000, 2, 1);
	char key[32];
	size_t cap;
	int64_t t = 0;

	ck_assert_ptr_nonnull(rl);
	cap = cf_http_ratelimit_capacity(rl);
	ck_assert_uint_eq(cap, CF_HTTP_RATELIMIT_WAYS);
	/* "hot" spends its burst, then stays in use */
	ck_assert(cf_http_ratelimit_take(rl, "hot", t, NULL));
	ck_assert(cf_http_ratelimit_take(rl, "hot", t, NULL));
	/* a flood of distinct keys never grows the table */
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "a:flood-%d", i);
		ck_assert(cf_http_ratelimit_take(rl, key, t, NULL));
		ck_assert_uint_le(cf_http_ratelimit_count(rl), cap);
		if (i % 8 == 0) { /* hot is used often: it is never the LRU entry */
			t++;
			ck_assert(!cf_http_ratelimit_take(rl, "hot", t, NULL));
		}
	}
	ck_assert_uint_eq(cf_http_ratelimit_count(rl), cap);
	/* hot was kept (still nearly empty): refused at once */
	ck_assert(!cf_http_ratelimit_take(rl, "hot", t, NULL));

	/* a key evicted while empty comes back with a full burst */
	ck_assert(cf_http_ratelimit_take(rl, "cold", t, NULL));
	ck_assert(cf_http_ratelimit_take(rl, "cold", t, NULL));
	ck_assert(!cf_http_ratelimit_take(rl, "cold", t, NULL));
	for (size_t i = 0; i < cap; i++) {
		snprintf(key, sizeof key, "a:later-%zu", i);
		ck_assert(cf_http_ratelimit_take(rl, key, t + 1, NULL));
	}
	ck_assert(cf_http_ratelimit_take(rl, "cold", t + 1, NULL));
	ck_assert_uint_eq(cf_http_ratelimit_count(rl), cap);
	cf_http_ratelimit_free(rl);
}
END_TEST

START_TEST(test_capacity_rounding_and_default)
{
	cf_http_ratelimit *a = cf_http_ratelimit_new(1000, 1, 0);
	cf_http_ratelimit *b = cf_http_ratelimit_new(1000, 1, 100);

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_ge(cf_http_ratelimit_capacity(a), CF_HTTP_RATELIMIT_DEFAULT_CAPACITY);
	ck_assert_uint_eq(cf_http_ratelimit_capacity(b), 8 * CF_HTTP_RATELIMIT_WAYS);
	/* many keys over many sets: all kept while they fit */
	char key[32];
	for (int i = 0; i < 20; i++) {
		snprintf(key, sizeof key, "k%d", i);
		ck_assert(cf_http_ratelimit_take(a, key, 0, NULL));
	}
	ck_assert_uint_eq(cf_http_ratelimit_count(a), 20);
	cf_http_ratelimit_free(a);
	cf_http_ratelimit_free(b);
}
END_TEST

START_TEST(test_long_keys_are_cut_not_overrun)
{
	cf_http_ratelimit *rl = cf_http_ratelimit_new(1000, 1, 0);
	char a[200], b[200];

	ck_assert_ptr_nonnull(rl);
	memset(a, 'x', sizeof a - 1);
	a[sizeof a - 1] = '\0';
	memcpy(b, a, sizeof b);
	b[150] = 'y'; /* differs only past the kept prefix: same bucket */
	ck_assert(cf_http_ratelimit_take(rl, a, 0, NULL));
	ck_assert(!cf_http_ratelimit_take(rl, b, 0, NULL));
	ck_assert_uint_eq(cf_http_ratelimit_count(rl), 1);
	cf_http_ratelimit_free(rl);
}
END_TEST

START_TEST(test_exempt_paths)
{
	ck_assert(cf_http_ratelimit_exempt("/healthz"));
	ck_assert(cf_http_ratelimit_exempt("/readyz"));
	ck_assert(cf_http_ratelimit_exempt("/metrics"));
	ck_assert(!cf_http_ratelimit_exempt("/healthz/x"));
	ck_assert(!cf_http_ratelimit_exempt("/api/v1/auth/login"));
	ck_assert(!cf_http_ratelimit_exempt(""));
	ck_assert(!cf_http_ratelimit_exempt(NULL));
}
END_TEST

#define THREADS 4
#define TRIES   20000
#define BURST   30000

typedef struct worker {
	cf_http_ratelimit *shared; /* one key, the clock stopped: exactly BURST admitted */
	cf_http_ratelimit *churn;  /* distinct keys through a small table: evictions */
	int id;
	int admitted;
} worker;

static void *work(void *arg)
{
	worker *w = arg;
	char key[32];

	for (int i = 0; i < TRIES; i++) {
		if (cf_http_ratelimit_take(w->shared, "u:shared", 0, NULL))
			w->admitted++;
		snprintf(key, sizeof key, "a:%d-%d", w->id, i);
		cf_http_ratelimit_take(w->churn, key, i, NULL);
		cf_http_ratelimit_take(w->churn, "a:common", i, NULL);
	}
	return NULL;
}

START_TEST(test_threads_admit_exactly_the_burst)
{
	cf_http_ratelimit *shared = cf_http_ratelimit_new(1000, BURST, 0);
	cf_http_ratelimit *churn = cf_http_ratelimit_new(1000, 5, 64);
	pthread_t th[THREADS];
	worker w[THREADS];
	int total = 0;

	ck_assert_ptr_nonnull(shared);
	ck_assert_ptr_nonnull(churn);
	for (int i = 0; i < THREADS; i++) {
		w[i] = (worker){shared, churn, i, 0};
		ck_assert_int_eq(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
		total += w[i].admitted;
	}
	/* 4 x TRIES attempts on one bucket that never refills: a lost update
	 * would admit more (or fewer) than the burst */
	ck_assert_int_eq(total, BURST);
	ck_assert_uint_eq(cf_http_ratelimit_count(shared), 1);
	ck_assert_uint_eq(cf_http_ratelimit_count(churn), cf_http_ratelimit_capacity(churn));
	ck_assert_uint_eq(cf_http_ratelimit_capacity(churn), 64);
	cf_http_ratelimit_free(shared);
	cf_http_ratelimit_free(churn);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("http_ratelimit");
	TCase *tc = tcase_create("buckets");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_disabled_or_invalid_has_no_table);
	tcase_add_test(tc, test_burst_then_refusal);
	tcase_add_test(tc, test_refill_over_time);
	tcase_add_test(tc, test_retry_after_values);
	tcase_add_test(tc, test_eviction_under_many_keys);
	tcase_add_test(tc, test_capacity_rounding_and_default);
	tcase_add_test(tc, test_long_keys_are_cut_not_overrun);
	tcase_add_test(tc, test_exempt_paths);
	tcase_add_test(tc, test_threads_admit_exactly_the_burst);
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
