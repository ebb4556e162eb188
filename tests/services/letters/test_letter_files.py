"""Each school's PDF: a name every disk takes, however long the school's name, never clashing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from letters_helpers import custom  # tests/services/letters/letters_helpers.py

from thep_desktop.services.letters.letter_files import file_names
from thep_desktop.services.letters.letters_service import LettersService
from thep_desktop.services.schools.schools_service import ContactInput, SchoolInput, SchoolsService
from thep_desktop.services.shared.actor import Actor

WHEN = date(2026, 11, 30)
# 200 characters each, the most a school's name holds.
ARABIC = ("مدرسة الأمل الابتدائية للبنات في شرق لندن " * 5)[:200]
CHINESE = ("伦敦东区圣玛丽与圣约翰天主教联合小学" * 12)[:200]
EMOJI = ("🏫📚🌈✏️" * 60)[:200]
# Two schools whose names agree far beyond what any file name holds.
TWIN_A = "ا" * 190 + " الشرقية"
TWIN_B = "ا" * 190 + " الغربية"


def _fits(name: str) -> bool:
    return len(name.encode("utf-8")) <= 255 and len(name.encode("utf-16-le")) // 2 <= 255


def test_long_names_in_any_script_are_cut_to_fit_and_keep_template_and_date(
    tmp_path: Path,
) -> None:
    names = file_names([ARABIC, CHINESE, EMOJI, "Bow School"], WHEN, "Welcome letter", tmp_path)
    assert all(_fits(n) for n in names), [len(n.encode()) for n in names]
    assert all(n.endswith(" - Welcome letter - 2026-11-30.pdf") for n in names)
    assert names[0].startswith(ARABIC[:50]) and names[1].startswith(CHINESE[:40])
    assert names[3] == "Bow School - Welcome letter - 2026-11-30.pdf"  # short names as before


def test_names_that_agree_in_all_that_fits_get_a_number_not_the_same_file(
    tmp_path: Path,
) -> None:
    (tmp_path / file_names([TWIN_A], WHEN, "Welcome", tmp_path)[0]).write_bytes(b"sent")
    names = file_names([TWIN_A, TWIN_B, TWIN_A], WHEN, "Welcome", tmp_path)
    assert len({n.casefold() for n in names}) == 3
    assert names[0].endswith(" (2).pdf") and names[2].endswith(" (4).pdf")
    assert all(_fits(n) for n in names)


def test_a_template_named_at_great_length_still_leaves_room_for_the_school(
    tmp_path: Path,
) -> None:
    [name] = file_names(["Bow School"], WHEN, "لقاء " * 100, tmp_path)
    assert _fits(name) and name.startswith("Bow School - ")


@pytest.fixture
def long_named(db, actor):  # type: ignore[no-untyped-def]
    service = SchoolsService(db)
    ids = []
    # Arabic words wrap: 130 letters (260 bytes) take the lines the envelope window has left.
    for number, name in enumerate([ARABIC[:130], CHINESE, EMOJI, TWIN_A, TWIN_B]):
        ids.append(
            service.create_school(
                actor,
                SchoolInput(
                    urn=str(140000 + number),
                    name=name,
                    street="1 High Street",
                    town="London",
                    postcode="E1 1AA",
                    contacts=[ContactInput("Ms Ada Okafor", "Head teacher", "")],
                ),
            ).id
        )
    return ids


def test_a_merge_to_schools_with_200_character_names_writes_every_letter(
    letters: LettersService, actor: Actor, long_named: list[int], out: Path
) -> None:
    """Once "File name too long" stopped the whole merge at the first such school."""
    template_id = custom(letters, actor, "Hello {school.name}")
    result = letters.produce(
        actor, template_id, long_named, "Head teacher", recipient_folder=out, letter_date=WHEN
    )
    assert result.letters == 5
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(p.name for p in result.recipient_files)
    assert len(written) == 5 and all(_fits(n) for n in written)
    assert not [n for n in written if n.startswith(".")]  # no working files left
    for school_id in long_named:
        [row] = letters.correspondence(actor, school_id)
        assert (out / row.filename).exists()


def test_a_school_whose_address_cannot_fit_the_envelope_is_left_out_not_the_whole_merge(
    db, letters: LettersService, actor: Actor, long_named: list[int], out: Path
) -> None:  # type: ignore[no-untyped-def]
    """200 Arabic letters wrap to more lines than the window shows: that school is listed
    as left out, with the reason, and every other school gets its letter."""
    too_long = (
        SchoolsService(db)
        .create_school(
            actor,
            SchoolInput(
                urn="149999",
                name=ARABIC,
                street="1 High Street",
                town="London",
                postcode="E1 1AA",
                contacts=[ContactInput("Ms Ada Okafor", "Head teacher", "")],
            ),
        )
        .id
    )
    template_id = custom(letters, actor, "Hello {school.name}")
    result = letters.produce(
        actor,
        template_id,
        [*long_named, too_long],
        "Head teacher",
        recipient_folder=out,
        letter_date=WHEN,
    )
    assert result.letters == 5
    [skipped] = result.skipped
    assert skipped.school_name == ARABIC
    assert "show through the envelope window" in skipped.reason
    assert len(list(out.iterdir())) == 5
    assert letters.correspondence(actor, too_long) == []
