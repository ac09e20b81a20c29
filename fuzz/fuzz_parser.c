/*
 * fuzz_parser.c - msnp_parser must return the same commands however its
 * input is split.
 *
 * Input layout: byte 0 picks the limits (bits 0-1) and whether the
 * chunked parser gets the smallest buffer allowed (bit 2); byte 1 seeds
 * the chunk sizes; the rest is the byte stream. For each direction the
 * stream is parsed twice -- fed all at once, and fed in chunks whose sizes
 * come from the stream's own bytes, draining after every feed -- and a
 * digest of everything msnp_parser_next() returned (every field of every
 * command, BAD_TRID rejections, the final sticky error) must match.
 * Structural invariants of each command are checked on the way.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct limits {
    size_t max_line;
    size_t max_payload;
    size_t max_params;
} limits;

/* Defaults, then ever smaller limits so the error paths get hit often. */
static const limits limit_sets[4] = {
    { 8192, 65536, 64 },
    { 256, 1024, 8 },
    { 64, 128, 4 },
    { 16, 16, 2 },
};

typedef struct digest {
    uint64_t hash;
    size_t ncmds;
    int final;      /* sticky error, 0 if none */
    size_t pending; /* bytes left over when no error */
} digest;

/* FNV-1a, 64 bits: any change in any byte of any field shows. */
static void mix(digest *d, const void *data, size_t len)
{
    const unsigned char *b = data;

    for (size_t i = 0; i < len; i++) {
        d->hash ^= b[i];
        d->hash *= 1099511628211u;
    }
}

static void mix_u64(digest *d, uint64_t v)
{
    mix(d, &v, sizeof v);
}

static void check_cmd(const msnp_cmd *cmd, const limits *lim)
{
    if (strlen(cmd->code) != 3)
        abort();
    if ((cmd->error_code != 0) != (cmd->code[0] >= '0' && cmd->code[0] <= '9'))
        abort();
    if (cmd->error_code != 0 && (cmd->error_code < 100 || cmd->error_code > 999))
        abort();
    if (cmd->nparams > lim->max_params + 1 || (cmd->nparams > 0 && cmd->params == NULL))
        abort();
    if (cmd->has_payload != (cmd->payload != NULL))
        abort();
    if (!cmd->has_payload && cmd->payload_len != 0)
        abort();
    if (cmd->payload_len > lim->max_payload)
        abort();
    if (cmd->has_payload && cmd->nparams == 0)
        abort(); /* the length is always the last parameter */
}

static void mix_cmd(digest *d, int rc, const msnp_cmd *cmd)
{
    mix_u64(d, (uint64_t)(int64_t)rc);
    mix(d, cmd->code, 4);
    mix_u64(d, (uint64_t)cmd->error_code);
    mix_u64(d, cmd->has_trid);
    mix_u64(d, cmd->has_trid ? cmd->trid : 0);
    mix_u64(d, cmd->nparams);
    for (size_t i = 0; i < cmd->nparams; i++)
        mix(d, cmd->params[i], strlen(cmd->params[i]) + 1);
    mix_u64(d, cmd->has_payload);
    mix_u64(d, cmd->payload_len);
    if (cmd->payload_len > 0)
        mix(d, cmd->payload, cmd->payload_len);
    d->ncmds++;
}

/* Takes every complete command out; returns false once a sticky error is
 * recorded. */
static bool drain(msnp_parser *p, digest *d, const limits *lim)
{
    for (;;) {
        msnp_cmd cmd;
        int rc = msnp_parser_next(p, &cmd);

        if (rc == 0)
            return true;
        if (rc == 1 || rc == MSNP_E_BAD_TRID) {
            check_cmd(&cmd, lim);
            mix_cmd(d, rc, &cmd);
            continue;
        }
        if (rc > 0 || msnp_parser_next(p, &cmd) != rc)
            abort(); /* errors other than BAD_TRID must be sticky */
        d->final = rc;
        return false;
    }
}

static msnp_parser *make_parser(msnp_direction dir, const limits *lim, size_t max_buffer)
{
    msnp_parser_config cfg = { dir, lim->max_line, lim->max_payload, lim->max_params, max_buffer };
    msnp_parser *p = msnp_parser_new(&cfg);

    if (p == NULL)
        abort();
    return p;
}

static void finish(msnp_parser *p, digest *d)
{
    if (d->final == 0)
        d->pending = msnp_parser_pending(p);
    msnp_parser_free(p);
}

static void parse_whole(msnp_direction dir, const limits *lim, const uint8_t *s, size_t n,
                        digest *d)
{
    msnp_parser *p = make_parser(dir, lim, n + lim->max_line + lim->max_payload);

    if (msnp_parser_feed(p, s, n) != MSNP_OK)
        abort();
    drain(p, d, lim);
    finish(p, d);
}

/* Chunk lengths follow the stream's bytes: 1 .. max_chunk. */
static size_t chunk_len(const uint8_t *s, size_t pos, unsigned seed)
{
    size_t max_chunk = 1 + seed % 97;

    return 1 + ((size_t)s[pos] * 31u + seed) % max_chunk;
}

static void parse_chunked(msnp_direction dir, const limits *lim, bool tight, unsigned seed,
                          const uint8_t *s, size_t n, digest *d)
{
    /* A max_buffer of 1 is raised to max_line + max_payload (documented). */
    size_t max_buffer = tight ? lim->max_line + lim->max_payload : n + 1;
    msnp_parser *p = make_parser(dir, lim, tight ? 1 : max_buffer);
    size_t pos = 0;

    while (pos < n) {
        size_t len = chunk_len(s, pos, seed);
        size_t room = max_buffer - msnp_parser_pending(p);

        if (len > n - pos)
            len = n - pos;
        if (len > room) {
            /* refused whole, nothing kept */
            size_t before = msnp_parser_pending(p);
            if (msnp_parser_feed(p, s + pos, len) != MSNP_E_BUFFER_FULL ||
                msnp_parser_pending(p) != before)
                abort();
            len = room; /* after a drain there is always room for a byte */
        }
        if (len == 0 || msnp_parser_feed(p, s + pos, len) != MSNP_OK)
            abort();
        pos += len;
        if (!drain(p, d, lim))
            break;
    }
    finish(p, d);
}

static bool same(const digest *a, const digest *b)
{
    return a->hash == b->hash && a->ncmds == b->ncmds && a->final == b->final &&
           a->pending == b->pending;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const limits *lim;
    bool tight;
    unsigned seed;

    if (size < 2)
        return 0;
    lim = &limit_sets[data[0] & 3];
    tight = (data[0] & 4) != 0;
    seed = data[1];
    data += 2;
    size -= 2;

    for (int dir = MSNP_FROM_CLIENT; dir <= MSNP_FROM_SERVER; dir++) {
        digest whole = { 14695981039346656037u, 0, 0, 0 };
        digest chunked = whole;

        parse_whole((msnp_direction)dir, lim, data, size, &whole);
        parse_chunked((msnp_direction)dir, lim, tight, seed, data, size, &chunked);
        if (!same(&whole, &chunked))
            abort();
    }
    return 0;
}
