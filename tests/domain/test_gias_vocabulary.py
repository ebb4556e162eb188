"""GIAS values spelt differently across the years come out as one spelling."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thep_desktop.domain.gias_vocabulary import (
    GIAS_ESTABLISHMENT_TYPES,
    GIAS_PHASES,
    gias_status,
    normalise_establishment_type,
    normalise_phase,
)
from thep_desktop.domain.schools import SchoolStatus


@pytest.mark.parametrize(
    ("given_text", "phase"),
    [
        ("All through", "All-through"),  # GIAS in 2018
        ("All-through", "All-through"),  # GIAS now
        ("ALL THROUGH", "All-through"),
        ("16 Plus", "16 plus"),
        ("Middle Deemed Secondary", "Middle deemed secondary"),
        ("Not applicable", "Not applicable"),
        ("  Upper  school ", "Upper school"),  # not a GIAS phase: kept, spaces tidied
        ("", ""),
    ],
)
def test_phases(given_text: str, phase: str) -> None:
    assert normalise_phase(given_text) == phase


@pytest.mark.parametrize(
    ("given_text", "kind"),
    [
        ("Academy Sponsor Led", "Academy sponsor led"),
        ("Free Schools - 16-19", "Free schools 16 to 19"),
        ("Academy 16-19 Sponsor Led", "Academy 16 to 19 sponsor led"),
        ("Academy 16 to 19 converter", "Academy 16-19 converter"),
        ("LA Nursery School", "Local authority nursery school"),
        ("Non-maintained special school", "Non-maintained special school"),
        ("Service Childrens Education", "Service children's education"),
        ("Further education", "Further education"),
    ],
)
def test_establishment_types(given_text: str, kind: str) -> None:
    assert normalise_establishment_type(given_text) == kind


@pytest.mark.parametrize(
    ("given_text", "status"),
    [
        ("Open", SchoolStatus.OPEN),
        ("Open, but proposed to close", SchoolStatus.OPEN),
        ("Open but proposed to close", SchoolStatus.OPEN),
        ("Proposed to open", SchoolStatus.PROPOSED),
        ("CLOSED", SchoolStatus.CLOSED),
        ("Shut", None),
        ("", None),
    ],
)
def test_statuses(given_text: str, status: SchoolStatus | None) -> None:
    assert gias_status(given_text) is status


def test_current_spellings_stay_as_they_are() -> None:
    assert [normalise_phase(p) for p in GIAS_PHASES] == list(GIAS_PHASES)
    types = [normalise_establishment_type(t) for t in GIAS_ESTABLISHMENT_TYPES]
    assert types == list(GIAS_ESTABLISHMENT_TYPES)


@given(st.text(max_size=40))
def test_normalising_twice_changes_nothing(text: str) -> None:
    for normalise in (normalise_phase, normalise_establishment_type):
        once = normalise(text)
        assert normalise(once) == once
        assert once == once.strip()
