/*
 * alerts.c - MSN Alerts through a MessengerPriv (alerts.h): the Lock and
 * Key handshake (unlock.c) with the profile's application key, the
 * subscription, and the text and URL of each alert's XML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts.h"

static void note(cli_alerts *a, bool ok, const char *what)
{
    if (a->on_note)
        a->on_note(a->ud, ok, what);
}

/* Every site: the client shows whatever alert reaches the user. */
static void subscribe(cli_alerts *a)
{
    msgr_hr hr = msgr_priv_enable_alert_events(a->priv, NULL, 0);
    note(a, hr == MSGR_S_OK, hr == MSGR_S_OK ? "Alerts are on" : "Alerts are unavailable");
}

/* The handshake's outcome (unlock.c). Locked without keys stays silent:
 * that is the normal case of a profile that never asked for alerts. */
static void unlocked(void *ud, unlock_outcome outcome)
{
    cli_alerts *a = ud;
    char text[160];
    if (outcome == UNLOCK_USABLE) {
        subscribe(a);
    } else if (outcome != UNLOCK_NO_KEY) {
        snprintf(text, sizeof text, "Alerts are unavailable: %s", unlock_reason(outcome));
        note(a, false, text);
    }
}

/* ---- DMessengerPrivateEvents ------------------------------------------------------- */

static msgr_lock *lock_of(msgr_priv *priv)
{
    msgr_lock *lock = NULL;
    return MSGR_SUCCEEDED(msgr_priv_get_lock(priv, &lock)) ? lock : NULL;
}

static void ev_lock_enable(void *ud, msgr_priv *priv, bool enable)
{
    unlock_on_enable(&((cli_alerts *)ud)->unlock, lock_of(priv), enable);
}

static void ev_lock_challenge(void *ud, msgr_priv *priv, int32_t cookie, const char *challenge)
{
    unlock_on_challenge(&((cli_alerts *)ud)->unlock, lock_of(priv), cookie, challenge);
}

static void ev_lock_result(void *ud, msgr_priv *priv, int32_t cookie, bool succeeded)
{
    (void)priv;
    (void)cookie;
    unlock_on_result(&((cli_alerts *)ud)->unlock, succeeded);
}

static void ev_alert(void *ud, msgr_priv *priv, const char *xml, bool *enable_default)
{
    cli_alerts *a = ud;
    char *text = NULL, *url = NULL;
    (void)priv;
    (void)enable_default;
    if (alert_parse(xml, &text, &url) && a->on_alert)
        a->on_alert(a->ud, text, url);
    free(text);
    free(url);
}

static const msgr_priv_events ALERT_EVENTS = {
    .on_alert_received = ev_alert,
    .on_lock_enable = ev_lock_enable,
    .on_lock_challenge = ev_lock_challenge,
    .on_lock_result = ev_lock_result,
};

int alerts_start(cli_alerts *a, msgr_messenger *m, const char *app_id,
                 const char *app_key, alert_fn on_alert, alert_note_fn on_note,
                 void *ud)
{
    memset(a, 0, sizeof *a);
    a->on_alert = on_alert;
    a->on_note = on_note;
    a->ud = ud;
    unlock_init(&a->unlock, app_id, app_key, unlocked, a);
    if (MSGR_FAILED(msgr_priv_create(m, &a->priv)))
        a->priv = NULL;
    else if (MSGR_FAILED(msgr_priv_advise(a->priv, &ALERT_EVENTS, a, &a->cookie)))
        alerts_stop(a);
    return a->priv ? 0 : -1;
}

void alerts_stop(cli_alerts *a)
{
    if (!a)
        return;
    if (a->priv) {
        (void)msgr_priv_unadvise(a->priv, a->cookie);
        msgr_object_release(a->priv);
    }
    unlock_free(&a->unlock);
    memset(a, 0, sizeof *a);
}

/* ---- the NOTIFICATION document ------------------------------------------------------ */

/* The five XML entities; anything else (a stray '&') stays as it is. */
static char *unescape(const char *s, size_t n)
{
    static const struct { const char *ent; char ch; } ENT[] = {
        { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&apos;", '\'' },
    };
    char *out = malloc(n + 1), *o = out;
    for (size_t i = 0; out && i < n;) {
        size_t k = 0;
        while (k < sizeof ENT / sizeof ENT[0] &&
               (s[i] != '&' || strncmp(s + i, ENT[k].ent, strlen(ENT[k].ent)) != 0 ||
                i + strlen(ENT[k].ent) > n))
            k++;
        if (k < sizeof ENT / sizeof ENT[0]) {
            *o++ = ENT[k].ch;
            i += strlen(ENT[k].ent);
        } else {
            *o++ = s[i++];
        }
    }
    if (o)
        *o = '\0';
    return out;
}

/* The value of attribute name="..." in the element that starts at tag. */
static char *attribute(const char *xml, const char *tag, const char *name)
{
    const char *el = strstr(xml, tag);
    const char *close = el ? strchr(el, '>') : NULL;
    if (!close)
        return NULL;
    size_t nlen = strlen(name);
    for (const char *p = el; p && p < close; p = strstr(p + 1, name)) {
        if (p > el && p[-1] == ' ' && strncmp(p, name, nlen) == 0 && p[nlen] == '=' &&
            p[nlen + 1] == '"') {
            const char *v = p + nlen + 2, *end = strchr(v, '"');
            return end ? unescape(v, (size_t)(end - v)) : NULL;
        }
    }
    return NULL;
}

/* url as given when absolute, else joined to the site URL. */
static char *absolute_url(char *url, char *site)
{
    if (!url || !*url || strstr(url, "://") || !site || !*site) {
        free(site);
        if (url && !*url) {
            free(url);
            return NULL;
        }
        return url;
    }
    size_t a = strlen(site), b = strlen(url);
    char *joined = malloc(a + b + 1);
    if (joined) {
        memcpy(joined, site, a);
        memcpy(joined + a, url, b + 1);
    }
    free(site);
    free(url);
    return joined;
}

bool alert_parse(const char *xml, char **text, char **url)
{
    *text = *url = NULL;
    const char *start = xml ? strstr(xml, "<TEXT>") : NULL;
    const char *end = start ? strstr(start, "</TEXT>") : NULL;
    if (!end)
        return false;
    start += strlen("<TEXT>");
    *text = unescape(start, (size_t)(end - start));
    if (!*text)
        return false;
    *url = absolute_url(attribute(xml, "<ACTION ", "url"),
                        attribute(xml, "<NOTIFICATION ", "siteurl"));
    return true;
}
