"""The register's schools as plain tuples by URN, to compare an import file with quickly."""

from __future__ import annotations

from datetime import date
from typing import Any

from thep_desktop.database import Database
from thep_desktop.models import SchoolStatus
from thep_desktop.services.import_export.gias_columns import GIAS_FIELDS

_DATE_FIELDS = frozenset({"open_date", "close_date", "pupils_census_date", "ofsted_date"})


def read_register(db: Database) -> dict[int, tuple[Any, ...]]:
    """Every school as a plain tuple: (id, version, name, *GIAS_FIELDS), by URN.

    Read with the driver's own values (SQLAlchemy's per-value result processing of 50,000
    rows costs seconds on SQLite); dates and the status are converted here, each distinct
    value once.
    """
    names = ["urn", "id", "version", "name", *GIAS_FIELDS]
    date_at = [i for i, n in enumerate(names) if n in _DATE_FIELDS]
    status_at = names.index("status")
    statuses = {s.value: s for s in SchoolStatus}
    dates: dict[str, date] = {}
    register: dict[int, tuple[Any, ...]] = {}
    with db.read_session() as session:
        sql = f"SELECT {', '.join(names)} FROM school"  # fixed column names, no user input
        for raw in session.connection().exec_driver_sql(sql):
            row = list(raw)
            for i in date_at:
                value = row[i]
                if isinstance(value, str):
                    parsed = dates.get(value)
                    if parsed is None:
                        parsed = dates[value] = date.fromisoformat(value[:10])
                    row[i] = parsed
            status = row[status_at]
            row[status_at] = statuses.get(status, status)
            register[row[0]] = tuple(row[1:])
    return register


REG_ID, REG_VERSION, REG_NAME = 0, 1, 2
REG_POS = {f: 3 + i for i, f in enumerate(GIAS_FIELDS)}
