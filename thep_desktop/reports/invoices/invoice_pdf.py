"""Invoices and credit notes as PDF: one, or a whole fee run of a thousand in one file.

What each shows is HMRC's list for a full VAT invoice (VAT Notice 700, section 16.3) and
the Companies Act's for business documents: a unique number; the supplier's name, address
and contact details (the letterhead); its registered name, company number and registered
office (the footer); the customer's name and address (in the envelope window); the invoice
date and the date or period of supply; each line's description, quantity, unit price and
amount; the total payable; the payment terms and the bank details to pay to, with the
number to quote. Only a VAT-registered supplier prints VAT: its registration number, each
line's rate, the total without VAT and the VAT; a supplier without a VAT number prints no
VAT column and no word of VAT. A credit note names the invoice it credits (number and
date) and why. A draft says "DRAFT — not a valid invoice" and carries a DRAFT mark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import money
from thep_desktop.reports.invoices.account_document import (
    AccountDocument,
    SectionHead,
    grid_style,
    para,
    price_text,
    quantity_text,
    remittance,
    section_start,
    styles,
    totals_table,
    wrapped,
)
from thep_desktop.reports.invoices.invoice_document import (
    InvoiceDocument,
    InvoiceError,
    RenderResult,
)
from thep_desktop.reports.letters.letter_data import LetterError
from thep_desktop.reports.letters.letterhead_document import LazyStory

# Description, quantity, unit price, [VAT rate,] amount: 170 mm, the text width.
VAT_COLUMNS = (92 * mm, 14 * mm, 24 * mm, 16 * mm, 24 * mm)
PLAIN_COLUMNS = (108 * mm, 14 * mm, 24 * mm, 24 * mm)


def document_head(document: InvoiceDocument, logo: bytes | None) -> SectionHead:
    """The title, window address and details of an invoice or credit note's first page."""
    noun = document.kind.label
    details: list[tuple[str, str]] = [
        (f"{noun} number", document.number or "Given when issued"),
        (f"{noun} date", format_date(document.invoice_date)),
    ]
    if document.is_credit_note:
        if document.credits_number:
            details.append(("Credits invoice", document.credits_number))
    else:
        details.append((document.supply_label, document.supply_text))
        details.append(("Payment due by", format_date(document.due_date)))
    if document.purchase_order.strip():
        details.append(("Your order no.", document.purchase_order.strip()))
    if document.reference.strip():
        details.append(("Our reference", document.reference.strip()))
    if document.show_vat:
        details.append(("VAT reg. no.", document.supplier.vat_number.strip()))
    return SectionHead(
        letterhead=document.supplier.letterhead(logo),
        title=document.title,
        recipient=document.recipient,
        details=tuple(details),
        continuation=f"{noun} {document.number_text}  ·  {document.customer_name}",
        draft=document.draft_words if document.is_draft else "",
    )


def invoice_story(
    document: InvoiceDocument, logo: bytes | None, styles_: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """One invoice or credit note: its lines, totals, and how to pay (or what it credits)."""
    story: list[Flowable] = [section_start(document_head(document, logo))]
    if document.is_credit_note:
        story.extend(_credit_lead(document, styles_))
    story.append(_lines_table(document))
    story.append(Spacer(1, 3 * mm))
    closing: list[Flowable] = [_totals(document)]
    if document.is_credit_note:
        closing.append(Spacer(1, 4 * mm))
        closing.append(para("No payment is due on this credit note.", styles_["body"]))
    else:
        if document.number:
            quote = f"Please quote {document.number} as the reference, so that we can match "
            quote += "your payment to this invoice."
        else:
            quote = "Please quote the invoice number as the reference when you pay."
        closing.extend(remittance(document.supplier, document.terms_text, quote, styles_))
    story.append(KeepTogether(closing))
    if document.notes.strip():
        story += [Spacer(1, 4 * mm), para(document.notes.strip(), styles_["body"])]
    if document.footer_note.strip():
        story += [Spacer(1, 3 * mm), para(document.footer_note.strip(), styles_["small"])]
    return story


def _credit_lead(document: InvoiceDocument, style: dict[str, ParagraphStyle]) -> list[Flowable]:
    if document.credits_number:
        credited = f"This credit note credits invoice {document.credits_number}"
        if document.credits_date is not None:
            credited += f" dated {format_date(document.credits_date)}"
        credited += "."
    else:
        credited = "This credit note is not against a particular invoice."
    words = [credited]
    if document.credit_reason.strip():
        words.append(f"Reason: {document.credit_reason.strip()}")
    return [para("\n".join(words), style["lead"]), Spacer(1, 1 * mm)]


def _lines_table(document: InvoiceDocument) -> Table:
    show_vat = document.show_vat
    widths = VAT_COLUMNS if show_vat else PLAIN_COLUMNS
    amount = "Net amount" if show_vat else "Amount"
    header = ["Description", "Qty", "Unit price", *(["VAT rate"] if show_vat else []), amount]
    rows: list[list[str]] = [header]
    text_width = widths[0] - 8  # the cell's padding
    for line in document.lines:
        row = [
            wrapped(line.description, text_width),
            quantity_text(line.quantity),
            price_text(line.unit_price),
        ]
        if show_vat:
            row.append(line.vat_code.short)
        row.append(money(line.net))
        rows.append(row)
    if not document.lines:
        rows.append(["(no lines)", "", "", *([""] if show_vat else []), ""])
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(grid_style(len(header), len(rows), numeric_from=1)))
    return table


def _totals(document: InvoiceDocument) -> Table:
    last = "Total credited" if document.is_credit_note else "Total due"
    if document.show_vat:
        rows = [
            ("Total excluding VAT", money(document.total_net)),
            ("VAT", money(document.total_vat)),
            (last, money(document.total)),
        ]
    else:
        rows = [(last, money(document.total))]
    return totals_table(rows)


def render_invoices(
    out: str | Path | BinaryIO,
    documents: Iterable[InvoiceDocument],
    logo: bytes | None = None,
    on_document: Callable[[int], None] | None = None,
) -> RenderResult:
    """Lay out ``documents`` (any iterable, consumed lazily) into one PDF at ``out``.

    Each document has its own pages and "Page x of y", on its supplier's letterhead with
    ``logo``. ``on_document(n)`` is called as document ``n`` (from 1) starts; it may raise
    to stop (for Cancel). Raises :class:`InvoiceError` when there are no documents or an
    address cannot be printed.
    """
    iterator = iter(documents)
    first = next(iterator, None)
    if first is None:
        raise InvoiceError("There are no invoices to print.")
    target = str(out) if isinstance(out, Path) else out
    title = f"{first.title} {first.number_text}"
    doc = AccountDocument(
        target, first.supplier.letterhead(logo), title=title, on_section=on_document
    )
    style = styles()
    try:
        doc.build_story(
            LazyStory(chain((first,), iterator), lambda d: invoice_story(d, logo, style))
        )
    except LetterError as exc:  # an address too long for the window, or a bad logo
        raise InvoiceError(str(exc)) from exc
    return RenderResult(
        pages=sum(doc.pages_per_section), pages_per_document=tuple(doc.pages_per_section)
    )
