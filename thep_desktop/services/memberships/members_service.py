"""Members and their membership: apply, admit, give notice, leave, re-join; who may vote."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.memberships import (
    Category,
    MemberKind,
    MembershipStatus,
    SchoolFacts,
    full_membership_problems,
)
from thep_desktop.domain.numbers import parse_whole_number
from thep_desktop.domain.schools import effective_status
from thep_desktop.domain.validation import check_email, check_phone, normalise_postcode
from thep_desktop.models import Member, MembershipPeriod, OrganisationProfile, School, SchoolStatus
from thep_desktop.models.base import utcnow
from thep_desktop.services.memberships.member_data import (
    ApplicationInput,
    MemberDetail,
    MemberInput,
    MemberRow,
    MembershipSummary,
    PeriodDetail,
    Voter,
)
from thep_desktop.services.memberships.membership_rules import load_rules
from thep_desktop.services.memberships.memberships_permissions import (
    MANAGE_MEMBERS,
    OVERRIDE_ELIGIBILITY,
)
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    ConflictError,
    NotFoundError,
    ValidationError,
    changed_meanwhile,
)
from thep_desktop.services.shared.forms import FieldChecker
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

MEMBER_LABELS = {
    "kind": "Kind of member",
    "school_id": "School",
    "name": "Name",
    "contact_name": "Contact",
    "address": "Address",
    "postcode": "Postcode",
    "email": "Email",
    "phone": "Phone",
    "notes": "Notes",
}
PERIOD_LABELS = {
    "category": "Category",
    "applied_on": "Date of application",
    "admitted_on": "Date admitted",
    "admission_decision": "Board decision",
    "guarantee": "Guarantee",
    "eligibility_override": "Reason for overriding eligibility",
    "notice_received_on": "Date notice received",
    "ends_on": "Date membership ends",
    "end_reason": "Reason",
    "notes": "Notes",
}


class MembersService:
    def __init__(self, database: Database) -> None:
        self.db = database

    # reading ---------------------------------------------------------------------------
    def list_members(self, actor: Actor, as_at: date | None = None) -> list[MemberRow]:
        """Every member (and applicant), as each stood on ``as_at`` (today), in name order.

        Three statements whatever the number of members.
        """
        actor.require(VIEW)
        day = as_at or date.today()
        with self.db.read_session() as session:
            members = _load_members(session)
        # A member that had not yet applied on the day is not in that day's list.
        rows = [_row(member, day) for member in members if member.period_on(day) is not None]
        rows.sort(key=lambda r: (r.name.casefold(), r.id))
        return rows

    def list_member_details(self, actor: Actor) -> list[MemberDetail]:
        """Every member with its periods, in name order (for fees, letters and the register)."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            return _load_members(session)

    def get_member(self, actor: Actor, member_id: int) -> MemberDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            found = _load_members(session, [member_id])
        if not found:
            raise NotFoundError("This member is no longer in the records (someone removed it).")
        return found[0]

    def find_member(self, actor: Actor, reference: str | int) -> MemberDetail:
        """A member by its number in the list (ID) or, for a school, its six-digit URN."""
        actor.require(VIEW)
        text = str(reference).strip()
        digits = text.removeprefix("urn:").removeprefix("URN:").strip()
        try:
            number = parse_whole_number(digits, "A member")
        except ValueError:
            raise NotFoundError(
                f"“{text}” is neither a member's number nor a school's URN."
            ) from None
        with self.db.read_session() as session:
            # Six digits (or urn:…) name a school; members are numbered from 1.
            if len(digits) == 6 or digits != text:
                member_id = session.scalar(
                    select(Member.id)
                    .join(School, Member.school_id == School.id)
                    .where(School.urn == number)
                )
                if member_id is None:
                    raise NotFoundError(f"No member is the school with URN {number}.")
            else:
                member_id = session.scalar(select(Member.id).where(Member.id == number))
                if member_id is None:
                    raise NotFoundError(f"There is no member number {number}.")
        return self.get_member(actor, member_id)

    def member_for_school(self, actor: Actor, school_id: int) -> MemberDetail | None:
        actor.require(VIEW)
        with self.db.read_session() as session:
            member_id = session.scalar(select(Member.id).where(Member.school_id == school_id))
        return None if member_id is None else self.get_member(actor, member_id)

    def statuses_of_schools(self, actor: Actor, day: date | None = None) -> dict[int, str]:
        """Each member school's membership on ``day`` in words ("Full member", "Under notice"…)."""
        actor.require(VIEW)
        when = day or date.today()
        with self.db.read_session() as session:
            members = _load_members(session, schools_only=True)
        result = {}
        for member in members:
            period = member.period_on(when)
            if member.school_id is None or period is None:
                continue
            result[member.school_id] = status_words(period, when)
        return result

    def eligibility_problems(self, actor: Actor, data: MemberInput) -> list[str]:
        """Why ``data`` could not be a full member (empty when it could)."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            return _eligibility(session, MemberKind(data.kind), data.school_id)

    def voters_on(self, actor: Actor, day: date) -> list[Voter]:
        """Who may vote at a general meeting on ``day``: each full member on that day, once.

        Derived from the membership periods, never typed: admitted on or before the day, not
        yet ceased (a member under notice still votes), full members only.
        """
        actor.require(VIEW)
        with self.db.read_session() as session:
            members = _load_members(session)
        voters = []
        for member in members:
            period = member.period_on(day)
            if (
                period is not None
                and period.category is Category.FULL
                and period.status_on(day).is_member
                and period.admitted_on is not None
            ):
                voters.append(Voter(member.id, member.name, member.urn, period.admitted_on))
        voters.sort(key=lambda v: (v.name.casefold(), v.member_id))
        return voters

    def summary(self, actor: Actor, as_at: date | None = None) -> MembershipSummary:
        """The counts above the list: members by category, pupils, share of the borough."""
        actor.require(VIEW)
        day = as_at or date.today()
        try:
            year_ago = day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            year_ago = day.replace(year=day.year - 1, day=28)
        with self.db.read_session() as session:
            members = _load_members(session)
            la_code = session.scalar(select(OrganisationProfile.la_code)) or ""
            schools = session.execute(
                select(School.id, School.status, School.close_date, School.la_code)
            ).all()
        open_ids = {
            s.id
            for s in schools
            if (not la_code or s.la_code == la_code)
            and effective_status(s.status, s.close_date, day) is SchoolStatus.OPEN
        }
        counts = {"full": 0, "associate": 0, "notice": 0, "applied": 0, "pupils": 0, "schools": 0}
        last = {"full": 0, "associate": 0}
        for member in members:
            period = member.period_on(day)
            if period is not None:
                status = period.status_on(day)
                if status.is_member:
                    counts[period.category.value] += 1
                    counts["pupils"] += member.pupils or 0
                    if member.school_id in open_ids:
                        counts["schools"] += 1
                    if status is MembershipStatus.UNDER_NOTICE:
                        counts["notice"] += 1
                elif status is MembershipStatus.APPLIED:
                    counts["applied"] += 1
            before = member.period_on(year_ago)
            if before is not None and before.status_on(year_ago).is_member:
                last[before.category.value] += 1
        return MembershipSummary(
            as_at=day,
            full_members=counts["full"],
            associate_members=counts["associate"],
            under_notice=counts["notice"],
            applications=counts["applied"],
            pupils_covered=counts["pupils"],
            open_schools=len(open_ids),
            member_schools=counts["schools"],
            last_year_full=last["full"],
            last_year_associate=last["associate"],
        )

    # writing ---------------------------------------------------------------------------
    @save
    def apply(self, actor: Actor, data: MemberInput, application: ApplicationInput) -> MemberDetail:
        """Record an application for membership from a new member (a school, or another body)."""
        actor.require(MANAGE_MEMBERS)
        with self.db.session() as session:
            values = _check_member(session, data, None)
            member = Member(**values, created_by=actor.name, updated_by=actor.name)
            session.add(member)
            period_values = _check_application(session, actor, member, application)
            session.flush()
            session.add(
                MembershipPeriod(
                    member_id=member.id,
                    **period_values,
                    created_by=actor.name,
                    updated_by=actor.name,
                )
            )
            session.flush()
            member_id = member.id
        return self.get_member(actor, member_id)

    @save
    def apply_again(
        self, actor: Actor, member_id: int, application: ApplicationInput
    ) -> MemberDetail:
        """Re-joining: a new period of membership for a member whose last one has ended.

        The old periods are kept as they were.
        """
        actor.require(MANAGE_MEMBERS)
        with self.db.session() as session:
            member = _load_for_update(session, member_id)
            latest = _latest_period(session, member_id)
            period_values = _check_application(session, actor, member, application)
            if latest is not None and (
                latest.ends_on is None or latest.ends_on > period_values["applied_on"]
            ):
                if latest.ends_on is None:
                    raise ValidationError(
                        {
                            "applied_on": f"{_name(member)} is still "
                            f"{'an applicant' if latest.admitted_on is None else 'a member'}; "
                            "a new application can follow only once the membership has ended."
                        }
                    )
                raise ValidationError(
                    {
                        "applied_on": f"{_name(member)}'s membership runs until "
                        f"{format_date(latest.ends_on)}; a new application must be dated on "
                        "or after that."
                    }
                )
            session.add(
                MembershipPeriod(
                    member_id=member_id,
                    **period_values,
                    created_by=actor.name,
                    updated_by=actor.name,
                )
            )
            member.updated_at = utcnow()
            member.updated_by = actor.name
        return self.get_member(actor, member_id)

    @save
    def update_member(
        self, actor: Actor, member_id: int, expected_version: int, data: MemberInput
    ) -> MemberDetail:
        """Change a member's own details (name, address, contact) loaded at ``expected_version``."""
        actor.require(MANAGE_MEMBERS)
        try:
            with self.db.session() as session:
                member = _load_for_update(session, member_id)
                _check_version(member.version, expected_version, "member")
                values = _check_member(session, data, member)
                for name, value in values.items():
                    setattr(member, name, value)
                member.updated_at = utcnow()
                member.updated_by = actor.name
                session.flush()
        except StaleDataError:
            raise _conflict("member") from None
        return self.get_member(actor, member_id)

    @save
    def admit(
        self,
        actor: Actor,
        period_id: int,
        expected_version: int,
        admitted_on: date | str,
        decision: str = "",
    ) -> MemberDetail:
        """Admit an applicant on ``admitted_on`` (optionally naming the board's decision)."""
        actor.require(MANAGE_MEMBERS)
        checker = FieldChecker(MembershipPeriod.__table__, PERIOD_LABELS)  # type: ignore[arg-type]
        when = checker.required_date(
            "admitted_on", admitted_on, "Give the date the member was admitted"
        )
        text = checker.text("admission_decision", decision)
        if checker.errors:
            raise ValidationError(checker.errors)
        assert when is not None
        with _changing_period(self.db, period_id, expected_version) as session_period:
            period = session_period.period
            if period.admitted_on is not None:
                raise ValidationError(
                    {
                        "admitted_on": f"This membership was already admitted on "
                        f"{format_date(period.admitted_on)}."
                    }
                )
            if period.ends_on is not None:
                raise ValidationError(
                    {
                        "admitted_on": "This application was declined or withdrawn; it cannot be "
                        "admitted. Record a new application instead."
                    }
                )
            if when < period.applied_on:
                raise ValidationError(
                    {
                        "admitted_on": f"The date admitted ({format_date(when)}) is before the "
                        f"application ({format_date(period.applied_on)}); a member is admitted "
                        "on or after applying."
                    }
                )
            period.admitted_on = when
            period.admission_decision = text
            session_period.touch(actor)
        return self.get_member(actor, session_period.member_id)

    @save
    def record_notice(
        self, actor: Actor, period_id: int, expected_version: int, received_on: date | str
    ) -> MemberDetail:
        """Notice to leave received on ``received_on``; the membership ends as the rules say.

        One year's notice by default; notice received in a dated exception window takes
        effect the same day.
        """
        actor.require(MANAGE_MEMBERS)
        checker = FieldChecker(MembershipPeriod.__table__, PERIOD_LABELS)  # type: ignore[arg-type]
        when = checker.required_date(
            "notice_received_on", received_on, "Give the date the notice was received"
        )
        if checker.errors:
            raise ValidationError(checker.errors)
        assert when is not None
        with _changing_period(self.db, period_id, expected_version) as change:
            period = change.period
            if period.admitted_on is None:
                raise ValidationError(
                    {
                        "notice_received_on": "This is an application, not yet a membership: "
                        "an applicant does not give notice. Decline or withdraw the "
                        "application instead."
                    }
                )
            if when < period.admitted_on:
                raise ValidationError(
                    {
                        "notice_received_on": f"The notice ({format_date(when)}) is dated "
                        f"before the member was admitted ({format_date(period.admitted_on)})."
                    }
                )
            if period.notice_received_on is not None:
                raise ValidationError(
                    {
                        "notice_received_on": "Notice was already received on "
                        f"{format_date(period.notice_received_on)}."
                    }
                )
            if period.ends_on is not None:
                raise ValidationError(
                    {
                        "notice_received_on": "This membership has already ended (on "
                        f"{format_date(period.ends_on)})."
                    }
                )
            rule = load_rules(change.session).notice_rule
            period.notice_received_on = when
            period.ends_on = rule.leaving_date(when)
            period.end_reason = f"Notice to leave: {rule.describe(when)}."
            change.touch(actor)
        return self.get_member(actor, change.member_id)

    @save
    def withdraw_notice(self, actor: Actor, period_id: int, expected_version: int) -> MemberDetail:
        """The member withdrew its notice before it took effect: it stays a member."""
        actor.require(MANAGE_MEMBERS)
        with _changing_period(self.db, period_id, expected_version) as change:
            period = change.period
            if period.notice_received_on is None:
                raise ValidationError({"notice_received_on": "No notice was recorded."})
            if period.ends_on is not None and period.ends_on <= date.today():
                raise ValidationError(
                    {
                        "notice_received_on": "The notice has already taken effect (the "
                        f"membership ended on {format_date(period.ends_on)}); the member can "
                        "re-join instead."
                    }
                )
            period.notice_received_on = None
            period.ends_on = None
            period.end_reason = ""
            change.touch(actor)
        return self.get_member(actor, change.member_id)

    @save
    def cease(
        self,
        actor: Actor,
        period_id: int,
        expected_version: int,
        ends_on: date | str,
        reason: str,
    ) -> MemberDetail:
        """End a membership (or decline an application) on ``ends_on``, with the reason.

        For a member leaving without the notice period: a school that closed, a decision of
        the board, or a date agreed with the member. ``ends_on`` is the first day it is no
        longer a member.
        """
        actor.require(MANAGE_MEMBERS)
        checker = FieldChecker(MembershipPeriod.__table__, PERIOD_LABELS)  # type: ignore[arg-type]
        when = checker.required_date("ends_on", ends_on, "Give the date the membership ends")
        why = checker.text("end_reason", reason, required=True)
        if checker.errors:
            raise ValidationError(checker.errors)
        assert when is not None
        with _changing_period(self.db, period_id, expected_version) as change:
            period = change.period
            start = period.admitted_on or period.applied_on
            if when < start:
                what = "admitted" if period.admitted_on else "applied"
                raise ValidationError(
                    {
                        "ends_on": f"The membership cannot end ({format_date(when)}) before "
                        f"the member {what} ({format_date(start)})."
                    }
                )
            if period.ends_on is not None and period.ends_on <= date.today():
                raise ValidationError(
                    {"ends_on": f"This membership already ended on {format_date(period.ends_on)}."}
                )
            period.ends_on = when
            period.end_reason = why
            change.touch(actor)
        return self.get_member(actor, change.member_id)

    @save
    def change_category(
        self,
        actor: Actor,
        period_id: int,
        expected_version: int,
        category: Category | str,
        override_reason: str = "",
    ) -> MemberDetail:
        """Make a membership full or associate; full for an ineligible body needs the override."""
        actor.require(MANAGE_MEMBERS)
        with _changing_period(self.db, period_id, expected_version) as change:
            member = change.session.get(Member, change.member_id)
            assert member is not None
            chosen = _category(category)
            values = _eligibility_values(change.session, actor, member, chosen, override_reason)
            change.period.category = chosen
            change.period.eligibility_override = values
            change.touch(actor)
        return self.get_member(actor, change.member_id)

    @save
    def delete_application(self, actor: Actor, period_id: int, expected_version: int) -> None:
        """Remove an application entered by mistake (never an admitted membership)."""
        actor.require(MANAGE_MEMBERS)
        with _changing_period(self.db, period_id, expected_version) as change:
            period = change.period
            if period.admitted_on is not None:
                raise ValidationError(
                    {
                        "admitted_on": "An admitted membership is part of the register of "
                        "members and cannot be deleted; record that it ended instead."
                    }
                )
            session = change.session
            others = session.scalar(
                select(func.count(MembershipPeriod.id)).where(
                    MembershipPeriod.member_id == change.member_id,
                    MembershipPeriod.id != period_id,
                )
            )
            session.delete(period)
            session.flush()
            if not others:
                member = session.get(Member, change.member_id)
                if member is not None and not _member_has_history(session, member.id):
                    session.delete(member)


class _PeriodChange:
    """A membership period loaded for a change, in the session that will save it."""

    def __init__(self, session: Session, period: MembershipPeriod) -> None:
        self.session = session
        self.period = period
        self.member_id = period.member_id

    def touch(self, actor: Actor) -> None:
        self.period.updated_at = utcnow()
        self.period.updated_by = actor.name


@contextmanager
def _changing_period(
    db: Database, period_id: int, expected_version: int
) -> Iterator[_PeriodChange]:
    """The period at the version the user saw, saved in one transaction (or not at all).

    A change saved meanwhile by someone else is a :class:`ConflictError`; any refusal raised
    inside rolls everything back.
    """
    try:
        with db.session() as session:
            period = session.get(MembershipPeriod, period_id)
            if period is None:
                raise NotFoundError(
                    "This membership is no longer in the records (someone removed it)."
                )
            _check_version(period.version, expected_version, "membership")
            yield _PeriodChange(session, period)
            session.flush()
    except StaleDataError:
        raise _conflict("membership") from None


def status_words(period: PeriodDetail, day: date) -> str:
    """A period's standing on ``day`` in the words the lists show."""
    status = period.status_on(day)
    if status is MembershipStatus.MEMBER:
        return period.category.label
    if status is MembershipStatus.UNDER_NOTICE and period.ends_on is not None:
        return f"{period.category.label}, leaving {format_date(period.ends_on)}"
    if status is MembershipStatus.CEASED and period.ends_on is not None:
        return f"Left {format_date(period.ends_on)}"
    return status.label


def _name(member: Member) -> str:
    return member.name or "This school"


def _category(value: Category | str) -> Category:
    try:
        return Category(value)
    except ValueError:
        raise ValidationError(
            {"category": f"“{value}” is not a category of membership (full or associate)."}
        ) from None


def _check_version(version: int, expected: int, what: str) -> None:
    if version != expected:
        raise _conflict(what)


def _conflict(what: str) -> ConflictError:
    return changed_meanwhile(what)


def _load_for_update(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise NotFoundError("This member is no longer in the records (someone removed it).")
    return member


def _latest_period(session: Session, member_id: int) -> MembershipPeriod | None:
    return session.scalars(
        select(MembershipPeriod)
        .where(MembershipPeriod.member_id == member_id)
        .order_by(MembershipPeriod.applied_on.desc(), MembershipPeriod.id.desc())
        .limit(1)
    ).first()


def _member_has_history(session: Session, member_id: int) -> bool:
    """Whether other tables refer to the member (payments, letters...), found from the schema."""
    member_table = Member.__table__
    for table in Member.metadata.sorted_tables:
        if table.name in ("member", "membership_period"):
            continue
        for fk in table.foreign_keys:
            if fk.column.table is member_table and session.scalar(
                select(func.count()).select_from(table).where(fk.parent == member_id)
            ):
                return True
    return False


def _check_member(session: Session, data: MemberInput, member: Member | None) -> dict[str, Any]:
    checker = FieldChecker(Member.__table__, MEMBER_LABELS)  # type: ignore[arg-type]
    try:
        kind = MemberKind(data.kind)
    except ValueError:
        raise ValidationError(
            {"kind": f"“{data.kind}” is not a kind of member (school, organisation, individual)."}
        ) from None
    if member is not None and kind is not member.kind:
        raise ValidationError(
            {"kind": "A member's kind (school, organisation or individual) cannot change."}
        )
    values: dict[str, Any] = {"kind": kind}
    values["contact_name"] = checker.text("contact_name", data.contact_name)
    values["email"] = checker.text("email", data.email, check=check_email)
    values["phone"] = checker.text("phone", data.phone, check=check_phone)
    values["notes"] = checker.text("notes", data.notes)
    if kind is MemberKind.SCHOOL:
        school_id = data.school_id
        if member is not None and school_id != member.school_id:
            raise ValidationError({"school_id": "A school member's school cannot change."})
        if school_id is None:
            checker.fail("school_id", "Choose the school")
        else:
            school = session.get(School, school_id)
            if school is None:
                checker.fail("school_id", "That school is no longer in the register.")
            elif member is None:
                taken = session.scalar(select(Member.id).where(Member.school_id == school_id))
                if taken is not None:
                    checker.fail(
                        "school_id",
                        f"{school.name} already has a membership record (member {taken}); "
                        "to re-join, record a new application on it.",
                    )
        values["school_id"] = school_id
        values["name"] = ""
        values["address"] = ""
        values["postcode"] = ""
    else:
        values["school_id"] = None
        what = "organisation's" if kind is MemberKind.ORGANISATION else "person's"
        values["name"] = checker.text("name", data.name, required=True)
        if not values["name"] and "name" in checker.errors:
            checker.errors["name"] = f"Give the {what} name"
        values["address"] = checker.text("address", data.address, required=True)
        if "address" in checker.errors and not values["address"]:
            checker.errors["address"] = f"Give the {what} address: letters are sent to it"
        values["postcode"] = checker.text("postcode", data.postcode, check=normalise_postcode)
    if checker.errors:
        raise ValidationError(checker.errors)
    return values


def _check_application(
    session: Session, actor: Actor, member: Member, application: ApplicationInput
) -> dict[str, Any]:
    checker = FieldChecker(MembershipPeriod.__table__, PERIOD_LABELS)  # type: ignore[arg-type]
    category = _category(application.category)
    applied_on = checker.required_date(
        "applied_on", application.applied_on, "Give the date of the application"
    )
    guarantee: Decimal | None
    if application.guarantee is None or str(application.guarantee).strip() == "":
        guarantee = load_rules(session).default_guarantee
    else:
        guarantee = checker.money("guarantee", application.guarantee)
    notes = checker.text("notes", application.notes)
    override = checker.text("eligibility_override", application.eligibility_override)
    if checker.errors:
        raise ValidationError(checker.errors)
    return {
        "category": category,
        "applied_on": applied_on,
        "supports_aims": bool(application.supports_aims),
        "agrees_to_pay_fee": bool(application.agrees_to_pay_fee),
        "guarantee": guarantee,
        "eligibility_override": _eligibility_values(session, actor, member, category, override),
        "notes": notes,
    }


def _eligibility_values(
    session: Session, actor: Actor, member: Member, category: Category, override: str
) -> str:
    """The override reason to store: "" for an eligible (or associate) member.

    Full membership for a body the check refuses needs a reason and the right to override.
    """
    if category is not Category.FULL:
        return ""
    problems = _eligibility(session, member.kind, member.school_id)
    if not problems:
        return ""
    reason = override.strip()
    if not reason:
        raise ValidationError(
            {
                "category": "Not eligible for full membership: "
                + " ".join(problems)
                + " Choose associate membership, or (with the right to do so) give the reason "
                "for overriding the check."
            }
        )
    actor.require(OVERRIDE_ELIGIBILITY)
    return reason


def _eligibility(session: Session, kind: MemberKind, school_id: int | None) -> list[str]:
    facts = None
    if kind is MemberKind.SCHOOL and school_id is not None:
        school = session.get(School, school_id)
        if school is not None:
            status = effective_status(school.status, school.close_date, date.today())
            facts = SchoolFacts(school.name, school.la_code, school.establishment_type, status)
    la_code = session.scalar(select(OrganisationProfile.la_code)) or ""
    return full_membership_problems(kind, facts, la_code)


def _load_members(
    session: Session, ids: Iterable[int] | None = None, *, schools_only: bool = False
) -> list[MemberDetail]:
    """Members with their periods and schools, in three statements.

    Read as plain rows, not ORM objects: a fee quote or the list reads every member, and
    building a thousand members' objects (and their schools' forty columns) was most of a
    year's quote.
    """
    member_table: Table = Member.__table__  # type: ignore[assignment]
    wanted = []
    if ids is not None:
        wanted.append(member_table.c.id.in_(list(ids)))
    if schools_only:
        wanted.append(member_table.c.school_id.is_not(None))
    members = session.execute(select(member_table).where(*wanted)).all()
    periods: dict[int, list[Any]] = {}
    period_table: Table = MembershipPeriod.__table__  # type: ignore[assignment]
    for period in session.execute(
        select(period_table)
        .join(member_table, member_table.c.id == period_table.c.member_id)
        .where(*wanted)
    ):
        periods.setdefault(period.member_id, []).append(period)
    schools = {
        school.id: school
        for school in session.execute(
            select(School.id, *_SCHOOL_COLUMNS)
            .join(member_table, member_table.c.school_id == School.id)
            .where(*wanted)
        )
    }
    details = [
        _detail(member, schools.get(member.school_id), periods.get(member.id, []))
        for member in members
    ]
    details.sort(key=lambda d: (d.name.casefold(), d.id))
    return details


# What a member shows of its school: the register's other columns are not read.
_SCHOOL_COLUMNS = (
    School.urn,
    School.name,
    School.street,
    School.locality,
    School.address3,
    School.town,
    School.postcode,
    School.email,
    School.phone,
    School.phase,
    School.pupils_on_roll,
)


def _school_address(school: Any) -> str:
    parts = [school.street, school.locality, school.address3, school.town]
    return "\n".join(p for p in parts if p)


def _detail(member: Any, school: Any, periods: Iterable[Any]) -> MemberDetail:
    """A member from its row (or object), its school's and its periods'."""
    ordered = sorted(periods, key=lambda p: (p.applied_on, p.id))
    return MemberDetail(
        id=member.id,
        uuid=member.uuid,
        version=member.version,
        kind=member.kind,
        school_id=member.school_id,
        urn=school.urn if school else None,
        name=school.name if school else member.name,
        contact_name=member.contact_name,
        address=_school_address(school) if school else member.address,
        postcode=school.postcode if school else member.postcode,
        email=member.email,  # the member's own (a school's are in the register)
        phone=member.phone,
        notes=member.notes,
        phase=school.phase if school else "",
        pupils=school.pupils_on_roll if school else None,
        periods=tuple(_period(p) for p in ordered),
    )


def _period(period: Any) -> PeriodDetail:
    return PeriodDetail(
        id=period.id,
        uuid=period.uuid,
        version=period.version,
        category=period.category,
        applied_on=period.applied_on,
        admitted_on=period.admitted_on,
        admission_decision=period.admission_decision,
        supports_aims=period.supports_aims,
        agrees_to_pay_fee=period.agrees_to_pay_fee,
        guarantee=period.guarantee,
        eligibility_override=period.eligibility_override,
        notice_received_on=period.notice_received_on,
        ends_on=period.ends_on,
        end_reason=period.end_reason,
        notes=period.notes,
    )


def _row(member: MemberDetail, day: date) -> MemberRow:
    period = member.period_on(day)
    return MemberRow(
        id=member.id,
        uuid=member.uuid,
        kind=member.kind,
        name=member.name,
        urn=member.urn,
        phase=member.phase,
        pupils=member.pupils,
        category=period.category if period else None,
        status=period.status_on(day) if period else None,
        applied_on=period.applied_on if period else None,
        admitted_on=period.admitted_on if period else None,
        notice_received_on=period.notice_received_on if period else None,
        ends_on=period.ends_on if period else None,
        period_id=period.id if period else None,
        period_version=period.version if period else None,
        periods=len(member.periods),
    )
