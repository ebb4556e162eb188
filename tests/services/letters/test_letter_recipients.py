"""Who each letter goes to: the contact, the fallback, the role, the open schools."""

from __future__ import annotations

from pathlib import Path

import pytest
from letters_helpers import (  # tests/services/letters/letters_helpers.py
    ADVERSARIAL,
    custom,
)

from thep_desktop.services.letters.letters_service import (
    LettersService,
)
from thep_desktop.services.schools.schools_service import SchoolInput, SchoolsService
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    ValidationError,
)


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
