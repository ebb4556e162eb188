"""The bare reportlab baseline for invoices: the same text in a plain platypus document.

``render_baseline`` lays out what ``render_invoices`` prints (the supplier, the customer's
address, the title and details, the lines, the totals, how to pay and the legal lines) with
a ``SimpleDocTemplate`` of paragraphs and tables in the standard Helvetica: no letterhead,
no envelope window, no embedded font, no page numbers. The benchmark times both in the same
run; the ratio says what the invoice's own layout costs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import money
from thep_desktop.reports.invoices.invoice_document import InvoiceDocument

COLUMNS = (92 * mm, 14 * mm, 24 * mm, 16 * mm, 24 * mm)


def render_baseline(out: BinaryIO, documents: Iterable[InvoiceDocument]) -> int:
    """The documents' text, one after another with a page break between; returns pages."""
    styles = getSampleStyleSheet()
    normal = styles["Normal"]
    story: list[object] = []
    for document in documents:
        if story:
            story.append(PageBreak())
        supplier = document.supplier
        head = [supplier.name, *supplier.address_lines, supplier.postcode, supplier.phone]
        head += [supplier.email, supplier.website]
        story.append(Paragraph("<br/>".join(escape(x) for x in head if x), normal))
        story.append(Paragraph("<br/>".join(escape(x) for x in document.recipient), normal))
        details = [
            f"{document.title} number {document.number_text}",
            f"Date {format_date(document.invoice_date)}",
            f"Supply {document.supply_text}",
            f"Due {format_date(document.due_date)}",
            f"Order {document.purchase_order}",
            f"Reference {document.reference}",
            f"VAT reg. no. {supplier.vat_number}",
        ]
        story.append(Paragraph("<br/>".join(escape(x) for x in details), normal))
        rows = [["Description", "Qty", "Unit price", "VAT rate", "Net amount"]]
        rows += [
            [x.description, str(x.quantity), money(x.unit_price), x.vat_code.short, money(x.net)]
            for x in document.lines
        ]
        table = Table(rows, colWidths=COLUMNS, repeatRows=1)
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 9)]))
        story.append(table)
        totals = Table(
            [
                ("Total excluding VAT", money(document.total_net)),
                ("VAT", money(document.total_vat)),
                ("Total due", money(document.total)),
            ],
            hAlign="RIGHT",
        )
        story.append(totals)
        paying = [document.terms_text, *(f"{k}: {v}" for k, v in supplier.bank_rows())]
        paying.append(f"Please quote {document.number_text} as the reference.")
        story.append(Paragraph("<br/>".join(escape(x) for x in paying), normal))
        legal = supplier.letterhead(None).legal_lines()
        story.append(Paragraph("<br/>".join(escape(x) for x in legal), normal))
    doc = SimpleDocTemplate(out, pagesize=A4)
    doc.build(story)
    return doc.page
