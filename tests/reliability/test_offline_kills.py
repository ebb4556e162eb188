"""The treasurer's offline copy under trial: synchronisation and checkout killed (SIGKILL) at
random moments, and copies that do not match the program's schema.

The office is a PostgreSQL database with the demo's records; each trial's copy a SQLite file
taken from it, holding a known set of offline changes of its own (two new drafts with their
lines, a draft edited, a draft deleted, a school renamed), so the trials follow one another
on one office as copies synchronising one after the other would. Each case stands for:

- **sync killed, then resumed**: a child process (``python -c`` calling
  ``OfflineService().sync``) killed at seeded random moments spread over a whole sync
  (timed first, from the moment the sync starts), plus the narrow windows a random kill
  rarely hits: just before the office's transaction, the office has saved but the copy is not
  yet written, and the new copy half written. After each kill: the office holds each change
  at most once (no two rows with one uuid, no new rows with the same content), and all of them
  or none; the copy file is a whole copy, either the old one (its changes still to send) or
  the new one, never half (looked at in a duplicate of what the kill left, so that the next
  run meets exactly that); then a normal sync completes and the office holds each change
  exactly once, the copy equals the office (every record, and a preview with nothing to do)
  and the office's audit trail holds each of the copy's record changes once (record uuid +
  copy id + action).
- **checkout killed**: no file at the copy's place or a whole copy of the office; the
  leftovers (``FILE.part*``) are removed by the next run; the office's records unchanged
  (checksums of every table; its audit trail gains only the checkout's login and "offline
  copy taken" rows).
- **older schema** (copies exist from schema 0014 on, so an older program's copy is
  simulated): (a) the office's database newer than the program (its alembic_version stamped
  to a revision this program does not know, in a database of its own): sync, preview and
  checkout refused in words, nothing changed on either side; (b) a copy whose base rows of
  one table lack the fields a later schema added (as an older program would have written them,
  the copy's own rows holding what the migration gives old rows): where those fields differ
  the preview asks (no original shown) and an unanswered sync is refused with nothing changed;
  answered as "unchanged by the copy" (the office's values), the sync completes, the office's
  values kept and the copy's real changes sent, nothing else touched; (c) a file at an older
  schema than the program: an office database made by a released older program
  (tests/fixtures/schema-0012.sqlite3), and a copy stamped back to 0013 with the 0014 tables
  dropped, which is no copy any more: both refused in words as "not an offline copy", the
  file byte for byte as it was and no upgrade backup made beside it.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pg_databases import PgDatabases  # tests/pg_databases.py
from sqlalchemy import Table, func, select, text

from thep_desktop.audit_trail import Action
from thep_desktop.database import Database, head_revision
from thep_desktop.models.audit import AuditEvent
from thep_desktop.services.backups.table_checksums import table_checksums
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.invoices.invoice_data import DraftInput, LineInput
from thep_desktop.services.offline.offline_copy_file import read_copy
from thep_desktop.services.offline.offline_data import (
    ChangeKind,
    Choice,
    OfflineError,
    RecordChange,
)
from thep_desktop.services.offline.offline_merge import local_changes
from thep_desktop.services.offline.offline_rows import (
    Fields,
    encode_fields,
    read_state,
    references,
    synced_tables,
)
from thep_desktop.services.offline.offline_service import OfflineService, copy_info_of
from thep_desktop.services.registry import Services, open_services

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGKILL"), reason="kills processes with SIGKILL (Linux, macOS)"
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
RANDOM_KILLS = 10
CHECKOUT_KILLS = 4
# The narrow windows, reached through the sync's own progress calls (see _CHILD).
WINDOWS = {
    "sync": ("office not yet saved", "office saved", "copy half written"),
    "checkout": ("copy half written",),
}
# A copy for each sync trial (a whole one timed, the random kills, the windows) and a spare
# for the schema cases.
COPIES = 1 + RANDOM_KILLS + len(WINDOWS["sync"]) + 1
RENAMED = "Offline Renamed School"
EDITED = "Edited offline"
NEW_DRAFT = "Offline draft"
_ACTION = {ChangeKind.NEW: Action.CREATE, ChangeKind.CHANGED: Action.UPDATE}

# The child: imports first, says "ready", then waits for its orders on one line, so that a
# kill's moment counts from the start of the sync or checkout itself. The program's own
# progress calls name the narrow windows: "Sending the copy's changes to the office" comes
# just before the office's transaction; after "Bringing the office's records into the copy"
# the office has saved and the copy is not yet written; "Writing <table>" writes the new copy.
_CHILD = """
import json, os, signal, sys
from pathlib import Path
from thep_desktop.database import Database
from thep_desktop.services.offline.offline_service import OfflineService
print("ready", flush=True)
line = sys.stdin.readline()
if not line:
    sys.exit(0)
order = json.loads(line)
def steps(said, done, total):
    stop = order["stop"]
    if (stop == "office not yet saved" and said.startswith("Sending")) or (
        stop == "office saved" and said.startswith("Bringing")
    ) or (
        stop == "copy half written" and said.startswith("Writing") and done >= total // 2
    ):
        os.kill(os.getpid(), signal.SIGKILL)
server = Database(order["url"])
if order["kind"] == "sync":
    OfflineService().sync(Path(order["path"]), server, steps=steps)
else:
    OfflineService().checkout(server, Path(order["path"]), steps=steps)
server.dispose()
print("done", flush=True)
"""


class Children:
    """Child processes started one ahead: the next one's start-up (imports) runs while the
    last one's outcome is checked, and a run is timed from its orders, not from start-up."""

    def __init__(self, data_dir: Path) -> None:
        self.env = dict(os.environ, PYTHONPATH=str(ROOT), THEP_DATA_DIR=str(data_dir))
        self.waiting: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-c", _CHILD],
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(
        self, kind: str, path: Path, url: str, *, delay: float | None = None, stop: str = ""
    ) -> tuple[int, float, str]:
        """(exit code, seconds from the orders to the end, the end of stderr)."""
        child = self.waiting or self._start()
        self.waiting = None
        assert child.stdout is not None and child.stdin is not None and child.stderr is not None
        said = child.stdout.readline().strip()
        if said != "ready":
            child.kill()
            raise AssertionError(f"the child did not start: {said} {child.stderr.read()[-800:]}")
        child.stdin.write(json.dumps({"kind": kind, "path": str(path), "url": url, "stop": stop}))
        child.stdin.write("\n")
        child.stdin.flush()
        started = time.perf_counter()
        try:
            child.wait(timeout=delay if delay is not None else 300)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait()
        took = time.perf_counter() - started
        self.waiting = self._start()
        stderr = child.stderr.read()
        for pipe in (child.stdin, child.stdout, child.stderr):
            pipe.close()
        return child.returncode, took, stderr[-800:]

    def close(self) -> None:
        if self.waiting is not None:
            child, self.waiting = self.waiting, None
            child.communicate(input="", timeout=60)  # no orders: it ends


# -- the office and its copies ----------------------------------------------------------------
@dataclass(frozen=True)
class CopyFile:
    """An offline copy holding changes of its own, and what they are."""

    path: Path
    copy_id: str
    changes: list[RecordChange]
    mine: dict[str, dict[str, Fields]]  # its records, as made offline
    base: dict[str, dict[str, Fields]]  # the office's records when it was taken

    @property
    def tables(self) -> tuple[Table, ...]:
        """The tables its changes are in, with those they refer to (to read them by uuid)."""
        names = {c.table for c in self.changes}
        while more := {t for n in names for t in references(n).values()} - names:
            names |= more
        return tuple(t for t in synced_tables() if t.name in names)


@dataclass
class Prepared:
    """The office (PostgreSQL, the demo's records) and copies taken from it, each with
    changes of its own on records no other copy touches: one copy a trial."""

    databases: PgDatabases
    office: str
    copies: list[CopyFile]

    def copy(self, trial: int) -> CopyFile:
        return self.copies[trial]


def _fields(state: Any) -> dict[str, dict[str, Fields]]:
    """Each table's records' fields by uuid (tables without records left out, as a copy's
    base leaves them out)."""
    return {
        name: {key: r.fields if hasattr(r, "fields") else r for key, r in records.items()}
        for name, records in state.items()
        if records
    }


def _office_fields(url: str, tables: tuple[Table, ...] | None = None) -> dict[str, Any]:
    db = Database(url)
    try:
        with db.read_session() as session:
            return _fields(read_state(session.connection(), tables))
    finally:
        db.dispose()


def _office_drafts(office: Services, count: int) -> None:
    """Drafts at the office for the copies to edit and delete (two a copy)."""
    customers = [c.customer_id for c in office.invoices.customer_choices(office.actor)]
    customers = [c for c in customers if c]
    for n in range(count):
        for which in "ab":
            office.invoices.create_draft(
                office.actor,
                DraftInput(
                    customer_id=customers[n % len(customers)],
                    invoice_date=date(2026, 9, 1),
                    reference=f"Office draft {n}{which}",
                    lines=(LineInput("Ofsted preparation day", "1", "450.00", "standard", "200"),),
                ),
            )


def _offline_changes(copy: Services, n: int) -> None:
    """Two new drafts, a draft edited, a draft deleted and a school renamed, as the treasurer
    would make them on the laptop (through the services, on the copy); copy ``n`` changes
    records of its own."""
    actor = copy.actor
    customers = [c.customer_id for c in copy.invoices.customer_choices(actor) if c.customer_id]
    for which in "ab":
        reference = f"{NEW_DRAFT} {n}{which}"
        copy.invoices.create_draft(
            actor,
            DraftInput(
                customer_id=customers[(n + len(reference)) % len(customers)],
                invoice_date=date(2026, 9, 1),
                reference=reference,
                lines=(
                    LineInput(f"{reference}: peer review day", "1", "450.00", "standard", "200"),
                    LineInput(f"{reference}: training places", "2", "85.50", "standard", "200"),
                ),
            ),
        )
    drafts = {r.reference: r.id for r in copy.invoices.list_invoices(actor) if r.number is None}
    edited = copy.invoices.get_invoice(actor, drafts[f"Office draft {n}a"])
    copy.invoices.update_draft(
        actor,
        edited.id,
        edited.version,
        DraftInput(
            customer_id=edited.customer_id,
            invoice_date=edited.invoice_date,
            reference=f"{EDITED} {n}",
            lines=tuple(
                LineInput(li.description, li.quantity, li.unit_price, li.vat_code, li.account_code)
                for li in edited.lines
            ),
        ),
    )
    gone = copy.invoices.get_invoice(actor, drafts[f"Office draft {n}b"])
    copy.invoices.delete_draft(actor, gone.id, gone.version)
    school = copy.schools.list_schools(actor)[n]
    detail = copy.schools.get_school(actor, school.id)
    copy.schools.update_school(
        actor, detail.id, detail.version, replace(detail.as_input(), name=f"{RENAMED} {n}")
    )


def _copies(taken: Path, count: int) -> list[CopyFile]:
    """``count`` copies of the office, each with its own changes.

    One checkout, then its file again under a new copy id for each: what a checkout at that
    moment would have written (the office's records and the same header but for the id),
    without one checkout each.
    """
    copies: list[CopyFile] = []
    for n in range(count):
        path = taken.parent / f"copy-{n}" / "copy.sqlite3"
        path.parent.mkdir()
        shutil.copyfile(taken, path)
        copy_id = str(uuid.uuid4())
        with closing(sqlite3.connect(path)) as raw, raw:
            raw.execute("UPDATE offline_copy SET copy_id = ?", (copy_id,))
        services, _ = open_services(str(path))
        _offline_changes(services, n)
        services.db.dispose()
        contents = read_copy(path)
        assert contents.info.copy_id == copy_id
        changes = local_changes(contents.base, contents.mine)
        copies.append(
            CopyFile(path, copy_id, changes, _fields(contents.mine), _fields(contents.base))
        )
    return copies


@pytest.fixture(scope="module")
def prepared(pg_server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prepared]:
    databases = PgDatabases(pg_server_url)
    folder = tmp_path_factory.mktemp("offline-kills")
    try:
        url = databases.create(migrated=True)
        office, _ = open_services(url)
        DemoService(office.db).load(office.actor)
        _office_drafts(office, COPIES)
        taken = folder / "taken.sqlite3"
        OfflineService().checkout(office.db, taken)
        office.db.dispose()
        yield Prepared(databases, url, _copies(taken, COPIES))
    finally:
        databases.drop_all()


def _clone(prepared: Prepared) -> str:
    """A database of its own holding the office as it is now (a PostgreSQL template copy: the
    same records and audit trail, so the copies belong to it as to the original)."""
    for attempt in range(20):
        try:
            return prepared.databases.create(template=prepared.office)
        except Exception as exc:  # noqa: BLE001 - the server's autovacuum on the template
            if "being accessed by other users" not in str(exc) or attempt == 19:
                raise
            time.sleep(0.25)
    raise AssertionError("unreachable")


# -- what the office holds of a copy's changes --------------------------------------------------
def _applied(copy: CopyFile, office: dict[str, dict[str, Fields]]) -> tuple[int, list[str]]:
    """How many of the copy's changes the office holds, and any held half or wrongly."""
    held, problems = 0, []
    for change in copy.changes:
        theirs = office.get(change.table, {}).get(change.uuid)
        mine = copy.mine.get(change.table, {}).get(change.uuid)
        base = copy.base.get(change.table, {}).get(change.uuid)
        if change.kind == ChangeKind.NEW:
            if theirs is not None:
                held += 1
                if theirs != mine:
                    problems.append(f"{change.words}: at the office with other values")
        elif change.kind == ChangeKind.DELETED:
            if theirs is None:
                held += 1
            elif base is not None and any(theirs[f] != base[f] for f in base if f in theirs):
                problems.append(f"{change.words}: changed at the office instead")
        else:
            assert mine is not None and base is not None
            if theirs is None:
                problems.append(f"{change.words}: gone from the office")
                continue
            values = [theirs[f] for f in change.fields]
            if values == [mine[f] for f in change.fields]:
                held += 1
            elif values != [base[f] for f in change.fields]:
                problems.append(f"{change.words}: neither the copy's nor the office's values")
    return held, problems


def _content(fields: Fields) -> str:
    return encode_fields({k: v for k, v in fields.items() if k != "uuid"})


def _duplicated(copy: CopyFile, url: str, office: dict[str, dict[str, Fields]]) -> list[str]:
    """Rows held twice: two rows of one uuid in the tables the copy changed, or a new record
    of the copy's held twice under any uuid (the same content)."""
    problems: list[str] = []
    db = Database(url)
    try:
        with db.read_session() as session:
            for table in copy.tables:
                rows, uuids = session.execute(
                    select(func.count(), func.count(table.c.uuid.distinct()))
                ).one()
                if rows != uuids:
                    problems.append(f"{table.name}: {rows - uuids} row(s) share a uuid")
    finally:
        db.dispose()
    for change in copy.changes:
        if change.kind != ChangeKind.NEW:
            continue
        made = _content(copy.mine[change.table][change.uuid])
        held = sum(_content(f) == made for f in office.get(change.table, {}).values())
        if held > 1:
            problems.append(f"{change.words}: held {held} times at the office")
    return problems


def _audit(url: str, copy_id: str) -> Counter[tuple[str, str]]:
    """The office's audit rows of the copy's record changes: (record uuid, action) counted."""
    db = Database(url)
    try:
        with db.read_session() as session:
            rows = session.execute(
                select(AuditEvent.record_uuid, AuditEvent.action).where(
                    AuditEvent.copy_id == copy_id, AuditEvent.action != Action.OFFLINE.value
                )
            ).all()
    finally:
        db.dispose()
    return Counter((str(u), str(a)) for u, a in rows)


def _expected_audit(copy: CopyFile) -> Counter[tuple[str, str]]:
    return Counter((c.uuid, _ACTION.get(c.kind, Action.DELETE).value) for c in copy.changes)


def _differences(
    one: dict[str, dict[str, Fields]], other: dict[str, dict[str, Fields]]
) -> list[str]:
    """Where two sets of records differ (a few, for the failure's message)."""
    found: list[str] = []
    for name in sorted(set(one) | set(other)):
        a, b = one.get(name, {}), other.get(name, {})
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                x, y = a.get(key) or {}, b.get(key) or {}
                fields = [f for f in sorted(set(x) | set(y)) if x.get(f) != y.get(f)]
                found.append(f"{name} {key[:8]}: {fields or 'absent on one side'}")
    return found[:5]


def _integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return ", ".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))


def _parts(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.glob(f"{path.name}.part*"))


# -- sync killed ------------------------------------------------------------------------------
def _as_left(path: Path, folder: Path) -> Path:
    """The copy as the kill left it, its -wal/-shm/-journal files too, duplicated in
    ``folder``: looking at it opens it, which would tidy for the next run what the kill left."""
    folder.mkdir()
    for found in path.parent.glob(f"{path.name}*"):
        if not found.name.startswith(f"{path.name}.part"):
            shutil.copyfile(found, folder / found.name)
    return folder / path.name


def _copy_after_kill(copy: CopyFile, office: dict[str, dict[str, Fields]]) -> tuple[str, str]:
    """Is the copy whole, and which: ("old" | "new", problem or "")."""
    path = _as_left(copy.path, copy.path.parent / "as-left")
    integrity = _integrity(path)
    if integrity != "ok":
        return "?", f"the copy is damaged: {integrity}"
    try:
        info = copy_info_of(path)
        contents = read_copy(path)
    except OfflineError as exc:
        return "?", f"the copy cannot be read as one: {exc}"
    if info.copy_id != copy.copy_id:
        return "?", f"the copy has another id: {info.copy_id}"
    mine = _fields(contents.mine)
    if info.syncs == 0:
        if mine != copy.mine or _fields(contents.base) != copy.base:
            return "old", "the copy is the old one, but its records are not as they were"
        return "old", ""
    if info.syncs == 1:
        if local_changes(contents.base, contents.mine):
            return "new", "the new copy has changes of its own"
        if {name: mine.get(name, {}) for name in office} != office:
            return "new", f"the new copy is not the office: {_differences(mine, office)}"
        return "new", ""
    return "?", f"the copy says it was synchronised {info.syncs} times"


def _sync_trial(
    url: str,
    copy: CopyFile,
    children: Children,
    *,
    delay: float | None = None,
    stop: str = "",
    took: list[float] | None = None,
) -> tuple[str, str]:
    """One sync killed, checked, resumed and checked again: (what the kill left, problem)."""
    code, seconds, stderr = children.run("sync", copy.path, url, delay=delay, stop=stop)
    if took is not None:
        took.append(seconds)
    if code not in (0, -signal.SIGKILL):
        return "?", f"the sync ended with {code}: {stderr}"
    office = _office_fields(url, copy.tables)
    held, problems = _applied(copy, office)
    problems += _duplicated(copy, url, office)
    if held not in (0, len(copy.changes)):
        problems.append(f"the office holds {held} of the copy's {len(copy.changes)} changes")
    saved = held == len(copy.changes)
    state, problem = _copy_after_kill(copy, office)
    problems += [problem] if problem else []
    if state == "new" and not saved:
        problems.append("the copy was replaced but the office holds none of its changes")
    stage = {
        (False, "old"): "before the office saved",
        (True, "old"): "office saved, copy not yet replaced",
        (True, "new"): "copy replaced" if code else "finished",
    }.get((saved, state), "?")
    if _parts(copy.path):
        stage += " (a .part left)"
    if problems:
        return stage, "; ".join(problems)

    # The next, normal sync puts right what the kill left.
    server = Database(url)
    try:
        result = OfflineService().sync(copy.path, server)
        plan = OfflineService().preview(copy.path, server)
    except OfflineError as exc:
        return stage, f"the next sync was refused: {exc}"
    finally:
        server.dispose()
    office = _office_fields(url)
    held, problems = _applied(copy, office)
    problems += _duplicated(copy, url, office)
    if held != len(copy.changes):
        problems.append(f"after the next sync the office holds {held} of the changes")
    if saved and result.sent:
        problems.append(f"the next sync sent again {result.sent} change(s) the office had")
    mine = _fields(read_copy(copy.path).mine)
    if mine != office:
        problems.append(
            f"after the next sync the copy is not the office: {_differences(mine, office)}"
        )
    if not plan.nothing_to_do:
        problems.append(f"a preview after the next sync shows work: {plan}")
    if _parts(copy.path):
        problems.append(f"left beside the copy: {_parts(copy.path)}")
    audit = _audit(url, copy.copy_id)
    if audit != _expected_audit(copy):
        twice = [k for k, n in audit.items() if n > 1]
        problems.append(
            f"the audit trail holds {sum(audit.values())} rows of the copy's "
            f"{len(copy.changes)} changes ({len(twice)} twice)"
        )
    return stage, "; ".join(problems)


def test_a_killed_sync_is_finished_by_the_next_without_duplicates(
    reliability, prepared: Prepared, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    # Each copy: two drafts of two lines, a draft edited, a draft and its line deleted, a school.
    assert all(len(c.changes) >= 8 for c in prepared.copies), prepared.copies[0].changes
    url = prepared.office
    children = Children(tmp_path / "data")
    stages: Counter[str] = Counter()
    problems: list[str] = []
    trials = iter(prepared.copies)
    try:
        timing: list[float] = []
        stage, problem = _sync_trial(url, next(trials), children, took=timing)
        stages[stage] += 1
        problems += [f"not killed: {problem}"] if problem else []
        whole = timing[0]
        chooser = random.Random(20261201)
        for n in range(RANDOM_KILLS):
            # One kill in each tenth of the sync, somewhere in it.
            delay = whole * (n + chooser.random()) / RANDOM_KILLS
            stage, problem = _sync_trial(url, next(trials), children, delay=delay)
            stages[stage] += 1
            problems += [f"killed at {delay:.2f} s ({stage}): {problem}"] if problem else []
        for window in WINDOWS["sync"]:
            stage, problem = _sync_trial(url, next(trials), children, stop=window)
            stages[stage] += 1
            problems += [f"killed at {window} ({stage}): {problem}"] if problem else []
    finally:
        children.close()
    reliability(
        "offline sync killed (SIGKILL), then synchronised again",
        trials=sum(stages.values()),
        failures=len(problems),
        database="postgresql + sqlite copy",
        kill_points=f"{RANDOM_KILLS} random over a {whole:.1f} s sync + "
        + ", ".join(WINDOWS["sync"]),
        detail=", ".join(f"{stage} {n}" for stage, n in sorted(stages.items())),
    )
    assert not problems, "\n".join(problems)
    # The kills reached both sides of the office's commit.
    reached = {s.removesuffix(" (a .part left)") for s in stages}
    assert {"before the office saved", "office saved, copy not yet replaced"} <= reached, stages


# -- checkout killed ---------------------------------------------------------------------------
def _office_sums(url: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Every table's checksum but the audit trail's, and the audit trail's rows (action, copy)."""
    db = Database(url)
    try:
        with db.read_session() as session:
            conn = session.connection()
            sums = {k: v for k, v in table_checksums(conn).items() if k != "audit_event"}
            trail = conn.execute(
                select(AuditEvent.action, AuditEvent.copy_id).order_by(AuditEvent.seq)
            ).all()
    finally:
        db.dispose()
    return sums, [(str(a), str(c)) for a, c in trail]


def _checkout_trial(
    url: str,
    records: dict[str, dict[str, Fields]],
    children: Children,
    folder: Path,
    *,
    delay: float | None = None,
    stop: str = "",
    took: list[float] | None = None,
) -> tuple[str, str]:
    """One checkout killed and checked, then the next run: (what the kill left, problem)."""
    folder.mkdir(parents=True)
    out = folder / "copy.sqlite3"
    sums, trail = _office_sums(url)
    code, seconds, stderr = children.run("checkout", out, url, delay=delay, stop=stop)
    if took is not None:
        took.append(seconds)
    if code not in (0, -signal.SIGKILL):
        return "?", f"the checkout ended with {code}: {stderr}"
    problems: list[str] = []

    def office_unchanged(when: str) -> None:
        now_sums, now_trail = _office_sums(url)
        if now_sums != sums:
            changed = [k for k in now_sums if now_sums[k] != sums.get(k)]
            problems.append(f"{when}, the office's records changed: {changed}")
        added = now_trail[len(trail) :]
        # A checkout records its login and the copy it took (even one killed before the copy
        # was written: the office lent its records out); nothing else.
        allowed = (Action.LOGIN.value, Action.OFFLINE.value)
        if now_trail[: len(trail)] != trail or any(a not in allowed for a, _ in added):
            problems.append(f"{when}, the office's audit trail changed: {added}")

    def whole_copy(when: str) -> None:
        integrity = _integrity(out)
        if integrity != "ok":
            problems.append(f"{when}, the copy is damaged: {integrity}")
            return
        try:
            info = copy_info_of(out)
            contents = read_copy(out)
        except OfflineError as exc:
            problems.append(f"{when}, the file is not a whole copy: {exc}")
            return
        if (
            info.syncs != 0
            or _fields(contents.mine) != records
            or _fields(contents.base) != records
        ):
            problems.append(f"{when}, the copy does not hold the office's records")

    office_unchanged("after the kill")
    left = _parts(out)
    if out.exists():
        stage = "copy written" if code else "finished"
        whole_copy("after the kill")
        if left:
            problems.append(f"a whole copy and leftovers beside it: {left}")
    else:
        stage = "no copy, leftovers" if left else "no copy"
        # The next run: a checkout to the same place clears what the killed one left.
        server = Database(url)
        try:
            OfflineService().checkout(server, out)
        except OfflineError as exc:
            problems.append(f"the next checkout was refused: {exc}")
        finally:
            server.dispose()
        if _parts(out):
            problems.append(f"left after the next checkout: {_parts(out)}")
        if out.exists():
            whole_copy("after the next checkout")
        office_unchanged("after the next checkout")
    return stage, "; ".join(problems)


def test_a_killed_checkout_leaves_no_copy_or_a_whole_one(
    reliability, prepared: Prepared, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    url = prepared.office
    records = _office_fields(url)
    children = Children(tmp_path / "data")
    stages: Counter[str] = Counter()
    problems: list[str] = []
    try:
        timing: list[float] = []
        stage, problem = _checkout_trial(url, records, children, tmp_path / "whole", took=timing)
        stages[stage] += 1
        problems += [f"not killed: {problem}"] if problem else []
        whole = timing[0]
        chooser = random.Random(20261202)
        for n in range(CHECKOUT_KILLS):
            delay = whole * (n + chooser.random()) / CHECKOUT_KILLS
            stage, problem = _checkout_trial(
                url, records, children, tmp_path / f"random-{n}", delay=delay
            )
            stages[stage] += 1
            problems += [f"killed at {delay:.2f} s ({stage}): {problem}"] if problem else []
        for window in WINDOWS["checkout"]:
            stage, problem = _checkout_trial(
                url, records, children, tmp_path / window.replace(" ", "-"), stop=window
            )
            stages[stage] += 1
            problems += [f"killed at {window} ({stage}): {problem}"] if problem else []
    finally:
        children.close()
    reliability(
        "offline checkout killed (SIGKILL), then the next checkout",
        trials=sum(stages.values()),
        failures=len(problems),
        database="postgresql + sqlite copy",
        kill_points=f"{CHECKOUT_KILLS} random over a {whole:.1f} s checkout + "
        + ", ".join(WINDOWS["checkout"]),
        detail=", ".join(f"{stage} {n}" for stage, n in sorted(stages.items())),
    )
    assert not problems, "\n".join(problems)
    assert "no copy, leftovers" in stages, stages  # the kills reached the writing of a copy


# -- older schema ----------------------------------------------------------------------------
OLDER_COPY_SCHOOL = f"{RENAMED} by an older copy"


def _spare(prepared: Prepared, folder: Path) -> Path:
    """The copy no sync trial uses, with its changes, as a file of its own in ``folder``."""
    folder.mkdir(parents=True)
    path = folder / "copy.sqlite3"
    shutil.copyfile(prepared.copies[-1].path, path)
    return path


def _files(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()
    }


def _copy_sums(path: Path) -> dict[str, Any]:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)) as raw:
        names = [
            r[0]
            for r in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: hashlib.sha256(
                "\n".join(sorted(repr(r) for r in raw.execute(f'SELECT * FROM "{name}"'))).encode(
                    "utf-8", "surrogatepass"
                )
            ).hexdigest()
            for name in names
        }


def _all_sums(url: str) -> dict[str, Any]:
    db = Database(url)
    try:
        with db.read_session() as session:
            return dict(table_checksums(session.connection()))
    finally:
        db.dispose()


def test_an_office_newer_than_the_program_is_refused_with_nothing_changed(
    reliability, prepared: Prepared, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    url = _clone(prepared)
    newer = "0099_from_a_newer_program"
    db = Database(url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": newer})
    db.dispose()
    path = _spare(prepared, tmp_path / "copy")
    office_before, copy_before, files_before = _all_sums(url), _copy_sums(path), _files(path.parent)
    refusals: list[str] = []
    attempts = {
        "sync": lambda server: OfflineService().sync(path, server),
        "preview": lambda server: OfflineService().preview(path, server),
        "checkout": lambda server: OfflineService().checkout(server, path.parent / "new.sqlite3"),
    }
    for what, attempt in attempts.items():
        server = Database(url)
        try:
            with pytest.raises(OfflineError) as refused:
                attempt(server)
        finally:
            server.dispose()
        refusals.append(f"{what}: {refused.value}")
    unchanged = (
        _all_sums(url) == office_before
        and _copy_sums(path) == copy_before
        and set(_files(path.parent)) == set(files_before)
    )
    worded = all(
        f"is at schema {newer}, and this program at {head_revision()}" in r
        and "Use the same version of the program as the office" in r
        for r in refusals
    )
    reliability(
        "offline sync with an office newer than the program",
        trials=len(attempts),
        failures=len(attempts) * (not (unchanged and worded)),
        database="postgresql + sqlite copy",
        detail="sync, preview, checkout refused in words; office and copy unchanged",
    )
    assert worded, refusals
    assert "Nothing was sent or received" in refusals[0]
    assert unchanged


# What migration 0003 added to the organisation's profile, and what it gave the rows there.
ADDED_BY_0003 = {
    "signatory_name": "",
    "signatory_position": "",
    "company_secretary": "",
    "signature_image": None,
    "signature_image_filename": "",
}


def test_a_copy_whose_base_lacks_newer_fields_syncs_without_touching_them(
    reliability, prepared: Prepared, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    url = _clone(prepared)
    folder = tmp_path / "older"
    folder.mkdir()
    path = folder / "copy.sqlite3"
    server = Database(url)
    OfflineService().checkout(server, path)
    # As an older program's copy, opened by this one: its base rows of the profile know
    # nothing of the fields a later schema added, and its own row holds what the migration
    # gives old rows.
    with closing(sqlite3.connect(path)) as raw, raw:
        for key, fields in raw.execute(
            "SELECT rowid, fields FROM offline_base_row WHERE table_name = 'organisation_profile'"
        ).fetchall():
            kept = {k: v for k, v in json.loads(fields).items() if k not in ADDED_BY_0003}
            raw.execute(
                "UPDATE offline_base_row SET fields = ? WHERE rowid = ?", (encode_fields(kept), key)
            )
        raw.execute(
            "UPDATE organisation_profile SET " + ", ".join(f"{name} = ?" for name in ADDED_BY_0003),
            tuple(ADDED_BY_0003.values()),
        )
        # The copy's own change to the profile: its phone number alone (the profile's service
        # would also tidy the demo's bank sort code, a change of its own).
        raw.execute("UPDATE organisation_profile SET phone = '020 7946 0999'")
    copy, _ = open_services(str(path))
    school = copy.schools.list_schools(copy.actor)[0]
    detail = copy.schools.get_school(copy.actor, school.id)
    copy.schools.update_school(
        copy.actor, detail.id, detail.version, replace(detail.as_input(), name=OLDER_COPY_SCHOOL)
    )
    copy.db.dispose()
    before = _office_fields(url)
    ((profile_uuid, office_profile),) = before["organisation_profile"].items()
    assert office_profile["company_secretary"], "the demo names a company secretary"

    plan = OfflineService().preview(path, server)
    problems: list[str] = []
    if {c.words for c in plan.send} != {
        f"Changed school “{OLDER_COPY_SCHOOL}”: name",
        f"Changed organisation profile “{office_profile['name']}”: phone",
    }:
        problems.append(f"the preview sends {[c.words for c in plan.send]}")
    # The fields the base does not know and whose values differ: no one can tell which side
    # changed them, so the merge asks (offline_merge.py), showing no original.
    differing = [f for f, v in ADDED_BY_0003.items() if office_profile[f] != v]
    asked = [
        (c.table, f.name, f.original, f.mine, f.theirs) for c in plan.conflicts for f in c.fields
    ]
    if sorted(asked, key=str) != sorted(
        [("organisation_profile", f, None, ADDED_BY_0003[f], office_profile[f]) for f in differing],
        key=str,
    ):
        problems.append(f"the preview's questions: {asked}, not the fields {differing}")
    # Unanswered, refused with nothing changed on either side.
    copy_before = _copy_sums(path)
    with pytest.raises(OfflineError, match="must be resolved first"):
        OfflineService().sync(path, server)
    if _office_fields(url) != before or _copy_sums(path) != copy_before:
        problems.append("a sync refused for the questions changed something")
    # Answered as an older copy means it (it never changed what it did not know): the office's.
    answers = {key: Choice.THEIRS for c in plan.conflicts for key in c.keys()}
    result = OfflineService().sync(path, server, answers, fingerprint=plan.fingerprint)
    after = _office_fields(url)
    again = OfflineService().preview(path, server)
    server.dispose()
    contents = read_copy(path)
    wanted = dict(office_profile, phone="020 7946 0999")
    got = after["organisation_profile"][profile_uuid]
    if got != wanted:
        wrong = {k: (v, got.get(k)) for k, v in wanted.items() if got.get(k) != v}
        problems.append(f"the office's profile is not its own with the copy's phone: {wrong}")
    school_uuid = str(detail.uuid)
    if after["school"][school_uuid]["name"] != OLDER_COPY_SCHOOL:
        problems.append("the copy's renamed school did not reach the office")
    untouched = {
        name: records
        for name, records in after.items()
        if name not in ("organisation_profile", "school")
    }
    if untouched != {n: r for n, r in before.items() if n in untouched}:
        problems.append("other records changed at the office")
    if {k: v for k, v in after["school"].items() if k != school_uuid} != {
        k: v for k, v in before["school"].items() if k != school_uuid
    }:
        problems.append("other schools changed at the office")
    for what, side in (("records", _fields(contents.mine)), ("base", _fields(contents.base))):
        if side != after:
            problems.append(f"the copy's {what} afterwards differ: {_differences(side, after)}")
    if not again.nothing_to_do or result.sent != 2:
        problems.append(f"sent {result.sent}; afterwards {again}")
    reliability(
        "offline copy whose base lacks newer fields, synchronised",
        trials=1,
        failures=len(problems),
        database="postgresql + sqlite copy",
        detail="5 profile fields unknown to the base: asked, refused unanswered, office's "
        "kept when answered; the copy's changes sent",
    )
    assert not problems, problems


def _older_than_a_copy(prepared: Prepared, folder: Path) -> dict[str, Path]:
    """Files at an older schema than copies have: a released program's office database, and
    a copy stamped back to 0013 with what 0014 made taken away."""
    folder.mkdir()
    released = folder / "office-0012.sqlite3"
    shutil.copyfile(FIXTURES / "schema-0012.sqlite3", released)
    stamped = folder / "copy-0013.sqlite3"
    shutil.copyfile(_spare(prepared, folder / "spare"), stamped)
    with closing(sqlite3.connect(stamped)) as raw:
        raw.execute("DROP TABLE offline_base_row")
        raw.execute("DROP TABLE offline_copy")
        raw.execute("DROP TABLE offline_change")
        raw.execute("UPDATE alembic_version SET version_num = '0013_governance'")
        raw.commit()
        raw.execute("PRAGMA journal_mode=DELETE")
    return {"released 0012 office database": released, "copy stamped to 0013": stamped}


def test_a_file_older_than_copies_is_refused_as_no_copy_and_left_as_it_was(
    reliability, prepared: Prepared, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    url = prepared.office
    office_before = _all_sums(url)
    files = _older_than_a_copy(prepared, tmp_path / "older")
    folder = tmp_path / "older"
    problems: list[str] = []
    attempts = 0
    for what, path in files.items():
        # A file this program would upgrade when opened: its schema is older than copies.
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)) as raw:
            (revision,) = raw.execute("SELECT version_num FROM alembic_version").fetchone()
            tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
        assert revision < head_revision() and "offline_copy" not in tables, (what, revision)
        calls = {
            "sync": lambda server, p=path: OfflineService().sync(p, server),
            "preview": lambda server, p=path: OfflineService().preview(p, server),
            "status": lambda server, p=path: OfflineService().status(p),
            "copy_info_of": lambda server, p=path: copy_info_of(p),
        }
        for call, attempt in calls.items():
            attempts += 1
            before = _files(folder)
            server = Database(url)
            try:
                attempt(server)
                problems.append(f"{what}, {call}: not refused")
            except OfflineError as exc:
                if "not an offline copy" not in str(exc) or str(path) not in str(exc):
                    problems.append(f"{what}, {call}: refused in other words: {exc}")
            finally:
                server.dispose()
            if _files(folder) != before:
                problems.append(f"{what}, {call}: files changed or added beside it")
    if _all_sums(url) != office_before:
        problems.append("the office changed")
    reliability(
        "file older than offline copies given to sync",
        trials=attempts,
        failures=len(problems),
        database="postgresql + sqlite copy",
        detail="released 0012 database, copy stamped to 0013: sync, preview, status, "
        "header refused; files byte for byte, no upgrade backup",
    )
    assert not problems, "\n".join(problems)
