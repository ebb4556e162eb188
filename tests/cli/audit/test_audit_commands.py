"""``thep-admin audit`` on a SQLite file and on a server database."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from thep_desktop.cli.admin import main
from thep_desktop.computer_login import computer_login
from thep_desktop.database import Database
from thep_desktop.models import AppUser, AuditEvent, School
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.services.shared.actor import Actor, Role


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def edit_a_school(address: str) -> str:
    """Change one demo school's phone; its uuid."""
    database = Database(address)
    try:
        services = Services(database, Actor("jo.bloggs"))
        with database.read_session() as s:
            school_id = s.scalar(select(School.id).order_by(School.id).limit(1))
        detail = services.schools.get_school(services.actor, school_id)
        changed = replace(detail.as_input(), phone="020 7946 1111")
        services.schools.update_school(services.actor, school_id, detail.version, changed)
        return str(detail.uuid)
    finally:
        database.dispose()


def audit_count(address: str) -> int:
    database = Database(address)
    try:
        with database.read_session() as s:
            return s.scalar(select(func.count()).select_from(AuditEvent)) or 0
    finally:
        database.dispose()


def audit_since(address: str, count: int) -> set[tuple[str, str]]:
    """(action, table) of the events after the first ``count``."""
    database = Database(address)
    try:
        with database.read_session() as s:
            found = s.execute(
                select(AuditEvent.action, AuditEvent.table_name).where(AuditEvent.seq > count)
            )
            return {(action, table) for action, table in found}
    finally:
        database.dispose()


def test_audit_lists_a_records_history_and_searches(
    capsys: pytest.CaptureFixture[str], demo_copy: str
) -> None:
    record = edit_a_school(demo_copy)

    code, out, err = run(capsys, "--db", demo_copy, "audit", "--record", record)
    assert code == 0, err
    assert "Changed" in out and "Phone:" in out and "020 7946 1111" in out
    assert "Created" in out and "Contact:" in out  # the school's contacts belong to it

    code, out, err = run(capsys, "--db", demo_copy, "audit", "--record", record, "--json")
    assert code == 0, err
    data = json.loads(out)
    first = data["events"][0]
    assert first["action"] == "update" and first["record_uuid"] == record
    assert first["occurred_at"].endswith("+00:00")
    phone = next(c for c in first["changes"] if c["field"] == "Phone")
    assert phone["after"] == "020 7946 1111" and phone["before"] != phone["after"]

    code, out, err = run(
        capsys,
        "--db",
        demo_copy,
        "audit",
        "--action",
        "update",
        "--since",
        "2020-01-01",
        "--until",
        "31/12/2099",
        "--search",
        "7946 1111",
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["total"] == 1 and data["events"][0]["record_uuid"] == record

    code, out, err = run(
        capsys, "--db", demo_copy, "audit", "--search", "7946 1111", "--limit", "5"
    )
    assert code == 0, err
    assert "1 event." in out

    code, out, err = run(capsys, "--db", demo_copy, "audit", "--limit", "3")
    assert code == 0, err
    assert "; showing the newest 3." in out


def test_audit_exports_to_excel(
    capsys: pytest.CaptureFixture[str], demo_copy: str, tmp_path: Path
) -> None:
    target = tmp_path / "trail.xlsx"
    code, out, err = run(
        capsys, "--db", demo_copy, "audit", "--action", "create", "--xlsx", str(target)
    )
    assert code == 0, err
    created = int(out.split()[1].replace(",", ""))
    assert created > 300  # the demo borough: schools, contacts, link officers
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sum(1 for row in rows if len(row) > 3 and row[3] == "Created") == created


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "31/02/2026"], "31/02/2026"),
        (["--record", "not-a-uuid"], "is not a record's id"),
        (["--action", "rewrite"], "invalid choice"),
        (["--limit", "0"], "whole number from 1 up"),
        (["--since", "2026-02-01", "--until", "2026-01-01"], "swap them"),
        (["--xlsx", "trail.csv"], ".xlsx"),
    ],
)
def test_audit_refuses_bad_input_in_words(
    capsys: pytest.CaptureFixture[str],
    demo_copy: str,
    args: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    before = audit_count(demo_copy)
    code, out, err = run(capsys, "--db", demo_copy, "audit", *args)
    assert code in (1, 2)
    assert message in err and out == ""
    assert not (tmp_path / "trail.csv").exists()
    # Nothing changed: at most the login was recorded (and, on a file, the login's user).
    assert audit_since(demo_copy, before) <= {("login", "app_user"), ("create", "app_user")}


def test_audit_search_is_for_admins_but_history_is_for_everyone(
    capsys: pytest.CaptureFixture[str], sqlite_db: Database, tmp_path: Path
) -> None:
    # On a local file the computer's login is a user like any other: make it a viewer.
    address = str(sqlite_db.url.database)
    admin = Services(sqlite_db, Actor("boss", Role.ADMIN))
    admin.users.add_user(admin.actor, "boss", Role.ADMIN)
    admin.users.add_user(admin.actor, computer_login(), Role.VIEWER)
    with sqlite_db.read_session() as s:
        record = str(s.scalar(select(AppUser.uuid).where(AppUser.login == "boss")))
    before = audit_count(address)
    target = tmp_path / "trail.xlsx"

    code, out, err = run(capsys, "--db", address, "audit", "--xlsx", str(target))
    assert code == 1
    assert "is not allowed to search the whole audit trail" in err
    assert not target.exists()

    code, out, err = run(capsys, "--db", address, "audit", "--record", record)
    assert code == 0, err
    assert "User: boss" in out
    # The login and the refusal were recorded; nothing else changed.
    assert audit_count(address) == before + 3  # login, refusal, login


def test_on_the_server_a_staff_login_reads_a_history_but_cannot_search(
    capsys: pytest.CaptureFixture[str], pg_db: Database
) -> None:
    from sqlalchemy.engine import make_url

    from thep_desktop.services.users.server_roles import apply_grants

    with pg_db.engine.begin() as conn:
        apply_grants(conn)
    owner = Services(pg_db, Actor("owner", Role.ADMIN))
    login, password = f"thep_t_clerk_{uuid.uuid4().hex[:8]}", "Staff-Login-1"
    owner.users.add_user(owner.actor, login, Role.STAFF, password=password)
    school = owner.schools.create_school(
        owner.actor, SchoolInput(urn="100001", name="Bow Primary School", la_code="211")
    )
    address = (
        make_url(pg_db.url.render_as_string(hide_password=False))
        .set(username=login, password=password)
        .render_as_string(hide_password=False)
    )
    try:
        before = audit_count(address)
        code, out, err = run(capsys, "--db", address, "audit", "--json")
        assert code == 1
        assert f"{login} (staff) is not allowed to search the whole audit trail" in err
        assert out == ""
        # The refusal was written to the trail, naming the server's login; nothing else.
        assert audit_since(address, before) == {("login", "app_user"), ("refused", "")}

        code, out, err = run(capsys, "--db", address, "audit", "--record", str(school.uuid))
        assert code == 0, err
        assert "Created" in out and "School: Bow Primary School" in out
    finally:
        with pg_db.engine.begin() as conn:
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{login}"')
