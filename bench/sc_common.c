/* sc_common.c - server CPU probe shared by the scenarios (scenarios.h). */
#include "scenarios.h"

#include "report.h"

void probe_start(server_probe *p, long pid)
{
    p->pid = pid;
    p->cpu0 = pid > 0 ? proc_cpu_seconds(pid) : -1;
    p->t0 = loop_now_ns();
    p->cpu1 = p->cpu0;
    p->t1 = p->t0;
}

void probe_stop(server_probe *p)
{
    p->cpu1 = p->pid > 0 ? proc_cpu_seconds(p->pid) : -1;
    p->t1 = loop_now_ns();
}

double probe_cpu_percent(const server_probe *p)
{
    double wall = (double)(p->t1 - p->t0) / 1e9;
    if (p->pid <= 0 || p->cpu0 < 0 || p->cpu1 < 0 || wall <= 0)
        return -1;
    return 100.0 * (p->cpu1 - p->cpu0) / wall;
}
