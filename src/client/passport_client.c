/*
 * passport_client.c - the Passport 1.4 exchange over HTTPS (msnp.md 2.6)
 * on libcurl's multi interface, so that it never blocks the caller's loop:
 *
 *   1. GET <nexus URL> -> PassportURLs: ...DALogin=host/path...
 *   2. GET https://<DALogin> with "Authorization: Passport1.4 ..." (built
 *      by the codec from the sign-in name, password and the USR TWN S
 *      challenge) -> 200 + Authentication-Info from-PP='ticket'
 *      | 401 (wrong password) | 302 Location (follow, a few times).
 *
 * Results: the ticket, or MSGR_E_CONNECT (no connection / TLS failure),
 * MSGR_E_INVALID_PASSWORD (401), MSGR_E_UNEXPECTED (anything else).
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/select.h>

#include "internal.h"
#include "msnp_passport.h"

#define PASSPORT_MAX_REDIRECTS 3
#define PASSPORT_TIMEOUT_S 30
#define PASSPORT_MAX_HEADER 4096

typedef enum pp_step { PP_IDLE, PP_NEXUS, PP_LOGIN } pp_step;

struct passport {
    CURLM *multi;
    CURL *easy;
    struct curl_slist *headers;
    pp_step step;
    int redirects;
    char *nexus_url, *ca_file;
    bool insecure;
    char *signin, *password, *challenge;
    char *login_url;
    /* headers captured from the current response */
    char *h_urls, *h_info, *h_www, *h_location;
};

static void wipe_free(char *s)
{
    if (!s)
        return;
    volatile char *v = s;
    while (*v)
        *v++ = '\0';
    free(s);
}

static void clear_response(passport *p)
{
    free(p->h_urls);
    free(p->h_info);
    free(p->h_www);
    free(p->h_location);
    p->h_urls = p->h_info = p->h_www = p->h_location = NULL;
}

passport *passport_new(const char *nexus_url, const char *ca_file,
                       bool insecure)
{
    passport *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->multi = curl_multi_init();
    p->nexus_url = msgr_strdup(nexus_url);
    p->ca_file = ca_file ? msgr_strdup(ca_file) : NULL;
    p->insecure = insecure;
    if (!p->multi || !p->nexus_url || (ca_file && !p->ca_file)) {
        passport_free(p);
        return NULL;
    }
    return p;
}

static void drop_easy(passport *p)
{
    if (p->easy) {
        curl_multi_remove_handle(p->multi, p->easy);
        curl_easy_cleanup(p->easy);
        p->easy = NULL;
    }
    curl_slist_free_all(p->headers);
    p->headers = NULL;
    clear_response(p);
}

void passport_cancel(passport *p)
{
    if (!p)
        return;
    drop_easy(p);
    p->step = PP_IDLE;
    wipe_free(p->password);
    free(p->signin);
    free(p->challenge);
    free(p->login_url);
    p->password = p->signin = p->challenge = p->login_url = NULL;
}

void passport_free(passport *p)
{
    if (!p)
        return;
    passport_cancel(p);
    if (p->multi)
        curl_multi_cleanup(p->multi);
    free(p->nexus_url);
    free(p->ca_file);
    free(p);
}

bool passport_active(const passport *p)
{
    return p && p->step != PP_IDLE;
}

/* Keeps the value of the headers we care about (the last one wins). */
static size_t on_header(char *data, size_t size, size_t n, void *ud)
{
    passport *p = ud;
    size_t len = size * n;
    static const struct { const char *name; size_t off; } wanted[] = {
        { "PassportURLs", offsetof(passport, h_urls) },
        { "Authentication-Info", offsetof(passport, h_info) },
        { "WWW-Authenticate", offsetof(passport, h_www) },
        { "Location", offsetof(passport, h_location) },
    };
    if (len > PASSPORT_MAX_HEADER)
        return len;
    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
        size_t nl = strlen(wanted[i].name);
        if (len <= nl || data[nl] != ':' ||
            strncasecmp(data, wanted[i].name, nl) != 0)
            continue;
        const char *v = data + nl + 1;
        const char *end = data + len;
        while (v < end && (*v == ' ' || *v == '\t'))
            v++;
        while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
            end--;
        char **slot = (char **)((char *)p + wanted[i].off);
        char *copy = malloc((size_t)(end - v) + 1);
        if (!copy)
            return 0; /* abort the transfer */
        memcpy(copy, v, (size_t)(end - v));
        copy[end - v] = '\0';
        free(*slot);
        *slot = copy;
    }
    return len;
}

static size_t discard_body(char *data, size_t size, size_t n, void *ud)
{
    (void)data;
    (void)ud;
    return size * n;
}

/* Starts one GET; authorization may be NULL. */
static int start_get(passport *p, const char *url, const char *authorization)
{
    drop_easy(p);
    p->easy = curl_easy_init();
    if (!p->easy)
        return -1;
    if (authorization) {
        size_t len = strlen(authorization) + sizeof "Authorization: ";
        char *h = malloc(len);
        if (!h)
            return -1;
        snprintf(h, len, "Authorization: %s", authorization);
        p->headers = curl_slist_append(NULL, h);
        wipe_free(h);
        if (!p->headers)
            return -1;
    }
    CURL *e = p->easy;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "MSMSGS");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L); /* redirects: by hand */
    curl_easy_setopt(e, CURLOPT_TIMEOUT, (long)PASSPORT_TIMEOUT_S);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, p);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard_body);
    if (p->headers)
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, p->headers);
    if (p->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, p->ca_file);
    if (p->insecure) {
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    return curl_multi_add_handle(p->multi, e) == CURLM_OK ? 0 : -1;
}

int passport_start(passport *p, const char *signin, const char *password,
                   const char *challenge)
{
    passport_cancel(p);
    p->signin = msgr_strdup(signin);
    p->password = msgr_strdup(password);
    p->challenge = msgr_strdup(challenge);
    p->redirects = 0;
    if (!p->signin || !p->password || !p->challenge ||
        start_get(p, p->nexus_url, NULL) != 0) {
        passport_cancel(p);
        return -1;
    }
    p->step = PP_NEXUS;
    return 0;
}

/* "https://" + DALogin (the nexus sends it without a scheme). */
static char *login_url_from(const char *login)
{
    size_t len = strlen(login) + sizeof "https://";
    char *url = malloc(len);
    if (url)
        snprintf(url, len, "https://%s", login);
    return url;
}

static int start_login(passport *p, const char *url)
{
    msnp_buf auth = MSNP_BUF_INIT;
    if (msnp_passport_auth_build(&auth, p->signin, p->password,
                                 p->challenge) != MSNP_OK) {
        msnp_buf_free(&auth);
        return -1;
    }
    int rc = start_get(p, url, auth.data);
    if (auth.data)
        memset(auth.data, 0, auth.len); /* it holds the password */
    msnp_buf_free(&auth);
    p->step = PP_LOGIN;
    return rc;
}

static msgr_hr nexus_done(passport *p, long status)
{
    if (status != 200 || !p->h_urls)
        return MSGR_E_UNEXPECTED;
    msnp_passport_nexus nx = { 0 };
    if (msnp_passport_urls_parse(p->h_urls, strlen(p->h_urls), &nx) != MSNP_OK)
        return MSGR_E_UNEXPECTED;
    free(p->login_url);
    p->login_url = login_url_from(nx.login);
    msnp_passport_nexus_free(&nx);
    if (!p->login_url || start_login(p, p->login_url) != 0)
        return MSGR_E_OUTOFMEMORY;
    return MSGR_S_OK;
}

/* Returns S_FALSE when another request was started (redirect). */
static msgr_hr login_done(passport *p, long status, char **ticket)
{
    if (status == 401)
        return MSGR_E_INVALID_PASSWORD;
    if ((status == 302 || status == 301) && p->h_location &&
        p->redirects++ < PASSPORT_MAX_REDIRECTS) {
        char *loc = msgr_strdup(p->h_location);
        int rc = loc ? start_login(p, loc) : -1;
        free(loc);
        return rc == 0 ? MSGR_S_FALSE : MSGR_E_OUTOFMEMORY;
    }
    if (status != 200 || !p->h_info)
        return MSGR_E_UNEXPECTED;
    msnp_passport_info info = { 0 };
    msgr_hr hr = MSGR_E_UNEXPECTED;
    if (msnp_passport_info_parse(p->h_info, strlen(p->h_info), &info) == MSNP_OK &&
        info.from_pp && info.da_status && strcmp(info.da_status, "success") == 0) {
        *ticket = msgr_strdup(info.from_pp);
        hr = *ticket ? MSGR_S_OK : MSGR_E_OUTOFMEMORY;
    }
    msnp_passport_info_free(&info);
    return hr;
}

/* Interprets a finished transfer. Returns 1 with *hr when the whole
 * exchange is over, 0 when the next request was started. */
static int transfer_done(passport *p, CURLcode result, msgr_hr *hr,
                         char **ticket)
{
    long status = 0;
    if (result != CURLE_OK) {
        *hr = MSGR_E_CONNECT;
        return 1;
    }
    curl_easy_getinfo(p->easy, CURLINFO_RESPONSE_CODE, &status);
    if (p->step == PP_NEXUS) {
        *hr = nexus_done(p, status);
        return MSGR_FAILED(*hr) ? 1 : 0;
    }
    *hr = login_done(p, status, ticket);
    return *hr == MSGR_S_FALSE ? 0 : 1;
}

int passport_poll(passport *p, msgr_hr *hr, char **ticket)
{
    *ticket = NULL;
    if (!passport_active(p))
        return 0;
    int running = 0;
    curl_multi_perform(p->multi, &running);
    int left = 0;
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(p->multi, &left)) != NULL) {
        if (msg->msg != CURLMSG_DONE || msg->easy_handle != p->easy)
            continue;
        if (transfer_done(p, msg->data.result, hr, ticket)) {
            passport_cancel(p);
            return 1;
        }
        curl_multi_perform(p->multi, &running); /* kick the next request */
    }
    return 0;
}

size_t passport_fds(passport *p, msgr_pollfd *fds, size_t cap)
{
    if (!passport_active(p))
        return 0;
    fd_set r, w, x;
    int maxfd = -1;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&x);
    if (curl_multi_fdset(p->multi, &r, &w, &x, &maxfd) != CURLM_OK)
        return 0;
    size_t n = 0;
    for (int fd = 0; fd <= maxfd; fd++) {
        short ev = (short)((FD_ISSET(fd, &r) || FD_ISSET(fd, &x) ? MSGR_POLL_IN : 0) |
                           (FD_ISSET(fd, &w) ? MSGR_POLL_OUT : 0));
        if (!ev)
            continue;
        if (n < cap) {
            fds[n].fd = fd;
            fds[n].events = ev;
        }
        n++;
    }
    return n;
}

long passport_timeout_ms(passport *p)
{
    long t = -1;
    if (!passport_active(p))
        return -1;
    curl_multi_timeout(p->multi, &t);
    /* libcurl may have work without a socket yet (resolving, connecting):
     * make sure we come back soon rather than sleeping forever. */
    if (t < 0 || t > 100)
        t = 100;
    return t;
}
