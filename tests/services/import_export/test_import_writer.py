"""Applying an import preview: all of it in one transaction, or none if someone got there first."""

from __future__ import annotations

from dataclasses import replace

import pytest
from gias_files import (  # noqa: E402 - tests/gias_files.py
    gias_row,
    write_gias,
)
from import_checks import import_file, school_count, snapshot

from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.services.import_export import import_writer
from thep_desktop.services.schools.schools_service import SchoolsService
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ConflictError


def test_apply_refuses_when_someone_edited_a_school_meanwhile(service, db, actor, tmp_path):
    rows = [gias_row(100001), gias_row(100002)]
    import_file(service, actor, write_gias(tmp_path / "a.csv", rows))
    later = [
        gias_row(100001, EstablishmentName="Changed by GIAS"),
        gias_row(100002, **{"EstablishmentStatus (name)": "Closed"}, CloseDate="31-08-2025"),
        gias_row(100003),
    ]
    preview = service.preview(actor, write_gias(tmp_path / "b.csv", later), la_code=None)
    schools = SchoolsService(db)
    school = schools.get_school_by_urn(actor, 100001)
    other = Actor("sam.other")
    schools.update_school(other, school.id, school.version, replace(school.as_input(), notes="x"))
    before = snapshot(db)
    with pytest.raises(ConflictError) as caught:
        service.apply(actor, preview)
    assert "School 100001 (URN 100001)" in caught.value.message
    assert "School 100002" not in caught.value.message
    assert snapshot(db) == before  # the new school was not added either
    fresh = service.preview(actor, write_gias(tmp_path / "b.csv", later), la_code=None)
    assert str(service.apply(actor, fresh)) == (
        "1 new school, 1 updated, 1 closed; 1 Ofsted inspection added"
    )


def test_apply_refuses_a_new_school_someone_added_meanwhile(service, db, actor, tmp_path):
    path = write_gias(tmp_path / "a.csv", [gias_row(100001), gias_row(100002)])
    preview = service.preview(actor, path, la_code=None)
    import_file(service, actor, write_gias(tmp_path / "b.csv", [gias_row(100002)]))
    with pytest.raises(ConflictError, match="School 100002 \\(URN 100002\\)"):
        service.apply(actor, preview)
    assert school_count(db) == 1


def test_cancel_during_apply_rolls_everything_back(service, db, actor, tmp_path, monkeypatch):
    import_file(service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]))
    before = snapshot(db)
    monkeypatch.setattr(import_writer, "_CHUNK", 2)
    rows = [gias_row(100001, EstablishmentName="Renamed")]
    rows += [gias_row(100100 + i) for i in range(7)]
    preview = service.preview(actor, write_gias(tmp_path / "b.csv", rows), la_code=None)
    reports: list[tuple[int, int]] = []

    def on_report(done: int, total: int, message: str) -> None:
        reports.append((done, total))
        if done >= 4:
            progress.cancel()

    progress = Progress(on_report)
    with pytest.raises(Cancelled):
        service.apply(actor, preview, progress)
    assert reports[-1] == (4, 8)
    assert snapshot(db) == before
    # Without a cancel the same preview applies, reporting as it goes.
    seen: list[int] = []
    result = service.apply(actor, preview, Progress(lambda d, t, m: seen.append(d)))
    assert (result.created, result.updated) == (7, 1)
    assert seen[-1] == 8 and seen == sorted(seen)
