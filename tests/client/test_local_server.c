/*
 * test_local_server.c - local server mode against a real msgrd.
 *
 * alice's messenger (A) is signed in to msgrd and serves on a Unix socket
 * in the test's temporary directory; two attached messengers in this
 * process (P1, P2) drive it; bob (B) is an ordinary messenger on the other
 * side. What is checked: the attached programs get A's lists and see
 * bob's presence; a status set by one reaches bob, the other program and
 * A; a contact added by one lands on the server; a conversation opened by
 * one reaches bob; list, group, name and status changes made by one
 * program raise the same events in the other program and in A; hostile
 * input on the socket never costs A its session;
 * a second server on a live path is refused and a stale socket file is
 * replaced; when A signs out the programs are signed out. The peer
 * credential check is tested on its own, and, when the test runs as root,
 * with a real second user on both ends of the socket.
 */
#define _GNU_SOURCE /* the peer credential check below uses struct ucred */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* local_peer_uid_is() alone, compiled into this test. */
#define LOCAL_SERVER_PEERCRED_ONLY
#include "../../src/client/local_server.c"

#include "harness.h"

static const char *const users[] = { "alice@example.com", "alice-pw",
                                     "bob@example.com", "bob-pw",
                                     "carol@example.com", "carol-pw", NULL };

enum { A, B, P1, P2, X, NMS };
static const char *const names[NMS] = { "A", "B", "P1", "P2", "X" };

typedef struct fixture {
    msgrd d;
    msgr_messenger *ms[NMS]; /* X: a spare messenger that never signs in */
    recorder rec[NMS];
    char cache[NMS][400];
    char sock[300];           /* where A serves */
    char text[256];           /* the last text bob received */
} fixture;

/* ---- helpers ------------------------------------------------------------- */

static void on_message(void *ud, msgr_messenger *m, msgr_window *w,
                       msgr_contact *from, const char *text)
{
    fixture *f = ud;
    (void)m;
    (void)w;
    (void)from;
    snprintf(f->text, sizeof f->text, "%s", text);
}

static const msgr_messenger_events message_events = {
    .on_im_window_message = on_message,
};

static msgr_messenger *new_messenger(fixture *f, int who, bool attach,
                                     const char *sock)
{
    msgr_options o;
    msgr_messenger *m = NULL;
    uint32_t cookie;
    msgrd_options(&f->d, names[who], &o, f->cache[who], sizeof f->cache[who]);
    o.attach = attach;
    o.attach_socket = sock;
    if (msgr_messenger_create(&o, &m) != MSGR_S_OK ||
        msgr_messenger_advise(m, &recorder_events, &f->rec[who], &cookie) != MSGR_S_OK)
        return NULL;
    return m;
}

static size_t live_count(fixture *f, msgr_messenger **all)
{
    size_t n = 0;
    for (int i = 0; i < NMS; i++)
        if (f->ms[i])
            all[n++] = f->ms[i];
    return n;
}

static void wait_for(fixture *f, int who, const char *prefix)
{
    msgr_messenger *all[NMS];
    size_t n = live_count(f, all);
    rec_wait w = { &f->rec[who], prefix };
    if (!pump(all, n, rec_wait_done, &w, 15000)) {
        rec_dump(&f->rec[who], names[who]);
        fail_msg("%s never saw \"%s\"", names[who], prefix);
    }
}

static void settle(fixture *f, int ms)
{
    msgr_messenger *all[NMS];
    size_t n = live_count(f, all);
    pump_for(all, n, ms);
}

typedef struct pump_cond {
    bool (*fn)(fixture *f, void *arg);
    fixture *f;
    void *arg;
} pump_cond;

static bool cond_done(void *ud)
{
    pump_cond *c = ud;
    return c->fn(c->f, c->arg);
}

static bool pump_until(fixture *f, bool (*fn)(fixture *, void *), void *arg)
{
    msgr_messenger *all[NMS];
    size_t n = live_count(f, all);
    pump_cond c = { fn, f, arg };
    return pump(all, n, cond_done, &c, 15000);
}

static bool on_list(msgr_messenger *m, const char *name)
{
    msgr_contact *c = NULL;
    return msgr_messenger_get_contact(m, name, "", &c) == MSGR_S_OK;
}

static long contact_count(msgr_messenger *m)
{
    msgr_contacts *cs;
    long n = -1;
    assert_int_equal(msgr_messenger_get_my_contacts(m, &cs), MSGR_S_OK);
    assert_int_equal(msgr_contacts_get_count(cs, &n), MSGR_S_OK);
    return n;
}

static void attach_and_wait(fixture *f, int who)
{
    rec_clear(&f->rec[who]);
    assert_int_equal(msgr_messenger_signin(f->ms[who], 0, NULL, NULL), MSGR_S_OK);
    wait_for(f, who, "my_status MSGR_S_OK 0x0002");
}

/* ---- fixture --------------------------------------------------------------- */

static bool add_and_wait(fixture *f, int who, const char *name)
{
    char want[128];
    snprintf(want, sizeof want, "list_add MSGR_S_OK %s", name);
    if (msgr_messenger_add_contact(f->ms[who], 0, name) != MSGR_S_OK)
        return false;
    msgr_messenger *all[2] = { f->ms[A], f->ms[B] };
    rec_wait w = { &f->rec[who], want };
    return pump(all, 2, rec_wait_done, &w, 15000);
}

static int setup(void **state)
{
    static fixture f;
    memset(&f, 0, sizeof f);
    if (!msgrd_start(&f.d, users))
        return -1;
    snprintf(f.sock, sizeof f.sock, "%s/run/messenger.sock", f.d.dir);
    f.ms[A] = new_messenger(&f, A, false, NULL);
    f.ms[B] = new_messenger(&f, B, false, NULL);
    msgr_messenger *ab[2] = { f.ms[A], f.ms[B] };
    bool ok = f.ms[A] && f.ms[B] &&
              signin_and_wait(ab, 2, f.ms[A], &f.rec[A], "alice@example.com", "alice-pw") &&
              signin_and_wait(ab, 2, f.ms[B], &f.rec[B], "bob@example.com", "bob-pw") &&
              add_and_wait(&f, A, "bob@example.com") && add_and_wait(&f, B, "alice@example.com");
    uint32_t cookie;
    ok = ok && msgr_messenger_advise(f.ms[B], &message_events, &f, &cookie) == MSGR_S_OK;
    /* bob starts signed out: the programs will watch him come online. */
    ok = ok && msgr_messenger_signout(f.ms[B]) == MSGR_S_OK;
    rec_wait w = { &f.rec[B], "signout" };
    ok = ok && pump(ab, 2, rec_wait_done, &w, 15000);
    ok = ok && msgr_messenger_serve_local(f.ms[A], f.sock) == MSGR_S_OK;
    f.ms[P1] = new_messenger(&f, P1, true, f.sock);
    f.ms[P2] = new_messenger(&f, P2, true, f.sock);
    f.ms[X] = new_messenger(&f, X, false, NULL);
    if (!ok || !f.ms[P1] || !f.ms[P2] || !f.ms[X]) {
        msgrd_stop(&f.d);
        return -1;
    }
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < NMS; i++) {
        rec_release_window(&f->rec[i]);
        if (f->ms[i])
            msgr_object_release(f->ms[i]);
    }
    msgrd_stop(&f->d);
    return 0;
}

/* ---- attached programs --------------------------------------------------- */

static void test_attach_gets_lists(void **state)
{
    fixture *f = *state;
    const char *name = NULL;
    rec_clear(&f->rec[A]);
    attach_and_wait(f, P1);
    attach_and_wait(f, P2);
    /* Sign-in events in the documented order, no Passport. */
    assert_true(rec_find(&f->rec[P1], 0, "signin MSGR_S_OK") <
                rec_find(&f->rec[P1], 0, "my_status MSGR_S_OK 0x0002"));
    assert_int_equal(msgr_messenger_get_my_signin_name(f->ms[P1], &name), MSGR_S_OK);
    assert_string_equal(name, "alice@example.com");
    assert_int_equal(contact_count(f->ms[P1]), 1);
    assert_int_equal(contact_count(f->ms[P2]), 1);
    assert_true(on_list(f->ms[P2], "bob@example.com"));
    /* Attaching did not touch A's status, nor write a list cache. */
    assert_false(rec_has(&f->rec[A], "my_status"));
    struct stat st;
    char cache[512];
    snprintf(cache, sizeof cache, "%s/alice@example.com.syn", f->cache[P1]);
    assert_int_not_equal(stat(cache, &st), 0);
}

static void test_presence_reaches_programs(void **state)
{
    fixture *f = *state;
    rec_clear(&f->rec[P1]);
    rec_clear(&f->rec[P2]);
    rec_clear(&f->rec[B]);
    assert_int_equal(msgr_messenger_signin(f->ms[B], 0, "bob@example.com", "bob-pw"),
                     MSGR_S_OK);
    wait_for(f, B, "my_status MSGR_S_OK 0x0002");
    wait_for(f, P1, "contact_status bob@example.com 0x0001->0x0002");
    wait_for(f, P2, "contact_status bob@example.com 0x0001->0x0002");
    assert_int_equal(msgr_messenger_signout(f->ms[B]), MSGR_S_OK);
    wait_for(f, P1, "contact_status bob@example.com 0x0002->0x0001");
    wait_for(f, P2, "contact_status bob@example.com 0x0002->0x0001");
    wait_for(f, B, "signout"); /* a sign-in before that is refused */
    rec_clear(&f->rec[B]);
    assert_int_equal(msgr_messenger_signin(f->ms[B], 0, "bob@example.com", "bob-pw"),
                     MSGR_S_OK);
    wait_for(f, B, "my_status MSGR_S_OK 0x0002");
    wait_for(f, P1, "contact_status bob@example.com 0x0001->0x0002");
}

static void test_status_set_by_program(void **state)
{
    fixture *f = *state;
    rec_clear(&f->rec[A]);
    rec_clear(&f->rec[B]);
    rec_clear(&f->rec[P2]);
    assert_int_equal(msgr_messenger_set_my_status(f->ms[P1], MISTATUS_BUSY), MSGR_S_OK);
    wait_for(f, B, "contact_status alice@example.com 0x0002->0x000A");
    wait_for(f, P1, "my_status MSGR_S_OK 0x000A");
    wait_for(f, P2, "my_status MSGR_S_OK 0x000A");
    wait_for(f, A, "my_status MSGR_S_OK 0x000A");
    MISTATUS st;
    assert_int_equal(msgr_messenger_get_my_status(f->ms[A], &st), MSGR_S_OK);
    assert_int_equal(st, MISTATUS_BUSY);
    /* And back from the serving messenger itself: the programs follow. */
    rec_clear(&f->rec[P1]);
    assert_int_equal(msgr_messenger_set_my_status(f->ms[A], MISTATUS_ONLINE), MSGR_S_OK);
    wait_for(f, P1, "my_status MSGR_S_OK 0x0002");
    wait_for(f, B, "contact_status alice@example.com 0x000A->0x0002");
}

static bool p1_has_carol(fixture *f, void *arg)
{
    (void)arg;
    return on_list(f->ms[P1], "carol@example.com");
}

static void test_contact_added_by_program(void **state)
{
    fixture *f = *state;
    rec_clear(&f->rec[A]);
    assert_int_equal(msgr_messenger_add_contact(f->ms[P2], 0, "carol@example.com"),
                     MSGR_S_OK);
    wait_for(f, P2, "list_add MSGR_S_OK carol@example.com");
    wait_for(f, A, "list_add MSGR_S_OK carol@example.com");
    assert_true(on_list(f->ms[A], "carol@example.com"));
    assert_true(pump_until(f, p1_has_carol, NULL));
    assert_int_equal(contact_count(f->ms[A]), 2);
    /* A server error goes back to the program that asked, with its TrID. */
    rec_clear(&f->rec[P2]);
    assert_int_equal(msgr_messenger_add_contact(f->ms[P2], 0, "nobody@example.com"),
                     MSGR_S_OK);
    wait_for(f, P2, "list_add MSGR_E_USER_NOT_FOUND nobody@example.com");
    assert_false(rec_has(&f->rec[P1], "list_add MSGR_E_USER_NOT_FOUND"));
}

static bool bob_got_text(fixture *f, void *arg)
{
    return strcmp(f->text, arg) == 0;
}

static void test_conversation_from_program(void **state)
{
    fixture *f = *state;
    msgr_contact *bob = NULL;
    msgr_window *w = NULL;
    rec_clear(&f->rec[A]);
    assert_int_equal(msgr_messenger_get_contact(f->ms[P1], "bob@example.com", "", &bob),
                     MSGR_S_OK);
    static char want[] = "hello from a program";
    assert_int_equal(msgr_messenger_instant_message(f->ms[P1], bob, &w), MSGR_S_OK);
    assert_int_equal(msgr_conversation_send_text(w, want), MSGR_S_OK);
    assert_true(pump_until(f, bob_got_text, want));
    wait_for(f, P1, "win_contact_added bob@example.com");
    /* The conversation is P1's own: A has no window for it. */
    assert_false(rec_has(&f->rec[A], "win_created"));
    assert_int_equal(msgr_window_close(w), MSGR_S_OK);
}

/* ---- changes made by one program, seen by the others ---------------------- */

/* P1 made a change: P2 (a TrID-0 line) and A (the relayed reply) raise
 * the event P1's own call raised. */
static void seen_elsewhere(fixture *f, const char *event)
{
    wait_for(f, P1, event);
    wait_for(f, P2, event);
    wait_for(f, A, event);
}

static void clear_all(fixture *f)
{
    for (int i = 0; i < NMS; i++)
        rec_clear(&f->rec[i]);
}

static msgr_contact *contact_of(fixture *f, int who, const char *name)
{
    msgr_contact *c = NULL;
    assert_int_equal(msgr_messenger_get_contact(f->ms[who], name, "", &c), MSGR_S_OK);
    return c;
}

static msgr_group *group_named(fixture *f, int who, const char *name)
{
    msgr_groups *gs;
    long n = 0;
    assert_int_equal(msgr_messenger_get_my_groups(f->ms[who], &gs), MSGR_S_OK);
    assert_int_equal(msgr_groups_get_count(gs, &n), MSGR_S_OK);
    for (long i = 0; i < n; i++) {
        msgr_group *g;
        const char *gname;
        assert_int_equal(msgr_groups_item(gs, i, &g), MSGR_S_OK);
        assert_int_equal(msgr_group_get_name(g, &gname), MSGR_S_OK);
        if (strcmp(gname, name) == 0)
            return g;
    }
    fail_msg("no group \"%s\"", name);
    return NULL;
}

static void test_block_elsewhere(void **state)
{
    fixture *f = *state;
    clear_all(f);
    assert_int_equal(msgr_contact_set_blocked(contact_of(f, P1, "carol@example.com"), true),
                     MSGR_S_OK);
    seen_elsewhere(f, "block MSGR_S_OK carol@example.com 1");
    bool b = false;
    assert_int_equal(msgr_contact_get_blocked(contact_of(f, P2, "carol@example.com"), &b),
                     MSGR_S_OK);
    assert_true(b);
    clear_all(f);
    assert_int_equal(msgr_contact_set_blocked(contact_of(f, P1, "carol@example.com"), false),
                     MSGR_S_OK);
    seen_elsewhere(f, "block MSGR_S_OK carol@example.com 0");
    settle(f, 200);
    /* One change, one event (REM AL + ADD BL travel as two lines). */
    assert_int_equal(rec_find(&f->rec[P2], rec_find(&f->rec[P2], 0, "block") + 1, "block"), -1);
    assert_int_equal(rec_find(&f->rec[A], rec_find(&f->rec[A], 0, "block") + 1, "block"), -1);
}

static void test_groups_elsewhere(void **state)
{
    fixture *f = *state;
    msgr_services *ss;
    msgr_service *svc;
    msgr_group *g = NULL;
    clear_all(f);
    assert_int_equal(msgr_messenger_get_services(f->ms[P1], &ss), MSGR_S_OK);
    assert_int_equal(msgr_services_get_primary_service(ss, &svc), MSGR_S_OK);
    assert_int_equal(msgr_messenger_create_group(f->ms[P1], "Team", svc, &g), MSGR_S_OK);
    seen_elsewhere(f, "group_added MSGR_S_OK Team");
    assert_int_equal(msgr_group_add_contact(group_named(f, P1, "Team"),
                                            contact_of(f, P1, "carol@example.com")),
                     MSGR_S_OK);
    seen_elsewhere(f, "added_to_group MSGR_S_OK Team carol@example.com");
    assert_int_equal(msgr_group_set_name(group_named(f, P1, "Team"), "Crew"), MSGR_S_OK);
    seen_elsewhere(f, "group_renamed MSGR_S_OK Crew");
    (void)group_named(f, P2, "Crew");
    assert_int_equal(msgr_group_remove_contact(group_named(f, P1, "Crew"),
                                               contact_of(f, P1, "carol@example.com")),
                     MSGR_S_OK);
    seen_elsewhere(f, "removed_from_group MSGR_S_OK Crew carol@example.com");
    msgr_groups *gs;
    assert_int_equal(msgr_messenger_get_my_groups(f->ms[P1], &gs), MSGR_S_OK);
    assert_int_equal(msgr_groups_remove(gs, group_named(f, P1, "Crew")), MSGR_S_OK);
    seen_elsewhere(f, "group_removed MSGR_S_OK Crew");
    long n = 0;
    assert_int_equal(msgr_messenger_get_my_groups(f->ms[P2], &gs), MSGR_S_OK);
    assert_int_equal(msgr_groups_get_count(gs, &n), MSGR_S_OK);
    assert_int_equal(n, 1); /* group 0 alone again */
}

static void test_contacts_elsewhere(void **state)
{
    fixture *f = *state;
    msgr_contacts *cs;
    clear_all(f);
    assert_int_equal(msgr_messenger_get_my_contacts(f->ms[P1], &cs), MSGR_S_OK);
    assert_int_equal(msgr_contacts_remove(cs, contact_of(f, P1, "carol@example.com")),
                     MSGR_S_OK);
    seen_elsewhere(f, "list_remove MSGR_S_OK carol@example.com");
    unsigned lists = 0;
    assert_int_equal(msgr_contact_get_lists(contact_of(f, P2, "carol@example.com"), &lists),
                     MSGR_S_OK);
    assert_int_equal(lists & MSGR_LIST_FORWARD, 0); /* still allowed (AL) */
    clear_all(f);
    assert_int_equal(msgr_messenger_add_contact(f->ms[P1], 0, "carol@example.com"),
                     MSGR_S_OK);
    seen_elsewhere(f, "list_add MSGR_S_OK carol@example.com");
    assert_true(on_list(f->ms[P2], "carol@example.com"));
}

static void test_name_and_status_elsewhere(void **state)
{
    fixture *f = *state;
    const char *name = NULL;
    clear_all(f);
    assert_int_equal(msgr_messenger_set_my_friendly_name(f->ms[P1], "Alice (at work)"),
                     MSGR_S_OK);
    seen_elsewhere(f, "my_name MSGR_S_OK alice@example.com");
    assert_int_equal(msgr_messenger_get_my_friendly_name(f->ms[P2], &name), MSGR_S_OK);
    assert_string_equal(name, "Alice (at work)");
    assert_int_equal(msgr_messenger_get_my_friendly_name(f->ms[A], &name), MSGR_S_OK);
    assert_string_equal(name, "Alice (at work)");
    /* bob watches alice: the new name reaches him with her presence. */
    wait_for(f, B, "contact_name MSGR_S_OK alice@example.com alice@example.com");
    /* A status set by one program: everybody's OnMyStatusChange. */
    clear_all(f);
    assert_int_equal(msgr_messenger_set_my_status(f->ms[P2], MISTATUS_AWAY), MSGR_S_OK);
    wait_for(f, P1, "my_status MSGR_S_OK 0x0022");
    wait_for(f, P2, "my_status MSGR_S_OK 0x0022");
    wait_for(f, A, "my_status MSGR_S_OK 0x0022");
    assert_int_equal(msgr_messenger_set_my_status(f->ms[P2], MISTATUS_ONLINE), MSGR_S_OK);
    wait_for(f, P1, "my_status MSGR_S_OK 0x0002");
    /* Two programs each watching a real contact's status. */
    clear_all(f);
    assert_int_equal(msgr_messenger_set_my_status(f->ms[B], MISTATUS_BUSY), MSGR_S_OK);
    wait_for(f, P1, "contact_status bob@example.com 0x0002->0x000A");
    wait_for(f, P2, "contact_status bob@example.com 0x0002->0x000A");
    wait_for(f, A, "contact_status bob@example.com 0x0002->0x000A");
    assert_int_equal(msgr_messenger_set_my_status(f->ms[B], MISTATUS_ONLINE), MSGR_S_OK);
    wait_for(f, P1, "contact_status bob@example.com 0x000A->0x0002");
    wait_for(f, P2, "contact_status bob@example.com 0x000A->0x0002");
}

/* ---- a program speaking the protocol itself -------------------------------- */

typedef struct raw {
    int fd;
    char buf[8192];
    size_t len;
    bool closed;
    const char *want; /* waits for this text, or for the close when NULL */
} raw;

static bool raw_done(fixture *f, void *arg)
{
    raw *r = arg;
    (void)f;
    while (!r->closed && r->len < sizeof r->buf - 1) {
        ssize_t n = recv(r->fd, r->buf + r->len, sizeof r->buf - 1 - r->len, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
            r->closed = true;
        if (n <= 0)
            break;
        r->len += (size_t)n;
        r->buf[r->len] = '\0';
    }
    return r->want ? strstr(r->buf, r->want) != NULL : r->closed;
}

/* sa for path; false when the path does not fit. */
static bool unix_address(const char *path, struct sockaddr_un *sa)
{
    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sa->sun_path)
        return false;
    memcpy(sa->sun_path, path, strlen(path) + 1);
    return true;
}

static int raw_connect(const char *path)
{
    int fd = unix_connect(path);
    assert_true(fd >= 0);
    return fd;
}

static void raw_send(int fd, const char *s)
{
    assert_int_equal(send(fd, s, strlen(s), MSG_NOSIGNAL), (ssize_t)strlen(s));
}

static void raw_expect(fixture *f, raw *r, const char *want)
{
    r->want = want;
    if (!pump_until(f, raw_done, r))
        fail_msg("never got \"%s\"; got:\n%s", want ? want : "(close)", r->buf);
}

/* A phone number set by a program that speaks MSNP itself (the API has
 * no setter): OnMyPhoneChange in the messenger and in the other
 * programs, and MyPhoneNumber everywhere. */
static void test_phone_elsewhere(void **state)
{
    fixture *f = *state;
    raw r = { 0 };
    const char *num = NULL;
    clear_all(f);
    r.fd = raw_connect(f->sock);
    raw_send(r.fd, "VER 1 MSNP8 CVR0\r\nUSR 2 TWN I *\r\nSYN 3 0\r\n");
    raw_expect(f, &r, "USR 2 OK alice@example.com ");
    raw_send(r.fd, "PRP 4 PHH 555-0100\r\n");
    raw_expect(f, &r, "PRP 4 ");
    seen_elsewhere(f, "my_phone 0 555-0100");
    assert_int_equal(msgr_messenger_get_my_phone_number(f->ms[P1], MPHONE_TYPE_HOME, &num),
                     MSGR_S_OK);
    assert_string_equal(num, "555-0100");
    assert_int_equal(msgr_messenger_get_my_phone_number(f->ms[A], MPHONE_TYPE_HOME, &num),
                     MSGR_S_OK);
    assert_string_equal(num, "555-0100");
    clear_all(f);
    raw_send(r.fd, "PRP 5 PHH\r\n"); /* cleared */
    raw_expect(f, &r, "PRP 5 ");
    seen_elsewhere(f, "my_phone 0 ");
    assert_int_equal(msgr_messenger_get_my_phone_number(f->ms[P2], MPHONE_TYPE_HOME, &num),
                     MSGR_E_FAIL);
    close(r.fd);
}

/* ---- hostile input and errors ---------------------------------------------- */

static void test_hostile_input(void **state)
{
    fixture *f = *state;
    raw r = { 0 };
    rec_clear(&f->rec[A]);
    r.fd = raw_connect(f->sock);
    raw_send(r.fd, "VER 1 MSNP9 MSNP8 CVR0\r\nUSR 2 TWN I *\r\nSYN 3 0\r\n");
    raw_expect(f, &r, "VER 1 MSNP9 CVR0\r\n");
    raw_expect(f, &r, "USR 2 OK alice@example.com ");
    raw_expect(f, &r, "LST carol@example.com ");
    /* Forms on which msgrd would close A's own session never reach it. */
    raw_send(r.fd, "ADD 4 RL x@example.com x@example.com\r\n"
                   "ADD 5 FL x@example.com x@example.com 99\r\n"
                   "BLP 6 XX\r\nPRP 7 PHHH 1\r\nRMG 8 40\r\nXFR 9 NS\r\n"
                   "FND 10 x\r\nUSR 11 TWN I *\r\nPNG\r\n");
    raw_expect(f, &r, "201 4\r\n");
    raw_expect(f, &r, "201 5\r\n");
    raw_expect(f, &r, "201 6\r\n");
    raw_expect(f, &r, "201 7\r\n");
    raw_expect(f, &r, "201 8\r\n");
    raw_expect(f, &r, "201 9\r\n");
    raw_expect(f, &r, "200 10\r\n");
    raw_expect(f, &r, "207 11\r\n");
    raw_expect(f, &r, "QNG 50\r\n");
    /* MSG on a notification server: closed. */
    raw_send(r.fd, "MSG 12 N 3\r\nabc");
    raw_expect(f, &r, NULL);
    close(r.fd);

    /* An over-long line: closed. */
    raw r2 = { 0 };
    char big[5000];
    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    memcpy(big, "VER 1 ", 6);
    r2.fd = raw_connect(f->sock);
    raw_send(r2.fd, big);
    raw_expect(f, &r2, NULL);
    close(r2.fd);

    /* Commands before sign-in: 302; binary garbage: closed. */
    raw r3 = { 0 };
    r3.fd = raw_connect(f->sock);
    raw_send(r3.fd, "VER 1 MSNP8\r\nSYN 2 0\r\n");
    raw_expect(f, &r3, "302 2\r\n");
    raw_send(r3.fd, "\x01\x02\xff\r\n");
    raw_expect(f, &r3, NULL);
    close(r3.fd);

    /* A kept its own session all along. */
    settle(f, 300);
    assert_false(rec_has(&f->rec[A], "signout"));
    MISTATUS st;
    assert_int_equal(msgr_messenger_get_my_status(f->ms[A], &st), MSGR_S_OK);
    assert_int_equal(st, MISTATUS_ONLINE);
}

/* A deterministic stream of plausible and implausible commands: whatever
 * a program sends, the serving messenger keeps its own session. */
static uint32_t lcg(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 8;
}

static void fuzz_line(uint32_t *seed, char *line, size_t cap, uint32_t trid)
{
    static const char *const codes[] = {
        "ADD", "REM", "ADG", "RMG", "REG", "REA", "BLP", "GTC", "PRP", "URL",
        "XFR", "CHG", "SYN", "LKS", "LKC", "LKR", "USR", "CVR", "FND", "SND",
        "LST", "CHL", "ABC" };
    static const char *const toks[] = {
        "FL", "AL", "BL", "RL", "0", "1", "29", "30", "4294967296", "-1",
        "x@example.com", "zed@example.com", "%", "%ZZ", "%00", "A", "N", "SB",
        "NS", "NLN", "FLN", "HDN", "BSY", "PHH", "MOB", "MFN", "Y", "*",
        "INBOX", "12345678901234567890",
        "0123456789abcdef0123456789abcdef" };
    size_t len = (size_t)snprintf(line, cap, "%s %u", codes[lcg(seed) % 23], trid);
    for (uint32_t k = lcg(seed) % 6; k > 0 && len + 40 < cap; k--)
        len += (size_t)snprintf(line + len, cap - len, " %s", toks[lcg(seed) % 31]);
    snprintf(line + len, cap - len, "\r\n");
}

static void test_fuzzed_commands(void **state)
{
    fixture *f = *state;
    uint32_t seed = 20240601u;
    rec_clear(&f->rec[A]);
    for (int conn = 0; conn < 8; conn++) {
        raw r = { 0 };
        r.fd = raw_connect(f->sock);
        raw_send(r.fd, "VER 1 MSNP8\r\nUSR 2 TWN I *\r\nSYN 3 0\r\nCHG 4 NLN 0\r\n");
        raw_expect(f, &r, "CHG 4 ");
        for (uint32_t i = 0; i < 40; i++) {
            char line[512];
            fuzz_line(&seed, line, sizeof line, 10 + i);
            if (send(r.fd, line, strlen(line), MSG_NOSIGNAL) < 0)
                break; /* closed on us: fine */
        }
        settle(f, 200);
        close(r.fd);
    }
    settle(f, 500);
    assert_false(rec_has(&f->rec[A], "signout"));
    assert_true(on_list(f->ms[A], "bob@example.com"));
}

static void test_attach_errors(void **state)
{
    fixture *f = *state;
    char nowhere[400];
    /* Another account's name: refused like a wrong password. */
    msgr_messenger *p = new_messenger(f, X, true, f->sock);
    assert_non_null(p);
    msgr_messenger *all[] = { f->ms[A], p };
    rec_clear(&f->rec[X]);
    assert_int_equal(msgr_messenger_signin(p, 0, "bob@example.com", NULL), MSGR_S_OK);
    rec_wait w = { &f->rec[X], "signin " };
    assert_true(pump(all, 2, rec_wait_done, &w, 15000));
    assert_true(rec_has(&f->rec[X], "signin MSGR_E_INVALID_PASSWORD"));
    msgr_object_release(p);
    /* Nothing serving there. */
    snprintf(nowhere, sizeof nowhere, "%s/run/nobody.sock", f->d.dir);
    p = new_messenger(f, X, true, nowhere);
    assert_non_null(p);
    all[1] = p;
    rec_clear(&f->rec[X]);
    assert_int_equal(msgr_messenger_auto_signin(p), MSGR_S_OK);
    assert_true(pump(all, 2, rec_wait_done, &w, 15000));
    assert_true(rec_has(&f->rec[X], "signin MSGR_E_CONNECT"));
    /* An attached messenger does not serve in turn. */
    assert_int_equal(msgr_messenger_serve_local(p, nowhere), MSGR_E_INVALIDARG);
    msgr_object_release(p);
}

/* Leaves a socket file nobody listens on, as a killed messenger would. */
static void make_stale_socket(const char *path)
{
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    assert_true(strlen(path) < sizeof sa.sun_path);
    memcpy(sa.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    close(fd);
}

static void test_one_server_per_path(void **state)
{
    fixture *f = *state;
    char stale[400], dir[300], file[400];
    struct stat st;
    msgr_messenger *x = f->ms[X];
    /* A lives on f->sock. */
    assert_int_equal(msgr_messenger_serve_local(x, f->sock), MSGR_E_ALREADY_LOGGED_ON);
    assert_int_equal(msgr_messenger_serve_local(f->ms[A], f->sock), MSGR_S_FALSE);
    assert_int_equal(msgr_messenger_stop_local(x), MSGR_S_FALSE);
    /* A stale socket file is replaced. */
    snprintf(stale, sizeof stale, "%s/run/stale.sock", f->d.dir);
    make_stale_socket(stale);
    assert_int_equal(msgr_messenger_serve_local(x, stale), MSGR_S_OK);
    assert_int_equal(stat(stale, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0600);
    /* x is signed out: a program attaching there is told so. */
    msgr_messenger *p = new_messenger(f, X, true, stale); /* records with x */
    assert_non_null(p);
    msgr_messenger *all[] = { x, p };
    rec_clear(&f->rec[X]);
    assert_int_equal(msgr_messenger_signin(p, 0, NULL, NULL), MSGR_S_OK);
    rec_wait w = { &f->rec[X], "signin " };
    assert_true(pump(all, 2, rec_wait_done, &w, 15000));
    assert_true(rec_has(&f->rec[X], "signin MSGR_E_SERVER_UNAVAILABLE"));
    msgr_object_release(p);
    assert_int_equal(msgr_messenger_stop_local(x), MSGR_S_OK);
    assert_int_not_equal(lstat(stale, &st), 0); /* removed */
    /* Something that is not a socket is never removed. */
    snprintf(file, sizeof file, "%s/run/file.sock", f->d.dir);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fclose(fp);
    assert_int_equal(msgr_messenger_serve_local(x, file), MSGR_E_FAIL);
    assert_int_equal(lstat(file, &st), 0);
    /* A directory others may write to is refused. */
    snprintf(dir, sizeof dir, "%s/open", f->d.dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(chmod(dir, 0777), 0);
    snprintf(file, sizeof file, "%s/messenger.sock", dir);
    assert_int_equal(msgr_messenger_serve_local(x, file), MSGR_E_FAIL);
    assert_int_equal(msgr_messenger_serve_local(x, ""), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_serve_local(NULL, file), MSGR_E_POINTER);
}

static void test_default_path(void **state)
{
    fixture *f = *state;
    char run[400], sock[512], msgrdir[450];
    struct stat st;
    /* Never the user's real runtime directory: a private one for the test. */
    snprintf(run, sizeof run, "%s/xdg", f->d.dir);
    assert_int_equal(mkdir(run, 0700), 0);
    assert_int_equal(setenv("XDG_RUNTIME_DIR", run, 1), 0);
    unsetenv("MSGR_LOCAL_SOCKET");
    assert_int_equal(msgr_messenger_serve_local(f->ms[X], NULL), MSGR_S_OK);
    snprintf(msgrdir, sizeof msgrdir, "%s/msgr", run);
    snprintf(sock, sizeof sock, "%s/messenger.sock", msgrdir);
    assert_int_equal(stat(msgrdir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(stat(sock, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(msgr_messenger_stop_local(f->ms[X]), MSGR_S_OK);
    /* No runtime directory: a private directory in $TMPDIR (here the
     * test's), never one that others can write to. */
    unsetenv("XDG_RUNTIME_DIR");
    snprintf(run, sizeof run, "%s/tmp", f->d.dir);
    assert_int_equal(mkdir(run, 0700), 0);
    assert_int_equal(setenv("TMPDIR", run, 1), 0);
    snprintf(msgrdir, sizeof msgrdir, "%s/msgr-%lu", run, (unsigned long)geteuid());
    snprintf(sock, sizeof sock, "%s/messenger.sock", msgrdir);
    assert_int_equal(msgr_messenger_serve_local(f->ms[X], NULL), MSGR_S_OK);
    assert_int_equal(stat(msgrdir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(stat(sock, &st), 0);
    assert_int_equal(msgr_messenger_stop_local(f->ms[X]), MSGR_S_OK);
    assert_int_equal(chmod(msgrdir, 0777), 0);
    assert_int_equal(msgr_messenger_serve_local(f->ms[X], NULL), MSGR_E_FAIL);
    unsetenv("TMPDIR");
}

/* The peer credential check: our own uid on a socketpair, a uid that is
 * not the peer's, a descriptor that is not a socket. */
static void test_peer_credentials(void **state)
{
    int sv[2], pp[2];
    (void)state;
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    assert_true(local_peer_uid_is(sv[0], geteuid()));
    assert_true(local_peer_uid_is(sv[1], geteuid()));
    assert_false(local_peer_uid_is(sv[0], geteuid() + 1));
    assert_int_equal(pipe(pp), 0);
    assert_false(local_peer_uid_is(pp[0], geteuid()));
    close(sv[0]);
    close(sv[1]);
    close(pp[0]);
    close(pp[1]);
}

/* ---- the end --------------------------------------------------------------- */

static void test_signout_ends_programs(void **state)
{
    fixture *f = *state;
    rec_clear(&f->rec[P1]);
    rec_clear(&f->rec[P2]);
    assert_int_equal(msgr_messenger_signout(f->ms[A]), MSGR_S_OK);
    wait_for(f, P1, "signout");
    wait_for(f, P2, "signout");
    wait_for(f, P1, "my_status MSGR_E_SERVER_UNAVAILABLE 0x0001");
    wait_for(f, A, "signout");
    /* Still serving: attaching now is refused until A is back. */
    rec_clear(&f->rec[P2]);
    assert_int_equal(msgr_messenger_signin(f->ms[P2], 0, NULL, NULL), MSGR_S_OK);
    wait_for(f, P2, "signin MSGR_E_SERVER_UNAVAILABLE");
    /* What P2 added is on the server: a fresh sign-in with no cache
     * gets it in the full SYN dump. */
    char cache[400];
    msgr_options o;
    msgr_messenger *fresh = NULL;
    msgrd_options(&f->d, "alice-fresh", &o, cache, sizeof cache);
    assert_int_equal(msgr_messenger_create(&o, &fresh), MSGR_S_OK);
    recorder *rec = &f->rec[X];
    uint32_t cookie;
    rec_clear(rec);
    assert_int_equal(msgr_messenger_advise(fresh, &recorder_events, rec, &cookie), MSGR_S_OK);
    msgr_messenger *one[] = { fresh };
    assert_true(signin_and_wait(one, 1, fresh, rec, "alice@example.com", "alice-pw"));
    assert_true(on_list(fresh, "carol@example.com"));
    assert_true(on_list(fresh, "bob@example.com"));
    msgr_object_release(fresh);
}

/* ---- another user on the socket (needs root to be someone else) ---------- */

#define OTHER_UID 65534 /* nobody */

static bool become_other_user(void)
{
    return setgroups(0, NULL) == 0 && setgid(OTHER_UID) == 0 && setuid(OTHER_UID) == 0;
}

/* The foreign program: 0 when the server closed without a word, 1 when it
 * answered, 2 on a timeout, 3 when it could not even connect. */
static int foreign_client(const char *path)
{
    if (!become_other_user())
        return 4;
    int fd = unix_connect(path);
    if (fd < 0)
        return 3;
    static const char ver[] = "VER 1 MSNP8 CVR0\r\n";
    /* The server may have closed already: EPIPE, not SIGPIPE. */
    (void)!send(fd, ver, sizeof ver - 1, MSG_NOSIGNAL);
    struct pollfd p = { fd, POLLIN, 0 };
    if (poll(&p, 1, 10000) <= 0)
        return 2;
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf); /* 0 or ECONNRESET: refused */
    return n > 0 ? 1 : 0;
}

/* The foreign server: listens at path as the other user, greets whoever
 * connects like a serving messenger would, and waits for them to go. */
static int foreign_server(const char *path, int ready)
{
    struct sockaddr_un sa;
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    if (!unix_address(path, &sa) || !become_other_user() || l < 0 || bind(l, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        chmod(path, 0666) != 0 || listen(l, 4) != 0)
        return 1;
    (void)!write(ready, "x", 1);
    struct pollfd p = { l, POLLIN, 0 };
    if (poll(&p, 1, 10000) <= 0)
        return 2;
    int c = accept(l, NULL, NULL);
    static const char ver[] = "VER 1 MSNP8 CVR0\r\n";
    (void)!send(c, ver, sizeof ver - 1, MSG_NOSIGNAL);
    struct pollfd q = { c, POLLIN, 0 };
    char buf[256];
    while (poll(&q, 1, 10000) > 0 && read(c, buf, sizeof buf) > 0)
        ;
    return 0;
}

typedef struct child_wait {
    pid_t pid;
    int status;
    bool done;
} child_wait;

static bool child_exited(void *ud)
{
    child_wait *c = ud;
    if (!c->done && waitpid(c->pid, &c->status, WNOHANG) == c->pid)
        c->done = true;
    return c->done;
}

static void test_foreign_user(void **state)
{
    fixture *f = *state;
    if (geteuid() != 0) {
        print_message("skipped: acting as another user needs root\n");
        skip();
    }
    char dir[350], path[400], theirs[350], their_path[400];
    /* Others may search the way to the sockets; the socket file itself is
     * opened to everyone: only the credential check stands in the way. */
    assert_int_equal(chmod(f->d.dir, 0711), 0);
    snprintf(dir, sizeof dir, "%s/shared", f->d.dir);
    snprintf(path, sizeof path, "%s/messenger.sock", dir);
    assert_int_equal(mkdir(dir, 0711), 0);
    assert_int_equal(msgr_messenger_serve_local(f->ms[X], path), MSGR_S_OK);
    assert_int_equal(chmod(path, 0666), 0);
    child_wait cw = { fork(), 0, false };
    assert_true(cw.pid >= 0);
    if (cw.pid == 0)
        _exit(foreign_client(path));
    assert_true(pump(&f->ms[X], 1, child_exited, &cw, 15000));
    assert_true(WIFEXITED(cw.status));
    assert_int_equal(WEXITSTATUS(cw.status), 0); /* closed, not answered */
    /* We, the same user, are answered on that socket. */
    int fd = unix_connect(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "VER 1 MSNP8 CVR0\r\n", 18), 18);
    pump_for(&f->ms[X], 1, 300);
    char buf[64] = "";
    assert_true(read(fd, buf, sizeof buf - 1) > 0);
    assert_int_equal(strncmp(buf, "VER 1 MSNP8", 11), 0);
    close(fd);
    assert_int_equal(msgr_messenger_stop_local(f->ms[X]), MSGR_S_OK);

    /* A "messenger" of another user: our attached messenger will not talk
     * to it. */
    snprintf(theirs, sizeof theirs, "%s/theirs", f->d.dir);
    snprintf(their_path, sizeof their_path, "%s/messenger.sock", theirs);
    assert_int_equal(mkdir(theirs, 0755), 0);
    assert_int_equal(chown(theirs, OTHER_UID, OTHER_UID), 0);
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    child_wait sw = { fork(), 0, false };
    assert_true(sw.pid >= 0);
    if (sw.pid == 0) {
        close(ready[0]);
        _exit(foreign_server(their_path, ready[1]));
    }
    close(ready[1]);
    struct pollfd rp = { ready[0], POLLIN, 0 };
    assert_int_equal(poll(&rp, 1, 10000), 1);
    close(ready[0]);
    msgr_messenger *p = new_messenger(f, X, true, their_path);
    assert_non_null(p);
    rec_clear(&f->rec[X]);
    assert_int_equal(msgr_messenger_signin(p, 0, NULL, NULL), MSGR_S_OK);
    rec_wait w = { &f->rec[X], "signin " };
    assert_true(pump(&p, 1, rec_wait_done, &w, 15000));
    assert_true(rec_has(&f->rec[X], "signin MSGR_E_CONNECT"));
    msgr_object_release(p);
    if (!child_exited(&sw)) {
        kill(sw.pid, SIGKILL);
        (void)waitpid(sw.pid, &sw.status, 0);
    }
    assert_int_equal(chmod(f->d.dir, 0700), 0);
}

/* Out of descriptors: the connection waits in the listen queue, and the
 * serving messenger stops polling the listener for a while instead of
 * waking up for it again and again; once descriptors are free it is
 * served. */
static void test_out_of_descriptors(void **state)
{
    fixture *f = *state;
    char path[400];
    struct rlimit saved, low;
    const char *preload = getenv("LD_PRELOAD");
    if (preload && strstr(preload, "vgpreload")) {
        /* valgrind keeps its own descriptor limit, and a lowered one
         * stays lowered for accept() after setrlimit() restores it. */
        print_message("skipped: under valgrind\n");
        skip();
    }
    snprintf(path, sizeof path, "%s/emfile.sock", f->d.dir);
    assert_int_equal(msgr_messenger_serve_local(f->ms[X], path), MSGR_S_OK);
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
    int probe = dup(0); /* the lowest free descriptor */
    assert_true(probe >= 0);
    close(probe);
    low = saved;
    low.rlim_cur = (rlim_t)probe;
    int extra = -1;
    if (setrlimit(RLIMIT_NOFILE, &low) != 0 || (extra = dup(0)) >= 0) {
        if (extra >= 0)
            close(extra);
        (void)setrlimit(RLIMIT_NOFILE, &saved);
        (void)msgr_messenger_stop_local(f->ms[X]);
        print_message("skipped: the descriptor limit cannot be lowered here\n");
        skip();
    }
    child_wait cw = { fork(), 0, false };
    if (cw.pid == 0) { /* a program that attaches: is it ever answered? */
        (void)setrlimit(RLIMIT_NOFILE, &saved);
        int fd = unix_connect(path);
        if (fd < 0)
            _exit(3);
        (void)!send(fd, "VER 1 MSNP8 CVR0\r\n", 18, MSG_NOSIGNAL);
        struct pollfd p = { fd, POLLIN, 0 };
        char buf[64];
        _exit(poll(&p, 1, 10000) == 1 && read(fd, buf, sizeof buf) > 0 ? 0 : 1);
    }
    /* Until the connection is queued, then one pass: accept fails. */
    for (int i = 0; i < 50 && !child_exited(&cw); i++) {
        usleep(20000);
        assert_int_equal(msgr_messenger_process(f->ms[X]), MSGR_S_OK);
    }
    msgr_pollfd want[64];
    size_t n = 0;
    int timeout = -1;
    assert_int_equal(msgr_messenger_fds(f->ms[X], want, 64, &n), MSGR_S_OK);
    assert_int_equal(msgr_messenger_timeout_ms(f->ms[X], &timeout), MSGR_S_OK);
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
    bool listener_quiet = false;
    for (size_t i = 0; i < n && i < 64; i++)
        if (want[i].events == 0)
            listener_quiet = true;
    assert_true(listener_quiet);
    assert_true(timeout > 0 && timeout <= 1000);
    /* Descriptors back: the program is answered within the pause. */
    assert_true(pump(&f->ms[X], 1, child_exited, &cw, 15000));
    assert_true(WIFEXITED(cw.status));
    assert_int_equal(WEXITSTATUS(cw.status), 0);
    assert_int_equal(msgr_messenger_stop_local(f->ms[X]), MSGR_S_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_peer_credentials),
        cmocka_unit_test(test_attach_gets_lists),
        cmocka_unit_test(test_presence_reaches_programs),
        cmocka_unit_test(test_status_set_by_program),
        cmocka_unit_test(test_contact_added_by_program),
        cmocka_unit_test(test_conversation_from_program),
        cmocka_unit_test(test_block_elsewhere),
        cmocka_unit_test(test_groups_elsewhere),
        cmocka_unit_test(test_contacts_elsewhere),
        cmocka_unit_test(test_name_and_status_elsewhere),
        cmocka_unit_test(test_phone_elsewhere),
        cmocka_unit_test(test_hostile_input),
        cmocka_unit_test(test_attach_errors),
        cmocka_unit_test(test_fuzzed_commands),
        cmocka_unit_test(test_one_server_per_path),
        cmocka_unit_test(test_default_path),
        cmocka_unit_test(test_signout_ends_programs),
        cmocka_unit_test(test_foreign_user),
        cmocka_unit_test(test_out_of_descriptors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
