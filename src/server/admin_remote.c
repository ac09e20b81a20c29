/* admin_remote.c - the administration commands that act on the running
 * service through its admin endpoint (admin_http.h):
 *   msgrd alert send USER TEXT [--url URL]   deliver an MSN Alert
 *   msgrd lock-and-key challenge USER         push an LKC challenge
 *   msgrd lock-and-key on|off                 switch Lock and Key, telling clients
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "admin.h"
#include "admin_http.h"
#include "msnp_buf.h"
#include "msnp_url.h"

static int remote_fail(const char *what, const char *msg)
{
    fprintf(stderr, "msgrd: %s: %s\n", what, msg);
    return 1;
}

static int connect_to(const char *hostport)
{
    char *host = NULL;
    unsigned port;
    if (config_split_hostport(hostport, &host, &port) != 0)
        return -1;
    char service[8];
    snprintf(service, sizeof service, "%u", port);
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
    int fd = -1;
    if (getaddrinfo(host, service, &hints, &res) == 0) {
        for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
            fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
            if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
                close(fd);
                fd = -1;
            }
        }
        freeaddrinfo(res);
    }
    free(host);
    return fd;
}

/* Form-encodes one field (the endpoint decodes it). */
static void add_field(msnp_buf *b, const char *name, const char *value)
{
    if (b->len)
        msnp_buf_append_char(b, '&');
    msnp_buf_appendf(b, "%s=", name);
    msnp_url_encode(b, value, strlen(value));
}

static int post(const char *what, const char *addr, const char *path, const char *token,
                const msnp_buf *form)
{
    int fd = connect_to(addr);
    if (fd < 0)
        return remote_fail(what, "cannot reach the admin endpoint (is msgrd serve running? see --admin-listen)");
    msnp_buf req = MSNP_BUF_INIT;
    msnp_buf_appendf(&req,
                     "POST %s HTTP/1.0\r\nAuthorization: Bearer %s\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n",
                     path, token, form->len);
    msnp_buf_append(&req, form->data, form->len);
    bool sent = write(fd, req.data, req.len) == (ssize_t)req.len;
    msnp_buf_free(&req);
    char resp[512];
    size_t got = 0;
    ssize_t n;
    while (sent && got < sizeof resp - 1 && (n = read(fd, resp + got, sizeof resp - 1 - got)) > 0)
        got += (size_t)n;
    close(fd);
    resp[got] = '\0';
    int code = 0;
    if (!sent || sscanf(resp, "HTTP/%*s %d", &code) != 1)
        return remote_fail(what, "no answer from the admin endpoint");
    if (code == 200)
        return 0;
    const char *body = strstr(resp, "\r\n\r\n");
    char msg[300];
    snprintf(msg, sizeof msg, "%d %s", code, body ? body + 4 : "");
    msg[strcspn(msg, "\n")] = '\0';
    return remote_fail(what, msg);
}

/* Finds the running service's admin endpoint and its token, then posts
 * form to path. what names the command in error messages. */
static int admin_call(const msgrd_config *cfg, const char *what, const char *path,
                      const msnp_buf *form)
{
    if (!strcmp(cfg->admin_listen, "off"))
        return remote_fail(what, "the admin endpoint is off (--admin-listen)");
    char token[65];
    if (admin_token_load(cfg->data_dir, 0, token) != 0)
        return remote_fail(what, "no admin token in the data directory (start msgrd serve once)");
    /* A fixed --admin-listen port is used as given; with port 0 (the
     * default) the running service recorded where it listens. */
    char addr[128], *host = NULL;
    unsigned port = 0;
    if (config_split_hostport(cfg->admin_listen, &host, &port) != 0)
        return remote_fail(what, "--admin-listen is not HOST:PORT");
    free(host);
    if (port != 0)
        snprintf(addr, sizeof addr, "%s", cfg->admin_listen);
    else if (admin_address_load(cfg->data_dir, addr, sizeof addr) != 0)
        return remote_fail(what, "no admin address in the data directory (is msgrd serve running?)");
    return post(what, addr, path, token, form);
}

int admin_alert(const msgrd_config *cfg, int argc, char **argv, const char *url)
{
    if (argc < 3 || strcmp(argv[0], "send") != 0)
        return remote_fail("alert", "usage: msgrd alert send USER TEXT [--url URL] [--data-dir DIR]");
    msnp_buf form = MSNP_BUF_INIT;
    add_field(&form, "user", argv[1]);
    add_field(&form, "text", argv[2]);
    if (url)
        add_field(&form, "url", url);
    int rc = admin_call(cfg, "alert", "/alert", &form);
    msnp_buf_free(&form);
    return rc;
}

int admin_lock_and_key(const msgrd_config *cfg, int argc, char **argv)
{
    const char *usage = "usage: msgrd lock-and-key challenge USER | lock-and-key on|off";
    msnp_buf form = MSNP_BUF_INIT;
    int rc;
    if (argc == 2 && !strcmp(argv[0], "challenge")) {
        add_field(&form, "user", argv[1]);
        rc = admin_call(cfg, "lock-and-key", "/lock-and-key/challenge", &form);
    } else if (argc == 1 && (!strcmp(argv[0], "on") || !strcmp(argv[0], "off"))) {
        add_field(&form, "enabled", argv[0]);
        rc = admin_call(cfg, "lock-and-key", "/lock-and-key", &form);
    } else {
        rc = remote_fail("lock-and-key", usage);
    }
    msnp_buf_free(&form);
    return rc;
}
