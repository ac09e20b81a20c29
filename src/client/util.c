/*
 * util.c - small string and file-system helpers of libmsgr.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

char *msgr_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Replaces *dst by a copy of src; keeps the old value if out of memory. */
void msgr_str_replace(char **dst, const char *src)
{
    char *copy = msgr_strdup(src);
    if (!copy && src)
        return;
    free(*dst);
    *dst = copy;
}

void msgr_lower(char *s)
{
    for (; s && *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

int phone_index(MPHONE_TYPE t)
{
    switch (t) {
    case MPHONE_TYPE_HOME: return PHONE_HOME;
    case MPHONE_TYPE_WORK: return PHONE_WORK;
    case MPHONE_TYPE_MOBILE: return PHONE_MOBILE;
    default: return -1;
    }
}

static const char *const phone_codes[PHONE_COUNT] = { "PHH", "PHW", "PHM" };

int phone_index_from_code(const char *code)
{
    for (int i = 0; i < PHONE_COUNT; i++)
        if (strcmp(code, phone_codes[i]) == 0)
            return i;
    return -1;
}

const char *phone_code(int idx)
{
    return idx >= 0 && idx < PHONE_COUNT ? phone_codes[idx] : NULL;
}

/* $XDG_xxx/msgr, else $HOME/<home_suffix>/msgr; NULL without either. */
char *msgr_default_dir(const char *xdg_var, const char *home_suffix)
{
    const char *xdg = getenv(xdg_var);
    const char *home = getenv("HOME");
    char buf[4096];
    int n;
    if (xdg && *xdg == '/')
        n = snprintf(buf, sizeof buf, "%s/msgr", xdg);
    else if (home && *home)
        n = snprintf(buf, sizeof buf, "%s/%s/msgr", home, home_suffix);
    else
        return NULL;
    return n > 0 && (size_t)n < sizeof buf ? msgr_strdup(buf) : NULL;
}

/* mkdir -p with mode for every directory it creates. */
int msgr_mkdir_p(const char *path, unsigned mode)
{
    char buf[4096];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, path, len + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, (mode_t)mode) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, (mode_t)mode) != 0 && errno != EEXIST)
        return -1;
    return 0;
}
