"""The dashboard's figures as plain data: tiles, charts, and the list behind any figure.

:class:`Dashboard` is what ``DashboardService.dashboard`` returns: every tile's figure and
every chart's series, worked out in SQL in a fixed number of statements (``statements``
says how many it took, the same on 90 schools or 25,000). ``figures()`` is the JSON of
``thep-admin dashboard --json``: snake_case keys, ISO dates, money as strings with two
decimals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.reports.shared.chart_data import Chart, Drill, Unit

# The dashboard's areas, in the order the tab shows them: (key, heading).
AREAS: tuple[tuple[str, str], ...] = (
    ("membership", "Membership"),
    ("inspection", "Inspection"),
    ("money", "Money"),
    ("peer_review", "Peer review"),
    ("governance", "Governance"),
)


@dataclass(frozen=True)
class Tile:
    """One figure on a tile: its JSON key, its area, its words, and the list behind it."""

    key: str
    area: str
    label: str
    value: int | Decimal
    unit: Unit = Unit.COUNT
    detail: str = ""  # a line under the figure, e.g. "last year £41,250.00"
    drill: Drill | None = None
    warn: bool = False  # something to act on (said in words in ``detail`` too)


@dataclass(frozen=True)
class Dashboard:
    as_at: date
    year: AcademicYear  # the academic year ``as_at`` falls in
    inspection_years: int  # "inspections older than" this many years
    tiles: tuple[Tile, ...]
    charts: tuple[Chart, ...]
    statements: int  # SQL statements it took

    @property
    def is_empty(self) -> bool:
        """True when the database holds no school and no member: nothing to show yet."""
        return not any(t.value for t in self.tiles)

    def tile(self, key: str) -> Tile:
        for tile in self.tiles:
            if tile.key == key:
                return tile
        raise KeyError(key)

    def chart(self, key: str) -> Chart:
        for chart in self.charts:
            if chart.key == key:
                return chart
        raise KeyError(key)

    def in_area(self, area: str) -> tuple[tuple[Tile, ...], tuple[Chart, ...]]:
        """The tiles and charts of one area (charts' keys start with the area's key)."""
        return (
            tuple(t for t in self.tiles if t.area == area),
            tuple(c for c in self.charts if c.key.startswith(area + ".")),
        )

    def figures(self) -> dict[str, Any]:
        """Every figure behind the tiles and charts, JSON-ready."""
        out: dict[str, Any] = {
            "as_at": self.as_at.isoformat(),
            "academic_year": self.year.label,
            "inspection_years": self.inspection_years,
        }
        for area, _heading in AREAS:
            tiles, charts = self.in_area(area)
            out[area] = {
                **{t.key.split(".", 1)[1]: json_value(t.value, t.unit) for t in tiles},
                **{
                    c.key.split(".", 1)[1]: {
                        snake(s.name): dict(
                            zip(
                                (snake(x) for x in c.categories),
                                (json_value(v, c.unit) for v in s.values),
                                strict=True,
                            )
                        )
                        for s in c.series
                    }
                    for c in charts
                },
            }
        return out


def snake(words: str) -> str:
    """Words as a snake_case key: "Requires improvement" -> "requires_improvement"."""
    out = []
    for ch in words.casefold():
        out.append(ch if ch.isalnum() else "_")
    return "_".join(p for p in "".join(out).split("_") if p)


def json_value(value: int | Decimal, unit: Unit) -> int | str | float:
    if unit is Unit.MONEY:
        return f"{Decimal(value):.2f}"
    if unit is Unit.PERCENT:
        return f"{Decimal(value):.1f}"
    return int(value)


@dataclass(frozen=True)
class DrillRow:
    """One record behind a figure: its id in its own table, its school's URN if any, and
    its cells as the list shows them (sort keys alongside, for the table's sorting)."""

    record_id: int
    urn: int | None
    cells: tuple[str, ...]
    sort_keys: tuple[Any, ...]


@dataclass(frozen=True)
class DrillList:
    title: str
    kind: str
    columns: tuple[str, ...]
    rows: tuple[DrillRow, ...]
