/*
 * fuzz_http_compat.c - the nexus's HTTP/0.9 request-line rewriter
 * (src/server/http_compat.c). The input is split into chunks at the
 * offsets its first bytes give, as TLS records would split it; the
 * rewriter must never read or write out of bounds, and a rewritten
 * buffer must start with a complete HTTP/1.0 request line.
 */
#define _GNU_SOURCE /* memmem */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "http_compat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t cut1 = data[0], cut2 = data[1];
    data += 2;
    size -= 2;
    struct evbuffer *in = evbuffer_new();
    if (!in)
        return 0;
    if (http_compat_watch_buffer(in) == 0) {
        size_t a = cut1 < size ? cut1 : size;
        size_t b = a + cut2 < size ? a + cut2 : size;
        evbuffer_add(in, data, a);
        evbuffer_add(in, data + a, b - a);
        evbuffer_add(in, data + b, size - b);
    }
    size_t n = evbuffer_get_length(in);
    unsigned char *out = malloc(n ? n : 1);
    if (out && evbuffer_remove(in, out, n) == (int)n && n >= size + 9) {
        /* Grew: it must have become "... HTTP/1.0\r\n". */
        if (!memmem(out, n, " HTTP/1.0\r\n", 11))
            abort();
    }
    free(out);
    evbuffer_free(in);
    return 0;
}
