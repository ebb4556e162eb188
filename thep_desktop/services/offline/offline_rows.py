"""Records read so that two databases can be compared: by uuid, with references as uuids.

Ids differ between the office's database and an offline copy once either adds a record, so
a record is compared by its ``fields``: every column but the bookkeeping ones, each value in
the checksums' canonical form (the same on SQLite and PostgreSQL), and each reference to
another record replaced by that record's uuid. ``row`` keeps the values as read, to write.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table, select

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
    row: dict[str, Any]

    @property
    def label(self) -> str:
        return record_label(self.table, self.row)


# Each table's records by uuid.
State = dict[str, dict[str, Record]]


def read_state(conn: Connection, tables: Iterable[Table] | None = None) -> State:
    """Every record of every synced table, read on ``conn`` (in its one snapshot)."""
    chosen = tuple(tables) if tables is not None else synced_tables()
    raw: dict[str, list[dict[str, Any]]] = {}
    uuids: dict[str, dict[int, str]] = {}
    for table in chosen:
        rows = [dict(r._mapping) for r in conn.execute(select(*table.c).order_by(table.c.id))]
        raw[table.name] = rows
        uuids[table.name] = {r["id"]: str(r["uuid"]) for r in rows}
    state: State = {}
    for table in chosen:
        refs = references(table.name)
        records: dict[str, Record] = {}
        for row in raw[table.name]:
            fields = portable_fields(row, refs, uuids)
            key = str(row["uuid"])
            records[key] = Record(table.name, key, row["id"], fields, row)
        state[table.name] = records
    return state


def portable_fields(
    row: Mapping[str, Any], refs: Mapping[str, str], uuids: Mapping[str, Mapping[int, str]]
) -> Fields:
    fields: Fields = {}
    for name, value in row.items():
        if name in BOOKKEEPING:
            continue
        if name in refs:
            fields[name] = None if value is None else uuids[refs[name]].get(value, f"#{value}")
        else:
            fields[name] = canonical(value)
    return fields


def encode_fields(fields: Fields) -> str:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


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
    modules = {m.local_table.name: m.class_.__module__ for m in Base.registry.mappers}
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
