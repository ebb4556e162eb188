"""Where a mail merge saves its letters: one PDF for printing, one PDF per school, or both."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from thep_desktop.domain.files import folder_message
from thep_desktop.ui.shared.forms import FieldMessages
from thep_desktop.ui.shared.pdf_window import PDF_FILTER

NOTE_STYLE = "color: #555;"

ChoosePath = Callable[[QWidget, str], str]
"""``(parent, suggested path) -> chosen path``; "" when the user cancels."""


def choose_pdf_path(parent: QWidget, suggested: str) -> str:
    path, _filter = QFileDialog.getSaveFileName(
        parent, "Save the letters for printing as", suggested, PDF_FILTER
    )
    return path


def choose_folder(parent: QWidget, start: str) -> str:
    return QFileDialog.getExistingDirectory(parent, "Folder for one PDF per school", start)


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


class OutputChoice(QGroupBox):
    """ "Save the letters": the PDF for printing and the folder for the schools' PDFs.

    ``choose_file`` and ``choose_folder`` ask the user for a path (the window passes its
    own, which tests replace); the messages of its fields go to ``messages``, the window's.
    """

    def __init__(
        self,
        messages: FieldMessages,
        choose_file: ChoosePath = choose_pdf_path,
        choose_folder: ChoosePath = choose_folder,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Save the letters", parent)
        self.choose_file = choose_file
        self.choose_folder = choose_folder
        self.path_chosen = False  # the user chose the PDF's name: keep it across templates
        self.confirmed_path = ""  # a file the user agreed to replace
        grid = QGridLayout(self)
        grid.setColumnStretch(0, 1)
        self.combined_check = QCheckBox("One PDF for &printing")
        self.combined_check.setObjectName("combined_check")
        self.combined_check.setChecked(True)
        self.combined_path = QLineEdit()
        self.combined_path.setObjectName("combined_file")
        self.combined_path.textEdited.connect(self._path_typed)
        self.combined_button = QPushButton("C&hoose…")
        self.combined_button.setAutoDefault(False)
        self.combined_button.clicked.connect(self.choose_combined_file)
        self.folder_check = QCheckBox("One PDF per school for &emailing")
        self.folder_check.setObjectName("folder_check")
        self.folder_path = QLineEdit()
        self.folder_path.setObjectName("recipient_folder")
        self.folder_path.setPlaceholderText("The folder to save them in")
        self.folder_button = QPushButton("Ch&oose…")
        self.folder_button.setAutoDefault(False)
        self.folder_button.clicked.connect(self.choose_recipient_folder)
        self.output_message = FieldMessages.message_label("output")
        messages.register("output", self.combined_check, self.output_message)
        row = 0
        for check, edit, button, name in (
            (self.combined_check, self.combined_path, self.combined_button, "combined_file"),
            (self.folder_check, self.folder_path, self.folder_button, "recipient_folder"),
        ):
            grid.addWidget(check, row, 0, 1, 2)
            grid.addWidget(edit, row + 1, 0)
            grid.addWidget(button, row + 1, 1)
            message = FieldMessages.message_label(name)
            messages.register(name, edit, message)
            grid.addWidget(message, row + 2, 0, 1, 2)
            check.toggled.connect(self.update_outputs)
            row += 3
        grid.addWidget(self.output_message, row, 0, 1, 2)
        note = QLabel("Each school's PDF is named by school, template and date.")
        note.setStyleSheet(NOTE_STYLE)
        note.setWordWrap(True)
        grid.addWidget(note, row + 1, 0, 1, 2)

    def update_outputs(self, *_args: object) -> None:
        for check, edit, button in (
            (self.combined_check, self.combined_path, self.combined_button),
            (self.folder_check, self.folder_path, self.folder_button),
        ):
            edit.setEnabled(check.isChecked())
            button.setEnabled(check.isChecked())

    def suggest_file_name(self, name: str) -> None:
        """The PDF for printing in the Documents folder, unless the user chose its name."""
        if not self.path_chosen:
            self.combined_path.setText(str(documents_folder() / name))

    def _path_typed(self, _text: str) -> None:
        self.path_chosen = True
        self.confirmed_path = ""

    def choose_combined_file(self) -> bool:
        chosen = self.choose_file(self.window(), self.combined_path.text().strip())
        if not chosen:
            return False
        path = Path(chosen)
        if path.suffix.casefold() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        self.combined_path.setText(str(path))
        self.combined_check.setChecked(True)
        self.path_chosen = True
        # The file dialog has asked already whether to replace a file of that name.
        self.confirmed_path = str(path)
        return True

    def choose_recipient_folder(self) -> bool:
        start = self.folder_path.text().strip() or str(documents_folder())
        chosen = self.choose_folder(self.window(), start)
        if not chosen:
            return False
        self.folder_path.setText(chosen)
        self.folder_check.setChecked(True)
        return True

    def chosen(self, errors: dict[str, str]) -> tuple[Path | None, Path | None]:
        """The PDF for printing and the folder for the schools' PDFs, each None when not
        wanted; what is missing or wrong goes into ``errors`` by field."""
        combined: Path | None = None
        folder: Path | None = None
        if self.combined_check.isChecked():
            text = self.combined_path.text().strip()
            if not text:
                errors["combined_file"] = "Choose where to save the PDF for printing."
            else:
                combined = Path(text).expanduser()
                if combined.suffix.casefold() != ".pdf":
                    combined = combined.with_name(combined.name + ".pdf")
                if not combined.parent.is_dir():
                    errors["combined_file"] = folder_message(combined.parent)
        if self.folder_check.isChecked():
            text = self.folder_path.text().strip()
            if not text:
                errors["recipient_folder"] = "Choose the folder for the schools' PDFs."
            else:
                folder = Path(text).expanduser()
                if not folder.is_dir():
                    errors["recipient_folder"] = folder_message(folder)
        if not self.combined_check.isChecked() and not self.folder_check.isChecked():
            errors["output"] = "Choose one PDF for printing, one PDF per school, or both."
        return combined, folder
