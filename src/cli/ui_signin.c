/*
 * ui_signin.c - the sign-in screen and the life of the connection: the
 * form (server, sign-in name, password, remember me), AutoSignin with a
 * saved profile, the progress of an attempt, clear words for a failure,
 * and reconnecting with backoff when the connection drops without the
 * user asking.
 *
 * The profile is the scripting commands' (profile.c): "remember me" saves
 * it with libmsgr's AutoSignin credentials, so `msgr send` works with it
 * too, and a profile saved by `msgr login` signs the interactive client in
 * at once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "names.h"
#include "session.h"
#include "ui.h"

#define CTRL(c) ((c) & 0x1f)
#define DEFAULT_SERVER "127.0.0.1:1863"
#define RETRY_MAX_S 30

enum { F_SERVER, F_SIGNIN, F_PASSWORD, F_REMEMBER, NFIELDS };

static profile *current_profile(ui *u)
{
    return config_find(&u->cfg, u->profile_name);
}

static char *credentials_path(ui *u)
{
    char *dir = profile_dir(&u->cfg, u->profile_name);
    char *path = dir ? malloc(strlen(dir) + sizeof "/credentials") : NULL;
    if (path)
        sprintf(path, "%s/credentials", dir);
    free(dir);
    return path;
}

static bool has_credentials(ui *u)
{
    char *path = credentials_path(u);
    bool ok = path && access(path, F_OK) == 0;
    free(path);
    return ok;
}

/* The CA file as an absolute path: the profile is used from anywhere. */
static char *absolute(const char *path)
{
    char cwd[4096];
    if (path[0] == '/' || !getcwd(cwd, sizeof cwd))
        return strdup(path);
    size_t n = strlen(cwd) + strlen(path) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s/%s", cwd, path);
    return out;
}

static void set_msg(ui *u, bool error, const char *text)
{
    snprintf(u->signin_msg, sizeof u->signin_msg, "%s", text);
    u->signin_msg_error = error;
    u->dirty = true;
}

/* ---- set-up ------------------------------------------------------------------------------ */

int signin_setup(ui *u)
{
    profile *p = current_profile(u);
    const cli_ctx *ctx = u->ctx;
    edit_init(&u->f_server, 128, false);
    edit_init(&u->f_signin, 129, false);
    edit_init(&u->f_password, 256, true);
    edit_set(&u->f_server, ctx->server ? ctx->server : p && p->server ? p->server : DEFAULT_SERVER);
    edit_set(&u->f_signin, p && p->signin ? p->signin : "");
    u->nexus = ctx->nexus ? profile_nexus_url(ctx->nexus) : p && p->nexus ? strdup(p->nexus) : NULL;
    u->ca_file = ctx->ca_file ? absolute(ctx->ca_file) : p && p->ca_file ? strdup(p->ca_file)
                                                                          : NULL;
    u->remember = p && p->signin && has_credentials(u);
    u->field = p && p->signin ? F_PASSWORD : F_SIGNIN;
    u->wanted_status = p ? sess_profile_status(p) : MISTATUS_ONLINE;
    u->screen = SCREEN_SIGNIN;
    u->conn = CONN_OFFLINE;
    u->unread_mail = -1;
    return u->remember ? 1 : 0; /* 1: sign in with the saved credentials now */
}

void signin_teardown(ui *u)
{
    invites_stop(u); /* before its messenger goes */
    alerts_stop(&u->alerts);
    serve_stop(u);
    if (u->m) {
        (void)msgr_messenger_unadvise(u->m, u->cookie);
        msgr_object_release(u->m);
        u->m = NULL;
    }
    edit_free(&u->f_server);
    edit_free(&u->f_signin);
    edit_free(&u->f_password);
    if (u->password)
        memset(u->password, 0, strlen(u->password));
    free(u->password);
    free(u->nexus);
    free(u->ca_file);
    free(u->m_server);
    u->password = u->nexus = u->ca_file = u->m_server = NULL;
}

/* A messenger for the server in the form (a new one when it changed:
 * the server is fixed at creation). */
static msgr_hr ensure_messenger(ui *u)
{
    const char *server = u->f_server.buf;
    if (u->m && u->m_server && strcmp(u->m_server, server) == 0)
        return MSGR_S_OK;
    invites_stop(u);
    alerts_stop(&u->alerts);
    serve_stop(u);
    if (u->m) {
        (void)msgr_messenger_unadvise(u->m, u->cookie);
        msgr_object_release(u->m);
        u->m = NULL;
    }
    char *dir = profile_dir(&u->cfg, u->profile_name);
    char *cache = profile_cache_dir(u->profile_name);
    msgr_options o = {
        .server = server,
        .nexus_url = u->nexus,
        .ca_file = u->ca_file,
        .config_dir = dir,
        .cache_dir = cache,
        .initial_status = u->wanted_status,
        .logon_timeout_ms = (unsigned)u->ctx->timeout_s * 1000u,
    };
    msgr_hr hr = dir && cache ? msgr_messenger_create(&o, &u->m) : MSGR_E_OUTOFMEMORY;
    free(dir);
    free(cache);
    if (MSGR_SUCCEEDED(hr))
        hr = msgr_messenger_advise(u->m, &UI_EVENTS, u, &u->cookie);
    if (MSGR_SUCCEEDED(hr)) {
        free(u->m_server);
        u->m_server = strdup(server);
        /* Alerts are best effort: the client works without them. */
        profile *p = current_profile(u);
        (void)alerts_start(&u->alerts, u->m, p ? p->app_id : NULL, p ? p->app_key : NULL,
                           model_on_alert, model_on_alert_note, u);
        invites_start(u, p ? p->app_id : NULL, p ? p->app_key : NULL);
        serve_start(u);
    } else if (u->m) {
        msgr_object_release(u->m);
        u->m = NULL;
    }
    return hr;
}

/* Starts an attempt: with the password we hold, else AutoSignin. */
static void start_signin(ui *u)
{
    msgr_hr hr = ensure_messenger(u);
    if (hr == MSGR_E_INVALIDARG) {
        set_msg(u, true, "Bad server address: expected HOST:PORT");
        return;
    }
    if (MSGR_SUCCEEDED(hr))
        hr = u->password ? msgr_messenger_signin(u->m, 0, u->f_signin.buf, u->password)
                         : msgr_messenger_auto_signin(u->m);
    if (MSGR_SUCCEEDED(hr) && u->retries > 0)
        (void)msgr_messenger_set_my_status(u->m, u->wanted_status); /* keep Busy etc. */
    if (MSGR_FAILED(hr)) {
        u->conn = CONN_OFFLINE;
        u->screen = SCREEN_SIGNIN;
        set_msg(u, true, !u->password && hr == MSGR_E_FAIL
                             ? "The saved password is unreadable: sign in again"
                             : hr_text(hr));
        return;
    }
    u->conn = CONN_SIGNING_IN;
    u->user_signout = false;
    set_msg(u, false, "Signing in...");
}

void signin_auto(ui *u)
{
    u->auto_cred = true;
    start_signin(u);
}

static void submit(ui *u)
{
    if (u->conn == CONN_SIGNING_IN)
        return;
    if (!u->f_server.len) {
        set_msg(u, true, "Enter the server's address (HOST:PORT)");
        u->field = F_SERVER;
    } else if (!cli_valid_signin(u->f_signin.buf)) {
        set_msg(u, true, "Enter your sign-in name (name@domain)");
        u->field = F_SIGNIN;
    } else if (!u->f_password.len) {
        set_msg(u, true, "Enter your password");
        u->field = F_PASSWORD;
    } else {
        free(u->password);
        u->password = strdup(u->f_password.buf);
        u->auto_cred = false;
        u->save_pending = true;
        u->retries = 0;
        start_signin(u);
    }
}

/* ---- saving the profile ------------------------------------------------------------------ */

/* The config as it is on disk now: another msgr (a second person's
 * profile in the same file, `msgr login`) may have written it since we
 * read it, and saving our old copy would undo that. */
static bool reload_config(ui *u)
{
    config fresh;
    if (config_load(u->ctx->config, &fresh) != 0) {
        config_free(&fresh);
        return false;
    }
    config_free(&u->cfg);
    u->cfg = fresh;
    return true;
}

static void save_profile(ui *u)
{
    profile *p = reload_config(u) ? config_get(&u->cfg, u->profile_name) : NULL;
    int bad = !p;
    if (p) {
        bad |= profile_set(&p->server, u->f_server.buf);
        bad |= profile_set(&p->signin, u->f_signin.buf);
        if (u->nexus)
            bad |= profile_set(&p->nexus, u->nexus);
        if (u->ca_file)
            bad |= profile_set(&p->ca_file, u->ca_file);
    }
    if (!bad && !u->cfg.dflt)
        bad |= profile_set(&u->cfg.dflt, u->profile_name);
    if (bad || config_save(&u->cfg) != 0) {
        ui_note(u, "Could not save your settings in %s", u->cfg.path);
        return;
    }
    if (u->remember) {
        msgr_hr hr = msgr_messenger_save_credentials(u->m, u->f_signin.buf, u->password);
        if (MSGR_FAILED(hr))
            ui_note(u, "Could not remember the password: %s", hr_text(hr));
        return;
    }
    /* "remember me" unticked: forget a password saved before */
    char *path = credentials_path(u);
    if (path && unlink(path) != 0 && errno != ENOENT)
        ui_note(u, "Could not forget the saved password: %s", strerror(errno));
    free(path);
}

void signin_remember_status(ui *u, MISTATUS st)
{
    profile *p = reload_config(u) ? current_profile(u) : NULL;
    if (!p || !p->signin || profile_set(&p->status, status_name(st)) != 0)
        return;
    (void)config_save(&u->cfg);
}

/* ---- events -------------------------------------------------------------------------------- */

static const char *failure_text(ui *u, msgr_hr hr)
{
    if (hr == MSGR_E_INVALID_PASSWORD && u->auto_cred)
        return "The saved password was refused: enter your password again";
    if (hr == MSGR_E_INVALID_PASSWORD)
        return "The sign-in name or password is wrong. Check them and try again.";
    if (hr == MSGR_E_CONNECT)
        return "Cannot reach the server or its login service. Check the address, that "
               "msgrd runs, and --ca-file for its certificate.";
    return hr_text(hr);
}

void signin_on_signin(ui *u, msgr_hr hr)
{
    if (MSGR_FAILED(hr) && u->retries == 0)
        set_msg(u, true, failure_text(u, hr));
    u->dirty = true;
}

static void went_online(ui *u, MISTATUS st)
{
    bool first = u->retries == 0;
    u->conn = CONN_ONLINE;
    u->screen = SCREEN_MAIN;
    u->retries = 0;
    u->conn_note[0] = '\0';
    u->signin_msg[0] = '\0';
    edit_clear(&u->f_password);
    if (u->save_pending) {
        u->save_pending = false;
        save_profile(u);
    }
    MUASORT sort = MUASORT_GROUPS;
    if (MSGR_SUCCEEDED(msgr_messenger_get_contacts_sort_order(u->m, &sort)) && !first)
        (void)msgr_messenger_set_contacts_sort_order(u->m, u->sort); /* keep the choice */
    else
        u->sort = sort;
    int32_t unread = -1;
    if (msgr_messenger_get_unread_email_count(u->m, MUAFOLDER_INBOX, &unread) == MSGR_S_OK)
        u->unread_mail = unread;
    /* a client that does not serve says so with the sign-in (ui_serve.c) */
    ui_note(u, "%s as %s (%s)%s%s", first ? "Signed in" : "Reconnected", u->f_signin.buf,
            status_label(st), u->serve_note[0] ? ". " : "", u->serve_note);
}

static void to_signin_screen(ui *u, bool error, const char *text)
{
    /* the next sign-in may be another account: nothing of this one stays */
    conv_free_all(u);
    while (u->npending > 0)
        model_pending_drop(u, u->pending[u->npending - 1]);
    u->nqueued = 0;
    u->focus = FOCUS_CONTACTS;
    u->conn = CONN_OFFLINE;
    u->screen = SCREEN_SIGNIN;
    u->retries = 0;
    u->save_pending = false;
    edit_clear(&u->f_password); /* a refused password is typed again, not edited */
    u->field = u->f_signin.len ? F_PASSWORD : F_SIGNIN;
    set_msg(u, error, text);
}

static void schedule_retry(ui *u, msgr_hr why)
{
    int delay = u->retries < 5 ? 1 << u->retries : RETRY_MAX_S;
    if (delay > RETRY_MAX_S)
        delay = RETRY_MAX_S;
    u->retries++;
    u->conn = CONN_RETRY_WAIT;
    u->retry_at = ui_now_ms() + (int64_t)delay * 1000;
    snprintf(u->conn_note, sizeof u->conn_note, "%s", hr_text(why));
    u->dirty = true;
}

static void went_offline(ui *u, msgr_hr hr)
{
    u->my_status = MISTATUS_OFFLINE;
    if (u->quitting) {
        u->done = true;
    } else if (u->user_signout) {
        to_signin_screen(u, false, "You have signed out.");
    } else if (u->conn == CONN_SIGNING_IN && u->retries == 0) {
        to_signin_screen(u, true, failure_text(u, hr));
    } else if (hr == MSGR_E_REMOTE_LOGIN || hr == MSGR_E_INVALID_PASSWORD) {
        to_signin_screen(u, true, hr == MSGR_E_REMOTE_LOGIN
                                      ? "You were signed out: your account signed in "
                                        "somewhere else."
                                      : failure_text(u, hr));
    } else {
        schedule_retry(u, hr);
    }
}

static const char *progress_text(MISTATUS st)
{
    switch (st) {
    case MISTATUS_LOCAL_FINDING_SERVER:
        return "Finding the server...";
    case MISTATUS_LOCAL_CONNECTING_TO_SERVER:
        return "Connecting to the server...";
    case MISTATUS_LOCAL_SYNCHRONIZING_WITH_SERVER:
        return "Synchronizing the contact list...";
    default:
        return "Signing out...";
    }
}

void signin_on_status(ui *u, msgr_hr hr, MISTATUS st)
{
    u->dirty = true;
    if (st >= MISTATUS_LOCAL_FINDING_SERVER) {
        if (u->conn == CONN_SIGNING_IN && u->retries == 0)
            set_msg(u, false, progress_text(st));
        else if (u->conn == CONN_SIGNING_IN)
            snprintf(u->conn_note, sizeof u->conn_note, "%s", progress_text(st));
        return;
    }
    if (st == MISTATUS_OFFLINE) {
        went_offline(u, hr);
        return;
    }
    if (MSGR_FAILED(hr))
        ui_note(u, "Status not changed: %s", hr_text(hr));
    u->my_status = st;
    if (u->conn != CONN_ONLINE)
        went_online(u, st);
}

/* ---- sign-out, reconnect timer ----------------------------------------------------------- */

void signin_signout(ui *u)
{
    if (u->conn == CONN_ONLINE || u->conn == CONN_SIGNING_IN) {
        u->user_signout = true;
        u->conn = CONN_SIGNING_OUT;
        if (MSGR_SUCCEEDED(msgr_messenger_signout(u->m)))
            return;
    }
    if (u->conn == CONN_SIGNING_OUT && !u->quitting)
        return;
    if (u->quitting)
        u->done = true;
    else
        to_signin_screen(u, false, "You have signed out.");
}

void signin_tick(ui *u)
{
    if (u->conn != CONN_RETRY_WAIT || ui_now_ms() < u->retry_at)
        return;
    start_signin(u);
    if (u->conn == CONN_SIGNING_IN)
        snprintf(u->conn_note, sizeof u->conn_note, "Reconnecting (attempt %d)...", u->retries);
}

int64_t signin_next_deadline(ui *u)
{
    return u->conn == CONN_RETRY_WAIT ? u->retry_at : -1;
}

const char *signin_conn_text(ui *u)
{
    static char buf[400];
    switch (u->conn) {
    case CONN_RETRY_WAIT: {
        int64_t left = (u->retry_at - ui_now_ms() + 999) / 1000;
        snprintf(buf, sizeof buf, "Connection lost (%s). Reconnecting in %lld s (attempt %d)",
                 u->conn_note, (long long)(left > 0 ? left : 0), u->retries);
        return buf;
    }
    case CONN_SIGNING_IN:
        return u->conn_note[0] ? u->conn_note : "Signing in...";
    case CONN_SIGNING_OUT:
        return "Signing out...";
    case CONN_OFFLINE:
        return "Offline";
    default:
        return "";
    }
}

/* ---- the form ------------------------------------------------------------------------------ */

static ui_edit *edit_for(ui *u, int f)
{
    switch (f) {
    case F_SERVER:
        return &u->f_server;
    case F_SIGNIN:
        return &u->f_signin;
    case F_PASSWORD:
        return &u->f_password;
    default:
        return NULL;
    }
}

void signin_key(ui *u, wint_t ch, bool is_key, bool alt)
{
    u->dirty = true;
    if (!is_key && ch == 27) {
        if (u->conn == CONN_SIGNING_IN || u->conn == CONN_RETRY_WAIT)
            signin_signout(u); /* cancel the attempt */
        return;
    }
    if (u->conn == CONN_SIGNING_IN)
        return; /* the form is read-only while an attempt runs */
    if ((!is_key && ch == '\t') || (is_key && ch == KEY_DOWN))
        u->field = (u->field + 1) % NFIELDS;
    else if ((is_key && (ch == KEY_UP || ch == KEY_BTAB)))
        u->field = (u->field + NFIELDS - 1) % NFIELDS;
    else if ((!is_key && (ch == '\r' || ch == '\n')) || (is_key && ch == KEY_ENTER))
        submit(u);
    else if (u->field == F_REMEMBER && !is_key && ch == ' ')
        u->remember = !u->remember;
    else if (edit_for(u, u->field))
        (void)edit_key(edit_for(u, u->field), ch, is_key, alt);
}

/* The progress or failure of the last attempt, wrapped on 3 rows. */
static void draw_message(ui *u, int y, int x, int w)
{
    attr_t attr = u->signin_msg_error ? A_BOLD : A_NORMAL;
    attron(attr);
    for (int r = 0, off = 0, len = (int)strlen(u->signin_msg); r < 3 && off < len; r++) {
        size_t take = text_fit(u->signin_msg + off, (size_t)(len - off), w, true);
        char line[400];
        snprintf(line, sizeof line, "%.*s", (int)take, u->signin_msg + off);
        text_put(stdscr, y + r, x, line, w);
        off += (int)take;
    }
    attroff(attr);
}

void signin_draw(ui *u)
{
    int w = COLS - 4 < 64 ? COLS - 4 : 64, x = (COLS - w) / 2, y = LINES / 2 - 7;
    int cx = -1, cy = 0;
    if (y < 1)
        y = 1;
    attron(A_BOLD);
    text_put(stdscr, y, x, "msgr - Sign In", w);
    attroff(A_BOLD);
    static const char *const labels[] = { "Server:", "Sign-in name:", "Password:" };
    for (int f = F_SERVER; f <= F_PASSWORD; f++) {
        attr_t attr = u->field == f ? A_REVERSE : A_UNDERLINE;
        mvaddstr(y + 2 + f, x, labels[f]);
        attron(attr);
        mvhline(y + 2 + f, x + 16, ' ', w - 16);
        int c = edit_draw(edit_for(u, f), stdscr, y + 2 + f, x + 16, w - 16);
        attroff(attr);
        if (u->field == f) {
            cx = c;
            cy = y + 2 + f;
        }
    }
    if (u->field == F_REMEMBER)
        attron(A_REVERSE);
    mvprintw(y + 6, x, "[%c] Remember me (sign in automatically next time)",
             u->remember ? 'x' : ' ');
    if (u->field == F_REMEMBER)
        attroff(A_REVERSE);
    attron(A_DIM);
    mvprintw(y + 7, x, "Login service: %.*s", w - 15, u->nexus ? u->nexus : "(from the server)");
    attroff(A_DIM);
    draw_message(u, y + 9, x, w);
    attron(A_DIM);
    text_put(stdscr, y + 13, x, "Enter: sign in  Tab: next field  F1: help  F10: quit", w);
    attroff(A_DIM);
    if (cx >= 0 && u->conn != CONN_SIGNING_IN && u->modal.kind == MODAL_NONE) {
        move(cy, cx);
        curs_set(1);
    }
}
