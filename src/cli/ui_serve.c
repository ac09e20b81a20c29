/*
 * ui_serve.c - the interactive client serves its session to the user's
 * other programs (libmsgr's local server mode, docs/libmsgr.md).
 *
 * msgrd allows one session per account: without this, `msgr send` run
 * next to the interactive client would sign in and end the client's
 * session. While the client runs, its messenger listens on the per-user
 * socket (libmsgr's default path), and the scripting commands of the same
 * account act through it (attach.c). The profile's "serve = no" turns
 * that off. When another messenger already serves there (a second msgr),
 * this one runs without serving. Either way a note says so (at the start
 * and with the sign-in) and the title bar says "not serving" for good:
 * notes are soon replaced.
 */
#include <stdio.h>

#include "names.h"
#include "ui.h"

void serve_start(ui *u)
{
    u->serve_note[0] = '\0';
    if (!u->m)
        return;
    msgr_hr hr = MSGR_S_OK;
    if (!profile_serves(config_find(&u->cfg, u->profile_name)))
        snprintf(u->serve_note, sizeof u->serve_note,
                 "Not serving your programs (the profile says serve = no)");
    else if (MSGR_SUCCEEDED(hr = msgr_messenger_serve_local(u->m, NULL)))
        return;
    else if (hr == MSGR_E_ALREADY_LOGGED_ON)
        snprintf(u->serve_note, sizeof u->serve_note,
                 "Another msgr serves your programs: msgr commands sign in separately");
    else
        snprintf(u->serve_note, sizeof u->serve_note, "Not serving your programs: %s",
                 hr_text(hr));
    ui_note(u, "%s", u->serve_note);
}

void serve_stop(ui *u)
{
    /* attached programs are signed out; the socket file goes */
    if (u->m)
        (void)msgr_messenger_stop_local(u->m);
}
