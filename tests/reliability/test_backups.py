"""Backups under trial: round trips keep every row, a killed backup leaves no bad file under a
final name, and a damaged backup is always refused with nothing changed."""

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
from backup_files import table_checksums
from hostile_databases import folder_state
from sqlalchemy import text

from thep_desktop.database import Database
from thep_desktop.services.backups.backup_service import (
    BackupError,
    BackupService,
    check_backup_file,
)
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.shared.actor import Actor

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = [
    'St Mary & St John <C of E> "Primary"',
    "'; DROP TABLE school; --",
    "\u202eloohcS evil",  # right-to-left override
    "Zoë's 学校 😀" * 20,
    "line one\nline two\ttab",
    "\x00 after a NUL",
    "x" * 5000,
]


def _demo(path: Path, actor: Actor) -> Path:
    db = Database(path)
    db.upgrade(create=True)
    DemoService(db).load(actor)
    db.dispose()
    return path


def _hostile(path: Path) -> None:
    db = Database(path)
    with db.session() as session:
        ids = session.execute(text("SELECT id FROM school ORDER BY id")).scalars().all()
        for school_id, value in zip(ids, HOSTILE, strict=False):
            session.execute(
                text("UPDATE school SET name = :v, street = :v WHERE id = :id"),
                {"v": value, "id": school_id},
            )
        session.execute(text("UPDATE contact SET full_name = :v"), {"v": HOSTILE[3]})
    db.dispose()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _demo(tmp_path_factory.mktemp("backups-demo") / "office.sqlite3", Actor("office"))


def test_backup_then_restore_keeps_every_row(reliability, demo_file, sqlite_template, tmp_path):
    actor = Actor("office")
    registers = {"empty": sqlite_template, "demo borough": demo_file, "hostile values": None}
    failures, details = 0, []
    for name, source in registers.items():
        path = tmp_path / name / "office.sqlite3"
        path.parent.mkdir()
        shutil.copyfile(source or demo_file, path)
        if source is None:
            _hostile(path)
        folder = tmp_path / name / "backups"
        folder.mkdir()
        db = Database(path)
        try:
            service = BackupService(db)
            taken = service.back_up(actor, folder)
            original = table_checksums(path, audit=True)
            same_copy = table_checksums(taken.path, audit=True) == original
            with db.session() as session:  # the register changes after the backup
                session.execute(text("DELETE FROM contact"))
                session.execute(text("UPDATE school SET name = 'changed'"))
            service.restore(actor, taken.path, folder)
            db.dispose()
            restored = table_checksums(path, audit=False) == {
                k: v for k, v in original.items() if k not in ("audit_event", "app_user")
            }
        finally:
            db.dispose()
        if not (same_copy and restored):
            failures += 1
            details.append(f"{name}: copy {same_copy}, restored {restored}")
    reliability(
        "backup then restore: every row of every table the same",
        trials=len(registers),
        failures=failures,
        database="sqlite",
        detail="; ".join(details) or ", ".join(registers),
    )
    assert failures == 0, details


def test_a_killed_backup_never_leaves_a_bad_file_under_a_final_name(
    reliability, demo_file, tmp_path
):
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("kills processes with SIGKILL (Linux, macOS)")
    env = dict(os.environ, PYTHONPATH=str(ROOT), THEP_DATA_DIR=str(tmp_path / "data"))
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(demo_file, path)
    expected = table_checksums(path, audit=False)

    def command(folder: Path) -> list[str]:
        return [sys.executable, "-m", "thep_desktop.cli.admin", "--db", str(path), "backup",
                "--to", str(folder)]  # fmt: skip

    # One run to the end: how long a whole backup takes here, to spread the kills over it.
    started = time.monotonic()
    subprocess.run(command(tmp_path), env=env, check=True, capture_output=True)
    whole = time.monotonic() - started
    rng = random.Random(20261130)
    runs, failures, finished, nothing, partial = 6, 0, 0, 0, 0
    problems: list[str] = []
    for run in range(runs):
        folder = tmp_path / f"kill-{run}"
        folder.mkdir()
        process = subprocess.Popen(
            command(folder), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.3, 1.0) * whole)
        process.send_signal(signal.SIGKILL)
        process.wait()
        final = [p for p in folder.iterdir() if p.name.endswith(".sqlite3")]
        hidden = [p for p in folder.iterdir() if p.name.startswith(".")]
        partial += bool(hidden)
        if not final:
            nothing += 1
        for made in final:
            try:
                info = check_backup_file(made)
                ok = table_checksums(made, audit=False) == expected and info.schools == 90
            except BackupError as exc:
                ok, problems = False, [*problems, str(exc)]
            finished += ok
            failures += not ok
    reliability(
        "backup process killed at random moments",
        trials=runs,
        failures=failures,
        database="sqlite",
        kill_points=f"random, 30-100% of a {whole:.1f} s run",
        detail=f"{finished} whole verified backups, {nothing} no backup, "
        f"{partial} hidden part-files left",
    )
    assert failures == 0, problems


def test_a_damaged_backup_is_always_refused_with_nothing_changed(reliability, demo_file, tmp_path):
    actor = Actor("office")
    path = tmp_path / "db" / "office.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(demo_file, path)
    folder = tmp_path / "backups"
    folder.mkdir()
    db = Database(path)
    good = BackupService(db).back_up(actor, folder).path
    data = good.read_bytes()
    rng = random.Random(7)
    cases: list[tuple[str, bytes]] = []
    for fraction in (0.0, 0.01, 0.25, 0.5, 0.9, 0.999):
        cases.append((f"cut at {fraction:.1%}", data[: int(len(data) * fraction)]))
        # The same without its SHA-256 beside it (a backup copied on its own): SQLite's
        # checks and the recognition find it cut short.
        cases.append((f"cut at {fraction:.1%}, no digest", data[: int(len(data) * fraction)]))
    for _ in range(12):
        damaged = bytearray(data)
        for _flip in range(rng.randint(1, 8)):
            at = rng.randrange(100, len(data))
            damaged[at] ^= rng.randrange(1, 256)
        cases.append(("bytes flipped", bytes(damaged)))
    failures = 0
    problems: list[str] = []
    try:
        for number, (what, content) in enumerate(cases):
            bad = folder / f"partnership-office-backup-2026-01-01-{number:04d}.sqlite3"
            bad.write_bytes(content)
            if not what.endswith("no digest"):
                shutil.copyfile(folder / f"{good.name}.sha256", folder / f"{bad.name}.sha256")
            db.dispose()
            before_db, before_backups = folder_state(path.parent), folder_state(folder)
            try:
                BackupService(db).restore(actor, bad, folder)
                refused = False
            except BackupError as exc:
                refused = "Nothing was changed" in str(exc)
            db.dispose()
            unchanged = (
                folder_state(path.parent) == before_db and folder_state(folder) == before_backups
            )
            if not (refused and unchanged):
                failures += 1
                problems.append(f"{what}: refused {refused}, unchanged {unchanged}")
    finally:
        db.dispose()
    reliability(
        "damaged backup given to restore",
        trials=len(cases),
        failures=failures,
        database="sqlite",
        detail="12 cut short (6 without their SHA-256), 12 with 1-8 bytes flipped; all "
        "refused, files unchanged"
        if not failures
        else "; ".join(problems),
    )
    assert failures == 0, problems
