"""Two GIAS imports at the same moment: one writes, the other finds nothing left or says why."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from gias_files import gias_row, write_gias
from import_checks import import_file, school_count, snapshot

from thep_desktop.database import Database
from thep_desktop.services.import_export.gias_import import GiasImportService
from thep_desktop.services.import_export.import_preview import ImportPreview, ImportResult
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import RegisterChangedError


def apply_both_at_once(
    db: Database, actor: Actor, paths: tuple[Path, Path]
) -> list[ImportResult | BaseException]:
    """Two users (two connections) preview their file, then both press Apply together."""
    databases = [Database(db.url), Database(db.url)]
    services = [GiasImportService(d) for d in databases]
    previews: list[ImportPreview] = [
        s.preview(actor, p, la_code=None) for s, p in zip(services, paths, strict=True)
    ]
    start = threading.Barrier(2)
    outcomes: list[ImportResult | BaseException] = [None, None]  # type: ignore[list-item]

    def apply(i: int) -> None:
        start.wait()
        try:
            outcomes[i] = services[i].apply(actor, previews[i])
        except BaseException as exc:  # noqa: BLE001 - the test looks at what came out
            outcomes[i] = exc

    threads = [threading.Thread(target=apply, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for d in databases:
        d.dispose()
    return outcomes


def test_the_same_new_schools_imported_twice_at_once(db, actor, tmp_path):
    path = write_gias(tmp_path / "g.csv", [gias_row(100000 + i) for i in range(120)])
    outcomes = apply_both_at_once(db, actor, (path, path))
    done = [o for o in outcomes if isinstance(o, ImportResult)]
    assert len(done) == 2, outcomes  # neither failed
    assert sorted(o.created for o in done) == [0, 120]
    second = next(o for o in done if o.created == 0)
    assert second.already_applied
    assert str(second).startswith("nothing left to change")
    assert school_count(db) == 120


def test_the_same_changes_and_closures_imported_twice_at_once(db, actor, tmp_path):
    service = GiasImportService(db)
    import_file(
        service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001 + i) for i in range(3)])
    )
    later = [
        gias_row(100001, EstablishmentName="Renamed by GIAS"),
        gias_row(100002, **{"EstablishmentStatus (name)": "Closed"}, CloseDate="31-08-2025"),
        gias_row(100003),
        gias_row(100004),
    ]
    path = write_gias(tmp_path / "b.csv", later)
    outcomes = apply_both_at_once(db, actor, (path, path))
    assert sorted(str(o) for o in outcomes) == [
        "1 new school, 1 updated, 1 closed; 1 Ofsted inspection added",
        "nothing left to change: someone else made the same changes to the register after "
        "this preview",
    ]
    fresh = service.preview(actor, path, la_code=None)
    assert not fresh.has_changes and fresh.unchanged == 4


def test_a_different_file_applied_at_the_same_moment_asks_for_a_new_preview(db, actor, tmp_path):
    service = GiasImportService(db)
    import_file(service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]))
    mine = write_gias(tmp_path / "m.csv", [gias_row(100001, EstablishmentName="Mine")])
    theirs = write_gias(tmp_path / "t.csv", [gias_row(100001, EstablishmentName="Theirs")])
    outcomes = apply_both_at_once(db, actor, (mine, theirs))
    refused = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(refused) == 1 and isinstance(refused[0], RegisterChangedError), outcomes
    message = refused[0].message
    assert message.startswith("The register changed since this preview (someone changed or ")
    assert message.endswith("(URN 100001)); make a new preview. Nothing was imported.")
    winner = next(o for o in outcomes if isinstance(o, ImportResult))
    assert str(winner) == "0 new schools, 1 updated, 0 closed"
    # The register holds one of the two names, whole; the refused preview wrote nothing.
    (row,) = snapshot(db)
    assert row.count("Mine") + row.count("Theirs") == 1
    assert row.count("Mine" if outcomes[0] is winner else "Theirs") == 1


@pytest.mark.parametrize("kind", ["new", "changed"])
def test_a_stale_preview_is_refused_in_words_and_writes_nothing(db, actor, tmp_path, kind):
    service = GiasImportService(db)
    import_file(service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]))
    if kind == "new":
        stale = service.preview(
            actor,
            write_gias(tmp_path / "s.csv", [gias_row(100002), gias_row(100003)]),
            la_code=None,
        )
        import_file(
            service,
            actor,
            write_gias(tmp_path / "o.csv", [gias_row(100002, EstablishmentName="Other")]),
        )
        what = "someone added School 100002 (URN 100002)"
    else:
        stale = service.preview(
            actor,
            write_gias(tmp_path / "s.csv", [gias_row(100001, Postcode="E1 1AA")]),
            la_code=None,
        )
        import_file(
            service, actor, write_gias(tmp_path / "o.csv", [gias_row(100001, Postcode="E3 3AA")])
        )
        what = "someone changed or removed School 100001 (URN 100001)"
    before = snapshot(db)
    with pytest.raises(RegisterChangedError) as caught:
        service.apply(actor, stale)
    assert caught.value.message == (
        f"The register changed since this preview ({what}); make a new preview. "
        "Nothing was imported."
    )
    assert snapshot(db) == before
