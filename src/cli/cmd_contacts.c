/*
 * cmd_contacts.c - msgr contacts, add, remove, block, unblock.
 *
 * Each change is a request whose outcome arrives as an event
 * (on_contact_list_add, on_contact_list_remove, on_contact_block_change);
 * the command succeeds only when that event reports success.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "names.h"
#include "session.h"

/* ---- listing ------------------------------------------------------------------ */

static const char *contact_str(msgr_contact *c, msgr_hr (*get)(msgr_contact *, const char **))
{
    const char *v = NULL;
    return MSGR_SUCCEEDED(get(c, &v)) && v ? v : "";
}

static int by_signin(const void *a, const void *b)
{
    msgr_contact *const *x = a, *const *y = b;
    return strcasecmp(contact_str(*x, msgr_contact_get_signin_name),
                      contact_str(*y, msgr_contact_get_signin_name));
}

/* The contact's groups (borrowed snapshot), or NULL. */
static msgr_groups *groups_of(msgr_contact *c, long *count)
{
    msgr_variant v = { .vt = MSGR_VT_EMPTY };
    *count = 0;
    if (MSGR_FAILED(msgr_contact_get_property(c, MCONTACTPROP_GROUPS_PROPERTY, &v)) ||
        v.vt != MSGR_VT_DISPATCH || !v.u.dispatch)
        return NULL;
    msgr_groups *gs = v.u.dispatch;
    if (MSGR_FAILED(msgr_groups_get_count(gs, count)))
        *count = 0;
    return gs;
}

static const char *group_name(msgr_groups *gs, long i)
{
    msgr_group *g = NULL;
    const char *name = NULL;
    if (MSGR_FAILED(msgr_groups_item(gs, i, &g)) || MSGR_FAILED(msgr_group_get_name(g, &name)))
        return "?";
    return name ? name : "?";
}

static const char *status_of(msgr_contact *c)
{
    MISTATUS st = MISTATUS_UNKNOWN;
    (void)msgr_contact_get_status(c, &st);
    return status_name(st);
}

static bool blocked_of(msgr_contact *c)
{
    bool b = false;
    (void)msgr_contact_get_blocked(c, &b);
    return b;
}

static void print_json_contact(msgr_contact *c, bool first_item)
{
    bool first = true;
    long ng = 0;
    msgr_groups *gs = groups_of(c, &ng);
    fputs(first_item ? "\n  {" : ",\n  {", stdout);
    json_member_str(stdout, &first, "signin", contact_str(c, msgr_contact_get_signin_name));
    json_member_str(stdout, &first, "friendly_name",
                    contact_str(c, msgr_contact_get_friendly_name));
    json_member_str(stdout, &first, "status", status_of(c));
    json_member_bool(stdout, &first, "blocked", blocked_of(c));
    json_key(stdout, &first, "groups");
    fputc('[', stdout);
    for (long i = 0; i < ng; i++) {
        if (i)
            fputc(',', stdout);
        json_string(stdout, group_name(gs, i));
    }
    fputs("]}", stdout);
}

/* Display width in code points (close enough for a terminal table). */
static size_t width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void cell(const char *s, size_t w)
{
    fputs(s, stdout);
    for (size_t n = width(s); n < w + 2; n++)
        fputc(' ', stdout);
}

static void print_row(msgr_contact *c, size_t w_signin, size_t w_name)
{
    long ng = 0;
    msgr_groups *gs = groups_of(c, &ng);
    cell(contact_str(c, msgr_contact_get_signin_name), w_signin);
    cell(contact_str(c, msgr_contact_get_friendly_name), w_name);
    cell(status_of(c), 9);
    cell(blocked_of(c) ? "yes" : "no", 7);
    for (long i = 0; i < ng; i++)
        printf("%s%s", i ? ", " : "", group_name(gs, i));
    fputc('\n', stdout);
}

static void print_table(msgr_contact **list, long n)
{
    size_t w_signin = strlen("SIGN-IN NAME"), w_name = strlen("FRIENDLY NAME");
    for (long i = 0; i < n; i++) {
        size_t a = width(contact_str(list[i], msgr_contact_get_signin_name));
        size_t b = width(contact_str(list[i], msgr_contact_get_friendly_name));
        w_signin = a > w_signin ? a : w_signin;
        w_name = b > w_name ? b : w_name;
    }
    cell("SIGN-IN NAME", w_signin);
    cell("FRIENDLY NAME", w_name);
    cell("STATUS", 9);
    cell("BLOCKED", 7);
    puts("GROUPS");
    for (long i = 0; i < n; i++)
        print_row(list[i], w_signin, w_name);
}

static int list_contacts(cli_session *s, cli_ctx *ctx)
{
    msgr_contacts *cs = NULL;
    long n = 0;
    if (MSGR_FAILED(msgr_messenger_get_my_contacts(s->m, &cs)) ||
        MSGR_FAILED(msgr_contacts_get_count(cs, &n))) {
        cli_error("cannot read the contact list");
        return CLI_FAIL;
    }
    msgr_contact **list = calloc((size_t)n + 1, sizeof *list);
    if (!list) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    long k = 0;
    for (long i = 0; i < n; i++)
        if (MSGR_SUCCEEDED(msgr_contacts_item(cs, i, &list[k])))
            k++;
    qsort(list, (size_t)k, sizeof *list, by_signin);
    if (ctx->json) {
        fputc('[', stdout);
        for (long i = 0; i < k; i++)
            print_json_contact(list[i], i == 0);
        fputs(k ? "\n]\n" : "]\n", stdout);
    } else {
        print_table(list, k);
    }
    free(list);
    return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}

int cmd_contacts(cli_ctx *ctx)
{
    return sess_run(ctx, list_contacts);
}

/* ---- changes -------------------------------------------------------------------- */

/* The outcome of one request about one contact. */
typedef struct outcome {
    const char *user;
    bool done;
    msgr_hr hr;
} outcome;

static void settle(outcome *o, msgr_contact *c, msgr_hr hr)
{
    if (!o->done && sess_contact_is(c, o->user)) {
        o->done = true;
        o->hr = hr;
    }
}

static void ev_list_add(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c)
{
    (void)m;
    settle(ud, c, hr);
}

static void ev_block(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c, bool blocked)
{
    (void)m;
    (void)blocked;
    settle(ud, c, hr);
}

static bool outcome_done(void *arg)
{
    return ((outcome *)arg)->done;
}

/* Waits for the outcome event of a request that was accepted. */
static int await(cli_session *s, outcome *o, const msgr_messenger_events *ev,
                 const char *what)
{
    uint32_t cookie = 0;
    if (MSGR_FAILED(msgr_messenger_advise(s->m, ev, o, &cookie))) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    int rc = sess_report(s, sess_wait(s, outcome_done, o, s->timeout_ms), what);
    (void)msgr_messenger_unadvise(s->m, cookie);
    if (rc == CLI_OK && MSGR_FAILED(o->hr)) {
        if (o->hr == MSGR_E_USER_NOT_FOUND)
            cli_error("no such user: %s", o->user);
        else if (o->hr == MSGR_E_ALREADY_IN_LIST)
            cli_error("%s is already on your contact list", o->user);
        else
            cli_error("%s: %s", o->user, hr_text(o->hr));
        rc = CLI_FAIL;
    }
    return rc;
}

static int check_user(const char *user)
{
    if (cli_valid_signin(user))
        return CLI_OK;
    cli_error("'%s' is not a sign-in name (name@domain)", user);
    return CLI_USAGE;
}

static int add_job(cli_session *s, cli_ctx *ctx)
{
    outcome o = { .user = ctx->pos[0] };
    static const msgr_messenger_events ev = { .on_contact_list_add = ev_list_add };
    msgr_hr hr = msgr_messenger_add_contact(s->m, 0, o.user);
    if (MSGR_FAILED(hr)) {
        cli_error("cannot add %s: %s", o.user, hr_text(hr));
        return CLI_FAIL;
    }
    return await(s, &o, &ev, "the server's answer");
}

int cmd_add(cli_ctx *ctx)
{
    int rc = check_user(ctx->pos[0]);
    return rc == CLI_OK ? sess_run(ctx, add_job) : rc;
}

/* The contact on the contact list (forward list) itself, referenced. */
static msgr_contact *listed(msgr_contacts *cs, const char *user)
{
    long n = 0;
    (void)msgr_contacts_get_count(cs, &n);
    for (long i = 0; i < n; i++) {
        msgr_contact *c = NULL;
        if (MSGR_SUCCEEDED(msgr_contacts_item(cs, i, &c)) && sess_contact_is(c, user))
            return c;
    }
    return NULL;
}

static int remove_job(cli_session *s, cli_ctx *ctx)
{
    outcome o = { .user = ctx->pos[0] };
    static const msgr_messenger_events ev = { .on_contact_list_remove = ev_list_add };
    msgr_contacts *cs = NULL;
    msgr_contact *c = NULL;
    if (MSGR_SUCCEEDED(msgr_messenger_get_my_contacts(s->m, &cs)))
        c = listed(cs, o.user);
    if (!c) {
        cli_error("%s is not on your contact list", o.user);
        return CLI_FAIL;
    }
    msgr_hr hr = msgr_contacts_remove(cs, c);
    if (MSGR_FAILED(hr)) {
        cli_error("cannot remove %s: %s", o.user, hr_text(hr));
        return CLI_FAIL;
    }
    return await(s, &o, &ev, "the server's answer");
}

int cmd_remove(cli_ctx *ctx)
{
    int rc = check_user(ctx->pos[0]);
    return rc == CLI_OK ? sess_run(ctx, remove_job) : rc;
}

static int set_blocked(cli_session *s, const char *user, bool block)
{
    outcome o = { .user = user };
    static const msgr_messenger_events ev = { .on_contact_block_change = ev_block };
    msgr_hr hr;
    msgr_contact *c = sess_contact(s, user, true, &hr);
    if (!c) {
        cli_error("%s: %s", user, hr_text(hr));
        return CLI_FAIL;
    }
    bool self = false;
    (void)msgr_contact_get_is_self(c, &self);
    hr = self ? MSGR_E_FAIL : msgr_contact_set_blocked(c, block);
    msgr_object_release(c);
    if (self) {
        cli_error("you cannot %s yourself", block ? "block" : "unblock");
        return CLI_USAGE;
    }
    if (hr == MSGR_S_FALSE)
        return CLI_OK; /* already in that state: nothing to do */
    if (MSGR_FAILED(hr)) {
        cli_error("cannot %s %s: %s", block ? "block" : "unblock", user, hr_text(hr));
        return CLI_FAIL;
    }
    return await(s, &o, &ev, "the server's answer");
}

static int block_job(cli_session *s, cli_ctx *ctx)
{
    return set_blocked(s, ctx->pos[0], true);
}

static int unblock_job(cli_session *s, cli_ctx *ctx)
{
    return set_blocked(s, ctx->pos[0], false);
}

int cmd_block(cli_ctx *ctx)
{
    int rc = check_user(ctx->pos[0]);
    return rc == CLI_OK ? sess_run(ctx, block_job) : rc;
}

int cmd_unblock(cli_ctx *ctx)
{
    int rc = check_user(ctx->pos[0]);
    return rc == CLI_OK ? sess_run(ctx, unblock_job) : rc;
}
