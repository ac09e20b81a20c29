/*
 * attach.c - local server mode, attached side (docs/libmsgr.md "Local
 * server mode"). A messenger created with msgr_options.attach signs in
 * through a messenger of the same user that serves on a Unix socket
 * (local_server.c) instead of through msgrd: the engine is the normal one,
 * only the transport and the first steps differ. The socket is found in
 * the options, else in $MSGR_LOCAL_SOCKET, else at the default path; the
 * serving messenger answers USR TWN I with USR OK at once (no Passport)
 * and names the account; the contact-list cache is not used (the SYN
 * dump comes from the serving messenger's memory, which is cheap).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The option, else the environment (how a launched program finds the
 * messenger that launched it), else the default path. */
static char *socket_path(const msgr_messenger *m)
{
    if (m->attach_socket)
        return msgr_strdup(m->attach_socket);
    const char *env = getenv("MSGR_LOCAL_SOCKET");
    if (env && *env)
        return msgr_strdup(env);
    return local_default_path();
}

int attach_connect(msgr_messenger *m)
{
    char *path = socket_path(m);
    int rc = path ? ns_connect_unix(&m->ns, path) : -1;
    free(path);
    return rc;
}

/* "USR TrID OK handle friendly-name ...": the sign-in name the program
 * gave ("*" when it gave none) becomes the account's. */
bool attach_on_usr_ok(msgr_messenger *m, const msnp_cmd *cmd)
{
    if (cmd->nparams < 2 || MSGR_FAILED(check_signin_name(cmd->params[1])) ||
        !strchr(cmd->params[1], '@'))
        return false;
    char *name = msgr_strdup(cmd->params[1]);
    if (!name)
        return false;
    msgr_lower(name);
    free(m->signin);
    m->signin = name;
    return true;
}
