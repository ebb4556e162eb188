"""``thep-admin`` on a database this user may only read: listing works, writing is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from read_only_databases import make_read_only
from sqlalchemy import text

from thep_desktop.cli.admin import main
from thep_desktop.database import Database


def letters_sent(address: str) -> int:
    db = Database(address)
    try:
        with db.engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM correspondence")).scalar_one()
    finally:
        db.dispose()


@pytest.mark.parametrize("part", ["file", "folder"])
def test_list_works_and_render_is_refused_in_words(
    capsys: pytest.CaptureFixture[str],
    demo_copy: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    part: str,
) -> None:
    if "://" in demo_copy and part == "folder":
        pytest.skip("a server database has no folder")
    # A register in use has its built-in letter templates (added when first listed).
    assert main(["--db", demo_copy, "letters", "templates"]) == 0
    capsys.readouterr()
    make_read_only(demo_copy, monkeypatch, part)
    assert main(["--db", demo_copy, "schools", "list", "--status", "open"]) == 0
    out, err = capsys.readouterr()
    assert "Bishop Latimer Church of England School" in out and err == ""

    out_folder = tmp_path / "letters"
    out_folder.mkdir()
    code = main(
        [
            "--db", demo_copy, "letters", "render", "general_meeting", "--to", "urn:100897",
            "--out", str(out_folder / "agm.pdf"),
            "--set", "meeting.name=AGM", "--set", "meeting.date=Thursday 14 January 2027",
            "--set", "meeting.time=4.00 pm", "--set", "meeting.place=the Centre",
            "--set", "meeting.business=the accounts",
        ]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    *progress, refusal = err.splitlines()  # the progress line names what was being made
    assert all(line.startswith("Producing") for line in progress)
    assert refusal.startswith("thep-admin: Changes cannot be saved: ")
    assert refusal.endswith("Nothing was changed.")
    assert "Traceback" not in err and "readonly" not in err
    assert list(out_folder.iterdir()) == []  # no letter, no partial file
    assert letters_sent(demo_copy) == 0
