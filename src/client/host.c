/*
 * host.c - the members that Windows Messenger answered with a dialog or a
 * web page, through the host-UI callback table (msgr/msgr_host.h,
 * DESIGN.md section 3). What has a meaning without a dialog is done here:
 * argument checks, and the URL command that tells where the inbox, a new
 * mail or a profile lives (msnp.md 7.4).
 */
#include <string.h>

#include "internal.h"
#include "msnp_url.h"
#include "msnp_write.h"

#define FIND_FIELD_MAX 63

enum url_service { URL_INBOX, URL_COMPOSE, URL_PROFILE };

static const char *const url_services[] = { "INBOX", "COMPOSE", "PROFILE" };

static msgr_messenger *live(msgr_messenger *m)
{
    msgr_obj *o = obj_check(m);
    return o && o->kind == OBJ_MESSENGER ? m : NULL;
}

static bool online(const msgr_messenger *m)
{
    return m->phase == PHASE_ONLINE;
}

msgr_hr msgr_messenger_set_host_ui(msgr_messenger *m, const msgr_host_ui *ui,
                                   void *user_data)
{
    if (!live(m))
        return MSGR_E_POINTER;
    memset(&m->ui, 0, sizeof m->ui);
    m->ui_ud = NULL;
    if (ui) {
        m->ui = *ui;
        m->ui_ud = user_data;
    }
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_options_pages(msgr_messenger *m, long hwnd_parent,
                                     MOPTIONPAGE page)
{
    (void)hwnd_parent;
    if (!live(m))
        return MSGR_E_POINTER;
    if (page < MOPT_GENERAL_PAGE || page > MOPT_PHONE_PAGE)
        return MSGR_E_INVALIDARG;
    if (!m->ui.show_options)
        return MSGR_E_NOTIMPL;
    return m->ui.show_options(m->ui_ud, m, page);
}

msgr_hr msgr_messenger_media_wizard(msgr_messenger *m, long hwnd_parent)
{
    (void)hwnd_parent;
    if (!live(m))
        return MSGR_E_POINTER;
    if (!m->ui.show_media_wizard)
        return MSGR_E_NOTIMPL;
    return m->ui.show_media_wizard(m->ui_ud, m);
}

/* Text of the search page: present strings have 1..63 bytes, no CR/LF;
 * the country also no byte above 0x7E (api-scope.md 5.1). */
static bool find_field_ok(const char *s, bool required, bool ascii)
{
    if (!s)
        return !required;
    size_t len = strlen(s);
    if ((required && len == 0) || len > FIND_FIELD_MAX || strpbrk(s, "\r\n"))
        return false;
    for (size_t i = 0; ascii && i < len; i++)
        if ((unsigned char)s[i] > 0x7E)
            return false;
    return true;
}

msgr_hr msgr_messenger_find_contact(msgr_messenger *m, long hwnd_parent,
                                    const char *first_name,
                                    const char *last_name, const char *city,
                                    const char *state, const char *country)
{
    (void)hwnd_parent;
    if (!live(m))
        return MSGR_E_POINTER;
    if (!find_field_ok(first_name, true, false) || !find_field_ok(last_name, true, false) ||
        !find_field_ok(city, false, false) || !find_field_ok(state, false, false) ||
        !find_field_ok(country, false, true))
        return MSGR_E_INVALIDARG;
    if (!online(m))
        return MSGR_E_NOT_LOGGED_ON;
    if (!m->ui.show_find_contact)
        return MSGR_E_NOTIMPL;
    return m->ui.show_find_contact(m->ui_ud, m, first_name, last_name, city,
                                     state, country);
}

/* Sends "URL trid SERVICE [argument]"; the reply goes to the host. */
static msgr_hr request_url(msgr_messenger *m, enum url_service svc,
                           const char *argument, const char *subject)
{
    if (!online(m))
        return MSGR_E_NOT_LOGGED_ON;
    if (!m->ui.open_service_page)
        return MSGR_E_NOTIMPL;
    uint32_t t = ns_trid(&m->ns);
    size_t mark = m->ns.out.len;
    if (msnp_write_url_request(&m->ns.out, t, url_services[svc], argument) != MSNP_OK ||
        ns_track(&m->ns, t, REQ_URL, NULL, NULL, (int)svc, subject) != 0) {
        msnp_buf_truncate(&m->ns.out, mark);
        return MSGR_E_FAIL;
    }
    ns_flush_out(&m->ns);
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_open_inbox(msgr_messenger *m)
{
    if (!live(m))
        return MSGR_E_POINTER;
    return request_url(m, URL_INBOX, NULL, NULL);
}

static msgr_contact *own_contact(msgr_messenger *m, msgr_contact *c)
{
    msgr_obj *o = obj_check(c);
    return o && o->kind == OBJ_CONTACT && c->m == m ? c : NULL;
}

msgr_hr msgr_messenger_send_mail(msgr_messenger *m, msgr_contact *contact)
{
    if (!live(m))
        return MSGR_E_POINTER;
    if (!own_contact(m, contact))
        return MSGR_E_INVALIDARG;
    return request_url(m, URL_COMPOSE, contact->signin, contact->signin);
}

msgr_hr msgr_messenger_view_profile(msgr_messenger *m, msgr_contact *contact)
{
    if (!live(m))
        return MSGR_E_POINTER;
    if (!own_contact(m, contact))
        return MSGR_E_INVALIDARG;
    return request_url(m, URL_PROFILE, "0x0409", contact->signin);
}

/* "URL trid redirect-url post-url site-id": hand the page to the host. */
void host_on_url(msgr_messenger *m, const msnp_cmd *cmd, request *r)
{
    uint32_t site = 0;
    if (!r || r->kind != REQ_URL || r->flag < 0 || r->flag > URL_PROFILE ||
        cmd->nparams < 3 || msnp_parse_u32(cmd->params[2], &site) != MSNP_OK ||
        !m->ui.open_service_page)
        return;
    m->ui.open_service_page(m->ui_ud, m, url_services[r->flag], r->text,
                              cmd->params[0], cmd->params[1], site);
}
