/* log.h - msgrd's log lines on stderr: "msgrd: LEVEL: message". */
#ifndef MSGRD_LOG_H
#define MSGRD_LOG_H

typedef enum log_level { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG } log_level;

/* Sets the threshold from "error", "warn", "info" or "debug"; returns -1
 * for anything else. */
int log_set_level_name(const char *name);
void log_set_level(log_level level);
int log_enabled(log_level level);

void log_msg(log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) do { if (log_enabled(LOG_DEBUG)) log_msg(LOG_DEBUG, __VA_ARGS__); } while (0)

#endif
