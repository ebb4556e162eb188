"""A month of peer-review visits, painted as a calendar: drag a visit to another day to move it.

Each day cell shows its visits (the host's short name, coloured by status) and why a day is
not a school day (weekend, a named bank holiday, half term, school holidays). The widget
only draws and reports what the person did (:attr:`move_requested`, :attr:`open_requested`,
:attr:`new_requested`); the tab saves. The drag is the widget's own (press, move, release)
rather than a QDrag, so it runs without a nested event loop and works the same under test.
The keyboard does everything the mouse does: Left/Right choose a visit, Alt+Left/Right move
it a school day, Alt+Up/Down a week, PageUp/PageDown change month, Home shows this month.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QToolTip, QWidget

from thep_desktop.domain.peer_reviews import ReviewStatus, Term
from thep_desktop.ui.peer_reviews.reviews_table_model import STATUS_COLOURS, STATUS_EDGES

# What kind of day a cell is; the tab says, from the year's terms and bank holidays.
SCHOOL_DAY, WEEKEND, BANK_HOLIDAY, HALF_TERM, HOLIDAY = (
    "school_day",
    "weekend",
    "bank_holiday",
    "half_term",
    "holiday",
)
DAY_COLOURS = {
    SCHOOL_DAY: QColor("#ffffff"),
    WEEKEND: QColor("#ececec"),
    BANK_HOLIDAY: QColor("#fbe0e0"),
    HALF_TERM: QColor("#fdf0d5"),
    HOLIDAY: QColor("#f3f3f3"),
}
WEEKEND_WEIGHT = 0.45  # Saturday and Sunday take under half a weekday's width
HEADER = 24.0
DAY_LINE = 18.0
CHIP = 18.0
GAP = 2.0


@dataclass(frozen=True)
class DayInfo:
    """A day as the calendar shades it: its kind, its name (a bank holiday's), closures."""

    kind: str = SCHOOL_DAY
    name: str = ""
    closures: tuple[str, ...] = ()  # "INSET day: Bow School"


@dataclass(frozen=True)
class CalendarVisit:
    """One review's visit: every day it spans carries a chip."""

    review_id: int
    days: tuple[date, ...]
    label: str  # the host's short name
    status: ReviewStatus
    tooltip: str
    warned: bool = False


@dataclass(frozen=True)
class _Chip:
    rect: QRectF
    review_id: int
    day: date


def short_name(name: str) -> str:
    """A school's name short enough for a calendar cell: the usual words dropped."""
    words = name.split()
    dropped = {"school", "primary", "academy", "the", "church", "of", "england", "ce", "c", "e"}
    kept = [w for w in words if w.casefold().strip("()&,") not in dropped]
    return " ".join(kept) if kept else name


def day_infos(
    first: date,
    last: date,
    terms: Sequence[Term],
    bank_holidays: dict[date, str],
    closures: dict[date, list[str]],
) -> dict[date, DayInfo]:
    """How each day from ``first`` to ``last`` is shaded, from the year's calendar (with no
    terms given, every weekday but a bank holiday is taken for a school day)."""
    infos = {}
    day = first
    while day <= last:
        term = next((t for t in terms if day in t), None)
        if day.weekday() >= 5:
            info = DayInfo(WEEKEND, "", tuple(closures.get(day, ())))
        elif day in bank_holidays:
            info = DayInfo(BANK_HOLIDAY, bank_holidays[day])
        elif term is None and terms:
            info = DayInfo(HOLIDAY, "School holiday")
        elif term is not None and term.in_half_term(day):
            info = DayInfo(HALF_TERM, "Half term")
        else:
            info = DayInfo(SCHOOL_DAY, "", tuple(closures.get(day, ())))
        infos[day] = info
        day += timedelta(days=1)
    return infos


def next_weekday(day: date, step: int) -> date:
    """The weekday ``step`` school days on (weekends skipped; holidays are the checker's)."""
    direction = 1 if step > 0 else -1
    for _ in range(abs(step)):
        day += timedelta(days=direction)
        while day.weekday() >= 5:
            day += timedelta(days=direction)
    return day


class MonthCalendar(QWidget):
    """A month grid, Monday to Sunday, of the visits given by :meth:`set_visits`."""

    visit_selected = Signal(int)  # a review id; 0 when none
    open_requested = Signal(int)  # double-click or Enter on a visit
    new_requested = Signal(object)  # double-click on an empty school day: that date
    move_requested = Signal(int, object)  # a review id and the visit's new first day
    month_changed = Signal(object)  # the first day of the month shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review_calendar")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.today = date.today()
        self.month = self.today.replace(day=1)
        self.visits: list[CalendarVisit] = []
        self.day_info: dict[date, DayInfo] = {}
        self.selected_id = 0
        self._chips: list[_Chip] = []
        self._more: dict[date, int] = {}
        self._press: tuple[int, date, QPointF] | None = None
        self._dragging = False
        self.drop_day: date | None = None

    # -- content ----------------------------------------------------------------------------
    def set_visits(self, visits: Sequence[CalendarVisit], day_info: dict[date, DayInfo]) -> None:
        self.visits = list(visits)
        self.day_info = day_info
        if self.selected_id and not any(v.review_id == self.selected_id for v in self.visits):
            self.selected_id = 0
        self._layout_chips()
        self.update()

    def set_month(self, day: date) -> None:
        first = day.replace(day=1)
        if first != self.month:
            self.month = first
            self._layout_chips()
            self.update()
            self.month_changed.emit(first)

    def step_month(self, months: int) -> None:
        index = self.month.year * 12 + self.month.month - 1 + months
        self.set_month(date(index // 12, index % 12 + 1, 1))

    def show_today(self) -> None:
        self.set_month(self.today)

    def select(self, review_id: int, *, show: bool = False) -> None:
        """Choose a visit (``show``: turn to the month of its first day)."""
        self.selected_id = review_id
        visit = self.visit(review_id)
        if show and visit is not None and visit.days:
            self.set_month(visit.days[0])
        self.update()

    def visit(self, review_id: int) -> CalendarVisit | None:
        return next((v for v in self.visits if v.review_id == review_id), None)

    def month_title(self) -> str:
        return f"{self.month:%B %Y}"

    # -- what is drawn, for reading (tests, accessibility) -------------------------------------
    def days_shown(self) -> list[date]:
        """Every day of the grid: whole weeks from the Monday on or before the 1st."""
        first = self.month - timedelta(days=self.month.weekday())
        last_of_month = self.month.replace(
            day=calendar.monthrange(self.month.year, self.month.month)[1]
        )
        last = last_of_month + timedelta(days=6 - last_of_month.weekday())
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]

    def visits_on(self, day: date) -> list[CalendarVisit]:
        """The visits on a day, in the order they are drawn (by host)."""
        found = [v for v in self.visits if day in v.days]
        return sorted(found, key=lambda v: (v.status.order, v.label.casefold()))

    def day_lines(self, day: date) -> list[str]:
        """What the cell of ``day`` says, line by line: its number, its name, the visits that
        fit (a warned one marked ⚠), and "+N more" for those that do not."""
        info = self.day_info.get(day, DayInfo(WEEKEND if day.weekday() >= 5 else SCHOOL_DAY))
        lines = [str(day.day)]
        if info.name:
            lines.append(info.name)
        for chip in self._chips:
            visit = self.visit(chip.review_id) if chip.day == day else None
            if visit is not None:
                lines.append(("⚠ " if visit.warned else "") + visit.label)
        if self._more.get(day):
            lines.append(f"+{self._more[day]} more")
        return lines

    def cell_rect(self, day: date) -> QRectF | None:
        days = self.days_shown()
        if day not in days:
            return None
        index = days.index(day)
        row, column = divmod(index, 7)
        lefts = self._column_lefts()
        height = self._row_height(len(days) // 7)
        return QRectF(
            lefts[column], HEADER + row * height, lefts[column + 1] - lefts[column], height
        )

    def day_at(self, point: QPointF) -> date | None:
        for day in self.days_shown():
            rect = self.cell_rect(day)
            if rect is not None and rect.contains(point):
                return day
        return None

    def visit_at(self, point: QPointF) -> int:
        """The review whose chip is under ``point``; 0 when none."""
        for chip in self._chips:
            if chip.rect.contains(point):
                return chip.review_id
        return 0

    def chip_rect(self, review_id: int, day: date) -> QRectF | None:
        for chip in self._chips:
            if chip.review_id == review_id and chip.day == day:
                return chip.rect
        return None

    # -- geometry ---------------------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(900, 560)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(560, 360)

    def _column_lefts(self) -> list[float]:
        weights = [1.0] * 5 + [WEEKEND_WEIGHT] * 2
        unit = (self.width() - 1) / sum(weights)
        lefts = [0.0]
        for weight in weights:
            lefts.append(lefts[-1] + weight * unit)
        return lefts

    def _row_height(self, rows: int) -> float:
        return max((self.height() - HEADER - 1) / max(rows, 1), 30.0)

    def _layout_chips(self) -> None:
        self._chips = []
        self._more = {}
        for day in self.days_shown():
            rect = self.cell_rect(day)
            if rect is None:
                continue
            visits = self.visits_on(day)
            room = int((rect.height() - DAY_LINE - 4) // (CHIP + GAP))
            shown = visits if len(visits) <= room else visits[: max(room - 1, 0)]
            top = rect.top() + DAY_LINE + 2
            for visit in shown:
                chip = QRectF(rect.left() + 3, top, rect.width() - 6, CHIP)
                self._chips.append(_Chip(chip, visit.review_id, day))
                top += CHIP + GAP
            if len(shown) < len(visits):
                self._more[day] = len(visits) - len(shown)

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        self._layout_chips()
        super().resizeEvent(event)  # type: ignore[arg-type]

    # -- painting ---------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette_text = self.palette().windowText().color()
        painter.fillRect(self.rect(), QColor("#ffffff"))
        lefts = self._column_lefts()
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() - 1.5, 7.0))
        bold = QFont(self.font())
        bold.setBold(True)
        # The weekday names.
        painter.fillRect(QRectF(0, 0, self.width(), HEADER), QColor("#f4f6f8"))
        painter.setFont(bold)
        painter.setPen(QColor("#44505c"))
        for column, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
            header = QRectF(lefts[column], 0, lefts[column + 1] - lefts[column], HEADER)
            painter.drawText(header, Qt.AlignmentFlag.AlignCenter, name)
        for day in self.days_shown():
            self._paint_day(painter, day, small, bold, palette_text)
        # The grid over the cells.
        painter.setPen(QPen(QColor("#d0d5da"), 1))
        for left in lefts:
            painter.drawLine(QPointF(left, HEADER), QPointF(left, self.height()))
        days = self.days_shown()
        height = self._row_height(len(days) // 7)
        for row in range(len(days) // 7 + 1):
            y = HEADER + row * height
            painter.drawLine(QPointF(0, y), QPointF(self.width(), y))
        painter.end()

    def _paint_day(
        self, painter: QPainter, day: date, small: QFont, bold: QFont, text: QColor
    ) -> None:
        rect = self.cell_rect(day)
        assert rect is not None
        info = self.day_info.get(day, DayInfo(WEEKEND if day.weekday() >= 5 else SCHOOL_DAY))
        in_month = day.month == self.month.month
        colour = QColor(DAY_COLOURS.get(info.kind, DAY_COLOURS[SCHOOL_DAY]))
        if not in_month:
            colour = colour.darker(104)
        painter.fillRect(rect, colour)
        if info.kind == HOLIDAY:  # out of term: hatched, so it reads apart from a weekend
            painter.fillRect(rect, QBrush(QColor("#e2e2e2"), Qt.BrushStyle.BDiagPattern))
        # The day's number (circled when it is today), and its name.
        number = QRectF(rect.left() + 4, rect.top() + 2, 22, DAY_LINE - 2)
        painter.setFont(bold if in_month else small)
        if day == self.today:
            painter.setBrush(QColor("#1a5fb4"))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(number.adjusted(2, 0, -2, 0))
            painter.setPen(QColor("#ffffff"))
        else:
            painter.setPen(text if in_month else QColor("#9aa0a6"))
        painter.drawText(number, Qt.AlignmentFlag.AlignCenter, str(day.day))
        if info.name:
            painter.setFont(small)
            painter.setPen(QColor("#a4262c") if info.kind == BANK_HOLIDAY else QColor("#7a5b12"))
            name_rect = QRectF(
                number.right() + 2, rect.top() + 2, rect.right() - number.right() - 6, DAY_LINE - 2
            )
            elided = QFontMetrics(small).elidedText(
                info.name, Qt.TextElideMode.ElideRight, int(name_rect.width())
            )
            painter.drawText(
                name_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided
            )
        if info.closures:  # a small mark: someone is closed that day (the tooltip says who)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#b35c00"))
            painter.drawEllipse(QPointF(rect.right() - 7, rect.top() + 8), 3, 3)
        # The visits.
        painter.setFont(small)
        metrics = QFontMetrics(small)
        for chip in (c for c in self._chips if c.day == day):
            visit = self.visit(chip.review_id)
            if visit is None:
                continue
            selected = visit.review_id == self.selected_id
            painter.setBrush(STATUS_COLOURS[visit.status])
            edge = STATUS_EDGES[visit.status]
            painter.setPen(QPen(QColor("#111111") if selected else edge, 2 if selected else 1))
            painter.drawRoundedRect(chip.rect.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
            label = ("⚠ " if visit.warned else "") + visit.label  # as day_lines() says
            painter.setPen(QColor("#1b1b1b"))
            inner = chip.rect.adjusted(5, 0, -4, 0)
            elided = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(inner.width()))
            painter.drawText(
                inner, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided
            )
        more = self._more.get(day)
        if more:
            painter.setPen(QColor("#44505c"))
            painter.drawText(
                QRectF(rect.left() + 5, rect.bottom() - CHIP - 1, rect.width() - 10, CHIP),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                f"+{more} more",
            )
        if self._dragging and day == self.drop_day:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor("#1a5fb4"), 2, Qt.PenStyle.DashLine))
            painter.drawRect(rect.adjusted(2, 2, -2, -2))

    # -- the mouse --------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        point = event.position()
        review_id = self.visit_at(point)
        day = self.day_at(point)
        self.selected_id = review_id
        self.visit_selected.emit(review_id)
        self._press = (review_id, day, point) if review_id and day is not None else None
        self._dragging = False
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self._press is None:
            return
        _review_id, _day, start = self._press
        point = event.position()
        if not self._dragging:
            if (point - start).manhattanLength() < QApplication.startDragDistance():
                return
            self._dragging = True
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        self.drop_day = self.day_at(point)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        press, dragging = self._press, self._dragging
        self._press, self._dragging = None, False
        self.unsetCursor()
        target = self.day_at(event.position()) if dragging else None
        self.drop_day = None
        self.update()
        if press is None or target is None:
            return
        review_id, grabbed, _start = press
        visit = self.visit(review_id)
        if target == grabbed or visit is None or not visit.days:
            return
        # The visit keeps its length: the day grabbed lands on the day it is dropped on.
        self.move_requested.emit(review_id, visit.days[0] + (target - grabbed))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        point = event.position()
        review_id = self.visit_at(point)
        if review_id:
            self.open_requested.emit(review_id)
            return
        day = self.day_at(point)
        if day is not None and day.weekday() < 5:
            self.new_requested.emit(day)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def tooltip_at(self, point: QPointF) -> str:
        review_id = self.visit_at(point)
        visit = self.visit(review_id) if review_id else None
        if visit is not None:
            return visit.tooltip
        day = self.day_at(point)
        if day is None:
            return ""
        info = self.day_info.get(day, DayInfo())
        lines = [f"{day:%A %d %B %Y}"]
        if info.name:
            lines.append(info.name)
        lines += list(info.closures)
        more = self._more.get(day)
        if more:
            lines += [f"{v.label}: {v.status.label.lower()}" for v in self.visits_on(day)]
        return "\n".join(lines)

    # -- the keyboard -----------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        visit = self.visit(self.selected_id)
        if alt and visit is not None and visit.days and key in _MOVES:
            step, by_week = _MOVES[key]
            first = visit.days[0]
            moved = first + timedelta(weeks=step) if by_week else next_weekday(first, step)
            self.move_requested.emit(visit.review_id, moved)
        elif key == Qt.Key.Key_PageUp:
            self.step_month(-1)
        elif key == Qt.Key.Key_PageDown:
            self.step_month(1)
        elif key == Qt.Key.Key_Home:
            self.show_today()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and not alt:
            self._select_next(-1 if key == Qt.Key.Key_Left else 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and visit is not None:
            self.open_requested.emit(visit.review_id)
        else:
            super().keyPressEvent(event)

    def _select_next(self, step: int) -> None:
        """The previous or next visit of the month, by date then host."""
        order: list[int] = []
        for day in self.days_shown():
            if day.month != self.month.month:
                continue
            for visit in self.visits_on(day):
                if visit.review_id not in order:
                    order.append(visit.review_id)
        if not order:
            return
        if self.selected_id in order:
            index = min(max(order.index(self.selected_id) + step, 0), len(order) - 1)
        else:
            index = 0 if step > 0 else len(order) - 1
        self.selected_id = order[index]
        self.visit_selected.emit(self.selected_id)
        self.update()


# Alt+arrow: (steps, by whole weeks).
_MOVES = {
    Qt.Key.Key_Left: (-1, False),
    Qt.Key.Key_Right: (1, False),
    Qt.Key.Key_Up: (-1, True),
    Qt.Key.Key_Down: (1, True),
}
