"""Checking a school as typed: every problem named by its field at once, values as stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from thep_desktop.domain.dates import format_date
from thep_desktop.models import SchoolStatus
from thep_desktop.services.schools.school_checks import SCHOOL_LABELS, check_school
from thep_desktop.services.schools.school_data import SCHOOL_FIELDS, ContactInput, SchoolInput
from thep_desktop.services.shared.errors import ValidationError


def typed(**overrides: object) -> SchoolInput:
    values: dict[str, object] = {
        "urn": " 100229 ",
        "name": "Bethnal Green Primary School",
        "la_code": "211",
        "establishment_number": "2345",
        "postcode": "e2 6ab",
        "pupils_on_roll": "412",
        "pupils_census_date": "16/01/2026",
    }
    values.update(overrides)
    return SchoolInput(**values)  # type: ignore[arg-type]


def test_every_school_field_has_a_label_for_its_messages() -> None:
    assert set(SCHOOL_LABELS) == set(SCHOOL_FIELDS)


def test_values_come_back_as_the_register_stores_them() -> None:
    contact = ContactInput("Tom Okafor", "School business manager", "sbm@bgps.sch.uk", "", 7)
    values, contacts = check_school(typed(contacts=[contact]))
    assert values["urn"] == 100229
    assert values["postcode"] == "E2 6AB"
    assert values["pupils_on_roll"] == 412
    assert values["pupils_census_date"] == date(2026, 1, 16)
    assert values["status"] is SchoolStatus.OPEN
    assert set(values) == set(SCHOOL_FIELDS)
    assert contacts == [
        (
            {
                "full_name": "Tom Okafor",
                "role": "School business manager",
                "email": "sbm@bgps.sch.uk",
                "phone": "",
            },
            7,
        )
    ]


def test_every_problem_is_named_at_once_with_the_contact_row() -> None:
    bad = typed(
        urn="12",
        name=" ",
        postcode="E3 XYZ",
        pupils_census_date="",
        contacts=[ContactInput("Amina Rahman"), ContactInput("", email="not-an-email")],
    )
    with pytest.raises(ValidationError) as refused:
        check_school(bad)
    errors = refused.value.field_errors
    assert set(errors) == {
        "urn",
        "name",
        "postcode",
        "pupils_census_date",
        "contacts[1].full_name",
        "contacts[1].email",
    }
    assert "not a UK postcode" in errors["postcode"]
    assert errors["contacts[1].full_name"].startswith("Contact 2: ")
    assert "not an email address" in errors["contacts[1].email"]
    assert errors["pupils_census_date"] == "Give the census date the pupil number refers to"


def test_a_closure_still_to_come_is_stored_as_open_until_then() -> None:
    later = date.today() + timedelta(days=30)
    values, _contacts = check_school(typed(status="closed", close_date=format_date(later)))
    assert values["status"] is SchoolStatus.OPEN and values["close_date"] == later


def test_dates_and_ages_that_contradict_each_other_are_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        check_school(
            typed(
                status=SchoolStatus.CLOSED,
                open_date="01/09/2020",
                close_date="01/09/2019",
                statutory_low_age="11",
                statutory_high_age="4",
            )
        )
    assert refused.value.field_errors == {
        "close_date": "The closing date is before the opening date",
        "statutory_high_age": "The highest age cannot be below the lowest age",
    }


def test_an_open_school_whose_closing_date_has_passed_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        check_school(typed(status=SchoolStatus.OPEN, close_date="31/08/2020"))
    assert refused.value.field_errors["close_date"].startswith("This closing date has passed")
