"""Telling this program's own databases from anything else, by reading them without writing."""

from __future__ import annotations

import re
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection, inspect, text

# SQLite's ``PRAGMA application_id`` (a 32-bit number at byte 68 of the file's header) for files
# this program makes: "THEP" in ASCII. It is set in the same transaction as the tables, so a
# file that carries it was made (or upgraded) by this program. Never change it: older files
# would no longer be recognised.
APPLICATION_ID = 0x54484550

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
# The tables of the first released schema (0001): every database of ours has had them.
FOUNDATION_TABLES = frozenset({"organisation_profile", "staff_member", "school", "contact"})
# Our revisions are numbered ("0003_signatories"); another program's Alembic ids are hex.
_OUR_REVISION = re.compile(r"^\d{4}_[a-z0-9_]+$")

State = Literal["missing", "empty", "ours", "foreign", "damaged", "unreadable"]


@dataclass(frozen=True)
class Found:
    """What is at a database address, as read without changing it."""

    state: State
    revision: str | None = None  # the schema revision of a database of ours
    marked: bool = False  # a SQLite file of ours already carries APPLICATION_ID
    detail: str = ""  # for refusals: what the file is, or the reader's own message


def is_ours(tables: set[str], versions: list[str]) -> bool:
    """Alembic's table holds one revision of ours, beside the tables every release has had."""
    return (
        len(versions) == 1
        and _OUR_REVISION.match(versions[0]) is not None
        and FOUNDATION_TABLES <= tables
    )


def recognise_sqlite_file(path: Path) -> Found:
    """Classify a SQLite file without writing to it: no lock, no journal, no -wal or -shm file.

    The header is read as bytes first; only a file that could be ours is then opened by SQLite,
    read-only (and as *immutable* when no -wal file says someone has it open, because a
    read-only open of a WAL file would otherwise leave -wal and -shm files behind).
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return Found("missing")
    except OSError as exc:
        return Found("unreadable", detail=exc.strerror or str(exc))
    if stat.S_ISDIR(info.st_mode):
        return Found("unreadable", detail="it is a folder, not a file")
    if info.st_size == 0:
        return Found("damaged", detail="the file is empty, 0 bytes")
    try:
        with path.open("rb") as file:
            header = file.read(HEADER_SIZE)
    except OSError as exc:
        return Found("unreadable", detail=exc.strerror or str(exc))
    if not header.startswith(SQLITE_MAGIC):
        if not header.strip(b"\x00") or SQLITE_MAGIC.startswith(header):
            # Zeros, or a database cut short inside its first line: what a crash leaves.
            return Found("damaged", detail="the file holds no readable data")
        return Found("foreign", detail="it is not a database file at all")
    if len(header) < HEADER_SIZE:
        return Found("damaged", detail="the file is cut short")
    application_id = int.from_bytes(header[68:72], "big")
    if application_id not in (0, APPLICATION_ID):
        return Found("foreign", detail="it is another program's database")
    # A -wal (or a rollback -journal) file beside it: open elsewhere, or left by a crash.
    in_use = any(path.with_name(path.name + end).exists() for end in ("-wal", "-journal"))
    if not in_use and _cut_short(header, info.st_size):
        return Found("damaged", detail="the file is cut short")
    return _read_sqlite(path, in_use=in_use, marked=application_id == APPLICATION_ID)


def _cut_short(header: bytes, size: int) -> bool:
    """The file is smaller than its header says, or not whole pages (checked only at rest)."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return True
    pages = int.from_bytes(header[28:32], "big")
    # The page count is only valid when written by the same change as the counter (byte 92).
    valid = pages > 0 and header[24:28] == header[92:96]
    return size % page_size != 0 or (valid and size < pages * page_size)


def _read_sqlite(path: Path, *, in_use: bool, marked: bool) -> Found:
    mode = "mode=ro" if in_use else "immutable=1"
    uri = f"{path.resolve().as_uri()}?{mode}"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        return Found("unreadable", detail=str(exc))
    try:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        versions: list[str] = []
        if "alembic_version" in tables:
            versions = [str(r[0]) for r in conn.execute("SELECT version_num FROM alembic_version")]
        if not marked and not is_ours(tables, versions):
            if tables:
                return Found("foreign", detail="it is another program's database")
            return Found("foreign", detail="it is an empty database of another program")
        problems = [str(r[0]) for r in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as exc:
        # "file is not a database", "database disk image is malformed": a damaged file.
        return Found("damaged", detail=str(exc))
    finally:
        conn.close()
    if problems != ["ok"]:
        return Found("damaged", detail="; ".join(problems))
    if len(versions) != 1:
        return Found("damaged", detail="its record of the schema version is missing")
    return Found("ours", revision=versions[0], marked=marked)


def recognise_server(conn: Connection) -> Found:
    """Classify a server database by reading its tables (nothing is written)."""
    tables = set(inspect(conn).get_table_names())
    if not tables:
        return Found("empty")
    versions: list[str] = []
    if "alembic_version" in tables:
        found = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
        versions = [str(v) for v in found]
    if is_ours(tables, versions):
        return Found("ours", revision=versions[0], marked=True)
    return Found("foreign", detail="it holds another program's tables")
