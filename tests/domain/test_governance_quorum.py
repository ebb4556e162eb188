"""Quorum: a number or a fraction of voting members, observers by the rule, late arrivals and
early leavers counted only for the items they were there for; apologies and absence never."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thep_desktop.domain.governance import (
    Attendance,
    Presence,
    QuorumRule,
    presence_problems,
    quorum_at,
)

THREE = QuorumRule(number=3)
THIRD = QuorumRule(numerator=1, denominator=3, minimum=3)


def director(key: str, status: Attendance = Attendance.PRESENT, **times: int) -> Presence:
    return Presence(key, status, votes=True, **times)  # type: ignore[arg-type]


def observer(key: str, status: Attendance = Attendance.IN_ATTENDANCE, **times: int) -> Presence:
    return Presence(key, status, votes=False, **times)  # type: ignore[arg-type]


# -- a fixed number -------------------------------------------------------------------------
def test_exactly_at_quorum_is_quorate_and_one_short_is_not():
    three = [director("a"), director("b"), director("c")]
    at = quorum_at(THREE, 10, three, 1)
    assert (at.present, at.voting, at.needed, at.quorate) == (3, 3, 3, True)
    assert at.message == "Item 1: quorate: 3 present of 3 needed."
    short = quorum_at(THREE, 10, three[:2], 1)
    assert (short.present, short.needed, short.quorate) == (2, 3, False)
    assert short.message == "Item 1: NOT quorate: 2 present of 3 needed."


def test_a_number_is_the_quorum_whatever_the_size_of_the_body():
    assert [THREE.needed(n) for n in (0, 1, 3, 90)] == [3, 3, 3, 3]


def test_apologies_and_absent_never_count_even_when_observers_do():
    rule = QuorumRule(number=2, observers_count=True)
    people = [
        director("a"),
        director("b", Attendance.APOLOGIES),
        director("c", Attendance.ABSENT),
        observer("d", Attendance.APOLOGIES),
        observer("e", Attendance.ABSENT),
    ]
    at = quorum_at(rule, 5, people, 1)
    assert (at.present, at.voting, at.quorate) == (1, 1, False)


def test_observers_do_not_count_unless_the_rule_says_so():
    people = [director("a"), director("b"), observer("staff"), observer("guest")]
    without = quorum_at(THREE, 6, people, 2)
    assert (without.present, without.voting, without.quorate) == (2, 2, False)
    with_them = quorum_at(QuorumRule(number=3, observers_count=True), 6, people, 2)
    assert (with_them.present, with_them.voting, with_them.quorate) == (4, 2, True)


def test_an_observer_marked_present_counts_only_by_the_rule_and_never_votes():
    people = [director("a"), observer("o", Attendance.PRESENT)]
    assert quorum_at(QuorumRule(number=2), 4, people, 1).present == 1
    counted = quorum_at(QuorumRule(number=2, observers_count=True), 4, people, 1)
    assert (counted.present, counted.voting) == (2, 1)


# -- a fraction -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("members", "needed"),
    [(12, 4), (10, 4), (13, 5), (9, 3), (3, 3), (0, 3)],
)
def test_a_fraction_of_voting_members_is_rounded_up_with_its_least_number(members, needed):
    """A third of 10 is 3⅓: four must be there; a third of 3 is 1, but the least is three."""
    assert THIRD.needed(members) == needed


def test_a_fraction_without_a_least_number_still_needs_one_person():
    assert QuorumRule(numerator=1, denominator=2).needed(0) == 1
    assert QuorumRule(numerator=1, denominator=2).needed(1) == 1
    assert QuorumRule(numerator=1, denominator=2).needed(7) == 4
    assert QuorumRule(numerator=1, denominator=2).needed(8) == 4


def test_a_fraction_is_judged_on_those_entitled_not_on_those_there():
    ten_entitled = [director(str(n)) for n in range(4)]
    assert quorum_at(THIRD, 10, ten_entitled, 1).quorate
    assert not quorum_at(THIRD, 13, ten_entitled, 1).quorate  # a third of 13 needs 5


@given(
    members=st.integers(min_value=0, max_value=500),
    numerator=st.integers(min_value=1, max_value=12),
    extra=st.integers(min_value=0, max_value=12),
    minimum=st.integers(min_value=0, max_value=20),
)
def test_a_fraction_needs_the_share_rounded_up_never_less_than_its_floor(
    members, numerator, extra, minimum
):
    rule = QuorumRule(numerator=numerator, denominator=numerator + extra, minimum=minimum)
    share = math.ceil(Fraction(members * numerator, numerator + extra))
    assert rule.needed(members) == max(share, minimum, 1)
    # Never a fraction of a person short: those needed are at least the exact share.
    assert rule.needed(members) >= Fraction(members * numerator, numerator + extra)


def test_rule_labels_and_problems_in_words():
    assert THREE.label == "3 voting members present"
    assert THIRD.label == "1/3 of voting members, and at least 3"
    assert QuorumRule(numerator=1, denominator=2, observers_count=True).label == (
        "1/2 of voting members; observers count"
    )
    assert THREE.problems() == {}
    assert THIRD.problems() == {}
    assert QuorumRule().problems() == {
        "quorum": "Give the quorum as a number or as a fraction of voting members."
    }
    assert QuorumRule(number=0).problems() == {"quorum": "A quorum is at least one person."}
    assert QuorumRule(numerator=1, denominator=0).problems() == {
        "quorum": "A fraction needs a number below the line of 1 or more."
    }
    assert QuorumRule(numerator=4, denominator=3).problems() == {
        "quorum": "A fraction of the members is between 0 and 1 (e.g. 1/3)."
    }
    assert QuorumRule(numerator=0, denominator=3).problems() == {
        "quorum": "A fraction of the members is between 0 and 1 (e.g. 1/3)."
    }
    assert QuorumRule(number=2, minimum=-1).problems() == {
        "quorum": "The least number for a quorum cannot be negative."
    }


# -- arriving late, leaving early -----------------------------------------------------------
def test_a_late_arrival_counts_from_their_item_and_not_before():
    people = [director("a"), director("b"), director("late", arrived_at=4)]
    assert [quorum_at(THREE, 5, people, item).quorate for item in (1, 3, 4, 5)] == [
        False,
        False,
        True,
        True,
    ]
    assert quorum_at(THREE, 5, people, 3).message == "Item 3: NOT quorate: 2 present of 3 needed."


def test_someone_leaving_before_a_vote_is_not_counted_from_the_item_they_missed():
    people = [director("a"), director("b"), director("gone", left_at=3)]
    assert [quorum_at(THREE, 5, people, item).present for item in (1, 2, 3, 6)] == [3, 3, 2, 2]
    assert quorum_at(THREE, 5, people, 2).quorate
    assert not quorum_at(THREE, 5, people, 3).quorate


def test_arriving_late_and_leaving_early_counts_only_the_items_between():
    there = director("x", arrived_at=2, left_at=4)
    assert [there.there_at(item) for item in (1, 2, 3, 4, 5)] == [False, True, True, False, False]


def test_late_arrival_of_an_observer_counts_by_the_rule_only_when_there():
    rule = QuorumRule(number=3, observers_count=True)
    people = [director("a"), director("b"), observer("o", arrived_at=3)]
    assert [quorum_at(rule, 5, people, item).quorate for item in (2, 3)] == [False, True]


def test_sending_apologies_with_an_arrival_item_still_never_counts():
    """An arrival item on an apology (left over from an edit) does not make them there."""
    gone = director("x", Attendance.APOLOGIES, arrived_at=1)
    assert not any(gone.there_at(item) for item in range(1, 10))


def test_impossible_arrivals_and_departures_are_named():
    items = [1, 2, 3, 4]
    assert presence_problems(director("a"), items) is None
    assert presence_problems(director("a", arrived_at=2, left_at=4), items) is None
    assert presence_problems(director("a", Attendance.APOLOGIES, arrived_at=2), items) == (
        "Only someone who was there can arrive late or leave early."
    )
    assert presence_problems(director("a", arrived_at=7), items) == "There is no agenda item 7."
    assert presence_problems(director("a", left_at=9), items) == "There is no agenda item 9."
    assert presence_problems(director("a", arrived_at=3, left_at=3), items) == (
        "They cannot leave before the item they arrived at."
    )
    assert presence_problems(director("a", arrived_at=3, left_at=2), items) == (
        "They cannot leave before the item they arrived at."
    )


# -- properties -----------------------------------------------------------------------------
presences = st.lists(
    st.builds(
        Presence,
        key=st.integers(),
        status=st.sampled_from(list(Attendance)),
        votes=st.booleans(),
        arrived_at=st.one_of(st.none(), st.integers(min_value=1, max_value=12)),
        left_at=st.one_of(st.none(), st.integers(min_value=1, max_value=12)),
    ),
    max_size=30,
)
rules = st.one_of(
    st.builds(QuorumRule, number=st.integers(1, 20), observers_count=st.booleans()),
    st.builds(
        QuorumRule,
        numerator=st.just(1),
        denominator=st.integers(1, 4),
        minimum=st.integers(0, 6),
        observers_count=st.booleans(),
    ),
)


def _there(p: Presence, item: int) -> bool:
    """Independently of the module: there in person, arrived by the item, not yet gone."""
    if p.status not in (Attendance.PRESENT, Attendance.IN_ATTENDANCE):
        return False
    arrived = p.arrived_at is None or p.arrived_at <= item
    not_gone = p.left_at is None or item < p.left_at
    return arrived and not_gone


@given(rule=rules, people=presences, item=st.integers(1, 12), entitled=st.integers(0, 40))
def test_quorum_never_counts_someone_not_there_at_the_item(rule, people, item, entitled):
    at = quorum_at(rule, entitled, people, item)
    there = [p for p in people if _there(p, item)]
    voters = [p for p in there if p.votes and p.status == Attendance.PRESENT]
    assert at.voting == len(voters)
    assert at.present == (len(there) if rule.observers_count else len(voters))
    assert at.needed == rule.needed(entitled)
    assert at.quorate == (at.present >= at.needed)


@given(rule=rules, people=presences, item=st.integers(1, 12), entitled=st.integers(0, 40))
def test_people_not_there_at_the_item_change_nothing(rule, people, item, entitled):
    """Adding apologies, absentees, people who left before it or came after it: same quorum."""
    away = [
        director("apologies", Attendance.APOLOGIES),
        director("absent", Attendance.ABSENT),
        observer("absent observer", Attendance.ABSENT),
        director("came later", arrived_at=item + 1),
        observer("came later too", arrived_at=item + 1),
    ]
    if item > 1:
        away += [director("left", left_at=item), observer("left too", left_at=item)]
    assert quorum_at(rule, entitled, people + away, item) == quorum_at(rule, entitled, people, item)


@given(rule=rules, people=presences, item=st.integers(1, 12), entitled=st.integers(0, 40))
def test_one_more_voting_member_present_never_loses_the_quorum(rule, people, item, entitled):
    before = quorum_at(rule, entitled, people, item)
    after = quorum_at(rule, entitled, [*people, director("one more")], item)
    assert after.present == before.present + 1 and after.voting == before.voting + 1
    assert after.quorate or not before.quorate
