"""The register as rows for the Schools table, read in one query however many schools there are."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from thep_desktop.database import Database
from thep_desktop.domain.schools import SchoolRow, effective_status
from thep_desktop.models import School, SchoolStatus, StaffMember


def register_rows(db: Database, school_id: int | None = None) -> list[SchoolRow]:
    """The register as the Schools table shows it (or one school of it), in one query."""
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
            r[17],
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
