# SPDX-License-Identifier: AGPL-3.0-or-later
"""Start the real tandem binary on a free loopback port with a fresh database.

Used by the black-box HTTP tests and the browser tests. The binary comes from
TANDEM_BIN (set by tests/run); each server gets its own temporary folder.
Database names are file paths; on the PostgreSQL pass (TANDEM_TEST_PG) each
path stands for a database of its own in the test cluster (store.resolve).
"""
import os
import re
import signal
import subprocess
import tempfile
import threading
import time

import store

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("TANDEM_BIN", os.path.join(ROOT, "build", "test", "tandem"))


class Server:
    """A running `tandem serve`; .url is its base URL, .log what it printed."""

    def __init__(self, env=None, args=(), db=None, threads=4):
        self.tmp = tempfile.TemporaryDirectory(prefix="tandem-test-")
        self.db = db or os.path.join(self.tmp.name, "tandem.db")
        full_env = dict(os.environ)
        full_env.update({"TANDEM_DB": store.resolve(self.db), "TANDEM_SHARE": ROOT,
                         "TANDEM_SHUTDOWN_GRACE": "5"})
        full_env.update(env or {})
        full_env["TANDEM_DB"] = store.resolve(full_env["TANDEM_DB"])
        self.proc = subprocess.Popen(
            [BIN, "serve", "--listen", "127.0.0.1:0", "--threads", str(threads), *args],
            env=full_env, cwd=self.tmp.name, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        self.log = []
        self.url = None
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            m = re.search(r"serving (http://\S+?)/? ", line)
            if m:
                self.url = m.group(1).rstrip("/")
                break
        if not self.url:
            self.proc.kill()
            out, err = self.proc.communicate()
            raise RuntimeError(f"tandem did not start: {err}")
        self._drain = threading.Thread(target=self._read_stderr, daemon=True)
        self._drain.start()

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.log.append(line)

    @property
    def port(self):
        return int(self.url.rsplit(":", 1)[1])

    def stop(self, sig=signal.SIGTERM, timeout=20):
        """Stop with a signal; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._drain.join(timeout=5)
        return self.proc.returncode

    def close(self):
        code = self.stop()
        self.tmp.cleanup()
        return code


def run_cli(*args, env=None, db=None, timeout=600, input=None):
    """Run a tandem command; returns CompletedProcess (text)."""
    full_env = dict(os.environ)
    full_env["TANDEM_SHARE"] = ROOT
    if db:
        full_env["TANDEM_DB"] = db
    full_env.update(env or {})
    if "TANDEM_DB" in full_env:
        full_env["TANDEM_DB"] = store.resolve(full_env["TANDEM_DB"])
    args = [store.resolve(a) if i > 0 and args[i - 1] == "--db" else a for i, a in enumerate(args)]
    return subprocess.run([BIN, *args], env=full_env, capture_output=True, text=True,
                          timeout=timeout, input=input, cwd=ROOT)
