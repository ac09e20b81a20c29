/*
 * cmd_status.c - msgr status [--hold] [STATUS].
 *
 * The server keeps a status only while a session of the account is
 * connected; a command that signs out takes it away again. So msgr status
 * STATUS does what a user can rely on: it saves STATUS in the profile as
 * the status every later msgr session of that profile signs in with
 * (msgr listen, send, the interactive UI), and signs in once with it to
 * check the server accepts it. --hold keeps that session connected, and
 * the status visible to contacts, until SIGINT/SIGTERM; it prints the
 * status once it is visible. Without STATUS it signs in and prints the
 * status the session got. Through the running interactive client
 * (attach.c) STATUS becomes the client's status, which it keeps: the
 * check below then reads the status the client's session got.
 */
#include <stdio.h>

#include "names.h"
#include "session.h"

/* Saves the status the session just got in the profile. */
static int save_status(const cli_ctx *ctx, MISTATUS st)
{
    config cfg;
    int rc = config_load(ctx->config, &cfg) == 0 ? CLI_OK : CLI_USAGE;
    profile *p = rc == CLI_OK ? config_find(&cfg, config_pick(&cfg, ctx->profile)) : NULL;
    if (rc == CLI_OK && !p) {
        cli_error("the profile disappeared from %s", cfg.path);
        rc = CLI_FAIL;
    }
    if (rc == CLI_OK && (profile_set(&p->status, status_name(st)) != 0 ||
                         config_save(&cfg) != 0))
        rc = CLI_FAIL;
    config_free(&cfg);
    return rc;
}

static int hold(cli_session *s)
{
    sess_result r = sess_wait(s, NULL, NULL, -1);
    return r == SESS_SIGNAL ? CLI_OK : sess_report(s, r, "a signal");
}

static int status_job(cli_session *s, cli_ctx *ctx)
{
    MISTATUS st = MISTATUS_OFFLINE;
    if (MSGR_FAILED(msgr_messenger_get_my_status(s->m, &st))) {
        cli_error("cannot read the status");
        return CLI_FAIL;
    }
    if (ctx->initial_status && st != (MISTATUS)ctx->initial_status) {
        cli_error("the server did not accept status %s",
                  status_name((MISTATUS)ctx->initial_status));
        return CLI_FAIL;
    }
    int rc = CLI_OK;
    if (ctx->initial_status)
        rc = save_status(ctx, st);
    /* with --hold the line also tells a script the status is now visible */
    if (rc == CLI_OK && (!ctx->initial_status || ctx->hold))
        printf("%s\n", status_name(st));
    if (rc == CLI_OK && fflush(stdout) != 0)
        rc = CLI_FAIL;
    return rc == CLI_OK && ctx->hold ? hold(s) : rc;
}

int cmd_status(cli_ctx *ctx)
{
    if (ctx->npos == 1) {
        MISTATUS st;
        if (!status_parse(ctx->pos[0], &st)) {
            if (ctx->pos[0][0] == 'o' && ctx->pos[0][1] == 'f')
                cli_error("'%s' cannot be set: use invisible to appear offline",
                          ctx->pos[0]);
            else
                cli_error("unknown status '%s' (online, busy, away, brb, phone, lunch, "
                          "idle, invisible)", ctx->pos[0]);
            return CLI_USAGE;
        }
        ctx->initial_status = (int)st;
    }
    return sess_run(ctx, status_job);
}
