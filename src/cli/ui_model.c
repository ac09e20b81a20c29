/*
 * ui_model.c - what the interactive client knows, kept from libmsgr's
 * events: the event sink, the rows of the contact list (by group or by
 * online status) and the people who added the local user and wait for an
 * answer.
 *
 * The contact list is read again from libmsgr for every redraw instead of
 * being mirrored: libmsgr already keeps it current, and a copy could only
 * drift. Rows hold copies of the strings because libmsgr's are borrowed
 * only until the next msgr_messenger_process().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "names.h"
#include "ui.h"

const char *status_label(MISTATUS st)
{
    switch (st) {
    case MISTATUS_ONLINE:
        return "Online";
    case MISTATUS_BUSY:
        return "Busy";
    case MISTATUS_BE_RIGHT_BACK:
        return "Be Right Back";
    case MISTATUS_IDLE:
        return "Idle";
    case MISTATUS_AWAY:
        return "Away";
    case MISTATUS_ON_THE_PHONE:
        return "On the Phone";
    case MISTATUS_OUT_TO_LUNCH:
        return "Out to Lunch";
    case MISTATUS_INVISIBLE:
        return "Appear Offline";
    case MISTATUS_OFFLINE:
        return "Offline";
    default:
        return "Unknown";
    }
}

/* ---- rows (pure) ------------------------------------------------------------------ */

static bool is_online(MISTATUS st)
{
    return st != MISTATUS_OFFLINE && st != MISTATUS_UNKNOWN;
}

static int by_name(const void *a, const void *b)
{
    const ui_entry *const *x = a, *const *y = b;
    int c = strcasecmp((*x)->friendly, (*y)->friendly);
    return c ? c : strcasecmp((*x)->signin, (*y)->signin);
}

typedef struct row_list {
    ui_row *rows;
    size_t n, cap;
} row_list;

static ui_row *push(row_list *l, row_kind kind, const char *key, const char *label)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        ui_row *t = realloc(l->rows, cap * sizeof *t);
        if (!t)
            return NULL;
        l->rows = t;
        l->cap = cap;
    }
    ui_row *r = &l->rows[l->n];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->key = strdup(key);
    r->label = strdup(label);
    if (!r->key || !r->label) {
        free(r->key);
        free(r->label);
        return NULL;
    }
    l->n++;
    return r;
}

static void push_contact(row_list *l, const ui_entry *e)
{
    char label[512];
    snprintf(label, sizeof label, "%s (%s)%s", e->friendly, status_label(e->status),
             e->blocked ? " [blocked]" : "");
    ui_row *r = push(l, ROW_CONTACT, e->signin, label);
    if (r) {
        r->status = e->status;
        r->blocked = e->blocked;
    }
}

static bool in_group(const ui_entry *e, const char *group)
{
    for (size_t i = 0; i < e->ngroups; i++)
        if (strcmp(e->groups[i], group) == 0)
            return true;
    return false;
}

/* One section: a header "title (online/total)" and its members, sorted. */
static void section(row_list *l, const ui_entry **sorted, size_t n, const char *key,
                    const char *title, bool is_group, bool (*member)(const ui_entry *, const void *),
                    const void *arg, bool counts_online)
{
    size_t total = 0, online = 0;
    for (size_t i = 0; i < n; i++)
        if (member(sorted[i], arg)) {
            total++;
            online += is_online(sorted[i]->status);
        }
    if (!is_group && total == 0)
        return;
    char label[256];
    if (counts_online)
        snprintf(label, sizeof label, "%s (%zu/%zu)", title, online, total);
    else
        snprintf(label, sizeof label, "%s (%zu)", title, total);
    ui_row *h = push(l, ROW_HEADER, key, label);
    if (h)
        h->is_group = is_group;
    for (size_t i = 0; i < n; i++)
        if (member(sorted[i], arg))
            push_contact(l, sorted[i]);
}

static bool member_of_group(const ui_entry *e, const void *arg)
{
    return in_group(e, arg);
}

static bool member_online(const ui_entry *e, const void *arg)
{
    return is_online(e->status) == *(const bool *)arg;
}

static bool member_groupless(const ui_entry *e, const void *arg)
{
    (void)arg;
    return e->ngroups == 0;
}

size_t model_rows(const ui_entry *e, size_t n, char *const *groups, size_t ngroups,
                  MUASORT sort, char *const *pending, size_t npending, ui_row **out)
{
    row_list l = { 0 };
    const ui_entry **sorted = calloc(n + 1, sizeof *sorted);
    for (size_t i = 0; sorted && i < n; i++)
        sorted[i] = &e[i];
    if (sorted)
        qsort(sorted, n, sizeof *sorted, by_name);
    if (sorted && sort == MUASORT_GROUPS) {
        for (size_t g = 0; g < ngroups; g++)
            section(&l, sorted, n, groups[g], groups[g], true, member_of_group, groups[g], true);
        section(&l, sorted, n, "", "No group", false, member_groupless, NULL, true);
    } else if (sorted) {
        static const bool yes = true, no = false;
        section(&l, sorted, n, "online", "Online", false, member_online, &yes, false);
        section(&l, sorted, n, "offline", "Not Online", false, member_online, &no, false);
    }
    if (npending > 0) {
        char label[64];
        snprintf(label, sizeof label, "Added you (%zu)", npending);
        push(&l, ROW_HEADER, "pending", label);
        for (size_t i = 0; i < npending; i++) {
            char text[256];
            snprintf(text, sizeof text, "%s - Enter: allow or block", pending[i]);
            push(&l, ROW_PENDING, pending[i], text);
        }
    }
    free(sorted);
    *out = l.rows;
    return l.n;
}

void model_free_rows(ui_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].key);
        free(rows[i].label);
    }
    free(rows);
}

/* ---- reading libmsgr ------------------------------------------------------------------ */

static char *copy_of(msgr_contact *c, msgr_hr (*get)(msgr_contact *, const char **))
{
    const char *v = NULL;
    return strdup(MSGR_SUCCEEDED(get(c, &v)) && v ? v : "");
}

static void entry_groups(ui_entry *e, msgr_contact *c)
{
    msgr_variant v = { .vt = MSGR_VT_EMPTY };
    long n = 0;
    if (MSGR_FAILED(msgr_contact_get_property(c, MCONTACTPROP_GROUPS_PROPERTY, &v)) ||
        v.vt != MSGR_VT_DISPATCH || !v.u.dispatch ||
        MSGR_FAILED(msgr_groups_get_count(v.u.dispatch, &n)) || n <= 0)
        return;
    e->groups = calloc((size_t)n, sizeof *e->groups);
    for (long i = 0; e->groups && i < n; i++) {
        msgr_group *g = NULL;
        const char *name = NULL;
        if (MSGR_SUCCEEDED(msgr_groups_item(v.u.dispatch, i, &g)) &&
            MSGR_SUCCEEDED(msgr_group_get_name(g, &name)) && name &&
            (e->groups[e->ngroups] = strdup(name)))
            e->ngroups++;
    }
}

static void entry_free(ui_entry *e)
{
    free(e->signin);
    free(e->friendly);
    for (size_t i = 0; i < e->ngroups; i++)
        free(e->groups[i]);
    free(e->groups);
}

static size_t read_entries(ui *u, ui_entry **out)
{
    msgr_contacts *cs = NULL;
    long n = 0;
    *out = NULL;
    if (!u->m || MSGR_FAILED(msgr_messenger_get_my_contacts(u->m, &cs)) ||
        MSGR_FAILED(msgr_contacts_get_count(cs, &n)) || n <= 0)
        return 0;
    ui_entry *e = calloc((size_t)n, sizeof *e);
    size_t k = 0;
    for (long i = 0; e && i < n; i++) {
        msgr_contact *c = NULL;
        if (MSGR_FAILED(msgr_contacts_item(cs, i, &c)))
            continue;
        ui_entry *x = &e[k++];
        x->signin = copy_of(c, msgr_contact_get_signin_name);
        x->friendly = copy_of(c, msgr_contact_get_friendly_name);
        (void)msgr_contact_get_status(c, &x->status);
        (void)msgr_contact_get_blocked(c, &x->blocked);
        entry_groups(x, c);
        if (!x->signin || !x->friendly) {
            entry_free(x);
            k--;
        }
    }
    *out = e;
    return k;
}

static size_t read_groups(ui *u, char ***out)
{
    msgr_groups *gs = NULL;
    long n = 0;
    *out = NULL;
    if (!u->m || MSGR_FAILED(msgr_messenger_get_my_groups(u->m, &gs)) ||
        MSGR_FAILED(msgr_groups_get_count(gs, &n)) || n <= 0)
        return 0;
    char **names = calloc((size_t)n, sizeof *names);
    size_t k = 0;
    for (long i = 0; names && i < n; i++) {
        msgr_group *g = NULL;
        const char *name = NULL;
        if (MSGR_SUCCEEDED(msgr_groups_item(gs, i, &g)) &&
            MSGR_SUCCEEDED(msgr_group_get_name(g, &name)) && name &&
            (names[k] = strdup(name)))
            k++;
    }
    *out = names;
    return k;
}

/* Keeps the cursor on the same row (same kind and key) across rebuilds. */
static void keep_selection(ui *u)
{
    for (size_t i = 0; i < u->nrows; i++)
        if (u->rows[i].kind == u->sel_kind && strcmp(u->rows[i].key, u->sel_key) == 0) {
            u->sel = (int)i;
            return;
        }
    if (u->sel >= (int)u->nrows)
        u->sel = (int)u->nrows - 1;
    if (u->sel < 0)
        u->sel = 0;
}

void model_refresh(ui *u)
{
    ui_entry *e = NULL;
    char **groups = NULL;
    size_t n = read_entries(u, &e), ng = read_groups(u, &groups);
    model_free_rows(u->rows, u->nrows);
    u->nrows = model_rows(e, n, groups, ng, u->sort, u->pending, u->npending, &u->rows);
    for (size_t i = 0; i < n; i++)
        entry_free(&e[i]);
    free(e);
    for (size_t i = 0; i < ng; i++)
        free(groups[i]);
    free(groups);
    keep_selection(u);
}

msgr_contact *model_contact(ui *u, const char *signin, bool unlisted)
{
    msgr_contact *c = NULL;
    if (!u->m)
        return NULL;
    msgr_hr hr = msgr_messenger_get_contact(u->m, signin, "", &c);
    if (hr == MSGR_E_USER_NOT_FOUND && unlisted)
        hr = msgr_messenger_get_contact(u->m, signin, MSGR_SERVICE_ID_MSNP, &c);
    return MSGR_SUCCEEDED(hr) ? c : NULL;
}

msgr_group *model_group(ui *u, const char *name)
{
    msgr_groups *gs = NULL;
    long n = 0;
    if (!u->m || MSGR_FAILED(msgr_messenger_get_my_groups(u->m, &gs)) ||
        MSGR_FAILED(msgr_groups_get_count(gs, &n)))
        return NULL;
    for (long i = 0; i < n; i++) {
        msgr_group *g = NULL;
        const char *gname = NULL;
        if (MSGR_SUCCEEDED(msgr_groups_item(gs, i, &g)) &&
            MSGR_SUCCEEDED(msgr_group_get_name(g, &gname)) && gname &&
            strcmp(gname, name) == 0)
            return g;
    }
    return NULL;
}

/* ---- pending reverse-list additions ---------------------------------------------------- */

void model_pending_add(ui *u, const char *signin)
{
    for (size_t i = 0; i < u->npending; i++)
        if (strcasecmp(u->pending[i], signin) == 0)
            return;
    char **t = realloc(u->pending, (u->npending + 1) * sizeof *t);
    if (!t)
        return;
    u->pending = t;
    if ((t[u->npending] = strdup(signin)))
        u->npending++;
}

void model_pending_drop(ui *u, const char *signin)
{
    for (size_t i = 0; i < u->npending; i++)
        if (strcasecmp(u->pending[i], signin) == 0) {
            free(u->pending[i]);
            memmove(&u->pending[i], &u->pending[i + 1],
                    (u->npending - i - 1) * sizeof *u->pending);
            u->npending--;
            return;
        }
}

/* ---- the event sink ---------------------------------------------------------------------- */

static const char *name_of(msgr_contact *c)
{
    const char *v = NULL;
    if (c && MSGR_SUCCEEDED(msgr_contact_get_friendly_name(c, &v)) && v && *v)
        return v;
    if (c && MSGR_SUCCEEDED(msgr_contact_get_signin_name(c, &v)) && v)
        return v;
    return "?";
}

static const char *signin_of(msgr_contact *c)
{
    const char *v = NULL;
    return c && MSGR_SUCCEEDED(msgr_contact_get_signin_name(c, &v)) && v ? v : "?";
}

static void ev_signin(void *ud, msgr_messenger *m, msgr_hr hr)
{
    (void)m;
    signin_on_signin(ud, hr);
}

static void ev_my_status(void *ud, msgr_messenger *m, msgr_hr hr, MISTATUS st)
{
    (void)m;
    signin_on_status(ud, hr, st);
}

static void ev_contact_status(void *ud, msgr_messenger *m, msgr_contact *c, MISTATUS prev)
{
    ui *u = ud;
    MISTATUS now = MISTATUS_UNKNOWN;
    (void)m;
    (void)msgr_contact_get_status(c, &now);
    if (!is_online(prev) && is_online(now))
        ui_note(u, "%s has just signed in", name_of(c));
    u->dirty = true;
}

static void ev_changed(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c,
                       const char *prev)
{
    (void)m;
    (void)hr;
    (void)c;
    (void)prev;
    ((ui *)ud)->dirty = true;
}

/* The own name changed (the header shows it), here, in another program
 * attached to the same messenger, or refused by the server. */
static void ev_my_name(void *ud, msgr_messenger *m, msgr_hr hr, const char *prev)
{
    ui *u = ud;
    const char *now = NULL;
    (void)prev;
    if (MSGR_FAILED(hr))
        ui_note(u, "Cannot change your display name: %s", hr_text(hr));
    else if (MSGR_SUCCEEDED(msgr_messenger_get_my_friendly_name(m, &now)) && now)
        ui_note(u, "Your display name is now \"%s\"", now);
    u->dirty = true;
}

static void ev_list_add(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c)
{
    ui *u = ud;
    (void)m;
    if (MSGR_SUCCEEDED(hr)) {
        model_pending_drop(u, signin_of(c));
        ui_note(u, "%s was added to your contact list", signin_of(c));
    } else
        ui_note(u, "Cannot add %s: %s", signin_of(c), hr_text(hr));
}

static void ev_list_remove(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c)
{
    (void)m;
    if (MSGR_SUCCEEDED(hr))
        ui_note(ud, "%s was removed from your contact list", signin_of(c));
    else
        ui_note(ud, "Cannot remove %s: %s", signin_of(c), hr_text(hr));
}

static void ev_block(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c, bool blocked)
{
    ui *u = ud;
    (void)m;
    if (MSGR_FAILED(hr)) {
        ui_note(u, "Cannot change the block of %s: %s", signin_of(c), hr_text(hr));
        return;
    }
    model_pending_drop(u, signin_of(c));
    ui_note(u, blocked ? "%s is blocked: they see you offline and cannot message you"
                       : "%s is no longer blocked", signin_of(c));
}

static void group_result(ui *u, msgr_hr hr, msgr_group *g, const char *what)
{
    const char *name = NULL;
    if (MSGR_FAILED(msgr_group_get_name(g, &name)) || !name)
        name = "?";
    if (MSGR_SUCCEEDED(hr))
        ui_note(u, "Group \"%s\" %s", name, what);
    else
        ui_note(u, "Group \"%s\" not %s: %s", name, what, hr_text(hr));
}

static void ev_group_added(void *ud, msgr_messenger *m, msgr_hr hr, msgr_group *g)
{
    (void)m;
    group_result(ud, hr, g, "created");
}

static void ev_group_renamed(void *ud, msgr_messenger *m, msgr_hr hr, msgr_group *g)
{
    (void)m;
    group_result(ud, hr, g, "renamed");
}

static void ev_group_removed(void *ud, msgr_messenger *m, msgr_hr hr, msgr_group *g)
{
    (void)m;
    group_result(ud, hr, g, "deleted");
}

static void ev_group_member(void *ud, msgr_messenger *m, msgr_hr hr, msgr_group *g,
                            msgr_contact *c)
{
    (void)m;
    (void)g;
    if (MSGR_FAILED(hr))
        ui_note(ud, "Cannot move %s: %s", signin_of(c), hr_text(hr));
    ((ui *)ud)->dirty = true;
}

static void ev_window_created(void *ud, msgr_messenger *m, msgr_window *w)
{
    (void)m;
    conv_on_created(ud, w);
}

static void ev_window_destroyed(void *ud, msgr_messenger *m, msgr_window *w)
{
    (void)m;
    conv_on_destroyed(ud, w);
}

static void ev_joined(void *ud, msgr_messenger *m, msgr_contact *c, msgr_window *w)
{
    (void)m;
    conv_on_member(ud, w, c, true);
}

static void ev_left(void *ud, msgr_messenger *m, msgr_contact *c, msgr_window *w)
{
    (void)m;
    conv_on_member(ud, w, c, false);
}

static void ev_message(void *ud, msgr_messenger *m, msgr_window *w, msgr_contact *from,
                       const char *text)
{
    (void)m;
    conv_on_message(ud, w, from, text);
}

static void ev_typing(void *ud, msgr_messenger *m, msgr_window *w, msgr_contact *from)
{
    (void)m;
    conv_on_typing(ud, w, from);
}

static void ev_mail(void *ud, msgr_messenger *m, MUAFOLDER folder, int32_t unread,
                    bool *enable_default)
{
    ui *u = ud;
    (void)m;
    (void)enable_default;
    if (folder != MUAFOLDER_INBOX)
        return;
    if (unread > u->unread_mail && u->unread_mail >= 0)
        ui_note(u, "You have %ld unread e-mail message%s", (long)unread,
                unread == 1 ? "" : "s");
    u->unread_mail = unread;
    u->dirty = true;
}

/* Someone put the local user on their list. Pending when neither allowed
 * nor blocked yet: Windows Messenger asked at once, so do we. */
static void ev_reverse(void *ud, msgr_messenger *m, msgr_contact *c, bool added)
{
    ui *u = ud;
    unsigned lists = 0;
    (void)m;
    (void)msgr_contact_get_lists(c, &lists);
    if (!added) {
        model_pending_drop(u, signin_of(c));
        ui_note(u, "%s removed you from their contact list", signin_of(c));
        return;
    }
    if (lists & (MSGR_LIST_ALLOW | MSGR_LIST_BLOCK)) {
        ui_note(u, "%s added you to their contact list", signin_of(c));
        return;
    }
    model_pending_add(u, signin_of(c));
    contacts_ask_pending(u, signin_of(c));
}

static void ev_ft_invite(void *ud, msgr_messenger *m, msgr_window *w, msgr_contact *from,
                         msgr_file_transfer *t)
{
    (void)m;
    transfer_on_invitation(ud, w, from, t);
}

static void ev_ft_progress(void *ud, msgr_messenger *m, msgr_file_transfer *t)
{
    (void)m;
    transfer_on_progress(ud, t);
}

static void ev_ft_state(void *ud, msgr_messenger *m, msgr_file_transfer *t, MSGR_FT_STATE st,
                        msgr_hr hr)
{
    (void)m;
    transfer_on_state(ud, t, st, hr);
}

/* ---- alerts (alerts.c) ---------------------------------------------------------------- */

void model_on_alert(void *ud, const char *text, const char *url)
{
    if (url)
        ui_note(ud, "Alert: %s  <%s>", text, url);
    else
        ui_note(ud, "Alert: %s", text);
}

void model_on_alert_note(void *ud, bool ok, const char *note)
{
    if (!ok)
        ui_note(ud, "%s", note); /* success is silent: it is the normal case */
}

const msgr_messenger_events UI_EVENTS = {
    .on_signin = ev_signin,
    .on_my_status_change = ev_my_status,
    .on_contact_status_change = ev_contact_status,
    .on_contact_friendly_name_change = ev_changed,
    .on_my_friendly_name_change = ev_my_name,
    .on_contact_list_add = ev_list_add,
    .on_contact_list_remove = ev_list_remove,
    .on_contact_block_change = ev_block,
    .on_group_added = ev_group_added,
    .on_group_name_changed = ev_group_renamed,
    .on_group_removed = ev_group_removed,
    .on_contact_added_to_group = ev_group_member,
    .on_contact_removed_from_group = ev_group_member,
    .on_im_window_created = ev_window_created,
    .on_im_window_destroyed = ev_window_destroyed,
    .on_im_window_contact_added = ev_joined,
    .on_im_window_contact_removed = ev_left,
    .on_im_window_message = ev_message,
    .on_im_window_typing = ev_typing,
    .on_unread_email_change = ev_mail,
    .on_contact_reverse_list_change = ev_reverse,
    .on_file_transfer_invitation = ev_ft_invite,
    .on_file_transfer_progress = ev_ft_progress,
    .on_file_transfer_state_change = ev_ft_state,
};
