"""Hostile database files and failing migrations, tried many times: refused untouched, or whole.

Every file that is not a usable database of ours goes through ``thep-admin schools list``,
``migrate``, ``init`` and ``demo`` and the services' opening; each must refuse in words (exit
code 1, one line, no traceback) and leave the file and its folder as they were. A migration
from the first released schema is made to fail at a spread of its statements, and a real
``thep-admin migrate`` is killed at moments spread over its upgrade: every time the database
must be exactly as before (or, for a kill after the commit, upgraded whole), and the next
start must upgrade it whole.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from fixtures.make_schema_fixtures import fixture_paths
from hostile_databases import DAMAGED, REFUSED, InjectedFault, folder_state, statement_fails
from pg_databases import PgDatabases
from server_backups import load_sql_dump
from test_schema_upgrades import (
    add_stray_correspondence_table,
    assert_program_reads_the_data,
    assert_survived,
    stored_rows,
    table_names,
)

from thep_desktop.cli.admin import main
from thep_desktop.database import Database, DatabaseError, head_revision, sqlite_url
from thep_desktop.services.registry import open_services
from thep_desktop.services.shared.actor import Actor

COMMANDS = [["schools", "list"], ["migrate"], ["init"], ["demo"]]


def test_hostile_files_through_thep_admin_and_the_services(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], reliability: Callable[..., object]
) -> None:
    trials = failures = 0
    broken: list[str] = []
    for case, (make, words) in sorted(REFUSED.items()):
        folder = tmp_path / f"case{trials}"
        folder.mkdir()
        path = folder / "office.sqlite3"
        make(path)
        before = folder_state(folder)
        for command in [*COMMANDS, ["(services)"]]:
            trials += 1
            if command == ["(services)"]:
                try:
                    open_services(sqlite_url(path), Actor("office"))
                    code, out, err = 0, "", "opened"
                except DatabaseError as exc:
                    code, out, err = 1, "", f"thep-admin: {exc}\n"
            else:
                code = main(["--db", str(path), *command])
                out, err = capsys.readouterr()
            ok = (
                code == 1
                and out == ""
                and err.startswith(f"thep-admin: {path} {words}")
                and err.count("\n") == 1
                and "Traceback" not in err
                and (words != DAMAGED or "restore it from a backup" in err)
                and folder_state(folder) == before
            )
            if not ok:
                failures += 1
                broken.append(f"{case} / {' '.join(command)}: {code} {err[:200]!r}")
    reliability(
        "hostile files through thep-admin and open_services",
        trials=trials,
        failures=failures,
        database="sqlite",
        detail=f"{len(REFUSED)} kinds of file x {len(COMMANDS) + 1} ways in; bytes checked",
    )
    assert failures == 0, broken


def test_hostile_files_through_real_thep_admin_processes(
    tmp_path: Path, reliability: Callable[..., object]
) -> None:
    """The program as the office runs it: its own process, exit code and stderr."""
    cases = ["zero bytes", "ours with a damaged page", "another program's file", "random bytes"]
    failures = 0
    broken: list[str] = []
    for number, case in enumerate(cases):
        make, words = REFUSED[case]
        folder = tmp_path / f"case{number}"
        folder.mkdir()
        path = folder / "office.sqlite3"
        make(path)
        before = folder_state(folder)
        done = subprocess.run(
            [sys.executable, "-m", "thep_desktop.cli.admin", "--db", str(path), "schools", "list"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if not (
            done.returncode == 1
            and done.stdout == ""
            and done.stderr.startswith(f"thep-admin: {path} {words}")
            and "Traceback" not in done.stderr
            and folder_state(folder) == before
        ):
            failures += 1
            broken.append(f"{case}: {done.returncode} {done.stderr[-300:]!r}")
    reliability(
        "hostile files through real thep-admin processes",
        trials=len(cases),
        failures=failures,
        database="sqlite",
        detail="schools list; exit code 1, one line, bytes unchanged",
    )
    assert failures == 0, broken


# -- migrations: whole or not at all -----------------------------------------------------------
class Released0001:
    """Fresh copies of the released 0001 database: files, or server databases from a template."""

    def __init__(self, kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
        self.kind, self.tmp_path, self.count = kind, tmp_path, 0
        sqlite_file, dump = fixture_paths("0001")
        self.sqlite_file = sqlite_file
        if kind == "postgresql":
            self.server: PgDatabases = request.getfixturevalue("new_pg_database")
            self.template = self.server.create()
            load_sql_dump(self.template, dump)

    def new(self) -> str:
        self.count += 1
        if self.kind == "sqlite":
            folder = self.tmp_path / f"copy{self.count}"
            folder.mkdir()
            path = folder / "partnership-office.sqlite3"
            shutil.copyfile(self.sqlite_file, path)
            return sqlite_url(path)
        return self.server.create(template=self.template)


def statements_of_an_upgrade(released: Released0001) -> int:
    """How many statements opening a 0001 database runs (the upgrade to the newest schema)."""
    url = released.new()
    with statement_fails(lambda _sql: False) as ran:
        services, _note = open_services(url, Actor("office"))
    services.close()
    return len(ran)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_migration_failing_at_each_statement_leaves_the_database_as_it_was(
    kind: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    reliability: Callable[..., object],
) -> None:
    released = Released0001(kind, tmp_path, request)
    total = statements_of_an_upgrade(released)
    # Every other statement on SQLite, every fifth on the server (where each trial makes and
    # drops a database), and always the last: a spread through every migration, quickly.
    step = 2 if kind == "sqlite" else 5
    points = sorted({*range(0, total, step), total - 1})
    failures = 0
    broken: list[str] = []
    for point in points:
        url = released.new()
        before, tables = stored_rows(url), table_names(url)
        seen = [0]

        def at_the_point(_sql: str, seen: list[int] = seen, point: int = point) -> bool:
            seen[0] += 1
            return seen[0] == point + 1

        try:
            with statement_fails(at_the_point):
                services, _note = open_services(url, Actor("office"))
            services.close()
            failures += 1
            broken.append(f"statement {point + 1}: opened although it failed")
            continue
        except DatabaseError as exc:
            said = str(exc)
            if not isinstance(exc.__cause__, InjectedFault) and "injected fault" not in said:
                failures += 1
                broken.append(f"statement {point + 1}: {said}")
                continue
        if stored_rows(url) != before or table_names(url) != tables:
            failures += 1
            broken.append(f"statement {point + 1}: the database changed ({said})")
            continue
        services, _note = open_services(url, Actor("office"))  # and then it upgrades whole
        try:
            assert_program_reads_the_data(services, "0001")
        except AssertionError as exc:
            failures += 1
            broken.append(f"statement {point + 1}: the next upgrade: {exc}")
        finally:
            services.close()
    reliability(
        "migration 0001 -> newest made to fail at a statement",
        trials=len(points),
        failures=failures,
        database=kind,
        kill_points=f"{len(points)} of the upgrade's {total} statements, 1st to last",
        detail="each: same rows, tables, revision; next start upgrades whole",
    )
    assert failures == 0, broken


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_issues_stray_table_fails_the_same_clear_way_every_time(
    kind: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    reliability: Callable[..., object],
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = Released0001(kind, tmp_path, request).new()
    add_stray_correspondence_table(url)
    before, tables = stored_rows(url), table_names(url)
    attempts, failures, said = 6, 0, set()
    for attempt in range(attempts):
        # Alternately the services' opening (the desktop program) and `thep-admin migrate`.
        if attempt % 2:
            code = main(["--db", url, "migrate"])
            out, err = capsys.readouterr()
            message = err.removeprefix("thep-admin: ").strip() if code == 1 and not out else ""
        else:
            try:
                services, _note = open_services(url, Actor("office"))
                services.close()
                message = "opened"
            except DatabaseError as exc:
                message = str(exc)
        reason = message.split(" A copy")[0]
        if (
            "correspondence" not in reason
            or "already exists. Nothing in it was changed." not in reason
            or stored_rows(url) != before
            or table_names(url) != tables
        ):
            failures += 1
        said.add(reason)
    reliability(
        "upgrade over the issue's stray correspondence table",
        trials=attempts,
        failures=failures + (len(said) != 1),
        database=kind,
        detail="alternately open_services and thep-admin migrate; same words each time",
    )
    assert failures == 0 and len(said) == 1, said


# -- a real upgrade killed part-way -------------------------------------------------------------
def start_migrate(url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "thep_desktop.cli.admin", "--db", url, "migrate"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def copies_taken(url: str) -> bool:
    path = Path(url.removeprefix("sqlite:///"))
    return any(path.parent.glob(f"{path.stem}.before-*"))


def wait_for_the_copy(child: subprocess.Popen[str], url: str) -> float:
    """Wait until the program has taken its copy (the upgrade starts next); when that was."""
    started = time.perf_counter()
    while child.poll() is None and not copies_taken(url):
        time.sleep(0.002)
    return time.perf_counter() - started


def test_an_upgrade_killed_at_any_moment_is_whole_or_not_done(
    tmp_path: Path, request: pytest.FixtureRequest, reliability: Callable[..., object]
) -> None:
    """SIGKILL `thep-admin migrate` on a 0001 file at moments spread over the upgrade itself.

    The program copies the file just before it upgrades it, so the kills are timed from the
    moment that copy appears. (PostgreSQL is left out here: the server undoes the open
    transaction of a client that dies, and the fault-injection test above covers it.)
    """
    released = Released0001("sqlite", tmp_path, request)
    url = released.new()
    child = start_migrate(url)  # one run unkilled: how long the upgrade takes
    wait_for_the_copy(child, url)
    upgrade_started = time.perf_counter()
    assert child.wait(timeout=60) == 0
    upgrade_took = time.perf_counter() - upgrade_started
    trials = 6
    offsets = [upgrade_took * 1.2 * i / (trials - 1) for i in range(trials)]
    failures, outcomes, broken = 0, Counter[str](), []
    for offset in offsets:
        url = released.new()
        before = stored_rows(url)
        child = start_migrate(url)
        wait_for_the_copy(child, url)
        time.sleep(offset)
        child.kill()
        child.wait()
        try:
            db = Database(url)
            try:
                assert db.recognise().state == "ours"  # a killed upgrade never damages it
            finally:
                db.dispose()
            revision, after = stored_rows(url)
            if revision == before[0]:
                assert (revision, after) == before
                assert table_names(url) == {*before[1], "alembic_version"}
                outcomes["left as it was"] += 1
            else:
                assert revision == head_revision()
                assert_survived(before[1], after, "0001")
                outcomes["upgraded whole"] += 1
            services, _note = open_services(url, Actor("office"))  # and the next start works
            try:
                assert_program_reads_the_data(services, "0001")
            finally:
                services.close()
        except (AssertionError, DatabaseError) as exc:
            failures += 1
            broken.append(f"killed {offset:.3f} s into the upgrade: {exc}")
    reliability(
        "thep-admin migrate killed (SIGKILL) during the upgrade",
        trials=trials,
        failures=failures,
        database="sqlite",
        kill_points=f"0 to {offsets[-1]:.3f} s after the copy, {trials} moments",
        detail=", ".join(f"{n} {what}" for what, n in sorted(outcomes.items())),
    )
    assert failures == 0, broken
