"""``thep-admin copy``: an office's local database onto the server, with its table of checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pg_databases import PgDatabases
from server_backups import sums

from thep_desktop.cli.admin import main
from thep_desktop.database import Database


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def local_office(tmp_path: Path, demo_source) -> Path:
    source, copy = demo_source
    if source.startswith("postgresql"):
        pytest.skip("the copy starts from the office's local file")
    return Path(copy(tmp_path))


def test_copy_prints_every_table_checked(capsys, local_office, new_pg_database: PgDatabases):
    target = new_pg_database.create()
    code, out, err = run(capsys, "copy", "--from", f"sqlite:///{local_office}", "--to", target)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["Table", "Rows", "Checksum"]
    assert any(line.split() == ["school", "90", "OK"] for line in lines)
    assert all(line.split()[-1] == "OK" for line in lines[1:-1])
    assert lines[-1].startswith("Copied ") and "every table checked" in lines[-1]
    assert "Copying" in err
    source, server = Database(local_office), Database(target)
    try:
        assert sums(source, audit=True) == sums(server, audit=True)
    finally:
        source.dispose()
        server.dispose()
    # Again into the same database: it holds data now.
    code, out, err = run(capsys, "copy", "--from", str(local_office), "--to", target)
    assert code == 1 and out == ""
    assert "already holds data (in" in err and "nothing was copied" in err


def test_copy_json(capsys, local_office, new_pg_database: PgDatabases):
    target = new_pg_database.create()
    code, out, err = run(capsys, "copy", "--from", str(local_office), "--to", target, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["verified"] is True and data["upgraded_from"] is None
    assert data["from"] == f"Local file: {local_office}"
    assert "thep_ci_pw" not in out  # the server's password is never printed
    school = next(t for t in data["tables"] if t["table"] == "school")
    assert school["rows"] == 90 and school["checksum_ok"] is True and len(school["sha256"]) == 64


def test_copy_from_a_missing_file_says_so(capsys, tmp_path, new_pg_database: PgDatabases):
    target = new_pg_database.create()
    code, out, err = run(
        capsys, "copy", "--from", str(tmp_path / "nowhere.sqlite3"), "--to", target
    )
    assert code == 1 and out == ""
    assert "There is no database of this program at" in err and "Nothing was copied" in err
    assert not (tmp_path / "nowhere.sqlite3").exists()
