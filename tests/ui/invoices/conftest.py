"""Fixtures of the Invoices tab's tests: members, a customer who is not one, and invoices."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from invoice_records import customer, draft, issued, training
from membership_records import join, make_school
from PySide6.QtWidgets import QDialog

from thep_desktop.database import Database
from thep_desktop.domain.invoices import VatCode
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.main_window import MainWindow

TODAY = date.today()


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path / "user-config"))


def make_invoices(s: Services) -> dict[str, int]:
    """Two customers; an overdue invoice, a paid-by-credit one, a current one and a draft."""
    school = make_school(s, "100001", "Alder Primary School")
    join(s, school, date(2020, 9, 1), date(2020, 10, 1))
    bow = customer(s, "Bow Arts Trust")
    mile = customer(s, "Mile End Learning Hub")
    old = TODAY - timedelta(days=75)
    overdue = issued(
        s, bow, ("Ofsted preparation day", "2", "450.00", VatCode.STANDARD), invoice_date=old
    )
    credited = issued(s, mile, ("Training places", "3", "95.00", VatCode.EXEMPT), invoice_date=old)
    s.invoices.credit(s.actor, credited.id, "Course cancelled")
    current = issued(
        s,
        mile,
        ("Pupil premium review", "1", "600.00", VatCode.STANDARD),
        invoice_date=TODAY - timedelta(days=3),
    )
    open_draft = draft(s, bow, ("SLA day", "1.5", "400.00", VatCode.STANDARD), invoice_date=TODAY)
    return {
        "bow": bow,
        "mile": mile,
        "overdue": overdue.id,
        "credited": credited.id,
        "current": current.id,
        "draft": open_draft.id,
    }


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    return Services(sqlite_db, actor)


@pytest.fixture
def invoices(services: Services) -> dict[str, int]:
    return make_invoices(services)


@pytest.fixture
def opened(qtbot, window: MainWindow) -> list[QDialog]:  # type: ignore[no-untyped-def]
    """Forms the tab opens are shown without a blocking exec(), kept here; the tab in view."""
    shown: list[QDialog] = []

    def run(dialog: QDialog) -> None:
        shown.append(dialog)
        dialog.show()

    window.invoices_tab.run_dialog = run  # type: ignore[method-assign]
    window.tabs.setCurrentWidget(window.invoices_tab)
    qtbot.waitUntil(lambda: not window.invoices_tab.loading)
    return shown


@pytest.fixture
def bow(services: Services) -> tuple[int, list[int]]:
    """Bow Arts Trust with two issued invoices of £540.00 each (Sept and Oct 2026)."""
    bow_id = customer(services, "Bow Arts Trust")
    return bow_id, [
        training(services, bow_id, date(2026, 9, 1)),
        training(services, bow_id, date(2026, 10, 1)),
    ]
