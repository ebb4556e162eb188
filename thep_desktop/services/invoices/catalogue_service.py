"""The catalogue of bespoke and traded services with their prices, for ad-hoc invoices."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.fees import money
from thep_desktop.domain.invoices import VatCode
from thep_desktop.models import InvoiceLine, ServiceItem
from thep_desktop.models.base import utcnow
from thep_desktop.services.invoices.invoice_checks import parse_quantity, parse_vat_code
from thep_desktop.services.invoices.invoice_data import LineInput
from thep_desktop.services.invoices.invoices_permissions import EDIT_CATALOGUE
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    ConflictError,
    NotFoundError,
    ServiceError,
    ValidationError,
    changed_meanwhile,
)
from thep_desktop.services.shared.forms import FieldChecker
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

ITEM_LABELS = {
    "code": "Code",
    "name": "Name",
    "description": "Description",
    "unit": "Unit",
    "unit_price": "Price",
    "vat_code": "VAT",
    "account_code": "Account code",
}


@dataclass(frozen=True)
class ServiceItemInput:
    code: str
    name: str
    description: str = ""
    unit: str = ""  # "day", "place", "review"
    unit_price: Decimal | str = "0.00"
    vat_code: VatCode | str = VatCode.STANDARD
    account_code: str = "200"
    active: bool = True


@dataclass(frozen=True)
class ServiceItemDetail:
    id: int
    uuid: uuid.UUID
    version: int
    code: str
    name: str
    description: str
    unit: str
    unit_price: Decimal
    vat_code: VatCode
    account_code: str
    active: bool
    used: bool  # on an invoice: never deleted, only retired

    @property
    def label(self) -> str:
        """``SLA-DAY  School improvement SLA day: £525.00 a day``."""
        per = f" a {self.unit}" if self.unit else ""
        return f"{self.code}  {self.name}: {money(self.unit_price)}{per}"

    def as_input(self) -> ServiceItemInput:
        return ServiceItemInput(
            self.code,
            self.name,
            self.description,
            self.unit,
            self.unit_price,
            self.vat_code,
            self.account_code,
            self.active,
        )


def default_catalogue() -> list[ServiceItemInput]:
    """The services a London schools partnership sells, at typical 2025/26 prices.

    The demo and new offices start from these; all are at the standard rate of VAT (traded
    services sold to non-members are taxable; the office changes an item's code if its
    accountant says otherwise).
    """
    rows = [
        (
            "SLA-DAY",
            "School improvement SLA day",
            "A day of a school improvement partner's time under the service level agreement",
            "day",
            "650.00",
        ),
        (
            "SLA-HALF",
            "School improvement SLA half day",
            "Half a day of a school improvement partner's time under the service level agreement",
            "half day",
            "350.00",
        ),
        (
            "TRN-HALF",
            "Training place (half day)",
            "A place on a half-day course or briefing",
            "place",
            "95.00",
        ),
        (
            "TRN-FULL",
            "Training place (full day)",
            "A place on a full-day course, lunch included",
            "place",
            "175.00",
        ),
        (
            "TRN-INSET",
            "INSET day for a whole staff",
            "A training day delivered at the school",
            "day",
            "1200.00",
        ),
        (
            "OFSTED-PREP",
            "Ofsted preparation day",
            "A mock inspection day with written feedback for leaders and governors",
            "day",
            "750.00",
        ),
        (
            "PP-REVIEW",
            "Pupil premium review",
            "An external review of the school's pupil premium strategy, with a written report",
            "review",
            "1500.00",
        ),
        (
            "GOV-REVIEW",
            "Governance review",
            "An external review of governance, with a written report and a meeting with the board",
            "review",
            "1350.00",
        ),
        (
            "SG-AUDIT",
            "Safeguarding audit",
            "A safeguarding audit against KCSIE, with a written report and action plan",
            "audit",
            "895.00",
        ),
        (
            "SEND-REVIEW",
            "SEND review",
            "An external review of provision for pupils with "
            "special educational needs and disabilities",
            "review",
            "1250.00",
        ),
        (
            "HT-APPRAISAL",
            "Headteacher appraisal adviser",
            "An external adviser for the governors' headteacher appraisal",
            "appraisal",
            "550.00",
        ),
        (
            "NQT-VISIT",
            "Early career teacher visit",
            "A visit to observe and support an early career teacher",
            "visit",
            "250.00",
        ),
    ]
    return [
        ServiceItemInput(code, name, description, unit, Decimal(price), VatCode.STANDARD, "210")
        for code, name, description, unit, price in rows
    ]


class CatalogueService:
    def __init__(self, database: Database) -> None:
        self.db = database

    def list_items(self, actor: Actor, include_inactive: bool = False) -> list[ServiceItemDetail]:
        """The catalogue by name (retired items too when asked): two statements."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            query = select(ServiceItem).order_by(ServiceItem.name, ServiceItem.id)
            if not include_inactive:
                query = query.where(ServiceItem.active)
            rows = session.scalars(query).all()
            used = set(
                session.scalars(
                    select(InvoiceLine.service_item_id)
                    .where(InvoiceLine.service_item_id.in_([r.id for r in rows]))
                    .distinct()
                )
            )
            return [_detail(r, r.id in used) for r in rows]

    def get_item(self, actor: Actor, item_id: int) -> ServiceItemDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            row = session.get(ServiceItem, item_id)
            if row is None:
                raise NotFoundError("This service is no longer in the catalogue.")
            return _detail(row, _used(session, item_id))

    @save
    def save_item(
        self,
        actor: Actor,
        data: ServiceItemInput,
        item_id: int | None = None,
        expected_version: int | None = None,
    ) -> ServiceItemDetail:
        """A new service (``item_id`` None) or a change to one loaded at ``expected_version``.

        A price with fractions of a penny, a code another item has, or a missing name is
        refused in words and nothing is saved. A new price applies to lines added from now
        on: invoices already made keep theirs.
        """
        actor.require(EDIT_CATALOGUE)
        checker = FieldChecker(ServiceItem.__table__, ITEM_LABELS)  # type: ignore[arg-type]
        code = checker.text("code", data.code, required=True).upper()
        values = {
            "code": code,
            "name": checker.text("name", data.name, required=True),
            "description": checker.text("description", data.description),
            "unit": checker.text("unit", data.unit),
            "unit_price": checker.money("unit_price", data.unit_price),
            "account_code": checker.text("account_code", data.account_code),
            "active": bool(data.active),
        }
        if code and any(c.isspace() for c in code):
            checker.fail("code", "A code has no spaces (e.g. SLA-DAY)")
        try:
            values["vat_code"] = parse_vat_code(data.vat_code)
        except ValueError as exc:
            checker.fail("vat_code", str(exc))
        if checker.errors:
            raise ValidationError(checker.errors)
        try:
            with self.db.session() as session:
                taken = session.scalar(
                    select(ServiceItem.id).where(
                        ServiceItem.code == code,
                        *([ServiceItem.id != item_id] if item_id is not None else []),
                    )
                )
                if taken is not None:
                    raise ValidationError(
                        {"code": f"The code {code} is already used by another service"}
                    )
                if item_id is None:
                    row = ServiceItem(**values, created_by=actor.name, updated_by=actor.name)
                    session.add(row)
                else:
                    found = session.get(ServiceItem, item_id)
                    if found is None:
                        raise NotFoundError("This service is no longer in the catalogue.")
                    row = found
                    if expected_version is not None and row.version != expected_version:
                        raise _conflict()
                    for name, value in values.items():
                        setattr(row, name, value)
                    row.updated_at = utcnow()
                    row.updated_by = actor.name
                session.flush()
                new_id = row.id
        except StaleDataError:
            raise _conflict() from None
        except IntegrityError:  # someone else took the code at the same moment
            raise ValidationError(
                {"code": f"The code {code} is already used by another service"}
            ) from None
        return self.get_item(actor, new_id)

    @save
    def add_defaults(self, actor: Actor) -> list[ServiceItemDetail]:
        """The :func:`default_catalogue` items whose codes are not yet in use, added together
        (a new office's starting list; the demo's). Returns those added."""
        actor.require(EDIT_CATALOGUE)
        with self.db.session() as session:
            taken = set(session.scalars(select(ServiceItem.code)))
            added = [
                ServiceItem(
                    code=item.code,
                    name=item.name,
                    description=item.description,
                    unit=item.unit,
                    unit_price=item.unit_price,
                    vat_code=item.vat_code,
                    account_code=item.account_code,
                    active=item.active,
                    created_by=actor.name,
                    updated_by=actor.name,
                )
                for item in default_catalogue()
                if item.code not in taken
            ]
            session.add_all(added)
            session.flush()
            return [_detail(row, False) for row in added]

    @save
    def delete_item(self, actor: Actor, item_id: int, expected_version: int) -> None:
        """Remove a service never used on an invoice; a used one is retired instead."""
        actor.require(EDIT_CATALOGUE)
        try:
            with self.db.session() as session:
                row = session.get(ServiceItem, item_id)
                if row is None:
                    raise NotFoundError("This service is no longer in the catalogue.")
                if row.version != expected_version:
                    raise _conflict()
                if _used(session, item_id):
                    raise ServiceError(
                        f"{row.name} is on invoices, so it stays in the catalogue for their "
                        "record. Retire it instead (untick Active): it will no longer be offered."
                    )
                session.delete(row)
                session.flush()
        except StaleDataError:
            raise _conflict() from None

    def line_for(
        self, actor: Actor, item_id: int, quantity: Decimal | str | int = "1"
    ) -> LineInput:
        """The line a draft gets for ``quantity`` of the service, at its price now."""
        actor.require(VIEW)
        try:
            amount = parse_quantity(quantity)
        except ValueError as exc:
            raise ValidationError({"quantity": f"Quantity: {exc}"}) from None
        item = self.get_item(actor, item_id)
        if not item.active:
            raise ServiceError(f"{item.name} is retired from the catalogue; choose another.")
        words = item.name + (f": {item.description}" if item.description else "")
        return LineInput(
            description=words,
            quantity=amount,
            unit_price=item.unit_price,
            vat_code=item.vat_code,
            account_code=item.account_code,
            service_item_id=item.id,
        )


def _used(session, item_id: int) -> bool:  # type: ignore[no-untyped-def]
    return bool(session.scalar(select(exists().where(InvoiceLine.service_item_id == item_id))))


def _detail(row: ServiceItem, used: bool) -> ServiceItemDetail:
    return ServiceItemDetail(
        id=row.id,
        uuid=row.uuid,
        version=row.version,
        code=row.code,
        name=row.name,
        description=row.description,
        unit=row.unit,
        unit_price=row.unit_price,
        vat_code=row.vat_code,
        account_code=row.account_code,
        active=row.active,
        used=used,
    )


def _conflict() -> ConflictError:
    return changed_meanwhile("service")
