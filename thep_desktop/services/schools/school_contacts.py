"""A school's contacts: checking them as typed, and saving them onto the school's record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from thep_desktop.domain.validation import check_email, check_phone
from thep_desktop.models import Contact, School
from thep_desktop.services.schools.school_data import ContactInput
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.forms import FieldChecker

CONTACT_LABELS = {"full_name": "Contact name", "role": "Role", "email": "Email", "phone": "Phone"}


def check_contacts(
    given: Sequence[ContactInput], c: FieldChecker
) -> list[tuple[dict[str, Any], int | None]]:
    """Each contact's column values and id; problems go to ``c`` as "Contact 2: ..." by field."""
    contacts: list[tuple[dict[str, Any], int | None]] = []
    cc = FieldChecker(Contact.__table__, CONTACT_LABELS)  # type: ignore[arg-type]
    for index, contact in enumerate(given):
        prefix = f"contacts[{index}]."
        values = {
            "full_name": cc.text(
                prefix + "full_name", contact.full_name, required=True, column="full_name"
            ),
            "role": cc.text(prefix + "role", contact.role, column="role"),
            "email": cc.text(prefix + "email", contact.email, column="email", check=check_email),
            "phone": cc.text(prefix + "phone", contact.phone, column="phone", check=check_phone),
        }
        contacts.append((values, contact.id))
    for key, message in cc.errors.items():
        row = int(key.split("]")[0].split("[")[1]) + 1
        c.fail(key, f"Contact {row}: {message}")
    return contacts


def apply_contacts(
    school: School, contacts: list[tuple[dict[str, Any], int | None]], actor: Actor
) -> None:
    """Put the checked contacts on the school: changed ones updated, new added, others removed."""
    existing = {c.id: c for c in school.contacts}
    kept: list[Contact] = []
    for values, contact_id in contacts:
        current = existing.get(contact_id) if contact_id is not None else None
        if current is None:
            kept.append(Contact(**values, created_by=actor.name, updated_by=actor.name))
            continue
        if any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            current.updated_by = actor.name
        kept.append(current)
    school.contacts = kept
