"""A mail merge's files and history agree: pending until placed, put right after a kill.

A kill is played here in the test's own process (tests/killed_merges.py);
tests/reliability/test_killed_merge.py kills real processes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from killed_merges import merge_killed_at  # tests/killed_merges.py
from letters_helpers import custom, nothing_sent  # tests/services/letters/letters_helpers.py
from sqlalchemy import func, select

from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.models import Correspondence, Document, LetterBatch
from thep_desktop.services.letters import merge_batches
from thep_desktop.services.letters.letters_service import LettersService
from thep_desktop.services.letters.merge_batches import MergeBatch
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ServiceError


def counts(letters: LettersService) -> tuple[int, int, int]:
    """(batches, documents, correspondence rows) in the database."""
    with letters.db.read_session() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(t)) or 0
            for t in (LetterBatch, Document, Correspondence)
        )


def killed_at(
    point: str,
    letters: LettersService,
    actor: Actor,
    schools,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
    **where: Path,
) -> None:
    """A merge to two schools that dies at ``point`` (tests/killed_merges.py)."""
    template_id = custom(letters, actor, "Hello {school.name}")
    merge_killed_at(
        point, letters, actor, template_id, [schools["mary"].id, schools["bow"].id], monkeypatch,
        **where,
    )  # fmt: skip


def hidden_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def pdfs_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".pdf")


@pytest.mark.parametrize("point", ["recorded", "placed:1"])
def test_killed_before_every_file_was_placed_leaves_nothing_once_put_right(
    letters: LettersService, actor: Actor, schools, out: Path, monkeypatch, point: str
) -> None:  # type: ignore[no-untyped-def]
    killed_at(point, letters, actor, schools, monkeypatch, recipient_folder=out)
    # Before the next run: the letters are recorded, pending, and not shown as sent.
    assert counts(letters)[2] == 2
    assert nothing_sent(letters, actor, schools)
    assert hidden_in(out)  # the staging folder (hidden), left by the kill
    assert len(pdfs_in(out)) == (1 if point == "placed:1" else 0)

    notes = merge_batches.finish_unfinished_merges(letters.db, actor)
    assert len(notes) == 1 and "stopped before it finished: nothing was recorded" in notes[0]
    assert counts(letters) == (0, 0, 0)
    assert list(out.iterdir()) == []
    assert merge_batches.finish_unfinished_merges(letters.db, actor) == []  # nothing more to do


def test_killed_after_every_file_was_placed_is_confirmed(
    letters: LettersService, actor: Actor, schools, out: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    killed_at("placed", letters, actor, schools, monkeypatch, combined_file=out / "run.pdf")
    assert nothing_sent(letters, actor, schools)  # pending: not sent yet
    notes = merge_batches.finish_unfinished_merges(letters.db, actor)
    assert "they are now recorded in each school's history" in notes[0]
    assert pdfs_in(out) == ["run.pdf"] and hidden_in(out) == []
    for key in ("mary", "bow"):
        [row] = letters.correspondence(actor, schools[key].id)
        assert letters.correspondence_pdf(actor, row.id)  # shown, as sent


def test_a_merge_still_running_is_never_put_right_by_another(
    letters: LettersService, actor: Actor, schools, out: Path
) -> None:  # type: ignore[no-untyped-def]
    running = MergeBatch.begin(letters.db, actor, [out])
    try:
        assert merge_batches.finish_unfinished_merges(letters.db, actor) == []
        assert counts(letters)[0] == 1 and hidden_in(out)  # its record and staging kept
    finally:
        running.abandon()
        running.close()
    assert counts(letters) == (0, 0, 0) and list(out.iterdir()) == []


def test_another_computer_s_merge_and_a_folder_not_connected_are_left_pending(
    letters: LettersService, actor: Actor, schools, out: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    killed_at("recorded", letters, actor, schools, monkeypatch, recipient_folder=out)
    monkeypatch.setattr(merge_batches, "this_computer", lambda: "ANOTHER-PC")
    assert merge_batches.finish_unfinished_merges(letters.db, actor) == []
    monkeypatch.undo()
    # The drive (a USB stick, a network share) is not there now: decide when it is back.
    away = out.with_name("away")
    out.rename(away)
    assert merge_batches.finish_unfinished_merges(letters.db, actor) == []
    assert counts(letters)[0] == 1
    away.rename(out)
    assert len(merge_batches.finish_unfinished_merges(letters.db, actor)) == 1
    assert counts(letters) == (0, 0, 0) and list(out.iterdir()) == []


def test_a_placed_file_changed_since_is_not_the_merge_s_to_remove(
    letters: LettersService, actor: Actor, schools, out: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    killed_at("placed:1", letters, actor, schools, monkeypatch, recipient_folder=out)
    [placed] = pdfs_in(out)
    (out / placed).write_bytes(b"the user's own file now")
    merge_batches.finish_unfinished_merges(letters.db, actor)
    assert pdfs_in(out) == [placed]
    assert (out / placed).read_bytes() == b"the user's own file now"
    assert counts(letters) == (0, 0, 0)


def test_the_batch_lists_each_file_with_its_fingerprint_and_is_confirmed(
    letters: LettersService, actor: Actor, schools, out: Path
) -> None:  # type: ignore[no-untyped-def]
    locks_before = set(merge_batches._lock_folder().glob("*.lock"))
    template_id = custom(letters, actor, "Hello {school.name}")
    result = letters.produce(
        actor, template_id, [schools["mary"].id, schools["bow"].id], "Head teacher",
        combined_file=out / "run.pdf", recipient_folder=out,
    )  # fmt: skip
    with letters.db.read_session() as session:
        [batch] = session.scalars(select(LetterBatch)).all()
        files = json.loads(batch.files)
        assert batch.state == "confirmed" and batch.created_by == actor.name
        batch_id = batch.id
        linked = session.scalars(select(Correspondence.batch_id)).all()
    assert sorted(f["path"] for f in files) == sorted(
        str(p) for p in [out / "run.pdf", *result.recipient_files]
    )
    assert set(linked) == {batch_id}
    assert hidden_in(out) == []
    assert set(merge_batches._lock_folder().glob("*.lock")) <= locks_before  # its lock is gone


def test_cancel_leaves_no_batch_no_staging_and_no_lock(
    letters: LettersService, actor: Actor, schools, out: Path
) -> None:  # type: ignore[no-untyped-def]
    locks_before = set(merge_batches._lock_folder().glob("*.lock"))
    template_id = custom(letters, actor, "Hello {school.name}")
    progress = Progress(lambda done, _total, _message: progress.cancel() if done else None)
    with pytest.raises(Cancelled):
        letters.produce(
            actor, template_id, [schools["mary"].id, schools["bow"].id], "Head teacher",
            recipient_folder=out, progress=progress,
        )  # fmt: skip
    assert counts(letters) == (0, 0, 0)
    assert list(out.iterdir()) == []
    assert set(merge_batches._lock_folder().glob("*.lock")) <= locks_before


def test_the_next_merge_puts_an_earlier_one_right_first_and_says_so(
    letters: LettersService, actor: Actor, schools, out: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    killed_at("placed:1", letters, actor, schools, monkeypatch, recipient_folder=out)
    template_id = custom(letters, actor, "Hello again {school.name}", name="Again")
    result = letters.produce(
        actor, template_id, [schools["bow"].id], "Head teacher", recipient_folder=out
    )
    assert len(result.earlier) == 1 and "the 1 PDF it had saved was removed" in result.earlier[0]
    assert pdfs_in(out) == [p.name for p in result.recipient_files]
    assert counts(letters) == (1, 1, 1) and hidden_in(out) == []


def test_a_program_folder_that_cannot_be_written_to_is_said_in_words_and_nothing_is_made(
    letters: LettersService, actor: Actor, schools, out: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "a file"
    blocker.write_text("x")
    monkeypatch.setenv("THEP_DATA_DIR", str(blocker / "data"))
    template_id = custom(letters, actor, "Hello {school.name}")
    with pytest.raises(ServiceError, match="the program's own folder on this computer"):
        letters.produce(
            actor, template_id, [schools["bow"].id], "Head teacher", recipient_folder=out
        )
    assert counts(letters) == (0, 0, 0) and list(out.iterdir()) == []
    assert blocker.read_text() == "x"


def test_every_audit_row_of_a_letter_run_and_its_putting_right_names_the_person(
    letters: LettersService, actor: Actor, schools, out: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """On a local file the trail names the person the services act for, at every step of a
    merge (pending, recorded, confirmed) and of putting a killed one right; a server names
    its own login."""
    from thep_desktop.models import AuditEvent

    killed_at("placed", letters, actor, schools, monkeypatch, combined_file=out / "run.pdf")
    merge_batches.finish_unfinished_merges(letters.db, actor)
    with letters.db.read_session() as session:
        who = set(
            session.scalars(
                select(AuditEvent.actor).where(
                    AuditEvent.table_name.in_(["letter_batch", "document", "correspondence"])
                )
            )
        )
        expected = (
            actor.name
            if letters.db.is_sqlite
            else session.connection().exec_driver_sql("SELECT session_user").scalar_one()
        )
    assert who == {expected}
