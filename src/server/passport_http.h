/*
 * passport_http.h - msgrd's Passport 1.4 endpoint (msnp.md 2.6, 11.3):
 * the nexus and the login resource on one small HTTPS server (libevent
 * evhttp over bufferevent_openssl).
 *
 *   GET /rdr/pprdr.asp   200, PassportURLs with DALogin=<host>/login2.srf
 *                        (no scheme), Cache-Control: private.
 *   GET /login2.srf      the Authorization: Passport1.4 header is checked
 *                        against the store; 200 with Authentication-Info
 *                        and a fresh ticket (tickets.h), or 401 with
 *                        WWW-Authenticate da-status=failed.
 *   anything else        404 (methods other than GET and HEAD: 501).
 *
 * Paths are matched case-insensitively (the original servers were IIS) and
 * any query string is ignored. HTTP/1.0 requests and requests without a
 * Host header are served; HTTP/0.9 request lines (no version) are not:
 * evhttp rejects them with 400, and an HTTP/0.9 reply could not carry the
 * PassportURLs header anyway.
 *
 * DALogin is login-host when set; otherwise the bound address, except that
 * when bound to a wildcard address (0.0.0.0, ::) the nexus announces the
 * Host the client used, if it is a plain host[:port], since a wildcard is
 * not an address a client can reach.
 *
 * Password checks (argon2id, slow by design) run on a workq of
 * hash-threads threads, each with its own store handle; the reply is sent
 * when the check completes. Unknown accounts are checked against a dummy
 * hash so they take as long as known ones. Failed logins are limited per
 * account and per source address (login-fail-limit per login-fail-window;
 * IPv6 addresses count per /64): a blocked attempt gets 401 without any
 * hashing and still counts. The hashing thread consults the counters right
 * before it hashes and updates them right after, so attempts sent all at
 * once are each decided on the failures of those checked before them (at
 * most hash-threads attempts run on stale counts), while correct
 * passwords, which never count, all succeed. A successful login clears
 * its account's counter. At most PASSPORT_MAX_PENDING checks wait at a
 * time; beyond that requests get 503. One log line (info) per login
 * attempt: handle, address, result.
 *
 * TLS: the certificate and key of tls.h in data-dir, created on first
 * start. Plain HTTP (plain-login) is refused unless the bound address is
 * loopback.
 *
 * Everything but the password checks runs on the thread of the
 * event_base, which must have been
 * created after evthread_use_pthreads().
 */
#ifndef MSGRD_PASSPORT_HTTP_H
#define MSGRD_PASSPORT_HTTP_H

#include <event2/event.h>

#include "config.h"
#include "tickets.h"

typedef struct passport_server passport_server;

/* Password checks queued or running beyond which requests get 503. */
#define PASSPORT_MAX_PENDING 256
/* Seconds a connection may sit idle reading a request or writing a reply. */
#define PASSPORT_HTTP_TIMEOUT 30
/* Header bytes accepted per request. */
#define PASSPORT_MAX_HEADERS 8192
/* Keys each failure counter holds at most (accounts, addresses). */
#define PASSPORT_RATELIMIT_KEYS 100000
/* ru announced when the request carries none usable. */
#define PASSPORT_DEFAULT_RU "http://messenger.msn.com"
/* DARealm, echoed as srealm in failures. */
#define PASSPORT_REALM "Passport.Net"

/* Binds cfg->login_listen (port 0 = an ephemeral port), sets up TLS
 * (unless cfg->plain_login) and starts the hashing threads, which open
 * their own store handles on cfg->data_dir. base, cfg and tk are borrowed
 * and must outlive the server; tk receives the issued tickets. Logs the
 * listening address and the certificate fingerprint. Returns NULL with
 * *err (may be NULL) a malloc'd message (caller frees) on failure: bad
 * login-listen, bind failure, plain-login on a non-loopback address,
 * unusable login-host, certificate or key problems, out of memory. */
passport_server *passport_server_new(struct event_base *base, const msgrd_config *cfg,
                                     tickets *tk, char **err);

/* The address actually bound, "127.0.0.1:PORT" or "[::1]:PORT"; valid
 * until passport_server_free(). */
const char *passport_server_address(const passport_server *ps);

/* SHA-256 fingerprint of the certificate (tls.h format), or NULL when
 * serving plain HTTP; valid until passport_server_free(). */
const char *passport_server_fingerprint(const passport_server *ps);

/* Stops listening, answers every login still being checked (503 when its
 * check had not started), closes every connection and frees ps. Call on
 * the loop thread (or with the loop stopped). NULL is a no-op. */
void passport_server_free(passport_server *ps);

#endif
