"""``thep-admin invoices …`` on a SQLite file and a PostgreSQL database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from invoice_records import customer, draft, issued, table_sums
from pypdf import PdfReader

from thep_desktop.cli.admin import main
from thep_desktop.domain.invoices import VatCode
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.shared.actor import Actor, Role

STANDARD = VatCode.STANDARD


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def office(migrated_db: str) -> Iterator[tuple[tuple[str, str], Services]]:
    """``--db`` and the database's address, and services on it: a customer with two issued
    invoices (INV-000001 £540.00, INV-000002 £1,200.00, both due 01/10/2026) and a draft."""
    services, _note = open_services(migrated_db, Actor("treasurer", Role.ADMIN))
    profile = services.organisation.get_profile(services.actor)
    services.organisation.update_profile(
        services.actor,
        replace(
            profile,
            name="Tower Hamlets Education Partnership",
            address="229 Bethnal Green Road\nLondon",
            postcode="E2 6AB",
            bank_name="Lloyds Bank",
            bank_account_name="THEP Ltd",
            bank_sort_code="309457",
            bank_account_number="12345678",
            signatory_name="Grace Adeyemi",
            signatory_position="Executive Director",
        ),
    )
    bow = customer(services)
    issued(services, bow, ("Ofsted preparation day", "1", "450.00", STANDARD))
    issued(services, bow, ("School improvement SLA day", "2.5", "400.00", STANDARD))
    draft(services, bow, ("Training place", "1", "95.00", STANDARD))
    try:
        yield ("--db", migrated_db), services
    finally:
        services.close()


def test_the_list_shows_every_invoice_and_the_totals(
    capsys: pytest.CaptureFixture[str], office: tuple[tuple[str, str], Services]
) -> None:
    db, _services = office
    code, out, err = run(capsys, "invoices", "list", *db)
    assert (code, err) == (0, "")
    assert "INV-000002" in out and "INV-000001" in out and "Draft" in out
    assert "£1,200.00" in out and "Bow Arts Trust" in out
    assert "2 invoices issued: £1,740.00; paid £0.00" in out and "1 draft not yet issued" in out
    code, out, _err = run(capsys, "invoices", "list", "--json", *db)
    data = json.loads(out)
    assert data["count"] == 3 and data["totals"]["issued"] == "1740.00"
    assert data["totals"]["drafts"] == 1
    first = next(r for r in data["invoices"] if r["number"] == "INV-000001")
    assert first["total"] == "540.00" and first["due_date"] == "2026-10-01"
    assert first["status"] == "issued" and first["customer"] == "Bow Arts Trust"
    code, out, _err = run(capsys, "invoices", "list", "--status", "draft", "--json", *db)
    assert [r["number"] for r in json.loads(out)["invoices"]] == [None]
    code, out, err = run(capsys, "invoices", "list", "--status", "unpaid", *db)
    assert (code, out) == (1, "")
    assert err.startswith("thep-admin: “unpaid” is not a status; choose from draft, issued")


def test_show_gives_the_lines_totals_and_what_is_owed(
    capsys: pytest.CaptureFixture[str], office: tuple[tuple[str, str], Services]
) -> None:
    db, _services = office
    code, out, err = run(capsys, "invoices", "show", "2", *db)
    assert (code, err) == (0, "")
    assert out.startswith("Invoice INV-000002\n")
    assert "School improvement SLA day" in out and "2.5" in out and "£1,000.00" in out
    assert "Outstanding" in out and "£1,200.00" in out and "01/10/2026" in out
    code, out, _err = run(capsys, "invoices", "show", "INV-000002", "--json", *db)
    data = json.loads(out)
    assert data["number"] == "INV-000002" and data["total"] == "1200.00"
    assert data["lines"][0]["quantity"] == "2.50" and data["lines"][0]["vat"] == "200.00"
    assert data["invoice_date"] == "2026-09-01" and data["outstanding"] == "1200.00"
    code, out, err = run(capsys, "invoices", "show", "INV-000099", *db)
    assert (code, out) == (1, "")
    assert err == "thep-admin: There is no invoice or credit note numbered “INV-000099”.\n"


def test_a_payment_part_pays_and_the_rest_is_kept_as_credit_only_when_asked(
    capsys: pytest.CaptureFixture[str], office: tuple[tuple[str, str], Services]
) -> None:
    db, services = office
    pay = ("invoices", "pay", "INV-000001", "--date", "05/10/2026", "--method", "BACS")
    code, out, err = run(capsys, *pay, "--amount", "200.00", "--reference", "BOW123", *db)
    assert (code, err) == (0, "")
    assert out == (
        "Payment of £200.00 recorded (BACS, 05/10/2026): £200.00 against INV-000001, now "
        "part paid with £340.00 outstanding.\n"
    )
    # More than is owed, without saying where the rest goes: refused, nothing changed.
    before = table_sums(services.db)
    code, out, err = run(capsys, *pay, "--amount", "500.00", *db)
    assert (code, out) == (1, "")
    assert err == (
        "thep-admin: £160.00 of this payment is not set against any invoice: set it against "
        "one, or keep it as credit (--credit-rest keeps it as the customer's credit).\n"
    )
    assert table_sums(services.db) == before
    code, out, err = run(capsys, *pay, "--amount", "500.00", "--credit-rest", "--json", *db)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["payment"]["allocated"] == "340.00" and data["payment"]["unallocated"] == "160.00"
    assert data["invoice"]["status"] == "paid" and data["invoice"]["outstanding"] == "0.00"
    assert services.payments.credit_held(services.actor, data["invoice"]["customer_id"]) == 160


def test_paying_a_draft_or_a_credit_note_is_refused_and_nothing_changes(
    capsys: pytest.CaptureFixture[str], office: tuple[tuple[str, str], Services]
) -> None:
    db, services = office
    [draft_row] = [r for r in services.invoices.list_invoices(services.actor) if r.is_draft]
    before = table_sums(services.db)
    code, out, err = run(
        capsys, "invoices", "pay", f"id:{draft_row.id}", "--amount", "114.00",
        "--date", "2026-10-05", "--method", "cheque", *db,
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert "draft cannot be paid" in err.lower() and err.startswith("thep-admin: ")
    code, out, err = run(
        capsys, "invoices", "pay", "INV-000001", "--amount", "10", "--date", "2026-10-05",
        "--method", "bitcoin", *db,
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert "not a way of paying" in err
    code, _out, err = run(
        capsys, "invoices", "pay", "INV-000001", "--amount", "10", "--date", "31/02/2026",
        "--method", "BACS", *db,
    )  # fmt: skip
    assert code == 2 and "--date" in err
    assert table_sums(services.db) == before


def test_a_credit_larger_than_the_invoice_is_refused_and_a_part_credit_issued(
    capsys: pytest.CaptureFixture[str], office: tuple[tuple[str, str], Services]
) -> None:
    db, services = office
    before = table_sums(services.db)
    code, out, err = run(
        capsys, "invoices", "credit", "INV-000001", "--amount", "600.00", "--reason",
        "Day cancelled", *db,
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert err.startswith("thep-admin: ") and "£540.00" in err
    assert table_sums(services.db) == before
    code, out, err = run(capsys, "invoices", "credit", "INV-000001", "--amount", "120.00", *db)
    assert code == 2 and "--reason" in err  # the reason is required
    assert table_sums(services.db) == before
    code, out, err = run(
        capsys, "invoices", "credit", "INV-000001", "--amount", "120.00", "--reason",
        "Half a day only", "--date", "2026-10-02", *db,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == (
        "Credit note CN-000001 of £120.00 issued against INV-000001, which is now part paid "
        "with £420.00 outstanding.\n"
    )
    code, out, _err = run(capsys, "invoices", "show", "CN-000001", "--json", *db)
    data = json.loads(out)
    assert data["kind"] == "credit_note" and data["credits_number"] == "INV-000001"
    assert data["credit_reason"] == "Half a day only" and data["total"] == "120.00"


def test_remind_lists_then_sends_the_letters_once(
    capsys: pytest.CaptureFixture[str], office: tuple[tuple[str, str], Services], tmp_path: Path
) -> None:
    db, services = office
    code, out, err = run(capsys, "invoices", "remind", "--on", "14/10/2026", "--dry-run", *db)
    assert (code, err, out) == (0, "", "No reminders are due on 14/10/2026.\n")
    code, out, _err = run(
        capsys, "invoices", "remind", "--on", "2026-10-15", "--dry-run", "--json", *db
    )
    data = json.loads(out)
    assert data["count"] == 2 and data["sent"] is False
    assert {r["stage"] for r in data["reminders"]} == {"first"}
    assert {r["days_overdue"] for r in data["reminders"]} == {14}
    before = table_sums(services.db)
    code, out, err = run(capsys, "invoices", "remind", "--on", "2026-10-15", *db)
    assert (code, out) == (1, "")
    assert err == "thep-admin: Give --out FILE.pdf for the letters, or --dry-run to list them.\n"
    assert table_sums(services.db) == before
    letters = tmp_path / "reminders.pdf"
    code, out, _err = run(
        capsys, "invoices", "remind", "--on", "2026-10-15", "--out", str(letters), *db
    )
    assert code == 0
    assert "2 reminders (2 1st reminders), 2 pages: saved to" in out
    text = " ".join(p.extract_text() for p in PdfReader(letters).pages)
    assert "INV-000001" in text and "INV-000002" in text and "30-94-57" in text
    code, out, _err = run(capsys, "invoices", "show", "INV-000001", "--json", *db)
    assert json.loads(out)["reminders"] == [
        {"stage": "first", "sent_on": "2026-10-15", "outstanding": "540.00"}
    ]
    again = tmp_path / "again.pdf"
    code, out, _err = run(
        capsys, "invoices", "remind", "--on", "2026-10-15", "--out", str(again), *db
    )
    assert (code, out) == (0, "No reminders are due on 15/10/2026.\n")
    assert not again.exists()
