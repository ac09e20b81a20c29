/*
 * cmd_listen.c - msgr listen: every event of the session as one JSON
 * object per line on standard output, until SIGINT/SIGTERM.
 *
 * Incoming conversations are accepted by libmsgr itself (it answers every
 * invitation). libmsgr raises no event for a received message: a message
 * only appears in the conversation's History ("<friendly name>: <text>\n"
 * per message). So after every process() the new part of each open
 * conversation's History is read and split into messages, attributing
 * each to the participant whose friendly name starts it (or to the only
 * participant). A message text holding a line that itself starts with a
 * participant's "name: " would be split in two; see the report of
 * issue 8 for the API gap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "names.h"
#include "session.h"

typedef struct conv {
    msgr_window *w;        /* alive while open (the messenger's table holds it) */
    long id;               /* what the JSON calls it */
    size_t seen;           /* bytes of History already reported */
    msgr_contact **parts;  /* everyone who joined, referenced */
    size_t nparts;
} conv;

typedef struct listen_state {
    conv *convs;
    size_t nconvs;
    long next_id;
    bool announced;  /* the signin event was printed */
    MISTATUS status; /* own status last reported */
    const char *end; /* why the session ended, printed after sign-out */
    bool out_closed; /* stdout is gone: stop quietly */
} listen_state;

/* ---- output ----------------------------------------------------------------------- */

static bool g_first;

static void begin(const char *event)
{
    g_first = true;
    fputc('{', stdout);
    json_member_str(stdout, &g_first, "event", event);
}

static void end(listen_state *ls)
{
    fputs("}\n", stdout);
    if (fflush(stdout) != 0 || ferror(stdout))
        ls->out_closed = true;
}

static const char *str_of(msgr_contact *c, msgr_hr (*get)(msgr_contact *, const char **))
{
    const char *v = NULL;
    return c && MSGR_SUCCEEDED(get(c, &v)) ? v : NULL;
}

static void member_contact(msgr_contact *c)
{
    json_member_str(stdout, &g_first, "contact", str_of(c, msgr_contact_get_signin_name));
    json_member_str(stdout, &g_first, "friendly_name",
                    str_of(c, msgr_contact_get_friendly_name));
}

static MISTATUS status_of(msgr_contact *c)
{
    MISTATUS st = MISTATUS_UNKNOWN;
    (void)msgr_contact_get_status(c, &st);
    return st;
}

/* ---- conversations ---------------------------------------------------------------- */

static conv *find_conv(listen_state *ls, const msgr_window *w)
{
    for (size_t i = 0; i < ls->nconvs; i++)
        if (ls->convs[i].w == w)
            return &ls->convs[i];
    return NULL;
}

static conv *add_conv(listen_state *ls, msgr_window *w)
{
    conv *t = realloc(ls->convs, (ls->nconvs + 1) * sizeof *t);
    if (!t)
        return NULL;
    ls->convs = t;
    t[ls->nconvs] = (conv){ .w = w, .id = ++ls->next_id };
    return &t[ls->nconvs++];
}

static void drop_conv(listen_state *ls, conv *cv)
{
    for (size_t i = 0; i < cv->nparts; i++)
        msgr_object_release(cv->parts[i]);
    free(cv->parts);
    size_t i = (size_t)(cv - ls->convs);
    memmove(cv, cv + 1, (ls->nconvs - i - 1) * sizeof *cv);
    ls->nconvs--;
}

static void remember_part(conv *cv, msgr_contact *c)
{
    for (size_t i = 0; i < cv->nparts; i++)
        if (cv->parts[i] == c)
            return;
    msgr_contact **t = realloc(cv->parts, (cv->nparts + 1) * sizeof *t);
    if (!t || MSGR_FAILED(msgr_object_addref(c))) {
        if (t)
            cv->parts = t;
        return;
    }
    cv->parts = t;
    cv->parts[cv->nparts++] = c;
}

/* The participant whose "<friendly name>: " starts line (longest match). */
static msgr_contact *speaker(const conv *cv, const char *line, size_t *prefix)
{
    msgr_contact *best = NULL;
    *prefix = 0;
    for (size_t i = 0; i < cv->nparts; i++) {
        const char *name = str_of(cv->parts[i], msgr_contact_get_friendly_name);
        size_t n = name ? strlen(name) : 0;
        if (n && n + 2 > *prefix && strncmp(line, name, n) == 0 && line[n] == ':' &&
            line[n + 1] == ' ') {
            best = cv->parts[i];
            *prefix = n + 2;
        }
    }
    return best;
}

static void emit_message(listen_state *ls, const conv *cv, msgr_contact *from,
                         const char *name, size_t name_len, const char *text)
{
    char *nm = malloc(name_len + 1);
    if (!nm)
        return;
    memcpy(nm, name, name_len);
    nm[name_len] = '\0';
    if (!from && cv->nparts == 1)
        from = cv->parts[0]; /* a two-party conversation: it can only be them */
    begin("message");
    json_member_int(stdout, &g_first, "conversation", cv->id);
    json_member_str(stdout, &g_first, "from", str_of(from, msgr_contact_get_signin_name));
    json_member_str(stdout, &g_first, "friendly_name", nm);
    json_member_str(stdout, &g_first, "text", text);
    end(ls);
    free(nm);
}

/* Whether line starts a message: "<participant's name>: " or, on the
 * first line, any "<name>: ". Sets the sender (NULL when unknown) and the
 * name's length; returns the length of the prefix before the text. */
static size_t entry_start(const conv *cv, const char *line, size_t ll, bool first,
                          bool *starts, msgr_contact **who, size_t *name_len)
{
    size_t pre = 0;
    *who = speaker(cv, line, &pre);
    *starts = *who || first;
    *name_len = 0;
    if (*who) {
        *name_len = pre - 2;
        return pre;
    }
    const char *colon = strstr(line, ": ");
    if (!first || !colon || colon >= line + ll)
        return 0;
    *name_len = (size_t)(colon - line);
    return *name_len + 2;
}

/* Splits the new History text into messages and prints them; a line that
 * does not start a message continues the previous one (a line break
 * inside a message). */
static void report_history(listen_state *ls, const conv *cv, const char *chunk)
{
    char *text = malloc(strlen(chunk) + 1);
    const char *name = NULL;
    size_t name_len = 0, tlen = 0;
    msgr_contact *from = NULL;
    if (!text)
        return;
    for (const char *line = chunk; *line;) {
        const char *nl = strchr(line, '\n');
        size_t ll = nl ? (size_t)(nl - line) : strlen(line), nlen = 0;
        msgr_contact *who = NULL;
        bool starts = false;
        size_t pre = entry_start(cv, line, ll, name == NULL, &starts, &who, &nlen);
        if (starts && name) {
            text[tlen] = '\0';
            emit_message(ls, cv, from, name, name_len, text);
        }
        if (starts) {
            from = who;
            name = line;
            name_len = nlen;
            tlen = 0;
        } else {
            text[tlen++] = '\n';
        }
        memcpy(text + tlen, line + pre, ll - pre);
        tlen += ll - pre;
        line = nl ? nl + 1 : line + ll;
    }
    if (name) {
        text[tlen] = '\0';
        emit_message(ls, cv, from, name, name_len, text);
    }
    free(text);
}

static void scan_histories(listen_state *ls)
{
    for (size_t i = 0; i < ls->nconvs; i++) {
        conv *cv = &ls->convs[i];
        const char *h = NULL;
        if (MSGR_FAILED(msgr_conversation_get_history(cv->w, &h)) || !h)
            continue;
        size_t len = strlen(h);
        if (len > cv->seen) {
            size_t from = cv->seen;
            cv->seen = len;
            report_history(ls, cv, h + from);
        }
    }
}

/* ---- events ------------------------------------------------------------------------ */

static void ev_my_status(void *ud, msgr_messenger *m, msgr_hr hr, MISTATUS st)
{
    listen_state *ls = ud;
    const char *me = NULL, *name = NULL;
    (void)hr;
    if (st == MISTATUS_OFFLINE || st >= MISTATUS_LOCAL_FINDING_SERVER ||
        (ls->announced && st == ls->status))
        return; /* transitions and repeats; the end is reported by cmd_listen */
    ls->status = st;
    (void)msgr_messenger_get_my_signin_name(m, &me);
    (void)msgr_messenger_get_my_friendly_name(m, &name);
    begin(ls->announced ? "my_status" : "signin");
    json_member_str(stdout, &g_first, "signin", me);
    json_member_str(stdout, &g_first, "friendly_name", name);
    json_member_str(stdout, &g_first, "status", status_name(st));
    end(ls);
    ls->announced = true;
}

static void ev_contact_status(void *ud, msgr_messenger *m, msgr_contact *c, MISTATUS prev)
{
    (void)m;
    begin("status");
    member_contact(c);
    json_member_str(stdout, &g_first, "status", status_name(status_of(c)));
    json_member_str(stdout, &g_first, "previous", status_name(prev));
    end(ud);
}

static void ev_name(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c, const char *prev)
{
    (void)m;
    (void)hr;
    begin("friendly_name");
    member_contact(c);
    json_member_str(stdout, &g_first, "previous", prev);
    end(ud);
}

static void ev_window_created(void *ud, msgr_messenger *m, msgr_window *w)
{
    listen_state *ls = ud;
    (void)m;
    conv *cv = add_conv(ls, w);
    if (!cv)
        return;
    begin("conversation");
    json_member_int(stdout, &g_first, "conversation", cv->id);
    end(ls);
}

static void ev_window_member(listen_state *ls, msgr_contact *c, msgr_window *w,
                             const char *what)
{
    conv *cv = find_conv(ls, w);
    if (!cv)
        return;
    scan_histories(ls); /* messages said before this change come first */
    if (strcmp(what, "join") == 0)
        remember_part(cv, c);
    begin(what);
    json_member_int(stdout, &g_first, "conversation", cv->id);
    member_contact(c);
    end(ls);
}

static void ev_joined(void *ud, msgr_messenger *m, msgr_contact *c, msgr_window *w)
{
    (void)m;
    ev_window_member(ud, c, w, "join");
}

static void ev_left(void *ud, msgr_messenger *m, msgr_contact *c, msgr_window *w)
{
    (void)m;
    ev_window_member(ud, c, w, "leave");
}

static void ev_window_destroyed(void *ud, msgr_messenger *m, msgr_window *w)
{
    listen_state *ls = ud;
    (void)m;
    conv *cv = find_conv(ls, w);
    if (!cv)
        return;
    begin("conversation_closed");
    json_member_int(stdout, &g_first, "conversation", cv->id);
    end(ls);
    drop_conv(ls, cv);
}

static void ev_list(listen_state *ls, const char *what, msgr_hr hr, msgr_contact *c)
{
    begin(what);
    member_contact(c);
    if (MSGR_FAILED(hr))
        json_member_str(stdout, &g_first, "error", hr_text(hr));
    end(ls);
}

static void ev_list_add(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c)
{
    (void)m;
    ev_list(ud, "contact_added", hr, c);
}

static void ev_list_remove(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c)
{
    (void)m;
    ev_list(ud, "contact_removed", hr, c);
}

static void ev_block(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c, bool blocked)
{
    (void)m;
    ev_list(ud, blocked ? "blocked" : "unblocked", hr, c);
}

static void ev_mail(void *ud, msgr_messenger *m, MUAFOLDER folder, int32_t unread,
                    bool *enable_default)
{
    (void)m;
    (void)enable_default;
    begin("mail");
    json_member_str(stdout, &g_first, "folder", folder == MUAFOLDER_INBOX ? "inbox" : "other");
    json_member_int(stdout, &g_first, "unread", (long)unread);
    end(ud);
}

static const msgr_messenger_events LISTEN_EVENTS = {
    .on_my_status_change = ev_my_status,
    .on_contact_status_change = ev_contact_status,
    .on_contact_friendly_name_change = ev_name,
    .on_im_window_created = ev_window_created,
    .on_im_window_contact_added = ev_joined,
    .on_im_window_contact_removed = ev_left,
    .on_im_window_destroyed = ev_window_destroyed,
    .on_contact_list_add = ev_list_add,
    .on_contact_list_remove = ev_list_remove,
    .on_contact_block_change = ev_block,
    .on_unread_email_change = ev_mail,
};

/* ---- the command --------------------------------------------------------------------- */

/* Called after every process(): report new messages, stop if stdout went. */
static bool listen_step(void *arg)
{
    listen_state *ls = arg;
    scan_histories(ls);
    return ls->out_closed;
}

static listen_state g_listen;

static int listen_job(cli_session *s, cli_ctx *ctx)
{
    (void)ctx;
    sess_result r = sess_wait(s, listen_step, &g_listen, -1);
    if (r == SESS_DONE)
        return CLI_OK; /* standard output closed: nobody is listening */
    bool requested = r == SESS_SIGNAL;
    g_listen.end = requested ? "signal" : r == SESS_OFFLINE ? hr_text(s->end_hr)
                                                            : "event loop failure";
    return requested ? CLI_OK : sess_report(s, r, "events");
}

int cmd_listen(cli_ctx *ctx)
{
    int rc = sess_run_advised(ctx, listen_job, &LISTEN_EVENTS, &g_listen);
    if (g_listen.end && !g_listen.out_closed) {
        begin("signout");
        json_member_str(stdout, &g_first, "reason", g_listen.end);
        end(&g_listen);
    }
    while (g_listen.nconvs > 0)
        drop_conv(&g_listen, &g_listen.convs[g_listen.nconvs - 1]);
    free(g_listen.convs);
    return rc;
}
