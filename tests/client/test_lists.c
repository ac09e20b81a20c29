/*
 * test_lists.c - two libmsgr messengers against one real msgrd: adding,
 * removing and blocking contacts, groups, presence seen by the other
 * messenger (OnContactStatusChange with the previous status), object
 * identity, the SYN cache (the short SYN form on the next sign-in), the
 * reverse-list entries waiting at sign-in, and setting the own friendly
 * name (msgr_messenger_set_my_friendly_name, a libmsgr extension).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

static const char *const users[] = { "alice@example.com", "alice-pw",
                                     "bob@example.com", "bob-pw",
                                     "carol@example.com", "carol-pw", NULL };

typedef struct fixture {
    msgrd d;
    msgr_messenger *ms[2]; /* alice, bob */
    recorder rec[2];
    char cache[2][400];
} fixture;

#define ALICE 0
#define BOB 1

static msgr_messenger *new_messenger(fixture *f, int who)
{
    msgr_options o;
    msgr_messenger *m = NULL;
    uint32_t cookie;
    msgrd_options(&f->d, who == ALICE ? "alice" : "bob", &o, f->cache[who],
                  sizeof f->cache[who]);
    if (msgr_messenger_create(&o, &m) != MSGR_S_OK ||
        msgr_messenger_advise(m, &recorder_events, &f->rec[who], &cookie) != MSGR_S_OK)
        return NULL;
    return m;
}

static int setup(void **state)
{
    static fixture f;
    memset(&f, 0, sizeof f);
    if (!msgrd_start(&f.d, users))
        return -1;
    f.ms[ALICE] = new_messenger(&f, ALICE);
    f.ms[BOB] = new_messenger(&f, BOB);
    if (!f.ms[ALICE] || !f.ms[BOB] ||
        !signin_and_wait(f.ms, 2, f.ms[ALICE], &f.rec[ALICE], "alice@example.com",
                         "alice-pw") ||
        !signin_and_wait(f.ms, 2, f.ms[BOB], &f.rec[BOB], "bob@example.com", "bob-pw")) {
        msgrd_stop(&f.d);
        return -1;
    }
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    msgr_object_release(f->ms[ALICE]);
    msgr_object_release(f->ms[BOB]);
    msgrd_stop(&f->d);
    return 0;
}

/* Pumps both messengers until who's recorder has a line with prefix. */
static void wait_for(fixture *f, int who, const char *prefix)
{
    rec_wait w = { &f->rec[who], prefix };
    if (!pump(f->ms, 2, rec_wait_done, &w, 10000)) {
        rec_dump(&f->rec[who], who == ALICE ? "alice" : "bob");
        fail_msg("%s never saw \"%s\"", who == ALICE ? "alice" : "bob", prefix);
    }
}

static msgr_contact *listed(fixture *f, int who, const char *name)
{
    msgr_contact *c = NULL;
    assert_int_equal(msgr_messenger_get_contact(f->ms[who], name, "", &c), MSGR_S_OK);
    return c;
}

static long contact_count(msgr_messenger *m)
{
    msgr_contacts *cs;
    long n = -1;
    assert_int_equal(msgr_messenger_get_my_contacts(m, &cs), MSGR_S_OK);
    assert_int_equal(msgr_contacts_get_count(cs, &n), MSGR_S_OK);
    return n;
}

static void test_add_contact_and_presence(void **state)
{
    fixture *f = *state;
    msgr_contact *c;
    assert_int_equal(msgr_messenger_get_contact(f->ms[ALICE], "bob@example.com", "", &c),
                     MSGR_E_USER_NOT_FOUND);
    rec_clear(&f->rec[ALICE]);
    assert_int_equal(msgr_messenger_add_contact(f->ms[ALICE], 0, "bob@example.com"),
                     MSGR_S_OK);
    wait_for(f, ALICE, "list_add MSGR_S_OK bob@example.com");
    /* Bob is online: his presence follows the add (ILN). */
    wait_for(f, ALICE, "contact_status bob@example.com 0x0001->0x0002");
    assert_int_equal(contact_count(f->ms[ALICE]), 1);

    c = listed(f, ALICE, "bob@example.com");
    msgr_contact *again = listed(f, ALICE, "BOB@example.com");
    assert_ptr_equal(c, again); /* same object for the same name */
    MISTATUS st;
    bool b;
    const char *s;
    assert_int_equal(msgr_contact_get_status(c, &st), MSGR_S_OK);
    assert_int_equal(st, MISTATUS_ONLINE);
    assert_int_equal(msgr_contact_get_is_self(c, &b), MSGR_S_OK);
    assert_false(b);
    assert_int_equal(msgr_contact_get_blocked(c, &b), MSGR_S_OK);
    assert_false(b);
    assert_int_equal(msgr_contact_get_friendly_name(c, &s), MSGR_S_OK);
    assert_string_equal(s, "bob@example.com");
    assert_int_equal(msgr_contact_get_service_id(c, &s), MSGR_S_OK);
    assert_string_equal(s, MSGR_SERVICE_ID_MSNP);
    assert_int_equal(msgr_contact_get_phone_number(c, MPHONE_TYPE_HOME, &s), MSGR_E_FAIL);
    msgr_variant v;
    assert_int_equal(msgr_contact_get_property(c, MCONTACTPROP_EMAIL, &v), MSGR_S_OK);
    assert_int_equal(v.vt, MSGR_VT_BSTR);
    assert_string_equal(v.u.bstr, "bob@example.com");
    assert_int_equal(msgr_contact_get_property(c, MCONTACTPROP_INVALID_PROPERTY, &v),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_contact_set_property(c, MCONTACTPROP_EMAIL, &v),
                     MSGR_E_INVALIDARG);

    /* Bob changes status: Alice sees the previous status in the event and
     * the new one in the contact. */
    assert_int_equal(msgr_messenger_set_my_status(f->ms[BOB], MISTATUS_BUSY), MSGR_S_OK);
    wait_for(f, ALICE, "contact_status bob@example.com 0x0002->0x000A");
    assert_int_equal(msgr_messenger_set_my_status(f->ms[BOB], MISTATUS_INVISIBLE),
                     MSGR_S_OK);
    wait_for(f, ALICE, "contact_status bob@example.com 0x000A->0x0001");
    assert_int_equal(msgr_messenger_set_my_status(f->ms[BOB], MISTATUS_ONLINE), MSGR_S_OK);
    wait_for(f, ALICE, "contact_status bob@example.com 0x0001->0x0002");

    /* Errors come back through the event. */
    rec_clear(&f->rec[ALICE]);
    assert_int_equal(msgr_messenger_add_contact(f->ms[ALICE], 0, "bob@example.com"),
                     MSGR_S_OK);
    wait_for(f, ALICE, "list_add MSGR_E_ALREADY_IN_LIST bob@example.com");
    assert_int_equal(msgr_messenger_add_contact(f->ms[ALICE], 0, "nobody@example.com"),
                     MSGR_S_OK);
    wait_for(f, ALICE, "list_add MSGR_E_USER_NOT_FOUND nobody@example.com");
    assert_int_equal(contact_count(f->ms[ALICE]), 1);

    /* Local-user members while online. */
    MUASORT sort;
    assert_int_equal(msgr_messenger_get_contacts_sort_order(f->ms[ALICE], &sort), MSGR_S_OK);
    assert_int_equal(sort, MUASORT_GROUPS);
    assert_int_equal(msgr_messenger_set_contacts_sort_order(f->ms[ALICE], MUASORT_ONOFFLINE),
                     MSGR_S_OK);
    assert_int_equal(msgr_messenger_get_contacts_sort_order(f->ms[ALICE], &sort), MSGR_S_OK);
    assert_int_equal(sort, MUASORT_ONOFFLINE);
    assert_int_equal(msgr_messenger_set_contacts_sort_order(f->ms[ALICE], (MUASORT)2),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_get_my_phone_number(f->ms[ALICE], MPHONE_TYPE_HOME, &s),
                     MSGR_E_FAIL);
    assert_int_equal(msgr_messenger_get_my_phone_number(f->ms[ALICE], MPHONE_TYPE_ALL, &s),
                     MSGR_E_FAIL);
    assert_int_equal(msgr_messenger_get_my_phone_number(f->ms[ALICE], MPHONE_TYPE_HOME, NULL),
                     MSGR_E_RPC_X_NULL_REF_POINTER);
    msgr_services *ss;
    msgr_service *svc;
    MISTATUS my;
    assert_int_equal(msgr_messenger_get_services(f->ms[ALICE], &ss), MSGR_S_OK);
    assert_int_equal(msgr_services_item(ss, 0, &svc), MSGR_S_OK);
    assert_int_equal(msgr_service_get_my_signin_name(svc, &s), MSGR_S_OK);
    assert_string_equal(s, "alice@example.com");
    assert_int_equal(msgr_service_get_my_friendly_name(svc, &s), MSGR_S_OK);
    assert_string_equal(s, "alice@example.com");
    assert_int_equal(msgr_service_get_my_status(svc, &my), MSGR_S_OK);
    assert_int_equal(my, MISTATUS_ONLINE);
    assert_int_equal(msgr_service_get_property(svc, MSERVICEPROP_INVALID_PROPERTY, &v),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_service_set_property(svc, MSERVICEPROP_INVALID_PROPERTY, &v),
                     MSGR_E_INVALIDARG);
}

static void test_self_contact(void **state)
{
    fixture *f = *state;
    msgr_contact *me;
    bool b;
    MISTATUS st;
    assert_int_equal(msgr_messenger_get_contact(f->ms[ALICE], "alice@example.com", "", &me),
                     MSGR_S_OK);
    assert_int_equal(msgr_contact_get_is_self(me, &b), MSGR_S_OK);
    assert_true(b);
    assert_int_equal(msgr_contact_get_status(me, &st), MSGR_S_OK);
    assert_int_equal(st, MISTATUS_ONLINE);
    assert_int_equal(msgr_contact_set_blocked(me, true), MSGR_E_FAIL);
    /* A name on no list, through the service ID: created, UNKNOWN. */
    msgr_contact *x;
    assert_int_equal(msgr_messenger_get_contact(f->ms[ALICE], "zed@example.com",
                                                MSGR_SERVICE_ID_MSNP, &x), MSGR_S_OK);
    assert_int_equal(msgr_contact_get_status(x, &st), MSGR_S_OK);
    assert_int_equal(st, MISTATUS_UNKNOWN);
    assert_int_equal(msgr_messenger_get_contact(f->ms[ALICE], "zed@example.com",
                                                "{bad}", &x), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_get_contact(f->ms[ALICE], "zed @example.com",
                                                MSGR_SERVICE_ID_MSNP, &x), MSGR_E_INVALIDARG);
    msgr_contact *lower;
    assert_int_equal(msgr_messenger_get_contact(f->ms[ALICE], "ZED@example.com",
                                                "{4e4d5347-5244-4d53-4e50-384d53475244}",
                                                &lower), MSGR_S_OK);
    assert_ptr_equal(lower, x); /* same name, same object */
}

static void test_block_and_unblock(void **state)
{
    fixture *f = *state;
    /* Bob watches Alice. */
    assert_int_equal(msgr_messenger_add_contact(f->ms[BOB], 0, "alice@example.com"),
                     MSGR_S_OK);
    wait_for(f, BOB, "contact_status alice@example.com 0x0001->0x0002");

    msgr_contact *bob = listed(f, ALICE, "bob@example.com");
    assert_int_equal(msgr_object_addref(bob), MSGR_S_OK); /* keep it across process() */
    rec_clear(&f->rec[ALICE]);
    rec_clear(&f->rec[BOB]);
    assert_int_equal(msgr_contact_set_blocked(bob, true), MSGR_S_OK);
    wait_for(f, ALICE, "block MSGR_S_OK bob@example.com 1");
    wait_for(f, BOB, "contact_status alice@example.com 0x0002->0x0001");
    bool b;
    assert_int_equal(msgr_contact_get_blocked(bob, &b), MSGR_S_OK);
    assert_true(b);
    assert_int_equal(msgr_contact_set_blocked(bob, true), MSGR_S_FALSE);

    assert_int_equal(msgr_contact_set_blocked(bob, false), MSGR_S_OK);
    wait_for(f, ALICE, "block MSGR_S_OK bob@example.com 0");
    wait_for(f, BOB, "contact_status alice@example.com 0x0001->0x0002");
    assert_int_equal(msgr_contact_get_blocked(bob, &b), MSGR_S_OK);
    assert_false(b);
    assert_int_equal(msgr_object_release(bob), MSGR_S_OK);
}

static void test_groups(void **state)
{
    fixture *f = *state;
    msgr_service *svc;
    msgr_services *ss;
    msgr_group *g, *same;
    msgr_groups *gs;
    long n;
    assert_int_equal(msgr_messenger_get_services(f->ms[ALICE], &ss), MSGR_S_OK);
    assert_int_equal(msgr_services_get_primary_service(ss, &svc), MSGR_S_OK);

    assert_int_equal(msgr_messenger_create_group(f->ms[ALICE], "  ", svc, &g),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_create_group(f->ms[ALICE], "a\tb", svc, &g),
                     MSGR_E_BAD_GROUP_NAME);
    assert_int_equal(msgr_messenger_create_group(
                         f->ms[ALICE], "A name that is far too long to be a group name on msgrd",
                         svc, &g), MSGR_E_GROUP_NAME_TOO_LONG);
    assert_int_equal(msgr_messenger_create_group(f->ms[ALICE], NULL, svc, &g), MSGR_E_POINTER);
    assert_int_equal(msgr_messenger_create_group(f->ms[ALICE], "x", NULL, &g),
                     MSGR_E_INVALIDARG);

    rec_clear(&f->rec[ALICE]);
    assert_int_equal(msgr_messenger_create_group(f->ms[ALICE], " Friends ", svc, &g),
                     MSGR_S_OK);
    assert_int_equal(msgr_object_addref(g), MSGR_S_OK);
    wait_for(f, ALICE, "group_added MSGR_S_OK Friends");
    assert_int_equal(msgr_messenger_create_group(f->ms[ALICE], "Friends", svc, &same),
                     MSGR_S_OK);
    assert_ptr_equal(g, same);
    assert_int_equal(msgr_messenger_get_my_groups(f->ms[ALICE], &gs), MSGR_S_OK);
    assert_int_equal(msgr_groups_get_count(gs, &n), MSGR_S_OK);
    assert_int_equal(n, 2); /* group 0 and Friends */
    msgr_group *g0;
    assert_int_equal(msgr_groups_item(gs, 0, &g0), MSGR_S_OK);
    assert_int_equal(msgr_group_set_name(g0, "Other"), MSGR_E_CANNOT_RENAME);
    assert_int_equal(msgr_groups_remove(gs, g0), MSGR_E_CANNOT_DELETE);
    assert_int_equal(msgr_groups_item(gs, 2, &g0), MSGR_E_FAIL);

    msgr_contact *bob = listed(f, ALICE, "bob@example.com");
    assert_int_equal(msgr_group_add_contact(g, bob), MSGR_S_OK);
    wait_for(f, ALICE, "added_to_group MSGR_S_OK Friends bob@example.com");
    msgr_contacts *members;
    assert_int_equal(msgr_group_get_contacts(g, &members), MSGR_S_OK);
    assert_int_equal(msgr_contacts_get_count(members, &n), MSGR_S_OK);
    assert_int_equal(n, 1);
    msgr_variant v;
    bob = listed(f, ALICE, "bob@example.com");
    assert_int_equal(msgr_contact_get_property(bob, MCONTACTPROP_GROUPS_PROPERTY, &v),
                     MSGR_S_OK);
    assert_int_equal(v.vt, MSGR_VT_DISPATCH);
    assert_int_equal(msgr_groups_get_count(v.u.dispatch, &n), MSGR_S_OK);
    assert_int_equal(n, 2);

    assert_int_equal(msgr_group_set_name(g, "Best friends"), MSGR_S_OK);
    wait_for(f, ALICE, "group_renamed MSGR_S_OK Best friends");

    bob = listed(f, ALICE, "bob@example.com");
    assert_int_equal(msgr_group_remove_contact(g, bob), MSGR_S_OK);
    wait_for(f, ALICE, "removed_from_group MSGR_S_OK Best friends bob@example.com");
    bob = listed(f, ALICE, "bob@example.com");
    assert_int_equal(msgr_group_remove_contact(g, bob), MSGR_S_OK);
    wait_for(f, ALICE, "removed_from_group MSGR_E_USER_NOT_GROUP_MEMBER");
    assert_int_equal(contact_count(f->ms[ALICE]), 1); /* still in group 0 */

    assert_int_equal(msgr_messenger_get_my_groups(f->ms[ALICE], &gs), MSGR_S_OK);
    assert_int_equal(msgr_groups_remove(gs, g), MSGR_S_OK);
    wait_for(f, ALICE, "group_removed MSGR_S_OK Best friends");
    assert_int_equal(msgr_messenger_get_my_groups(f->ms[ALICE], &gs), MSGR_S_OK);
    assert_int_equal(msgr_groups_get_count(gs, &n), MSGR_S_OK);
    assert_int_equal(n, 1);
    /* The removed group stays valid while held. */
    const char *name;
    assert_int_equal(msgr_group_get_name(g, &name), MSGR_S_OK);
    assert_string_equal(name, "Best friends");
    assert_int_equal(msgr_group_set_name(g, "Again"), MSGR_E_GROUP_DOES_NOT_EXIST);
    assert_int_equal(msgr_object_release(g), MSGR_S_OK);
}

static void test_cache_and_resignin(void **state)
{
    fixture *f = *state;
    char path[500];
    struct stat st;
    snprintf(path, sizeof path, "%s/alice@example.com.syn", f->cache[ALICE]);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    rec_clear(&f->rec[ALICE]);
    rec_clear(&f->rec[BOB]);
    assert_int_equal(msgr_messenger_signout(f->ms[ALICE]), MSGR_S_OK);
    wait_for(f, ALICE, "my_status MSGR_S_OK 0x0001");
    wait_for(f, BOB, "contact_status alice@example.com 0x0002->0x0001");
    assert_int_equal(contact_count(f->ms[ALICE]), 0); /* offline: empty */

    /* Back in: the cached lists (short SYN) hold Bob, who is online. */
    assert_true(signin_and_wait(f->ms, 2, f->ms[ALICE], &f->rec[ALICE],
                                "alice@example.com", "alice-pw"));
    wait_for(f, ALICE, "contact_status bob@example.com 0x0001->0x0002");
    assert_int_equal(contact_count(f->ms[ALICE]), 1);
    wait_for(f, BOB, "contact_status alice@example.com 0x0001->0x0002");
}

static void test_remove_contact(void **state)
{
    fixture *f = *state;
    msgr_contacts *cs, *copy;
    msgr_contact *c, *stranger;
    long n;
    assert_int_equal(msgr_messenger_get_my_contacts(f->ms[ALICE], &cs), MSGR_S_OK);
    assert_int_equal(msgr_contacts_get_new_enum(cs, &copy), MSGR_S_OK);
    assert_int_equal(msgr_contacts_get_count(copy, &n), MSGR_S_OK);
    assert_int_equal(n, 1);
    assert_int_equal(msgr_contacts_item(cs, 0, &c), MSGR_S_OK);
    assert_int_equal(msgr_messenger_get_contact(f->ms[ALICE], "zed@example.com",
                                                MSGR_SERVICE_ID_MSNP, &stranger), MSGR_S_OK);
    assert_int_equal(msgr_contacts_remove(cs, stranger), MSGR_E_FAIL);
    assert_int_equal(msgr_contacts_remove(cs, NULL), MSGR_E_POINTER);
    rec_clear(&f->rec[ALICE]);
    assert_int_equal(msgr_contacts_remove(cs, c), MSGR_S_OK);
    wait_for(f, ALICE, "list_remove MSGR_S_OK bob@example.com");
    assert_int_equal(contact_count(f->ms[ALICE]), 0);
    /* After removal no more status updates arrive for Bob. */
    rec_clear(&f->rec[ALICE]);
    assert_int_equal(msgr_messenger_set_my_status(f->ms[BOB], MISTATUS_AWAY), MSGR_S_OK);
    wait_for(f, BOB, "my_status MSGR_S_OK 0x0022");
    pump_for(f->ms, 2, 300);
    assert_false(rec_has(&f->rec[ALICE], "contact_status bob"));
}

/* carol adds alice while alice is signed out: at alice's next sign-in
 * carol is pending (RL, neither AL nor BL) and reported once, after the
 * sign-in completed; bob, whom alice allowed, is not. */
static void test_pending_reverse_at_signin(void **state)
{
    fixture *f = *state;
    rec_clear(&f->rec[ALICE]);
    assert_int_equal(msgr_messenger_signout(f->ms[ALICE]), MSGR_S_OK);
    wait_for(f, ALICE, "signout");

    msgr_options o;
    char cache[400];
    msgr_messenger *carol = NULL;
    recorder rec;
    uint32_t cookie;
    memset(&rec, 0, sizeof rec);
    msgrd_options(&f->d, "carol", &o, cache, sizeof cache);
    assert_int_equal(msgr_messenger_create(&o, &carol), MSGR_S_OK);
    assert_int_equal(msgr_messenger_advise(carol, &recorder_events, &rec, &cookie), MSGR_S_OK);
    msgr_messenger *all[3] = { f->ms[ALICE], f->ms[BOB], carol };
    assert_true(signin_and_wait(all, 3, carol, &rec, "carol@example.com", "carol-pw"));
    assert_int_equal(msgr_messenger_add_contact(carol, 0, "alice@example.com"), MSGR_S_OK);
    rec_wait w = { &rec, "list_add MSGR_S_OK alice@example.com" };
    assert_true(pump(all, 3, rec_wait_done, &w, 10000));

    rec_clear(&f->rec[ALICE]);
    assert_true(signin_and_wait(all, 3, f->ms[ALICE], &f->rec[ALICE], "alice@example.com",
                                "alice-pw"));
    wait_for(f, ALICE, "reverse_list carol@example.com 1");
    pump_for(all, 3, 300);
    int at = rec_find(&f->rec[ALICE], 0, "reverse_list carol@example.com 1");
    assert_true(at > rec_find(&f->rec[ALICE], 0, "my_status MSGR_S_OK 0x0002"));
    assert_int_equal(rec_find(&f->rec[ALICE], at + 1, "reverse_list"), -1);
    assert_false(rec_has(&f->rec[ALICE], "reverse_list bob"));
    unsigned lists = 0;
    assert_int_equal(msgr_contact_get_lists(listed(f, ALICE, "carol@example.com"), &lists),
                     MSGR_S_OK);
    assert_int_equal(lists & (MSGR_LIST_ALLOW | MSGR_LIST_BLOCK | MSGR_LIST_REVERSE),
                     MSGR_LIST_REVERSE);

    /* Allowing her (AddContact: FL and AL) ends the wait: no report at
     * the next sign-in. */
    assert_int_equal(msgr_messenger_add_contact(f->ms[ALICE], 0, "carol@example.com"),
                     MSGR_S_OK);
    wait_for(f, ALICE, "list_add MSGR_S_OK carol@example.com");
    pump_for(all, 3, 300);
    rec_clear(&f->rec[ALICE]);
    assert_int_equal(msgr_messenger_signout(f->ms[ALICE]), MSGR_S_OK);
    wait_for(f, ALICE, "signout");
    assert_true(signin_and_wait(all, 3, f->ms[ALICE], &f->rec[ALICE], "alice@example.com",
                                "alice-pw"));
    pump_for(all, 3, 300);
    assert_false(rec_has(&f->rec[ALICE], "reverse_list"));
    msgr_object_release(carol);
}

static void test_set_my_friendly_name(void **state)
{
    fixture *f = *state;
    const char *name = NULL;
    char longest[MSGR_FRIENDLY_NAME_MAX + 2];
    memset(longest, 'x', sizeof longest);
    longest[MSGR_FRIENDLY_NAME_MAX + 1] = '\0';
    msgr_messenger *m = f->ms[ALICE];
    assert_int_equal(msgr_messenger_set_my_friendly_name(NULL, "x"), MSGR_E_POINTER);
    assert_int_equal(msgr_messenger_set_my_friendly_name(m, NULL), MSGR_E_POINTER);
    assert_int_equal(msgr_messenger_set_my_friendly_name(m, ""), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_set_my_friendly_name(m, "   "), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_set_my_friendly_name(m, "a\tb"),
                     MSGR_E_INVALID_FRIENDLY_NAME);
    assert_int_equal(msgr_messenger_set_my_friendly_name(m, "bad \xff utf-8"),
                     MSGR_E_INVALID_FRIENDLY_NAME);
    assert_int_equal(msgr_messenger_set_my_friendly_name(m, longest),
                     MSGR_E_INVALID_FRIENDLY_NAME);
    /* 129 characters of 3 UTF-8 bytes: 1161 bytes encoded, over msgrd's 387. */
    char wide[3 * 129 + 1] = "";
    for (int i = 0; i < 129; i++)
        strcat(wide, "\xe2\x82\xac");
    assert_int_equal(msgr_messenger_set_my_friendly_name(m, wide),
                     MSGR_E_INVALID_FRIENDLY_NAME);
    assert_int_equal(msgr_messenger_get_my_friendly_name(m, &name), MSGR_S_OK);
    assert_int_equal(msgr_messenger_set_my_friendly_name(m, name), MSGR_S_FALSE);

    /* bob watches alice (test_block_and_unblock; she is still on his FL
     * and he on her AL): he sees the new name. */
    rec_clear(&f->rec[ALICE]);
    rec_clear(&f->rec[BOB]);
    longest[MSGR_FRIENDLY_NAME_MAX] = '\0'; /* exactly the limit */
    assert_int_equal(msgr_messenger_set_my_friendly_name(m, "Alice \xe2\x82\xac & co"),
                     MSGR_S_OK);
    wait_for(f, ALICE, "my_name MSGR_S_OK alice@example.com");
    assert_int_equal(msgr_messenger_get_my_friendly_name(m, &name), MSGR_S_OK);
    assert_string_equal(name, "Alice \xe2\x82\xac & co");
    wait_for(f, BOB, "contact_name MSGR_S_OK alice@example.com alice@example.com");
    msgr_contact *alice = listed(f, BOB, "alice@example.com");
    assert_int_equal(msgr_contact_get_friendly_name(alice, &name), MSGR_S_OK);
    assert_string_equal(name, "Alice \xe2\x82\xac & co");
    rec_clear(&f->rec[BOB]);
    assert_int_equal(msgr_messenger_set_my_friendly_name(m, longest), MSGR_S_OK);
    wait_for(f, ALICE, "my_name MSGR_S_OK Alice");
    wait_for(f, BOB, "contact_name MSGR_S_OK alice@example.com Alice");

    /* The server's refusal comes back through the event with the old name:
     * msgrd allows 5 own-name changes a minute (msnp.md 3.9). */
    rec_clear(&f->rec[ALICE]);
    for (int i = 0; i < 5; i++) {
        char n[32];
        snprintf(n, sizeof n, "Alice %d", i);
        assert_int_equal(msgr_messenger_set_my_friendly_name(m, n), MSGR_S_OK);
    }
    wait_for(f, ALICE, "my_name MSGR_E_SERVER_TOO_BUSY");

    /* Signed out: nothing to set. */
    rec_clear(&f->rec[ALICE]);
    assert_int_equal(msgr_messenger_signout(m), MSGR_S_OK);
    wait_for(f, ALICE, "signout");
    assert_int_equal(msgr_messenger_set_my_friendly_name(m, "Later"), MSGR_E_NOT_LOGGED_ON);
    assert_true(signin_and_wait(f->ms, 2, m, &f->rec[ALICE], "alice@example.com",
                                "alice-pw"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_contact_and_presence),
        cmocka_unit_test(test_self_contact),
        cmocka_unit_test(test_block_and_unblock),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_cache_and_resignin),
        cmocka_unit_test(test_remove_contact),
        cmocka_unit_test(test_pending_reverse_at_signin),
        cmocka_unit_test(test_set_my_friendly_name),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
