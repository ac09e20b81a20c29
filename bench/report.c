/* report.c - result table, JSON line and /proc readings (report.h). */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REPORT_MAX_ITEMS 64

typedef struct item {
    char key[48];
    bool is_num;
    double num;
    int decimals;
    char str[160];
} item;

struct report {
    char name[32];
    item items[REPORT_MAX_ITEMS];
    unsigned n;
};

report *report_new(const char *name)
{
    report *r = calloc(1, sizeof *r);
    if (r)
        snprintf(r->name, sizeof r->name, "%s", name);
    return r;
}

static item *add_item(report *r, const char *key)
{
    if (!r || r->n >= REPORT_MAX_ITEMS)
        return NULL;
    item *it = &r->items[r->n++];
    snprintf(it->key, sizeof it->key, "%s", key);
    return it;
}

void report_num(report *r, const char *key, double v, int decimals)
{
    item *it = add_item(r, key);
    if (!it)
        return;
    it->is_num = true;
    it->num = v;
    it->decimals = decimals;
}

void report_str(report *r, const char *key, const char *v)
{
    item *it = add_item(r, key);
    if (it)
        snprintf(it->str, sizeof it->str, "%s", v ? v : "");
}

void report_latency(report *r, const char *key, const hist *h)
{
    char k[48];
    static const struct { const char *suffix; double q; } qs[] = {
        { "p50_us", 0.5 }, { "p99_us", 0.99 }, { "p999_us", 0.999 } };
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        snprintf(k, sizeof k, "%s_%s", key, qs[i].suffix);
        report_num(r, k, (double)hist_quantile(h, qs[i].q) / 1000.0, 1);
    }
    snprintf(k, sizeof k, "%s_max_us", key);
    report_num(r, k, (double)h->max / 1000.0, 1);
}

unsigned long errors_total(const bench_errors *e)
{
    return e->connect + e->closed + e->login + e->http + e->timeout + e->reply + e->protocol +
           e->lost;
}

void report_errors(report *r, const bench_errors *e)
{
    report_num(r, "errors", (double)errors_total(e), 0);
    report_num(r, "err_connect", (double)e->connect, 0);
    report_num(r, "err_closed", (double)e->closed, 0);
    report_num(r, "err_login", (double)e->login, 0);
    report_num(r, "err_http", (double)e->http, 0);
    report_num(r, "err_timeout", (double)e->timeout, 0);
    report_num(r, "err_reply", (double)e->reply, 0);
    report_num(r, "err_protocol", (double)e->protocol, 0);
    report_num(r, "err_lost", (double)e->lost, 0);
    report_num(r, "throttled_800", (double)e->throttled, 0);
}

/* JSON string body: the values we print are ASCII; escape the rest. */
static void json_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

void report_print(report *r, bool quiet)
{
    if (!r)
        return;
    if (!quiet) {
        printf("\n== %s ==\n", r->name);
        for (unsigned i = 0; i < r->n; i++) {
            const item *it = &r->items[i];
            printf("  %-28s ", it->key);
            if (it->is_num)
                printf("%.*f", it->decimals, it->num);
            else
                fputs(it->str, stdout);
            putchar('\n');
        }
    }
    printf("{\"scenario\":");
    json_string(r->name);
    for (unsigned i = 0; i < r->n; i++) {
        const item *it = &r->items[i];
        printf(",");
        json_string(it->key);
        putchar(':');
        if (it->is_num)
            printf("%.6g", it->num);
        else
            json_string(it->str);
    }
    printf("}\n");
    fflush(stdout);
    free(r);
}

/* Value of a "Name:   123 kB" line of /proc/pid/status. */
static long status_field(long pid, const char *name)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%ld/status", pid);
    FILE *f = pid > 0 ? fopen(path, "r") : NULL;
    if (!f)
        return -1;
    long v = -1;
    size_t nlen = strlen(name);
    for (int i = 0; i < 256 && fgets(line, sizeof line, f); i++) {
        if (!strncmp(line, name, nlen) && line[nlen] == ':') {
            v = strtol(line + nlen + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return v;
}

long proc_rss_kib(long pid)
{
    return status_field(pid, "VmRSS");
}

long proc_hwm_kib(long pid)
{
    return status_field(pid, "VmHWM");
}

double proc_cpu_seconds(long pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = pid > 0 ? fopen(path, "r") : NULL;
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* Fields after the ")" that ends the command name: state is field 3,
     * utime 14 and stime 15. */
    const char *p = strrchr(buf, ')');
    if (!p)
        return -1;
    unsigned long ut = 0, st = 0;
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return -1;
    long hz = sysconf(_SC_CLK_TCK);
    return hz > 0 ? (double)(ut + st) / (double)hz : -1;
}
