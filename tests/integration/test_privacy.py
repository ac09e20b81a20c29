"""Privacy matrix and transitions (msnp.md 3.3, 4.7, 4.8).

Viewer A has B on its FL. C also has B on its FL but is on none of B's
lists. D is online and unrelated to B: it must never hear about B.
Absence of lines is checked with a PNG/QNG barrier.
"""

import itertools

import msgrd_harness as h

COMBOS = list(itertools.product(("AL", "BL"), ("AL", "BL", None), ("NLN", "HDN")))


def combo_users(i):
    return tuple(h.hnd("%s%d" % (r, i)) for r in ("a", "b", "c", "d"))


def allows(blp, on_al, on_bl):
    """msnp.md 4.7: allows(O, V) := V not in O.BL and (V in O.AL or O.BLP == AL)"""
    return (not on_bl) and (on_al or blp == "AL")


def nln(status, who, name=None, caps="0"):
    return "NLN %s %s %s %s" % (status, who, name or who, caps)


ALL_USERS = {}
for _i in range(len(COMBOS)):
    for _u in combo_users(_i):
        ALL_USERS[_u] = h.pw_for(_u)
for _r in ("ta", "tb", "tc", "td"):
    ALL_USERS[h.hnd(_r)] = h.pw_for(_r)


class PrivacyMatrixTest(h.ServerTestCase):
    USERS = ALL_USERS

    @classmethod
    def setUpClass(cls):
        cls.server = h.Server(users=ALL_USERS)
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def login(self, handle, tag):
        return self.server.login(handle, h.pw_for(handle), name=tag)

    def ok(self, c, cmd, pattern):
        t = c.cmd(cmd)
        c.expect_re(pattern.format(t=t))

    def test_matrix(self):
        for i, (blp, a_list, status) in enumerate(COMBOS):
            with self.subTest(BLP=blp, A_on=a_list or "neither", B_status=status):
                self.run_combo(i, blp, a_list, status)

    def run_combo(self, i, blp, a_list, status):
        A, B, C, D = combo_users(i)
        label = "B.BLP=%s, A on B's %s, B status %s" % (blp, a_list or "no list", status)
        b = self.login(B, "B[%s]" % label)
        a = self.login(A, "A[%s]" % label)
        c = self.login(C, "C[%s]" % label)
        d = self.login(D, "D[%s]" % label)
        if blp == "BL":
            self.ok(b, "BLP {t} BL", r"BLP {t} \d+ BL")
        if a_list:
            self.ok(b, "ADD {t} %s %s %s" % (a_list, A, A), r"ADD {t} %s \d+ %s %s" % (a_list, A, A))
        self.ok(a, "ADD {t} FL %s %s 0" % (B, B), r"ADD {t} FL \d+ %s %s 0" % (B, B))
        self.ok(c, "ADD {t} FL %s %s 0" % (B, B), r"ADD {t} FL \d+ %s %s 0" % (B, B))
        b.barrier()   # ADD 0 RL lines
        for v in (a, c, d):
            ilns = v.go_online("NLN")
            self.assertEqual(ilns, [], "%s: B has not sent CHG yet, no ILN" % label)
        visible = status != "HDN"
        a_allowed = allows(blp, a_list == "AL", a_list == "BL")
        c_allowed = allows(blp, False, False)
        a_sees = visible and a_allowed
        c_sees = visible and c_allowed

        # 1. B's first CHG: NLN to watchers that B allows (4.8 row 1, 2)
        b.go_online(status)
        a.expect_lines([nln(status, B)] if a_sees else [], what="%s: A after B's first CHG" % label)
        c.expect_lines([nln(status, B)] if c_sees else [], what="%s: C after B's first CHG" % label)
        d.assert_quiet("%s: D is unrelated" % label)

        # 2. A signs in again: ILN on the first CHG (4.3, 4.7 rule 2)
        a.send("OUT")
        a.expect_closed(allowed=["OUT"])
        a = self.login(A, "A2[%s]" % label)
        ilns = a.go_online("NLN")
        want = ["ILN %d %s %s %s 0" % (a.trid - 1, status, B, B)] if a_sees else []
        self.assertEqual([l.text for l in ilns], want, "%s: ILN burst of A's first CHG" % label)

        # 3. A and C re-add B: ILN after ADD FL iff they see B (3.6, 4.8)
        self.ok(a, "REM {t} FL %s" % B, r"REM {t} FL \d+ %s" % B)
        t = a.cmd("ADD {t} FL %s %s 0" % (B, B))
        a.expect_re(r"ADD %d FL \d+ %s %s 0" % (t, B, B))
        a.expect_lines(["ILN %d %s %s %s 0" % (t, status, B, B)] if a_sees else [],
                       what="%s: ILN after A's ADD FL" % label)
        self.ok(c, "REM {t} FL %s" % B, r"REM {t} FL \d+ %s" % B)
        t = c.cmd("ADD {t} FL %s %s 0" % (B, B))
        c.expect_re(r"ADD %d FL \d+ %s %s 0" % (t, B, B))
        c.expect_lines(["ILN %d %s %s %s 0" % (t, status, B, B)] if c_sees else [],
                       what="%s: ILN after C's ADD FL" % label)
        b.barrier()   # REM/ADD 0 RL
        d.assert_quiet("%s: D is unrelated" % label)

        # 4. B leaves: FLN only to those that saw B (4.8)
        b.send("OUT")
        b.expect_closed(allowed=["OUT"])
        a.expect_lines(["FLN %s" % B] if a_sees else [], what="%s: A when B signs out" % label)
        c.expect_lines(["FLN %s" % B] if c_sees else [], what="%s: C when B signs out" % label)
        d.assert_quiet("%s: D is unrelated" % label)
        for x in (a, c, d):
            x.send("OUT")
            x.close()


class PrivacyTransitionTest(h.ServerTestCase):
    USERS = {h.hnd(r): h.pw_for(r) for r in ("ta", "tb", "tc", "td")}

    def test_transitions(self):
        s = self.make_server()
        A, B, C, D = (h.hnd(r) for r in ("ta", "tb", "tc", "td"))
        a = s.log_in("ta", name="A")
        c = s.log_in("tc", name="C")
        d = s.log_in("td", name="D")
        b = s.log_in("tb", name="B")
        for v in (a, c):
            t = v.cmd("ADD {t} FL %s %s 0" % (B, B))
            v.expect("ADD %d FL 2 %s %s 0" % (t, B, B))
        b.expect_lines(["ADD 0 RL 2 %s %s" % (A, A), "ADD 0 RL 3 %s %s" % (C, C)])
        for v in (a, c, d):
            v.go_online("NLN")
        b.go_online("NLN")
        self.step(b, None, a, c, d, [nln("NLN", B)], [nln("NLN", B)], "B comes online")

        def cmd(line, pattern):
            t = b.cmd(line)
            b.expect_re(pattern.format(t=t))

        cmd("ADD {t} BL %s %s" % (A, A), r"ADD {t} BL 4 %s %s" % (A, A))
        self.step(b, None, a, c, d, ["FLN %s" % B], [], "B blocks A while visible (4.8)")
        cmd("REM {t} BL %s" % A, r"REM {t} BL 5 %s" % A)
        self.step(b, None, a, c, d, [nln("NLN", B)], [], "B unblocks A (4.8)")
        cmd("CHG {t} HDN 0", r"CHG {t} HDN 0")
        self.step(b, None, a, c, d, ["FLN %s" % B], ["FLN %s" % B], "B goes HDN (4.8)")
        cmd("ADD {t} BL %s %s" % (A, A), r"ADD {t} BL 6 %s %s" % (A, A))
        cmd("REM {t} BL %s" % A, r"REM {t} BL 7 %s" % A)
        cmd("BLP {t} BL", r"BLP {t} 8 BL")
        cmd("BLP {t} AL", r"BLP {t} 9 AL")
        self.step(b, None, a, c, d, [], [], "privacy changes while HDN reveal nothing (4.7 rule 6)")
        cmd("CHG {t} NLN 0", r"CHG {t} NLN 0")
        self.step(b, None, a, c, d, [nln("NLN", B)], [nln("NLN", B)], "B back from HDN (4.8)")
        cmd("ADD {t} AL %s %s" % (A, A), r"ADD {t} AL 10 %s %s" % (A, A))
        # A was already allowed: an NLN repeat is tolerated, nothing else
        got = [l.text for l in a.barrier()]
        self.assertIn(got, ([], [nln("NLN", B)]), "A after ADD AL while already allowed: %r" % got)
        c.assert_quiet("C is not concerned by B's ADD AL A")
        d.assert_quiet()
        cmd("BLP {t} BL", r"BLP {t} 11 BL")
        self.step(b, None, a, c, d, [], ["FLN %s" % B], "BLP AL -> BL: FLN to watchers not on AL (4.8)")
        cmd("BLP {t} AL", r"BLP {t} 12 AL")
        self.step(b, None, a, c, d, [], [nln("NLN", B)], "BLP BL -> AL: NLN to newly allowed (4.8)")
        cmd("BLP {t} BL", r"BLP {t} 13 BL")
        self.step(b, None, a, c, d, [], ["FLN %s" % B], "BLP AL -> BL again")
        cmd("REM {t} AL %s" % A, r"REM {t} AL 14 %s" % A)
        self.step(b, None, a, c, d, ["FLN %s" % B], [], "removed from AL under BLP BL (4.8)")
        cmd("ADD {t} AL %s %s" % (A, A), r"ADD {t} AL 15 %s %s" % (A, A))
        self.step(b, None, a, c, d, [nln("NLN", B)], [], "added to AL under BLP BL (4.8)")
        cmd("REA {t} %s Bee" % B, r"REA {t} 16 %s Bee" % B)
        self.step(b, None, a, c, d, [nln("NLN", B, "Bee")], [], "REA self: NLN only to allowed watchers (4.8)")
        cmd("PRP {t} PHH 123", r"PRP {t} 17 PHH 123")
        self.step(b, None, a, c, d, ["BPR 3 %s PHH 123" % B], [], "PRP: BPR only to allowed watchers (4.7 rule 8)")
        cmd("CHG {t} BSY 0", r"CHG {t} BSY 0")
        self.step(b, None, a, c, d, [nln("BSY", B, "Bee")], [], "status change under BLP BL")
        b.close()
        self.step(None, None, a, c, d, ["FLN %s" % B], [], "B's connection drops (4.8)")

    def test_blocked_and_hidden_watchers(self):
        """A on B's BL stays blind through BLP switches; a HDN watcher still gets
        NLN/FLN/BPR (4.7 rule 1)."""
        s = self.make_server()
        A, B, C, D = (h.hnd(r) for r in ("ta", "tb", "tc", "td"))
        a = s.log_in("ta", name="A")
        c = s.log_in("tc", name="C")
        d = s.log_in("td", name="D")
        b = s.log_in("tb", name="B")
        for v in (a, c):
            t = v.cmd("ADD {t} FL %s %s 0" % (B, B))
            v.expect("ADD %d FL 2 %s %s 0" % (t, B, B))
        b.barrier()
        t = b.cmd("ADD {t} BL %s %s" % (A, A))
        b.expect("ADD %d BL 4 %s %s" % (t, A, A))
        a.go_online("NLN")
        c.go_online("HDN")
        d.go_online("NLN")
        b.go_online("NLN")
        self.step(b, None, a, c, d, [], [nln("NLN", B)], "B online; A blocked, C hidden watcher")
        for i, mode in enumerate(("BL", "AL", "BL", "AL")):
            t = b.cmd("BLP {t} %s" % mode)
            b.expect("BLP %d %d %s" % (t, 5 + i, mode))
            self.step(b, None, a, c, d, [], ["FLN %s" % B] if mode == "BL" else [nln("NLN", B)],
                      "BLP %s with A on BL (4.8)" % mode)
        t = b.cmd("PRP {t} PHW 42")
        b.expect("PRP %d 9 PHW 42" % t)
        self.step(b, None, a, c, d, [], ["BPR 3 %s PHW 42" % B], "BPR to a HDN watcher, not to blocked A")
        t = b.cmd("ADD {t} AL %s %s" % (A, A))
        b.expect("219 %d" % t, what="A is on BL (3.6)")
        b.send("OUT")
        b.expect_closed(allowed=["OUT"])
        self.step(None, None, a, c, d, [], ["FLN %s" % B], "B leaves")

    def step(self, b, _unused, a, c, d, want_a, want_c, what):
        a.expect_lines(want_a, what="A: " + what)
        c.expect_lines(want_c, what="C: " + what)
        d.assert_quiet("D: " + what)
        if b is not None:
            b.assert_quiet("B itself: " + what)


if __name__ == "__main__":
    h.main()
