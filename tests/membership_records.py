"""Schools, members and fee schedules for the memberships tests (services and thep-admin)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlalchemy import select

from thep_desktop.database import Database
from thep_desktop.domain.memberships import Category, MemberKind
from thep_desktop.models import (
    FeePeriodRow,
    FeeSchedule,
    Member,
    MembershipPeriod,
    MembershipRules,
    NoticeException,
)
from thep_desktop.services.memberships.fees_service import FeePeriodInput, ScheduleInput
from thep_desktop.services.memberships.member_data import (
    ApplicationInput,
    MemberDetail,
    MemberInput,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.school_data import SchoolInput

# The spring census of 2017 (the third Thursday of January): the 2016/17 example's figure.
CENSUS_2017 = date(2017, 1, 19)
MEMBER_TABLES = (
    Member,
    MembershipPeriod,
    FeeSchedule,
    FeePeriodRow,
    MembershipRules,
    NoticeException,
)


def make_school(
    services: Services,
    urn: str,
    name: str,
    pupils: int | None = 412,
    census: date = CENSUS_2017,
    kind: str = "Community school",
) -> int:
    school = services.schools.create_school(
        services.actor,
        SchoolInput(
            urn=urn,
            name=name,
            la_code="211",
            establishment_type=kind,
            phase="Primary",
            postcode="E2 6AB",
            pupils_on_roll=pupils,
            pupils_census_date=census if pupils is not None else None,
        ),
    )
    return school.id


def join(
    services: Services,
    school_id: int | None,
    applied: date,
    admitted: date | None,
    category: Category = Category.FULL,
    **member: Any,
) -> MemberDetail:
    """A member (a school, or the body ``member`` describes) applied and, if given, admitted."""
    data = (
        MemberInput(kind=MemberKind.SCHOOL, school_id=school_id)
        if school_id is not None
        else MemberInput(**member)
    )
    detail = services.members.apply(services.actor, data, ApplicationInput(category, applied))
    if admitted is None:
        return detail
    period = detail.latest
    assert period is not None
    return services.members.admit(services.actor, period.id, period.version, admitted)


def schedule(
    services: Services,
    year: str,
    *free: tuple[date, date],
    census: date | None = CENSUS_2017,
    rate: str = "5.00",
    fee: str = "250.00",
) -> None:
    services.fees.save_schedule(
        services.actor,
        ScheduleInput(
            year,
            rate,
            fee,
            census,
            periods=tuple(FeePeriodInput(a, b, False, "before fees began") for a, b in free),
        ),
    )


def table_sums(db: Database) -> dict[str, tuple[int, str]]:
    """Every memberships table: its row count and a checksum of its rows."""
    sums = {}
    with db.read_session() as session:
        for model in MEMBER_TABLES:
            table = model.__table__
            rows = session.execute(select(table).order_by(table.c.id)).all()
            digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
            sums[table.name] = (len(rows), digest)
    return sums
