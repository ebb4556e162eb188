"""The treasurer's offline copy: what a copy knows of where it came from, and its starting point.

The tables stay empty in the office's own database; a copy taken with ``thep-admin offline
checkout`` (or File > Take an offline copy) holds one :class:`OfflineCopy` row and one
:class:`OfflineBaseRow` per record as it was at the office when the copy was taken or last
synchronised. Synchronising compares three states of each record by its uuid: the base
(here), the copy's own (mine) and the office's now (theirs).

Neither table has a ``uuid`` column, so the audit trail leaves them out: they are the
copy's bookkeeping, not the office's records.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from thep_desktop.models.base import Base, UtcDateTime

OFFLINE_COPY_TABLE = "offline_copy"
OFFLINE_BASE_TABLE = "offline_base_row"
OFFLINE_CHANGE_TABLE = "offline_change"


class OfflineCopy(Base):
    """The one row of an offline copy: which office database, whose copy, since when."""

    __tablename__ = OFFLINE_COPY_TABLE

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    copy_id: Mapped[str] = mapped_column(String(36), unique=True)
    # The office server's address without its password (a postgresql:// URL naming the
    # login, host, port and database): where the next synchronisation connects by default.
    server: Mapped[str] = mapped_column(String(500))
    # What makes the office database itself recognisable wherever its server moves: the hash
    # of the first row of its audit trail, which no one may change.
    server_identity: Mapped[str] = mapped_column(String(64))
    login: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    schema_revision: Mapped[str] = mapped_column(String(64))
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # When the base rows were last brought up to the office's state (taken_at at first).
    base_at: Mapped[datetime] = mapped_column(UtcDateTime)
    synced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    syncs: Mapped[int] = mapped_column(Integer, default=0)


class OfflineBaseRow(Base):
    """One record as the office had it when the copy was taken or last synchronised.

    ``fields`` is the record's columns as JSON in the checksums' canonical form, with each
    reference to another record given as that record's uuid (ids differ between databases).
    """

    __tablename__ = OFFLINE_BASE_TABLE

    table_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    record_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    fields: Mapped[str] = mapped_column(Text)


class OfflineChange(Base):
    """A record the copy changed since its base: written by triggers on every record table of
    the copy (never on the office's database), so every change is named whatever made it (a
    form, an import, a mass update), and a synchronisation compares only these records of
    the copy with their base instead of reading every record."""

    __tablename__ = OFFLINE_CHANGE_TABLE

    table_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    record_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
