"""Invoice and credit note PDFs: HMRC's list of what an invoice shows, VAT, drafts, pages."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from invoice_documents import (
    CUSTOMER,
    PLAIN_SUPPLIER,
    VAT_SUPPLIER,
    credit_note,
    invoice,
    line,
)
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from thep_desktop.domain.invoices import VatCode
from thep_desktop.reports.invoices.invoice_document import InvoiceError
from thep_desktop.reports.invoices.invoice_pdf import render_invoices
from thep_desktop.reports.letters.envelope_address import ENVELOPE_WINDOW


def render(*documents, **kwargs) -> tuple[bytes, object]:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    result = render_invoices(buffer, documents, **kwargs)
    return buffer.getvalue(), result


def page_texts(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def test_a_vat_invoice_shows_everything_hmrc_and_the_companies_act_ask_for() -> None:
    data, result = render(invoice())
    [text] = page_texts(data)
    assert result.pages == 1 and result.pages_per_document == (1,)
    expected = [
        # a unique number, the invoice date and the period of supply
        "Invoice number INV-000123",
        "Invoice date 30/11/2026",
        "Supply period 01/09/2026 to 31/08/2027",
        # the supplier's name, address and contact details
        "Tower Hamlets Education Partnership",
        "229 Bethnal Green Road",
        "E2 6AB",
        "020 7364 0000",
        "accounts@the-partnership.org.uk",
        # its registered name, number and office
        "company number 08123456",
        "Registered office: 229 Bethnal Green Road, London E2 6AB",
        # the customer's name and address, as typed (an ampersand and angle brackets)
        "Ms Rahima Begum, School Business Manager",
        CUSTOMER,
        "Ben Jonson Road London E1 4SD",
        # each line: description, quantity, unit price, VAT rate, amount
        "School improvement SLA: 3 days' adviser support in the spring term 3 £450.00 20% "
        "£1,350.00",
        "at £3.50 a pupil 412 £3.50 Exempt £1,442.00",
        # VAT: the registration number, the total without VAT, the VAT, what is payable
        "VAT reg. no. GB 123 4567 89",
        "Total excluding VAT £2,792.00",
        "VAT £270.00",
        "Total due £3,062.00",
        # payment terms and remittance
        "Payment due within 30 days, by 30/12/2026.",
        "Payment due by 30/12/2026",
        "Bank Lloyds Bank",
        "Account name Tower Hamlets Education Partnership Ltd",
        "Sort code 30-99-50",
        "Account number 12345678",
        "quote INV-000123 as the reference",
        # the customer's order number, our reference and the notes
        "Your order no. PO-55123",
        "Our reference Fee run 2026/27",
        "Thank you for your custom.",
        "Queries about this invoice: accounts@the-partnership.org.uk",
        "Page 1 of 1",
    ]
    for words in expected:
        assert words in text, words
    assert "DRAFT" not in text


def test_a_supplier_without_a_vat_number_prints_no_vat_at_all() -> None:
    lines = (
        line("Ofsted preparation day", "1", "650.00", VatCode.OUTSIDE_SCOPE),
        line("Pupil premium review", "2", "325.50", VatCode.OUTSIDE_SCOPE),
    )
    data, _ = render(invoice(lines, supplier=PLAIN_SUPPLIER))
    [text] = page_texts(data)
    assert re.search(r"vat", text, re.IGNORECASE) is None, text
    for words in (
        "Description Qty Unit price Amount",
        "Ofsted preparation day 1 £650.00 £650.00",
        "Pupil premium review 2 £325.50 £651.00",
        "Total due £1,301.00",
        "company number 08123456",
        "Payment due within 30 days, by 30/12/2026.",
        "quote INV-000123 as the reference",
    ):
        assert words in text, words


def test_a_credit_note_names_the_invoice_it_credits_and_why() -> None:
    data, _ = render(credit_note())
    [text] = page_texts(data)
    for words in (
        "Credit note",
        "Credit note number CN-000007",
        "Credit note date 30/11/2026",
        "Credits invoice INV-000123",
        "This credit note credits invoice INV-000123 dated 30/11/2026.",
        "Reason: One adviser day cancelled by the partnership",
        "Refund of 1 SLA day not used 1 £450.00 20% £450.00",
        "Total excluding VAT £450.00",
        "VAT £90.00",
        "Total credited £540.00",
        "No payment is due on this credit note.",
    ):
        assert words in text, words
    # A credit note asks for no payment: no terms, no bank details.
    assert "How to pay" not in text and "Sort code" not in text
    assert "Your order no." not in text  # no order number given, none printed


def test_a_draft_says_it_is_not_a_valid_invoice_and_has_no_number() -> None:
    data, _ = render(invoice(number=None))
    [text] = page_texts(data)
    assert "DRAFT — not a valid invoice" in text
    assert "Invoice number Given when issued" in text
    assert "INV-" not in text
    assert "quote the invoice number as the reference" in text


def test_forty_lines_run_to_two_pages_each_numbered_of_two() -> None:
    lines = tuple(
        line(f"Training place {n}: safeguarding refresher, 14/01/2027", "1", "85.00")
        for n in range(1, 41)
    )
    data, result = render(invoice(lines, number="INV-000124"))
    first, second = page_texts(data)
    assert result.pages_per_document == (2,)
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    # The header row repeats; the later page names the invoice and the customer.
    assert second.count("Description Qty Unit price VAT rate Net amount") == 1
    assert "Invoice INV-000124 · " + CUSTOMER in second
    assert "Training place 40: safeguarding refresher" in second
    assert "Total due £4,080.00" in second
    assert "quote INV-000124 as the reference" in second
    every_line = first + second
    for n in range(1, 41):
        assert f"Training place {n}: " in every_line


def test_a_combined_pdf_numbers_each_invoice_s_pages_on_their_own() -> None:
    long_lines = tuple(line(f"Conference place {n}", "1", "40.00") for n in range(45))
    documents = [
        invoice(number="INV-000201"),
        invoice(long_lines, number="INV-000202"),
        invoice(number="INV-000203"),
    ]
    started: list[int] = []
    data, result = render(*documents, on_document=started.append)
    texts = page_texts(data)
    assert result.pages_per_document == (1, 2, 1) and result.pages == 4
    assert started == [1, 2, 3]
    assert ["Page 1 of 1", "Page 1 of 2", "Page 2 of 2", "Page 1 of 1"] == [
        re.search(r"Page \d of \d", t).group(0)  # type: ignore[union-attr]
        for t in texts
    ]
    assert "Invoice number INV-000201" in texts[0]
    assert "Invoice number INV-000202" in texts[1]
    assert "Invoice number INV-000203" in texts[3]
    # Each first page carries the letterhead again.
    assert all("229 Bethnal Green Road" in texts[i] for i in (0, 1, 3))


def test_each_invoice_keeps_the_supplier_as_it_was_when_issued() -> None:
    moved = replace(VAT_SUPPLIER, address_lines=("1 New Street", "London"), postcode="E1 6AA")
    data, _ = render(invoice(number="INV-000001"), invoice(number="INV-000002", supplier=moved))
    old, new = page_texts(data)
    assert "229 Bethnal Green Road" in old.split("Description")[1] and "1 New Street" not in old
    assert "1 New Street" in new and "E1 6AA" in new


def test_a_purchase_order_prints_only_when_given() -> None:
    data, _ = render(invoice(purchase_order=""))
    assert "order no." not in page_texts(data)[0]


def test_a_unit_price_with_more_than_pence_prints_in_full() -> None:
    data, _ = render(invoice((line("Pupils on roll at £3.125 a pupil", "400", "3.125"),)))
    assert "Pupils on roll at £3.125 a pupil 400 £3.125 20% £1,250.00" in page_texts(data)[0]


def test_nothing_to_print_is_refused_in_words() -> None:
    with pytest.raises(InvoiceError, match="no invoices to print"):
        render_invoices(io.BytesIO(), [])


def test_an_address_too_long_for_the_window_names_the_customer() -> None:
    lines = tuple(f"Line {n} of a very long address" for n in range(10))
    with pytest.raises(InvoiceError, match=re.escape(CUSTOMER[:10])):
        render(invoice(customer_address_lines=lines, customer_contact=""))


def test_a_file_path_is_written(tmp_path: Path) -> None:
    target = tmp_path / "invoice.pdf"
    render_invoices(target, [invoice(invoice_date=date(2026, 12, 1))])
    assert "Invoice date 01/12/2026" in " ".join(PdfReader(target).pages[0].extract_text().split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler is not installed")
def test_the_customer_s_address_shows_through_the_envelope_window(tmp_path: Path) -> None:
    source = tmp_path / "invoice.pdf"
    render_invoices(source, [invoice()])
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(source), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    page_height = re.search(r'<page width="[\d.]+" height="([\d.]+)"', html)
    assert page_height is not None
    scale = A4[1] / float(page_height.group(1))
    # Each word's first place on the page, in mm from the top-left.
    boxes: dict[str, tuple[float, float, float]] = {}
    for x0, y0, y1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
        html,
    ):
        boxes.setdefault(
            word, (float(x0) * scale / mm, float(y0) * scale / mm, float(y1) * scale / mm)
        )
    window = ENVELOPE_WINDOW
    for word in ("Rahima", "Jonson", "4SD"):
        left, top, bottom = boxes[word]
        assert window.left / mm <= left <= window.right / mm, word
        assert window.top / mm <= top and bottom <= window.bottom / mm, word
    # The title and the invoice's details sit beside the window, not in it.
    assert boxes["INV-000123"][0] > window.right / mm


def test_amounts_are_as_given_never_recalculated() -> None:
    # The service rounds and totals; the document prints what it is given.
    document = invoice(total_net=Decimal("2792.00"), total_vat=Decimal("270.00"))
    assert "Total due £3,062.00" in page_texts(render(document)[0])[0]


def test_a_fee_line_shows_its_working_on_the_lines_given() -> None:
    working = (
        "Membership fee 2026/27\n412 pupils on roll at the October 2026 census at £3.50 a "
        "pupil\nPro rata: 12 of 12 months"
    )
    data, _ = render(invoice((line(working, "412", "3.50", VatCode.EXEMPT),)))
    text = page_texts(data)[0]
    assert "Membership fee 2026/27 412 pupils on roll at the October 2026 census at" in text
    assert "Pro rata: 12 of 12 months 412 £3.50 Exempt £1,442.00" in text


def test_the_logo_is_drawn_once_for_a_whole_run(tmp_path: Path) -> None:
    from PIL import Image

    logo = io.BytesIO()
    Image.new("RGB", (300, 120), "#1f4e79").save(logo, format="PNG")
    data, result = render(*(invoice(number=f"INV-{n:06d}") for n in range(3)), logo=logo.getvalue())
    reader = PdfReader(io.BytesIO(data))
    assert result.pages == 3  # type: ignore[attr-defined]
    # Every first page shows it, through the one letterhead form the pages share.
    assert all(len(page.images) == 1 for page in reader.pages)
    # reportlab writes object dictionaries uncompressed: the image is stored once.
    assert data.count(b"/Subtype /Image") == 1
