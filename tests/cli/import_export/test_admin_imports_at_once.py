"""``thep-admin import-gias`` run twice at once, on a stale preview, and on a busy database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gias_files import gias_row, write_gias
from lock_holders import write_lock_held

from thep_desktop.cli.admin import main
from thep_desktop.database import Database
from thep_desktop.services.import_export.gias_import import GiasImportService
from thep_desktop.services.registry import open_services
from thep_desktop.services.shared.actor import Actor


def register_names(address: str) -> list[tuple[int, str]]:
    services, _note = open_services(address, Actor("office"))
    try:
        rows = services.schools.list_schools(services.actor)
        return sorted((r.urn, r.name) for r in rows)
    finally:
        services.close()


def start_import(address: str, path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "thep_desktop.cli.admin", "--db", address, "import-gias", str(path)]
        + ["--all"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | {"PYTHONPATH": str(Path(__file__).parents[3])},
    )


def test_two_imports_of_the_same_file_at_once_both_end_well(migrated_db, tmp_path):
    path = write_gias(tmp_path / "g.csv", [gias_row(100000 + i) for i in range(200)])
    runs = [start_import(migrated_db, path) for _ in range(2)]
    results = [(p.wait(120), *p.communicate()) for p in runs]
    for code, _out, err in results:
        assert code == 0, err
        assert "Traceback" not in err and "Error" not in err
    endings = sorted(out.strip().splitlines()[-1] for _code, out, _err in results)
    assert endings[0] == (
        "Applied: 200 new schools, 0 updated, 0 closed; 200 Ofsted inspections added."
    )
    assert endings[1] in (
        "Nothing in the register needed changing.",
        "Nothing left to change: someone else made the same changes to the register after "
        "this preview.",
    )
    assert register_names(migrated_db) == [(100000 + i, f"School {100000 + i}") for i in range(200)]


def test_a_stale_preview_is_one_line_and_exit_1(migrated_db, tmp_path, capsys, monkeypatch):
    """Someone imports another file between this command's preview and its apply."""
    mine = write_gias(tmp_path / "m.csv", [gias_row(100001, EstablishmentName="Mine")])
    theirs = write_gias(tmp_path / "t.csv", [gias_row(100001, EstablishmentName="Theirs")])
    preview = GiasImportService.preview

    def preview_then_someone_imports(self, actor, path, **kwargs):  # type: ignore[no-untyped-def]
        found = preview(self, actor, path, **kwargs)
        other = Database(migrated_db)
        service = GiasImportService(other)
        service.apply(
            Actor("sam.other"), preview(service, Actor("sam.other"), theirs, la_code=None)
        )
        other.dispose()
        return found

    monkeypatch.setattr(GiasImportService, "preview", preview_then_someone_imports)
    code = main(["--db", migrated_db, "import-gias", str(mine), "--all"])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.splitlines()[-1] + "\n" == (
        "thep-admin: The register changed since this preview (someone added Mine (URN 100001)); "
        "make a new preview. Nothing was imported.\n"
    )
    assert register_names(migrated_db) == [(100001, "Theirs")]


def test_a_busy_database_is_waited_for_then_said_in_one_line(
    migrated_db, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("THEP_SAVE_WAIT_SECONDS", "1")
    path = write_gias(tmp_path / "g.csv", [gias_row(100001)])
    db = Database(migrated_db)
    try:
        with write_lock_held(db):
            code = main(["--db", migrated_db, "import-gias", str(path), "--all"])
    finally:
        db.dispose()
    _out, err = capsys.readouterr()
    assert code == 1
    lines = err.splitlines()
    assert "Waiting for the database: someone else is saving (0 s)…" in lines
    assert lines[-1] == (
        "thep-admin: The database is busy: someone else is saving a large change. Nothing was "
        "saved; try again in a minute."
    )
    assert register_names(migrated_db) == []
