/*
 * loop.c - event-loop integration (DESIGN.md section 3; hiredis's async
 * adapters are the model): the descriptors and the next timeout for the
 * application's own loop, process() to make progress without blocking,
 * and run()/stop() as a ready-made poll() loop.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <time.h>

#include "internal.h"

#define MAX_FDS 64 /* room for local server mode's attached programs */

int64_t msgr_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static msgr_messenger *live(msgr_messenger *m)
{
    msgr_obj *o = obj_check(m);
    return o && o->kind == OBJ_MESSENGER ? m : NULL;
}

msgr_hr msgr_messenger_fds(msgr_messenger *m, msgr_pollfd *fds, size_t cap,
                           size_t *count)
{
    if (!live(m) || !count || (!fds && cap > 0))
        return MSGR_E_POINTER;
    size_t n = 0;
    if (m->ns.fd >= 0) {
        if (n < cap) {
            fds[n].fd = m->ns.fd;
            fds[n].events = (short)(MSGR_POLL_IN |
                                    (ns_wants_write(&m->ns) ? MSGR_POLL_OUT : 0));
        }
        n++;
    }
    n += passport_fds(m->pp, n < cap ? fds + n : NULL, n < cap ? cap - n : 0);
    n += conv_fds(m, n < cap ? fds + n : NULL, n < cap ? cap - n : 0);
    n += invite_fds(m, n < cap ? fds + n : NULL, n < cap ? cap - n : 0);
    n += local_fds(m, n < cap ? fds + n : NULL, n < cap ? cap - n : 0);
    *count = n;
    return n > cap ? MSGR_S_FALSE : MSGR_S_OK;
}

static int64_t earliest(int64_t a, int64_t b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    return a < b ? a : b;
}

msgr_hr msgr_messenger_timeout_ms(msgr_messenger *m, int *timeout_ms)
{
    if (!live(m) || !timeout_ms)
        return MSGR_E_POINTER;
    if (m->nev > 0) {
        *timeout_ms = 0; /* events are waiting to be delivered */
        return MSGR_S_OK;
    }
    int64_t due = earliest(earliest(m->logon_deadline, m->ping_due),
                           earliest(m->close_deadline, invite_next_deadline(m)));
    due = earliest(due, local_next_deadline(m)); /* local server mode */
    due = earliest(due, conv_next_deadline(m));  /* windows leaving */
    long t = -1;
    if (due) {
        int64_t left = due - msgr_now_ms();
        t = left < 0 ? 0 : (left > 86400000 ? 86400000 : (long)left);
    }
    long pt = passport_timeout_ms(m->pp);
    if (pt >= 0 && (t < 0 || pt < t))
        t = pt;
    *timeout_ms = (int)t;
    return MSGR_S_OK;
}

/* Hands every complete command to the session; a stream error ends it. */
static bool drain_parser(msgr_messenger *m)
{
    msnp_cmd cmd;
    for (;;) {
        if (!m->ns.parser)
            return false; /* the session closed the connection */
        int rc = msnp_parser_next(m->ns.parser, &cmd);
        if (rc == 0)
            return true;
        if (rc < 0) {
            session_lost(m, MSGR_E_SERVER_PROTOCOL);
            return false;
        }
        session_on_command(m, &cmd);
        /* Deliver now, so that a callback sees the state right after the
         * command that caused its event (the contact's new Status, ...). */
        ev_flush(m);
    }
}

static void connection_gone(msgr_messenger *m, bool refused)
{
    if (m->phase == PHASE_DISCONNECTING)
        session_lost(m, MSGR_S_OK);
    else if (m->phase == PHASE_ONLINE || m->phase == PHASE_SYNCING)
        session_lost(m, MSGR_E_DISCONNECTED);
    else
        session_fail(m, refused ? MSGR_E_CONNECT : MSGR_E_DISCONNECTED);
}

/* Drives the notification-server socket with what poll() reported. */
static void ns_progress(msgr_messenger *m, short revents)
{
    bool connected = false;
    bool was_connecting = m->ns.connecting;
    bool rd = revents & (POLLIN | POLLHUP | POLLERR);
    bool wr = revents & (POLLOUT | POLLHUP | POLLERR);
    if (ns_io(&m->ns, rd, wr, &connected) != NS_IO_OK) {
        connection_gone(m, was_connecting);
        return;
    }
    if (connected)
        session_on_connected(m);
    if (!rd || m->ns.connecting)
        return;
    for (;;) {
        int n = ns_read_some(&m->ns);
        if (n < 0) {
            /* Deliver what arrived before the close (e.g. OUT OTH). */
            if (drain_parser(m) && m->ns.fd >= 0)
                connection_gone(m, false);
            return;
        }
        if (!drain_parser(m) || n == 0)
            return;
    }
}

static void passport_progress(msgr_messenger *m)
{
    msgr_hr hr;
    char *ticket = NULL;
    if (passport_active(m->pp) && passport_poll(m->pp, &hr, &ticket) == 1)
        session_passport_done(m, hr, ticket);
}

msgr_hr msgr_messenger_process(msgr_messenger *m)
{
    if (!live(m))
        return MSGR_E_POINTER;
    if (m->in_flush)
        return MSGR_E_FAIL; /* called from a callback: objects in use would expire */
    pool_drain(m); /* what was borrowed before this call expires now */
    obj_ref(m);    /* a callback must not free us mid-way */
    if (m->ns.fd >= 0) {
        struct pollfd p = { m->ns.fd, POLLIN, 0 };
        if (ns_wants_write(&m->ns))
            p.events |= POLLOUT;
        if (poll(&p, 1, 0) > 0)
            ns_progress(m, p.revents);
    }
    passport_progress(m);
    conv_progress(m);
    invite_progress(m, msgr_now_ms());
    session_timers(m, msgr_now_ms());
    local_progress(m, msgr_now_ms()); /* after the NS: relays what it said */
    ns_flush_out(&m->ns);
    ev_flush(m);
    obj_unref(m);
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_run(msgr_messenger *m)
{
    if (!live(m))
        return MSGR_E_POINTER;
    if (m->in_flush)
        return MSGR_E_FAIL;
    m->stop = false;
    while (!m->stop) {
        msgr_pollfd want[MAX_FDS];
        struct pollfd pfd[MAX_FDS];
        size_t n = 0;
        int timeout;
        msgr_messenger_fds(m, want, MAX_FDS, &n);
        if (n > MAX_FDS)
            n = MAX_FDS;
        for (size_t i = 0; i < n; i++) {
            pfd[i].fd = want[i].fd;
            pfd[i].events = want[i].events;
            pfd[i].revents = 0;
        }
        msgr_messenger_timeout_ms(m, &timeout);
        if (poll(pfd, (nfds_t)n, timeout) < 0 && errno != EINTR)
            return MSGR_E_FAIL;
        msgr_messenger_process(m);
    }
    m->stop = false;
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_stop(msgr_messenger *m)
{
    if (!live(m))
        return MSGR_E_POINTER;
    m->stop = true;
    return MSGR_S_OK;
}
