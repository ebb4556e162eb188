"""The rules of what an Ofsted inspection can say (domain/ofsted.py check_inspection)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from thep_desktop.domain.ofsted import (
    NO_OVERALL_GRADE_FROM,
    REPORT_CARDS_FROM,
    AreaGrade,
    InspectionKind,
    OverallGrade,
    Safeguarding,
    check_inspection,
)

TODAY = date(2026, 12, 1)


def check(**given: object) -> dict[str, str]:
    values: dict[str, object] = {
        "inspected_on": date(2019, 3, 12),
        "published_on": None,
        "kind": InspectionKind.GRADED,
        "today": TODAY,
    }
    values.update(given)
    return check_inspection(**values)  # type: ignore[arg-type]


def test_a_graded_inspection_before_september_2024_with_its_grade_is_right() -> None:
    assert check(overall_grade=OverallGrade.GOOD, published_on=date(2019, 4, 2)) == {}


def test_the_date_is_required_and_not_in_the_future() -> None:
    assert check(inspected_on=None)["inspected_on"] == "Give the date of the inspection"
    future = check(inspected_on=TODAY + timedelta(days=1))
    assert future["inspected_on"] == "The inspection date cannot be in the future"


def test_published_before_inspected_is_refused() -> None:
    errors = check(published_on=date(2019, 3, 11))
    assert errors == {"published_on": "The report is published on or after the inspection date"}


def test_no_overall_grade_from_september_2024() -> None:
    errors = check(inspected_on=NO_OVERALL_GRADE_FROM, overall_grade=OverallGrade.GOOD)
    assert errors == {"overall_grade": "Ofsted stopped giving an overall grade from September 2024"}
    assert check(inspected_on=NO_OVERALL_GRADE_FROM - timedelta(days=1), overall_grade="good") == {}
    assert check(inspected_on=NO_OVERALL_GRADE_FROM) == {}  # graded, with no overall grade


def test_a_report_card_needs_its_date_safeguarding_and_an_area() -> None:
    errors = check(inspected_on=date(2025, 11, 9), kind=InspectionKind.REPORT_CARD)
    assert errors == {
        "kind": "Report cards were given only from 10 November 2025",
        "safeguarding": "Say whether safeguarding was met or not met",
        "areas": "Give the grade of at least one evaluation area",
    }
    right = check(
        inspected_on=REPORT_CARDS_FROM,
        kind=InspectionKind.REPORT_CARD,
        safeguarding=Safeguarding.MET,
        areas={"inclusion": AreaGrade.STRONG, "sixth_form": AreaGrade.NONE},
    )
    assert right == {}


def test_other_kinds_carry_no_area_grades_safeguarding_or_grade() -> None:
    errors = check(
        kind=InspectionKind.MONITORING,
        overall_grade=OverallGrade.GOOD,
        safeguarding=Safeguarding.MET,
        areas={"inclusion": AreaGrade.EXPECTED},
    )
    assert set(errors) == {"overall_grade", "safeguarding", "areas"}
    assert errors["overall_grade"] == "A monitoring visit gives no overall grade"


def test_a_url_starts_with_http() -> None:
    assert check(report_url="https://reports.ofsted.gov.uk/provider/21/100229") == {}
    assert "report_url" in check(report_url="reports.ofsted.gov.uk/provider/21/100229")
    assert "report_url" in check(report_url="javascript:alert(1)")


@given(
    on=st.dates(min_value=date(2005, 1, 1), max_value=TODAY),
    kind=st.sampled_from(list(InspectionKind)),
    grade=st.sampled_from(list(OverallGrade)),
    safeguarding=st.sampled_from(list(Safeguarding)),
    areas=st.dictionaries(
        st.sampled_from(["inclusion", "achievement", "early_years"]),
        st.sampled_from(list(AreaGrade)),
    ),
)
def test_whatever_is_accepted_obeys_ofsted_s_rules(
    on: date,
    kind: InspectionKind,
    grade: OverallGrade,
    safeguarding: Safeguarding,
    areas: dict[str, AreaGrade],
) -> None:
    errors = check_inspection(
        inspected_on=on,
        published_on=None,
        kind=kind,
        overall_grade=grade,
        safeguarding=safeguarding,
        areas=areas,
        today=TODAY,
    )
    graded = [g for g in areas.values() if g is not AreaGrade.NONE]
    if not errors:
        if grade is not OverallGrade.NONE:
            assert kind is InspectionKind.GRADED and on < NO_OVERALL_GRADE_FROM
        if kind is InspectionKind.REPORT_CARD:
            assert on >= REPORT_CARDS_FROM and safeguarding is not Safeguarding.NONE and graded
        else:
            assert safeguarding is Safeguarding.NONE and not graded
    # Every message is in words a person reads, never a code.
    assert all(len(words.split()) >= 4 for words in errors.values())
    # The right inspections of each kind are always accepted.
    if kind is InspectionKind.GRADED and on < NO_OVERALL_GRADE_FROM:
        assert not check_inspection(
            inspected_on=on, published_on=on, kind=kind, overall_grade=grade, today=TODAY
        )
