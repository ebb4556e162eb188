"""Peer review: clusters, terms, the rules of a cycle, and the plain shapes the scheduler and
the checker share (neither knows the database)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, timedelta


class ClusterKind(enum.StrEnum):
    GEOGRAPHICAL = "geographical"
    MAT = "mat"
    PHASE = "phase"
    CROSS_PHASE = "cross_phase"
    MAINSTREAM = "mainstream"
    SPECIAL = "special"
    NURSERY = "nursery"
    DIOCESE = "diocese"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _CLUSTER_LABELS[self]

    @classmethod
    def parse(cls, text: str) -> ClusterKind:
        """A kind from its value or its label, in any case; ValueError in words otherwise."""
        wanted = (text or "").strip().casefold()
        for kind in cls:
            if wanted in (kind.value, kind.label.casefold()):
                return kind
        choices = ", ".join(kind.label for kind in cls)
        raise ValueError(f"{text!r} is not a kind of cluster. Choose one of: {choices}.")


_CLUSTER_LABELS = {
    ClusterKind.GEOGRAPHICAL: "Geographical",
    ClusterKind.MAT: "Multi-academy trust",
    ClusterKind.PHASE: "Phase",
    ClusterKind.CROSS_PHASE: "Cross-phase",
    ClusterKind.MAINSTREAM: "Mainstream",
    ClusterKind.SPECIAL: "Special / alternative provision",
    ClusterKind.NURSERY: "Nursery",
    ClusterKind.DIOCESE: "Diocese",
    ClusterKind.OTHER: "Other",
}


class TermName(enum.StrEnum):
    AUTUMN = "autumn"
    SPRING = "spring"
    SUMMER = "summer"

    @property
    def label(self) -> str:
        return f"{self.value.capitalize()} term"

    @property
    def order(self) -> int:
        return list(TermName).index(self)


class ClosureKind(enum.StrEnum):
    INSET = "inset"
    OCCASIONAL = "occasional"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"inset": "INSET day", "occasional": "Occasional day", "other": "Closure"}[
            self.value
        ]


class ReviewStatus(enum.StrEnum):
    """Where a review has got to; each step is dated when it is reached."""

    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    REPORT_RECEIVED = "report_received"
    QUALITY_ASSURED = "quality_assured"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def order(self) -> int:
        return list(ReviewStatus).index(self)


class QaOutcome(enum.StrEnum):
    """What quality assurance found of a review's process and report."""

    CONSISTENT = "consistent"
    CONSISTENT_WITH_ADVICE = "consistent_with_advice"
    NOT_CONSISTENT = "not_consistent"

    @property
    def label(self) -> str:
        return {
            "consistent": "Consistent and fair",
            "consistent_with_advice": "Consistent, with advice for next time",
            "not_consistent": "Not consistent: to be reviewed again",
        }[self.value]


@dataclass(frozen=True)
class Term:
    """One term of an academic year, with its half-term break (both ends inclusive)."""

    name: TermName
    starts_on: date
    ends_on: date
    half_term_starts_on: date | None = None
    half_term_ends_on: date | None = None

    def in_half_term(self, day: date) -> bool:
        return (
            self.half_term_starts_on is not None
            and self.half_term_ends_on is not None
            and self.half_term_starts_on <= day <= self.half_term_ends_on
        )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.starts_on <= day <= self.ends_on


def term_problems(term: Term) -> dict[str, str]:
    """What is wrong with one term's dates, by field, in words (empty when nothing is)."""
    problems: dict[str, str] = {}
    if term.ends_on < term.starts_on:
        problems["ends_on"] = (
            f"The {term.name.label.lower()} ends on {term.ends_on:%d/%m/%Y}, before it starts "
            f"on {term.starts_on:%d/%m/%Y}."
        )
    half_start, half_end = term.half_term_starts_on, term.half_term_ends_on
    if (half_start is None) != (half_end is None):
        problems["half_term"] = "Give both the first and the last day of half term, or neither."
    elif half_start is not None and half_end is not None:
        if half_end < half_start:
            problems["half_term"] = (
                f"Half term ends on {half_end:%d/%m/%Y}, before it starts on {half_start:%d/%m/%Y}."
            )
        elif not (term.starts_on < half_start and half_end < term.ends_on):
            problems["half_term"] = (
                f"Half term ({half_start:%d/%m/%Y} to {half_end:%d/%m/%Y}) must fall inside the "
                f"term ({term.starts_on:%d/%m/%Y} to {term.ends_on:%d/%m/%Y})."
            )
    return problems


def overlapping_terms(terms: list[Term]) -> list[str]:
    """Each pair of terms whose dates overlap, in words; terms must also run in order."""
    found = []
    ordered = sorted(terms, key=lambda term: term.name.order)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.starts_on <= earlier.ends_on:
            found.append(
                f"The {later.name.label.lower()} starts on {later.starts_on:%d/%m/%Y}, before "
                f"the {earlier.name.label.lower()} ends on {earlier.ends_on:%d/%m/%Y}."
            )
    return found


def week_of(day: date) -> tuple[int, int]:
    """The ISO week a day falls in (Monday to Sunday), as (year, week)."""
    iso = day.isocalendar()
    return iso.year, iso.week


@dataclass(frozen=True)
class ScheduleRules:
    """The rules a cycle's schedule keeps; the cycle stores them, the tab edits them."""

    team_size: int = 2
    reviews_per_school: int = 2
    visit_days: int = 1
    avoid_same_trust: bool = True
    # Two schools may review each other within a cycle, but not both in the same term.
    no_mutual_in_same_term: bool = True
    one_visit_per_week: bool = True
    terms: tuple[TermName, ...] = (TermName.AUTUMN, TermName.SPRING, TermName.SUMMER)


@dataclass(frozen=True)
class SchoolInfo:
    """A school as the scheduler and the checker see it."""

    school_id: int
    name: str
    trust: str = ""
    closures: frozenset[date] = frozenset()


@dataclass(frozen=True)
class ClusterInfo:
    cluster_id: int
    name: str
    school_ids: tuple[int, ...]


@dataclass(frozen=True)
class PlannedReview:
    """One review in a schedule: the host, the visit's days and the reviewing schools.

    ``key`` names it for the checker's messages and for the tab (a review's database id, or
    a made-up key for a proposal not yet saved). ``lead_school_id`` is the school of the lead
    reviewer when one is named. Days may be empty: a review not yet given a date.
    """

    key: str
    cluster_id: int
    host_id: int
    days: tuple[date, ...] = ()
    reviewer_ids: tuple[int, ...] = ()
    lead_school_id: int | None = None


@dataclass(frozen=True)
class ScheduleProblem:
    """Everything a schedule for one cycle must respect.

    ``clusters`` are the clusters being scheduled; ``terms`` the year's terms (only those
    named in ``rules.terms`` take visits); ``busy`` the other reviews already in the cycle
    that the scheduled schools take part in (they count towards one visit a week).
    """

    clusters: tuple[ClusterInfo, ...]
    schools: dict[int, SchoolInfo]
    terms: tuple[Term, ...]
    bank_holidays: frozenset[date]
    rules: ScheduleRules = field(default_factory=ScheduleRules)
    busy: tuple[PlannedReview, ...] = ()

    def chosen_terms(self) -> tuple[Term, ...]:
        wanted = set(self.rules.terms)
        return tuple(
            sorted(
                (term for term in self.terms if term.name in wanted),
                key=lambda term: term.name.order,
            )
        )

    def term_of(self, day: date) -> Term | None:
        return next((term for term in self.terms if day in term), None)

    def why_not_a_visit_day(self, day: date, school_ids: tuple[int, ...] = ()) -> str | None:
        """Why ``day`` cannot take a visit by these schools, in words; None when it can."""
        if day.weekday() >= 5:
            return f"{day:%A %d/%m/%Y} is a weekend"
        if day in self.bank_holidays:
            return f"{day:%d/%m/%Y} is a bank holiday"
        term = self.term_of(day)
        if term is None:
            return f"{day:%d/%m/%Y} is not in term time"
        if term.name not in self.rules.terms:
            return f"{day:%d/%m/%Y} is in the {term.name.label.lower()}, not chosen for visits"
        if term.in_half_term(day):
            return f"{day:%d/%m/%Y} is in the {term.name.label.lower()}'s half term"
        for school_id in school_ids:
            school = self.schools.get(school_id)
            if school is not None and day in school.closures:
                return f"{school.name} is closed on {day:%d/%m/%Y}"
        return None

    def visit_days(self, school_ids: tuple[int, ...] = ()) -> list[date]:
        """Every day of the chosen terms a visit by these schools could take place on."""
        days = []
        for term in self.chosen_terms():
            day = term.starts_on
            while day <= term.ends_on:
                if self.why_not_a_visit_day(day, school_ids) is None:
                    days.append(day)
                day += timedelta(days=1)
        return days

    def school_name(self, school_id: int) -> str:
        school = self.schools.get(school_id)
        return school.name if school else f"school {school_id}"


class Rule(enum.StrEnum):
    """Each rule the checker applies, so a breach can be filtered and counted."""

    HOSTS_ONCE = "hosts_once"
    TEAM_SIZE = "team_size"
    REVIEWER_LOAD = "reviewer_load"
    OWN_SCHOOL = "own_school"
    SAME_TRUST = "same_trust"
    MUTUAL_SAME_TERM = "mutual_same_term"
    SCHOOL_DAY = "school_day"
    ONE_VISIT_A_WEEK = "one_visit_a_week"
    SPREAD_OVER_TERMS = "spread_over_terms"
    REVIEWER_IN_CLUSTER = "reviewer_in_cluster"
    VISIT_LENGTH = "visit_length"
    LEAD_IN_TEAM = "lead_in_team"

    @property
    def label(self) -> str:
        return _RULE_LABELS[self]


_RULE_LABELS = {
    Rule.HOSTS_ONCE: "Every school hosts one review",
    Rule.TEAM_SIZE: "Team size",
    Rule.REVIEWER_LOAD: "Fair share of reviewing",
    Rule.OWN_SCHOOL: "Nobody reviews their own school",
    Rule.SAME_TRUST: "Nobody reviews a school of their own trust",
    Rule.MUTUAL_SAME_TERM: "No two schools review each other in one term",
    Rule.SCHOOL_DAY: "Visits on school days in term",
    Rule.ONE_VISIT_A_WEEK: "One visit a week for each school",
    Rule.SPREAD_OVER_TERMS: "Visits spread across the terms",
    Rule.REVIEWER_IN_CLUSTER: "Reviewers come from the cluster",
    Rule.VISIT_LENGTH: "Length of the visit",
    Rule.LEAD_IN_TEAM: "The lead reviewer is in the team",
}


@dataclass(frozen=True)
class Breach:
    """One rule broken, in words, with the reviews and schools it concerns."""

    rule: Rule
    message: str
    review_keys: tuple[str, ...] = ()
    school_ids: tuple[int, ...] = ()


class NoScheduleError(Exception):
    """No schedule keeps every rule: ``reasons`` say which rule, for which schools."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons
