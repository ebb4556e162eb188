"""Hostile ``--db`` addresses: each is one sentence and exit 1, and nothing is made or written.

Malformed ports and hosts, other kinds of database, folders, relative paths, unicode, very
long names, control characters and every form of password are given to ``thep-admin`` (in
this process, and a few as real processes) and to ``Database()``. Each must end in exit 1
with one line on stderr and no traceback, create nothing on disk, and leave the settings
without the password.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from thep_desktop import config
from thep_desktop.cli.admin import main
from thep_desktop.database import Database, DatabaseError, normalise_url

SECRET = "s3cretPW"
CLOSED_PORT = "127.0.0.1:1"  # nothing listens there: the connection is refused at once


def hostile_addresses(folder: Path) -> list[str]:
    """Addresses that must each be refused; ``folder`` is an existing folder."""
    return [
        # malformed ports, hosts and shapes
        "postgresql://u@:notaport/db",
        "postgresql://u@server:99999/db",
        "postgresql://u@server:0/db",
        "postgresql://u@server:-1/db",
        "postgresql://u@server:5432x/db",
        "postgresql://u@/db",
        "postgresql://",
        "postgres://",
        "postgresql://u@server",
        "postgresql://u@my server/db",
        "postgresql://u@server :5432/db",
        "postgresql : //server/db",
        "postgresql:server/db",
        # databases of other kinds
        "mysql://x/y",
        f"mssql+pyodbc://u:{SECRET}@dsn",
        "oracle://",
        "mariadb://u@server/db",
        "file:///tmp/x.sqlite3",
        "http://example.com/x",
        # SQLite addresses naming no file, folders
        "sqlite://",
        "sqlite:///",
        "sqlite:///:memory:",
        "sqlite://server/x.sqlite3",
        str(folder),
        f"sqlite:///{folder}",
        ".",
        # relative and unicode paths to files that are not there
        "sqlite:///office/x.sqlite3",
        "office.sqlite3",
        "école/Ünïcødé ß.sqlite3",
        # very long names and control characters
        "x" * 300 + ".sqlite3",
        "a/" * 2100 + "x.sqlite3",
        "postgresql://u@" + "h" * 300 + "/db",
        "office\x00.sqlite3",
        "postgresql://u@server/d\x00b",
        "office\n.sqlite3",
        "office\x1b[31m.sqlite3",
        # every form of password, to a server that is not there or refuses it
        f"postgresql://u:{SECRET}@{CLOSED_PORT}/db",
        f"postgresql://u@{CLOSED_PORT}/db?password={SECRET}",
        f"postgresql://{CLOSED_PORT}/db?user=u&password={SECRET}",
        f"postgresql://u:{SECRET}@:notaport/db",
        f"postgresql://u:{SECRET}@my server/db",
        f"host=127.0.0.1 user=u password={SECRET}",
        f"postgresql://u:{SECRET}@{CLOSED_PORT}/dbé",
    ]


def files_under(*folders: Path) -> set[Path]:
    return {p for folder in folders if folder.exists() for p in folder.rglob("*")}


def settings_text() -> str:
    path = config.config_dir() / "settings.json"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def one_refusal(run: Callable[[], int], stderr: io.StringIO, stdout: io.StringIO) -> str:
    """'' when the rule held, else what broke it."""
    try:
        code = run()
    except BaseException as exc:  # noqa: BLE001 - an escaped exception is the failure itself
        return f"raised {type(exc).__name__}: {exc}"
    err = stderr.getvalue()
    problems = []
    if code != 1:
        problems.append(f"exit {code}")
    if stdout.getvalue():
        problems.append("printed on stdout")
    if err.count("\n") != 1 or not err.startswith("thep-admin: "):
        problems.append(f"stderr not one line: {err!r}")
    if "Traceback" in err or SECRET in err:
        problems.append(f"stderr: {err!r}")
    return "; ".join(problems)


def test_hostile_addresses_through_thep_admin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reliability
) -> None:  # type: ignore[no-untyped-def]
    work = tmp_path / "work"
    (work / "a folder").mkdir(parents=True)
    monkeypatch.chdir(work)
    config.save_settings({"last_database": "sqlite:////nowhere/kept.sqlite3"})
    addresses = hostile_addresses(work / "a folder")
    watched = (tmp_path, config.data_dir(), config.config_dir())
    before_files, before_settings = files_under(*watched), settings_text()
    broken: list[str] = []
    for address in addresses:
        for command in (["schools", "list"], ["letters", "templates"], ["migrate"]):
            stdout, stderr = io.StringIO(), io.StringIO()
            argv = ["--db", address, *command]
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                problem = one_refusal(lambda argv=argv: main(argv), stderr, stdout)
            if problem:
                broken.append(f"{address[:60]!r} {command[0]}: {problem}")
    made = files_under(*watched) - before_files
    if made:
        broken.append(f"made on disk: {sorted(str(p) for p in made)[:5]}")
    if settings_text() != before_settings:
        broken.append("the settings changed")
    reliability(
        "hostile --db addresses, thep-admin (3 commands each)",
        trials=len(addresses) * 3,
        failures=len(broken),
        database="sqlite+postgresql",
        kill_points="",
        detail=f"{len(addresses)} addresses; exit 1, one line, no traceback, nothing made",
    )
    assert broken == []


def test_hostile_addresses_through_thep_admin_as_real_processes(
    tmp_path: Path, reliability
) -> None:  # type: ignore[no-untyped-def]
    """The process itself: no traceback however Python is started (no NUL: argv cannot hold one)."""
    work = tmp_path / "work"
    work.mkdir()
    chosen = [
        "postgresql://u@:notaport/db",
        "mysql://x/y",
        str(work),
        "sqlite:///office/x.sqlite3",
        f"postgresql://u@{CLOSED_PORT}/db?password={SECRET}",
    ]
    env = {
        **os.environ,
        "THEP_CONFIG_DIR": str(tmp_path / "config"),
        "THEP_DATA_DIR": str(tmp_path / "data"),
    }
    broken = []
    for address in chosen:
        done = subprocess.run(
            [sys.executable, "-m", "thep_desktop.cli.admin", "--db", address, "schools", "list"],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        err = done.stderr
        if (done.returncode, done.stdout) != (1, "") or err.count("\n") != 1:
            broken.append(f"{address}: exit {done.returncode}, {err!r}")
        elif "Traceback" in err or SECRET in err:
            broken.append(f"{address}: {err!r}")
        elif (
            address.startswith("sqlite:///office") and str(work / "office" / "x.sqlite3") not in err
        ):
            broken.append(f"{address}: the advice names another file: {err!r}")
    if list(work.iterdir()) or (tmp_path / "config").exists():
        broken.append(f"made on disk: {sorted(p.name for p in tmp_path.rglob('*'))}")
    reliability(
        "hostile --db addresses, thep-admin processes",
        trials=len(chosen),
        failures=len(broken),
        database="sqlite+postgresql",
        detail="exit 1, one line on stderr, no traceback, nothing made",
    )
    assert broken == []


def test_hostile_addresses_through_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reliability, pg_server_url: str
) -> None:  # type: ignore[no-untyped-def]
    """Database() or its first connection refuses each, in one sentence, without the password."""
    work = tmp_path / "work"
    (work / "a folder").mkdir(parents=True)
    monkeypatch.chdir(work)
    # Files that are not there would be made by the first connection, as a new database is;
    # whether a command may make one is thep-admin's to decide (tested above).
    addresses = [
        a
        for a in hostile_addresses(work / "a folder")
        if not a.endswith(".sqlite3") or "\x00" in a or "\n" in a or len(a) > 255
    ]
    server = make_url(normalise_url(pg_server_url))
    wrong_password = server.set(password=SECRET).render_as_string(hide_password=False)
    addresses.append(wrong_password)
    before = files_under(tmp_path)
    broken: list[str] = []
    for address in addresses:
        try:
            db = Database(address)
            try:
                db.check_connection()
                broken.append(f"{address[:60]!r}: opened")
            finally:
                db.dispose()
        except DatabaseError as exc:
            text = str(exc)
            if "\n" in text or SECRET in text:
                broken.append(f"{address[:60]!r}: {text!r}")
        except Exception as exc:  # noqa: BLE001 - anything but a DatabaseError is the failure
            broken.append(f"{address[:60]!r}: {type(exc).__name__}: {exc}")
    made = files_under(tmp_path) - before
    if made:
        broken.append(f"made on disk: {sorted(str(p) for p in made)[:5]}")
    reliability(
        "hostile addresses, Database()",
        trials=len(addresses),
        failures=len(broken),
        database="sqlite+postgresql",
        detail="DatabaseError in one sentence, no password, nothing made",
    )
    assert broken == []
