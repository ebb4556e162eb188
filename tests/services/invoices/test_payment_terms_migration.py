"""Migration 0011: the payment terms live in the invoice settings alone."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from thep_desktop.database import Database, alembic_config
from thep_desktop.services.invoices.invoice_data import SettingsInput
from thep_desktop.services.registry import Services


def _membership_terms_before_0011(db: Database, days: int) -> None:
    """As a database of 0010 was: the membership rules with terms of their own."""
    command.downgrade(alembic_config(db.engine), "0010_fee_payments_to_invoices")
    with db.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE membership_rules SET payment_terms_days = :d"), {"d": days}
        )


def test_membership_terms_other_than_the_default_become_the_invoices(
    services: Services, db: Database
) -> None:
    services.fees.save_rules(services.actor, 0, 12, "25.00", [])
    _membership_terms_before_0011(db, 45)
    command.upgrade(alembic_config(db.engine), "head")
    assert services.invoices.settings(services.actor).payment_terms_days == 45
    with db.engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("membership_rules")}
    assert "payment_terms_days" not in columns


def test_invoice_settings_already_saved_take_the_membership_terms(
    services: Services, db: Database
) -> None:
    services.fees.save_rules(services.actor, 0, 12, "25.00", [])
    services.invoices.save_settings(services.actor, 0, SettingsInput(30, invoice_note="Thank you"))
    _membership_terms_before_0011(db, 14)
    command.upgrade(alembic_config(db.engine), "head")
    settings = services.invoices.settings(services.actor)
    assert (settings.payment_terms_days, settings.invoice_note) == (14, "Thank you")


def test_the_default_terms_change_nothing(services: Services, db: Database) -> None:
    services.fees.save_rules(services.actor, 0, 12, "25.00", [])
    _membership_terms_before_0011(db, 30)
    command.upgrade(alembic_config(db.engine), "head")
    settings = services.invoices.settings(services.actor)
    assert (settings.payment_terms_days, settings.version) == (30, 0)  # still none saved
