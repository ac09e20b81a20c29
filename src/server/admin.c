/* admin.c - "msgrd user ..." and "msgrd app ..." (admin.h). */
#include "admin.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "ns.h"
#include "password.h"
#include "store.h"

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "msgrd: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 1;
}

static int open_store(const msgrd_config *cfg, store **st)
{
    struct stat sb;
    if (stat(cfg->data_dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return fail("data directory %s does not exist (create it, or start msgrd serve once)",
                    cfg->data_dir);
    char *err = NULL;
    store_options opt = { STORE_SYNC_FULL, 0 };
    if (store_open(cfg->data_dir, &opt, st, &err) != 0) {
        fail("store: %s", err ? err : "cannot open");
        free(err);
        return 1;
    }
    return 0;
}

/* Reads one line from stdin without its newline; with a terminal, asks
 * twice without echo. Returns a malloc'd password or NULL. */
static char *read_line(FILE *in)
{
    char buf[PASSWORD_MAX_BYTES + 2];
    if (!fgets(buf, sizeof buf, in))
        return NULL;
    size_t n = strcspn(buf, "\r\n");
    if (n > PASSWORD_MAX_BYTES)
        return NULL;
    buf[n] = '\0';
    char *pw = strdup(buf);
    sodium_memzero(buf, sizeof buf);
    return pw;
}

static char *prompt_hidden(const char *prompt)
{
    struct termios old, quiet;
    fputs(prompt, stderr);
    fflush(stderr);
    bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        quiet = old;
        quiet.c_lflag &= (tcflag_t)~ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    char *pw = read_line(stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    return pw;
}

static char *read_password(void)
{
    if (!isatty(STDIN_FILENO))
        return read_line(stdin);
    char *a = prompt_hidden("Password: ");
    char *b = a ? prompt_hidden("Again: ") : NULL;
    if (!a || !b || strcmp(a, b) != 0) {
        if (a && b)
            fprintf(stderr, "msgrd: the passwords differ\n");
        free(a);
        free(b);
        return NULL;
    }
    free(b);
    return a;
}

static char *make_record(const msgrd_config *cfg)
{
    char *pw = read_password();
    if (!pw || !*pw) {
        free(pw);
        fail("%s", "no password given (one line on standard input)");
        return NULL;
    }
    char *record = NULL;
    if (password_record_new(pw, cfg->argon2_ops, cfg->argon2_mem_kib, cfg->truncate_password,
                            &record) != 0)
        fail("%s", "password hashing failed");
    sodium_memzero(pw, strlen(pw));
    free(pw);
    return record;
}

static char *checked_handle(const char *arg)
{
    if (!ns_handle_valid(arg)) {
        fail("'%s' is not a valid e-mail address", arg);
        return NULL;
    }
    char *h = strdup(arg);
    for (char *p = h; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return h;
}

static int user_add(const msgrd_config *cfg, const char *arg, bool replace)
{
    char *handle = checked_handle(arg);
    if (!handle)
        return 1;
    store *st = NULL;
    if (open_store(cfg, &st) != 0) {
        free(handle);
        return 1;
    }
    int status = 1;
    bool exists = false;
    if (store_account_exists(st, handle, &exists) != 0) {
        fail("%s", "store error");
    } else if (!replace && exists) {
        fail("account %s already exists", handle);
    } else if (replace && !exists) {
        fail("no account %s", handle);
    } else {
        char *record = make_record(cfg);
        if (record) {
            int rc = replace ? store_account_set_password(st, handle, record)
                             : store_account_create(st, handle, record, NULL, cfg->group0_name);
            if (rc == STORE_E_EXISTS)
                fail("account %s already exists", handle);
            else if (rc != 0)
                fail("store: %s", store_strerror(rc));
            else
                status = 0;
            free(record);
        }
    }
    store_close(st);
    free(handle);
    return status;
}

static int user_del(const msgrd_config *cfg, const char *arg)
{
    store *st = NULL;
    if (open_store(cfg, &st) != 0)
        return 1;
    int rc = store_account_delete(st, arg, NULL);
    store_close(st);
    if (rc == STORE_E_NOTFOUND)
        return fail("no account %s", arg);
    if (rc != 0)
        return fail("store: %s", store_strerror(rc));
    return 0;
}

static int print_account(const char *handle, const char *friendly_name, void *ud)
{
    (void)friendly_name;
    (void)ud;
    printf("%s\n", handle);
    return 0;
}

static int user_list(const msgrd_config *cfg)
{
    store *st = NULL;
    if (open_store(cfg, &st) != 0)
        return 1;
    int rc = store_account_list(st, print_account, NULL);
    store_close(st);
    return rc == 0 ? 0 : fail("store: %s", store_strerror(rc));
}

int admin_user(const msgrd_config *cfg, int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[0], "add"))
        return user_add(cfg, argv[1], false);
    if (argc >= 2 && !strcmp(argv[0], "passwd"))
        return user_add(cfg, argv[1], true);
    if (argc >= 2 && !strcmp(argv[0], "del"))
        return user_del(cfg, argv[1]);
    if (argc >= 1 && !strcmp(argv[0], "list"))
        return user_list(cfg);
    return fail("%s", "usage: msgrd user add|passwd|del EMAIL | user list  [--data-dir DIR]");
}

static int print_app(const char *id, const char *key, void *ud)
{
    (void)key;
    (void)ud;
    printf("%s\n", id);
    return 0;
}

int admin_app(const msgrd_config *cfg, int argc, char **argv)
{
    store *st = NULL;
    bool add = argc >= 3 && !strcmp(argv[0], "add");
    bool del = argc >= 2 && !strcmp(argv[0], "del");
    bool list = argc >= 1 && !strcmp(argv[0], "list");
    if (!add && !del && !list)
        return fail("%s", "usage: msgrd app add ID KEY | app del ID | app list  [--data-dir DIR]");
    if (open_store(cfg, &st) != 0)
        return 1;
    int rc = add ? store_app_set(st, argv[1], argv[2])
             : del ? store_app_delete(st, argv[1])
                   : store_app_list(st, print_app, NULL);
    store_close(st);
    if (rc == STORE_E_NOTFOUND)
        return fail("no application %s", argv[1]);
    return rc == 0 ? 0 : fail("store: %s", store_strerror(rc));
}
