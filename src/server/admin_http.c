/* admin_http.c - the token-authenticated admin endpoint (admin_http.h). */
#include "admin_http.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sodium.h>

#include "alerts.h"
#include "config.h"
#include "lockkey.h"
#include "log.h"
#include "server.h"
#include "strmap.h"

#define ADMIN_MAX_BODY 8192
#define ADMIN_TOKEN_FILE "admin-token"
#define ADMIN_ADDRESS_FILE "admin-address"

struct admin_server {
    server *srv;
    struct evhttp *http;
    char token[65];
    char address[96];
};

/* ------------------------------------------------------------- token */

static char *data_path(const char *data_dir, const char *file)
{
    size_t n = strlen(data_dir) + strlen(file) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", data_dir, file);
    return p;
}

static int read_token(const char *path, char out[65])
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[128];
    int rc = -1;
    if (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strlen(line) == 64) {
            memcpy(out, line, 65);
            rc = 0;
        }
    }
    fclose(f);
    return rc;
}

static int write_token(const char *path, char out[65])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, 65, raw, sizeof raw);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return errno == EEXIST ? read_token(path, out) : -1;
    char line[66];
    snprintf(line, sizeof line, "%s\n", out);
    ssize_t w = write(fd, line, strlen(line));
    close(fd);
    return w == (ssize_t)strlen(line) ? 0 : -1;
}

int admin_token_load(const char *data_dir, int create, char out[65])
{
    char *path = data_path(data_dir, ADMIN_TOKEN_FILE);
    if (!path)
        return -1;
    int rc = read_token(path, out);
    if (rc != 0 && create)
        rc = write_token(path, out);
    free(path);
    return rc;
}

/* Records where the endpoint listens, for `msgrd alert send`. */
static int write_address(const char *data_dir, const char *address)
{
    char *path = data_path(data_dir, ADMIN_ADDRESS_FILE);
    if (!path)
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    free(path);
    if (fd < 0)
        return -1;
    char line[128];
    snprintf(line, sizeof line, "%s\n", address);
    ssize_t w = write(fd, line, strlen(line));
    close(fd);
    return w == (ssize_t)strlen(line) ? 0 : -1;
}

int admin_address_load(const char *data_dir, char *out, size_t len)
{
    char *path = data_path(data_dir, ADMIN_ADDRESS_FILE);
    FILE *f = path ? fopen(path, "r") : NULL;
    free(path);
    if (!f)
        return -1;
    int rc = fgets(out, (int)len, f) ? 0 : -1;
    fclose(f);
    out[strcspn(out, "\r\n")] = '\0';
    return rc == 0 && out[0] ? 0 : -1;
}

/* ---------------------------------------------------------- requests */

static void reply(struct evhttp_request *req, int code, const char *reason, const char *text)
{
    struct evbuffer *body = evbuffer_new();
    if (body)
        evbuffer_add_printf(body, "%s\n", text);
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
                      "text/plain; charset=UTF-8");
    evhttp_send_reply(req, code, reason, body);
    if (body)
        evbuffer_free(body);
}

static bool authorized(admin_server *a, struct evhttp_request *req)
{
    const char *h = evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization");
    if (!h || strncmp(h, "Bearer ", 7) != 0 || strlen(h + 7) != 64)
        return false;
    return sodium_memcmp(h + 7, a->token, 64) == 0;
}

/* Copies the request body (bounded) as a NUL-terminated string. */
static char *body_text(struct evhttp_request *req)
{
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t n = evbuffer_get_length(in);
    if (n > ADMIN_MAX_BODY)
        return NULL;
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    evbuffer_copyout(in, s, n);
    s[n] = '\0';
    return s;
}

/* Parses the form fields of a POST into *fields; false after answering
 * 405 or 400. */
static bool post_fields(struct evhttp_request *req, struct evkeyvalq *fields)
{
    if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
        reply(req, 405, "Method Not Allowed", "use POST");
        return false;
    }
    char *body = body_text(req);
    bool ok = body && evhttp_parse_query_str(body, fields) == 0;
    free(body);
    if (!ok) {
        evhttp_clear_headers(fields);
        reply(req, 400, "Bad Request", "form fields expected");
    }
    return ok;
}

static void handle_alert(admin_server *a, struct evhttp_request *req)
{
    struct evkeyvalq fields = { 0 };
    if (!post_fields(req, &fields))
        return;
    const char *user = evhttp_find_header(&fields, "user");
    const char *text = evhttp_find_header(&fields, "text");
    const char *url = evhttp_find_header(&fields, "url");
    if (!user || !text || !*text) {
        reply(req, 400, "Bad Request", "user and text are required");
    } else {
        switch (alerts_deliver(a->srv, user, text, url)) {
        case ALERT_DELIVERED:
            log_info("admin: alert delivered to %s", user);
            reply(req, 200, "OK", "delivered");
            break;
        case ALERT_NOT_SIGNED_IN:
            reply(req, 404, "Not Found", "user not signed in");
            break;
        case ALERT_INVALID:
            reply(req, 400, "Bad Request", "text or url not acceptable (UTF-8, no control characters, at most 1024 bytes of body)");
            break;
        case ALERT_FAILED:
            reply(req, 500, "Internal Server Error", "delivery failed");
            break;
        }
    }
    evhttp_clear_headers(&fields);
}

static void handle_lk_challenge(admin_server *a, struct evhttp_request *req)
{
    struct evkeyvalq fields = { 0 };
    if (!post_fields(req, &fields))
        return;
    const char *user = evhttp_find_header(&fields, "user");
    switch (user ? lockkey_push_challenge(a->srv, user) : LOCKKEY_NOT_SIGNED_IN) {
    case LOCKKEY_PUSHED:
        log_info("admin: Lock and Key challenge pushed to %s", user);
        reply(req, 200, "OK", "challenge pushed");
        break;
    case LOCKKEY_NOT_SIGNED_IN:
        reply(req, 404, "Not Found", "user not signed in");
        break;
    case LOCKKEY_NOT_SUBSCRIBED:
        reply(req, 409, "Conflict", "the user's client did not subscribe to Lock and Key (LKS)");
        break;
    case LOCKKEY_OFF:
        reply(req, 409, "Conflict", "Lock and Key is switched off");
        break;
    case LOCKKEY_PUSH_FAILED:
        reply(req, 500, "Internal Server Error", "push failed");
        break;
    }
    evhttp_clear_headers(&fields);
}

static void handle_lk_enable(admin_server *a, struct evhttp_request *req)
{
    struct evkeyvalq fields = { 0 };
    if (!post_fields(req, &fields))
        return;
    const char *v = evhttp_find_header(&fields, "enabled");
    if (!v || (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)) {
        reply(req, 400, "Bad Request", "enabled=on or enabled=off expected");
    } else {
        char text[64];
        size_t told = lockkey_set_enabled(a->srv, !strcmp(v, "on"));
        snprintf(text, sizeof text, "lock-and-key %s, %zu sessions told", v, told);
        reply(req, 200, "OK", text);
    }
    evhttp_clear_headers(&fields);
}

static void handle_status(admin_server *a, struct evhttp_request *req)
{
    char text[64];
    snprintf(text, sizeof text, "online %zu", strmap_count(a->srv->online));
    reply(req, 200, "OK", text);
}

static void on_request(struct evhttp_request *req, void *arg)
{
    admin_server *a = arg;
    if (!authorized(a, req)) {
        reply(req, 401, "Unauthorized", "bad or missing admin token");
        return;
    }
    const char *uri = evhttp_request_get_uri(req);
    const struct evhttp_uri *parsed = evhttp_request_get_evhttp_uri(req);
    const char *path = parsed ? evhttp_uri_get_path(parsed) : uri;
    if (path && !strcmp(path, "/alert"))
        handle_alert(a, req);
    else if (path && !strcmp(path, "/status"))
        handle_status(a, req);
    else if (path && !strcmp(path, "/lock-and-key/challenge"))
        handle_lk_challenge(a, req);
    else if (path && !strcmp(path, "/lock-and-key"))
        handle_lk_enable(a, req);
    else
        reply(req, 404, "Not Found", "unknown resource");
}

/* ------------------------------------------------------------ set-up */

admin_server *admin_server_new(server *srv, char **err)
{
    *err = NULL;
    char *host = NULL;
    unsigned port;
    if (config_split_hostport(srv->cfg->admin_listen, &host, &port) != 0) {
        *err = strdup("--admin-listen is not HOST:PORT");
        return NULL;
    }
    admin_server *a = calloc(1, sizeof *a);
    if (!a || admin_token_load(srv->cfg->data_dir, 1, a->token) != 0) {
        free(host);
        free(a);
        *err = strdup("cannot read or create the admin token file");
        return NULL;
    }
    a->srv = srv;
    a->http = evhttp_new(srv->base);
    struct evhttp_bound_socket *bound = a->http ? evhttp_bind_socket_with_handle(a->http, host, (uint16_t)port) : NULL;
    if (!bound) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot listen on %s", srv->cfg->admin_listen);
        *err = strdup(msg);
        free(host);
        admin_server_free(a);
        return NULL;
    }
    evhttp_set_max_body_size(a->http, ADMIN_MAX_BODY);
    evhttp_set_max_headers_size(a->http, 8192);
    evhttp_set_timeout(a->http, 30);
    evhttp_set_allowed_methods(a->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST);
    evhttp_set_gencb(a->http, on_request, a);
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    evutil_socket_t fd = evhttp_bound_socket_get_fd(bound);
    unsigned bport = port;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
        bport = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                                         : ntohs(((struct sockaddr_in *)&ss)->sin_port);
    snprintf(a->address, sizeof a->address, strchr(host, ':') ? "[%s]:%u" : "%s:%u", host, bport);
    free(host);
    if (write_address(srv->cfg->data_dir, a->address) != 0)
        log_warn("admin: cannot write %s/%s", srv->cfg->data_dir, ADMIN_ADDRESS_FILE);
    return a;
}

const char *admin_server_address(const admin_server *a)
{
    return a->address;
}

void admin_server_free(admin_server *a)
{
    if (!a)
        return;
    if (a->http)
        evhttp_free(a->http);
    sodium_memzero(a->token, sizeof a->token);
    free(a);
}
