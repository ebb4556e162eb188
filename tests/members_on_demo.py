"""Members, notice, a re-joiner and fee schedules of the tests' own, on the demo borough.

The demo's own memberships (and the invoicing that bills them, and the meetings their
schools attended) are cleared first, so that the letters' and the register's tests know
exactly who is a member: a few open schools full members, one under notice, one that left
and re-joined, an associate organisation and an individual, and fee schedules for this
academic year and the last.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, select, text

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.memberships import MemberKind
from thep_desktop.models import School, SchoolStatus
from thep_desktop.services.memberships.fees_service import ScheduleInput
from thep_desktop.services.memberships.member_data import ApplicationInput, MemberInput
from thep_desktop.services.registry import Services


@dataclass
class Records:
    full: list[int] = field(default_factory=list)  # member ids of the full member schools
    school_ids: list[int] = field(default_factory=list)
    under_notice: int = 0
    rejoined: int = 0
    organisation: int = 0
    individual: int = 0
    not_member_school: int = 0  # an open school with no membership


# The demo's invoicing, children first: it refers to the members cleared below.
INVOICING = ("invoice_reminder", "allocation", "payment", "invoice_line", "invoice", "fee_run")


def _clear_invoicing(connection: Connection) -> None:
    """Remove the demo's invoices, issued ones too: only a test may, setting aside the
    database's triggers that refuse it (PostgreSQL's TRUNCATE fires none; SQLite's are
    dropped and made again from their own text, in the same transaction)."""
    tables = (*INVOICING, "customer")
    if connection.dialect.name == "postgresql":
        connection.execute(text("TRUNCATE " + ", ".join(tables)))
        return
    triggers = connection.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name IN ('invoice', 'invoice_line')"
        )
    ).all()
    for name, _sql in triggers:
        connection.execute(text(f'DROP TRIGGER "{name}"'))
    for table in tables:
        if table == "invoice":  # credit notes before the invoices they credit
            connection.execute(text("DELETE FROM invoice WHERE credits_invoice_id IS NOT NULL"))
        connection.execute(text(f"DELETE FROM {table}"))
    for _name, sql in triggers:
        connection.execute(text(sql))


# The demo's meetings, children first: a general meeting's attendance names members.
MEETINGS = (
    "agenda_paper",
    "minutes_erratum",
    "interest_declaration",
    "decision",
    "meeting_attendance",
    "governance_action",
    "agenda_item",
    "meeting",
)


def _clear_meetings(connection: Connection) -> None:
    """Remove the demo's meetings, approved minutes too, as ``_clear_invoicing`` does its
    invoices (the triggers that keep approved minutes are set aside the same way)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("TRUNCATE " + ", ".join(MEETINGS)))
        return
    triggers = connection.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ("
            + ", ".join(f"'{table}'" for table in MEETINGS)
            + ")"
        )
    ).all()
    for name, _sql in triggers:
        connection.execute(text(f'DROP TRIGGER "{name}"'))
    for table in MEETINGS:
        connection.execute(text(f"DELETE FROM {table}"))
    for _name, sql in triggers:
        connection.execute(text(sql))


def add_members(services: Services, schools: int = 8, today: date | None = None) -> Records:
    """Membership records as of ``today``; ``schools`` open schools become full members."""
    actor = services.actor
    day = today or date.today()
    year = AcademicYear.of(day)
    with services.db.engine.begin() as connection:
        _clear_invoicing(connection)
        _clear_meetings(connection)
        for table in (
            "membership_period",
            "member",
            "fee_period",
            "fee_schedule",
            "notice_exception",
            "membership_rules",
        ):
            connection.execute(text(f"DELETE FROM {table}"))
    with services.db.read_session() as session:
        ids = list(
            session.scalars(
                select(School.id)
                .where(School.status == SchoolStatus.OPEN, School.pupils_on_roll.is_not(None))
                .order_by(School.urn)
            )
        )
    records = Records()
    for number, school_id in enumerate(ids[:schools]):
        member = services.members.apply(
            actor,
            MemberInput(kind=MemberKind.SCHOOL, school_id=school_id),
            ApplicationInput(category="full", applied_on=date(2017, 3, 1)),
        )
        period = member.periods[-1]
        member = services.members.admit(actor, period.id, period.version, date(2017, 4, 1))
        records.full.append(member.id)
        records.school_ids.append(school_id)
        if number == 1:  # gave notice two months ago
            period = member.periods[-1]
            services.members.record_notice(actor, period.id, period.version, _months_before(day, 2))
            records.under_notice = member.id
        if number == 2:  # left in 2020, re-joined in 2023
            period = member.periods[-1]
            services.members.cease(actor, period.id, period.version, date(2020, 9, 1), "Left")
            member = services.members.apply_again(
                actor, member.id, ApplicationInput(category="full", applied_on=date(2023, 8, 1))
            )
            period = member.periods[-1]
            services.members.admit(actor, period.id, period.version, date(2023, 9, 1))
            records.rejoined = member.id
    records.not_member_school = ids[schools]
    organisation = services.members.apply(
        actor,
        MemberInput(
            kind=MemberKind.ORGANISATION,
            name="Stepney Music Trust",
            contact_name="Mr Daniel Osei",
            address="Unit 4, Whitehorse Yard\n12 Whitehorse Road\nLondon",
            postcode="E1 0ND",
        ),
        ApplicationInput(category="associate", applied_on=date(2021, 1, 4)),
    )
    period = organisation.periods[-1]
    services.members.admit(actor, period.id, period.version, date(2021, 1, 11))
    records.organisation = organisation.id
    person = services.members.apply(
        actor,
        MemberInput(
            kind=MemberKind.INDIVIDUAL,
            name="Dr Amara Nwosu",
            address="Flat 2, 31 Mile End Road\nLondon",
            postcode="E1 4TP",
        ),
        ApplicationInput(category="associate", applied_on=date(2024, 1, 8)),
    )
    period = person.periods[-1]
    services.members.admit(actor, period.id, period.version, date(2024, 1, 15))
    records.individual = person.id
    for wanted in (year.previous(), year):
        services.fees.save_schedule(
            actor,
            ScheduleInput(
                academic_year=wanted,
                rate_per_pupil=Decimal("5.00"),
                associate_fee=Decimal("250.00"),
            ),
        )
    return records


def _months_before(day: date, months: int) -> date:
    month = day.month - months
    year = day.year
    while month < 1:
        month += 12
        year -= 1
    return date(year, month, min(day.day, 28))
