"""Fee schedules by academic year, the fee calculator, what is overdue and the membership rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear, AcademicYearError
from thep_desktop.domain.census import spring_census
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import (
    FeeBasis,
    FeePart,
    FeePeriod,
    ProRating,
    fee_parts,
    money,
    period_problems,
    working_text,
)
from thep_desktop.domain.memberships import Category, ExceptionWindow
from thep_desktop.models import FeePeriodRow, FeeSchedule, MembershipRules
from thep_desktop.models.base import utcnow
from thep_desktop.services.memberships.member_data import MemberDetail
from thep_desktop.services.memberships.members_service import MembersService, _load_members
from thep_desktop.services.memberships.membership_rules import RulesDetail, load_rules, store_rules
from thep_desktop.services.memberships.memberships_permissions import (
    EDIT_FEES,
)
from thep_desktop.services.schools.school_census import CensusFigure, pupils_at
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ConflictError, NotFoundError, ValidationError
from thep_desktop.services.shared.forms import FieldChecker
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

SCHEDULE_LABELS = {
    "academic_year": "Academic year",
    "rate_per_pupil": "Rate per pupil",
    "associate_fee": "Associate fee",
    "census_date": "Census date",
    "pro_rating": "Pro-rating",
    "periods": "Fee periods",
    "notes": "Notes",
}
RULES_LABELS = {
    "notice_months": "Notice period (months)",
    "default_guarantee": "Guarantee",
    "exceptions": "Leave-at-once windows",
}


@dataclass(frozen=True)
class FeePeriodInput:
    starts_on: date | str
    ends_on: date | str
    charged: bool
    description: str = ""


@dataclass(frozen=True)
class ScheduleInput:
    academic_year: AcademicYear | str
    rate_per_pupil: Decimal | str
    associate_fee: Decimal | str
    census_date: date | str | None = None  # None: that year's January census
    pro_rating: ProRating | str = ProRating.MONTHS
    periods: tuple[FeePeriodInput, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class ScheduleDetail:
    id: int
    version: int
    uuid: object
    year: AcademicYear
    rate_per_pupil: Decimal
    associate_fee: Decimal
    census_date: date
    pro_rating: ProRating
    periods: tuple[FeePeriod, ...]
    notes: str

    def as_input(self) -> ScheduleInput:
        return ScheduleInput(
            self.year,
            self.rate_per_pupil,
            self.associate_fee,
            self.census_date,
            self.pro_rating,
            tuple(
                FeePeriodInput(p.starts_on, p.ends_on, p.charged, p.description)
                for p in self.periods
            ),
            self.notes,
        )


@dataclass(frozen=True)
class FeeQuote:
    """One member's fee for a year (or a part of it), with its working as text.

    ``amount`` is None when it cannot be worked out (a school with no pupil figure at the
    census date): such members are listed with the reason, never billed at nothing.
    """

    member_id: int
    member_uuid: object
    name: str
    urn: int | None
    category: Category
    year: AcademicYear
    pupils: int | None
    census_date: date | None  # the census the pupil figure comes from
    basis: str
    parts: tuple[FeePart, ...]
    amount: Decimal | None
    working: str
    problem: str = ""


@dataclass(frozen=True)
class YearQuote:
    """Every member's fee for a year, and the total of those that could be worked out."""

    year: AcademicYear
    schedule: ScheduleDetail
    within: FeePeriod | None
    quotes: tuple[FeeQuote, ...]

    @property
    def total(self) -> Decimal:
        return sum((q.amount for q in self.quotes if q.amount is not None), Decimal("0.00"))

    @property
    def without_figures(self) -> tuple[FeeQuote, ...]:
        return tuple(q for q in self.quotes if q.amount is None)


def parse_year(text: AcademicYear | str, field: str = "academic_year") -> AcademicYear:
    if isinstance(text, AcademicYear):
        return text
    try:
        return AcademicYear.parse(text)
    except AcademicYearError as exc:
        raise ValidationError({field: str(exc)}) from None


class FeesService:
    def __init__(self, database: Database) -> None:
        self.db = database
        self.members = MembersService(database)

    # rules --------------------------------------------------------------------------------
    def rules(self, actor: Actor) -> RulesDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            return load_rules(session)

    @save
    def save_rules(
        self,
        actor: Actor,
        expected_version: int,
        notice_months: int | str,
        default_guarantee: Decimal | str,
        exceptions: Sequence[tuple[date | str, date | str, str]],
    ) -> RulesDetail:
        """Change the rules (loaded at ``expected_version``; 0 when never saved)."""
        actor.require(EDIT_FEES)
        checker = FieldChecker(MembershipRules.__table__, RULES_LABELS)  # type: ignore[arg-type]
        months = checker.whole_number("notice_months", notice_months, minimum=0, maximum=120)
        guarantee = checker.money("default_guarantee", default_guarantee)
        windows = []
        for starts, ends, description in exceptions:
            first = checker.date("exceptions", starts)
            last = checker.date("exceptions", ends)
            if first is None or last is None:
                checker.fail("exceptions", "Each leave-at-once window needs both its dates")
                continue
            if last < first:
                checker.fail(
                    "exceptions",
                    f"The window {format_date(first)} to {format_date(last)} ends before it "
                    "starts.",
                )
                continue
            windows.append(ExceptionWindow(first, last, str(description).strip()))
        if checker.errors:
            raise ValidationError(checker.errors)
        assert months is not None and guarantee is not None
        with self.db.session() as session:
            current = load_rules(session)
            if current.version != expected_version:
                raise ConflictError(
                    "Someone else changed the membership rules since you opened them; "
                    "nothing was saved."
                )
            store_rules(session, actor.name, months, guarantee, tuple(windows))
        return self.rules(actor)

    # schedules ----------------------------------------------------------------------------
    def list_schedules(self, actor: Actor) -> list[ScheduleDetail]:
        actor.require(VIEW)
        with self.db.read_session() as session:
            rows = session.scalars(
                select(FeeSchedule)
                .options(selectinload(FeeSchedule.periods))
                .order_by(FeeSchedule.academic_year.desc())
            )
            return [_schedule(row) for row in rows]

    def get_schedule(self, actor: Actor, year: AcademicYear | str) -> ScheduleDetail | None:
        actor.require(VIEW)
        wanted = parse_year(year)
        with self.db.read_session() as session:
            return _find_schedule(session, wanted)

    def require_schedule(self, actor: Actor, year: AcademicYear | str) -> ScheduleDetail:
        found = self.get_schedule(actor, year)
        if found is None:
            raise NotFoundError(
                f"There is no fee schedule for {parse_year(year).label} yet. Set the year's "
                "rate per pupil and associate fee first."
            )
        return found

    @save
    def save_schedule(
        self, actor: Actor, data: ScheduleInput, expected_version: int | None = None
    ) -> ScheduleDetail:
        """Set a year's fees: a new schedule (``expected_version`` None) or a change to one.

        Everything is checked before anything is written: the year label, money that is not
        negative and exact to the penny, and fee periods inside the year that do not overlap.
        """
        actor.require(EDIT_FEES)
        checker = FieldChecker(FeeSchedule.__table__, SCHEDULE_LABELS)  # type: ignore[arg-type]
        try:
            year = parse_year(data.academic_year)
        except ValidationError as exc:
            checker.fail("academic_year", str(exc))
            year = None
        rate = checker.money("rate_per_pupil", data.rate_per_pupil)
        fee = checker.money("associate_fee", data.associate_fee)
        if data.census_date is None or str(data.census_date).strip() == "":
            census = spring_census(year.start_year) if year else None
        else:
            census = checker.date("census_date", data.census_date)
        try:
            pro_rating = ProRating(data.pro_rating)
        except ValueError:
            checker.fail("pro_rating", "Choose whole months or days")
            pro_rating = ProRating.MONTHS
        notes = checker.text("notes", data.notes)
        periods = []
        for item in data.periods:
            first = checker.date("periods", item.starts_on)
            last = checker.date("periods", item.ends_on)
            if first is None or last is None:
                checker.fail("periods", "Each fee period needs the day it starts and ends")
                continue
            periods.append(
                FeePeriod(first, last, bool(item.charged), str(item.description).strip())
            )
        if year is not None and census is not None and census > year.last_day:
            checker.fail(
                "census_date",
                f"The census date {format_date(census)} is after the year {year.label} ends.",
            )
        if year is not None:
            problems = period_problems(year, periods, pro_rating)
            if problems:
                checker.fail("periods", " ".join(problems))
        if checker.errors:
            raise ValidationError(checker.errors)
        assert year is not None and rate is not None and fee is not None and census is not None
        try:
            with self.db.session() as session:
                row = session.scalars(
                    select(FeeSchedule)
                    .options(selectinload(FeeSchedule.periods))
                    .where(FeeSchedule.academic_year == year.start_year)
                ).first()
                if row is None:
                    if expected_version is not None:
                        raise NotFoundError(
                            f"The fee schedule for {year.label} is no longer there."
                        )
                    row = FeeSchedule(
                        academic_year=year.start_year, created_by=actor.name, updated_by=actor.name
                    )
                    row.periods = []
                    session.add(row)
                elif expected_version is None:
                    raise ValidationError(
                        {
                            "academic_year": f"{year.label} already has a fee schedule "
                            f"({money(row.rate_per_pupil)} per pupil, associate fee "
                            f"{money(row.associate_fee)}). Change that one instead."
                        }
                    )
                elif row.version != expected_version:
                    raise ConflictError(
                        f"Someone else changed the {year.label} fee schedule since you opened "
                        "it; nothing was saved."
                    )
                row.rate_per_pupil = rate
                row.associate_fee = fee
                row.census_date = census
                row.pro_rating = pro_rating
                row.notes = notes
                row.updated_at = utcnow()
                row.updated_by = actor.name
                _replace_periods(row, periods, actor.name)
                session.flush()
        except StaleDataError:
            raise ConflictError(
                f"Someone else changed the {year.label} fee schedule since you opened it; "
                "nothing was saved."
            ) from None
        except IntegrityError:
            raise ValidationError(
                {"academic_year": f"{year.label} was given a fee schedule meanwhile."}
            ) from None
        result = self.get_schedule(actor, year)
        assert result is not None
        return result

    # the calculator -----------------------------------------------------------------------
    def quote(
        self,
        actor: Actor,
        member_id: int,
        year: AcademicYear | str,
        within: FeePeriod | None = None,
    ) -> FeeQuote:
        """One member's fee for the year (or the part of it ``within`` covers), with working."""
        actor.require(VIEW)
        wanted = parse_year(year)
        member = self.members.get_member(actor, member_id)
        with self.db.read_session() as session:
            schedule = _require(session, wanted)
            figures = (
                pupils_at(session, [member.school_id], schedule.census_date)
                if member.school_id is not None
                else {}
            )
        return _quote(member, schedule, figures, within)

    def quote_year(
        self, actor: Actor, year: AcademicYear | str, within: FeePeriod | None = None
    ) -> YearQuote:
        """Every member's fee for the year (members in it at any time), in a few statements."""
        actor.require(VIEW)
        wanted = parse_year(year)
        with self.db.read_session() as session:
            return year_quote(session, wanted, within)

    # what is overdue -----------------------------------------------------------------------
    def amount_overdue(
        self, actor: Actor, member_id: int, year: AcademicYear | str, on: date
    ) -> Decimal:
        """What the member owes on ``on`` on its membership fee invoices for the year that
        are past their due date (payments are recorded against invoices: nothing is overdue
        on a fee not yet invoiced)."""
        # Imported here: the invoices area reads members, so it is loaded only when needed.
        from thep_desktop.services.invoices.account_records import fees_overdue

        actor.require(VIEW)
        wanted = parse_year(year)
        with self.db.read_session() as session:
            return fees_overdue(session, [member_id], wanted.start_year, on).get(
                member_id, Decimal("0.00")
            )


def year_quote(
    session: Session,
    year: AcademicYear,
    within: FeePeriod | None = None,
    members: Sequence[MemberDetail] | None = None,
) -> YearQuote:
    """Every member's fee for ``year`` in one session: five statements for any number.

    ``members``: every member, when the caller has read them already (the fee run does).
    """
    schedule = _require(session, year)
    if members is None:
        members = _load_members(session)
    figures = pupils_at(session, None, schedule.census_date)
    quotes = tuple(
        _quote(member, schedule, figures, within)
        for member in members
        if _member_in(member, year, within)
    )
    return YearQuote(year, schedule, within, quotes)


def _replace_periods(row: FeeSchedule, periods: list[FeePeriod], who: str) -> None:
    """Keep the rows of periods that did not change (their history stays), replace the rest."""
    current = {(p.starts_on, p.ends_on, p.charged, p.description): p for p in row.periods}
    wanted = [(p.starts_on, p.ends_on, p.charged, p.description) for p in periods]
    row.periods = [
        current.get(key)
        or FeePeriodRow(
            starts_on=key[0],
            ends_on=key[1],
            charged=key[2],
            description=key[3],
            created_by=who,
            updated_by=who,
        )
        for key in sorted(wanted)
    ]


def _find_schedule(session: Session, year: AcademicYear) -> ScheduleDetail | None:
    row = session.scalars(
        select(FeeSchedule)
        .options(selectinload(FeeSchedule.periods))
        .where(FeeSchedule.academic_year == year.start_year)
    ).first()
    return None if row is None else _schedule(row)


def _require(session: Session, year: AcademicYear) -> ScheduleDetail:
    found = _find_schedule(session, year)
    if found is None:
        raise NotFoundError(
            f"There is no fee schedule for {year.label} yet. Set the year's rate per pupil "
            "and associate fee first."
        )
    return found


def _schedule(row: FeeSchedule) -> ScheduleDetail:
    return ScheduleDetail(
        id=row.id,
        version=row.version,
        uuid=row.uuid,
        year=AcademicYear(row.academic_year),
        rate_per_pupil=row.rate_per_pupil,
        associate_fee=row.associate_fee,
        census_date=row.census_date,
        pro_rating=row.pro_rating,
        periods=tuple(
            FeePeriod(p.starts_on, p.ends_on, p.charged, p.description)
            for p in sorted(row.periods, key=lambda p: p.starts_on)
        ),
        notes=row.notes,
    )


def _member_in(member: MemberDetail, year: AcademicYear, within: FeePeriod | None) -> bool:
    """Whether the member was a member on any day of the year (or of ``within``)."""
    first = within.starts_on if within else year.first_day
    last = within.ends_on if within else year.last_day
    for period in member.periods:
        if period.admitted_on is None or period.admitted_on > last:
            continue
        if period.ends_on is not None and period.ends_on <= first:
            continue
        return True
    return False


def _quote(
    member: MemberDetail,
    schedule: ScheduleDetail,
    figures: Mapping[int, CensusFigure],
    within: FeePeriod | None,
) -> FeeQuote:
    """The member's fee from its periods in the year (a member may leave and re-join in one)."""
    year = schedule.year
    periods = [
        p
        for p in member.periods
        if p.admitted_on is not None
        and p.admitted_on <= year.last_day
        and (p.ends_on is None or p.ends_on > year.first_day)
    ]
    category = (
        periods[-1].category
        if periods
        else (member.latest.category if member.latest else Category.ASSOCIATE)
    )
    quoted = partial(FeeQuote, member.id, member.uuid, member.name, member.urn, category, year)
    pupils: int | None = None
    census: date | None = None
    figure = figures.get(member.school_id) if member.school_id is not None else None
    if figure is not None:
        pupils, census = figure.pupils, figure.census_date
    parts: list[FeePart] = []
    basis_text = ""
    for period in periods:
        if period.category is Category.FULL:
            if pupils is None:
                problem = (
                    f"no pupil figure at the census of {format_date(schedule.census_date)}"
                    if member.school_id is not None
                    else "a full member that is not a school has no pupils to charge for"
                )
                return quoted(
                    pupils=None,
                    census_date=None,
                    basis="",
                    parts=(),
                    amount=None,
                    working=f"Cannot be worked out: {problem}.",
                    problem=problem,
                )
            basis = FeeBasis.per_pupil(pupils, schedule.rate_per_pupil)
        else:
            basis = FeeBasis.flat(schedule.associate_fee)
        basis_text = basis.text
        assert period.admitted_on is not None
        parts.extend(
            fee_parts(
                year,
                schedule.periods,
                basis,
                period.admitted_on,
                period.ends_on,
                schedule.pro_rating,
                within,
            )
        )
    amount = sum((p.amount for p in parts), Decimal("0.00"))
    working = working_text(parts)
    return quoted(
        pupils=pupils if category is Category.FULL else None,
        census_date=census if category is Category.FULL else None,
        basis=basis_text,
        parts=tuple(parts),
        amount=amount,
        working=working,
    )
