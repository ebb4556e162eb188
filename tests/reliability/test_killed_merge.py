"""A real ``thep-admin letters render`` killed (SIGKILL) at any moment, then the next command.

The rule, checked after every kill once the next letters command has run: EITHER the
complete letters with their history (every file in place, holding what the history holds)
OR no letters, no history and no partial or staging files. In between, letters of a merge
that did not finish never show as sent.

Kills land at random moments (spread over the whole run: start-up, rendering, recording,
placing), plus the narrow windows a random kill rarely hits, named through the program's
``THEP_TEST_KILL_AT`` hook: history recorded but no file placed, some files placed, all
placed but not confirmed.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pg_databases import PgDatabases  # tests/pg_databases.py
from sqlalchemy import func, select

from thep_desktop.database import Database, sqlite_url
from thep_desktop.models import Correspondence, Document, LetterBatch
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import local_actor

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGKILL"), reason="kills processes with SIGKILL (Linux, macOS)"
)

ROOT = Path(__file__).resolve().parents[2]
RECIPIENTS = 30
VISIT = [
    "--set",
    "visit.date=Tuesday 9 March 2027",
    "--set",
    "visit.focus=Reading",
    "--set",
    "visit.team=Ms Begum (lead)",
]
# Named kill points (see merge_batches.kill_point): each a window a random kill rarely hits.
HOOKS = {
    "folder": ["recorded", "placed:1", f"placed:{RECIPIENTS // 2}", "placed"],
    "one PDF": ["recorded", "placed"],
}


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env["THEP_DATA_DIR"] = str(data_dir)
    env.pop("THEP_TEST_KILL_AT", None)
    return env


def _admin(url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "thep_desktop.cli.admin", "--db", url, *args]


@dataclass
class Office:
    url: str
    urns: str
    data_dir: Path
    school_id: int  # the first recipient, whose history the windows would show

    def render(self, out: Path) -> list[str]:
        return _admin(
            self.url, "letters", "render", "review_visit", "--to", f"urn:{self.urns}",
            "--out", str(out), *VISIT,
        )  # fmt: skip


def _office(url: str, tmp_path: Path) -> Office:
    data_dir = tmp_path / "data"
    env = _env(data_dir)
    subprocess.run(_admin(url, "init"), env=env, check=True, capture_output=True)
    subprocess.run(_admin(url, "demo"), env=env, check=True, capture_output=True)
    listed = subprocess.run(
        _admin(url, "schools", "list", "--json"), env=env, check=True, capture_output=True
    )
    schools = json.loads(listed.stdout)["schools"][:RECIPIENTS]
    db = Database(url)
    try:
        first = Services(db, local_actor()).schools.get_school_by_urn(
            local_actor(), schools[0]["urn"]
        )
    finally:
        db.dispose()
    return Office(url, ",".join(str(s["urn"]) for s in schools), data_dir, first.id)


# One office per database for the module: each trial writes to folders of its own and
# compares the history before and after, so trials need no database of their own.
@pytest.fixture(scope="module")
def sqlite_office(tmp_path_factory: pytest.TempPathFactory) -> Office:
    folder = tmp_path_factory.mktemp("office")
    return _office(sqlite_url(folder / "office.sqlite3"), folder)


@pytest.fixture(scope="module")
def pg_office(pg_server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    databases = PgDatabases(pg_server_url)
    try:
        yield _office(databases.create(), tmp_path_factory.mktemp("office"))
    finally:
        databases.drop_all()


@dataclass(frozen=True)
class Records:
    """What the database holds of the letters: all rows, rows shown as sent, pending batches."""

    correspondence: int
    sent: int
    pending: int
    documents: dict[str, int] = field(repr=False)  # sha256 -> how many documents hold it


def _records(db: Database, shown_for: list[int]) -> Records:
    with db.read_session() as session:
        everything = session.scalar(select(func.count()).select_from(Correspondence)) or 0
        pending = session.scalar(
            select(func.count()).select_from(LetterBatch).where(LetterBatch.state == "pending")
        )
        documents = Counter(session.scalars(select(Document.sha256)).all())
    # What the windows show as sent: the history the service gives (one school is enough:
    # each merge writes to every school in the list).
    services = Services(db, local_actor())
    sent = sum(len(services.letters.correspondence(services.actor, i)) for i in shown_for)
    return Records(everything, sent, pending or 0, dict(documents))


def _pdfs(folder: Path) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def _latest_batch(db: Database) -> tuple[int, str, list[dict[str, str]]]:
    """The newest batch: its id, state and files (0, "", [] when there is none)."""
    with db.read_session() as session:
        batch = session.scalars(select(LetterBatch).order_by(LetterBatch.id.desc())).first()
        if batch is None:
            return 0, "", []
        return batch.id, batch.state, json.loads(batch.files)


def _stage_reached(before_batch: int, db: Database) -> str:
    """Where the kill landed, from what it left (before the next command puts it right)."""
    batch_id, state, files = _latest_batch(db)
    if batch_id == before_batch:
        return "start-up"  # killed before the merge recorded anything
    if state == "confirmed":
        return "finished"
    if not files:
        return "rendering"
    placed = sum(1 for f in files if Path(f["path"]).exists())
    return "history" if placed == 0 else "placing"


def _one_trial(
    office: Office,
    db: Database,
    out: Path,
    *,
    delay: float | None,
    hook: str | None,
    took: list[float] | None = None,
) -> tuple[str, str]:
    """Kill one merge, run the next command, check the rule: (stage reached, problem or "")."""
    folder = out if out.suffix != ".pdf" else out.parent
    folder.mkdir(parents=True)
    before = _records(db, [office.school_id])
    before_batch = _latest_batch(db)[0]
    env = _env(office.data_dir)
    if hook:
        env["THEP_TEST_KILL_AT"] = hook
    start = time.perf_counter()
    child = subprocess.Popen(
        office.render(out), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    if delay is not None:
        try:
            child.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
    _stderr = child.communicate(timeout=60)[1]
    if took is not None:
        took.append(time.perf_counter() - start)
    killed = child.returncode == -signal.SIGKILL
    if child.returncode not in (0, -signal.SIGKILL):
        return "?", f"the merge ended with {child.returncode}: {_stderr.decode()[-500:]}"
    after_kill = _records(db, [office.school_id])
    stage = _stage_reached(before_batch, db) if killed else "finished"
    if after_kill.sent != before.sent + (1 if stage == "finished" else 0):
        return stage, f"letters of an unfinished merge shown as sent: {after_kill}"

    # The next command: it puts right whatever the killed merge left.
    nxt = subprocess.run(
        _admin(office.url, "letters", "templates"),
        env=_env(office.data_dir),
        capture_output=True,
        timeout=60,
    )
    if nxt.returncode != 0:
        return stage, f"the next command failed: {nxt.stderr.decode()[-500:]}"
    after = _records(db, [office.school_id])
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".")]
    if leftovers:
        return stage, f"left in the folder: {leftovers[:5]}"
    if after.pending:
        return stage, f"{after.pending} batch(es) still pending after the next command"
    files = _pdfs(folder)
    new_letters = after.correspondence - before.correspondence
    if after.sent != before.sent + (1 if new_letters else 0):
        return stage, "the history shown does not match the letters recorded"
    if new_letters == 0:
        if files:
            return stage, f"{len(files)} PDF(s) without history: {sorted(files)[:3]}"
        return stage, ""
    if new_letters != RECIPIENTS:
        return stage, f"{new_letters} of {RECIPIENTS} letters in the history"
    expected = 1 if out.suffix == ".pdf" else RECIPIENTS
    if len(files) != expected:
        return stage, f"history complete but {len(files)} of {expected} files in place"
    new_documents = Counter(after.documents) - Counter(before.documents)
    if any(sha not in new_documents for sha in files.values()):
        return stage, "a file in place does not hold what the history holds"
    return stage, ""


def _trials(office: Office, tmp_path: Path, kind: str, random_runs: int, seed: int) -> Iterator:
    """A whole run (timed), random kills spread over its length, then the named windows."""
    db = Database(office.url)
    try:
        name = "one.pdf" if kind == "one PDF" else "letters"
        timing: list[float] = []
        first = _one_trial(
            office, db, tmp_path / "whole" / name, delay=None, hook=None, took=timing
        )
        yield "never", first
        chooser = random.Random(seed)
        for n in range(random_runs):
            # One kill in each slice of the run, somewhere in it: start-up to the last rename.
            delay = timing[0] * (n + chooser.random()) / random_runs
            out = tmp_path / f"random-{n}" / name
            yield f"{delay:.2f} s", _one_trial(office, db, out, delay=delay, hook=None)
        for n, hook in enumerate(HOOKS[kind]):
            out = tmp_path / f"hook-{n}" / name
            yield hook, _one_trial(office, db, out, delay=None, hook=hook)
    finally:
        db.dispose()


def _run_case(reliability, office: Office, tmp_path: Path, kind: str, database: str, runs: int):  # type: ignore[no-untyped-def]
    stages: Counter[str] = Counter()
    problems: list[str] = []
    for when, (stage, problem) in _trials(office, tmp_path, kind, runs, seed=len(kind) + runs):
        stages[stage] += 1
        if problem:
            problems.append(f"killed at {when} ({stage}): {problem}")
    trials = sum(stages.values())
    reliability(
        f"merge to {kind} killed, then the next command",
        trials=trials,
        failures=len(problems),
        database=database,
        kill_points=f"{runs} random + {', '.join(HOOKS[kind])}" if runs else ", ".join(HOOKS[kind]),
        detail=", ".join(f"{stage} {count}" for stage, count in sorted(stages.items())),
    )
    assert not problems, "\n".join(problems)
    # The kills reached the narrow windows, not only start-up and rendering.
    assert {"history", "placing", "finished"} <= set(stages), stages


@pytest.mark.parametrize("kind", ["folder", "one PDF"])
def test_a_killed_merge_leaves_all_or_nothing_on_sqlite(
    reliability, sqlite_office: Office, tmp_path: Path, kind: str
) -> None:  # type: ignore[no-untyped-def]
    _run_case(reliability, sqlite_office, tmp_path, kind, "sqlite", 10 - len(HOOKS[kind]))


@pytest.mark.parametrize("kind", ["folder", "one PDF"])
def test_a_killed_merge_leaves_all_or_nothing_on_postgresql(
    reliability, pg_office: Office, tmp_path: Path, kind: str
) -> None:  # type: ignore[no-untyped-def]
    # The random kills ran on SQLite above; here, the windows where the database matters.
    _run_case(reliability, pg_office, tmp_path, kind, "postgresql", 0)
