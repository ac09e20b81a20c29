"""Smaller rules: SND (7.5), payload commands the server rejects (1.5), TrID range
(1.3, 1.8), encoding on ADD/PRP (1.7, 3.4, 3.6), MSNP8 CHG with msnobj (4.2),
password truncation (2.6.2)."""

import msgrd_harness as h

A, B, C = (h.hnd(n) for n in ("alice", "bob", "carol"))


class MiscTest(h.ServerTestCase):
    USERS = h.users("alice", "bob", "carol")

    def setUp(self):
        self.s = self.make_server()

    def test_snd(self):
        a = self.s.log_in("alice")
        t = a.cmd("SND {t} friend@example.org 0x0409 MSMSGS MSMSGS")
        a.expect_one_of(["SND %d OK" % t, "502 %d" % t], what="SND -> 'SND TrID OK' (or 502 if disabled) (7.5)")
        a.assert_quiet()

    def test_snd_malformed(self):
        a = self.s.log_in("alice")
        t = a.cmd("SND {t} not-an-address 0x0409 MSMSGS MSMSGS")
        a.expect("503 %d" % t, what="malformed SND -> 503 then close (7.5)")
        a.expect_closed()

    def test_rejected_payload_command_consumes_payload(self):
        a = self.s.log_in("alice")
        body = b"PNG\r\nUSR 99 TWN I x@example.com\r\n"   # must be swallowed as payload
        t = a.next_trid()
        a.send_payload("PAG %d bob@example.com %d" % (t, len(body)), body)
        ln = a.recv()
        self.assertRegex(ln.text, r"^\d{3} %d$" % t, "PAG is refused with an error reply (1.5, 12)")
        a.assert_quiet("the announced bytes were consumed, stream still in sync (1.5)")

    def test_trid_range(self):
        a = self.s.log_in("alice")
        a.send("SYN 4294967295 1")
        a.expect("SYN 4294967295 1", what="largest TrID is echoed (1.3)")
        a.send("SYN 4294967296 1")
        a.expect_closed(allowed=[r"\d{3} .*"], what="TrID above 2^32-1: we close (1.8)")

    def test_add_stored_name_canonical(self):
        a = self.s.log_in("alice")
        t = a.cmd("ADD {t} FL %s %%42%%6f%%62%%20%%28x%%29 0" % B)
        a.expect("ADD %d FL 2 %s Bob%%20(x) 0" % (t, B), what="fully %-encoded stored name echoed canonically (1.7)")
        t = a.cmd("SYN {t} 0")
        syn = h.read_syn(a, t)
        self.assertEqual(h.lst_map(syn)[B][0], "Bob%20(x)")

    def test_prp_length_counts_decoded_bytes(self):
        a = self.s.log_in("alice")
        t = a.cmd("PRP {t} PHH " + "%39" * 95)
        a.expect("PRP %d 2 PHH %s" % (t, "9" * 95), what="95 bytes after decoding is allowed (3.4)")

    def test_rem_fl_group_out_of_range_closes(self):
        a = self.s.log_in("alice")
        t = a.cmd("ADD {t} FL %s %s 0" % (B, B))
        a.expect("ADD %d FL 2 %s %s 0" % (t, B, B))
        a.cmd("REM {t} FL %s 30" % B)
        a.expect_closed(allowed=[r"\d{3} \d+"], what="group id outside 0..29 closes (3.8)")

    def test_msnp8_chg_with_msnobj(self):
        c9 = self.s.log_in("carol", dialect="MSNP9")
        t = c9.cmd("ADD {t} FL %s %s 0" % (A, A))
        c9.expect("ADD %d FL 2 %s %s 0" % (t, A, A))
        c9.go_online()
        a = self.s.log_in("alice")
        c9.barrier()
        obj = "%3Cmsnobj%20Creator%3D%22alice%40example.com%22%2F%3E"
        t = a.cmd("CHG {t} NLN 0 " + obj)
        a.expect("CHG %d NLN 0 %s" % (t, obj), what="the reply echoes exactly what was sent (4.2)")
        a.expect_re(r"CHL 0 \d+")
        c9.expect_lines(["NLN NLN %s %s 0" % (A, A)],
                        what="msnobj from an MSNP8 session is ignored: not forwarded even to MSNP9 (4.2)")


class TruncatedPasswordTest(h.ServerTestCase):
    LONG = "0123456789abcdefXYZW"
    USERS = {A: LONG}

    def test_default_requires_full_password(self):
        s = self.make_server()
        st, hdrs, ticket = s.passport_login(A, self.LONG[:16], s.challenge_for(A))
        self.assertEqual(st, 401, "without --truncate-password the 16-character prefix is not accepted")
        st, hdrs, ticket = s.passport_login(A, self.LONG, s.challenge_for(A))
        self.assertEqual(st, 200)

    def test_truncate_password(self):
        # Passwords are stored hashed, so the 16-character form has to be hashed
        # when the password is set: 'user add' gets the option too.
        s = self.make_server(args=["--truncate-password"], users={}, start=False)
        p = s.cli("user", "add", A, "--data-dir", s.data_dir, "--truncate-password", *h.ARGON2,
                  stdin=(self.LONG + "\n").encode())
        self.assertEqual(p.returncode, 0, "user add --truncate-password: %r" % p.stderr)
        s.start()
        st, hdrs, ticket = s.passport_login(A, self.LONG[:16], s.challenge_for(A))
        self.assertEqual(st, 200, "--truncate-password accepts the first 16 characters (2.6.2)")
        st, hdrs, ticket = s.passport_login(A, self.LONG, s.challenge_for(A))
        self.assertEqual(st, 200, "and still the full password")
        st, hdrs, ticket = s.passport_login(A, self.LONG[:15], s.challenge_for(A))
        self.assertEqual(st, 401)


if __name__ == "__main__":
    h.main()
