"""A school as plain data: what a person gives (SchoolInput) and what is read (SchoolDetail)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from thep_desktop.domain.schools import closes_later
from thep_desktop.models import SchoolStatus


@dataclass
class ContactInput:
    full_name: str = ""
    role: str = ""
    email: str = ""
    phone: str = ""
    id: int | None = None  # None for a new contact


@dataclass
class SchoolInput:
    """What a person (or an import) gives for a school. Values may be text as typed."""

    urn: Any = ""
    name: str = ""
    la_code: str = ""
    establishment_number: str = ""
    establishment_type: str = ""
    phase: str = ""
    status: SchoolStatus | str = SchoolStatus.OPEN
    open_date: Any = None
    close_date: Any = None
    statutory_low_age: Any = None
    statutory_high_age: Any = None
    pupils_on_roll: Any = None
    pupils_census_date: Any = None
    trust: str = ""
    diocese: str = ""
    religious_character: str = ""
    street: str = ""
    locality: str = ""
    address3: str = ""
    town: str = ""
    county: str = ""
    postcode: str = ""
    phone: str = ""
    website: str = ""
    email: str = ""
    head_title: str = ""
    head_first_name: str = ""
    head_last_name: str = ""
    head_job_title: str = ""
    chair_of_governors: str = ""
    ofsted_grade: str = ""
    ofsted_date: Any = None
    causing_concern: bool = False
    link_officer_id: int | None = None
    notes: str = ""
    contacts: list[ContactInput] = field(default_factory=list)


SCHOOL_FIELDS = tuple(f.name for f in fields(SchoolInput) if f.name != "contacts")


@dataclass(frozen=True)
class ContactDetail:
    id: int
    uuid: uuid.UUID
    full_name: str
    role: str
    email: str
    phone: str

    def as_input(self) -> ContactInput:
        return ContactInput(self.full_name, self.role, self.email, self.phone, self.id)


@dataclass(frozen=True)
class SchoolDetail:
    id: int
    uuid: uuid.UUID
    version: int
    urn: int
    name: str
    la_code: str
    establishment_number: str
    establishment_type: str
    phase: str
    status: SchoolStatus
    open_date: date | None
    close_date: date | None
    statutory_low_age: int | None
    statutory_high_age: int | None
    pupils_on_roll: int | None
    pupils_census_date: date | None
    trust: str
    diocese: str
    religious_character: str
    street: str
    locality: str
    address3: str
    town: str
    county: str
    postcode: str
    phone: str
    website: str
    email: str
    head_title: str
    head_first_name: str
    head_last_name: str
    head_job_title: str
    chair_of_governors: str
    ofsted_grade: str
    ofsted_date: date | None
    causing_concern: bool
    link_officer_id: int | None
    link_officer_name: str
    notes: str
    contacts: tuple[ContactDetail, ...]
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    @property
    def laestab(self) -> str:
        return laestab(self.la_code, self.establishment_number)

    @property
    def closes_later(self) -> bool:
        """True when a closure is recorded for a date still to come."""
        return closes_later(self.close_date, date.today())

    @property
    def head_teacher(self) -> str:
        return head_name(self.head_title, self.head_first_name, self.head_last_name)

    @property
    def address_lines(self) -> list[str]:
        parts = [self.street, self.locality, self.address3, self.town, self.county, self.postcode]
        return [p for p in parts if p]

    @property
    def age_range(self) -> str:
        if self.statutory_low_age is None and self.statutory_high_age is None:
            return ""
        low = "" if self.statutory_low_age is None else str(self.statutory_low_age)
        high = "" if self.statutory_high_age is None else str(self.statutory_high_age)
        return f"{low} to {high}"

    def as_input(self) -> SchoolInput:
        values = {name: getattr(self, name) for name in SCHOOL_FIELDS}
        return SchoolInput(**values, contacts=[c.as_input() for c in self.contacts])


def laestab(la_code: str, establishment_number: str) -> str:
    """The DfE number, written ``211/2345``."""
    if la_code and establishment_number:
        return f"{la_code}/{establishment_number}"
    return la_code or establishment_number


def head_name(title: str, first: str, last: str) -> str:
    return " ".join(p for p in (title, first, last) if p)
