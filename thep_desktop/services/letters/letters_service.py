"""Letter templates, mail merge to PDF, and each school's correspondence history.

Templates are data (subject, salutation, body with merge fields); the built-in ones can be
edited and reset to the wording shipped. A mail merge takes a template, the schools and the
role of the contact to write to, fills the fields for each school, and lays the letters out
with the letter engine, into one PDF for printing and/or one PDF per school for emailing.
Every letter produced is recorded against its school with the PDF itself, so the history
shows the letter exactly as it was sent.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date, format_long_date
from thep_desktop.domain.files import safe_file_stem
from thep_desktop.domain.merge import MergeError, check_template, fields_in, merge
from thep_desktop.domain.progress import Progress
from thep_desktop.models import Correspondence, Document, LetterTemplate, School
from thep_desktop.reports.letters.letter_pdf import Letter, LetterError, Letterhead, render_letters
from thep_desktop.services.letters.letter_fields import (
    BUILTIN_TEMPLATES,
    BUILTINS_BY_KEY,
    FIELD_NAMES,
    FIELDS_BY_NAME,
    example_values,
)
from thep_desktop.services.schools.schools_service import not_closed_on
from thep_desktop.services.settings.organisation_service import OrganisationService, ProfileData
from thep_desktop.services.shared.actor import Actor, Permission
from thep_desktop.services.shared.errors import (
    ConflictError,
    NotFoundError,
    ServiceError,
    ValidationError,
)
from thep_desktop.services.shared.forms import FieldChecker

TEMPLATE_LABELS = {
    "name": "Template name",
    "description": "Description",
    "subject": "Subject",
    "salutation": "Salutation",
    "body": "Letter text",
    "sign_off": "Sign-off",
    "signatory": "Signed by",
    "signatory_role": "Signatory's role",
    "contact_role": "Usually sent to",
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
    signatory: str = ""
    signatory_role: str = ""
    contact_role: str = "Head teacher"


TEMPLATE_FIELDS = tuple(f.name for f in fields(TemplateInput))


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
    updated_at: datetime
    updated_by: str

    def as_input(self) -> TemplateInput:
        return TemplateInput(**{name: getattr(self, name) for name in TEMPLATE_FIELDS})

    @property
    def changed_from_builtin(self) -> bool:
        """A built-in template whose wording the office has edited."""
        shipped = BUILTINS_BY_KEY.get(self.key or "")
        return shipped is not None and self.as_input() != _builtin_input(shipped)

    @property
    def fields_used(self) -> list[str]:
        names: list[str] = []
        for part in MERGED_PARTS:
            for name in fields_in(getattr(self, part)):
                if name not in names:
                    names.append(name)
        return names


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


@dataclass(frozen=True)
class MergeResult:
    letters: int
    pages: int
    combined_file: Path | None
    recipient_files: tuple[Path, ...]
    warnings: tuple[str, ...]
    skipped: tuple[Skipped, ...]

    def __str__(self) -> str:
        text = f"{self.letters:,} letter{'s' if self.letters != 1 else ''}, {self.pages:,} pages"
        if self.skipped:
            text += f"; {len(self.skipped)} school{'s' if len(self.skipped) != 1 else ''} left out"
        return text


@dataclass(frozen=True)
class CorrespondenceRow:
    id: int
    school_id: int
    sent_at: datetime
    sent_by: str
    template_name: str
    subject: str
    recipient_name: str
    recipient_role: str
    our_ref: str
    pages: int
    sha256: str
    filename: str


# Values the head-teacher and chair-of-governors roles can take from the school record
# when no contact with that role is listed.
_HEAD = "head teacher"
_CHAIR = "chair of governors"


class LettersService:
    def __init__(self, database: Database) -> None:
        self.db = database
        self._organisation = OrganisationService(database)

    # -- templates --------------------------------------------------------------------
    def list_templates(self, actor: Actor) -> list[TemplateDetail]:
        actor.require(Permission.VIEW)
        self._ensure_builtins(actor)
        with self.db.read_session() as session:
            rows = session.scalars(select(LetterTemplate).order_by(LetterTemplate.name))
            return [_template_detail(t) for t in rows]

    def get_template(self, actor: Actor, template_id: int) -> TemplateDetail:
        actor.require(Permission.VIEW)
        with self.db.read_session() as session:
            return _template_detail(self._load(session, template_id))

    def find_template(self, actor: Actor, name_or_key: str) -> TemplateDetail:
        """A template by its key (``welcome``) or its name, ignoring case."""
        wanted = name_or_key.strip().casefold()
        for template in self.list_templates(actor):
            if wanted in ((template.key or "").casefold(), template.name.casefold()):
                return template
        raise NotFoundError(f"There is no letter template called “{name_or_key.strip()}”.")

    def create_template(self, actor: Actor, data: TemplateInput) -> TemplateDetail:
        actor.require(Permission.EDIT_SCHOOLS)
        values = _check_template(data)
        try:
            with self.db.session() as session:
                self._check_name_free(session, values["name"], None)
                row = LetterTemplate(
                    **values, builtin=False, created_by=actor.name, updated_by=actor.name
                )
                session.add(row)
                session.flush()
                return _template_detail(row)
        except IntegrityError:
            raise _name_taken(values["name"]) from None

    def update_template(
        self, actor: Actor, template_id: int, data: TemplateInput, expected_version: int
    ) -> TemplateDetail:
        actor.require(Permission.EDIT_SCHOOLS)
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
                return _template_detail(row)
        except StaleDataError:
            raise self._conflict(template_id) from None

    def reset_template(
        self, actor: Actor, template_id: int, expected_version: int
    ) -> TemplateDetail:
        """Put a built-in template back to the wording the program ships."""
        actor.require(Permission.EDIT_SCHOOLS)
        with self.db.session() as session:
            row = self._load(session, template_id)
            shipped = BUILTINS_BY_KEY.get(row.key or "")
            if shipped is None:
                raise ServiceError(
                    f"“{row.name}” is the office's own template; only built-in ones can be reset."
                )
            _check_version(row, expected_version)
            for name, value in vars(_builtin_input(shipped)).items():
                setattr(row, name, value)
            row.updated_by = actor.name
            session.flush()
            return _template_detail(row)

    def delete_template(self, actor: Actor, template_id: int, expected_version: int) -> None:
        actor.require(Permission.EDIT_SCHOOLS)
        with self.db.session() as session:
            row = self._load(session, template_id)
            if row.builtin:
                raise ServiceError(
                    f"“{row.name}” is built in and cannot be deleted; you can change its "
                    "wording, or reset it."
                )
            _check_version(row, expected_version)
            session.delete(row)

    # -- recipients --------------------------------------------------------------------
    def open_school_ids(self, actor: Actor) -> list[int]:
        """Every school not closed, in name order (until memberships say who is a member)."""
        actor.require(Permission.VIEW)
        with self.db.read_session() as session:
            return list(
                session.scalars(
                    select(School.id).where(not_closed_on(date.today())).order_by(School.name)
                )
            )

    def school_ids_for_urns(self, actor: Actor, urns: Sequence[int]) -> list[int]:
        actor.require(Permission.VIEW)
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
        actor.require(Permission.VIEW)
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

    # -- producing letters --------------------------------------------------------------------
    def letterhead(self, actor: Actor) -> Letterhead:
        return letterhead_from(self._organisation.get_profile(actor))

    def preview(
        self,
        actor: Actor,
        data: TemplateInput,
        *,
        school_id: int | None = None,
        mailing: dict[str, str] | None = None,
        letter_date: date | None = None,
    ) -> bytes:
        """One letter from a template as it is being edited (not saved), as PDF bytes.

        With a school, its real values; without, the example value of every field.
        Raises :class:`ValidationError` naming an unknown field before anything is drawn.
        """
        actor.require(Permission.VIEW)
        _check_template(data)
        profile = self._organisation.get_profile(actor)
        values = example_values()
        recipient_address: tuple[str, ...] = (
            "Ms Rahima Begum",
            "Head Teacher",
            "Bow Common Primary School",
            "Ben Jonson Road",
            "London",
            "E1 4SD",
        )
        if school_id is not None:
            recipients, skipped = self.recipients(actor, [school_id], data.contact_role)
            if skipped:
                raise ServiceError(skipped[0].reason)
            values.update(recipients[0].values)
            recipient_address = recipients[0].address
        values.update(_organisation_values(profile))
        when = letter_date or date.today()
        values.update(_letter_values(when, data, values.get("school.urn", "")))
        values.update({k: v for k, v in (mailing or {}).items() if v.strip()})
        letter = _letter(data, values, recipient_address, when)
        buffer = io.BytesIO()
        render_letters(buffer, letterhead_from(profile), [letter], title=letter.subject)
        return buffer.getvalue()

    def mailing_fields(self, data: TemplateInput | TemplateDetail) -> list[str]:
        """The fields of a template that are typed once for the whole mailing."""
        names: list[str] = []
        for part in MERGED_PARTS:
            for name in fields_in(getattr(data, part)):
                info = FIELDS_BY_NAME.get(name)
                if info is not None and info.source == "mailing" and name not in names:
                    names.append(name)
        return names

    def produce(
        self,
        actor: Actor,
        template_id: int,
        school_ids: Sequence[int],
        contact_role: str,
        *,
        combined_file: str | Path | None = None,
        recipient_folder: str | Path | None = None,
        mailing: dict[str, str] | None = None,
        letter_date: date | None = None,
        progress: Progress | None = None,
        now: Callable[[], date] = date.today,
    ) -> MergeResult:
        """Merge and lay out the letters, write the files asked for, record the history.

        Files appear whole or not at all (written beside their final name, then renamed),
        and the history is written in the same transaction as the last step; Cancel or any
        error leaves neither files nor records.
        """
        actor.require(Permission.EDIT_SCHOOLS)
        if combined_file is None and recipient_folder is None:
            raise ServiceError("Choose where to save the letters: one PDF, a folder, or both.")
        template = self.get_template(actor, template_id)
        data = template.as_input()
        _check_template(data)
        missing_mailing = [
            FIELDS_BY_NAME[name].label
            for name in self.mailing_fields(template)
            if not (mailing or {}).get(name, "").strip()
        ]
        if missing_mailing:
            raise ValidationError(
                {"mailing": "Fill in " + ", ".join(missing_mailing) + " for this mailing."}
            )
        recipients, skipped = self.recipients(actor, school_ids, contact_role)
        profile = self._organisation.get_profile(actor)
        head = letterhead_from(profile)
        when = letter_date or now()
        common = _organisation_values(profile)
        common.update({k: v.strip() for k, v in (mailing or {}).items()})
        used = template.fields_used
        letters: list[tuple[Recipient, Letter]] = []
        for recipient in recipients:
            values = dict(recipient.values)
            values.update(common)
            values.update(_letter_values(when, data, str(recipient.urn)))
            lacking = [n for n in used if n not in values]
            if lacking:
                skipped.append(Skipped(recipient.school_name, _lacking_reason(recipient, lacking)))
                continue
            letters.append((recipient, _letter(data, values, recipient.address, when)))
        if not letters:
            reasons = "\n".join(f"• {s.school_name}: {s.reason}" for s in skipped[:10])
            raise ServiceError("No letters could be produced.\n" + reasons)
        total = len(letters)

        def report(n: int) -> None:
            if progress is not None:
                progress.report(n - 1, total, f"Letter {n:,} of {total:,}")

        staged: list[tuple[Path, Path]] = []  # (temporary, final)
        try:
            combined_doc: tuple[bytes, tuple[int, ...]] | None = None
            if combined_file is not None:
                final = Path(combined_file)
                temp = _temporary_beside(final)
                staged.append((temp, final))
                with open(temp, "wb") as out:
                    result = render_letters(
                        out,
                        head,
                        (lt for _r, lt in letters),
                        title=template.name,
                        on_letter=report,
                    )
                combined_doc = (temp.read_bytes(), result.pages_per_letter)
            per_recipient: list[tuple[bytes, int, Path]] = []
            if recipient_folder is not None:
                folder = Path(recipient_folder)
                if not folder.is_dir():
                    raise ServiceError(f"The folder {folder} does not exist.")
                names = _file_names(
                    [r.school_name for r, _l in letters], when, template.name, folder
                )
                for number, ((_recipient, letter), name) in enumerate(
                    zip(letters, names, strict=True), start=1
                ):
                    report(number)
                    buffer = io.BytesIO()
                    one = render_letters(buffer, head, [letter], title=letter.subject)
                    final = folder / name
                    temp = _temporary_beside(final)
                    temp.write_bytes(buffer.getvalue())
                    staged.append((temp, final))
                    per_recipient.append((buffer.getvalue(), one.pages, final))
            if progress is not None:
                progress.report(total, total, "Recording the letters sent…")

            def publish() -> None:
                # Inside the history's transaction: a file that cannot take its place (open
                # in a PDF viewer, say) leaves no record of letters nobody received.
                for temp, final in staged:
                    try:
                        os.replace(temp, final)
                    except PermissionError:
                        raise ServiceError(
                            f"{final.name} is open in another program, or its folder cannot "
                            "be written to. Close it and try again; no letters were recorded."
                        ) from None

            pages = self._record(
                actor, template, letters, combined_doc, per_recipient, combined_file, publish
            )
        except BaseException:
            for temp, _final in staged:
                temp.unlink(missing_ok=True)
            raise
        warnings = tuple(f"{r.school_name}: {r.warning}" for r, _l in letters if r.warning)
        return MergeResult(
            letters=len(letters),
            pages=pages,
            combined_file=Path(combined_file) if combined_file is not None else None,
            recipient_files=tuple(p for _b, _n, p in per_recipient),
            warnings=warnings,
            skipped=tuple(skipped),
        )

    def _record(
        self,
        actor: Actor,
        template: TemplateDetail,
        letters: list[tuple[Recipient, Letter]],
        combined: tuple[bytes, tuple[int, ...]] | None,
        per_recipient: list[tuple[bytes, int, Path]],
        combined_file: str | Path | None,
        publish: Callable[[], None],
    ) -> int:
        with self.db.session() as session:
            pages = self._add_history(
                session, actor, template, letters, combined, per_recipient, combined_file
            )
            session.flush()
            publish()
            return pages

    @staticmethod
    def _add_history(
        session: Session,
        actor: Actor,
        template: TemplateDetail,
        letters: list[tuple[Recipient, Letter]],
        combined: tuple[bytes, tuple[int, ...]] | None,
        per_recipient: list[tuple[bytes, int, Path]],
        combined_file: str | Path | None,
    ) -> int:
        if per_recipient:
            # Each school's own PDF is what it was sent (and what emailing uses).
            pages = 0
            for (recipient, letter), (data, count, path) in zip(
                letters, per_recipient, strict=True
            ):
                document = _document(actor, letter.subject, path.name, data, count)
                session.add(document)
                session.flush()
                session.add(_correspondence(actor, template, recipient, letter, document, 1, count))
                pages += count
            if combined is not None:
                pages = sum(combined[1])
            return pages
        assert combined is not None
        data, counts = combined
        name = Path(combined_file).name if combined_file is not None else ""
        document = _document(actor, template.name, name, data, sum(counts))
        session.add(document)
        session.flush()
        first = 1
        for (recipient, letter), count in zip(letters, counts, strict=True):
            session.add(_correspondence(actor, template, recipient, letter, document, first, count))
            first += count
        return sum(counts)

    # -- history --------------------------------------------------------------------
    def correspondence(self, actor: Actor, school_id: int) -> list[CorrespondenceRow]:
        actor.require(Permission.VIEW)
        with self.db.read_session() as session:
            rows = session.execute(
                select(Correspondence, Document.sha256, Document.filename)
                .join(Document, Document.id == Correspondence.document_id)
                .where(Correspondence.school_id == school_id)
                .order_by(Correspondence.created_at.desc(), Correspondence.id.desc())
            ).all()
            return [
                CorrespondenceRow(
                    id=c.id,
                    school_id=c.school_id,
                    sent_at=c.created_at,
                    sent_by=c.created_by,
                    template_name=c.template_name,
                    subject=c.subject,
                    recipient_name=c.recipient_name,
                    recipient_role=c.recipient_role,
                    our_ref=c.our_ref,
                    pages=c.pages,
                    sha256=sha,
                    filename=filename,
                )
                for c, sha, filename in rows
            ]

    def correspondence_pdf(self, actor: Actor, correspondence_id: int) -> bytes:
        """The letter exactly as sent: its own PDF, or its pages of the print run it was in."""
        actor.require(Permission.VIEW)
        with self.db.read_session() as session:
            row = session.get(Correspondence, correspondence_id)
            if row is None:
                raise NotFoundError("That letter is no longer in the records.")
            document = session.get(Document, row.document_id)
            assert document is not None
            data = document.pdf
            if hashlib.sha256(data).hexdigest() != document.sha256:
                raise ServiceError(
                    "The stored copy of this letter does not match its fingerprint; it may "
                    "have been damaged. Ask whoever looks after the database to check it."
                )
            if row.first_page == 1 and row.pages == document.pages:
                return data
            return _pages_of(data, row.first_page, row.pages)

    # -- helpers --------------------------------------------------------------------
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
                    values = vars(_builtin_input(shipped))
                    name = values["name"]
                    if session.scalar(select(LetterTemplate.id).where(LetterTemplate.name == name)):
                        values["name"] = f"{name} (built in)"
                    session.add(
                        LetterTemplate(
                            **values,
                            key=shipped.key,
                            builtin=True,
                            created_by=actor.name,
                            updated_by=actor.name,
                        )
                    )
        except IntegrityError:
            pass  # another workstation added them at the same moment

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


# -- plain functions ------------------------------------------------------------------------
def letterhead_from(profile: ProfileData) -> Letterhead:
    lines = [line.strip() for line in profile.address.splitlines() if line.strip()]
    if profile.postcode:
        if lines and profile.postcode not in lines[-1]:
            lines[-1] = f"{lines[-1]} {profile.postcode}"
        elif not lines:
            lines = [profile.postcode]
    return Letterhead(
        name=profile.name,
        address_lines=tuple(lines),
        phone=profile.phone,
        email=profile.email,
        website=profile.website,
        company_number=profile.company_number,
        charity_number=profile.charity_number,
        vat_number=profile.vat_number,
        registered_office=profile.registered_office,
        logo=profile.logo,
    )


def academic_year_of(day: date) -> str:
    """``2026/27`` for any day from 1 September 2026 to 31 August 2027."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _builtin_input(shipped: Any) -> TemplateInput:
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
    for name in TEMPLATE_FIELDS:
        values[name] = check.text(name, getattr(data, name), required=name in ("name", "body"))
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


def _template_detail(row: LetterTemplate) -> TemplateDetail:
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
        updated_at=row.updated_at,
        updated_by=row.updated_by,
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


def _organisation_values(profile: ProfileData) -> dict[str, str]:
    head = letterhead_from(profile)
    sort_code = profile.bank_sort_code
    if re.fullmatch(r"\d{6}", sort_code):
        sort_code = f"{sort_code[:2]}-{sort_code[2:4]}-{sort_code[4:]}"
    return {
        "org.name": profile.name,
        "org.address": ", ".join(head.address_lines),
        "org.phone": profile.phone,
        "org.email": profile.email,
        "org.website": profile.website,
        "org.bank_name": profile.bank_name,
        "org.bank_account_name": profile.bank_account_name,
        "org.bank_sort_code": sort_code,
        "org.bank_account_number": profile.bank_account_number,
    }


def _letter_values(when: date, data: TemplateInput, urn: str) -> dict[str, str]:
    start = when.year if when.month >= 9 else when.year - 1
    return {
        "today": format_long_date(when),
        "academic_year": academic_year_of(when),
        "next_academic_year": f"{start + 1}/{(start + 2) % 100:02d}",
        "our_ref": _our_ref(data.name, urn),
        "sender.name": data.signatory,
        "sender.role": data.signatory_role,
    }


def _our_ref(template_name: str, urn: str) -> str:
    """``NGM/100897`` for "Notice of general meeting" to URN 100897."""
    words = [w for w in re.findall(r"[A-Za-z]+", template_name) if w.lower() not in _SMALL]
    initials = "".join(w[0] for w in words).upper()[:4]
    return "/".join(p for p in (initials or "LTR", urn) if p)


_SMALL = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "the", "to"})


def _letter(
    data: TemplateInput, values: dict[str, str], address: tuple[str, ...], when: date
) -> Letter:
    def filled(text: str) -> str:
        return merge(text, values).strip()

    return Letter(
        recipient=address,
        date=when,
        salutation=filled(data.salutation),
        body=merge(data.body, values),
        subject=filled(data.subject),
        our_ref=values.get("our_ref", ""),
        sign_off=data.sign_off.strip(),
        signatory=filled(data.signatory),
        signatory_role=filled(data.signatory_role),
        recipient_label=values.get("school.name", ""),
    )


def _lacking_reason(recipient: Recipient, lacking: list[str]) -> str:
    membership = [n for n in lacking if FIELDS_BY_NAME[n].source == "membership"]
    if membership:
        shown = ", ".join(f"{{{n}}}" for n in membership)
        return f"the letter needs {shown} from the school's membership record, and none is recorded"
    shown = ", ".join(f"{{{n}}}" for n in lacking)
    return f"no value for {shown}"


def _document(actor: Actor, title: str, filename: str, data: bytes, pages: int) -> Document:
    return Document(
        title=title[:300],
        filename=filename[:300],
        sha256=hashlib.sha256(data).hexdigest(),
        pages=pages,
        size=len(data),
        pdf=data,
        created_by=actor.name,
        updated_by=actor.name,
    )


def _correspondence(
    actor: Actor,
    template: TemplateDetail,
    recipient: Recipient,
    letter: Letter,
    document: Document,
    first_page: int,
    pages: int,
) -> Correspondence:
    return Correspondence(
        school_id=recipient.school_id,
        document_id=document.id,
        first_page=first_page,
        pages=pages,
        template_name=template.name[:200],
        subject=letter.subject[:500],
        recipient_name=(recipient.contact_name or letter.recipient[0])[:200],
        recipient_role=recipient.contact_role[:100],
        our_ref=letter.our_ref[:100],
        note=recipient.warning[:500],
        created_by=actor.name,
        updated_by=actor.name,
    )


def _pages_of(data: bytes, first_page: int, count: int) -> bytes:
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    for number in range(first_page - 1, first_page - 1 + count):
        writer.add_page(reader.pages[number])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _temporary_beside(final: Path) -> Path:
    folder = final.parent
    if not folder.is_dir():
        raise ServiceError(f"The folder {folder} does not exist.")
    handle, name = tempfile.mkstemp(prefix=f".{final.stem}-", suffix=".partial", dir=folder)
    os.close(handle)
    return Path(name)


def _file_names(school_names: list[str], when: date, template_name: str, folder: Path) -> list[str]:
    """``Bow School - Welcome to membership - 2026-11-25.pdf``, unique, safe on Windows.

    A name already used in ``folder`` (the same letter made earlier that day) gets a number,
    ``… (2).pdf``: a letter already sent is never replaced.
    """
    names: list[str] = []
    taken = {p.name.casefold() for p in folder.iterdir()} if folder.is_dir() else set()
    for school in school_names:
        base = safe_file_stem(f"{school} - {template_name} - {when.isoformat()}", "letter")[:150]
        name, count = f"{base}.pdf", 1
        while name.casefold() in taken:
            count += 1
            name = f"{base} ({count}).pdf"
        taken.add(name.casefold())
        names.append(name)
    return names


__all__ = [
    "CorrespondenceRow",
    "LetterError",
    "LettersService",
    "MergeResult",
    "Recipient",
    "Skipped",
    "TemplateDetail",
    "TemplateInput",
    "academic_year_of",
    "letterhead_from",
]
