"""File > Export: any table view, as the user sees it (filtered, sorted), to Excel or CSV.

The rows are copied from the view's model on the main thread (a list of tuples, quick), then
written by :mod:`thep_desktop.reports.shared.spreadsheet` on a background thread with a progress
dialog and Cancel. A tab offers its table by implementing :class:`Exportable`; the main window
asks the current tab for an :class:`ExportRequest` and hands it to :func:`export_view`.

A model may offer ``row_values(source_row) -> tuple`` giving every column's ``VALUE_ROLE`` in
one call; then a row is read with one Python call instead of a Qt call per cell, which keeps
the window from pausing on an export of the whole register.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import QAbstractItemModel, QAbstractProxyModel, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QTableView, QWidget

from thep_desktop import config
from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.files import safe_file_stem as domain_safe_file_stem
from thep_desktop.reports.shared.spreadsheet import (
    KINDS,
    SUFFIX_MESSAGE,
    SUFFIXES,
    ColumnSpec,
    TableData,
    export_table,
)
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.questions import Ask, Tell, ask, tell
from thep_desktop.ui.shared.roles import KIND_ROLE, VALUE_ROLE

FILE_FILTERS = "Excel workbook (*.xlsx);;CSV, comma-separated (*.csv)"
_CSV_FILTER = FILE_FILTERS.split(";;")[1]
_FOLDER_SETTING = "export_folder"

AskPath = Callable[[QWidget, str, str, str], tuple[str, str]]
"""``QFileDialog.getSaveFileName(parent, caption, path, filters) -> (path, chosen filter)``."""


@dataclass(frozen=True)
class ExportRequest:
    """What a tab exports: its table view, the table's name, and what it shows in words."""

    view: QTableView
    title: str  # "Schools register": the workbook's heading and sheet name
    subtitle: str = ""  # e.g. "Filter: phase Primary; search “st”"; empty for everything
    file_stem: str = ""  # the suggested file name's start ("Schools"); the title if empty
    # Offered beside "as shown" when set: the same rows with every field, built (reading the
    # database) on the export's background thread; takes the source named in the heading.
    all_fields: Callable[[str], TableData] | None = field(default=None, compare=False)
    all_fields_help: str = ""  # what "All fields" holds, in the question that offers it


@runtime_checkable
class Exportable(Protocol):
    """A tab with a table File > Export can write."""

    def export_request(self) -> ExportRequest: ...


# -- reading the view -----------------------------------------------------------------------------
def _visible_columns(view: QTableView) -> list[int]:
    header = view.horizontalHeader()
    columns = []
    for visual in range(header.count()):
        logical = header.logicalIndex(visual)
        if not header.isSectionHidden(logical):
            columns.append(logical)
    return columns


def _kind(value: object) -> str:
    return value if isinstance(value, str) and value in KINDS else "text"


def _fast_rows(
    model: QAbstractItemModel, rows: Sequence[int], columns: Sequence[int]
) -> list[tuple[Any, ...]] | None:
    """Rows through the source model's ``row_values``, or None if the model has none."""
    proxy = model if isinstance(model, QAbstractProxyModel) else None
    source = proxy.sourceModel() if proxy is not None else model
    row_values = getattr(source, "row_values", None)
    if row_values is None:
        return None
    if proxy is None:
        source_rows: Sequence[int] = rows
    else:
        # Only a proxy that keeps the source's columns; one that moves or hides them goes the
        # general way.
        if proxy.columnCount() != source.columnCount():
            return None
        if rows and any(proxy.mapToSource(proxy.index(rows[0], c)).column() != c for c in columns):
            return None
        source_rows = [proxy.mapToSource(proxy.index(r, 0)).row() for r in rows]
    return [tuple(values[c] for c in columns) for values in map(row_values, source_rows)]


def _cell_value(model: QAbstractItemModel, row: int, column: int) -> Any:
    index = model.index(row, column)
    value = model.data(index, VALUE_ROLE)
    if value is None:
        text = model.data(index, Qt.ItemDataRole.DisplayRole)
        value = None if text is None or text == "" else str(text)
    return value


def table_data_from_view(
    view: QTableView, title: str, subtitle: str = "", *, source: str = ""
) -> TableData:
    """A copy of what ``view`` shows: visible columns and rows, in the view's order."""
    model = view.model()
    horizontal = Qt.Orientation.Horizontal
    columns = _visible_columns(view)
    specs = [
        ColumnSpec(
            str(model.headerData(c, horizontal, Qt.ItemDataRole.DisplayRole) or ""),
            _kind(model.headerData(c, horizontal, KIND_ROLE)),
        )
        for c in columns
    ]
    rows = [r for r in range(model.rowCount()) if not view.isRowHidden(r)]
    values = _fast_rows(model, rows, columns)
    if values is None:
        values = [tuple(_cell_value(model, r, c) for c in columns) for r in rows]
    return TableData(title, subtitle, specs, values, len(values), source=source)


# -- choosing the file ----------------------------------------------------------------------------
def default_folder() -> Path:
    """Where the last export went, else the user's Documents folder."""
    return config.remembered_folder(_FOLDER_SETTING)


def safe_file_stem(text: str) -> str:
    """``text`` without characters Windows refuses in a file name."""
    return domain_safe_file_stem(text, "Export")


def _with_suffix(path: str, chosen_filter: str) -> Path:
    target = Path(path)
    if not target.suffix:
        target = target.with_name(
            target.name + (".csv" if chosen_filter == _CSV_FILTER else ".xlsx")
        )
    return target


# -- exporting ------------------------------------------------------------------------------------
def export_view(
    parent: QWidget,
    view: QTableView,
    title: str,
    subtitle: str,
    default_name: str,
    *,
    source: str = "",
    ask_path: AskPath = QFileDialog.getSaveFileName,
    ask: Ask = ask,
    tell: Tell = tell,
    open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
    show_status: Callable[[str], None] | None = None,
) -> BackgroundJob | None:
    """Ask where, then write what ``view`` shows there in the background.

    Returns the running job, or None when nothing is exported (no rows, or the user did not
    choose a file). When it is done the user is told how many rows went where, and may open
    the file.
    """
    data = table_data_from_view(view, title, subtitle, source=source)
    return export_built(
        parent,
        title,
        data.row_count or 0,
        lambda: data,
        default_name,
        ask_path=ask_path,
        ask=ask,
        tell=tell,
        open_url=open_url,
        show_status=show_status,
    )


def export_built(
    parent: QWidget,
    title: str,
    row_count: int,
    build: Callable[[], TableData],
    default_name: str,
    *,
    ask_path: AskPath = QFileDialog.getSaveFileName,
    ask: Ask = ask,
    tell: Tell = tell,
    open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
    show_status: Callable[[str], None] | None = None,
) -> BackgroundJob | None:
    """Ask where, then ``build`` the table and write it there, both in the background.

    ``row_count`` is how many rows ``build`` will give (none: nothing is exported).
    """
    if not row_count:
        tell(
            parent,
            "Nothing to export",
            "No rows are shown, so there is nothing to export. Clear the search or the "
            "filters to see rows, then export again.",
        )
        return None
    chosen, chosen_filter = ask_path(
        parent, f"Export {title}", str(default_folder() / default_name), FILE_FILTERS
    )
    if not chosen:
        return None
    path = _with_suffix(chosen, chosen_filter)
    if path.suffix.casefold() not in SUFFIXES:
        tell(parent, "Export", SUFFIX_MESSAGE)
        return None

    def done(count: int) -> None:
        config.remember_folder(_FOLDER_SETTING, path.parent)
        message = f"Exported {count:,} {'row' if count == 1 else 'rows'} to {path}."
        if show_status is not None:
            show_status(message)
        answer = ask(parent, "Exported", f"{message}\n\nOpen it now?", ["Open", "Close"])
        if answer == "Open":
            open_url(QUrl.fromLocalFile(str(path)))

    def failed(exc: BaseException) -> None:
        text = exc.message if isinstance(exc, OfficeError) else f"Something went wrong: {exc}"
        tell(parent, "The export was not saved", text)

    def cancelled() -> None:
        if show_status is not None:
            show_status(f"Export cancelled: {path.name} was not written.")

    return BackgroundJob(
        parent,
        f"Exporting {row_count:,} rows…",
        lambda progress: export_table(path, build(), progress),
        on_done=done,
        on_error=failed,
        on_cancel=cancelled,
    ).start()


def default_file_name(
    request: ExportRequest, today: date | None = None, *, all_fields: bool = False
) -> str:
    """``Schools 2026-11-25.xlsx`` (``Schools - all fields 2026-11-25.xlsx``): sorts by date."""
    stem = safe_file_stem(request.file_stem or request.title)
    if all_fields:
        stem += " - all fields"
    return f"{stem} {(today or date.today()).isoformat()}.xlsx"
