"""MSN Alerts (msnp.md 7.1) through `msgrd alert send` and the admin
endpoint (token-authenticated, loopback)."""

import os
import re
import urllib.request
import urllib.error

import msgrd_harness as h

A = h.hnd("alice")


class AlertTest(h.ServerTestCase):
    USERS = h.users("alice", "bob")

    def setUp(self):
        self.s = self.make_server()

    def alert(self, *args):
        return self.s.cli("alert", "send", *args, "--data-dir", self.s.data_dir)

    def test_alert_reaches_signed_in_user(self):
        a = self.s.log_in("alice")
        a.go_online()
        p = self.alert(A, "Your build & tests <passed>", "--url", "http://example.net/b?x=1&y=2")
        self.assertEqual(p.returncode, 0, p.stderr)
        ln = a.recv()
        self.assertEqual(ln.tokens[0], "NOT", ln.text)
        self.assertEqual(len(ln.payload), int(ln.tokens[1]))
        xml = ln.payload.decode("utf-8")
        self.assertTrue(xml.startswith("<NOTIFICATION "), xml)
        self.assertIn('name="%s"' % A, xml)
        self.assertIn("<TEXT>Your build &amp; tests &lt;passed&gt;</TEXT>", xml)
        self.assertIn('<ACTION url="http://example.net/b?x=1&amp;y=2"', xml)
        self.assertRegex(xml, r'pid="0x[0-9A-F]{8}:0x[0-9A-F]{8}"')

    def test_not_signed_in_is_an_error(self):
        p = self.alert(h.hnd("bob"), "hello")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(b"not signed in", p.stderr)
        self.assertEqual(len(p.stderr.decode().strip().splitlines()), 1)

    def test_usage_and_bad_text(self):
        p = self.alert(A)
        self.assertNotEqual(p.returncode, 0)
        a = self.s.log_in("alice")
        p = self.alert(A, "x" * 2000)
        self.assertNotEqual(p.returncode, 0, "text longer than the 1024-byte BODY is refused")
        a.assert_quiet("nothing delivered for a refused alert")

    def admin_url(self):
        with open(os.path.join(self.s.data_dir, "admin-address")) as f:
            return "http://" + f.read().strip()

    def test_admin_endpoint_needs_the_token(self):
        token_path = os.path.join(self.s.data_dir, "admin-token")
        self.assertEqual(os.stat(token_path).st_mode & 0o777, 0o600)
        self.assertTrue(self.admin_url().startswith("http://127.0.0.1:"))
        req = urllib.request.Request(self.admin_url() + "/status")
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(req, timeout=5)
        self.assertEqual(cm.exception.code, 401)
        req.add_header("Authorization", "Bearer " + "0" * 64)
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(req, timeout=5)
        self.assertEqual(cm.exception.code, 401)
        with open(token_path) as f:
            token = f.read().strip()
        self.s.log_in("alice")
        req = urllib.request.Request(self.admin_url() + "/status",
                                     headers={"Authorization": "Bearer " + token})
        with urllib.request.urlopen(req, timeout=5) as r:
            self.assertEqual(r.status, 200)
            self.assertRegex(r.read().decode(), r"online 1")


if __name__ == "__main__":
    h.main()
