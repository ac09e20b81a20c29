/*
 * profile.c - reading and writing msgr's config file (format: profile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "profile.h"

#define LINE_MAX_LEN 4096

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static char *join3(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s%s", a, b, c);
    return p;
}

/* $VAR/suffix, else $HOME/home_suffix/suffix. */
static char *xdg_path(const char *var, const char *home_suffix, const char *suffix)
{
    const char *base = getenv(var);
    if (base && *base == '/')
        return join3(base, "/", suffix);
    const char *home = getenv("HOME");
    if (!home || !*home)
        return NULL;
    char *dir = join3(home, "/", home_suffix);
    char *p = dir ? join3(dir, "/", suffix) : NULL;
    free(dir);
    return p;
}

int profile_set(char **field, const char *value)
{
    char *copy = NULL;
    if (value && !(copy = dup_str(value)))
        return -1;
    free(*field);
    *field = copy;
    return 0;
}

int profile_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 64 || name[0] == '.')
        return 0;
    return strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                        "0123456789._-") == n;
}

static void profile_free(profile *p)
{
    free(p->name);
    free(p->server);
    free(p->nexus);
    free(p->ca_file);
    free(p->signin);
    free(p->status);
    free(p->app_id);
    free(p->serve);
    if (p->app_key)
        memset(p->app_key, 0, strlen(p->app_key));
    free(p->app_key);
}

void config_free(config *c)
{
    for (size_t i = 0; i < c->count; i++)
        profile_free(&c->items[i]);
    free(c->items);
    free(c->path);
    free(c->dflt);
    memset(c, 0, sizeof *c);
}

profile *config_find(config *c, const char *name)
{
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->items[i].name, name) == 0)
            return &c->items[i];
    return NULL;
}

profile *config_get(config *c, const char *name)
{
    profile *p = config_find(c, name);
    if (p)
        return p;
    profile *t = realloc(c->items, (c->count + 1) * sizeof *t);
    if (!t)
        return NULL;
    c->items = t;
    p = &t[c->count];
    memset(p, 0, sizeof *p);
    if (!(p->name = dup_str(name)))
        return NULL;
    c->count++;
    return p;
}

const char *config_pick(const config *c, const char *option)
{
    if (option)
        return option;
    return c->dflt ? c->dflt : "default";
}

/* The directory part of path ("." when there is none), malloc'd. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return dup_str(".");
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

char *profile_dir(const config *c, const char *name)
{
    char *dir = dir_of(c->path);
    char *p = dir ? join3(dir, "/profiles/", name) : NULL;
    free(dir);
    return p;
}

bool profile_serves(const profile *p)
{
    static const char *const off[] = { "no", "off", "false", "0" };
    for (size_t i = 0; p && p->serve && i < sizeof off / sizeof off[0]; i++)
        if (strcasecmp(p->serve, off[i]) == 0)
            return false;
    return true;
}

char *profile_cache_dir(const char *name)
{
    char *sub = join3("msgr", "/", name);
    char *p = sub ? xdg_path("XDG_CACHE_HOME", ".cache", sub) : NULL;
    free(sub);
    return p;
}

char *profile_nexus_url(const char *value)
{
    if (strstr(value, "://"))
        return dup_str(value);
    return join3("https://", value, "/rdr/pprdr.asp");
}

/* ---- parsing ----------------------------------------------------------------- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
                     s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

static char **profile_field(profile *p, const char *key)
{
    if (strcmp(key, "server") == 0)
        return &p->server;
    if (strcmp(key, "nexus") == 0)
        return &p->nexus;
    if (strcmp(key, "ca-file") == 0)
        return &p->ca_file;
    if (strcmp(key, "signin") == 0)
        return &p->signin;
    if (strcmp(key, "status") == 0)
        return &p->status;
    if (strcmp(key, "app-id") == 0)
        return &p->app_id;
    if (strcmp(key, "app-key") == 0)
        return &p->app_key;
    if (strcmp(key, "serve") == 0)
        return &p->serve;
    return NULL;
}

/* One "[name]" or "key = value" line; *cur is the current section. */
static int parse_line(config *c, profile **cur, char *line, const char **why)
{
    char *s = trim(line);
    if (*s == '\0' || *s == '#' || *s == ';')
        return 0;
    if (*s == '[') {
        char *end = strchr(s, ']');
        if (!end || end[1] != '\0')
            return *why = "malformed section header", -1;
        *end = '\0';
        if (!profile_name_valid(s + 1))
            return *why = "bad profile name (letters, digits, '.', '_', '-')", -1;
        *cur = config_get(c, s + 1);
        return *cur ? 0 : (*why = "out of memory", -1);
    }
    char *eq = strchr(s, '=');
    if (!eq)
        return *why = "expected 'key = value'", -1;
    *eq = '\0';
    char *key = trim(s), *val = trim(eq + 1);
    char **field = *cur ? profile_field(*cur, key)
                        : (strcmp(key, "default") == 0 ? &c->dflt : NULL);
    if (!field)
        return *why = "unknown key", -1;
    if (profile_set(field, *val ? val : NULL) != 0)
        return *why = "out of memory", -1;
    return 0;
}

static int check_mode(const char *path, int fd)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        cli_error("config file %s is not a regular file", path);
        return -1;
    }
    if (st.st_mode & 077) {
        cli_error("config file %s is accessible by group or others (mode %03o); "
                  "run: chmod 600 %s", path, (unsigned)(st.st_mode & 0777), path);
        return -1;
    }
    return 0;
}

static int parse_file(config *c, FILE *f)
{
    char line[LINE_MAX_LEN];
    profile *cur = NULL;
    unsigned lineno = 0;
    while (fgets(line, sizeof line, f)) {
        const char *why = NULL;
        lineno++;
        if (!strchr(line, '\n') && !feof(f))
            why = "line too long";
        if (why || parse_line(c, &cur, line, &why) != 0) {
            cli_error("config file %s line %u: %s", c->path, lineno, why);
            return -1;
        }
    }
    return 0;
}

/* path made absolute: the credentials directory is derived from it and
 * must not depend on where a later command runs. */
static char *absolute_path(const char *path)
{
    char cwd[4096];
    if (path[0] == '/' || !getcwd(cwd, sizeof cwd))
        return dup_str(path);
    return join3(cwd, "/", path);
}

int config_load(const char *path, config *c)
{
    memset(c, 0, sizeof *c);
    c->path = path ? absolute_path(path) : xdg_path("XDG_CONFIG_HOME", ".config", "msgr/config");
    if (!c->path) {
        cli_error("cannot locate the config file: set HOME or use --config");
        return -1;
    }
    int fd = open(c->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return 0;
    if (fd < 0) {
        cli_error("cannot open config file %s: %s", c->path, strerror(errno));
        return -1;
    }
    FILE *f = check_mode(c->path, fd) == 0 ? fdopen(fd, "r") : NULL;
    if (!f) {
        close(fd);
        return -1;
    }
    int rc = parse_file(c, f);
    fclose(f);
    return rc;
}

/* ---- writing ----------------------------------------------------------------- */

/* mkdir -p, each created directory 0700. */
static int make_dirs(const char *dir)
{
    char *buf = dup_str(dir);
    int rc = buf ? 0 : -1;
    for (char *p = buf ? buf + 1 : NULL; p && *p && rc == 0; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            rc = -1;
        *p = '/';
    }
    if (rc == 0 && mkdir(buf, 0700) != 0 && errno != EEXIST)
        rc = -1;
    free(buf);
    return rc;
}

static void write_profile(FILE *f, const profile *p)
{
    static const char *const keys[] = { "server", "nexus", "ca-file", "signin", "status",
                                        "app-id", "app-key", "serve" };
    const char *vals[] = { p->server, p->nexus, p->ca_file, p->signin, p->status,
                           p->app_id, p->app_key, p->serve };
    fprintf(f, "\n[%s]\n", p->name);
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        if (vals[k])
            fprintf(f, "%s = %s\n", keys[k], vals[k]);
}

static int write_all(const config *c, FILE *f)
{
    fputs("# msgr profiles, written by msgr login (mode 0600).\n"
          "# Passwords are kept in profiles/<name>/credentials next to this file.\n", f);
    if (c->dflt)
        fprintf(f, "default = %s\n", c->dflt);
    for (size_t i = 0; i < c->count; i++)
        write_profile(f, &c->items[i]);
    if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0)
        return -1;
    return 0;
}

int private_file_replace(const char *path, int (*write)(FILE *f, const void *ctx),
                         const void *ctx)
{
    char *tmp = join3(path, ".tmp", "");
    int rc = -1;
    if (tmp) {
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (f) {
            /* an old temporary file keeps its mode: force 0600 */
            rc = fchmod(fd, 0600) == 0 && write(f, ctx) == 0 ? 0 : -1;
            if (fclose(f) != 0)
                rc = -1;
            if (rc == 0 && rename(tmp, path) != 0)
                rc = -1;
        } else if (fd >= 0)
            close(fd);
        if (rc != 0)
            unlink(tmp);
    }
    free(tmp);
    return rc;
}

static int write_config(FILE *f, const void *c)
{
    return write_all(c, f);
}

int config_save(const config *c)
{
    char *dir = dir_of(c->path);
    int rc = dir && make_dirs(dir) == 0 ? private_file_replace(c->path, write_config, c) : -1;
    if (rc != 0)
        cli_error("cannot write config file %s: %s", c->path, strerror(errno));
    free(dir);
    return rc;
}
