"""Who was at a meeting, a row of boxes each (status, arrived at item, left before item, proxy),
and the quorum at every agenda item worked out as the boxes change, before anything is saved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.governance import (
    Attendance,
    Presence,
    QuorumAt,
    QuorumRule,
    presence_problems,
    quorum_at,
)
from thep_desktop.services.governance.governance_data import AttendanceDetail, AttendanceInput
from thep_desktop.ui.governance.meeting_fields import (
    ALARM_STYLE,
    GOOD_STYLE,
    WARNING_SIGN,
    chosen_enum,
    html,
    item_label,
)
from thep_desktop.ui.shared.forms import (
    ERROR_STYLE,
    FieldMessages,
    push_button,
    show_field_text,
)

FROM_START = "On time"
TO_THE_END = "Stayed"
GUEST_NOTE = "guest (no vote)"


@dataclass(frozen=True)
class Attendee:
    """Who a row is about, as the service proposed or saved it (a guest: no person, no school)."""

    label: str
    role: str
    person_id: int | None = None
    member_id: int | None = None
    votes: bool = False
    why_no_vote: str = GUEST_NOTE

    @property
    def is_guest(self) -> bool:
        return self.person_id is None and self.member_id is None


class AttendanceRow:
    """The boxes of one line."""

    def __init__(self, who: Attendee, general: bool) -> None:
        self.who = who
        self.general = general
        if who.is_guest:
            self.name: QLabel | QLineEdit = QLineEdit(who.label)
            self.name.setPlaceholderText("Guest's name")
            self.role: QLabel | QLineEdit = QLineEdit(who.role)
            self.role.setPlaceholderText("e.g. Auditor, observer")
        else:
            self.name = QLabel(html(who.label))
            self.role = QLabel(html(who.role))
            self.role.setWordWrap(True)
        self.represented_by = QLineEdit()
        self.represented_by.setPlaceholderText("Who came")
        self.represented_by.setToolTip("Who came for the school (e.g. the head teacher)")
        self.represented_by.setMinimumWidth(90)
        self.status = QComboBox()
        for status in Attendance:
            self.status.addItem(status.label, status)
        self.arrived = QComboBox()
        self.arrived.setToolTip("The first item they were there for")
        self.left = QComboBox()
        self.left.setToolTip("The first item they missed after leaving (left before it)")
        for combo in (self.arrived, self.left):
            # As wide as an item's number and the start of its title, not its whole title.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(7 if general else 11)
        self.by_proxy = QCheckBox()
        self.by_proxy.setToolTip("The school voted through a proxy")
        self.proxy_name = QLineEdit()
        self.proxy_name.setPlaceholderText("Proxy holder")
        self.proxy_name.setMinimumWidth(90)
        self.votes = QLabel()
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setToolTip("Take this guest off")
        if not who.is_guest:
            self.remove.hide()
        self.show_vote()

    def widgets(self) -> tuple[QWidget, ...]:
        if self.general:
            return (
                self.name,
                self.represented_by,
                self.status,
                self.arrived,
                self.left,
                self.by_proxy,
                self.proxy_name,
                self.votes,
                self.remove,
            )
        return (self.name, self.role, self.status, self.arrived, self.left, self.votes, self.remove)

    def fill(self, line: AttendanceDetail | AttendanceInput) -> None:
        self.status.setCurrentIndex(self.status.findData(line.status))
        if self.general and not self.who.is_guest:
            show_field_text(self.represented_by, line.name)
        self.by_proxy.setChecked(line.by_proxy)
        show_field_text(self.proxy_name, line.proxy_name)
        self._choose(self.arrived, line.arrived_at_item)
        self._choose(self.left, line.left_at_item)

    def set_items(self, items: Sequence[tuple[int, str]]) -> None:
        """The agenda's items (number, title) to arrive or leave at; a number gone stays,
        marked."""
        for combo, none_text in ((self.arrived, FROM_START), (self.left, TO_THE_END)):
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(none_text, None)
            for number, title in items:
                combo.addItem(item_label(number, title or "(no title yet)"), number)
            if keep is not None and combo.findData(keep) < 0:
                combo.addItem(f"{keep}. (not on the agenda)", keep)
            self._choose(combo, keep)
            combo.blockSignals(False)

    @staticmethod
    def _choose(combo: QComboBox, number: int | None) -> None:
        if number is not None and combo.findData(number) < 0:
            combo.addItem(f"{number}. (not on the agenda)", number)
        index = combo.findData(number) if number is not None else 0
        combo.setCurrentIndex(max(index, 0))

    def status_value(self) -> Attendance:
        return chosen_enum(self.status, Attendance) or Attendance.ABSENT

    def show_vote(self) -> None:
        if self.who.votes:
            self.votes.setText("Yes")
            self.votes.setToolTip("")
        else:
            self.votes.setText(f"No: {self.who.why_no_vote}" if self.who.why_no_vote else "No")
            self.votes.setToolTip(self.votes.text())
        self.votes.setMinimumWidth(100)
        self.votes.setWordWrap(True)

    def value(self) -> AttendanceInput:
        if self.who.is_guest:
            name, role = self.name.text().strip(), self.role.text().strip()  # type: ignore[union-attr]
        elif self.general:
            name, role = self.represented_by.text().strip(), self.who.role
        else:
            name, role = self.who.label, self.who.role
        return AttendanceInput(
            status=self.status_value(),
            person_id=self.who.person_id,
            member_id=self.who.member_id,
            name=name,
            role=role,
            by_proxy=self.general and self.by_proxy.isChecked(),
            proxy_name=self.proxy_name.text().strip() if self.general else "",
            arrived_at_item=self.arrived.currentData(),
            left_at_item=self.left.currentData(),
        )

    def presence(self, key: int) -> Presence:
        line = self.value()
        return Presence(key, line.status, self.who.votes, line.arrived_at_item, line.left_at_item)

    def name_text(self) -> str:
        if isinstance(self.name, QLineEdit):
            return self.name.text().strip() or "(a guest with no name)"
        return self.who.label


class AttendanceTable(QWidget):
    """The attendance as typed (``values()``), the quorum at each item (``quorum()``) shown
    beside it as the boxes change."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AttendanceRow] = []
        self.general = False
        self.rule = QuorumRule(number=1)
        self.entitled = 0
        self.items: list[tuple[int, str]] = []
        self.read_only = False
        outer = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(splitter, 1)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        self.rows_area = QScrollArea()
        self.rows_area.setWidgetResizable(True)
        self.rows_area.setObjectName("attendance")
        inner = QWidget()
        self.grid = QGridLayout(inner)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.grid.setHorizontalSpacing(6)
        self.rows_area.setWidget(inner)
        left_box.addWidget(self.rows_area, 1)
        self.problems = QLabel()
        self.problems.setObjectName("attendance_problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(ERROR_STYLE)
        self.problems.hide()
        left_box.addWidget(self.problems)
        self.refusal = FieldMessages.message_label("attendance")
        left_box.addWidget(self.refusal)
        adding = QHBoxLayout()
        self.add_guest_button = push_button(
            "Add &guest or observer", self.add_guest, "Someone at the meeting without a vote"
        )
        adding.addWidget(self.add_guest_button)
        adding.addStretch(1)
        left_box.addLayout(adding)
        splitter.addWidget(left)
        quorum = QWidget()
        quorum_box = QVBoxLayout(quorum)
        quorum_box.setContentsMargins(6, 0, 0, 0)
        heading = QLabel("<b>Quorum at each item</b>")
        quorum_box.addWidget(heading)
        self.rule_label = QLabel()
        self.rule_label.setWordWrap(True)
        quorum_box.addWidget(self.rule_label)
        self.quorum_label = QLabel()
        self.quorum_label.setObjectName("quorum")
        self.quorum_label.setWordWrap(True)
        self.quorum_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.quorum_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        quorum_box.addWidget(self.quorum_label, 1)
        splitter.addWidget(quorum)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([820, 240])

    # -- filling ----------------------------------------------------------------------------
    def set_lines(
        self,
        lines: Sequence[AttendanceDetail],
        general: bool,
        rule: QuorumRule,
        entitled: int,
    ) -> None:
        self.general = general
        self.rule = rule
        self.entitled = entitled
        self._clear()
        self._headings()
        for line in lines:
            who = Attendee(
                line.label if line.person_id or line.member_id else line.name,
                line.role,
                line.person_id,
                line.member_id,
                line.votes,
                line.why_no_vote,
            )
            self._add(who, line)
        self.show_quorum()

    def _headings(self) -> None:
        if self.general:
            titles = (
                "Member school",
                "Represented by",
                "Status",
                "Arrived",
                "Left",
                "Proxy",
                "Proxy holder",
                "May vote",
                "",
            )
        else:
            titles = ("Name", "Role / school", "Status", "Arrived", "Left", "May vote", "")
        for column, title in enumerate(titles):
            label = QLabel(f"<b>{title}</b>")
            label.setProperty("heading", True)
            self.grid.addWidget(label, 0, column)
        self.grid.setColumnStretch(0, 2)
        self.grid.setColumnStretch(1, 2)
        self.grid.setColumnStretch(len(titles) - 2, 3)

    def _clear(self) -> None:
        while self.grid.count():
            taken = self.grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for column in range(self.grid.columnCount()):
            self.grid.setColumnStretch(column, 0)
        self.rows = []

    def _add(self, who: Attendee, line: AttendanceDetail | AttendanceInput | None) -> AttendanceRow:
        row = AttendanceRow(who, self.general)
        row.set_items(self.items)
        if line is not None:
            row.fill(line)
        number = len(self.rows) + 1
        for column, widget in enumerate(row.widgets()):
            self.grid.addWidget(widget, number, column)
        for combo in (row.status, row.arrived, row.left):
            combo.currentIndexChanged.connect(lambda _i: self._changed())
        for edit in (row.represented_by, row.proxy_name):
            edit.textChanged.connect(lambda _t: self.changed.emit())
        if isinstance(row.name, QLineEdit) and isinstance(row.role, QLineEdit):
            row.name.textChanged.connect(lambda _t: self.changed.emit())
            row.role.textChanged.connect(lambda _t: self.changed.emit())
        row.by_proxy.toggled.connect(lambda on, r=row: self._proxy_toggled(r, on))
        row.remove.clicked.connect(lambda _c=False, r=row: self.remove(r))
        if self.read_only:
            _read_only_row(row)
        self.rows.append(row)
        return row

    def add_guest(self) -> AttendanceRow:
        row = self._add(Attendee("", ""), AttendanceInput(Attendance.IN_ATTENDANCE))
        self._changed()
        if isinstance(row.name, QLineEdit):
            row.name.setFocus()
            self.rows_area.ensureWidgetVisible(row.name)
        return row

    def remove(self, row: AttendanceRow) -> None:
        kept = [(r.who, r.value()) for r in self.rows if r is not row]
        self._clear()
        self._headings()
        for who, line in kept:
            self._add(who, line)
        self._changed()

    def set_items(self, items: list[tuple[int, str]]) -> None:
        """The agenda as now typed: (number, title)."""
        self.items = items
        for row in self.rows:
            row.set_items(items)
        self.show_quorum()

    # -- as the person changes it -----------------------------------------------------------
    def _proxy_toggled(self, row: AttendanceRow, on: bool) -> None:
        """A school that voted by proxy was present (through its proxy)."""
        if on and row.status_value() != Attendance.PRESENT:
            row.status.setCurrentIndex(row.status.findData(Attendance.PRESENT))
        if on:
            row.proxy_name.setFocus()
        self._changed()

    def _changed(self) -> None:
        self.show_quorum()
        self.changed.emit()

    def quorum(self) -> list[QuorumAt]:
        presences = [row.presence(key) for key, row in enumerate(self.rows)]
        return [quorum_at(self.rule, self.entitled, presences, n) for n, _ in self.items]

    def show_quorum(self) -> None:
        needed = self.rule.needed(self.entitled)
        who = "member schools entitled to vote" if self.general else "voting members"
        self.rule_label.setText(
            f"{self.entitled} {who}; the rule: {html(self.rule.label)}, so {needed} needed."
        )
        lines = []
        for (number, title), at in zip(self.items, self.quorum(), strict=True):
            name = html(f"{number}. {_short(title or '(no title yet)')}")
            counts = f"{at.present} present of {at.needed} needed"
            if at.quorate:
                lines.append(f"<span style='{GOOD_STYLE}'>{name}: quorate: {counts}</span>")
            else:
                lines.append(
                    f"<span style='{ALARM_STYLE}'>{WARNING_SIGN} {name}: NOT quorate: "
                    f"{counts}</span>"
                )
        self.quorum_label.setText("<br>".join(lines) or "<i>The agenda has no items.</i>")
        problems = self.row_problems()
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))

    def quorum_lines(self) -> list[str]:
        """The quorum as the person reads it, one line an item (without markup)."""
        return [
            f"{n}. {t}: "
            + ("quorate" if q.quorate else f"{WARNING_SIGN} NOT quorate")
            + f": {q.present} present of {q.needed} needed"
            for (n, t), q in zip(self.items, self.quorum(), strict=True)
        ]

    def row_problems(self) -> list[str]:
        numbers = [n for n, _ in self.items]
        problems = []
        for key, row in enumerate(self.rows):
            problem = presence_problems(row.presence(key), numbers)
            if problem:
                problems.append(f"{row.name_text()}: {problem}")
        return problems

    def values(self) -> list[AttendanceInput]:
        return [row.value() for row in self.rows]

    def state(self) -> tuple[object, ...]:
        return tuple(self.values())

    def set_read_only(self) -> None:
        self.read_only = True
        self.add_guest_button.hide()
        for row in self.rows:
            _read_only_row(row)


def _short(title: str, most: int = 30) -> str:
    """A long item title cut at a word, so each item's quorum stays on a line or two."""
    if len(title) <= most:
        return title
    return title[:most].rsplit(" ", 1)[0] + "…"


def _read_only_row(row: AttendanceRow) -> None:
    for combo in (row.status, row.arrived, row.left):
        combo.setEnabled(False)
    row.by_proxy.setEnabled(False)
    for edit in (row.represented_by, row.proxy_name, row.name, row.role):
        if isinstance(edit, QLineEdit):
            edit.setReadOnly(True)
    row.remove.hide()
