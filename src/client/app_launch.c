/*
 * app_launch.c - starting the registered program of a session
 * (docs/libmsgr.md "Session Invite", "The launch"): fork and execve of the
 * path itself (no shell, argv[0] = the path), detached from the
 * messenger, with a few environment variables set. Whether exec worked is
 * known before app_launch() returns: a close-on-exec pipe carries the
 * errno of a failed execve.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

#define FDS_MAX 1024 /* descriptors closed in a launched program */

extern char **environ;

/* entry ("NAME=value") sets the same variable as var ("NAME=..."). */
static bool same_name(const char *entry, const char *var)
{
    size_t n = strcspn(var, "=");
    return strncmp(entry, var, n) == 0 && entry[n] == '=';
}

static bool replaced(const char *entry, char *const *vars, size_t nvars)
{
    for (size_t i = 0; i < nvars; i++)
        if (same_name(entry, vars[i]))
            return true;
    return false;
}

/* Our environment with vars ("NAME=value") set in place of any entry of
 * the same name; the array is malloc'd, the strings are borrowed. */
static char **launch_env(char *const *vars, size_t nvars)
{
    size_t n = 0, k = 0;
    while (environ && environ[n])
        n++;
    char **env = malloc((n + nvars + 1) * sizeof *env);
    if (!env)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!replaced(environ[i], vars, nvars))
            env[k++] = environ[i];
    for (size_t i = 0; i < nvars; i++)
        env[k++] = vars[i];
    env[k] = NULL;
    return env;
}

/* Our open descriptors above 2, listed before fork() because the child
 * may only make async-signal-safe calls (no opendir there). */
static size_t open_fds(int *fds, size_t cap)
{
    size_t n = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d) {
        for (int fd = 3; fd < FDS_MAX && n < cap; fd++)
            fds[n++] = fd;
        return n;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < cap) {
        int fd = atoi(e->d_name);
        if (fd > 2)
            fds[n++] = fd;
    }
    closedir(d);
    return n;
}

typedef struct launch_plan {
    const char *path;
    char *argv[2];
    char **envp;
    int err_fd, null_fd;
    int fds[FDS_MAX];
    size_t nfds;
    struct sigaction dfl;
    sigset_t none;
} launch_plan;

/* In the child: async-signal-safe calls only. The program gets default
 * SIGPIPE handling, no blocked signals, none of our descriptors, and runs
 * detached, like an application the Messenger started: its own session
 * (a Ctrl-C meant for a terminal messenger does not reach it) and
 * /dev/null for standard input, output and error (a terminal client
 * keeps its screen; a program that logs opens its own file). */
static void exec_child(const launch_plan *p)
{
    (void)sigaction(SIGPIPE, &p->dfl, NULL);
    (void)sigprocmask(SIG_SETMASK, &p->none, NULL);
    (void)setsid();
    for (int fd = 0; fd <= 2 && p->null_fd >= 0; fd++)
        (void)dup2(p->null_fd, fd);
    for (size_t i = 0; i < p->nfds; i++)
        if (p->fds[i] != p->err_fd)
            (void)close(p->fds[i]);
    execve(p->path, p->argv, p->envp);
    int e = errno;
    ssize_t w = write(p->err_fd, &e, sizeof e);
    (void)w;
    _exit(127);
}

/* Waits for exec(): the close-on-exec pipe gives EOF when it worked, the
 * errno when it failed. */
static bool exec_succeeded(int fd)
{
    int e = 0;
    ssize_t r;
    do
        r = read(fd, &e, sizeof e);
    while (r < 0 && errno == EINTR);
    return r == 0;
}

static bool make_pipe(int p[2])
{
    if (pipe(p) != 0)
        return false;
    (void)fcntl(p[0], F_SETFD, FD_CLOEXEC);
    (void)fcntl(p[1], F_SETFD, FD_CLOEXEC);
    return true;
}

static pid_t spawn(launch_plan *p)
{
    int err[2];
    if (!make_pipe(err))
        return -1;
    p->err_fd = err[1];
    p->nfds = open_fds(p->fds, FDS_MAX);
    pid_t pid = fork();
    if (pid == 0)
        exec_child(p);
    close(err[1]);
    bool ok = pid > 0 && exec_succeeded(err[0]);
    close(err[0]);
    if (pid > 0 && !ok) {
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
        pid = -1;
    }
    return pid;
}

pid_t app_launch(const char *path, char *const *vars, size_t nvars)
{
    launch_plan *p = calloc(1, sizeof *p);
    char *argv0 = msgr_strdup(path); /* execve takes non-const strings */
    if (!p || !argv0) {
        free(p);
        free(argv0);
        return -1;
    }
    p->path = path;
    p->argv[0] = argv0;
    p->envp = launch_env(vars, nvars);
    p->dfl.sa_handler = SIG_DFL;
    sigemptyset(&p->dfl.sa_mask);
    sigemptyset(&p->none);
    p->null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    pid_t pid = p->envp ? spawn(p) : -1;
    if (p->null_fd >= 0)
        close(p->null_fd);
    free(p->envp);
    free(p);
    free(argv0);
    return pid;
}
