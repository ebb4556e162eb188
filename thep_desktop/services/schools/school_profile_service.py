"""A school's profile: the register, membership and fees, invoices and balance, peer reviews
hosted and given, Ofsted history, letters sent and notes, read in one session.

Each section is read by the query its own area uses (members and their periods, the fee
calculator, account balances, the letters sent), so a rule is written once. The number of
SQL statements is fixed: it does not grow with the school's invoices, letters or notes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.invoices import ZERO, InvoiceKind, InvoiceState
from thep_desktop.domain.ofsted import (
    EVALUATION_AREAS,
    NOT_YET_INSPECTED,
    AreaGrade,
    InspectionKind,
    InspectionRecord,
    OverallGrade,
    Safeguarding,
    latest_outcome,
)
from thep_desktop.domain.peer_reviews import ReviewStatus
from thep_desktop.domain.schools import SchoolStatus, effective_status
from thep_desktop.domain.validation import check_urn
from thep_desktop.models import (
    Customer,
    FeeSchedule,
    Invoice,
    Member,
    OfstedInspection,
    Review,
    ReviewCycle,
    Reviewer,
    ReviewSchool,
    School,
    SchoolNote,
    StaffMember,
)
from thep_desktop.reports.schools.profile_data import (
    FeeLine,
    InspectionLine,
    InvoiceLine,
    LetterLine,
    MembershipLine,
    NoteLine,
    RegisterDetails,
    ReviewLine,
    SchoolProfile,
)
from thep_desktop.services.invoices.account_records import (
    credit_held_by_customer,
    credit_sources,
    invoice_rows_as_at,
)
from thep_desktop.services.letters.correspondence_history import (
    correspondence_rows,
    school_letters,
)
from thep_desktop.services.memberships.fees_service import _member_in, _quote, _schedule
from thep_desktop.services.memberships.member_data import MemberDetail
from thep_desktop.services.memberships.members_service import _load_members, status_words
from thep_desktop.services.schools.school_census import CensusFigure, history_of
from thep_desktop.services.schools.school_data import head_name, laestab
from thep_desktop.services.schools.schools_service import SchoolsService
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import NotFoundError, ServiceError, ValidationError
from thep_desktop.services.shared.permissions import VIEW

NOT_A_MEMBER = "Not a member"


class SchoolProfileService:
    def __init__(self, database: Database) -> None:
        self.db = database

    def profile(self, actor: Actor, urn: int | str, as_at: date | None = None) -> SchoolProfile:
        """The school with this URN as at ``as_at`` (None: today)."""
        actor.require(VIEW)
        number = _urn(urn)
        at = as_at or date.today()
        with self.db.read_session() as session:
            school_id = session.scalar(select(School.id).where(School.urn == number))
            if school_id is None:
                raise NotFoundError(f"There is no school with URN {number} in the register.")
            return read_profile(session, school_id, at)

    def write_profile(
        self, actor: Actor, urn: int | str, path: str | Path, as_at: date | None = None
    ) -> SchoolProfile:
        """The profile printed on the letterhead at ``path``: written whole or not at all."""
        # Imported here: reportlab is loaded only when a profile is printed.
        from thep_desktop.reports.governance.governance_pdf import write_pdf
        from thep_desktop.reports.schools.school_profile_pdf import school_profile_pdf_bytes
        from thep_desktop.reports.shared.spreadsheet import ExportError
        from thep_desktop.services.letters.letter_files import pdf_path_problem
        from thep_desktop.services.letters.mail_merge import letterhead_from
        from thep_desktop.services.settings.organisation_service import OrganisationService

        actor.require(VIEW)
        target = Path(path)
        if target.suffix.casefold() != ".pdf":
            raise ValidationError({"out": "Save the school profile as a PDF (a name ending .pdf)."})
        problem = pdf_path_problem(target)
        if problem:
            raise ValidationError({"out": problem})
        found = self.profile(actor, urn, as_at)
        letterhead = letterhead_from(OrganisationService(self.db).get_profile(actor))
        try:
            write_pdf(target, school_profile_pdf_bytes(found, letterhead))
        except ExportError as exc:
            raise ServiceError(str(exc)) from None
        return found


def _urn(urn: int | str) -> int:
    try:
        return check_urn(urn)
    except ValueError as exc:
        raise ValidationError({"urn": str(exc)}) from None


def read_profile(session: Session, school_id: int, at: date) -> SchoolProfile:
    """Every section of the school's profile: a fixed number of statements."""
    school = SchoolsService._load(session, school_id)
    member_id = session.scalar(select(Member.id).where(Member.school_id == school_id))
    member = _load_members(session, [member_id])[0] if member_id is not None else None
    memberships, status = _memberships(member, at)
    invoices, owed, held, fee_invoices = _invoices(session, member_id, at)
    inspections = _inspections(session, school_id)
    return SchoolProfile(
        school_id=school_id,
        as_at=at,
        register=_register(school, at),
        membership_status=status,
        memberships=memberships,
        fees=_fees(session, member, fee_invoices),
        invoices=invoices,
        owed=owed,
        credit_held=held,
        reviews_hosted=_reviews_hosted(session, school_id),
        reviews_given=_reviews_given(session, school_id),
        inspections=inspections,
        latest_outcome=(
            latest_outcome([i.record for i in inspections]).words
            if inspections
            else NOT_YET_INSPECTED
        ),
        letters=_letters(session, school_id, member_id),
        notes=_notes(session, school_id),
    )


# -- the register -------------------------------------------------------------------------


def _register(school: School, at: date) -> RegisterDetails:
    officer = school.link_officer
    status = effective_status(SchoolStatus(school.status), school.close_date, at)
    low, high = school.statutory_low_age, school.statutory_high_age
    ages = (
        ""
        if low is None and high is None
        else f"{low if low is not None else ''} to " + (str(high) if high is not None else "")
    )
    address = [
        school.street,
        school.locality,
        school.address3,
        school.town,
        school.county,
        school.postcode,
    ]
    return RegisterDetails(
        urn=school.urn,
        name=school.name,
        dfe_number=laestab(school.la_code, school.establishment_number),
        establishment_type=school.establishment_type,
        phase=school.phase,
        status=status.label,
        open_date=school.open_date,
        close_date=school.close_date,
        age_range=ages,
        pupils_on_roll=school.pupils_on_roll,
        pupils_census_date=school.pupils_census_date,
        trust=school.trust,
        diocese=school.diocese,
        religious_character=school.religious_character,
        address_lines=tuple(p for p in address if p),
        phone=school.phone,
        email=school.email,
        website=school.website,
        head=head_name(school.head_title, school.head_first_name, school.head_last_name),
        chair_of_governors=school.chair_of_governors,
        causing_concern=school.causing_concern,
        link_officer=officer.full_name if officer is not None else "",
        link_officer_email=officer.email if officer is not None else "",
        link_officer_phone=officer.phone if officer is not None else "",
        notes=school.notes,
    )


# -- membership and fees ------------------------------------------------------------------


def _memberships(member: MemberDetail | None, at: date) -> tuple[tuple[MembershipLine, ...], str]:
    if member is None:
        return (), NOT_A_MEMBER
    lines = tuple(
        MembershipLine(
            category=p.category.label,
            applied_on=p.applied_on,
            admitted_on=p.admitted_on,
            notice_received_on=p.notice_received_on,
            ceased_on=p.ends_on,
            status=status_words(p, at),
        )
        for p in member.periods
    )
    period = member.period_on(at)
    return lines, status_words(period, at) if period is not None else NOT_A_MEMBER


def _fees(
    session: Session, member: MemberDetail | None, invoiced: dict[int, tuple[Decimal, Decimal]]
) -> tuple[FeeLine, ...]:
    """Each year with a fee schedule in which the school was a member, newest first: the fee
    by the fee calculator's own rule, and what was invoiced for it."""
    if member is None or member.school_id is None:
        return ()
    schedules = [
        _schedule(row)
        for row in session.scalars(
            select(FeeSchedule)
            .options(selectinload(FeeSchedule.periods))
            .order_by(FeeSchedule.academic_year.desc())
        )
    ]
    census = history_of(session, member.school_id)  # newest first
    lines = []
    for schedule in schedules:
        if not _member_in(member, schedule.year, None):
            continue
        # The figure of the latest census on or before the schedule's (as pupils_at picks).
        figure = next((f for f in census if f.census_date <= schedule.census_date), None)
        figures: dict[int, CensusFigure] = {} if figure is None else {member.school_id: figure}
        quote = _quote(member, schedule, figures, None)
        billed, owing = invoiced.get(schedule.year.start_year, (ZERO, ZERO))
        lines.append(
            FeeLine(
                year=schedule.year.label,
                start_year=schedule.year.start_year,
                category=quote.category.label,
                fee=quote.amount,
                working=quote.working,
                invoiced=billed,
                outstanding=owing,
            )
        )
    return tuple(lines)


# -- invoices and balance -----------------------------------------------------------------


def _invoices(
    session: Session, member_id: int | None, at: date
) -> tuple[tuple[InvoiceLine, ...], Decimal, Decimal, dict[int, tuple[Decimal, Decimal]]]:
    """The member's issued invoices and credit notes to ``at``, newest first; what it owes,
    the credit it holds, and per fee year (invoiced, still owed)."""
    if member_id is None:
        return (), ZERO, ZERO, {}
    customer_ids = list(session.scalars(select(Customer.id).where(Customer.member_id == member_id)))
    if not customer_ids:
        return (), ZERO, ZERO, {}
    lines: list[tuple[date, int, InvoiceLine]] = []
    owed = ZERO
    fees: dict[int, tuple[Decimal, Decimal]] = defaultdict(lambda: (ZERO, ZERO))
    for row in invoice_rows_as_at(session, as_at=at, customer_ids=customer_ids, owed_only=False):
        owed += row.outstanding
        if row.fee_year is not None:
            billed, owing = fees[row.fee_year]
            fees[row.fee_year] = (billed + row.total, owing + row.outstanding)
        lines.append(
            (
                row.invoice_date,
                row.id,
                InvoiceLine(
                    kind="Invoice",
                    number=row.number or "",
                    invoice_date=row.invoice_date,
                    due_date=row.due_date,
                    reference=row.reference,
                    total=row.total,
                    paid=row.paid,
                    credited=row.credited,
                    outstanding=row.outstanding,
                ),
            )
        )
    unused = {
        s.id: s.unapplied
        for s in credit_sources(session, customer_ids, at)
        if s.kind == "credit_note"
    }
    for note in session.execute(
        select(
            Invoice.id, Invoice.number, Invoice.invoice_date, Invoice.reference, Invoice.total
        ).where(
            Invoice.customer_id.in_(customer_ids),
            Invoice.kind == InvoiceKind.CREDIT_NOTE,
            Invoice.state == InvoiceState.ISSUED,
            Invoice.invoice_date <= at,
        )
    ):
        lines.append(
            (
                note.invoice_date,
                note.id,
                InvoiceLine(
                    kind="Credit note",
                    number=note.number or "",
                    invoice_date=note.invoice_date,
                    due_date=None,
                    reference=note.reference,
                    total=note.total,
                    paid=ZERO,
                    credited=ZERO,
                    outstanding=-unused.get(note.id, ZERO),
                ),
            )
        )
    held = sum(credit_held_by_customer(session, customer_ids, at).values(), ZERO)
    lines.sort(key=lambda x: (x[0], x[1]), reverse=True)
    return tuple(line for _, _, line in lines), owed, held, dict(fees)


# -- peer reviews -------------------------------------------------------------------------


def _status_on(review: Review) -> date | None:
    return {
        ReviewStatus.PROPOSED: review.proposed_on,
        ReviewStatus.CONFIRMED: review.confirmed_on,
        ReviewStatus.COMPLETED: review.completed_on,
        ReviewStatus.REPORT_RECEIVED: review.report_received_on,
        ReviewStatus.QUALITY_ASSURED: review.quality_assured_on,
    }[ReviewStatus(review.status)]


def _cycles(session: Session, reviews: list[Review]) -> dict[int, str]:
    ids = {r.cycle_id for r in reviews}
    if not ids:
        return {}
    return {
        cycle_id: AcademicYear(year).label
        for cycle_id, year in session.execute(
            select(ReviewCycle.id, ReviewCycle.academic_year).where(ReviewCycle.id.in_(ids))
        )
    }


def _school_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(School.id, School.name).where(School.id.in_(ids))).all())


def _newest_first(lines: list[ReviewLine]) -> tuple[ReviewLine, ...]:
    return tuple(sorted(lines, key=lambda r: (r.starts_on or date.max, r.review_id), reverse=True))


def _reviews_hosted(session: Session, school_id: int) -> tuple[ReviewLine, ...]:
    reviews = list(
        session.scalars(
            select(Review)
            .where(Review.host_school_id == school_id)
            .options(selectinload(Review.team), selectinload(Review.reviewers))
        )
    )
    cycles = _cycles(session, reviews)
    names = _school_names(session, {t.school_id for r in reviews for t in r.team})
    return _newest_first(
        [
            ReviewLine(
                review_id=r.id,
                starts_on=r.starts_on,
                ends_on=r.ends_on,
                cycle=cycles.get(r.cycle_id, ""),
                status=ReviewStatus(r.status).label,
                status_on=_status_on(r),
                schools=tuple(names.get(t.school_id, "") for t in r.team),
                reviewers=tuple(p.name + (" (lead)" if p.is_lead else "") for p in r.reviewers),
            )
            for r in reviews
        ]
    )


def _reviews_given(session: Session, school_id: int) -> tuple[ReviewLine, ...]:
    """Reviews at other schools with the school on the visiting team or one of its people
    among the reviewers."""
    on_team = select(ReviewSchool.review_id).where(ReviewSchool.school_id == school_id)
    by_people = select(Reviewer.review_id).where(Reviewer.school_id == school_id)
    reviews = list(
        session.scalars(
            select(Review)
            .where(
                Review.host_school_id != school_id,
                or_(Review.id.in_(on_team), Review.id.in_(by_people)),
            )
            .options(selectinload(Review.reviewers))
        )
    )
    cycles = _cycles(session, reviews)
    names = _school_names(session, {r.host_school_id for r in reviews})
    return _newest_first(
        [
            ReviewLine(
                review_id=r.id,
                starts_on=r.starts_on,
                ends_on=r.ends_on,
                cycle=cycles.get(r.cycle_id, ""),
                status=ReviewStatus(r.status).label,
                status_on=_status_on(r),
                schools=(names.get(r.host_school_id, ""),),
                reviewers=tuple(
                    p.name + (" (lead)" if p.is_lead else "")
                    for p in r.reviewers
                    if p.school_id == school_id
                ),
            )
            for r in reviews
        ]
    )


# -- Ofsted, letters, notes ---------------------------------------------------------------


def inspection_record(row: OfstedInspection) -> InspectionRecord:
    """An inspection row's outcome as plain values."""
    areas = tuple(
        (column, AreaGrade(getattr(row, column)))
        for column, _ in EVALUATION_AREAS
        if AreaGrade(getattr(row, column)) is not AreaGrade.NONE
    )
    return InspectionRecord(
        inspected_on=row.inspected_on,
        kind=InspectionKind(row.kind),
        overall_grade=OverallGrade(row.overall_grade),
        safeguarding=Safeguarding(row.safeguarding),
        areas=areas,
    )


def _inspections(session: Session, school_id: int) -> tuple[InspectionLine, ...]:
    rows = session.scalars(
        select(OfstedInspection)
        .where(OfstedInspection.school_id == school_id)
        .order_by(OfstedInspection.inspected_on.desc())
    )
    return tuple(
        InspectionLine(
            id=row.id,
            version=row.version,
            record=inspection_record(row),
            published_on=row.published_on,
            source=row.source,
            report_url=row.report_url,
            notes=row.notes,
        )
        for row in rows
    )


def _letters(session: Session, school_id: int, member_id: int | None) -> tuple[LetterLine, ...]:
    return tuple(
        LetterLine(
            id=row.id,
            sent_on=row.sent_at.astimezone().date(),
            subject=row.subject,
            template_name=row.template_name,
            recipient=", ".join(p for p in (row.recipient_name, row.recipient_role) if p),
            our_ref=row.our_ref,
            sent_by=row.sent_by,
            pages=row.pages,
        )
        for row in correspondence_rows(session, school_letters(school_id, member_id))
    )


def _notes(session: Session, school_id: int) -> tuple[NoteLine, ...]:
    rows = session.execute(
        select(SchoolNote, StaffMember.full_name)
        .outerjoin(StaffMember, StaffMember.id == SchoolNote.author_id)
        .where(SchoolNote.school_id == school_id)
        .order_by(SchoolNote.noted_on.desc(), SchoolNote.id.desc())
    )
    return tuple(
        NoteLine(
            id=note.id,
            version=note.version,
            noted_on=note.noted_on,
            author=staff_name or note.author_name,
            subject=note.subject,
            text=note.text,
        )
        for note, staff_name in rows
    )
