"""One dashboard chart on screen: a Qt Charts view drawn from a :class:`Chart`'s plain data.

The services build each chart's figures (``reports.shared.chart_data``); this only draws
them: a bar chart (series side by side), a stacked bar chart, or a pie. Each bar and each
slice opens the list behind it (``drill_requested`` carries the point's :class:`Drill`),
and its tooltip says its value the office's way (£1,234.50, 62.5%, 1,234). A chart with
nothing to show says so in words instead of drawing empty axes.

Print uses reportlab's charts from the same ``Chart`` data (the annual report and the school
profile); Qt Charts is part of PySide6, so the screen needs no other library.
"""

from __future__ import annotations

import html
from decimal import Decimal

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QPieSeries,
    QPieSlice,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QMargins, QObject, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QKeyEvent, QPainter
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from thep_desktop.reports.shared.chart_data import Chart, ChartKind, Unit

# Colours that tell series apart in colour and in greys (a printed screenshot), in order.
PALETTE = ("#1f5f8b", "#e08a1e", "#4a9a5b", "#b8433a", "#7d5ba6", "#8c6d46", "#5f9ea0")
SELECTED = "#f2c200"  # the bar the arrow keys chose
CHART_HEIGHT = 300
HALF_WIDTH = 560  # the room of a chart in half of a 1366-pixel window, axis aside


def format_value(value: int | Decimal, unit: Unit) -> str:
    """A figure the office's way: £41,250.00, 62.5%, 1,234."""
    if unit is Unit.MONEY:
        amount = Decimal(value)
        sign = "-" if amount < 0 else ""
        return f"{sign}£{abs(amount):,.2f}"
    if unit is Unit.PERCENT:
        return f"{Decimal(value):.1f}%"
    return f"{int(value):,}"


def value_axis(top: Decimal, unit: Unit) -> QCategoryAxis:
    """The value axis from 0 to a round number above ``top``, its ticks labelled the office's
    way (£10,000, 50%, 1,200): Qt's own number format would print "£" as a stray byte."""
    nice = QValueAxis()
    nice.setRange(0, max(float(top), 1.0))
    nice.applyNiceNumbers()
    high, ticks = nice.max(), nice.tickCount()
    if 0 < top and high <= float(top):
        # The tallest bar would touch the top of the frame (50 on an axis of 0 to 50): one
        # step more, so its top shows.
        high, ticks = high + high / (ticks - 1), ticks + 1
    if unit is Unit.COUNT and top < 10:  # whole numbers only, a step above the tallest bar
        # At most six labels: more, on a short chart, leaves each too little room and Qt
        # shows them as "…".
        step_of = 1 if top < 5 else 2
        high = float((int(top) // step_of + 1) * step_of)
        ticks = int(high) // step_of + 1
    axis = QCategoryAxis()
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    axis.setRange(0, high)
    axis.setStartValue(0)
    step = high / (ticks - 1)
    places = 0 if step == int(step) else 2
    for tick in range(ticks):
        at = step * tick
        axis.append(_tick_label(Decimal(str(round(at, places))), unit, places), at)
    return axis


def _tick_label(value: Decimal, unit: Unit, places: int) -> str:
    if unit is Unit.MONEY:
        return f"£{value:,.{places}f}"
    if unit is Unit.PERCENT:
        return f"{value:.{min(places, 1)}f}%"
    return f"{value:,.{places}f}"


def _label_room(chart: Chart) -> int:
    """About how many pixels the category names need side by side."""
    longest = max(map(len, chart.categories), default=0)
    return len(chart.categories) * (longest * 8 + 24)


class ChartPanel(QWidget):
    """A chart's title, the chart (or "Nothing to show for …"), and its note."""

    drill_requested = Signal(object)  # the Drill of the bar or slice clicked

    def __init__(self, chart: Chart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.setObjectName(f"chart:{chart.key}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view: QChartView | None = None
        self.point = (0, 0)  # the series and category the arrow keys chose
        self.point_label: QLabel | None = None
        self.empty_label: QLabel | None = None
        if chart.is_empty:
            self.empty_label = QLabel(f"Nothing to show for {chart.title.casefold()}.")
            self.empty_label.setObjectName("empty_chart_label")
            self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.empty_label.setWordWrap(True)
            self.empty_label.setMinimumHeight(80)
            self.empty_label.setStyleSheet("color: palette(mid); border: 1px dashed palette(mid)")
            title = QLabel(f"<b>{_escape(chart.title)}</b>")
            title.setWordWrap(True)
            layout.addWidget(title)
            layout.addWidget(self.empty_label)
        else:
            self.view = QChartView(self._build())
            self.view.setObjectName("chart_view")
            self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
            height = CHART_HEIGHT
            if self.horizontal:
                height = max(height, 90 + len(chart.categories) * 10 * (len(chart.series) + 2))
            self.view.setMinimumHeight(height)
            self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.view.setAccessibleName(chart.title)
            self.view.setAccessibleDescription(self.words())
            self.view.setToolTip(
                "Click a bar or a slice to see the records behind it; or Tab to the chart, "
                "choose one with the arrow keys and press Enter."
            )
            self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.view.installEventFilter(self)
            layout.addWidget(self.view)
            # The point the arrow keys chose, said in words while the chart has the focus.
            self.point_label = QLabel()
            self.point_label.setObjectName("chart_point")
            self.point_label.setWordWrap(True)
            self.point_label.hide()
            layout.addWidget(self.point_label)
        if chart.note:
            note = QLabel(chart.note)
            note.setObjectName("chart_note")
            note.setWordWrap(True)
            note.setStyleSheet("color: palette(dark)")
            layout.addWidget(note)

    @property
    def wide(self) -> bool:
        """A bar chart whose category names would be cut short in half the tab's width."""
        return self.chart.kind is not ChartKind.PIE and _label_room(self.chart) > HALF_WIDTH

    @property
    def horizontal(self) -> bool:
        """Bars drawn sideways, the names down the left: too many long names to fit below
        the bars even across the whole width."""
        return self.wide and _label_room(self.chart) > 2 * HALF_WIDTH

    @property
    def drawn_order(self) -> list[int]:
        """The categories in the order drawn: sideways bars are drawn from the bottom up, so
        the first category goes last to be read at the top."""
        order = list(range(len(self.chart.categories)))
        return order[::-1] if self.horizontal else order

    @property
    def qchart(self) -> QChart | None:
        return self.view.chart() if self.view is not None else None

    def words(self) -> str:
        """The chart's figures in words (for a screen reader, and the view's description)."""
        parts = []
        for series in self.chart.series:
            values = ", ".join(
                f"{category} {format_value(value, self.chart.unit)}"
                for category, value in zip(self.chart.categories, series.values, strict=False)
            )
            parts.append(f"{series.name}: {values}")
        return "; ".join(parts)

    # -- the keyboard ------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.view:
            if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                if self._key(event.key()):
                    return True
            elif event.type() == QEvent.Type.FocusIn:
                self._show_point()
            elif event.type() == QEvent.Type.FocusOut and self.point_label is not None:
                self.point_label.hide()
        return super().eventFilter(watched, event)

    def _key(self, key: int) -> bool:
        """Arrows choose a point (Left and Right a category, Up and Down a series; sideways
        bars the other way round); Enter or Space opens its list."""
        series, category = self.point
        k = Qt.Key
        if self.horizontal:  # names down the left, the first at the top
            previous, following, other_series = k.Key_Up, k.Key_Down, (k.Key_Left, k.Key_Right)
        else:
            previous, following, other_series = k.Key_Left, k.Key_Right, (k.Key_Down, k.Key_Up)
        if key in (k.Key_Return, k.Key_Enter, k.Key_Space):
            self.open_point(series, category)
            return True
        if key in (previous, following):
            step = 1 if key == following else -1
            category = (category + step) % len(self.chart.categories)
        elif key in other_series and self.chart.kind is not ChartKind.PIE:
            step = 1 if key == other_series[1] else -1
            series = (series + step) % len(self.chart.series)
        else:
            return False
        self.point = (series, category)
        self._show_point()
        return True

    def _show_point(self) -> None:
        if self.point_label is None:
            return
        series, category = self.point
        chart = self.chart
        text = chart.categories[category]
        if len(chart.series) > 1:
            text += f", {chart.series[series].name}"
        text += f": {format_value(chart.series[series].values[category], chart.unit)}"
        opens = chart.drill_at(series, category) is not None
        text += "; Enter opens its list" if opens else "; no list behind it"
        self.point_label.setText(f"Chosen: {text}. (Arrow keys choose another.)")
        self.point_label.show()
        self._highlight()

    def _highlight(self) -> None:
        """The chosen bar or slice stands out, so the eye finds what the words say."""
        qchart = self.qchart
        if qchart is None:
            return
        series, category = self.point
        for drawn in qchart.series():
            if isinstance(drawn, QPieSeries):
                for n, pie_slice in enumerate(drawn.slices()):
                    pie_slice.setExploded(n == category)
            elif isinstance(drawn, QAbstractBarSeries):
                for n, bar_set in enumerate(drawn.barSets()):
                    bar_set.deselectAllBars()
                    if n == series:
                        bar_set.selectBar(self.drawn_order.index(category))

    def open_point(self, series: int, category: int) -> None:
        """The list behind one bar or slice, if the chart names one."""
        drill = self.chart.drill_at(series, category)
        if drill is not None:
            self.drill_requested.emit(drill)

    # -- building ----------------------------------------------------------------------------
    def _build(self) -> QChart:
        chart = self.chart
        qchart = QChart()
        qchart.setTitle(chart.title)
        qchart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        qchart.setMargins(QMargins(4, 4, 4, 4))
        qchart.setBackgroundRoundness(0)
        qchart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        if chart.kind is ChartKind.PIE:
            self._build_pie(qchart)
        else:
            self._build_bars(qchart)
        return qchart

    def _build_bars(self, qchart: QChart) -> None:
        chart = self.chart
        stacked = chart.kind is ChartKind.STACKED
        series: QAbstractBarSeries
        if self.horizontal:
            series = QHorizontalStackedBarSeries() if stacked else QHorizontalBarSeries()
        else:
            series = QStackedBarSeries() if stacked else QBarSeries()
        for number, data in enumerate(chart.series):
            bar_set = QBarSet(data.name)
            bar_set.setColor(QColor(PALETTE[number % len(PALETTE)]))
            bar_set.setSelectedColor(QColor(SELECTED))
            for at in self.drawn_order:
                bar_set.append(float(data.values[at]))  # drawn only; the figures stay Decimal
            bar_set.clicked.connect(
                lambda index, n=number: self.open_point(n, self.drawn_order[index])
            )
            series.append(bar_set)
        series.hovered.connect(self._bar_hovered)
        qchart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([chart.categories[at] for at in self.drawn_order])
        qchart.addAxis(
            categories,
            Qt.AlignmentFlag.AlignLeft if self.horizontal else Qt.AlignmentFlag.AlignBottom,
        )
        series.attachAxis(categories)
        if chart.kind is ChartKind.STACKED:
            top = max(
                (sum(s.values[i] for s in chart.series) for i in range(len(chart.categories))),
                default=0,
            )
        else:
            top = max((v for s in chart.series for v in s.values), default=0)
        values = value_axis(Decimal(top), chart.unit)
        qchart.addAxis(
            values,
            Qt.AlignmentFlag.AlignBottom if self.horizontal else Qt.AlignmentFlag.AlignLeft,
        )
        series.attachAxis(values)
        qchart.legend().setVisible(len(chart.series) > 1)

    def _bar_hovered(self, status: bool, index: int, bar_set: QBarSet) -> None:
        if not status:
            QToolTip.hideText()
            return
        chart = self.chart
        names = [s.name for s in chart.series]
        number = names.index(bar_set.label()) if bar_set.label() in names else 0
        index = self.drawn_order[index]
        value = chart.series[number].values[index]
        text = f"{chart.categories[index]}"
        if len(chart.series) > 1:
            text += f", {chart.series[number].name}"
        text += f": {format_value(value, chart.unit)}"
        if chart.drill_at(number, index) is not None:
            text += "\nClick to see the list."
        QToolTip.showText(QCursor.pos(), text, self.view)

    def _build_pie(self, qchart: QChart) -> None:
        chart = self.chart
        series = QPieSeries()
        data = chart.series[0]
        total = sum(data.values) or 1
        for number, (category, value) in enumerate(
            zip(chart.categories, data.values, strict=False)
        ):
            share = Decimal(value) * 100 / Decimal(total)
            pie_slice = QPieSlice(f"{category}: {format_value(value, chart.unit)}", float(value))
            pie_slice.setColor(QColor(PALETTE[number % len(PALETTE)]))
            pie_slice.setLabelVisible(bool(value))
            pie_slice.clicked.connect(lambda n=number: self.open_point(0, n))
            pie_slice.hovered.connect(
                lambda state, c=category, v=value, s=share: self._slice_hovered(state, c, v, s)
            )
            series.append(pie_slice)
        series.setPieSize(0.6)
        qchart.addSeries(series)
        qchart.legend().setVisible(False)

    def _slice_hovered(
        self, status: bool, category: str, value: int | Decimal, share: Decimal
    ) -> None:
        if not status:
            QToolTip.hideText()
            return
        text = f"{category}: {format_value(value, self.chart.unit)} ({share:.1f}%)"
        QToolTip.showText(QCursor.pos(), text, self.view)


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
