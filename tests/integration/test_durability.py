"""Durability: every acknowledged list change survives SIGKILL (DESIGN.md 2 'State';
msnp.md 3.2, 3.11)."""

import msgrd_harness as h

A, B, C, D = (h.hnd(n) for n in ("alice", "bob", "carol", "dave"))


class DurabilityTest(h.ServerTestCase):
    USERS = h.users("alice", "bob", "carol", "dave")

    def ok(self, c, cmd, reply):
        t = c.cmd(cmd)
        c.expect(reply.format(t=t))

    def dump(self, s, name):
        c = s.log_in(name, name="%s-syn" % name)
        t = c.cmd("SYN {t} 0")
        res = h.read_syn(c, t)
        c.send("OUT")
        c.close()
        return res

    def canonical(self, syn):
        return (syn["version"], syn["users"], syn["groups"], syn["gtc"], syn["blp"], tuple(syn["prp"]),
                tuple(sorted(syn["lsg"])), tuple(sorted((l, tuple(b)) for l, b in syn["lst"])))

    def run_changes_then_kill(self, args):
        s = self.make_server(args=args)
        a = s.log_in("alice")
        b = s.log_in("bob")
        self.ok(a, "GTC {t} N", "GTC {t} 2 N")
        self.ok(a, "BLP {t} BL", "BLP {t} 3 BL")
        self.ok(a, "PRP {t} PHH 555%20123", "PRP {t} 4 PHH 555%20123")
        self.ok(a, "ADG {t} Friends 0", "ADG {t} 5 Friends 1 0")
        self.ok(a, "ADG {t} Work 0", "ADG {t} 6 Work 2 0")
        self.ok(a, "REG {t} 2 Office 0", "REG {t} 7 2 Office 0")
        self.ok(a, "ADD {t} FL %s Bobby 1" % B, "ADD {t} FL 8 %s Bobby 1" % B)
        self.ok(a, "ADD {t} AL %s Bobby" % B, "ADD {t} AL 9 %s Bobby" % B)
        self.ok(a, "ADD {t} BL %s %s" % (C, C), "ADD {t} BL 10 %s %s" % (C, C))
        self.ok(a, "ADD {t} FL %s %s 0" % (D, D), "ADD {t} FL 11 %s %s 0" % (D, D))
        self.ok(a, "REM {t} FL %s" % D, "REM {t} FL 12 %s" % D)
        self.ok(a, "REA {t} %s Alice%%20A." % A, "REA {t} 13 %s Alice%%20A." % A)
        b.expect_lines(["ADD 0 RL 2 %s %s" % (A, A)])
        self.ok(b, "ADD {t} FL %s %s 0" % (A, A), "ADD {t} FL 3 %s %s 0" % (A, A))   # alice v14
        self.ok(b, "PRP {t} PHM 999", "PRP {t} 4 PHM 999")                          # alice v15 (BPR)
        got = [l.text for l in a.barrier()]
        self.assertIn("ADD 0 RL 14 %s %s" % (B, B), got)
        self.ok(a, "RMG {t} 2", "RMG {t} 16 2")
        # the last acknowledgement is in: kill at once
        s.kill()
        return s

    def check_after_restart(self, s):
        s2 = h.Server(data_dir=s.data_dir, tmp=s.tmp)
        self.addCleanup(s2.cleanup)
        s2.start()
        syn = self.dump(s2, "alice")
        self.assertEqual(syn["version"], 16, "alice's list version after restart (3.11)")
        self.assertEqual((syn["gtc"], syn["blp"]), ("N", "BL"))
        self.assertEqual(syn["prp"], ["PRP PHH 555%20123"])
        self.assertEqual(sorted(syn["lsg"]), ["LSG 0 Other%20Contacts 0", "LSG 1 Friends 0"])
        m = h.lst_map(syn)
        self.assertEqual(set(m), {B, C})
        self.assertEqual(m[B][:4], ("Bobby", 11, "1", ["BPR PHM 999"]))
        self.assertEqual(m[C][:3], (C, 4, None))
        self.assertEqual(syn["users"], 2)
        sb = self.dump(s2, "bob")
        self.assertEqual(sb["version"], 4)
        self.assertEqual(h.lst_map(sb)[A][:3], (A, 9, "0"), "bob: alice on FL and RL")
        sd = self.dump(s2, "dave")
        self.assertEqual((sd["version"], sd["users"]), (3, 0), "dave: RL +alice, -alice")
        a = s2.log_in("alice", name="alice-name")
        self.assertEqual(a.friendly, "Alice%20A.", "friendly name persisted")
        # the short form still works with the persisted version
        t = a.cmd("SYN {t} 16")
        a.expect("SYN %d 16" % t)

    def test_sigkill_sync_full(self):
        s = self.run_changes_then_kill([])
        self.check_after_restart(s)

    def test_sigkill_sync_normal(self):
        # synchronous=NORMAL may lose commits on power loss, never on a process crash
        s = self.run_changes_then_kill(["--sync", "normal"])
        self.check_after_restart(s)

    def test_restart_same_state_twice(self):
        s = self.make_server()
        a = s.log_in("alice")
        self.ok(a, "ADD {t} FL %s %s 0" % (B, B), "ADD {t} FL 2 %s %s 0" % (B, B))
        first = self.canonical(self.dump(s, "alice"))
        self.assertEqual(s.stop(), 0)
        s.start()
        self.assertEqual(self.canonical(self.dump(s, "alice")), first, "clean restart keeps the lists")
        s.kill()
        s.start()
        self.assertEqual(self.canonical(self.dump(s, "alice")), first, "restart after SIGKILL keeps the lists")


if __name__ == "__main__":
    h.main()
