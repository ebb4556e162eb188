"""``thep-admin report annual|narrative|final`` on a SQLite file and a PostgreSQL database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from thep_desktop.cli.admin import main
from thep_desktop.domain.academic_years import AcademicYear

LAST_YEAR = AcademicYear.of(date.today()).previous()
TRICKY = "We welcomed <b>two</b> schools & one trust.\n\n=SUM(A1) is what we wrote."


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_narrative_is_set_shown_marked_final_and_then_refused(
    capsys: pytest.CaptureFixture[str], migrated_db: str, tmp_path: Path
) -> None:
    db = ("--db", migrated_db)
    year = ("--year", LAST_YEAR.label)
    code, out, err = run(
        capsys, "report", "narrative", *year, "--section", "membership", "--text", TRICKY, *db
    )
    assert (code, err) == (0, "") and out == f"Membership saved for {LAST_YEAR.label}.\n"
    finances = tmp_path / "finances.txt"
    finances.write_text("Fees came in on time.\n\nNo debt was written off.", encoding="utf-8")
    code, out, err = run(
        capsys, "report", "narrative", *year, "--section", "finances", "--file", str(finances), *db
    )
    assert (code, err) == (0, "")

    code, out, err = run(capsys, "report", "narrative", *year, "--json", *db)
    shown = json.loads(out)
    assert shown["academic_year"] == LAST_YEAR.label and shown["status"] == "draft"
    assert shown["sections"]["membership"] == TRICKY
    assert shown["sections"]["finances"] == "Fees came in on time.\n\nNo debt was written off."
    assert shown["sections"]["governance"] is None

    code, out, err = run(
        capsys,
        "report",
        "final",
        *year,
        "--by",
        "Grace Mensah",
        "--on",
        LAST_YEAR.next().first_day.isoformat(),
        "--json",
        *db,
    )
    assert (code, err) == (0, "")
    final = json.loads(out)
    assert final["status"] == "final" and final["finalised_by"] == "Grace Mensah"
    assert final["finalised_on"] == LAST_YEAR.next().first_day.isoformat()

    code, out, err = run(
        capsys, "report", "narrative", *year, "--section", "membership", "--text", "Rewritten", *db
    )
    assert code == 1 and out == ""
    assert "is final and cannot be changed; nothing was saved" in err
    code, out, err = run(capsys, "report", "narrative", *year, "--json", *db)
    assert json.loads(out)["sections"]["membership"] == TRICKY


def test_bad_input_is_refused_in_words_on_stderr(
    capsys: pytest.CaptureFixture[str], migrated_db: str, tmp_path: Path
) -> None:
    db = ("--db", migrated_db)
    tmp_path = tmp_path / "files"
    tmp_path.mkdir()
    cases = [
        (("report", "narrative", "--year", "2025-27"), "is not an academic year"),
        (
            ("report", "narrative", "--year", "2024/25", "--section", "salaries", "--text", "x"),
            "'salaries' is not a section of the report",
        ),
        (("report", "narrative", "--year", "2024/25", "--text", "x"), "Say which section"),
        (
            (
                "report",
                "narrative",
                "--year",
                "2024/25",
                "--section",
                "finances",
                "--file",
                str(tmp_path / "missing.txt"),
            ),
            "There is no file",
        ),
        (("report", "final", "--year", "2024/25", "--by", "Grace"), "has no text yet"),
        (
            ("report", "annual", "--year", "2024/25", "--out", str(tmp_path / "r.txt")),
            "--out must name a .pdf file",
        ),
        (
            ("report", "annual", "--year", "2199/00", "--out", str(tmp_path / "r.pdf")),
            "has not begun yet",
        ),
    ]
    for args, words in cases:
        code, out, err = run(capsys, *args, *db)
        assert code != 0 and out == "", args
        assert words in err, (args, err)
    assert not list(tmp_path.iterdir())
    code, out, err = run(capsys, "report", "narrative", "--year", "2024/25", "--json", *db)
    assert json.loads(out)["saved"] is False


def test_an_empty_year_makes_a_report_that_says_so(
    capsys: pytest.CaptureFixture[str], migrated_db: str, tmp_path: Path
) -> None:
    pdf, xlsx = tmp_path / "report.pdf", tmp_path / "appendix.xlsx"
    code, out, err = run(
        capsys,
        "report",
        "annual",
        "--year",
        "2019/20",
        "--out",
        str(pdf),
        "--appendix",
        str(xlsx),
        "--db",
        migrated_db,
    )
    assert (code, err) == (0, "")
    assert "Wrote the draft annual report for 2019/20 (figures as at 31/08/2020)" in out
    assert (
        "No records for 2019/20 in: Membership, Finances, Peer review, Inspection "
        "outcomes, Governance." in out
    )
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert text.count("No records for 2019/20.") == 5
    assert load_workbook(xlsx).sheetnames == ["Contents"]


def test_the_demos_report_and_appendix(
    capsys: pytest.CaptureFixture[str], demo_db: str, tmp_path: Path
) -> None:
    pdf, xlsx = tmp_path / "report.pdf", tmp_path / "appendix.xlsx"
    code, out, err = run(
        capsys,
        "report",
        "annual",
        "--year",
        LAST_YEAR.label,
        "--out",
        str(pdf),
        "--appendix",
        str(xlsx),
        "--json",
        "--db",
        demo_db,
    )
    assert (code, err) == (0, "")
    written = json.loads(out)
    assert written["status"] == "final" and written["as_at"] == LAST_YEAR.last_day.isoformat()
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Final, approved on" in text and "Membership" in text
    book = load_workbook(xlsx)
    assert book.sheetnames[0] == "Contents" and len(book.sheetnames) == written["tables"] + 1
