/* config.c - msgrd options: defaults, INI file, command line (config.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum opt_type { OPT_STRING, OPT_UINT, OPT_BOOL } opt_type;

typedef struct opt_def {
    const char *name;
    opt_type type;
    size_t offset;
    const char *def;   /* default as text; NULL = unset string */
    const char *help;
} opt_def;

#define OFF(field) offsetof(msgrd_config, field)

/* The one table of options: defaults, INI keys, command-line flags and
 * --help all come from here, so they cannot drift apart. */
static const opt_def options[] = {
    { "data-dir", OPT_STRING, OFF(data_dir), "msgrd-data", "directory of the store, certificate and key" },
    { "listen", OPT_STRING, OFF(listen), "127.0.0.1:1863", "MSNP address (notification server and switchboard), HOST:PORT" },
    { "login-listen", OPT_STRING, OFF(login_listen), "127.0.0.1:8443", "Passport 1.4 nexus and login address, HOST:PORT" },
    { "public-address", OPT_STRING, OFF(public_address), NULL, "HOST:PORT given to clients in XFR and RNG (default: the bound MSNP address)" },
    { "login-host", OPT_STRING, OFF(login_host), NULL, "host[:port] announced as DALogin by the nexus (default: the bound login address)" },
    { "plain-login", OPT_BOOL, OFF(plain_login), "false", "serve Passport over plain HTTP (allowed on loopback only)" },
    { "dispatch", OPT_STRING, OFF(dispatch), NULL, "dispatch mode: answer USR TWN I with XFR NS to this HOST:PORT" },
    { "sync", OPT_STRING, OFF(sync_mode), "full", "store durability: full (fsync every change) or normal" },
    { "ticket-ttl", OPT_UINT, OFF(ticket_ttl), "600", "seconds a Passport ticket stays valid" },
    { "sb-ticket-ttl", OPT_UINT, OFF(sb_ticket_ttl), "60", "seconds an XFR SB cookie stays valid" },
    { "rng-ticket-ttl", OPT_UINT, OFF(rng_ticket_ttl), "120", "seconds an RNG cookie stays valid" },
    { "chl-interval", OPT_UINT, OFF(chl_interval), "0", "seconds between repeated challenges (0 = only at login)" },
    { "chl-timeout", OPT_UINT, OFF(chl_timeout), "120", "seconds a client has to answer CHL" },
    { "chl-lenient", OPT_BOOL, OFF(chl_lenient), "false", "accept QRY from unknown product ids without checking" },
    { "login-timeout", OPT_UINT, OFF(login_timeout), "60", "seconds a connection may stay unauthenticated" },
    { "idle-timeout", OPT_UINT, OFF(idle_timeout), "900", "seconds of silence before a notification session is closed" },
    { "sb-idle-timeout", OPT_UINT, OFF(sb_idle_timeout), "1800", "seconds without relayed messages before a switchboard closes" },
    { "sb-alone-timeout", OPT_UINT, OFF(sb_alone_timeout), "300", "seconds a member may sit alone in a switchboard" },
    { "sb-max-members", OPT_UINT, OFF(sb_max_members), "20", "members per switchboard session" },
    { "sb-max-sessions", OPT_UINT, OFF(sb_max_sessions), "50", "open switchboard sessions per user" },
    { "sb-flood-limit", OPT_UINT, OFF(sb_flood_limit), "100", "switchboard MSGs per second per connection before it is dropped (0 = no limit)" },
    { "fl-limit", OPT_UINT, OFF(fl_limit), "150", "forward list entries per user" },
    { "al-limit", OPT_UINT, OFF(al_limit), "600", "allow list entries per user" },
    { "bl-limit", OPT_UINT, OFF(bl_limit), "600", "block list entries per user" },
    { "rl-limit", OPT_UINT, OFF(rl_limit), "1000", "reverse list entries per user" },
    { "max-line", OPT_UINT, OFF(max_line), "8192", "longest accepted command line in bytes" },
    { "max-sb-payload", OPT_UINT, OFF(max_sb_payload), "1664", "largest switchboard MSG payload in bytes" },
    { "output-limit", OPT_UINT, OFF(output_limit), "1048576", "bytes queued to a slow reader before it is dropped" },
    { "login-fail-limit", OPT_UINT, OFF(login_fail_limit), "10", "failed logins per window, per account and per address" },
    { "login-fail-window", OPT_UINT, OFF(login_fail_window), "300", "seconds of the failed-login window" },
    { "rea-limit", OPT_UINT, OFF(rea_limit), "5", "own friendly-name changes per minute" },
    { "chg-limit", OPT_UINT, OFF(chg_limit), "10", "status changes per 10 seconds" },
    { "truncate-password", OPT_BOOL, OFF(truncate_password), "false", "also accept the first 16 characters of a longer password" },
    { "argon2-ops", OPT_UINT, OFF(argon2_ops), "2", "argon2id passes (libsodium opslimit)" },
    { "argon2-mem-kib", OPT_UINT, OFF(argon2_mem_kib), "65536", "argon2id memory in KiB" },
    { "hash-threads", OPT_UINT, OFF(hash_threads), "2", "threads verifying passwords" },
    { "group0-name", OPT_STRING, OFF(group0_name), "Other Contacts", "name of group 0 in new accounts (\"~\" for first-run behaviour)" },
    { "url-base", OPT_STRING, OFF(url_base), "http://127.0.0.1/", "base URL of the pages the URL command points to" },
    { "log-level", OPT_STRING, OFF(log_level), "info", "error, warn, info or debug" },
    { "lock-and-key", OPT_BOOL, OFF(lock_and_key), "true", "Lock and Key for MessengerPriv/MsgrSessionManager (false: APIs usable unlocked)" },
    { "lk-challenge-ttl", OPT_UINT, OFF(lk_challenge_ttl), "60", "seconds a Lock and Key challenge stays valid" },
    { "admin-listen", OPT_STRING, OFF(admin_listen), "127.0.0.1:0", "admin HTTP endpoint HOST:PORT (port 0: any free port; the bound address goes to DATA_DIR/admin-address, the token to DATA_DIR/admin-token); off disables" },
};

#define NOPTIONS (sizeof options / sizeof options[0])

static const opt_def *find_option(const char *name)
{
    for (size_t i = 0; i < NOPTIONS; i++)
        if (strcmp(options[i].name, name) == 0)
            return &options[i];
    return NULL;
}

static int parse_bool(const char *v, bool *out)
{
    if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on") || !strcmp(v, "1"))
        *out = true;
    else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off") || !strcmp(v, "0"))
        *out = false;
    else
        return -1;
    return 0;
}

static int parse_uint(const char *v, unsigned *out)
{
    if (!*v || !isdigit((unsigned char)*v))
        return -1;
    errno = 0;
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || *end || n > UINT_MAX)
        return -1;
    *out = (unsigned)n;
    return 0;
}

static int apply(msgrd_config *c, const opt_def *o, const char *value, char *err, size_t errlen)
{
    char *base = (char *)c;
    switch (o->type) {
    case OPT_STRING: {
        char **slot = (char **)(void *)(base + o->offset);
        char *copy = value ? strdup(value) : NULL;
        if (value && !copy) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        free(*slot);
        *slot = copy;
        return 0;
    }
    case OPT_UINT:
        if (parse_uint(value, (unsigned *)(void *)(base + o->offset)) != 0) {
            snprintf(err, errlen, "option %s: '%s' is not a non-negative integer", o->name, value);
            return -1;
        }
        return 0;
    case OPT_BOOL:
        if (parse_bool(value, (bool *)(void *)(base + o->offset)) != 0) {
            snprintf(err, errlen, "option %s: '%s' is not true or false", o->name, value);
            return -1;
        }
        return 0;
    }
    return -1;
}

int config_init(msgrd_config *c)
{
    char err[128];
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < NOPTIONS; i++) {
        if (!options[i].def)
            continue;
        if (apply(c, &options[i], options[i].def, err, sizeof err) != 0) {
            config_free(c);
            return -1;
        }
    }
    return 0;
}

void config_free(msgrd_config *c)
{
    char *base = (char *)c;
    for (size_t i = 0; i < NOPTIONS; i++) {
        if (options[i].type == OPT_STRING) {
            char **slot = (char **)(void *)(base + options[i].offset);
            free(*slot);
            *slot = NULL;
        }
    }
    free(c->config_file);
    c->config_file = NULL;
}

int config_set(msgrd_config *c, const char *key, const char *value, char *err, size_t errlen)
{
    const opt_def *o = find_option(key);
    if (!o) {
        snprintf(err, errlen, "unknown option '%s'", key);
        return -1;
    }
    if (!value) {
        if (o->type != OPT_BOOL) {
            snprintf(err, errlen, "option %s needs a value", key);
            return -1;
        }
        value = "true";
    }
    if (o->type == OPT_STRING && !strcmp(key, "sync") && strcmp(value, "full") && strcmp(value, "normal")) {
        snprintf(err, errlen, "option sync: '%s' is not full or normal", value);
        return -1;
    }
    return apply(c, o, value, err, errlen);
}

bool config_is_flag(const char *key)
{
    const opt_def *o = find_option(key);
    return o && o->type == OPT_BOOL;
}

bool config_has_option(const char *key)
{
    return find_option(key) != NULL;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

int config_load_file(msgrd_config *c, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char line[4096], msg[256];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, errlen, "%s:%d: line too long", path, lineno);
            rc = -1;
            break;
        }
        char *s = trim(line);
        if (!*s || *s == '#' || *s == ';' || *s == '[')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
            rc = -1;
            break;
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        if (config_set(c, key, value, msg, sizeof msg) != 0) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
            rc = -1;
            break;
        }
    }
    fclose(f);
    if (rc == 0) {
        free(c->config_file);
        c->config_file = strdup(path);
    }
    return rc;
}

void config_print_help(FILE *out)
{
    for (size_t i = 0; i < NOPTIONS; i++) {
        const opt_def *o = &options[i];
        char flag[64];
        bool on_by_default = o->type == OPT_BOOL && o->def && !strcmp(o->def, "true");
        snprintf(flag, sizeof flag, "--%s%s", o->name,
                 on_by_default ? "=false" : o->type == OPT_BOOL ? "" : o->type == OPT_UINT ? " N" : " VALUE");
        fprintf(out, "  %-28s %s", flag, o->help);
        if (o->def && o->type != OPT_BOOL)
            fprintf(out, " [%s]", o->def);
        fputc('\n', out);
    }
    fprintf(out, "  %-28s %s\n", "--config FILE", "read options from an INI file (key = value; command line wins)");
}

int config_split_hostport(const char *s, char **host, unsigned *port)
{
    const char *colon;
    const char *hstart = s;
    size_t hlen;
    if (*s == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':')
            return -1;
        hstart = s + 1;
        hlen = (size_t)(close - hstart);
        colon = close + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon)
            return -1;
        hlen = (size_t)(colon - s);
    }
    unsigned p;
    if (hlen == 0 || parse_uint(colon + 1, &p) != 0 || p > 65535)
        return -1;
    *host = strndup(hstart, hlen);
    if (!*host)
        return -1;
    *port = p;
    return 0;
}
