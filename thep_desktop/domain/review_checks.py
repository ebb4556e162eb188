"""The peer-review checker: every rule of a cycle, applied to any schedule, each breach in words."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.peer_reviews import (
    Breach,
    ClusterInfo,
    PlannedReview,
    Rule,
    ScheduleProblem,
    Term,
    TermName,
    week_of,
)

# The checker is the scheduler's independent judge: it imports nothing from the scheduler,
# so a mistake in one is not silently shared by the other.

_RULE_ORDER = {rule: index for index, rule in enumerate(Rule)}


def check_schedule(problem: ScheduleProblem, reviews: Sequence[PlannedReview]) -> list[Breach]:
    """Every breach of the cycle's rules in ``reviews``, ordered by rule, then school and date.

    The reviews may be incomplete (no days yet, too few reviewers, a school or cluster the
    problem does not know): each gap is a breach, never an exception.
    """
    return _Checker(problem, reviews).run()


def breaches_for(review_key: str, breaches: Iterable[Breach]) -> list[Breach]:
    """The breaches that concern one review, to show as warnings beside it."""
    return [breach for breach in breaches if review_key in breach.review_keys]


def breaches_for_school(school_id: int, breaches: Iterable[Breach]) -> list[Breach]:
    """The breaches that name one school, for that school's view of the cycle."""
    return [breach for breach in breaches if school_id in breach.school_ids]


def summary(breaches: Sequence[Breach]) -> str:
    """``No breaches.`` or e.g. ``3 breaches of 2 rules: Team size (2); ... (1).``"""
    if not breaches:
        return "No breaches."
    counts = Counter(breach.rule for breach in breaches)
    rules = sorted(counts, key=_RULE_ORDER.__getitem__)
    listed = "; ".join(f"{rule.label} ({counts[rule]})" for rule in rules)
    return (
        f"{_count(len(breaches), 'breach', 'breaches')} of {_count(len(rules), 'rule')}: {listed}."
    )


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else (many or one + 's')}"


def _names(names: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


class _Checker:
    """One run of the checks, with the indexes they share (by school, cluster, week, term)."""

    def __init__(self, problem: ScheduleProblem, reviews: Sequence[PlannedReview]) -> None:
        self.problem = problem
        self.rules = problem.rules
        self.reviews = list(reviews)
        self.clusters: dict[int, ClusterInfo] = {c.cluster_id: c for c in problem.clusters}
        self.members = {c.cluster_id: frozenset(c.school_ids) for c in problem.clusters}
        self.by_cluster: dict[int, list[PlannedReview]] = defaultdict(list)
        for review in self.reviews:
            self.by_cluster[review.cluster_id].append(review)
        self.found: list[tuple[tuple, Breach]] = []

    def run(self) -> list[Breach]:
        self.check_hosts()
        for review in self.reviews:
            self.check_team(review)
        for cluster in self.problem.clusters:
            self.check_load(cluster)
        if self.rules.no_mutual_in_same_term:
            self.check_mutual()
        for review in self.reviews:
            self.check_days(review)
        if self.rules.one_visit_per_week:
            self.check_weeks()
        for cluster in self.problem.clusters:
            self.check_spread(cluster)
        self.found.sort(key=lambda found: found[0])
        return [breach for _, breach in self.found]

    # Helpers -------------------------------------------------------------------------------

    def name(self, school_id: int) -> str:
        school = self.problem.schools.get(school_id)
        return school.name if school else f"unknown school number {school_id}"

    def cluster_name(self, cluster_id: int) -> str:
        cluster = self.clusters.get(cluster_id)
        return cluster.name if cluster else f"number {cluster_id}"

    def add(
        self,
        rule: Rule,
        message: str,
        reviews: Iterable[PlannedReview] = (),
        school_ids: Iterable[int] = (),
        day: date | None = None,
        about: str | None = None,
    ) -> None:
        """Record a breach; ``about`` (else the first school's name) and ``day`` order it."""
        keys = tuple(dict.fromkeys(review.key for review in reviews))
        schools = tuple(dict.fromkeys(school_ids))
        first = (about or (self.name(schools[0]) if schools else "")).casefold()
        message = message[:1].upper() + message[1:]
        order = (_RULE_ORDER[rule], first, day or date.min, message)
        self.found.append((order, Breach(rule, message, keys, schools)))

    def term_of(self, review: PlannedReview) -> Term | None:
        """The term a review's visit falls in (by its first day); None when it has none."""
        return self.problem.term_of(min(review.days)) if review.days else None

    # Hosting -------------------------------------------------------------------------------

    def check_hosts(self) -> None:
        for cluster in self.problem.clusters:
            hosted: dict[int, list[PlannedReview]] = defaultdict(list)
            for review in self.by_cluster.get(cluster.cluster_id, ()):
                hosted[review.host_id].append(review)
            for school_id in dict.fromkeys(cluster.school_ids):
                held = hosted.pop(school_id, [])
                if not held:
                    self.add(
                        Rule.HOSTS_ONCE,
                        f"{self.name(school_id)} has no review in the cluster {cluster.name}.",
                        school_ids=[school_id],
                    )
                elif len(held) > 1:
                    self.add(
                        Rule.HOSTS_ONCE,
                        f"{self.name(school_id)} hosts {len(held)} reviews in the cluster "
                        f"{cluster.name}; each school hosts one.",
                        held,
                        [school_id],
                    )
            # What is left was hosted by schools that are not in the cluster.
            for school_id, held in hosted.items():
                self.add(
                    Rule.HOSTS_ONCE,
                    f"{self.name(school_id)} hosts a review in the cluster {cluster.name} but "
                    "is not one of its schools.",
                    held,
                    [school_id],
                )
        for cluster_id, held in self.by_cluster.items():
            if cluster_id not in self.clusters:
                for review in held:
                    self.add(
                        Rule.HOSTS_ONCE,
                        f"The review at {self.name(review.host_id)} belongs to a cluster "
                        f"({self.cluster_name(cluster_id)}) that is not part of this schedule.",
                        [review],
                        [review.host_id],
                    )

    # The team ------------------------------------------------------------------------------

    def check_team(self, review: PlannedReview) -> None:
        host = self.name(review.host_id)
        team = list(dict.fromkeys(review.reviewer_ids))
        wanted = self.rules.team_size
        if len(team) != wanted:
            self.add(
                Rule.TEAM_SIZE,
                f"The review at {host} has {_count(len(team), 'reviewer school')}; teams have "
                f"{wanted}.",
                [review],
                [review.host_id, *team],
            )
        for school_id, times in Counter(review.reviewer_ids).items():
            if times > 1:
                self.add(
                    Rule.TEAM_SIZE,
                    f"{self.name(school_id)} is named {times} times in the team for the review "
                    f"at {host}; each reviewer school is named once.",
                    [review],
                    [school_id, review.host_id],
                )
        if review.host_id in team:
            self.add(
                Rule.OWN_SCHOOL, f"{host} is down to review itself.", [review], [review.host_id]
            )
        host_info = self.problem.schools.get(review.host_id)
        host_trust = _trust_key(host_info.trust) if host_info else ""
        members = self.members.get(review.cluster_id)
        for school_id in team:
            if school_id == review.host_id:
                continue
            reviewer = self.problem.schools.get(school_id)
            if (
                self.rules.avoid_same_trust
                and host_trust
                and reviewer is not None
                and _trust_key(reviewer.trust) == host_trust
            ):
                self.add(
                    Rule.SAME_TRUST,
                    f"{reviewer.name} reviews {host}, a school of its own trust "
                    f"({' '.join(host_info.trust.split()) if host_info else ''}).",
                    [review],
                    [school_id, review.host_id],
                )
            if members is not None and school_id not in members:
                self.add(
                    Rule.REVIEWER_IN_CLUSTER,
                    f"{self.name(school_id)} reviews {host} in the cluster "
                    f"{self.cluster_name(review.cluster_id)} but is not one of its schools.",
                    [review],
                    [school_id, review.host_id],
                )
        lead = review.lead_school_id
        if lead is not None and lead not in team:
            self.add(
                Rule.LEAD_IN_TEAM,
                f"The lead reviewer for the review at {host} comes from {self.name(lead)}, "
                "which is not in the team.",
                [review],
                [review.host_id, lead],
            )

    def check_load(self, cluster: ClusterInfo) -> None:
        members = list(dict.fromkeys(cluster.school_ids))
        reviewing: dict[int, list[PlannedReview]] = {school_id: [] for school_id in members}
        for review in self.by_cluster.get(cluster.cluster_id, ()):
            # A host down to review itself still takes a place in the team: that breach is
            # OWN_SCHOOL's, and counting the place keeps one mistake to one breach.
            for school_id in dict.fromkeys(review.reviewer_ids):
                if school_id in reviewing:
                    reviewing[school_id].append(review)
        wanted = self.rules.reviews_per_school
        loads = {school_id: len(held) for school_id, held in reviewing.items()}
        off = [school_id for school_id in members if loads[school_id] != wanted]
        if not off:
            return
        off.sort(key=lambda school_id: (-loads[school_id], self.name(school_id).casefold()))
        first, *rest = off
        said = [
            f"{self.name(first)} reviews "
            f"{_count(loads[first], 'school') if loads[first] else 'no school'} in "
            f"{cluster.name}",
            *(f"{self.name(school_id)} {loads[school_id]}" for school_id in rest),
        ]
        if max(loads.values()) - min(loads.values()) > 1:
            rule = f"the load should differ by at most one ({wanted} each)"
        else:
            rule = f"each school reviews {wanted}"
        self.add(
            Rule.REVIEWER_LOAD,
            f"{_names(said)}; {rule}.",
            [review for school_id in off for review in reviewing[school_id]],
            off,
        )

    # Terms, days and weeks -----------------------------------------------------------------

    def check_mutual(self) -> None:
        visits: dict[tuple[int, int, TermName], PlannedReview] = {}
        for review in self.reviews:
            term = self.term_of(review)
            if term is None:
                continue
            for school_id in review.reviewer_ids:
                visits.setdefault((school_id, review.host_id, term.name), review)
        said: set[tuple[int, int, TermName]] = set()
        for (reviewer, host, term_name), review in visits.items():
            back = visits.get((host, reviewer, term_name))
            if back is None or reviewer == host:
                continue
            pair = (min(reviewer, host), max(reviewer, host), term_name)
            if pair in said:
                continue
            said.add(pair)
            first, second = sorted((reviewer, host), key=lambda s: self.name(s).casefold())
            self.add(
                Rule.MUTUAL_SAME_TERM,
                f"{self.name(first)} and {self.name(second)} review each other in the "
                f"{term_name.label.lower()}.",
                sorted((review, back), key=lambda r: r.host_id != first),
                [first, second],
                min(min(review.days), min(back.days)),
            )

    def check_days(self, review: PlannedReview) -> None:
        host = self.name(review.host_id)
        if not review.days:
            self.add(
                Rule.SCHOOL_DAY,
                f"The review at {host} has no date yet.",
                [review],
                [review.host_id],
            )
            return
        days = sorted(set(review.days))
        taking_part = tuple(dict.fromkeys((review.host_id, *review.reviewer_ids)))
        for day in days:
            why = self.problem.why_not_a_visit_day(day, taking_part)
            if why is not None:
                self.add(
                    Rule.SCHOOL_DAY,
                    f"The visit to {host} on {format_date(day)} is not a school day: {why}.",
                    [review],
                    [review.host_id],
                    day,
                )
        wanted = self.rules.visit_days
        if len(days) != wanted:
            self.add(
                Rule.VISIT_LENGTH,
                f"The visit to {host} lasts {_count(len(days), 'day')}; visits last "
                f"{_count(wanted, 'day')}.",
                [review],
                [review.host_id],
                days[0],
            )
        elif len({week_of(day) for day in days}) > 1:
            self.add(
                Rule.VISIT_LENGTH,
                f"The visit to {host} ({_names([format_date(d) for d in days])}) runs into "
                "another week; a visit's days fall in one week.",
                [review],
                [review.host_id],
                days[0],
            )
        elif any(
            self.problem.why_not_a_visit_day(between, taking_part) is None
            for earlier, later in zip(days, days[1:], strict=False)
            for between in _days_strictly_between(earlier, later)
        ):
            self.add(
                Rule.VISIT_LENGTH,
                f"The visit to {host} ({_names([format_date(d) for d in days])}) is not on "
                "consecutive school days.",
                [review],
                [review.host_id],
                days[0],
            )

    def check_weeks(self) -> None:
        checked = {review.key for review in self.reviews}
        # A busy review only counts towards the week; it is checked where it was scheduled.
        others = [review for review in self.problem.busy if review.key not in checked]
        weeks: dict[tuple[int, tuple[int, int]], list[tuple[PlannedReview, date]]] = defaultdict(
            list
        )
        for review in (*self.reviews, *others):
            first_in_week: dict[tuple[int, int], date] = {}
            for day in sorted(set(review.days)):
                first_in_week.setdefault(week_of(day), day)
            for week, day in first_in_week.items():
                for school_id in dict.fromkeys((review.host_id, *review.reviewer_ids)):
                    weeks[(school_id, week)].append((review, day))
        for (school_id, _week), visits in weeks.items():
            if len(visits) < 2 or not any(review.key in checked for review, _ in visits):
                continue
            visits.sort(key=lambda visit: (visit[1], self.name(visit[0].host_id).casefold()))
            monday = visits[0][1] - timedelta(days=visits[0][1].weekday())
            listed = ", ".join(
                f"{'hosting' if review.host_id == school_id else self.name(review.host_id)} "
                f"on {format_date(day)}"
                for review, day in visits
            )
            self.add(
                Rule.ONE_VISIT_A_WEEK,
                f"{self.name(school_id)} has {len(visits)} visits in the week of "
                f"{format_date(monday)} ({listed}).",
                [review for review, _ in visits if review.key in checked],
                [school_id],
                monday,
            )

    def check_spread(self, cluster: ClusterInfo) -> None:
        terms = self.problem.chosen_terms()
        if len(terms) < 2:
            return
        counts = {term.name: 0 for term in terms}
        for review in self.by_cluster.get(cluster.cluster_id, ()):
            term = self.term_of(review)
            if term is not None and term.name in counts:
                counts[term.name] += 1
        if max(counts.values()) - min(counts.values()) <= 1:
            return
        total = sum(counts.values())
        low, high = divmod(total, len(terms))
        fair = f"{low}" if high == 0 else f"{low} or {low + 1}"
        said = [
            f"{number or 'none'} in the {name.label.lower()}" for name, number in counts.items()
        ]
        first = counts[terms[0].name]
        said[0] = f"{_count(first, 'visit') if first else 'no visits'} in the " + (
            terms[0].name.label.lower()
        )
        self.add(
            Rule.SPREAD_OVER_TERMS,
            f"The cluster {cluster.name} has {_names(said)}; they should be spread "
            f"({fair} in each).",
            self.by_cluster.get(cluster.cluster_id, ()),
            about=cluster.name,
        )


def _trust_key(trust: str) -> str:
    return " ".join(trust.split()).casefold()


def _days_strictly_between(earlier: date, later: date) -> Iterable[date]:
    day = earlier + timedelta(days=1)
    while day < later:
        yield day
        day += timedelta(days=1)
