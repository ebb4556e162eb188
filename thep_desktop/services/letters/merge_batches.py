"""A mail merge's files and its history agree, even when the program is killed part-way.

Order of work, so that a kill at any moment leaves something the next run can put right:

1. a lock file (in this computer's data folder) is taken for the life of the merge; the
   operating system lets go of it when the process dies, however it dies;
2. the batch is recorded as *pending*, naming its lock and its hidden staging folders;
3. the letters are written into those staging folders (``.thep-letters-…`` inside each
   destination folder: hidden, and on the same disk, so moving a file into place is one
   atomic rename);
4. the history (documents and correspondence, tied to the batch) is written, still pending,
   with the list of files and their SHA-256 in the same transaction;
5. the files are moved into place; 6. the batch is confirmed; 7. the staging folders go.

Pending letters are never shown as sent. The next letters command or mail merge on this
computer (:func:`finish_unfinished_merges`) looks at each pending batch whose lock nobody
holds: every file in its place -> confirmed; otherwise the files it placed (those still
holding exactly what it wrote) and its pending history are removed. Either way its staging
folders go. A batch whose lock is held is a merge still running and is left alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import sys
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy import delete, select

from thep_desktop import config
from thep_desktop.audit_trail import acting_as
from thep_desktop.database import Database
from thep_desktop.domain.files import file_message, folder_message
from thep_desktop.models import Correspondence, Document, LetterBatch
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.services.shared.permissions import VIEW

PENDING, CONFIRMED = "pending", "confirmed"
STAGING_PREFIX = ".thep-letters-"
_KILL_ENV = "THEP_TEST_KILL_AT"
_HIDDEN = 0x2  # FILE_ATTRIBUTE_HIDDEN
_YOUNG_SECONDS = 60


class FolderRefusedError(ServiceError):
    """A folder the letters were to be saved in cannot be written to; ``folder`` names it."""

    def __init__(self, message: str, folder: Path) -> None:
        super().__init__(message)
        self.folder = folder


def this_computer() -> str:
    return socket.gethostname()[:255] or "this computer"


def _lock_folder() -> Path:
    return config.data_dir() / "letter-merges"


def _lock(path: Path) -> FileLock:
    # No "soft" lock file as a fallback: only a lock the operating system drops when the
    # process dies tells a dead merge from a running one.
    return FileLock(path, timeout=0, fallback_to_soft=False, thread_local=False)


def kill_point(name: str) -> None:
    """Test hook: the reliability suite kills the merge exactly here (THEP_TEST_KILL_AT).

    Random kills rarely land in the few milliseconds between two steps; this names them.
    """
    if os.environ.get(_KILL_ENV) == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def _hide(path: Path) -> None:
    """Hidden in Windows Explorer too (the leading dot hides it elsewhere)."""
    if sys.platform == "win32":
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(path), _HIDDEN)  # type: ignore[attr-defined]


def sha256_of(path: Path) -> str | None:
    """The file's SHA-256, or None when it is not there (or cannot be read)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


@dataclass
class MergeBatch:
    """One running merge: its lock, its pending record, and the files it stages and places."""

    db: Database
    actor: Actor
    id: int
    token: str
    lock: FileLock
    staging: dict[Path, Path]  # destination folder -> its hidden staging folder
    staged: list[tuple[Path, Path, str]] = field(default_factory=list)  # staged, final, sha
    placed: list[Path] = field(default_factory=list)

    @classmethod
    def begin(cls, db: Database, actor: Actor, folders: Iterable[Path]) -> MergeBatch:
        """Take the lock, record the batch as pending, make the hidden staging folders."""
        token = uuid.uuid4().hex
        lock_folder = _lock_folder()
        lock_path = lock_folder / f"{token}.lock"
        lock = _lock(lock_path)
        try:
            lock_folder.mkdir(parents=True, exist_ok=True)
            lock.acquire()
        except OSError as exc:
            raise ServiceError(
                "The letters cannot be produced safely: the program's own folder on this "
                f"computer ({lock_folder}) cannot be written to ({exc.strerror or exc}). Ask "
                "whoever looks after this computer to check it."
            ) from exc
        staging = {f: f / f"{STAGING_PREFIX}{token[:12]}" for f in dict.fromkeys(folders)}
        try:
            with acting_as(actor.name), db.session() as session:
                row = LetterBatch(
                    state=PENDING,
                    computer=this_computer(),
                    lock_path=str(lock_path),
                    staging=json.dumps([str(p) for p in staging.values()]),
                    files="[]",
                    created_by=actor.name,
                    updated_by=actor.name,
                )
                session.add(row)
                session.flush()
                batch_id = row.id
        except BaseException:
            _release(lock)
            raise
        batch = cls(db, actor, batch_id, token, lock, staging)
        try:
            for folder, hidden in staging.items():
                try:
                    hidden.mkdir()
                except OSError as exc:
                    raise FolderRefusedError(folder_message(folder, exc), folder) from exc
                _hide(hidden)
        except BaseException:
            batch.abandon()
            raise
        return batch

    def stage(self, final: Path) -> Path:
        """Where to write the file that will become ``final``, hidden in its staging folder."""
        hidden = self.staging[final.parent]
        return hidden / f"{len(self.staged) + 1:05d}.pdf"

    def staged_file(self, temp: Path, final: Path, data: bytes | None = None) -> None:
        """``temp`` is written whole; it becomes ``final`` when the batch is placed."""
        sha = hashlib.sha256(data).hexdigest() if data is not None else sha256_of(temp)
        assert sha is not None
        self.staged.append((temp, final, sha))

    def files_json(self) -> str:
        return json.dumps([{"path": str(final), "sha256": sha} for _t, final, sha in self.staged])

    def place(self) -> None:
        """Move every staged file into its place (the history is already written, pending)."""
        kill_point("recorded")
        for number, (temp, final, _sha) in enumerate(self.staged, start=1):
            try:
                os.replace(temp, final)
            except PermissionError:
                # The letter was written in this folder a moment ago: what refuses it now is
                # a file of that name open in a PDF viewer (Windows locks it).
                raise ServiceError(
                    f"{final.name} is open in another program, or its folder cannot be "
                    "written to. Close it and try again; no letters were recorded."
                ) from None
            except OSError as exc:
                raise ServiceError(
                    f"{file_message(final, exc)} No letters were recorded."
                ) from None
            self.placed.append(final)
            kill_point(f"placed:{number}")
        kill_point("placed")

    def confirm(self) -> None:
        with acting_as(self.actor.name), self.db.session() as session:
            row = session.get(LetterBatch, self.id)
            assert row is not None
            row.state = CONFIRMED
            row.updated_by = self.actor.name
        kill_point("confirmed")

    def abandon(self) -> None:
        """Undo whatever was done (any error, or Cancel); what cannot be undone now is left
        pending for the next run to put right."""
        with contextlib.suppress(Exception), acting_as(self.actor.name):
            _undo(self.db, self.id, [(final, sha) for _t, final, sha in self.staged])

    def close(self) -> None:
        """Remove the staging folders and let go of the lock."""
        for hidden in self.staging.values():
            shutil.rmtree(hidden, ignore_errors=True)
        _release(self.lock)


def _release(lock: FileLock) -> None:
    path = Path(lock.lock_file)
    with contextlib.suppress(Exception):
        lock.release()
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _undo(db: Database, batch_id: int, files: list[tuple[Path, str]]) -> int:
    """Remove the placed files still holding what the batch wrote, and its pending history.

    Returns how many files were removed. A file that now holds something else (replaced by
    the user since) is not the batch's any more and is left alone.
    """
    removed = 0
    for final, sha in files:
        if sha256_of(final) == sha:
            final.unlink(missing_ok=True)
            removed += 1
    with db.session() as session:
        documents = session.scalars(
            select(Correspondence.document_id).where(Correspondence.batch_id == batch_id)
        ).all()
        session.execute(delete(Correspondence).where(Correspondence.batch_id == batch_id))
        if documents:
            session.execute(delete(Document).where(Document.id.in_(set(documents))))
        session.execute(delete(LetterBatch).where(LetterBatch.id == batch_id))
    return removed


def finish_unfinished_merges(db: Database, actor: Actor) -> list[str]:
    """Put right the mail merges on this computer that stopped part-way (see the module).

    Returns what was done, in words (nothing when there was nothing to do). The window calls
    it as a database opens (through the registry, without loading reportlab), every letters
    command and every merge before they start.
    """
    actor.require(VIEW)
    with db.read_session() as session:
        pending = session.scalars(
            select(LetterBatch.id).where(
                LetterBatch.state == PENDING, LetterBatch.computer == this_computer()
            )
        ).all()
    notes: list[str] = []
    for batch_id in pending:
        with acting_as(actor.name):  # the audit trail names who put it right
            note = _finish(db, batch_id)
        if note:
            notes.append(note)
    _tidy_lock_folder()
    return notes


def _finish(db: Database, batch_id: int) -> str:
    with db.read_session() as session:
        row = session.get(LetterBatch, batch_id)
        if row is None or row.state != PENDING:
            return ""
        lock_path, staging_text = Path(row.lock_path), row.staging
    lock = _lock(lock_path)
    try:
        lock.acquire()
    except Timeout:
        return ""  # a merge still running
    except OSError:
        return ""  # another user's lock on this computer: theirs to put right
    try:
        with db.read_session() as session:
            row = session.get(LetterBatch, batch_id)
            if row is None or row.state != PENDING:
                return ""
            when = row.created_at
            files = [(Path(f["path"]), str(f["sha256"])) for f in json.loads(row.files or "[]")]
        staging = [Path(p) for p in json.loads(staging_text or "[]")]
        folders = {p.parent for p in staging}
        if not all(f.is_dir() for f in folders):
            return ""  # a drive not connected now: decide when it is back
        stamp = when.astimezone().strftime("%d/%m/%Y %H:%M")
        if files and all(sha256_of(final) == sha for final, sha in files):
            with db.session() as session:
                found = session.get(LetterBatch, batch_id)
                assert found is not None
                found.state = CONFIRMED
            note = (
                f"A mail merge of {stamp} stopped before it finished, after saving all its "
                f"letters ({len(files):,} PDF{'s' if len(files) != 1 else ''}): they are now "
                "recorded in each school's history."
            )
        else:
            removed = _undo(db, batch_id, files)
            note = f"A mail merge of {stamp} stopped before it finished: nothing was recorded"
            note += (
                f", and the {removed:,} PDF{'s' if removed != 1 else ''} it had saved "
                f"{'were' if removed != 1 else 'was'} removed. Produce the letters again."
                if removed
                else ". Produce the letters again."
            )
        for hidden in staging:
            shutil.rmtree(hidden, ignore_errors=True)
        return note
    finally:
        _release(lock)


def _tidy_lock_folder() -> None:
    """Lock files of merges killed before they were recorded (nothing else to put right)."""
    folder = _lock_folder()
    if not folder.is_dir():
        return
    now = time.time()
    for path in folder.glob("*.lock"):
        # A lock file only just made may belong to a merge that has opened it and not yet
        # locked it: leave it to a later run.
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime < _YOUNG_SECONDS:
                continue
        lock = _lock(path)
        try:
            lock.acquire()
        except (Timeout, OSError):
            continue
        _release(lock)
