"""The Dashboard tab: each area's figures as tiles and charts, each opening the list behind it.

The figures come whole from ``services.dashboard.dashboard`` (worked out in SQL in a fixed
number of statements: well under a second on the office's data), so the tab reads them on
the window's thread, as the Governance and Schools tabs read theirs: a background thread
would add a moment of "Loading…" for no gain. The tab is built from whatever tiles and
charts the service gives, area by area in ``AREAS`` order: a tile is a big figure, its
label and a line of detail; a tile the office should act on says so in words and colour.
A tile opens its list by a click or by Enter or Space when it has the focus; a bar or a
slice of a chart opens the list of its point.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date, parse_date
from thep_desktop.reports.shared.chart_data import Drill
from thep_desktop.services.dashboard.dashboard_data import AREAS, Dashboard, Tile
from thep_desktop.services.dashboard.dashboard_service import DEFAULT_INSPECTION_YEARS
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServerUnavailableError, ServiceError
from thep_desktop.ui.dashboard.chart_view import ChartPanel, format_value
from thep_desktop.ui.dashboard.records_behind_dialog import RecordsBehindDialog
from thep_desktop.ui.shared.forms import date_field, error_banner

TILES_PER_ROW = 4
CHARTS_PER_ROW = 2
WARN_COLOUR = "#a33a00"
NEEDS_ACTION = "Needs action"


class TileWidget(QFrame):
    """One figure: big, with its label and detail; Enter, Space or a click opens its list."""

    activated = Signal(object)  # the Tile

    def __init__(self, tile: Tile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tile = tile
        self.setObjectName(f"tile:{tile.key}")
        self.value_text = format_value(tile.value, tile.unit)
        opens = tile.drill is not None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if opens else Qt.FocusPolicy.TabFocus)
        if opens:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(190)
        # As tall as the row's tallest tile: a row of tiles lines up.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        border = WARN_COLOUR if tile.warn else "palette(mid)"
        self._style = (
            f"TileWidget {{ border: 1px solid {border}; border-left: 5px solid {border};"
            " border-radius: 3px; background: palette(base); }"
        )
        self._focus_style = (
            f"TileWidget {{ border: 2px solid palette(highlight); border-left: 5px solid {border};"
            " border-radius: 3px; background: palette(base); }"
        )
        self.setStyleSheet(self._style)

        self.value_label = QLabel(self.value_text)
        self.value_label.setObjectName("tile_value")
        colour = f"color: {WARN_COLOUR};" if tile.warn else ""
        self.value_label.setStyleSheet(f"font-size: 20pt; font-weight: bold; {colour}")
        self.label_label = QLabel(tile.label)
        self.label_label.setObjectName("tile_label")
        self.label_label.setWordWrap(True)
        self.label_label.setStyleSheet("font-weight: bold")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 8, 6)
        layout.setSpacing(2)
        top = QHBoxLayout()
        top.addWidget(self.value_label)
        top.addStretch(1)
        self.warn_label: QLabel | None = None
        if tile.warn:
            self.warn_label = QLabel(NEEDS_ACTION)
            self.warn_label.setObjectName("tile_warn")
            self.warn_label.setStyleSheet(f"color: {WARN_COLOUR}; font-weight: bold")
            top.addWidget(self.warn_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(self.label_label)
        self.detail_label = QLabel(tile.detail)
        self.detail_label.setObjectName("tile_detail")
        self.detail_label.setWordWrap(True)
        self.detail_label.setStyleSheet("color: palette(dark)")
        self.detail_label.setVisible(bool(tile.detail))
        layout.addWidget(self.detail_label)
        layout.addStretch(1)  # a taller neighbour leaves room below, not between the lines
        words = f"{tile.label}: {self.value_text}."
        if tile.detail:
            words += f" {tile.detail}."
        if tile.warn:
            words += f" {NEEDS_ACTION}."
        self.setAccessibleName(f"{tile.label}: {self.value_text}")
        self.setAccessibleDescription(words)
        self.setToolTip(
            f"{words}\nClick, or press Enter, to see the list behind it." if opens else words
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.tile)
            event.accept()
            return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.activated.emit(self.tile)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        self.setStyleSheet(self._focus_style)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        self.setStyleSheet(self._style)
        super().focusOutEvent(event)


class DashboardTab(QWidget):
    """Tiles and charts of the five areas as at a day, each opening the records it counts."""

    status_message = Signal(str)
    annual_report_requested = Signal()  # the window opens the annual report
    counts_changed = Signal()  # status_text changed: the window's status bar shows it

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.today: Callable[[], date] = date.today
        # How a dialog is shown (tests replace it to drive it without a blocking exec()).
        self.run_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        self.dashboard: Dashboard | None = None
        # What the window's status bar says while the tab is in view: the day and year the
        # figures describe (as the other tabs say how many records they list).
        self.status_text = ""
        self.tiles: dict[str, TileWidget] = {}
        self.charts: dict[str, ChartPanel] = {}
        self.setObjectName("dashboard_tab")

        self.as_at_edit = date_field(
            format_date(self.today()), "The day the figures describe; today unless you choose"
        )
        self.as_at_edit.setObjectName("dashboard_as_at")
        self.as_at_edit.setMaximumWidth(120)
        self.as_at_edit.returnPressed.connect(self.reload)
        as_at_label = QLabel("&As at")
        as_at_label.setBuddy(self.as_at_edit)
        self.years_spin = QSpinBox()
        self.years_spin.setObjectName("dashboard_inspection_years")
        self.years_spin.setRange(1, 20)
        self.years_spin.setValue(DEFAULT_INSPECTION_YEARS)
        self.years_spin.setSuffix(" years")
        self.years_spin.setToolTip(
            "A school's latest inspection counts as old when it is more than this many years "
            "before the day"
        )
        self.years_spin.valueChanged.connect(lambda _value: self.reload())
        years_label = QLabel("I&nspections older than")
        years_label.setBuddy(self.years_spin)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setObjectName("dashboard_refresh")
        self.refresh_button.setToolTip("Work out the figures again (F5)")
        self.refresh_button.clicked.connect(self.reload)
        self.annual_report_button = QPushButton("Ann&ual report…")
        self.annual_report_button.setObjectName("dashboard_annual_report")
        self.annual_report_button.setToolTip(
            "Write and print the annual report to the Advisory Council (Ctrl+Shift+A)"
        )
        self.annual_report_button.clicked.connect(self.annual_report_requested)
        self.statements_label = QLabel()
        self.statements_label.setObjectName("dashboard_as_at_words")
        self.statements_label.setStyleSheet("color: palette(dark)")

        bar = QHBoxLayout()
        bar.addWidget(as_at_label)
        bar.addWidget(self.as_at_edit)
        bar.addSpacing(16)
        bar.addWidget(years_label)
        bar.addWidget(self.years_spin)
        bar.addSpacing(16)
        bar.addWidget(self.refresh_button)
        bar.addSpacing(16)
        bar.addWidget(self.statements_label, 1)
        bar.addWidget(self.annual_report_button)

        self.error_label = error_banner()
        self.error_label.setObjectName("dashboard_error")

        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("dashboard_scroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.content = QWidget()
        self.scroll_area.setWidget(self.content)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.error_label)
        layout.addWidget(self.scroll_area, 1)

    # -- reading -----------------------------------------------------------------------------
    def as_at(self) -> date | None:
        """The day typed in As at, or None (and the reason shown) if it cannot be read."""
        text = self.as_at_edit.text().strip()
        if not text:
            return self.today()
        try:
            return parse_date(text)
        except ValueError:
            return None

    def reload(self) -> bool:
        """Work the figures out again for the day and years chosen; redraw if they changed."""
        as_at = self.as_at()
        if as_at is None:
            self._show_error(
                f"“{self.as_at_edit.text()}” is not a date: type the day as dd/mm/yyyy, "
                "for example 15/01/2026."
            )
            return False
        try:
            dashboard = self.services.dashboard.dashboard(
                self.services.actor, as_at, inspection_years=self.years_spin.value()
            )
        except ServerUnavailableError:
            self._show_error("The server does not answer: the figures shown are as they were.")
            return False
        except ServiceError as exc:
            self._show_error(f"The figures could not be worked out: {exc.message}")
            return False
        self.error_label.hide()
        self.statements_label.setText(
            f"Academic year {dashboard.year.label}; figures as at {format_date(dashboard.as_at)}"
        )
        status = f"Figures as at {format_date(dashboard.as_at)} ({dashboard.year.label})"
        if status != self.status_text:
            self.status_text = status
            self.counts_changed.emit()
        if self.dashboard is not None and (
            (dashboard.as_at, dashboard.inspection_years, dashboard.tiles, dashboard.charts)
            == (
                self.dashboard.as_at,
                self.dashboard.inspection_years,
                self.dashboard.tiles,
                self.dashboard.charts,
            )
        ):
            return True  # nothing changed: the tab keeps its place and focus
        self.dashboard = dashboard
        self._show(dashboard)
        return True

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.status_message.emit(text)

    # -- showing -----------------------------------------------------------------------------
    def _show(self, dashboard: Dashboard) -> None:
        scrolled = self.scroll_area.verticalScrollBar().value()
        self.tiles = {}
        self.charts = {}
        content = QWidget()
        content.setObjectName("dashboard_content")
        layout = QVBoxLayout(content)
        layout.setSpacing(12)
        shown = 0
        for area, heading in AREAS:
            tiles, charts = dashboard.in_area(area)
            if not tiles and not charts:
                continue
            shown += 1
            layout.addWidget(self._area_box(area, heading, tiles, charts))
        if not shown:
            empty = QLabel(
                "There are no figures to show yet. Add schools and members (or load the demo "
                "data from the Settings menu), then come back here."
            )
            empty.setObjectName("dashboard_empty")
            empty.setWordWrap(True)
            layout.addWidget(empty)
        layout.addStretch(1)
        old = self.scroll_area.takeWidget()
        self.content = content
        self.scroll_area.setWidget(content)
        if old is not None:
            old.deleteLater()
        self.scroll_area.verticalScrollBar().setValue(scrolled)

    def _area_box(
        self, area: str, heading: str, tiles: tuple[Tile, ...], charts: tuple[object, ...]
    ) -> QGroupBox:
        box = QGroupBox(heading)
        box.setObjectName(f"area:{area}")
        box.setStyleSheet("QGroupBox { font-weight: bold; } QGroupBox * { font-weight: normal; }")
        layout = QVBoxLayout(box)
        if tiles:
            grid = QGridLayout()
            grid.setSpacing(8)
            for number, tile in enumerate(tiles):
                widget = TileWidget(tile)
                widget.activated.connect(self.open_tile)
                self.tiles[tile.key] = widget
                grid.addWidget(widget, number // TILES_PER_ROW, number % TILES_PER_ROW)
            for column in range(TILES_PER_ROW):
                grid.setColumnStretch(column, 1)
            layout.addLayout(grid)
        if charts:
            grid = QGridLayout()
            grid.setSpacing(12)
            # Two charts side by side; a wide one (many long names) across the whole width,
            # on a row of its own below, while the next narrow one fills the gap it left.
            next_row = 0
            gap: tuple[int, int] | None = None
            for chart in charts:
                panel = ChartPanel(chart)  # type: ignore[arg-type]
                panel.drill_requested.connect(self.open_drill)
                self.charts[panel.chart.key] = panel
                if panel.wide:
                    grid.addWidget(panel, next_row, 0, 1, CHARTS_PER_ROW)
                    next_row += 1
                elif gap is not None:
                    grid.addWidget(panel, *gap)
                    gap = None
                else:
                    grid.addWidget(panel, next_row, 0)
                    gap = (next_row, 1)
                    next_row += 1
            for n in range(CHARTS_PER_ROW):
                grid.setColumnStretch(n, 1)
            layout.addLayout(grid)
        return box

    # -- the lists behind ---------------------------------------------------------------------
    def open_tile(self, tile: Tile) -> None:
        if tile.drill is None:
            self.status_message.emit(f"{tile.label}: there is no list behind this figure.")
            return
        self.open_drill(tile.drill)

    def open_drill(self, drill: Drill) -> None:
        """The records behind a tile or a bar, as at the dashboard's day."""
        dashboard = self.dashboard
        if dashboard is None:
            return
        try:
            records = self.services.dashboard.records_behind(
                self.services.actor,
                drill,
                dashboard.as_at,
                inspection_years=dashboard.inspection_years,
            )
        except ServiceError as exc:
            self._show_error(f"The list could not be read: {exc.message}")
            return
        self.run_dialog(RecordsBehindDialog(self.services, records, dashboard.as_at, self))

    def focus_first_tile(self) -> None:
        if self.tiles:
            next(iter(self.tiles.values())).setFocus()
