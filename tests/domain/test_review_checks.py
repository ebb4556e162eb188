"""The peer-review checker: a fair schedule passes; each rule broken on purpose is named."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thep_desktop.domain.peer_reviews import (
    Breach,
    ClusterInfo,
    PlannedReview,
    Rule,
    ScheduleProblem,
    ScheduleRules,
    SchoolInfo,
    Term,
    TermName,
)
from thep_desktop.domain.review_checks import (
    breaches_for,
    breaches_for_school,
    check_schedule,
    summary,
)

TERMS = (
    Term(
        TermName.AUTUMN,
        date(2025, 9, 3),
        date(2025, 12, 19),
        date(2025, 10, 27),
        date(2025, 10, 31),
    ),
    Term(
        TermName.SPRING, date(2026, 1, 5), date(2026, 3, 27), date(2026, 2, 16), date(2026, 2, 20)
    ),
    Term(
        TermName.SUMMER, date(2026, 4, 13), date(2026, 7, 21), date(2026, 5, 25), date(2026, 5, 29)
    ),
)
BANK_HOLIDAYS = frozenset(
    {
        date(2025, 12, 25),
        date(2025, 12, 26),
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
    }
)
NAMES = {
    1: "Bow School",
    2: "Marner Primary",
    3: "Olga Primary",
    4: "Bonner Primary",
    5: "Stebon Primary",
    6: "Smithy Street School",
}
TRUSTS = {1: "Tower Trust", 4: "Tower  trust"}  # the same trust, typed differently
OUTSIDER = 7  # a school the office knows that is not in the cluster

# Each review on a Tuesday of its own week: R1 and R2 in the autumn, R3 and R4 in the spring,
# R5 and R6 in the summer.
TUESDAYS = {
    1: date(2025, 9, 16),
    2: date(2025, 11, 11),
    3: date(2026, 1, 20),
    4: date(2026, 3, 10),
    5: date(2026, 4, 28),
    6: date(2026, 6, 16),
}


def make_problem(rules: ScheduleRules | None = None, offset: int = 0, clusters: int = 1):
    """``clusters`` clusters of six schools (ids from ``offset`` + 1), as Bow Primaries."""
    schools = {
        OUTSIDER: SchoolInfo(OUTSIDER, "Stepney Green School"),
    }
    found = []
    for number in range(clusters):
        base = offset + 6 * number
        for school_id, name in NAMES.items():
            label = name if number == 0 else f"{name} {number}"
            trust = TRUSTS.get(school_id, "")
            schools[base + school_id] = SchoolInfo(
                base + school_id, label, f"{trust} {number}" if trust and number else trust
            )
        found.append(
            ClusterInfo(
                number + 1,
                "Bow Primaries" if number == 0 else f"Bow Primaries {number}",
                tuple(base + school_id for school_id in NAMES),
            )
        )
    return ScheduleProblem(
        clusters=tuple(found),
        schools=schools,
        terms=TERMS,
        bank_holidays=BANK_HOLIDAYS,
        rules=rules or ScheduleRules(),
    )


def make_schedule(visit_days: int = 1, clusters: int = 1, offset: int = 0) -> list[PlannedReview]:
    """A fair schedule by hand: host h is reviewed by h+1 and h+2 (a circulant: no mutual
    pairs, no two schools of Tower Trust meet), each visit in a week of its own."""
    reviews = []
    for number in range(clusters):
        base = offset + 6 * number
        for host in NAMES:
            team = tuple(base + (host + step - 1) % 6 + 1 for step in (1, 2))
            first = TUESDAYS[host]
            reviews.append(
                PlannedReview(
                    key=f"{number + 1}:{base + host}",
                    cluster_id=number + 1,
                    host_id=base + host,
                    days=tuple(first + timedelta(days=n) for n in range(visit_days)),
                    reviewer_ids=team,
                    lead_school_id=team[0],
                )
            )
    return reviews


def edit(reviews: list[PlannedReview], host: int, **changes) -> list[PlannedReview]:
    """The schedule with the review at ``host`` changed as a user would in the tab."""
    return [
        dataclasses.replace(review, **changes) if review.host_id == host else review
        for review in reviews
    ]


def on(day: date) -> dict:
    return {"days": (day,)}


def test_a_fair_schedule_has_no_breaches() -> None:
    breaches = check_schedule(make_problem(), make_schedule())
    assert breaches == []
    assert summary(breaches) == "No breaches."


def test_a_fair_schedule_of_two_day_visits_has_no_breaches() -> None:
    problem = make_problem(ScheduleRules(visit_days=2))
    assert check_schedule(problem, make_schedule(visit_days=2)) == []


Breaking = Callable[[list[PlannedReview]], list[PlannedReview]]

# Each case: how the schedule is broken, the rule it breaks, the words said and the schools
# named (by id) in each breach of that rule.
CASES: list[tuple[str, Breaking, Rule, list[tuple[str, tuple[int, ...]]]]] = [
    (
        "a review moved to a school already hosting",
        lambda r: edit(r, 1, host_id=5),
        Rule.HOSTS_ONCE,
        [
            ("Bow School has no review in the cluster Bow Primaries.", (1,)),
            (
                "Stebon Primary hosts 2 reviews in the cluster Bow Primaries; each school hosts "
                "one.",
                (5,),
            ),
        ],
    ),
    (
        "a review hosted by a school outside the cluster",
        lambda r: edit(r, 1, host_id=OUTSIDER),
        Rule.HOSTS_ONCE,
        [
            ("Bow School has no review in the cluster Bow Primaries.", (1,)),
            (
                "Stepney Green School hosts a review in the cluster Bow Primaries but is not one "
                "of its schools.",
                (OUTSIDER,),
            ),
        ],
    ),
    (
        "a reviewer moved from one team to another",
        lambda r: edit(edit(r, 1, reviewer_ids=(2,), lead_school_id=2), 5, reviewer_ids=(6, 1, 3)),
        Rule.TEAM_SIZE,
        [
            ("The review at Bow School has 1 reviewer school; teams have 2.", (1, 2)),
            ("The review at Stebon Primary has 3 reviewer schools; teams have 2.", (5, 6, 1, 3)),
        ],
    ),
    (
        "a reviewer swapped for one who already reviews enough",
        lambda r: edit(r, 1, reviewer_ids=(2, 5)),
        Rule.REVIEWER_LOAD,
        [
            (
                "Stebon Primary reviews 3 schools in Bow Primaries and Olga Primary 1; the load "
                "should differ by at most one (2 each).",
                (5, 3),
            )
        ],
    ),
    (
        "a host put in its own team",
        lambda r: edit(edit(r, 1, reviewer_ids=(1, 3), lead_school_id=3), 5, reviewer_ids=(6, 2)),
        Rule.OWN_SCHOOL,
        [("Bow School is down to review itself.", (1,))],
    ),
    (
        "two reviewers swapped so a school reviews one of its own trust",
        lambda r: edit(
            edit(r, 1, reviewer_ids=(4, 3), lead_school_id=4),
            3,
            reviewer_ids=(2, 5),
            lead_school_id=2,
        ),
        Rule.SAME_TRUST,
        [("Bonner Primary reviews Bow School, a school of its own trust (Tower Trust).", (4, 1))],
    ),
    (
        "two schools made to review each other in the autumn",
        lambda r: edit(
            edit(r, 2, reviewer_ids=(3, 1), lead_school_id=3),
            6,
            reviewer_ids=(4, 2),
            lead_school_id=4,
        ),
        Rule.MUTUAL_SAME_TERM,
        [("Bow School and Marner Primary review each other in the autumn term.", (1, 2))],
    ),
    (
        "a visit on a bank holiday",
        lambda r: edit(r, 1, **on(date(2025, 12, 26))),
        Rule.SCHOOL_DAY,
        [
            (
                "The visit to Bow School on 26/12/2025 is not a school day: 26/12/2025 is a bank "
                "holiday.",
                (1,),
            )
        ],
    ),
    (
        "a visit on a Saturday",
        lambda r: edit(r, 1, **on(date(2025, 9, 20))),
        Rule.SCHOOL_DAY,
        [
            (
                "The visit to Bow School on 20/09/2025 is not a school day: Saturday 20/09/2025 is "
                "a weekend.",
                (1,),
            )
        ],
    ),
    (
        "a visit in half term",
        lambda r: edit(r, 1, **on(date(2025, 10, 28))),
        Rule.SCHOOL_DAY,
        [
            (
                "The visit to Bow School on 28/10/2025 is not a school day: 28/10/2025 is in the "
                "autumn term's half term.",
                (1,),
            )
        ],
    ),
    (
        "a visit in the holidays",
        lambda r: edit(r, 1, **on(date(2025, 8, 27))),
        Rule.SCHOOL_DAY,
        [
            (
                "The visit to Bow School on 27/08/2025 is not a school day: 27/08/2025 is not in "
                "term time.",
                (1,),
            )
        ],
    ),
    (
        "two visits in one week for two schools",
        lambda r: edit(r, 2, **on(date(2025, 9, 18))),
        Rule.ONE_VISIT_A_WEEK,
        [
            (
                "Marner Primary has 2 visits in the week of 15/09/2025 (Bow School on 16/09/2025, "
                "hosting on 18/09/2025).",
                (2,),
            ),
            (
                "Olga Primary has 2 visits in the week of 15/09/2025 (Bow School on 16/09/2025, "
                "Marner Primary on 18/09/2025).",
                (3,),
            ),
        ],
    ),
    (
        "a summer visit moved to the autumn",
        lambda r: edit(r, 5, **on(date(2025, 12, 2))),
        Rule.SPREAD_OVER_TERMS,
        [
            (
                "The cluster Bow Primaries has 3 visits in the autumn term, 2 in the spring term "
                "and 1 in the summer term; they should be spread (2 in each).",
                (),
            )
        ],
    ),
    (
        "a visit given two days",
        lambda r: edit(r, 1, days=(date(2025, 9, 16), date(2025, 9, 17))),
        Rule.VISIT_LENGTH,
        [("The visit to Bow School lasts 2 days; visits last 1 day.", (1,))],
    ),
    (
        "a lead reviewer from a school outside the team",
        lambda r: edit(r, 1, lead_school_id=5),
        Rule.LEAD_IN_TEAM,
        [
            (
                "The lead reviewer for the review at Bow School comes from Stebon Primary, which "
                "is not in the team.",
                (1, 5),
            )
        ],
    ),
]


@pytest.mark.parametrize(
    ("breaking", "rule", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_rule_broken_on_purpose_is_named_and_nothing_else(
    breaking: Breaking, rule: Rule, expected: list[tuple[str, tuple[int, ...]]]
) -> None:
    breaches = check_schedule(make_problem(), breaking(make_schedule()))
    assert [(b.rule, b.message, b.school_ids) for b in breaches] == [
        (rule, message, school_ids) for message, school_ids in expected
    ]


def test_every_rule_has_a_case_that_breaks_it() -> None:
    covered = {case[2] for case in CASES} | {Rule.REVIEWER_IN_CLUSTER}
    assert covered == set(Rule)


def test_a_reviewer_from_outside_the_cluster_is_named_and_leaves_a_place_unfilled() -> None:
    """Replacing a member by an outsider necessarily leaves that member a review short."""
    reviews = edit(make_schedule(), 1, reviewer_ids=(2, OUTSIDER))
    breaches = check_schedule(make_problem(), reviews)
    assert [(b.rule, b.message) for b in breaches] == [
        (
            Rule.REVIEWER_LOAD,
            "Olga Primary reviews 1 school in Bow Primaries; each school reviews 2.",
        ),
        (
            Rule.REVIEWER_IN_CLUSTER,
            "Stepney Green School reviews Bow School in the cluster Bow Primaries but is not "
            "one of its schools.",
        ),
    ]
    assert breaches[1].review_keys == ("1:1",)


def test_a_closure_of_a_reviewer_school_rules_out_the_day() -> None:
    problem = make_problem()
    schools = dict(problem.schools)
    schools[3] = dataclasses.replace(schools[3], closures=frozenset({date(2025, 9, 16)}))
    breaches = check_schedule(dataclasses.replace(problem, schools=schools), make_schedule())
    assert [(b.rule, b.message, b.review_keys) for b in breaches] == [
        (
            Rule.SCHOOL_DAY,
            "The visit to Bow School on 16/09/2025 is not a school day: Olga Primary is closed "
            "on 16/09/2025.",
            ("1:1",),
        )
    ]


def test_a_visit_in_a_term_not_chosen_breaks_the_day_rule() -> None:
    rules = ScheduleRules(terms=(TermName.AUTUMN, TermName.SPRING))
    reviews = edit(edit(make_schedule(), 5, **on(date(2025, 12, 2))), 6, **on(date(2026, 2, 3)))
    breaches = check_schedule(make_problem(rules), reviews)
    assert breaches == []
    breaches = check_schedule(make_problem(rules), make_schedule())
    assert [(b.rule, b.message) for b in breaches] == [
        (
            Rule.SCHOOL_DAY,
            "The visit to Smithy Street School on 16/06/2026 is not a school day: 16/06/2026 is "
            "in the summer term, not chosen for visits.",
        ),
        (
            Rule.SCHOOL_DAY,
            "The visit to Stebon Primary on 28/04/2026 is not a school day: 28/04/2026 is in the "
            "summer term, not chosen for visits.",
        ),
    ]


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (
            (date(2025, 9, 16), date(2025, 9, 18)),
            "The visit to Bow School (16/09/2025 and 18/09/2025) is not on consecutive school "
            "days.",
        ),
        (
            (date(2025, 9, 19), date(2025, 9, 22)),
            "The visit to Bow School (19/09/2025 and 22/09/2025) runs into another week; a "
            "visit's days fall in one week.",
        ),
        ((date(2025, 9, 16),), "The visit to Bow School lasts 1 day; visits last 2 days."),
    ],
)
def test_a_visit_of_several_days_runs_on_consecutive_school_days_in_one_week(
    days: tuple[date, ...], words: str
) -> None:
    problem = make_problem(ScheduleRules(visit_days=2))
    breaches = check_schedule(problem, edit(make_schedule(visit_days=2), 1, days=days))
    assert [(b.rule, b.message) for b in breaches] == [(Rule.VISIT_LENGTH, words)]


def test_days_either_side_of_a_closure_are_consecutive_school_days() -> None:
    problem = make_problem(ScheduleRules(visit_days=2))
    schools = dict(problem.schools)
    schools[1] = dataclasses.replace(schools[1], closures=frozenset({date(2025, 9, 17)}))
    problem = dataclasses.replace(problem, schools=schools)
    reviews = edit(make_schedule(visit_days=2), 1, days=(date(2025, 9, 16), date(2025, 9, 18)))
    assert check_schedule(problem, reviews) == []


@pytest.mark.parametrize(
    ("switch", "case"),
    [
        ("avoid_same_trust", "two reviewers swapped so a school reviews one of its own trust"),
        ("no_mutual_in_same_term", "two schools made to review each other in the autumn"),
        ("one_visit_per_week", "two visits in one week for two schools"),
    ],
)
def test_a_rule_switched_off_is_not_checked(switch: str, case: str) -> None:
    breaking = next(found[1] for found in CASES if found[0] == case)
    reviews = breaking(make_schedule())
    assert check_schedule(make_problem(), reviews) != []
    assert check_schedule(make_problem(ScheduleRules(**{switch: False})), reviews) == []


def test_a_busy_review_elsewhere_counts_towards_the_week_only() -> None:
    """A review of another cluster that Marner Primary takes part in, the same week as one
    of ours: one breach here; the busy review's own faults (one reviewer) are not checked."""
    busy = PlannedReview("9:8", 9, host_id=OUTSIDER, days=(date(2025, 9, 17),), reviewer_ids=(2,))
    problem = dataclasses.replace(make_problem(), busy=(busy,))
    breaches = check_schedule(problem, make_schedule())
    assert [(b.rule, b.message, b.review_keys) for b in breaches] == [
        (
            Rule.ONE_VISIT_A_WEEK,
            "Marner Primary has 2 visits in the week of 15/09/2025 (Bow School on 16/09/2025, "
            "Stepney Green School on 17/09/2025).",
            ("1:1",),
        )
    ]


def test_two_busy_reviews_in_one_week_are_not_this_schedules_breach() -> None:
    busy = tuple(
        PlannedReview(f"9:{n}", 9, host_id=OUTSIDER, days=(day,), reviewer_ids=(2,))
        for n, day in enumerate((date(2025, 10, 7), date(2025, 10, 8)))
    )
    assert check_schedule(dataclasses.replace(make_problem(), busy=busy), make_schedule()) == []


def test_a_busy_review_that_is_also_in_the_schedule_is_counted_once() -> None:
    reviews = make_schedule()
    problem = dataclasses.replace(make_problem(), busy=(reviews[0],))
    assert check_schedule(problem, reviews) == []


def test_an_incomplete_schedule_gives_breaches_not_exceptions() -> None:
    reviews = edit(make_schedule(), 1, days=(), reviewer_ids=(), lead_school_id=None)
    reviews = edit(reviews, 2, host_id=999)
    reviews.append(PlannedReview("x", cluster_id=42, host_id=3))
    breaches = check_schedule(make_problem(), reviews)
    said = [(b.rule, b.message) for b in breaches]
    assert said == [
        (Rule.HOSTS_ONCE, "Marner Primary has no review in the cluster Bow Primaries."),
        (
            Rule.HOSTS_ONCE,
            "The review at Olga Primary belongs to a cluster (number 42) that is not part of "
            "this schedule.",
        ),
        (
            Rule.HOSTS_ONCE,
            "Unknown school number 999 hosts a review in the cluster Bow Primaries but is not "
            "one of its schools.",
        ),
        (Rule.TEAM_SIZE, "The review at Bow School has 0 reviewer schools; teams have 2."),
        (Rule.TEAM_SIZE, "The review at Olga Primary has 0 reviewer schools; teams have 2."),
        (
            Rule.REVIEWER_LOAD,
            "Marner Primary reviews 1 school in Bow Primaries and Olga Primary 1; each school "
            "reviews 2.",
        ),
        (Rule.SCHOOL_DAY, "The review at Bow School has no date yet."),
        (Rule.SCHOOL_DAY, "The review at Olga Primary has no date yet."),
    ]


def test_a_duplicated_reviewer_is_named() -> None:
    breaches = check_schedule(make_problem(), edit(make_schedule(), 1, reviewer_ids=(2, 2)))
    assert [(b.rule, b.message) for b in breaches][:2] == [
        (Rule.TEAM_SIZE, "The review at Bow School has 1 reviewer school; teams have 2."),
        (
            Rule.TEAM_SIZE,
            "Marner Primary is named 2 times in the team for the review at Bow School; each "
            "reviewer school is named once.",
        ),
    ]


def test_warnings_for_one_review_and_one_school_and_the_summary() -> None:
    reviews = edit(edit(make_schedule(), 1, lead_school_id=5), 2, **on(date(2025, 9, 18)))
    breaches = check_schedule(make_problem(), reviews)
    assert [b.rule for b in breaches_for("1:1", breaches)] == [
        Rule.ONE_VISIT_A_WEEK,
        Rule.ONE_VISIT_A_WEEK,
        Rule.LEAD_IN_TEAM,
    ]
    assert [b.rule for b in breaches_for("1:4", breaches)] == []
    assert [b.message for b in breaches_for_school(5, breaches)] == [
        "The lead reviewer for the review at Bow School comes from Stebon Primary, which is not "
        "in the team."
    ]
    assert summary(breaches) == (
        "3 breaches of 2 rules: One visit a week for each school (2); The lead reviewer is in "
        "the team (1)."
    )
    assert summary(breaches[-1:]) == "1 breach of 1 rule: The lead reviewer is in the team (1)."


def test_breaches_come_in_rule_order_then_by_school() -> None:
    reviews = edit(make_schedule(), 6, lead_school_id=3, **on(date(2025, 12, 26)))
    reviews = edit(reviews, 2, lead_school_id=5)
    breaches = check_schedule(make_problem(), reviews)
    assert [(b.rule, b.school_ids[0]) for b in breaches] == [
        (Rule.SCHOOL_DAY, 6),
        (Rule.LEAD_IN_TEAM, 2),
        (Rule.LEAD_IN_TEAM, 6),
    ]


def test_six_hundred_schools_are_checked_and_one_fault_found() -> None:
    """100 clusters of 6; indexes by cluster, school and week keep this linear."""
    problem = make_problem(clusters=100, offset=1000)
    reviews = make_schedule(clusters=100, offset=1000)
    assert len(reviews) == 600
    assert check_schedule(problem, reviews) == []
    broken = edit(reviews, 1000 + 6 * 57 + 1, lead_school_id=1000 + 6 * 57 + 5)
    breaches = check_schedule(problem, broken)
    assert [(b.rule, b.review_keys) for b in breaches] == [(Rule.LEAD_IN_TEAM, ("58:1343",))]


def test_breach_is_plain_data() -> None:
    breach = Breach(Rule.OWN_SCHOOL, "Bow School is down to review itself.", ("1:1",), (1,))
    assert breaches_for("1:1", [breach]) == [breach]


# A naive reference: each rule written the plainest way, pair against pair, to judge the
# indexed checker on random schedules (hand edits of every kind, most of them broken).


def _is_school_day(problem: ScheduleProblem, day: date, schools: set[int]) -> bool:
    if day.weekday() >= 5 or day in problem.bank_holidays:
        return False
    for term in problem.terms:
        if term.starts_on <= day <= term.ends_on:
            if term.name not in problem.rules.terms:
                return False
            if term.half_term_starts_on and term.half_term_starts_on <= day <= (
                term.half_term_ends_on or day
            ):
                return False
            return not any(
                day in problem.schools[s].closures for s in schools if s in problem.schools
            )
    return False


def _term(problem: ScheduleProblem, review: PlannedReview) -> TermName | None:
    if not review.days:
        return None
    first = min(review.days)
    return next((t.name for t in problem.terms if t.starts_on <= first <= t.ends_on), None)


def reference_rules_broken(problem: ScheduleProblem, reviews: list[PlannedReview]) -> set[Rule]:
    rules, broken = problem.rules, set()
    members = {c.cluster_id: set(c.school_ids) for c in problem.clusters}
    trust = {s: " ".join(i.trust.split()).casefold() for s, i in problem.schools.items()}
    for review in reviews:
        team = review.reviewer_ids
        if review.cluster_id not in members or review.host_id not in members[review.cluster_id]:
            broken.add(Rule.HOSTS_ONCE)
        if len(set(team)) != rules.team_size or len(set(team)) != len(team):
            broken.add(Rule.TEAM_SIZE)
        if review.host_id in team:
            broken.add(Rule.OWN_SCHOOL)
        for s in team:
            if s == review.host_id:
                continue
            if (
                rules.avoid_same_trust
                and trust.get(review.host_id)
                and (trust.get(s) == trust.get(review.host_id))
            ):
                broken.add(Rule.SAME_TRUST)
            if review.cluster_id in members and s not in members[review.cluster_id]:
                broken.add(Rule.REVIEWER_IN_CLUSTER)
        if review.lead_school_id is not None and review.lead_school_id not in team:
            broken.add(Rule.LEAD_IN_TEAM)
        taking_part = {review.host_id, *team}
        days = sorted(set(review.days))
        if not days or not all(_is_school_day(problem, d, taking_part) for d in days):
            broken.add(Rule.SCHOOL_DAY)
        if days and (
            len(days) != rules.visit_days
            or len({d.isocalendar()[:2] for d in days}) > 1
            or any(
                _is_school_day(problem, days[0] + timedelta(n), taking_part)
                and days[0] + timedelta(n) not in days
                for n in range((days[-1] - days[0]).days)
            )
        ):
            broken.add(Rule.VISIT_LENGTH)
        for other in reviews:
            if (
                rules.no_mutual_in_same_term
                and _term(problem, review) is not None
                and _term(problem, review) == _term(problem, other)
                and other.host_id in team
                and review.host_id in other.reviewer_ids
                and other.host_id != review.host_id
            ):
                broken.add(Rule.MUTUAL_SAME_TERM)
    for cluster in problem.clusters:
        mine = [r for r in reviews if r.cluster_id == cluster.cluster_id]
        for s in cluster.school_ids:
            if sum(r.host_id == s for r in mine) != 1:
                broken.add(Rule.HOSTS_ONCE)
            if sum(s in r.reviewer_ids for r in mine) != rules.reviews_per_school:
                broken.add(Rule.REVIEWER_LOAD)
        chosen = [
            t for t in TermName if t in rules.terms and any(x.name == t for x in problem.terms)
        ]
        counts = [sum(_term(problem, r) == t for r in mine) for t in chosen]
        if len(chosen) > 1 and max(counts) - min(counts) > 1:
            broken.add(Rule.SPREAD_OVER_TERMS)
    if rules.one_visit_per_week:
        everyone = reviews + [b for b in problem.busy if b.key not in {r.key for r in reviews}]
        for a in reviews:
            for b in everyone:
                if a is b:
                    continue
                shared = {a.host_id, *a.reviewer_ids} & {b.host_id, *b.reviewer_ids}
                weeks_a = {d.isocalendar()[:2] for d in a.days}
                if shared and weeks_a & {d.isocalendar()[:2] for d in b.days}:
                    broken.add(Rule.ONE_VISIT_A_WEEK)
    return broken


@st.composite
def hand_edited_schedules(draw: st.DrawFn) -> tuple[ScheduleProblem, list[PlannedReview]]:
    """A fair-looking circulant schedule on random school days, then a few random hand edits
    (another host, team, day, length or lead; a review dropped or added), as in the tab."""
    size = draw(st.integers(3, 8))
    trust_names = st.sampled_from(["", "", "", "Tower Trust", "Bow  trust", "bow trust"])
    trusts = draw(st.lists(trust_names, min_size=size + 1, max_size=size + 1))
    year_days = [date(2025, 9, 1) + timedelta(days=n) for n in range(330)]
    schools = {
        s: SchoolInfo(
            s,
            f"School {s}",
            trusts[s - 1],
            frozenset(draw(st.lists(st.sampled_from(year_days), max_size=3))),
        )
        for s in range(1, size + 2)  # the last school is outside the cluster
    }
    team_size = draw(st.integers(1, min(3, size - 1)))
    rules = ScheduleRules(
        team_size=team_size,
        reviews_per_school=draw(st.sampled_from([team_size, team_size, team_size, 1, 2, 3])),
        visit_days=draw(st.integers(1, 2)),
        avoid_same_trust=draw(st.booleans()),
        no_mutual_in_same_term=draw(st.booleans()),
        one_visit_per_week=draw(st.booleans()),
        terms=tuple(
            draw(st.lists(st.sampled_from(list(TermName)), min_size=1, max_size=3, unique=True))
        ),
    )
    cluster = ClusterInfo(1, "Bow Primaries", tuple(range(1, size + 1)))
    problem = ScheduleProblem((cluster,), schools, TERMS, BANK_HOLIDAYS, rules)
    open_days = problem.visit_days() or year_days

    def visit(first: date, length: int) -> tuple[date, ...]:
        return tuple(first + timedelta(days=n) for n in range(length))

    reviews = []
    for host in cluster.school_ids:
        team = tuple((host + step - 1) % size + 1 for step in range(1, team_size + 1))
        first = draw(st.sampled_from(open_days))
        reviews.append(
            PlannedReview(f"r{host}", 1, host, visit(first, rules.visit_days), team, team[0])
        )
    ids = st.integers(1, size + 1)
    for n in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["host", "team", "day", "length", "lead", "drop", "add"]))
        if kind == "add" or not reviews:
            reviews.append(
                PlannedReview(
                    f"x{n}",
                    draw(st.sampled_from([1, 1, 2])),
                    draw(ids),
                    visit(draw(st.sampled_from(year_days)), draw(st.integers(0, 2))),
                    tuple(draw(st.lists(ids, max_size=4))),
                    draw(st.none() | ids),
                )
            )
            continue
        at = draw(st.integers(0, len(reviews) - 1))
        old = reviews[at]
        if kind == "drop":
            del reviews[at]
            continue
        if kind == "host":
            changes: dict = {"host_id": draw(ids)}
        elif kind == "team":
            changes = {"reviewer_ids": tuple(draw(st.lists(ids, max_size=4)))}
        elif kind == "day":
            changes = {"days": visit(draw(st.sampled_from(year_days)), len(old.days))}
        elif kind == "length":
            first = min(old.days, default=draw(st.sampled_from(open_days)))
            changes = {"days": visit(first, draw(st.integers(0, 3)))}
        else:
            changes = {"lead_school_id": draw(st.none() | ids)}
        reviews[at] = dataclasses.replace(old, **changes)
    busy = tuple(
        PlannedReview(
            f"b{n}", 9, draw(ids), visit(draw(st.sampled_from(open_days)), 1), (draw(ids),)
        )
        for n in range(draw(st.integers(0, 2)))
    )
    return dataclasses.replace(problem, busy=busy), reviews


@settings(max_examples=300, deadline=None)
@given(hand_edited_schedules())
def test_the_checker_agrees_with_a_naive_reading_of_every_rule(
    drawn: tuple[ScheduleProblem, list[PlannedReview]],
) -> None:
    problem, reviews = drawn
    breaches = check_schedule(problem, reviews)
    assert {b.rule for b in breaches} == reference_rules_broken(problem, reviews)
    assert all(b.message.endswith(".") and b.message[0].isupper() for b in breaches)
    assert all(set(b.review_keys) <= {r.key for r in reviews} for b in breaches)
