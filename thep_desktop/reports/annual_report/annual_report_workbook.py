"""The annual report's appendix: an xlsx workbook of the tables behind the report.

A contents sheet first (each table's sheet, section and number of rows), then one sheet per
table: its header row, dates as dates, money as numbers in pounds, counts as numbers, and
any text beginning with "=" stored as text, never as a formula (reports/shared/spreadsheet.py
writes the cells). Written whole or not at all.
"""

from __future__ import annotations

from pathlib import Path

from thep_desktop.reports.annual_report.report_data import AnnualReportData, ReportTable
from thep_desktop.reports.shared.spreadsheet import (
    ColumnSpec,
    TableData,
    _sheet_title,
    write_xlsx,
)

CONTENTS_TITLE = "Contents"


def sheet_title(number: int, report_table: ReportTable) -> str:
    """The table's title on its sheet: numbered, so two tables of the same title stay apart
    (the sheet's name is this, shortened to what Excel accepts)."""
    return f"{number}. {report_table.title}"


def appendix_tables(data: AnnualReportData) -> TableData:
    """The contents sheet, with every table a further sheet of its own."""
    sheets: list[TableData] = []
    contents_rows: list[tuple[object, ...]] = []
    for number, (section, report_table) in enumerate(data.tables(), start=1):
        title = sheet_title(number, report_table)
        subtitle = f"{section.heading}, {data.year_label}. {data.figures_line}"
        if report_table.note:
            subtitle += f" {report_table.note}"
        sheets.append(
            TableData(
                title=title,
                subtitle=subtitle,
                columns=[
                    ColumnSpec(name or "Item", kind)
                    for name, kind in zip(report_table.columns, report_table.kinds, strict=True)
                ],
                rows=[list(row) for row in report_table.rows],
                row_count=len(report_table.rows),
            )
        )
        contents_rows.append(
            (_sheet_title(title), section.heading, report_table.title, len(report_table.rows))
        )
    empty = [s.heading for s in data.sections if s.empty_words]
    subtitle = f"Appendix to {data.title}. {data.figures_line} {data.status_line}."
    if empty:
        subtitle += f" No records for {data.year_label} in: {', '.join(empty)}."
    return TableData(
        title=CONTENTS_TITLE,
        subtitle=subtitle,
        columns=[
            ColumnSpec("Sheet"),
            ColumnSpec("Section"),
            ColumnSpec("Table"),
            ColumnSpec("Rows", "count"),
        ],
        rows=contents_rows,
        row_count=len(contents_rows),
        source=data.organisation,
        more_sheets=sheets,
    )


def write_appendix(path: str | Path, data: AnnualReportData) -> int:
    """Write the appendix at ``path``; returns the number of tables in it."""
    tables = appendix_tables(data)
    write_xlsx(path, tables)
    return len(tables.more_sheets)
