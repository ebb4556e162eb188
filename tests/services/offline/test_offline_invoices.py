"""Invoices prepared offline: drafts without numbers, numbered at the office after the
synchronisation without gap or repeat; a payment against an invoice credited meanwhile."""

from __future__ import annotations

import re
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from offline_records import nothing_changed, office_with_demo, take_copy
from sqlalchemy import select

from thep_desktop.database import Database
from thep_desktop.domain.invoices import InvoiceKind, InvoiceState, VatCode
from thep_desktop.models.audit import AuditEvent
from thep_desktop.services.invoices.invoice_data import DraftInput, InvoiceFilter, LineInput
from thep_desktop.services.invoices.payment_data import PaymentInput
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError

TODAY = date.today()


def a_draft(services: Services, customer_id: int, reference: str) -> int:
    made = services.invoices.create_draft(
        services.actor,
        DraftInput(
            customer_id=customer_id,
            invoice_date=TODAY,
            reference=reference,
            lines=(LineInput("Ofsted preparation day", "1", "450.00", VatCode.STANDARD, "200"),),
        ),
    )
    assert made.number is None and made.state is InvoiceState.DRAFT
    return made.id


def invoice_numbers(services: Services) -> list[int]:
    """The sequence numbers of every issued invoice (not credit notes), in order."""
    rows = services.invoices.list_invoices(
        services.actor, InvoiceFilter(kinds=frozenset({InvoiceKind.INVOICE}))
    )
    found = [r.number for r in rows if r.state is InvoiceState.ISSUED]
    assert all(found)
    return sorted(int(re.sub(r"\D", "", n or "")) for n in found)


def by_uuid(services: Services, uuids: set[str]) -> dict[str, int]:
    rows = services.invoices.list_invoices(services.actor)
    return {str(r.uuid): r.id for r in rows if str(r.uuid) in uuids}


def test_drafts_made_offline_are_numbered_at_the_office_after_its_own_without_gap_or_repeat(
    pg_db: Database, tmp_path: Path
) -> None:
    office = office_with_demo(pg_db)
    customer_id = office.invoices.list_invoices(office.actor)[0].customer_id
    copy, path = take_copy(office, tmp_path)

    # Offline: two drafts made, one of them changed; neither has a number.
    first = a_draft(copy, customer_id, "Offline draft one")
    second = a_draft(copy, customer_id, "Offline draft two")
    draft = copy.invoices.get_invoice(copy.actor, first)
    copy.invoices.update_draft(
        copy.actor,
        first,
        draft.version,
        DraftInput(
            customer_id=customer_id,
            invoice_date=TODAY,
            reference="Offline draft one, two days",
            lines=(LineInput("Ofsted preparation day", "2", "450.00", VatCode.STANDARD, "200"),),
        ),
    )
    offline_uuids = {str(copy.invoices.get_invoice(copy.actor, i).uuid) for i in (first, second)}
    # Issuing on the copy is refused in words; nothing changes on either side.
    with nothing_changed(office.db, path):
        with pytest.raises(ServiceError, match="offline copy.*numbered by the office's server"):
            copy.invoices.issue(copy.actor, [first, second])
        with pytest.raises(ServiceError, match="Nothing was issued"):
            copy.invoices.issue(copy.actor, [second])
    assert {copy.invoices.get_invoice(copy.actor, i).number for i in (first, second)} == {None}

    # Meanwhile the office issues invoices of its own.
    issued_before = invoice_numbers(office)
    made = [a_draft(office, customer_id, f"Office invoice {n}") for n in (1, 2)]
    office.invoices.issue(office.actor, made)
    at_office = invoice_numbers(office)
    assert at_office == list(range(1, len(issued_before) + 3))

    copy.db.dispose()
    plan = office.offline.preview(path, office.db)
    sent = {c.words for c in plan.send}
    assert "New invoice or credit note “Offline draft one, two days”" in sent
    assert "New invoice or credit note “Offline draft two”" in sent
    assert plan.conflicts == () and plan.flags == ()
    result = office.offline.sync(path, office.db)
    assert result.sent == len(plan.send)

    # At the office the drafts arrive once, still without numbers; issued there, they take
    # the next numbers after the office's own.
    arrived = by_uuid(office, offline_uuids)
    assert len(arrived) == 2
    for invoice_id in arrived.values():
        detail = office.invoices.get_invoice(office.actor, invoice_id)
        assert detail.number is None and detail.state is InvoiceState.DRAFT
    two_days = office.invoices.get_invoice(office.actor, arrived[str(draft.uuid)])
    assert two_days.total == Decimal("1080.00")  # 2 × £450 + VAT, as changed offline
    office.invoices.issue(office.actor, list(arrived.values()))
    numbers = invoice_numbers(office)
    assert numbers == list(range(1, len(at_office) + 3))
    assert len(set(numbers)) == len(numbers)
    for invoice_id in arrived.values():
        detail = office.invoices.get_invoice(office.actor, invoice_id)
        assert int(re.sub(r"\D", "", detail.number or "")) > at_office[-1]

    # The trail says the drafts came from this copy.
    with office.db.read_session() as session:
        copy_ids = set(
            session.scalars(
                select(AuditEvent.copy_id).where(
                    AuditEvent.table_name == "invoice",
                    AuditEvent.action == "create",
                    AuditEvent.record_uuid.in_([uuid.UUID(u) for u in arrived]),
                )
            )
        )
    assert copy_ids == {plan.copy.copy_id}


def test_a_payment_offline_against_an_invoice_credited_meanwhile_is_flagged_and_taken_in(
    pg_db: Database, tmp_path: Path
) -> None:
    office = office_with_demo(pg_db)
    owing = next(
        r
        for r in office.invoices.list_invoices(office.actor)
        if r.kind is InvoiceKind.INVOICE and r.outstanding > 0 and r.credited == 0
    )
    copy, path = take_copy(office, tmp_path)
    copy_invoice = copy.invoices.get_invoice(copy.actor, owing.id)
    assert copy_invoice.uuid == owing.uuid
    payment = copy.payments.record_payment(
        copy.actor,
        PaymentInput(
            customer_id=owing.customer_id,
            received_on=TODAY,
            amount=owing.outstanding,
            reference="BACS from the school",
            allocations=((owing.id, owing.outstanding),),
        ),
    )
    copy.db.dispose()
    # Meanwhile the office credits the invoice in full.
    credit = office.invoices.credit(office.actor, owing.id, "Charged in error")
    plan = office.offline.preview(path, office.db)
    (flag,) = plan.flags
    assert f"£{owing.outstanding:,.2f}" in flag
    assert str(owing.number) in flag and str(credit.number) in flag
    assert "credited meanwhile" in flag and "refund" in flag
    assert plan.conflicts == ()
    office.offline.sync(path, office.db)

    # Taken in all the same: the payment and its allocation are at the office, once.
    found = [
        p
        for p in office.payments.payments(office.actor, owing.customer_id)
        if p.uuid == payment.uuid
    ]
    assert len(found) == 1
    (arrived,) = found
    assert arrived.amount == owing.outstanding
    assert [tuple(a) for a in arrived.allocations] == [(owing.number, owing.outstanding)]
    again = office.offline.preview(path, office.db)
    assert again.nothing_to_do and again.flags == ()
