"""Alembic environment: runs against the engine handed over by ``thep_desktop.database``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from thep_desktop.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connectable = config.attributes.get("connectable")
    if connectable is None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("no database given to the migrations")
        connectable = create_engine(url)
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
