"""Who a mail merge writes to: the schools or members and contact chosen, and the check list."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.services.letters.letter_recipients import (
    ClusterAudience,
    Recipient,
    Skipped,
)
from thep_desktop.services.letters.mail_merge import lacking_reason
from thep_desktop.ui.shared.forms import ERROR_STYLE, FieldMessages
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel

SELECTED = "selected"
SHOWN = "shown"
ALL_OPEN = "open"
ALL_MEMBERS = "members"
ALL_FULL = "full_members"
CHOSEN_MEMBERS = "chosen_members"  # the member(s) chosen in the Memberships tab
CLUSTER = "cluster"  # the open schools of the peer-review cluster chosen beside it
MEMBER_KEYS = (ALL_MEMBERS, ALL_FULL, CHOSEN_MEMBERS)  # their ids are members', not schools'

RECIPIENT_COLUMNS = (
    PlainColumn("School or member"),
    PlainColumn("Addressed to"),
    PlainColumn("Note", tooltip="Why a letter is addressed to the school, or left out"),
)
LEFT_OUT = "Left out: "


def field_row(
    messages: FieldMessages, grid: QGridLayout, row: int, name: str, caption: str, widget: QWidget
) -> None:
    """``caption: widget`` with a message line under the widget, in a grid's row."""
    holder, _message = messages.with_message(name, widget)
    label = QLabel(caption)
    label.setBuddy(widget)
    label.setMinimumHeight(widget.sizeHint().height())
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
    grid.addWidget(holder, row, 1)


def check_rows(
    recipients: Sequence[Recipient], skipped: Sequence[Skipped], needs: Sequence[str]
) -> tuple[list[tuple[int, str, str, str]], int]:
    """The check list's rows as (rank, school, addressed to, note), and how many fall back.

    Rank 0: left out; 1: addressed to the school for want of a named contact; 2: a named
    contact. Sorted by rank, then school, so what needs attention comes first.
    """
    rows: list[tuple[int, str, str, str]] = []
    fallbacks = 0
    for recipient in recipients:
        addressed = recipient.contact_name or recipient.address[0]
        lacking = [n for n in needs if n not in recipient.values]
        if lacking:
            note = LEFT_OUT + lacking_reason(recipient, lacking)
            rows.append((0, recipient.school_name, addressed, note))
        elif recipient.warning:
            fallbacks += 1
            note = recipient.warning[:1].upper() + recipient.warning[1:]
            rows.append((1, recipient.school_name, addressed, note))
        else:
            rows.append((2, recipient.school_name, addressed, ""))
    for school in skipped:
        rows.append((0, school.school_name, "", LEFT_OUT + school.reason))
    rows.sort(key=lambda r: (r[0], r[1].casefold()))
    return rows, fallbacks


class RecipientChoice(QGroupBox):
    """ "Write to": the schools selected, shown or all open ones, a cluster's schools, or all
    (full) members, and the contact's role at a school.

    Emits ``changed`` when the recipients or the role change, so the check list follows.
    """

    changed = Signal()

    def __init__(
        self,
        messages: FieldMessages,
        selected_ids: Sequence[int],
        shown_ids: Sequence[int],
        open_ids: list[int],
        proposed_ids: list[int],
        contact_roles: Sequence[str],
        parent: QWidget | None = None,
        *,
        member_ids: Sequence[int] = (),
        full_member_ids: Sequence[int] = (),
        chosen_member_ids: Sequence[int] = (),
        clusters: Sequence[ClusterAudience] = (),
    ) -> None:
        super().__init__("Write to", parent)
        self.open_ids = open_ids
        self.proposed_ids = proposed_ids
        self.clusters = list(clusters)
        # School ids, or for MEMBER_KEYS member ids.
        self.school_ids_for = {
            SELECTED: list(selected_ids),
            SHOWN: list(shown_ids),
            ALL_OPEN: open_ids,
            ALL_MEMBERS: list(member_ids),
            ALL_FULL: list(full_member_ids),
            CHOSEN_MEMBERS: list(chosen_member_ids),
            CLUSTER: list(self.clusters[0].school_ids) if self.clusters else [],
        }
        box = QVBoxLayout(self)
        self.recipient_choice = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        choices = [
            (SELECTED, "&Selected schools"),
            (SHOWN, "Schools s&hown in the Schools tab"),
            (ALL_OPEN, "&All open schools"),
            (CLUSTER, "A c&luster"),
            (ALL_MEMBERS, "All &members"),
            (ALL_FULL, "All f&ull members"),
        ]
        if chosen_member_ids:  # opened from the Memberships tab for its chosen member(s)
            choices.insert(0, (CHOSEN_MEMBERS, "The member &chosen in the Memberships tab"))
        for key, text in choices:
            count = len(self.school_ids_for[key])
            radio = QRadioButton(f"{text} ({count:,})")
            radio.setObjectName(f"recipients_{key}")
            radio.setEnabled(count > 0)
            self.radios[key] = radio
            self.recipient_choice.addButton(radio)
            radio.toggled.connect(self._recipients_toggled)
            if key == CLUSTER:
                box.addLayout(self._cluster_row(radio))
                continue
            box.addWidget(radio)
            if key == ALL_OPEN:
                box.addWidget(self._proposed_check())
            if key == CHOSEN_MEMBERS:
                radio.setToolTip("The member selected in the Memberships tab")
            elif key in MEMBER_KEYS:
                radio.setToolTip(
                    "Every member today (or every full member): a member school at the "
                    "school, an organisation or a person at its own address. A member under "
                    "notice is a member until its notice runs out."
                    if count
                    else "No members are recorded yet (the Memberships tab)"
                )
        if not self.school_ids_for[SELECTED]:
            self.radios[SELECTED].setToolTip("Select schools in the Schools tab first")
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        self.contact_role = QComboBox()
        self.contact_role.setObjectName("contact_role")
        self.contact_role.setEditable(True)
        self.contact_role.addItems(list(contact_roles))
        self.contact_role.setToolTip(
            "Each letter goes to the school's contact with this role; a school without one "
            "gets a letter addressed to the role at the school's address."
        )
        self.contact_role.editTextChanged.connect(lambda _text: self.changed.emit())
        field_row(messages, grid, 0, "contact_role", "&Contact", self.contact_role)
        box.addLayout(grid)

    def _proposed_check(self) -> QCheckBox:
        """Whether "all open schools" takes in those only proposed to open (off at first)."""
        count = len(self.proposed_ids)
        self.proposed_check = QCheckBox(
            f"Include schools &proposed to open ({count:,})"
            if count
            else "No schools are proposed to open"
        )
        self.proposed_check.setObjectName("include_proposed")
        self.proposed_check.setToolTip(
            "A school proposed to open has no pupils yet, and often no head or address: "
            "it is left out of “all open schools” unless you tick this."
        )
        self.proposed_check.setEnabled(False)
        self.proposed_check.setStyleSheet("margin-left: 22px;")
        self.proposed_check.toggled.connect(self._proposed_toggled)
        return self.proposed_check

    def _cluster_row(self, radio: QRadioButton) -> QHBoxLayout:
        """The cluster choice: its button, then the clusters to choose from beside it."""
        self.cluster_combo = QComboBox()
        self.cluster_combo.setObjectName("cluster")
        for cluster in self.clusters:
            self.cluster_combo.addItem(cluster.name, cluster.cluster_id)
        self.cluster_combo.setEnabled(bool(self.clusters))
        self.cluster_combo.setToolTip(
            "The peer-review cluster to write to: each of its open schools gets a letter"
            if self.clusters
            else "No clusters are recorded yet (the Peer reviews tab)"
        )
        radio.setEnabled(bool(self.clusters))
        radio.setToolTip(self.cluster_combo.toolTip())
        self.cluster_combo.currentIndexChanged.connect(self._cluster_chosen)
        row = QHBoxLayout()
        row.addWidget(radio)
        row.addWidget(self.cluster_combo, 1)
        return row

    def _cluster_chosen(self, index: int) -> None:
        """Another cluster chosen: its schools are the ones written to, from now."""
        ids = list(self.clusters[index].school_ids) if 0 <= index < len(self.clusters) else []
        self.school_ids_for[CLUSTER] = ids
        radio = self.radios[CLUSTER]
        radio.setText(f"A c&luster ({len(ids):,})")
        if radio.isChecked():
            self.changed.emit()
        else:
            radio.setChecked(True)  # choosing a cluster is choosing to write to it

    def cluster_name(self) -> str:
        """The cluster chosen beside "A cluster" ("" when there are none)."""
        return self.cluster_combo.currentText()

    def _proposed_toggled(self, checked: bool) -> None:
        ids = self.open_ids + (self.proposed_ids if checked else [])
        self.school_ids_for[ALL_OPEN] = ids
        self.radios[ALL_OPEN].setText(f"&All open schools ({len(ids):,})")
        self.radios[ALL_OPEN].setEnabled(bool(ids))
        self.changed.emit()

    def _recipients_toggled(self, checked: bool) -> None:
        self.proposed_check.setEnabled(
            self.radios[ALL_OPEN].isChecked() and bool(self.proposed_ids)
        )
        if checked:  # the button turned on, not the one turned off
            self.changed.emit()

    def choose_default(self) -> None:
        """The member(s) chosen, else the first of selected, shown and all open schools with any."""
        for key in (CHOSEN_MEMBERS, SELECTED, SHOWN, ALL_OPEN):
            if self.school_ids_for[key] and key in self.radios:
                self.radios[key].setChecked(True)
                break

    def recipients_key(self) -> str:
        for key, radio in self.radios.items():
            if radio.isChecked():
                return key
        return ""

    def school_ids(self) -> list[int]:
        """The schools chosen; none when the choice is members."""
        key = self.recipients_key()
        return [] if key in MEMBER_KEYS else list(self.school_ids_for.get(key, []))

    def member_ids(self) -> list[int]:
        """The members chosen; none when the choice is schools."""
        key = self.recipients_key()
        return list(self.school_ids_for[key]) if key in MEMBER_KEYS else []


class RecipientCheck(QWidget):
    """ "Who gets a letter": a line on what will happen, then each school and its letter.

    The window that holds it connects ``check_button`` and ``export_button``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 0, 0, 0)
        caption = QLabel("<b>Who gets a letter</b>")
        box.addWidget(caption)
        self.check_summary = QLabel()
        self.check_summary.setObjectName("check_summary")
        self.check_summary.setWordWrap(True)
        box.addWidget(self.check_summary)
        self.model = PlainTableModel(RECIPIENT_COLUMNS, parent=self)
        self.table = QTableView()
        self.table.setObjectName("recipients")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        # Notes wrap, so each reason can be read in full. The rows are measured once, when the
        # list is filled or sorted or a column is resized, not by the header at every paint
        # (ResizeToContents): a paint that measures thousands of rows, each cell a Python call
        # that waits for the interpreter while a mail merge renders on its thread, froze this
        # window (no progress, no Cancel) until the letters were made.
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        self.table.setColumnWidth(0, 220)
        self.table.setColumnWidth(1, 170)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.model.modelReset.connect(self.measure_rows)
        self.model.layoutChanged.connect(self.measure_rows)
        # A column dragged wider, or the window resized: the notes wrap again, once it settles.
        self._measure_timer = QTimer(self)
        self._measure_timer.setSingleShot(True)
        self._measure_timer.setInterval(100)
        self._measure_timer.timeout.connect(self.measure_rows)
        header.sectionResized.connect(lambda *_: self._measure_timer.start())
        caption.setBuddy(self.table)
        box.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.check_button = QPushButton("Check &recipients")
        self.check_button.setAutoDefault(False)
        self.check_button.setToolTip("Read the schools' contacts again and list who gets what")
        row.addWidget(self.check_button)
        self.export_button = QPushButton("E&xport this list…")
        self.export_button.setAutoDefault(False)
        self.export_button.setToolTip("Save who gets a letter to Excel or CSV (Ctrl+E)")
        row.addWidget(self.export_button)
        row.addStretch(1)
        box.addLayout(row)

    def measure_rows(self) -> None:
        """Fit each row's height to its wrapped note, now (the list is filled while no job runs)."""
        self._measure_timer.stop()
        self.table.resizeRowsToContents()

    def show_rows(self, rows: Sequence[tuple[str, str, str]]) -> None:
        """List ``rows`` in the order given (the sort indicator cleared to say so)."""
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.model.set_rows(list(rows))

    def show_note(self, text: str, *, problem: bool = False) -> None:
        self.check_summary.setStyleSheet(ERROR_STYLE if problem else "")
        self.check_summary.setText(text)

    def rows(self) -> list[tuple[str, str, str]]:
        """The check list as shown (school, addressed to, note)."""
        return [self.model.row_values(r) for r in range(self.model.rowCount())]  # type: ignore[misc]
