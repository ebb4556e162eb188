"""Take a copy from the office's server, change it offline, synchronise; change the same
school on both sides; sync twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from offline_records import office_with_demo, rename_school, school_name, take_copy

from thep_desktop.database import Database
from thep_desktop.services.offline.offline_data import Choice, ConflictKind, OfflineError


def test_a_school_renamed_offline_reaches_the_office_and_theirs_comes_back(
    pg_db: Database, tmp_path: Path
) -> None:
    office = office_with_demo(pg_db)
    schools = office.schools.list_schools(office.actor)
    mine_urn, theirs_urn = schools[0].urn, schools[1].urn
    copy, path = take_copy(office, tmp_path)
    rename_school(copy, mine_urn, "Renamed Offline School")
    rename_school(office, theirs_urn, "Renamed At The Office School")
    copy.db.dispose()

    plan = office.offline.preview(path, office.db)
    assert [c.words for c in plan.send] == ["Changed school “Renamed Offline School”: name"]
    assert [c.words for c in plan.receive] == [
        "Changed school “Renamed At The Office School”: name"
    ]
    assert plan.conflicts == ()
    result = office.offline.sync(path, office.db)
    assert result.sent == 1 and result.received == 1
    assert school_name(office, mine_urn) == "Renamed Offline School"
    again, _ = take_copy_services(path)
    assert school_name(again, theirs_urn) == "Renamed At The Office School"
    again.db.dispose()
    # A second run finds nothing left to do.
    plan = office.offline.preview(path, office.db)
    assert plan.nothing_to_do


def take_copy_services(path: Path):  # type: ignore[no-untyped-def]
    from thep_desktop.services.registry import open_services

    return open_services(str(path))


def test_the_same_school_changed_on_both_sides_waits_for_a_choice(
    pg_db: Database, tmp_path: Path
) -> None:
    office = office_with_demo(pg_db)
    urn = office.schools.list_schools(office.actor)[0].urn
    before = school_name(office, urn)
    copy, path = take_copy(office, tmp_path)
    rename_school(copy, urn, "Mine School")
    rename_school(office, urn, "Theirs School")
    copy.db.dispose()
    plan = office.offline.preview(path, office.db)
    (conflict,) = plan.conflicts
    assert conflict.kind == ConflictKind.BOTH_CHANGED
    ((field),) = conflict.fields
    assert (field.name, field.original, field.mine, field.theirs) == (
        "name",
        before,
        "Mine School",
        "Theirs School",
    )
    with pytest.raises(OfflineError, match="must be resolved first"):
        office.offline.sync(path, office.db)
    assert school_name(office, urn) == "Theirs School"
    result = office.offline.sync(
        path,
        office.db,
        {(conflict.table, conflict.uuid, "name"): Choice.MINE},
        fingerprint=plan.fingerprint,
    )
    assert result.resolved == 1
    assert school_name(office, urn) == "Mine School"
