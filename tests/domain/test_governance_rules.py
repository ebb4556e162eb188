"""Governance rules: clear days of notice, results that follow from the votes, decision
references, who holds office on a day, overlapping appointments, and the words for each."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thep_desktop.domain.governance import (
    ActionStatus,
    Attendance,
    BodyKind,
    Capacity,
    DecisionKind,
    DecisionResult,
    Frequency,
    HowAppointed,
    MeetingKind,
    MinutesStatus,
    SchoolRole,
    Voters,
    Votes,
    WhyEnded,
    check_notice,
    clear_days,
    decision_reference,
    in_office,
    latest_notice_day,
    periods_overlap,
    result_problem,
)

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


# -- notice in clear days -------------------------------------------------------------------
def test_neither_the_day_of_sending_nor_the_day_of_the_meeting_counts():
    assert clear_days(date(2026, 3, 1), date(2026, 3, 16)) == 14
    assert clear_days(date(2026, 3, 1), date(2026, 3, 15)) == 13
    assert clear_days(date(2026, 3, 1), date(2026, 3, 2)) == 0
    assert clear_days(date(2026, 3, 1), date(2026, 3, 1)) == -1


def test_sent_on_the_first_for_the_sixteenth_is_fourteen_clear_days():
    enough = check_notice(date(2026, 3, 1), date(2026, 3, 16), 14)
    assert (enough.given, enough.short) == (14, False)
    assert enough.message == "Notice sent on 01/03/2026: 14 clear days given."


def test_sent_on_the_first_for_the_fifteenth_is_short_of_fourteen():
    short = check_notice(date(2026, 3, 1), date(2026, 3, 15), 14)
    assert (short.given, short.short) == (13, True)
    assert short.message == (
        "Short notice: sent on 01/03/2026, it gives 13 clear days; 14 were needed "
        "(sent by 28/02/2026)."
    )


def test_latest_notice_day_is_the_last_day_that_still_gives_the_clear_days():
    assert latest_notice_day(date(2026, 3, 16), 14) == date(2026, 3, 1)
    assert latest_notice_day(date(2026, 3, 1), 14) == date(2026, 2, 14)  # across a month
    assert latest_notice_day(date(2028, 3, 1), 0) == date(2028, 2, 29)  # a leap year


@given(meeting=days, required=st.integers(0, 60))
def test_the_latest_notice_day_gives_enough_and_a_day_later_is_short(meeting, required):
    latest = latest_notice_day(meeting, required)
    assert clear_days(latest, meeting) == required
    assert not check_notice(latest, meeting, required).short
    assert not check_notice(latest - timedelta(days=1), meeting, required).short
    assert check_notice(latest + timedelta(days=1), meeting, required).short


def test_no_notice_recorded_is_not_short_but_says_when_it_must_go():
    none = check_notice(None, date(2026, 3, 16), 14)
    assert (none.given, none.short) == (None, False)
    assert none.message == "No notice recorded yet: 14 clear days need it sent by 01/03/2026."
    assert check_notice(None, date(2026, 3, 16), 0).message == "No notice recorded."


def test_notice_sent_on_the_day_of_the_meeting_or_after_it_is_short_in_plain_words():
    on_the_day = check_notice(date(2026, 3, 16), date(2026, 3, 16), 0)
    assert on_the_day.short
    assert on_the_day.message == (
        "Short notice: sent on 16/03/2026, the day of the meeting; 0 clear days were needed "
        "(sent by 15/03/2026)."
    )
    after = check_notice(date(2026, 3, 20), date(2026, 3, 16), 14)
    assert after.short
    assert after.message == (
        "Short notice: sent on 20/03/2026, after the meeting; 14 clear days were needed "
        "(sent by 01/03/2026)."
    )


# -- results from the votes -----------------------------------------------------------------
ORDINARY, SPECIAL = DecisionKind.ORDINARY, DecisionKind.SPECIAL
CARRIED, NOT_CARRIED = DecisionResult.CARRIED, DecisionResult.NOT_CARRIED


def test_an_ordinary_resolution_passes_by_a_simple_majority():
    assert result_problem(ORDINARY, CARRIED, Votes(5, 4, 0)) is None
    assert result_problem(ORDINARY, NOT_CARRIED, Votes(4, 5, 0)) is None
    assert result_problem(ORDINARY, NOT_CARRIED, Votes(5, 4, 0)) == (
        "With 5 for, 4 against, 0 abstaining the resolution was carried (an ordinary "
        "resolution needs more votes for than against)."
    )


def test_a_tie_is_not_carried():
    assert result_problem(ORDINARY, NOT_CARRIED, Votes(4, 4, 1)) is None
    assert result_problem(ORDINARY, CARRIED, Votes(4, 4, 1)) == (
        "With 4 for, 4 against, 1 abstaining the resolution was not carried (an ordinary "
        "resolution needs more votes for than against)."
    )


def test_a_special_resolution_needs_three_quarters_of_the_votes_cast():
    assert result_problem(SPECIAL, CARRIED, Votes(75, 25, 0)) is None  # exactly 75%
    assert result_problem(SPECIAL, CARRIED, Votes(3, 1, None)) is None
    assert result_problem(SPECIAL, NOT_CARRIED, Votes(74, 26, 0)) is None
    assert result_problem(SPECIAL, CARRIED, Votes(74, 26, 0)) == (
        "With 74 for, 26 against, 0 abstaining the resolution was not carried (a special "
        "resolution needs at least three quarters of the votes cast)."
    )
    assert result_problem(SPECIAL, NOT_CARRIED, Votes(3, 1, 0)) == (
        "With 3 for, 1 against, 0 abstaining the resolution was carried (a special "
        "resolution needs at least three quarters of the votes cast)."
    )


def test_abstentions_are_not_votes_cast():
    """15 for, 5 against, 30 abstaining: 75% of those cast, though 30% of those voting."""
    assert result_problem(SPECIAL, CARRIED, Votes(15, 5, 30)) is None
    assert result_problem(ORDINARY, CARRIED, Votes(1, 0, 40)) is None
    # Nobody voting for or against: nothing was carried.
    assert result_problem(SPECIAL, CARRIED, Votes(0, 0, 6)) is not None
    assert result_problem(ORDINARY, CARRIED, Votes(0, 0, 6)) is not None
    assert result_problem(SPECIAL, NOT_CARRIED, Votes(0, 0, 6)) is None


def test_results_without_votes_or_without_a_vote_are_not_questioned():
    assert result_problem(ORDINARY, CARRIED, Votes()) is None  # by consensus, not counted
    assert result_problem(SPECIAL, DecisionResult.NOTED, Votes(0, 9, 0)) is None
    assert result_problem(ORDINARY, DecisionResult.DEFERRED, Votes(9, 0, 0)) is None


def test_negative_votes_are_refused():
    for votes in (Votes(-1, 0, 0), Votes(1, -2, 0), Votes(None, None, -1)):
        assert result_problem(ORDINARY, DecisionResult.NOTED, votes) == "Votes cannot be negative."


@given(for_=st.integers(0, 200), against=st.integers(0, 200), abstaining=st.integers(0, 200))
def test_exactly_one_result_follows_from_any_count(for_, against, abstaining):
    votes = Votes(for_, against, abstaining)
    for kind in DecisionKind:
        fitting = [r for r in (CARRIED, NOT_CARRIED) if result_problem(kind, r, votes) is None]
        assert len(fitting) == 1
        cast = for_ + against
        if kind is SPECIAL:
            passes = cast > 0 and for_ / cast >= 0.75 - 1e-12
        else:
            passes = for_ > against
        assert fitting == [CARRIED if passes else NOT_CARRIED]


def test_votes_in_words_and_totals():
    assert Votes().label == "" and not Votes().counted and Votes().total == 0
    assert Votes(7, None, 2).label == "7 for, 0 against, 2 abstaining"
    assert Votes(7, None, 2).total == 9
    assert Votes(0, 0, 0).counted


# -- decision references --------------------------------------------------------------------
def test_a_decision_reference_is_the_body_year_month_and_number():
    assert decision_reference("B", date(2025, 7, 9), 3) == "B/2025/07/3"
    assert decision_reference("AC", date(2026, 11, 30), 12) == "AC/2026/11/12"
    assert decision_reference("GM", date(2026, 1, 15), 1, "b") == "GM/2026/01b/1"


# -- offices and appointments ---------------------------------------------------------------
def test_in_office_from_the_day_appointed_until_the_day_before_ceasing():
    starts, ceased = date(2024, 9, 1), date(2026, 3, 31)
    assert not in_office(starts, ceased, date(2024, 8, 31))
    assert in_office(starts, ceased, starts)
    assert in_office(starts, ceased, date(2026, 3, 30))
    assert not in_office(starts, ceased, ceased)
    assert in_office(starts, None, date(2060, 1, 1))


def test_periods_meeting_end_to_start_do_not_overlap_but_one_shared_day_does():
    first = (date(2024, 9, 1), date(2025, 9, 1))
    assert not periods_overlap(first, (date(2025, 9, 1), None))  # ceased the day the next starts
    assert periods_overlap(first, (date(2025, 8, 31), None))  # one day in both
    assert not periods_overlap(first, (date(2023, 1, 1), date(2024, 9, 1)))
    assert periods_overlap(first, (date(2023, 1, 1), date(2024, 9, 2)))
    assert periods_overlap((date(2024, 9, 1), None), (date(2030, 1, 1), None))
    assert periods_overlap(first, first)
    assert periods_overlap(first, (date(2025, 1, 1), date(2025, 2, 1)))  # inside it


periods = st.tuples(days, st.one_of(st.none(), st.integers(1, 400))).map(
    lambda p: (p[0], None if p[1] is None else p[0] + timedelta(days=p[1]))
)


@given(first=periods, second=periods)
def test_periods_overlap_when_some_day_is_in_office_in_both(first, second):
    assert periods_overlap(first, second) == periods_overlap(second, first)
    # The latest start is the first day both could hold office: they overlap iff it is in both.
    later_start = max(first[0], second[0])
    both = in_office(*first, later_start) and in_office(*second, later_start)
    assert periods_overlap(first, second) == both


# -- words and states -----------------------------------------------------------------------
def test_enumerations_parse_their_value_or_their_words_in_any_case():
    assert Capacity.parse("Vice-chair") is Capacity.VICE_CHAIR
    assert Capacity.parse("vice_chair") is Capacity.VICE_CHAIR
    assert Capacity.parse("  VICE   chair ") is Capacity.VICE_CHAIR
    assert Attendance.parse("in attendance") is Attendance.IN_ATTENDANCE
    assert Attendance.parse("In-attendance") is Attendance.IN_ATTENDANCE
    assert Capacity.parse("observer") is Capacity.OBSERVER
    with pytest.raises(ValueError, match="'chairman' is not one of: Chair, Vice-chair, Director"):
        Capacity.parse("chairman")


def test_only_voting_capacities_vote_and_approved_minutes_are_locked():
    assert [c for c in Capacity if not c.votes] == [
        Capacity.OBSERVER,
        Capacity.STAFF,
        Capacity.CLERK,
    ]
    assert [s for s in MinutesStatus if s.locked] == [MinutesStatus.APPROVED, MinutesStatus.SIGNED]
    assert [s.order for s in MinutesStatus] == [0, 1, 2, 3]
    assert [s for s in ActionStatus if s.is_open] == [ActionStatus.OPEN, ActionStatus.IN_PROGRESS]


@given(sent=days, meeting=days, required=st.integers(0, 60))
def test_notice_is_short_exactly_when_sent_after_the_latest_day_and_says_so_in_words(
    sent, meeting, required
):
    check = check_notice(sent, meeting, required)
    assert check.short == (sent > latest_notice_day(meeting, required))
    assert check.message.startswith("Short notice" if check.short else "Notice sent on")
    assert " -" not in check.message  # never "-3 clear days"


def test_every_choice_parses_back_from_its_value_and_its_words():
    for kind in (
        ActionStatus,
        Attendance,
        BodyKind,
        Capacity,
        DecisionKind,
        DecisionResult,
        Frequency,
        HowAppointed,
        MeetingKind,
        MinutesStatus,
        SchoolRole,
        Voters,
        WhyEnded,
    ):
        for item in kind:
            typed = (item.value, item.label, item.label.upper(), item.value.replace("_", " "))
            assert {kind.parse(text) for text in typed} == {item}
