"""Membership rules: kinds of member, categories, status on a date, notice, eligibility."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from thep_desktop.domain.academic_years import add_months
from thep_desktop.domain.schools import SchoolStatus


class MemberKind(StrEnum):
    SCHOOL = "school"
    ORGANISATION = "organisation"
    INDIVIDUAL = "individual"

    @property
    def label(self) -> str:
        return {"school": "School", "organisation": "Organisation", "individual": "Individual"}[
            self.value
        ]


class Category(StrEnum):
    FULL = "full"
    ASSOCIATE = "associate"

    @property
    def label(self) -> str:
        return "Full member" if self is Category.FULL else "Associate member"


class MembershipStatus(StrEnum):
    APPLIED = "applied"
    MEMBER = "member"
    UNDER_NOTICE = "under notice"
    CEASED = "ceased"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return {
            "applied": "Application received",
            "member": "Member",
            "under notice": "Under notice",
            "ceased": "Ceased",
            "declined": "Application declined",
        }[self.value]

    @property
    def is_member(self) -> bool:
        """A member on the day (under notice still counts: it pays and votes until it leaves)."""
        return self in (MembershipStatus.MEMBER, MembershipStatus.UNDER_NOTICE)


@dataclass(frozen=True)
class PeriodDates:
    """The dates of one membership period, as recorded."""

    applied_on: date
    admitted_on: date | None
    notice_received_on: date | None
    ends_on: date | None  # the day it ceased (or will cease): no longer a member from that day


def status_on(dates: PeriodDates, day: date) -> MembershipStatus:
    """Where a membership period stands on ``day``.

    ``ends_on`` is the first day the body is no longer a member; an application that ended
    before admission was declined (or withdrawn).
    """
    if dates.admitted_on is None or dates.admitted_on > day:
        if dates.ends_on is not None and dates.ends_on <= day:
            return MembershipStatus.DECLINED
        return MembershipStatus.APPLIED
    if dates.ends_on is not None and dates.ends_on <= day:
        return MembershipStatus.CEASED
    if dates.notice_received_on is not None and dates.notice_received_on <= day:
        return MembershipStatus.UNDER_NOTICE
    return MembershipStatus.MEMBER


def member_on(dates: PeriodDates, day: date) -> bool:
    return status_on(dates, day).is_member


@dataclass(frozen=True)
class ExceptionWindow:
    """A dated window in which notice to leave takes effect at once (no notice period)."""

    starts_on: date
    ends_on: date
    description: str = ""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class NoticeRule:
    """How long notice to leave runs, and the windows in which it needs none."""

    months: int = 12
    exceptions: tuple[ExceptionWindow, ...] = ()

    def leaving_date(self, received_on: date) -> date:
        """The first day the member is no longer a member, for notice received on that day.

        Notice received inside an exception window takes effect at once. Otherwise the
        membership ends ``months`` later on the same day of the month (or the month's last
        day: notice on 29/02/2028 with twelve months ends on 28/02/2029).
        """
        if any(received_on in window for window in self.exceptions):
            return received_on
        return add_months(received_on, self.months)

    def describe(self, received_on: date) -> str:
        """In words, why the membership ends when it does."""
        for window in self.exceptions:
            if received_on in window:
                return (
                    "notice received in the period when members could leave at once "
                    f"({window.starts_on:%d/%m/%Y} to {window.ends_on:%d/%m/%Y}), so it "
                    "takes effect immediately"
                )
        months = self.months
        length = "one year's" if months == 12 else f"{months} months'"
        return f"{length} notice from the day it was received"


# GIAS's types of establishment that are publicly funded: maintained schools (community,
# voluntary, foundation, special, nursery, PRU), academies and free schools of every kind.
PUBLICLY_FUNDED_TYPES = frozenset(
    {
        "Community school",
        "Voluntary aided school",
        "Voluntary controlled school",
        "Foundation school",
        "Community special school",
        "Foundation special school",
        "Pupil referral unit",
        "Local authority nursery school",
        "City technology college",
        "Academy sponsor led",
        "Academy special sponsor led",
        "Academy converter",
        "Academy alternative provision converter",
        "Academy alternative provision sponsor led",
        "Academy special converter",
        "Academy 16-19 converter",
        "Academy 16 to 19 sponsor led",
        "Academy secure 16 to 19",
        "Free schools",
        "Free schools special",
        "Free schools alternative provision",
        "Free schools 16 to 19",
        "University technical college",
        "Studio schools",
    }
)


@dataclass(frozen=True)
class SchoolFacts:
    """What full membership's eligibility depends on."""

    name: str
    la_code: str
    establishment_type: str
    status: SchoolStatus


def full_membership_problems(
    kind: MemberKind, school: SchoolFacts | None, partnership_la_code: str
) -> list[str]:
    """Why this member is not eligible for full membership (empty when it is).

    Full membership is for publicly funded schools of the partnership's local authority
    (including those in multi-academy trusts). A user with the right may override this with a
    recorded reason.
    """
    if kind is not MemberKind.SCHOOL or school is None:
        what = "an organisation" if kind is MemberKind.ORGANISATION else "an individual"
        return [f"Full membership is for schools; this member is {what}."]
    problems = []
    if partnership_la_code and school.la_code != partnership_la_code:
        theirs = f"local authority {school.la_code}" if school.la_code else "no local authority"
        problems.append(
            f"{school.name} is in {theirs}, not the partnership's ({partnership_la_code})."
        )
    if school.establishment_type not in PUBLICLY_FUNDED_TYPES:
        kind_text = school.establishment_type or "no type recorded"
        problems.append(f"{school.name} is not a publicly funded school (type: {kind_text}).")
    if school.status is SchoolStatus.CLOSED:
        problems.append(f"{school.name} is closed.")
    return problems
