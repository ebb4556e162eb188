"""Invoice PDFs from the records (HMRC's list, reprints as issued), the register, and Xero files."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from invoice_records import customer, draft
from openpyxl import load_workbook
from pypdf import PdfReader

from thep_desktop.database import Database
from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.invoices import InvoiceKind, InvoiceState, VatCode
from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.models import Customer, Invoice, InvoiceLine
from thep_desktop.services.invoices.invoice_data import DraftInput, InvoiceFilter, LineInput
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError

HEADER_FILE = Path("/work/shared/data/xero-sales-invoice-template-header.csv")
XERO_HEADER = (
    "*ContactName,EmailAddress,POAddressLine1,POAddressLine2,POAddressLine3,POAddressLine4,"
    "POCity,PORegion,POPostalCode,POCountry,*InvoiceNumber,Reference,*InvoiceDate,*DueDate,"
    "Total,InventoryItemCode,*Description,*Quantity,*UnitAmount,Discount,*AccountCode,"
    "*TaxType,TaxAmount,TrackingName1,TrackingOption1,TrackingName2,TrackingOption2,Currency,"
    "BrandingTheme"
)


def set_profile(services: Services, vat_number: str = "GB980780684", **changes: str) -> None:
    profile = services.organisation.get_profile(services.actor)
    values = {
        "name": "Tower Hamlets Education Partnership",
        "address": "229 Bethnal Green Road\nLondon",
        "postcode": "E2 6AB",
        "phone": "020 7364 0000",
        "email": "accounts@the-partnership.org.uk",
        "company_number": "08123456",
        "registered_office": "229 Bethnal Green Road, London E2 6AB",
        "vat_number": vat_number,
        "bank_name": "Lloyds Bank",
        "bank_account_name": "Tower Hamlets Education Partnership Ltd",
        "bank_sort_code": "30-99-50",
        "bank_account_number": "12345678",
    }
    services.organisation.update_profile(services.actor, replace(profile, **(values | changes)))


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def sla_invoice(services: Services) -> int:
    who = customer(services, "Stepney Green & Ben Jonson Federation")
    made = services.invoices.create_draft(
        services.actor,
        DraftInput(
            customer_id=who,
            invoice_date=date(2026, 9, 1),
            supply_from=date(2026, 9, 1),
            supply_to=date(2026, 12, 18),
            purchase_order="PO-4471",
            lines=(
                LineInput("School improvement SLA day", "3", "450.00", VatCode.STANDARD, "210"),
                LineInput("Training place (full day)", "2", "175.00", VatCode.STANDARD, "210"),
            ),
        ),
    )
    services.invoices.issue(services.actor, [made.id])
    return made.id


def test_an_issued_invoice_prints_every_element_hmrc_asks_for(
    services: Services, tmp_path: Path
) -> None:
    set_profile(services)
    invoice_id = sla_invoice(services)
    out = tmp_path / "invoice.pdf"
    result = services.invoice_documents.render(services.actor, [invoice_id], out)
    assert result.pages == 1
    text = pdf_text(out)
    for expected in (
        "Invoice number INV-000001",
        "Invoice date 01/09/2026",
        "Supply period 01/09/2026 to 18/12/2026",
        "Tower Hamlets Education Partnership",
        "229 Bethnal Green Road",
        "E2 6AB",
        "020 7364 0000",
        "accounts@the-partnership.org.uk",
        "08123456",
        "Registered office: 229 Bethnal Green Road, London E2 6AB",
        "Ms Jo Patel",
        "Stepney Green & Ben Jonson Federation",
        "183 Bow Road",
        "E3 2SJ",
        "School improvement SLA day 3 £450.00 20% £1,350.00",
        "Training place (full day) 2 £175.00 20% £350.00",
        "VAT reg. no. GB",
        "Total excluding VAT £1,700.00",
        "VAT £340.00",
        "Total due £2,040.00",
        "Payment due within 30 days, by 01/10/2026.",
        "PO-4471",
        "Lloyds Bank",
        "Sort code 30-99-50",
        "Account number 12345678",
        "INV-000001 as the reference",
    ):
        assert expected in text, expected


def test_without_a_vat_number_no_vat_is_printed(services: Services, tmp_path: Path) -> None:
    set_profile(services, vat_number="")
    invoice_id = sla_invoice(services)
    out = tmp_path / "invoice.pdf"
    services.invoice_documents.render(services.actor, [invoice_id], out)
    text = pdf_text(out)
    assert "VAT" not in text
    assert "Total due £2,040.00" in text and "School improvement SLA day 3 £450.00" in text


def test_a_reprint_shows_the_organisation_and_customer_as_at_issue(
    services: Services, tmp_path: Path
) -> None:
    set_profile(services)
    invoice_id = sla_invoice(services)
    later = draft(services, customer(services, "Bow Arts Trust"), invoice_date=date(2026, 9, 2))
    set_profile(services, address="1 Mile End Road\nLondon", postcode="E1 4NS")
    out = tmp_path / "both.pdf"
    result = services.invoice_documents.render(services.actor, [invoice_id, later.id], out)
    assert result.pages_per_document == (1, 1)
    reader = PdfReader(out)
    issued_text, draft_text = (" ".join(p.extract_text().split()) for p in reader.pages)
    assert "229 Bethnal Green Road" in issued_text and "1 Mile End Road" not in issued_text
    assert "E1 4NS" not in issued_text.replace("Registered office", "")
    assert "1 Mile End Road" in draft_text and "DRAFT" in draft_text


def test_a_credit_note_names_the_invoice_it_credits(services: Services, tmp_path: Path) -> None:
    set_profile(services)
    invoice_id = sla_invoice(services)
    note = services.invoices.credit(
        services.actor, invoice_id, "One training place was not used", "210.00", date(2026, 9, 8)
    )
    out = tmp_path / "credit.pdf"
    services.invoice_documents.render(services.actor, [note.id], out)
    text = pdf_text(out)
    assert "Credit note number CN-000001" in text
    assert "credits invoice INV-000001 dated 01/09/2026" in text
    assert "One training place was not used" in text and "£210.00" in text


def test_a_whole_fee_run_prints_in_one_pdf(services: Services, tmp_path: Path) -> None:
    set_profile(services)
    from tests.services.invoices.test_fee_runs_service import ON, YEAR, fees, members

    members(services)
    fees(services)
    run = services.fee_runs.create_drafts(services.actor, YEAR, invoice_date=ON)
    services.fee_runs.issue_run(services.actor, run.run_id)
    out = tmp_path / "run.pdf"
    result = services.invoice_documents.render_run(services.actor, run.run_id, out)
    assert result.pages_per_document == (1, 1, 1)
    text = pdf_text(out)
    for number in ("INV-000001", "INV-000002", "INV-000003"):
        assert f"Invoice number {number}" in text
    assert "300 pupils x £5.00 x 8/12 = £1,000.00" in text


def test_a_folder_that_cannot_be_written_is_said_in_words_and_no_file_appears(
    services: Services, tmp_path: Path
) -> None:
    invoice_id = sla_invoice(services)
    with pytest.raises(OfficeError, match="folder"):
        services.invoice_documents.render(
            services.actor, [invoice_id], tmp_path / "missing" / "x.pdf"
        )
    with pytest.raises(ServiceError, match=".pdf"):
        services.invoice_documents.render(services.actor, [invoice_id], tmp_path / "x.docx")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # running as root: permissions do not apply
            pytest.skip("permissions are not enforced for this user")
        with pytest.raises(OfficeError):
            services.invoice_documents.render(services.actor, [invoice_id], locked / "x.pdf")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)
    assert not (tmp_path / "x.docx").exists()


def test_the_register_workbook_lists_invoices_and_credit_notes(
    services: Services, tmp_path: Path
) -> None:
    invoice_id = sla_invoice(services)
    services.invoices.credit(services.actor, invoice_id, "Cancelled", "240.00", date(2026, 9, 8))
    draft(services, customer(services, "Bow Arts Trust"), invoice_date=date(2026, 9, 9))
    out = tmp_path / "register.xlsx"
    assert services.invoice_documents.write_register(services.actor, None, out) == 3
    sheet = load_workbook(out).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[0] == "Number")
    rows = values[header + 1 : header + 4]
    assert [r[0] for r in rows] == ["INV-000001", "CN-000001", "Draft"]
    first = rows[0]
    assert first[2].date() == date(2026, 9, 1)
    assert first[4] == "Stepney Green & Ben Jonson Federation"
    assert [first[i] for i in (6, 7, 8, 10, 11)] == [1700, 340, 2040, 240, 1800]
    assert first[12] == "Part paid"  # a part credit settles part of it
    assert rows[1][1] == "Credit note" and rows[1][8] == 240 and rows[2][12] == "Draft"


def test_the_xero_export_header_is_exact_and_rows_read_back(
    services: Services, tmp_path: Path
) -> None:
    if HEADER_FILE.exists():
        assert HEADER_FILE.read_text(encoding="utf-8").strip() == XERO_HEADER
    invoice_id = sla_invoice(services)
    services.invoices.credit(services.actor, invoice_id, "Cancelled", "240.00", date(2026, 9, 8))
    draft(services, customer(services, "Bow Arts Trust"), invoice_date=date(2026, 9, 9))
    result = services.invoice_documents.export_xero(services.actor, tmp_path / "sales.csv")
    assert list(result) == [tmp_path / "sales.csv"]
    assert (result.invoices, result.credit_notes_left_out, result.drafts_left_out) == (1, 1, 1)
    assert "1 credit note was left out" in result.message
    data = (tmp_path / "sales.csv").read_bytes()
    assert data.split(b"\r\n")[0].decode() == XERO_HEADER
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert len(rows) == 2
    first = rows[0]
    assert first["*ContactName"] == "Stepney Green & Ben Jonson Federation"
    assert first["POAddressLine1"] == "183 Bow Road" and first["POPostalCode"] == "E3 2SJ"
    assert (first["*InvoiceNumber"], first["*InvoiceDate"], first["*DueDate"]) == (
        "INV-000001",
        "01/09/2026",
        "01/10/2026",
    )
    assert first["Reference"] == "PO-4471"
    assert (first["*Description"], first["*Quantity"], first["*UnitAmount"]) == (
        "School improvement SLA day",
        "3",
        "450.00",
    )
    assert (first["*AccountCode"], first["*TaxType"], first["TaxAmount"]) == (
        "210",
        VatCode.STANDARD.xero_tax_type,
        "270.00",
    )
    assert first["Total"] == "2040.00" and first["Currency"] == "GBP"
    assert sum(Decimal(r["TaxAmount"]) for r in rows) == Decimal("340.00")


def test_a_thousand_and_one_invoices_go_to_xero_in_three_files(
    services: Services, db: Database, tmp_path: Path
) -> None:
    who = customer(services)
    with db.session() as session:
        invoices = []
        for n in range(1001):
            invoice = Invoice(
                kind=InvoiceKind.INVOICE,
                state=InvoiceState.DRAFT,
                customer_id=who,
                invoice_date=date(2026, 9, 1),
                due_date=date(2026, 10, 1),
                customer_name="Bow Arts Trust",
                total_net=Decimal("100.00"),
                total=Decimal("100.00"),
                created_by="test",
                updated_by="test",
            )
            invoice.lines = [
                InvoiceLine(
                    position=1,
                    description=f"Training place {n}",
                    quantity=Decimal("1.00"),
                    unit_price=Decimal("100.00"),
                    vat_code=VatCode.EXEMPT,
                    account_code="210",
                    net=Decimal("100.00"),
                    vat=Decimal("0.00"),
                    created_by="test",
                    updated_by="test",
                )
            ]
            invoices.append(invoice)
        session.add_all(invoices)
        session.flush()
        ids = [i.id for i in invoices]
    assert Customer is not None
    services.invoices.issue(services.actor, ids)
    folder = tmp_path / "xero"
    folder.mkdir()
    result = services.invoice_documents.export_xero(services.actor, folder)
    assert [p.name for p in result] == ["invoices-001.csv", "invoices-002.csv", "invoices-003.csv"]
    counts = []
    seen = []
    for path in result:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        counts.append(len(rows))
        seen += [r["*InvoiceNumber"] for r in rows]
    assert counts == [500, 500, 1]
    assert seen == [f"INV-{n:06d}" for n in range(1, 1002)]


def test_nothing_to_export_is_said_and_no_file_appears(services: Services, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    draft(services, customer(services))
    with pytest.raises(OfficeError, match="no issued invoices"):
        services.invoice_documents.export_xero(services.actor, folder / "x.csv")
    only_invoices = InvoiceFilter(kinds=frozenset({InvoiceKind.INVOICE}))
    with pytest.raises(OfficeError, match="among those shown"):
        services.invoice_documents.export_xero(services.actor, folder, only_invoices)
    assert list(folder.iterdir()) == []


def test_cancelling_a_print_leaves_no_file(services: Services, tmp_path: Path) -> None:
    invoice_id = sla_invoice(services)
    folder = tmp_path / "out"
    folder.mkdir()
    seen: list[str] = []

    def heard(done: int, total: int, words: str) -> None:
        seen.append(words)
        progress.cancel()

    progress = Progress(heard)
    with pytest.raises(Cancelled):
        services.invoice_documents.render(services.actor, [invoice_id], folder / "x.pdf", progress)
    assert seen == ["Printing 1 of 1"]
    assert list(folder.iterdir()) == []
