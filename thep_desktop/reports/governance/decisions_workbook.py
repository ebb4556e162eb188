"""Decisions and actions as an Excel workbook: a Decisions sheet and an Actions sheet, dates
as real dates shown dd/mm/yyyy, each with a frozen header row and a filter."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.progress import Progress
from thep_desktop.reports.governance.governance_papers import ActionLog, DecisionLog
from thep_desktop.reports.shared.spreadsheet import ColumnSpec, ExportError, TableData, write_xlsx

DECISION_COLUMNS = (
    ColumnSpec("Reference"),
    ColumnSpec("Date", "date"),
    ColumnSpec("Body"),
    ColumnSpec("Meeting"),
    ColumnSpec("Item"),
    ColumnSpec("Decision"),
    ColumnSpec("Kind"),
    ColumnSpec("Votes for", "integer"),
    ColumnSpec("Against", "integer"),
    ColumnSpec("Abstaining", "integer"),
    ColumnSpec("Result"),
)
ACTION_COLUMNS = (
    ColumnSpec("Action"),
    ColumnSpec("Owner"),
    ColumnSpec("Due", "date"),
    ColumnSpec("Status"),
    ColumnSpec("Overdue"),
    ColumnSpec("Progress"),
    ColumnSpec("Body"),
    ColumnSpec("Raised at"),
    ColumnSpec("Raised on", "date"),
    ColumnSpec("Closed on", "date"),
)


def decisions_and_actions_table(
    decisions: DecisionLog,
    actions: ActionLog,
    *,
    source: str = "",
) -> TableData:
    """The workbook's two sheets, each row typed (dates as dates, votes as numbers)."""
    decision_rows = [
        (
            d.reference,
            d.meets_on,
            d.body_name,
            d.meeting,
            d.item,
            d.text,
            d.kind,
            d.votes_for,
            d.votes_against,
            d.votes_abstaining,
            d.result,
        )
        for d in decisions.entries
    ]
    action_rows = [
        (
            a.text,
            a.owner,
            a.due_on,
            a.status,
            f"Overdue on {format_date(actions.as_at)}" if a.overdue else "",
            a.progress,
            a.body_name,
            a.raised_at,
            a.raised_on,
            a.closed_on,
        )
        for a in actions.entries
    ]
    action_sheet = TableData(
        title="Actions",
        subtitle=f"{actions.company}: {actions.scope}",
        columns=list(ACTION_COLUMNS),
        rows=action_rows,
        row_count=len(action_rows),
        source=source,
        exported_at=actions.printed_at,
    )
    return TableData(
        title="Decisions",
        subtitle=f"{decisions.company}: {decisions.scope}",
        columns=list(DECISION_COLUMNS),
        rows=decision_rows,
        row_count=len(decision_rows),
        source=source,
        exported_at=decisions.printed_at,
        more_sheets=[action_sheet],
    )


def write_decisions_and_actions(
    path: str | Path | BinaryIO,
    decisions: DecisionLog,
    actions: ActionLog,
    *,
    source: str = "",
    progress: Progress | None = None,
) -> int:
    """The workbook at ``path``, written whole or not at all; returns the decisions written."""
    if isinstance(path, str | Path) and Path(path).suffix.casefold() != ".xlsx":
        raise ExportError("Choose a file ending .xlsx for the decisions and actions.")
    table = decisions_and_actions_table(decisions, actions, source=source)
    return write_xlsx(path, table, progress)
