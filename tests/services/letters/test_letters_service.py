"""Letter templates, mail merge and correspondence history, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.services.letters.letters_service import (
    LettersService,
    MergeResult,
    TemplateInput,
    academic_year_of,
)
from thep_desktop.services.schools.schools_service import ContactInput, SchoolInput, SchoolsService
from thep_desktop.services.settings.organisation_service import OrganisationService
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


DIRECTOR = "Grace Adeyemi"
SECRETARY = "Samuel Okafor"


def set_signatories(db, actor: Actor, **changes: object) -> None:  # type: ignore[no-untyped-def]
    organisation = OrganisationService(db)
    values: dict[str, object] = {
        "signatory_name": DIRECTOR,
        "signatory_position": "Executive Director",
        "company_secretary": SECRETARY,
    }
    values.update(changes)
    organisation.update_profile(actor, replace(organisation.get_profile(actor), **values))


@pytest.fixture
def letters(db, actor) -> LettersService:  # type: ignore[no-untyped-def]
    set_signatories(db, actor)
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
    with pytest.raises(ValidationError) as caught:
        custom(letters, actor, "Dear {contact.nmae}, your fee is {member.fee_due}.")
    assert "{contact.nmae}" in caught.value.field_errors["body"]
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
    reset = letters.reset_template(actor, welcome.id, changed.version)
    assert reset.body == welcome.body and not reset.changed_from_builtin
    with pytest.raises(ServiceError, match="cannot be deleted"):
        letters.delete_template(actor, welcome.id, reset.version)


def test_own_templates_have_unique_names_and_can_be_deleted(
    letters: LettersService, actor: Actor
) -> None:
    template_id = custom(letters, actor, "Hello {school.name}")
    with pytest.raises(ValidationError, match="already a template"):
        custom(letters, actor, "Another")
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
    assert letters.correspondence(actor, schools["mary"].id) == []


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
    import thep_desktop.services.letters.mail_merge as module

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
    assert letters.correspondence(actor, schools["mary"].id) == []


def signature_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 80), "navy").save(buffer, "PNG")
    return buffer.getvalue()


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


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"signatory_role": "Treasurer"}, "signatory", "Type who signs as Treasurer"),
        ({"signature_image": b"png"}, "signature_image", "goes with a named signatory"),
        (
            {"signatory": "Jo", "signature_image": b"not a picture"},
            "signature_image",
            "not an image this program can read",
        ),
    ],
)
def test_a_signatory_that_cannot_sign_is_refused_and_nothing_saved(
    letters: LettersService, actor: Actor, given, field: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    before = [(t.name, t.version) for t in letters.list_templates(actor)]
    with pytest.raises(ValidationError) as caught:
        letters.create_template(actor, TemplateInput(name="Signed", body="Hello", **given))
    assert message in caught.value.field_errors[field]
    assert [(t.name, t.version) for t in letters.list_templates(actor)] == before


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


def test_a_role_no_contact_has_is_refused_with_the_roles_known(
    letters: LettersService, actor: Actor, schools, out: Path
) -> None:  # type: ignore[no-untyped-def]
    template_id = custom(letters, actor, "Hello {school.name}")
    with pytest.raises(ValidationError) as caught:
        letters.produce(
            actor, template_id, [schools["bow"].id], "Cheif Exec", combined_file=out / "x.pdf"
        )
    message = caught.value.field_errors["contact_role"]
    assert "No contact in the register has the role “Cheif Exec”" in message
    assert "Head teacher" in message and "School business manager" in message
    assert list(out.iterdir()) == [] and letters.correspondence(actor, schools["bow"].id) == []
    assert letters.check_contact_role(actor, "  head   TEACHER ") == "Head teacher"


def test_all_open_schools_leave_out_those_only_proposed_unless_asked(
    db, letters: LettersService, actor: Actor, schools
) -> None:  # type: ignore[no-untyped-def]
    service = SchoolsService(db)
    proposed = service.create_school(
        actor, SchoolInput(urn="100240", name="Aardvark Free School", status="proposed_to_open")
    )
    closed = service.create_school(
        actor,
        SchoolInput(urn="100241", name="Abbey School", status="closed", close_date="31/08/2020"),
    )
    open_ids = letters.open_school_ids(actor)
    assert proposed.id not in open_ids and closed.id not in open_ids
    assert set(open_ids) == {s.id for s in schools.values()}
    assert letters.proposed_school_ids(actor) == [proposed.id]
    with_proposed = letters.open_school_ids(actor, include_proposed=True)
    assert set(with_proposed) == {*open_ids, proposed.id}


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
