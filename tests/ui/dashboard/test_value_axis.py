"""The charts' value axis: from 0 to a round number above the tallest bar, labelled the
office's way."""

from __future__ import annotations

from decimal import Decimal

import pytest

from thep_desktop.reports.shared.chart_data import Unit
from thep_desktop.ui.dashboard.chart_view import value_axis


def labels(top: str, unit: Unit) -> list[str]:
    return value_axis(Decimal(top), unit).categoriesLabels()


@pytest.mark.parametrize(
    ("top", "unit", "highest"),
    [
        ("50", Unit.COUNT, "60"),  # a bar at a round number still shows its top
        ("47", Unit.COUNT, "50"),
        ("3", Unit.COUNT, "4"),
        ("8", Unit.COUNT, "10"),
        ("40000", Unit.MONEY, "£50,000"),
        ("38250.50", Unit.MONEY, "£40,000"),
    ],
)
def test_the_axis_ends_above_the_tallest_bar(top: str, unit: Unit, highest: str) -> None:
    axis = value_axis(Decimal(top), unit)
    assert axis.max() > float(top)
    assert labels(top, unit)[0] in ("0", "£0")
    assert labels(top, unit)[-1] == highest
