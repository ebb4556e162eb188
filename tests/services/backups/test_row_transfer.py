"""Rows that point at rows of their own table go in after what they point at."""

from __future__ import annotations

from thep_desktop.models import Meeting
from thep_desktop.services.backups.row_transfer import _targets_first


def _meeting(number: int, approved_at: int | None) -> dict[str, object]:
    return {"id": number, "approved_at_meeting_id": approved_at, "title": f"Meeting {number}"}


def test_minutes_approved_at_later_meetings_are_inserted_after_them() -> None:
    # Each meeting's minutes approved at the next; meeting 6 approved nothing yet; meeting 7
    # stands alone. Read in id order, every row names one not yet inserted.
    rows = [_meeting(n, n + 1 if n < 6 else None) for n in range(1, 7)] + [_meeting(7, None)]
    ordered = list(_targets_first(Meeting.__table__, rows))  # type: ignore[arg-type]
    assert sorted(r["id"] for r in ordered) == list(range(1, 8))  # type: ignore[type-var]
    seen: set[object] = set()
    for row in ordered:
        target = row["approved_at_meeting_id"]
        assert target is None or target in seen, (row, [r["id"] for r in ordered])
        seen.add(row["id"])
    # Rows already in a good order keep it.
    kept = [_meeting(1, None), _meeting(2, 1), _meeting(3, 2)]
    assert list(_targets_first(Meeting.__table__, kept)) == kept  # type: ignore[arg-type]


def test_tables_without_a_reference_to_themselves_stream_through_untouched() -> None:
    from thep_desktop.models import School

    rows = iter([{"id": 2}, {"id": 1}])
    assert _targets_first(School.__table__, rows) is rows  # type: ignore[arg-type]
