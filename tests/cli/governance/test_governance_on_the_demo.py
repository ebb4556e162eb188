"""``thep-admin governance …`` on the demo database: what the office sees after loading it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from thep_desktop.cli.admin import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_demo_reads_through_every_governance_command(
    capsys: pytest.CaptureFixture[str], demo_db: str, tmp_path: Path
) -> None:
    db = ("--db", demo_db)
    code, out, err = run(capsys, "governance", "bodies", "--json", *db)
    assert (code, err) == (0, "")
    bodies = {b["code"]: b for b in json.loads(out)["bodies"]}
    assert set(bodies) == {"B", "AC", "GM"}
    assert (bodies["B"]["voting_members"], bodies["AC"]["voting_members"]) == (8, 12)

    code, out, err = run(capsys, "governance", "meetings", "--json", *db)
    meetings = json.loads(out)["meetings"]
    assert [m["short_notice"] for m in meetings].count(True) == 1
    statuses = {m["minutes_status"] for m in meetings}
    assert statuses == {"draft", "circulated", "signed"}
    agm = next(m for m in meetings if m["kind"] == "annual" and m["minutes_status"] != "draft")
    assert agm["body_code"] == "GM" and agm["decisions"] == 4

    code, out, err = run(capsys, "governance", "actions", "--overdue", "--json", *db)
    overdue = json.loads(out)["actions"]
    assert overdue and all(a["overdue"] and a["status"] in ("open", "in_progress") for a in overdue)

    code, out, err = run(capsys, "governance", "directors", *db)
    assert (code, err) == (0, "")
    assert out.endswith("\n8 directors in office, 1 former.\n") and "Resigned" in out

    minutes = tmp_path / "agm.pdf"
    code, out, err = run(
        capsys, "governance", "render", "minutes", str(agm["id"]), "--out", str(minutes), *db
    )
    assert (code, err) == (0, "")
    text = "\n".join(page.extract_text() for page in PdfReader(minutes).pages)
    assert "Annual General Meeting" in text and "by proxy" in text
    assert "Special resolution" in text
