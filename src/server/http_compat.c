/*
 * http_compat.c - HTTP/0.9 request lines for evhttp (http_compat.h).
 *
 * Why a buffer callback: evhttp creates and owns the connection's
 * bufferevent and parses straight from its input buffer; a filtering
 * bufferevent cannot sit in front of it (evhttp sets the socket on the
 * bufferevent it is given). An evbuffer callback, though, runs as soon as
 * decrypted bytes are added to the input buffer, before the bufferevent
 * tells evhttp that there is something to read, so the first line can be
 * completed in place. The callback carries no state: it removes itself
 * once the first line is complete (or too long to be one).
 */
#include "http_compat.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static void on_input(struct evbuffer *in, const struct evbuffer_cb_info *info, void *arg);

/* "METHOD /target" with one space and no version; token characters only. */
static bool is_versionless(const char *line, size_t len)
{
    const char *sp = memchr(line, ' ', len);
    if (!sp || sp == line || sp + 1 >= line + len || sp[1] != '/')
        return false;
    if (memchr(sp + 1, ' ', (size_t)(line + len - sp - 1)))
        return false; /* a third token: a version, evhttp's business */
    for (const char *p = line; p < line + len; p++)
        if ((unsigned char)*p <= ' ' && p != sp)
            return false;
    for (const char *p = line; p < sp; p++)
        if (*p < 'A' || *p > 'Z')
            return false;
    return true;
}

/* Replaces the first line (len bytes plus its eol) with the HTTP/1.0 form. */
static void rewrite(struct evbuffer *in, const char *line, size_t len, size_t eol_len)
{
    char fixed[HTTP_COMPAT_MAX_LINE + 32];
    bool alone = evbuffer_get_length(in) == len + eol_len;
    /* With nothing after the line, the client sent HTTP/0.9: no headers
     * will follow, so the empty line that ends them is supplied too. */
    int n = snprintf(fixed, sizeof fixed, "%.*s HTTP/1.0\r\n%s", (int)len, line,
                     alone ? "\r\n" : "");
    if (n < 0 || (size_t)n >= sizeof fixed)
        return;
    evbuffer_drain(in, len + eol_len);
    evbuffer_prepend(in, fixed, (size_t)n);
}

static void on_input(struct evbuffer *in, const struct evbuffer_cb_info *info, void *arg)
{
    (void)arg;
    if (info->n_added == 0)
        return;
    size_t eol_len = 0;
    struct evbuffer_ptr eol = evbuffer_search_eol(in, NULL, &eol_len, EVBUFFER_EOL_CRLF);
    if (eol.pos < 0) {
        if (evbuffer_get_length(in) > HTTP_COMPAT_MAX_LINE)
            evbuffer_remove_cb(in, on_input, NULL);
        return; /* the line is not complete yet */
    }
    /* First removal, then edits: the edits run the callbacks again. */
    evbuffer_remove_cb(in, on_input, NULL);
    size_t len = (size_t)eol.pos;
    if (len == 0 || len > HTTP_COMPAT_MAX_LINE)
        return;
    char line[HTTP_COMPAT_MAX_LINE];
    if (evbuffer_copyout(in, line, len) != (ev_ssize_t)len)
        return;
    if (is_versionless(line, len))
        rewrite(in, line, len, eol_len);
}

int http_compat_watch_buffer(struct evbuffer *in)
{
    return in && evbuffer_add_cb(in, on_input, NULL) ? 0 : -1;
}

int http_compat_watch(struct bufferevent *bev)
{
    return bev ? http_compat_watch_buffer(bufferevent_get_input(bev)) : -1;
}
