"""Many rows inserted through the driver's executemany: for imports and the audit trail."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, insert
from sqlalchemy.orm import Session


class BulkInsert:
    """INSERT of many rows through the driver's executemany, values converted column by column.

    Each value goes through its column type's own bind processor (the conversion SQLAlchemy
    would make), so SQLite and PostgreSQL store exactly what an ORM insert stores; skipping
    SQLAlchemy's per-row parameter handling makes a 50,000-school import several times faster.
    Every value must be given (the mapper's defaults are not applied here).
    """

    def __init__(
        self,
        session: Session | Connection,
        table: Any,
        names: list[str],
        unique: tuple[str, ...] = (),
    ) -> None:
        self.unique = frozenset(unique)
        self.conn = session if isinstance(session, Connection) else session.connection()
        dialect = self.conn.dialect
        stmt = insert(table).values({n: bindparam(n) for n in names})
        compiled = stmt.compile(dialect=dialect)
        self.sql = str(compiled)
        self.positional = compiled.positional
        order = list(compiled.positiontup or []) if self.positional else names
        self.names = names
        at = {n: i for i, n in enumerate(names)}
        self.order = [at[n] for n in order]
        self.processors = [
            table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names
        ]

    def __call__(self, rows: list[tuple[Any, ...]]) -> None:
        columns = list(zip(*rows, strict=True))
        for i, process in enumerate(self.processors):
            if process is None:
                continue
            if self.names[i] in self.unique:
                columns[i] = tuple(map(process, columns[i]))
            else:  # few distinct values (dates, status, flags): convert each one once
                converted = {v: process(v) for v in set(columns[i])}
                columns[i] = tuple(map(converted.__getitem__, columns[i]))
        if self.positional:
            params: list[Any] = list(zip(*(columns[i] for i in self.order), strict=True))
        else:
            rows_again = zip(*columns, strict=True)
            params = [dict(zip(self.names, values, strict=True)) for values in rows_again]
        self.conn.exec_driver_sql(self.sql, params)
