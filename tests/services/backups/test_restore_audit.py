"""A restore brings back the backup's audit trail whole, and writes itself at its end."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from thep_desktop.audit_trail import verify_chain
from thep_desktop.database import Database
from thep_desktop.models import AuditEvent
from thep_desktop.services.backups.backup_service import BackupService
from thep_desktop.services.backups.database_checks import audit_chain_head
from thep_desktop.services.settings.staff_service import StaffInput, StaffService


def trail(db: Database) -> list[AuditEvent]:
    with db.read_session() as session:
        rows = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
        session.expunge_all()
    return rows


def test_a_restore_brings_back_the_backups_trail_and_records_itself(
    db: Database, actor, tmp_path: Path
) -> None:
    staff = StaffService(db)
    staff.create_staff(actor, StaffInput(full_name="Before the backup"))
    backups = BackupService(db)
    taken = backups.back_up(actor, tmp_path)
    seq, last_hash = audit_chain_head(db)
    staff.create_staff(actor, StaffInput(full_name="After the backup"))
    assert audit_chain_head(db)[0] > seq

    backups.restore(actor, taken.path, tmp_path)

    rows = trail(db)
    assert [r.action for r in rows][-1] == "restore"
    assert taken.path.name in rows[-1].detail
    assert (rows[-2].seq, rows[-2].row_hash) == (seq, last_hash)
    assert not [r for r in rows if r.record_label == "After the backup"]
    assert [r.record_label for r in rows if r.action == "create"] == ["Before the backup"]
    report = verify_chain(
        {c.name: getattr(r, c.name) for c in AuditEvent.__table__.columns} for r in rows
    )
    assert report.problems == [] and report.rows == len(rows)
