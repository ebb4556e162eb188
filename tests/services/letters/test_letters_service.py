"""Letter templates, mail merge and correspondence history, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.services.letters.letters_service import (
    LettersService,
    TemplateInput,
    academic_year_of,
)
from thep_desktop.services.schools.schools_service import ContactInput, SchoolInput, SchoolsService
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import (
    ConflictError,
    PermissionDeniedError,
    ServiceError,
    ValidationError,
)

ADVERSARIAL = "St Mary & St John's <Primary>"
WHEN = date(2026, 11, 22)


def qpdf_check(path: Path) -> None:
    """Every PDF the mail merge writes is well formed (when qpdf is installed, as in CI)."""
    if shutil.which("qpdf") is None:
        return
    done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def text_of(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def nothing_sent(letters: LettersService, actor: Actor, schools) -> bool:  # type: ignore[no-untyped-def]
    """No school's history records a letter."""
    return all(letters.correspondence(actor, school.id) == [] for school in schools.values())


@pytest.fixture
def schools(db, actor):  # type: ignore[no-untyped-def]
    service = SchoolsService(db)
    made = {}
    made["mary"] = service.create_school(
        actor,
        SchoolInput(
            urn="100234",
            name=ADVERSARIAL,
            street="Ben Jonson Road",
            town="London",
            postcode="E1 4SD",
            head_title="Ms",
            head_first_name="Rahima",
            head_last_name="Begum",
            contacts=[
                ContactInput("Mr Tom Price", "School business manager", "sbm@stmary.sch.uk"),
            ],
        ),
    )
    made["bow"] = service.create_school(
        actor,
        SchoolInput(
            urn="100235",
            name="Bow Common Nursery School",
            street="Bow Common Lane",
            town="London",
            postcode="E3 4AX",
            contacts=[ContactInput("Mrs Ada Okafor", "Head teacher", "head@bow.sch.uk")],
        ),
    )
    made["noaddress"] = service.create_school(
        actor, SchoolInput(urn="100236", name="Nowhere School")
    )
    return made


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder of its own for the letters (the SQLite test database is in tmp_path)."""
    folder = tmp_path / "letters"
    folder.mkdir()
    return folder


@pytest.fixture
def letters(db) -> LettersService:  # type: ignore[no-untyped-def]
    return LettersService(db)


def custom(letters: LettersService, actor: Actor, body: str, **kw) -> int:  # type: ignore[no-untyped-def]
    data = TemplateInput(
        name=kw.pop("name", "Custom"), subject="About {school.name}", body=body, **kw
    )
    return letters.create_template(actor, data).id


def test_built_in_templates_are_there_once(letters: LettersService, actor: Actor) -> None:
    first = letters.list_templates(actor)
    again = letters.list_templates(actor)
    keys = sorted(t.key for t in first if t.key)
    assert keys == sorted(
        [
            "welcome",
            "notice_ack",
            "fee_letter",
            "payment_reminder",
            "review_visit",
            "general_meeting",
        ]
    )
    assert len(again) == len(first) and all(t.builtin for t in first)


def test_unknown_merge_field_is_refused_with_its_name(
    letters: LettersService, actor: Actor
) -> None:
    before = letters.list_templates(actor)
    with pytest.raises(ValidationError) as caught:
        custom(letters, actor, "Dear {contact.nmae}, your fee is {member.fee_due}.")
    assert "{contact.nmae}" in caught.value.field_errors["body"]
    assert letters.list_templates(actor) == before  # nothing saved
    assert "{member.fee_due}" not in caught.value.field_errors["body"]
    with pytest.raises(ValidationError) as caught:
        letters.preview(actor, TemplateInput(name="x", subject="{school.nam}", body="x"))
    assert "{school.nam}" in caught.value.field_errors["subject"]


def test_built_in_wording_can_be_changed_and_reset(letters: LettersService, actor: Actor) -> None:
    welcome = letters.find_template(actor, "welcome")
    data = welcome.as_input()
    data.body = "Welcome, {school.name}."
    changed = letters.update_template(actor, welcome.id, data, welcome.version)
    assert changed.changed_from_builtin
    with pytest.raises(ConflictError):
        letters.update_template(actor, welcome.id, data, welcome.version)  # stale version
    assert letters.get_template(actor, welcome.id) == changed  # the newer save stands
    reset = letters.reset_template(actor, welcome.id, changed.version)
    assert reset.body == welcome.body and not reset.changed_from_builtin
    with pytest.raises(ServiceError, match="cannot be deleted"):
        letters.delete_template(actor, welcome.id, reset.version)
    assert letters.get_template(actor, welcome.id) == reset


def test_own_templates_have_unique_names_and_can_be_deleted(
    letters: LettersService, actor: Actor
) -> None:
    template_id = custom(letters, actor, "Hello {school.name}")
    before = letters.list_templates(actor)
    with pytest.raises(ValidationError, match="already a template"):
        custom(letters, actor, "Another")
    assert letters.list_templates(actor) == before
    letters.delete_template(actor, template_id, 1)
    assert all(t.name != "Custom" for t in letters.list_templates(actor))


def test_recipients_use_the_contact_or_fall_back_with_a_warning(
    letters: LettersService, actor: Actor, schools
) -> None:  # type: ignore[no-untyped-def]
    ids = [schools["mary"].id, schools["bow"].id, schools["noaddress"].id]
    heads, skipped = letters.recipients(actor, ids, "Head teacher")
    assert [r.contact_name for r in heads] == ["Ms Rahima Begum", "Mrs Ada Okafor"]
    assert heads[0].address == (
        "Ms Rahima Begum",
        "Head Teacher",
        ADVERSARIAL,
        "Ben Jonson Road",
        "London",
        "E1 4SD",
    )
    assert [r.values["contact.salutation"] for r in heads] == ["Ms Begum", "Mrs Okafor"]
    assert [s.school_name for s in skipped] == ["Nowhere School"]
    assert "postal address" in skipped[0].reason
    managers, _ = letters.recipients(actor, ids, "School business manager")
    assert managers[0].contact_name == "Mr Tom Price" and not managers[0].warning
    assert managers[1].address[0] == "The School Business Manager"
    assert "no school business manager is recorded" in managers[1].warning


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
    import thep_desktop.services.letters.letters_service as module

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
