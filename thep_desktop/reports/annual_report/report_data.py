"""The annual report as plain data: per section its narrative, figures, charts and tables.

The service fills it from the office's narrative and the dashboard's figures for the
year's last day (or today while the year is still running); the PDF and the xlsx appendix
only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from thep_desktop.domain.dates import format_date
from thep_desktop.reports.shared.chart_data import Chart, Unit

# A table's column kinds (as reports/shared/spreadsheet.py knows them).
TEXT, COUNT, MONEY, DATE = "text", "count", "money", "date"
PENNY = Decimal("0.01")


def value_words(value: int | Decimal, unit: Unit) -> str:
    """A figure as the report prints it: 1,234 / £1,234.50 / 45.2%."""
    if unit is Unit.MONEY:
        amount = Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)
        sign = "-" if amount < 0 else ""
        return f"{sign}£{abs(amount):,.2f}"
    if unit is Unit.PERCENT:
        return f"{Decimal(value).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
    return f"{int(value):,}"


def cell_words(value: object, kind: str) -> str:
    """A table cell as text: dates dd/mm/yyyy, money £1,234.50, counts with separators."""
    if value is None or value == "":
        return ""
    if kind == DATE and isinstance(value, date):
        return format_date(value)
    if kind == MONEY and isinstance(value, int | Decimal):
        return value_words(value, Unit.MONEY)
    if kind == COUNT and isinstance(value, int):
        return f"{value:,}"
    return str(value)


@dataclass(frozen=True)
class Figure:
    """One figure of a section: what it counts, its value in words, and a line about it."""

    key: str  # the dashboard tile's key, e.g. "membership.full_members"
    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True)
class ReportTable:
    """A table behind a section: typed rows (date, Decimal, int, str) and each column's kind."""

    title: str
    columns: tuple[str, ...]
    kinds: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    note: str = ""

    def cells(self) -> list[list[str]]:
        return [
            [cell_words(v, k) for v, k in zip(row, self.kinds, strict=True)] for row in self.rows
        ]


@dataclass(frozen=True)
class ReportSection:
    key: str  # domain.annual_report.SECTIONS' key
    heading: str
    narrative: str
    figures: tuple[Figure, ...] = ()
    charts: tuple[Chart, ...] = ()
    tables: tuple[ReportTable, ...] = ()
    empty_words: str = ""  # "No records for 2019/20." when the year has none of this section's

    @property
    def paragraphs(self) -> list[str]:
        """The narrative's paragraphs: blank lines separate them."""
        parts: list[str] = []
        current: list[str] = []
        for line in self.narrative.replace("\r\n", "\n").split("\n"):
            if line.strip():
                current.append(line.rstrip())
            elif current:
                parts.append("\n".join(current))
                current = []
        if current:
            parts.append("\n".join(current))
        return parts


@dataclass(frozen=True)
class AnnualReportData:
    year_label: str  # "2025/26"
    title: str  # "Annual report to the Advisory Council 2025/26" unless the office named it
    organisation: str
    as_at: date  # the day the figures describe
    final: bool
    finalised_on: date | None
    finalised_by: str
    sections: tuple[ReportSection, ...]
    made_on: date
    year_ends_on: date | None = None  # the year's last day (31 August)

    @property
    def status_line(self) -> str:
        if self.final and self.finalised_on is not None:
            return f"Final, approved on {format_date(self.finalised_on)} by {self.finalised_by}"
        return "Draft: not yet approved"

    @property
    def figures_line(self) -> str:
        line = f"Figures as at {format_date(self.as_at)}."
        if self.year_ends_on is not None and self.as_at < self.year_ends_on:
            line += f" The year runs to {format_date(self.year_ends_on)}: they may still change."
        return line

    def tables(self) -> list[tuple[ReportSection, ReportTable]]:
        return [(s, t) for s in self.sections for t in s.tables]
