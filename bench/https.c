/* https.c - non-blocking HTTP(S) GET for Passport requests (https.h). */
#include "https.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "net.h"

/* Largest response head accepted. */
#define HTTPS_MAX_RESPONSE 16384
/* Body bytes skipped at most (Passport sends none). */
#define HTTPS_MAX_BODY 65536

struct https_tls {
    SSL_CTX *ctx;
    bool resume;
    SSL_SESSION *session;   /* most recent resumable session */
    unsigned long full, resumed;
};

typedef enum req_state { RQ_CONNECT, RQ_HANDSHAKE, RQ_WRITE, RQ_READ } req_state;

struct https_req {
    bench_loop *loop;
    loop_handle h;
    int fd;
    bool dead;
    req_state state;
    https_tls *tls;
    SSL *ssl;
    char *request;
    size_t req_len, req_off;
    char resp[HTTPS_MAX_RESPONSE + 1];
    size_t resp_len;
    size_t head_len;        /* 0 until the blank line was seen */
    size_t body_want;       /* Content-Length */
    size_t body_got;        /* body bytes seen (not kept) */
    bool have_length;
    https_done_cb cb;
    void *ud;
};

https_tls *https_tls_new(bool insecure, const char *cafile, bool resume, char *err, size_t errlen)
{
    https_tls *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    t->resume = resume;
    t->ctx = SSL_CTX_new(TLS_client_method());
    if (!t->ctx) {
        snprintf(err, errlen, "SSL_CTX_new failed");
        free(t);
        return NULL;
    }
    SSL_CTX_set_session_cache_mode(t->ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL);
    if (insecure) {
        SSL_CTX_set_verify(t->ctx, SSL_VERIFY_NONE, NULL);
        return t;
    }
    if (!cafile || SSL_CTX_load_verify_locations(t->ctx, cafile, NULL) != 1) {
        snprintf(err, errlen, "%s", cafile ? "cannot load --cafile" : "give --cafile FILE or --insecure");
        SSL_CTX_free(t->ctx);
        free(t);
        return NULL;
    }
    SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, NULL);
    return t;
}

void https_tls_free(https_tls *t)
{
    if (!t)
        return;
    SSL_SESSION_free(t->session);
    SSL_CTX_free(t->ctx);
    free(t);
}

void https_tls_counts(const https_tls *t, unsigned long *full, unsigned long *resumed)
{
    *full = t ? t->full : 0;
    *resumed = t ? t->resumed : 0;
}

const char *https_header(const char *head, size_t len, const char *name, size_t *vlen)
{
    size_t nlen = strlen(name);
    const char *end = head + len;
    /* Header lines start after a LF; the status line is skipped. */
    for (const char *p = memchr(head, '\n', len); p && p < end; p = memchr(p, '\n', (size_t)(end - p))) {
        p++;
        if ((size_t)(end - p) > nlen && p[nlen] == ':' && strncasecmp(p, name, nlen) == 0) {
            const char *v = p + nlen + 1;
            while (v < end && (*v == ' ' || *v == '\t'))
                v++;
            const char *e = v;
            while (e < end && *e != '\r' && *e != '\n')
                e++;
            *vlen = (size_t)(e - v);
            return v;
        }
    }
    return NULL;
}

static void req_destroy(void *p)
{
    https_req *r = p;
    if (r->ssl)
        SSL_free(r->ssl);
    free(r->request);
    free(r);
}

/* Unregisters and closes; memory goes at the end of the loop iteration. */
static void req_end(https_req *r)
{
    if (r->dead)
        return;
    r->dead = true;
    loop_del(r->loop, r->fd);
    close(r->fd);
    loop_defer_free(r->loop, r, req_destroy);
}

/* Reports the outcome once and ends the request. */
static void req_finish(https_req *r, bool ok)
{
    if (r->dead)
        return;
    if (ok && r->ssl && r->tls->resume) {
        SSL_SESSION *s = SSL_get1_session(r->ssl);
        if (s && SSL_SESSION_is_resumable(s)) {
            SSL_SESSION_free(r->tls->session);
            r->tls->session = s;
        } else {
            SSL_SESSION_free(s);
        }
    }
    /* A connection that ends without close_notify makes OpenSSL mark its
     * session not resumable when it is freed; after a complete exchange
     * that is not a failure, so say the shutdown happened. */
    if (ok && r->ssl)
        SSL_set_shutdown(r->ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    int status = -1;
    if (ok && r->head_len && sscanf(r->resp, "HTTP/%*d.%*d %d", &status) != 1)
        status = -1;
    https_done_cb cb = r->cb;
    void *ud = r->ud;
    r->resp[r->head_len] = '\0';
    const char *head = status >= 0 ? r->resp : NULL;
    size_t hlen = r->head_len;
    /* The callback may start new requests: end this one first, its
     * buffer stays readable until the deferred free. */
    req_end(r);
    cb(ud, status, head, hlen);
}

void https_cancel(https_req *r)
{
    req_end(r);
}

static void set_events(https_req *r, uint32_t ev)
{
    loop_mod(r->loop, r->fd, ev, &r->h);
}

/* Maps an SSL_ERROR_WANT_* to the events to wait for; false on a real
 * failure. */
static bool ssl_wait(https_req *r, int ret)
{
    int e = SSL_get_error(r->ssl, ret);
    if (e == SSL_ERROR_WANT_READ) {
        set_events(r, EPOLLIN);
        return true;
    }
    if (e == SSL_ERROR_WANT_WRITE) {
        set_events(r, EPOLLOUT);
        return true;
    }
    ERR_clear_error();
    return false;
}

/* Looks for the end of the head and its Content-Length. */
static void scan_head(https_req *r)
{
    r->resp[r->resp_len] = '\0';
    const char *end = strstr(r->resp, "\r\n\r\n");
    if (!end)
        return;
    r->head_len = (size_t)(end - r->resp) + 4;
    size_t vlen = 0;
    const char *cl = https_header(r->resp, r->head_len, "Content-Length", &vlen);
    if (cl) {
        r->have_length = true;
        r->body_want = (size_t)strtoul(cl, NULL, 10);
    }
}

/* True when the response is complete (head plus announced body), or the
 * body passed the skip bound. */
static bool response_done(const https_req *r)
{
    if (!r->head_len)
        return false;
    return (r->have_length && r->body_got >= r->body_want) || r->body_got > HTTPS_MAX_BODY;
}

/* Reads one chunk; returns >0 bytes, 0 at EOF, -1 to wait, -2 on error. */
static long req_recv(https_req *r, char *buf, size_t cap)
{
    if (!r->ssl) {
        ssize_t n = read(r->fd, buf, cap);
        if (n >= 0)
            return (long)n;
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? -1 : -2;
    }
    int n = SSL_read(r->ssl, buf, (int)cap);
    if (n > 0)
        return n;
    int e = SSL_get_error(r->ssl, n);
    if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && n == 0)) {
        ERR_clear_error();
        return 0;
    }
    return ssl_wait(r, n) ? -1 : -2;
}

/* Reads the head into resp and counts (and drops) body bytes. */
static void req_read(https_req *r)
{
    char scratch[4096];
    for (int i = 0; i < 64 && !r->dead; i++) {
        bool in_head = r->head_len == 0;
        size_t cap = in_head ? HTTPS_MAX_RESPONSE - r->resp_len : sizeof scratch;
        if (cap == 0) {
            req_finish(r, false);
            return;
        }
        long n = req_recv(r, in_head ? r->resp + r->resp_len : scratch, cap);
        if (n == -1)
            return;
        if (n <= 0) {
            /* EOF ends a response without Content-Length. */
            req_finish(r, n == 0 && r->head_len > 0);
            return;
        }
        if (in_head) {
            r->resp_len += (size_t)n;
            scan_head(r);
            if (r->head_len)
                r->body_got = r->resp_len - r->head_len;
        } else {
            r->body_got += (size_t)n;
        }
        if (response_done(r)) {
            req_finish(r, true);
            return;
        }
    }
}

static void req_write(https_req *r)
{
    while (r->req_off < r->req_len) {
        if (r->ssl) {
            int n = SSL_write(r->ssl, r->request + r->req_off, (int)(r->req_len - r->req_off));
            if (n <= 0) {
                if (!ssl_wait(r, n))
                    req_finish(r, false);
                return;
            }
            r->req_off += (size_t)n;
        } else {
            ssize_t n = write(r->fd, r->request + r->req_off, r->req_len - r->req_off);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                set_events(r, EPOLLOUT);
                return;
            }
            if (n <= 0) {
                req_finish(r, false);
                return;
            }
            r->req_off += (size_t)n;
        }
    }
    r->state = RQ_READ;
    set_events(r, EPOLLIN);
    req_read(r);
}

static void req_handshake(https_req *r)
{
    int ret = SSL_do_handshake(r->ssl);
    if (ret == 1) {
        if (SSL_session_reused(r->ssl))
            r->tls->resumed++;
        else
            r->tls->full++;
        r->state = RQ_WRITE;
        req_write(r);
        return;
    }
    if (!ssl_wait(r, ret))
        req_finish(r, false);
}

/* The TCP connect finished: start TLS or write the request. */
static void req_connected(https_req *r)
{
    if (net_connect_result(r->fd) != 0) {
        req_finish(r, false);
        return;
    }
    if (!r->tls) {
        r->state = RQ_WRITE;
        req_write(r);
        return;
    }
    r->ssl = SSL_new(r->tls->ctx);
    if (!r->ssl || SSL_set_fd(r->ssl, r->fd) != 1) {
        req_finish(r, false);
        return;
    }
    SSL_set_connect_state(r->ssl);
    if (r->tls->resume && r->tls->session)
        SSL_set_session(r->ssl, r->tls->session);
    r->state = RQ_HANDSHAKE;
    req_handshake(r);
}

static void req_event(void *ud, uint32_t events)
{
    https_req *r = ud;
    if (r->dead)
        return;
    (void)events;
    switch (r->state) {
    case RQ_CONNECT:
        req_connected(r);
        break;
    case RQ_HANDSHAKE:
        req_handshake(r);
        break;
    case RQ_WRITE:
        req_write(r);
        break;
    case RQ_READ:
        req_read(r);
        break;
    }
}

https_req *https_get(bench_loop *l, https_tls *tls, const struct sockaddr_in *dst,
                     unsigned source, unsigned nsources, const char *request,
                     https_done_cb cb, void *ud)
{
    https_req *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->request = strdup(request);
    r->fd = r->request ? net_connect(dst, source, nsources) : -1;
    if (r->fd < 0) {
        free(r->request);
        free(r);
        return NULL;
    }
    r->req_len = strlen(request);
    r->loop = l;
    r->tls = tls;
    r->cb = cb;
    r->ud = ud;
    r->h = (loop_handle){ req_event, r };
    if (loop_add(l, r->fd, EPOLLOUT, &r->h) != 0) {
        close(r->fd);
        free(r->request);
        free(r);
        return NULL;
    }
    return r;
}
