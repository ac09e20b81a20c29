/*
 * msnp_passport.h - Passport 1.4 ("Tweener", TWN) header values
 * (msnp.md 2.4 and 2.6).
 *
 * Everything here works on header *values*, the text after "Name:" with the
 * HTTP framing already removed, so the same code serves msgrd's login
 * endpoint and libmsgr's login client:
 *
 *   USR TWN S challenge   lc=1033,id=507,...,tpf=<hex>         (NS -> client)
 *   PassportURLs          DARealm=...,DALogin=host/path,...    (nexus)
 *   Authorization         Passport1.4 OrgVerb=GET,...,sign-in=,pwd=,<challenge>
 *   Authentication-Info   Passport1.4 da-status=success,...,from-PP='t=..&p=..'
 *   WWW-Authenticate      Passport1.4 da-status=failed,...,cbtxt=<text>
 *
 * Common contract:
 *
 *   - Parsers take (value, len): the bytes need not be NUL-terminated and
 *     are only read during the call. A value longer than
 *     MSNP_PASSPORT_MAX_HEADER, with more than MSNP_PASSPORT_MAX_ITEMS
 *     comma-separated items, or with an item name or value longer than
 *     MSNP_PASSPORT_MAX_NAME / MSNP_PASSPORT_MAX_VALUE fails with
 *     MSNP_E_TOO_LONG. A NUL or other control byte (except TAB) anywhere
 *     fails with MSNP_E_CONTROL_CHAR.
 *   - Parsers fill a result struct whose strings are malloc'd and owned by
 *     the struct; release it with the matching _free function. On failure
 *     the struct is left zeroed (freeing it is harmless); on success every
 *     string stays valid until the _free call.
 *   - Items are split on ',' and then on the first '='; spaces and tabs
 *     around an item, its name and its value are ignored; items without '='
 *     (flags such as "prompt"), items with an empty name and empty items
 *     are skipped (they still count against MSNP_PASSPORT_MAX_ITEMS). Item
 *     names are matched case-insensitively.
 *   - Builders append to out, all-or-nothing (out is unchanged on error),
 *     and return MSNP_OK, MSNP_E_INVALID_ARG (NULL or malformed argument,
 *     documented per function) or the buffer's MSNP_E_NOMEM / MSNP_E_TOO_LONG.
 */
#ifndef MSNP_PASSPORT_H
#define MSNP_PASSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msnp_buf.h"

#define MSNP_PASSPORT_SCHEME "Passport1.4"

/* Parser limits. */
#define MSNP_PASSPORT_MAX_HEADER 4096 /* bytes in one header value */
#define MSNP_PASSPORT_MAX_ITEMS 64    /* comma-separated items */
#define MSNP_PASSPORT_MAX_NAME 64     /* bytes in one item name */
#define MSNP_PASSPORT_MAX_VALUE 1024  /* bytes in one raw item value */

/* Length of the tpf value: 32 lower-case hex digits. */
#define MSNP_PASSPORT_TPF_LEN 32

/* ------------------------------------------------------------------------
 * USR TWN S challenge string (msnp.md 2.4)
 * ------------------------------------------------------------------------ */

/* Appends the full classic challenge key set
 *   lc=1033,id=507,tw=40,fs=1,ru=<ru>,ct=<ct>,kpp=1,kv=5,ver=2.1.0173.1,tpf=<tpf>
 * ru is the return URL, encoded here with every byte except ASCII letters
 * and digits written as %XX ("http://a.b" -> "http%3A%2F%2Fa%2Eb", as in the
 * spec's example); ct is a Unix time (>= 0); tpf must be exactly 32
 * lower-case hex digits. MSNP_E_INVALID_ARG for a NULL/empty ru, negative
 * ct or malformed tpf. */
int msnp_passport_challenge_build(msnp_buf *out, const char *ru, int64_t ct,
                                  const char *tpf);

/* Writes the lower-case hex of 16 caller-supplied random bytes plus NUL into
 * out, for use as tpf. Returns MSNP_OK or MSNP_E_INVALID_ARG (NULL). */
int msnp_passport_tpf_from_random(const unsigned char random[16],
                                  char out[MSNP_PASSPORT_TPF_LEN + 1]);

/* ------------------------------------------------------------------------
 * Authorization: Passport1.4 ... (client -> login endpoint, msnp.md 2.6.2)
 * ------------------------------------------------------------------------ */

/* One name=value item, value still in its raw (encoded) form. */
typedef struct msnp_passport_item {
    char *name;
    char *value;
} msnp_passport_item;

typedef struct msnp_passport_auth {
    char *sign_in;              /* URL-decoded sign-in name */
    char *pwd;                  /* URL-decoded password (wiped on free) */
    msnp_passport_item *items;  /* every other item, in order, raw values */
    size_t nitems;
} msnp_passport_auth;

/* Parses an Authorization value that starts with "Passport1.4" (any case,
 * leading spaces allowed) followed by whitespace and the items.
 * sign-in and pwd are decoded strictly with msnp_url_decode().
 * Returns MSNP_OK or:
 *   MSNP_E_MISSING_FIELD  scheme missing/different, or sign-in / pwd absent
 *                         or empty;
 *   MSNP_E_BAD_VALUE      sign-in or pwd given twice;
 *   MSNP_E_BAD_ESCAPE, MSNP_E_BAD_UTF8, MSNP_E_CONTROL_CHAR  from decoding;
 *   MSNP_E_TOO_LONG, MSNP_E_CONTROL_CHAR (raw bytes), MSNP_E_NOMEM,
 *   MSNP_E_INVALID_ARG (value or out NULL). */
int msnp_passport_auth_parse(const char *value, size_t len,
                             msnp_passport_auth *out);

/* Raw value of the first other item named name (case-insensitive), e.g.
 * "lc", "id", "tw", "ru", "ct", "kpp", "kv", "ver", "tpf", "OrgVerb",
 * "OrgURL"; NULL if absent. The string belongs to a. */
const char *msnp_passport_auth_get(const msnp_passport_auth *a,
                                   const char *name);

/* Frees every string of a (the password is overwritten first) and zeroes
 * it. a may be NULL. */
void msnp_passport_auth_free(msnp_passport_auth *a);

/* Appends the client's Authorization value
 *   Passport1.4 OrgVerb=GET,OrgURL=<ru>,sign-in=<enc>,pwd=<enc>,<challenge>
 * OrgURL copies the raw ru item of the challenge (left out if the challenge
 * has none). sign-in and pwd are percent-encoded keeping only letters,
 * digits and "-_.~", so "alice@example.com" -> "alice%40example.com" and a
 * comma in a password -> "%2C". challenge is the string of USR TWN S,
 * appended unchanged. MSNP_E_INVALID_ARG: NULL or empty sign_in or pwd,
 * NULL/empty challenge or one holding a space, control or non-ASCII byte. */
int msnp_passport_auth_build(msnp_buf *out, const char *sign_in,
                             const char *pwd, const char *challenge);

/* ------------------------------------------------------------------------
 * Authentication-Info (login success / redirect, msnp.md 2.6.3)
 * ------------------------------------------------------------------------ */

typedef struct msnp_passport_info {
    char *da_status;  /* "success", "redir", ... (raw) */
    char *from_pp;    /* ticket between from-PP=' and the next '; NULL if absent */
    char *ru;         /* raw ru value; NULL if absent */
} msnp_passport_info;

/* Appends
 *   Passport1.4 da-status=success,tname=MSPAuth,tname=MSPProf,tname=MSPSec,
 *   from-PP='<ticket>'[,ru=<ru>]
 * (one line, no spaces after commas). ticket must be non-empty printable
 * ASCII without ', comma or space; ru is optional and written verbatim
 * (printable ASCII without comma or space). Otherwise MSNP_E_INVALID_ARG. */
int msnp_passport_info_build(msnp_buf *out, const char *ticket, const char *ru);

/* Parses an Authentication-Info value. Commas inside '...' do not split
 * items. "dastatus" is accepted as a spelling of "da-status".
 * Returns MSNP_OK or:
 *   MSNP_E_MISSING_FIELD  scheme missing, or no da-status item;
 *   MSNP_E_BAD_HEADER     a quote that is never closed, or a from-PP value
 *                         not wrapped in single quotes;
 *   MSNP_E_TOO_LONG, MSNP_E_CONTROL_CHAR, MSNP_E_NOMEM, MSNP_E_INVALID_ARG. */
int msnp_passport_info_parse(const char *value, size_t len,
                             msnp_passport_info *out);

/* Frees every string of info and zeroes it; info may be NULL. */
void msnp_passport_info_free(msnp_passport_info *info);

/* ------------------------------------------------------------------------
 * WWW-Authenticate (login failure, msnp.md 2.6.3)
 * ------------------------------------------------------------------------ */

typedef struct msnp_passport_failure {
    char *da_status;  /* "failed", "failed-noretry", ... (raw) */
    char *srealm;     /* raw; NULL if absent */
    char *cbtxt;      /* URL-decoded (lenient) text; NULL if absent */
} msnp_passport_failure;

/* Appends
 *   Passport1.4 da-status=failed,srealm=<srealm>,ts=-3,prompt[,cbtxt=<enc>]
 * srealm is a wire token (printable ASCII without comma or space), e.g.
 * "Passport.Net"; cbtxt is optional human text (UTF-8), percent-encoded
 * keeping letters, digits and "-_.~". MSNP_E_INVALID_ARG for a bad srealm. */
int msnp_passport_failure_build(msnp_buf *out, const char *srealm,
                                const char *cbtxt);

/* Parses a WWW-Authenticate value. cbtxt is decoded with MSNP_URL_LENIENT
 * (it is only shown to a person). Returns MSNP_OK or:
 *   MSNP_E_MISSING_FIELD  scheme missing, or no da-status item;
 *   MSNP_E_CONTROL_CHAR   also when cbtxt decodes to a control character;
 *   MSNP_E_TOO_LONG, MSNP_E_NOMEM, MSNP_E_INVALID_ARG. */
int msnp_passport_failure_parse(const char *value, size_t len,
                                msnp_passport_failure *out);

/* Frees every string of f and zeroes it; f may be NULL. */
void msnp_passport_failure_free(msnp_passport_failure *f);

/* ------------------------------------------------------------------------
 * PassportURLs (nexus, msnp.md 2.6.1)
 * ------------------------------------------------------------------------ */

/* What the nexus announces. Every string is a borrowed wire token
 * (printable ASCII without comma or space). realm and login are required;
 * the others are optional and left out when NULL. login should have no
 * scheme ("login.example.net/login2.srf"). */
typedef struct msnp_passport_urls {
    const char *realm;          /* DARealm, e.g. "Passport.Net" */
    const char *login;          /* DALogin */
    const char *reg;            /* DAReg */
    const char *properties;     /* Properties */
    const char *privacy;        /* Privacy */
    const char *general_redir;  /* GeneralRedir */
    const char *help;           /* Help */
    uint32_t config_version;    /* ConfigVersion (always written) */
} msnp_passport_urls;

/* Appends "DARealm=..,DALogin=..[,DAReg=..][,Properties=..][,Privacy=..]
 * [,GeneralRedir=..][,Help=..],ConfigVersion=N" in that order.
 * MSNP_E_INVALID_ARG for a missing realm/login or a malformed token. */
int msnp_passport_urls_build(msnp_buf *out, const msnp_passport_urls *urls);

/* What a client needs from PassportURLs. */
typedef struct msnp_passport_nexus {
    char *login;              /* DALogin with any http:// or https:// removed */
    char *realm;              /* DARealm; NULL if absent */
    bool has_config_version;
    uint32_t config_version;  /* valid when has_config_version */
} msnp_passport_nexus;

/* Parses a PassportURLs value (no scheme prefix). The scheme prefix of
 * DALogin is matched case-insensitively. Returns MSNP_OK or:
 *   MSNP_E_MISSING_FIELD  no DALogin, or DALogin empty after the scheme;
 *   MSNP_E_BAD_VALUE      ConfigVersion not a decimal uint32;
 *   MSNP_E_TOO_LONG, MSNP_E_CONTROL_CHAR, MSNP_E_NOMEM, MSNP_E_INVALID_ARG. */
int msnp_passport_urls_parse(const char *value, size_t len,
                             msnp_passport_nexus *out);

/* Frees every string of n and zeroes it; n may be NULL. */
void msnp_passport_nexus_free(msnp_passport_nexus *n);

/* ------------------------------------------------------------------------
 * Tickets: "t=<token>&p=<token>" (msnp.md 2.4, 2.6.3)
 * ------------------------------------------------------------------------ */

/* The two parts of a ticket, pointing into the caller's string. */
typedef struct msnp_passport_ticket {
    const char *t;  /* the t token (what the NS validates) */
    size_t t_len;
    const char *p;  /* the p token; NULL (p_len 0) if the ticket has none */
    size_t p_len;
} msnp_passport_ticket;

/* Splits ticket[0..len) into its t and p parts. Accepted shapes:
 * "t=T&p=P", "T&p=P", "t=T", "T". The pointers in *out borrow from ticket.
 * Token charsets are not checked here (see msnp_passport_token_valid).
 * Returns MSNP_OK, MSNP_E_MISSING_FIELD (empty t, or "&p=" with empty P),
 * MSNP_E_BAD_VALUE (text after '&' that does not start with "p="), or
 * MSNP_E_INVALID_ARG (NULL). */
int msnp_passport_ticket_split(const char *ticket, size_t len,
                               msnp_passport_ticket *out);

/* True if s[0..len) is non-empty and made only of [A-Za-z0-9!*$], the
 * character set of ticket tokens. False for NULL. */
bool msnp_passport_token_valid(const char *s, size_t len);

/* Appends "t=<t>&p=<p>"; both must satisfy msnp_passport_token_valid()
 * (else MSNP_E_INVALID_ARG). */
int msnp_passport_ticket_build(msnp_buf *out, const char *t, const char *p);

/* Appends a ticket token made from n caller-supplied random bytes: every 6
 * bits become one character of [A-Za-z0-9!*], giving ceil(8n/6) characters
 * (30 bytes -> 40 characters, 240 bits). Returns MSNP_OK or
 * MSNP_E_INVALID_ARG (random NULL or n == 0). */
int msnp_passport_token_from_random(msnp_buf *out, const unsigned char *random,
                                    size_t n);

#endif
