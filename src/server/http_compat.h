/*
 * http_compat.h - lets evhttp serve the version-less request lines that
 * Messenger clients of the era sent to the nexus (msnp.md 2.6.1):
 * "GET /rdr/pprdr.asp" with HTTP/0.9 framing, which libevent's HTTP
 * server rejects as malformed.
 */
#ifndef MSGRD_HTTP_COMPAT_H
#define MSGRD_HTTP_COMPAT_H

#include <event2/buffer.h>
#include <event2/bufferevent.h>

/* Longest request line the rewriter looks at; a longer first line is left
 * to evhttp (which rejects it). */
#define HTTP_COMPAT_MAX_LINE 2048

/* Watches the first request line that arrives in bev's input buffer. A
 * line of exactly two tokens "METHOD /target" becomes
 * "METHOD /target HTTP/1.0" followed, when nothing else came with it, by
 * the empty line that ends the (absent) headers; then the watch ends. Any
 * other first line is left untouched. Call it on a new connection's
 * bufferevent before any byte is read. Returns 0 or -1 (no memory). */
int http_compat_watch(struct bufferevent *bev);

/* The same on a bare evbuffer (for tests): the rewrite happens inside the
 * buffer's callback as data is added. */
int http_compat_watch_buffer(struct evbuffer *in);

#endif
