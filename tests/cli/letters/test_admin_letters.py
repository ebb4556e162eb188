"""``thep-admin letters``: templates and mail merge from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from thep_desktop.cli.admin import main
from thep_desktop.database import Database

MEETING = [
    "--set", "meeting.name=Annual General Meeting",
    "--set", "meeting.date=Thursday 14 January 2027",
    "--set", "meeting.time=4.00 pm",
    "--set", "meeting.place=the Professional Development Centre",
    "--set", "meeting.business=to receive the accounts",
]  # fmt: skip


@pytest.fixture
def demo(demo_copy: str) -> str:
    """A copy of the demo database per test (file and server), since rendering records history."""
    return demo_copy


def letters_sent(address: str) -> int:
    """How many letters the schools' history records."""
    db = Database(address)
    try:
        with db.engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM correspondence")).scalar_one()
    finally:
        db.dispose()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_templates_are_listed_as_text_and_json(capsys, demo: str) -> None:  # type: ignore[no-untyped-def]
    code, out, _err = run(capsys, "--db", demo, "letters", "templates")
    assert code == 0 and "Notice of general meeting" in out and "6 templates" in out
    code, out, _err = run(capsys, "--db", demo, "letters", "templates", "--json")
    data = json.loads(out)
    assert data["count"] == 6
    meeting = next(t for t in data["templates"] if t["key"] == "general_meeting")
    assert meeting["built_in"] is True and meeting["changed_from_built_in"] is False
    assert "meeting.date" in meeting["mailing_fields"]
    assert set(meeting) >= {"id", "key", "name", "contact_role", "fields", "updated_at"}


def test_render_to_one_pdf_for_chosen_schools(capsys, demo: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "agm.pdf"
    code, out, err = run(
        capsys, "--db", demo, "letters", "render", "general_meeting",
        "--to", "urn:100897,100945", "--out", str(target), "--date", "01/12/2026",
        *MEETING, "--json",
    )  # fmt: skip
    assert code == 0, err
    result = json.loads(out)
    assert result["letters"] == 2 and result["combined_file"] == str(target)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(target).pages)
    assert "Thursday 14 January 2027 at 4.00 pm" in text and "1 December 2026" in text
    assert "Bishop Latimer Church of England School" in text
    assert letters_sent(demo) == 2  # each school's history records its letter


def test_render_one_pdf_per_school_into_a_folder(capsys, demo: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "out"
    folder.mkdir()
    code, out, err = run(
        capsys, "--db", demo, "letters", "render", "Notice of general meeting",
        "--to", "urn:100897", "--out", str(folder), *MEETING,
    )  # fmt: skip
    assert code == 0, err
    files = list(folder.iterdir())
    assert len(files) == 1 and files[0].name.startswith("Bishop Latimer Church of England School")
    assert "1 letter" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "all-members"], "membership records"),
        (["--to", "urn:12ab"], "not a URN"),
        (["--to", "urn:999999"], "No school in the register has URN 999999"),
        (["--to", "everyone"], "--to must be"),
        (["--to", "urn:100897", "--set", "nonsense"], "FIELD=VALUE"),
        (["--to", "urn:100897", "--set", "school.name=x"], "not a field typed for a mailing"),
        (["--to", "urn:100897"], "Fill in"),
    ],
)
def test_bad_requests_say_why_and_write_nothing(
    capsys, demo: str, tmp_path: Path, args, message
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "x.pdf"
    code, out, err = run(
        capsys, "--db", demo, "letters", "render", "general_meeting", "--out", str(target), *args
    )
    assert code == 1 and message in err and out == ""
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("demo.sqlite3")] == []
    assert letters_sent(demo) == 0


def test_an_unknown_template_is_named(capsys, demo: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _out, err = run(
        capsys, "--db", demo, "letters", "render", "no such", "--to", "all-open-schools",
        "--out", str(tmp_path / "x.pdf"),
    )  # fmt: skip
    assert code == 1 and "no letter template called “no such”" in err
    assert not (tmp_path / "x.pdf").exists() and letters_sent(demo) == 0


def test_a_letter_needing_membership_is_refused_with_the_reason(
    capsys, demo: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    code, _out, err = run(
        capsys, "--db", demo, "letters", "render", "welcome", "--to", "urn:100897",
        "--out", str(tmp_path / "x.pdf"),
    )  # fmt: skip
    assert code == 1 and "membership record" in err
    assert not (tmp_path / "x.pdf").exists() and letters_sent(demo) == 0
