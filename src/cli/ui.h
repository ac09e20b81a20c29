/*
 * ui.h - the interactive Messenger (msgr with no subcommand, or msgr ui):
 * the state every ui_*.c file shares and the functions they call in each
 * other. One concern per file:
 *
 *   ui_main.c      the poll() loop, curses set-up, layout, key routing
 *   ui_signin.c    the sign-in screen, the connection and its reconnects
 *   ui_model.c     the libmsgr event sink and the contact list rows
 *   ui_contacts.c  the contact list pane and its actions
 *   ui_conv.c      conversation tabs: history, input, typing notices
 *   ui_prompt.c    the line editor and the modal prompts and menus
 *   ui_text.c      UTF-8 width, clipping and wrapping for the screen
 *   ui_help.c      the help screen
 *   ui_transfer.c  file-transfer invitations and progress
 *   ui_apps.c      application invitations (Session Invite)
 *   ui_serve.c     serving the session to msgr's scripting commands
 *   alerts.c       MSN Alerts through a MessengerPriv (shared with listen)
 *   apps.c         the MsgrSessionManager (shared with listen, invite, app)
 *
 * Everything runs on one thread: libmsgr calls back only inside
 * msgr_messenger_process(), which the loop calls, so no locking is needed.
 */
#ifndef MSGR_CLI_UI_H
#define MSGR_CLI_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include <curses.h>

#include <msgr/msgr.h>

#include "alerts.h"
#include "apps.h"
#include "cli.h"
#include "profile.h"

/* ---- text (ui_text.c) --------------------------------------------------------- */

/* Display columns of the first n bytes of UTF-8 s (invalid bytes and
 * control characters count as one column: they are shown as '?'). */
int text_width(const char *s, size_t n);

/* Draws s at (y, x) in at most maxw columns; returns the columns used. */
int text_put(WINDOW *w, int y, int x, const char *s, int maxw);

/* Bytes of s that fit in width columns, never splitting a character, and
 * (for wrapping) preferring to break after a space. Returns at least one
 * character when s is not empty. */
size_t text_fit(const char *s, size_t n, int width, bool at_space);

/* Decodes one UTF-8 character of s[0..n); returns its length (1 for an
 * invalid byte, with *wc = '?'). */
size_t text_decode(const char *s, size_t n, wchar_t *wc);

/* ---- the line editor (ui_prompt.c) -------------------------------------------- */

typedef struct ui_edit {
    char *buf;      /* UTF-8, NUL-terminated */
    size_t len;     /* bytes */
    size_t cur;     /* cursor, a byte offset on a character boundary */
    size_t max;     /* byte limit */
    size_t first;   /* first byte shown (horizontal scroll) */
    bool secret;    /* password: shown as '*' */
} ui_edit;

/* What a key did to the editor. */
typedef enum edit_result {
    EDIT_IGNORED, /* not an editing key */
    EDIT_MOVED,   /* cursor moved */
    EDIT_CHANGED, /* text changed */
} edit_result;

void edit_init(ui_edit *e, size_t max, bool secret);
void edit_free(ui_edit *e);
void edit_set(ui_edit *e, const char *text);
void edit_clear(ui_edit *e);
/* One key: ch is a character (is_key false) or a KEY_* code. */
edit_result edit_key(ui_edit *e, wint_t ch, bool is_key, bool alt);
/* Draws the editor on row y from column x, width columns, and returns the
 * column where the cursor belongs. */
int edit_draw(ui_edit *e, WINDOW *w, int y, int x, int width);

/* ---- modal prompts and menus (ui_prompt.c) ----------------------------------- */

struct ui;

/* Called when a modal ends: choice is the option picked (-1: cancelled;
 * prompts give 0), text the prompt's text (NULL for menus), arg the
 * string the modal was opened with. */
typedef void (*modal_done)(struct ui *u, int choice, const char *text, const char *arg);

typedef enum modal_kind { MODAL_NONE, MODAL_PROMPT, MODAL_MENU, MODAL_HELP } modal_kind;

#define MODAL_OPTIONS_MAX 10

typedef struct ui_modal {
    modal_kind kind;
    char title[160];
    char text[320];                       /* explanation above the input / options */
    ui_edit edit;                         /* MODAL_PROMPT */
    const char *options[MODAL_OPTIONS_MAX]; /* MODAL_MENU: "&Allow" marks the hot key */
    int noptions, sel;
    int scroll;                           /* MODAL_HELP */
    modal_done done;
    char arg[256];
} ui_modal;

/* Opens a prompt (initial text may be NULL) or a menu. A modal already
 * open is replaced only by ui_modal_queue's turn. */
void modal_prompt(struct ui *u, const char *title, const char *text, const char *initial,
                  size_t max, modal_done done, const char *arg);
void modal_menu(struct ui *u, const char *title, const char *text, const char *const *options,
                int n, modal_done done, const char *arg);
void modal_key(struct ui *u, wint_t ch, bool is_key, bool alt);
void modal_draw(struct ui *u);
void modal_close(struct ui *u);

/* ---- the help screen (ui_help.c) ----------------------------------------------- */

void help_open(struct ui *u);
void help_key(struct ui *u, wint_t ch, bool is_key);
void help_draw(struct ui *u);

/* ---- conversations (ui_conv.c) --------------------------------------------------- */

#define UI_TABS_MAX 32
#define UI_LOG_MAX 2000 /* entries kept per conversation */

typedef enum line_kind { LINE_IN, LINE_OUT, LINE_INFO } line_kind;

typedef struct ui_line {
    line_kind kind;
    char *text; /* "[12:30] Bob: hello" (may hold line breaks) */
} ui_line;

typedef struct ui_conv {
    msgr_window *w;      /* referenced; NULL once the conversation ended */
    char *title;         /* participants' names as last known */
    char *peer;          /* a participant's sign-in name, to reopen it */
    ui_line *log;
    size_t nlog, caplog;
    int scroll;          /* screen rows scrolled back from the newest */
    bool unread;
    char typing[160];    /* "Bob is typing..." */
    int64_t typing_until;
    int64_t typing_sent; /* when we last told them we type */
    ui_edit input;
} ui_conv;

ui_conv *conv_find(struct ui *u, msgr_window *w);
/* Opens (or switches to) the conversation with a contact. */
void conv_open_with(struct ui *u, msgr_contact *c);
/* Tab for a window libmsgr opened (incoming invitation). */
ui_conv *conv_adopt(struct ui *u, msgr_window *w, bool focus);
void conv_add_line(struct ui *u, ui_conv *cv, line_kind kind, const char *who,
                   const char *text);
void conv_select(struct ui *u, int index);
void conv_close_current(struct ui *u);
void conv_invite(struct ui *u, msgr_contact *c);
/* The current tab's window, reopening an ended conversation; NULL when
 * there is none (a note says why). */
msgr_window *conv_live_window(struct ui *u);
void conv_key(struct ui *u, wint_t ch, bool is_key, bool alt);
void conv_draw(struct ui *u, int y, int x, int h, int w);
void conv_free_all(struct ui *u);
/* Libmsgr events about conversations (ui_model.c routes them here). */
void conv_on_created(struct ui *u, msgr_window *w);
void conv_on_destroyed(struct ui *u, msgr_window *w);
void conv_on_member(struct ui *u, msgr_window *w, msgr_contact *c, bool joined);
void conv_on_message(struct ui *u, msgr_window *w, msgr_contact *from, const char *text);
void conv_on_typing(struct ui *u, msgr_window *w, msgr_contact *from);
/* Earliest typing-notice expiry (for the poll timeout), or -1. */
int64_t conv_next_deadline(struct ui *u);

/* ---- the contact list (ui_model.c: rows; ui_contacts.c: pane) ----------------------- */

typedef enum row_kind { ROW_HEADER, ROW_CONTACT, ROW_PENDING } row_kind;

typedef struct ui_row {
    row_kind kind;
    char *key;       /* contact sign-in name, or group name for a header */
    char *label;     /* what is shown */
    MISTATUS status;
    bool blocked;
    bool is_group;   /* a header that is a real group (rename / delete) */
} ui_row;

/* One contact as read from libmsgr (strings copied). */
typedef struct ui_entry {
    char *signin, *friendly;
    MISTATUS status;
    bool blocked;
    char **groups;
    size_t ngroups;
} ui_entry;

/* Builds the rows for entries in the order of sort (pure: no libmsgr). */
size_t model_rows(const ui_entry *e, size_t n, char *const *groups, size_t ngroups,
                  MUASORT sort, char *const *pending, size_t npending, ui_row **out);
void model_free_rows(ui_row *rows, size_t n);
/* Reads the contact list from libmsgr into u->rows. */
void model_refresh(struct ui *u);
/* The contact of a sign-in name (borrowed), or NULL. */
msgr_contact *model_contact(struct ui *u, const char *signin, bool unlisted);
/* The group of a name (borrowed), or NULL. */
msgr_group *model_group(struct ui *u, const char *name);
void model_pending_add(struct ui *u, const char *signin);
void model_pending_drop(struct ui *u, const char *signin);
const char *status_label(MISTATUS st);
extern const msgr_messenger_events UI_EVENTS;
/* alerts.c callbacks (ud is the ui): an alert becomes a notification
 * line; a subscription that failed says why. */
void model_on_alert(void *ud, const char *text, const char *url);
void model_on_alert_note(void *ud, bool ok, const char *note);

void contacts_key(struct ui *u, wint_t ch, bool is_key);
void contacts_draw(struct ui *u, int y, int x, int h, int w);
/* Asks what to do about someone who added the local user. */
void contacts_ask_pending(struct ui *u, const char *signin);

/* ---- sign-in and connection (ui_signin.c) ------------------------------------------------ */

typedef enum conn_state {
    CONN_OFFLINE,     /* signed out: the sign-in screen */
    CONN_SIGNING_IN,
    CONN_ONLINE,
    CONN_RETRY_WAIT,  /* connection lost, next attempt at retry_at */
    CONN_SIGNING_OUT,
} conn_state;

/* Loads the form from the profile; 1 when saved credentials allow an
 * AutoSignin right away (signin_auto). */
int signin_setup(struct ui *u);
void signin_auto(struct ui *u);
void signin_teardown(struct ui *u);
void signin_key(struct ui *u, wint_t ch, bool is_key, bool alt);
void signin_draw(struct ui *u);
/* Signs out on purpose (to the sign-in screen, or to quit). */
void signin_signout(struct ui *u);
/* Runs timers: reconnect attempts. */
void signin_tick(struct ui *u);
int64_t signin_next_deadline(struct ui *u);
void signin_on_signin(struct ui *u, msgr_hr hr);
void signin_on_status(struct ui *u, msgr_hr hr, MISTATUS st);
/* What the status bar says about the connection ("" when online). */
const char *signin_conn_text(struct ui *u);
/* A saved status change (profile), best effort. */
void signin_remember_status(struct ui *u, MISTATUS st);

/* ---- local server mode (ui_serve.c) ----------------------------------------------------- */

/* Serves u->m to the user's other programs (after it is made), unless the
 * profile says serve = no; a failure becomes u->serve_note. */
void serve_start(struct ui *u);
/* Stops serving (before u->m goes). */
void serve_stop(struct ui *u);

/* ---- file transfers (ui_transfer.c) ------------------------------------------------------- */

void transfer_send_prompt(struct ui *u);
/* Cancels the file transfer of the current tab; false when there is none. */
bool transfer_cancel_current(struct ui *u);
/* Asks about the next file offer not asked yet (again: also those the
 * user put off with Esc); false when none waits. */
bool transfer_ask_next(struct ui *u, bool again);
void transfer_draw_bar(struct ui *u, int y, int x, int w);
bool transfer_active(struct ui *u);
void transfer_free_all(struct ui *u);
void transfer_on_invitation(struct ui *u, msgr_window *w, msgr_contact *from,
                            msgr_file_transfer *t);
void transfer_on_progress(struct ui *u, msgr_file_transfer *t);
void transfer_on_state(struct ui *u, msgr_file_transfer *t, MSGR_FT_STATE st, msgr_hr hr);

/* ---- application invitations (ui_apps.c) -------------------------------------------------------- */

/* The session manager of u->m (after the messenger is made) and its end
 * (before the messenger goes). */
void invites_start(struct ui *u, const char *app_id, const char *app_key);
void invites_stop(struct ui *u);
/* Asks about the next invitation not answered yet (again: also those put
 * off with Esc); false when none waits. */
bool invites_ask_next(struct ui *u, bool again);
/* Ctrl-L: invite the current tab's person to an application. */
void invites_prompt(struct ui *u);
/* Cancels our invitation in the current tab; false when there is none. */
bool invites_cancel_current(struct ui *u);
/* Lets finished sessions go (outside libmsgr's callbacks). */
void invites_tick(struct ui *u);

/* ---- the whole program's state ------------------------------------------------------------- */

typedef enum ui_screen { SCREEN_SIGNIN, SCREEN_MAIN } ui_screen;
typedef enum ui_focus { FOCUS_CONTACTS, FOCUS_CONV } ui_focus;

typedef struct ui {
    cli_ctx *ctx;
    config cfg;
    char profile_name[80];   /* a copy: cfg is reloaded before each save */
    msgr_messenger *m;
    uint32_t cookie;

    /* sign-in form and connection (ui_signin.c) */
    ui_screen screen;
    ui_edit f_server, f_signin, f_password;
    bool remember;
    int field;
    char *nexus, *ca_file;     /* from the options or the profile */
    char *m_server;            /* the server the messenger was made for */
    char signin_msg[320];
    bool signin_msg_error;
    conn_state conn;
    bool auto_cred;            /* signing in with the saved credentials */
    bool save_pending;         /* remember me: save once online */
    char *password;            /* kept for reconnects when not saved */
    cli_alerts alerts;         /* MessengerPriv of u->m, for alerts */
    cli_apps apps;             /* MsgrSessionManager of u->m (ui_apps.c) */
    void *invites;             /* the sessions shown (ui_apps.c) */
    bool quitting, user_signout;
    int retries;
    int64_t retry_at;
    char conn_note[320];
    char serve_note[160];      /* why this client does not serve (ui_serve.c), or "" */
    MISTATUS my_status, wanted_status;
    int32_t unread_mail;       /* -1: no mailbox / unknown */

    /* contact list (ui_model.c, ui_contacts.c) */
    ui_row *rows;
    size_t nrows;
    int sel, top;
    char sel_key[160];
    row_kind sel_kind;
    MUASORT sort;
    char **pending;
    size_t npending;

    /* conversations (ui_conv.c) */
    ui_conv *convs[UI_TABS_MAX];
    int nconv, cur;
    ui_focus focus;

    /* file transfers (ui_transfer.c) */
    void *transfers;

    /* modal prompt, menu or help (ui_prompt.c, ui_help.c) */
    ui_modal modal;
    char queued_pending[8][160]; /* reverse-list additions waiting to be asked */
    int nqueued;

    /* status bar */
    char note[320];
    int64_t note_until;
    bool dirty, done;
} ui;

/* ---- ui_main.c ---------------------------------------------------------------------------- */

int64_t ui_now_ms(void);
/* A note in the status bar for a few seconds (printf-style). */
void ui_note(ui *u, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Whether the two panes fit side by side. */
bool ui_split(void);
/* Color pair of a status (0 without colors). */
attr_t ui_status_attr(MISTATUS st);

#endif
