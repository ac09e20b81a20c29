/*
 * https.h - a minimal non-blocking HTTP/1.1 GET client over OpenSSL (or
 * plain TCP) on the bench loop, enough for the Passport 1.4 nexus and
 * login requests (msnp.md 2.6): one request per connection, the response
 * head kept for the caller, the body (always empty from Passport)
 * skipped.
 *
 * TLS sessions: with a session cache (https_tls_new's resume flag) each
 * new connection offers the most recent session, so a run of logins pays
 * for one full handshake and then resumes, as the browsers' WinInet stack
 * of the era did.
 */
#ifndef BENCH_HTTPS_H
#define BENCH_HTTPS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

#include "loop.h"

typedef struct https_tls https_tls;
typedef struct https_req https_req;

/* Client TLS settings. insecure: no certificate check (the self-signed
 * certificate of a test server). Otherwise cafile (PEM) must be given and
 * the chain is verified against it (the host name is not: the server is
 * addressed by IP). Returns NULL with a message in err on failure. */
https_tls *https_tls_new(bool insecure, const char *cafile, bool resume, char *err,
                         size_t errlen);
void https_tls_free(https_tls *t);
/* Full handshakes and resumed ones so far. */
void https_tls_counts(const https_tls *t, unsigned long *full, unsigned long *resumed);

/* Called once: status is the HTTP status code, or -1 when the exchange
 * failed (connect, TLS, malformed or missing response). head/len is the
 * response head (status line and headers, CR LF separated), valid during
 * the call only; NULL on failure. */
typedef void (*https_done_cb)(void *ud, int status, const char *head, size_t len);

/* Sends request (the complete request text, copied) to dst; tls NULL
 * means plain HTTP. Returns NULL if the connection could not be started
 * (cb is then not called). */
https_req *https_get(bench_loop *l, https_tls *tls, const struct sockaddr_in *dst,
                     unsigned source, unsigned nsources, const char *request,
                     https_done_cb cb, void *ud);
/* Abandons a request; cb is not called. */
void https_cancel(https_req *r);

/* The value of header name (case-insensitive) in a response head, and its
 * length in *vlen; NULL if absent. Points into head. */
const char *https_header(const char *head, size_t len, const char *name, size_t *vlen);

#endif
