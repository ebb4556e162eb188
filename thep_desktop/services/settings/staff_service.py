"""The partnership's staff list (link officers)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.validation import check_email, check_phone
from thep_desktop.models import StaffMember
from thep_desktop.services.settings.settings_permissions import EDIT_SETTINGS
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ConflictError, NotFoundError, ValidationError
from thep_desktop.services.shared.forms import FieldChecker
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

STAFF_LABELS = {"full_name": "Name", "job_title": "Job title", "email": "Email", "phone": "Phone"}


@dataclass
class StaffInput:
    full_name: str = ""
    job_title: str = ""
    email: str = ""
    phone: str = ""
    active: bool = True


@dataclass(frozen=True)
class StaffDetail:
    id: int
    version: int
    full_name: str
    job_title: str
    email: str
    phone: str
    active: bool
    uuid: uuid.UUID | None = None  # for its History window


class StaffService:
    def __init__(self, database: Database) -> None:
        self.db = database

    def list_staff(self, actor: Actor, *, active_only: bool = False) -> list[StaffDetail]:
        actor.require(VIEW)
        stmt = select(StaffMember).order_by(StaffMember.full_name)
        if active_only:
            stmt = stmt.where(StaffMember.active.is_(True))
        with self.db.read_session() as session:
            return [_detail(s) for s in session.scalars(stmt)]

    def get_staff(self, actor: Actor, staff_id: int) -> StaffDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            staff = session.get(StaffMember, staff_id)
            if staff is None:
                raise NotFoundError(_GONE)
            return _detail(staff)

    @save
    def create_staff(self, actor: Actor, data: StaffInput) -> StaffDetail:
        actor.require(EDIT_SETTINGS)
        values = _check(data)
        with self.db.session() as session:
            staff = StaffMember(**values, created_by=actor.name, updated_by=actor.name)
            session.add(staff)
            session.flush()
            return _detail(staff)

    @save
    def update_staff(
        self, actor: Actor, staff_id: int, expected_version: int, data: StaffInput
    ) -> StaffDetail:
        actor.require(EDIT_SETTINGS)
        values = _check(data)
        try:
            with self.db.session() as session:
                staff = session.get(StaffMember, staff_id)
                if staff is None:
                    raise NotFoundError(_GONE)
                if staff.version != expected_version:
                    raise _conflict(staff)
                for k, v in values.items():
                    setattr(staff, k, v)
                staff.updated_by = actor.name
                session.flush()
                return _detail(staff)
        except StaleDataError:  # saved by someone else between our read and our write
            with self.db.read_session() as session:
                staff = session.get(StaffMember, staff_id)
                if staff is None:
                    raise NotFoundError(_GONE) from None
                raise _conflict(staff) from None


_GONE = "This member of staff is no longer on the list."


def _conflict(staff: StaffMember) -> ConflictError:
    when = staff.updated_at.astimezone()
    return ConflictError(
        f"{staff.updated_by} changed {staff.full_name}'s record at {when:%H:%M} on "
        f"{format_date(when.date())}, since you opened it. Nothing was saved.",
        changed_by=staff.updated_by,
        changed_at=staff.updated_at,
    )


def _check(data: StaffInput) -> dict[str, object]:
    c = FieldChecker(StaffMember.__table__, STAFF_LABELS)  # type: ignore[arg-type]
    values: dict[str, object] = {
        "full_name": c.text("full_name", data.full_name, required=True),
        "job_title": c.text("job_title", data.job_title),
        "email": c.text("email", data.email, check=check_email),
        "phone": c.text("phone", data.phone, check=check_phone),
        "active": bool(data.active),
    }
    if c.errors:
        raise ValidationError(c.errors)
    return values


def _detail(s: StaffMember) -> StaffDetail:
    return StaffDetail(
        s.id, s.version, s.full_name, s.job_title, s.email, s.phone, s.active, s.uuid
    )
