"""Backing up a local database to a verified dated file, restoring one, and the daily backup."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from thep_desktop import config
from thep_desktop.audit_trail import Action, Change, record_alone
from thep_desktop.database import Database, all_revisions, head_revision
from thep_desktop.database_recognition import recognise_sqlite_file
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.files import folder_message, new_file_message, safe_file_stem
from thep_desktop.domain.progress import Progress
from thep_desktop.services.backups.backups_permissions import RESTORE_BACKUPS
from thep_desktop.services.backups.table_checksums import differences, sqlite_checksums
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.services.shared.permissions import VIEW

SUFFIX = ".sqlite3"
MANUAL_PREFIX = "partnership-office-backup-"
AUTO_PREFIX = "partnership-office-auto-"
KEEP_AUTOMATIC = 14
_STAMP = "%Y-%m-%d-%H%M"
_STAMP_PATTERN = re.compile(r"(\d{4}-\d{2}-\d{2}-\d{4})(?:-\d+)?$")
SERVER_SUFFIXES = (".dump", ".zip")  # pg_dump's custom format; our own logical export


class BackupError(ServiceError):
    """A backup could not be made, or a file cannot be restored; the message says why."""


@dataclass(frozen=True)
class BackupInfo:
    """A backup file as checked: when it was taken, what it holds."""

    path: Path
    taken_at: datetime
    size: int
    schools: int
    revision: str
    automatic: bool
    row_counts: dict[str, int]
    # "sqlite" (a copy of the file), "pg_dump" or "export" (a server database's backup).
    kind: str = "sqlite"

    @property
    def taken_on_words(self) -> str:
        return f"{format_date(self.taken_at.date())} at {self.taken_at:%H:%M}"


def backups_folder() -> Path:
    """Where backups go unless the person chooses another folder."""
    return config.data_dir() / "backups"


def database_key(path: Path) -> str:
    """A short name matching automatic backups to their database: its stem and a path hash."""
    resolved = str(path.resolve())
    digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:8]
    return f"{safe_file_stem(path.stem, 'database')[:40]}-{digest}"


def taken_at_of(path: Path) -> datetime:
    """The time in a backup's name, else the file's own time."""
    found = _STAMP_PATTERN.search(path.stem)
    if found:
        try:
            return datetime.strptime(found.group(1), _STAMP)
        except ValueError:
            pass
    return datetime.fromtimestamp(path.stat().st_mtime)


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows in every table (SQLite's own tables left out), reading every row so a damaged
    page is found rather than counted from an index."""
    names = [
        str(row[0])
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    counts: dict[str, int] = {}
    for name in names:
        quoted = '"' + name.replace('"', '""') + '"'
        counts[name] = sum(1 for _row in conn.execute(f"SELECT * FROM {quoted}"))
    return counts


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def digest_path(backup: Path) -> Path:
    """The SHA-256 kept beside a backup: SQLite's own checks cannot see a changed byte inside
    a value, so a backup that has been damaged since it was made is found by this."""
    return backup.with_name(backup.name + ".sha256")


def file_digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def write_digest(backup: Path, digest: str) -> None:
    """Written under a hidden name and renamed, so a digest file is never half written."""
    target = digest_path(backup)
    partial = target.with_name(f".{target.name}.part")
    partial.write_text(f"{digest}  {backup.name}\n", encoding="ascii")
    os.replace(partial, target)


def check_digest(path: Path) -> None:
    """Refuse a backup that no longer matches the SHA-256 written beside it when it was made."""
    kept = digest_path(path)
    if kept.is_file() and path.is_file():
        expected = kept.read_text("ascii", errors="replace").split(maxsplit=1)[:1]
        if expected != [file_digest(path)]:
            raise BackupError(
                f"{path.name} cannot be restored: the file has been damaged since the backup "
                f"was made (it no longer matches {kept.name}). Choose another backup. Nothing "
                "was changed."
            )


def check_backup_file(path: Path) -> BackupInfo:
    """Read a file as a backup to restore, or say in words why it cannot be one.

    It must be ours, whole (PRAGMA integrity_check), not from a newer program, with every
    table readable. Nothing is written to it.
    """
    what = f"{path.name} cannot be restored"
    check_digest(path)
    try:
        found = recognise_sqlite_file(path)
    except (ValueError, sqlite3.Error) as exc:  # text that is not text: a damaged file
        raise BackupError(
            f"{what}: the file is damaged ({exc}). Choose another backup. Nothing was changed."
        ) from exc
    if found.state == "missing":
        raise BackupError(f"There is no file at {path}.")
    if found.state == "unreadable":
        raise BackupError(f"{what}: it cannot be read ({found.detail}).")
    if found.state == "foreign":
        raise BackupError(
            f"{what}: {found.detail}, not a backup of THE Partnership Office. Nothing was changed."
        )
    if found.state != "ours" or found.revision is None:
        raise BackupError(
            f"{what}: the file is damaged ({found.detail or 'it cannot be read'}). Choose "
            "another backup. Nothing was changed."
        )
    if found.revision not in all_revisions():
        raise BackupError(
            f"{what}: it was made by a newer version of THE Partnership Office (schema "
            f"{found.revision}). Update the program first. Nothing was changed."
        )
    try:
        with closing(_read_only(path)) as conn:
            problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(20)")]
            if problems != ["ok"]:
                raise BackupError(
                    f"{what}: the file is damaged ({'; '.join(problems[:3])}). Choose another "
                    "backup. Nothing was changed."
                )
            counts = table_counts(conn)
    except (ValueError, sqlite3.DatabaseError) as exc:
        raise BackupError(
            f"{what}: the file is damaged ({exc}). Choose another backup. Nothing was changed."
        ) from exc
    return BackupInfo(
        path=path,
        taken_at=taken_at_of(path),
        size=path.stat().st_size,
        schools=counts.get("school", 0),
        revision=found.revision,
        automatic=path.name.startswith(AUTO_PREFIX),
        row_counts=counts,
    )


STALE_PART_SECONDS = 3600


def _remove_stale_parts(folder: Path) -> None:
    """Hidden part-written copies left by a backup that was killed (power cut, Task Manager).

    Only ones an hour old: a backup another window is writing this minute is left alone.
    """
    now = datetime.now().timestamp()
    for part in folder.glob(".partnership-office-*.part"):
        try:
            if now - part.stat().st_mtime > STALE_PART_SECONDS:
                part.unlink()
        except OSError:
            continue  # gone already, or not ours to remove: it is hidden and harmless


class BackupService:
    """Backups of one open database: a local file's copy, or a server database's dump or
    export (see server_backup.py)."""

    def __init__(self, database: Database, now: Callable[[], datetime] = datetime.now) -> None:
        self.db = database
        self._now = now

    # -- backing up ------------------------------------------------------------------------
    def back_up(
        self,
        actor: Actor,
        to: Path | None = None,
        *,
        automatic: bool = False,
        progress: Progress | None = None,
    ) -> BackupInfo:
        """Copy the database and verify the copy before saying it is done.

        ``to`` is a folder (a dated name is made in it) or a file name. The copy is written
        under a hidden name in the same folder and renamed only once it has been read back.
        A local file is copied with SQLite's online backup API and read back whole
        (integrity_check), ours, at the same schema revision, with the same rows (checksums
        per table) as the database had at the moment of the copy. A server database is
        dumped by pg_dump when found, else exported in our own format (server_backup.py).
        """
        actor.require(VIEW)
        source = self.db.sqlite_path
        if source is None:
            return self._back_up_server(to, progress)
        target = self._target(source, to, automatic=automatic)
        folder = target.parent
        self._check_folder(folder, to, automatic)
        partial = folder / f".{target.name}.part"
        try:
            counts, revision, sums = self._copy(source, partial)
            self._verify(partial, counts, revision, sums)
            digest = file_digest(partial)
            os.replace(partial, target)
            write_digest(target, digest)
        except BaseException as exc:
            partial.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise BackupError(new_file_message(target, exc)) from exc
            raise
        if automatic:
            self._prune(folder, source)
        _remove_stale_parts(folder)
        return BackupInfo(
            path=target,
            taken_at=taken_at_of(target),
            size=target.stat().st_size,
            schools=counts.get("school", 0),
            revision=revision,
            automatic=automatic,
            row_counts=counts,
        )

    @staticmethod
    def _check_folder(folder: Path, to: Path | None, automatic: bool) -> None:
        if not folder.exists() and (to is None or automatic):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise BackupError(folder_message(folder, exc)) from exc
        if not folder.is_dir():
            raise BackupError(folder_message(folder))

    def _back_up_server(self, to: Path | None, progress: Progress | None) -> BackupInfo:
        """pg_dump (with the checksums beside it), or our export; verified, then renamed."""
        from thep_desktop.services.backups import server_backup

        kind = server_backup.server_backup_kind(self.db)
        suffix = server_backup.DUMP_SUFFIX if kind == "pg_dump" else server_backup.EXPORT_SUFFIX
        target = self._target(None, to, automatic=False, suffix=suffix)
        folder = target.parent
        self._check_folder(folder, to, False)
        partial = folder / f".{target.name}.part"
        beside = server_backup.sidecar_path(target)
        try:
            made = server_backup.write_server_backup(self.db, partial, kind, progress)
            digest = file_digest(partial)
            if made.kind == "pg_dump":
                manifest = server_backup.manifest_bytes(self.db, kind, made.revision, made.sums)
                part_manifest = folder / f".{beside.name}.part"
                part_manifest.write_bytes(manifest)
                os.replace(part_manifest, beside)
            os.replace(partial, target)
            write_digest(target, digest)
        except BaseException as exc:
            partial.unlink(missing_ok=True)
            (folder / f".{beside.name}.part").unlink(missing_ok=True)
            if not target.exists():
                beside.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise BackupError(new_file_message(target, exc)) from exc
            raise
        _remove_stale_parts(folder)
        counts = {name: s.rows for name, s in made.sums.items()}
        return BackupInfo(
            path=target,
            taken_at=taken_at_of(target),
            size=target.stat().st_size,
            schools=counts.get("school", 0),
            revision=made.revision,
            automatic=False,
            row_counts=counts,
            kind=made.kind,
        )

    def _target(
        self, source: Path | None, to: Path | None, *, automatic: bool, suffix: str = SUFFIX
    ) -> Path:
        stamp = self._now().strftime(_STAMP)
        automatic = automatic and source is not None
        prefix = f"{AUTO_PREFIX}{database_key(source)}-" if source and automatic else MANUAL_PREFIX
        if to is not None and not to.is_dir() and to.suffix:
            if to.exists():
                raise BackupError(
                    f"There is already a file called {to.name} in {to.parent}. Choose another "
                    "name; nothing was overwritten."
                )
            return to
        folder = backups_folder() if to is None else to
        target = folder / f"{prefix}{stamp}{suffix}"
        number = 2
        while target.exists():  # two backups in one minute: keep both
            target = folder / f"{prefix}{stamp}-{number}{suffix}"
            number += 1
        return target

    def _copy(self, source: Path, partial: Path) -> tuple[dict[str, int], str, dict]:  # type: ignore[type-arg]
        """The backup API's copy, and the row counts, checksums and revision read in the
        same snapshot."""
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
            src.execute("BEGIN")  # one read snapshot for the counts and the copy alike
            counts = table_counts(src)
            versions = [str(r[0]) for r in src.execute("SELECT version_num FROM alembic_version")]
            sums = sqlite_checksums(src)
            src.backup(dst)
            src.rollback()
            # A backup is one self-contained file: no -wal beside it to lose when copied.
            dst.execute("PRAGMA journal_mode = DELETE")
            dst.commit()
        with partial.open("rb+") as file:
            os.fsync(file.fileno())
        return counts, versions[0] if versions else "", sums

    def _verify(
        self,
        partial: Path,
        counts: dict[str, int],
        revision: str,
        sums: dict,  # type: ignore[type-arg]
    ) -> None:
        found = recognise_sqlite_file(partial)
        if found.state != "ours" or found.revision != revision:
            raise BackupError(
                f"The backup could not be verified ({found.detail or found.state}); no backup "
                "was kept. Try again."
            )
        with closing(_read_only(partial)) as conn:
            problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(5)")]
            copied = table_counts(conn)
            if problems == ["ok"] and copied == counts:
                problems = differences(sums, sqlite_checksums(conn)) or ["ok"]
            elif problems == ["ok"]:
                problems = ["row counts differ"]
        if problems != ["ok"]:
            raise BackupError(
                f"The backup did not read back the same as the database ({'; '.join(problems)}); "
                "no backup was kept. Try again."
            )

    def _prune(self, folder: Path, source: Path) -> None:
        """Keep the newest automatic backups of this database; manual ones are never touched."""
        kept = self.automatic_backups(folder, source)
        for old in kept[:-KEEP_AUTOMATIC]:
            old.unlink(missing_ok=True)
            digest_path(old).unlink(missing_ok=True)

    def automatic_backups(self, folder: Path, source: Path) -> list[Path]:
        """This database's automatic backups in ``folder``, oldest first."""
        pattern = f"{AUTO_PREFIX}{database_key(source)}-*{SUFFIX}"
        return sorted(folder.glob(pattern), key=lambda p: (taken_at_of(p), p.stat().st_mtime_ns))

    def daily_backup(self, actor: Actor, folder: Path | None = None) -> BackupInfo | None:
        """An automatic backup unless this database already has one from today; None if not
        needed (a server database is backed up on the server)."""
        if self.db.sqlite_path is None:
            return None
        folder = backups_folder() if folder is None else folder
        today = self._now().date()
        if folder.is_dir() and any(
            taken_at_of(p).date() == today
            for p in self.automatic_backups(folder, self.db.sqlite_path)
        ):
            return None
        return self.back_up(actor, folder, automatic=True)

    def list_backups(self, folder: Path | None = None) -> list[BackupInfo]:
        """The backups in ``folder`` that can be restored, newest first (damaged ones left out).

        For a local database its file copies; for a server database its dumps and exports.
        """
        folder = backups_folder() if folder is None else folder
        if not folder.is_dir():
            return []
        found: list[BackupInfo] = []
        suffixes = (SUFFIX,) if self.db.sqlite_path is not None else SERVER_SUFFIXES
        for path in folder.glob("partnership-office-*"):
            if path.suffix not in suffixes or path.name.startswith("partnership-office-damaged"):
                continue
            try:
                found.append(self.check_backup(path))
            except BackupError:
                continue
        # Two in one minute: the later file first.
        return sorted(
            found, key=lambda info: (info.taken_at, info.path.stat().st_mtime_ns), reverse=True
        )

    # -- restoring --------------------------------------------------------------------------
    def check_backup(self, path: Path) -> BackupInfo:
        """What a backup holds, checked as restoring it onto this database would check it."""
        if self.db.sqlite_path is not None:
            if path.suffix in SERVER_SUFFIXES and path.is_file():
                raise BackupError(
                    f"{path.name} cannot be restored here: it is a backup of a server database, "
                    "and this is a database file on this computer. Nothing was changed."
                )
            return check_backup_file(path)
        return self._server_info(self._read_server_backup(path))

    def _read_server_backup(self, path: Path):  # type: ignore[no-untyped-def]
        from thep_desktop.services.backups import server_backup

        check_digest(path)
        with self.db.engine.connect() as conn:
            major = server_backup.server_major(conn)
        return server_backup.read_server_backup(path, major)

    @staticmethod
    def _server_info(found) -> BackupInfo:  # type: ignore[no-untyped-def]
        counts = found.row_counts
        # The time in its name, as for a local backup; the manifest's for a renamed file.
        taken = found.taken_at.astimezone().replace(tzinfo=None) if found.taken_at else None
        if taken is None or _STAMP_PATTERN.search(found.path.stem):
            taken = taken_at_of(found.path)
        return BackupInfo(
            path=found.path,
            taken_at=taken,
            size=found.path.stat().st_size,
            schools=counts.get("school", 0),
            revision=found.revision,
            automatic=False,
            row_counts=counts,
            kind=found.kind,
        )

    def restore_plan(self, actor: Actor, backup: Path) -> tuple[BackupInfo, str]:
        """Check ``backup`` and say in words what restoring it will do."""
        actor.require(RESTORE_BACKUPS)
        info = self.check_backup(backup)
        schools = f"{info.schools} school" + ("" if info.schools == 1 else "s")
        where = "" if self.db.sqlite_path else " on the server, for everyone who uses it"
        return info, (
            f"The register as it was on {info.taken_on_words}, with {schools}, replaces the "
            f"current one{where}; the current one is backed up first."
        )

    def restore(
        self,
        actor: Actor,
        backup: Path,
        folder: Path | None = None,
        *,
        progress: Progress | None = None,
    ) -> tuple[Path, str]:
        """Replace the open database's contents with ``backup``'s, in place.

        The backup is checked first, then the current database is backed up (to ``folder``,
        by default the backups folder), then copied over with the backup API, so the file
        stays where it is. An older schema is then upgraded as opening does. Returns the
        backup of the current database and what was done to the schema.
        """
        info, _words = self.restore_plan(actor, backup)
        before, note = self._restore(actor, info, backup, folder, progress)
        # The restored trail is the backup's; that it was put back is the next thing in it.
        record_alone(
            self.db.session,
            actor.name,
            Change(
                Action.RESTORE,
                detail=f"Restored from {backup.name} (taken {info.taken_on_words}); the "
                f"database as it was before is kept at {before}.",
            ),
        )
        return before, note

    def _restore(
        self,
        actor: Actor,
        info: BackupInfo,
        backup: Path,
        folder: Path | None,
        progress: Progress | None,
    ) -> tuple[Path, str]:
        target = self.db.sqlite_path
        if target is None:
            return self._restore_server(actor, backup, folder, progress)
        self.db.dispose()
        if recognise_sqlite_file(target).state == "damaged":
            # The case a restore is most wanted for: SQLite cannot copy from (or into) a
            # damaged file, so its bytes are kept as they are, and the backup is put in its
            # place by renaming a whole copy over it.
            before = self._keep_damaged(target, folder)
            partial = target.with_name(f".{target.name}.restoring")
            try:
                with closing(_read_only(backup)) as src, closing(sqlite3.connect(partial)) as dst:
                    src.backup(dst)
                for beside in ("-wal", "-shm", "-journal"):
                    target.with_name(target.name + beside).unlink(missing_ok=True)
                os.replace(partial, target)
            finally:
                partial.unlink(missing_ok=True)
        else:
            before = self.back_up(actor, folder).path
            self.db.dispose()
            with closing(_read_only(backup)) as src, closing(sqlite3.connect(target)) as dst:
                src.backup(dst)
        self.db.dispose()
        note = ""
        if info.revision != head_revision():
            self.db.upgrade(found=self.db.recognise())
            note = f"The restored register was upgraded from schema {info.revision}."
        return before, note

    def _restore_server(
        self, actor: Actor, backup: Path, folder: Path | None, progress: Progress | None = None
    ) -> tuple[Path, str]:
        """Back up the server database as it is, then replace its data in one transaction."""
        from thep_desktop.services.backups import server_backup

        found = self._read_server_backup(backup)
        before = self.back_up(actor, folder, progress=progress).path
        note = server_backup.restore_server_backup(self.db, found, progress)
        self.db.dispose()
        return before, note

    def _keep_damaged(self, source: Path, folder: Path | None) -> Path:
        """A byte-for-byte copy of a damaged database (and its -wal), for whoever looks later."""
        folder = backups_folder() if folder is None else folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
            kept = folder / f"partnership-office-damaged-{self._now().strftime(_STAMP)}{SUFFIX}"
            number = 2
            while kept.exists():
                kept = kept.with_name(f"{kept.stem}-{number}{SUFFIX}")
                number += 1
            shutil.copyfile(source, kept)
            wal = source.with_name(source.name + "-wal")
            if wal.exists():
                shutil.copyfile(wal, kept.with_name(kept.name + "-wal"))
        except OSError as exc:
            raise BackupError(
                "The damaged database could not be kept before restoring: "
                f"{folder_message(folder, exc)} Nothing was changed."
            ) from exc
        return kept
