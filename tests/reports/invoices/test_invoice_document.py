"""An invoice as plain data: the supplier kept at issue, the words its figures print with."""

from __future__ import annotations

from datetime import date

from invoice_documents import VAT_SUPPLIER, invoice

from thep_desktop.reports.invoices.invoice_document import Supplier


def test_a_supplier_comes_from_the_snapshot_kept_on_an_invoice() -> None:
    snapshot = {
        "name": "Tower Hamlets Education Partnership",
        "address": "229 Bethnal Green Road\n\nLondon\n",
        "postcode": "E2 6AB",
        "phone": "020 7364 0000",
        "email": "accounts@the-partnership.org.uk",
        "website": "",
        "company_number": "08123456",
        "charity_number": None,
        "vat_number": "GB 123 4567 89",
        "registered_office": "229 Bethnal Green Road\nLondon E2 6AB",
        "bank_name": "Lloyds Bank",
        "bank_sort_code": "30-99-50",
        "bank_account_number": "12345678",
        # no bank_account_name: a snapshot kept before the field existed
    }
    supplier = Supplier.from_snapshot(snapshot)
    assert supplier.address_lines == ("229 Bethnal Green Road", "London")
    assert supplier.charity_number == "" and supplier.bank_account_name == ""
    # Without an account name, the organisation's name is the account to pay.
    assert ("Account name", "Tower Hamlets Education Partnership") in supplier.bank_rows()
    head = supplier.letterhead(b"logo")
    assert head.address_lines == ("229 Bethnal Green Road", "London E2 6AB")
    assert head.logo == b"logo" and head.vat_number == "GB 123 4567 89"


def test_the_letterhead_does_not_repeat_a_postcode_already_in_the_address() -> None:
    supplier = Supplier.from_snapshot(
        {"name": "X", "address": "1 Road\nLondon E1 6AA", "postcode": "E1 6AA"}
    )
    assert supplier.letterhead(None).address_lines == ("1 Road", "London E1 6AA")
    assert Supplier.from_snapshot({"name": "X", "postcode": "E1 6AA"}).letterhead(
        None
    ).address_lines == ("E1 6AA",)
    assert not Supplier.from_snapshot({"name": "X"}).has_bank_details


def test_terms_and_supply_dates_in_words() -> None:
    assert invoice().terms_text == "Payment due within 30 days, by 30/12/2026."
    assert invoice(payment_terms_days=1, due_date=date(2026, 12, 1)).terms_text == (
        "Payment due within 1 day, by 01/12/2026."
    )
    assert invoice(payment_terms_days=0, due_date=date(2026, 11, 30)).terms_text == (
        "Payment due on receipt, by 30/11/2026."
    )
    one_day = invoice(supply_from=date(2027, 1, 14), supply_to=date(2027, 1, 14))
    assert (one_day.supply_label, one_day.supply_text) == ("Supply date", "14/01/2027")
    undated = invoice(supply_from=None, supply_to=None)
    assert (undated.supply_label, undated.supply_text) == ("Supply date", "30/11/2026")


def test_vat_shows_only_for_a_vat_registered_supplier() -> None:
    assert invoice().show_vat
    assert not invoice(supplier=Supplier.from_snapshot({"name": "X", "vat_number": " "})).show_vat
    assert invoice(supplier=VAT_SUPPLIER, number=None).draft_words == (
        "DRAFT — not a valid invoice"
    )
