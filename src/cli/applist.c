/*
 * applist.c - msgr's list of registered applications (applist.h).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "applist.h"
#include "profile.h"
#include "cli.h"

#define LIST_NAME "msgr-apps"
#define LINE_MAX_LEN 2048 /* a GUID and three strings of at most 260 bytes */

bool app_guid_parse(const char *s, char out[APP_GUID_LEN + 1])
{
    static const char FORM[] = "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}";
    if (!s || strlen(s) != APP_GUID_LEN)
        return false;
    for (size_t i = 0; i < APP_GUID_LEN; i++)
        if (FORM[i] == 'X' ? !isxdigit((unsigned char)s[i]) : s[i] != FORM[i])
            return false;
    for (size_t i = 0; out && i <= APP_GUID_LEN; i++)
        out[i] = (char)toupper((unsigned char)s[i]);
    return true;
}

static void entry_free(app_entry *e)
{
    free(e->name);
    free(e->url);
    free(e->path);
}

void applist_free(app_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        entry_free(&l->items[i]);
    free(l->items);
    free(l->file);
    memset(l, 0, sizeof *l);
}

const app_entry *applist_find(const app_list *l, const char *guid)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcasecmp(l->items[i].guid, guid) == 0)
            return &l->items[i];
    return NULL;
}

int applist_put(app_list *l, const char *guid, const char *name, const char *url,
                const char *path)
{
    app_entry e = { .name = strdup(name), .url = strdup(url ? url : ""), .path = strdup(path) };
    if (!app_guid_parse(guid, e.guid) || !e.name || !e.url || !e.path) {
        entry_free(&e);
        return -1;
    }
    (void)applist_remove(l, e.guid);
    app_entry *t = realloc(l->items, (l->n + 1) * sizeof *t);
    if (!t) {
        entry_free(&e);
        return -1;
    }
    l->items = t;
    t[l->n++] = e;
    return 0;
}

bool applist_remove(app_list *l, const char *guid)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcasecmp(l->items[i].guid, guid) == 0) {
            entry_free(&l->items[i]);
            memmove(&l->items[i], &l->items[i + 1], (l->n - i - 1) * sizeof *l->items);
            l->n--;
            return true;
        }
    return false;
}

/* "{GUID}\tname\turl\tpath": what does not parse is skipped. */
static void parse_line(app_list *l, char *line)
{
    char *f[4];
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '#' || line[0] == '\0')
        return;
    f[0] = line;
    for (int i = 1; i < 4; i++) {
        char *tab = f[i - 1] ? strchr(f[i - 1], '\t') : NULL;
        f[i] = tab ? tab + 1 : NULL;
        if (tab)
            *tab = '\0';
    }
    if (f[3] && *f[1] && *f[3])
        (void)applist_put(l, f[0], f[1], f[2], f[3]);
}

/* Like the config file: a list others may change is not trusted. */
static int check_file(const char *path, int fd)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != getuid()) {
        cli_error("%s is not a regular file of yours", path);
        return -1;
    }
    if (st.st_mode & 022) {
        cli_error("%s may be written by group or others; run: chmod 600 %s", path, path);
        return -1;
    }
    return 0;
}

int applist_load(const char *dir, app_list *l)
{
    char line[LINE_MAX_LEN];
    memset(l, 0, sizeof *l);
    size_t n = strlen(dir) + sizeof "/" LIST_NAME;
    if (!(l->file = malloc(n))) {
        cli_error("out of memory");
        return -1;
    }
    snprintf(l->file, n, "%s/%s", dir, LIST_NAME);
    int fd = open(l->file, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return 0;
    FILE *f = fd >= 0 && check_file(l->file, fd) == 0 ? fdopen(fd, "r") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        else
            cli_error("cannot read %s: %s", l->file, strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof line, f))
        parse_line(l, line);
    fclose(f);
    return 0;
}

static int write_entries(FILE *f, const void *ctx)
{
    const app_list *l = ctx;
    fputs("# applications registered by msgr app register (GUID, name, URL, path)\n", f);
    for (size_t i = 0; i < l->n; i++)
        fprintf(f, "%s\t%s\t%s\t%s\n", l->items[i].guid, l->items[i].name, l->items[i].url,
                l->items[i].path);
    return fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0 ? -1 : 0;
}

int applist_save(const app_list *l)
{
    int rc = private_file_replace(l->file, write_entries, l);
    if (rc != 0)
        cli_error("cannot write %s: %s", l->file, strerror(errno));
    return rc;
}
