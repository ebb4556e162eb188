"""Declarative base, constraint naming convention, reusable column types and record mixins."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from sqlalchemy import BigInteger, DateTime, Enum, Integer, MetaData, String, Uuid
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

# Named constraints make Alembic migrations (and SQLite batch mode) deterministic.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PENNY = Decimal("0.01")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite stores no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC timestamp column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        zone = value.tzinfo
        if zone is None:
            return value.replace(tzinfo=UTC)
        if zone is UTC:  # already so (a server whose session runs in UTC): as it is
            return value
        return value.astimezone(UTC)


class Money(TypeDecorator[Decimal]):
    """Pounds as ``Decimal``, stored exactly as integer pence on every backend.

    Binary floats never touch the value: SQLite has no exact decimal type, so whole pence
    in a BIGINT are the one representation both databases keep exactly. A value with
    fractions of a penny is refused here; rounding happens in the services, at the points
    the domain defines, never silently in storage.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            if isinstance(value, float):
                raise TypeError("money must be a Decimal, never a float")
            value = Decimal(value)
        pence = value * 100
        if pence != pence.to_integral_value():
            raise ValueError(f"money value {value} has fractions of a penny; round it first")
        return int(pence)

    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        # Whole pence moved two places: exactly pounds and pence (two decimal places, as
        # quantize to the penny gives), without a division (a large office reads 250,000).
        return Decimal(value).scaleb(-2)


def value_enum(kind: type[enum.Enum], name: str, length: int = 20) -> Enum:
    """An enumeration stored as its values' text with a CHECK of the values (not a native
    PostgreSQL type, so both databases keep it alike and a new value needs no ALTER TYPE)."""
    return Enum(
        kind,
        native_enum=False,
        create_constraint=True,
        length=length,
        name=name,
        values_callable=lambda e: [m.value for m in e],
    )


def round_money(value: Decimal) -> Decimal:
    """Round to the penny, halves away from zero (UK invoicing practice)."""
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
str50 = Annotated[str, mapped_column(String(50))]
str100 = Annotated[str, mapped_column(String(100))]
str200 = Annotated[str, mapped_column(String(200))]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class RecordMixin:
    """Columns every record carries.

    ``uuid`` identifies a record across databases (the treasurer's offline copy merges back
    by it); ``version`` is SQLAlchemy's optimistic lock: an UPDATE names the version it read,
    so a change made meanwhile by someone else is detected instead of overwritten.
    """

    id: Mapped[intpk] = mapped_column(sort_order=-2)
    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, default=uuid.uuid4, unique=True, sort_order=-1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}
