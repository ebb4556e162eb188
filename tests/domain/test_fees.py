"""Fee arithmetic, checked with hypothesis: pro-rated parts add up, and rounding is stable."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from thep_desktop.domain.academic_years import AcademicYear, add_months, day_before
from thep_desktop.domain.fees import (
    FeeBasis,
    FeePeriod,
    ProRating,
    fee_parts,
    period_problems,
    round_penny,
)

PENNY = Decimal("0.01")

years = st.integers(min_value=2000, max_value=2100).map(AcademicYear)
pupils = st.integers(min_value=0, max_value=3000)
rates = st.integers(min_value=0, max_value=5000).map(lambda p: Decimal(p) / 100)
fees = st.integers(min_value=0, max_value=1_000_000).map(lambda p: Decimal(p) / 100)
bases = st.one_of(
    st.builds(FeeBasis.per_pupil, pupils, rates),
    st.builds(FeeBasis.flat, fees),
)


@st.composite
def month_periods(draw: st.DrawFn, year: AcademicYear) -> list[FeePeriod]:
    """The year cut into whole-month periods at a few month boundaries, all charged."""
    cuts = sorted(draw(st.sets(st.integers(min_value=1, max_value=11), max_size=6)))
    starts = [add_months(year.first_day, m) for m in (0, *cuts)]
    ends = [day_before(s) for s in starts[1:]] + [year.last_day]
    return [
        FeePeriod(a, b, True, f"part {i}")
        for i, (a, b) in enumerate(zip(starts, ends, strict=True))
    ]


@st.composite
def day_periods(draw: st.DrawFn, year: AcademicYear) -> list[FeePeriod]:
    """The year cut at any days, all charged (for pro-rating by days)."""
    length = (year.last_day - year.first_day).days
    cuts = sorted(draw(st.sets(st.integers(min_value=1, max_value=length), max_size=8)))
    starts = [year.first_day + timedelta(days=d) for d in (0, *cuts)]
    ends = [day_before(s) for s in starts[1:]] + [year.last_day]
    return [FeePeriod(a, b, True) for a, b in zip(starts, ends, strict=True)]


def _within_a_penny_per_part(parts_total: Decimal, exact: Fraction, parts: int) -> bool:
    return abs(Fraction(parts_total) - exact) <= Fraction(1, 100) * parts / 2


@settings(max_examples=200, deadline=None)
@given(data=st.data(), year=years, basis=bases)
def test_whole_month_parts_of_a_year_add_up_to_the_annual_fee(
    data: st.DataObject, year: AcademicYear, basis: FeeBasis
) -> None:
    periods = data.draw(month_periods(year))
    assert period_problems(year, periods, ProRating.MONTHS) == []
    parts = fee_parts(year, periods, basis, year.first_day, None, ProRating.MONTHS)
    assert len(parts) == len(periods)
    assert sum(p.units for p in parts) == 12
    total = sum((p.amount for p in parts), Decimal("0.00"))
    # Each part is rounded once, half a penny at most: a penny per part is the bound.
    assert _within_a_penny_per_part(total, Fraction(basis.annual), len(parts))
    assert abs(total - basis.annual) <= PENNY * len(parts)
    assert all(p.amount == p.amount.quantize(PENNY) for p in parts)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), year=years, basis=bases)
def test_parts_by_days_add_up_to_the_annual_fee(
    data: st.DataObject, year: AcademicYear, basis: FeeBasis
) -> None:
    periods = data.draw(day_periods(year))
    assert period_problems(year, periods, ProRating.DAYS) == []
    parts = fee_parts(year, periods, basis, year.first_day, None, ProRating.DAYS)
    days = (year.last_day - year.first_day).days + 1
    assert sum(p.units for p in parts) == days
    assert all(p.of_units == days for p in parts)
    total = sum((p.amount for p in parts), Decimal("0.00"))
    assert _within_a_penny_per_part(total, Fraction(basis.annual), len(parts))


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(),
    year=years,
    basis=bases,
    joined=st.integers(min_value=0, max_value=11),
    left=st.one_of(st.none(), st.integers(min_value=1, max_value=12)),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_rounding_is_stable_and_the_order_of_the_periods_does_not_matter(
    data: st.DataObject,
    year: AcademicYear,
    basis: FeeBasis,
    joined: int,
    left: int | None,
    seed: int,
) -> None:
    periods = data.draw(month_periods(year))
    member_from = add_months(year.first_day, joined) + timedelta(days=data.draw(st.integers(0, 27)))
    member_until = None
    if left is not None and left > joined:
        member_until = add_months(year.first_day, left)
    first = fee_parts(year, periods, basis, member_from, member_until, ProRating.MONTHS)
    again = fee_parts(year, periods, basis, member_from, member_until, ProRating.MONTHS)
    shuffled = list(periods)
    random.Random(seed).shuffle(shuffled)
    reordered = fee_parts(year, shuffled, basis, member_from, member_until, ProRating.MONTHS)
    assert first == again == reordered  # same inputs, same pennies, whatever the order
    months = (left if member_until is not None else 12) - joined
    assert sum(p.units for p in first) == months
    total = sum((p.amount for p in first), Decimal("0.00"))
    exact = Fraction(basis.annual) * months / 12
    assert _within_a_penny_per_part(total, exact, len(first))
    # Adding the parts up in another order gives the same total.
    backwards = sum((p.amount for p in reversed(first)), Decimal("0.00"))
    assert backwards == total


def test_the_one_rounding_point_is_half_up_to_the_penny() -> None:
    assert round_penny(Fraction(1, 200)) == Decimal("0.01")  # half a penny: up
    assert round_penny(Fraction(499, 100000)) == Decimal("0.00")
    assert round_penny(Fraction(2060 * 5, 12)) == Decimal("858.33")
    assert round_penny(Fraction(2060 * 8, 12)) == Decimal("1373.33")
    assert round_penny(Fraction(250 * 7, 12)) == Decimal("145.83")


def test_free_periods_charge_nothing_and_say_why() -> None:
    year = AcademicYear(2016)
    free = FeePeriod(date(2016, 9, 1), date(2017, 3, 31), False, "before fees began")
    parts = fee_parts(
        year,
        [free],
        FeeBasis.per_pupil(412, Decimal("5.00")),
        year.first_day,
        None,
        ProRating.MONTHS,
    )
    assert [(p.units, p.amount, p.working) for p in parts] == [
        (7, Decimal("0.00"), "01/09/2016 to 31/03/2017: no fee (before fees began)"),
        (5, Decimal("858.33"), "412 pupils x £5.00 x 5/12 = £858.33"),
    ]
