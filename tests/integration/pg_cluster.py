"""A throwaway PostgreSQL cluster of this test's own, to stop and start at will.

The shared test server (``scripts/ensure-postgres.sh``) serves every test at once, so a test
that takes PostgreSQL down makes its own cluster with Debian's binaries, on a free loopback
port, in a directory removed afterwards. initdb refuses to run as root: root runs the cluster
as the ``postgres`` OS user, as ``ensure-postgres.sh`` does.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from tests.integration.smtp import free_port

USER = "podium"
PASSWORD = "podium"
DBNAME = "podium"


def binaries() -> Path | None:
    """The newest Debian PostgreSQL bin directory with initdb and pg_ctl, if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name or 0))
    usable = [d for d in found if (d / "initdb").exists() and (d / "pg_ctl").exists()]
    return usable[-1] if usable else None


class Cluster:
    """One PostgreSQL cluster on ``port``: ``start``, ``stop`` (fast), ``remove``."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        # Not under pytest's tmp_path: that is private to root, and the server runs as postgres.
        self.base = Path(tempfile.mkdtemp(prefix="podium-pg-", dir="/tmp"))
        self.data, self.run_dir = self.base / "data", self.base / "run"
        self.log = self.base / "postgres.log"
        self.run_dir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
            shutil.chown(self.run_dir, "postgres", "postgres")
        password_file = self.base / "password"
        password_file.write_text(PASSWORD)
        if os.geteuid() == 0:
            shutil.chown(password_file, "postgres", "postgres")
        self._as_owner(
            "initdb", "-D", str(self.data), "-U", USER, f"--pwfile={password_file}",
            "-E", "UTF8", "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256",
        )  # fmt: skip
        self.start()
        with psycopg.connect(self.conninfo("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DBNAME}")

    def _as_owner(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd="/")

    def conninfo(self, dbname: str = DBNAME) -> str:
        return (
            f"host=127.0.0.1 port={self.port} user={USER} password={PASSWORD} "
            f"dbname={dbname} connect_timeout=3"
        )

    def settings(self) -> dict[str, str]:
        """The PODIUM_* variables that point a process at this cluster."""
        return {
            "PODIUM_STORE": "postgres",
            "PODIUM_PG_HOST": "127.0.0.1",
            "PODIUM_PG_PORT": str(self.port),
            "PODIUM_PG_USER": USER,
            "PODIUM_PG_PASSWORD": PASSWORD,
            "PODIUM_PG_DBNAME": DBNAME,
        }

    def start(self) -> None:
        options = f"-p {self.port} -k {self.run_dir} -c listen_addresses=127.0.0.1"
        self._as_owner("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-o", options,
                       "start")  # fmt: skip

    def stop(self) -> None:
        """Stop at once, as a crash or a restart would: every connection is cut."""
        self._as_owner("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.base, ignore_errors=True)
