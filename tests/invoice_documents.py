"""Invoices, credit notes and suppliers as plain data, for the invoice documents' tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from thep_desktop.domain.invoices import InvoiceKind, VatCode, line_amounts
from thep_desktop.reports.invoices.invoice_document import (
    DocumentLine,
    InvoiceDocument,
    Supplier,
)

VAT_SUPPLIER = Supplier(
    name="Tower Hamlets Education Partnership",
    address_lines=("229 Bethnal Green Road", "London"),
    postcode="E2 6AB",
    phone="020 7364 0000",
    email="accounts@the-partnership.org.uk",
    website="www.the-partnership.org.uk",
    company_number="08123456",
    charity_number="1150000",
    vat_number="GB 123 4567 89",
    registered_office="229 Bethnal Green Road\nLondon E2 6AB",
    bank_name="Lloyds Bank",
    bank_account_name="Tower Hamlets Education Partnership Ltd",
    bank_sort_code="30-99-50",
    bank_account_number="12345678",
)
PLAIN_SUPPLIER = replace(VAT_SUPPLIER, vat_number="")

CUSTOMER = "St Mary & St John's <Primary> School"


def line(
    description: str, quantity: str, unit_price: str, code: VatCode = VatCode.STANDARD
) -> DocumentLine:
    amounts = line_amounts(Decimal(quantity), Decimal(unit_price), code)
    return DocumentLine(
        description, Decimal(quantity), Decimal(unit_price), code, amounts.net, amounts.vat
    )


def invoice(
    lines: tuple[DocumentLine, ...] | None = None,
    *,
    supplier: Supplier = VAT_SUPPLIER,
    **changes: object,
) -> InvoiceDocument:
    """An issued invoice of two lines (20% and exempt), totals from its lines."""
    if lines is None:
        lines = (
            line(
                "School improvement SLA: 3 days' adviser support in the spring term",
                "3",
                "450.00",
            ),
            line(
                "Membership fee 2026/27: 412 pupils on roll (October census) at £3.50 a pupil",
                "412",
                "3.50",
                VatCode.EXEMPT,
            ),
        )
    net = sum((x.net for x in lines), Decimal("0.00"))
    vat = sum((x.vat for x in lines), Decimal("0.00"))
    values: dict[str, object] = dict(
        kind=InvoiceKind.INVOICE,
        number="INV-000123",
        invoice_date=date(2026, 11, 30),
        due_date=date(2026, 12, 30),
        supply_from=date(2026, 9, 1),
        supply_to=date(2027, 8, 31),
        supplier=supplier,
        customer_name=CUSTOMER,
        customer_contact="Ms Rahima Begum, School Business Manager",
        customer_address_lines=("Ben Jonson Road", "London"),
        customer_postcode="E1 4SD",
        purchase_order="PO-55123",
        reference="Fee run 2026/27",
        notes="Thank you for your custom.",
        lines=lines,
        total_net=net,
        total_vat=vat,
        total=net + vat,
        payment_terms_days=30,
        footer_note="Queries about this invoice: accounts@the-partnership.org.uk",
    )
    values.update(changes)
    return InvoiceDocument(**values)  # type: ignore[arg-type]


def credit_note(**changes: object) -> InvoiceDocument:
    lines = (line("Refund of 1 SLA day not used", "1", "450.00"),)
    values: dict[str, object] = dict(
        kind=InvoiceKind.CREDIT_NOTE,
        number="CN-000007",
        credits_number="INV-000123",
        credits_date=date(2026, 11, 30),
        credit_reason="One adviser day cancelled by the partnership",
        purchase_order="",
        notes="",
    )
    values.update(changes)
    return invoice(lines, **values)
