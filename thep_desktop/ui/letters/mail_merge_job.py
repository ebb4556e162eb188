"""Producing a mail merge's letters: the last checks, the work off the main thread, the outcome.

A mixin of :class:`~thep_desktop.ui.letters.mail_merge_dialog.MailMergeDialog` rather than
a widget: producing reads every choice in the window, marks what is wrong beside it, asks
before replacing a file, then reports in the window's banner or a message, so it needs the
whole window at every step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLineEdit

from thep_desktop.domain.dates import parse_date
from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.progress import Progress
from thep_desktop.services.letters.letters_service import MergeResult, TemplateDetail
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ValidationError
from thep_desktop.ui.letters.mail_merge_output import OutputChoice
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.forms import FieldMessages
from thep_desktop.ui.shared.questions import Tell

# Answers to the question about a file that exists.
REPLACE = "Replace it"
CANCEL = "Cancel"


def plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _listed(lines: Sequence[str], limit: int = 10) -> str:
    shown = [f"• {line}" for line in lines[:limit]]
    if len(lines) > limit:
        shown.append(f"… and {len(lines) - limit:,} more")
    return "\n".join(shown)


def summary_text(result: MergeResult) -> str:
    """What a finished mail merge did, in words, for the message after it."""
    parts = [
        f"{plural(result.letters, 'letter', 'letters')} "
        f"({plural(result.pages, 'page', 'pages')}) produced and recorded in each "
        "recipient's history."
    ]
    saved: list[str] = []
    if result.combined_file is not None:
        saved.append(f"For printing: {result.combined_file}")
    if result.recipient_files:
        folder = result.recipient_files[0].parent
        saved.append(
            f"For emailing: {plural(len(result.recipient_files), 'PDF', 'PDFs')} in {folder}"
        )
    if saved:
        parts.append(_listed(saved))
    if result.warnings:
        parts.append(
            f"Addressed to the school, for want of a named contact "
            f"({len(result.warnings):,}):\n{_listed(result.warnings)}"
        )
    if result.skipped:
        parts.append(
            f"Left out ({len(result.skipped):,}):\n"
            + _listed([f"{s.school_name}: {s.reason}" for s in result.skipped])
        )
    parts.extend(result.earlier)
    return "\n\n".join(parts)


class MailMergeJob:
    """Produce letters off the main thread, with progress and Cancel, and say what happened."""

    # What the window provides (see MailMergeDialog).
    services: Services
    can_produce: bool
    job: BackgroundJob | None
    merge_result: MergeResult | None
    produce_reason: str
    _running: bool
    ask: Callable[..., str]
    tell: Tell
    inform: Tell
    show_pdf: Callable[..., object]
    messages: FieldMessages
    letter_date: QLineEdit
    contact_role: QComboBox
    output: OutputChoice
    produced: Signal
    check_recipients: Callable[[], bool]
    template: Callable[[], TemplateDetail | None]
    mailing_values: Callable[[], dict[str, str]]
    school_ids: Callable[[], list[int]]
    member_ids: Callable[[], list[int]]
    _show_banner: Callable[..., None]
    _update_produce_button: Callable[[], None]

    @property
    def running(self) -> bool:
        return self._running

    def produce(self) -> BackgroundJob | None:
        """Check the choices, then produce the letters off the main thread."""
        if not self.can_produce or self.running:
            return None
        self.check_recipients()  # what was typed a moment ago counts
        if self.produce_reason:
            return None
        template = self.template()
        if template is None:
            return None
        self.messages.clear()
        self._show_banner("")
        errors: dict[str, str] = {}
        when = date.today()
        try:
            when = parse_date(self.letter_date.text())
        except ValueError as exc:
            errors["letter_date"] = f"{exc}."
        mailing = self.mailing_values()
        for name, value in mailing.items():
            if not value:
                errors[f"mailing.{name}"] = "Needed for this letter."
        combined, folder = self.output.chosen(errors)
        ids = self.school_ids()
        member_ids = self.member_ids()
        if errors:
            self.messages.show(errors)
            what = "the entry" if len(errors) == 1 else f"the {len(errors)} entries"
            self._show_banner(f"Nothing was produced: put right {what} marked in red.")
            return None
        if not ids and not member_ids:
            self._show_banner("Nothing was produced: there are no schools to write to.")
            return None
        if (
            combined is not None
            and combined.exists()
            and str(combined) != self.output.confirmed_path
        ):
            answer = self.ask(
                self,
                "Replace the file?",
                f"{combined.name} already exists in {combined.parent}.\n\nReplace it with the "
                "new letters?",
                [REPLACE, CANCEL],
            )
            if answer != REPLACE:
                return None
            self.output.confirmed_path = str(combined)
        role = self.contact_role.currentText().strip()
        services = self.services
        template_id = template.id

        def work(progress: Progress) -> MergeResult:
            return services.letters.produce(
                services.actor,
                template_id,
                ids,
                role,
                member_ids=member_ids,
                combined_file=combined,
                recipient_folder=folder,
                mailing={k: v for k, v in mailing.items() if v} or None,
                letter_date=when,
                progress=progress,
            )

        self._set_running(True)
        self.job = BackgroundJob(
            self,
            "Producing letters…",
            work,
            on_done=self._produced,
            on_error=self._failed,
            on_cancel=self._cancelled,
        )
        return self.job.start()

    def _set_running(self, running: bool) -> None:
        self._running = running
        self._update_produce_button()

    def _produced(self, result: MergeResult) -> None:
        self._set_running(False)
        self.merge_result = result
        template = self.template()
        self.inform(self, "Letters produced", summary_text(result))
        if result.combined_file is not None:
            try:
                data = result.combined_file.read_bytes()
            except OSError as exc:
                self.tell(
                    self,
                    "Letters produced",
                    f"The letters were saved but cannot be shown: {exc.strerror or exc}.",
                )
            else:
                name = template.name if template is not None else "Letters"
                self.show_pdf(
                    self.parentWidget(),
                    data,
                    f"{name} – {plural(result.letters, 'letter', 'letters')}",
                    result.combined_file.name,
                )
        self.produced.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_running(False)
        nothing = "No files were saved and nothing was recorded."
        if isinstance(exc, ValidationError):
            unplaced = self.messages.show(exc.field_errors)
            self._show_banner(f"No letters were produced. {' '.join(unplaced) or exc.message}")
            return
        if isinstance(exc, OfficeError):  # a service's or a report's words
            message = exc.message
        elif isinstance(exc, OSError):
            message = f"The letters could not be saved: {exc.strerror or exc}."
        else:
            message = f"Something went wrong while producing the letters: {exc}"
        self._show_banner(f"{message}\n{nothing}")
        self.tell(self, "No letters were produced", f"{message}\n\n{nothing}")

    def _cancelled(self) -> None:
        self._set_running(False)
        self._show_banner(
            "Cancelled: no letters were saved and nothing was recorded.", problem=False
        )
