/*
 * presence_monitor.c - a libmsgr example: signs in and prints a line
 * whenever a contact's status or display name changes, and when someone
 * adds the local user to their list. At sign-in it prints the contact
 * list with everyone's status.
 *
 *   MSGR_PASSWORD=secret presence_monitor --server 127.0.0.1:1863 \
 *       --ca-file msgrd-data/cert.pem alice@example.com
 *
 * Output lines (one per event, flushed at once, easy to parse):
 *   contact <signin> <STATUS> <friendly name>
 *   status <signin> <OLD> -> <NEW>
 *   name <signin> <new friendly name>
 *   added-by <signin>
 */
#include <stdio.h>
#include <string.h>

#include "example_common.h"

static const char *status_name(MISTATUS s)
{
    switch (s) {
    case MISTATUS_ONLINE: return "ONLINE";
    case MISTATUS_OFFLINE: return "OFFLINE";
    case MISTATUS_INVISIBLE: return "INVISIBLE";
    case MISTATUS_BUSY: return "BUSY";
    case MISTATUS_BE_RIGHT_BACK: return "BE_RIGHT_BACK";
    case MISTATUS_IDLE: return "IDLE";
    case MISTATUS_AWAY: return "AWAY";
    case MISTATUS_ON_THE_PHONE: return "ON_THE_PHONE";
    case MISTATUS_OUT_TO_LUNCH: return "OUT_TO_LUNCH";
    default: return "UNKNOWN";
    }
}

static const char *signin_of(msgr_contact *c)
{
    const char *s = "?";
    (void)msgr_contact_get_signin_name(c, &s);
    return s;
}

static void print_contact_list(msgr_messenger *m)
{
    msgr_contacts *cs;
    long n = 0;
    if (MSGR_FAILED(msgr_messenger_get_my_contacts(m, &cs)) ||
        MSGR_FAILED(msgr_contacts_get_count(cs, &n)))
        return;
    for (long i = 0; i < n; i++) {
        msgr_contact *c;
        MISTATUS st = MISTATUS_UNKNOWN;
        const char *name = "";
        if (MSGR_FAILED(msgr_contacts_item(cs, i, &c)))
            continue;
        (void)msgr_contact_get_status(c, &st);
        (void)msgr_contact_get_friendly_name(c, &name);
        printf("contact %s %s %s\n", signin_of(c), status_name(st), name);
    }
}

static void on_signin(void *ud, msgr_messenger *m, msgr_hr hr)
{
    (void)ud;
    (void)m;
    if (MSGR_FAILED(hr)) {
        fprintf(stderr, "presence_monitor: sign-in failed: %s\n", msgr_hr_string(hr));
        example_stop();
    }
}

static void on_my_status(void *ud, msgr_messenger *m, msgr_hr hr, MISTATUS status)
{
    bool *listed = ud;
    (void)hr;
    /* The list is complete when the first real status arrives (api-scope
     * 6.3: the contacts' ILN follow and come as status events). */
    if (status == MISTATUS_ONLINE && !*listed) {
        *listed = true;
        printf("online\n");
        print_contact_list(m);
        fflush(stdout);
    }
}

static void on_contact_status(void *ud, msgr_messenger *m, msgr_contact *c, MISTATUS prev)
{
    MISTATUS now = MISTATUS_UNKNOWN;
    (void)ud;
    (void)m;
    (void)msgr_contact_get_status(c, &now);
    printf("status %s %s -> %s\n", signin_of(c), status_name(prev), status_name(now));
    fflush(stdout);
}

static void on_contact_name(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c,
                            const char *prev)
{
    const char *name = "";
    (void)ud;
    (void)m;
    (void)hr;
    (void)prev;
    (void)msgr_contact_get_friendly_name(c, &name);
    printf("name %s %s\n", signin_of(c), name);
    fflush(stdout);
}

static void on_reverse(void *ud, msgr_messenger *m, msgr_contact *c, bool added)
{
    (void)ud;
    (void)m;
    printf("%s %s\n", added ? "added-by" : "removed-by", signin_of(c));
    fflush(stdout);
}

static void on_signout(void *ud, msgr_messenger *m)
{
    (void)ud;
    (void)m;
    printf("signed out\n");
    fflush(stdout);
    example_stop();
}

int main(int argc, char **argv)
{
    example_args a;
    bool listed = false;
    if (example_parse(argc, argv, "[--server H:P] [--nexus URL] [--ca-file F] EMAIL", &a) != 0)
        return 2;
    static const msgr_messenger_events sink = {
        .on_signin = on_signin,
        .on_my_status_change = on_my_status,
        .on_contact_status_change = on_contact_status,
        .on_contact_friendly_name_change = on_contact_name,
        .on_contact_reverse_list_change = on_reverse,
        .on_signout = on_signout,
    };
    msgr_messenger *m = example_start(&a, &sink, &listed);
    if (!m)
        return 1;
    example_run(m);
    return 0;
}
