/*
 * msnp_url.c - percent-encoding of MSNP parameters, UTF-8 validation and
 * Windows-1252 transcoding (msnp.md 1.7). See msnp_url.h.
 *
 * Decoding works in place at the end of the caller's buffer: the raw bytes
 * are appended first, then checked; any failure truncates the buffer back
 * to its original length so the caller never sees half a value.
 */
#include "msnp_url.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_status.h"

/* ---- encoding --------------------------------------------------------- */

/* True for the bytes msnp.md 1.7 lets us send unencoded. */
static bool url_is_plain(unsigned char c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '-': case '_': case '.': case '!': case '~':
    case '*': case '\'': case '(': case ')': case '@':
        return true;
    default:
        return false;
    }
}

int msnp_url_encode(msnp_buf *out, const char *in, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)in;
    size_t need = 0;

    /* Reserve once so the append is all-or-nothing like msnp_buf's. */
    for (size_t i = 0; i < len; i++)
        need += url_is_plain(p[i]) ? 1 : 3;
    int rc = msnp_buf_reserve(out, need);
    if (rc != MSNP_OK)
        return rc;

    char *w = out->data + out->len;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        if (url_is_plain(c)) {
            *w++ = (char)c;
        } else {
            *w++ = '%';
            *w++ = hex[c >> 4];
            *w++ = hex[c & 15];
        }
    }
    out->len += need;
    out->data[out->len] = '\0';
    return MSNP_OK;
}

char *msnp_url_encode_dup(const char *s)
{
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_url_encode(&b, s, strlen(s)) != MSNP_OK) {
        msnp_buf_free(&b);
        return NULL;
    }
    return msnp_buf_detach(&b, NULL);
}

/* ---- UTF-8 ------------------------------------------------------------ */

/* Length of the well-formed UTF-8 sequence starting at s[0] (at most avail
 * bytes available), or 0 if it is malformed. Follows the table of
 * well-formed byte sequences of Unicode 3.9, which excludes overlongs,
 * surrogates and code points above U+10FFFF by narrowing the range of the
 * second byte. */
static size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of byte 2 */

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;          /* overlong below U+0800 */
        else if (c == 0xED)
            hi = 0x9F;          /* UTF-16 surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;          /* overlong below U+10000 */
        else if (c == 0xF4)
            hi = 0x8F;          /* above U+10FFFF */
    } else {
        return 0;               /* 0x80..0xC1 and 0xF5..0xFF never lead */
    }
    if (avail < n)
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return n;
}

bool msnp_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t n = utf8_seq_len(p + i, len - i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

/* ---- Windows-1252 ----------------------------------------------------- */

/* Code points of 0x80..0x9F in Windows-1252. The five bytes the code page
 * leaves undefined map to the C1 control of the same value, as Windows'
 * own converter does, so transcoding never fails. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

/* Writes the UTF-8 form of cp (< U+10000) to w; returns the byte count. */
static size_t utf8_put_bmp(char *w, unsigned cp)
{
    if (cp < 0x80) {
        w[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        w[0] = (char)(0xC0 | (cp >> 6));
        w[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    w[0] = (char)(0xE0 | (cp >> 12));
    w[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    w[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

int msnp_cp1252_to_utf8(msnp_buf *out, const char *in, size_t len)
{
    const unsigned char *p = (const unsigned char *)in;

    /* Every input byte becomes at most 3 output bytes (U+20AC and the
     * other punctuation of 0x80..0x9F). */
    if (len > ((size_t)-1 - 1) / 3)
        return MSNP_E_NOMEM;
    int rc = msnp_buf_reserve(out, len * 3);
    if (rc != MSNP_OK)
        return rc;

    char *w = out->data + out->len;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned cp = p[i];
        if (cp >= 0x80 && cp <= 0x9F)
            cp = cp1252_high[cp - 0x80];
        n += utf8_put_bmp(w + n, cp);
    }
    out->len += n;
    out->data[out->len] = '\0';
    return MSNP_OK;
}

/* ---- decoding --------------------------------------------------------- */

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Appends the percent-decoded bytes of in[0..len) to out. A '%' without two
 * hex digits is an error, or a literal '%' when lenient. */
static int url_unescape(msnp_buf *out, const char *in, size_t len,
                        bool lenient)
{
    const unsigned char *p = (const unsigned char *)in;
    int rc = msnp_buf_reserve(out, len); /* decoding never grows */
    if (rc != MSNP_OK)
        return rc;

    char *w = out->data + out->len;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        int hi, lo;
        if (p[i] == '%' && i + 2 < len &&
            (hi = hex_value(p[i + 1])) >= 0 &&
            (lo = hex_value(p[i + 2])) >= 0) {
            w[n++] = (char)(hi << 4 | lo);
            i += 2;
        } else if (p[i] == '%' && !lenient) {
            out->data[out->len] = '\0'; /* undo the partial write */
            return MSNP_E_BAD_ESCAPE;
        } else {
            w[n++] = (char)p[i];
        }
    }
    out->len += n;
    out->data[out->len] = '\0';
    return MSNP_OK;
}

/* MSNP_E_CONTROL_CHAR if s[0..len) holds a byte the flags forbid. NUL is
 * always forbidden: callers hand the result around as a C string. */
static int check_controls(const char *s, size_t len, unsigned flags)
{
    bool allow = (flags & MSNP_URL_ALLOW_CONTROL) != 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0)
            return MSNP_E_CONTROL_CHAR;
        if (!allow && c != '\t' && (c < 0x20 || c == 0x7F))
            return MSNP_E_CONTROL_CHAR;
    }
    return MSNP_OK;
}

/* Replaces out[start..len) (not UTF-8) by its Windows-1252 transcoding. */
static int transcode_tail(msnp_buf *out, size_t start)
{
    size_t n = out->len - start;
    char *copy = malloc(n ? n : 1);
    if (!copy)
        return MSNP_E_NOMEM;
    memcpy(copy, out->data + start, n);
    msnp_buf_truncate(out, start);
    int rc = msnp_cp1252_to_utf8(out, copy, n);
    free(copy);
    return rc;
}

int msnp_url_decode(msnp_buf *out, const char *in, size_t len, unsigned flags)
{
    size_t start = out->len;
    bool lenient = (flags & MSNP_URL_LENIENT) != 0;

    if (!in && len)
        return MSNP_E_INVALID_ARG;
    int rc = url_unescape(out, in, len, lenient);
    if (rc == MSNP_OK && !msnp_utf8_valid(out->data + start, out->len - start))
        rc = lenient ? transcode_tail(out, start) : MSNP_E_BAD_UTF8;
    if (rc == MSNP_OK)
        rc = check_controls(out->data + start, out->len - start, flags);
    if (rc != MSNP_OK)
        msnp_buf_truncate(out, start);
    return rc;
}

int msnp_url_decode_dup(const char *in, unsigned flags, char **out)
{
    msnp_buf b = MSNP_BUF_INIT;
    *out = NULL;
    if (!in)
        return MSNP_E_INVALID_ARG;
    int rc = msnp_url_decode(&b, in, strlen(in), flags);
    if (rc != MSNP_OK) {
        msnp_buf_free(&b);
        return rc;
    }
    *out = msnp_buf_detach(&b, NULL);
    return *out ? MSNP_OK : MSNP_E_NOMEM;
}
