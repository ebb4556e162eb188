"""The people who use the program, each with one role."""

from __future__ import annotations

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from thep_desktop.domain.roles import Role
from thep_desktop.models.base import Base, RecordMixin, value_enum


class AppUser(RecordMixin, Base):
    """A person who may use this database.

    ``login`` is who the database knows them as: their own login role on the office's
    PostgreSQL server (the server checks the password), or their login on the computer for a
    local file. A disabled user keeps their record (the audit trail names them) but may not
    open the database.
    """

    __tablename__ = "app_user"

    login: Mapped[str] = mapped_column(String(63), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = mapped_column(value_enum(Role, "user_role"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(Text, default="")
