/*
 * voice.c - IMessenger::StartVoice and IMessenger2::StartVideo
 * (api-scope.md 5.1, 5.2; msnp.md 5.9, 5.10). The invitation is real --
 * text/x-msmsgsinvite with the voice Application-GUID, video asked for
 * through Context-Data -- but libmsgr has no media engine: an acceptance
 * is answered with CANCEL FAIL ("no common protocol"). What happened
 * is told in the conversation's History, as Windows Messenger told it in
 * the window (msgr/msgr_window.h lists the lines).
 *
 * The invitations wait in m->voices until answered, withdrawn after
 * FT_INVITE_TIMEOUT_MS with CANCEL TIMEOUT, or cancelled with
 * OUTBANDCANCEL when their window closes. filetransfer.c's handler passes
 * the traffic on (invitations.c has one handler entry for both).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filetransfer.h"
#include "msnp_invite.h"

#define SESSION_ID_SIZE 39 /* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" + NUL */

struct voice_invite {
    msgr_window *w;          /* referenced */
    uint32_t cookie;
    bool video;
    char session_id[SESSION_ID_SIZE];
    int64_t deadline;
};

static const char *what(bool video)
{
    return video ? "video conversation" : "audio conversation";
}

/* The same with its article, as the invitation's Application-Name. */
static const char *a_what(bool video)
{
    return video ? "a video conversation" : "an audio conversation";
}

/* A random GUID in registry form for Session-ID. */
static void new_session_id(char out[SESSION_ID_SIZE])
{
    uint32_t r[4];
    for (int i = 0; i < 4; i++)
        r[i] = invite_new_cookie() ^ (invite_new_cookie() << 1);
    snprintf(out, SESSION_ID_SIZE, "{%08X-%04X-%04X-%04X-%04X%08X}", (unsigned)r[0],
             (unsigned)(r[1] >> 16), (unsigned)(0x4000 | (r[1] & 0x0FFF)),
             (unsigned)(0x8000 | (r[2] & 0x3FFF)), (unsigned)(r[2] >> 16), (unsigned)r[3]);
}

static void history_note(msgr_window *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A "* ..." line in the window's History (what the window showed). */
static void history_note(msgr_window *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)msnp_buf_append_str(&w->history, "* ");
    (void)msnp_buf_vappendf(&w->history, fmt, ap);
    (void)msnp_buf_append_char(&w->history, '\n');
    va_end(ap);
}

static msgr_hr send_voice(msgr_window *w, const struct voice_invite *v,
                          msnp_invite_command cmd, msnp_cancel_code code)
{
    msnp_invite inv;
    memset(&inv, 0, sizeof inv);
    inv.application_guid = MSNP_GUID_VOICE;
    inv.command = cmd;
    inv.cookie = v->cookie;
    inv.session_id = v->session_id;
    inv.cancel_code = code;
    if (cmd == MSNP_INVITE_CMD_INVITE) {
        inv.application_name = a_what(v->video);
        inv.session_protocol = "SM1";
        inv.context_data = v->video ? "Requested:SIP_V,;Capabilities:SIP_A,SIP_V,;"
                                    : "Requested:SIP_A,;Capabilities:SIP_A,;";
    }
    return invite_send(w, &inv);
}

static void voice_drop(msgr_messenger *m, size_t i)
{
    obj_unref(m->voices[i].w);
    memmove(&m->voices[i], &m->voices[i + 1], (m->nvoices - i - 1) * sizeof m->voices[0]);
    m->nvoices--;
}

/* Sends CANCEL when someone is there to hear it (see filetransfer.c). */
static void voice_cancel(msgr_window *w, const struct voice_invite *v, msnp_cancel_code code)
{
    if (w->m && w->state == WIN_READY && w->nmembers > 0)
        (void)send_voice(w, v, MSNP_INVITE_CMD_CANCEL, code);
}

static msgr_hr start(msgr_messenger *m, msgr_contact *contact, msgr_conversation **window,
                     bool video)
{
    msgr_hr hr = msgr_messenger_instant_message(m, contact, window);
    if (MSGR_FAILED(hr))
        return hr;
    struct voice_invite *t = realloc(m->voices, (m->nvoices + 1) * sizeof *t);
    if (!t)
        return MSGR_E_OUTOFMEMORY;
    m->voices = t;
    struct voice_invite *v = &t[m->nvoices];
    memset(v, 0, sizeof *v);
    v->w = *window;
    v->cookie = invite_new_cookie();
    v->video = video;
    v->deadline = msgr_now_ms() + FT_INVITE_TIMEOUT_MS;
    new_session_id(v->session_id);
    hr = send_voice(v->w, v, MSNP_INVITE_CMD_INVITE, MSNP_CANCEL_NONE);
    if (MSGR_FAILED(hr))
        return hr;
    obj_ref(v->w);
    m->nvoices++;
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_start_voice(msgr_messenger *m, msgr_contact *contact,
                                   msgr_conversation **window)
{
    return start(m, contact, window, false);
}

msgr_hr msgr_messenger_start_video(msgr_messenger *m, msgr_contact *contact,
                                   msgr_conversation **window)
{
    return start(m, contact, window, true);
}

static const char *display_name(const msgr_contact *c)
{
    return c->friendly && *c->friendly ? c->friendly : c->signin;
}

/* The contact's answer. Accepting gets CANCEL FAIL: nothing here can
 * take part in the call. */
static void answered(msgr_window *w, msgr_contact *from, const struct voice_invite *v,
                     const msnp_invite *inv)
{
    if (inv->command == MSNP_INVITE_CMD_ACCEPT) {
        (void)send_voice(w, v, MSNP_INVITE_CMD_CANCEL, MSNP_CANCEL_FAIL);
        history_note(w, "The %s could not be started.", what(v->video));
    } else if (inv->cancel_code == MSNP_CANCEL_REJECT) {
        history_note(w, "%s declined the %s.", display_name(from), what(v->video));
    } else if (inv->cancel_code == MSNP_CANCEL_REJECT_NOT_INSTALLED) {
        history_note(w, "%s cannot take part in %s.", display_name(from), a_what(v->video));
    } else {
        history_note(w, "The %s was cancelled.", what(v->video));
    }
}

bool voice_on_reply(msgr_window *w, msgr_contact *from, const msnp_invite *inv)
{
    msgr_messenger *m = w->m;
    for (size_t i = 0; i < m->nvoices; i++) {
        if (m->voices[i].w != w || m->voices[i].cookie != inv->cookie)
            continue;
        struct voice_invite v = m->voices[i];
        obj_ref(v.w);
        voice_drop(m, i); /* one answer ends it */
        answered(w, from, &v, inv);
        obj_unref(v.w);
        return true;
    }
    return false;
}

void voice_window_closing(msgr_window *w)
{
    msgr_messenger *m = w->m;
    for (size_t i = m->nvoices; i-- > 0;) {
        if (m->voices[i].w != w)
            continue;
        voice_cancel(w, &m->voices[i], MSNP_CANCEL_OUTBANDCANCEL);
        voice_drop(m, i);
    }
}

void voice_progress(msgr_messenger *m, int64_t now)
{
    for (size_t i = m->nvoices; i-- > 0;) {
        if (now < m->voices[i].deadline)
            continue;
        struct voice_invite v = m->voices[i];
        voice_cancel(v.w, &v, MSNP_CANCEL_TIMEOUT); /* the inviter gives up */
        history_note(v.w, "The %s was cancelled.", what(v.video));
        voice_drop(m, i);
    }
}

int64_t voice_next_deadline(msgr_messenger *m)
{
    int64_t best = 0;
    for (size_t i = 0; i < m->nvoices; i++)
        if (!best || m->voices[i].deadline < best)
            best = m->voices[i].deadline;
    return best;
}

void voice_shutdown(msgr_messenger *m)
{
    while (m->nvoices > 0)
        voice_drop(m, m->nvoices - 1);
    free(m->voices);
    m->voices = NULL;
}
