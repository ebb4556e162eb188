"""The peer-reviews tab's exports: the schedule as PDF or Excel, and calendar files (.ics).

The tab calls :func:`export_schedule` and :func:`export_calendar` with its services, the
cycle shown and itself as the parent of the boxes they open. Each asks what it needs (the
file, or the folder and which calendars), writes through the review exports service, and
says what was saved, offering to open it. A file is written whole or not at all, so a
refusal or a failure leaves nothing behind; the reason is said in words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from thep_desktop import config
from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.files import safe_file_stem
from thep_desktop.services.registry import Services
from thep_desktop.ui.shared.questions import Ask, Tell, ask, tell

SCHEDULE_FILTERS = "PDF for printing (*.pdf);;Excel workbook (*.xlsx)"
_EXCEL_FILTER = SCHEDULE_FILTERS.split(";;")[1]
WHOLE_CYCLE = "Whole cycle"
PER_SCHOOL = "One per school"
BOTH = "Both"
CANCEL = "Cancel"
_FOLDER_SETTING = "review_exports_folder"

AskPath = Callable[[QWidget, str, str, str], tuple[str, str]]
"""``QFileDialog.getSaveFileName(parent, caption, path, filters) -> (path, chosen filter)``."""
AskFolder = Callable[[QWidget, str, str], str]
"""``QFileDialog.getExistingDirectory(parent, caption, start) -> folder``; "" on Cancel."""


@contextmanager
def _busy() -> Iterator[None]:
    # A schedule of a few hundred reviews takes a second or two: show that it is working.
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def _failed(parent: QWidget, title: str, exc: OfficeError, tell: Tell) -> None:
    tell(parent, title, str(exc))


def export_schedule(
    services: Services,
    cycle_id: int,
    parent: QWidget,
    cluster_id: int | None = None,
    *,
    ask_path: AskPath = QFileDialog.getSaveFileName,
    ask: Ask = ask,
    tell: Tell = tell,
    open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
) -> Path | None:
    """Ask for a PDF or Excel file and write the cycle's (or one cluster's) schedule to it.

    Returns the file written, or None when nothing was (cancelled, refused, failed).
    """
    actor = services.actor
    title = "Export the schedule"
    try:
        cycle = services.reviews.get_cycle(actor, cycle_id)
        cluster = services.clusters.get_cluster(actor, cluster_id) if cluster_id else None
    except OfficeError as exc:
        _failed(parent, title, exc, tell)
        return None
    if not cycle.reviews:
        tell(
            parent,
            title,
            f"{cycle.title} has no reviews yet: generate the schedule or add reviews first, "
            "then export it.",
        )
        return None
    stem = cycle.title.replace("/", "-") + (f" - {cluster.name}" if cluster else "")
    suggested = config.remembered_folder(_FOLDER_SETTING) / f"{safe_file_stem(stem)}.pdf"
    chosen, chosen_filter = ask_path(parent, title, str(suggested), SCHEDULE_FILTERS)
    if not chosen:
        return None
    path = Path(chosen)
    if not path.suffix:
        path = path.with_name(path.name + (".xlsx" if chosen_filter == _EXCEL_FILTER else ".pdf"))
    exports = services.review_exports
    try:
        with _busy():
            if path.suffix.casefold() == ".xlsx":
                schedule = exports.schedule_xlsx(actor, cycle_id, path, cluster_id)
            else:
                schedule = exports.schedule_pdf(actor, cycle_id, path, cluster_id)
    except OfficeError as exc:
        _failed(parent, "The schedule was not exported", exc, tell)
        return None
    config.remember_folder(_FOLDER_SETTING, path.parent)
    count = len(schedule.reviews)
    answer = ask(
        parent,
        "Schedule exported",
        f"{schedule.heading} ({count} review{'s' if count != 1 else ''}) was saved as "
        f"{path}.\n\nOpen it now?",
        ["Open", "Close"],
    )
    if answer == "Open":
        open_url(QUrl.fromLocalFile(str(path)))
    return path


def export_calendar(
    services: Services,
    cycle_id: int,
    parent: QWidget,
    *,
    ask_folder: AskFolder = QFileDialog.getExistingDirectory,
    ask: Ask = ask,
    tell: Tell = tell,
    open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
) -> list[Path]:
    """Ask which calendar files and which folder, then write them; returns the files."""
    actor = services.actor
    title = "Export calendar"
    try:
        cycle = services.reviews.get_cycle(actor, cycle_id)
    except OfficeError as exc:
        _failed(parent, title, exc, tell)
        return []
    if not cycle.reviews:
        tell(
            parent,
            title,
            f"{cycle.title} has no reviews yet: generate the schedule or add reviews first, "
            "then export its calendar.",
        )
        return []
    which = ask(
        parent,
        title,
        f"Export the calendar of {cycle.title} as .ics files for Outlook, Google Calendar "
        "or Apple Calendar.\n\nWhich files: one for the whole cycle, one per school (the "
        "review it hosts and those it reviews at), or both?\n\nImporting a file again after "
        "a change updates its events rather than adding them twice.",
        [BOTH, WHOLE_CYCLE, PER_SCHOOL, CANCEL],
    )
    if which == CANCEL:
        return []
    start = str(config.remembered_folder(_FOLDER_SETTING))
    chosen = ask_folder(parent, "Folder for the calendar files", start)
    if not chosen:
        return []
    folder = Path(chosen)
    try:
        with _busy():
            written = services.review_exports.calendars(
                actor,
                cycle_id,
                folder,
                per_school=which in (BOTH, PER_SCHOOL),
                whole_cycle=which in (BOTH, WHOLE_CYCLE),
            )
    except OfficeError as exc:
        _failed(parent, "The calendar was not exported", exc, tell)
        return []
    config.remember_folder(_FOLDER_SETTING, folder)
    count = len(written)
    names = "\n".join(path.name for path in written[:3])
    more = f"\n… and {count - 3} more" if count > 3 else ""
    answer = ask(
        parent,
        "Calendar exported",
        f"{count} calendar file{'s were' if count != 1 else ' was'} saved in {folder}:\n"
        f"{names}{more}\n\nOpen the folder?",
        ["Open folder", "Close"],
    )
    if answer == "Open folder":
        open_url(QUrl.fromLocalFile(str(folder)))
    return written
