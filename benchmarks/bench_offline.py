"""The treasurer's offline copy: checkout and synchronisation of a large office on a loopback
PostgreSQL server.

A PostgreSQL database of its own (made on the ``THEP_TEST_DATABASE_URL`` server, dropped
at the end) holds an office of 2,000 schools (each with a contact), 2,000 members with
their periods and customers, 10,000 invoices (four in five issued, the rest drafts) with two
lines each, and a payment set against every other issued invoice; written with bulk
inserts, which are not timed. Each run then times, in turn:

- the baseline: ``database_copy.copy_database`` of the whole office into a new SQLite file
  (every table read once and written once, as a move to a local file does);
- ``services.offline.checkout`` of the whole office to a new copy;
- 200 changes made on the copy through its services (not timed): schools renamed, new
  draft invoices, payments set against issued invoices;
- ``services.offline.preview`` and ``services.offline.sync`` of those changes (sync does
  its own reading again: the preview is what a person looks at before it);
- a second ``sync`` with nothing to do.

Each run takes a new copy: its changes are the office's records in the next one.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, insert, select, text

from benchmarks.harness import Figure, baseline, parts_within, time_calls

PG_ENV = "THEP_TEST_DATABASE_URL"
FULL = (2000, 10_000, 3)  # schools (and members), invoices, runs
QUICK = (300, 1500, 2)
CHANGES = 200
CHECKOUT_SECONDS, SYNC_SECONDS = 10.0, 5.0


def server_url() -> str | None:
    """The PostgreSQL server to build the office on (the tests' server), or None."""
    url = os.environ.get(PG_ENV)
    if not url:
        return None
    from thep_desktop.database import normalise_url

    return normalise_url(url)


@dataclass
class Office:
    url: str
    unpaid: list[tuple[int, int, Decimal]]  # issued invoices: (id, member id, total)
    members: list[int]
    schools: list[int]


def build_office(url: str, schools: int, invoices: int) -> Office:
    """The office's records, in bulk inserts (one transaction)."""
    from benchmarks.school_data import fill_register
    from thep_desktop.models import (
        Allocation,
        Customer,
        Invoice,
        InvoiceLine,
        Member,
        MembershipPeriod,
        NumberSeries,
        Payment,
        School,
    )
    from thep_desktop.models.base import utcnow
    from thep_desktop.services.registry import open_services

    services, _ = open_services(url, create=True)  # the owner: an administrator
    db = services.db
    try:
        fill_register(db, schools, contacts_per_school=1)
        rng = random.Random(15)
        now = utcnow()
        stamp = {
            "created_at": now,
            "created_by": "bench",
            "updated_at": now,
            "updated_by": "bench",
            "version": 1,
        }
        with db.session() as session:
            school_ids = list(session.execute(select(School.id).order_by(School.id)).scalars())
            session.execute(
                insert(Member),
                [
                    {"uuid": uuid.uuid4(), "kind": "school", "school_id": s, "name": "", **stamp}
                    for s in school_ids
                ],
            )
            members = list(session.execute(select(Member.id).order_by(Member.id)).scalars())
            session.execute(
                insert(MembershipPeriod),
                [
                    {
                        "uuid": uuid.uuid4(),
                        "member_id": m,
                        "category": "full",
                        "applied_on": date(2016, 8, 1),
                        "admitted_on": date(2016, 9, 1) + timedelta(days=rng.randint(0, 3000)),
                        "guarantee": Decimal("25.00"),
                        "supports_aims": True,
                        "agrees_to_pay_fee": True,
                        **stamp,
                    }
                    for m in members
                ],
            )
            session.execute(
                insert(Customer),
                [
                    {"uuid": uuid.uuid4(), "member_id": m, "name": "", "active": True, **stamp}
                    for m in members
                ],
            )
            customer_of = dict(session.execute(select(Customer.member_id, Customer.id)).all())
            issued = invoices * 4 // 5
            rows, lines = [], []
            for n in range(invoices):
                member = members[n % len(members)]
                day = date(2024, 9, 1) + timedelta(days=n % 600)
                net = Decimal(rng.randint(100, 5000)) + Decimal("0.50")
                vat = (net / 5).quantize(Decimal("0.01"))
                rows.append(
                    {
                        "uuid": uuid.uuid4(),
                        "kind": "invoice",
                        "state": "issued" if n < issued else "draft",
                        "sequence": n + 1 if n < issued else None,
                        "number": f"INV-{n + 1:06d}" if n < issued else None,
                        "customer_id": customer_of[member],
                        "member_id": member,
                        "invoice_date": day,
                        "due_date": day + timedelta(days=30),
                        "reference": f"Services {n}",
                        "customer_name": f"Member {member}",
                        "customer_address": f"{n % 300} Bow Road\nLondon",
                        "customer_postcode": "E3 4PX",
                        "total_net": net * 2,
                        "total_vat": vat * 2,
                        "total": (net + vat) * 2,
                        "issued_at": now if n < issued else None,
                        "issued_by": "bench" if n < issued else "",
                        **stamp,
                    }
                )
            session.execute(insert(Invoice), rows)
            found = session.execute(
                select(Invoice.id, Invoice.member_id, Invoice.total, Invoice.state).order_by(
                    Invoice.id
                )
            ).all()
            for invoice_id, _member, total, _state in found:
                half = (total / 2).quantize(Decimal("0.01"))
                for position in (1, 2):
                    lines.append(
                        {
                            "uuid": uuid.uuid4(),
                            "invoice_id": invoice_id,
                            "position": position,
                            "description": f"Training day {position}",
                            "quantity": Decimal("1.00"),
                            "unit_price": (half / Decimal("1.2")).quantize(Decimal("0.01")),
                            "vat_code": "standard",
                            "account_code": "200",
                            "net": (half / Decimal("1.2")).quantize(Decimal("0.01")),
                            "vat": half - (half / Decimal("1.2")).quantize(Decimal("0.01")),
                            **stamp,
                        }
                    )
            session.execute(insert(InvoiceLine), lines)
            issued_rows = [r for r in found if r.state == "issued"]
            paid = issued_rows[::2]
            session.execute(
                insert(Payment),
                [
                    {
                        "uuid": uuid.uuid4(),
                        "customer_id": customer_of[r.member_id],
                        "kind": "receipt",
                        "received_on": date(2025, 10, 1),
                        "amount": r.total,
                        "method": "BACS",
                        "reference": f"BACS {r.id}",
                        **stamp,
                    }
                    for r in paid
                ],
            )
            payment_ids = list(session.execute(select(Payment.id).order_by(Payment.id)).scalars())
            session.execute(
                insert(Allocation),
                [
                    {
                        "uuid": uuid.uuid4(),
                        "invoice_id": r.id,
                        "payment_id": p,
                        "amount": r.total,
                        "allocated_on": date(2025, 10, 1),
                        **stamp,
                    }
                    for r, p in zip(paid, payment_ids, strict=True)
                ],
            )
            session.execute(
                insert(NumberSeries).values(
                    uuid=uuid.uuid4(),
                    kind="invoice",
                    prefix="INV-",
                    next_number=issued + 1,
                    **stamp,
                )
            )
        unpaid = [(r.id, r.member_id, r.total) for r in issued_rows[1::2]]
        rng.shuffle(unpaid)
        return Office(url, unpaid, members, school_ids)
    finally:
        services.close()


def offline_changes(copy: Any, office: Office, run: int) -> dict[str, int]:
    """``CHANGES`` changes through the copy's services: schools renamed, drafts, payments."""
    from thep_desktop.services.invoices.invoice_data import DraftInput, LineInput
    from thep_desktop.services.invoices.payment_data import PaymentInput

    actor = copy.actor
    edits = drafts = payments = 0
    per_kind = CHANGES // 3
    start = run * CHANGES
    for n in range(CHANGES - 2 * per_kind):
        school_id = office.schools[(start + n) % len(office.schools)]
        detail = copy.schools.get_school(actor, school_id)
        copy.schools.update_school(
            actor,
            detail.id,
            detail.version,
            replace(detail.as_input(), name=f"{detail.name[:150]} (renamed offline {run})"),
        )
        edits += 1
    for n in range(per_kind):
        member = office.members[(start + n) % len(office.members)]
        copy.invoices.create_draft(
            actor,
            DraftInput(
                member_id=member,
                invoice_date="2026-11-20",
                reference=f"Offline {run}-{n}",
                lines=(
                    LineInput("Peer review day", "1", "450.00"),
                    LineInput("Training place", "2", "85.00"),
                ),
            ),
        )
        drafts += 1
    for invoice_id, member, total in office.unpaid[run * per_kind : (run + 1) * per_kind]:
        copy.payments.record_payment(
            actor,
            PaymentInput(
                member_id=member,
                received_on="2026-11-21",
                amount=total,
                reference=f"Offline payment {invoice_id}",
                allocations=((invoice_id, total),),
            ),
        )
        payments += 1
    return {"edits": edits, "drafts": drafts, "payments": payments}


@dataclass
class Timed:
    """One call's wall-clock seconds, this process's CPU seconds in it, and the seconds
    spent inside the copy file's reading and writing during it."""

    wall: float = 0.0
    cpu: float = 0.0
    reading: float = 0.0
    writing: float = 0.0


def timed(call: Any) -> tuple[Any, Timed]:
    from thep_desktop.services.offline import offline_copy_file

    with (
        time_calls(offline_copy_file, "read_copy") as reading,
        time_calls(offline_copy_file, "write_copy") as writing,
        time_calls(offline_copy_file, "refresh_copy") as refreshing,
    ):
        cpu = time.process_time()
        started = time.perf_counter()
        result = call()
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu
    return result, Timed(wall, cpu, reading.seconds, writing.seconds + refreshing.seconds)


def one_run(office: Office, folder: Path, run: int) -> dict[str, Any]:
    from thep_desktop.database import Database, sqlite_url
    from thep_desktop.services.backups.database_copy import copy_database
    from thep_desktop.services.offline.offline_service import OfflineService
    from thep_desktop.services.registry import open_services

    plain = folder / f"plain-{run}.sqlite3"
    copied, bare = timed(lambda: copy_database(office.url, sqlite_url(plain)))

    service = OfflineService()
    server = Database(office.url)
    path = folder / f"copy-{run}.sqlite3"
    try:
        _, checkout = timed(lambda: service.checkout(server, path))
        copy, _ = open_services(sqlite_url(path))
        try:
            made = offline_changes(copy, office, run)
        finally:
            copy.close()
        plan, preview = timed(lambda: service.preview(path, server))
        if plan.conflicts or len(plan.send) < CHANGES:
            raise RuntimeError(
                f"the preview found {len(plan.conflicts)} conflicts and {len(plan.send)} "
                f"changes to send for {CHANGES} made"
            )
        result, sync = timed(lambda: service.sync(path, server))
        again, idle = timed(lambda: service.sync(path, server))
    finally:
        server.dispose()
    if again.sent != 0:
        raise RuntimeError(f"the second synchronisation sent {again.sent} changes")
    with Database(path).engine.connect() as conn:
        rows = sum(
            conn.execute(select(func.count()).select_from(t)).scalar_one() for t in _synced_tables()
        )
    for leftover in (plain, path):
        leftover.unlink(missing_ok=True)
    return {
        "bare": bare,
        "bare_rows": copied.rows,
        "checkout": checkout,
        "preview": preview,
        "sync": sync,
        "idle": idle,
        "sent": result.sent,
        "send": len(plan.send),
        "rows": rows,
        **made,
    }


def _synced_tables() -> tuple[Any, ...]:
    from thep_desktop.services.offline.offline_rows import synced_tables

    return synced_tables()


def run(quick: bool) -> list[Figure]:
    from sqlalchemy.engine import make_url

    schools, invoices, repeats = QUICK if quick else FULL
    found = server_url()
    if found is None:
        # Said, not raised: a run of every benchmark goes on with the others.
        print(
            f"  offline: not run; it needs a PostgreSQL server: set {PG_ENV} "
            "(e.g. postgresql://user:pw@127.0.0.1/thep_test)",
            file=sys.stderr,
        )
        return []
    server = make_url(found)
    name = f"thep_bench_offline_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = server.set(database=name).render_as_string(hide_password=False)
        office = build_office(url, schools, invoices)
        with tempfile.TemporaryDirectory(prefix="thep-bench-offline-") as tmp:
            runs = [one_run(office, Path(tmp), n) for n in range(repeats)]
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    group = (
        f"offline copy: {schools:,} schools, {schools:,} members, {invoices:,} invoices on a "
        f"loopback PostgreSQL server, {repeats} runs"
    )
    bare = baseline(
        group, "copy_database of the whole office to a new SQLite file", _of(runs, "bare"), "s"
    )
    checkout = Figure(
        group,
        "checkout of the whole office to a new copy",
        _of(runs, "checkout"),
        "s",
        baseline=bare,
        baseline_name="copy",
        target=f"< {CHECKOUT_SECONDS:g} s",
    )
    checkout.met = checkout.value < CHECKOUT_SECONDS
    made = runs[0]
    sync = Figure(
        group,
        f"sync of {CHANGES} offline changes ({made['edits']} schools renamed, "
        f"{made['drafts']} drafts, {made['payments']} payments: {made['send']} records)",
        _of(runs, "sync"),
        "s",
        baseline=bare,
        baseline_name="copy",
        target=f"< {SYNC_SECONDS:g} s",
    )
    sync.met = sync.value < SYNC_SECONDS
    idle = Figure(
        group,
        "a second sync, with nothing to do",
        _of(runs, "idle"),
        "s",
        baseline=bare,
        baseline_name="copy",
        target=f"< {SYNC_SECONDS:g} s",
    )
    idle.met = idle.value < SYNC_SECONDS
    figures = [checkout, *_parts(group, runs, "checkout", ("writing",))]
    figures += [
        Figure(group, "preview of the sync (before it)", _of(runs, "preview"), "s"),
        *_parts(group, runs, "preview", ("reading",)),
        sync,
        *_parts(group, runs, "sync", ("reading", "writing")),
        idle,
        *_parts(group, runs, "idle", ("reading", "writing")),
        bare,
        Figure(group, "  CPU time of this process in it", _of(runs, "bare", "cpu"), "s"),
        Figure(group, "records in a copy", [int(made["rows"])], ""),
        Figure(group, "rows in the plain copy (every table)", [int(made["bare_rows"])], ""),
    ]
    return figures


_PART_WORDS = {"reading": "reading the copy file", "writing": "writing the copy file"}


def _parts(
    group: str, runs: list[dict[str, Any]], key: str, parts: tuple[str, ...]
) -> list[Figure]:
    """The lines under a measure: the copy file's parts of it, and this process's CPU time
    in it (the rest of the wall-clock time is the server's work, and waiting for a busy
    machine)."""
    wholes = _of(runs, key)
    figures = []
    for part in parts:
        inside, _rest = parts_within(wholes, _of(runs, key, part), f"{key}: {part}")
        figures.append(Figure(group, f"  of which {_PART_WORDS[part]} (same runs)", inside, "s"))
    # Not a part: threads of this process (the driver's) may add to it beyond the wall clock.
    cpu = _of(runs, key, "cpu")
    figures.append(Figure(group, "  CPU time of this process in it (same runs)", cpu, "s"))
    return figures


def _of(runs: list[dict[str, Any]], key: str, part: str = "wall") -> list[float]:
    return [getattr(r[key], part) for r in runs]
