"""``thep-admin schools inspections|inspection|notes|note`` on a SQLite file and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from thep_desktop.cli.admin import main
from thep_desktop.database import Database
from thep_desktop.models import OfstedInspection, School, SchoolNote


@pytest.fixture
def register(migrated_db: str) -> str:
    db = Database(migrated_db)
    try:
        with db.session() as s:
            s.add(School(urn=100229, name="St Mary & St John", created_by="x", updated_by="x"))
    finally:
        db.dispose()
    return migrated_db


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def rows(address: str, model: type) -> int:
    db = Database(address)
    try:
        with db.read_session() as s:
            return s.scalar(select(func.count()).select_from(model)) or 0
    finally:
        db.dispose()


def test_inspections_added_listed_and_deleted(capsys, register: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "--db", register, "schools", "inspections", "100229")
    assert (code, err) == (0, "")
    assert "Not yet inspected" in out
    code, out, err = run(
        capsys, "--db", register, "schools", "inspection", "add", "100229",
        "--on", "12/03/2019", "--kind", "graded", "--grade", "requires-improvement",
        "--published", "2019-04-02",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == (
        "Recorded the graded inspection of St Mary & St John on 12/03/2019: Requires improvement.\n"
    )
    code, out, err = run(
        capsys, "--db", register, "schools", "inspection", "add", "100229",
        "--on", "2025-11-20", "--kind", "report_card", "--safeguarding", "not-met",
        "--inclusion", "needs-attention", "--url", "https://reports.ofsted.gov.uk/x", "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    card = json.loads(out)
    assert card["safeguarding"] == "not_met" and card["outcome"] == "safeguarding_not_met"
    code, out, err = run(capsys, "--db", register, "schools", "inspections", "100229", "--json")
    data = json.loads(out)
    assert [i["inspected_on"] for i in data["inspections"]] == ["2025-11-20", "2019-03-12"]
    assert data["inspections"][1]["overall_grade"] == "requires_improvement"
    assert data["inspections"][1]["published_on"] == "2019-04-02"
    code, out, err = run(capsys, "--db", register, "schools", "inspections", "100229")
    assert "Requires improvement" in out and "Safeguarding not met" in out
    code, out, err = run(
        capsys, "--db", register, "schools", "inspection", "delete", "100229", "--on", "12/03/2019"
    )
    assert (code, err) == (0, "")
    assert rows(register, OfstedInspection) == 1


def test_a_wrong_inspection_is_refused_in_words_and_nothing_saved(capsys, register: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(
        capsys, "--db", register, "schools", "inspection", "add", "100229",
        "--on", "2024-10-01", "--kind", "graded", "--grade", "good",
    )  # fmt: skip
    assert code != 0 and out == ""
    assert "Ofsted stopped giving an overall grade from September 2024" in err
    code, out, err = run(
        capsys, "--db", register, "schools", "inspection", "delete", "100229", "--on", "2020-01-01"
    )
    assert code != 0 and "This school has no inspection on 01/01/2020" in err
    assert rows(register, OfstedInspection) == 0


def test_notes_added_and_listed(capsys, register: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(
        capsys, "--db", register, "schools", "note", "add", "100229", "--on", "15/01/2026",
        "--text", "Visited: <b>new</b> head", "--subject", "Link visit", "--author", "Sam Lee",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == "Added a note on St Mary & St John dated 15/01/2026.\n"
    code, out, err = run(capsys, "--db", register, "schools", "notes", "100229", "--json")
    assert json.loads(out)["notes"] == [
        {
            "id": 1,
            "version": 1,
            "noted_on": "2026-01-15",
            "subject": "Link visit",
            "text": "Visited: <b>new</b> head",
            "author": "Sam Lee",
            "author_staff_id": None,
        }
    ]
    code, out, err = run(capsys, "--db", register, "schools", "notes", "100229")
    assert "15/01/2026 · Link visit · Sam Lee\nVisited: <b>new</b> head" in out
    code, out, err = run(
        capsys, "--db", register, "schools", "note", "add", "100229", "--on", "15/01/2026",
        "--text", " ",
    )  # fmt: skip
    assert code != 0 and "Note is required" in err
    assert rows(register, SchoolNote) == 1
