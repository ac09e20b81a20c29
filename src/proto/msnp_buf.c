/* msnp_buf.c - growable byte buffer (see msnp_buf.h). */
#include "msnp_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_status.h"

void msnp_buf_init(msnp_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->limit = 0;
}

void msnp_buf_free(msnp_buf *b)
{
    size_t limit = b->limit;
    free(b->data);
    msnp_buf_init(b);
    b->limit = limit;
}

void msnp_buf_reset(msnp_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void msnp_buf_set_limit(msnp_buf *b, size_t limit)
{
    b->limit = limit;
}

int msnp_buf_reserve(msnp_buf *b, size_t extra)
{
    if (extra > (size_t)-1 - b->len - 1)
        return MSNP_E_NOMEM;
    size_t need = b->len + extra + 1;
    if (b->limit && b->len + extra > b->limit)
        return MSNP_E_TOO_LONG;
    if (need <= b->cap)
        return MSNP_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > (size_t)-1 / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return MSNP_E_NOMEM;
    b->data = p;
    b->cap = cap;
    return MSNP_OK;
}

int msnp_buf_append(msnp_buf *b, const void *data, size_t len)
{
    int rc = msnp_buf_reserve(b, len);
    if (rc != MSNP_OK)
        return rc;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return MSNP_OK;
}

int msnp_buf_append_str(msnp_buf *b, const char *s)
{
    return msnp_buf_append(b, s, strlen(s));
}

int msnp_buf_append_char(msnp_buf *b, char c)
{
    return msnp_buf_append(b, &c, 1);
}

int msnp_buf_vappendf(msnp_buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return MSNP_E_INVALID_ARG;
    int rc = msnp_buf_reserve(b, (size_t)n);
    if (rc != MSNP_OK)
        return rc;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return MSNP_OK;
}

int msnp_buf_appendf(msnp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = msnp_buf_vappendf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void msnp_buf_truncate(msnp_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

char *msnp_buf_detach(msnp_buf *b, size_t *len)
{
    char *p = b->data;
    if (!p) {
        p = calloc(1, 1);
        if (!p)
            return NULL;
    }
    if (len)
        *len = b->len;
    size_t limit = b->limit;
    msnp_buf_init(b);
    b->limit = limit;
    return p;
}
