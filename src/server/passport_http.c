/*
 * passport_http.c - the Passport 1.4 nexus and login endpoint
 * (passport_http.h, msnp.md 2.6).
 *
 * Request lifetime. evhttp hands us a request and stops reading the
 * connection until we reply (libevent 2.1 disables EV_READ once a request
 * is complete), so a client that disconnects while its password is being
 * checked is only noticed when the reply is written; evhttp then frees the
 * connection and the request itself. If the connection fails earlier (a
 * timeout or EOF while we still hold the request), evhttp detaches the
 * request instead of freeing it, and evhttp_send_reply() on a detached
 * request just frees it. The one path that frees a request we still hold
 * is evhttp_free(), so passport_server_free() drains the hashing queue
 * (answering every job) before it frees the HTTP server. A login job
 * therefore always owns a live request until its done() has replied.
 */
#include "passport_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/http.h>
#include <openssl/ssl.h>
#include <sodium.h>

#include "http_compat.h"
#include "log.h"
#include "msnp_buf.h"
#include "msnp_passport.h"
#include "msnp_status.h"
#include "msnp_url.h"
#include "password.h"
#include "ratelimit.h"
#include "store.h"
#include "tls.h"
#include "workq.h"

#define NEXUS_PATH "/rdr/pprdr.asp"
#define LOGIN_PATH "/login2.srf"
#define CONFIG_VERSION 1
#define MAX_HOST 255          /* bytes of an announced host[:port] */
#define MAX_BODY 1024         /* GET requests have none; be a little lenient */
#define ADDR_SIZE (INET6_ADDRSTRLEN + 4)

#define CBTXT_WRONG "Sign-in name or password is incorrect."
#define CBTXT_BLOCKED "Too many failed sign-in attempts. Please try again later."

struct passport_server {
    struct event_base *base;
    const msgrd_config *cfg;
    tickets *tk;
    struct evhttp *http;
    SSL_CTX *ssl_ctx;            /* NULL: plain HTTP */
    workq *hashq;
    ratelimit *fails_by_account;
    ratelimit *fails_by_address;
    char *login_host;            /* login-host without scheme; NULL if unset */
    bool wildcard;               /* bound to 0.0.0.0 or :: */
    bool loopback;               /* bound to a loopback address */
    atomic_bool stopping;        /* read by the hashing threads */
    pthread_mutex_t limits_lock; /* guards both failure counters */
    char address[ADDR_SIZE + 8]; /* bound HOST:PORT */
    char fingerprint[TLS_FINGERPRINT_SIZE];
};

/* ---- small helpers ------------------------------------------------------- */

static void set_err(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(char **err, const char *fmt, ...)
{
    if (!err)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    *err = strdup(msg);
}

static int64_t monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec;
}

static char *ascii_lower_dup(const char *s)
{
    char *d = strdup(s);
    if (d)
        for (char *p = d; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
    return d;
}

/* A host[:port] we may announce: letters, digits and . - : [ ] only. */
static bool is_plain_host(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > MAX_HOST)
        return false;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']'))
            return false;
    }
    return true;
}

/* ---- addresses ----------------------------------------------------------- */

static bool sockaddr_is_loopback(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (ss->ss_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(a))
            return a->s6_addr[12] == 127;
        return IN6_IS_ADDR_LOOPBACK(a);
    }
    return false;
}

static bool sockaddr_is_wildcard(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET)
        return ((const struct sockaddr_in *)ss)->sin_addr.s_addr == htonl(INADDR_ANY);
    if (ss->ss_family == AF_INET6)
        return IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)ss)->sin6_addr);
    return false;
}

/* Numeric text of an address. prefix64 keeps only the /64 of an IPv6
 * address (one subscriber usually holds a whole /64), marked "/64".
 * IPv4-mapped IPv6 addresses are written as IPv4. */
static void format_ip(const struct sockaddr_storage *ss, bool prefix64, char *out, size_t len)
{
    if (ss->ss_family == AF_INET) {
        if (!inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, out, (socklen_t)len))
            snprintf(out, len, "?");
        return;
    }
    if (ss->ss_family != AF_INET6) {
        snprintf(out, len, "?");
        return;
    }
    struct in6_addr a = ((const struct sockaddr_in6 *)ss)->sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&a)) {
        if (!inet_ntop(AF_INET, &a.s6_addr[12], out, (socklen_t)len))
            snprintf(out, len, "?");
        return;
    }
    if (prefix64)
        memset(&a.s6_addr[8], 0, 8);
    if (!inet_ntop(AF_INET6, &a, out, (socklen_t)len))
        snprintf(out, len, "?");
    else if (prefix64 && strlen(out) + 4 < len)
        strcat(out, "/64");
}

static unsigned sockaddr_port(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)ss)->sin_port);
    if (ss->ss_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
    return 0;
}

/* The client's address as text (for the log) and as a rate-limit key.
 * evhttp records the numeric address when it accepts the connection,
 * which still works when the client has gone by now (getpeername would
 * not). */
static void peer_address(struct evhttp_request *req, char text[ADDR_SIZE], char key[ADDR_SIZE])
{
    struct evhttp_connection *evcon = evhttp_request_get_connection(req);
    char *addr = NULL;
    ev_uint16_t port = 0;
    if (evcon)
        evhttp_connection_get_peer(evcon, &addr, &port);
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *in = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
    if (addr && inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
        ss.ss_family = AF_INET;
    } else if (addr && inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
        ss.ss_family = AF_INET6;
    } else {
        /* Not numeric (a scoped IPv6 address, say): use it as it is. */
        snprintf(text, ADDR_SIZE, "%s", addr && *addr ? addr : "unknown");
        snprintf(key, ADDR_SIZE, "%s", text);
        return;
    }
    format_ip(&ss, false, text, ADDR_SIZE);
    format_ip(&ss, true, key, ADDR_SIZE);
}

/* ---- replies ------------------------------------------------------------- */

/* Sends an empty text/html reply with the given extra header (may be
 * NULL). */
static void send_empty(struct evhttp_request *req, int code, const char *reason,
                       const char *cache_control, const char *name, const char *value,
                       bool close)
{
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_add_header(h, "Content-Type", "text/html");
    evhttp_add_header(h, "Content-Length", "0");
    evhttp_add_header(h, "Cache-Control", cache_control);
    if (name && value)
        evhttp_add_header(h, name, value);
    if (close)
        evhttp_add_header(h, "Connection", "close");
    evhttp_send_reply(req, code, reason, NULL);
}

static void reply_failed(struct evhttp_request *req, const char *cbtxt)
{
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_passport_failure_build(&b, PASSPORT_REALM, cbtxt) == MSNP_OK)
        send_empty(req, 401, "Unauthorized", "no-cache", "WWW-Authenticate", b.data, false);
    else
        evhttp_send_error(req, HTTP_INTERNAL, NULL);
    msnp_buf_free(&b);
}

static void reply_unavailable(struct evhttp_request *req)
{
    send_empty(req, 503, "Service Unavailable", "no-cache", "Retry-After", "5", true);
}

static void log_attempt(const char *handle, const char *peer, const char *result)
{
    log_info("passport: login %.128s from %s: %s", handle, peer, result);
}

/* ---- nexus --------------------------------------------------------------- */

/* The host[:port] the nexus announces (see passport_http.h). */
static const char *announce_host(const passport_server *ps, struct evhttp_request *req)
{
    if (ps->login_host)
        return ps->login_host;
    if (ps->wildcard && req) {
        const char *host = evhttp_find_header(evhttp_request_get_input_headers(req), "Host");
        if (host && is_plain_host(host))
            return host;
    }
    return ps->address;
}

/* Builds the PassportURLs value for host into out. */
static int build_urls(const passport_server *ps, const char *host, msnp_buf *out)
{
    const char *scheme = ps->ssl_ctx ? "https://" : "http://";
    char login[MAX_HOST + 32], reg[MAX_HOST + 32], prop[MAX_HOST + 32],
        privacy[MAX_HOST + 32], redir[MAX_HOST + 32], help[MAX_HOST + 32];
    snprintf(login, sizeof login, "%s" LOGIN_PATH, host);
    snprintf(reg, sizeof reg, "%s%s/reg", scheme, host);
    snprintf(prop, sizeof prop, "%s%s/prop", scheme, host);
    snprintf(privacy, sizeof privacy, "%s%s/privacy", scheme, host);
    snprintf(redir, sizeof redir, "%s%s/redir", scheme, host);
    snprintf(help, sizeof help, "%s%s/help", scheme, host);
    msnp_passport_urls urls = {
        .realm = PASSPORT_REALM, .login = login, .reg = reg, .properties = prop,
        .privacy = privacy, .general_redir = redir, .help = help,
        .config_version = CONFIG_VERSION,
    };
    return msnp_passport_urls_build(out, &urls);
}

static void serve_nexus(passport_server *ps, struct evhttp_request *req)
{
    msnp_buf b = MSNP_BUF_INIT;
    if (build_urls(ps, announce_host(ps, req), &b) == MSNP_OK)
        send_empty(req, 200, "OK", "private", "PassportURLs", b.data, false);
    else
        evhttp_send_error(req, HTTP_INTERNAL, NULL);
    msnp_buf_free(&b);
}

/* ---- failure limits (loop and hashing threads) ---------------------------- */

/* Which counter refuses an attempt. */
typedef enum limit_verdict {
    LIMIT_NONE,
    LIMIT_ACCOUNT,
    LIMIT_ADDRESS,
} limit_verdict;

/* Checks both counters; a refused attempt is counted on the counters that
 * refused it only, so that a blocked address cycling through made-up
 * sign-in names cannot push other accounts' counters out of the table. */
static limit_verdict limits_check(passport_server *ps, const char *handle, const char *peer_key)
{
    int64_t now = monotonic_seconds();
    pthread_mutex_lock(&ps->limits_lock);
    bool by_account = ratelimit_blocked(ps->fails_by_account, handle, now);
    bool by_address = ratelimit_blocked(ps->fails_by_address, peer_key, now);
    if (by_account)
        ratelimit_record(ps->fails_by_account, handle, now);
    if (by_address)
        ratelimit_record(ps->fails_by_address, peer_key, now);
    pthread_mutex_unlock(&ps->limits_lock);
    return by_account ? LIMIT_ACCOUNT : by_address ? LIMIT_ADDRESS : LIMIT_NONE;
}

/* Counts a checked attempt: a failure on both counters, a success clears
 * the account's (not the address's: one good password must not buy an
 * address more guesses at other accounts). */
static void limits_count(passport_server *ps, const char *handle, const char *peer_key,
                         bool success)
{
    int64_t now = monotonic_seconds();
    pthread_mutex_lock(&ps->limits_lock);
    if (success) {
        ratelimit_reset(ps->fails_by_account, handle);
    } else {
        ratelimit_record(ps->fails_by_account, handle, now);
        ratelimit_record(ps->fails_by_address, peer_key, now);
    }
    pthread_mutex_unlock(&ps->limits_lock);
}

/* ---- password checks (hashing threads) ------------------------------------ */

/* Per hashing thread: its own store connection and a dummy hash. */
typedef struct hash_worker {
    store *st;          /* NULL if the store could not be opened */
    bool has_dummy;
    char dummy[PASSWORD_HASH_SIZE];
} hash_worker;

typedef enum login_result {
    LOGIN_OK,
    LOGIN_WRONG_PASSWORD,
    LOGIN_NO_ACCOUNT,
    LOGIN_BLOCKED,      /* refused by a failure counter, not checked */
    LOGIN_ERROR,
    LOGIN_CANCELLED,    /* the server stopped before the check began */
} login_result;

typedef struct login_job {
    passport_server *ps;
    struct evhttp_request *req; /* live until done() replies (see top) */
    char *handle;               /* lower-case sign-in name */
    char *password;             /* wiped and freed by the worker */
    char *ru;                   /* ru for the reply */
    char peer[ADDR_SIZE];       /* for the log */
    char peer_key[ADDR_SIZE];   /* for the rate limit */
    login_result result;
    limit_verdict blocked;      /* with LOGIN_BLOCKED */
} login_job;

static void *hash_worker_init(void *ctx)
{
    const passport_server *ps = ctx;
    hash_worker *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    char *msg = NULL;
    if (store_open(ps->cfg->data_dir, NULL, &w->st, &msg) != 0) {
        log_error("passport: cannot open the store: %s", msg ? msg : "out of memory");
        free(msg);
    }
    return w;
}

static void hash_worker_fini(void *state, void *ctx)
{
    (void)ctx;
    hash_worker *w = state;
    if (w) {
        store_close(w->st);
        free(w);
    }
}

/* Spends the time of a real check on an unknown account, so that timing
 * does not tell which sign-in names exist. */
static void check_dummy(const passport_server *ps, hash_worker *w, const char *pw)
{
    if (!w->has_dummy)
        w->has_dummy = password_hash("msgrd unknown account", ps->cfg->argon2_ops,
                                     ps->cfg->argon2_mem_kib, w->dummy) == PASSWORD_OK;
    if (w->has_dummy)
        (void)password_verify(w->dummy, pw);
}

static login_result check_password(const passport_server *ps, hash_worker *w,
                                   const char *handle, const char *pw)
{
    if (!w || !w->st)
        return LOGIN_ERROR;
    char *record = NULL;
    int rc = store_account_get_pwhash(w->st, handle, &record);
    if (rc == STORE_E_NOTFOUND) {
        check_dummy(ps, w, pw);
        return LOGIN_NO_ACCOUNT;
    }
    if (rc != 0) {
        log_error("passport: store: %s (%s)", store_strerror(rc), store_errmsg(w->st));
        return LOGIN_ERROR;
    }
    rc = password_record_check(record, pw, ps->cfg->truncate_password);
    free(record);
    if (rc == PASSWORD_OK)
        return LOGIN_OK;
    if (rc == PASSWORD_MISMATCH)
        return LOGIN_WRONG_PASSWORD;
    log_error("passport: the stored password of %.128s is malformed", handle);
    return LOGIN_ERROR;
}

static void free_secret(char *s)
{
    if (s) {
        sodium_memzero(s, strlen(s));
        free(s);
    }
}

/* workq work(), on a hashing thread. The failure counters are consulted
 * here, right before hashing, and updated right after: attempts sent all
 * at once queue up behind each other and each one sees the failures of
 * those checked before it, so at most hash-threads attempts are ever
 * decided on stale counts. Correct passwords never count, so any number of
 * simultaneous good logins from one address all succeed. */
static void login_work(void *state, void *arg)
{
    login_job *j = arg;
    passport_server *ps = j->ps;
    if (atomic_load(&ps->stopping)) {
        j->result = LOGIN_CANCELLED;
    } else if ((j->blocked = limits_check(ps, j->handle, j->peer_key)) != LIMIT_NONE) {
        j->result = LOGIN_BLOCKED;
    } else {
        j->result = check_password(ps, state, j->handle, j->password);
        if (j->result == LOGIN_OK || j->result == LOGIN_WRONG_PASSWORD ||
            j->result == LOGIN_NO_ACCOUNT)
            limits_count(ps, j->handle, j->peer_key, j->result == LOGIN_OK);
    }
    free_secret(j->password);
    j->password = NULL;
}

static void login_job_free(login_job *j)
{
    free(j->handle);
    free_secret(j->password);
    free(j->ru);
    free(j);
}

/* ---- login replies (loop thread) ----------------------------------------- */

static void reply_blocked(struct evhttp_request *req, const char *handle, const char *peer,
                          limit_verdict why)
{
    reply_failed(req, CBTXT_BLOCKED);
    log_attempt(handle, peer, why == LIMIT_ACCOUNT
                                  ? "blocked (too many failures for the account)"
                                  : "blocked (too many failures from the address)");
}

/* Issues the ticket and sends the 200; returns the result for the log. */
static const char *reply_success(passport_server *ps, login_job *j)
{
    char *ticket = NULL;
    msnp_buf b = MSNP_BUF_INIT;
    const char *result = "ok";
    if (tickets_issue(ps->tk, j->handle, &ticket) != 0 ||
        msnp_passport_info_build(&b, ticket, j->ru) != MSNP_OK) {
        evhttp_send_error(j->req, HTTP_INTERNAL, NULL);
        result = "error (ticket)";
    } else {
        send_empty(j->req, 200, "OK", "no-cache", "Authentication-Info", b.data, true);
    }
    /* A ticket not handed out is simply never redeemed; it expires. */
    if (ticket)
        sodium_memzero(ticket, strlen(ticket));
    free(ticket);
    msnp_buf_free(&b);
    return result;
}

/* workq done(), on the loop thread: replies and frees the job. */
static void login_done(void *arg)
{
    login_job *j = arg;
    const char *result;
    switch (j->result) {
    case LOGIN_OK:
        result = reply_success(j->ps, j);
        break;
    case LOGIN_WRONG_PASSWORD:
        reply_failed(j->req, CBTXT_WRONG);
        result = "failed (wrong password)";
        break;
    case LOGIN_NO_ACCOUNT:
        reply_failed(j->req, CBTXT_WRONG);
        result = "failed (no such account)";
        break;
    case LOGIN_BLOCKED:
        reply_blocked(j->req, j->handle, j->peer, j->blocked);
        login_job_free(j);
        return;
    case LOGIN_CANCELLED:
        reply_unavailable(j->req);
        result = "cancelled (shutting down)";
        break;
    case LOGIN_ERROR:
    default:
        evhttp_send_error(j->req, HTTP_INTERNAL, NULL);
        result = "error (store)";
        break;
    }
    log_attempt(j->handle, j->peer, result);
    login_job_free(j);
}

/* ---- login requests (loop thread) ---------------------------------------- */

/* The ru to send back: the request's, decoded, if it is a usable token. */
static char *choose_ru(const msnp_passport_auth *a)
{
    const char *raw = msnp_passport_auth_get(a, "ru");
    char *ru = NULL;
    if (raw && msnp_url_decode_dup(raw, MSNP_URL_STRICT, &ru) == MSNP_OK) {
        bool ok = *ru != '\0';
        for (const unsigned char *p = (const unsigned char *)ru; *p && ok; p++)
            ok = *p > 0x20 && *p < 0x7F && *p != ',' && *p != '\'';
        if (ok)
            return ru;
    }
    free(ru);
    return strdup(PASSPORT_DEFAULT_RU);
}

/* Takes ownership of the parsed password into a new job. */
static login_job *login_job_new(passport_server *ps, struct evhttp_request *req,
                                msnp_passport_auth *a, const char *peer, const char *peer_key)
{
    login_job *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->ps = ps;
    j->req = req;
    j->handle = ascii_lower_dup(a->sign_in);
    j->password = a->pwd;
    a->pwd = NULL;
    j->ru = choose_ru(a);
    snprintf(j->peer, sizeof j->peer, "%s", peer);
    snprintf(j->peer_key, sizeof j->peer_key, "%s", peer_key);
    if (!j->handle || !j->password || !j->ru) {
        login_job_free(j);
        return NULL;
    }
    return j;
}

static void submit_login(passport_server *ps, struct evhttp_request *req,
                         msnp_passport_auth *a, const char *handle, const char *peer,
                         const char *peer_key)
{
    login_job *j = login_job_new(ps, req, a, peer, peer_key);
    if (j && workq_submit(ps->hashq, login_work, login_done, j) == 0)
        return;
    if (j)
        login_job_free(j);
    reply_unavailable(req);
    log_attempt(handle, peer, "refused (out of memory)");
}

static void serve_login(passport_server *ps, struct evhttp_request *req)
{
    char peer[ADDR_SIZE], peer_key[ADDR_SIZE];
    peer_address(req, peer, peer_key);
    const char *auth = evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization");
    msnp_passport_auth a;
    memset(&a, 0, sizeof a);
    if (!auth || msnp_passport_auth_parse(auth, strlen(auth), &a) != MSNP_OK) {
        reply_failed(req, CBTXT_WRONG);
        log_attempt("-", peer, auth ? "failed (malformed Authorization)"
                                    : "failed (no Authorization)");
        msnp_passport_auth_free(&a);
        return;
    }
    /* Already blocked: answered at once, without queueing (the hashing
     * thread checks again, with the counts of the moment). */
    char *handle = ascii_lower_dup(a.sign_in);
    limit_verdict v;
    if (!handle) {
        evhttp_send_error(req, HTTP_INTERNAL, NULL);
    } else if ((v = limits_check(ps, handle, peer_key)) != LIMIT_NONE) {
        reply_blocked(req, handle, peer, v);
    } else if (workq_pending(ps->hashq) >= PASSPORT_MAX_PENDING) {
        reply_unavailable(req);
        log_attempt(handle, peer, "refused (busy)");
    } else {
        submit_login(ps, req, &a, handle, peer, peer_key);
    }
    free(handle);
    msnp_passport_auth_free(&a);
}

/* ---- dispatch ------------------------------------------------------------ */

static void on_request(struct evhttp_request *req, void *arg)
{
    passport_server *ps = arg;
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
    if (path && strcasecmp(path, NEXUS_PATH) == 0)
        serve_nexus(ps, req);
    else if (path && strcasecmp(path, LOGIN_PATH) == 0)
        serve_login(ps, req);
    else
        evhttp_send_error(req, HTTP_NOTFOUND, NULL);
}

/* evhttp's bufferevent factory for TLS connections. If it fails (no
 * memory) evhttp falls back to a plain socket; that connection then sees
 * a TLS ClientHello as a malformed request and is closed with a 400,
 * before any credentials could be sent. */
static struct bufferevent *make_tls_bufferevent(struct event_base *base, void *arg)
{
    passport_server *ps = arg;
    SSL *ssl = SSL_new(ps->ssl_ctx);
    if (!ssl)
        return NULL;
    struct bufferevent *bev = bufferevent_openssl_socket_new(
        base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
    if (!bev) {
        SSL_free(ssl); /* libevent 2.1 leaves it to us on failure */
        return NULL;
    }
    /* Old clients close without close_notify; that is an ordinary EOF. */
    bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
    if (http_compat_watch(bev) != 0) {
        bufferevent_free(bev);
        return NULL;
    }
    return bev;
}

/* The same for --plain-login connections. */
static struct bufferevent *make_plain_bufferevent(struct event_base *base, void *arg)
{
    (void)arg;
    struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
    if (bev && http_compat_watch(bev) != 0) {
        bufferevent_free(bev);
        return NULL;
    }
    return bev;
}

/* ---- set-up -------------------------------------------------------------- */

/* login-host without any http:// or https:// and trailing '/'. */
static int set_login_host(passport_server *ps, const char *value, char **err)
{
    if (!value || !*value)
        return 0;
    if (strncasecmp(value, "https://", 8) == 0)
        value += 8;
    else if (strncasecmp(value, "http://", 7) == 0)
        value += 7;
    size_t n = strlen(value);
    while (n > 0 && value[n - 1] == '/')
        n--;
    ps->login_host = strndup(value, n);
    if (!ps->login_host) {
        set_err(err, "out of memory");
        return -1;
    }
    if (!is_plain_host(ps->login_host)) {
        set_err(err, "login-host \"%s\" is not a host[:port]", value);
        return -1;
    }
    return 0;
}

/* Binds login-listen and records the bound address. */
static int bind_listener(passport_server *ps, char **err)
{
    char *host = NULL;
    unsigned port = 0;
    const char *listen = ps->cfg->login_listen ? ps->cfg->login_listen : "";
    if (config_split_hostport(listen, &host, &port) != 0) {
        set_err(err, "login-listen \"%s\" is not HOST:PORT", listen);
        return -1;
    }
    errno = 0;
    struct evhttp_bound_socket *bs =
        evhttp_bind_socket_with_handle(ps->http, host, (ev_uint16_t)port);
    free(host);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    if (!bs || getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&ss, &sl) != 0) {
        set_err(err, "cannot listen on %s for Passport login: %s", listen,
                errno ? strerror(errno) : "address not usable");
        return -1;
    }
    char ip[ADDR_SIZE];
    format_ip(&ss, false, ip, sizeof ip);
    snprintf(ps->address, sizeof ps->address, strchr(ip, ':') ? "[%s]:%u" : "%s:%u", ip,
             sockaddr_port(&ss));
    ps->wildcard = sockaddr_is_wildcard(&ss);
    ps->loopback = sockaddr_is_loopback(&ss);
    if (ps->cfg->plain_login && !ps->loopback) {
        set_err(err, "plain-login is allowed on a loopback login-listen address only "
                     "(bound %s); use TLS or listen on 127.0.0.1", ps->address);
        return -1;
    }
    return 0;
}

static int setup_tls(passport_server *ps, char **err)
{
    /* CN (and an extra subjectAltName): login-host if set, else the bound
     * address when clients elsewhere can reach it by that, else localhost. */
    const char *cn = "localhost";
    if (ps->login_host)
        cn = ps->login_host;
    else if (!ps->wildcard && !ps->loopback)
        cn = ps->address;
    bool created = false;
    char *cert = tls_cert_path(ps->cfg->data_dir), *key = tls_key_path(ps->cfg->data_dir);
    int rc = -1;
    if (!cert || !key)
        set_err(err, "out of memory");
    else if (tls_cert_ensure(ps->cfg->data_dir, cn, &created, err) == 0 &&
             (ps->ssl_ctx = tls_server_ctx_new(cert, key, err)) != NULL &&
             tls_fingerprint_file(cert, ps->fingerprint, err) == 0)
        rc = 0;
    if (rc == 0 && created)
        log_info("passport: created a self-signed certificate %s", cert);
    free(cert);
    free(key);
    return rc;
}

static void configure_http(passport_server *ps)
{
    evhttp_set_allowed_methods(ps->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
    evhttp_set_max_headers_size(ps->http, PASSPORT_MAX_HEADERS);
    evhttp_set_max_body_size(ps->http, MAX_BODY);
    evhttp_set_timeout(ps->http, PASSPORT_HTTP_TIMEOUT);
    evhttp_set_default_content_type(ps->http, "text/html");
    evhttp_set_gencb(ps->http, on_request, ps);
    /* Both factories let version-less request lines through (msnp.md
     * 2.6.1: clients of the era sent a bare "GET /rdr/pprdr.asp"). */
    evhttp_set_bevcb(ps->http, ps->ssl_ctx ? make_tls_bufferevent : make_plain_bufferevent, ps);
}

/* Everything after the allocation; returns 0 or -1 with *err set. */
static int passport_server_start(passport_server *ps, char **err)
{
    const msgrd_config *cfg = ps->cfg;
    unsigned limit = cfg->login_fail_limit, window = cfg->login_fail_window;
    ps->fails_by_account = ratelimit_new(limit, window, PASSPORT_RATELIMIT_KEYS);
    ps->fails_by_address = ratelimit_new(limit, window, PASSPORT_RATELIMIT_KEYS);
    ps->http = evhttp_new(ps->base);
    if (!ps->fails_by_account || !ps->fails_by_address || !ps->http ||
        password_init() != PASSWORD_OK) {
        set_err(err, "out of memory");
        return -1;
    }
    if (set_login_host(ps, cfg->login_host, err) != 0 || bind_listener(ps, err) != 0)
        return -1;
    msnp_buf probe = MSNP_BUF_INIT;
    int rc = build_urls(ps, announce_host(ps, NULL), &probe);
    msnp_buf_free(&probe);
    if (rc != MSNP_OK) {
        set_err(err, "cannot announce \"%s\" as DALogin", announce_host(ps, NULL));
        return -1;
    }
    if (!cfg->plain_login && setup_tls(ps, err) != 0)
        return -1;
    configure_http(ps);
    ps->hashq = workq_new(ps->base, cfg->hash_threads ? cfg->hash_threads : 1,
                          hash_worker_init, hash_worker_fini, ps);
    if (!ps->hashq) {
        set_err(err, "cannot start the password hashing threads");
        return -1;
    }
    return 0;
}

passport_server *passport_server_new(struct event_base *base, const msgrd_config *cfg,
                                     tickets *tk, char **err)
{
    if (err)
        *err = NULL;
    if (!base || !cfg || !tk || !cfg->data_dir) {
        set_err(err, "passport_server_new: missing argument");
        return NULL;
    }
    passport_server *ps = calloc(1, sizeof *ps);
    if (!ps) {
        set_err(err, "out of memory");
        return NULL;
    }
    ps->base = base;
    ps->cfg = cfg;
    ps->tk = tk;
    atomic_init(&ps->stopping, false);
    if (pthread_mutex_init(&ps->limits_lock, NULL) != 0) {
        set_err(err, "cannot create a mutex");
        free(ps);
        return NULL;
    }
    if (passport_server_start(ps, err) != 0) {
        passport_server_free(ps);
        return NULL;
    }
    if (ps->ssl_ctx)
        log_info("passport: listening on https://%s (certificate SHA-256 %s)", ps->address,
                 ps->fingerprint);
    else
        log_info("passport: listening on http://%s (plain HTTP, loopback only)", ps->address);
    return ps;
}

const char *passport_server_address(const passport_server *ps)
{
    return ps->address;
}

const char *passport_server_fingerprint(const passport_server *ps)
{
    return ps->ssl_ctx ? ps->fingerprint : NULL;
}

void passport_server_free(passport_server *ps)
{
    if (!ps)
        return;
    /* Jobs not started are cancelled; every done() replies while evhttp
     * and its requests still exist (see the top of this file). */
    atomic_store(&ps->stopping, true);
    workq_free(ps->hashq);
    if (ps->http)
        evhttp_free(ps->http);
    SSL_CTX_free(ps->ssl_ctx);
    ratelimit_free(ps->fails_by_account);
    ratelimit_free(ps->fails_by_address);
    pthread_mutex_destroy(&ps->limits_lock);
    free(ps->login_host);
    free(ps);
}
