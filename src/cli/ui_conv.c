/*
 * ui_conv.c - conversations in tabs: one tab per libmsgr conversation
 * window, its history as this client saw it, the input line, typing
 * notices both ways and the multi-party invitation.
 *
 * A tab outlives its window: when the conversation ends (sign-out, lost
 * connection) the tab keeps its history, and the next message opens a new
 * conversation with the same person, as Windows Messenger did.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "names.h"
#include "ui.h"

#define CTRL(c) ((c) & 0x1f)
#define TEXT_MAX 1400          /* libmsgr's limit for one message */
#define TYPING_SHOWN_MS 6000   /* a notice arrives about every 5 s while they type */
#define TYPING_EVERY_MS 5000   /* how often we tell them we type */

static const char *contact_name(msgr_contact *c)
{
    const char *v = NULL;
    if (c && MSGR_SUCCEEDED(msgr_contact_get_friendly_name(c, &v)) && v && *v)
        return v;
    if (c && MSGR_SUCCEEDED(msgr_contact_get_signin_name(c, &v)) && v)
        return v;
    return "?";
}

static void set_str(char **field, const char *value)
{
    char *copy = strdup(value);
    if (copy) {
        free(*field);
        *field = copy;
    }
}

ui_conv *conv_find(ui *u, msgr_window *w)
{
    for (int i = 0; w && i < u->nconv; i++)
        if (u->convs[i]->w == w)
            return u->convs[i];
    return NULL;
}

static int conv_index(ui *u, const ui_conv *cv)
{
    for (int i = 0; i < u->nconv; i++)
        if (u->convs[i] == cv)
            return i;
    return -1;
}

/* Title and peer from the window's participants (kept when nobody is in). */
static void update_title(ui_conv *cv)
{
    msgr_contacts *cs = NULL;
    long n = 0;
    if (!cv->w || MSGR_FAILED(msgr_conversation_get_contacts(cv->w, &cs)) ||
        MSGR_FAILED(msgr_contacts_get_count(cs, &n)) || n <= 0)
        return;
    char title[512] = "";
    for (long i = 0; i < n; i++) {
        msgr_contact *c = NULL;
        const char *signin = NULL;
        if (MSGR_FAILED(msgr_contacts_item(cs, i, &c)))
            continue;
        size_t len = strlen(title);
        snprintf(title + len, sizeof title - len, "%s%s", len ? ", " : "", contact_name(c));
        if (i == 0 && MSGR_SUCCEEDED(msgr_contact_get_signin_name(c, &signin)) && signin)
            set_str(&cv->peer, signin);
    }
    set_str(&cv->title, title);
}

static ui_conv *conv_new(ui *u, msgr_window *w)
{
    if (u->nconv >= UI_TABS_MAX) {
        ui_note(u, "Too many conversations open: close one with Ctrl-W");
        return NULL;
    }
    ui_conv *cv = calloc(1, sizeof *cv);
    if (!cv)
        return NULL;
    edit_init(&cv->input, TEXT_MAX, false);
    cv->title = strdup("Conversation");
    cv->w = w;
    if (w)
        msgr_object_addref(w); /* events lend it only until the next process() */
    u->convs[u->nconv++] = cv;
    if (u->cur < 0)
        u->cur = 0;
    update_title(cv);
    return cv;
}

static void conv_free(ui_conv *cv)
{
    if (cv->w)
        msgr_object_release(cv->w);
    for (size_t i = 0; i < cv->nlog; i++)
        free(cv->log[i].text);
    free(cv->log);
    free(cv->title);
    free(cv->peer);
    edit_free(&cv->input);
    free(cv);
}

void conv_free_all(ui *u)
{
    for (int i = 0; i < u->nconv; i++)
        conv_free(u->convs[i]);
    u->nconv = 0;
    u->cur = -1;
}

/* Appends a finished line (taking ownership of it); the log is bounded. */
static void append_line(ui *u, ui_conv *cv, line_kind kind, char *line)
{
    if (cv->nlog == UI_LOG_MAX) { /* the oldest line goes */
        free(cv->log[0].text);
        memmove(cv->log, cv->log + 1, (cv->nlog - 1) * sizeof *cv->log);
        cv->nlog--;
    }
    if (cv->nlog == cv->caplog) {
        size_t cap = cv->caplog ? cv->caplog * 2 : 64;
        ui_line *l = realloc(cv->log, cap * sizeof *l);
        if (!l) {
            free(line);
            return;
        }
        cv->log = l;
        cv->caplog = cap;
    }
    cv->log[cv->nlog++] = (ui_line){ .kind = kind, .text = line };
    u->dirty = true;
}

void conv_add_line(ui *u, ui_conv *cv, line_kind kind, const char *who, const char *text)
{
    char stamp[16] = "";
    time_t t = time(NULL);
    struct tm tm;
    if (localtime_r(&t, &tm))
        strftime(stamp, sizeof stamp, "%H:%M", &tm);
    size_t n = strlen(stamp) + (who ? strlen(who) : 0) + strlen(text) + 8;
    char *line = malloc(n);
    if (!line)
        return;
    if (who)
        snprintf(line, n, "[%s] %s: %s", stamp, who, text);
    else
        snprintf(line, n, "[%s] %s", stamp, text);
    append_line(u, cv, kind, line);
}

void conv_select(ui *u, int index)
{
    if (index < 0 || index >= u->nconv)
        return;
    u->cur = index;
    u->convs[index]->unread = false;
    u->focus = FOCUS_CONV;
    u->dirty = true;
}

/* ---- opening ------------------------------------------------------------------------ */

/* An ended tab with that person, to continue its history. */
static ui_conv *ended_with(ui *u, const char *signin)
{
    for (int i = 0; i < u->nconv; i++)
        if (!u->convs[i]->w && u->convs[i]->peer && strcasecmp(u->convs[i]->peer, signin) == 0)
            return u->convs[i];
    return NULL;
}

static msgr_window *open_window(ui *u, msgr_contact *c)
{
    msgr_window *w = NULL;
    msgr_hr hr = msgr_messenger_instant_message(u->m, c, &w);
    if (MSGR_FAILED(hr) || !w) {
        ui_note(u, "Cannot start a conversation: %s", hr_text(hr));
        return NULL;
    }
    return w;
}

void conv_open_with(ui *u, msgr_contact *c)
{
    const char *signin = NULL;
    msgr_window *w = open_window(u, c);
    if (!w || MSGR_FAILED(msgr_contact_get_signin_name(c, &signin)) || !signin)
        return;
    ui_conv *cv = conv_find(u, w);
    if (!cv && (cv = ended_with(u, signin))) {
        cv->w = w;
        msgr_object_addref(w);
    }
    if (!cv && !(cv = conv_new(u, w)))
        return;
    if (!cv->peer) {
        set_str(&cv->peer, signin);
        set_str(&cv->title, contact_name(c));
    }
    conv_select(u, conv_index(u, cv));
}

ui_conv *conv_adopt(ui *u, msgr_window *w, bool focus)
{
    ui_conv *cv = conv_find(u, w);
    if (!cv)
        cv = conv_new(u, w);
    if (cv && focus)
        conv_select(u, conv_index(u, cv));
    return cv;
}

void conv_invite(ui *u, msgr_contact *c)
{
    if (u->cur < 0 || u->cur >= u->nconv || !u->convs[u->cur]->w) {
        ui_note(u, "Open a conversation first (Enter on a contact), then invite");
        return;
    }
    msgr_hr hr = msgr_conversation_add_contact(u->convs[u->cur]->w, c);
    if (hr == MSGR_S_FALSE)
        ui_note(u, "%s is already in this conversation", contact_name(c));
    else if (MSGR_FAILED(hr))
        ui_note(u, "Cannot invite %s: %s", contact_name(c), hr_text(hr));
    else
        ui_note(u, "Inviting %s into the conversation...", contact_name(c));
}

static void done_invite(ui *u, int choice, const char *text, const char *arg)
{
    (void)arg;
    if (choice < 0 || !text || !*text)
        return;
    msgr_contact *c = model_contact(u, text, true);
    if (!c)
        ui_note(u, "'%s' is not a sign-in name (name@domain)", text);
    else
        conv_invite(u, c);
}

void conv_close_current(ui *u)
{
    if (u->cur < 0 || u->cur >= u->nconv)
        return;
    ui_conv *cv = u->convs[u->cur];
    memmove(&u->convs[u->cur], &u->convs[u->cur + 1],
            (size_t)(u->nconv - u->cur - 1) * sizeof *u->convs);
    u->nconv--;
    if (u->cur >= u->nconv)
        u->cur = u->nconv - 1;
    if (cv->w)
        (void)msgr_window_close(cv->w); /* its destroyed event finds no tab */
    conv_free(cv);
    if (u->nconv == 0)
        u->focus = FOCUS_CONTACTS;
    u->dirty = true;
}

/* ---- libmsgr events ------------------------------------------------------------------- */

void conv_on_created(ui *u, msgr_window *w)
{
    if (!conv_find(u, w))
        (void)conv_adopt(u, w, false);
    u->dirty = true;
}

void conv_on_destroyed(ui *u, msgr_window *w)
{
    ui_conv *cv = conv_find(u, w);
    if (!cv)
        return;
    msgr_object_release(cv->w);
    cv->w = NULL;
    cv->typing_until = 0;
    if (!u->quitting)
        conv_add_line(u, cv, LINE_INFO, NULL, "The conversation ended. "
                                              "A new message starts it again.");
}

static long participants(msgr_window *w)
{
    msgr_contacts *cs = NULL;
    long n = 0;
    if (!w || MSGR_FAILED(msgr_conversation_get_contacts(w, &cs)) ||
        MSGR_FAILED(msgr_contacts_get_count(cs, &n)))
        return 0;
    return n;
}

static void remove_tab(ui *u, int i)
{
    ui_conv *cv = u->convs[i];
    memmove(&u->convs[i], &u->convs[i + 1], (size_t)(u->nconv - i - 1) * sizeof *u->convs);
    u->nconv--;
    if (u->cur > i || u->cur >= u->nconv)
        u->cur--;
    conv_free(cv);
}

/* The same person started a new conversation while an older tab with
 * them sits idle (ended, or everybody left): carry on in the old tab, so
 * one person's history stays in one place. Returns the tab to use. */
static ui_conv *merge_into_old(ui *u, ui_conv *cv)
{
    if (!cv->peer || participants(cv->w) != 1)
        return cv;
    for (int i = 0; i < u->nconv; i++) {
        ui_conv *old = u->convs[i];
        if (old == cv || !old->peer || strcasecmp(old->peer, cv->peer) != 0 ||
            participants(old->w) != 0)
            continue;
        bool was_current = u->cur >= 0 && u->convs[u->cur] == cv;
        if (old->w) {
            (void)msgr_window_close(old->w); /* nobody left in it */
            msgr_object_release(old->w);
        }
        old->w = cv->w;
        cv->w = NULL; /* the reference moves with the window */
        old->unread |= cv->unread;
        for (size_t k = 0; k < cv->nlog; k++) {
            append_line(u, old, cv->log[k].kind, cv->log[k].text);
            cv->log[k].text = NULL;
        }
        remove_tab(u, conv_index(u, cv));
        if (was_current)
            u->cur = conv_index(u, old);
        return old;
    }
    return cv;
}

void conv_on_member(ui *u, msgr_window *w, msgr_contact *c, bool joined)
{
    ui_conv *cv = conv_find(u, w);
    char text[256];
    if (!cv)
        return;
    update_title(cv);
    if (joined)
        cv = merge_into_old(u, cv);
    /* one-to-one, comings and goings are noise (the switchboard ends idle
     * conversations); with several people they tell who reads along */
    long n = participants(cv->w);
    if ((joined && n < 2) || (!joined && n < 1))
        return;
    snprintf(text, sizeof text, "%s %s the conversation.", contact_name(c),
             joined ? "joined" : "left");
    conv_add_line(u, cv, LINE_INFO, NULL, text);
}

/* Whether the user is looking at this tab right now. */
static bool in_view(ui *u, const ui_conv *cv)
{
    if (u->screen != SCREEN_MAIN || u->cur < 0 || u->convs[u->cur] != cv)
        return false;
    return ui_split() || u->focus == FOCUS_CONV;
}

void conv_on_message(ui *u, msgr_window *w, msgr_contact *from, const char *text)
{
    ui_conv *cv = conv_find(u, w);
    if (!cv && !(cv = conv_adopt(u, w, false)))
        return;
    cv = merge_into_old(u, cv);
    conv_add_line(u, cv, LINE_IN, contact_name(from), text);
    cv->typing_until = 0;
    if (!in_view(u, cv)) {
        int i = conv_index(u, cv);
        cv->unread = true;
        ui_note(u, "New message from %s (tab %d: Alt-%d)", contact_name(from), i + 1,
                i + 1 < 10 ? i + 1 : 9);
    }
}

void conv_on_typing(ui *u, msgr_window *w, msgr_contact *from)
{
    ui_conv *cv = conv_find(u, w);
    if (!cv)
        return;
    snprintf(cv->typing, sizeof cv->typing, "%s is typing a message...", contact_name(from));
    cv->typing_until = ui_now_ms() + TYPING_SHOWN_MS;
    u->dirty = true;
}

int64_t conv_next_deadline(ui *u)
{
    int64_t next = -1, now = ui_now_ms();
    for (int i = 0; i < u->nconv; i++) {
        int64_t t = u->convs[i]->typing_until;
        if (t > now && (next < 0 || t < next))
            next = t;
    }
    return next;
}

/* ---- sending ---------------------------------------------------------------------------- */

/* The tab's window, reopening the conversation when it had ended. */
static msgr_window *live_window(ui *u, ui_conv *cv)
{
    if (cv->w)
        return cv->w;
    msgr_contact *c = cv->peer ? model_contact(u, cv->peer, true) : NULL;
    msgr_window *w = c ? open_window(u, c) : NULL;
    if (!w)
        return NULL;
    ui_conv *other = conv_find(u, w);
    if (other && other != cv) { /* libmsgr reused a window another tab shows */
        conv_select(u, conv_index(u, other));
        return NULL;
    }
    cv->w = w;
    msgr_object_addref(w);
    return w;
}

msgr_window *conv_live_window(ui *u)
{
    if (u->cur < 0 || u->cur >= u->nconv) {
        ui_note(u, "Open a conversation first (Enter on a contact)");
        return NULL;
    }
    return live_window(u, u->convs[u->cur]);
}

static void send_input(ui *u, ui_conv *cv)
{
    if (cv->input.len == 0)
        return;
    msgr_window *w = live_window(u, cv);
    if (!w)
        return;
    msgr_hr hr = msgr_conversation_send_text(w, cv->input.buf);
    if (MSGR_FAILED(hr)) {
        ui_note(u, "Message not sent: %s", hr_text(hr));
        return;
    }
    const char *me = NULL;
    if (MSGR_FAILED(msgr_messenger_get_my_friendly_name(u->m, &me)) || !me || !*me)
        me = "Me";
    conv_add_line(u, cv, LINE_OUT, me, cv->input.buf);
    edit_clear(&cv->input);
    cv->scroll = 0;
    cv->typing_sent = 0; /* the next message starts a new typing notice */
}

static void typed(ui *u, ui_conv *cv)
{
    int64_t now = ui_now_ms();
    if (cv->w && cv->input.len > 0 && now - cv->typing_sent >= TYPING_EVERY_MS) {
        (void)msgr_conversation_send_typing(cv->w);
        cv->typing_sent = now;
    }
    (void)u;
}

void conv_key(ui *u, wint_t ch, bool is_key, bool alt)
{
    if (u->cur < 0 || u->cur >= u->nconv) {
        u->focus = FOCUS_CONTACTS;
        return;
    }
    ui_conv *cv = u->convs[u->cur];
    int page = LINES - 8 > 1 ? LINES - 8 : 1;
    u->dirty = true;
    if ((!is_key && (ch == '\r' || ch == '\n')) || (is_key && ch == KEY_ENTER))
        send_input(u, cv);
    else if (is_key && (ch == KEY_PPAGE || ch == KEY_NPAGE))
        cv->scroll += ch == KEY_PPAGE ? page : -page;
    else if (!is_key && !alt && ch == 27)
        u->focus = FOCUS_CONTACTS;
    else if (!is_key && ch == CTRL('w'))
        conv_close_current(u);
    else if (!is_key && ch == CTRL('t'))
        modal_prompt(u, "Invite Someone", "Sign-in name of the person to invite into this "
                                          "conversation:", NULL, 129, done_invite, "");
    else if (!is_key && ch == CTRL('o'))
        transfer_send_prompt(u);
    else if (!is_key && ch == CTRL('l'))
        invites_prompt(u);
    else if (!is_key && ch == CTRL('x') && !transfer_cancel_current(u) &&
             !invites_cancel_current(u))
        ui_note(u, "No file transfer or invitation to cancel in this conversation");
    else if (edit_key(&cv->input, ch, is_key, alt) == EDIT_CHANGED)
        typed(u, cv);
    if (cv->scroll < 0)
        cv->scroll = 0;
}

/* ---- drawing ------------------------------------------------------------------------------ */

static void draw_tabs(ui *u, int y, int x, int w)
{
    int col = 0;
    mvhline(y, x, ' ', w);
    for (int i = 0; i < u->nconv && col < w; i++) {
        ui_conv *cv = u->convs[i];
        char label[96];
        int cut = (int)text_fit(cv->title, strlen(cv->title), 30, false); /* whole characters */
        snprintf(label, sizeof label, " %d:%.*s%s ", i + 1, cut, cv->title, cv->unread ? "*" : "");
        attr_t attr = i == u->cur ? A_REVERSE | A_BOLD : cv->unread ? A_BOLD : A_NORMAL;
        attron(attr);
        col += text_put(stdscr, y, x + col, label, w - col);
        attroff(attr);
        col++;
    }
}

typedef struct seg {
    const char *s;
    size_t n;
    line_kind kind;
} seg;

/* The wrapped rows of one log line, appended in reverse order. */
static size_t wrap_reversed(const ui_line *l, int width, seg *out, size_t cap)
{
    seg tmp[256];
    size_t k = 0;
    const char *s = l->text;
    size_t n = strlen(s);
    while (k < 256) {
        size_t nl = strcspn(s, "\n");
        size_t take = nl == 0 ? 0 : text_fit(s, nl, width, true);
        tmp[k++] = (seg){ s, take, l->kind };
        s += take;
        n -= take;
        if (n == 0)
            break;
        if (*s == '\n') {
            s++;
            n--;
        }
    }
    size_t m = 0;
    while (k > 0 && m < cap)
        out[m++] = tmp[--k];
    return m;
}

static void draw_history(ui_conv *cv, int y, int x, int h, int w)
{
    size_t want = (size_t)h + (size_t)cv->scroll, got = 0;
    seg *rows = calloc(want + 256, sizeof *rows);
    if (!rows)
        return;
    for (size_t i = cv->nlog; i-- > 0 && got < want;)
        got += wrap_reversed(&cv->log[i], w, rows + got, want + 256 - got);
    if (got < want) /* the top of the history: no further back */
        cv->scroll = got > (size_t)h ? (int)(got - (size_t)h) : 0;
    size_t first = (size_t)cv->scroll; /* rows[] runs from the newest row upwards */
    for (int r = 0; r < h && first + (size_t)r < got; r++) {
        seg *sg = &rows[first + (size_t)r];
        char line[2048];
        snprintf(line, sizeof line, "%.*s", (int)sg->n, sg->s);
        attr_t attr = sg->kind == LINE_INFO ? A_DIM : sg->kind == LINE_OUT ? A_NORMAL : A_BOLD;
        attron(attr);
        text_put(stdscr, y + h - 1 - r, x, line, w);
        attroff(attr);
    }
    free(rows);
}

void conv_draw(ui *u, int y, int x, int h, int w)
{
    if (h < 5 || w < 10)
        return;
    if (u->cur < 0 || u->cur >= u->nconv) {
        text_put(stdscr, y + 1, x, "No conversation open. Choose a contact and press Enter.",
                 w);
        return;
    }
    ui_conv *cv = u->convs[u->cur];
    if (u->focus == FOCUS_CONV || ui_split())
        cv->unread = false;
    draw_tabs(u, y, x, w);
    draw_history(cv, y + 1, x, h - 4, w);
    if (cv->typing_until > ui_now_ms())
        text_put(stdscr, y + h - 3, x, cv->typing, w);
    else if (cv->scroll > 0)
        text_put(stdscr, y + h - 3, x, "-- history: PgDn for newer messages --", w);
    else
        transfer_draw_bar(u, y + h - 3, x, w);
    mvhline(y + h - 2, x, ACS_HLINE, w);
    mvaddstr(y + h - 1, x, "> ");
    int cx = edit_draw(&cv->input, stdscr, y + h - 1, x + 2, w - 2);
    if (u->focus == FOCUS_CONV && u->modal.kind == MODAL_NONE) {
        move(y + h - 1, cx);
        curs_set(1);
    }
}
