"""The register's columns without Qt: the layout a user saved, and the columns written."""

from __future__ import annotations

from thep_desktop.domain.schools import SchoolRow, SchoolStatus
from thep_desktop.reports.schools.schools_table import (
    COLUMN_KEYS,
    COLUMNS,
    DEFAULT_COLUMNS,
    column_layout,
    schools_table_data,
    shown_columns,
)


def test_no_saved_layout_gives_the_standard_columns() -> None:
    order, hidden, widths = column_layout({})
    assert [COLUMN_KEYS[n] for n in order if n not in hidden] == list(DEFAULT_COLUMNS)
    assert sorted(order) == list(range(len(COLUMNS))) and widths == {}
    assert shown_columns({"columns": "damaged"}) == [COLUMN_KEYS.index(k) for k in DEFAULT_COLUMNS]


def test_a_saved_layout_survives_columns_added_and_removed() -> None:
    """A layout saved by another version: unknown keys are dropped, new columns appended."""
    state = {
        "columns": [
            {"key": "name", "width": 320, "hidden": False},
            {"key": "retired_column", "width": 90, "hidden": False},
            {"key": "urn", "width": 5, "hidden": False},  # an impossible width is ignored
            {"key": "pupils", "width": 70, "hidden": True},
            "not a column",
        ]
    }
    order, hidden, widths = column_layout(state)
    name, urn, pupils = (COLUMN_KEYS.index(k) for k in ("name", "urn", "pupils"))
    assert order[:3] == [name, urn, pupils]
    assert sorted(order) == list(range(len(COLUMNS)))
    assert widths == {"name": 320, "pupils": 70}
    shown = [n for n in order if n not in hidden]
    # Columns this user never saw come back as the standard set has them.
    assert COLUMN_KEYS.index("head_teacher") in shown
    assert COLUMN_KEYS.index("trust") not in shown
    assert pupils not in shown


def test_a_layout_with_every_column_hidden_falls_back_to_the_standard_set() -> None:
    state = {"columns": [{"key": k, "width": 80, "hidden": True} for k in COLUMN_KEYS]}
    assert shown_columns(state) == [COLUMN_KEYS.index(k) for k in DEFAULT_COLUMNS]


def test_the_table_writes_the_chosen_columns_in_order() -> None:
    row = SchoolRow(
        1, 100001, "Bow School", "211/2001", "Community school", "Primary",
        SchoolStatus.OPEN, "London", "E3 4PX", 1250, "", "Ms A Begum", "", True, "Good", 1,
    )  # fmt: skip
    pupils, name = COLUMN_KEYS.index("pupils"), COLUMN_KEYS.index("name")
    data = schools_table_data([row], columns=[pupils, name])
    assert [(c.title, c.kind) for c in data.columns] == [("Pupils", "count"), ("School", "text")]
    assert list(data.rows) == [(1250, "Bow School")]
    assert COLUMNS[pupils].display(row) == "1,250"
