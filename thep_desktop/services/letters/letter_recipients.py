"""Who each letter of a mailing goes to: the schools or members chosen, the contact, the address.

A letter to a school goes to the contact with the chosen role at the school's address; one
to a member that is not a school (an organisation, a person) to the member's own contact at
its own address. Either way the ``{member.*}`` fields come from the membership record on the
letter's date (see :mod:`member_fields`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import selectinload

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.memberships import Category
from thep_desktop.models import Cluster, ClusterSchool, Contact, School, SchoolStatus
from thep_desktop.services.letters.member_fields import (
    MemberFieldValues,
    MemberValues,
    member_contact,
)
from thep_desktop.services.memberships.fees_service import FeesService
from thep_desktop.services.memberships.member_data import MemberDetail
from thep_desktop.services.memberships.members_service import MembersService
from thep_desktop.services.memberships.membership_rules import load_rules
from thep_desktop.services.schools.school_choices import CONTACT_ROLES
from thep_desktop.services.schools.school_closures import not_closed_on
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import NotFoundError, ServiceError, ValidationError
from thep_desktop.services.shared.permissions import VIEW


@dataclass(frozen=True)
class Recipient:
    """Who one letter goes to, and any warning about how it is addressed.

    ``school_name`` is the school's name, or for an organisation or individual member its
    own. ``missing`` says, for each field without a value, why (not a member, no notice…).
    """

    school_id: int | None
    urn: int | None
    school_name: str
    contact_name: str  # "" when the letter goes to the role at the school's address
    contact_role: str
    address: tuple[str, ...]
    warning: str = ""
    values: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    member_id: int | None = None
    missing: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def reference(self) -> str:
        """The letter's reference number: the school's URN, or the member's number."""
        if self.urn is not None:
            return str(self.urn)
        return self.values.get("member.reference", "")


@dataclass(frozen=True)
class ClusterAudience:
    """A cluster a mailing can go to, and the schools of it that get a letter."""

    cluster_id: int
    name: str
    school_ids: tuple[int, ...]


@dataclass(frozen=True)
class Skipped:
    school_name: str
    reason: str


# Values the head-teacher and chair-of-governors roles can take from the school record
# when no contact with that role is listed.
_HEAD = "head teacher"
_CHAIR = "chair of governors"


class LetterRecipients:
    """Choosing the schools or members and the person at each (part of the letters service)."""

    db: Database
    _members: MembersService
    _fees: FeesService

    def member_ids(
        self, actor: Actor, *, full_only: bool = False, on: date | None = None
    ) -> list[int]:
        """The members on ``on`` (today), or only the full members, in name order.

        A member under notice is still a member until its notice runs out.
        """
        actor.require(VIEW)
        day = on or date.today()
        chosen = []
        for member in self._members.list_member_details(actor):
            period = member.period_on(day)
            if period is None or not period.status_on(day).is_member:
                continue
            if full_only and period.category is not Category.FULL:
                continue
            chosen.append(member.id)
        return chosen

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

    def cluster_school_ids(self, actor: Actor, cluster_id: int) -> list[int]:
        """The schools of a cluster a mailing goes to, in name order.

        As a mailing to all open schools: a school of the cluster that has closed (or is only
        proposed to open) gets no letter.
        """
        actor.require(VIEW)
        with self.db.read_session() as session:
            if session.get(Cluster, cluster_id) is None:
                raise NotFoundError("This cluster is no longer there: someone may have deleted it.")
            return list(
                session.scalars(
                    select(School.id)
                    .join(ClusterSchool, ClusterSchool.school_id == School.id)
                    .where(ClusterSchool.cluster_id == cluster_id, _counts_as_open(False))
                    .order_by(School.name)
                )
            )

    def cluster_audiences(self, actor: Actor) -> list[ClusterAudience]:
        """The clusters in use, by name, each with the schools a mailing to it goes to."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            clusters = session.execute(
                select(Cluster.id, Cluster.name).where(Cluster.active).order_by(Cluster.name)
            ).all()
            members: dict[int, list[int]] = {cluster_id: [] for cluster_id, _name in clusters}
            rows = session.execute(
                select(ClusterSchool.cluster_id, School.id)
                .join(School, ClusterSchool.school_id == School.id)
                .where(_counts_as_open(False))
                .order_by(School.name)
            )
            for cluster_id, school_id in rows:
                if cluster_id in members:
                    members[cluster_id].append(school_id)
        return [
            ClusterAudience(cluster_id, name, tuple(members[cluster_id]))
            for cluster_id, name in clusters
        ]

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
        self,
        actor: Actor,
        school_ids: Sequence[int],
        contact_role: str,
        *,
        member_ids: Sequence[int] = (),
        on: date | None = None,
        fields: Collection[str] | None = None,
    ) -> tuple[list[Recipient], list[Skipped]]:
        """Who each letter goes to; those that cannot be written to are listed as skipped.

        To schools (``school_ids``) or to members (``member_ids``), not both in one mailing
        (a member school would be written to twice). ``on`` is the letters' date (today),
        for the ``{member.*}`` fields; ``fields`` the ones the letter uses (None: all).
        """
        actor.require(VIEW)
        if school_ids and member_ids:
            raise ServiceError("Write to schools or to members, not both in one mailing.")
        if not school_ids and not member_ids:
            raise ServiceError("Choose at least one school or member to write to.")
        day = on or date.today()
        with self.db.read_session() as session:
            rules = load_rules(session)
        fill = MemberFieldValues(self._fees, actor, day, rules.notice_rule, fields)
        details = self._members.list_member_details(actor)
        by_school = {m.school_id: m for m in details if m.school_id is not None}
        if member_ids:
            by_id = {m.id: m for m in details}
            members = [by_id[i] for i in member_ids if i in by_id]
            wanted_schools = [m.school_id for m in members if m.school_id is not None]
        else:
            members = []
            wanted_schools = list(school_ids)
        schools = self._schools(wanted_schools)
        recipients: list[Recipient] = []
        skipped: list[Skipped] = []

        def add(recipient: Recipient | Skipped, member: MemberDetail | None) -> None:
            if isinstance(recipient, Skipped):
                skipped.append(recipient)
                return
            values = fill.of(member)
            recipients.append(_with_member(recipient, member, values))

        if member_ids:
            for member in members:
                if member.school_id is None:
                    add(_member_recipient(member), member)
                elif member.school_id in schools:
                    add(_recipient(schools[member.school_id], contact_role), member)
        else:
            for school_id in school_ids:
                school = schools.get(school_id)
                if school is not None:
                    add(_recipient(school, contact_role), by_school.get(school_id))
        return recipients, skipped

    def _schools(self, school_ids: Sequence[int]) -> dict[int, School]:
        if not school_ids:
            return {}
        with self.db.read_session() as session:
            found = session.scalars(
                select(School)
                .where(School.id.in_(list(school_ids)))
                .options(selectinload(School.contacts), selectinload(School.link_officer))
            ).all()
            session.expunge_all()  # contacts and link officer loaded: read after it closes
        return {s.id: s for s in found}


def _with_member(
    recipient: Recipient, member: MemberDetail | None, fields: MemberValues
) -> Recipient:
    values = dict(recipient.values)
    values.update(fields.values)
    return replace(
        recipient,
        member_id=member.id if member is not None else None,
        values=values,
        missing=dict(fields.missing),
    )


def _member_recipient(member: MemberDetail) -> Recipient | Skipped:
    """A letter to an organisation or a person, at its own address, to its own contact."""
    lines = [line.strip() for line in member.address.splitlines() if line.strip()]
    if not lines:
        return Skipped(member.name, "no postal address is recorded for this member")
    name = member_contact(member)
    block = [name] if name and name != member.name else []
    block += [member.name, *lines]
    if member.postcode and member.postcode not in lines:
        block.append(member.postcode)
    values = {
        "contact.full_name": name or member.name,
        "contact.salutation": _salutation_name(name),
        "contact.role": "",
        "contact.email": member.email,
    }
    return Recipient(
        school_id=None,
        urn=None,
        school_name=member.name,
        contact_name=name,
        contact_role="",
        address=tuple(block),
        values=values,
        member_id=member.id,
    )


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
