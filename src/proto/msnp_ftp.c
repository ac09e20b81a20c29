/*
 * msnp_ftp.c - MSNFTP control lines and data-block headers (msnp.md 6).
 * See msnp_ftp.h for the grammar; every input is bounded by
 * MSNP_FTP_MAX_LINE before anything is looked at.
 */
#include "msnp_ftp.h"

#include <string.h>

#include "msnp_status.h"

#define MAX_TOKENS 8 /* VER may offer several names; more is not MSNFTP */

static const char *const verbs[] = {
    [MSNP_FTP_VER] = "VER", [MSNP_FTP_USR] = "USR", [MSNP_FTP_FIL] = "FIL",
    [MSNP_FTP_TFR] = "TFR", [MSNP_FTP_BYE] = "BYE", [MSNP_FTP_CCL] = "CCL",
};

int msnp_ftp_find_line(const void *buf, size_t len, size_t *line_len,
                       size_t *consumed)
{
    if ((!buf && len) || !line_len || !consumed)
        return MSNP_E_INVALID_ARG;
    size_t scan = len < MSNP_FTP_MAX_LINE + 2 ? len : MSNP_FTP_MAX_LINE + 2;
    const char *lf = scan ? memchr(buf, '\n', scan) : NULL;
    if (!lf)
        return len >= MSNP_FTP_MAX_LINE + 2 ? MSNP_E_LINE_TOO_LONG : 0;
    size_t end = (size_t)(lf - (const char *)buf);
    *consumed = end + 1;
    if (end > 0 && ((const char *)buf)[end - 1] == '\r')
        end--;
    *line_len = end;
    return 1;
}

/* A token of the line: start and length (not NUL-terminated). */
typedef struct token {
    const char *s;
    size_t len;
} token;

/* Splits line on runs of spaces; returns the number of tokens, or
 * MAX_TOKENS + 1 when there are more. */
static size_t split(const char *line, size_t len, token *t)
{
    size_t n = 0, i = 0;
    while (i < len) {
        while (i < len && line[i] == ' ')
            i++;
        if (i == len)
            break;
        size_t start = i;
        while (i < len && line[i] != ' ')
            i++;
        if (n == MAX_TOKENS)
            return MAX_TOKENS + 1;
        t[n].s = line + start;
        t[n].len = i - start;
        n++;
    }
    return n;
}

static bool token_is(const token *t, const char *word)
{
    return t->len == strlen(word) && memcmp(t->s, word, t->len) == 0;
}

/* Decimal without sign or leading zeros, at most max. */
static int parse_dec(const token *t, uint64_t max, uint64_t *out)
{
    if (t->len == 0 || t->len > 20 || (t->s[0] == '0' && t->len > 1))
        return MSNP_E_BAD_VALUE;
    uint64_t v = 0;
    for (size_t i = 0; i < t->len; i++) {
        unsigned d = (unsigned char)t->s[i] - '0';
        if (d > 9 || v > (max - d) / 10)
            return MSNP_E_BAD_VALUE;
        v = v * 10 + d;
    }
    *out = v;
    return MSNP_OK;
}

static msnp_ftp_verb find_verb(const token *t)
{
    for (int v = MSNP_FTP_VER; v <= MSNP_FTP_CCL; v++)
        if (token_is(t, verbs[v]))
            return (msnp_ftp_verb)v;
    return MSNP_FTP_NONE;
}

/* How many parameters each verb takes: min, max. */
static void arity(msnp_ftp_verb v, size_t *min, size_t *max)
{
    switch (v) {
    case MSNP_FTP_VER: *min = 1; *max = MAX_TOKENS - 1; break;
    case MSNP_FTP_USR: *min = 2; *max = 2; break;
    case MSNP_FTP_FIL: case MSNP_FTP_BYE: *min = 1; *max = 1; break;
    default: *min = 0; *max = 0; break;
    }
}

static int parse_params(msnp_ftp_verb v, const token *p, size_t np, msnp_ftp_line *out)
{
    uint64_t n = 0;
    int rc = MSNP_OK;
    switch (v) {
    case MSNP_FTP_VER:
        for (size_t i = 0; i < np; i++)
            out->msnftp = out->msnftp || token_is(&p[i], "MSNFTP");
        break;
    case MSNP_FTP_USR:
        if (p[0].len > MSNP_FTP_MAX_HANDLE)
            return MSNP_E_TOO_LONG;
        memcpy(out->handle, p[0].s, p[0].len);
        out->handle[p[0].len] = '\0';
        if ((rc = parse_dec(&p[1], UINT32_MAX, &n)) == MSNP_OK)
            out->auth_cookie = (uint32_t)n;
        break;
    case MSNP_FTP_FIL:
        if ((rc = parse_dec(&p[0], UINT64_MAX, &n)) == MSNP_OK)
            out->size = n;
        break;
    case MSNP_FTP_BYE:
        if ((rc = parse_dec(&p[0], UINT32_MAX, &n)) == MSNP_OK)
            out->code = (uint32_t)n;
        break;
    default:
        break;
    }
    return rc;
}

static int parse_line(const char *line, size_t len, msnp_ftp_line *out)
{
    token t[MAX_TOKENS];
    if (len > MSNP_FTP_MAX_LINE)
        return MSNP_E_TOO_LONG;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)line[i] < 0x20 || line[i] == 0x7F)
            return MSNP_E_CONTROL_CHAR;
    size_t n = split(line, len, t);
    if (n == 0)
        return MSNP_E_SYNTAX;
    msnp_ftp_verb v = find_verb(&t[0]);
    if (v == MSNP_FTP_NONE)
        return MSNP_E_SYNTAX;
    size_t min, max;
    arity(v, &min, &max);
    if (n - 1 < min)
        return MSNP_E_MISSING_FIELD;
    if (n - 1 > max)
        return MSNP_E_TOO_MANY_PARAMS;
    out->verb = v;
    return parse_params(v, t + 1, n - 1, out);
}

int msnp_ftp_parse_line(const char *line, size_t len, msnp_ftp_line *out)
{
    if (!out)
        return MSNP_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if (!line && len)
        return MSNP_E_INVALID_ARG;
    int rc = parse_line(line ? line : "", len, out);
    if (rc != MSNP_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

static bool handle_ok(const char *h)
{
    size_t len = strnlen(h, MSNP_FTP_MAX_HANDLE + 1);
    if (len == 0 || len > MSNP_FTP_MAX_HANDLE)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)h[i] <= 0x20 || h[i] == 0x7F)
            return false;
    return true;
}

int msnp_ftp_build_line(msnp_buf *out, const msnp_ftp_line *l)
{
    if (!out || !l || l->verb <= MSNP_FTP_NONE || l->verb > MSNP_FTP_CCL)
        return MSNP_E_INVALID_ARG;
    switch (l->verb) {
    case MSNP_FTP_VER:
        return l->msnftp ? msnp_buf_append_str(out, "VER MSNFTP\r\n") : MSNP_E_INVALID_ARG;
    case MSNP_FTP_USR:
        if (!handle_ok(l->handle))
            return MSNP_E_INVALID_ARG;
        return msnp_buf_appendf(out, "USR %s %lu\r\n", l->handle,
                                (unsigned long)l->auth_cookie);
    case MSNP_FTP_FIL:
        return msnp_buf_appendf(out, "FIL %llu\r\n", (unsigned long long)l->size);
    case MSNP_FTP_BYE:
        return msnp_buf_appendf(out, "BYE %lu\r\n", (unsigned long)l->code);
    default: /* TFR, CCL */
        return msnp_buf_appendf(out, "%s\r\n", verbs[l->verb]);
    }
}

bool msnp_ftp_line_equal(const msnp_ftp_line *a, const msnp_ftp_line *b)
{
    if (!a || !b || a->verb != b->verb)
        return false;
    switch (a->verb) {
    case MSNP_FTP_VER: return a->msnftp == b->msnftp;
    case MSNP_FTP_USR:
        return a->auth_cookie == b->auth_cookie &&
               strncmp(a->handle, b->handle, sizeof a->handle) == 0;
    case MSNP_FTP_FIL: return a->size == b->size;
    case MSNP_FTP_BYE: return a->code == b->code;
    default: return true;
    }
}

int msnp_ftp_block_parse(const void *buf, size_t len, msnp_ftp_block *out)
{
    if ((!buf && len) || !out)
        return MSNP_E_INVALID_ARG;
    if (len < MSNP_FTP_BLOCK_HEADER)
        return 0;
    const unsigned char *p = buf;
    if (p[0] > 1)
        return MSNP_E_BAD_VALUE;
    out->end = p[0] == 1;
    out->length = (uint16_t)(p[1] | (p[2] << 8)); /* little-endian */
    return 1;
}

static int write_header(msnp_buf *out, unsigned flag, size_t len)
{
    unsigned char h[MSNP_FTP_BLOCK_HEADER] = { (unsigned char)flag,
                                               (unsigned char)(len & 0xFF),
                                               (unsigned char)(len >> 8) };
    return msnp_buf_append(out, h, sizeof h);
}

int msnp_ftp_block_write(msnp_buf *out, const void *data, size_t len)
{
    if (!out || (!data && len))
        return MSNP_E_INVALID_ARG;
    if (len > MSNP_FTP_BLOCK_DATA_MAX)
        return MSNP_E_TOO_LONG;
    int rc = msnp_buf_reserve(out, MSNP_FTP_BLOCK_HEADER + len);
    if (rc != MSNP_OK)
        return rc;
    size_t mark = out->len;
    if ((rc = write_header(out, 0, len)) == MSNP_OK && len)
        rc = msnp_buf_append(out, data, len);
    if (rc != MSNP_OK)
        msnp_buf_truncate(out, mark);
    return rc;
}

int msnp_ftp_abort_write(msnp_buf *out)
{
    if (!out)
        return MSNP_E_INVALID_ARG;
    return write_header(out, 1, 0);
}
