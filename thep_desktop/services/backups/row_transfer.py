"""Putting rows into a database's tables as they were: emptied, filled in batches, sequences set."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, text

from thep_desktop.models.base import Base
from thep_desktop.services.backups.table_checksums import BATCH, TableProgress


def clear_tables(conn: Connection, tables: Sequence[Table]) -> None:
    """Empty every table, children before parents, so no foreign key is broken on the way.

    On PostgreSQL one TRUNCATE of them all: row triggers do not fire on it, and that is what
    lets a restore replace issued invoices, whose rows no DELETE may touch. Only the tables'
    owner may truncate them, and only the owner restores (the tables may be made afresh).
    """
    if conn.dialect.name == "postgresql" and tables:
        quote = conn.dialect.identifier_preparer.quote
        conn.execute(text("TRUNCATE " + ", ".join(quote(t.name) for t in tables)))
        return
    for table in reversed(tables):
        conn.execute(table.delete())


def insert_rows(
    conn: Connection,
    table: Table,
    rows: Iterable[dict[str, Any]],
    progress: TableProgress | None = None,
    total: int = 0,
) -> int:
    """Insert ``rows`` (every column given, ids included) in batches; how many were inserted.

    A table whose rows point at other rows of the same table (minutes approved at a later
    meeting) has its rows put in an order where each row's target comes first.
    """
    rows = _targets_first(table, rows)
    batch: list[dict[str, Any]] = []
    count = 0
    statement = table.insert()
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            conn.execute(statement, batch)
            count += len(batch)
            batch = []
            if progress is not None:
                progress(table.name, count, total)
    if batch:
        conn.execute(statement, batch)
        count += len(batch)
    return count


def _targets_first(table: Table, rows: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """``rows`` ordered so that a row another row of the table refers to is inserted first.

    A foreign key is checked as each row goes in, and a meeting's ``approved_at_meeting_id``
    names a later meeting, usually one with a higher id. Only such tables are read whole
    (they are small); the others stream through as they are.
    """
    # The tables read from a database carry no foreign keys: the program's model says them.
    model = Base.metadata.tables.get(table.name)
    own = [
        (fk.parent.name, fk.column.name)
        for fk in (model.foreign_keys if model is not None else ())
        if fk.column.table.name == table.name
    ]
    if not own:
        return rows
    pending = list(rows)
    by_key = {(column, row[column]): row for _, column in own for row in pending}
    ordered: list[dict[str, Any]] = []
    placed: set[int] = set()
    for first in pending:
        # Depth first without recursion: a long chain of approvals must not overflow.
        stack = [first]
        while stack:
            row = stack[-1]
            if id(row) in placed:
                stack.pop()
                continue
            waiting = [
                target
                for source, column in own
                if (target := by_key.get((column, row[source]))) is not None
                and row[source] is not None
                and id(target) not in placed
                and target is not row
                and all(target is not other for other in stack)
            ]
            if waiting:
                stack.extend(waiting)
                continue
            stack.pop()
            placed.add(id(row))
            ordered.append(row)
    return ordered


def reset_sequences(conn: Connection, tables: Sequence[Table]) -> None:
    """After rows were inserted with their own ids, new rows must get ids after them.

    PostgreSQL's sequences do not follow inserted ids, so each is set to the largest id
    (or back to its start on an empty table). SQLite takes the largest rowid by itself.
    """
    if conn.dialect.name != "postgresql":
        return
    quote = conn.dialect.identifier_preparer.quote
    for table in tables:
        for column in table.primary_key.columns:
            sequence = conn.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"),
                {"t": quote(table.name), "c": column.name},
            ).scalar()
            if sequence is None:
                continue
            conn.execute(
                text(
                    f"SELECT setval(:s, COALESCE(MAX({quote(column.name)}), 1), "
                    f"MAX({quote(column.name)}) IS NOT NULL) FROM {quote(table.name)}"
                ),
                {"s": sequence},
            )
