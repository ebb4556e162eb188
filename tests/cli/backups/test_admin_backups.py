"""``thep-admin backup``, ``restore`` and ``check`` on a SQLite file, and on a server database."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
from backup_files import table_checksums
from hostile_databases import folder_state
from server_backups import hide_pg_dump, sums
from sqlalchemy import text

from thep_desktop.cli.admin import main
from thep_desktop.database import Database


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


class _Terminal(io.StringIO):
    """What a person types at a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def office(tmp_path: Path, demo_source) -> str:
    _source, copy = demo_source
    return copy(tmp_path)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "backups"
    path.mkdir()
    return path


def _sqlite_only(office: str) -> Path:
    if office.startswith("postgresql"):
        pytest.skip("a local file's case; a server's is in the tests named for the server")
    return Path(office)


def test_backup_prints_the_verified_file_and_json(capsys, office, folder):
    path = _sqlite_only(office)
    code, out, err = run(capsys, "--db", office, "backup", "--to", str(folder))
    assert code == 0, err
    [made] = list(folder.glob("*.sqlite3"))
    assert made.name.startswith("partnership-office-backup-")
    assert f"Backed up and verified: {made}" in out and "90 schools" in out
    assert table_checksums(made) == table_checksums(path)
    code, out, err = run(
        capsys, "--db", office, "backup", "--to", str(folder / "x.sqlite3"), "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["file"] == str(folder / "x.sqlite3")
    assert data["schools"] == 90 and data["verified"] is True
    assert data["taken_at"][:10].count("-") == 2  # ISO
    assert set(data) == {
        "file", "taken_at", "size_bytes", "schools", "schema_revision", "automatic",
        "verified", "row_counts", "kind",
    }  # fmt: skip
    assert data["kind"] == "sqlite"


def test_backup_to_the_default_folder(capsys, office, tmp_path, monkeypatch):
    _sqlite_only(office)
    monkeypatch.setenv("THEP_DATA_DIR", str(tmp_path / "data"))
    code, out, err = run(capsys, "--db", office, "backup")
    assert code == 0, err
    assert (
        len(list((tmp_path / "data" / "backups").glob("partnership-office-backup-*.sqlite3"))) == 1
    )


def _server_only(office: str) -> Database:
    if not office.startswith("postgresql"):
        pytest.skip("server only")
    return Database(office)


def test_backup_of_a_server_database_with_and_without_pg_dump(capsys, office, folder, monkeypatch):
    db = _server_only(office)
    try:
        code, out, err = run(capsys, "--db", office, "backup", "--to", str(folder))
        assert code == 0, err
        [dump] = list(folder.glob("*.dump"))
        assert f"Backed up and verified: {dump}" in out and "90 schools" in out
        hide_pg_dump(monkeypatch)
        code, out, err = run(capsys, "--db", office, "backup", "--to", str(folder), "--json")
        assert code == 0, err
        data = json.loads(out)
        assert data["kind"] == "export" and data["file"].endswith(".zip")
        assert data["row_counts"] == {n: s.rows for n, s in sums(db, audit=True).items()}
    finally:
        db.dispose()


def test_restore_on_a_server_database(capsys, office, folder, monkeypatch, tmp_path):
    db = _server_only(office)
    monkeypatch.setenv("THEP_DATA_DIR", str(tmp_path / "data"))
    try:
        run(capsys, "--db", office, "backup", "--to", str(folder))
        [dump] = list(folder.glob("*.dump"))
        as_backed_up = sums(db, audit=False)
        with db.session() as session:
            session.execute(text("DELETE FROM contact"))
        changed = sums(db)
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        code, out, err = run(capsys, "--db", office, "restore", str(dump))
        assert code == 1 and "add --yes" in err and sums(db) == changed
        code, out, err = run(capsys, "--db", office, "restore", str(dump), "--yes")
        assert code == 0, err
        assert "with 90 schools, replaces the current one" in out and "Restored from" in out
        assert sums(db, audit=False) == as_backed_up
        assert len(list((tmp_path / "data" / "backups").glob("*.dump"))) == 1  # as it was
        (folder / "notes.zip").write_text("not a backup")
        code, out, err = run(capsys, "--db", office, "restore", str(folder / "notes.zip"), "--yes")
        assert code == 1 and "cannot be restored" in err and "Nothing was changed" in err
        assert sums(db, audit=False) == as_backed_up
    finally:
        db.dispose()


def test_restore_asks_on_a_terminal_and_refuses_without_yes_elsewhere(
    capsys, office, folder, monkeypatch, tmp_path
):
    path = _sqlite_only(office)
    monkeypatch.setenv("THEP_DATA_DIR", str(tmp_path / "data"))
    kept_in = tmp_path / "data" / "backups"  # where the current database is backed up first
    run(capsys, "--db", office, "backup", "--to", str(folder / "b.sqlite3"))
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM contact")
    changed = table_checksums(path)
    before = folder_state(folder)
    # Not a terminal, no --yes: refused in words.
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    code, out, err = run(capsys, "--db", office, "restore", str(folder / "b.sqlite3"))
    assert code == 1 and "add --yes" in err and "Nothing was changed" in err
    # A terminal, answered "n".
    monkeypatch.setattr("sys.stdin", _Terminal("n\n"))
    code, out, err = run(capsys, "--db", office, "restore", str(folder / "b.sqlite3"))
    assert code == 1 and "[y/N]" in err and "Nothing was changed." in out
    assert table_checksums(path) == changed and folder_state(folder) == before
    assert not kept_in.exists()
    # Answered "y".
    monkeypatch.setattr("sys.stdin", _Terminal("y\n"))
    code, out, err = run(capsys, "--db", office, "restore", str(folder / "b.sqlite3"))
    assert code == 0, err
    assert "with 90 schools, replaces the current one" in out
    assert table_checksums(path, audit=False) == table_checksums(folder / "b.sqlite3", audit=False)
    kept = list(kept_in.glob("*.sqlite3"))
    assert len(kept) == 1 and table_checksums(kept[0]) == changed


@pytest.mark.parametrize("bad", ["text", "truncated", "newer"])
def test_restore_refuses_a_bad_backup_with_nothing_changed(capsys, office, folder, bad):
    path = _sqlite_only(office)
    backup = folder / "b.sqlite3"
    run(capsys, "--db", office, "backup", "--to", str(backup))
    if bad == "text":
        backup.write_text("not a database")
    elif bad == "truncated":
        backup.write_bytes(backup.read_bytes()[:5000])
    else:
        with sqlite3.connect(backup) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '0099_later'")
    files = folder_state(path.parent)  # the file's bytes and times, and its -wal and -shm
    code, out, err = run(capsys, "--db", office, "restore", str(backup), "--yes")
    assert code == 1 and out == ""
    assert "cannot be restored" in err and "Nothing was changed" in err
    assert folder_state(path.parent) == files


def test_check_passes_and_finds_problems(capsys, office):
    code, out, err = run(capsys, "--db", office, "check")
    assert code == 0, err
    assert "SQLite integrity check: OK" in out or office.startswith("postgresql")
    assert "Foreign keys hold: OK" in out and "All checks passed." in out
    for invoices in (
        "Invoice totals equal their lines",
        "Invoice and credit note numbers have no gaps",
        "Nothing is paid or credited beyond its total",
    ):
        assert f"{invoices}: OK" in out
    code, out, err = run(capsys, "--db", office, "check", "--json")
    data = json.loads(out)
    assert data["passed"] is True and all(c["ok"] for c in data["checks"])
    path = _sqlite_only(office)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DELETE FROM school WHERE id IN (SELECT school_id FROM contact)")
        conn.execute("UPDATE alembic_version SET version_num = '0003_signatories'")
    code, out, err = run(capsys, "--db", office, "check")
    assert code == 1
    assert "Foreign keys hold: PROBLEMS" in out and "points to a missing school row" in out
    assert "Schema revision is this program's: PROBLEMS" in out
    assert "Some checks found problems." in out


@pytest.mark.parametrize("what", ["missing", "not a database"])
def test_check_of_what_is_not_our_database_says_so_and_makes_nothing(capsys, tmp_path, what):
    path = tmp_path / "office.sqlite3"
    if what != "missing":
        path.write_text("minutes of the last meeting")
    before = folder_state(tmp_path)
    code, out, err = run(capsys, "--db", str(path), "check")
    assert code == 1
    assert out.startswith("Recognised as this program's database: PROBLEMS")
    assert "no database of this program" in out or "not a THE Partnership Office" in out
    assert folder_state(tmp_path) == before


def test_restore_is_refused_to_a_login_whose_role_is_not_admin(capsys, office, folder, tmp_path):
    """The person restoring is found as opening finds them (here, the computer's login,
    listed as a viewer), not taken to be an administrator; nothing changes."""
    from thep_desktop.computer_login import computer_login

    path = _sqlite_only(office)
    code, _out, err = run(capsys, "--db", office, "backup", "--to", str(folder / "b.sqlite3"))
    assert code == 0, err
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM contact")
        conn.execute("DELETE FROM app_user WHERE login = ?", (computer_login(),))
        conn.execute(
            "INSERT INTO app_user (uuid, login, full_name, role, active, note, created_at, "
            "created_by, updated_at, updated_by, version) VALUES (?, ?, '', 'viewer', 1, '', "
            "'2026-11-30 12:00:00.000000', 'boss', '2026-11-30 12:00:00.000000', 'boss', 1)",
            ("0" * 31 + "1", computer_login()),
        )
    changed = table_checksums(path)
    code, _out, err = run(capsys, "--db", office, "restore", str(folder / "b.sqlite3"), "--yes")
    assert code == 1 and "(viewer) is not allowed to restore" in err
    assert table_checksums(path) == changed


def test_a_trail_cut_short_at_its_end_is_found_with_the_head_noted_earlier(capsys, office):
    """The chain cannot show its own last rows removed; the head an earlier check printed can."""
    code, out, err = run(capsys, "--db", office, "check")
    assert code == 0, err
    [line] = [x for x in out.splitlines() if x.startswith("Audit trail head: ")]
    head = line.split()[3]
    code, out, err = run(capsys, "--db", office, "check", "--head", head, "--json")
    assert code == 0, err
    assert json.loads(out)["audit_head"] == head
    seq = int(head.split(":")[0])
    db = Database(office)
    try:
        with db.engine.begin() as conn:  # as the database's owner could
            if db.is_sqlite:
                conn.exec_driver_sql("DROP TRIGGER audit_event_no_delete")
            conn.exec_driver_sql(f"DELETE FROM audit_event WHERE seq >= {seq - 2}")
    finally:
        db.dispose()
    code, out, err = run(capsys, "--db", office, "check")
    assert code == 0, err  # the chain alone sees nothing wrong
    code, out, err = run(capsys, "--db", office, "check", "--head", head)
    assert code == 1 and "Audit trail unbroken: PROBLEMS" in out
    assert f"audit record {seq}, noted earlier as the trail's last, is gone" in out
    code, out, err = run(capsys, "--db", office, "check", "--head", "12:abc")
    assert code == 2 and "is not an audit trail head" in err
