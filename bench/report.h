/*
 * report.h - scenario results: a human-readable table and one JSON line
 * ({"scenario": ..., key: value, ...}) on standard output, plus what
 * /proc says about the server process (RSS, CPU time).
 */
#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include <stdbool.h>

#include "ctx.h"
#include "hist.h"

typedef struct report report;

/* A new report for scenario name (NULL when out of memory). */
report *report_new(const char *name);
/* Adds a number, shown in the table with that many decimals. */
void report_num(report *r, const char *key, double v, int decimals);
/* Adds a string. */
void report_str(report *r, const char *key, const char *v);
/* Adds p50, p99, p99.9 and max of h in microseconds as key_p50_us ... */
void report_latency(report *r, const char *key, const hist *h);
/* Adds the error counters (errors_total and one per kind). */
void report_errors(report *r, const bench_errors *e);
/* Prints the table (unless quiet) and the JSON line, then frees r. */
void report_print(report *r, bool quiet);

/* The server's VmRSS / VmHWM in KiB, or -1. */
long proc_rss_kib(long pid);
long proc_hwm_kib(long pid);
/* The server's user+system CPU seconds so far, or -1. */
double proc_cpu_seconds(long pid);

/* Sum of the error counters. */
unsigned long errors_total(const bench_errors *e);

#endif
