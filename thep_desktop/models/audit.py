"""The audit trail: one row per change, login, import or letter run, chained by hashes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from thep_desktop.models.base import Base, UtcDateTime

AUDIT_TABLE = "audit_event"


class AuditEvent(Base):
    """What happened, to which record, by whom and when; never changed once written.

    Rows are only ever added (PostgreSQL: no login but the owner may UPDATE or DELETE them;
    SQLite: triggers refuse both). ``seq`` numbers the rows 1, 2, 3… without gaps, and each
    row's ``row_hash`` covers its own values and the previous row's hash, so a row changed,
    removed or slipped in afterwards is found by ``thep-admin check``
    (see thep_desktop/audit_trail.py).
    """

    __tablename__ = AUDIT_TABLE

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(100), index=True)
    action: Mapped[str] = mapped_column(String(20))
    table_name: Mapped[str] = mapped_column(String(63), default="")
    record_uuid: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    record_label: Mapped[str] = mapped_column(String(300), default="")
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text, default="")
    copy_id: Mapped[str] = mapped_column(String(36), default="")
    previous_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))
