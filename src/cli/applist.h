/*
 * applist.h - msgr's own list of the applications `msgr app register`
 * registered, for `msgr app list` and the interactive client's "invite to
 * an application" menu.
 *
 * Why a list of our own: libmsgr keeps the real registry (apps.ini in the
 * profile's directory) but its only reader, the session manager's
 * Applications property, is not implemented (erratum E14), and msgr reads
 * no library file behind the API. So msgr notes what it registered:
 *
 *     <directory of the config file>/profiles/<name>/msgr-apps
 *
 * mode 0600, replaced atomically, one application a line:
 * "{GUID}<TAB>name<TAB>url<TAB>path" (libmsgr refuses control characters
 * in these strings, so a tab never occurs inside one). An application
 * registered by another program is not in it; one unregistered by another
 * program stays until `msgr app unregister` (inviting to it then fails
 * with "not registered").
 */
#ifndef MSGR_CLI_APPLIST_H
#define MSGR_CLI_APPLIST_H

#include <stdbool.h>
#include <stddef.h>

#define APP_GUID_LEN 38 /* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" */

typedef struct app_entry {
    char guid[APP_GUID_LEN + 1]; /* upper-case */
    char *name, *url, *path;
} app_entry;

typedef struct app_list {
    char *file; /* the list's path */
    app_entry *items;
    size_t n;
} app_list;

/* Whether s is a "{GUID}" (hex of either case); out (may be NULL)
 * receives it upper-case. */
bool app_guid_parse(const char *s, char out[APP_GUID_LEN + 1]);

/* Loads the list of the profile directory dir (a missing file is an
 * empty list). Returns 0, or -1 after a one-line error (cli_error). */
int applist_load(const char *dir, app_list *l);

/* Writes it back (mode 0600, atomically). 0, or -1 after cli_error. */
int applist_save(const app_list *l);

/* Adds or replaces the entry of guid. -1 on out of memory. */
int applist_put(app_list *l, const char *guid, const char *name, const char *url,
                const char *path);
/* Removes the entry of guid; false when there was none. */
bool applist_remove(app_list *l, const char *guid);
const app_entry *applist_find(const app_list *l, const char *guid);

void applist_free(app_list *l);

#endif
