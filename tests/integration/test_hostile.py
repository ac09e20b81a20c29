"""Hostile input: oversize lines, MSG on the NS, absurd payload lengths, garbage,
slow readers, idle connections, password guessing (msnp.md 1.5, 1.8, 1.9, 11.1;
DESIGN.md 6)."""

import os
import random
import socket
import threading
import time
import urllib.parse

import msgrd_harness as h

A, B = h.hnd("alice"), h.hnd("bob")


class HostileBase(h.ServerTestCase):
    USERS = h.users("alice", "bob")

    def still_serving(self, s, what):
        self.assertServerAlive(s)
        c = s.log_in("alice", name="alice-after")
        c.send("PNG")
        c.expect("QNG", what="a fresh login works after " + what)
        c.send("OUT")
        c.close()


class LineLimitTest(HostileBase):

    def test_long_line_before_login(self):
        s = self.make_server()
        c = s.connect("long")
        c.send_raw(b"VER 1 MSNP8 " + b"X" * 9000 + b"\r\n")
        c.expect_closed(allowed=[r"\d{3} \d+"], what="line over 8192 bytes closes (msnp.md 1.8)")
        self.still_serving(s, "an oversize line")

    def test_long_line_without_newline(self):
        s = self.make_server()
        c = s.open_ns()
        try:
            c.send_raw(b"CVR 2 " + b"Y" * 20000)
        except h.ConnectionClosed:
            pass
        c.expect_closed(allowed=[r"\d{3} \d+"],
                        what="8192 bytes buffered without a line end closes (msnp.md 1.9)")
        self.still_serving(s, "an unterminated oversize line")

    def test_long_line_after_login(self):
        s = self.make_server()
        a = s.log_in("alice")
        a.send_raw(b"REA 5 " + A.encode() + b" " + b"n" * 9000 + b"\r\n")
        a.expect_closed(allowed=[r"\d{3} \d+"], what="oversize line after login closes")
        self.still_serving(s, "an oversize line")

    def test_max_line_boundary(self):
        s = self.make_server(args=["--max-line", "512"])
        c = s.open_ns()
        head = "CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 5.0.0540 MSMSGS "
        line = head + "z" * (512 - 2 - len(head))
        self.assertEqual(len(line) + 2, 512)
        c.send(line)
        c.expect_re(r"CVR 2 5\.0\.0540 5\.0\.0540 5\.0\.0540 \S+ \S+",
                    what="a line of exactly --max-line bytes incl. CR LF is accepted (1.8)")
        c.send(line + "z")
        c.expect_closed(allowed=[r"\d{3} \d+"], what="--max-line + 1 closes (1.8)")


class PayloadAbuseTest(HostileBase):

    def test_msg_on_ns_closes(self):
        s = self.make_server()
        a = s.log_in("alice")
        payload = b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhi"
        try:
            a.send_payload("MSG 5 N %d" % len(payload), payload)
        except h.ConnectionClosed:
            pass
        a.expect_closed(allowed=[r"\d{3} \d+"], what="client MSG on the NS closes (msnp.md 1.5, 11.1)")
        self.still_serving(s, "MSG on the NS")

    def test_msg_before_login_closes(self):
        s = self.make_server()
        c = s.open_ns()
        c.send_payload("MSG 2 N 5", b"hello")
        c.expect_closed(allowed=[r"\d{3} \d+"], what="MSG on the NS before login closes")

    def test_qry_huge_length(self):
        s = self.make_server()
        a = s.log_in("alice")
        a.go_online()
        a.send("QRY 9 msmsgs@msnmsgr.com 4294967295")
        a.expect_closed(allowed=[r"\d{3} \d+"], what="absurd QRY length closes (msnp.md 1.5, 1.9)")
        self.still_serving(s, "a huge QRY length")

    def test_qry_non_numeric_length(self):
        s = self.make_server()
        a = s.log_in("alice")
        a.send("QRY 9 msmsgs@msnmsgr.com 3x2")
        a.expect_closed(allowed=[r"\d{3} \d+"], what="non-numeric payload length closes (1.5)")
        self.still_serving(s, "a non-numeric QRY length")

    def test_qry_length_overflow(self):
        s = self.make_server()
        a = s.log_in("alice")
        a.send("QRY 9 msmsgs@msnmsgr.com 99999999999999999999999")
        a.expect_closed(allowed=[r"\d{3} \d+"], what="overflowing payload length closes")
        self.still_serving(s, "an overflowing QRY length")


class GarbageTest(HostileBase):

    SAMPLES = [
        b"\x00\x01\x02\x03\xff\xfe\xfd\r\n",
        b"\r\n\r\n\r\n\r\n",
        b"          \r\n",
        b"\xc3\x28\xa0\xa1 \xe2\x82 \r\n",
        b"VER\r\n",
        b"VER 1\r\n",
        b"VER 4294967296 MSNP8\r\n",
        b"VER -1 MSNP8\r\n",
        b"VER 1 " + b"MSNP8 " * 1000 + b"\r\n",
        b"\r",
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(64)),
    ]

    def test_garbage_before_login(self):
        s = self.make_server()
        rnd = random.Random(1234)
        samples = list(self.SAMPLES) + [bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 3000)))
                                        for _ in range(20)]
        for i, data in enumerate(samples):
            with self.subTest(sample=i, data=data[:40]):
                c = s.connect("garbage%d" % i)
                try:
                    c.send_raw(data)
                except h.ConnectionClosed:
                    pass
                # either an error reply, a VER reply, or a close; never a crash
                for _ in range(50):
                    try:
                        ln = c.recv(timeout=1.0)
                    except (h.ReadTimeout, h.ConnectionClosed):
                        break
                    self.assertRegex(ln.text, r"^(\d{3} \S+|VER \S+( \S+)*|QNG( 50)?)$",
                                     "reply to garbage must be an error, VER, or nothing")
                c.close()
                self.assertServerAlive(s)
        self.still_serving(s, "garbage input")

    def test_garbage_after_login(self):
        s = self.make_server()
        rnd = random.Random(99)
        for i in range(10):
            a = s.log_in("alice", name="alice-g%d" % i)
            a.go_online()
            data = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 4000)))
            if i % 2:
                data = data.replace(b"\n", b" ") + b"\r\n"
            try:
                a.send_raw(data)
            except h.ConnectionClosed:
                pass
            for _ in range(100):
                try:
                    ln = a.recv(timeout=1.0)
                except (h.ReadTimeout, h.ConnectionClosed):
                    break
                self.assertRegex(ln.text, r"^\d{3} \S+$", "only error replies to garbage")
            a.close()
            self.assertServerAlive(s)
        self.still_serving(s, "garbage after login")

    def test_byte_at_a_time(self):
        s = self.make_server()
        c = s.connect("slowwriter")
        for b in b"VER 1 MSNP8 CVR0\r\nPN":
            c.send_raw(bytes([b]))
            time.sleep(0.005)
        c.expect("VER 1 MSNP8 CVR0", what="line assembled from single bytes")
        self.assertTrue(c.is_open(0.3))
        c.send_raw(b"G\r\n")
        c.expect("QNG", what="PNG split across writes")

    def test_many_connections(self):
        s = self.make_server()
        conns = [s.connect("many%d" % i) for i in range(60)]
        for i, c in enumerate(conns):
            c.send("VER %d MSNP8 CVR0" % (i + 1))
        for i, c in enumerate(conns):
            c.expect("VER %d MSNP8 CVR0" % (i + 1))
        for c in conns:
            c.close()
        self.still_serving(s, "60 parallel connections")


class SlowReaderTest(HostileBase):
    """A client that never reads while the server pushes a lot is dropped."""

    def test_slow_reader_dropped(self):
        s = self.make_server(args=["--output-limit", "65536", "--chg-limit", "1000000"])
        victim = s.login(B, self.USERS[B], name="victim", dialect="MSNP9", rcvbuf=4096)
        t = victim.cmd("ADD {t} FL %s %s 0" % (A, A))
        victim.expect_re(r"ADD %d FL \d+ %s %s 0" % (t, A, A))
        victim.go_online()
        a = s.login(A, self.USERS[A], name="pusher", dialect="MSNP9")
        a.go_online()
        # each CHG with a new ~6 KB msnobj yields a ~6 KB NLN for the MSNP9 victim
        base = urllib.parse.quote("<msnobj Creator=\"%s\" Data=\"%s\"/>" % (A, "x" * 6000), safe="")
        deadline = time.monotonic() + 60
        sent = 0
        for i in range(3000):
            if time.monotonic() > deadline:
                break
            obj = base + "%%3C%d%%3E" % i
            t = a.next_trid()
            a.send("CHG %d NLN 268435456 %s" % (t, obj))
            a.expect("CHG %d NLN 268435456 %s" % (t, obj))
            sent += 1
        # drain the victim: the stream must end (EOF/RST), not stall open
        victim.sock.settimeout(1.0)
        total = 0
        end = time.monotonic() + 30
        closed = False
        while time.monotonic() < end and total < 200 * 1024 * 1024:
            try:
                data = victim.sock.recv(1 << 20)
            except socket.timeout:
                break
            except (ConnectionResetError, OSError):
                closed = True
                break
            if not data:
                closed = True
                break
            total += len(data)
        self.assertTrue(closed, "victim that never read %d CHG fan-outs (~%d KB) must be dropped once more than "
                                "--output-limit 65536 bytes are queued; read %d bytes and the connection is "
                                "still open" % (sent, sent * 6, total))
        self.assertLess(total, sent * 6200, "server should not have queued everything")
        self.still_serving(s, "dropping a slow reader")


class TimeoutTest(HostileBase):

    def test_login_timeout_silent(self):
        s = self.make_server(args=["--login-timeout", "2"])
        c = s.connect("silent")
        start = time.monotonic()
        c.expect_closed(timeout=10, allowed=[r"OUT.*"], what="--login-timeout 2, no bytes at all")
        self.assertGreater(time.monotonic() - start, 1.0)

    def test_login_timeout_after_ver(self):
        s = self.make_server(args=["--login-timeout", "2"])
        c = s.open_ns()
        start = time.monotonic()
        # PNGs do not count as logging in
        for _ in range(3):
            time.sleep(0.5)
            try:
                c.send("PNG")
            except h.ConnectionClosed:
                break
        c.expect_closed(timeout=10, allowed=[r"OUT.*", "QNG"], what="--login-timeout 2 after VER")
        self.assertGreater(time.monotonic() - start, 1.0)

    def test_logged_in_not_affected_by_login_timeout(self):
        s = self.make_server(args=["--login-timeout", "2"])
        a = s.log_in("alice")
        time.sleep(3)
        a.assert_quiet("a signed-in session is not subject to --login-timeout")

    def test_idle_timeout(self):
        s = self.make_server(args=["--idle-timeout", "2"])
        a = s.log_in("alice")
        b = s.log_in("bob")
        for _ in range(6):
            time.sleep(0.5)
            b.send("PNG")
            b.expect("QNG")
        a.expect_closed(timeout=10, allowed=[r"OUT.*"], what="silent session past --idle-timeout 2 (2.9)")
        b.assert_quiet("a session that keeps pinging survives")


class LoginFailLimitTest(HostileBase):

    def test_password_guessing_locked_out(self):
        s = self.make_server(args=["--login-fail-limit", "3", "--login-fail-window", "4"])
        chal = s.challenge_for(A)
        for i in range(3):
            st, hdrs, ticket = s.passport_login(A, "wrong%d" % i, chal)
            self.assertEqual(st, 401)
        start = time.monotonic()
        st, hdrs, ticket = s.passport_login(A, self.USERS[A], chal)
        self.assertEqual(st, 401, "after --login-fail-limit 3 failures even the right password gets 401")
        # msgrd approximates the sliding window from two fixed windows (ratelimit.h),
        # and counts refused attempts, so allow up to two windows after the last one.
        time.sleep(max(0.0, 9.0 - (time.monotonic() - start)))
        st, hdrs, ticket = s.passport_login(A, self.USERS[A], s.challenge_for(A))
        self.assertEqual(st, 200, "after the --login-fail-window (4 s) has passed the right password works again")


class PassportAbuseTest(HostileBase):

    def raw_tls(self, s, data, timeout=5):
        import ssl as _ssl
        raw = socket.create_connection(("127.0.0.1", s.login_port), timeout=timeout)
        try:
            t = s.ssl_context().wrap_socket(raw, server_hostname="127.0.0.1")
        except (OSError, _ssl.SSLError):
            raw.close()
            return b""
        out = b""
        try:
            t.settimeout(timeout)
            t.sendall(data)
            for _ in range(1000):
                chunk = t.recv(65536)
                if not chunk:
                    break
                out += chunk
        except (OSError, _ssl.SSLError):
            pass
        finally:
            t.close()
        return out

    def test_http_garbage(self):
        s = self.make_server()
        samples = [b"\x00\x01\x02garbage\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                   b"GET /login2.srf HTTP/1.1\r\nAuthorization: Passport1.4 " + b"," * 5000 + b"\r\n\r\n",
                   b"GET /login2.srf HTTP/1.1\r\nAuthorization: Passport1.4 sign-in=%,pwd=%%%\r\n\r\n",
                   b"GET /login2.srf HTTP/1.1\r\nAuthorization: " + b"A" * 200000 + b"\r\n\r\n",
                   b"GET /login2.srf HTTP/1.1\r\n" + b"X-Pad: y\r\n" * 5000 + b"\r\n",
                   b"POST /login2.srf HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\nabc",
                   b"GET /nothing-here HTTP/1.1\r\n\r\n"]
        for data in samples:
            with self.subTest(data=data[:50]):
                resp = self.raw_tls(s, data)
                if resp:
                    self.assertRegex(resp[:12], rb"^HTTP/1\.[01] [0-9]{3}", "an HTTP answer or a close")
                    self.assertNotRegex(resp[:12], rb"^HTTP/1\.[01] 200", "garbage must not succeed")
                self.assertServerAlive(s)
        # plain text on the TLS port
        raw = socket.create_connection(("127.0.0.1", s.login_port), timeout=5)
        raw.sendall(b"GET /rdr/pprdr.asp HTTP/1.0\r\n\r\n")
        try:
            raw.recv(1000)
        except OSError:
            pass
        raw.close()
        # a TCP connection that never completes the handshake must not block others
        idle = socket.create_connection(("127.0.0.1", s.login_port), timeout=5)
        st, hdrs, body, _ = s.nexus()
        self.assertEqual(st, 200)
        idle.close()
        self.still_serving(s, "HTTP garbage")

    def test_parallel_logins(self):
        """Correct passwords sent at the same moment from one address are not
        'failed sign-in attempts': all must succeed (only wrong passwords count
        towards --login-fail-limit, default 10)."""
        s = self.make_server()
        names = ["p%02d" % i for i in range(20)]
        s.add_users(*names)
        chal = {n: s.challenge_for(h.hnd(n)) for n in names}
        results = {}
        gate = threading.Barrier(len(names), timeout=30)

        def worker(n):
            try:
                gate.wait()
                st, hdrs, ticket = s.passport_login(h.hnd(n), h.pw_for(n), chal[n])
                cb = [v for k, v in hdrs if k.lower() == "www-authenticate"]
                results[n] = "ok" if st == 200 else "HTTP %d %s" % (st, cb[0][-80:] if cb else "")
            except BaseException as e:   # reported below
                results[n] = repr(e)[:300]

        threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in names]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        bad = {n: r for n, r in results.items() if r != "ok"}
        self.assertEqual(len(results), len(names), "some logins hung")
        self.assertEqual(bad, {}, "20 simultaneous correct logins from 127.0.0.1 must all succeed")
        # and they still sign in on the NS afterwards
        c = s.log_in("p00")
        c.assert_quiet()

if __name__ == "__main__":
    h.main()
