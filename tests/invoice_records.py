"""Customers and invoices for the invoices tests (services, thep-admin and the window)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy import select

from thep_desktop.database import Database
from thep_desktop.domain.invoices import VatCode
from thep_desktop.models import (
    Allocation,
    Customer,
    FeeRun,
    Invoice,
    InvoiceLine,
    InvoiceReminder,
    InvoiceSettings,
    NumberSeries,
    Payment,
    ServiceItem,
)
from thep_desktop.services.invoices.invoice_data import (
    CustomerInput,
    DraftInput,
    InvoiceDetail,
    LineInput,
)
from thep_desktop.services.registry import Services

INVOICE_TABLES = (
    Customer,
    Invoice,
    InvoiceLine,
    NumberSeries,
    Payment,
    Allocation,
    InvoiceReminder,
    ServiceItem,
    FeeRun,
    InvoiceSettings,
)


def customer(services: Services, name: str = "Bow Arts Trust") -> int:
    """A customer who is not a member."""
    made = services.invoices.save_customer(
        services.actor,
        CustomerInput(name, "Ms Jo Patel", "183 Bow Road\nLondon", "E3 2SJ", "jo@bowarts.example"),
    )
    return made.id


def draft(
    services: Services,
    customer_id: int,
    *lines: tuple[str, str, str, VatCode],
    invoice_date: date = date(2026, 9, 1),
    reference: str = "",
) -> InvoiceDetail:
    """A draft with these (description, quantity, unit price, VAT code) lines."""
    return services.invoices.create_draft(
        services.actor,
        DraftInput(
            customer_id=customer_id,
            invoice_date=invoice_date,
            reference=reference,
            lines=tuple(LineInput(d, q, p, v, "200") for d, q, p, v in lines)
            or (LineInput("Ofsted preparation day", "1", "450.00", VatCode.STANDARD, "200"),),
        ),
    )


def issued(
    services: Services,
    customer_id: int,
    *lines: tuple[str, str, str, VatCode],
    invoice_date: date = date(2026, 9, 1),
) -> InvoiceDetail:
    made = draft(services, customer_id, *lines, invoice_date=invoice_date)
    services.invoices.issue(services.actor, [made.id])
    return services.invoices.get_invoice(services.actor, made.id)


def table_sums(db: Database, models: Sequence[type] = INVOICE_TABLES) -> dict[str, tuple[int, str]]:
    """Every invoices table: its row count and a checksum of its rows (refusals change none)."""
    sums = {}
    with db.read_session() as session:
        for model in models:
            table = model.__table__  # type: ignore[attr-defined]
            rows = session.execute(select(table).order_by(table.c.id)).all()
            digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
            sums[table.name] = (len(rows), digest)
    return sums


def training(services: Services, customer_id: int, on: date, places: str = "2") -> int:
    """An issued invoice for training places at £225.00 + VAT each."""
    made = issued(
        services,
        customer_id,
        ("Training place: new SENCOs (full day)", places, "225.00", VatCode.STANDARD),
        invoice_date=on,
    )
    return made.id


def set_up_office(services: Services) -> None:
    """The organisation's address, bank and signatory, as a real office has them."""
    organisation = services.organisation
    organisation.update_profile(
        services.actor,
        replace(
            organisation.get_profile(services.actor),
            name="Tower Hamlets Education Partnership",
            address="229 Bethnal Green Road\nLondon",
            postcode="E2 6AB",
            email="office@thep.example",
            phone="020 7364 0000",
            bank_name="Lloyds Bank",
            bank_account_name="THEP Ltd",
            bank_sort_code="309457",
            bank_account_number="12345678",
            signatory_name="Grace Adeyemi",
            signatory_position="Executive Director",
        ),
    )
