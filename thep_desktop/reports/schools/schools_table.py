"""The columns of the schools register as the office sees it, without Qt.

The Schools tab's table model shows these columns; File > Export and ``thep-admin export
schools`` write the same columns, with the same typed values, to Excel or CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
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
    key: str = ""  # stable name, for the columns each user chose to see (titles may change)
    blanks_last: bool = True  # empty cells go last whichever way the column is sorted

    def typed(self, row: SchoolRow) -> Any:
        return self.display(row) if self.value is None else self.value(row)

    def is_blank(self, row: SchoolRow) -> bool:
        return self.blanks_last and self.display(row) == ""


def _text_key(value: str) -> tuple[bool, str]:
    # Blanks sort last in ascending order, as an office user expects.
    return (not value, value.casefold())


def _number_key(value: int | None) -> tuple[bool, int]:
    return (value is None, value or 0)


COLUMNS: tuple[Column, ...] = (
    Column(
        "URN",
        lambda r: str(r.urn),
        lambda r: r.urn,
        True,
        kind="integer",
        value=lambda r: r.urn,
        key="urn",
    ),
    Column(
        "DfE number",
        lambda r: r.laestab,
        lambda r: _text_key(r.laestab),
        tooltip="LA code / establishment number",
        key="dfe_number",
    ),
    Column("School", lambda r: r.name, lambda r: _text_key(r.name), key="name"),
    Column("Phase", lambda r: r.phase, lambda r: _text_key(r.phase), key="phase"),
    Column(
        "Type",
        lambda r: r.establishment_type,
        lambda r: _text_key(r.establishment_type),
        key="type",
    ),
    Column("Status", lambda r: r.status.label, lambda r: r.status.label, key="status"),
    Column("Postcode", lambda r: r.postcode, lambda r: _text_key(r.postcode), key="postcode"),
    Column(
        "Pupils",
        lambda r: "" if r.pupils_on_roll is None else f"{r.pupils_on_roll:,}",
        lambda r: _number_key(r.pupils_on_roll),
        numeric=True,
        kind="count",
        value=lambda r: r.pupils_on_roll,
        key="pupils",
    ),
    Column("Trust", lambda r: r.trust, lambda r: _text_key(r.trust), key="trust"),
    Column(
        "Head teacher",
        lambda r: r.head_teacher,
        lambda r: _text_key(r.head_teacher),
        key="head_teacher",
    ),
    Column(
        "Link officer",
        lambda r: r.link_officer,
        lambda r: _text_key(r.link_officer),
        key="link_officer",
    ),
    Column("Ofsted", lambda r: r.ofsted_grade, lambda r: _text_key(r.ofsted_grade), key="ofsted"),
    Column(
        "Concern",
        lambda r: "Yes" if r.causing_concern else "",
        lambda r: not r.causing_concern,
        tooltip="School causing concern",
        kind="bool",
        value=lambda r: r.causing_concern,
        key="concern",
        blanks_last=False,  # Yes or no: sorting either way puts one group first
    ),
    Column(
        "Membership",
        lambda r: r.membership,
        lambda r: _text_key(r.membership),
        tooltip="Its membership of the partnership today",
        key="membership",
    ),
)
COL_URN, COL_DFE, COL_NAME, COL_PHASE, COL_TYPE, COL_STATUS, COL_POSTCODE, COL_PUPILS = range(8)
COL_TRUST, COL_HEAD, COL_LINK, COL_OFSTED, COL_CONCERN, COL_MEMBERSHIP = range(8, 14)


COLUMN_KEYS = tuple(column.key for column in COLUMNS)

DEFAULT_COLUMNS: tuple[str, ...] = (
    "urn",
    "name",
    "phase",
    "status",
    "membership",
    "pupils",
    "head_teacher",
    "link_officer",
    "ofsted",
)
"""The columns shown until a user chooses others, in order: what the office looks at most,
fitting a 1366x768 laptop screen beside the school's details. The rest (DfE number, type,
postcode, trust, and concern, which the red name shows already) are a right-click on the
header away."""


def default_columns() -> list[int]:
    """The numbers of :data:`DEFAULT_COLUMNS`, in their order."""
    return [COLUMN_KEYS.index(key) for key in DEFAULT_COLUMNS]


LAYOUT_STATE = "schools_tab"
"""The per-user settings key under which the Schools tab keeps its columns and panes."""


def column_layout(state: Mapping[str, object]) -> tuple[list[int], set[int], dict[str, int]]:
    """The columns as a user left them: order (left to right), hidden ones, widths by key.

    ``state`` is what the Schools tab saved (``{"columns": [{"key", "width", "hidden"}, ...]}``
    in the order shown), or {} for the standard set. Columns are kept by key, so a later
    version that adds columns shows the new ones at their defaults after the user's own, and
    forgets keys it no longer has.
    """
    saved = state.get("columns")
    entries = [e for e in saved if isinstance(e, dict)] if isinstance(saved, list) else []
    known = {str(e["key"]): e for e in entries if e.get("key") in COLUMN_KEYS}
    widths = {
        key: width
        for key, entry in known.items()
        if isinstance(width := entry.get("width"), int) and 20 <= width <= 2000
    }
    standard = default_columns()
    if not any(not e.get("hidden") for e in known.values()):
        order = standard + [n for n in range(len(COLUMNS)) if n not in standard]
        return order, set(order[len(standard) :]), widths
    order = [COLUMN_KEYS.index(key) for key in known]
    hidden = {COLUMN_KEYS.index(key) for key, e in known.items() if e.get("hidden")}
    for number, key in enumerate(COLUMN_KEYS):
        if key not in known:  # a column this user has not seen yet
            order.append(number)
            if number not in standard:
                hidden.add(number)
    return order, hidden, widths


def shown_columns(state: Mapping[str, object]) -> list[int]:
    """The columns a user's Schools tab shows, left to right."""
    order, hidden, _widths = column_layout(state)
    return [n for n in order if n not in hidden]


def search_key(row: SchoolRow) -> str:
    """What the search box matches: name, URN, postcode with and without its space."""
    return f"{row.name} {row.urn} {row.postcode} {row.postcode.replace(' ', '')}".casefold()


def schools_table_data(
    rows: Iterable[SchoolRow],
    *,
    columns: Sequence[int] | None = None,
    title: str = "Schools register",
    subtitle: str = "",
    source: str = "",
) -> TableData:
    """The rows, in the order given, as a table for the spreadsheet writer.

    ``columns``: the numbers of the columns to write, in order (default: every column).
    """
    shown = list(rows)
    chosen = [COLUMNS[n] for n in (range(len(COLUMNS)) if columns is None else columns)]
    return TableData(
        title=title,
        subtitle=subtitle,
        columns=[ColumnSpec(column.title, column.kind) for column in chosen],
        rows=(tuple(column.typed(row) for column in chosen) for row in shown),
        row_count=len(shown),
        source=source,
    )
