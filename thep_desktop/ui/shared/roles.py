"""Item data roles shared by every table model of the program.

Besides what Qt shows (``DisplayRole``), each table model answers:

- ``SORT_ROLE``: the key its column sorts by;
- ``ROW_ROLE``: the plain record behind the row;
- ``VALUE_ROLE``: the cell's typed value (``int``, ``Decimal``, ``date``, ``bool``, ``str`` or
  ``None``), which File > Export writes to Excel as a typed cell;
- ``KIND_ROLE`` (asked of ``headerData``): the column's kind, one of :data:`KINDS`, so an
  export knows a date column from a money column without looking at values. The kinds are
  defined with the spreadsheet writer (``reports.spreadsheet``), which needs them without Qt.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from thep_desktop.reports.shared.spreadsheet import KINDS

__all__ = ["KIND_ROLE", "KINDS", "ROW_ROLE", "SORT_ROLE", "VALUE_ROLE"]

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
VALUE_ROLE = Qt.ItemDataRole.UserRole + 3
KIND_ROLE = Qt.ItemDataRole.UserRole + 4
