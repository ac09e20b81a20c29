/*
 * msnp_mime.h - the MIME-like documents carried by MSG payloads
 * (msnp.md 5.8): a block of "Name: value" header lines, an empty line,
 * then a body of arbitrary bytes. The same "Name: value" syntax is used
 * for the field blocks inside invitation, mail and system-message bodies
 * (msnp.md 5.9, 7.2, 7.3), so this module parses those too.
 *
 * Parsing rules (deterministic; msnp.md says there is no folding, but a
 * parser has to do something with every input):
 *
 *  - Lines end with CR LF or with a bare LF. A CR anywhere else in a header
 *    line, or a NUL byte in it, is MSNP_E_BAD_HEADER.
 *  - The header block ends at the first empty line; everything after that
 *    line's terminator is the body, byte for byte.
 *  - A header line is name ':' value. The name must be one or more token
 *    characters (letters, digits and ! # $ % & ' * + - . ^ _ ` | ~), with
 *    nothing between it and the colon. Spaces and tabs after the colon are
 *    dropped; everything else up to the line end is the value, trailing
 *    spaces included. A line without ':' or with a bad name is
 *    MSNP_E_BAD_HEADER.
 *  - A line starting with a space or tab continues the previous header: its
 *    leading spaces and tabs are dropped and the rest is appended to the
 *    previous value, separated by one space when both are non-empty. Such a
 *    line before any header is MSNP_E_BAD_HEADER.
 *  - Duplicate headers are all kept, in order; msnp_mime_get() returns the
 *    first.
 *  - Missing blank line: a payload that is only a header block whose last
 *    line ends with a line terminator is accepted as headers with an empty
 *    body. A payload that ends inside a header line (no final LF), and the
 *    empty payload, are MSNP_E_BAD_HEADER.
 *  - More than MSNP_MIME_MAX_HEADERS headers, or a header line (after
 *    unfolding, without its terminator) longer than MSNP_MIME_MAX_LINE
 *    bytes, is MSNP_E_TOO_LONG.
 *
 * Field blocks (msnp_mime_parse_fields()) follow the same line rules, but
 * the terminator of the last line is optional and anything after the first
 * empty line is ignored: the bodies of old clients and of the system
 * message (msnp.md 7.3) end without an empty line.
 */
#ifndef MSNP_MIME_H
#define MSNP_MIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msnp_buf.h"

#define MSNP_MIME_MAX_HEADERS 64
#define MSNP_MIME_MAX_LINE 2048

/* One header. Both strings are NUL-terminated. In a msnp_mime they point
 * into storage owned by that message; elsewhere (builder input) they are
 * borrowed from the caller. */
typedef struct msnp_mime_header {
    const char *name;  /* as received, case kept */
    const char *value; /* may be empty, never NULL */
} msnp_mime_header;

/* A parsed (or assembled) message. Owns every header string and the body;
 * release with msnp_mime_free(). Zero-initialise (MSNP_MIME_INIT) before
 * first use. */
typedef struct msnp_mime {
    msnp_mime_header *headers; /* nheaders entries, in payload order */
    size_t nheaders;
    char *body;                /* body_len bytes + a NUL not counted; may
                                  contain NULs. NULL only when empty and
                                  never set. */
    size_t body_len;
    char **storage_;           /* private: one allocation per header */
    size_t cap_;               /* private: allocated header slots */
} msnp_mime;

#define MSNP_MIME_INIT { NULL, 0, NULL, 0, NULL, 0 }

/* Frees everything m owns and resets it to MSNP_MIME_INIT. NULL is a
 * no-op. Pointers obtained from m become invalid. */
void msnp_mime_free(msnp_mime *m);

/* Parses data[0..len) as header block + blank line + body (rules above)
 * into *out, which must be freshly initialised or freed. On success *out
 * owns copies of everything; data is not referenced afterwards. On error
 * *out is left empty. Returns MSNP_OK, MSNP_E_BAD_HEADER, MSNP_E_TOO_LONG,
 * MSNP_E_NOMEM or MSNP_E_INVALID_ARG (data NULL with len > 0, out NULL). */
int msnp_mime_parse(const void *data, size_t len, msnp_mime *out);

/* Parses a field block (rules above) into out's headers; out->body stays
 * empty. Unlike msnp_mime_parse() the empty block is valid (no fields).
 * Same return values as msnp_mime_parse(). */
int msnp_mime_parse_fields(const void *data, size_t len, msnp_mime *out);

/* Value of the first header whose name equals name ignoring ASCII case,
 * or NULL. The pointer is owned by m (valid until msnp_mime_free). */
const char *msnp_mime_get(const msnp_mime *m, const char *name);

/* Appends a copy of one header to m. Returns MSNP_OK, MSNP_E_INVALID_ARG
 * (name not a token, value NULL or holding CR, LF or NUL), MSNP_E_TOO_LONG
 * (MSNP_MIME_MAX_HEADERS reached or line longer than MSNP_MIME_MAX_LINE)
 * or MSNP_E_NOMEM. */
int msnp_mime_add(msnp_mime *m, const char *name, const char *value);

/* Replaces m's body with a copy of body[0..len). Returns MSNP_OK,
 * MSNP_E_INVALID_ARG (body NULL with len > 0) or MSNP_E_NOMEM. */
int msnp_mime_set_body(msnp_mime *m, const void *body, size_t len);

/* Appends the payload of m to out: each header as "Name: value" CR LF in
 * order (an empty value keeps the space), CR LF, then the body. On error
 * out is unchanged. Returns MSNP_OK, MSNP_E_INVALID_ARG or MSNP_E_TOO_LONG
 * (a header msnp_mime_add() would refuse) or the buffer's error. */
int msnp_mime_build(const msnp_mime *m, msnp_buf *out);

/* Appends one "Name: value" CR LF line to out, after checking name and
 * value as msnp_mime_add() does. The typed builders use it so that no
 * caller string can inject a line. On error out is unchanged. Returns
 * MSNP_OK, MSNP_E_INVALID_ARG, MSNP_E_TOO_LONG or the buffer's error. */
int msnp_mime_append_header(msnp_buf *out, const char *name, const char *value);

/* True if name is a non-empty string of token characters. */
bool msnp_mime_name_valid(const char *name);

/* True if the NUL-terminated a and b are equal ignoring ASCII case (no
 * locale). NULL equals nothing, not even NULL. */
bool msnp_mime_iequal(const char *a, const char *b);

/* A parsed Content-Type value ("type/subtype; charset=x; other=y"). */
#define MSNP_MIME_TOKEN_MAX 64
typedef struct msnp_content_type {
    char type[MSNP_MIME_TOKEN_MAX];    /* lower-cased, e.g. "text" */
    char subtype[MSNP_MIME_TOKEN_MAX]; /* lower-cased, e.g. "plain" */
    char charset[MSNP_MIME_TOKEN_MAX]; /* as sent, quotes removed; "" if none */
    bool has_charset;
} msnp_content_type;

/* Parses a Content-Type value. Spaces and tabs around the parts are
 * ignored; parameter names are case-insensitive; a quoted parameter value
 * loses its quotes (no backslash escapes); parameters other than charset
 * are ignored; the first charset wins. Returns MSNP_OK, MSNP_E_BAD_VALUE
 * (no '/', empty or non-token type or subtype, a parameter without '=' or
 * with an unterminated quote), MSNP_E_TOO_LONG (a part of
 * MSNP_MIME_TOKEN_MAX bytes or more) or MSNP_E_INVALID_ARG (NULL). */
int msnp_content_type_parse(const char *value, msnp_content_type *out);

/* Parses the Content-Type header of m (the first one). Returns
 * MSNP_E_MISSING_FIELD when there is none (*out zeroed), MSNP_E_INVALID_ARG
 * when out is NULL, else as msnp_content_type_parse(). */
int msnp_mime_content_type(const msnp_mime *m, msnp_content_type *out);

/* True if m's Content-Type is type/subtype (compared ignoring case). */
bool msnp_mime_is_type(const msnp_mime *m, const char *type, const char *subtype);

/* Field-value number parsers shared by the typed message modules.
 * Decimal digits only (leading zeros allowed), nothing else, not empty.
 * Return MSNP_OK, or MSNP_E_BAD_VALUE for bad syntax or a value outside
 * [0, max] / [min, max]; *out is untouched on error. The signed form takes
 * one optional leading '-'. */
int msnp_mime_value_u64(const char *s, uint64_t max, uint64_t *out);
int msnp_mime_value_i64(const char *s, int64_t min, int64_t max, int64_t *out);

#endif
