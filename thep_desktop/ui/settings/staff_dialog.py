"""Settings > Staff: the partnership's own staff, who are the link officers of member schools.

Staff are never deleted, because school records name them as link officers: someone who
leaves is marked as left, hidden from the list (and from the link officer choices) unless
"Show former staff" is ticked, and can be marked as current again. Adding and editing happen
in a small form whose messages appear beside the fields; a change someone else saved
meanwhile is never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.services.registry import Services
from thep_desktop.services.settings.settings_permissions import EDIT_SETTINGS
from thep_desktop.services.settings.staff_service import STAFF_LABELS, StaffDetail, StaffInput
from thep_desktop.services.shared.errors import (
    ConflictError,
    NotFoundError,
    ServiceError,
    ValidationError,
)
from thep_desktop.ui.shared.forms import (
    ERROR_STYLE,
    KEEP_EDITING,
    RELOAD,
    FieldMessages,
    ask_about_conflict,
    correction_summary,
    editor_buttons,
    error_banner,
    may_close_unsaved,
    push_button,
)
from thep_desktop.ui.shared.list_views import begin_filter_change, end_filter_change, list_view
from thep_desktop.ui.shared.questions import ask, tell
from thep_desktop.ui.shared.roles import KIND_ROLE, ROW_ROLE, SORT_ROLE, VALUE_ROLE
from thep_desktop.ui.shared.table_export import export_view

ModelIndex = QModelIndex | QPersistentModelIndex

_GREY = QBrush(QColor("#8a8a8a"))

# Answers to "mark as left?".
MARK_LEFT = "Mark as left"
CANCEL = "Cancel"

INFO_STYLE = "background: #eef3f8; padding: 6px; border-radius: 3px;"
PROBLEM_STYLE = ERROR_STYLE + "background: #fdecef; padding: 6px; border-radius: 3px;"


# -- the table ------------------------------------------------------------------------------
@dataclass(frozen=True)
class StaffColumn:
    title: str
    value: Callable[[StaffDetail], Any]
    kind: str = "text"


COLUMNS: tuple[StaffColumn, ...] = (
    StaffColumn("Name", lambda s: s.full_name),
    StaffColumn("Job title", lambda s: s.job_title),
    StaffColumn("Email", lambda s: s.email),
    StaffColumn("Phone", lambda s: s.phone),
    StaffColumn("Current", lambda s: s.active, "bool"),
)
COL_NAME, COL_JOB, COL_EMAIL, COL_PHONE, COL_ACTIVE = range(len(COLUMNS))


def _sort_key(value: Any) -> tuple[bool, Any]:
    # Blanks last; text without regard to case.
    if isinstance(value, str):
        return (not value, value.casefold())
    return (False, value)


class StaffTableModel(QAbstractTableModel):
    """Read-only rows of the staff list; changes go through the form and the staff service."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[StaffDetail] = []

    def set_rows(self, rows: Iterable[StaffDetail]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[StaffDetail]:
        return self._rows

    def row_at(self, source_row: int) -> StaffDetail:
        return self._rows[source_row]

    def row_of_id(self, staff_id: int) -> int:
        for number, row in enumerate(self._rows):
            if row.id == staff_id:
                return number
        return -1

    # -- Qt overrides ------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        value = column.value(row)
        if role == Qt.ItemDataRole.DisplayRole:
            if column.kind == "bool":
                return "Yes" if value else "No – left"
            return value
        if role == VALUE_ROLE:
            return value
        if role == SORT_ROLE:
            return _sort_key(value)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ForegroundRole:
            return None if row.active else _GREY
        if role == Qt.ItemDataRole.ToolTipRole and not row.active:
            return f"{row.full_name} has left the partnership"
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if role == KIND_ROLE:
            return COLUMNS[section].kind
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_ACTIVE:
            return "Still works for the partnership"
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class StaffFilterProxy(QSortFilterProxyModel):
    """Hides former staff unless asked, matches the search words, sorts by ``SORT_ROLE``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self._show_former = False
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_search(self, text: str) -> None:
        begin_filter_change(self)
        self._words = tuple(text.casefold().split())
        end_filter_change(self)

    def set_show_former(self, show: bool) -> None:
        begin_filter_change(self)
        self._show_former = show
        end_filter_change(self)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        assert isinstance(model, StaffTableModel)
        row = model.row_at(source_row)
        if not row.active and not self._show_former:
            return False
        if not self._words:
            return True
        text = f"{row.full_name} {row.job_title} {row.email} {row.phone}".casefold()
        return all(word in text for word in self._words)

    def lessThan(self, left: ModelIndex, right: ModelIndex) -> bool:  # noqa: N802
        # The keys are tuples (blanks last), which Qt cannot compare itself; ties by name.
        model = self.sourceModel()
        assert isinstance(model, StaffTableModel)
        a, b = model.row_at(left.row()), model.row_at(right.row())
        key_a = (left.data(SORT_ROLE), _sort_key(a.full_name), a.id)
        key_b = (right.data(SORT_ROLE), _sort_key(b.full_name), b.id)
        return key_a < key_b

    def row_at(self, proxy_row: int) -> StaffDetail:
        return self.index(proxy_row, 0).data(ROW_ROLE)


# -- the add/edit form ------------------------------------------------------------------------
def as_input(detail: StaffDetail) -> StaffInput:
    return StaffInput(
        full_name=detail.full_name,
        job_title=detail.job_title,
        email=detail.email,
        phone=detail.phone,
        active=detail.active,
    )


class StaffForm(QDialog):
    """Add a member of staff (``detail`` None) or edit one. Emits ``saved(StaffDetail)``."""

    saved = Signal(object)

    def __init__(
        self,
        services: Services,
        detail: StaffDetail | None = None,
        parent: QWidget | None = None,
        *,
        ask_user: Callable[..., str] = ask,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.ask = ask_user
        self.detail = detail
        self.can_edit = services.actor.can(EDIT_SETTINGS)
        self.messages = FieldMessages()
        self.inputs: dict[str, QLineEdit] = {}
        if detail is None:
            title = "New member of staff"
        else:
            title = f"{'Edit' if self.can_edit else 'View'} {detail.full_name}"
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self._build()
        self._loaded = StaffInput()
        self._show(detail)
        if not self.can_edit:
            for edit in self.inputs.values():
                edit.setReadOnly(True)
                palette = edit.palette()  # grey, so nobody tries to type in them
                palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
                edit.setPalette(palette)
            self.active.setEnabled(False)

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.banner = error_banner()
        outer.addWidget(self.banner)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for name, limit, placeholder in (
            ("full_name", 200, "e.g. Nadia Rahman"),
            ("job_title", 200, "e.g. School improvement officer"),
            ("email", 254, "e.g. nadia.rahman@the-partnership.org.uk"),
            ("phone", 30, "e.g. 020 7364 1234"),
        ):
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setMaxLength(limit + 50)  # the service, not a silent cut, says it is too long
            edit.setPlaceholderText(placeholder)
            self.inputs[name] = edit
            self.messages.add_row(form, name, STAFF_LABELS[name], edit)
        self.active = QCheckBox("Works for the partnership now")
        self.active.setObjectName("active")
        self.active.setToolTip("Untick when someone leaves; their schools keep their name")
        form.addRow("Current", self.active)
        outer.addLayout(form)
        outer.addStretch(1)
        self.buttons = editor_buttons(self, self.can_edit, self.save, "this member of staff")
        outer.addWidget(self.buttons)

    @property
    def save_button(self) -> QPushButton | None:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def set_form(self, data: StaffInput) -> None:
        for name, edit in self.inputs.items():
            edit.setText(getattr(data, name))
            edit.setCursorPosition(0)
        self.active.setChecked(data.active)

    def form_input(self) -> StaffInput:
        values = {name: edit.text().strip() for name, edit in self.inputs.items()}
        return StaffInput(**values, active=self.active.isChecked())

    def is_dirty(self) -> bool:
        return self.form_input() != self._loaded

    def _show(self, detail: StaffDetail | None) -> None:
        self.detail = detail
        self.set_form(as_input(detail) if detail is not None else StaffInput())
        self._loaded = self.form_input()

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def save(self) -> bool:
        """Save through the service; True when saved (the form then closes)."""
        if not self.can_edit:
            return False
        data = self.form_input()
        self.messages.clear()
        self._show_banner("")
        staff = self.services.staff
        actor = self.services.actor
        try:
            if self.detail is None:
                saved = staff.create_staff(actor, data)
            else:
                saved = staff.update_staff(actor, self.detail.id, self.detail.version, data)
        except ValidationError as exc:
            unplaced = self.messages.show(exc.field_errors)
            summary = correction_summary(len(exc.field_errors))
            self._show_banner("\n".join([summary, *unplaced]))
            return False
        except ConflictError as exc:
            self._on_conflict(exc)
            return False
        except ServiceError as exc:
            self._show_banner(exc.message)
            return False
        self._show(saved)
        self.saved.emit(saved)
        self.accept()
        return True

    def _on_conflict(self, exc: ConflictError) -> None:
        answer = ask_about_conflict(self, self.ask, exc.message)
        if answer == KEEP_EDITING:
            self._show_banner(exc.message + " What you typed is still here.")
            return
        assert self.detail is not None
        mine, base = self.form_input(), self._loaded
        try:
            latest = self.services.staff.get_staff(self.services.actor, self.detail.id)
        except NotFoundError as gone:
            self._show_banner(gone.message)
            return
        self._show(latest)
        who = exc.changed_by or "the other user"
        if answer == RELOAD:
            self._show_banner(f"Reloaded: this is the record as {who} saved it.")
            return
        merged = replace(self._loaded)
        for f in fields(StaffInput):
            if getattr(mine, f.name) != getattr(base, f.name):
                setattr(merged, f.name, getattr(mine, f.name))
        self.set_form(merged)
        self._show_banner(
            f"{who}'s changes are now in the form, with yours on top. Check them, then save."
        )

    def reject(self) -> None:
        if self.can_edit and self.is_dirty():
            if not may_close_unsaved(self, self.ask, "this member of staff", self.save):
                return
        super().reject()


# -- the list -------------------------------------------------------------------------------
class StaffDialog(QDialog):
    """The staff list, with add, edit and mark as left/current."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.ask = ask
        self.tell = tell
        # How a form is shown; tests replace it to show the form without blocking.
        self.run_form: Callable[[StaffForm], object] = lambda form: form.exec()
        self.ask_save_path = QFileDialog.getSaveFileName  # tests answer it themselves
        self.export_job: object = None
        self.can_edit = services.actor.can(EDIT_SETTINGS)
        self.setWindowTitle("Staff")
        self.resize(860, 480)
        self._build()
        self.reload()
        self._apply_permissions()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        intro = QLabel(
            "The partnership's staff. Each member school has one of them as its link officer. "
            "Someone who leaves is marked as left rather than removed, so that the schools' "
            "records keep their name."
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555;")
        outer.addWidget(intro)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        outer.addWidget(self.banner)

        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search by name, job title, email or phone")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self.search,
            activated=lambda: self.search.clear() if self.search.text() else self.reject(),
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        search_label = QLabel("&Find:")
        search_label.setBuddy(self.search)
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        self.show_former = QCheckBox("Show &former staff")
        self.show_former.toggled.connect(self._show_former_changed)
        top.addSpacing(12)
        top.addWidget(self.show_former)
        outer.addLayout(top)

        self.model = StaffTableModel(self)
        self.proxy = StaffFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = list_view("staff", self.proxy, sort_column=COL_NAME)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((COL_NAME, 190), (COL_JOB, 210), (COL_EMAIL, 240), (COL_PHONE, 120)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(COL_EMAIL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_ACTIVE, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        outer.addWidget(self.table, 1)

        bottom = QHBoxLayout()
        self.add_button = push_button("&Add…", self.add_staff, "Add a member of staff (Ctrl+N)")
        self.edit_button = push_button(
            "&Edit…", self.edit_selected, "Change the selected member of staff (Enter)"
        )
        self.left_button = push_button("Mark as &left", self.toggle_left)
        self.history_button = push_button(
            "&History…", self.show_history, "Everything changed in the selected member of staff"
        )
        self.export_button = QPushButton("E&xport…")
        self.export_button.setToolTip(
            "Save the list as shown to an Excel workbook or CSV file (Ctrl+E)"
        )
        self.export_button.clicked.connect(self.export)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #555;")
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        for button in (
            self.add_button,
            self.edit_button,
            self.left_button,
            self.history_button,
            self.export_button,
            close,
        ):
            # Enter means "edit the selected row" here, never "press a button".
            button.setAutoDefault(False)
            button.setDefault(False)
        bottom.addWidget(self.add_button)
        bottom.addWidget(self.edit_button)
        bottom.addWidget(self.left_button)
        bottom.addWidget(self.history_button)
        bottom.addWidget(self.export_button)
        bottom.addSpacing(12)
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(close)
        outer.addLayout(bottom)
        QShortcut(QKeySequence.StandardKey.New, self, activated=self.add_staff)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)
        QShortcut(QKeySequence("Ctrl+E"), self, activated=self.export)

    def export(self) -> None:
        """The list as shown (search, former staff, sort) to Excel or CSV, off the main thread."""
        subtitle = "Current and former staff" if self.show_former.isChecked() else "Current staff"
        if self.search.text().strip():
            subtitle += f"; search “{self.search.text().strip()}”"
        self.export_job = export_view(
            self,
            self.table,
            "Partnership staff",
            subtitle,
            f"Staff {date.today().isoformat()}.xlsx",
            source=str(self.services.db.describe()),
            ask_path=self.ask_save_path,
            ask=self.ask,
            tell=self.tell,
        )

    def show_history(self) -> None:
        staff = self.selected()
        if staff is None or staff.uuid is None:
            return
        from thep_desktop.ui.audit.history_dialog import HistoryDialog

        HistoryDialog(self.services, staff.full_name, staff.uuid, self).exec()

    def _apply_permissions(self) -> None:
        if self.can_edit:
            return
        self.add_button.setEnabled(False)
        self.left_button.setEnabled(False)
        self.edit_button.setText("&View…")
        self.edit_button.setToolTip("Look at the selected member of staff (Enter)")
        actor = self.services.actor
        self._show_banner(
            f"{actor.name} may look at the staff list but not change it "
            f"(role: {actor.role.value}).",
            problem=False,
        )

    # -- the list ---------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        """Read the list again from the database, keeping (or moving to) a selection."""
        if select_id is None:
            current = self.selected()
            select_id = current.id if current is not None else None
        self.model.set_rows(self.services.staff.list_staff(self.services.actor))
        if select_id is not None:
            self.select_id(select_id)
        elif self.proxy.rowCount():
            self.table.selectRow(0)
        self._update_count()
        self._update_buttons()

    def select_id(self, staff_id: int) -> bool:
        source_row = self.model.row_of_id(staff_id)
        if source_row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def selected(self) -> StaffDetail | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return rows[0].data(ROW_ROLE)

    def names_shown(self) -> list[str]:
        return [self.proxy.row_at(r).full_name for r in range(self.proxy.rowCount())]

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._after_filter()

    def _show_former_changed(self, show: bool) -> None:
        self.proxy.set_show_former(show)
        self._after_filter()

    def _after_filter(self) -> None:
        # Keep a row selected, so that Enter in the search box edits the one found.
        if self.selected() is None and self.proxy.rowCount():
            self.table.selectRow(0)
        self._update_count()
        self._update_buttons()

    def _update_count(self) -> None:
        rows = self.model.rows()
        current = sum(1 for r in rows if r.active)
        former = len(rows) - current
        text = f"{current} current staff"
        if former:
            text += f", {former} former" + ("" if self.show_former.isChecked() else " (hidden)")
        shown = self.proxy.rowCount()
        visible = len(rows) if self.show_former.isChecked() else current
        if shown != visible:
            text += f"; {shown} shown"
        self.count_label.setText(text)

    def _update_buttons(self, *_args: object) -> None:
        staff = self.selected()
        self.edit_button.setEnabled(staff is not None)
        self.history_button.setEnabled(staff is not None and staff.uuid is not None)
        if staff is not None and not staff.active:
            self.left_button.setText("Mark as &current")
            self.left_button.setToolTip(f"{staff.full_name} works for the partnership again")
        else:
            self.left_button.setText("Mark as &left")
            self.left_button.setToolTip("The selected member of staff has left the partnership")
        self.left_button.setEnabled(self.can_edit and staff is not None)

    def _show_banner(self, text: str, *, problem: bool = False) -> None:
        self.banner.setStyleSheet(PROBLEM_STYLE if problem else INFO_STYLE)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    # -- actions ----------------------------------------------------------------------------
    def _open_form(self, detail: StaffDetail | None) -> StaffForm:
        form = StaffForm(self.services, detail, self, ask_user=self.ask)
        form.saved.connect(self._form_saved)
        self.run_form(form)
        return form

    def _form_saved(self, saved: StaffDetail) -> None:
        if not saved.active and not self.show_former.isChecked():
            self._show_banner(
                f"{saved.full_name} is saved as former staff, so is hidden from the list; "
                "tick Show former staff to see them."
            )
        else:
            self._show_banner(f"{saved.full_name} is saved.")
        self.reload(saved.id)

    def add_staff(self) -> StaffForm | None:
        if not self.can_edit:
            return None
        return self._open_form(None)

    def edit_selected(self) -> StaffForm | None:
        staff = self.selected()
        if staff is None:
            return None
        return self._open_form(staff)

    def toggle_left(self) -> bool:
        """Mark the selected member of staff as left (or as current again)."""
        staff = self.selected()
        if staff is None or not self.can_edit:
            return False
        if staff.active:
            answer = self.ask(
                self,
                "Mark as left",
                f"Mark {staff.full_name} as having left the partnership?\n\n"
                "Schools that have them as link officer keep their name until you choose "
                "someone else; they are no longer offered as a link officer.",
                [MARK_LEFT, CANCEL],
            )
            if answer != MARK_LEFT:
                return False
        data = replace(as_input(staff), active=not staff.active)
        try:
            saved = self.services.staff.update_staff(
                self.services.actor, staff.id, staff.version, data
            )
        except ServiceError as exc:
            # Someone changed or removed the record meanwhile: say so and show theirs.
            self.tell(self, "Not changed", exc.message)
            self.reload(staff.id)
            return False
        if saved.active:
            self._show_banner(f"{saved.full_name} is marked as current staff again.")
        elif self.show_former.isChecked():
            self._show_banner(f"{saved.full_name} is marked as having left.")
        else:
            self._show_banner(
                f"{saved.full_name} is marked as having left and is now hidden; "
                "tick Show former staff to see them."
            )
        self.reload(saved.id)
        return True

    # -- keys -------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            self.table.hasFocus() or self.search.hasFocus()
        ):
            self.edit_selected()
            return
        super().keyPressEvent(event)
