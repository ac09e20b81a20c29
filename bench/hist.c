/* hist.c - log-linear latency histogram (hist.h). */
#include "hist.h"

#include <string.h>

#define SUB (1u << HIST_SUB_BITS)

void hist_reset(hist *h)
{
    memset(h, 0, sizeof *h);
}

/* Bucket of v: values below SUB map to themselves; above, the exponent
 * picks a block of SUB buckets and the next HIST_SUB_BITS bits below the
 * leading one pick the bucket inside it. */
static unsigned bucket_of(uint64_t v)
{
    if (v < SUB)
        return (unsigned)v;
    unsigned lead = 63u - (unsigned)__builtin_clzll(v);
    unsigned shift = lead - HIST_SUB_BITS;
    unsigned idx = ((shift + 1u) << HIST_SUB_BITS) + (unsigned)((v >> shift) & (SUB - 1u));
    return idx < HIST_BUCKETS ? idx : HIST_BUCKETS - 1u;
}

/* Largest value that falls into bucket i. */
static uint64_t bucket_top(unsigned i)
{
    if (i < SUB)
        return i;
    unsigned shift = (i >> HIST_SUB_BITS) - 1u;
    uint64_t base = (uint64_t)(SUB + (i & (SUB - 1u))) << shift;
    return base + ((uint64_t)1 << shift) - 1u;
}

void hist_add(hist *h, uint64_t v)
{
    h->b[bucket_of(v)]++;
    h->count++;
    h->sum += v;
    if (v > h->max)
        h->max = v;
}

uint64_t hist_quantile(const hist *h, double q)
{
    if (h->count == 0)
        return 0;
    uint64_t rank = (uint64_t)(q * (double)h->count);
    if (rank >= h->count)
        rank = h->count - 1;
    uint64_t seen = 0;
    for (unsigned i = 0; i < HIST_BUCKETS; i++) {
        seen += h->b[i];
        if (seen > rank) {
            uint64_t top = bucket_top(i);
            return top < h->max ? top : h->max;
        }
    }
    return h->max;
}

double hist_mean(const hist *h)
{
    return h->count ? (double)h->sum / (double)h->count : 0.0;
}
