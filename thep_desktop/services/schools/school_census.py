"""Pupil figures kept by census date: recording each one, and every school's figure at a date."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.orm import Session

from thep_desktop.audit_trail import Action, Change
from thep_desktop.bulk_insert import BulkInsert
from thep_desktop.models import SchoolCensus

# Where a figure came from (SchoolCensus.source).
FROM_FORM = "form"
FROM_GIAS = "gias"
FROM_PUPIL_IMPORT = "pupil import"
FROM_DEMO = "demo"

_IN_LIMIT = 900  # more schools than this are read whole and picked in Python (no huge IN list)
_TABLE: Table = SchoolCensus.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class CensusFigure:
    """A school's number of pupils as counted at one census."""

    pupils: int
    census_date: date


class NewFigure(NamedTuple):
    """A figure to record for a school (``label`` names the school in the audit trail)."""

    school_id: int
    label: str
    pupils: int
    census_date: date


def pupils_at(
    session: Session, school_ids: Collection[int] | None, census_date: date
) -> dict[int, CensusFigure]:
    """Each school's figure at ``census_date``: the one of its latest census on or before it.

    One statement for any number of schools (``None``: every school). A school with no
    figure counted by then is left out.
    """
    c = _TABLE.c
    latest = (
        select(c.school_id, func.max(c.census_date).label("census_date"))
        .where(c.census_date <= census_date)
        .group_by(c.school_id)
    )
    wanted = None
    if school_ids is not None:
        wanted = set(school_ids)
        if not wanted:
            return {}
        if len(wanted) <= _IN_LIMIT:
            latest = latest.where(c.school_id.in_(wanted))
    picked = latest.subquery()
    stmt = select(c.school_id, c.pupils, c.census_date).join(
        picked,
        (picked.c.school_id == c.school_id) & (picked.c.census_date == c.census_date),
    )
    return {
        school_id: CensusFigure(pupils, day)
        for school_id, pupils, day in session.execute(stmt)
        if wanted is None or school_id in wanted
    }


def history_of(session: Session, school_id: int) -> list[CensusFigure]:
    """Every figure kept for a school, the newest census first."""
    c = _TABLE.c
    rows = session.execute(
        select(c.pupils, c.census_date)
        .where(c.school_id == school_id)
        .order_by(c.census_date.desc())
    )
    return [CensusFigure(pupils, day) for pupils, day in rows]


def record_figure(
    session: Session,
    school_id: int,
    pupils: int | None,
    census_date: date | None,
    source: str,
    who: str,
) -> None:
    """Keep a school's figure for its census date (through the ORM: the flush audits it).

    A figure already kept for that date takes the new number; one without a number or a
    census date has nothing to be kept by, and is not.
    """
    if pupils is None or census_date is None:
        return
    kept = session.scalar(
        select(SchoolCensus).where(
            SchoolCensus.school_id == school_id, SchoolCensus.census_date == census_date
        )
    )
    if kept is None:
        session.add(
            SchoolCensus(
                school_id=school_id,
                census_date=census_date,
                pupils=pupils,
                source=source,
                created_by=who,
                updated_by=who,
            )
        )
    elif kept.pupils != pupils:
        kept.pupils = pupils
        kept.source = source
        kept.updated_by = who
    session.flush()


def record_figures(
    session: Session,
    figures: Sequence[NewFigure],
    source: str,
    who: str,
    now: datetime,
    *,
    schools_are_new: bool = False,
) -> list[Change]:
    """Keep many figures below the ORM, for the imports; returns the audit trail's rows.

    One read of the figures these schools already have (none to read for schools just
    added), one executemany INSERT for the new ones and one executemany UPDATE for those
    whose number changed. Call with at most a thousand or so figures at a time.
    """
    if not figures:
        return []
    c = _TABLE.c
    kept: dict[tuple[int, date], tuple[int, uuid.UUID, int, str]] = {}
    if not schools_are_new:
        ids = {f.school_id for f in figures}
        dates = {f.census_date for f in figures}
        rows = session.execute(
            select(c.id, c.uuid, c.school_id, c.census_date, c.pupils, c.source).where(
                c.school_id.in_(ids), c.census_date.in_(dates)
            )
        )
        kept = {(r.school_id, r.census_date): (r.id, r.uuid, r.pupils, r.source) for r in rows}
    trail: list[Change] = []
    inserts: list[tuple[Any, ...]] = []
    updates: list[dict[str, Any]] = []
    for figure in figures:
        found = kept.get((figure.school_id, figure.census_date))
        if found is None:
            made = uuid.uuid4()
            inserts.append(
                (made, figure.school_id, figure.census_date, figure.pupils, source)
                + (now, who, now, who, 1)
            )
            # The trail's values as its JSON holds them (ISO date, uuid as text), written
            # ready: an import of every school in England records tens of thousands.
            values = {
                "uuid": str(made),
                "school_id": figure.school_id,
                "census_date": figure.census_date.isoformat(),
                "pupils": figure.pupils,
                "source": source,
            }
            trail.append(Change(Action.CREATE, _TABLE.name, made, figure.label, None, values))
            continue
        row_id, made, old_pupils, old_source = found
        if old_pupils == figure.pupils:
            continue
        updates.append({"_id": row_id, "_pupils": figure.pupils, "_source": source})
        trail.append(
            Change(
                Action.UPDATE,
                _TABLE.name,
                made,
                figure.label,
                {"pupils": old_pupils, "source": old_source},
                {"pupils": figure.pupils, "source": source},
            )
        )
    if inserts:
        names = ["uuid", "school_id", "census_date", "pupils", "source"]
        names += ["created_at", "created_by", "updated_at", "updated_by", "version"]
        BulkInsert(session, _TABLE, names, unique=("uuid", "school_id"))(inserts)
    if updates:
        stmt = (
            update(_TABLE)
            .where(c.id == bindparam("_id"))
            .values(
                pupils=bindparam("_pupils"),
                source=bindparam("_source"),
                version=c.version + 1,
                updated_at=now,
                updated_by=who,
            )
        )
        session.execute(stmt, updates)
    return trail
