"""SQL conditions: does a school count as closed on a day (a closure still to come is open)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, not_, or_

from thep_desktop.models import School, SchoolStatus


def closed_on(today: date) -> ColumnElement[bool]:
    """SQL: the school counts as closed on ``today`` (see :func:`effective_status`).

    Other services select "open schools" with ``not_(closed_on(date.today()))``, so a school
    with a closing date still to come stays in mailings until that date.
    """
    return or_(
        and_(School.close_date.is_not(None), School.close_date <= today),
        and_(School.close_date.is_(None), School.status == SchoolStatus.CLOSED),
    )


def not_closed_on(today: date) -> ColumnElement[bool]:
    """SQL: the school is open or proposed on ``today`` (the opposite of :func:`closed_on`)."""
    return not_(closed_on(today))
