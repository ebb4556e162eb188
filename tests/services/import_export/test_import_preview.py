"""What an import preview and its result say to the user."""

from __future__ import annotations

from thep_desktop.services.import_export.import_preview import ImportResult


def test_import_result_wording():
    assert str(ImportResult(1, 0, 0)) == "1 new school, 0 updated, 0 closed"
    assert str(ImportResult(3, 5, 1)) == "3 new schools, 5 updated, 1 closed"
