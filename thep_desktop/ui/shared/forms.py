"""Form building blocks: a message beside each field, and the widgets our forms share.

Services refuse bad input with a ``ValidationError`` whose ``field_errors`` maps a field name
to a message. :class:`FieldMessages` shows each message in red under its field, marks the
field, and moves the focus to the first one, while leaving what the user typed untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import TWO_DIGIT_YEARS, format_date, parse_date

ERROR_STYLE = "color: #b00020;"
INVALID_STYLE = "border: 1px solid #b00020;"

# Answers when someone else saved the same record while it was open: the same words in
# every form of the program.
MERGE = "Bring in theirs, keep my changes"
RELOAD = "Reload their version"
KEEP_EDITING = "Keep editing"
CONFLICT_CHOICES = (MERGE, RELOAD, KEEP_EDITING)
# Answers when a form with unsaved changes is closed.
SAVE_FIRST = "Save"
DISCARD_CHANGES = "Discard changes"

Ask = Callable[[QWidget | None, str, str, Sequence[str]], str]


def push_button(text: str, slot: Callable[[], object], tip: str = "") -> QPushButton:
    """A button with its words, what it does when clicked, and its tip."""
    button = QPushButton(text)
    if tip:
        button.setToolTip(tip)
    button.clicked.connect(lambda _checked=False: slot())
    return button


def editor_buttons(
    form: QDialog, can_edit: bool, save: Callable[[], object], what: str
) -> QDialogButtonBox:
    """Save and Cancel (Ctrl+S saves) for someone who may edit; Close for one who may look."""
    if can_edit:
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setToolTip(f"Save {what} (Ctrl+S)")
        buttons.accepted.connect(save)
        QShortcut(QKeySequence.StandardKey.Save, form, activated=save)
    else:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(form.reject)
    return buttons


def error_banner() -> QLabel:
    """The red strip at the top of a form that says what stops it being saved."""
    banner = QLabel()
    banner.setObjectName("banner")
    banner.setWordWrap(True)
    banner.setStyleSheet(ERROR_STYLE + "background: #fdecef; padding: 6px; border-radius: 3px;")
    banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    banner.hide()
    return banner


def ask_about_conflict(form: QWidget, ask: Ask, message: str) -> str:
    """The question when someone else saved the record meanwhile; one of CONFLICT_CHOICES."""
    return ask(
        form,
        "Changed by someone else",
        f"{message}\n\nYou can bring in their version with your own changes on top "
        "(then check and save again), reload their version and drop your changes, "
        "or keep editing what you have typed.",
        list(CONFLICT_CHOICES),
    )


def correction_summary(count: int) -> str:
    """The banner's first line when a form was refused."""
    if count == 1:
        return "Please correct the entry marked in red; nothing has been saved."
    return f"Please correct the {count} entries marked in red; nothing has been saved."


def may_close_unsaved(form: QWidget, ask: Ask, what: str, save: Callable[[], object]) -> bool:
    """Ask what to do with unsaved changes to ``what``; True when the form may close now.

    Save saves: a form whose ``save`` closes it on success returns nothing, and then this
    says "stay" (it has closed already); a ``save`` that returns True lets the caller go on
    (to another record, say). Keep editing stays.
    """
    answer = ask(
        form,
        "Unsaved changes",
        f"You have changed {what} but not saved it.",
        [SAVE_FIRST, DISCARD_CHANGES, KEEP_EDITING],
    )
    if answer == SAVE_FIRST:
        return save() is True
    return answer == DISCARD_CHANGES


class FieldMessages:
    """The fields of one form, each with a (normally hidden) message label under it."""

    def __init__(self) -> None:
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self._order: list[str] = []

    def add_row(self, form: QFormLayout, field: str, label: str, widget: QWidget) -> QLabel:
        """Add ``label: widget`` to ``form`` with a message line under the widget."""
        holder, message = self.with_message(field, widget)
        caption = QLabel(label)
        caption.setBuddy(widget)
        form.addRow(caption, holder)
        return message

    def with_message(self, field: str, widget: QWidget) -> tuple[QWidget, QLabel]:
        """``widget`` with its (hidden) message line under it, registered as ``field``."""
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(1)
        box.addWidget(widget)
        message = self.message_label(field)
        box.addWidget(message)
        self.register(field, widget, message)
        return holder, message

    @staticmethod
    def message_label(field: str) -> QLabel:
        message = QLabel()
        message.setObjectName(f"error_{field}")
        message.setStyleSheet(ERROR_STYLE)
        message.setWordWrap(True)
        message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        message.hide()
        return message

    def register(self, field: str, widget: QWidget, message: QLabel) -> None:
        self._fields[field] = (widget, message)
        self._order.append(field)

    def forget(self, prefix: str) -> None:
        """Drop the fields whose names start with ``prefix`` (rows removed from a form)."""
        for name in [n for n in self._order if n.startswith(prefix)]:
            self._order.remove(name)
            del self._fields[name]

    def widget(self, field: str) -> QWidget:
        return self._fields[field][0]

    def message(self, field: str) -> str:
        """The message shown beside ``field`` ("" when none)."""
        label = self._fields[field][1]
        return label.text() if not label.isHidden() else ""

    def clear(self) -> None:
        for widget, label in self._fields.values():
            label.clear()
            label.hide()
            widget.setStyleSheet("")
            widget.setToolTip("")

    def show(self, errors: Mapping[str, str]) -> list[str]:
        """Show ``errors`` beside their fields; return the messages that have no field here."""
        self.clear()
        unplaced: list[str] = []
        first: QWidget | None = None
        for field in self._order:
            if field in errors:
                widget, label = self._fields[field]
                label.setText(errors[field])
                label.show()
                widget.setStyleSheet(INVALID_STYLE)
                widget.setToolTip(errors[field])
                if first is None:
                    first = widget
        for field, text in errors.items():
            if field not in self._fields:
                unplaced.append(text)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        return unplaced


def field_text(widget: QLineEdit | QPlainTextEdit) -> str:
    """What a one-line or several-line text box holds, as typed."""
    return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()


def show_field_text(widget: QLineEdit | QPlainTextEdit, value: str) -> None:
    """Put ``value`` in a text box, a one-line box showing its start rather than its end."""
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value)
    else:
        widget.setText(value)
        widget.setCursorPosition(0)


def searchable_combo(placeholder: str, min_width: int = 320) -> QComboBox:
    """A drop-down to choose from by typing any part of an entry: the entries that contain
    what is typed are offered in a list under it."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.lineEdit().setPlaceholderText(placeholder)
    completer = QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)
    combo.setMinimumWidth(min_width)
    return combo


def date_field(value: str = "", hint: str = "") -> QLineEdit:
    """A date typed as dd/mm/yyyy or d/m/yy (the service checks it; blank means none).

    On leaving the field a date it can read is shown back in full (``1/2/23`` becomes
    ``01/02/2023``), so the person sees which century a two-digit year was taken as; what it
    cannot read stays as typed, for the service's message beside the field. ``hint`` says
    what the date is for; the tooltip adds how to type it.
    """
    edit = QLineEdit(value)
    edit.setPlaceholderText("dd/mm/yyyy")
    how = f"Type the date as dd/mm/yyyy or d/m/yy; {TWO_DIGIT_YEARS}."
    edit.setToolTip(f"{hint}. {how}" if hint else how)
    edit.setMaxLength(10)
    edit.setClearButtonEnabled(True)

    def show_in_full() -> None:
        try:
            written = format_date(parse_date(edit.text()))
        except ValueError:
            return
        if written != edit.text():
            edit.setText(written)

    edit.editingFinished.connect(show_in_full)
    return edit
