/* passport.c - Passport 1.4 ticket requests (passport.h). */
#include "passport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_buf.h"
#include "msnp_passport.h"
#include "msnp_status.h"
#include "net.h"

/* Redirects followed at most (msnp.md 2.6.3: "a handful"). */
#define PASSPORT_MAX_REDIRECTS 3

struct passport_job {
    bench_ctx *ctx;
    https_req *req;
    char *auth;                 /* Authorization value */
    struct sockaddr_in addr;    /* current target */
    char path[256];
    int redirects;
    passport_cb cb;
    void *ud;
};

static void job_done(void *ud, int status, const char *head, size_t len);

/* Splits "[https://]host:port/path" into a loopback address and a path.
 * Returns 0 or -1. */
static int parse_location(const char *v, size_t len, struct sockaddr_in *addr, char *path,
                          size_t plen)
{
    char buf[512];
    if (len >= sizeof buf)
        return -1;
    memcpy(buf, v, len);
    buf[len] = '\0';
    char *p = buf;
    if (!strncmp(p, "https://", 8))
        p += 8;
    else if (!strncmp(p, "http://", 7))
        p += 7;
    char *slash = strchr(p, '/');
    snprintf(path, plen, "%s", slash ? slash : "/");
    if (slash)
        *slash = '\0';
    return net_parse_loopback(p, addr);
}

/* Sends the GET for the job's current target. Returns 0 or -1. */
static int job_send(passport_job *j)
{
    char req[4096];
    char host[64];
    net_format(&j->addr, host, sizeof host);
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\n"
                     "Authorization: %s\r\n"
                     "User-Agent: MSMSGS\r\n"
                     "Host: %s\r\n"
                     "Connection: Keep-Alive\r\n"
                     "Cache-Control: no-cache\r\n\r\n",
                     j->path, j->auth, host);
    if (n < 0 || (size_t)n >= sizeof req)
        return -1;
    bench_ctx *ctx = j->ctx;
    j->req = https_get(ctx->loop, ctx->tls, &j->addr, ctx_source(ctx), ctx->o->sources, req,
                       job_done, j);
    return j->req ? 0 : -1;
}

static void job_free(passport_job *j)
{
    free(j->auth);
    free(j);
}

/* Reports and frees the job. */
static void job_finish(passport_job *j, const char *ticket, int status)
{
    passport_cb cb = j->cb;
    void *ud = j->ud;
    job_free(j);
    cb(ud, ticket, status);
}

/* Pulls the ticket out of a 200 reply; NULL-terminated copy or NULL. */
static char *ticket_of(const char *head, size_t len)
{
    size_t vlen = 0;
    const char *v = https_header(head, len, "Authentication-Info", &vlen);
    msnp_passport_info info;
    if (!v || msnp_passport_info_parse(v, vlen, &info) != MSNP_OK)
        return NULL;
    char *t = NULL;
    if (info.da_status && !strcmp(info.da_status, "success") && info.from_pp)
        t = strdup(info.from_pp);
    msnp_passport_info_free(&info);
    return t;
}

static void job_done(void *ud, int status, const char *head, size_t len)
{
    passport_job *j = ud;
    j->req = NULL;
    if (status == 302 && j->redirects < PASSPORT_MAX_REDIRECTS) {
        size_t vlen = 0;
        const char *loc = https_header(head, len, "Location", &vlen);
        j->redirects++;
        if (loc && parse_location(loc, vlen, &j->addr, j->path, sizeof j->path) == 0 &&
            job_send(j) == 0)
            return;
        job_finish(j, NULL, status);
        return;
    }
    char *ticket = status == 200 ? ticket_of(head, len) : NULL;
    job_finish(j, ticket, ticket ? 200 : status);
    free(ticket);
}

passport_job *passport_fetch(bench_ctx *ctx, const char *handle, const char *password,
                             const char *challenge, passport_cb cb, void *ud)
{
    passport_job *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    msnp_buf auth = MSNP_BUF_INIT;
    if (msnp_passport_auth_build(&auth, handle, password, challenge) != MSNP_OK) {
        msnp_buf_free(&auth);
        free(j);
        return NULL;
    }
    j->auth = auth.data;
    j->ctx = ctx;
    j->addr = ctx->login_addr;
    snprintf(j->path, sizeof j->path, "%s", ctx->login_path);
    j->cb = cb;
    j->ud = ud;
    if (job_send(j) != 0) {
        job_free(j);
        return NULL;
    }
    return j;
}

void passport_cancel(passport_job *j)
{
    if (!j)
        return;
    if (j->req)
        https_cancel(j->req);
    job_free(j);
}

/* ---- nexus ---------------------------------------------------------------- */

typedef struct nexus_wait {
    bench_ctx *ctx;
    bool done;
    int rc;
} nexus_wait;

static void nexus_done(void *ud, int status, const char *head, size_t len)
{
    nexus_wait *w = ud;
    w->done = true;
    w->rc = -1;
    size_t vlen = 0;
    const char *v = status == 200 ? https_header(head, len, "PassportURLs", &vlen) : NULL;
    msnp_passport_nexus nx;
    if (!v || msnp_passport_urls_parse(v, vlen, &nx) != MSNP_OK) {
        fprintf(stderr, "msgr-bench: nexus: no usable PassportURLs (HTTP %d)\n", status);
        return;
    }
    if (parse_location(nx.login, strlen(nx.login), &w->ctx->login_addr, w->ctx->login_path,
                       sizeof w->ctx->login_path) == 0)
        w->rc = 0;
    else
        fprintf(stderr, "msgr-bench: nexus: DALogin %s is not a loopback HOST:PORT/path\n",
                nx.login);
    msnp_passport_nexus_free(&nx);
}

int passport_nexus(bench_ctx *ctx)
{
    nexus_wait w = { ctx, false, -1 };
    char host[64], req[512];
    net_format(&ctx->o->nexus, host, sizeof host);
    snprintf(req, sizeof req, "GET /rdr/pprdr.asp HTTP/1.1\r\nHost: %s\r\n\r\n", host);
    https_req *r = https_get(ctx->loop, ctx->tls, &ctx->o->nexus, ctx_source(ctx),
                             ctx->o->sources, req, nexus_done, &w);
    if (!r) {
        fprintf(stderr, "msgr-bench: nexus: cannot connect\n");
        return -1;
    }
    if (!ctx_run_until(ctx, &w.done, loop_now_ns() + ctx->step_ns, 100, NULL)) {
        https_cancel(r);
        fprintf(stderr, "msgr-bench: nexus: no answer\n");
        return -1;
    }
    return w.rc;
}
