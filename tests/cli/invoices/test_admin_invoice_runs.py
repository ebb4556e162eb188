"""``thep-admin invoices fee-run|render|export-xero|aged-debt|statement`` on both databases."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from invoice_records import customer, issued, table_sums
from membership_records import join, make_school, schedule
from openpyxl import load_workbook
from pypdf import PdfReader

from thep_desktop.cli.admin import main
from thep_desktop.domain.invoices import VatCode
from thep_desktop.reports.invoices.xero_csv import XERO_HEADER
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.shared.actor import Actor, Role

RUN = ("invoices", "fee-run", "--year", "2025/26", "--date", "2025-09-01")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def text_of(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


@pytest.fixture
def office(migrated_db: str) -> Iterator[tuple[tuple[str, str], Services]]:
    """Two member schools for 2025/26, one with no pupil figure, and the fee schedule."""
    services, _note = open_services(migrated_db, Actor("treasurer", Role.ADMIN))
    services.organisation.update_profile(
        services.actor,
        replace(
            services.organisation.get_profile(services.actor),
            name="Tower Hamlets Education Partnership",
            address="229 Bethnal Green Road\nLondon",
            postcode="E2 6AB",
            company_number="09876543",
            bank_name="Lloyds Bank",
            bank_account_name="THEP Ltd",
            bank_sort_code="309457",
            bank_account_number="12345678",
        ),
    )
    bethnal = make_school(services, "100229", "Bethnal Green Primary School")
    columbia = make_school(services, "100230", "Columbia Primary School", pupils=None)
    join(services, bethnal, date(2016, 6, 1), date(2016, 7, 1))
    join(services, columbia, date(2016, 6, 1), date(2016, 7, 1))
    schedule(services, "2025/26")
    try:
        yield ("--db", migrated_db), services
    finally:
        services.close()


def test_a_fee_run_previews_makes_and_issues_and_never_bills_twice(
    capsys: pytest.CaptureFixture[str], office: tuple[tuple[str, str], Services]
) -> None:
    db, services = office
    before = table_sums(services.db)
    code, out, err = run(capsys, *RUN, "--dry-run", "--json", *db)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["counts"] == {
        "to_bill": 1,
        "already_billed": 0,
        "no_pupil_figure": 1,
        "nothing_to_pay": 0,
    }
    assert data["total"] == "2060.00" and data["run_id"] is None and data["issued"] is None
    billed = next(m for m in data["members"] if m["state"] == "to_bill")
    assert billed["name"] == "Bethnal Green Primary School"
    assert billed["working"] == "412 pupils x £5.00 = £2,060.00"
    assert data["due_date"] == "2025-10-01" and data["reference"] == "Membership fee 2025/26"
    assert table_sums(services.db) == before  # a dry run makes nothing

    code, out, _err = run(capsys, *RUN, "--issue", *db)
    assert code == 0
    assert "Bethnal Green Primary School" in out and "412 pupils x £5.00 = £2,060.00" in out
    assert "No pupil figure, not billed (1):\n  Columbia Primary School:" in out
    assert "1 draft invoice made, £2,060.00 in all." in out
    assert "Issued 1 invoice, INV-000001, £2,060.00 in all.\n" in out
    after = table_sums(services.db)
    code, out, _err = run(capsys, *RUN, "--issue", "--json", *db)
    data = json.loads(out)
    assert data["counts"]["already_billed"] == 1 and data["draft_ids"] == []
    assert data["issued"] is None
    assert next(m for m in data["members"] if m["state"] == "already_billed")["billed_as"] == (
        "INV-000001"
    )
    assert table_sums(services.db) == after  # never billed twice

    code, out, err = run(capsys, "invoices", "fee-run", "--year", "2031/32", *db)
    assert (code, out) == (1, "")
    assert "2031/32" in err and err.startswith("thep-admin: ")


def test_render_export_aged_debt_and_statement(
    capsys: pytest.CaptureFixture[str],
    office: tuple[tuple[str, str], Services],
    tmp_path: Path,
) -> None:
    db, services = office
    run(capsys, *RUN, "--issue", *db)
    bow = customer(services)
    issued(services, bow, ("Ofsted preparation day", "1", "450.00", VatCode.STANDARD))

    pdf = tmp_path / "invoice.pdf"
    code, out, err = run(capsys, "invoices", "render", "INV-000001", "2", "--out", str(pdf), *db)
    assert code == 0 and out == f"INV-000001, INV-000002: 2 pages, saved to {pdf}.\n"
    text = text_of(pdf)
    assert "INV-000001" in text and "Bethnal Green Primary School" in text and "09876543" in text
    code, out, err = run(capsys, "invoices", "render", "1", "--out", str(tmp_path / "x.txt"), *db)
    assert (code, out) == (1, "") and ".pdf" in err

    xero = tmp_path / "xero.csv"
    code, out, _err = run(capsys, "invoices", "export-xero", str(xero), *db)
    assert code == 0 and out.startswith("2 invoices exported to Xero in 1 file")
    with open(xero, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == XERO_HEADER and len(rows) == 3
    assert {r[XERO_HEADER.index("*InvoiceNumber")] for r in rows[1:]} == {
        "INV-000001",
        "INV-000002",
    }

    code, out, _err = run(capsys, "invoices", "aged-debt", "--as-at", "2026-09-30", "--json", *db)
    data = json.loads(out)
    fee = next(c for c in data["customers"] if c["customer"] == "Bethnal Green Primary School")
    assert fee["days_over_90"] == "2060.00" and fee["total"] == "2060.00"
    ofsted = next(c for c in data["customers"] if c["customer"] == "Bow Arts Trust")
    assert ofsted["current"] == "540.00"  # due 01/10/2026: not yet late
    assert data["totals"]["total"] == "2600.00"
    book = tmp_path / "aged.xlsx"
    code, out, _err = run(capsys, "invoices", "aged-debt", "--out", str(book), *db)
    assert code == 0 and book.exists() and load_workbook(book).worksheets
    code, out, err = run(capsys, "invoices", "aged-debt", "--out", str(tmp_path / "a.doc"), *db)
    assert (code, out) == (1, "") and ".xlsx" in err

    statement = tmp_path / "statement.pdf"
    code, out, _err = run(capsys, "invoices", "statement", "bethnal", "--out", str(statement), *db)
    assert code == 0 and out == f"1 statement, 1 page, saved to {statement}.\n"
    assert "£2,060.00" in text_of(statement)
    code, out, err = run(capsys, "invoices", "statement", "Primary", "--out", str(statement), *db)
    assert (code, out) == (1, "")
    assert "customers' names contain “Primary”" in err
    code, out, _err = run(capsys, "invoices", "statement", "all", "--out", str(statement), *db)
    assert out.startswith("2 statements, 2 pages")


def test_drafts_left_by_a_run_are_issued_by_running_again_with_issue(
    capsys: pytest.CaptureFixture[str], office: tuple[tuple[str, str], Services]
) -> None:
    db, services = office
    code, out, _err = run(capsys, *RUN, *db)
    assert code == 0 and "1 draft invoice made" in out
    assert out.endswith("Issue them in the Invoices tab, or run again with --issue.\n")
    [draft] = services.invoices.list_invoices(services.actor)
    assert draft.is_draft
    code, out, _err = run(capsys, *RUN, "--issue", *db)
    assert code == 0 and "1 already billed, not billed again." in out
    assert out.endswith("Issued 1 invoice, INV-000001, £2,060.00 in all.\n")
    [issued] = services.invoices.list_invoices(services.actor)
    assert issued.id == draft.id and issued.number == "INV-000001"
