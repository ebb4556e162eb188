"""An invoice or credit note as plain data, as it prints (filled by the invoices service)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.invoices import InvoiceKind, VatCode
from thep_desktop.domain.numbers import shown_sort_code
from thep_desktop.reports.letters.letter_data import Letterhead


class InvoiceError(ValueError):
    """A document cannot be printed as given; the message says which and why."""


@dataclass(frozen=True)
class Supplier:
    """The organisation as at issue: kept on the invoice, so a reprint shows what was sent."""

    name: str
    address_lines: tuple[str, ...]
    postcode: str
    phone: str
    email: str
    website: str
    company_number: str
    charity_number: str
    vat_number: str
    registered_office: str
    bank_name: str
    bank_account_name: str
    bank_sort_code: str
    bank_account_number: str

    @classmethod
    def from_snapshot(cls, values: Mapping[str, str | None]) -> Supplier:
        """From the organisation profile's fields as kept on an invoice (address: one text).

        A field the snapshot lacks (kept before the field existed) is empty.
        """

        def value(name: str) -> str:
            return (values.get(name) or "").strip()

        address = values.get("address") or ""
        return cls(
            name=value("name"),
            address_lines=tuple(line.strip() for line in address.splitlines() if line.strip()),
            postcode=value("postcode"),
            phone=value("phone"),
            email=value("email"),
            website=value("website"),
            company_number=value("company_number"),
            charity_number=value("charity_number"),
            vat_number=value("vat_number"),
            registered_office=values.get("registered_office") or "",
            bank_name=value("bank_name"),
            bank_account_name=value("bank_account_name"),
            bank_sort_code=value("bank_sort_code"),
            bank_account_number=value("bank_account_number"),
        )

    def letterhead(self, logo: bytes | None) -> Letterhead:
        """The letterhead as letters print it: the postcode beside the last address line."""
        lines = [line.strip() for line in self.address_lines if line.strip()]
        postcode = self.postcode.strip()
        if postcode and not lines:
            lines = [postcode]
        elif postcode and postcode not in lines[-1]:
            lines[-1] = f"{lines[-1]} {postcode}"
        return Letterhead(
            name=self.name,
            address_lines=tuple(lines),
            phone=self.phone,
            email=self.email,
            website=self.website,
            company_number=self.company_number,
            charity_number=self.charity_number,
            vat_number=self.vat_number,
            registered_office=self.registered_office,
            logo=logo,
        )

    @property
    def has_bank_details(self) -> bool:
        return bool(self.bank_sort_code.strip() and self.bank_account_number.strip())

    def bank_rows(self) -> list[tuple[str, str]]:
        """Bank, account name, sort code and account number, as label and value."""
        rows = [
            ("Bank", self.bank_name),
            ("Account name", self.bank_account_name or self.name),
            ("Sort code", shown_sort_code(self.bank_sort_code)),
            ("Account number", self.bank_account_number),
        ]
        return [(label, value.strip()) for label, value in rows if value.strip()]


@dataclass(frozen=True)
class DocumentLine:
    description: str  # may run to several lines: a fee line shows its working
    quantity: Decimal
    unit_price: Decimal
    vat_code: VatCode
    net: Decimal
    vat: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


@dataclass(frozen=True)
class InvoiceDocument:
    """One invoice or credit note. Amounts are as stored: a credit note's are positive."""

    kind: InvoiceKind
    number: str | None  # None: a draft, printed "DRAFT — not a valid invoice"
    invoice_date: date
    due_date: date
    supply_from: date | None
    supply_to: date | None
    supplier: Supplier
    customer_name: str
    customer_contact: str
    customer_address_lines: tuple[str, ...]
    customer_postcode: str
    purchase_order: str
    reference: str
    notes: str
    lines: tuple[DocumentLine, ...]
    total_net: Decimal
    total_vat: Decimal
    total: Decimal
    payment_terms_days: int
    credits_number: str = ""
    credits_date: date | None = None
    credit_reason: str = ""
    footer_note: str = ""  # invoice_settings.invoice_note

    @property
    def show_vat(self) -> bool:
        """VAT is printed only by a VAT-registered supplier (no VAT words at all otherwise)."""
        return bool(self.supplier.vat_number.strip())

    @property
    def is_credit_note(self) -> bool:
        return self.kind is InvoiceKind.CREDIT_NOTE

    @property
    def is_draft(self) -> bool:
        return self.number is None

    @property
    def title(self) -> str:
        """``Invoice`` or ``Credit note``."""
        return self.kind.label

    @property
    def number_text(self) -> str:
        return self.number or "DRAFT"

    @property
    def draft_words(self) -> str:
        return f"DRAFT — not a valid {self.kind.label.lower()}"

    @property
    def recipient(self) -> tuple[str, ...]:
        """The address block for the envelope window: contact, customer, address, postcode."""
        lines = [self.customer_contact, self.customer_name, *self.customer_address_lines]
        lines.append(self.customer_postcode)
        return tuple(line.strip() for line in lines if line and line.strip())

    @property
    def supply_text(self) -> str:
        """``01/09/2026 to 31/08/2027``, one date, or the invoice date when none is given."""
        start, end = self.supply_from, self.supply_to
        if start and end and start != end:
            return f"{format_date(start)} to {format_date(end)}"
        return format_date(start or end or self.invoice_date)

    @property
    def supply_label(self) -> str:
        start, end = self.supply_from, self.supply_to
        return "Supply period" if start and end and start != end else "Supply date"

    @property
    def terms_text(self) -> str:
        """``Payment due within 30 days, by 30/12/2026.``"""
        days = self.payment_terms_days
        due = format_date(self.due_date)
        if days <= 0:
            return f"Payment due on receipt, by {due}."
        return f"Payment due within {days} day{'s' if days != 1 else ''}, by {due}."


@dataclass(frozen=True)
class RenderResult:
    """What a render produced: pages in all, and each document's own page count in order."""

    pages: int
    pages_per_document: tuple[int, ...]

    @property
    def documents(self) -> int:
        return len(self.pages_per_document)
