/*
 * test_parser.c - msnp_parser: the example exchanges of msnp.md sections
 * 1-7 fed whole, split at every byte offset and one byte at a time, plus
 * the TrID rules of both directions and every error path.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_parser.h"

/* ---- payloads of msnp.md, byte for byte (CR LF line ends) -------------- */

/* 2.7: profile, ends in CR LF CR LF. */
#define PROFILE_417 \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: text/x-msmsgsprofile; charset=UTF-8\r\n" \
    "LoginTime: 1062764229\r\n" \
    "EmailEnabled: 0\r\n" \
    "MemberIdHigh: 3100\r\n" \
    "MemberIdLow: -1234567890\r\n" \
    "lang_preference: 1033\r\n" \
    "preferredEmail: alice@example.com\r\n" \
    "country: US\r\n" \
    "PostalCode: \r\n" \
    "Gender: \r\n" \
    "Kid: 0\r\n" \
    "Age: \r\n" \
    "BDayPre: \r\n" \
    "Birthday: \r\n" \
    "Wallet: \r\n" \
    "Flags: 1027\r\n" \
    "sid: 507\r\n" \
    "kv: 5\r\n" \
    "MSPAuth: 7Ok3xWq9Nf2bLrT5sVy8Pz1aHc4mDg6E$$\r\n" \
    "ClientIP: 192.0.2.17\r\n" \
    "ClientPort: 10247\r\n" \
    "\r\n"

/* 2.7 / 7.2: initial mailbox summary. */
#define MAIL_INIT_253 \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: text/x-msmsgsinitialemailnotification; charset=UTF-8\r\n" \
    "\r\n" \
    "Inbox-Unread: 2\r\n" \
    "Folders-Unread: 0\r\n" \
    "Inbox-URL: /cgi-bin/HoTMaiL\r\n" \
    "Folders-URL: /cgi-bin/folders\r\n" \
    "Post-URL: https://login.example.net/ppsecure/md5auth.srf?lc=1033\r\n" \
    "\r\n"

/* 5.7: text message; the body has no trailing CR LF. */
#define TEXT_141 \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: text/plain; charset=UTF-8\r\n" \
    "X-MMS-IM-Format: FN=MS%20Sans%20Serif; EF=B; CO=ff0000; CS=0; PF=22\r\n" \
    "\r\n" \
    "Hello Bob!"

/* 5.8: typing notification, ends in three CR LFs. */
#define TYPING_90 \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: text/x-msmsgscontrol\r\n" \
    "TypingUser: alice@example.com\r\n" \
    "\r\n" \
    "\r\n"

/* 5.11 shows Bob's reply only as "MSG 2 N <n>"; this body stands in. */
#define BOB_REPLY_71 \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: text/plain; charset=UTF-8\r\n" \
    "\r\n" \
    "Hi Alice!"

/* 5.9: NetMeeting invitation. */
#define NETMEETING_293 \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: text/x-msmsgsinvite; charset=UTF-8\r\n" \
    "\r\n" \
    "Application-Name: NetMeeting\r\n" \
    "Application-GUID: {44BBA842-CC51-11CF-AAFA-00AA00B6015C}\r\n" \
    "Session-Protocol: SM1\r\n" \
    "Invitation-Command: INVITE\r\n" \
    "Invitation-Cookie: 31337001\r\n" \
    "Session-ID: {0F6C3B3A-1E2D-4C5B-9A8F-7E6D5C4B3A29}\r\n" \
    "\r\n"

/* 6.1: file transfer invitation, acceptances and refusal. */
#define FT_INVITE_293 \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: text/x-msmsgsinvite; charset=UTF-8\r\n" \
    "\r\n" \
    "Application-Name: File Transfer\r\n" \
    "Application-GUID: {5D3E02AB-6190-11d3-BBBB-00C04F795683}\r\n" \
    "Invitation-Command: INVITE\r\n" \
    "Invitation-Cookie: 48151623\r\n" \
    "Application-File: notes.txt\r\n" \
    "Application-FileSize: 11\r\n" \
    "Connectivity: Y\r\n" \
    "\r\n"

#define FT_ACCEPT_184 \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: text/x-msmsgsinvite; charset=UTF-8\r\n" \
    "\r\n" \
    "Invitation-Command: ACCEPT\r\n" \
    "Invitation-Cookie: 48151623\r\n" \
    "Launch-Application: FALSE\r\n" \
    "Request-Data: IP-Address:\r\n" \
    "\r\n"

#define FT_ACCEPT_242 \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: text/x-msmsgsinvite; charset=UTF-8\r\n" \
    "\r\n" \
    "Invitation-Command: ACCEPT\r\n" \
    "Invitation-Cookie: 48151623\r\n" \
    "IP-Address: 192.0.2.17\r\n" \
    "Port: 6891\r\n" \
    "AuthCookie: 90210117\r\n" \
    "Launch-Application: FALSE\r\n" \
    "Request-Data: IP-Address:\r\n" \
    "\r\n"

#define FT_CANCEL_151 \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: text/x-msmsgsinvite; charset=UTF-8\r\n" \
    "\r\n" \
    "Invitation-Command: CANCEL\r\n" \
    "Invitation-Cookie: 48151623\r\n" \
    "Cancel-Code: REJECT\r\n" \
    "\r\n"

/* 7.1: alert, no line end after the last element. */
#define NOT_324 \
    "<NOTIFICATION ver=\"1\" id=\"7\" siteid=\"111100200\" siteurl=\"http://alerts.example.net/\">\r\n" \
    "<TO pid=\"0x00000C1C:0xB669FD2E\" name=\"alice@example.com\" />\r\n" \
    "<MSG pri=\"\" id=\"1\">\r\n" \
    "<ACTION url=\"a.asp?x=1\" />\r\n" \
    "<SUBSCR url=\"s.asp?x=1\" />\r\n" \
    "<BODY lang=\"1033\" icon=\"\">\r\n" \
    "<TEXT>Your build has finished.</TEXT>\r\n" \
    "</BODY>\r\n" \
    "</MSG>\r\n" \
    "</NOTIFICATION>"

/* 7.2: new mail and mailbox activity. */
#define MAIL_NEW_350 \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: text/x-msmsgsemailnotification; charset=UTF-8\r\n" \
    "\r\n" \
    "From: Bob Example\r\n" \
    "Message-URL: /cgi-bin/getmsg?msg=MSG1062764300.17&start=1&len=2048&curmbox=ACTIVE\r\n" \
    "Post-URL: https://login.example.net/ppsecure/md5auth.srf?lc=1033\r\n" \
    "Subject: =?\"us-ascii\"?Q?Lunch_tomorrow?=\r\n" \
    "Dest-Folder: ACTIVE\r\n" \
    "From-Addr: bob@example.org\r\n" \
    "id: 2\r\n" \
    "\r\n"

#define MAIL_ACTIVE_147 \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: text/x-msmsgsactivemailnotification; charset=UTF-8\r\n" \
    "\r\n" \
    "Src-Folder: ACTIVE\r\n" \
    "Dest-Folder: trAsH\r\n" \
    "Message-Delta: 1\r\n" \
    "\r\n"

/* 7.3: system message; the printed count of 88 includes the CR LF that
 * ends "Arg1: 5". */
#define SYSTEM_88 \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: application/x-msmsgssystemmessage\r\n" \
    "\r\n" \
    "Type: 1\r\n" \
    "Arg1: 5\r\n"

/* 4.2: the MSNP9 display-picture object, printed over three lines there. */
#define MSNOBJ \
    "%3Cmsnobj%20Creator%3D%22alice%40example.com%22%20Size%3D%2221875%22" \
    "%20Type%3D%223%22%20Location%3D%22TFR2C.tmp%22%20Friendly%3D%22AAA%3D%22" \
    "%20SHA1D%3D%22q7Lm0Zx3Pw9Ty5Ur1Io2Np4Bv6E%3D%22%20SHA1C%3D%22Hd8Kf2Js5Gw1Ae9Rb3Vc7Xn0Ym4%3D%22%2F%3E"

#define CHALLENGE_STRING \
    "lc=1033,id=507,tw=40,fs=1,ru=http%3A%2F%2Fmessenger%2Eexample%2Enet," \
    "ct=1062764229,kpp=1,kv=5,ver=2.1.0173.1,tpf=9b1c4e6f0a2d3c4b5a69788796a5b4c3"

#define POST_URL "https://login.example.net/ppsecure/md5auth.srf?lc=1033"

/* ---- the transcripts ---------------------------------------------------- */

/* One line of a transcript as printed in msnp.md: the command line (single
 * spaces), whether its first parameter is the TrID (judged by hand from the
 * spec, independently of the parser's rules), and the payload that follows
 * it, NULL for none. */
typedef struct spec_line {
    const char *text;
    bool trid;
    const char *payload;
} spec_line;

#define T true
#define N false

/* Every C: line of msnp.md sections 1-7 (and X:/R: of 6.1), in order. */
static const spec_line client_lines[] = {
    /* 1.2, 1.6 */
    { "VER 15 MSNP8 CVR0", T, NULL },
    { "ADD 20 FL a@b a@b", T, NULL },
    /* 2.2 */
    { "VER 1 MSNP8 CVR0", T, NULL },
    { "VER 1 MSNP9 MSNP8 CVR0", T, NULL },
    { "VER 1 MSNP7 MSNP6", T, NULL },
    /* 2.3 */
    { "CVR 2 0x0409 win 4.10 i386 MSNMSGR 5.0.0537 MSMSGS alice@example.com", T, NULL },
    /* 2.4 */
    { "USR 3 TWN I alice@example.com", T, NULL },
    { "USR 4 TWN S t=Q9zZm9vYmFyVGlja2V0AA$$&p=cHJvZmlsZUJsb2IA$$", T, NULL },
    /* 2.5 */
    { "VER 1 MSNP8 CVR0", T, NULL },
    { "CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 5.0.0540 MSMSGS alice@example.com", T, NULL },
    { "USR 3 TWN I alice@example.com", T, NULL },
    /* 2.8, 2.9 */
    { "OUT", N, NULL },
    { "PNG", N, NULL },
    /* 2.10 */
    { "QRY 10 msmsgs@msnmsgr.com 32", T, "d0c1178c689350104350d99f8c36ed9c" },
    { "QRY 11 msmsgs@msnmsgr.com 32", T, "8ba1bb9d6dbf624fee31a2053af5fdd0" },
    { "QRY 12 PROD0038W!61ZTF9 32", T, "ca90e6a7c94a14aae7b3ae0f6018433e" },
    /* 2.11 */
    { "VER 1 MSNP8 CVR0", T, NULL },
    { "CVR 2 0x0409 win 4.10 i386 MSNMSGR 5.0.0537 MSMSGS alice@example.com", T, NULL },
    { "USR 3 TWN I alice@example.com", T, NULL },
    { "USR 4 TWN S t=Q9zZm9vYmFyVGlja2V0AA$$&p=cHJvZmlsZUJsb2IA$$", T, NULL },
    { "SYN 5 0", T, NULL },
    { "CHG 6 NLN 0", T, NULL },
    { "QRY 7 msmsgs@msnmsgr.com 32", T, "d0c1178c689350104350d99f8c36ed9c" },
    { "PNG", N, NULL },
    /* 3.2 */
    { "SYN 8 24", T, NULL },
    { "SYN 9 0", T, NULL },
    /* 3.3 */
    { "BLP 12 BL", T, NULL },
    { "BLP 13 BL", T, NULL },
    { "GTC 14 N", T, NULL },
    /* 3.4 */
    { "PRP 15 PHM 555%20987%206543", T, NULL },
    { "PRP 16 PHW", T, NULL },
    /* 3.6 */
    { "ADD 20 FL bob@example.org bob@example.org 0", T, NULL },
    { "ADD 21 AL bob@example.org bob@example.org", T, NULL },
    { "ADD 22 FL a@b a@b 0", T, NULL },
    { "ADD 23 FL nobody@example.com nobody@example.com 0", T, NULL },
    { "ADD 24 BL bob@example.org bob@example.org", T, NULL },
    { "ADD 25 FL bob@example.org bob@example.org 7", T, NULL },
    /* 3.7 */
    { "REM 30 FL bob@example.org 1", T, NULL },
    { "REM 31 FL bob@example.org", T, NULL },
    { "REM 32 BL nobody@example.com", T, NULL },
    /* 3.8 */
    { "ADG 40 Work 0", T, NULL },
    { "REG 41 2 Office 0", T, NULL },
    { "RMG 42 2", T, NULL },
    { "RMG 43 0", T, NULL },
    { "ADG 44 This%20is%20a%20very%20long%20group%20name%20that%20will%20not%20fit 0", T, NULL },
    /* 3.9 */
    { "REA 50 alice@example.com Alice%20(busy%20coding)", T, NULL },
    { "REA 51 bob@example.org Bob%20B.", T, NULL },
    { "REA 52 zed@example.com Zed", T, NULL },
    /* 3.12 */
    { "ADD 60 FL dave@example.com dave@example.com 0", T, NULL },
    { "ADD 61 AL dave@example.com dave@example.com", T, NULL },
    { "ADD 62 AL erin@example.com Erin", T, NULL },
    { "REM 63 AL bob@example.org", T, NULL },
    { "ADD 64 BL bob@example.org bob@example.org", T, NULL },
    { "REM 65 BL bob@example.org", T, NULL },
    { "ADD 66 AL bob@example.org bob@example.org", T, NULL },
    { "ADD 67 FL bob@example.org Bob 2", T, NULL },
    { "REM 68 FL bob@example.org 1", T, NULL },
    { "REM 69 FL bob@example.org", T, NULL },
    { "REM 70 AL bob@example.org", T, NULL },
    /* 4.2 */
    { "CHG 9 NLN 0", T, NULL },
    { "CHG 10 BSY 0", T, NULL },
    { "CHG 11 FLN", T, NULL },
    { "CHG 12 NLN 268435500 " MSNOBJ, T, NULL },
    /* 5.2 - 5.6 */
    { "XFR 15 SB", T, NULL },
    { "USR 1 alice@example.com 17262740.1062764300.4182", T, NULL },
    { "CAL 2 bob@example.org", T, NULL },
    { "ANS 1 bob@example.org 849102.1062764301.2267 11752013", T, NULL },
    { "ANS 1 dave@example.com 55120.1062764400.8812 11752013", T, NULL },
    { "OUT", N, NULL },
    /* 5.7 - 5.9 */
    { "MSG 3 N 141", T, TEXT_141 },
    { "MSG 4 A 141", T, TEXT_141 },
    { "MSG 5 A 141", T, TEXT_141 },
    { "MSG 6 U 90", T, TYPING_90 },
    { "MSG 7 N 293", T, NETMEETING_293 },
    /* 5.11 */
    { "XFR 15 SB", T, NULL },
    { "USR 1 alice@example.com 17262740.1062764300.4182", T, NULL },
    { "CAL 2 bob@example.org", T, NULL },
    { "ANS 1 bob@example.org 849102.1062764301.2267 11752013", T, NULL },
    { "MSG 3 U 90", T, TYPING_90 },
    { "MSG 4 N 141", T, TEXT_141 },
    { "MSG 2 N 71", T, BOB_REPLY_71 },
    { "CAL 5 carol@example.com", T, NULL },
    { "ANS 1 carol@example.com 55120.1062764400.8812 11752013", T, NULL },
    { "OUT", N, NULL },
    /* 6.1 */
    { "MSG 7 N 293", T, FT_INVITE_293 },
    { "MSG 4 N 184", T, FT_ACCEPT_184 },
    { "MSG 8 N 242", T, FT_ACCEPT_242 },
    { "MSG 4 N 151", T, FT_CANCEL_151 },
    /* 7.4 */
    { "URL 30 INBOX", T, NULL },
    { "URL 31 COMPOSE bob@example.org", T, NULL },
    { "URL 32 PROFILE 0x0409", T, NULL },
};

/* Every S: line of msnp.md sections 1-7, in order (6.1's messages as the
 * other participant receives them). */
static const spec_line server_lines[] = {
    /* 1.2, 1.6 */
    { "VER 15 MSNP8 CVR0", T, NULL },
    { "201 20", T, NULL },
    /* 2.2, 2.3 */
    { "VER 1 MSNP8 CVR0", T, NULL },
    { "VER 1 MSNP9 CVR0", T, NULL },
    { "VER 1 0", T, NULL },
    { "CVR 2 5.0.0537 5.0.0537 5.0.0537 http://dl.example.net/setup.exe http://www.example.net/", T, NULL },
    /* 2.4, 2.5 */
    { "USR 3 TWN S " CHALLENGE_STRING, T, NULL },
    { "USR 4 OK alice@example.com Alice%20A. 1 0", T, NULL },
    { "VER 1 MSNP8 CVR0", T, NULL },
    { "CVR 2 5.0.0540 5.0.0540 5.0.0540 http://dl.example.net/setup.exe http://www.example.net/", T, NULL },
    { "XFR 3 NS 198.51.100.20:1863 0 198.51.100.10:1863", T, NULL },
    /* 2.7 */
    { "MSG Hotmail Hotmail 417", N, PROFILE_417 },
    { "MSG Hotmail Hotmail 253", N, MAIL_INIT_253 },
    /* 2.8, 2.9 */
    { "OUT OTH", N, NULL },
    { "QNG", N, NULL },
    { "QNG 50", N, NULL },
    /* 2.10 */
    { "CHL 0 29409134351025259292", T, NULL },
    { "QRY 10", T, NULL },
    { "CHL 0 12345678901234567890", T, NULL },
    { "QRY 11", T, NULL },
    { "CHL 0 15570131571988941333", T, NULL },
    { "QRY 12", T, NULL },
    /* 2.11 */
    { "VER 1 MSNP8 CVR0", T, NULL },
    { "CVR 2 5.0.0537 5.0.0537 5.0.0537 http://dl.example.net/setup.exe http://www.example.net/", T, NULL },
    { "USR 3 TWN S " CHALLENGE_STRING, T, NULL },
    { "USR 4 OK alice@example.com Alice%20A. 1 0", T, NULL },
    { "MSG Hotmail Hotmail 417", N, PROFILE_417 },
    { "SYN 5 24 2 2", T, NULL },
    { "GTC A", N, NULL },
    { "BLP AL", N, NULL },
    { "PRP PHH 555%20123%204567", N, NULL },
    { "LSG 0 Other%20Contacts 0", N, NULL },
    { "LSG 1 Friends 0", N, NULL },
    { "LST bob@example.org Bob 11 1", N, NULL },
    { "BPR PHM 555%20987%206543", N, NULL },
    { "LST carol@example.com carol@example.com 8", N, NULL },
    { "CHG 6 NLN 0", T, NULL },
    { "ILN 6 NLN bob@example.org Bob%20B. 0", T, NULL },
    { "CHL 0 29409134351025259292", T, NULL },
    { "QRY 7", T, NULL },
    { "QNG", N, NULL },
    /* 3.2 */
    { "SYN 8 24", T, NULL },
    { "SYN 9 24 3 2", T, NULL },
    { "GTC A", N, NULL },
    { "BLP AL", N, NULL },
    { "PRP PHH 555%20123%204567", N, NULL },
    { "PRP MOB Y", N, NULL },
    { "LSG 0 Other%20Contacts 0", N, NULL },
    { "LSG 1 Friends 0", N, NULL },
    { "LST bob@example.org Bob 11 0,1", N, NULL },
    { "BPR PHH 1%20(222)%20333%204444", N, NULL },
    { "BPR MOB Y", N, NULL },
    { "LST carol@example.com carol@example.com 8", N, NULL },
    { "LST mallory@example.net mallory@example.net 12", N, NULL },
    /* 3.3, 3.4 */
    { "BLP 12 25 BL", T, NULL },
    { "218 13", T, NULL },
    { "GTC 14 26 N", T, NULL },
    { "PRP 15 27 PHM 555%20987%206543", T, NULL },
    { "BPR 313 alice@example.com PHM 555%20987%206543", N, NULL },
    { "PRP 16 28 PHW", T, NULL },
    /* 3.6 */
    { "ADD 20 FL 29 bob@example.org bob@example.org 0", T, NULL },
    { "ILN 20 NLN bob@example.org Bob%20B. 0", T, NULL },
    { "ADD 21 AL 30 bob@example.org bob@example.org", T, NULL },
    { "ADD 0 RL 314 alice@example.com Alice%20A.", T, NULL },
    { "201 22", T, NULL },
    { "205 23", T, NULL },
    { "219 24", T, NULL },
    { "224 25", T, NULL },
    /* 3.7 */
    { "REM 30 FL 31 bob@example.org 1", T, NULL },
    { "REM 31 FL 32 bob@example.org", T, NULL },
    { "REM 0 RL 315 alice@example.com", T, NULL },
    { "216 32", T, NULL },
    /* 3.8 */
    { "ADG 40 33 Work 2 0", T, NULL },
    { "REG 41 34 2 Office 0", T, NULL },
    { "RMG 42 35 2", T, NULL },
    { "230 43", T, NULL },
    { "229 44", T, NULL },
    /* 3.9 */
    { "REA 50 36 alice@example.com Alice%20(busy%20coding)", T, NULL },
    { "REA 51 37 bob@example.org Bob%20B.", T, NULL },
    { "216 52", T, NULL },
    /* 3.12 */
    { "ADD 60 FL 38 dave@example.com dave@example.com 0", T, NULL },
    { "ADD 61 AL 39 dave@example.com dave@example.com", T, NULL },
    { "ADD 0 RL 40 erin@example.com Erin", T, NULL },
    { "ADD 62 AL 41 erin@example.com Erin", T, NULL },
    { "REM 63 AL 42 bob@example.org", T, NULL },
    { "ADD 64 BL 43 bob@example.org bob@example.org", T, NULL },
    { "FLN alice@example.com", N, NULL },
    { "REM 65 BL 44 bob@example.org", T, NULL },
    { "ADD 66 AL 45 bob@example.org bob@example.org", T, NULL },
    { "NLN NLN alice@example.com Alice%20A. 0", N, NULL },
    { "ADD 67 FL 46 bob@example.org Bob 2", T, NULL },
    { "REM 68 FL 47 bob@example.org 1", T, NULL },
    { "REM 69 FL 48 bob@example.org", T, NULL },
    { "REM 70 AL 49 bob@example.org", T, NULL },
    /* 4.2 - 4.5 */
    { "CHG 9 NLN 0", T, NULL },
    { "ILN 9 AWY bob@example.org Bob%20B. 268435492", T, NULL },
    { "ILN 9 NLN dave@example.com Dave 0", T, NULL },
    { "CHG 10 BSY 0", T, NULL },
    { "201 11", T, NULL },
    { "CHG 12 NLN 268435500 " MSNOBJ, T, NULL },
    { "NLN BRB bob@example.org Bob%20B. 268435492", N, NULL },
    { "NLN NLN bob@example.org Bob%20(back) 268435492", N, NULL },
    { "FLN bob@example.org", N, NULL },
    /* 5.2 - 5.7 */
    { "XFR 15 SB 198.51.100.30:1863 CKI 17262740.1062764300.4182", T, NULL },
    { "USR 1 OK alice@example.com Alice%20A.", T, NULL },
    { "CAL 2 RINGING 11752013", T, NULL },
    { "RNG 11752013 198.51.100.30:1863 CKI 849102.1062764301.2267 alice@example.com Alice%20A.", N, NULL },
    { "IRO 1 1 1 alice@example.com Alice%20A.", T, NULL },
    { "ANS 1 OK", T, NULL },
    { "JOI bob@example.org Bob%20B.", N, NULL },
    { "IRO 1 1 3 alice@example.com Alice%20A.", T, NULL },
    { "IRO 1 2 3 bob@example.org Bob%20B.", T, NULL },
    { "IRO 1 3 3 carol@example.com Carol", T, NULL },
    { "ANS 1 OK", T, NULL },
    { "MSG alice@example.com Alice%20A. 141", N, TEXT_141 },
    { "ACK 4", T, NULL },
    { "NAK 5", T, NULL },
    /* 5.11 */
    { "XFR 15 SB 198.51.100.30:1863 CKI 17262740.1062764300.4182", T, NULL },
    { "USR 1 OK alice@example.com Alice%20A.", T, NULL },
    { "CAL 2 RINGING 11752013", T, NULL },
    { "RNG 11752013 198.51.100.30:1863 CKI 849102.1062764301.2267 alice@example.com Alice%20A.", N, NULL },
    { "IRO 1 1 1 alice@example.com Alice%20A.", T, NULL },
    { "ANS 1 OK", T, NULL },
    { "JOI bob@example.org Bob%20B.", N, NULL },
    { "MSG alice@example.com Alice%20A. 90", N, TYPING_90 },
    { "MSG alice@example.com Alice%20A. 141", N, TEXT_141 },
    { "MSG bob@example.org Bob%20B. 71", N, BOB_REPLY_71 },
    { "CAL 5 RINGING 11752013", T, NULL },
    { "RNG 11752013 198.51.100.30:1863 CKI 55120.1062764400.8812 alice@example.com Alice%20A.", N, NULL },
    { "IRO 1 1 2 alice@example.com Alice%20A.", T, NULL },
    { "IRO 1 2 2 bob@example.org Bob%20B.", T, NULL },
    { "ANS 1 OK", T, NULL },
    { "JOI carol@example.com Carol", N, NULL },
    { "JOI carol@example.com Carol", N, NULL },
    { "BYE bob@example.org", N, NULL },
    { "BYE bob@example.org", N, NULL },
    /* 6.1 as relayed */
    { "MSG alice@example.com Alice%20A. 293", N, FT_INVITE_293 },
    { "MSG bob@example.org Bob%20B. 184", N, FT_ACCEPT_184 },
    { "MSG alice@example.com Alice%20A. 242", N, FT_ACCEPT_242 },
    { "MSG bob@example.org Bob%20B. 151", N, FT_CANCEL_151 },
    /* 7.1 - 7.4 */
    { "NOT 324", N, NOT_324 },
    { "MSG Hotmail Hotmail 350", N, MAIL_NEW_350 },
    { "MSG Hotmail Hotmail 147", N, MAIL_ACTIVE_147 },
    { "MSG Hotmail Hotmail 88", N, SYSTEM_88 },
    { "URL 30 /cgi-bin/HoTMaiL " POST_URL " 2", T, NULL },
    { "URL 31 /cgi-bin/compose?mailto=1&to=bob%40example%2Eorg " POST_URL " 2", T, NULL },
    { "URL 32 http://members.example.net/Edit.asp?lc=1033 " POST_URL " 4263", T, NULL },
};

#undef T
#undef N

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- expected commands, derived from spec_line by plain splitting ------ */

#define MAX_EXPECTED_PARAMS 16

typedef struct expected_cmd {
    char code[4];
    int error_code;
    bool has_trid;
    uint32_t trid;
    size_t nparams;
    char *params[MAX_EXPECTED_PARAMS];
    char *storage;
    const unsigned char *payload; /* NULL for none */
    size_t payload_len;
} expected_cmd;

typedef struct expected_stream {
    expected_cmd *cmds;
    size_t n;
    unsigned char *wire; /* every line + CR LF + payload, concatenated */
    size_t wire_len;
} expected_stream;

static void expect_from_spec(expected_cmd *e, const spec_line *l)
{
    char *tok;
    char *save = NULL;

    memset(e, 0, sizeof *e);
    e->storage = strdup(l->text);
    assert_non_null(e->storage);
    tok = strtok_r(e->storage, " ", &save);
    assert_non_null(tok);
    assert_int_equal(strlen(tok), 3);
    memcpy(e->code, tok, 4);
    if (tok[0] >= '0' && tok[0] <= '9')
        e->error_code = atoi(tok);
    if (l->trid) {
        tok = strtok_r(NULL, " ", &save);
        assert_non_null(tok);
        e->has_trid = true;
        e->trid = (uint32_t)strtoul(tok, NULL, 10);
    }
    while ((tok = strtok_r(NULL, " ", &save)) != NULL) {
        assert_true(e->nparams < MAX_EXPECTED_PARAMS);
        e->params[e->nparams++] = tok;
    }
    if (l->payload != NULL) {
        e->payload = (const unsigned char *)l->payload;
        e->payload_len = strlen(l->payload);
    }
}

static expected_stream *expected_new(const spec_line *lines, size_t n)
{
    expected_stream *s = calloc(1, sizeof *s);
    size_t len = 0;

    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        len += strlen(lines[i].text) + 2 + (lines[i].payload ? strlen(lines[i].payload) : 0);
    s->cmds = calloc(n, sizeof *s->cmds);
    s->wire = malloc(len);
    assert_non_null(s->cmds);
    assert_non_null(s->wire);
    s->n = n;
    for (size_t i = 0; i < n; i++) {
        size_t tl = strlen(lines[i].text);
        expect_from_spec(&s->cmds[i], &lines[i]);
        memcpy(s->wire + s->wire_len, lines[i].text, tl);
        memcpy(s->wire + s->wire_len + tl, "\r\n", 2);
        s->wire_len += tl + 2;
        if (lines[i].payload) {
            memcpy(s->wire + s->wire_len, lines[i].payload, strlen(lines[i].payload));
            s->wire_len += strlen(lines[i].payload);
        }
    }
    assert_int_equal(s->wire_len, len);
    return s;
}

static void expected_free(expected_stream *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->cmds[i].storage);
    free(s->cmds);
    free(s->wire);
    free(s);
}

static void assert_cmd(const msnp_cmd *got, const expected_cmd *want)
{
    assert_string_equal(got->code, want->code);
    assert_int_equal(got->error_code, want->error_code);
    assert_int_equal(got->has_trid, want->has_trid);
    if (want->has_trid)
        assert_int_equal(got->trid, want->trid);
    assert_int_equal(got->nparams, want->nparams);
    for (size_t i = 0; i < want->nparams; i++)
        assert_string_equal(got->params[i], want->params[i]);
    assert_int_equal(got->has_payload, want->payload != NULL);
    assert_int_equal(got->payload_len, want->payload_len);
    if (want->payload != NULL) {
        assert_non_null(got->payload);
        assert_memory_equal(got->payload, want->payload, want->payload_len);
    } else {
        assert_null(got->payload);
    }
}

/* ---- drivers ------------------------------------------------------------ */

typedef struct checker {
    msnp_parser *p;
    const expected_stream *want;
    size_t seen;
} checker;

static msnp_parser *parser_for(msnp_direction dir, size_t max_line, size_t max_payload,
                               size_t max_params, size_t max_buffer)
{
    msnp_parser_config cfg = { dir, max_line, max_payload, max_params, max_buffer };
    msnp_parser *p = msnp_parser_new(&cfg);

    assert_non_null(p);
    return p;
}

/* Feeds one piece and checks every command it completes. */
static void checker_feed(checker *c, const unsigned char *data, size_t len)
{
    msnp_cmd cmd;
    int rc;

    assert_int_equal(msnp_parser_feed(c->p, data, len), MSNP_OK);
    while ((rc = msnp_parser_next(c->p, &cmd)) == 1) {
        assert_true(c->seen < c->want->n);
        assert_cmd(&cmd, &c->want->cmds[c->seen]);
        c->seen++;
    }
    assert_int_equal(rc, 0);
}

static void checker_finish(checker *c)
{
    assert_int_equal(c->seen, c->want->n);
    assert_int_equal(msnp_parser_pending(c->p), 0);
    msnp_parser_free(c->p);
}

/* Feeds the wire in chunks of step bytes; limit is max_line and
 * max_payload (0: defaults), max_buffer is raised to their sum. */
static void run_stepped(msnp_direction dir, const expected_stream *s, size_t step,
                        size_t limit)
{
    checker c = { parser_for(dir, limit, limit, 0, limit ? 1 : 0), s, 0 };

    for (size_t off = 0; off < s->wire_len; off += step) {
        size_t n = s->wire_len - off < step ? s->wire_len - off : step;
        checker_feed(&c, s->wire + off, n);
    }
    checker_finish(&c);
}

static void run_split(msnp_direction dir, const expected_stream *s, size_t cut)
{
    checker c = { parser_for(dir, 0, 0, 0, 0), s, 0 };

    checker_feed(&c, s->wire, cut);
    checker_feed(&c, s->wire + cut, s->wire_len - cut);
    checker_finish(&c);
}

/* ---- spec transcripts --------------------------------------------------- */

/* The length printed on every payload command line matches the payload
 * printed under it (so the spec examples are self-consistent). */
static void check_printed_counts(const spec_line *lines, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *last;
        if (lines[i].payload == NULL)
            continue;
        last = strrchr(lines[i].text, ' ');
        assert_non_null(last);
        assert_int_equal(strtoul(last + 1, NULL, 10), strlen(lines[i].payload));
    }
}

static void test_spec_payload_counts(void **state)
{
    (void)state;
    check_printed_counts(client_lines, COUNT(client_lines));
    check_printed_counts(server_lines, COUNT(server_lines));
    assert_int_equal(strlen(PROFILE_417), 417);
    assert_int_equal(strlen(TEXT_141), 141);
    assert_int_equal(strlen(TYPING_90), 90);
    assert_int_equal(strlen(NOT_324), 324);
    assert_int_equal(strlen(SYSTEM_88), 88);
}

static void test_client_transcript_whole(void **state)
{
    expected_stream *s = expected_new(client_lines, COUNT(client_lines));
    (void)state;
    run_stepped(MSNP_FROM_CLIENT, s, s->wire_len, 0);
    expected_free(s);
}

static void test_client_transcript_split_everywhere(void **state)
{
    expected_stream *s = expected_new(client_lines, COUNT(client_lines));
    (void)state;
    for (size_t cut = 0; cut <= s->wire_len; cut++)
        run_split(MSNP_FROM_CLIENT, s, cut);
    expected_free(s);
}

static void test_client_transcript_bytewise(void **state)
{
    expected_stream *s = expected_new(client_lines, COUNT(client_lines));
    (void)state;
    run_stepped(MSNP_FROM_CLIENT, s, 1, 0);
    expected_free(s);
}

static void test_server_transcript_whole(void **state)
{
    expected_stream *s = expected_new(server_lines, COUNT(server_lines));
    (void)state;
    run_stepped(MSNP_FROM_SERVER, s, s->wire_len, 0);
    expected_free(s);
}

static void test_server_transcript_split_everywhere(void **state)
{
    expected_stream *s = expected_new(server_lines, COUNT(server_lines));
    (void)state;
    for (size_t cut = 0; cut <= s->wire_len; cut++)
        run_split(MSNP_FROM_SERVER, s, cut);
    expected_free(s);
}

static void test_server_transcript_bytewise(void **state)
{
    expected_stream *s = expected_new(server_lines, COUNT(server_lines));
    (void)state;
    run_stepped(MSNP_FROM_SERVER, s, 1, 0);
    expected_free(s);
}

/* With 512-byte limits the buffer is capped at 1024 bytes, a tenth of a
 * transcript: it is compacted over and over, including while a parsed
 * line waits for its payload, and the longest spec lines and payloads
 * (the msnobj CHG, the 417-byte profile) still fit. */
static void test_transcripts_tight_buffer(void **state)
{
    expected_stream *c = expected_new(client_lines, COUNT(client_lines));
    expected_stream *s = expected_new(server_lines, COUNT(server_lines));
    (void)state;
    for (size_t step = 1; step <= 97; step += 8) {
        run_stepped(MSNP_FROM_CLIENT, c, step, 512);
        run_stepped(MSNP_FROM_SERVER, s, step, 512);
    }
    expected_free(c);
    expected_free(s);
}

/* ---- helpers for hand-written cases ------------------------------------- */

static int feed_str(msnp_parser *p, const char *s)
{
    return msnp_parser_feed(p, s, strlen(s));
}

/* Feeds text to a fresh parser and returns the first next() status. */
static int first_status(msnp_direction dir, const char *text)
{
    msnp_parser *p = parser_for(dir, 0, 0, 0, 0);
    msnp_cmd cmd;
    int rc;

    assert_int_equal(feed_str(p, text), MSNP_OK);
    rc = msnp_parser_next(p, &cmd);
    msnp_parser_free(p);
    return rc;
}

static void assert_params(const msnp_cmd *cmd, size_t n, ...)
{
    va_list ap;

    assert_int_equal(cmd->nparams, n);
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(cmd->params[i], va_arg(ap, const char *));
    va_end(ap);
}

/* ---- framing ------------------------------------------------------------ */

static void test_pipelined_in_one_feed(void **state)
{
    msnp_parser *p = parser_for(MSNP_FROM_CLIENT, 0, 0, 0, 0);
    msnp_cmd cmd;
    (void)state;

    assert_int_equal(feed_str(p, "VER 1 MSNP8 CVR0\r\nPNG\r\nMSG 2 U 5\r\nhelloOUT\r\nSYN 3"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "VER");
    assert_int_equal(cmd.trid, 1);
    assert_params(&cmd, 2, "MSNP8", "CVR0");
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "PNG");
    assert_false(cmd.has_trid);
    assert_int_equal(cmd.nparams, 0);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "MSG");
    assert_params(&cmd, 2, "U", "5");
    assert_int_equal(cmd.payload_len, 5);
    assert_memory_equal(cmd.payload, "hello", 5);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "OUT");
    assert_int_equal(msnp_parser_next(p, &cmd), 0);
    assert_int_equal(msnp_parser_pending(p), 5);
    assert_int_equal(feed_str(p, " 0\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "SYN");
    assert_int_equal(cmd.trid, 3);
    assert_params(&cmd, 1, "0");
    assert_int_equal(msnp_parser_pending(p), 0);
    msnp_parser_free(p);
}

static void test_bare_lf(void **state)
{
    msnp_parser *p = parser_for(MSNP_FROM_SERVER, 0, 0, 0, 0);
    msnp_cmd cmd;
    (void)state;

    assert_int_equal(feed_str(p, "VER 1 MSNP8\nQNG\r\nNOT 4\nab\r\nFLN x@y\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "VER");
    assert_params(&cmd, 1, "MSNP8");
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "QNG");
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "NOT");
    assert_memory_equal(cmd.payload, "ab\r\n", 4);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "FLN");
    assert_params(&cmd, 1, "x@y");
    assert_int_equal(msnp_parser_next(p, &cmd), 0);
    msnp_parser_free(p);
}

static void test_space_runs(void **state)
{
    msnp_parser *p = parser_for(MSNP_FROM_CLIENT, 0, 0, 0, 0);
    msnp_cmd cmd;
    (void)state;

    assert_int_equal(feed_str(p, "ADD  20   FL bob@example.org  Bob 0  \r\n"
                                 "MSG 3  N   4 \r\nabcd"
                                 "PNG   \n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_true(cmd.has_trid);
    assert_int_equal(cmd.trid, 20);
    assert_params(&cmd, 4, "FL", "bob@example.org", "Bob", "0");
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_int_equal(cmd.trid, 3);
    assert_params(&cmd, 2, "N", "4");
    assert_memory_equal(cmd.payload, "abcd", 4);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "PNG");
    assert_int_equal(cmd.nparams, 0);
    msnp_parser_free(p);
}

static void test_binary_payload(void **state)
{
    static const unsigned char body[] = { '\r', '\n', 0, 0x80, 0xff, '\r', '\n', 'A', '\n', 0x7f };
    msnp_parser *p = parser_for(MSNP_FROM_CLIENT, 0, 0, 0, 0);
    msnp_cmd cmd;
    (void)state;

    assert_int_equal(feed_str(p, "MSG 1 U 10\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 0);
    assert_int_equal(msnp_parser_feed(p, body, sizeof body), MSNP_OK);
    assert_int_equal(feed_str(p, "PNG\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_true(cmd.has_payload);
    assert_int_equal(cmd.payload_len, sizeof body);
    assert_memory_equal(cmd.payload, body, sizeof body);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "PNG");
    msnp_parser_free(p);
}

static void test_zero_length_payload(void **state)
{
    msnp_parser *p = parser_for(MSNP_FROM_SERVER, 0, 0, 0, 0);
    msnp_cmd cmd;
    (void)state;

    assert_int_equal(feed_str(p, "NOT 0\r\nQNG\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_true(cmd.has_payload);
    assert_non_null(cmd.payload);
    assert_int_equal(cmd.payload_len, 0);
    assert_params(&cmd, 1, "0");
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "QNG");
    assert_false(cmd.has_payload);
    assert_null(cmd.payload);
    msnp_parser_free(p);
}

/* The largest payload trickles in one byte at a time: the line is parsed
 * once, and every byte is accounted for. */
static void test_large_payload_bytewise(void **state)
{
    msnp_parser *p = parser_for(MSNP_FROM_SERVER, 0, 0, 0, 0);
    msnp_cmd cmd;
    (void)state;

    assert_int_equal(feed_str(p, "MSG Hotmail Hotmail 65536\r\n"), MSNP_OK);
    for (size_t i = 0; i < 65536; i++) {
        unsigned char b = (unsigned char)(i * 7);
        assert_int_equal(msnp_parser_next(p, &cmd), 0);
        assert_int_equal(msnp_parser_feed(p, &b, 1), MSNP_OK);
    }
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_int_equal(cmd.payload_len, 65536);
    for (size_t i = 0; i < 65536; i++)
        assert_int_equal(cmd.payload[i], (unsigned char)(i * 7));
    assert_int_equal(msnp_parser_pending(p), 0);
    msnp_parser_free(p);
}

/* ---- codes and TrIDs ---------------------------------------------------- */

static void test_error_replies(void **state)
{
    msnp_parser *p = parser_for(MSNP_FROM_SERVER, 0, 0, 0, 0);
    msnp_cmd cmd;
    (void)state;

    assert_int_equal(feed_str(p, "911 4\r\n201 20\r\n500 7 extra text\r\n911\r\n540 x\r\n999 4294967295\r\n100 0\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "911");
    assert_int_equal(cmd.error_code, 911);
    assert_true(cmd.has_trid);
    assert_int_equal(cmd.trid, 4);
    assert_int_equal(cmd.nparams, 0);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_int_equal(cmd.error_code, 201);
    assert_int_equal(cmd.trid, 20);
    assert_int_equal(msnp_parser_next(p, &cmd), 1); /* descriptive text accepted */
    assert_int_equal(cmd.error_code, 500);
    assert_int_equal(cmd.trid, 7);
    assert_params(&cmd, 2, "extra", "text");
    assert_int_equal(msnp_parser_next(p, &cmd), 1); /* no TrID at all */
    assert_int_equal(cmd.error_code, 911);
    assert_false(cmd.has_trid);
    assert_int_equal(cmd.nparams, 0);
    assert_int_equal(msnp_parser_next(p, &cmd), 1); /* non-numeric: kept */
    assert_int_equal(cmd.error_code, 540);
    assert_false(cmd.has_trid);
    assert_params(&cmd, 1, "x");
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_int_equal(cmd.error_code, 999);
    assert_int_equal(cmd.trid, 4294967295u);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_int_equal(cmd.error_code, 100);
    assert_int_equal(cmd.trid, 0);
    msnp_parser_free(p);

    /* a client may send digits too; they still carry a TrID */
    p = parser_for(MSNP_FROM_CLIENT, 0, 0, 0, 0);
    assert_int_equal(feed_str(p, "200 5\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_int_equal(cmd.error_code, 200);
    assert_int_equal(cmd.trid, 5);
    msnp_parser_free(p);
    /* letters never have an error code */
    p = parser_for(MSNP_FROM_CLIENT, 0, 0, 0, 0);
    assert_int_equal(feed_str(p, "CHG 5 NLN\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_int_equal(cmd.error_code, 0);
    msnp_parser_free(p);
}

typedef struct trid_case {
    const char *line;    /* without CR LF */
    int has_trid;
    uint32_t trid;
    size_t nparams;
    const char *first;   /* expected params[0], NULL when nparams == 0 */
} trid_case;

static void check_trid_cases(msnp_direction dir, const trid_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        msnp_parser *p = parser_for(dir, 0, 0, 0, 0);
        msnp_cmd cmd;
        char line[256];

        snprintf(line, sizeof line, "%s\r\n", cases[i].line);
        assert_int_equal(feed_str(p, line), MSNP_OK);
        if (msnp_parser_next(p, &cmd) != 1)
            fail_msg("no command for \"%s\"", cases[i].line);
        if (cmd.has_trid != (cases[i].has_trid != 0) || cmd.nparams != cases[i].nparams)
            fail_msg("\"%s\": has_trid %d nparams %zu", cases[i].line, cmd.has_trid, cmd.nparams);
        if (cases[i].has_trid)
            assert_int_equal(cmd.trid, cases[i].trid);
        if (cases[i].first)
            assert_string_equal(cmd.params[0], cases[i].first);
        msnp_parser_free(p);
    }
}

static void test_server_trid_rules(void **state)
{
    static const trid_case cases[] = {
        /* SYN dump forms: no TrID */
        { "GTC A", 0, 0, 1, "A" },
        { "BLP AL", 0, 0, 1, "AL" },
        { "LSG 0 Other%20Contacts 0", 0, 0, 3, "0" },
        { "CHL 12345678901234567890", 0, 0, 1, "12345678901234567890" },
        { "CHL 1234", 0, 0, 1, "1234" },
        { "PRP PHH 555%20123%204567", 0, 0, 2, "PHH" },
        { "LST bob@example.org Bob 11 0,1", 0, 0, 4, "bob@example.org" },
        /* same codes as replies: TrID */
        { "GTC 14 26 N", 1, 14, 2, "26" },
        { "BLP 12 25 BL", 1, 12, 2, "25" },
        { "LSG 5 24 1 2 1 Friends 0", 1, 5, 6, "24" },
        { "LSG 5 24 1 1", 1, 5, 3, "24" },
        { "CHL 0 29409134351025259292", 1, 0, 1, "29409134351025259292" },
        { "CHL 7 123", 1, 7, 1, "123" },
        { "PRP 15 27 PHM 555", 1, 15, 3, "27" },
        { "LST 6 FL 24 1 1 bob@example.org Bob 0", 1, 6, 7, "FL" },
        /* TrID 0 on unsolicited lines */
        { "ADD 0 RL 314 alice@example.com Alice%20A.", 1, 0, 4, "RL" },
        { "REM 0 RL 315 alice@example.com", 1, 0, 3, "RL" },
        { "XFR 0 NS 198.51.100.20:1863 0 198.51.100.10:1863", 1, 0, 4, "NS" },
        { "CHG 0 FLN", 1, 0, 1, "FLN" },
        /* every other code with a slot */
        { "VER 1 0", 1, 1, 1, "0" },
        { "CVR 2 a b c d e", 1, 2, 5, "a" },
        { "USR 1 OK alice@example.com Alice", 1, 1, 3, "OK" },
        { "SYN 8 24", 1, 8, 1, "24" },
        { "ADG 40 33 Work 2 0", 1, 40, 4, "33" },
        { "RMG 42 35 2", 1, 42, 2, "35" },
        { "REG 41 34 2 Office 0", 1, 41, 4, "34" },
        { "REA 51 37 bob@example.org Bob", 1, 51, 3, "37" },
        { "QRY 10", 1, 10, 0, NULL },
        { "URL 30 /x y 2", 1, 30, 3, "/x" },
        { "SND 5 OK", 1, 5, 1, "OK" },
        { "ILN 9 NLN bob@example.org Bob 0", 1, 9, 4, "NLN" },
        { "CAL 2 RINGING 11752013", 1, 2, 2, "RINGING" },
        { "ANS 1 OK", 1, 1, 1, "OK" },
        { "IRO 1 1 1 alice@example.com Alice", 1, 1, 4, "1" },
        { "ACK 4", 1, 4, 0, NULL },
        { "NAK 4294967295", 1, 4294967295u, 0, NULL },
        /* a slot with a non-number in it: no TrID, no error */
        { "ACK x", 0, 0, 1, "x" },
        { "SYN 08 24", 0, 0, 2, "08" },
        { "VER 4294967296 MSNP8", 0, 0, 2, "4294967296" },
        { "SYN", 0, 0, 0, NULL },
        /* never a TrID */
        { "NLN NLN bob@example.org Bob 0", 0, 0, 4, "NLN" },
        { "FLN bob@example.org", 0, 0, 1, "bob@example.org" },
        { "BPR 313 alice@example.com PHM 555", 0, 0, 4, "313" },
        { "BPR MOB Y", 0, 0, 2, "MOB" },
        { "RNG 11752013 198.51.100.30:1863 CKI 1.2.3 a@b A", 0, 0, 6, "11752013" },
        { "OUT OTH", 0, 0, 1, "OTH" },
        { "JOI bob@example.org Bob", 0, 0, 2, "bob@example.org" },
        { "BYE bob@example.org 1", 0, 0, 2, "bob@example.org" },
        { "QNG 50", 0, 0, 1, "50" },
        { "ZZZ 5 a", 0, 0, 2, "5" },
        { "PNG 5", 0, 0, 1, "5" },
    };
    (void)state;
    check_trid_cases(MSNP_FROM_SERVER, cases, COUNT(cases));
}

static void test_client_trid_rules(void **state)
{
    static const trid_case cases[] = {
        { "VER 1 MSNP8 CVR0", 1, 1, 2, "MSNP8" },
        { "CHG 4294967295 NLN", 1, 4294967295u, 1, "NLN" },
        { "CHG 0 NLN", 1, 0, 1, "NLN" },
        { "GTC 14 N", 1, 14, 1, "N" },
        { "CHL 3", 1, 3, 0, NULL },
        { "LST 4 FL", 1, 4, 1, "FL" },
        { "XFR 15 SB", 1, 15, 1, "SB" },
        { "ZZZ 5 a", 1, 5, 1, "a" },          /* unknown code: still a TrID */
        { "PNG", 0, 0, 0, NULL },
        { "PNG 5", 0, 0, 1, "5" },
        { "OUT", 0, 0, 0, NULL },
        { "OUT 5", 0, 0, 1, "5" },
        { "CHG", 0, 0, 0, NULL },              /* missing TrID: returned anyway */
        { "SYN", 0, 0, 0, NULL },
        { "MSG 3 N 0", 1, 3, 2, "N" },
        { "QRY 10 msmsgs@msnmsgr.com 0", 1, 10, 2, "msmsgs@msnmsgr.com" },
        { "PAG 1 a@b 0", 1, 1, 2, "a@b" },
        { "PGD 1 a@b 1 0", 1, 1, 3, "a@b" },
        { "MSG 0", 0, 0, 1, "0" },             /* the lone token is the length */
    };
    (void)state;
    check_trid_cases(MSNP_FROM_CLIENT, cases, COUNT(cases));
}

/* A client's non-numeric TrID rejects that command only; its payload is
 * consumed and the next command parses normally. */
static void test_bad_trid_recovers(void **state)
{
    static const char *const bad[] = { "abc", "-1", "+1", "01", "4294967296", "1x", "99999999999" };
    msnp_parser *p = parser_for(MSNP_FROM_CLIENT, 0, 0, 0, 0);
    msnp_cmd cmd;
    (void)state;

    for (size_t i = 0; i < COUNT(bad); i++) {
        char line[64];
        snprintf(line, sizeof line, "CHG %s NLN 0\r\n", bad[i]);
        assert_int_equal(feed_str(p, line), MSNP_OK);
        assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_BAD_TRID);
        assert_string_equal(cmd.code, "CHG");
        assert_false(cmd.has_trid);
        assert_params(&cmd, 3, bad[i], "NLN", "0"); /* offending token kept */
        assert_int_equal(msnp_parser_pending(p), 0);
    }

    /* with a payload arriving in pieces: nothing until it is all there */
    assert_int_equal(feed_str(p, "MSG x N 5\r\nhel"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 0);
    assert_int_equal(feed_str(p, "lo"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_BAD_TRID);
    assert_true(cmd.has_payload);
    assert_int_equal(cmd.payload_len, 5);
    assert_memory_equal(cmd.payload, "hello", 5);
    assert_params(&cmd, 3, "x", "N", "5");

    /* and the stream goes on */
    assert_int_equal(feed_str(p, "MSG 9 U 3\r\nabcPNG\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_int_equal(cmd.trid, 9);
    assert_memory_equal(cmd.payload, "abc", 3);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "PNG");
    assert_int_equal(msnp_parser_next(p, &cmd), 0);

    /* a bad length wins over a bad TrID, and that one is sticky */
    assert_int_equal(feed_str(p, "MSG x N 12a\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_BAD_LENGTH);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_BAD_LENGTH);
    msnp_parser_free(p);
}

/* ---- limits ------------------------------------------------------------- */

/* "VER 1 " + filler + terminator, total bytes long. */
static char *line_of(size_t total, const char *term)
{
    char *s = malloc(total + 1);
    size_t fill = total - 6 - strlen(term);

    assert_non_null(s);
    memcpy(s, "VER 1 ", 6);
    memset(s + 6, 'A', fill);
    strcpy(s + 6 + fill, term);
    return s;
}

static void check_line_limit(size_t limit, const char *term)
{
    for (size_t total = limit - 1; total <= limit + 1; total++) {
        msnp_parser *p = parser_for(MSNP_FROM_CLIENT, limit, 0, 0, 0);
        char *s = line_of(total, term);
        msnp_cmd cmd;
        int want = total <= limit ? 1 : MSNP_E_LINE_TOO_LONG;

        assert_int_equal(feed_str(p, s), MSNP_OK);
        assert_int_equal(msnp_parser_next(p, &cmd), want);
        if (want == 1)
            assert_int_equal(strlen(cmd.params[0]), total - 6 - strlen(term));
        free(s);
        msnp_parser_free(p);
    }
}

static void test_line_too_long(void **state)
{
    (void)state;
    check_line_limit(32, "\r\n");
    check_line_limit(32, "\n");
    check_line_limit(100, "\r\n");
    check_line_limit(8192, "\r\n");
}

/* The default limit is 8192 bytes including CR LF. */
static void test_line_default_limit(void **state)
{
    msnp_parser *p = msnp_parser_new(NULL);
    char *ok = line_of(8192, "\r\n");
    char *bad = line_of(8193, "\r\n");
    msnp_cmd cmd;
    (void)state;

    assert_non_null(p);
    assert_int_equal(feed_str(p, ok), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_int_equal(feed_str(p, bad), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_LINE_TOO_LONG);
    free(ok);
    free(bad);
    msnp_parser_free(p);
}

/* The error comes as soon as max_line bytes sit there with no LF. */
static void test_line_too_long_without_lf(void **state)
{
    msnp_parser *p = parser_for(MSNP_FROM_CLIENT, 32, 0, 0, 0);
    char buf[40];
    msnp_cmd cmd;
    (void)state;

    memset(buf, 'A', sizeof buf);
    memcpy(buf, "PNG\r\nVER 1 ", 11);
    assert_int_equal(msnp_parser_feed(p, buf, 5 + 30), MSNP_OK); /* PNG + 30 of the next line */
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "PNG");
    assert_int_equal(msnp_parser_next(p, &cmd), 0);
    assert_int_equal(msnp_parser_feed(p, "A", 1), MSNP_OK);   /* 31: still fits with LF */
    assert_int_equal(msnp_parser_next(p, &cmd), 0);
    assert_int_equal(msnp_parser_feed(p, "\r", 1), MSNP_OK);  /* 32 without LF */
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_LINE_TOO_LONG);
    msnp_parser_free(p);

    /* a line of exactly max_line bytes ending in a bare LF is fine */
    p = parser_for(MSNP_FROM_CLIENT, 32, 0, 0, 0);
    assert_int_equal(msnp_parser_feed(p, buf + 5, 31), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 0);
    assert_int_equal(msnp_parser_feed(p, "\n", 1), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    msnp_parser_free(p);
}

static void test_payload_too_large(void **state)
{
    msnp_parser *p = parser_for(MSNP_FROM_CLIENT, 0, 100, 0, 0);
    char body[100];
    msnp_cmd cmd;
    (void)state;

    memset(body, 'x', sizeof body);
    assert_int_equal(feed_str(p, "MSG 1 N 100\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 0);
    assert_int_equal(msnp_parser_feed(p, body, sizeof body), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_int_equal(cmd.payload_len, 100);
    /* refused on the line alone, before any payload byte */
    assert_int_equal(feed_str(p, "MSG 2 N 101\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_PAYLOAD_TOO_LARGE);
    msnp_parser_free(p);

    /* the default is 65536 */
    assert_int_equal(first_status(MSNP_FROM_SERVER, "NOT 65537\r\n"), MSNP_E_PAYLOAD_TOO_LARGE);
    assert_int_equal(first_status(MSNP_FROM_SERVER, "NOT 65536\r\n"), 0);
    assert_int_equal(first_status(MSNP_FROM_CLIENT, "QRY 1 a 4294967295\r\n"), MSNP_E_PAYLOAD_TOO_LARGE);
}

static void test_bad_length(void **state)
{
    static const char *const client[] = {
        "MSG 1 N 12a\r\n", "MSG 1 N -1\r\n", "MSG 1 N 99999999999\r\n",
        "MSG 1 N 4294967296\r\n", "MSG 1 N +5\r\n", "MSG 1 N 012\r\n",
        "MSG 1 N\r\n", "MSG\r\n", "MSG   \r\n", "QRY 1 a x\r\n", "PAG 1 a@b\r\n",
        "PGD\r\n", "MSG abc\r\n",
    };
    static const char *const server[] = {
        "NOT abc\r\n", "NOT\r\n", "IPG -1\r\n", "MSG Hotmail Hotmail\r\n",
        "MSG a b 0x10\r\n", "NOT 1 2 3a\r\n",
    };
    (void)state;
    for (size_t i = 0; i < COUNT(client); i++)
        if (first_status(MSNP_FROM_CLIENT, client[i]) != MSNP_E_BAD_LENGTH)
            fail_msg("client \"%s\" not BAD_LENGTH", client[i]);
    for (size_t i = 0; i < COUNT(server); i++)
        if (first_status(MSNP_FROM_SERVER, server[i]) != MSNP_E_BAD_LENGTH)
            fail_msg("server \"%s\" not BAD_LENGTH", server[i]);
    /* the payload set depends on the direction */
    assert_int_equal(first_status(MSNP_FROM_CLIENT, "NOT 1 abc\r\n"), 1);
    assert_int_equal(first_status(MSNP_FROM_CLIENT, "IPG 1 abc\r\n"), 1);
    assert_int_equal(first_status(MSNP_FROM_SERVER, "QRY 7\r\n"), 1);
    assert_int_equal(first_status(MSNP_FROM_SERVER, "PAG x\r\n"), 1);
    assert_int_equal(first_status(MSNP_FROM_SERVER, "PGD x\r\n"), 1);
}

static void test_syntax_errors(void **state)
{
    static const struct { const char *text; size_t len; } bad[] = {
#define S(lit) { lit, sizeof(lit) - 1 }
        S("\r\n"), S("\n"), S(" PNG\r\n"), S("  VER 1 MSNP8\r\n"), S("png\r\n"),
        S("Png\r\n"), S("PN\r\n"), S("P\n"), S("PNGX\r\n"), S("PNGX 1\r\n"),
        S("P1G 1\r\n"), S("12A 1\r\n"), S("1234 5\r\n"), S("91 4\r\n"),
        S("099 4\r\n"), S("000 1\r\n"), S("PNG\t1\r\n"), S("VER\t1 MSNP8\r\n"),
        S("PNG\r1\r\n"), S("PNG\r\r\n"), S("VER 1 MSNP8\rCVR0\n"), S("\rPNG\r\n"),
        S("PNG\0\r\n"), S("VER 1\0 MSNP8\r\n"), S("VER 1 \x7f\r\n"),
        S("VER 1 \x1b[0m\r\n"), S("\x80NG\r\n"), S("PN\xc3\xa9\r\n"),
#undef S
    };
    (void)state;
    for (size_t i = 0; i < COUNT(bad); i++) {
        for (int dir = MSNP_FROM_CLIENT; dir <= MSNP_FROM_SERVER; dir++) {
            msnp_parser *p = parser_for((msnp_direction)dir, 0, 0, 0, 0);
            msnp_cmd cmd;
            assert_int_equal(msnp_parser_feed(p, bad[i].text, bad[i].len), MSNP_OK);
            if (msnp_parser_next(p, &cmd) != MSNP_E_SYNTAX)
                fail_msg("case %zu not a syntax error", i);
            msnp_parser_free(p);
        }
    }
    /* bytes >= 0x80 inside parameters are left to the URL decoder */
    assert_int_equal(first_status(MSNP_FROM_CLIENT, "REA 5 a@b Zo\xc3\xab\r\n"), 1);
}

static void test_too_many_params(void **state)
{
    (void)state;
    /* max_params = 3, TrID excluded */
    msnp_parser *p = parser_for(MSNP_FROM_CLIENT, 0, 0, 3, 0);
    msnp_cmd cmd;

    assert_int_equal(feed_str(p, "ADD 1 a b c\r\nPNG a b c\r\nADD x a b c\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_params(&cmd, 3, "a", "b", "c");
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_BAD_TRID); /* 3 + bad slot */
    assert_int_equal(cmd.nparams, 4);
    assert_int_equal(feed_str(p, "ADD 1 a b c d\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_TOO_MANY_PARAMS);
    msnp_parser_free(p);

    p = parser_for(MSNP_FROM_CLIENT, 0, 0, 3, 0);
    assert_int_equal(feed_str(p, "PNG a b c d\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_TOO_MANY_PARAMS);
    msnp_parser_free(p);

    p = parser_for(MSNP_FROM_CLIENT, 0, 0, 3, 0);
    assert_int_equal(feed_str(p, "ADD x a b c d\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_TOO_MANY_PARAMS);
    msnp_parser_free(p);

    p = parser_for(MSNP_FROM_SERVER, 0, 0, 3, 0);
    assert_int_equal(feed_str(p, "ACK 1 a b c\r\nNLN a b c\r\nNLN a b c d\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_TOO_MANY_PARAMS);
    msnp_parser_free(p);

    p = parser_for(MSNP_FROM_SERVER, 0, 0, 3, 0);
    assert_int_equal(feed_str(p, "ACK x a b c\r\n"), MSNP_OK); /* x is no TrID: 4 params */
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_TOO_MANY_PARAMS);
    msnp_parser_free(p);

    /* the default is 64 */
    {
        char line[512] = "NLN";
        for (int i = 0; i < 64; i++)
            strcat(line, " p");
        strcat(line, "\r\n");
        assert_int_equal(first_status(MSNP_FROM_SERVER, line), 1);
        line[strlen(line) - 2] = '\0';
        strcat(line, " p\r\n");
        assert_int_equal(first_status(MSNP_FROM_SERVER, line), MSNP_E_TOO_MANY_PARAMS);
    }
}

static void test_buffer_full(void **state)
{
    /* max_line 32 + max_payload 32 fit in max_buffer 64 */
    msnp_parser *p = parser_for(MSNP_FROM_CLIENT, 32, 32, 0, 64);
    msnp_cmd cmd;
    char big[65];
    (void)state;

    memset(big, 'x', sizeof big);
    assert_int_equal(msnp_parser_feed(p, big, 65), MSNP_E_BUFFER_FULL);
    assert_int_equal(msnp_parser_pending(p), 0);
    for (int i = 0; i < 12; i++)
        assert_int_equal(feed_str(p, "PNG\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_pending(p), 60);
    assert_int_equal(feed_str(p, "OUT\r\n"), MSNP_E_BUFFER_FULL); /* nothing copied */
    assert_int_equal(msnp_parser_pending(p), 60);
    assert_int_equal(feed_str(p, "OUT\n"), MSNP_OK);                 /* exactly full */
    assert_int_equal(msnp_parser_feed(p, "x", 1), MSNP_E_BUFFER_FULL);
    for (int i = 0; i < 12; i++) {
        assert_int_equal(msnp_parser_next(p, &cmd), 1);
        assert_string_equal(cmd.code, "PNG");
    }
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "OUT");
    assert_int_equal(msnp_parser_next(p, &cmd), 0);
    /* not sticky: room again once drained */
    assert_int_equal(feed_str(p, "MSG 1 U 32\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_feed(p, big, 32), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_int_equal(cmd.payload_len, 32);
    msnp_parser_free(p);

    /* a max_buffer smaller than one maximal command is raised to fit one */
    p = parser_for(MSNP_FROM_CLIENT, 32, 32, 0, 10);
    assert_int_equal(msnp_parser_feed(p, big, 64), MSNP_OK);
    assert_int_equal(msnp_parser_feed(p, big, 1), MSNP_E_BUFFER_FULL);
    msnp_parser_free(p);
}

static void test_sticky_errors(void **state)
{
    msnp_parser *p = parser_for(MSNP_FROM_CLIENT, 0, 0, 0, 0);
    msnp_cmd cmd;
    (void)state;

    assert_int_equal(feed_str(p, "PNG\r\npng\r\nPNG\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_SYNTAX);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_SYNTAX);
    assert_int_equal(feed_str(p, "PNG\r\n"), MSNP_E_SYNTAX);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_SYNTAX);
    msnp_parser_free(p);

    p = parser_for(MSNP_FROM_SERVER, 0, 10, 0, 0);
    assert_int_equal(feed_str(p, "NOT 11\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_PAYLOAD_TOO_LARGE);
    assert_int_equal(feed_str(p, "01234567890"), MSNP_E_PAYLOAD_TOO_LARGE);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_PAYLOAD_TOO_LARGE);
    msnp_parser_free(p);

    p = parser_for(MSNP_FROM_SERVER, 8, 0, 0, 0);
    assert_int_equal(feed_str(p, "QNG 1234"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_LINE_TOO_LONG);
    assert_int_equal(feed_str(p, "\r\n"), MSNP_E_LINE_TOO_LONG);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_LINE_TOO_LONG);
    msnp_parser_free(p);

    p = parser_for(MSNP_FROM_SERVER, 0, 0, 1, 0);
    assert_int_equal(feed_str(p, "FLN a b\r\nQNG\r\n"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_TOO_MANY_PARAMS);
    assert_int_equal(msnp_parser_next(p, &cmd), MSNP_E_TOO_MANY_PARAMS);
    msnp_parser_free(p);
}

/* ---- small API pieces --------------------------------------------------- */

static void test_parse_u32(void **state)
{
    uint32_t v = 7;
    (void)state;

    assert_int_equal(msnp_parse_u32("0", &v), MSNP_OK);
    assert_int_equal(v, 0);
    assert_int_equal(msnp_parse_u32("1", &v), MSNP_OK);
    assert_int_equal(v, 1);
    assert_int_equal(msnp_parse_u32("1863", &v), MSNP_OK);
    assert_int_equal(v, 1863);
    assert_int_equal(msnp_parse_u32("4294967295", &v), MSNP_OK);
    assert_int_equal(v, 4294967295u);
    assert_int_equal(msnp_parse_u32("4294967290", &v), MSNP_OK);
    assert_int_equal(v, 4294967290u);
    assert_int_equal(msnp_parse_u32("429496729", NULL), MSNP_OK);

    v = 7;
    static const char *const bad[] = {
        "", "00", "01", "-1", "+1", " 1", "1 ", "1a", "a1", "0x10", "4294967296",
        "4294967300", "42949672950", "99999999999", "18446744073709551616", "1.0",
    };
    for (size_t i = 0; i < COUNT(bad); i++)
        if (msnp_parse_u32(bad[i], &v) != MSNP_E_BAD_VALUE)
            fail_msg("\"%s\" accepted", bad[i]);
    assert_int_equal(v, 7); /* untouched on failure */
    assert_int_equal(msnp_parse_u32(NULL, &v), MSNP_E_BAD_VALUE);
}

static void test_code_has_payload(void **state)
{
    (void)state;
    assert_true(msnp_code_has_payload("MSG", MSNP_FROM_CLIENT));
    assert_true(msnp_code_has_payload("QRY", MSNP_FROM_CLIENT));
    assert_true(msnp_code_has_payload("PAG", MSNP_FROM_CLIENT));
    assert_true(msnp_code_has_payload("PGD", MSNP_FROM_CLIENT));
    assert_false(msnp_code_has_payload("NOT", MSNP_FROM_CLIENT));
    assert_false(msnp_code_has_payload("IPG", MSNP_FROM_CLIENT));
    assert_true(msnp_code_has_payload("MSG", MSNP_FROM_SERVER));
    assert_true(msnp_code_has_payload("NOT", MSNP_FROM_SERVER));
    assert_true(msnp_code_has_payload("IPG", MSNP_FROM_SERVER));
    assert_false(msnp_code_has_payload("QRY", MSNP_FROM_SERVER));
    assert_false(msnp_code_has_payload("PAG", MSNP_FROM_SERVER));
    assert_false(msnp_code_has_payload("PGD", MSNP_FROM_SERVER));
    assert_false(msnp_code_has_payload("msg", MSNP_FROM_CLIENT));
    assert_false(msnp_code_has_payload("MSGX", MSNP_FROM_CLIENT));
    assert_false(msnp_code_has_payload("MS", MSNP_FROM_CLIENT));
    assert_false(msnp_code_has_payload("VER", MSNP_FROM_SERVER));
    assert_false(msnp_code_has_payload("911", MSNP_FROM_SERVER));
    assert_false(msnp_code_has_payload(NULL, MSNP_FROM_SERVER));
    assert_false(msnp_code_has_payload("MSG", (msnp_direction)7));
}

static void test_api_edges(void **state)
{
    msnp_parser_config cfg = { (msnp_direction)2, 0, 0, 0, 0 };
    msnp_parser *p;
    msnp_cmd cmd;
    (void)state;

    assert_null(msnp_parser_new(&cfg));
    msnp_parser_free(NULL);
    assert_int_equal(msnp_parser_pending(NULL), 0);
    assert_int_equal(msnp_parser_feed(NULL, "x", 1), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_parser_next(NULL, &cmd), MSNP_E_INVALID_ARG);

    p = msnp_parser_new(NULL); /* defaults: client direction */
    assert_non_null(p);
    assert_int_equal(msnp_parser_next(p, NULL), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_parser_feed(p, NULL, 1), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_parser_feed(p, NULL, 0), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 0); /* nothing fed yet */
    assert_int_equal(feed_str(p, "QRY 1 a 2\r\nab"), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_true(cmd.has_payload); /* QRY carries one from a client */
    assert_int_equal(msnp_parser_next(p, &cmd), 0);
    msnp_parser_free(p);
}

/* Trimming an idle parser frees its buffer and changes nothing else;
 * a parser holding unparsed bytes keeps them. */
static void test_trim_idle_buffer(void **state)
{
    (void)state;
    msnp_parser_config cfg = { .direction = MSNP_FROM_CLIENT };
    msnp_parser *p = msnp_parser_new(&cfg);
    msnp_cmd cmd;
    assert_non_null(p);
    assert_int_equal(msnp_parser_feed(p, "PNG\r\nCHG 1 N", 12), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "PNG");
    assert_int_equal(msnp_parser_next(p, &cmd), 0);
    msnp_parser_trim(p); /* 7 bytes pending: kept */
    assert_int_equal(msnp_parser_pending(p), 7);
    assert_int_equal(msnp_parser_feed(p, "LN 0\r\n", 6), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "CHG");
    assert_int_equal(cmd.nparams, 2);
    assert_string_equal(cmd.params[0], "NLN");
    assert_int_equal(msnp_parser_next(p, &cmd), 0);
    msnp_parser_trim(p);
    assert_int_equal(msnp_parser_pending(p), 0);
    assert_int_equal(msnp_parser_feed(p, "OUT\r\n", 5), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_string_equal(cmd.code, "OUT");
    msnp_parser_free(p);
}

/* msgrd's Lock and Key lines carry a TrID like the classic commands. */
static void test_lockkey_lines_from_server(void **state)
{
    (void)state;
    msnp_parser_config cfg = { .direction = MSNP_FROM_SERVER };
    msnp_parser *p = msnp_parser_new(&cfg);
    msnp_cmd cmd;
    const char *wire = "LKS 3 1\r\nLKC 0 12345678901234567890\r\nLKR 7 FAIL\r\n";
    assert_int_equal(msnp_parser_feed(p, wire, strlen(wire)), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_true(cmd.has_trid);
    assert_int_equal(cmd.trid, 3);
    assert_string_equal(cmd.params[0], "1");
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_true(cmd.has_trid);
    assert_int_equal(cmd.trid, 0);
    assert_string_equal(cmd.params[0], "12345678901234567890");
    assert_int_equal(msnp_parser_next(p, &cmd), 1);
    assert_int_equal(cmd.trid, 7);
    assert_int_equal(cmd.nparams, 1);
    assert_string_equal(cmd.params[0], "FAIL");
    msnp_parser_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trim_idle_buffer),
        cmocka_unit_test(test_lockkey_lines_from_server),
        cmocka_unit_test(test_spec_payload_counts),
        cmocka_unit_test(test_client_transcript_whole),
        cmocka_unit_test(test_client_transcript_split_everywhere),
        cmocka_unit_test(test_client_transcript_bytewise),
        cmocka_unit_test(test_server_transcript_whole),
        cmocka_unit_test(test_server_transcript_split_everywhere),
        cmocka_unit_test(test_server_transcript_bytewise),
        cmocka_unit_test(test_transcripts_tight_buffer),
        cmocka_unit_test(test_pipelined_in_one_feed),
        cmocka_unit_test(test_bare_lf),
        cmocka_unit_test(test_space_runs),
        cmocka_unit_test(test_binary_payload),
        cmocka_unit_test(test_zero_length_payload),
        cmocka_unit_test(test_large_payload_bytewise),
        cmocka_unit_test(test_error_replies),
        cmocka_unit_test(test_server_trid_rules),
        cmocka_unit_test(test_client_trid_rules),
        cmocka_unit_test(test_bad_trid_recovers),
        cmocka_unit_test(test_line_too_long),
        cmocka_unit_test(test_line_default_limit),
        cmocka_unit_test(test_line_too_long_without_lf),
        cmocka_unit_test(test_payload_too_large),
        cmocka_unit_test(test_bad_length),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_too_many_params),
        cmocka_unit_test(test_buffer_full),
        cmocka_unit_test(test_sticky_errors),
        cmocka_unit_test(test_parse_u32),
        cmocka_unit_test(test_code_has_payload),
        cmocka_unit_test(test_api_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
