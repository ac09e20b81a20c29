/*
 * msnp_alert.h - MSN Alerts: the XML payload of NOT (msnp.md 7.1).
 *
 * The builder writes the one document shape the service used, line by
 * line with CR LF between lines and none after the last:
 *
 *   <NOTIFICATION ver=".." id=".." siteid=".." siteurl="..">
 *   <TO pid="0xHHHHHHHH:0xLLLLLLLL" name=".." [email=".."] />
 *   <MSG pri=".." id="..">
 *   <ACTION url=".." />
 *   <SUBSCR url=".." />
 *   <BODY lang=".." icon="..">
 *   <TEXT>..</TEXT>
 *   [<TEXTX>..</TEXTX>]
 *   </BODY>
 *   </MSG>
 *   </NOTIFICATION>
 *
 * Text content escapes & < > " as &amp; &lt; &gt; &quot;; attribute values
 * also escape ' as &apos;. The BODY element, from "<BODY" through
 * "</BODY>", may be at most MSNP_ALERT_BODY_MAX bytes (msnp.md 1.8).
 *
 * The parser is not a general XML parser. It scans tags left to right,
 * never reading outside the payload, and takes the first NOTIFICATION,
 * TO, MSG, ACTION, SUBSCR, BODY, TEXT and TEXTX elements wherever they are
 * (element and attribute names ignoring case; unknown elements, comments,
 * processing instructions and nesting errors are ignored). Attribute
 * values may use either quote or none. TEXT and TEXTX content runs to the
 * next "</TEXT>" / "</TEXTX>" (any case) or to the end. Entities &amp;
 * &lt; &gt; &quot; &apos; &#NNN; and &#xHHH; are decoded; anything else
 * starting with '&' (a stray ampersand, an unknown entity, a numeric
 * reference to NUL, a surrogate or beyond U+10FFFF) is taken literally.
 */
#ifndef MSNP_ALERT_H
#define MSNP_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msnp_buf.h"

#define MSNP_ALERT_BODY_MAX 1024

typedef struct msnp_alert {
    uint32_t ver;            /* NOTIFICATION ver (1 or 2) */
    uint32_t id;             /* NOTIFICATION id, chosen by the sender */
    uint32_t site_id;        /* NOTIFICATION siteid */
    const char *site_url;    /* NOTIFICATION siteurl */
    uint32_t pid_high;       /* TO pid, high half (MemberIdHigh) */
    uint32_t pid_low;        /* TO pid, low half (MemberIdLow) */
    const char *to_name;     /* TO name: the recipient's handle */
    const char *to_email;    /* TO email; optional (NULL = omitted) */
    const char *pri;         /* MSG pri, usually "" or "1" */
    uint32_t msg_id;         /* MSG id */
    const char *action_url;  /* ACTION url (relative to siteurl) */
    const char *subscr_url;  /* SUBSCR url */
    uint32_t lang;           /* BODY lang, an LCID */
    const char *icon;        /* BODY icon, URL or "" */
    const char *text;        /* TEXT content (required) */
    const char *textx;       /* TEXTX content; optional (NULL = omitted) */
    char *storage_;          /* private: owns a parsed alert's strings */
} msnp_alert;

/* Appends the NOT payload for a. NULL optional attributes (site_url, pri,
 * action_url, subscr_url, icon) are written as "". Returns MSNP_OK,
 * MSNP_E_INVALID_ARG (out, a, a->to_name or a->text NULL), MSNP_E_BAD_UTF8
 * (a string not UTF-8), MSNP_E_CONTROL_CHAR (a string with a control
 * character other than tab, CR, LF: XML 1.0 cannot carry them),
 * MSNP_E_TOO_LONG (BODY element above MSNP_ALERT_BODY_MAX bytes) or the
 * buffer's error. On error out is unchanged. */
int msnp_alert_build(msnp_buf *out, const msnp_alert *a);

/* Parses a NOT payload into *out (zeroed first). Strings are unescaped
 * and owned by *out (free with msnp_alert_free()); a string attribute or
 * element that is absent reads as NULL, a numeric one as 0. The BODY size
 * limit is not enforced. Returns MSNP_OK, MSNP_E_MISSING_FIELD (no
 * NOTIFICATION or no TEXT element), MSNP_E_BAD_VALUE (a numeric attribute
 * that is not empty and not a decimal uint32; a pid that is not
 * "0xH..:0xH.." with 1-8 hex digits each), MSNP_E_NOMEM or
 * MSNP_E_INVALID_ARG (out NULL, payload NULL with len > 0). On error *out
 * is left zeroed. */
int msnp_alert_parse(const void *payload, size_t len, msnp_alert *out);

/* Frees a parsed alert's storage and zeroes it; NULL is a no-op. */
void msnp_alert_free(msnp_alert *a);

/* Appends s with & < > " (and ' when attr) escaped. Returns MSNP_OK or
 * the buffer's error (out unchanged). */
int msnp_xml_escape(msnp_buf *out, const char *s, size_t len, bool attr);

/* Appends s[0..len) with the entities described above decoded. Returns
 * MSNP_OK or the buffer's error (out unchanged). */
int msnp_xml_unescape(msnp_buf *out, const char *s, size_t len);

#endif
