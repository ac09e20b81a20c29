/*
 * msnp_url.h - URL (percent) encoding of MSNP parameters and UTF-8 checks
 * (msnp.md 1.7).
 *
 * Friendly names, group names, phone numbers and other free-text
 * parameters travel as UTF-8, percent-encoded so that they fit in one
 * space-free parameter. Encoding follows the emit rule of msnp.md 1.7
 * (letters, digits and - _ . ! ~ * ' ( ) @ kept; every other byte %XX with
 * upper-case hex). Decoding is strict by default: a '%' not followed by two
 * hex digits, a result that is not UTF-8, or a control character is an
 * error, so bad input gets a clear error instead of a mangled name.
 */
#ifndef MSNP_URL_H
#define MSNP_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "msnp_buf.h"

enum msnp_url_flags {
    MSNP_URL_STRICT = 0,
    /* Old-client compatibility (msnp.md 1.7 accept rule): a stray '%' is
     * taken literally and non-UTF-8 results are transcoded from
     * Windows-1252 to UTF-8 instead of being rejected. */
    MSNP_URL_LENIENT = 1 << 0,
    /* Accept control characters (bytes < 0x20 and 0x7F) in the result;
     * without it they are rejected with MSNP_E_CONTROL_CHAR. Tab is never
     * a control character for this check. */
    MSNP_URL_ALLOW_CONTROL = 1 << 1,
};

/* Appends the encoded form of in[0..len) to out. Returns MSNP_OK or the
 * buffer's error. */
int msnp_url_encode(msnp_buf *out, const char *in, size_t len);

/* Encodes the NUL-terminated s into a new malloc'd string (caller frees);
 * NULL when out of memory. */
char *msnp_url_encode_dup(const char *s);

/* Appends the decoded form of in[0..len) to out. On error out is left as it
 * was. Returns MSNP_OK, MSNP_E_BAD_ESCAPE, MSNP_E_BAD_UTF8,
 * MSNP_E_CONTROL_CHAR or MSNP_E_NOMEM. A decoded NUL byte is always an
 * error (MSNP_E_CONTROL_CHAR). */
int msnp_url_decode(msnp_buf *out, const char *in, size_t len, unsigned flags);

/* Decodes the NUL-terminated in into a new malloc'd string stored in *out
 * (caller frees). Same return values as msnp_url_decode(); *out is NULL on
 * error. */
int msnp_url_decode_dup(const char *in, unsigned flags, char **out);

/* True if s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, no
 * code points above U+10FFFF). */
bool msnp_utf8_valid(const char *s, size_t len);

/* Appends the Windows-1252 bytes in[0..len) transcoded to UTF-8. */
int msnp_cp1252_to_utf8(msnp_buf *out, const char *in, size_t len);

#endif
