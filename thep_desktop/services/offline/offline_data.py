"""What the offline copy's services take and give back: plain data, no sessions."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from thep_desktop.database import ServerAddress
from thep_desktop.services.offline.offline_rows import table_words
from thep_desktop.services.shared.errors import ServiceError

NOTHING_CHANGED = "Nothing was sent or received: the copy and the office are as they were."
# The whole record, in a resolution of a conflict where one side deleted it.
WHOLE_RECORD = "*"


class OfflineError(ServiceError):
    """A checkout or synchronisation refused or undone; the message says why, in words."""


@dataclass(frozen=True)
class CopyInfo:
    """What an offline copy knows of itself."""

    path: Path
    copy_id: str
    server: str  # the office server's address without its password (a postgresql:// URL)
    server_identity: str
    login: str
    role: str
    schema_revision: str
    taken_at: datetime
    base_at: datetime
    synced_at: datetime | None
    syncs: int

    @property
    def server_words(self) -> str:
        """The office's server as the window shows it: host:port / database."""
        found = ServerAddress.from_url(self.server)
        if found is None:
            return self.server
        return f"{found.host}:{found.port} / {found.database}"


class ChangeKind(enum.StrEnum):
    NEW = "new"
    CHANGED = "changed"
    DELETED = "deleted"


_CHANGE_WORDS = {
    ChangeKind.NEW: "New",
    ChangeKind.CHANGED: "Changed",
    ChangeKind.DELETED: "Deleted",
}


@dataclass(frozen=True)
class RecordChange:
    """A record one side changed since the base, to go to the other side."""

    table: str
    uuid: str
    label: str
    kind: ChangeKind
    fields: tuple[str, ...] = ()

    @property
    def words(self) -> str:
        what = f"{_CHANGE_WORDS[self.kind]} {table_words(self.table)} “{self.label}”"
        if self.kind == ChangeKind.CHANGED and self.fields:
            return f"{what}: {', '.join(f.replace('_', ' ') for f in self.fields)}"
        return what


class ConflictKind(enum.StrEnum):
    BOTH_CHANGED = "both_changed"
    CLOSED = "closed"
    DELETED_HERE = "deleted_here"
    DELETED_AT_OFFICE = "deleted_at_office"


_CONFLICT_WORDS = {
    ConflictKind.BOTH_CHANGED: "changed here and at the office",
    ConflictKind.CLOSED: "closed on one side and changed on the other",
    ConflictKind.DELETED_HERE: "deleted here, changed at the office",
    ConflictKind.DELETED_AT_OFFICE: "changed here, deleted at the office",
}


class Choice(enum.StrEnum):
    MINE = "mine"
    THEIRS = "theirs"


@dataclass(frozen=True)
class FieldConflict:
    """One field of a conflict: the original (at the copy's base), mine and theirs, as the
    databases' canonical values (None where the record is absent on that side)."""

    name: str
    original: Any
    mine: Any
    theirs: Any


@dataclass(frozen=True)
class Conflict:
    table: str
    uuid: str
    label: str
    kind: ConflictKind
    fields: tuple[FieldConflict, ...]

    @property
    def words(self) -> str:
        return (
            f"{table_words(self.table).capitalize()} “{self.label}”: {_CONFLICT_WORDS[self.kind]}"
        )

    @property
    def whole_record(self) -> bool:
        """Resolved as one (keep the deletion or the record), not field by field."""
        return self.kind in (ConflictKind.DELETED_HERE, ConflictKind.DELETED_AT_OFFICE)

    def keys(self) -> list[tuple[str, str, str]]:
        """What a resolution names: (table, uuid, field), or the whole record."""
        if self.whole_record:
            return [(self.table, self.uuid, WHOLE_RECORD)]
        return [(self.table, self.uuid, f.name) for f in self.fields]


# (table, uuid, field or WHOLE_RECORD) -> which side wins.
Resolutions = dict[tuple[str, str, str], Choice]


@dataclass(frozen=True)
class SyncPlan:
    """What a synchronisation would do now: the preview, and what ``sync`` carries out."""

    copy: CopyInfo
    send: tuple[RecordChange, ...]
    receive: tuple[RecordChange, ...]
    conflicts: tuple[Conflict, ...]
    flags: tuple[str, ...]
    # Names the conflicts as they are now: a sync resolving them checks it still holds.
    fingerprint: str

    @property
    def nothing_to_do(self) -> bool:
        return not (self.send or self.receive or self.conflicts)


@dataclass(frozen=True)
class SyncResult:
    plan: SyncPlan
    sent: int
    received: int
    resolved: int
    synced_at: datetime
    audit_rows: int = 0
    kept_mine: tuple[str, ...] = field(default=())
