"""A chart (reports/shared/chart_data.py) drawn for print: a reportlab ``Drawing``.

Bars and stacked bars are reportlab's ``VerticalBarChart``, slices its ``Pie``; the colours
are the Okabe–Ito palette, told apart by people with any common colour blindness, and each
chart carries a legend naming its series (bars) or categories (slices). Money axes read in
pounds. The drawing is sized for an A4 page's text width and placed like any flowable.
"""

from __future__ import annotations

import math
import textwrap
from decimal import Decimal

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.units import mm

from thep_desktop.reports.letters.letter_text import FONT, GREY, INK, register_fonts
from thep_desktop.reports.shared.chart_data import Chart, ChartKind, Unit

# Okabe & Ito (2008), dark blue first: distinguishable in every common colour blindness.
PALETTE: tuple[Color, ...] = tuple(
    HexColor(c)
    for c in (
        "#0072B2",
        "#E69F00",
        "#009E73",
        "#CC79A7",
        "#56B4E9",
        "#D55E00",
        "#F0E442",
        "#000000",
    )
)
WIDTH = 170 * mm  # an A4 page's text width on the letterhead
HEIGHT = 72 * mm
LEGEND_WIDTH = 42 * mm
NAMES_WIDTH = 58 * mm  # room for the category names of bars drawn across


def colour(index: int) -> Color:
    return PALETTE[index % len(PALETTE)]


def axis_top(top: float, steps: int = 5) -> tuple[float, float]:
    """The value axis's end, a round number strictly above ``top`` (> 0), and its step: about
    ``steps`` steps of 1, 2 or 5 times a power of ten, so the tallest bar never touches the
    frame (50 gives 0 to 60 by 10; 38,250.50 gives 0 to 40,000 by 10,000)."""
    raw = top / steps
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return (math.floor(top / step + 1e-9) + 1) * step, step  # (0.3 / 0.1 is 2.999…)


def axis_words(value: float, unit: Unit) -> str:
    if unit is Unit.MONEY:
        return f"£{value:,.0f}"
    if unit is Unit.PERCENT:
        return f"{value:.0f}%"
    return f"{value:,.0f}"


def chart_drawing(chart: Chart, width: float = WIDTH, height: float = HEIGHT) -> Drawing:
    """``chart`` as a drawing: its data exactly the chart's series (as floats for drawing)."""
    register_fonts()
    if chart.kind is ChartKind.PIE:
        return _pie(chart, width, height)
    return _bars(chart, width, height)


def _numbers(values: tuple[int | Decimal, ...]) -> list[float]:
    return [float(v) for v in values]


def long_names(chart: Chart) -> bool:
    """Categories whose names would not fit side by side under the bars (Ofsted's report
    card outcomes): the bars are then drawn across, the names on their left."""
    widest = max((len(c) for c in chart.categories), default=0)
    return widest > 16 or widest * len(chart.categories) > 90


def _bars(chart: Chart, width: float, height: float) -> Drawing:
    several = len(chart.series) > 1
    across = long_names(chart)
    plot_width = width - (LEGEND_WIDTH if several else 0) - 24 * mm
    bars: VerticalBarChart | HorizontalBarChart
    if across:
        per_category = (3.2 * len(chart.series) if chart.kind is ChartKind.BAR else 3.5) + 4.5
        height = max(height * 0.6, len(chart.categories) * per_category * mm + 14 * mm)
        bars = HorizontalBarChart()
        bars.x = NAMES_WIDTH + 2 * mm
        bars.y = 8 * mm
        bars.width = width - bars.x - (LEGEND_WIDTH if several else 0) - 8 * mm
        bars.height = height - 12 * mm
        bars.categoryAxis.reverseDirection = 1  # the first category at the top
        bars.categoryAxis.labels.boxAnchor = "e"
        bars.categoryAxis.labels.dx = -3
        bars.categoryAxis.labels.textAnchor = "end"
        bars.categoryAxis.categoryNames = [_wrapped(c) for c in chart.categories]
    else:
        bars = VerticalBarChart()
        bars.x = 20 * mm
        bars.y = 10 * mm
        bars.width = plot_width
        bars.height = height - 16 * mm
        bars.categoryAxis.labels.boxAnchor = "n"
        bars.categoryAxis.labels.dy = -3
        bars.categoryAxis.categoryNames = list(chart.categories)
    drawing = _drawing(width, height)
    bars.data = [_numbers(s.values) for s in chart.series]
    bars.categoryAxis.labels.fontName = FONT
    bars.categoryAxis.labels.fontSize = 8
    bars.categoryAxis.labels.fillColor = INK
    if chart.kind is ChartKind.STACKED:
        bars.categoryAxis.style = "stacked"
    totals = (
        [sum(col) for col in zip(*bars.data, strict=True)]
        if chart.kind is ChartKind.STACKED
        else [v for row in bars.data for v in row]
    )
    top = max(totals, default=0.0)
    bars.valueAxis.valueMin = 0
    if top <= 0:
        bars.valueAxis.valueMax = 1
    elif chart.unit is Unit.COUNT and top < 5:
        bars.valueAxis.valueMax = 5
        bars.valueAxis.valueStep = 1
    else:
        bars.valueAxis.valueMax, bars.valueAxis.valueStep = axis_top(top)
    unit = chart.unit
    bars.valueAxis.labelTextFormat = lambda v: axis_words(v, unit)
    bars.valueAxis.labels.fontName = FONT
    bars.valueAxis.labels.fontSize = 8
    bars.valueAxis.labels.fillColor = GREY
    bars.valueAxis.visibleGrid = True
    bars.valueAxis.gridStrokeColor = HexColor("#dddddd")
    bars.valueAxis.gridStrokeWidth = 0.4
    bars.barSpacing = 1
    bars.groupSpacing = 8
    for index in range(len(chart.series)):
        bars.bars[index].fillColor = colour(index)
        bars.bars[index].strokeColor = white
        bars.bars[index].strokeWidth = 0.3
    if chart.kind is ChartKind.BAR:
        # The value over each bar: a chart printed is read, not hovered over.
        bars.barLabelFormat = lambda v: axis_words(v, unit) if v else ""
        bars.barLabels.fontName = FONT
        bars.barLabels.fontSize = 7
        bars.barLabels.fillColor = INK
        bars.barLabels.nudge = 6 if not across else 8
    drawing.add(bars)
    if several:
        drawing.add(_legend([s.name for s in chart.series], width - LEGEND_WIDTH, height - 4 * mm))
    return drawing


def _pie(chart: Chart, width: float, height: float) -> Drawing:
    drawing = _drawing(width, height)
    values = _numbers(chart.series[0].values) if chart.series else []
    if not any(values):
        drawing.add(String(0, height / 2, "Nothing to show.", fontName=FONT, fontSize=9))
        return drawing
    pie = Pie()
    size = height - 10 * mm
    pie.x = 25 * mm
    pie.y = 5 * mm
    pie.width = pie.height = size
    pie.data = values
    pie.labels = None
    pie.sideLabels = False
    pie.simpleLabels = True
    pie.slices.strokeColor = white
    pie.slices.strokeWidth = 0.8
    for index in range(len(values)):
        pie.slices[index].fillColor = colour(index)
    drawing.add(pie)
    total = sum(values)
    names = [
        f"{name}: {axis_words(v, chart.unit) if chart.unit is not Unit.MONEY else _money(v)}"
        f" ({v / total * 100:.0f}%)"
        for name, v in zip(chart.categories, values, strict=True)
    ]
    drawing.add(_legend(names, pie.x + size + 15 * mm, height - 8 * mm))
    return drawing


def _drawing(width: float, height: float) -> Drawing:
    """A drawing whose text starts in the letters' font: otherwise reportlab's renderer
    sets Helvetica first, and the PDF names a font it never embeds."""
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT
    drawing.initialFontSize = 8
    return drawing


def _wrapped(name: str) -> str:
    return "\n".join(textwrap.wrap(name, 34)) or name


def _money(value: float) -> str:
    return f"£{value:,.2f}"


def _legend(names: list[str], x: float, y: float) -> Legend:
    legend = Legend()
    legend.x = x
    legend.y = y
    legend.alignment = "right"
    legend.fontName = FONT
    legend.fontSize = 8
    legend.fillColor = INK
    legend.boxAnchor = "nw"
    legend.columnMaximum = 10
    legend.deltay = 11
    legend.dx = legend.dy = 7
    legend.strokeColor = None
    legend.colorNamePairs = [(colour(i), name) for i, name in enumerate(names)]
    return legend
