"""The register with every field, one row per school, for address labels and email lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from thep_desktop.reports.shared.spreadsheet import ColumnSpec, TableData
from thep_desktop.services.schools.schools_service import SchoolDetail

# (title, kind, value) of each field, in the order of the school form. Contacts follow as
# repeated groups "Contact 1 name / role / email / phone", as many as the school with the most
# contacts has: one row per school is what a mail merge of labels or letters reads, and the
# same file works as CSV. A workbook also gets a sheet "Contacts", one row per contact
# (URN, school, name, role, email, phone): an email list for one role is then a filter on
# the Role column and a copy of the Email column.
_FIELDS: tuple[tuple[str, str, Callable[[SchoolDetail], Any]], ...] = (
    ("URN", "integer", lambda d: d.urn),
    ("DfE number", "text", lambda d: d.laestab),
    ("School", "text", lambda d: d.name),
    ("Type", "text", lambda d: d.establishment_type),
    ("Phase", "text", lambda d: d.phase),
    ("Status", "text", lambda d: d.status.label),
    ("Opening date", "date", lambda d: d.open_date),
    ("Closing date", "date", lambda d: d.close_date),
    ("Lowest age", "integer", lambda d: d.statutory_low_age),
    ("Highest age", "integer", lambda d: d.statutory_high_age),
    ("Pupils on roll", "count", lambda d: d.pupils_on_roll),
    ("Census date", "date", lambda d: d.pupils_census_date),
    ("Trust", "text", lambda d: d.trust),
    ("Diocese", "text", lambda d: d.diocese),
    ("Religious character", "text", lambda d: d.religious_character),
    ("Street", "text", lambda d: d.street),
    ("Locality", "text", lambda d: d.locality),
    ("Address line 3", "text", lambda d: d.address3),
    ("Town", "text", lambda d: d.town),
    ("County", "text", lambda d: d.county),
    ("Postcode", "text", lambda d: d.postcode),
    ("Phone", "text", lambda d: d.phone),
    ("Email", "text", lambda d: d.email),
    ("Website", "text", lambda d: d.website),
    ("Head teacher", "text", lambda d: d.head_teacher),
    ("Head teacher's title", "text", lambda d: d.head_title),
    ("Head teacher's first name", "text", lambda d: d.head_first_name),
    ("Head teacher's last name", "text", lambda d: d.head_last_name),
    ("Head teacher's job title", "text", lambda d: d.head_job_title),
    ("Chair of governors", "text", lambda d: d.chair_of_governors),
    ("Ofsted grade", "text", lambda d: d.ofsted_grade),
    ("Ofsted inspection date", "date", lambda d: d.ofsted_date),
    ("Causing concern", "bool", lambda d: d.causing_concern),
    ("Link officer", "text", lambda d: d.link_officer_name),
    ("Notes", "text", lambda d: d.notes),
)
CONTACT_PARTS = (("name", "full_name"), ("role", "role"), ("email", "email"), ("phone", "phone"))
FIELD_TITLES = tuple(title for title, _kind, _value in _FIELDS)


def all_fields_table(
    details: Sequence[SchoolDetail],
    *,
    title: str = "Schools register – all fields",
    subtitle: str = "",
    source: str = "",
) -> TableData:
    """The schools, in the order given, with every field and every contact, typed."""
    most = max((len(d.contacts) for d in details), default=0)
    columns = [ColumnSpec(name, kind) for name, kind, _value in _FIELDS]
    columns += [
        ColumnSpec(f"Contact {number} {part}")
        for number in range(1, most + 1)
        for part, _attribute in CONTACT_PARTS
    ]

    def row(detail: SchoolDetail) -> tuple[Any, ...]:
        values = [value(detail) for _name, _kind, value in _FIELDS]
        for contact in detail.contacts:
            values += [getattr(contact, attribute) for _part, attribute in CONTACT_PARTS]
        values += [None] * (len(columns) - len(values))
        return tuple(values)

    contacts = [
        (d.urn, d.name, c.full_name, c.role, c.email, c.phone) for d in details for c in d.contacts
    ]
    contacts_sheet = TableData(
        title="Contacts",
        subtitle=subtitle,
        columns=[ColumnSpec("URN", "integer")]
        + [ColumnSpec(t) for t in ("School", "Name", "Role", "Email", "Phone")],
        rows=contacts,
        row_count=len(contacts),
        source=source,
    )
    return TableData(
        title=title,
        subtitle=subtitle,
        columns=columns,
        rows=[row(d) for d in details],
        row_count=len(details),
        source=source,
        more_sheets=[contacts_sheet],
    )
