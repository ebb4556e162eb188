"""The demo's peer reviews: clusters, term dates, closures and two cycles, one part-way through."""

# What the demo shows: the borough's open schools in clusters (primaries and secondaries
# by area, the Greenway Academies Trust's schools as a MAT cluster, the special schools and
# alternative provision together, the nursery schools together; Bargehouse Learning Centre,
# a Greenway academy for alternative provision, is in two), each led by one of its heads;
# last year's and this year's term dates (the usual London pattern), a few INSET days and a
# polling-station closure; last year's cycle all quality-assured (without the nursery schools,
# whose cluster began this year); this year's cycle made by
# the scheduler and moved on by the date the demo is loaded: visits before today completed
# (most with the report received, some quality-assured), visits in the next six weeks
# confirmed, the rest proposed. "This year" is the academic year of the day of loading.

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.peer_reviews import (
    ClosureKind,
    ClusterInfo,
    ClusterKind,
    QaOutcome,
    ReviewStatus,
    ScheduleProblem,
)
from thep_desktop.domain.review_scheduler import make_schedule
from thep_desktop.domain.school_calendar import bank_holidays, default_terms
from thep_desktop.models import (
    Cluster,
    ClusterSchool,
    Review,
    ReviewCycle,
    School,
    SchoolClosure,
    SchoolStatus,
)
from thep_desktop.services.demo.demo_borough import GREENWAY
from thep_desktop.services.demo.demo_steps import StepProgress
from thep_desktop.services.peer_reviews.review_records import school_infos, stored_terms, term_row
from thep_desktop.services.peer_reviews.reviews_service import rules_of
from thep_desktop.services.peer_reviews.scheduling_service import add_planned_reviews
from thep_desktop.services.schools.school_data import head_name
from thep_desktop.services.shared.actor import Actor

# Geographical clusters have at most this many schools: an area with more is split.
MOST_IN_A_CLUSTER = 10
# Areas with fewer schools than this join the next area's cluster.
FEWEST_IN_A_CLUSTER = 5
# The postcode districts of the borough, the areas their clusters are named after, west to
# east; a district split into several clusters takes the next names.
AREAS = {
    "E1W": ("Wapping",),
    "E1": ("Whitechapel", "Stepney", "Shadwell"),
    "E2": ("Bethnal Green", "Globe Town"),
    "E3": ("Bow", "Bromley-by-Bow", "Mile End"),
    "E14": ("Poplar", "Isle of Dogs", "Limehouse"),
}
DISTRICT_ORDER = tuple(AREAS)
SECONDARY_PHASES = ("Secondary", "All-through", "16 plus")
# Visits this close ahead are confirmed; later ones are still proposed.
CONFIRMED_AHEAD = timedelta(days=42)
CYCLE_NOTES = (
    "Reviews within a trust are allowed this year, so that the Greenway Academies Trust "
    "cluster reviews its own schools as the trust asked."
)
CYCLE_FOCUS = "Early reading\nSEND provision"
FOCUS_AREAS = {
    "nursery": (
        "Early years: communication and language",
        "Outdoor learning",
        "Transition to reception",
        "Key person approach",
    ),
    "primary": (
        "Early reading and phonics",
        "Curriculum sequencing in foundation subjects",
        "SEND provision",
        "Attendance",
        "Early years",
        "Mathematics: fluency and reasoning",
        "Writing across the curriculum",
    ),
    "secondary": (
        "Curriculum sequencing in foundation subjects",
        "Attendance and persistent absence",
        "SEND provision",
        "Reading across the curriculum",
        "Disadvantaged pupils' progress",
        "Behaviour and attitudes",
    ),
    "special": (
        "SEND provision: outcomes of EHC plans",
        "Attendance and reintegration",
        "Communication and sensory needs",
        "Personal development and preparation for adulthood",
    ),
}
QA_OUTCOMES = (
    (QaOutcome.CONSISTENT, 14, ""),
    (
        QaOutcome.CONSISTENT_WITH_ADVICE,
        5,
        "Judgements were well evidenced; next time, check them against pupils' work and "
        "talk to pupils before writing the report.",
    ),
    (
        QaOutcome.NOT_CONSISTENT,
        1,
        "The report's findings on SEND provision go beyond what the visit saw: the lead "
        "reviewer and the host are to meet the partnership's adviser to agree them.",
    ),
)


@dataclass(frozen=True)
class _Plan:
    name: str
    kind: ClusterKind
    schools: tuple[School, ...]
    notes: str = ""


def reviews_step(
    session: Session, rng: random.Random, actor: Actor, progress: StepProgress
) -> None:
    """The demo's step: peer reviews as they stand on the day the demo is loaded."""
    add_peer_reviews(session, rng, actor, progress, date.today())


def add_peer_reviews(
    session: Session, rng: random.Random, actor: Actor, progress: StepProgress, today: date
) -> None:
    """Clusters, two years of term dates and closures, and their cycles as on ``today``."""
    audit = {"created_by": actor.name, "updated_by": actor.name}
    schools = list(
        session.scalars(
            select(School).where(School.status == SchoolStatus.OPEN).order_by(School.postcode)
        )
    )
    clusters = _add_clusters(session, schools, rng, audit)
    progress.report(1, 4, "Peer-review clusters")
    this_year = AcademicYear.of(today)
    for step, year in enumerate((this_year.previous(), this_year), start=2):
        _add_terms(session, year, audit)
        _add_closures(session, year, schools, rng, audit)
        session.flush()
        cycle = ReviewCycle(
            academic_year=year.start_year,
            avoid_same_trust=False,
            seed=rng.randrange(1000),
            focus=CYCLE_FOCUS,
            notes=CYCLE_NOTES,
            **audit,
        )
        session.add(cycle)
        session.flush()
        # The nursery schools' cluster began this year: last year's cycle is without it, so
        # the nursery schools have not hosted a review for two years until their visits.
        taking_part = [
            c for c in clusters if year == this_year or c.kind is not ClusterKind.NURSERY
        ]
        rows = _schedule(session, cycle, year, taking_part, actor)
        phases = {school.id: _phase_key(school) for school in schools}
        for row in rows:
            row.focus = "\n".join(_focus(rng, phases[row.host_school_id]))
            _move_on(row, year, today, rng)
        progress.report(step, 4, f"Peer reviews {year.label}")
    session.flush()
    progress.report(4, 4)


# -- clusters -----------------------------------------------------------------------------
def _add_clusters(
    session: Session, schools: Sequence[School], rng: random.Random, audit: dict[str, str]
) -> list[Cluster]:
    clusters = []
    for plan in _plans(schools):
        lead = rng.choice(plan.schools)
        domain = lead.email.partition("@")[2]
        cluster = Cluster(
            name=plan.name,
            kind=plan.kind,
            lead_contact_name=head_name(lead.head_title, lead.head_first_name, lead.head_last_name),
            lead_contact_email=f"head@{domain}" if domain else "",
            lead_contact_phone=lead.phone,
            lead_school_id=lead.id,
            notes=plan.notes,
            **audit,
        )
        cluster.members = [ClusterSchool(school_id=school.id, **audit) for school in plan.schools]
        session.add(cluster)
        clusters.append(cluster)
    session.flush()
    return clusters


def _plans(schools: Sequence[School]) -> list[_Plan]:
    """The clusters: by area for mainstream schools; the trust, special and nursery apart."""
    trust = tuple(s for s in schools if s.trust == GREENWAY)
    special = tuple(s for s in schools if s.phase == "Not applicable")
    nursery = tuple(s for s in schools if s.phase == "Nursery")
    taken = {s.id for s in (*trust, *special, *nursery)}
    primary = [s for s in schools if s.phase == "Primary" and s.id not in taken]
    secondary = [s for s in schools if s.phase in SECONDARY_PHASES and s.id not in taken]
    plans = _by_area(primary, "primary schools")
    # The secondaries are too few for a cluster in each area: two clusters, west and east.
    secondary.sort(key=lambda s: (_district_order(s), s.postcode))
    half = (len(secondary) + 1) // 2
    for name, part in (("West", secondary[:half]), ("East", secondary[half:])):
        plans.append(_Plan(f"{name} secondary schools", ClusterKind.GEOGRAPHICAL, tuple(part)))
    plans.append(
        _Plan(
            GREENWAY,
            ClusterKind.MAT,
            trust,
            "The trust's schools review each other; Bargehouse Learning Centre also reviews "
            "with the special schools and alternative provision.",
        )
    )
    plans.append(_Plan("Special schools and alternative provision", ClusterKind.SPECIAL, special))
    plans.append(_Plan("Nursery schools", ClusterKind.NURSERY, nursery))
    return [plan for plan in plans if len(plan.schools) >= 3]


def _district_order(school: School) -> int:
    district = school.postcode.split()[0] if school.postcode else ""
    return DISTRICT_ORDER.index(district) if district in AREAS else len(DISTRICT_ORDER)


def _by_area(schools: Sequence[School], what: str) -> list[_Plan]:
    """One cluster an area (postcode district); a big area split, a small one joined on."""
    by_district: dict[str, list[School]] = {district: [] for district in DISTRICT_ORDER}
    for school in schools:
        district = school.postcode.split()[0] if school.postcode else ""
        by_district.setdefault(district, []).append(school)
    groups: list[tuple[str, list[School]]] = []
    waiting: list[School] = []
    for district, members in by_district.items():
        members = waiting + members
        if len(members) < FEWEST_IN_A_CLUSTER:
            waiting = members
            continue
        waiting = []
        groups.append((district, members))
    if waiting and groups:
        groups[-1][1].extend(waiting)
    plans = []
    for district, members in groups:
        members.sort(key=lambda s: s.postcode)
        parts = -(-len(members) // MOST_IN_A_CLUSTER)
        size, extra = divmod(len(members), parts)
        names = AREAS.get(district, (district,))
        start = 0
        for part in range(parts):
            end = start + size + (1 if part < extra else 0)
            area = names[part] if part < len(names) else f"{names[0]} {part + 1}"
            plans.append(
                _Plan(f"{area} {what}", ClusterKind.GEOGRAPHICAL, tuple(members[start:end]))
            )
            start = end
    return plans


# -- the calendar -------------------------------------------------------------------------
def _add_terms(session: Session, year: AcademicYear, audit: dict[str, str]) -> None:
    session.add_all(term_row(year, term, audit["created_by"]) for term in default_terms(year))


def _add_closures(
    session: Session,
    year: AcademicYear,
    schools: Sequence[School],
    rng: random.Random,
    audit: dict[str, str],
) -> None:
    """INSET days for a few schools (the first day of a term, one day in spring), and one
    school closed for local elections as a polling station."""
    autumn, spring, summer = default_terms(year)
    holidays = bank_holidays(year.first_day, year.last_day)
    chosen = rng.sample(list(schools), 14)
    days: dict[tuple[int, date], tuple[ClosureKind, str]] = {}
    in_spring = [
        spring.starts_on + timedelta(days=n)
        for n in range((spring.ends_on - spring.starts_on).days + 1)
    ]
    spring_days = [
        day
        for day in in_spring
        if day.weekday() < 5 and not spring.in_half_term(day) and day not in holidays
    ]
    for school in chosen[:12]:
        term = rng.choice((autumn, spring, summer))
        days[(school.id, term.starts_on)] = (ClosureKind.INSET, "Staff training")
        days[(school.id, rng.choice(spring_days))] = (ClosureKind.INSET, "Staff training")
    # Local elections: the first Thursday in May.
    polling = date(year.start_year + 1, 5, 1)
    polling += timedelta(days=(3 - polling.weekday()) % 7)
    for school in chosen[12:]:
        days[(school.id, polling)] = (ClosureKind.OCCASIONAL, "Polling station")
    session.add_all(
        SchoolClosure(school_id=school_id, closed_on=day, kind=kind, reason=reason, **audit)
        for (school_id, day), (kind, reason) in sorted(days.items())
    )


# -- the cycles ---------------------------------------------------------------------------
def _schedule(
    session: Session,
    cycle: ReviewCycle,
    year: AcademicYear,
    clusters: Sequence[Cluster],
    actor: Actor,
) -> list[Review]:
    """The scheduler's cycle for every cluster, added as proposed on the July before."""
    infos = tuple(
        ClusterInfo(c.id, c.name, tuple(sorted(m.school_id for m in c.members))) for c in clusters
    )
    ids = {school_id for info in infos for school_id in info.school_ids}
    _, terms = stored_terms(session, year)
    problem = ScheduleProblem(
        clusters=infos,
        schools=school_infos(session, ids, year),
        terms=terms,
        bank_holidays=frozenset(bank_holidays(year.first_day, year.last_day)),
        rules=rules_of(cycle),
    )
    planned = make_schedule(problem, cycle.seed)
    return add_planned_reviews(session, cycle, planned, actor, _proposed_on(year))


def _proposed_on(year: AcademicYear) -> date:
    return year.first_day - timedelta(days=50)


def _phase_key(school: School) -> str:
    if school.phase == "Nursery":
        return "nursery"
    if school.phase == "Not applicable":
        return "special"
    return "secondary" if school.phase in SECONDARY_PHASES else "primary"


def _focus(rng: random.Random, phase: str) -> list[str]:
    areas = FOCUS_AREAS[phase]
    return rng.sample(areas, rng.choice((1, 2, 2, 2, 3)))


def _move_on(row: Review, year: AcademicYear, today: date, rng: random.Random) -> None:
    """The review's status as it would stand on ``today``, each step dated in order."""
    if row.starts_on is None or row.ends_on is None:
        return
    first, last = row.starts_on, row.ends_on
    proposed = row.proposed_on or _proposed_on(year)
    if first > today + CONFIRMED_AHEAD:
        return  # still proposed
    row.confirmed_on = min(today, max(proposed, first - timedelta(days=rng.randint(14, 42))))
    row.status = ReviewStatus.CONFIRMED
    if last >= today:
        return
    row.completed_on = last
    row.status = ReviewStatus.COMPLETED
    waited = (today - last).days
    past_year = today not in year
    if not past_year and (waited < 10 or rng.random() < 0.12):
        return  # the report is still to come
    row.report_received_on = last + timedelta(days=rng.randint(5, min(20, waited)))
    row.status = ReviewStatus.REPORT_RECEIVED
    since = (today - row.report_received_on).days
    # Last year's reports are all quality-assured; this year's once a fortnight has passed.
    if past_year or (since >= 14 and rng.random() < 0.55):
        days = rng.randint(min(7, since), min(28, since)) if since > 0 else 0
        row.quality_assured_on = row.report_received_on + timedelta(days=days)
        row.status = ReviewStatus.QUALITY_ASSURED
        weights = [weight for _, weight, _ in QA_OUTCOMES]
        outcome, _weight, notes = rng.choices(QA_OUTCOMES, weights)[0]
        row.qa_outcome = outcome
        row.qa_notes = notes
