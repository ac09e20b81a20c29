"""Contact lists: SYN, GTC, BLP, PRP/BPR, ADD, REM, ADG/RMG/REG, REA, RL mirroring,
list versions (msnp.md 3, 1.7, 4.8)."""

import time

import msgrd_harness as h

A, B, C, D = (h.hnd(n) for n in ("alice", "bob", "carol", "dave"))
ALL = h.users("alice", "bob", "carol", "dave")


class ListTestBase(h.ServerTestCase):
    USERS = ALL

    def setUp(self):
        self.s = self.make_server()

    def ok(self, c, cmd, reply_fmt, what=None):
        """Send cmd (with {t}); expect reply_fmt formatted with t."""
        t = c.cmd(cmd)
        c.expect(reply_fmt.format(t=t), what=what)
        return t

    def err(self, c, cmd, code, what=None):
        t = c.cmd(cmd)
        c.expect("%d %d" % (code, t), what=what)
        return t

    def closes(self, cmd, what, login="alice", allowed=None):
        c = self.s.log_in(login, name="%s-close" % login)
        c.cmd(cmd)
        c.expect_closed(allowed=allowed, what=what)
        self.assertServerAlive(self.s)
        self.s.log_in(login, name="%s-after" % login).assert_quiet()

    def syn(self, c, version=0):
        t = c.cmd("SYN {t} %d" % version)
        return h.read_syn(c, t)

    def assertVersion(self, c, v, what=""):
        t = c.cmd("SYN {t} %d" % v)
        c.expect("SYN %d %d" % (t, v), what="list version must be %d %s (msnp.md 3.2, 3.11)" % (v, what))


class SynTest(ListTestBase):

    def test_new_account_full_dump(self):
        a = self.s.log_in("alice")
        t = a.cmd("SYN {t} 0")
        a.expect("SYN %d 1 0 1" % t, what="new account: version 1, 0 users, 1 group (msnp.md 3.2, 3.11)")
        a.expect("GTC A", what="default GTC A (3.1)")
        a.expect("BLP AL", what="default BLP AL (3.1)")
        a.expect("LSG 0 Other%20Contacts 0", what="group 0 'Other Contacts' (3.2)")
        a.assert_quiet("nothing after the dump")

    def test_current_version_short_reply(self):
        a = self.s.log_in("alice")
        self.ok(a, "SYN {t} 1", "SYN {t} 1", what="matching version: only 'SYN TrID ver' (3.2)")
        a.assert_quiet()
        # a stale (higher or lower) version gets a full dump; SYN may be sent again
        s = self.syn(a, 0)
        self.assertFalse(s["short"])
        s = self.syn(a, 7)
        self.assertFalse(s["short"], "client version differing from server's -> full dump")
        self.assertEqual(s["version"], 1)

    def test_full_dump_exact(self):
        a = self.s.log_in("alice")
        self.ok(a, "GTC {t} N", "GTC {t} 2 N")
        self.ok(a, "BLP {t} BL", "BLP {t} 3 BL")
        self.ok(a, "PRP {t} PHH 555", "PRP {t} 4 PHH 555")
        self.ok(a, "PRP {t} MOB Y", "PRP {t} 5 MOB Y")
        self.ok(a, "ADG {t} Friends 0", "ADG {t} 6 Friends 1 0")
        self.ok(a, "ADD {t} FL %s %s 1" % (B, B), "ADD {t} FL 7 %s %s 1" % (B, B))
        self.ok(a, "ADD {t} AL %s %s" % (B, B), "ADD {t} AL 8 %s %s" % (B, B))
        self.ok(a, "ADD {t} BL %s Dave%%20D" % D, "ADD {t} BL 9 %s Dave%%20D" % D)
        a.send("OUT")
        a.close()
        c = self.s.log_in("carol")
        self.ok(c, "ADD {t} FL %s %s 0" % (A, A), "ADD {t} FL 2 %s %s 0" % (A, A))   # alice v10 (RL)
        b = self.s.log_in("bob")
        self.ok(b, "PRP {t} PHW 777", "PRP {t} 3 PHW 777")   # alice watches bob and is allowed: v11
        a = self.s.log_in("alice")
        t = a.cmd("SYN {t} 0")
        a.expect("SYN %d 11 3 2" % t, what="version 11, 3 contacts, 2 groups (msnp.md 3.2, 3.4, 3.11)")
        a.expect("GTC N")
        a.expect("BLP BL")
        a.expect("PRP PHH 555", what="own properties in order PHH, PHW, PHM, MOB, only set ones (3.2)")
        a.expect("PRP MOB Y")
        got_lsg = sorted([a.recv().text, a.recv().text])
        self.assertEqual(got_lsg, ["LSG 0 Other%20Contacts 0", "LSG 1 Friends 0"])
        rest = [l.text for l in a.barrier()]
        # LST order is not specified; every LST is followed by its BPRs
        blocks = {}
        cur = None
        for ln in rest:
            if ln.startswith("LST "):
                cur = ln
                blocks[cur] = []
            elif ln.startswith("BPR ") and cur is not None:
                blocks[cur].append(ln)
            else:
                self.fail("unexpected line in SYN dump: %r (all: %r)" % (ln, rest))
        self.assertEqual(blocks, {
            "LST %s %s 3 1" % (B, B): ["BPR PHW 777"],
            "LST %s %s 8" % (C, C): [],
            "LST %s Dave%%20D 4" % D: [],
        }, "LST lines with bits and groups (only with FL), BPR after the contact (msnp.md 3.2, 3.4)")
        self.assertVersion(a, 11)

    def test_offline_changes_bump_version(self):
        b = self.s.log_in("bob")
        self.ok(b, "ADD {t} FL %s %s 0" % (A, A), "ADD {t} FL 2 %s %s 0" % (A, A))
        c = self.s.log_in("carol")
        self.ok(c, "ADD {t} FL %s %s 0" % (A, A), "ADD {t} FL 2 %s %s 0" % (A, A))
        self.ok(c, "REM {t} FL %s" % A, "REM {t} FL 3 %s" % A)
        a = self.s.log_in("alice")
        s = self.syn(a, 0)
        self.assertEqual(s["version"], 4, "three RL changes while offline: 1 + 3 (msnp.md 3.11)")
        self.assertEqual(h.lst_map(s)[B][1], 8)
        self.assertNotIn(C, h.lst_map(s))
        self.assertEqual(s["users"], 1)


class PrivacySettingTest(ListTestBase):

    def test_gtc_blp(self):
        a = self.s.log_in("alice")
        self.ok(a, "GTC {t} N", "GTC {t} 2 N", what="msnp.md 3.3")
        self.err(a, "GTC {t} N", 218, what="same value -> 218 (3.3)")
        self.ok(a, "GTC {t} A", "GTC {t} 3 A")
        self.ok(a, "BLP {t} BL", "BLP {t} 4 BL")
        self.err(a, "BLP {t} BL", 218)
        self.ok(a, "BLP {t} AL", "BLP {t} 5 AL")
        self.err(a, "BLP {t} AL", 218)
        s = self.syn(a)
        self.assertEqual((s["version"], s["gtc"], s["blp"]), (5, "A", "AL"))

    def test_gtc_bad_value_closes(self):
        self.closes("GTC {t} X", "GTC with a bad argument closes (msnp.md 3.3)")

    def test_blp_bad_value_closes(self):
        self.closes("BLP {t} FL", "BLP with a bad argument closes (msnp.md 3.3)")


class PrpTest(ListTestBase):

    def test_prp_set_clear_and_dump(self):
        a = self.s.log_in("alice")
        self.ok(a, "PRP {t} PHH 555%20123%204567", "PRP {t} 2 PHH 555%20123%204567", what="msnp.md 3.4")
        self.ok(a, "PRP {t} PHW %31%32%33", "PRP {t} 3 PHW 123", what="echo in canonical encoding (1.7)")
        self.ok(a, "PRP {t} PHM 555%20987%206543", "PRP {t} 4 PHM 555%20987%206543")
        self.ok(a, "PRP {t} MOB Y", "PRP {t} 5 MOB Y")
        self.ok(a, "PRP {t} PHW", "PRP {t} 6 PHW", what="missing value clears (3.4)")
        for bad in ("MBE Y", "WWE 1", "XYZ 1"):
            self.err(a, "PRP {t} " + bad, 715, what="PRP %s -> 715 (3.4)" % bad)
        s = self.syn(a)
        self.assertEqual(s["version"], 6)
        self.assertEqual(s["prp"], ["PRP PHH 555%20123%204567", "PRP PHM 555%20987%206543", "PRP MOB Y"],
                         "own properties, set ones only, in order PHH PHW PHM MOB (3.2)")

    def test_prp_95_bytes_ok(self):
        a = self.s.log_in("alice")
        self.ok(a, "PRP {t} PHH " + "9" * 95, "PRP {t} 2 PHH " + "9" * 95)

    def test_prp_96_bytes_closes(self):
        self.closes("PRP {t} PHH " + "9" * 96, "phone number over 95 bytes closes (msnp.md 3.4, 1.8)")

    def test_prp_long_type_closes(self):
        self.closes("PRP {t} PHHH 1", "PRP type longer than 3 characters closes (msnp.md 3.4)")

    def test_prp_mfn_alias(self):
        a = self.s.log_in("alice")
        self.ok(a, "PRP {t} MFN Alice%20M", "REA {t} 2 %s Alice%%20M" % A,
                what="PRP MFN is accepted as REA self, answered in REA form (3.4)")


class AddRemTest(ListTestBase):

    def test_add_fl_al_bl(self):
        a = self.s.log_in("alice")
        self.ok(a, "ADD {t} FL %s %s 0" % (B, B), "ADD {t} FL 2 %s %s 0" % (B, B), what="msnp.md 3.6")
        self.ok(a, "ADD {t} AL %s %s" % (B, B), "ADD {t} AL 3 %s %s" % (B, B))
        self.err(a, "ADD {t} BL %s %s" % (B, B), 219, what="AL/BL conflict (3.6)")
        self.err(a, "ADD {t} FL %s %s 0" % (B, B), 215, what="already on FL in that group")
        self.err(a, "ADD {t} AL %s %s" % (B, B), 215, what="already on AL")
        self.ok(a, "ADD {t} BL %s %s" % (C, C), "ADD {t} BL 4 %s %s" % (C, C))
        self.err(a, "ADD {t} AL %s %s" % (C, C), 219)
        self.err(a, "ADD {t} BL %s %s" % (C, C), 215)
        s = self.syn(a)
        self.assertEqual(s["version"], 4)
        m = h.lst_map(s)
        self.assertEqual(set(m), {B, C})
        self.assertEqual(m[B][:3], (B, 3, "0"))
        self.assertEqual(m[C][:3], (C, 4, None))
        self.assertEqual(m[C][4], 4, "no group field without FL (3.5)")
        b = self.s.log_in("bob")
        s = self.syn(b)
        self.assertEqual(s["version"], 2, "bob's RL gained alice: his version 1 -> 2 (3.6, 3.11)")
        self.assertEqual(h.lst_map(s)[A][:3], (A, 8, None))

    def test_add_fl_without_group(self):
        a = self.s.log_in("alice")
        t = a.cmd("ADD {t} FL %s %s" % (B, B))
        a.expect_one_of(["ADD %d FL 2 %s %s 0" % (t, B, B), "ADD %d FL 2 %s %s" % (t, B, B)],
                        what="gid omitted -> group 0 (3.6)")
        self.assertEqual(h.lst_map(self.syn(a))[B][:3], (B, 1, "0"))

    def test_add_errors(self):
        a = self.s.log_in("alice")
        for bad in ("a@b", "nohandle", "@example.com", "x" * 130 + "@example.com", "bob@", "b%20b@example.com"):
            with self.subTest(handle=bad):
                self.err(a, "ADD {t} FL %s %s 0" % (bad, "name"), 201, what="invalid handle (3.6)")
        self.err(a, "ADD {t} FL nobody@example.com nobody@example.com 0", 205, what="no such account (3.6)")
        self.err(a, "ADD {t} AL nobody@example.com nobody@example.com", 205)
        self.err(a, "ADD {t} FL %s %s 7" % (B, B), 224, what="group does not exist (3.6)")
        self.assertVersion(a, 1, "after failed ADDs")

    def test_add_group_out_of_range_closes(self):
        self.closes("ADD {t} FL %s %s 30" % (B, B), "group id outside 0..29 closes (msnp.md 3.8)")

    def test_add_rl_closes(self):
        self.closes("ADD {t} RL %s %s" % (B, B), "ADD RL closes (msnp.md 3.1 inv. 5, 3.6)")

    def test_add_unknown_list_closes(self):
        self.closes("ADD {t} XL %s %s" % (B, B), "ADD to an unknown list closes (3.6)")

    def test_rem_rl_closes(self):
        b = self.s.log_in("bob")
        self.ok(b, "ADD {t} FL %s %s 0" % (A, A), "ADD {t} FL 2 %s %s 0" % (A, A))
        self.closes("REM {t} RL %s" % B, "REM RL closes (3.7)")

    def test_rem_unknown_list_closes(self):
        self.closes("REM {t} ZZ %s" % B, "REM from an unknown list closes (3.7)")

    def test_fl_limit(self):
        s = self.make_server(args=["--fl-limit", "2"])
        a = s.log_in("alice")
        self.ok(a, "ADD {t} FL %s %s 0" % (B, B), "ADD {t} FL 2 %s %s 0" % (B, B))
        self.ok(a, "ADD {t} FL %s %s 0" % (C, C), "ADD {t} FL 3 %s %s 0" % (C, C))
        self.err(a, "ADD {t} FL %s %s 0" % (D, D), 210, what="FL full with --fl-limit 2 (3.6)")
        self.ok(a, "ADD {t} AL %s %s" % (D, D), "ADD {t} AL 4 %s %s" % (D, D))

    def test_al_bl_limits(self):
        s = self.make_server(args=["--al-limit", "1", "--bl-limit", "1"])
        a = s.log_in("alice")
        self.ok(a, "ADD {t} AL %s %s" % (B, B), "ADD {t} AL 2 %s %s" % (B, B))
        self.err(a, "ADD {t} AL %s %s" % (C, C), 210, what="AL full with --al-limit 1")
        self.ok(a, "ADD {t} BL %s %s" % (C, C), "ADD {t} BL 3 %s %s" % (C, C))
        self.err(a, "ADD {t} BL %s %s" % (D, D), 210, what="BL full with --bl-limit 1")

    def test_fl_groups_and_rem(self):
        a = self.s.log_in("alice")
        self.ok(a, "ADG {t} Friends 0", "ADG {t} 2 Friends 1 0")
        self.ok(a, "ADD {t} FL %s %s 0" % (B, B), "ADD {t} FL 3 %s %s 0" % (B, B))
        self.ok(a, "ADD {t} FL %s %s 1" % (B, B), "ADD {t} FL 4 %s %s 1" % (B, B),
                what="already on FL, other group: adds membership (3.6)")
        self.err(a, "ADD {t} FL %s %s 1" % (B, B), 215)
        self.assertEqual(h.lst_map(self.syn(a))[B][2], "0,1", "group list '0,1' (3.2)")
        self.ok(a, "REM {t} FL %s 0" % B, "REM {t} FL 5 %s 0" % B, what="removes one membership (3.7)")
        self.assertEqual(h.lst_map(self.syn(a))[B][:3], (B, 1, "1"))
        self.err(a, "REM {t} FL %s 0" % B, 225, what="not in that group (3.7)")
        self.err(a, "REM {t} FL %s 5" % B, 224, what="no such group (3.7)")
        self.ok(a, "REM {t} FL %s 1" % B, "REM {t} FL 6 %s 1" % B)
        s = self.syn(a)
        self.assertEqual(s["users"], 0, "removing the last group removes the contact from FL (3.1 inv. 3, 10.16)")
        self.err(a, "REM {t} FL %s" % B, 216, what="not on FL (3.7)")
        b = self.s.log_in("bob")
        s = self.syn(b)
        self.assertEqual((s["version"], s["users"]), (3, 0), "bob: RL +alice (v2) then -alice (v3)")

    def test_rem_al_bl_and_errors(self):
        a = self.s.log_in("alice")
        self.err(a, "REM {t} AL %s" % B, 216)
        self.err(a, "REM {t} BL %s" % B, 216)
        self.err(a, "REM {t} FL %s" % B, 216)
        self.ok(a, "ADD {t} AL %s %s" % (B, B), "ADD {t} AL 2 %s %s" % (B, B))
        self.err(a, "REM {t} BL %s" % B, 216)
        self.ok(a, "REM {t} AL %s" % B, "REM {t} AL 3 %s" % B)
        self.ok(a, "ADD {t} BL %s %s" % (B, B), "ADD {t} BL 4 %s %s" % (B, B),
                what="block after leaving AL (3.12)")
        self.ok(a, "REM {t} BL %s" % B, "REM {t} BL 5 %s" % B)
        s = self.syn(a)
        self.assertEqual((s["version"], s["users"]), (5, 0), "entries with no bits are deleted (3.1 inv. 4)")

    def test_add_self(self):
        a = self.s.log_in("alice")
        t = a.cmd("ADD {t} FL %s %s 0" % (A, A))
        m = a.expect_re(r"ADD %d FL (\d+) %s %s 0" % (t, A, A), what="adding oneself is accepted (3.6)")
        lines = a.barrier()
        for ln in lines:
            self.assertRegex(ln.text, r"ADD 0 RL \d+ %s %s" % (A, A))
        s = self.syn(a)
        self.assertEqual(h.lst_map(s)[A][:3], (A, 9, "0"), "own handle on FL and RL (3.6)")


class AsyncRlTest(ListTestBase):

    def test_add_rem_rl_to_online_user(self):
        a = self.s.log_in("alice")
        b = self.s.log_in("bob")
        c = self.s.log_in("carol")
        self.ok(a, "REA {t} %s Alice%%20A." % A, "REA {t} 2 %s Alice%%20A." % A)
        self.ok(a, "ADD {t} FL %s %s 0" % (B, B), "ADD {t} FL 3 %s %s 0" % (B, B))
        b.expect_lines(["ADD 0 RL 2 %s Alice%%20A." % A],
                       what="ADD 0 RL <bob's version> <alice> <alice's friendly name> (msnp.md 3.10)")
        self.ok(a, "REM {t} FL %s" % B, "REM {t} FL 4 %s" % B)
        b.expect_lines(["REM 0 RL 3 %s" % A], what="REM 0 RL (msnp.md 3.10)")
        # AL/BL changes do not produce RL lines
        self.ok(a, "ADD {t} AL %s %s" % (B, B), "ADD {t} AL 5 %s %s" % (B, B))
        self.ok(a, "ADD {t} BL %s %s" % (C, C), "ADD {t} BL 6 %s %s" % (C, C))
        b.assert_quiet("after ADD AL")
        c.assert_quiet("after ADD BL")
        a.assert_quiet()
        self.assertVersion(b, 3)

    def test_iln_after_add_fl(self):
        b = self.s.log_in("bob")
        self.ok(b, "REA {t} %s Bob%%20B." % B, "REA {t} 2 %s Bob%%20B." % B)
        b.go_online("NLN", "4")
        c = self.s.on("carol", "HDN")
        d = self.s.log_in("dave")
        self.ok(d, "BLP {t} BL", "BLP {t} 2 BL")
        d.go_online("NLN")
        a = self.s.on("alice")
        t = a.cmd("ADD {t} FL %s %s 0" % (B, B))
        a.expect("ADD %d FL 2 %s %s 0" % (t, B, B))
        a.expect("ILN %d NLN %s Bob%%20B. 4" % (t, B),
                 what="ILN with the ADD's TrID, current friendly name, caps (msnp.md 3.6, 4.3)")
        a.assert_quiet()
        b.expect_lines(["ADD 0 RL 3 %s %s" % (A, A)])
        self.ok(a, "ADD {t} FL %s %s 0" % (C, C), "ADD {t} FL 3 %s %s 0" % (C, C))
        a.assert_quiet("no ILN for a HDN contact (4.3)")
        self.ok(a, "ADD {t} FL %s %s 0" % (D, D), "ADD {t} FL 4 %s %s 0" % (D, D))
        a.assert_quiet("no ILN for a contact with BLP BL that has not allowed alice (4.7)")
        d.expect_lines(["ADD 0 RL 3 %s %s" % (A, A)])
        self.ok(d, "ADD {t} AL %s %s" % (A, A), "ADD {t} AL 4 %s %s" % (A, A))
        a.expect_lines(["NLN NLN %s %s 0" % (D, D)], what="dave now allows alice (4.8)")


class GroupTest(ListTestBase):

    def test_adg_rmg_reg(self):
        a = self.s.log_in("alice")
        self.ok(a, "ADG {t} Work 0", "ADG {t} 2 Work 1 0", what="ADG reply: version name gid 0 (3.8)")
        self.ok(a, "ADG {t} Play", "ADG {t} 3 Play 2 0", what="trailing 0 may be absent (3.8)")
        self.ok(a, "ADG {t} Work 0", "ADG {t} 4 Work 3 0", what="duplicate names allowed in MSNP8 (3.8)")
        self.ok(a, "RMG {t} 2", "RMG {t} 5 2")
        self.ok(a, "ADG {t} New%20One 0", "ADG {t} 6 New%20One 2 0", what="lowest free id (3.8)")
        self.ok(a, "REG {t} 2 Renamed 0", "REG {t} 7 2 Renamed 0", what="REG reply: version gid name 0 (3.8)")
        self.ok(a, "REG {t} 0 Buddies", "REG {t} 8 0 Buddies 0", what="group 0 may be renamed (3.8)")
        self.err(a, "REG {t} 9 X 0", 224)
        self.err(a, "RMG {t} 9", 224)
        self.err(a, "RMG {t} 0", 230, what="RMG 0 -> 230 (3.8)")
        s = self.syn(a)
        self.assertEqual(s["version"], 8)
        self.assertEqual(sorted(s["lsg"]), ["LSG 0 Buddies 0", "LSG 1 Work 0", "LSG 2 Renamed 0", "LSG 3 Work 0"])

    def test_group_name_canonical(self):
        a = self.s.log_in("alice")
        self.ok(a, "ADG {t} %57ork%2c%20x 0", "ADG {t} 2 Work%2C%20x 1 0",
                what="group name echoed in canonical encoding (1.7)")

    def test_30_groups(self):
        a = self.s.log_in("alice")
        for i in range(1, 30):
            self.ok(a, "ADG {t} G%d 0" % i, "ADG {t} %d G%d %d 0" % (i + 1, i, i))
        self.err(a, "ADG {t} Extra 0", 223, what="30 groups exist -> 223 (3.8)")
        self.assertVersion(a, 30)

    def test_name_length(self):
        a = self.s.log_in("alice")
        n61 = "x" * 61
        n62 = "x" * 62
        sp61 = "%20" * 20 + "x"
        sp62 = "%20" * 20 + "xy"
        self.ok(a, "ADG {t} %s 0" % n61, "ADG {t} 2 %s 1 0" % n61, what="61-byte name accepted (3.8)")
        self.err(a, "ADG {t} %s 0" % n62, 229, what="62-byte name -> 229 (3.8, 1.8)")
        self.ok(a, "ADG {t} %s 0" % sp61, "ADG {t} 3 %s 2 0" % sp61, what="61 bytes encoded")
        self.err(a, "ADG {t} %s 0" % sp62, 229, what="62 bytes encoded -> 229")
        self.err(a, "ADG {t} This%20is%20a%20very%20long%20group%20name%20that%20will%20not%20fit 0", 229)
        self.err(a, "REG {t} 1 %s 0" % n62, 229, what="REG too long -> 229 (3.8)")
        self.assertVersion(a, 3)

    def test_rmg_out_of_range_closes(self):
        self.closes("RMG {t} 30", "group id outside 0..29 closes (msnp.md 3.8)")

    def test_reg_out_of_range_closes(self):
        self.closes("REG {t} 31 X 0", "group id outside 0..29 closes (msnp.md 3.8)")

    def test_rmg_removes_only_members(self):
        b = self.s.log_in("bob")
        a = self.s.log_in("alice")
        self.ok(a, "ADG {t} Work 0", "ADG {t} 2 Work 1 0")
        self.ok(a, "ADD {t} FL %s %s 1" % (B, B), "ADD {t} FL 3 %s %s 1" % (B, B))
        self.ok(a, "ADD {t} FL %s %s 1" % (C, C), "ADD {t} FL 4 %s %s 1" % (C, C))
        self.ok(a, "ADD {t} FL %s %s 0" % (C, C), "ADD {t} FL 5 %s %s 0" % (C, C))
        b.expect_lines(["ADD 0 RL 2 %s %s" % (A, A)])
        self.ok(a, "RMG {t} 1", "RMG {t} 6 1")
        b.expect_lines(["REM 0 RL 3 %s" % A],
                       what="contacts only in the removed group leave FL, with RL side effects (3.8)")
        m = h.lst_map(self.syn(a))
        self.assertNotIn(B, m)
        self.assertEqual(m[C][:3], (C, 1, "0"))


class ReaTest(ListTestBase):

    def test_rea_self_and_encoding(self):
        a = self.s.log_in("alice")
        self.ok(a, "REA {t} %s Alice%%20(busy%%20coding)" % A, "REA {t} 2 %s Alice%%20(busy%%20coding)" % A,
                what="msnp.md 3.9")
        self.ok(a, "REA {t} %s %%41%%6C%%69%%63%%65" % A, "REA {t} 3 %s Alice" % A,
                what="fully %-encoded name echoed canonically (1.7)")
        self.ok(a, "REA {t} %s Zo%%c3%%ab" % A, "REA {t} 4 %s Zo%%C3%%AB" % A, what="upper-case hex (1.7)")
        self.ok(a, "REA {t} %s a+b%%2c" % A, "REA {t} 5 %s a%%2Bb%%2C" % A, what="'+' is not a space (1.7)")
        a.send("OUT")
        a2 = self.s.login(A, self.USERS[A], name="alice2")
        self.assertEqual(a2.friendly, "a%2Bb%2C", "USR OK carries the current friendly name (2.4)")

    def test_rea_latin1_transcoded(self):
        a = self.s.log_in("alice")
        self.ok(a, "REA {t} %s Zo%%EB" % A, "REA {t} 2 %s Zo%%C3%%AB" % A,
                what="invalid UTF-8 is taken as Windows-1252/ISO-8859-1 and transcoded (1.7)")

    def test_rea_contact(self):
        a = self.s.log_in("alice")
        self.ok(a, "ADD {t} FL %s %s 0" % (B, B), "ADD {t} FL 2 %s %s 0" % (B, B))
        self.ok(a, "REA {t} %s Bob%%20B." % B, "REA {t} 3 %s Bob%%20B." % B, what="stored name change (3.9)")
        self.err(a, "REA {t} zed@example.com Zed", 216, what="not on any list (3.9)")
        self.err(a, "REA {t} %s Carol" % C, 216, what="existing account on none of alice's lists")
        m = h.lst_map(self.syn(a))
        self.assertEqual(m[B][:3], ("Bob%20B.", 1, "0"), "LST shows the stored name (3.5, 3.9)")

    def test_rea_length(self):
        a = self.s.log_in("alice")
        self.ok(a, "REA {t} %s %s" % (A, "a" * 387), "REA {t} 2 %s %s" % (A, "a" * 387),
                what="387-byte name accepted (1.8)")
        self.err(a, "REA {t} %s %s" % (A, "a" * 388), 209, what="388 bytes encoded -> 209 (3.9, 1.8)")
        self.err(a, "REA {t} %s %s" % (A, "%20" * 130), 209, what="390 bytes encoded -> 209")

    def test_rea_rate_limit(self):
        s = self.make_server(args=["--rea-limit", "2"])
        a = s.log_in("alice")
        self.ok(a, "ADD {t} FL %s %s 0" % (B, B), "ADD {t} FL 2 %s %s 0" % (B, B))
        self.ok(a, "REA {t} %s One" % A, "REA {t} 3 %s One" % A)
        self.ok(a, "REA {t} %s Two" % A, "REA {t} 4 %s Two" % A)
        self.err(a, "REA {t} %s Three" % A, 800, what="more than --rea-limit own-name changes (3.9)")
        self.ok(a, "REA {t} %s Bobby" % B, "REA {t} 5 %s Bobby" % B, what="contact renames are not limited")
        self.assertVersion(a, 5)


class BprTest(ListTestBase):

    def test_bpr_pushed_to_allowed_watchers(self):
        b = self.s.log_in("bob")
        a = self.s.log_in("alice")
        d = self.s.log_in("dave")
        c = self.s.on("carol")
        self.ok(a, "ADD {t} FL %s %s 0" % (B, B), "ADD {t} FL 2 %s %s 0" % (B, B))  # bob v2
        self.ok(d, "ADD {t} FL %s %s 0" % (B, B), "ADD {t} FL 2 %s %s 0" % (B, B))  # bob v3
        b.expect_lines(["ADD 0 RL 2 %s %s" % (A, A), "ADD 0 RL 3 %s %s" % (D, D)])
        self.ok(b, "ADD {t} BL %s %s" % (D, D), "ADD {t} BL 4 %s %s" % (D, D))
        a.go_online()
        d.go_online()
        self.ok(b, "PRP {t} PHH 555%201234", "PRP {t} 5 PHH 555%201234")
        a.expect_lines(["BPR 3 %s PHH 555%%201234" % B],
                       what="BPR <alice's new version> bob PHH value to a watcher bob allows (3.4, 4.8)")
        d.assert_quiet("bob blocks dave: no BPR (4.7 rule 8)")
        c.assert_quiet("carol does not watch bob")
        self.ok(b, "PRP {t} PHH", "PRP {t} 6 PHH")
        a.expect_lines(["BPR 4 %s PHH" % B], what="cleared property")
        self.ok(b, "PRP {t} PHM 123", "PRP {t} 7 PHM 123")
        a.expect_lines(["BPR 5 %s PHM 123" % B])
        self.assertVersion(a, 5)
        self.assertVersion(d, 2, "blocked watcher's version is not bumped (3.4)")
        s = self.syn(a)
        self.assertEqual(h.lst_map(s)[B][3], ["BPR PHM 123"], "BPR replayed after the LST in SYN (3.2)")


class LegacyListTest(ListTestBase):

    def test_standalone_lst_lsg(self):
        a = self.s.log_in("alice")
        self.ok(a, "ADD {t} FL %s %s 0" % (B, B), "ADD {t} FL 2 %s %s 0" % (B, B))
        self.ok(a, "ADD {t} FL %s %s 0" % (C, C), "ADD {t} FL 3 %s %s 0" % (C, C))
        t = a.cmd("LST {t} FL")
        got = [a.recv().text, a.recv().text]
        idx = sorted(g.split(" ")[4] for g in got)
        self.assertEqual(idx, ["1", "2"], "index runs 1..total (3.5): %r" % got)
        self.assertEqual(sorted(" ".join(g.split(" ")[:4] + g.split(" ")[5:]) for g in got),
                         sorted(["LST %d FL 3 2 %s %s 0" % (t, B, B), "LST %d FL 3 2 %s %s 0" % (t, C, C)]),
                         "LST TrID list version index total handle name groups (3.5)")
        t = a.cmd("LST {t} BL")
        a.expect("LST %d BL 3 0 0" % t, what="empty list (3.5)")
        t = a.cmd("LSG {t}")
        a.expect("LSG %d 3 1 1 0 Other%%20Contacts 0" % t, what="legacy LSG (3.5)")


class SynInterleaveTest(ListTestBase):

    def test_async_lines_not_interleaved_in_dump(self):
        """msnp.md 3.2: our server queues asynchronous output for the session until
        the SYN dump is complete."""
        import threading
        a = self.s.log_in("alice")
        for i in range(1, 30):
            t = a.cmd("ADG {t} Group%d 0" % i)
            a.expect("ADG %d %d Group%d %d 0" % (t, i + 1, i, i))
        for who in (C, D):
            t = a.cmd("ADD {t} FL %s %s %d" % (who, who, 5))
            a.expect_re(r"ADD %d FL \d+ %s %s 5" % (t, who, who))
        b = self.s.log_in("bob")
        stop = []

        def churn():
            for i in range(300):
                if stop:
                    return
                try:
                    b.send("ADD %d FL %s %s 0" % (1000 + 2 * i, A, A))
                    b.send("REM %d FL %s" % (1001 + 2 * i, A))
                except AssertionError:
                    return
                time.sleep(0.002)

        th = threading.Thread(target=churn, daemon=True)
        th.start()
        try:
            for _ in range(15):
                t = a.cmd("SYN {t} 0")
                res = h.read_syn(a, t, barrier=False, skip_async=True)   # fails on any foreign line inside the dump
                self.assertEqual(res["groups"], 30)
        finally:
            stop.append(1)
            th.join(10)


if __name__ == "__main__":
    h.main()
