/*
 * test_conversation.c - conversation windows between two libmsgr
 * messengers through a real msgrd switchboard: InstantMessage, the
 * OnIMWindow* events on both sides, text in History, window reuse,
 * Close, re-invitation after everybody left (also of a message that
 * crossed the last BYE), and sign-out closing
 * windows before OnSignout.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "harness.h"

static const char *const users[] = { "dave@example.com", "dave-pw",
                                     "erin@example.com", "erin-pw", NULL };

typedef duo fixture;

#define DAVE 0
#define ERIN 1

static int setup(void **state)
{
    static fixture f;
    if (!duo_start(&f, users, NULL))
        return -1;
    *state = &f;
    return 0;
}

static void wait_for(fixture *f, int who, const char *prefix)
{
    assert_true(duo_wait(f, who, prefix, 10000));
}

static bool history_has(msgr_window *w, const char *text)
{
    const char *h = NULL;
    return msgr_conversation_get_history(w, &h) == MSGR_S_OK && strstr(h, text);
}

typedef struct hist_wait {
    msgr_window *w;
    const char *text;
} hist_wait;

static bool hist_done(void *ud)
{
    hist_wait *hw = ud;
    return history_has(hw->w, hw->text);
}

static void test_conversation(void **state)
{
    fixture *f = *state;
    msgr_contact *erin, *me;
    msgr_conversation *w, *again;
    assert_int_equal(msgr_messenger_get_contact(f->ms[DAVE], "erin@example.com",
                                                MSGR_SERVICE_ID_MSNP, &erin), MSGR_S_OK);
    assert_int_equal(msgr_messenger_get_contact(f->ms[DAVE], "dave@example.com", "", &me),
                     MSGR_S_OK);
    assert_int_equal(msgr_messenger_instant_message(f->ms[DAVE], me, &w), MSGR_E_FAIL);
    assert_int_equal(msgr_messenger_instant_message(f->ms[DAVE], NULL, &w), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_instant_message(f->ms[DAVE], erin, NULL),
                     MSGR_E_RPC_X_NULL_REF_POINTER);

    assert_int_equal(msgr_messenger_instant_message(f->ms[DAVE], erin, &w), MSGR_S_OK);
    assert_int_equal(msgr_object_addref(w), MSGR_S_OK);
    assert_int_equal(msgr_messenger_instant_message(f->ms[DAVE], erin, &again), MSGR_S_OK);
    assert_ptr_equal(w, again); /* reuse: no second window */
    /* A message written before Erin is there waits for her. */
    assert_int_equal(msgr_conversation_send_text(w, "hello\nErin"), MSGR_S_OK);
    wait_for(f, DAVE, "win_created");
    wait_for(f, DAVE, "win_contact_added erin@example.com");
    wait_for(f, ERIN, "win_created");
    wait_for(f, ERIN, "win_contact_added dave@example.com");
    assert_int_equal(rec_find(&f->rec[DAVE], 0, "win_created"),
                     rec_find(&f->rec[DAVE], 0, "win_c")); /* created once, first */
    msgr_window *ew = f->rec[ERIN].last_window;
    assert_non_null(ew);
    hist_wait hw = { ew, "dave@example.com: hello\nErin\n" };
    assert_true(pump(f->ms, 2, hist_done, &hw, 10000));
    assert_true(history_has(w, "dave@example.com: hello\nErin\n"));

    /* Erin answers; Dave's history gets it. */
    assert_int_equal(msgr_conversation_send_typing(ew), MSGR_S_OK);
    assert_int_equal(msgr_conversation_send_text(ew, "hi Dave"), MSGR_S_OK);
    hist_wait back = { w, "erin@example.com: hi Dave\n" };
    assert_true(pump(f->ms, 2, hist_done, &back, 10000));

    msgr_contacts *cs;
    long n = 0;
    assert_int_equal(msgr_conversation_get_contacts(w, &cs), MSGR_S_OK);
    assert_int_equal(msgr_contacts_get_count(cs, &n), MSGR_S_OK);
    assert_int_equal(n, 1);
    assert_int_equal(msgr_contacts_item(cs, 0, &erin), MSGR_S_OK);
    assert_int_equal(msgr_conversation_add_contact(w, erin), MSGR_S_FALSE);
    assert_int_equal(msgr_conversation_send_text(w, ""), MSGR_E_INVALIDARG);

    /* Window members of the model. */
    long v;
    msgr_variant var;
    assert_int_equal(msgr_window_get_width(w, &v), MSGR_S_OK);
    assert_int_equal(v, 400);
    assert_int_equal(msgr_window_set_width(w, 0), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_window_set_height(w, 500), MSGR_S_OK);
    assert_int_equal(msgr_window_get_height(w, &v), MSGR_S_OK);
    assert_int_equal(v, 500);
    assert_int_equal(msgr_window_set_left(w, -32000), MSGR_S_OK);
    assert_int_equal(msgr_window_get_left(w, &v), MSGR_S_OK);
    assert_int_equal(v, -32000);
    assert_int_equal(msgr_window_get_top(w, NULL), MSGR_E_RPC_X_NULL_REF_POINTER);
    assert_int_equal(msgr_window_get_property(w, MWINDOWPROP_VIEW_TOOLBAR, &var), MSGR_S_OK);
    assert_int_equal(var.vt, MSGR_VT_BOOL);
    assert_true(var.u.boolean);
    var.u.boolean = false;
    assert_int_equal(msgr_window_set_property(w, MWINDOWPROP_VIEW_TOOLBAR, &var), MSGR_S_OK);
    assert_int_equal(msgr_window_set_property(w, MWINDOWPROP_VIEW_TOOLBAR, &var), MSGR_S_FALSE);
    assert_int_equal(msgr_window_get_property(w, MWINDOWPROP_INVALID_PROPERTY, &var),
                     MSGR_E_INVALIDARG);

    /* Erin closes: Dave sees her leave; his next message invites her again. */
    rec_clear(&f->rec[DAVE]);
    rec_clear(&f->rec[ERIN]);
    assert_int_equal(msgr_window_close(ew), MSGR_S_OK);
    assert_int_equal(msgr_window_close(ew), MSGR_S_FALSE);
    bool closed = false;
    assert_int_equal(msgr_window_get_is_closed(ew, &closed), MSGR_S_OK);
    assert_true(closed);
    assert_int_equal(msgr_conversation_send_text(ew, "x"), MSGR_E_FAIL);
    wait_for(f, ERIN, "win_destroyed");
    wait_for(f, DAVE, "win_contact_removed erin@example.com");
    assert_int_equal(msgr_conversation_send_text(w, "still there?"), MSGR_S_OK);
    wait_for(f, ERIN, "win_created");
    wait_for(f, DAVE, "win_contact_added erin@example.com");
    hist_wait hw2 = { f->rec[ERIN].last_window, "dave@example.com: still there?\n" };
    assert_true(pump(f->ms, 2, hist_done, &hw2, 10000));

    /* A message that crosses Erin's leaving is not lost: Dave writes
     * before he has read her BYE, the switchboard answers NAK, and the
     * message goes out again in a new session. */
    rec_clear(&f->rec[DAVE]);
    rec_clear(&f->rec[ERIN]);
    rec_release_window(&f->rec[ERIN]);
    msgr_window *ew2 = NULL;
    msgr_contact *dave_at_erin;
    assert_int_equal(msgr_messenger_get_contact(f->ms[ERIN], "dave@example.com",
                                                MSGR_SERVICE_ID_MSNP, &dave_at_erin),
                     MSGR_S_OK);
    assert_int_equal(msgr_messenger_instant_message(f->ms[ERIN], dave_at_erin, &ew2), MSGR_S_OK);
    assert_int_equal(msgr_window_close(ew2), MSGR_S_OK);
    rec_wait gone = { &f->rec[ERIN], "win_destroyed" };
    assert_true(pump(&f->ms[ERIN], 1, rec_wait_done, &gone, 10000));
    rec_wait never = { &f->rec[ERIN], "no such event" };
    (void)pump(&f->ms[ERIN], 1, rec_wait_done, &never, 300); /* msgrd reads her OUT */
    assert_int_equal(msgr_conversation_send_text(w, "crossed your BYE"), MSGR_S_OK);
    wait_for(f, DAVE, "win_contact_removed erin@example.com");
    wait_for(f, ERIN, "win_created");
    hist_wait hw3 = { f->rec[ERIN].last_window, "dave@example.com: crossed your BYE\n" };
    assert_true(pump(f->ms, 2, hist_done, &hw3, 10000));

    /* Sign-out closes the windows before OnSignout. */
    rec_clear(&f->rec[DAVE]);
    assert_int_equal(msgr_messenger_signout(f->ms[DAVE]), MSGR_S_OK);
    wait_for(f, DAVE, "my_status MSGR_S_OK 0x0001");
    int destroyed = rec_find(&f->rec[DAVE], 0, "win_destroyed");
    int signout = rec_find(&f->rec[DAVE], 0, "signout");
    assert_true(destroyed >= 0 && signout > destroyed);
    assert_int_equal(msgr_window_get_is_closed(w, &closed), MSGR_S_OK);
    assert_true(closed);
    assert_int_equal(msgr_conversation_get_history(w, &(const char *){ NULL }), MSGR_E_FAIL);
    assert_int_equal(msgr_object_release(w), MSGR_S_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conversation),
    };
    return cmocka_run_group_tests(tests, setup, duo_teardown);
}
