/*
 * test_ratelimit.c - sliding-window failure counters (ratelimit.h): the
 * limit, the window arithmetic, reset, the disabled limiter, eviction of
 * the least recently recorded key and the lazy purge of idle keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ratelimit.h"

#define W 60 /* window seconds */

static void record_n(ratelimit *rl, const char *key, int n, int64_t t)
{
    for (int i = 0; i < n; i++)
        assert_int_equal(ratelimit_record(rl, key, t), 0);
}

static void test_blocks_at_limit(void **state)
{
    (void)state;
    ratelimit *rl = ratelimit_new(3, W, 100);
    assert_non_null(rl);
    assert_false(ratelimit_blocked(rl, "alice", 0));
    record_n(rl, "alice", 2, 0);
    assert_false(ratelimit_blocked(rl, "alice", 1));
    record_n(rl, "alice", 1, 1);
    assert_true(ratelimit_blocked(rl, "alice", 1));
    assert_true(ratelimit_blocked(rl, "alice", W - 1));
    /* Keys are independent and exact. */
    assert_false(ratelimit_blocked(rl, "bob", 1));
    assert_false(ratelimit_blocked(rl, "alic", 1));
    assert_false(ratelimit_blocked(rl, "Alice", 1));
    assert_int_equal(ratelimit_count(rl), 1);
    ratelimit_free(rl);
}

/* Three failures early in [0, W): the previous window's weight falls
 * linearly through the next one. */
static void test_sliding_window(void **state)
{
    (void)state;
    ratelimit *rl = ratelimit_new(3, W, 100);
    record_n(rl, "k", 3, 0);
    assert_true(ratelimit_blocked(rl, "k", W - 1));
    assert_true(ratelimit_blocked(rl, "k", W));      /* 3 * 60/60 = 3 */
    assert_false(ratelimit_blocked(rl, "k", W + 1)); /* 3 * 59/60 < 3 */
    /* One more failure now brings it back over. */
    record_n(rl, "k", 1, W + 1);
    assert_true(ratelimit_blocked(rl, "k", W + 1));
    /* Half-way through: 3 * 30/60 + 1 = 2.5. */
    assert_false(ratelimit_blocked(rl, "k", W + W / 2));
    record_n(rl, "k", 1, W + W / 2);
    assert_true(ratelimit_blocked(rl, "k", W + W / 2)); /* 3.5 */
    /* Two windows later everything is forgotten. */
    assert_false(ratelimit_blocked(rl, "k", 3 * W));
    ratelimit_free(rl);
}

/* A steady attacker at twice the limit whose refused tries do not count
 * gets about limit tries per window through. */
static void test_steady_rate_is_held_to_the_limit(void **state)
{
    (void)state;
    ratelimit *rl = ratelimit_new(10, W, 100);
    int allowed = 0;
    for (int64_t t = 0; t < 10 * W; t += 3) { /* 20 tries per window */
        if (!ratelimit_blocked(rl, "x", t)) {
            allowed++;
            record_n(rl, "x", 1, t);
        }
    }
    assert_in_range(allowed, 95, 105); /* 10 windows */
    ratelimit_free(rl);
}

/* When refused tries count too (as the login endpoint does), an attacker
 * who keeps trying gets nothing after the first burst. */
static void test_persistent_attacker_stays_blocked(void **state)
{
    (void)state;
    ratelimit *rl = ratelimit_new(10, W, 100);
    int allowed = 0;
    for (int64_t t = 0; t < 10 * W; t += 3) {
        if (!ratelimit_blocked(rl, "x", t))
            allowed++;
        record_n(rl, "x", 1, t);
    }
    assert_int_equal(allowed, 10);
    /* Once it stops for two windows, the key is free again. */
    assert_false(ratelimit_blocked(rl, "x", 12 * W));
    ratelimit_free(rl);
}

static void test_reset(void **state)
{
    (void)state;
    ratelimit *rl = ratelimit_new(2, W, 100);
    record_n(rl, "a", 5, 10);
    assert_true(ratelimit_blocked(rl, "a", 10));
    ratelimit_reset(rl, "a");
    assert_false(ratelimit_blocked(rl, "a", 10));
    assert_int_equal(ratelimit_count(rl), 0);
    ratelimit_reset(rl, "never-seen");
    ratelimit_free(rl);
}

static void test_limit_zero_never_blocks(void **state)
{
    (void)state;
    ratelimit *rl = ratelimit_new(0, W, 100);
    record_n(rl, "a", 50, 0);
    assert_false(ratelimit_blocked(rl, "a", 0));
    assert_int_equal(ratelimit_count(rl), 1);
    ratelimit_free(rl);
}

/* max_keys 3: a new key evicts the one recorded least recently. */
static void test_eviction_of_least_recent(void **state)
{
    (void)state;
    ratelimit *rl = ratelimit_new(1, W, 3);
    record_n(rl, "a", 1, 0);
    record_n(rl, "b", 1, 1);
    record_n(rl, "c", 1, 2);
    record_n(rl, "a", 1, 3); /* a is now the most recent */
    record_n(rl, "d", 1, 4); /* evicts b */
    assert_int_equal(ratelimit_count(rl), 3);
    assert_true(ratelimit_blocked(rl, "a", 4));
    assert_false(ratelimit_blocked(rl, "b", 4));
    assert_true(ratelimit_blocked(rl, "c", 4));
    assert_true(ratelimit_blocked(rl, "d", 4));
    record_n(rl, "e", 1, 5); /* evicts c */
    assert_false(ratelimit_blocked(rl, "c", 5));
    assert_true(ratelimit_blocked(rl, "a", 5));
    assert_int_equal(ratelimit_count(rl), 3);
    ratelimit_free(rl);
}

static void test_idle_keys_are_purged(void **state)
{
    (void)state;
    ratelimit *rl = ratelimit_new(5, W, 1000);
    char key[32];
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "10.0.0.%d", i);
        record_n(rl, key, 1, 0);
    }
    record_n(rl, "late", 1, W);
    assert_int_equal(ratelimit_count(rl), 101);
    record_n(rl, "later", 1, 2 * W); /* the first 100 are two windows idle */
    assert_int_equal(ratelimit_count(rl), 2);
    ratelimit_free(rl);
}

/* Enough keys to make the table grow several times. */
static void test_many_keys(void **state)
{
    (void)state;
    ratelimit *rl = ratelimit_new(2, W, 10000);
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "user%d@example.com", i);
        record_n(rl, key, (i % 2) ? 2 : 1, 7);
    }
    assert_int_equal(ratelimit_count(rl), 5000);
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "user%d@example.com", i);
        assert_int_equal(ratelimit_blocked(rl, key, 8), i % 2 == 1);
    }
    ratelimit_free(rl);
    ratelimit_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_at_limit),
        cmocka_unit_test(test_sliding_window),
        cmocka_unit_test(test_steady_rate_is_held_to_the_limit),
        cmocka_unit_test(test_persistent_attacker_stays_blocked),
        cmocka_unit_test(test_reset),
        cmocka_unit_test(test_limit_zero_never_blocks),
        cmocka_unit_test(test_eviction_of_least_recent),
        cmocka_unit_test(test_idle_keys_are_purged),
        cmocka_unit_test(test_many_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
