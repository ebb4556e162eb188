"""How ``thep-admin offline sync`` writes a conflict for a person: values as the rest of the
text output shows them (dates dd/mm/yyyy, money in pounds, Yes/No), a deleted side named."""

from __future__ import annotations

import io

from thep_desktop.cli.offline.offline_commands import conflict_json, write_conflicts
from thep_desktop.services.offline.offline_data import Conflict, ConflictKind, FieldConflict


def test_a_field_by_field_conflict_shows_dates_yes_no_and_empty_values() -> None:
    conflict = Conflict(
        "school",
        "6c1f7d0e-0000-4000-8000-000000000001",
        "Bow School",
        ConflictKind.BOTH_CHANGED,
        (
            FieldConflict("ofsted_date", "2024-03-05", "2025-11-20", None),
            FieldConflict("causing_concern", False, True, False),
            FieldConflict("name", "Bow School", "Bow Primary School", "Bow Academy"),
        ),
    )
    out = io.StringIO()
    write_conflicts([conflict], out)
    assert out.getvalue().splitlines() == [
        "  School “Bow School”: changed here and at the office",
        "      ofsted date: original “05/03/2024”; mine “20/11/2025”; theirs (empty)",
        "      causing concern: original No; mine Yes; theirs No",
        "      name: original “Bow School”; mine “Bow Primary School”; theirs “Bow Academy”",
    ]
    # JSON keeps the canonical values: ISO dates, JSON booleans, null where absent.
    assert conflict_json(conflict)["fields"][0] == {
        "name": "ofsted_date",
        "original": "2024-03-05",
        "mine": "2025-11-20",
        "theirs": None,
    }


def test_a_record_deleted_on_one_side_names_the_deleted_side() -> None:
    conflict = Conflict(
        "invoice",
        "6c1f7d0e-0000-4000-8000-000000000002",
        "id:14",
        ConflictKind.DELETED_AT_OFFICE,
        (
            FieldConflict("total", "1250.00", "1312.50", None),
            FieldConflict("due_date", "2026-10-01", "2026-10-15", None),
        ),
    )
    out = io.StringIO()
    write_conflicts([conflict], out)
    assert out.getvalue().splitlines() == [
        "  Invoice or credit note “id:14”: changed here, deleted at the office",
        "      total: original “£1,250.00”; mine “£1,312.50”; theirs (deleted)",
        "      due date: original “01/10/2026”; mine “15/10/2026”; theirs (deleted)",
    ]
    assert conflict_json(conflict)["whole_record"] is True
    assert conflict_json(conflict)["kind"] == "deleted_at_office"
