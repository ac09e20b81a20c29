#!/usr/bin/env python3
"""Smoke test of msgr-bench: every scenario, tiny, against a real msgrd.

Creates a temporary data directory, bulk-creates a few hundred accounts
with "msgr-bench accounts | msgrd user import", starts msgrd on ephemeral
loopback ports, runs each scenario for about a second and checks that each
printed a JSON line with non-zero counts and no errors. Asserts only that
the scenarios ran and counted, not how fast.

usage: smoke.py --msgrd PATH --bench PATH
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

USERS = 300
CONTACTS = 4
START_TIMEOUT = 30.0
RUN_TIMEOUT = 60.0
FAST_ARGON2 = ["--argon2-ops", "1", "--argon2-mem-kib", "8"]


def start_msgrd(msgrd, data_dir):
    """Starts msgrd; returns (process, msnp address, login address)."""
    proc = subprocess.Popen(
        [msgrd, "serve", "--data-dir", data_dir, "--listen", "127.0.0.1:0",
         "--login-listen", "127.0.0.1:0", "--log-level", "warn", "--chg-limit", "32",
         "--sb-flood-limit", "0"]
        + FAST_ARGON2,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    ns = login = None
    deadline = time.monotonic() + START_TIMEOUT
    for _ in range(100):  # bounded: msgrd prints four lines
        if time.monotonic() > deadline:
            break
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith("msgrd: msnp listening on "):
            ns = line.split()[-1]
        elif line.startswith("msgrd: login listening on https://"):
            login = line.split("https://", 1)[1].strip()
        elif line.startswith("msgrd: ready"):
            break
    if not ns or not login:
        proc.kill()
        raise SystemExit("msgrd did not start")
    return proc, ns, login


def run_scenario(bench, name, common, extra, checks):
    """Runs one scenario; returns an error message or None."""
    cmd = [bench, name] + common + extra
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    lines = [l for l in res.stdout.splitlines() if l.startswith("{")]
    if res.returncode != 0 or len(lines) != 1:
        return "%s: exit %d, output:\n%s\n%s" % (name, res.returncode, res.stdout, res.stderr)
    data = json.loads(lines[0])
    if data.get("scenario") != name:
        return "%s: wrong scenario in %s" % (name, lines[0])
    for key in checks:
        if not data.get(key):
            return "%s: %s is zero or missing in %s" % (name, key, lines[0])
    if data.get("errors") != 0:
        return "%s: errors counted: %s" % (name, lines[0])
    print("ok  %-12s %s" % (name, ", ".join("%s=%s" % (k, data[k]) for k in checks)))
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--msgrd", required=True)
    ap.add_argument("--bench", required=True)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="msgr-bench-smoke-")
    proc = None
    try:
        data = os.path.join(tmp, "data")
        gen = subprocess.run([args.bench, "accounts", str(USERS), str(CONTACTS)],
                             capture_output=True, check=True, timeout=RUN_TIMEOUT)
        subprocess.run([args.msgrd, "user", "import", "--data-dir", data] + FAST_ARGON2,
                       input=gen.stdout, check=True, timeout=RUN_TIMEOUT,
                       stderr=subprocess.DEVNULL)
        proc, ns, login = start_msgrd(args.msgrd, data)
        common = ["--ns", ns, "--login", login, "--insecure", "--quiet",
                  "--server-pid", str(proc.pid), "--timeout", "30",
                  "--duration", "0.5", "--warmup", "0.2", "--sources", "4",
                  "--contacts", str(CONTACTS)]
        plan = [
            ("login", ["--users", "20", "--concurrency", "8"],
             ["logins_full", "logins_ticket", "logins_ticket_per_s"]),
            ("idle", ["--users", "50", "--hold", "0.2"], ["signed_in", "rss_after_kib"]),
            ("storm", ["--users", "50", "--chg-limit", "32"],
             ["status_changes", "nln_delivered"]),
            ("switchboard", ["--pairs", "10"], ["delivered", "latency_p50_us"]),
            ("switchboard", ["--pairs", "5", "--party", "3", "--rate", "500"],
             ["delivered", "latency_p99_us"]),
            ("churn", ["--pairs", "4", "--churners", "6", "--first", "100",
                       "--rate", "200", "--duration", "1"],
             ["signins", "chat_delivered"]),
        ]
        failures = [e for e in (run_scenario(args.bench, n, common, x, c) for n, x, c in plan) if e]
        for f in failures:
            print("FAIL " + f)
        return 1 if failures else 0
    finally:
        if proc:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
