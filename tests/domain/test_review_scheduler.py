"""The peer-review scheduler: every schedule keeps every rule; no schedule is explained in words."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, timedelta

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thep_desktop.domain.peer_reviews import (
    ClusterInfo,
    NoScheduleError,
    PlannedReview,
    ScheduleProblem,
    ScheduleRules,
    SchoolInfo,
    Term,
    TermName,
    week_of,
)
from thep_desktop.domain.review_scheduler import make_schedule, reasons_impossible

# Realistic English school years -------------------------------------------------------------


def monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def english_terms(first_year: int, shift: int = 0) -> tuple[Term, ...]:
    """The year's three terms as English schools keep them: a week's half term in each.

    Autumn from the first Wednesday of September to the Friday before Christmas week, half
    term the last full week of October; spring from the first Monday after New Year to the
    end of March, half term mid-February; summer from mid-April to about 22 July, half term
    the Spring bank holiday week. ``shift`` moves starts by a few days, as boroughs differ.
    """
    autumn_start = date(first_year, 9, 1)
    autumn_start += timedelta(days=(2 - autumn_start.weekday()) % 7 + shift)
    october_half = monday_on_or_after(date(first_year, 10, 24))
    christmas = monday_on_or_after(date(first_year, 12, 17)) - timedelta(days=3)
    spring_start = monday_on_or_after(date(first_year + 1, 1, 3)) + timedelta(days=shift % 3)
    february_half = monday_on_or_after(date(first_year + 1, 2, 12))
    spring_end = monday_on_or_after(date(first_year + 1, 3, 23)) + timedelta(days=4)
    summer_start = monday_on_or_after(date(first_year + 1, 4, 13))
    may_half = monday_on_or_after(date(first_year + 1, 5, 25))
    summer_end = date(first_year + 1, 7, 21) + timedelta(days=shift % 2)
    return (
        Term(
            TermName.AUTUMN,
            autumn_start,
            christmas,
            october_half,
            october_half + timedelta(days=4),
        ),
        Term(
            TermName.SPRING,
            spring_start,
            spring_end,
            february_half,
            february_half + timedelta(days=4),
        ),
        Term(
            TermName.SUMMER,
            summer_start,
            summer_end,
            may_half,
            may_half + timedelta(days=4),
        ),
    )


def bank_holidays(first_year: int) -> frozenset[date]:
    """England's bank holidays over the academic year, from the ``holidays`` package."""
    found = holidays.country_holidays("GB", subdiv="ENG", years=[first_year, first_year + 1])
    return frozenset(found)


def problem_of(
    clusters: dict[str, list[int]],
    trusts: dict[int, str] | None = None,
    closures: dict[int, set[date]] | None = None,
    rules: ScheduleRules | None = None,
    first_year: int = 2025,
    terms: tuple[Term, ...] | None = None,
    busy: tuple = (),
) -> ScheduleProblem:
    """A problem from cluster names and their schools' numbers ("School 3" and so on)."""
    trusts = trusts or {}
    closures = closures or {}
    ids = sorted({school for schools in clusters.values() for school in schools})
    return ScheduleProblem(
        clusters=tuple(
            ClusterInfo(number, name, tuple(schools))
            for number, (name, schools) in enumerate(clusters.items(), start=1)
        ),
        schools={
            school: SchoolInfo(
                school,
                f"School {school}",
                trusts.get(school, ""),
                frozenset(closures.get(school, ())),
            )
            for school in ids
        },
        terms=terms or english_terms(first_year),
        bank_holidays=bank_holidays(first_year),
        rules=rules or ScheduleRules(),
        busy=busy,
    )


# Every rule, checked here independently of the scheduler -----------------------------------


def rules_broken(problem: ScheduleProblem, reviews: tuple[PlannedReview, ...]) -> list[str]:
    """Each rule the schedule breaks, in a few words (empty when it keeps them all)."""
    rules = problem.rules
    broken = []
    by_cluster = defaultdict(list)
    for review in reviews:
        by_cluster[review.cluster_id].append(review)
        team = review.reviewer_ids
        if len(set(team)) != rules.team_size or len(team) != rules.team_size:
            broken.append(f"team size at {review.key}")
        if review.host_id in team:
            broken.append(f"own school at {review.key}")
        if review.lead_school_id not in team:
            broken.append(f"lead outside the team at {review.key}")
        host_trust = problem.schools[review.host_id].trust
        if rules.avoid_same_trust and host_trust:
            if any(problem.schools[s].trust == host_trust for s in team):
                broken.append(f"same trust at {review.key}")
        if len(review.days) != rules.visit_days or len({week_of(d) for d in review.days}) != 1:
            broken.append(f"visit length at {review.key}")
        for day in review.days:
            if problem.why_not_a_visit_day(day, (review.host_id, *team)) is not None:
                broken.append(f"not a school day at {review.key}")
    for cluster in problem.clusters:
        held = by_cluster[cluster.cluster_id]
        members = set(cluster.school_ids)
        if Counter(review.host_id for review in held) != Counter(members):
            broken.append(f"hosts in {cluster.name}")
        if any(not set(review.reviewer_ids) <= members for review in held):
            broken.append(f"reviewer from outside {cluster.name}")
        load = Counter(s for review in held for s in review.reviewer_ids)
        if any(load[s] != rules.reviews_per_school for s in members):
            broken.append(f"reviewer load in {cluster.name}")
        terms = Counter(problem.term_of(review.days[0]).name for review in held)
        counts = [terms[term.name] for term in problem.chosen_terms()]
        if max(counts) - min(counts) > 1:
            broken.append(f"terms spread in {cluster.name}")
    if rules.no_mutual_in_same_term:
        visits = {
            (s, review.host_id, problem.term_of(review.days[0]).name)
            for review in reviews
            for s in review.reviewer_ids
        }
        if any((host, s, term) in visits for s, host, term in visits):
            broken.append("mutual pair in one term")
    if rules.one_visit_per_week:
        taken = {
            (s, week_of(day))
            for review in problem.busy
            for day in review.days
            for s in (review.host_id, *review.reviewer_ids)
        }
        weeks = Counter(
            (s, week_of(review.days[0]))
            for review in reviews
            for s in (review.host_id, *review.reviewer_ids)
        )
        if any(times > 1 or key in taken for key, times in weeks.items()):
            broken.append("more than one visit a week")
    return broken


# Random clusters: every schedule keeps every rule ---------------------------------------------

TRUSTS = ["", "", "", "Mulberry Trust", "Bow Academies", "Diocese of London Trust"]


@st.composite
def problems(draw: st.DrawFn) -> ScheduleProblem:
    """1 to 3 clusters of 3 to 12 schools, some in two clusters, with trusts, INSET days and
    other closures, in a realistic year; the rules vary as a cycle's settings may."""
    first_year = draw(st.sampled_from([2024, 2025, 2026]))
    terms = english_terms(first_year, shift=draw(st.integers(0, 4)))
    sizes = draw(st.lists(st.integers(3, 12), min_size=1, max_size=3))
    clusters: dict[str, list[int]] = {}
    next_id = 1
    for number, size in enumerate(sizes, start=1):
        schools = list(range(next_id, next_id + size))
        next_id += size
        if clusters and draw(st.booleans()):
            # Some schools of an earlier cluster belong to this one too.
            earlier = sorted({s for members in clusters.values() for s in members})
            shared = draw(st.lists(st.sampled_from(earlier), max_size=3, unique=True))
            schools = schools[: size - len(shared)] + shared
        clusters[f"Cluster {number}"] = schools
    ids = sorted({s for members in clusters.values() for s in members})
    trusts = {s: draw(st.sampled_from(TRUSTS)) for s in ids}
    year_days = (terms[-1].ends_on - terms[0].starts_on).days
    closures: dict[int, set[date]] = {}
    for school in ids:
        days = set(
            draw(
                st.lists(
                    st.integers(0, year_days).map(lambda n: terms[0].starts_on + timedelta(n)),
                    max_size=6,
                )
            )
        )
        if draw(st.booleans()):  # INSET days: the first day of a term or two
            days |= {term.starts_on for term in terms if draw(st.booleans())}
        closures[school] = days
    team = draw(st.sampled_from([2, 2, 2, 1, 3]))
    chosen = draw(st.lists(st.sampled_from(list(TermName)), min_size=1, max_size=3, unique=True))
    rules = ScheduleRules(
        team_size=team,
        reviews_per_school=team,
        visit_days=draw(st.sampled_from([1, 1, 1, 2, 3])),
        avoid_same_trust=draw(st.booleans()),
        no_mutual_in_same_term=draw(st.booleans()),
        one_visit_per_week=draw(st.sampled_from([True, True, True, False])),
        terms=tuple(sorted(chosen, key=lambda name: name.order)),
    )
    problem = problem_of(clusters, trusts, closures, rules, first_year, terms)
    if draw(st.booleans()):
        # Reviews already in the cycle (another cluster's) keep some schools busy.
        busy_days = draw(st.lists(st.sampled_from(problem.visit_days(())), min_size=1, max_size=5))
        busy = tuple(
            PlannedReview(f"busy:{n}", 99, 900 + n, (day,), (draw(st.sampled_from(ids)),))
            for n, day in enumerate(busy_days)
        )
        problem = replace(problem, busy=busy)
    return problem


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.integers(0, 1000))
def test_every_schedule_keeps_every_rule_or_a_stated_condition_fails(
    problem: ScheduleProblem, seed: int
) -> None:
    try:
        reviews = make_schedule(problem, seed)
    except NoScheduleError as refused:
        # Refused only for a stated necessary condition, and the reasons name the clusters
        # or schools concerned.
        stated = reasons_impossible(problem)
        assert stated, refused.reasons
        assert refused.reasons == stated
        names = [c.name for c in problem.clusters] + [s.name for s in problem.schools.values()]
        assert all(any(name in reason for name in names) for reason in stated), stated
        return
    assert rules_broken(problem, reviews) == []
    assert len(reviews) == sum(len(set(c.school_ids)) for c in problem.clusters)
