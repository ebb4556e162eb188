"""Server backups and copies under trial: a round trip keeps every row, a copy onto the server
is identical, and a copy that fails or is killed part-way leaves the server database empty."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from server_backups import hide_pg_dump, sums
from sqlalchemy import inspect, text

from thep_desktop.database import Database
from thep_desktop.services.backups import database_copy
from thep_desktop.services.backups.backup_service import BackupService
from thep_desktop.services.backups.database_copy import copy_database
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.shared.actor import Actor

ROOT = Path(__file__).resolve().parents[2]
# Values a school business manager's data may hold (a NUL is refused by the server itself).
HOSTILE = [
    'St Mary & St John <C of E> "Primary"',
    "'; DROP TABLE school; --",
    "\u202eloohcS evil",
    "Zoë's 学校 😀" * 15,
    "line one\nline two\ttab \\N \\.",
]
LONG_NOTE = "x" * 5000 + "\n\\.\n" + "y" * 100  # COPY's own end-of-data mark, inside a value


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("server-demo") / "office.sqlite3"
    db = Database(path)
    db.upgrade(create=True)
    DemoService(db).load(Actor("office"))
    with db.session() as session:
        ids = session.execute(text("SELECT id FROM school ORDER BY id")).scalars().all()
        for school_id, value in zip(ids, HOSTILE, strict=False):
            session.execute(
                text("UPDATE school SET name = :v, street = :v WHERE id = :id"),
                {"v": value, "id": school_id},
            )
        session.execute(text("UPDATE school SET notes = :v WHERE id = 90"), {"v": LONG_NOTE})
    db.dispose()
    return path


def _local_copy(demo_file: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "office.sqlite3"
    shutil.copyfile(demo_file, path)
    return path


def _tables(url: str) -> list[str]:
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            return inspect(conn).get_table_names()
    finally:
        db.dispose()


@pytest.mark.parametrize("kind", ["pg_dump", "export"])
def test_backup_then_restore_on_postgresql_gives_identical_data(
    reliability, demo_file, new_pg_database, tmp_path, monkeypatch, kind
):
    if kind == "export":
        hide_pg_dump(monkeypatch)
    actor = Actor("office")
    url = new_pg_database.create()
    copy_database(str(demo_file), url)
    db = Database(url)
    rng = random.Random(f"{kind}-20261130")
    trials, failures, problems = 3, 0, []
    try:
        for trial in range(trials):
            folder = tmp_path / f"trial-{trial}"
            folder.mkdir()
            with db.session() as session:  # each trial backs up a different register
                session.execute(
                    text("UPDATE school SET notes = :n WHERE id = :id"),
                    {"n": f"trial {trial}", "id": rng.randint(1, 90)},
                )
            taken = BackupService(db).back_up(actor, folder)
            as_backed_up = sums(db, audit=False)
            with db.session() as session:
                session.execute(text("DELETE FROM contact WHERE id % :m = 0"), {"m": trial + 2})
                session.execute(text("UPDATE school SET name = 'Changed' WHERE id < 10"))
            BackupService(db).restore(actor, taken.path, folder)
            restored = sums(db, audit=False)
            if restored != as_backed_up or taken.kind != kind:
                failures += 1
                problems.append(f"trial {trial}: {taken.kind}, tables differ")
    finally:
        db.dispose()
    reliability(
        f"backup then restore on PostgreSQL ({'pg_dump' if kind == 'pg_dump' else 'our export'})",
        trials=trials,
        failures=failures,
        database="postgresql",
        detail="demo borough with hostile names; checksums of every table before and after",
    )
    assert failures == 0, problems


def test_copy_from_sqlite_to_postgresql_is_identical(
    reliability, demo_file, new_pg_database, tmp_path
):
    trials, failures, problems = 2, 0, []
    for trial in range(trials):
        source = _local_copy(demo_file, tmp_path / f"trial-{trial}")
        url = new_pg_database.create()
        result = copy_database(str(source), url)
        local, server = Database(source), Database(url)
        try:
            same = sums(local, audit=True) == sums(server, audit=True) and all(
                t.ok for t in result.tables
            )
        finally:
            local.dispose()
            server.dispose()
        if not same:
            failures += 1
            problems.append(f"trial {trial}: tables differ")
    reliability(
        "copy from SQLite to PostgreSQL is identical",
        trials=trials,
        failures=failures,
        database="sqlite -> postgresql",
        detail=f"demo borough with hostile names, {result.rows:,} rows; checksums per table",
    )
    assert failures == 0, problems


def test_a_copy_failing_part_way_leaves_the_server_database_empty(
    reliability, demo_file, new_pg_database, monkeypatch
):
    tables = ["organisation_profile", "staff_member", "school", "contact", "correspondence"]
    real = database_copy.insert_rows
    failures, problems = 0, []
    for failing in tables:

        def fails(conn, table, rows, progress=None, total=0, failing=failing):  # type: ignore[no-untyped-def]
            if table.name == failing:
                raise ConnectionResetError("the server went away mid-copy")
            return real(conn, table, rows, progress, total)

        monkeypatch.setattr(database_copy, "insert_rows", fails)
        url = new_pg_database.create()
        try:
            copy_database(str(demo_file), url)
            problems.append(f"{failing}: no failure")
        except ConnectionResetError:
            pass
        left = _tables(url)
        if left:
            failures += 1
            problems.append(f"failed at {failing}: {len(left)} tables left")
    reliability(
        "copy failed part-way leaves the server database empty",
        trials=len(tables),
        failures=failures + len([p for p in problems if "no failure" in p]),
        database="postgresql",
        kill_points="an error while inserting each table in turn",
    )
    assert failures == 0 and not problems, problems


def test_a_killed_copy_leaves_the_server_database_empty_or_whole(
    reliability, demo_file, new_pg_database, tmp_path
):
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("kills processes with SIGKILL (Linux, macOS)")
    env = dict(os.environ, PYTHONPATH=str(ROOT), THEP_DATA_DIR=str(tmp_path / "data"))
    expected = None
    local = Database(demo_file)
    try:
        expected = sums(local, audit=True)
    finally:
        local.dispose()

    def command(url: str) -> list[str]:
        return [sys.executable, "-m", "thep_desktop.cli.admin", "copy", "--from", str(demo_file),
                "--to", url]  # fmt: skip

    started = time.monotonic()
    subprocess.run(command(new_pg_database.create()), env=env, check=True, capture_output=True)
    whole = time.monotonic() - started
    rng = random.Random(20261130)
    runs, failures, empty, finished = 4, 0, 0, 0
    for _run in range(runs):
        url = new_pg_database.create()
        process = subprocess.Popen(
            command(url), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.4, 1.0) * whole)
        process.send_signal(signal.SIGKILL)
        process.wait()
        time.sleep(0.2)  # the server notices the lost connection and rolls its transaction back
        if not _tables(url):
            empty += 1
            continue
        server = Database(url)
        try:
            whole_copy = sums(server, audit=True) == expected
        finally:
            server.dispose()
        finished += whole_copy
        failures += not whole_copy
    reliability(
        "copy process killed at random moments",
        trials=runs,
        failures=failures,
        database="sqlite -> postgresql",
        kill_points=f"random, 40-100% of a {whole:.1f} s run",
        detail=f"{empty} left the server database empty, {finished} finished whole",
    )
    assert failures == 0
