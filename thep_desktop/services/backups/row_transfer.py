"""Putting rows into a database's tables as they were: emptied, filled in batches, sequences set."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, text

from thep_desktop.models import Base
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
    """Insert ``rows`` (every column given, ids included) in batches; how many were inserted."""
    batch: list[dict[str, Any]] = []
    count = 0
    statement = table.insert()
    for row in named_rows_first(table, rows):
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


def named_rows_first(table: Table, rows: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """The rows in an order where a row naming another row of its own table comes after it.

    A foreign key is checked row by row as rows go in, and a row may name one with a larger
    id: minutes are approved at a meeting recorded after them (``approved_at_meeting_id``).
    In id order that meeting is not there yet and the restore would be refused; nor can the
    reference be filled in afterwards, since approved minutes refuse every UPDATE. Tables
    that never name their own rows pass through as they come, unread.
    """
    model = Base.metadata.tables.get(table.name)
    links = [
        (element.parent.name, element.column.name)
        for key in (model.foreign_key_constraints if model is not None else ())
        if key.referred_table is model and len(key.elements) == 1
        for element in key.elements
    ]
    if not links:
        return rows
    pending = list(rows)
    by_key = {(target, row.get(target)): n for n, row in enumerate(pending) for _c, target in links}
    placed = [False] * len(pending)
    ordered: list[dict[str, Any]] = []
    for start in range(len(pending)):
        # Depth first without recursion: a chain of meetings, each approving the one
        # before, may be as long as the body's history.
        stack = [start]
        while stack:
            n = stack[-1]
            if placed[n]:
                stack.pop()
                continue
            waiting = [
                m
                for column, target in links
                if (m := by_key.get((target, pending[n].get(column)))) is not None
                and not placed[m]
                and m != n
                and m not in stack
            ]
            if waiting:
                stack.extend(waiting)
                continue
            placed[n] = True
            ordered.append(pending[n])
            stack.pop()
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
