"""A mail merge killed part-way, played in the test's own process (see test_merge_batches.py).

The merge stops at a named point with none of its clean-up run (as SIGKILL allows none), and
its lock is let go as the operating system would. tests/reliability/test_killed_merge.py
kills real processes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from thep_desktop.services.letters import merge_batches
from thep_desktop.services.letters.letters_service import LettersService
from thep_desktop.services.letters.merge_batches import MergeBatch
from thep_desktop.services.shared.actor import Actor


class Killed(BaseException):
    """The process died here: nothing after it runs."""


def merge_killed_at(
    point: str,
    letters: LettersService,
    actor: Actor,
    template_id: int,
    school_ids: Sequence[int],
    monkeypatch: pytest.MonkeyPatch,
    **where: Path,
) -> None:
    """Run a merge that dies at ``point``: no clean-up, its lock dropped as by the OS."""
    held: list[MergeBatch] = []
    real_begin = MergeBatch.begin

    def begin(*args, **kw):  # type: ignore[no-untyped-def]
        batch = real_begin(*args, **kw)
        held.append(batch)
        return batch

    def die(name: str) -> None:
        if name == point:
            raise Killed(name)

    with monkeypatch.context() as patch:
        patch.setattr(MergeBatch, "begin", begin)
        patch.setattr(merge_batches, "kill_point", die)
        patch.setattr(MergeBatch, "abandon", lambda self: None)
        patch.setattr(MergeBatch, "close", lambda self: None)
        with pytest.raises(Killed):
            letters.produce(actor, template_id, school_ids, "Head teacher", **where)
    held[0].lock.release()  # the process is gone; so is its lock
