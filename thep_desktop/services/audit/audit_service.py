"""The audit trail read for people: a record's history, the admins' search, export, the check."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, Date, DateTime, Enum, Numeric, Select, func, or_, select
from sqlalchemy.orm import Session

from thep_desktop.audit_trail import Action, ChainReport, decode_values, verify_chain
from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.progress import Progress
from thep_desktop.domain.roles import Role
from thep_desktop.domain.schools import SchoolStatus
from thep_desktop.models import AuditEvent, Base
from thep_desktop.models.base import UtcDateTime
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ValidationError
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.users.users_permissions import VIEW_AUDIT

if TYPE_CHECKING:
    from thep_desktop.reports.shared.spreadsheet import TableData

# What each action is called on the screens, in the order the action filter lists them.
ACTION_WORDS = {
    Action.CREATE: "Created",
    Action.UPDATE: "Changed",
    Action.CLOSE: "Closed",
    Action.DELETE: "Deleted",
    Action.IMPORT: "Imported",
    Action.LETTERS: "Letters sent",
    Action.LOGIN: "Logged in",
    Action.ROLE_CHANGE: "Role changed",
    Action.REFUSED: "Refused",
    Action.RESTORE: "Restored",
    Action.OFFLINE: "Offline copy",
}
# What a kind of record is called; a table not named here is its name made readable.
KIND_WORDS = {
    "school": "School",
    "contact": "Contact",
    "staff_member": "Staff member",
    "letter_template": "Letter template",
    "correspondence": "Letter",
    "document": "Letter file",
    "letter_batch": "Letter run",
    "organisation_profile": "Organisation profile",
    "app_user": "User",
}
USER_LABELS = {"login": "Login", "full_name": "Name", "role": "Role", "active": "Active"}
DEFAULT_LIMIT = 500
_TABLE = AuditEvent.__table__
_PAGE = 2000  # rows read at a time when a whole search is exported or checked


@dataclass(frozen=True)
class FieldChange:
    """One field of a record as it was and as it became, in words (empty: no value)."""

    label: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditEntry:
    """One row of the trail as a person reads it; ``when`` is this computer's local time."""

    seq: int
    when: datetime
    who: str
    action: str
    action_words: str
    table_name: str
    kind: str
    record_uuid: uuid.UUID | None
    record_label: str
    detail: str
    changes: tuple[FieldChange, ...] = ()

    @property
    def what(self) -> str:
        """``School: Alder Primary`` (or the kind alone, or the detail for an event)."""
        if self.kind and self.record_label:
            return f"{self.kind}: {self.record_label}"
        return self.kind or self.record_label or self.detail

    @property
    def changes_text(self) -> str:
        """The changes on one line each: ``Phone: 020 7946 0000 → 020 7946 0001``."""
        return "\n".join(_change_line(change) for change in self.changes)


@dataclass(frozen=True)
class AuditFilters:
    """What the audit screen searches for; every part left empty matches everything."""

    text: str = ""
    who: str = ""
    actions: tuple[str, ...] = ()
    table: str = ""
    date_from: date | None = None
    date_to: date | None = None
    record_uuid: uuid.UUID | None = None

    def in_words(self) -> str:
        """The filters as a sentence for an export's subtitle; empty for everything."""
        parts = []
        if self.text:
            parts.append(f"containing “{self.text}”")
        if self.who:
            parts.append(f"by {self.who}")
        if self.actions:
            parts.append(", ".join(action_words(a) for a in self.actions).lower())
        if self.table:
            parts.append(f"records of kind {kind_words(self.table).lower()}")
        if self.record_uuid:
            parts.append(f"record {self.record_uuid}")
        if self.date_from:
            parts.append(f"from {format_date(self.date_from)}")
        if self.date_to:
            parts.append(f"to {format_date(self.date_to)}")
        return "; ".join(parts)


@dataclass(frozen=True)
class AuditPage:
    """The newest rows that match (at most ``limit``, from ``offset``) and how many match."""

    entries: list[AuditEntry]
    total: int
    offset: int = 0

    @property
    def count_line(self) -> str:
        """``1,234 events; showing the newest 500`` for the screen's count line."""
        if self.total == 0:
            return "No events match."
        events = f"{self.total:,} event{'s' if self.total != 1 else ''}"
        if len(self.entries) == self.total:
            return events
        first, last = self.offset + 1, self.offset + len(self.entries)
        if self.offset == 0:
            return f"{events}; showing the newest {len(self.entries):,}"
        return f"{events}; showing {first:,} to {last:,}"


@dataclass(frozen=True)
class TrailCheck:
    """The chain's verification, for the "Check the trail" button."""

    rows: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def words(self) -> str:
        if self.ok:
            return (
                f"The audit trail is unbroken: all {self.rows:,} events are as they were "
                "written, none missing and none added afterwards."
            )
        return "The audit trail has problems:\n" + "\n".join(f"• {p}" for p in self.problems)


def action_words(action: str) -> str:
    try:
        return ACTION_WORDS[Action(action)]
    except ValueError:
        return action.replace("_", " ").capitalize()


def kind_words(table_name: str) -> str:
    if not table_name:
        return ""
    return KIND_WORDS.get(table_name, table_name.replace("_", " ").capitalize())


def _change_line(change: FieldChange) -> str:
    before, after = change.before or "(empty)", change.after or "(empty)"
    if not change.before and change.after:
        return f"{change.label}: {after}"
    return f"{change.label}: {before} → {after}"


# -- values in words ------------------------------------------------------------------------------
def _field_labels(table_name: str) -> dict[str, str]:
    # Each area's own labels, as its forms show them; imported here (not at the top) so
    # reading the trail does not load every area.
    if table_name == "school":
        from thep_desktop.services.schools.school_checks import SCHOOL_LABELS

        return SCHOOL_LABELS
    if table_name == "contact":
        from thep_desktop.services.schools.school_contacts import CONTACT_LABELS

        return {**CONTACT_LABELS, "full_name": "Name", "school_id": "School"}
    if table_name == "staff_member":
        from thep_desktop.services.settings.staff_service import STAFF_LABELS

        return {**STAFF_LABELS, "active": "Active"}
    if table_name == "letter_template":
        from thep_desktop.services.letters.letter_templates import TEMPLATE_LABELS

        return TEMPLATE_LABELS
    if table_name == "organisation_profile":
        from thep_desktop.services.settings.organisation_service import PROFILE_LABELS

        return PROFILE_LABELS
    if table_name == "app_user":
        return USER_LABELS
    return {}


def field_label(table_name: str, column: str) -> str:
    """A column's label as the program's forms show it, else its name made readable."""
    label = _field_labels(table_name).get(column)
    if label:
        return label
    words = column.removesuffix("_id").replace("_", " ")
    return words[:1].upper() + words[1:]


def _enum_words(column: str, value: str) -> str:
    try:
        if column == "status":
            return SchoolStatus(value).label
        if column == "role":
            return Role(value).value.capitalize()
    except ValueError:
        pass
    return value


def value_words(
    table_name: str, column: str, value: Any, names: dict[tuple[str, Any], str] | None = None
) -> str:
    """A value as stored in the trail (JSON), in the words the program shows it."""
    if value is None or value == "":
        return ""
    table = Base.metadata.tables.get(table_name)
    col = table.c.get(column) if table is not None else None
    kind = col.type if col is not None else None
    if isinstance(value, dict) and "bytes" in value:
        return f"a file of {int(value['bytes']):,} bytes"
    if isinstance(value, bool) or isinstance(kind, Boolean):
        return "Yes" if value in (True, 1, "1", "true") else "No"
    if col is not None and col.foreign_keys and names is not None:
        name = names.get((next(iter(col.foreign_keys)).column.table.name, value))
        if name:
            return name
    if isinstance(kind, UtcDateTime | DateTime) and isinstance(value, str):
        try:
            return f"{datetime.fromisoformat(value).astimezone():%d/%m/%Y %H:%M}"
        except ValueError:
            return value
    if isinstance(kind, Date) and isinstance(value, str):
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(kind, Numeric) and not isinstance(kind, Boolean):
        try:
            return f"£{Decimal(str(value)):,.2f}"
        except InvalidOperation:
            return str(value)
    if isinstance(kind, Enum):
        return _enum_words(column, str(value))
    return str(value)


def _referenced(events: Iterable[Any]) -> dict[str, set[Any]]:
    """The ids each event's foreign-key fields point at, by the table they point into."""
    wanted: dict[str, set[Any]] = {}
    for event in events:
        table = Base.metadata.tables.get(event.table_name or "")
        if table is None:
            continue
        for values in (decode_values(event.before), decode_values(event.after)):
            for column, value in values.items():
                col = table.c.get(column)
                if col is not None and col.foreign_keys and value is not None:
                    target = next(iter(col.foreign_keys)).column.table.name
                    wanted.setdefault(target, set()).add(value)
    return wanted


def _names(session: Session, wanted: dict[str, set[Any]]) -> dict[tuple[str, Any], str]:
    """The label of each record an id points at (a link officer's name, a school's name)."""
    from thep_desktop.audit_trail import label_of

    names: dict[tuple[str, Any], str] = {}
    for table_name, ids in wanted.items():
        table = Base.metadata.tables[table_name]
        for row in session.execute(select(table).where(table.c.id.in_(sorted(ids)))):
            label = label_of(row._mapping)
            if label:
                names[(table_name, row.id)] = label
    return names


def _changes(event: Any, names: dict[tuple[str, Any], str]) -> tuple[FieldChange, ...]:
    before, after = decode_values(event.before), decode_values(event.after)
    table = event.table_name or ""
    changes = []
    columns = list(dict.fromkeys([*after, *before]))
    known = Base.metadata.tables.get(table)
    if known is not None:  # in the order of the record's columns, as its form has them
        order = {name: number for number, name in enumerate(known.c.keys())}
        columns.sort(key=lambda name: order.get(name, len(order)))
    for column in columns:
        if column == "uuid":
            continue
        old = value_words(table, column, before.get(column), names)
        new = value_words(table, column, after.get(column), names)
        if event.action == Action.CREATE and not new:
            continue  # a new record's empty fields say nothing
        if event.action == Action.DELETE and not old:
            continue
        changes.append(FieldChange(field_label(table, column), old, new))
    return tuple(changes)


def _entry(event: Any, names: dict[tuple[str, Any], str]) -> AuditEntry:
    when = event.occurred_at
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return AuditEntry(
        seq=int(event.seq),
        when=when.astimezone(),
        who=event.actor,
        action=event.action,
        action_words=action_words(event.action),
        table_name=event.table_name or "",
        kind=kind_words(event.table_name or ""),
        record_uuid=event.record_uuid,
        record_label=event.record_label or "",
        detail=event.detail or "",
        changes=_changes(event, names),
    )


def _entries(session: Session, events: Sequence[Any]) -> list[AuditEntry]:
    names = _names(session, _referenced(events))
    return [_entry(event, names) for event in events]


# -- the service ----------------------------------------------------------------------------------
def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


def _filtered(statement: Select[Any], filters: AuditFilters) -> Select[Any]:
    c = _TABLE.c
    if filters.text.strip():
        text = filters.text.strip()
        statement = statement.where(
            or_(
                *(
                    column.icontains(text, autoescape=True)
                    for column in (c.record_label, c.detail, c.before, c.after, c.actor)
                )
            )
        )
    if filters.who.strip():
        statement = statement.where(func.lower(c.actor) == filters.who.strip().lower())
    if filters.actions:
        statement = statement.where(c.action.in_([str(a) for a in filters.actions]))
    if filters.table:
        statement = statement.where(c.table_name == filters.table)
    if filters.record_uuid is not None:
        statement = statement.where(c.record_uuid == filters.record_uuid)
    if filters.date_from is not None:
        statement = statement.where(c.occurred_at >= _local_midnight(filters.date_from))
    if filters.date_to is not None:
        until = _local_midnight(filters.date_to + timedelta(days=1))
        statement = statement.where(c.occurred_at < until)
    return statement


def _check_dates(filters: AuditFilters) -> None:
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ValidationError(
            {
                "date_to": f"The “from” date ({format_date(filters.date_from)}) is after "
                f"the “to” date "
                f"({format_date(filters.date_to)}): swap them to search between the two."
            }
        )


class AuditService:
    """Reads the audit trail (written by thep_desktop/audit_trail.py) for people."""

    def __init__(self, database: Database) -> None:
        self.db = database

    def history(self, actor: Actor, record_uuid: uuid.UUID) -> list[AuditEntry]:
        """Every event of one record, newest first, and of the records that belong to it
        (a school's contacts and the letters sent to it)."""
        actor.require(VIEW)
        c = _TABLE.c
        with self.db.read_session() as session:
            own = session.execute(
                select(c.table_name).where(c.record_uuid == record_uuid).limit(1)
            ).scalar()
            matches: list[Any] = [c.record_uuid == record_uuid]
            matches += self._belonging(session, own or "", record_uuid)
            owned = self._belonging(session, own or "", record_uuid, owned_only=True)
            if owned:
                # A change to a row the record owns (a membership period admitted, a
                # contact's new email) carries only what changed, not the owner's id: the
                # rows are found by the events that did name it, then all of their events.
                uuids = session.execute(
                    select(c.record_uuid).where(or_(*owned)).distinct()
                ).scalars()
                matches.append(c.record_uuid.in_(list(uuids)))
            events = session.execute(
                select(_TABLE).where(or_(*matches)).order_by(c.seq.desc())
            ).all()
            return _entries(session, events)

    @staticmethod
    def _belonging(
        session: Session, table_name: str, record_uuid: uuid.UUID, *, owned_only: bool = False
    ) -> list[Any]:
        """Conditions matching the events of rows that point at this record (by its id,
        which their values carry: ``"school_id":12``). ``owned_only``: only rows that cannot
        be without it (a period of its member), not those that merely name it (a school's
        link officer)."""
        table = Base.metadata.tables.get(table_name)
        if table is None or "id" not in table.c:
            return []
        record_id = session.execute(select(table.c.id).where(table.c.uuid == record_uuid)).scalar()
        if record_id is None:
            return []  # the record itself is gone: its own events are what is left
        c = _TABLE.c
        conditions = []
        for other in Base.metadata.sorted_tables:
            if other.name == table_name or "uuid" not in other.c:
                continue
            for fk in other.foreign_keys:
                if fk.column.table.name != table_name or (owned_only and fk.parent.nullable):
                    continue
                # The trail's JSON is written compact with sorted keys (audit_trail.py).
                key = f'"{fk.parent.name}":{int(record_id)}'
                found = or_(
                    *(
                        column.like(f"%{key}{end}%")
                        for column in (c.before, c.after)
                        for end in (",", "}")
                    )
                )
                conditions.append((c.table_name == other.name) & found)
        return conditions

    def search(
        self,
        actor: Actor,
        text: str = "",
        who: str = "",
        actions: Sequence[str] = (),
        table: str = "",
        date_from: date | None = None,
        date_to: date | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
        *,
        record_uuid: uuid.UUID | None = None,
    ) -> AuditPage:
        """The newest events that match, and how many match in all (administrators)."""
        actor.require(VIEW_AUDIT)
        filters = AuditFilters(
            text, who, tuple(actions), table, date_from, date_to, record_uuid=record_uuid
        )
        return self.search_filters(actor, filters, limit=limit, offset=offset)

    def search_filters(
        self, actor: Actor, filters: AuditFilters, *, limit: int = DEFAULT_LIMIT, offset: int = 0
    ) -> AuditPage:
        actor.require(VIEW_AUDIT)
        _check_dates(filters)
        if limit < 1 or offset < 0:
            raise ValidationError({"limit": "Show at least one event, from the first on."})
        with self.db.read_session() as session:
            total = session.execute(
                _filtered(select(func.count()).select_from(_TABLE), filters)
            ).scalar_one()
            events = session.execute(
                _filtered(select(_TABLE), filters)
                .order_by(_TABLE.c.seq.desc())
                .limit(limit)
                .offset(offset)
            ).all()
            return AuditPage(_entries(session, events), int(total), offset)

    def people(self, actor: Actor) -> list[str]:
        """Everyone the trail names, for the "who" filter."""
        actor.require(VIEW_AUDIT)
        with self.db.read_session() as session:
            found = session.scalars(select(_TABLE.c.actor).distinct().order_by(_TABLE.c.actor))
            return [name for name in found if name]

    def kinds(self, actor: Actor) -> list[tuple[str, str]]:
        """(table, words) of every kind of record the trail names, for the "kind" filter."""
        actor.require(VIEW_AUDIT)
        with self.db.read_session() as session:
            found = session.scalars(select(_TABLE.c.table_name).distinct())
            return sorted(((t, kind_words(t)) for t in found if t), key=lambda pair: pair[1])

    def all_matching(self, actor: Actor, filters: AuditFilters) -> list[AuditEntry]:
        """Every event that matches, newest first (for an export)."""
        actor.require(VIEW_AUDIT)
        _check_dates(filters)
        entries: list[AuditEntry] = []
        with self.db.read_session() as session:
            statement = _filtered(select(_TABLE), filters).order_by(_TABLE.c.seq.desc())
            offset = 0
            while True:
                events = session.execute(statement.limit(_PAGE).offset(offset)).all()
                entries += _entries(session, events)
                if len(events) < _PAGE:
                    return entries
                offset += _PAGE

    def table(
        self,
        actor: Actor,
        rows_or_filters: AuditFilters | Sequence[AuditEntry],
        *,
        title: str = "Audit trail",
    ) -> TableData:
        """Events as a table for a workbook: every event matching filters (administrators),
        or the entries given (a record's history, which anyone who sees the record may)."""
        from thep_desktop.reports.audit.audit_workbook import audit_table

        if isinstance(rows_or_filters, AuditFilters):
            entries = self.all_matching(actor, rows_or_filters)
            subtitle = rows_or_filters.in_words()
        else:
            actor.require(VIEW)
            entries = list(rows_or_filters)
            subtitle = ""
        return audit_table(
            [_plain(e) for e in entries],
            title=title,
            subtitle=subtitle,
            source=str(self.db.describe()),
        )

    def export(
        self,
        actor: Actor,
        rows_or_filters: AuditFilters | Sequence[AuditEntry],
        path: str | Path,
        progress: Progress | None = None,
        *,
        title: str = "Audit trail",
    ) -> int:
        """Write events to an Excel workbook (typed: the time as a date and time); how many."""
        from thep_desktop.reports.shared.spreadsheet import SUFFIX_MESSAGE, write_xlsx

        if Path(path).suffix.lower() != ".xlsx":
            raise ValidationError({"path": SUFFIX_MESSAGE.replace(" or .csv", "")})
        return write_xlsx(path, self.table(actor, rows_or_filters, title=title), progress)

    def check(self, actor: Actor, progress: Progress | None = None) -> TrailCheck:
        """Verify the whole chain (administrators): every event as written, none missing.

        ``progress`` hears how far it is, every few thousand events, and may stop it.
        """
        actor.require(VIEW_AUDIT)
        with self.db.read_session() as session:
            total = session.execute(select(func.count()).select_from(_TABLE)).scalar_one()
            rows = session.execute(
                select(_TABLE).order_by(_TABLE.c.seq).execution_options(yield_per=_PAGE)
            )

            def reported() -> Iterator[Any]:
                for number, row in enumerate(rows):
                    if progress is not None and number % _PAGE == 0:
                        progress.report(number, total, f"Checked {number:,} of {total:,} events")
                    yield row._mapping

            report: ChainReport = verify_chain(reported())
        return TrailCheck(report.rows, list(report.problems))


def _plain(entry: AuditEntry) -> dict[str, Any]:
    """An entry as the report takes it (plain values, no service types)."""
    return {
        "seq": entry.seq,
        "when": entry.when,
        "who": entry.who,
        "action": entry.action_words,
        "kind": entry.kind,
        "record": entry.record_label,
        "record_uuid": str(entry.record_uuid) if entry.record_uuid else "",
        "detail": entry.detail,
        "changes": entry.changes_text,
    }


def json_entry(entry: AuditEntry) -> dict[str, Any]:
    """An entry for ``--json``: snake_case keys, the time in ISO 8601 (UTC)."""
    return {
        "seq": entry.seq,
        "occurred_at": entry.when.astimezone(UTC),
        "who": entry.who,
        "action": entry.action,
        "action_words": entry.action_words,
        "table": entry.table_name,
        "kind": entry.kind,
        "record_uuid": entry.record_uuid,
        "record_label": entry.record_label,
        "detail": entry.detail,
        "changes": [
            {"field": c.label, "before": c.before, "after": c.after} for c in entry.changes
        ],
    }


__all__ = [
    "ACTION_WORDS",
    "AuditEntry",
    "AuditFilters",
    "AuditPage",
    "AuditService",
    "FieldChange",
    "TrailCheck",
    "json_entry",
]
