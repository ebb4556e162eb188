"""Control characters and other digits in every form, the same on SQLite and PostgreSQL.

Before: a NUL reached PostgreSQL as a raw DataError and was stored by SQLite; a lone surrogate
raised UnicodeEncodeError on both; a full-width URN starting with 0 broke a CHECK constraint
and was blamed on "another school". Now each is refused in words naming the field, with
nothing stored, or (digits of another width) read as the number it is.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from thep_desktop.database import Database
from thep_desktop.models import Contact, LetterTemplate, School, StaffMember
from thep_desktop.services.letters.letter_templates import TemplateInput
from thep_desktop.services.letters.letters_service import LettersService
from thep_desktop.services.schools.schools_service import ContactInput, SchoolInput, SchoolsService
from thep_desktop.services.settings.organisation_service import OrganisationService
from thep_desktop.services.settings.staff_service import StaffInput, StaffService
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ValidationError

HOSTILE = ["\x00", "\x1b]0;pwned\x07", "\x1b[2J", "\udc80", "\x85", "\x7f"]


def count(db: Database, model: type) -> int:
    with db.read_session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def a_school(**overrides: object) -> SchoolInput:
    values: dict[str, object] = {"urn": "100229", "name": "Bethnal Green Primary School"}
    values.update(overrides)
    return SchoolInput(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", HOSTILE)
@pytest.mark.parametrize(
    ("field", "label"),
    [("name", "School name"), ("notes", "Notes"), ("email", "Email"), ("street", "Street")],
)
def test_a_control_character_is_refused_naming_the_field(
    db: Database, actor: Actor, field: str, label: str, bad: str
) -> None:
    service = SchoolsService(db)
    value = {"name": "Bow School", "notes": "Visit", "email": "a@b.sch.uk", "street": "Bow Rd"}
    given = value[field][:2] + bad + value[field][2:]
    with pytest.raises(ValidationError) as exc:
        service.create_school(actor, a_school(**{field: given}))
    assert list(exc.value.field_errors) == [field]
    message = exc.value.field_errors[field]
    assert message.startswith(label) and f"U+{ord(bad[0]):04X}" in message
    assert count(db, School) == 0 and count(db, Contact) == 0


def test_an_edit_with_a_nul_changes_nothing(db: Database, actor: Actor) -> None:
    service = SchoolsService(db)
    school = service.create_school(actor, a_school(notes="First visit"))
    with pytest.raises(ValidationError, match="^Notes holds a null character"):
        service.update_school(
            actor, school.id, school.version, replace(school.as_input(), notes="x\x00y")
        )
    assert service.get_school(actor, school.id) == school


def test_several_line_notes_keep_line_breaks_and_tabs(db: Database, actor: Actor) -> None:
    service = SchoolsService(db)
    notes = "Visit 1:\tgood\nVisit 2:\tbetter\r\nRTL: \u202bמבחן\u202c"
    school = service.create_school(actor, a_school(notes=notes))
    assert service.get_school(actor, school.id).notes == notes.replace("\r\n", "\n")


@pytest.mark.parametrize("bad", ["\n", "\t", "\u202e", "\u2066"])
def test_a_one_line_name_refuses_line_breaks_tabs_and_bidi_overrides(
    db: Database, actor: Actor, bad: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        SchoolsService(db).create_school(actor, a_school(name=f"Bow{bad}School"))
    assert exc.value.field_errors["name"].startswith("School name")
    assert count(db, School) == 0


def test_a_contact_with_a_control_character_is_refused(db: Database, actor: Actor) -> None:
    contact = ContactInput("Ada\x1b[2J Okafor", "Head teacher", "head@bow.sch.uk")
    with pytest.raises(ValidationError) as exc:
        SchoolsService(db).create_school(actor, a_school(contacts=[contact]))
    assert exc.value.field_errors["contacts[0].full_name"].startswith("Contact 1: Contact name")
    assert count(db, School) == 0 and count(db, Contact) == 0


def test_staff_with_a_nul_is_refused(db: Database, actor: Actor) -> None:
    with pytest.raises(ValidationError) as exc:
        StaffService(db).create_staff(actor, StaffInput(full_name="Jo\x00 Bloggs"))
    assert exc.value.field_errors["full_name"].startswith("Name holds a null character")
    assert count(db, StaffMember) == 0


def test_the_organisation_profile_refuses_a_control_character(db: Database, actor: Actor) -> None:
    service = OrganisationService(db)
    before = service.get_profile(actor)
    with pytest.raises(ValidationError) as exc:
        service.update_profile(actor, replace(before, name="THE\udc80 Partnership"))
    assert "name" in exc.value.field_errors
    # Its address is several lines: line breaks stay, a NUL does not.
    with pytest.raises(ValidationError) as exc:
        service.update_profile(actor, replace(before, address="229 Road\nLondon\x00"))
    assert list(exc.value.field_errors) == ["address"]
    assert service.get_profile(actor) == before
    saved = service.update_profile(actor, replace(before, address="229 Road\nLondon"))
    assert saved.address == "229 Road\nLondon"


def test_a_letter_template_refuses_a_control_character(db: Database, actor: Actor) -> None:
    letters = LettersService(db)
    existing = count(db, LetterTemplate)
    with pytest.raises(ValidationError) as exc:
        letters.create_template(
            actor, TemplateInput(name="Visit", subject="Visit", body="Dear all,\n\x1b[2Jhello")
        )
    assert list(exc.value.field_errors) == ["body"]
    assert count(db, LetterTemplate) == existing


# -- digits ------------------------------------------------------------------------------------
def test_a_full_width_urn_is_stored_as_the_number_it_is(db: Database, actor: Actor) -> None:
    service = SchoolsService(db)
    school = service.create_school(
        actor, a_school(urn="\uff11\uff10\uff10\uff19\uff18\uff11", la_code="\uff12\uff11\uff11")
    )
    assert school.urn == 100981 and school.la_code == "211"
    assert service.get_school_by_urn(actor, "\u00b9\u2070\u2070\u2079\u2078\u00b9").id == school.id


def test_a_full_width_duplicate_is_already_used_only_when_it_truly_is(
    db: Database, actor: Actor
) -> None:
    service = SchoolsService(db)
    service.create_school(actor, a_school(urn="100981", name="Bow School"))
    with pytest.raises(ValidationError) as exc:
        service.create_school(actor, a_school(urn="\uff11\uff10\uff10\uff19\uff18\uff11"))
    assert exc.value.field_errors == {"urn": "URN 100981 is already used by Bow School"}
    # Starting with a full-width 0 is not a URN at all, not "already used by another school".
    with pytest.raises(ValidationError) as exc:
        service.create_school(actor, a_school(urn="\uff10\uff11\uff12\uff13\uff14\uff15"))
    assert "is not a URN: a URN is 6 digits" in exc.value.field_errors["urn"]
    assert "already used" not in str(exc.value)
    assert count(db, School) == 1


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("urn", "\u00b9\u00b2\u00b3\u2074\u2075", "is not a URN"),  # five superscript digits
        ("urn", "\u09e7\u09e6\u09e6\u09ef\u09ee\u09e7", "digits of another script"),
        ("pupils_on_roll", "\u09ea\u09e7\u09e8", "digits of another script"),
        ("statutory_low_age", "3\u00bd", "must be a whole number"),
    ],
)
def test_numbers_in_other_digits_are_refused_in_words(
    db: Database, actor: Actor, field: str, value: str, words: str
) -> None:
    extra = {"pupils_census_date": "16/01/2025"} if field == "pupils_on_roll" else {}
    with pytest.raises(ValidationError) as exc:
        SchoolsService(db).create_school(actor, a_school(**{field: value}, **extra))
    assert words in exc.value.field_errors[field]
    assert count(db, School) == 0


def test_pupils_in_full_width_digits_are_read(db: Database, actor: Actor) -> None:
    school = SchoolsService(db).create_school(
        actor, a_school(pupils_on_roll="\uff14\uff11\uff12", pupils_census_date="16/01/2025")
    )
    assert school.pupils_on_roll == 412


def test_the_profiles_codes_in_full_width_digits_are_stored_as_0_to_9(
    db: Database, actor: Actor
) -> None:
    service = OrganisationService(db)
    before = service.get_profile(actor)
    saved = service.update_profile(
        actor,
        replace(
            before,
            company_number="\uff10\uff19\uff18\uff17\uff16\uff15\uff14\uff13",
            bank_sort_code="\uff12\uff10-\uff10\uff10-\uff10\uff10",
            bank_account_number="\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18",
            la_code="\uff12\uff11\uff11",
        ),
    )
    assert (saved.company_number, saved.bank_sort_code) == ("09876543", "20-00-00")
    assert (saved.bank_account_number, saved.la_code) == ("12345678", "211")
