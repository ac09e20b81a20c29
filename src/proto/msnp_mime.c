/*
 * msnp_mime.c - header blocks of MSG payloads: parse, look up, build
 * (msnp.md 5.8). See msnp_mime.h for the exact rules.
 *
 * Each header lives in one allocation "name\0value\0"; headers[] holds
 * const views of it and storage_[] the owning pointer, so callers can read
 * the message without being able to free pieces of it.
 */
#include "msnp_mime.h"

#include <stdlib.h>
#include <string.h>

#include "msnp_status.h"

/* ---- small character helpers ------------------------------------------ */

static bool is_token_char(unsigned char c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static unsigned char ascii_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static bool is_blank(unsigned char c)
{
    return c == ' ' || c == '\t';
}

bool msnp_mime_iequal(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    while (*a && ascii_lower((unsigned char)*a) == ascii_lower((unsigned char)*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

bool msnp_mime_name_valid(const char *name)
{
    if (!name || !*name)
        return false;
    for (const char *p = name; *p; p++)
        if (!is_token_char((unsigned char)*p))
            return false;
    return true;
}

/* A value may hold any byte except the ones that would end or corrupt the
 * line it is written on. */
static bool value_valid(const char *value)
{
    return value && strpbrk(value, "\r\n") == NULL;
}

/* ---- storage ------------------------------------------------------------ */

void msnp_mime_free(msnp_mime *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nheaders; i++)
        free(m->storage_[i]);
    free(m->storage_);
    free(m->headers);
    free(m->body);
    memset(m, 0, sizeof *m);
}

static int grow_slots(msnp_mime *m)
{
    if (m->nheaders < m->cap_)
        return MSNP_OK;
    size_t cap = m->cap_ ? m->cap_ * 2 : 8;
    msnp_mime_header *h = realloc(m->headers, cap * sizeof *h);
    if (!h)
        return MSNP_E_NOMEM;
    m->headers = h;
    char **s = realloc(m->storage_, cap * sizeof *s);
    if (!s)
        return MSNP_E_NOMEM;
    m->storage_ = s;
    m->cap_ = cap;
    return MSNP_OK;
}

/* Appends a header from counted strings; the caller has validated them. */
static int push_header(msnp_mime *m, const char *name, size_t nlen,
                       const char *value, size_t vlen)
{
    if (m->nheaders >= MSNP_MIME_MAX_HEADERS)
        return MSNP_E_TOO_LONG;
    if (grow_slots(m) != MSNP_OK)
        return MSNP_E_NOMEM;
    char *block = malloc(nlen + vlen + 2);
    if (!block)
        return MSNP_E_NOMEM;
    memcpy(block, name, nlen);
    block[nlen] = '\0';
    memcpy(block + nlen + 1, value, vlen);
    block[nlen + 1 + vlen] = '\0';
    m->storage_[m->nheaders] = block;
    m->headers[m->nheaders].name = block;
    m->headers[m->nheaders].value = block + nlen + 1;
    m->nheaders++;
    return MSNP_OK;
}

/* Length of the header as a builder writes it: "Name: value". */
static size_t line_length(size_t nlen, size_t vlen)
{
    return nlen + 2 + vlen;
}

/* Appends more[0..len) to the last header's value (folding), with one
 * space between when both parts are non-empty. */
static int extend_last(msnp_mime *m, const char *more, size_t len)
{
    size_t i = m->nheaders - 1;
    size_t nlen = strlen(m->headers[i].name);
    size_t vlen = strlen(m->headers[i].value);
    size_t sep = (vlen && len) ? 1 : 0;

    if (line_length(nlen, vlen + sep + len) > MSNP_MIME_MAX_LINE)
        return MSNP_E_TOO_LONG;
    char *block = realloc(m->storage_[i], nlen + vlen + sep + len + 2);
    if (!block)
        return MSNP_E_NOMEM;
    char *value = block + nlen + 1;
    if (sep)
        value[vlen] = ' ';
    memcpy(value + vlen + sep, more, len);
    value[vlen + sep + len] = '\0';
    m->storage_[i] = block;
    m->headers[i].name = block;
    m->headers[i].value = value;
    return MSNP_OK;
}

int msnp_mime_add(msnp_mime *m, const char *name, const char *value)
{
    if (!m || !msnp_mime_name_valid(name) || !value_valid(value))
        return MSNP_E_INVALID_ARG;
    size_t nlen = strlen(name), vlen = strlen(value);
    if (line_length(nlen, vlen) > MSNP_MIME_MAX_LINE)
        return MSNP_E_TOO_LONG;
    return push_header(m, name, nlen, value, vlen);
}

int msnp_mime_set_body(msnp_mime *m, const void *body, size_t len)
{
    if (!m || (!body && len))
        return MSNP_E_INVALID_ARG;
    char *copy = malloc(len + 1);
    if (!copy)
        return MSNP_E_NOMEM;
    if (len)
        memcpy(copy, body, len);
    copy[len] = '\0';
    free(m->body);
    m->body = copy;
    m->body_len = len;
    return MSNP_OK;
}

const char *msnp_mime_get(const msnp_mime *m, const char *name)
{
    if (!m || !name)
        return NULL;
    for (size_t i = 0; i < m->nheaders; i++)
        if (msnp_mime_iequal(m->headers[i].name, name))
            return m->headers[i].value;
    return NULL;
}

/* ---- parsing ------------------------------------------------------------ */

/* Handles one header line (terminator already removed). */
static int parse_line(msnp_mime *m, const char *line, size_t len)
{
    if (len > MSNP_MIME_MAX_LINE)
        return MSNP_E_TOO_LONG;
    if (memchr(line, '\0', len) || memchr(line, '\r', len))
        return MSNP_E_BAD_HEADER;

    size_t skip = 0;
    if (is_blank((unsigned char)line[0])) {
        if (m->nheaders == 0)
            return MSNP_E_BAD_HEADER; /* continuation of nothing */
        while (skip < len && is_blank((unsigned char)line[skip]))
            skip++;
        return extend_last(m, line + skip, len - skip);
    }

    const char *colon = memchr(line, ':', len);
    if (!colon || colon == line)
        return MSNP_E_BAD_HEADER;
    size_t nlen = (size_t)(colon - line);
    for (size_t i = 0; i < nlen; i++)
        if (!is_token_char((unsigned char)line[i]))
            return MSNP_E_BAD_HEADER;

    skip = nlen + 1;
    while (skip < len && is_blank((unsigned char)line[skip]))
        skip++;
    if (line_length(nlen, len - skip) > MSNP_MIME_MAX_LINE)
        return MSNP_E_TOO_LONG;
    return push_header(m, line, nlen, line + skip, len - skip);
}

/* Walks the header lines of data[0..len). On success *end is the offset
 * just past the blank line, or len when the block ran to the end. With
 * last_line_open a final line without LF is accepted (field blocks). */
static int parse_block(const char *data, size_t len, msnp_mime *m,
                       bool last_line_open, size_t *end)
{
    size_t pos = 0;
    while (pos < len) {
        const char *lf = memchr(data + pos, '\n', len - pos);
        size_t stop, next;
        if (lf) {
            stop = (size_t)(lf - data);
            next = stop + 1;
            if (stop > pos && data[stop - 1] == '\r')
                stop--;
        } else if (last_line_open) {
            stop = next = len;
        } else {
            return len - pos > MSNP_MIME_MAX_LINE ? MSNP_E_TOO_LONG
                                                  : MSNP_E_BAD_HEADER;
        }
        if (stop == pos) {
            *end = next;
            return MSNP_OK;
        }
        int rc = parse_line(m, data + pos, stop - pos);
        if (rc != MSNP_OK)
            return rc;
        pos = next;
    }
    *end = len;
    return MSNP_OK;
}

int msnp_mime_parse(const void *data, size_t len, msnp_mime *out)
{
    if (!out)
        return MSNP_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if (!data && len)
        return MSNP_E_INVALID_ARG;
    if (len == 0)
        return MSNP_E_BAD_HEADER;

    size_t end = 0;
    int rc = parse_block(data, len, out, false, &end);
    if (rc == MSNP_OK)
        rc = msnp_mime_set_body(out, (const char *)data + end, len - end);
    if (rc != MSNP_OK)
        msnp_mime_free(out);
    return rc;
}

int msnp_mime_parse_fields(const void *data, size_t len, msnp_mime *out)
{
    if (!out)
        return MSNP_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if (!data && len)
        return MSNP_E_INVALID_ARG;

    size_t end = 0;
    int rc = parse_block(data, len, out, true, &end);
    if (rc != MSNP_OK)
        msnp_mime_free(out);
    return rc;
}

/* ---- building ----------------------------------------------------------- */

int msnp_mime_append_header(msnp_buf *out, const char *name, const char *value)
{
    if (!out || !msnp_mime_name_valid(name) || !value_valid(value))
        return MSNP_E_INVALID_ARG;
    size_t nlen = strlen(name), vlen = strlen(value);
    if (line_length(nlen, vlen) > MSNP_MIME_MAX_LINE)
        return MSNP_E_TOO_LONG;

    int rc = msnp_buf_reserve(out, line_length(nlen, vlen) + 2);
    if (rc != MSNP_OK)
        return rc;
    /* Cannot fail after the reservation. */
    msnp_buf_append(out, name, nlen);
    msnp_buf_append(out, ": ", 2);
    msnp_buf_append(out, value, vlen);
    msnp_buf_append(out, "\r\n", 2);
    return MSNP_OK;
}

int msnp_mime_build(const msnp_mime *m, msnp_buf *out)
{
    if (!m || !out)
        return MSNP_E_INVALID_ARG;
    size_t start = out->len;
    int rc = MSNP_OK;
    for (size_t i = 0; i < m->nheaders && rc == MSNP_OK; i++)
        rc = msnp_mime_append_header(out, m->headers[i].name, m->headers[i].value);
    if (rc == MSNP_OK)
        rc = msnp_buf_append(out, "\r\n", 2);
    if (rc == MSNP_OK && m->body_len)
        rc = msnp_buf_append(out, m->body, m->body_len);
    if (rc != MSNP_OK)
        msnp_buf_truncate(out, start);
    return rc;
}

/* ---- Content-Type ------------------------------------------------------- */

static const char *skip_blanks(const char *p)
{
    while (is_blank((unsigned char)*p))
        p++;
    return p;
}

/* Copies the token at *pp into dst (lower-cased if asked), advancing *pp.
 * Returns MSNP_E_BAD_VALUE if empty, MSNP_E_TOO_LONG if it does not fit. */
static int take_token(const char **pp, char *dst, size_t cap, bool lower)
{
    const char *p = *pp;
    size_t n = 0;
    while (is_token_char((unsigned char)p[n]))
        n++;
    if (n == 0)
        return MSNP_E_BAD_VALUE;
    if (dst) {
        if (n >= cap)
            return MSNP_E_TOO_LONG;
        for (size_t i = 0; i < n; i++)
            dst[i] = lower ? (char)ascii_lower((unsigned char)p[i]) : p[i];
        dst[n] = '\0';
    }
    *pp = p + n;
    return MSNP_OK;
}

/* Parses one "; name=value" parameter at *pp, storing charset in out. */
static int take_parameter(const char **pp, msnp_content_type *out)
{
    char name[MSNP_MIME_TOKEN_MAX];
    const char *p = skip_blanks(*pp);
    int rc = take_token(&p, name, sizeof name, true);
    if (rc == MSNP_E_TOO_LONG) {
        name[0] = '\0';              /* a long name is never "charset" */
        while (is_token_char((unsigned char)*p))
            p++;
    } else if (rc != MSNP_OK) {
        return rc;
    }
    p = skip_blanks(p);
    if (*p != '=')
        return MSNP_E_BAD_VALUE;
    p = skip_blanks(p + 1);

    const char *val = p;
    size_t vlen;
    if (*p == '"') {
        const char *close = strchr(p + 1, '"');
        if (!close)
            return MSNP_E_BAD_VALUE;
        val = p + 1;
        vlen = (size_t)(close - val);
        p = close + 1;
    } else {
        while (is_token_char((unsigned char)*p))
            p++;
        vlen = (size_t)(p - val);
        if (vlen == 0)
            return MSNP_E_BAD_VALUE;
    }

    bool is_charset = strcmp(name, "charset") == 0;
    if (is_charset && !out->has_charset) {
        if (vlen >= sizeof out->charset)
            return MSNP_E_TOO_LONG;
        memcpy(out->charset, val, vlen);
        out->charset[vlen] = '\0';
        out->has_charset = true;
    }
    *pp = skip_blanks(p);
    return MSNP_OK;
}

int msnp_content_type_parse(const char *value, msnp_content_type *out)
{
    if (!value || !out)
        return MSNP_E_INVALID_ARG;
    memset(out, 0, sizeof *out);

    const char *p = skip_blanks(value);
    int rc = take_token(&p, out->type, sizeof out->type, true);
    if (rc == MSNP_OK && *p != '/')
        rc = MSNP_E_BAD_VALUE;
    if (rc == MSNP_OK) {
        p++;
        rc = take_token(&p, out->subtype, sizeof out->subtype, true);
    }
    if (rc == MSNP_OK)
        p = skip_blanks(p);
    while (rc == MSNP_OK && *p) {
        if (*p != ';') {
            rc = MSNP_E_BAD_VALUE;
            break;
        }
        p = skip_blanks(p + 1);
        if (*p)                     /* a trailing ';' is harmless */
            rc = take_parameter(&p, out);
    }
    if (rc != MSNP_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

int msnp_mime_content_type(const msnp_mime *m, msnp_content_type *out)
{
    if (!out)
        return MSNP_E_INVALID_ARG;
    const char *v = msnp_mime_get(m, "Content-Type");
    if (!v) {
        memset(out, 0, sizeof *out);
        return MSNP_E_MISSING_FIELD;
    }
    return msnp_content_type_parse(v, out);
}

bool msnp_mime_is_type(const msnp_mime *m, const char *type, const char *subtype)
{
    msnp_content_type ct;
    if (msnp_mime_content_type(m, &ct) != MSNP_OK)
        return false;
    return msnp_mime_iequal(ct.type, type) && msnp_mime_iequal(ct.subtype, subtype);
}

/* ---- numbers -------------------------------------------------------------- */

/* Digits of s as an unsigned value no greater than max. */
static int parse_digits(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!s || !*s)
        return MSNP_E_BAD_VALUE;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return MSNP_E_BAD_VALUE;
        unsigned d = (unsigned)(*s - '0');
        if (d > max || v > (max - d) / 10)
            return MSNP_E_BAD_VALUE;
        v = v * 10 + d;
    }
    *out = v;
    return MSNP_OK;
}

int msnp_mime_value_u64(const char *s, uint64_t max, uint64_t *out)
{
    return parse_digits(s, max, out);
}

int msnp_mime_value_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    uint64_t mag;
    if (!s || min > max)
        return MSNP_E_BAD_VALUE;
    if (*s == '-') {
        if (min >= 0)
            return MSNP_E_BAD_VALUE;
        /* Magnitude of a negative min, computed without overflow. */
        uint64_t limit = (uint64_t)(-(min + 1)) + 1;
        if (parse_digits(s + 1, limit, &mag) != MSNP_OK)
            return MSNP_E_BAD_VALUE;
        int64_t v = mag ? -(int64_t)(mag - 1) - 1 : 0;
        if (v > max)
            return MSNP_E_BAD_VALUE;
        *out = v;
        return MSNP_OK;
    }
    if (max < 0 || parse_digits(s, (uint64_t)max, &mag) != MSNP_OK)
        return MSNP_E_BAD_VALUE;
    if ((int64_t)mag < min)
        return MSNP_E_BAD_VALUE;
    *out = (int64_t)mag;
    return MSNP_OK;
}
