"""Checking what is typed into an invoice: dates, lines, quantities, prices and settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import money
from thep_desktop.domain.invoices import LineAmounts, VatCode, line_amounts, to_penny
from thep_desktop.models import Invoice, InvoiceLine
from thep_desktop.services.invoices.invoice_data import DraftInput, LineInput
from thep_desktop.services.shared.errors import ValidationError
from thep_desktop.services.shared.forms import FieldChecker

DRAFT_LABELS = {
    "customer": "Customer",
    "invoice_date": "Invoice date",
    "due_date": "Due date",
    "supply_from": "Supply from",
    "supply_to": "Supply to",
    "purchase_order": "Purchase order",
    "reference": "Reference",
    "notes": "Notes",
    "lines": "Lines",
}
LINE_LABELS = {
    "description": "Description",
    "quantity": "Quantity",
    "unit_price": "Unit price",
    "vat_code": "VAT code",
    "account_code": "Account code",
}
MAX_QUANTITY = Decimal("100000")


@dataclass(frozen=True)
class CheckedLine:
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_code: VatCode
    account_code: str
    service_item_id: int | None
    amounts: LineAmounts


@dataclass(frozen=True)
class CheckedDraft:
    invoice_date: date
    due_date: date
    supply_from: date | None
    supply_to: date | None
    purchase_order: str
    reference: str
    notes: str
    lines: tuple[CheckedLine, ...]


def parse_quantity(value: Decimal | str | int) -> Decimal:
    """A quantity as typed ("1", "1.5", "0.25"): more than nothing, to two decimal places."""
    text = str(value).strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{value}” is not a number (e.g. 1 or 1.5)") from None
    if not number.is_finite():
        raise ValueError(f"“{value}” is not a number (e.g. 1 or 1.5)")
    if number != number.quantize(Decimal("0.01")):
        raise ValueError(f"“{value}” has more than two decimal places")
    if number <= 0:
        raise ValueError("must be more than nothing")
    if number >= MAX_QUANTITY:
        raise ValueError(f"{number} is more than any invoice needs (at most {MAX_QUANTITY - 1})")
    return number.quantize(Decimal("0.01"))


def parse_price(value: Decimal | str | int) -> Decimal:
    """A unit price as typed: pounds and pence, never fractions of a penny.

    A negative price (a discount line) is allowed on a line; the invoice's total is not.
    """
    text = str(value).strip().replace(",", "").replace("£", "").replace(" ", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{value}” is not an amount of money (e.g. 450.00)") from None
    if not number.is_finite():
        raise ValueError(f"“{value}” is not an amount of money (e.g. 450.00)")
    if number != to_penny(number):
        raise ValueError(f"“{value}” has fractions of a penny: give pounds and pence only")
    if abs(number) >= Decimal("10000000"):
        raise ValueError(f"{money(number)} is more than any invoice line needs")
    return to_penny(number)


def parse_vat_code(value: VatCode | str) -> VatCode:
    if isinstance(value, VatCode):
        return value
    return VatCode.parse(value)


def check_line(position: int, line: LineInput) -> tuple[CheckedLine | None, list[str]]:
    """One line, or the problems with it in words ("Line 2: the quantity …")."""
    checker = FieldChecker(InvoiceLine.__table__, LINE_LABELS)  # type: ignore[arg-type]
    problems: list[str] = []
    description = checker.text("description", line.description, required=True)
    account = checker.text("account_code", line.account_code)
    quantity = price = code = None
    try:
        quantity = parse_quantity(line.quantity)
    except ValueError as exc:
        checker.fail("quantity", f"Quantity {exc}" if str(exc).startswith("must") else str(exc))
    try:
        price = parse_price(line.unit_price)
    except ValueError as exc:
        checker.fail("unit_price", str(exc))
    try:
        code = parse_vat_code(line.vat_code)
    except ValueError as exc:
        checker.fail("vat_code", str(exc))
    for field, message in checker.errors.items():
        problems.append(
            f"Line {position}: {message}"
            if field != "description"
            else f"Line {position}: the description is required"
        )
    if problems:
        return None, problems
    assert quantity is not None and price is not None and code is not None
    return (
        CheckedLine(
            description,
            quantity,
            price,
            code,
            account,
            line.service_item_id,
            line_amounts(quantity, price, code),
        ),
        [],
    )


def check_draft(data: DraftInput, payment_terms_days: int, today: date) -> CheckedDraft:
    """A draft's values, or a ValidationError with one message per field (and "lines")."""
    checker = FieldChecker(Invoice.__table__, DRAFT_LABELS)  # type: ignore[arg-type]
    if data.customer_id is None and data.member_id is None:
        checker.fail("customer", "Choose the customer this invoice is to")
    invoice_date = checker.date("invoice_date", data.invoice_date) or today
    due_date = checker.date("due_date", data.due_date)
    if due_date is None and "due_date" not in checker.errors:
        due_date = invoice_date + timedelta(days=payment_terms_days)
    if due_date is not None and due_date < invoice_date:
        checker.fail(
            "due_date",
            f"The due date {format_date(due_date)} is before the invoice date "
            f"{format_date(invoice_date)}",
        )
    supply_from = checker.date("supply_from", data.supply_from)
    supply_to = checker.date("supply_to", data.supply_to)
    if supply_from and supply_to and supply_to < supply_from:
        checker.fail(
            "supply_to",
            f"The supply period ends ({format_date(supply_to)}) before it starts "
            f"({format_date(supply_from)})",
        )
    purchase_order = checker.text("purchase_order", data.purchase_order)
    reference = checker.text("reference", data.reference)
    notes = checker.text("notes", data.notes)
    lines: list[CheckedLine] = []
    problems: list[str] = []
    for position, line in enumerate(data.lines, start=1):
        checked, wrong = check_line(position, line)
        problems.extend(wrong)
        if checked is not None:
            lines.append(checked)
    if problems:
        checker.fail("lines", "\n".join(problems))
    if checker.errors:
        raise ValidationError(checker.errors)
    assert due_date is not None
    return CheckedDraft(
        invoice_date,
        due_date,
        supply_from,
        supply_to,
        purchase_order,
        reference,
        notes,
        tuple(lines),
    )
