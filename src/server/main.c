/* main.c - msgrd command line: serve, user, app, --help. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "config.h"
#include "log.h"
#include "server.h"

#define MSGRD_VERSION "0.1.0"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: msgrd serve [options]          run the Messenger service\n"
            "       msgrd user add EMAIL [options]  create an account (password on stdin)\n"
            "       msgrd user passwd EMAIL         set a new password (stdin)\n"
            "       msgrd user del EMAIL            delete an account\n"
            "       msgrd user list                 list accounts\n"
            "       msgrd user import               bulk-create accounts from stdin:\n"
            "                                       'handle password [contact,...]' lines\n"
            "       msgrd app add ID KEY            store a Lock and Key application key\n"
            "       msgrd app del ID | app list\n"
            "       msgrd alert send USER TEXT [--url URL]  send an MSN Alert to a signed-in user\n"
            "       msgrd lock-and-key challenge USER   push a Lock and Key challenge to a user\n"
            "       msgrd lock-and-key on|off           switch Lock and Key of the running service\n"
            "       msgrd --help | --version\n"
            "\noptions (every one also settable in the --config INI file):\n");
    config_print_help(out);
}

/* Applies --config first, then every other --option, so the command line
 * wins over the file. Leaves positional arguments in pos[]. */
static int parse_options(msgrd_config *cfg, int argc, char **argv, char **pos, int *npos,
                         bool *help, const char **url)
{
    char err[256];
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--config")) {
            if (i + 1 >= argc || config_load_file(cfg, argv[i + 1], err, sizeof err) != 0) {
                fprintf(stderr, "msgrd: %s\n", i + 1 >= argc ? "--config needs a file" : err);
                return -1;
            }
            i++;
        } else if (!strncmp(argv[i], "--config=", 9) &&
                   config_load_file(cfg, argv[i] + 9, err, sizeof err) != 0) {
            fprintf(stderr, "msgrd: %s\n", err);
            return -1;
        }
    }
    *npos = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            *help = true;
            continue;
        }
        if (strncmp(a, "--", 2) != 0) {
            pos[(*npos)++] = argv[i];
            continue;
        }
        char key[64];
        const char *value = NULL;
        const char *eq = strchr(a + 2, '=');
        size_t klen = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (klen >= sizeof key) {
            fprintf(stderr, "msgrd: unknown option %s\n", a);
            return -1;
        }
        memcpy(key, a + 2, klen);
        key[klen] = '\0';
        if (!strcmp(key, "config")) {
            i += eq ? 0 : 1;
            continue;
        }
        /* --url belongs to "alert send", not to the service's options. */
        if (!strcmp(key, "url")) {
            if (!eq && i + 1 >= argc) {
                fprintf(stderr, "msgrd: option --url needs a value\n");
                return -1;
            }
            *url = eq ? eq + 1 : argv[++i];
            continue;
        }
        if (eq)
            value = eq + 1;
        else if (!config_is_flag(key) && config_has_option(key)) {
            if (i + 1 >= argc) {
                fprintf(stderr, "msgrd: option --%s needs a value\n", key);
                return -1;
            }
            value = argv[++i];
        }
        if (config_set(cfg, key, value, err, sizeof err) != 0) {
            fprintf(stderr, "msgrd: %s\n", err);
            return -1;
        }
    }
    return 0;
}

static int serve(msgrd_config *cfg)
{
    if (log_set_level_name(cfg->log_level) != 0) {
        fprintf(stderr, "msgrd: unknown log level '%s'\n", cfg->log_level);
        return 2;
    }
    server *srv = server_new(cfg);
    if (!srv)
        return 1;
    int rc = server_run(srv);
    server_free(srv);
    log_info("stopped");
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("msgrd %s\n", MSGRD_VERSION);
        return 0;
    }
    msgrd_config cfg;
    if (config_init(&cfg) != 0) {
        fprintf(stderr, "msgrd: out of memory\n");
        return 1;
    }
    char **pos = calloc((size_t)argc, sizeof *pos);
    int npos = 0, status = 2;
    bool help = false;
    const char *url = NULL;
    if (!pos || parse_options(&cfg, argc - 1, argv + 1, pos, &npos, &help, &url) != 0)
        goto out;
    if (help || npos == 0) {
        usage(help ? stdout : stderr);
        status = help ? 0 : 2;
        goto out;
    }
    if (!strcmp(pos[0], "serve") && npos == 1)
        status = serve(&cfg);
    else if (!strcmp(pos[0], "user") && npos == 2 && !strcmp(pos[1], "import"))
        status = admin_user_import(&cfg, stdin);
    else if (!strcmp(pos[0], "user"))
        status = admin_user(&cfg, npos - 1, pos + 1);
    else if (!strcmp(pos[0], "app"))
        status = admin_app(&cfg, npos - 1, pos + 1);
    else if (!strcmp(pos[0], "alert"))
        status = admin_alert(&cfg, npos - 1, pos + 1, url);
    else if (!strcmp(pos[0], "lock-and-key"))
        status = admin_lock_and_key(&cfg, npos - 1, pos + 1);
    else {
        fprintf(stderr, "msgrd: unknown command '%s' (see msgrd --help)\n", pos[0]);
        status = 2;
    }
out:
    free(pos);
    config_free(&cfg);
    return status;
}
