"""Backing up and restoring a PostgreSQL database: pg_dump when found, else our own export."""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, inspect, text
from sqlalchemy.exc import DBAPIError

from thep_desktop import __version__
from thep_desktop.database import (
    Database,
    alembic_config,
    all_revisions,
    driver_message,
    head_revision,
)
from thep_desktop.database_locks import WRITE_LOCK_KEY
from thep_desktop.database_recognition import FOUNDATION_TABLES, SQLITE_MAGIC, is_ours
from thep_desktop.domain.progress import Progress
from thep_desktop.services.backups.backup_service import BackupError
from thep_desktop.services.backups.row_transfer import clear_tables, insert_rows, reset_sequences
from thep_desktop.services.backups.table_checksums import (
    TableSum,
    decode,
    differences,
    present_tables,
    row_line,
    sums_from_json,
    sums_json,
    table_checksums,
    table_rows,
)

EXPORT_FORMAT = "THE Partnership Office logical export"
EXPORT_FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP_SUFFIX = ".dump"
EXPORT_SUFFIX = ".zip"
DUMP_MAGIC = b"PGDMP"
_TOOL_SECONDS = 3600  # a dump of a large office database takes minutes, never an hour
_VERSION = re.compile(r"(\d+)(?:\.(\d+))?")
_COPY = re.compile(r'^COPY (?:"?[^".\s]+"?\.)?"?([^"\s(]+)"? \((.*)\) FROM stdin;$')

# Where PostgreSQL's own programs are installed when they are not on the PATH.
TOOL_FOLDERS = (
    r"C:\Program Files\PostgreSQL\*\bin",
    "/usr/lib/postgresql/*/bin",
)


def tool_version(tool: Path) -> int | None:
    """The major version of a PostgreSQL program (``pg_dump --version``), None if it fails."""
    try:
        shown = subprocess.run(
            [str(tool), "--version"], capture_output=True, text=True, timeout=20, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = _VERSION.search(shown.partition(")")[2] or shown)  # "pg_dump (PostgreSQL) 15.4"
    return int(found.group(1)) if found else None


def find_pg_tool(name: str, server_major: int) -> Path | None:
    """``pg_dump`` or ``pg_restore``: the newest found whose major version is at least the
    server's (an older one refuses a newer server's database), on the PATH or where
    PostgreSQL installs them. None when there is none."""
    exe = f"{name}.exe" if os.name == "nt" else name
    candidates: list[Path] = []
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    for folder in TOOL_FOLDERS:
        candidates.extend(Path(p) for p in glob.glob(os.path.join(folder, exe)))
    best: tuple[int, Path] | None = None
    for candidate in candidates:
        major = tool_version(candidate)
        if major is not None and major >= server_major and (best is None or major > best[0]):
            best = (major, candidate)
    return best[1] if best else None


def server_major(conn: Connection) -> int:
    return int(conn.execute(text("SHOW server_version_num")).scalar_one()) // 10000


def _tool_environment(db: Database) -> dict[str, str]:
    """The child's environment: the password in PGPASSWORD, never on its command line."""
    env = dict(os.environ)
    if db.url.password:
        env["PGPASSWORD"] = str(db.url.password)
    sslmode = db.url.query.get("sslmode")
    if isinstance(sslmode, str):
        env["PGSSLMODE"] = sslmode
    return env


def _connection_arguments(db: Database) -> list[str]:
    url = db.url
    arguments = []
    if url.host:
        arguments += ["-h", url.host]
    if url.port:
        arguments += ["-p", str(url.port)]
    if url.username:
        arguments += ["-U", url.username]
    return [*arguments, "--no-password"]


def _tool_failure(what: str, result: subprocess.CompletedProcess[bytes]) -> str:
    said = result.stderr.decode("utf-8", "replace").strip().splitlines()
    return f"{what} ({said[-1] if said else f'it stopped with code {result.returncode}'})"


@dataclass(frozen=True)
class ServerBackupMade:
    """What a server backup holds, as verified before it is reported done."""

    kind: str  # "pg_dump" or "export"
    revision: str
    sums: dict[str, TableSum]
    note: str = ""


def sidecar_path(backup: Path) -> Path:
    """Beside a pg_dump file: the checksums the server had at the moment of the dump."""
    return backup.with_name(backup.name + ".manifest.json")


def manifest_bytes(db: Database, kind: str, revision: str, sums: dict[str, TableSum]) -> bytes:
    return json.dumps(
        {
            "format": EXPORT_FORMAT,
            "format_version": EXPORT_FORMAT_VERSION,
            "kind": kind,
            "program_version": __version__,
            "schema_revision": revision,
            "taken_at": datetime.now(UTC).isoformat(),
            "database": db.describe().location,
            "tables": sums_json(sums),
        },
        indent=2,
    ).encode("utf-8")


def server_backup_kind(db: Database) -> str:
    """ "pg_dump" when a pg_dump that can read this server is found, else "export"."""
    with db.engine.connect() as conn:
        major = server_major(conn)
    return "pg_dump" if find_pg_tool("pg_dump", major) else "export"


def write_server_backup(
    db: Database, partial: Path, kind: str, progress: Progress | None = None
) -> ServerBackupMade:
    """Write a backup of the server database to ``partial`` and verify it there."""
    try:
        return _write(db, partial, kind, progress if progress is not None else Progress())
    except DBAPIError as exc:
        raise BackupError(
            f"The server database could not be read for the backup ({driver_message(exc)}); "
            "no backup was made."
        ) from exc


def _write(db: Database, partial: Path, kind: str, progress: Progress) -> ServerBackupMade:
    reading = db.engine.connect().execution_options(isolation_level="REPEATABLE READ")
    with reading as conn, conn.begin():
        # One snapshot for the checksums and the copy alike (pg_dump joins it by its name).
        snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        revision = str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())
        if kind == "pg_dump":
            sums = table_checksums(conn, _reporter(progress, "Reading"))
            _pg_dump(db, conn, snapshot, partial, progress)
        else:
            sums = _export(db, conn, revision, partial, progress)
    if kind == "pg_dump":
        _verify_dump(db, partial, sums)
        return ServerBackupMade("pg_dump", revision, sums)
    progress.report(95, 100, "Checking the copy")
    found = read_export(partial)
    problems = differences(sums, found.sums)
    if problems or found.revision != revision:
        raise BackupError(
            "The backup did not read back the same as the database "
            f"({'; '.join(problems) or 'schema revision differs'}); no backup was kept. Try again."
        )
    return ServerBackupMade("export", revision, sums)


def _reporter(progress: Progress, verb: str) -> Callable[[str, int, int], None]:
    def report(table: str, done: int, total: int) -> None:
        progress.report(done, total, f"{verb} {table}: {done:,} rows")

    return report


def _pg_dump(
    db: Database, conn: Connection, snapshot: str, partial: Path, progress: Progress
) -> None:
    tool = find_pg_tool("pg_dump", server_major(conn))
    if tool is None:
        raise BackupError("pg_dump is no longer found on this computer; no backup was made.")
    progress.report(50, 100, "pg_dump is copying the database")
    arguments = [
        str(tool),
        "-Fc",
        f"--snapshot={snapshot}",
        "-f",
        str(partial),
        *_connection_arguments(db),
        str(db.url.database),
    ]
    result = subprocess.run(
        arguments, capture_output=True, env=_tool_environment(db), timeout=_TOOL_SECONDS
    )
    if result.returncode != 0:
        raise BackupError(_tool_failure("pg_dump could not make the backup", result) + ".")


def _verify_dump(db: Database, partial: Path, sums: dict[str, TableSum]) -> None:
    """pg_restore reads the dump's table of contents, and every table's data is in it."""
    with db.engine.connect() as conn:
        tool = find_pg_tool("pg_restore", server_major(conn))
    if tool is None:
        raise BackupError("pg_restore is not found beside pg_dump, so the dump cannot be checked.")
    result = subprocess.run(
        [str(tool), "--list", str(partial)], capture_output=True, timeout=_TOOL_SECONDS
    )
    listing = result.stdout.decode("utf-8", "replace")
    missing = [
        name for name in sums if not re.search(rf"TABLE DATA \S+ {re.escape(name)} ", listing)
    ]
    if result.returncode != 0 or missing:
        why = _tool_failure("pg_restore cannot read it", result) if result.returncode else ""
        raise BackupError(
            "The backup could not be verified "
            f"({why or 'tables missing: ' + ', '.join(missing)}); no backup was kept. Try again."
        )


def _export(
    db: Database, conn: Connection, revision: str, partial: Path, progress: Progress
) -> dict[str, TableSum]:
    """Our own format: a zip of a manifest and one JSON-lines member per table, whose
    lines are exactly the rows the checksums are taken of."""
    import hashlib

    tables = present_tables(conn)
    totals = {
        t.name: conn.execute(text(f"SELECT count(*) FROM {_quoted(conn, t.name)}")).scalar_one()
        for t in tables
    }
    everything = max(1, sum(totals.values()))
    done = 0
    sums: dict[str, TableSum] = {}
    columns: dict[str, list[str]] = {}
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            sha = hashlib.sha256()
            count = 0
            with archive.open(f"tables/{table.name}.jsonl", "w") as member:
                for row in table_rows(conn, table):
                    line = row_line(row)
                    member.write(line)
                    sha.update(line)
                    count += 1
                    if count % 1000 == 0:
                        progress.report(done + count, everything, f"Copying {table.name}")
            done += count
            sums[table.name] = TableSum(count, sha.hexdigest())
            columns[table.name] = [c.name for c in table.columns]
        manifest = json.loads(manifest_bytes(db, "export", revision, sums))
        manifest["columns"] = columns
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
    with partial.open("rb+") as file:
        os.fsync(file.fileno())
    return sums


def _quoted(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


# -- reading a server backup ----------------------------------------------------------------
@dataclass
class ServerBackupFile:
    """A server backup as checked before restoring: what it holds and how to put it back."""

    path: Path
    kind: str  # "pg_dump" or "export"
    revision: str
    sums: dict[str, TableSum]  # checksums (or, for a dump without its manifest, counts only)
    taken_at: datetime | None = None
    counts_only: bool = False
    columns: dict[str, list[str]] = field(default_factory=dict)
    copy_blocks: dict[str, tuple[str, list[bytes]]] = field(default_factory=dict)

    @property
    def row_counts(self) -> dict[str, int]:
        return {name: s.rows for name, s in self.sums.items()}


def refuse(path: Path, why: str) -> BackupError:
    return BackupError(f"{path.name} cannot be restored: {why}. Nothing was changed.")


def read_server_backup(path: Path, server_major_version: int) -> ServerBackupFile:
    """Read a pg_dump file or an export of ours, or say in words why it cannot be restored."""
    try:
        with path.open("rb") as file:
            start = file.read(16)
    except FileNotFoundError:
        raise BackupError(f"There is no file at {path}.") from None
    except OSError as exc:
        raise refuse(path, f"it cannot be read ({exc.strerror})") from exc
    if start.startswith(DUMP_MAGIC):
        return _read_dump(path, server_major_version)
    if start.startswith(b"PK") or zipfile.is_zipfile(path):
        return read_export(path)
    if start.startswith(SQLITE_MAGIC):
        raise refuse(
            path,
            "it is a backup of a local database file; a server database is restored only from "
            "a server backup (to move a local database onto the server, use thep-admin copy)",
        )
    raise refuse(path, "it is not a backup of THE Partnership Office")


def read_export(path: Path) -> ServerBackupFile:
    """Open an export, check its manifest and that every member holds what it says."""
    import hashlib

    try:
        with zipfile.ZipFile(path) as archive:
            try:
                manifest = json.loads(archive.read(MANIFEST))
            except KeyError:
                raise refuse(path, "it is not a backup of THE Partnership Office") from None
            if not isinstance(manifest, dict) or manifest.get("format") != EXPORT_FORMAT:
                raise refuse(path, "it is not a backup of THE Partnership Office")
            revision = str(manifest.get("schema_revision"))
            _check_revision(path, revision, int(manifest.get("format_version", 0)))
            sums = sums_from_json(manifest["tables"])
            for name, expected in sums.items():
                sha = hashlib.sha256()
                count = 0
                with archive.open(f"tables/{name}.jsonl") as member:
                    for line in member:
                        sha.update(line)
                        count += 1
                if TableSum(count, sha.hexdigest()) != expected:
                    raise refuse(path, f"the file is damaged (the table {name} does not match)")
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, EOFError, OSError) as exc:
        raise refuse(path, f"the file is damaged ({exc})") from exc
    taken = manifest.get("taken_at")
    return ServerBackupFile(
        path,
        "export",
        revision,
        sums,
        taken_at=datetime.fromisoformat(taken) if isinstance(taken, str) else None,
        columns={k: list(v) for k, v in manifest.get("columns", {}).items()},
    )


def _check_revision(path: Path, revision: str, format_version: int = 1) -> None:
    if format_version > EXPORT_FORMAT_VERSION or revision not in all_revisions():
        raise refuse(
            path,
            f"it was made by a newer version of THE Partnership Office (schema {revision}). "
            "Update the program first",
        )


def _read_dump(path: Path, major: int) -> ServerBackupFile:
    tool = find_pg_tool("pg_restore", major)
    if tool is None:
        raise refuse(
            path,
            "it was made with pg_dump, and restoring it needs PostgreSQL's pg_restore, which is "
            "not on this computer (install PostgreSQL's client programs, or restore it on the "
            "server)",
        )
    result = subprocess.run(
        [str(tool), "-f", "-", "--data-only", str(path)],
        capture_output=True,
        timeout=_TOOL_SECONDS,
    )
    if result.returncode != 0:
        raise refuse(path, _tool_failure("the file is damaged", result))
    blocks = dict(_copy_blocks(result.stdout))
    versions = [line.decode() for line in blocks.get("alembic_version", ("", []))[1]]
    if not is_ours(set(blocks), versions) or not FOUNDATION_TABLES <= set(blocks):
        raise refuse(path, "it is a pg_dump of another program's database")
    revision = versions[0]
    _check_revision(path, revision)
    counts = {name: TableSum(len(lines), "") for name, (_c, lines) in blocks.items()}
    counts.pop("alembic_version", None)
    sums, counts_only, taken = counts, True, None
    beside = sidecar_path(path)
    if beside.is_file():
        try:
            manifest = json.loads(beside.read_text("utf-8"))
            kept = sums_from_json(manifest["tables"])
        except (ValueError, KeyError, TypeError) as exc:
            raise refuse(path, f"{beside.name} beside it is damaged ({exc})") from exc
        if {n: s.rows for n, s in kept.items()} != {n: s.rows for n, s in counts.items()}:
            raise refuse(path, f"it does not hold the rows {beside.name} says it does")
        sums, counts_only = kept, False
        taken = datetime.fromisoformat(manifest["taken_at"])
    return ServerBackupFile(
        path, "pg_dump", revision, sums, taken_at=taken, counts_only=counts_only, copy_blocks=blocks
    )


def _copy_blocks(sql: bytes) -> Iterator[tuple[str, tuple[str, list[bytes]]]]:
    """The COPY … FROM stdin blocks of ``pg_restore --data-only``'s script: table, columns,
    and its data lines (one line per row in COPY's text format)."""
    lines = iter(sql.split(b"\n"))
    for line in lines:
        found = _COPY.match(line.decode("utf-8", "replace"))
        if not found:
            continue
        data: list[bytes] = []
        for row in lines:
            if row == b"\\.":
                break
            data.append(row)
        yield found.group(1), (found.group(2), data)


# -- restoring ------------------------------------------------------------------------------
def restore_server_backup(
    db: Database, backup: ServerBackupFile, progress: Progress | None = None
) -> str:
    """Replace the server database's data with the backup's, in one transaction.

    At the backup's own schema revision (an older backup's tables are made as they were,
    then upgraded), every table is emptied and filled in foreign-key order with the ids it
    had, the sequences are set, and the checksums are compared with the backup's before
    anything is committed: any difference undoes it all. Returns what was done to the schema.
    """
    try:
        return _restore(db, backup, progress if progress is not None else Progress())
    except DBAPIError as exc:  # a login that may not change the tables, a server gone away
        raise BackupError(
            f"The server refused the restore ({driver_message(exc)}), so it was undone. "
            "Nothing was changed."
        ) from exc


def _restore(db: Database, backup: ServerBackupFile, progress: Progress) -> str:
    with db.engine.connect() as conn, conn.begin():
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK_KEY})
        current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if current == backup.revision:
            tables = present_tables(conn)
            clear_tables(conn, tables)
        else:
            _recreate_at(conn, backup.revision)
            tables = present_tables(conn)
        if backup.kind == "export":
            _load_export(conn, tables, backup, progress)
        else:
            _load_dump(conn, tables, backup, progress)
        reset_sequences(conn, tables)
        progress.report(90, 100, "Checking the restored data")
        found = table_checksums(conn)
        if backup.counts_only:
            found = {name: TableSum(s.rows, "") for name, s in found.items()}
        problems = differences(backup.sums, found)
        if problems:
            raise BackupError(
                "The restored data did not match the backup ("
                + "; ".join(problems[:3])
                + "), so the restore was undone. Nothing was changed."
            )
        note = ""
        if backup.revision != head_revision():
            _upgrade(conn, "head")
            note = f"The restored register was upgraded from schema {backup.revision}."
    return note


def _recreate_at(conn: Connection, revision: str) -> None:
    """The program's tables made afresh as they were at ``revision`` (inside the transaction)."""
    ours = {t.name for t in present_tables(conn)} | {"alembic_version"}
    for name in inspect(conn).get_table_names():
        if name in ours:
            conn.execute(text(f"DROP TABLE IF EXISTS {_quoted(conn, name)} CASCADE"))
    _upgrade(conn, revision)


def _upgrade(conn: Connection, revision: str) -> None:
    from alembic import command

    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, revision)


def _load_export(
    conn: Connection, tables: list[Table], backup: ServerBackupFile, progress: Progress
) -> None:
    with zipfile.ZipFile(backup.path) as archive:
        for table in tables:
            if table.name not in backup.sums:
                continue
            names = backup.columns.get(table.name) or [c.name for c in table.columns]
            unknown = [n for n in names if n not in table.c]
            if unknown:
                raise refuse(backup.path, f"its table {table.name} has columns this schema lacks")
            columns = [table.c[n] for n in names]

            progress.report(0, 0, f"Restoring {table.name}")
            rows = _export_rows(archive, table.name, columns)
            total = backup.sums[table.name].rows
            insert_rows(conn, table, rows, _reporter(progress, "Restoring"), total)


def _export_rows(
    archive: zipfile.ZipFile, name: str, columns: list[Any]
) -> Iterator[dict[str, Any]]:
    with archive.open(f"tables/{name}.jsonl") as member:
        for line in member:
            values = json.loads(line)
            yield {c.name: decode(c, v) for c, v in zip(columns, values, strict=True)}


def _load_dump(
    conn: Connection, tables: list[Table], backup: ServerBackupFile, progress: Progress
) -> None:
    raw: Any = conn.connection.dbapi_connection
    for table in tables:
        block = backup.copy_blocks.get(table.name)
        if block is None:
            continue
        columns, lines = block
        progress.report(0, 0, f"Restoring {table.name}")
        if not lines:
            continue
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {_quoted(conn, table.name)} ({columns}) FROM STDIN") as copy,
        ):
            copy.write(b"\n".join(lines) + b"\n")
