/*
 * ui_main.c - the interactive Messenger's loop: curses set-up, one poll()
 * over libmsgr's descriptors, the terminal and two self-pipes, the screen
 * layout and the routing of keys.
 *
 * Nothing blocks: libmsgr's sockets and timers are waited on with the
 * keyboard in the same poll() (msgr_messenger_fds / timeout_ms, then
 * msgr_messenger_process), and the wait is capped at one second so the
 * clocks on the screen (reconnect countdown, typing notices) move.
 *
 * Anything written to stderr while curses owns the terminal (libmsgr, or
 * profile.c's one-line errors) would tear the screen: stderr goes to a
 * pipe whose lines become notes in the status bar.
 */
#include <locale.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "names.h"
#include "signals.h"
#include "ui.h"

#define CTRL(c) ((c) & 0x1f)
#define MAX_FDS 32
#define TICK_MS 1000          /* longest sleep: on-screen clocks move */
#define NOTE_MS 8000          /* how long a status-bar note stays */
#define QUIT_WAIT_MS 3000     /* bound on the sign-out when quitting */
#define SPLIT_MIN_COLS 72     /* narrower: one pane at a time */

static int g_errpipe = -1, g_saved_stderr = -1;

int64_t ui_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void ui_note(ui *u, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->note, sizeof u->note, fmt, ap);
    va_end(ap);
    u->note_until = ui_now_ms() + NOTE_MS;
    u->dirty = true;
}

bool ui_split(void)
{
    return COLS >= SPLIT_MIN_COLS;
}

attr_t ui_status_attr(MISTATUS st)
{
    if (!has_colors())
        return st == MISTATUS_OFFLINE ? A_DIM : A_BOLD;
    switch (st) {
    case MISTATUS_ONLINE:
        return COLOR_PAIR(1) | A_BOLD;
    case MISTATUS_BUSY:
    case MISTATUS_ON_THE_PHONE:
        return COLOR_PAIR(2) | A_BOLD;
    case MISTATUS_OFFLINE:
    case MISTATUS_UNKNOWN:
        return A_DIM;
    default:
        return COLOR_PAIR(3) | A_BOLD;
    }
}

/* ---- process set-up ----------------------------------------------------------------- */

static void capture_stderr(void)
{
    int fds[2];
    if (signals_make_pipe(fds) != 0)
        return;
    g_saved_stderr = dup(2);
    if (g_saved_stderr < 0 || dup2(fds[1], 2) < 0) {
        close(fds[0]);
        close(fds[1]);
        return;
    }
    close(fds[1]);
    g_errpipe = fds[0];
}

/* Lines written to stderr become notes (the last one wins). */
static void read_stderr(ui *u)
{
    char buf[512];
    ssize_t n = g_errpipe >= 0 ? read(g_errpipe, buf, sizeof buf - 1) : -1;
    if (n <= 0)
        return;
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    ui_note(u, "%s", buf);
}

static void restore_stderr(void)
{
    if (g_saved_stderr < 0)
        return;
    dup2(g_saved_stderr, 2);
    close(g_saved_stderr);
    g_saved_stderr = -1;
    if (g_errpipe >= 0)
        close(g_errpipe);
    g_errpipe = -1;
}

static void start_curses(void)
{
    initscr();
    raw(); /* Ctrl-C, Ctrl-Q, Ctrl-S arrive as keys */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    if (has_colors()) {
        start_color();
        use_default_colors();
        init_pair(1, COLOR_GREEN, -1);
        init_pair(2, COLOR_RED, -1);
        init_pair(3, COLOR_YELLOW, -1);
    }
}

/* ---- drawing --------------------------------------------------------------------------- */

static void draw_title(ui *u)
{
    const char *me = NULL, *friendly = NULL;
    char line[512], mail[64] = "";
    if (!u->m || MSGR_FAILED(msgr_messenger_get_my_signin_name(u->m, &me)) || !me)
        me = u->f_signin.buf;
    if (!u->m || MSGR_FAILED(msgr_messenger_get_my_friendly_name(u->m, &friendly)) ||
        !friendly || !*friendly)
        friendly = me;
    if (u->unread_mail >= 0)
        snprintf(mail, sizeof mail, "  |  Inbox: %ld unread", (long)u->unread_mail);
    snprintf(line, sizeof line, " msgr  %s <%s> (%s)%s  |  sorted by %s%s", friendly, me,
             u->conn == CONN_ONLINE ? status_label(u->my_status) : "Offline", mail,
             u->sort == MUASORT_GROUPS ? "group" : "online status",
             u->serve_note[0] ? "  |  not serving" : ""); /* ui_serve.c */
    attron(A_REVERSE);
    mvhline(0, 0, ' ', COLS);
    text_put(stdscr, 0, 0, line, COLS);
    attroff(A_REVERSE);
}

/* Tabs with unread messages, for the status bar ("2, 3"). */
static void unread_tabs(ui *u, char *out, size_t cap)
{
    out[0] = '\0';
    for (int i = 0; i < u->nconv; i++)
        if (u->convs[i]->unread) {
            size_t len = strlen(out);
            snprintf(out + len, cap - len, "%s%d", len ? ", " : "", i + 1);
        }
}

static void draw_status(ui *u)
{
    char line[512], tabs[96];
    const char *conn = u->screen == SCREEN_MAIN ? signin_conn_text(u) : "";
    unread_tabs(u, tabs, sizeof tabs);
    if (conn[0])
        snprintf(line, sizeof line, " %s", conn);
    else if (u->note_until > ui_now_ms())
        snprintf(line, sizeof line, " %s", u->note);
    else if (tabs[0])
        snprintf(line, sizeof line, " New messages in tab %s (Alt-number)", tabs);
    else if (u->screen == SCREEN_MAIN)
        snprintf(line, sizeof line, " F1 help  Tab pane  Enter message  a add  s status  "
                                    "o sort  F9 sign out  F10 quit");
    else
        snprintf(line, sizeof line, " F1 help  F10 quit");
    attron(A_REVERSE);
    mvhline(LINES - 1, 0, ' ', COLS);
    text_put(stdscr, LINES - 1, 0, line, COLS);
    attroff(A_REVERSE);
}

static void draw_main(ui *u)
{
    int h = LINES - 2;
    model_refresh(u);
    draw_title(u);
    if (ui_split()) {
        int left = COLS / 3 < 40 ? COLS / 3 : 40;
        contacts_draw(u, 1, 0, h, left);
        mvvline(1, left, ACS_VLINE, h);
        conv_draw(u, 1, left + 2, h, COLS - left - 2);
    } else if (u->focus == FOCUS_CONV) {
        conv_draw(u, 1, 0, h, COLS);
    } else {
        contacts_draw(u, 1, 0, h, COLS);
    }
}

static void draw(ui *u)
{
    erase();
    curs_set(0);
    if (LINES < 10 || COLS < 30) {
        mvaddstr(0, 0, "Terminal too small");
    } else if (u->modal.kind == MODAL_HELP) {
        help_draw(u);
    } else {
        if (u->screen == SCREEN_SIGNIN)
            signin_draw(u);
        else
            draw_main(u);
        draw_status(u);
        if (u->modal.kind != MODAL_NONE)
            modal_draw(u);
    }
    refresh();
    u->dirty = false;
}

/* ---- keys ------------------------------------------------------------------------------- */

static void quit(ui *u)
{
    u->quitting = true;
    signin_signout(u);
}

static void switch_tab(ui *u, int delta)
{
    if (u->nconv > 0)
        conv_select(u, (u->cur + delta + u->nconv) % u->nconv);
}

/* Keys of the main screen that work in both panes. */
static bool main_key(ui *u, wint_t ch, bool is_key, bool alt)
{
    if (is_key && ch == KEY_F(9)) {
        signin_signout(u);
    } else if (!is_key && !alt && ch == '\t') {
        u->focus = u->focus == FOCUS_CONV || u->nconv == 0 ? FOCUS_CONTACTS : FOCUS_CONV;
        if (u->focus == FOCUS_CONV)
            conv_select(u, u->cur);
    } else if (alt && ch >= '1' && ch <= '9') {
        conv_select(u, (int)(ch - '1'));
    } else if (!is_key && (ch == CTRL('n') || ch == CTRL('p'))) {
        switch_tab(u, ch == CTRL('n') ? 1 : -1);
    } else if (is_key && ch == KEY_F(6)) {
        if (!transfer_ask_next(u, true) && !invites_ask_next(u, true))
            ui_note(u, "No file offer or invitation waiting for an answer");
    } else {
        return false;
    }
    return true;
}

static void handle_key(ui *u, wint_t ch, bool is_key, bool alt)
{
    u->dirty = true;
    if (is_key && ch == KEY_RESIZE)
        return;
    if (u->modal.kind != MODAL_NONE) {
        modal_key(u, ch, is_key, alt);
    } else if (is_key && ch == KEY_F(1)) {
        help_open(u);
    } else if ((is_key && ch == KEY_F(10)) || (!is_key && (ch == CTRL('q') || ch == CTRL('c')))) {
        quit(u);
    } else if (u->screen == SCREEN_SIGNIN) {
        signin_key(u, ch, is_key, alt);
    } else if (main_key(u, ch, is_key, alt)) {
        return;
    } else if (u->focus == FOCUS_CONTACTS && !is_key && ch == '?') {
        help_open(u);
    } else if (u->focus == FOCUS_CONTACTS) {
        contacts_key(u, ch, is_key);
    } else {
        conv_key(u, ch, is_key, alt);
    }
}

/* Reads every key waiting; ESC followed at once by a key is Alt+key. */
static void read_keys(ui *u)
{
    wint_t ch;
    int r;
    while ((r = get_wch(&ch)) != ERR) {
        bool alt = false;
        if (r == OK && ch == 27) {
            wint_t next;
            int r2 = get_wch(&next);
            if (r2 == OK) {
                ch = next;
                alt = true;
            } else if (r2 == KEY_CODE_YES) {
                handle_key(u, 27, false, false);
                ch = next;
                r = r2;
            }
        }
        handle_key(u, ch, r == KEY_CODE_YES, alt);
    }
}

/* ---- the loop ----------------------------------------------------------------------------- */

static int poll_timeout(ui *u)
{
    int64_t now = ui_now_ms(), wait = TICK_MS;
    int lib = -1;
    if (u->m && MSGR_SUCCEEDED(msgr_messenger_timeout_ms(u->m, &lib)) && lib >= 0 && lib < wait)
        wait = lib;
    int64_t deadlines[] = { signin_next_deadline(u), conv_next_deadline(u) };
    for (size_t i = 0; i < sizeof deadlines / sizeof deadlines[0]; i++)
        if (deadlines[i] >= 0 && deadlines[i] - now < wait)
            wait = deadlines[i] - now > 0 ? deadlines[i] - now : 0;
    return (int)wait;
}

static void wait_once(ui *u)
{
    msgr_pollfd mf[MAX_FDS];
    struct pollfd pf[MAX_FDS + 3];
    size_t n = 0;
    if (u->m)
        (void)msgr_messenger_fds(u->m, mf, MAX_FDS, &n); /* more: polled next turn */
    if (n > MAX_FDS)
        n = MAX_FDS;
    for (size_t i = 0; i < n; i++)
        pf[i] = (struct pollfd){ .fd = mf[i].fd, .events = mf[i].events };
    pf[n] = (struct pollfd){ .fd = 0, .events = POLLIN };
    pf[n + 1] = (struct pollfd){ .fd = signals_fd(), .events = POLLIN };
    pf[n + 2] = (struct pollfd){ .fd = g_errpipe, .events = POLLIN };
    (void)poll(pf, (nfds_t)(n + 3), poll_timeout(u));
    if (pf[n + 1].revents & POLLIN) {
        signals_drain();
        if (!u->quitting)
            quit(u);
    }
    if (pf[n + 2].revents & POLLIN)
        read_stderr(u);
}

static void run(ui *u)
{
    int64_t quit_deadline = -1;
    while (!u->done) {
        if (u->dirty)
            draw(u);
        wait_once(u);
        read_keys(u);
        if (u->m)
            (void)msgr_messenger_process(u->m);
        signin_tick(u);
        if (u->modal.kind == MODAL_NONE && u->nqueued > 0) {
            char who[160];
            snprintf(who, sizeof who, "%s", u->queued_pending[0]);
            memmove(u->queued_pending[0], u->queued_pending[1],
                    (size_t)--u->nqueued * sizeof u->queued_pending[0]);
            contacts_ask_pending(u, who);
        }
        (void)transfer_ask_next(u, false);
        (void)invites_ask_next(u, false);
        invites_tick(u);
        if (u->quitting && quit_deadline < 0)
            quit_deadline = ui_now_ms() + QUIT_WAIT_MS;
        if (quit_deadline >= 0 && ui_now_ms() > quit_deadline)
            u->done = true;
        u->dirty = true; /* clocks on screen; curses sends only what changed */
    }
}

static void free_state(ui *u)
{
    conv_free_all(u);
    transfer_free_all(u);
    model_free_rows(u->rows, u->nrows);
    for (size_t i = 0; i < u->npending; i++)
        free(u->pending[i]);
    free(u->pending);
    edit_free(&u->modal.edit);
    signin_teardown(u);
    config_free(&u->cfg);
}

int cmd_ui(cli_ctx *ctx)
{
    ui u;
    memset(&u, 0, sizeof u);
    u.ctx = ctx;
    u.cur = -1;
    if (!isatty(0) || !isatty(1)) {
        cli_error("the interactive Messenger needs a terminal (scripts: see msgr --help)");
        return CLI_USAGE;
    }
    if (config_load(ctx->config, &u.cfg) != 0) {
        config_free(&u.cfg);
        return CLI_USAGE;
    }
    snprintf(u.profile_name, sizeof u.profile_name, "%s", config_pick(&u.cfg, ctx->profile));
    if (!profile_name_valid(u.profile_name)) {
        cli_error("bad profile name '%s' (letters, digits, '.', '_', '-')",
                  config_pick(&u.cfg, ctx->profile));
        config_free(&u.cfg);
        return CLI_USAGE;
    }
    setlocale(LC_ALL, ""); /* UTF-8 names and messages */
    bool autostart = signin_setup(&u) == 1;
    if (signals_install(true) != 0) { /* SIGHUP too: the terminal may go */
        cli_error("cannot set up signal handling");
        free_state(&u);
        return CLI_FAIL;
    }
    capture_stderr();
    start_curses();
    u.dirty = true;
    if (autostart)
        signin_auto(&u);
    run(&u);
    endwin();
    restore_stderr();
    free_state(&u);
    return CLI_OK;
}
