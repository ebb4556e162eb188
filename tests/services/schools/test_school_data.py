"""A school as plain data: the DfE number, the head's name, and a detail read back as input."""

from __future__ import annotations

from thep_desktop.database import Database
from thep_desktop.services.schools.school_data import (
    SCHOOL_FIELDS,
    ContactInput,
    SchoolInput,
    head_name,
    laestab,
)
from thep_desktop.services.schools.schools_service import SchoolsService
from thep_desktop.services.shared.actor import Actor


def test_dfe_number_and_head_name_leave_out_what_is_missing() -> None:
    assert laestab("211", "2345") == "211/2345"
    assert laestab("211", "") == "211"
    assert laestab("", "2345") == "2345"
    assert head_name("Ms", "", "Rahman") == "Ms Rahman"
    assert head_name("", "", "") == ""


def test_a_school_read_back_gives_the_same_input_again(db: Database, actor: Actor) -> None:
    service = SchoolsService(db)
    detail = service.create_school(
        actor,
        SchoolInput(
            urn=100229,
            name="Bethnal Green Primary School",
            statutory_low_age="3",
            statutory_high_age="11",
            street="229 Bethnal Green Road",
            town="London",
            postcode="E2 6AB",
            contacts=[ContactInput("Amina Rahman", "Head teacher")],
        ),
    )
    assert detail.age_range == "3 to 11"
    assert detail.address_lines == ["229 Bethnal Green Road", "London", "E2 6AB"]
    again = detail.as_input()
    assert [c.id for c in again.contacts] == [detail.contacts[0].id]
    saved = service.update_school(actor, detail.id, detail.version, again)
    assert saved.version == detail.version + 1
    assert all(getattr(saved, name) == getattr(detail, name) for name in SCHOOL_FIELDS)
    assert saved.contacts == detail.contacts
