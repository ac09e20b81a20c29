/*
 * ui_contacts.c - the contact list pane: drawing the rows of ui_model.c
 * and what the keys do to contacts and groups (add, remove, block, invite,
 * groups, sort order, own status, people who added you).
 *
 * Every change is a request: libmsgr answers with an event, which
 * ui_model.c turns into a note in the status bar, so a key here only
 * starts the request and reports a refusal that happens at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "names.h"
#include "ui.h"

static ui_row *selected(ui *u)
{
    if (u->sel < 0 || (size_t)u->sel >= u->nrows)
        return NULL;
    return &u->rows[u->sel];
}

static void remember_selection(ui *u)
{
    ui_row *r = selected(u);
    if (!r)
        return;
    snprintf(u->sel_key, sizeof u->sel_key, "%s", r->key);
    u->sel_kind = r->kind;
}

static void report(ui *u, msgr_hr hr, const char *what)
{
    if (MSGR_FAILED(hr))
        ui_note(u, "Cannot %s: %s", what, hr_text(hr));
}

/* ---- add / remove / block -------------------------------------------------------------- */

static void done_add(ui *u, int choice, const char *text, const char *arg)
{
    (void)arg;
    if (choice < 0 || !text || !*text)
        return;
    if (!cli_valid_signin(text)) {
        ui_note(u, "'%s' is not a sign-in name (name@domain)", text);
        return;
    }
    msgr_hr hr = msgr_messenger_add_contact(u->m, 0, text);
    report(u, hr, "add the contact");
    if (MSGR_SUCCEEDED(hr))
        ui_note(u, "Adding %s...", text);
}

/* The contact object listed under a sign-in name, or NULL. */
static msgr_contact *listed(msgr_contacts *cs, const char *signin)
{
    long n = 0;
    (void)msgr_contacts_get_count(cs, &n);
    for (long i = 0; i < n; i++) {
        msgr_contact *c = NULL;
        const char *name = NULL;
        if (MSGR_SUCCEEDED(msgr_contacts_item(cs, i, &c)) &&
            MSGR_SUCCEEDED(msgr_contact_get_signin_name(c, &name)) && name &&
            strcasecmp(name, signin) == 0)
            return c;
    }
    return NULL;
}

static void done_remove(ui *u, int choice, const char *text, const char *arg)
{
    msgr_contacts *cs = NULL;
    msgr_contact *c = NULL;
    (void)text;
    if (choice != 0)
        return;
    if (MSGR_SUCCEEDED(msgr_messenger_get_my_contacts(u->m, &cs)))
        c = listed(cs, arg);
    if (!c) {
        ui_note(u, "%s is not on your contact list", arg);
        return;
    }
    report(u, msgr_contacts_remove(cs, c), "remove the contact");
}

static void done_delete_group(ui *u, int choice, const char *text, const char *arg)
{
    msgr_groups *gs = NULL;
    msgr_group *g = model_group(u, arg);
    (void)text;
    if (choice != 0 || !g)
        return;
    if (MSGR_SUCCEEDED(msgr_messenger_get_my_groups(u->m, &gs)))
        report(u, msgr_groups_remove(gs, g), "delete the group");
}

static void ask_remove(ui *u, ui_row *r)
{
    static const char *const opts[] = { "&Remove", "&Cancel" };
    char text[320];
    if (r->kind == ROW_CONTACT) {
        snprintf(text, sizeof text, "Remove %s from your contact list?", r->key);
        modal_menu(u, "Remove a Contact", text, opts, 2, done_remove, r->key);
    } else if (r->kind == ROW_HEADER && r->is_group) {
        snprintf(text, sizeof text,
                 "Delete the group \"%s\"? Contacts only in this group leave your list.",
                 r->key);
        modal_menu(u, "Delete a Group", text, opts, 2, done_delete_group, r->key);
    }
}

static void toggle_block(ui *u, ui_row *r)
{
    msgr_contact *c = model_contact(u, r->key, true);
    bool blocked = false;
    if (!c) {
        ui_note(u, "No such contact: %s", r->key);
        return;
    }
    (void)msgr_contact_get_blocked(c, &blocked);
    msgr_hr hr = msgr_contact_set_blocked(c, !blocked);
    report(u, hr, blocked ? "unblock" : "block");
    if (hr == MSGR_S_OK)
        ui_note(u, "%s %s...", blocked ? "Unblocking" : "Blocking", r->key);
}

/* ---- your display name ---------------------------------------------------------------- */

static void done_my_name(ui *u, int choice, const char *text, const char *arg)
{
    (void)arg;
    if (choice < 0 || !text)
        return;
    msgr_hr hr = msgr_messenger_set_my_friendly_name(u->m, text);
    if (hr == MSGR_S_FALSE)
        ui_note(u, "That is already your display name");
    else if (hr == MSGR_E_INVALIDARG)
        ui_note(u, "Your display name cannot be empty");
    else if (hr == MSGR_E_INVALID_FRIENDLY_NAME)
        ui_note(u, "Not a usable display name: at most %d characters, no control "
                   "characters", MSGR_FRIENDLY_NAME_MAX);
    else if (MSGR_FAILED(hr))
        report(u, hr, "change your display name");
    else
        ui_note(u, "Changing your display name...");
}

/* The name contacts see; the header shows the current one. */
static void ask_my_name(ui *u)
{
    const char *now = NULL;
    if (MSGR_FAILED(msgr_messenger_get_my_friendly_name(u->m, &now)))
        now = NULL;
    modal_prompt(u, "Your Display Name", "The name your contacts see:", now,
                 MSGR_FRIENDLY_NAME_MAX * 4, done_my_name, "");
}

/* ---- people who added you ------------------------------------------------------------- */

static void done_pending(ui *u, int choice, const char *text, const char *arg)
{
    (void)text;
    if (choice == 0) {
        report(u, msgr_messenger_add_contact(u->m, 0, arg), "add the contact");
    } else if (choice == 1) {
        msgr_contact *c = model_contact(u, arg, true);
        report(u, c ? msgr_contact_set_blocked(c, true) : MSGR_E_USER_NOT_FOUND, "block");
    }
}

void contacts_ask_pending(ui *u, const char *signin)
{
    static const char *const opts[] = { "&Allow: add to my contacts", "&Block",
                                        "Decide &later" };
    char text[320];
    if (u->modal.kind != MODAL_NONE) {
        if (u->nqueued < (int)(sizeof u->queued_pending / sizeof u->queued_pending[0]))
            snprintf(u->queued_pending[u->nqueued++], sizeof u->queued_pending[0], "%s",
                     signin);
        return;
    }
    snprintf(text, sizeof text,
             "%s has added you to their contact list. Allow them to see when you are "
             "online and contact you?", signin);
    modal_menu(u, "Someone added you", text, opts, 3, done_pending, signin);
}

/* ---- groups ------------------------------------------------------------------------------ */

static msgr_service *primary(ui *u)
{
    msgr_services *ss = NULL;
    msgr_service *s = NULL;
    if (MSGR_SUCCEEDED(msgr_messenger_get_services(u->m, &ss)))
        (void)msgr_services_get_primary_service(ss, &s);
    return s;
}

static void done_create_group(ui *u, int choice, const char *text, const char *arg)
{
    msgr_group *g = NULL;
    (void)arg;
    if (choice < 0 || !text || !*text)
        return;
    msgr_hr hr = msgr_messenger_create_group(u->m, text, primary(u), &g);
    report(u, hr, "create the group");
}

static void done_rename_group(ui *u, int choice, const char *text, const char *arg)
{
    msgr_group *g = model_group(u, arg);
    if (choice < 0 || !text || !*text || !g)
        return;
    report(u, msgr_group_set_name(g, text), "rename the group");
}

/* Move: into the new group first, then out of the others, so the contact
 * never has no group (a contact leaving its last group leaves the list). */
static void done_move(ui *u, int choice, const char *text, const char *arg)
{
    msgr_contact *c = model_contact(u, arg, false);
    msgr_group *to = text && *text ? model_group(u, text) : NULL;
    if (choice < 0 || !c)
        return;
    if (!to) {
        ui_note(u, "No group named \"%s\" (g creates one)", text ? text : "");
        return;
    }
    msgr_hr hr = msgr_group_add_contact(to, c);
    report(u, hr, "move the contact");
    msgr_variant v = { .vt = MSGR_VT_EMPTY };
    long n = 0;
    if (MSGR_FAILED(hr) ||
        MSGR_FAILED(msgr_contact_get_property(c, MCONTACTPROP_GROUPS_PROPERTY, &v)) ||
        v.vt != MSGR_VT_DISPATCH || MSGR_FAILED(msgr_groups_get_count(v.u.dispatch, &n)))
        return;
    for (long i = 0; i < n; i++) {
        msgr_group *g = NULL;
        if (MSGR_SUCCEEDED(msgr_groups_item(v.u.dispatch, i, &g)) && g != to)
            (void)msgr_group_remove_contact(g, c);
    }
    ui_note(u, "Moving %s to \"%s\"...", arg, text);
}

static void ask_move(ui *u, ui_row *r)
{
    msgr_groups *gs = NULL;
    long n = 0;
    char text[320] = "Move to which group? (";
    if (MSGR_SUCCEEDED(msgr_messenger_get_my_groups(u->m, &gs)))
        (void)msgr_groups_get_count(gs, &n);
    for (long i = 0; i < n; i++) {
        msgr_group *g = NULL;
        const char *name = NULL;
        if (MSGR_SUCCEEDED(msgr_groups_item(gs, i, &g)) &&
            MSGR_SUCCEEDED(msgr_group_get_name(g, &name)) && name) {
            size_t len = strlen(text);
            snprintf(text + len, sizeof text - len, "%s%s", i ? ", " : "", name);
        }
    }
    size_t len = strlen(text);
    snprintf(text + len, sizeof text - len, ")");
    modal_prompt(u, "Move a Contact", text, NULL, 61, done_move, r->key);
}

/* ---- status and sort order --------------------------------------------------------------- */

static const MISTATUS STATUS_CHOICES[] = {
    MISTATUS_ONLINE, MISTATUS_BUSY, MISTATUS_BE_RIGHT_BACK, MISTATUS_AWAY,
    MISTATUS_ON_THE_PHONE, MISTATUS_OUT_TO_LUNCH, MISTATUS_INVISIBLE,
};

static void done_status(ui *u, int choice, const char *text, const char *arg)
{
    (void)text;
    (void)arg;
    if (choice < 0 || choice >= (int)(sizeof STATUS_CHOICES / sizeof STATUS_CHOICES[0]))
        return;
    msgr_hr hr = msgr_messenger_set_my_status(u->m, STATUS_CHOICES[choice]);
    report(u, hr, "change the status");
    if (MSGR_SUCCEEDED(hr)) {
        u->wanted_status = STATUS_CHOICES[choice];
        signin_remember_status(u, STATUS_CHOICES[choice]);
    }
}

static void ask_status(ui *u)
{
    static const char *const opts[] = { "&Online", "&Busy", "Be &Right Back", "&Away",
                                        "On the &Phone", "Out to &Lunch", "Appear O&ffline" };
    modal_menu(u, "My Status", "Show me to my contacts as:", opts, 7, done_status, "");
}

static void toggle_sort(ui *u)
{
    MUASORT next = u->sort == MUASORT_GROUPS ? MUASORT_ONOFFLINE : MUASORT_GROUPS;
    msgr_hr hr = msgr_messenger_set_contacts_sort_order(u->m, next);
    if (MSGR_SUCCEEDED(hr))
        u->sort = next;
    else
        report(u, hr, "change the sort order");
    ui_note(u, "Contacts sorted by %s", u->sort == MUASORT_GROUPS ? "group" : "online status");
}

/* ---- keys ---------------------------------------------------------------------------------- */

static void move_sel(ui *u, int delta)
{
    u->sel += delta;
    if (u->sel >= (int)u->nrows)
        u->sel = (int)u->nrows - 1;
    if (u->sel < 0)
        u->sel = 0;
    remember_selection(u);
}

static void activate(ui *u, ui_row *r)
{
    if (r->kind == ROW_PENDING) {
        contacts_ask_pending(u, r->key);
    } else if (r->kind == ROW_CONTACT) {
        msgr_contact *c = model_contact(u, r->key, true);
        if (c)
            conv_open_with(u, c);
    }
}

/* Keys that work on the row under the cursor. */
static bool row_key(ui *u, wint_t ch, bool is_key)
{
    ui_row *r = selected(u);
    if (!r)
        return false;
    bool contact = r->kind == ROW_CONTACT;
    if ((!is_key && (ch == '\r' || ch == '\n')) || (is_key && ch == KEY_ENTER))
        activate(u, r);
    else if ((!is_key && ch == 'd') || (is_key && ch == KEY_DC))
        ask_remove(u, r);
    else if (!is_key && ch == 'b' && (contact || r->kind == ROW_PENDING))
        toggle_block(u, r);
    else if (!is_key && ch == 'i' && contact) {
        msgr_contact *c = model_contact(u, r->key, true);
        if (c)
            conv_invite(u, c);
    } else if (!is_key && ch == 'r' && r->kind == ROW_HEADER && r->is_group)
        modal_prompt(u, "Rename Group", "New name of the group:", r->key, 61,
                     done_rename_group, r->key);
    else if (!is_key && ch == 'm' && contact)
        ask_move(u, r);
    else
        return false;
    return true;
}

void contacts_key(ui *u, wint_t ch, bool is_key)
{
    int page = LINES - 4 > 1 ? LINES - 4 : 1;
    u->dirty = true;
    if (is_key && (ch == KEY_UP || ch == KEY_DOWN || ch == KEY_PPAGE || ch == KEY_NPAGE)) {
        move_sel(u, ch == KEY_UP ? -1 : ch == KEY_DOWN ? 1 : ch == KEY_PPAGE ? -page : page);
    } else if (!is_key && (ch == 'k' || ch == 'j')) {
        move_sel(u, ch == 'k' ? -1 : 1);
    } else if (is_key && (ch == KEY_HOME || ch == KEY_END)) {
        move_sel(u, ch == KEY_HOME ? -(int)u->nrows : (int)u->nrows);
    } else if (row_key(u, ch, is_key)) {
        return;
    } else if (!is_key && ch == 'a') {
        modal_prompt(u, "Add a Contact",
                     "Sign-in name (e-mail address) of the person to add:", NULL, 129,
                     done_add, "");
    } else if (!is_key && ch == 'g') {
        modal_prompt(u, "Create a Group", "Name of the new group:", NULL, 61,
                     done_create_group, "");
    } else if (!is_key && ch == 'o') {
        toggle_sort(u);
    } else if (!is_key && ch == 's') {
        ask_status(u);
    } else if (!is_key && ch == 'n') {
        ask_my_name(u);
    } else if (!is_key && ch == 'q') {
        u->quitting = true;
        signin_signout(u);
    }
}

/* ---- drawing --------------------------------------------------------------------------------- */

static void draw_row(ui *u, const ui_row *r, int y, int x, int w, bool sel)
{
    attr_t attr = sel ? (u->focus == FOCUS_CONTACTS ? A_REVERSE : A_UNDERLINE) : A_NORMAL;
    attron(attr);
    mvhline(y, x, ' ', w);
    if (r->kind == ROW_HEADER) {
        attron(A_BOLD);
        text_put(stdscr, y, x, r->label, w);
        attroff(A_BOLD);
    } else {
        attr_t sattr = r->kind == ROW_PENDING ? A_BOLD : ui_status_attr(r->status);
        attron(sattr);
        mvaddstr(y, x + 1, r->kind == ROW_PENDING ? "!" : r->status == MISTATUS_OFFLINE ? "o"
                                                                                         : "*");
        attroff(sattr);
        text_put(stdscr, y, x + 3, r->label, w - 3);
    }
    attroff(attr);
}

void contacts_draw(ui *u, int y, int x, int h, int w)
{
    if (h <= 0 || w <= 4)
        return;
    if (u->nrows == 0) {
        text_put(stdscr, y, x, u->conn == CONN_ONLINE ? "No contacts yet: press a to add one."
                                                      : "Not signed in.", w);
        return;
    }
    if (u->sel < u->top)
        u->top = u->sel;
    if (u->sel >= u->top + h)
        u->top = u->sel - h + 1;
    if (u->top > 0 && (int)u->nrows - u->top < h)
        u->top = (int)u->nrows - h > 0 ? (int)u->nrows - h : 0;
    for (int i = 0; i < h && u->top + i < (int)u->nrows; i++)
        draw_row(u, &u->rows[u->top + i], y + i, x, w, u->top + i == u->sel);
}
