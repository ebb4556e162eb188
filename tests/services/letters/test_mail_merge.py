"""The mail merge: letters merged, signed, laid out, saved whole, recorded."""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import subprocess
from datetime import date
from pathlib import Path

import pytest
from letters_helpers import (  # tests/services/letters/letters_helpers.py
    ADVERSARIAL,
    DIRECTOR,
    SECRETARY,
    WHEN,
    custom,
    nothing_sent,
    qpdf_check,
    set_signatories,
    signature_png,
    text_of,
)
from pypdf import PdfReader

from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.services.letters.letters_service import (
    LettersService,
    MergeResult,
    TemplateInput,
    academic_year_of,
)
from thep_desktop.services.schools.schools_service import SchoolInput, SchoolsService
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import (
    PermissionDeniedError,
    ServiceError,
    ValidationError,
)


def test_mail_merge_into_one_pdf_records_each_school_s_pages(
    letters: LettersService, actor: Actor, schools, out: Path
) -> None:  # type: ignore[no-untyped-def]
    long_body = "\n\n".join(["{school.name} is valued. " * 30] * 8)
    template_id = custom(letters, actor, "Dear {contact.salutation},\n\n" + long_body)
    target = out / "run.pdf"
    result = letters.produce(
        actor,
        template_id,
        [schools["mary"].id, schools["bow"].id, schools["noaddress"].id],
        "Head teacher",
        combined_file=target,
        letter_date=WHEN,
    )
    assert result.letters == 2 and [s.school_name for s in result.skipped] == ["Nowhere School"]
    assert target.exists() and not list(out.glob("*.partial"))
    qpdf_check(target)
    whole = PdfReader(target)
    assert len(whole.pages) == result.pages
    history = letters.correspondence(actor, schools["bow"].id)
    assert len(history) == 1 and history[0].recipient_name == "Mrs Ada Okafor"
    assert history[0].subject == "About Bow Common Nursery School"
    own = letters.correspondence_pdf(actor, history[0].id)
    (out / "own.pdf").write_bytes(own)  # one school's pages, taken out of the print run
    qpdf_check(out / "own.pdf")
    own_text = text_of(own)
    assert "Bow Common Nursery School" in own_text and ADVERSARIAL not in own_text
    assert len(PdfReader(io.BytesIO(own)).pages) == history[0].pages
    mary = letters.correspondence(actor, schools["mary"].id)[0]
    assert ADVERSARIAL in text_of(letters.correspondence_pdf(actor, mary.id))
    assert "22 November 2026" in text_of(letters.correspondence_pdf(actor, mary.id))


def test_one_pdf_per_school_named_by_school_and_date(
    letters: LettersService, actor: Actor, schools, out: Path
) -> None:  # type: ignore[no-untyped-def]
    template_id = custom(letters, actor, "Hello {school.name}", name="Hello")
    result = letters.produce(
        actor,
        template_id,
        [schools["mary"].id, schools["bow"].id],
        "Head teacher",
        recipient_folder=out,
        letter_date=WHEN,
    )
    names = sorted(p.name for p in result.recipient_files)
    assert names == [
        "Bow Common Nursery School - Hello - 2026-11-22.pdf",
        "St Mary & St John's Primary - Hello - 2026-11-22.pdf",
    ]
    for path in result.recipient_files:
        history = letters.correspondence(
            actor, schools["bow"].id if path.name.startswith("Bow") else schools["mary"].id
        )
        assert letters.correspondence_pdf(actor, history[0].id) == path.read_bytes()
        assert history[0].sha256 and history[0].filename == path.name
        qpdf_check(path)
    # The same letters again that day: new files beside the first, none replaced.
    again = letters.produce(
        actor,
        template_id,
        [schools["mary"].id, schools["bow"].id],
        "Head teacher",
        recipient_folder=out,
        letter_date=WHEN,
    )
    assert sorted(p.name for p in again.recipient_files) == [
        "Bow Common Nursery School - Hello - 2026-11-22 (2).pdf",
        "St Mary & St John's Primary - Hello - 2026-11-22 (2).pdf",
    ]
    assert len(list(out.glob("*.pdf"))) == 4


def test_membership_fields_need_a_membership_record(
    letters: LettersService, actor: Actor, schools, out: Path
) -> None:  # type: ignore[no-untyped-def]
    welcome = letters.find_template(actor, "Welcome to membership")
    with pytest.raises(ServiceError, match="membership record") as caught:
        letters.produce(
            actor, welcome.id, [schools["bow"].id], "Head teacher", combined_file=out / "w.pdf"
        )
    assert "Bow Common Nursery School" in str(caught.value)
    assert not list(out.iterdir())
    assert nothing_sent(letters, actor, schools)


def test_mailing_values_are_asked_for_and_used(
    letters: LettersService, actor: Actor, schools, out: Path
) -> None:  # type: ignore[no-untyped-def]
    notice = letters.find_template(actor, "general_meeting")
    assert letters.mailing_fields(notice) == [
        "meeting.name",
        "meeting.place",
        "meeting.date",
        "meeting.time",
        "meeting.business",
    ]
    with pytest.raises(ValidationError, match="Meeting date"):
        letters.produce(
            actor, notice.id, [schools["bow"].id], "Head teacher", combined_file=out / "n.pdf"
        )
    assert list(out.iterdir()) == [] and nothing_sent(letters, actor, schools)
    mailing = {
        "meeting.name": "Annual General Meeting",
        "meeting.place": "the Professional Development Centre",
        "meeting.date": "Thursday 14 January 2027",
        "meeting.time": "4.00 pm",
        "meeting.business": "to receive the accounts",
    }
    letters.produce(
        actor,
        notice.id,
        [schools["bow"].id],
        "Head teacher",
        combined_file=out / "n.pdf",
        mailing=mailing,
    )
    text = text_of((out / "n.pdf").read_bytes())
    assert "Annual General Meeting" in text and "Thursday 14 January 2027 at 4.00 pm" in text


@pytest.mark.parametrize("typed", ["Annual\x00General Meeting", "AGM\x1b[2J", "AGM \udc80"])
def test_a_mailing_value_holding_a_control_character_is_refused_in_words(
    letters: LettersService, actor: Actor, schools, out: Path, typed: str
) -> None:  # type: ignore[no-untyped-def]
    """Typed in the mail merge window (the CLI's --set is checked too): named beside its
    box, and nothing written or recorded, the same on both databases."""
    notice = letters.find_template(actor, "general_meeting")
    mailing = {name: "x" for name in letters.mailing_fields(notice)}
    mailing["meeting.name"] = typed
    with pytest.raises(ValidationError) as refused:
        letters.produce(
            actor,
            notice.id,
            [schools["bow"].id],
            "Head teacher",
            combined_file=out / "n.pdf",
            mailing=mailing,
        )
    assert list(refused.value.field_errors) == ["mailing.meeting.name"]
    assert refused.value.message.startswith("Meeting (e.g. Annual General Meeting) holds ")
    assert list(out.iterdir()) == [] and nothing_sent(letters, actor, schools)
    with pytest.raises(ValidationError):
        letters.preview(actor, notice.as_input(), mailing=mailing)


def test_cancel_leaves_no_file_and_no_history(
    letters: LettersService, actor: Actor, schools, out: Path
) -> None:  # type: ignore[no-untyped-def]
    template_id = custom(letters, actor, "Hello {school.name}")
    progress = Progress(on_report=lambda done, total, _m: progress.cancel() if done >= 1 else None)
    with pytest.raises(Cancelled):
        letters.produce(
            actor,
            template_id,
            [schools["mary"].id, schools["bow"].id],
            "Head teacher",
            combined_file=out / "run.pdf",
            recipient_folder=out,
            progress=progress,
        )
    assert list(out.iterdir()) == []
    assert nothing_sent(letters, actor, schools)


def test_nothing_to_write_to_is_refused(
    letters: LettersService, actor: Actor, schools, out
) -> None:  # type: ignore[no-untyped-def]
    template_id = custom(letters, actor, "Hello")
    with pytest.raises(ServiceError, match="at least one school"):
        letters.produce(actor, template_id, [], "Head teacher", combined_file=out / "x.pdf")
    with pytest.raises(ServiceError, match="No letters could be produced"):
        letters.produce(
            actor,
            template_id,
            [schools["noaddress"].id],
            "Head teacher",
            combined_file=out / "x.pdf",
        )
    with pytest.raises(ServiceError, match="Choose where"):
        letters.produce(actor, template_id, [schools["bow"].id], "Head teacher")
    assert list(out.iterdir()) == []
    assert nothing_sent(letters, actor, schools)


def test_a_viewer_can_read_but_not_send(
    letters: LettersService, actor: Actor, schools, out
) -> None:  # type: ignore[no-untyped-def]
    viewer = Actor("visitor", Role.VIEWER)
    template = letters.list_templates(viewer)[0]
    with pytest.raises(PermissionDeniedError):
        letters.produce(
            viewer,
            template.id,
            [schools["bow"].id],
            "Head teacher",
            combined_file=out / "x.pdf",
        )
    assert list(out.iterdir()) == [] and nothing_sent(letters, actor, schools)


def test_preview_uses_example_values_or_a_real_school(
    letters: LettersService, actor: Actor, schools
) -> None:  # type: ignore[no-untyped-def]
    data = TemplateInput(name="x", subject="For {school.name}", body="Fee {member.fee_due}.")
    assert "For Bow Common Primary School" in text_of(letters.preview(actor, data))
    real = letters.preview(actor, data, school_id=schools["mary"].id)
    assert f"For {ADVERSARIAL}" in text_of(real)


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2026, 8, 31), "2025/26"), (date(2026, 9, 1), "2026/27"), (date(2099, 12, 1), "2099/00")],
)
def test_academic_year(day: date, year: str) -> None:
    assert academic_year_of(day) == year


def test_a_file_that_cannot_take_its_place_leaves_no_history(
    letters: LettersService, actor: Actor, schools, out: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A PDF open in a viewer on Windows cannot be replaced: then nothing is recorded."""
    import thep_desktop.services.letters.merge_batches as module

    template_id = custom(letters, actor, "Hello {school.name}")
    real_replace = module.os.replace

    def locked(source, target):  # type: ignore[no-untyped-def]
        if Path(target).name == "run.pdf":
            raise PermissionError(13, "The process cannot access the file", str(target))
        return real_replace(source, target)

    monkeypatch.setattr(module.os, "replace", locked)
    with pytest.raises(ServiceError, match="run.pdf is open in another program"):
        letters.produce(
            actor,
            template_id,
            [schools["mary"].id, schools["bow"].id],
            "Head teacher",
            combined_file=out / "run.pdf",
        )
    assert list(out.iterdir()) == []
    assert nothing_sent(letters, actor, schools)


def test_a_built_in_letter_is_signed_by_the_default_signatory_and_closes_as_addressed(
    letters: LettersService, actor: Actor, schools, out: Path
) -> None:  # type: ignore[no-untyped-def]
    """Named reader: Yours sincerely; "Sir or Madam" (no manager recorded): Yours faithfully."""
    visit = letters.find_template(actor, "review_visit")
    result = letters.produce(
        actor,
        visit.id,
        [schools["mary"].id, schools["bow"].id],
        "School business manager",
        recipient_folder=out,
        mailing={
            "visit.date": "Tuesday 9 February 2027",
            "visit.focus": "Reading",
            "visit.team": "A",
        },
        letter_date=WHEN,
    )
    mary, bow = sorted(result.recipient_files, key=lambda p: not p.name.startswith("St Mary"))
    named = text_of(mary.read_bytes())
    assert "Dear Mr Price," in named
    assert (
        named.index("Yours sincerely") < named.index(DIRECTOR) < named.index("Executive Director")
    )
    assert "Yours faithfully" not in named
    unnamed = text_of(bow.read_bytes())
    assert "Dear Sir or Madam," in unnamed and "Yours faithfully" in unnamed
    assert "Yours sincerely" not in unnamed and DIRECTOR in unnamed


def test_a_formal_notice_is_signed_by_order_of_the_board_by_the_company_secretary(
    letters: LettersService, actor: Actor, schools, out: Path
) -> None:  # type: ignore[no-untyped-def]
    notice = letters.find_template(actor, "general_meeting")
    mailing = {name: "x" for name in letters.mailing_fields(notice)}
    letters.produce(
        actor, notice.id, [schools["bow"].id], "Head teacher", combined_file=out / "n.pdf",
        mailing=mailing,
    )  # fmt: skip
    text = text_of((out / "n.pdf").read_bytes())
    assert (
        text.index("By order of the Board")
        < text.index(SECRETARY)
        < text.index("Company Secretary")
    )
    assert DIRECTOR not in text and "Yours" not in text


def test_letters_signed_by_nobody_are_refused_and_nothing_is_written(
    db, letters: LettersService, actor: Actor, schools, out: Path
) -> None:  # type: ignore[no-untyped-def]
    set_signatories(db, actor, signatory_name="", signatory_position="", company_secretary="")
    template_id = custom(letters, actor, "Hello {school.name}")
    with pytest.raises(ServiceError, match="Nobody signs this letter.*Organisation profile"):
        letters.produce(
            actor, template_id, [schools["bow"].id], "Head teacher", combined_file=out / "a.pdf"
        )
    notice = letters.find_template(actor, "general_meeting")
    with pytest.raises(ServiceError, match="signed by the company secretary, and no name"):
        letters.produce(
            actor, notice.id, [schools["bow"].id], "Head teacher", combined_file=out / "b.pdf",
            mailing={name: "x" for name in letters.mailing_fields(notice)},
        )  # fmt: skip
    assert list(out.iterdir()) == []
    assert letters.correspondence(actor, schools["bow"].id) == []


def test_a_template_signed_by_its_own_person_with_a_signature_image(
    letters: LettersService, actor: Actor, schools, out: Path
) -> None:  # type: ignore[no-untyped-def]
    template_id = custom(
        letters,
        actor,
        "Hello {school.name}.\n\nWith thanks from {sender.name}.",
        signatory="Kwame Mensah",
        signatory_role="School Improvement Partner",
        signature_image=signature_png(),
        signature_image_filename="kwame.png",
    )
    saved = letters.get_template(actor, template_id)
    assert (
        saved.signature_image == signature_png() and saved.signature_image_filename == "kwame.png"
    )
    letters.produce(
        actor, template_id, [schools["bow"].id], "Head teacher", combined_file=out / "k.pdf"
    )
    data = (out / "k.pdf").read_bytes()
    text = text_of(data)
    assert "With thanks from Kwame Mensah." in text
    assert "Kwame Mensah School Improvement Partner" in text and DIRECTOR not in text
    assert len(PdfReader(io.BytesIO(data)).pages[0].images) == 1


def test_letter_files_are_written_with_the_user_s_usual_permissions(
    letters: LettersService, actor: Actor, schools, out: Path
) -> None:  # type: ignore[no-untyped-def]
    template_id = custom(letters, actor, "Hello {school.name}")
    old = os.umask(0o022)
    try:
        result = letters.produce(
            actor, template_id, [schools["bow"].id], "Head teacher",
            combined_file=out / "run.pdf", recipient_folder=out,
        )  # fmt: skip
    finally:
        os.umask(old)
    for path in [out / "run.pdf", *result.recipient_files]:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o644, path


def test_the_result_counts_letters_and_pages_in_words() -> None:
    assert str(MergeResult(1, 1, None, (), (), ())) == "1 letter, 1 page"
    assert str(MergeResult(2, 3, None, (), (), ())) == "2 letters, 3 pages"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler is not installed")
def test_a_school_s_full_address_shows_through_the_envelope_window(
    db, letters: LettersService, actor: Actor, out: Path
) -> None:  # type: ignore[no-untyped-def]
    """Name, role, school, three address lines, town and postcode: eight lines, folded to
    seven (the postcode beside the town), all 50-84 mm down and 20-110 mm in."""
    school = SchoolsService(db).create_school(
        actor,
        SchoolInput(
            urn="100250",
            name="Stepney Greencoat Church of England Primary School",
            street="Norbiton Road",
            locality="Limehouse",
            address3="Tower Hamlets",
            town="London",
            postcode="E14 7TF",
            head_title="Mr",
            head_first_name="Luke",
            head_last_name="Rahman",
        ),
    )
    template_id = custom(letters, actor, "Hello {school.name}")
    letters.produce(actor, template_id, [school.id], "Head teacher", combined_file=out / "a.pdf")
    done = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(out / "a.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    mm = 72 / 25.4
    boxes = [
        (word, float(x0) / mm, float(y0) / mm, float(x1) / mm, float(y1) / mm)
        for x0, y0, x1, y1, word in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
            done.stdout,
        )
    ]
    # The address block: the words left of the reference column, between the rule and body.
    block = [b for b in boxes if 45 < b[2] < 95 and b[1] < 110]
    words = [b[0] for b in block]
    for expected in ("Luke", "Rahman", "Teacher", "Greencoat", "Norbiton", "Limehouse",
                     "Hamlets", "London", "E14", "7TF"):  # fmt: skip
        assert expected in words, expected
    assert len({round(b[2], 1) for b in block}) == 7  # lines
    assert min(b[2] for b in block) >= 50 and max(b[4] for b in block) <= 84
    assert min(b[1] for b in block) >= 20 and max(b[3] for b in block) <= 110
    london = next(b for b in block if b[0] == "London")
    postcode = next(b for b in block if b[0] == "E14")
    assert round(london[2], 1) == round(postcode[2], 1)  # the postcode beside the town
