"""Bulk jobs pause the cycle collector and always leave it as they found it."""

from __future__ import annotations

import gc

import pytest

from thep_desktop.services.shared.bulk import cycle_collector_paused


def test_the_collector_is_paused_inside_and_back_on_after() -> None:
    assert gc.isenabled()
    with cycle_collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_back_on_when_the_job_fails() -> None:
    with pytest.raises(RuntimeError), cycle_collector_paused():
        raise RuntimeError("the file could not be read")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with cycle_collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
