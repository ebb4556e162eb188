"""The columns of the schools register as the office sees it, without Qt.

The Schools tab's table model shows these columns; File > Export and ``thep-admin export
schools`` write the same columns, with the same typed values, to Excel or CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from thep_desktop.domain.schools import SchoolRow
from thep_desktop.reports.shared.spreadsheet import ColumnSpec, TableData


@dataclass(frozen=True)
class Column:
    title: str
    display: Callable[[SchoolRow], str]
    sort_key: Callable[[SchoolRow], Any]
    numeric: bool = False
    tooltip: str = ""
    kind: str = "text"  # one of KINDS: how File > Export types the column's cells
    value: Callable[[SchoolRow], Any] | None = None  # the typed value; None: the display text

    def typed(self, row: SchoolRow) -> Any:
        return self.display(row) if self.value is None else self.value(row)


def _text_key(value: str) -> tuple[bool, str]:
    # Blanks sort last in ascending order, as an office user expects.
    return (not value, value.casefold())


def _number_key(value: int | None) -> tuple[bool, int]:
    return (value is None, value or 0)


COLUMNS: tuple[Column, ...] = (
    Column(
        "URN", lambda r: str(r.urn), lambda r: r.urn, True, kind="integer", value=lambda r: r.urn
    ),
    Column(
        "DfE number",
        lambda r: r.laestab,
        lambda r: _text_key(r.laestab),
        tooltip="LA code / establishment number",
    ),
    Column("School", lambda r: r.name, lambda r: _text_key(r.name)),
    Column("Phase", lambda r: r.phase, lambda r: _text_key(r.phase)),
    Column("Type", lambda r: r.establishment_type, lambda r: _text_key(r.establishment_type)),
    Column("Status", lambda r: r.status.label, lambda r: r.status.label),
    Column("Postcode", lambda r: r.postcode, lambda r: _text_key(r.postcode)),
    Column(
        "Pupils",
        lambda r: "" if r.pupils_on_roll is None else f"{r.pupils_on_roll:,}",
        lambda r: _number_key(r.pupils_on_roll),
        numeric=True,
        kind="integer",
        value=lambda r: r.pupils_on_roll,
    ),
    Column("Trust", lambda r: r.trust, lambda r: _text_key(r.trust)),
    Column("Head teacher", lambda r: r.head_teacher, lambda r: _text_key(r.head_teacher)),
    Column("Link officer", lambda r: r.link_officer, lambda r: _text_key(r.link_officer)),
    Column("Ofsted", lambda r: r.ofsted_grade, lambda r: _text_key(r.ofsted_grade)),
    Column(
        "Concern",
        lambda r: "Yes" if r.causing_concern else "",
        lambda r: not r.causing_concern,
        tooltip="School causing concern",
        kind="bool",
        value=lambda r: r.causing_concern,
    ),
)
COL_URN, COL_DFE, COL_NAME, COL_PHASE, COL_TYPE, COL_STATUS, COL_POSTCODE, COL_PUPILS = range(8)
COL_TRUST, COL_HEAD, COL_LINK, COL_OFSTED, COL_CONCERN = range(8, 13)


def search_key(row: SchoolRow) -> str:
    """What the search box matches: name, URN, postcode with and without its space."""
    return f"{row.name} {row.urn} {row.postcode} {row.postcode.replace(' ', '')}".casefold()


def schools_table_data(
    rows: Iterable[SchoolRow],
    *,
    title: str = "Schools register",
    subtitle: str = "",
    source: str = "",
) -> TableData:
    """The rows, in the order given, as a table for the spreadsheet writer."""
    shown = list(rows)
    return TableData(
        title=title,
        subtitle=subtitle,
        columns=[ColumnSpec(column.title, column.kind) for column in COLUMNS],
        rows=(tuple(column.typed(row) for column in COLUMNS) for row in shown),
        row_count=len(shown),
        source=source,
    )
