"""The list of merge fields beside a letter template, to insert one at the cursor."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.services.letters.letter_fields import FIELDS

NOTE_STYLE = "color: #555;"

SOURCE_NOTES = {
    "recipient": "Filled from the school's record and the contact written to.",
    "organisation": "From Settings > Organisation profile.",
    "letter": "Filled for each letter.",
    "mailing": "Typed once for the whole mailing, in the Mail merge window.",
    "membership": (
        "From the member's record on the letter's date. A school that is not a member, or a "
        "member whose record lacks the value, is left out of a mail merge, with the reason."
    ),
    "invoice": "From the overdue invoice a reminder is about (Invoices > Reminders only).",
    "review": (
        "From the peer review a confirmation letter is about (the Peer reviews tab's "
        "confirmation letters only)."
    ),
}


class MergeFieldPicker(QWidget):
    """The fields by group, with an example of each; double-click or Insert to use one.

    The window that holds it connects ``tree.itemDoubleClicked`` and ``insert_button`` to
    its own insertion, since only it knows which part of the letter has the cursor.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        fields_caption = QLabel("<b>Merge fields</b>")
        box.addSpacing(6)
        box.addWidget(fields_caption)
        self.fields_note = QLabel(
            "Double-click a field, or choose it and press Insert, to put it where the cursor "
            "is in the letter."
        )
        self.fields_note.setWordWrap(True)
        self.fields_note.setStyleSheet(NOTE_STYLE)
        box.addWidget(self.fields_note)
        self.field_tree = QTreeWidget()
        self.field_tree.setObjectName("fields")
        self.field_tree.setColumnCount(2)
        self.field_tree.setHeaderLabels(["Field", "Code"])
        self.field_tree.setRootIsDecorated(True)
        self.field_tree.setUniformRowHeights(True)
        self.field_tree.setAlternatingRowColors(True)
        fields_caption.setBuddy(self.field_tree)
        groups: dict[str, QTreeWidgetItem] = {}
        for info in FIELDS:
            group = groups.get(info.group)
            if group is None:
                group = QTreeWidgetItem([info.group])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                self.field_tree.addTopLevelItem(group)
                groups[info.group] = group
            item = QTreeWidgetItem([info.label, f"{{{info.name}}}"])
            item.setData(0, Qt.ItemDataRole.UserRole, info.name)
            tip = f"{{{info.name}}}, e.g. “{info.example}”. {SOURCE_NOTES.get(info.source, '')}"
            item.setToolTip(0, tip)
            item.setToolTip(1, tip)
            group.addChild(item)
        self.field_tree.expandAll()
        self.field_tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.field_tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.field_tree.header().setStretchLastSection(False)
        box.addWidget(self.field_tree, 1)
        insert_row = QHBoxLayout()
        self.insert_button = QPushButton("&Insert")
        self.insert_button.setAutoDefault(False)
        self.insert_button.setToolTip("Put the chosen field at the cursor in the letter")
        self.insert_target_label = QLabel()
        self.insert_target_label.setStyleSheet(NOTE_STYLE)
        insert_row.addWidget(self.insert_button)
        insert_row.addWidget(self.insert_target_label, 1)
        box.addLayout(insert_row)

    def chosen_field(self) -> str | None:
        """The field name of the current row (None on a group heading or nothing)."""
        item = self.field_tree.currentItem()
        if item is None:
            return None
        return item.data(0, Qt.ItemDataRole.UserRole) or None
