"""The ``{member.*}`` merge fields: a member's record on the letter's date, its fee and arrears.

Filled from the membership services: the membership period that stands on the letter's
date, the fee calculator's quote for that date's academic year (with its working), and the
amount overdue (the year's fee less the payments recorded, once the fee has fallen due:
until invoices exist, that is what "overdue" means). A value the record does not hold is
not made up: the field is missing with the reason, and a letter that needs it is left out
for that recipient, saying why.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import money
from thep_desktop.domain.memberships import MemberKind, NoticeRule
from thep_desktop.services.letters.letter_fields import FIELDS
from thep_desktop.services.memberships.fees_service import FeeQuote, FeesService
from thep_desktop.services.memberships.member_data import MemberDetail
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import NotFoundError

FEE_FIELDS = frozenset({"member.fee_due", "member.fee_basis"})
OVERDUE = "member.amount_overdue"
MEMBER_FIELDS = tuple(f.name for f in FIELDS if f.source == "membership")


@dataclass
class MemberValues:
    """A member's fields for one letter, and why each field it lacks is missing."""

    values: dict[str, str] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)


def member_reference(member: MemberDetail) -> str:
    """What a member quotes when paying: a school's URN, otherwise its number (``M0012``)."""
    return str(member.urn) if member.urn is not None else f"M{member.id:04d}"


class MemberFieldValues:
    """The ``{member.*}`` values of many members for letters dated ``when``.

    ``needed``: the fields the letter uses (None: every field). The fee is worked out once
    for the year for all members, and what is overdue only when a letter asks for it.
    """

    def __init__(
        self,
        fees: FeesService,
        actor: Actor,
        when: date,
        notice_rule: NoticeRule,
        needed: Collection[str] | None = None,
    ) -> None:
        self._fees = fees
        self._actor = actor
        self.when = when
        self.year = AcademicYear.of(when)
        self._rule = notice_rule
        self._needed = needed
        self._quotes: dict[int, FeeQuote] | None = None
        self._no_schedule = ""

    def _wants(self, names: Iterable[str]) -> bool:
        return self._needed is None or any(n in self._needed for n in names)

    def _quote(self, member: MemberDetail) -> FeeQuote | None:
        if self._quotes is None:
            try:
                year_quote = self._fees.quote_year(self._actor, self.year)
                self._quotes = {q.member_id: q for q in year_quote.quotes}
            except NotFoundError:
                self._quotes = {}
                self._no_schedule = f"there is no fee schedule for {self.year.label} yet"
        return self._quotes.get(member.id)

    def of(self, member: MemberDetail | None, what: str = "school") -> MemberValues:
        """The fields for ``member`` (None: a school with no membership record)."""
        result = MemberValues()
        names = MEMBER_FIELDS
        if member is None:
            result.missing = dict.fromkeys(names, f"the {what} is not a member")
            return result
        period = member.period_on(self.when)
        if period is None or period.admitted_on is None or period.admitted_on > self.when:
            if period is not None and period.ends_on is not None and period.ends_on <= self.when:
                reason = "its application for membership was declined"
            elif period is not None:
                reason = (
                    f"its application for membership (received {format_date(period.applied_on)})"
                    " has not been admitted"
                )
            else:
                reason = f"the {what} is not a member"
            result.missing = dict.fromkeys(names, reason)
            return result
        values = result.values
        values["member.name"] = member.name
        values["member.reference"] = member_reference(member)
        values["member.category"] = period.category.label.lower()
        values["member.admitted_on"] = format_date(period.admitted_on)
        values["member.guarantee"] = money(period.guarantee)
        values["member.fee_year"] = self.year.label
        if period.notice_received_on is not None:
            values["member.notice_received_on"] = format_date(period.notice_received_on)
            values["member.notice_terms"] = self._rule.describe(period.notice_received_on)
        else:
            for name in ("member.notice_received_on", "member.notice_terms"):
                result.missing[name] = "no notice to leave is recorded"
        if period.ends_on is not None:
            values["member.leaving_on"] = format_date(period.ends_on)
        else:
            result.missing["member.leaving_on"] = "no date is recorded for the membership to end"
        if self._wants(FEE_FIELDS | {OVERDUE}):
            self._fee_values(member, result)
        return result

    def _fee_values(self, member: MemberDetail, result: MemberValues) -> None:
        quote = self._quote(member)
        if quote is None:
            reason = self._no_schedule or f"it is not a member during {self.year.label}"
            result.missing.update(dict.fromkeys([*FEE_FIELDS, OVERDUE], reason))
            return
        if quote.amount is None:
            reason = f"its fee for {self.year.label} cannot be worked out: {quote.problem}"
            result.missing.update(dict.fromkeys([*FEE_FIELDS, OVERDUE], reason))
            return
        result.values["member.fee_due"] = money(quote.amount)
        basis = quote.working
        if quote.census_date is not None and quote.pupils is not None:
            basis += f"; pupils on roll at the census of {format_date(quote.census_date)}"
        result.values["member.fee_basis"] = basis
        if not self._wants([OVERDUE]):
            return
        overdue = self._fees.amount_overdue(self._actor, member.id, self.year, self.when)
        if overdue > Decimal("0.00"):
            result.values[OVERDUE] = money(overdue)
        else:
            result.missing[OVERDUE] = (
                f"nothing of its fee for {self.year.label} is overdue on {format_date(self.when)}"
            )


def member_contact(member: MemberDetail) -> str:
    """Whom a letter to an organisation or an individual member is addressed to."""
    if member.contact_name:
        return member.contact_name
    return member.name if member.kind is MemberKind.INDIVIDUAL else ""
