"""A mail merge while a colleague removes one of its schools: words, and no letters half-sent."""

from __future__ import annotations

from pathlib import Path

import pytest
from letters_helpers import custom, nothing_sent

from thep_desktop.database import Database
from thep_desktop.domain.progress import Progress
from thep_desktop.services.letters.letters_service import LettersService
from thep_desktop.services.schools.schools_service import SchoolsService
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import NotFoundError


@pytest.mark.parametrize("where", ["one PDF", "a folder"])
def test_a_school_removed_while_its_letters_are_made(
    db, letters: LettersService, actor: Actor, schools, out: Path, where: str
) -> None:  # type: ignore[no-untyped-def]
    template_id = custom(letters, actor, "Hello {school.name}")
    bow = schools["bow"]
    colleague_db = Database(db.url)
    removed: list[bool] = []

    def colleague_removes_bow(done: int, _total: int, _message: str) -> None:
        if done >= 1 and not removed:
            SchoolsService(colleague_db).delete_school(Actor("sam.other"), bow.id, bow.version)
            removed.append(True)

    target = {"combined_file": out / "run.pdf"} if where == "one PDF" else {"recipient_folder": out}
    try:
        with pytest.raises(NotFoundError) as caught:
            letters.produce(
                actor,
                template_id,
                [schools["mary"].id, bow.id],
                "Head teacher",
                progress=Progress(on_report=colleague_removes_bow),
                **target,
            )
    finally:
        colleague_db.dispose()
    assert removed
    assert caught.value.message == (
        "Someone removed Bow Common Nursery School from the register while the letters were "
        "being made. No letters were saved or recorded; run the mail merge again."
    )
    assert list(out.iterdir()) == []
    assert nothing_sent(letters, actor, {k: v for k, v in schools.items() if k != "bow"})
