"""Shared helpers for the msgrd integration tests.

Everything here talks to a real msgrd on 127.0.0.1 with ephemeral ports and a
temporary data directory. Python 3 standard library only.

Conventions
  * every socket read has a deadline (DEFAULT_TIMEOUT unless told otherwise);
  * every loop is bounded in iterations and in time;
  * protocol failures raise ProtocolFailure, an AssertionError, so unittest
    reports them as failures with the conversation transcript attached.

Each test file does:

    import msgrd_harness as h
    ...
    if __name__ == "__main__":
        h.main()
"""

import hashlib
import os
import re
import select
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

DEFAULT_TIMEOUT = 5.0
START_TIMEOUT = 30.0
ARGON2 = ["--argon2-ops", "1", "--argon2-mem-kib", "8192"]
PRODUCT_ID = "msmsgs@msnmsgr.com"
PRODUCT_KEY = "Q1P7W2E4J9R8U3S5"
# Other known pairs (msnp.md 2.10)
KEY_PAIRS = {
    "msmsgs@msnmsgr.com": "Q1P7W2E4J9R8U3S5",
    "PROD0038W!61ZTF9": "VT6PX?UQTM4WM%YR",
    "PROD0058#7IL2{QD": "QHDCY@7R1TB6W?5B",
    "PROD0061VRRZH@4F": "JXQ6J@TUOGYV@N0M",
}
CVR_LINE_TAIL = "0x0409 winnt 5.1 i386 MSNMSGR 5.0.0540 MSMSGS"
CLIENT_VERSION = "5.0.0540"
MAX_LINES = 200000          # global bound on lines read in any one helper loop

MSGRD = None                # path of the msgrd binary, set by parse_args()


# --------------------------------------------------------------- arguments

def parse_args():
    """Strip '--msgrd PATH' (or --msgrd=PATH) from sys.argv; falls back to
    $MSGRD, then ./build/src/server/msgrd."""
    global MSGRD
    argv = [sys.argv[0]]
    i = 1
    path = None
    while i < len(sys.argv):
        a = sys.argv[i]
        if a == "--msgrd" and i + 1 < len(sys.argv):
            path = sys.argv[i + 1]
            i += 2
            continue
        if a.startswith("--msgrd="):
            path = a.split("=", 1)[1]
            i += 1
            continue
        argv.append(a)
        i += 1
    sys.argv[:] = argv
    if path is None:
        path = os.environ.get("MSGRD")
    if path is None:
        here = os.path.dirname(os.path.abspath(__file__))
        path = os.path.join(here, "..", "..", "build", "src", "server", "msgrd")
    MSGRD = os.path.abspath(path)
    return MSGRD


def main():
    parse_args()
    if not os.access(MSGRD, os.X_OK):
        sys.stderr.write("msgrd binary not found or not executable: %s\n" % MSGRD)
        sys.exit(2)
    unittest.main(verbosity=2)


# ------------------------------------------------------------------ errors

class ProtocolFailure(AssertionError):
    pass


class ConnectionClosed(ProtocolFailure):
    pass


class ReadTimeout(ProtocolFailure):
    pass


# ---------------------------------------------------------------- encoding

_KEEP = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()@")


def msn_encode(s):
    """Canonical encoding of msnp.md 1.7 (upper-case hex, keep set)."""
    if isinstance(s, str):
        s = s.encode("utf-8")
    out = []
    for c in s:
        if c in _KEEP:
            out.append(chr(c))
        else:
            out.append("%%%02X" % c)
    return "".join(out)


def msn_decode(s):
    return urllib.parse.unquote_to_bytes(s).decode("utf-8", "replace")


def qry_answer(challenge, key=PRODUCT_KEY):
    return hashlib.md5((challenge + key).encode("ascii")).hexdigest()


def swap16(p):
    return ((p & 0xFF) << 8) | ((p & 0xFF00) >> 8)


def parse_mime(payload):
    """Returns (headers dict lower-cased name -> value, body bytes, header list)."""
    text = payload
    sep = text.find(b"\r\n\r\n")
    if sep < 0:
        head, body = text, b""
    else:
        head, body = text[:sep], text[sep + 4:]
    headers = {}
    order = []
    for ln in head.split(b"\r\n"):
        if not ln:
            continue
        name, _, value = ln.decode("utf-8", "replace").partition(":")
        value = value[1:] if value.startswith(" ") else value
        headers[name.strip().lower()] = value
        order.append((name.strip(), value))
    return headers, body, order


# ------------------------------------------------------------------ lines

class Line:
    """One server line (and its payload for MSG/NOT/IPG)."""

    __slots__ = ("text", "tokens", "payload")

    def __init__(self, text, payload=None):
        self.text = text
        self.tokens = text.split(" ")
        self.payload = payload

    @property
    def cmd(self):
        return self.tokens[0] if self.tokens else ""

    def __repr__(self):
        if self.payload is None:
            return repr(self.text)
        return "%r+payload(%d)%r" % (self.text, len(self.payload), self.payload[:120])

    def __eq__(self, other):
        if isinstance(other, str):
            return self.text == other and self.payload is None
        if isinstance(other, Line):
            return self.text == other.text and self.payload == other.payload
        return NotImplemented

    def __hash__(self):
        return hash(self.text)


# --------------------------------------------------------------- MSNP conn

class MsnpConn:
    """A client connection to msgrd's MSNP port (NS or SB)."""

    PAYLOAD_CMDS = ("MSG", "NOT", "IPG")

    def __init__(self, port, name="conn", host="127.0.0.1", timeout=DEFAULT_TIMEOUT,
                 rcvbuf=None):
        self.name = name
        self.timeout = timeout
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(timeout)
        self.sock.connect((host, port))
        self.buf = bytearray()
        self.closed = False
        self.trid = 0
        self.log = []          # transcript: ("C"/"S", text)
        self.handle = None
        self.dialect = None

    # transcript --------------------------------------------------------
    def _note(self, direction, text):
        self.log.append((direction, text))
        if len(self.log) > 400:
            del self.log[:100]

    def transcript(self, n=40):
        lines = ["--- transcript of %s (last %d) ---" % (self.name, n)]
        for d, t in self.log[-n:]:
            if len(t) > 300:
                t = t[:300] + "...(%d chars)" % len(t)
            lines.append("%s: %s" % (d, t))
        return "\n".join(lines)

    def fail(self, msg):
        raise ProtocolFailure("%s: %s\n%s" % (self.name, msg, self.transcript()))

    # sending -------------------------------------------------------------
    def next_trid(self):
        self.trid += 1
        return self.trid

    def send_raw(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        self._note("C", "<raw %d bytes> %r" % (len(data), bytes(data[:200])))
        try:
            self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError, OSError) as e:
            raise ConnectionClosed("%s: send failed (%s)\n%s" % (self.name, e, self.transcript()))

    def send(self, line):
        self._note("C", line)
        try:
            self.sock.sendall(line.encode("utf-8") + b"\r\n")
        except (BrokenPipeError, ConnectionResetError, OSError) as e:
            raise ConnectionClosed("%s: send of %r failed (%s)\n%s"
                                   % (self.name, line, e, self.transcript()))

    def send_payload(self, line, payload):
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        self._note("C", line)
        self._note("C", "<payload %d bytes> %r" % (len(payload), payload[:120]))
        try:
            self.sock.sendall(line.encode("utf-8") + b"\r\n" + payload)
        except (BrokenPipeError, ConnectionResetError, OSError) as e:
            raise ConnectionClosed("%s: send of %r failed (%s)\n%s"
                                   % (self.name, line, e, self.transcript()))

    def cmd(self, fmt):
        """Send 'CMD {t} ...' with a fresh TrID; returns the TrID."""
        t = self.next_trid()
        self.send(fmt.format(t=t))
        return t

    # receiving -----------------------------------------------------------
    def _fill(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ReadTimeout("%s: timed out waiting for data\n%s" % (self.name, self.transcript()))
        self.sock.settimeout(remaining)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            raise ReadTimeout("%s: timed out waiting for data\n%s" % (self.name, self.transcript()))
        except (ConnectionResetError, ConnectionAbortedError, OSError) as e:
            self.closed = True
            raise ConnectionClosed("%s: connection reset (%s)\n%s" % (self.name, e, self.transcript()))
        if not data:
            self.closed = True
            raise ConnectionClosed("%s: connection closed by server\n%s" % (self.name, self.transcript()))
        self.buf += data

    def _read_bytes(self, n, deadline):
        while len(self.buf) < n:
            self._fill(deadline)
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return data

    def recv(self, timeout=None):
        """Next server line as a Line (payload-aware)."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        guard = 0
        while b"\n" not in self.buf:
            guard += 1
            if guard > 100000:
                self.fail("line reader loop bound exceeded")
            if len(self.buf) > 1 << 20:
                self.fail("server line longer than 1 MiB")
            self._fill(deadline)
        idx = self.buf.index(b"\n")
        raw = bytes(self.buf[:idx])
        del self.buf[:idx + 1]
        if not raw.endswith(b"\r"):
            self._note("S", "<line not terminated by CR LF> %r" % raw)
            raise ProtocolFailure("%s: server line %r does not end with CR LF (msnp.md 1.2 rule 3)\n%s"
                                  % (self.name, raw, self.transcript()))
        text = raw[:-1].decode("utf-8", "replace")
        tokens = text.split(" ")
        payload = None
        if tokens[0] in self.PAYLOAD_CMDS and len(tokens) >= 2:
            if not tokens[-1].isdigit():
                self._note("S", text)
                self.fail("payload command with non-numeric length: %r" % text)
            n = int(tokens[-1])
            payload = self._read_bytes(n, deadline)
        self._note("S", text if payload is None else "%s <payload %d bytes> %r"
                   % (text, len(payload), payload[:200]))
        return Line(text, payload)

    def try_recv(self, timeout):
        """A line, or None on timeout. Raises ConnectionClosed on EOF."""
        try:
            return self.recv(timeout=timeout)
        except ReadTimeout:
            return None

    def expect(self, expected, timeout=None, what=None):
        """Next line must be exactly `expected` (str). Returns the Line."""
        try:
            ln = self.recv(timeout)
        except ConnectionClosed as e:
            raise ConnectionClosed("%s: expected %r%s but the connection closed\n%s"
                                   % (self.name, expected, (" (%s)" % what) if what else "",
                                      self.transcript()))
        except ReadTimeout:
            raise ReadTimeout("%s: expected %r%s but nothing arrived\n%s"
                              % (self.name, expected, (" (%s)" % what) if what else "",
                                 self.transcript()))
        if ln.text != expected:
            self.fail("expected %r%s, got %r" % (expected, (" (%s)" % what) if what else "", ln.text))
        return ln

    def expect_re(self, pattern, timeout=None, what=None):
        try:
            ln = self.recv(timeout)
        except ConnectionClosed:
            raise ConnectionClosed("%s: expected /%s/%s but the connection closed\n%s"
                                   % (self.name, pattern, (" (%s)" % what) if what else "",
                                      self.transcript()))
        except ReadTimeout:
            raise ReadTimeout("%s: expected /%s/%s but nothing arrived\n%s"
                              % (self.name, pattern, (" (%s)" % what) if what else "",
                                 self.transcript()))
        m = re.fullmatch(pattern, ln.text)
        if not m:
            self.fail("expected a line matching /%s/%s, got %r"
                      % (pattern, (" (%s)" % what) if what else "", ln.text))
        return m

    def expect_one_of(self, choices, timeout=None, what=None):
        ln = self.recv(timeout)
        if ln.text not in choices:
            self.fail("expected one of %r%s, got %r" % (choices, (" (%s)" % what) if what else "", ln.text))
        return ln

    def expect_closed(self, timeout=None, allowed=None, what=None):
        """Read until EOF. Lines seen before the close must match one of the
        regexes in `allowed` (default: none allowed). Returns the lines."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        seen = []
        for _ in range(MAX_LINES):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                ln = self.recv(timeout=remaining)
            except ConnectionClosed:
                return seen
            except ReadTimeout:
                break
            if allowed is None or not any(re.fullmatch(p, ln.text) for p in allowed):
                self.fail("expected the connection to close%s; got unexpected line %r"
                          % ((" (%s)" % what) if what else "", ln.text))
            seen.append(ln)
        self.fail("expected the connection to close%s within %.1f s, it stayed open"
                  % ((" (%s)" % what) if what else "", self.timeout if timeout is None else timeout))

    def is_open(self, timeout=0.3):
        """True if the peer has not closed (no EOF within timeout). Any line
        arriving meanwhile is a failure."""
        try:
            ln = self.recv(timeout=timeout)
        except ReadTimeout:
            return True
        except ConnectionClosed:
            return False
        self.fail("unexpected line while probing connection: %r" % ln.text)

    def barrier(self, grace=0.05, timeout=None, qng=None):
        """NS only: PNG, then every line until QNG. Returns the lines before
        QNG (everything the server queued for us before our PNG)."""
        if grace:
            time.sleep(grace)
        self.send("PNG")
        lines = []
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        for _ in range(MAX_LINES):
            remaining = deadline - time.monotonic()
            ln = self.recv(timeout=max(remaining, 0.001))
            if ln.cmd == "QNG":
                if qng is not None and ln.text != qng:
                    self.fail("expected %r as PNG answer, got %r" % (qng, ln.text))
                return lines
            lines.append(ln)
        self.fail("barrier: too many lines")

    def assert_quiet(self, what="", grace=0.05):
        lines = self.barrier(grace=grace)
        if lines:
            self.fail("expected no lines%s, got %r" % ((" (%s)" % what) if what else "",
                                                     [l.text for l in lines]))

    def expect_lines(self, expected, what="", grace=0.05):
        """Barrier and compare the received lines (exact, in order)."""
        lines = self.barrier(grace=grace)
        got = [l.text for l in lines]
        if got != list(expected):
            self.fail("expected exactly %r%s, got %r" % (list(expected),
                                                        (" (%s)" % what) if what else "", got))
        return lines

    def sb_quiet(self, timeout=0.4, what=""):
        """SB has no PNG: nothing may arrive within timeout."""
        ln = self.try_recv(timeout)
        if ln is not None:
            self.fail("expected nothing on this SB connection%s, got %r"
                      % ((" (%s)" % what) if what else "", ln.text))

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
        self.closed = True

    # NS conveniences -----------------------------------------------------
    def go_online(self, status="NLN", caps="0", answer_chl=True, msnobj=None):
        """First CHG: expects the echo, collects ILNs until CHL 0, answers the
        challenge. Returns the list of ILN Lines (and any other lines in
        self.extra)."""
        params = status
        if caps is not None:
            params += " " + caps
            if msnobj is not None:
                params += " " + msnobj
        t = self.cmd("CHG {t} " + params)
        self.expect("CHG %d %s" % (t, params), what="echo of the first CHG (msnp.md 4.2)")
        ilns, extra = [], []
        challenge = None
        for _ in range(10000):
            ln = self.recv()
            if ln.cmd == "ILN":
                if ln.tokens[1] != str(t):
                    self.fail("ILN after first CHG must carry the CHG's TrID %d (msnp.md 1.3): %r"
                              % (t, ln.text))
                ilns.append(ln)
            elif ln.cmd == "CHL":
                if len(ln.tokens) != 3 or ln.tokens[1] != "0":
                    self.fail("expected 'CHL 0 <challenge>' (msnp.md 2.10), got %r" % ln.text)
                challenge = ln.tokens[2]
                break
            else:
                extra.append(ln)
        else:
            self.fail("no CHL after first CHG")
        self.extra = extra
        self.challenge = challenge
        if answer_chl:
            self.answer_challenge(challenge)
        return ilns

    def answer_challenge(self, challenge, product=PRODUCT_ID, key=None, expect_ok=True):
        if key is None:
            key = KEY_PAIRS[product]
        t = self.next_trid()
        self.send_payload("QRY %d %s 32" % (t, product), qry_answer(challenge, key))
        if expect_ok:
            self.expect("QRY %d" % t, what="QRY accepted (msnp.md 2.10)")
        return t


# ------------------------------------------------------------------ server

class Server:
    """A msgrd process with its own temporary data directory."""

    def __init__(self, args=(), users=None, data_dir=None, tmp=None):
        self.msgrd = MSGRD
        self.tmp = tmp or tempfile.mkdtemp(prefix="msgrd-itest-")
        self.own_tmp = tmp is None
        self.data_dir = data_dir or os.path.join(self.tmp, "data")
        os.makedirs(self.data_dir, exist_ok=True)
        self.args = list(args)
        self.proc = None
        self.stdout_lines = []
        self.stderr_path = os.path.join(self.tmp, "msgrd.stderr.%d" % id(self))
        self.port = None
        self.login_port = None
        self.fingerprint = None
        self.conns = []
        self._ssl_ctx = None
        for handle, pw in (users or {}).items():
            self.add_user(handle, pw)

    # CLI ---------------------------------------------------------------
    def cli(self, *args, stdin=None, timeout=60):
        p = subprocess.run([self.msgrd] + list(args), input=stdin, capture_output=True,
                           timeout=timeout)
        return p

    def add_user(self, handle, password):
        p = self.cli("user", "add", handle, "--data-dir", self.data_dir, *ARGON2,
                     stdin=(password + "\n").encode("utf-8"))
        if p.returncode != 0:
            raise AssertionError("msgrd user add %s failed (%d): %s" %
                                 (handle, p.returncode, p.stderr.decode("utf-8", "replace")))
        return p

    # process -----------------------------------------------------------
    def start(self, extra=()):
        cmd = [self.msgrd, "serve", "--data-dir", self.data_dir,
               "--listen", "127.0.0.1:0", "--login-listen", "127.0.0.1:0"] + ARGON2 \
            + self.args + list(extra)
        self.cmdline = cmd
        errf = open(self.stderr_path, "ab")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=errf)
        errf.close()
        fd = self.proc.stdout.fileno()
        buf = b""
        lines = []
        deadline = time.monotonic() + START_TIMEOUT
        ready = False
        while time.monotonic() < deadline and not ready:
            r, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not r:
                break
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                ln, buf = buf.split(b"\n", 1)
                s = ln.decode("utf-8", "replace").rstrip("\r")
                lines.append(s)
                if s == "msgrd: ready":
                    ready = True
        self.banner = lines
        self.stdout_lines = list(lines)
        if not ready:
            status = self.proc.poll()
            self.kill()
            raise AssertionError("msgrd did not print 'msgrd: ready' (%s); stdout=%r stderr=%r cmd=%r"
                                 % ("exited with status %s" % status if status is not None
                                    else "not within %.0f s" % START_TIMEOUT, lines, self.stderr_tail(), cmd))
        self._parse_banner(lines)
        self._drain = threading.Thread(target=self._drain_stdout, args=(fd, buf), daemon=True)
        self._drain.start()
        self._ssl_ctx = None
        return self

    def _drain_stdout(self, fd, pending):
        # bounded by the life of the pipe (and a generous chunk count)
        try:
            for _ in range(10 ** 7):
                chunk = os.read(fd, 4096)
                if not chunk:
                    return
                pending += chunk
                while b"\n" in pending:
                    ln, pending = pending.split(b"\n", 1)
                    self.stdout_lines.append(ln.decode("utf-8", "replace"))
        except OSError:
            return

    def _parse_banner(self, lines):
        fp = port = lport = None
        for s in lines:
            m = re.fullmatch(r"msgrd: certificate sha256 fingerprint ([0-9A-Fa-f:]+)", s)
            if m:
                fp = m.group(1)
            m = re.fullmatch(r"msgrd: msnp listening on 127\.0\.0\.1:(\d+)", s)
            if m:
                port = int(m.group(1))
            m = re.fullmatch(r"msgrd: login listening on https://127\.0\.0\.1:(\d+)", s)
            if m:
                lport = int(m.group(1))
        if port is None or lport is None:
            raise AssertionError("cannot parse msgrd banner: %r" % lines)
        self.fingerprint = fp
        self.port = port
        self.login_port = lport

    def stderr_tail(self, n=4000):
        try:
            with open(self.stderr_path, "rb") as f:
                data = f.read()
            return data[-n:].decode("utf-8", "replace")
        except OSError:
            return ""

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, timeout=15):
        """SIGTERM and wait. Returns the exit status (None if it had to be killed)."""
        if self.proc is None:
            return None
        rc = None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
                rc = None
        else:
            rc = self.proc.returncode
        self._close_pipe()
        return rc

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        self._close_pipe()

    def _close_pipe(self):
        if self.proc is not None and self.proc.stdout is not None:
            try:
                self.proc.stdout.close()
            except OSError:
                pass

    def cleanup(self):
        for c in self.conns:
            c.close()
        self.conns = []
        crashed = None
        if self.proc is not None:
            if self.proc.poll() is not None and self.proc.returncode not in (0, -signal.SIGKILL, -signal.SIGTERM):
                crashed = self.proc.returncode
            self.stop()
        if self.own_tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
        return crashed

    # connections ---------------------------------------------------------
    def connect(self, name="conn", port=None, **kw):
        c = MsnpConn(port or self.port, name=name, **kw)
        self.conns.append(c)
        return c

    # HTTPS -----------------------------------------------------------------
    def ssl_context(self):
        if self._ssl_ctx is None:
            ctx = ssl.create_default_context(cafile=os.path.join(self.data_dir, "cert.pem"))
            ctx.check_hostname = False
            self._ssl_ctx = ctx
        return self._ssl_ctx

    def https_raw(self, request, timeout=DEFAULT_TIMEOUT):
        """Send raw HTTP request bytes over TLS; returns (status, headers list, body, raw)."""
        if isinstance(request, str):
            request = request.encode("latin-1")
        deadline = time.monotonic() + timeout
        raw = socket.create_connection(("127.0.0.1", self.login_port), timeout=timeout)
        try:
            s = self.ssl_context().wrap_socket(raw, server_hostname="127.0.0.1")
        except Exception:
            raw.close()
            raise
        try:
            s.settimeout(timeout)
            s.sendall(request)
            data = b""
            head_end = -1
            clen = None
            for _ in range(100000):
                if head_end >= 0 and clen is not None and len(data) >= head_end + 4 + clen:
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("HTTPS response timed out; got %r" % data[:500])
                s.settimeout(remaining)
                try:
                    chunk = s.recv(65536)
                except (ssl.SSLError, ConnectionResetError) as e:
                    if data:
                        break
                    raise
                except socket.timeout:
                    raise AssertionError("HTTPS response timed out; got %r" % data[:500])
                if not chunk:
                    break
                data += chunk
                if head_end < 0:
                    head_end = data.find(b"\r\n\r\n")
                    if head_end >= 0:
                        m = re.search(rb"\r\ncontent-length:[ \t]*(\d+)", data[:head_end + 2], re.I)
                        clen = int(m.group(1)) if m else None
        finally:
            s.close()
        if head_end < 0:
            head_end = data.find(b"\r\n\r\n")
        if head_end < 0:
            raise AssertionError("malformed HTTP response: %r" % data[:500])
        head = data[:head_end].decode("latin-1")
        body = data[head_end + 4:]
        hl = head.split("\r\n")
        m = re.match(r"HTTP/1\.[01] (\d{3})", hl[0])
        if not m:
            raise AssertionError("bad HTTP status line %r" % hl[0])
        headers = []
        for l in hl[1:]:
            name, _, value = l.partition(":")
            headers.append((name, value.strip()))
        return int(m.group(1)), headers, body, data

    def nexus(self, http10=False, host=True):
        req = "GET /rdr/pprdr.asp HTTP/%s\r\n" % ("1.0" if http10 else "1.1")
        if host:
            req += "Host: 127.0.0.1:%d\r\n" % self.login_port
        if not http10:
            req += "Connection: close\r\n"
        req += "\r\n"
        return self.https_raw(req)

    def passport_login(self, handle, password, challenge, path="/login2.srf", raw_auth=None):
        """GET /login2.srf. Returns (status, headers, ticket or None)."""
        if raw_auth is None:
            auth = ("Passport1.4 OrgVerb=GET,OrgURL=http%3A%2F%2Fmessenger%2Emsn%2Ecom,"
                    "sign-in=" + urllib.parse.quote(handle, safe="") +
                    ",pwd=" + urllib.parse.quote(password, safe="") + "," + challenge)
        else:
            auth = raw_auth
        req = ("GET %s HTTP/1.1\r\n"
               "Authorization: %s\r\n"
               "User-Agent: MSMSGS\r\n"
               "Host: 127.0.0.1:%d\r\n"
               "Connection: close\r\n"
               "Cache-Control: no-cache\r\n\r\n" % (path, auth, self.login_port))
        status, headers, body, raw = self.https_raw(req)
        ticket = None
        for name, value in headers:
            if name.lower() == "authentication-info":
                m = re.search(r"from-PP='([^']*)'", value)
                if m:
                    ticket = m.group(1)
        return status, headers, ticket

    # MSNP login ------------------------------------------------------------
    def open_ns(self, name=None, dialects="MSNP8 CVR0", expect_dialect=None, rcvbuf=None):
        c = self.connect(name or "ns", rcvbuf=rcvbuf)
        t = c.cmd("VER {t} " + dialects)
        offered = dialects.split()
        if expect_dialect is None:
            expect_dialect = "MSNP9" if "MSNP9" in offered else "MSNP8"
        reply = "VER %d %s" % (t, expect_dialect) + (" CVR0" if "CVR0" in offered else "")
        c.expect(reply, what="VER negotiation (msnp.md 2.2)")
        c.dialect = expect_dialect
        return c

    def login(self, handle, password, name=None, dialect="MSNP8", cvr=True, syn=False, rcvbuf=None):
        """Full login. Returns the connection; c.profile (headers), c.ticket,
        c.friendly set."""
        dialects = {"MSNP8": "MSNP8 CVR0", "MSNP9": "MSNP9 MSNP8 CVR0"}[dialect]
        c = self.open_ns(name or handle.split("@")[0], dialects, rcvbuf=rcvbuf)
        if cvr:
            t = c.cmd("CVR {t} " + CVR_LINE_TAIL + " " + handle)
            c.expect_re(r"CVR %d %s %s %s \S+ \S+" % (t, re.escape(CLIENT_VERSION),
                                                      re.escape(CLIENT_VERSION), re.escape(CLIENT_VERSION)),
                        what="CVR echoes the client's version (msnp.md 2.3)")
        t = c.cmd("USR {t} TWN I " + handle)
        m = c.expect_re(r"USR %d TWN S (\S+)" % t, what="USR TWN S challenge (msnp.md 2.4)")
        challenge = m.group(1)
        status, headers, ticket = self.passport_login(handle, password, challenge)
        if status != 200 or not ticket:
            c.fail("Passport login for %s failed: HTTP %d %r" % (handle, status, headers))
        t = c.cmd("USR {t} TWN S " + ticket)
        ln = c.recv()
        toks = ln.tokens
        if not (len(toks) == 7 and toks[:4] == ["USR", str(t), "OK", handle.lower()]
                and toks[5] == "1" and toks[6] == "0"):
            c.fail("expected 'USR %d OK %s <friendly-name> 1 0' (msnp.md 2.4), got %r"
                   % (t, handle.lower(), ln.text))
        c.friendly = toks[4]
        c.usr_ok = ln.text
        prof = c.recv()
        if prof.tokens[:3] != ["MSG", "Hotmail", "Hotmail"] or prof.payload is None:
            c.fail("expected the profile 'MSG Hotmail Hotmail <len>' after USR OK (msnp.md 2.7), got %r" % prof.text)
        c.profile, _, c.profile_order = parse_mime(prof.payload)
        c.profile_raw = prof.payload
        if c.profile.get("emailenabled") == "1":
            mail = c.recv()
            c.initial_mail = mail
        c.ticket = ticket
        c.challenge_twn = challenge
        c.handle = handle.lower()
        c.dialect = dialect
        if syn:
            t = c.cmd("SYN {t} 0")
            c.syn = read_syn(c, t)
        return c

    def challenge_for(self, handle):
        """A real 'USR TWN S' challenge for handle (connection closed after)."""
        c = self.open_ns("chal")
        t = c.cmd("USR {t} TWN I " + handle)
        m = c.expect_re(r"USR %d TWN S (\S+)" % t, what="USR TWN S challenge (msnp.md 2.4)")
        c.close()
        return m.group(1)

    def log_in(self, who, **kw):
        """login() with the conventional password of users()."""
        kw.setdefault("name", who.split("@")[0])
        return self.login(hnd(who), pw_for(who), **kw)

    def on(self, who, status="NLN", caps="0", dialect="MSNP8", name=None):
        """Log in and send the first CHG; c.ilns holds the ILN burst."""
        c = self.log_in(who, dialect=dialect, name=name or who.split("@")[0])
        c.ilns = c.go_online(status, caps)
        return c

    def add_users(self, *names):
        for n in names:
            self.add_user(hnd(n), pw_for(n))


def read_syn(c, t, barrier=True, skip_async=False):
    """Reads a SYN reply (after 'SYN t v' was sent). Returns a dict with
    version, short (bool), users, groups, gtc, blp, prp (texts), lsg (texts),
    lst (list of [LST text, [BPR texts]]), lines (all texts in order),
    after (texts of other lines seen before the barrier's QNG)."""
    first = c.recv()
    if skip_async:
        # asynchronous lines queued before the SYN reply are legal
        for _ in range(100000):
            if first.tokens[:2] == ["SYN", str(t)]:
                break
            first = c.recv()
    toks = first.tokens
    if toks[:2] != ["SYN", str(t)] or len(toks) not in (3, 5) or not toks[2].isdigit():
        c.fail("expected 'SYN %d ver [users groups]' (msnp.md 3.2), got %r" % (t, first.text))
    res = {"lines": [first.text], "version": int(toks[2]), "after": []}
    if len(toks) == 3:
        res["short"] = True
        return res
    res["short"] = False
    users, groups = int(toks[3]), int(toks[4])
    res["users"], res["groups"] = users, groups
    res["prp"], res["lsg"], res["lst"] = [], [], []
    expect_order = ["GTC", "BLP"]
    for i, want in enumerate(expect_order):
        ln = c.recv()
        res["lines"].append(ln.text)
        if ln.cmd != want or len(ln.tokens) != 2:
            c.fail("SYN dump line %d: expected '%s <value>' (msnp.md 3.2), got %r" % (i + 1, want, ln.text))
        res[want.lower()] = ln.tokens[1]
    phase = "PRP"
    for _ in range(10000):
        if len(res["lsg"]) == groups and len(res["lst"]) == users:
            break
        ln = c.recv()
        res["lines"].append(ln.text)
        if ln.cmd == "PRP" and phase == "PRP":
            res["prp"].append(ln.text)
        elif ln.cmd == "LSG" and phase in ("PRP", "LSG"):
            phase = "LSG"
            res["lsg"].append(ln.text)
        elif ln.cmd == "LST" and len(res["lsg"]) == groups:
            phase = "LST"
            res["lst"].append([ln.text, []])
        elif ln.cmd == "BPR" and phase == "LST" and len(ln.tokens) in (2, 3):
            res["lst"][-1][1].append(ln.text)
        else:
            c.fail("SYN dump (users=%d groups=%d): unexpected line %r in phase %s (order must be "
                   "GTC, BLP, PRP*, LSG x groups, (LST BPR*) x users; msnp.md 3.2)"
                   % (users, groups, ln.text, phase))
    if barrier:
        for ln in c.barrier(grace=0):
            if res["lst"] and ln.cmd == "BPR" and len(ln.tokens) in (2, 3) and not res["after"]:
                res["lst"][-1][1].append(ln.text)
                res["lines"].append(ln.text)
            else:
                res["after"].append(ln.text)
    return res


def lst_map(syn):
    """handle -> (stored name, bits, groups string or None, [BPR texts])"""
    out = {}
    for text, bprs in syn.get("lst", []):
        t = text.split(" ")
        out[t[1]] = (t[2], int(t[3]), t[4] if len(t) > 4 else None, bprs, len(t))
    return out


class ServerTestCase(unittest.TestCase):
    """Base class: self.server started per test by default with
    SERVER_ARGS and USERS."""

    SERVER_ARGS = ()
    USERS = {}
    maxDiff = None

    def make_server(self, args=None, users=None, start=True):
        s = Server(args=self.SERVER_ARGS if args is None else args,
                   users=self.USERS if users is None else users)
        self.addCleanup(self._cleanup_server, s)
        if start:
            s.start()
        return s

    def _cleanup_server(self, s):
        crashed = s.cleanup()
        if crashed is not None:
            raise AssertionError("msgrd exited abnormally with status %s during the test; stderr tail:\n%s"
                                 % (crashed, s.stderr_tail()))

    def assertServerAlive(self, s):
        if not s.alive():
            self.fail("msgrd is no longer running (exit status %r); stderr tail:\n%s"
                      % (s.proc.returncode, s.stderr_tail()))


def hnd(name):
    return name if "@" in name else "%s@example.com" % name


def pw_for(name):
    return "pw-" + hnd(name).split("@")[0] + "-S3cret"


def users(*names):
    """users("alice", "bob") -> {"alice@example.com": "pw-alice-S3cret", ...}"""
    return {hnd(n): pw_for(n) for n in names}
