"""The plain data the peer-review services take and give (no database objects leave them)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.peer_reviews import (
    Breach,
    ClosureKind,
    ClusterKind,
    PlannedReview,
    QaOutcome,
    ReviewStatus,
    ScheduleRules,
    Term,
    TermName,
)


def visit_label(starts_on: date | None, ends_on: date | None) -> str:
    """``04/11/2025``, ``04/11/2025 to 05/11/2025``, or "No date yet"."""
    if starts_on is None:
        return "No date yet"
    if ends_on is None or ends_on == starts_on:
        return f"{starts_on:%d/%m/%Y}"
    return f"{starts_on:%d/%m/%Y} to {ends_on:%d/%m/%Y}"


# -- clusters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterInput:
    name: str
    kind: ClusterKind | str
    school_ids: tuple[int, ...] = ()
    lead_contact_name: str = ""
    lead_contact_email: str = ""
    lead_contact_phone: str = ""
    lead_school_id: int | None = None
    notes: str = ""
    active: bool = True


@dataclass(frozen=True)
class ClusterMember:
    """A school of a cluster, with what clusters are proposed by."""

    school_id: int
    urn: int
    name: str
    phase: str
    trust: str
    diocese: str
    postcode: str = ""
    head_name: str = ""


@dataclass(frozen=True)
class ClusterDetail:
    id: int
    uuid: uuid.UUID
    version: int
    name: str
    kind: ClusterKind
    lead_contact_name: str
    lead_contact_email: str
    lead_contact_phone: str
    lead_school_id: int | None
    lead_school_name: str
    notes: str
    active: bool
    schools: tuple[ClusterMember, ...]
    reviews: int  # reviews of any cycle naming this cluster: then it is retired, not deleted

    @property
    def school_ids(self) -> tuple[int, ...]:
        return tuple(school.school_id for school in self.schools)

    @property
    def lead_label(self) -> str:
        """The lead contact as one line: "Jo Smith (Bow School)"."""
        if self.lead_contact_name and self.lead_school_name:
            return f"{self.lead_contact_name} ({self.lead_school_name})"
        return self.lead_contact_name or self.lead_school_name

    def as_input(self) -> ClusterInput:
        return ClusterInput(
            self.name,
            self.kind,
            self.school_ids,
            self.lead_contact_name,
            self.lead_contact_email,
            self.lead_contact_phone,
            self.lead_school_id,
            self.notes,
            self.active,
        )


@dataclass(frozen=True)
class ClusterProposal:
    """A cluster proposed from the register (by trust, phase or diocese), to edit and save.

    ``exists`` names the saved cluster of the same name, when there is one.
    """

    name: str
    kind: ClusterKind
    schools: tuple[ClusterMember, ...]
    exists: int | None = None

    @property
    def school_ids(self) -> tuple[int, ...]:
        return tuple(school.school_id for school in self.schools)

    def as_input(self) -> ClusterInput:
        return ClusterInput(self.name, self.kind, self.school_ids)


# -- calendar ---------------------------------------------------------------------------


@dataclass(frozen=True)
class YearTerms:
    """A year's terms; ``saved`` is False while they are only the proposed usual dates."""

    year: AcademicYear
    terms: tuple[Term, ...]
    saved: bool
    versions: dict[TermName, int] = field(default_factory=dict)

    def term(self, name: TermName) -> Term | None:
        return next((term for term in self.terms if term.name is name), None)


@dataclass(frozen=True)
class ClosureInput:
    """Closure days for one school: every weekday from ``first_day`` to ``last_day``."""

    school_id: int
    first_day: date
    last_day: date | None = None
    kind: ClosureKind | str = ClosureKind.INSET
    reason: str = ""


@dataclass(frozen=True)
class ClosureDetail:
    id: int
    version: int
    school_id: int
    school_name: str
    closed_on: date
    kind: ClosureKind
    reason: str


# -- cycles and reviews ---------------------------------------------------------------


@dataclass(frozen=True)
class CycleInput:
    academic_year: AcademicYear | str | int
    name: str = ""
    team_size: int | str = 2
    reviews_per_school: int | str = 2
    visit_days: int | str = 1
    avoid_same_trust: bool = True
    no_mutual_in_same_term: bool = True
    one_visit_per_week: bool = True
    terms: tuple[TermName, ...] = (TermName.AUTUMN, TermName.SPRING, TermName.SUMMER)
    seed: int | str = 0
    focus: str = ""
    notes: str = ""


@dataclass(frozen=True)
class CycleDetail:
    id: int
    uuid: uuid.UUID
    version: int
    year: AcademicYear
    name: str
    rules: ScheduleRules
    seed: int
    focus: str
    notes: str
    reviews: int
    by_status: dict[ReviewStatus, int]

    @property
    def title(self) -> str:
        """``Peer reviews 2025/26`` (or the cycle's own name)."""
        return self.name or f"Peer reviews {self.year.label}"

    def as_input(self) -> CycleInput:
        rules = self.rules
        return CycleInput(
            self.year,
            self.name,
            rules.team_size,
            rules.reviews_per_school,
            rules.visit_days,
            rules.avoid_same_trust,
            rules.no_mutual_in_same_term,
            rules.one_visit_per_week,
            rules.terms,
            self.seed,
            self.focus,
            self.notes,
        )


@dataclass(frozen=True)
class ReviewerInput:
    name: str
    school_id: int | None = None
    job_title: str = ""
    email: str = ""
    is_lead: bool = False


@dataclass(frozen=True)
class ReviewerDetail:
    id: int
    name: str
    school_id: int | None
    school_name: str
    job_title: str
    email: str
    is_lead: bool

    @property
    def label(self) -> str:
        """``Jo Smith, Head teacher, Bow School (lead)``."""
        parts = [self.name, self.job_title, self.school_name]
        text = ", ".join(part for part in parts if part)
        return f"{text} (lead)" if self.is_lead else text


@dataclass(frozen=True)
class ReviewInput:
    """A review as the editor holds it. ``team_school_ids`` in order; ``reviewers`` named."""

    cycle_id: int
    host_school_id: int
    cluster_id: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    team_school_ids: tuple[int, ...] = ()
    reviewers: tuple[ReviewerInput, ...] = ()
    focus: str = ""
    notes: str = ""


@dataclass(frozen=True)
class TeamSchool:
    school_id: int
    urn: int
    name: str
    email: str = ""
    head_name: str = ""


@dataclass(frozen=True)
class ReviewDetail:
    id: int
    uuid: uuid.UUID
    version: int
    cycle_id: int
    year: AcademicYear
    cluster_id: int | None
    cluster_name: str
    host_school_id: int
    host_urn: int
    host_name: str
    host_email: str
    host_head_name: str
    host_address: tuple[str, ...]
    starts_on: date | None
    ends_on: date | None
    status: ReviewStatus
    status_dates: dict[ReviewStatus, date]
    focus: str
    notes: str
    qa_outcome: QaOutcome | None
    qa_notes: str
    team: tuple[TeamSchool, ...]
    reviewers: tuple[ReviewerDetail, ...]

    @property
    def days(self) -> tuple[date, ...]:
        """Every day from the first to the last day of the visit."""
        if self.starts_on is None or self.ends_on is None:
            return ()
        count = (self.ends_on - self.starts_on).days + 1
        return tuple(self.starts_on + timedelta(days=n) for n in range(count))

    @property
    def visit_label(self) -> str:
        return visit_label(self.starts_on, self.ends_on)

    @property
    def lead(self) -> ReviewerDetail | None:
        return next((reviewer for reviewer in self.reviewers if reviewer.is_lead), None)

    @property
    def team_label(self) -> str:
        """The reviewing schools, lead's school first: "Bow School, Marner Primary"."""
        return ", ".join(school.name for school in self.team)

    @property
    def focus_areas(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.focus.splitlines() if line.strip())

    def as_planned(self) -> PlannedReview:
        lead = self.lead
        return PlannedReview(
            key=str(self.id),
            cluster_id=self.cluster_id if self.cluster_id is not None else 0,
            host_id=self.host_school_id,
            days=self.days,
            reviewer_ids=tuple(school.school_id for school in self.team),
            lead_school_id=lead.school_id if lead is not None else None,
        )

    def as_input(self) -> ReviewInput:
        return ReviewInput(
            self.cycle_id,
            self.host_school_id,
            self.cluster_id,
            self.starts_on,
            self.ends_on,
            tuple(school.school_id for school in self.team),
            tuple(
                ReviewerInput(r.name, r.school_id, r.job_title, r.email, r.is_lead)
                for r in self.reviewers
            ),
            self.focus,
            self.notes,
        )


@dataclass(frozen=True)
class ReviewFilter:
    cluster_id: int | None = None
    school_id: int | None = None  # hosting or reviewing
    statuses: tuple[ReviewStatus, ...] = ()
    search: str = ""


@dataclass(frozen=True)
class SchoolReviews:
    """One school's year: the review it hosts and the reviews it sends reviewers to."""

    school_id: int
    school_name: str
    hosting: tuple[ReviewDetail, ...]
    reviewing: tuple[ReviewDetail, ...]


@dataclass(frozen=True)
class SavedReview:
    """A review as saved, with the cycle's breaches that concern it (warnings, not refusals)."""

    review: ReviewDetail
    warnings: tuple[Breach, ...]


@dataclass(frozen=True)
class ScheduleProposal:
    """A schedule proposed for some clusters of a cycle: shown first, applied on request."""

    cycle_id: int
    year: AcademicYear
    cluster_ids: tuple[int, ...]
    seed: int
    reviews: tuple[PlannedReview, ...]
    school_names: dict[int, str]
    cluster_names: dict[int, str]
    breaches: tuple[Breach, ...]
    replaces: int  # proposed reviews of these clusters that applying it replaces

    def name(self, school_id: int | None) -> str:
        if school_id is None:
            return ""
        return self.school_names.get(school_id, f"school {school_id}")
