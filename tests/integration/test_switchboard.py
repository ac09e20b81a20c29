"""Switchboard: XFR SB, USR/CAL/RNG/ANS/IRO/JOI, MSG relay and acks, BYE, timeouts
(msnp.md 4.7 rule 3-4, 5.1-5.9, 11.2)."""

import re
import threading
import time

import msgrd_harness as h

NAMES = ("alice", "bob", "carol", "dave", "eve", "frank")
A, B, C, D, E, F = (h.hnd(n) for n in NAMES)

TEXT = (b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
        b"X-MMS-IM-Format: FN=MS%20Sans%20Serif; EF=B; CO=ff0000; CS=0; PF=22\r\n\r\nHello Bob!")
TYPING = (b"MIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\nTypingUser: alice@example.com\r\n\r\n\r\n")
INVITE = (b"MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinvite; charset=UTF-8\r\n\r\n"
          b"Application-Name: NetMeeting\r\nApplication-GUID: {44BBA842-CC51-11CF-AAFA-00AA00B6015C}\r\n"
          b"Session-Protocol: SM1\r\nInvitation-Command: INVITE\r\nInvitation-Cookie: 31337001\r\n"
          b"Session-ID: {0F6C3B3A-1E2D-4C5B-9A8F-7E6D5C4B3A29}\r\n\r\n")
BINARY = (b"MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes(range(256)) * 8)


class SbBase(h.ServerTestCase):
    USERS = h.users(*NAMES)
    SERVER_ARGS = ()

    def setUp(self):
        self.s = self.make_server()

    # helpers -------------------------------------------------------------
    def xfr(self, ns):
        t = ns.cmd("XFR {t} SB")
        m = ns.expect_re(r"XFR %d SB 127\.0\.0\.1:(\d+) CKI (\S+)" % t,
                         what="XFR TrID SB host:port CKI cookie, 6 tokens (5.2)")
        return int(m.group(1)), m.group(2)

    def open_sb(self, ns, s=None):
        s = s or self.s
        port, cookie = self.xfr(ns)
        self.assertEqual(port, s.port, "SB address is the MSNP listen address")
        sb = s.connect("%s-sb" % ns.handle.split("@")[0], port=port)
        t = sb.cmd("USR {t} %s %s" % (ns.handle, cookie))
        sb.expect("USR %d OK %s %s" % (t, ns.handle, ns.friendly), what="USR on the SB (5.3)")
        sb.handle = ns.handle
        sb.friendly = ns.friendly
        return sb

    def call(self, sb, callee_ns, caller_name=None):
        t = sb.cmd("CAL {t} %s" % callee_ns.handle)
        m = sb.expect_re(r"CAL %d RINGING (\d+)" % t, what="CAL reply (5.4)")
        sid = m.group(1)
        m = callee_ns.expect_re(r"RNG %s 127\.0\.0\.1:%d CKI (\S+) %s %s" % (sid, self.s.port, re.escape(sb.handle),
                                                                              re.escape(caller_name or sb.friendly)),
                                what="RNG session-id host:port CKI cookie caller name, 7 tokens (5.4)")
        return sid, m.group(1)

    def answer(self, ns, sid, cookie, present, s=None):
        """present: list of (handle, name) already in the session, in join order."""
        s = s or self.s
        sb = s.connect("%s-sb" % ns.handle.split("@")[0])
        t = sb.cmd("ANS {t} %s %s %s" % (ns.handle, cookie, sid))
        n = len(present)
        for i, (hd, nm) in enumerate(present):
            sb.expect("IRO %d %d %d %s %s" % (t, i + 1, n, hd, nm), what="IRO (5.5)")
        sb.expect("ANS %d OK" % t, what="ANS OK after the IROs (5.5)")
        sb.handle = ns.handle
        sb.friendly = ns.friendly
        return sb

    def pair(self, a_name="alice", b_name="bob"):
        a = self.s.on(a_name)
        b = self.s.on(b_name)
        asb = self.open_sb(a)
        sid, cookie = self.call(asb, b)
        bsb = self.answer(b, sid, cookie, [(a.handle, a.friendly)])
        asb.expect("JOI %s %s" % (b.handle, b.friendly), what="JOI to existing members (5.6)")
        return a, b, asb, bsb, sid

    def send_msg(self, sb, ack, payload):
        t = sb.next_trid()
        sb.send_payload("MSG %d %s %d" % (t, ack, len(payload)), payload)
        return t

    def expect_msg(self, sb, sender, payload):
        ln = sb.recv()
        want = "MSG %s %s %d" % (sender.handle, sender.friendly, len(payload))
        if ln.text != want or ln.payload != payload:
            sb.fail("expected %r + %d-byte payload (byte-exact relay, 5.7); got %r" % (want, len(payload), ln))


class XfrTest(SbBase):

    def test_xfr_before_first_chg_913(self):
        a = self.s.log_in("alice")
        t = a.cmd("XFR {t} SB")
        a.expect("913 %d" % t, what="XFR SB before the first CHG (5.2)")

    def test_xfr_hidden_913(self):
        a = self.s.on("alice", "HDN")
        t = a.cmd("XFR {t} SB")
        a.expect("913 %d" % t, what="XFR SB while HDN (5.2)")
        t = a.cmd("CHG {t} AWY 0")
        a.expect("CHG %d AWY 0" % t)
        self.xfr(a)

    def test_usr_ok_and_session(self):
        a = self.s.log_in("alice")
        t = a.cmd("REA {t} %s Alice%%20A." % A)
        a.expect_re(r"REA %d \d+ %s Alice%%20A\." % (t, A))
        a.friendly = "Alice%20A."
        a.go_online()
        sb = self.open_sb(a)
        sb.sb_quiet(what="nothing after USR OK")


class CookieTest(SbBase):

    def test_cookie_single_use(self):
        a = self.s.on("alice")
        port, cookie = self.xfr(a)
        sb1 = self.s.connect("sb1")
        sb1.send("USR 1 %s %s" % (A, cookie))
        sb1.expect("USR 1 OK %s %s" % (A, A))
        sb2 = self.s.connect("sb2")
        sb2.send("USR 1 %s %s" % (A, cookie))
        sb2.expect("911 1", what="reused XFR cookie (5.2, 5.3)")
        sb2.expect_closed()

    def test_someone_elses_cookie(self):
        a = self.s.on("alice")
        self.s.on("bob")
        port, cookie = self.xfr(a)
        sb = self.s.connect("bob-sb")
        sb.send("USR 1 %s %s" % (B, cookie))
        sb.expect("911 1", what="cookie bound to another account (5.3)")
        sb.expect_closed()

    def test_bogus_cookie(self):
        self.s.on("alice")
        sb = self.s.connect("sb")
        sb.send("USR 1 %s 123.456.789" % A)
        sb.expect("911 1", what="unknown cookie (5.3)")
        sb.expect_closed()

    def test_rng_cookie_misuse(self):
        a, b, asb, bsb, sid = self.pair()
        c = self.s.on("carol")
        d = self.s.on("dave")
        sid2, cookie = self.call(asb, c)
        # dave presents carol's cookie
        dsb = self.s.connect("dave-sb")
        dsb.send("ANS 1 %s %s %s" % (D, cookie, sid2))
        dsb.expect("911 1", what="RNG cookie bound to the callee (5.5)")
        dsb.expect_closed()
        # carol with a wrong session id
        csb = self.s.connect("carol-sb-wrongsid")
        csb.send("ANS 1 %s %s %d" % (C, cookie, int(sid2) + 1))
        csb.expect("911 1", what="ANS with the wrong session id (5.5)")
        csb.expect_closed()

    def test_rng_cookie_single_use(self):
        a, b, asb, bsb, sid = self.pair()
        c = self.s.on("carol")
        sid2, cookie = self.call(asb, c)
        self.answer(c, sid2, cookie, [(A, A), (B, B)])
        again = self.s.connect("carol-sb2")
        again.send("ANS 1 %s %s %s" % (C, cookie, sid2))
        again.expect("911 1", what="RNG cookie is single-use (5.4)")
        again.expect_closed()

    def test_ans_after_session_destroyed(self):
        a = self.s.on("alice")
        b = self.s.on("bob")
        asb = self.open_sb(a)
        sid, cookie = self.call(asb, b)
        asb.send("OUT")
        asb.expect_closed(allowed=["OUT"])
        time.sleep(0.2)
        bsb = self.s.connect("bob-sb")
        bsb.send("ANS 1 %s %s %s" % (B, cookie, sid))
        bsb.expect("911 1", what="ANS into a destroyed (empty) session -> 911 (5.5, 10.15)")
        bsb.expect_closed()

    def test_commands_before_usr_close(self):
        self.s.on("alice")
        for first in ("CAL 1 %s" % B, "OUT", "XYZ 1"):
            with self.subTest(first=first):
                sb = self.s.connect("sbnew")
                sb.send(first)
                sb.expect_closed(allowed=[r"\d{3} 1", "OUT"], what="only USR/ANS in NEW state (5.1)")
        sb = self.s.connect("sbmsg")
        sb.send_payload("MSG 1 N 5", b"hello")
        sb.expect_closed(allowed=[r"\d{3} 1"], what="MSG before USR OK closes (5.7)")


class CalTest(SbBase):

    def test_conversation_names(self):
        a = self.s.log_in("alice")
        t = a.cmd("REA {t} %s Alice%%20A." % A)
        a.expect_re(r"REA %d \d+ %s Alice%%20A\." % (t, A))
        a.friendly = "Alice%20A."
        a.go_online()
        b = self.s.log_in("bob")
        t = b.cmd("REA {t} %s Bob%%20B." % B)
        b.expect_re(r"REA %d \d+ %s Bob%%20B\." % (t, B))
        b.friendly = "Bob%20B."
        b.go_online()
        asb = self.open_sb(a)
        sid, cookie = self.call(asb, b)
        self.assertRegex(sid, r"^\d+$", "decimal session id (5.4)")
        bsb = self.answer(b, sid, cookie, [(A, "Alice%20A.")])
        asb.expect("JOI %s Bob%%20B." % B)
        t = self.send_msg(asb, "N", TEXT)
        self.expect_msg(bsb, a, TEXT)
        asb.sb_quiet(what="N and delivered: no reply (5.7)")
        bsb.sb_quiet(what="the SB never sends MSG back to its sender")

    def test_cal_self_and_bad_syntax_208(self):
        a = self.s.on("alice")
        asb = self.open_sb(a)
        t = asb.cmd("CAL {t} %s" % A)
        asb.expect("208 %d" % t, what="CAL yourself -> 208 (5.4)")
        t = asb.cmd("CAL {t} notanaddress")
        asb.expect("208 %d" % t, what="CAL with a bad handle -> 208 (5.4)")

    def test_cal_215(self):
        a = self.s.on("alice")
        b = self.s.on("bob")
        c = self.s.on("carol")
        asb = self.open_sb(a)
        sid, cookie = self.call(asb, b)
        t = asb.cmd("CAL {t} %s" % B)
        asb.expect("215 %d" % t, what="already rung, not answered -> 215 (5.4)")
        b.assert_quiet("no second RNG")
        self.answer(b, sid, cookie, [(A, A)])
        asb.expect("JOI %s %s" % (B, B))
        t = asb.cmd("CAL {t} %s" % B)
        asb.expect("215 %d" % t, what="already in the session -> 215 (5.4)")
        b.assert_quiet("no RNG for a member")

    def test_cal_217_cases(self):
        b = self.s.on("bob", "HDN")              # hidden
        c = self.s.log_in("carol")               # signed in, no CHG
        d = self.s.log_in("dave")                # blocks alice
        t = d.cmd("ADD {t} BL %s %s" % (A, A))
        d.expect_re(r"ADD %d BL \d+ %s %s" % (t, A, A))
        d.go_online()
        e = self.s.log_in("eve")                 # BLP BL, alice not on AL
        t = e.cmd("BLP {t} BL")
        e.expect_re(r"BLP %d \d+ BL" % t)
        e.go_online()
        a = self.s.on("alice")
        cases = [(B, b, "callee HDN"), (C, c, "callee before first CHG"), (D, d, "callee blocks caller"),
                 (E, e, "callee BLP BL without caller on AL"), (F, None, "callee offline"),
                 ("nobody@example.com", None, "no such account")]
        for hd, ns, what in cases:
            with self.subTest(callee=hd):
                asb = self.open_sb(a)        # fresh SB each time: stay clear of the 713 rule
                t = asb.cmd("CAL {t} %s" % hd)
                asb.expect("217 %d" % t, what="%s -> 217 (4.7 rule 3, 5.4)" % what)
                if ns is not None:
                    ns.assert_quiet("no RNG when the CAL is refused (%s)" % what)
                asb.send("OUT")
                asb.close()

    def test_cal_allowed_by_al_under_blp_bl(self):
        e = self.s.log_in("eve")
        t = e.cmd("BLP {t} BL")
        e.expect_re(r"BLP %d \d+ BL" % t)
        t = e.cmd("ADD {t} AL %s %s" % (A, A))
        e.expect_re(r"ADD %d AL \d+ %s %s" % (t, A, A))
        e.go_online()
        a = self.s.on("alice")
        asb = self.open_sb(a)
        self.call(asb, e)

    def test_713_after_failed_cals(self):
        a = self.s.on("alice")
        asb = self.open_sb(a)
        for i in range(5):
            t = asb.cmd("CAL {t} %s" % F)
            asb.expect("217 %d" % t)
        t = asb.cmd("CAL {t} %s" % F)
        asb.expect("713 %d" % t, what="more than 5 consecutive failed CALs in a minute -> 713 (5.4)")

    def test_privacy_only_checked_against_caller(self):
        a = self.s.on("alice")
        b = self.s.log_in("bob")
        t = b.cmd("ADD {t} BL %s %s" % (C, C))
        b.expect_re(r"ADD %d BL \d+ %s %s" % (t, C, C))
        b.go_online()
        c = self.s.on("carol")
        asb = self.open_sb(a)
        sid, cookie = self.call(asb, b)
        bsb = self.answer(b, sid, cookie, [(A, A)])
        asb.expect("JOI %s %s" % (B, B))
        sid2, cookie2 = self.call(asb, c)
        self.assertEqual(sid2, sid, "same session id for the second CAL (5.11)")
        self.answer(c, sid, cookie2, [(A, A), (B, B)])
        asb.expect("JOI %s %s" % (C, C), what="rule 4: bob blocking carol does not stop alice inviting her (4.7)")
        bsb.expect("JOI %s %s" % (C, C))

    def test_max_members(self):
        self.s = self.make_server(args=["--sb-max-members", "2"])
        a, b, asb, bsb, sid = self.pair()
        c = self.s.on("carol")
        t = asb.cmd("CAL {t} %s" % C)
        ln = asb.recv()
        self.assertRegex(ln.text, r"^[27]\d\d %d$" % t,
                         "CAL beyond --sb-max-members 2 must be refused with an error reply")
        c.assert_quiet("no RNG when the session is full")


class RelayTest(SbBase):

    def test_ack_modes(self):
        a, b, asb, bsb, sid = self.pair()
        self.send_msg(asb, "U", TYPING)
        self.expect_msg(bsb, a, TYPING)
        asb.sb_quiet(what="U: no reply (5.7)")
        self.send_msg(asb, "N", TEXT)
        self.expect_msg(bsb, a, TEXT)
        asb.sb_quiet(what="N delivered: no reply (5.7)")
        t = self.send_msg(asb, "A", TEXT)
        self.expect_msg(bsb, a, TEXT)
        asb.expect("ACK %d" % t, what="A delivered -> ACK (5.7)")
        t = self.send_msg(bsb, "S", INVITE)
        self.expect_msg(asb, b, INVITE)
        bsb.expect("ACK %d" % t, what="S delivered -> ACK (5.7, 10.17)")

    def test_ack_modes_alone(self):
        a = self.s.on("alice")
        asb = self.open_sb(a)
        self.send_msg(asb, "U", TEXT)
        asb.sb_quiet(what="U alone: nothing")
        t = self.send_msg(asb, "N", TEXT)
        asb.expect("NAK %d" % t, what="N with no other participant -> NAK (5.7)")
        t = self.send_msg(asb, "A", TEXT)
        asb.expect("NAK %d" % t, what="A with no other participant -> NAK (5.7)")
        self.send_msg(asb, "S", TEXT)
        asb.sb_quiet(what="S alone: nothing on failure (5.7)")

    def test_nak_after_other_left(self):
        a, b, asb, bsb, sid = self.pair()
        bsb.send("OUT")
        asb.expect("BYE %s" % B)
        t = self.send_msg(asb, "A", TEXT)
        asb.expect("NAK %d" % t, what="A after the other participant left -> NAK (5.7)")

    def test_payload_types_byte_exact(self):
        a, b, asb, bsb, sid = self.pair()
        for p in (TEXT, TYPING, INVITE, BINARY[:1664], b"", b"\r\n", b"no headers at all \x00\xff"):
            with self.subTest(length=len(p)):
                self.send_msg(asb, "U", p)
                self.expect_msg(bsb, a, p)
                self.send_msg(bsb, "U", p)
                self.expect_msg(asb, b, p)

    def test_payload_limit(self):
        a, b, asb, bsb, sid = self.pair()
        p1664 = BINARY[:1664]
        self.send_msg(asb, "N", p1664)
        self.expect_msg(bsb, a, p1664)
        big = BINARY[:1665]
        try:
            self.send_msg(asb, "N", big)
        except h.ConnectionClosed:
            pass
        asb.expect_closed(what="payload > 1664 bytes: the SB closes the sender (5.7, 1.8)")
        bsb.expect("BYE %s" % A, what="nothing relayed, only the sender's BYE (5.7)")
        bsb.sb_quiet()

    def test_unknown_ack_type_closes(self):
        a, b, asb, bsb, sid = self.pair()
        try:
            self.send_msg(asb, "X", TEXT)
        except h.ConnectionClosed:
            pass
        asb.expect_closed(what="unknown ack type closes without relaying (5.7)")
        bsb.expect("BYE %s" % A, what="nothing relayed, only BYE")

    def test_lowercase_ack_type_closes(self):
        a, b, asb, bsb, sid = self.pair()
        try:
            self.send_msg(asb, "n", TEXT)
        except h.ConnectionClosed:
            pass
        asb.expect_closed(what="ack types are case-sensitive (5.7)")
        bsb.expect("BYE %s" % A)

    def test_frozen_friendly_name(self):
        a, b, asb, bsb, sid = self.pair()
        t = a.cmd("REA {t} %s Renamed" % A)
        a.expect_re(r"REA %d \d+ %s Renamed" % (t, A))
        b.barrier()
        self.send_msg(asb, "U", TEXT)
        self.expect_msg(bsb, a, TEXT)   # a.friendly is still the join-time name in the test object

    def test_10000_messages_in_order(self):
        # a burst far above the default flood limit: this test is about order
        self.s = self.make_server(args=["--sb-flood-limit", "0"])
        a, b, asb, bsb, sid = self.pair()
        n = 10000
        payloads = [b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nmsg %06d" % i
                    for i in range(n)]
        blob = b"".join(b"MSG %d U %d\r\n" % (i + 10, len(p)) + p for i, p in enumerate(payloads))
        err = []

        def sender():
            try:
                asb.sock.settimeout(60)
                asb.sock.sendall(blob)
            except OSError as e:
                err.append(e)

        th = threading.Thread(target=sender, daemon=True)
        th.start()
        prefix = "MSG %s %s " % (A, A)
        for i in range(n):
            ln = bsb.recv(timeout=20)
            if not ln.text.startswith(prefix) or ln.payload != payloads[i]:
                self.fail("message %d out of order or altered: got %r" % (i, ln))
        th.join(30)
        self.assertFalse(th.is_alive(), "sender thread stuck")
        self.assertEqual(err, [])
        t = self.send_msg(asb, "A", TEXT)
        self.expect_msg(bsb, a, TEXT)
        asb.expect("ACK %d" % t)


class LeaveTest(SbBase):

    def test_out_bye(self):
        a, b, asb, bsb, sid = self.pair()
        bsb.send("OUT")
        bsb.expect_closed(allowed=["OUT"], what="OUT on the SB: server closes (5.6)")
        asb.expect("BYE %s" % B, what="BYE handle to the others (5.6)")
        # another session gets another id (5.1)
        other = self.open_sb(b)
        c = self.s.on("carol")
        sid_other, _ = self.call(other, c)
        self.assertNotEqual(sid_other, sid, "session ids are unique on the SB (5.1)")
        # the remaining participant may CAL again in the same session (5.6)
        sid2, cookie = self.call(asb, b)
        self.assertEqual(sid2, sid)
        self.answer(b, sid, cookie, [(A, A)])
        asb.expect("JOI %s %s" % (B, B))

    def test_tcp_drop_bye(self):
        a, b, asb, bsb, sid = self.pair()
        bsb.close()
        asb.expect("BYE %s" % B, what="dropped TCP -> BYE (5.6)")

    def test_ns_session_end_closes_sb(self):
        a, b, asb, bsb, sid = self.pair()
        b.send("OUT")
        bsb.expect_closed(allowed=[r"BYE .*", "OUT"], what="NS session ended: its SB connections close (5.6)")
        asb.expect("BYE %s" % B, what="(5.6)")

    def test_three_party(self):
        a, b, asb, bsb, sid = self.pair()
        c = self.s.on("carol")
        sid2, cookie = self.call(asb, c)
        self.assertEqual(sid2, sid)
        csb = self.answer(c, sid, cookie, [(A, A), (B, B)])
        asb.expect("JOI %s %s" % (C, C))
        bsb.expect("JOI %s %s" % (C, C))
        for sender, others in ((csb, (asb, bsb)), (bsb, (asb, csb)), (asb, (bsb, csb))):
            self.send_msg(sender, "N", TEXT)
            for o in others:
                self.expect_msg(o, sender, TEXT)
            sender.sb_quiet()
        # bob invites dave: IRO lists all three
        d = self.s.on("dave")
        sid3, cookie = self.call(bsb, d)
        self.assertEqual(sid3, sid)
        dsb = self.answer(d, sid, cookie, [(A, A), (B, B), (C, C)])
        for x in (asb, bsb, csb):
            x.expect("JOI %s %s" % (D, D))
        bsb.send("OUT")
        for x in (asb, csb, dsb):
            x.expect("BYE %s" % B)


class TimeoutTest(SbBase):

    def test_sb_idle_timeout(self):
        s = self.make_server(args=["--sb-idle-timeout", "2"])
        self.s = s
        a, b, asb, bsb, sid = self.pair()
        start = time.monotonic()
        la = asb.expect_closed(timeout=15, allowed=[r"BYE %s 1" % B], what="--sb-idle-timeout 2 (5.6)")
        lb = bsb.expect_closed(timeout=15, allowed=[r"BYE %s 1" % A], what="--sb-idle-timeout 2 (5.6)")
        self.assertGreater(time.monotonic() - start, 1.0)
        self.assertTrue(la or lb, "the others receive 'BYE handle 1' (5.6)")

    def test_sb_alone_timeout(self):
        s = self.make_server(args=["--sb-alone-timeout", "2"])
        self.s = s
        a = s.on("alice")
        asb = self.open_sb(a)
        start = time.monotonic()
        asb.expect_closed(timeout=15, allowed=[r"BYE %s 1" % A, "OUT"], what="--sb-alone-timeout 2 (5.6)")
        self.assertGreater(time.monotonic() - start, 1.0)


class LimitsTest(SbBase):

    def test_too_many_sessions_714(self):
        self.s = self.make_server(args=["--sb-max-sessions", "2"])
        a = self.s.on("alice")
        self.open_sb(a)
        self.open_sb(a)
        t = a.cmd("XFR {t} SB")
        a.expect("714 %d" % t, what="XFR SB beyond --sb-max-sessions 2 -> 714 (5.2)")

    def test_xfr_cookie_expires(self):
        self.s = self.make_server(args=["--sb-ticket-ttl", "1"])
        a = self.s.on("alice")
        port, cookie = self.xfr(a)
        time.sleep(2.5)
        sb = self.s.connect("late")
        sb.send("USR 1 %s %s" % (A, cookie))
        sb.expect("911 1", what="XFR SB cookie used after --sb-ticket-ttl (5.2)")
        sb.expect_closed()

    def test_rng_cookie_expires(self):
        self.s = self.make_server(args=["--rng-ticket-ttl", "1"])
        a = self.s.on("alice")
        b = self.s.on("bob")
        asb = self.open_sb(a)
        sid, cookie = self.call(asb, b)
        time.sleep(2.5)
        bsb = self.s.connect("late")
        bsb.send("ANS 1 %s %s %s" % (B, cookie, sid))
        bsb.expect("911 1", what="RNG cookie used after --rng-ticket-ttl (5.4)")
        bsb.expect_closed()

    def test_flood_limit_disconnects(self):
        """More than --sb-flood-limit MSGs in a second: the sender is
        dropped (abuse -> disconnect, DESIGN.md 6); the others stay."""
        self.s = self.make_server(args=["--sb-flood-limit", "20"])
        a, b, asb, bsb, sid = self.pair()
        payload = b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nx"
        asb.send_raw(b"".join(b"MSG %d U %d\r\n" % (i + 10, len(payload)) + payload for i in range(200)))
        got = 0
        while True:
            ln = bsb.try_recv(2.0)
            if ln is None or not ln.text.startswith("MSG "):
                break
            got += 1
        self.assertLessEqual(got, 20, "at most the limit is relayed before the cut")
        self.assertGreater(got, 0)
        asb.expect_closed(allowed=[r".*"], what="the flooding connection is closed")
        self.assertTrue(bsb.is_open(), "the other member stays connected")

    def test_slow_sb_reader_dropped(self):
        self.s = self.make_server(args=["--output-limit", "65536", "--sb-flood-limit", "0"])
        a = self.s.on("alice")
        b = self.s.on("bob")
        asb = self.open_sb(a)
        sid, cookie = self.call(asb, b)
        bsb = self.s.connect("bob-sb", rcvbuf=4096)
        bsb.send("ANS 1 %s %s %s" % (B, cookie, sid))
        bsb.expect("IRO 1 1 1 %s %s" % (A, A))
        bsb.expect("ANS 1 OK")
        asb.expect("JOI %s %s" % (B, B))
        payload = b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n" + b"z" * 1600
        blob = b"".join(b"MSG %d U %d\r\n" % (i + 10, len(payload)) + payload for i in range(4000))
        err = []

        def sender():
            try:
                asb.sock.settimeout(60)
                asb.sock.sendall(blob)
            except OSError as e:
                err.append(e)

        th = threading.Thread(target=sender, daemon=True)
        th.start()
        # bob never reads; alice must eventually see BYE bob (he was dropped)
        ln = asb.recv(timeout=60)
        self.assertEqual(ln.text, "BYE %s" % B,
                         "a member that does not read ~6.5 MB of relayed messages is dropped once "
                         "--output-limit 65536 is exceeded (DESIGN.md 2, 5.6)")
        th.join(60)
        self.assertFalse(th.is_alive())


class NameAndSessionEndTest(SbBase):

    def test_rng_current_name_iro_frozen(self):
        """RNG carries the inviter's current friendly name (5.4); IRO/MSG use the
        name the member had when it joined (5.3, 5.7, 11.2)."""
        a = self.s.on("alice")
        b = self.s.on("bob")
        asb = self.open_sb(a)                      # joins as alice@example.com
        t = a.cmd("REA {t} %s Alice%%20Two" % A)
        a.expect_re(r"REA %d \d+ %s Alice%%20Two" % (t, A))
        b.barrier()
        sid, cookie = self.call(asb, b, caller_name="Alice%20Two")
        bsb = self.answer(b, sid, cookie, [(A, A)])
        asb.expect("JOI %s %s" % (B, B))
        self.send_msg(asb, "U", TEXT)
        self.expect_msg(bsb, asb, TEXT)

    def test_oth_closes_old_sb_connections(self):
        a, b, asb, bsb, sid = self.pair()
        a2 = self.s.log_in("alice", name="alice2")
        a.expect("OUT OTH")
        asb.expect_closed(allowed=[r"BYE .*", "OUT.*"],
                          what="the kicked NS session's SB connections close (5.6)")
        bsb.expect("BYE %s" % A, what="BYE for the member whose NS session ended (5.6)")

    def test_sb_garbage(self):
        self.s.on("alice")
        samples = [b"USR\r\n", b"USR 1\r\n", b"USR 1 alice@example.com\r\n",
                   b"USR 1 alice@example.com " + b"9" * 7000 + b"\r\n",
                   b"ANS 1 alice@example.com 1.2.3 notanumber\r\n",
                   b"ANS 1 alice@example.com 1.2.3 99999999999999999999999\r\n",
                   b"ANS\r\n", b"USR 1 \xff\xfe 1.2.3\r\n", b"\x00" * 100 + b"\r\n",
                   b"USR 1 alice@example.com 1.2.3 extra tokens here\r\n"]
        for i, data in enumerate(samples):
            with self.subTest(sample=data[:40]):
                c = self.s.connect("sbg%d" % i)
                try:
                    c.send_raw(data)
                except h.ConnectionClosed:
                    pass
                c.expect_closed(allowed=[r"\d{3} \S+"], what="bad SB opening line: error and/or close (5.1)")
                self.assertServerAlive(self.s)
        a, b, asb, bsb, sid = self.pair("carol", "dave")


class Msnp9DataTest(SbBase):

    def test_ack_d(self):
        a = self.s.on("alice", dialect="MSNP9")
        b = self.s.on("bob", dialect="MSNP9")
        asb = self.open_sb(a)
        sid, cookie = self.call(asb, b)
        bsb = self.answer(b, sid, cookie, [(A, A)])
        asb.expect("JOI %s %s" % (B, B))
        p2p = (b"MIME-Version: 1.0\r\nContent-Type: application/x-msnmsgrp2p\r\nP2P-Dest: bob@example.com\r\n\r\n"
               + bytes(48) + b"\x00\x00\x00\x00")
        t = self.send_msg(asb, "D", p2p)
        self.expect_msg(bsb, a, p2p)
        asb.expect("ACK %d" % t, what="D delivered -> ACK (5.7)")
        t = self.send_msg(asb, "D", TEXT)
        asb.expect("282 %d" % t, what="D with a non-P2P payload -> 282 (5.7)")
        asb.expect_closed(what="282 then close (5.7)")
        bsb.expect("BYE %s" % A, what="the malformed D is not relayed")


if __name__ == "__main__":
    h.main()
