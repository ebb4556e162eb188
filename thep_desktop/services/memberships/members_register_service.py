"""The statutory register of members as at a date, from the membership periods, and its files."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from thep_desktop.database import Database
from thep_desktop.domain.progress import Progress
from thep_desktop.reports.memberships.members_register import (
    MembersRegister,
    RegisterEntry,
    register_pdf,
    register_workbook,
)
from thep_desktop.services.letters.mail_merge import letterhead_from
from thep_desktop.services.memberships.member_data import MemberDetail
from thep_desktop.services.memberships.members_service import MembersService
from thep_desktop.services.settings.organisation_service import OrganisationService
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.services.shared.permissions import VIEW

REGISTER_SUFFIXES = (".pdf", ".xlsx")


def register_as_at(members: Iterable[MemberDetail], as_at: date) -> MembersRegister:
    """Every membership period admitted by ``as_at``, one entry each, ceased ones with the date.

    ``ends_on`` is the first day a member is no longer a member: the day it ceased. A period
    ending after ``as_at`` (notice running) is still a membership on that day; an application
    never admitted (or admitted after ``as_at``) is not on the register.
    """
    entries = []
    for member in members:
        for period in member.periods:
            if period.admitted_on is None or period.admitted_on > as_at:
                continue
            ceased = (
                period.ends_on if period.ends_on is not None and period.ends_on <= as_at else None
            )
            entries.append(
                RegisterEntry(
                    name=member.name,
                    address=member.address_lines,
                    category=period.category.label,
                    admitted_on=period.admitted_on,
                    ceased_on=ceased,
                )
            )
    return MembersRegister(as_at=as_at, entries=tuple(entries))


class MembersRegisterService:
    """The register of members (Companies Act 2006 s.113), as data, PDF or workbook."""

    def __init__(self, database: Database) -> None:
        self.db = database
        self._members = MembersService(database)
        self._organisation = OrganisationService(database)

    def register(self, actor: Actor, as_at: date | None = None) -> MembersRegister:
        """The register as it stood at the end of ``as_at`` (today)."""
        actor.require(VIEW)
        return register_as_at(self._members.list_member_details(actor), as_at or date.today())

    def write_register(
        self,
        actor: Actor,
        path: str | Path,
        as_at: date | None = None,
        progress: Progress | None = None,
    ) -> MembersRegister:
        """Write the register as at ``as_at`` to ``path``: a PDF on the letterhead, or .xlsx.

        The file appears only when complete; a folder that is missing, read-only or full is
        said in words (:class:`~thep_desktop.domain.errors.OfficeError`).
        """
        actor.require(VIEW)
        target = Path(path)
        suffix = target.suffix.casefold()
        if suffix not in REGISTER_SUFFIXES:
            raise ServiceError(
                f"Choose a file ending .pdf or .xlsx for the register ({target.name} is neither)."
            )
        register = self.register(actor, as_at)
        letterhead = letterhead_from(self._organisation.get_profile(actor))
        if suffix == ".pdf":
            register_pdf(register, letterhead, target)
        else:
            register_workbook(
                register,
                target,
                letterhead=letterhead,
                source=str(self.db.describe()),
                progress=progress,
            )
        return register
