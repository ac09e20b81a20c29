/*
 * test_conv_events.c - the libmsgr extension events of conversations and
 * lists, between two messengers through a real msgrd:
 * on_im_window_message (text both ways, with the sender contact and the
 * window), on_im_window_typing, on_contact_reverse_list_change (another
 * user adds the local user, then removes it) and the bits of
 * msgr_contact_get_lists() on both sides.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "harness.h"

static const char *const users[] = { "carol@example.com", "carol-pw",
                                     "dan@example.com", "dan-pw", NULL };

#define CAROL 0
#define DAN 1

typedef duo fixture;

/* What the last on_im_window_message of each messenger carried. The
 * objects are compared by identity only (never used after the event). */
typedef struct seen {
    msgr_window *window;
    msgr_contact *from;
    char text[200];
    int typing;
} seen;
static seen seen_by[2];

static void on_message(void *ud, msgr_messenger *m, msgr_window *w, msgr_contact *from,
                       const char *text)
{
    seen *s = ud;
    (void)m;
    s->window = w;
    s->from = from;
    snprintf(s->text, sizeof s->text, "%s", text);
}

static void on_typing(void *ud, msgr_messenger *m, msgr_window *w, msgr_contact *from)
{
    seen *s = ud;
    (void)m;
    s->window = w;
    s->from = from;
    s->typing++;
}

static const msgr_messenger_events seen_events = {
    .on_im_window_message = on_message,
    .on_im_window_typing = on_typing,
};

static bool advise_seen(int i, msgr_messenger *m, void *ud)
{
    (void)ud;
    uint32_t cookie;
    return msgr_messenger_advise(m, &seen_events, &seen_by[i], &cookie) == MSGR_S_OK;
}

static int setup(void **state)
{
    static fixture f;
    const duo_hooks hooks = { .created = advise_seen };
    if (!duo_start(&f, users, &hooks))
        return -1;
    *state = &f;
    return 0;
}

static void wait_for(fixture *f, int who, const char *prefix)
{
    assert_true(duo_wait(f, who, prefix, 10000));
}

static msgr_contact *contact(fixture *f, int who, const char *name)
{
    msgr_contact *c = NULL;
    assert_int_equal(msgr_messenger_get_contact(f->ms[who], name, MSGR_SERVICE_ID_MSNP, &c),
                     MSGR_S_OK);
    return c;
}

static void test_messages_and_typing(void **state)
{
    fixture *f = *state;
    msgr_conversation *w;
    assert_int_equal(msgr_messenger_instant_message(f->ms[CAROL],
                                                    contact(f, CAROL, "dan@example.com"), &w),
                     MSGR_S_OK);
    assert_int_equal(msgr_object_addref(w), MSGR_S_OK);
    assert_int_equal(msgr_conversation_send_text(w, "hello Dan"), MSGR_S_OK);
    wait_for(f, DAN, "im_message carol@example.com hello Dan");
    msgr_window *dw = f->rec[DAN].last_window;
    assert_non_null(dw);
    assert_ptr_equal(seen_by[DAN].window, dw);
    assert_ptr_equal(seen_by[DAN].from, contact(f, DAN, "carol@example.com"));
    assert_string_equal(seen_by[DAN].text, "hello Dan");
    /* Our own messages raise nothing on our side. */
    assert_false(rec_has(&f->rec[CAROL], "im_message"));

    /* Typing, then a reply with a line break and non-ASCII text. */
    assert_int_equal(msgr_conversation_send_typing(dw), MSGR_S_OK);
    wait_for(f, CAROL, "im_typing dan@example.com");
    assert_int_equal(seen_by[CAROL].typing, 1);
    assert_ptr_equal(seen_by[CAROL].window, w);
    assert_ptr_equal(seen_by[CAROL].from, contact(f, CAROL, "dan@example.com"));
    assert_int_equal(msgr_conversation_send_text(dw, "hi Carol,\nça va?"), MSGR_S_OK);
    wait_for(f, CAROL, "im_message dan@example.com hi Carol,\nça va?");
    assert_string_equal(seen_by[CAROL].text, "hi Carol,\nça va?");
    assert_ptr_equal(seen_by[CAROL].window, w);
    assert_true(rec_find(&f->rec[CAROL], 0, "im_typing") <
                rec_find(&f->rec[CAROL], 0, "im_message"));
    assert_int_equal(msgr_window_close(w), MSGR_S_OK);
    assert_int_equal(msgr_object_release(w), MSGR_S_OK);
    wait_for(f, DAN, "win_contact_removed carol@example.com");
}

static unsigned lists_of(fixture *f, int who, const char *name)
{
    unsigned lists = 0xFFFF;
    assert_int_equal(msgr_contact_get_lists(contact(f, who, name), &lists), MSGR_S_OK);
    return lists;
}

typedef struct lists_wait {
    fixture *f;
    int who;
    const char *name;
    unsigned want;
} lists_wait;

static bool lists_done(void *ud)
{
    lists_wait *lw = ud;
    return lists_of(lw->f, lw->who, lw->name) == lw->want;
}

/* The replies to ADD FL and ADD AL arrive one after the other. */
static void wait_lists(fixture *f, int who, const char *name, unsigned want)
{
    lists_wait lw = { f, who, name, want };
    if (!pump(f->ms, 2, lists_done, &lw, 10000))
        fail_msg("%s: lists 0x%x, expected 0x%x", name, lists_of(f, who, name), want);
}

static void test_reverse_list(void **state)
{
    fixture *f = *state;
    rec_clear(&f->rec[CAROL]);
    rec_clear(&f->rec[DAN]);
    assert_int_equal(lists_of(f, DAN, "carol@example.com"), 0);
    assert_int_equal(msgr_contact_get_lists(NULL, &(unsigned){ 0 }), MSGR_E_FAIL);
    assert_int_equal(msgr_contact_get_lists(contact(f, DAN, "carol@example.com"), NULL),
                     MSGR_E_RPC_X_NULL_REF_POINTER);

    /* Carol adds Dan: Dan hears it and has Carol on his reverse list only
     * (pending: neither allowed nor blocked). */
    assert_int_equal(msgr_messenger_add_contact(f->ms[CAROL], 0, "dan@example.com"), MSGR_S_OK);
    wait_for(f, CAROL, "list_add MSGR_S_OK dan@example.com");
    wait_for(f, DAN, "reverse_list carol@example.com 1");
    assert_int_equal(lists_of(f, DAN, "carol@example.com"), MSGR_LIST_REVERSE);
    wait_lists(f, CAROL, "dan@example.com", MSGR_LIST_FORWARD | MSGR_LIST_ALLOW);

    /* Dan adds her back: Carol's reverse-list bit appears too. */
    assert_int_equal(msgr_messenger_add_contact(f->ms[DAN], 0, "carol@example.com"), MSGR_S_OK);
    wait_for(f, CAROL, "reverse_list dan@example.com 1");
    assert_int_equal(lists_of(f, CAROL, "dan@example.com"),
                     MSGR_LIST_FORWARD | MSGR_LIST_ALLOW | MSGR_LIST_REVERSE);
    wait_lists(f, DAN, "carol@example.com",
               MSGR_LIST_FORWARD | MSGR_LIST_ALLOW | MSGR_LIST_REVERSE);

    /* Carol removes Dan from her list: Dan hears that. */
    msgr_contacts *cs;
    assert_int_equal(msgr_messenger_get_my_contacts(f->ms[CAROL], &cs), MSGR_S_OK);
    assert_int_equal(msgr_contacts_remove(cs, contact(f, CAROL, "dan@example.com")), MSGR_S_OK);
    wait_for(f, CAROL, "list_remove MSGR_S_OK dan@example.com");
    wait_for(f, DAN, "reverse_list carol@example.com 0");
    assert_false(lists_of(f, DAN, "carol@example.com") & MSGR_LIST_REVERSE);
    assert_false(lists_of(f, CAROL, "dan@example.com") & MSGR_LIST_FORWARD);
    /* Exactly one event each way. */
    assert_int_equal(rec_find(&f->rec[DAN], rec_find(&f->rec[DAN], 0, "reverse_list carol@example.com 1") + 1,
                              "reverse_list carol@example.com 1"),
                     -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_messages_and_typing),
        cmocka_unit_test(test_reverse_list),
    };
    return cmocka_run_group_tests(tests, setup, duo_teardown);
}
