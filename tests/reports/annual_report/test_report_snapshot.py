"""A final report's figures kept as JSON read back exactly: every value of its own type."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from thep_desktop.reports.annual_report.report_data import Figure, ReportSection, ReportTable
from thep_desktop.reports.annual_report.report_snapshot import (
    SnapshotError,
    sections_from_json,
    sections_to_json,
)
from thep_desktop.reports.shared.chart_data import Chart, ChartKind, Drill, Series, Unit

SECTIONS = (
    ReportSection("introduction", "Introduction", "Line one\n\nLine two <b>as written</b>"),
    ReportSection(
        "finances",
        "Finances",
        "=SUM(A1) stays text",
        figures=(Figure("money.invoiced", "Fees invoiced", "£41,250.50", "last year £0.00"),),
        charts=(
            Chart(
                "money.aged_debt",
                "Aged debt",
                ChartKind.STACKED,
                ("Not yet due", "Over 90 days"),
                (
                    Series(
                        "Owed",
                        (Decimal("1200.00"), Decimal("-0.10")),
                        (Drill("invoices", {"bucket": "current"}, "Not yet due"), None),
                    ),
                    Series("Count", (3, 0)),
                ),
                Unit.MONEY,
                "As at 31/08/2026",
            ),
        ),
        tables=(
            ReportTable(
                "Invoices overdue",
                ("Number", "Issued", "Due", "Amount", "Paid on", "Part"),
                ("text", "date", "date", "money", "date", "count"),
                (
                    ("INV-0001", date(2025, 9, 1), date(2025, 10, 1), Decimal("99.99"), None, 1),
                    ("St Mary & St John", date(2026, 2, 28), None, Decimal("0"), None, 0),
                    ("Logged", datetime(2026, 3, 1, 9, 30), None, Decimal("1E+2"), "", 2),
                ),
                "Overdue on 31/08/2026",
            ),
        ),
    ),
    ReportSection("governance", "Governance", "", empty_words="No records for 2025/26."),
)


def test_the_sections_read_back_equal_and_of_the_same_types() -> None:
    back = sections_from_json(sections_to_json(SECTIONS))
    assert back == SECTIONS
    table = back[1].tables[0]
    kinds = [[type(v) for v in row] for row in table.rows]
    assert kinds == [[type(v) for v in row] for row in SECTIONS[1].tables[0].rows]
    assert str(table.rows[2][3]) == "1E+2"  # a Decimal keeps its exponent
    chart = back[1].charts[0]
    assert chart.kind is ChartKind.STACKED and chart.unit is Unit.MONEY
    assert [type(v) for v in chart.series[1].values] == [int, int]
    assert chart.drill_at(0, 0) == Drill("invoices", {"bucket": "current"}, "Not yet due")
    assert chart.drill_at(0, 1) is None


def test_the_text_is_json_with_no_float_and_words_as_written() -> None:
    text = sections_to_json(SECTIONS)
    kept = json.loads(text, parse_float=lambda v: pytest.fail(f"a float was written: {v}"))
    assert kept["version"] == 1
    assert "£41,250.50" in text and "<b>as written</b>" in text  # not escaped away


def test_figures_kept_by_another_version_are_refused_in_words() -> None:
    with pytest.raises(SnapshotError, match="another version of the program"):
        sections_from_json(json.dumps({"version": 2, "sections": []}))
