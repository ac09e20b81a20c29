/* workq.c - worker threads with completions on the loop thread. */
#include "workq.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

typedef struct job {
    struct job *next;
    workq_work_fn work;
    workq_done_fn done;
    void *arg;
} job;

typedef struct job_list {
    job *head, *tail;
} job_list;

struct workq {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    job_list todo;       /* waiting for a worker */
    job_list finished;   /* waiting for the loop thread */
    int stopping;
    atomic_uint pending;
    struct event *notify; /* activated by workers when finished is non-empty */
    unsigned nthreads;
    pthread_t *threads;
    workq_thread_init_fn init;
    workq_thread_fini_fn fini;
    void *ctx;
};

static void list_push(job_list *l, job *j)
{
    j->next = NULL;
    if (l->tail)
        l->tail->next = j;
    else
        l->head = j;
    l->tail = j;
}

static job *list_pop(job_list *l)
{
    job *j = l->head;
    if (j) {
        l->head = j->next;
        if (!l->head)
            l->tail = NULL;
    }
    return j;
}

static void *worker_main(void *p)
{
    workq *q = p;
    void *state = q->init ? q->init(q->ctx) : NULL;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        job *j = list_pop(&q->todo);
        if (!j) {
            if (q->stopping)
                break;
            pthread_cond_wait(&q->wake, &q->lock);
            continue;
        }
        pthread_mutex_unlock(&q->lock);
        if (j->work)
            j->work(state, j->arg);
        pthread_mutex_lock(&q->lock);
        int was_empty = q->finished.head == NULL;
        list_push(&q->finished, j);
        /* One activation drains the whole list; only the first finisher
         * needs to wake the loop. */
        if (was_empty)
            event_active(q->notify, EV_READ, 0);
    }
    pthread_mutex_unlock(&q->lock);
    if (q->fini)
        q->fini(state, q->ctx);
    return NULL;
}

/* Loop thread: runs done() of every finished job, in completion order. */
static void drain_finished(evutil_socket_t fd, short what, void *p)
{
    (void)fd;
    (void)what;
    workq *q = p;
    pthread_mutex_lock(&q->lock);
    job *j = q->finished.head;
    q->finished.head = q->finished.tail = NULL;
    pthread_mutex_unlock(&q->lock);
    while (j) {
        job *next = j->next;
        atomic_fetch_sub(&q->pending, 1);
        if (j->done)
            j->done(j->arg);
        free(j);
        j = next;
    }
}

workq *workq_new(struct event_base *base, unsigned nthreads,
                 workq_thread_init_fn init, workq_thread_fini_fn fini, void *ctx)
{
    if (nthreads == 0)
        nthreads = 1;
    workq *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->threads = calloc(nthreads, sizeof *q->threads);
    q->notify = event_new(base, -1, 0, drain_finished, q);
    if (!q->threads || !q->notify)
        goto fail;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->wake, NULL);
    q->init = init;
    q->fini = fini;
    q->ctx = ctx;
    atomic_init(&q->pending, 0);
    for (unsigned i = 0; i < nthreads; i++) {
        if (pthread_create(&q->threads[i], NULL, worker_main, q) != 0)
            break;
        q->nthreads++;
    }
    if (q->nthreads == 0) {
        pthread_mutex_destroy(&q->lock);
        pthread_cond_destroy(&q->wake);
        goto fail;
    }
    return q;
fail:
    if (q->notify)
        event_free(q->notify);
    free(q->threads);
    free(q);
    return NULL;
}

int workq_submit(workq *q, workq_work_fn work, workq_done_fn done, void *arg)
{
    job *j = malloc(sizeof *j);
    if (!j)
        return -1;
    j->work = work;
    j->done = done;
    j->arg = arg;
    pthread_mutex_lock(&q->lock);
    if (q->stopping) {
        pthread_mutex_unlock(&q->lock);
        free(j);
        return -1;
    }
    atomic_fetch_add(&q->pending, 1);
    list_push(&q->todo, j);
    pthread_cond_signal(&q->wake);
    pthread_mutex_unlock(&q->lock);
    return 0;
}

unsigned workq_pending(const workq *q)
{
    return atomic_load(&((workq *)(uintptr_t)q)->pending);
}

void workq_free(workq *q)
{
    if (!q)
        return;
    pthread_mutex_lock(&q->lock);
    q->stopping = 1;
    pthread_cond_broadcast(&q->wake);
    pthread_mutex_unlock(&q->lock);
    for (unsigned i = 0; i < q->nthreads; i++)
        pthread_join(q->threads[i], NULL);
    drain_finished(-1, 0, q);
    event_free(q->notify);
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->wake);
    free(q->threads);
    free(q);
}
