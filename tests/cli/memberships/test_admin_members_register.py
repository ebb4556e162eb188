"""``thep-admin members register``: the register of members as at a date, to PDF or Excel."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from membership_records import Records, add_members

from thep_desktop.cli.admin import main
from thep_desktop.services.registry import open_services
from thep_desktop.services.shared.actor import Actor


@pytest.fixture
def members_db(demo_copy: str) -> tuple[str, Records, list[str]]:
    """The demo with membership records; and the member schools' names, first admitted first."""
    services, _note = open_services(demo_copy, Actor("office"))
    try:
        records = add_members(services, today=date(2026, 11, 30))
        names = [services.members.get_member(services.actor, m).name for m in records.full]
    finally:
        services.close()
    return demo_copy, records, names


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_register_as_a_pdf_lists_members_former_members_and_re_joiners(
    capsys: pytest.CaptureFixture[str], members_db: tuple[str, Records, list[str]], tmp_path: Path
) -> None:
    address, _records, names = members_db
    target = tmp_path / "register.pdf"
    code, out, err = run(
        capsys,
        "--db",
        address,
        "members",
        "register",
        "--as-at",
        "30/11/2026",
        "--out",
        str(target),
    )
    assert code == 0, err
    assert "Register of members as at 30/11/2026: 11 entries (10 members, 1 former)" in out
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-raw", str(target), "-"], capture_output=True, text=True
        ).stdout.split()
    )
    assert "Register of members" in text and "As at 30/11/2026" in text
    for name in names:
        assert name in text
    assert "Stepney Music Trust" in text and "Dr Amara Nwosu" in text
    # The re-joiner: the period that ended on 01/09/2020 and the one from 01/09/2023.
    assert text.count(names[2]) == 2
    assert "01/04/2017 01/09/2020" in text and "Full member 01/09/2023" in text
    assert (
        "Unit 4, Whitehorse Yard, 12 Whitehorse Road, London, E1 0ND Associate member 11/01/2021"
        in text
    )
    # Under notice but not yet gone on 30/11/2026: no date ceased.
    under_notice = text[text.index(names[1]) :]
    assert re.match(r"[^/]* Full member 01/04/2017 (?!\d\d/)", under_notice)


def test_the_register_as_at_an_earlier_date_and_as_json_and_xlsx(
    capsys: pytest.CaptureFixture[str], members_db: tuple[str, Records, list[str]], tmp_path: Path
) -> None:
    address, _records, names = members_db
    target = tmp_path / "register.xlsx"
    code, out, err = run(
        capsys,
        "--db", address, "members", "register", "--as-at", "2020-06-30", "--out", str(target),
        "--json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["as_at"] == "2020-06-30" and data["count"] == 8 and data["former_members"] == 0
    # Not yet left on 30 June 2020, and the organisation and the individual not yet admitted.
    assert {e["name"] for e in data["entries"]} == set(names)
    assert all(e["ceased_on"] is None for e in data["entries"])
    assert data["entries"][0]["admitted_on"] == "2017-04-01"
    assert data["entries"][0]["category"] == "Full member"
    sheet = openpyxl.load_workbook(target).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 8
    assert {r[0] for r in rows} == set(names)
    assert all(r[4] == datetime(2017, 4, 1) and r[5] is None for r in rows)


def test_a_file_that_is_not_pdf_or_xlsx_is_refused_and_nothing_written(
    capsys: pytest.CaptureFixture[str], members_db: tuple[str, Records, list[str]], tmp_path: Path
) -> None:
    address, _records, _names = members_db
    before = sorted(tmp_path.iterdir())
    code, _out, err = run(
        capsys, "--db", address, "members", "register", "--out", str(tmp_path / "register.csv")
    )
    assert code == 1 and ".pdf or .xlsx" in err
    code, _out, err = run(
        capsys, "--db", address, "members", "register", "--as-at", "31/02/2026",
        "--out", str(tmp_path / "r.pdf"),
    )  # fmt: skip
    assert code == 2 and "31/02/2026" in err
    code, _out, err = run(
        capsys, "--db", address, "members", "register", "--out", str(tmp_path / "no" / "r.pdf")
    )
    assert code == 1 and "does not exist" in err
    assert sorted(tmp_path.iterdir()) == before
