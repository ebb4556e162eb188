"""A chart as plain data: what the dashboard draws on screen (Qt Charts) and the annual report
and school profile print (reportlab's charts), from the same figures.

The services build these from the figures they work out in SQL; a chart never computes.
Each point may name the list behind it (a :class:`Drill`), so a click on a bar on screen
opens the records it counts.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal


class ChartKind(enum.StrEnum):
    BAR = "bar"  # one bar per category; several series side by side
    STACKED = "stacked"  # one bar per category, its series stacked
    PIE = "pie"  # one series; each category a slice


class Unit(enum.StrEnum):
    COUNT = "count"
    MONEY = "money"  # pounds, Decimal to the penny
    PERCENT = "percent"


@dataclass(frozen=True)
class Drill:
    """The list behind a figure: which records, filtered how, titled in words.

    ``kind`` names the list (schools, members, invoices, reviews, actions, bodies,
    appointments); ``filters`` are plain strings the dashboard service reads back to list
    exactly the records the figure counts.
    """

    kind: str
    filters: Mapping[str, str] = field(default_factory=dict)
    title: str = ""

    def key(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        return self.kind, tuple(sorted(self.filters.items()))


@dataclass(frozen=True)
class Series:
    """One series: its name and a value per category of the chart (same order)."""

    name: str
    values: tuple[int | Decimal, ...]
    drills: tuple[Drill | None, ...] = ()  # one per value, or empty


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: Unit = Unit.COUNT
    note: str = ""  # a line under the chart, e.g. "As at 01/12/2026"

    @property
    def is_empty(self) -> bool:
        return not any(v for s in self.series for v in s.values)

    def drill_at(self, series: int, category: int) -> Drill | None:
        drills = self.series[series].drills
        return drills[category] if category < len(drills) else None
