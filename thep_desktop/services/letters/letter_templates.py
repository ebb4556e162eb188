"""Letter templates: the office's letters as data, built in or its own, and their checks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.merge import MergeError, check_template, fields_in
from thep_desktop.models import LetterTemplate
from thep_desktop.services.letters.letter_fields import (
    BUILTIN_TEMPLATES,
    BUILTINS_BY_KEY,
    FIELD_NAMES,
    FIELDS_BY_NAME,
)
from thep_desktop.services.letters.letters_permissions import EDIT_TEMPLATES
from thep_desktop.services.settings.organisation_service import check_signature_image
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    ConflictError,
    NotFoundError,
    ReadOnlyDatabaseError,
    ServiceError,
    ValidationError,
)
from thep_desktop.services.shared.forms import FieldChecker
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

TEMPLATE_LABELS = {
    "name": "Template name",
    "description": "Description",
    "subject": "Subject",
    "salutation": "Salutation",
    "body": "Letter text",
    "sign_off": "Sign-off",
    "signatory": "Signed by",
    "signatory_role": "Signatory's position",
    "contact_role": "Usually sent to",
    "signature_image": "Signature",
    "signature_image_filename": "Signature file",
}
MERGED_PARTS = ("subject", "salutation", "body", "signatory", "signatory_role")


@dataclass
class TemplateInput:
    name: str = ""
    description: str = ""
    subject: str = ""
    salutation: str = "Dear {contact.salutation},"
    body: str = ""
    sign_off: str = "Yours sincerely"
    signatory: str = ""  # blank: the organisation profile's default signatory
    signatory_role: str = ""
    contact_role: str = "Head teacher"
    signature_image: bytes | None = None
    signature_image_filename: str = ""


TEMPLATE_FIELDS = tuple(f.name for f in fields(TemplateInput))
# What is typed; the signature image is chosen from a file.
TEXT_FIELDS = tuple(n for n in TEMPLATE_FIELDS if n != "signature_image")


@dataclass(frozen=True)
class TemplateDetail:
    id: int
    key: str | None
    builtin: bool
    version: int
    name: str
    description: str
    subject: str
    salutation: str
    body: str
    sign_off: str
    signatory: str
    signatory_role: str
    contact_role: str
    signature_image: bytes | None
    signature_image_filename: str
    updated_at: datetime
    updated_by: str
    uuid: uuid.UUID | None = None  # for its History window

    def as_input(self) -> TemplateInput:
        return TemplateInput(**{name: getattr(self, name) for name in TEMPLATE_FIELDS})

    @property
    def changed_from_builtin(self) -> bool:
        """A built-in template whose wording the office has edited."""
        shipped = BUILTINS_BY_KEY.get(self.key or "")
        return shipped is not None and self.as_input() != builtin_input(shipped)

    @property
    def fields_used(self) -> list[str]:
        return fields_used(self)


def fields_used(data: TemplateInput | TemplateDetail) -> list[str]:
    """Every field the template's merged parts use, in order, each once."""
    names: list[str] = []
    for part in MERGED_PARTS:
        for name in fields_in(getattr(data, part)):
            if name not in names:
                names.append(name)
    return names


def fields_from(data: TemplateInput | TemplateDetail, source: str) -> list[str]:
    """The fields ``data`` uses that come from ``source`` ("mailing", "membership"…), in order."""
    names: list[str] = []
    for part in MERGED_PARTS:
        for name in fields_in(getattr(data, part)):
            info = FIELDS_BY_NAME.get(name)
            if info is not None and info.source == source and name not in names:
                names.append(name)
    return names


class LetterTemplates:
    """Listing, saving, resetting and deleting templates (part of the letters service)."""

    db: Database

    def list_templates(self, actor: Actor) -> list[TemplateDetail]:
        actor.require(VIEW)
        self._ensure_builtins(actor)
        with self.db.read_session() as session:
            rows = session.scalars(select(LetterTemplate).order_by(LetterTemplate.name))
            return [template_detail(t) for t in rows]

    def get_template(self, actor: Actor, template_id: int) -> TemplateDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            return template_detail(self._load(session, template_id))

    def find_template(self, actor: Actor, name_or_key: str) -> TemplateDetail:
        """A template by its key (``welcome``) or its name, ignoring case."""
        wanted = name_or_key.strip().casefold()
        for template in self.list_templates(actor):
            if wanted in ((template.key or "").casefold(), template.name.casefold()):
                return template
        raise NotFoundError(f"There is no letter template called “{name_or_key.strip()}”.")

    @save
    def create_template(self, actor: Actor, data: TemplateInput) -> TemplateDetail:
        actor.require(EDIT_TEMPLATES)
        values = _check_template(data)
        try:
            with self.db.session() as session:
                self._check_name_free(session, values["name"], None)
                row = LetterTemplate(
                    **values, builtin=False, created_by=actor.name, updated_by=actor.name
                )
                session.add(row)
                session.flush()
                return template_detail(row)
        except IntegrityError:
            raise _name_taken(values["name"]) from None

    @save
    def update_template(
        self, actor: Actor, template_id: int, data: TemplateInput, expected_version: int
    ) -> TemplateDetail:
        actor.require(EDIT_TEMPLATES)
        values = _check_template(data)
        try:
            with self.db.session() as session:
                row = self._load(session, template_id)
                _check_version(row, expected_version)
                self._check_name_free(session, values["name"], template_id)
                for name, value in values.items():
                    setattr(row, name, value)
                row.updated_by = actor.name
                session.flush()
                return template_detail(row)
        except StaleDataError:
            raise self._conflict(template_id) from None

    @save
    def reset_template(
        self, actor: Actor, template_id: int, expected_version: int
    ) -> TemplateDetail:
        """Put a built-in template back to the wording the program ships."""
        actor.require(EDIT_TEMPLATES)
        with self.db.session() as session:
            row = self._load(session, template_id)
            shipped = BUILTINS_BY_KEY.get(row.key or "")
            if shipped is None:
                raise ServiceError(
                    f"“{row.name}” is the office's own template; only built-in ones can be reset."
                )
            _check_version(row, expected_version)
            for name, value in vars(builtin_input(shipped)).items():
                setattr(row, name, value)
            row.updated_by = actor.name
            session.flush()
            return template_detail(row)

    @save
    def delete_template(self, actor: Actor, template_id: int, expected_version: int) -> None:
        actor.require(EDIT_TEMPLATES)
        with self.db.session() as session:
            row = self._load(session, template_id)
            if row.builtin:
                raise ServiceError(
                    f"“{row.name}” is built in and cannot be deleted; you can change its "
                    "wording, or reset it."
                )
            _check_version(row, expected_version)
            session.delete(row)

    @save
    def _ensure_builtins(self, actor: Actor) -> None:
        with self.db.read_session() as session:
            present = set(
                session.scalars(select(LetterTemplate.key).where(LetterTemplate.key.is_not(None)))
            )
        missing = [t for t in BUILTIN_TEMPLATES if t.key not in present]
        if not missing:
            return
        try:
            with self.db.session() as session:
                for shipped in missing:
                    values = vars(builtin_input(shipped))
                    name = values["name"]
                    if session.scalar(select(LetterTemplate.id).where(LetterTemplate.name == name)):
                        values["name"] = f"{name} (built in)"
                    session.add(
                        LetterTemplate(
                            **values,
                            uuid=builtin_uuid(shipped.key),
                            key=shipped.key,
                            builtin=True,
                            created_by=actor.name,
                            updated_by=actor.name,
                        )
                    )
        except IntegrityError:
            pass  # another workstation added them at the same moment
        except ReadOnlyDatabaseError:
            pass  # a register that may only be read lists the templates it has
        except DBAPIError as exc:
            # On the office server a login whose role may not change templates (a treasurer
            # sending the first invoice reminders) lists those there are; the built-ins
            # arrive when someone who may change templates opens them.
            if getattr(getattr(exc, "orig", None), "sqlstate", None) != "42501":
                raise

    @staticmethod
    def _load(session: Session, template_id: int) -> LetterTemplate:
        row = session.get(LetterTemplate, template_id)
        if row is None:
            raise NotFoundError(
                "That letter template no longer exists; someone may have deleted it."
            )
        return row

    @staticmethod
    def _check_name_free(session: Session, name: str, template_id: int | None) -> None:
        found = session.scalar(select(LetterTemplate.id).where(LetterTemplate.name == name))
        if found is not None and found != template_id:
            raise _name_taken(name)

    def _conflict(self, template_id: int) -> ConflictError:
        with self.db.read_session() as session:
            row = session.get(LetterTemplate, template_id)
            if row is None:
                return ConflictError("Someone deleted this template meanwhile. Nothing was saved.")
            return _conflict_of(row)


# Names the built-in templates' records. A built-in template is set up where the letters are
# first listed: at the office, and perhaps in an offline copy too before it is synchronised.
# The same uuid on both makes it one record to the synchronisation, not a second one.
_BUILTIN_UUIDS = uuid.UUID("6f0c2a54-3b1e-4c8e-9d7a-5e2b1f4c8a90")


def builtin_uuid(key: str) -> uuid.UUID:
    return uuid.uuid5(_BUILTIN_UUIDS, f"letter_template/{key}")


def builtin_input(shipped: Any) -> TemplateInput:
    return TemplateInput(
        name=shipped.name,
        description=shipped.description,
        subject=shipped.subject,
        salutation=shipped.salutation,
        body=shipped.body,
        sign_off=shipped.sign_off,
        signatory=shipped.signatory,
        signatory_role=shipped.signatory_role,
        contact_role=shipped.contact_role,
    )


def _check_template(data: TemplateInput) -> dict[str, Any]:
    check = FieldChecker(LetterTemplate.__table__, TEMPLATE_LABELS)  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        values[name] = check.text(name, getattr(data, name), required=name in ("name", "body"))
    values["signature_image"] = data.signature_image or None
    if not data.signature_image:
        values["signature_image_filename"] = ""
    elif not (data.signatory or "").strip():
        check.fail(
            "signature_image",
            "A signature image goes with a named signatory: type who signs, or remove the "
            "image (the default signatory's own signature is set in the organisation profile)",
        )
    else:
        try:
            check_signature_image(data.signature_image)
        except ValueError as exc:
            check.fail("signature_image", str(exc))
    if (data.signatory_role or "").strip() and not (data.signatory or "").strip():
        check.fail(
            "signatory",
            f"Type who signs as {data.signatory_role.strip()}, or leave both blank for the "
            "default signatory from the organisation profile",
        )
    try:
        check_template({p: values[p] or "" for p in MERGED_PARTS}, FIELD_NAMES)
    except MergeError as exc:
        for part, message in exc.problems.items():
            label = TEMPLATE_LABELS[part].lower()
            check.fail(part, message.replace(f"The {part} ", f"The {label} ", 1))
    if check.errors:
        raise ValidationError(check.errors)
    return values


def _name_taken(name: str) -> ValidationError:
    return ValidationError({"name": f"There is already a template called “{name}”."})


def _check_version(row: LetterTemplate, expected_version: int) -> None:
    if row.version != expected_version:
        raise _conflict_of(row)


def _conflict_of(row: LetterTemplate) -> ConflictError:
    when = row.updated_at.astimezone()
    return ConflictError(
        f"{row.updated_by} changed the template “{row.name}” at {when:%H:%M} on "
        f"{format_date(when.date())}, since you opened it. Nothing was saved.",
        changed_by=row.updated_by,
        changed_at=row.updated_at,
    )


def template_detail(row: LetterTemplate) -> TemplateDetail:
    return TemplateDetail(
        id=row.id,
        key=row.key,
        builtin=row.builtin,
        version=row.version,
        name=row.name,
        description=row.description,
        subject=row.subject,
        salutation=row.salutation,
        body=row.body,
        sign_off=row.sign_off,
        signatory=row.signatory,
        signatory_role=row.signatory_role,
        contact_role=row.contact_role,
        signature_image=row.signature_image,
        signature_image_filename=row.signature_image_filename,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
        uuid=row.uuid,
    )
