"""The organisation profile: name, addresses, legal numbers, bank details and logo for letters."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.numbers import digits_of, is_plain_digits
from thep_desktop.domain.validation import (
    check_company_number,
    check_digits,
    check_email,
    check_phone,
    check_vat_number,
    check_website,
    normalise_postcode,
)
from thep_desktop.models import OrganisationProfile
from thep_desktop.services.settings.settings_permissions import EDIT_SETTINGS
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ConflictError, ValidationError
from thep_desktop.services.shared.forms import FieldChecker
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

PROFILE_LABELS = {
    "name": "Organisation name",
    "address": "Address",
    "postcode": "Postcode",
    "phone": "Phone",
    "email": "Email",
    "website": "Website",
    "company_number": "Company number",
    "charity_number": "Charity number",
    "vat_number": "VAT number",
    "registered_office": "Registered office",
    "la_code": "Local authority code",
    "bank_name": "Bank",
    "bank_account_name": "Account name",
    "bank_sort_code": "Sort code",
    "bank_account_number": "Account number",
    "logo": "Logo",
    "signatory_name": "Signed by",
    "signatory_position": "Position",
    "signature_image": "Signature",
    "company_secretary": "Company secretary",
}

# Used the first time a database is opened; the office edits them in Settings.
DEFAULT_PROFILE = {
    "name": "Tower Hamlets Education Partnership",
    "address": "c/o Professional Development Centre\n229 Bethnal Green Road\nLondon",
    "postcode": "E2 6AB",
    "email": "info@the-partnership.org.uk",
    "website": "www.the-partnership.org.uk",
    "la_code": "211",
}

MAX_LOGO_BYTES = 2 * 1024 * 1024


@dataclass
class ProfileData:
    name: str = ""
    address: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    company_number: str = ""
    charity_number: str = ""
    vat_number: str = ""
    registered_office: str = ""
    la_code: str = ""
    bank_name: str = ""
    bank_account_name: str = ""
    bank_sort_code: str = ""
    bank_account_number: str = ""
    logo: bytes | None = None
    logo_filename: str = ""
    signatory_name: str = ""
    signatory_position: str = ""
    signature_image: bytes | None = None
    signature_image_filename: str = ""
    company_secretary: str = ""
    version: int = 0


PROFILE_FIELDS = tuple(f.name for f in fields(ProfileData) if f.name != "version")


def check_logo(data: bytes, what: str = "logo") -> None:
    """Raise ``ValueError`` unless ``data`` is a PNG or JPEG image we can print."""
    if len(data) > MAX_LOGO_BYTES:
        raise ValueError(f"The {what} file is larger than 2 MB; please use a smaller image")
    try:
        from PIL import Image  # Pillow comes with reportlab

        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except Exception:
        raise ValueError(
            f"The {what} file is not an image this program can read (use PNG or JPEG)"
        ) from None
    if kind not in ("PNG", "JPEG"):
        raise ValueError(f"The {what} is a {kind} image; please use PNG or JPEG")


def check_signature_image(data: bytes) -> None:
    """Raise ``ValueError`` unless ``data`` is a signature image we can print."""
    check_logo(data, "signature")


class OrganisationService:
    def __init__(self, database: Database) -> None:
        self.db = database

    def get_profile(self, actor: Actor) -> ProfileData:
        actor.require(VIEW)
        with self.db.read_session() as session:
            row = session.scalar(
                select(OrganisationProfile).order_by(OrganisationProfile.id).limit(1)
            )
            if row is not None:
                return profile_data(row)
        return self._first_profile(actor)

    def profile_uuid(self, actor: Actor) -> uuid.UUID | None:
        """The profile record's identity (for its History), None before it is first made."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            return session.scalar(
                select(OrganisationProfile.uuid).order_by(OrganisationProfile.id).limit(1)
            )

    @save
    def _first_profile(self, actor: Actor) -> ProfileData:
        """The profile made with the defaults, the first time anyone asks for it.

        A save (it holds the write lock), so that two people opening a new database at the
        same moment get one profile between them; reading it is not (it never waits).
        """
        with self.db.session() as session:
            return profile_data(self._row(session, actor))

    @save
    def update_profile(self, actor: Actor, data: ProfileData) -> ProfileData:
        """Save the profile loaded at ``data.version``; never overwrite a change made meanwhile."""
        actor.require(EDIT_SETTINGS)
        values = _check(data)
        try:
            with self.db.session() as session:
                row = self._row(session, actor)
                if data.version and row.version != data.version:
                    raise _conflict(row)
                for k, v in values.items():
                    setattr(row, k, v)
                row.updated_by = actor.name
                session.flush()
                return profile_data(row)
        except StaleDataError:  # saved by someone else between our read and our write
            with self.db.session() as session:
                raise _conflict(self._row(session, actor)) from None

    @staticmethod
    def _row(session, actor: Actor) -> OrganisationProfile:  # type: ignore[no-untyped-def]
        row = session.scalar(select(OrganisationProfile).order_by(OrganisationProfile.id).limit(1))
        if row is None:
            row = OrganisationProfile(
                **DEFAULT_PROFILE, created_by=actor.name, updated_by=actor.name
            )
            session.add(row)
            session.flush()
        return row


def _conflict(row: OrganisationProfile) -> ConflictError:
    when = row.updated_at.astimezone()
    return ConflictError(
        f"{row.updated_by} changed the organisation profile at {when:%H:%M} on "
        f"{format_date(when.date())}, since you opened it. Nothing was saved.",
        changed_by=row.updated_by,
        changed_at=row.updated_at,
    )


def _check(data: ProfileData) -> dict[str, object]:
    c = FieldChecker(OrganisationProfile.__table__, PROFILE_LABELS)  # type: ignore[arg-type]
    values: dict[str, object] = {
        "name": c.text("name", data.name, required=True),
        "address": c.text("address", data.address),
        "postcode": c.text("postcode", data.postcode, check=normalise_postcode),
        "phone": c.text("phone", data.phone, check=check_phone),
        "email": c.text("email", data.email, check=check_email),
        "website": c.text("website", data.website, check=check_website),
        "company_number": c.text("company_number", data.company_number, check=check_company_number),
        "charity_number": c.text("charity_number", data.charity_number),
        "vat_number": c.text("vat_number", data.vat_number, check=check_vat_number),
        "registered_office": c.text("registered_office", data.registered_office),
        "la_code": c.text("la_code", data.la_code, check=lambda t: check_digits(t, 3, "LA code")),
        "bank_name": c.text("bank_name", data.bank_name),
        "bank_account_name": c.text("bank_account_name", data.bank_account_name),
        "bank_sort_code": c.text("bank_sort_code", data.bank_sort_code, check=_sort_code),
        "bank_account_number": c.text(
            "bank_account_number",
            data.bank_account_number,
            check=lambda t: check_digits(t, 8, "account number"),
        ),
        "logo_filename": c.text("logo_filename", data.logo_filename),
        "logo": data.logo or None,
        "signatory_name": c.text("signatory_name", data.signatory_name),
        "signatory_position": c.text("signatory_position", data.signatory_position),
        "signature_image_filename": c.text(
            "signature_image_filename", data.signature_image_filename
        ),
        "signature_image": data.signature_image or None,
        "company_secretary": c.text("company_secretary", data.company_secretary),
    }
    if data.logo:
        try:
            check_logo(data.logo)
        except ValueError as exc:
            c.fail("logo", str(exc))
    if data.signature_image:
        try:
            check_signature_image(data.signature_image)
        except ValueError as exc:
            c.fail("signature_image", str(exc))
    if data.signatory_position.strip() and not data.signatory_name.strip():
        c.fail("signatory_name", "Type the name of the person who signs as the position given")
    if c.errors:
        raise ValidationError(c.errors)
    return values


def _sort_code(text: str) -> str:
    digits = digits_of(text).replace("-", "").replace(" ", "")
    if not is_plain_digits(digits) or len(digits) != 6:
        raise ValueError(f"“{text}” is not a sort code (6 digits, e.g. 20-00-00)")
    return f"{digits[:2]}-{digits[2:4]}-{digits[4:]}"


def profile_data(row: OrganisationProfile) -> ProfileData:
    values = {name: getattr(row, name) for name in PROFILE_FIELDS}
    return ProfileData(**values, version=row.version)
