/*
 * cmd_sendfile.c - msgr sendfile USER FILE.
 *
 * Success means the whole file reached USER: the transfer object of
 * msgr/msgr_transfer.h reports MSGR_FT_COMPLETED only after the receiver
 * acknowledged the last byte (MSNFTP BYE). Waiting for USER to answer the
 * offer has no bound of our own: a person may take a while, and libmsgr
 * withdraws an unanswered offer after 5 minutes and gives up on a stalled
 * transfer after 2 (MSGR_E_AI_TIMEOUT / MSGR_E_FT_TIMEOUT). USER has to
 * join the conversation within --timeout, as for msgr send.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "names.h"
#include "session.h"

#define BAR_WIDTH 30

typedef struct sendfile_state {
    const char *user;
    msgr_file_transfer *t; /* referenced */
    MSGR_FT_STATE state;
    msgr_hr result;
    sess_peer peer;        /* USER joining the conversation, or going offline */
    bool tty;              /* draw a progress bar on stderr */
    int64_t started_ms;
} sendfile_state;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool final_state(MSGR_FT_STATE st)
{
    return st == MSGR_FT_COMPLETED || st == MSGR_FT_DECLINED || st == MSGR_FT_CANCELLED ||
           st == MSGR_FT_FAILED;
}

/* "[#######.......]  45%  1234567/2742000 bytes  350 KB/s  ETA 4 s" */
static void draw_bar(sendfile_state *st)
{
    uint64_t size = 0, done = 0;
    if (!st->tty || !st->t)
        return;
    (void)msgr_file_transfer_get_size(st->t, &size);
    (void)msgr_file_transfer_get_bytes_done(st->t, &done);
    int fill = size ? (int)(done * BAR_WIDTH / size) : BAR_WIDTH;
    char bar[BAR_WIDTH + 1];
    for (int i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[BAR_WIDTH] = '\0';
    double secs = st->started_ms ? (double)(now_ms() - st->started_ms) / 1000.0 : 0;
    double rate = secs > 0.2 ? (double)done / secs : 0;
    fprintf(stderr, "\r[%s] %3d%%  %llu/%llu bytes  %.0f KB/s", bar,
            size ? (int)(done * 100 / size) : 100, (unsigned long long)done,
            (unsigned long long)size, rate / 1024);
    if (rate > 0 && done < size)
        fprintf(stderr, "  ETA %.0f s ", (double)(size - done) / rate + 0.5);
    else
        fputs("          ", stderr);
    fflush(stderr);
}

static void ev_state(void *ud, msgr_messenger *m, msgr_file_transfer *t, MSGR_FT_STATE state,
                     msgr_hr hr)
{
    sendfile_state *st = ud;
    (void)m;
    if (t != st->t)
        return;
    st->state = state;
    st->result = hr;
    if (state == MSGR_FT_TRANSFERRING && !st->started_ms)
        st->started_ms = now_ms();
    draw_bar(st);
}

static void ev_progress(void *ud, msgr_messenger *m, msgr_file_transfer *t)
{
    sendfile_state *st = ud;
    (void)m;
    if (t == st->t)
        draw_bar(st);
}

static bool transfer_ended(void *arg)
{
    return final_state(((sendfile_state *)arg)->state);
}

static bool transfer_over(void *arg)
{
    sendfile_state *st = arg;
    return st->peer.went_offline || final_state(st->state);
}

static int outcome(const sendfile_state *st, const char *path)
{
    if (st->state == MSGR_FT_COMPLETED)
        return CLI_OK;
    if (st->peer.went_offline && !final_state(st->state))
        cli_error("%s went offline before the file was sent", st->user);
    else if (st->state == MSGR_FT_DECLINED)
        cli_error("%s declined %s", st->user, path);
    else if (st->state == MSGR_FT_CANCELLED)
        cli_error("%s cancelled the transfer of %s", st->user, path);
    else
        cli_error("the transfer of %s failed: %s", path, hr_text(st->result));
    return CLI_FAIL;
}

/* Waits for USER to join, then for the transfer to end. */
static int follow(cli_session *s, sendfile_state *st, const char *path)
{
    sess_result r = sess_wait_joined(s, &st->peer, transfer_ended, st, s->timeout_ms);
    if (r == SESS_TIMEOUT) {
        cli_error("%s did not join the conversation within %d s", st->user,
                  s->timeout_ms / 1000);
        return CLI_FAIL;
    }
    if (r == SESS_DONE)
        r = sess_wait(s, transfer_over, st, -1);
    if (st->tty)
        fputc('\n', stderr);
    if (r == SESS_SIGNAL) {
        (void)msgr_file_transfer_cancel(st->t);
        (void)sess_settle(s, 300); /* let the cancel reach the receiver */
        cli_error("interrupted: the transfer of %s was cancelled", path);
        return CLI_FAIL;
    }
    if (r != SESS_DONE)
        return sess_report(s, r, "the file transfer");
    return outcome(st, path);
}

static const char *g_path = NULL;

static int offer(cli_session *s, sendfile_state *st, msgr_contact *c)
{
    msgr_window *w = NULL;
    msgr_file_transfer *t = NULL;
    MISTATUS status = MISTATUS_UNKNOWN;
    bool self = false;
    (void)msgr_contact_get_is_self(c, &self);
    (void)msgr_contact_get_status(c, &status);
    if (self) {
        cli_error("you cannot send a file to yourself");
        return CLI_USAGE;
    }
    if (status == MISTATUS_OFFLINE) {
        cli_error("%s is offline", st->user);
        return CLI_FAIL;
    }
    msgr_hr hr = msgr_messenger_instant_message(s->m, c, &w);
    if (MSGR_SUCCEEDED(hr))
        hr = msgr_conversation_send_file(w, g_path, &t);
    if (MSGR_FAILED(hr) || !t) {
        cli_error("cannot send %s to %s: %s", g_path, st->user, hr_text(hr));
        return hr == MSGR_E_INVALIDARG ? CLI_USAGE : CLI_FAIL;
    }
    st->t = t;
    msgr_object_addref(t);
    (void)msgr_file_transfer_get_state(t, &st->state);
    int rc = follow(s, st, g_path);
    (void)sess_settle(s, 200); /* read the switchboard's last lines before leaving */
    (void)msgr_window_close(w);
    return rc;
}

static int sendfile_job(cli_session *s, cli_ctx *ctx)
{
    static const msgr_messenger_events ev = {
        .on_file_transfer_state_change = ev_state,
        .on_file_transfer_progress = ev_progress,
    };
    sendfile_state st = { .user = ctx->pos[0], .tty = isatty(2) != 0 };
    uint32_t cookie = 0;
    msgr_hr hr;
    msgr_contact *c = sess_contact(s, st.user, true, &hr);
    if (!c) {
        cli_error("%s: %s", st.user, hr_text(hr));
        return CLI_FAIL;
    }
    int rc = CLI_FAIL;
    if (sess_peer_watch(s, &st.peer, st.user) != CLI_OK) {
        /* reported */
    } else if (MSGR_SUCCEEDED(msgr_messenger_advise(s->m, &ev, &st, &cookie))) {
        rc = offer(s, &st, c);
        (void)msgr_messenger_unadvise(s->m, cookie);
    } else {
        cli_error("out of memory");
    }
    sess_peer_unwatch(s, &st.peer);
    if (st.t)
        msgr_object_release(st.t);
    msgr_object_release(c);
    return rc;
}

int cmd_sendfile(cli_ctx *ctx)
{
    struct stat sb;
    const char *path = ctx->pos[1];
    if (!cli_valid_signin(ctx->pos[0])) {
        cli_error("'%s' is not a sign-in name (name@domain)", ctx->pos[0]);
        return CLI_USAGE;
    }
    /* check the file before signing in: a bad argument costs no session */
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || access(path, R_OK) != 0) {
        cli_error("%s is not a readable file", path);
        return CLI_USAGE;
    }
    g_path = path;
    return sess_run(ctx, sendfile_job);
}
