"""Alembic environment: runs on the connection or engine handed over by thep_desktop.database."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from thep_desktop.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    # Inside the caller's transaction Alembic begins and commits nothing of its own, so all
    # pending migrations apply together or not at all.
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        # Database.upgrade's connection, already in the one transaction it commits.
        run_migrations(connection)
        return
    connectable = config.attributes.get("connectable")
    if connectable is None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("no database given to the migrations")
        connectable = create_engine(url)
    with connectable.connect() as connection, connection.begin():
        run_migrations(connection)


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
