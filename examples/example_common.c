/*
 * example_common.c - the shared set-up of the examples (example_common.h).
 */
#include "example_common.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t g_stop = 0;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static int read_password(char *out, size_t cap)
{
    const char *env = getenv("MSGR_PASSWORD");
    if (env && *env) {
        if (strlen(env) >= cap)
            return -1;
        strcpy(out, env);
        return 0;
    }
    if (!fgets(out, (int)cap, stdin))
        return -1;
    out[strcspn(out, "\r\n")] = '\0';
    return *out ? 0 : -1;
}

int example_parse(int argc, char **argv, const char *usage, example_args *a)
{
    memset(a, 0, sizeof *a);
    int i = 1;
    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (strcmp(argv[i], "--server") == 0)
            a->opts.server = argv[i + 1];
        else if (strcmp(argv[i], "--nexus") == 0)
            a->opts.nexus_url = argv[i + 1];
        else if (strcmp(argv[i], "--ca-file") == 0)
            a->opts.ca_file = argv[i + 1];
        else if (strcmp(argv[i], "--cache-dir") == 0)
            a->opts.cache_dir = argv[i + 1];
        else
            break;
    }
    if (i != argc - 1) {
        fprintf(stderr, "usage: %s %s\n", argv[0], usage);
        return -1;
    }
    a->signin = argv[i];
    if (read_password(a->password, sizeof a->password) != 0) {
        fprintf(stderr, "%s: no password ($MSGR_PASSWORD or standard input)\n", argv[0]);
        return -1;
    }
    return 0;
}

msgr_messenger *example_start(const example_args *a, const msgr_messenger_events *sink,
                              void *user_data)
{
    msgr_messenger *m = NULL;
    uint32_t cookie;
    msgr_hr hr = msgr_messenger_create(&a->opts, &m);
    if (MSGR_SUCCEEDED(hr))
        hr = msgr_messenger_advise(m, sink, user_data, &cookie);
    if (MSGR_SUCCEEDED(hr))
        hr = msgr_messenger_signin(m, 0, a->signin, a->password);
    if (MSGR_FAILED(hr)) {
        fprintf(stderr, "cannot start signing in: %s\n", msgr_hr_string(hr));
        if (m)
            msgr_object_release(m);
        return NULL;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    return m;
}

void example_stop(void)
{
    g_stop = 1;
}

/* msgr_messenger_run() would also do, but a signal must be able to end
 * the loop, so this is the loop of docs/libmsgr.md with a stop flag. */
void example_run(msgr_messenger *m)
{
    struct pollfd pfd[32];
    msgr_pollfd fds[32];
    while (!g_stop) {
        size_t n = 0;
        int timeout = -1;
        if (MSGR_FAILED(msgr_messenger_fds(m, fds, 32, &n)) ||
            MSGR_FAILED(msgr_messenger_timeout_ms(m, &timeout)))
            break;
        if (n > 32)
            n = 32;
        for (size_t i = 0; i < n; i++) {
            pfd[i].fd = fds[i].fd;
            pfd[i].events = (short)((fds[i].events & MSGR_POLL_IN ? POLLIN : 0) |
                                    (fds[i].events & MSGR_POLL_OUT ? POLLOUT : 0));
        }
        if (timeout < 0 || timeout > 500)
            timeout = 500; /* notice the stop flag soon */
        (void)poll(pfd, (nfds_t)n, timeout);
        (void)msgr_messenger_process(m);
    }
    MISTATUS st;
    if (MSGR_SUCCEEDED(msgr_messenger_get_my_status(m, &st)) && st != MISTATUS_OFFLINE)
        (void)msgr_messenger_signout(m);
    for (int i = 0; i < 20; i++) /* let the OUT go out */
        (void)msgr_messenger_process(m);
    msgr_object_release(m);
}
