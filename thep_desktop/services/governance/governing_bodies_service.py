"""The bodies that meet: the Board, the Advisory Council, general meetings and committees."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.governance import BodyKind, Frequency, QuorumRule, Voters
from thep_desktop.models import Appointment, GoverningBody, Meeting
from thep_desktop.services.governance.governance_data import BodyDetail, BodyInput
from thep_desktop.services.governance.governance_permissions import MANAGE_GOVERNANCE
from thep_desktop.services.governance.governance_records import bodies_detail, write_row
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    NotFoundError,
    ServiceError,
    ValidationError,
    changed_meanwhile,
)
from thep_desktop.services.shared.forms import FieldChecker
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

BODY_LABELS = {
    "name": "Name",
    "code": "Code",
    "kind": "Kind",
    "voters": "Who votes",
    "quorum": "Quorum",
    "notice_clear_days": "Notice (clear days)",
    "frequency": "Required frequency",
    "min_meetings": "Meetings required",
    "notes": "Notes",
}

# The bodies the seeds describe, with the rules an office would start from.
USUAL_BODIES = (
    BodyInput(
        "Board of Directors",
        "B",
        BodyKind.BOARD,
        Voters.APPOINTED,
        QuorumRule(number=3),
        notice_clear_days=7,
        frequency=Frequency.YEAR,
        min_meetings=4,
        notes="Directors, including the Executive Director; observers attend without a vote.",
    ),
    BodyInput(
        "Advisory Council",
        "AC",
        BodyKind.ADVISORY_COUNCIL,
        Voters.APPOINTED,
        QuorumRule(numerator=1, denominator=3, minimum=3),
        notice_clear_days=7,
        frequency=Frequency.TERM,
        min_meetings=1,
        notes="Elected school leaders and governors; meets with the directors at least once "
        "per term.",
    ),
    BodyInput(
        "General meeting of members",
        "GM",
        BodyKind.GENERAL_MEETING,
        Voters.MEMBER_SCHOOLS,
        QuorumRule(numerator=1, denominator=10, minimum=2),
        notice_clear_days=14,
        frequency=Frequency.YEAR,
        min_meetings=1,
        notes="All member schools; one school, one vote. The AGM appoints the directors.",
    ),
)

_GONE = "This body is no longer there: someone else may have deleted it."


class GoverningBodiesService:
    def __init__(self, database: Database) -> None:
        self.db = database

    def list_bodies(self, actor: Actor, include_inactive: bool = True) -> list[BodyDetail]:
        """Every body by name, with its voting members today."""
        actor.require(VIEW)
        entitled = self._entitled_today(actor)
        with self.db.read_session() as session:
            query = select(GoverningBody).order_by(GoverningBody.name)
            if not include_inactive:
                query = query.where(GoverningBody.active)
            return bodies_detail(session, list(session.scalars(query)), date.today(), entitled)

    def get_body(self, actor: Actor, body_id: int) -> BodyDetail:
        actor.require(VIEW)
        entitled = self._entitled_today(actor)
        with self.db.read_session() as session:
            row = session.get(GoverningBody, body_id)
            if row is None:
                raise NotFoundError(_GONE)
            return bodies_detail(session, [row], date.today(), entitled)[0]

    def find_body(self, actor: Actor, name_or_code: str) -> BodyDetail:
        """A body by its name or its code, in any case (as ``--body`` gives it)."""
        wanted = " ".join((name_or_code or "").split()).casefold()
        bodies = self.list_bodies(actor)
        for body in bodies:
            if wanted in (body.name.casefold(), body.code.casefold()):
                return body
        known = ", ".join(f"{b.name} ({b.code})" for b in bodies) or "none yet"
        raise NotFoundError(f"There is no body called {name_or_code!r}. The bodies: {known}.")

    @save
    def save_body(
        self,
        actor: Actor,
        data: BodyInput,
        body_id: int | None = None,
        expected_version: int | None = None,
    ) -> BodyDetail:
        """A new body (``body_id`` None) or a change to one loaded at ``expected_version``."""
        actor.require(MANAGE_GOVERNANCE)
        values = body_values(data)
        try:
            with self.db.session() as session:
                _refuse_taken(session, values, body_id)
                new_id = write_row(
                    session,
                    GoverningBody,
                    body_id,
                    expected_version,
                    values,
                    actor.name,
                    "body",
                    _GONE,
                )
        except StaleDataError:
            raise changed_meanwhile("body") from None
        except IntegrityError:
            raise ValidationError(
                {"name": "Another body has this name or code (someone saved it just now)."}
            ) from None
        return self.get_body(actor, new_id)

    @save
    def delete_body(self, actor: Actor, body_id: int, expected_version: int) -> None:
        """Remove a body entered in error; one with meetings or appointments is retired."""
        actor.require(MANAGE_GOVERNANCE)
        with self.db.session() as session:
            row = session.get(GoverningBody, body_id)
            if row is None:
                raise NotFoundError(_GONE)
            if row.version != expected_version:
                raise changed_meanwhile("body")
            meetings = session.scalar(
                select(func.count(Meeting.id)).where(Meeting.body_id == body_id)
            )
            appointments = session.scalar(
                select(func.count(Appointment.id)).where(Appointment.body_id == body_id)
            )
            if meetings or appointments:
                held = []
                if meetings:
                    held.append(f"{meetings} meeting{'s' if meetings != 1 else ''}")
                if appointments:
                    held.append(f"{appointments} appointment{'s' if appointments != 1 else ''}")
                raise ServiceError(
                    f"{row.name} has {' and '.join(held)} on record, so it stays for their "
                    "history. Untick Active to retire it instead."
                )
            session.delete(row)

    @save
    def add_usual_bodies(self, actor: Actor) -> int:
        """The Board, the Advisory Council and the general meeting, where not there yet."""
        actor.require(MANAGE_GOVERNANCE)
        added = 0
        with self.db.session() as session:
            names = {n.casefold() for n in session.scalars(select(GoverningBody.name))}
            codes = {c.casefold() for c in session.scalars(select(GoverningBody.code))}
            for body in USUAL_BODIES:
                if body.name.casefold() in names or body.code.casefold() in codes:
                    continue
                session.add(
                    GoverningBody(**body_values(body), created_by=actor.name, updated_by=actor.name)
                )
                added += 1
        return added

    def _entitled_today(self, actor: Actor) -> int:
        from thep_desktop.services.memberships.members_service import MembersService

        return len(MembersService(self.db).voters_on(actor, date.today()))


def body_values(data: BodyInput) -> dict[str, object]:
    """A body's columns from ``data``, checked (ValidationError in words otherwise)."""
    checker = FieldChecker(GoverningBody.__table__, BODY_LABELS)  # type: ignore[arg-type]
    name = " ".join(checker.text("name", data.name, required=True).split())
    code = checker.text("code", data.code, required=True).upper()
    if code and not re.fullmatch(r"[A-Z0-9]{1,10}", code):
        checker.fail(
            "code",
            "The code is letters and digits only, e.g. B or AC (it starts "
            "each decision's number, as in B/2025/07/3).",
        )
    values: dict[str, object] = {
        "name": name,
        "code": code,
        "notes": checker.text("notes", data.notes),
    }
    for field, kind in (("kind", BodyKind), ("voters", Voters), ("frequency", Frequency)):
        value = getattr(data, field)
        try:
            values[field] = value if isinstance(value, kind) else kind.parse(value)
        except ValueError as exc:
            checker.fail(field, str(exc))
    quorum = data.quorum
    for field, message in quorum.problems().items():
        checker.fail(field, message)
    values.update(
        quorum_number=quorum.number,
        quorum_numerator=quorum.numerator if quorum.number is None else None,
        quorum_denominator=quorum.denominator if quorum.number is None else None,
        quorum_minimum=quorum.minimum,
        observers_count=bool(quorum.observers_count),
    )
    if not isinstance(data.notice_clear_days, int) or not 0 <= data.notice_clear_days <= 365:
        checker.fail("notice_clear_days", "Notice is a number of clear days from 0 to 365.")
    values["notice_clear_days"] = data.notice_clear_days
    minimum = data.min_meetings
    if values.get("frequency") == Frequency.NONE:
        minimum = 0
    elif not isinstance(minimum, int) or not 1 <= minimum <= 52:
        checker.fail("min_meetings", "Say how many meetings are required: 1 or more.")
    values["min_meetings"] = minimum
    values["active"] = bool(data.active)
    if checker.errors:
        raise ValidationError(checker.errors)
    return values


def _refuse_taken(session: Session, values: dict[str, object], body_id: int | None) -> None:
    name = str(values["name"]).casefold()
    code = str(values["code"]).casefold()
    for other_id, other_name, other_code in session.execute(
        select(GoverningBody.id, GoverningBody.name, GoverningBody.code)
    ):
        if other_id == body_id:
            continue
        if other_name.casefold() == name:
            raise ValidationError({"name": f"There is already a body called {other_name}."})
        if other_code.casefold() == code:
            raise ValidationError({"code": f"{other_name} already uses the code {other_code}."})
