/*
 * msnp_buf.h - growable byte buffer used by every serializer of the codec.
 *
 * A msnp_buf owns its storage. data is always NUL-terminated after len
 * bytes (the NUL is not counted), so text output can be used as a C string.
 * Appends are all-or-nothing: on failure the buffer keeps its previous
 * contents and the function returns MSNP_E_NOMEM (or MSNP_E_TOO_LONG when
 * a limit set with msnp_buf_set_limit() would be exceeded).
 */
#ifndef MSNP_BUF_H
#define MSNP_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct msnp_buf {
    char *data;    /* owned; NULL until the first append */
    size_t len;    /* bytes used, excluding the terminating NUL */
    size_t cap;    /* bytes allocated */
    size_t limit;  /* 0 = unlimited, else maximum len */
} msnp_buf;

#define MSNP_BUF_INIT { NULL, 0, 0, 0 }

void msnp_buf_init(msnp_buf *b);
/* Frees the storage; the buffer is empty and reusable afterwards. */
void msnp_buf_free(msnp_buf *b);
/* Empties the buffer, keeping its storage. */
void msnp_buf_reset(msnp_buf *b);
/* Caps len at limit bytes (0 = no cap). */
void msnp_buf_set_limit(msnp_buf *b, size_t limit);
/* Ensures room for extra more bytes plus the NUL. */
int msnp_buf_reserve(msnp_buf *b, size_t extra);
int msnp_buf_append(msnp_buf *b, const void *data, size_t len);
int msnp_buf_append_str(msnp_buf *b, const char *s);
int msnp_buf_append_char(msnp_buf *b, char c);
int msnp_buf_appendf(msnp_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int msnp_buf_vappendf(msnp_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Shortens the buffer to len bytes (no-op if already shorter). */
void msnp_buf_truncate(msnp_buf *b, size_t len);
/* Hands the storage to the caller (free() it); the buffer becomes empty.
 * Returns an allocated empty string for an empty buffer, NULL on OOM. */
char *msnp_buf_detach(msnp_buf *b, size_t *len);

#endif
