/*
 * test_passport_http.c - the Passport 1.4 endpoint (passport_http.h,
 * msnp.md 2.6) over real sockets: a real store in a temporary data
 * directory, the server on 127.0.0.1:0 with its self-signed certificate,
 * the event loop on its own thread, and blocking OpenSSL clients in the
 * test that verify the certificate for 127.0.0.1.
 *
 * Requests are written the way the clients of the era write them; the
 * Authorization values are built with the codec's client-side builder.
 * Tickets are checked with tickets_consume() after the loop thread has
 * stopped (tickets belong to the loop thread).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>
#include <event2/thread.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "config.h"
#include "msnp_buf.h"
#include "msnp_passport.h"
#include "msnp_status.h"
#include "passport_http.h"
#include "password.h"
#include "store.h"
#include "tickets.h"
#include "tls.h"

#define ALICE "alice@example.com"
#define ALICE_PW "s3cr,t pw" /* a comma and a space: both get encoded */
#define BOB "bob@example.org"
#define BOB_PW "hunter2"
#define LONG "long@example.net"
#define LONG_PW "correct horse battery staple"
#define LONG_PW_16 "correct horse ba"
#define FAIL_LIMIT "3"

#define OPS crypto_pwhash_OPSLIMIT_MIN
#define MEM_KIB 8192

static char data_dir[64];

typedef struct fixture {
    msgrd_config cfg;
    struct event_base *base;
    tickets *tk;
    passport_server *ps;
    pthread_t loop;
    bool running;
    bool tls;
    unsigned port;
    SSL_CTX *client;
} fixture;

/* ---- data directory and store ------------------------------------------- */

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static void add_account(store *s, const char *handle, const char *pw, bool truncated)
{
    char *rec = NULL;
    assert_int_equal(password_record_new(pw, OPS, MEM_KIB, truncated, &rec), PASSWORD_OK);
    assert_int_equal(store_account_create(s, handle, rec, NULL, "Other Contacts"), 0);
    free(rec);
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(data_dir, sizeof data_dir, "/tmp/msgr-passport-XXXXXX");
    if (!mkdtemp(data_dir))
        return -1;
    store *s = NULL;
    char *err = NULL;
    if (store_open(data_dir, NULL, &s, &err) != 0) {
        fprintf(stderr, "store_open: %s\n", err ? err : "?");
        free(err);
        return -1;
    }
    add_account(s, ALICE, ALICE_PW, false);
    add_account(s, BOB, BOB_PW, false);
    add_account(s, LONG, LONG_PW, true);
    store_close(s);
    evthread_use_pthreads();
    /* Closing a TLS connection the server already closed must not kill
     * the test. */
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    remove_dir(data_dir);
    return 0;
}

/* ---- server and loop thread ---------------------------------------------- */

static void *loop_main(void *arg)
{
    fixture *f = arg;
    event_base_loop(f->base, EVLOOP_NO_EXIT_ON_EMPTY);
    return NULL;
}

static void loop_start(fixture *f)
{
    assert_int_equal(pthread_create(&f->loop, NULL, loop_main, f), 0);
    f->running = true;
}

static void break_loop(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    event_base_loopbreak(arg);
}

/* Stops the loop thread. The break is queued as an event rather than
 * requested directly: a loop that has not started yet would otherwise
 * clear the request when it starts and run forever. */
static void loop_stop(fixture *f)
{
    if (!f->running)
        return;
    struct timeval now = { 0, 0 };
    assert_int_equal(event_base_once(f->base, -1, EV_TIMEOUT, break_loop, f->base, &now), 0);
    pthread_join(f->loop, NULL);
    f->running = false;
}

/* Frees the server, then lets the loop run the frees libevent defers
 * (bufferevents of connections that were still open), so nothing is
 * left for LeakSanitizer. The loop thread must be stopped. */
static void server_free(fixture *f)
{
    passport_server_free(f->ps);
    f->ps = NULL;
    event_base_loop(f->base, EVLOOP_NONBLOCK);
}

static void set_opt(fixture *f, const char *key, const char *value)
{
    char err[128];
    assert_int_equal(config_set(&f->cfg, key, value, err, sizeof err), 0);
}

static fixture *fixture_new(void)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(config_init(&f->cfg), 0);
    set_opt(f, "data-dir", data_dir);
    set_opt(f, "login-listen", "127.0.0.1:0");
    set_opt(f, "login-fail-limit", FAIL_LIMIT);
    set_opt(f, "argon2-ops", "1");
    set_opt(f, "argon2-mem-kib", "8192");
    set_opt(f, "hash-threads", "1");
    f->base = event_base_new();
    f->tk = tickets_new(600);
    assert_non_null(f->base);
    assert_non_null(f->tk);
    return f;
}

/* Starts the endpoint with the options set so far and its loop thread. */
static void server_start(fixture *f)
{
    char *err = NULL;
    f->ps = passport_server_new(f->base, &f->cfg, f->tk, &err);
    if (!f->ps)
        fprintf(stderr, "passport_server_new: %s\n", err ? err : "?");
    assert_non_null(f->ps);
    assert_null(err);
    const char *addr = passport_server_address(f->ps);
    assert_memory_equal(addr, "127.0.0.1:", 10);
    f->port = (unsigned)atoi(addr + 10);
    assert_true(f->port > 0);
    f->tls = !f->cfg.plain_login;
    if (f->tls) {
        char cert[128];
        snprintf(cert, sizeof cert, "%s/" TLS_CERT_FILE, data_dir);
        f->client = SSL_CTX_new(TLS_client_method());
        assert_non_null(f->client);
        assert_int_equal(SSL_CTX_load_verify_locations(f->client, cert, NULL), 1);
        SSL_CTX_set_verify(f->client, SSL_VERIFY_PEER, NULL);
    }
    loop_start(f);
}

static int setup(void **state)
{
    fixture *f = fixture_new();
    server_start(f);
    *state = f;
    return 0;
}

/* Like setup, but the test sets options and starts the server itself. */
static int setup_unstarted(void **state)
{
    *state = fixture_new();
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    loop_stop(f);
    server_free(f);
    tickets_free(f->tk);
    event_base_free(f->base);
    SSL_CTX_free(f->client);
    config_free(&f->cfg);
    free(f);
    return 0;
}

/* ---- a small blocking HTTP(S) client ------------------------------------ */

typedef struct conn {
    int fd;
    SSL *ssl;
} conn;

/* Connects to the server from source address src (NULL: any). */
static conn conn_open(const fixture *f, const char *src)
{
    conn c = { -1, NULL };
    c.fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(c.fd >= 0);
    struct timeval tv = { 20, 0 };
    setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    if (src) {
        assert_int_equal(inet_pton(AF_INET, src, &sa.sin_addr), 1);
        assert_int_equal(bind(c.fd, (struct sockaddr *)&sa, sizeof sa), 0);
    }
    sa.sin_port = htons((uint16_t)f->port);
    assert_int_equal(inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr), 1);
    assert_int_equal(connect(c.fd, (struct sockaddr *)&sa, sizeof sa), 0);
    if (f->tls) {
        c.ssl = SSL_new(f->client);
        assert_non_null(c.ssl);
        assert_int_equal(X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c.ssl), "127.0.0.1"), 1);
        SSL_set_fd(c.ssl, c.fd);
        int rc = SSL_connect(c.ssl);
        if (rc != 1)
            ERR_print_errors_fp(stderr);
        assert_int_equal(rc, 1);
        assert_int_equal(SSL_get_verify_result(c.ssl), X509_V_OK);
    }
    return c;
}

static void conn_close(conn *c)
{
    if (c->ssl) {
        SSL_shutdown(c->ssl);
        SSL_free(c->ssl);
    }
    close(c->fd);
}

static void conn_write(conn *c, const char *s)
{
    size_t n = strlen(s);
    int w = c->ssl ? SSL_write(c->ssl, s, (int)n) : (int)write(c->fd, s, n);
    assert_int_equal(w, (int)n);
}

static int conn_read(conn *c, char *buf, size_t len)
{
    return c->ssl ? SSL_read(c->ssl, buf, (int)len) : (int)read(c->fd, buf, len);
}

/* True once resp holds the whole reply: the head and, when it announces
 * one, Content-Length bytes of body. */
static bool reply_complete(const char *resp, size_t len)
{
    const char *end = strstr(resp, "\r\n\r\n");
    if (!end)
        return false;
    const char *cl = strstr(resp, "\r\nContent-Length:");
    if (!cl || cl > end)
        return false; /* read to EOF */
    size_t body = strtoul(cl + 17, NULL, 10);
    return len >= (size_t)(end + 4 - resp) + body;
}

/* Reads one reply (or until EOF) into resp. Returns its length. */
static size_t read_reply(conn *c, char *resp, size_t cap)
{
    size_t len = 0;
    resp[0] = '\0';
    while (len + 1 < cap) {
        int n = conn_read(c, resp + len, cap - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        resp[len] = '\0';
        if (reply_complete(resp, len))
            break;
    }
    return len;
}

/* One request on a new connection from src; the reply goes to resp. */
static void exchange(const fixture *f, const char *src, const char *request, char *resp,
                     size_t cap)
{
    conn c = conn_open(f, src);
    conn_write(&c, request);
    read_reply(&c, resp, cap);
    conn_close(&c);
}

static int status_of(const char *resp)
{
    if (strncmp(resp, "HTTP/1.", 7) != 0 || strlen(resp) < 12)
        return -1;
    return atoi(resp + 9);
}

/* Value of header name (exact spelling, as some clients match it) or
 * "" if absent. */
static const char *header(const char *resp, const char *name, char *out, size_t len)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\r\n%s: ", name);
    const char *p = strstr(resp, pat);
    const char *end = strstr(resp, "\r\n\r\n");
    out[0] = '\0';
    if (!p || (end && p > end))
        return out;
    p += strlen(pat);
    size_t n = strcspn(p, "\r\n");
    snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1), p);
    return out;
}

/* "GET /login2.srf" with an Authorization for sign_in / pwd. */
static void login_request(char *out, size_t len, const char *sign_in, const char *pwd)
{
    msnp_buf ch = MSNP_BUF_INIT, auth = MSNP_BUF_INIT;
    assert_int_equal(msnp_passport_challenge_build(&ch, "http://messenger.msn.com",
                                                   1062764229,
                                                   "9b1c4e6f0a2d3c4b5a69788796a5b4c3"),
                     MSNP_OK);
    assert_int_equal(msnp_passport_auth_build(&auth, sign_in, pwd, ch.data), MSNP_OK);
    snprintf(out, len,
             "GET /login2.srf HTTP/1.1\r\n"
             "Authorization: %s\r\n"
             "User-Agent: MSMSGS\r\n"
             "Host: 127.0.0.1\r\n"
             "Connection: Keep-Alive\r\n"
             "Cache-Control: no-cache\r\n\r\n",
             auth.data);
    msnp_buf_free(&ch);
    msnp_buf_free(&auth);
}

static int login(const fixture *f, const char *src, const char *sign_in, const char *pwd,
                 char *resp, size_t cap)
{
    char req[4096];
    login_request(req, sizeof req, sign_in, pwd);
    exchange(f, src, req, resp, cap);
    return status_of(resp);
}

static void assert_failed_reply(const char *resp, const char *cbtxt_part)
{
    char v[512];
    assert_int_equal(status_of(resp), 401);
    header(resp, "WWW-Authenticate", v, sizeof v);
    assert_memory_equal(v, "Passport1.4 da-status=failed,srealm=Passport.Net,ts=-3,prompt,cbtxt=",
                        strlen("Passport1.4 da-status=failed,srealm=Passport.Net,ts=-3,prompt,cbtxt="));
    msnp_passport_failure fail;
    assert_int_equal(msnp_passport_failure_parse(v, strlen(v), &fail), MSNP_OK);
    assert_string_equal(fail.da_status, "failed");
    assert_string_equal(fail.srealm, "Passport.Net");
    assert_non_null(fail.cbtxt);
    assert_non_null(strstr(fail.cbtxt, cbtxt_part));
    msnp_passport_failure_free(&fail);
    assert_string_equal(header(resp, "Content-Type", v, sizeof v), "text/html");
    assert_string_equal(header(resp, "Content-Length", v, sizeof v), "0");
}

/* Checks a 200 login reply and returns its from-PP ticket (malloc'd). */
static char *assert_success_reply(const char *resp)
{
    char v[1024];
    assert_int_equal(status_of(resp), 200);
    assert_memory_equal(resp + 9, "200 OK\r\n", 8);
    assert_string_equal(header(resp, "Content-Type", v, sizeof v), "text/html");
    assert_string_equal(header(resp, "Content-Length", v, sizeof v), "0");
    assert_string_equal(header(resp, "Cache-Control", v, sizeof v), "no-cache");
    header(resp, "Authentication-Info", v, sizeof v);
    static const char head[] = "Passport1.4 da-status=success,tname=MSPAuth,tname=MSPProf,"
                               "tname=MSPSec,from-PP='t=";
    assert_memory_equal(v, head, sizeof head - 1);
    msnp_passport_info info;
    assert_int_equal(msnp_passport_info_parse(v, strlen(v), &info), MSNP_OK);
    assert_string_equal(info.da_status, "success");
    assert_non_null(info.from_pp);
    assert_string_equal(info.ru, "http://messenger.msn.com");
    char *ticket = strdup(info.from_pp);
    msnp_passport_info_free(&info);
    return ticket;
}

/* ---- nexus --------------------------------------------------------------- */

static void assert_nexus_reply(const fixture *f, const char *resp, const char *host)
{
    char v[1024], expect[1024];
    assert_int_equal(status_of(resp), 200);
    assert_string_equal(header(resp, "Content-Type", v, sizeof v), "text/html");
    assert_string_equal(header(resp, "Content-Length", v, sizeof v), "0");
    assert_string_equal(header(resp, "Cache-Control", v, sizeof v), "private");
    const char *s = f->tls ? "https" : "http";
    snprintf(expect, sizeof expect,
             "DARealm=Passport.Net,DALogin=%s/login2.srf,DAReg=%s://%s/reg,"
             "Properties=%s://%s/prop,Privacy=%s://%s/privacy,GeneralRedir=%s://%s/redir,"
             "Help=%s://%s/help,ConfigVersion=1",
             host, s, host, s, host, s, host, s, host, s, host);
    assert_string_equal(header(resp, "PassportURLs", v, sizeof v), expect);
}

static void bound_host(const fixture *f, char *out, size_t len)
{
    snprintf(out, len, "127.0.0.1:%u", f->port);
}

static void test_nexus_http11(void **state)
{
    fixture *f = *state;
    char resp[8192], host[64];
    bound_host(f, host, sizeof host);
    exchange(f, NULL,
             "GET /rdr/pprdr.asp HTTP/1.1\r\nHost: nexus.example.net\r\n"
             "Connection: close\r\n\r\n",
             resp, sizeof resp);
    assert_nexus_reply(f, resp, host);
    /* Keep-alive: two requests on one connection. */
    conn c = conn_open(f, NULL);
    for (int i = 0; i < 2; i++) {
        conn_write(&c, "GET /rdr/pprdr.asp HTTP/1.1\r\nHost: x\r\n\r\n");
        read_reply(&c, resp, sizeof resp);
        assert_nexus_reply(f, resp, host);
    }
    conn_close(&c);
    /* HEAD, and a query string. */
    exchange(f, NULL, "HEAD /rdr/pprdr.asp HTTP/1.0\r\n\r\n", resp, sizeof resp);
    assert_nexus_reply(f, resp, host);
    exchange(f, NULL, "GET /RDR/PPRDR.ASP?lc=1033 HTTP/1.0\r\n\r\n", resp, sizeof resp);
    assert_nexus_reply(f, resp, host);
}

static void test_nexus_http10_without_host(void **state)
{
    fixture *f = *state;
    char resp[8192], host[64];
    bound_host(f, host, sizeof host);
    exchange(f, NULL, "GET /rdr/pprdr.asp HTTP/1.0\r\n\r\n", resp, sizeof resp);
    assert_nexus_reply(f, resp, host);
    assert_memory_equal(resp, "HTTP/1.0 200", 12);
}

/* A request line without a version (HTTP/0.9 framing, msnp.md 2.6.1) is
 * served with HTTP/1.0 framing, alone or followed by an empty line, and
 * the server carries on with ordinary requests. */
static void test_http09_is_served(void **state)
{
    fixture *f = *state;
    char resp[8192], host[64];
    bound_host(f, host, sizeof host);
    exchange(f, NULL, "GET /rdr/pprdr.asp\r\n", resp, sizeof resp);
    assert_nexus_reply(f, resp, host);
    assert_memory_equal(resp, "HTTP/1.0 200", 12);
    exchange(f, NULL, "GET /rdr/pprdr.asp\r\n\r\n", resp, sizeof resp);
    assert_nexus_reply(f, resp, host);
    exchange(f, NULL, "GET /rdr/pprdr.asp HTTP/1.0\r\n\r\n", resp, sizeof resp);
    assert_nexus_reply(f, resp, host);
}

static void test_nexus_announces_login_host(void **state)
{
    fixture *f = *state;
    set_opt(f, "login-host", "https://login.example.net:8443/");
    server_start(f);
    char resp[8192];
    exchange(f, NULL, "GET /rdr/pprdr.asp HTTP/1.0\r\n\r\n", resp, sizeof resp);
    assert_nexus_reply(f, resp, "login.example.net:8443");
}

static void test_bad_login_host_is_refused(void **state)
{
    fixture *f = *state;
    set_opt(f, "login-host", "login.example.net/x,y");
    char *err = NULL;
    assert_null(passport_server_new(f->base, &f->cfg, f->tk, &err));
    assert_non_null(err);
    assert_non_null(strstr(err, "login-host"));
    free(err);
}

/* ---- login --------------------------------------------------------------- */

static void test_login_success(void **state)
{
    fixture *f = *state;
    char resp[8192];
    assert_int_equal(login(f, NULL, ALICE, ALICE_PW, resp, sizeof resp), 200);
    char *ticket = assert_success_reply(resp);
    char v[64];
    assert_string_equal(header(resp, "Connection", v, sizeof v), "close");
    /* Sign-in names are case-insensitive; the ticket is for the account. */
    assert_int_equal(login(f, NULL, "Bob@Example.ORG", BOB_PW, resp, sizeof resp), 200);
    char *ticket2 = assert_success_reply(resp);

    loop_stop(f);
    assert_int_equal(tickets_consume(f->tk, ticket, "bob@example.org"), -1); /* burnt */
    assert_int_equal(tickets_consume(f->tk, ticket, ALICE), -1);
    assert_int_equal(tickets_consume(f->tk, ticket2, BOB), 0);
    free(ticket);
    free(ticket2);
}

static void test_login_ticket_redeems_once(void **state)
{
    fixture *f = *state;
    char resp[8192];
    assert_int_equal(login(f, NULL, ALICE, ALICE_PW, resp, sizeof resp), 200);
    char *ticket = assert_success_reply(resp);
    loop_stop(f);
    assert_int_equal(tickets_consume(f->tk, ticket, "ALICE@example.com"), 0);
    assert_int_equal(tickets_consume(f->tk, ticket, ALICE), -1);
    free(ticket);
}

static void test_login_wrong_password(void **state)
{
    fixture *f = *state;
    char resp[8192];
    assert_int_equal(login(f, NULL, ALICE, "s3cr,t pW", resp, sizeof resp), 401);
    assert_failed_reply(resp, "incorrect");
    assert_int_equal(login(f, NULL, ALICE, "s3cr", resp, sizeof resp), 401);
    loop_stop(f);
    assert_int_equal(tickets_count(f->tk), 0);
}

static void test_login_unknown_account(void **state)
{
    fixture *f = *state;
    char resp[8192];
    assert_int_equal(login(f, NULL, "nobody@example.com", ALICE_PW, resp, sizeof resp), 401);
    assert_failed_reply(resp, "incorrect");
}

static void test_login_without_or_with_bad_authorization(void **state)
{
    fixture *f = *state;
    char resp[16384];
    exchange(f, NULL, "GET /login2.srf HTTP/1.1\r\nHost: x\r\n\r\n", resp, sizeof resp);
    assert_failed_reply(resp, "incorrect");

    const char *bad[] = {
        "GET /login2.srf HTTP/1.0\r\nAuthorization: Passport1.4\r\n\r\n",
        "GET /login2.srf HTTP/1.0\r\nAuthorization: Basic YWxpY2U6cHc=\r\n\r\n",
        "GET /login2.srf HTTP/1.0\r\nAuthorization: Passport1.4 sign-in=alice%40example.com\r\n\r\n",
        "GET /login2.srf HTTP/1.0\r\nAuthorization: Passport1.4 sign-in=a%ZZ,pwd=x\r\n\r\n",
        "GET /login2.srf HTTP/1.0\r\nAuthorization: Passport1.4 sign-in=a,pwd=%00\r\n\r\n",
        "GET /login2.srf HTTP/1.0\r\nAuthorization: Passport1.4 ,,,=,==,\r\n\r\n",
        "GET /login2.srf HTTP/1.0\r\nAuthorization: Passport1.4 sign-in=a,sign-in=b,pwd=c\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        exchange(f, NULL, bad[i], resp, sizeof resp);
        assert_failed_reply(resp, "incorrect");
    }

    /* A header far beyond the limits: refused by evhttp, no crash. */
    char *big = malloc(20000);
    assert_non_null(big);
    int n = snprintf(big, 20000, "GET /login2.srf HTTP/1.0\r\nAuthorization: Passport1.4 pwd=");
    memset(big + n, 'a', 12000);
    snprintf(big + n + 12000, 20000 - (size_t)n - 12000, ",sign-in=a\r\n\r\n");
    exchange(f, NULL, big, resp, sizeof resp);
    assert_true(resp[0] == '\0' || status_of(resp) >= 400);
    free(big);

    /* Still serving. */
    assert_int_equal(login(f, NULL, ALICE, ALICE_PW, resp, sizeof resp), 200);
    free(assert_success_reply(resp));
}

/* The truncation rule is off by default and on with truncate-password. */
static void test_truncated_password(void **state)
{
    fixture *f = *state;
    char resp[8192];
    set_opt(f, "truncate-password", "false");
    server_start(f);
    assert_int_equal(login(f, "127.0.0.2", LONG, LONG_PW_16, resp, sizeof resp), 401);
    assert_int_equal(login(f, "127.0.0.2", LONG, LONG_PW, resp, sizeof resp), 200);
    free(assert_success_reply(resp));
    loop_stop(f);
    server_free(f);
    SSL_CTX_free(f->client);

    set_opt(f, "truncate-password", "true");
    server_start(f);
    assert_int_equal(login(f, "127.0.0.3", LONG, LONG_PW_16, resp, sizeof resp), 200);
    free(assert_success_reply(resp));
    assert_int_equal(login(f, "127.0.0.3", LONG, LONG_PW, resp, sizeof resp), 200);
    free(assert_success_reply(resp));
    assert_int_equal(login(f, "127.0.0.3", LONG, "correct horse b", resp, sizeof resp), 401);
}

/* ---- rate limits --------------------------------------------------------- */

static void test_rate_limit_per_account(void **state)
{
    fixture *f = *state;
    char resp[8192];
    /* FAIL_LIMIT failures for alice, from different addresses. */
    assert_int_equal(login(f, "127.0.1.1", ALICE, "x", resp, sizeof resp), 401);
    assert_int_equal(login(f, "127.0.1.2", ALICE, "y", resp, sizeof resp), 401);
    assert_int_equal(login(f, "127.0.1.3", ALICE, "z", resp, sizeof resp), 401);
    assert_failed_reply(resp, "incorrect");
    /* Now even the right password from a fresh address is refused. */
    assert_int_equal(login(f, "127.0.1.4", ALICE, ALICE_PW, resp, sizeof resp), 401);
    assert_failed_reply(resp, "Too many");
    assert_int_equal(login(f, "127.0.1.4", "ALICE@EXAMPLE.COM", ALICE_PW, resp, sizeof resp),
                     401);
    assert_failed_reply(resp, "Too many");
    /* Other accounts are not affected, nor is that address. */
    assert_int_equal(login(f, "127.0.1.4", BOB, BOB_PW, resp, sizeof resp), 200);
    free(assert_success_reply(resp));
}

static void test_rate_limit_per_address(void **state)
{
    fixture *f = *state;
    char resp[8192];
    assert_int_equal(login(f, "127.0.2.1", "a@example.com", "x", resp, sizeof resp), 401);
    assert_int_equal(login(f, "127.0.2.1", "b@example.com", "x", resp, sizeof resp), 401);
    assert_int_equal(login(f, "127.0.2.1", BOB, "x", resp, sizeof resp), 401);
    /* That address is blocked, whatever the account. */
    assert_int_equal(login(f, "127.0.2.1", ALICE, ALICE_PW, resp, sizeof resp), 401);
    assert_failed_reply(resp, "Too many");
    /* Alice from elsewhere is fine (her counter was not touched). */
    assert_int_equal(login(f, "127.0.2.2", ALICE, ALICE_PW, resp, sizeof resp), 200);
    free(assert_success_reply(resp));
}

/* Many wrong attempts sent at once: with one hashing thread, exactly
 * FAIL_LIMIT of them are checked, the rest are refused. */
static void test_rate_limit_holds_for_simultaneous_attempts(void **state)
{
    fixture *f = *state;
    char req[4096], resp[8192], src[32];
    conn c[8];
    login_request(req, sizeof req, ALICE, "guess");
    for (int i = 0; i < 8; i++) {
        snprintf(src, sizeof src, "127.0.6.%d", 1 + i);
        c[i] = conn_open(f, src);
        conn_write(&c[i], req);
    }
    int checked = 0, refused = 0;
    for (int i = 0; i < 8; i++) {
        read_reply(&c[i], resp, sizeof resp);
        conn_close(&c[i]);
        assert_int_equal(status_of(resp), 401);
        if (strstr(resp, "Too%20many") || strstr(resp, "Too%20Many"))
            refused++;
        else
            checked++;
    }
    assert_int_equal(checked, atoi(FAIL_LIMIT));
    assert_int_equal(refused, 8 - atoi(FAIL_LIMIT));
}

/* Correct passwords never count: many simultaneous good logins from one
 * address (and for one account) all succeed. */
static void test_simultaneous_good_logins_succeed(void **state)
{
    fixture *f = *state;
    static const char *const who[][2] = {
        { ALICE, ALICE_PW }, { BOB, BOB_PW }, { LONG, LONG_PW }, { ALICE, ALICE_PW },
        { BOB, BOB_PW },     { LONG, LONG_PW }, { ALICE, ALICE_PW }, { BOB, BOB_PW },
    };
    enum { N = sizeof who / sizeof who[0] };
    char req[4096], resp[8192];
    conn c[N];
    for (int i = 0; i < N; i++) {
        login_request(req, sizeof req, who[i][0], who[i][1]);
        c[i] = conn_open(f, "127.0.7.1");
        conn_write(&c[i], req);
    }
    char *issued[N];
    for (int i = 0; i < N; i++) {
        read_reply(&c[i], resp, sizeof resp);
        conn_close(&c[i]);
        issued[i] = assert_success_reply(resp);
    }
    loop_stop(f);
    for (int i = 0; i < N; i++) {
        assert_int_equal(tickets_consume(f->tk, issued[i], who[i][0]), 0);
        free(issued[i]);
    }
}

/* A successful login clears the account's counter. */
static void test_success_resets_account_counter(void **state)
{
    fixture *f = *state;
    char resp[8192];
    assert_int_equal(login(f, "127.0.3.1", ALICE, "x", resp, sizeof resp), 401);
    assert_int_equal(login(f, "127.0.3.2", ALICE, "x", resp, sizeof resp), 401);
    assert_int_equal(login(f, "127.0.3.3", ALICE, ALICE_PW, resp, sizeof resp), 200);
    free(assert_success_reply(resp));
    assert_int_equal(login(f, "127.0.3.4", ALICE, "x", resp, sizeof resp), 401);
    assert_int_equal(login(f, "127.0.3.5", ALICE, "x", resp, sizeof resp), 401);
    assert_int_equal(login(f, "127.0.3.6", ALICE, ALICE_PW, resp, sizeof resp), 200);
    free(assert_success_reply(resp));
}

/* ---- other resources ----------------------------------------------------- */

static void test_not_found_and_methods(void **state)
{
    fixture *f = *state;
    char resp[8192];
    const char *missing[] = {
        "GET / HTTP/1.0\r\n\r\n",
        "GET /login2.srf/x HTTP/1.0\r\n\r\n",
        "GET /rdr/pprdr.aspx HTTP/1.0\r\n\r\n",
        "GET /../../etc/passwd HTTP/1.0\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
        exchange(f, NULL, missing[i], resp, sizeof resp);
        assert_int_equal(status_of(resp), 404);
    }
    exchange(f, NULL, "POST /login2.srf HTTP/1.0\r\nContent-Length: 0\r\n\r\n", resp,
             sizeof resp);
    assert_int_equal(status_of(resp), 501);
    exchange(f, NULL, "BREW /rdr/pprdr.asp HTTP/1.0\r\n\r\n", resp, sizeof resp);
    assert_true(resp[0] == '\0' || status_of(resp) >= 400);
}

/* ---- lifetime ------------------------------------------------------------ */

/* A client that leaves while its password is being checked: the reply
 * goes nowhere and nothing is touched after it is freed (ASan). */
static void test_client_leaves_during_check(void **state)
{
    fixture *f = *state;
    char req[4096], resp[8192];
    char src[32];
    for (int i = 0; i < 5; i++) {
        /* Separate addresses and accounts keep the rate limits out of it. */
        login_request(req, sizeof req, i % 2 ? ALICE : "ghost@example.com", ALICE_PW);
        snprintf(src, sizeof src, "127.0.4.%d", 10 + i);
        conn c = conn_open(f, src);
        conn_write(&c, req);
        conn_close(&c);
    }
    /* With one hashing thread, jobs finish in order: this reply means all
     * of the above were answered. */
    assert_int_equal(login(f, "127.0.4.2", BOB, BOB_PW, resp, sizeof resp), 200);
    free(assert_success_reply(resp));
}

/* Freeing the server while checks are running or queued: the running one
 * completes, the queued ones are cancelled, everything is released. */
static void test_free_with_checks_pending(void **state)
{
    fixture *f = *state;
    /* Slow dummy hashes for unknown accounts, so checks are still busy. */
    set_opt(f, "argon2-ops", "3");
    set_opt(f, "argon2-mem-kib", "65536");
    server_start(f);
    char req[4096];
    conn c[3];
    for (int i = 0; i < 3; i++) {
        login_request(req, sizeof req, "ghost@example.com", "pw");
        c[i] = conn_open(f, "127.0.5.1");
        conn_write(&c[i], req);
    }
    struct timespec pause = { 0, 200 * 1000 * 1000 };
    nanosleep(&pause, NULL);
    loop_stop(f);
    server_free(f);
    for (int i = 0; i < 3; i++)
        conn_close(&c[i]);
}

/* ---- plain HTTP ---------------------------------------------------------- */

static void test_plain_http_on_loopback(void **state)
{
    fixture *f = *state;
    set_opt(f, "plain-login", "true");
    server_start(f);
    assert_null(passport_server_fingerprint(f->ps));
    char resp[8192], host[64];
    bound_host(f, host, sizeof host);
    exchange(f, NULL, "GET /rdr/pprdr.asp HTTP/1.0\r\n\r\n", resp, sizeof resp);
    assert_nexus_reply(f, resp, host);
    assert_int_equal(login(f, NULL, ALICE, ALICE_PW, resp, sizeof resp), 200);
    free(assert_success_reply(resp));
}

static void test_plain_http_refused_off_loopback(void **state)
{
    fixture *f = *state;
    set_opt(f, "plain-login", "true");
    set_opt(f, "login-listen", "0.0.0.0:0");
    char *err = NULL;
    assert_null(passport_server_new(f->base, &f->cfg, f->tk, &err));
    assert_non_null(err);
    assert_non_null(strstr(err, "loopback"));
    free(err);
}

/* Bound to a wildcard address, the nexus announces the Host the client
 * used (when it is a plain host[:port]); TLS is served as usual. */
static void test_wildcard_bind_announces_host(void **state)
{
    fixture *f = *state;
    set_opt(f, "login-listen", "0.0.0.0:0");
    char *err = NULL;
    f->ps = passport_server_new(f->base, &f->cfg, f->tk, &err);
    assert_non_null(f->ps);
    const char *addr = passport_server_address(f->ps);
    assert_memory_equal(addr, "0.0.0.0:", 8);
    f->port = (unsigned)atoi(addr + 8);
    f->tls = true;
    char cert[128];
    snprintf(cert, sizeof cert, "%s/" TLS_CERT_FILE, data_dir);
    f->client = SSL_CTX_new(TLS_client_method());
    assert_int_equal(SSL_CTX_load_verify_locations(f->client, cert, NULL), 1);
    SSL_CTX_set_verify(f->client, SSL_VERIFY_PEER, NULL);
    loop_start(f);

    char resp[8192];
    exchange(f, NULL, "GET /rdr/pprdr.asp HTTP/1.1\r\nHost: msgr.example.org:8443\r\n\r\n",
             resp, sizeof resp);
    assert_nexus_reply(f, resp, "msgr.example.org:8443");
    /* A Host that is not a plain host[:port] is not echoed. */
    exchange(f, NULL, "GET /rdr/pprdr.asp HTTP/1.1\r\nHost: a,b\r\n\r\n", resp, sizeof resp);
    assert_nexus_reply(f, resp, addr);
}

static void test_fingerprint_matches_certificate(void **state)
{
    fixture *f = *state;
    char cert[128], fp[TLS_FINGERPRINT_SIZE];
    snprintf(cert, sizeof cert, "%s/" TLS_CERT_FILE, data_dir);
    assert_int_equal(tls_fingerprint_file(cert, fp, NULL), 0);
    assert_non_null(passport_server_fingerprint(f->ps));
    assert_string_equal(passport_server_fingerprint(f->ps), fp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_nexus_http11, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nexus_http10_without_host, setup, teardown),
        cmocka_unit_test_setup_teardown(test_http09_is_served, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nexus_announces_login_host, setup_unstarted, teardown),
        cmocka_unit_test_setup_teardown(test_bad_login_host_is_refused, setup_unstarted, teardown),
        cmocka_unit_test_setup_teardown(test_login_success, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_ticket_redeems_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_wrong_password, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_unknown_account, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_without_or_with_bad_authorization, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_truncated_password, setup_unstarted, teardown),
        cmocka_unit_test_setup_teardown(test_rate_limit_per_account, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rate_limit_per_address, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rate_limit_holds_for_simultaneous_attempts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_simultaneous_good_logins_succeed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_success_resets_account_counter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_found_and_methods, setup, teardown),
        cmocka_unit_test_setup_teardown(test_client_leaves_during_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_free_with_checks_pending, setup_unstarted, teardown),
        cmocka_unit_test_setup_teardown(test_plain_http_on_loopback, setup_unstarted, teardown),
        cmocka_unit_test_setup_teardown(test_plain_http_refused_off_loopback, setup_unstarted,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_wildcard_bind_announces_host, setup_unstarted,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fingerprint_matches_certificate, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
