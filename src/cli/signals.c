/*
 * signals.c - the signal self-pipe (signals.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "signals.h"

static volatile sig_atomic_t g_caught = 0;
static int g_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
    int saved = errno;
    (void)sig;
    g_caught = 1;
    if (g_pipe[1] >= 0)
        (void)write(g_pipe[1], "x", 1);
    errno = saved;
}

int signals_make_pipe(int fds[2])
{
    if (pipe(fds) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        (void)fcntl(fds[i], F_SETFL, O_NONBLOCK);
        (void)fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    return 0;
}

static void catch(int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

int signals_install(bool hangup)
{
    if (g_pipe[0] < 0) {
        if (signals_make_pipe(g_pipe) != 0)
            return -1;
        catch(SIGINT);
        catch(SIGTERM);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = SIG_IGN;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGPIPE, &sa, NULL);
    }
    if (hangup)
        catch(SIGHUP);
    return 0;
}

int signals_fd(void)
{
    return g_pipe[0];
}

void signals_drain(void)
{
    char buf[64];
    while (g_pipe[0] >= 0 && read(g_pipe[0], buf, sizeof buf) > 0)
        ;
}

bool signals_caught(void)
{
    return g_caught != 0;
}

void signals_clear(void)
{
    g_caught = 0;
}
