/*
 * cmd_app.c - msgr app register / unregister / list: the profile's
 * application registry for Session Invite.
 *
 * Registering goes through the session manager's RegisterApplication
 * (libmsgr keeps the registry, apps.ini in the profile's directory), and
 * that member is locked until the manager is unlocked, which needs a
 * signed-in session: so register and unregister sign in, like the other
 * commands. What msgr registered is also noted in msgr's own list
 * (applist.c), the only way to list it (Applications is not implemented).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "applist.h"
#include "apps.h"
#include "names.h"
#include "session.h"

typedef struct app_args {
    char guid[APP_GUID_LEN + 1];
    const char *name, *url;
    char path[PATH_MAX];
} app_args;

static app_args g_args;

/* The list of the command's profile (no sign-in needed to read it). */
static int load_list(const cli_ctx *ctx, app_list *l)
{
    config cfg;
    int rc = config_load(ctx->config, &cfg) == 0 ? CLI_OK : CLI_USAGE;
    char *dir = rc == CLI_OK ? profile_dir(&cfg, config_pick(&cfg, ctx->profile)) : NULL;
    if (rc == CLI_OK && !dir) {
        cli_error("out of memory");
        rc = CLI_FAIL;
    }
    if (rc == CLI_OK && applist_load(dir, l) != 0)
        rc = CLI_FAIL;
    free(dir);
    config_free(&cfg);
    return rc;
}

static int note_in_list(const cli_ctx *ctx, bool add)
{
    app_list l;
    int rc = load_list(ctx, &l);
    if (rc == CLI_OK && add &&
        applist_put(&l, g_args.guid, g_args.name, g_args.url, g_args.path) != 0) {
        cli_error("out of memory");
        rc = CLI_FAIL;
    } else if (rc == CLI_OK && !add)
        (void)applist_remove(&l, g_args.guid);
    if (rc == CLI_OK && applist_save(&l) != 0)
        rc = CLI_FAIL;
    applist_free(&l);
    return rc;
}

static int register_job(cli_session *s, cli_ctx *ctx)
{
    cli_apps a;
    int rc = apps_open(&a, s);
    if (rc != CLI_OK)
        return rc;
    msgr_hr hr = msgr_session_manager_register_application(a.mgr, g_args.guid, g_args.name,
                                                           g_args.url, g_args.path, 0);
    apps_stop(&a);
    if (MSGR_FAILED(hr)) {
        cli_error("cannot register %s: %s", g_args.guid, session_error_text(hr));
        return hr == MSGR_E_INVALIDARG || hr == SR_APP_ALREADY_REGISTERED ? CLI_USAGE
                                                                          : CLI_FAIL;
    }
    return note_in_list(ctx, true);
}

static int unregister_job(cli_session *s, cli_ctx *ctx)
{
    cli_apps a;
    int rc = apps_open(&a, s);
    if (rc != CLI_OK)
        return rc;
    msgr_hr hr = msgr_session_manager_unregister_application(a.mgr, g_args.guid);
    apps_stop(&a);
    if (hr == SR_APP_NOT_REGISTERED) {
        (void)note_in_list(ctx, false); /* it went some other way: forget it too */
        cli_error("%s is not registered", g_args.guid);
        return CLI_FAIL;
    }
    if (MSGR_FAILED(hr)) {
        cli_error("cannot unregister %s: %s", g_args.guid, session_error_text(hr));
        return CLI_FAIL;
    }
    return note_in_list(ctx, false);
}

static int list_apps(const cli_ctx *ctx)
{
    app_list l;
    int rc = load_list(ctx, &l);
    for (size_t i = 0; rc == CLI_OK && i < l.n; i++)
        printf("%s\t%s\t%s\t%s\n", l.items[i].guid, l.items[i].name, l.items[i].url,
               l.items[i].path);
    applist_free(&l);
    if (rc == CLI_OK && (fflush(stdout) != 0 || ferror(stdout))) {
        cli_error("cannot write the list");
        rc = CLI_FAIL;
    }
    return rc;
}

/* ---- arguments (checked before signing in: a mistake costs no session) ---- */

static int parse_guid(const char *arg)
{
    if (!app_guid_parse(arg, g_args.guid)) {
        cli_error("'%s' is not an application GUID ({XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX})",
                  arg);
        return CLI_USAGE;
    }
    return CLI_OK;
}

/* The program as an absolute path (libmsgr wants one; the registry is
 * used from anywhere), and executable. */
static int parse_path(const char *arg)
{
    struct stat st;
    if (!realpath(arg, g_args.path) || stat(g_args.path, &st) != 0 || !S_ISREG(st.st_mode) ||
        access(g_args.path, X_OK) != 0) {
        cli_error("%s is not an executable file", arg);
        return CLI_USAGE;
    }
    if (strlen(g_args.path) > MSGR_APP_PATH_MAX) {
        cli_error("the path of %s is too long (at most %d bytes)", arg, MSGR_APP_PATH_MAX);
        return CLI_USAGE;
    }
    return CLI_OK;
}

static int parse_register(const cli_ctx *ctx)
{
    int rc = ctx->npos == 4 ? parse_guid(ctx->pos[1]) : CLI_USAGE;
    if (ctx->npos != 4)
        cli_error("usage: msgr app register GUID NAME PATH [--url URL]");
    g_args.name = ctx->npos == 4 ? ctx->pos[2] : "";
    g_args.url = ctx->url ? ctx->url : "";
    if (rc == CLI_OK && (!*g_args.name || strlen(g_args.name) > MSGR_APP_NAME_MAX)) {
        cli_error("the name must have 1 to %d bytes", MSGR_APP_NAME_MAX);
        rc = CLI_USAGE;
    }
    if (rc == CLI_OK && strlen(g_args.url) > MSGR_APP_URL_MAX) {
        cli_error("the URL must have at most %d bytes", MSGR_APP_URL_MAX);
        rc = CLI_USAGE;
    }
    return rc == CLI_OK ? parse_path(ctx->pos[3]) : rc;
}

int cmd_app(cli_ctx *ctx)
{
    const char *what = ctx->pos[0];
    bool reg = strcmp(what, "register") == 0, unreg = strcmp(what, "unregister") == 0;
    bool list = strcmp(what, "list") == 0;
    if (!reg && !unreg && !list) {
        cli_error("unknown action '%s' (register, unregister or list)", what);
        return CLI_USAGE;
    }
    if (ctx->url && !reg) {
        cli_error("--url belongs to msgr app register");
        return CLI_USAGE;
    }
    if ((list && ctx->npos != 1) || (unreg && ctx->npos != 2)) {
        cli_error("usage: msgr app %s", list ? "list" : "unregister GUID");
        return CLI_USAGE;
    }
    if (list)
        return list_apps(ctx);
    int rc = reg ? parse_register(ctx) : parse_guid(ctx->pos[1]);
    if (rc != CLI_OK)
        return rc;
    return sess_run(ctx, reg ? register_job : unregister_job);
}
