"""The examples of examples/ against a real msgrd: the echo bot answers a
message sent with `msgr send` (seen by `msgr listen`), the presence monitor
lists its contacts at sign-in and prints their status changes and who adds
it. Network only on 127.0.0.1; every wait bounded.
"""

import os
import select
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cli"))

import cli_harness as ch  # noqa: E402

BINS = {}


def take_arg(name):
    """Removes '--name PATH' from sys.argv and returns PATH."""
    i = sys.argv.index(name)
    path = os.path.abspath(sys.argv[i + 1])
    del sys.argv[i:i + 2]
    return path


def is_message(e):
    return e["event"] == "message"


class Example:
    """A running example program, its stdout read line by line."""

    def __init__(self, path, who, test):
        s = test.server
        args = [path, "--server", "127.0.0.1:%d" % s.port,
                "--nexus", "https://127.0.0.1:%d/rdr/pprdr.asp" % s.login_port,
                "--ca-file", test.ca, "--cache-dir", os.path.join(test.home, who + "-cache"),
                ch.h.hnd(who)]
        env = dict(test.env, MSGR_PASSWORD=ch.h.pw_for(who))
        self.proc = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.buf = b""
        self.lines = []

    def wait_line(self, pred, what, timeout=20):
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while True:
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                text = line.decode("utf-8")
                self.lines.append(text)
                if pred(text):
                    return text
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no %s within %ss; lines %r" % (what, timeout, self.lines))
            r, _, _ = select.select([fd], [], [], left)
            if r:
                chunk = os.read(fd, 4096)
                if not chunk:
                    raise AssertionError("exited before %s; lines %r; stderr %r" % (
                        what, self.lines, self.proc.stderr.read()))
                self.buf += chunk

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate(timeout=10)
            raise AssertionError("example did not exit after SIGTERM")
        return self.proc.returncode


class ExamplesTest(ch.CliTestCase):

    def start(self, name, who):
        ex = Example(BINS[name], who, self)
        self.addCleanup(lambda: ex.proc.poll() is None and ex.proc.kill())
        return ex

    def test_echo_bot(self):
        """alice, a raw MSNP8 client, opens a switchboard, calls the bot and
        writes; the bot's answer comes back in the same session."""
        bot = self.start("echo_bot", "bob")
        bot.wait_line(lambda l: l == "online", "bot online")
        s = self.server
        alice = s.on("alice")
        t = alice.cmd("XFR {t} SB")
        m = alice.expect_re(r"XFR %d SB (\S+):(\d+) CKI (\S+)" % t, what="XFR SB")
        sb = s.connect("alice-sb", port=int(m.group(2)))
        t = sb.cmd("USR {t} %s %s" % (alice.handle, m.group(3)))
        sb.expect_re(r"USR %d OK .*" % t, what="USR OK on the switchboard")
        t = sb.cmd("CAL {t} bob@example.com")
        sb.expect_re(r"CAL %d RINGING \d+" % t, what="CAL RINGING")
        sb.expect_re(r"JOI bob@example\.com .*", what="the bot joins")
        for text in ("hello bot", "dos líneas\r\nsegunda"):
            payload = ("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                       "X-MMS-IM-Format: FN=Arial; EF=; CO=0; CS=0; PF=22\r\n\r\n" + text).encode()
            sb.send_payload("MSG %d N %d" % (sb.next_trid(), len(payload)), payload)
            msg = sb.recv()
            self.assertTrue(msg.text.startswith("MSG bob@example.com "), msg)
            body = msg.payload.split(b"\r\n\r\n", 1)[1].decode("utf-8")
            self.assertEqual(body, "echo: " + text.replace("\r\n", "\n").replace("\n", "\r\n"))
        bot.wait_line(lambda l: l == "message from alice@example.com: hello bot",
                      "the bot's log line")
        sb.close()
        alice.close()
        self.assertEqual(bot.stop(), 0, "SIGTERM signs the bot out and it exits 0")

    def test_echo_bot_bad_password(self):
        env = dict(self.env, MSGR_PASSWORD="wrong")
        s = self.server
        p = subprocess.run([BINS["echo_bot"], "--server", "127.0.0.1:%d" % s.port,
                            "--nexus", "https://127.0.0.1:%d/rdr/pprdr.asp" % s.login_port,
                            "--ca-file", self.ca, "bob@example.com"],
                           env=env, capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(b"sign-in failed", p.stderr)
        self.assertNotIn(b"online", p.stdout)

    def test_presence_monitor(self):
        self.assertOk(self.login("bob"), "login bob")
        self.assertOk(self.login("carol"), "login carol")
        self.assertOk(self.login("alice"), "login alice")
        self.assertOk(self.msgr("add", "bob@example.com"), "alice adds bob")
        mon = self.start("presence_monitor", "alice")
        mon.wait_line(lambda l: l == "online", "monitor online")
        mon.wait_line(lambda l: l.startswith("contact bob@example.com OFFLINE"),
                      "bob listed offline")
        bob = self.listen("bob")
        mon.wait_line(lambda l: l == "status bob@example.com OFFLINE -> ONLINE", "bob online")
        self.assertOk(self.msgr("status", "away", who="bob"), "bob away")
        mon.wait_line(lambda l: l.startswith("status bob@example.com") and l.endswith("AWAY"),
                      "bob away")
        bob.stop()
        mon.wait_line(lambda l: l.endswith("-> OFFLINE"), "bob offline again")
        self.assertOk(self.msgr("add", "alice@example.com", who="carol"), "carol adds alice")
        mon.wait_line(lambda l: l == "added-by carol@example.com", "carol's addition")
        self.assertEqual(mon.stop(), 0)


def main():
    BINS["echo_bot"] = take_arg("--echo-bot")
    BINS["presence_monitor"] = take_arg("--presence-monitor")
    ch.main()


if __name__ == "__main__":
    main()
