"""The fee quote for a year: every member's fee with its working, for 1,000 members.

A temporary SQLite register of 1,000 schools, each a full member (admitted on various dates
since 2016, some joining in the year, some under notice, some that left), with two January
censuses of pupil figures each, a few associate members, and the 2025/26 fee schedule. Five
runs of ``services.fees.quote_year`` in this process, taking turns with the baseline: the
Schools tab's read of the same 1,000 schools (``services.schools.list_schools``). The SQL
statements one quote sends are counted too: they must not grow with the members.
"""

from __future__ import annotations

import random
import tempfile
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, event, insert

from benchmarks.harness import Figure, baseline
from benchmarks.school_data import make_register_file

FULL_MEMBERS, QUICK_MEMBERS = 1000, 200
FULL_REPEATS, QUICK_REPEATS = 5, 2
ASSOCIATES = 12
YEAR = "2025/26"
TARGET_SECONDS = 0.5


def fill_members(path: Path, schools: int) -> None:
    """Members, their periods, census figures and the year's schedule, in bulk inserts."""
    from thep_desktop.database import Database
    from thep_desktop.models import (
        FeeSchedule,
        Member,
        MembershipPeriod,
        SchoolCensus,
    )
    from thep_desktop.models.base import utcnow

    rng = random.Random(11)
    now = utcnow()
    audit = {
        "created_at": now,
        "created_by": "bench",
        "updated_at": now,
        "updated_by": "bench",
        "version": 1,
    }
    db = Database(path)
    try:
        with db.session() as session:
            session.execute(
                insert(SchoolCensus),
                [
                    {
                        "uuid": uuid.uuid4(),
                        "school_id": school_id,
                        "census_date": census,
                        "pupils": rng.randint(40, 1800),
                        "source": "bench",
                        **audit,
                    }
                    for school_id in range(1, schools + 1)
                    for census in (date(2024, 1, 18), date(2025, 1, 16))
                ],
            )
            members = [
                {"uuid": uuid.uuid4(), "kind": "school", "school_id": i, "name": "", **audit}
                for i in range(1, schools + 1)
            ] + [
                {
                    "uuid": uuid.uuid4(),
                    "kind": "organisation",
                    "school_id": None,
                    "name": f"Associate {i}",
                    "address": f"{i} Bow Road\nLondon",
                    **audit,
                }
                for i in range(ASSOCIATES)
            ]
            session.execute(insert(Member), members)
            periods = []
            for member_id in range(1, len(members) + 1):
                admitted = date(2016, 9, 1) + timedelta(days=rng.randint(0, 3500))
                ends = None
                notice = None
                if member_id % 10 == 0:  # under notice, leaving during the year
                    notice = date(2025, rng.randint(1, 8), 1)
                    admitted = min(admitted, date(2024, 9, 2))
                    ends = notice.replace(year=2026)
                elif member_id % 37 == 0:  # left before the year
                    ends = date(2024, 9, 1)
                    admitted = min(admitted, date(2020, 1, 6))
                periods.append(
                    {
                        "uuid": uuid.uuid4(),
                        "member_id": member_id,
                        "category": "full" if member_id <= schools else "associate",
                        "applied_on": admitted - timedelta(days=30),
                        "admitted_on": admitted,
                        "notice_received_on": notice,
                        "ends_on": ends,
                        "guarantee": Decimal("25.00"),
                        "supports_aims": True,
                        "agrees_to_pay_fee": True,
                        **audit,
                    }
                )
            session.execute(insert(MembershipPeriod), periods)
            session.execute(
                insert(FeeSchedule),
                [
                    {
                        "uuid": uuid.uuid4(),
                        "academic_year": 2025,
                        "rate_per_pupil": Decimal("5.00"),
                        "associate_fee": Decimal("250.00"),
                        "census_date": date(2025, 1, 16),
                        "pro_rating": "months",
                        **audit,
                    }
                ],
            )
    finally:
        db.dispose()


def run(quick: bool) -> list[Figure]:
    from thep_desktop.database import sqlite_url
    from thep_desktop.services.registry import open_services
    from thep_desktop.services.shared.actor import local_actor

    members = QUICK_MEMBERS if quick else FULL_MEMBERS
    repeats = QUICK_REPEATS if quick else FULL_REPEATS
    with tempfile.TemporaryDirectory(prefix="thep-bench-fees-") as tmp:
        path = make_register_file(Path(tmp) / "register.sqlite3", members)
        fill_members(path, members)
        services, _note = open_services(sqlite_url(path), local_actor())
        try:
            actor = services.actor
            services.fees.quote_year(actor, YEAR)  # warm-up: imports, statement cache
            services.schools.list_schools(actor)
            quote_times: list[float] = []
            list_times: list[float] = []
            for _ in range(repeats):
                started = time.perf_counter()
                quote = services.fees.quote_year(actor, YEAR)
                quote_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                rows = services.schools.list_schools(actor)
                list_times.append(time.perf_counter() - started)
            statements: list[str] = []

            def count(*_args: object) -> None:
                statements.append("")

            event.listen(Engine, "before_cursor_execute", count)
            try:
                services.fees.quote_year(actor, YEAR)
            finally:
                event.remove(Engine, "before_cursor_execute", count)
        finally:
            services.close()
    if len(rows) != members or len(quote.quotes) < members * 0.9:
        raise RuntimeError(f"quoted {len(quote.quotes)} members, listed {len(rows)} schools")
    group = (
        f"fee quote: {YEAR}, {members:,} full members and {ASSOCIATES} associates, "
        f"{repeats} runs in turn"
    )
    bare = baseline(group, f"list the {members:,} schools (Schools tab)", list_times, "s")
    median = sorted(quote_times)[len(quote_times) // 2]
    return [
        Figure(
            group,
            f"quote_year: every fee with its working (total {quote.total:,.2f})",
            quote_times,
            "s",
            baseline=bare,
            baseline_name="list",
            target=f"< {TARGET_SECONDS} s",
            met=median < TARGET_SECONDS,
        ),
        bare,
        Figure(group, "SQL statements for one quote", [len(statements)], "", target="a handful"),
    ]
