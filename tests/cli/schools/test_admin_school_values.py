"""``thep-admin schools`` never passes a stored control character to the terminal."""

from __future__ import annotations

import json

import pytest

from thep_desktop.cli.admin import main
from thep_desktop.database import Database
from thep_desktop.models import Contact, School

# Stored before validation refused such names (or by another program writing to the database).
TITLE = "Bow\x1b]0;pwned\x07 School"
CLEAR = "Ash\x1b[2J\u202eSchool"
SHOWN = ("Bow\\x1b]0;pwned\\x07 School", "Ash\\x1b[2J\\u202eSchool")


@pytest.fixture
def hostile_db(migrated_db: str) -> str:
    db = Database(migrated_db)
    try:
        with db.session() as s:
            for urn, name, notes in (
                (100001, TITLE, "line one\nline\ttwo\r\x08"),
                (100002, CLEAR, ""),
            ):
                school = School(
                    urn=urn,
                    name=name,
                    notes=notes,
                    town="Lon\x9bdon",
                    created_by="x",
                    updated_by="x",
                )
                school.contacts = [
                    Contact(
                        full_name="Ada\x1b[31m Okafor",
                        role="Head\nteacher",
                        created_by="x",
                        updated_by="x",
                    )
                ]
                s.add(school)
    finally:
        db.dispose()
    return migrated_db


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def raw_controls(text: str) -> list[str]:
    return [
        ch
        for ch in text
        if (ord(ch) < 32 and ch != "\n") or 0x7F <= ord(ch) < 0xA0 or ch == "\u202e"
    ]


def test_schools_list_shows_control_characters_escaped(capsys, hostile_db: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "--db", hostile_db, "schools", "list")
    assert code == 0, err
    assert raw_controls(out + err) == []
    assert SHOWN[0] in out and SHOWN[1] in out
    # Each school is still one line of the table.
    assert len(out.strip().splitlines()) == 2 + 2 + 2  # heading, rule, schools, blank, count


def test_schools_show_shows_control_characters_escaped(capsys, hostile_db: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "--db", hostile_db, "schools", "show", "100001")
    assert code == 0, err
    assert raw_controls(out + err) == []
    assert out.startswith(SHOWN[0] + "\n" + "=" * len(SHOWN[0]) + "\n")
    assert "Ada\\x1b[31m Okafor" in out and "Head\\x0ateacher" in out and "Lon\\x9bdon" in out
    # Notes keep their lines; the tab is laid out, the carriage return and backspace shown.
    assert "line one\n" in out and "line    two\\x0d\\x08" in out


def test_json_escapes_control_characters_itself(capsys, hostile_db: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "--db", hostile_db, "schools", "show", "100001", "--json")
    assert code == 0, err
    assert raw_controls(out) == [] and "\\u001b]0;pwned\\u0007" in out
    assert json.loads(out)["name"] == TITLE  # and reads back exactly
    code, out, err = run(capsys, "--db", hostile_db, "schools", "list", "--json")
    assert raw_controls(out) == [] and {s["name"] for s in json.loads(out)["schools"]} == {
        TITLE,
        CLEAR,
    }


def test_a_search_echoed_in_an_error_is_shown_escaped(capsys, hostile_db: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "--db", hostile_db, "schools", "list", "--phase", "x\x1b[2J")
    assert code == 1 and out == ""
    assert raw_controls(err) == [] and "x\\x1b[2J" in err


@pytest.mark.parametrize(
    ("urn", "code", "words"),
    [
        ("\u00b9\u2070\u2070\u2070\u2070\u00b9", 0, SHOWN[0]),  # ¹⁰⁰⁰⁰¹
        ("\uff11\uff10\uff10\uff10\uff10\uff12", 0, SHOWN[1]),  # full-width
        ("\u09e7\u09e6\u09e6\u09e6\u09e6\u09e7", 1, "digits of another script"),
        ("\u00b9\u00b2\u00b3", 1, "is not a URN"),
        # Python's argv for bytes that are not UTF-8 (thep-admin schools show $'\xff'):
        ("10000\udcff", 1, "“10000\\udcff” is not"),
    ],
)
def test_schools_show_reads_a_urn_in_other_digits(
    capsys, hostile_db: str, urn: str, code: int, words: str
) -> None:  # type: ignore[no-untyped-def]
    got, out, err = run(capsys, "--db", hostile_db, "schools", "show", urn)
    assert got == code and words in (out if code == 0 else err)
    assert "Traceback" not in err
