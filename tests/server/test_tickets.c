/*
 * test_tickets.c - Passport tickets (tickets.h, msnp.md 2.4 and 2.6.3):
 * shape and charset, binding to the handle, single use, expiry under an
 * injected clock, lazy purge, and the cap on outstanding tickets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tickets.h"

#define ALICE "alice@example.com"
#define TTL 600

static int64_t fake_now;

static int64_t fake_clock(void *ctx)
{
    (void)ctx;
    return fake_now;
}

static int setup(void **state)
{
    tickets *tk = tickets_new(TTL);
    if (!tk)
        return -1;
    fake_now = 1000;
    tickets_set_clock(tk, fake_clock, NULL);
    *state = tk;
    return 0;
}

static int teardown(void **state)
{
    tickets_free(*state);
    return 0;
}

static char *issue(tickets *tk, const char *handle)
{
    char *t = NULL;
    assert_int_equal(tickets_issue(tk, handle, &t), 0);
    assert_non_null(t);
    return t;
}

static bool token_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '!' || c == '*' || c == '$';
}

/* "t=" 43 chars "&p=" 43 chars, nothing a from-PP='...' could trip on. */
static void test_shape_and_charset(void **state)
{
    tickets *tk = *state;
    for (int n = 0; n < 50; n++) {
        char *t = issue(tk, ALICE);
        assert_int_equal(strlen(t), 2 + TICKETS_TOKEN_LEN + 3 + TICKETS_TOKEN_LEN);
        assert_memory_equal(t, "t=", 2);
        assert_memory_equal(t + 2 + TICKETS_TOKEN_LEN, "&p=", 3);
        for (size_t i = 0; i < TICKETS_TOKEN_LEN; i++) {
            assert_true(token_char(t[2 + i]));
            assert_true(token_char(t[5 + TICKETS_TOKEN_LEN + i]));
        }
        assert_null(strpbrk(t, "', "));
        free(t);
    }
    assert_true(TICKETS_TOKEN_LEN >= 43);
}

static void test_tokens_differ(void **state)
{
    tickets *tk = *state;
    char *a = issue(tk, ALICE), *b = issue(tk, ALICE);
    assert_string_not_equal(a, b);
    assert_memory_not_equal(a + 2, b + 2, TICKETS_TOKEN_LEN);
    /* t and p are independent. */
    assert_memory_not_equal(a + 2, a + 5 + TICKETS_TOKEN_LEN, TICKETS_TOKEN_LEN);
    free(a);
    free(b);
}

static void test_consume_full_ticket_once(void **state)
{
    tickets *tk = *state;
    char *t = issue(tk, ALICE);
    assert_int_equal(tickets_count(tk), 1);
    assert_int_equal(tickets_consume(tk, t, ALICE), 0);
    assert_int_equal(tickets_count(tk), 0);
    assert_int_equal(tickets_consume(tk, t, ALICE), -1); /* single use */
    free(t);
}

/* "t=T", the bare "T", and "T&p=P" are accepted forms of the same ticket. */
static void test_consume_accepted_forms(void **state)
{
    tickets *tk = *state;
    char buf[128];

    char *t = issue(tk, ALICE);
    snprintf(buf, sizeof buf, "t=%.*s", TICKETS_TOKEN_LEN, t + 2);
    assert_int_equal(tickets_consume(tk, buf, ALICE), 0);
    free(t);

    t = issue(tk, ALICE);
    snprintf(buf, sizeof buf, "%.*s", TICKETS_TOKEN_LEN, t + 2);
    assert_int_equal(tickets_consume(tk, buf, ALICE), 0);
    free(t);

    t = issue(tk, ALICE);
    assert_int_equal(tickets_consume(tk, t + 2, ALICE), 0); /* "T&p=P" */
    free(t);
}

static void test_handle_binding(void **state)
{
    tickets *tk = *state;
    /* Case-insensitive both ways. */
    char *t = issue(tk, "Alice@Example.COM");
    assert_int_equal(tickets_consume(tk, t, "ALICE@example.com"), 0);
    free(t);

    /* Another handle: refused, and the ticket is burnt. */
    t = issue(tk, ALICE);
    assert_int_equal(tickets_consume(tk, t, "bob@example.org"), -1);
    assert_int_equal(tickets_consume(tk, t, ALICE), -1);
    free(t);

    /* A handle that is a prefix or extension does not match. */
    t = issue(tk, ALICE);
    assert_int_equal(tickets_consume(tk, t, "alice@example.co"), -1);
    free(t);
    t = issue(tk, ALICE);
    assert_int_equal(tickets_consume(tk, t, "alice@example.comm"), -1);
    free(t);
}

static void test_expiry(void **state)
{
    tickets *tk = *state;
    char *t1 = issue(tk, ALICE);
    fake_now += TTL - 1;
    assert_int_equal(tickets_consume(tk, t1, ALICE), 0); /* last valid second */
    char *t2 = issue(tk, ALICE);
    fake_now += TTL;
    assert_int_equal(tickets_consume(tk, t2, ALICE), -1); /* expired */
    free(t1);
    free(t2);
}

/* Expired tickets leave memory on the next call without being redeemed. */
static void test_lazy_purge(void **state)
{
    tickets *tk = *state;
    for (int i = 0; i < 100; i++)
        free(issue(tk, ALICE));
    fake_now += TTL / 2;
    for (int i = 0; i < 10; i++)
        free(issue(tk, "bob@example.org"));
    assert_int_equal(tickets_count(tk), 110);
    fake_now += TTL / 2; /* the first 100 expire now */
    assert_int_equal(tickets_consume(tk, "t=unknown", ALICE), -1);
    assert_int_equal(tickets_count(tk), 10);
    fake_now += TTL;
    free(issue(tk, ALICE));
    assert_int_equal(tickets_count(tk), 1);
}

static void test_cap_drops_oldest(void **state)
{
    tickets *tk = *state;
    tickets_set_max(tk, 3);
    char *t[5];
    for (int i = 0; i < 5; i++)
        t[i] = issue(tk, ALICE);
    assert_int_equal(tickets_count(tk), 3);
    assert_int_equal(tickets_consume(tk, t[0], ALICE), -1);
    assert_int_equal(tickets_consume(tk, t[1], ALICE), -1);
    assert_int_equal(tickets_consume(tk, t[2], ALICE), 0);
    assert_int_equal(tickets_consume(tk, t[4], ALICE), 0);
    /* Lowering the cap drops at once. */
    free(issue(tk, ALICE));
    tickets_set_max(tk, 1);
    assert_int_equal(tickets_count(tk), 1);
    assert_int_equal(tickets_consume(tk, t[3], ALICE), -1);
    for (int i = 0; i < 5; i++)
        free(t[i]);
    assert_int_equal(TICKETS_DEFAULT_MAX, 1000000);
}

static void test_garbage_is_refused(void **state)
{
    tickets *tk = *state;
    char *t = issue(tk, ALICE);
    char buf[128];
    const char *bad[] = {
        "", "t=", "&p=x", "t=&p=x", "p=abc", "t=a'b", "t=abc&q=1",
        "t=0123456789012345678901234567890123456789012345",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(tickets_consume(tk, bad[i], ALICE), -1);
    /* The right token with one character changed. */
    snprintf(buf, sizeof buf, "%s", t);
    buf[10] = buf[10] == 'A' ? 'B' : 'A';
    assert_int_equal(tickets_consume(tk, buf, ALICE), -1);
    /* Prefix of the right token. */
    snprintf(buf, sizeof buf, "t=%.*s", TICKETS_TOKEN_LEN - 1, t + 2);
    assert_int_equal(tickets_consume(tk, buf, ALICE), -1);
    assert_int_equal(tickets_consume(tk, NULL, ALICE), -1);
    assert_int_equal(tickets_consume(tk, t, NULL), -1);
    /* None of that burnt the real ticket. */
    assert_int_equal(tickets_consume(tk, t, ALICE), 0);
    free(t);
}

static void test_issue_rejects_bad_handles(void **state)
{
    tickets *tk = *state;
    char sentinel = 0;
    char *t = &sentinel;
    assert_int_equal(tickets_issue(tk, "", &t), -1);
    assert_null(t);
    assert_int_equal(tickets_issue(tk, NULL, &t), -1);
    char longh[TICKETS_MAX_HANDLE + 2];
    memset(longh, 'a', sizeof longh - 1);
    longh[sizeof longh - 1] = '\0';
    assert_int_equal(tickets_issue(tk, longh, &t), -1);
    longh[TICKETS_MAX_HANDLE] = '\0';
    t = issue(tk, longh);
    assert_int_equal(tickets_consume(tk, t, longh), 0);
    free(t);
}

/* The default clock is a real one: a fresh ticket is valid right away. */
static void test_default_clock(void **state)
{
    (void)state;
    tickets *tk = tickets_new(0); /* ttl 0 is treated as 1 second */
    assert_non_null(tk);
    char *t = issue(tk, ALICE);
    tickets_set_clock(tk, NULL, NULL);
    assert_int_equal(tickets_consume(tk, t, ALICE), 0);
    free(t);
    tickets_free(tk);
    tickets_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shape_and_charset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tokens_differ, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consume_full_ticket_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consume_accepted_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handle_binding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lazy_purge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap_drops_oldest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_garbage_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_issue_rejects_bad_handles, setup, teardown),
        cmocka_unit_test(test_default_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
