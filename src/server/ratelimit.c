/*
 * ratelimit.c - sliding-window failure counters (ratelimit.h).
 *
 * A chained hash table with SipHash-2-4 (libsodium crypto_shorthash) under
 * a random key finds a key's entry; a doubly linked list orders entries by
 * their last recorded failure, so the stale and the least recently used
 * are both found at its head.
 */
#include "ratelimit.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define INITIAL_BUCKETS 64

typedef struct entry {
    struct entry *chain;        /* next in the same bucket */
    struct entry *prev, *next;  /* recency order, oldest first */
    uint64_t hash;
    int64_t cur_start;          /* start of the current fixed window */
    int64_t last;               /* time of the last recorded failure */
    uint64_t cur, prev_count;   /* failures in the current / previous window */
    char key[];
} entry;

struct ratelimit {
    entry **buckets;
    size_t nbuckets;            /* power of two */
    size_t count, max_keys;
    entry *oldest, *newest;
    uint64_t limit;
    int64_t window;
    unsigned char hash_key[crypto_shorthash_KEYBYTES];
};

ratelimit *ratelimit_new(unsigned limit, unsigned window_seconds, size_t max_keys)
{
    if (sodium_init() < 0)
        return NULL;
    ratelimit *rl = calloc(1, sizeof *rl);
    if (!rl)
        return NULL;
    rl->nbuckets = INITIAL_BUCKETS;
    rl->buckets = calloc(rl->nbuckets, sizeof *rl->buckets);
    if (!rl->buckets) {
        free(rl);
        return NULL;
    }
    rl->limit = limit;
    rl->window = window_seconds ? window_seconds : 1;
    rl->max_keys = max_keys ? max_keys : 1;
    crypto_shorthash_keygen(rl->hash_key);
    return rl;
}

/* ---- table -------------------------------------------------------------- */

static uint64_t hash_of(const ratelimit *rl, const char *key)
{
    unsigned char out[crypto_shorthash_BYTES];
    crypto_shorthash(out, (const unsigned char *)key, strlen(key), rl->hash_key);
    uint64_t h;
    memcpy(&h, out, sizeof h);
    return h;
}

static entry **bucket_of(const ratelimit *rl, uint64_t hash)
{
    return &rl->buckets[hash & (rl->nbuckets - 1)];
}

static entry *find(const ratelimit *rl, const char *key, uint64_t hash)
{
    for (entry *e = *bucket_of(rl, hash); e; e = e->chain)
        if (e->hash == hash && strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

/* Doubles the bucket array while the table is fuller than one entry per
 * bucket; a failed allocation just leaves chains a little longer. */
static void maybe_grow(ratelimit *rl)
{
    if (rl->count < rl->nbuckets || rl->nbuckets > SIZE_MAX / 2 / sizeof(entry *))
        return;
    size_t n = rl->nbuckets * 2;
    entry **nb = calloc(n, sizeof *nb);
    if (!nb)
        return;
    for (size_t i = 0; i < rl->nbuckets; i++) {
        entry *e = rl->buckets[i];
        while (e) {
            entry *next = e->chain;
            entry **b = &nb[e->hash & (n - 1)];
            e->chain = *b;
            *b = e;
            e = next;
        }
    }
    free(rl->buckets);
    rl->buckets = nb;
    rl->nbuckets = n;
}

/* ---- recency list ------------------------------------------------------- */

static void list_unlink(ratelimit *rl, entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        rl->oldest = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        rl->newest = e->prev;
}

static void list_append(ratelimit *rl, entry *e)
{
    e->next = NULL;
    e->prev = rl->newest;
    if (rl->newest)
        rl->newest->next = e;
    else
        rl->oldest = e;
    rl->newest = e;
}

/* Removes e from the table and the list and frees it. */
static void entry_drop(ratelimit *rl, entry *e)
{
    entry **pp = bucket_of(rl, e->hash);
    while (*pp != e)
        pp = &(*pp)->chain;
    *pp = e->chain;
    list_unlink(rl, e);
    rl->count--;
    free(e);
}

void ratelimit_free(ratelimit *rl)
{
    if (!rl)
        return;
    while (rl->oldest)
        entry_drop(rl, rl->oldest);
    free(rl->buckets);
    free(rl);
}

/* ---- windows ------------------------------------------------------------ */

/* Start of the fixed window holding t (floor, also for negative t). */
static int64_t window_start(const ratelimit *rl, int64_t t)
{
    int64_t r = t % rl->window;
    return t - (r < 0 ? r + rl->window : r);
}

/* The two counters of e as seen at time now, without changing e. */
static void counts_at(const ratelimit *rl, const entry *e, int64_t now, int64_t *start,
                      uint64_t *cur, uint64_t *prev)
{
    *start = window_start(rl, now);
    if (*start == e->cur_start) {
        *cur = e->cur;
        *prev = e->prev_count;
    } else if (*start == e->cur_start + rl->window) {
        *cur = 0;
        *prev = e->cur;
    } else {
        /* Two or more windows later (or the clock went back): forgotten. */
        *cur = 0;
        *prev = 0;
    }
}

bool ratelimit_blocked(const ratelimit *rl, const char *key, int64_t now)
{
    if (rl->limit == 0)
        return false;
    const entry *e = find(rl, key, hash_of(rl, key));
    if (!e)
        return false;
    int64_t start;
    uint64_t cur, prev;
    counts_at(rl, e, now, &start, &cur, &prev);
    /* estimate >= limit, multiplied through by window to stay in integers. */
    uint64_t w = (uint64_t)rl->window, left = (uint64_t)(start + rl->window - now);
    return prev * left + cur * w >= rl->limit * w;
}

/* Drops keys idle long enough that their estimate is 0 anyway. */
static void purge_idle(ratelimit *rl, int64_t now)
{
    while (rl->oldest && rl->oldest->last <= now - 2 * rl->window)
        entry_drop(rl, rl->oldest);
}

static entry *entry_add(ratelimit *rl, const char *key, uint64_t hash, int64_t now)
{
    size_t klen = strlen(key);
    entry *e = calloc(1, sizeof *e + klen + 1);
    if (!e)
        return NULL;
    if (rl->count >= rl->max_keys)
        entry_drop(rl, rl->oldest);
    memcpy(e->key, key, klen + 1);
    e->hash = hash;
    e->cur_start = window_start(rl, now);
    entry **b = bucket_of(rl, hash);
    e->chain = *b;
    *b = e;
    list_append(rl, e);
    rl->count++;
    maybe_grow(rl);
    return e;
}

int ratelimit_record(ratelimit *rl, const char *key, int64_t now)
{
    purge_idle(rl, now);
    uint64_t hash = hash_of(rl, key);
    entry *e = find(rl, key, hash);
    if (!e) {
        e = entry_add(rl, key, hash, now);
        if (!e)
            return -1;
    } else {
        list_unlink(rl, e);
        list_append(rl, e);
    }
    int64_t start;
    uint64_t cur, prev;
    counts_at(rl, e, now, &start, &cur, &prev);
    e->cur_start = start;
    e->cur = cur + 1;
    e->prev_count = prev;
    e->last = now;
    return 0;
}

void ratelimit_reset(ratelimit *rl, const char *key)
{
    entry *e = find(rl, key, hash_of(rl, key));
    if (e)
        entry_drop(rl, e);
}

size_t ratelimit_count(const ratelimit *rl)
{
    return rl->count;
}
