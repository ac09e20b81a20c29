/*
 * attach.h - whether a scripting command acts through the user's running
 * msgr (libmsgr's local server mode) or signs in to the server itself.
 */
#ifndef MSGR_CLI_ATTACH_H
#define MSGR_CLI_ATTACH_H

#include <stdbool.h>

#include "cli.h"
#include "profile.h"

/* Sets *attach for a command of profile p: true when a messenger serves
 * on the local socket signed in as p's account (unless --direct). With
 * --attach anything else is an error. Prints and returns non-zero when
 * the command cannot go on. */
int attach_choose(const cli_ctx *ctx, const config *cfg, const profile *p, bool *attach);

#endif
