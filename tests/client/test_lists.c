/*
 * test_lists.c - two libmsgr messengers against one real msgrd: adding,
 * removing and blocking contacts, groups, presence seen by the other
 * messenger (OnContactStatusChange with the previous status), object
 * identity, and the SYN cache (the short SYN form on the next sign-in).
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
                                     "bob@example.com", "bob-pw", NULL };

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_contact_and_presence),
        cmocka_unit_test(test_self_contact),
        cmocka_unit_test(test_block_and_unblock),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_cache_and_resignin),
        cmocka_unit_test(test_remove_contact),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
