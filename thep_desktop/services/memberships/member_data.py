"""Members as plain data: what the windows, thep-admin and the letters read and send."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from thep_desktop.domain.memberships import Category, MemberKind, MembershipStatus, PeriodDates
from thep_desktop.domain.memberships import status_on as period_status_on


@dataclass(frozen=True)
class MemberInput:
    """A member's own details. A school member takes its name and address from the register."""

    kind: MemberKind | str
    school_id: int | None = None
    name: str = ""
    contact_name: str = ""
    address: str = ""
    postcode: str = ""
    email: str = ""
    phone: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ApplicationInput:
    """An application for membership, with the commitments the applicant makes."""

    category: Category | str
    applied_on: date | str
    supports_aims: bool = True
    agrees_to_pay_fee: bool = True
    guarantee: Decimal | str | None = None  # None: the rules' default (£25)
    # Given only to grant full membership to a body the eligibility check refuses.
    eligibility_override: str = ""
    notes: str = ""


@dataclass(frozen=True)
class PeriodDetail:
    """One period of membership, from application to leaving."""

    id: int
    uuid: uuid.UUID
    version: int
    category: Category
    applied_on: date
    admitted_on: date | None
    admission_decision: str
    supports_aims: bool
    agrees_to_pay_fee: bool
    guarantee: Decimal
    eligibility_override: str
    notice_received_on: date | None
    ends_on: date | None
    end_reason: str
    notes: str

    @property
    def dates(self) -> PeriodDates:
        return PeriodDates(self.applied_on, self.admitted_on, self.notice_received_on, self.ends_on)

    def status_on(self, day: date) -> MembershipStatus:
        return period_status_on(self.dates, day)

    @property
    def is_open(self) -> bool:
        """Not ended (an application, a membership, or one under notice)."""
        return self.ends_on is None or self.ends_on > date.today()


@dataclass(frozen=True)
class MemberDetail:
    """A member with every period of membership, oldest first."""

    id: int
    uuid: uuid.UUID
    version: int
    kind: MemberKind
    school_id: int | None
    urn: int | None
    name: str
    contact_name: str
    address: str  # several lines
    postcode: str
    email: str
    phone: str
    notes: str
    phase: str
    pupils: int | None
    periods: tuple[PeriodDetail, ...]

    @property
    def latest(self) -> PeriodDetail | None:
        return self.periods[-1] if self.periods else None

    def period_on(self, day: date) -> PeriodDetail | None:
        """The period that tells where the member stands on ``day``: the latest applied by then."""
        chosen = None
        for period in self.periods:
            if period.applied_on <= day:
                chosen = period
        return chosen

    def status_on(self, day: date) -> MembershipStatus | None:
        period = self.period_on(day)
        return period.status_on(day) if period is not None else None

    @property
    def address_lines(self) -> tuple[str, ...]:
        lines = [line.strip() for line in self.address.splitlines() if line.strip()]
        if self.postcode and self.postcode not in lines:
            lines.append(self.postcode)
        return tuple(lines)

    def as_input(self) -> MemberInput:
        own = self.kind is not MemberKind.SCHOOL
        return MemberInput(
            kind=self.kind,
            school_id=self.school_id,
            name=self.name if own else "",
            contact_name=self.contact_name,
            address=self.address if own else "",
            postcode=self.postcode if own else "",
            email=self.email,
            phone=self.phone,
            notes=self.notes,
        )


@dataclass(frozen=True)
class MemberRow:
    """A member as one line of the list, as it stood on the list's date."""

    id: int
    uuid: uuid.UUID
    kind: MemberKind
    name: str
    urn: int | None
    phase: str
    pupils: int | None
    category: Category | None
    status: MembershipStatus | None
    applied_on: date | None
    admitted_on: date | None
    notice_received_on: date | None
    ends_on: date | None
    period_id: int | None
    period_version: int | None
    periods: int  # how many periods of membership it has had


@dataclass(frozen=True)
class MembershipSummary:
    """The figures above the list, as at a date, with the same day a year earlier."""

    as_at: date
    full_members: int
    associate_members: int
    under_notice: int
    applications: int
    pupils_covered: int  # pupils of the full and associate member schools (latest figures)
    open_schools: int  # open schools of the partnership's local authority
    member_schools: int  # of those, members on the day
    last_year_full: int
    last_year_associate: int

    @property
    def share_of_schools(self) -> Decimal | None:
        """Member schools as a share of the borough's open schools (0 to 1), or None."""
        if not self.open_schools:
            return None
        return Decimal(self.member_schools) / Decimal(self.open_schools)

    @property
    def change_on_last_year(self) -> int:
        return (self.full_members + self.associate_members) - (
            self.last_year_full + self.last_year_associate
        )


@dataclass(frozen=True)
class Voter:
    """A full member school entitled to one vote on a date."""

    member_id: int
    name: str
    urn: int | None
    admitted_on: date
