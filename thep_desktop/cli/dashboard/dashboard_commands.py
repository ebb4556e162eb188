"""``thep-admin dashboard``: every figure behind the dashboard's tiles and charts, as at a day."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from typing import TextIO

from thep_desktop.cli.shared.output import Column, parse_date, write_json, write_table
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import money
from thep_desktop.reports.shared.chart_data import Chart, Unit
from thep_desktop.services.dashboard.dashboard_data import AREAS, Dashboard, Tile
from thep_desktop.services.dashboard.dashboard_service import DEFAULT_INSPECTION_YEARS
from thep_desktop.services.registry import Services


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    dashboard = commands.add_parser(
        "dashboard",
        parents=[common],
        help="every figure behind the dashboard's tiles and charts",
        description="Every figure behind the dashboard's tiles and charts as at a day (today "
        "unless --as-at is given): members by category and phase, joining and leaving, the "
        "share of the borough's schools and pupils; Ofsted outcomes and old inspections; "
        "fees invoiced and paid this academic year against the same span of last year, "
        "aged debt and income by kind; peer review coverage; governance actions, meetings "
        "and director terms. Each figure is worked out by the database in the same few "
        "queries however large the register.",
    )
    dashboard.add_argument(
        "--as-at",
        metavar="DATE",
        type=parse_date,
        help="the day the figures describe (2026-01-15 or 15/01/2026; default today)",
    )
    dashboard.add_argument(
        "--inspection-years",
        metavar="N",
        type=int,
        default=DEFAULT_INSPECTION_YEARS,
        help="count an inspection as old after this many years (1 to 20; default "
        f"{DEFAULT_INSPECTION_YEARS})",
    )
    dashboard.add_argument("--json", action="store_true", help="print JSON instead of text")
    dashboard.set_defaults(run=show_dashboard, database="existing")


def show_dashboard(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    found = services.dashboard.dashboard(
        services.actor, args.as_at, inspection_years=args.inspection_years
    )
    if args.json:
        write_json(found.figures(), out)
        return 0
    write_dashboard(found, out)
    return 0


def figure_words(value: int | Decimal, unit: Unit) -> str:
    """A figure as the dashboard shows it: £1,234.50, 87.2%, 1,234."""
    if unit is Unit.MONEY:
        return money(Decimal(value))
    if unit is Unit.PERCENT:
        return f"{Decimal(value):.1f}%"
    return f"{int(value):,}"


def write_dashboard(found: Dashboard, out: TextIO) -> None:
    out.write(
        f"Dashboard as at {format_date(found.as_at)} (academic year {found.year.label}); "
        f"inspections count as old after {found.inspection_years} years.\n"
    )
    if found.is_empty:
        out.write("The database holds no schools or members yet: every figure is nought.\n")
    for area, heading in AREAS:
        tiles, charts = found.in_area(area)
        if not tiles and not charts:
            continue
        out.write(f"\n{heading}\n{'=' * len(heading)}\n")
        if tiles:
            _write_tiles(tiles, out)
        for chart in charts:
            _write_chart(chart, out)


def _write_tiles(tiles: tuple[Tile, ...], out: TextIO) -> None:
    write_table(
        [Column("Figure"), Column("Value", right=True), Column("")],
        [
            (
                tile.label,
                figure_words(tile.value, tile.unit),
                ("(!) " if tile.warn else "") + tile.detail,
            )
            for tile in tiles
        ],
        out,
    )


def _write_chart(chart: Chart, out: TextIO) -> None:
    out.write(f"\n{chart.title}")
    out.write(f" ({chart.note})\n" if chart.note else "\n")
    if not chart.categories:
        out.write("  nothing to show\n")
        return
    write_table(
        [Column("")] + [Column(s.name, right=True) for s in chart.series],
        [
            (category, *(figure_words(s.values[n], chart.unit) for s in chart.series))
            for n, category in enumerate(chart.categories)
        ],
        out,
    )
