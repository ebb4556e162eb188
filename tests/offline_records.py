"""An office on a real PostgreSQL server with the demo's records, and offline copies of it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from thep_desktop.database import Database
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.registry import Services, open_services


def office_with_demo(pg_db: Database) -> Services:
    """The office's services on ``pg_db`` (as its owner, an administrator), demo loaded."""
    office, _ = open_services(pg_db.url.render_as_string(hide_password=False))
    DemoService(office.db).load(office.actor)
    return office


def take_copy(office: Services, folder: Path, name: str = "copy.sqlite3") -> tuple[Services, Path]:
    path = folder / name
    office.offline.checkout(office.db, path)
    copy, _ = open_services(str(path))
    return copy, path


def rename_school(services: Services, urn: int, name: str) -> None:
    detail = services.schools.get_school_by_urn(services.actor, urn)
    services.schools.update_school(
        services.actor, detail.id, detail.version, replace(detail.as_input(), name=name)
    )


def school_name(services: Services, urn: int) -> str:
    return services.schools.get_school_by_urn(services.actor, urn).name
