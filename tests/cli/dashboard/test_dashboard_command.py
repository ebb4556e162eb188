"""``thep-admin dashboard``: the dashboard's figures as text and JSON, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from read_only_databases import make_read_only

from thep_desktop.cli.admin import main
from thep_desktop.database import Database
from thep_desktop.services.dashboard.dashboard_service import DashboardService
from thep_desktop.services.invoices.aged_debt_service import AgedDebtService
from thep_desktop.services.memberships.members_service import MembersService
from thep_desktop.services.shared.actor import Actor, Role

ACTOR = Actor("jo.bloggs", Role.ADMIN)
MONEY = re.compile(r"^-?\d+\.\d{2}$")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_holds_every_figure_in_the_conventions(
    capsys: pytest.CaptureFixture[str], demo_db: str
) -> None:
    day = date.today() - timedelta(days=20)
    code, out, err = run(
        capsys, "dashboard", "--as-at", day.strftime("%d/%m/%Y"), "--json", "--db", demo_db
    )
    assert (code, err) == (0, "")
    figures = json.loads(out)
    assert figures["as_at"] == day.isoformat()
    assert figures["inspection_years"] == 4
    assert set(figures) >= {"membership", "inspection", "money", "peer_review", "governance"}
    membership, money = figures["membership"], figures["money"]
    db = Database(demo_db)
    try:
        summary = MembersService(db).summary(ACTOR, day)
        aged = AgedDebtService(db).aged_debt(ACTOR, day)
        expected = DashboardService(db).dashboard(ACTOR, day).figures()
    finally:
        db.dispose()
    assert figures == json.loads(json.dumps(expected))
    assert membership["full_members"] == summary.full_members > 0
    assert membership["associate_members"] == summary.associate_members > 0
    assert re.fullmatch(r"\d+\.\d", membership["share_of_schools"])
    for key in ("invoiced_this_year", "paid_this_year", "outstanding", "overdue"):
        assert MONEY.match(money[key]), key
    owed = sum((r.total for r in aged.rows), Decimal("0.00"))
    assert money["outstanding"] == f"{owed:.2f}"
    buckets = money["aged_debt"]["owed"]
    assert list(buckets) == ["current", "1_30_days", "31_60_days", "61_90_days", "over_90_days"]
    assert sum(Decimal(v) for v in buckets.values()) == owed
    assert set(money["income_by_kind"]["invoiced"]) >= {"membership_fees", "traded_services"}
    assert len(membership["movement"]["joined"]) == 6
    # snake_case keys all the way down
    keys: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                keys.append(key)
                walk(inner)

    walk(figures)
    assert all(re.fullmatch(r"[a-z0-9_]+", k) for k in keys), keys


def test_text_shows_each_area_its_tiles_and_charts(
    capsys: pytest.CaptureFixture[str], demo_db: str
) -> None:
    code, out, err = run(capsys, "dashboard", "--db", demo_db)
    assert (code, err) == (0, "")
    assert out.startswith(f"Dashboard as at {date.today():%d/%m/%Y} (academic year ")
    assert "\nMembership\n==========\n" in out and "\nMoney\n=====\n" in out
    db = Database(demo_db)
    try:
        found = DashboardService(db).dashboard(ACTOR)
    finally:
        db.dispose()
    full = found.tile("membership.full_members").value
    assert re.search(rf"^Full members +{full} +a year ago", out, re.M)
    outstanding = found.tile("money.outstanding").value
    assert re.search(rf"^Outstanding +£{outstanding:,.2f} +owed on", out, re.M)
    assert re.search(r"^Overdue +£[\d,]+\.\d\d +\(!\) past due", out, re.M)
    assert re.search(r"^Share of the borough's open schools +\d+\.\d%", out, re.M)
    assert "Members by category and phase" in out and "Aged debt" in out
    assert re.search(r"^Over 90 days +£[\d,]+\.\d\d$", out, re.M)


def test_an_empty_database_says_so_and_gives_noughts(
    capsys: pytest.CaptureFixture[str], migrated_db: str
) -> None:
    code, out, err = run(capsys, "dashboard", "--db", migrated_db)
    assert (code, err) == (0, "")
    assert "The database holds no schools or members yet" in out
    code, out, err = run(capsys, "dashboard", "--json", "--db", migrated_db)
    figures = json.loads(out)
    assert figures["membership"]["full_members"] == 0
    assert figures["money"]["outstanding"] == "0.00"


def test_bad_input_is_refused_on_stderr(
    capsys: pytest.CaptureFixture[str], migrated_db: str
) -> None:
    code, out, err = run(capsys, "dashboard", "--inspection-years", "0", "--db", migrated_db)
    assert (code, out) == (1, "")
    assert "Choose between 1 and 20 years" in err
    code, out, err = run(capsys, "dashboard", "--as-at", "31/02/2026", "--db", migrated_db)
    assert (code, out) == (2, "")
    assert "--as-at" in err and "31/02/2026" in err and "not a real date" in err


def test_a_database_this_user_may_only_read_shows_the_dashboard(
    capsys: pytest.CaptureFixture[str], demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A governor with read-only access sees the same figures (last in the module: the
    demo database stays read-only after it, and the tests before it only read)."""
    code, before, err = run(capsys, "dashboard", "--json", "--db", demo_db)
    assert (code, err) == (0, "")
    make_read_only(demo_db, monkeypatch)
    code, out, err = run(capsys, "dashboard", "--json", "--db", demo_db)
    assert code == 0 and "Traceback" not in err
    assert json.loads(out) == json.loads(before)
