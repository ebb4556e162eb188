"""The peer-review scheduler: a whole cycle for 120 schools in 12 clusters, then 600 in 60.

Pure Python, no database: the 2025/26 term dates in the London pattern the program proposes
(``school_calendar.default_terms``), England's bank holidays from the ``holidays`` package,
three terms chosen, clusters of 8 to 12 schools (a few schools in two clusters), about a
third of the schools in one of a dozen trusts (nobody reviews a school of their own trust),
every school with two INSET days and some with occasional days off, and the default rules
(teams of 2, each school reviewing 2, no mutual pair in one term, one visit a week).

Each run schedules every cluster with ``make_schedule`` from a different seed, and the
schedule must pass the checker (``check_schedule``), or the benchmark stops. Runs take turns
with the baseline: listing every school day of the chosen terms for every school of the
cycle (``ScheduleProblem.visit_days``), the least any scheduler must look at. The checker's
time on the very schedule made is shown too.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from benchmarks.harness import Figure, baseline

FULL_SIZES = ((120, 12, 2.0), (600, 60, 10.0))  # schools, clusters, target in seconds
QUICK_SIZES = ((120, 12, 2.0),)
FULL_REPEATS, QUICK_REPEATS = 5, 2
YEAR = 2025
TRUSTS = (
    "Mulberry Schools Trust",
    "Bow Academies",
    "Diocese of London Academy Trust",
    "Tower Hamlets Learning Trust",
    "East London Arts Trust",
    "Lansbury Lawrence Partnership",
    "Poplar Primaries Trust",
    "Thames Gateway Trust",
    "Isle of Dogs Learning Trust",
    "Stepney All Saints Trust",
    "Whitechapel Schools Trust",
    "River Lea Academies",
)


def make_problem(schools: int, clusters: int, seed: int = 25):  # type: ignore[no-untyped-def]
    """The cycle's problem: clusters of 8 to 12 (about schools / clusters each)."""
    from thep_desktop.domain.academic_years import AcademicYear
    from thep_desktop.domain.peer_reviews import ClusterInfo, ScheduleProblem, SchoolInfo
    from thep_desktop.domain.school_calendar import bank_holidays, default_terms

    rng = random.Random(seed)
    terms = default_terms(AcademicYear(YEAR))
    holidays = frozenset(bank_holidays(date(YEAR, 9, 1), date(YEAR + 1, 8, 31)))
    ids = list(range(1, schools + 1))
    # Sizes around the mean, adding up to the number of schools.
    mean = schools // clusters
    sizes = [mean] * clusters
    for index in range(0, clusters - 1, 2):
        step = rng.randint(0, 2)
        sizes[index] += step
        sizes[index + 1] -= step
    first, members = 0, []
    for size in sizes:
        members.append(ids[first : first + size])
        first += size
    # A few schools (one in twenty) also belong to the next cluster, as a faith school or
    # an all-through school may.
    for index in range(clusters):
        for school in rng.sample(members[index], max(1, len(members[index]) // 20)):
            following = members[(index + 1) % clusters]
            if school not in following and len(following) < 13:
                following.append(school)
    term_days = [
        terms[0].starts_on + timedelta(days=n)
        for n in range((terms[-1].ends_on - terms[0].starts_on).days + 1)
    ]
    info = {}
    for school in ids:
        # Two INSET days (the autumn term's first day for most) and, for one school in
        # three, two occasional days.
        closures = {terms[0].starts_on if rng.random() < 0.7 else rng.choice(term_days)}
        closures.add(rng.choice([term.starts_on for term in terms[1:]]))
        if rng.random() < 1 / 3:
            closures.update(rng.sample(term_days, 2))
        trust = rng.choice(TRUSTS) if rng.random() < 1 / 3 else ""
        info[school] = SchoolInfo(school, f"School {school}", trust, frozenset(closures))
    return ScheduleProblem(
        clusters=tuple(
            ClusterInfo(number, f"Cluster {number}", tuple(schools_in))
            for number, schools_in in enumerate(members, start=1)
        ),
        schools=info,
        terms=terms,
        bank_holidays=holidays,
    )


def every_school_day(problem) -> int:  # type: ignore[no-untyped-def]
    """The baseline: every school's own school days in the chosen terms, listed."""
    return sum(len(problem.visit_days((school,))) for school in problem.schools)


def run(quick: bool) -> list[Figure]:
    from thep_desktop.domain.review_checks import check_schedule
    from thep_desktop.domain.review_scheduler import make_schedule

    repeats = QUICK_REPEATS if quick else FULL_REPEATS
    figures: list[Figure] = []
    for schools, clusters, target in QUICK_SIZES if quick else FULL_SIZES:
        problem = make_problem(schools, clusters)
        make_schedule(problem, seed=0)  # warm-up: imports
        schedule_times: list[float] = []
        check_times: list[float] = []
        baseline_times: list[float] = []
        reviews = ()
        for attempt in range(repeats):
            started = time.perf_counter()
            reviews = make_schedule(problem, seed=attempt)
            schedule_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            breaches = check_schedule(problem, reviews)
            check_times.append(time.perf_counter() - started)
            if breaches:
                raise RuntimeError(f"the schedule breaks the rules: {breaches[:3]}")
            started = time.perf_counter()
            every_school_day(problem)
            baseline_times.append(time.perf_counter() - started)
        visits = len(reviews)
        in_clusters = sum(len(cluster.school_ids) for cluster in problem.clusters)
        group = (
            f"peer-review scheduler: {schools} schools in {clusters} clusters "
            f"({in_clusters} places in clusters), 2025/26, three terms, {repeats} runs in turn"
        )
        bare = baseline(group, "list every school's school days", baseline_times, "s")
        figures += [
            Figure(
                group,
                f"make_schedule: {visits} reviews, every rule kept",
                schedule_times,
                "s",
                baseline=bare,
                baseline_name="days",
                target=f"< {target:g} s",
                met=sorted(schedule_times)[len(schedule_times) // 2] < target,
            ),
            Figure(
                group,
                "check_schedule on the same schedule",
                check_times,
                "s",
                baseline=bare,
                baseline_name="days",
            ),
            bare,
        ]
    return figures
