/*
 * alerts.h - MSN Alerts: a NOT notification (msnp.md 7.1) delivered to a
 * signed-in user, as sent by `msgrd alert send` through the admin endpoint.
 */
#ifndef MSGRD_ALERTS_H
#define MSGRD_ALERTS_H

struct server;

typedef enum alerts_result {
    ALERT_DELIVERED = 0,
    ALERT_NOT_SIGNED_IN = -1, /* no notification session for that handle */
    ALERT_INVALID = -2,       /* text/url not UTF-8, control characters, or too long */
    ALERT_FAILED = -3,        /* out of memory, or the connection was just dropped */
} alerts_result;

/* Sends one alert with text (and an optional action URL, NULL = none) to
 * handle's notification session. */
alerts_result alerts_deliver(struct server *srv, const char *handle, const char *text,
                             const char *url);

#endif
