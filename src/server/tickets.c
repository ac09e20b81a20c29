/*
 * tickets.c - Passport tickets (tickets.h).
 *
 * Outstanding tickets sit in a strmap keyed by their t token and, at the
 * same time, in a doubly linked list in issue order. Because every ticket
 * of one set lives the same ttl, issue order is expiry order: purging
 * expired tickets and dropping the oldest at the cap both work from the
 * head of the list in O(1) per ticket. The strmap's unkeyed hash is fine
 * here: its keys are our own random tokens, never chosen by a client.
 */
#include "tickets.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "msnp_buf.h"
#include "msnp_passport.h"
#include "msnp_status.h"
#include "strmap.h"

/* Random bytes per token: 256 bits, TICKETS_TOKEN_LEN characters. */
#define TOKEN_RANDOM_BYTES 32

typedef struct ticket {
    struct ticket *prev, *next; /* issue order */
    int64_t expires;            /* valid while now < expires */
    char t[TICKETS_TOKEN_LEN + 1];
    char handle[];              /* lower-case */
} ticket;

struct tickets {
    strmap *by_token;      /* t token -> ticket */
    ticket *oldest, *newest;
    size_t count;
    size_t max;
    int64_t ttl;
    tickets_clock_fn clock;
    void *clock_ctx;
};

static int64_t monotonic_seconds(void *ctx)
{
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec;
}

static int64_t now(const tickets *tk)
{
    return tk->clock(tk->clock_ctx);
}

tickets *tickets_new(unsigned ttl_seconds)
{
    if (sodium_init() < 0)
        return NULL;
    tickets *tk = calloc(1, sizeof *tk);
    if (!tk)
        return NULL;
    tk->by_token = strmap_new();
    if (!tk->by_token) {
        free(tk);
        return NULL;
    }
    tk->max = TICKETS_DEFAULT_MAX;
    tk->ttl = ttl_seconds ? ttl_seconds : 1;
    tk->clock = monotonic_seconds;
    return tk;
}

/* ---- the issue-order list ----------------------------------------------- */

static void list_append(tickets *tk, ticket *t)
{
    t->next = NULL;
    t->prev = tk->newest;
    if (tk->newest)
        tk->newest->next = t;
    else
        tk->oldest = t;
    tk->newest = t;
}

static void list_unlink(tickets *tk, ticket *t)
{
    if (t->prev)
        t->prev->next = t->next;
    else
        tk->oldest = t->next;
    if (t->next)
        t->next->prev = t->prev;
    else
        tk->newest = t->prev;
}

/* Takes t out of both structures and frees it. */
static void ticket_drop(tickets *tk, ticket *t)
{
    strmap_remove(tk->by_token, t->t);
    list_unlink(tk, t);
    tk->count--;
    sodium_memzero(t->t, sizeof t->t);
    free(t);
}

static void purge_expired(tickets *tk, int64_t at)
{
    while (tk->oldest && tk->oldest->expires <= at)
        ticket_drop(tk, tk->oldest);
}

static void enforce_max(tickets *tk, size_t room)
{
    while (tk->oldest && tk->count + room > tk->max)
        ticket_drop(tk, tk->oldest);
}

void tickets_free(tickets *tk)
{
    if (!tk)
        return;
    while (tk->oldest)
        ticket_drop(tk, tk->oldest);
    strmap_free(tk->by_token);
    free(tk);
}

void tickets_set_clock(tickets *tk, tickets_clock_fn fn, void *ctx)
{
    tk->clock = fn ? fn : monotonic_seconds;
    tk->clock_ctx = fn ? ctx : NULL;
}

void tickets_set_max(tickets *tk, size_t max)
{
    tk->max = max ? max : 1;
    enforce_max(tk, 0);
}

size_t tickets_count(const tickets *tk)
{
    return tk->count;
}

/* ---- issue -------------------------------------------------------------- */

/* Appends one fresh random token to out. */
static int append_token(msnp_buf *out)
{
    unsigned char rnd[TOKEN_RANDOM_BYTES];
    randombytes_buf(rnd, sizeof rnd);
    int rc = msnp_passport_token_from_random(out, rnd, sizeof rnd);
    sodium_memzero(rnd, sizeof rnd);
    return rc;
}

/* Allocates a ticket for handle with a t token no outstanding ticket has
 * (a collision of 256-bit tokens will not happen, but checking is free). */
static ticket *ticket_alloc(tickets *tk, const char *handle, size_t hlen)
{
    ticket *t = malloc(sizeof *t + hlen + 1);
    if (!t)
        return NULL;
    for (size_t i = 0; i <= hlen; i++) {
        char c = handle[i];
        t->handle[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    msnp_buf b = MSNP_BUF_INIT;
    do {
        msnp_buf_reset(&b);
        if (append_token(&b) != MSNP_OK || b.len != TICKETS_TOKEN_LEN) {
            msnp_buf_free(&b);
            free(t);
            return NULL;
        }
    } while (strmap_get(tk->by_token, b.data));
    memcpy(t->t, b.data, TICKETS_TOKEN_LEN + 1);
    sodium_memzero(b.data, b.len);
    msnp_buf_free(&b);
    return t;
}

/* Builds "t=<t>&p=<fresh random p>" into a malloc'd string. */
static char *ticket_string(const ticket *t)
{
    msnp_buf p = MSNP_BUF_INIT, out = MSNP_BUF_INIT;
    char *s = NULL;
    if (append_token(&p) == MSNP_OK &&
        msnp_passport_ticket_build(&out, t->t, p.data) == MSNP_OK)
        s = msnp_buf_detach(&out, NULL);
    msnp_buf_free(&p);
    msnp_buf_free(&out);
    return s;
}

int tickets_issue(tickets *tk, const char *handle, char **ticket_out)
{
    if (!ticket_out)
        return -1;
    *ticket_out = NULL;
    size_t hlen = handle ? strlen(handle) : 0;
    if (hlen == 0 || hlen > TICKETS_MAX_HANDLE)
        return -1;

    int64_t at = now(tk);
    purge_expired(tk, at);
    enforce_max(tk, 1);

    ticket *t = ticket_alloc(tk, handle, hlen);
    if (!t)
        return -1;
    char *s = ticket_string(t);
    if (!s || strmap_put(tk->by_token, t->t, t) != 0) {
        free(s);
        free(t);
        return -1;
    }
    t->expires = at + tk->ttl;
    list_append(tk, t);
    tk->count++;
    *ticket_out = s;
    return 0;
}

/* ---- consume ------------------------------------------------------------ */

static bool handle_equal(const char *lower, const char *other)
{
    for (;; lower++, other++) {
        char c = *other;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (*lower != c)
            return false;
        if (c == '\0')
            return true;
    }
}

int tickets_consume(tickets *tk, const char *ticket_text, const char *handle)
{
    if (!ticket_text || !handle)
        return -1;
    int64_t at = now(tk);
    purge_expired(tk, at);

    msnp_passport_ticket parts;
    if (msnp_passport_ticket_split(ticket_text, strlen(ticket_text), &parts) != MSNP_OK)
        return -1;
    if (parts.t_len != TICKETS_TOKEN_LEN ||
        !msnp_passport_token_valid(parts.t, parts.t_len))
        return -1;
    char key[TICKETS_TOKEN_LEN + 1];
    memcpy(key, parts.t, TICKETS_TOKEN_LEN);
    key[TICKETS_TOKEN_LEN] = '\0';

    ticket *t = strmap_get(tk->by_token, key);
    if (!t)
        return -1;
    /* Single use even when presented for the wrong handle: a ticket that
     * leaked to someone else is burnt at their first try. */
    bool ok = at < t->expires && handle_equal(t->handle, handle);
    ticket_drop(tk, t);
    return ok ? 0 : -1;
}
