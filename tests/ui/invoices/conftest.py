"""Fixtures of the Invoices window's money dialogs: customers with issued invoices."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.invoice_records import customer, issued
from thep_desktop.database import Database
from thep_desktop.domain.invoices import VatCode
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path / "user-config"))


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    return Services(sqlite_db, actor)


def training(services: Services, customer_id: int, on: date, places: str = "2") -> int:
    """An issued invoice for training places at £225.00 + VAT each."""
    made = issued(
        services,
        customer_id,
        ("Training place: new SENCOs (full day)", places, "225.00", VatCode.STANDARD),
        invoice_date=on,
    )
    return made.id


@pytest.fixture
def bow(services: Services) -> tuple[int, list[int]]:
    """Bow Arts Trust with two issued invoices of £540.00 each (Sept and Oct 2026)."""
    bow_id = customer(services, "Bow Arts Trust")
    return bow_id, [
        training(services, bow_id, date(2026, 9, 1)),
        training(services, bow_id, date(2026, 10, 1)),
    ]
