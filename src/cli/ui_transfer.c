/*
 * ui_transfer.c - file transfers in the interactive client: the accept /
 * decline question for an incoming file, sending a file from a
 * conversation (Ctrl-O), cancelling (Ctrl-X), and a progress bar with
 * speed and time left under the conversation the file belongs to.
 *
 * libmsgr does the transfer (msgr/msgr_transfer.h); this file only keeps
 * a referenced handle on each transfer with what the bar needs, fed by
 * the progress and state events.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "ui.h"

#define XFERS_MAX 32
#define FINAL_SHOWN_MS 10000 /* a finished transfer's last word stays this long */

typedef struct xfer {
    msgr_file_transfer *t; /* referenced */
    msgr_window *w;        /* the conversation it belongs to (not referenced: compared only) */
    char name[256];
    char peer[160];
    bool incoming, asked;
    MSGR_FT_STATE state;
    msgr_hr result;
    uint64_t size, done;
    int64_t started_ms, final_ms;
} xfer;

typedef struct xfer_list {
    xfer items[XFERS_MAX];
    int n;
} xfer_list;

static xfer_list *list_of(ui *u)
{
    if (!u->transfers)
        u->transfers = calloc(1, sizeof(xfer_list));
    return u->transfers;
}

static bool is_final(MSGR_FT_STATE st)
{
    return st == MSGR_FT_COMPLETED || st == MSGR_FT_DECLINED || st == MSGR_FT_CANCELLED ||
           st == MSGR_FT_FAILED;
}

static xfer *find(ui *u, msgr_file_transfer *t)
{
    xfer_list *l = list_of(u);
    for (int i = 0; l && i < l->n; i++)
        if (l->items[i].t == t)
            return &l->items[i];
    return NULL;
}

/* Forgets the oldest finished transfer to make room. */
static void drop_one_final(xfer_list *l)
{
    for (int i = 0; i < l->n; i++)
        if (is_final(l->items[i].state)) {
            msgr_object_release(l->items[i].t);
            memmove(&l->items[i], &l->items[i + 1], (size_t)(l->n - i - 1) * sizeof *l->items);
            l->n--;
            return;
        }
}

static void refresh_one(xfer *x)
{
    (void)msgr_file_transfer_get_state(x->t, &x->state);
    (void)msgr_file_transfer_get_size(x->t, &x->size);
    (void)msgr_file_transfer_get_bytes_done(x->t, &x->done);
}

static xfer *track(ui *u, msgr_file_transfer *t)
{
    xfer *x = find(u, t);
    xfer_list *l = list_of(u);
    if (x || !l)
        return x;
    if (l->n == XFERS_MAX)
        drop_one_final(l);
    if (l->n == XFERS_MAX)
        return NULL;
    x = &l->items[l->n++];
    memset(x, 0, sizeof *x);
    x->t = t;
    msgr_object_addref(t); /* events lend it only until the next process() */
    const char *name = NULL;
    msgr_contact *c = NULL;
    if (MSGR_SUCCEEDED(msgr_file_transfer_get_file_name(t, &name)) && name)
        snprintf(x->name, sizeof x->name, "%s", name);
    if (MSGR_SUCCEEDED(msgr_file_transfer_get_contact(t, &c)) && c &&
        MSGR_SUCCEEDED(msgr_contact_get_friendly_name(c, &name)) && name)
        snprintf(x->peer, sizeof x->peer, "%s", name);
    (void)msgr_file_transfer_get_incoming(t, &x->incoming);
    (void)msgr_file_transfer_get_window(t, &x->w);
    refresh_one(x);
    return x;
}

void transfer_free_all(ui *u)
{
    xfer_list *l = u->transfers;
    for (int i = 0; l && i < l->n; i++)
        msgr_object_release(l->items[i].t);
    free(l);
    u->transfers = NULL;
}

/* "1.2 MB" */
static void human(uint64_t n, char *out, size_t cap)
{
    static const char *const units[] = { "B", "KB", "MB", "GB", "TB" };
    double v = (double)n;
    int k = 0;
    while (v >= 1024 && k < 4) {
        v /= 1024;
        k++;
    }
    snprintf(out, cap, k ? "%.1f %s" : "%.0f %s", v, units[k]);
}

/* ---- answering an invitation ---------------------------------------------------------------- */

static void done_answer(ui *u, int choice, const char *text, const char *arg)
{
    void *t = NULL;
    xfer *x = sscanf(arg, "%p", &t) == 1 ? find(u, t) : NULL;
    (void)text;
    if (!x || choice < 0)
        return; /* Esc: decide later (F6) */
    msgr_hr hr = choice == 0 ? msgr_file_transfer_accept(x->t) : msgr_file_transfer_decline(x->t);
    if (MSGR_FAILED(hr))
        ui_note(u, "Cannot answer the offer of %s: %s", x->name, hr_text(hr));
    else if (choice == 0)
        ui_note(u, "Receiving %s...", x->name);
}

static void ask(ui *u, int i)
{
    static const char *const opts[] = { "&Accept", "&Decline" };
    xfer *x = &list_of(u)->items[i];
    char text[600], size[32], arg[32];
    human(x->size, size, sizeof size);
    snprintf(text, sizeof text, "%s wants to send you \"%s\" (%s). Accept the file? "
             "(Esc: decide later with F6)", x->peer, x->name, size);
    snprintf(arg, sizeof arg, "%p", (void *)x->t); /* indexes shift; the object does not */
    x->asked = true;
    modal_menu(u, "File Transfer", text, opts, 2, done_answer, arg);
}

/* Asks about the next unanswered offer (all again when again is set). */
bool transfer_ask_next(ui *u, bool again)
{
    xfer_list *l = list_of(u);
    if (!l || u->modal.kind != MODAL_NONE)
        return false;
    for (int i = 0; i < l->n; i++) {
        xfer *x = &l->items[i];
        if (x->incoming && x->state == MSGR_FT_INVITING && (again || !x->asked)) {
            ask(u, i);
            return true;
        }
    }
    return false;
}

/* ---- events ------------------------------------------------------------------------------------ */

void transfer_on_invitation(ui *u, msgr_window *w, msgr_contact *from, msgr_file_transfer *t)
{
    xfer *x = track(u, t);
    ui_conv *cv = conv_find(u, w);
    char line[800], size[32];
    (void)from;
    if (!x)
        return;
    if (!cv)
        cv = conv_adopt(u, w, false);
    human(x->size, size, sizeof size);
    snprintf(line, sizeof line, "%s offers the file \"%s\" (%s).", x->peer, x->name, size);
    if (cv)
        conv_add_line(u, cv, LINE_INFO, NULL, line);
    (void)transfer_ask_next(u, false);
}

void transfer_on_progress(ui *u, msgr_file_transfer *t)
{
    xfer *x = find(u, t);
    if (x)
        refresh_one(x);
    u->dirty = true;
}

static void final_line(ui *u, xfer *x, msgr_hr hr)
{
    char line[900], size[32];
    const char *path = NULL;
    human(x->size, size, sizeof size);
    if (x->state == MSGR_FT_COMPLETED && x->incoming &&
        MSGR_SUCCEEDED(msgr_file_transfer_get_path(x->t, &path)) && path)
        snprintf(line, sizeof line, "Received \"%s\" (%s), saved as %s", x->name, size, path);
    else if (x->state == MSGR_FT_COMPLETED)
        snprintf(line, sizeof line, "Sent \"%s\" (%s) to %s", x->name, size, x->peer);
    else if (x->state == MSGR_FT_DECLINED)
        snprintf(line, sizeof line, "The transfer of \"%s\" was declined", x->name);
    else if (x->state == MSGR_FT_CANCELLED)
        snprintf(line, sizeof line, "The transfer of \"%s\" was cancelled", x->name);
    else
        snprintf(line, sizeof line, "The transfer of \"%s\" failed: %s", x->name, hr_text(hr));
    ui_conv *cv = conv_find(u, x->w);
    if (cv)
        conv_add_line(u, cv, LINE_INFO, NULL, line);
    ui_note(u, "%s", line);
}

void transfer_on_state(ui *u, msgr_file_transfer *t, MSGR_FT_STATE st, msgr_hr hr)
{
    xfer *x = track(u, t);
    if (!x)
        return;
    refresh_one(x);
    x->state = st;
    x->result = hr;
    if (st == MSGR_FT_TRANSFERRING && !x->started_ms)
        x->started_ms = ui_now_ms();
    if (is_final(st)) {
        x->final_ms = ui_now_ms();
        final_line(u, x, hr);
    }
    u->dirty = true;
}

/* ---- sending and cancelling ---------------------------------------------------------------------- */

static void done_send(ui *u, int choice, const char *text, const char *arg)
{
    msgr_file_transfer *t = NULL;
    (void)arg;
    if (choice < 0 || !text || !*text)
        return;
    msgr_window *w = conv_live_window(u);
    if (!w)
        return;
    msgr_hr hr = msgr_conversation_send_file(w, text, &t);
    if (MSGR_FAILED(hr)) {
        ui_note(u, "Cannot send %s: %s", text,
                hr == MSGR_E_INVALIDARG ? "not a readable file" : hr_text(hr));
        return;
    }
    xfer *x = t ? track(u, t) : NULL;
    ui_conv *cv = conv_find(u, w);
    char line[800];
    snprintf(line, sizeof line, "Offering the file \"%s\"... (Ctrl-X cancels)",
             x ? x->name : text);
    if (cv)
        conv_add_line(u, cv, LINE_INFO, NULL, line);
}

void transfer_send_prompt(ui *u)
{
    modal_prompt(u, "Send a File", "Path of the file to send:", NULL, 4095, done_send, "");
}

/* The newest unfinished transfer of a window, or NULL. */
static xfer *active_in(ui *u, msgr_window *w, bool recent_final)
{
    xfer_list *l = list_of(u);
    int64_t now = ui_now_ms();
    for (int i = l ? l->n - 1 : -1; i >= 0; i--) {
        xfer *x = &l->items[i];
        if (x->w != w)
            continue;
        if (!is_final(x->state) || (recent_final && now - x->final_ms < FINAL_SHOWN_MS))
            return x;
    }
    return NULL;
}

bool transfer_cancel_current(ui *u)
{
    ui_conv *cv = u->cur >= 0 && u->cur < u->nconv ? u->convs[u->cur] : NULL;
    xfer *x = cv ? active_in(u, cv->w, false) : NULL;
    if (!x)
        return false;
    msgr_hr hr = msgr_file_transfer_cancel(x->t);
    if (MSGR_FAILED(hr))
        ui_note(u, "Cannot cancel: %s", hr_text(hr));
    return true;
}

bool transfer_active(ui *u)
{
    xfer_list *l = list_of(u);
    for (int i = 0; l && i < l->n; i++)
        if (!is_final(l->items[i].state))
            return true;
    return false;
}

/* ---- the bar --------------------------------------------------------------------------------------- */

/* "45% 1.2 MB of 2.6 MB, 350.0 KB/s, 4 s left" */
static void progress_text(const xfer *x, char *out, size_t cap)
{
    char done[32], size[32], speed[32];
    human(x->done, done, sizeof done);
    human(x->size, size, sizeof size);
    int pct = x->size ? (int)(x->done * 100 / x->size) : 100;
    double secs = x->started_ms ? (double)(ui_now_ms() - x->started_ms) / 1000.0 : 0;
    double rate = secs > 0.2 ? (double)x->done / secs : 0;
    human((uint64_t)rate, speed, sizeof speed);
    if (rate > 0 && x->done < x->size)
        snprintf(out, cap, "%3d%% %s of %s, %s/s, %.0f s left", pct, done, size, speed,
                 (double)(x->size - x->done) / rate + 0.5);
    else
        snprintf(out, cap, "%3d%% %s of %s", pct, done, size);
}

static const char *state_word(const xfer *x)
{
    switch (x->state) {
    case MSGR_FT_INVITING:
        return x->incoming ? "offered (F6 to answer)" : "waiting for an answer";
    case MSGR_FT_CONNECTING:
        return "connecting";
    case MSGR_FT_COMPLETED:
        return "done";
    case MSGR_FT_DECLINED:
        return "declined";
    case MSGR_FT_CANCELLED:
        return "cancelled";
    case MSGR_FT_FAILED:
        return "failed";
    default:
        return "";
    }
}

void transfer_draw_bar(ui *u, int y, int x0, int w)
{
    ui_conv *cv = u->cur >= 0 && u->cur < u->nconv ? u->convs[u->cur] : NULL;
    xfer *x = cv && cv->w ? active_in(u, cv->w, true) : NULL;
    char head[300], tail[200];
    if (!x || w < 30)
        return;
    snprintf(head, sizeof head, "%s %.60s ", x->incoming ? "<-" : "->", x->name);
    if (x->state != MSGR_FT_TRANSFERRING) {
        snprintf(tail, sizeof tail, "%s", state_word(x));
        int col = text_put(stdscr, y, x0, head, w);
        text_put(stdscr, y, x0 + col, tail, w - col);
        return;
    }
    progress_text(x, tail, sizeof tail);
    int col = text_put(stdscr, y, x0, head, w / 3);
    int bar = w - col - text_width(tail, strlen(tail)) - 3;
    if (bar >= 5) {
        int fill = x->size ? (int)((double)bar * (double)x->done / (double)x->size) : bar;
        mvaddch(y, x0 + col, '[');
        for (int i = 0; i < bar; i++)
            mvaddch(y, x0 + col + 1 + i, i < fill ? '#' : '.');
        mvaddch(y, x0 + col + 1 + bar, ']');
        col += bar + 3;
    }
    text_put(stdscr, y, x0 + col, tail, w - col);
}
