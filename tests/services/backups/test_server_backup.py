"""Backing up and restoring a PostgreSQL database: pg_dump, our own export, and refusals."""

from __future__ import annotations

import json
import subprocess
import zipfile
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from hostile_databases import folder_state
from invoice_records import customer, issued
from server_backups import hide_pg_dump, load_sql_dump, sums
from sqlalchemy import text

from thep_desktop import __version__
from thep_desktop.database import Database, head_revision
from thep_desktop.services.backups import server_backup
from thep_desktop.services.backups.backup_service import BackupError, BackupService, digest_path
from thep_desktop.services.backups.database_checks import run_checks
from thep_desktop.services.backups.table_checksums import canonical, row_line
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import PermissionDeniedError

MOMENT = datetime(2026, 11, 30, 14, 15)


def _service(db: Database, when: datetime = MOMENT) -> BackupService:
    return BackupService(db, now=lambda: when)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "chosen"
    path.mkdir()
    return path


@pytest.fixture
def demo_pg(pg_db: Database, actor: Actor) -> Database:
    DemoService(pg_db).load(actor)
    # An issued invoice too: its rows are refused any DELETE, and a restore replaces them.
    services = Services(pg_db, actor)
    issued(services, customer(services), invoice_date=date.today())
    return pg_db


def _change(db: Database) -> None:
    """What happens to a register after a backup: contacts gone, a school renamed."""
    with db.session() as session:
        session.execute(text("DELETE FROM contact"))
        session.execute(text("UPDATE school SET name = 'Renamed' WHERE id = 1"))


# -- the canonical form ---------------------------------------------------------------------
def test_the_canonical_form_tells_null_from_empty_and_ignores_time_zones():
    assert row_line([None]) != row_line([""])
    london_summer = datetime(2026, 6, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    assert canonical(london_summer) == canonical(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    assert canonical(london_summer) == "2026-06-01T09:00:00+00:00"
    assert canonical(date(2026, 1, 15)) == "2026-01-15"
    assert canonical(Decimal("12.50")) == "12.50"
    assert canonical(b"\x00\xff") == "00ff"
    assert canonical(True) is True and row_line([True]) != row_line([1]) != row_line(["1"])


def test_a_json_column_has_one_canonical_form_whatever_the_order_of_its_keys():
    """An invoice's supplier as issued is a JSON object: the same whichever database (or
    order) gives its keys back, and different when a value differs."""
    one = {"name": "THEP", "address": "229 Bethnal Green Road", "vat_number": ""}
    other = {"vat_number": "", "address": "229 Bethnal Green Road", "name": "THEP"}
    assert row_line([one]) == row_line([other])
    assert row_line([one]) != row_line([{**one, "vat_number": "GB123456789"}])
    assert canonical({"lines": [Decimal("1.50"), None]}) == {"lines": ["1.50", None]}


def test_checksums_change_with_any_value_on_both_databases(db: Database, actor):
    DemoService(db).load(actor)
    found = []
    for closed, notes in ((None, ""), (date(2026, 1, 1), ""), (None, " ")):
        with db.session() as session:
            session.execute(
                text("UPDATE school SET close_date = :c, notes = :n WHERE id = 1"),
                {"c": closed, "n": notes},
            )
        found.append(sums(db))
    assert {f["school"].rows for f in found} == {90}
    assert len({f["school"].sha256 for f in found}) == 3  # a date or a space is seen
    assert found[0]["contact"] == found[2]["contact"]  # other tables as they were


# -- backing up -----------------------------------------------------------------------------
def test_back_up_a_server_database_with_pg_dump(demo_pg: Database, actor, folder):
    info = _service(demo_pg).back_up(actor, folder)
    assert info.kind == "pg_dump"
    assert info.path == folder / "partnership-office-backup-2026-11-30-1415.dump"
    assert sorted(p.name for p in folder.iterdir()) == [
        info.path.name,
        f"{info.path.name}.manifest.json",
        f"{info.path.name}.sha256",
    ]
    assert info.path.read_bytes()[:5] == b"PGDMP"
    assert info.schools == 90
    manifest = json.loads(server_backup.sidecar_path(info.path).read_text())
    assert manifest["schema_revision"] == head_revision()
    assert manifest["tables"] == {
        n: {"rows": s.rows, "sha256": s.sha256} for n, s in sums(demo_pg).items()
    }
    listing = subprocess.run(["pg_restore", "--list", str(info.path)], capture_output=True)
    assert listing.returncode == 0 and b"TABLE DATA public school " in listing.stdout


def test_pg_dump_gets_the_password_in_its_environment_never_on_its_command_line(
    demo_pg: Database, actor, folder, monkeypatch
):
    seen: list[tuple[list[str], dict[str, str]]] = []
    real = subprocess.run

    def watched(arguments, **kwargs):  # type: ignore[no-untyped-def]
        seen.append((list(arguments), dict(kwargs.get("env") or {})))
        return real(arguments, **kwargs)

    monkeypatch.setattr(server_backup.subprocess, "run", watched)
    _service(demo_pg).back_up(actor, folder)
    [(arguments, env)] = [(a, e) for a, e in seen if "-Fc" in a]
    password = demo_pg.url.password
    assert password and env["PGPASSWORD"] == password
    assert not any(password in argument for argument in arguments)
    assert any(a.startswith("--snapshot=") for a in arguments)


def test_without_pg_dump_the_server_database_is_exported_in_our_own_format(
    demo_pg: Database, actor, folder, monkeypatch
):
    hide_pg_dump(monkeypatch)
    info = _service(demo_pg).back_up(actor, folder)
    assert info.kind == "export"
    assert info.path.name == "partnership-office-backup-2026-11-30-1415.zip"
    assert sorted(p.name for p in folder.iterdir()) == [info.path.name, f"{info.path.name}.sha256"]
    expected = sums(demo_pg)
    with zipfile.ZipFile(info.path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        members = sorted(archive.namelist())
        school_lines = archive.read("tables/school.jsonl").splitlines()
    assert manifest["program_version"] == __version__
    assert manifest["schema_revision"] == head_revision()
    assert manifest["database"] == demo_pg.describe().location
    assert demo_pg.url.password not in info.path.read_bytes().decode("latin-1")
    datetime.fromisoformat(manifest["taken_at"])
    assert manifest["tables"] == {
        n: {"rows": s.rows, "sha256": s.sha256} for n, s in expected.items()
    }
    assert members == sorted(["manifest.json", *(f"tables/{n}.jsonl" for n in expected)])
    assert len(school_lines) == 90
    assert manifest["columns"]["school"][:2] == ["id", "uuid"]


def test_a_server_export_that_does_not_read_back_the_same_is_not_kept(
    demo_pg: Database, actor, folder, monkeypatch
):
    hide_pg_dump(monkeypatch)
    real = server_backup.read_export

    def misread(path: Path):  # type: ignore[no-untyped-def]
        found = real(path)
        found.sums["school"] = server_backup.TableSum(89, found.sums["school"].sha256)
        return found

    monkeypatch.setattr(server_backup, "read_export", misread)
    with pytest.raises(BackupError, match="did not read back the same"):
        _service(demo_pg).back_up(actor, folder)
    assert list(folder.iterdir()) == []


def test_the_daily_backup_is_for_local_files_only(pg_db, actor, folder):
    assert _service(pg_db).daily_backup(actor, folder) is None
    assert list(folder.iterdir()) == []


# -- restoring ------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["pg_dump", "export"])
def test_restore_on_the_server_puts_every_row_back_after_backing_up(
    demo_pg: Database, actor, folder, monkeypatch, kind
):
    if kind == "export":
        hide_pg_dump(monkeypatch)
    taken = _service(demo_pg).back_up(actor, folder)
    assert taken.kind == kind
    as_backed_up = sums(demo_pg, audit=False)
    _change(demo_pg)
    changed = sums(demo_pg)
    assert changed != as_backed_up
    _info, words = _service(demo_pg).restore_plan(actor, taken.path)
    assert words == (
        "The register as it was on 30/11/2026 at 14:15, with 90 schools, replaces the current "
        "one on the server, for everyone who uses it; the current one is backed up first."
    )
    before, note = _service(demo_pg, MOMENT + timedelta(minutes=1)).restore(
        actor, taken.path, folder
    )
    assert note == ""
    assert sums(demo_pg, audit=False) == as_backed_up
    assert before.name.startswith("partnership-office-backup-2026-11-30-1416")
    # The register as it was before the restore is kept, and holds the changed data.
    kept = _service(demo_pg).check_backup(before)
    assert kept.row_counts == {n: s.rows for n, s in changed.items()}
    assert all(result.ok for result in run_checks(demo_pg, actor))
    # New records get ids after the restored ones.
    with demo_pg.session() as session:
        session.execute(
            text(
                "INSERT INTO staff_member (uuid, full_name, job_title, email, phone, active, "
                "created_at, created_by, updated_at, updated_by, version) VALUES "
                "(gen_random_uuid(), 'New', '', '', '', true, now(), 'x', now(), 'x', 1)"
            )
        )
        newest = session.execute(text("SELECT max(id) FROM staff_member")).scalar()
    assert newest == as_backed_up["staff_member"].rows + 1


@pytest.mark.parametrize("kind", ["pg_dump", "export"])
def test_an_older_schema_server_backup_is_restored_then_upgraded(
    new_pg_database, actor, folder, monkeypatch, kind
):
    from fixtures.make_schema_fixtures import fixture_paths

    if kind == "export":
        hide_pg_dump(monkeypatch)
    old = Database(new_pg_database.create())
    current = Database(new_pg_database.create(migrated=True))
    try:
        load_sql_dump(old.address, fixture_paths("0003")[1])
        assert old.current_revision() == "0003_signatories"
        taken = _service(old).back_up(actor, folder)
        assert taken.revision == "0003_signatories" and taken.kind == kind
        DemoService(current).load(actor)
        _before, note = _service(current, MOMENT + timedelta(minutes=1)).restore(
            actor, taken.path, folder
        )
        assert "upgraded from schema 0003_signatories" in note
        assert current.current_revision() == head_revision()
        assert sums(current)["school"].rows == taken.row_counts["school"]
        with current.read_session() as session:
            names = session.execute(text("SELECT name FROM school ORDER BY id")).scalars().all()
        with old.read_session() as session:
            assert (
                names
                == session.execute(text("SELECT name FROM school ORDER BY id")).scalars().all()
            )
        assert all(result.ok for result in run_checks(current, actor))
    finally:
        old.dispose()
        current.dispose()


def test_a_restore_that_does_not_match_the_backup_is_undone(
    demo_pg: Database, actor, folder, monkeypatch
):
    taken = _service(demo_pg).back_up(actor, folder)
    _change(demo_pg)
    changed = sums(demo_pg)
    real = server_backup.table_checksums

    def one_row_short(conn, progress=None):  # type: ignore[no-untyped-def]
        found = real(conn, progress)
        found["school"] = server_backup.TableSum(89, found["school"].sha256)
        return found

    monkeypatch.setattr(server_backup, "table_checksums", one_row_short)
    with pytest.raises(BackupError, match="did not match the backup.*Nothing was changed"):
        _service(demo_pg, MOMENT + timedelta(minutes=1)).restore(actor, taken.path, folder)
    assert sums(demo_pg) == changed


def _foreign_database_dump(new_pg_database, folder: Path) -> Path:
    url = new_pg_database.create()
    db = Database(url)
    try:
        with db.engine.begin() as conn:
            conn.execute(text("CREATE TABLE invoices (id serial PRIMARY KEY, total numeric)"))
            conn.execute(text("INSERT INTO invoices (total) VALUES (12.5)"))
        target = folder / "their-backup.dump"
        env = {"PGPASSWORD": db.url.password or ""}
        subprocess.run(
            ["pg_dump", "-Fc", "-f", str(target), "-h", db.url.host, "-p", str(db.url.port),
             "-U", db.url.username, db.url.database],
            check=True, env=env, capture_output=True,
        )  # fmt: skip
        return target
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        ("truncated export", "damaged"),
        ("changed export line", "damaged"),
        ("one byte", "damaged since the backup was made"),
        ("newer export", "newer version of THE Partnership Office"),
        ("another program's zip", "not a backup of THE Partnership Office"),
        ("truncated dump", "damaged"),
        ("another database's dump", "another program's database"),
        ("a local backup", "backup of a local database file"),
        ("text", "not a backup of THE Partnership Office"),
    ],
)
def test_a_bad_server_backup_is_refused_with_nothing_changed(
    demo_pg: Database, actor, folder, monkeypatch, new_pg_database, sqlite_db, damage, words
):
    if "export" in damage or "zip" in damage or damage == "one byte":
        hide_pg_dump(monkeypatch)
    taken = _service(demo_pg).back_up(actor, folder)
    bad = taken.path
    data = bad.read_bytes()
    if damage in ("truncated export", "truncated dump"):
        bad.write_bytes(data[: len(data) // 2])
    elif damage == "one byte":
        bad.write_bytes(data[:100] + bytes([data[100] ^ 0x01]) + data[101:])
    elif damage in ("changed export line", "newer export", "another program's zip"):
        with zipfile.ZipFile(bad) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        manifest = json.loads(members["manifest.json"])
        if damage == "changed export line":
            members["tables/school.jsonl"] = members["tables/school.jsonl"].replace(
                b'"Bow', b'"Bew', 1
            )
        elif damage == "newer export":
            manifest["schema_revision"] = "0099_from_the_future"
        else:
            manifest = {"kind": "photos"}
        members["manifest.json"] = json.dumps(manifest).encode()
        bad.unlink()
        with zipfile.ZipFile(bad, "w") as archive:
            for name, body in members.items():
                archive.writestr(name, body)
    elif damage == "another database's dump":
        bad = _foreign_database_dump(new_pg_database, folder)
    elif damage == "a local backup":
        bad = BackupService(sqlite_db).back_up(actor, folder / "local.sqlite3").path
        digest_path(bad).unlink()
    else:
        bad.write_text("Dear colleague, here is the backup.")
    if damage != "one byte":
        digest_path(bad).unlink(missing_ok=True)
    _change(demo_pg)
    changed = sums(demo_pg)
    files = folder_state(folder)
    with pytest.raises(BackupError, match=words) as refused:
        _service(demo_pg, MOMENT + timedelta(minutes=1)).restore(actor, bad, folder)
    assert "Nothing was changed" in str(refused.value)
    assert sums(demo_pg) == changed
    assert folder_state(folder) == files


def test_restoring_on_the_server_needs_the_admin_role(demo_pg: Database, folder):
    viewer = Actor("vi", Role.VIEWER)
    taken = _service(demo_pg).back_up(viewer, folder)  # VIEW is enough to back up
    _change(demo_pg)
    changed = sums(demo_pg)
    files = folder_state(folder)
    for role in (Role.STAFF, Role.CLERK, Role.TREASURER, Role.VIEWER):
        with pytest.raises(PermissionDeniedError):
            _service(demo_pg).restore(Actor("x", role), taken.path, folder)
    assert sums(demo_pg) == changed and folder_state(folder) == files


def test_a_server_backup_is_not_restored_onto_a_local_file(demo_pg, sqlite_db, actor, folder):
    taken = _service(demo_pg).back_up(actor, folder)
    before = sums(sqlite_db)
    with pytest.raises(BackupError, match="backup of a server database"):
        _service(sqlite_db).restore(actor, taken.path, folder)
    assert sums(sqlite_db) == before


def test_list_backups_of_a_server_database(demo_pg: Database, actor, folder, monkeypatch):
    dump = _service(demo_pg).back_up(actor, folder)
    hide_pg_dump(monkeypatch)
    export = _service(demo_pg, MOMENT + timedelta(minutes=1)).back_up(actor, folder)
    monkeypatch.undo()
    (folder / "partnership-office-backup-2026-11-29-1000.zip").write_bytes(b"junk")
    listed = _service(demo_pg).list_backups(folder)
    assert [(i.path, i.kind, i.schools) for i in listed] == [
        (export.path, "export", 90),
        (dump.path, "pg_dump", 90),
    ]


def test_pg_tools_are_looked_for_where_postgresql_installs_them(monkeypatch, tmp_path):
    for major in ("13", "16"):
        tool = tmp_path / "PostgreSQL" / major / "bin" / "pg_dump"
        tool.parent.mkdir(parents=True)
        tool.write_text(f"#!/bin/sh\necho 'pg_dump (PostgreSQL) {major}.2'\n")
        tool.chmod(0o755)
    monkeypatch.setattr(
        server_backup, "TOOL_FOLDERS", (str(tmp_path / "PostgreSQL" / "*" / "bin"),)
    )
    monkeypatch.setattr(server_backup.shutil, "which", lambda name: None)
    assert server_backup.find_pg_tool("pg_dump", 15) == tmp_path / "PostgreSQL/16/bin/pg_dump"
    assert server_backup.find_pg_tool("pg_dump", 13).parent.parent.name == "16"  # the newest
    assert server_backup.find_pg_tool("pg_dump", 17) is None  # too old for the server


def test_a_login_that_may_only_read_cannot_restore_and_nothing_changes(
    demo_pg: Database, actor, folder
):
    taken = _service(demo_pg).back_up(actor, folder)
    _change(demo_pg)
    changed = sums(demo_pg)
    reader = Database(
        demo_pg.url.update_query_dict({"options": "-c default_transaction_read_only=on"})
    )
    try:
        with pytest.raises(BackupError, match="server refused the restore.*Nothing was changed"):
            _service(reader, MOMENT + timedelta(minutes=1)).restore(actor, taken.path, folder)
    finally:
        reader.dispose()
    assert sums(demo_pg) == changed
