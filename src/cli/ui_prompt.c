/*
 * ui_prompt.c - the line editor (UTF-8, readline-like keys) and the modal
 * prompts and menus drawn over the screen.
 *
 * The editor keeps bytes, not characters: the cursor always sits on a
 * character boundary, and every movement steps over whole UTF-8
 * sequences, so a message can never be cut inside a character.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define CTRL(c) ((c) & 0x1f)

/* ---- the editor ------------------------------------------------------------------ */

void edit_init(ui_edit *e, size_t max, bool secret)
{
    memset(e, 0, sizeof *e);
    e->max = max;
    e->secret = secret;
    e->buf = calloc(max + 1, 1);
}

void edit_free(ui_edit *e)
{
    if (e->buf)
        memset(e->buf, 0, e->max); /* passwords do not linger in freed memory */
    free(e->buf);
    e->buf = NULL;
    e->len = e->cur = e->first = 0;
}

void edit_set(ui_edit *e, const char *text)
{
    if (!e->buf)
        return;
    size_t n = text ? strlen(text) : 0;
    if (n > e->max)
        n = text_fit(text, e->max, (int)e->max * 2, false);
    memcpy(e->buf, text ? text : "", n);
    e->buf[n] = '\0';
    e->len = e->cur = n;
    e->first = 0;
}

void edit_clear(ui_edit *e)
{
    edit_set(e, "");
}

static bool is_cont(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

static size_t prev_char(const ui_edit *e, size_t at)
{
    while (at > 0 && is_cont(e->buf[--at]))
        ;
    return at;
}

static size_t next_char(const ui_edit *e, size_t at)
{
    if (at >= e->len)
        return e->len;
    at++;
    while (at < e->len && is_cont(e->buf[at]))
        at++;
    return at;
}

/* Removes bytes [from, to). */
static void cut(ui_edit *e, size_t from, size_t to)
{
    memmove(e->buf + from, e->buf + to, e->len - to + 1);
    e->len -= to - from;
    e->cur = from;
}

static edit_result insert(ui_edit *e, wint_t ch)
{
    char mb[8];
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = wcrtomb(mb, (wchar_t)ch, &st);
    if (n == (size_t)-1 || ch < 0x20 || ch == 0x7f || e->len + n > e->max)
        return EDIT_IGNORED;
    memmove(e->buf + e->cur + n, e->buf + e->cur, e->len - e->cur + 1);
    memcpy(e->buf + e->cur, mb, n);
    e->len += n;
    e->cur += n;
    return EDIT_CHANGED;
}

/* Start of the word before the cursor (Ctrl-W / Alt-Backspace). */
static size_t word_start(const ui_edit *e)
{
    size_t at = e->cur;
    while (at > 0 && e->buf[at - 1] == ' ')
        at--;
    while (at > 0 && e->buf[at - 1] != ' ')
        at = prev_char(e, at);
    return at;
}

static edit_result edit_special(ui_edit *e, wint_t ch)
{
    switch (ch) {
    case KEY_LEFT:
        e->cur = prev_char(e, e->cur);
        break;
    case KEY_RIGHT:
        e->cur = next_char(e, e->cur);
        break;
    case KEY_HOME:
        e->cur = 0;
        break;
    case KEY_END:
        e->cur = e->len;
        break;
    case KEY_BACKSPACE:
        if (e->cur == 0)
            return EDIT_MOVED;
        cut(e, prev_char(e, e->cur), e->cur);
        return EDIT_CHANGED;
    case KEY_DC:
        if (e->cur == e->len)
            return EDIT_MOVED;
        cut(e, e->cur, next_char(e, e->cur));
        return EDIT_CHANGED;
    default:
        return EDIT_IGNORED;
    }
    return EDIT_MOVED;
}

static edit_result edit_control(ui_edit *e, wint_t ch, bool alt)
{
    if (alt && (ch == 0x7f || ch == 8)) {
        cut(e, word_start(e), e->cur);
        return EDIT_CHANGED;
    }
    switch (ch) {
    case CTRL('a'):
        return edit_special(e, KEY_HOME);
    case CTRL('e'):
        return edit_special(e, KEY_END);
    case CTRL('b'):
        return edit_special(e, KEY_LEFT);
    case CTRL('f'):
        return edit_special(e, KEY_RIGHT);
    case CTRL('h'):
    case 0x7f:
        return edit_special(e, KEY_BACKSPACE);
    case CTRL('d'):
        return edit_special(e, KEY_DC);
    case CTRL('u'):
        cut(e, 0, e->cur);
        return EDIT_CHANGED;
    case CTRL('k'):
        e->buf[e->cur] = '\0';
        e->len = e->cur;
        return EDIT_CHANGED;
    default:
        return EDIT_IGNORED;
    }
}

edit_result edit_key(ui_edit *e, wint_t ch, bool is_key, bool alt)
{
    if (!e->buf)
        return EDIT_IGNORED;
    if (is_key)
        return edit_special(e, ch);
    if (ch < 0x20 || ch == 0x7f || alt)
        return edit_control(e, ch, alt);
    return insert(e, ch);
}

int edit_draw(ui_edit *e, WINDOW *w, int y, int x, int width)
{
    if (width < 2 || !e->buf)
        return x;
    /* keep the cursor in view, with a little context on the left */
    if (e->cur < e->first)
        e->first = e->cur;
    while (text_width(e->buf + e->first, e->cur - e->first) > width - 1)
        e->first = next_char(e, e->first);
    int cursor = text_width(e->buf + e->first, e->cur - e->first);
    if (e->secret) {
        int stars = text_width(e->buf + e->first, e->len - e->first);
        for (int i = 0; i < stars && i < width; i++)
            mvwaddch(w, y, x + i, '*');
    } else {
        text_put(w, y, x, e->buf + e->first, width);
    }
    return x + cursor;
}

/* ---- modals ------------------------------------------------------------------------ */

static void modal_reset(ui *u)
{
    edit_free(&u->modal.edit);
    memset(&u->modal, 0, sizeof u->modal);
}

void modal_close(ui *u)
{
    modal_reset(u);
    u->dirty = true;
}

static void copy_text(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

void modal_prompt(ui *u, const char *title, const char *text, const char *initial,
                  size_t max, modal_done done, const char *arg)
{
    modal_reset(u);
    u->modal.kind = MODAL_PROMPT;
    copy_text(u->modal.title, sizeof u->modal.title, title);
    copy_text(u->modal.text, sizeof u->modal.text, text);
    copy_text(u->modal.arg, sizeof u->modal.arg, arg);
    edit_init(&u->modal.edit, max, false);
    edit_set(&u->modal.edit, initial);
    u->modal.done = done;
    u->dirty = true;
}

void modal_menu(ui *u, const char *title, const char *text, const char *const *options,
                int n, modal_done done, const char *arg)
{
    modal_reset(u);
    u->modal.kind = MODAL_MENU;
    copy_text(u->modal.title, sizeof u->modal.title, title);
    copy_text(u->modal.text, sizeof u->modal.text, text);
    copy_text(u->modal.arg, sizeof u->modal.arg, arg);
    u->modal.noptions = n < MODAL_OPTIONS_MAX ? n : MODAL_OPTIONS_MAX;
    for (int i = 0; i < u->modal.noptions; i++)
        u->modal.options[i] = options[i];
    u->modal.done = done;
    u->dirty = true;
}

/* Ends the modal and calls its callback with copies of what it needs (the
 * callback may open the next modal). */
static void finish(ui *u, int choice, bool with_text)
{
    modal_done done = u->modal.done;
    char arg[sizeof u->modal.arg];
    char *text = with_text && u->modal.edit.buf ? strdup(u->modal.edit.buf) : NULL;
    memcpy(arg, u->modal.arg, sizeof arg);
    modal_close(u);
    if (done)
        done(u, choice, text, arg);
    if (text) {
        memset(text, 0, strlen(text));
        free(text);
    }
}

/* The option whose hot key (the letter after '&') is ch, or -1. */
static int hot_key(const ui_modal *md, wint_t ch)
{
    for (int i = 0; i < md->noptions; i++) {
        const char *amp = strchr(md->options[i], '&');
        if (amp && amp[1] && (wint_t)(amp[1] | 0x20) == (ch | 0x20))
            return i;
    }
    return -1;
}

static void menu_key(ui *u, wint_t ch, bool is_key)
{
    ui_modal *md = &u->modal;
    int hot = is_key ? -1 : hot_key(md, ch);
    if (hot >= 0)
        finish(u, hot, false);
    else if (is_key && ch == KEY_UP)
        md->sel = (md->sel + md->noptions - 1) % md->noptions;
    else if (is_key && ch == KEY_DOWN)
        md->sel = (md->sel + 1) % md->noptions;
    else if ((!is_key && (ch == '\r' || ch == '\n' || ch == ' ')) ||
             (is_key && ch == KEY_ENTER))
        finish(u, md->sel, false);
}

void modal_key(ui *u, wint_t ch, bool is_key, bool alt)
{
    u->dirty = true;
    if (u->modal.kind == MODAL_HELP) {
        help_key(u, ch, is_key);
        return;
    }
    if (!is_key && (ch == 27 || ch == CTRL('g') || ch == CTRL('c'))) {
        finish(u, -1, false);
        return;
    }
    if (u->modal.kind == MODAL_MENU) {
        menu_key(u, ch, is_key);
        return;
    }
    if ((!is_key && (ch == '\r' || ch == '\n')) || (is_key && ch == KEY_ENTER))
        finish(u, 0, true);
    else
        (void)edit_key(&u->modal.edit, ch, is_key, alt);
}

/* A framed box in the middle of the screen; returns its window area. */
static void box_at(int h, int w, int *y, int *x)
{
    *y = (LINES - h) / 2;
    *x = (COLS - w) / 2;
    if (*y < 0)
        *y = 0;
    if (*x < 0)
        *x = 0;
    for (int r = 0; r < h && *y + r < LINES; r++)
        mvhline(*y + r, *x, ' ', w);
    attron(A_BOLD);
    mvhline(*y, *x, ACS_HLINE, w);
    mvhline(*y + h - 1, *x, ACS_HLINE, w);
    mvvline(*y, *x, ACS_VLINE, h);
    mvvline(*y, *x + w - 1, ACS_VLINE, h);
    mvaddch(*y, *x, ACS_ULCORNER);
    mvaddch(*y, *x + w - 1, ACS_URCORNER);
    mvaddch(*y + h - 1, *x, ACS_LLCORNER);
    mvaddch(*y + h - 1, *x + w - 1, ACS_LRCORNER);
    attroff(A_BOLD);
}

/* The explanation text wrapped into the box; returns rows used. */
static int draw_wrapped(const char *s, int y, int x, int w, int max_rows)
{
    size_t n = strlen(s);
    int rows = 0;
    while (n > 0 && rows < max_rows) {
        size_t nl = strcspn(s, "\n");
        size_t take = text_fit(s, nl < n ? nl : n, w, true);
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)take, s);
        text_put(stdscr, y + rows++, x, line, w);
        s += take;
        n -= take;
        if (n > 0 && *s == '\n') {
            s++;
            n--;
        }
    }
    return rows;
}

/* " Accept " with the hot key (the letter after '&') underlined. */
static void draw_option(const char *opt, int y, int x, bool selected)
{
    if (selected)
        attron(A_REVERSE);
    mvaddch(y, x, ' ');
    for (const char *p = opt; *p; p++) {
        if (*p == '&' && p[1]) {
            attron(A_UNDERLINE | A_BOLD);
            addch((chtype)(unsigned char)*++p);
            attroff(A_UNDERLINE | A_BOLD);
        } else {
            addch((chtype)(unsigned char)*p);
        }
    }
    addch(' ');
    if (selected)
        attroff(A_REVERSE);
}

void modal_draw(ui *u)
{
    ui_modal *md = &u->modal;
    if (md->kind == MODAL_HELP) {
        help_draw(u);
        return;
    }
    int w = COLS < 70 ? COLS : 70;
    int text_rows = md->text[0] ? text_width(md->text, strlen(md->text)) / (w - 6) + 1 : 0;
    int body = md->kind == MODAL_MENU ? md->noptions : 1;
    int h = 4 + text_rows + body;
    int y, x;
    box_at(h, w, &y, &x);
    attron(A_BOLD);
    text_put(stdscr, y, x + 2, md->title, w - 4);
    attroff(A_BOLD);
    int row = y + 1 + draw_wrapped(md->text, y + 1, x + 2, w - 4, text_rows);
    if (md->kind == MODAL_MENU) {
        for (int i = 0; i < md->noptions; i++)
            draw_option(md->options[i], row + 1 + i, x + 2, i == md->sel);
        mvprintw(y + h - 1, x + 2, " Enter: choose  Esc: cancel ");
        curs_set(0);
        return;
    }
    mvaddstr(row + 1, x + 2, "> ");
    int cx = edit_draw(&md->edit, stdscr, row + 1, x + 4, w - 6);
    mvprintw(y + h - 1, x + 2, " Enter: OK  Esc: cancel ");
    move(row + 1, cx);
    curs_set(1);
}
