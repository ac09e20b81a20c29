/*
 * attach.c - the choice between acting through the user's running msgr
 * and signing in to the server.
 *
 * msgrd keeps one session per account: a command that signs in ends the
 * session of the interactive msgr (OUT OTH). The interactive msgr serves
 * its messenger on the per-user socket (ui_serve.c), so a command first
 * asks that socket, with the profile's sign-in name, as libmsgr's attached
 * sign-in. libmsgr answers MSGR_E_INVALID_PASSWORD for another account,
 * MSGR_E_CONNECT when nobody serves and MSGR_E_SERVER_UNAVAILABLE when
 * the serving messenger is signed out (docs/libmsgr.md "Local server
 * mode"): in those three cases the command signs in itself. Any other
 * failure (say a serving msgr that does not answer) stops the command
 * rather than end a session the user is looking at.
 *
 * The probe is a messenger of its own, dropped once the sign-in is
 * answered: the command's own messenger then has all its sinks advised
 * from the start (msgr listen prints the sign-in).
 */
#include <stddef.h>

#include "attach.h"
#include "names.h"
#include "session.h"

static bool signin_answered(void *arg)
{
    return ((const cli_session *)arg)->signin_seen;
}

/* The probe's answer in *hr. Non-zero (printed) when it could not run. */
static int probe(const cli_ctx *ctx, const config *cfg, const profile *p, msgr_hr *hr)
{
    cli_session s;
    int rc = sess_open_attached(&s, ctx, cfg, p);
    if (rc == CLI_OK)
        *hr = msgr_messenger_signin(s.m, 0, p->signin, "");
    if (rc == CLI_OK && MSGR_SUCCEEDED(*hr)) {
        sess_result r = sess_wait(&s, signin_answered, &s, s.timeout_ms);
        if (r == SESS_DONE)
            *hr = s.signin_hr;
        else if (r == SESS_TIMEOUT)
            *hr = MSGR_E_LOGON_TIMEOUT;
        else
            rc = sess_report(&s, r, "the running msgr");
    }
    sess_close(&s); /* never online: released without a sign-out */
    return rc;
}

/* Whether libmsgr's answer means "nobody serves this account here". */
static bool not_served(msgr_hr hr)
{
    return hr == MSGR_E_CONNECT || hr == MSGR_E_SERVER_UNAVAILABLE ||
           hr == MSGR_E_INVALID_PASSWORD;
}

static void explain(msgr_hr hr, const profile *p)
{
    if (hr == MSGR_E_CONNECT)
        cli_error("--attach: no msgr serves on the local socket (start msgr, the "
                  "interactive client, first)");
    else if (hr == MSGR_E_SERVER_UNAVAILABLE)
        cli_error("--attach: the msgr serving on the local socket is not signed in");
    else if (hr == MSGR_E_INVALID_PASSWORD)
        cli_error("--attach: the msgr serving on the local socket is signed in as "
                  "another account, not %s", p->signin);
    else
        cli_error("cannot act through the running msgr: %s (--direct signs in "
                  "separately, ending its session)", hr_text(hr));
}

int attach_choose(const cli_ctx *ctx, const config *cfg, const profile *p, bool *attach)
{
    msgr_hr hr = MSGR_E_FAIL;
    *attach = false;
    if (ctx->link == CLI_LINK_DIRECT)
        return CLI_OK;
    int rc = probe(ctx, cfg, p, &hr);
    if (rc != CLI_OK)
        return rc;
    if (MSGR_SUCCEEDED(hr)) {
        *attach = true;
        return CLI_OK;
    }
    if (ctx->link == CLI_LINK_AUTO && not_served(hr))
        return CLI_OK;
    explain(hr, p);
    return CLI_FAIL;
}
