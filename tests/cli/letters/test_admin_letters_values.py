"""``letters render --to urn:…`` and ``--set`` with other digits and control characters."""

from __future__ import annotations

from pathlib import Path

import pytest
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


def letters_sent(address: str) -> int:
    db = Database(address)
    try:
        with db.engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM correspondence")).scalar_one()
    finally:
        db.dispose()


def test_a_urn_in_superscript_digits_is_the_same_school(
    capsys: pytest.CaptureFixture[str], demo_copy: str, tmp_path: Path
) -> None:
    target = tmp_path / "agm.pdf"
    urn = "\u00b9\u2070\u2070\u2078\u2079\u2077"  # ¹⁰⁰⁸⁹⁷
    code = main(
        ["--db", demo_copy, "letters", "render", "general_meeting", "--to", f"urn:{urn}"]
        + ["--out", str(target), *MEETING]
    )
    _out, err = capsys.readouterr()
    assert code == 0, err
    assert target.exists() and letters_sent(demo_copy) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "urn:\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077"], "is not a URN: a URN is 6"),
        (["--to", "urn:\u09e7\u09e6\u09e6\u09ee\u09ef\u09ed"], "digits of another script"),
        (["--to", "urn:1008\x1b97"], "“1008\\x1b97” is not a URN"),
        (["--to", "urn:100897", *MEETING, "--set", "meeting.time=4\x1b[2J pm"], "escape"),
        (["--to", "urn:100897", *MEETING, "--set", "meeting.place=Hall\udc80"], "not valid text"),
    ],
)
def test_bad_values_say_why_and_write_nothing(
    capsys: pytest.CaptureFixture[str],
    demo_copy: str,
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    target = tmp_path / "x.pdf"
    code = main(
        ["--db", demo_copy, "letters", "render", "general_meeting", "--out", str(target)] + args
    )
    out, err = capsys.readouterr()
    assert code == 1 and message in err and out == ""
    assert "Traceback" not in err and "\x1b" not in err
    assert not target.exists() and letters_sent(demo_copy) == 0
