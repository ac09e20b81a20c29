"""CHL / QRY client challenge (msnp.md 2.10)."""

import re
import time

import msgrd_harness as h

A = h.hnd("alice")


class ChallengeVectors(h.ServerTestCase):
    """Self-check of the test helper against the spec's test vectors."""

    def test_vectors(self):
        self.assertEqual(h.qry_answer("29409134351025259292"), "d0c1178c689350104350d99f8c36ed9c")
        self.assertEqual(h.qry_answer("12345678901234567890"), "8ba1bb9d6dbf624fee31a2053af5fdd0")
        self.assertEqual(h.qry_answer("15570131571988941333", "VT6PX?UQTM4WM%YR"),
                         "ca90e6a7c94a14aae7b3ae0f6018433e")


class ChallengeTest(h.ServerTestCase):
    USERS = h.users("alice")

    def first_chg(self, s):
        a = s.log_in("alice")
        t = a.cmd("CHG {t} NLN 0")
        a.expect("CHG %d NLN 0" % t)
        m = a.expect_re(r"CHL 0 (\S+)", what="CHL 0 <challenge> after the first CHG (2.10)")
        return a, m.group(1)

    def test_correct_answer(self):
        s = self.make_server()
        a, chal = self.first_chg(s)
        self.assertRegex(chal, r"^\d{20}$", "conventionally 20 decimal digits (2.10)")
        t = a.cmd("QRY {t} msmsgs@msnmsgr.com 32")
        # the payload goes in a separate write: the reader must wait for it
        a.send_raw(h.qry_answer(chal).encode())
        a.expect("QRY %d" % t, what="correct answer (2.10)")
        a.assert_quiet("no further CHL with --chl-interval default")

    def test_other_known_product(self):
        s = self.make_server()
        a, chal = self.first_chg(s)
        a.answer_challenge(chal, product="PROD0038W!61ZTF9")

    def test_wrong_answer_540(self):
        s = self.make_server()
        a, chal = self.first_chg(s)
        t = a.next_trid()
        a.send_payload("QRY %d msmsgs@msnmsgr.com 32" % t, "0" * 32)
        a.expect("540 %d" % t, what="wrong QRY answer (2.10)")
        a.expect_closed(what="540 is followed by a close (2.10, 1.10)")
        s.log_in("alice", name="alice-after").assert_quiet()

    def test_unknown_product_strict(self):
        s = self.make_server()
        a, chal = self.first_chg(s)
        t = a.next_trid()
        a.send_payload("QRY %d PROD9999XXXXXXXX 32" % t, h.qry_answer(chal, "whatever"))
        a.expect("540 %d" % t, what="unknown product id in strict mode (2.10)")
        a.expect_closed()

    def test_unknown_product_lenient(self):
        s = self.make_server(args=["--chl-lenient"])
        a, chal = self.first_chg(s)
        t = a.next_trid()
        a.send_payload("QRY %d PROD9999XXXXXXXX 32" % t, "0123456789abcdef0123456789abcdef")
        a.expect("QRY %d" % t, what="--chl-lenient accepts unknown product ids (2.10)")
        a.assert_quiet()

    def test_lenient_still_checks_known_product(self):
        s = self.make_server(args=["--chl-lenient"])
        a, chal = self.first_chg(s)
        t = a.next_trid()
        a.send_payload("QRY %d msmsgs@msnmsgr.com 32" % t, "f" * 32)
        a.expect("540 %d" % t, what="a known product with a wrong answer is still refused")
        a.expect_closed()

    def test_no_answer_timeout(self):
        s = self.make_server(args=["--chl-timeout", "2"])
        a, chal = self.first_chg(s)
        start = time.monotonic()
        a.expect_closed(timeout=10, allowed=[r"OUT"], what="no QRY within --chl-timeout 2 (2.10)")
        self.assertGreater(time.monotonic() - start, 1.0, "disconnected too early")

    def test_answer_keeps_session_past_timeout(self):
        s = self.make_server(args=["--chl-timeout", "2"])
        a, chal = self.first_chg(s)
        a.answer_challenge(chal)
        time.sleep(3)
        a.assert_quiet("answered in time: still connected after the timeout")

    def test_periodic_challenge_and_previous_accepted(self):
        s = self.make_server(args=["--chl-interval", "1"])
        a, chal1 = self.first_chg(s)
        a.answer_challenge(chal1)
        m = a.expect_re(r"CHL 0 (\S+)", timeout=8, what="repeated CHL with --chl-interval 1")
        chal2 = m.group(1)
        self.assertNotEqual(chal1, chal2, "a fresh challenge each time")
        # an answer computed over the previous challenge is accepted too (2.10)
        m = a.expect_re(r"CHL 0 (\S+)", timeout=8, what="third CHL")
        chal3 = m.group(1)
        t = a.next_trid()
        a.send_payload("QRY %d msmsgs@msnmsgr.com 32" % t, h.qry_answer(chal2))
        ln = a.recv()
        for _ in range(10):
            if ln.cmd != "CHL":
                break
            ln = a.recv()
        self.assertEqual(ln.text, "QRY %d" % t, "answer over the previous challenge is accepted (2.10)")

    def test_client_requested_chl(self):
        s = self.make_server()
        a = s.log_in("alice")
        t = a.cmd("CHL {t}")
        m = a.expect_re(r"CHL %d (\S+)" % t, what="client CHL TrID -> CHL TrID challenge (2.10)")
        t2 = a.next_trid()
        a.send_payload("QRY %d msmsgs@msnmsgr.com 32" % t2, h.qry_answer(m.group(1)))
        a.expect("QRY %d" % t2)


if __name__ == "__main__":
    h.main()
