/*
 * echo_bot.c - a libmsgr example: signs in and answers every message with
 * the same text, prefixed by "echo: ". Anyone may talk to it: conversations
 * others open arrive by themselves (OnIMWindowCreated), and the received
 * text comes with on_im_window_message.
 *
 *   MSGR_PASSWORD=secret echo_bot --server 127.0.0.1:1863 \
 *       --ca-file msgrd-data/cert.pem bot@example.com
 *
 * It prints one line per event on standard output; SIGINT or SIGTERM
 * signs it out.
 */
#include <stdio.h>
#include <string.h>

#include "example_common.h"

#define ECHO_PREFIX "echo: "
#define MAX_TEXT 1400   /* msgr_conversation_send_text()'s limit */

static void on_signin(void *ud, msgr_messenger *m, msgr_hr hr)
{
    (void)ud;
    (void)m;
    if (MSGR_FAILED(hr)) {
        fprintf(stderr, "echo_bot: sign-in failed: %s\n", msgr_hr_string(hr));
        example_stop();
    }
}

static void on_status(void *ud, msgr_messenger *m, msgr_hr hr, MISTATUS status)
{
    (void)ud;
    (void)m;
    (void)hr;
    if (status == MISTATUS_ONLINE)
        printf("online\n");
    fflush(stdout);
}

static void on_signout(void *ud, msgr_messenger *m)
{
    (void)ud;
    (void)m;
    printf("signed out\n");
    fflush(stdout);
    example_stop();
}

static void on_message(void *ud, msgr_messenger *m, msgr_window *w, msgr_contact *from,
                       const char *text)
{
    const char *who = "?";
    char reply[MAX_TEXT + 1];
    (void)ud;
    (void)m;
    (void)msgr_contact_get_signin_name(from, &who);
    printf("message from %s: %s\n", who, text);
    /* Cut the reply to the limit on a UTF-8 character boundary. */
    size_t n = (size_t)snprintf(reply, sizeof reply, ECHO_PREFIX "%s", text);
    if (n >= sizeof reply) {
        n = sizeof reply - 1;
        while (n > 0 && (reply[n] & 0xC0) == 0x80)
            n--;
        reply[n] = '\0';
    }
    msgr_hr hr = msgr_conversation_send_text(w, reply);
    if (MSGR_FAILED(hr))
        printf("reply failed: %s\n", msgr_hr_string(hr));
    fflush(stdout);
}

int main(int argc, char **argv)
{
    example_args a;
    if (example_parse(argc, argv, "[--server H:P] [--nexus URL] [--ca-file F] EMAIL", &a) != 0)
        return 2;
    static const msgr_messenger_events sink = {
        .on_signin = on_signin,
        .on_my_status_change = on_status,
        .on_signout = on_signout,
        .on_im_window_message = on_message,
    };
    msgr_messenger *m = example_start(&a, &sink, NULL);
    if (!m)
        return 1;
    example_run(m);
    return 0;
}
