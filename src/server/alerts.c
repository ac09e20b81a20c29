/* alerts.c - NOT alerts to signed-in users (alerts.h). */
#include "alerts.h"

#include <string.h>

#include "msnp_alert.h"
#include "msnp_write.h"
#include "ns.h"
#include "server.h"

/* Site id of alerts msgrd sends itself. */
#define MSGRD_ALERT_SITE_ID 1000

alerts_result alerts_deliver(server *srv, const char *handle, const char *text, const char *url)
{
    ns_session *s = ns_find_any_case(srv, handle);
    if (!s || !s->user || !conn_is_open(s->c))
        return ALERT_NOT_SIGNED_IN;
    static uint32_t next_id;
    msnp_alert a = { 0 };
    a.ver = 1;
    a.id = ++next_id;
    a.site_id = MSGRD_ALERT_SITE_ID;
    a.site_url = srv->cfg->url_base;
    a.pid_high = (uint32_t)(s->user->puid >> 32);
    a.pid_low = (uint32_t)s->user->puid;
    a.to_name = s->user->handle;
    a.pri = "";
    a.msg_id = 1;
    a.action_url = url ? url : "";
    a.subscr_url = "";
    a.lang = 1033;
    a.icon = "";
    a.text = text;
    msnp_buf body = MSNP_BUF_INIT, b = MSNP_BUF_INIT;
    alerts_result r = ALERT_INVALID;
    int rc = msnp_alert_build(&body, &a);
    if (rc == MSNP_OK) {
        r = msnp_write_not(&b, body.data, body.len) == MSNP_OK && conn_send(s->c, &b) == 0
                ? ALERT_DELIVERED
                : ALERT_FAILED;
    } else if (rc == MSNP_E_NOMEM) {
        r = ALERT_FAILED;
    }
    msnp_buf_free(&body);
    msnp_buf_free(&b);
    return r;
}
