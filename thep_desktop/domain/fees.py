"""Membership fee arithmetic: a year's fee periods, pro-rating, rounding and the working.

A fee schedule gives, for one academic year, a rate per pupil (full members) and a flat fee
(associate members). Dated fee periods inside the year are free or charged; the parts of the
year no period names are charged. A member pays, for each charged part, the annual fee times
the share of the year it was a member in that part: whole months (a month counts when the
member was a member on any day of it, so a school admitted in January pays from January) or
days, as the schedule says. Each part is rounded to the penny once, half up, after the exact
product; the fee is the sum of the rounded parts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from thep_desktop.domain.academic_years import (
    AcademicYear,
    add_months,
    day_before,
    days_between,
    months_touched,
)

PENNY = Decimal("0.01")


class ProRating(StrEnum):
    MONTHS = "months"
    DAYS = "days"

    @property
    def label(self) -> str:
        return "By whole months" if self is ProRating.MONTHS else "By days"


def money(value: Decimal) -> str:
    """£1,234.50"""
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def round_penny(value: Fraction) -> Decimal:
    """An exact amount rounded to the penny, half up (the one rounding point)."""
    pence = value * 100
    whole = int(pence)  # truncates toward zero
    rest = pence - whole
    if rest >= Fraction(1, 2):
        whole += 1
    elif rest <= Fraction(-1, 2):
        whole -= 1
    return (Decimal(whole) / 100).quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class FeePeriod:
    """A dated part of an academic year: charged (pro rata) or free."""

    starts_on: date
    ends_on: date
    charged: bool
    description: str = ""

    @property
    def dates_text(self) -> str:
        return f"{self.starts_on:%d/%m/%Y} to {self.ends_on:%d/%m/%Y}"


def period_problems(
    year: AcademicYear, periods: Sequence[FeePeriod], pro_rating: ProRating
) -> list[str]:
    """What is wrong with a year's fee periods, in words (empty when nothing is).

    With whole-month pro-rating a period runs from the first of a month to the last day of a
    month, so that no month is counted in two periods.
    """
    problems = []
    for period in periods:
        if period.ends_on < period.starts_on:
            problems.append(f"The fee period {period.dates_text} ends before it starts.")
        elif period.starts_on not in year or period.ends_on not in year:
            problems.append(
                f"The fee period {period.dates_text} is not inside the academic year "
                f"{year.label} ({year.first_day:%d/%m/%Y} to {year.last_day:%d/%m/%Y})."
            )
        elif pro_rating is ProRating.MONTHS and (
            period.starts_on.day != 1 or period.ends_on != _month_end(period.ends_on)
        ):
            problems.append(
                f"The fee period {period.dates_text} does not run in whole months: fees are "
                "pro-rated by whole months, so a period starts on the 1st of a month and ends "
                "on the last day of a month."
            )
    ordered = sorted((p for p in periods if p.ends_on >= p.starts_on), key=lambda p: p.starts_on)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.starts_on <= before.ends_on:
            problems.append(
                f"The fee periods {before.dates_text} and {after.dates_text} overlap: a day "
                "can be in only one fee period."
            )
    return problems


def _month_end(day: date) -> date:
    return day_before(add_months(day.replace(day=1), 1))


def year_parts(year: AcademicYear, periods: Sequence[FeePeriod]) -> list[FeePeriod]:
    """The whole year as consecutive parts: the periods given, and charged parts between.

    The periods must have passed :func:`period_problems`.
    """
    parts: list[FeePeriod] = []
    cursor = year.first_day
    for period in sorted(periods, key=lambda p: p.starts_on):
        if period.starts_on > cursor:
            parts.append(FeePeriod(cursor, day_before(period.starts_on), True))
        parts.append(period)
        cursor = date.fromordinal(period.ends_on.toordinal() + 1)
    if cursor <= year.last_day:
        parts.append(FeePeriod(cursor, year.last_day, True))
    return parts


@dataclass(frozen=True)
class FeeBasis:
    """What the annual fee is: pupils x rate for a full member, a flat fee for an associate."""

    annual: Decimal
    text: str  # "412 pupils x £5.00" or "associate fee £250.00"

    @classmethod
    def per_pupil(cls, pupils: int, rate: Decimal) -> FeeBasis:
        noun = "pupil" if pupils == 1 else "pupils"
        return cls(rate * pupils, f"{pupils:,} {noun} x {money(rate)}")

    @classmethod
    def flat(cls, fee: Decimal) -> FeeBasis:
        return cls(fee, f"associate fee {money(fee)}")


@dataclass(frozen=True)
class FeePart:
    """One part of the year, and what the member pays for it."""

    period: FeePeriod
    first_day: date  # the member's first and last days in the part (the supply period)
    last_day: date
    units: int  # months or days of membership in the part
    of_units: int  # 12, or the days in the year
    amount: Decimal
    working: str


def share_text(units: int, of_units: int) -> str:
    return "" if units == of_units else f" x {units}/{of_units}"


def fee_parts(
    year: AcademicYear,
    periods: Sequence[FeePeriod],
    basis: FeeBasis,
    member_from: date,
    member_until: date | None,
    pro_rating: ProRating,
    within: FeePeriod | None = None,
) -> list[FeePart]:
    """The member's fee, part by part, for the year (or only the part ``within`` covers).

    ``member_from`` is the day of admission and ``member_until`` the first day it is no
    longer a member (None while it stays). Parts it was not a member in are left out.
    """
    of_units = 12 if pro_rating is ProRating.MONTHS else days_between(year.first_day, year.last_day)
    last_member_day = day_before(member_until) if member_until is not None else year.last_day
    result = []
    for part in year_parts(year, periods):
        first = max(part.starts_on, member_from)
        last = min(part.ends_on, last_member_day)
        if within is not None:
            first = max(first, within.starts_on)
            last = min(last, within.ends_on)
        if last < first:
            continue
        if pro_rating is ProRating.MONTHS:
            units = months_touched(first, last)
        else:
            units = days_between(first, last)
        units = min(units, of_units)
        if not part.charged:
            why = f" ({part.description})" if part.description else ""
            result.append(
                FeePart(
                    part,
                    first,
                    last,
                    units,
                    of_units,
                    Decimal("0.00"),
                    f"{part.dates_text}: no fee{why}",
                )
            )
            continue
        amount = round_penny(Fraction(basis.annual) * units / of_units)
        working = f"{basis.text}{share_text(units, of_units)} = {money(amount)}"
        result.append(FeePart(part, first, last, units, of_units, amount, working))
    return result


def working_text(parts: Sequence[FeePart]) -> str:
    """The working of a fee in one line: its parts, and the total when there are several."""
    charged = [p for p in parts if p.amount or p.period.charged]
    if not parts:
        return "not a member in this period: no fee"
    if len(parts) == 1:
        return parts[0].working
    total = sum((p.amount for p in parts), Decimal("0.00"))
    text = "; ".join(p.working for p in parts)
    if len(charged) > 1:
        text += f"; total {money(total)}"
    return text


_MONEY = re.compile(r"^(-)?£?(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$", re.ASCII)


def parse_money(text: str | Decimal | int) -> Decimal:
    """An amount of pounds as typed ("5", "5.00", "£1,250.50"), exact to the penny.

    Refused in words: anything that is not an amount, fractions of a penny, and negative
    amounts (a fee, a rate or a payment is never below nothing).
    """
    if isinstance(text, int | Decimal):
        value = Decimal(text)
    else:
        cleaned = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
        found = _MONEY.match(cleaned)
        if not found:
            if re.fullmatch(r"-?£?[\d,]*\.\d{3,}", cleaned, re.ASCII):
                raise ValueError(f"“{str(text).strip()}” has fractions of a penny")
            raise ValueError(f"“{str(text).strip()}” is not an amount of money (e.g. 5.00)")
        value = Decimal(cleaned.replace("£", "").replace(",", ""))
    if value != value.quantize(PENNY):
        raise ValueError(f"{value} has fractions of a penny")
    if value < 0:
        raise ValueError(f"{money(value)} is negative; an amount cannot be less than nothing")
    return value.quantize(PENNY)
