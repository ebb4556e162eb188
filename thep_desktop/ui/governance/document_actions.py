"""The Governance tab's documents: a meeting's notice, agenda or minutes, the decision and
action logs, the register of directors, and the workbook of decisions and actions.

Each function asks where to save (the file box, starting in the folder used last, with a name
made from the meeting or the date), writes through the governance documents service on a
thread of its own (a progress box with Cancel; the notices of a general meeting report each
letter), then opens the PDF in the document window as letters and invoices open, or offers to
open the workbook. Files are written whole or not at all; a refusal is said in the service's
words and leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from thep_desktop import config
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.governance import BodyKind, Voters, check_notice, latest_notice_day
from thep_desktop.domain.progress import Progress
from thep_desktop.services.governance.governance_permissions import MANAGE_GOVERNANCE
from thep_desktop.services.registry import Services
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.pdf_window import PDF_FILTER, pdf_file_name, show_pdf
from thep_desktop.ui.shared.questions import Ask, Tell, ask, tell

FOLDER_SETTING = "governance_documents_folder"
EXCEL_FILTER = "Excel workbook (*.xlsx)"
KINDS = {"notice": "Notice", "agenda": "Agenda", "minutes": "Minutes"}
PRINT_NOTICES = "Print and record"
PRINT_ANYWAY = "Print anyway"
CANCEL = "Cancel"

AskPath = Callable[[QWidget, str, str, str], tuple[str, str]]
"""``QFileDialog.getSaveFileName(parent, caption, path, filters) -> (path, chosen filter)``."""
ShowPdf = Callable[[QWidget | None, bytes, str, str], object]
"""``show_pdf(parent, pdf, title, suggested name)``: the document window."""


def _ask_target(
    parent: QWidget, caption: str, name: str, filters: str, suffix: str, ask_path: AskPath
) -> Path | None:
    """The file chosen (with ``suffix`` added when typed without), or None on Cancel."""
    start = config.remembered_folder(FOLDER_SETTING) / name
    chosen, _filter = ask_path(parent, caption, str(start), filters)
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.casefold() != suffix:
        path = path.with_name(path.name + suffix)
    config.remember_folder(FOLDER_SETTING, path.parent)
    return path


def _run_pdf(
    parent: QWidget,
    title: str,
    target: Path,
    work: Callable[[Progress], Any],
    window_title: Callable[[Any], str],
    failed_title: str,
    tell: Tell,
    show: ShowPdf,
) -> BackgroundJob:
    """``work`` on its own thread; the PDF it wrote then opens in the document window."""

    def done(result: Any) -> None:
        try:
            data = target.read_bytes()
        except OSError as exc:
            tell(parent, failed_title, f"{target} was saved but cannot be shown: {exc.strerror}.")
            return
        show(parent, data, window_title(result), target.name)

    failed = _failed(parent, failed_title, tell)
    return BackgroundJob(parent, title, work, on_done=done, on_error=failed).start()


def _failed(parent: QWidget, title: str, tell: Tell) -> Callable[[BaseException], None]:
    def failed(exc: BaseException) -> None:
        if not isinstance(exc, OfficeError):
            raise exc
        tell(parent, title, str(exc))

    return failed


def print_meeting_document(
    services: Services,
    meeting_id: int,
    kind: str,
    parent: QWidget,
    *,
    ask_path: AskPath = QFileDialog.getSaveFileName,
    ask: Ask = ask,
    tell: Tell = tell,
    show: ShowPdf = show_pdf,
) -> BackgroundJob | None:
    """The meeting's notice, agenda or minutes (``kind``) saved as a PDF and opened.

    A general meeting's notice is a letter to every member, each kept in its correspondence:
    the user is told how many and asked before it runs. Returns the job, or None when the
    user stopped or the meeting cannot be read.
    """
    what = KINDS.get(kind)
    if what is None:
        raise ValueError(f"unknown meeting document {kind!r}; expected one of {list(KINDS)}")
    actor = services.actor
    title = f"Print the {what.lower()}"
    try:
        meeting = services.meetings.get_meeting(actor, meeting_id)
    except OfficeError as exc:
        tell(parent, title, str(exc))
        return None
    general = meeting.body.kind is BodyKind.GENERAL_MEETING or (
        meeting.body.voters is Voters.MEMBER_SCHOOLS
    )
    if kind == "notice" and meeting.cancelled:
        tell(parent, title, f"{meeting.label} was cancelled, so it needs no notice.")
        return None
    if kind == "notice":
        # Sent today, would the notice be short? Said before anything is printed.
        check = check_notice(date.today(), meeting.meets_on, meeting.body.notice_clear_days)
        warning = ""
        if meeting.meets_on <= date.today():
            warning = f"{meeting.label} is not ahead: notice can no longer be given for it."
        elif check.short:
            warning = (
                f"Sent today, the notice gives {max(check.given or 0, 0)} clear days; the "
                f"{meeting.body.name} needs {check.required} (it had to go by "
                f"{format_date(latest_notice_day(meeting.meets_on, check.required))})."
            )
        if general and not actor.can(MANAGE_GOVERNANCE):
            tell(
                parent,
                title,
                f"{actor.name} may read governance records but not send the notice of a general "
                f"meeting: that is for the clerk or an administrator (role: {actor.role.value}).",
            )
            return None
        if general:
            count = len(services.letters.member_ids(actor))
            members = f"{count} member{'s' if count != 1 else ''}"
            question = (
                f"Print the notice of {meeting.label} to each of the {members} on "
                f"{format_date(date.today())} (full and associate), and keep each in the "
                "member's correspondence?\n\nEach letter goes to a member school's head teacher "
                "at the school and states the member's voting rights."
            )
            if warning:
                question = f"{warning}\n\n{question}"
            if ask(parent, title, question, [PRINT_NOTICES, CANCEL]) != PRINT_NOTICES:
                return None
        elif warning and ask(parent, title, warning, [PRINT_ANYWAY, CANCEL]) != PRINT_ANYWAY:
            return None
    name = pdf_file_name(f"{what} - {meeting.title} - {meeting.meets_on.isoformat()}")
    target = _ask_target(parent, title, name, PDF_FILTER, ".pdf", ask_path)
    if target is None:
        return None
    documents = services.governance_documents

    def work(progress: Progress) -> object:
        if kind == "notice":
            return documents.notice(actor, meeting_id, target, progress)
        progress.report(0, 0, f"Laying out the {what.lower()}…")
        if kind == "agenda":
            return documents.agenda(actor, meeting_id, target)
        return documents.minutes(actor, meeting_id, target)

    def window_title(result: object) -> str:
        if kind == "notice" and isinstance(result, int) and result > 1:
            return f"Notice of {meeting.label} – {result} letters"
        return f"{what}: {meeting.label}"

    return _run_pdf(
        parent,
        f"Printing the {what.lower()}…",
        target,
        work,
        window_title,
        f"The {what.lower()} was not printed",
        tell,
        show,
    )


def print_decision_log(
    services: Services,
    parent: QWidget,
    body_id: int | None = None,
    *,
    ask_path: AskPath = QFileDialog.getSaveFileName,
    tell: Tell = tell,
    show: ShowPdf = show_pdf,
) -> BackgroundJob | None:
    """Every decision (of one body, when given) as a PDF, opened when saved."""
    actor = services.actor
    title = "Print the decision log"
    name = pdf_file_name(f"Decision log - {date.today().isoformat()}")
    target = _ask_target(parent, title, name, PDF_FILTER, ".pdf", ask_path)
    if target is None:
        return None

    def work(progress: Progress) -> int:
        progress.report(0, 0, "Reading the decisions…")
        return services.governance_documents.decision_log(actor, target, body_id)

    return _run_pdf(
        parent,
        "Printing the decision log…",
        target,
        work,
        lambda count: f"Decision log – {count} decision{'s' if count != 1 else ''}",
        "The decision log was not printed",
        tell,
        show,
    )


def print_action_log(
    services: Services,
    parent: QWidget,
    body_id: int | None = None,
    open_only: bool = False,
    *,
    ask_path: AskPath = QFileDialog.getSaveFileName,
    tell: Tell = tell,
    show: ShowPdf = show_pdf,
) -> BackgroundJob | None:
    """The actions (of one body; only open ones when asked) as a PDF, overdue ones marked."""
    actor = services.actor
    title = "Print the action log"
    name = pdf_file_name(f"Action log - {date.today().isoformat()}")
    target = _ask_target(parent, title, name, PDF_FILTER, ".pdf", ask_path)
    if target is None:
        return None

    def work(progress: Progress) -> int:
        progress.report(0, 0, "Reading the actions…")
        return services.governance_documents.action_log(actor, target, body_id, open_only)

    return _run_pdf(
        parent,
        "Printing the action log…",
        target,
        work,
        lambda count: f"Action log – {count} action{'s' if count != 1 else ''}",
        "The action log was not printed",
        tell,
        show,
    )


def print_directors_register(
    services: Services,
    as_at: date,
    parent: QWidget,
    *,
    ask_path: AskPath = QFileDialog.getSaveFileName,
    tell: Tell = tell,
    show: ShowPdf = show_pdf,
) -> BackgroundJob | None:
    """The register of directors as at ``as_at`` as a PDF, opened when saved."""
    actor = services.actor
    title = "Print the register of directors"
    name = pdf_file_name(f"Register of directors - {as_at.isoformat()}")
    target = _ask_target(parent, title, name, PDF_FILTER, ".pdf", ask_path)
    if target is None:
        return None

    def work(progress: Progress) -> int:
        progress.report(0, 0, "Reading the register…")
        return services.governance_documents.directors_register(actor, as_at, target)

    return _run_pdf(
        parent,
        "Printing the register of directors…",
        target,
        work,
        lambda _count: f"Register of directors as at {format_date(as_at)}",
        "The register of directors was not printed",
        tell,
        show,
    )


def export_decisions_and_actions(
    services: Services,
    parent: QWidget,
    body_id: int | None = None,
    *,
    ask_path: AskPath = QFileDialog.getSaveFileName,
    ask: Ask = ask,
    tell: Tell = tell,
    open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
) -> BackgroundJob | None:
    """Decisions and actions as an Excel workbook; says what was saved and offers to open it."""
    actor = services.actor
    title = "Export decisions and actions"
    name = f"Decisions and actions - {date.today().isoformat()}.xlsx"
    target = _ask_target(parent, title, name, EXCEL_FILTER, ".xlsx", ask_path)
    if target is None:
        return None

    def work(progress: Progress) -> tuple[int, int]:
        return services.governance_documents.decisions_and_actions_xlsx(
            actor, target, body_id, progress=progress
        )

    def done(result: tuple[int, int]) -> None:
        decisions, actions = result
        text = (
            f"{decisions} decision{'s' if decisions != 1 else ''} and {actions} "
            f"action{'s' if actions != 1 else ''} were saved as {target}.\n\nOpen it now?"
        )
        if ask(parent, "Decisions and actions exported", text, ["Open", "Close"]) == "Open":
            open_url(QUrl.fromLocalFile(str(target)))

    return BackgroundJob(
        parent,
        "Exporting decisions and actions…",
        work,
        on_done=done,
        on_error=_failed(parent, "Decisions and actions were not exported", tell),
    ).start()
