"""Which schools are open on a day, and which are the borough's, in SQL: the register's rules
for figures counted in the database (the dashboard).

``domain.schools.effective_status`` says in Python what a school counts as on a day (closed
once its closing date has come); :func:`school_open_on` is the same test as a WHERE clause,
and the dashboard's tests check the two agree school by school.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.sql import ColumnElement

from thep_desktop.domain.schools import SchoolStatus
from thep_desktop.models import OrganisationProfile, School

_school = School.__table__


def school_open_on(day: date) -> ColumnElement[bool]:
    """``domain.schools.effective_status(...) is OPEN`` on ``day``, in SQL: open when
    recorded open with no closing date, or with a closing date still to come and recorded
    open or (entered before future closures were understood) closed."""
    return or_(
        and_(_school.c.close_date.is_(None), _school.c.status == SchoolStatus.OPEN),
        and_(
            _school.c.close_date > day,
            _school.c.status.in_([SchoolStatus.OPEN, SchoolStatus.CLOSED]),
        ),
    )


def in_borough() -> ColumnElement[bool]:
    """The school is the partnership's local authority's (every school when none is set),
    as the members summary counts the borough."""
    la = func.coalesce(select(OrganisationProfile.la_code).limit(1).scalar_subquery(), "")
    return or_(la == "", _school.c.la_code == la)
