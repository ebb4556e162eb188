"""The plain table model behind import previews and reports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel, display_value
from thep_desktop.ui.shared.roles import KIND_ROLE, VALUE_ROLE

pytestmark = pytest.mark.gui

COLUMNS = (
    PlainColumn("Row", "integer"),
    PlainColumn("School"),
    PlainColumn("Opened", "date"),
    PlainColumn("Fee", "money"),
    PlainColumn("Concern", "bool"),
)
ROWS = [
    (3, "bow school", date(2001, 9, 1), Decimal("1250.5"), False),
    (2, "Alder Primary", None, Decimal("-12.00"), True),
    (10, "", date(1999, 1, 31), None, False),
]


@pytest.fixture
def model(qtbot) -> PlainTableModel:  # noqa: ARG001 - qtbot makes the QApplication
    return PlainTableModel(COLUMNS, ROWS)


def test_model_passes_qt_model_checks(qtmodeltester, model: PlainTableModel) -> None:
    qtmodeltester.check(model)


def test_cells_read_the_office_way_and_keep_their_typed_value(model: PlainTableModel) -> None:
    shown = [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    assert shown[0] == ["3", "bow school", "01/09/2001", "£1,250.50", ""]
    assert shown[1] == ["2", "Alder Primary", "", "-£12.00", "Yes"]
    assert model.data(model.index(0, 3), VALUE_ROLE) == Decimal("1250.5")
    assert model.data(model.index(0, 2), VALUE_ROLE) == date(2001, 9, 1)
    assert model.headerData(2, Qt.Orientation.Horizontal, KIND_ROLE) == "date"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "School"


def test_sorting_is_by_value_with_blanks_last_and_keeps_selections(
    model: PlainTableModel,
) -> None:
    kept = QPersistentModelIndex(model.index(0, 1))  # "bow school"
    model.sort(1)
    assert [model.row_values(r)[1] for r in range(3)] == ["Alder Primary", "bow school", ""]
    assert kept.row() == 1 and kept.data() == "bow school"
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert [model.row_values(r)[0] for r in range(3)] == [10, 3, 2]
    model.sort(2)
    assert [model.row_values(r)[2] for r in range(3)] == [date(1999, 1, 31), date(2001, 9, 1), None]


def test_integers_such_as_urns_read_without_separators() -> None:
    assert display_value(100234, "integer") == "100234"
    assert display_value(None, "integer") == ""
