"""Records read so that two databases can be compared: by uuid, with references as uuids.

Ids differ between the office's database and an offline copy once either adds a record, so
a record is compared by its ``fields``: every column but the bookkeeping ones, each value in
the checksums' canonical form (the same on SQLite and PostgreSQL), and each reference to
another record replaced by that record's uuid. ``row`` keeps the values as read, to write.
"""

from __future__ import annotations

import enum
import json
import uuid
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Connection, Date, DateTime, String, Table, select, type_coerce

from thep_desktop.models import Base
from thep_desktop.models.audit import AUDIT_TABLE
from thep_desktop.models.base import Money, UtcDateTime
from thep_desktop.services.backups.table_checksums import canonical

# Columns that say when and by whom, or how often, a record changed, not what it says; they
# are set afresh wherever a change is written (the audit trail leaves out the same ones).
BOOKKEEPING = frozenset({"id", "version", "created_at", "created_by", "updated_at", "updated_by"})
# A change of one of these to a closing value closes the record.
_CLOSED = (("status", "closed"), ("active", False))

Fields = dict[str, Any]


@cache
def synced_tables() -> tuple[Table, ...]:
    """The office's record tables, parents before children: every table with a uuid."""
    return tuple(t for t in Base.metadata.sorted_tables if "uuid" in t.c and t.name != AUDIT_TABLE)


@cache
def references(table_name: str) -> dict[str, str]:
    """Each column of the table naming another record, and that record's table."""
    table = Base.metadata.tables[table_name]
    return {
        key.parent.name: key.column.table.name
        for key in table.foreign_keys
        if key.column.name == "id"
    }


@dataclass(frozen=True)
class Record:
    table: str
    uuid: str
    id: int
    fields: Fields
    # Every column as read, to write; empty for a record of a copy read without it (one its
    # triggers say is unchanged since the base: see read_changed_state).
    row: dict[str, Any]
    version: int | None = None

    @property
    def label(self) -> str:
        return record_label(self.table, self.row or self.fields)

    @property
    def row_version(self) -> int | None:
        return self.row["version"] if self.row else self.version


# Each table's records by uuid.
State = dict[str, dict[str, Record]]


def read_state(
    conn: Connection,
    tables: Iterable[Table] | None = None,
    *,
    unchanged: Mapping[str, Mapping[str, Fields]] | None = None,
    changed: Container[tuple[str, str]] = (),
) -> State:
    """Every record of every synced table, read on ``conn`` (in its one snapshot).

    ``unchanged``: the fields of records known not to have changed since (an offline copy's
    base, when its triggers name every record changed since: ``changed``); those records
    take their fields from it instead of being put in canonical form again, which is most
    of the time reading a large copy takes.
    """
    chosen = tuple(tables) if tables is not None else synced_tables()
    raw = {table.name: _rows(conn, select(*table.c).order_by(table.c.id)) for table in chosen}
    uuids = {name: {r["id"]: str(r["uuid"]) for r in rows} for name, rows in raw.items()}
    return {
        table.name: _records(
            table.name,
            raw[table.name],
            uuids,
            unchanged.get(table.name) if unchanged is not None else None,
            changed,
        )
        for table in chosen
    }


def read_changed_state(
    conn: Connection, base: Mapping[str, Mapping[str, Fields]], changed: Container[tuple[str, str]]
) -> State:
    """An offline copy's records, read in full only where its triggers say they changed
    since the base (or where the base does not know them): the rest are the base's fields
    with their id and version, which is all a synchronisation compares of them. (A record
    kept whole with the copy's choice is read in full when it is written: with_rows.)"""
    tables = synced_tables()
    held: dict[str, list[tuple[int, str, int]]] = {}
    for table in tables:
        stored = type_coerce(table.c.uuid, String)
        found = conn.execute(select(table.c.id, stored, table.c.version).order_by(table.c.id))
        held[table.name] = [(i, uuid_text(k), v) for i, k, v in found.all()]
    uuids = {name: {i: k for i, k, _v in rows} for name, rows in held.items()}
    state: State = {}
    for table in tables:
        name = table.name
        known = base.get(name, {})
        wanted = [k for _i, k, _v in held[name] if (name, k) in changed or k not in known]
        full: dict[str, Record] = {}
        if wanted:
            rows: list[dict[str, Any]] = []
            for start in range(0, len(wanted), 500):
                chunk = [uuid.UUID(k) for k in wanted[start : start + 500]]
                rows += _rows(conn, select(*table.c).where(table.c.uuid.in_(chunk)))
            full = _records(name, rows, uuids)
        state[name] = {
            k: full.get(k) or Record(name, k, i, known[k], {}, v) for i, k, v in held[name]
        }
    return state


def uuid_text(stored: Any) -> str:
    """A uuid as SQLite stores it (32 hex digits), or any other form, in its usual form."""
    if isinstance(stored, str) and len(stored) == 32:
        text = stored.lower()
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    return str(stored if isinstance(stored, uuid.UUID) else uuid.UUID(str(stored)))


def reread(conn: Connection, state: State, written: Mapping[str, Iterable[str]]) -> State:
    """``state`` with the records named in ``written`` (table: uuids) read again on
    ``conn``: the office after saving only those (inserted or updated, nothing deleted, so
    no other record changed) without reading every record twice."""
    fresh = dict(state)
    uuids = {name: {r.id: key for key, r in records.items()} for name, records in state.items()}
    raw: dict[str, list[dict[str, Any]]] = {}
    for name, keys in written.items():
        table = Base.metadata.tables[name]
        wanted = sorted(set(keys))
        rows: list[dict[str, Any]] = []
        for start in range(0, len(wanted), 500):
            chunk = [uuid.UUID(k) for k in wanted[start : start + 500]]
            rows += _rows(conn, select(*table.c).where(table.c.uuid.in_(chunk)))
        raw[name] = rows
        uuids.setdefault(name, {}).update((r["id"], str(r["uuid"])) for r in rows)
    for name, rows in raw.items():
        fresh[name] = {**state.get(name, {}), **_records(name, rows, uuids)}
    return fresh


def _rows(conn: Connection, statement: Any) -> list[dict[str, Any]]:
    result = conn.execute(statement)
    # The column names once, not a mapping per row: a large office has 50,000 rows.
    names = tuple(result.keys())
    return [dict(zip(names, r, strict=True)) for r in result.all()]


def _records(
    name: str,
    rows: Iterable[dict[str, Any]],
    uuids: Mapping[str, Mapping[int, str]],
    unchanged: Mapping[str, Fields] | None = None,
    changed: Container[tuple[str, str]] = (),
) -> dict[str, Record]:
    columns = _compared_columns(name)
    by_id = uuids[name]
    records: dict[str, Record] = {}
    for row in rows:
        key = by_id[row["id"]]
        known = unchanged.get(key) if unchanged is not None else None
        if known is None or (name, key) in changed:
            known = portable_fields(columns, row, uuids)
        records[key] = Record(name, key, row["id"], known, row)
    return records


@cache
def _compared_columns(table_name: str) -> tuple[tuple[str, str | None], ...]:
    """The columns a record is compared by, each with the table it refers to (or None)."""
    refs = references(table_name)
    return tuple(
        (c.name, refs.get(c.name))
        for c in Base.metadata.tables[table_name].c
        if c.name not in BOOKKEEPING
    )


# Values that are their own canonical form (exactly these types: a str enum goes through
# canonical, which gives it back as it is), and those whose canonical form is their text.
_PLAIN = frozenset({str, int, bool, type(None)})
_AS_TEXT = frozenset({Decimal, uuid.UUID})


def portable_fields(
    columns: Iterable[tuple[str, str | None]],
    row: Mapping[str, Any],
    uuids: Mapping[str, Mapping[int, str]],
) -> Fields:
    """The row's ``columns`` (each with the table it refers to, or None) as compared."""
    fields: Fields = {}
    for name, target in columns:
        value = row[name]
        kind = type(value)
        if target is not None:
            fields[name] = None if value is None else uuids[target].get(value, f"#{value}")
        elif kind in _PLAIN:
            fields[name] = value
        elif kind in _AS_TEXT:
            fields[name] = str(value)
        elif kind is date:
            fields[name] = value.isoformat()
        else:
            fields[name] = canonical(value)
    return fields


# One encoder for every record (json.dumps with options makes a new one per call).
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def encode_fields(fields: Fields) -> str:
    return _ENCODER.encode(fields)


def decode_fields(text: str) -> Fields:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("a base row's fields are not an object")
    return value


def changed_fields(before: Fields, after: Fields) -> list[str]:
    """The fields whose value differs; a field the earlier state does not know (a column a
    later version of the program added) is not a change."""
    return [name for name in before if name in after and before[name] != after[name]]


def closes(before: Fields, after: Fields) -> bool:
    """Does the change from ``before`` to ``after`` close the record (a status of closed, or
    no longer active)?"""
    for name, closed in _CLOSED:
        if name in before and name in after and before[name] != closed and after[name] == closed:
            return True
    return False


_LABEL_FIELDS = (
    "number",
    "name",
    "full_name",
    "title",
    "login",
    "subject",
    "code",
    "text",
    "reference",
    "academic_year",
)


def record_label(table: str, row: Mapping[str, Any]) -> str:
    """A few words naming the record for a person (its number, name or title)."""
    for name in _LABEL_FIELDS:
        value = row.get(name)
        if value:
            value = value.value if isinstance(value, enum.Enum) else value
            text = str(value).replace("\n", " ")
            return text if len(text) <= 60 else text[:59] + "…"
    return f"{table.replace('_', ' ')} {str(row.get('uuid', ''))[:8]}"


TABLE_WORDS = {
    "app_user": "user",
    "invoice": "invoice or credit note",
    "invoice_line": "invoice line",
    "fee_run": "fee run",
    "fee_schedule": "fee schedule",
    "fee_period": "fee period",
    "governing_body": "governing body",
    "governance_person": "person (governance)",
    "governance_action": "action",
    "meeting_attendance": "attendance",
    "interest_declaration": "declaration of interest",
    "minutes_erratum": "erratum",
    "agenda_item": "agenda item",
    "agenda_paper": "agenda paper",
    "cluster_school": "cluster's school",
    "review_school": "reviewing school",
    "school_census": "census figures",
    "school_closure": "closure day",
    "term_dates": "term dates",
    "number_series": "number series",
    "invoice_settings": "invoice settings",
    "membership_rules": "membership rules",
    "membership_period": "membership period",
    "notice_exception": "notice exception",
    "organisation_profile": "organisation profile",
    "service_item": "service catalogue item",
    "staff_member": "member of staff",
    "letter_template": "letter template",
    "letter_batch": "letter run",
    "invoice_reminder": "reminder",
    "review_cycle": "review cycle",
}


def table_words(table: str) -> str:
    """What a person calls a record of the table."""
    return TABLE_WORDS.get(table, table.replace("_", " "))


# The office's areas as a person names them, keyed as the models' modules are named (one
# module per area), so a new table joins its area without being listed here.
AREA_WORDS = {
    "school": "Schools and contacts",
    "staff": "Staff",
    "memberships": "Members and fees",
    "invoices": "Invoices and payments",
    "peer_reviews": "Peer reviews",
    "governance": "Governance",
    "letters": "Letters",
    "organisation": "Organisation",
    "users": "Users",
}


@cache
def table_areas() -> dict[str, str]:
    """Each synced table's area of the office: the name of the models' module it is in."""
    modules = {
        str(m.persist_selectable.description): m.class_.__module__ for m in Base.registry.mappers
    }
    return {t.name: modules.get(t.name, "other").rsplit(".", 1)[-1] for t in synced_tables()}


def typed_value(table: str, name: str, value: Any) -> Any:
    """A field's canonical value (as a conflict's fields hold it) as the Python value it
    stands for, for showing: a date, a time, money as Decimal; anything else as it is."""
    column = Base.metadata.tables[table].c.get(name)
    if not isinstance(value, str) or column is None:
        return value
    kind = column.type
    try:
        if isinstance(kind, Money):
            return Decimal(value)
        if isinstance(kind, UtcDateTime | DateTime):
            return datetime.fromisoformat(value)
        if isinstance(kind, Date):
            return date.fromisoformat(value)
    except (ValueError, ArithmeticError):  # not what the column says: shown as it is
        return value
    return value


def area_words(area: str) -> str:
    return AREA_WORDS.get(area, area.replace("_", " ").capitalize())
