"""The left of Letters > Letter templates: the list of templates, its buttons, the merge fields."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.services.letters.letters_service import TemplateDetail
from thep_desktop.ui.letters.merge_field_picker import MergeFieldPicker
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel

LIST_COLUMNS = (
    PlainColumn("Template"),
    PlainColumn("Usually sent to"),
    PlainColumn(
        "Kind",
        tooltip="Built in: shipped with the program (its wording can be changed, or reset). "
        "Own: written by the office.",
    ),
)
BUILT_IN = "Built in"
BUILT_IN_CHANGED = "Built in, changed"
OWN = "Own"


def kind_of(template: TemplateDetail) -> str:
    if not template.builtin:
        return OWN
    return BUILT_IN_CHANGED if template.changed_from_builtin else BUILT_IN


class TemplateList(QWidget):
    """The templates by name, New/Duplicate/Delete/Reset under them, then the merge fields.

    Emits ``chosen(template_id)`` when the user selects another template; selections made
    by the program (:meth:`set_templates`, :meth:`select_row_of`) emit nothing. The window
    that holds it connects the buttons, since only it knows what the form holds.
    """

    chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._quiet = False
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 4, 0)
        caption = QLabel("<b>Templates</b>")
        box.addWidget(caption)
        self.model = PlainTableModel(LIST_COLUMNS, parent=self)
        self.table = list_view("templates", self.model, sort_column=0)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        caption.setBuddy(self.table)
        box.addWidget(self.table, 3)

        row = QGridLayout()
        self.new_button = QPushButton("&New")
        self.new_button.setToolTip("Start a new template of the office's own")
        self.duplicate_button = QPushButton("D&uplicate")
        self.duplicate_button.setToolTip("A new template starting from this one's wording")
        self.delete_button = QPushButton("&Delete…")
        self.delete_button.setToolTip("Delete this template (only the office's own ones)")
        self.reset_button = QPushButton("&Reset…")
        self.reset_button.setToolTip("Put this built-in template back to the wording shipped")
        # Two by two, so the list can be narrow and the letter's preview wide.
        for number, button in enumerate(self.action_buttons):
            button.setAutoDefault(False)
            row.addWidget(button, number // 2, number % 2)
        box.addLayout(row)

        self.field_picker = MergeFieldPicker()
        box.addWidget(self.field_picker, 5)

    @property
    def action_buttons(self) -> tuple[QPushButton, ...]:
        """New, Duplicate, Delete and Reset: the buttons that change templates."""
        return (self.new_button, self.duplicate_button, self.delete_button, self.reset_button)

    def set_templates(self, templates: list[TemplateDetail]) -> None:
        """List ``templates``, sorted as the user last chose."""
        self._quiet = True
        try:
            self.model.set_rows([(t.name, t.contact_role, kind_of(t), t.id) for t in templates])
            header = self.table.horizontalHeader()
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        finally:
            self._quiet = False

    def names_shown(self) -> list[str]:
        return [self.model.row_values(r)[0] for r in range(self.model.rowCount())]

    def template_id_at(self, row: int) -> int:
        return int(self.model.row_values(row)[3])

    def select_as_clicked(self, name_or_id: str | int) -> int | None:
        """Select the row of a template by name or id as a click would; its id, or None."""
        for row in range(self.model.rowCount()):
            values = self.model.row_values(row)
            if name_or_id in (values[0], values[3]):
                self.table.selectRow(row)
                return int(values[3])
        return None

    def select_row_of(self, template_id: int | None) -> bool:
        """Select the row of ``template_id`` (or nothing) without acting on the change."""
        self._quiet = True
        try:
            selection = self.table.selectionModel()
            selection.clearSelection()
            for row in range(self.model.rowCount()):
                if self.model.row_values(row)[3] == template_id:
                    index = self.model.index(row, 0)
                    selection.setCurrentIndex(
                        index,
                        QItemSelectionModel.SelectionFlag.ClearAndSelect
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )
                    self.table.scrollTo(index)
                    return True
            return False
        finally:
            self._quiet = False

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.template_id_at(rows[0].row()) if rows else None

    def _selection_changed(self, *_args: object) -> None:
        if self._quiet:
            return
        wanted = self.selected_id()
        if wanted is not None:
            self.chosen.emit(wanted)
