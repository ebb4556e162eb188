"""The fee calculator on both databases: the prospectus's 2016/17, joining and leaving mid-year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from membership_records import CENSUS_2017, join, make_school, schedule, table_sums

from thep_desktop.database import Database
from thep_desktop.domain.fees import FeePeriod
from thep_desktop.services.memberships.fees_service import FeePeriodInput, ScheduleInput
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ValidationError

FREE_2016 = (date(2016, 9, 1), date(2017, 3, 31))


def test_the_2016_17_example_exactly(services: Services) -> None:
    """412 pupils, free until 31/03/2017, then 5/12 of the year: £858.33; full fees after."""
    school = make_school(services, "100229", "Bethnal Green Primary School")
    member = join(services, school, date(2016, 6, 20), date(2016, 9, 1))
    schedule(services, "2016/17", FREE_2016)
    schedule(services, "2017/18")

    quote = services.fees.quote(services.actor, member.id, "2016/17")
    assert quote.amount == Decimal("858.33")
    assert quote.pupils == 412 and quote.census_date == CENSUS_2017
    assert quote.basis == "412 pupils x £5.00"
    assert quote.working == (
        "01/09/2016 to 31/03/2017: no fee (before fees began); 412 pupils x £5.00 x 5/12 = £858.33"
    )
    assert [(p.units, p.of_units, p.amount) for p in quote.parts] == [
        (7, 12, Decimal("0.00")),
        (5, 12, Decimal("858.33")),
    ]
    # Only the part from 1 April to 31 August, as an invoice for it would ask.
    spring = services.fees.quote(
        services.actor,
        member.id,
        "2016/17",
        within=FeePeriod(date(2017, 4, 1), date(2017, 8, 31), True),
    )
    assert spring.amount == Decimal("858.33")
    assert spring.working == "412 pupils x £5.00 x 5/12 = £858.33"
    full = services.fees.quote(services.actor, member.id, "2017/18")
    assert (full.amount, full.working) == (Decimal("2060.00"), "412 pupils x £5.00 = £2,060.00")


def test_a_member_admitted_in_january_pays_eight_twelfths(services: Services) -> None:
    school = make_school(services, "100229", "Bethnal Green Primary School")
    member = join(services, school, date(2025, 12, 1), date(2026, 1, 15))
    schedule(services, "2025/26", census=date(2025, 1, 16))  # figure of 2017: the latest by then
    quote = services.fees.quote(services.actor, member.id, "2025/26")
    assert quote.amount == Decimal("1373.33")  # 412 x 5 x 8 / 12 = 1,373.333…
    assert quote.working == "412 pupils x £5.00 x 8/12 = £1,373.33"
    assert quote.census_date == CENSUS_2017


def test_a_member_under_notice_pays_until_its_leaving_date(services: Services) -> None:
    school = make_school(services, "100229", "Bethnal Green Primary School")
    member = join(services, school, date(2020, 8, 1), date(2020, 9, 1))
    period = member.latest
    assert period is not None
    member = services.members.record_notice(
        services.actor, period.id, period.version, date(2026, 1, 15)
    )
    assert member.latest is not None and member.latest.ends_on == date(2027, 1, 15)
    schedule(services, "2025/26", census=None)
    schedule(services, "2026/27", census=None)
    schedule(services, "2027/28", census=None)
    this_year = services.fees.quote(services.actor, member.id, "2025/26")
    assert this_year.amount == Decimal("2060.00")  # a member all year, notice or not
    # September to 14 January: five months touched, so 5/12.
    leaving = services.fees.quote(services.actor, member.id, "2026/27")
    assert (leaving.amount, leaving.working) == (
        Decimal("858.33"),
        "412 pupils x £5.00 x 5/12 = £858.33",
    )
    year = services.fees.quote_year(services.actor, "2027/28")
    assert year.quotes == () and year.total == Decimal("0.00")


def test_a_school_without_a_figure_is_listed_never_billed_at_nothing(services: Services) -> None:
    counted = make_school(services, "100229", "Bethnal Green Primary School")
    uncounted = make_school(services, "100230", "Columbia Primary School", pupils=None)
    join(services, counted, date(2016, 6, 1), date(2016, 9, 1))
    missing = join(services, uncounted, date(2016, 6, 1), date(2016, 9, 1))
    join(
        services,
        None,
        date(2018, 1, 1),
        date(2018, 2, 1),
        "associate",
        kind="organisation",
        name="Tower Hamlets Governors' Network",
        address="14 Ropemaker Place\nLondon",
    )
    schedule(services, "2017/18")
    year = services.fees.quote_year(services.actor, "2017/18")
    assert [q.name for q in year.quotes] == [
        "Bethnal Green Primary School",
        "Columbia Primary School",
        "Tower Hamlets Governors' Network",
    ]
    associate = year.quotes[2]
    # Admitted in February: February to August, seven months.
    assert associate.working == "associate fee £250.00 x 7/12 = £145.83"
    assert year.total == Decimal("2060.00") + Decimal("145.83")
    assert [(q.member_id, q.amount) for q in year.without_figures] == [(missing.id, None)]
    assert year.without_figures[0].problem == "no pupil figure at the census of 19/01/2017"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"academic_year": "2025/27"}, "academic_year", "not an academic year"),
        ({"rate_per_pupil": "-5.00"}, "rate_per_pupil", "negative"),
        ({"associate_fee": "-1"}, "associate_fee", "negative"),
        ({"rate_per_pupil": "5.001"}, "rate_per_pupil", "fractions of a penny"),
        (
            {
                "periods": (
                    FeePeriodInput(date(2025, 9, 1), date(2025, 12, 31), False),
                    FeePeriodInput(date(2025, 12, 1), date(2026, 3, 31), False),
                )
            },
            "periods",
            "overlap",
        ),
        (
            {"periods": (FeePeriodInput(date(2026, 9, 1), date(2026, 10, 31), False),)},
            "periods",
            "not inside the academic year",
        ),
    ],
)
def test_a_bad_schedule_is_refused_and_nothing_is_saved(
    services: Services, db: Database, change: dict[str, object], field: str, words: str
) -> None:
    before = table_sums(db)
    values: dict[str, object] = {
        "academic_year": "2025/26",
        "rate_per_pupil": "5.00",
        "associate_fee": "250.00",
        **change,
    }
    with pytest.raises(ValidationError) as caught:
        services.fees.save_schedule(services.actor, ScheduleInput(**values))  # type: ignore[arg-type]
    assert words in caught.value.field_errors[field]
    assert table_sums(db) == before


def test_a_year_with_a_schedule_is_not_overwritten(services: Services, db: Database) -> None:
    schedule(services, "2025/26")
    before = table_sums(db)
    with pytest.raises(ValidationError) as caught:
        schedule(services, "2025/26", rate="6.00")
    assert "2025/26 already has a fee schedule (£5.00 per pupil" in str(caught.value)
    assert table_sums(db) == before
