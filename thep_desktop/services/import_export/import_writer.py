"""Writing an import preview to the register: all of it in one transaction, or none of it."""

from __future__ import annotations

import json
import uuid
from datetime import date
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, Table, bindparam, case, select, update

from thep_desktop.audit_trail import Action, Change, record_many
from thep_desktop.bulk_insert import BulkInsert
from thep_desktop.database import Database
from thep_desktop.domain.ofsted import EVALUATION_AREAS, InspectionKind
from thep_desktop.domain.progress import Progress
from thep_desktop.models import OfstedInspection, School, SchoolStatus
from thep_desktop.models.audit import AuditEvent
from thep_desktop.models.base import utcnow
from thep_desktop.services.import_export.import_preview import (
    ChangedSchool,
    ClosedSchool,
    ImportPreview,
    ImportResult,
    NewInspection,
    NewSchool,
)
from thep_desktop.services.import_export.register_rows import REG_ID, REG_POS, read_register
from thep_desktop.services.schools.school_census import (
    FROM_GIAS,
    FROM_PUPIL_IMPORT,
    NewFigure,
    record_figures,
)
from thep_desktop.services.schools.schools_service import SCHOOL_FIELDS
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import RegisterChangedError

_CHUNK = 1000
_AREAS = tuple(column for column, _ in EVALUATION_AREAS)
_INSPECTION_COLUMNS = (
    "school_id",
    "inspected_on",
    "published_on",
    "kind",
    "overall_grade",
    "source",
    "report_url",
    "notes",
    "safeguarding",
    *_AREAS,
    "uuid",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "version",
)


def apply_preview(
    db: Database, actor: Actor, preview: ImportPreview, progress: Progress | None
) -> ImportResult:
    """Write a preview's new, changed and closed schools in one transaction.

    Every changed or closed school must still be at the version the preview saw, and no new
    school's URN may have been added meanwhile; otherwise :class:`RegisterChangedError`
    names the schools and nothing is written, unless the register already holds everything
    the preview would write (the same file imported by someone else at the same moment):
    then the result says so and nothing is written. Cancelling through ``progress`` rolls
    everything back.
    """
    now = utcnow()
    who = actor.name
    total = len(preview.new) + len(preview.changed) + len(preview.closed)
    done = 0

    def report() -> None:
        if progress is not None:
            progress.report(done, total, "Saving the schools…")

    table: Table = School.__table__  # type: ignore[assignment]
    with db.session() as session:
        report()
        # The session holds the write lock, so what is read here stays true until it commits.
        changed_since = _changed_since(session, preview)
        if changed_since:
            if _already_applied(db, preview):
                return ImportResult(0, 0, 0, already_applied=True)
            raise RegisterChangedError(changed_since)
        # This path writes below the ORM (for speed), so it gives the audit trail its rows.
        trail: list[Change] = []
        # Every figure written to a school is also kept for its census date (fees use it).
        source = FROM_GIAS if preview.kind == "gias" else FROM_PUPIL_IMPORT
        if preview.new:
            names = [*SCHOOL_FIELDS, *_RECORD_FIELDS]
            insert_rows = BulkInsert(session, table, names, unique=("uuid", "urn"))
            school_values = itemgetter(*SCHOOL_FIELDS)
            for start in range(0, len(preview.new), _CHUNK):
                chunk = preview.new[start : start + _CHUNK]
                uuids = [uuid.uuid4() for _item in chunk]
                insert_rows(
                    [
                        (*school_values(item.values), made, now, who, now, who, 1)
                        for item, made in zip(chunk, uuids, strict=True)
                    ]
                )
                trail.extend(
                    Change(Action.CREATE, "school", made, item.name, None, item.values)
                    for item, made in zip(chunk, uuids, strict=True)
                )
                figures = _new_school_figures(session, table, chunk)
                trail += record_figures(session, figures, source, who, now, schools_are_new=True)
                done += len(chunk)
                report()

        updates: list[ChangedSchool | ClosedSchool] = [*preview.changed, *preview.closed]
        befores = _current_values(session, table, updates)
        if updates:
            # One statement for every school, whatever mix of fields changed: each field is
            # SET to the new value where it changed and to itself elsewhere.
            names = sorted({name for item in updates for name in item.values})
            stmt = (
                update(table)
                .where(table.c.id == bindparam("_id"), table.c.version == bindparam("_version"))
                .values(
                    {
                        name: case(
                            (
                                bindparam(f"s_{name}", type_=Boolean()),
                                bindparam(f"v_{name}", type_=table.c[name].type),
                            ),
                            else_=table.c[name],
                        )
                        for name in names
                    }
                    | {"version": table.c.version + 1, "updated_at": now, "updated_by": who}
                )
            )
            sane = db.engine.dialect.supports_sane_multi_rowcount
            for start in range(0, len(updates), _CHUNK):
                batch = updates[start : start + _CHUNK]
                params = []
                for item in batch:
                    row: dict[str, object] = {"_id": item.school_id, "_version": item.version}
                    values = item.values
                    if isinstance(item, ClosedSchool) and not values:  # built by hand
                        values = {"status": SchoolStatus.CLOSED, "close_date": item.close_date}
                    for name in names:
                        row[f"s_{name}"] = name in values
                        row[f"v_{name}"] = values.get(name)
                    params.append(row)
                    made_uuid, old = befores[item.school_id]
                    action = Action.CLOSE if isinstance(item, ClosedSchool) else Action.UPDATE
                    trail.append(
                        Change(
                            action,
                            "school",
                            made_uuid,
                            item.name,
                            {k: old.get(k) for k in values},
                            dict(values),
                        )
                    )
                result: Any = session.execute(stmt, params)
                if sane and result.rowcount != len(batch):
                    raise RegisterChangedError("someone changed some of these schools meanwhile")
                figures = [
                    NewFigure(item.school_id, item.name, *figure)
                    for item in batch
                    if (figure := _figure_of(item.values)) is not None
                ]
                trail += record_figures(session, figures, source, who, now)
                done += len(batch)
                report()
        added = _add_inspections(session, preview, now, who, trail)
        what = "GIAS extract" if preview.kind == "gias" else "pupil numbers"
        trail.append(
            Change(
                Action.IMPORT,
                "school",
                detail=f"Imported the {what} {preview.source_name}: {len(preview.new)} new, "
                f"{len(preview.changed)} changed, {len(preview.closed)} closed"
                + (f", {added} Ofsted inspections added." if added else "."),
            )
        )
        record_many(session, trail)
    return ImportResult(
        len(preview.new), len(preview.changed), len(preview.closed), inspections=added
    )


def inspections_lacking(db: Database, candidates: list[NewInspection]) -> list[NewInspection]:
    """Those of ``candidates`` on a day their school has no inspection, and had none the
    office deleted (two queries)."""
    if not candidates:
        return []
    with db.read_session() as session:
        return _lacking(session, candidates)


def _lacking(session: Any, candidates: list[NewInspection]) -> list[NewInspection]:
    table = OfstedInspection.__table__
    wanted = {c.school_id for c in candidates if c.school_id is not None}
    if not wanted:
        return list(candidates)
    stmt = select(table.c.school_id, table.c.inspected_on)
    if len(wanted) <= 500:
        stmt = stmt.where(table.c.school_id.in_(wanted))
    # Straight from the driver, as the register is read (register_rows.py): SQLite gives the
    # dates as ISO text, PostgreSQL as dates; both compared as ISO text.
    connection = session.connection()
    result = connection.exec_driver_sql(
        str(stmt.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    )
    try:
        found = result.cursor.fetchall()
    finally:
        result.close()
    held = {(school_id, on if isinstance(on, str) else on.isoformat()) for school_id, on in found}
    held |= _deleted_inspections(connection, wanted)
    return [
        c
        for c in candidates
        if c.school_id is None or (c.school_id, c.inspected_on.isoformat()) not in held
    ]


def _deleted_inspections(connection: Any, schools: set[int]) -> set[tuple[int, str]]:
    """(school, ISO day) of each inspection deleted from these schools' histories.

    The office deletes an inspection it found wrong; GIAS goes on carrying it until Ofsted
    publishes a newer one, so without this every later import would bring it back. The
    audit trail keeps each deletion with the record as it was (every role may read it).
    """
    befores = connection.execute(
        select(AuditEvent.before).where(
            AuditEvent.table_name == OfstedInspection.__tablename__,
            AuditEvent.action == str(Action.DELETE),
        )
    ).scalars()
    deleted: set[tuple[int, str]] = set()
    for before in befores:
        try:
            values = json.loads(before or "{}")
        except ValueError:  # an audit row spoilt by hand (*Check the trail* finds it)
            continue
        if not isinstance(values, dict):
            continue
        school_id, on = values.get("school_id"), values.get("inspected_on")
        if school_id in schools and isinstance(on, str):
            deleted.add((school_id, on))
    return deleted


def _add_inspections(
    session: Any, preview: ImportPreview, now: Any, who: str, trail: list[Change]
) -> int:
    """The preview's Ofsted inspections, on days the schools still have none (source "gias")."""
    if not preview.inspections:
        return 0
    # Read again under the write lock: one entered meanwhile is kept, never overwritten.
    lacking = _lacking(session, preview.inspections)
    new_urns = [c.urn for c in lacking if c.school_id is None]
    ids: dict[int, int] = {}
    for start in range(0, len(new_urns), 500):
        found = session.execute(
            select(School.id, School.urn).where(School.urn.in_(new_urns[start : start + 500]))
        )
        ids.update({urn: school_id for school_id, urn in found})
    table: Table = OfstedInspection.__table__  # type: ignore[assignment]
    blank = ("",) * (1 + len(_AREAS))  # safeguarding and every evaluation area
    graded = InspectionKind.GRADED
    rows: list[tuple[Any, ...]] = []
    for c in lacking:
        school_id = c.school_id if c.school_id is not None else ids.get(c.urn)
        if school_id is None:
            continue
        made = uuid.uuid4()
        grade = c.overall_grade
        notes = c.notes
        rows.append(
            (school_id, c.inspected_on, None, graded, grade, "gias", "", notes, *blank)
            + (made, now, who, now, who, 1)
        )
        after = {"school_id": school_id, "inspected_on": c.inspected_on, "kind": graded.value}
        if grade:
            after["overall_grade"] = grade.value
        after |= {"source": "gias", "notes": notes}
        trail.append(
            Change(Action.CREATE, "ofsted_inspection", made, f"{c.name} (URN {c.urn})", None, after)
        )
    if rows:
        insert_rows = BulkInsert(session, table, list(_INSPECTION_COLUMNS), unique=("uuid",))
        for start in range(0, len(rows), _CHUNK):
            insert_rows(rows[start : start + _CHUNK])
    return len(rows)


def _current_values(
    session: Any, table: Table, items: list[ChangedSchool | ClosedSchool]
) -> dict[int, tuple[uuid.UUID, dict[str, Any]]]:
    """Each school's uuid and its values now, for the audit trail's "before"."""
    found: dict[int, tuple[uuid.UUID, dict[str, Any]]] = {}
    ids = [i.school_id for i in items]
    for start in range(0, len(ids), 500):
        rows = session.execute(select(table).where(table.c.id.in_(ids[start : start + 500])))
        for row in rows:
            values = dict(row._mapping)
            found[values["id"]] = (values["uuid"], values)
    return found


def _figure_of(values: dict[str, Any]) -> tuple[int, date] | None:
    """The pupil figure and census date a school's written values give, if they give both."""
    pupils, census = values.get("pupils_on_roll"), values.get("pupils_census_date")
    if pupils is None or census is None:
        return None
    return pupils, census


def _new_school_figures(session: Any, table: Table, chunk: list[NewSchool]) -> list[NewFigure]:
    """The pupil figures of schools just inserted, with the ids the database gave them."""
    counted = [(item, figure) for item in chunk if (figure := _figure_of(item.values))]
    if not counted:
        return []
    urns = [item.urn for item, _ in counted]
    found = session.execute(select(table.c.urn, table.c.id).where(table.c.urn.in_(urns)))
    ids = {urn: school_id for urn, school_id in found}
    return [NewFigure(ids[item.urn], item.name, *figure) for item, figure in counted]


_RECORD_FIELDS = ("uuid", "created_at", "created_by", "updated_at", "updated_by", "version")


def _changed_since(session: Any, preview: ImportPreview) -> str:
    """What changed in the register since ``preview`` was made, in words ("" when nothing).

    A school to change or close that is no longer at the version the preview saw, or a new
    school whose URN is in the register now.
    """
    parts: list[str] = []
    items: list[ChangedSchool | ClosedSchool] = [*preview.changed, *preview.closed]
    current: dict[int, int] = {}
    ids = [i.school_id for i in items]
    for start in range(0, len(ids), 500):
        stmt = (
            select(School.id, School.version)
            .where(School.id.in_(ids[start : start + 500]))
            .with_for_update()
        )
        current.update({row[0]: row[1] for row in session.execute(stmt)})
    stale = [i for i in items if current.get(i.school_id) != i.version]
    if stale:
        names = [f"{i.name} (URN {i.urn})" for i in stale]
        parts.append("someone changed or removed " + _list_names(names))
    if preview.new:
        wanted = {n.urn for n in preview.new}
        taken = set(session.scalars(select(School.urn))) & wanted
        if taken:
            names = [f"{n.name} (URN {n.urn})" for n in preview.new if n.urn in taken]
            parts.append("someone added " + _list_names(names))
    return "; ".join(parts)


def _already_applied(db: Database, preview: ImportPreview) -> bool:
    """True when the register already holds everything ``preview`` would write.

    So it is when someone imported the same file at the same moment: the second import then
    finds nothing left to change, rather than a conflict to resolve.
    """
    register = read_register(db)
    expected: list[tuple[int, int | None, dict[str, object]]] = [
        (n.urn, None, n.values) for n in preview.new
    ]
    updates: list[ChangedSchool | ClosedSchool] = [*preview.changed, *preview.closed]
    for item in updates:
        values = item.values
        if isinstance(item, ClosedSchool) and not values:  # built by hand, as apply does
            values = {"status": SchoolStatus.CLOSED, "close_date": item.close_date}
        expected.append((item.urn, item.school_id, values))
    for urn, school_id, values in expected:
        row = register.get(urn)
        if row is None or (school_id is not None and row[REG_ID] != school_id):
            return False
        if any(row[REG_POS[f]] != v for f, v in values.items() if f in REG_POS):
            return False
    return True


def _list_names(names: list[str], limit: int = 10) -> str:
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += f" and {len(names) - limit} more"
    return shown
