"""Charts drawn for print: the drawing holds exactly the chart's figures, in its own kind."""

from __future__ import annotations

from decimal import Decimal

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing

from thep_desktop.reports.shared.chart_data import Chart, ChartKind, Series, Unit
from thep_desktop.reports.shared.charts_pdf import PALETTE, axis_top, axis_words, chart_drawing


def _part(drawing: Drawing, kind: type) -> object:
    found = [c for c in drawing.contents if isinstance(c, kind)]
    assert len(found) == 1, drawing.contents
    return found[0]


def test_a_stacked_bar_chart_holds_each_series_stacked_with_a_legend() -> None:
    chart = Chart(
        "membership.by_category_and_phase",
        "Members by category and phase",
        ChartKind.STACKED,
        ("Primary", "Secondary", "Not a school"),
        (Series("Full", (51, 12, 0)), Series("Associate", (0, 0, 3))),
    )
    drawing = chart_drawing(chart)
    bars = _part(drawing, VerticalBarChart)
    assert bars.data == [[51.0, 12.0, 0.0], [0.0, 0.0, 3.0]]
    assert bars.categoryAxis.categoryNames == ["Primary", "Secondary", "Not a school"]
    assert bars.categoryAxis.style == "stacked"
    legend = _part(drawing, Legend)
    assert [name for _colour, name in legend.colorNamePairs] == ["Full", "Associate"]
    assert bars.bars[0].fillColor == PALETTE[0] and bars.bars[1].fillColor == PALETTE[1]
    assert renderPDF.drawToString(drawing).startswith(b"%PDF")


def test_money_bars_read_in_pounds_and_long_names_are_drawn_across() -> None:
    chart = Chart(
        "inspection.by_outcome",
        "Member schools by latest Ofsted outcome",
        ChartKind.BAR,
        ("Good", "Report card: every area expected standard or better"),
        (Series("Owed", (Decimal("1200.50"), Decimal("350.75"))),),
        Unit.MONEY,
    )
    drawing = chart_drawing(chart)
    bars = _part(drawing, HorizontalBarChart)
    assert bars.data == [[1200.5, 350.75]]
    assert bars.valueAxis.labelTextFormat(2500) == "£2,500"
    assert axis_words(45.0, Unit.PERCENT) == "45%"
    assert renderPDF.drawToString(drawing).startswith(b"%PDF")


def test_a_pie_holds_one_slice_per_category_named_with_its_share() -> None:
    chart = Chart(
        "money.income_by_kind",
        "Income by kind",
        ChartKind.PIE,
        ("Membership fees", "Traded services"),
        (Series("Income", (Decimal("75000.00"), Decimal("25000.00"))),),
        Unit.MONEY,
    )
    drawing = chart_drawing(chart)
    pie = _part(drawing, Pie)
    assert pie.data == [75000.0, 25000.0]
    names = [name for _colour, name in _part(drawing, Legend).colorNamePairs]
    assert names == ["Membership fees: £75,000.00 (75%)", "Traded services: £25,000.00 (25%)"]


def test_every_kind_of_chart_prints_in_the_letters_font_alone() -> None:
    """No Helvetica named in the PDF: reportlab's renderer starts in it unless told."""
    charts = [
        Chart("a", "Bars", ChartKind.BAR, ("One", "Two"), (Series("Schools", (3, 4)),)),
        Chart("b", "Stacked", ChartKind.STACKED, ("One",), (Series("A", (1,)), Series("B", (2,)))),
        Chart("c", "Pie", ChartKind.PIE, ("One", "Two"), (Series("Share", (1, 1)),)),
        Chart("d", "Empty pie", ChartKind.PIE, ("One",), (Series("Share", (0,)),)),
    ]
    for chart in charts:
        printed = renderPDF.drawToString(chart_drawing(chart))
        assert b"Carlito" in printed and b"Helvetica" not in printed, chart.title


def test_the_value_axis_ends_a_round_step_above_the_tallest_bar() -> None:
    assert axis_top(50) == (60, 10)  # a bar at a round number still shows its top
    assert axis_top(47) == (50, 10)
    assert axis_top(5) == (6, 1)
    assert axis_top(38250.5) == (40000, 10000)
    assert axis_top(0.4) == (0.5, 0.1)
    assert axis_top(0.3)[0] > 0.35
    chart = Chart(
        "membership.by_category_and_phase",
        "Members by category and phase",
        ChartKind.BAR,
        ("Nursery", "Primary", "Secondary"),
        (Series("Full", (4, 50, 12)),),
    )
    bars = _part(chart_drawing(chart), VerticalBarChart)
    assert (bars.valueAxis.valueMin, bars.valueAxis.valueMax) == (0, 60)
    assert bars.valueAxis.valueStep == 10
