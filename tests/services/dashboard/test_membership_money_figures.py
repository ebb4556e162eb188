"""The dashboard's membership and money figures on the demo borough, on SQLite and PostgreSQL.

Each figure is checked against a count made here independently: in Python over the rows read
plainly from the tables, or through the services the office already uses (the members
register's summary, the aged debt report). Each chart's series must hold the same figures,
and the list behind each figure must hold exactly what it counts (as many rows as the
count; money lists adding up to the sum). The demo is loaded once per module and database.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pg_databases import PgDatabases
from sqlalchemy import select

from benchmarks.dashboard_data import add_office
from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.invoices import AGE_BUCKETS, InvoiceKind, InvoiceState, PaymentKind
from thep_desktop.domain.memberships import Category, MemberKind, MembershipStatus
from thep_desktop.domain.schools import SchoolStatus, effective_status
from thep_desktop.models import (
    Invoice,
    InvoiceLine,
    OrganisationProfile,
    Payment,
    School,
)
from thep_desktop.reports.shared.chart_data import Drill, Unit
from thep_desktop.services.dashboard.dashboard_data import Dashboard
from thep_desktop.services.dashboard.dashboard_service import DashboardService
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.invoices.account_records import invoice_rows_as_at, owed_as_at
from thep_desktop.services.invoices.aged_debt_service import AgedDebtService
from thep_desktop.services.memberships.member_standing import standing_on
from thep_desktop.services.memberships.members_service import MembersService
from thep_desktop.services.schools.open_schools import school_open_on
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import ValidationError

ACTOR = Actor("jo.bloggs", Role.ADMIN)
TODAY = date.today()
# A day in the past: last academic year, when the demo's records were fewer.
PAST = TODAY - timedelta(days=300)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(
    request: pytest.FixtureRequest,
    sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Database]:
    """The demo borough, loaded once per module on each kind of database (read only)."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("dashboard") / "demo.sqlite3"
        shutil.copyfile(sqlite_template, path)
        db = Database(path)
        DemoService(db).load(ACTOR)
        yield db
        db.dispose()
        return
    databases = PgDatabases(request.getfixturevalue("pg_server_url"))
    try:
        db = Database(databases.create(migrated=True))
        DemoService(db).load(ACTOR)
        yield db
        db.dispose()
    finally:
        databases.drop_all()


@pytest.fixture(scope="module")
def members(demo: Database) -> list[Any]:
    return MembersService(demo).list_member_details(ACTOR)


def pounds(text: str) -> Decimal:
    """ "£1,234.50" (or "-£10.00") as a Decimal."""
    negative = text.startswith("-")
    value = Decimal(text.lstrip("-").lstrip("£").replace(",", ""))
    return -value if negative else value


def year_ago(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


# -- counted independently -------------------------------------------------------------------
def standing(members: list[Any], day: date) -> list[tuple[Any, Any, MembershipStatus]]:
    """(member, period, status) of each member on ``day``, by the members service's rules."""
    found = []
    for member in members:
        period = member.period_on(day)
        if period is not None and period.status_on(day).is_member:
            found.append((member, period, period.status_on(day)))
    return found


def phase_of(member: Any) -> str:
    if member.kind is not MemberKind.SCHOOL:
        return "Not a school"
    return member.phase or "Phase not recorded"


def spans(day: date) -> list[tuple[str, date, date]]:
    this = AcademicYear.of(day)
    found = [
        (AcademicYear(this.start_year - back).label,)
        + (
            AcademicYear(this.start_year - back).first_day,
            AcademicYear(this.start_year - back).last_day,
        )
        for back in range(5, 0, -1)
    ]
    return [*found, (this.label, this.first_day, day)]


def movement(members: list[Any], first: date, last: date) -> tuple[int, int]:
    joined = left = 0
    for member in members:
        for period in member.periods:
            if period.admitted_on is not None and first <= period.admitted_on <= last:
                joined += 1
            if (
                period.admitted_on is not None
                and period.ends_on is not None
                and period.admitted_on < period.ends_on
                and first <= period.ends_on <= last
            ):
                left += 1
    return joined, left


def borough(db: Database, members: list[Any], day: date) -> tuple[int, int, int, int]:
    """(open schools, their pupils, member schools among them, their pupils)."""
    with db.read_session() as session:
        la = session.scalar(select(OrganisationProfile.la_code)) or ""
        schools = session.execute(
            select(
                School.id, School.status, School.close_date, School.la_code, School.pupils_on_roll
            )
        ).all()
    open_schools = {
        s.id: s.pupils_on_roll or 0
        for s in schools
        if (not la or s.la_code == la)
        and effective_status(s.status, s.close_date, day) is SchoolStatus.OPEN
    }
    member_schools = {m.school_id for m, _p, _s in standing(members, day)} & set(open_schools)
    return (
        len(open_schools),
        sum(open_schools.values()),
        len(member_schools),
        sum(open_schools[s] for s in member_schools),
    )


def documents(db: Database) -> list[Any]:
    with db.read_session() as session:
        return session.execute(
            select(
                Invoice.id,
                Invoice.kind,
                Invoice.state,
                Invoice.invoice_date,
                Invoice.total,
                Invoice.fee_year,
                Invoice.credits_invoice_id,
            )
        ).all()


def invoiced(db: Database, first: date, last: date) -> Decimal:
    total = Decimal("0.00")
    for d in documents(db):
        if d.state is InvoiceState.ISSUED and first <= d.invoice_date <= last:
            total += -d.total if d.kind is InvoiceKind.CREDIT_NOTE else d.total
    return total


def paid(db: Database, first: date, last: date) -> Decimal:
    with db.read_session() as session:
        rows = session.execute(select(Payment.kind, Payment.received_on, Payment.amount)).all()
    return sum(
        (
            r.amount
            for r in rows
            if r.kind is PaymentKind.RECEIPT and first <= r.received_on <= last
        ),
        Decimal("0.00"),
    )


def income(db: Database, first: date, last: date) -> dict[str, Decimal]:
    """Lines by kind of income, by the rule money_figures states, in Python."""
    by_id = {d.id: d for d in documents(db)}
    with db.read_session() as session:
        lines = session.execute(
            select(
                InvoiceLine.invoice_id,
                InvoiceLine.net,
                InvoiceLine.vat,
                InvoiceLine.service_item_id,
            )
        ).all()
    catalogue = {x.invoice_id for x in lines if x.service_item_id is not None}
    found: dict[str, Decimal] = Counter()  # type: ignore[assignment]
    for line in lines:
        d = by_id[line.invoice_id]
        if d.state is not InvoiceState.ISSUED or not first <= d.invoice_date <= last:
            continue
        credit = d.kind is InvoiceKind.CREDIT_NOTE
        if d.fee_year is not None:
            kind = "Membership fees"
        elif line.service_item_id is not None or (credit and d.credits_invoice_id in catalogue):
            kind = "Traded services"
        else:
            kind = "Other"
        found[kind] = found.get(kind, Decimal("0.00")) + (-1 if credit else 1) * (
            line.net + line.vat
        )
    return dict(found)


# -- the figures against the counts ---------------------------------------------------------
@pytest.fixture(scope="module")
def dashboards(demo: Database) -> dict[date, Dashboard]:
    """The dashboard today and on a day in the past, worked out once per database."""
    return {day: DashboardService(demo).dashboard(ACTOR, day) for day in (TODAY, PAST)}


@pytest.fixture(params=[TODAY, PAST], ids=["today", "past"])
def seen(
    request: pytest.FixtureRequest, dashboards: dict[date, Dashboard]
) -> tuple[date, Dashboard]:
    day: date = request.param
    return day, dashboards[day]


def test_members_by_category_and_phase_are_the_members_on_the_day(
    demo: Database, members: list[Any], seen: tuple[date, Dashboard]
) -> None:
    day, found = seen
    now = standing(members, day)
    full = sum(1 for _m, p, _s in now if p.category is Category.FULL)
    associate = sum(1 for _m, p, _s in now if p.category is Category.ASSOCIATE)
    notice = sum(1 for _m, _p, s in now if s is MembershipStatus.UNDER_NOTICE)
    assert found.tile("membership.full_members").value == full
    assert found.tile("membership.associate_members").value == associate
    assert found.tile("membership.under_notice").value == notice
    assert found.tile("membership.under_notice").warn is (notice > 0)
    # The members register's own summary agrees.
    summary = MembersService(demo).summary(ACTOR, day)
    assert (summary.full_members, summary.associate_members, summary.under_notice) == (
        full,
        associate,
        notice,
    )
    before = year_ago(day)
    assert f"a year ago {summary.last_year_full} ({before:%d/%m/%Y})" in (
        found.tile("membership.full_members").detail
    )
    if day == TODAY:
        assert full > 50 and associate > 0 and notice > 0  # the demo shows something real

    chart = found.chart("membership.by_category_and_phase")
    counted = Counter((phase_of(m), p.category) for m, p, _s in now)
    assert set(chart.categories) == {phase for phase, _c in counted}
    assert chart.categories[-1] == "Not a school"
    for series, category in zip(chart.series, (Category.FULL, Category.ASSOCIATE), strict=True):
        assert series.values == tuple(counted[phase, category] for phase in chart.categories)
    assert sum(chart.series[0].values) == full and sum(chart.series[1].values) == associate


def test_joined_left_and_under_notice_each_year(
    members: list[Any], seen: tuple[date, Dashboard]
) -> None:
    day, found = seen
    chart = found.chart("membership.movement")
    years = spans(day)
    assert chart.categories == tuple(label for label, _f, _l in years)
    assert chart.categories[-1] == AcademicYear.of(day).label
    counted = [movement(members, first, last) for _label, first, last in years]
    assert chart.series[0].values == tuple(j for j, _l in counted)
    assert chart.series[1].values == tuple(left for _j, left in counted)
    assert sum(chart.series[0].values) > 0 and sum(chart.series[1].values) > 0
    ends = [last for _label, _f, last in years]
    assert chart.series[2].values == tuple(
        sum(1 for _m, _p, s in standing(members, end) if s is MembershipStatus.UNDER_NOTICE)
        for end in ends
    )
    assert found.tile("membership.joined_this_year").value == counted[-1][0]
    assert found.tile("membership.left_this_year").value == counted[-1][1]
    assert found.tile("membership.under_notice").value == chart.series[2].values[-1]
    last_year = movement(members, AcademicYear.of(day).previous().first_day, year_ago(day))
    assert f"last year {last_year[0]} (" in found.tile("membership.joined_this_year").detail
    assert f"last year {last_year[1]} (" in found.tile("membership.left_this_year").detail


def test_share_of_the_boroughs_open_schools_and_pupils(
    demo: Database, members: list[Any], seen: tuple[date, Dashboard]
) -> None:
    day, found = seen
    schools, pupils, member_schools, member_pupils = borough(demo, members, day)
    assert schools > 0 and 0 < member_schools < schools
    share = found.tile("membership.share_of_schools")
    assert share.unit is Unit.PERCENT
    assert share.value == (Decimal(100) * member_schools / schools).quantize(Decimal("0.1"))
    assert f"{member_schools:,} of {schools:,} open schools" in share.detail
    pupil_share = found.tile("membership.share_of_pupils")
    assert pupil_share.value == (Decimal(100) * member_pupils / pupils).quantize(Decimal("0.1"))
    assert f"{member_pupils:,} of {pupils:,} pupils" in pupil_share.detail
    # The members summary counts the same member schools among the same open schools.
    summary = MembersService(demo).summary(ACTOR, day)
    assert (summary.member_schools, summary.open_schools) == (member_schools, schools)
    listed = DashboardService(demo).records_behind(ACTOR, share.drill, day)  # type: ignore[arg-type]
    assert len(listed.rows) == member_schools
    assert all(row.urn is not None for row in listed.rows)


def test_invoiced_and_paid_this_year_against_last(
    demo: Database, seen: tuple[date, Dashboard]
) -> None:
    day, found = seen
    this = AcademicYear.of(day)
    last_first, last_last = this.previous().first_day, year_ago(day)
    invoiced_now, invoiced_then = (
        invoiced(demo, this.first_day, day),
        invoiced(demo, last_first, last_last),
    )
    paid_now, paid_then = paid(demo, this.first_day, day), paid(demo, last_first, last_last)
    assert found.tile("money.invoiced_this_year").value == invoiced_now
    assert found.tile("money.paid_this_year").value == paid_now
    assert f"last year £{invoiced_then:,.2f}" in found.tile("money.invoiced_this_year").detail
    assert f"last year £{paid_then:,.2f}" in found.tile("money.paid_this_year").detail
    chart = found.chart("money.this_year_against_last")
    assert chart.categories == ("Invoiced", "Paid")
    assert [s.name for s in chart.series] == [this.previous().label, this.label]
    assert chart.series[0].values == (invoiced_then, paid_then)
    assert chart.series[1].values == (invoiced_now, paid_now)
    if day == TODAY:
        assert invoiced_now > 0 and paid_now > 0 and invoiced_then > 0


def test_outstanding_overdue_and_aged_debt_are_the_aged_debt_reports(
    demo: Database, seen: tuple[date, Dashboard]
) -> None:
    day, found = seen
    report = AgedDebtService(demo).aged_debt(ACTOR, day)
    columns = [
        sum((r.amounts[n] for r in report.rows), Decimal("0.00")) for n in range(len(AGE_BUCKETS))
    ]
    chart = found.chart("money.aged_debt")
    assert chart.categories == tuple(b.label for b in AGE_BUCKETS)
    assert chart.series[0].values == tuple(columns)
    assert found.tile("money.outstanding").value == sum(columns, Decimal("0.00"))
    assert found.tile("money.overdue").value == sum(columns[1:], Decimal("0.00"))
    assert found.tile("money.overdue").warn is (sum(columns[1:]) > 0)
    invoices = sum(len(r.invoices) for r in report.rows)
    assert f"owed on {invoices:,} invoice" in found.tile("money.outstanding").detail
    if day == TODAY:
        assert columns[0] > 0 and columns[-1] > 0


def test_income_by_kind_from_the_lines_adds_up_to_the_invoiced(
    demo: Database, seen: tuple[date, Dashboard]
) -> None:
    day, found = seen
    counted = income(demo, AcademicYear.of(day).first_day, day)
    chart = found.chart("money.income_by_kind")
    assert chart.categories[:2] == ("Membership fees", "Traded services")
    assert dict(zip(chart.categories, chart.series[0].values, strict=True)) == {
        kind: counted.get(kind, Decimal("0.00"))
        for kind in ("Membership fees", "Traded services", "Other")
        if kind != "Other" or counted.get("Other")
    }
    assert sum(chart.series[0].values, Decimal(0)) == found.tile("money.invoiced_this_year").value


def test_every_list_behind_a_figure_holds_what_it_counts(
    demo: Database, seen: tuple[date, Dashboard]
) -> None:
    day, found = seen
    service = DashboardService(demo)
    mine = ("membership.", "money.")

    def check(drill: Drill | None, value: int | Decimal, unit: Unit, what: str) -> None:
        assert drill is not None, what
        listed = service.records_behind(ACTOR, drill, day)
        assert listed.rows is not None and listed.columns
        assert all(len(r.cells) == len(listed.columns) for r in listed.rows)
        if unit is Unit.COUNT:
            assert len(listed.rows) == value, what
        elif unit is Unit.MONEY:
            column = len(listed.columns) - 1
            assert sum((pounds(r.cells[column]) for r in listed.rows), Decimal(0)) == value, what

    checked = 0
    for tile in found.tiles:
        if tile.key.startswith(mine) and tile.unit is not Unit.PERCENT:
            check(tile.drill, tile.value, tile.unit, tile.key)
            checked += 1
    for chart in found.charts:
        if not chart.key.startswith(mine):
            continue
        for s, series in enumerate(chart.series):
            for c, value in enumerate(series.values):
                check(chart.drill_at(s, c), value, chart.unit, f"{chart.key} {series.name} {c}")
                checked += 1
    assert checked >= 50  # every tile but the two shares, and every point of five charts


def test_a_list_with_wrong_filters_is_refused_in_words(demo: Database) -> None:
    service = DashboardService(demo)
    with pytest.raises(ValidationError) as raised:
        service.records_behind(ACTOR, Drill("members", {"day": "yesterday"}))
    assert "day" in raised.value.field_errors["drill"]
    with pytest.raises(ValidationError):
        service.records_behind(ACTOR, Drill("debts", {"as_at": TODAY.isoformat(), "bucket": "x"}))
    with pytest.raises(ValidationError):
        service.records_behind(
            ACTOR, Drill("member_movement", {"first": "2025-09-01", "last": "2026-08-31"})
        )


def test_the_sql_rule_for_an_open_school_is_the_registers(demo: Database) -> None:
    with demo.read_session() as session:
        schools = session.execute(select(School.id, School.status, School.close_date)).all()
        days = {TODAY, PAST} | {s.close_date for s in schools if s.close_date is not None}
        for day in sorted(days):
            in_sql = set(session.scalars(select(School.id).where(school_open_on(day))))
            assert in_sql == {
                s.id
                for s in schools
                if effective_status(s.status, s.close_date, day) is SchoolStatus.OPEN
            }, day


# -- an empty database, and the statement count ----------------------------------------------
def test_an_empty_database_gives_noughts(db: Database) -> None:
    found = DashboardService(db).dashboard(ACTOR, TODAY)
    for tile in found.tiles:
        if tile.key.startswith(("membership.", "money.")):
            assert tile.value == 0, tile.key
    assert found.is_empty
    assert found.chart("membership.by_category_and_phase").categories == ()
    assert found.chart("membership.movement").is_empty
    assert found.chart("money.aged_debt").is_empty
    assert found.chart("money.income_by_kind").categories == ("Membership fees", "Traded services")
    figures = found.figures()
    assert figures["money"]["outstanding"] == "0.00"
    assert figures["membership"]["share_of_schools"] == "0.0"


def test_the_statement_count_does_not_grow_with_the_data(
    demo: Database, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The whole dashboard (every area) on the demo, then on the demo and hundreds more
    schools, members and invoices: the same number of statements, and the new records
    counted."""
    service = DashboardService(demo)
    small = service.dashboard(ACTOR, TODAY)
    if demo.url.get_backend_name() == "sqlite":
        path = tmp_path / "bigger.sqlite3"
        demo.dispose()
        shutil.copyfile(demo.url.database or "", path)
        bigger = Database(path)
        databases = None
    else:
        databases = PgDatabases(request.getfixturevalue("pg_server_url"))
        demo.dispose()
        bigger = Database(databases.create(template=demo.url.render_as_string(hide_password=False)))
    try:
        add_office(bigger, 400, 300, today=TODAY)
        large = DashboardService(bigger).dashboard(ACTOR, TODAY)
    finally:
        bigger.dispose()
        if databases is not None:
            databases.drop_all()
    assert large.statements == small.statements
    assert (
        large.tile("membership.full_members").value
        > small.tile("membership.full_members").value + 250
    )
    assert large.tile("money.outstanding").value > small.tile("money.outstanding").value
    assert large.chart("money.income_by_kind").categories[-1] == "Other"


@pytest.mark.parametrize("day", [TODAY, PAST], ids=["today", "past"])
def test_the_sql_rules_for_members_and_debts_are_the_services(
    demo: Database, members: list[Any], day: date
) -> None:
    """``standing_on`` is ``MemberDetail.status_on`` member by member, and ``owed_as_at`` is
    ``invoice_rows_as_at`` invoice by invoice."""
    with demo.read_session() as session:
        on_day = standing_on([("day", day)])
        in_sql = {
            r.member_id: (r.period_id, bool(r.under_notice))
            for r in session.execute(
                select(on_day.c.member_id, on_day.c.period_id, on_day.c.under_notice)
            )
        }
        owed = owed_as_at(day)
        owed_in_sql = {
            r.id: r.outstanding
            for r in session.execute(select(owed.c.id, owed.c.outstanding))
            if r.outstanding > 0
        }
        rows = invoice_rows_as_at(session, as_at=day)
    assert in_sql == {
        m.id: (p.id, s is MembershipStatus.UNDER_NOTICE) for m, p, s in standing(members, day)
    }
    assert owed_in_sql == {r.id: r.outstanding for r in rows}
    assert owed_in_sql and in_sql
