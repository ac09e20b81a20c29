/*
 * cmd_send.c - msgr send USER TEXT.
 *
 * What success means: libmsgr sends text with acknowledgement type N and
 * reports no ACK/NAK (docs/libmsgr.md, "Not implemented yet"), so there is
 * no delivery receipt to wait for. msgr send succeeds once USER has joined
 * the conversation (on_im_window_contact_added): libmsgr writes a queued
 * message to the switchboard at that very moment, and the switchboard
 * relays it to everyone in the session. It fails when USER is offline,
 * goes offline, or does not join within --timeout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "names.h"
#include "session.h"

#define TEXT_MAX 1400   /* libmsgr's limit for one message */
#define AFTER_JOIN_MS 200

/* The message: the arguments after USER joined by spaces, or standard
 * input when there are none or the only one is "-" (at most TEXT_MAX + 1
 * bytes are read: enough to tell a text that is too long). */
static char *message_text(const cli_ctx *ctx)
{
    bool from_stdin = ctx->npos == 1 || (ctx->npos == 2 && strcmp(ctx->pos[1], "-") == 0);
    size_t cap = TEXT_MAX + 2, len = 0;
    for (int i = 1; !from_stdin && i < ctx->npos; i++)
        cap += strlen(ctx->pos[i]) + 1;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    if (from_stdin) {
        ssize_t r;
        while (len < cap - 1 && ((r = read(0, buf + len, cap - 1 - len)) > 0 ||
                                 (r < 0 && errno == EINTR)))
            len += r > 0 ? (size_t)r : 0;
        if (len > 0 && buf[len - 1] == '\n') /* echo's line end is not part of it */
            len--;
        buf[len] = '\0';
        return buf;
    }
    buf[0] = '\0';
    for (int i = 1; i < ctx->npos; i++) {
        size_t n = strlen(ctx->pos[i]);
        if (i > 1)
            buf[len++] = ' ';
        memcpy(buf + len, ctx->pos[i], n + 1);
        len += n;
    }
    return buf;
}

/* The message, read once before signing in (standard input cannot be
 * read twice). */
static char *g_text = NULL;

/* Refuses what cannot be delivered before opening a conversation. */
static int check_recipient(msgr_contact *c, const char *user)
{
    bool self = false;
    MISTATUS st = MISTATUS_UNKNOWN;
    (void)msgr_contact_get_is_self(c, &self);
    (void)msgr_contact_get_status(c, &st);
    if (self) {
        cli_error("you cannot send a message to yourself");
        return CLI_USAGE;
    }
    if (st == MISTATUS_OFFLINE) { /* listed contacts' presence is known here */
        cli_error("%s is offline", user);
        return CLI_FAIL;
    }
    return CLI_OK;
}

static int converse(cli_session *s, sess_peer *st, msgr_contact *c, const char *text)
{
    msgr_hr hr = msgr_messenger_instant_message(s->m, c, &st->w);
    if (MSGR_SUCCEEDED(hr))
        hr = msgr_conversation_send_text(st->w, text);
    if (MSGR_FAILED(hr)) {
        cli_error("cannot send to %s: %s", st->user, hr_text(hr));
        return hr == MSGR_E_INVALIDARG ? CLI_USAGE : CLI_FAIL;
    }
    sess_result r = sess_wait_joined(s, st, NULL, NULL, s->timeout_ms);
    if (r == SESS_TIMEOUT) {
        cli_error("%s did not join the conversation within %d s (offline, blocking "
                  "you, or not a user)", st->user, s->timeout_ms / 1000);
        return CLI_FAIL;
    }
    if (r != SESS_DONE)
        return sess_report(s, r, "the contact to join");
    if (!st->joined) {
        cli_error("%s went offline before the message was delivered", st->user);
        return CLI_FAIL;
    }
    /* read what the switchboard still sends before leaving it */
    (void)sess_settle(s, AFTER_JOIN_MS);
    (void)msgr_window_close(st->w);
    return CLI_OK;
}

static int send_job(cli_session *s, cli_ctx *ctx)
{
    sess_peer st;
    msgr_hr hr;
    const char *user = ctx->pos[0];
    msgr_contact *c = sess_contact(s, user, true, &hr);
    int rc = CLI_FAIL;
    if (!c)
        cli_error("%s: %s", user, hr_text(hr));
    else if ((rc = check_recipient(c, user)) == CLI_OK &&
             (rc = sess_peer_watch(s, &st, user)) == CLI_OK) {
        rc = converse(s, &st, c, g_text); /* only joins to its own window count */
        sess_peer_unwatch(s, &st);
    }
    if (c)
        msgr_object_release(c);
    return rc;
}

int cmd_send(cli_ctx *ctx)
{
    if (!cli_valid_signin(ctx->pos[0])) {
        cli_error("'%s' is not a sign-in name (name@domain)", ctx->pos[0]);
        return CLI_USAGE;
    }
    /* check the text before signing in: a bad argument costs no session */
    g_text = message_text(ctx);
    size_t len = g_text ? strlen(g_text) : 0;
    int rc = CLI_USAGE;
    if (!g_text) {
        cli_error("out of memory");
        rc = CLI_FAIL;
    } else if (len == 0)
        cli_error("empty message");
    else if (len > TEXT_MAX)
        cli_error("message too long (at most %d bytes)", TEXT_MAX);
    else
        rc = sess_run(ctx, send_job);
    free(g_text);
    g_text = NULL;
    return rc;
}
