"""``thep-admin letters``: templates and mail merge from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from thep_desktop.cli.admin import main
from thep_desktop.database import Database
from thep_desktop.services.registry import open_services
from thep_desktop.services.shared.actor import Actor

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
    assert code == 0 and "Notice of general meeting" in out and "11 templates" in out
    code, out, _err = run(capsys, "--db", demo, "letters", "templates", "--json")
    data = json.loads(out)
    # six letters, the three invoice reminders and the two peer-review confirmations
    assert data["count"] == 11
    meeting = next(t for t in data["templates"] if t["key"] == "general_meeting")
    assert meeting["built_in"] is True and meeting["changed_from_built_in"] is False
    assert "meeting.date" in meeting["mailing_fields"]
    assert meeting["signatory"] == "{org.company_secretary}"
    assert meeting["signatory_role"] == "Company Secretary"
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
    # The demo's notices are signed by its company secretary, by order of the Board.
    assert text.count("By order of the Board Rafiq Chowdhury Company Secretary") == 2
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
    assert "1 letter, 1 page written" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--to", "full-members", "--date", "01/01/2000"],
            "There are no full members on 01/01/2000 to write to",
        ),
        (["--to", "urn:12ab"], "not a URN"),
        (["--to", "urn:999999"], "No school in the register has URN 999999"),
        (["--to", "everyone"], "--to must be"),
        (["--to", "urn:100897", "--set", "nonsense"], "FIELD=VALUE"),
        (["--to", "urn:100897", "--set", "school.name=x"], "not a field typed for a mailing"),
        (["--to", "urn:100897"], "--set meeting.name="),
        (["--to", "urn:100897", *MEETING, "--role", "Cheif Exec"], "“Cheif Exec”"),
        (["--to", "urn:100897", *MEETING, "--include-proposed"], "all-open-schools only"),
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


def _a_school_that_never_joined(address: str) -> int:
    db = Database(address)
    try:
        with db.read_session() as session:
            urn = session.execute(
                text(
                    "SELECT urn FROM school WHERE status = 'open' AND id NOT IN "
                    "(SELECT school_id FROM member WHERE school_id IS NOT NULL) ORDER BY urn"
                )
            ).scalar()
    finally:
        db.dispose()
    assert urn is not None, "the demo has open schools that are not members"
    return int(urn)


def test_a_letter_needing_membership_is_refused_with_the_reason(
    capsys, demo: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    urn = _a_school_that_never_joined(demo)
    code, _out, err = run(
        capsys, "--db", demo, "letters", "render", "welcome", "--to", f"urn:{urn}",
        "--out", str(tmp_path / "x.pdf"),
    )  # fmt: skip
    assert code == 1 and "not a member" in err, err
    assert not (tmp_path / "x.pdf").exists() and letters_sent(demo) == 0


def test_a_missing_mailing_value_names_the_key_to_type(capsys, demo: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "visit.pdf"
    code, out, err = run(
        capsys, "--db", demo, "letters", "render", "review_visit", "--to", "urn:100897",
        "--out", str(target), "--set", "visit.focus=Reading",
    )  # fmt: skip
    assert code == 1 and out == ""
    assert "--set visit.date='…'" in err and "visit.team" in err and "visit.focus=" not in err
    assert "review visit date" in err
    assert not target.exists() and letters_sent(demo) == 0


def test_a_role_nobody_has_is_refused_with_the_known_roles(
    capsys, demo: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "agm.pdf"
    code, out, err = run(
        capsys, "--db", demo, "letters", "render", "general_meeting", "--to", "all-open-schools",
        "--out", str(target), "--role", "Cheif Exec", *MEETING,
    )  # fmt: skip
    assert code == 1 and out == ""
    assert "No contact in the register has the role “Cheif Exec”" in err
    assert "Head teacher" in err and "School business manager" in err
    assert not target.exists() and letters_sent(demo) == 0
    # The register's own spelling of a role is taken whatever its case.
    code, out, err = run(
        capsys, "--db", demo, "letters", "render", "general_meeting", "--to", "urn:100897",
        "--out", str(target), "--role", "school BUSINESS manager", *MEETING,
    )  # fmt: skip
    assert code == 0, err
    assert "1 letter, 1 page written" in out


def test_all_open_schools_leaves_out_those_only_proposed_unless_asked(
    capsys, demo: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    services, _note = open_services(demo, Actor("office"))
    try:
        open_ids = services.letters.open_school_ids(services.actor)
        proposed = services.letters.proposed_school_ids(services.actor)
        with_proposed = services.letters.open_school_ids(services.actor, include_proposed=True)
    finally:
        services.close()
    assert proposed and not set(proposed) & set(open_ids)
    assert set(with_proposed) == set(open_ids) | set(proposed)
    folder = tmp_path / "out"
    folder.mkdir()
    code, out, err = run(
        capsys, "--db", demo, "letters", "render", "general_meeting", "--to", "all-open-schools",
        "--out", str(tmp_path / "agm.pdf"), *MEETING, "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["letters"] + len(json.loads(out)["skipped"]) == len(open_ids)
    code, out, err = run(
        capsys, "--db", demo, "letters", "render", "general_meeting", "--to", "all-open-schools",
        "--out", str(folder), *MEETING,
    )  # fmt: skip
    assert code == 0, err
    assert f"{len(proposed)} school" in out and "proposed to open" in out
    assert "--include-proposed" in out


# -- folders that cannot be written to ------------------------------------------------------------
@pytest.mark.parametrize("into", ["folder", "one PDF"])
def test_render_into_a_read_only_folder_says_so_and_changes_nothing(
    capsys, demo: str, tmp_path: Path, into: str
) -> None:  # type: ignore[no-untyped-def]
    """Once an OSError traceback; now one sentence, exit 1, no files, no history."""
    from read_only_folders import read_only_folder  # tests/read_only_folders.py

    with read_only_folder(tmp_path / "Letters") as folder:
        out = folder if into == "folder" else folder / "visit.pdf"
        code, stdout, err = run(
            capsys, "--db", demo, "letters", "render", "general_meeting", "--to", "urn:100897",
            "--out", str(out), *MEETING,
        )  # fmt: skip
        assert code == 1 and stdout == ""
        assert err.strip().endswith(
            f"The folder {folder} cannot be written to (it is read-only or you do not have "
            "permission). Choose another folder."
        )
        assert "Traceback" not in err
        assert list(folder.iterdir()) == []
    assert letters_sent(demo) == 0


def test_render_under_a_file_or_into_a_missing_folder_says_so(
    capsys, demo: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    notes = tmp_path / "notes.txt"
    notes.write_text("not a folder")
    for out, message in [
        (notes / "visit.pdf", f"{notes} is a file, not a folder. Choose a folder."),
        (
            tmp_path / "gone" / "visit.pdf",
            f"The folder {tmp_path / 'gone'} does not exist. Choose another folder.",
        ),
    ]:
        code, stdout, err = run(
            capsys, "--db", demo, "letters", "render", "general_meeting", "--to", "urn:100897",
            "--out", str(out), *MEETING,
        )  # fmt: skip
        assert code == 1 and message in err, err
    assert notes.read_text() == "not a folder" and not (tmp_path / "gone").exists()
    assert letters_sent(demo) == 0
