"""Numbers have no gaps and no duplicates when several processes issue at the same moment."""

from __future__ import annotations

import multiprocessing
from datetime import date

from invoice_issuers import issue_one_at_a_time
from invoice_records import customer, draft
from sqlalchemy import select

from thep_desktop.database import Database
from thep_desktop.domain.invoices import InvoiceKind, InvoiceState
from thep_desktop.models import Invoice, NumberSeries
from thep_desktop.services.invoices.invoice_data import SettingsInput
from thep_desktop.services.registry import Services

PROCESSES = 4
EACH = 15


def test_four_processes_issuing_at_once_take_numbers_1_to_60_each_once(
    services: Services, db: Database
) -> None:
    # The series as a new database has them (the PostgreSQL tests start from empty tables).
    services.invoices.save_settings(services.actor, 0, SettingsInput())
    who = customer(services)
    drafts = [
        draft(services, who, invoice_date=date(2026, 9, 1)).id for _ in range(PROCESSES * EACH)
    ]
    url = db.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    ready = context.Queue()
    start = context.Event()
    out = context.Queue()
    workers = [
        context.Process(
            target=issue_one_at_a_time,
            args=(url, f"office-pc-{n}", drafts[n * EACH : (n + 1) * EACH], ready, start, out),
        )
        for n in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for _worker in workers:  # every process started and connected...
        ready.get(timeout=180)
    start.set()  # ...then all issue at the same moment
    results = dict(out.get(timeout=180) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
    failed = {name: result for name, result in results.items() if isinstance(result, str)}
    assert not failed, failed
    numbers = [n for result in results.values() for n in result]
    assert len(numbers) == len(set(numbers)) == PROCESSES * EACH
    with db.read_session() as session:
        rows = session.execute(
            select(Invoice.sequence, Invoice.number, Invoice.state).where(
                Invoice.kind == InvoiceKind.INVOICE
            )
        ).all()
        next_number = session.scalar(
            select(NumberSeries.next_number).where(NumberSeries.kind == InvoiceKind.INVOICE)
        )
    assert all(InvoiceState(state) is InvoiceState.ISSUED for _s, _n, state in rows)
    assert sorted(s for s, _n, _state in rows) == list(range(1, PROCESSES * EACH + 1))
    assert sorted(n for _s, n, _state in rows) == sorted(numbers)
    assert next_number == PROCESSES * EACH + 1
    # Each process's own numbers rise: it issued one after another.
    for result in results.values():
        assert result == sorted(result)
