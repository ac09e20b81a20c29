/* storeq.c - the store thread (storeq.h). */
#include "storeq.h"

#include <stdlib.h>

#include "log.h"
#include "server.h"
#include "workq.h"

typedef struct storeq_job {
    storeq_work_fn work;
    storeq_done_fn done;
    void *arg;
} storeq_job;

static void *open_thread_store(void *ctx)
{
    server *srv = ctx;
    store *st = NULL;
    char *err = NULL;
    if (store_open(srv->cfg->data_dir, &srv->store_opts, &st, &err) != 0) {
        log_error("store thread: cannot open the store: %s", err ? err : "unknown error");
        free(err);
        return NULL;
    }
    return st;
}

static void close_thread_store(void *state, void *ctx)
{
    (void)ctx;
    store_close(state);
}

static void run_job(void *state, void *arg)
{
    storeq_job *j = arg;
    j->work(state, j->arg);
}

static void finish_job(void *arg)
{
    storeq_job *j = arg;
    j->done(j->arg);
    free(j);
}

int storeq_start(server *srv)
{
    srv->storeq = workq_new(srv->base, 1, open_thread_store, close_thread_store, srv);
    return srv->storeq ? 0 : -1;
}

void storeq_stop(server *srv)
{
    workq_free(srv->storeq);
    srv->storeq = NULL;
}

int storeq_submit(server *srv, storeq_work_fn work, storeq_done_fn done, void *arg)
{
    storeq_job *j = malloc(sizeof *j);
    if (!j)
        return -1;
    j->work = work;
    j->done = done;
    j->arg = arg;
    if (workq_submit(srv->storeq, run_job, finish_job, j) != 0) {
        free(j);
        return -1;
    }
    return 0;
}
