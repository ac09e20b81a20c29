/*
 * harness.c - see harness.h. Every wait here is bounded.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* posix_spawn wants char *const argv[]: copy the arguments. */
static char **argv_copy(const char *const *in)
{
    size_t n = 0;
    while (in[n])
        n++;
    char **out = calloc(n + 1, sizeof *out);
    for (size_t i = 0; out && i < n; i++)
        out[i] = strdup(in[i]);
    return out;
}

static void argv_free(char **argv)
{
    for (size_t i = 0; argv && argv[i]; i++)
        free(argv[i]);
    free(argv);
}

/* Runs msgrd with argv, feeding input on stdin; true on exit status 0. */
static bool run_msgrd(const char *const *args, const char *input)
{
    char **argv = argv_copy(args);
    int in[2];
    if (pipe(in) != 0)
        return false;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    pid_t pid;
    int rc = posix_spawn(&pid, MSGRD_PATH, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    argv_free(argv);
    close(in[0]);
    if (rc != 0) {
        close(in[1]);
        return false;
    }
    if (write(in[1], input, strlen(input)) < 0)
        perror("write");
    close(in[1]);
    int status = 0;
    long long deadline = now_ms() + 30000;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (now_ms() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return false;
        }
        sleep_ms(10);
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static bool add_user(msgrd *d, const char *email, const char *password)
{
    char line[256];
    snprintf(line, sizeof line, "%s\n", password);
    const char *argv[] = { "msgrd", "user", "add", email, "--data-dir", d->dir,
                           "--argon2-ops", "1", "--argon2-mem-kib", "8192", NULL };
    return run_msgrd(argv, line);
}

/* Reads msgrd's stdout until "msgrd: ready", picking up the addresses. */
static bool wait_ready(msgrd *d, int fd)
{
    char buf[8192];
    size_t len = 0;
    long long deadline = now_ms() + 20000;
    while (now_ms() < deadline) {
        struct pollfd p = { fd, POLLIN, 0 };
        if (poll(&p, 1, 200) <= 0)
            continue;
        ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
        if (n <= 0)
            return false;
        len += (size_t)n;
        buf[len] = '\0';
        char *s = strstr(buf, "msnp listening on ");
        char *l = strstr(buf, "login listening on https://");
        if (s && l && strstr(buf, "msgrd: ready")) {
            sscanf(s, "msnp listening on %63s", d->msnp);
            char hp[64];
            sscanf(l, "login listening on https://%63s", hp);
            snprintf(d->nexus, sizeof d->nexus, "https://%s/rdr/pprdr.asp", hp);
            return true;
        }
        if (len >= sizeof buf - 1)
            len = 0;
    }
    return false;
}

static void remove_tree(const char *dir)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

bool msgrd_start(msgrd *d, const char *const *users)
{
    return msgrd_start_with(d, users, NULL);
}

bool msgrd_start_with(msgrd *d, const char *const *users, const char *dispatch_to)
{
    msgrd_cfg cfg = { .dispatch_to = dispatch_to };
    return msgrd_start_cfg(d, users, &cfg);
}

bool msgrd_admin(const msgrd *d, const char *const *args)
{
    const char *argv[32];
    size_t n = 0;
    argv[n++] = "msgrd";
    for (size_t i = 0; args[i] && n < 28; i++)
        argv[n++] = args[i];
    argv[n++] = "--data-dir";
    argv[n++] = d->dir;
    argv[n] = NULL;
    return run_msgrd(argv, "");
}

/* Registers the Lock and Key applications of cfg. */
static bool add_apps(msgrd *d, const msgrd_cfg *cfg)
{
    for (size_t i = 0; cfg->apps && cfg->apps[i]; i += 2) {
        const char *args[] = { "app", "add", cfg->apps[i], cfg->apps[i + 1], NULL };
        if (!msgrd_admin(d, args))
            return false;
    }
    return true;
}

bool msgrd_start_cfg(msgrd *d, const char *const *users, const msgrd_cfg *given)
{
    static const msgrd_cfg defaults;
    const msgrd_cfg *cfg = given ? given : &defaults;
    memset(d, 0, sizeof *d);
    d->pid = -1;
    snprintf(d->dir, sizeof d->dir, "/tmp/msgr-client-test-XXXXXX");
    if (!mkdtemp(d->dir))
        return false;
    snprintf(d->cert, sizeof d->cert, "%s/cert.pem", d->dir);
    snprintf(d->cache, sizeof d->cache, "%s/client", d->dir);
    for (size_t i = 0; users && users[i]; i += 2) {
        if (!add_user(d, users[i], users[i + 1])) {
            remove_tree(d->dir);
            return false;
        }
    }
    if (!add_apps(d, cfg)) {
        remove_tree(d->dir);
        return false;
    }
    int out[2];
    if (pipe(out) != 0)
        return false;
    const char *args[24] = { "msgrd", "serve", "--data-dir", d->dir,
                             "--listen", "127.0.0.1:0", "--login-listen", "127.0.0.1:0",
                             "--argon2-ops", "1", "--argon2-mem-kib", "8192",
                             "--admin-listen", cfg->admin ? "127.0.0.1:0" : "off",
                             "--log-level", "warn" };
    size_t na = 16;
    if (cfg->lock_and_key_off)
        args[na++] = "--lock-and-key=false";
    if (cfg->dispatch_to) {
        args[na++] = "--dispatch";
        args[na++] = cfg->dispatch_to;
    }
    args[na] = NULL;
    char **argv = argv_copy(args);
    int rc = 0;
    d->pid = fork();
    if (d->pid == 0) {
        /* If the test dies (timeout, crash), msgrd must not outlive it. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        dup2(out[1], 1);
        close(out[0]);
        close(out[1]);
        execv(MSGRD_PATH, argv);
        _exit(127);
    }
    if (d->pid < 0)
        rc = -1;
    argv_free(argv);
    close(out[1]);
    if (rc != 0 || !wait_ready(d, out[0])) {
        close(out[0]);
        msgrd_stop(d);
        return false;
    }
    close(out[0]); /* msgrd only writes its start-up lines there */
    return true;
}

void msgrd_stop(msgrd *d)
{
    if (d->pid > 0) {
        int status;
        kill(d->pid, SIGTERM);
        long long deadline = now_ms() + 10000;
        while (waitpid(d->pid, &status, WNOHANG) == 0) {
            if (now_ms() > deadline) {
                kill(d->pid, SIGKILL);
                waitpid(d->pid, &status, 0);
                break;
            }
            sleep_ms(10);
        }
        d->pid = -1;
    }
    if (d->dir[0])
        remove_tree(d->dir);
    d->dir[0] = '\0';
}

void msgrd_options(const msgrd *d, const char *tag, msgr_options *o,
                   char *cache, size_t cachecap)
{
    memset(o, 0, sizeof *o);
    snprintf(cache, cachecap, "%s/%s", d->cache, tag);
    o->server = d->msnp;
    o->nexus_url = d->nexus;
    o->ca_file = d->cert;
    o->cache_dir = cache;
    o->config_dir = cache;
    o->receive_file_directory = "/tmp";
}

/* ---- pump ---------------------------------------------------------------- */

static void wait_any(msgr_messenger *const *ms, size_t n, int cap_ms)
{
    struct pollfd pfd[64];
    size_t np = 0;
    int timeout = cap_ms;
    for (size_t i = 0; i < n; i++) {
        msgr_pollfd f[16];
        size_t cnt = 0;
        int t;
        msgr_messenger_fds(ms[i], f, 16, &cnt);
        for (size_t k = 0; k < cnt && k < 16 && np < 64; k++) {
            pfd[np].fd = f[k].fd;
            pfd[np].events = f[k].events;
            pfd[np].revents = 0;
            np++;
        }
        msgr_messenger_timeout_ms(ms[i], &t);
        if (t >= 0 && t < timeout)
            timeout = t;
    }
    poll(pfd, (nfds_t)np, timeout);
}

bool pump(msgr_messenger *const *ms, size_t n, bool (*done)(void *), void *ud,
          int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    for (;;) {
        for (size_t i = 0; i < n; i++)
            msgr_messenger_process(ms[i]);
        if (done(ud))
            return true;
        if (now_ms() >= deadline)
            return false;
        wait_any(ms, n, 50);
    }
}

static bool never(void *ud)
{
    (void)ud;
    return false;
}

void pump_for(msgr_messenger *const *ms, size_t n, int ms_total)
{
    (void)pump(ms, n, never, NULL, ms_total);
}

/* ---- recorder ------------------------------------------------------------ */

static void add(void *ud, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(void *ud, const char *fmt, ...)
{
    recorder *r = ud;
    if (r->n >= REC_MAX)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->lines[r->n++], REC_LINE, fmt, ap);
    va_end(ap);
}

static const char *cname(msgr_contact *c)
{
    const char *s = "?";
    if (c)
        msgr_contact_get_signin_name(c, &s);
    return s;
}

static const char *gname(msgr_group *g)
{
    const char *s = "?";
    if (g && msgr_group_get_name(g, &s) != MSGR_S_OK)
        s = "?";
    return s;
}

static void on_my_status(void *ud, msgr_messenger *m, msgr_hr hr, MISTATUS st)
{
    (void)m;
    add(ud, "my_status %s 0x%04X", msgr_hr_string(hr), (unsigned)st);
}

static void on_signin(void *ud, msgr_messenger *m, msgr_hr hr)
{
    (void)m;
    add(ud, "signin %s", msgr_hr_string(hr));
}

static void on_signout(void *ud, msgr_messenger *m)
{
    (void)m;
    add(ud, "signout");
}

static void on_contact_status(void *ud, msgr_messenger *m, msgr_contact *c,
                              MISTATUS prev)
{
    MISTATUS now = MISTATUS_UNKNOWN;
    (void)m;
    msgr_contact_get_status(c, &now);
    add(ud, "contact_status %s 0x%04X->0x%04X", cname(c), (unsigned)prev,
        (unsigned)now);
}

static void on_list_add(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c)
{
    (void)m;
    add(ud, "list_add %s %s", msgr_hr_string(hr), cname(c));
}

static void on_list_remove(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c)
{
    (void)m;
    add(ud, "list_remove %s %s", msgr_hr_string(hr), cname(c));
}

static void on_block(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c,
                     bool blocked)
{
    (void)m;
    add(ud, "block %s %s %d", msgr_hr_string(hr), cname(c), blocked);
}

static void on_group_added(void *ud, msgr_messenger *m, msgr_hr hr, msgr_group *g)
{
    (void)m;
    add(ud, "group_added %s %s", msgr_hr_string(hr), gname(g));
}

static void on_group_renamed(void *ud, msgr_messenger *m, msgr_hr hr, msgr_group *g)
{
    (void)m;
    add(ud, "group_renamed %s %s", msgr_hr_string(hr), gname(g));
}

static void on_group_removed(void *ud, msgr_messenger *m, msgr_hr hr, msgr_group *g)
{
    (void)m;
    add(ud, "group_removed %s %s", msgr_hr_string(hr), gname(g));
}

static void on_added_to_group(void *ud, msgr_messenger *m, msgr_hr hr,
                              msgr_group *g, msgr_contact *c)
{
    (void)m;
    add(ud, "added_to_group %s %s %s", msgr_hr_string(hr), gname(g), cname(c));
}

static void on_removed_from_group(void *ud, msgr_messenger *m, msgr_hr hr,
                                  msgr_group *g, msgr_contact *c)
{
    (void)m;
    add(ud, "removed_from_group %s %s %s", msgr_hr_string(hr), gname(g), cname(c));
}

static void on_contact_name(void *ud, msgr_messenger *m, msgr_hr hr,
                            msgr_contact *c, const char *prev)
{
    (void)m;
    add(ud, "contact_name %s %s %s", msgr_hr_string(hr), cname(c), prev);
}

static void on_contact_phone(void *ud, msgr_messenger *m, msgr_hr hr,
                             msgr_contact *c, MPHONE_TYPE t, const char *num)
{
    (void)m;
    add(ud, "contact_phone %s %s %d %s", msgr_hr_string(hr), cname(c), (int)t, num);
}

static void on_my_name(void *ud, msgr_messenger *m, msgr_hr hr, const char *prev)
{
    (void)m;
    add(ud, "my_name %s %s", msgr_hr_string(hr), prev);
}

static void on_my_phone(void *ud, msgr_messenger *m, MPHONE_TYPE t, const char *num)
{
    (void)m;
    add(ud, "my_phone %d %s", (int)t, num);
}

static void on_win_created(void *ud, msgr_messenger *m, msgr_window *w)
{
    recorder *r = ud;
    (void)m;
    rec_release_window(r);
    if (msgr_object_addref(w) == MSGR_S_OK)
        r->last_window = w;
    add(ud, "win_created");
}

static void on_win_destroyed(void *ud, msgr_messenger *m, msgr_window *w)
{
    (void)m;
    (void)w;
    add(ud, "win_destroyed");
}

static void on_win_added(void *ud, msgr_messenger *m, msgr_contact *c, msgr_window *w)
{
    (void)m;
    (void)w;
    add(ud, "win_contact_added %s", cname(c));
}

static void on_win_removed(void *ud, msgr_messenger *m, msgr_contact *c, msgr_window *w)
{
    (void)m;
    (void)w;
    add(ud, "win_contact_removed %s", cname(c));
}

void rec_release_window(recorder *r)
{
    if (r->last_window)
        msgr_object_release(r->last_window);
    r->last_window = NULL;
    if (r->last_transfer)
        msgr_object_release(r->last_transfer);
    r->last_transfer = NULL;
}

/* ---- conversation extensions and file transfer ---------------------------- */

static void on_im_message(void *ud, msgr_messenger *m, msgr_window *w,
                          msgr_contact *from, const char *text)
{
    (void)m;
    (void)w;
    add(ud, "im_message %s %s", cname(from), text);
}

static void on_im_typing(void *ud, msgr_messenger *m, msgr_window *w, msgr_contact *from)
{
    (void)m;
    (void)w;
    add(ud, "im_typing %s", cname(from));
}

static void on_reverse_list(void *ud, msgr_messenger *m, msgr_contact *c, bool added)
{
    (void)m;
    add(ud, "reverse_list %s %d", cname(c), added);
}

static void keep_transfer(recorder *r, msgr_file_transfer *t)
{
    if (r->last_transfer == t)
        return;
    if (r->last_transfer)
        msgr_object_release(r->last_transfer);
    r->last_transfer = msgr_object_addref(t) == MSGR_S_OK ? t : NULL;
}

static void on_ft_invitation(void *ud, msgr_messenger *m, msgr_window *w,
                             msgr_contact *from, msgr_file_transfer *t)
{
    const char *name = "?";
    uint64_t size = 0;
    (void)m;
    (void)w;
    keep_transfer(ud, t);
    msgr_file_transfer_get_file_name(t, &name);
    msgr_file_transfer_get_size(t, &size);
    add(ud, "ft_invitation %s %s %llu", cname(from), name, (unsigned long long)size);
}

static void on_ft_progress(void *ud, msgr_messenger *m, msgr_file_transfer *t)
{
    recorder *r = ud;
    (void)m;
    r->ft_progress++;
    msgr_file_transfer_get_bytes_done(t, &r->ft_progress_done);
}

static const char *ft_state_name(MSGR_FT_STATE st)
{
    static const char *const names[] = { "INVITING", "CONNECTING", "TRANSFERRING",
                                         "COMPLETED", "DECLINED", "CANCELLED", "FAILED" };
    return (unsigned)st < sizeof names / sizeof names[0] ? names[st] : "?";
}

static void on_ft_state(void *ud, msgr_messenger *m, msgr_file_transfer *t,
                        MSGR_FT_STATE st, msgr_hr hr)
{
    (void)m;
    keep_transfer(ud, t);
    add(ud, "ft_state %s %s", ft_state_name(st), msgr_hr_string(hr));
}

static void on_pager(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c, bool page)
{
    (void)m;
    add(ud, "contact_pager %s %s %d", msgr_hr_string(hr), cname(c), page);
}

static void on_mail(void *ud, msgr_messenger *m, MUAFOLDER folder, int32_t n, bool *dflt)
{
    (void)m;
    add(ud, "unread_email %d %ld %d", (int)folder, (long)n, *dflt);
}

const msgr_messenger_events recorder_events = {
    .on_im_window_message = on_im_message,
    .on_im_window_typing = on_im_typing,
    .on_contact_reverse_list_change = on_reverse_list,
    .on_file_transfer_invitation = on_ft_invitation,
    .on_file_transfer_progress = on_ft_progress,
    .on_file_transfer_state_change = on_ft_state,
    .on_contact_pager_change = on_pager,
    .on_unread_email_change = on_mail,
    .on_im_window_created = on_win_created,
    .on_im_window_destroyed = on_win_destroyed,
    .on_im_window_contact_added = on_win_added,
    .on_im_window_contact_removed = on_win_removed,
    .on_my_friendly_name_change = on_my_name,
    .on_my_phone_change = on_my_phone,
    .on_my_status_change = on_my_status,
    .on_signin = on_signin,
    .on_signout = on_signout,
    .on_contact_status_change = on_contact_status,
    .on_contact_list_add = on_list_add,
    .on_contact_list_remove = on_list_remove,
    .on_contact_block_change = on_block,
    .on_group_added = on_group_added,
    .on_group_name_changed = on_group_renamed,
    .on_group_removed = on_group_removed,
    .on_contact_added_to_group = on_added_to_group,
    .on_contact_removed_from_group = on_removed_from_group,
    .on_contact_friendly_name_change = on_contact_name,
    .on_contact_phone_change = on_contact_phone,
};

int rec_find(const recorder *r, int from, const char *prefix)
{
    for (int i = from < 0 ? 0 : from; i < r->n; i++)
        if (strncmp(r->lines[i], prefix, strlen(prefix)) == 0)
            return i;
    return -1;
}

bool rec_has(const recorder *r, const char *prefix)
{
    return rec_find(r, 0, prefix) >= 0;
}

void rec_dump(const recorder *r, const char *who)
{
    for (int i = 0; i < r->n; i++)
        fprintf(stderr, "  [%s] %s\n", who, r->lines[i]);
}

void rec_clear(recorder *r)
{
    r->n = 0;
}

bool rec_wait_done(void *ud)
{
    rec_wait *w = ud;
    return rec_has(w->r, w->prefix);
}

bool signin_and_wait(msgr_messenger *const *all, size_t n, msgr_messenger *m,
                     recorder *r, const char *name, const char *password)
{
    if (msgr_messenger_signin(m, 0, name, password) != MSGR_S_OK)
        return false;
    rec_wait w = { r, "my_status MSGR_S_OK 0x0002" };
    return pump(all, n, rec_wait_done, &w, 20000);
}

/* ---- duo ------------------------------------------------------------------ */

/* "carol@example.com" -> "carol": the messenger's cache tag. */
static void local_part(const char *email, char *out, size_t cap)
{
    size_t n = strcspn(email, "@");
    if (n >= cap)
        n = cap - 1;
    memcpy(out, email, n);
    out[n] = '\0';
}

bool duo_start(duo *f, const char *const *users, const duo_hooks *hooks)
{
    static const duo_hooks none;
    if (!hooks)
        hooks = &none;
    memset(f, 0, sizeof *f);
    if (!msgrd_start_cfg(&f->d, users, hooks->cfg))
        return false;
    for (int i = 0; i < 2; i++) {
        msgr_options o;
        uint32_t cookie;
        char tag[64];
        local_part(users[2 * i], tag, sizeof tag);
        msgrd_options(&f->d, tag, &o, f->cache[i], sizeof f->cache[i]);
        if (hooks->options)
            hooks->options(i, &o, hooks->ud);
        if (msgr_messenger_create(&o, &f->ms[i]) != MSGR_S_OK ||
            msgr_messenger_advise(f->ms[i], &recorder_events, &f->rec[i], &cookie) !=
                MSGR_S_OK ||
            (hooks->created && !hooks->created(i, f->ms[i], hooks->ud)))
            return false;
    }
    for (int i = 0; i < 2 && !hooks->no_signin; i++)
        if (!signin_and_wait(f->ms, 2, f->ms[i], &f->rec[i], users[2 * i], users[2 * i + 1]))
            return false;
    return true;
}

void duo_stop(duo *f)
{
    for (int i = 0; i < 2; i++) {
        rec_release_window(&f->rec[i]);
        if (f->ms[i])
            msgr_object_release(f->ms[i]);
        f->ms[i] = NULL;
    }
    msgrd_stop(&f->d);
}

int duo_teardown(void **state)
{
    duo_stop(*state);
    return 0;
}

bool duo_wait(duo *f, int who, const char *prefix, int timeout_ms)
{
    rec_wait w = { &f->rec[who], prefix };
    if (pump(f->ms, 2, rec_wait_done, &w, timeout_ms))
        return true;
    rec_dump(&f->rec[0], "first");
    rec_dump(&f->rec[1], "second");
    fprintf(stderr, "ERROR: the %s messenger never saw \"%s\"\n", who == 0 ? "first" : "second",
            prefix);
    return false;
}

int unix_connect(const char *path)
{
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sa.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(sa.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        fd = -1;
    }
    return fd;
}
