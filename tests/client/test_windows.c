/*
 * test_windows.c - the windows that are not conversations and the
 * members that go to the host UI, against a real msgrd: IMessenger::Window
 * (the main window: identity, geometry, Close to the tray and Show back),
 * IMessengerWindow::Show and HWND with and without a host, Page (no
 * mobile set up) and Phone (host's window, number replaced), and
 * StartVoice / StartVideo: a real invitation that the other libmsgr
 * client answers with REJECT_NOT_INSTALLED, which the inviter's History
 * reports.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "harness.h"

static const char *const users[] = { "erin@example.com", "erin-pw",
                                     "frank@example.com", "frank-pw", NULL };

#define ERIN 0
#define FRANK 1

typedef duo fixture;

/* What the host saw. */
typedef struct host_log {
    int shows;
    msgr_window *shown;
    char phone[300];
    msgr_window *phone_window;
    int phones;
} host_log;
static host_log host;

static msgr_hr show_window(void *ud, msgr_messenger *m, msgr_window *w)
{
    host_log *h = ud;
    (void)m;
    h->shows++;
    h->shown = w;
    return MSGR_S_OK;
}

static msgr_hr window_handle(void *ud, msgr_messenger *m, msgr_window *w, long *hwnd)
{
    MSGR_WINDOW_KIND kind = MSGR_WINDOW_CONVERSATION;
    (void)ud;
    (void)m;
    msgr_window_get_kind(w, &kind);
    *hwnd = 1000 + (long)kind;
    return MSGR_S_OK;
}

static msgr_hr show_phone(void *ud, msgr_messenger *m, msgr_window *w, msgr_contact *c,
                          MPHONE_TYPE type, const char *number)
{
    host_log *h = ud;
    const char *name = "?";
    (void)m;
    msgr_contact_get_signin_name(c, &name);
    snprintf(h->phone, sizeof h->phone, "%s %d [%s]", name, (int)type, number);
    h->phone_window = w;
    h->phones++;
    return MSGR_S_OK;
}

static msgr_hr show_page(void *ud, msgr_messenger *m, msgr_window *w, msgr_contact *c)
{
    (void)ud;
    (void)m;
    (void)w;
    (void)c;
    return MSGR_S_OK;
}

static const msgr_host_ui host_ui = {
    .show_window = show_window,
    .get_window_handle = window_handle,
    .show_phone = show_phone,
    .show_page = show_page,
};

static int setup(void **state)
{
    static fixture f;
    const duo_hooks hooks = { .no_signin = true };
    if (!duo_start(&f, users, &hooks))
        return -1;
    *state = &f;
    return 0;
}

static msgr_contact *contact(fixture *f, int who, const char *name)
{
    msgr_contact *c = NULL;
    assert_int_equal(msgr_messenger_get_contact(f->ms[who], name, MSGR_SERVICE_ID_MSNP, &c),
                     MSGR_S_OK);
    return c;
}

/* Signed out: the main window exists and behaves like a window. */
static void test_main_window(void **state)
{
    fixture *f = *state;
    msgr_messenger *m = f->ms[ERIN];
    msgr_window *w = NULL, *again = NULL;
    MSGR_WINDOW_KIND kind = MSGR_WINDOW_CONVERSATION;
    long v = 0, hwnd = 0;
    bool closed = true;
    msgr_variant var;

    assert_int_equal(msgr_messenger_get_window(NULL, &w), MSGR_E_POINTER);
    assert_int_equal(msgr_messenger_get_window(m, NULL), MSGR_E_RPC_X_NULL_REF_POINTER);
    assert_int_equal(msgr_messenger_get_window(m, &w), MSGR_S_OK);
    assert_int_equal(msgr_messenger_get_window(m, &again), MSGR_S_OK);
    assert_ptr_equal(w, again);
    assert_int_equal(msgr_window_get_kind(w, &kind), MSGR_S_OK);
    assert_int_equal(kind, MSGR_WINDOW_MAIN);
    assert_int_equal(msgr_window_get_is_closed(w, &closed), MSGR_S_OK);
    assert_false(closed);
    assert_int_equal(msgr_window_get_width(w, &v), MSGR_S_OK);
    assert_int_equal(v, 400);
    assert_int_equal(msgr_window_set_width(w, 640), MSGR_S_OK);
    assert_int_equal(msgr_window_get_property(w, MWINDOWPROP_VIEW_SIDEBAR, &var), MSGR_E_NOTIMPL);
    var.vt = MSGR_VT_BOOL;
    var.u.boolean = false;
    assert_int_equal(msgr_window_set_property(w, MWINDOWPROP_VIEW_SIDEBAR, &var), MSGR_E_NOTIMPL);
    /* Not a conversation. */
    assert_int_equal(msgr_conversation_send_text(w, "x"), MSGR_E_FAIL);
    assert_int_equal(msgr_conversation_get_history(w, &(const char *){ NULL }), MSGR_E_FAIL);
    /* No host: HWND is not implemented, Show only changes the model. */
    assert_int_equal(msgr_window_get_hwnd(w, &hwnd), MSGR_E_NOTIMPL);
    assert_int_equal(msgr_window_get_hwnd(w, NULL), MSGR_E_RPC_X_NULL_REF_POINTER);
    assert_int_equal(msgr_window_show(w), MSGR_S_OK);

    /* Close sends it to the tray; Show brings it back, geometry kept. */
    assert_int_equal(msgr_window_close(w), MSGR_S_OK);
    assert_int_equal(msgr_window_close(w), MSGR_S_FALSE);
    assert_int_equal(msgr_window_get_is_closed(w, &closed), MSGR_S_OK);
    assert_true(closed);
    assert_int_equal(msgr_window_get_width(w, &v), MSGR_E_FAIL);
    assert_int_equal(msgr_window_get_hwnd(w, &hwnd), MSGR_E_FAIL);
    assert_int_equal(msgr_window_show(w), MSGR_S_OK);
    assert_int_equal(msgr_window_get_is_closed(w, &closed), MSGR_S_OK);
    assert_false(closed);
    assert_int_equal(msgr_window_get_width(w, &v), MSGR_S_OK);
    assert_int_equal(v, 640);

    /* With a host: Show and HWND are its. */
    host.shows = 0;
    assert_int_equal(msgr_messenger_set_host_ui(m, &host_ui, &host), MSGR_S_OK);
    assert_int_equal(msgr_window_show(w), MSGR_S_OK);
    assert_int_equal(host.shows, 1);
    assert_ptr_equal(host.shown, w);
    assert_int_equal(msgr_window_get_hwnd(w, &hwnd), MSGR_S_OK);
    assert_int_equal(hwnd, 1000 + MSGR_WINDOW_MAIN);
    assert_int_equal(msgr_window_show(NULL), MSGR_E_POINTER);
    assert_int_equal(msgr_window_get_kind(w, NULL), MSGR_E_RPC_X_NULL_REF_POINTER);
}

static void test_conversation_show(void **state)
{
    fixture *f = *state;
    msgr_conversation *w = NULL;
    MSGR_WINDOW_KIND kind = MSGR_WINDOW_MAIN;
    long hwnd = 0;
    assert_true(signin_and_wait(f->ms, 2, f->ms[ERIN], &f->rec[ERIN], "erin@example.com",
                                "erin-pw"));
    assert_true(signin_and_wait(f->ms, 2, f->ms[FRANK], &f->rec[FRANK], "frank@example.com",
                                "frank-pw"));
    assert_int_equal(msgr_messenger_instant_message(f->ms[FRANK],
                                                    contact(f, FRANK, "erin@example.com"), &w),
                     MSGR_S_OK);
    assert_int_equal(msgr_window_get_kind(w, &kind), MSGR_S_OK);
    assert_int_equal(kind, MSGR_WINDOW_CONVERSATION);
    /* Frank has no host: nothing to show. */
    assert_int_equal(msgr_window_show(w), MSGR_E_NOTIMPL);
    assert_int_equal(msgr_window_get_hwnd(w, &hwnd), MSGR_E_NOTIMPL);
    assert_int_equal(msgr_window_close(w), MSGR_S_OK);
    assert_int_equal(msgr_window_show(w), MSGR_E_FAIL);
    assert_int_equal(msgr_window_get_hwnd(w, &hwnd), MSGR_E_FAIL);
    assert_int_equal(msgr_window_get_kind(w, &kind), MSGR_S_OK); /* even closed */
}

static void test_page_and_phone(void **state)
{
    fixture *f = *state;
    msgr_messenger *m = f->ms[ERIN];
    msgr_contact *frank = contact(f, ERIN, "frank@example.com");
    msgr_contact *me = contact(f, ERIN, "erin@example.com");
    msgr_window *w = NULL, *w2 = NULL;
    char longnum[300];
    memset(longnum, '1', sizeof longnum - 1);
    longnum[sizeof longnum - 1] = '\0';

    /* Frank has no mobile set up for pages (MOB). */
    bool can_page = true;
    assert_int_equal(msgr_contact_get_can_page(frank, &can_page), MSGR_S_OK);
    assert_false(can_page);
    assert_int_equal(msgr_messenger_page(m, frank, &w), MSGR_E_PAGING_UNAVAILABLE);
    assert_int_equal(msgr_messenger_page(m, me, &w), MSGR_E_FAIL);
    assert_int_equal(msgr_messenger_page(m, NULL, &w), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_page(m, frank, NULL), MSGR_E_RPC_X_NULL_REF_POINTER);

    assert_int_equal(msgr_messenger_phone(m, frank, MPHONE_TYPE_ALL, NULL, &w), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_phone(m, frank, (MPHONE_TYPE)9, NULL, &w), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_phone(m, frank, MPHONE_TYPE_HOME, longnum, &w),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_phone(m, frank, MPHONE_TYPE_HOME, "1\r\n2", &w),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_phone(m, me, MPHONE_TYPE_HOME, "1", &w), MSGR_E_FAIL);
    assert_int_equal(msgr_messenger_phone(f->ms[FRANK], contact(f, FRANK, "erin@example.com"),
                                          MPHONE_TYPE_HOME, "1", &w),
                     MSGR_E_NOTIMPL); /* Frank has no host */

    /* Erin's host shows the one Phone window; a second call replaces the number. */
    host.phones = 0;
    assert_int_equal(msgr_messenger_phone(m, frank, MPHONE_TYPE_WORK, "+44 20 7946 0000", &w),
                     MSGR_S_OK);
    assert_string_equal(host.phone, "frank@example.com 1 [+44 20 7946 0000]");
    assert_ptr_equal(host.phone_window, w);
    MSGR_WINDOW_KIND kind = MSGR_WINDOW_MAIN;
    assert_int_equal(msgr_window_get_kind(w, &kind), MSGR_S_OK);
    assert_int_equal(kind, MSGR_WINDOW_PHONE);
    assert_int_equal(msgr_messenger_phone(m, frank, MPHONE_TYPE_MOBILE, NULL, &w2), MSGR_S_OK);
    assert_ptr_equal(w2, w);
    assert_string_equal(host.phone, "frank@example.com 2 []"); /* no published number */
    assert_int_equal(host.phones, 2);
    msgr_variant var;
    assert_int_equal(msgr_window_get_property(w, MWINDOWPROP_VIEW_TOOLBAR, &var), MSGR_E_NOTIMPL);
    /* Closed and called again: open again. */
    bool closed = false;
    assert_int_equal(msgr_window_close(w), MSGR_S_OK);
    assert_int_equal(msgr_messenger_phone(m, frank, MPHONE_TYPE_HOME, "1", &w2), MSGR_S_OK);
    assert_int_equal(msgr_window_get_is_closed(w2, &closed), MSGR_S_OK);
    assert_false(closed);
}

typedef struct hist_wait {
    msgr_window *w;
    const char *text;
} hist_wait;

static bool hist_done(void *ud)
{
    hist_wait *hw = ud;
    const char *h = NULL;
    return msgr_conversation_get_history(hw->w, &h) == MSGR_S_OK && strstr(h, hw->text);
}

/* The invitation reaches Frank's libmsgr, which has no voice: it answers
 * REJECT_NOT_INSTALLED, and Erin's window says so. */
static void test_voice_and_video(void **state)
{
    fixture *f = *state;
    msgr_messenger *m = f->ms[ERIN];
    msgr_contact *frank = contact(f, ERIN, "frank@example.com");
    msgr_conversation *w = NULL, *again = NULL;
    assert_int_equal(msgr_messenger_start_voice(NULL, frank, &w), MSGR_E_POINTER);
    assert_int_equal(msgr_messenger_start_voice(m, frank, NULL), MSGR_E_RPC_X_NULL_REF_POINTER);
    assert_int_equal(msgr_messenger_start_voice(m, NULL, &w), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_start_video(m, contact(f, ERIN, "erin@example.com"), &w),
                     MSGR_E_FAIL);

    rec_clear(&f->rec[FRANK]);
    assert_int_equal(msgr_messenger_start_voice(m, frank, &w), MSGR_S_OK);
    assert_int_equal(msgr_object_addref(w), MSGR_S_OK);
    hist_wait hw = { w, "* frank@example.com cannot take part in an audio conversation.\n" };
    if (!pump(f->ms, 2, hist_done, &hw, 10000)) {
        const char *h = "";
        msgr_conversation_get_history(w, &h);
        fail_msg("history: %s", h);
    }
    assert_true(rec_has(&f->rec[FRANK], "win_created")); /* it did arrive there */

    /* Video rides on the same window (reused) and the same GUID. */
    assert_int_equal(msgr_messenger_start_video(m, frank, &again), MSGR_S_OK);
    assert_ptr_equal(again, w);
    hist_wait hv = { w, "* frank@example.com cannot take part in a video conversation.\n" };
    assert_true(pump(f->ms, 2, hist_done, &hv, 10000));

    assert_int_equal(msgr_window_close(w), MSGR_S_OK);
    assert_int_equal(msgr_object_release(w), MSGR_S_OK);

    /* Signed out: the members that need a sign-in refuse; the main window
     * stays open (sign-out closes conversations only). */
    assert_int_equal(msgr_object_addref(frank), MSGR_S_OK);
    rec_clear(&f->rec[ERIN]);
    assert_int_equal(msgr_messenger_signout(m), MSGR_S_OK);
    rec_wait rw = { &f->rec[ERIN], "my_status MSGR_S_OK 0x0001" };
    assert_true(pump(f->ms, 2, rec_wait_done, &rw, 10000));
    assert_int_equal(msgr_messenger_page(m, frank, &w), MSGR_E_NOT_LOGGED_ON);
    assert_int_equal(msgr_messenger_phone(m, frank, MPHONE_TYPE_HOME, "+1 555", &w),
                     MSGR_E_NOT_LOGGED_ON);
    assert_int_equal(msgr_messenger_start_voice(m, frank, &w), MSGR_E_NOT_LOGGED_ON);
    assert_int_equal(msgr_messenger_start_video(m, frank, &w), MSGR_E_NOT_LOGGED_ON);
    assert_int_equal(msgr_messenger_send_file(m, frank, NULL, &w), MSGR_E_NOT_LOGGED_ON);
    msgr_window *main_window = NULL;
    bool closed = true;
    assert_int_equal(msgr_messenger_get_window(m, &main_window), MSGR_S_OK);
    assert_int_equal(msgr_window_get_is_closed(main_window, &closed), MSGR_S_OK);
    assert_false(closed);
    assert_int_equal(msgr_object_release(frank), MSGR_S_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_main_window),
        cmocka_unit_test(test_conversation_show),
        cmocka_unit_test(test_page_and_phone),
        cmocka_unit_test(test_voice_and_video),
    };
    return cmocka_run_group_tests(tests, setup, duo_teardown);
}
