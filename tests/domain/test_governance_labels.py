"""Each governance choice has its own words, even where two kinds share a stored value."""

from __future__ import annotations

import pytest

from thep_desktop.domain import governance as g

KINDS = (
    g.BodyKind,
    g.Voters,
    g.Frequency,
    g.Capacity,
    g.HowAppointed,
    g.WhyEnded,
    g.SchoolRole,
    g.MeetingKind,
    g.Attendance,
    g.DecisionKind,
    g.DecisionResult,
    g.MinutesStatus,
    g.ActionStatus,
)


def test_members_sharing_a_value_keep_their_own_words() -> None:
    # "ordinary" is a kind of meeting and a kind of resolution; "none" a frequency and a role.
    assert g.MeetingKind.ORDINARY.label == "Meeting"
    assert g.DecisionKind.ORDINARY.label == "Ordinary resolution"
    assert g.Frequency.NONE.label == "No required frequency"
    assert g.SchoolRole.NONE.label == "Not from a school"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
def test_every_choice_has_words_of_its_own_and_parses_back(kind: type[g._Labelled]) -> None:
    labels = [member.label for member in kind]
    assert len(set(labels)) == len(labels)
    for member in kind:
        assert kind.parse(member.label) is member
        assert kind.parse(member.value) is member
