"""Helpers for the msgr (terminal client) tests: a real msgrd from
tests/integration/msgrd_harness.py, the msgr binary run with its own HOME
and XDG directories, and a `msgr listen` process read line by line with a
deadline. Python 3 standard library only; network only on 127.0.0.1.
"""

import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))

import msgrd_harness as h  # noqa: E402

MSGR = None
RUN_TIMEOUT = 60          # bound on any one msgr invocation


def parse_args():
    """Strips '--msgr PATH' (else $MSGR, else build/src/cli/msgr)."""
    global MSGR
    argv, i, path = [sys.argv[0]], 1, None
    while i < len(sys.argv):
        if sys.argv[i] == "--msgr" and i + 1 < len(sys.argv):
            path = sys.argv[i + 1]
            i += 2
            continue
        argv.append(sys.argv[i])
        i += 1
    sys.argv[:] = argv
    path = path or os.environ.get("MSGR") or os.path.join(HERE, "..", "..", "build", "src",
                                                           "cli", "msgr")
    MSGR = os.path.abspath(path)


def main():
    parse_args()
    if not os.access(MSGR, os.X_OK):
        sys.stderr.write("msgr binary not found: %s\n" % MSGR)
        sys.exit(2)
    h.main()


def closed_port():
    """A loopback port nothing listens on (bound then released)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Listener:
    """A running `msgr listen`, its JSON lines read with deadlines."""

    def __init__(self, args, env):
        self.proc = subprocess.Popen([MSGR] + args + ["listen"], env=env,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.buf = b""
        self.events = []

    def _line(self, deadline):
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([fd], [], [], left)
            if not r:
                return None
            chunk = os.read(fd, 4096)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line

    def wait_for(self, pred, what, timeout=20):
        """Reads events until pred(event) holds; returns that event."""
        deadline = time.monotonic() + timeout
        for _ in range(10000):
            line = self._line(deadline)
            if line is None:
                raise AssertionError("msgr listen: no %s within %ss; events so far %r; "
                                     "stderr %r" % (what, timeout, self.events, self.stderr()))
            ev = json.loads(line.decode("utf-8"))
            self.events.append(ev)
            if pred(ev):
                return ev
        raise AssertionError("msgr listen: too many events waiting for %s" % what)

    def stderr(self):
        if self.proc.poll() is None:
            return "(running)"
        return self.proc.stderr.read().decode("utf-8", "replace")

    def stop(self, sig=signal.SIGINT, timeout=20):
        """Signals the process; returns (exit status, remaining events, stderr)."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate(timeout=10)
            raise AssertionError("msgr listen did not exit within %ss of the signal" % timeout)
        rest = [json.loads(l) for l in (self.buf + out).decode("utf-8").splitlines() if l]
        self.events.extend(rest)
        return self.proc.returncode, rest, err.decode("utf-8", "replace")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate(timeout=10)


def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


class CliTestCase(h.ServerTestCase):
    """A started msgrd with USERS, and a private HOME for msgr."""

    SERVER_ARGS = ("--admin-listen", "off")
    USERS = h.users("alice", "bob", "carol")

    def setUp(self):
        self.server = self.make_server()
        self.home = tempfile.mkdtemp(prefix="msgr-cli-home-")
        self.addCleanup(shutil.rmtree, self.home, True)
        # a private runtime directory (0700): the interactive msgr serves
        # its session on a socket there (libmsgr's local server mode), and
        # the tests must never meet the real user's
        run = os.path.join(self.home, "run")
        os.mkdir(run, 0o700)
        self.env = dict(os.environ, HOME=self.home,
                        XDG_CONFIG_HOME=os.path.join(self.home, "config"),
                        XDG_CACHE_HOME=os.path.join(self.home, "cache"),
                        XDG_RUNTIME_DIR=run)
        self.env.pop("MSGR_LOCAL_SOCKET", None)
        self.ca = os.path.join(self.server.data_dir, "cert.pem")
        self.listeners = []
        self.addCleanup(self._kill_listeners)

    def _kill_listeners(self):
        for l in self.listeners:
            l.kill()

    def config_of(self, who):
        """alice uses the default config file; others their own."""
        if who == "alice":
            return []
        return ["--config", os.path.join(self.home, who, "config")]

    def msgr(self, *args, stdin=b"", who="alice"):
        return subprocess.run([MSGR] + self.config_of(who) + list(args), input=stdin,
                              env=self.env, capture_output=True, timeout=RUN_TIMEOUT)

    def login(self, who, password=None, server=None, extra=(), config_of=None):
        """msgr login for who, into the config file of config_of (else who's)."""
        handle = h.hnd(who)
        pw = password if password is not None else h.pw_for(who)
        return self.msgr("login", "--server", server or "127.0.0.1:%d" % self.server.port,
                         "--nexus", "127.0.0.1:%d" % self.server.login_port,
                         "--ca-file", self.ca, *extra, handle,
                         stdin=(pw + "\n").encode(), who=config_of or who)

    def listen(self, who):
        l = Listener(self.config_of(who), self.env)
        self.listeners.append(l)
        l.wait_for(lambda e: e["event"] == "signin", "signin event")
        return l

    def assertOk(self, p, what):
        self.assertEqual(p.returncode, 0, "%s failed (%d): stderr %r stdout %r"
                         % (what, p.returncode, p.stderr, p.stdout))

    def assertOneLineError(self, p, what, pattern=None, code=None):
        self.assertNotEqual(p.returncode, 0, "%s: expected failure, got 0 (stdout %r)"
                            % (what, p.stdout))
        if code is not None:
            self.assertEqual(p.returncode, code, "%s: exit status" % what)
        lines = [l for l in p.stderr.decode("utf-8", "replace").splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, "%s: expected one line on stderr, got %r" % (what, lines))
        if pattern:
            self.assertRegex(lines[0], pattern, what)
        return lines[0]

    def contacts(self, who="alice"):
        p = self.msgr("contacts", "--json", who=who)
        self.assertOk(p, "contacts --json")
        return {c["signin"]: c for c in json.loads(p.stdout.decode("utf-8"))}
