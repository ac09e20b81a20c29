/*
 * invitations.c - text/x-msmsgsinvite traffic of conversation windows
 * (msnp.md 5.9, 5.10): the one place that parses incoming INVITE, ACCEPT
 * and CANCEL messages and hands each to the feature that owns it (file
 * transfer, Session Invite, ...), and that sends them.
 *
 * A feature plugs in with an invite_handler in the table below. An INVITE
 * is offered to each handler in turn until one claims it; nobody claiming
 * it means the application is not installed here, which the inviter hears
 * as CANCEL REJECT_NOT_INSTALLED (what Windows Messenger answered). An
 * ACCEPT or CANCEL belongs to whoever knows its cookie.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "internal.h"
#include "msnp_invite.h"

/* Every feature that takes part in invitations, in the order they are
 * asked. Each entry is defined in the feature's own file. */
static const invite_handler *const handlers[] = {
    &filetransfer_invite_handler,
    &session_invite_handler,
    NULL, /* keeps the array non-empty; skipped */
};

static size_t handler_count(void)
{
    return sizeof handlers / sizeof handlers[0];
}

uint32_t invite_new_cookie(void)
{
    uint32_t v = 0;
    while (v == 0) {
        if (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v)
            v = (uint32_t)msgr_now_ms() ^ (uint32_t)rand();
        v &= 0x7fffffffu; /* Invitation-Cookie is 1..2^31-1 */
    }
    return v;
}

msgr_hr invite_send(msgr_window *w, const msnp_invite *inv)
{
    msnp_buf payload = MSNP_BUF_INIT;
    if (msnp_invite_build(&payload, inv) != MSNP_OK) {
        msnp_buf_free(&payload);
        return MSGR_E_INVALIDARG;
    }
    msgr_hr hr = conv_send_payload(w, &payload, 'N');
    msnp_buf_free(&payload);
    return hr;
}

msgr_hr invite_send_cancel(msgr_window *w, const char *guid, uint32_t cookie,
                           int code)
{
    msnp_invite inv;
    memset(&inv, 0, sizeof inv);
    inv.application_guid = guid;
    inv.command = MSNP_INVITE_CMD_CANCEL;
    inv.cookie = cookie;
    inv.cancel_code = (msnp_cancel_code)code;
    return invite_send(w, &inv);
}

static bool offer_invite(msgr_window *w, msgr_contact *from, const msnp_invite *inv)
{
    for (size_t i = 0; i < handler_count(); i++)
        if (handlers[i] && handlers[i]->on_invite && handlers[i]->on_invite(w, from, inv))
            return true;
    return false;
}

static void offer_reply(msgr_window *w, msgr_contact *from, const msnp_invite *inv)
{
    for (size_t i = 0; i < handler_count(); i++)
        if (handlers[i] && handlers[i]->on_reply && handlers[i]->on_reply(w, from, inv))
            return;
    /* A reply to nothing we know (expired, or never ours): ignored. */
}

void invite_on_message(msgr_window *w, msgr_contact *from, const void *payload,
                       size_t len)
{
    msnp_invite inv;
    if (msnp_invite_parse(payload, len, &inv) != MSNP_OK)
        return; /* malformed: a classic client ignores it too */
    if (inv.command == MSNP_INVITE_CMD_INVITE) {
        if (!offer_invite(w, from, &inv))
            (void)invite_send_cancel(w, inv.application_guid, inv.cookie,
                                     MSNP_CANCEL_REJECT_NOT_INSTALLED);
    } else {
        offer_reply(w, from, &inv);
    }
    msnp_invite_free(&inv);
}

void invite_window_closing(msgr_window *w)
{
    for (size_t i = 0; i < handler_count(); i++)
        if (handlers[i] && handlers[i]->on_window_closing)
            handlers[i]->on_window_closing(w);
}

size_t invite_fds(msgr_messenger *m, msgr_pollfd *fds, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < handler_count(); i++)
        if (handlers[i] && handlers[i]->fds)
            n += handlers[i]->fds(m, n < cap ? fds + n : NULL, n < cap ? cap - n : 0);
    return n;
}

void invite_progress(msgr_messenger *m, int64_t now)
{
    for (size_t i = 0; i < handler_count(); i++)
        if (handlers[i] && handlers[i]->progress)
            handlers[i]->progress(m, now);
}

int64_t invite_next_deadline(msgr_messenger *m)
{
    int64_t best = 0;
    for (size_t i = 0; i < handler_count(); i++) {
        if (!handlers[i] || !handlers[i]->next_deadline)
            continue;
        int64_t d = handlers[i]->next_deadline(m);
        if (d > 0 && (best == 0 || d < best))
            best = d;
    }
    return best;
}

void invite_shutdown(msgr_messenger *m)
{
    for (size_t i = 0; i < handler_count(); i++)
        if (handlers[i] && handlers[i]->shutdown)
            handlers[i]->shutdown(m);
}
