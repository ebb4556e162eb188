"""The dashboard at scale: every figure of every area on the demo borough, and on 25,000
schools with 10,000 invoices.

Two SQLite databases are built: the demo (about 90 schools), and the demo with schools,
members and invoices added in bulk (``benchmarks.dashboard_data``) up to 25,000 schools and
10,000 issued invoices. On each, ``DashboardService.dashboard`` is timed as the Dashboard tab
calls it (one call: all five areas' tiles and charts), and the SQL statements it sends are
counted (``Dashboard.statements``): they must be the same at both sizes.

With ``THEP_TEST_DATABASE_URL`` set, the same is measured on PostgreSQL too (a database of
its own on that server, made and dropped by the run).

The baseline is measured in the same run on the large database: as many plain
``SELECT count(*) FROM school`` round trips as the dashboard sends statements, i.e. the
cost of talking to the database at all, without any of the dashboard's work.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from benchmarks.harness import Figure, baseline

FULL = (25_000, 10_000, 7)  # schools, issued invoices, runs
QUICK = (2_500, 1_000, 3)
TARGETS = {"demo": 0.3, "large": 1.0}
PG_ENV = "THEP_TEST_DATABASE_URL"  # the server to measure PostgreSQL on too, if set


def build(folder: Path, schools: int, invoices: int) -> tuple[Path, Path]:
    """The demo database, and a copy of it filled up to ``schools`` and ``invoices``."""
    from benchmarks.dashboard_data import add_office
    from thep_desktop.database import Database
    from thep_desktop.domain.invoices import InvoiceKind, InvoiceState
    from thep_desktop.domain.roles import Role
    from thep_desktop.models import Invoice, School
    from thep_desktop.services.demo.demo_service import DemoService
    from thep_desktop.services.shared.actor import Actor

    demo = folder / "demo.sqlite3"
    db = Database(demo)
    db.upgrade(create=True)
    DemoService(db).load(Actor("bench", Role.ADMIN))
    with db.read_session() as session:
        have_schools = session.scalar(select(func.count(School.id))) or 0
        have_invoices = (
            session.scalar(
                select(func.count(Invoice.id)).where(
                    Invoice.kind == InvoiceKind.INVOICE, Invoice.state == InvoiceState.ISSUED
                )
            )
            or 0
        )
    db.dispose()
    large = folder / "large.sqlite3"
    shutil.copyfile(demo, large)
    db = Database(large)
    add_office(
        db,
        max(schools - have_schools, 0),
        max(invoices - have_invoices, 0),
        today=date.today(),
    )
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    db.dispose()
    return demo, large


def measure(path: Path | str, repeats: int) -> tuple[list[float], int, int, int]:
    """The dashboard's times, its statement count, and the schools and invoices it saw."""
    from thep_desktop.database import Database
    from thep_desktop.domain.invoices import InvoiceKind, InvoiceState
    from thep_desktop.domain.roles import Role
    from thep_desktop.models import Invoice, School
    from thep_desktop.services.dashboard.dashboard_service import DashboardService
    from thep_desktop.services.shared.actor import Actor

    db = Database(path)
    service = DashboardService(db)
    actor = Actor("bench", Role.ADMIN)
    with db.read_session() as session:
        schools = session.scalar(select(func.count(School.id))) or 0
        invoices = (
            session.scalar(
                select(func.count(Invoice.id)).where(
                    Invoice.kind == InvoiceKind.INVOICE, Invoice.state == InvoiceState.ISSUED
                )
            )
            or 0
        )
    statements = service.dashboard(actor).statements  # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        found = service.dashboard(actor)
        times.append(time.perf_counter() - started)
        if found.statements != statements:
            raise RuntimeError("the dashboard sent a different number of statements")
    db.dispose()
    return times, statements, schools, invoices


def round_trips(path: Path | str, statements: int, repeats: int) -> list[float]:
    """``statements`` plain count queries in one read session, as the dashboard's call has."""
    from thep_desktop.database import Database

    db = Database(path)
    times = []
    for _ in range(repeats + 1):
        started = time.perf_counter()
        with db.read_session() as session:
            for _n in range(statements):
                session.execute(text("SELECT count(*) FROM school")).scalar()
        times.append(time.perf_counter() - started)
    db.dispose()
    return times[1:]


def on_server(url: str, schools: int, invoices: int, repeats: int) -> tuple[Any, Any, list[float]]:
    """The same on a database of its own on the PostgreSQL server (made and dropped here):
    the demo measured, then filled up in place and measured again."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from benchmarks.dashboard_data import add_office
    from thep_desktop.database import Database
    from thep_desktop.domain.roles import Role
    from thep_desktop.models import School
    from thep_desktop.services.demo.demo_service import DemoService
    from thep_desktop.services.shared.actor import Actor

    server = make_url(url)
    name = f"thep_bench_dashboard_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        address = server.set(database=name).render_as_string(hide_password=False)
        db = Database(address)
        db.upgrade(create=True)
        DemoService(db).load(Actor("bench", Role.ADMIN))
        db.dispose()
        small = measure(address, repeats)
        db = Database(address)
        with db.read_session() as session:
            have = session.scalar(select(func.count(School.id))) or 0
        add_office(db, max(schools - have, 0), max(invoices - small[3], 0), today=date.today())
        with db.engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
        db.dispose()
        big = measure(address, repeats)
        bare = round_trips(address, big[1], repeats)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return small, big, bare


def figures(
    where: str, small: Any, big: Any, bare_times: list[float], repeats: int
) -> list[Figure]:
    group = (
        f"dashboard: every area, demo ({small[2]:,} schools, {small[3]:,} invoices) then "
        f"{big[2]:,} schools and {big[3]:,} invoices, {where}, {repeats} runs"
    )
    bare = baseline(group, f"{big[1]} plain count(*) round trips", bare_times, "s")
    return [
        Figure(
            group,
            "dashboard on the demo",
            small[0],
            "s",
            baseline=bare,
            baseline_name="round trips",
            target=f"< {TARGETS['demo']:g} s",
            met=sorted(small[0])[len(small[0]) // 2] < TARGETS["demo"],
        ),
        Figure(
            group,
            f"dashboard on {big[2]:,} schools, {big[3]:,} invoices",
            big[0],
            "s",
            baseline=bare,
            baseline_name="round trips",
            target=f"< {TARGETS['large']:g} s",
            met=sorted(big[0])[len(big[0]) // 2] < TARGETS["large"],
        ),
        bare,
        Figure(
            group,
            f"SQL statements ({small[1]} on the demo)",
            [big[1]],
            "",
            target="same as on the demo",
            met=big[1] == small[1],
        ),
    ]


def run(quick: bool) -> list[Figure]:
    schools, invoices, repeats = QUICK if quick else FULL
    with tempfile.TemporaryDirectory(prefix="thep-bench-dashboard-") as tmp:
        demo, large = build(Path(tmp), schools, invoices)
        small = measure(demo, repeats)
        big = measure(large, repeats)
        bare_times = round_trips(large, big[1], repeats)
    found = figures("SQLite", small, big, bare_times, repeats)
    url = os.environ.get(PG_ENV)
    if not url:
        print(
            f"  dashboard: PostgreSQL not measured; set {PG_ENV} to measure it too",
            file=sys.stderr,
        )
        return found
    from thep_desktop.database import normalise_url

    return found + figures(
        "PostgreSQL (loopback)",
        *on_server(normalise_url(url), schools, invoices, repeats),
        repeats,
    )
