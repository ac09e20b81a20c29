/*
 * msnp_errors.h - the numeric MSNP error codes of msnp.md 1.10: a short
 * English meaning for each, and whether it ends the session.
 *
 * Clients map every code to a message and must not crash on unknown ones;
 * the server uses the table to log what it sent.
 */
#ifndef MSNP_ERRORS_H
#define MSNP_ERRORS_H

#include <stdbool.h>
#include <stddef.h>

/* One row of the table. */
typedef struct msnp_error_info {
    int code;          /* 200..999 */
    const char *text;  /* short English meaning, static */
    bool fatal;        /* server closes (Y) or clients treat it as fatal (F) */
} msnp_error_info;

/* Short English meaning of code ("authentication failed"); "unknown error"
 * for a code not in the table. Never NULL; the string is static. */
const char *msnp_error_text(int code);

/* True if code's "close" column in msnp.md 1.10 is Y or F; false for
 * non-fatal and unknown codes. */
bool msnp_error_is_fatal(int code);

/* True if code is in the table. */
bool msnp_error_known(int code);

/* The whole table, ascending by code (static storage); *count receives the
 * number of rows. count must not be NULL. */
const msnp_error_info *msnp_error_table(size_t *count);

#endif
