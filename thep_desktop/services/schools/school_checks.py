"""Checking what a person typed for a school, every problem named beside its field at once."""

from __future__ import annotations

from datetime import date
from typing import Any

from thep_desktop.domain.schools import closes_later
from thep_desktop.domain.validation import (
    OLDEST_STATUTORY_AGE,
    check_digits,
    check_email,
    check_phone,
    check_urn,
    check_website,
    normalise_postcode,
)
from thep_desktop.models import School, SchoolStatus
from thep_desktop.services.schools.school_contacts import check_contacts
from thep_desktop.services.schools.school_data import SchoolInput
from thep_desktop.services.shared.errors import ValidationError
from thep_desktop.services.shared.forms import FieldChecker

SCHOOL_LABELS = {
    "urn": "URN",
    "la_code": "LA code",
    "establishment_number": "Establishment number",
    "name": "School name",
    "establishment_type": "Type",
    "phase": "Phase",
    "status": "Status",
    "open_date": "Opening date",
    "close_date": "Closing date",
    "statutory_low_age": "Lowest age",
    "statutory_high_age": "Highest age",
    "pupils_on_roll": "Pupils on roll",
    "pupils_census_date": "Census date",
    "trust": "Trust / MAT",
    "diocese": "Diocese",
    "religious_character": "Religious character",
    "street": "Street",
    "locality": "Locality",
    "address3": "Address line 3",
    "town": "Town",
    "county": "County",
    "postcode": "Postcode",
    "phone": "Phone",
    "website": "Website",
    "email": "Email",
    "head_title": "Head teacher's title",
    "head_first_name": "Head teacher's first name",
    "head_last_name": "Head teacher's last name",
    "head_job_title": "Head teacher's job title",
    "chair_of_governors": "Chair of governors",
    "ofsted_grade": "Ofsted grade",
    "ofsted_date": "Ofsted inspection date",
    "causing_concern": "School causing concern",
    "link_officer_id": "Link officer",
    "notes": "Notes",
}
# Fields whose only rule is the length of their column.
_PLAIN_TEXT_FIELDS = (
    "establishment_type",
    "phase",
    "trust",
    "diocese",
    "religious_character",
    "street",
    "locality",
    "address3",
    "town",
    "county",
    "head_title",
    "head_first_name",
    "head_last_name",
    "head_job_title",
    "chair_of_governors",
    "ofsted_grade",
    "notes",
)


def check_school(
    data: SchoolInput,
) -> tuple[dict[str, Any], list[tuple[dict[str, Any], int | None]]]:
    """Validate everything, collecting every problem, and return column values."""
    c = FieldChecker(School.__table__, SCHOOL_LABELS)  # type: ignore[arg-type]
    v: dict[str, Any] = {}
    try:
        v["urn"] = check_urn(data.urn)
    except ValueError as exc:
        c.fail("urn", str(exc))
    v["name"] = c.text("name", data.name, required=True)
    v["la_code"] = c.text("la_code", data.la_code, check=lambda t: check_digits(t, 3, "LA code"))
    v["establishment_number"] = c.text(
        "establishment_number",
        data.establishment_number,
        check=lambda t: check_digits(t, 4, "establishment number"),
    )
    v.update(c.plain_texts(data, _PLAIN_TEXT_FIELDS))
    v["postcode"] = c.text("postcode", data.postcode, check=normalise_postcode)
    v["phone"] = c.text("phone", data.phone, check=check_phone)
    v["website"] = c.text("website", data.website, check=check_website)
    v["email"] = c.text("email", data.email, check=check_email)
    try:
        v["status"] = SchoolStatus(data.status)
    except ValueError:
        c.fail("status", f"“{data.status}” is not a school status")
    for name in ("open_date", "close_date", "pupils_census_date", "ofsted_date"):
        v[name] = c.date(name, getattr(data, name))
    v["statutory_low_age"] = c.whole_number(
        "statutory_low_age", data.statutory_low_age, maximum=OLDEST_STATUTORY_AGE
    )
    v["statutory_high_age"] = c.whole_number(
        "statutory_high_age", data.statutory_high_age, maximum=OLDEST_STATUTORY_AGE
    )
    v["pupils_on_roll"] = c.whole_number("pupils_on_roll", data.pupils_on_roll, maximum=100_000)
    v["causing_concern"] = bool(data.causing_concern)
    v["link_officer_id"] = data.link_officer_id

    low, high = v["statutory_low_age"], v["statutory_high_age"]
    if low is not None and high is not None and low > high:
        c.fail("statutory_high_age", "The highest age cannot be below the lowest age")
    today = date.today()
    if v.get("status") == SchoolStatus.CLOSED and v["close_date"] is None:
        c.fail("close_date", "A closed school needs the date it closed")
    if v.get("status") == SchoolStatus.CLOSED and closes_later(v["close_date"], today):
        # A closure still to come: the school stays open (or proposed, if it was) until
        # that date, when it counts as closed everywhere.
        v["status"] = SchoolStatus.OPEN
    elif v.get("status") not in (None, SchoolStatus.CLOSED) and v["close_date"] is not None:
        if v["close_date"] <= today:
            c.fail(
                "close_date",
                "This closing date has passed, so the school is closed: set the status to "
                "Closed, or clear the date",
            )
    if v["open_date"] and v["close_date"] and v["close_date"] < v["open_date"]:
        c.fail("close_date", "The closing date is before the opening date")
    if v["pupils_on_roll"] is not None and v["pupils_census_date"] is None:
        c.fail("pupils_census_date", "Give the census date the pupil number refers to")

    contacts = check_contacts(data.contacts, c)
    if c.errors:
        raise ValidationError(c.errors)
    return v, contacts
