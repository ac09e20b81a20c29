/*
 * session.c - sign-in, bounded waits and sign-out around one messenger,
 * through the public libmsgr API only.
 *
 * The loop is the one docs/libmsgr.md describes (fds + timeout_ms +
 * process), with the self-pipe of signals.c added so SIGINT/SIGTERM wake
 * poll() at once and every command can sign out cleanly when interrupted.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "names.h"
#include "session.h"
#include "signals.h"

#define MAX_FDS 32
#define SIGNOUT_WAIT_MS 5000

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the session's own event sink ------------------------------------------- */

static bool real_status(MISTATUS st)
{
    return st != MISTATUS_OFFLINE && st != MISTATUS_UNKNOWN &&
           st < MISTATUS_LOCAL_FINDING_SERVER;
}

static void ev_signin(void *ud, msgr_messenger *m, msgr_hr hr)
{
    cli_session *s = ud;
    (void)m;
    s->signin_seen = true;
    s->signin_hr = hr;
}

static void ev_my_status(void *ud, msgr_messenger *m, msgr_hr hr, MISTATUS st)
{
    cli_session *s = ud;
    (void)m;
    if (real_status(st)) {
        if (s->online)
            s->status_events++;
        s->online = true;
        s->last_status_hr = hr;
    } else if (st == MISTATUS_OFFLINE && !s->ended) {
        s->ended = true;
        s->end_hr = hr;
    }
}

static void ev_signout(void *ud, msgr_messenger *m)
{
    cli_session *s = ud;
    (void)m;
    s->signout_seen = true;
}

static const msgr_messenger_events SESSION_EVENTS = {
    .on_signin = ev_signin,
    .on_my_status_change = ev_my_status,
    .on_signout = ev_signout,
};

/* ---- profile and creation ----------------------------------------------------- */

int sess_load_profile(const cli_ctx *ctx, config *cfg, profile **out)
{
    if (config_load(ctx->config, cfg) != 0)
        return CLI_USAGE;
    const char *name = config_pick(cfg, ctx->profile);
    profile *p = config_find(cfg, name);
    if (!p || !p->signin) {
        cli_error("no profile '%s' in %s: run msgr login first", name, cfg->path);
        return CLI_USAGE;
    }
    *out = p;
    return CLI_OK;
}

int sess_check_credentials(const config *cfg, const profile *p)
{
    char *dir = profile_dir(cfg, p->name);
    char *cred = dir ? malloc(strlen(dir) + sizeof "/credentials") : NULL;
    int ok = cred != NULL;
    if (ok) {
        sprintf(cred, "%s/credentials", dir);
        ok = access(cred, F_OK) == 0;
    }
    free(dir);
    free(cred);
    if (!ok) {
        cli_error("profile '%s' has no saved credentials: run msgr login %s", p->name,
                  p->signin);
        return CLI_USAGE;
    }
    return CLI_OK;
}

/* Creates s->m from o (its config_dir and cache_dir filled here) and
 * advises the session's sink. */
static int create(cli_session *s, const cli_ctx *ctx, const config *cfg, const profile *p,
                  msgr_options *o)
{
    memset(s, 0, sizeof *s);
    s->timeout_ms = ctx->timeout_s * 1000;
    s->attached = o->attach;
    char *dir = profile_dir(cfg, p->name);
    char *cache = profile_cache_dir(p->name);
    o->config_dir = dir;
    o->cache_dir = cache;
    o->logon_timeout_ms = (unsigned)s->timeout_ms;
    msgr_hr hr = dir && cache && signals_install(false) == 0 ? msgr_messenger_create(o, &s->m)
                                                        : MSGR_E_OUTOFMEMORY;
    free(dir);
    free(cache);
    if (hr == MSGR_E_INVALIDARG) {
        cli_error("bad server address '%s' (expected HOST:PORT)", o->server ? o->server : "");
        return CLI_USAGE;
    }
    if (MSGR_SUCCEEDED(hr))
        hr = msgr_messenger_advise(s->m, &SESSION_EVENTS, s, &s->cookie);
    if (MSGR_FAILED(hr)) {
        cli_error("cannot create the messenger: %s", hr_text(hr));
        return CLI_FAIL;
    }
    return CLI_OK;
}

int sess_open(cli_session *s, const cli_ctx *ctx, const config *cfg,
              const profile *p, MISTATUS initial)
{
    char *nexus = ctx->nexus ? profile_nexus_url(ctx->nexus) : NULL;
    msgr_options o = {
        .server = ctx->server ? ctx->server : p->server,
        .nexus_url = nexus ? nexus : p->nexus,
        .ca_file = ctx->ca_file ? ctx->ca_file : p->ca_file,
        .initial_status = initial,
    };
    int rc = create(s, ctx, cfg, p, &o);
    free(nexus);
    return rc;
}

int sess_open_attached(cli_session *s, const cli_ctx *ctx, const config *cfg,
                       const profile *p)
{
    msgr_options o = { .attach = true };
    return create(s, ctx, cfg, p, &o);
}

/* ---- the loop ------------------------------------------------------------------- */

/* One poll() over the messenger's descriptors and the signal pipe. */
static int poll_once(cli_session *s, int wait_ms)
{
    msgr_pollfd mf[MAX_FDS];
    struct pollfd pf[MAX_FDS + 1];
    size_t n = 0;
    int lib_timeout = -1;
    (void)msgr_messenger_fds(s->m, mf, MAX_FDS, &n); /* more than 32: polled next turn */
    (void)msgr_messenger_timeout_ms(s->m, &lib_timeout);
    if (n > MAX_FDS)
        n = MAX_FDS;
    for (size_t i = 0; i < n; i++)
        pf[i] = (struct pollfd){ .fd = mf[i].fd, .events = mf[i].events };
    pf[n] = (struct pollfd){ .fd = signals_fd(), .events = POLLIN };
    if (lib_timeout >= 0 && (wait_ms < 0 || lib_timeout < wait_ms))
        wait_ms = lib_timeout;
    if (poll(pf, (nfds_t)(n + 1), wait_ms) < 0 && errno != EINTR)
        return -1;
    if (pf[n].revents & POLLIN)
        signals_drain();
    return 0;
}

sess_result sess_wait(cli_session *s, bool (*done)(void *arg), void *arg, int timeout_ms)
{
    int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    for (;;) {
        if (done && done(arg))
            return SESS_DONE;
        if (s->ended)
            return SESS_OFFLINE;
        if (signals_caught())
            return SESS_SIGNAL;
        int64_t left = deadline < 0 ? -1 : deadline - now_ms();
        if (deadline >= 0 && left <= 0)
            return done ? SESS_TIMEOUT : SESS_DONE;
        if (poll_once(s, (int)left) != 0 || MSGR_FAILED(msgr_messenger_process(s->m)))
            return SESS_ERROR;
    }
}

sess_result sess_settle(cli_session *s, int ms)
{
    return sess_wait(s, NULL, NULL, ms);
}

int sess_report(const cli_session *s, sess_result r, const char *what)
{
    switch (r) {
    case SESS_DONE:
        return CLI_OK;
    case SESS_TIMEOUT:
        cli_error("timed out after %d s waiting for %s", s->timeout_ms / 1000, what);
        break;
    case SESS_SIGNAL:
        cli_error("interrupted while waiting for %s", what);
        break;
    case SESS_OFFLINE:
        cli_error("%s", hr_text(s->end_hr));
        break;
    case SESS_ERROR:
        cli_error("event loop failure while waiting for %s", what);
        break;
    }
    return CLI_FAIL;
}

/* ---- sign-in and sign-out -------------------------------------------------------- */

static bool is_online(void *arg)
{
    return ((cli_session *)arg)->online;
}

typedef struct barrier {
    cli_session *s;
    unsigned before;
} barrier;

static bool barrier_passed(void *arg)
{
    barrier *b = arg;
    return b->s->status_events > b->before;
}

/* Setting a status makes a CHG round trip; the server answers it after
 * the ILN burst of the first CHG, so once its echo is here every
 * contact's initial presence is known. status 0: the current one again.
 * Attached, the running msgr relays that CHG to the server, so the same
 * barrier holds. */
static int presence_barrier(cli_session *s, MISTATUS status)
{
    MISTATUS st = status ? status : MISTATUS_ONLINE;
    barrier b = { s, s->status_events };
    if ((!status && MSGR_FAILED(msgr_messenger_get_my_status(s->m, &st))) ||
        MSGR_FAILED(msgr_messenger_set_my_status(s->m, st)))
        return CLI_OK; /* the status still settles; only the ordering is lost */
    return sess_report(s, sess_wait(s, barrier_passed, &b, s->timeout_ms),
                       "the contact list");
}

/* After the call that started a sign-in: waits until online, then for
 * the presence burst (setting status on the way). */
static int signed_in(cli_session *s, msgr_hr hr, bool saved, MISTATUS status)
{
    if (MSGR_FAILED(hr)) {
        if (saved && hr == MSGR_E_FAIL)
            cli_error("the saved credentials are unreadable or not mode 0600: "
                      "run msgr login again");
        else
            cli_error("cannot sign in: %s", hr_text(hr));
        return hr == MSGR_E_INVALIDARG ? CLI_USAGE : CLI_FAIL;
    }
    /* the library enforces the logon timeout; ours only backs it up */
    sess_result r = sess_wait(s, is_online, s, s->timeout_ms + 5000);
    if (r == SESS_OFFLINE && s->signin_seen && MSGR_FAILED(s->signin_hr)) {
        cli_error("%s", hr_text(s->signin_hr));
        return CLI_FAIL;
    }
    if (r != SESS_DONE)
        return sess_report(s, r, "the sign-in");
    return presence_barrier(s, status);
}

int sess_signin(cli_session *s, const char *name, const char *password)
{
    msgr_hr hr = name ? msgr_messenger_signin(s->m, 0, name, password)
                      : msgr_messenger_auto_signin(s->m);
    return signed_in(s, hr, !name, 0);
}

int sess_signin_attached(cli_session *s, const char *name, MISTATUS status)
{
    /* the name makes the running msgr refuse another account's session */
    return signed_in(s, msgr_messenger_signin(s->m, 0, name, ""), false, status);
}

static bool signed_out(void *arg)
{
    return ((cli_session *)arg)->signout_seen;
}

void sess_close(cli_session *s)
{
    if (!s->m)
        return;
    if (s->online && !s->ended && MSGR_SUCCEEDED(msgr_messenger_signout(s->m))) {
        signals_clear(); /* a second signal still ends the wait early */
        (void)sess_wait(s, signed_out, s, SIGNOUT_WAIT_MS);
    }
    (void)msgr_messenger_unadvise(s->m, s->cookie);
    msgr_object_release(s->m);
    s->m = NULL;
}

msgr_contact *sess_contact(cli_session *s, const char *user, bool unlisted, msgr_hr *hr)
{
    msgr_contact *c = NULL;
    *hr = msgr_messenger_get_contact(s->m, user, "", &c);
    if (*hr == MSGR_E_USER_NOT_FOUND && unlisted)
        *hr = msgr_messenger_get_contact(s->m, user, MSGR_SERVICE_ID_MSNP, &c);
    if (MSGR_FAILED(*hr))
        return NULL;
    msgr_object_addref(c); /* borrowed objects die at the next process() */
    return c;
}

MISTATUS sess_profile_status(const profile *p)
{
    MISTATUS st = MISTATUS_ONLINE;
    if (p->status && !status_parse(p->status, &st))
        st = MISTATUS_ONLINE;
    return st;
}

int sess_run(cli_ctx *ctx, sess_job job)
{
    return sess_run_advised(ctx, job, NULL, NULL);
}

/* Opens and signs in s the way attach_choose() picked. */
static int open_and_signin(cli_session *s, cli_ctx *ctx, const config *cfg,
                           const profile *p, const msgr_messenger_events *ev, void *user_data)
{
    bool attach = false;
    uint32_t cookie = 0;
    int rc = attach_choose(ctx, cfg, p, &attach);
    if (rc == CLI_OK && !attach)
        rc = sess_check_credentials(cfg, p);
    if (rc == CLI_OK && attach)
        rc = sess_open_attached(s, ctx, cfg, p);
    else if (rc == CLI_OK)
        rc = sess_open(s, ctx, cfg, p,
                       ctx->initial_status ? (MISTATUS)ctx->initial_status
                                           : sess_profile_status(p));
    if (rc == CLI_OK && ev && MSGR_FAILED(msgr_messenger_advise(s->m, ev, user_data, &cookie))) {
        cli_error("out of memory");
        rc = CLI_FAIL;
    }
    s->prof = p;
    if (rc == CLI_OK && attach) /* the running msgr's status stays, unless asked */
        rc = sess_signin_attached(s, p->signin, (MISTATUS)ctx->initial_status);
    else if (rc == CLI_OK)
        rc = sess_signin(s, NULL, NULL);
    return rc;
}

int sess_run_advised(cli_ctx *ctx, sess_job job, const msgr_messenger_events *ev,
                     void *user_data)
{
    config cfg;
    profile *p = NULL;
    cli_session s = { 0 };
    int rc = sess_load_profile(ctx, &cfg, &p);
    if (rc == CLI_OK)
        rc = open_and_signin(&s, ctx, &cfg, p, ev, user_data);
    if (rc == CLI_OK)
        rc = job(&s, ctx);
    sess_close(&s);
    config_free(&cfg);
    return rc;
}

bool sess_contact_is(msgr_contact *c, const char *user)
{
    const char *name = NULL;
    return c && MSGR_SUCCEEDED(msgr_contact_get_signin_name(c, &name)) && name &&
           strcasecmp(name, user) == 0;
}

/* ---- a contact joining a conversation ------------------------------------------------ */

static void ev_peer_joined(void *ud, msgr_messenger *m, msgr_contact *c, msgr_window *w)
{
    sess_peer *p = ud;
    (void)m;
    if ((!p->w || w == p->w) && sess_contact_is(c, p->user))
        p->joined = true;
}

static void ev_peer_presence(void *ud, msgr_messenger *m, msgr_contact *c, MISTATUS prev)
{
    sess_peer *p = ud;
    MISTATUS now = MISTATUS_UNKNOWN;
    (void)m;
    (void)prev;
    if (sess_contact_is(c, p->user) && MSGR_SUCCEEDED(msgr_contact_get_status(c, &now)) &&
        now == MISTATUS_OFFLINE)
        p->went_offline = true;
}

int sess_peer_watch(cli_session *s, sess_peer *p, const char *user)
{
    static const msgr_messenger_events ev = {
        .on_im_window_contact_added = ev_peer_joined,
        .on_contact_status_change = ev_peer_presence,
    };
    memset(p, 0, sizeof *p);
    p->user = user;
    if (MSGR_FAILED(msgr_messenger_advise(s->m, &ev, p, &p->cookie))) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    p->advised = true;
    return CLI_OK;
}

void sess_peer_unwatch(cli_session *s, sess_peer *p)
{
    if (p->advised)
        (void)msgr_messenger_unadvise(s->m, p->cookie);
    p->advised = false;
}

typedef struct join_wait {
    sess_peer *p;
    bool (*also)(void *arg);
    void *arg;
} join_wait;

static bool joined_or_gone(void *arg)
{
    join_wait *j = arg;
    return j->p->joined || j->p->went_offline || (j->also && j->also(j->arg));
}

sess_result sess_wait_joined(cli_session *s, sess_peer *p, bool (*also)(void *arg), void *arg,
                             int timeout_ms)
{
    join_wait j = { p, also, arg };
    return sess_wait(s, joined_or_gone, &j, timeout_ms);
}
