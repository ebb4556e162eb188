"""Ofsted inspections as Ofsted published them: one overall grade until 2024, report cards
from 10 November 2025; and the outcome words the dashboard and the profile show.

- Until 2024 a graded inspection gave one overall grade (outstanding, good, requires
  improvement, inadequate). From September 2024 state schools stopped receiving it, so a
  graded inspection from then has no overall grade (its sub-judgements stayed).
- From 10 November 2025 an inspection ends in a report card: safeguarding met or not met,
  and each evaluation area graded on five points. There is no overall grade.
- An ungraded (section 8) inspection or a monitoring visit gives no new grade.

GIAS carried the latest rating until April 2025 and no longer does, so the office keeps
each school's history itself (models/school.py ``OfstedInspection``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

NO_OVERALL_GRADE_FROM = date(2024, 9, 1)
REPORT_CARDS_FROM = date(2025, 11, 10)
NOT_YET_INSPECTED = "Not yet inspected"


class InspectionKind(enum.StrEnum):
    GRADED = "graded"  # section 5 (or its earlier forms): an overall grade until August 2024
    UNGRADED = "ungraded"  # section 8: no new grade
    MONITORING = "monitoring"  # a monitoring visit to a school in a category or RI
    REPORT_CARD = "report_card"  # from 10 November 2025

    @property
    def words(self) -> str:
        return _KIND_WORDS[self]


_KIND_WORDS = {
    InspectionKind.GRADED: "Graded inspection",
    InspectionKind.UNGRADED: "Ungraded inspection",
    InspectionKind.MONITORING: "Monitoring visit",
    InspectionKind.REPORT_CARD: "Report card inspection",
}


class OverallGrade(enum.StrEnum):
    NONE = ""  # no overall grade: ungraded, monitoring, report card, or from September 2024
    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"

    @property
    def words(self) -> str:
        return _GRADE_WORDS[self]


_GRADE_WORDS = {
    OverallGrade.NONE: "No overall grade",
    OverallGrade.OUTSTANDING: "Outstanding",
    OverallGrade.GOOD: "Good",
    OverallGrade.REQUIRES_IMPROVEMENT: "Requires improvement",
    OverallGrade.INADEQUATE: "Inadequate",
}


class Safeguarding(enum.StrEnum):
    NONE = ""  # not a report card
    MET = "met"
    NOT_MET = "not_met"

    @property
    def words(self) -> str:
        return {"": "", "met": "Met", "not_met": "Not met"}[self.value]


class AreaGrade(enum.StrEnum):
    """A report card's five-point scale for each evaluation area (worst first)."""

    NONE = ""  # not graded, or the school has no such provision
    URGENT_IMPROVEMENT = "urgent_improvement"
    NEEDS_ATTENTION = "needs_attention"
    EXPECTED = "expected"
    STRONG = "strong"
    EXCEPTIONAL = "exceptional"

    @property
    def words(self) -> str:
        return _AREA_GRADE_WORDS[self]

    @property
    def rank(self) -> int:
        """1 (urgent improvement) to 5 (exceptional); 0 when not graded."""
        return list(AreaGrade).index(self)


_AREA_GRADE_WORDS = {
    AreaGrade.NONE: "",
    AreaGrade.URGENT_IMPROVEMENT: "Urgent improvement",
    AreaGrade.NEEDS_ATTENTION: "Needs attention",
    AreaGrade.EXPECTED: "Expected standard",
    AreaGrade.STRONG: "Strong standard",
    AreaGrade.EXCEPTIONAL: "Exceptional",
}

# The report card's evaluation areas: the column of OfstedInspection, and its words.
EVALUATION_AREAS: tuple[tuple[str, str], ...] = (
    ("inclusion", "Inclusion"),
    ("curriculum_teaching", "Curriculum and teaching"),
    ("achievement", "Achievement"),
    ("attendance_behaviour", "Attendance and behaviour"),
    ("personal_development", "Personal development and well-being"),
    ("leadership_governance", "Leadership and governance"),
    ("early_years", "Early years"),
    ("sixth_form", "Sixth form"),
)


class Outcome(enum.StrEnum):
    """What a school's latest inspection says, in the categories the dashboard counts.

    A graded inspection counts by its overall grade (none from September 2024); a report
    card by its safeguarding and its lowest area grade. Ungraded inspections and monitoring
    visits give no outcome of their own: the outcome stays that of the last inspection that
    gave one.
    """

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"
    NO_OVERALL_GRADE = "no_overall_grade"
    SAFEGUARDING_NOT_MET = "safeguarding_not_met"
    URGENT_IMPROVEMENT = "urgent_improvement"
    NEEDS_ATTENTION = "needs_attention"
    EXPECTED_OR_BETTER = "expected_or_better"
    NOT_YET_INSPECTED = "not_yet_inspected"

    @property
    def words(self) -> str:
        return _OUTCOME_WORDS[self]


_OUTCOME_WORDS = {
    Outcome.OUTSTANDING: "Outstanding",
    Outcome.GOOD: "Good",
    Outcome.REQUIRES_IMPROVEMENT: "Requires improvement",
    Outcome.INADEQUATE: "Inadequate",
    Outcome.NO_OVERALL_GRADE: "Graded since September 2024 (no overall grade)",
    Outcome.SAFEGUARDING_NOT_MET: "Report card: safeguarding not met",
    Outcome.URGENT_IMPROVEMENT: "Report card: an area needing urgent improvement",
    Outcome.NEEDS_ATTENTION: "Report card: an area needing attention",
    Outcome.EXPECTED_OR_BETTER: "Report card: every area expected standard or better",
    Outcome.NOT_YET_INSPECTED: NOT_YET_INSPECTED,
}


@dataclass(frozen=True)
class InspectionRecord:
    """One inspection's outcome as plain values (what the services read and the reports show)."""

    inspected_on: date
    kind: InspectionKind
    overall_grade: OverallGrade = OverallGrade.NONE
    safeguarding: Safeguarding = Safeguarding.NONE
    areas: tuple[tuple[str, AreaGrade], ...] = ()  # (column, grade) of the graded areas

    @property
    def gives_outcome(self) -> bool:
        return self.kind in (InspectionKind.GRADED, InspectionKind.REPORT_CARD)

    @property
    def outcome(self) -> Outcome | None:
        """The dashboard's category for this inspection, or None when it gives no outcome."""
        if self.kind is InspectionKind.REPORT_CARD:
            if self.safeguarding is Safeguarding.NOT_MET:
                return Outcome.SAFEGUARDING_NOT_MET
            graded = [g for _, g in self.areas if g is not AreaGrade.NONE]
            lowest = min(graded, key=lambda g: g.rank) if graded else AreaGrade.EXPECTED
            if lowest is AreaGrade.URGENT_IMPROVEMENT:
                return Outcome.URGENT_IMPROVEMENT
            if lowest is AreaGrade.NEEDS_ATTENTION:
                return Outcome.NEEDS_ATTENTION
            return Outcome.EXPECTED_OR_BETTER
        if self.kind is InspectionKind.GRADED:
            if self.overall_grade is OverallGrade.NONE:
                return Outcome.NO_OVERALL_GRADE
            return Outcome(self.overall_grade.value)
        return None

    @property
    def outcome_words(self) -> str:
        """The outcome as Ofsted published it, in one line."""
        if self.kind is InspectionKind.REPORT_CARD:
            parts = [f"Safeguarding {self.safeguarding.words.lower() or 'not recorded'}"]
            labels = dict(EVALUATION_AREAS)
            parts += [f"{labels[c]}: {g.words}" for c, g in self.areas if g is not AreaGrade.NONE]
            return "; ".join(parts)
        if self.kind is InspectionKind.GRADED:
            return self.overall_grade.words
        return f"{self.kind.words} (no new grade)"


def latest_outcome(inspections: list[InspectionRecord]) -> Outcome:
    """A school's outcome: that of its latest inspection giving one, else not yet inspected."""
    for inspection in sorted(inspections, key=lambda i: i.inspected_on, reverse=True):
        outcome = inspection.outcome
        if outcome is not None:
            return outcome
    return Outcome.NOT_YET_INSPECTED


def grade_from_gias(text: str) -> OverallGrade | None:
    """GIAS's "OfstedRating" words as a grade; None for words that are not a grade."""
    key = " ".join(text.lower().replace("-", " ").split())
    return {
        "outstanding": OverallGrade.OUTSTANDING,
        "good": OverallGrade.GOOD,
        "requires improvement": OverallGrade.REQUIRES_IMPROVEMENT,
        "satisfactory": OverallGrade.REQUIRES_IMPROVEMENT,  # the grade RI replaced in 2012
        "inadequate": OverallGrade.INADEQUATE,
        "serious weaknesses": OverallGrade.INADEQUATE,
        "special measures": OverallGrade.INADEQUATE,
    }.get(key)


def check_inspection(
    *,
    inspected_on: date | None,
    published_on: date | None,
    kind: InspectionKind,
    overall_grade: OverallGrade = OverallGrade.NONE,
    safeguarding: Safeguarding = Safeguarding.NONE,
    areas: dict[str, AreaGrade] | None = None,
    report_url: str = "",
    today: date,
) -> dict[str, str]:
    """What is wrong with an inspection as entered, field by field, in words ({} when right).

    The rules are Ofsted's own: one overall grade for a graded inspection until August 2024,
    report cards (safeguarding and graded areas) from 10 November 2025, nothing of either on
    an ungraded inspection or a monitoring visit.
    """
    errors: dict[str, str] = {}
    graded_areas = {c: g for c, g in (areas or {}).items() if g is not AreaGrade.NONE}
    if inspected_on is None:
        errors["inspected_on"] = "Give the date of the inspection"
    elif inspected_on > today:
        errors["inspected_on"] = "The inspection date cannot be in the future"
    if published_on is not None:
        if inspected_on is not None and published_on < inspected_on:
            errors["published_on"] = "The report is published on or after the inspection date"
        elif published_on > today:
            errors["published_on"] = "The publication date cannot be in the future"
    if overall_grade is not OverallGrade.NONE:
        if kind is not InspectionKind.GRADED:
            errors["overall_grade"] = f"A {kind.words.lower()} gives no overall grade"
        elif inspected_on is not None and inspected_on >= NO_OVERALL_GRADE_FROM:
            errors["overall_grade"] = "Ofsted stopped giving an overall grade from September 2024"
    if kind is InspectionKind.REPORT_CARD:
        if inspected_on is not None and inspected_on < REPORT_CARDS_FROM:
            errors["kind"] = "Report cards were given only from 10 November 2025"
        if safeguarding is Safeguarding.NONE:
            errors["safeguarding"] = "Say whether safeguarding was met or not met"
        if not graded_areas:
            errors["areas"] = "Give the grade of at least one evaluation area"
    else:
        if safeguarding is not Safeguarding.NONE:
            errors["safeguarding"] = "Safeguarding is judged separately only on a report card"
        if graded_areas:
            errors["areas"] = "Evaluation areas are graded only on a report card"
    url = report_url.strip()
    if url and not url.lower().startswith(("http://", "https://")):
        errors["report_url"] = "The report's address must start with http:// or https://"
    elif any(ch.isspace() for ch in url):
        errors["report_url"] = "The report's address cannot contain spaces"
    return errors
