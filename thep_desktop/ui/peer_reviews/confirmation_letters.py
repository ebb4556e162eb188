"""Peer reviews > Print confirmation letters: to the host schools, the reviewing schools or both.

The Peer reviews tab calls :func:`print_confirmations` with the reviews chosen. The window
lists them (saying which cannot be confirmed in writing, and why), asks who the letters go to
and the date they carry, then saves one PDF to print, off the main thread with progress and
Cancel; each letter is recorded in its school's correspondence, and the PDF opens in the
document window as a mail merge's does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from thep_desktop import config
from thep_desktop.domain.dates import format_date, parse_date
from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.progress import Progress
from thep_desktop.services.peer_reviews.peer_reviews_permissions import MANAGE_REVIEWS
from thep_desktop.services.peer_reviews.review_data import ReviewDetail
from thep_desktop.services.registry import Services
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.forms import ERROR_STYLE, date_field, push_button
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.pdf_window import PDF_FILTER, pdf_file_name, show_pdf
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel

FOLDER_SETTING = "letters_folder"
DONE_STYLE = "color: #1f4e79;"
# Who the letters go to, as the service takes it, with the words on its button.
CHOICES = (
    ("both", "The host and the &reviewing schools"),
    ("host", "The &host schools only"),
    ("reviewers", "The reviewing schools &only"),
)
COLUMNS = (
    PlainColumn("Host school"),
    PlainColumn("Visit"),
    PlainColumn("Reviewing schools"),
    PlainColumn("Lead reviewer"),
    PlainColumn("Note", tooltip="Why a review's letters cannot be printed yet"),
)

AskPath = Callable[[QWidget, str, str, str], tuple[str, str]]


def print_confirmations(
    services: Services,
    cycle_id: int,
    review_ids: Sequence[int],
    parent: QWidget | None = None,
    run_dialog: Callable[[QDialog], object] | None = None,
) -> ConfirmationLettersDialog:
    """The confirmation letters window for these reviews of the cycle, run as the tab runs
    its dialogs (``run_dialog``; by default shown and waited for)."""
    dialog = ConfirmationLettersDialog(services, cycle_id, review_ids, parent)
    (run_dialog or (lambda d: d.exec()))(dialog)
    return dialog


class ConfirmationLettersDialog(QDialog):
    """The reviews' confirmation letters: who to, the date, and Print. Emits ``printed(result)``."""

    printed = Signal(object)

    def __init__(
        self,
        services: Services,
        cycle_id: int,
        review_ids: Sequence[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.cycle_id = cycle_id
        self.review_ids = list(review_ids)
        # Injectable for tests: the file question and the document window.
        self.ask_save_path: AskPath = QFileDialog.getSaveFileName
        self.show_pdf: Callable[..., object] = show_pdf
        self.job: BackgroundJob | None = None
        self.result: Any = None
        self.can_print = services.actor.can(MANAGE_REVIEWS)
        self.setWindowTitle("Print confirmation letters")
        self.setObjectName("confirmation_letters")
        self.reviews: list[ReviewDetail] = []
        self.problems: list[str] = []
        self._build()
        self.reload()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A letter to each host school's head teacher (the visit's dates, the team, the "
            "focus, what to prepare) and to each reviewing school's head teacher (which school "
            "they review, when, with whom, who leads, where), in one PDF to print. Each letter "
            "is kept in its school's correspondence. The wording is in Letters > Templates."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = PlainTableModel(COLUMNS, parent=self)
        self.table = list_view("confirmation_reviews", self.model, sort_column=None)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        group = QGroupBox("Send the letters to")
        box = QVBoxLayout(group)
        self.who_group = QButtonGroup(self)
        self.who: dict[str, QRadioButton] = {}
        for key, text in CHOICES:
            radio = QRadioButton(text)
            radio.setObjectName(f"who_{key}")
            self.who[key] = radio
            self.who_group.addButton(radio)
            box.addWidget(radio)
        self.who["both"].setChecked(True)
        layout.addWidget(group)
        form = QFormLayout()
        self.letter_date = date_field(format_date(date.today()), "The date the letters carry")
        self.letter_date.setObjectName("letter_date")
        self.letter_date.setMaximumWidth(130)
        form.addRow("Letter &date", self.letter_date)
        layout.addLayout(form)
        self.summary = QLabel()
        self.summary.setObjectName("confirmation_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.message = QLabel()
        self.message.setObjectName("confirmation_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.print_button = push_button(
            "&Print…", self.print_letters, "Save the letters as one PDF to print, and record them"
        )
        self.print_button.setObjectName("print")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        for button in buttons.findChildren(QPushButton):
            button.setAutoDefault(False)
        layout.addWidget(buttons)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_letters)
        for radio in self.who.values():
            radio.toggled.connect(lambda checked: checked and self._show_summary())
        self.resize(900, 520)

    # -- what is shown ----------------------------------------------------------------------
    def reload(self) -> None:
        """The reviews chosen as they are now, and why any cannot be confirmed in writing."""
        from thep_desktop.services.peer_reviews.review_letters_service import review_problems

        wanted = set(self.review_ids)
        try:
            found = self.services.reviews.list_reviews(self.services.actor, self.cycle_id)
        except OfficeError as exc:
            self._say(str(exc), problem=True)
            return
        self.reviews = [r for r in found if r.id in wanted]
        rows = []
        for review in self.reviews:
            problem = review_problems([review])
            note = problem[0].split(": ", 1)[1] if problem else ""
            lead = review.lead
            rows.append(
                (
                    review.host_name,
                    review.visit_label,
                    review.team_label,
                    lead.name if lead is not None else "",
                    note[:1].upper() + note[1:],
                )
            )
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        self.problems = review_problems(self.reviews)
        self._show_summary()

    def who_key(self) -> str:
        return next(key for key, radio in self.who.items() if radio.isChecked())

    def _show_summary(self) -> None:
        who = self.who_key()
        hosts = len(self.reviews) if who != "reviewers" else 0
        reviewers = sum(len(r.team) for r in self.reviews) if who != "host" else 0
        parts = []
        if hosts:
            parts.append(f"{hosts} to host school{'s' if hosts != 1 else ''}")
        if reviewers:
            parts.append(f"{reviewers} to reviewing school{'s' if reviewers != 1 else ''}")
        count = hosts + reviewers
        reviews = len(self.reviews)
        text = (
            f"{reviews} review{'s' if reviews != 1 else ''} chosen: {count} letter"
            f"{'s' if count != 1 else ''}" + (f" ({', '.join(parts)})." if parts else ".")
        )
        self.summary.setText(text)
        reason = ""
        if not self.can_print:
            actor = self.services.actor
            reason = (
                f"{actor.name} may see these reviews but not print their confirmation letters "
                f"(role: {actor.role.value})."
            )
        elif not self.reviews:
            reason = "None of the reviews chosen is in this cycle any more."
        elif self.problems:
            reason = (
                "Print is off until these reviews are put right in the review editor:\n"
                + "\n".join(self.problems)
            )
        self._say(reason, problem=bool(reason))
        self.print_button.setEnabled(not reason and self.job is None)

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if problem else DONE_STYLE)
        self.message.setText(text)

    # -- printing ---------------------------------------------------------------------------
    def print_letters(self) -> BackgroundJob | None:
        """Ask where to save the PDF, then lay out, save and record the letters off the main
        thread."""
        if not self.print_button.isEnabled():
            return None
        try:
            day = parse_date(self.letter_date.text())
        except ValueError as exc:
            self._say(f"Letter date: {exc}", problem=True)
            self.letter_date.setFocus()
            return None
        start = config.remembered_folder(FOLDER_SETTING) / pdf_file_name(
            f"Peer review confirmations {day.isoformat()}"
        )
        chosen, _filter = self.ask_save_path(
            self, "Save the confirmation letters", str(start), PDF_FILTER
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.casefold() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        config.remember_folder(FOLDER_SETTING, path.parent)
        services, who, ids = self.services, self.who_key(), [r.id for r in self.reviews]

        def work(progress: Progress) -> Any:
            return services.review_letters.confirmations(
                services.actor, self.cycle_id, ids, who, path, progress=progress, on=day
            )

        self._say("")
        self.print_button.setEnabled(False)
        self.job = BackgroundJob(
            self,
            "Printing the confirmation letters…",
            work,
            on_done=self._printed,
            on_error=self._failed,
            on_cancel=self._cancelled,
        )
        return self.job.start()

    def _finished(self) -> None:
        self.job = None
        self._show_summary()

    def _printed(self, result: Any) -> None:
        self._finished()
        self.result = result
        text = f"Saved {result} to {result.path}; each letter is kept in its school's history."
        for skipped in result.skipped:
            text += f"\nLeft out: {skipped.school_name}: {skipped.reason}"
        self._say(text)
        try:
            data = result.path.read_bytes()
        except OSError as exc:
            self._say(f"{text}\nThe letters cannot be shown: {exc.strerror or exc}.")
        else:
            self.show_pdf(
                self.parentWidget(),
                data,
                f"Peer review confirmations – {result.letters} letters",
                result.path.name,
            )
        self.printed.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._finished()
        if not isinstance(exc, OfficeError):
            raise exc
        self._say(f"{exc}\nNo letters were saved and nothing was recorded.", problem=True)
        self.reload_after_failure()

    def reload_after_failure(self) -> None:
        """The reviews read again (someone may have changed them), keeping the message."""
        said = self.message.text()
        self.reload()
        if not self.message.text():
            self._say(said, problem=True)

    def _cancelled(self) -> None:
        self._finished()
        self._say("Cancelled: no letters were saved and nothing was recorded.", problem=True)

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()
            return
        super().reject()
