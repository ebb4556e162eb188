"""Migration 0010: membership fee payments become invoices' payments, held as credit."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import command
from invoice_records import issued
from membership_records import join, make_school

from thep_desktop.database import Database, alembic_config
from thep_desktop.domain.invoices import PaymentKind, PaymentMethod, VatCode
from thep_desktop.services.registry import Services

WHEN = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)
fee_payment = sa.table(
    "fee_payment",
    sa.column("uuid", sa.Uuid),
    sa.column("member_id", sa.Integer),
    sa.column("academic_year", sa.Integer),
    sa.column("amount", sa.BigInteger),  # pence, as the table keeps them
    sa.column("received_on", sa.Date),
    sa.column("method", sa.String),
    sa.column("reference", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("created_by", sa.String),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("updated_by", sa.String),
    sa.column("version", sa.Integer),
)


def fee_row(member_id: int, year: int, pence: int, on: date, method: str, ref: str) -> dict:
    return {
        "uuid": uuid.uuid4(),
        "member_id": member_id,
        "academic_year": year,
        "amount": pence,
        "received_on": on,
        "method": method,
        "reference": ref,
        "created_at": WHEN,
        "created_by": "treasurer",
        "updated_at": WHEN,
        "updated_by": "treasurer",
        "version": 1,
    }


def member(services: Services, urn: str, name: str) -> int:
    school = make_school(services, urn, name)
    return join(services, school, date(2024, 1, 10), date(2024, 2, 1)).id


def tables(db: Database) -> set[str]:
    with db.engine.connect() as connection:
        return set(sa.inspect(connection).get_table_names())


def test_fee_payments_move_to_invoices_and_back(services: Services, db: Database) -> None:
    alder = member(services, "100001", "Alder Primary School")
    birch = member(services, "100002", "Birch Primary School")
    # Alder already has its customer record (billed before); Birch has none yet.
    alder_customer = services.invoices.customer_for_member(services.actor, alder).id
    config = alembic_config(db.engine)
    command.downgrade(config, "0009_invoices")
    rows = [
        fee_row(alder, 2024, 105000, date(2024, 9, 20), "BACS", "ALDER 24/25"),
        fee_row(alder, 2025, 52550, date(2025, 9, 30), "Cheque", "CHQ 1001"),
        fee_row(birch, 2025, 25000, date(2025, 10, 2), "standing order", ""),
    ]
    with db.engine.begin() as connection:
        connection.execute(sa.insert(fee_payment), rows)
    command.upgrade(config, "head")
    assert "fee_payment" not in tables(db)

    oldest_first = list(reversed(services.payments.payments(services.actor, member_id=alder)))
    assert [
        (p.customer_id, p.kind, p.received_on, p.amount, p.method, p.reference, p.notes, p.uuid)
        for p in oldest_first
    ] == [
        (
            alder_customer,
            PaymentKind.RECEIPT,
            date(2024, 9, 20),
            Decimal("1050.00"),
            PaymentMethod.BACS,
            "ALDER 24/25",
            "Recorded as a membership fee payment for 2024/25",
            rows[0]["uuid"],
        ),
        (
            alder_customer,
            PaymentKind.RECEIPT,
            date(2025, 9, 30),
            Decimal("525.50"),
            PaymentMethod.CHEQUE,
            "CHQ 1001",
            "Recorded as a membership fee payment for 2025/26",
            rows[1]["uuid"],
        ),
    ]
    assert oldest_first[0].recorded_by == "treasurer"
    [moved] = services.payments.payments(services.actor, member_id=birch)
    assert (moved.method, moved.notes, moved.customer_name) == (
        PaymentMethod.BACS,
        "Recorded as a membership fee payment for 2025/26 (paid by: standing order)",
        "Birch Primary School",
    )
    assert services.payments.credit_held(services.actor, alder_customer) == Decimal("1575.50")
    assert services.payments.credit_held(services.actor, moved.customer_id) == Decimal("250.00")

    # Part of Alder's credit (its oldest receipt) is set against an invoice: going back
    # leaves that receipt a payment and moves the others back.
    bill = issued(
        services, alder_customer, ("Training place", "1", "10.00", VatCode.OUTSIDE_SCOPE)
    ).id
    services.payments.apply_credit(services.actor, alder_customer, bill, "10.00")
    command.downgrade(config, "0009_invoices")
    with db.engine.connect() as connection:
        back = connection.execute(sa.select(fee_payment).order_by(fee_payment.c.received_on)).all()
        left = connection.execute(sa.text("SELECT uuid FROM payment")).scalars().all()
    assert [(r.uuid, r.member_id, r.academic_year, r.amount, r.method) for r in back] == [
        (rows[1]["uuid"], alder, 2025, 52550, "cheque"),
        (rows[2]["uuid"], birch, 2025, 25000, "BACS"),
    ]
    assert [uuid.UUID(str(u)) for u in left] == [rows[0]["uuid"]]
    command.upgrade(config, "head")
    assert "fee_payment" not in tables(db)
    assert services.payments.credit_held(services.actor, alder_customer) == Decimal("1565.50")
