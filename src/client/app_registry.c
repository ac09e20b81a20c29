/*
 * app_registry.c - the per-user registry of Session Invite applications
 * (RegisterApplication / UnRegisterApplication, api-scope.md 5.16, 6.2),
 * the file that replaces Windows Messenger's
 * HKLM\Software\Microsoft\MessengerService\SessionManager\Apps key.
 *
 * File: <config_dir>/apps.ini (config_dir of msgr_options, default
 * $XDG_CONFIG_HOME/msgr), directory 0700, file 0600, replaced atomically
 * (temporary file, fsync, rename). An INI file, one section per
 * application:
 *
 *   # msgr application registry (Session Invite)
 *   [{2F8E7C1A-0B3D-4E5F-8A9B-1C2D3E4F5A6B}]
 *   name=Chess
 *   url=https://example.com/chess
 *   path=/usr/local/bin/chess
 *
 * Because the registry names programs that the messenger starts when an
 * invitation is accepted, a file that is not a regular file of the
 * current user, or that group or others may write, is refused as a whole.
 * Inside an accepted file, what does not parse is skipped: a section
 * whose name is not a GUID, an unknown key, a value that is too long or
 * holds control characters, an application without name or absolute
 * path, a GUID seen before. The file is read afresh for every operation,
 * so every process of the user sees the same registry.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "msnp_invite.h"
#include "msnp_url.h"

#define APPS_FILE "apps.ini"
#define APPS_FILE_MAX (256 * 1024) /* a larger file is not ours: refused */
#define APPS_MAX 256               /* applications kept; later ones skipped */

typedef struct app_list {
    app_info *items;
    size_t n;
} app_list;

/* ---- text rules shared with the sessions --------------------------------- */

/* UTF-8, at most max bytes, no control character but tab: what fits in
 * one MSNP field or one line of the file. */
bool sinv_text_valid(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max || !msnp_utf8_valid(s, n))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return false;
    }
    return true;
}

bool sinv_guid_normalize(const char *in, char out[SINV_GUID_SIZE])
{
    if (!in || !msnp_guid_valid(in))
        return false;
    for (size_t i = 0; i < SINV_GUID_SIZE; i++) {
        char c = in[i];
        out[i] = (c >= 'a' && c <= 'f') ? (char)(c - 'a' + 'A') : c;
    }
    return true;
}

/* ---- reading ------------------------------------------------------------------ */

static char *apps_path(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%s/%s", dir, name);
    return p;
}

/* The whole file, or NULL with *missing set when there is none. NULL
 * without *missing: unreadable, too large or not safe to trust. */
static char *read_registry(const char *path, bool *missing)
{
    struct stat st;
    *missing = false;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        *missing = errno == ENOENT;
        return NULL;
    }
    char *text = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
        (st.st_mode & 022) == 0 && st.st_size <= APPS_FILE_MAX)
        text = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (text && got < (size_t)st.st_size) {
        ssize_t r = read(fd, text + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (text)
        text[got] = '\0';
    return text;
}

static app_info *find(app_list *l, const char *guid)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].guid, guid) == 0)
            return &l->items[i];
    return NULL;
}

/* "[{GUID}]": starts a new application, or NULL (section skipped). */
static app_info *start_section(app_list *l, char *line)
{
    char guid[SINV_GUID_SIZE];
    size_t n = strlen(line);
    if (n < 2 || line[n - 1] != ']' || l->n >= APPS_MAX)
        return NULL;
    line[n - 1] = '\0';
    if (!sinv_guid_normalize(line + 1, guid) || find(l, guid))
        return NULL;
    app_info *a = &l->items[l->n++];
    memset(a, 0, sizeof *a);
    memcpy(a->guid, guid, sizeof guid);
    return a;
}

/* "key=value" of the current application; false marks it broken. */
static bool set_key(app_info *a, const char *key, const char *value)
{
    char *dst = NULL;
    size_t max = 0;
    if (strcmp(key, "name") == 0) {
        dst = a->name;
        max = MSGR_APP_NAME_MAX;
    } else if (strcmp(key, "url") == 0) {
        dst = a->url;
        max = MSGR_APP_URL_MAX;
    } else if (strcmp(key, "path") == 0) {
        dst = a->path;
        max = MSGR_APP_PATH_MAX;
    } else {
        return true; /* unknown keys are someone else's */
    }
    if (!sinv_text_valid(value, max))
        return false;
    memcpy(dst, value, strlen(value) + 1);
    return true;
}

/* Keeps the applications that are complete and sound. */
static void drop_incomplete(app_list *l, const bool *broken)
{
    size_t out = 0;
    for (size_t i = 0; i < l->n; i++) {
        const app_info *a = &l->items[i];
        if (broken[i] || !a->name[0] || a->path[0] != '/')
            continue;
        if (out != i)
            l->items[out] = *a;
        out++;
    }
    l->n = out;
}

static void parse_registry(app_list *l, char *text)
{
    bool broken[APPS_MAX] = { false };
    app_info *cur = NULL;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        line[strcspn(line, "\r")] = '\0';
        if (line[0] == '\0' || line[0] == '#' || line[0] == ';')
            continue;
        if (line[0] == '[') {
            cur = start_section(l, line);
            continue;
        }
        char *eq = strchr(line, '=');
        if (!cur || !eq)
            continue;
        *eq = '\0';
        if (!set_key(cur, line, eq + 1))
            broken[cur - l->items] = true;
    }
    drop_incomplete(l, broken);
}

/* Loads the registry of dir: 0, or -1 when it cannot be trusted or read
 * (a missing file is an empty registry). */
static int load(const char *dir, app_list *l)
{
    bool missing = false;
    l->n = 0;
    l->items = NULL;
    char *path = dir ? apps_path(dir, APPS_FILE) : NULL;
    if (!path)
        return -1;
    char *text = read_registry(path, &missing);
    free(path);
    if (!text && !missing)
        return -1;
    l->items = calloc(APPS_MAX + 1, sizeof *l->items); /* +1: room to add */
    if (!l->items) {
        free(text);
        return -1;
    }
    if (text)
        parse_registry(l, text);
    free(text);
    return 0;
}

/* ---- writing ------------------------------------------------------------------ */

static bool write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        s += w;
        n -= (size_t)w;
    }
    return true;
}

static bool write_entries(int fd, const app_list *l)
{
    msnp_buf b = MSNP_BUF_INIT;
    bool ok = msnp_buf_append_str(&b, "# msgr application registry (Session Invite)\n") ==
              MSNP_OK;
    for (size_t i = 0; ok && i < l->n; i++) {
        const app_info *a = &l->items[i];
        ok = msnp_buf_appendf(&b, "[%s]\nname=%s\nurl=%s\npath=%s\n", a->guid, a->name,
                              a->url, a->path) == MSNP_OK;
    }
    ok = ok && write_all(fd, b.data, b.len);
    msnp_buf_free(&b);
    return ok;
}

/* Replaces the file atomically: readers see the old or the new one. */
static int save(const char *dir, const app_list *l)
{
    char *path = apps_path(dir, APPS_FILE), *tmp = apps_path(dir, ".apps.ini.XXXXXX");
    int rc = -1;
    if (!path || !tmp || msgr_mkdir_p(dir, 0700) != 0)
        goto out;
    int fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0)
        goto out;
    bool ok = fchmod(fd, 0600) == 0 && write_entries(fd, l) && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (ok && rename(tmp, path) == 0)
        rc = 0;
    else
        unlink(tmp);
out:
    free(path);
    free(tmp);
    return rc;
}

/* ---- the operations ------------------------------------------------------------ */

msgr_hr apps_register(const char *dir, const app_info *app)
{
    app_list l;
    if (load(dir, &l) != 0)
        return MSGR_E_REGDB_WRITEREGDB;
    msgr_hr hr = MSGR_S_OK;
    if (find(&l, app->guid))
        hr = SR_APP_ALREADY_REGISTERED;
    else if (l.n >= APPS_MAX)
        hr = MSGR_E_REGDB_WRITEREGDB; /* the file holds no more */
    if (hr == MSGR_S_OK) {
        l.items[l.n++] = *app;
        if (save(dir, &l) != 0)
            hr = MSGR_E_REGDB_WRITEREGDB;
    }
    free(l.items);
    return hr;
}

msgr_hr apps_unregister(const char *dir, const char *guid)
{
    app_list l;
    if (load(dir, &l) != 0)
        return MSGR_E_REGDB_WRITEREGDB;
    msgr_hr hr = SR_APP_NOT_REGISTERED;
    app_info *a = find(&l, guid);
    if (a) {
        memmove(a, a + 1, (size_t)(l.items + l.n - (a + 1)) * sizeof *a);
        l.n--;
        hr = save(dir, &l) == 0 ? MSGR_S_OK : MSGR_E_REGDB_WRITEREGDB;
    }
    free(l.items);
    return hr;
}

msgr_hr apps_lookup(const char *dir, const char *guid, app_info *out)
{
    app_list l;
    if (load(dir, &l) != 0)
        return MSGR_E_REGDB_WRITEREGDB;
    const app_info *a = find(&l, guid);
    if (a)
        *out = *a;
    free(l.items);
    return a ? MSGR_S_OK : SR_APP_NOT_REGISTERED;
}
