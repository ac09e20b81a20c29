/* log.c - leveled log lines on stderr. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static log_level threshold = LOG_INFO;
static const char *const names[] = { "error", "warn", "info", "debug" };

int log_set_level_name(const char *name)
{
    for (int i = 0; i < 4; i++) {
        if (strcmp(name, names[i]) == 0) {
            threshold = (log_level)i;
            return 0;
        }
    }
    return -1;
}

void log_set_level(log_level level)
{
    threshold = level;
}

int log_enabled(log_level level)
{
    return level <= threshold;
}

void log_msg(log_level level, const char *fmt, ...)
{
    if (level > threshold)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* One fprintf per line so lines from worker threads do not interleave. */
    fprintf(stderr, "msgrd: %s: %s\n", names[level], line);
}
