"""The audit trail under ordinary work and under attack: every record has its `create` row,
and a row edited, removed or forged afterwards is found by `thep-admin check`."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from gias_files import gias_row, write_gias
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from thep_desktop.database import Database
from thep_desktop.models import AuditEvent, Base
from thep_desktop.services.backups.database_checks import run_checks
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.letters.letters_service import TemplateInput
from thep_desktop.services.registry import Services
from thep_desktop.services.settings.staff_service import StaffInput
from thep_desktop.services.shared.actor import Actor

AUDIT = "Audit trail unbroken"


def ordinary_work(db: Database, folder: Path) -> Services:
    """A day at the office: the demo borough, edits, a closure, a contact removed, a GIAS
    import, a letter run."""
    services = Services(db, Actor("jo.bloggs"))
    actor = services.actor
    DemoService(db).load(actor)
    schools = services.schools.list_schools(actor)
    first = services.schools.get_school(actor, schools[0].id)
    services.schools.update_school(
        actor, first.id, first.version, replace(first.as_input(), notes="Visit in March")
    )
    second = services.schools.get_school(actor, schools[1].id)
    services.schools.close_school(actor, second.id, second.version, "31/08/2026")
    third = services.schools.get_school(actor, schools[2].id)
    kept = replace(third.as_input(), contacts=third.as_input().contacts[1:])  # one removed
    services.schools.update_school(actor, third.id, third.version, kept)
    staff = services.staff.list_staff(actor)[0]
    services.staff.update_staff(
        actor,
        staff.id,
        staff.version,
        StaffInput(staff.full_name, "Senior officer", staff.email, staff.phone),
    )
    extract = write_gias(
        folder / "gias.csv",
        [gias_row(190001, EstablishmentName="Brand New Primary"), gias_row(first.urn)],
    )
    preview = services.gias_import.preview(actor, extract, la_code="211")
    services.gias_import.apply(actor, preview)
    letters = services.letters
    (folder / "letters").mkdir()
    template = letters.create_template(
        actor, TemplateInput(name="Reminder", subject="About {school.name}", body="Hello.")
    )
    letters.produce(
        actor,
        template.id,
        [s.id for s in schools[3:6]],
        letters.check_contact_role(actor, "Head teacher"),
        recipient_folder=folder / "letters",
    )
    return services


def records_without_create(db: Database) -> list[str]:
    """Every record of every table with a uuid whose `create` row is missing."""
    missing = []
    with db.read_session() as session:
        created = {
            (table, str(record))
            for table, record in session.execute(
                select(AuditEvent.table_name, AuditEvent.record_uuid).where(
                    AuditEvent.action == "create"
                )
            )
        }
        for table in Base.metadata.sorted_tables:
            if "uuid" not in table.c or table.name == AuditEvent.__tablename__:
                continue
            for (record,) in session.execute(select(table.c.uuid)):
                if (table.name, str(record)) not in created:
                    missing.append(f"{table.name} {record}")
    return missing


def audit_problems(db: Database) -> list[str]:
    (result,) = [r for r in run_checks(db, Actor("jo.bloggs")) if r.name == AUDIT]
    return list(result.problems)


def owner_execute(db: Database, *statements: str) -> None:
    """As the owner of the file or of the tables would, outside the program."""
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_event_no_update")
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_event_no_delete")
        for statement in statements:
            conn.exec_driver_sql(statement)


def middle(db: Database) -> int:
    with db.read_session() as session:
        last = session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
    return int(last or 0) // 2


@pytest.fixture(params=["sqlite", "postgresql"])
def worked(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Database, str]:
    db: Database = request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")
    ordinary_work(db, tmp_path)
    return db, request.param


def test_no_write_path_escapes_the_trail(worked, reliability) -> None:  # type: ignore[no-untyped-def]
    db, database = worked
    missing = records_without_create(db)
    with db.read_session() as session:
        actions = set(session.scalars(select(AuditEvent.action).distinct()))
    reliability(
        "every record has its create row after ordinary work",
        trials=1,
        failures=len(missing),
        database=database,
        detail="demo, edits, a close, a contact removed, a GIAS import, a letter run; "
        + (f"missing: {missing[:3]}" if missing else f"actions seen: {sorted(actions)}"),
    )
    assert missing == []
    assert {"create", "update", "close", "delete", "import", "letters"} <= actions
    assert audit_problems(db) == []
    # A school written to has the letter in its history, as the History window shows it.
    services = Services(db, Actor("jo.bloggs"))
    lettered = services.schools.get_school(
        services.actor, services.schools.list_schools(services.actor)[3].id
    )
    kinds = {
        (e.action_words, e.kind) for e in services.audit.history(services.actor, lettered.uuid)
    }
    assert ("Created", "Letter") in kinds and ("Created", "School") in kinds


def test_an_edited_removed_or_forged_row_is_found(worked, reliability) -> None:  # type: ignore[no-untyped-def]
    db, database = worked
    seq = middle(db)
    with db.read_session() as session:
        last_seq, last_hash = session.execute(
            select(AuditEvent.seq, AuditEvent.row_hash).order_by(AuditEvent.seq.desc()).limit(1)
        ).one()
    forged_seq = last_seq + 1
    forged_hash = "f" * 64  # a hash of the writer's choosing, not the chain's
    cases = [
        (
            "edited",
            lambda: owner_execute(
                db, f"UPDATE audit_event SET actor = 'somebody' WHERE seq = {seq}"
            ),
            f"Audit record {seq} was changed after it was written.",
        ),
        (
            "removed",
            lambda: owner_execute(db, f"DELETE FROM audit_event WHERE seq = {seq + 1}"),
            f"Audit record {seq + 1} missing",
        ),
        (
            "forged",
            lambda: owner_execute(
                db,
                "INSERT INTO audit_event (seq, occurred_at, actor, action, table_name, "
                "record_label, detail, copy_id, previous_hash, row_hash) VALUES "
                f"({forged_seq}, CURRENT_TIMESTAMP, 'jo.bloggs', 'delete', 'school', "
                f"'A school that never was', '', '', '{last_hash}', '{forged_hash}')",
            ),
            f"Audit record {forged_seq} was changed after it was written.",
        ),
    ]
    failures, found = 0, []
    assert audit_problems(db) == []
    for name, tamper, expected in cases:
        tamper()
        problems = audit_problems(db)
        hit = any(expected in p for p in problems)
        found.append(f"{name}: {'found' if hit else 'MISSED'}")
        failures += 0 if hit else 1
    reliability(
        "audit row edited, removed or forged as the owner is found by check",
        trials=len(cases),
        failures=failures,
        database=database,
        detail="; ".join(found),
    )
    assert failures == 0, found


def _login(pg_db: Database, name: str, password: str) -> str:
    url = make_url(pg_db.url.render_as_string(hide_password=False))
    return url.set(username=name, password=password).render_as_string(hide_password=False)


def test_another_login_cannot_rewrite_the_trail_on_the_server(pg_db, reliability) -> None:  # type: ignore[no-untyped-def]
    services = Services(pg_db, Actor("jo.bloggs"))
    name = f"thep_t_audit_{uuid.uuid4().hex[:8]}"
    password = "Audit-Trial-1"
    services.users.add_user(services.actor, name, "admin", password=password)
    from thep_desktop.services.users.server_roles import apply_grants

    with pg_db.engine.begin() as conn:
        apply_grants(conn)
    services.schools.count(services.actor)
    with pg_db.read_session() as session:
        before = session.execute(
            select(AuditEvent.seq, AuditEvent.row_hash).order_by(AuditEvent.seq)
        ).all()
    engine = create_engine(_login(pg_db, name, password))
    attempts = {
        "update": "UPDATE audit_event SET actor = 'nobody'",
        "delete": "DELETE FROM audit_event",
        "truncate": "TRUNCATE audit_event",
        "insert naming someone else": (
            "INSERT INTO audit_event (seq, occurred_at, actor, action, table_name, "
            "record_label, detail, copy_id, previous_hash, row_hash) VALUES "
            "(999999, now(), 'jo.bloggs', 'delete', '', '', '', '', 'x', 'y')"
        ),
        "insert with another time": (
            "INSERT INTO audit_event (seq, occurred_at, actor, action, table_name, "
            f"record_label, detail, copy_id, previous_hash, row_hash) VALUES "
            f"(999999, now() - interval '1 day', '{name}', 'delete', '', '', '', '', 'x', 'y')"
        ),
    }
    refused, results = 0, []
    try:
        for what, statement in attempts.items():
            try:
                with engine.begin() as conn:
                    conn.execute(text(statement))
                results.append(f"{what}: ALLOWED")
            except DBAPIError as exc:
                refused += 1
                results.append(f"{what}: refused ({str(exc.orig).splitlines()[0][:60]})")
    finally:
        engine.dispose()
        with pg_db.engine.begin() as conn:
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{name}"')
    with pg_db.read_session() as session:
        after = session.execute(
            select(AuditEvent.seq, AuditEvent.row_hash).order_by(AuditEvent.seq)
        ).all()
    reliability(
        "another login (even an admin) cannot rewrite the audit table on PostgreSQL",
        trials=len(attempts),
        failures=len(attempts) - refused,
        database="postgresql",
        detail="; ".join(results),
    )
    assert refused == len(attempts), results
    assert after == before
