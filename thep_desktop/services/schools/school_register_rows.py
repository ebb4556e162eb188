"""The register as rows for the Schools table, read in one query however many schools there are."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, func, select

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.ofsted import (
    EVALUATION_AREAS,
    NOT_YET_INSPECTED,
    AreaGrade,
    InspectionKind,
    InspectionRecord,
    OverallGrade,
    Safeguarding,
)
from thep_desktop.domain.schools import SchoolRow, effective_status
from thep_desktop.models import OfstedInspection, School, SchoolStatus, StaffMember

_AREAS = tuple(column for column, _ in EVALUATION_AREAS)
_GIVES_OUTCOME = (InspectionKind.GRADED.value, InspectionKind.REPORT_CARD.value)


def latest_outcomes(connection: Connection, school_id: int | None = None) -> dict[int, str]:
    """Each inspected school's latest outcome and its date ("Good (12/03/2019)"), in one query.

    The outcome is that of the school's latest graded inspection or report card (an ungraded
    inspection or a monitoring visit gives none: domain/ofsted.py); a school with none is
    not in the result (it is "Not yet inspected").
    """
    t = OfstedInspection.__table__
    latest = select(t.c.school_id, func.max(t.c.inspected_on).label("on")).where(
        t.c.kind.in_(_GIVES_OUTCOME)
    )
    if school_id is not None:
        latest = latest.where(t.c.school_id == school_id)
    last = latest.group_by(t.c.school_id).subquery()
    stmt = select(
        t.c.school_id,
        t.c.inspected_on,
        t.c.kind,
        t.c.overall_grade,
        t.c.safeguarding,
        *(t.c[a] for a in _AREAS),
    ).join(last, and_(last.c.school_id == t.c.school_id, last.c.on == t.c.inspected_on))
    # Straight from the driver (like the register's rows): plain values, few distinct ones.
    cursor_result = connection.exec_driver_sql(
        str(stmt.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    )
    try:
        found = cursor_result.cursor.fetchall()
    finally:
        cursor_result.close()
    words: dict[tuple[Any, ...], str] = {}
    dates: dict[Any, str] = {}
    out: dict[int, str] = {}
    for row in found:
        key = tuple(row[2:])
        outcome = words.get(key)
        if outcome is None:
            outcome = words[key] = _outcome_words(key)
        on = row[1]
        shown = dates.get(on)
        if shown is None:
            shown = dates[on] = format_date(_as_date(on))
        out[row[0]] = f"{outcome} ({shown})"
    return out


def _outcome_words(key: tuple[Any, ...]) -> str:
    kind, grade, safeguarding, *areas = key
    record = InspectionRecord(
        date.min,
        InspectionKind(kind),
        OverallGrade(grade or ""),
        Safeguarding(safeguarding or ""),
        tuple((c, AreaGrade(g)) for c, g in zip(_AREAS, areas, strict=True) if g),
    )
    outcome = record.outcome
    return outcome.words if outcome is not None else record.outcome_words


def register_rows(db: Database, school_id: int | None = None) -> list[SchoolRow]:
    """The register as the Schools table shows it (or one school of it), in two queries:
    the schools, and each one's latest Ofsted outcome from its history."""
    stmt = select(
        School.id,
        School.urn,
        School.name,
        School.la_code,
        School.establishment_number,
        School.establishment_type,
        School.phase,
        School.status,
        School.town,
        School.postcode,
        School.pupils_on_roll,
        School.trust,
        School.head_title,
        School.head_first_name,
        School.head_last_name,
        StaffMember.full_name,
        School.causing_concern,
        School.ofsted_grade,
        School.version,
        School.close_date,
    ).outerjoin(StaffMember, School.link_officer_id == StaffMember.id)
    # The whole register's rows come straight from the database driver: at 25,000
    # schools SQLAlchemy's row handling (ORM or Core) costs more than the query. No ORDER BY:
    # SQLite would sort every column through a temporary table; Python sorts the
    # finished rows by name in a fraction of the time.
    with db.read_session() as session:
        connection = session.connection()
        if school_id is None:
            # Issued through SQLAlchemy (so it is logged and counted like any other
            # statement), then read from the driver's cursor as plain tuples.
            cursor_result = connection.exec_driver_sql(
                str(stmt.compile(dialect=connection.dialect))
            )
            try:
                result = cursor_result.cursor.fetchall()
            finally:
                cursor_result.close()
        else:
            result = connection.execute(stmt.where(School.id == school_id)).all()
        outcomes = latest_outcomes(connection, school_id)
    statuses = {s.value: s for s in SchoolStatus}
    statuses.update({s: s for s in SchoolStatus})
    today = date.today()
    # laestab() and head_name() written out: at 25,000 rows the calls cost more than the work.
    rows = [
        SchoolRow(
            r[0],
            r[1],
            r[2],
            f"{r[3]}/{r[4]}" if r[3] and r[4] else r[3] or r[4],
            r[5],
            r[6],
            # What the school counts as today: a closure still to come leaves it open.
            statuses[r[7]]
            if r[19] is None
            else effective_status(statuses[r[7]], _as_date(r[19]), today),
            r[8],
            r[9],
            r[10],
            r[11],
            " ".join([p for p in (r[12], r[13], r[14]) if p]),
            r[15] or "",
            bool(r[16]),
            outcomes.get(r[0], NOT_YET_INSPECTED),
            r[18],
            None if r[19] is None else _as_date(r[19]),
        )
        for r in result
    ]
    rows.sort(key=_register_order)
    return rows


def _register_order(row: SchoolRow) -> tuple[str, int]:
    """The register's order: by name, ignoring case, then URN."""
    return (row.name.casefold(), row.urn)


def _as_date(value: date | str) -> date:
    # The register's rows come from the driver's cursor: SQLite gives dates as ISO text.
    return value if isinstance(value, date) else date.fromisoformat(value)
