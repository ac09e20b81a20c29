/*
 * test_host.c - the members that go through the host-UI callback table:
 * OptionsPages, MediaWizard, FindContact, Signin without credentials, and
 * OpenInbox / SendMail / ViewProfile, whose page addresses come from a
 * real msgrd (URL command).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "harness.h"

static const char *const users[] = { "gina@example.com", "gina-pw",
                                     "hank@example.com", "hank-pw", NULL };

typedef struct host_log {
    bool options_open;
    int options_page;
    int wizard_calls;
    char signin_prefill[64];
    char find[160];
    char page[4][300];
    int npages;
} host_log;

static msgr_hr show_signin(void *ud, msgr_messenger *m, const char *name)
{
    host_log *h = ud;
    (void)m;
    snprintf(h->signin_prefill, sizeof h->signin_prefill, "%s", name);
    return MSGR_S_OK;
}

/* A host that applies the busy-UI rule for its Options dialog. */
static msgr_hr show_options(void *ud, msgr_messenger *m, MOPTIONPAGE page)
{
    host_log *h = ud;
    (void)m;
    h->options_page = (int)page;
    if (h->options_open)
        return MSGR_S_FALSE; /* already open: switched to the page */
    h->options_open = true;
    return MSGR_S_OK;
}

static msgr_hr show_wizard(void *ud, msgr_messenger *m)
{
    host_log *h = ud;
    (void)m;
    h->wizard_calls++;
    return h->options_open ? MSGR_E_OPTION_UI_ACTIVE : MSGR_S_OK;
}

static msgr_hr show_find(void *ud, msgr_messenger *m, const char *first, const char *last,
                         const char *city, const char *state, const char *country)
{
    host_log *h = ud;
    (void)m;
    snprintf(h->find, sizeof h->find, "%s|%s|%s|%s|%s", first, last, city ? city : "-",
             state ? state : "-", country ? country : "-");
    return MSGR_S_OK;
}

static void open_page(void *ud, msgr_messenger *m, const char *service, const char *subject,
                      const char *redirect, const char *post, uint32_t site)
{
    host_log *h = ud;
    (void)m;
    if (h->npages < 4)
        snprintf(h->page[h->npages++], sizeof h->page[0], "%s %s %s %s %lu", service,
                 subject ? subject : "-", redirect, post, (unsigned long)site);
}

static const msgr_host_ui host_ui = { .show_signin = show_signin,
                                      .show_options = show_options,
                                      .show_find_contact = show_find,
                                      .show_media_wizard = show_wizard,
                                      .open_service_page = open_page };

typedef struct fixture {
    msgrd d;
    msgr_messenger *m;
    recorder rec;
    host_log host;
    char cache[400];
} fixture;

static int setup(void **state)
{
    static fixture f;
    msgr_options o;
    uint32_t cookie;
    memset(&f, 0, sizeof f);
    if (!msgrd_start(&f.d, users))
        return -1;
    msgrd_options(&f.d, "gina", &o, f.cache, sizeof f.cache);
    if (msgr_messenger_create(&o, &f.m) != MSGR_S_OK ||
        msgr_messenger_advise(f.m, &recorder_events, &f.rec, &cookie) != MSGR_S_OK)
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    msgr_object_release(f->m);
    msgrd_stop(&f->d);
    return 0;
}

static void test_dialogs_signed_out(void **state)
{
    fixture *f = *state;
    assert_int_equal(msgr_messenger_options_pages(f->m, 0, MOPT_PRIVACY_PAGE), MSGR_E_NOTIMPL);
    assert_int_equal(msgr_messenger_media_wizard(f->m, 0), MSGR_E_NOTIMPL);
    assert_int_equal(msgr_messenger_signin(f->m, 0, "gina@example.com", NULL),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_set_host_ui(f->m, &host_ui, &f->host), MSGR_S_OK);

    assert_int_equal(msgr_messenger_options_pages(f->m, 0, (MOPTIONPAGE)8), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_options_pages(f->m, 0, MOPT_PRIVACY_PAGE), MSGR_S_OK);
    assert_int_equal(f->host.options_page, MOPT_PRIVACY_PAGE);
    assert_int_equal(msgr_messenger_options_pages(f->m, 0, MOPT_PHONE_PAGE), MSGR_S_FALSE);
    assert_int_equal(f->host.options_page, MOPT_PHONE_PAGE);
    assert_int_equal(msgr_messenger_media_wizard(f->m, 0), MSGR_E_OPTION_UI_ACTIVE);
    f->host.options_open = false;
    assert_int_equal(msgr_messenger_media_wizard(f->m, 0), MSGR_S_OK);
    assert_int_equal(f->host.wizard_calls, 2);

    /* Signin without a password shows the host's dialog, pre-filled. */
    assert_int_equal(msgr_messenger_signin(f->m, 0, "gina@example.com", ""), MSGR_S_OK);
    assert_string_equal(f->host.signin_prefill, "gina@example.com");
    MISTATUS st;
    assert_int_equal(msgr_messenger_get_my_status(f->m, &st), MSGR_S_OK);
    assert_int_equal(st, MISTATUS_OFFLINE); /* the dialog did not sign in */

    assert_int_equal(msgr_messenger_find_contact(f->m, 0, "Hank", "Hill", NULL, NULL, NULL),
                     MSGR_E_NOT_LOGGED_ON);
    assert_int_equal(msgr_messenger_open_inbox(f->m), MSGR_E_NOT_LOGGED_ON);
}

static bool pages_at_least(void *ud)
{
    fixture *f = ud;
    return f->host.npages >= 3;
}

static void test_pages_signed_in(void **state)
{
    fixture *f = *state;
    assert_true(signin_and_wait(&f->m, 1, f->m, &f->rec, "gina@example.com", "gina-pw"));

    assert_int_equal(msgr_messenger_find_contact(f->m, 0, "Hank", "Hill", "Arlen", "Texas",
                                                 "United States"), MSGR_S_OK);
    assert_string_equal(f->host.find, "Hank|Hill|Arlen|Texas|United States");
    assert_int_equal(msgr_messenger_find_contact(f->m, 0, "", "Hill", NULL, NULL, NULL),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_find_contact(f->m, 0, "Hank", "Hill", NULL, NULL,
                                                 "Espa\xc3\xb1" "a"), MSGR_E_INVALIDARG);

    msgr_contact *hank, *me;
    assert_int_equal(msgr_messenger_get_contact(f->m, "hank@example.com", MSGR_SERVICE_ID_MSNP,
                                                &hank), MSGR_S_OK);
    assert_int_equal(msgr_messenger_get_contact(f->m, "gina@example.com", "", &me), MSGR_S_OK);
    assert_int_equal(msgr_messenger_open_inbox(f->m), MSGR_S_OK);
    assert_int_equal(msgr_messenger_send_mail(f->m, hank), MSGR_S_OK);
    assert_int_equal(msgr_messenger_view_profile(f->m, me), MSGR_S_OK);
    assert_int_equal(msgr_messenger_send_mail(f->m, NULL), MSGR_E_INVALIDARG);
    assert_true(pump(&f->m, 1, pages_at_least, f, 10000));
    assert_non_null(strstr(f->host.page[0], "INBOX - /cgi-bin/HoTMaiL "));
    assert_non_null(strstr(f->host.page[0], "md5auth.srf"));
    assert_non_null(strstr(f->host.page[1], "COMPOSE hank@example.com "));
    assert_non_null(strstr(f->host.page[2], "PROFILE gina@example.com "));

    assert_int_equal(msgr_messenger_set_host_ui(f->m, NULL, NULL), MSGR_S_OK);
    assert_int_equal(msgr_messenger_open_inbox(f->m), MSGR_E_NOTIMPL);
    assert_int_equal(msgr_messenger_find_contact(f->m, 0, "Hank", "Hill", NULL, NULL, NULL),
                     MSGR_E_NOTIMPL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dialogs_signed_out),
        cmocka_unit_test(test_pages_signed_in),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
