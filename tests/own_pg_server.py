"""A PostgreSQL server of a test's own, which it may stop and start (the suite's server stays up).

Made with ``initdb`` in a temporary folder owned by the ``postgres`` user (the tests run as
root, and PostgreSQL refuses to run as root), run with ``pg_ctl`` through ``runuser`` on a
free port of 127.0.0.1, with a login and a password like an office's server. Take the
``own_pg_server`` fixture (import it into the test module), or use :class:`OwnPgServer`.
Without initdb or runuser the test is skipped with the reason, except under CI, where it fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("THEP_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
ROLE = "office_clerk"
PASSWORD = "Str0ng-office-pw"
DATABASE = "partnership"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class OwnPgServer:
    """One throw-away PostgreSQL cluster: ``start()``, ``stop()``, ``url``, ``remove()``."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="thep-own-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        try:
            self._make()
        except BaseException:
            self.remove()  # a half-made cluster leaves no folder or server behind
            raise

    def _make(self) -> None:
        shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres(
            str(PG_BIN / "initdb"),
            "--no-sync",
            "-U",
            "postgres",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "-D",
            str(self.data),
        )
        self.start()
        self.psql(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'")
        self.psql(f"CREATE DATABASE {DATABASE} OWNER {ROLE}")

    @property
    def url(self) -> str:
        """The office's address of it, with the password (as thep-admin's --db takes it)."""
        return f"postgresql://{ROLE}:{PASSWORD}@127.0.0.1:{self.port}/{DATABASE}"

    def _as_postgres(self, *command: str) -> str:
        done = subprocess.run(
            ["runuser", "-u", "postgres", "--", *command],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stderr or done.stdout}")
        return done.stdout

    def start(self) -> None:
        """Start the server and wait until it takes connections."""
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off"
        )
        log = str(self.folder / "server.log")
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", log,
                          "-w", "-t", "30", "start")  # fmt: skip

    def stop(self) -> None:
        """Stop it as an administrator would for a restart: sessions are ended at once."""
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def psql(self, sql: str) -> str:
        return self._as_postgres(
            str(PG_BIN / "psql"), "-h", str(self.folder), "-p", str(self.port), "-U", "postgres",
            "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-tAc", sql,
        )  # fmt: skip

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def remove(self) -> None:
        if self.running():
            try:
                self.stop()
            except RuntimeError:
                time.sleep(0.5)
        shutil.rmtree(self.folder, ignore_errors=True)


def own_server_missing() -> str | None:
    """Why no server of a test's own can be made here, or None when it can."""
    if not (PG_BIN / "initdb").exists():
        return f"initdb is not installed (looked in {PG_BIN})"
    if shutil.which("runuser") is None:
        return "runuser is not installed (it runs the server as the postgres user)"
    try:
        import pwd

        pwd.getpwnam("postgres")
    except (ImportError, KeyError):
        return "this computer has no postgres user to run a server as"
    if os.geteuid() != 0:
        return "only root can run a server as the postgres user (runuser)"
    return None


@pytest.fixture
def own_pg_server() -> Iterator[OwnPgServer]:
    """A running PostgreSQL server of this test's own (removed afterwards)."""
    missing = own_server_missing()
    if missing is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"No PostgreSQL server of the test's own: {missing}")
        pytest.skip(f"No PostgreSQL server of the test's own: {missing}")
    server = OwnPgServer()
    try:
        yield server
    finally:
        server.remove()
