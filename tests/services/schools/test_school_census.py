"""Pupil figures kept by census date: the form records them, pupils_at reads them back."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import func, select

from thep_desktop.database import Database, alembic_config, head_revision
from thep_desktop.models import AuditEvent, School, SchoolCensus
from thep_desktop.services.schools.school_census import CensusFigure, pupils_at
from thep_desktop.services.schools.schools_service import SchoolInput, SchoolsService
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import (
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)

JAN_2024, JAN_2025, JAN_2026 = date(2024, 1, 18), date(2025, 1, 16), date(2026, 1, 15)


def a_school(urn: int = 100229, **overrides: object) -> SchoolInput:
    values: dict[str, object] = dict(
        urn=str(urn),
        name=f"School {urn}",
        la_code="211",
        establishment_type="Community school",
        phase="Primary",
        pupils_on_roll="412",
        pupils_census_date="16/01/2025",
        town="London",
    )
    values.update(overrides)
    return SchoolInput(**values)  # type: ignore[arg-type]


def figures(db: Database) -> list[tuple[int, date, int, str, str]]:
    """Every kept figure: school URN, census date, pupils, source, who recorded it."""
    with db.read_session() as s:
        rows = s.execute(
            select(
                School.urn,
                SchoolCensus.census_date,
                SchoolCensus.pupils,
                SchoolCensus.source,
                SchoolCensus.updated_by,
            )
            .join(School, School.id == SchoolCensus.school_id)
            .order_by(School.urn, SchoolCensus.census_date)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def census_events(db: Database) -> list[tuple[str, dict, dict]]:
    with db.read_session() as s:
        rows = s.execute(
            select(AuditEvent.action, AuditEvent.before, AuditEvent.after)
            .where(AuditEvent.table_name == "school_census")
            .order_by(AuditEvent.seq)
        )
        return [(a, json.loads(b or "{}"), json.loads(c or "{}")) for a, b, c in rows]


# -- the migration ----------------------------------------------------------------------------
def test_migration_keeps_each_schools_figure_as_its_first_census(db: Database, actor: Actor):
    schools = SchoolsService(db)
    counted = schools.create_school(actor, a_school(100001, pupils_on_roll="237"))
    undated = schools.create_school(actor, a_school(100002))
    none = schools.create_school(actor, a_school(100003, pupils_on_roll="", pupils_census_date=""))
    config = alembic_config(db.engine)
    command.downgrade(config, "0005_users_audit")
    try:
        assert "school_census" not in sa.inspect(db.engine).get_table_names()
        school = sa.table(
            "school",
            sa.column("id", sa.Integer),
            sa.column("pupils_census_date", sa.Date),
        )
        with db.engine.begin() as conn:
            # A figure kept from before census dates were required: nothing to key it by.
            conn.execute(
                school.update().where(school.c.id == undated.id).values(pupils_census_date=None)
            )
    finally:
        command.upgrade(config, "head")
    assert db.current_revision() == head_revision()
    assert figures(db) == [(100001, JAN_2025, 237, "migration", "migration")]
    assert schools.census_history(actor, counted.id) == [CensusFigure(237, JAN_2025)]
    assert schools.census_history(actor, undated.id) == []
    assert schools.census_history(actor, none.id) == []
    # The school's own figure is untouched.
    assert schools.get_school(actor, counted.id).pupils_on_roll == 237


# -- the form ---------------------------------------------------------------------------------
def test_the_form_records_the_figure_for_its_census_date(db: Database, actor: Actor):
    schools = SchoolsService(db)
    made = schools.create_school(actor, a_school())
    assert figures(db) == [(100229, JAN_2025, 412, "form", actor.name)]

    # The same census corrected: the figure is updated, not kept twice.
    fixed = schools.update_school(
        actor, made.id, made.version, replace(made.as_input(), pupils_on_roll="415")
    )
    assert figures(db) == [(100229, JAN_2025, 415, "form", actor.name)]

    # A new census: last year's figure stays beside it; the school shows the latest.
    other = Actor("sam.other", Role.STAFF)
    newer = replace(fixed.as_input(), pupils_on_roll="430", pupils_census_date="15/01/2026")
    latest = schools.update_school(other, made.id, fixed.version, newer)
    assert (latest.pupils_on_roll, latest.pupils_census_date) == (430, JAN_2026)
    assert figures(db) == [
        (100229, JAN_2025, 415, "form", actor.name),
        (100229, JAN_2026, 430, "form", "sam.other"),
    ]
    assert schools.census_history(actor, made.id) == [
        CensusFigure(430, JAN_2026),
        CensusFigure(415, JAN_2025),
    ]

    # Saving other fields records nothing new.
    schools.update_school(actor, made.id, latest.version, replace(latest.as_input(), notes="x"))
    assert len(figures(db)) == 2

    events = census_events(db)
    assert [e[0] for e in events] == ["create", "update", "create"]
    assert events[0][2]["pupils"] == 412 and events[0][2]["census_date"] == "2025-01-16"
    assert events[0][2]["school_id"] == made.id
    assert (events[1][1], events[1][2]) == ({"pupils": 412}, {"pupils": 415})


def test_a_school_without_pupils_keeps_no_figure(db: Database, actor: Actor):
    schools = SchoolsService(db)
    made = schools.create_school(actor, a_school(pupils_on_roll="", pupils_census_date=""))
    assert figures(db) == [] and schools.census_history(actor, made.id) == []
    # Clearing the number later keeps the figure that was counted.
    counted = schools.update_school(
        actor,
        made.id,
        made.version,
        replace(made.as_input(), pupils_on_roll="400", pupils_census_date="16/01/2025"),
    )
    schools.update_school(
        actor,
        made.id,
        counted.version,
        replace(counted.as_input(), pupils_on_roll="", pupils_census_date=""),
    )
    assert figures(db) == [(100229, JAN_2025, 400, "form", actor.name)]


def test_a_refused_save_keeps_no_figure(db: Database, actor: Actor):
    schools = SchoolsService(db)
    made = schools.create_school(actor, a_school())
    before = (figures(db), census_events(db))
    with pytest.raises(ValidationError):
        schools.create_school(
            actor, a_school(100229, name="Same URN", pupils_census_date="15/01/2026")
        )
    with pytest.raises(ValidationError):
        schools.update_school(
            actor,
            made.id,
            made.version,
            replace(made.as_input(), pupils_on_roll="-3", pupils_census_date="15/01/2026"),
        )
    viewer = Actor("vi.ewer", Role.VIEWER)
    with pytest.raises(PermissionDeniedError):
        schools.update_school(
            viewer,
            made.id,
            made.version,
            replace(made.as_input(), pupils_on_roll="500", pupils_census_date="15/01/2026"),
        )
    assert (figures(db), census_events(db)) == before


def test_deleting_a_school_entered_by_mistake_removes_its_figures(db: Database, actor: Actor):
    schools = SchoolsService(db)
    made = schools.create_school(actor, a_school())
    schools.delete_school(actor, made.id, made.version)  # its figure is no history of its own
    assert figures(db) == []
    assert [e[0] for e in census_events(db)] == ["create", "delete"]
    with pytest.raises(NotFoundError):
        schools.census_history(actor, made.id)


# -- pupils_at --------------------------------------------------------------------------------
def kept(db: Database, actor: Actor, school_id: int, *counts: tuple[date, int]) -> None:
    """Record these figures for a school, as the form would, oldest first."""
    schools = SchoolsService(db)
    for day, pupils in counts:
        school = schools.get_school(actor, school_id)
        data = replace(school.as_input(), pupils_on_roll=str(pupils), pupils_census_date=day)
        schools.update_school(actor, school_id, school.version, data)


def test_pupils_at_picks_the_latest_census_on_or_before_the_date(db: Database, actor: Actor):
    schools = SchoolsService(db)
    a = schools.create_school(actor, a_school(100001, pupils_on_roll="", pupils_census_date=""))
    b = schools.create_school(actor, a_school(100002, pupils_on_roll="", pupils_census_date=""))
    c = schools.create_school(actor, a_school(100003, pupils_on_roll="", pupils_census_date=""))
    kept(db, actor, a.id, (JAN_2024, 398), (JAN_2025, 412), (JAN_2026, 430))
    kept(db, actor, b.id, (JAN_2025, 1104))
    ids = [a.id, b.id, c.id]
    with db.read_session() as session:
        on_census = pupils_at(session, ids, JAN_2025)
        between = pupils_at(session, ids, date(2025, 9, 1))
        day_before = pupils_at(session, ids, date(2025, 1, 15))
        before_any = pupils_at(session, ids, date(2024, 1, 17))
        later = pupils_at(session, ids, date(2030, 1, 1))
        everyone = pupils_at(session, None, JAN_2025)
        only_b = pupils_at(session, [b.id], JAN_2026)
        nobody = pupils_at(session, [], JAN_2026)
        # More schools than go in one IN list: read whole, picked in Python.
        many = pupils_at(session, [a.id, *range(10_000, 11_000)], JAN_2026)
    assert on_census == {a.id: CensusFigure(412, JAN_2025), b.id: CensusFigure(1104, JAN_2025)}
    assert between == on_census
    assert day_before == {a.id: CensusFigure(398, JAN_2024)}  # b had no figure yet
    assert before_any == {}
    assert later == {a.id: CensusFigure(430, JAN_2026), b.id: CensusFigure(1104, JAN_2025)}
    assert everyone == on_census
    assert only_b == {b.id: CensusFigure(1104, JAN_2025)}
    assert nobody == {}
    assert many == {a.id: CensusFigure(430, JAN_2026)}


def test_pupils_at_answers_for_a_thousand_schools_in_one_statement(db: Database, actor: Actor):
    with db.session() as session:
        session.add_all(
            School(urn=200000 + n, name=f"School {n}", created_by="t", updated_by="t")
            for n in range(1000)
        )
        session.flush()
        ids = list(session.scalars(select(School.id).order_by(School.urn)))
        session.add_all(
            SchoolCensus(
                school_id=i,
                census_date=day,
                pupils=n + k,
                source="test",
                created_by="t",
                updated_by="t",
            )
            for n, i in enumerate(ids)
            for k, day in enumerate((JAN_2024, JAN_2025, JAN_2026))
        )
    statements: list[str] = []
    sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with db.read_session() as session:
        statements.clear()
        found = pupils_at(session, ids, date(2025, 6, 1))
        assert len([s for s in statements if "school_census" in s]) == 1
    assert len(found) == 1000
    assert found[ids[7]] == CensusFigure(8, JAN_2025)
    with db.read_session() as session:
        assert session.scalar(select(func.count(SchoolCensus.id))) == 3000
