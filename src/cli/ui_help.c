/*
 * ui_help.c - the help screen (F1 or ?): every key of the interactive
 * Messenger, in one scrollable page. README.md "The interactive client"
 * lists the same keys; change both together.
 */
#include <string.h>

#include "ui.h"

static const char *const HELP[] = {
    "msgr - keys",
    "",
    "Everywhere",
    "  F1, ?            this help (? only where you are not typing)",
    "  Tab              switch between the contact list and the conversation",
    "  Alt-1 ... Alt-9  go to conversation tab 1 ... 9",
    "  Ctrl-N, Ctrl-P   next / previous conversation tab",
    "  F6               answer a file offer or application invitation you put off",
    "  F9               sign out (back to the sign-in screen)",
    "  F10, Ctrl-Q, Ctrl-C   quit (signs out first)",
    "",
    "Sign-in screen",
    "  Tab, Up, Down    move between the fields",
    "  Space            tick or untick \"Remember me\" (on that field)",
    "  Enter            sign in",
    "  Esc              cancel a sign-in in progress",
    "",
    "Contact list",
    "  Up, Down, j, k   move; PgUp, PgDn, Home, End jump",
    "  Enter            send an instant message (opens a conversation tab);",
    "                   on someone who added you: allow or block them",
    "  a                add a contact",
    "  d, Delete        remove the contact, or delete the group under the cursor",
    "  b                block / unblock the contact",
    "  i                invite the contact into the current conversation",
    "  g                create a group",
    "  r                rename the group under the cursor",
    "  m                move the contact to another group",
    "  o                sort by group / by online status",
    "  s, n             set your status (online, busy, ...); change your display name",
    "  q                quit",
    "",
    "Conversation",
    "  Enter            send the message",
    "  PgUp, PgDn       scroll the history",
    "  Ctrl-T           invite someone into this conversation",
    "  Ctrl-O           send a file (asks for its path)",
    "  Ctrl-X           cancel this conversation's file transfer, or app invitation",
    "  Ctrl-W           close the conversation tab",
    "  Ctrl-L           invite the person to an application (registered with",
    "                   msgr app register; \"Other\" asks for its GUID)",
    "  Esc              back to the contact list",
    "  Left, Right, Home, End, Ctrl-A, Ctrl-E   move in the line",
    "  Backspace, Delete, Ctrl-U, Ctrl-K, Alt-Backspace   erase",
    "",
    "Prompts and questions",
    "  Enter            confirm; Esc cancels",
    "  Up, Down         choose; the underlined letter picks at once",
    "",
    "The status bar shows the connection, new messages in other tabs",
    "(marked * on their tab) and what just happened, MSN Alerts included",
    "(\"Alert: ...\"; see README.md for the profile's app-id and app-key).",
    "",
    "An application invitation asks Accept / Decline like a file offer;",
    "Accept starts the registered program (\"Starting ...\"), or says where",
    "to get it when it is not installed here.",
    "",
    "People who added you while you were away are asked about when you",
    "sign in, like those who add you while you are online; answers put off",
    "with \"Decide later\" stay under \"Added you\" in the list.",
    "",
    "While this msgr runs, msgr send, status, contacts and the other commands",
    "of the same account act through it instead of signing in beside it",
    "(which would sign it out). \"not serving\" in the title: another msgr",
    "serves them, or the profile says serve = no (see README.md).",
    "",
    "Esc, q or F1 closes this help.",
};
#define NHELP ((int)(sizeof HELP / sizeof HELP[0]))

void help_open(ui *u)
{
    modal_close(u);
    u->modal.kind = MODAL_HELP;
    u->dirty = true;
}

void help_key(ui *u, wint_t ch, bool is_key)
{
    int page = LINES - 2 > 1 ? LINES - 2 : 1;
    int max_scroll = NHELP - page > 0 ? NHELP - page : 0;
    if (is_key && ch == KEY_DOWN)
        u->modal.scroll++;
    else if (is_key && ch == KEY_UP)
        u->modal.scroll--;
    else if (is_key && ch == KEY_NPAGE)
        u->modal.scroll += page;
    else if (is_key && ch == KEY_PPAGE)
        u->modal.scroll -= page;
    else if ((is_key && ch == KEY_F(1)) || (!is_key && (ch == 27 || ch == 'q' || ch == '?' ||
                                                          ch == '\r' || ch == '\n')))
        modal_close(u);
    if (u->modal.scroll > max_scroll)
        u->modal.scroll = max_scroll;
    if (u->modal.scroll < 0)
        u->modal.scroll = 0;
}

void help_draw(ui *u)
{
    erase();
    curs_set(0);
    int rows = LINES - 1;
    for (int i = 0; i < rows && u->modal.scroll + i < NHELP; i++) {
        const char *line = HELP[u->modal.scroll + i];
        bool heading = line[0] && line[0] != ' ';
        if (heading)
            attron(A_BOLD);
        text_put(stdscr, i, 1, line, COLS - 2);
        if (heading)
            attroff(A_BOLD);
    }
    attron(A_REVERSE);
    mvhline(LINES - 1, 0, ' ', COLS);
    text_put(stdscr, LINES - 1, 1, "Help: Up/Down/PgUp/PgDn scroll, Esc closes", COLS - 2);
    attroff(A_REVERSE);
}
