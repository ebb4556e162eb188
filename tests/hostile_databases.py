"""Files that are not a usable database of ours, and a snapshot to show they were left alone.

Each maker writes one file at ``path``: nothing in it, a database of ours cut short or with a
damaged page, another program's SQLite file, random bytes, text. ``REFUSED`` says in which
words the program must refuse each. ``folder_state`` records every file of a folder (bytes,
size, modification time) so a test can check that refusing one changed nothing, and left no
``-wal`` or ``-shm`` file behind. ``statement_fails`` makes chosen SQL statements fail, as a
full disk or a lost connection would, to show that a migration applies whole or not at all.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fixtures.make_schema_fixtures import fixture_paths
from sqlalchemy import Engine, event

from thep_desktop.database import Database

NOT_OURS = "is not a THE Partnership Office database"
DAMAGED = "is empty or damaged"


def folder_state(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Every file in ``folder``: its SHA-256, size and modification time (ns)."""
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def ours(path: Path) -> Path:
    """A database of ours with a little data (the 0003 release's, opened once so it is marked)."""
    shutil.copyfile(fixture_paths("0003")[0], path)
    db = Database(path)
    db.upgrade()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


def _page_size(path: Path) -> int:
    size = int.from_bytes(path.read_bytes()[16:18], "big")
    return 65536 if size == 1 else size


def zero_bytes(path: Path) -> None:
    path.write_bytes(b"")


def zeros(path: Path) -> None:
    path.write_bytes(bytes(4096))


def cut_short(size: int | float) -> Callable[[Path], None]:
    """Ours, cut short at ``size`` bytes (or that fraction of its length)."""

    def make(path: Path) -> None:
        data = ours(path).read_bytes()
        keep = int(len(data) * size) if isinstance(size, float) else size
        path.write_bytes(data[:keep])

    return make


def last_page_lost(path: Path) -> None:
    data = ours(path).read_bytes()
    path.write_bytes(data[: -_page_size(path)])


def damaged_page(path: Path) -> None:
    """Ours, with the first page of the schools table overwritten (a bad disk sector)."""
    ours(path)
    with sqlite3.connect(path) as conn:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'school'"
        ).fetchone()
    conn.close()
    page = _page_size(path)
    data = bytearray(path.read_bytes())
    noise = random.Random(root).randbytes(page)
    data[(root - 1) * page : root * page] = noise
    path.write_bytes(bytes(data))


def random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(9).randbytes(20_000))


def text_file(path: Path) -> None:
    path.write_text("URN,Name\n100001,Bow Primary School\n" * 50, encoding="utf-8")


def _other_program(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def other_program(path: Path) -> None:
    _other_program(
        path,
        "CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT)",
        "INSERT INTO customer (name) VALUES ('Acme Ltd')",
    )


def other_program_with_its_id(path: Path) -> None:
    _other_program(
        path,
        "PRAGMA application_id = 1196444237",  # 'GPKG': a GeoPackage
        "CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY)",
    )


def other_program_empty(path: Path) -> None:
    _other_program(path, "PRAGMA user_version = 7")  # a valid SQLite file with no tables


def other_program_on_alembic(path: Path) -> None:
    """Another program's database managed by Alembic, with a school table of its own."""
    _other_program(
        path,
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
        "INSERT INTO alembic_version VALUES ('ae1027a6acf')",
        "CREATE TABLE school (id INTEGER PRIMARY KEY, name TEXT)",
    )


# What each file is, how it is made, and the words of its refusal.
REFUSED: dict[str, tuple[Callable[[Path], object], str]] = {
    "zero bytes": (zero_bytes, DAMAGED),
    "4 KB of zeros": (zeros, DAMAGED),
    "ours cut at 10 bytes": (cut_short(10), DAMAGED),
    "ours cut at 60 bytes": (cut_short(60), DAMAGED),
    "ours cut at 1000 bytes": (cut_short(1000), DAMAGED),
    "ours cut at half": (cut_short(0.5), DAMAGED),
    "ours without its last page": (last_page_lost, DAMAGED),
    "ours with a damaged page": (damaged_page, DAMAGED),
    "random bytes": (random_bytes, NOT_OURS),
    "a text file": (text_file, NOT_OURS),
    "another program's file": (other_program, NOT_OURS),
    "another program's file with its own id": (other_program_with_its_id, NOT_OURS),
    "another program's empty file": (other_program_empty, NOT_OURS),
    "another program's file on Alembic": (other_program_on_alembic, NOT_OURS),
}


class InjectedFault(Exception):
    """The failure :func:`statement_fails` raises instead of running a statement."""

    def __str__(self) -> str:
        return "injected fault"


@contextmanager
def statement_fails(chosen: Callable[[str], bool]) -> Iterator[list[str]]:
    """Inside the block, any statement for which ``chosen(sql)`` is true fails on any engine.

    Yields the statements that ran before the fault, for tests that pick their kill point.
    """
    ran: list[str] = []

    def before(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sql = " ".join(statement.split())
        if chosen(sql):
            raise InjectedFault
        ran.append(sql)

    event.listen(Engine, "before_cursor_execute", before)
    try:
        yield ran
    finally:
        event.remove(Engine, "before_cursor_execute", before)
