# SPDX-License-Identifier: AGPL-3.0-or-later
"""A throwaway PostgreSQL cluster for the tests: Debian's server binaries,
a temporary folder, a Unix socket and no TCP port.

PostgreSQL refuses to run as root, so when the tests run as root the cluster
belongs to the unprivileged user `nobody` (the folder is handed to it);
otherwise to the user running the tests. The superuser is `tandem` and
local connections need no password, except for the role `tandem_pw`, which
must give one (scram-sha-256) so the tests can try a wrong password.

    cluster = PgCluster.start()   # raises RuntimeError saying what went wrong
    cluster.conninfo              # "host=/tmp/tandem-pg-… user=tandem"
    cluster.stop()                # stops the server and removes the folder

Durability is switched off (fsync, full-page writes): the data lives only as
long as the test run. Benchmarks ask for durable=True: fsync on, as a real
server, with synchronous_commit off (a commit does not wait for its WAL to
reach the disk — what SQLite's synchronous=NORMAL in WAL mode does too).
"""
import glob
import os
import pwd
import shutil
import subprocess
import tempfile


def _bindir():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if not found:
        raise RuntimeError("PostgreSQL's server is not installed (Debian package postgresql)")
    return os.path.dirname(found[-1])


class PgCluster:
    def __init__(self, folder, user, bindir, durable=False):
        self.durable = durable
        self.folder = folder
        self.user = user
        self.bindir = bindir
        self.data = os.path.join(folder, "data")
        self.conninfo = f"host={folder} user=tandem"

    def _run(self, *cmd, **kw):
        if os.geteuid() == 0:
            cmd = ("runuser", "-u", self.user, "--", *cmd)
        return subprocess.run(cmd, capture_output=True, text=True, cwd=self.folder, **kw)

    def options(self):
        fast = "" if self.durable else "-c fsync=off -c full_page_writes=off "
        return (f"-k {self.folder} -c listen_addresses='' {fast}-c synchronous_commit=off "
                "-c max_connections=300 -c shared_buffers=64MB")

    @classmethod
    def start(cls, durable=False):
        bindir = _bindir()
        folder = tempfile.mkdtemp(prefix="tandem-pg-")
        user = "nobody" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        if os.geteuid() == 0:
            pw = pwd.getpwnam(user)
            os.chown(folder, pw.pw_uid, pw.pw_gid)
        os.chmod(folder, 0o755)
        c = cls(folder, user, bindir, durable)
        r = c._run(os.path.join(bindir, "initdb"), "-D", c.data, "-U", "tandem", "-A", "trust",
                   "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        if r.returncode != 0:
            shutil.rmtree(folder, ignore_errors=True)
            raise RuntimeError("initdb failed: " + r.stderr[-2000:])
        hba = os.path.join(c.data, "pg_hba.conf")
        with open(hba) as f:
            rules = f.read()
        with open(hba, "w") as f:
            f.write("local all tandem_pw scram-sha-256\n" + rules)
        r = c._run(os.path.join(bindir, "pg_ctl"), "-D", c.data, "-l", os.path.join(c.data, "log"),
                   "-w", "-t", "60", "start", "-o", c.options())
        if r.returncode != 0:
            log = ""
            try:
                with open(os.path.join(c.data, "log")) as f:
                    log = f.read()[-2000:]
            except OSError:
                pass
            shutil.rmtree(folder, ignore_errors=True)
            raise RuntimeError("pg_ctl start failed: " + r.stderr[-1000:] + log)
        return c

    def pg_ctl(self, action, *args):
        """Run pg_ctl stop/start/restart on the cluster (for fault tests)."""
        extra = ("-o", self.options()) if action in ("start", "restart") else ()
        return self._run(os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-l",
                         os.path.join(self.data, "log"), "-w", "-t", "60", action, *extra, *args)

    def stop(self):
        self.pg_ctl("stop", "-m", "fast")
        shutil.rmtree(self.folder, ignore_errors=True)
