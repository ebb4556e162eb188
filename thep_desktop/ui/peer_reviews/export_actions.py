"""The peer-reviews tab's exports: the schedule as PDF or Excel, and calendar files (.ics).

The tab calls :func:`export_schedule` and :func:`export_calendar` with its services, the
cycle shown and itself as the parent of the boxes they open. Each asks what it needs (the
file, or the folder and which calendars), writes through the review exports service on a
thread of its own (a progress box with Cancel), and says what was saved, offering to open
it. A file is written whole or not at all, so a
refusal or a failure leaves nothing behind; the reason is said in words.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from thep_desktop import config
from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.files import safe_file_stem
from thep_desktop.domain.progress import Progress
from thep_desktop.services.peer_reviews.review_data import ReviewFilter
from thep_desktop.services.registry import Services
from thep_desktop.ui.shared.background import BackgroundJob
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


def _run(
    parent: QWidget,
    title: str,
    work: Callable[[Progress], Any],
    done: Callable[[Any], None],
    failed_title: str,
    tell: Tell,
) -> BackgroundJob:
    """``work`` on a thread of its own with a progress box and Cancel (a schedule of 600
    reviews takes seconds to lay out); ``done`` with its result on the main thread."""

    def failed(exc: BaseException) -> None:
        text = str(exc) if isinstance(exc, OfficeError) else f"Something went wrong: {exc}"
        tell(parent, failed_title, text)

    return BackgroundJob(parent, title, work, on_done=done, on_error=failed).start()


def _has_reviews(services: Services, cycle_id: int, cluster_id: int) -> bool:
    """Whether the cluster has reviews in the cycle, asked before the file is."""
    wanted = ReviewFilter(cluster_id=cluster_id)
    return bool(services.reviews.list_reviews(services.actor, cycle_id, wanted))


def _offer_to_open(
    parent: QWidget,
    title: str,
    text: str,
    open_label: str,
    target: Path,
    ask: Ask,
    open_url: Callable[[QUrl], object],
) -> None:
    """Say what was saved and offer to open it; the next export starts in the same folder."""
    config.remember_folder(_FOLDER_SETTING, target if target.is_dir() else target.parent)
    if ask(parent, title, text, [open_label, "Close"]) == open_label:
        open_url(QUrl.fromLocalFile(str(target)))


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
) -> BackgroundJob | None:
    """Ask for a PDF or Excel file, then write the cycle's (or one cluster's) schedule to it.

    Returns the job writing it (in the background), or None when the user chose no file
    or the cycle has nothing to export. When it is written the user may open it.
    """
    actor = services.actor
    title = "Export the schedule"
    try:
        cycle = services.reviews.get_cycle(actor, cycle_id)
        cluster = (
            services.clusters.get_cluster(actor, cluster_id) if cluster_id is not None else None
        )
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
    if cluster is not None and not _has_reviews(services, cycle_id, cluster.id):
        tell(
            parent,
            title,
            f"The cluster {cluster.name} has no reviews in {cycle.title} yet: generate its "
            "schedule or add its reviews first.",
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
    as_excel = path.suffix.casefold() == ".xlsx"

    def work(progress: Progress) -> object:
        if as_excel:
            return exports.schedule_xlsx(actor, cycle_id, path, cluster_id, progress)
        return exports.schedule_pdf(actor, cycle_id, path, cluster_id, progress)

    def done(schedule: Any) -> None:
        count = len(schedule.reviews)
        saved = (
            f"{schedule.heading} ({count} review{'s' if count != 1 else ''}) was saved as {path}."
        )
        _offer_to_open(
            parent, "Schedule exported", f"{saved}\n\nOpen it now?", "Open", path, ask, open_url
        )

    return _run(
        parent, "Exporting the schedule…", work, done, "The schedule was not exported", tell
    )


def export_calendar(
    services: Services,
    cycle_id: int,
    parent: QWidget,
    *,
    ask_folder: AskFolder = QFileDialog.getExistingDirectory,
    ask: Ask = ask,
    tell: Tell = tell,
    open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
) -> BackgroundJob | None:
    """Ask which calendar files and which folder, then write them in the background.

    Returns the job, or None when the user cancelled or the cycle has nothing to export.
    """
    actor = services.actor
    title = "Export calendar"
    try:
        cycle = services.reviews.get_cycle(actor, cycle_id)
    except OfficeError as exc:
        _failed(parent, title, exc, tell)
        return None
    if not cycle.reviews:
        tell(
            parent,
            title,
            f"{cycle.title} has no reviews yet: generate the schedule or add reviews first, "
            "then export its calendar.",
        )
        return None
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
        return None
    start = str(config.remembered_folder(_FOLDER_SETTING))
    chosen = ask_folder(parent, "Folder for the calendar files", start)
    if not chosen:
        return None
    folder = Path(chosen)

    exports = services.review_exports

    def work(progress: Progress) -> list[Path]:
        return exports.calendars(
            actor,
            cycle_id,
            folder,
            per_school=which in (BOTH, PER_SCHOOL),
            whole_cycle=which in (BOTH, WHOLE_CYCLE),
            progress=progress,
        )

    def done(written: list[Path]) -> None:
        whole = which in (BOTH, WHOLE_CYCLE)
        schools = len(written) - (1 if whole else 0)
        lines = [f"The calendar of {cycle.title} was saved in {folder}:"]
        if whole:
            lines.append(f"• {written[0].name}: the whole cycle")
        if schools:
            example = written[-schools].name
            lines.append(
                f"• {schools} file{'s' if schools != 1 else ''}, one for each school taking "
                f"part, such as {example}"
            )
        text = "\n".join(lines) + "\n\nOpen the folder?"
        _offer_to_open(parent, "Calendar exported", text, "Open folder", folder, ask, open_url)

    return _run(
        parent, "Exporting the calendar…", work, done, "The calendar was not exported", tell
    )
