"""The peer-review scheduler: a whole cycle for one or more clusters, or why there is none."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from thep_desktop.domain.peer_reviews import (
    ClusterInfo,
    NoScheduleError,
    PlannedReview,
    ScheduleProblem,
    TermName,
    week_of,
)
from thep_desktop.domain.review_teams import design_teams, flow_design, lead_schools, trust_key

# Fresh starts (new teams, terms and dates from the same seeded generator) before the
# scheduler gives up, and the steps each search may take: together they bound the time a
# schedule can take, whatever the problem.
ATTEMPTS = 8
TERM_STEPS = 20_000
DAY_STEPS, DAY_STEPS_PER_VISIT = 2_000, 3
# Monday to Friday: a visit's days fall in one week.
SCHOOL_DAYS_A_WEEK = 5

Week = tuple[int, int]


def make_schedule(problem: ScheduleProblem, seed: int = 0) -> tuple[PlannedReview, ...]:
    """A review for every school of every cluster in ``problem``, keeping every rule.

    The same problem and seed give the same schedule. Raises NoScheduleError with the reasons
    in words when a rule makes a schedule impossible, or when the bounded search finds none.
    """
    reasons = reasons_impossible(problem)
    if reasons:
        raise NoScheduleError(reasons)
    if not problem.clusters:
        return ()
    rng = random.Random(seed)
    calendar = _Calendar(problem)
    stuck: _Stuck | None = None
    for _attempt in range(ATTEMPTS):
        try:
            visits = _design(problem, rng)
            _choose_terms(problem, visits, calendar, rng)
            _choose_days(problem, visits, calendar, rng)
        except _Stuck as failed:
            stuck = failed
            continue
        return tuple(
            sorted(
                (visit.planned() for visit in visits),
                key=lambda review: (review.days, review.cluster_id, review.host_id),
            )
        )
    assert stuck is not None
    raise NoScheduleError([str(stuck)])


def reasons_impossible(problem: ScheduleProblem) -> list[str]:
    """Quick checks of conditions every schedule needs; each one failing, in words.

    An empty list does not promise a schedule (``make_schedule`` searches for one), but each
    reason given is a certain obstacle: the cluster, the schools and the figures concerned.
    """
    reasons = _rule_reasons(problem)
    if reasons:
        return reasons
    calendar = _Calendar(problem)
    for cluster in problem.clusters:
        reasons.extend(_cluster_reasons(problem, cluster, calendar))
    reasons.extend(_week_reasons(problem, calendar))
    return reasons


# The calendar --------------------------------------------------------------------------------


class _Calendar:
    """The chosen terms' visit days by week, and each school's closures, looked up once."""

    def __init__(self, problem: ScheduleProblem) -> None:
        self.weeks: dict[TermName, list[Week]] = {}
        self.days: dict[tuple[TermName, Week], list[date]] = defaultdict(list)
        for day in problem.visit_days(()):
            term = problem.term_of(day)
            assert term is not None  # visit_days only gives days in the chosen terms
            self.days[(term.name, week_of(day))].append(day)
        for term in problem.chosen_terms():
            self.weeks[term.name] = sorted(week for name, week in self.days if name == term.name)
        self.closures = {
            school_id: school.closures for school_id, school in problem.schools.items()
        }

    def runs(
        self, term: TermName, week: Week, school_ids: Iterable[int], length: int
    ) -> list[tuple[date, ...]]:
        """Each run of ``length`` days in a row in the week when these schools are all open."""
        shut = [self.closures.get(school_id, frozenset()) for school_id in school_ids]
        open_days = [
            day for day in self.days.get((term, week), ()) if not any(day in s for s in shut)
        ]
        # Days in a row: a review is stored as its first and last day, every day between
        # being a visit day, so a run never steps over a closure or a bank holiday.
        return [
            tuple(open_days[start : start + length])
            for start in range(len(open_days) - length + 1)
            if (open_days[start + length - 1] - open_days[start]).days == length - 1
        ]

    def open_weeks(self, school_ids: Iterable[int], length: int) -> dict[TermName, list[Week]]:
        """By chosen term, the weeks these schools have a visit's run of days in."""
        ids = tuple(school_ids)
        return {
            term: [week for week in weeks if self.runs(term, week, ids, length)]
            for term, weeks in self.weeks.items()
        }


def _busy(problem: ScheduleProblem, by_week: bool = True) -> dict[int, set[object]]:
    """Each school's weeks (or days) already taken by a review in ``problem.busy``."""
    taken: dict[int, set[object]] = defaultdict(set)
    for review in problem.busy:
        for school_id in (review.host_id, *review.reviewer_ids):
            taken[school_id].update(week_of(day) if by_week else day for day in review.days)
    return taken


# Why no schedule exists ------------------------------------------------------------------------


def _members(cluster: ClusterInfo) -> list[int]:
    return sorted(dict.fromkeys(cluster.school_ids))


def _may_review(problem: ScheduleProblem, reviewer: int, host: int) -> bool:
    if reviewer == host:
        return False
    if not problem.rules.avoid_same_trust:
        return True
    host_trust = _trust(problem, host)
    return not host_trust or _trust(problem, reviewer) != host_trust


def _allowed(problem: ScheduleProblem, members: list[int]) -> Callable[[int, int], bool]:
    """``_may_review`` for one cluster's schools, worked out once (the searches ask it often)."""
    pairs = {(s, h) for s in members for h in members if _may_review(problem, s, h)}
    return lambda reviewer, host: (reviewer, host) in pairs


def _trust(problem: ScheduleProblem, school_id: int) -> str:
    school = problem.schools.get(school_id)
    return trust_key(school.trust) if school else ""


def _trust_label(problem: ScheduleProblem, school_id: int) -> str:
    school = problem.schools.get(school_id)
    return " ".join(school.trust.split()) if school else ""


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else (many or one + 's')}"


def _names(names: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _rule_reasons(problem: ScheduleProblem) -> list[str]:
    """The rules themselves, before any cluster is looked at."""
    rules = problem.rules
    reasons = []
    if rules.team_size < 1:
        reasons.append(
            f"Each review needs at least 1 reviewer school; the team size is {rules.team_size}."
        )
    if rules.reviews_per_school < 1:
        reasons.append(
            "Each school must review at least 1 other school; the number of reviews per school "
            f"is {rules.reviews_per_school}."
        )
    if rules.visit_days < 1:
        reasons.append(f"A visit lasts at least 1 day; the visit length is {rules.visit_days}.")
    elif rules.visit_days > SCHOOL_DAYS_A_WEEK:
        reasons.append(
            f"A visit of {rules.visit_days} days cannot fall in one week of school days "
            f"(Monday to Friday); make visits {SCHOOL_DAYS_A_WEEK} days or shorter."
        )
    if not rules.terms:
        reasons.append("No term is chosen for visits; choose at least one term.")
    elif not problem.chosen_terms():
        chosen = _names([name.label.lower() for name in rules.terms])
        reasons.append(
            f"The year has no dates for the chosen terms ({chosen}); enter the term dates first."
        )
    if reasons:
        return reasons
    if rules.team_size != rules.reviews_per_school:
        for cluster in problem.clusters:
            n = len(_members(cluster))
            reasons.append(
                f"In the cluster {cluster.name}, {_count(n, 'host')} with "
                f"{_count(rules.team_size, 'reviewer school')} each make "
                f"{n * rules.team_size} places on teams, but {_count(n, 'school')} reviewing "
                f"{rules.reviews_per_school} each fill {n * rules.reviews_per_school}: the team "
                "size and the number of reviews per school must be the same."
            )
    return reasons


def _cluster_reasons(
    problem: ScheduleProblem, cluster: ClusterInfo, calendar: _Calendar
) -> list[str]:
    rules = problem.rules
    members = _members(cluster)
    n, team = len(members), rules.team_size
    if n < team + 1:
        return [
            f"The cluster {cluster.name} has {_count(n, 'school')}: it cannot give each host "
            f"{_count(team, 'reviewer school')} from the cluster."
        ]
    reasons = []
    name = problem.school_name
    if rules.avoid_same_trust:
        for host in members:
            others = [s for s in members if _may_review(problem, s, host)]
            if len(others) < team:
                reasons.append(
                    f"{name(host)} has only {_count(len(others), 'school')} outside its trust "
                    f"({_trust_label(problem, host)}) in the cluster {cluster.name} to review "
                    f"it; each review needs {team}."
                )
        by_trust: dict[str, list[int]] = defaultdict(list)
        for school_id in members:
            if _trust(problem, school_id):
                by_trust[_trust(problem, school_id)].append(school_id)
        for schools in by_trust.values():
            k = len(schools)
            if k * team > (n - k) * rules.reviews_per_school and len(schools) > 1:
                outside = (
                    "the one other school reviews"
                    if n - k == 1
                    else f"the other {n - k} schools review"
                )
                reasons.append(
                    f"The trust {_trust_label(problem, schools[0])} has {k} of the "
                    f"{n} schools in the cluster {cluster.name} "
                    f"({_names([name(s) for s in schools])}): their {k} reviews need "
                    f"{k * team} places on teams from schools outside the trust, but "
                    f"{outside} only {(n - k) * rules.reviews_per_school} times."
                )
        if not reasons and (
            flow_design(members, team, _allowed(problem, members), random.Random(0)) is None
        ):
            reasons.append(
                f"In the cluster {cluster.name} the trusts leave no way to give every host "
                f"{_count(team, 'reviewer school')} from outside its trust with each school "
                f"reviewing {rules.reviews_per_school}; allow reviews within a trust or change "
                "the cluster."
            )
    if reasons:
        return reasons
    terms = problem.chosen_terms()
    if rules.no_mutual_in_same_term:
        forced = _forced_mutual_pairs(problem, members, team)
        separable = _pairs_in_different_terms(n, len(terms))
        if forced > separable:
            chosen = _names([term.name.label.lower() for term in terms])
            reasons.append(
                f"In the cluster {cluster.name} ({_count(n, 'school')}, teams of {team}) at "
                f"least {_count(forced, 'pair')} of schools must review each other, and with "
                f"only the {chosen} chosen their visits cannot all fall in different terms: "
                "choose more terms, allow schools to review each other in one term, or make "
                "the cluster larger."
            )
        elif len(terms) == 1 and _mutual_unavoidable(problem, members, team):
            reasons.append(
                f"In the cluster {cluster.name} ({_count(n, 'school')}, teams of {team}) the "
                "trusts leave no way to avoid some pairs of schools reviewing each other, and "
                f"with only the {terms[0].name.label.lower()} chosen they would do so in the "
                "same term: choose more terms, allow schools to review each other in one term, "
                "or allow reviews within a trust."
            )
    reasons.extend(_term_room_reasons(problem, cluster, members, calendar))
    return reasons


def _forced_mutual_pairs(problem: ScheduleProblem, members: list[int], team: int) -> int:
    """The fewest pairs of schools that must review each other in any design of the cluster.

    A school gives ``team`` reviews and takes ``team`` reviewers, all among the schools it may
    pair with: with d of them, at least 2 x team - d are both; and the cluster's n x team
    visits cannot all use different pairs when fewer pairs are allowed.
    """
    allowed_pairs = 0
    short = 0
    for school in members:
        partners = sum(
            1
            for other in members
            if _may_review(problem, school, other) and _may_review(problem, other, school)
        )
        allowed_pairs += partners
        short += max(0, 2 * team - partners)
    allowed_pairs //= 2
    return max(len(members) * team - allowed_pairs, (short + 1) // 2, 0)


def _mutual_unavoidable(problem: ScheduleProblem, members: list[int], team: int) -> bool:
    """Whether every design of the cluster has two schools reviewing each other.

    A design without such pairs gives each school 2 x team distinct partners (those it
    reviews and those reviewing it). Pairs a school must use (it has no others) and cannot
    use (its partners are all taken) are settled in turn; then each trust's schools, who may
    only pair outside the trust, must find enough partners there.
    """
    wanted = 2 * team
    may = _allowed(problem, members)
    taken: dict[int, set[int]] = {school: set() for school in members}
    open_to: dict[int, set[int]] = {
        school: {other for other in members if may(school, other) and may(other, school)}
        for school in members
    }
    settled = False
    while not settled:
        settled = True
        for school in members:
            have, could = len(taken[school]), len(open_to[school])
            if have > wanted or have + could < wanted:
                return True
            if could and have == wanted:
                for other in open_to.pop(school):
                    open_to[other].discard(school)
                open_to[school] = set()
                settled = False
            elif could and have + could == wanted:
                for other in open_to[school]:
                    taken[school].add(other)
                    taken[other].add(school)
                    open_to[other].discard(school)
                open_to[school] = set()
                settled = False
    by_trust: dict[str, set[int]] = defaultdict(set)
    for school in members:
        if _trust(problem, school) and problem.rules.avoid_same_trust:
            by_trust[_trust(problem, school)].add(school)
    for group in by_trust.values():
        short = sum(wanted - len(taken[school]) for school in group)
        offered = sum(
            min(wanted - len(taken[other]), len(open_to[other] & group))
            for other in members
            if other not in group
        )
        if short > offered:
            return True
    return False


def _pairs_in_different_terms(visits: int, terms: int) -> int:
    """The most pairs of visits that can fall in different terms when spread evenly."""
    low, high = divmod(visits, terms)
    sizes = [low + 1] * high + [low] * (terms - high)
    return visits * (visits - 1) // 2 - sum(size * (size - 1) // 2 for size in sizes)


def _term_room_reasons(
    problem: ScheduleProblem, cluster: ClusterInfo, members: list[int], calendar: _Calendar
) -> list[str]:
    """Whether each chosen term has room for its share of the cluster's visits.

    Each visit takes the host and its team for a week, so at most n // (team + 1) of the
    cluster's visits share a week; with one visit a week off, they share a day instead.
    """
    rules = problem.rules
    terms = problem.chosen_terms()
    n = len(members)
    together = n // (rules.team_size + 1)
    low, high = divmod(n, len(terms))
    room = {}
    for term in terms:
        if rules.one_visit_per_week:
            slots = sum(
                1
                for week in calendar.weeks[term.name]
                if calendar.runs(term.name, week, (), rules.visit_days)
            )
        else:
            slots = sum(
                len(calendar.days[(term.name, week)]) // rules.visit_days
                for week in calendar.weeks[term.name]
            )
        room[term.name] = slots * together
    fair = f"{low}" if high == 0 else f"{low} or {low + 1}"
    short = [term for term in terms if room[term.name] < low]
    roomy = [term for term in terms if room[term.name] >= low + 1]
    if not short and len(roomy) >= high:
        return []
    unit = "week" if rules.one_visit_per_week else "day"
    tight = short or [term for term in terms if room[term.name] < low + 1]
    said = _names(
        [f"the {term.name.label.lower()} has room for {room[term.name]}" for term in tight]
    )
    return [
        f"In the cluster {cluster.name}, {n} visits spread over "
        f"{_count(len(terms), 'term')} need {fair} in each, but {said} (at most {together} of "
        f"the cluster's visits a {unit}, as each takes {rules.team_size + 1} of its "
        f"{n} schools, on days with {_count(rules.visit_days, 'school day')} free in a week): "
        "choose more terms, check the term dates, or allow more than one visit a week."
    ]


def _week_reasons(problem: ScheduleProblem, calendar: _Calendar) -> list[str]:
    """Whether each school has a free week for each of its visits across every cluster."""
    rules = problem.rules
    if not rules.one_visit_per_week:
        return []
    needed: dict[int, list[ClusterInfo]] = defaultdict(list)
    for cluster in problem.clusters:
        for school_id in _members(cluster):
            needed[school_id].append(cluster)
    busy = _busy(problem)
    reasons = []
    for school_id in sorted(needed, key=problem.school_name):
        clusters = needed[school_id]
        visits = len(clusters) * (1 + rules.reviews_per_school)
        weeks = {
            week
            for term_weeks in calendar.open_weeks((school_id,), rules.visit_days).values()
            for week in term_weeks
        } - busy.get(school_id, set())
        if visits > len(weeks):
            where = _names([cluster.name for cluster in clusters])
            free = f"only {_count(len(weeks), 'free week')}" if weeks else "no free week"
            reasons.append(
                f"{problem.school_name(school_id)} takes part in {visits} visits (hosting one "
                f"and reviewing {rules.reviews_per_school} in the "
                f"{'cluster' if len(clusters) == 1 else 'clusters'} {where}) but has {free} "
                "of school days in the chosen terms, and takes part in one visit a week: "
                "choose more terms, check its closures, or allow more than one visit a week."
            )
    return reasons


# The search ----------------------------------------------------------------------------------


class _Stuck(Exception):
    """The bounded search found no way on; the message says where and what to relax."""


@dataclass
class _Visit:
    cluster: ClusterInfo
    host: int
    team: tuple[int, ...]
    designed_for: TermName | None = None  # the term the team design was made for
    term: TermName | None = None
    days: tuple[date, ...] = ()
    apart_from: set[int] = field(default_factory=set)  # visits that must be in another term

    @property
    def schools(self) -> tuple[int, ...]:
        return (self.host, *self.team)

    def planned(self) -> PlannedReview:
        return PlannedReview(
            key=f"{self.cluster.cluster_id}:{self.host}",
            cluster_id=self.cluster.cluster_id,
            host_id=self.host,
            days=self.days,
            reviewer_ids=self.team,
            lead_school_id=self.team[0],
        )


def _design(problem: ScheduleProblem, rng: random.Random) -> list[_Visit]:
    """Every cluster's teams, each school leading as evenly as the design allows."""
    visits: list[_Visit] = []
    terms = [term.name for term in problem.chosen_terms()]
    term_load = {term: rng.random() / 2 for term in terms}
    reviewed: dict[tuple[int, int], TermName] = {}  # (reviewer, host): the visit's term
    for cluster in problem.clusters:
        members = _members(cluster)
        # A term for each host, the cluster spread evenly and the larger shares going to
        # the terms with fewest visits so far: schools that must review each other (a small
        # cluster, or trusts) are then only paired across terms.
        shuffled = members[:]
        rng.shuffle(shuffled)
        ranked = sorted(terms, key=term_load.__getitem__)
        planned = {host: ranked[place % len(ranked)] for place, host in enumerate(shuffled)}
        for term in planned.values():
            term_load[term] += 1
        may_pair = (
            (lambda a, b, planned=planned: planned[a] != planned[b])
            if problem.rules.no_mutual_in_same_term
            else (lambda _a, _b: True)
        )
        may_review = _allowed(problem, members)

        # A school in two clusters: a pair reviewing each other across the clusters must not
        # meet in one term either, so this cluster avoids the way back of pairs the earlier
        # clusters used in the same planned term (and takes it only if it must).
        def may_sit(
            s: int,
            h: int,
            planned: dict[int, TermName] = planned,
            may_review: Callable[[int, int], bool] = may_review,
        ) -> bool:
            back = reviewed.get((h, s))
            return may_review(s, h) and not (
                problem.rules.no_mutual_in_same_term and back == planned[h]
            )

        teams = design_teams(
            members, problem.rules.team_size, may_sit, rng, may_pair
        ) or design_teams(members, problem.rules.team_size, may_review, rng, may_pair)
        if teams is None:  # reasons_impossible's flow check rules this out
            raise _Stuck(
                f"In the cluster {cluster.name} no team design keeps the trust rule; allow "
                "reviews within a trust."
            )
        for host, team in teams.items():
            for school in team:
                reviewed[(school, host)] = planned[host]
        leads = lead_schools(teams)
        for host in members:
            team = teams[host]
            ordered = (leads[host], *(school for school in team if school != leads[host]))
            visits.append(_Visit(cluster, host, ordered, designed_for=planned[host]))
    if problem.rules.no_mutual_in_same_term:
        hosting: dict[int, list[int]] = defaultdict(list)
        for index, visit in enumerate(visits):
            hosting[visit.host].append(index)
        for visit in visits:
            for reviewer in visit.team:
                for other in hosting[reviewer]:
                    if visit.host in visits[other].team:
                        visit.apart_from.add(other)
    return visits


def _choose_terms(
    problem: ScheduleProblem, visits: list[_Visit], calendar: _Calendar, rng: random.Random
) -> None:
    """A term for every visit: each cluster's terms differ by at most one visit, and schools
    that review each other are in different terms (a bounded depth-first search)."""
    terms = [term.name for term in problem.chosen_terms()]
    per_cluster: dict[int, int] = defaultdict(int)
    for visit in visits:
        per_cluster[visit.cluster.cluster_id] += 1
    share = {cid: divmod(count, len(terms)) for cid, count in per_cluster.items()}
    counts: dict[tuple[int, TermName], int] = defaultdict(int)
    full: dict[int, int] = defaultdict(int)  # terms holding the larger share, per cluster
    taking: dict[tuple[int, TermName], int] = defaultdict(int)  # visits per school and term
    room = {
        school_id: {term: len(weeks) for term, weeks in open_weeks.items()}
        for school_id, open_weeks in (
            (s, calendar.open_weeks((s,), problem.rules.visit_days))
            for s in {s for visit in visits for s in visit.schools}
        )
    }
    # Visits that must be apart from others go first: they are the ones that can clash.
    order = list(range(len(visits)))
    rng.shuffle(order)
    order.sort(key=lambda index: -len(visits[index].apart_from))
    tiebreak = {term: rng.random() for term in terms}

    def fits(visit: _Visit, term: TermName) -> bool:
        cid = visit.cluster.cluster_id
        low, high = share[cid]
        held = counts[(cid, term)]
        if held >= low + 1 or (held == low and full[cid] >= high):
            return False
        return all(visits[other].term != term for other in visit.apart_from)

    def place(visit: _Visit, term: TermName, step: int) -> None:
        cid = visit.cluster.cluster_id
        larger = share[cid][0] + 1
        before = counts[(cid, term)]
        counts[(cid, term)] = before + step
        full[cid] += (before + step == larger) - (before == larger)
        for school_id in visit.schools:
            taking[(school_id, term)] += step
        visit.term = term if step > 0 else None

    def crowding(visit: _Visit, term: TermName) -> tuple[float, float]:
        # Prefer the term where the visit's schools have the most free weeks left.
        spare = min(room[s][term] - taking[(s, term)] for s in visit.schools)
        return (-spare, tiebreak[term])

    def choices(position: int) -> list[TermName]:
        visit = visits[order[position]]
        return sorted(
            (t for t in terms if fits(visit, t)),
            key=lambda t: (bool(visit.apart_from) and t != visit.designed_for, crowding(visit, t)),
        )

    found, deepest = _backtrack(
        len(order),
        choices,
        lambda position, term: place(visits[order[position]], term, +1),
        lambda position, term: place(visits[order[position]], term, -1),
        TERM_STEPS,
    )
    if not found:
        tangled = visits[order[min(deepest, len(order) - 1)]]
        partners = _names(
            [problem.school_name(visits[other].host) for other in sorted(tangled.apart_from)]
        )
        raise _Stuck(
            f"In the cluster {tangled.cluster.name} the search could not put the visit to "
            f"{problem.school_name(tangled.host)} in a different term from the visits to "
            f"{partners or 'the schools it reviews'} (no two schools review each other in one "
            "term) while spreading the visits evenly over the terms: choose more terms or allow "
            "schools to review each other in one term."
        )


def _choose_days(
    problem: ScheduleProblem, visits: list[_Visit], calendar: _Calendar, rng: random.Random
) -> None:
    """Days for every visit in its term, spread over the term's weeks, each school at one visit
    a week (or, with that rule off, one a day), counting the reviews already in the cycle."""
    rules = problem.rules
    weekly = rules.one_visit_per_week
    # Each cluster's visits in a term aim at evenly spaced weeks, in a shuffled order.
    targets: dict[int, float] = {}
    groups: dict[tuple[int, TermName], list[int]] = defaultdict(list)
    for index, visit in enumerate(visits):
        assert visit.term is not None
        groups[(visit.cluster.cluster_id, visit.term)].append(index)
    for (_cid, term), members in groups.items():
        rng.shuffle(members)
        span = len(calendar.weeks[term])
        for place, index in enumerate(members):
            targets[index] = (place + 0.5) * span / len(members)
    slots: dict[int, list[tuple[float, tuple[date, ...], frozenset[object]]]] = {}
    for index, visit in enumerate(visits):
        assert visit.term is not None
        options = []
        for position, week in enumerate(calendar.weeks[visit.term]):
            runs = calendar.runs(visit.term, week, visit.schools, rules.visit_days)
            rng.shuffle(runs)
            for run in runs:
                keys: frozenset[object] = frozenset([week] if weekly else run)
                options.append(
                    (abs(position + 0.5 - targets[index]) + rng.random() / 100, run, keys)
                )
        options.sort(key=lambda option: option[0])
        slots[index] = options
    taken: dict[int, set[object]] = defaultdict(set)
    for school_id, busy in _busy(problem, by_week=weekly).items():
        taken[school_id].update(busy)
    order = sorted(range(len(visits)), key=lambda index: (targets[index], rng.random()))

    def choices(position: int) -> list[tuple[tuple[date, ...], frozenset[object]]]:
        visit = visits[order[position]]
        return [
            (run, keys)
            for _distance, run, keys in slots[order[position]]
            if not any(taken[s] & keys for s in visit.schools)
        ]

    def book(position: int, option: tuple[tuple[date, ...], frozenset[object]]) -> None:
        visit = visits[order[position]]
        run, keys = option
        for s in visit.schools:
            taken[s] |= keys
        visit.days = run

    def free(position: int, option: tuple[tuple[date, ...], frozenset[object]]) -> None:
        visit = visits[order[position]]
        for s in visit.schools:
            taken[s] -= option[1]
        visit.days = ()

    # A visit with no free days at all (closures, reviews already in the cycle) makes any
    # search hopeless: say so at once rather than search.
    hopeless = next((p for p in range(len(order)) if not choices(p)), None)
    if hopeless is not None:
        found, deepest = False, hopeless
    else:
        limit = DAY_STEPS + DAY_STEPS_PER_VISIT * len(order)
        found, deepest = _backtrack(len(order), choices, book, free, limit)
    if not found:
        failed = visits[order[min(deepest, len(order) - 1)]]
        assert failed.term is not None
        schools = _names([problem.school_name(s) for s in failed.schools])
        rule = (
            "each school takes part in one visit a week"
            if weekly
            else "a school cannot be at two visits on one day"
        )
        raise _Stuck(
            f"In the cluster {failed.cluster.name} the search found no "
            f"{'week' if weekly else 'day'} in the {failed.term.label.lower()} when {schools} "
            f"are all free for the {rules.visit_days}-day visit to "
            f"{problem.school_name(failed.host)} ({rule}, counting their other visits and "
            "closures): choose more terms, remove closures or allow more than one visit a week."
        )


_EXHAUSTED = object()


def _backtrack(
    length: int,
    choices: Callable[[int], list[Any]],
    apply: Callable[[int, Any], None],
    undo: Callable[[int, Any], None],
    limit: int,
) -> tuple[bool, int]:
    """A depth-first search over ``length`` decisions, bounded to ``limit`` steps.

    ``choices(i)`` lists the options for decision i given those before it (best first);
    ``apply``/``undo`` make and take back one. Returns whether every decision was made, and
    how many were made at the deepest point (the first decision that could not be). A loop
    with its own stack, not recursion: a cycle of 600 visits is deeper than Python allows.
    """
    if length == 0:
        return True, 0
    remaining = [iter(choices(0))]
    applied: list[Any] = []
    steps = deepest = 0
    while remaining:
        steps += 1
        if steps > limit:
            return False, deepest
        level = len(remaining) - 1
        option = next(remaining[-1], _EXHAUSTED)
        if option is _EXHAUSTED:
            remaining.pop()
            if applied:
                undo(level - 1, applied.pop())
            continue
        apply(level, option)
        applied.append(option)
        deepest = max(deepest, level + 1)
        if level + 1 == length:
            return True, deepest
        remaining.append(iter(choices(level + 1)))
    return False, deepest
