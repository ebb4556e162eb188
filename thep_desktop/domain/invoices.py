"""Invoices in plain Python: VAT codes, line arithmetic, numbers, states and debt ageing."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


def to_penny(value: Decimal) -> Decimal:
    """Round to the penny, halves away from zero: the one rounding rule of every invoice."""
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


class VatCode(enum.StrEnum):
    """How VAT applies to a line. The standard rate is the UK's 20%."""

    STANDARD = "standard"
    ZERO = "zero"
    EXEMPT = "exempt"
    OUTSIDE_SCOPE = "outside_scope"

    @property
    def label(self) -> str:
        return _VAT_LABELS[self]

    @property
    def rate(self) -> Decimal:
        return Decimal("0.20") if self is VatCode.STANDARD else ZERO

    @property
    def xero_tax_type(self) -> str:
        """The name Xero's standard UK chart of accounts gives this tax rate on sales."""
        return _XERO_TAX_TYPES[self]

    @classmethod
    def parse(cls, text: str) -> VatCode:
        wanted = text.strip().lower()
        for code in cls:
            if wanted in {code.value, code.label.lower(), code.short.lower()}:
                return code
        names = ", ".join(c.label for c in cls)
        raise ValueError(f"“{text}” is not a VAT code; choose one of {names}")

    @property
    def short(self) -> str:
        return _VAT_SHORT[self]


_VAT_LABELS = {
    VatCode.STANDARD: "Standard rate (20%)",
    VatCode.ZERO: "Zero rate (0%)",
    VatCode.EXEMPT: "Exempt",
    VatCode.OUTSIDE_SCOPE: "Outside the scope of VAT",
}
_VAT_SHORT = {
    VatCode.STANDARD: "20%",
    VatCode.ZERO: "0%",
    VatCode.EXEMPT: "Exempt",
    VatCode.OUTSIDE_SCOPE: "No VAT",
}
_XERO_TAX_TYPES = {
    VatCode.STANDARD: "20% (VAT on Income)",
    VatCode.ZERO: "Zero Rated Income",
    VatCode.EXEMPT: "Exempt Income",
    VatCode.OUTSIDE_SCOPE: "No VAT",
}


class InvoiceKind(enum.StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"

    @property
    def label(self) -> str:
        return "Invoice" if self is InvoiceKind.INVOICE else "Credit note"


class InvoiceState(enum.StrEnum):
    """What is stored: a draft may change; an issued document never does."""

    DRAFT = "draft"
    ISSUED = "issued"


class PaymentStatus(enum.StrEnum):
    """What a person sees: the stored state and what has been paid or credited against it."""

    DRAFT = "draft"
    ISSUED = "issued"
    PART_PAID = "part_paid"
    PAID = "paid"
    CREDITED = "credited"  # settled wholly by credit notes, nothing paid

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


def payment_status(
    state: InvoiceState, total: Decimal, paid: Decimal, credited: Decimal
) -> PaymentStatus:
    """The status of an invoice from its state, total, money allocated and credit applied."""
    if state is InvoiceState.DRAFT:
        return PaymentStatus.DRAFT
    settled = paid + credited
    if settled >= total:
        return PaymentStatus.CREDITED if paid == ZERO and credited > ZERO else PaymentStatus.PAID
    if settled > ZERO:
        return PaymentStatus.PART_PAID
    return PaymentStatus.ISSUED


class PaymentMethod(enum.StrEnum):
    BACS = "BACS"
    CHEQUE = "cheque"
    CARD = "card"

    @property
    def label(self) -> str:
        return {"BACS": "BACS", "cheque": "Cheque", "card": "Card"}[self.value]

    @classmethod
    def parse(cls, text: str) -> PaymentMethod:
        wanted = text.strip().lower()
        for method in cls:
            if wanted == method.value.lower():
                return method
        raise ValueError(f"“{text}” is not a way of paying; choose BACS, cheque or card")


class PaymentKind(enum.StrEnum):
    RECEIPT = "receipt"  # money in from a customer
    REFUND = "refund"  # money paid back to a customer out of its credit


@dataclass(frozen=True)
class LineAmounts:
    net: Decimal
    vat: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


def line_amounts(quantity: Decimal, unit_price: Decimal, vat_code: VatCode) -> LineAmounts:
    """A line's net and VAT, each rounded to the penny on the line (HMRC allows either way;
    rounding per line is ours, so that a line's figures add up as printed)."""
    net = to_penny(quantity * unit_price)
    return LineAmounts(net, to_penny(net * vat_code.rate))


@dataclass(frozen=True)
class Totals:
    net: Decimal
    vat: Decimal

    @property
    def total(self) -> Decimal:
        return self.net + self.vat


def totals_of(lines: list[LineAmounts] | tuple[LineAmounts, ...]) -> Totals:
    return Totals(sum((x.net for x in lines), ZERO), sum((x.vat for x in lines), ZERO))


def document_number(prefix: str, number: int, digits: int = 6) -> str:
    """``INV-000123``: the prefix and the number, padded so that numbers sort as text."""
    return f"{prefix}{number:0{digits}d}"


class ReminderStage(enum.StrEnum):
    FIRST = "first"
    SECOND = "second"
    FINAL = "final"

    @property
    def label(self) -> str:
        return {"first": "1st reminder", "second": "2nd reminder", "final": "Final reminder"}[
            self.value
        ]

    @property
    def template_key(self) -> str:
        return f"invoice_reminder_{self.value}"


REMINDER_STAGES = (ReminderStage.FIRST, ReminderStage.SECOND, ReminderStage.FINAL)


@dataclass(frozen=True)
class AgeBucket:
    key: str
    label: str
    first_day: int | None  # days overdue, inclusive; None: not yet due
    last_day: int | None  # None: no upper end


AGE_BUCKETS = (
    AgeBucket("current", "Current", None, 0),
    AgeBucket("days_1_30", "1–30 days", 1, 30),
    AgeBucket("days_31_60", "31–60 days", 31, 60),
    AgeBucket("days_61_90", "61–90 days", 61, 90),
    AgeBucket("days_over_90", "Over 90 days", 91, None),
)


def days_overdue(due_on: date, as_at: date) -> int:
    """Days past the due date on ``as_at``; 0 on the due date itself and before it."""
    return max((as_at - due_on).days, 0)


def age_bucket(due_on: date, as_at: date) -> AgeBucket:
    """The aged-debt column of an amount due on ``due_on``, seen on ``as_at``.

    Due today or later is current; one day past due is 1–30; 90 is 61–90; 91 is over 90.
    """
    late = days_overdue(due_on, as_at)
    for bucket in AGE_BUCKETS[1:]:
        if bucket.first_day is not None and late >= bucket.first_day:
            if bucket.last_day is None or late <= bucket.last_day:
                return bucket
    return AGE_BUCKETS[0]
