"""Two at once: GIAS imports of the same file together, and saves meeting a held write lock."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

from gias_files import gias_row, write_gias
from lock_holders import write_lock_held
from sqlalchemy import select

from thep_desktop.database import Database
from thep_desktop.models import School
from thep_desktop.services.import_export.gias_import import GiasImportService
from thep_desktop.services.import_export.import_preview import ImportResult
from thep_desktop.services.schools.schools_service import SchoolInput, SchoolsService
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import DatabaseBusyError, RegisterChangedError

TRIALS = 10
SCHOOLS = 40


def kind(db: Database) -> str:
    return "sqlite" if db.sqlite_path is not None else "postgresql"


def register(db: Database, first: int) -> dict[int, tuple[str, int]]:
    """The schools of one trial's URN range: name and version by URN."""
    with db.read_session() as s:
        rows = s.execute(
            select(School.urn, School.name, School.version).where(
                School.urn.between(first, first + 999)
            )
        )
        return {urn: (name, version) for urn, name, version in rows}


def two_threads_apply(db: Database, actor: Actor, paths: tuple[Path, Path]) -> list[object]:
    databases = [Database(db.url), Database(db.url)]
    services = [GiasImportService(d) for d in databases]
    previews = [s.preview(actor, p, la_code=None) for s, p in zip(services, paths, strict=True)]
    start = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def apply(i: int) -> None:
        start.wait()
        try:
            outcomes[i] = services[i].apply(actor, previews[i])
        except BaseException as exc:  # noqa: BLE001 - every outcome is looked at
            outcomes[i] = exc

    threads = [threading.Thread(target=apply, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for d in databases:
        d.dispose()
    return outcomes


def test_two_gias_imports_at_once(db, actor, tmp_path, reliability):
    """Trials in turn: the same new schools, the same renames, and two different renames.

    The same file twice: one import writes it, the other finds nothing left to change. Two
    different files for the same schools: one writes, the other is told the register changed
    since its preview. Never an error, and every school written exactly once.
    """
    failures, nothing_left, changed_since, problems = 0, 0, 0, []
    for trial in range(TRIALS):
        first = 200000 + (trial // 3) * 1000
        step = trial % 3  # 0: new schools, 1: the same renames twice, 2: different renames
        names = [
            [f"School {first + i}" + ("" if step == 0 else f" {step}{who}") for i in range(SCHOOLS)]
            for who in ("a", "a" if step < 2 else "b")
        ]
        paths = [
            write_gias(
                tmp_path / f"g{trial}{who}.csv",
                [gias_row(first + i, EstablishmentName=n) for i, n in enumerate(names[who])],
            )
            for who in (0, 1)
        ]
        before = register(db, first)
        outcomes = two_threads_apply(db, actor, (paths[0], paths[1]))
        results = [o for o in outcomes if isinstance(o, ImportResult)]
        refused = [o for o in outcomes if isinstance(o, RegisterChangedError)]
        wrote = [i for i, o in enumerate(outcomes) if isinstance(o, ImportResult)]
        wrote = [i for i in wrote if not outcomes[i].already_applied]  # type: ignore[union-attr]
        after = register(db, first)
        ok = len(results) + len(refused) == 2 and len(wrote) == 1
        if ok:
            winner = outcomes[wrote[0]]
            assert isinstance(winner, ImportResult)
            ok = (winner.created, winner.updated) == ((SCHOOLS, 0) if step == 0 else (0, SCHOOLS))
            ok = ok and [after[first + i][0] for i in range(SCHOOLS)] == names[wrote[0]]
            # exactly one import's changes: every school written once
            ok = ok and all(v == (before[u][1] + 1 if step else 1) for u, (_n, v) in after.items())
            ok = ok and (len(refused) == 1) == (step == 2)
        nothing_left += sum(1 for r in results if r.already_applied)
        changed_since += len(refused)
        if not ok:
            failures += 1
            problems.append(f"trial {trial}: {outcomes!r}"[:300])
    reliability(
        "two GIAS imports at once (threads; same file, or two files)",
        trials=TRIALS,
        failures=failures,
        database=kind(db),
        detail=f"{nothing_left} nothing left to change, {changed_since} register changed",
    )
    assert failures == 0, problems


def test_two_thep_admin_imports_at_once(db, tmp_path, reliability):
    """Real processes: both print a result, exit 0, and the register holds the file once."""
    address = db.url.render_as_string(hide_password=False)
    trials, failures, endings, problems = 3, 0, {}, []
    env = os.environ | {"PYTHONPATH": str(Path(__file__).parents[2])}
    for trial in range(trials):
        first = 300000 + trial * 1000
        rows = [gias_row(first + i) for i in range(SCHOOLS)]
        path = write_gias(tmp_path / f"p{trial}.csv", rows)
        command = [sys.executable, "-m", "thep_desktop.cli.admin", "--db", address]
        runs = [
            subprocess.Popen(
                [*command, "import-gias", str(path), "--all"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for _ in range(2)
        ]
        done = [(p.wait(120), *p.communicate()) for p in runs]
        lines = sorted(out.strip().splitlines()[-1] if out.strip() else "" for _c, out, _e in done)
        for line in lines:
            endings[line] = endings.get(line, 0) + 1
        ok = (
            all(code == 0 and "Traceback" not in err for code, _o, err in done)
            # Each row carries an Ofsted rating and date: the first import adds those too.
            and f"Applied: {SCHOOLS} new schools, 0 updated, 0 closed; "
            f"{SCHOOLS} Ofsted inspections added."
            in lines
            and len(register(db, first)) == SCHOOLS
        )
        if not ok:
            failures += 1
            problems.append(repr(done)[:400])
    said = {
        "Nothing in the register needed changing.": "previewed after the first applied",
        "Nothing left to change: someone else made the same changes to the register after "
        "this preview.": "nothing left to change",
    }
    second = ", ".join(f"{n} {said[line]}" for line, n in sorted(endings.items()) if line in said)
    reliability(
        "two thep-admin import-gias of the same file at once",
        trials=trials,
        failures=failures,
        database=kind(db),
        detail=f"the other: {second}",
    )
    assert failures == 0, problems


def test_saves_meeting_a_held_write_lock(db, actor, reliability):
    """Short holds: the save waits and goes through whole. Long holds: busy, nothing saved."""
    schools = SchoolsService(db)
    db.lock_wait.attempt_seconds = 0.1
    rng = random.Random(9)
    trials, failures, problems, waited = 0, 0, [], []
    for trial in range(8):
        trials += 1
        long_hold = trial % 2 == 1
        db.lock_wait.total_seconds = 0.6 if long_hold else 5.0
        current = schools.get_school_by_urn(actor, 400001) if trial else None
        started = time.monotonic()
        try:
            with write_lock_held(db, release_after=None if long_hold else rng.uniform(0.2, 0.7)):
                if current is None:
                    schools.create_school(actor, SchoolInput(urn=400001, name="Held School 0"))
                else:
                    edited = replace(current.as_input(), name=f"Held School {trial}")
                    schools.update_school(actor, current.id, current.version, edited)
            outcome: object = "saved"
        except DatabaseBusyError:
            outcome = "busy"
        except Exception as exc:  # noqa: BLE001 - anything else is a failure to record
            outcome = exc
        waited.append(time.monotonic() - started)
        stored = schools.get_school_by_urn(actor, 400001)
        if long_hold:
            ok = outcome == "busy" and stored == current
        else:
            ok = outcome == "saved" and stored.name == f"Held School {trial}"
            ok = ok and stored.version == (current.version + 1 if current else 1)
        if not ok:
            failures += 1
            problems.append(f"trial {trial}: {outcome!r}")
    reliability(
        "saves meeting a write lock held by another connection",
        trials=trials,
        failures=failures,
        database=kind(db),
        kill_points="lock held 0.2-0.7 s (saved after the wait) or past the bound (busy)",
        detail=f"longest wait {max(waited):.1f} s",
    )
    assert failures == 0, problems
