"""The contacts of one school being edited: an editable table over ``ContactInput`` records."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from thep_desktop.services.schools.school_choices import CONTACT_ROLES
from thep_desktop.services.schools.schools_service import ContactInput

ModelIndex = QModelIndex | QPersistentModelIndex

CONTACT_COLUMNS = (("full_name", "Name"), ("role", "Role"), ("email", "Email"), ("phone", "Phone"))
COL_CONTACT_ROLE = 1


class ContactsTableModel(QAbstractTableModel):
    """Edits a list of contacts in memory; the school dialog saves them with the school."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._contacts: list[ContactInput] = []
        self._problems: dict[int, str] = {}

    def set_contacts(self, contacts: list[ContactInput]) -> None:
        self.beginResetModel()
        self._contacts = [replace(c) for c in contacts]
        self._problems = {}
        self.endResetModel()

    def contacts(self) -> list[ContactInput]:
        return [replace(c) for c in self._contacts]

    def add_contact(self, role: str = "") -> int:
        row = len(self._contacts)
        self.beginInsertRows(QModelIndex(), row, row)
        self._contacts.append(ContactInput(role=role))
        self.endInsertRows()
        return row

    def remove_contact(self, row: int) -> None:
        if not 0 <= row < len(self._contacts):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._contacts[row]
        self._problems = {}
        self.endRemoveRows()

    def set_problems(self, problems: dict[int, str]) -> None:
        """Mark rows the service refused (row number -> message) so they show in red."""
        self._problems = dict(problems)
        if self._contacts:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._contacts) - 1, len(CONTACT_COLUMNS) - 1)
            )

    # -- Qt overrides ------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._contacts)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CONTACT_COLUMNS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        contact = self._contacts[index.row()]
        name = CONTACT_COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return getattr(contact, name)
        if role == Qt.ItemDataRole.ToolTipRole and index.row() in self._problems:
            return self._problems[index.row()]
        if role == Qt.ItemDataRole.BackgroundRole and index.row() in self._problems:
            from PySide6.QtGui import QBrush, QColor

            return QBrush(QColor("#fde7ea"))
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        contact = self._contacts[index.row()]
        name = CONTACT_COLUMNS[index.column()][0]
        text = "" if value is None else str(value)
        if getattr(contact, name) == text:
            return False
        setattr(contact, name, text)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(CONTACT_COLUMNS):
            return CONTACT_COLUMNS[section][1]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable


class RoleDelegate(QStyledItemDelegate):
    """Edits a contact's role with the usual roles offered, and any other text allowed."""

    def createEditor(  # noqa: N802 - Qt's name
        self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.addItems(CONTACT_ROLES)
        return combo

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: Any, index: ModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText().strip(), Qt.ItemDataRole.EditRole)
