"""Per-table row counts and SHA-256 checksums that SQLite and PostgreSQL agree on."""

from __future__ import annotations

import enum
import hashlib
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Connection, Integer, MetaData, Table, create_engine, inspect, select
from sqlalchemy import types as sqltypes
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

from thep_desktop.models import Base
from thep_desktop.models.base import Money, UtcDateTime

# The program's own column types and the Python values they hand back.
DECORATED: dict[type, type] = {Money: Decimal, UtcDateTime: datetime}

# How many rows are read (and written) at a time: big enough for speed, small enough that
# a table of 50,000 schools never sits in memory whole.
BATCH = 1000
# Told (table, rows done, rows in the table) as a long table is read or written.
TableProgress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class TableSum:
    """One table's row count and the SHA-256 of its rows in primary-key order."""

    rows: int
    sha256: str


def canonical(value: Any) -> Any:
    """A value as both databases give it back, as JSON: the one form checksums are taken of.

    Timestamps in UTC ISO form, dates ISO, money (Decimal) as its decimal string, UUIDs as
    text, bytes as hex, booleans as JSON booleans, NULL as JSON null (never the same as "");
    a JSON column's object with its keys sorted.
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, enum.Enum):
        return canonical(value.value)
    if isinstance(value, datetime):
        if value.tzinfo is None:  # a column without a zone: kept as it is, marked naive
            return value.isoformat()
        return value.astimezone(UTC).isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):  # a JSON column (an invoice's supplier): keys in one order
        return {str(k): canonical(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    raise TypeError(f"no canonical form for a {type(value).__name__}")


def row_line(values: Iterable[Any]) -> bytes:
    """One row as one line of ASCII JSON (the export's lines are exactly these)."""
    text = json.dumps([canonical(v) for v in values], ensure_ascii=True, separators=(",", ":"))
    return text.encode("ascii") + b"\n"


def decode(column: Column[Any], value: Any) -> Any:
    """A canonical value back to what ``column`` takes (the reverse of :func:`canonical`)."""
    if value is None:
        return None
    kind = column.type
    python_type: type | None = DECORATED.get(type(kind))
    if python_type is None:
        plain = kind.impl_instance if isinstance(kind, TypeDecorator) else kind
        try:
            python_type = plain.python_type
        except NotImplementedError:
            python_type = None
    if isinstance(kind, sqltypes.Enum) and kind.enum_class is not None:
        return kind.enum_class(value)
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    if python_type is time:
        return time.fromisoformat(value)
    if python_type is Decimal:
        return Decimal(value)
    if python_type is uuid.UUID:
        return uuid.UUID(value)
    if python_type is bytes:
        return bytes.fromhex(value)
    if python_type is float and isinstance(value, str):
        return float(value)
    return value


def present_tables(conn: Connection) -> list[Table]:
    """The program's tables this database has, in foreign-key order, as they are in it.

    Generic over ``Base.metadata``: a table a later version adds is covered without code of
    its own. Each column keeps the model's type where the model has the column (so money is
    Decimal and times are UTC on both databases); a column only an older or newer schema has
    is read with the type the database reports.
    """
    inspector = inspect(conn)
    names = set(inspector.get_table_names())
    tables: list[Table] = []
    metadata = MetaData()
    for model in Base.metadata.sorted_tables:
        if model.name not in names:
            continue
        columns: list[Column[Any]] = []
        keys = set(inspector.get_pk_constraint(model.name).get("constrained_columns") or [])
        for found in inspector.get_columns(model.name):
            name = found["name"]
            kind = model.c[name].type if name in model.c else found["type"]
            columns.append(Column(name, kind, primary_key=name in keys))
        tables.append(Table(model.name, metadata, *columns))
    return tables


def table_rows(conn: Connection, table: Table) -> Iterator[tuple[Any, ...]]:
    """Every row of ``table`` in primary-key order, read in batches."""
    keys = list(table.primary_key.columns) or list(table.columns)
    query = select(*table.columns).order_by(*keys)
    if all(isinstance(k.type, Integer) for k in keys):
        # On the statement, not the connection (whose options would stay for later queries).
        result = conn.execute(query.execution_options(yield_per=BATCH))
        for row in result:
            yield tuple(row)
        return
    # Text keys sort differently on the two databases (collations): sorted here instead.
    positions = [list(table.columns).index(k) for k in keys]
    rows = [tuple(row) for row in conn.execute(query)]
    rows.sort(key=lambda row: [json.dumps(canonical(row[i])) for i in positions])
    yield from rows


def table_checksums(conn: Connection, progress: TableProgress | None = None) -> dict[str, TableSum]:
    """Every table's row count and SHA-256, read on ``conn`` (inside the caller's snapshot)."""
    sums: dict[str, TableSum] = {}
    for table in present_tables(conn):
        sha = hashlib.sha256()
        count = 0
        for row in table_rows(conn, table):
            sha.update(row_line(row))
            count += 1
            if progress is not None and count % BATCH == 0:
                progress(table.name, count, 0)
        sums[table.name] = TableSum(count, sha.hexdigest())
    return sums


def differences(expected: dict[str, TableSum], found: dict[str, TableSum]) -> list[str]:
    """Where two sets of checksums disagree, one sentence per table."""
    problems: list[str] = []
    for name in sorted(set(expected) | set(found)):
        want, got = expected.get(name), found.get(name)
        if want == got:
            continue
        if want is None or got is None:
            problems.append(f"the table {name} is only on one side")
        elif want.rows != got.rows:
            problems.append(f"{name} has {got.rows:,} rows instead of {want.rows:,}")
        else:
            problems.append(f"{name} has the same number of rows but different values")
    return problems


def sums_json(sums: dict[str, TableSum]) -> dict[str, dict[str, Any]]:
    return {name: {"rows": s.rows, "sha256": s.sha256} for name, s in sums.items()}


def sums_from_json(data: dict[str, Any]) -> dict[str, TableSum]:
    return {name: TableSum(int(s["rows"]), str(s["sha256"])) for name, s in data.items()}


def sqlite_checksums(raw: sqlite3.Connection) -> dict[str, TableSum]:
    """:func:`table_checksums` on an open sqlite3 connection, inside its current transaction."""
    engine = create_engine(
        "sqlite://", creator=lambda: raw, poolclass=StaticPool, pool_reset_on_return=None
    )
    with engine.connect() as conn:
        return table_checksums(conn)
