"""Checks shared by the import tests: counting, snapshotting and importing schools."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from thep_desktop.database import Database
from thep_desktop.models import School
from thep_desktop.services.import_export.gias_import import GiasImportService
from thep_desktop.services.import_export.import_preview import ImportPreview
from thep_desktop.services.shared.actor import Actor


def school_count(db: Database) -> int:
    with db.read_session() as s:
        return s.scalar(select(func.count(School.id))) or 0


def snapshot(db: Database) -> list[tuple]:
    with db.read_session() as s:
        return [tuple(r) for r in s.execute(select(School.__table__).order_by(School.id))]


def import_file(service: GiasImportService, actor: Actor, path: Path, la_code=None):
    preview = service.preview(actor, path, la_code=la_code)
    return preview, service.apply(actor, preview)


def check_accounting(preview: ImportPreview) -> None:
    assert preview.rows_read == (
        len(preview.new)
        + len(preview.changed)
        + len(preview.closed)
        + preview.unchanged
        + preview.rejected_rows
        + preview.rows_other_la
    )
    assert all(r.reason for r in preview.rejected)
