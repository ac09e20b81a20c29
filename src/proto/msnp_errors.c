/*
 * msnp_errors.c - the numeric error codes of msnp.md 1.10 (see
 * msnp_errors.h). One row per code; a row of the spec that names several
 * codes ("914, 915, 916") becomes one row each so lookups stay exact.
 */
#include "msnp_errors.h"

#include <stdlib.h>

/* Ascending by code: find_error() relies on it. */
static const msnp_error_info error_table[] = {
    { 200, "syntax error", false },
    { 201, "invalid parameter", false },
    { 205, "invalid user", false },
    { 206, "domain name missing", false },
    { 207, "already logged in", false },
    { 208, "invalid user name", false },
    { 209, "friendly name not allowed", false },
    { 210, "list full", false },
    { 213, "invalid rename request", false },
    { 215, "already on list", false },
    { 216, "not on list", false },
    { 217, "user not online", false },
    { 218, "already in that mode", false },
    { 219, "user is in the opposite list", false },
    { 223, "too many groups", false },
    { 224, "invalid group", false },
    { 225, "user not in group", false },
    { 227, "group not empty", false },
    { 228, "group name already exists", false },
    { 229, "group name too long", false },
    { 230, "cannot remove group 0", false },
    { 231, "invalid group", false },
    { 240, "empty domain", false },
    { 280, "switchboard failed", true },
    { 281, "transfer to switchboard failed", false },
    { 282, "P2P message error", false },
    { 300, "required field missing", false },
    { 301, "too many hits for FND", false },
    { 302, "not logged in", false },
    { 402, "error accessing contact list", false },
    { 403, "error accessing contact list", false },
    { 420, "invalid account permissions", false },
    { 500, "internal server error", true },
    { 501, "database server error", true },
    { 502, "command disabled", false },
    { 503, "invalid parameters", false },
    { 510, "file operation failed", true },
    { 511, "banned", true },
    { 520, "memory allocation failed", true },
    { 540, "challenge response invalid", true },
    { 600, "server busy", true },
    { 601, "server unavailable", true },
    { 602, "peer notification server down", true },
    { 603, "database connection failed", true },
    { 604, "server going down", true },
    { 605, "server unavailable", true },
    { 700, "could not create connection", true },
    { 707, "could not create connection", true },
    { 710, "bad CVR parameters", true },
    { 711, "write is blocking", true },
    { 712, "session overloaded", true },
    { 713, "calling too rapidly", false },
    { 714, "too many sessions", true },
    { 715, "not expected", false },
    { 717, "bad friend file", true },
    { 731, "not expected", false },
    { 800, "changing too rapidly", false },
    { 910, "server too busy", true },
    { 911, "authentication failed", true },
    { 912, "server too busy", true },
    { 913, "not allowed while appearing offline", false },
    { 914, "server unavailable", true },
    { 915, "server unavailable", true },
    { 916, "server unavailable", true },
    { 917, "authentication failed", true },
    { 918, "server too busy", true },
    { 919, "server too busy", true },
    { 920, "not accepting new users", true },
    { 921, "server too busy", true },
    { 922, "server too busy", true },
    { 923, "kids' Passport without parental consent", true },
    { 924, "Passport account not yet verified", true },
    { 928, "bad ticket", true },
    { 931, "account not on this server", true },
};

#define ERROR_COUNT (sizeof error_table / sizeof error_table[0])

static int compare_code(const void *key, const void *elem)
{
    int code = *(const int *)key;
    const msnp_error_info *row = elem;
    return (code > row->code) - (code < row->code);
}

static const msnp_error_info *find_error(int code)
{
    return bsearch(&code, error_table, ERROR_COUNT, sizeof error_table[0],
                   compare_code);
}

const char *msnp_error_text(int code)
{
    const msnp_error_info *row = find_error(code);
    return row ? row->text : "unknown error";
}

bool msnp_error_is_fatal(int code)
{
    const msnp_error_info *row = find_error(code);
    return row && row->fatal;
}

bool msnp_error_known(int code)
{
    return find_error(code) != NULL;
}

const msnp_error_info *msnp_error_table(size_t *count)
{
    *count = ERROR_COUNT;
    return error_table;
}
