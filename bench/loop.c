/* loop.c - epoll loop with deferred frees and per-iteration flushes (loop.h). */
#include "loop.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

/* Events fetched per epoll_wait. */
#define LOOP_BATCH 512
/* Bound on flush passes per iteration (a flush may queue another). */
#define LOOP_FLUSH_PASSES 4

typedef struct deferred {
    void *ptr;
    void (*fn)(void *);
} deferred;

typedef struct dirty {
    bool *flag;
    loop_flush_cb cb;
    void *ud;
} dirty;

struct bench_loop {
    int epfd;
    deferred *defer;
    size_t ndefer, cap_defer;
    dirty *dirty;
    size_t ndirty, cap_dirty;
};

uint64_t loop_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

bench_loop *loop_new(void)
{
    bench_loop *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (l->epfd < 0) {
        free(l);
        return NULL;
    }
    return l;
}

/* Runs and forgets every deferred free. */
static void run_deferred(bench_loop *l)
{
    for (size_t i = 0; i < l->ndefer; i++)
        l->defer[i].fn(l->defer[i].ptr);
    l->ndefer = 0;
}

void loop_free(bench_loop *l)
{
    if (!l)
        return;
    run_deferred(l);
    close(l->epfd);
    free(l->defer);
    free(l->dirty);
    free(l);
}

int loop_add(bench_loop *l, int fd, uint32_t events, loop_handle *h)
{
    struct epoll_event ev = { .events = events, .data.ptr = h };
    return epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev);
}

int loop_mod(bench_loop *l, int fd, uint32_t events, loop_handle *h)
{
    struct epoll_event ev = { .events = events, .data.ptr = h };
    return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev);
}

void loop_del(bench_loop *l, int fd)
{
    struct epoll_event ev = { 0 };
    epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, &ev);
}

int loop_defer_free(bench_loop *l, void *ptr, void (*fn)(void *))
{
    if (l->ndefer == l->cap_defer) {
        size_t cap = l->cap_defer ? l->cap_defer * 2 : 256;
        deferred *nd = realloc(l->defer, cap * sizeof *nd);
        if (!nd) {
            fn(ptr);
            return -1;
        }
        l->defer = nd;
        l->cap_defer = cap;
    }
    l->defer[l->ndefer++] = (deferred){ ptr, fn };
    return 0;
}

void loop_mark_dirty(bench_loop *l, bool *flag, loop_flush_cb cb, void *ud)
{
    if (*flag)
        return;
    if (l->ndirty == l->cap_dirty) {
        size_t cap = l->cap_dirty ? l->cap_dirty * 2 : 256;
        dirty *nd = realloc(l->dirty, cap * sizeof *nd);
        if (!nd) {
            cb(ud); /* no room to defer: flush now */
            return;
        }
        l->dirty = nd;
        l->cap_dirty = cap;
    }
    *flag = true;
    l->dirty[l->ndirty++] = (dirty){ flag, cb, ud };
}

/* Flushes every dirty object, including any queued while flushing (a
 * flush only writes, so in practice none is); the bound keeps a buggy
 * callback from spinning forever. */
static void run_flushes(bench_loop *l)
{
    size_t limit = l->ndirty * LOOP_FLUSH_PASSES + 16;
    for (size_t i = 0; i < l->ndirty && i < limit; i++) {
        *l->dirty[i].flag = false;
        l->dirty[i].cb(l->dirty[i].ud);
    }
    for (size_t i = limit; i < l->ndirty; i++)
        *l->dirty[i].flag = false; /* dropped: never reached */
    l->ndirty = 0;
}

int loop_run_once(bench_loop *l, int timeout_ms)
{
    struct epoll_event evs[LOOP_BATCH];
    int n = epoll_wait(l->epfd, evs, LOOP_BATCH, timeout_ms);
    if (n < 0 && errno != EINTR)
        return -1;
    for (int i = 0; i < n; i++) {
        loop_handle *h = evs[i].data.ptr;
        h->cb(h->ud, evs[i].events);
    }
    run_flushes(l);
    run_deferred(l);
    return n < 0 ? 0 : n;
}
