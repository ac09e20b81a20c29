/*
 * passport.h - getting a Passport 1.4 ticket over HTTP(S) the way an
 * MSNP8 client does (msnp.md 2.6): GET login2.srf with
 * "Authorization: Passport1.4 ...,sign-in=,pwd=,<challenge>", following
 * a few redirects, and reading from-PP out of Authentication-Info. The
 * nexus (PassportURLs) can be asked first to find the login endpoint.
 */
#ifndef BENCH_PASSPORT_H
#define BENCH_PASSPORT_H

#include <stdbool.h>

#include "ctx.h"

typedef struct passport_job passport_job;

/* Called once: ticket is the from-PP text (valid during the call), or
 * NULL when the login failed (http_status is then the HTTP status, or -1
 * for a transport failure). */
typedef void (*passport_cb)(void *ud, const char *ticket, int http_status);

/* Starts a login for handle/password with the NS challenge string.
 * Returns NULL if it could not start (cb is then not called). */
passport_job *passport_fetch(bench_ctx *ctx, const char *handle, const char *password,
                             const char *challenge, passport_cb cb, void *ud);
/* Abandons a job; its callback is not called. */
void passport_cancel(passport_job *j);

/* Asks the nexus (ctx->o->nexus) for DALogin and stores it in
 * ctx->login_addr / ctx->login_path. Runs the loop until done (bounded
 * by the step timeout). Returns 0 or -1 with a message on stderr. */
int passport_nexus(bench_ctx *ctx);

#endif
