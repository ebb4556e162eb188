"""A school's profile holds exactly the school's records, counted here independently in SQL,
on the demo borough on SQLite and PostgreSQL; it costs the same statements however many."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from profile_records import MARKUP_NOTE, ProfileDemo, open_profile_demo
from sqlalchemy import event, func, or_, select

from thep_desktop.domain.invoices import InvoiceKind, InvoiceState
from thep_desktop.domain.ofsted import NOT_YET_INSPECTED, InspectionKind
from thep_desktop.models import (
    Allocation,
    Correspondence,
    Customer,
    Invoice,
    Member,
    MembershipPeriod,
    OfstedInspection,
    Review,
    Reviewer,
    ReviewSchool,
    SchoolNote,
)
from thep_desktop.reports.schools.profile_data import SchoolProfile
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import NotFoundError, ValidationError

ACTOR = Actor("office")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def profile_demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ProfileDemo]:
    yield from open_profile_demo(request, tmp_path_factory)


@pytest.fixture(scope="module")
def services(profile_demo: ProfileDemo) -> Services:
    return Services(profile_demo.db, ACTOR)


@pytest.fixture(scope="module")
def profile(services: Services, profile_demo: ProfileDemo) -> SchoolProfile:
    return services.school_profile.profile(ACTOR, profile_demo.urn)


def _member_id(profile_demo: ProfileDemo) -> int:
    with profile_demo.db.read_session() as session:
        found = session.scalar(select(Member.id).where(Member.school_id == profile_demo.school_id))
    assert found is not None
    return found


def test_the_register_and_membership_are_the_schools(
    profile: SchoolProfile, profile_demo: ProfileDemo, services: Services
) -> None:
    detail = services.schools.get_school_by_urn(ACTOR, profile_demo.urn)
    assert profile.register.urn == detail.urn and profile.register.name == detail.name
    assert profile.register.link_officer == detail.link_officer_name
    assert profile.register.head == detail.head_teacher
    assert list(profile.register.address_lines) == detail.address_lines
    member_id = _member_id(profile_demo)
    with profile_demo.db.read_session() as session:
        periods = session.execute(
            select(MembershipPeriod.applied_on, MembershipPeriod.admitted_on)
            .where(MembershipPeriod.member_id == member_id)
            .order_by(MembershipPeriod.applied_on)
        ).all()
    assert [(m.applied_on, m.admitted_on) for m in profile.memberships] == [
        tuple(p) for p in periods
    ]
    statuses = services.members.statuses_of_schools(ACTOR, profile.as_at)
    assert profile.membership_status == statuses[profile_demo.school_id]


def test_each_years_fee_is_the_fee_calculators(
    profile: SchoolProfile, profile_demo: ProfileDemo, services: Services
) -> None:
    member_id = _member_id(profile_demo)
    assert profile.fees, "the demo member has fees"
    for line in profile.fees:
        quote = services.fees.quote(ACTOR, member_id, line.year)
        assert line.fee == quote.amount
        with profile_demo.db.read_session() as session:
            billed = session.scalar(
                select(func.coalesce(func.sum(Invoice.total), 0)).where(
                    Invoice.member_id == member_id,
                    Invoice.fee_year == line.start_year,
                    Invoice.kind == InvoiceKind.INVOICE,
                    Invoice.state == InvoiceState.ISSUED,
                )
            )
        assert line.invoiced == Decimal(billed)


def test_invoices_and_balance_are_the_accounts(
    profile: SchoolProfile, profile_demo: ProfileDemo, services: Services
) -> None:
    member_id = _member_id(profile_demo)
    with profile_demo.db.read_session() as session:
        customers = list(
            session.scalars(select(Customer.id).where(Customer.member_id == member_id))
        )
        issued = session.execute(
            select(Invoice.id, Invoice.number, Invoice.kind, Invoice.total).where(
                Invoice.customer_id.in_(customers),
                Invoice.state == InvoiceState.ISSUED,
                Invoice.invoice_date <= profile.as_at,
            )
        ).all()
        applied = dict(
            session.execute(
                select(Allocation.invoice_id, func.sum(Allocation.amount))
                .where(Allocation.invoice_id.is_not(None))
                .group_by(Allocation.invoice_id)
            ).all()
        )
    assert sorted(i.number for i in profile.invoices) == sorted(r.number for r in issued)
    assert len(profile.invoices) >= 2
    owed = sum(
        (r.total - Decimal(applied.get(r.id, 0)) for r in issued if r.kind == InvoiceKind.INVOICE),
        Decimal("0.00"),
    )
    assert profile.owed == owed
    dates = [i.invoice_date for i in profile.invoices]
    assert dates == sorted(dates, reverse=True)
    # The balance is the statement of account's closing balance.
    statement = services.statements.statement(ACTOR, customers[0], date_to=profile.as_at)
    assert profile.balance == statement.closing_balance


def test_peer_reviews_hosted_and_given_are_the_schools(
    profile: SchoolProfile, profile_demo: ProfileDemo
) -> None:
    school_id = profile_demo.school_id
    on_team = select(ReviewSchool.review_id).where(ReviewSchool.school_id == school_id)
    with profile_demo.db.read_session() as session:
        hosted = set(session.scalars(select(Review.id).where(Review.host_school_id == school_id)))
        given = set(
            session.scalars(
                select(Review.id).where(
                    Review.host_school_id != school_id,
                    or_(
                        Review.id.in_(on_team),
                        Review.id.in_(
                            select(Reviewer.review_id).where(Reviewer.school_id == school_id)
                        ),
                    ),
                )
            )
        )
    assert hosted and given
    assert {r.review_id for r in profile.reviews_hosted} == hosted
    assert {r.review_id for r in profile.reviews_given} == given
    assert all(r.schools and r.cycle for r in profile.reviews_hosted)


def test_ofsted_history_letters_and_notes_are_the_schools(
    profile: SchoolProfile, profile_demo: ProfileDemo
) -> None:
    school_id = profile_demo.school_id
    with profile_demo.db.read_session() as session:
        inspected = list(
            session.scalars(
                select(OfstedInspection.inspected_on)
                .where(OfstedInspection.school_id == school_id)
                .order_by(OfstedInspection.inspected_on.desc())
            )
        )
        letters = session.scalar(
            select(func.count(Correspondence.id)).where(
                or_(
                    Correspondence.school_id == school_id,
                    Correspondence.member_id == _member_id(profile_demo),
                )
            )
        )
        notes = list(
            session.scalars(select(SchoolNote.text).where(SchoolNote.school_id == school_id))
        )
    assert [i.inspected_on for i in profile.inspections] == inspected
    latest = profile.inspections[0]
    assert latest.record.kind is InspectionKind.REPORT_CARD
    assert "Achievement: Needs attention" in latest.outcome
    assert profile.latest_outcome == "Report card: an area needing attention"
    assert len(profile.letters) == letters >= 1
    assert "Welcome back" in {letter.subject for letter in profile.letters}
    assert sorted(n.text for n in profile.notes) == sorted(notes)
    by_text = {n.text: n for n in profile.notes}
    assert by_text[MARKUP_NOTE].author == "A governor"
    assert by_text["Met the head; new SENCo in post."].author == profile.register.link_officer


def test_a_school_with_no_inspection_or_membership_says_so(
    services: Services, profile_demo: ProfileDemo
) -> None:
    quiet = services.school_profile.profile(ACTOR, profile_demo.quiet_urn)
    assert quiet.latest_outcome == NOT_YET_INSPECTED
    assert quiet.inspections == () and quiet.memberships == () and quiet.invoices == ()
    assert quiet.membership_status == "Not a member"
    assert quiet.balance == Decimal("0.00")


def test_an_unknown_or_wrong_urn_is_refused_in_words(services: Services) -> None:
    with pytest.raises(NotFoundError, match="no school with URN 999999"):
        services.school_profile.profile(ACTOR, 999999)
    with pytest.raises(ValidationError) as refused:
        services.school_profile.profile(ACTOR, "12ab")
    assert "URN" in refused.value.field_errors["urn"]


def test_the_statements_do_not_grow_with_invoices_notes_or_inspections(
    services: Services, profile_demo: ProfileDemo
) -> None:
    db = profile_demo.db
    counted = [0]

    def count(*_args: object, **_kwargs: object) -> None:
        counted[0] += 1

    def statements() -> int:
        counted[0] = 0
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            services.school_profile.profile(ACTOR, profile_demo.urn)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return counted[0]

    before = statements()
    first = services.school_profile.profile(ACTOR, profile_demo.urn)
    member_id = _member_id(profile_demo)
    who = {"created_by": "test", "updated_by": "test"}
    with db.session() as session:
        customer_id = session.scalar(select(Customer.id).where(Customer.member_id == member_id))
        assert customer_id is not None
        for n in range(6):
            session.add(
                SchoolNote(
                    school_id=profile_demo.school_id,
                    noted_on=date(2026, 6, 1) + timedelta(days=n),
                    author_name="Office",
                    text=f"Extra note {n}",
                    **who,
                )
            )
            session.add(
                OfstedInspection(
                    school_id=profile_demo.school_id,
                    inspected_on=date(2010, 1, 4) + timedelta(days=n),
                    kind=InspectionKind.UNGRADED,
                    **who,
                )
            )
            session.add(
                Invoice(
                    kind=InvoiceKind.INVOICE,
                    state=InvoiceState.ISSUED,
                    number=f"TEST-{n:04d}",
                    sequence=900_000 + n,
                    customer_id=customer_id,
                    member_id=member_id,
                    customer_name="Test",
                    invoice_date=date(2024, 1, 2) + timedelta(days=n),
                    due_date=date(2024, 2, 2) + timedelta(days=n),
                    total=Decimal("10.00"),
                    total_net=Decimal("10.00"),
                    **who,
                )
            )
    after = services.school_profile.profile(ACTOR, profile_demo.urn)
    assert len(after.notes) == len(first.notes) + 6
    assert len(after.inspections) == len(first.inspections) + 6
    assert len(after.invoices) == len(first.invoices) + 6
    assert after.owed == first.owed + Decimal("60.00")
    assert statements() == before
