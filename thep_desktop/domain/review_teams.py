"""Who reviews whom in one cluster: a fair design of review teams (no dates), for the scheduler."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

# allowed(reviewer, host): may that school sit on that host's team?
Allowed = Callable[[int, int], bool]

# Bounds that keep a design's search short on any cluster (they are reached only when the
# trusts leave few choices; the flow design below then still gives an answer when one exists).
CIRCULANT_STEPS = 5_000
CIRCULANT_RESTARTS = 10
UNTANGLE_STEPS_PER_SCHOOL = 400


def trust_key(trust: str) -> str:
    """A trust's name as compared: spaces and case do not make two trusts different."""
    return " ".join((trust or "").split()).casefold()


def design_teams(
    members: Sequence[int],
    team_size: int,
    allowed: Allowed,
    rng: random.Random,
    may_pair: Callable[[int, int], bool] | None = None,
) -> dict[int, tuple[int, ...]] | None:
    """Each member's team of ``team_size`` other members; each member sits on ``team_size``.

    Prefers a design where no two schools review each other: a circulant on a seeded
    shuffle (host i reviewed by the next ``team_size`` in the circle) has none when the
    circle is long enough; otherwise a flow design, untangled until the only schools that
    review each other are pairs ``may_pair`` allows (by default none), or steps run out.
    None when no design exists (too few allowed reviewers for some host).
    """
    order = list(members)
    rng.shuffle(order)
    if 2 * team_size < len(order):
        circle = _circle(order, team_size, allowed, rng)
        if circle is not None:
            size = len(circle)
            return {
                host: tuple(circle[(index + step) % size] for step in range(1, team_size + 1))
                for index, host in enumerate(circle)
            }
    arcs = flow_design(order, team_size, allowed, rng)
    if arcs is None:
        return None
    arcs = _untangle(arcs, order, allowed, may_pair or (lambda _a, _b: False), rng)
    teams: dict[int, list[int]] = {host: [] for host in order}
    for reviewer, host in sorted(arcs, key=lambda arc: (order.index(arc[1]), arc[0])):
        teams[host].append(reviewer)
    for team in teams.values():
        rng.shuffle(team)
    return {host: tuple(team) for host, team in teams.items()}


def lead_schools(teams: dict[int, tuple[int, ...]]) -> dict[int, int]:
    """For each host, the team school whose reviewer leads: every school leads once.

    Each school sits on as many teams as a team has schools, so hosts and reviewers form a
    regular bipartite graph, which always has a perfect matching (Konig): found by
    augmenting paths, from each team's own order (the first school leads if none is left).
    """
    leading: dict[int, int] = {}  # reviewer school -> the host it leads at

    def give(host: int, seen: set[int]) -> bool:
        for school in teams[host]:
            if school in seen:
                continue
            seen.add(school)
            if school not in leading or give(leading[school], seen):
                leading[school] = host
                return True
        return False

    for host in teams:
        give(host, set())  # always succeeds when loads are equal, as the scheduler's are
    chosen = {host: school for school, host in leading.items()}
    return {host: chosen.get(host, team[0]) for host, team in teams.items()}


def _circle(
    order: list[int], team_size: int, allowed: Allowed, rng: random.Random
) -> list[int] | None:
    """An arrangement in a circle where any two within ``team_size`` places may review each other.

    Depth-first, placing first the schools that can sit beside the fewest others (a trust's
    schools before schools of no trust), bounded in steps and restarted from a new shuffle
    when it wanders; None when no arrangement is found.
    """
    size = len(order)
    near = {
        school: {other for other in order if allowed(school, other) and allowed(other, school)}
        for school in order
    }
    if not _circle_may_exist(order, team_size, near):
        return None

    def fits(circle: list[int], school: int) -> bool:
        position = len(circle)
        if any(other not in near[school] for other in circle[-team_size:]):
            return False
        # Near the end of the circle a school also sits within reach of the first ones.
        wrap = position + team_size - size + 1
        return all(other in near[school] for other in circle[: max(wrap, 0)])

    def ranked(circle: list[int], left: list[int]) -> list[int]:
        fitting = [school for school in left if fits(circle, school)]
        rng.shuffle(fitting)
        fitting.sort(key=lambda school: sum(1 for other in left if other not in near[school]))
        fitting.reverse()
        return fitting

    steps = 0
    for _restart in range(CIRCULANT_RESTARTS):
        start = order[:]
        rng.shuffle(start)
        start.sort(key=lambda school: -len(set(order) - near[school]))
        circle = [start[0]]
        left = start[1:]
        stack = [ranked(circle, left)]
        budget = CIRCULANT_STEPS // CIRCULANT_RESTARTS
        while stack and budget > 0:
            budget -= 1
            steps += 1
            candidates = stack[-1]
            if not candidates:
                stack.pop()
                if len(circle) > 1:
                    left.append(circle.pop())
                continue
            school = candidates.pop(0)
            circle.append(school)
            left.remove(school)
            if not left:
                return circle
            stack.append(ranked(circle, left))
        if not stack:  # the whole search ran out: no arrangement exists
            return None
    return None


def _circle_may_exist(order: list[int], team_size: int, near: dict[int, set[int]]) -> bool:
    """Quick necessary conditions, so the search is not spent where no circle exists.

    Each school sits within reach of 2 x team_size others, who must all be allowed beside it;
    and schools none of which may sit together (one trust's) need team_size places between
    each other, so a circle of n holds at most n // (team_size + 1) of them.
    """
    size = len(order)
    for school in order:
        if len(near[school]) < 2 * team_size:
            return False
        apart = [
            school,
            *(other for other in order if other != school and other not in near[school]),
        ]
        if len(apart) > size // (team_size + 1) and all(
            b not in near[a] for a in apart for b in apart if a != b
        ):
            return False
    return True


def flow_design(
    order: list[int], team_size: int, allowed: Allowed, rng: random.Random
) -> set[tuple[int, int]] | None:
    """(reviewer, host) arcs: each host gets ``team_size`` reviewers, each reviewer gives as many.

    A bipartite b-matching grown one place at a time by augmenting paths (Ford-Fulkerson on
    unit edges): it finds a design whenever one exists, whatever the trusts exclude.
    """
    teams: dict[int, set[int]] = {host: set() for host in order}
    reviewing: dict[int, set[int]] = {school: set() for school in order}
    candidates = {
        host: [school for school in order if school != host and allowed(school, host)]
        for host in order
    }
    for choices in candidates.values():
        rng.shuffle(choices)

    def add_one(host: int, seen: set[int]) -> bool:
        """Give ``host`` one more reviewer, moving others along a path when needed."""
        for school in candidates[host]:
            if school in teams[host] or school in seen:
                continue
            seen.add(school)
            if len(reviewing[school]) < team_size:
                teams[host].add(school)
                reviewing[school].add(host)
                return True
            for other in sorted(reviewing[school], key=order.index):
                if other == host:
                    continue
                if add_one(other, seen):
                    teams[other].discard(school)
                    reviewing[school].discard(other)
                    teams[host].add(school)
                    reviewing[school].add(host)
                    return True
        return False

    for _ in range(team_size):
        for host in order:
            if not add_one(host, set()):
                return None
    return {(school, host) for host, team in teams.items() for school in team}


def _untangle(
    arcs: set[tuple[int, int]],
    order: list[int],
    allowed: Allowed,
    may_pair: Callable[[int, int], bool],
    rng: random.Random,
) -> set[tuple[int, int]]:
    """Swap reviewers between teams until no two schools review each other unless ``may_pair``
    allows it, or steps run out; the design with fewest such pairs found.

    Each swap (u reviews v, x reviews y) -> (u reviews y, x reviews v) keeps every team's size
    and every school's load; a swap is kept unless it adds unwanted mutual pairs.
    """
    arcs = set(arcs)

    def unwanted(reviewer: int, host: int) -> bool:
        return (host, reviewer) in arcs and not may_pair(reviewer, host)

    def count() -> int:
        return sum(1 for a, b in arcs if unwanted(a, b)) // 2

    best, best_count = set(arcs), count()
    current = best_count
    for _ in range(UNTANGLE_STEPS_PER_SCHOOL * len(order)):
        if current == 0:
            break
        u, v = rng.choice(sorted(arc for arc in arcs if unwanted(*arc)))
        x, y = rng.choice(sorted(arcs))
        if u == x or v == y or u == y or x == v:
            continue
        if (u, y) in arcs or (x, v) in arcs or not allowed(u, y) or not allowed(x, v):
            continue
        before = unwanted(u, v) + unwanted(x, y)
        arcs -= {(u, v), (x, y)}
        arcs |= {(u, y), (x, v)}
        after = unwanted(u, y) + unwanted(x, v)
        # Sideways moves are kept so the search can wander off a plateau.
        if after > before:
            arcs -= {(u, y), (x, v)}
            arcs |= {(u, v), (x, y)}
            continue
        current = count()
        if current < best_count:
            best, best_count = set(arcs), current
    return best
