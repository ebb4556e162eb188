"""A conflict's references read as the records they name, found in the copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from offline_records import office_with_demo, take_copy
from sqlalchemy import text

from thep_desktop.database import Database
from thep_desktop.services.offline.offline_values import reference_labels, value_words


def test_a_link_officer_changed_on_both_sides_reads_as_the_two_officers(
    pg_db: Database, tmp_path: Path
) -> None:
    office = office_with_demo(pg_db)
    copy, path = take_copy(office, tmp_path)
    copy.db.dispose()
    with office.db.engine.begin() as conn:
        school, was = conn.execute(
            text("SELECT id, link_officer_id FROM school ORDER BY id LIMIT 1")
        ).one()
        staff = [
            s
            for s in conn.execute(text("SELECT id, full_name FROM staff_member ORDER BY id"))
            if s.id != was
        ]
        conn.execute(
            text("UPDATE school SET link_officer_id = :s WHERE id = :i"),
            {"s": staff[1].id, "i": school},
        )
    with sqlite3.connect(path) as mine:
        mine.execute("UPDATE school SET link_officer_id = ? WHERE id = ?", (staff[0].id, school))
    mine.close()
    plan = office.offline.preview(path, office.db)
    (conflict,) = plan.conflicts
    (field,) = conflict.fields
    assert field.name == "link_officer_id"
    labels = reference_labels(path, plan.conflicts)
    mine_words = value_words("school", field.name, field.mine, labels)
    theirs_words = value_words("school", field.name, field.theirs, labels)
    assert (mine_words, theirs_words) == (staff[0].full_name, staff[1].full_name)
