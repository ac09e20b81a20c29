"""Presence: CHG, ILN, NLN, FLN, OUT OTH, PNG (msnp.md 2.8, 2.9, 4.1-4.8)."""

import urllib.parse

import msgrd_harness as h

NAMES = ("alice", "bob", "carol", "dave", "eve", "frank", "gina")
A, B, C, D, E, F, G = (h.hnd(n) for n in NAMES)
MSNOBJ = urllib.parse.quote('<msnobj Creator="alice@example.com" Size="21875" Type="3" '
                            'Location="TFR2C.tmp" Friendly="AAA=" SHA1D="q7Lm0Zx3Pw9Ty5Ur1Io2Np4Bv6E="/>',
                            safe="")


def nln(status, who, caps="0", name=None):
    return "NLN %s %s %s %s" % (status, who, name or who, caps)


class PresenceBase(h.ServerTestCase):
    USERS = h.users(*NAMES)

    def setUp(self):
        self.s = self.make_server()

    def add_fl(self, c, who, gid=0):
        t = c.cmd("ADD {t} FL %s %s %d" % (who, who, gid))
        c.expect_re(r"ADD %d FL \d+ %s %s %d" % (t, who, who, gid))
        # an ILN follows if the contact is visible and allows us (3.6)
        return [l.text for l in c.barrier()], t

    def watcher(self, name, *targets, status="NLN", dialect="MSNP8"):
        """Log name in, put targets on its FL, then first CHG."""
        c = self.s.log_in(name, dialect=dialect)
        for tg in targets:
            self.add_fl(c, tg)
        c.go_online(status)
        return c

    def chg(self, c, params):
        t = c.cmd("CHG {t} " + params)
        c.expect("CHG %d %s" % (t, params), what="CHG echo (msnp.md 4.2)")


class ChgTest(PresenceBase):

    def test_every_status_fans_out(self):
        b = self.watcher("bob", A)
        a = self.s.log_in("alice")
        ilns = a.go_online("NLN", "0")
        self.assertEqual(ilns, [])
        b.expect_lines([nln("NLN", A)], what="first CHG to NLN -> NLN to watchers (4.8)")
        for st in ("BSY", "IDL", "BRB", "AWY", "PHN", "LUN"):
            with self.subTest(status=st):
                self.chg(a, st + " 0")
                b.expect_lines([nln(st, A)], what="status change %s (4.8)" % st)
        self.chg(a, "HDN 0")
        b.expect_lines(["FLN %s" % A], what="non-HDN -> HDN: FLN (4.5, 4.8)")
        self.chg(a, "AWY 0")
        b.expect_lines([nln("AWY", A)], what="HDN -> non-HDN: NLN (4.8)")

    def test_chg_errors(self):
        a = self.s.log_in("alice")
        for bad in ("FLN", "XYZ", "FLN 0", "NLNX 0"):
            with self.subTest(status=bad):
                t = a.cmd("CHG {t} " + bad)
                a.expect("201 %d" % t, what="CHG %s -> 201 (msnp.md 4.2, 10.2)" % bad)
        a.assert_quiet()
        a.go_online("NLN", "0")

    def test_chg_without_caps(self):
        b = self.watcher("bob", A)
        a = self.s.log_in("alice")
        a.go_online("BSY", None)
        b.expect_lines([nln("BSY", A, "0")], what="CHG without caps: stored as 0 (4.2)")

    def test_caps_forwarded_and_no_fanout_without_change(self):
        b = self.watcher("bob", A)
        a = self.s.log_in("alice")
        a.go_online("NLN", "28")
        b.expect_lines([nln("NLN", A, "28")])
        self.chg(a, "NLN 28")
        b.assert_quiet("a CHG that changes nothing produces no fan-out (4.2)")
        self.chg(a, "NLN 268435492")
        b.expect_lines([nln("NLN", A, "268435492")], what="caps change -> NLN (4.8)")

    def test_chg_rate_limit(self):
        s = self.make_server(args=["--chg-limit", "3"])
        a = s.log_in("alice")
        a.go_online("NLN", "0")
        self.chg(a, "BSY 0")
        self.chg(a, "AWY 0")
        t = a.cmd("CHG {t} BRB 0")
        a.expect("800 %d" % t, what="more than --chg-limit 3 CHGs in 10 s (msnp.md 4.2, 1.10)")


class IlnTest(PresenceBase):

    def test_first_chg_iln_burst(self):
        b = self.s.on("bob", "BSY", "4")
        self.s.on("carol", "HDN", "0")
        self.s.log_in("dave")                       # authenticated, no CHG
        f = self.s.log_in("frank")
        t = f.cmd("BLP {t} BL")
        f.expect("BLP %d 2 BL" % t)
        f.go_online("NLN")
        g = self.s.log_in("gina")
        t = g.cmd("ADD {t} BL %s %s" % (A, A))
        g.expect("ADD %d BL 2 %s %s" % (t, A, A))
        g.go_online("NLN")
        a = self.s.log_in("alice")
        for who in (B, C, D, E, F, G):
            self.add_fl(a, who)
        ilns = a.go_online("NLN", "0")
        self.assertEqual([l.text for l in ilns], ["ILN %d BSY %s %s 4" % (a.trid - 1, B, B)],
                         "ILN only for online, non-HDN contacts that allow alice; 6 tokens for MSNP8 (4.3, 4.7)")
        self.assertEqual(a.extra, [], "nothing but ILNs between the CHG echo and CHL (4.2)")

    def test_first_chg_hdn_gets_iln_but_sends_nothing(self):
        b = self.watcher("bob", A)
        c = self.s.on("carol", "AWY", "0")
        a = self.s.log_in("alice")
        self.add_fl(a, C)
        ilns = a.go_online("HDN", "0")
        self.assertEqual([l.text for l in ilns], ["ILN %d AWY %s %s 0" % (a.trid - 1, C, C)],
                         "a HDN session still receives ILN (4.7 rule 1)")
        b.assert_quiet("first CHG to HDN: nothing to others (4.8)")
        c.expect_lines(["ADD 0 RL 2 %s %s" % (A, A)])
        self.chg(c, "BSY 0")
        a.expect_lines([nln("BSY", C)], what="HDN watcher receives NLN (4.7 rule 1)")

    def test_viewer_block_does_not_hide_contact(self):
        """allows(O, V) depends only on O's lists (4.7): alice blocking bob does not
        stop alice from seeing bob."""
        b = self.s.on("bob", "AWY")
        a = self.s.on("alice")
        t = a.cmd("ADD {t} BL %s %s" % (B, B))
        a.expect_re(r"ADD %d BL \d+ %s %s" % (t, B, B))
        lines, t = self.add_fl(a, B)
        self.assertEqual(lines, ["ILN %d AWY %s %s 0" % (t, B, B)], "ILN after ADD FL despite alice's BL")
        a.send("OUT")
        a = self.s.log_in("alice", name="alice2")
        b.barrier()
        ilns = a.go_online("NLN")
        self.assertEqual([l.text for l in ilns], ["ILN %d AWY %s %s 0" % (a.trid - 1, B, B)],
                         "ILN for bob although alice has bob on her BL (4.7)")
        self.chg(b, "BSY 0")
        a.expect_lines([nln("BSY", B)], what="NLN for bob although alice blocks bob (4.7)")

    def test_no_presence_before_first_chg(self):
        b = self.s.log_in("bob")
        self.add_fl(b, A)
        a = self.s.on("alice", "NLN")
        self.chg(a, "BSY 0")
        b.assert_quiet("session without CHG gets no NLN/FLN (4.7 rule 1)")
        ilns = b.go_online("NLN")
        self.assertEqual([l.text for l in ilns], ["ILN %d BSY %s %s 0" % (b.trid - 1, A, A)])


class IlnBeforeChgTest(PresenceBase):

    def test_iln_after_add_fl_before_first_chg(self):
        """3.6 / 4.8: 'V adds O to FL: ILN to V (same TrID) if V_sees(O)' has no
        condition on V having sent CHG (4.7 rule 1 only covers NLN/FLN)."""
        self.s.on("alice", "BSY")
        b = self.s.log_in("bob")
        lines, t = self.add_fl(b, A)
        self.assertEqual(lines, ["ILN %d BSY %s %s 0" % (t, A, A)],
                         "ILN after ADD FL from a session that has not sent CHG yet (3.6, 4.3, 4.8)")


class Msnp9Test(PresenceBase):

    def test_msnobj_rendering_per_dialect(self):
        b = self.watcher("bob", A)                        # MSNP8
        c = self.watcher("carol", A, dialect="MSNP9")     # MSNP9
        a = self.s.log_in("alice", dialect="MSNP9")
        a.go_online("NLN", "268435500", msnobj=MSNOBJ)
        b.expect_lines([nln("NLN", A, "268435500")],
                       what="MSNP8 watcher never gets msnobj: 5 parameters (4.4, 4.6)")
        c.expect_lines([nln("NLN", A, "268435500") + " " + MSNOBJ],
                       what="MSNP9 watcher gets msnobj (4.4)")
        # ILN on the watchers' first CHG
        d8 = self.s.log_in("dave")
        d8.go_online("NLN")
        lines, t = self.add_fl(d8, A)
        self.assertEqual(lines, ["ILN %d NLN %s %s 268435500" % (t, A, A)], "ILN after ADD FL, MSNP8 (3.6, 4.3)")
        d8.send("OUT")
        d8 = self.s.log_in("dave", name="dave2")
        il = d8.go_online("NLN")
        self.assertEqual([l.text for l in il], ["ILN %d NLN %s %s 268435500" % (d8.trid - 1, A, A)])
        e9 = self.s.log_in("eve", dialect="MSNP9")
        e9.go_online("NLN")
        lines, t = self.add_fl(e9, A)
        self.assertEqual(lines, ["ILN %d NLN %s %s 268435500 %s" % (t, A, A, MSNOBJ)], "ILN after ADD FL, MSNP9")
        e9.send("OUT")
        e9 = self.s.log_in("eve", name="eve2", dialect="MSNP9")
        il = e9.go_online("NLN")
        self.assertEqual([l.text for l in il], ["ILN %d NLN %s %s 268435500 %s" % (e9.trid - 1, A, A, MSNOBJ)])
        # dropping the picture: MSNP9 NLN without msnobj
        a.barrier()   # ADD 0 RL lines from dave and eve
        self.chg(a, "NLN 268435500")
        c.expect_lines([nln("NLN", A, "268435500")], what="NLN without msnobj = no picture (4.4)")
        b.expect_lines([nln("NLN", A, "268435500")])


class FlnTest(PresenceBase):

    def test_fln_on_socket_close(self):
        b = self.watcher("bob", A)
        a = self.s.on("alice", "BSY")
        b.expect_lines([nln("BSY", A)])
        a.close()
        b.expect_lines(["FLN %s" % A], what="session drop -> FLN (4.5, 4.8)", grace=0.3)

    def test_fln_on_out(self):
        b = self.watcher("bob", A)
        a = self.s.on("alice")
        b.expect_lines([nln("NLN", A)])
        a.send("OUT")
        a.expect_closed(allowed=["OUT"])
        b.expect_lines(["FLN %s" % A], what="OUT -> FLN (2.8, 4.8)")

    def test_no_fln_when_hidden_session_ends(self):
        b = self.watcher("bob", A)
        a = self.s.on("alice", "HDN")
        a.send("OUT")
        a.expect_closed(allowed=["OUT"])
        b.assert_quiet("HDN user leaving was not visible: no FLN (4.8)")

    def test_duplicate_login(self):
        """Minimum: old session gets OUT OTH and closes, the new one works, watchers
        end up with the right state and see no NLN for the not-yet-visible session."""
        b = self.watcher("bob", A)
        a1 = self.s.on("alice", "NLN")
        b.expect_lines([nln("NLN", A)])
        a2 = self.s.log_in("alice", name="alice2")
        a1.expect("OUT OTH", what="msnp.md 2.4, 2.8")
        a1.expect_closed()
        got = [l.text for l in b.barrier()]
        self.assertIn(got, ([], ["FLN %s" % A]), "watcher after the takeover: at most one FLN, no NLN")
        a2.go_online("AWY")
        b.expect_lines([nln("AWY", A)])
        a2.assert_quiet()
        a2.send("OUT")
        b.expect_lines(["FLN %s" % A], what="the new session leaving -> FLN (4.8)")

    def test_duplicate_login_fln_per_4_8(self):
        """Strict 4.8: the kicked session was visible; the new one has not sent CHG,
        so alice is not visible (4.7 visible()) and bob must get FLN."""
        b = self.watcher("bob", A)
        a1 = self.s.on("alice", "NLN")
        b.expect_lines([nln("NLN", A)])
        self.s.log_in("alice", name="alice2")
        a1.expect("OUT OTH")
        a1.expect_closed()
        b.expect_lines(["FLN %s" % A],
                       what="'session ends (... kicked by OTH) while visible -> FLN O to was-visible watchers' "
                            "and the new session has not sent its first CHG (4.7 visible(), 4.8)")

    def test_rea_self_nln(self):
        b = self.watcher("bob", A)
        a = self.s.on("alice", "BRB", "4")
        b.expect_lines([nln("BRB", A, "4")])
        t = a.cmd("REA {t} %s Alice%%20(lunch)" % A)
        a.expect_re(r"REA %d \d+ %s Alice%%20\(lunch\)" % (t, A))
        b.expect_lines([nln("BRB", A, "4", "Alice%20(lunch)")], what="REA self -> NLN with new name (3.9, 4.8)")
        self.chg(a, "HDN 4")
        b.expect_lines(["FLN %s" % A])
        t = a.cmd("REA {t} %s Hidden" % A)
        a.expect_re(r"REA %d \d+ %s Hidden" % (t, A))
        b.assert_quiet("REA while HDN: nothing (4.8)")
        self.chg(a, "NLN 4")
        b.expect_lines([nln("NLN", A, "4", "Hidden")])


class PngTest(PresenceBase):

    def test_png_after_login(self):
        a = self.s.log_in("alice")
        a.send("PNG")
        a.expect("QNG", what="MSNP8 QNG without parameter (2.9)")
        a9 = self.s.log_in("bob", dialect="MSNP9")
        a9.send("PNG")
        a9.expect("QNG 50", what="MSNP9 QNG 50 (2.9)")


if __name__ == "__main__":
    h.main()
