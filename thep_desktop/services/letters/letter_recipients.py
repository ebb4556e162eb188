"""Who each letter of a mailing goes to: the schools chosen, the contact, the address block."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import selectinload

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.models import Contact, School, SchoolStatus
from thep_desktop.services.schools.school_choices import CONTACT_ROLES
from thep_desktop.services.schools.school_closures import not_closed_on
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import NotFoundError, ServiceError, ValidationError
from thep_desktop.services.shared.permissions import VIEW


@dataclass(frozen=True)
class Recipient:
    """Who one letter goes to, and any warning about how it is addressed."""

    school_id: int
    urn: int
    school_name: str
    contact_name: str  # "" when the letter goes to the role at the school's address
    contact_role: str
    address: tuple[str, ...]
    warning: str = ""
    values: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Skipped:
    school_name: str
    reason: str


# Values the head-teacher and chair-of-governors roles can take from the school record
# when no contact with that role is listed.
_HEAD = "head teacher"
_CHAIR = "chair of governors"


class LetterRecipients:
    """Choosing the schools and the person at each (part of the letters service)."""

    db: Database

    def open_school_ids(self, actor: Actor, *, include_proposed: bool = False) -> list[int]:
        """Every open school, in name order (until memberships say who is a member).

        A school only proposed to open has no pupils or head to write to yet; it is left
        out unless asked for.
        """
        actor.require(VIEW)
        with self.db.read_session() as session:
            return list(
                session.scalars(
                    select(School.id).where(_counts_as_open(include_proposed)).order_by(School.name)
                )
            )

    def proposed_school_ids(self, actor: Actor) -> list[int]:
        """The schools proposed to open, in name order: offered, not sent, by default."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            return list(
                session.scalars(
                    select(School.id)
                    .where(School.status == SchoolStatus.PROPOSED, not_closed_on(date.today()))
                    .order_by(School.name)
                )
            )

    def contact_roles(self, actor: Actor) -> list[str]:
        """The roles a mailing can be addressed to: the usual ones, then any in the register."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            found = session.scalars(
                select(Contact.role).where(Contact.role != "").distinct().order_by(Contact.role)
            ).all()
        roles = {role.casefold(): role for role in CONTACT_ROLES}
        for role in found:
            roles.setdefault(role.strip().casefold(), role.strip())
        return list(roles.values())

    def check_contact_role(self, actor: Actor, role: str) -> str:
        """``role`` as the register spells it; refused, with the roles known, when nobody has it.

        A mistyped role ("Cheif Exec") would otherwise address every letter of the mailing
        to "The Cheif Exec" at the school.
        """
        wanted = " ".join(role.split())
        if not wanted:
            raise ValidationError({"contact_role": "Choose who at each school the letters go to"})
        known = self.contact_roles(actor)
        for name in known:
            if name.casefold() == wanted.casefold():
                return name
        raise ValidationError(
            {
                "contact_role": f"No contact in the register has the role “{wanted}”; "
                f"choose one of: {', '.join(known)}"
            }
        )

    def school_ids_for_urns(self, actor: Actor, urns: Sequence[int]) -> list[int]:
        actor.require(VIEW)
        with self.db.read_session() as session:
            found = {
                urn: school_id
                for urn, school_id in session.execute(
                    select(School.urn, School.id).where(School.urn.in_(urns))
                )
            }
        missing = [u for u in urns if u not in found]
        if missing:
            shown = ", ".join(str(u) for u in missing[:10])
            raise NotFoundError(
                f"No school in the register has URN {shown}."
                if len(missing) == 1
                else f"No schools in the register have URNs {shown}."
            )
        return [found[u] for u in urns]

    def recipients(
        self, actor: Actor, school_ids: Sequence[int], contact_role: str
    ) -> tuple[list[Recipient], list[Skipped]]:
        """Who each letter goes to; schools that cannot be written to are listed as skipped."""
        actor.require(VIEW)
        if not school_ids:
            raise ServiceError("Choose at least one school to write to.")
        recipients: list[Recipient] = []
        skipped: list[Skipped] = []
        with self.db.read_session() as session:
            schools = session.scalars(
                select(School)
                .where(School.id.in_(school_ids))
                .options(selectinload(School.contacts), selectinload(School.link_officer))
            ).all()
            by_id = {s.id: s for s in schools}
            for school_id in school_ids:
                school = by_id.get(school_id)
                if school is None:
                    continue
                recipient = _recipient(school, contact_role)
                if isinstance(recipient, Skipped):
                    skipped.append(recipient)
                else:
                    recipients.append(recipient)
        return recipients, skipped


def _recipient(school: School, contact_role: str) -> Recipient | Skipped:
    address_lines = [p for p in (school.street, school.locality, school.address3, school.town) if p]
    if not address_lines or not school.postcode:
        return Skipped(
            school.name,
            "no postal address is recorded (street and postcode are needed for a letter)",
        )
    role = contact_role.strip()
    wanted = role.casefold()
    contact = next((c for c in school.contacts if c.role.casefold() == wanted), None)
    name = contact.full_name if contact is not None else ""
    email = contact.email if contact is not None else ""
    warning = ""
    head = " ".join(
        p for p in (school.head_title, school.head_first_name, school.head_last_name) if p
    )
    head_untitled = f"{school.head_first_name} {school.head_last_name}".strip().casefold()
    if wanted == _HEAD and (
        contact is None or (head_untitled and name.casefold() == head_untitled)
    ):
        name = head  # GIAS knows the head's title: "Mr Luke Rahman", not "Luke Rahman"
    elif contact is None and wanted == _CHAIR:
        name = school.chair_of_governors
    if not name and role:
        warning = (
            f"no {role.lower()} is recorded, so the letter is addressed to the {role} at the school"
        )
    role_title = _title_case(role) if role else ""
    block = [b for b in (name, role_title, school.name, *address_lines, school.postcode) if b]
    if not name and role_title:
        block[0] = f"The {role_title}"
    values = {
        "school.name": school.name,
        "school.urn": str(school.urn),
        "school.dfe_number": "/".join(
            p for p in (school.la_code, school.establishment_number) if p
        ),
        "school.phase": school.phase,
        "school.type": school.establishment_type,
        "school.address": ", ".join([*address_lines, school.postcode]),
        "school.postcode": school.postcode,
        "school.head_teacher": " ".join(
            p for p in (school.head_title, school.head_first_name, school.head_last_name) if p
        ),
        "school.chair_of_governors": school.chair_of_governors,
        "school.pupils": "" if school.pupils_on_roll is None else f"{school.pupils_on_roll:,}",
        "school.census_date": format_date(school.pupils_census_date),
        "school.trust": school.trust,
        "school.link_officer": school.link_officer.full_name if school.link_officer else "",
        "contact.full_name": name or f"the {role_title}",
        "contact.salutation": _salutation_name(name),
        "contact.role": role,
        "contact.email": email,
    }
    return Recipient(
        school_id=school.id,
        urn=school.urn,
        school_name=school.name,
        contact_name=name,
        contact_role=role,
        address=tuple(block),
        warning=warning,
        values=values,
    )


_TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "revd", "rev", "sir", "dame"}
)


def _salutation_name(name: str) -> str:
    """``Mr Rahman`` for "Mr Luke Rahman"; the name as given without a title; else Sir or Madam."""
    words = name.split()
    if not words:
        return "Sir or Madam"
    if len(words) >= 2 and words[0].rstrip(".").casefold() in _TITLES:
        return f"{words[0]} {words[-1]}"
    return name


def _title_case(role: str) -> str:
    small = {"of", "and", "to", "the"}
    return " ".join(w if w in small else w[:1].upper() + w[1:] for w in role.split())


def _counts_as_open(include_proposed: bool) -> ColumnElement[bool]:
    """The one condition for a school that a mailing to "all open schools" includes.

    A school with a closing date still to come counts as open (or proposed) until that date.
    """
    not_closed = not_closed_on(date.today())
    if include_proposed:
        return not_closed
    # Open, or recorded as closed on a date still to come (see effective_status).
    return and_(not_closed, School.status != SchoolStatus.PROPOSED)
