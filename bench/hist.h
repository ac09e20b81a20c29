/*
 * hist.h - latency histogram with bounded relative error: values (in
 * nanoseconds) land in log-linear buckets, 64 per power of two, so any
 * percentile is reported within about 1.6 % of the true value, in fixed
 * memory whatever the number of samples.
 */
#ifndef BENCH_HIST_H
#define BENCH_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS 6                         /* 64 sub-buckets */
#define HIST_BUCKETS ((64 - HIST_SUB_BITS + 1) << HIST_SUB_BITS)

typedef struct hist {
    uint64_t count;
    uint64_t max;
    uint64_t sum;
    uint64_t b[HIST_BUCKETS];
} hist;

/* Empties h. */
void hist_reset(hist *h);
/* Records one value. */
void hist_add(hist *h, uint64_t v);
/* The value at quantile q (0..1): an upper bound of the bucket holding
 * it, never above the largest value seen; 0 when empty. */
uint64_t hist_quantile(const hist *h, double q);
/* Mean of the recorded values; 0 when empty. */
double hist_mean(const hist *h);

#endif
